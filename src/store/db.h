/*
** db.h: one SQLite connection per worker thread, its prepared statements,
** the schema migrations and the site settings.
*/
#ifndef GAZETTE_DB_H
#define GAZETTE_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
  DB_STMT_SLOTS = 512,
  DB_WAL_KEEP_BYTES = 16 * 1024 * 1024,  /* PRAGMA journal_size_limit; see server.c */
  DB_FULL_WAIT_MS = 50,  /* db_checkpoint_full's longest wait for readers */
};

/* What the published lists looked like at the last look (store_article.c
** keeps it): true while the database is as it was (data_version, and the
** connection's own changes) and the time is within [from, until), until
** being the next scheduled publication (0: none). Each figure is read when
** first asked for. */
typedef struct db_schedule {
  int known;
  int64_t version, changes;
  long long from, until;
  int have_last_change, have_counts;
  long long last_change; /* the newest publication or edit that is visible */
  long long coming;      /* listed articles still to come */
  long long listed;      /* listed articles (published or scheduled) */
} db_schedule;

typedef struct db {
  sqlite3 *h;
  /* Statement cache keyed by the address of the SQL text: each store
  ** function's static SQL string is prepared once per connection. */
  const char *sql[DB_STMT_SLOTS];
  sqlite3_stmt *stmt[DB_STMT_SLOTS];
  /* When set (by tests), every statement's query plan is checked as it is
  ** prepared, and each full table scan is described here. */
  buf *plan_log;
  int holds_writer;  /* this connection holds the process's writer lock */
  /* The storage fault a request on this connection was refused for (set
  ** by the request's finish, cleared by the connection's owner once it has
  ** acted on it: server.c opens a new connection). */
  int fault;
  db_schedule schedule;
} db;

/* Opens the database at path (creating the file only when create is set)
** in WAL mode with a busy timeout and foreign keys on; a write-ahead log
** emptied by a checkpoint is cut back to DB_WAL_KEEP_BYTES. Returns a new db, or
** NULL with a one-line reason in err. */
db *db_open(const char *path, int create, char *err, size_t errlen);

/* Sets how a commit on d reaches the disk: with full set, each commit
** waits until the write-ahead log is on the disk (it survives a power
** loss; PRAGMA synchronous=FULL); else only checkpoints wait (a commit
** survives a crash of the process, but a power loss may undo the last
** ones; NORMAL). Returns 0 or -1. */
int db_durability(db *d, int full);

/* Finalizes the cached statements and closes the connection. */
void db_close(db *d);

/* Applies every migration in sql/ newer than PRAGMA user_version, each in
** its own transaction. Returns 0, or -1 with a reason in err. Running it
** on an up-to-date database changes nothing. */
int db_migrate(db *d, char *err, size_t errlen);

/* Returns the virtual machine steps the connection's cached statements
** have run since the last call (SQLite's own, deterministic measure of a
** query's work), and starts counting again. */
long long db_vm_steps(db *d);

/* Returns the number of migrations built into the binary. */
int db_schema_version(void);

/* Returns 1 when the schema is at the version this binary expects. */
int db_is_current(db *d);

/* Returns the statement for the static SQL text sql, prepared on first use
** and reset with its bindings cleared on every later call. The pointer,
** not the text, identifies the statement, so pass a static string. Returns
** NULL (after logging the error) when the SQL does not prepare. */
sqlite3_stmt *db_prepare(db *d, const char *sql);

/* Steps st like sqlite3_step and returns its code. A failure other than a
** constraint (which the caller expects and turns into a refusal) is
** logged here, once, with sqlite3_errmsg and the statement. */
int db_step(sqlite3_stmt *st);

/* Runs the write st (its parameters bound) to its end and resets it.
** Returns the number of rows changed, DB_CONSTRAINT when a constraint
** (unique, foreign key, check) refused it, or -1 (logged). */
int db_run(sqlite3_stmt *st);
enum { DB_CONSTRAINT = -2 };

/* Runs sql (one or more statements, no parameters). Returns 0 or -1. */
int db_exec(db *d, const char *sql);

/* Runs the one-row, one-number query sql (static text, prepared once) with
** arg bound to ?1 and sets *v to its number. Returns 0, or -1 when it
** failed or gave no row. */
int db_number(db *d, const char *sql, long long arg, long long *v);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return 0 or -1.
** The write transactions of one process take turns on a mutex before they
** ask SQLite for its write lock, so that a worker waits for the one
** writer ahead of it (woken the moment it finishes) instead of sleeping in
** SQLite's busy handler, and readers keep their threads. Writers in other
** processes (the gazette command) still meet the busy timeout. */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);

/* Empties the write-ahead log into the database (sqlite3_wal_checkpoint_v2
** with SQLITE_CHECKPOINT_RESTART, or TRUNCATE when truncate is set, which
** also cuts the log file to nothing). The process's writers wait on the
** mutex of db_begin meanwhile, so that the checkpoint finds SQLite's write
** lock free at once and they are woken the moment it ends, not polling
** for it. It waits DB_FULL_WAIT_MS at most for readers still on older
** data (a long streamed answer, a backup): then it gives up with
** SQLITE_BUSY rather than hold the writers longer. Returns SQLite's
** result code. */
int db_checkpoint_full(db *d, int truncate);

/* Sets *v to PRAGMA data_version: it changes when another connection
** commits. Returns 0 or -1. */
int db_data_version(db *d, int64_t *v);

/* Sets *v to PRAGMA schema_version: it changes when the schema does.
** Returns 0 or -1. */
int db_schema_cookie(db *d, int64_t *v);

/* Storage faults: failures that come from the disk or the files, not from
** the request (the disk is full; the database cannot be read or written,
** or does not read as a database). Each thread remembers the last one its
** connection met, so that the request it is answering can tell the reader
** "try again later" (503) instead of "something went wrong". */
typedef enum db_fault {
  DB_FAULT_NONE = 0,
  DB_FAULT_FULL,      /* SQLITE_FULL: no space for the database or its log */
  DB_FAULT_READONLY,  /* SQLITE_READONLY: the files cannot be written */
  DB_FAULT_IO,        /* SQLITE_IOERR, SQLITE_CANTOPEN: reading or writing failed */
  DB_FAULT_DAMAGED,   /* SQLITE_CORRUPT, SQLITE_NOTADB: not a database any more */
} db_fault;

/* Notes rc (an SQLite result code) as the calling thread's last fault when
** it is one; other codes change nothing. */
void db_fault_note(int rc);

/* Sets the calling thread's last fault to f (a batch's fault, carried to
** the threads whose writes were in it). */
void db_fault_set(db_fault f);

/* Returns the calling thread's last fault (DB_FAULT_NONE: none since the
** last db_fault_take) and forgets it. */
db_fault db_fault_take(void);

/* Returns the calling thread's last fault without forgetting it. */
db_fault db_fault_peek(void);

/* Returns a short English description of f for the log. */
const char *db_fault_text(db_fault f);

/* Returns sqlite3_column_text as a never-NULL C string. */
const char *db_text(sqlite3_stmt *st, int col);

#endif
