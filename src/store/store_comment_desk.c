/*
** store_comment_desk.c: the newsroom's corrections of comments (see
** store_newsroom.h; its replies are comment_staff_reply, store_api.c).
*/
#include "store.h"
#include "store_newsroom.h"

static const char SQL_EDIT[] = "UPDATE comments SET body = ?2, edited_at = ?3 WHERE id = ?1";

int comment_edit(db *d, time_t now, long id, const char *body) {
  sqlite3_stmt *st = db_prepare(d, SQL_EDIT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}
