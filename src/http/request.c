/*
** request.c: FastCGI parameters to a request struct (see request.h).
*/
#include "request.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

const char *request_param(const request *r, const char *name) {
  size_t n = strlen(name);
  for (char **e = r->envp; e && *e; e++)
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  return NULL;
}

const char *request_header(const request *r, const char *name) {
  char key[128] = "HTTP_";
  size_t k = 5;
  for (const char *p = name; *p && k < sizeof key - 1; p++, k++)
    key[k] = (*p == '-') ? '_' : (char)toupper((unsigned char)*p);
  key[k] = 0;
  return request_param(r, key);
}

/* Returns the value 0..15 of hex digit c, or -1. */
static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int percent_decode(const char *s, size_t n, int plus_is_space, buf *out) {
  size_t start = out->len;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= n) return -1;
      int hi = hexval((unsigned char)s[i + 1]);
      int lo = hexval((unsigned char)s[i + 2]);
      if (hi < 0 || lo < 0) return -1;
      buf_putc(out, (char)(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      buf_putc(out, ' ');
    } else {
      buf_putc(out, c);
    }
  }
  return utf8_valid(out->data ? out->data + start : "", out->len - start) ? 0
                                                                         : -1;
}

int request_parse(request *r, char **envp) {
  memset(r, 0, sizeof *r);
  r->envp = envp;
  r->method = request_param(r, "REQUEST_METHOD");
  if (!r->method || !*r->method) r->method = "GET";
  r->is_head = strcmp(r->method, "HEAD") == 0;
  const char *uri = request_param(r, "REQUEST_URI");
  if (!uri || *uri != '/') uri = "/";
  const char *q = strchr(uri, '?');
  r->raw_path = uri;
  r->raw_path_len = q ? (size_t)(q - uri) : strlen(uri);
  r->query = q ? q + 1 : "";
  if (r->raw_path_len > 3 * REQUEST_MAX_PATH) return 414;
  if (strlen(r->query) > REQUEST_MAX_QUERY) return 414;
  buf path = {0};
  int rc = percent_decode(uri, r->raw_path_len, 0, &path);
  buf_putc(&path, 0); /* ensure allocation even for "" */
  r->path = path.data;
  if (rc != 0) return 400;
  if (path.len - 1 > REQUEST_MAX_PATH) return 414;
  /* The query must be decodable as a whole, so that every lookup agrees. */
  buf scratch = {0};
  int bad = percent_decode(r->query, strlen(r->query), 1, &scratch);
  buf_free(&scratch);
  return bad ? 400 : 0;
}

void request_free(request *r) {
  free(r->path);
  free(r->body);
  r->path = NULL;
  r->body = NULL;
}

int form_lookup(const char *s, size_t n, const char *key, buf *out) {
  size_t klen = strlen(key);
  size_t i = 0;
  while (i < n) {
    size_t end = i;
    while (end < n && s[end] != '&') end++;
    const char *eq = memchr(s + i, '=', end - i);
    size_t name_len = eq ? (size_t)(eq - (s + i)) : end - i;
    if (name_len == klen && memcmp(s + i, key, klen) == 0) {
      const char *v = eq ? eq + 1 : s + end;
      size_t vlen = (size_t)(s + end - v);
      return percent_decode(v, vlen, 1, out) == 0 ? 1 : -1;
    }
    i = end + 1;
  }
  return 0;
}

int request_query(const request *r, const char *key, buf *out) {
  return form_lookup(r->query, strlen(r->query), key, out);
}

int request_form(const request *r, const char *key, buf *out) {
  if (!r->body) return 0;
  return form_lookup(r->body, r->body_len, key, out);
}

long form_id(const char *s) {
  long v = 0;
  if (!*s || strlen(s) > 16) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (*s - '0');
  }
  return v <= (1L << 53) ? v : 0;
}

long request_form_ids(const request *r, const char *key, long *ids, size_t max) {
  const char *p = r->body ? r->body : "";
  const char *end = p + (r->body ? r->body_len : 0);
  size_t n = 0;
  buf v = {0};
  long rc = 0;
  while (p < end && rc == 0) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
    buf_reset(&v);
    int found = form_lookup(p, len, key, &v);
    long id = found == 1 ? form_id(buf_str(&v)) : 0;
    if (found < 0 || (found == 1 && (!id || n == max))) rc = -1;
    else if (found == 1) ids[n++] = id;
    p += len + 1;
  }
  buf_free(&v);
  return rc < 0 ? -1 : (long)n;
}

int request_query_int(const request *r, const char *key, long def, long min,
                      long max, long *out) {
  buf v = {0};
  int found = request_query(r, key, &v);
  int rc = 0;
  *out = def;
  if (found < 0) {
    rc = -1;
  } else if (found > 0) {
    const char *s = buf_str(&v);
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (!isdigit((unsigned char)*s) || *end || errno || x < min || x > max)
      rc = -1;
    else
      *out = x;
  }
  buf_free(&v);
  return rc;
}

int request_cookie(const request *r, const char *name, buf *out) {
  const char *h = request_param(r, "HTTP_COOKIE");
  size_t n = strlen(name);
  while (h && *h) {
    while (*h == ' ' || *h == ';') h++;
    const char *end = strchr(h, ';');
    if (!end) end = h + strlen(h);
    if ((size_t)(end - h) > n && strncmp(h, name, n) == 0 && h[n] == '=') {
      buf_append(out, h + n + 1, (size_t)(end - (h + n + 1)));
      return 1;
    }
    h = end;
  }
  return 0;
}
