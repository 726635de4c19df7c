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

#include "json_strict.h"
#include "store.h"
#include "timefmt.h"
#include "view.h"

enum {
  API_PER_PAGE = 20,
  API_MAX_PER_PAGE = 100,
  API_LIST_MAX_AGE = 60,
  API_ARTICLE_MAX_AGE = 300,
  API_MAX_FILTER = 200,
  API_MAX_BODY = 65536,  /* JSON bodies; forms may be larger */
};

int api_accepts_json(const ctx *c) {
  const char *a = request_header(&c->req, "Accept");
  return !a || !*a || strstr(a, "application/json") || strstr(a, "*/*") ||
         strstr(a, "application/*") || strstr(a, "application/problem+json");
}

int api_begin(ctx *c) {
  if (api_accepts_json(c)) return 0;
  view_problem(c, 406, "This API answers application/json only.", NULL, NULL);
  return -1;
}

int api_bad_param(ctx *c, const char *name, const char *reason) {
  char detail[256];
  size_t n = strlen(reason);
  snprintf(detail, sizeof detail, "The parameter %s is not valid: %s%s", name, reason,
           n && reason[n - 1] == '.' ? "" : ".");
  view_problem(c, 400, detail, name, reason);
  return -1;
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

/* Answers 200 with doc as JSON: cacheable by anyone for max_age seconds,
** Last-Modified when last_modified > 0, readable from any origin. */
static void api_send(ctx *c, cJSON *doc, int max_age, long long last_modified) {
  view_json(c, 200, "application/json", doc);
  char v[96];
  snprintf(v, sizeof v, "public, max-age=%d", max_age);
  response_header(&c->res, "Cache-Control", v);
  if (last_modified > 0) {
    buf d = {0};
    api_http_date(&d, last_modified);
    response_header(&c->res, "Last-Modified", buf_str(&d));
    buf_free(&d);
  }
  response_header(&c->res, "Access-Control-Allow-Origin", "*");
  response_header(&c->res, "Access-Control-Expose-Headers",
                  "ETag, Last-Modified, Link");
  c->cache_public = 1;
}

int api_paging(ctx *c, long def, long *page, long *per_page) {
  if (request_query_int(&c->req, "page", 1, 1, 1000000, page) != 0)
    return api_bad_param(c, "page", "must be a whole number from 1");
  if (request_query_int(&c->req, "per_page", def, 1, API_MAX_PER_PAGE,
                        per_page) != 0)
    return api_bad_param(c, "per_page", "must be a whole number from 1 to 100");
  return 0;
}

/* Appends the URL of this list at page n: the same query with page=n. */
static void api_page_url(const ctx *c, buf *out, long n) {
  buf_puts(out, c->app->base_url);
  buf_append(out, c->req.raw_path, c->req.raw_path_len);
  buf_putc(out, '?');
  const char *q = c->req.query;
  while (*q) {
    size_t len = strcspn(q, "&");
    if (len && strncmp(q, "page=", 5) != 0 && !(len == 4 && !strncmp(q, "page", 4))) {
      buf_append(out, q, len);
      buf_putc(out, '&');
    }
    q += len + (q[len] == '&');
  }
  buf_printf(out, "page=%ld", n);
}

void api_send_list(ctx *c, cJSON *items, long page, long per_page,
                          long total, long long last_modified) {
  long pages = total ? (total + per_page - 1) / per_page : 0;
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "data", items);
  cJSON *meta = cJSON_AddObjectToObject(doc, "meta");
  cJSON_AddNumberToObject(meta, "page", (double)page);
  cJSON_AddNumberToObject(meta, "per_page", (double)per_page);
  cJSON_AddNumberToObject(meta, "total", (double)total);
  cJSON_AddNumberToObject(meta, "total_pages", (double)pages);
  buf link = {0};
  if (page < pages) {
    buf_putc(&link, '<');
    api_page_url(c, &link, page + 1);
    buf_puts(&link, ">; rel=\"next\"");
  }
  if (page > 1 && pages > 0) {
    if (link.len) buf_puts(&link, ", ");
    buf_putc(&link, '<');
    api_page_url(c, &link, page - 1 < pages ? page - 1 : pages);
    buf_puts(&link, ">; rel=\"prev\"");
  }
  if (link.len) response_header(&c->res, "Link", buf_str(&link));
  buf_free(&link);
  api_send(c, doc, API_LIST_MAX_AGE, last_modified);
  cJSON_Delete(doc);
}

/* Reads an optional text filter of at most API_MAX_FILTER bytes into
** store (kept until the handler ends) and points *out at it, or at NULL
** when absent. Returns 0, or -1 after answering 400. */
static int api_text_filter(ctx *c, const char *name, buf *store, const char **out) {
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
** Returns 0, or -1 after answering 400. */
static int api_time_filter(ctx *c, const char *name, long long *t) {
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

void api_articles(ctx *c) {
  if (api_begin(c) != 0) return;
  article_filter f = {0};
  buf cat = {0}, tag = {0}, lang = {0}, author = {0}, q = {0};
  if (api_paging(c, API_PER_PAGE, &f.page, &f.per_page) == 0 &&
      api_text_filter(c, "category", &cat, &f.category) == 0 &&
      api_text_filter(c, "tag", &tag, &f.tag) == 0 &&
      api_text_filter(c, "lang", &lang, &f.lang) == 0 &&
      api_text_filter(c, "author", &author, &f.author) == 0 &&
      api_text_filter(c, "q", &q, &f.q) == 0 &&
      api_time_filter(c, "since", &f.since) == 0 &&
      api_time_filter(c, "updated_since", &f.updated_since) == 0) {
    if (f.lang && !api_lang_ok(f.lang)) {
      api_bad_param(c, "lang", "must be a language code such as en or ar");
    } else {
      cJSON *items = cJSON_CreateArray();
      if (article_filtered(c, &f, items) != 0) {
        cJSON_Delete(items);
        view_error(c, 500, NULL);
      } else {
        api_send_list(c, items, f.page, f.per_page, f.total, f.last_modified);
      }
    }
  }
  buf_free(&cat);
  buf_free(&tag);
  buf_free(&lang);
  buf_free(&author);
  buf_free(&q);
}

/* Answers the article found by slug, or by id when slug is NULL. */
static void api_article_send(ctx *c, const char *slug, long id) {
  cJSON *a = NULL;
  int rc = article_load(c, slug, id, &a);
  if (rc != 0) {
    view_error(c, rc > 0 ? 404 : 500,
               rc > 0 ? "There is no published article with this id or slug."
                      : NULL);
    return;
  }
  buf b = {0};
  buf_printf(&b, "%s/api/v1/articles/%ld/comments", c->app->base_url,
             (long)cJSON_GetObjectItem(a, "id")->valuedouble);
  cJSON_AddStringToObject(a, "comments_url", buf_str(&b));
  buf_free(&b);
  time_t updated;
  time_parse_iso(cJSON_GetObjectItem(a, "updated_at")->valuestring, &updated);
  api_send(c, a, API_ARTICLE_MAX_AGE, (long long)updated);
  cJSON_Delete(a);
}

int api_param_id(ctx *c, int i, long *id) {
  const char *s = ctx_param(c, i);
  char *end;
  long long v = strtoll(s, &end, 10);
  if (!isdigit((unsigned char)*s) || *end || v < 1 || v > (1LL << 53) ||
      strlen(s) > 16)
    return api_bad_param(c, "id", "must be a positive whole number");
  *id = (long)v;
  return 0;
}

void api_article(ctx *c) {
  long id;
  if (api_begin(c) != 0 || api_param_id(c, 0, &id) != 0) return;
  api_article_send(c, NULL, id);
}

int api_json_body(ctx *c, cJSON **out) {
  const char *type = request_param(&c->req, "CONTENT_TYPE");
  size_t n = type ? strcspn(type, ";") : 0;
  while (n > 0 && type[n - 1] == ' ') n--;
  if (!type || n != 16 || strncasecmp(type, "application/json", 16) != 0) {
    view_problem(c, 415, "Send the body as application/json.", NULL, NULL);
    return -1;
  }
  if (c->req.body_len > API_MAX_BODY) {
    view_problem(c, 413, "The body is larger than 65536 bytes.", NULL, NULL);
    return -1;
  }
  /* Bodies are flat objects; eight levels leave room and bound the work. */
  json_strict_error why;
  int rc = json_strict_parse(c->req.body, c->req.body_len, API_MAX_BODY, 8, out, &why);
  if (rc < 0) {
    view_error(c, 500, NULL);
    return -1;
  }
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

void api_send_private(ctx *c, int status, const cJSON *doc) {
  view_json(c, status, "application/json", doc);
  response_header(&c->res, "Cache-Control", "private, no-store");
}

void api_article_by_slug(ctx *c) {
  if (api_begin(c) != 0) return;
  api_article_send(c, ctx_param(c, 0), 0);
}

/* Answers one page of a taxonomy list. */
static void api_taxon(ctx *c, taxon kind) {
  if (api_begin(c) != 0) return;
  long page, per_page, total;
  if (api_paging(c, API_PER_PAGE, &page, &per_page) != 0) return;
  cJSON *items = cJSON_CreateArray();
  long long changed = article_last_change(c);
  if (changed < 0 || taxon_list(c, kind, page, per_page, items, &total) != 0) {
    cJSON_Delete(items);
    view_error(c, 500, NULL);
    return;
  }
  api_send_list(c, items, page, per_page, total, changed);
}

void api_categories(ctx *c) { api_taxon(c, TAXON_CATEGORIES); }
void api_tags(ctx *c) { api_taxon(c, TAXON_TAGS); }
void api_authors(ctx *c) { api_taxon(c, TAXON_AUTHORS); }

/* Returns 1 when origin equals the scheme://host[:port] of base. */
static int origin_is(const char *origin, const char *base, size_t n) {
  return strlen(origin) == n && strncmp(origin, base, n) == 0;
}

/* Returns 1 when origin is the origin the request itself was sent to
** (its scheme and Host header), as a browser on this site sends it. */
static int origin_is_request(const ctx *c, const char *origin) {
  const char *host = request_header(&c->req, "Host");
  const char *https = request_param(&c->req, "HTTPS");
  const char *scheme = https && *https && strcmp(https, "off") != 0 ? "https://" : "http://";
  size_t n = strlen(scheme);
  return host && *host && strncmp(origin, scheme, n) == 0 && strcmp(origin + n, host) == 0;
}

int api_origin_allowed(const ctx *c, const char *origin) {
  if (!origin) return 0;
  if (origin_is_request(c, origin)) return 1;
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

void api_preflight(ctx *c) {
  const char *origin = request_header(&c->req, "Origin");
  const char *method = request_header(&c->req, "Access-Control-Request-Method");
  int read = method && (!strcmp(method, "GET") || !strcmp(method, "HEAD"));
  c->res.status = 204;
  if (read) {
    response_header(&c->res, "Access-Control-Allow-Origin", "*");
  } else if (api_origin_allowed(c, origin)) {
    response_header(&c->res, "Access-Control-Allow-Origin", origin);
    response_header(&c->res, "Access-Control-Allow-Credentials", "true");
    response_header(&c->res, "Vary", "Origin");
  }
  response_header(&c->res, "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
  response_header(&c->res, "Access-Control-Allow-Headers",
                  "Content-Type, If-None-Match, Accept");
  response_header(&c->res, "Access-Control-Max-Age", "600");
  response_header(&c->res, "Allow", "GET, HEAD, POST, OPTIONS");
}
