/*
** store_category.c: categories, tags and authors as readers see them
** (see store.h).
*/
#include <string.h>

#include "store.h"

static const char SQL_CATEGORY[] =
    "SELECT id, slug, name, description FROM categories WHERE slug = ?1";
static const char SQL_CATEGORIES[] =
    "SELECT slug, name FROM categories ORDER BY position, name";
static const char SQL_AUTHOR[] =
    "SELECT id, username, display_name, bio FROM users"
    " WHERE username = ?1 AND disabled = 0";
static const char SQL_TAG[] = "SELECT id, slug, name, '' FROM tags WHERE slug = ?1";

/* Runs the one-row lookup st (its key bound). Returns 0 with the row ready,
** 1 when there is no row, -1 on error (st reset in both latter cases). */
static int lookup_step(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) return 0;
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 1 : -1;
}

/* Adds "url": prefix + encoded slug to o. */
static void add_url(cJSON *o, const char *prefix, const char *slug) {
  buf b = {0};
  store_url(&b, prefix, slug);
  cJSON_AddStringToObject(o, "url", buf_str(&b));
  buf_free(&b);
}

int category_nav(ctx *c, const char *current_slug, cJSON *out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_CATEGORIES);
  if (!st) return -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    const char *slug = db_text(st, 0);
    cJSON_AddStringToObject(o, "slug", slug);
    cJSON_AddStringToObject(o, "name", db_text(st, 1));
    add_url(o, "/category/", slug);
    cJSON_AddBoolToObject(o, "current",
                          current_slug && strcmp(current_slug, slug) == 0);
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Builds the object of a category, tag or author from a row whose first
** columns are id, slug (or username), name and description (or bio; ''
** for tags): {id, slug or username, name, description or bio, url}. */
static cJSON *taxon_object(taxon kind, sqlite3_stmt *st) {
  static const char *const prefix[] = {"/category/", "/tag/", "/author/"};
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, kind == TAXON_AUTHORS ? "username" : "slug",
                          db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  if (kind == TAXON_CATEGORIES)
    cJSON_AddStringToObject(o, "description", db_text(st, 3));
  if (kind == TAXON_AUTHORS) cJSON_AddStringToObject(o, "bio", db_text(st, 3));
  add_url(o, prefix[kind], db_text(st, 1));
  return o;
}

/* Loads the category, tag or author named key with sql into *out.
** Returns 0, 1 when there is none, -1. */
static int taxon_load(ctx *c, taxon kind, const char *sql, const char *key,
                      cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, sql);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int rc = lookup_step(st);
  if (rc) return rc;
  *out = taxon_object(kind, st);
  sqlite3_reset(st);
  return 0;
}

int category_load(ctx *c, const char *slug, cJSON **out) {
  return taxon_load(c, TAXON_CATEGORIES, SQL_CATEGORY, slug, out);
}

int author_load(ctx *c, const char *username, cJSON **out) {
  return taxon_load(c, TAXON_AUTHORS, SQL_AUTHOR, username, out);
}

int tag_load(ctx *c, const char *slug, cJSON **out) {
  return taxon_load(c, TAXON_TAGS, SQL_TAG, slug, out);
}

#define LIVE_A "a.status IN ('published', 'scheduled') AND a.published_at <= ?1"
static const char SQL_CATEGORY_LIST[] =
    "SELECT c.id, c.slug, c.name, c.description,"
    " (SELECT count(*) FROM articles a WHERE a.category_id = c.id AND " LIVE_A ")"
    " FROM categories c ORDER BY c.position, c.name LIMIT ?2 OFFSET ?3";
static const char SQL_CATEGORY_COUNT[] =
    "SELECT count(*), ?1 FROM categories";
static const char SQL_TAG_LIST[] =
    "SELECT t.id, t.slug, t.name, '',"
    " (SELECT count(*) FROM article_tags x JOIN articles a ON a.id = x.article_id"
    "  WHERE x.tag_id = t.id AND " LIVE_A ")"
    " FROM tags t ORDER BY t.name, t.id LIMIT ?2 OFFSET ?3";
static const char SQL_TAG_COUNT[] = "SELECT count(*), ?1 FROM tags";
static const char SQL_AUTHOR_LIST[] =
    "SELECT u.id, u.username, u.display_name, u.bio, n.articles FROM users u"
    " JOIN (SELECT a.author_id AS id, count(*) AS articles FROM articles a"
    "       WHERE " LIVE_A " GROUP BY a.author_id) n ON n.id = u.id"
    " WHERE u.disabled = 0 ORDER BY u.display_name, u.id LIMIT ?2 OFFSET ?3";
static const char SQL_AUTHOR_COUNT[] =
    "SELECT count(DISTINCT a.author_id) FROM articles a JOIN users u"
    " ON u.id = a.author_id AND u.disabled = 0 WHERE " LIVE_A;

/* Builds one taxonomy item from a row of the lists above: the object and
** its article_count (column 4). */
static cJSON *taxon_item(taxon kind, sqlite3_stmt *st) {
  cJSON *o = taxon_object(kind, st);
  cJSON_AddNumberToObject(o, "article_count", (double)sqlite3_column_int64(st, 4));
  return o;
}

int taxon_list(ctx *c, taxon kind, long page, long per_page, cJSON *out,
               long *total) {
  static const char *const list[] = {SQL_CATEGORY_LIST, SQL_TAG_LIST, SQL_AUTHOR_LIST};
  static const char *const count[] = {SQL_CATEGORY_COUNT, SQL_TAG_COUNT, SQL_AUTHOR_COUNT};
  sqlite3_stmt *st = db_prepare(c->db, count[kind]);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    return -1;
  }
  *total = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  st = db_prepare(c->db, list[kind]);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, c->now);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, (page - 1) * per_page);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    cJSON_AddItemToArray(out, taxon_item(kind, st));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}
