/*
** admin_site.c: the site screens of the newsroom.
**
**   GET /admin/categories    the categories with their article counts
*/
#include "admin.h"
#include "auth.h"
#include "i18n.h"
#include "store.h"
#include "view.h"

static const char SQL_CATEGORIES[] =
    "SELECT c.id, c.slug, c.name, (SELECT count(*) FROM articles a"
    " WHERE a.category_id = c.id) FROM categories c ORDER BY c.position, c.name";

/* GET /admin/categories */
static void admin_categories_list(ctx *c) {
  if (auth_require(c, ROLE_EDITOR) != 0) return;
  sqlite3_stmt *st = db_prepare(c->db, SQL_CATEGORIES);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, "categories");
  while (sqlite3_step(st) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "slug", db_text(st, 1));
    cJSON_AddStringToObject(o, "name", db_text(st, 2));
    cJSON_AddNumberToObject(o, "articles", (double)sqlite3_column_int64(st, 3));
    cJSON_AddItemToArray(list, o);
  }
  sqlite3_reset(st);
  admin_render(c, "admin_categories", doc, i18n_text(c->app->lang, "admin_categories"), 200);
  cJSON_Delete(doc);
}

const route ADMIN_SITE_ROUTES[] = {
    {"GET", "/admin/categories", admin_categories_list},
};
const size_t ADMIN_SITE_ROUTES_COUNT = sizeof ADMIN_SITE_ROUTES / sizeof ADMIN_SITE_ROUTES[0];

const phrase SITE_PHRASES[] = {
    {"admin_col_name", "Name", "الاسم"},
    {"admin_col_slug", "Slug", "المعرّف"},
    {"admin_col_articles", "Articles", "المقالات"},
};
const size_t SITE_PHRASES_COUNT = sizeof SITE_PHRASES / sizeof SITE_PHRASES[0];
