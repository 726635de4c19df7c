/*
** tokens.c: personal API tokens (see tokens.h).
*/
#include "tokens.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "json.h"
#include "store_token.h"
#include "store_user.h"
#include "utf8.h"
#include "view.h"
#include "visitor.h"

enum { TOUCH_EVERY = 60 };   /* seconds between two records of a token's use */

static const char PREFIX[] = "gzt_";

/* Writes n random bytes into out as 2n lower-case hex digits. */
static void token_random_hex(char *out, size_t n) {
  unsigned char raw[32];
  randombytes_buf(raw, n);
  sodium_bin2hex(out, 2 * n + 1, raw, n);
  sodium_memzero(raw, sizeof raw);
}

/* Hashes the secret part (64 hex digits) into h. */
static void token_hash(const char *secret, unsigned char h[TOKEN_HASH_LEN]) {
  crypto_generichash(h, TOKEN_HASH_LEN, (const unsigned char *)secret, 64, NULL, 0);
}

/* Returns 1 when name is acceptable for a token: 1 to TOKEN_NAME_MAX
** characters of valid UTF-8 with no control character. */
static int token_name_ok(const char *name) {
  size_t n = strlen(name);
  if (!n || !utf8_valid(name, n) || utf8_length(name, n) > TOKEN_NAME_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)name[i] < ' ' || name[i] == 0x7f) return 0;
  return 1;
}

int token_create(db *d, time_t now, long user, const char *name, const char *scope, long days,
                 char text[TOKEN_TEXT_LEN + 1], long *id) {
  if (!name || !token_name_ok(name)) return TOKEN_BAD_NAME;
  if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0))
    return TOKEN_BAD_SCOPE;
  if (days < 1 || days > TOKEN_DAYS_MAX) return TOKEN_BAD_DAYS;
  char selector[TOKEN_SELECTOR_LEN + 1], secret[65];
  token_random_hex(selector, TOKEN_SELECTOR_LEN / 2);
  token_random_hex(secret, 32);
  token_new t = {.user_id = user, .name = name, .selector = selector, .scope = scope,
                 .expires_at = (long long)now + (long long)days * 86400};
  token_hash(secret, t.hash);
  int rc = token_insert(d, now, &t, id) == STORE_OK ? 0 : -1;
  if (rc == 0) snprintf(text, TOKEN_TEXT_LEN + 1, "%s%s_%s", PREFIX, selector, secret);
  sodium_memzero(secret, sizeof secret);
  return rc;
}

/* Returns 1 when s[0..n) is all lower-case hex digits. */
static int token_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) return 0;
  return 1;
}

int token_parse(const char *text, char selector[17], unsigned char hash[32]) {
  size_t p = sizeof PREFIX - 1;
  if (!text || strlen(text) != TOKEN_TEXT_LEN || strncmp(text, PREFIX, p) != 0 ||
      text[p + TOKEN_SELECTOR_LEN] != '_' || !token_hex(text + p, TOKEN_SELECTOR_LEN) ||
      !token_hex(text + p + TOKEN_SELECTOR_LEN + 1, 64))
    return -1;
  memcpy(selector, text + p, TOKEN_SELECTOR_LEN);
  selector[TOKEN_SELECTOR_LEN] = 0;
  token_hash(text + p + TOKEN_SELECTOR_LEN + 1, hash);
  return 0;
}

const char *token_state(const cJSON *t, time_t now) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, "revoked_at");
  if (cJSON_IsNumber(r)) return "revoked";
  return json_num(t, "expires_at") <= (double)now ? "expired" : "active";
}

/* ---- failed checks, per address ------------------------------------------ */

/* Writes the counter key of the request's address into key. */
static void token_fail_key(const ctx *c, char key[64]) {
  unsigned char h[IP_HASH_LEN];
  char hex[2 * IP_HASH_LEN + 1];
  visitor_ip_hash(c, h);
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  snprintf(key, 64, "token:%s", hex);
}

/* Sets *wait to the seconds the address must still wait before its next
** try (0: none). Returns STORE_OK or STORE_ERROR. */
static int token_wait(ctx *c, const char *key, long *wait) {
  login_counter k;
  *wait = 0;
  if (login_counter_get(c->db, key, &k) != STORE_OK) return STORE_ERROR;
  if (k.locked_until > c->now) {
    *wait = (long)(k.locked_until - c->now);
  } else if (k.locked_until == 0 && k.failures >= TOKEN_FAIL_DELAY_AFTER) {
    long shift = k.failures - TOKEN_FAIL_DELAY_AFTER;
    long delay = 1L << (shift > 6 ? 6 : shift); /* 1, 2, 4 ... 64 s */
    if (k.last_at + delay > c->now) *wait = (long)(k.last_at + delay - c->now);
  }
  return STORE_OK;
}

/* Counts a failed check for key, in one transaction; logs a lock. */
static void token_failed(ctx *c, const char *key) {
  long failures = 0;
  if (db_begin(c->db) != 0) return;
  int ok = login_counter_fail(c->db, key, c->now, TOKEN_FAIL_LOCK_AFTER, TOKEN_LOCK_SECONDS,
                              &failures) == STORE_OK &&
           login_counter_expire(c->db, c->now - 86400, c->now) == STORE_OK &&
           db_commit(c->db) == 0;
  if (!ok) db_rollback(c->db);
  if (ok && failures == TOKEN_FAIL_LOCK_AFTER)
    fprintf(stderr, "gazette: api: %s locked for %d s after %d failed tokens\n", key,
            TOKEN_LOCK_SECONDS, TOKEN_FAIL_LOCK_AFTER);
}

/* ---- the principal ----------------------------------------------------------- */

/* Answers 401 with detail; invalid adds error="invalid_token" to the
** challenge. Returns 401. */
static int token_refuse(ctx *c, const char *detail, int invalid) {
  view_problem(c, 401, detail, NULL, NULL);
  response_header(&c->res, "WWW-Authenticate",
                  invalid ? "Bearer realm=\"Gazette\", error=\"invalid_token\""
                          : "Bearer realm=\"Gazette\"");
  return 401;
}

/* Reads the token's text from the Authorization header into text.
** Returns 1 when a Bearer credential was sent (well-formed or not), 0
** when none was. */
static int token_header(const ctx *c, char *text, size_t n) {
  const char *h = request_header(&c->req, "Authorization");
  text[0] = 0;
  if (!h) return 0;
  while (*h == ' ') h++;
  if (strncasecmp(h, "Bearer ", 7) != 0) return 1;
  h += 7;
  while (*h == ' ') h++;
  size_t len = strcspn(h, " ");
  if (len < n && h[len] == 0) {
    memcpy(text, h, len);
    text[len] = 0;
  }
  return 1;
}

/* Checks the token text against the store: 0 with *t filled when its
** secret is right, 1 when it is not (malformed, unknown or wrong), -1. */
static int token_check(ctx *c, const char *text, token_auth *t) {
  char selector[TOKEN_SELECTOR_LEN + 1];
  unsigned char h[TOKEN_HASH_LEN];
  if (token_parse(text, selector, h) != 0) return 1;
  int rc = token_find(c->db, selector, t);
  if (rc == STORE_ERROR) return -1;
  /* An unknown selector costs the same comparison as a known one. */
  int same = sodium_memcmp(h, t->hash, TOKEN_HASH_LEN) == 0;
  sodium_memzero(h, sizeof h);
  return rc == STORE_OK && same ? 0 : 1;
}

/* Makes t's user the request's principal and notes the token's use. */
static void token_admit(ctx *c, const token_auth *t) {
  c->user.id = t->user_id;
  c->user.role = auth_role_parse(t->role);
  snprintf(c->user.username, sizeof c->user.username, "%s", t->username);
  snprintf(c->user.name, sizeof c->user.name, "%s", t->name);
  c->user.csrf[0] = 0;
  c->user.token = t->id;
  c->user.read_only = t->read_only;
  char ip[NETADDR_MAX_TEXT], addr[TOKEN_IP_MAX];
  visitor_address(c, ip); /* the reader's, behind trusted edges too */
  snprintf(addr, sizeof addr, "%s", ip);
  if (c->now - t->last_used_at >= TOUCH_EVERY || strcmp(addr, t->last_used_ip) != 0)
    token_touch(c->db, t->id, c->now, addr);
}

int token_principal_or_reply(ctx *c) {
  char text[TOKEN_TEXT_LEN + 2], key[64];
  if (!token_header(c, text, sizeof text))
    return token_refuse(c, "This address needs an API token: send Authorization: Bearer TOKEN.",
                        0);
  long wait = 0;
  token_fail_key(c, key);
  if (token_wait(c, key, &wait) != STORE_OK) return 500;
  if (wait > 0) {
    char v[24];
    snprintf(v, sizeof v, "%ld", wait);
    view_problem(c, 429, "Too many API tokens that were not valid came from this address; wait.",
                 NULL, NULL);
    response_header(&c->res, "Retry-After", v);
    return 429;
  }
  token_auth t;
  int rc = token_check(c, text, &t);
  if (rc < 0) return 500;
  if (rc > 0) {
    token_failed(c, key);
    fprintf(stderr, "gazette: api: a token that is not valid was refused\n");
    return token_refuse(c, "The API token is not valid.", 1);
  }
  if (t.revoked_at || t.user_disabled)
    return token_refuse(c, "This API token was revoked.", 1);
  if (t.expires_at <= (long long)c->now) return token_refuse(c, "This API token has expired.", 1);
  if (auth_role_parse(t.role) == ROLE_NONE) return token_refuse(c, "The API token is not valid.", 1);
  token_admit(c, &t);
  return 0;
}
