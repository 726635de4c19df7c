/*
** page_home.c: the home page (see pages.h).
*/
#include <string.h>

#include "pages.h"
#include "store.h"
#include "view.h"

int page_number(ctx *c, long *page) {
  if (request_query_int(&c->req, "page", 1, 1, 100000, page) == 0) return 0;
  view_error(c, 400, NULL);
  return -1;
}

void page_list(ctx *c, const char *name, cJSON *doc, listing *l, const char *base,
               const page_meta *meta) {
  cJSON *articles = cJSON_AddArrayToObject(doc, "articles");
  l->per_page = c->app->per_page;
  if (article_list(c, l, articles) != 0) {
    view_error(c, 500, NULL);
  } else if (l->page > 1 && cJSON_GetArraySize(articles) == 0) {
    view_error(c, 404, NULL);
  } else {
    /* The home page's first page leads with its newest article. */
    if (strcmp(name, "home") == 0 && l->page == 1 && cJSON_GetArraySize(articles) > 0)
      cJSON_AddItemToObject(doc, "lead", cJSON_DetachItemFromArray(articles, 0));
    view_pagination(doc, base, l->page, l->total, l->per_page);
    c->cache_public = 1;
    view_page(c, name, doc, meta);
  }
}

void page_home(ctx *c) {
  listing l = {0};
  if (page_number(c, &l.page) != 0) return;
  cJSON *doc = cJSON_CreateObject();
  page_meta meta = {.kind = "home"};
  page_list(c, "home", doc, &l, "/", &meta);
  cJSON_Delete(doc);
}
