/*
** writer.c: the group-commit writer thread (see writer.h).
*/
#include "writer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "store.h"

enum { BATCH_MAX = 64 };

/* One write waiting in the queue, on the caller's stack. */
typedef struct request {
  write_fn fn;
  void *job;
  int rc;
  int done;
  struct request *next;
} request;

struct writer {
  db *d;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t work;   /* a request was queued, or stop */
  pthread_cond_t done;   /* a batch was committed */
  request *head, *tail;
  int stop;
};

static const char SQL_SAVEPOINT[] = "SAVEPOINT write";
static const char SQL_RELEASE[] = "RELEASE write";
static const char SQL_UNDO[] = "ROLLBACK TO write";

/* Runs one request inside the open transaction, in its own savepoint. */
static void writer_one(writer *w, request *r) {
  if (db_exec(w->d, SQL_SAVEPOINT) != 0) {
    r->rc = STORE_ERROR;
    return;
  }
  r->rc = r->fn(w->d, r->job);
  if (r->rc != STORE_OK && db_exec(w->d, SQL_UNDO) != 0) r->rc = STORE_ERROR;
  db_exec(w->d, SQL_RELEASE);
}

/* Runs a batch (a list of n requests) in one transaction and commits it.
** When the transaction cannot begin or commit, every request fails. */
static void writer_batch(writer *w, request *batch) {
  int ok = db_begin(w->d) == 0;
  for (request *r = batch; r; r = r->next) {
    if (ok) writer_one(w, r);
    else r->rc = STORE_ERROR;
  }
  if (ok && db_commit(w->d) != 0) {
    db_rollback(w->d);
    for (request *r = batch; r; r = r->next) r->rc = STORE_ERROR;
  }
}

/* The writer thread: takes what is queued (at most BATCH_MAX at once),
** runs it as one batch, answers, and again until stopped. */
static void *writer_main(void *arg) {
  writer *w = arg;
  pthread_mutex_lock(&w->mu);
  for (;;) {
    while (!w->head && !w->stop) pthread_cond_wait(&w->work, &w->mu);
    if (!w->head) break;
    request *batch = w->head, *last = batch;
    for (int n = 1; n < BATCH_MAX && last->next; n++) last = last->next;
    w->head = last->next;
    if (!w->head) w->tail = NULL;
    last->next = NULL;
    pthread_mutex_unlock(&w->mu);
    writer_batch(w, batch);
    pthread_mutex_lock(&w->mu);
    for (request *r = batch; r; r = r->next) r->done = 1;
    pthread_cond_broadcast(&w->done);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

writer *writer_start(const char *path, char *err, size_t errlen) {
  writer *w = calloc(1, sizeof *w);
  if (!w) abort();
  w->d = db_open(path, 0, err, errlen);
  if (!w->d) {
    free(w);
    return NULL;
  }
  db_exec(w->d, "PRAGMA wal_autocheckpoint=0"); /* the checkpointer's work */
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->work, NULL);
  pthread_cond_init(&w->done, NULL);
  if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
    snprintf(err, errlen, "cannot start the writer thread");
    db_close(w->d);
    free(w);
    return NULL;
  }
  return w;
}

int writer_run(writer *w, db *d, write_fn fn, void *job) {
  if (!w) {
    if (db_begin(d) != 0) return STORE_ERROR;
    int rc = fn(d, job);
    if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
    if (rc != STORE_OK) db_rollback(d);
    return rc;
  }
  request r = {fn, job, STORE_ERROR, 0, NULL};
  pthread_mutex_lock(&w->mu);
  if (w->tail) w->tail->next = &r;
  else w->head = &r;
  w->tail = &r;
  pthread_cond_signal(&w->work);
  while (!r.done) pthread_cond_wait(&w->done, &w->mu);
  pthread_mutex_unlock(&w->mu);
  return r.rc;
}

void writer_stop(writer *w) {
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  w->stop = 1;
  pthread_cond_signal(&w->work);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->work);
  pthread_cond_destroy(&w->done);
  pthread_mutex_destroy(&w->mu);
  db_close(w->d);
  free(w);
}
