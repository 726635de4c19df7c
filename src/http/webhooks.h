/*
** webhooks.h: delivering webhooks. Database triggers queue a delivery for
** each active endpoint that takes an event (sql/015); the webhook thread of
** gazette serve (server.c) sends what is due with webhook_work, one at a
** time, and announces the scheduled articles whose time came with
** webhook_scheduled (store_webhook.h).
**
** A delivery is a POST of application/json:
**
**   {"id": 42, "event": "article.published", "created_at": "...Z",
**    "data": {...}}
**
** with the headers X-Gazette-Event, X-Gazette-Delivery (the id, the same
** on every attempt), X-Gazette-Timestamp (Unix seconds of this attempt)
** and X-Gazette-Signature: "sha256=" and the hex HMAC-SHA256, keyed with the
** endpoint's secret, of the timestamp, a ".", and the body (docs/api.md
** shows how a receiver checks it). An answer 2xx delivers it; anything
** else (a redirect is not followed) is tried again after the
** webhook_retry_seconds setting, doubled after each failure up to six
** hours, until a day has passed since it was queued; then it has failed.
*/
#ifndef GAZETTE_WEBHOOKS_H
#define GAZETTE_WEBHOOKS_H

#include <time.h>

#include "buf.h"
#include "db.h"
#include "store_webhook.h"

enum {
  WEBHOOK_BACKOFF_MAX = 6 * 3600,   /* the longest wait between attempts */
  WEBHOOK_SIGNATURE_LEN = 7 + 64,   /* "sha256=" and 64 hex digits */
};

/* The names of the events, as an endpoint takes them. */
extern const char *const WEBHOOK_EVENTS[7];

/* What a delivery needs from the site's settings. */
typedef struct webhook_settings {
  const char *base_url;     /* for the addresses in an event */
  int allow_private;        /* webhook_allow_private */
  int timeout_seconds;      /* webhook_timeout_seconds */
  int retry_seconds;        /* webhook_retry_seconds */
} webhook_settings;

/* Writes into out the signature of body[0..n) sent at timestamp, keyed
** with secret: "sha256=" and the hex HMAC-SHA256 of "TIMESTAMP.BODY". */
void webhook_sign(const char *secret, long long timestamp, const char *body, size_t n,
                  char out[WEBHOOK_SIGNATURE_LEN + 1]);

/* Appends the body of delivery w to out: {id, event, created_at, data},
** data's times in ISO 8601, with the absolute addresses of what it is
** about (url and api_url of an article, api_url of a picture). */
void webhook_body(const webhook_due *w, const char *base_url, buf *out);

/* Returns the seconds to wait after the attempts-th failed attempt (1,
** 2, ...) when the first wait is base: base, 2 base, 4 base ... up to
** WEBHOOK_BACKOFF_MAX. */
long webhook_backoff(long attempts, int base);

/* Sends the next delivery due at now, if any, and records what came of
** it. Returns 1 when one was sent, 0 when none was due, -1 on a database
** failure. */
int webhook_work(db *d, time_t now, const webhook_settings *s);

#endif
