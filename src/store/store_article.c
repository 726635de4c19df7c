/*
** store_article.c: article listings, the article with its tags and
** related articles, the API's filtered list, search and feeds, as card
** records (see store.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"
#include "store_media.h"
#include "store_sql.h"
#include "json.h"

/* The columns every card is built from, in card_row's order; pub is the
** expression of the publication time. */
#define CARD_COLS_PUB(pub)                                               \
  "a.id, a.slug, a.title, a.summary, a.lang, a.dir, " pub ", "           \
  "a.featured, a.comment_count, a.rating_count, a.rating_sum, c.slug, "  \
  "c.name, u.username, u.display_name, a.category_id, a.updated_at, "    \
  "a.created_at, coalesce(a.image_id, 0), c.path"
#define CARD_COLS CARD_COLS_PUB("a.published_at")
#define CARD_FROM                                                      \
  " FROM articles a JOIN categories c ON c.id = a.category_id"         \
  " JOIN users u ON u.id = a.author_id"
/* Visible to readers at ?1. */
#define LIVE SQL_VISIBLE("a.", "?1")

/* A page of a list is chosen from an index alone (a page far back skips
** index entries, never article rows): ?2 limit, ?3 offset, ?4 the list's
** id; then its cards are read. */
#define PAGE_OF(pick)                                                    \
  "SELECT " CARD_COLS CARD_FROM " WHERE a.id IN (" pick ")"               \
  " ORDER BY a.live_at DESC, a.id DESC"
static const char SQL_LIST_ALL[] = PAGE_OF(
    "SELECT id FROM articles WHERE live_at <= ?1 ORDER BY live_at DESC, id DESC"
    " LIMIT ?2 OFFSET ?3");
static const char SQL_LIST_CATEGORY[] = PAGE_OF(
    "SELECT id FROM articles WHERE category_id = ?4 AND live_at <= ?1"
    " ORDER BY live_at DESC, id DESC LIMIT ?2 OFFSET ?3");
/* An author's list: every article whose byline names them (017). */
static const char SQL_LIST_AUTHOR[] = PAGE_OF(
    "SELECT article_id FROM article_authors WHERE user_id = ?4 AND live_at <= ?1"
    " ORDER BY live_at DESC, article_id DESC LIMIT ?2 OFFSET ?3");
static const char SQL_LIST_TAG[] = PAGE_OF(
    "SELECT article_id FROM article_tags WHERE tag_id = ?4 AND live_at <= ?1"
    " ORDER BY live_at DESC, article_id DESC LIMIT ?2 OFFSET ?3");
/* A list's size is one row of article_counts (its published and scheduled
** articles) less the few still to come. */
#define COUNT_OF(scope, id, coming)                                               \
  "SELECT coalesce((SELECT n FROM article_counts WHERE scope = '" scope "' AND id = " id \
  "), 0) - (" coming ")"
static const char SQL_COUNT_CATEGORY[] = COUNT_OF(
    "category", "?4", "SELECT count(*) FROM articles WHERE category_id = ?4 AND live_at > ?1");
static const char SQL_COUNT_AUTHOR[] = COUNT_OF(
    "author", "?4", "SELECT count(*) FROM article_authors WHERE user_id = ?4 AND live_at > ?1");
static const char SQL_COUNT_TAG[] = COUNT_OF(
    "tag", "?4", "SELECT count(*) FROM article_tags WHERE tag_id = ?4 AND live_at > ?1");
/* The month of a list (scope ?1, id ?2; see sql/032) that holds its entry
** ?3 places after its oldest: the second that month ends, how many of the
** list's entries come before then, and whether its months add up to its
** kept size (article_counts, which the list's total was read from). The
** months come out oldest first, in the window's order; a later month
** would name the same page, read from further back (an ORDER BY here
** sorted every month first). */
static const char SQL_LIST_MONTH[] =
    "SELECT month_end, cum, (SELECT sum(n) FROM list_months WHERE scope = ?1 AND id = ?2)"
    "  = (SELECT n FROM article_counts WHERE scope = ?1 AND id = ?2)"
    " FROM (SELECT month, unixepoch(month, 'unixepoch', '+1 month') AS month_end,"
    "  sum(n) OVER (ORDER BY month) AS cum FROM list_months WHERE scope = ?1 AND id = ?2)"
    " WHERE cum > ?3 LIMIT 1";
#define BODY_FROM " LEFT JOIN article_bodies b ON b.article_id = a.id"
/* A full article's columns after the card's: its text, the author's bio
** and avatar, the time of change readers are told of (revised_at; an
** article no save of this newsroom has touched since: its last change),
** whether comments are closed. */
#define FULL_COLS \
  ", coalesce(b.body_html, ''), u.bio, coalesce(u.avatar_id, 0)," \
  " coalesce(a.revised_at, a.updated_at)," \
  " a.comments_closed"
static const char SQL_LOAD[] =
    "SELECT " CARD_COLS FULL_COLS CARD_FROM BODY_FROM " WHERE a.slug = ?2 AND " LIVE;
static const char SQL_LOAD_ID[] =
    "SELECT " CARD_COLS FULL_COLS CARD_FROM BODY_FROM " WHERE a.id = ?2 AND " LIVE;
/* Any article, visible or not, for the newsroom's preview: one not yet
** published shows ?1 (now) as its date. */
static const char SQL_LOAD_PREVIEW[] =
    "SELECT " CARD_COLS_PUB("coalesce(a.published_at, ?1)") FULL_COLS
    CARD_FROM BODY_FROM " WHERE a.id = ?2";
/* The byline's other authors, in their order. */
static const char SQL_COAUTHORS[] =
    "SELECT u.username, u.display_name FROM article_authors x JOIN users u ON u.id = x.user_id"
    " WHERE x.article_id = ?1 AND x.position > 0 ORDER BY x.position";
static const char SQL_TAGS[] =
    "SELECT t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
    " WHERE x.article_id = ?1 ORDER BY t.name";
/* Related articles are chosen among the newest few of each of the
** article's tags, read from the tags' index: a bounded number of
** candidates however many articles a tag has. */
static const char SQL_TAG_IDS[] = "SELECT tag_id FROM article_tags WHERE article_id = ?1";
static const char SQL_TAG_NEWEST[] =
    "SELECT article_id, live_at FROM article_tags WHERE tag_id = ?2 AND live_at <= ?1"
    " ORDER BY live_at DESC, article_id DESC LIMIT ?3";
static const char SQL_CARD[] = "SELECT " CARD_COLS CARD_FROM " WHERE a.id = ?2 AND " LIVE;
static const char SQL_RELATED_CATEGORY[] =
    "SELECT " CARD_COLS CARD_FROM " WHERE a.id IN (SELECT id FROM articles"
    " WHERE category_id = ?4 AND live_at <= ?1 AND id <> ?2"
    " ORDER BY live_at DESC, id DESC LIMIT ?3) ORDER BY a.live_at DESC, a.id DESC";

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
  cJSON_AddStringToObject(cat, "path", db_text(st, 19));
  cJSON *au = cJSON_AddObjectToObject(a, "author");
  cJSON_AddStringToObject(au, "username", db_text(st, 13));
  cJSON_AddStringToObject(au, "name", db_text(st, 14));
  cJSON_AddNumberToObject(a, "image_id", (double)sqlite3_column_int64(st, 18));
  return a;
}

/* Steps st, appending a card per row to out (with body_html from column
** 20 when with_body is set), their pictures not yet attached (see
** cards_collect). Resets st. */
static int cards_rows(sqlite3_stmt *st, cJSON *out, int with_body) {
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *a = card_row(st);
    if (with_body) cJSON_AddStringToObject(a, "body_html", db_text(st, 20));
    cJSON_AddItemToArray(out, a);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* cards_rows, then each card of out gets its featured picture. */
static int cards_collect(db *d, sqlite3_stmt *st, cJSON *out, int with_body) {
  if (cards_rows(st, out, with_body) != STORE_OK) return STORE_ERROR;
  return media_attach(d, out, "image_id", "image");
}

/* Runs the count st (parameters bound) into *n. Resets st. */
static int count_one(sqlite3_stmt *st, long *n) {
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *n = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/* Where a page of a list is read from: entries at or before `until` (in
** place of now), newest first, `skip` of them skipped. */
typedef struct list_at {
  long long until;
  long skip;
} list_at;

/* A page that begins this far down a list is looked for by its month. */
enum { SEEK_FROM = 200 };

/* Sets *at for the page that begins `offset` entries after the newest of
** a list of `total` visible entries (scope and id as in list_months; id
** as text when idtext is not NULL). When the month that holds the page's
** first entry has ended, every entry up to its end is visible and
** list_months tells how many there are: the page is read back from that
** month's end, skipping fewer than a month's entries. Otherwise (a page
** near the top, or in the current month, or months that do not add up to
** the list's kept size) from now. A write between the count and the page
** moves the page by what it added or took away newer than the page, as it
** does when the page is read from now. Returns STORE_OK or STORE_ERROR. */
static int list_seek(db *d, time_t now, const char *scope, long id, const char *idtext,
                     long total, long offset, list_at *at) {
  *at = (list_at){now, offset};
  if (offset < SEEK_FROM || offset >= total) return STORE_OK;
  sqlite3_stmt *st = db_prepare(d, SQL_LIST_MONTH);
  if (!st) return STORE_ERROR;
  long pos = total - 1 - offset;
  sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
  if (idtext) sqlite3_bind_text(st, 2, idtext, -1, SQLITE_STATIC);
  else sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int64(st, 3, pos);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    long long end = sqlite3_column_int64(st, 0);
    long before = (long)sqlite3_column_int64(st, 1);
    int whole = sqlite3_column_int(st, 2);
    if (whole && end - 1 <= now && before - 1 - pos < offset)
      *at = (list_at){end - 1, before - 1 - pos};
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int article_list(db *d, time_t now, listing *l, cJSON *out) {
  const char *list_sql = SQL_LIST_ALL, *count_sql = NULL, *scope = "all";
  long filter = 0;
  if (l->category_id) {
    list_sql = SQL_LIST_CATEGORY, count_sql = SQL_COUNT_CATEGORY, scope = "category";
    filter = l->category_id;
  } else if (l->tag_id) {
    list_sql = SQL_LIST_TAG, count_sql = SQL_COUNT_TAG, scope = "tag";
    filter = l->tag_id;
  } else if (l->author_id) {
    list_sql = SQL_LIST_AUTHOR, count_sql = SQL_COUNT_AUTHOR, scope = "author";
    filter = l->author_id;
  }
  if (!count_sql) {
    if (article_count_visible(d, now, &l->total) != STORE_OK) return STORE_ERROR;
  } else {
    sqlite3_stmt *cnt = db_prepare(d, count_sql);
    if (cnt) {
      sqlite3_bind_int64(cnt, 1, now);
      sqlite3_bind_int64(cnt, 4, filter);
    }
    if (count_one(cnt, &l->total) != STORE_OK) return STORE_ERROR;
  }
  list_at at;
  if (list_seek(d, now, scope, filter, NULL, l->total, (l->page - 1) * l->per_page, &at) !=
      STORE_OK)
    return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, list_sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, at.until);
  sqlite3_bind_int64(st, 2, l->per_page);
  sqlite3_bind_int64(st, 3, at.skip);
  if (filter) sqlite3_bind_int64(st, 4, filter);
  return cards_collect(d, st, out, 0);
}

/* The newest featured article visible at ?1, from the index of the
** featured ones (sql/039; without statistics SQLite would walk the newest
** articles of every kind and read each one's row). */
static const char SQL_FEATURED[] =
    "SELECT " CARD_COLS CARD_FROM " WHERE a.id = (SELECT id FROM articles"
    " INDEXED BY articles_featured"
    " WHERE featured = 1 AND live_at IS NOT NULL AND live_at <= ?1"
    " ORDER BY live_at DESC, id DESC LIMIT 1)";

int article_featured(db *d, time_t now, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_FEATURED);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  return cards_collect(d, st, out, 0);
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

enum { RELATED_PER_TAG = 40, RELATED_TAGS_MAX = 24 };

/* A candidate for related articles: how many tags it shares, how new. */
typedef struct candidate {
  long id;
  int shared;
  long long live_at;
} candidate;

/* Orders candidates: most shared tags first, then newest. */
static int candidate_order(const void *x, const void *y) {
  const candidate *a = x, *b = y;
  if (a->shared != b->shared) return b->shared - a->shared;
  return a->live_at < b->live_at ? 1 : a->live_at > b->live_at ? -1 : (a->id < b->id) - (a->id > b->id);
}

/* Adds the newest articles of tag (not id itself) to the candidates.
** Returns 0 or -1. */
static int related_from_tag(db *d, time_t now, long id, long tag, candidate *c, int *n) {
  sqlite3_stmt *st = db_prepare(d, SQL_TAG_NEWEST);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, tag);
  sqlite3_bind_int(st, 3, RELATED_PER_TAG);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long a = (long)sqlite3_column_int64(st, 0);
    if (a == id) continue;
    int k = 0;
    while (k < *n && c[k].id != a) k++;
    if (k == *n) c[(*n)++] = (candidate){a, 0, sqlite3_column_int64(st, 1)};
    c[k].shared++;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Appends the cards of the best max candidates to out. */
static int related_cards(db *d, time_t now, candidate *c, int n, int max, cJSON *out) {
  qsort(c, (size_t)n, sizeof *c, candidate_order);
  for (int k = 0; k < n && cJSON_GetArraySize(out) < max; k++) {
    sqlite3_stmt *st = db_prepare(d, SQL_CARD);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, c[k].id);
    if (cards_rows(st, out, 0) != STORE_OK) return STORE_ERROR;
  }
  return media_attach(d, out, "image_id", "image");
}

int article_related(db *d, time_t now, long id, long category_id, int max, cJSON *out) {
  long tags[RELATED_TAGS_MAX];
  int ntags = 0, n = 0, rc;
  sqlite3_stmt *st = db_prepare(d, SQL_TAG_IDS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  while ((rc = db_step(st)) == SQLITE_ROW && ntags < RELATED_TAGS_MAX)
    tags[ntags++] = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return STORE_ERROR;
  candidate *c = malloc((size_t)(ntags * RELATED_PER_TAG + 1) * sizeof *c);
  if (!c) abort();
  rc = STORE_OK;
  for (int t = 0; t < ntags && rc == STORE_OK; t++)
    if (related_from_tag(d, now, id, tags[t], c, &n) != 0) rc = STORE_ERROR;
  if (rc == STORE_OK) rc = related_cards(d, now, c, n, max, out);
  free(c);
  if (rc != STORE_OK || cJSON_GetArraySize(out) >= max) return rc;
  st = db_prepare(d, SQL_RELATED_CATEGORY);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int(st, 3, max);
  sqlite3_bind_int64(st, 4, category_id);
  cJSON *more = cJSON_CreateArray(), *x;
  rc = cards_collect(d, st, more, 0);
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

/* Adds the article's authors as "authors": [{username, name}], the byline's
** author first, then the others in their order. */
static int article_authors(db *d, long id, cJSON *a) {
  const cJSON *first = cJSON_GetObjectItemCaseSensitive(a, "author");
  cJSON *list = cJSON_AddArrayToObject(a, "authors");
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "username", json_str(first, "username"));
  cJSON_AddStringToObject(o, "name", json_str(first, "name"));
  cJSON_AddItemToArray(list, o);
  sqlite3_stmt *st = db_prepare(d, SQL_COAUTHORS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "username", db_text(st, 0));
    cJSON_AddStringToObject(o, "name", db_text(st, 1));
    cJSON_AddItemToArray(list, o);
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
  cJSON *author = cJSON_GetObjectItemCaseSensitive(a, "author");
  cJSON_AddStringToObject(a, "body_html", db_text(st, 20));
  cJSON_AddStringToObject(author, "bio", db_text(st, 21));
  cJSON_AddNumberToObject(author, "avatar_id", (double)sqlite3_column_int64(st, 22));
  cJSON_AddNumberToObject(a, "revised_at", (double)sqlite3_column_int64(st, 23));
  cJSON_AddBoolToObject(a, "comments_closed", sqlite3_column_int(st, 24));
  long id = (long)sqlite3_column_int64(st, 0);
  long category_id = (long)sqlite3_column_int64(st, 15);
  sqlite3_reset(st);
  cJSON *related = cJSON_AddArrayToObject(a, "related");
  if (media_attach(d, a, "image_id", "image") != STORE_OK ||
      media_attach(d, author, "avatar_id", "image") != STORE_OK || article_tags(d, id, a) != STORE_OK ||
      article_authors(d, id, a) != STORE_OK ||
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

/* The API's filters; ?1 now, ?2 limit, ?3 offset, ?4.. the filters (NULL:
** any): ?4 category slug, ?5 tag slug, ?6 language, ?7 author's username,
** ?8 published after, ?9 changed after, ?10 the FTS5 query of the words,
** ?11 the search window. Every filter is checked on each candidate; the
** candidates come, newest first, from the index of the most selective
** list a filter names (a tag's, a section's, an author's, a language's,
** or all articles'), or from the newest matches of the words. */
#define RESIDUAL(a)                                                                \
  " AND (?4 IS NULL OR " a "category_id = (SELECT id FROM categories WHERE slug = ?4))" \
  " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM article_tags x2 JOIN tags t2"          \
  "      ON t2.id = x2.tag_id WHERE x2.article_id = " a "id AND t2.slug = ?5))"     \
  " AND (?6 IS NULL OR " a "lang = ?6)"                                            \
  " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM article_authors x3 WHERE"              \
  "      x3.article_id = " a "id AND x3.user_id = (SELECT id FROM users WHERE username = ?7)))" \
  " AND (?8 IS NULL OR " a "live_at > ?8)"                                         \
  " AND (?9 IS NULL OR " a "updated_at > ?9 OR " a "live_at > ?9)"
#define NEWEST " ORDER BY a2.live_at DESC, a2.id DESC"
#define DRIVE_ALL "SELECT a2.id FROM articles a2 WHERE a2.live_at <= ?1" RESIDUAL("a2.") NEWEST
#define DRIVE_CATEGORY                                                            \
  "SELECT a2.id FROM articles a2 WHERE a2.category_id ="                           \
  " (SELECT id FROM categories WHERE slug = ?4) AND a2.live_at <= ?1" RESIDUAL("a2.") NEWEST
/* An author's: every article whose byline names them, as their page's. */
#define DRIVE_AUTHOR                                                              \
  "SELECT x.article_id FROM article_authors x JOIN articles a2 ON a2.id = x.article_id" \
  " WHERE x.user_id = (SELECT id FROM users WHERE username = ?7) AND x.live_at <= ?1" \
  RESIDUAL("a2.") " ORDER BY x.live_at DESC, x.article_id DESC"
#define DRIVE_LANG \
  "SELECT a2.id FROM articles a2 WHERE a2.lang = ?6 AND a2.live_at <= ?1" RESIDUAL("a2.") NEWEST
#define DRIVE_TAG                                                                 \
  "SELECT x.article_id FROM article_tags x JOIN articles a2 ON a2.id = x.article_id"  \
  " WHERE x.tag_id = (SELECT id FROM tags WHERE slug = ?5) AND x.live_at <= ?1"    \
  RESIDUAL("a2.") " ORDER BY x.live_at DESC, x.article_id DESC"
#define PAGED " LIMIT ?2 OFFSET ?3"
/* A list filtered by more than one thing is counted up to ?12 at most. */
#define COUNTED(drive) "SELECT count(*) FROM (" drive " LIMIT ?12)"
static const char *const SQL_FILTERED[][2] = {
    {PAGE_OF(DRIVE_ALL PAGED), COUNTED(DRIVE_ALL)},
    {PAGE_OF(DRIVE_TAG PAGED), COUNTED(DRIVE_TAG)},
    {PAGE_OF(DRIVE_CATEGORY PAGED), COUNTED(DRIVE_CATEGORY)},
    {PAGE_OF(DRIVE_AUTHOR PAGED), COUNTED(DRIVE_AUTHOR)},
    {PAGE_OF(DRIVE_LANG PAGED), COUNTED(DRIVE_LANG)},
};
/* The size of a list a single filter names: its count row. */
#define TAG_ID "(SELECT id FROM tags WHERE slug = ?5)"
#define CATEGORY_ID "(SELECT id FROM categories WHERE slug = ?4)"
#define AUTHOR_ID "(SELECT id FROM users WHERE username = ?7)"
static const char *const SQL_FILTERED_ONE[] = {
    NULL,
    COUNT_OF("tag", TAG_ID,
             "SELECT count(*) FROM article_tags WHERE tag_id = " TAG_ID " AND live_at > ?1"),
    COUNT_OF("category", CATEGORY_ID,
             "SELECT count(*) FROM articles WHERE category_id = " CATEGORY_ID " AND live_at > ?1"),
    COUNT_OF("author", AUTHOR_ID,
             "SELECT count(*) FROM article_authors WHERE user_id = " AUTHOR_ID
             " AND live_at > ?1"),
    COUNT_OF("lang", "?6", "SELECT count(*) FROM articles WHERE lang = ?6 AND live_at > ?1"),
};

/* A list that one filter (or none) names has no residual test to make
** on each article it skips: its page is chosen from its index alone, as
** article_list's are (a residual test read ten steps an entry skipped). */
static const char *const SQL_FILTERED_PAGE_ONE[] = {
    PAGE_OF("SELECT id FROM articles WHERE live_at <= ?1"
            " ORDER BY live_at DESC, id DESC" PAGED),
    PAGE_OF("SELECT article_id FROM article_tags WHERE tag_id = " TAG_ID " AND live_at <= ?1"
            " ORDER BY live_at DESC, article_id DESC" PAGED),
    PAGE_OF("SELECT id FROM articles WHERE category_id = " CATEGORY_ID " AND live_at <= ?1"
            " ORDER BY live_at DESC, id DESC" PAGED),
    PAGE_OF("SELECT article_id FROM article_authors WHERE user_id = " AUTHOR_ID
            " AND live_at <= ?1 ORDER BY live_at DESC, article_id DESC" PAGED),
    PAGE_OF("SELECT id FROM articles WHERE lang = ?6 AND live_at <= ?1"
            " ORDER BY live_at DESC, id DESC" PAGED),
};

/* The newest visible matches of the FTS5 query ?Q (at most ?N) with their
** rank, live_at and the article's columns COLS (named NAMES): read down
** the index by id, each match's article row read by its id (a draft or a
** publication still to come is passed by, not counted). */
#define VISIBLE_MATCHES(Q, N, NAMES, COLS)                                        \
  "WITH m (id, rank, live_at" NAMES ") AS"                                        \
  " (SELECT articles_fts.rowid, match_rank(articles_fts, 10.0, 4.0, 1.0),"        \
  " a.live_at" COLS " FROM articles_fts"                                          \
  " JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH " Q     \
  " AND " LIVE " ORDER BY articles_fts.rowid DESC LIMIT " N ") "
/* With words: the newest matches (at most ?11) are ranked, best first,
** filtered and counted from the window alone; only the page's cards are
** read. m holds the columns RESIDUAL reads. */
#define MATCHES                                                                   \
  VISIBLE_MATCHES("?10", "?11", ", category_id, lang, updated_at",                \
                  ", a.category_id, a.lang, a.updated_at")
static const char SQL_FILTERED_SEARCH[] =
    MATCHES ", p AS (SELECT id, rank, live_at FROM m WHERE 1" RESIDUAL("m.")
    " ORDER BY rank, live_at DESC LIMIT ?2 OFFSET ?3)"
    " SELECT " CARD_COLS CARD_FROM " JOIN p ON p.id = a.id ORDER BY p.rank, p.live_at DESC";
static const char SQL_FILTERED_SEARCH_COUNT[] =
    MATCHES "SELECT count(*) FROM m WHERE 1" RESIDUAL("m.");
/* The newest change among the visible articles: the newest publication,
** or the newest edit (read down the index of edits until a visible one). */
static const char SQL_LAST_CHANGE[] =
    "SELECT max(coalesce((SELECT max(live_at) FROM articles WHERE live_at <= ?1), 0),"
    " coalesce((SELECT updated_at FROM articles INDEXED BY articles_updated_live"
    "  WHERE live_at <= ?1 ORDER BY updated_at DESC LIMIT 1), 0))";
/* The articles still to come and every listed article, read together. */
static const char SQL_COMING_LISTED[] =
    "SELECT (SELECT count(*) FROM articles WHERE live_at > ?1),"
    " coalesce((SELECT n FROM article_counts WHERE scope = 'all' AND id = 0), 0)";

/* How many of the newest matches of a search are ranked. */
enum { SEARCH_WINDOW = 200 };

/* Binds the filters of f (match: the FTS5 query of f->q) to st. */
static void filter_bind(time_t now, const article_filter *f, const buf *match,
                        sqlite3_stmt *st) {
  sqlite3_bind_int64(st, 1, now);
  if (f->q) {
    sqlite3_bind_text(st, 10, buf_str(match), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, SEARCH_WINDOW);
  }
  if (f->category) sqlite3_bind_text(st, 4, f->category, -1, SQLITE_STATIC);
  if (f->tag) sqlite3_bind_text(st, 5, f->tag, -1, SQLITE_STATIC);
  if (f->lang) sqlite3_bind_text(st, 6, f->lang, -1, SQLITE_STATIC);
  if (f->author) sqlite3_bind_text(st, 7, f->author, -1, SQLITE_STATIC);
  if (f->since) sqlite3_bind_int64(st, 8, f->since);
  if (f->updated_since) sqlite3_bind_int64(st, 9, f->updated_since);
}

/* Returns whether the quoted word w[0, n) is among the words of
** match->data[from, to) (separated by spaces), ASCII letters of either
** case alike (the index folds case). */
static int search_has_word(const buf *match, size_t from, size_t to, const char *w, size_t n) {
  for (size_t p = from; p < to;) {
    size_t len = strcspn(match->data + p, " ");
    if (len > to - p) len = to - p;
    if (len == n && strncasecmp(match->data + p, w, n) == 0) return 1;
    p += len + 1;
  }
  return 0;
}

int search_match(const char *q, buf *match) {
  int words = 0;
  size_t start = match->len;
  while (*q && words < SEARCH_MAX_WORDS) {
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') q++;
    size_t n = strcspn(q, " \t\r\n");
    if (n == 0) break;
    size_t before = match->len;
    if (words) buf_putc(match, ' ');
    size_t at = match->len;
    buf_putc(match, '"');
    for (size_t i = 0; i < n; i++)
      if (q[i] != '"') buf_putc(match, q[i]);
    buf_putc(match, '"');
    q += n;
    if (search_has_word(match, start, before, match->data + at, match->len - at)) {
      match->len = before;
      match->data[before] = 0;
    } else {
      words++;
    }
  }
  return words;
}

/* Returns which list drives f's candidates: an index of SQL_FILTERED. */
static int filter_driver(const article_filter *f) {
  return f->tag ? 1 : f->category ? 2 : f->author ? 3 : f->lang ? 4 : 0;
}

/* How far past the page asked for a list filtered by more than one thing
** is counted: counting it all would read every candidate of the driving
** list (a popular tag's whole archive). */
enum { COUNT_AHEAD = 1000 };

/* Whether f names at most the list that drives it (no words, no other
** filter). */
static int filter_is_one_list(const article_filter *f) {
  int named = !!f->tag + !!f->category + !!f->author + !!f->lang + !!f->since +
              !!f->updated_since;
  return !f->q && (named == 0 || (named == 1 && filter_driver(f)));
}

/* Sets f->total: one count row when at most the driving list is named,
** else the candidates counted, up to COUNT_AHEAD past the page (when it
** stops there, f->total_exact is 0). */
static int filter_count(db *d, time_t now, article_filter *f, const buf *match) {
  int driver = filter_driver(f);
  const char *sql = f->q ? SQL_FILTERED_SEARCH_COUNT : SQL_FILTERED[driver][1];
  if (filter_is_one_list(f) && !driver) {
    f->total_exact = 1;
    return article_count_visible(d, now, &f->total);
  }
  if (filter_is_one_list(f)) sql = SQL_FILTERED_ONE[driver];
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  long cap = f->page * f->per_page + COUNT_AHEAD;
  filter_bind(now, f, match, st);
  if (sql == SQL_FILTERED[driver][1]) sqlite3_bind_int64(st, 12, cap);
  long n = 0;
  int rc = count_one(st, &n);
  f->total = n;
  f->total_exact = sql != SQL_FILTERED[driver][1] || n < cap;
  return rc;
}

/* The list_months scope of each list that drives a filter (see
** filter_driver), and its id, found from the filter's name as the
** filtered statements find it (bound by filter_bind). */
static const char *const FILTER_SCOPE[] = {"all", "tag", "category", "author", "lang"};
static const char *const SQL_FILTER_LIST_ID[] = {
    NULL, "SELECT " TAG_ID, "SELECT " CATEGORY_ID, "SELECT " AUTHOR_ID, NULL,
};

/* list_seek for the page of the one list that f names (see
** filter_is_one_list; f->total counted). */
static int filter_seek(db *d, time_t now, const article_filter *f, list_at *at) {
  int driver = filter_driver(f);
  long offset = (f->page - 1) * f->per_page;
  long long id = 0;
  *at = (list_at){now, offset};
  if (offset < SEEK_FROM || offset >= f->total) return STORE_OK;
  if (SQL_FILTER_LIST_ID[driver]) {
    sqlite3_stmt *st = db_prepare(d, SQL_FILTER_LIST_ID[driver]);
    if (!st) return STORE_ERROR;
    filter_bind(now, f, NULL, st);
    int rc = db_step(st), found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (found) id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (!found) return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
  }
  return list_seek(d, now, FILTER_SCOPE[driver], (long)id, driver == 4 ? f->lang : NULL,
                   f->total, offset, at);
}

/* Sets f->last_modified to the newest change among the cards of out. */
static void filter_last_change(article_filter *f, const cJSON *out) {
  const cJSON *x;
  cJSON_ArrayForEach(x, out) {
    long long up = (long long)json_num(x, "updated_at");
    long long pub = (long long)json_num(x, "published_at");
    long long t = up > pub ? up : pub;
    if (t > f->last_modified) f->last_modified = t;
  }
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
  int one = filter_is_one_list(f);
  const char *sql = f->q ? SQL_FILTERED_SEARCH
                    : one ? SQL_FILTERED_PAGE_ONE[filter_driver(f)]
                          : SQL_FILTERED[filter_driver(f)][0];
  list_at at = {now, (f->page - 1) * f->per_page};
  if (!rc && one && filter_seek(d, now, f, &at) != STORE_OK) rc = STORE_ERROR;
  sqlite3_stmt *st = rc ? NULL : db_prepare(d, sql);
  if (st) {
    filter_bind(now, f, &match, st);
    sqlite3_bind_int64(st, 1, at.until);
    sqlite3_bind_int64(st, 2, f->per_page);
    sqlite3_bind_int64(st, 3, at.skip);
    rc = cards_collect(d, st, out, 0);
  } else {
    rc = STORE_ERROR;
  }
  buf_free(&match);
  if (rc != STORE_OK) return rc;
  /* The whole site's newest change for its unfiltered list; a filtered
  ** list's, among the articles it shows. */
  if (!f->q && filter_driver(f) == 0 && !f->since && !f->updated_since)
    return article_last_change(d, now, &f->last_modified);
  filter_last_change(f, out);
  return STORE_OK;
}

/* The next scheduled publication after ?1 (0: none). */
static const char SQL_NEXT[] =
    "SELECT coalesce(min(a.live_at), 0) FROM articles a WHERE " SQL_COMING("a.", "?1");

/* Returns d's schedule as at now (see db_schedule): the kept one while
** the database is unchanged and no scheduled publication came since it
** was read, else a new one that holds only when the next publication
** comes; its figures are then read as they are asked for (the newest
** visible change walks past every article still to come that was edited
** later, and counting those to come reads each). NULL on an error. */
static db_schedule *schedule_now(db *d, time_t now) {
  db_schedule *s = &d->schedule;
  int64_t version, changes = sqlite3_total_changes64(d->h);
  if (db_data_version(d, &version) != 0) return NULL;
  if (s->known && s->version == version && s->changes == changes && now >= s->from &&
      (s->until == 0 || now < s->until))
    return s;
  *s = (db_schedule){.version = version, .changes = changes, .from = now};
  if (db_number(d, SQL_NEXT, now, &s->until) != 0) return NULL;
  s->known = 1;
  return s;
}

/* Forgets d's schedule when it was read inside a write transaction, which
** may yet be undone; passes rc through. */
static int schedule_done(db *d, int rc) {
  if (sqlite3_txn_state(d->h, NULL) == SQLITE_TXN_WRITE) d->schedule.known = 0;
  return rc;
}

int article_last_change(db *d, time_t now, long long *t) {
  db_schedule *s = schedule_now(d, now);
  if (!s) return STORE_ERROR;
  if (!s->have_last_change) {
    if (db_number(d, SQL_LAST_CHANGE, now, &s->last_change) != 0) return STORE_ERROR;
    s->have_last_change = 1;
  }
  *t = s->last_change;
  return schedule_done(d, STORE_OK);
}

int article_count_visible(db *d, time_t now, long *n) {
  db_schedule *s = schedule_now(d, now);
  if (!s) return STORE_ERROR;
  if (!s->have_counts) {
    sqlite3_stmt *st = db_prepare(d, SQL_COMING_LISTED);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, now);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
      s->coming = sqlite3_column_int64(st, 0);
      s->listed = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return STORE_ERROR;
    s->have_counts = 1;
  }
  *n = (long)(s->listed - s->coming);
  return schedule_done(d, STORE_OK);
}

int article_next_publication(db *d, time_t now, long long *t) {
  return db_number(d, SQL_NEXT, now, t) == 0 ? STORE_OK : STORE_ERROR;
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

/* The reader's search: the newest visible matches (at most SEARCH_WINDOW: no
** ranking of all 50,000 articles a common word is in), best first, read
** once; the page's cards are then read by id. */
static const char SQL_SEARCH[] =
    VISIBLE_MATCHES("?2", "?3", "", "") "SELECT id FROM m ORDER BY rank, live_at DESC";

/* The passage of each match on the page that holds the words, marked by
** \x02 and \x03 (which no stored text holds: the presenter escapes it and
** marks them): one query for the page (each MATCH costs a look-up of the
** words in every segment of the index), over the range of its ids (?2 to
** ?3), the page's own (?4, a JSON array) picked from it. */
static const char SQL_SNIPPETS[] =
    "SELECT rowid, match_passage(articles_fts, char(2), char(3), '…', 24) FROM articles_fts"
    " WHERE articles_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3"
    " AND +rowid IN (SELECT value FROM json_each(?4))";

/* Adds "snippet" to each card of out: its passage matching the FTS5
** query match. Returns a store result. */
static int search_snippets(db *d, const char *match, cJSON *out) {
  long lo = 0, hi = 0;
  buf ids = {0};
  const cJSON *card;
  cJSON_ArrayForEach(card, out) {
    long id = card_id(card);
    if (!ids.len || id < lo) lo = id;
    if (!ids.len || id > hi) hi = id;
    buf_printf(&ids, "%c%ld", ids.len ? ',' : '[', id);
  }
  if (!ids.len) return STORE_OK;
  buf_putc(&ids, ']');
  sqlite3_stmt *st = db_prepare(d, SQL_SNIPPETS);
  if (!st) {
    buf_free(&ids);
    return STORE_ERROR;
  }
  sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, lo);
  sqlite3_bind_int64(st, 3, hi);
  sqlite3_bind_text(st, 4, buf_str(&ids), -1, SQLITE_STATIC);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long id = (long)sqlite3_column_int64(st, 0);
    cJSON *c;
    cJSON_ArrayForEach(c, out) {
      if (card_id(c) != id) continue;
      cJSON_AddStringToObject(c, "snippet", db_text(st, 1));
      break;
    }
  }
  sqlite3_reset(st);
  buf_free(&ids);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int article_search(db *d, time_t now, const char *q, long page, long per_page, cJSON *out,
                   long *total) {
  buf match = {0};
  long ids[SEARCH_WINDOW];
  *total = 0;
  if (search_match(q, &match) == 0) {
    buf_free(&match);
    return STORE_OK;
  }
  sqlite3_stmt *st = db_prepare(d, SQL_SEARCH);
  int rc = SQLITE_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, buf_str(&match), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, SEARCH_WINDOW);
    while ((rc = db_step(st)) == SQLITE_ROW && *total < SEARCH_WINDOW)
      ids[(*total)++] = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    buf_free(&match);
    return STORE_ERROR;
  }
  for (long k = (page - 1) * per_page; k < *total && k < page * per_page; k++) {
    st = db_prepare(d, SQL_CARD);
    if (!st) {
      buf_free(&match);
      return STORE_ERROR;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, ids[k]);
    if (cards_rows(st, out, 0) != STORE_OK) {
      buf_free(&match);
      return STORE_ERROR;
    }
  }
  rc = search_snippets(d, buf_str(&match), out);
  buf_free(&match);
  return rc != STORE_OK ? rc : media_attach(d, out, "image_id", "image");
}

/* A feed: the newest max of a list, read from the list's index, with
** their text. */
#define FEED_OF(list)                                                             \
  "SELECT " CARD_COLS ", coalesce(b.body_html, '')" CARD_FROM BODY_FROM           \
  " WHERE a.id IN (" list " LIMIT ?2) ORDER BY a.live_at DESC, a.id DESC"
static const char SQL_FEED[] =
    FEED_OF("SELECT id FROM articles WHERE live_at <= ?1 ORDER BY live_at DESC, id DESC");
static const char SQL_FEED_CATEGORY[] = FEED_OF(
    "SELECT id FROM articles WHERE category_id = ?3 AND live_at <= ?1"
    " ORDER BY live_at DESC, id DESC");
static const char SQL_FEED_AUTHOR[] = FEED_OF(
    "SELECT article_id FROM article_authors WHERE user_id = ?3 AND live_at <= ?1"
    " ORDER BY live_at DESC, article_id DESC");
static const char SQL_FEED_TAG[] = FEED_OF(
    "SELECT article_id FROM article_tags WHERE tag_id = ?3 AND live_at <= ?1"
    " ORDER BY live_at DESC, article_id DESC");

int article_feed(db *d, time_t now, const listing *l, int max, cJSON *out) {
  const char *sql = l->category_id ? SQL_FEED_CATEGORY
                    : l->tag_id    ? SQL_FEED_TAG
                    : l->author_id ? SQL_FEED_AUTHOR
                                   : SQL_FEED;
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int(st, 2, max);
  if (sql != SQL_FEED)
    sqlite3_bind_int64(st, 3, l->category_id ? l->category_id : l->tag_id ? l->tag_id : l->author_id);
  if (cards_collect(d, st, out, 1) != STORE_OK) return STORE_ERROR;
  cJSON *a;
  cJSON_ArrayForEach(a, out) {
    if (article_tags(d, card_id(a), a) != STORE_OK) return STORE_ERROR;
  }
  return STORE_OK;
}
