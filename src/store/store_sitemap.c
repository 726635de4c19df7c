/*
** store_sitemap.c: the rows of the sitemaps, read as a cursor (see
** store.h). Each query walks an index in its own order (INDEXED BY makes
** sure of it: without statistics the planner might pick another index and
** sort every row in memory first).
*/
#include <stdint.h>
#include <time.h>

#include "store.h"
#include "store_sql.h"

#define LIVE SQL_VISIBLE("a.", "?1")

/* Each month of article_months, less its articles still to come (a range
** of the live index that is empty but for this month and later ones). A
** visible article's live_at is its publication time. */
static const char SQL_MONTHS[] =
    "SELECT month, n - (SELECT count(*) FROM articles WHERE live_at > max(?1, month - 1)"
    "  AND live_at < unixepoch(month, 'unixepoch', '+1 month')), lastmod"
    " FROM article_months WHERE n > 0 ORDER BY month DESC";
static const char SQL_ARTICLES[] =
    "SELECT a.id, a.slug, a.title, a.lang, a.live_at, max(a.updated_at, a.live_at),"
    " (SELECT f.name FROM media_files f WHERE f.media_id = a.image_id AND f.format = 'jpeg'"
    "  ORDER BY f.width DESC LIMIT 1)"
    " FROM articles a INDEXED BY articles_live WHERE " LIVE
    " AND a.live_at >= ?2 AND a.live_at < ?3"
    " ORDER BY a.live_at DESC, a.id LIMIT ?5 OFFSET ?4";
static const char SQL_CATEGORIES[] =
    "SELECT path, lm FROM (SELECT c.path AS path,"
    " (SELECT max(a.live_at) FROM articles a WHERE a.category_id = c.id AND " LIVE ") AS lm"
    " FROM categories c ORDER BY c.position, c.name)"
    " WHERE lm IS NOT NULL LIMIT ?3 OFFSET ?2";
static const char SQL_TAGS[] =
    "SELECT slug, lm FROM (SELECT t.slug AS slug,"
    " (SELECT max(x.live_at) FROM article_tags x WHERE x.tag_id = t.id AND "
    SQL_VISIBLE("x.", "?1") ") AS lm"
    " FROM tags t ORDER BY t.name, t.id)"
    " WHERE lm IS NOT NULL LIMIT ?3 OFFSET ?2";
static const char SQL_AUTHORS[] =
    "SELECT username, lm FROM (SELECT u.username AS username,"
    " (SELECT max(x.live_at) FROM article_authors x WHERE x.user_id = u.id AND "
    SQL_VISIBLE("x.", "?1") ") AS lm"
    " FROM users u ORDER BY u.username)"
    " WHERE lm IS NOT NULL LIMIT ?3 OFFSET ?2";

/* A section is in its sitemap for its own articles (not its subsections'),
** so it is counted here; tags and authors by taxon_count. */
static const char SQL_COUNT_CATEGORIES[] =
    "SELECT count(*) FROM categories c WHERE EXISTS (SELECT 1 FROM articles a"
    " WHERE a.category_id = c.id AND " LIVE ")";
/* The published static pages, in the footer's order; ?1 is unused. */
static const char SQL_PAGES[] =
    "SELECT slug, updated_at FROM pages WHERE status = 'published' AND ?1 IS NOT NULL"
    " ORDER BY position, title, id LIMIT ?3 OFFSET ?2";
static const char SQL_COUNT_PAGES[] =
    "SELECT count(*) FROM pages WHERE status = 'published' AND ?1 IS NOT NULL";
static const char SQL_NEWEST_PAGE[] =
    "SELECT coalesce(max(updated_at), 0) FROM pages WHERE status = 'published' AND ?1 IS NOT NULL";
static const char SQL_NEWEST[] =
    "SELECT coalesce(max(a.live_at), 0) FROM articles a INDEXED BY articles_live"
    " WHERE " LIVE;

/* Ends a walk over st: resets it and returns the store result (STORE_OK
** when it ran to its end or fn stopped it). */
static int walk_end(sqlite3_stmt *st, int rc) {
  sqlite3_reset(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int sitemap_months(db *d, time_t now, sitemap_month_fn fn, void *ud) {
  sqlite3_stmt *st = db_prepare(d, SQL_MONTHS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  int rc, stop = 0;
  while (!stop && (rc = db_step(st)) == SQLITE_ROW) {
    time_t t = (time_t)sqlite3_column_int64(st, 0);
    struct tm tm;
    gmtime_r(&t, &tm);
    sitemap_month m = {.year = tm.tm_year + 1900, .month = tm.tm_mon + 1,
                       .count = (long)sqlite3_column_int64(st, 1),
                       .lastmod = sqlite3_column_int64(st, 2)};
    if (m.count > 0) stop = fn(ud, &m);
  }
  return walk_end(st, stop ? SQLITE_ROW : rc);
}

int sitemap_articles(db *d, time_t now, long long from, long long to, long skip, long max,
                     sitemap_article_fn fn, void *ud) {
  sqlite3_stmt *st = db_prepare(d, SQL_ARTICLES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, from);
  sqlite3_bind_int64(st, 3, to);
  sqlite3_bind_int64(st, 4, skip);
  sqlite3_bind_int64(st, 5, max);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    sitemap_article a = {
        .id = (long)sqlite3_column_int64(st, 0),
        .slug = db_text(st, 1),
        .title = db_text(st, 2),
        .lang = db_text(st, 3),
        .published_at = sqlite3_column_int64(st, 4),
        .lastmod = sqlite3_column_int64(st, 5),
        .image = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : db_text(st, 6),
    };
    if (fn(ud, &a)) break;
  }
  return walk_end(st, rc);
}

int sitemap_taxa(db *d, time_t now, taxon kind, long skip, long max, sitemap_taxon_fn fn,
                 void *ud) {
  static const char *const sql[] = {SQL_CATEGORIES, SQL_TAGS, SQL_AUTHORS};
  sqlite3_stmt *st = db_prepare(d, sql[kind]);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, skip);
  sqlite3_bind_int64(st, 3, max);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    sitemap_taxon t = {.slug = db_text(st, 0), .lastmod = sqlite3_column_int64(st, 1)};
    if (fn(ud, &t)) break;
  }
  return walk_end(st, rc);
}

int sitemap_taxa_count(db *d, time_t now, taxon kind, long *n, long long *newest) {
  long long count = 0;
  if (kind == TAXON_CATEGORIES) {
    if (db_number(d, SQL_COUNT_CATEGORIES, now, &count) != 0) return STORE_ERROR;
    *n = (long)count;
  } else if (taxon_count(d, now, kind, n) != STORE_OK) {
    return STORE_ERROR;
  }
  return db_number(d, SQL_NEWEST, now, newest) == 0 ? STORE_OK : STORE_ERROR;
}

int sitemap_pages(db *d, long skip, long max, sitemap_taxon_fn fn, void *ud) {
  sqlite3_stmt *st = db_prepare(d, SQL_PAGES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, 0);
  sqlite3_bind_int64(st, 2, skip);
  sqlite3_bind_int64(st, 3, max);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    sitemap_taxon t = {.slug = db_text(st, 0), .lastmod = sqlite3_column_int64(st, 1)};
    if (fn(ud, &t)) break;
  }
  return walk_end(st, rc);
}

int sitemap_pages_count(db *d, long *n, long long *newest) {
  long long count = 0;
  if (db_number(d, SQL_COUNT_PAGES, 0, &count) != 0) return STORE_ERROR;
  *n = (long)count;
  return db_number(d, SQL_NEWEST_PAGE, 0, newest) == 0 ? STORE_OK : STORE_ERROR;
}
