/*
** netaddr.c: addresses, blocks and peers (see netaddr.h).
*/
#include "netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The separators of a list. */
static const char LIST_SEPARATORS[] = " ,\t\r\n";

int netaddr_parse(const char *s, size_t len, unsigned char out[16]) {
  char text[INET6_ADDRSTRLEN + 1];
  if (len == 0 || len >= sizeof text) return -1;
  memcpy(text, s, len);
  text[len] = 0;
  struct in_addr v4;
  if (inet_pton(AF_INET, text, &v4) == 1) {
    memset(out, 0, 10);
    out[10] = out[11] = 0xff;
    memcpy(out + 12, &v4, 4);
    return 0;
  }
  struct in6_addr v6;
  if (inet_pton(AF_INET6, text, &v6) == 1) {
    memcpy(out, &v6, 16);
    return 0;
  }
  return -1;
}

/* Returns 1 when the 16 bytes hold an IPv4-mapped address. */
static int netaddr_is_v4(const unsigned char a[16]) {
  static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return memcmp(a, prefix, 12) == 0;
}

/* Parses one item s[0..len) of a list ("ADDR" or "ADDR/BITS") into b.
** Returns 0 or -1 with a reason. */
static int netblock_parse(const char *s, size_t len, netblock *b, char *err,
                          size_t errlen) {
  const char *slash = memchr(s, '/', len);
  size_t alen = slash ? (size_t)(slash - s) : len;
  if (netaddr_parse(s, alen, b->a) != 0) {
    snprintf(err, errlen, "not an IP address: %.*s", (int)(alen > 64 ? 64 : alen), s);
    return -1;
  }
  int v4 = netaddr_is_v4(b->a);
  b->bits = 128;
  if (slash) {
    const char *p = slash + 1;
    size_t n = len - alen - 1;
    int bits = 0;
    if (n == 0 || n > 3) goto bad;
    for (size_t i = 0; i < n; i++) {
      if (p[i] < '0' || p[i] > '9') goto bad;
      bits = bits * 10 + (p[i] - '0');
    }
    if (bits > (v4 ? 32 : 128)) goto bad;
    b->bits = v4 ? 96 + bits : bits;
  }
  return 0;
bad:
  snprintf(err, errlen, "bad prefix length in %.*s", (int)(len > 64 ? 64 : len), s);
  return -1;
}

int netlist_parse(const char *s, netlist *out, char *err, size_t errlen) {
  out->n = 0;
  const char *p = s ? s : "";
  for (;;) {
    p += strspn(p, LIST_SEPARATORS);
    if (!*p) return 0;
    size_t len = strcspn(p, LIST_SEPARATORS);
    if (out->n == NETADDR_MAX_LIST) {
      snprintf(err, errlen, "more than %d addresses", NETADDR_MAX_LIST);
      return -1;
    }
    if (netblock_parse(p, len, &out->b[out->n], err, errlen) != 0) return -1;
    out->n++;
    p += len;
  }
}

/* Returns 1 when a's first bits bits equal block b's. */
static int netblock_has(const netblock *b, const unsigned char a[16]) {
  int whole = b->bits / 8, rest = b->bits % 8;
  if (memcmp(a, b->a, (size_t)whole) != 0) return 0;
  if (rest == 0) return 1;
  unsigned char mask = (unsigned char)(0xff << (8 - rest));
  return (a[whole] & mask) == (b->a[whole] & mask);
}

int netlist_has(const netlist *l, const unsigned char a[16]) {
  for (int i = 0; i < l->n; i++)
    if (netblock_has(&l->b[i], a)) return 1;
  return 0;
}

void netaddr_format(const unsigned char a[16], char out[NETADDR_MAX_TEXT]) {
  if (netaddr_is_v4(a)) inet_ntop(AF_INET, a + 12, out, NETADDR_MAX_TEXT);
  else inet_ntop(AF_INET6, a, out, NETADDR_MAX_TEXT);
}

/* Parses the port in s[0..len). Returns it, or -1. */
static int netpeer_port(const char *s, size_t len) {
  int port = 0;
  if (len == 0 || len > 5) return -1;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    port = port * 10 + (s[i] - '0');
  }
  return port >= 1 && port <= 65535 ? port : -1;
}

/* Returns 1 when the host name s[0..len) has only the characters of a DNS
** name or an IPv4 address. */
static int netpeer_host_ok(const char *s, size_t len) {
  if (len == 0 || len >= NETADDR_MAX_HOST) return 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '-' || c == '_'))
      return 0;
  }
  return 1;
}

int netpeer_parse(const char *s, size_t len, netpeer *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  int shown = (int)(len > 80 ? 80 : len);
  if (len > 5 && strncmp(s, "unix:", 5) == 0) {
    if (s[5] != '/' || len - 5 >= sizeof out->path || memchr(s, 0, len)) {
      snprintf(err, errlen, "a unix socket needs an absolute path under %d bytes: %.*s",
               (int)sizeof out->path, shown, s);
      return -1;
    }
    memcpy(out->path, s + 5, len - 5);
    return 0;
  }
  const char *host = s, *colon;
  size_t hlen;
  if (len && s[0] == '[') {
    const char *close = memchr(s, ']', len);
    unsigned char a[16];
    if (!close || close + 1 >= s + len || close[1] != ':' ||
        netaddr_parse(s + 1, (size_t)(close - s - 1), a) != 0)
      goto bad;
    host = s + 1;
    hlen = (size_t)(close - s - 1);
    colon = close + 1;
  } else {
    colon = NULL;
    for (size_t i = len; i > 0; i--)
      if (s[i - 1] == ':') {
        colon = s + i - 1;
        break;
      }
    if (!colon) goto bad;
    hlen = (size_t)(colon - s);
    if (!netpeer_host_ok(s, hlen)) goto bad;
  }
  out->port = netpeer_port(colon + 1, (size_t)(s + len - colon - 1));
  if (out->port < 0 || hlen >= sizeof out->host) goto bad;
  memcpy(out->host, host, hlen);
  return 0;
bad:
  snprintf(err, errlen, "not HOST:PORT, [IPV6]:PORT or unix:/PATH: %.*s", shown, s);
  return -1;
}

int netpeer_each(const char *s, int (*fn)(void *ud, const netpeer *p, const char *text,
                                          size_t len),
                 void *ud, char *err, size_t errlen) {
  const char *p = s ? s : "";
  int n = 0;
  for (;;) {
    p += strspn(p, LIST_SEPARATORS);
    if (!*p) return n;
    size_t len = strcspn(p, LIST_SEPARATORS);
    netpeer peer;
    if (n == NETADDR_MAX_LIST) {
      snprintf(err, errlen, "more than %d servers", NETADDR_MAX_LIST);
      return -1;
    }
    if (netpeer_parse(p, len, &peer, err, errlen) != 0) return -1;
    if (fn && fn(ud, &peer, p, len) != 0) return n;
    n++;
    p += len;
  }
}
