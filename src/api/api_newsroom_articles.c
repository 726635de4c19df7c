/*
** api_newsroom_articles.c: articles over the API (see api_newsroom.h).
**
**   GET    /api/v1/newsroom/articles                 the newsroom's list
**   POST   /api/v1/newsroom/articles                 a new draft
**   GET    /api/v1/newsroom/articles/{id}            one article, with its ETag
**   PATCH  /api/v1/newsroom/articles/{id}            change the members sent (If-Match)
**   DELETE /api/v1/newsroom/articles/{id}            (editors)
**   POST   /api/v1/newsroom/articles/{id}/submit     for review
**   POST   /api/v1/newsroom/articles/{id}/publish    now (editors)
**   POST   /api/v1/newsroom/articles/{id}/schedule   at published_at (editors)
**   POST   /api/v1/newsroom/articles/{id}/unpublish  back to a draft (editors)
**   GET    /api/v1/newsroom/articles/{id}/revisions
**   POST   /api/v1/newsroom/articles/{id}/revisions/{rid}/restore  (If-Match)
**
** Every write goes through the newsroom's own store functions
** (admin_article_save_tx, admin_article_delete), so an article saved here
** is saved as the editor's form saves it: a unique slug, its tags, the
** rendered text with the library's pictures, a revision, a redirect from
** an old slug. The rules on what may be saved are the editor's too, with
** its messages. A change is checked against the If-Match and saved in one
** transaction, so that of two apps sending the same ETag only the first
** succeeds.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_newsroom.h"
#include "api_write.h"
#include "admin.h"
#include "escape.h"
#include "i18n.h"
#include "json.h"
#include "store.h"
#include "store_admin_article.h"
#include "store_api.h"
#include "store_media.h"
#include "timefmt.h"
#include "utf8.h"
#include "view.h"

enum { ARTICLES_PER_PAGE = 20 };

static const char *const STATUSES[] = {"draft", "pending", "scheduled", "published", NULL};

/* The members a new article or a change may have. */
static const char *const MEMBERS[] = {"title", "slug", "summary", "body", "lang", "category_id",
                                      "tags", "featured", "image_id", NULL};
static const char MEMBERS_HINT[] =
    "is not a member of an article that can be set here (its status is changed with /submit, "
    "/publish, /schedule and /unpublish)";

/* ---- the article as answered ---------------------------------------------- */

/* Turns the store's record into the API's newsroom article: ISO times and
** its public path. */
static void article_present(cJSON *a) {
  api_iso_member(a, "published_at");
  api_iso_member(a, "created_at");
  api_iso_member(a, "updated_at");
  buf b = {0};
  escape_path(&b, "/articles/", json_str(a, "slug"));
  cJSON_AddStringToObject(a, "url", buf_str(&b));
  buf_free(&b);
}

/* Loads article id as it is answered into *doc, with its ETag. Returns 0,
** 404 (answered) or 500. */
static int article_current(ctx *c, long id, cJSON **doc, char etag[40]) {
  *doc = NULL;
  int rc = newsroom_article_get(c->db, c->now, id, doc);
  if (rc == STORE_NOT_FOUND)
    return view_problem(c, 404, "There is no article with this id.", NULL, NULL);
  if (rc != STORE_OK) return 500;
  article_present(*doc);
  api_doc_etag(*doc, etag);
  return 0;
}

/* Returns 1 when the token's user wrote article a (a record). */
static int article_own(const ctx *c, const cJSON *a) {
  return json_long(cJSON_GetObjectItemCaseSensitive(a, "author"), "id") == c->user.id;
}

/* Returns 0 when the token's user may see article a, else answers 403. */
static int article_seen_or_reply(ctx *c, const cJSON *a) {
  if (c->user.role >= ROLE_EDITOR || article_own(c, a)) return 0;
  return view_problem(c, 403, "This article is another author's.", NULL, NULL);
}

/* Returns 0 when the token's user may change article a, else answers 403:
** authors change their own drafts and submissions; once an article is
** scheduled or published only editors do. */
static int article_editable_or_reply(ctx *c, const cJSON *a) {
  int st = article_seen_or_reply(c, a);
  if (st || c->user.role >= ROLE_EDITOR) return st;
  const char *s = json_str(a, "status");
  if (strcmp(s, "draft") == 0 || strcmp(s, "pending") == 0) return 0;
  return view_problem(c, 403, "Once an article is scheduled or published, only editors change it.",
                      NULL, NULL);
}

/* Answers doc (taken over) with its ETag. Returns status. */
static int article_send(ctx *c, int status, cJSON *doc, const char *location) {
  int st = api_send_doc(c, status, doc, 1, location);
  cJSON_Delete(doc);
  return st;
}

/* Answers article id as it is now, with status (and, for a new one, its
** Location). Returns the status answered. */
static int article_answer(ctx *c, long id, int status) {
  cJSON *doc;
  char etag[40], where[64];
  int st = article_current(c, id, &doc, etag);
  if (st) return st;
  snprintf(where, sizeof where, "/api/v1/newsroom/articles/%ld", id);
  return article_send(c, status, doc, status == 201 ? where : NULL);
}

/* ---- reading a change ------------------------------------------------------ */

/* The members of a new article or of a change, as sent. */
typedef struct article_patch {
  buf title, slug, summary, body, lang, tags;
  int has_title, has_slug, has_summary, has_body, has_lang, has_tags;
  int has_category, has_featured, has_image;
  long category_id, image_id;
  int featured;
} article_patch;

/* Frees what p holds. */
static void patch_free(article_patch *p) {
  buf *all[] = {&p->title, &p->slug, &p->summary, &p->body, &p->lang, &p->tags};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) buf_free(all[i]);
}

/* Reads the tags member (an array of names) into p->tags as the editor's
** form holds them, names joined by ", ". Returns 0, or answers 400. */
static int patch_tags_or_reply(ctx *c, const cJSON *o, article_patch *p) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "tags"), *t;
  p->has_tags = v != NULL;
  if (!v) return 0;
  if (!cJSON_IsArray(v)) return api_bad_member(c, "tags", "must be an array of tag names");
  if (cJSON_GetArraySize(v) > ARTICLE_TAGS_MAX)
    return api_bad_member(c, "tags", ctx_text_default(c, "admin_article_err_tags_many"));
  buf one = {0};
  int st = 0;
  cJSON_ArrayForEach(t, v) {
    buf_reset(&one);
    if (!cJSON_IsString(t) || !t->valuestring || !utf8_valid(t->valuestring, strlen(t->valuestring))) {
      st = api_bad_member(c, "tags", "must be an array of tag names");
      break;
    }
    buf_puts(&one, t->valuestring);
    api_trim(&one);
    if (one.len == 0 || strchr(buf_str(&one), ',')) {
      st = api_bad_member(c, "tags", "a tag name must not be empty nor hold a comma");
      break;
    }
    if (utf8_length(buf_str(&one), one.len) > ARTICLE_TAG_MAX) {
      st = api_bad_member(c, "tags", ctx_text_default(c, "admin_article_err_tag_long"));
      break;
    }
    if (p->tags.len) buf_puts(&p->tags, ", ");
    buf_puts(&p->tags, buf_str(&one));
  }
  buf_free(&one);
  return st;
}

/* Reads the members of the body o into p. Returns 0, or answers 400 (403
** for featured sent by an author). */
static int patch_read_or_reply(ctx *c, const cJSON *o, article_patch *p) {
  int st = api_text_or_reply(c, o, "title", &p->title, &p->has_title);
  if (!st) st = api_text_or_reply(c, o, "slug", &p->slug, &p->has_slug);
  if (!st) st = api_text_or_reply(c, o, "summary", &p->summary, &p->has_summary);
  if (!st) st = api_text_or_reply(c, o, "body", &p->body, &p->has_body);
  if (!st) st = api_text_or_reply(c, o, "lang", &p->lang, &p->has_lang);
  if (!st) st = api_id_or_reply(c, o, "category_id", 0, &p->category_id, &p->has_category);
  if (!st) st = api_id_or_reply(c, o, "image_id", 1, &p->image_id, &p->has_image);
  if (!st) st = api_bool_or_reply(c, o, "featured", &p->featured, &p->has_featured);
  if (!st) st = patch_tags_or_reply(c, o, p);
  if (st) return st;
  if (p->has_featured && c->user.role < ROLE_EDITOR)
    return view_problem(c, 403, "Only editors feature articles on the home page.", NULL, NULL);
  api_trim(&p->title);
  api_trim(&p->slug);
  api_trim(&p->summary);
  api_trim(&p->lang);
  api_unix_lines(&p->summary);
  api_unix_lines(&p->body);
  return 0;
}

/* Replaces the buffer to with from. */
static void patch_set(buf *to, const buf *from) {
  buf_reset(to);
  buf_append(to, buf_str(from), from->len);
}

/* Returns 1 when the buf the patch sent (has) differs from the form's. */
static int patch_differs(int has, const buf *sent, const buf *stored) {
  return has && (sent->len != stored->len || memcmp(buf_str(sent), buf_str(stored), sent->len));
}

/* Returns 1 when applying p would change f: a member sent as it is
** stored changes nothing (tags compared as the form joins them, in order;
** a slug as sent, before it is made one). */
static int patch_changes(const article_patch *p, const article_form *f) {
  return patch_differs(p->has_title, &p->title, &f->title) ||
         patch_differs(p->has_slug, &p->slug, &f->slug) ||
         patch_differs(p->has_summary, &p->summary, &f->summary) ||
         patch_differs(p->has_body, &p->body, &f->body) ||
         patch_differs(p->has_tags, &p->tags, &f->tags) ||
         patch_differs(p->has_lang, &p->lang, &f->lang) ||
         (p->has_category && p->category_id != f->category_id) ||
         (p->has_image && p->image_id != f->image_id) ||
         (p->has_featured && !p->featured != !f->featured);
}

/* Applies the members p has to the form f. */
static void patch_apply(ctx *c, const article_patch *p, article_form *f) {
  if (p->has_title) patch_set(&f->title, &p->title);
  if (p->has_slug) patch_set(&f->slug, &p->slug);
  if (p->has_summary) patch_set(&f->summary, &p->summary);
  if (p->has_body) patch_set(&f->body, &p->body);
  if (p->has_tags) patch_set(&f->tags, &p->tags);
  if (p->has_lang) patch_set(&f->lang, &p->lang);
  if (p->has_category) f->category_id = p->category_id;
  if (p->has_image) f->image_id = p->image_id;
  if (p->has_featured) f->featured = p->featured;
  f->dir = app_dir(c->app, buf_str(&f->lang));
}

/* ---- the editor's rules ---------------------------------------------------- */

/* A broken rule: the member it concerns and the string key of why. */
typedef struct rule_broken {
  const char *member, *key;
} rule_broken;

/* Returns 1 when category id exists. */
static int category_exists(ctx *c, long id) {
  cJSON *cats = cJSON_CreateArray(), *o;
  int found = 0;
  if (id && admin_article_choices(c->db, cats, NULL) == 0) {
    cJSON_ArrayForEach(o, cats) { found |= json_long(o, "id") == id; }
  }
  cJSON_Delete(cats);
  return found;
}

/* Checks the featured picture and the pictures of the text, as the editor
** does: in the library, ready, with alt text. Returns 1 and fills *why
** when one is not. */
static int rules_pictures(ctx *c, const article_form *f, rule_broken *why) {
  cJSON *rec = NULL;
  if (f->image_id) {
    int rc = media_picture(c->db, f->image_id, &rec);
    int no_alt = rc == STORE_OK && !*json_str(rec, "alt");
    cJSON_Delete(rec);
    if (rc != STORE_OK) return *why = (rule_broken){"image_id", "admin_article_err_image"}, 1;
    if (no_alt) return *why = (rule_broken){"image_id", "admin_article_err_image_alt"}, 1;
  }
  body_pictures bp;
  char *html = body_render(c->db, buf_str(&f->body), f->body.len, &bp);
  free(html);
  if (bp.missing) return *why = (rule_broken){"body", "admin_article_err_picture_missing"}, 1;
  if (bp.no_alt) return *why = (rule_broken){"body", "admin_article_err_picture_alt"}, 1;
  if (bp.too_many) return *why = (rule_broken){"body", "admin_article_err_pictures_many"}, 1;
  return 0;
}

/* Checks f against the editor's rules. Returns 1 and fills *why with the
** first one broken, else 0. */
static int rules_broken(ctx *c, const article_form *f, rule_broken *why) {
  size_t title = utf8_length(buf_str(&f->title), f->title.len);
  if (title == 0) return *why = (rule_broken){"title", "admin_article_err_title"}, 1;
  if (title > ARTICLE_TITLE_MAX) return *why = (rule_broken){"title", "admin_article_err_title_long"}, 1;
  if (f->slug.len > ARTICLE_SLUG_MAX) return *why = (rule_broken){"slug", "admin_article_err_slug_long"}, 1;
  if (utf8_length(buf_str(&f->summary), f->summary.len) > ARTICLE_SUMMARY_MAX)
    return *why = (rule_broken){"summary", "admin_article_err_summary_long"}, 1;
  if (utf8_find_unsafe(buf_str(&f->title), f->title.len, 0) >= 0)
    return *why = (rule_broken){"title", "admin_article_err_title_chars"}, 1;
  if (utf8_find_unsafe(buf_str(&f->summary), f->summary.len, 1) >= 0)
    return *why = (rule_broken){"summary", "admin_article_err_summary_chars"}, 1;
  if (f->body.len > ARTICLE_BODY_MAX) return *why = (rule_broken){"body", "admin_article_err_body_long"}, 1;
  if (!category_exists(c, f->category_id))
    return *why = (rule_broken){"category_id", "admin_article_err_category"}, 1;
  if (!i18n_find(c->app->langs, buf_str(&f->lang)))
    return *why = (rule_broken){"lang", "admin_article_err_lang"}, 1;
  return rules_pictures(c, f, why);
}

/* Returns 0 when f keeps the editor's rules, else answers status (400 for
** a change sent, 409 for a status change of a stored article) naming the
** member and why. */
static int rules_or_reply(ctx *c, const article_form *f, int status) {
  rule_broken why;
  if (!rules_broken(c, f, &why)) return 0;
  const char *reason = ctx_text_default(c, why.key);
  if (status == 400) return api_bad_member(c, why.member, reason);
  char detail[320];
  snprintf(detail, sizeof detail, "The article cannot have this status as it is: %s", reason);
  return view_problem(c, status, detail, why.member, reason);
}

/* ---- the list -------------------------------------------------------------- */

/* Reads the list's status filter into *status (NULL: any). Returns 0, or
** answers 400. */
static int list_status_or_reply(ctx *c, buf *v, const char **status) {
  *status = NULL;
  int rc = request_query(&c->req, "status", v);
  if (rc == 0) return 0;
  for (int i = 0; rc > 0 && STATUSES[i]; i++)
    if (strcmp(buf_str(v), STATUSES[i]) == 0) *status = STATUSES[i];
  return *status ? 0 : api_bad_param(c, "status", "must be draft, pending, scheduled or published");
}

/* GET /api/v1/newsroom/articles?status=&page=&per_page= */
int api_newsroom_articles(ctx *c) {
  admin_filter f = {0};
  buf status = {0};
  int st = api_paging_or_reply(c, ARTICLES_PER_PAGE, &f.page, &f.per_page);
  if (!st) st = list_status_or_reply(c, &status, &f.status);
  if (st) {
    buf_free(&status);
    return st;
  }
  if (c->user.role < ROLE_EDITOR) f.owner = c->user.id;
  cJSON *items = cJSON_CreateArray(), *o;
  if (admin_article_list(c->db, c->now, &f, items) != 0) {
    cJSON_Delete(items);
    buf_free(&status);
    return 500;
  }
  buf_free(&status);
  cJSON_ArrayForEach(o, items) {
    /* status_key is the status as readers live it: the API says live. */
    cJSON_DeleteItemFromObjectCaseSensitive(o, "status_key");
    api_iso_member(o, "updated_at");
    api_iso_member(o, "published_at");
  }
  return api_send_filtered(c, items, f.page, f.per_page, f.total, 1, 0, API_STATUS_FILTER);
}

/* ---- one article ----------------------------------------------------------- */

/* GET /api/v1/newsroom/articles/{id} */
int api_newsroom_article(ctx *c) {
  cJSON *doc;
  char etag[40];
  int st = article_current(c, ctx_id(c, 0), &doc, etag);
  if (!st) st = article_seen_or_reply(c, doc);
  if (st) {
    cJSON_Delete(doc);
    return st;
  }
  return article_send(c, 200, doc, NULL);
}

/* POST /api/v1/newsroom/articles: a new draft by the token's user. */
int api_newsroom_article_create(ctx *c) {
  cJSON *body = NULL;
  int st = api_object_or_reply(c, MEMBERS, MEMBERS_HINT, &body);
  if (st) return st;
  article_patch p = {0};
  article_form f = {0};
  st = patch_read_or_reply(c, body, &p);
  cJSON_Delete(body);
  if (!st) {
    buf_puts(&f.lang, c->app->lang);
    buf_puts(&f.status, "draft");
    patch_apply(c, &p, &f);
    st = rules_or_reply(c, &f, 400);
  }
  if (!st) st = admin_article_save(c->db, c->now, c->user.id, &f) == 0 ? 0 : 500;
  if (!st) st = article_answer(c, f.id, 201);
  patch_free(&p);
  article_form_free(&f);
  return st;
}

/* What a write of a stored article does, in one transaction with the
** check of its ETag: apply the change to f (the article as stored, doc
** as answered) and return 0, or answer and return the status. */
typedef int (*article_change_fn)(ctx *c, const cJSON *doc, article_form *f, void *arg);

/* What an article_change_fn returns when the change leaves the article as
** it is: nothing is written (no revision, no edit readers are told of). */
enum { ARTICLE_UNCHANGED = -1 };

/* Checks If-Match (required when need_match) and the user's right to
** change article id, applies change, checks the editor's rules (answering
** rule_status when one is broken) and saves, all in one transaction; then
** answers the article as saved. Returns the status answered. */
static int article_write(ctx *c, long id, int need_match, int rule_status,
                         article_change_fn change, void *arg) {
  cJSON *doc = NULL;
  char etag[40];
  article_form f = {0};
  if (db_begin(c->db) != 0) return 500;
  int st = article_current(c, id, &doc, etag);
  if (!st) st = article_editable_or_reply(c, doc);
  if (!st) {
    int m = api_if_match(c, etag);
    if (m == 0 || (m < 0 && need_match)) st = api_precondition_failed(c, m);
  }
  if (!st) st = admin_article_load(c->db, c->now, id, &f) == 0 ? 0 : 500;
  if (!st) st = change(c, doc, &f, arg);
  int write = st != ARTICLE_UNCHANGED;
  if (!write) st = 0;
  if (!st && write) st = rules_or_reply(c, &f, rule_status);
  if (!st && write)
    st = admin_article_save_tx(c->db, c->now, c->user.id, &f) == STORE_OK ? 0 : 500;
  if (!st) st = db_commit(c->db) == 0 ? 0 : 500;
  db_rollback(c->db);
  cJSON_Delete(doc);
  article_form_free(&f);
  return st ? st : article_answer(c, id, 200);
}

/* Applies the members read into arg (an article_patch); none that changes
** anything is ARTICLE_UNCHANGED. A new text of an HTML article (an
** imported one) passes the sanitizer, as in the editor; one it refuses is
** answered 400. */
static int change_members(ctx *c, const cJSON *doc, article_form *f, void *arg) {
  const article_patch *p = arg;
  (void)doc;
  if (!patch_changes(p, f)) return ARTICLE_UNCHANGED;
  patch_apply(c, p, f);
  int refused = p->has_body && f->html && f->body.len <= ARTICLE_BODY_MAX &&
                admin_html_clean(c, &f->body) != 0;
  if (refused)
    return api_bad_member(c, "body", ctx_text_default(c, "admin_article_err_body_html"));
  return 0;
}

/* PATCH /api/v1/newsroom/articles/{id}: the members sent change; If-Match
** is required. */
int api_newsroom_article_update(ctx *c) {
  cJSON *body = NULL;
  int st = api_object_or_reply(c, MEMBERS, MEMBERS_HINT, &body);
  if (st) return st;
  article_patch p = {0};
  st = patch_read_or_reply(c, body, &p);
  cJSON_Delete(body);
  if (!st) st = article_write(c, ctx_id(c, 0), 1, 400, change_members, &p);
  patch_free(&p);
  return st;
}

/* DELETE /api/v1/newsroom/articles/{id} (editors): If-Match is checked
** when sent. Answers 204. */
int api_newsroom_article_delete(ctx *c) {
  cJSON *doc = NULL;
  char etag[40];
  if (db_begin(c->db) != 0) return 500;
  int st = article_current(c, ctx_id(c, 0), &doc, etag);
  if (!st && api_if_match(c, etag) == 0) st = api_precondition_failed(c, 0);
  if (!st) st = admin_article_delete(c->db, ctx_id(c, 0)) == STORE_OK ? 0 : 500;
  if (!st) st = db_commit(c->db) == 0 ? 0 : 500;
  db_rollback(c->db);
  cJSON_Delete(doc);
  if (st) return st;
  c->res.status = 204;
  return 204;
}

/* ---- status ---------------------------------------------------------------- */

/* Sets the status of f to status. */
static void form_status(article_form *f, const char *status) {
  buf_reset(&f->status);
  buf_puts(&f->status, status);
}

/* submit: a draft (or a submission again) waits for an editor. */
static int change_submit(ctx *c, const cJSON *doc, article_form *f, void *arg) {
  (void)arg;
  const char *s = json_str(doc, "status");
  if (strcmp(s, "draft") != 0 && strcmp(s, "pending") != 0)
    return view_problem(c, 409, "Only a draft is submitted for review; this article is scheduled "
                        "or published.", NULL, NULL);
  form_status(f, "pending");
  return 0;
}

/* publish: readers see it now (or at the publication time it had, when
** that has come). */
static int change_publish(ctx *c, const cJSON *doc, article_form *f, void *arg) {
  (void)arg;
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "live")))
    return view_problem(c, 409, "This article is published already.", NULL, NULL);
  form_status(f, "published");
  if (f->saved_published_at <= 0 || f->saved_published_at > (long long)c->now)
    f->published_at = (long long)c->now;
  return 0;
}

/* schedule: readers see it at the time in arg (a time_t, in the future). */
static int change_schedule(ctx *c, const cJSON *doc, article_form *f, void *arg) {
  (void)c;
  (void)doc;
  form_status(f, "scheduled");
  f->published_at = (long long)*(const time_t *)arg;
  return 0;
}

/* unpublish: back to a draft that readers do not see. */
static int change_unpublish(ctx *c, const cJSON *doc, article_form *f, void *arg) {
  (void)arg;
  const char *s = json_str(doc, "status");
  if (strcmp(s, "published") != 0 && strcmp(s, "scheduled") != 0)
    return view_problem(c, 409, "This article is not published nor scheduled.", NULL, NULL);
  form_status(f, "draft");
  return 0;
}

/* POST /api/v1/newsroom/articles/{id}/submit */
int api_newsroom_article_submit(ctx *c) {
  return article_write(c, ctx_id(c, 0), 0, 409, change_submit, NULL);
}

/* POST /api/v1/newsroom/articles/{id}/publish (editors) */
int api_newsroom_article_publish(ctx *c) {
  return article_write(c, ctx_id(c, 0), 0, 409, change_publish, NULL);
}

/* POST /api/v1/newsroom/articles/{id}/unpublish (editors) */
int api_newsroom_article_unpublish(ctx *c) {
  return article_write(c, ctx_id(c, 0), 0, 409, change_unpublish, NULL);
}

/* POST /api/v1/newsroom/articles/{id}/schedule (editors): {"published_at":
** "2026-12-01T06:00:00Z"}, a time to come. */
int api_newsroom_article_schedule(ctx *c) {
  static const char *const members[] = {"published_at", NULL};
  cJSON *body = NULL;
  int st = api_object_or_reply(c, members, NULL, &body);
  if (st) return st;
  buf when = {0};
  int given = 0;
  time_t t = 0;
  st = api_text_or_reply(c, body, "published_at", &when, &given);
  cJSON_Delete(body);
  if (!st && (!given || time_parse_iso(buf_str(&when), &t) != 0))
    st = api_bad_member(c, "published_at", "must be a UTC time like 2026-12-01T06:00:00Z");
  else if (!st && t <= c->now)
    st = api_bad_member(c, "published_at", ctx_text_default(c, "admin_article_err_when_past"));
  buf_free(&when);
  if (st) return st;
  return article_write(c, ctx_id(c, 0), 0, 409, change_schedule, &t);
}

/* ---- revisions ------------------------------------------------------------- */

/* GET /api/v1/newsroom/articles/{id}/revisions: newest first, at most 500. */
int api_newsroom_revisions(ctx *c) {
  cJSON *doc = NULL;
  char etag[40];
  int st = article_current(c, ctx_id(c, 0), &doc, etag);
  if (!st) st = article_seen_or_reply(c, doc);
  cJSON_Delete(doc);
  if (st) return st;
  cJSON *out = cJSON_CreateObject(), *r;
  cJSON *list = cJSON_AddArrayToObject(out, "data");
  if (admin_article_revisions(c->db, ctx_id(c, 0), list) != 0) {
    cJSON_Delete(out);
    return 500;
  }
  cJSON_ArrayForEach(r, list) {
    api_iso_member(r, "created_at");
    /* A status the revision did not note (an older save, or none before
    ** the first) is null. */
    for (int i = 0; i < 2; i++) {
      const char *key = i ? "status_before" : "status";
      if (cJSON_HasObjectItem(r, key) && !*json_str(r, key))
        cJSON_ReplaceItemInObjectCaseSensitive(r, key, cJSON_CreateNull());
    }
  }
  st = api_send_doc(c, 200, out, 0, NULL);
  cJSON_Delete(out);
  return st;
}

/* restore: the revision's title, summary and text (arg: its record). */
static int change_restore(ctx *c, const cJSON *doc, article_form *f, void *arg) {
  (void)c;
  (void)doc;
  const cJSON *rev = arg;
  buf *to[] = {&f->title, &f->summary, &f->body};
  static const char *const from[] = {"title", "summary", "body"};
  for (int i = 0; i < 3; i++) {
    buf_reset(to[i]);
    buf_puts(to[i], json_str(rev, from[i]));
  }
  return 0;
}

/* POST /api/v1/newsroom/articles/{id}/revisions/{rid}/restore: If-Match
** is required. */
int api_newsroom_revision_restore(ctx *c) {
  cJSON *rev = NULL;
  int rc = admin_article_revision(c->db, ctx_id(c, 0), ctx_id(c, 1), &rev);
  if (rc > 0)
    return view_problem(c, 404, "There is no article with this id, or no such revision of it.",
                        NULL, NULL);
  if (rc < 0) return 500;
  int st = article_write(c, ctx_id(c, 0), 1, 409, change_restore, rev);
  cJSON_Delete(rev);
  return st;
}
