/*
** admin_site.c: the site screens of the newsroom: categories and tags
** here, with the helpers, the route table and the strings of all the site
** screens (see admin_site.h).
**
**   GET  /admin/categories                 the categories, a form to add one
**   POST /admin/categories                 add a category
**   GET  /admin/categories/{id}            rename it, or delete it
**   POST /admin/categories/{id}            rename (name, slug, description)
**   POST /admin/categories/{id}/delete     delete, moving its articles first
**   GET  /admin/tags                       the tags, a form to add one
**   POST /admin/tags                       add a tag
**   GET  /admin/tags/{id}                  rename it, or delete it
**   POST /admin/tags/{id}                  rename (name, slug)
**   POST /admin/tags/{id}/delete           delete (its articles stay)
**   GET  /admin/comments, POST /admin/comments, POST /admin/comments/{id}
**                                          moderation (admin_moderation.c)
**   /admin/users...                        users (admin_users.c)
**   GET/POST /admin/settings               settings (admin_settings.c)
*/
#include "admin_site.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "i18n.h"
#include "slug.h"
#include "store.h"
#include "utf8.h"
#include "view.h"

enum { NAME_MAX_CHARS = 100, SLUG_MAX_BYTES = 80, DESCRIPTION_MAX_CHARS = 1000 };

/* ---- helpers shared by the site screens -------------------------------- */

int site_field(ctx *c, const char *key, buf *out) {
  buf v = {0};
  int rc = request_form(&c->req, key, &v);
  const char *s = buf_str(&v);
  size_t n = v.len;
  while (n > 0 && isspace((unsigned char)*s)) s++, n--;
  while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
  buf_reset(out);
  buf_append(out, s, n);
  buf_free(&v);
  return rc;
}

long site_id(ctx *c) {
  const char *p = ctx_param(c, 0);
  size_t n = strlen(p);
  if (n == 0 || n > 15 || strspn(p, "0123456789") != n || p[0] == '0') return 0;
  return strtol(p, NULL, 10);
}

const char *site_text(ctx *c, const char *key) { return ctx_text(c, key); }

void site_done(ctx *c, cJSON *doc, const char *const *pairs) {
  buf v = {0};
  if (request_query(&c->req, "done", &v) == 1)
    for (size_t i = 0; pairs[i] && pairs[i + 1]; i += 2)
      if (strcmp(buf_str(&v), pairs[i]) == 0)
        cJSON_AddStringToObject(doc, "done", site_text(c, pairs[i + 1]));
  buf_free(&v);
}

void site_show(ctx *c, const char *tpl, cJSON *doc, const char *title_key, int status) {
  admin_render(c, tpl, doc, site_text(c, title_key), status);
  cJSON_Delete(doc);
}

/* Runs the prepared write st. Returns 0 when done, 1 when a uniqueness or
** foreign-key rule refused it, -1 on any other error. */
static int site_write(sqlite3_stmt *st) {
  if (!st) return -1;
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) return 0;
  return (rc & 0xff) == SQLITE_CONSTRAINT ? 1 : -1;
}

/* ---- the category and tag forms --------------------------------------- */

/* A category or tag form as typed, and the slug made from it. */
typedef struct taxon_form {
  buf name, slug, description, made;
} taxon_form;

/* Frees the form's buffers. */
static void taxon_form_free(taxon_form *f) {
  buf_free(&f->name);
  buf_free(&f->slug);
  buf_free(&f->description);
  buf_free(&f->made);
}

/* Reads and checks the posted form into f (the slug made from the slug
** field, or else from the name, into f->made). Returns NULL when it is
** acceptable, else the string key of what is wrong. */
static const char *taxon_form_read(ctx *c, taxon_form *f) {
  int bad = site_field(c, "name", &f->name) < 0;
  bad |= site_field(c, "slug", &f->slug) < 0;
  bad |= site_field(c, "description", &f->description) < 0;
  if (bad) return "site_form_bad";
  if (f->name.len == 0) return "site_name_needed";
  if (utf8_length(f->name.data, f->name.len) > NAME_MAX_CHARS) return "site_name_long";
  if (f->description.len &&
      utf8_length(f->description.data, f->description.len) > DESCRIPTION_MAX_CHARS)
    return "site_description_long";
  slug_make(&f->made, f->slug.len ? buf_str(&f->slug) : buf_str(&f->name), SLUG_MAX_BYTES);
  return f->made.len ? NULL : "site_slug_needed";
}

/* Adds the form as typed, with the error (a string key) when there is one. */
static void taxon_form_add(ctx *c, cJSON *doc, const char *key, const taxon_form *f,
                           const char *error) {
  cJSON *o = cJSON_AddObjectToObject(doc, key);
  cJSON_AddStringToObject(o, "name", buf_str(&f->name));
  cJSON_AddStringToObject(o, "slug", buf_str(&f->slug));
  cJSON_AddStringToObject(o, "description", buf_str(&f->description));
  if (error) cJSON_AddStringToObject(o, "error", site_text(c, error));
}

/* Shows a category or tag form again after a refused post: the list's
** add form when id is 0, else the item's page. */
typedef void (*taxon_again)(ctx *c, long id, const taxon_form *f, const char *why);

/* Runs the add (id 0) or rename (id > 0) statement sql for the form f,
** binding [id,] slug, name[, description when described]. Returns what
** site_write returns and sets *why when the slug is taken. */
static int taxon_write(ctx *c, const char *sql, long id, const taxon_form *f,
                       int described, const char **why) {
  sqlite3_stmt *st = db_prepare(c->db, sql);
  int n = 1;
  if (st) {
    if (id) sqlite3_bind_int64(st, n++, id);
    sqlite3_bind_text(st, n++, buf_str(&f->made), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, n++, buf_str(&f->name), -1, SQLITE_STATIC);
    if (described) sqlite3_bind_text(st, n, buf_str(&f->description), -1, SQLITE_STATIC);
  }
  int rc = site_write(st);
  if (rc == 1) *why = "site_slug_taken";
  return rc;
}

/* Handles a posted add (id 0) or rename (id > 0; site_id gave 0 for a
** malformed one, which is answered 404) of a category or tag: reads and
** checks the form, writes it with sql, and answers 303 to done, the form
** again with the reason (400), 404 or 500. */
static void taxon_post(ctx *c, long id, int renaming, const char *sql, int described,
                       taxon_again again, const char *done) {
  taxon_form f = {0};
  const char *why = taxon_form_read(c, &f);
  int rc = -1;
  if (renaming && !id) {
    view_error(c, 404, NULL);
    taxon_form_free(&f);
    return;
  }
  if (!why) rc = taxon_write(c, sql, id, &f, described, &why);
  if (why) again(c, id, &f, why);
  else if (rc == 0 && id && sqlite3_changes(c->db->h) == 0) view_error(c, 404, NULL);
  else if (rc == 0) admin_redirect(c, done);
  else view_error(c, 500, NULL);
  taxon_form_free(&f);
}

/* ---- categories -------------------------------------------------------- */

static const char SQL_CATEGORIES[] =
    "SELECT c.id, c.slug, c.name, c.description, (SELECT count(*) FROM articles a"
    " WHERE a.category_id = c.id) FROM categories c ORDER BY c.position, c.name";
static const char SQL_CATEGORY_ADD[] =
    "INSERT INTO categories (slug, name, description, position) VALUES (?1, ?2, ?3,"
    " (SELECT coalesce(max(position), 0) + 1 FROM categories))";
static const char SQL_CATEGORY_SET[] =
    "UPDATE categories SET slug = ?2, name = ?3, description = ?4 WHERE id = ?1";
static const char SQL_CATEGORY_MOVE[] =
    "UPDATE articles SET category_id = ?2 WHERE category_id = ?1";
static const char SQL_CATEGORY_DELETE[] = "DELETE FROM categories WHERE id = ?1";

/* Builds the list of categories; sets *self (a copy of category id's
** entry, with its article count) when id is given and found. Returns the
** array, or NULL on a database error. */
static cJSON *category_list(ctx *c, long id, cJSON **self) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_CATEGORIES);
  if (!st) return NULL;
  cJSON *list = cJSON_CreateArray();
  buf url = {0};
  while (sqlite3_step(st) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    long cid = (long)sqlite3_column_int64(st, 0);
    cJSON_AddNumberToObject(o, "id", (double)cid);
    cJSON_AddStringToObject(o, "slug", db_text(st, 1));
    cJSON_AddStringToObject(o, "name", db_text(st, 2));
    cJSON_AddStringToObject(o, "description", db_text(st, 3));
    cJSON_AddNumberToObject(o, "articles", (double)sqlite3_column_int64(st, 4));
    buf_reset(&url);
    store_url(&url, "/category/", db_text(st, 1));
    cJSON_AddStringToObject(o, "url", buf_str(&url));
    if (cid != id) cJSON_AddItemToArray(list, o);
    else if (self) *self = o;
    else cJSON_Delete(o);
  }
  sqlite3_reset(st);
  buf_free(&url);
  return list;
}

static const char *const CATEGORY_DONE[] = {"added", "site_category_added", "saved",
                                            "site_saved", "deleted",
                                            "site_category_deleted", NULL};

/* Shows the categories with the add form (as typed, with error). */
static void categories_show(ctx *c, const taxon_form *f, const char *error, int status) {
  cJSON *list = category_list(c, 0, NULL);
  if (!list) {
    view_error(c, 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "categories", list);
  taxon_form_add(c, doc, "form", f, error);
  site_done(c, doc, CATEGORY_DONE);
  site_show(c, "admin_categories", doc, "admin_categories", status);
}

/* GET /admin/categories */
static void admin_categories_list(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  taxon_form f = {0};
  categories_show(c, &f, NULL, 200);
}

/* Shows category id's page: the rename form (as typed when f is given)
** and the delete form, with the errors (string keys) when there are. */
static void category_show(ctx *c, long id, const taxon_form *f, const char *error,
                          const char *delete_error, int status) {
  cJSON *self = NULL;
  cJSON *others = category_list(c, id, &self);
  if (!others || !self) {
    cJSON_Delete(others);
    view_error(c, others ? 404 : 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "category", self);
  cJSON_AddItemToObject(doc, "others", others);
  cJSON_AddBoolToObject(doc, "has_articles", cJSON_GetObjectItem(self, "articles")->valueint > 0);
  cJSON_AddBoolToObject(doc, "has_others", cJSON_GetArraySize(others) > 0);
  if (f) {
    taxon_form_add(c, doc, "form", f, error);
  } else {
    cJSON *o = cJSON_AddObjectToObject(doc, "form");
    static const char *const keys[] = {"name", "slug", "description"};
    for (int i = 0; i < 3; i++)
      cJSON_AddStringToObject(o, keys[i], cJSON_GetObjectItem(self, keys[i])->valuestring);
  }
  if (delete_error) cJSON_AddStringToObject(doc, "delete_error", site_text(c, delete_error));
  site_done(c, doc, CATEGORY_DONE);
  site_show(c, "admin_site_category", doc, "site_category_edit", status);
}

/* GET /admin/categories/{id} */
static void admin_category_page(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  long id = site_id(c);
  if (!id) view_error(c, 404, NULL);
  else category_show(c, id, NULL, NULL, NULL, 200);
}

/* Shows the categories' add form, or category id's page, again. */
static void category_again(ctx *c, long id, const taxon_form *f, const char *why) {
  if (id) category_show(c, id, f, why, NULL, 400);
  else categories_show(c, f, why, 400);
}

/* POST /admin/categories: name, slug (may be empty), description. */
static void admin_categories_add(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  taxon_post(c, 0, 0, SQL_CATEGORY_ADD, 1, category_again,
             "/admin/categories?done=added");
}

/* POST /admin/categories/{id}: name, slug, description. */
static void admin_category_save(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  taxon_post(c, site_id(c), 1, SQL_CATEGORY_SET, 1, category_again,
             "/admin/categories?done=saved");
}

/* Runs st bound to (id, other when other > 0) as a step of the caller's
** transaction. Returns what site_write returns. */
static int category_step(ctx *c, const char *sql, long id, long other) {
  sqlite3_stmt *st = db_prepare(c->db, sql);
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    if (other > 0) sqlite3_bind_int64(st, 2, other);
  }
  return site_write(st);
}

/* Deletes category id in one transaction, first moving its articles to
** category to (needed when it has any). Returns 0, 1 when there is no such
** category, a string key saying why not (as 2 with *why set), or -1. */
static int category_delete(ctx *c, long id, long to, const char **why) {
  cJSON *self = NULL;
  if (db_begin(c->db) != 0) return -1;
  cJSON *others = category_list(c, id, &self);
  int rc = !others ? -1 : !self ? 1 : 0;
  int count = self ? cJSON_GetObjectItem(self, "articles")->valueint : 0;
  if (rc == 0 && count > 0 && (to <= 0 || to == id)) *why = "site_category_move_needed";
  if (rc == 0 && !*why && count > 0) {
    rc = category_step(c, SQL_CATEGORY_MOVE, id, to);
    if (rc == 1) *why = "site_category_move_needed";
  }
  if (rc == 0 && !*why) rc = category_step(c, SQL_CATEGORY_DELETE, id, 0);
  if (*why && rc >= 0) rc = 2;
  if (rc == 0 && db_commit(c->db) != 0) rc = -1;
  if (rc != 0) db_rollback(c->db);
  cJSON_Delete(others);
  cJSON_Delete(self);
  return rc;
}

/* POST /admin/categories/{id}/delete: move_to, the category that takes its
** articles. */
static void admin_category_delete(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  long id = site_id(c), to = 0;
  buf v = {0};
  if (site_field(c, "move_to", &v) == 1 && v.len && v.len < 16 &&
      strspn(buf_str(&v), "0123456789") == v.len)
    to = strtol(buf_str(&v), NULL, 10);
  buf_free(&v);
  const char *why = NULL;
  int rc = id ? category_delete(c, id, to, &why) : 1;
  if (rc == 0) admin_redirect(c, "/admin/categories?done=deleted");
  else if (rc == 1) view_error(c, 404, NULL);
  else if (rc == 2) category_show(c, id, NULL, NULL, why, 400);
  else view_error(c, 500, NULL);
}

/* ---- tags -------------------------------------------------------------- */

static const char SQL_TAGS[] =
    "SELECT t.id, t.slug, t.name, (SELECT count(*) FROM article_tags x"
    " WHERE x.tag_id = t.id) FROM tags t ORDER BY t.name, t.id";
static const char SQL_TAG_ONE[] =
    "SELECT t.id, t.slug, t.name, (SELECT count(*) FROM article_tags x"
    " WHERE x.tag_id = t.id) FROM tags t WHERE t.id = ?1";
static const char SQL_TAG_ADD[] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)";
static const char SQL_TAG_SET[] = "UPDATE tags SET slug = ?2, name = ?3 WHERE id = ?1";
static const char SQL_TAG_DELETE[] = "DELETE FROM tags WHERE id = ?1";

/* Builds a tag object from a SQL_TAGS row. */
static cJSON *tag_from_row(sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  buf url = {0};
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "slug", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  cJSON_AddNumberToObject(o, "articles", (double)sqlite3_column_int64(st, 3));
  store_url(&url, "/tag/", db_text(st, 1));
  cJSON_AddStringToObject(o, "url", buf_str(&url));
  buf_free(&url);
  return o;
}

static const char *const TAG_DONE[] = {"added", "site_tag_added", "saved", "site_saved",
                                       "deleted", "site_tag_deleted", NULL};

/* Shows the tags with the add form (as typed, with error). */
static void tags_show(ctx *c, const taxon_form *f, const char *error, int status) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_TAGS);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, "tags");
  while (sqlite3_step(st) == SQLITE_ROW) cJSON_AddItemToArray(list, tag_from_row(st));
  sqlite3_reset(st);
  taxon_form_add(c, doc, "form", f, error);
  site_done(c, doc, TAG_DONE);
  site_show(c, "admin_tags", doc, "admin_tags", status);
}

/* GET /admin/tags */
static void admin_tags_list(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  taxon_form f = {0};
  tags_show(c, &f, NULL, 200);
}

/* Shows tag id's page: the rename form (as typed when f is given, with
** error) and the delete form. */
static void tag_show(ctx *c, long id, const taxon_form *f, const char *error, int status) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_TAG_ONE);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  sqlite3_bind_int64(st, 1, id);
  cJSON *tag = sqlite3_step(st) == SQLITE_ROW ? tag_from_row(st) : NULL;
  sqlite3_reset(st);
  if (!tag) {
    view_error(c, 404, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "tag", tag);
  if (f) {
    taxon_form_add(c, doc, "form", f, error);
  } else {
    cJSON *o = cJSON_AddObjectToObject(doc, "form");
    cJSON_AddStringToObject(o, "name", cJSON_GetObjectItem(tag, "name")->valuestring);
    cJSON_AddStringToObject(o, "slug", cJSON_GetObjectItem(tag, "slug")->valuestring);
  }
  site_show(c, "admin_site_tag", doc, "site_tag_edit", status);
}

/* GET /admin/tags/{id} */
static void admin_tag_page(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  long id = site_id(c);
  if (!id) view_error(c, 404, NULL);
  else tag_show(c, id, NULL, NULL, 200);
}

/* Shows the tags' add form, or tag id's page, again. */
static void tag_again(ctx *c, long id, const taxon_form *f, const char *why) {
  if (id) tag_show(c, id, f, why, 400);
  else tags_show(c, f, why, 400);
}

/* POST /admin/tags: name, slug (may be empty). */
static void admin_tags_add(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  taxon_post(c, 0, 0, SQL_TAG_ADD, 0, tag_again, "/admin/tags?done=added");
}

/* POST /admin/tags/{id}: name, slug. */
static void admin_tag_save(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  taxon_post(c, site_id(c), 1, SQL_TAG_SET, 0, tag_again, "/admin/tags?done=saved");
}

/* POST /admin/tags/{id}/delete: the tag goes, and with it its links to
** articles (the articles stay). */
static void admin_tag_delete(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  long id = site_id(c);
  sqlite3_stmt *st = id ? db_prepare(c->db, SQL_TAG_DELETE) : NULL;
  if (st) sqlite3_bind_int64(st, 1, id);
  int rc = id ? site_write(st) : 1;
  if (rc == 0 && sqlite3_changes(c->db->h) > 0) admin_redirect(c, "/admin/tags?done=deleted");
  else if (rc >= 0) view_error(c, 404, NULL);
  else view_error(c, 500, NULL);
}

/* ---- the table --------------------------------------------------------- */

const route ADMIN_SITE_ROUTES[] = {
    {"GET", "/admin/categories", admin_categories_list},
    {"POST", "/admin/categories", admin_categories_add},
    {"GET", "/admin/categories/{id}", admin_category_page},
    {"POST", "/admin/categories/{id}", admin_category_save},
    {"POST", "/admin/categories/{id}/delete", admin_category_delete},
    {"GET", "/admin/tags", admin_tags_list},
    {"POST", "/admin/tags", admin_tags_add},
    {"GET", "/admin/tags/{id}", admin_tag_page},
    {"POST", "/admin/tags/{id}", admin_tag_save},
    {"POST", "/admin/tags/{id}/delete", admin_tag_delete},
    {"GET", "/admin/comments", admin_comments_list},
    {"POST", "/admin/comments", admin_comments_bulk},
    {"POST", "/admin/comments/{id}", admin_comments_one},
    {"GET", "/admin/users", admin_users_list},
    {"POST", "/admin/users", admin_users_add},
    {"GET", "/admin/users/{id}", admin_user_page},
    {"POST", "/admin/users/{id}/role", admin_user_role},
    {"POST", "/admin/users/{id}/state", admin_user_state},
    {"POST", "/admin/users/{id}/password", admin_user_password},
    {"GET", "/admin/settings", admin_settings_page},
    {"POST", "/admin/settings", admin_settings_save},
};
const size_t ADMIN_SITE_ROUTES_COUNT = sizeof ADMIN_SITE_ROUTES / sizeof ADMIN_SITE_ROUTES[0];
