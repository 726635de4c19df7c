/*
** Unit tests: how a connection is set up for the disk (the database is
** never mapped into memory, the write-ahead log is cut back after a
** checkpoint, durability follows the setting), and storage faults: a full
** database is noted as the thread's fault, also for the workers whose
** writes another worker's batch carried, and only faults are noted.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit.h"

#include "db.h"
#include "store.h"
#include "writer.h"

enum { THREADS = 4 };

typedef struct fixture {
  db *d;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!(f->d = unit_db(f->path, sizeof f->path, "faults"))) return -1;
  if (db_exec(f->d, "CREATE TABLE filler (x BLOB)") != 0) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* Returns the number PRAGMA name gives on d. */
static long long pragma(db *d, const char *sql) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(d->h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Every connection reads the file (a file cut short under it is an
** error, not SIGBUS), cuts its log back to DB_WAL_KEEP_BYTES, and commits
** as durably as asked. */
static void test_connection_setup(void **state) {
  fixture *f = *state;
  char err[256];
  db *d = db_open(f->path, 0, err, sizeof err);
  assert_non_null(d);
  assert_int_equal(pragma(d, "PRAGMA mmap_size"), 0);
  assert_int_equal(pragma(d, "PRAGMA journal_size_limit"), DB_WAL_KEEP_BYTES);
  assert_int_equal(pragma(d, "PRAGMA synchronous"), 1); /* NORMAL */
  assert_int_equal(db_durability(d, 1), 0);
  assert_int_equal(pragma(d, "PRAGMA synchronous"), 2); /* FULL */
  assert_int_equal(db_durability(d, 0), 0);
  assert_int_equal(pragma(d, "PRAGMA synchronous"), 1);
  db_close(d);
}

/* Only failures of the disk or the files are faults. */
static void test_fault_codes(void **state) {
  (void)state;
  db_fault_take();
  db_fault_note(SQLITE_CONSTRAINT_UNIQUE);
  db_fault_note(SQLITE_BUSY);
  db_fault_note(SQLITE_ERROR);
  db_fault_note(SQLITE_DONE);
  assert_int_equal(db_fault_take(), DB_FAULT_NONE);
  db_fault_note(SQLITE_IOERR_SHORT_READ);
  assert_int_equal(db_fault_peek(), DB_FAULT_IO);
  db_fault_note(SQLITE_NOTADB);
  assert_int_equal(db_fault_take(), DB_FAULT_DAMAGED);
  assert_int_equal(db_fault_take(), DB_FAULT_NONE);
  db_fault_note(SQLITE_READONLY_DBMOVED);
  assert_int_equal(db_fault_take(), DB_FAULT_READONLY);
  db_fault_note(SQLITE_FULL);
  assert_string_equal(db_fault_text(db_fault_take()),
                      "the disk is full (no space for the database or its write-ahead log)");
}

static const char SQL_FILL[] = "INSERT INTO filler VALUES (randomblob(65536))";

/* A write that needs more room than the database may take. */
static int fill(db *d, void *job) {
  (void)job;
  return db_run(db_prepare(d, SQL_FILL)) == 1 ? STORE_OK : STORE_ERROR;
}

/* A worker: its own connection, held to the database's present size (as a
** full disk would), one write through the shared writer; records what it
** got and its thread's fault. */
typedef struct worker_job {
  const char *path;
  writer *w;
  pthread_barrier_t *start;
  int rc;
  db_fault fault;
} worker_job;

static void *worker(void *arg) {
  worker_job *j = arg;
  char err[256];
  db *d = db_open(j->path, 0, err, sizeof err);
  if (!d) return NULL;
  long long pages = 0;
  static const char SQL_PAGES[] = "PRAGMA page_count";
  db_number(d, SQL_PAGES, 0, &pages);
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld", pages);
  db_exec(d, sql);
  db_fault_take();
  pthread_barrier_wait(j->start);
  j->rc = writer_run(j->w, d, fill, NULL);
  j->fault = db_fault_take();
  db_close(d);
  return NULL;
}

/* Writes refused for want of room fail with STORE_ERROR, and each writer's
** thread knows the disk was full, whichever thread ran the batch. */
static void test_full_reaches_every_writer(void **state) {
  fixture *f = *state;
  writer *w = writer_new();
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, THREADS);
  pthread_t tid[THREADS];
  worker_job jobs[THREADS];
  for (int i = 0; i < THREADS; i++) {
    jobs[i] = (worker_job){f->path, w, &start, STORE_OK, DB_FAULT_NONE};
    assert_int_equal(pthread_create(&tid[i], NULL, worker, &jobs[i]), 0);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(tid[i], NULL);
  for (int i = 0; i < THREADS; i++) {
    assert_int_equal(jobs[i].rc, STORE_ERROR);
    assert_int_equal(jobs[i].fault, DB_FAULT_FULL);
  }
  long long rows = -1;
  static const char SQL_ROWS[] = "SELECT count(*) FROM filler";
  assert_int_equal(db_number(f->d, SQL_ROWS, 0, &rows), 0);
  assert_int_equal(rows, 0);
  /* With room again, the same write succeeds and notes nothing. */
  db_fault_take();
  assert_int_equal(writer_run(w, f->d, fill, NULL), STORE_OK);
  assert_int_equal(db_fault_take(), DB_FAULT_NONE);
  pthread_barrier_destroy(&start);
  writer_free(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_connection_setup, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fault_codes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_full_reaches_every_writer, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
