/*
** store_comment.c: comments — the thread a page shows, the flat list the
** API pages through, new comments with their guards, and moderation
** (see store.h).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "guard.h"
#include "store.h"
#include "store_sql.h"

enum { COMMENTS_MAX_SHOWN = 1000 };

#define COMMENT_COLS "id, parent_id, author_name, created_at, body, status, staff_id IS NOT NULL"

/* One page of threads: ?2 approved top-level comments from offset ?4
** (in the order of the comments_threads index), the held top-level
** comments of visitor ?3 (none when ?3 is NULL), and all their replies
** that are approved or that visitor's. */
#define SHOWN(t) "(" t "status = 'approved' OR (" t "status = 'pending' AND " t "visitor = ?3))"
static const char SQL_THREAD[] =
    "WITH RECURSIVE thread (id) AS ("
    "  SELECT id FROM (SELECT id FROM comments INDEXED BY comments_threads"
    "    WHERE article_id = ?1 AND parent_id IS NULL AND status = 'approved'"
    "    AND created_at >= ?6 ORDER BY created_at, id"
    "    LIMIT ?2 OFFSET ?4)"
    "  UNION ALL"
    "  SELECT id FROM comments WHERE visitor = ?3 AND article_id = ?1"
    "    AND parent_id IS NULL AND status = 'pending'"
    "  UNION ALL"
    "  SELECT m.id FROM comments m JOIN thread ON m.parent_id = thread.id"
    "  WHERE " SHOWN("m.") ")"
    " SELECT " COMMENT_COLS " FROM comments WHERE id IN (SELECT id FROM thread)"
    " ORDER BY created_at, id LIMIT ?5";
static const char SQL_THREAD_MORE[] =
    "SELECT 1 FROM comments INDEXED BY comments_threads"
    " WHERE article_id = ?1 AND parent_id IS NULL AND status = 'approved'"
    " AND created_at >= ?3 ORDER BY created_at, id LIMIT 1 OFFSET ?2";
/* Whether a thread follows the one started at ?2 by comment ?3: one seek. */
static const char SQL_THREAD_AFTER[] =
    "SELECT 1 FROM comments INDEXED BY comments_threads"
    " WHERE article_id = ?1 AND parent_id IS NULL AND status = 'approved'"
    " AND (created_at, id) > (?2, ?3) LIMIT 1";
static const char SQL_PAGE[] =
    "SELECT " COMMENT_COLS " FROM comments"
    " WHERE article_id = ?1 AND status = 'approved' AND created_at >= ?4"
    " ORDER BY created_at, id LIMIT ?2 OFFSET ?3";
/* The same page (?2 comments after the first ?3) counted from the newest
** end, by the article's kept count read in the same statement: a page
** past the middle of a long list skips fewer entries so. */
#define KEPT_LEFT "((SELECT comment_count FROM articles WHERE id = ?1) - ?3)"
static const char SQL_PAGE_BACK[] =
    "SELECT " COMMENT_COLS " FROM comments"
    " WHERE article_id = ?1 AND status = 'approved'"
    " ORDER BY created_at DESC, id DESC"
    " LIMIT max(0, min(?2, " KEPT_LEFT ")) OFFSET max(0, " KEPT_LEFT " - ?2)";
/* The hours of article ?1's comments (sql/035), oldest first: each one's
** approved comments and threads, and the article's kept count of approved
** comments. */
static const char SQL_HOURS[] =
    "SELECT hour, n, threads, (SELECT comment_count FROM articles WHERE id = ?1)"
    " FROM comment_hours WHERE article_id = ?1 ORDER BY hour";
/* The article's own count of its approved comments (kept with them). */
static const char SQL_PAGE_COUNT[] = "SELECT comment_count FROM articles WHERE id = ?1";
static const char SQL_FEED[] =
    "SELECT " COMMENT_COLS " FROM comments"
    " WHERE article_id = ?1 AND status = 'approved'"
    " ORDER BY created_at DESC, id DESC LIMIT ?2";
static const char SQL_MINE[] =
    "SELECT " COMMENT_COLS " FROM comments"
    " WHERE visitor = ?1 AND article_id = ?2 AND status = 'pending'"
    " ORDER BY created_at, id LIMIT 100";

/* One comment while the tree is built: its id and its object. */
typedef struct node {
  long id;
  cJSON *obj;
} node;

/* Returns the object of comment id among nodes[0..n), or NULL. Comments
** come oldest first, and a parent is older than its replies. */
static cJSON *node_find(const node *nodes, int n, long id) {
  for (int i = n - 1; i >= 0; i--)
    if (nodes[i].id == id) return nodes[i].obj;
  return NULL;
}

/* Builds one comment's record from a COMMENT_COLS row. */
static cJSON *comment_row(sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  if (sqlite3_column_type(st, 1) == SQLITE_NULL)
    cJSON_AddNullToObject(o, "parent_id");
  else
    cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 1));
  cJSON_AddStringToObject(o, "author_name", db_text(st, 2));
  cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 3));
  cJSON_AddStringToObject(o, "body", db_text(st, 4));
  cJSON_AddBoolToObject(o, "held", strcmp(db_text(st, 5), "approved") != 0);
  cJSON_AddBoolToObject(o, "staff", sqlite3_column_int(st, 6));
  return o;
}

static const char SQL_CLOSED[] = "SELECT comments_closed FROM articles WHERE id = ?1";

int comment_closed(db *d, long article_id, int *closed) {
  sqlite3_stmt *st = db_prepare(d, SQL_CLOSED);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  int rc = db_step(st);
  *closed = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Below this many entries to skip, skipping costs less than walking an
** article's hours. */
enum { COMMENT_SEEK_FROM = 1000 };

/* Where a page's reading starts: at the first comment created at from or
** later (COMMENTS_ALL: the article's first, whenever it was dated),
** skipping skip entries from there. */
typedef struct comment_at {
  long long from;
  long skip;
} comment_at;
#define COMMENTS_ALL INT64_MIN

/* Sets *at for a page after the first skip approved comments of article
** article_id (threads: its approved top-level comments): from the start
** of the hour holding the page's first entry when the article's hours
** (sql/035) add up to its kept count, else from its first comment. An
** hour is ten steps, a skipped entry four: when the hours outnumber two
** fifths of skip, the walk stops and the page is skipped to. */
static int comment_seek(db *d, long article_id, long skip, int threads, comment_at *at) {
  *at = (comment_at){COMMENTS_ALL, skip};
  if (skip < COMMENT_SEEK_FROM) return STORE_OK;
  sqlite3_stmt *st = db_prepare(d, SQL_HOURS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  long long kept = -1, sum = 0, cum = 0, hour = 0, before = 0, rows = 0;
  int found = 0, rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    if (++rows * 5 > (long long)skip * 2) {
      found = 0;
      rc = SQLITE_DONE;
      break;
    }
    long long k = sqlite3_column_int64(st, threads ? 2 : 1);
    sum += sqlite3_column_int64(st, 1);
    kept = sqlite3_column_int64(st, 3);
    if (!found && cum + k > skip) {
      found = 1;
      hour = sqlite3_column_int64(st, 0);
      before = cum;
    }
    cum += k;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return STORE_ERROR;
  if (found && sum == kept && hour > 0) *at = (comment_at){hour * 3600, (long)(skip - before)};
  return STORE_OK;
}

/* The last thread a page showed, to learn whether another follows. */
typedef struct thread_end {
  int threads;         /* approved threads the page started */
  long long at, id;    /* the last one's time and id */
} thread_end;

/* Sets *more when a thread follows page's: one seek after the page's last
** thread when the page showed all its threads, else (replies filled the
** page's rows first) the next page's first thread looked for by skipping. */
static int thread_more(db *d, long article_id, long page, int shown, const thread_end *e,
                       int *more) {
  int full = e->threads == COMMENT_THREADS_PER_PAGE;
  if (!full && shown < COMMENTS_MAX_SHOWN) {
    *more = 0;
    return STORE_OK;
  }
  comment_at at = {COMMENTS_ALL, 0};
  if (!full && comment_seek(d, article_id, page * COMMENT_THREADS_PER_PAGE, 1, &at) != STORE_OK)
    return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, full ? SQL_THREAD_AFTER : SQL_THREAD_MORE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  if (full) {
    sqlite3_bind_int64(st, 2, e->at);
    sqlite3_bind_int64(st, 3, e->id);
  } else {
    sqlite3_bind_int64(st, 2, at.skip);
    sqlite3_bind_int64(st, 3, at.from);
  }
  int rc = db_step(st);
  *more = rc == SQLITE_ROW;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Opens a read transaction on d unless one is open, so that the reads of
** one page (its count, its hours, its rows) see one state; returns 1 when
** it opened one. */
static int comment_read_begin(db *d) {
  return sqlite3_get_autocommit(d->h) && db_exec(d, "BEGIN") == 0;
}

/* Ends what comment_read_begin opened (own) and returns rc. */
static int comment_read_end(db *d, int own, int rc) {
  if (own && db_exec(d, "COMMIT") != 0) return STORE_ERROR;
  return rc;
}

/* comment_tree inside a read transaction. */
static int comment_tree_read(db *d, long article_id, const char *visitor, long page, cJSON *out,
                             int *more) {
  comment_at at;
  if (comment_seek(d, article_id, (page - 1) * COMMENT_THREADS_PER_PAGE, 1, &at) != STORE_OK)
    return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_THREAD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int(st, 2, COMMENT_THREADS_PER_PAGE);
  if (visitor) sqlite3_bind_text(st, 3, visitor, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, at.skip);
  sqlite3_bind_int(st, 5, COMMENTS_MAX_SHOWN);
  sqlite3_bind_int64(st, 6, at.from);
  node *nodes = NULL;
  int n = 0, cap = 0, rc;
  thread_end end = {0};
  while ((rc = db_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      nodes = realloc(nodes, (size_t)cap * sizeof *nodes);
      if (!nodes) abort();
    }
    cJSON *o = comment_row(st);
    cJSON_AddArrayToObject(o, "replies");
    nodes[n].id = (long)sqlite3_column_int64(st, 0);
    nodes[n].obj = o;
    int top = sqlite3_column_type(st, 1) == SQLITE_NULL;
    cJSON *parent = top ? NULL : node_find(nodes, n, (long)sqlite3_column_int64(st, 1));
    if (top && strcmp(db_text(st, 5), "approved") == 0) {
      end.threads++;
      end.at = sqlite3_column_int64(st, 3);
      end.id = nodes[n].id;
    }
    n++;
    /* A reply whose parent is not shown stands at the top level. */
    cJSON_AddItemToArray(
        parent ? cJSON_GetObjectItemCaseSensitive(parent, "replies") : out, o);
  }
  sqlite3_reset(st);
  free(nodes);
  if (rc != SQLITE_DONE) return STORE_ERROR;
  return thread_more(d, article_id, page, n, &end, more);
}

int comment_tree(db *d, long article_id, const char *visitor, long page, cJSON *out,
                 int *more) {
  int own = comment_read_begin(d);
  return comment_read_end(d, own, comment_tree_read(d, article_id, visitor, page, out, more));
}

/* Steps st, putting a comment record per row into out: appended, or
** (at >= 0) each inserted at position at, so that rows read newest first
** end oldest first. Resets st. */
static int comment_collect(sqlite3_stmt *st, cJSON *out, int at) {
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    if (at < 0) cJSON_AddItemToArray(out, comment_row(st));
    else cJSON_InsertItemInArray(out, at, comment_row(st));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* comment_page inside a read transaction. */
static int comment_page_read(db *d, long article_id, long page, long per_page, cJSON *out,
                             long *total) {
  sqlite3_stmt *st = db_prepare(d, SQL_PAGE_COUNT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  *total = db_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  if (*total < 0) return STORE_ERROR;
  long skip = (page - 1) * per_page;
  comment_at at = {COMMENTS_ALL, skip};
  if (*total - skip >= COMMENT_SEEK_FROM && comment_seek(d, article_id, skip, 0, &at) != STORE_OK)
    return STORE_ERROR;
  /* Without the hours, a page past the middle is counted from the end. */
  int back = at.from == COMMENTS_ALL && skip > *total / 2;
  if (!(st = db_prepare(d, back ? SQL_PAGE_BACK : SQL_PAGE))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, back ? skip : at.skip);
  if (!back) sqlite3_bind_int64(st, 4, at.from);
  return comment_collect(st, out, back ? cJSON_GetArraySize(out) : -1);
}

int comment_page(db *d, long article_id, long page, long per_page, cJSON *out, long *total) {
  int own = comment_read_begin(d);
  return comment_read_end(d, own, comment_page_read(d, article_id, page, per_page, out, total));
}

int comment_feed(db *d, long article_id, int max, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_FEED);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int(st, 2, max);
  return comment_collect(st, out, -1);
}

int comment_mine(db *d, long article_id, const char *visitor, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_MINE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, visitor, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, article_id);
  return comment_collect(st, out, -1);
}

static const char SQL_ARTICLE_LIVE[] =
    "SELECT 1 FROM articles a WHERE a.id = ?2 AND " SQL_VISIBLE("a.", "?1");
static const char SQL_PARENT[] =
    "SELECT article_id, status, parent_id FROM comments WHERE id = ?1";
/* The same name and email together, as WordPress keys it: an approved
** email under another name is someone using another's address. */
static const char SQL_APPROVED_BEFORE[] =
    "SELECT 1 FROM comments WHERE author_email = ?1 AND status = 'approved'"
    " AND author_name = ?2 LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO comments (id, article_id, parent_id, author_name, author_email,"
    " body, status, created_at, ip_hash, visitor)"
    " VALUES (" SQL_NEXT_ID("comments") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_COUNT_UP[] =
    "UPDATE articles SET comment_count = comment_count + 1 WHERE id = ?1";
static const char SQL_BY_ID[] =
    "SELECT " COMMENT_COLS " FROM comments WHERE id = ?1";

/* Steps a one-row query; returns SQLITE_ROW, SQLITE_DONE or an error, and
** leaves the row readable (the caller resets). */
static int step1(sqlite3_stmt *st) { return st ? db_step(st) : SQLITE_ERROR; }

/* What comment_write works with. */
typedef struct comment_job {
  db *d;
  time_t now;
  const comment_rules *rules;
} comment_job;

/* Checks the flood limits for the new comment's address and counts the
** comment; sets *retry (seconds) when it must wait. */
static int comment_flood(const comment_job *j, const comment_input *in, long *retry) {
  guard_state g;
  if (guard_read(j->d, GUARD_COMMENT, in->ip_hash, 0, j->now, &g) != 0) return STORE_ERROR;
  *retry = 0;
  if (g.count >= j->rules->flood_hourly)
    *retry = (long)(g.window + 3600 - j->now);
  /* last_at may be a second after this request's start (a later request
  ** committed first), so the gap is compared only when one is required. */
  else if (j->rules->flood_seconds > 0 && g.last_at &&
           j->now - g.last_at < j->rules->flood_seconds)
    *retry = (long)(g.last_at + j->rules->flood_seconds - j->now);
  if (*retry) return STORE_LIMIT;
  return guard_count(j->d, GUARD_COMMENT, in->ip_hash, 0, j->now) == 0 ? STORE_OK
                                                                        : STORE_ERROR;
}

/* Checks the parent: an approved comment of the same article, not too
** deep for a reply. */
static int comment_parent_ok(const comment_job *j, long article_id, long parent) {
  long id = parent;
  for (int depth = 1; id; depth++) {
    sqlite3_stmt *st = db_prepare(j->d, SQL_PARENT);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    int rc = step1(st);
    if (rc != SQLITE_ROW) {
      sqlite3_reset(st);
      return rc == SQLITE_DONE ? STORE_BAD_PARENT : -1;
    }
    int fits = sqlite3_column_int64(st, 0) == article_id &&
               strcmp(db_text(st, 1), "approved") == 0;
    id = (long)sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    if (id == parent || (depth == 1 && !fits)) return STORE_BAD_PARENT;
    if (depth >= j->rules->max_depth) return STORE_TOO_DEEP;
  }
  return 0;
}

/* Decides whether the comment waits for a moderator: 1 or 0, or -1. It
** does when the site holds every comment, when it has more than two links,
** or when no comment under the same name and email was approved before. */
static int comment_held(const comment_job *j, const comment_input *in) {
  if (j->rules->hold_all || escape_count_links(in->body) > 2) return 1;
  sqlite3_stmt *st = db_prepare(j->d, SQL_APPROVED_BEFORE);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, in->email, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, in->name, -1, SQLITE_STATIC);
  int rc = step1(st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Inserts the comment inside the caller's transaction. */
static int comment_write(const comment_job *j, long article_id, const comment_input *in,
                         long *id, long *retry) {
  sqlite3_stmt *st = db_prepare(j->d, SQL_ARTICLE_LIVE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, j->now);
  sqlite3_bind_int64(st, 2, article_id);
  int rc = step1(st);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  if ((rc = comment_flood(j, in, retry)) != STORE_OK) return rc;
  if (in->parent && (rc = comment_parent_ok(j, article_id, in->parent)) != STORE_OK) return rc;
  int held = comment_held(j, in);
  if (held < 0 || !(st = db_prepare(j->d, SQL_INSERT))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  if (in->parent) sqlite3_bind_int64(st, 2, in->parent);
  sqlite3_bind_text(st, 3, in->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, in->email, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, in->body, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, held ? "pending" : "approved", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 7, j->now);
  sqlite3_bind_blob(st, 8, in->ip_hash, sizeof in->ip_hash, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, in->visitor, -1, SQLITE_STATIC);
  rc = step1(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return STORE_ERROR;
  *id = (long)sqlite3_last_insert_rowid(j->d->h);
  if (held) return STORE_OK; /* nobody else sees it yet */
  if (!(st = db_prepare(j->d, SQL_COUNT_UP))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

/* Loads comment id as a record into *out. */
static int comment_get(db *d, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_BY_ID);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = step1(st);
  if (rc == SQLITE_ROW) *out = comment_row(st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/* A comment on its way through the writer. */
typedef struct comment_post {
  time_t now;
  const comment_rules *rules;
  long article_id;
  const comment_input *in;
  long id, retry;
} comment_post;

/* comment_write as a writer's job. */
static int comment_post_job(db *d, void *arg) {
  comment_post *p = arg;
  comment_job j = {d, p->now, p->rules};
  return comment_write(&j, p->article_id, p->in, &p->id, &p->retry);
}

int comment_insert(db *d, writer *w, time_t now, const comment_rules *rules, long article_id,
                   const comment_input *in, cJSON **out, long *retry) {
  comment_post p = {now, rules, article_id, in, 0, 0};
  int rc = writer_run(w, d, comment_post_job, &p);
  *retry = p.retry;
  if (rc != STORE_OK) return rc;
  return comment_get(d, p.id, out);
}

static const char SQL_SET_STATUS[] =
    "UPDATE comments SET status = ?2 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM comments WHERE id = ?1";
static const char SQL_ARTICLE_OF[] = "SELECT article_id FROM comments WHERE id = ?1";
static const char SQL_RECOUNT[] =
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments m"
    " WHERE m.article_id = articles.id AND m.status = 'approved') WHERE id = ?1";

/* Applies the change inside the caller's transaction. */
int comment_change_tx(db *d, long id, const char *status) {
  sqlite3_stmt *st = db_prepare(d, SQL_ARTICLE_OF);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc = step1(st);
  long article = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? 1 : -1;
  st = db_prepare(d, status ? SQL_SET_STATUS : SQL_DELETE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  if (status) sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
  if (step1(st) != SQLITE_DONE) return sqlite3_reset(st), STORE_ERROR;
  sqlite3_reset(st);
  if (!(st = db_prepare(d, SQL_RECOUNT))) return -1;
  sqlite3_bind_int64(st, 1, article);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int comment_moderate(db *d, long id, const char *status) {
  if (db_begin(d) != 0) return -1;
  int rc = comment_change_tx(d, id, status);
  if (rc == 0 && db_commit(d) != 0) rc = -1;
  if (rc != 0) db_rollback(d);
  return rc;
}
