/*
** backup.c: SQLite's online backup into a checked copy (see backup.h).
*/
#include "backup.h"

#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

/* The counted tables: what a site's readers and newsroom made. */
static const char *const BACKUP_TABLE_NAMES[BACKUP_TABLES] = {
    "articles", "comments", "ratings", "users", "media", "revisions"};

/* The counting queries, in the order of BACKUP_TABLE_NAMES. */
static const char *const BACKUP_COUNTS[BACKUP_TABLES] = {
    "SELECT count(*) FROM articles", "SELECT count(*) FROM comments",
    "SELECT count(*) FROM ratings",  "SELECT count(*) FROM users",
    "SELECT count(*) FROM media",    "SELECT count(*) FROM revisions"};

const char *backup_table(int i) {
  return i >= 0 && i < BACKUP_TABLES ? BACKUP_TABLE_NAMES[i] : "";
}

/* Sets rows[] to the counted tables' sizes on connection h. Returns 0, or
** -1 with the reason in err. */
static int backup_count(sqlite3 *h, long long rows[BACKUP_TABLES], char *err, size_t errlen) {
  for (int i = 0; i < BACKUP_TABLES; i++) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, BACKUP_COUNTS[i], -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
      snprintf(err, errlen, "cannot count %s: %s", BACKUP_TABLE_NAMES[i], sqlite3_errmsg(h));
      sqlite3_finalize(st);
      return -1;
    }
    rows[i] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  return 0;
}

/* Runs PRAGMA integrity_check on h. Returns 0 when it says "ok", else -1
** with its first complaint in err. */
static int backup_integrity(sqlite3 *h, char *err, size_t errlen) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  const unsigned char *says = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
  int ok = says && strcmp((const char *)says, "ok") == 0;
  if (!ok)
    snprintf(err, errlen, "the copy fails its integrity check: %s",
             says ? (const char *)says : sqlite3_errmsg(h));
  sqlite3_finalize(st);
  return ok ? 0 : -1;
}

/* Copies the live database into the open connection to, in one read
** transaction of from, and sets rows[] to what from held in it. Returns 0
** or -1 (err). */
static int backup_copy(db *from, sqlite3 *to, backup_report *r, char *err, size_t errlen) {
  if (db_exec(from, "BEGIN") != 0 || backup_count(from->h, r->rows, err, errlen) != 0) {
    if (!*err) snprintf(err, errlen, "cannot read the database: %s", sqlite3_errmsg(from->h));
    db_rollback(from);
    return -1;
  }
  sqlite3_backup *b = sqlite3_backup_init(to, "main", from->h, "main");
  int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
  r->pages = b ? sqlite3_backup_pagecount(b) : 0;
  if (b) sqlite3_backup_finish(b);
  db_rollback(from);
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "cannot copy the database: %s", sqlite3_errmsg(to));
    return -1;
  }
  return 0;
}

/* Flushes the file at path, and the folder that holds it, to the disk.
** Returns 0 or -1. */
static int backup_sync(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
  if (fd >= 0) close(fd);
  char *copy = strdup(path);
  if (!copy) abort();
  fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(copy);
  if (fd < 0 || fsync(fd) != 0) rc = -1;
  if (fd >= 0) close(fd);
  return rc;
}

/* Checks the finished copy on connection h against r: its integrity, and
** each counted table's rows. Returns 0 or -1 (err). */
static int backup_check(sqlite3 *h, const backup_report *r, char *err, size_t errlen) {
  long long rows[BACKUP_TABLES];
  if (backup_integrity(h, err, errlen) != 0 || backup_count(h, rows, err, errlen) != 0)
    return -1;
  for (int i = 0; i < BACKUP_TABLES; i++) {
    if (rows[i] != r->rows[i]) {
      snprintf(err, errlen, "the copy has %lld %s, the database had %lld", rows[i],
               BACKUP_TABLE_NAMES[i], r->rows[i]);
      return -1;
    }
  }
  return 0;
}

int backup_run(const char *db_path, const char *to, backup_report *r, char *err,
               size_t errlen) {
  memset(r, 0, sizeof *r);
  *err = 0;
  char part[4096];
  if (snprintf(part, sizeof part, "%s.part", to) >= (int)sizeof part) {
    snprintf(err, errlen, "backup file name too long");
    return -1;
  }
  db *from = db_open(db_path, 0, err, errlen);
  if (!from) return -1;
  unlink(part);
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(part, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot create %s: %s", part, h ? sqlite3_errmsg(h) : "out of memory");
  } else if (backup_copy(from, h, r, err, errlen) == 0) {
    rc = backup_check(h, r, err, errlen);
  } else {
    rc = -1;
  }
  db_close(from);
  /* Closing the copy's last connection folds its log into the file. */
  if (sqlite3_close(h) != SQLITE_OK && rc == 0) {
    snprintf(err, errlen, "cannot close %s", part);
    rc = -1;
  }
  if (rc == 0 && (backup_sync(part) != 0 || rename(part, to) != 0 || backup_sync(to) != 0)) {
    snprintf(err, errlen, "cannot write %s to the disk", to);
    rc = -1;
  }
  if (rc != 0) {
    unlink(part);
    return -1;
  }
  return 0;
}
