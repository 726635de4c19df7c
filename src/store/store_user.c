/*
** store_user.c: accounts, sessions and sign-in counters as stored (see
** store_user.h).
*/
#include "store_user.h"

#include <string.h>

#include "store.h"

/* Turns what db_run returned for a write of one named row into a store
** result. */
static int user_written(int changes) {
  return changes == DB_CONSTRAINT ? STORE_TAKEN
         : changes < 0            ? STORE_ERROR
         : changes == 0           ? STORE_NOT_FOUND
                                  : STORE_OK;
}

static const char SQL_USER_ADD[] =
    "INSERT INTO users (username, display_name, role, password_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (username) DO NOTHING";
/* An account that never had a password (one an import made) is enabled
** by its first: until then it could not sign in. */
static const char SQL_USER_PASSWD[] =
    "UPDATE users SET password_hash = ?2,"
    " disabled = CASE WHEN password_hash IS NULL THEN 0 ELSE disabled END WHERE username = ?1";
/* Never the last active admin: the site must keep one. */
static const char SQL_USER_DISABLE[] =
    "UPDATE users SET disabled = 1 WHERE username = ?1 AND (role <> 'admin' OR"
    " (SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"
    "  AND username <> ?1) > 0)";
static const char SQL_USER_EXISTS[] = "SELECT 1 FROM users WHERE username = ?1";
static const char SQL_END_SESSIONS[] =
    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1)";
static const char SQL_USER_LIST[] =
    "SELECT username, role, disabled, display_name FROM users ORDER BY username";

int user_insert(db *d, const char *name, const char *display, const char *role,
                const char *hash, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_USER_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, display, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, now);
  int rc = user_written(db_run(st));
  return rc == STORE_NOT_FOUND ? STORE_TAKEN : rc;
}

/* Runs the update sql for name (binding value as ?2 when given), then ends
** the user's sessions, in one transaction. Returns a store result. */
static int user_change(db *d, const char *sql, const char *name, const char *value) {
  if (db_begin(d) != 0) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, sql);
  if (st) {
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (value) sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  }
  int rc = user_written(db_run(st));
  if (rc == STORE_OK) {
    st = db_prepare(d, SQL_END_SESSIONS);
    if (st) sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (db_run(st) < 0 || db_commit(d) != 0) rc = STORE_ERROR;
  }
  db_rollback(d);
  return rc;
}

int user_set_password(db *d, const char *name, const char *hash) {
  return user_change(d, SQL_USER_PASSWD, name, hash);
}

int user_set_disabled(db *d, const char *name) {
  int rc = user_change(d, SQL_USER_DISABLE, name, NULL);
  if (rc != STORE_NOT_FOUND) return rc;
  sqlite3_stmt *st = db_prepare(d, SQL_USER_EXISTS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  rc = db_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_LAST_ADMIN : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int user_print(db *d, FILE *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_USER_LIST);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW)
    fprintf(out, "%s\t%s\t%s\t%s\n", db_text(st, 0), db_text(st, 1),
            sqlite3_column_int(st, 2) ? "disabled" : "active", db_text(st, 3));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static const char SQL_CREDENTIALS[] =
    "SELECT id, password_hash FROM users WHERE username = ?1 AND disabled = 0"
    " AND password_hash IS NOT NULL";
static const char SQL_OWN_PASSWORD[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
static const char SQL_END_OTHERS[] =
    "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";

int user_credentials(db *d, const char *name, long *id, char *hash) {
  sqlite3_stmt *st = db_prepare(d, SQL_CREDENTIALS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    *id = (long)sqlite3_column_int64(st, 0);
    snprintf(hash, PASSWORD_HASH_MAX, "%s", db_text(st, 1));
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int user_set_own_password(db *d, long id, const char *hash,
                          const unsigned char keep[SESSION_HASH_LEN]) {
  if (db_begin(d) != 0) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_OWN_PASSWORD);
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
  }
  int ok = db_run(st) == 1;
  st = db_prepare(d, SQL_END_OTHERS);
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, keep, SESSION_HASH_LEN, SQLITE_STATIC);
  }
  ok = ok && db_run(st) >= 0 && db_commit(d) == 0;
  db_rollback(d);
  return ok ? STORE_OK : STORE_ERROR;
}

/* ---- sessions ---------------------------------------------------------- */

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

int session_insert(db *d, const unsigned char hash[SESSION_HASH_LEN], long user_id,
                   const char *csrf, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_SESSION_NEW);
  if (!st) return STORE_ERROR;
  sqlite3_bind_blob(st, 1, hash, SESSION_HASH_LEN, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, user_id);
  sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, now);
  return db_run(st) == 1 ? STORE_OK : STORE_ERROR;
}

int session_find(db *d, const unsigned char hash[SESSION_HASH_LEN], session_row *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_SESSION_GET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_blob(st, 1, hash, SESSION_HASH_LEN, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    out->user_id = (long)sqlite3_column_int64(st, 0);
    snprintf(out->csrf, sizeof out->csrf, "%s", db_text(st, 1));
    out->created_at = sqlite3_column_int64(st, 2);
    out->seen_at = sqlite3_column_int64(st, 3);
    snprintf(out->username, sizeof out->username, "%s", db_text(st, 4));
    snprintf(out->name, sizeof out->name, "%s", db_text(st, 5));
    snprintf(out->role, sizeof out->role, "%s", db_text(st, 6));
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Runs a session statement bound to the hash h (and ?2 = t when t > 0). */
static int session_run(db *d, const char *sql, const unsigned char h[SESSION_HASH_LEN],
                       long long t) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_blob(st, 1, h, SESSION_HASH_LEN, SQLITE_STATIC);
  if (t > 0) sqlite3_bind_int64(st, 2, t);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int session_seen(db *d, const unsigned char hash[SESSION_HASH_LEN], time_t now) {
  return session_run(d, SQL_SESSION_SEEN, hash, now);
}

int session_delete(db *d, const unsigned char hash[SESSION_HASH_LEN]) {
  return session_run(d, SQL_SESSION_END, hash, 0);
}

int session_expire(db *d, time_t idle_before, time_t life_before) {
  sqlite3_stmt *st = db_prepare(d, SQL_SESSION_EXPIRE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, idle_before);
  sqlite3_bind_int64(st, 2, life_before);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

/* ---- sign-in counters -------------------------------------------------- */

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

int login_counter_get(db *d, const char *key, login_counter *out) {
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = db_prepare(d, SQL_FAIL_GET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    out->failures = (long)sqlite3_column_int64(st, 0);
    out->last_at = sqlite3_column_int64(st, 1);
    out->locked_until = sqlite3_column_int64(st, 2);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int login_counter_fail(db *d, const char *key, time_t now, long lock_after, long lock_seconds,
                       long *failures) {
  sqlite3_stmt *st = db_prepare(d, SQL_FAIL_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, now);
  sqlite3_bind_int64(st, 3, lock_after);
  sqlite3_bind_int64(st, 4, lock_seconds);
  int rc = db_step(st);
  *failures = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/* Runs a counter statement bound to key. */
static int counter_run(db *d, const char *sql, const char *key) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int login_counter_undo(db *d, const char *key) { return counter_run(d, SQL_FAIL_UNDO, key); }

int login_counter_clear(db *d, const char *key) { return counter_run(d, SQL_FAIL_CLEAR, key); }

int login_counter_expire(db *d, time_t before, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_FAIL_EXPIRE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, before);
  sqlite3_bind_int64(st, 2, now);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}
