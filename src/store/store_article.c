/*
** store_article.c: article listings, the article page's document and
** related articles (see store.h).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "store.h"
#include "timefmt.h"

/* The columns every card is built from, in card_from_row's order; pub is
** the expression of the publication time. */
#define CARD_COLS_PUB(pub)                                               \
  "a.id, a.slug, a.title, a.summary, a.lang, a.dir, " pub ", "           \
  "a.featured, a.comment_count, a.rating_count, a.rating_sum, c.slug, "  \
  "c.name, u.username, u.display_name, a.category_id, a.updated_at, "    \
  "a.created_at"
#define CARD_COLS CARD_COLS_PUB("a.published_at")
#define CARD_FROM                                                      \
  " FROM articles a JOIN categories c ON c.id = a.category_id"         \
  " JOIN users u ON u.id = a.author_id"
/* Visible to readers: ?1 is the current time. */
#define LIVE "a.status IN ('published', 'scheduled') AND a.published_at <= ?1"

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
static const char SQL_LOAD[] =
    "SELECT " CARD_COLS ", a.body_html, u.bio" CARD_FROM
    " WHERE a.slug = ?2 AND " LIVE;
static const char SQL_LOAD_ID[] =
    "SELECT " CARD_COLS ", a.body_html, u.bio" CARD_FROM
    " WHERE a.id = ?2 AND " LIVE;
/* Any article, visible or not, for the newsroom's preview: one not yet
** published shows ?1 (now) as its date. */
static const char SQL_LOAD_PREVIEW[] =
    "SELECT " CARD_COLS_PUB("coalesce(a.published_at, ?1)") ", a.body_html, u.bio"
    CARD_FROM " WHERE a.id = ?2";
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

void store_url(buf *out, const char *prefix, const char *slug) {
  buf_puts(out, prefix);
  escape_url(out, slug, strlen(slug));
}

/* Adds the string value built in b under key, then empties b. */
static void add_buf(cJSON *o, const char *key, buf *b) {
  cJSON_AddStringToObject(o, key, buf_str(b));
  buf_reset(b);
}

cJSON *rating_summary(const ctx *c, long count, long sum) {
  cJSON *r = cJSON_CreateObject();
  double avg = count ? round((double)sum * 10.0 / (double)count) / 10.0 : 0.0;
  char shown[16];
  snprintf(shown, sizeof shown, "%.1f", avg);
  cJSON_AddNumberToObject(r, "average", avg);
  cJSON_AddStringToObject(r, "average_display", shown);
  cJSON_AddNumberToObject(r, "count", (double)count);
  snprintf(shown, sizeof shown, "%ld ", count);
  char label[64];
  snprintf(label, sizeof label, "%s%s", shown,
           ctx_text(c, count == 1 ? "vote" : "votes"));
  cJSON_AddStringToObject(r, "count_display", label);
  cJSON *stars = cJSON_AddArrayToObject(r, "stars");
  for (int v = 1; v <= 5; v++) {
    cJSON *s = cJSON_CreateObject();
    const char *state = avg >= v - 0.25 ? "full" : avg >= v - 0.75 ? "half" : "empty";
    snprintf(label, sizeof label, "%d %s", v,
             ctx_text(c, v == 1 ? "star" : "stars"));
    cJSON_AddNumberToObject(s, "value", v);
    cJSON_AddStringToObject(s, "state", state);
    cJSON_AddStringToObject(s, "label", label);
    cJSON_AddItemToArray(stars, s);
  }
  return r;
}

/* Builds a card object from a row selected with CARD_COLS. */
static cJSON *card_from_row(const ctx *c, sqlite3_stmt *st) {
  cJSON *a = cJSON_CreateObject();
  buf b = {0};
  const char *slug = db_text(st, 1);
  time_t published = (time_t)sqlite3_column_int64(st, 6);
  cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(a, "slug", slug);
  store_url(&b, "/articles/", slug);
  add_buf(a, "url", &b);
  cJSON_AddStringToObject(a, "title", db_text(st, 2));
  cJSON_AddStringToObject(a, "summary", db_text(st, 3));
  cJSON_AddStringToObject(a, "lang", db_text(st, 4));
  cJSON_AddStringToObject(a, "dir", db_text(st, 5));
  time_iso(&b, published);
  add_buf(a, "published_at", &b);
  catalog_date(c->app->ui, published, &b);
  add_buf(a, "published_display", &b);
  cJSON_AddBoolToObject(a, "featured", sqlite3_column_int(st, 7));
  int comments = sqlite3_column_int(st, 8);
  cJSON_AddNumberToObject(a, "comment_count", comments);
  buf_printf(&b, "%d %s", comments,
             ctx_text(c, comments == 1 ? "comment_one" : "comment_many"));
  add_buf(a, "comment_count_display", &b);
  cJSON *cat = cJSON_AddObjectToObject(a, "category");
  cJSON_AddNumberToObject(cat, "id", (double)sqlite3_column_int64(st, 15));
  cJSON_AddStringToObject(cat, "slug", db_text(st, 11));
  cJSON_AddStringToObject(cat, "name", db_text(st, 12));
  store_url(&b, "/category/", db_text(st, 11));
  add_buf(cat, "url", &b);
  cJSON *au = cJSON_AddObjectToObject(a, "author");
  cJSON_AddStringToObject(au, "username", db_text(st, 13));
  cJSON_AddStringToObject(au, "name", db_text(st, 14));
  store_url(&b, "/author/", db_text(st, 13));
  add_buf(au, "url", &b);
  cJSON_AddItemToObject(a, "rating",
                        rating_summary(c, sqlite3_column_int(st, 9),
                                       sqlite3_column_int(st, 10)));
  buf_free(&b);
  return a;
}

/* Steps st, appending a card per row to out. Returns 0 or -1. */
static int cards_collect(const ctx *c, sqlite3_stmt *st, cJSON *out) {
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    cJSON_AddItemToArray(out, card_from_row(c, st));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int article_list(ctx *c, listing *l, cJSON *out) {
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
  sqlite3_stmt *cnt = db_prepare(c->db, count_sql);
  if (!cnt) return -1;
  sqlite3_bind_int64(cnt, 1, c->now);
  if (filter) sqlite3_bind_int64(cnt, 4, filter);
  if (sqlite3_step(cnt) != SQLITE_ROW) {
    sqlite3_reset(cnt);
    return -1;
  }
  l->total = sqlite3_column_int64(cnt, 0);
  sqlite3_reset(cnt);
  sqlite3_stmt *st = db_prepare(c->db, list_sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  sqlite3_bind_int64(st, 2, l->per_page);
  sqlite3_bind_int64(st, 3, (l->page - 1) * l->per_page);
  if (filter) sqlite3_bind_int64(st, 4, filter);
  return cards_collect(c, st, out);
}

/* Returns 1 when the array of cards holds one with this id. */
static int cards_have(const cJSON *cards, double id) {
  const cJSON *x;
  cJSON_ArrayForEach(x, cards) {
    if (cJSON_GetObjectItemCaseSensitive(x, "id")->valuedouble == id) return 1;
  }
  return 0;
}

int article_related(ctx *c, long id, long category_id, int max, cJSON *out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_RELATED_TAGS);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int(st, 3, max);
  if (cards_collect(c, st, out) != 0) return -1;
  if (cJSON_GetArraySize(out) >= max) return 0;
  cJSON *more = cJSON_CreateArray();
  st = db_prepare(c->db, SQL_RELATED_CATEGORY);
  if (!st) {
    cJSON_Delete(more);
    return -1;
  }
  sqlite3_bind_int64(st, 1, c->now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int(st, 3, max);
  sqlite3_bind_int64(st, 4, category_id);
  int rc = cards_collect(c, st, more);
  cJSON *x;
  while (rc == 0 && cJSON_GetArraySize(out) < max &&
         (x = cJSON_DetachItemFromArray(more, 0)) != NULL) {
    if (cards_have(out, cJSON_GetObjectItemCaseSensitive(x, "id")->valuedouble))
      cJSON_Delete(x);
    else
      cJSON_AddItemToArray(out, x);
  }
  cJSON_Delete(more);
  return rc;
}

/* Adds the article's tags as [{slug, name, url}]. Returns 0 or -1. */
static int article_tags(ctx *c, long id, cJSON *a) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_TAGS);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  cJSON *tags = cJSON_AddArrayToObject(a, "tags");
  buf b = {0};
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "slug", db_text(st, 0));
    cJSON_AddStringToObject(t, "name", db_text(st, 1));
    store_url(&b, "/tag/", db_text(st, 0));
    add_buf(t, "url", &b);
    cJSON_AddItemToArray(tags, t);
  }
  sqlite3_reset(st);
  buf_free(&b);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds the fields only the full article has, from the SQL_LOAD row. */
static void article_fill(const ctx *c, sqlite3_stmt *st, cJSON *a) {
  buf b = {0};
  time_t created = (time_t)sqlite3_column_int64(st, 17);
  time_t updated = (time_t)sqlite3_column_int64(st, 16);
  time_t published = (time_t)sqlite3_column_int64(st, 6);
  cJSON_AddStringToObject(a, "body_html", db_text(st, 18));
  cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(a, "author"), "bio",
                          db_text(st, 19));
  time_iso(&b, updated > published ? updated : published);
  add_buf(a, "updated_at", &b);
  /* An edit after publication is shown to readers; the first save is not. */
  if (updated > published && updated > created) {
    catalog_date(c->app->ui, updated, &b);
    add_buf(a, "updated_display", &b);
  } else {
    cJSON_AddNullToObject(a, "updated_display");
  }
  buf_reset(&b);
  buf_puts(&b, c->app->base_url);
  store_url(&b, "/articles/", db_text(st, 1));
  add_buf(a, "canonical_url", &b);
  buf_free(&b);
}

/* Steps st (its parameters bound) to the one row of a full article and
** builds it with its tags, and its related articles unless preview (then
** an empty list, and an empty comments list). Returns 0, 1 when there is
** no row, -1. */
static int article_build(ctx *c, sqlite3_stmt *st, int preview, cJSON **out) {
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 1 : -1;
  }
  cJSON *a = card_from_row(c, st);
  article_fill(c, st, a);
  long id = (long)sqlite3_column_int64(st, 0);
  long category_id = (long)sqlite3_column_int64(st, 15);
  sqlite3_reset(st);
  cJSON *related = cJSON_AddArrayToObject(a, "related");
  if (preview) cJSON_AddArrayToObject(a, "comments");
  if (article_tags(c, id, a) != 0 ||
      (!preview && article_related(c, id, category_id, 5, related) != 0)) {
    cJSON_Delete(a);
    return -1;
  }
  *out = a;
  return 0;
}

int article_preview(ctx *c, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_LOAD_PREVIEW);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  sqlite3_bind_int64(st, 2, id);
  return article_build(c, st, 1, out);
}

int article_load(ctx *c, const char *slug, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, slug ? SQL_LOAD : SQL_LOAD_ID);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  if (slug) sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
  else sqlite3_bind_int64(st, 2, id);
  return article_build(c, st, 0, out);
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
static void filter_bind(const ctx *c, const article_filter *f, const buf *match,
                        sqlite3_stmt *st) {
  sqlite3_bind_int64(st, 1, c->now);
  if (f->q) sqlite3_bind_text(st, 10, buf_str(match), -1, SQLITE_STATIC);
  if (f->category) sqlite3_bind_text(st, 4, f->category, -1, SQLITE_STATIC);
  if (f->tag) sqlite3_bind_text(st, 5, f->tag, -1, SQLITE_STATIC);
  if (f->lang) sqlite3_bind_text(st, 6, f->lang, -1, SQLITE_STATIC);
  if (f->author) sqlite3_bind_text(st, 7, f->author, -1, SQLITE_STATIC);
  if (f->since) sqlite3_bind_int64(st, 8, f->since);
  if (f->updated_since) sqlite3_bind_int64(st, 9, f->updated_since);
}

/* Adds updated_at (the later of the edit and the publication) to each
** card of a SQL_FILTERED row. */
static void card_add_updated(cJSON *card, sqlite3_stmt *st) {
  long long up = sqlite3_column_int64(st, 16), pub = sqlite3_column_int64(st, 6);
  buf b = {0};
  time_iso(&b, (time_t)(up > pub ? up : pub));
  cJSON_AddStringToObject(card, "updated_at", buf_str(&b));
  buf_free(&b);
}

static int search_match(const char *q, buf *match);

int article_filtered(ctx *c, article_filter *f, cJSON *out) {
  buf match = {0};
  f->total = 0;
  f->last_modified = 0;
  if (f->q && search_match(f->q, &match) == 0) {
    buf_free(&match);
    return 0; /* no words: nothing matches */
  }
  sqlite3_stmt *st = db_prepare(c->db, f->q ? SQL_FILTERED_SEARCH_COUNT : SQL_FILTERED_COUNT);
  if (!st) {
    buf_free(&match);
    return -1;
  }
  filter_bind(c, f, &match, st);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    buf_free(&match);
    return -1;
  }
  f->total = (long)sqlite3_column_int64(st, 0);
  f->last_modified = sqlite3_column_int64(st, 1);
  sqlite3_reset(st);
  st = db_prepare(c->db, f->q ? SQL_FILTERED_SEARCH : SQL_FILTERED);
  if (!st) {
    buf_free(&match);
    return -1;
  }
  filter_bind(c, f, &match, st);
  sqlite3_bind_int64(st, 2, f->per_page);
  sqlite3_bind_int64(st, 3, (f->page - 1) * f->per_page);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    cJSON *card = card_from_row(c, st);
    card_add_updated(card, st);
    cJSON_AddItemToArray(out, card);
  }
  sqlite3_reset(st);
  buf_free(&match);
  return rc == SQLITE_DONE ? 0 : -1;
}

long long article_last_change(ctx *c) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_LAST_CHANGE);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  long long t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return t;
}

static const char SQL_REDIRECT[] =
    "SELECT a.slug FROM slug_redirects r JOIN articles a ON a.id = r.article_id"
    " WHERE r.old_slug = ?1 AND a.status IN ('published', 'scheduled')"
    " AND a.published_at <= ?2";

int article_redirect(ctx *c, const char *old_slug, buf *url) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_REDIRECT);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, old_slug, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, c->now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) store_url(url, "/articles/", db_text(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
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

int article_search(ctx *c, const char *q, long page, long per_page, cJSON *out,
                   long *total) {
  buf match = {0};
  *total = 0;
  if (search_match(q, &match) == 0) {
    buf_free(&match);
    return 0;
  }
  sqlite3_stmt *st = db_prepare(c->db, SQL_SEARCH_COUNT);
  int rc = -1;
  if (st) {
    sqlite3_bind_int64(st, 1, c->now);
    sqlite3_bind_text(st, 2, buf_str(&match), -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
      *total = (long)sqlite3_column_int64(st, 0);
      rc = 0;
    }
    sqlite3_reset(st);
  }
  if (rc == 0 && *total > 0 && (st = db_prepare(c->db, SQL_SEARCH)) != NULL) {
    sqlite3_bind_int64(st, 1, c->now);
    sqlite3_bind_text(st, 2, buf_str(&match), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, per_page);
    sqlite3_bind_int64(st, 4, (page - 1) * per_page);
    rc = cards_collect(c, st, out);
  }
  buf_free(&match);
  return rc;
}

static const char SQL_FEED[] =
    "SELECT " CARD_COLS ", a.body_html" CARD_FROM " WHERE " LIVE
    " AND (?3 = 0 OR a.category_id = ?3)"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2";

int article_feed(ctx *c, long category_id, int max, cJSON *out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_FEED);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  sqlite3_bind_int(st, 2, max);
  sqlite3_bind_int64(st, 3, category_id);
  buf b = {0};
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    cJSON *a = card_from_row(c, st);
    long long up = sqlite3_column_int64(st, 16), pub = sqlite3_column_int64(st, 6);
    time_iso(&b, (time_t)(up > pub ? up : pub));
    add_buf(a, "updated_at", &b);
    buf_puts(&b, c->app->base_url);
    buf_puts(&b, cJSON_GetObjectItem(a, "url")->valuestring);
    add_buf(a, "absolute_url", &b);
    cJSON_AddStringToObject(a, "body_html", db_text(st, 18));
    cJSON_AddItemToArray(out, a);
  }
  sqlite3_reset(st);
  buf_free(&b);
  return rc == SQLITE_DONE ? 0 : -1;
}
