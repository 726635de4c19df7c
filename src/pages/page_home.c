/*
** page_home.c: the home page (see pages.h).
*/
#include <string.h>

#include "pages.h"
#include "present.h"
#include "store.h"
#include "view.h"

int page_number(ctx *c, long *page) {
  return request_query_int(&c->req, "page", 1, 1, 100000, page) == 0 ? 0 : 400;
}

int page_list(ctx *c, const char *name, cJSON *doc, listing *l, const char *base,
              const page_meta *meta) {
  cJSON *articles = cJSON_AddArrayToObject(doc, "articles");
  l->per_page = c->app->per_page;
  if (article_list(c->db, c->now, l, articles) != STORE_OK) return 500;
  view_tag_cards(c, articles);
  present_cards(c->app, articles, 0);
  if (l->page > 1 && cJSON_GetArraySize(articles) == 0) return 404;
  /* The home page's first page leads with its newest article, its
  ** picture large. */
  if (strcmp(name, "home") == 0 && l->page == 1 && cJSON_GetArraySize(articles) > 0) {
    cJSON *lead = cJSON_DetachItemFromArray(articles, 0);
    present_lead_picture(lead);
    cJSON_AddItemToObject(doc, "lead", lead);
  }
  present_card_pictures(articles);
  view_pagination(doc, base, l->page, l->total, l->per_page);
  return view_page(c, name, doc, meta, 200);
}

int page_home(ctx *c) {
  listing l = {0};
  int st = page_number(c, &l.page);
  if (st) return st;
  cJSON *doc = cJSON_CreateObject();
  page_meta meta = {.kind = "home"};
  response_tag(&c->res, "home", 0);
  st = page_list(c, "home", doc, &l, "/", &meta);
  cJSON_Delete(doc);
  return st;
}
