/*
** desk.c: the editor's autosaves, its preview beside the text, refused
** saves of an article saved meanwhile, bylines, the comment switch and
** word counts (see desk.h).
**
**   POST /admin/autosave                 keep the editor's fields (article=ID,
**                                        0 for a new one); JSON for the
**                                        script, else 303 to the editor
**   GET  /admin/autosave/preview?article=ID   the autosave as readers would
**                                        see it, in the site's own page
**   POST /admin/autosave/discard         forget it (article=ID)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "desk.h"
#include "diff.h"
#include "escape.h"
#include "json.h"
#include "present.h"
#include "slug.h"
#include "store.h"
#include "store_autosave.h"
#include "store_media.h"
#include "store_newsroom.h"
#include "timefmt.h"
#include "tz.h"
#include "utf8.h"
#include "view.h"

enum { WORDS_PER_MINUTE = 200 };

/* The editor's fields an autosave keeps, all as text. */
static const char *const DRAFT_KEYS[] = {
    "title", "slug", "summary", "body", "tags", "lang", "status", "when", "category",
    "image", "featured", "comments_closed", "small_edit", "author", "coauthors"};
enum { DRAFT_KEY_COUNT = sizeof DRAFT_KEYS / sizeof DRAFT_KEYS[0] };

/* Returns the number of words in s: runs of characters other than white
** space that hold a letter or a digit (any non-ASCII character counts as
** one). */
static long desk_words(const char *s) {
  long n = 0;
  int in = 0, counted = 0;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      in = counted = 0;
      continue;
    }
    int wordy = ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z');
    if (!in) in = 1;
    if (wordy && !counted) {
      n++;
      counted = 1;
    }
  }
  return n;
}

/* Adds {words, minutes, words_display} for the text body to o. */
static void desk_count(ctx *c, cJSON *o, const char *body) {
  long words = desk_words(body);
  long minutes = words ? (words + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE : 0;
  char shown[160];
  snprintf(shown, sizeof shown, ctx_text(c, "admin_article_words"), words, minutes);
  cJSON_AddNumberToObject(o, "words", (double)words);
  cJSON_AddNumberToObject(o, "minutes", (double)minutes);
  cJSON_AddStringToObject(o, "words_display", shown);
}

/* Returns 1 when the signed-in user may change the article in f: editors
** any, authors their own while draft or pending. */
static int desk_may_edit(const ctx *c, const article_form *f) {
  if (c->user.role >= ROLE_EDITOR) return 1;
  return f->author_id == c->user.id &&
         (strcmp(f->saved_status, "draft") == 0 || strcmp(f->saved_status, "pending") == 0);
}

/* Loads article id into f (zeroed) when the user may change it (or only
** see it, when editable is 0). Returns 0, or the status to answer. */
static int desk_open(ctx *c, long id, article_form *f, int editable) {
  int rc = admin_article_load(c->db, c->now, id, f);
  if (rc != 0) return rc > 0 ? 404 : 500;
  int ok = editable ? desk_may_edit(c, f) : c->user.role >= ROLE_EDITOR || f->author_id == c->user.id;
  return ok ? 0 : 403;
}

/* Returns 1 when id is one of f's other authors. */
static int desk_is_coauthor(const article_form *f, long id) {
  for (int i = 0; i < f->ncoauthors; i++)
    if (f->coauthors[i] == id) return 1;
  return 0;
}

int desk_form(ctx *c, cJSON *fo, const article_form *f) {
  char url[96];
  cJSON_AddNumberToObject(fo, "version", (double)f->version);
  cJSON_AddBoolToObject(fo, "can_small_edit", f->saved_live && f->id);
  cJSON_AddBoolToObject(fo, "small_edit", f->small_edit);
  cJSON_AddBoolToObject(fo, "comments_closed", f->comments_closed);
  cJSON_AddStringToObject(fo, "zone", tz_name(c->app->zone));
  desk_count(c, fo, buf_str(&f->body));
  snprintf(url, sizeof url, "/admin/autosave/preview?article=%ld", f->id);
  cJSON_AddStringToObject(fo, "live_preview_url", url);
  cJSON_AddNumberToObject(fo, "article_key", (double)f->id);
  if (c->user.role < ROLE_EDITOR) return 0;
  cJSON *users = cJSON_CreateArray(), *cats = cJSON_CreateArray(), *u;
  if (admin_article_choices(c->db, cats, users) != 0) {
    cJSON_Delete(users);
    cJSON_Delete(cats);
    return -1;
  }
  cJSON_Delete(cats);
  long byline = f->author_id ? f->author_id : c->user.id;
  cJSON_ArrayForEach(u, users) {
    long id = json_long(u, "id");
    cJSON_AddBoolToObject(u, "selected", id == byline);
    cJSON_AddBoolToObject(u, "coauthor", desk_is_coauthor(f, id));
  }
  cJSON_AddItemToObject(fo, "authors", users);
  return 0;
}

/* Returns 1 when user id exists. */
static int desk_user_exists(ctx *c, long id) {
  cJSON *u = NULL;
  int rc = user_get(c->db, id, &u);
  cJSON_Delete(u);
  return rc == STORE_OK;
}

int desk_form_read(ctx *c, article_form *f) {
  buf v = {0};
  int bad = request_form(&c->req, "version", &v) < 0;
  if (v.len) f->version = form_id(buf_str(&v));
  buf_reset(&v);
  bad |= request_form(&c->req, "small_edit", &v) < 0;
  f->small_edit = v.len > 0 && !c->app->small_edits_shown;
  buf_reset(&v);
  bad |= request_form(&c->req, "comments_closed", &v) < 0;
  f->comments_closed = v.len > 0;
  buf_reset(&v);
  if (c->user.role >= ROLE_EDITOR) {
    bad |= request_form(&c->req, "author", &v) < 0;
    long author = form_id(buf_str(&v));
    if (v.len && (!author || !desk_user_exists(c, author))) bad = 1;
    if (author) f->author_id = author;
    buf_reset(&v);
    if (request_form(&c->req, "coauthors_given", &v) == 1) {
      long n = request_form_ids(&c->req, "coauthor", f->coauthors, ARTICLE_AUTHORS_MAX);
      bad |= n < 0;
      f->ncoauthors = n < 0 ? 0 : n;
      f->coauthors_given = 1;
      for (int i = 0; i < f->ncoauthors; i++) bad |= !desk_user_exists(c, f->coauthors[i]);
    }
  }
  buf_free(&v);
  return bad ? -1 : 0;
}

cJSON *desk_conflict(ctx *c, const article_form *theirs, const article_form *mine) {
  (void)c;
  cJSON *extra = cJSON_CreateObject();
  cJSON *k = cJSON_AddObjectToObject(extra, "conflict");
  cJSON *lines = cJSON_CreateArray();
  if (diff_lines(buf_str(&theirs->body), buf_str(&mine->body), lines) == 0) {
    cJSON_AddItemToObject(k, "diff", lines);
    cJSON_AddTrueToObject(k, "has_diff");
  } else {
    cJSON_Delete(lines);
    cJSON *side = cJSON_AddObjectToObject(k, "side");
    cJSON_AddStringToObject(side, "old", buf_str(&theirs->body));
    cJSON_AddStringToObject(side, "new", buf_str(&mine->body));
  }
  cJSON_AddStringToObject(k, "their_title", buf_str(&theirs->title));
  cJSON_AddBoolToObject(k, "title_changed", strcmp(buf_str(&theirs->title), buf_str(&mine->title)));
  return extra;
}

/* Returns the editor's fields of f as an object of strings. */
static cJSON *desk_fields_of(const article_form *f) {
  cJSON *o = cJSON_CreateObject();
  const buf *text[] = {&f->title, &f->slug, &f->summary, &f->body, &f->tags,
                       &f->lang, &f->status, &f->when};
  char n[32];
  for (int i = 0; i < 8; i++) cJSON_AddStringToObject(o, DRAFT_KEYS[i], buf_str(text[i]));
  snprintf(n, sizeof n, "%ld", f->category_id);
  cJSON_AddStringToObject(o, "category", n);
  snprintf(n, sizeof n, "%ld", f->image_id);
  cJSON_AddStringToObject(o, "image", n);
  cJSON_AddStringToObject(o, "featured", f->featured ? "1" : "");
  cJSON_AddStringToObject(o, "comments_closed", f->comments_closed ? "1" : "");
  cJSON_AddStringToObject(o, "small_edit", f->small_edit ? "1" : "");
  snprintf(n, sizeof n, "%ld", f->author_id);
  cJSON_AddStringToObject(o, "author", n);
  buf co = {0};
  for (int i = 0; i < f->ncoauthors; i++) buf_printf(&co, "%s%ld", i ? "," : "", f->coauthors[i]);
  cJSON_AddStringToObject(o, "coauthors", f->coauthors_given ? buf_str(&co) : "-");
  buf_free(&co);
  return o;
}

/* Fills f from an autosave's fields (strings; missing ones empty): its
** text as typed, its choices as far as they are numbers. */
static void desk_fields_into(ctx *c, const cJSON *fields, article_form *f) {
  buf *text[] = {&f->title, &f->slug, &f->summary, &f->body, &f->tags,
                 &f->lang, &f->status, &f->when};
  for (int i = 0; i < 8; i++) {
    buf_reset(text[i]);
    buf_puts(text[i], json_str(fields, DRAFT_KEYS[i]));
  }
  f->dir = app_dir(c->app, buf_str(&f->lang));
  f->category_id = form_id(json_str(fields, "category"));
  f->image_id = form_id(json_str(fields, "image"));
  if (c->user.role >= ROLE_EDITOR) f->featured = *json_str(fields, "featured") != 0;
  f->comments_closed = *json_str(fields, "comments_closed") != 0;
  f->small_edit = *json_str(fields, "small_edit") != 0;
  long author = form_id(json_str(fields, "author"));
  if (c->user.role >= ROLE_EDITOR && author) f->author_id = author;
  const char *co = json_str(fields, "coauthors");
  if (c->user.role >= ROLE_EDITOR && strcmp(co, "-") != 0) {
    f->ncoauthors = 0;
    f->coauthors_given = 1;
    while (*co && f->ncoauthors < ARTICLE_AUTHORS_MAX) {
      char part[24];
      size_t n = strcspn(co, ",");
      snprintf(part, sizeof part, "%.*s", (int)(n < 20 ? n : 20), co);
      long id = form_id(part);
      if (id) f->coauthors[f->ncoauthors++] = id;
      co += n + (co[n] == ',');
    }
  }
}

/* Appends the editor's address of article id (0: a new one) to out. */
static void desk_editor_url(buf *out, long id) {
  if (id) buf_printf(out, "/admin/articles/%ld/edit", id);
  else buf_puts(out, "/admin/articles/new");
}

/* Renders at most ARTICLE_BODY_MAX bytes of f's text as readers will get
** it: Markdown through body_render; an HTML text (an imported article's)
** through the sanitizer first, as its save does, then body_render_html,
** and one the sanitizer refuses as a paragraph saying so. Returns a new
** string (NULL when out of memory) and fills *bp. */
static char *desk_render(ctx *c, const article_form *f, body_pictures *bp) {
  size_t n = f->body.len > ARTICLE_BODY_MAX ? ARTICLE_BODY_MAX : f->body.len;
  if (!f->html) return body_render(c->db, buf_str(&f->body), n, bp);
  buf clean = {0}, out = {0};
  buf_append(&clean, buf_str(&f->body), n);
  char *html;
  if (admin_html_clean(c, &clean) == 0) {
    html = body_render_html(c->db, buf_str(&clean), bp);
  } else {
    const char *why = ctx_text(c, "admin_article_err_body_html");
    memset(bp, 0, sizeof *bp);
    buf_puts(&out, "<p>");
    escape_html(&out, why, strlen(why));
    buf_puts(&out, "</p>");
    html = strdup(buf_str(&out));
  }
  buf_free(&clean);
  buf_free(&out);
  return html;
}

int desk_preview_redirect(ctx *c, const article_form *f) {
  cJSON *fields = desk_fields_of(f);
  int rc = autosave_put(c->db, c->now, c->user.id, f->id, fields, f->version);
  cJSON_Delete(fields);
  if (rc == STORE_LIMIT) return 413;
  if (rc != STORE_OK) return 500;
  buf to = {0};
  desk_editor_url(&to, f->id);
  buf_puts(&to, "?draft=1#preview");
  int st = admin_redirect(c, buf_str(&to));
  buf_free(&to);
  return st;
}

int desk_draft(ctx *c, article_form *f, cJSON **extra) {
  buf v = {0};
  int want = request_query(&c->req, "draft", &v) == 1;
  buf_free(&v);
  autosave a = {0};
  int rc = autosave_get(c->db, c->user.id, f->id, &a);
  if (rc == STORE_ERROR) return 500;
  if (rc != STORE_OK) return 0;
  buf b = {0}, url = {0};
  tz_show(c->app->zone, (time_t)a.saved_at, &b);
  *extra = cJSON_CreateObject();
  if (want) {
    desk_fields_into(c, a.fields, f);
    /* Saving it checks against the version the text started from. */
    if (f->id) f->version = a.version;
    char note[256];
    snprintf(note, sizeof note, ctx_text(c, "admin_article_draft_shown"), buf_str(&b));
    cJSON_AddStringToObject(*extra, "draft_note", note);
    cJSON_AddTrueToObject(*extra, "preview_shown");
    /* Readers' browsers load no picture from another site: say so. */
    body_pictures bp;
    char *html = desk_render(c, f, &bp);
    free(html);
    if (bp.external) {
      char warning[600];
      snprintf(warning, sizeof warning, ctx_text(c, "admin_article_external_pictures"), bp.first_external);
      cJSON_AddStringToObject(*extra, "preview_warning", warning);
    }
  } else {
    cJSON *r = cJSON_AddObjectToObject(*extra, "restore");
    cJSON_AddStringToObject(r, "saved_display", buf_str(&b));
    desk_editor_url(&url, f->id);
    buf_puts(&url, "?draft=1");
    cJSON_AddStringToObject(r, "url", buf_str(&url));
  }
  cJSON_Delete(a.fields);
  buf_free(&b);
  buf_free(&url);
  return 0;
}

void desk_revision_status(ctx *c, cJSON *r) {
  const char *now = json_str(r, "status"), *before = json_str(r, "status_before");
  if (!*now || strcmp(now, before) == 0) return;
  char key[64], shown[200];
  buf b = {0};
  if (*before) {
    snprintf(key, sizeof key, "admin_article_status_%s", before);
    buf_printf(&b, "%s → ", ctx_text(c, key));
  }
  snprintf(key, sizeof key, "admin_article_status_%s", now);
  buf_puts(&b, ctx_text(c, key));
  snprintf(shown, sizeof shown, "%s", buf_str(&b));
  cJSON_AddStringToObject(r, "status_change", shown);
  buf_free(&b);
}

/* ---- the autosave routes ------------------------------------------------ */

/* Reads the form field "article" (an id, or 0 for a new article) into *id.
** Returns 0, or -1 when it is not one. */
static int desk_article_field(ctx *c, long *id) {
  buf v = {0};
  int rc = request_form(&c->req, "article", &v);
  *id = form_id(buf_str(&v));
  int bad = rc != 1 || (!*id && strcmp(buf_str(&v), "0") != 0);
  buf_free(&v);
  return bad ? -1 : 0;
}

/* Reads the editor's posted fields into an object of strings; the
** repeated coauthor fields become "coauthors" ("1,4"; "-" when the form
** had none to give). Returns it, or NULL when one is malformed. */
static cJSON *desk_posted_fields(ctx *c) {
  cJSON *o = cJSON_CreateObject();
  buf v = {0};
  int bad = 0;
  for (int i = 0; i < DRAFT_KEY_COUNT - 1; i++) {
    buf_reset(&v);
    bad |= request_form(&c->req, DRAFT_KEYS[i], &v) < 0;
    cJSON_AddStringToObject(o, DRAFT_KEYS[i], buf_str(&v));
  }
  long ids[ARTICLE_AUTHORS_MAX];
  buf_reset(&v);
  int given = request_form(&c->req, "coauthors_given", &v) == 1;
  long n = request_form_ids(&c->req, "coauthor", ids, ARTICLE_AUTHORS_MAX);
  bad |= n < 0;
  buf_reset(&v);
  for (int i = 0; i < n; i++) buf_printf(&v, "%s%ld", i ? "," : "", ids[i]);
  cJSON_AddStringToObject(o, "coauthors", given ? buf_str(&v) : "-");
  buf_free(&v);
  if (!bad) return o;
  cJSON_Delete(o);
  return NULL;
}

/* Returns 1 when the request's Accept header asks for JSON. */
static int desk_wants_json(ctx *c) {
  const char *accept = request_header(&c->req, "Accept");
  return accept && strstr(accept, "application/json") != NULL;
}

/* POST /admin/autosave: article, version and the editor's fields. */
int admin_autosave_post(ctx *c) {
  long id, version = 0;
  article_form f = {0};
  buf v = {0};
  int st = desk_article_field(c, &id) != 0 || request_form(&c->req, "version", &v) < 0 ? 400 : 0;
  if (v.len) version = form_id(buf_str(&v));
  buf_free(&v);
  if (!st && id) st = desk_open(c, id, &f, 1);
  cJSON *fields = st ? NULL : desk_posted_fields(c);
  if (!st && !fields) st = 400;
  if (!st) {
    int rc = autosave_put(c->db, c->now, c->user.id, id, fields, version);
    st = rc == STORE_LIMIT ? 413 : rc != STORE_OK ? 500 : 0;
  }
  if (!st && desk_wants_json(c)) {
    cJSON *doc = cJSON_CreateObject();
    buf b = {0};
    time_iso(&b, c->now);
    cJSON_AddStringToObject(doc, "saved_at", buf_str(&b));
    buf_reset(&b);
    tz_show(c->app->zone, c->now, &b);
    char shown[160];
    snprintf(shown, sizeof shown, ctx_text(c, "admin_article_autosaved"), buf_str(&b));
    cJSON_AddStringToObject(doc, "saved_display", shown);
    desk_count(c, doc, json_str(fields, "body"));
    st = view_json(c, 200, "application/json", doc);
    cJSON_Delete(doc);
    buf_free(&b);
  } else if (!st) {
    buf to = {0};
    desk_editor_url(&to, id);
    buf_puts(&to, "?draft=1");
    st = admin_redirect(c, buf_str(&to));
    buf_free(&to);
  }
  cJSON_Delete(fields);
  article_form_free(&f);
  return st;
}

/* POST /admin/autosave/discard: article. */
int admin_autosave_discard(ctx *c) {
  long id;
  article_form f = {0};
  int st = desk_article_field(c, &id) != 0 ? 400 : id ? desk_open(c, id, &f, 0) : 0;
  article_form_free(&f);
  if (st) return st;
  if (autosave_drop(c->db, c->user.id, id) != STORE_OK) return 500;
  buf to = {0};
  desk_editor_url(&to, id);
  buf_puts(&to, "?discarded=1");
  st = admin_redirect(c, buf_str(&to));
  buf_free(&to);
  return st;
}

/* Replaces the tags of the article record a with those of the
** comma-separated list, as {slug, name}. */
static void desk_preview_tags(cJSON *a, const char *list) {
  cJSON *tags = cJSON_CreateArray();
  buf name = {0}, slug = {0};
  while (*list) {
    size_t n = strcspn(list, ",");
    const char *s = list, *e = list + n;
    while (s < e && (*s == ' ' || *s == '\t')) s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
    buf_reset(&name);
    buf_reset(&slug);
    buf_append(&name, s, (size_t)(e - s));
    slug_make(&slug, buf_str(&name), ARTICLE_SLUG_MAX);
    if (slug.len && cJSON_GetArraySize(tags) < ARTICLE_TAGS_MAX) {
      cJSON *t = cJSON_CreateObject();
      cJSON_AddStringToObject(t, "slug", buf_str(&slug));
      cJSON_AddStringToObject(t, "name", buf_str(&name));
      cJSON_AddItemToArray(tags, t);
    }
    list += n + (list[n] == ',');
  }
  buf_free(&name);
  buf_free(&slug);
  json_put(a, "tags", tags);
}

/* Returns a new article record for an article never saved, by the
** signed-in user, as article_preview makes one. */
static cJSON *desk_blank_record(ctx *c) {
  cJSON *a = cJSON_CreateObject();
  cJSON_AddNumberToObject(a, "id", 0);
  cJSON_AddStringToObject(a, "slug", "");
  cJSON_AddNumberToObject(a, "published_at", (double)c->now);
  cJSON_AddNumberToObject(a, "updated_at", (double)c->now);
  cJSON_AddNumberToObject(a, "created_at", (double)c->now);
  cJSON_AddNumberToObject(a, "comment_count", 0);
  cJSON_AddNumberToObject(a, "rating_count", 0);
  cJSON_AddNumberToObject(a, "rating_sum", 0);
  cJSON *au = cJSON_AddObjectToObject(a, "author");
  cJSON_AddStringToObject(au, "username", c->user.username);
  cJSON_AddStringToObject(au, "name", c->user.name);
  cJSON_AddStringToObject(au, "bio", "");
  cJSON *list = cJSON_AddArrayToObject(a, "authors");
  cJSON *one = cJSON_CreateObject();
  cJSON_AddStringToObject(one, "username", c->user.username);
  cJSON_AddStringToObject(one, "name", c->user.name);
  cJSON_AddItemToArray(list, one);
  cJSON_AddArrayToObject(a, "related");
  cJSON_AddArrayToObject(a, "tags");
  cJSON_AddFalseToObject(a, "comments_closed");
  return a;
}

/* Puts what the form f holds over the article record a: title, summary,
** language, text (rendered as it will be published), tags, section,
** featured picture. Returns 0 or -1. */
static int desk_preview_apply(ctx *c, cJSON *a, const article_form *f) {
  body_pictures bp;
  char *html = desk_render(c, f, &bp);
  if (!html) return -1;
  static const char *const keys[] = {"title", "summary", "lang", "body_html"};
  const char *vals[] = {buf_str(&f->title), buf_str(&f->summary), buf_str(&f->lang), html};
  for (int i = 0; i < 4; i++) {
    cJSON_DeleteItemFromObjectCaseSensitive(a, keys[i]);
    cJSON_AddStringToObject(a, keys[i], vals[i]);
  }
  free(html);
  cJSON_DeleteItemFromObjectCaseSensitive(a, "dir");
  cJSON_AddStringToObject(a, "dir", app_dir(c->app, buf_str(&f->lang)));
  cJSON_DeleteItemFromObjectCaseSensitive(a, "featured");
  cJSON_AddBoolToObject(a, "featured", f->featured);
  desk_preview_tags(a, buf_str(&f->tags));
  cJSON *cat = NULL;
  if (f->category_id && taxon_get(c->db, TAXON_CATEGORIES, f->category_id, &cat) == STORE_OK)
    json_put(a, "category", cat);
  else if (!cJSON_GetObjectItemCaseSensitive(a, "category"))
    cJSON_AddObjectToObject(a, "category");
  cJSON *pic = NULL;
  if (f->image_id && media_picture(c->db, f->image_id, &pic) == STORE_OK)
    json_put(a, "image", pic);
  else
    cJSON_DeleteItemFromObjectCaseSensitive(a, "image");
  return 0;
}

/* GET /admin/autosave/preview?article=ID: the user's autosave of the
** article (or the stored article when there is none) through the readers'
** template, which the editor shows in a frame beside the text. */
int admin_autosave_preview(ctx *c) {
  long id = 0;
  article_form f = {0};
  autosave as = {0};
  cJSON *a = NULL;
  int st = request_query_int(&c->req, "article", 0, 0, 1L << 53, &id) != 0 ? 400 : 0;
  if (!st && id) st = desk_open(c, id, &f, 0);
  int rc = st ? STORE_OK : autosave_get(c->db, c->user.id, id, &as);
  if (rc == STORE_ERROR) st = 500;
  if (!st && id && article_preview(c->db, c->now, id, &a) != STORE_OK) st = 500;
  if (!st && !id) a = desk_blank_record(c);
  if (!st && rc == STORE_OK) {
    desk_fields_into(c, as.fields, &f);
    if (desk_preview_apply(c, a, &f) != 0) st = 500;
  }
  if (!st) {
    present_article(c->app, a);
    present_article_pictures(a);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "article", a);
    a = NULL;
    cJSON_AddTrueToObject(doc, "preview");
    admin_preview_forms(doc, json_str(cJSON_GetObjectItem(doc, "article"), "url"));
    const cJSON *art = cJSON_GetObjectItem(doc, "article");
    page_meta meta = {.kind = "article", .title = json_str(art, "title"),
                      .description = json_str(art, "summary"),
                      .nav_current = json_str(cJSON_GetObjectItem(art, "category"), "slug")};
    response_header(&c->res, "X-Robots-Tag", "noindex");
    c->res.frame_self = 1;
    st = view_page(c, "article", doc, &meta, 200);
    cJSON_Delete(doc);
  }
  cJSON_Delete(a);
  cJSON_Delete(as.fields);
  article_form_free(&f);
  return st;
}
