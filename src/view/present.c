/*
** present.c: store records to the models the templates read (see
** present.h).
*/
#include "present.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "html_text.h"
#include "json.h"
#include "timefmt.h"
#include "tz.h"
#include "utf8.h"

/* Sets member key of o to the string b holds, then empties b. */
static void set_buf(cJSON *o, const char *key, buf *b) {
  cJSON_DeleteItemFromObjectCaseSensitive(o, key);
  cJSON_AddStringToObject(o, key, buf_str(b));
  buf_reset(b);
}

/* Sets member key of o (a number of Unix seconds) to its ISO form. */
static void set_iso(cJSON *o, const char *key, time_t t, buf *b) {
  time_iso(b, t);
  set_buf(o, key, b);
}

/* Adds "url" to o: prefix and the encoded member key. */
static void add_url(cJSON *o, const char *prefix, const char *key, buf *b) {
  escape_path(b, prefix, json_str(o, key));
  set_buf(o, "url", b);
}

/* Returns 1 when n fits spec, a part of a catalogue's plural_rule: "N"
** (n itself), "A-B" (n from A to B) or either followed by "%M" (n modulo
** M). */
static int plural_fits(const char *spec, size_t len, long n) {
  char s[32];
  long a, b, m = 0;
  int used = 0;
  snprintf(s, sizeof s, "%.*s", (int)(len < 31 ? len : 31), spec);
  const char *mod = strchr(s, '%');
  if (mod && sscanf(mod + 1, "%ld", &m) == 1 && m > 0) n %= m;
  if (sscanf(s, "%ld-%ld%n", &a, &b, &used) == 2) return n >= a && n <= b;
  if (sscanf(s, "%ld", &a) == 1) return n == a;
  return 0;
}

/* Appends the count n of things (comments, votes) in the words of
** catalogue k: its plural_rule ("zero:0;one:1;few:3-10%100;other", in
** order, the first that fits) names the form, and the string
** "<what>_<form>" (or "<what>_other") is the pattern, its {n} the number. */
static void plural_count(const catalog *k, const char *what, long n, buf *out) {
  const char *rule = catalog_text(k, "plural_rule"), *form = "other";
  size_t form_len = 5;
  for (const char *p = rule; *p;) {
    size_t len = strcspn(p, ";"), name = strcspn(p, ":");
    if (name < len && plural_fits(p + name + 1, len - name - 1, n)) {
      form = p;
      form_len = name;
      break;
    }
    p += len + (p[len] == ';');
  }
  char key[64];
  snprintf(key, sizeof key, "%s_%.*s", what, (int)(form_len < 16 ? form_len : 16), form);
  const char *pattern = catalog_text(k, key);
  if (strcmp(pattern, key) == 0) {
    snprintf(key, sizeof key, "%s_other", what);
    pattern = catalog_text(k, key);
  }
  const char *at = strstr(pattern, "{n}");
  if (!at) {
    buf_puts(out, pattern);
    return;
  }
  buf_append(out, pattern, (size_t)(at - pattern));
  buf_printf(out, "%ld", n);
  buf_puts(out, at + 3);
}

cJSON *present_rating_summary(const app *a, long count, long sum) {
  cJSON *r = cJSON_CreateObject();
  double avg = count ? round((double)sum * 10.0 / (double)count) / 10.0 : 0.0;
  char shown[16], label[64];
  snprintf(shown, sizeof shown, "%.1f", avg);
  cJSON_AddNumberToObject(r, "average", avg);
  cJSON_AddStringToObject(r, "average_display", shown);
  cJSON_AddNumberToObject(r, "count", (double)count);
  buf votes = {0};
  plural_count(a->ui, "count_votes", count, &votes);
  cJSON_AddStringToObject(r, "count_display", buf_str(&votes));
  buf_free(&votes);
  cJSON *stars = cJSON_AddArrayToObject(r, "stars");
  for (int v = 1; v <= 5; v++) {
    cJSON *s = cJSON_CreateObject();
    const char *state = avg >= v - 0.25 ? "full" : avg >= v - 0.75 ? "half" : "empty";
    snprintf(label, sizeof label, "%d %s", v, catalog_text(a->ui, v == 1 ? "star" : "stars"));
    cJSON_AddNumberToObject(s, "value", v);
    cJSON_AddStringToObject(s, "state", state);
    cJSON_AddStringToObject(s, "label", label);
    cJSON_AddItemToArray(stars, s);
  }
  return r;
}

void present_card(const app *a, cJSON *card, int with_updated) {
  buf b = {0};
  time_t published = (time_t)json_num(card, "published_at");
  time_t updated = (time_t)json_num(card, "updated_at");
  long comments = (long)json_num(card, "comment_count");
  add_url(card, "/articles/", "slug", &b);
  set_iso(card, "published_at", published, &b);
  catalog_date(a->ui, published, &b);
  set_buf(card, "published_display", &b);
  plural_count(a->ui, "count_comments", comments, &b);
  set_buf(card, "comment_count_display", &b);
  present_category(cJSON_GetObjectItemCaseSensitive(card, "category"));
  add_url(cJSON_GetObjectItemCaseSensitive(card, "author"), "/author/", "username", &b);
  cJSON_AddItemToObject(card, "rating", present_rating_summary(a, (long)json_num(card, "rating_count"),
                                                               (long)json_num(card, "rating_sum")));
  if (with_updated) set_iso(card, "updated_at", updated > published ? updated : published, &b);
  else cJSON_DeleteItemFromObjectCaseSensitive(card, "updated_at");
  cJSON_DeleteItemFromObjectCaseSensitive(card, "created_at");
  cJSON_DeleteItemFromObjectCaseSensitive(card, "rating_count");
  cJSON_DeleteItemFromObjectCaseSensitive(card, "rating_sum");
  buf_free(&b);
}

void present_picture(cJSON *o, const char *key, const picture_opts *opts) {
  cJSON *rec = cJSON_GetObjectItemCaseSensitive(o, key);
  buf html = {0};
  if (!cJSON_IsObject(rec) || picture_html(&html, rec, opts) != 0) {
    cJSON_DeleteItemFromObjectCaseSensitive(o, key);
    buf_free(&html);
    return;
  }
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "html", buf_str(&html));
  cJSON_AddStringToObject(p, "alt", opts->alt ? opts->alt : json_str(rec, "alt"));
  cJSON_AddStringToObject(p, "caption", json_str(rec, "caption"));
  cJSON_AddStringToObject(p, "credit", json_str(rec, "credit"));
  /* The files stay, for what shares the page (social.h). */
  cJSON_AddItemToObject(p, "files", cJSON_DetachItemFromObjectCaseSensitive(rec, "files"));
  cJSON_ReplaceItemInObjectCaseSensitive(o, key, p);
  buf_free(&html);
}

void present_card_pictures(cJSON *cards) {
  /* A card's width in the grid of www/static/gazette.css: the page is at
  ** most 72rem wide with 1rem on each side, its cards 1.5rem apart, three
  ** to a row from 64rem, two from 40rem, one below. */
  static const picture_opts thumb = {
      .sizes = "(min-width: 72rem) 22.4rem, (min-width: 64rem) calc((100vw - 5rem) / 3),"
               " (min-width: 40rem) calc((100vw - 3.5rem) / 2), calc(100vw - 2rem)",
      .cls = "card-picture", .max_width = 640};
  cJSON *c;
  cJSON_ArrayForEach(c, cards) { present_picture(c, "image", &thumb); }
}

void present_article_pictures(cJSON *article) {
  static const picture_opts featured = {
      .sizes = "(min-width: 46rem) 42rem, 100vw", .eager = 1, .max_width = 1024};
  static const picture_opts avatar = {.sizes = "3rem", .cls = "avatar", .max_width = 320};
  present_picture(article, "image", &featured);
  present_picture(cJSON_GetObjectItemCaseSensitive(article, "author"), "image", &avatar);
  present_card_pictures(cJSON_GetObjectItemCaseSensitive(article, "related"));
}

void present_lead_picture(cJSON *card) {
  static const picture_opts lead = {
      .sizes = "(min-width: 60rem) 40rem, 100vw", .cls = "lead-picture", .eager = 1,
      .max_width = 1024};
  present_picture(card, "image", &lead);
}

void present_author_picture(cJSON *author) {
  static const picture_opts avatar = {.sizes = "6rem", .cls = "avatar", .max_width = 320};
  present_picture(author, "image", &avatar);
}

void present_cards(const app *a, cJSON *cards, int with_updated) {
  cJSON *x;
  cJSON_ArrayForEach(x, cards) { present_card(a, x, with_updated); }
}

/* The longest description made from an article's text, in characters
** and its "…": what search engines show of a page's description. */
enum { DESCRIPTION_CHARS = 161 };

void present_description(cJSON *article) {
  const char *summary = json_str(article, "summary");
  buf b = {0}, text = {0};
  if (*summary) {
    buf_puts(&b, summary);
  } else {
    html_text_plain(json_str(article, "body_html"), 0, &text);
    utf8_cut(buf_str(&text), DESCRIPTION_CHARS, &b);
  }
  set_buf(article, "description", &b);
  buf_free(&b);
  buf_free(&text);
}

void present_article(const app *a, cJSON *article) {
  buf b = {0};
  time_t published = (time_t)json_num(article, "published_at");
  time_t updated = (time_t)json_num(article, "updated_at");
  time_t created = (time_t)json_num(article, "created_at");
  /* The change readers are told of: not a small edit (revised_at). */
  if (cJSON_GetObjectItemCaseSensitive(article, "revised_at"))
    updated = (time_t)json_num(article, "revised_at");
  cJSON_DeleteItemFromObjectCaseSensitive(article, "revised_at");
  /* An edit after publication is shown to readers; the first save is not. */
  if (updated > published && updated > created) {
    catalog_date(a->ui, updated, &b);
    set_buf(article, "updated_display", &b);
    /* Its time of day too, in the site's zone ("09:30"). */
    buf_reset(&b);
    if (a->zone) tz_field(a->zone, updated, &b);
    cJSON_AddStringToObject(article, "updated_time", b.len > 11 ? buf_str(&b) + 11 : "");
    buf_reset(&b);
  } else {
    cJSON_AddNullToObject(article, "updated_display");
  }
  buf_puts(&b, a->base_url);
  escape_path(&b, "/articles/", json_str(article, "slug"));
  set_buf(article, "canonical_url", &b);
  present_card(a, article, 1);
  present_taxa(cJSON_GetObjectItemCaseSensitive(article, "tags"), "/tag/");
  present_taxa(cJSON_GetObjectItemCaseSensitive(article, "authors"), "/author/");
  present_cards(a, cJSON_GetObjectItemCaseSensitive(article, "related"), 0);
  buf_free(&b);
}

void present_rating(const app *a, cJSON *rating) {
  cJSON *s = present_rating_summary(a, (long)json_num(rating, "count"), (long)json_num(rating, "sum"));
  cJSON *x;
  cJSON_DeleteItemFromObjectCaseSensitive(rating, "count");
  cJSON_DeleteItemFromObjectCaseSensitive(rating, "sum");
  while ((x = s->child) != NULL) cJSON_AddItemToObject(rating, x->string, cJSON_DetachItemViaPointer(s, x));
  cJSON_Delete(s);
  /* your_vote goes last, as the API documents it. */
  cJSON_AddItemToObject(rating, "your_vote",
                        cJSON_DetachItemFromObjectCaseSensitive(rating, "your_vote"));
}

void present_comments(const app *a, cJSON *comments) {
  cJSON *o;
  buf b = {0};
  cJSON_ArrayForEach(o, comments) {
    time_t t = (time_t)json_num(o, "created_at");
    int held = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "held"));
    const char *body = json_str(o, "body");
    set_iso(o, "created_at", t, &b);
    catalog_date(a->ui, t, &b);
    set_buf(o, "date_display", &b);
    escape_text_links(&b, body, strlen(body));
    set_buf(o, "body_html", &b);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "held");
    cJSON_AddStringToObject(o, "status", held ? "held" : "approved");
    cJSON_AddBoolToObject(o, "pending", held);
    cJSON *replies = cJSON_DetachItemFromObjectCaseSensitive(o, "replies");
    if (replies) {
      present_comments(a, replies);
      cJSON_AddItemToObject(o, "replies", replies);
    }
  }
  buf_free(&b);
}

void present_search_total(const app *a, cJSON *search, long total) {
  buf b = {0};
  plural_count(a->ui, "count_results", total, &b);
  set_buf(search, "total_display", &b);
  buf_free(&b);
}

/* present_comment_threads for comments nested at level (1: top-level). A
** held comment takes no reply yet, nor does one shown at the top whose
** parent is not shown (its depth unknown). */
static void present_comment_level(const app *a, cJSON *comments, int level) {
  cJSON *o;
  cJSON_ArrayForEach(o, comments) {
    const cJSON *parent = cJSON_GetObjectItemCaseSensitive(o, "parent_id");
    int orphan = level == 1 && cJSON_IsNumber(parent) && parent->valuedouble > 0;
    int held = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "pending"));
    cJSON_AddBoolToObject(o, "can_reply", level < a->comment_max_depth && !orphan && !held);
    present_comment_level(a, cJSON_GetObjectItemCaseSensitive(o, "replies"), level + 1);
  }
}

void present_comment_threads(const app *a, cJSON *threads) {
  present_comment_level(a, threads, 1);
}

void present_page(const app *a, cJSON *page, int with_display) {
  buf b = {0};
  time_t updated = (time_t)json_num(page, "updated_at");
  add_url(page, "/page/", "slug", &b);
  set_iso(page, "updated_at", updated, &b);
  if (with_display) {
    catalog_date(a->ui, updated, &b);
    set_buf(page, "updated_display", &b);
  }
  cJSON_DeleteItemFromObjectCaseSensitive(page, "created_at");
  buf_free(&b);
}

void present_category(cJSON *o) {
  buf b = {0};
  const char *path = json_str(o, "path");
  escape_path_segments(&b, "/category/", *path ? path : json_str(o, "slug"));
  set_buf(o, "url", &b);
  buf_free(&b);
}

void present_taxon(cJSON *o, const char *prefix) {
  if (strcmp(prefix, "/category/") == 0) {
    present_category(o);
    return;
  }
  buf b = {0};
  add_url(o, prefix, strcmp(prefix, "/author/") == 0 ? "username" : "slug", &b);
  buf_free(&b);
}

void present_taxa(cJSON *list, const char *prefix) {
  cJSON *o;
  cJSON_ArrayForEach(o, list) { present_taxon(o, prefix); }
}
