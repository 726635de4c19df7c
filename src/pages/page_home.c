/*
** page_home.c: the home page (see pages.h).
*/
#include <string.h>

#include "json.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "view.h"

int page_number(ctx *c, long *page) {
  return request_query_int(&c->req, "page", 1, 1, 100000, page) == 0 ? 0 : 400;
}

/* The home page's first page leads with the newest featured article (out
** of the list when it is on this page, else before it), or else with its
** newest article; the lead's picture is large. Returns 0 or -1. */
static int home_lead(ctx *c, cJSON *doc, cJSON *articles) {
  cJSON *featured = cJSON_CreateArray();
  if (article_featured(c->db, c->now, featured) != STORE_OK) {
    cJSON_Delete(featured);
    return -1;
  }
  cJSON *lead = NULL, *x;
  if (cJSON_GetArraySize(featured) > 0) {
    double id = json_num(cJSON_GetArrayItem(featured, 0), "id");
    cJSON_ArrayForEach(x, articles) {
      if (json_num(x, "id") == id) break;
    }
    if (x) {
      lead = cJSON_DetachItemViaPointer(articles, x);
    } else {
      view_tag_cards(c, featured);
      present_cards(c->app, featured, 0);
      lead = cJSON_DetachItemFromArray(featured, 0);
    }
  } else if (cJSON_GetArraySize(articles) > 0) {
    lead = cJSON_DetachItemFromArray(articles, 0);
  }
  cJSON_Delete(featured);
  if (lead) {
    present_lead_picture(lead);
    cJSON_AddItemToObject(doc, "lead", lead);
  }
  return 0;
}

int page_list(ctx *c, const char *name, cJSON *doc, listing *l, const char *base,
              const page_meta *meta) {
  cJSON *articles = cJSON_AddArrayToObject(doc, "articles");
  l->per_page = c->app->per_page;
  if (article_list(c->db, c->now, l, articles) != STORE_OK) return 500;
  view_tag_cards(c, articles);
  present_cards(c->app, articles, 0);
  if (l->page > 1 && cJSON_GetArraySize(articles) == 0) return 404;
  if (strcmp(name, "home") == 0 && l->page == 1 && home_lead(c, doc, articles) != 0) return 500;
  present_card_pictures(articles);
  view_pagination(doc, base, l->page, l->total, l->per_page);
  return view_page(c, name, doc, meta, 200);
}

int page_home(ctx *c) {
  listing l = {0};
  int st = legacy_query_or_reply(c);
  if (st) return st;
  st = page_number(c, &l.page);
  if (st) return st;
  cJSON *doc = cJSON_CreateObject();
  page_meta meta = {.kind = "home"};
  response_tag(&c->res, "home", 0);
  st = page_list(c, "home", doc, &l, "/", &meta);
  cJSON_Delete(doc);
  return st;
}
