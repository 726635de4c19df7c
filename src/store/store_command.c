/*
** store_command.c: what the gazette command reads for its listings and
** checks (see store_newsroom.h).
*/
#include <stdio.h>

#include "store_newsroom.h"

static const char SQL_COMMENTS_LIST[] =
    "SELECT m.id, m.status, a.slug, m.author_name, m.author_email,"
    " datetime(m.created_at, 'unixepoch'), substr(replace(m.body, char(10), ' '), 1, 60)"
    " FROM comments m JOIN articles a ON a.id = m.article_id"
    " WHERE ?1 IS NULL OR m.status = ?1 ORDER BY m.created_at DESC, m.id DESC";

int comment_print(db *d, const char *status, FILE *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_COMMENTS_LIST);
  if (!st) return STORE_ERROR;
  if (status) sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW)
    fprintf(out, "%lld\t%s\t%s\t%s <%s>\t%s\t%s\n", (long long)sqlite3_column_int64(st, 0),
            db_text(st, 1), db_text(st, 2), db_text(st, 3), db_text(st, 4), db_text(st, 5),
            db_text(st, 6));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static const char SQL_CHECK[] =
    "SELECT a.slug, a.rating_count, a.rating_sum, a.comment_count,"
    " (SELECT count(*) FROM ratings r WHERE r.article_id = a.id),"
    " (SELECT coalesce(sum(stars), 0) FROM ratings r WHERE r.article_id = a.id),"
    " (SELECT count(*) FROM comments m WHERE m.article_id = a.id"
    "  AND m.status = 'approved') FROM articles a";

/* The lists' sizes kept by triggers (article_counts, article_months)
** against the articles themselves (an author's: every article whose
** byline names them, from article_authors), with each list's first
** article's time, and the number of lists of each scope that have
** articles (list_totals) against article_counts, and each list's size
** in each month (list_months): each kept figure that differs, and each
** list with articles that has none kept. MONTH_OF: the month (its first
** second) of an entry's live_at. */
#define MONTH_OF "unixepoch(live_at, 'unixepoch', 'start of month')"
static const char SQL_CHECK_LISTS[] =
    "WITH actual (scope, id, n, first) AS ("
    "  SELECT 'all', 0, count(*), min(live_at) FROM articles WHERE live_at IS NOT NULL"
    "  UNION ALL SELECT 'category', category_id, count(*), min(live_at) FROM articles"
    "   WHERE live_at IS NOT NULL GROUP BY category_id"
    "  UNION ALL SELECT 'author', user_id, count(*), min(live_at) FROM article_authors"
    "   WHERE live_at IS NOT NULL GROUP BY user_id"
    "  UNION ALL SELECT 'lang', lang, count(*), min(live_at) FROM articles"
    "   WHERE live_at IS NOT NULL GROUP BY lang"
    "  UNION ALL SELECT 'tag', tag_id, count(*), min(live_at) FROM article_tags"
    "   WHERE live_at IS NOT NULL GROUP BY tag_id"
    "  UNION ALL SELECT 'month', " MONTH_OF ", count(*), NULL FROM articles"
    "   WHERE live_at IS NOT NULL GROUP BY 2"
    "  UNION ALL SELECT 'lists', scope, count(*), NULL FROM article_counts WHERE n > 0"
    "   GROUP BY scope"
    "  UNION ALL SELECT 'months', format('%s %s %d', s, i, m), count(*), NULL FROM"
    "   (SELECT 'all' AS s, 0 AS i, " MONTH_OF " AS m FROM articles WHERE live_at IS NOT NULL"
    "    UNION ALL SELECT 'category', category_id, " MONTH_OF " FROM articles"
    "     WHERE live_at IS NOT NULL"
    "    UNION ALL SELECT 'lang', lang, " MONTH_OF " FROM articles WHERE live_at IS NOT NULL"
    "    UNION ALL SELECT 'tag', tag_id, " MONTH_OF " FROM article_tags WHERE live_at IS NOT NULL"
    "    UNION ALL SELECT 'author', user_id, " MONTH_OF " FROM article_authors"
    "     WHERE live_at IS NOT NULL) GROUP BY 2),"
    " kept (scope, id, n, first) AS (SELECT scope, id, n, first_at FROM article_counts"
    "  UNION ALL SELECT 'month', month, n, NULL FROM article_months"
    "  UNION ALL SELECT 'months', format('%s %s %d', scope, id, month), n, NULL FROM list_months"
    "  UNION ALL SELECT 'lists', scope, n, NULL FROM list_totals)"
    " SELECT scope, id, sum(kn), sum(an), max(kf), max(af) FROM"
    "  (SELECT scope, id, n AS kn, 0 AS an, first AS kf, NULL AS af FROM kept"
    "   UNION ALL SELECT scope, id, 0, n, NULL, first FROM actual)"
    " GROUP BY scope, id HAVING sum(kn) <> sum(an) OR max(kf) IS NOT max(af)";

/* Each kept hour of an article's comments (sql/035) against its approved
** comments, and, as hour -1, an article of 500 approved comments or more
** whose hours were never started. */
static const char SQL_CHECK_HOURS[] =
    "SELECT article_id, hour, sum(kn), sum(kt), sum(an), sum(at) FROM"
    " (SELECT article_id, hour, n AS kn, threads AS kt, 0 AS an, 0 AS at FROM comment_hours"
    "  UNION ALL SELECT article_id, created_at / 3600, 0, 0, 1, parent_id IS NULL FROM comments"
    "   WHERE status = 'approved' AND article_id IN (SELECT article_id FROM comment_hours)"
    "  UNION ALL SELECT id, -1, 0, 0, comment_count, 0 FROM articles WHERE comment_count >= 500"
    "   AND id NOT IN (SELECT article_id FROM comment_hours))"
    " GROUP BY article_id, hour HAVING sum(kn) <> sum(an) OR sum(kt) <> sum(at)";

/* Reports each wrong hour of SQL_CHECK_HOURS on log, adding to *wrong. */
static int comment_check_hours(db *d, FILE *log, long *wrong) {
  sqlite3_stmt *st = db_prepare(d, SQL_CHECK_HOURS);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    ++*wrong;
    long long v[6];
    for (int i = 0; i < 6; i++) v[i] = sqlite3_column_int64(st, i);
    fprintf(log, "gazette: the comments of article %lld in hour %lld are kept as %lld"
            " (%lld threads); it has %lld (%lld)\n", v[0], v[1], v[2], v[3], v[4], v[5]);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int list_check_counts(db *d, FILE *log, long *wrong) {
  *wrong = 0;
  if (comment_check_hours(d, log, wrong) != STORE_OK) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_CHECK_LISTS);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    ++*wrong;
    fprintf(log, "gazette: the list %s %s is kept as %lld articles from %lld; it has %lld from %lld\n",
            db_text(st, 0), db_text(st, 1), (long long)sqlite3_column_int64(st, 2),
            (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 3),
            (long long)sqlite3_column_int64(st, 5));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int article_check_counts(db *d, FILE *log, long *checked, long *wrong) {
  sqlite3_stmt *st = db_prepare(d, SQL_CHECK);
  if (!st) return STORE_ERROR;
  *checked = *wrong = 0;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    ++*checked;
    long long v[6];
    for (int i = 0; i < 6; i++) v[i] = sqlite3_column_int64(st, i + 1);
    if (v[0] == v[3] && v[1] == v[4] && v[2] == v[5]) continue;
    ++*wrong;
    fprintf(log, "gazette: %s: counts %lld votes, %lld stars, %lld comments; "
            "tables say %lld, %lld, %lld\n", db_text(st, 0), v[0], v[1], v[2], v[3], v[4], v[5]);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
