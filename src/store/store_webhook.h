/*
** store_webhook.h: webhooks as stored: the endpoints admins register, and
** the queue of deliveries that database triggers fill (sql/015) and the
** webhook thread empties (webhooks.h). This is only the SQL. Functions
** return store results (store.h).
*/
#ifndef GAZETTE_STORE_WEBHOOK_H
#define GAZETTE_STORE_WEBHOOK_H

#include <cjson/cJSON.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "store.h"

enum {
  WEBHOOK_URL_MAX = 500,        /* bytes of an endpoint's address */
  WEBHOOK_SECRET_MAX = 200,     /* bytes of a secret */
  WEBHOOK_ANSWER_KEPT = 1000,   /* bytes of a receiver's answer kept */
  WEBHOOK_DELIVERIES_KEPT = 30, /* days a finished delivery is kept */
};

/* An endpoint as an admin sends it. */
typedef struct webhook_in {
  const char *url, *events, *secret;   /* events: names, space-separated */
  int active;
} webhook_in;

/* Adds an endpoint at now; sets *id. Returns STORE_OK or STORE_ERROR. */
int webhook_insert(db *d, time_t now, const webhook_in *w, long *id);

/* Changes endpoint id at now. Returns STORE_OK or STORE_NOT_FOUND. */
int webhook_update(db *d, time_t now, long id, const webhook_in *w);

/* Deletes endpoint id with its deliveries. Returns STORE_OK or
** STORE_NOT_FOUND. */
int webhook_delete(db *d, long id);

/* Appends every endpoint to out, oldest first, as {id, url, events,
** active, created_at, pending (deliveries waiting), failed (deliveries
** given up)}. */
int webhook_list(db *d, cJSON *out);

/* Loads endpoint id as {id, url, events, secret, active, created_at,
** updated_at}. Returns STORE_OK or STORE_NOT_FOUND. */
int webhook_get(db *d, long id, cJSON **out);

/* Appends one page of endpoint id's deliveries, newest first, as {id,
** event, state, attempts, next_at, created_at, last_at, last_status (or
** null), last_error, last_answer}, and sets *total. */
int webhook_deliveries(db *d, long id, long page, long per_page, cJSON *out, long *total);

/* Sends delivery did of endpoint id again: pending, due at now, with a
** day to succeed. Returns STORE_OK or STORE_NOT_FOUND. */
int webhook_redeliver(db *d, time_t now, long id, long did);

/* ---- the webhook thread's side -------------------------------------------- */

/* A delivery due, with its endpoint. The strings are copies. */
typedef struct webhook_due {
  long id, webhook_id;
  char event[40];
  buf data, url, secret;
  long attempts;
  long long created_at, give_up_at;
} webhook_due;

/* Frees what a due delivery holds. */
void webhook_due_free(webhook_due *w);

/* Takes the next delivery due at now (pending, next_at passed) for the
** caller to send: its next_at moves to lease_until, so that no other
** thread or process sends it meanwhile, and a crash leaves it to be sent
** again then. Returns STORE_OK with *out filled, STORE_NOT_FOUND when none
** is due, or STORE_ERROR. */
int webhook_take(db *d, time_t now, long long lease_until, webhook_due *out);

/* The outcome of one attempt. */
typedef struct webhook_result {
  int delivered;          /* the receiver answered 2xx */
  int status;             /* its HTTP status, 0 when none came */
  const char *error;      /* why it failed ("" when delivered) */
  const char *answer;     /* the start of its answer ("" when none) */
  long long next_at;      /* when to try again; past give_up_at: failed */
} webhook_result;

/* Records attempt of delivery id at now. Returns a store result. */
int webhook_record(db *d, time_t now, long id, const webhook_result *r);

/* Queues article.published for the articles whose scheduled time came
** after the last call and by now (those made visible by a write are
** queued by the write's trigger), and moves the clock to now. Returns a
** store result. */
int webhook_scheduled(db *d, time_t now);

/* Forgets the finished deliveries made before before. */
int webhook_prune(db *d, long long before);

#endif
