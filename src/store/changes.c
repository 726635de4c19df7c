/*
** changes.c: the log of changes by cache tag (see changes.h).
*/
#include "changes.h"

#include <string.h>

static const char SQL_READ[] =
    "SELECT seq, tag, soft FROM changes WHERE seq > ?1 ORDER BY seq";
static const char SQL_LAST[] = "SELECT coalesce(max(seq), 0) FROM changes";
/* From the hard changes' own index (sql/033): one seek. */
static const char SQL_LAST_HARD[] =
    "SELECT coalesce((SELECT seq FROM changes INDEXED BY changes_hard WHERE soft = 0"
    " AND seq > ?1 ORDER BY seq DESC LIMIT 1), 0)";
static const char SQL_PRUNE[] = "DELETE FROM changes WHERE at < ?1";
static const char SQL_TIME[] = "SELECT at FROM change_times WHERE tag = ?1";

int change_read(db *d, long long seq, change_fn fn, void *ud, long long *last, int *gap) {
  sqlite3_stmt *st = db_prepare(d, SQL_READ);
  *last = seq;
  *gap = 0;
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, seq);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long long s = sqlite3_column_int64(st, 0);
    if (s != *last + 1) *gap = 1;
    *last = s;
    fn(ud, s, db_text(st, 1), sqlite3_column_int(st, 2));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

long long change_last(db *d) {
  sqlite3_stmt *st = db_prepare(d, SQL_LAST);
  if (!st) return -1;
  long long seq = db_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return seq;
}

long long change_last_hard(db *d, long long seq) {
  sqlite3_stmt *st = db_prepare(d, SQL_LAST_HARD);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, seq);
  long long last = db_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return last;
}

int change_prune(db *d, time_t before) {
  sqlite3_stmt *st = db_prepare(d, SQL_PRUNE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, before);
  return db_run(st) < 0 ? -1 : 0;
}

int change_time(db *d, const char *tags, long long *t) {
  sqlite3_stmt *st = db_prepare(d, SQL_TIME);
  *t = 0;
  if (!st) return -1;
  for (const char *p = tags; *p;) {
    size_t n = strcspn(p, " ");
    if (n) {
      sqlite3_bind_text(st, 1, p, (int)n, SQLITE_STATIC);
      int rc = db_step(st);
      if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > *t) *t = sqlite3_column_int64(st, 0);
      sqlite3_reset(st);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
    }
    p += n + (p[n] == ' ');
  }
  return 0;
}
