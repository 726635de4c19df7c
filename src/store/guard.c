/*
** guard.c: per-address guard counters (see guard.h).
*/
#include "guard.h"

#include <string.h>

static const char SQL_READ[] =
    "SELECT count, last_at, window_start FROM guard_counters"
    " WHERE kind = ?1 AND key = ?2";
static const char SQL_COUNT[] =
    "INSERT INTO guard_counters (kind, key, window_start, count, last_at)"
    " VALUES (?1, ?2, ?3, 1, ?4) ON CONFLICT (kind, key) DO UPDATE SET"
    " count = CASE WHEN window_start = ?3 THEN count + 1 ELSE 1 END,"
    " window_start = ?3, last_at = ?4";
static const char SQL_EXPIRE[] =
    "DELETE FROM guard_counters WHERE window_start < ?1";

/* Fills key (24 bytes: the hash, then the article id) and returns the
** kind's name and the start of the window holding now. */
static const char *guard_key(guard_kind kind, const unsigned char ip[16],
                             long article, time_t now, unsigned char key[24],
                             long long *window) {
  long long a = article;
  memcpy(key, ip, 16);
  memcpy(key + 16, &a, 8);
  long long span = kind == GUARD_VOTE ? 86400 : 3600;
  *window = (long long)now / span * span;
  return kind == GUARD_VOTE ? "vote" : "comment";
}

int guard_read(db *d, guard_kind kind, const unsigned char ip[16], long article,
               time_t now, guard_state *out) {
  unsigned char key[24];
  const char *name = guard_key(kind, ip, article, now, key, &out->window);
  sqlite3_stmt *st = db_prepare(d, SQL_READ);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, key, sizeof key, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  out->count = 0;
  out->last_at = 0;
  if (rc == SQLITE_ROW) {
    out->last_at = sqlite3_column_int64(st, 1);
    if (sqlite3_column_int64(st, 2) == out->window)
      out->count = (long)sqlite3_column_int64(st, 0);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int guard_count(db *d, guard_kind kind, const unsigned char ip[16], long article,
                time_t now) {
  unsigned char key[24];
  long long window;
  const char *name = guard_key(kind, ip, article, now, key, &window);
  sqlite3_stmt *st = db_prepare(d, SQL_COUNT);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, key, sizeof key, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, window);
  sqlite3_bind_int64(st, 4, now);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int guard_expire(db *d, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_EXPIRE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, (long long)now - 2 * 86400 - 86400);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}
