/*
** store_webhook.c: webhooks and their deliveries as stored (see
** store_webhook.h).
*/
#include "store_webhook.h"

#include <stdio.h>
#include <string.h>

static const char SQL_HOOK_ADD[] =
    "INSERT INTO webhooks (url, events, secret, active, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_HOOK_SET[] =
    "UPDATE webhooks SET url = ?2, events = ?3, secret = ?4, active = ?5, updated_at = ?6"
    " WHERE id = ?1";
static const char SQL_HOOK_DELETE[] = "DELETE FROM webhooks WHERE id = ?1";
static const char SQL_HOOK_LIST[] =
    "SELECT w.id, w.url, w.events, w.active, w.created_at,"
    " (SELECT count(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id"
    "  AND x.state = 'pending'),"
    " (SELECT count(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id"
    "  AND x.state = 'failed')"
    " FROM webhooks w ORDER BY w.id LIMIT 1000";
static const char SQL_HOOK_GET[] =
    "SELECT id, url, events, secret, active, created_at, updated_at FROM webhooks WHERE id = ?1";
static const char SQL_DELIVERIES[] =
    "SELECT id, event, state, attempts, next_at, created_at, last_at, last_status,"
    " coalesce(last_error, ''), coalesce(last_answer, '')"
    " FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_DELIVERIES_COUNT[] =
    "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?1";
static const char SQL_REDELIVER[] =
    "UPDATE webhook_deliveries SET state = 'pending', next_at = ?3, give_up_at = ?3 + 86400"
    " WHERE id = ?2 AND webhook_id = ?1";

/* Binds w to a write of an endpoint: ?2 url, ?3 events, ?4 secret, ?5
** active. */
static void webhook_bind(sqlite3_stmt *st, const webhook_in *w, int first) {
  sqlite3_bind_text(st, first, w->url, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, first + 1, w->events, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, first + 2, w->secret, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, first + 3, w->active ? 1 : 0);
}

int webhook_insert(db *d, time_t now, const webhook_in *w, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_HOOK_ADD);
  if (!st) return STORE_ERROR;
  webhook_bind(st, w, 1);
  sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
  if (db_run(st) != 1) return STORE_ERROR;
  *id = (long)sqlite3_last_insert_rowid(d->h);
  return STORE_OK;
}

int webhook_update(db *d, time_t now, long id, const webhook_in *w) {
  sqlite3_stmt *st = db_prepare(d, SQL_HOOK_SET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  webhook_bind(st, w, 2);
  sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

int webhook_delete(db *d, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_HOOK_DELETE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

int webhook_list(db *d, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_HOOK_LIST);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "url", db_text(st, 1));
    cJSON_AddStringToObject(o, "events", db_text(st, 2));
    cJSON_AddBoolToObject(o, "active", sqlite3_column_int(st, 3));
    cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 4));
    cJSON_AddNumberToObject(o, "pending", (double)sqlite3_column_int64(st, 5));
    cJSON_AddNumberToObject(o, "failed", (double)sqlite3_column_int64(st, 6));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int webhook_get(db *d, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_HOOK_GET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "url", db_text(st, 1));
    cJSON_AddStringToObject(o, "events", db_text(st, 2));
    cJSON_AddStringToObject(o, "secret", db_text(st, 3));
    cJSON_AddBoolToObject(o, "active", sqlite3_column_int(st, 4));
    cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 5));
    cJSON_AddNumberToObject(o, "updated_at", (double)sqlite3_column_int64(st, 6));
    *out = o;
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int webhook_deliveries(db *d, long id, long page, long per_page, cJSON *out, long *total) {
  sqlite3_stmt *st = db_prepare(d, SQL_DELIVERIES_COUNT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  *total = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW || !(st = db_prepare(d, SQL_DELIVERIES))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, (page - 1) * per_page);
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "event", db_text(st, 1));
    cJSON_AddStringToObject(o, "state", db_text(st, 2));
    cJSON_AddNumberToObject(o, "attempts", (double)sqlite3_column_int64(st, 3));
    cJSON_AddNumberToObject(o, "next_at", (double)sqlite3_column_int64(st, 4));
    cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 5));
    cJSON_AddNumberToObject(o, "last_at", (double)sqlite3_column_int64(st, 6));
    if (sqlite3_column_type(st, 7) == SQLITE_NULL) cJSON_AddNullToObject(o, "last_status");
    else cJSON_AddNumberToObject(o, "last_status", (double)sqlite3_column_int64(st, 7));
    cJSON_AddStringToObject(o, "last_error", db_text(st, 8));
    cJSON_AddStringToObject(o, "last_answer", db_text(st, 9));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int webhook_redeliver(db *d, time_t now, long id, long did) {
  sqlite3_stmt *st = db_prepare(d, SQL_REDELIVER);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, did);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

/* ---- the webhook thread's side -------------------------------------------- */

static const char SQL_DUE[] =
    "SELECT x.id, x.webhook_id, x.event, x.data, x.attempts, x.created_at, x.give_up_at, w.url,"
    " w.secret FROM webhook_deliveries x JOIN webhooks w ON w.id = x.webhook_id"
    " WHERE x.state = 'pending' AND x.next_at <= ?1 AND w.active = 1"
    " ORDER BY x.next_at, x.id LIMIT 1";
static const char SQL_LEASE[] =
    "UPDATE webhook_deliveries SET next_at = ?2 WHERE id = ?1 AND state = 'pending'";
static const char SQL_RECORD[] =
    "UPDATE webhook_deliveries SET attempts = attempts + 1, last_at = ?2,"
    " last_status = nullif(?3, 0), last_error = ?4, last_answer = ?5,"
    " state = CASE WHEN ?6 THEN 'delivered' WHEN ?7 > give_up_at THEN 'failed' ELSE 'pending' END,"
    " next_at = ?7 WHERE id = ?1";
static const char SQL_SCHEDULED[] =
    "INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)"
    " SELECT w.id, 'article.published', v.data, ?1, ?1 + 86400, ?1"
    " FROM articles a JOIN webhook_article_data v ON v.id = a.id"
    " JOIN webhooks w ON w.active = 1 AND instr(' ' || w.events || ' ', ' article.published ') > 0"
    " WHERE a.live_at > (SELECT scheduled_until FROM webhook_clock WHERE id = 1)"
    " AND a.live_at <= ?1 AND a.updated_at < a.live_at";
static const char SQL_SCHEDULED_ANY[] =
    "SELECT EXISTS (SELECT 1 FROM articles WHERE live_at > (SELECT scheduled_until"
    " FROM webhook_clock WHERE id = 1) AND live_at <= ?1)";
static const char SQL_CLOCK[] =
    "UPDATE webhook_clock SET scheduled_until = ?1 WHERE id = 1 AND scheduled_until < ?1";
static const char SQL_PRUNE[] =
    "DELETE FROM webhook_deliveries WHERE created_at < ?1 AND state <> 'pending'";

void webhook_due_free(webhook_due *w) {
  buf_free(&w->data);
  buf_free(&w->url);
  buf_free(&w->secret);
}

/* webhook_take inside the caller's transaction. */
static int webhook_take_tx(db *d, time_t now, long long lease_until, webhook_due *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_DUE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    out->id = (long)sqlite3_column_int64(st, 0);
    out->webhook_id = (long)sqlite3_column_int64(st, 1);
    snprintf(out->event, sizeof out->event, "%s", db_text(st, 2));
    buf_puts(&out->data, db_text(st, 3));
    out->attempts = (long)sqlite3_column_int64(st, 4);
    out->created_at = sqlite3_column_int64(st, 5);
    out->give_up_at = sqlite3_column_int64(st, 6);
    buf_puts(&out->url, db_text(st, 7));
    buf_puts(&out->secret, db_text(st, 8));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  if (!(st = db_prepare(d, SQL_LEASE))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, out->id);
  sqlite3_bind_int64(st, 2, lease_until);
  return db_run(st) == 1 ? STORE_OK : STORE_ERROR;
}

int webhook_take(db *d, time_t now, long long lease_until, webhook_due *out) {
  memset(out, 0, sizeof *out);
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = webhook_take_tx(d, now, lease_until, out);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) {
    db_rollback(d);
    webhook_due_free(out);
  }
  return rc;
}

int webhook_record(db *d, time_t now, long id, const webhook_result *r) {
  sqlite3_stmt *st = db_prepare(d, SQL_RECORD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
  sqlite3_bind_int(st, 3, r->status);
  sqlite3_bind_text(st, 4, r->error ? r->error : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, r->answer ? r->answer : "", -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 6, r->delivered ? 1 : 0);
  sqlite3_bind_int64(st, 7, r->next_at);
  return db_run(st) == 1 ? STORE_OK : STORE_ERROR;
}

/* Runs the statement sql bound to ?1 = t. Returns db_run's result. */
static int webhook_run_at(db *d, const char *sql, long long t) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, t);
  return db_run(st);
}

int webhook_scheduled(db *d, time_t now) {
  /* Most seconds nothing came: a read, and no write. */
  sqlite3_stmt *st = db_prepare(d, SQL_SCHEDULED_ANY);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
  int rc = db_step(st);
  int any = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return STORE_ERROR;
  if (!any) return STORE_OK;
  if (db_begin(d) != 0) return STORE_ERROR;
  int ok = webhook_run_at(d, SQL_SCHEDULED, now) >= 0 && webhook_run_at(d, SQL_CLOCK, now) >= 0 &&
           db_commit(d) == 0;
  if (!ok) db_rollback(d);
  return ok ? STORE_OK : STORE_ERROR;
}

int webhook_prune(db *d, long long before) {
  return webhook_run_at(d, SQL_PRUNE, before) < 0 ? STORE_ERROR : STORE_OK;
}
