/*
** store_rating.c: readers' star votes. The article's count and sum change
** in the same transaction as the vote, so they always equal what the
** ratings table says (see store.h).
*/
#include "guard.h"
#include "store.h"

#define LIVE "status IN ('published', 'scheduled') AND published_at <= ?2"

static const char SQL_VISIBLE[] =
    "SELECT rating_count, rating_sum FROM articles WHERE id = ?1 AND " LIVE;
static const char SQL_SLUG_ID[] =
    "SELECT id FROM articles WHERE slug = ?1 AND " LIVE;
static const char SQL_MY_VOTE[] =
    "SELECT stars FROM ratings WHERE article_id = ?1 AND voter = ?2";
static const char SQL_VOTE_NEW[] =
    "INSERT INTO ratings (article_id, voter, stars, ip_hash, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_VOTE_CHANGE[] =
    "UPDATE ratings SET stars = ?3, updated_at = ?4"
    " WHERE article_id = ?1 AND voter = ?2";
static const char SQL_COUNTERS[] =
    "UPDATE articles SET rating_count = rating_count + ?2,"
    " rating_sum = rating_sum + ?3 WHERE id = ?1";

int article_id_by_slug(ctx *c, const char *slug, long *id) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_SLUG_ID);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, c->now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Reads the article's counters. Returns 0, 1 when not visible, -1. */
static int rating_counters(ctx *c, long id, long *count, long *sum) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_VISIBLE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, c->now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *count = (long)sqlite3_column_int64(st, 0);
    *sum = (long)sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Returns voter's stars for article id, 0 when none, -1 on error. */
static int rating_mine(ctx *c, long id, const char *voter) {
  if (!voter) return 0;
  sqlite3_stmt *st = db_prepare(c->db, SQL_MY_VOTE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, voter, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  int stars = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? stars : -1;
}

/* Builds the answer: the rating summary plus article_id and your_vote. */
static cJSON *rating_doc(const ctx *c, long id, long count, long sum, int mine) {
  cJSON *r = rating_summary(c, count, sum);
  cJSON_AddNumberToObject(r, "article_id", (double)id);
  if (mine > 0) cJSON_AddNumberToObject(r, "your_vote", mine);
  else cJSON_AddNullToObject(r, "your_vote");
  return r;
}

int rating_get(ctx *c, long id, const char *voter, cJSON **out) {
  long count, sum;
  int rc = rating_counters(c, id, &count, &sum);
  if (rc != 0) return rc;
  int mine = rating_mine(c, id, voter);
  if (mine < 0) return -1;
  *out = rating_doc(c, id, count, sum, mine);
  return 0;
}

/* Runs a write statement; returns 0 or -1. */
static int rating_exec(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Records v inside the caller's transaction; see rating_cast. */
static int rating_record(ctx *c, long id, const vote *v, long *count, long *sum) {
  int rc = rating_counters(c, id, count, sum);
  if (rc != 0) return rc;
  int old = rating_mine(c, id, v->voter);
  if (old < 0) return -1;
  if (old == 0) {
    guard_state g;
    if (guard_read(c->db, GUARD_VOTE, v->ip_hash, id, c->now, &g) != 0) return -1;
    if (g.count >= c->app->rating_ip_cap) return STORE_LIMIT;
    if (guard_count(c->db, GUARD_VOTE, v->ip_hash, id, c->now) != 0) return -1;
  }
  sqlite3_stmt *st = db_prepare(c->db, old ? SQL_VOTE_CHANGE : SQL_VOTE_NEW);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, v->voter, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, v->stars);
  if (old) {
    sqlite3_bind_int64(st, 4, c->now);
  } else {
    sqlite3_bind_blob(st, 4, v->ip_hash, sizeof v->ip_hash, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, c->now);
  }
  if (rating_exec(st) != 0) return -1;
  st = db_prepare(c->db, SQL_COUNTERS);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, old ? 0 : 1);
  sqlite3_bind_int(st, 3, v->stars - old);
  if (rating_exec(st) != 0) return -1;
  *count += old ? 0 : 1;
  *sum += v->stars - old;
  return 0;
}

int rating_cast(ctx *c, long id, const vote *v, cJSON **out) {
  long count = 0, sum = 0;
  if (db_begin(c->db) != 0) return -1;
  int rc = rating_record(c, id, v, &count, &sum);
  if (rc == 0 && db_commit(c->db) != 0) rc = -1;
  if (rc != 0) {
    db_rollback(c->db);
    return rc;
  }
  *out = rating_doc(c, id, count, sum, v->stars);
  return 0;
}
