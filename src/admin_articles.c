/*
** admin_articles.c: the article screens of the newsroom.
**
**   GET /admin/articles      the list of articles the user may edit
*/
#include "admin.h"
#include "auth.h"
#include "i18n.h"
#include "store.h"
#include "timefmt.h"
#include "view.h"

static const char SQL_LIST[] =
    "SELECT a.id, a.title, a.status, a.published_at, a.updated_at, u.display_name,"
    " c.name FROM articles a JOIN users u ON u.id = a.author_id"
    " JOIN categories c ON c.id = a.category_id"
    " WHERE ?1 = 0 OR a.author_id = ?1 ORDER BY a.updated_at DESC, a.id DESC LIMIT 50";

/* GET /admin/articles */
static void admin_articles_list(ctx *c) {
  if (auth_require(c, ROLE_AUTHOR) != 0) return;
  sqlite3_stmt *st = db_prepare(c->db, SQL_LIST);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  sqlite3_bind_int64(st, 1, c->user.role >= ROLE_EDITOR ? 0 : c->user.id);
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, "articles");
  buf b = {0};
  while (sqlite3_step(st) == SQLITE_ROW) {
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(a, "title", db_text(st, 1));
    cJSON_AddStringToObject(a, "status", db_text(st, 2));
    buf_reset(&b);
    time_display(&b, (time_t)sqlite3_column_int64(st, 4), c->app->lang);
    cJSON_AddStringToObject(a, "updated_display", buf_str(&b));
    cJSON_AddStringToObject(a, "author", db_text(st, 5));
    cJSON_AddStringToObject(a, "category", db_text(st, 6));
    cJSON_AddItemToArray(list, a);
  }
  sqlite3_reset(st);
  buf_free(&b);
  admin_render(c, "admin_articles", doc, i18n_text(c->app->lang, "admin_articles"), 200);
  cJSON_Delete(doc);
}

const route ADMIN_ARTICLE_ROUTES[] = {
    {"GET", "/admin/articles", admin_articles_list},
};
const size_t ADMIN_ARTICLE_ROUTES_COUNT =
    sizeof ADMIN_ARTICLE_ROUTES / sizeof ADMIN_ARTICLE_ROUTES[0];

const phrase ARTICLE_PHRASES[] = {
    {"admin_col_title", "Title", "العنوان"},
    {"admin_col_status", "Status", "الحالة"},
    {"admin_col_author", "Author", "الكاتب"},
    {"admin_col_category", "Category", "القسم"},
    {"admin_col_updated", "Updated", "آخر تعديل"},
};
const size_t ARTICLE_PHRASES_COUNT = sizeof ARTICLE_PHRASES / sizeof ARTICLE_PHRASES[0];
