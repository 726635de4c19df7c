/*
** response.c: every byte sent to a client passes through here
** (see response.h).
*/
#include "response.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "timefmt.h"

/* The policy every HTML page is served with: nothing inline, nothing from
** elsewhere, no framing; frames only from the site itself and the video
** players it allows (response_frames). */
static const char CSP_HTML[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'";

/* The same, for a page this site's own pages may frame. */
static const char CSP_HTML_FRAMED[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'self'; base-uri 'self'; "
    "object-src 'none'";

/* The policy for everything else (JSON, feeds, plain text). */
static const char CSP_OTHER[] = "default-src 'none'; frame-ancestors 'none'";

void response_tag(response *res, const char *prefix, long id) {
  char tag[80];
  if (id) snprintf(tag, sizeof tag, "%s-%ld", prefix, id);
  else snprintf(tag, sizeof tag, "%s", prefix);
  size_t n = strlen(tag);
  for (const char *p = buf_str(&res->tags); *p;) {
    size_t len = strcspn(p, " ");
    if (len == n && strncmp(p, tag, n) == 0) return;
    p += len + (p[len] == ' ');
  }
  if (res->tags.len) buf_putc(&res->tags, ' ');
  buf_puts(&res->tags, tag);
}

int response_header(response *res, const char *name, const char *value) {
  if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) return -1;
  buf_printf(&res->headers, "%s: %s\r\n", name, value);
  return 0;
}

int response_redirect(response *res, int status, const char *location) {
  res->status = response_header(res, "Location", location) == 0 ? status : 400;
  res->content_type = "text/plain; charset=utf-8";
  buf_reset(&res->body);
  buf_printf(&res->body, "%s\n", response_reason(res->status));
  return res->status;
}

/* The policies: their header, and whether shared caches may keep them. */
static const struct {
  const char *header;
  int shared;
} CACHE_POLICIES[] = {
    [CACHE_UNSET] = {NULL, 0},
    [CACHE_NO_STORE] = {"no-store", 0},
    [CACHE_PRIVATE] = {"private, no-store", 0},
    [CACHE_PAGE] = {"public, max-age=0", 1},
    [CACHE_FEED] = {"public, max-age=300", 1},
    [CACHE_API_LIST] = {"public, max-age=60", 1},
    [CACHE_API_ITEM] = {"public, max-age=300", 1},
    /* A browser keeps a redirect an hour; a shared cache, which nothing
    ** could purge of it (a moved address carries no tags), does not. */
    [CACHE_MOVED] = {"private, max-age=3600", 0},
};

int cache_policy_shared(cache_policy p) { return CACHE_POLICIES[p].shared; }

const char *cache_policy_header(cache_policy p) { return CACHE_POLICIES[p].header; }

void response_cache_private(response *res) {
  if (res->cache != CACHE_NO_STORE) res->cache = CACHE_PRIVATE;
}

/* Returns 1 when s holds only characters a cookie name or value may. */
static int cookie_text_ok(const char *s, int is_name) {
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch <= ' ' || ch >= 0x7f || strchr(";,\\\"", ch) || (is_name && strchr("=()<>@:/[]?{}", ch)))
      return 0;
  }
  return 1;
}

int response_cookie(response *res, const char *name, const char *value,
                    const cookie_attrs *a) {
  if (!*name || !cookie_text_ok(name, 1) || !cookie_text_ok(value, 0)) return -1;
  buf c = {0};
  buf_printf(&c, "%s=%s; Path=%s", name, value, a->path ? a->path : "/");
  if (a->max_age > 0) buf_printf(&c, "; Max-Age=%ld", a->max_age);
  if (a->max_age < 0) buf_puts(&c, "; Max-Age=0");
  if (a->http_only) buf_puts(&c, "; HttpOnly");
  if (a->same_site) buf_printf(&c, "; SameSite=%s", a->same_site);
  if (a->secure) buf_puts(&c, "; Secure");
  int rc = response_header(res, "Set-Cookie", buf_str(&c));
  buf_free(&c);
  if (rc == 0) {
    res->sets_cookie = 1;
    response_cache_private(res);
  }
  return rc;
}

const char *response_reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

/* Appends the tag header of a shared answer: its tags, space- or
** comma-separated as the header's readers expect. */
static void response_tags(const response *res, const cache_labels *l, buf *dst) {
  if (!l || !l->tag_header || !*l->tag_header || !res->tags.len) return;
  buf_printf(dst, "%s: ", l->tag_header);
  for (const char *p = buf_str(&res->tags); *p;) {
    size_t n = strcspn(p, " ");
    buf_append(dst, p, n);
    p += n + (p[n] == ' ');
    if (*p) buf_puts(dst, l->tags_comma ? ", " : " ");
  }
  buf_puts(dst, "\r\n");
}

/* Appends the Cache-Control header of policy header cc; for an answer
** others may share, with what shared caches may do from labels. */
static void response_cache_control(const char *cc, int shared, const cache_labels *l,
                                   buf *dst) {
  buf_printf(dst, "Cache-Control: %s", cc);
  if (shared && l)
    buf_printf(dst, ", s-maxage=%d, stale-while-revalidate=%d, stale-if-error=%d",
               l->max_age, l->stale_revalidate, l->stale_error);
  buf_puts(dst, "\r\n");
}

/* Appends the status line and all headers, ending with the blank line. */
static void response_head(const response *res, int flags, const cache_labels *labels,
                          buf *dst) {
  int status = res->status ? res->status : 200;
  int html = res->content_type && strncmp(res->content_type, "text/html", 9) == 0;
  buf_printf(dst, "Status: %d %s\r\n", status, response_reason(status));
  if (res->content_type)
    buf_printf(dst, "Content-Type: %s\r\n", res->content_type);
  if (status != 304 && !res->producer.produce)
    buf_printf(dst, "Content-Length: %zu\r\n", res->body.len);
  buf_printf(dst, "Content-Security-Policy: %s",
             !html ? CSP_OTHER : res->frame_self ? CSP_HTML_FRAMED : CSP_HTML);
  /* Naming the players replaces default-src for frames: 'self' keeps the
  ** site's own frames (the newsroom's preview) allowed. */
  if (html && res->frame_src.len)
    buf_printf(dst, "; frame-src 'self' %s", buf_str(&res->frame_src));
  buf_puts(dst, "\r\n");
  buf_puts(dst,
           "X-Content-Type-Options: nosniff\r\n"
           "Referrer-Policy: strict-origin-when-cross-origin\r\n");
  buf_puts(dst, res->frame_self ? "X-Frame-Options: SAMEORIGIN\r\n" : "X-Frame-Options: DENY\r\n");
  if (res->etag[0]) buf_printf(dst, "ETag: %s\r\n", res->etag);
  const char *cc = cache_policy_header(res->cache);
  int shared = cache_policy_shared(res->cache) && (status == 200 || status == 304);
  /* A shared policy speaks for good answers only; a private one always. */
  if (cc && (!cache_policy_shared(res->cache) || shared))
    response_cache_control(cc, shared, labels, dst);
  if (shared) {
    response_tags(res, labels, dst);
    if (!(flags & RESPONSE_KEPT_AHEAD))
      buf_printf(dst, "X-Cache: %s\r\n", flags & RESPONSE_HIT ? "HIT" : "MISS");
    if (flags & RESPONSE_NO_LOCAL_KEEP) buf_puts(dst, "X-Accel-Expires: 0\r\n");
  }
  if (res->last_modified > 0 && (status == 200 || status == 304)) {
    buf_puts(dst, "Last-Modified: ");
    time_http(dst, (time_t)res->last_modified);
    buf_puts(dst, "\r\n");
  }
  buf_append(dst, buf_str(&res->headers), res->headers.len);
  buf_puts(dst, "\r\n");
}

/* Returns 1 when the response carries its body on the wire. */
static int response_has_body(const response *res, int head_only) {
  return !head_only && res->status != 304 && res->body.len > 0;
}

void response_serialize(const response *res, int head_only, int flags,
                        const cache_labels *labels, buf *dst) {
  response_head(res, flags, labels, dst);
  if (response_has_body(res, head_only))
    buf_append(dst, buf_str(&res->body), res->body.len);
}

void response_etag(response *res) {
  unsigned char h[16];
  char hex[33];
  crypto_generichash(h, sizeof h, (const unsigned char *)buf_str(&res->body),
                     res->body.len, NULL, 0);
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  snprintf(res->etag, sizeof res->etag, "\"%s\"", hex);
}

int response_not_modified(const response *res, const char *inm) {
  if (!inm || !res->etag[0]) return 0;
  if (strcmp(inm, "*") == 0) return 1;
  size_t n = strlen(res->etag);
  for (const char *p = strstr(inm, res->etag); p; p = strstr(p + 1, res->etag)) {
    /* A weak "W/" form of our tag also matches, as RFC 9110 says for GET. */
    char after = p[n];
    if (after == 0 || after == ',' || after == ' ') return 1;
  }
  return 0;
}

void response_frames(response *res, const char *frame_src) {
  buf_reset(&res->frame_src);
  /* Sources are URLs without spaces' neighbours: no ';', ',' or line end. */
  if (!strpbrk(frame_src, ";,\r\n")) buf_puts(&res->frame_src, frame_src);
}

void response_last_modified(response *res, long long t) {
  if (t > res->last_modified) res->last_modified = t;
}

int response_not_modified_since(const response *res, const char *ims) {
  time_t since;
  if (!ims || !res->etag[0] || res->last_modified <= 0) return 0;
  if (time_parse_http(ims, &since) != 0) return 0;
  return res->last_modified <= (long long)since;
}

void response_stream(response *res, int (*produce)(void *, stream *),
                     void (*release)(void *), void *state) {
  response_producer p = {produce, release, state};
  res->producer = p;
  buf_reset(&res->body);
}

/* Gives the producer's state back and forgets it. */
static void response_release(response *res) {
  if (res->producer.release) res->producer.release(res->producer.state);
  memset(&res->producer, 0, sizeof res->producer);
}

/* What the first run of a producer feeds: the hash of every byte, and the
** bytes themselves while they fit in keep. */
typedef struct first_run {
  crypto_generichash_state hash;
  buf *body;
  size_t keep;
  int over;
} first_run;

/* Takes n bytes of the first run (a stream_emit_fn). */
static int first_run_take(void *ud, const char *p, size_t n) {
  first_run *f = ud;
  crypto_generichash_update(&f->hash, (const unsigned char *)p, n);
  if (!f->over && f->body->len + n <= f->keep) {
    buf_append(f->body, p, n);
  } else if (!f->over) {
    f->over = 1;
    buf_free(f->body);
  }
  return 0;
}

int response_produce(response *res, size_t keep) {
  first_run f = {.body = &res->body, .keep = keep};
  stream s;
  unsigned char h[16];
  char hex[33];
  buf_reset(&res->body);
  crypto_generichash_init(&f.hash, NULL, 0, sizeof h);
  stream_init(&s, first_run_take, &f);
  int rc = res->producer.produce(res->producer.state, &s);
  if (stream_finish(&s) != 0) rc = -1;
  if (rc != 0) {
    response_release(res);
    buf_reset(&res->body);
    return -1;
  }
  response_last_modified(res, s.last_modified);
  if (!f.over) {
    response_release(res); /* the ETag comes from the body, as for any answer */
    return 0;
  }
  crypto_generichash_final(&f.hash, h, sizeof h);
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  snprintf(res->etag, sizeof res->etag, "\"%s\"", hex);
  return 0;
}

int response_stream_body(response *res, stream_emit_fn emit, void *ud) {
  stream s;
  stream_init(&s, emit, ud);
  int rc = res->producer.produce ? res->producer.produce(res->producer.state, &s) : 0;
  if (stream_finish(&s) != 0) rc = -1;
  response_release(res);
  return rc;
}

void response_free(response *res) {
  buf_free(&res->frame_src);
  response_release(res);
  buf_free(&res->headers);
  buf_free(&res->body);
  buf_free(&res->tags);
}
