/*
** visitor.c: visitor cookie, address hash, origin and form-token checks
** (see visitor.h).
*/
#include "visitor.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "view.h"

int visitor_id(ctx *c, char id[VISITOR_ID_LEN + 1], int create) {
  buf v = {0};
  int ok = request_cookie(&c->req, "gz_visitor", &v) && v.len == VISITOR_ID_LEN;
  for (size_t i = 0; ok && i < v.len; i++)
    ok = isxdigit((unsigned char)v.data[i]) && !isupper((unsigned char)v.data[i]);
  if (ok) memcpy(id, v.data, VISITOR_ID_LEN + 1);
  buf_free(&v);
  if (ok || !create) return ok;
  unsigned char raw[VISITOR_ID_LEN / 2];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(id, VISITOR_ID_LEN + 1, raw, sizeof raw);
  cookie_attrs a = {.max_age = 63072000, .http_only = 1, .same_site = "Lax",
                    .secure = strncmp(c->app->base_url, "https:", 6) == 0};
  response_cookie(&c->res, "gz_visitor", id, &a);
  return 1;
}

/* Walks X-Forwarded-For xff from its right end (the hop the trusted
** proxy appended) past the trusted proxies; writes the first address that
** is not one into out. An item that is not an address stops the walk at
** the last hop that was. Returns 1 when out was written. */
static int visitor_forwarded(const netlist *trusted, const char *xff,
                             char out[NETADDR_MAX_TEXT]) {
  size_t end = strlen(xff);
  int written = 0;
  for (int hops = 0; hops < VISITOR_MAX_HOPS && end > 0; hops++) {
    size_t start = end;
    while (start > 0 && xff[start - 1] != ',') start--;
    size_t a = start, b = end;
    while (a < b && (xff[a] == ' ' || xff[a] == '\t')) a++;
    while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t')) b--;
    unsigned char addr[16];
    if (netaddr_parse(xff + a, b - a, addr) != 0) return written;
    netaddr_format(addr, out);
    written = 1;
    if (!netlist_has(trusted, addr)) return 1;
    end = start > 0 ? start - 1 : 0;
  }
  return written;
}

void visitor_address(const ctx *c, char out[NETADDR_MAX_TEXT]) {
  const char *ip = request_param(&c->req, "REMOTE_ADDR");
  unsigned char addr[16];
  if (!ip || netaddr_parse(ip, strlen(ip), addr) != 0) {
    snprintf(out, NETADDR_MAX_TEXT, "%s", ip ? ip : "");
    return;
  }
  netaddr_format(addr, out);
  const char *xff = request_header(&c->req, "X-Forwarded-For");
  if (xff && netlist_has(&c->app->trusted_proxies, addr))
    visitor_forwarded(&c->app->trusted_proxies, xff, out);
}

void visitor_address_key(const char *ip, char out[VISITOR_KEY_MAX]) {
  unsigned char a[16];
  if (!ip) ip = "";
  if (strchr(ip, ':') && inet_pton(AF_INET6, ip, a) == 1) {
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, v4mapped, sizeof v4mapped) == 0) {
      inet_ntop(AF_INET, a + 12, out, VISITOR_KEY_MAX);
      return;
    }
    /* One household or one server gets a /64: its 2^64 addresses are one. */
    memset(a + 8, 0, 8);
    inet_ntop(AF_INET6, a, out, VISITOR_KEY_MAX - 3);
    strcat(out, "/64");
    return;
  }
  snprintf(out, VISITOR_KEY_MAX, "%s", ip);
}

void visitor_ip_hash(const ctx *c, unsigned char out[IP_HASH_LEN]) {
  char ip[NETADDR_MAX_TEXT], key[VISITOR_KEY_MAX];
  visitor_address(c, ip);
  visitor_address_key(ip, key);
  crypto_generichash(out, IP_HASH_LEN, (const unsigned char *)key, strlen(key),
                     c->app->secret, sizeof c->app->secret);
}

int visitor_check_origin(ctx *c) {
  const char *origin = request_header(&c->req, "Origin");
  const char *site = request_header(&c->req, "Sec-Fetch-Site");
  int ok;
  if (origin && strcmp(origin, "null") != 0)
    ok = api_origin_allowed(c, origin);
  else if (origin || site)
    ok = site && (strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0);
  else
    ok = 1;
  /* An allowed site's page may read the API's answer, with its cookies. */
  if (ok && origin && ctx_is_api(c) && strcmp(origin, "null") != 0) {
    response_header(&c->res, "Access-Control-Allow-Origin", origin);
    response_header(&c->res, "Access-Control-Allow-Credentials", "true");
    response_header(&c->res, "Vary", "Origin");
  }
  if (ok) return 0;
  view_error(c, 403, "Posting to this site from another site is not allowed.");
  return -1;
}

/* Writes to hex the MAC (16 bytes, in hex) of the decimal time t, bound to
** the address key when key is not NULL. */
static void token_mac(const ctx *c, long long t, const char *key, char hex[33]) {
  char msg[32 + VISITOR_KEY_MAX];
  unsigned char mac[crypto_auth_BYTES];
  int n = key ? snprintf(msg, sizeof msg, "form:%lld:%s", t, key)
              : snprintf(msg, sizeof msg, "form:%lld", t);
  crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, c->app->secret);
  sodium_bin2hex(hex, 33, mac, 16);
}

/* Writes to key the address key of the request's client. */
static void token_key(const ctx *c, char key[VISITOR_KEY_MAX]) {
  visitor_address_key(request_param(&c->req, "REMOTE_ADDR"), key);
}

void visitor_form_token(const ctx *c, buf *out, time_t now) {
  char hex[33];
  token_mac(c, (long long)now, NULL, hex);
  buf_printf(out, "%lld-%s", (long long)now, hex);
}

void visitor_bound_token(const ctx *c, buf *out, time_t now) {
  char hex[33], key[VISITOR_KEY_MAX];
  token_key(c, key);
  token_mac(c, (long long)now, key, hex);
  buf_printf(out, "%lld-%s", (long long)now, hex);
}

long visitor_token_age(const ctx *c, const char *token, int *bound) {
  *bound = 0;
  if (!token) return -1;
  char *end;
  long long t = strtoll(token, &end, 10);
  if (end == token || *end != '-' || strlen(end + 1) != 32 || t > c->now) return -1;
  char hex[33], key[VISITOR_KEY_MAX];
  token_mac(c, t, NULL, hex);
  if (sodium_memcmp(hex, end + 1, 32) != 0) {
    token_key(c, key);
    token_mac(c, t, key, hex);
    if (sodium_memcmp(hex, end + 1, 32) != 0) return -1;
    *bound = 1;
  }
  return (long)(c->now - t);
}
