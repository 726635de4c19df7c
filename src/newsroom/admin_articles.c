/*
** admin_articles.c: the article screens of the newsroom.
**
**   GET  /admin/articles                       the list: ?status= &category=
**                                              &author= &q= &page=
**   GET  /admin/articles/new                   the editor, empty
**   POST /admin/articles                       create (or preview)
**   GET  /admin/articles/{id}/edit             the editor
**   POST /admin/articles/{id}                  save (or preview)
**   GET  /admin/articles/{id}/preview          the article as readers will see it
**   GET  /admin/articles/{id}/revisions        its saved revisions
**   GET  /admin/articles/{id}/revisions/{rid}  a revision against the current text
**   POST /admin/articles/{id}/revisions/{rid}/restore
**   POST /admin/articles/{id}/delete           (editors)
**
** Authors write their own articles and may only keep them as drafts or
** submit them for review; once an article is scheduled or published only
** editors and admins change it. Editors and admins may do anything.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_site.h"
#include "auth.h"
#include "escape.h"
#include "i18n.h"
#include "diff.h"
#include "picture.h"
#include "present.h"
#include "request.h"
#include "store.h"
#include "store_admin_article.h"
#include "store_media.h"
#include "store_autosave.h"
#include "store_newsroom.h"
#include "timefmt.h"
#include "tz.h"
#include "utf8.h"
#include "view.h"
#include "json.h"
#include "desk.h"

enum { LIST_PER_PAGE = 20, QUERY_MAX = 200 };

static const char *const STATUSES[] = {"draft", "pending", "scheduled", "published"};
static const char *const STATUS_LABELS[] = {
    "admin_article_status_draft", "admin_article_status_pending",
    "admin_article_status_scheduled", "admin_article_status_published"};

/* Returns the index of status s in STATUSES, or -1. */
static int status_index(const char *s) {
  for (int i = 0; i < 4; i++)
    if (strcmp(s, STATUSES[i]) == 0) return i;
  return -1;
}

/* Returns the interface text for key. */
static const char *tr(const ctx *c, const char *key) { return ctx_text(c, key); }

/* Reads query parameter key as a number (absent or empty: 0) into *out.
** Returns 0, or -1 when it is not a number up to 2^53. */
static int query_long(ctx *c, const char *key, long *out) {
  buf v = {0};
  int rc = request_query(&c->req, key, &v);
  *out = rc == 1 && v.len ? form_id(buf_str(&v)) : 0;
  rc = rc < 0 || (v.len && *out == 0 && strcmp(buf_str(&v), "0") != 0) ? -1 : 0;
  buf_free(&v);
  return rc;
}

/* Returns 1 when the signed-in user may change the article in f. */
static int may_edit(const ctx *c, const article_form *f) {
  if (c->user.role >= ROLE_EDITOR) return 1;
  return f->author_id == c->user.id && (strcmp(f->saved_status, "draft") == 0 ||
                                        strcmp(f->saved_status, "pending") == 0);
}

/* Loads the article named by route parameter 0 into f (zeroed) when the
** user may see it (editable set: change it). Returns 0, or the status to
** answer: 404, 403 or 500. */
static int article_open(ctx *c, article_form *f, int editable) {
  int rc = admin_article_load(c->db, c->now, ctx_id(c, 0), f);
  int allowed = rc == 0 && (editable ? may_edit(c, f)
                                     : c->user.role >= ROLE_EDITOR || f->author_id == c->user.id);
  if (rc == 0 && allowed) return 0;
  return rc > 0 ? 404 : rc < 0 ? 500 : 403;
}

/* ---- the list ----------------------------------------------------------- */

/* The list's columns that sort it, in ADMIN_SORT_ order, with their
** query names and header strings. */
static const char *const SORTS[ADMIN_SORT_COUNT][2] = {
    {"updated", "admin_col_updated"}, {"title", "admin_col_title"},
    {"status", "admin_col_status"},   {"author", "admin_col_author"},
    {"category", "admin_col_category"}, {"when", "admin_col_when"},
};

/* Appends the list's address with the filters of f and page to out. */
static void list_url(buf *out, const admin_filter *f, long page) {
  buf_puts(out, "/admin/articles?");
  if (f->sort || f->ascending)
    buf_printf(out, "sort=%s&dir=%s&", SORTS[f->sort][0], f->ascending ? "asc" : "desc");
  if (f->status) buf_printf(out, "status=%s&", f->status);
  if (f->category_id) buf_printf(out, "category=%ld&", f->category_id);
  if (f->author_id) buf_printf(out, "author=%ld&", f->author_id);
  if (f->q && *f->q) {
    buf_puts(out, "q=");
    escape_url(out, f->q, strlen(f->q));
    buf_putc(out, '&');
  }
  buf_printf(out, "page=%ld", page);
}

/* Adds {page, total_pages, prev_url, next_url} as "pagination" to doc. */
static void list_pages(cJSON *doc, const admin_filter *f) {
  long pages = f->total ? (f->total + f->per_page - 1) / f->per_page : 1;
  cJSON *p = cJSON_AddObjectToObject(doc, "pagination");
  cJSON_AddNumberToObject(p, "page", (double)f->page);
  cJSON_AddNumberToObject(p, "total_pages", (double)pages);
  buf b = {0};
  if (f->page > 1) {
    list_url(&b, f, f->page - 1);
    cJSON_AddStringToObject(p, "prev_url", buf_str(&b));
    buf_reset(&b);
  }
  if (f->page < pages) {
    list_url(&b, f, f->page + 1);
    cJSON_AddStringToObject(p, "next_url", buf_str(&b));
  }
  buf_free(&b);
}

/* Marks the choice whose id is selected in the array of {id, name}. */
static void choices_mark(cJSON *list, long selected) {
  cJSON *o;
  cJSON_ArrayForEach(o, list) {
    cJSON_AddBoolToObject(o, "selected",
                          (long)json_num(o, "id") == selected);
  }
}

/* Adds to doc the filter form's state: {q, statuses, categories,
** authors}. Returns 0 or -1. */
static int list_filters(ctx *c, cJSON *doc, const admin_filter *f) {
  cJSON *fo = cJSON_AddObjectToObject(doc, "filter");
  cJSON_AddStringToObject(fo, "q", f->q ? f->q : "");
  cJSON *st = cJSON_AddArrayToObject(fo, "statuses");
  for (int i = 0; i < 4; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", STATUSES[i]);
    cJSON_AddStringToObject(o, "label", tr(c, STATUS_LABELS[i]));
    cJSON_AddBoolToObject(o, "selected", f->status && strcmp(f->status, STATUSES[i]) == 0);
    cJSON_AddItemToArray(st, o);
  }
  cJSON *cats = cJSON_AddArrayToObject(fo, "categories");
  cJSON *users = c->user.role >= ROLE_EDITOR ? cJSON_AddArrayToObject(fo, "authors") : NULL;
  if (admin_article_choices(c->db, cats, users) != 0) return -1;
  site_category_labels(cats);
  choices_mark(cats, f->category_id);
  if (users) choices_mark(users, f->author_id);
  return 0;
}

/* Appends t to out as the newsroom shows times, in the site's zone:
** "2026-11-27 09:30 CET". */
static void admin_time(const ctx *c, buf *out, long long t) {
  tz_show(c->app->zone, (time_t)t, out);
}

/* Adds to each listed article what the screen shows (its time of change
** and public address) and what the signed-in user may do with it: its
** status_label, and edit_url (the editor, or the preview when the user
** may not change it). */
static void list_actions(ctx *c, cJSON *rows) {
  cJSON *r;
  char url[64];
  buf b = {0};
  cJSON_ArrayForEach(r, rows) {
    admin_time(c, &b, (long long)json_num(r, "updated_at"));
    cJSON_AddStringToObject(r, "updated_display", buf_str(&b));
    buf_reset(&b);
    if (json_num(r, "published_at") > 0) {
      admin_time(c, &b, (long long)json_num(r, "published_at"));
      cJSON_AddStringToObject(r, "when_display", buf_str(&b));
      buf_reset(&b);
    }
    escape_path(&b, "/articles/", json_str(r, "slug"));
    cJSON_AddStringToObject(r, "url", buf_str(&b));
    buf_reset(&b);
    long id = (long)json_num(r, "id");
    const char *status = json_str(r, "status");
    const char *key = json_str(r, "status_key");
    int own = (long)json_num(r, "author_id") == c->user.id;
    int edit = c->user.role >= ROLE_EDITOR ||
               (own && (strcmp(status, "draft") == 0 || strcmp(status, "pending") == 0));
    int i = status_index(key);
    cJSON_AddStringToObject(r, "status_label", tr(c, STATUS_LABELS[i < 0 ? 0 : i]));
    snprintf(url, sizeof url, "/admin/articles/%ld/%s", id, edit ? "edit" : "preview");
    cJSON_AddStringToObject(r, "edit_url", url);
  }
  buf_free(&b);
}

/* Reads ?sort= and ?dir= into f. Returns 0, or -1 when one is not a
** column or a direction. */
static int list_sort(ctx *c, admin_filter *f) {
  buf v = {0};
  int rc = request_query(&c->req, "sort", &v), bad = rc < 0;
  if (rc == 1 && v.len) {
    f->sort = -1;
    for (int i = 0; i < ADMIN_SORT_COUNT; i++)
      if (strcmp(buf_str(&v), SORTS[i][0]) == 0) f->sort = i;
    bad |= f->sort < 0;
  }
  buf_reset(&v);
  rc = request_query(&c->req, "dir", &v);
  bad |= rc < 0 || (v.len && strcmp(buf_str(&v), "asc") != 0 && strcmp(buf_str(&v), "desc") != 0);
  f->ascending = strcmp(buf_str(&v), "asc") == 0;
  buf_free(&v);
  if (f->sort < 0) f->sort = 0;
  return bad ? -1 : 0;
}

/* Adds the sorting headers to doc: "columns" [{key, label, url, current,
** aria_sort ("ascending", "descending" or "none")}], each url sorting by
** its column (the other way when it is the current one), and the
** addresses of this page (here_url) and of it with every box ticked. */
static void list_columns(ctx *c, cJSON *doc, const admin_filter *f) {
  cJSON *cols = cJSON_AddArrayToObject(doc, "columns");
  static const int order[] = {ADMIN_SORT_TITLE, ADMIN_SORT_STATUS, ADMIN_SORT_AUTHOR,
                              ADMIN_SORT_CATEGORY, ADMIN_SORT_WHEN, ADMIN_SORT_UPDATED};
  buf b = {0};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    int k = order[i], cur = f->sort == k;
    admin_filter g = *f;
    g.sort = k;
    /* Titles, authors and sections read best A to Z first; times newest. */
    int text = k != ADMIN_SORT_UPDATED && k != ADMIN_SORT_WHEN;
    g.ascending = cur ? !f->ascending : text;
    buf_reset(&b);
    list_url(&b, &g, 1);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "key", SORTS[k][0]);
    cJSON_AddStringToObject(o, "label", tr(c, SORTS[k][1]));
    cJSON_AddStringToObject(o, "url", buf_str(&b));
    cJSON_AddBoolToObject(o, "current", cur);
    cJSON_AddStringToObject(o, "aria_sort", !cur ? "none" : f->ascending ? "ascending" : "descending");
    cJSON_AddItemToArray(cols, o);
  }
  buf_reset(&b);
  list_url(&b, f, f->page);
  buf_puts(&b, "&select=all");
  cJSON_AddStringToObject(doc, "select_all_url", buf_str(&b));
  buf_reset(&b);
  list_url(&b, f, f->page);
  cJSON_AddStringToObject(doc, "here_url", buf_str(&b));
  buf_free(&b);
}

/* Reads the list's filters from the query into f (status and q point
** into the bufs). Returns 0, or -1 when one is malformed. */
static int list_read(ctx *c, admin_filter *f, buf *status, buf *q) {
  if (list_sort(c, f) != 0) return -1;
  if (query_long(c, "category", &f->category_id) != 0 ||
      query_long(c, "author", &f->author_id) != 0 || query_long(c, "page", &f->page) != 0 ||
      request_query(&c->req, "status", status) < 0 || request_query(&c->req, "q", q) < 0 ||
      q->len > QUERY_MAX || f->page > 100000)
    return -1;
  if (f->page < 1) f->page = 1;
  if (status_index(buf_str(status)) >= 0) f->status = buf_str(status);
  f->q = buf_str(q);
  f->per_page = LIST_PER_PAGE;
  if (c->user.role < ROLE_EDITOR) {
    f->owner = c->user.id;
    f->author_id = 0;
  }
  return 0;
}

/* GET /admin/articles */
int admin_articles_list(ctx *c) {
  admin_filter f = {0};
  buf status = {0}, q = {0}, note = {0};
  cJSON *doc = cJSON_CreateObject();
  cJSON *rows = cJSON_AddArrayToObject(doc, "articles");
  int st = 0;
  if (list_read(c, &f, &status, &q) != 0 || desk_bulk_note(c, doc) != 0) {
    st = 400;
  } else if (admin_article_list(c->db, c->now, &f, rows) != 0 || list_filters(c, doc, &f) != 0 ||
             desk_bulk_choices(c, doc) != 0) {
    st = 500;
  } else {
    list_actions(c, rows);
    list_pages(doc, &f);
    list_columns(c, doc, &f);
    buf sel = {0};
    cJSON_AddBoolToObject(doc, "all_checked", request_query(&c->req, "select", &sel) == 1 &&
                                                  strcmp(buf_str(&sel), "all") == 0);
    buf_free(&sel);
    cJSON_AddNumberToObject(doc, "total", (double)f.total);
    cJSON_AddBoolToObject(doc, "has_articles", cJSON_GetArraySize(rows) > 0);
    if (request_query(&c->req, "deleted", &note) == 1)
      cJSON_AddStringToObject(doc, "note", tr(c, "admin_article_deleted"));
    st = admin_render(c, "admin_articles", doc, tr(c, "admin_articles"), 200);
  }
  cJSON_Delete(doc);
  buf_free(&status);
  buf_free(&q);
  buf_free(&note);
  return st;
}

/* ---- the editor's form -------------------------------------------------- */

/* Adds the form's choices: statuses (only draft and pending for authors),
** languages and categories, each marked selected as in f. Returns 0 or
** -1. */
static int form_choices(ctx *c, cJSON *fo, const article_form *f) {
  cJSON *st = cJSON_AddArrayToObject(fo, "statuses");
  int n = c->user.role >= ROLE_EDITOR ? 4 : 2;
  for (int i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", STATUSES[i]);
    const char *label = i == 1 ? "admin_article_status_submit" : STATUS_LABELS[i];
    cJSON_AddStringToObject(o, "label", tr(c, label));
    cJSON_AddBoolToObject(o, "selected", strcmp(buf_str(&f->status), STATUSES[i]) == 0);
    cJSON_AddItemToArray(st, o);
  }
  cJSON *langs = cJSON_AddArrayToObject(fo, "langs");
  for (int i = 0; i < i18n_count(c->app->langs); i++) {
    const catalog *k = i18n_at(c->app->langs, i);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", k->code);
    cJSON_AddStringToObject(o, "label", k->name);
    cJSON_AddBoolToObject(o, "selected", strcmp(buf_str(&f->lang), k->code) == 0);
    cJSON_AddItemToArray(langs, o);
  }
  cJSON *cats = cJSON_AddArrayToObject(fo, "categories");
  if (admin_article_choices(c->db, cats, NULL) != 0) return -1;
  site_category_labels(cats);
  choices_mark(cats, f->category_id);
  return 0;
}

/* Adds the links of a stored article: preview, revisions, its public
** page when readers see it, and whether the user may delete it. */
static void form_links(ctx *c, cJSON *fo, const article_form *f) {
  buf b = {0};
  buf_printf(&b, "/admin/articles/%ld", f->id);
  cJSON_AddStringToObject(fo, "action", buf_str(&b));
  buf_puts(&b, "/preview");
  cJSON_AddStringToObject(fo, "preview_url", buf_str(&b));
  buf_reset(&b);
  buf_printf(&b, "/admin/articles/%ld/revisions", f->id);
  cJSON_AddStringToObject(fo, "revisions_url", buf_str(&b));
  buf_reset(&b);
  buf_printf(&b, "/admin/articles/%ld/delete", f->id);
  cJSON_AddStringToObject(fo, "delete_url", buf_str(&b));
  buf_reset(&b);
  if (f->saved_live) {
    escape_path(&b, "/articles/", buf_str(&f->saved_slug));
    cJSON_AddStringToObject(fo, "public_url", buf_str(&b));
  }
  cJSON_AddBoolToObject(fo, "can_delete", c->user.role >= ROLE_EDITOR);
  buf_free(&b);
}

/* Adds the featured picture's choices (the pictures with alt text, the
** chosen one first) and its thumbnail, and the pictures the text may
** show. Returns 0 or -1. */
static int form_pictures(ctx *c, cJSON *fo, const article_form *f) {
  cJSON *list = cJSON_AddArrayToObject(fo, "pictures"), *o;
  if (media_choices(c->db, f->image_id, 100, list) != STORE_OK) return -1;
  cJSON_ArrayForEach(o, list) { cJSON_AddBoolToObject(o, "selected", json_long(o, "id") == f->image_id); }
  cJSON *rec = NULL;
  if (f->image_id && media_picture(c->db, f->image_id, &rec) == STORE_OK) {
    static const picture_opts thumb = {.sizes = "12rem", .max_width = 320, .cls = "media-thumb"};
    buf html = {0};
    if (picture_html(&html, rec, &thumb) == 0) {
      cJSON *im = cJSON_AddObjectToObject(fo, "image");
      cJSON_AddStringToObject(im, "html", buf_str(&html));
      cJSON_AddStringToObject(im, "alt", json_str(rec, "alt"));
      cJSON_AddStringToObject(im, "caption", json_str(rec, "caption"));
      char url[48];
      snprintf(url, sizeof url, "/admin/media/%ld", f->image_id);
      cJSON_AddStringToObject(im, "edit_url", url);
    }
    buf_free(&html);
  }
  cJSON_Delete(rec);
  cJSON_AddNumberToObject(fo, "upload_max_bytes", (double)c->app->upload_max_bytes);
  return 0;
}

/* Renders the editor for f with status. errors (taken over; may be NULL)
** lists {field, message}; preview (may be NULL) is rendered Markdown to
** show under the form, with warning (may be NULL) above it; note (may be
** NULL) is a message; the members of extra (taken over; may be NULL) are
** added to the form's object. Returns the status answered. */
static int form_show_full(ctx *c, const article_form *f, cJSON *errors, const char *preview,
                          const char *warning, const char *note, cJSON *extra, int status);

/* form_show_full without a warning or extras. */
static int form_show(ctx *c, const article_form *f, cJSON *errors, const char *preview,
                     const char *note, int status) {
  return form_show_full(c, f, errors, preview, NULL, note, NULL, status);
}

static int form_show_full(ctx *c, const article_form *f, cJSON *errors, const char *preview,
                          const char *warning, const char *note, cJSON *extra, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *fo = cJSON_AddObjectToObject(doc, "form");
  if (extra) {
    cJSON *x;
    while ((x = extra->child) != NULL)
      cJSON_AddItemToObject(fo, x->string, cJSON_DetachItemViaPointer(extra, x));
    cJSON_Delete(extra);
  }
  const struct { const char *key; const buf *b; } text[] = {
      {"title", &f->title}, {"slug", &f->slug}, {"summary", &f->summary},
      {"body", &f->body}, {"tags", &f->tags}, {"when", &f->when}, {"lang", &f->lang}};
  for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
    cJSON_AddStringToObject(fo, text[i].key, buf_str(text[i].b));
  cJSON_AddStringToObject(fo, "dir", app_dir(c->app, buf_str(&f->lang)));
  cJSON_AddBoolToObject(fo, "featured", f->featured);
  cJSON_AddBoolToObject(fo, "html", f->html);
  cJSON_AddNumberToObject(fo, "id", (double)f->id);
  if (f->id) form_links(c, fo, f);
  else cJSON_AddStringToObject(fo, "action", "/admin/articles");
  if (errors) cJSON_AddItemToObject(fo, "errors", errors);
  cJSON_AddBoolToObject(fo, "has_errors", errors != NULL);
  if (preview) cJSON_AddStringToObject(fo, "preview_html", preview);
  if (warning) cJSON_AddStringToObject(fo, "preview_warning", warning);
  if (note) cJSON_AddStringToObject(fo, "note", note);
  int st = form_choices(c, fo, f) != 0 || form_pictures(c, fo, f) != 0 ||
                   desk_form(c, fo, f) != 0
               ? 500
               : admin_render(c, "admin_article_edit", doc,
                              tr(c, f->id ? "admin_article_edit_article" : "admin_new_article"),
                              status);
  cJSON_Delete(doc);
  return st;
}

/* Removes every \r that comes before a \n in b. */
static void text_unix(buf *b) {
  size_t w = 0;
  for (size_t r = 0; r < b->len; r++)
    if (!(b->data[r] == '\r' && r + 1 < b->len && b->data[r + 1] == '\n'))
      b->data[w++] = b->data[r];
  b->len = w;
  if (b->data) b->data[w] = 0;
}

/* Removes spaces, tabs and line breaks at both ends of b. */
static void text_trim(buf *b) {
  size_t s = 0, e = b->len;
  while (s < e && strchr(" \t\r\n", b->data[s])) s++;
  while (e > s && strchr(" \t\r\n", b->data[e - 1])) e--;
  if (s) memmove(b->data, b->data + s, e - s);
  b->len = e - s;
  if (b->data) b->data[b->len] = 0;
}

/* Reads the editor's posted fields into f. Returns 0, or -1 when one is
** malformed (not UTF-8). */
static int form_read(ctx *c, article_form *f) {
  buf *text[] = {&f->title, &f->slug, &f->summary, &f->body, &f->tags,
                 &f->lang, &f->status, &f->when};
  static const char *const keys[] = {"title", "slug", "summary", "body", "tags",
                                     "lang", "status", "when"};
  buf v = {0};
  int bad = 0;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    buf_reset(text[i]);
    bad |= request_form(&c->req, keys[i], text[i]) < 0;
    if (i != 3) text_trim(text[i]);
  }
  text_unix(&f->body);
  text_unix(&f->summary);
  f->dir = app_dir(c->app, buf_str(&f->lang));
  bad |= request_form(&c->req, "category", &v) < 0;
  f->category_id = form_id(buf_str(&v));
  buf_reset(&v);
  bad |= request_form(&c->req, "image", &v) < 0;
  f->image_id = form_id(buf_str(&v));
  buf_reset(&v);
  bad |= request_form(&c->req, "featured", &v) < 0;
  /* Featuring on the home page is an editor's call; an author's form keeps
  ** what was stored. */
  if (c->user.role >= ROLE_EDITOR) f->featured = v.len > 0;
  buf_free(&v);
  bad |= desk_form_read(c, f) != 0;
  return bad ? -1 : 0;
}

/* Adds the error {field, message (the text for key)} to errors. */
static void error_add(ctx *c, cJSON *errors, const char *field, const char *key) {
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "field", field);
  cJSON_AddStringToObject(e, "message", tr(c, key));
  cJSON_AddItemToArray(errors, e);
}

/* Checks the comma-separated tags: how many and how long. Returns the
** i18n key of the problem, or NULL. */
static const char *tags_check(const char *p) {
  int n = 0;
  while (*p) {
    size_t len = strcspn(p, ",");
    const char *s = p, *e = p + len;
    while (s < e && (*s == ' ' || *s == '\t')) s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
    if (e > s && ++n > ARTICLE_TAGS_MAX) return "admin_article_err_tags_many";
    if (utf8_length(s, (size_t)(e - s)) > ARTICLE_TAG_MAX) return "admin_article_err_tag_long";
    p += len + (p[len] == ',');
  }
  return NULL;
}

/* Returns 1 when category id exists. */
static int category_exists(ctx *c, long id) {
  cJSON *cats = cJSON_CreateArray(), *o;
  int found = 0;
  if (id && admin_article_choices(c->db, cats, NULL) == 0) {
    cJSON_ArrayForEach(o, cats) {
      found |= (long)json_num(o, "id") == id;
    }
  }
  cJSON_Delete(cats);
  return found;
}

/* Parses the form's datetime-local value ("2026-11-27T08:30", seconds
** optional) as a wall time of the site's zone. Returns 0 and sets *t,
** TZ_BAD_TIME or TZ_GAP. */
static int when_parse(ctx *c, const char *s, time_t *t) {
  return tz_local_to_utc(c->app->zone, s, t);
}

/* Checks the schedule and sets f->published_at: a scheduled article's
** time must be in the future; publishing takes the time given when it has
** come (an editor correcting a publication time), else keeps a
** publication time that has come, else takes now; other statuses keep
** what was stored. */
static void form_schedule(ctx *c, article_form *f, cJSON *errors) {
  const char *status = buf_str(&f->status);
  time_t t = 0;
  int rc = f->when.len ? when_parse(c, buf_str(&f->when), &t) : TZ_BAD_TIME;
  f->published_at = f->saved_published_at;
  if (strcmp(status, "scheduled") == 0) {
    if (rc != 0)
      error_add(c, errors, "when", rc == TZ_GAP ? "admin_article_err_when_gap" : "admin_article_err_when");
    else if (t <= c->now)
      error_add(c, errors, "when", "admin_article_err_when_past");
    else
      f->published_at = (long long)t;
  } else if (strcmp(status, "published") == 0) {
    /* The stored time, shown to the minute, is not a correction. */
    int given = f->when.len && c->user.role >= ROLE_EDITOR &&
                !(rc == 0 && (long long)t / 60 == f->saved_published_at / 60);
    if (given && rc != 0)
      error_add(c, errors, "when", rc == TZ_GAP ? "admin_article_err_when_gap" : "admin_article_err_when");
    else if (given && t > c->now)
      error_add(c, errors, "when", "admin_article_err_when_future");
    else if (given)
      f->published_at = (long long)t;
    else if (f->saved_published_at <= 0 || f->saved_published_at > (long long)c->now)
      f->published_at = (long long)c->now;
  }
}

/* Checks the featured picture and the pictures of the text: each must be
** in the library, ready, and have alt text (the library's, or for one in
** the text, its own). */
static void form_check_pictures(ctx *c, const article_form *f, cJSON *errors) {
  cJSON *rec = NULL;
  if (f->image_id) {
    if (media_picture(c->db, f->image_id, &rec) != STORE_OK)
      error_add(c, errors, "image", "admin_article_err_image");
    else if (!*json_str(rec, "alt"))
      error_add(c, errors, "image", "admin_article_err_image_alt");
    cJSON_Delete(rec);
  }
  if (f->body.len > ARTICLE_BODY_MAX) return;
  body_pictures bp;
  char *html = body_render(c->db, buf_str(&f->body), f->body.len, &bp);
  free(html);
  if (bp.missing) error_add(c, errors, "body", "admin_article_err_picture_missing");
  if (bp.no_alt) error_add(c, errors, "body", "admin_article_err_picture_alt");
  if (bp.too_many) error_add(c, errors, "body", "admin_article_err_pictures_many");
}

/* Checks f against the rules, adding {field, message} to errors. */
static void form_check(ctx *c, article_form *f, cJSON *errors) {
  size_t title = utf8_length(f->title.data ? f->title.data : "", f->title.len);
  const char *tags = tags_check(buf_str(&f->tags));
  if (title == 0) error_add(c, errors, "title", "admin_article_err_title");
  if (title > ARTICLE_TITLE_MAX) error_add(c, errors, "title", "admin_article_err_title_long");
  if (f->slug.len > ARTICLE_SLUG_MAX) error_add(c, errors, "slug", "admin_article_err_slug_long");
  if (utf8_length(buf_str(&f->summary), f->summary.len) > ARTICLE_SUMMARY_MAX)
    error_add(c, errors, "summary", "admin_article_err_summary_long");
  if (utf8_find_unsafe(buf_str(&f->title), f->title.len, 0) >= 0)
    error_add(c, errors, "title", "admin_article_err_title_chars");
  if (utf8_find_unsafe(buf_str(&f->summary), f->summary.len, 1) >= 0)
    error_add(c, errors, "summary", "admin_article_err_summary_chars");
  if (f->body.len > ARTICLE_BODY_MAX) error_add(c, errors, "body", "admin_article_err_body_long");
  if (!category_exists(c, f->category_id))
    error_add(c, errors, "category", "admin_article_err_category");
  if (!i18n_find(c->app->langs, buf_str(&f->lang)))
    error_add(c, errors, "lang", "admin_article_err_lang");
  if (status_index(buf_str(&f->status)) < 0)
    error_add(c, errors, "status", "admin_article_err_status");
  if (tags) error_add(c, errors, "tags", tags);
  form_schedule(c, f, errors);
  form_check_pictures(c, f, errors);
}

/* Returns 1 when the user may give the article the posted status: authors
** only keep drafts and submit for review. */
static int may_set_status(const ctx *c, const article_form *f) {
  const char *s = buf_str(&f->status);
  return c->user.role >= ROLE_EDITOR || strcmp(s, "draft") == 0 || strcmp(s, "pending") == 0;
}

/* Answers 303 to the editor of article id with the note ?what=1. Returns
** 303. */
static int form_done(ctx *c, long id, const char *what) {
  char url[96];
  snprintf(url, sizeof url, "/admin/articles/%ld/edit?%s=1", id, what);
  return admin_redirect(c, url);
}

/* Shows the form again after a save refused because someone else saved
** the article meanwhile: what was typed kept, the other's text against it
** and the version to save over theirs (409). Returns the status. */
static int form_conflict(ctx *c, article_form *f) {
  article_form theirs = {0};
  if (admin_article_load(c->db, c->now, f->id, &theirs) != 0) {
    article_form_free(&theirs);
    return 500;
  }
  cJSON *extra = desk_conflict(c, &theirs, f);
  f->version = theirs.version;
  article_form_free(&theirs);
  cJSON *errors = cJSON_CreateArray();
  error_add(c, errors, "version", "admin_article_err_conflict");
  return form_show_full(c, f, errors, NULL, NULL, NULL, extra, 409);
}

/* Checks the posted f and saves it (303 to the editor), or shows the form
** again with what was typed and the errors (400; 409 when another save
** came in between); refused says the sanitizer refused its HTML body.
** Returns the status. */
static int form_commit(ctx *c, article_form *f, int refused) {
  cJSON *errors = cJSON_CreateArray();
  long was = f->id;
  form_check(c, f, errors);
  if (refused) error_add(c, errors, "body", "admin_article_err_body_html");
  if (cJSON_GetArraySize(errors) > 0) return form_show(c, f, errors, NULL, NULL, 400);
  cJSON_Delete(errors);
  int rc = admin_article_save(c->db, c->now, c->user.id, f);
  if (rc == STORE_CONFLICT) return form_conflict(c, f);
  if (rc != STORE_OK) return 500;
  autosave_drop(c->db, c->user.id, was);
  return form_done(c, f->id, "saved");
}

/* Handles a posted editor form over f (new, or loaded as stored): shows
** the preview, or checks and saves and answers 303 to the editor. Returns
** the status answered. */
static int form_submit(ctx *c, article_form *f) {
  buf action = {0};
  int bad = form_read(c, f) != 0 || request_form(&c->req, "action", &action) < 0;
  int preview = strcmp(buf_str(&action), "preview") == 0;
  buf_free(&action);
  if (bad) return 400;
  int long_body = f->body.len > ARTICLE_BODY_MAX;
  int refused = f->html && !long_body && admin_html_clean(c, &f->body) != 0;
  if (preview && (long_body || refused)) {
    cJSON *errors = cJSON_CreateArray();
    error_add(c, errors, "body", refused ? "admin_article_err_body_html" : "admin_article_err_body_long");
    return form_show(c, f, errors, NULL, NULL, 400);
  }
  /* The preview is the autosave's, reached by a GET: a reload of it
  ** sends no form again. */
  if (preview) return desk_preview_redirect(c, f);
  if (!may_set_status(c, f)) return view_error(c, 403, tr(c, "admin_article_err_may_not_publish"));
  return form_commit(c, f, refused);
}

/* GET /admin/articles/new (?draft=1: with the user's autosave) */
int admin_articles_new(ctx *c) {
  article_form f = {0};
  buf_puts(&f.lang, c->app->lang);
  buf_puts(&f.status, "draft");
  cJSON *extra = NULL;
  int st = desk_draft(c, &f, &extra);
  if (st == 0) st = form_show_full(c, &f, NULL, NULL, NULL, NULL, extra, 200);
  article_form_free(&f);
  return st;
}

/* POST /admin/articles */
int admin_articles_create(ctx *c) {
  article_form f = {0};
  int st = form_submit(c, &f);
  article_form_free(&f);
  return st;
}

/* Sets the status the editor shows for a stored article: a scheduled one
** whose time has come is published, a published one still to come is
** scheduled; its publication time goes in the when field, in the site's
** zone, as the form writes it. */
static void form_status_shown(const ctx *c, article_form *f) {
  const char *s = f->saved_status;
  int pub = strcmp(s, "published") == 0, sched = strcmp(s, "scheduled") == 0;
  if (!pub && !sched) return;
  int live = f->saved_live;
  buf_reset(&f->status);
  buf_puts(&f->status, live ? "published" : "scheduled");
  if (f->saved_published_at > 0) {
    buf_reset(&f->when);
    tz_field(c->app->zone, (time_t)f->saved_published_at, &f->when);
  }
}

/* GET /admin/articles/{id}/edit */
int admin_articles_edit(ctx *c) {
  article_form f = {0};
  int st = article_open(c, &f, 1);
  if (st == 0) {
    buf v = {0};
    const char *note = NULL;
    if (request_query(&c->req, "saved", &v) == 1) note = tr(c, "admin_article_saved");
    if (request_query(&c->req, "restored", &v) == 1) note = tr(c, "admin_article_restored");
    buf_free(&v);
    form_status_shown(c, &f);
    cJSON *extra = NULL;
    st = desk_draft(c, &f, &extra);
    if (st == 0) st = form_show_full(c, &f, NULL, NULL, NULL, note, extra, 200);
  }
  article_form_free(&f);
  return st;
}

/* POST /admin/articles/{id} */
int admin_articles_save(ctx *c) {
  article_form f = {0};
  int st = article_open(c, &f, 1);
  if (st == 0) st = form_submit(c, &f);
  article_form_free(&f);
  return st;
}

/* POST /admin/articles/{id}/delete */
int admin_articles_delete(ctx *c) {
  int rc = admin_article_delete(c->db, ctx_id(c, 0));
  if (rc == 0) return admin_redirect(c, "/admin/articles?deleted=1");
  return rc > 0 ? 404 : 500;
}

/* ---- preview ------------------------------------------------------------ */

/* Adds the rating and reply forms the article template shows (they only
** work once the article is visible to readers). */
void admin_preview_forms(cJSON *doc, const char *url) {
  buf b = {0};
  buf_printf(&b, "%s/rating", url);
  cJSON_AddStringToObject(cJSON_AddObjectToObject(doc, "rating_form"), "action", buf_str(&b));
  buf_reset(&b);
  buf_printf(&b, "%s/comments", url);
  cJSON *reply = cJSON_AddObjectToObject(doc, "comment_form");
  cJSON_AddStringToObject(reply, "action", buf_str(&b));
  cJSON_AddStringToObject(reply, "token", "");
  cJSON_AddNumberToObject(reply, "max_name", 100);
  cJSON_AddNumberToObject(reply, "max_email", 254);
  cJSON_AddNumberToObject(reply, "max_body", 5000);
  buf_free(&b);
}

/* GET /admin/articles/{id}/preview: the stored article through the
** readers' template, whatever its status. */
int admin_articles_preview(ctx *c) {
  article_form f = {0};
  cJSON *a = NULL;
  int st = article_open(c, &f, 0);
  int rc = st == 0 ? article_preview(c->db, c->now, f.id, &a) : STORE_OK;
  if (rc != STORE_OK) st = rc > 0 ? 404 : 500;
  if (st == 0) {
    present_article(c->app, a);
    present_article_pictures(a);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "article", a);
    cJSON_AddTrueToObject(doc, "preview"); /* no live widgets */
    admin_preview_forms(doc, json_str(a, "url"));
    const cJSON *cat = cJSON_GetObjectItem(a, "category");
    page_meta meta = {.kind = "article",
                      .title = json_str(a, "title"),
                      .description = json_str(a, "summary"),
                      .nav_current = json_str(cat, "path")};
    response_header(&c->res, "X-Robots-Tag", "noindex");
    st = view_trail(c, doc, json_long(cat, "id"), 0) != 0 ? 500
                                                            : view_page(c, "article", doc, &meta, 200);
    cJSON_Delete(doc);
  }
  article_form_free(&f);
  return st;
}

/* ---- revisions ---------------------------------------------------------- */

/* Adds {id, title, edit_url, can_edit} of the article in f as "article". */
static void revision_article(ctx *c, cJSON *doc, const article_form *f) {
  char url[64];
  cJSON *a = cJSON_AddObjectToObject(doc, "article");
  cJSON_AddNumberToObject(a, "id", (double)f->id);
  cJSON_AddStringToObject(a, "title", buf_str(&f->title));
  snprintf(url, sizeof url, "/admin/articles/%ld/edit", f->id);
  cJSON_AddStringToObject(a, "edit_url", url);
  snprintf(url, sizeof url, "/admin/articles/%ld/revisions", f->id);
  cJSON_AddStringToObject(a, "revisions_url", url);
  cJSON_AddBoolToObject(a, "can_edit", may_edit(c, f));
}

/* GET /admin/articles/{id}/revisions */
int admin_articles_revisions(ctx *c) {
  article_form f = {0};
  int st = article_open(c, &f, 0);
  if (st == 0) {
    cJSON *doc = cJSON_CreateObject(), *r;
    cJSON *list = cJSON_AddArrayToObject(doc, "revisions");
    revision_article(c, doc, &f);
    if (admin_article_revisions(c->db, f.id, list) != 0) {
      st = 500;
    } else {
      char url[96];
      buf b = {0};
      cJSON_ArrayForEach(r, list) {
        snprintf(url, sizeof url, "/admin/articles/%ld/revisions/%ld", f.id,
                 (long)json_num(r, "id"));
        cJSON_AddStringToObject(r, "url", url);
        admin_time(c, &b, (long long)json_num(r, "created_at"));
        desk_revision_status(c, r);
        cJSON_AddStringToObject(r, "time", buf_str(&b));
        buf_reset(&b);
      }
      buf_free(&b);
      st = admin_render(c, "admin_article_revisions", doc, tr(c, "admin_article_revisions"), 200);
    }
    cJSON_Delete(doc);
  }
  article_form_free(&f);
  return st;
}

/* Adds the comparison of revision rev with the current text of f to doc:
** "diff" lines, or "side" {old, new} when the texts are too long. */
static void revision_compare(cJSON *doc, cJSON *rev, const article_form *f) {
  const char *old = json_str(rev, "body");
  cJSON *lines = cJSON_CreateArray();
  if (diff_lines(old, buf_str(&f->body), lines) == 0) {
    cJSON_AddItemToObject(doc, "diff", lines);
  } else {
    cJSON_Delete(lines);
    cJSON *side = cJSON_AddObjectToObject(doc, "side");
    cJSON_AddStringToObject(side, "old", old);
    cJSON_AddStringToObject(side, "new", buf_str(&f->body));
  }
  cJSON *cur = cJSON_AddObjectToObject(doc, "current");
  cJSON_AddStringToObject(cur, "title", buf_str(&f->title));
  cJSON_AddStringToObject(cur, "summary", buf_str(&f->summary));
  cJSON_AddBoolToObject(doc, "title_changed",
                        strcmp(json_str(rev, "title"), buf_str(&f->title)));
  cJSON_AddBoolToObject(doc, "summary_changed",
                        strcmp(json_str(rev, "summary"),
                               buf_str(&f->summary)));
}

/* Loads revision route parameter 1 of the article in f into *rev.
** Returns 0, or the status to answer (404 or 500). */
static int revision_open(ctx *c, const article_form *f, cJSON **rev) {
  int rc = admin_article_revision(c->db, f->id, ctx_id(c, 1), rev);
  return rc == 0 ? 0 : rc > 0 ? 404 : 500;
}

/* GET /admin/articles/{id}/revisions/{rid} */
int admin_articles_revision(ctx *c) {
  article_form f = {0};
  cJSON *rev = NULL;
  int st = article_open(c, &f, 0);
  if (st == 0) st = revision_open(c, &f, &rev);
  if (st == 0) {
    cJSON *doc = cJSON_CreateObject();
    char url[128];
    revision_article(c, doc, &f);
    revision_compare(doc, rev, &f);
    snprintf(url, sizeof url, "/admin/articles/%ld/revisions/%ld/restore", f.id,
             (long)json_num(rev, "id"));
    cJSON_AddStringToObject(rev, "restore_url", url);
    buf b = {0};
    admin_time(c, &b, (long long)json_num(rev, "created_at"));
    cJSON_AddStringToObject(rev, "time", buf_str(&b));
    buf_free(&b);
    cJSON_AddItemToObject(doc, "revision", rev);
    st = admin_render(c, "admin_article_revision", doc, tr(c, "admin_article_revision"), 200);
    cJSON_Delete(doc);
  }
  article_form_free(&f);
  return st;
}

/* POST /admin/articles/{id}/revisions/{rid}/restore: the revision's
** title, summary and body become current, saved as a new revision. */
int admin_articles_restore(ctx *c) {
  article_form f = {0};
  cJSON *rev = NULL;
  int st = article_open(c, &f, 1);
  if (st == 0) st = revision_open(c, &f, &rev);
  if (st == 0) {
    buf *to[] = {&f.title, &f.summary, &f.body};
    static const char *const from[] = {"title", "summary", "body"};
    for (int i = 0; i < 3; i++) {
      buf_reset(to[i]);
      buf_puts(to[i], json_str(rev, from[i]));
    }
    cJSON_Delete(rev);
    st = admin_article_save(c->db, c->now, c->user.id, &f) != 0 ? 500 : form_done(c, f.id, "restored");
  }
  article_form_free(&f);
  return st;
}
