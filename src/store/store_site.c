/*
** store_site.c: the newsroom's reads and writes of the dashboard,
** categories, tags, the comment queue and users (see store_newsroom.h).
*/
#include <string.h>

#include "store_newsroom.h"
#include "json.h"

/* Runs the one-row query st (parameters bound). Returns STORE_OK with the
** row ready (the caller resets st), STORE_NOT_FOUND, or STORE_ERROR; st is
** reset in the latter two cases. */
static int site_row(sqlite3_stmt *st) {
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) return STORE_OK;
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Turns what db_run returned for a write of one known row into a store
** result. */
static int site_written(int changes) {
  return changes == DB_CONSTRAINT ? STORE_TAKEN
         : changes < 0            ? STORE_ERROR
         : changes == 0           ? STORE_NOT_FOUND
                                  : STORE_OK;
}

/* ---- the dashboard ----------------------------------------------------- */

static const char SQL_DASHBOARD[] =
    "SELECT"
    " (SELECT count(*) FROM articles WHERE status = 'draft' AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM articles WHERE status = 'pending' AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM articles WHERE status IN ('published', 'scheduled')"
    "   AND published_at > ?2 AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM articles WHERE status IN ('published', 'scheduled')"
    "   AND published_at <= ?2 AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM comments WHERE status = 'pending')";

int dashboard_counts(db *d, time_t now, long own, dashboard *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_DASHBOARD);
  if (st) {
    sqlite3_bind_int64(st, 1, own);
    sqlite3_bind_int64(st, 2, now);
  }
  int rc = site_row(st);
  if (rc != STORE_OK) return STORE_ERROR;
  long *f[] = {&out->drafts, &out->pending, &out->scheduled, &out->published,
               &out->comments_pending};
  for (int i = 0; i < 5; i++) *f[i] = (long)sqlite3_column_int64(st, i);
  sqlite3_reset(st);
  return STORE_OK;
}

/* ---- categories and tags ----------------------------------------------- */

static const char SQL_CATEGORIES[] =
    "SELECT c.id, c.slug, c.name, c.description, (SELECT count(*) FROM articles a"
    " WHERE a.category_id = c.id), c.parent_id, c.path FROM categories c"
    " ORDER BY c.position, c.name";
static const char SQL_CATEGORY[] =
    "SELECT c.id, c.slug, c.name, c.description, (SELECT count(*) FROM articles a"
    " WHERE a.category_id = c.id), c.parent_id, c.path FROM categories c WHERE c.id = ?1";
static const char SQL_TAGS[] =
    "SELECT t.id, t.slug, t.name, '', (SELECT count(*) FROM article_tags x"
    " WHERE x.tag_id = t.id) FROM tags t ORDER BY t.name, t.id";
static const char SQL_TAG[] =
    "SELECT t.id, t.slug, t.name, '', (SELECT count(*) FROM article_tags x"
    " WHERE x.tag_id = t.id) FROM tags t WHERE t.id = ?1";
static const char SQL_CATEGORY_ADD[] =
    "INSERT INTO categories (slug, name, description, parent_id, position) VALUES (?1, ?2, ?3,"
    " ?4, (SELECT coalesce(max(position), 0) + 1 FROM categories))";
static const char SQL_TAG_ADD[] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)";
static const char SQL_CATEGORY_ID[] = "SELECT id FROM categories WHERE slug = ?1";
static const char SQL_TAG_ID[] = "SELECT id FROM tags WHERE slug = ?1";
static const char SQL_CATEGORY_SET[] =
    "UPDATE categories SET slug = ?2, name = ?3, description = ?4, parent_id = ?5 WHERE id = ?1";
static const char SQL_TAG_SET[] = "UPDATE tags SET slug = ?2, name = ?3 WHERE id = ?1";
static const char SQL_CATEGORY_MOVE[] =
    "UPDATE articles SET category_id = ?2 WHERE category_id = ?1";
/* A deleted section's subsections move up to the section above it. */
static const char SQL_CATEGORY_ORPHANS[] =
    "UPDATE categories SET parent_id = (SELECT parent_id FROM categories WHERE id = ?1)"
    " WHERE parent_id = ?1";
static const char SQL_CATEGORY_DELETE[] = "DELETE FROM categories WHERE id = ?1";
static const char SQL_TAG_DELETE[] = "DELETE FROM tags WHERE id = ?1";
/* Every category's path from its parents' slugs, written where it
** changed. */
static const char SQL_CATEGORY_PATHS[] =
    "WITH RECURSIVE t (id, path, depth) AS ("
    " SELECT id, slug, 1 FROM categories WHERE parent_id IS NULL"
    " UNION ALL SELECT c.id, t.path || '/' || c.slug, t.depth + 1"
    " FROM categories c JOIN t ON c.parent_id = t.id WHERE t.depth < 64)"
    " UPDATE categories SET path = (SELECT path FROM t WHERE t.id = categories.id)"
    " WHERE path IS NOT (SELECT path FROM t WHERE t.id = categories.id)"
    " AND id IN (SELECT id FROM t)";
/* How many levels category ?1 and the sections above it make. */
static const char SQL_CATEGORY_DEPTH[] =
    "WITH RECURSIVE up (id, depth) AS (SELECT ?1, 1"
    " UNION ALL SELECT c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.id"
    " WHERE c.parent_id IS NOT NULL AND up.depth < 64)"
    " SELECT max(depth), max(id = ?2) FROM up";
/* How many levels category ?1 and the subsections under it make. */
static const char SQL_CATEGORY_HEIGHT[] =
    "WITH RECURSIVE down (id, depth) AS (SELECT ?1, 1"
    " UNION ALL SELECT c.id, down.depth + 1 FROM categories c JOIN down ON c.parent_id = down.id"
    " WHERE down.depth < 64)"
    " SELECT max(depth) FROM down";

/* Builds the object of a category or tag from a row of the queries above. */
static cJSON *taxon_row(taxon kind, sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "slug", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  if (kind == TAXON_CATEGORIES) cJSON_AddStringToObject(o, "description", db_text(st, 3));
  cJSON_AddNumberToObject(o, "articles", (double)sqlite3_column_int64(st, 4));
  if (kind == TAXON_CATEGORIES) {
    if (sqlite3_column_type(st, 5) == SQLITE_NULL) cJSON_AddNullToObject(o, "parent_id");
    else cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 5));
    cJSON_AddStringToObject(o, "path", db_text(st, 6));
  }
  return o;
}

/* Moves from flat (categories in the navigation's order) to out those
** under parent (0: the top) and, after each, its own, depth-first, with
** their depth. */
static void category_tree_from(cJSON *flat, long parent, int depth, cJSON *out) {
  for (int i = 0; i < cJSON_GetArraySize(flat);) {
    cJSON *o = cJSON_GetArrayItem(flat, i);
    if ((long)json_num(o, "parent_id") != parent) {
      i++;
      continue;
    }
    cJSON_DetachItemViaPointer(flat, o);
    cJSON_AddNumberToObject(o, "depth", depth);
    cJSON_AddItemToArray(out, o);
    if (depth < 64) category_tree_from(flat, (long)json_num(o, "id"), depth + 1, out);
  }
}

void category_tree(cJSON *flat, cJSON *out) {
  cJSON *o;
  category_tree_from(flat, 0, 0, out);
  /* Whatever no path from the top reaches is listed all the same. */
  while ((o = cJSON_DetachItemFromArray(flat, 0)) != NULL) {
    cJSON_AddNumberToObject(o, "depth", 0);
    cJSON_AddItemToArray(out, o);
  }
}

int taxon_all(db *d, taxon kind, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORIES : SQL_TAGS);
  if (!st) return STORE_ERROR;
  cJSON *flat = kind == TAXON_CATEGORIES ? cJSON_CreateArray() : out;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(flat, taxon_row(kind, st));
  sqlite3_reset(st);
  if (flat != out) {
    category_tree(flat, out);
    cJSON_Delete(flat);
  }
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int taxon_get(db *d, taxon kind, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORY : SQL_TAG);
  if (st) sqlite3_bind_int64(st, 1, id);
  int rc = site_row(st);
  if (rc != STORE_OK) return rc;
  *out = taxon_row(kind, st);
  sqlite3_reset(st);
  return STORE_OK;
}

/* Runs the one-number query sql bound to (a, b) into *v. Returns 0 or -1. */
static int site_number(db *d, const char *sql, long a, long b, long *v) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (st) {
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
  }
  if (site_row(st) != STORE_OK) return -1;
  *v = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return 0;
}

int category_parent_check(db *d, long id, long parent) {
  long depth = 0, under = 0, height = 1;
  if (parent <= 0) return STORE_OK;
  if (parent == id) return STORE_BAD_PARENT;
  sqlite3_stmt *st = db_prepare(d, SQL_CATEGORY_DEPTH);
  if (st) {
    sqlite3_bind_int64(st, 1, parent);
    sqlite3_bind_int64(st, 2, id);
  }
  if (site_row(st) != STORE_OK) return STORE_ERROR;
  depth = (long)sqlite3_column_int64(st, 0);
  under = (long)sqlite3_column_int64(st, 1);
  sqlite3_reset(st);
  cJSON *p = NULL;
  int rc = taxon_get(d, TAXON_CATEGORIES, parent, &p);
  cJSON_Delete(p);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_BAD_PARENT : rc;
  if (id > 0 && site_number(d, SQL_CATEGORY_HEIGHT, id, 0, &height) != 0) return STORE_ERROR;
  return under || depth + height > CATEGORY_MAX_DEPTH ? STORE_BAD_PARENT : STORE_OK;
}

int category_paths_refresh(db *d) {
  sqlite3_stmt *st = db_prepare(d, SQL_CATEGORY_PATHS);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

/* Binds parent to parameter i of st: NULL for none. */
static void bind_parent(sqlite3_stmt *st, int i, long parent) {
  if (parent > 0) sqlite3_bind_int64(st, i, parent);
  else sqlite3_bind_null(st, i);
}

/* Adds or renames (id > 0) a category inside the caller's transaction. */
static int category_write_tx(db *d, long id, const char *slug, const char *name,
                             const char *description, long parent) {
  int rc = category_parent_check(d, id, parent);
  if (rc != STORE_OK) return rc;
  sqlite3_stmt *st = db_prepare(d, id ? SQL_CATEGORY_SET : SQL_CATEGORY_ADD);
  if (!st) return STORE_ERROR;
  int k = id ? 2 : 1;
  if (id) sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, k, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, k + 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, k + 2, description, -1, SQLITE_STATIC);
  bind_parent(st, k + 3, parent);
  rc = site_written(db_run(st));
  return rc == STORE_OK ? category_paths_refresh(d) : rc;
}

/* Runs category_write_tx in a transaction of its own. */
static int category_write(db *d, long id, const char *slug, const char *name,
                          const char *description, long parent) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = category_write_tx(d, id, slug, name, description, parent);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) db_rollback(d);
  return rc;
}

int taxon_add(db *d, taxon kind, const char *slug, const char *name,
              const char *description, long parent) {
  if (kind == TAXON_CATEGORIES) return category_write(d, 0, slug, name, description, parent);
  sqlite3_stmt *st = db_prepare(d, SQL_TAG_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  return site_written(db_run(st));
}

int taxon_find(db *d, taxon kind, const char *slug, long *id) {
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORY_ID : SQL_TAG_ID);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int taxon_rename(db *d, taxon kind, long id, const char *slug, const char *name,
                 const char *description, long parent) {
  if (kind == TAXON_CATEGORIES) return category_write(d, id, slug, name, description, parent);
  sqlite3_stmt *st = db_prepare(d, SQL_TAG_SET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
  return site_written(db_run(st));
}

/* Runs sql bound to (id[, other]) in the caller's transaction. Returns
** what db_run returns. */
static int site_step(db *d, const char *sql, long id, long other) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  if (other > 0) sqlite3_bind_int64(st, 2, other);
  return db_run(st);
}

/* Deletes category id inside the caller's transaction (see
** category_delete). */
static int category_delete_tx(db *d, long id, long move_to) {
  cJSON *self = NULL, *to = NULL;
  int rc = taxon_get(d, TAXON_CATEGORIES, id, &self);
  if (rc != STORE_OK) return rc;
  int count = json_long(self, "articles");
  cJSON_Delete(self);
  if (count > 0) {
    if (move_to == id || move_to <= 0) return STORE_IN_USE;
    rc = taxon_get(d, TAXON_CATEGORIES, move_to, &to);
    cJSON_Delete(to);
    if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_IN_USE : rc;
    if (site_step(d, SQL_CATEGORY_MOVE, id, move_to) < 0) return STORE_ERROR;
  }
  if (site_step(d, SQL_CATEGORY_ORPHANS, id, 0) < 0) return STORE_ERROR;
  rc = site_written(site_step(d, SQL_CATEGORY_DELETE, id, 0));
  return rc == STORE_OK ? category_paths_refresh(d) : rc;
}

int category_delete(db *d, long id, long move_to) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = category_delete_tx(d, id, move_to);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) db_rollback(d);
  return rc;
}

int tag_delete(db *d, long id) {
  return site_written(site_step(d, SQL_TAG_DELETE, id, 0));
}

/* ---- the comment queue ------------------------------------------------- */

const char *const COMMENT_STATUSES[4] = {"pending", "approved", "spam", "trash"};

static const char SQL_COUNTS[] = "SELECT status, count(*) FROM comments GROUP BY status";
static const char SQL_QUEUE[] =
    "SELECT m.id, m.author_name, m.author_email, m.created_at, m.body, a.title,"
    " a.slug, a.lang, coalesce(p.author_name, ''), coalesce(substr(p.body, 1, 300), ''),"
    " coalesce(p.id, 0), m.staff_id IS NOT NULL"
    " FROM comments m JOIN articles a ON a.id = m.article_id"
    " LEFT JOIN comments p ON p.id = m.parent_id"
    " WHERE m.status = ?1 ORDER BY m.created_at DESC, m.id DESC LIMIT ?2 OFFSET ?3";

int comment_counts(db *d, long counts[4]) {
  sqlite3_stmt *st = db_prepare(d, SQL_COUNTS);
  if (!st) return STORE_ERROR;
  memset(counts, 0, 4 * sizeof counts[0]);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW)
    for (int i = 0; i < 4; i++)
      if (strcmp(db_text(st, 0), COMMENT_STATUSES[i]) == 0)
        counts[i] = (long)sqlite3_column_int64(st, 1);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int comment_queue(db *d, const char *status, long page, long per_page, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_QUEUE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, per_page);
  sqlite3_bind_int64(st, 3, (page - 1) * per_page);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "author_name", db_text(st, 1));
    cJSON_AddStringToObject(o, "author_email", db_text(st, 2));
    cJSON_AddNumberToObject(o, "created_at", (double)sqlite3_column_int64(st, 3));
    cJSON_AddStringToObject(o, "body", db_text(st, 4));
    if (sqlite3_column_int64(st, 10)) {
      cJSON *p = cJSON_AddObjectToObject(o, "parent");
      cJSON_AddNumberToObject(p, "id", (double)sqlite3_column_int64(st, 10));
      cJSON_AddStringToObject(p, "author_name", db_text(st, 8));
      cJSON_AddStringToObject(p, "body", db_text(st, 9));
    }
    cJSON_AddBoolToObject(o, "staff", sqlite3_column_int(st, 11));
    cJSON *a = cJSON_AddObjectToObject(o, "article");
    cJSON_AddStringToObject(a, "title", db_text(st, 5));
    cJSON_AddStringToObject(a, "slug", db_text(st, 6));
    cJSON_AddStringToObject(a, "lang", db_text(st, 7));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static const char SQL_IN_TRASH[] = "SELECT status = 'trash' FROM comments WHERE id = ?1";

int comment_moderate_many(db *d, const long *ids, size_t n, const char *status,
                          long *changed) {
  *changed = 0;
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = STORE_OK;
  for (size_t i = 0; i < n && rc >= 0; i++) {
    if (!status) {
      /* Deleting for good is for what is already in the trash. */
      sqlite3_stmt *st = db_prepare(d, SQL_IN_TRASH);
      if (st) sqlite3_bind_int64(st, 1, ids[i]);
      rc = site_row(st);
      int trash = rc == STORE_OK && sqlite3_column_int(st, 0);
      if (rc == STORE_OK) sqlite3_reset(st);
      if (rc < 0) break;
      if (!trash) continue;
    }
    rc = comment_change_tx(d, ids[i], status);
    if (rc == STORE_OK) ++*changed;
  }
  if (rc >= 0 && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc < 0) {
    db_rollback(d);
    *changed = 0;
    return STORE_ERROR;
  }
  return STORE_OK;
}

/* ---- users ------------------------------------------------------------- */

static const char SQL_USERS[] =
    "SELECT id, username, display_name, role, disabled FROM users ORDER BY username";
static const char SQL_USER[] =
    "SELECT id, username, display_name, role, disabled FROM users WHERE id = ?1";
static const char SQL_USER_ROLE[] =
    "UPDATE users SET role = ?2 WHERE id = ?1 AND (?2 = 'admin' OR"
    " (SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"
    "  AND id <> ?1) > 0)";
static const char SQL_USER_ENABLE[] = "UPDATE users SET disabled = 0 WHERE id = ?1";

/* Builds a user object from a SQL_USERS row. */
static cJSON *user_row(sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "username", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  cJSON_AddStringToObject(o, "role", db_text(st, 3));
  cJSON_AddBoolToObject(o, "disabled", sqlite3_column_int(st, 4) != 0);
  return o;
}

int user_all(db *d, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_USERS);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, user_row(st));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int user_get(db *d, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_USER);
  if (st) sqlite3_bind_int64(st, 1, id);
  int rc = site_row(st);
  if (rc != STORE_OK) return rc;
  *out = user_row(st);
  sqlite3_reset(st);
  return STORE_OK;
}

int user_set_role(db *d, long id, const char *role) {
  sqlite3_stmt *st = db_prepare(d, SQL_USER_ROLE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
  int rc = site_written(db_run(st));
  if (rc != STORE_NOT_FOUND) return rc;
  cJSON *u = NULL;
  rc = user_get(d, id, &u);
  cJSON_Delete(u);
  return rc == STORE_OK ? STORE_LAST_ADMIN : rc;
}

int user_enable(db *d, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_USER_ENABLE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  return site_written(db_run(st));
}
