/*
** auth.c: accounts, sessions and login limits (see auth.h).
*/
#include "auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "utf8.h"
#include "view.h"
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

/* Runs a prepared write; returns the number of rows changed, or -1. */
static int auth_exec(db *d, sqlite3_stmt *st) {
  int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
  if (st) sqlite3_reset(st);
  return rc == SQLITE_DONE ? sqlite3_changes(d->h) : -1;
}

static const char SQL_USER_ADD[] =
    "INSERT INTO users (username, display_name, role, password_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (username) DO NOTHING";
static const char SQL_USER_PASSWD[] =
    "UPDATE users SET password_hash = ?2 WHERE username = ?1";
/* Never the last active admin: the site must keep one. */
static const char SQL_USER_DISABLE[] =
    "UPDATE users SET disabled = 1 WHERE username = ?1 AND (role <> 'admin' OR"
    " (SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"
    "  AND username <> ?1) > 0)";
static const char SQL_END_SESSIONS[] =
    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1)";
static const char SQL_USER_LIST[] =
    "SELECT username, role, disabled, display_name FROM users ORDER BY username";

int user_add(db *d, const char *name, const char *display, int role,
             const char *password) {
  char hash[crypto_pwhash_STRBYTES];
  if (!auth_name_ok(name)) return 1;
  if (auth_hash(password, hash) != 0) return -1;
  sqlite3_stmt *st = db_prepare(d, SQL_USER_ADD);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, display && *display ? display : name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, auth_role_name(role), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
  int n = auth_exec(d, st);
  return n < 0 ? -1 : n == 0 ? 1 : 0;
}

/* Runs the update sql for name (binding value as ?2 when given), then ends
** the user's sessions, in one transaction. */
static int user_change(db *d, const char *sql, const char *name, const char *value) {
  if (db_begin(d) != 0) return -1;
  sqlite3_stmt *st = db_prepare(d, sql);
  if (st) {
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (value) sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  }
  int n = auth_exec(d, st);
  st = db_prepare(d, SQL_END_SESSIONS);
  if (st) sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  if (n < 0 || auth_exec(d, st) < 0 || (n > 0 && db_commit(d) != 0)) {
    db_rollback(d);
    return -1;
  }
  if (n == 0) db_rollback(d);
  return n == 0 ? 1 : 0;
}

int user_passwd(db *d, const char *name, const char *password) {
  char hash[crypto_pwhash_STRBYTES];
  if (auth_hash(password, hash) != 0) return -1;
  return user_change(d, SQL_USER_PASSWD, name, hash);
}

int user_disable(db *d, const char *name) {
  return user_change(d, SQL_USER_DISABLE, name, NULL);
}

int user_list(db *d, FILE *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_USER_LIST);
  if (!st) return -1;
  while (sqlite3_step(st) == SQLITE_ROW)
    fprintf(out, "%s\t%s\t%s\t%s\n", db_text(st, 0), db_text(st, 1),
            sqlite3_column_int(st, 2) ? "disabled" : "active", db_text(st, 3));
  sqlite3_reset(st);
  return 0;
}

/* ---- login limits ----------------------------------------------------- */

static const char SQL_FAIL_GET[] =
    "SELECT failures, last_at, locked_until FROM login_failures WHERE key = ?1";
static const char SQL_FAIL_ADD[] =
    "INSERT INTO login_failures (key, failures, last_at, locked_until)"
    " VALUES (?1, 1, ?2, 0) ON CONFLICT (key) DO UPDATE SET"
    /* A lock that has run out starts the count afresh. */
    " failures = CASE WHEN locked_until > 0 AND locked_until <= ?2 THEN 1"
    "            ELSE failures + 1 END,"
    " locked_until = CASE WHEN locked_until > 0 AND locked_until <= ?2 THEN 0"
    "                WHEN failures + 1 >= ?3 THEN ?2 + ?4 ELSE locked_until END,"
    " last_at = ?2 RETURNING failures";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE key = ?1";
static const char SQL_FAIL_UNDO[] =
    "UPDATE login_failures SET failures = max(failures - 1, 0) WHERE key = ?1";
static const char SQL_FAIL_EXPIRE[] =
    "DELETE FROM login_failures WHERE last_at < ?1 AND locked_until < ?2";

/* Builds the two limit keys: the account's and the address's. */
static void login_keys(const ctx *c, const char *name, buf *user, buf *ip) {
  unsigned char h[IP_HASH_LEN];
  char hex[2 * IP_HASH_LEN + 1];
  visitor_ip_hash(c, h);
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  buf_printf(user, "user:%s", name);
  buf_printf(ip, "ip:%s", hex);
}

/* Returns the seconds key must still wait before another try (0: none).
** An account's delays stop growing at 8 s and it is never locked, so that
** nobody can lock another person out by guessing at their name; an
** address's grow to 64 s and it is locked after FAIL_LOCK_AFTER. */
static long login_wait(ctx *c, const char *key, int account) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_FAIL_GET);
  if (!st) return 0;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  long wait = 0;
  if (sqlite3_step(st) == SQLITE_ROW) {
    long failures = (long)sqlite3_column_int64(st, 0);
    long long last = sqlite3_column_int64(st, 1), locked = sqlite3_column_int64(st, 2);
    if (locked > c->now) {
      wait = (long)(locked - c->now);
    } else if (locked == 0 && failures >= FAIL_DELAY_AFTER) {
      long shift = failures - FAIL_DELAY_AFTER, most = account ? 3 : 6;
      long delay = 1L << (shift > most ? most : shift); /* 1, 2, 4 ... s */
      if (last + delay > c->now) wait = (long)(last + delay - c->now);
    }
  }
  sqlite3_reset(st);
  return wait;
}

/* Counts a failure for key (locking an address, never an account, after
** FAIL_LOCK_AFTER); logs a lock. */
static void login_failed(ctx *c, const char *key, int account) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_FAIL_ADD);
  if (!st) return;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, c->now);
  sqlite3_bind_int(st, 3, account ? 1 << 30 : FAIL_LOCK_AFTER);
  sqlite3_bind_int(st, 4, LOCK_SECONDS);
  if (sqlite3_step(st) == SQLITE_ROW && !account &&
      sqlite3_column_int(st, 0) == FAIL_LOCK_AFTER)
    fprintf(stderr, "gazette: login: %s locked for %d s after %d failures\n", key,
            LOCK_SECONDS, FAIL_LOCK_AFTER);
  sqlite3_reset(st);
}

static void login_clear(ctx *c, const char *key);

/* After a right password: forgets the account's failures, and takes back
** the one that login_admit counted in advance for the address (its other
** failures, perhaps on other accounts, stay). */
static void login_succeeded(ctx *c, const char *ukey, const char *ikey) {
  login_clear(c, ukey);
  sqlite3_stmt *st = db_prepare(c->db, SQL_FAIL_UNDO);
  if (!st) return;
  sqlite3_bind_text(st, 1, ikey, -1, SQLITE_STATIC);
  auth_exec(c->db, st);
}

/* Forgets key's failures. */
static void login_clear(ctx *c, const char *key) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_FAIL_CLEAR);
  if (!st) return;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  auth_exec(c->db, st);
}

/* ---- sessions ---------------------------------------------------------- */

static const char SQL_LOGIN_USER[] =
    "SELECT id, password_hash FROM users WHERE username = ?1 AND disabled = 0"
    " AND password_hash IS NOT NULL";
static const char SQL_SESSION_NEW[] =
    "INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4)";
static const char SQL_SESSION_GET[] =
    "SELECT s.user_id, s.csrf, s.created_at, s.seen_at, u.username,"
    " u.display_name, u.role FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.token_hash = ?1 AND u.disabled = 0";
static const char SQL_SESSION_SEEN[] =
    "UPDATE sessions SET seen_at = ?2 WHERE token_hash = ?1";
static const char SQL_SESSION_END[] = "DELETE FROM sessions WHERE token_hash = ?1";
static const char SQL_SESSION_EXPIRE[] =
    "DELETE FROM sessions WHERE seen_at < ?1 OR created_at < ?2";

/* Hashes the hex token into h (what the table keeps). */
static void session_hash(const char *token, unsigned char h[32]) {
  crypto_generichash(h, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* Sets the session cookie to value (empty and expired to clear it). */
static void session_cookie(ctx *c, const char *value) {
  char cookie[256];
  snprintf(cookie, sizeof cookie, "gz_session=%s; Path=/admin; HttpOnly; SameSite=Strict%s%s",
           value, *value ? "" : "; Max-Age=0",
           strncmp(c->app->base_url, "https:", 6) == 0 ? "; Secure" : "");
  response_header(&c->res, "Set-Cookie", cookie);
}

/* Makes a session for user id and sets its cookie. Returns 0 or -1. */
static int session_start(ctx *c, long id) {
  unsigned char raw[TOKEN_BYTES], h[32];
  char token[2 * TOKEN_BYTES + 1], csrf[2 * TOKEN_BYTES + 1];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(token, sizeof token, raw, sizeof raw);
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(csrf, sizeof csrf, raw, sizeof raw);
  session_hash(token, h);
  sqlite3_stmt *st = db_prepare(c->db, SQL_SESSION_NEW);
  if (!st) return -1;
  sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, c->now);
  if (auth_exec(c->db, st) != 1) return -1;
  session_cookie(c, token);
  return 0;
}

/* Checks name's password. Returns the user's id, 0 when wrong, -1. For an
** unknown name the password is hashed instead, which costs as much as a
** check, so the time taken tells nothing. */
static long login_check(ctx *c, const char *name, const char *password) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_LOGIN_USER);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int found = sqlite3_step(st) == SQLITE_ROW;
  long id = found ? (long)sqlite3_column_int64(st, 0) : 0;
  char hash[crypto_pwhash_STRBYTES] = "";
  if (found) snprintf(hash, sizeof hash, "%s", db_text(st, 1));
  sqlite3_reset(st);
  if (!found) {
    auth_hash(password, hash);
    return 0;
  }
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? id : 0;
}

/* Checks the limits for both keys and, when the attempt may go on, counts
** it as a failure before the password is even looked at, in one
** transaction, so that parallel attempts cannot slip past the count.
** Returns 0 to go on, 2 to refuse (*wait set), -1 on error. */
static int login_admit(ctx *c, const char *ukey, const char *ikey, long *wait) {
  if (db_begin(c->db) != 0) return -1;
  long wu = login_wait(c, ukey, 1), wi = login_wait(c, ikey, 0);
  *wait = wu > wi ? wu : wi;
  if (*wait == 0) {
    login_failed(c, ukey, 1);
    login_failed(c, ikey, 0);
    sqlite3_stmt *st = db_prepare(c->db, SQL_FAIL_EXPIRE);
    if (st) {
      sqlite3_bind_int64(st, 1, c->now - 86400);
      sqlite3_bind_int64(st, 2, c->now);
      auth_exec(c->db, st);
    }
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
static int session_token(ctx *c, unsigned char h[32]) {
  buf v = {0};
  int ok = request_cookie(&c->req, "gz_session", &v) && v.len == 2 * TOKEN_BYTES;
  for (size_t i = 0; ok && i < v.len; i++) ok = isxdigit((unsigned char)v.data[i]);
  if (ok) session_hash(buf_str(&v), h);
  buf_free(&v);
  return ok;
}

/* Runs a session statement bound to the hash h (and ?2 = t when t > 0). */
static void session_touch(ctx *c, const char *sql, const unsigned char h[32], long long t) {
  sqlite3_stmt *st = db_prepare(c->db, sql);
  if (!st) return;
  sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
  if (t > 0) sqlite3_bind_int64(st, 2, t);
  auth_exec(c->db, st);
}

int auth_session(ctx *c) {
  unsigned char h[32];
  if (c->user.id) return 1;
  if (!session_token(c, h)) return 0;
  sqlite3_stmt *st = db_prepare(c->db, SQL_SESSION_GET);
  if (!st) return 0;
  sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_STATIC);
  int found = sqlite3_step(st) == SQLITE_ROW;
  long long created = found ? sqlite3_column_int64(st, 2) : 0;
  long long seen = found ? sqlite3_column_int64(st, 3) : 0;
  int live = found && c->now - seen < SESSION_IDLE && c->now - created < SESSION_LIFE;
  if (live) {
    c->user.id = (long)sqlite3_column_int64(st, 0);
    snprintf(c->user.csrf, sizeof c->user.csrf, "%s", db_text(st, 1));
    snprintf(c->user.username, sizeof c->user.username, "%s", db_text(st, 4));
    snprintf(c->user.name, sizeof c->user.name, "%s", db_text(st, 5));
    c->user.role = auth_role_parse(db_text(st, 6));
  }
  sqlite3_reset(st);
  if (found && !live) session_touch(c, SQL_SESSION_END, h, 0);
  if (live && c->now - seen >= 60) session_touch(c, SQL_SESSION_SEEN, h, c->now);
  if (live && c->now - seen >= 3600) {
    st = db_prepare(c->db, SQL_SESSION_EXPIRE);
    if (st) {
      sqlite3_bind_int64(st, 1, c->now - SESSION_IDLE);
      sqlite3_bind_int64(st, 2, c->now - SESSION_LIFE);
      auth_exec(c->db, st);
    }
  }
  return live;
}

void auth_logout(ctx *c) {
  unsigned char h[32];
  if (session_token(c, h)) session_touch(c, SQL_SESSION_END, h, 0);
  session_cookie(c, "");
  memset(&c->user, 0, sizeof c->user);
}

/* Returns 1 when the form's csrf field equals the session's token. */
static int auth_csrf_ok(ctx *c) {
  buf v = {0};
  int ok = request_form(&c->req, "csrf", &v) == 1 && v.len == strlen(c->user.csrf) &&
           v.len > 0 && sodium_memcmp(v.data, c->user.csrf, v.len) == 0;
  buf_free(&v);
  return ok;
}

int auth_require(ctx *c, int role) {
  response_header(&c->res, "Cache-Control", "no-store");
  int is_get = strcmp(c->req.method, "GET") == 0 || c->req.is_head;
  if (!is_get && visitor_check_origin(c) != 0) return -1;
  if (!auth_session(c)) {
    if (!is_get) {
      view_error(c, 401, NULL);
      return -1;
    }
    buf to = {0};
    buf_puts(&to, "/admin/login?next=");
    escape_url(&to, c->req.raw_path, c->req.raw_path_len);
    response_redirect(&c->res, 303, buf_str(&to));
    buf_free(&to);
    return -1;
  }
  if (c->user.role < role) {
    view_error(c, 403, NULL);
    return -1;
  }
  if (!is_get && !auth_csrf_ok(c)) {
    view_error(c, 403, ctx_text(c, "csrf_failed"));
    return -1;
  }
  return 0;
}

static const char SQL_OWN_PASSWORD[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
static const char SQL_END_OTHERS[] =
    "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";

int auth_change_own_password(ctx *c, const char *password) {
  char hash[crypto_pwhash_STRBYTES];
  unsigned char h[32];
  if (!session_token(c, h) || auth_hash(password, hash) != 0 || db_begin(c->db) != 0)
    return -1;
  sqlite3_stmt *st = db_prepare(c->db, SQL_OWN_PASSWORD);
  if (st) {
    sqlite3_bind_int64(st, 1, c->user.id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
  }
  int ok = auth_exec(c->db, st) == 1;
  st = db_prepare(c->db, SQL_END_OTHERS);
  if (st) {
    sqlite3_bind_int64(st, 1, c->user.id);
    sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_STATIC);
  }
  ok = ok && auth_exec(c->db, st) >= 0 && db_commit(c->db) == 0;
  if (!ok) db_rollback(c->db);
  return ok ? 0 : -1;
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
