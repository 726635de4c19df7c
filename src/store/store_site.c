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
    " WHERE a.category_id = c.id) FROM categories c ORDER BY c.position, c.name";
static const char SQL_CATEGORY[] =
    "SELECT c.id, c.slug, c.name, c.description, (SELECT count(*) FROM articles a"
    " WHERE a.category_id = c.id) FROM categories c WHERE c.id = ?1";
static const char SQL_TAGS[] =
    "SELECT t.id, t.slug, t.name, '', (SELECT count(*) FROM article_tags x"
    " WHERE x.tag_id = t.id) FROM tags t ORDER BY t.name, t.id";
static const char SQL_TAG[] =
    "SELECT t.id, t.slug, t.name, '', (SELECT count(*) FROM article_tags x"
    " WHERE x.tag_id = t.id) FROM tags t WHERE t.id = ?1";
static const char SQL_CATEGORY_ADD[] =
    "INSERT INTO categories (slug, name, description, position) VALUES (?1, ?2, ?3,"
    " (SELECT coalesce(max(position), 0) + 1 FROM categories))";
static const char SQL_TAG_ADD[] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)";
static const char SQL_CATEGORY_ID[] = "SELECT id FROM categories WHERE slug = ?1";
static const char SQL_TAG_ID[] = "SELECT id FROM tags WHERE slug = ?1";
static const char SQL_CATEGORY_SET[] =
    "UPDATE categories SET slug = ?2, name = ?3, description = ?4 WHERE id = ?1";
static const char SQL_TAG_SET[] = "UPDATE tags SET slug = ?2, name = ?3 WHERE id = ?1";
static const char SQL_CATEGORY_MOVE[] =
    "UPDATE articles SET category_id = ?2 WHERE category_id = ?1";
static const char SQL_CATEGORY_DELETE[] = "DELETE FROM categories WHERE id = ?1";
static const char SQL_TAG_DELETE[] = "DELETE FROM tags WHERE id = ?1";

/* Builds the object of a category or tag from a row of the queries above. */
static cJSON *taxon_row(taxon kind, sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "slug", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  if (kind == TAXON_CATEGORIES) cJSON_AddStringToObject(o, "description", db_text(st, 3));
  cJSON_AddNumberToObject(o, "articles", (double)sqlite3_column_int64(st, 4));
  return o;
}

int taxon_all(db *d, taxon kind, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORIES : SQL_TAGS);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, taxon_row(kind, st));
  sqlite3_reset(st);
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

int taxon_add(db *d, taxon kind, const char *slug, const char *name,
              const char *description) {
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORY_ADD : SQL_TAG_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  if (kind == TAXON_CATEGORIES) sqlite3_bind_text(st, 3, description, -1, SQLITE_STATIC);
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
                 const char *description) {
  sqlite3_stmt *st = db_prepare(d, kind == TAXON_CATEGORIES ? SQL_CATEGORY_SET : SQL_TAG_SET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
  if (kind == TAXON_CATEGORIES) sqlite3_bind_text(st, 4, description, -1, SQLITE_STATIC);
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
  return site_written(site_step(d, SQL_CATEGORY_DELETE, id, 0));
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
    " a.slug, a.lang FROM comments m JOIN articles a ON a.id = m.article_id"
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
