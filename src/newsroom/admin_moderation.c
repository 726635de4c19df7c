/*
** admin_moderation.c: the comment moderation queue (see admin_site.h).
**
**   GET  /admin/comments?status=pending|approved|spam|trash&page=N
**   POST /admin/comments         bulk: bulk_action and the checked id fields
**   POST /admin/comments/{id}    one comment: action
**
** Actions: approve, hold (back to pending), spam, trash, and delete (for
** ever; only a comment in the trash, with its replies). Every change,
** one comment or many, is one transaction that also recounts the approved
** comments of the articles touched.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_site.h"
#include "auth.h"
#include "store.h"
#include "timefmt.h"
#include "view.h"

enum { QUEUE_PER_PAGE = 50, BULK_MAX = 500 };

/* The statuses, in the order of the tabs, with their string keys. */
static const char *const STATUSES[][2] = {
    {"pending", "site_comments_tab_pending"},
    {"approved", "site_comments_tab_approved"},
    {"spam", "site_comments_tab_spam"},
    {"trash", "site_comments_tab_trash"},
};
enum { STATUS_COUNT = sizeof STATUSES / sizeof STATUSES[0] };

/* The actions: name, the status it sets (NULL: delete), string key. */
static const char *const ACTIONS[][3] = {
    {"approve", "approved", "site_action_approve"},
    {"hold", "pending", "site_action_hold"},
    {"spam", "spam", "site_action_spam"},
    {"trash", "trash", "site_action_trash"},
    {"delete", NULL, "site_action_delete"},
};
enum { ACTION_COUNT = sizeof ACTIONS / sizeof ACTIONS[0] };

/* Returns the index of status s in STATUSES, or -1. */
static int status_index(const char *s) {
  for (int i = 0; i < STATUS_COUNT; i++)
    if (strcmp(STATUSES[i][0], s) == 0) return i;
  return -1;
}

/* Returns the index of action a in ACTIONS, or -1. */
static int action_index(const char *a) {
  for (int i = 0; i < ACTION_COUNT; i++)
    if (strcmp(ACTIONS[i][0], a) == 0) return i;
  return -1;
}

static const char SQL_COUNTS[] = "SELECT status, count(*) FROM comments GROUP BY status";
static const char SQL_QUEUE[] =
    "SELECT m.id, m.author_name, m.author_email, m.created_at, m.body, a.title,"
    " a.slug, a.lang FROM comments m JOIN articles a ON a.id = m.article_id"
    " WHERE m.status = ?1 ORDER BY m.created_at DESC, m.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_MOD_FIND[] = "SELECT article_id, status FROM comments WHERE id = ?1";
static const char SQL_MOD_SET[] = "UPDATE comments SET status = ?2 WHERE id = ?1";
static const char SQL_MOD_DELETE[] = "DELETE FROM comments WHERE id = ?1";
static const char SQL_MOD_RECOUNT[] =
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments m"
    " WHERE m.article_id = articles.id AND m.status = 'approved') WHERE id = ?1";

/* Adds the tabs (one per status, with its count) to doc; returns the
** count of status cur. */
static long queue_tabs(ctx *c, cJSON *doc, int cur) {
  long counts[STATUS_COUNT] = {0};
  sqlite3_stmt *st = db_prepare(c->db, SQL_COUNTS);
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    int i = status_index(db_text(st, 0));
    if (i >= 0) counts[i] = (long)sqlite3_column_int64(st, 1);
  }
  if (st) sqlite3_reset(st);
  cJSON *tabs = cJSON_AddArrayToObject(doc, "tabs");
  for (int i = 0; i < STATUS_COUNT; i++) {
    cJSON *t = cJSON_CreateObject();
    char url[64];
    snprintf(url, sizeof url, "/admin/comments?status=%s", STATUSES[i][0]);
    cJSON_AddStringToObject(t, "status", STATUSES[i][0]);
    cJSON_AddStringToObject(t, "label", site_text(c, STATUSES[i][1]));
    cJSON_AddNumberToObject(t, "count", (double)counts[i]);
    cJSON_AddStringToObject(t, "url", url);
    cJSON_AddBoolToObject(t, "current", i == cur);
    cJSON_AddItemToArray(tabs, t);
  }
  return counts[cur];
}

/* Adds to o the buttons for a comment in status cur: every action that
** changes it, and delete only in the trash. */
static void queue_buttons(ctx *c, cJSON *o, int cur) {
  cJSON *list = cJSON_AddArrayToObject(o, "actions");
  for (int i = 0; i < ACTION_COUNT; i++) {
    int is_delete = ACTIONS[i][1] == NULL;
    if (is_delete ? cur != 3 : strcmp(ACTIONS[i][1], STATUSES[cur][0]) == 0) continue;
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "value", ACTIONS[i][0]);
    cJSON_AddStringToObject(a, "label", site_text(c, ACTIONS[i][2]));
    if (is_delete) cJSON_AddStringToObject(a, "confirm", site_text(c, "site_delete_comment_confirm"));
    cJSON_AddItemToArray(list, a);
  }
}

/* Builds one queue entry from a SQL_QUEUE row. */
static cJSON *queue_entry(ctx *c, sqlite3_stmt *st, int cur) {
  cJSON *o = cJSON_CreateObject();
  buf b = {0};
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "author_name", db_text(st, 1));
  cJSON_AddStringToObject(o, "author_email", db_text(st, 2));
  catalog_date(c->app->ui, (time_t)sqlite3_column_int64(st, 3), &b);
  cJSON_AddStringToObject(o, "date_display", buf_str(&b));
  cJSON_AddStringToObject(o, "body", db_text(st, 4));
  cJSON_AddStringToObject(o, "article_title", db_text(st, 5));
  buf_reset(&b);
  store_url(&b, "/articles/", db_text(st, 6));
  cJSON_AddStringToObject(o, "article_url", buf_str(&b));
  cJSON_AddStringToObject(o, "article_lang", db_text(st, 7));
  buf_free(&b);
  queue_buttons(c, o, cur);
  return o;
}

/* Adds the bulk actions that fit the queue cur to doc. */
static void queue_bulk_actions(ctx *c, cJSON *doc, int cur) {
  cJSON *o = cJSON_CreateObject();
  queue_buttons(c, o, cur);
  cJSON_AddItemToObject(doc, "bulk_actions", cJSON_DetachItemFromObject(o, "actions"));
  cJSON_Delete(o);
}

/* Adds prev_url and next_url for page of the queue cur holding total. */
static void queue_pager(cJSON *doc, int cur, long page, long total) {
  char url[96];
  cJSON *p = cJSON_AddObjectToObject(doc, "pager");
  if (page > 1) {
    snprintf(url, sizeof url, "/admin/comments?status=%s&page=%ld", STATUSES[cur][0], page - 1);
    cJSON_AddStringToObject(p, "prev_url", url);
  }
  if (page * QUEUE_PER_PAGE < total) {
    snprintf(url, sizeof url, "/admin/comments?status=%s&page=%ld", STATUSES[cur][0], page + 1);
    cJSON_AddStringToObject(p, "next_url", url);
  }
}

/* GET /admin/comments?status=S&page=N&done=N */
void admin_comments_list(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  buf s = {0};
  int cur = request_query(&c->req, "status", &s) == 1 ? status_index(buf_str(&s)) : 0;
  buf_free(&s);
  long page, done;
  if (cur < 0 || request_query_int(&c->req, "page", 1, 1, 1000000, &page) != 0 ||
      request_query_int(&c->req, "done", -1, 0, BULK_MAX, &done) != 0) {
    view_error(c, 400, NULL);
    return;
  }
  sqlite3_stmt *st = db_prepare(c->db, SQL_QUEUE);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  long total = queue_tabs(c, doc, cur);
  cJSON *list = cJSON_AddArrayToObject(doc, "comments");
  sqlite3_bind_text(st, 1, STATUSES[cur][0], -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, QUEUE_PER_PAGE);
  sqlite3_bind_int64(st, 3, (page - 1) * QUEUE_PER_PAGE);
  while (sqlite3_step(st) == SQLITE_ROW) cJSON_AddItemToArray(list, queue_entry(c, st, cur));
  sqlite3_reset(st);
  cJSON_AddBoolToObject(doc, "has_comments", cJSON_GetArraySize(list) > 0);
  cJSON_AddStringToObject(doc, "status", STATUSES[cur][0]);
  cJSON_AddBoolToObject(doc, "in_trash", cur == 3);
  queue_bulk_actions(c, doc, cur);
  queue_pager(doc, cur, page, total);
  if (done >= 0) {
    char msg[200];
    snprintf(msg, sizeof msg, site_text(c, "site_comments_changed"), done);
    cJSON_AddStringToObject(doc, "done", msg);
  }
  site_show(c, "admin_comments", doc, "admin_comments", 200);
}

/* Applies action a to comment id as one step of the caller's transaction,
** recounting its article's approved comments. Delete applies only to a
** comment in the trash. Returns 1 when changed, 0 when there is no such
** comment (or nothing to do), -1 on error. */
static int moderate_in_tx(db *d, long id, int a) {
  sqlite3_stmt *st = db_prepare(d, SQL_MOD_FIND);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  long article = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  int in_trash = rc == SQLITE_ROW && strcmp(db_text(st, 1), "trash") == 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? 0 : -1;
  const char *status = ACTIONS[a][1];
  if (!status && !in_trash) return 0;
  st = db_prepare(d, status ? SQL_MOD_SET : SQL_MOD_DELETE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  if (status) sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE || !(st = db_prepare(d, SQL_MOD_RECOUNT))) return -1;
  sqlite3_bind_int64(st, 1, article);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 1 : -1;
}

/* Applies action a to the n comments ids in one transaction. Returns the
** number changed, or -1 (nothing changed). */
static long moderate_all(db *d, const long *ids, size_t n, int a) {
  long changed = 0;
  if (db_begin(d) != 0) return -1;
  for (size_t i = 0; i < n && changed >= 0; i++) {
    int rc = moderate_in_tx(d, ids[i], a);
    changed = rc < 0 ? -1 : changed + rc;
  }
  if (changed >= 0 && db_commit(d) != 0) changed = -1;
  if (changed < 0) db_rollback(d);
  return changed;
}

/* Reads the form field key as an action; returns its index or -1. */
static int form_action(ctx *c, const char *key) {
  buf v = {0};
  int a = site_field(c, key, &v) == 1 ? action_index(buf_str(&v)) : -1;
  buf_free(&v);
  return a;
}

/* Answers 303 back to the queue the form came from (its "status" field),
** saying how many comments changed. */
static void moderate_back(ctx *c, long changed) {
  buf v = {0}, to = {0};
  int cur = site_field(c, "status", &v) == 1 ? status_index(buf_str(&v)) : -1;
  buf_printf(&to, "/admin/comments?status=%s&done=%ld", STATUSES[cur < 0 ? 0 : cur][0],
             changed);
  admin_redirect(c, buf_str(&to));
  buf_free(&v);
  buf_free(&to);
}

/* Collects the "id" fields of the posted form into ids (at most max).
** Returns how many, or -1 when one is not an id. */
static long form_ids(ctx *c, long *ids, size_t max) {
  const char *p = c->req.body ? c->req.body : "";
  const char *end = p + (c->req.body ? c->req.body_len : 0);
  size_t n = 0;
  buf v = {0};
  while (p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
    buf_reset(&v);
    int rc = form_lookup(p, len, "id", &v);
    char *stop = NULL;
    long id = rc == 1 ? strtol(buf_str(&v), &stop, 10) : 0;
    if (rc < 0 || (rc == 1 && (v.len == 0 || *stop || id <= 0 || n == max))) {
      buf_free(&v);
      return -1;
    }
    if (rc == 1) ids[n++] = id;
    p += len + 1;
  }
  buf_free(&v);
  return (long)n;
}

/* POST /admin/comments: bulk_action and id (once per checked comment). */
void admin_comments_bulk(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  long *ids = malloc(BULK_MAX * sizeof *ids);
  if (!ids) abort();
  int a = form_action(c, "bulk_action");
  long n = form_ids(c, ids, BULK_MAX);
  long changed = a >= 0 && n >= 0 ? moderate_all(c->db, ids, (size_t)n, a) : 0;
  if (a < 0 || n < 0) view_error(c, 400, site_text(c, "site_comments_bad_bulk"));
  else if (changed < 0) view_error(c, 500, NULL);
  else moderate_back(c, changed);
  free(ids);
}

/* POST /admin/comments/{id}: action. */
void admin_comments_one(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  long id = site_id(c);
  int a = form_action(c, "action");
  long changed = id && a >= 0 ? moderate_all(c->db, &id, 1, a) : 0;
  if (!id) view_error(c, 404, NULL);
  else if (a < 0) view_error(c, 400, site_text(c, "site_comments_bad_action"));
  else if (changed < 0) view_error(c, 500, NULL);
  else moderate_back(c, changed);
}
