/*
** tokens.h: personal API tokens. A token is the text
**
**   gzt_SELECTOR_SECRET     SELECTOR: 16 hex digits, SECRET: 64 hex digits
**
** shown once when it is made. The selector finds the stored token; only a
** BLAKE2b-256 hash of the secret is kept, and the hash of the secret sent
** is compared with it in constant time. A token is named, has a scope
** ("read": GET and HEAD only; "write": everything its user's role allows),
** an expiry, and the time and address of its last use; it may be revoked,
** and is revoked when its account is disabled or its password changes.
**
** The lifecycle calls token_principal_or_reply for a route whose forgery
** check is CSRF_BEARER: the request's "Authorization: Bearer TOKEN" makes
** c->user the token's user, acting with their role as it is now. Failed
** checks are counted per address, as failed sign-ins are (auth.h): after
** TOKEN_FAIL_DELAY_AFTER failures each try must wait longer (1, 2, 4 ...
** 64 s), and after TOKEN_FAIL_LOCK_AFTER the address is locked for
** TOKEN_LOCK_SECONDS; meanwhile every token from it is answered 429.
*/
#ifndef GAZETTE_TOKENS_H
#define GAZETTE_TOKENS_H

#include <time.h>

#include "app.h"

enum {
  TOKEN_TEXT_LEN = 4 + 16 + 1 + 64,   /* "gzt_" selector "_" secret */
  TOKEN_DAYS_DEFAULT = 90,
  TOKEN_DAYS_MAX = 3650,
  TOKEN_FAIL_DELAY_AFTER = 3,
  TOKEN_FAIL_LOCK_AFTER = 10,
  TOKEN_LOCK_SECONDS = 900,
};

/* Refusals of token_create, besides 0 and -1. */
enum { TOKEN_BAD_NAME = 1, TOKEN_BAD_SCOPE, TOKEN_BAD_DAYS };

/* Makes a token for user: name (1 to 100 characters, one line), scope
** "read" or "write", valid for days (1 to TOKEN_DAYS_MAX) from now. Writes
** its text into text (TOKEN_TEXT_LEN + 1 bytes), which is the only time it
** exists, and sets *id. Returns 0, -1 (a database failure), or
** TOKEN_BAD_NAME, TOKEN_BAD_SCOPE or TOKEN_BAD_DAYS. */
int token_create(db *d, time_t now, long user, const char *name, const char *scope, long days,
                 char text[TOKEN_TEXT_LEN + 1], long *id);

/* Splits a token's text into its selector (17 bytes) and the hash of its
** secret. Returns 0, or -1 when text is not a well-formed token. */
int token_parse(const char *text, char selector[17], unsigned char hash[32]);

/* Authenticates the request by its Authorization header: fills c->user
** (id, role, names, token, read_only) and returns 0; or answers 401
** (no token, or one that is malformed, unknown, wrong, expired, revoked or
** of a disabled account, with WWW-Authenticate), 429 (the address made
** too many failed tries; Retry-After) or 500, and returns that status. */
int token_principal_or_reply(ctx *c);

/* Returns "active", "expired" or "revoked" for a token record of
** token_list at now. */
const char *token_state(const cJSON *t, time_t now);

#endif
