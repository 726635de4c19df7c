/*
** view.c: page rendering and error answers (see view.h).
*/
#include "view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "feeds.h"
#include "i18n.h"
#include "jsonld.h"
#include "mustache.h"
#include "present.h"
#include "social.h"
#include "store.h"
#include "store_page.h"
#include "json.h"

/* Adds the page's canonical address to page: the address of its own page
** of a listing (doc's pagination), else meta's canonical path, else the
** path asked for; and prev and next, the
** listing's neighbours. */
static void view_canonical(ctx *c, cJSON *page, const cJSON *doc, const page_meta *meta) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(doc, "pagination");
  buf b = {0};
  buf_puts(&b, c->app->base_url);
  if (p) buf_puts(&b, json_str(p, "url"));
  else if (meta->canonical) buf_puts(&b, meta->canonical);
  else buf_append(&b, c->req.raw_path, c->req.raw_path_len);
  cJSON_AddStringToObject(page, "canonical", buf_str(&b));
  static const char *const near[][2] = {{"prev_url", "prev"}, {"next_url", "next"}};
  for (int i = 0; p && i < 2; i++) {
    const char *url = json_str(p, near[i][0]);
    if (!*url) continue;
    buf_reset(&b);
    buf_printf(&b, "%s%s", c->app->base_url, url);
    cJSON_AddStringToObject(page, near[i][1], buf_str(&b));
  }
  buf_free(&b);
}

/* Adds the page's structured data to page as "jsonld": JSON escaped for a
** script element, when it has any. */
static void view_jsonld(ctx *c, cJSON *page, const page_meta *meta) {
  cJSON *ld = jsonld_page(c->app, meta, json_str(page, "canonical"));
  if (!ld) return;
  char *json = cJSON_PrintUnformatted(ld);
  buf b = {0};
  escape_json_script(&b, json, strlen(json));
  cJSON_AddStringToObject(page, "jsonld", buf_str(&b));
  buf_free(&b);
  cJSON_free(json);
  cJSON_Delete(ld);
}

/* Adds {title, description, canonical, prev, next, kind, noindex, feeds,
** og, twitter, jsonld} as "page". */
static void view_meta(ctx *c, cJSON *doc, const page_meta *meta) {
  cJSON *page = cJSON_AddObjectToObject(doc, "page");
  const char *site = json_str(c->app->site, "name");
  buf b = {0};
  if (meta->title && *meta->title)
    buf_printf(&b, "%s — %s", meta->title, site);
  else
    buf_puts(&b, site);
  cJSON_AddStringToObject(page, "title", buf_str(&b));
  buf_reset(&b);
  const char *desc = meta->description && *meta->description
                         ? meta->description
                         : json_str(c->app->site, "tagline");
  cJSON_AddStringToObject(page, "description", desc);
  view_canonical(c, page, doc, meta);
  cJSON_AddStringToObject(page, "kind", meta->kind);
  cJSON_AddBoolToObject(page, "noindex", meta->noindex);
  cJSON_AddItemToObject(page, "feeds", feeds_links(c->app, meta));
  if (strcmp(meta->kind, "error") != 0) social_cards(c->app, page, meta);
  view_jsonld(c, page, meta);
  buf_free(&b);
}

/* Gives the section o of the navigation its url and marks it: current
** when it is the page's section (path current), within when the page's
** section is under it. */
static void nav_mark(cJSON *o, const char *current) {
  const char *path = json_str(o, "path");
  size_t n = strlen(path);
  int here = current && strcmp(current, path) == 0;
  present_category(o);
  cJSON_AddBoolToObject(o, "current", here);
  cJSON_AddBoolToObject(o, "within", !here && current && n && strncmp(current, path, n) == 0 &&
                                         current[n] == '/');
}

int view_page(ctx *c, const char *name, cJSON *doc, const page_meta *meta, int status) {
  cJSON_AddItemReferenceToObject(doc, "site", c->app->site);
  cJSON_AddItemReferenceToObject(doc, "t", c->app->strings);
  if (c->app->assets) cJSON_AddItemReferenceToObject(doc, "assets", c->app->assets);
  cJSON *nav = cJSON_AddArrayToObject(doc, "nav"), *o, *x;
  /* An error page shows without its navigation and footer when the
  ** database cannot give them (the page may be saying just that). */
  int error_page = strcmp(meta->kind, "error") == 0;
  if (category_nav(c->db, c->now, nav) != STORE_OK && !error_page) return 500;
  cJSON_ArrayForEach(o, nav) {
    cJSON *children = cJSON_GetObjectItemCaseSensitive(o, "children");
    nav_mark(o, meta->nav_current);
    cJSON_ArrayForEach(x, children) { nav_mark(x, meta->nav_current); }
    cJSON_AddBoolToObject(o, "has_children", cJSON_GetArraySize(children) > 0);
  }
  cJSON *footer = cJSON_AddArrayToObject(doc, "footer_pages");
  if (pages_footer(c->db, footer) != STORE_OK && !error_page) return 500;
  cJSON_ArrayForEach(o, footer) { present_taxon(o, "/page/"); }
  cJSON_AddBoolToObject(doc, "has_footer_pages", cJSON_GetArraySize(footer) > 0);
  view_meta(c, doc, meta);
  struct tm tm;
  gmtime_r(&c->now, &tm);
  cJSON_AddNumberToObject(doc, "year", tm.tm_year + 1900);
  return view_render(c, name, doc, "text/html; charset=utf-8", status);
}

int view_render(ctx *c, const char *name, const cJSON *doc, const char *content_type,
                int status) {
  char err[256] = "";
  buf_reset(&c->res.body);
  if (templates_render(c->app->tpl, name, doc, &c->res.body, err, sizeof err) != 0) {
    /* Not the error page: its own template may be what failed. */
    fprintf(stderr, "gazette: template %s: %s\n", name, err);
    buf_reset(&c->res.body);
    c->res.status = 500;
    c->res.content_type = "text/plain; charset=utf-8";
    buf_puts(&c->res.body, "500 Internal Server Error\n");
    return 500;
  }
  c->res.status = status;
  c->res.content_type = content_type;
  return status;
}

int view_json(ctx *c, int status, const char *content_type, const cJSON *doc) {
  char *json = cJSON_PrintUnformatted(doc);
  buf_reset(&c->res.body);
  buf_puts(&c->res.body, json);
  cJSON_free(json);
  c->res.status = status;
  c->res.content_type = content_type;
  return status;
}

int view_problem(ctx *c, int status, const char *detail, const char *param,
                 const char *reason) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "type", "about:blank");
  cJSON_AddStringToObject(p, "title", response_reason(status));
  cJSON_AddNumberToObject(p, "status", status);
  cJSON_AddStringToObject(p, "detail", detail);
  if (param) {
    cJSON *list = cJSON_AddArrayToObject(p, "invalid_params");
    cJSON *one = cJSON_CreateObject();
    cJSON_AddStringToObject(one, "name", param);
    cJSON_AddStringToObject(one, "reason", reason);
    cJSON_AddItemToArray(list, one);
  }
  view_json(c, status, "application/problem+json", p);
  cJSON_Delete(p);
  /* Apps on other sites must be able to read why a read failed. */
  if (c->req.method && (strcmp(c->req.method, "GET") == 0 || c->req.is_head))
    response_header(&c->res, "Access-Control-Allow-Origin", "*");
  return status;
}

/* Adds to error e (of status), for a request in the newsroom
** (/admin/...), the page of the newsroom to go back to: the list the
** address is under (/admin/comments for /admin/comments/12/reply), or the
** dashboard (after a 403: the list is as forbidden; after a 404 of an
** address one step under /admin: there is no such list). */
static void view_error_back(const ctx *c, cJSON *e, int status) {
  const char *p = c->req.path; /* NULL when the request could not be read */
  if (!p || strncmp(p, "/admin", 6) != 0 || (p[6] && p[6] != '/')) return;
  size_t n = p[6] && status != 403 ? 7 + strcspn(p + 7, "/") : 6;
  /* An address that is not found one step under /admin is no list. */
  if (status == 404 && !p[n]) n = 6;
  buf b = {0};
  buf_append(&b, p, n > 7 ? n : 6);
  /* Only the path's own characters: a list's name is letters. */
  for (size_t i = 7; i < b.len; i++)
    if (!((b.data[i] >= 'a' && b.data[i] <= 'z') || b.data[i] == '-')) b.len = 6, b.data[6] = 0;
  cJSON_AddStringToObject(e, "back_url", buf_str(&b));
  buf_free(&b);
}

int view_error(ctx *c, int status, const char *detail) {
  char key[32];
  const catalog *k = ctx_is_api(c) ? i18n_default(c->app->langs) : c->app->ui;
  snprintf(key, sizeof key, "error_%d", status);
  const char *title = catalog_text(k, key);
  if (strcmp(title, key) == 0) title = catalog_text(k, "error_400");
  snprintf(key, sizeof key, "error_%d_text", status);
  if (!detail) detail = catalog_text(k, key);
  if (strcmp(detail, key) == 0) detail = catalog_text(k, "error_400_text");
  if (ctx_is_api(c)) return view_problem(c, status, detail, NULL, NULL);
  cJSON *doc = cJSON_CreateObject();
  cJSON *e = cJSON_AddObjectToObject(doc, "error");
  cJSON_AddNumberToObject(e, "status", status);
  cJSON_AddStringToObject(e, "title", title);
  cJSON_AddStringToObject(e, "message", detail);
  view_error_back(c, e, status);
  page_meta meta = {.kind = "error", .title = title};
  int st = view_page(c, "error", doc, &meta, status);
  cJSON_Delete(doc);
  return st;
}

int view_trail(ctx *c, cJSON *doc, long category_id, int here) {
  cJSON *trail = cJSON_AddArrayToObject(doc, "trail");
  if (category_trail(c->db, category_id, trail) != STORE_OK) return -1;
  present_taxa(trail, "/category/");
  int n = cJSON_GetArraySize(trail);
  if (here && n) cJSON_AddTrueToObject(cJSON_GetArrayItem(trail, n - 1), "current");
  cJSON_AddBoolToObject(doc, "has_trail", n > 0);
  return 0;
}

void view_tag_cards(ctx *c, const cJSON *cards) {
  const cJSON *x;
  cJSON_ArrayForEach(x, cards) { response_tag(&c->res, "article", json_long(x, "id")); }
}

/* Adds to p, as name, the address of page n of the listing at base_path
** (base_path itself for the first page), however long base_path is. */
static void pagination_url(cJSON *p, const char *name, const char *base_path, long n) {
  buf url = {0};
  buf_puts(&url, base_path);
  if (n > 1) buf_printf(&url, "%spage=%ld", strchr(base_path, '?') ? "&" : "?", n);
  cJSON_AddStringToObject(p, name, buf_str(&url));
  buf_free(&url);
}

void view_pagination(cJSON *doc, const char *base_path, long page,
                     long total_items, long per_page) {
  long pages = total_items ? (total_items + per_page - 1) / per_page : 1;
  cJSON *p = cJSON_AddObjectToObject(doc, "pagination");
  cJSON_AddNumberToObject(p, "page", (double)page);
  cJSON_AddNumberToObject(p, "total_pages", (double)pages);
  pagination_url(p, "url", base_path, page);
  if (page > 1) pagination_url(p, "prev_url", base_path, page - 1);
  else cJSON_AddNullToObject(p, "prev_url");
  if (page < pages) pagination_url(p, "next_url", base_path, page + 1);
  else cJSON_AddNullToObject(p, "next_url");
}
