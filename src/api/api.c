/*
** api.c: /api/v1 handlers (see api.h). Every answer is JSON: a list is
** {"data": [...], "meta": {page, per_page, total, total_pages}} with a Link
** header; errors are application/problem+json. The server adds a strong
** ETag to each and answers If-None-Match with 304.
*/
#include "api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "picture.h"
#include "present.h"
#include "store.h"
#include "store_page.h"
#include "store_media.h"
#include "timefmt.h"
#include "view.h"
#include "json.h"
#include "json_strict.h"

enum {
  API_PER_PAGE = 20,
  API_MAX_PER_PAGE = 100,
  API_MAX_FILTER = 200,
  API_MAX_JSON = REQUEST_MAX_BODY, /* dispatch bounds each route's body below it */
};

/* Returns 1 when the media range r[0, n) names JSON: it holds
** application/json (or a type that starts so), any application type, any
** type or application/problem+json, as nginx's map $gazette_accept reads
** the header. */
static int api_range_json(const char *r, size_t n) {
  static const char *const json[] = {"application/json", "*/*", "application/*",
                                     "application/problem+json"};
  for (size_t i = 0; i < sizeof json / sizeof json[0]; i++)
    if (memmem(r, n, json[i], strlen(json[i]))) return 1;
  return 0;
}

/* Returns 1 when the parameters p[0, n) of a media range give it q=0
** ("not acceptable", RFC 9110: 0, 0., 0.0, 0.00 or 0.000, as nginx's map
** $gazette_accept reads it). */
static int api_range_refused(const char *p, size_t n) {
  for (const char *q = memmem(p, n, "q=", 2); q; q = memmem(q + 2, n - (size_t)(q + 2 - p), "q=", 2)) {
    if (q > p && q[-1] != ';' && q[-1] != ' ' && q[-1] != '\t') continue;
    const char *v = q + 2, *end = p + n;
    if (v >= end || *v != '0') continue;
    v++;
    if (v < end && *v == '.') {
      v++;
      for (int k = 0; k < 3 && v < end && *v == '0'; k++) v++;
    }
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    if (v == end || *v == ';') return 1;
  }
  return 0;
}

int api_accepts_json(const ctx *c) {
  const char *a = request_header(&c->req, "Accept");
  if (!a || !*a) return 1;
  for (const char *r = a; *r;) {
    size_t n = strcspn(r, ","), type = strcspn(r, ";");
    if (type > n) type = n;
    if (api_range_json(r, n) && !api_range_refused(r + type, n - type)) return 1;
    r += n + (r[n] == ',');
  }
  return 0;
}

int api_bad_param(ctx *c, const char *name, const char *reason) {
  char detail[256];
  size_t n = strlen(reason);
  snprintf(detail, sizeof detail, "The parameter %s is not valid: %s%s", name, reason,
           n && reason[n - 1] == '.' ? "" : ".");
  return view_problem(c, 400, detail, name, reason);
}

/* Appends an HTTP date for t ("Fri, 27 Nov 2026 08:30:00 GMT"). */
static void api_http_date(buf *out, long long t) {
  struct tm tm;
  time_t tt = (time_t)t;
  char s[64];
  gmtime_r(&tt, &tm);
  strftime(s, sizeof s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  buf_puts(out, s);
}

/* Answers 200 with doc as JSON: Last-Modified when last_modified > 0,
** readable from any origin. Returns 200. */
static int api_send(ctx *c, cJSON *doc, long long last_modified) {
  view_json(c, 200, "application/json", doc);
  if (last_modified > 0) {
    buf d = {0};
    api_http_date(&d, last_modified);
    response_header(&c->res, "Last-Modified", buf_str(&d));
    buf_free(&d);
  }
  response_header(&c->res, "Access-Control-Allow-Origin", "*");
  response_header(&c->res, "Access-Control-Expose-Headers",
                  "ETag, Last-Modified, Link");
  return 200;
}

int api_paging_or_reply(ctx *c, long def, long *page, long *per_page) {
  if (request_query_int(&c->req, "page", 1, 1, 1000000, page) != 0)
    return api_bad_param(c, "page", "must be a whole number from 1 to 1000000");
  if (request_query_int(&c->req, "per_page", def, 1, API_MAX_PER_PAGE,
                        per_page) != 0)
    return api_bad_param(c, "per_page", "must be a whole number from 1 to 100");
  return 0;
}

/* The query parameters a list reads besides page and per_page: what its
** Link header carries over to the next and previous pages. A parameter a
** list does not read is not carried (it changed nothing). A list's new
** parameter goes here. */
const char *const API_ARTICLE_FILTERS[] = {
    "category", "tag", "lang", "author", "q", "since", "updated_since", NULL,
};
const char *const API_STATUS_FILTER[] = {"status", NULL};

/* Appends name=value for query parameter name when the request gave it,
** decoded then encoded again (nothing but letters, digits and %XX reaches
** the header), then '&'. */
static void api_page_param(const ctx *c, buf *out, buf *v, const char *name) {
  buf_reset(v);
  if (request_query(&c->req, name, v) != 1) return;
  buf_printf(out, "%s=", name);
  escape_url(out, v->data ? v->data : "", v->len);
  buf_putc(out, '&');
}

/* Appends the URL of this list at page n: per_page and the list's filters
** as the request gave them, then page=n. */
static void api_page_url(const ctx *c, buf *out, long n, const char *const *filters) {
  buf v = {0};
  buf_puts(out, c->app->base_url);
  for (const char *p = c->req.path; *p;) { /* the decoded path, each segment encoded */
    size_t len = strcspn(p + 1, "/");
    buf_putc(out, '/');
    escape_url(out, p + 1, len);
    p += len + 1;
  }
  buf_putc(out, '?');
  api_page_param(c, out, &v, "per_page");
  for (size_t i = 0; filters && filters[i]; i++) api_page_param(c, out, &v, filters[i]);
  buf_free(&v);
  buf_printf(out, "page=%ld", n);
}

int api_send_list(ctx *c, cJSON *items, long page, long per_page, long total,
                  long long last_modified) {
  return api_send_filtered(c, items, page, per_page, total, 1, last_modified, NULL);
}

int api_send_filtered(ctx *c, cJSON *items, long page, long per_page, long total, int exact,
                      long long last_modified, const char *const *filters) {
  long pages = total ? (total + per_page - 1) / per_page : 0;
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "data", items);
  cJSON *meta = cJSON_AddObjectToObject(doc, "meta");
  cJSON_AddNumberToObject(meta, "page", (double)page);
  cJSON_AddNumberToObject(meta, "per_page", (double)per_page);
  cJSON_AddNumberToObject(meta, "total", (double)total);
  cJSON_AddNumberToObject(meta, "total_pages", (double)pages);
  if (!exact) cJSON_AddFalseToObject(meta, "total_exact");
  buf link = {0};
  if (page < pages) {
    buf_putc(&link, '<');
    api_page_url(c, &link, page + 1, filters);
    buf_puts(&link, ">; rel=\"next\"");
  }
  if (page > 1 && pages > 0) {
    if (link.len) buf_puts(&link, ", ");
    buf_putc(&link, '<');
    api_page_url(c, &link, page - 1 < pages ? page - 1 : pages, filters);
    buf_puts(&link, ">; rel=\"prev\"");
  }
  if (link.len) response_header(&c->res, "Link", buf_str(&link));
  buf_free(&link);
  int st = api_send(c, doc, last_modified);
  cJSON_Delete(doc);
  return st;
}

/* Reads an optional text filter of at most API_MAX_FILTER bytes into
** store (kept until the handler ends) and points *out at it, or at NULL
** when absent. Returns 0, or the status answered (400). */
static int api_text_filter_or_reply(ctx *c, const char *name, buf *store, const char **out) {
  buf_reset(store);
  int rc = request_query(&c->req, name, store);
  *out = NULL;
  if (rc < 0) return api_bad_param(c, name, "is not valid UTF-8 text");
  if (rc == 0) return 0;
  if (store->len == 0 || store->len > API_MAX_FILTER)
    return api_bad_param(c, name, "must be 1 to 200 bytes");
  *out = buf_str(store);
  return 0;
}

/* Reads an optional ISO 8601 UTC time filter into *t (0 when absent).
** Returns 0, or the status answered (400). */
static int api_time_filter_or_reply(ctx *c, const char *name, long long *t) {
  buf v = {0};
  int rc = request_query(&c->req, name, &v);
  time_t tt = 0;
  *t = 0;
  if (rc != 0 && (rc < 0 || time_parse_iso(buf_str(&v), &tt) != 0)) {
    buf_free(&v);
    return api_bad_param(c, name, "must be a UTC time like 2026-11-27T08:00:00Z");
  }
  buf_free(&v);
  *t = (long long)tt;
  return 0;
}

/* Returns 1 when lang looks like a language code (2 or 3 letters a-z). */
static int api_lang_ok(const char *lang) {
  size_t n = strlen(lang);
  for (size_t i = 0; i < n; i++)
    if (!islower((unsigned char)lang[i])) return 0;
  return n == 2 || n == 3;
}

/* Reads the article list's filters into f (their text kept in the bufs
** t[5]). Returns 0, or the status answered (400 naming the filter). */
static int api_filters_or_reply(ctx *c, article_filter *f, buf t[5]) {
  int st = api_paging_or_reply(c, API_PER_PAGE, &f->page, &f->per_page);
  if (!st) st = api_text_filter_or_reply(c, "category", &t[0], &f->category);
  if (!st) st = api_text_filter_or_reply(c, "tag", &t[1], &f->tag);
  if (!st) st = api_text_filter_or_reply(c, "lang", &t[2], &f->lang);
  if (!st) st = api_text_filter_or_reply(c, "author", &t[3], &f->author);
  if (!st) st = api_text_filter_or_reply(c, "q", &t[4], &f->q);
  if (!st) st = api_time_filter_or_reply(c, "since", &f->since);
  if (!st) st = api_time_filter_or_reply(c, "updated_since", &f->updated_since);
  if (!st && f->lang && !api_lang_ok(f->lang))
    st = api_bad_param(c, "lang", "must be a language code such as en or ar");
  return st;
}

/* Appends the absolute URL of the media file name to out. */
static void api_media_url(const ctx *c, buf *out, const char *name) {
  buf_puts(out, c->app->base_url);
  buf_puts(out, PICTURE_PREFIX);
  escape_url(out, name, strlen(name));
}

/* The media type of a served format. */
static const char *api_media_type(const char *format) {
  return strcmp(format, "webp") == 0 ? "image/webp" : "image/jpeg";
}

void api_image(const ctx *c, cJSON *o, const char *key) {
  cJSON *rec = cJSON_GetObjectItemCaseSensitive(o, key);
  const cJSON *fb = cJSON_IsObject(rec) ? picture_fallback(rec, 1024) : NULL;
  if (!fb) {
    if (rec) json_put(o, key, cJSON_CreateNull());
    return;
  }
  cJSON *img = cJSON_CreateObject();
  buf b = {0};
  cJSON_AddNumberToObject(img, "id", json_num(rec, "id"));
  api_media_url(c, &b, json_str(fb, "name"));
  cJSON_AddStringToObject(img, "url", buf_str(&b));
  cJSON_AddNumberToObject(img, "width", json_num(rec, "width"));
  cJSON_AddNumberToObject(img, "height", json_num(rec, "height"));
  cJSON_AddStringToObject(img, "type", "image/jpeg");
  cJSON_AddStringToObject(img, "alt", json_str(rec, "alt"));
  cJSON_AddStringToObject(img, "caption", json_str(rec, "caption"));
  cJSON_AddStringToObject(img, "credit", json_str(rec, "credit"));
  cJSON *sizes = cJSON_AddArrayToObject(img, "sizes");
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(rec, "files")) {
    cJSON *s = cJSON_CreateObject();
    buf_reset(&b);
    api_media_url(c, &b, json_str(f, "name"));
    cJSON_AddStringToObject(s, "url", buf_str(&b));
    cJSON_AddNumberToObject(s, "width", json_num(f, "width"));
    cJSON_AddNumberToObject(s, "height", json_num(f, "height"));
    cJSON_AddStringToObject(s, "type", api_media_type(json_str(f, "format")));
    cJSON_AddNumberToObject(s, "bytes", json_num(f, "bytes"));
    cJSON_AddItemToArray(sizes, s);
  }
  buf_free(&b);
  json_put(o, key, img);
}

/* Turns the featured pictures of the cards of the array into image
** objects. */
static void api_card_images(const ctx *c, cJSON *cards) {
  cJSON *x;
  cJSON_ArrayForEach(x, cards) { api_image(c, x, "image"); }
}

int api_media(ctx *c) {
  cJSON *rec = NULL;
  int rc = media_public(c->db, c->now, ctx_id(c, 0), &rec);
  if (rc != STORE_OK)
    return rc > 0 ? view_error(c, 404, "There is no picture with this id that readers may see.")
                  : 500;
  response_tag(&c->res, "media", ctx_id(c, 0));
  response_tag(&c->res, "articles", 0);
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "image", rec);
  api_image(c, doc, "image");
  int st = api_send(c, cJSON_GetObjectItemCaseSensitive(doc, "image"), 0);
  cJSON_Delete(doc);
  return st;
}

int api_articles(ctx *c) {
  article_filter f = {0};
  buf t[5] = {{0}};
  int st = api_filters_or_reply(c, &f, t);
  if (!st) {
    cJSON *items = cJSON_CreateArray();
    if (article_filtered(c->db, c->now, &f, items) != STORE_OK) {
      cJSON_Delete(items);
      st = 500;
    } else {
      response_tag(&c->res, "articles", 0);
      view_tag_cards(c, items);
      present_cards(c->app, items, 1);
      api_card_images(c, items);
      st = api_send_filtered(c, items, f.page, f.per_page, f.total, f.total_exact,
                             f.last_modified, API_ARTICLE_FILTERS);
    }
  }
  for (int i = 0; i < 5; i++) buf_free(&t[i]);
  return st;
}

/* Answers the article found by slug, or by id when slug is NULL. Returns
** the status answered. */
static int api_article_send(ctx *c, const char *slug, long id) {
  cJSON *a = NULL;
  int rc = article_load(c->db, c->now, slug, id, &a);
  if (rc != STORE_OK)
    return rc > 0 ? view_error(c, 404, "There is no published article with this id or slug.")
                  : 500;
  response_tag(&c->res, "article", json_long(a, "id"));
  view_tag_cards(c, cJSON_GetObjectItem(a, "related"));
  present_article(c->app, a);
  cJSON_DeleteItemFromObjectCaseSensitive(a, "comments_closed");
  cJSON_DeleteItemFromObjectCaseSensitive(a, "updated_time");
  api_image(c, a, "image");
  api_image(c, cJSON_GetObjectItemCaseSensitive(a, "author"), "image");
  api_card_images(c, cJSON_GetObjectItemCaseSensitive(a, "related"));
  buf b = {0};
  buf_printf(&b, "%s/api/v1/articles/%ld/comments", c->app->base_url,
             (long)json_num(a, "id"));
  cJSON_AddStringToObject(a, "comments_url", buf_str(&b));
  buf_free(&b);
  time_t updated;
  time_parse_iso(json_str(a, "updated_at"), &updated);
  int st = api_send(c, a, (long long)updated);
  cJSON_Delete(a);
  return st;
}

int api_article(ctx *c) { return api_article_send(c, NULL, ctx_id(c, 0)); }

int api_json_body_or_reply(ctx *c, cJSON **out) {
  /* Bodies are flat objects; eight levels leave room and bound the work.
  ** Dispatch has checked the size (the route's BODY_JSON or BODY_JSON_TEXT). */
  json_strict_error why;
  int rc = json_strict_parse(c->req.body ? c->req.body : "", c->req.body_len, API_MAX_JSON, 8,
                             out, &why);
  if (rc < 0) return 500;
  char reason[128];
  if (rc > 0)
    snprintf(reason, sizeof reason, "%s at byte %zu", why.reason, why.offset);
  else if (!cJSON_IsObject(*out))
    snprintf(reason, sizeof reason, "must be a JSON object");
  else
    return 0;
  cJSON_Delete(*out);
  *out = NULL;
  return api_bad_param(c, "body", reason);
}

int api_article_by_slug(ctx *c) { return api_article_send(c, ctx_param(c, 0), 0); }

/* Answers one page of a taxonomy list. Returns the status answered. */
static int api_taxon(ctx *c, taxon kind) {
  long page, per_page, total;
  int st = api_paging_or_reply(c, API_PER_PAGE, &page, &per_page);
  if (st) return st;
  cJSON *items = cJSON_CreateArray();
  static const char *const prefix[] = {"/category/", "/tag/", "/author/"};
  long long changed = 0;
  if (article_last_change(c->db, c->now, &changed) != STORE_OK ||
      taxon_list(c->db, c->now, kind, page, per_page, items, &total) != STORE_OK) {
    cJSON_Delete(items);
    return 500;
  }
  present_taxa(items, prefix[kind]);
  if (kind == TAXON_AUTHORS) api_card_images(c, items);
  response_tag(&c->res, "taxa", 0);
  return api_send_list(c, items, page, per_page, total, changed);
}

int api_categories(ctx *c) { return api_taxon(c, TAXON_CATEGORIES); }
int api_tags(ctx *c) { return api_taxon(c, TAXON_TAGS); }
int api_authors(ctx *c) { return api_taxon(c, TAXON_AUTHORS); }

int api_pages(ctx *c) {
  long page, per_page, total = 0;
  int st = api_paging_or_reply(c, API_PER_PAGE, &page, &per_page);
  if (st) return st;
  cJSON *items = cJSON_CreateArray(), *o;
  if (pages_list(c->db, page, per_page, items, &total) != STORE_OK) {
    cJSON_Delete(items);
    return 500;
  }
  long long changed = 0;
  cJSON_ArrayForEach(o, items) {
    long long t = (long long)json_num(o, "updated_at");
    if (t > changed) changed = t;
    present_page(c->app, o, 0);
  }
  response_tag(&c->res, "pages", 0);
  return api_send_list(c, items, page, per_page, total, changed);
}

int api_page(ctx *c) {
  cJSON *p = NULL;
  int rc = pages_load(c->db, ctx_param(c, 0), &p);
  if (rc != STORE_OK)
    return rc > 0 ? view_error(c, 404, "There is no published page with this slug.") : 500;
  response_tag(&c->res, "page", json_long(p, "id"));
  long long updated = (long long)json_num(p, "updated_at");
  present_page(c->app, p, 0);
  int st = api_send(c, p, updated);
  cJSON_Delete(p);
  return st;
}

/* Returns 1 when origin equals the scheme://host[:port] of base. */
static int origin_is(const char *origin, const char *base, size_t n) {
  return strlen(origin) == n && strncmp(origin, base, n) == 0;
}

int api_origin_allowed(const ctx *c, const char *origin) {
  /* Never the request's own Host: a page on a name the attacker controls
  ** and points at this server (DNS rebinding) would send a matching one. */
  if (!origin) return 0;
  const char *b = c->app->base_url;
  const char *host = strstr(b, "://");
  size_t n = host ? strcspn(host + 3, "/") + (size_t)(host + 3 - b) : strlen(b);
  if (origin_is(origin, b, n)) return 1;
  const char *list = c->app->api_origins;
  while (list && *list) {
    size_t len = strcspn(list, " ");
    if (len && origin_is(origin, list, len)) return 1;
    list += len + (list[len] == ' ');
  }
  return 0;
}

/* The preflight of the newsroom's routes (api_newsroom.h): their
** credential is an API token the page sends itself, so any origin may. */
static int api_preflight_token(ctx *c, const char *allow) {
  c->res.status = 204;
  response_header(&c->res, "Access-Control-Allow-Origin", "*");
  response_header(&c->res, "Access-Control-Allow-Methods", allow);
  response_header(&c->res, "Access-Control-Allow-Headers",
                  "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, Accept");
  response_header(&c->res, "Access-Control-Max-Age", "600");
  response_header(&c->res, "Allow", allow);
  return 204;
}

int api_preflight(ctx *c, const char *allow) {
  const char *origin = request_header(&c->req, "Origin");
  const char *method = request_header(&c->req, "Access-Control-Request-Method");
  int read = method && (!strcmp(method, "GET") || !strcmp(method, "HEAD"));
  if (c->req.path && strncmp(c->req.path, "/api/v1/newsroom/", 17) == 0)
    return api_preflight_token(c, allow);
  c->res.status = 204;
  if (read) {
    response_header(&c->res, "Access-Control-Allow-Origin", "*");
  } else if (api_origin_allowed(c, origin)) {
    response_header(&c->res, "Access-Control-Allow-Origin", origin);
    response_header(&c->res, "Access-Control-Allow-Credentials", "true");
    response_header(&c->res, "Vary", "Origin");
  }
  response_header(&c->res, "Access-Control-Allow-Methods", allow);
  response_header(&c->res, "Access-Control-Allow-Headers",
                  "Content-Type, If-None-Match, Accept");
  response_header(&c->res, "Access-Control-Max-Age", "600");
  response_header(&c->res, "Allow", allow);
  return 204;
}
