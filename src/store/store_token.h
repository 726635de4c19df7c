/*
** store_token.h: personal API tokens and the answers kept for an
** Idempotency-Key, as stored. The rules (what a token looks like, how long
** a key is kept, what an answer is) are in src/api/tokens.c and
** src/api/idempotency.c; this is only the SQL. Functions return store
** results (store.h).
*/
#ifndef GAZETTE_STORE_TOKEN_H
#define GAZETTE_STORE_TOKEN_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "store.h"

enum {
  TOKEN_HASH_LEN = 32,        /* BLAKE2b-256 of a token's secret */
  TOKEN_SELECTOR_LEN = 16,    /* hex digits of the public part */
  TOKEN_NAME_MAX = 100,       /* characters of a token's name */
  TOKEN_IP_MAX = 64,          /* bytes of an address as kept */
};

/* A new token, as made by the caller (the secret is only in the hash). */
typedef struct token_new {
  long user_id;
  const char *name;
  const char *selector;                 /* TOKEN_SELECTOR_LEN hex digits */
  unsigned char hash[TOKEN_HASH_LEN];
  const char *scope;                    /* "read" or "write" */
  long long expires_at;
} token_new;

/* Stores t at now; sets *id. Returns STORE_OK or STORE_ERROR. */
int token_insert(db *d, time_t now, const token_new *t, long *id);

/* A token found by its selector, with its user as they are now. */
typedef struct token_auth {
  long id, user_id;
  unsigned char hash[TOKEN_HASH_LEN];
  int read_only;                        /* scope "read" */
  long long expires_at, revoked_at;     /* revoked_at 0: not revoked */
  long long last_used_at;
  char last_used_ip[TOKEN_IP_MAX];
  int user_disabled;
  char role[16], username[64], name[128];
  char token_name[4 * TOKEN_NAME_MAX + 1];
} token_auth;

/* Loads the token with this selector. Returns STORE_OK or
** STORE_NOT_FOUND. */
int token_find(db *d, const char *selector, token_auth *out);

/* Records that token id was used at now from address ip. */
int token_touch(db *d, long id, time_t now, const char *ip);

/* Revokes token id at now, when it is owner's (owner 0: anyone's). An
** already revoked token stays as it was. Returns STORE_OK or
** STORE_NOT_FOUND (no such token, or not owner's). */
int token_revoke(db *d, long id, long owner, time_t now);

/* Appends the tokens of user (0: of everyone) to out, newest first, as
** {id, name, scope, user_id, username, user_name, created_at, expires_at,
** last_used_at (or null), last_used_ip (or null), revoked_at (or null)}. */
int token_list(db *d, long user, cJSON *out);

/* Writes one line per token of user (0: everyone's), newest first: id,
** user, name, scope, state (active, expired, revoked), expiry, last use. */
int token_print(db *d, long user, time_t now, FILE *out);

/* Sets *id to the id of the user called username, whatever their state.
** Returns STORE_OK or STORE_NOT_FOUND. */
int token_user_id(db *d, const char *username, long *id);

/* ---- Idempotency-Key ------------------------------------------------------ */

enum { IDEM_FINGERPRINT_LEN = 32 };

/* A kept answer (its own copies: free with idem_row_free). */
typedef struct idem_row {
  long id;
  int status;                           /* 0: the first request is still running */
  long long created_at;
  unsigned char fingerprint[IDEM_FINGERPRINT_LEN];
  char content_type[64], etag[40];
  buf headers, body;
} idem_row;

/* Frees what a kept answer holds. */
void idem_row_free(idem_row *r);

/* Claims key for user at now with the request's fingerprint, in one
** transaction: a new row (*claimed = 1, out->id set), or none when one is
** kept (*claimed = 0, and out holds it). Rows made before before are
** forgotten first, and so are the user's oldest beyond max. Returns
** STORE_OK or STORE_ERROR. */
int idem_claim(db *d, time_t now, long user, const char *key,
               const unsigned char fp[IDEM_FINGERPRINT_LEN], long long before, long max,
               int *claimed, idem_row *out);

/* Takes over a row whose first request was abandoned (still running at
** stale_before): it is the caller's to answer now. Returns STORE_OK, or
** STORE_NOT_FOUND when another request took it first. */
int idem_retake(db *d, long id, long long stale_before, time_t now);

/* Keeps the answer of row id. */
int idem_save(db *d, long id, int status, const char *content_type, const char *etag,
              const char *headers, const char *body, size_t body_len);

/* Forgets row id (its request failed: a retry runs again). */
int idem_forget(db *d, long id);

/* Forgets every row made before before. */
int idem_expire(db *d, long long before);

#endif
