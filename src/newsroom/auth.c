/*
** auth.c: accounts, sessions and login limits (see auth.h).
*/
#include "auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_user.h"
#include "utf8.h"
#include "visitor.h"

enum { TOKEN_BYTES = 32, FAIL_DELAY_AFTER = 3, FAIL_LOCK_AFTER = 10,
       LOCK_SECONDS = 900 };

static const char *const ROLE_NAMES[] = {"none", "author", "editor", "admin"};

int auth_role_parse(const char *s) {
  for (int r = ROLE_AUTHOR; r <= ROLE_ADMIN; r++)
    if (s && strcmp(s, ROLE_NAMES[r]) == 0) return r;
  return ROLE_NONE;
}

const char *auth_role_name(int role) {
  return role >= ROLE_AUTHOR && role <= ROLE_ADMIN ? ROLE_NAMES[role] : "none";
}

const char *auth_password_check(const char *pw) {
  size_t n = strlen(pw);
  if (n > PASSWORD_MAX) return "the password is too long";
  if (!utf8_valid(pw, n)) return "the password is not valid UTF-8";
  if (utf8_length(pw, n) < PASSWORD_MIN) return "the password needs at least 10 characters";
  return NULL;
}

/* Hashes pw with argon2id into out. Returns 0 or -1. */
static int auth_hash(const char *pw, char out[crypto_pwhash_STRBYTES]) {
  return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE,
                               crypto_pwhash_ALG_ARGON2ID13);
}

/* Returns 1 when name is a valid user name. */
static int auth_name_ok(const char *name) {
  size_t n = strlen(name);
  if (n < 2 || n > 32) return 0;
  for (size_t i = 0; i < n; i++)
    if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
        !strchr("._-", name[i]))
      return 0;
  return 1;
}

int user_add(db *d, const char *name, const char *display, int role,
             const char *password) {
  char hash[crypto_pwhash_STRBYTES];
  if (!auth_name_ok(name)) return STORE_TAKEN;
  if (auth_hash(password, hash) != 0) return STORE_ERROR;
  return user_insert(d, name, display && *display ? display : name, auth_role_name(role), hash,
                     time(NULL));
}

int user_passwd(db *d, const char *name, const char *password) {
  char hash[crypto_pwhash_STRBYTES];
  if (auth_hash(password, hash) != 0) return STORE_ERROR;
  return user_set_password(d, name, hash);
}

int user_disable(db *d, const char *name) { return user_set_disabled(d, name); }

int user_list(db *d, FILE *out) { return user_print(d, out); }

/* ---- login limits ----------------------------------------------------- */

/* Builds the two limit keys: the account's and the address's. */
static void login_keys(const ctx *c, const char *name, buf *user, buf *ip) {
  unsigned char h[IP_HASH_LEN];
  char hex[2 * IP_HASH_LEN + 1];
  visitor_ip_hash(c, h);
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  buf_printf(user, "user:%s", name);
  buf_printf(ip, "ip:%s", hex);
}

/* Returns the seconds a key whose counter is k must still wait at now
** before another try (0: none). An account's delays stop growing at 8 s
** and it is never locked, so that nobody can lock another person out by
** guessing at their name; an address's grow to 64 s and it is locked
** after FAIL_LOCK_AFTER. */
static long login_wait(const login_counter *k, time_t now, int account) {
  if (k->locked_until > now) return (long)(k->locked_until - now);
  if (k->locked_until != 0 || k->failures < FAIL_DELAY_AFTER) return 0;
  long shift = k->failures - FAIL_DELAY_AFTER, most = account ? 3 : 6;
  long delay = 1L << (shift > most ? most : shift); /* 1, 2, 4 ... s */
  return k->last_at + delay > now ? (long)(k->last_at + delay - now) : 0;
}

/* Counts a failure for key (locking an address, never an account, after
** FAIL_LOCK_AFTER); logs a lock. */
static void login_failed(ctx *c, const char *key, int account) {
  long failures = 0;
  if (login_counter_fail(c->db, key, c->now, account ? 1L << 30 : FAIL_LOCK_AFTER,
                         LOCK_SECONDS, &failures) == STORE_OK &&
      !account && failures == FAIL_LOCK_AFTER)
    fprintf(stderr, "gazette: login: %s locked for %d s after %d failures\n", key,
            LOCK_SECONDS, FAIL_LOCK_AFTER);
}

/* After a right password: forgets the account's failures, and takes back
** the one that login_admit counted in advance for the address (its other
** failures, perhaps on other accounts, stay). */
static void login_succeeded(ctx *c, const char *ukey, const char *ikey) {
  login_counter_clear(c->db, ukey);
  login_counter_undo(c->db, ikey);
}

/* ---- sessions ---------------------------------------------------------- */

/* Hashes the hex token into h (what the table keeps). */
static void session_hash(const char *token, unsigned char h[SESSION_HASH_LEN]) {
  crypto_generichash(h, SESSION_HASH_LEN, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* Sets the session cookie to value (empty: deleting it). */
static void session_cookie(ctx *c, const char *value) {
  cookie_attrs a = {.path = "/admin", .max_age = *value ? 0 : -1, .http_only = 1,
                    .same_site = "Strict",
                    .secure = strncmp(c->app->base_url, "https:", 6) == 0};
  response_cookie(&c->res, "gz_session", value, &a);
}

/* Makes a session for user id and sets its cookie. Returns 0 or -1. */
static int session_start(ctx *c, long id) {
  unsigned char raw[TOKEN_BYTES], h[SESSION_HASH_LEN];
  char token[2 * TOKEN_BYTES + 1], csrf[2 * TOKEN_BYTES + 1];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(token, sizeof token, raw, sizeof raw);
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(csrf, sizeof csrf, raw, sizeof raw);
  session_hash(token, h);
  if (session_insert(c->db, h, id, csrf, c->now) != STORE_OK) return -1;
  session_cookie(c, token);
  return 0;
}

/* Checks name's password. Returns the user's id, 0 when wrong, -1. For an
** unknown name the password is hashed instead, which costs as much as a
** check, so the time taken tells nothing. */
static long login_check(ctx *c, const char *name, const char *password) {
  char hash[PASSWORD_HASH_MAX] = "";
  long id = 0;
  int rc = user_credentials(c->db, name, &id, hash);
  if (rc == STORE_ERROR) return -1;
  if (rc == STORE_NOT_FOUND) {
    char waste[crypto_pwhash_STRBYTES];
    auth_hash(password, waste);
    return 0;
  }
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? id : 0;
}

/* Checks the limits for both keys and, when the attempt may go on, counts
** it as a failure before the password is even looked at, in one
** transaction, so that parallel attempts cannot slip past the count.
** An address with no failure on record is never held back by the
** account's delay: that delay is there for guessers, who fail from every
** address they use, while the account's owner signing in from a clean
** address must get in whatever others guess at the name. Returns 0 to go
** on, 2 to refuse (*wait set), -1 on error. */
static int login_admit(ctx *c, const char *ukey, const char *ikey, long *wait) {
  login_counter u, ip;
  if (db_begin(c->db) != 0) return -1;
  if (login_counter_get(c->db, ukey, &u) != STORE_OK ||
      login_counter_get(c->db, ikey, &ip) != STORE_OK) {
    db_rollback(c->db);
    return -1;
  }
  long wu = ip.failures > 0 ? login_wait(&u, c->now, 1) : 0, wi = login_wait(&ip, c->now, 0);
  *wait = wu > wi ? wu : wi;
  if (*wait == 0) {
    login_failed(c, ukey, 1);
    login_failed(c, ikey, 0);
    login_counter_expire(c->db, c->now - 86400, c->now);
  }
  if (db_commit(c->db) != 0) {
    db_rollback(c->db);
    return -1;
  }
  return *wait > 0 ? 2 : 0;
}

int auth_login(ctx *c, const char *name, const char *password, long *wait) {
  buf ukey = {0}, ikey = {0};
  login_keys(c, name, &ukey, &ikey);
  int rc = login_admit(c, buf_str(&ukey), buf_str(&ikey), wait);
  if (rc == 2) {
    fprintf(stderr, "gazette: login: attempt for %s refused, wait %ld s\n", name, *wait);
  } else if (rc == 0) {
    /* The slow password check runs without the writer lock. */
    long id = strlen(password) <= PASSWORD_MAX ? login_check(c, name, password) : 0;
    if (id > 0 && db_begin(c->db) == 0) {
      /* Signing in to one's own account must not wipe the failures its
      ** address made on others. */
      login_succeeded(c, buf_str(&ukey), buf_str(&ikey));
      rc = session_start(c, id) == 0 && db_commit(c->db) == 0 ? 0 : -1;
      db_rollback(c->db);
    } else {
      rc = id < 0 || id > 0 ? -1 : 1;
      if (rc == 1) fprintf(stderr, "gazette: login: failed for %s\n", name);
    }
  }
  buf_free(&ukey);
  buf_free(&ikey);
  return rc;
}

/* Reads the session cookie's token into h. Returns 1 when it is well-formed. */
static int session_token(const ctx *c, unsigned char h[SESSION_HASH_LEN]) {
  buf v = {0};
  int ok = request_cookie(&c->req, "gz_session", &v) && v.len == 2 * TOKEN_BYTES;
  for (size_t i = 0; ok && i < v.len; i++) ok = isxdigit((unsigned char)v.data[i]);
  if (ok) session_hash(buf_str(&v), h);
  buf_free(&v);
  return ok;
}

int auth_session(ctx *c) {
  unsigned char h[SESSION_HASH_LEN];
  session_row s;
  if (c->user.id) return 1;
  if (!session_token(c, h)) return 0;
  int found = session_find(c->db, h, &s) == STORE_OK;
  int live = found && c->now - s.seen_at < SESSION_IDLE && c->now - s.created_at < SESSION_LIFE;
  if (live) {
    c->user.id = s.user_id;
    snprintf(c->user.csrf, sizeof c->user.csrf, "%s", s.csrf);
    snprintf(c->user.username, sizeof c->user.username, "%s", s.username);
    snprintf(c->user.name, sizeof c->user.name, "%s", s.name);
    c->user.role = auth_role_parse(s.role);
  }
  if (found && !live) session_delete(c->db, h);
  if (live && c->now - s.seen_at >= 60) session_seen(c->db, h, c->now);
  if (live && c->now - s.seen_at >= 3600)
    session_expire(c->db, c->now - SESSION_IDLE, c->now - SESSION_LIFE);
  return live;
}

void auth_logout(ctx *c) {
  unsigned char h[SESSION_HASH_LEN];
  if (session_token(c, h)) session_delete(c->db, h);
  session_cookie(c, "");
  memset(&c->user, 0, sizeof c->user);
}

int auth_csrf_matches(const ctx *c, const char *value, size_t len) {
  return value && len > 0 && len == strlen(c->user.csrf) &&
         sodium_memcmp(value, c->user.csrf, len) == 0;
}

int auth_csrf_ok(const ctx *c) {
  buf v = {0};
  int ok = request_form(&c->req, "csrf", &v) == 1 && auth_csrf_matches(c, v.data, v.len);
  buf_free(&v);
  return ok;
}

int auth_change_own_password(ctx *c, const char *password) {
  char hash[crypto_pwhash_STRBYTES];
  unsigned char h[SESSION_HASH_LEN];
  if (!session_token(c, h) || auth_hash(password, hash) != 0) return -1;
  return user_set_own_password(c->db, c->user.id, hash, h) == STORE_OK ? 0 : -1;
}

int auth_password_matches(ctx *c, const char *password, long *wait) {
  buf ukey = {0}, ikey = {0};
  *wait = 0;
  if (!c->user.id) return 0;
  login_keys(c, c->user.username, &ukey, &ikey);
  int rc = login_admit(c, buf_str(&ukey), buf_str(&ikey), wait);
  int ok = rc == 0 && login_check(c, c->user.username, password) == c->user.id;
  if (ok && db_begin(c->db) == 0) {
    login_succeeded(c, buf_str(&ukey), buf_str(&ikey));
    if (db_commit(c->db) != 0) db_rollback(c->db);
  }
  buf_free(&ukey);
  buf_free(&ikey);
  return ok;
}
