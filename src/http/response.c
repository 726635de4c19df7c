/*
** response.c: every byte sent to a client passes through here
** (see response.h).
*/
#include "response.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The policy every HTML page is served with: nothing inline, nothing from
** elsewhere, no framing. */
static const char CSP_HTML[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'";

/* The policy for everything else (JSON, feeds, plain text). */
static const char CSP_OTHER[] = "default-src 'none'; frame-ancestors 'none'";

int response_header(response *res, const char *name, const char *value) {
  if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) return -1;
  buf_printf(&res->headers, "%s: %s\r\n", name, value);
  return 0;
}

void response_redirect(response *res, int status, const char *location) {
  res->status = response_header(res, "Location", location) == 0 ? status : 400;
  res->content_type = "text/plain; charset=utf-8";
  buf_reset(&res->body);
  buf_printf(&res->body, "%s\n", response_reason(res->status));
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
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

/* Appends the status line and all headers, ending with the blank line. */
static void response_head(const response *res, buf *dst) {
  int status = res->status ? res->status : 200;
  int html = res->content_type && strncmp(res->content_type, "text/html", 9) == 0;
  buf_printf(dst, "Status: %d %s\r\n", status, response_reason(status));
  if (res->content_type)
    buf_printf(dst, "Content-Type: %s\r\n", res->content_type);
  if (status != 304)
    buf_printf(dst, "Content-Length: %zu\r\n", res->body.len);
  buf_printf(dst, "Content-Security-Policy: %s\r\n", html ? CSP_HTML : CSP_OTHER);
  buf_puts(dst,
           "X-Content-Type-Options: nosniff\r\n"
           "Referrer-Policy: strict-origin-when-cross-origin\r\n"
           "X-Frame-Options: DENY\r\n");
  if (res->etag[0]) buf_printf(dst, "ETag: %s\r\n", res->etag);
  buf_append(dst, buf_str(&res->headers), res->headers.len);
  buf_puts(dst, "\r\n");
}

/* Returns 1 when the response carries its body on the wire. */
static int response_has_body(const response *res, int head_only) {
  return !head_only && res->status != 304 && res->body.len > 0;
}

void response_serialize(const response *res, int head_only, buf *dst) {
  response_head(res, dst);
  if (response_has_body(res, head_only))
    buf_append(dst, buf_str(&res->body), res->body.len);
}

void response_send(const response *res, FCGX_Stream *out, int head_only) {
  buf head = {0};
  response_head(res, &head);
  FCGX_PutStr(buf_str(&head), (int)head.len, out);
  if (response_has_body(res, head_only))
    FCGX_PutStr(buf_str(&res->body), (int)res->body.len, out);
  buf_free(&head);
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

void response_send_conditional(const response *res, FCGX_Stream *out,
                               int head_only, const char *inm) {
  if (!response_not_modified(res, inm)) {
    response_send(res, out, head_only);
    return;
  }
  response nm = *res; /* shares the buffers; never freed */
  nm.status = 304;
  response_send(&nm, out, 1);
}

void response_free(response *res) {
  buf_free(&res->headers);
  buf_free(&res->body);
}
