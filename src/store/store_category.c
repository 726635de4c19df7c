/*
** store_category.c: categories, tags and authors as readers see them
** (see store.h).
*/
#include <string.h>

#include "json.h"
#include "store.h"
#include "store_media.h"
#include "store_sql.h"

static const char SQL_CATEGORY[] =
    "SELECT c.id, c.slug, c.name, c.description, 0, c.parent_id, c.path FROM categories c"
    " WHERE c.slug = ?1 AND " CATEGORY_SHOWN_AT("?2");
static const char SQL_CATEGORIES[] =
    "SELECT c.id, c.parent_id, c.slug, c.name, c.path FROM categories c"
    " WHERE " CATEGORY_SHOWN_AT("?1") " ORDER BY c.position, c.name";
/* A category and the sections above it, the top one first. */
static const char SQL_TRAIL[] =
    "WITH RECURSIVE up (id, parent_id, slug, name, path, depth) AS ("
    " SELECT id, parent_id, slug, name, path, 0 FROM categories WHERE id = ?1"
    " UNION ALL SELECT c.id, c.parent_id, c.slug, c.name, c.path, up.depth + 1"
    " FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < ?2)"
    " SELECT slug, name, path FROM up ORDER BY depth DESC";
static const char SQL_CHILDREN[] =
    "SELECT c.slug, c.name, c.path FROM categories c WHERE c.parent_id = ?1 AND "
    CATEGORY_SHOWN_AT("?2") " ORDER BY c.position, c.name";
/* An author's page: an account's with an article readers see, disabled or
** not (an imported author's is disabled until it gets a password, and
** their bylines lead to it). */
static const char SQL_AUTHOR[] =
    "SELECT u.id, u.username, u.display_name, u.bio, coalesce(u.avatar_id, 0) FROM users u"
    " WHERE u.username = ?1"
    " AND " AUTHOR_SHOWN_AT("?2");
static const char SQL_TAG[] =
    "SELECT t.id, t.slug, t.name, '' FROM tags t WHERE t.slug = ?1"
    " AND " TAG_SHOWN_AT("?2");

/* Builds {slug, name, path} from columns col.. of st. */
static cJSON *category_ref(sqlite3_stmt *st, int col) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "slug", db_text(st, col));
  cJSON_AddStringToObject(o, "name", db_text(st, col + 1));
  cJSON_AddStringToObject(o, "path", db_text(st, col + 2));
  return o;
}

/* Returns the section of out whose "id" is id, or NULL. */
static cJSON *nav_find(cJSON *out, long id) {
  cJSON *o;
  cJSON_ArrayForEach(o, out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (v && (long)v->valuedouble == id) return o;
  }
  return NULL;
}

int category_nav(db *d, time_t now, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_CATEGORIES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  cJSON *subs = cJSON_CreateArray(), *o;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    o = category_ref(st, 2);
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
      cJSON_AddArrayToObject(o, "children");
      cJSON_AddItemToArray(out, o);
    } else {
      cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 1));
      cJSON_AddItemToArray(subs, o);
    }
  }
  sqlite3_reset(st);
  /* Each subsection under its section; deeper ones are left to the
  ** section pages. */
  while ((o = cJSON_DetachItemFromArray(subs, 0)) != NULL) {
    cJSON *top = nav_find(out, json_long(o, "parent_id"));
    cJSON_DeleteItemFromObjectCaseSensitive(o, "parent_id");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
    if (top) cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(top, "children"), o);
    else cJSON_Delete(o);
  }
  cJSON_Delete(subs);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int category_trail(db *d, long id, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_TRAIL);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, CATEGORY_MAX_DEPTH);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, category_ref(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int category_children(db *d, time_t now, long id, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_CHILDREN);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, category_ref(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Builds the record of a category, tag or author from a row whose first
** columns are id, slug (or username), name and description (or bio; ''
** for tags), then a count, then for a category its parent_id and path. */
static cJSON *taxon_record(taxon kind, sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, kind == TAXON_AUTHORS ? "username" : "slug", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  if (kind == TAXON_CATEGORIES) {
    cJSON_AddStringToObject(o, "description", db_text(st, 3));
    if (sqlite3_column_type(st, 5) == SQLITE_NULL) cJSON_AddNullToObject(o, "parent_id");
    else cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 5));
    cJSON_AddStringToObject(o, "path", db_text(st, 6));
  }
  if (kind == TAXON_AUTHORS) cJSON_AddStringToObject(o, "bio", db_text(st, 3));
  return o;
}

/* Loads the category, tag or author named key with sql into *out, when it
** holds an article visible at now. */
static int taxon_load(db *d, time_t now, taxon kind, const char *sql, const char *key,
                      cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, now);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    *out = taxon_record(kind, st);
    if (kind == TAXON_AUTHORS)
      cJSON_AddNumberToObject(*out, "avatar_id", (double)sqlite3_column_int64(st, 4));
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW && kind == TAXON_AUTHORS &&
      media_attach(d, *out, "avatar_id", "image") != STORE_OK) {
    cJSON_Delete(*out);
    return STORE_ERROR;
  }
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int category_load(db *d, time_t now, const char *slug, cJSON **out) {
  return taxon_load(d, now, TAXON_CATEGORIES, SQL_CATEGORY, slug, out);
}

int author_load(db *d, time_t now, const char *username, cJSON **out) {
  return taxon_load(d, now, TAXON_AUTHORS, SQL_AUTHOR, username, out);
}

int tag_load(db *d, time_t now, const char *slug, cJSON **out) {
  return taxon_load(d, now, TAXON_TAGS, SQL_TAG, slug, out);
}

/* A list's visible articles: its count of published and scheduled ones
** (article_counts) less those still to come. */
#define VISIBLE_IN(scope, id, coming)                                              \
  "(coalesce((SELECT n FROM article_counts WHERE scope = '" scope "' AND id = " id \
  "), 0) - (" coming "))"
#define CATEGORY_N                                                               \
  VISIBLE_IN("category", "c.id",                                                  \
             "SELECT count(*) FROM articles a WHERE a.category_id = c.id AND a.live_at > ?1")
#define TAG_N                                                                    \
  VISIBLE_IN("tag", "t.id",                                                       \
             "SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id AND x.live_at > ?1")
#define AUTHOR_N                                                                 \
  VISIBLE_IN("author", "u.id",                                                    \
             "SELECT count(*) FROM article_authors x WHERE x.user_id = u.id AND x.live_at > ?1")
/* Whether tag t holds a visible article: one index seek (a category's is
** CATEGORY_SHOWN_AT, above). */
#define TAG_SHOWN                                                                   \
  "EXISTS (SELECT 1 FROM article_tags x WHERE x.tag_id = t.id AND " SQL_VISIBLE("x.", \
                                                                                "?1") ")"
/* Only the categories and tags with a visible article are listed: the
** tags are walked in name order, each checked by one seek. */
static const char SQL_CATEGORY_LIST[] =
    "SELECT c.id, c.slug, c.name, c.description, " CATEGORY_N ", c.parent_id, c.path"
    " FROM categories c WHERE " CATEGORY_SHOWN_AT("?1")
    " ORDER BY c.position, c.name LIMIT ?2 OFFSET ?3";
static const char SQL_CATEGORY_COUNT[] =
    "SELECT count(*) FROM categories c INDEXED BY categories_order WHERE "
    CATEGORY_SHOWN_AT("?1");
static const char SQL_TAG_LIST[] =
    "SELECT t.id, t.slug, t.name, '', " TAG_N " FROM tags t INDEXED BY tags_name"
    " WHERE " TAG_SHOWN " ORDER BY t.name, t.id LIMIT ?2 OFFSET ?3";
/* Authors are those whose first listed article's time has come
** (article_counts.first_at): the accounts are walked in name order
** (sql/034), each checked by one look-up; the counts are read for the
** page's only. */
static const char SQL_AUTHOR_LIST[] =
    "SELECT u.id, u.username, u.display_name, u.bio, " AUTHOR_N ", coalesce(u.avatar_id, 0)"
    " FROM users u INDEXED BY users_by_name WHERE EXISTS (SELECT 1 FROM article_counts k"
    "  WHERE k.scope = 'author' AND k.id = u.id AND k.first_at <= ?1)"
    " ORDER BY u.display_name, u.id LIMIT ?2 OFFSET ?3";
/* How many tags or authors (?2: the scope) have a visible article: those
** with listed articles (list_totals) less those whose first is still to
** come, the few entries of article_counts_first past now. */
static const char SQL_SHOWN_COUNT[] =
    "SELECT coalesce((SELECT n FROM list_totals WHERE scope = ?2), 0)"
    " - (SELECT count(*) FROM article_counts INDEXED BY article_counts_first"
    " WHERE scope = ?2 AND first_at > ?1)";

int taxon_count(db *d, time_t now, taxon kind, long *n) {
  static const char *const scope[] = {NULL, "tag", "author"};
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORY_COUNT
                                                            : SQL_SHOWN_COUNT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  if (scope[kind]) sqlite3_bind_text(st, 2, scope[kind], -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *n = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int taxon_list(db *d, time_t now, taxon kind, long page, long per_page, cJSON *out,
               long *total) {
  static const char *const list[] = {SQL_CATEGORY_LIST, SQL_TAG_LIST, SQL_AUTHOR_LIST};
  if (taxon_count(d, now, kind, total) != STORE_OK) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, list[kind]);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, (page - 1) * per_page);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = taxon_record(kind, st);
    cJSON_AddNumberToObject(o, "article_count", (double)sqlite3_column_int64(st, 4));
    if (kind == TAXON_AUTHORS)
      cJSON_AddNumberToObject(o, "avatar_id", (double)sqlite3_column_int64(st, 5));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return STORE_ERROR;
  return kind == TAXON_AUTHORS ? media_attach(d, out, "avatar_id", "image") : STORE_OK;
}
