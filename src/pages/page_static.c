/*
** page_static.c: a static page (About, Contact...) at /page/{slug} (see
** pages.h). Pages live under /page/ so that none can ever stand in the
** way of the site's own addresses.
*/
#include "pages.h"
#include "present.h"
#include "store.h"
#include "store_page.h"
#include "view.h"
#include "json.h"

int page_static(ctx *c) {
  cJSON *p = NULL;
  int rc = pages_load(c->db, ctx_param(c, 0), &p);
  if (rc != STORE_OK) return rc > 0 ? 404 : 500;
  response_tag(&c->res, "page", json_long(p, "id"));
  present_page(c->app, p, 1);
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "static", p);
  page_meta meta = {.kind = "static", .title = json_str(p, "title")};
  int st = view_page(c, "page", doc, &meta, 200);
  cJSON_Delete(doc);
  return st;
}
