/*
** Unit tests: group commit keeps every write that succeeds, drops each
** refused one alone, and answers a caller only once its write is
** committed, whichever worker's connection ran the batch.
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

enum { THREADS = 8, EACH = 40 };

typedef struct fixture {
  db *d;
  writer *w;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!(f->d = unit_db(f->path, sizeof f->path, "writer"))) return -1;
  f->w = writer_new();
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  writer_free(f->w);
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* A test write: stores key, then refuses itself when key ends in "!". */
static int put_key(db *d, void *job) {
  const char *key = job;
  sqlite3_stmt *st = db_prepare(d, "INSERT INTO settings(key, value) VALUES (?1, 'v')");
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (db_run(st) < 0) return STORE_ERROR;
  return key[strlen(key) - 1] == '!' ? STORE_LIMIT : STORE_OK;
}

/* Returns 1 when key is stored, as another connection reads it. */
static int has_key(db *d, const char *key) {
  sqlite3_stmt *st = db_prepare(d, "SELECT 1 FROM settings WHERE key = ?1");
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int found = db_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return found;
}

typedef struct caller {
  fixture *f;
  int n;
  int seen_after;  /* writes visible to the caller's own connection */
} caller;

/* One worker: writes EACH keys (every fifth one refused) through the
** writer, and reads each accepted one back on a connection of its own at
** once. */
static void *caller_main(void *arg) {
  caller *c = arg;
  char err[256], key[64];
  db *mine = db_open(c->f->path, 0, err, sizeof err);
  for (int i = 0; i < EACH; i++) {
    snprintf(key, sizeof key, "t%d-%d%s", c->n, i, i % 5 == 4 ? "!" : "");
    int rc = writer_run(c->f->w, mine, put_key, key);
    if (rc == STORE_OK && has_key(mine, key)) c->seen_after++;
  }
  db_close(mine);
  return NULL;
}

static int count_keys(db *d, const char *pattern) {
  sqlite3_stmt *st = db_prepare(d, "SELECT count(*) FROM settings WHERE key GLOB ?1");
  sqlite3_bind_text(st, 1, pattern, -1, SQLITE_STATIC);
  db_step(st);
  int n = sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return n;
}

static void many_workers_each_see_their_write_committed(void **state) {
  fixture *f = *state;
  pthread_t t[THREADS];
  caller c[THREADS];
  for (int i = 0; i < THREADS; i++) {
    c[i] = (caller){f, i, 0};
    pthread_create(&t[i], NULL, caller_main, &c[i]);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  int accepted = EACH - EACH / 5;
  for (int i = 0; i < THREADS; i++) assert_int_equal(c[i].seen_after, accepted);
  assert_int_equal(count_keys(f->d, "t*"), THREADS * accepted);
  assert_int_equal(count_keys(f->d, "t*!"), 0);
}

static void a_refused_write_leaves_nothing_and_says_why(void **state) {
  fixture *f = *state;
  assert_int_equal(writer_run(f->w, f->d, put_key, "refused!"), STORE_LIMIT);
  assert_int_equal(has_key(f->d, "refused!"), 0);
  assert_int_equal(writer_run(f->w, f->d, put_key, "kept"), STORE_OK);
  assert_int_equal(has_key(f->d, "kept"), 1);
}

static void a_failed_write_fails_alone(void **state) {
  fixture *f = *state;
  assert_int_equal(writer_run(f->w, f->d, put_key, "twice"), STORE_OK);
  /* the same key again breaks the primary key: an error, nothing kept */
  assert_int_equal(writer_run(f->w, f->d, put_key, "twice"), STORE_ERROR);
  assert_int_equal(writer_run(f->w, f->d, put_key, "after"), STORE_OK);
  assert_int_equal(has_key(f->d, "after"), 1);
}

static void without_a_writer_a_write_has_its_own_transaction(void **state) {
  fixture *f = *state;
  assert_int_equal(writer_run(NULL, f->d, put_key, "alone"), STORE_OK);
  assert_int_equal(writer_run(NULL, f->d, put_key, "alone-refused!"), STORE_LIMIT);
  assert_int_equal(has_key(f->d, "alone"), 1);
  assert_int_equal(has_key(f->d, "alone-refused!"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(many_workers_each_see_their_write_committed, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_refused_write_leaves_nothing_and_says_why, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_failed_write_fails_alone, setup, teardown),
      cmocka_unit_test_setup_teardown(without_a_writer_a_write_has_its_own_transaction, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
