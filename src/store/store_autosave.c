/*
** store_autosave.c: the editor's autosaves (see store_autosave.h).
*/
#include "store_autosave.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char SQL_PUT[] =
    "INSERT INTO autosaves (user_id, article_id, fields, version, saved_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, article_id) DO UPDATE SET"
    " fields = excluded.fields, version = excluded.version, saved_at = excluded.saved_at";
static const char SQL_GET[] =
    "SELECT fields, version, saved_at FROM autosaves WHERE user_id = ?1 AND article_id = ?2";
static const char SQL_DROP[] = "DELETE FROM autosaves WHERE user_id = ?1 AND article_id = ?2";

int autosave_put(db *d, time_t now, long user, long article, const cJSON *fields, long version) {
  char *json = cJSON_PrintUnformatted(fields);
  if (!json) abort();
  size_t n = strlen(json);
  if (n > AUTOSAVE_MAX_BYTES) {
    cJSON_free(json);
    return STORE_LIMIT;
  }
  sqlite3_stmt *st = db_prepare(d, SQL_PUT);
  int rc = STORE_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, user);
    sqlite3_bind_int64(st, 2, article);
    sqlite3_bind_text(st, 3, json, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, version);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
    rc = db_run(st) < 0 ? STORE_ERROR : STORE_OK;
  }
  cJSON_free(json);
  return rc;
}

int autosave_get(db *d, long user, long article, autosave *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_GET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_int64(st, 2, article);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    out->fields = cJSON_Parse(db_text(st, 0));
    out->version = (long)sqlite3_column_int64(st, 1);
    out->saved_at = sqlite3_column_int64(st, 2);
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW && !cJSON_IsObject(out->fields)) {
    cJSON_Delete(out->fields);
    out->fields = NULL;
    return STORE_NOT_FOUND;
  }
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int autosave_drop(db *d, long user, long article) {
  sqlite3_stmt *st = db_prepare(d, SQL_DROP);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_int64(st, 2, article);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}
