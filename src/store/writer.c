/*
** writer.c: group commit by whichever worker comes first (see writer.h).
*/
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "store.h"
#include "timefmt.h"

enum {
  BATCH_MAX = 64,
  GATHER_RECENT_US = 2000, /* a batch committed this recently: writes are streaming in */
  GATHER_MAX_US = 400,     /* the longest a batch waits for its company */
};

/* One write waiting in the queue, on its caller's stack. */
typedef struct request {
  write_fn fn;
  void *job;
  int rc;
  int done;
  db_fault fault;  /* the storage fault that failed its batch, if any */
  struct request *next;
} request;

struct writer {
  pthread_mutex_t mu;
  pthread_cond_t done;   /* a batch was committed */
  request *head, *tail;  /* waiting, not yet taken into a batch */
  int busy;              /* a worker is running a batch */
  pthread_cond_t more;   /* a write joined the queue */
  int queued;            /* requests waiting, not yet taken */
  int last_size;         /* requests in the last batch */
  long long last_end;    /* when it was committed (time_mono_us) */
  int gathers;           /* whether a batch may wait for company */
};

/* Lets a batch about to start gather company (the caller holds w->mu and
** has set w->busy): while writes stream in (the last batch carried more
** than one and was committed within GATHER_RECENT_US), waits up to
** GATHER_MAX_US for as many to be queued as the last batch carried. The
** writes of the workers answering the last batch's callers arrive a
** moment after its commit; without the wait the first of them commits
** alone and the rest wait for its flush, halving every batch. */
static void writer_gather(writer *w) {
  long long now = time_mono_us();
  if (!w->gathers || w->last_size < 2 || w->queued >= w->last_size ||
      now - w->last_end > GATHER_RECENT_US)
    return;
  long long until = now + GATHER_MAX_US;
  struct timespec ts = {(time_t)(until / 1000000), (long)(until % 1000000) * 1000};
  while (w->queued < w->last_size)
    if (pthread_cond_timedwait(&w->more, &w->mu, &ts) != 0) break;
}

static const char SQL_SAVEPOINT[] = "SAVEPOINT write";
static const char SQL_RELEASE[] = "RELEASE write";
static const char SQL_UNDO[] = "ROLLBACK TO write";

/* Runs one request inside the open transaction, in its own savepoint. */
static void writer_one(db *d, request *r) {
  if (db_exec(d, SQL_SAVEPOINT) != 0) {
    r->rc = STORE_ERROR;
    return;
  }
  r->rc = r->fn(d, r->job);
  if (r->rc != STORE_OK && db_exec(d, SQL_UNDO) != 0) r->rc = STORE_ERROR;
  db_exec(d, SQL_RELEASE);
}

/* Runs a batch (a list of requests) in one transaction on d and commits
** it. When the transaction cannot begin or commit, or SQLite rolled it back
** on its own (a full disk, an I/O error: the writes before are gone too),
** every request fails and none after runs. Each failed request carries the
** storage fault met, if any. */
static void writer_batch(db *d, request *batch) {
  int ok = db_begin(d) == 0;
  for (request *r = batch; r && ok; r = r->next) {
    writer_one(d, r);
    if (sqlite3_get_autocommit(d->h)) ok = 0;
  }
  if (ok && db_commit(d) != 0) ok = 0;
  if (!ok) {
    db_rollback(d);
    for (request *r = batch; r; r = r->next) r->rc = STORE_ERROR;
  }
  db_fault f = db_fault_peek();
  for (request *r = batch; r; r = r->next)
    if (r->rc == STORE_ERROR) r->fault = f;
}

/* Takes the first BATCH_MAX waiting requests off the queue (the caller
** holds w->mu). */
static request *writer_take(writer *w) {
  request *batch = w->head, *last = batch;
  for (int n = 1; n < BATCH_MAX && last->next; n++) last = last->next;
  w->head = last->next;
  if (!w->head) w->tail = NULL;
  last->next = NULL;
  w->last_size = 0;
  for (request *r = batch; r; r = r->next) w->last_size++;
  w->queued -= w->last_size;
  return batch;
}

writer *writer_new(void) {
  writer *w = calloc(1, sizeof *w);
  if (!w) abort();
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->done, NULL);
  /* Batches gather only where the wait can be timed on the monotonic clock. */
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  w->gathers = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0;
  pthread_cond_init(&w->more, &attr);
  pthread_condattr_destroy(&attr);
  return w;
}

/* Runs fn in a transaction of its own on d. */
static int writer_alone(db *d, write_fn fn, void *job) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = fn(d, job);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) db_rollback(d);
  return rc;
}

int writer_run(writer *w, db *d, write_fn fn, void *job) {
  if (!w) return writer_alone(d, fn, job);
  request r = {fn, job, STORE_ERROR, 0, DB_FAULT_NONE, NULL};
  pthread_mutex_lock(&w->mu);
  if (w->tail) w->tail->next = &r;
  else w->head = &r;
  w->tail = &r;
  w->queued++;
  pthread_cond_signal(&w->more);
  while (!r.done) {
    if (w->busy || !w->head) {
      pthread_cond_wait(&w->done, &w->mu);
      continue;
    }
    /* No batch is running: this worker runs the queue, its own write
    ** among the first taken unless more than a batch is waiting. */
    w->busy = 1;
    writer_gather(w);
    request *batch = writer_take(w);
    pthread_mutex_unlock(&w->mu);
    writer_batch(d, batch);
    pthread_mutex_lock(&w->mu);
    for (request *q = batch, *next; q; q = next) {
      next = q->next; /* q may return and leave its caller's stack */
      q->done = 1;
    }
    w->busy = 0;
    w->last_end = time_mono_us();
    pthread_cond_broadcast(&w->done);
  }
  pthread_mutex_unlock(&w->mu);
  /* A write another thread carried reports that batch's fault here. */
  if (r.fault) db_fault_set(r.fault);
  return r.rc;
}

void writer_free(writer *w) {
  if (!w) return;
  pthread_cond_destroy(&w->more);
  pthread_cond_destroy(&w->done);
  pthread_mutex_destroy(&w->mu);
  free(w);
}
