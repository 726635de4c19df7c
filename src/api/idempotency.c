/*
** idempotency.c: kept answers for Idempotency-Key (see idempotency.h).
*/
#include "idempotency.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store_token.h"
#include "view.h"

/* The Content-Types an answer may have, as the static strings a response
** holds. */
static const char *const TYPES[] = {
    "application/json", "application/problem+json", "text/plain; charset=utf-8",
    "text/html; charset=utf-8",
};

/* Returns 1 when key is 1 to IDEM_KEY_MAX visible ASCII characters. */
static int idem_key_ok(const char *key) {
  size_t n = strlen(key);
  if (n == 0 || n > IDEM_KEY_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)key[i] <= ' ' || (unsigned char)key[i] >= 0x7f) return 0;
  return 1;
}

/* Adds the text s (NULL: "") and a separator to the hash. */
static void idem_hash_text(crypto_generichash_state *h, const char *s) {
  static const unsigned char sep = 0;
  if (s) crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
  crypto_generichash_update(h, &sep, 1);
}

/* Writes what identifies the request into fp: its method, path, query,
** and its Content-Type and body when it was read (an upload's body is
** streamed to its handler: it is not part of it, nor is its type, whose
** boundary a client makes anew for each try). */
static void idem_fingerprint(const ctx *c, unsigned char fp[IDEM_FINGERPRINT_LEN]) {
  crypto_generichash_state h;
  crypto_generichash_init(&h, NULL, 0, IDEM_FINGERPRINT_LEN);
  idem_hash_text(&h, c->req.method);
  idem_hash_text(&h, c->req.path);
  idem_hash_text(&h, c->req.query);
  if (c->match.route && c->match.route->body != BODY_MULTIPART) {
    idem_hash_text(&h, request_param(&c->req, "CONTENT_TYPE"));
    if (c->req.body)
      crypto_generichash_update(&h, (const unsigned char *)c->req.body, c->req.body_len);
  }
  crypto_generichash_final(&h, fp, IDEM_FINGERPRINT_LEN);
}

/* Answers with the kept answer r. Returns its status. */
static int idem_replay(ctx *c, const idem_row *r) {
  c->res.status = r->status;
  c->res.content_type = NULL;
  for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
    if (strcmp(r->content_type, TYPES[i]) == 0) c->res.content_type = TYPES[i];
  if (!c->res.content_type && r->body.len) c->res.content_type = TYPES[0];
  snprintf(c->res.etag, sizeof c->res.etag, "%s", r->etag);
  buf_reset(&c->res.headers);
  buf_append(&c->res.headers, buf_str(&r->headers), r->headers.len);
  buf_reset(&c->res.body);
  buf_append(&c->res.body, buf_str(&r->body), r->body.len);
  response_header(&c->res, "Idempotent-Replayed", "true");
  return r->status;
}

/* Decides about a key kept already (r). Returns the status answered, or
** 0 when the request is to run (it took over an abandoned claim). */
static int idem_kept(ctx *c, const idem_row *r, const unsigned char fp[IDEM_FINGERPRINT_LEN]) {
  int same = sodium_memcmp(fp, r->fingerprint, IDEM_FINGERPRINT_LEN) == 0;
  if (!r->status) {
    int rc = same ? idem_retake(c->db, r->id, (long long)c->now - IDEM_STALE_SECONDS, c->now)
                  : STORE_NOT_FOUND;
    if (rc == STORE_OK) {
      c->idempotency = r->id;
      return 0;
    }
    if (rc != STORE_NOT_FOUND) return 500;
    response_header(&c->res, "Retry-After", "1");
    return view_problem(c, 409,
                        "The first request with this Idempotency-Key is still being answered.",
                        NULL, NULL);
  }
  if (!same)
    return view_problem(c, 422, "This Idempotency-Key was used for another request.",
                        "Idempotency-Key", "was used for another request");
  return idem_replay(c, r);
}

int idempotency_begin_or_reply(ctx *c) {
  const char *key = request_header(&c->req, "Idempotency-Key");
  if (!key) return 0;
  if (!idem_key_ok(key))
    return view_problem(c, 400,
                        "The parameter Idempotency-Key is not valid: must be 1 to 255 visible "
                        "ASCII characters.",
                        "Idempotency-Key", "must be 1 to 255 visible ASCII characters");
  unsigned char fp[IDEM_FINGERPRINT_LEN];
  idem_fingerprint(c, fp);
  idem_row r;
  int claimed = 0;
  if (idem_claim(c->db, c->now, c->user.id, key, fp, (long long)c->now - IDEM_KEEP_SECONDS,
                 IDEM_PER_USER, &claimed, &r) != STORE_OK) {
    idem_row_free(&r);
    return 500;
  }
  int st = 0;
  if (claimed) c->idempotency = r.id;
  else st = idem_kept(c, &r, fp);
  idem_row_free(&r);
  return st;
}

void idempotency_end(ctx *c) {
  long id = c->idempotency;
  const response *res = &c->res;
  c->idempotency = 0;
  if (!id) return;
  if (res->status >= 500 || res->status < 200 || res->body.len > IDEM_BODY_MAX ||
      res->producer.produce) {
    idem_forget(c->db, id);
    return;
  }
  if (idem_save(c->db, id, res->status, res->content_type, res->etag, buf_str(&res->headers),
                buf_str(&res->body), res->body.len) != STORE_OK)
    idem_forget(c->db, id);
}
