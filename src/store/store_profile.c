/*
** store_profile.c: what readers are told of a newsroom account: its
** display name, biography and picture (see store_newsroom.h).
*/
#include "store.h"
#include "store_newsroom.h"

static const char SQL_PROFILE[] =
    "SELECT id, username, display_name, bio, coalesce(avatar_id, 0) FROM users WHERE id = ?1";
static const char SQL_PROFILE_SET[] =
    "UPDATE users SET display_name = ?2, bio = ?3, avatar_id = nullif(?4, 0) WHERE id = ?1";

int user_profile_get(db *d, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_PROFILE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "username", db_text(st, 1));
    cJSON_AddStringToObject(o, "name", db_text(st, 2));
    cJSON_AddStringToObject(o, "bio", db_text(st, 3));
    cJSON_AddNumberToObject(o, "avatar_id", (double)sqlite3_column_int64(st, 4));
    *out = o;
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int user_profile_set(db *d, long id, const char *name, const char *bio, long avatar_id) {
  sqlite3_stmt *st = db_prepare(d, SQL_PROFILE_SET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, bio, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, avatar_id);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}
