/*
** db.c: connections, statement cache, migrations, settings (see db.h).
*/
#include "db.h"
#include "search_passage.h"
#include "search_rank.h"
#include "search_text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The process's writer lock (see db.h); a lock, not data. */
static pthread_mutex_t db_writer = PTHREAD_MUTEX_INITIALIZER;

/* Waits for another process's writer a millisecond at a time, for five
** seconds at most (SQLite's own handler sleeps up to 100 ms at once). */
static int db_busy(void *arg, int count) {
  (void)arg;
  if (count >= 5000) return 0;
  struct timespec ms = {0, 1000 * 1000};
  nanosleep(&ms, NULL);
  return 1;
}

/* The calling thread's last storage fault (see db.h): a thread's own, like
** its connection, never shared. */
static _Thread_local db_fault db_thread_fault;

void db_fault_note(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL: db_thread_fault = DB_FAULT_FULL; break;
    case SQLITE_READONLY: db_thread_fault = DB_FAULT_READONLY; break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: db_thread_fault = DB_FAULT_IO; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: db_thread_fault = DB_FAULT_DAMAGED; break;
    default: break;
  }
}

void db_fault_set(db_fault f) { db_thread_fault = f; }

db_fault db_fault_take(void) {
  db_fault f = db_thread_fault;
  db_thread_fault = DB_FAULT_NONE;
  return f;
}

db_fault db_fault_peek(void) { return db_thread_fault; }

const char *db_fault_text(db_fault f) {
  switch (f) {
    case DB_FAULT_FULL: return "the disk is full (no space for the database or its write-ahead log)";
    case DB_FAULT_READONLY: return "the database files cannot be written (read-only)";
    case DB_FAULT_IO: return "the database files cannot be read or written (I/O error)";
    case DB_FAULT_DAMAGED: return "the database file does not read as a database (damaged or replaced)";
    default: return "no fault";
  }
}

#define DB_WAL_KEEP_TEXT "16777216" /* DB_WAL_KEEP_BYTES, as SQL text */
_Static_assert(DB_WAL_KEEP_BYTES == 16777216, "DB_WAL_KEEP_TEXT follows DB_WAL_KEEP_BYTES");

/* Generated at build time from sql/NNN_*.sql (cmake/embed_sql.cmake). */
extern const char *const gazette_migrations[];

/* Sets SQLite's process-wide options, once, before its first connection:
** no count of the memory it has allocated (each count takes a lock that
** every thread's allocations share; nothing reads it). */
static void db_configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static pthread_once_t db_configured = PTHREAD_ONCE_INIT;

db *db_open(const char *path, int create, char *err, size_t errlen) {
  pthread_once(&db_configured, db_configure);
  db *d = calloc(1, sizeof *d);
  if (!d) abort();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path, &d->h, flags, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path,
             d->h ? sqlite3_errmsg(d->h) : "out of memory");
    db_close(d);
    return NULL;
  }
  if (sqlite3_db_readonly(d->h, "main") == 1) {
    snprintf(err, errlen, "database %s is not writable", path);
    db_close(d);
    return NULL;
  }
  sqlite3_busy_handler(d->h, db_busy, NULL);
  sqlite3_extended_result_codes(d->h, 1);
  if (search_rank_register(d->h) != SQLITE_OK || search_passage_register(d->h) != SQLITE_OK ||
      search_text_register(d->h) != SQLITE_OK) {
    snprintf(err, errlen, "cannot use database %s: no full-text search", path);
    db_close(d);
    return NULL;
  }
  char *msg = NULL;
  if (sqlite3_exec(d->h,
                   "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                   "PRAGMA synchronous=NORMAL;"
                   /* The log is reused from its start after a checkpoint
                   ** has copied all of it; journal_size_limit then cuts a
                   ** log that a burst of writes grew back to this size. */
                   "PRAGMA journal_size_limit=" DB_WAL_KEEP_TEXT ";"
                   /* Memory: a connection keeps 3.5 MiB of pages of its
                   ** own, what the API's lists of sections, articles and
                   ** authors read on a 2 GB archive (with 3 MiB the
                   ** authors' list is read at half the speed, with 4 MiB
                   ** nothing is faster and gazette holds 3 MiB more); the
                   ** rest is read from the system's page cache, not mapped
                   ** (a mapped file that shrinks or goes away kills the
                   ** process; docs/performance.md). */
                   "PRAGMA cache_size=-3584; PRAGMA mmap_size=0;",
                   NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "cannot use database %s: %s", path,
             msg ? msg : sqlite3_errmsg(d->h));
    sqlite3_free(msg);
    db_close(d);
    return NULL;
  }
  return d;
}

int db_durability(db *d, int full) {
  return db_exec(d, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
}

/* Gives the writer lock back if this connection holds it. */
static void db_release(db *d) {
  if (!d->holds_writer) return;
  d->holds_writer = 0;
  pthread_mutex_unlock(&db_writer);
}

void db_close(db *d) {
  if (!d) return;
  db_rollback(d);
  for (int i = 0; i < DB_STMT_SLOTS; i++) sqlite3_finalize(d->stmt[i]);
  sqlite3_close(d->h);
  free(d);
}

long long db_vm_steps(db *d) {
  long long n = 0;
  for (int i = 0; i < DB_STMT_SLOTS; i++)
    if (d->stmt[i]) n += sqlite3_stmt_status(d->stmt[i], SQLITE_STMTSTATUS_VM_STEP, 1);
  return n;
}

int db_schema_version(void) {
  int n = 0;
  while (gazette_migrations[n]) n++;
  return n;
}

/* Returns PRAGMA user_version, or -1 on error. */
static int db_user_version(db *d) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(d->h, "PRAGMA user_version", -1, &st, NULL)) return -1;
  int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_finalize(st);
  return v;
}

int db_is_current(db *d) { return db_user_version(d) == db_schema_version(); }

int db_migrate(db *d, char *err, size_t errlen) {
  int have = db_user_version(d);
  int want = db_schema_version();
  if (have < 0) {
    snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(d->h));
    return -1;
  }
  if (have > want) {
    snprintf(err, errlen, "database schema %d is newer than this gazette (%d)",
             have, want);
    return -1;
  }
  for (int v = have; v < want; v++) {
    char *msg = NULL;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
    if (db_begin(d) != 0 ||
        sqlite3_exec(d->h, gazette_migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(d->h, pragma, NULL, NULL, &msg) != SQLITE_OK ||
        db_commit(d) != 0) {
      snprintf(err, errlen, "migration %03d failed: %s", v + 1,
               msg ? msg : sqlite3_errmsg(d->h));
      sqlite3_free(msg);
      db_rollback(d);
      return -1;
    }
  }
  return 0;
}

/* Returns the cache slot for sql: its own, or the first free one probed. */
static int db_slot(db *d, const char *sql) {
  uintptr_t h = ((uintptr_t)sql >> 3) * 2654435761u;
  for (int i = 0; i < DB_STMT_SLOTS; i++) {
    int s = (int)((h + (uintptr_t)i) % DB_STMT_SLOTS);
    if (d->sql[s] == sql || d->sql[s] == NULL) return s;
  }
  return -1;
}

/* Appends to d->plan_log each step of sql's query plan that reads a whole
** table without an index ("SCAN t" with no index named). Scans of a
** subquery's own small result (MATERIALIZE or CO-ROUTINE t), of a
** common table expression's rows (WITH [RECURSIVE] t) or of rows written
** in the query (VALUES: "SCAN n CONSTANT ROWS") are fine. */
/* Tables a query may read whole: small by design, whatever the size of
** the site (article_months: a row a month). */
static const char *const DB_WHOLE_TABLES[] = {"article_months"};

/* Returns 1 when the plan step "SCAN name..." reads one of
** DB_WHOLE_TABLES. */
static int db_whole_ok(const char *scanned) {
  for (size_t i = 0; i < sizeof DB_WHOLE_TABLES / sizeof DB_WHOLE_TABLES[0]; i++) {
    size_t n = strlen(DB_WHOLE_TABLES[i]);
    if (strncmp(scanned, DB_WHOLE_TABLES[i], n) == 0 && (!scanned[n] || scanned[n] == ' '))
      return 1;
  }
  return 0;
}

static void db_plan_check(db *d, const char *sql) {
  buf q = {0}, temp = {0};
  const char *with = strstr(sql, "WITH ");
  if (with) {
    with += 5;
    if (strncmp(with, "RECURSIVE ", 10) == 0) with += 10;
    buf_printf(&temp, "|%.*s|", (int)strcspn(with, " ("), with);
  }
  buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *step = db_text(st, 3);
      const char *sp = strchr(step, ' ');
      if (strncmp(step, "MATERIALIZE ", 12) == 0 || strncmp(step, "CO-ROUTINE ", 11) == 0)
        buf_printf(&temp, "|%s|", sp + 1);
      if (strncmp(step, "SCAN ", 5) != 0 || strstr(step, "INDEX") ||
          strstr(step, "CONSTANT ROW") || db_whole_ok(step + 5))
        continue;
      buf_reset(&q);
      buf_printf(&q, "|%s|", step + 5);
      if (!strstr(buf_str(&temp), buf_str(&q)))
        buf_printf(d->plan_log, "%s\n  in: %s\n", step, sql);
    }
    sqlite3_finalize(st);
  }
  buf_free(&q);
  buf_free(&temp);
}

sqlite3_stmt *db_prepare(db *d, const char *sql) {
  int s = db_slot(d, sql);
  if (s < 0) {
    fprintf(stderr, "gazette: statement cache full\n");
    return NULL;
  }
  if (d->sql[s] == sql) {
    sqlite3_reset(d->stmt[s]);
    sqlite3_clear_bindings(d->stmt[s]);
    return d->stmt[s];
  }
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) {
    db_fault_note(rc);
    fprintf(stderr, "gazette: SQL error: %s in: %s\n", sqlite3_errmsg(d->h), sql);
    return NULL;
  }
  d->sql[s] = sql;
  d->stmt[s] = st;
  if (d->plan_log) db_plan_check(d, sql);
  return st;
}

int db_step(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  db_fault_note(rc);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
    fprintf(stderr, "gazette: SQL error: %s in: %s\n",
            sqlite3_errmsg(sqlite3_db_handle(st)), sqlite3_sql(st));
  return rc;
}

int db_run(sqlite3_stmt *st) {
  if (!st) return -1;
  int rc = db_step(st);
  int changes = sqlite3_changes(sqlite3_db_handle(st));
  sqlite3_reset(st);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return changes;
  return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : -1;
}

int db_number(db *d, const char *sql, long long arg, long long *v) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, arg);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

int db_exec(db *d, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    db_fault_note(rc);
    fprintf(stderr, "gazette: SQL error: %s in: %s\n", msg ? msg : sqlite3_errmsg(d->h), sql);
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

int db_begin(db *d) {
  if (!d->holds_writer) {
    pthread_mutex_lock(&db_writer);
    d->holds_writer = 1;
  }
  if (db_exec(d, "BEGIN IMMEDIATE") == 0) return 0;
  db_release(d);
  return -1;
}

int db_commit(db *d) {
  if (db_exec(d, "COMMIT") != 0) return -1; /* the caller rolls back */
  db_release(d);
  return 0;
}

int db_rollback(db *d) {
  int rc = sqlite3_get_autocommit(d->h) ? 0 : db_exec(d, "ROLLBACK");
  db_release(d);
  return rc;
}

/* Waits for the readers of older data a millisecond at a time, for
** DB_FULL_WAIT_MS at most, while db_checkpoint_full holds the writers. */
static int db_busy_full(void *arg, int count) {
  (void)arg;
  if (count >= DB_FULL_WAIT_MS) return 0;
  struct timespec ms = {0, 1000 * 1000};
  nanosleep(&ms, NULL);
  return 1;
}

int db_checkpoint_full(db *d, int truncate) {
  pthread_mutex_lock(&db_writer);
  sqlite3_busy_handler(d->h, db_busy_full, NULL);
  int rc = sqlite3_wal_checkpoint_v2(
      d->h, NULL, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_RESTART, NULL, NULL);
  sqlite3_busy_handler(d->h, db_busy, NULL);
  pthread_mutex_unlock(&db_writer);
  return rc;
}

static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

int db_data_version(db *d, int64_t *v) {
  sqlite3_stmt *st = db_prepare(d, SQL_DATA_VERSION);
  if (!st) return -1;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

static const char SQL_SCHEMA_VERSION[] = "PRAGMA schema_version";

int db_schema_cookie(db *d, int64_t *v) {
  sqlite3_stmt *st = db_prepare(d, SQL_SCHEMA_VERSION);
  if (!st) return -1;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

const char *db_text(sqlite3_stmt *st, int col) {
  const unsigned char *t = sqlite3_column_text(st, col);
  return t ? (const char *)t : "";
}
