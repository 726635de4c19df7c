/*
** api_newsroom_site.c: who a token is, and the site's categories, tags
** and comments over the API (see api_newsroom.h).
**
**   GET    /api/v1/newsroom/me                          the token and its user
**   POST   /api/v1/newsroom/categories                  (editors)
**   PATCH  /api/v1/newsroom/categories/{id}
**   DELETE /api/v1/newsroom/categories/{id}?move_to=ID
**   POST   /api/v1/newsroom/tags                        (editors)
**   PATCH  /api/v1/newsroom/tags/{id}
**   DELETE /api/v1/newsroom/tags/{id}
**   GET    /api/v1/newsroom/comments?status=pending     (editors)
**   POST   /api/v1/newsroom/comments/{id}/approve | spam | trash
**   POST   /api/v1/newsroom/comments/{id}/replies       a reply as the newsroom
**
** The writes are the newsroom's store functions (taxon_add, taxon_rename,
** category_delete, tag_delete, comment_moderate) with the newsroom's rules
** on names and slugs.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_newsroom.h"
#include "api_write.h"
#include "auth.h"
#include "json.h"
#include "slug.h"
#include "store.h"
#include "store_api.h"
#include "store_newsroom.h"
#include "store_token.h"
#include "tokens.h"
#include "utf8.h"
#include "view.h"

enum {
  NAME_MAX_CHARS = 100,          /* as the newsroom's forms (admin_site.c) */
  SLUG_MAX_BYTES = 80,
  DESCRIPTION_MAX_CHARS = 1000,
  REPLY_MAX_CHARS = 5000,        /* as a reader's comment */
  COMMENTS_PER_PAGE = 50,
};

/* GET /api/v1/newsroom/me: {id, username, name, role, token: {id, name,
** scope, created_at, expires_at}}. */
int api_newsroom_me(ctx *c) {
  cJSON *all = cJSON_CreateArray(), *t, *token = NULL;
  if (token_list(c->db, c->user.id, all) != STORE_OK) {
    cJSON_Delete(all);
    return 500;
  }
  cJSON_ArrayForEach(t, all) {
    if (json_long(t, "id") == c->user.token) token = t;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddNumberToObject(doc, "id", (double)c->user.id);
  cJSON_AddStringToObject(doc, "username", c->user.username);
  cJSON_AddStringToObject(doc, "name", c->user.name);
  cJSON_AddStringToObject(doc, "role", auth_role_name(c->user.role));
  cJSON *o = cJSON_AddObjectToObject(doc, "token");
  cJSON_AddNumberToObject(o, "id", (double)c->user.token);
  cJSON_AddStringToObject(o, "name", json_str(token, "name"));
  cJSON_AddStringToObject(o, "scope", c->user.read_only ? "read" : "write");
  cJSON_AddNumberToObject(o, "created_at", json_num(token, "created_at"));
  cJSON_AddNumberToObject(o, "expires_at", json_num(token, "expires_at"));
  api_iso_member(o, "created_at");
  api_iso_member(o, "expires_at");
  cJSON_Delete(all);
  int st = api_send_doc(c, 200, doc, 0, NULL);
  cJSON_Delete(doc);
  return st;
}

/* ---- categories and tags --------------------------------------------------- */

/* A category or tag as sent, merged with the stored one for a change. */
typedef struct taxon_edit {
  buf name, slug, description, made;
} taxon_edit;

/* Frees what e holds. */
static void taxon_edit_free(taxon_edit *e) {
  buf_free(&e->name);
  buf_free(&e->slug);
  buf_free(&e->description);
  buf_free(&e->made);
}

/* Reads the body into e over what it holds (the stored values of a
** change), and makes its slug (from slug, else from name) into e->made, as
** the newsroom's form does. Returns 0, or answers 400. */
static int taxon_read_or_reply(ctx *c, taxon kind, taxon_edit *e) {
  static const char *const cat[] = {"name", "slug", "description", NULL};
  static const char *const tag[] = {"name", "slug", NULL};
  cJSON *body = NULL;
  int st = api_object_or_reply(c, kind == TAXON_CATEGORIES ? cat : tag, NULL, &body);
  if (st) return st;
  buf v = {0};
  buf *to[] = {&e->name, &e->slug, &e->description};
  for (int i = 0; i < (kind == TAXON_CATEGORIES ? 3 : 2) && !st; i++) {
    int given = 0;
    buf_reset(&v);
    st = api_text_or_reply(c, body, cat[i], &v, &given);
    if (!st && given) {
      api_trim(&v);
      buf_reset(to[i]);
      buf_append(to[i], buf_str(&v), v.len);
    }
  }
  buf_free(&v);
  cJSON_Delete(body);
  if (st) return st;
  if (e->name.len == 0) return api_bad_member(c, "name", "is required");
  if (utf8_length(buf_str(&e->name), e->name.len) > NAME_MAX_CHARS)
    return api_bad_member(c, "name", "is longer than 100 characters");
  if (utf8_length(buf_str(&e->description), e->description.len) > DESCRIPTION_MAX_CHARS)
    return api_bad_member(c, "description", "is longer than 1000 characters");
  buf_reset(&e->made);
  slug_make(&e->made, e->slug.len ? buf_str(&e->slug) : buf_str(&e->name), SLUG_MAX_BYTES);
  if (e->made.len == 0)
    return api_bad_member(c, e->slug.len ? "slug" : "name", "makes no slug: use letters or digits");
  return 0;
}

/* Answers category or tag id with status. Returns the status answered. */
static int taxon_answer(ctx *c, taxon kind, long id, int status) {
  cJSON *o = NULL;
  int rc = taxon_get(c->db, kind, id, &o);
  if (rc == STORE_NOT_FOUND) return 404;
  if (rc != STORE_OK) return 500;
  int st = api_send_doc(c, status, o, 0, NULL);
  cJSON_Delete(o);
  return st;
}

/* Answers 404 for a category or tag that is not there. */
static int taxon_missing(ctx *c, taxon kind) {
  return view_problem(c, 404, kind == TAXON_CATEGORIES ? "There is no category with this id."
                                                       : "There is no tag with this id.",
                      NULL, NULL);
}

/* Answers 409 for a slug in use. */
static int taxon_taken(ctx *c) {
  return view_problem(c, 409, "This slug is used already: choose another.", "slug",
                      "is used already");
}

/* POST: adds a category or a tag. Answers 201. */
static int taxon_create(ctx *c, taxon kind) {
  taxon_edit e = {0};
  int st = taxon_read_or_reply(c, kind, &e);
  if (!st) {
    /* A category made here is a section at the top (the newsroom files it
    ** under another). */
    int rc = taxon_add(c->db, kind, buf_str(&e.made), buf_str(&e.name), buf_str(&e.description), 0);
    long id = 0;
    if (rc == STORE_TAKEN) st = taxon_taken(c);
    else if (rc != STORE_OK) st = 500;
    else if (taxon_find(c->db, kind, buf_str(&e.made), &id) != STORE_OK) st = 500;
    if (!st) st = taxon_answer(c, kind, id, 201);
  }
  taxon_edit_free(&e);
  return st;
}

/* PATCH: changes the members sent of category or tag id. Answers 200. */
static int taxon_update(ctx *c, taxon kind) {
  long id = ctx_id(c, 0);
  cJSON *o = NULL;
  int rc = taxon_get(c->db, kind, id, &o);
  if (rc == STORE_NOT_FOUND) return taxon_missing(c, kind);
  if (rc != STORE_OK) return 500;
  taxon_edit e = {0};
  buf_puts(&e.name, json_str(o, "name"));
  buf_puts(&e.slug, json_str(o, "slug"));
  buf_puts(&e.description, json_str(o, "description"));
  long parent = json_long(o, "parent_id"); /* it stays where it is filed */
  cJSON_Delete(o);
  int st = taxon_read_or_reply(c, kind, &e);
  if (!st) {
    rc = taxon_rename(c->db, kind, id, buf_str(&e.made), buf_str(&e.name), buf_str(&e.description),
                      parent);
    st = rc == STORE_OK ? taxon_answer(c, kind, id, 200)
         : rc == STORE_TAKEN ? taxon_taken(c)
         : rc == STORE_NOT_FOUND ? taxon_missing(c, kind) : 500;
  }
  taxon_edit_free(&e);
  return st;
}

/* Answers 204 after a deletion. */
static int api_no_content(ctx *c) {
  c->res.status = 204;
  return 204;
}

/* POST /api/v1/newsroom/categories */
int api_newsroom_category_create(ctx *c) { return taxon_create(c, TAXON_CATEGORIES); }

/* PATCH /api/v1/newsroom/categories/{id} */
int api_newsroom_category_update(ctx *c) { return taxon_update(c, TAXON_CATEGORIES); }

/* DELETE /api/v1/newsroom/categories/{id}?move_to=ID: a category with
** articles goes only once they are moved to category move_to. */
int api_newsroom_category_delete(ctx *c) {
  long to = 0;
  if (request_query_int(&c->req, "move_to", 0, 1, 1L << 53, &to) != 0)
    return api_bad_param(c, "move_to", "must be the id of another category");
  int rc = category_delete(c->db, ctx_id(c, 0), to);
  if (rc == STORE_OK) return api_no_content(c);
  if (rc == STORE_NOT_FOUND) return taxon_missing(c, TAXON_CATEGORIES);
  if (rc == STORE_IN_USE)
    return view_problem(c, 409, "This category has articles: give another category in move_to to "
                        "take them.", "move_to", "must be the id of another category");
  return 500;
}

/* POST /api/v1/newsroom/tags */
int api_newsroom_tag_create(ctx *c) { return taxon_create(c, TAXON_TAGS); }

/* PATCH /api/v1/newsroom/tags/{id} */
int api_newsroom_tag_update(ctx *c) { return taxon_update(c, TAXON_TAGS); }

/* DELETE /api/v1/newsroom/tags/{id}: its articles stay. */
int api_newsroom_tag_delete(ctx *c) {
  int rc = tag_delete(c->db, ctx_id(c, 0));
  if (rc == STORE_OK) return api_no_content(c);
  return rc == STORE_NOT_FOUND ? taxon_missing(c, TAXON_TAGS) : 500;
}

/* ---- comments -------------------------------------------------------------- */

/* Turns a comment record's time into ISO. */
static void comment_present(cJSON *o) { api_iso_member(o, "created_at"); }

/* Answers comment id with status. Returns the status answered. */
static int comment_answer(ctx *c, long id, int status) {
  cJSON *o = NULL;
  int rc = newsroom_comment_get(c->db, id, &o);
  if (rc == STORE_NOT_FOUND) return view_problem(c, 404, "There is no comment with this id.", NULL, NULL);
  if (rc != STORE_OK) return 500;
  comment_present(o);
  int st = api_send_doc(c, status, o, 0, NULL);
  cJSON_Delete(o);
  return st;
}

/* GET /api/v1/newsroom/comments?status=pending|approved|spam|trash,
** newest first. */
int api_newsroom_comments(ctx *c) {
  long page, per_page, total = 0;
  int st = api_paging_or_reply(c, COMMENTS_PER_PAGE, &page, &per_page);
  if (st) return st;
  buf v = {0};
  int rc = request_query(&c->req, "status", &v);
  const char *status = rc == 0 ? "pending" : NULL;
  for (int i = 0; rc > 0 && i < 4; i++)
    if (strcmp(buf_str(&v), COMMENT_STATUSES[i]) == 0) status = COMMENT_STATUSES[i];
  buf_free(&v);
  if (!status) return api_bad_param(c, "status", "must be pending, approved, spam or trash");
  cJSON *items = cJSON_CreateArray(), *o;
  if (newsroom_comments(c->db, status, page, per_page, items, &total) != STORE_OK) {
    cJSON_Delete(items);
    return 500;
  }
  cJSON_ArrayForEach(o, items) { comment_present(o); }
  return api_send_filtered(c, items, page, per_page, total, 1, 0, API_STATUS_FILTER);
}

/* Gives comment {id} status. Answers 200 with the comment. */
static int comment_set(ctx *c, const char *status) {
  int rc = comment_moderate(c->db, ctx_id(c, 0), status);
  if (rc == STORE_NOT_FOUND) return view_problem(c, 404, "There is no comment with this id.", NULL, NULL);
  if (rc != STORE_OK) return 500;
  return comment_answer(c, ctx_id(c, 0), 200);
}

/* POST /api/v1/newsroom/comments/{id}/approve */
int api_newsroom_comment_approve(ctx *c) { return comment_set(c, "approved"); }

/* POST /api/v1/newsroom/comments/{id}/spam */
int api_newsroom_comment_spam(ctx *c) { return comment_set(c, "spam"); }

/* POST /api/v1/newsroom/comments/{id}/trash */
int api_newsroom_comment_trash(ctx *c) { return comment_set(c, "trash"); }

/* POST /api/v1/newsroom/comments/{id}/replies: {"body": "..."}, a reply
** signed with the token's user's name, approved at once. Answers 201. */
int api_newsroom_comment_reply(ctx *c) {
  static const char *const members[] = {"body", NULL};
  cJSON *body = NULL;
  int st = api_object_or_reply(c, members, NULL, &body);
  if (st) return st;
  buf text = {0};
  int given = 0;
  st = api_text_or_reply(c, body, "body", &text, &given);
  cJSON_Delete(body);
  api_unix_lines(&text);
  api_trim(&text);
  if (!st && text.len == 0) st = api_bad_member(c, "body", "is required");
  if (!st && utf8_length(buf_str(&text), text.len) > REPLY_MAX_CHARS)
    st = api_bad_member(c, "body", "is longer than 5000 characters");
  long id = 0;
  if (!st) {
    int rc = comment_staff_reply(c->db, c->now, ctx_id(c, 0), c->user.id, 0,
                                 c->app->comment_max_depth, buf_str(&text), &id);
    if (rc == STORE_NOT_FOUND)
      st = view_problem(c, 404, "There is no comment with this id.", NULL, NULL);
    else if (rc == STORE_BAD_PARENT)
      st = view_problem(c, 409, "Only an approved comment takes a reply: approve it first.",
                        NULL, NULL);
    else if (rc == STORE_TOO_DEEP)
      st = view_problem(c, 409, "Replies do not nest deeper than the site allows "
                        "(comment_max_depth).", NULL, NULL);
    else if (rc != STORE_OK)
      st = 500;
  }
  buf_free(&text);
  return st ? st : comment_answer(c, id, 201);
}
