/*
** store_rating.c: readers' star votes. The article's count and sum change
** in the same transaction as the vote, so they always equal what the
** ratings table says (see store.h).
*/
#include "guard.h"
#include "store.h"
#include "store_sql.h"

static const char SQL_VISIBLE_COUNTERS[] =
    "SELECT a.rating_count, a.rating_sum FROM articles a"
    " WHERE a.id = ?2 AND " SQL_VISIBLE("a.", "?1");
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

/* Reads the counters of visible article id. Returns STORE_OK,
** STORE_NOT_FOUND or STORE_ERROR. */
static int rating_counters(db *d, time_t now, long id, long *count, long *sum) {
  sqlite3_stmt *st = db_prepare(d, SQL_VISIBLE_COUNTERS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    *count = (long)sqlite3_column_int64(st, 0);
    *sum = (long)sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Returns voter's stars for article id, 0 when none, -1 on error. */
static int rating_mine(db *d, long id, const char *voter) {
  if (!voter) return 0;
  sqlite3_stmt *st = db_prepare(d, SQL_MY_VOTE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, voter, -1, SQLITE_STATIC);
  int rc = db_step(st);
  int stars = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? stars : -1;
}

/* Builds a rating record. */
static cJSON *rating_record(long id, long count, long sum, int mine) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddNumberToObject(r, "article_id", (double)id);
  cJSON_AddNumberToObject(r, "count", (double)count);
  cJSON_AddNumberToObject(r, "sum", (double)sum);
  if (mine > 0) cJSON_AddNumberToObject(r, "your_vote", mine);
  else cJSON_AddNullToObject(r, "your_vote");
  return r;
}

int rating_get(db *d, time_t now, long id, const char *voter, cJSON **out) {
  long count, sum;
  int rc = rating_counters(d, now, id, &count, &sum);
  if (rc != STORE_OK) return rc;
  int mine = rating_mine(d, id, voter);
  if (mine < 0) return STORE_ERROR;
  *out = rating_record(id, count, sum, mine);
  return STORE_OK;
}

/* Records v inside the caller's transaction; see rating_cast. */
static int rating_write(db *d, time_t now, int ip_cap, long id, const vote *v, long *count,
                        long *sum) {
  int rc = rating_counters(d, now, id, count, sum);
  if (rc != STORE_OK) return rc;
  int old = rating_mine(d, id, v->voter);
  if (old < 0) return STORE_ERROR;
  if (old == 0) {
    guard_state g;
    if (guard_read(d, GUARD_VOTE, v->ip_hash, id, now, &g) != 0) return STORE_ERROR;
    if (g.count >= ip_cap) return STORE_LIMIT;
    if (guard_count(d, GUARD_VOTE, v->ip_hash, id, now) != 0) return STORE_ERROR;
  }
  sqlite3_stmt *st = db_prepare(d, old ? SQL_VOTE_CHANGE : SQL_VOTE_NEW);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, v->voter, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, v->stars);
  if (old) {
    sqlite3_bind_int64(st, 4, now);
  } else {
    sqlite3_bind_blob(st, 4, v->ip_hash, sizeof v->ip_hash, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
  }
  if (db_run(st) < 0) return STORE_ERROR;
  st = db_prepare(d, SQL_COUNTERS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, old ? 0 : 1);
  sqlite3_bind_int(st, 3, v->stars - old);
  if (db_run(st) < 0) return STORE_ERROR;
  *count += old ? 0 : 1;
  *sum += v->stars - old;
  return STORE_OK;
}

/* A vote on its way through the writer. */
typedef struct vote_job {
  time_t now;
  int ip_cap;
  long id;
  const vote *v;
  long count, sum;
} vote_job;

/* rating_write as a writer's job. */
static int rating_job(db *d, void *arg) {
  vote_job *j = arg;
  return rating_write(d, j->now, j->ip_cap, j->id, j->v, &j->count, &j->sum);
}

int rating_cast(db *d, writer *w, time_t now, int ip_cap, long id, const vote *v,
                cJSON **out) {
  vote_job j = {now, ip_cap, id, v, 0, 0};
  int rc = writer_run(w, d, rating_job, &j);
  if (rc != STORE_OK) return rc;
  *out = rating_record(id, j.count, j.sum, v->stars);
  return STORE_OK;
}
