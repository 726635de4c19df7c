/*
** idempotency.h: Idempotency-Key on the POSTs of apps with an API token.
** An app on a flaky network sends a POST with "Idempotency-Key: KEY" (1 to
** 255 visible ASCII characters) and may send it again, with the same key,
** when no answer came: the retry gets the first answer again (with
** "Idempotent-Replayed: true") instead of acting twice. Keys belong to the
** token's user and are kept IDEM_KEEP_SECONDS (a day), at most
** IDEM_PER_USER of them (the oldest go first).
**
** The lifecycle calls idempotency_begin_or_reply after the route's policy
** and before the handler, and idempotency_end once the answer is final.
** What a request is, for a key, is its method, path, query, Content-Type
** and body (of a multipart upload: its length): the same key with another
** request is 422. A key whose first request is still being answered is
** 409; one whose first request was abandoned (a crash) more than
** IDEM_STALE_SECONDS ago runs again. An answer of 500 or more is not kept,
** so that a retry runs again.
*/
#ifndef GAZETTE_IDEMPOTENCY_H
#define GAZETTE_IDEMPOTENCY_H

#include "app.h"

enum {
  IDEM_KEY_MAX = 255,
  IDEM_KEEP_SECONDS = 86400,
  IDEM_PER_USER = 1000,
  IDEM_STALE_SECONDS = 120,
  IDEM_BODY_MAX = 1048576,   /* an answer longer than this is not kept */
};

/* For a POST with an Idempotency-Key: claims the key (c->idempotency is
** then set) and returns 0; or answers with the kept answer of the first
** request and returns its status; or answers 400 (a malformed key), 409
** (the first request is still being answered), 422 (the key came with
** another request) or 500, and returns that. Without the header, returns
** 0 and does nothing. */
int idempotency_begin_or_reply(ctx *c);

/* Keeps c's final answer for the key c->idempotency claimed (an answer of
** 500 or more, or one too long, lets the key go instead). */
void idempotency_end(ctx *c);

#endif
