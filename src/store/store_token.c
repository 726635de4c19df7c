/*
** store_token.c: API tokens and kept answers as stored (see
** store_token.h).
*/
#include "store_token.h"

#include <stdio.h>
#include <string.h>

static const char SQL_TOKEN_ADD[] =
    "INSERT INTO api_tokens (user_id, name, selector, secret_hash, scope, created_at,"
    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_TOKEN_FIND[] =
    "SELECT t.id, t.user_id, t.secret_hash, t.scope, t.expires_at, coalesce(t.revoked_at, 0),"
    " coalesce(t.last_used_at, 0), coalesce(t.last_used_ip, ''), u.disabled, u.role,"
    " u.username, u.display_name, t.name"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.selector = ?1";
static const char SQL_TOKEN_TOUCH[] =
    "UPDATE api_tokens SET last_used_at = ?2, last_used_ip = ?3 WHERE id = ?1";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?3)"
    " WHERE id = ?1 AND (?2 = 0 OR user_id = ?2)";
static const char SQL_TOKEN_LIST[] =
    "SELECT t.id, t.name, t.scope, t.user_id, u.username, u.display_name, t.created_at,"
    " t.expires_at, t.last_used_at, t.last_used_ip, t.revoked_at"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id DESC LIMIT 1000";
static const char SQL_TOKEN_USER[] = "SELECT id FROM users WHERE username = ?1";

int token_insert(db *d, time_t now, const token_new *t, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, t->user_id);
  sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, t->selector, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 4, t->hash, TOKEN_HASH_LEN, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, t->scope, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
  sqlite3_bind_int64(st, 7, t->expires_at);
  if (db_run(st) != 1) return STORE_ERROR;
  *id = (long)sqlite3_last_insert_rowid(d->h);
  return STORE_OK;
}

int token_find(db *d, const char *selector, token_auth *out) {
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_FIND);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, selector, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    out->id = (long)sqlite3_column_int64(st, 0);
    out->user_id = (long)sqlite3_column_int64(st, 1);
    if (sqlite3_column_bytes(st, 2) == TOKEN_HASH_LEN)
      memcpy(out->hash, sqlite3_column_blob(st, 2), TOKEN_HASH_LEN);
    out->read_only = strcmp(db_text(st, 3), "read") == 0;
    out->expires_at = sqlite3_column_int64(st, 4);
    out->revoked_at = sqlite3_column_int64(st, 5);
    out->last_used_at = sqlite3_column_int64(st, 6);
    snprintf(out->last_used_ip, sizeof out->last_used_ip, "%s", db_text(st, 7));
    out->user_disabled = sqlite3_column_int(st, 8) != 0;
    snprintf(out->role, sizeof out->role, "%s", db_text(st, 9));
    snprintf(out->username, sizeof out->username, "%s", db_text(st, 10));
    snprintf(out->name, sizeof out->name, "%s", db_text(st, 11));
    snprintf(out->token_name, sizeof out->token_name, "%s", db_text(st, 12));
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int token_touch(db *d, long id, time_t now, const char *ip) {
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_TOUCH);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
  sqlite3_bind_text(st, 3, ip, -1, SQLITE_STATIC);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int token_revoke(db *d, long id, long owner, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_REVOKE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, owner);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

/* Adds column col of st to o as key: a number, or null when NULL. */
static void token_number_or_null(cJSON *o, const char *key, sqlite3_stmt *st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL) cJSON_AddNullToObject(o, key);
  else cJSON_AddNumberToObject(o, key, (double)sqlite3_column_int64(st, col));
}

int token_list(db *d, long user, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_LIST);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "name", db_text(st, 1));
    cJSON_AddStringToObject(o, "scope", db_text(st, 2));
    cJSON_AddNumberToObject(o, "user_id", (double)sqlite3_column_int64(st, 3));
    cJSON_AddStringToObject(o, "username", db_text(st, 4));
    cJSON_AddStringToObject(o, "user_name", db_text(st, 5));
    cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 6));
    cJSON_AddNumberToObject(o, "expires_at", (double)sqlite3_column_int64(st, 7));
    token_number_or_null(o, "last_used_at", st, 8);
    if (sqlite3_column_type(st, 9) == SQLITE_NULL) cJSON_AddNullToObject(o, "last_used_ip");
    else cJSON_AddStringToObject(o, "last_used_ip", db_text(st, 9));
    token_number_or_null(o, "revoked_at", st, 10);
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Writes Unix time t as "2026-11-27 08:30" (UTC), or "-" for 0. */
static void token_time(FILE *out, long long t) {
  if (!t) {
    fputs("-", out);
    return;
  }
  time_t tt = (time_t)t;
  struct tm tm;
  char s[32];
  gmtime_r(&tt, &tm);
  strftime(s, sizeof s, "%Y-%m-%dT%H:%MZ", &tm);
  fputs(s, out);
}

int token_print(db *d, long user, time_t now, FILE *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_LIST);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long long expires = sqlite3_column_int64(st, 7), revoked = sqlite3_column_int64(st, 10);
    const char *state = revoked ? "revoked" : expires <= (long long)now ? "expired" : "active";
    fprintf(out, "%lld\t%s\t%s\t%s\t%s\t", (long long)sqlite3_column_int64(st, 0),
            db_text(st, 4), db_text(st, 1), db_text(st, 2), state);
    token_time(out, expires);
    fputc('\t', out);
    token_time(out, sqlite3_column_int64(st, 8));
    fprintf(out, "\t%s\n", sqlite3_column_type(st, 9) == SQLITE_NULL ? "-" : db_text(st, 9));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int token_user_id(db *d, const char *username, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_TOKEN_USER);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* ---- Idempotency-Key ------------------------------------------------------ */

static const char SQL_IDEM_EXPIRE[] = "DELETE FROM api_idempotency WHERE created_at < ?1";
static const char SQL_IDEM_BOUND[] =
    "DELETE FROM api_idempotency WHERE id IN (SELECT id FROM api_idempotency"
    " WHERE user_id = ?1 ORDER BY id DESC LIMIT -1 OFFSET ?2)";
static const char SQL_IDEM_ADD[] =
    "INSERT INTO api_idempotency (user_id, key, fingerprint, created_at)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, key) DO NOTHING";
static const char SQL_IDEM_GET[] =
    "SELECT id, status, created_at, fingerprint, coalesce(content_type, ''),"
    " coalesce(etag, ''), coalesce(headers, ''), body"
    " FROM api_idempotency WHERE user_id = ?1 AND key = ?2";
static const char SQL_IDEM_RETAKE[] =
    "UPDATE api_idempotency SET created_at = ?3 WHERE id = ?1 AND status = 0 AND created_at < ?2";
static const char SQL_IDEM_SAVE[] =
    "UPDATE api_idempotency SET status = ?2, content_type = ?3, etag = ?4, headers = ?5,"
    " body = ?6 WHERE id = ?1";
static const char SQL_IDEM_FORGET[] = "DELETE FROM api_idempotency WHERE id = ?1";

void idem_row_free(idem_row *r) {
  buf_free(&r->headers);
  buf_free(&r->body);
}

/* Runs a statement bound to (a, b). Returns what db_run returns. */
static int idem_run(db *d, const char *sql, long long a, long long b) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, a);
  if (b >= 0) sqlite3_bind_int64(st, 2, b);
  return db_run(st);
}

/* Reads user's row for key into out. Returns a store result. */
static int idem_read(db *d, long user, const char *key, idem_row *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_IDEM_GET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    out->id = (long)sqlite3_column_int64(st, 0);
    out->status = sqlite3_column_int(st, 1);
    out->created_at = sqlite3_column_int64(st, 2);
    if (sqlite3_column_bytes(st, 3) == IDEM_FINGERPRINT_LEN)
      memcpy(out->fingerprint, sqlite3_column_blob(st, 3), IDEM_FINGERPRINT_LEN);
    snprintf(out->content_type, sizeof out->content_type, "%s", db_text(st, 4));
    snprintf(out->etag, sizeof out->etag, "%s", db_text(st, 5));
    buf_puts(&out->headers, db_text(st, 6));
    const void *b = sqlite3_column_blob(st, 7);
    int n = sqlite3_column_bytes(st, 7);
    if (b && n > 0) buf_append(&out->body, b, (size_t)n);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* idem_claim inside the caller's transaction. */
static int idem_claim_tx(db *d, time_t now, long user, const char *key,
                         const unsigned char fp[IDEM_FINGERPRINT_LEN], long long before, long max,
                         int *claimed, idem_row *out) {
  if (idem_run(d, SQL_IDEM_EXPIRE, before, -1) < 0) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_IDEM_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 3, fp, IDEM_FINGERPRINT_LEN, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
  int n = db_run(st);
  if (n < 0) return STORE_ERROR;
  *claimed = n == 1;
  if (*claimed) {
    out->id = (long)sqlite3_last_insert_rowid(d->h);
    return idem_run(d, SQL_IDEM_BOUND, user, max) < 0 ? STORE_ERROR : STORE_OK;
  }
  return idem_read(d, user, key, out) == STORE_OK ? STORE_OK : STORE_ERROR;
}

int idem_claim(db *d, time_t now, long user, const char *key,
               const unsigned char fp[IDEM_FINGERPRINT_LEN], long long before, long max,
               int *claimed, idem_row *out) {
  memset(out, 0, sizeof *out);
  *claimed = 0;
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = idem_claim_tx(d, now, user, key, fp, before, max, claimed, out);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) {
    db_rollback(d);
    *claimed = 0;
  }
  return rc;
}

int idem_retake(db *d, long id, long long stale_before, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_IDEM_RETAKE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, stale_before);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

int idem_save(db *d, long id, int status, const char *content_type, const char *etag,
              const char *headers, const char *body, size_t body_len) {
  sqlite3_stmt *st = db_prepare(d, SQL_IDEM_SAVE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, status);
  if (content_type) sqlite3_bind_text(st, 3, content_type, -1, SQLITE_STATIC);
  if (etag && *etag) sqlite3_bind_text(st, 4, etag, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, headers ? headers : "", -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 6, body ? body : "", (int)body_len, SQLITE_STATIC);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int idem_forget(db *d, long id) {
  return idem_run(d, SQL_IDEM_FORGET, id, -1) < 0 ? STORE_ERROR : STORE_OK;
}

int idem_expire(db *d, long long before) {
  return idem_run(d, SQL_IDEM_EXPIRE, before, -1) < 0 ? STORE_ERROR : STORE_OK;
}
