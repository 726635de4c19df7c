/*
** store_api.c: the API's own reads of the newsroom's things, and staff
** replies (see store_api.h).
*/
#include "store_api.h"

#include <string.h>

#include "store_sql.h"

static const char SQL_ARTICLE[] =
    "SELECT a.id, a.slug, a.title, a.summary, coalesce(b.body_md, ''), a.lang, a.dir, a.status,"
    " a.featured, c.id, c.slug, c.name, u.id, u.username, u.display_name, a.image_id,"
    " a.published_at, a.created_at, a.updated_at, " SQL_VISIBLE("a.", "?2") ","
    " (SELECT max(r.id) FROM revisions r WHERE r.article_id = a.id)"
    " FROM articles a JOIN categories c ON c.id = a.category_id"
    " JOIN users u ON u.id = a.author_id"
    " LEFT JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?1";
static const char SQL_ARTICLE_TAGS[] =
    "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
    " WHERE x.article_id = ?1 ORDER BY t.name, t.id";

/* Adds column col of st to o as key: a number, or null when NULL. */
static void api_number_or_null(cJSON *o, const char *key, sqlite3_stmt *st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL) cJSON_AddNullToObject(o, key);
  else cJSON_AddNumberToObject(o, key, (double)sqlite3_column_int64(st, col));
}

/* Builds the article record from a SQL_ARTICLE row. */
static cJSON *api_article_row(sqlite3_stmt *st) {
  cJSON *a = cJSON_CreateObject();
  cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 0));
  static const char *const text[] = {"slug", "title", "summary", "body", "lang", "dir", "status"};
  for (int i = 0; i < 7; i++) cJSON_AddStringToObject(a, text[i], db_text(st, 1 + i));
  cJSON_AddBoolToObject(a, "live", sqlite3_column_int(st, 19));
  cJSON_AddBoolToObject(a, "featured", sqlite3_column_int(st, 8));
  cJSON *c = cJSON_AddObjectToObject(a, "category");
  cJSON_AddNumberToObject(c, "id", (double)sqlite3_column_int64(st, 9));
  cJSON_AddStringToObject(c, "slug", db_text(st, 10));
  cJSON_AddStringToObject(c, "name", db_text(st, 11));
  cJSON *u = cJSON_AddObjectToObject(a, "author");
  cJSON_AddNumberToObject(u, "id", (double)sqlite3_column_int64(st, 12));
  cJSON_AddStringToObject(u, "username", db_text(st, 13));
  cJSON_AddStringToObject(u, "name", db_text(st, 14));
  api_number_or_null(a, "image_id", st, 15);
  api_number_or_null(a, "published_at", st, 16);
  cJSON_AddNumberToObject(a, "created_at", (double)sqlite3_column_int64(st, 17));
  cJSON_AddNumberToObject(a, "updated_at", (double)sqlite3_column_int64(st, 18));
  api_number_or_null(a, "revision", st, 20);
  return a;
}

int newsroom_article_get(db *d, time_t now, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_ARTICLE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
  int rc = db_step(st);
  cJSON *a = rc == SQLITE_ROW ? api_article_row(st) : NULL;
  sqlite3_reset(st);
  if (!a) return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  cJSON *tags = cJSON_AddArrayToObject(a, "tags");
  st = db_prepare(d, SQL_ARTICLE_TAGS);
  if (!st) {
    cJSON_Delete(a);
    return STORE_ERROR;
  }
  sqlite3_bind_int64(st, 1, id);
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(tags, cJSON_CreateString(db_text(st, 0)));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    cJSON_Delete(a);
    return STORE_ERROR;
  }
  *out = a;
  return STORE_OK;
}

/* ---- comments ----------------------------------------------------------- */

#define NEWSROOM_COMMENT_COLS                                                   \
  "SELECT m.id, a.id, a.slug, a.title, m.parent_id, m.author_name, m.author_email, m.body," \
  " m.status, m.created_at FROM comments m JOIN articles a ON a.id = m.article_id"
static const char SQL_COMMENTS[] =
    NEWSROOM_COMMENT_COLS " WHERE m.status = ?1 ORDER BY m.created_at DESC, m.id DESC"
    " LIMIT ?2 OFFSET ?3";
static const char SQL_COMMENTS_COUNT[] = "SELECT count(*) FROM comments WHERE status = ?1";
static const char SQL_COMMENT[] = NEWSROOM_COMMENT_COLS " WHERE m.id = ?1";

/* Builds a comment record from a NEWSROOM_COMMENT_COLS row. */
static cJSON *api_comment_row(sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON *a = cJSON_AddObjectToObject(o, "article");
  cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 1));
  cJSON_AddStringToObject(a, "slug", db_text(st, 2));
  cJSON_AddStringToObject(a, "title", db_text(st, 3));
  api_number_or_null(o, "parent_id", st, 4);
  cJSON_AddStringToObject(o, "author_name", db_text(st, 5));
  cJSON_AddStringToObject(o, "author_email", db_text(st, 6));
  cJSON_AddStringToObject(o, "body", db_text(st, 7));
  cJSON_AddStringToObject(o, "status", db_text(st, 8));
  cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 9));
  return o;
}

int newsroom_comments(db *d, const char *status, long page, long per_page, cJSON *out,
                      long *total) {
  sqlite3_stmt *st = db_prepare(d, SQL_COMMENTS_COUNT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
  int rc = db_step(st);
  *total = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW || !(st = db_prepare(d, SQL_COMMENTS))) return STORE_ERROR;
  sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, (page - 1) * per_page);
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, api_comment_row(st));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int newsroom_comment_get(db *d, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_COMMENT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *out = api_comment_row(st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static const char SQL_PARENT[] = "SELECT article_id, status, parent_id FROM comments WHERE id = ?1";
static const char SQL_STAFF[] =
    "SELECT display_name, coalesce(email, '') FROM users WHERE id = ?1";
static const char SQL_REPLY[] =
    "INSERT INTO comments (id, article_id, parent_id, author_name, author_email, body, status,"
    " created_at, staff_id)"
    " VALUES (" SQL_NEXT_ID("comments") ", ?1, ?2, ?3, ?4, ?5, 'approved', ?6, ?7)";
static const char SQL_COUNT_UP[] =
    "UPDATE articles SET comment_count = comment_count + 1 WHERE id = ?1";

/* Checks comment parent as the parent of a staff reply: sets *article.
** Returns a store result (see comment_staff_reply). */
static int staff_parent(db *d, long parent, int max_depth, long *article) {
  long id = parent;
  for (int depth = 1; id; depth++) {
    sqlite3_stmt *st = db_prepare(d, SQL_PARENT);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc != SQLITE_ROW) {
      sqlite3_reset(st);
      return rc == SQLITE_DONE ? (depth == 1 ? STORE_NOT_FOUND : STORE_BAD_PARENT) : STORE_ERROR;
    }
    if (depth == 1) {
      *article = (long)sqlite3_column_int64(st, 0);
      if (strcmp(db_text(st, 1), "approved") != 0) {
        sqlite3_reset(st);
        return STORE_BAD_PARENT;
      }
    }
    id = (long)sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    if (id == parent) return STORE_BAD_PARENT;
    if (depth >= max_depth) return STORE_TOO_DEEP;
  }
  return STORE_OK;
}

/* comment_staff_reply inside the caller's transaction. */
static int staff_reply_tx(db *d, time_t now, long parent, long user, int max_depth,
                          const char *body, long *id) {
  long article = 0;
  int rc = staff_parent(d, parent, max_depth, &article);
  if (rc != STORE_OK) return rc;
  sqlite3_stmt *st = db_prepare(d, SQL_STAFF);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  if ((rc = db_step(st)) != SQLITE_ROW) {
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  }
  sqlite3_stmt *ins = db_prepare(d, SQL_REPLY);
  if (ins) {
    sqlite3_bind_int64(ins, 1, article);
    sqlite3_bind_int64(ins, 2, parent);
    sqlite3_bind_text(ins, 3, db_text(st, 0), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 4, db_text(st, 1), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 5, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 6, (sqlite3_int64)now);
    sqlite3_bind_int64(ins, 7, user);
  }
  sqlite3_reset(st);
  if (db_run(ins) != 1) return STORE_ERROR;
  *id = (long)sqlite3_last_insert_rowid(d->h);
  st = db_prepare(d, SQL_COUNT_UP);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article);
  return db_run(st) == 1 ? STORE_OK : STORE_ERROR;
}

/* Approves comment id when it is held for moderation, inside the caller's
** transaction. Returns STORE_OK (also when it was not held), or
** STORE_ERROR. */
static int staff_approve_held(db *d, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_PARENT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  int held = rc == SQLITE_ROW && strcmp(db_text(st, 1), "pending") == 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return STORE_ERROR;
  return held && comment_change_tx(d, id, "approved") < 0 ? STORE_ERROR : STORE_OK;
}

int comment_staff_reply(db *d, time_t now, long parent, long user, int approve,
                        int max_depth, const char *body, long *id) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = approve ? staff_approve_held(d, parent) : STORE_OK;
  if (rc == STORE_OK) rc = staff_reply_tx(d, now, parent, user, max_depth, body, id);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) db_rollback(d);
  return rc;
}
