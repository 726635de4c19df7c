/*
** api_write.c: what the API's newsroom routes share (see api_write.h).
*/
#include "api_write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "timefmt.h"
#include "utf8.h"
#include "view.h"

int api_bad_member(ctx *c, const char *key, const char *reason) {
  char detail[320];
  size_t n = strlen(reason);
  snprintf(detail, sizeof detail, "The member %s of the body is not valid: %s%s", key, reason,
           n && reason[n - 1] == '.' ? "" : ".");
  return view_problem(c, 400, detail, key, reason);
}

/* Returns 1 when name is one of allowed. */
static int api_allowed(const char *const *allowed, const char *name) {
  for (; *allowed; allowed++)
    if (strcmp(*allowed, name) == 0) return 1;
  return 0;
}

int api_object_or_reply(ctx *c, const char *const *allowed, const char *hint, cJSON **out) {
  int st = api_json_body_or_reply(c, out);
  if (st) return st;
  const cJSON *m;
  cJSON_ArrayForEach(m, *out) {
    if (!m->string || !api_allowed(allowed, m->string)) {
      const char *name = m->string ? m->string : "";
      st = api_bad_member(c, name, hint ? hint : "is not a member this request takes");
      cJSON_Delete(*out);
      *out = NULL;
      return st;
    }
  }
  return 0;
}

int api_text_or_reply(ctx *c, const cJSON *o, const char *key, buf *out, int *given) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *given = v != NULL;
  if (!v) return 0;
  if (!cJSON_IsString(v) || !v->valuestring) return api_bad_member(c, key, "must be a string");
  size_t n = strlen(v->valuestring);
  if (!utf8_valid(v->valuestring, n)) return api_bad_member(c, key, "must be valid UTF-8");
  buf_append(out, v->valuestring, n);
  return 0;
}

int api_id_or_reply(ctx *c, const cJSON *o, const char *key, int nullable, long *out,
                    int *given) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *given = v != NULL;
  *out = 0;
  if (!v || (nullable && cJSON_IsNull(v))) return 0;
  double x = cJSON_IsNumber(v) ? v->valuedouble : 0;
  if (x < 1 || x > 9007199254740992.0 || floor(x) != x)
    return api_bad_member(c, key, nullable ? "must be an id (a positive whole number) or null"
                                           : "must be an id (a positive whole number)");
  *out = (long)x;
  return 0;
}

int api_bool_or_reply(ctx *c, const cJSON *o, const char *key, int *out, int *given) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *given = v != NULL;
  if (!v) return 0;
  if (!cJSON_IsBool(v)) return api_bad_member(c, key, "must be true or false");
  *out = cJSON_IsTrue(v);
  return 0;
}

void api_doc_etag(const cJSON *doc, char etag[40]) {
  response r = {0};
  char *json = cJSON_PrintUnformatted(doc);
  buf_puts(&r.body, json);
  cJSON_free(json);
  response_etag(&r);
  snprintf(etag, 40, "%s", r.etag);
  response_free(&r);
}

int api_if_match(const ctx *c, const char *etag) {
  const char *h = request_header(&c->req, "If-Match");
  if (!h) return -1;
  size_t n = strlen(etag);
  for (const char *p = h; *p;) {
    while (*p == ' ' || *p == ',') p++;
    if (*p == '*') return 1;
    if (strncmp(p, "W/", 2) == 0) p += 2;
    if (n && strncmp(p, etag, n) == 0 && (p[n] == 0 || p[n] == ',' || p[n] == ' ')) return 1;
    p += strcspn(p, ",");
  }
  return 0;
}

int api_precondition_failed(ctx *c, int match) {
  if (match < 0)
    return view_problem(c, 428,
                        "Send the article's ETag in If-Match, so that a change made meanwhile "
                        "is not overwritten.",
                        NULL, NULL);
  return view_problem(c, 412,
                      "The article changed since this ETag: get it again, and apply the change "
                      "to the new version.",
                      NULL, NULL);
}

int api_send_doc(ctx *c, int status, const cJSON *doc, int with_etag, const char *location) {
  view_json(c, status, "application/json", doc);
  if (with_etag) response_etag(&c->res);
  if (location) {
    buf b = {0};
    buf_puts(&b, c->app->base_url);
    buf_puts(&b, location);
    response_header(&c->res, "Location", buf_str(&b));
    buf_free(&b);
  }
  return status;
}

void api_iso_member(cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!v) return;
  double t = cJSON_IsNumber(v) ? v->valuedouble : 0;
  if (t <= 0) {
    cJSON_ReplaceItemInObjectCaseSensitive(o, key, cJSON_CreateNull());
    return;
  }
  buf b = {0};
  time_iso(&b, (time_t)t);
  cJSON_ReplaceItemInObjectCaseSensitive(o, key, cJSON_CreateString(buf_str(&b)));
  buf_free(&b);
}

void api_trim(buf *b) {
  size_t s = 0, e = b->len;
  while (s < e && strchr(" \t\r\n", b->data[s])) s++;
  while (e > s && strchr(" \t\r\n", b->data[e - 1])) e--;
  if (s) memmove(b->data, b->data + s, e - s);
  b->len = e - s;
  if (b->data) b->data[b->len] = 0;
}

void api_unix_lines(buf *b) {
  size_t w = 0;
  for (size_t r = 0; r < b->len; r++)
    if (!(b->data[r] == '\r' && r + 1 < b->len && b->data[r + 1] == '\n'))
      b->data[w++] = b->data[r];
  b->len = w;
  if (b->data) b->data[w] = 0;
}
