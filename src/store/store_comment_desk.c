/*
** store_comment_desk.c: what the newsroom writes into comments itself:
** its replies and its corrections (see store_newsroom.h).
*/
#include "store.h"
#include "store_newsroom.h"

static const char SQL_PARENT[] = "SELECT article_id FROM comments WHERE id = ?1";
static const char SQL_REPLY[] =
    "INSERT INTO comments (article_id, parent_id, author_name, author_email, body, status,"
    " created_at, staff_id) VALUES (?1, ?2, ?3, '', ?4, 'approved', ?5, ?6)";
static const char SQL_RECOUNT[] =
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments m"
    " WHERE m.article_id = articles.id AND m.status = 'approved') WHERE id = ?1";
static const char SQL_EDIT[] = "UPDATE comments SET body = ?2, edited_at = ?3 WHERE id = ?1";

/* Writes the reply inside the caller's transaction. Returns a store
** result. */
static int staff_reply_tx(db *d, time_t now, long parent_id, long user, const char *name,
                          const char *body, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_PARENT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, parent_id);
  int rc = db_step(st);
  long article = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  if (!(st = db_prepare(d, SQL_REPLY))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article);
  sqlite3_bind_int64(st, 2, parent_id);
  sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
  sqlite3_bind_int64(st, 6, user);
  if (db_run(st) != 1) return STORE_ERROR;
  *id = (long)sqlite3_last_insert_rowid(d->h);
  if (!(st = db_prepare(d, SQL_RECOUNT))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int comment_staff_reply(db *d, time_t now, long parent_id, long user, const char *name,
                        const char *body, long *id) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = staff_reply_tx(d, now, parent_id, user, name, body, id);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) db_rollback(d);
  return rc;
}

int comment_edit(db *d, time_t now, long id, const char *body) {
  sqlite3_stmt *st = db_prepare(d, SQL_EDIT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}
