/*
** page_home.c: the home page (see pages.h).
*/
#include "pages.h"
#include "store.h"
#include "view.h"

int page_number(ctx *c, long *page) {
  if (request_query_int(&c->req, "page", 1, 1, 100000, page) == 0) return 0;
  view_error(c, 400, NULL);
  return -1;
}

void page_home(ctx *c) {
  long page;
  if (page_number(c, &page) != 0) return;
  cJSON *doc = cJSON_CreateObject();
  cJSON *articles = cJSON_AddArrayToObject(doc, "articles");
  listing l = {.page = page, .per_page = c->app->per_page};
  if (article_list(c, &l, articles) != 0) {
    view_error(c, 500, NULL);
  } else if (page > 1 && cJSON_GetArraySize(articles) == 0) {
    view_error(c, 404, NULL);
  } else {
    /* The first page leads with its newest article. */
    if (page == 1 && cJSON_GetArraySize(articles) > 0)
      cJSON_AddItemToObject(doc, "lead", cJSON_DetachItemFromArray(articles, 0));
    view_pagination(doc, "/", page, l.total, l.per_page);
    page_meta meta = {.kind = "home"};
    c->cache_public = 1;
    view_page(c, "home", doc, &meta);
  }
  cJSON_Delete(doc);
}
