/*
** store_comment.c: comments — the thread a page shows, the flat list the
** API pages through, new comments with their guards, and moderation
** (see store.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "escape.h"
#include "guard.h"
#include "store.h"
#include "timefmt.h"

enum { COMMENTS_MAX_SHOWN = 1000 };

#define COMMENT_COLS "id, parent_id, author_name, created_at, body, status"

/* One page of threads: ?2 approved top-level comments from offset ?4
** (in the order of the comments_threads index), the held top-level
** comments of visitor ?3 (none when ?3 is NULL), and all their replies
** that are approved or that visitor's. */
#define SHOWN(t) "(" t "status = 'approved' OR (" t "status = 'pending' AND " t "visitor = ?3))"
static const char SQL_THREAD[] =
    "WITH RECURSIVE thread (id) AS ("
    "  SELECT id FROM (SELECT id FROM comments INDEXED BY comments_threads"
    "    WHERE article_id = ?1 AND parent_id IS NULL AND status = 'approved'"
    "    ORDER BY created_at, id"
    "    LIMIT ?2 OFFSET ?4)"
    "  UNION ALL"
    "  SELECT id FROM comments WHERE visitor = ?3 AND article_id = ?1"
    "    AND parent_id IS NULL AND status = 'pending'"
    "  UNION ALL"
    "  SELECT m.id FROM comments m JOIN thread ON m.parent_id = thread.id"
    "  WHERE " SHOWN("m.") ")"
    " SELECT " COMMENT_COLS " FROM comments WHERE id IN (SELECT id FROM thread)"
    " ORDER BY created_at, id LIMIT ?5";
static const char SQL_THREAD_MORE[] =
    "SELECT 1 FROM comments INDEXED BY comments_threads"
    " WHERE article_id = ?1 AND parent_id IS NULL AND status = 'approved'"
    " ORDER BY created_at, id LIMIT 1 OFFSET ?2";
static const char SQL_PAGE[] =
    "SELECT " COMMENT_COLS " FROM comments"
    " WHERE article_id = ?1 AND status = 'approved'"
    " ORDER BY created_at, id LIMIT ?2 OFFSET ?3";
static const char SQL_PAGE_COUNT[] =
    "SELECT count(*) FROM comments WHERE article_id = ?1 AND status = 'approved'";
static const char SQL_MINE[] =
    "SELECT " COMMENT_COLS " FROM comments"
    " WHERE visitor = ?1 AND article_id = ?2 AND status = 'pending'"
    " ORDER BY created_at, id LIMIT 100";

/* One comment while the tree is built: its id and its object. */
typedef struct node {
  long id;
  cJSON *obj;
} node;

/* Returns the object of comment id among nodes[0..n), or NULL. Comments
** come oldest first, and a parent is older than its replies. */
static cJSON *node_find(const node *nodes, int n, long id) {
  for (int i = n - 1; i >= 0; i--)
    if (nodes[i].id == id) return nodes[i].obj;
  return NULL;
}

/* Builds one comment's object from a COMMENT_COLS row. */
static cJSON *comment_from_row(const ctx *c, sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  buf b = {0};
  time_t t = (time_t)sqlite3_column_int64(st, 3);
  const char *body = db_text(st, 4);
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  if (sqlite3_column_type(st, 1) == SQLITE_NULL)
    cJSON_AddNullToObject(o, "parent_id");
  else
    cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 1));
  cJSON_AddStringToObject(o, "author_name", db_text(st, 2));
  time_iso(&b, t);
  cJSON_AddStringToObject(o, "created_at", buf_str(&b));
  buf_reset(&b);
  catalog_date(c->app->ui, t, &b);
  cJSON_AddStringToObject(o, "date_display", buf_str(&b));
  buf_reset(&b);
  cJSON_AddStringToObject(o, "body", body);
  escape_text_links(&b, body, strlen(body));
  cJSON_AddStringToObject(o, "body_html", buf_str(&b));
  buf_free(&b);
  int held = strcmp(db_text(st, 5), "approved") != 0;
  cJSON_AddStringToObject(o, "status", held ? "held" : "approved");
  cJSON_AddBoolToObject(o, "pending", held);
  return o;
}

int comment_tree(ctx *c, long article_id, const char *visitor, long page,
                 cJSON *out, int *more) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_THREAD_MORE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int64(st, 2, page * COMMENT_THREADS_PER_PAGE);
  int rc = sqlite3_step(st);
  *more = rc == SQLITE_ROW;
  sqlite3_reset(st);
  if ((rc != SQLITE_ROW && rc != SQLITE_DONE) || !(st = db_prepare(c->db, SQL_THREAD)))
    return -1;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int(st, 2, COMMENT_THREADS_PER_PAGE);
  if (visitor) sqlite3_bind_text(st, 3, visitor, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, (page - 1) * COMMENT_THREADS_PER_PAGE);
  sqlite3_bind_int(st, 5, COMMENTS_MAX_SHOWN);
  node *nodes = NULL;
  int n = 0, cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      nodes = realloc(nodes, (size_t)cap * sizeof *nodes);
      if (!nodes) abort();
    }
    cJSON *o = comment_from_row(c, st);
    cJSON_AddArrayToObject(o, "replies");
    nodes[n].id = (long)sqlite3_column_int64(st, 0);
    nodes[n].obj = o;
    cJSON *parent = sqlite3_column_type(st, 1) == SQLITE_NULL
                        ? NULL
                        : node_find(nodes, n, (long)sqlite3_column_int64(st, 1));
    n++;
    /* A reply whose parent is not shown stands at the top level. */
    cJSON_AddItemToArray(
        parent ? cJSON_GetObjectItemCaseSensitive(parent, "replies") : out, o);
  }
  sqlite3_reset(st);
  free(nodes);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Steps st, appending a comment object per row to out. */
static int comment_collect(const ctx *c, sqlite3_stmt *st, cJSON *out) {
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    cJSON_AddItemToArray(out, comment_from_row(c, st));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Removes the page-only "pending" flag from each comment of list. */
static void comment_for_api(cJSON *list) {
  cJSON *x;
  cJSON_ArrayForEach(x, list) { cJSON_DeleteItemFromObject(x, "pending"); }
}

int comment_page(ctx *c, long article_id, long page, long per_page, cJSON *out,
                 long *total) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_PAGE_COUNT);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  *total = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  if (*total < 0 || !(st = db_prepare(c->db, SQL_PAGE))) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, (page - 1) * per_page);
  int rc = comment_collect(c, st, out);
  comment_for_api(out);
  return rc;
}

int comment_mine(ctx *c, long article_id, const char *visitor, cJSON *out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_MINE);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, visitor, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, article_id);
  int rc = comment_collect(c, st, out);
  comment_for_api(out);
  return rc;
}

static const char SQL_ARTICLE_LIVE[] =
    "SELECT 1 FROM articles WHERE id = ?1"
    " AND status IN ('published', 'scheduled') AND published_at <= ?2";
static const char SQL_PARENT[] =
    "SELECT article_id, status, parent_id FROM comments WHERE id = ?1";
static const char SQL_APPROVED_BEFORE[] =
    "SELECT 1 FROM comments WHERE author_email = ?1 AND status = 'approved' LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO comments (article_id, parent_id, author_name, author_email,"
    " body, status, created_at, ip_hash, visitor)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_COUNT_UP[] =
    "UPDATE articles SET comment_count = comment_count + 1 WHERE id = ?1";
static const char SQL_BY_ID[] =
    "SELECT " COMMENT_COLS " FROM comments WHERE id = ?1";

/* Steps a one-row query; returns SQLITE_ROW, SQLITE_DONE or an error, and
** leaves the row readable (the caller resets). */
static int step1(sqlite3_stmt *st) { return st ? sqlite3_step(st) : SQLITE_ERROR; }

/* Checks the flood limits for the new comment's address and counts the
** comment; sets *retry (seconds) when it must wait. */
static int comment_flood(ctx *c, const comment_input *in, long *retry) {
  guard_state g;
  if (guard_read(c->db, GUARD_COMMENT, in->ip_hash, 0, c->now, &g) != 0) return -1;
  *retry = 0;
  if (g.count >= c->app->comment_flood_hourly)
    *retry = (long)(g.window + 3600 - c->now);
  /* last_at may be a second after this request's start (a later request
  ** committed first), so the gap is compared only when one is required. */
  else if (c->app->comment_flood_seconds > 0 && g.last_at &&
           c->now - g.last_at < c->app->comment_flood_seconds)
    *retry = (long)(g.last_at + c->app->comment_flood_seconds - c->now);
  if (*retry) return STORE_LIMIT;
  return guard_count(c->db, GUARD_COMMENT, in->ip_hash, 0, c->now);
}

/* Checks the parent: an approved comment of the same article, not too
** deep for a reply. */
static int comment_parent_ok(ctx *c, long article_id, long parent) {
  long id = parent;
  for (int depth = 1; id; depth++) {
    sqlite3_stmt *st = db_prepare(c->db, SQL_PARENT);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = step1(st);
    if (rc != SQLITE_ROW) {
      sqlite3_reset(st);
      return rc == SQLITE_DONE ? STORE_BAD_PARENT : -1;
    }
    int fits = sqlite3_column_int64(st, 0) == article_id &&
               strcmp(db_text(st, 1), "approved") == 0;
    id = (long)sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    if (id == parent || (depth == 1 && !fits)) return STORE_BAD_PARENT;
    if (depth >= c->app->comment_max_depth) return STORE_TOO_DEEP;
  }
  return 0;
}

/* Decides whether the comment waits for a moderator. */
static int comment_held(ctx *c, const comment_input *in) {
  if (c->app->comment_hold_all || escape_count_links(in->body) > 2) return 1;
  sqlite3_stmt *st = db_prepare(c->db, SQL_APPROVED_BEFORE);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, in->email, -1, SQLITE_STATIC);
  int rc = step1(st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Inserts the comment inside the caller's transaction. */
static int comment_write(ctx *c, long article_id, const comment_input *in,
                         long *id, long *retry) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_ARTICLE_LIVE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int64(st, 2, c->now);
  int rc = step1(st);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
  if ((rc = comment_flood(c, in, retry)) != 0) return rc;
  if (in->parent && (rc = comment_parent_ok(c, article_id, in->parent)) != 0) return rc;
  int held = comment_held(c, in);
  if (held < 0 || !(st = db_prepare(c->db, SQL_INSERT))) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  if (in->parent) sqlite3_bind_int64(st, 2, in->parent);
  sqlite3_bind_text(st, 3, in->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, in->email, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, in->body, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, held ? "pending" : "approved", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 7, c->now);
  sqlite3_bind_blob(st, 8, in->ip_hash, sizeof in->ip_hash, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, in->visitor, -1, SQLITE_STATIC);
  rc = step1(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return -1;
  *id = (long)sqlite3_last_insert_rowid(c->db->h);
  if (held) return 0;
  if (!(st = db_prepare(c->db, SQL_COUNT_UP))) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  rc = step1(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Loads comment id as an object into *out. */
static int comment_get(ctx *c, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_BY_ID);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc = step1(st);
  if (rc == SQLITE_ROW) *out = comment_from_row(c, st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

int comment_insert(ctx *c, long article_id, const comment_input *in,
                   cJSON **out, long *retry) {
  long id = 0;
  *retry = 0;
  if (db_begin(c->db) != 0) return -1;
  int rc = comment_write(c, article_id, in, &id, retry);
  if (rc == 0 && db_commit(c->db) != 0) rc = -1;
  if (rc != 0) {
    db_rollback(c->db);
    return rc;
  }
  return comment_get(c, id, out);
}

static const char SQL_SET_STATUS[] =
    "UPDATE comments SET status = ?2 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM comments WHERE id = ?1";
static const char SQL_ARTICLE_OF[] = "SELECT article_id FROM comments WHERE id = ?1";
static const char SQL_RECOUNT[] =
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments m"
    " WHERE m.article_id = articles.id AND m.status = 'approved') WHERE id = ?1";

/* Applies the change inside the caller's transaction. */
int comment_change_tx(db *d, long id, const char *status) {
  sqlite3_stmt *st = db_prepare(d, SQL_ARTICLE_OF);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc = step1(st);
  long article = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? 1 : -1;
  st = db_prepare(d, status ? SQL_SET_STATUS : SQL_DELETE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  if (status) sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
  if (step1(st) != SQLITE_DONE) return sqlite3_reset(st), -1;
  sqlite3_reset(st);
  if (!(st = db_prepare(d, SQL_RECOUNT))) return -1;
  sqlite3_bind_int64(st, 1, article);
  rc = step1(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int comment_moderate(db *d, long id, const char *status) {
  if (db_begin(d) != 0) return -1;
  int rc = comment_change_tx(d, id, status);
  if (rc == 0 && db_commit(d) != 0) rc = -1;
  if (rc != 0) db_rollback(d);
  return rc;
}
