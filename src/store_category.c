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
static const char SQL_TAG[] = "SELECT id, slug, name FROM tags WHERE slug = ?1";

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

int category_load(ctx *c, const char *slug, cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_CATEGORY);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  int rc = lookup_step(st);
  if (rc) return rc;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "slug", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  cJSON_AddStringToObject(o, "description", db_text(st, 3));
  add_url(o, "/category/", db_text(st, 1));
  sqlite3_reset(st);
  *out = o;
  return 0;
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

int author_load(ctx *c, const char *username, cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_AUTHOR);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
  int rc = lookup_step(st);
  if (rc) return rc;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "username", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  cJSON_AddStringToObject(o, "bio", db_text(st, 3));
  add_url(o, "/author/", db_text(st, 1));
  sqlite3_reset(st);
  *out = o;
  return 0;
}

int tag_load(ctx *c, const char *slug, cJSON **out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_TAG);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  int rc = lookup_step(st);
  if (rc) return rc;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "slug", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  add_url(o, "/tag/", db_text(st, 1));
  sqlite3_reset(st);
  *out = o;
  return 0;
}
