/*
** store_article.c: article listings, the article with its tags and
** related articles, the API's filtered list, search and feeds, as card
** records (see store.h).
*/
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_sql.h"
#include "json.h"

/* The columns every card is built from, in card_row's order; pub is the
** expression of the publication time. */
#define CARD_COLS_PUB(pub)                                               \
  "a.id, a.slug, a.title, a.summary, a.lang, a.dir, " pub ", "           \
  "a.featured, a.comment_count, a.rating_count, a.rating_sum, c.slug, "  \
  "c.name, u.username, u.display_name, a.category_id, a.updated_at, "    \
  "a.created_at"
#define CARD_COLS CARD_COLS_PUB("a.published_at")
#define CARD_FROM                                                      \
  " FROM articles a JOIN categories c ON c.id = a.category_id"         \
  " JOIN users u ON u.id = a.author_id"
/* Visible to readers at ?1. */
#define LIVE SQL_VISIBLE("a.", "?1")

static const char SQL_LIST_ALL[] =
    "SELECT " CARD_COLS CARD_FROM " WHERE " LIVE
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_COUNT_ALL[] =
    "SELECT count(*) FROM articles a WHERE " LIVE;
static const char SQL_LIST_CATEGORY[] =
    "SELECT " CARD_COLS CARD_FROM " WHERE " LIVE " AND a.category_id = ?4"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_COUNT_CATEGORY[] =
    "SELECT count(*) FROM articles a WHERE " LIVE " AND a.category_id = ?4";
static const char SQL_LIST_AUTHOR[] =
    "SELECT " CARD_COLS CARD_FROM " WHERE " LIVE " AND a.author_id = ?4"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_COUNT_AUTHOR[] =
    "SELECT count(*) FROM articles a WHERE " LIVE " AND a.author_id = ?4";
static const char SQL_LIST_TAG[] =
    "SELECT " CARD_COLS CARD_FROM
    " JOIN article_tags x ON x.article_id = a.id AND x.tag_id = ?4"
    " WHERE " LIVE " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_COUNT_TAG[] =
    "SELECT count(*) FROM articles a"
    " JOIN article_tags x ON x.article_id = a.id AND x.tag_id = ?4 WHERE " LIVE;
#define BODY_FROM " LEFT JOIN article_bodies b ON b.article_id = a.id"
static const char SQL_LOAD[] =
    "SELECT " CARD_COLS ", coalesce(b.body_html, ''), u.bio" CARD_FROM BODY_FROM
    " WHERE a.slug = ?2 AND " LIVE;
static const char SQL_LOAD_ID[] =
    "SELECT " CARD_COLS ", coalesce(b.body_html, ''), u.bio" CARD_FROM BODY_FROM
    " WHERE a.id = ?2 AND " LIVE;
/* Any article, visible or not, for the newsroom's preview: one not yet
** published shows ?1 (now) as its date. */
static const char SQL_LOAD_PREVIEW[] =
    "SELECT " CARD_COLS_PUB("coalesce(a.published_at, ?1)") ", coalesce(b.body_html, ''), u.bio"
    CARD_FROM BODY_FROM " WHERE a.id = ?2";
static const char SQL_TAGS[] =
    "SELECT t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
    " WHERE x.article_id = ?1 ORDER BY t.name";
static const char SQL_RELATED_TAGS[] =
    "SELECT " CARD_COLS CARD_FROM
    " JOIN (SELECT o.article_id AS id, count(*) AS shared"
    "       FROM article_tags mine JOIN article_tags o ON o.tag_id = mine.tag_id"
    "       WHERE mine.article_id = ?2 AND o.article_id <> ?2"
    "       GROUP BY o.article_id) r ON r.id = a.id"
    " WHERE " LIVE " ORDER BY r.shared DESC, a.published_at DESC LIMIT ?3";
static const char SQL_RELATED_CATEGORY[] =
    "SELECT " CARD_COLS CARD_FROM " WHERE " LIVE
    " AND a.category_id = ?4 AND a.id <> ?2"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?3";

/* Builds a card record from a row selected with CARD_COLS. */
static cJSON *card_row(sqlite3_stmt *st) {
  cJSON *a = cJSON_CreateObject();
  cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(a, "slug", db_text(st, 1));
  cJSON_AddStringToObject(a, "title", db_text(st, 2));
  cJSON_AddStringToObject(a, "summary", db_text(st, 3));
  cJSON_AddStringToObject(a, "lang", db_text(st, 4));
  cJSON_AddStringToObject(a, "dir", db_text(st, 5));
  cJSON_AddNumberToObject(a, "published_at", (double)sqlite3_column_int64(st, 6));
  cJSON_AddNumberToObject(a, "updated_at", (double)sqlite3_column_int64(st, 16));
  cJSON_AddNumberToObject(a, "created_at", (double)sqlite3_column_int64(st, 17));
  cJSON_AddBoolToObject(a, "featured", sqlite3_column_int(st, 7));
  cJSON_AddNumberToObject(a, "comment_count", sqlite3_column_int(st, 8));
  cJSON_AddNumberToObject(a, "rating_count", sqlite3_column_int(st, 9));
  cJSON_AddNumberToObject(a, "rating_sum", sqlite3_column_int(st, 10));
  cJSON *cat = cJSON_AddObjectToObject(a, "category");
  cJSON_AddNumberToObject(cat, "id", (double)sqlite3_column_int64(st, 15));
  cJSON_AddStringToObject(cat, "slug", db_text(st, 11));
  cJSON_AddStringToObject(cat, "name", db_text(st, 12));
  cJSON *au = cJSON_AddObjectToObject(a, "author");
  cJSON_AddStringToObject(au, "username", db_text(st, 13));
  cJSON_AddStringToObject(au, "name", db_text(st, 14));
  return a;
}

/* Steps st, appending a card per row to out (with body_html from column
** 18 when with_body is set). Resets st. */
static int cards_collect(sqlite3_stmt *st, cJSON *out, int with_body) {
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *a = card_row(st);
    if (with_body) cJSON_AddStringToObject(a, "body_html", db_text(st, 18));
    cJSON_AddItemToArray(out, a);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Runs the count st (parameters bound) into *n. Resets st. */
static int count_one(sqlite3_stmt *st, long *n) {
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *n = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int article_list(db *d, time_t now, listing *l, cJSON *out) {
  const char *list_sql = SQL_LIST_ALL, *count_sql = SQL_COUNT_ALL;
  long filter = 0;
  if (l->category_id) {
    list_sql = SQL_LIST_CATEGORY, count_sql = SQL_COUNT_CATEGORY;
    filter = l->category_id;
  } else if (l->tag_id) {
    list_sql = SQL_LIST_TAG, count_sql = SQL_COUNT_TAG;
    filter = l->tag_id;
  } else if (l->author_id) {
    list_sql = SQL_LIST_AUTHOR, count_sql = SQL_COUNT_AUTHOR;
    filter = l->author_id;
  }
  sqlite3_stmt *cnt = db_prepare(d, count_sql);
  if (cnt) {
    sqlite3_bind_int64(cnt, 1, now);
    if (filter) sqlite3_bind_int64(cnt, 4, filter);
  }
  if (count_one(cnt, &l->total) != STORE_OK) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, list_sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, l->per_page);
  sqlite3_bind_int64(st, 3, (l->page - 1) * l->per_page);
  if (filter) sqlite3_bind_int64(st, 4, filter);
  return cards_collect(st, out, 0);
}

/* Returns the id of a card record. */
static long card_id(const cJSON *card) {
  return (long)json_num(card, "id");
}

/* Returns 1 when the array of cards holds one with this id. */
static int cards_have(const cJSON *cards, long id) {
  const cJSON *x;
  cJSON_ArrayForEach(x, cards) {
    if (card_id(x) == id) return 1;
  }
  return 0;
}

int article_related(db *d, time_t now, long id, long category_id, int max, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_RELATED_TAGS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int(st, 3, max);
  if (cards_collect(st, out, 0) != STORE_OK) return STORE_ERROR;
  if (cJSON_GetArraySize(out) >= max) return STORE_OK;
  st = db_prepare(d, SQL_RELATED_CATEGORY);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int(st, 3, max);
  sqlite3_bind_int64(st, 4, category_id);
  cJSON *more = cJSON_CreateArray(), *x;
  int rc = cards_collect(st, more, 0);
  while (rc == STORE_OK && cJSON_GetArraySize(out) < max &&
         (x = cJSON_DetachItemFromArray(more, 0)) != NULL) {
    if (cards_have(out, card_id(x))) cJSON_Delete(x);
    else cJSON_AddItemToArray(out, x);
  }
  cJSON_Delete(more);
  return rc;
}

/* Adds the article's tags as [{slug, name}]. */
static int article_tags(db *d, long id, cJSON *a) {
  sqlite3_stmt *st = db_prepare(d, SQL_TAGS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  cJSON *tags = cJSON_AddArrayToObject(a, "tags");
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "slug", db_text(st, 0));
    cJSON_AddStringToObject(t, "name", db_text(st, 1));
    cJSON_AddItemToArray(tags, t);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Steps st (its parameters bound) to the one row of a full article and
** builds it with its tags and, unless preview, its related articles.
** Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
static int article_build(db *d, time_t now, sqlite3_stmt *st, int preview, cJSON **out) {
  int rc = db_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  }
  cJSON *a = card_row(st);
  cJSON_AddStringToObject(a, "body_html", db_text(st, 18));
  cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(a, "author"), "bio", db_text(st, 19));
  long id = (long)sqlite3_column_int64(st, 0);
  long category_id = (long)sqlite3_column_int64(st, 15);
  sqlite3_reset(st);
  cJSON *related = cJSON_AddArrayToObject(a, "related");
  if (article_tags(d, id, a) != STORE_OK ||
      (!preview && article_related(d, now, id, category_id, 5, related) != STORE_OK)) {
    cJSON_Delete(a);
    return STORE_ERROR;
  }
  *out = a;
  return STORE_OK;
}

int article_preview(db *d, time_t now, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_LOAD_PREVIEW);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  return article_build(d, now, st, 1, out);
}

int article_load(db *d, time_t now, const char *slug, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, slug ? SQL_LOAD : SQL_LOAD_ID);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  if (slug) sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
  else sqlite3_bind_int64(st, 2, id);
  return article_build(d, now, st, 0, out);
}

/* The API's filters; ?1 now, ?2 limit, ?3 offset, ?4.. the filters. */
#define FILTERS                                                              \
  " WHERE " LIVE                                                             \
  " AND (?4 IS NULL OR c.slug = ?4)"                                         \
  " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM article_tags x"                 \
  "      JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id"           \
  "      AND t.slug = ?5))"                                                  \
  " AND (?6 IS NULL OR a.lang = ?6)"                                         \
  " AND (?7 IS NULL OR u.username = ?7)"                                     \
  " AND (?8 IS NULL OR a.published_at > ?8)"                                 \
  " AND (?9 IS NULL OR max(a.updated_at, a.published_at) > ?9)"
static const char SQL_FILTERED[] =
    "SELECT " CARD_COLS CARD_FROM FILTERS
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_FILTERED_COUNT[] =
    "SELECT count(*), max(max(a.updated_at, a.published_at))" CARD_FROM FILTERS;
/* The same with words to find (?10, an FTS5 query), best matches first. */
#define SEARCH_FROM " JOIN articles_fts ON articles_fts.rowid = a.id"
static const char SQL_FILTERED_SEARCH[] =
    "SELECT " CARD_COLS CARD_FROM SEARCH_FROM FILTERS " AND articles_fts MATCH ?10"
    " ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0), a.published_at DESC"
    " LIMIT ?2 OFFSET ?3";
static const char SQL_FILTERED_SEARCH_COUNT[] =
    "SELECT count(*), max(max(a.updated_at, a.published_at))" CARD_FROM SEARCH_FROM
    FILTERS " AND articles_fts MATCH ?10";
static const char SQL_LAST_CHANGE[] =
    "SELECT coalesce(max(max(a.updated_at, a.published_at)), 0)"
    " FROM articles a WHERE " LIVE;

/* Binds the filters of f (match: the FTS5 query of f->q) to st. */
static void filter_bind(time_t now, const article_filter *f, const buf *match,
                        sqlite3_stmt *st) {
  sqlite3_bind_int64(st, 1, now);
  if (f->q) sqlite3_bind_text(st, 10, buf_str(match), -1, SQLITE_STATIC);
  if (f->category) sqlite3_bind_text(st, 4, f->category, -1, SQLITE_STATIC);
  if (f->tag) sqlite3_bind_text(st, 5, f->tag, -1, SQLITE_STATIC);
  if (f->lang) sqlite3_bind_text(st, 6, f->lang, -1, SQLITE_STATIC);
  if (f->author) sqlite3_bind_text(st, 7, f->author, -1, SQLITE_STATIC);
  if (f->since) sqlite3_bind_int64(st, 8, f->since);
  if (f->updated_since) sqlite3_bind_int64(st, 9, f->updated_since);
}

/* Appends to match the FTS5 query for the reader's words in q: each word
** quoted (so that no character of q is FTS5 syntax), all required. Returns
** the number of words. */
static int search_match(const char *q, buf *match) {
  int words = 0;
  while (*q) {
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') q++;
    size_t n = strcspn(q, " \t\r\n");
    if (n == 0) break;
    if (words++) buf_putc(match, ' ');
    buf_putc(match, '"');
    for (size_t i = 0; i < n; i++)
      if (q[i] != '"') buf_putc(match, q[i]);
    buf_putc(match, '"');
    q += n;
  }
  return words;
}

/* Reads the total and newest change of f into f (the count query). */
static int filter_count(db *d, time_t now, article_filter *f, const buf *match) {
  sqlite3_stmt *st = db_prepare(d, f->q ? SQL_FILTERED_SEARCH_COUNT : SQL_FILTERED_COUNT);
  if (!st) return STORE_ERROR;
  filter_bind(now, f, match, st);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    f->total = (long)sqlite3_column_int64(st, 0);
    f->last_modified = sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int article_filtered(db *d, time_t now, article_filter *f, cJSON *out) {
  buf match = {0};
  f->total = 0;
  f->last_modified = 0;
  int rc = STORE_OK;
  if (f->q && search_match(f->q, &match) == 0) {
    buf_free(&match);
    return STORE_OK; /* no words: nothing matches */
  }
  if (filter_count(d, now, f, &match) != STORE_OK) rc = STORE_ERROR;
  sqlite3_stmt *st = rc ? NULL : db_prepare(d, f->q ? SQL_FILTERED_SEARCH : SQL_FILTERED);
  if (st) {
    filter_bind(now, f, &match, st);
    sqlite3_bind_int64(st, 2, f->per_page);
    sqlite3_bind_int64(st, 3, (f->page - 1) * f->per_page);
    rc = cards_collect(st, out, 0);
  } else {
    rc = STORE_ERROR;
  }
  buf_free(&match);
  return rc;
}

int article_last_change(db *d, time_t now, long long *t) {
  sqlite3_stmt *st = db_prepare(d, SQL_LAST_CHANGE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *t = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

static const char SQL_NEXT[] =
    "SELECT coalesce(min(a.published_at), 0) FROM articles a WHERE " SQL_COMING("a.", "?1");

int article_next_publication(db *d, time_t now, long long *t) {
  sqlite3_stmt *st = db_prepare(d, SQL_NEXT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *t = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

static const char SQL_REDIRECT[] =
    "SELECT a.slug FROM slug_redirects r JOIN articles a ON a.id = r.article_id"
    " WHERE r.old_slug = ?2 AND " LIVE;

int article_redirect(db *d, time_t now, const char *old_slug, buf *slug) {
  sqlite3_stmt *st = db_prepare(d, SQL_REDIRECT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_text(st, 2, old_slug, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) buf_puts(slug, db_text(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static const char SQL_SLUG_ID[] = "SELECT a.id FROM articles a WHERE a.slug = ?2 AND " LIVE;

int article_id_by_slug(db *d, time_t now, const char *slug, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_SLUG_ID);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static const char SQL_SEARCH[] =
    "SELECT " CARD_COLS " FROM articles_fts f JOIN articles a ON a.id = f.rowid"
    " JOIN categories c ON c.id = a.category_id JOIN users u ON u.id = a.author_id"
    " WHERE articles_fts MATCH ?2 AND " LIVE
    " ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0), a.published_at DESC"
    " LIMIT ?3 OFFSET ?4";
static const char SQL_SEARCH_COUNT[] =
    "SELECT count(*) FROM articles_fts f JOIN articles a ON a.id = f.rowid"
    " WHERE articles_fts MATCH ?2 AND " LIVE;

int article_search(db *d, time_t now, const char *q, long page, long per_page, cJSON *out,
                   long *total) {
  buf match = {0};
  *total = 0;
  if (search_match(q, &match) == 0) {
    buf_free(&match);
    return STORE_OK;
  }
  sqlite3_stmt *st = db_prepare(d, SQL_SEARCH_COUNT);
  if (st) {
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, buf_str(&match), -1, SQLITE_STATIC);
  }
  int rc = count_one(st, total);
  if (rc == STORE_OK && *total > 0) {
    st = db_prepare(d, SQL_SEARCH);
    if (!st) {
      rc = STORE_ERROR;
    } else {
      sqlite3_bind_int64(st, 1, now);
      sqlite3_bind_text(st, 2, buf_str(&match), -1, SQLITE_STATIC);
      sqlite3_bind_int64(st, 3, per_page);
      sqlite3_bind_int64(st, 4, (page - 1) * per_page);
      rc = cards_collect(st, out, 0);
    }
  }
  buf_free(&match);
  return rc;
}

#define FEED_TAIL " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2"
static const char SQL_FEED[] =
    "SELECT " CARD_COLS ", coalesce(b.body_html, '')" CARD_FROM BODY_FROM " WHERE " LIVE FEED_TAIL;
static const char SQL_FEED_CATEGORY[] =
    "SELECT " CARD_COLS ", coalesce(b.body_html, '')" CARD_FROM BODY_FROM " WHERE " LIVE
    " AND a.category_id = ?3" FEED_TAIL;
static const char SQL_FEED_AUTHOR[] =
    "SELECT " CARD_COLS ", coalesce(b.body_html, '')" CARD_FROM BODY_FROM " WHERE " LIVE
    " AND a.author_id = ?3" FEED_TAIL;
static const char SQL_FEED_TAG[] =
    "SELECT " CARD_COLS ", coalesce(b.body_html, '')" CARD_FROM
    " JOIN article_tags x ON x.article_id = a.id AND x.tag_id = ?3" BODY_FROM
    " WHERE " LIVE FEED_TAIL;

int article_feed(db *d, time_t now, const listing *l, int max, cJSON *out) {
  const char *sql = l->category_id ? SQL_FEED_CATEGORY
                    : l->tag_id    ? SQL_FEED_TAG
                    : l->author_id ? SQL_FEED_AUTHOR
                                   : SQL_FEED;
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int(st, 2, max);
  sqlite3_bind_int64(st, 3, l->category_id ? l->category_id : l->tag_id ? l->tag_id : l->author_id);
  if (cards_collect(st, out, 1) != STORE_OK) return STORE_ERROR;
  cJSON *a;
  cJSON_ArrayForEach(a, out) {
    if (article_tags(d, card_id(a), a) != STORE_OK) return STORE_ERROR;
  }
  return STORE_OK;
}
