/*
** purge_queue.c: the purge queue and nginx's key index (see
** purge_queue.h).
*/
#include "purge_queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* ---- from the change log to the queue ---------------------------------- */

static const char SQL_CURSOR[] = "SELECT seq, published_to FROM purge_cursor WHERE id = 1";
static const char SQL_CURSOR_SET[] =
    "UPDATE purge_cursor SET seq = ?1, published_to = max(published_to, ?2) WHERE id = 1";

/* The tags of the articles whose publication time came in (?1, ?2], as
** sql/008's triggers log a publication by hand. A tag's are found from
** those articles (CROSS JOIN keeps that order): article_tags's own
** live_at is indexed after the tag, and was scanned whole at every pass. */
static const char SQL_PUBLISHED[] =
    "INSERT INTO changes (tag, at)"
    " SELECT tag, ?2 FROM ("
    "  SELECT 'article-' || a.id AS tag FROM articles a WHERE a.live_at > ?1 AND a.live_at <= ?2"
    "  UNION SELECT 'category-' || a.category_id FROM articles a"
    "   WHERE a.live_at > ?1 AND a.live_at <= ?2"
    "  UNION SELECT 'author-' || a.author_id FROM articles a"
    "   WHERE a.live_at > ?1 AND a.live_at <= ?2"
    "  UNION SELECT 'tag-' || t.tag_id FROM articles a CROSS JOIN article_tags t"
    "   ON t.article_id = a.id WHERE a.live_at > ?1 AND a.live_at <= ?2"
    "  UNION SELECT v.column1 FROM (VALUES ('home'), ('search'), ('feeds'), ('articles'),"
    "   ('taxa')) v WHERE EXISTS (SELECT 1 FROM articles a"
    "   WHERE a.live_at > ?1 AND a.live_at <= ?2))";

static const char SQL_CHANGES[] =
    "SELECT seq, tag, soft, at FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2";

/* A purge for target ?1 of tag ?2 in round ?3, queued at ?4 for a change
** read at ?6, due at ?5; a purge of the same still waiting takes it. */
static const char SQL_QUEUE[] =
    "INSERT INTO purges (target, tag, round, created_ms, changed_ms, asked_ms, due_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?6, ?5, ?5)"
    " ON CONFLICT (target, tag, round) WHERE state = 'pending' DO UPDATE SET"
    "  changed_ms = max(changed_ms, excluded.changed_ms),"
    "  due_ms = CASE WHEN excluded.round = 0 THEN min(due_ms, excluded.due_ms)"
    "   ELSE max(due_ms, excluded.due_ms) END,"
    "  asked_ms = CASE WHEN excluded.round = 0 THEN min(asked_ms, excluded.asked_ms)"
    "   ELSE max(asked_ms, excluded.asked_ms) END";

/* Queues (SQL_QUEUE) the purge of tag for target in round, at now_ms, for
** a change read at changed_ms, due at due_ms. Returns 0 or -1. */
static int purge_queue_one(db *d, const char *target, const char *tag, int round,
                           long long now_ms, long long changed_ms, long long due_ms) {
  sqlite3_stmt *st = db_prepare(d, SQL_QUEUE);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, tag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 3, round);
  sqlite3_bind_int64(st, 4, now_ms);
  sqlite3_bind_int64(st, 5, due_ms);
  sqlite3_bind_int64(st, 6, changed_ms);
  return db_run(st) < 0 ? -1 : 0;
}

/* Whether some key nginx was given carries tag ?1. */
static const char SQL_TAG_HELD[] = "SELECT 1 FROM cache_key_tags WHERE tag = ?1 LIMIT 1";

/* A tag read from the log in this call: soft while every change of it
** was, and when it last changed (Unix seconds). */
typedef struct changed {
  char tag[PURGE_TAG_MAX];
  int soft;
  long long at;
} changed;

/* Adds tag, changed at at, to the set list[0..*n) (soft only if every
** change of it is). Tags too long to be ours are not kept. */
static void changed_add(changed *list, int *n, const char *tag, int soft, long long at) {
  if (strlen(tag) >= PURGE_TAG_MAX) return;
  for (int i = 0; i < *n; i++)
    if (strcmp(list[i].tag, tag) == 0) {
      list[i].soft &= soft;
      if (at > list[i].at) list[i].at = at;
      return;
    }
  snprintf(list[*n].tag, PURGE_TAG_MAX, "%s", tag);
  list[*n].soft = soft;
  list[*n].at = at;
  (*n)++;
}

/* Sets *held to whether some key nginx was given carries tag. Returns 0
** or -1. */
static int tag_held(db *d, const char *tag, int *held) {
  sqlite3_stmt *st = db_prepare(d, SQL_TAG_HELD);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, tag, -1, SQLITE_STATIC);
  int rc = db_step(st);
  *held = rc == SQLITE_ROW;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Queues the purges of one changed tag for every target. A hard change is
** sent again only when it is recent: an answer built before an older
** change has long reached its cache, and the first purge takes it. A
** change of figures is not queued for the keyed target while no key it
** was given carries the tag (cache_key_record queues it if one comes).
** Returns 0 or -1. */
static int purge_queue_tag(db *d, const purge_plan *p, const changed *c) {
  int held = 1;
  if (c->soft && p->keyed_target && tag_held(d, c->tag, &held) != 0) return -1;
  int recent = c->at * 1000 >= p->now_ms - PURGE_REPEAT_RECENT_MS;
  int rounds = c->soft || !recent ? 1 : 2;
  for (int t = 0; t < p->ntargets; t++) {
    /* A change of figures nginx holds no page of: see sql/036. */
    if (!held && strcmp(p->targets[t], p->keyed_target) == 0) continue;
    for (int r = 0; r < rounds; r++) {
      long long due = p->now_ms + (c->soft ? p->soft_delay_ms : r ? p->repeat_ms : 0);
      if (purge_queue_one(d, p->targets[t], c->tag, r, p->now_ms, p->now_ms, due) != 0)
        return -1;
    }
  }
  return 0;
}

/* Notes the publications that came due up to now (seconds) as changes.
** Returns 0 or -1. */
static int purge_note_published(db *d, long long from, long long now) {
  if (now <= from) return 0;
  sqlite3_stmt *st = db_prepare(d, SQL_PUBLISHED);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, from);
  sqlite3_bind_int64(st, 2, now);
  return db_run(st) < 0 ? -1 : 0;
}

/* Reads the changes after seq into the set list (at most max, with their
** last seq in *last). Sets *gap when the first is not the one after seq,
** and *more when max were read. Returns 0 or -1. */
static int purge_read_changes(db *d, long long seq, int max, changed *list, int *n,
                              long long *last, int *gap, int *more) {
  sqlite3_stmt *st = db_prepare(d, SQL_CHANGES);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, seq);
  sqlite3_bind_int(st, 2, max);
  int rc, read = 0;
  *last = seq;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long long s = sqlite3_column_int64(st, 0);
    if (read == 0 && s != seq + 1) *gap = 1;
    *last = s;
    changed_add(list, n, db_text(st, 1), sqlite3_column_int(st, 2),
                sqlite3_column_int64(st, 3));
    read++;
  }
  sqlite3_reset(st);
  *more = read == max;
  return rc == SQLITE_DONE ? 0 : -1;
}

int purge_enqueue(db *d, const purge_plan *plan, long long *cursor, int *more) {
  int max = plan->max_changes > 0 ? plan->max_changes : 1000;
  changed *list = calloc((size_t)max + 1, sizeof *list);
  if (!list) abort();
  int n = 0, gap = 0, ok = 0;
  long long seq = 0, published = 0, last = 0, now = plan->now_ms / 1000;
  sqlite3_stmt *st = NULL;
  purge_plan at = *plan;
  *more = 0;
  if (db_begin(d) != 0) goto done;
  if (plan->clock_ms) {
    at.now_ms = plan->clock_ms();
    now = at.now_ms / 1000;
  }
  st = db_prepare(d, SQL_CURSOR);
  if (!st || db_step(st) != SQLITE_ROW) {
    if (st) sqlite3_reset(st);
    goto done;
  }
  seq = sqlite3_column_int64(st, 0);
  published = sqlite3_column_int64(st, 1);
  sqlite3_reset(st);
  if (purge_note_published(d, published, now) != 0 ||
      purge_read_changes(d, seq, max, list, &n, &last, &gap, more) != 0)
    goto done;
  if (gap) changed_add(list, &n, "site", 0, now);
  if (n == 0) {
    /* Nothing new: write nothing (a commit would add to the write-ahead
    ** log, and wake this reader again once it is checkpointed). */
    db_rollback(d);
    free(list);
    *cursor = seq;
    return STORE_OK;
  }
  for (int i = 0; i < n; i++)
    if (purge_queue_tag(d, &at, &list[i]) != 0) goto done;
  st = db_prepare(d, SQL_CURSOR_SET);
  if (!st) goto done;
  sqlite3_bind_int64(st, 1, last);
  sqlite3_bind_int64(st, 2, now);
  ok = db_run(st) >= 0 && db_commit(d) == 0;
done:
  if (!ok) db_rollback(d);
  free(list);
  *cursor = ok ? last : seq;
  return ok ? STORE_OK : STORE_ERROR;
}

int purge_cursor(db *d, long long *seq) {
  sqlite3_stmt *st = db_prepare(d, SQL_CURSOR);
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *seq = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/* ---- sending ----------------------------------------------------------- */

static const char SQL_DUE[] =
    "SELECT id, tag, round, attempts, created_ms, changed_ms FROM purges"
    " WHERE state = 'pending' AND target = ?1 AND due_ms <= ?2 ORDER BY due_ms LIMIT ?3";
static const char SQL_SENT[] =
    "UPDATE purges SET state = 'sent', done_ms = ?2, attempts = attempts + 1 WHERE id = ?1";
static const char SQL_RETRY[] =
    "UPDATE purges SET attempts = ?2, due_ms = ?3, error = ?4 WHERE id = ?1";
static const char SQL_GIVE_UP[] =
    "UPDATE purges SET state = 'failed', attempts = ?2, done_ms = ?3, error = ?4 WHERE id = ?1";
/* Read from purges_next, whose first entry is the answer: by state alone
** (purges_done) every pending row would be read for its time. */
static const char SQL_NEXT_DUE[] =
    "SELECT coalesce(min(due_ms), 0) FROM purges INDEXED BY purges_next"
    " WHERE state = 'pending'";

int purge_due(db *d, const char *target, long long now_ms, purge_item *items, int max) {
  sqlite3_stmt *st = db_prepare(d, SQL_DUE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, now_ms);
  sqlite3_bind_int(st, 3, max);
  int n = 0, rc = SQLITE_DONE;
  while (n < max && (rc = db_step(st)) == SQLITE_ROW) {
    purge_item *it = &items[n++];
    it->id = sqlite3_column_int64(st, 0);
    snprintf(it->tag, sizeof it->tag, "%s", db_text(st, 1));
    it->round = sqlite3_column_int(st, 2);
    it->attempts = sqlite3_column_int(st, 3);
    it->created_ms = sqlite3_column_int64(st, 4);
    it->changed_ms = sqlite3_column_int64(st, 5);
  }
  if (n < max && rc != SQLITE_DONE) n = STORE_ERROR;
  sqlite3_reset(st);
  return n;
}

int purge_sent(db *d, long long id, long long now_ms) {
  sqlite3_stmt *st = db_prepare(d, SQL_SENT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now_ms);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int purge_retry(db *d, const purge_item *it, long long now_ms, long long give_up_ms,
                const char *error) {
  int attempts = it->attempts + 1;
  int give_up = now_ms - it->created_ms >= give_up_ms;
  sqlite3_stmt *st = db_prepare(d, give_up ? SQL_GIVE_UP : SQL_RETRY);
  if (!st) return STORE_ERROR;
  long long delay = PURGE_RETRY_FIRST_MS;
  for (int i = 1; i < attempts && delay < PURGE_RETRY_MAX_MS; i++) delay *= 2;
  if (delay > PURGE_RETRY_MAX_MS) delay = PURGE_RETRY_MAX_MS;
  char line[PURGE_ERROR_MAX];
  snprintf(line, sizeof line, "%s", error ? error : "");
  sqlite3_bind_int64(st, 1, it->id);
  sqlite3_bind_int(st, 2, attempts);
  sqlite3_bind_int64(st, 3, give_up ? now_ms : now_ms + delay);
  sqlite3_bind_text(st, 4, line, -1, SQLITE_STATIC);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int purge_next_due(db *d, long long *due_ms) {
  sqlite3_stmt *st = db_prepare(d, SQL_NEXT_DUE);
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *due_ms = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

static const char SQL_PENDING_TARGETS[] =
    "SELECT DISTINCT target FROM purges WHERE state = 'pending'";
static const char SQL_DROP_TARGET[] =
    "UPDATE purges SET state = 'failed', done_ms = ?2,"
    " error = 'no longer among the caches to purge' WHERE state = 'pending' AND target = ?1";

/* Returns 1 when s is among list[0..n). */
static int purge_listed(const char *const *list, int n, const char *s) {
  for (int i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0) return 1;
  return 0;
}

int purge_drop_others(db *d, const char *const *targets, int n, long long now_ms) {
  sqlite3_stmt *st = db_prepare(d, SQL_PENDING_TARGETS);
  if (!st) return STORE_ERROR;
  buf gone = {0};  /* the targets to drop, NUL-separated */
  int rc, count = 0;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    const char *t = db_text(st, 0);
    if (purge_listed(targets, n, t)) continue;
    buf_append(&gone, t, strlen(t) + 1);
    count++;
  }
  sqlite3_reset(st);
  int result = rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
  const char *p = gone.data;
  for (int i = 0; i < count && result == STORE_OK; i++, p += strlen(p) + 1) {
    st = db_prepare(d, SQL_DROP_TARGET);
    if (!st) {
      result = STORE_ERROR;
      break;
    }
    sqlite3_bind_text(st, 1, p, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    if (db_run(st) < 0) result = STORE_ERROR;
  }
  buf_free(&gone);
  return result;
}

static const char SQL_PRUNE_DONE[] =
    "DELETE FROM purges WHERE id IN (SELECT id FROM purges WHERE state = ?1 AND done_ms < ?2"
    " LIMIT 5000)";
static const char SQL_PRUNE_KEYS[] =
    "DELETE FROM cache_keys WHERE id IN (SELECT id FROM cache_keys WHERE recorded_ms < ?1"
    " LIMIT 5000)";

/* Deletes (a bounded number of) the purges in state done before before. */
static int purge_prune_state(db *d, const char *state, long long before) {
  sqlite3_stmt *st = db_prepare(d, SQL_PRUNE_DONE);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, before);
  return db_run(st) < 0 ? -1 : 0;
}

int purge_prune(db *d, long long sent_before_ms, long long failed_before_ms,
                long long keys_before_ms) {
  if (purge_prune_state(d, "sent", sent_before_ms) != 0 ||
      purge_prune_state(d, "failed", failed_before_ms) != 0)
    return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_PRUNE_KEYS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, keys_before_ms);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

static const char SQL_EVERYTHING[] = "INSERT INTO changes (tag, at) VALUES ('site', unixepoch())";

int purge_everything(db *d) {
  sqlite3_stmt *st = db_prepare(d, SQL_EVERYTHING);
  if (!st) return STORE_ERROR;
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

/* ---- what the newsroom shows ------------------------------------------- */

static const char SQL_STATUS_PENDING[] =
    "SELECT target, count(*), min(created_ms), max(attempts),"
    " (SELECT p2.error FROM purges p2 WHERE p2.state = 'pending' AND p2.target = p.target"
    "   AND p2.error <> '' ORDER BY p2.due_ms DESC LIMIT 1)"
    " FROM purges p WHERE state = 'pending' GROUP BY target";
static const char SQL_STATUS_SENT[] =
    "SELECT target, count(*), avg(done_ms - asked_ms), max(done_ms - asked_ms), max(done_ms)"
    " FROM purges WHERE state = 'sent' AND done_ms >= ?1 GROUP BY target";
static const char SQL_STATUS_FAILED[] =
    "SELECT target, count(*), max(done_ms),"
    " (SELECT p2.error FROM purges p2 WHERE p2.state = 'failed' AND p2.target = p.target"
    "   ORDER BY p2.done_ms DESC LIMIT 1)"
    " FROM purges p WHERE state = 'failed' AND done_ms >= ?1 GROUP BY target";
static const char SQL_STATUS_RECENT[] =
    "SELECT target, tag, round, state, attempts, created_ms, done_ms, error, asked_ms FROM purges"
    " ORDER BY id DESC LIMIT 30";

/* Returns the object of target in list, made (with zero figures) when it
** is not there yet. */
static cJSON *status_target(cJSON *list, const char *target) {
  cJSON *o;
  cJSON_ArrayForEach(o, list) {
    const cJSON *t = cJSON_GetObjectItem(o, "target");
    if (cJSON_IsString(t) && strcmp(t->valuestring, target) == 0) return o;
  }
  o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "target", target);
  static const char *const zero[] = {"pending", "oldest_ms", "attempts", "sent_hour",
                                     "delay_avg_ms", "delay_max_ms", "last_sent_ms",
                                     "failed_day"};
  for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
    cJSON_AddNumberToObject(o, zero[i], 0);
  cJSON_AddStringToObject(o, "last_error", "");
  cJSON_AddItemToArray(list, o);
  return o;
}

/* Sets number member key of o to v. */
static void status_set(cJSON *o, const char *key, double v) {
  cJSON_ReplaceItemInObject(o, key, cJSON_CreateNumber(v));
}

/* Adds the figures of the three status queries to list. Returns 0 or -1. */
static int status_figures(db *d, long long now_ms, cJSON *list) {
  sqlite3_stmt *st = db_prepare(d, SQL_STATUS_PENDING);
  int rc;
  if (!st) return -1;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = status_target(list, db_text(st, 0));
    status_set(o, "pending", (double)sqlite3_column_int64(st, 1));
    status_set(o, "oldest_ms", (double)sqlite3_column_int64(st, 2));
    status_set(o, "attempts", (double)sqlite3_column_int64(st, 3));
    if (*db_text(st, 4)) cJSON_ReplaceItemInObject(o, "last_error", cJSON_CreateString(db_text(st, 4)));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE || !(st = db_prepare(d, SQL_STATUS_SENT))) return -1;
  sqlite3_bind_int64(st, 1, now_ms - 3600 * 1000LL);
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = status_target(list, db_text(st, 0));
    status_set(o, "sent_hour", (double)sqlite3_column_int64(st, 1));
    status_set(o, "delay_avg_ms", sqlite3_column_double(st, 2));
    status_set(o, "delay_max_ms", (double)sqlite3_column_int64(st, 3));
    status_set(o, "last_sent_ms", (double)sqlite3_column_int64(st, 4));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE || !(st = db_prepare(d, SQL_STATUS_FAILED))) return -1;
  sqlite3_bind_int64(st, 1, now_ms - 86400 * 1000LL);
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = status_target(list, db_text(st, 0));
    status_set(o, "failed_day", (double)sqlite3_column_int64(st, 1));
    const cJSON *err = cJSON_GetObjectItem(o, "last_error");
    if (!*err->valuestring) cJSON_ReplaceItemInObject(o, "last_error", cJSON_CreateString(db_text(st, 3)));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int purge_status(db *d, const char *const *targets, int n, long long now_ms, cJSON *out) {
  cJSON *list = cJSON_AddArrayToObject(out, "targets");
  for (int i = 0; i < n; i++) status_target(list, targets[i]);
  if (status_figures(d, now_ms, list) != 0) return STORE_ERROR;
  cJSON *recent = cJSON_AddArrayToObject(out, "recent");
  sqlite3_stmt *st = db_prepare(d, SQL_STATUS_RECENT);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "target", db_text(st, 0));
    cJSON_AddStringToObject(o, "tag", db_text(st, 1));
    cJSON_AddNumberToObject(o, "round", sqlite3_column_int(st, 2));
    cJSON_AddStringToObject(o, "state", db_text(st, 3));
    cJSON_AddNumberToObject(o, "attempts", sqlite3_column_int(st, 4));
    cJSON_AddNumberToObject(o, "created_ms", (double)sqlite3_column_int64(st, 5));
    cJSON_AddNumberToObject(o, "done_ms", (double)sqlite3_column_int64(st, 6));
    cJSON_AddStringToObject(o, "error", db_text(st, 7));
    cJSON_AddNumberToObject(o, "asked_ms", (double)sqlite3_column_int64(st, 8));
    cJSON_AddItemToArray(recent, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- nginx's keys ------------------------------------------------------ */

static const char SQL_KEY_UPSERT[] =
    "INSERT INTO cache_keys (key, built_ms, recorded_ms) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (key) DO UPDATE SET built_ms = excluded.built_ms,"
    " recorded_ms = excluded.recorded_ms RETURNING id";
static const char SQL_KEY_UNTAG[] = "DELETE FROM cache_key_tags WHERE key_id = ?1";
static const char SQL_KEY_TAG[] =
    "INSERT OR IGNORE INTO cache_key_tags (tag, key_id) VALUES (?1, ?2)";
static const char SQL_KEY_LIST[] =
    "SELECT k.id, k.key FROM cache_key_tags t JOIN cache_keys k ON k.id = t.key_id"
    " WHERE t.tag = ?1 AND t.key_id > ?2 AND k.built_ms < ?3"
    " AND (k.purged_ms IS NULL OR k.purged_ms < k.recorded_ms + ?4)"
    " ORDER BY t.key_id LIMIT ?5";
static const char SQL_KEY_PURGED[] = "UPDATE cache_keys SET purged_ms = ?2 WHERE id = ?1";
/* The key's few tags first, each then one seek in purges_sent_tag: CROSS
** JOIN keeps that order, where the planner could start from the purges
** sent to the target, an hour of them. */
static const char SQL_KEY_STALE[] =
    "SELECT 1 FROM cache_key_tags t CROSS JOIN purges p ON p.target = ?3 AND p.tag = t.tag"
    " AND p.state = 'sent' AND p.changed_ms > ?2 WHERE t.key_id = ?1 LIMIT 1";

/* Sets *stale when a purge of one of key id's tags was already sent to
** target for a change read after built_ms. Returns 0 or -1. */
static int cache_key_stale(db *d, long long id, long long built_ms, const char *target,
                           int *stale) {
  sqlite3_stmt *st = db_prepare(d, SQL_KEY_STALE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, built_ms);
  sqlite3_bind_text(st, 3, target, -1, SQLITE_STATIC);
  int rc = db_step(st);
  *stale = rc == SQLITE_ROW;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Tags key id with the tag s[0..n). Returns 0 or -1. */
static int cache_key_tag(db *d, long long id, const char *s, size_t n) {
  sqlite3_stmt *st = db_prepare(d, SQL_KEY_TAG);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, s, (int)n, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  return db_run(st) < 0 ? -1 : 0;
}

/* The time (Unix ms) article ?1's figures last changed (sql/036). */
static const char SQL_FIGURES_AT[] = "SELECT figures_ms FROM articles WHERE id = ?1";
/* When the figures of the article tagged s[0..n) ("article-N") changed
** after built_ms (within FIGURES_MARGIN_MS), queues their purge for
** target, due soft_delay_ms after the change (at once if that has
** passed): the purge the queue passed by while nginx held no page of the
** article (sql/036). Lowers *due_ms (0: none yet) to when it is due.
** Returns 0 or -1. */
static int cache_key_figures(db *d, const char *s, size_t n, long long built_ms,
                             long long now_ms, const char *target, long long soft_delay_ms,
                             long long *due_ms) {
  char tag[PURGE_TAG_MAX];
  if (n <= 8 || n >= sizeof tag || strncmp(s, "article-", 8) != 0) return 0;
  memcpy(tag, s, n);
  tag[n] = 0;
  char *end;
  long long id = strtoll(tag + 8, &end, 10);
  if (*end || id <= 0) return 0;
  sqlite3_stmt *st = db_prepare(d, SQL_FIGURES_AT);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  long long at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
  /* The vote's time is taken before its commit: a margin for the wait. */
  if (at + FIGURES_MARGIN_MS <= built_ms) return 0;
  long long due = at + soft_delay_ms > now_ms ? at + soft_delay_ms : now_ms;
  if (!*due_ms || due < *due_ms) *due_ms = due;
  return purge_queue_one(d, target, tag, 0, now_ms, at + FIGURES_MARGIN_MS, due);
}

int cache_key_record(db *d, const char *key, const char *tags, long long built_ms,
                     long long now_ms, const char *target, long long soft_delay_ms,
                     long long *stale_id, long long *due_ms) {
  *stale_id = 0;
  if (strlen(key) >= CACHE_KEY_MAX) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_KEY_UPSERT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, built_ms);
  sqlite3_bind_int64(st, 3, now_ms);
  if (db_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    return STORE_ERROR;
  }
  long long id = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  st = db_prepare(d, SQL_KEY_UNTAG);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  if (db_run(st) < 0 || cache_key_tag(d, id, "site", 4) != 0) return STORE_ERROR;
  int kept = 0;
  for (const char *p = tags; *p && kept < CACHE_KEY_TAGS_MAX;) {
    size_t n = strcspn(p, " ");
    if (n && n < PURGE_TAG_MAX) {
      if (cache_key_tag(d, id, p, n) != 0 ||
          cache_key_figures(d, p, n, built_ms, now_ms, target, soft_delay_ms, due_ms) != 0)
        return STORE_ERROR;
      kept++;
    }
    p += n + (p[n] == ' ');
  }
  int stale = 0;
  if (cache_key_stale(d, id, built_ms, target, &stale) != 0) return STORE_ERROR;
  if (stale) *stale_id = id;
  return STORE_OK;
}

int cache_key_list(db *d, const char *tag, long long after_id, long long changed_ms,
                   long long lookback_ms, cache_key *out, int max) {
  sqlite3_stmt *st = db_prepare(d, SQL_KEY_LIST);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, tag, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, after_id);
  sqlite3_bind_int64(st, 3, changed_ms);
  sqlite3_bind_int64(st, 4, lookback_ms);
  sqlite3_bind_int(st, 5, max);
  int n = 0, rc = SQLITE_DONE;
  while (n < max && (rc = db_step(st)) == SQLITE_ROW) {
    out[n].id = sqlite3_column_int64(st, 0);
    snprintf(out[n].key, sizeof out[n].key, "%s", db_text(st, 1));
    n++;
  }
  if (n < max && rc != SQLITE_DONE) n = STORE_ERROR;
  sqlite3_reset(st);
  return n;
}

int cache_key_purged(db *d, long long id, long long now_ms) {
  sqlite3_stmt *st = db_prepare(d, SQL_KEY_PURGED);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now_ms);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}
