/*
** webhook_client.c: one bounded HTTP POST (see webhook_client.h).
*/
#include "webhook_client.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ---- addresses --------------------------------------------------------------- */

/* Writes why into err and returns -1. */
static int url_fail(char *err, size_t errlen, const char *why) {
  snprintf(err, errlen, "%s", why);
  return -1;
}

/* Returns 1 when s is a host name: labels of letters, digits and hyphens
** separated by dots, 1 to 253 bytes. */
static int url_host_name_ok(const char *s) {
  size_t n = strlen(s), label = 0;
  if (n == 0 || n > 253) return 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '.') {
      if (label == 0) return 0;
      label = 0;
    } else if (isalnum((unsigned char)s[i]) || s[i] == '-') {
      if (++label > 63) return 0;
    } else {
      return 0;
    }
  }
  return 1;
}

/* Reads the host (and port) of the authority a[0..n) into u. */
static int url_authority(const char *a, size_t n, webhook_url *u, char *err, size_t errlen) {
  const char *end = a + n, *host = a, *host_end, *port = NULL;
  if (memchr(a, '@', n)) return url_fail(err, errlen, "the address may not hold a user name");
  if (n && a[0] == '[') {
    const char *close = memchr(a, ']', n);
    if (!close) return url_fail(err, errlen, "the IPv6 address is not closed by ]");
    host = a + 1;
    host_end = close;
    if (close + 1 < end) {
      if (close[1] != ':') return url_fail(err, errlen, "the address is not well-formed");
      port = close + 2;
    }
  } else {
    const char *colon = memchr(a, ':', n);
    host_end = colon ? colon : end;
    if (colon) port = colon + 1;
  }
  size_t hlen = (size_t)(host_end - host);
  if (hlen == 0 || hlen >= sizeof u->host) return url_fail(err, errlen, "the address has no host");
  memcpy(u->host, host, hlen);
  u->host[hlen] = 0;
  for (char *p = u->host; *p; p++) *p = (char)tolower((unsigned char)*p);
  if (port) {
    size_t plen = (size_t)(end - port);
    long v = 0;
    if (plen == 0 || plen > 5) return url_fail(err, errlen, "the port is not a number");
    for (size_t i = 0; i < plen; i++) {
      if (port[i] < '0' || port[i] > '9') return url_fail(err, errlen, "the port is not a number");
      v = v * 10 + (port[i] - '0');
    }
    if (v < 1 || v > 65535) return url_fail(err, errlen, "the port is not from 1 to 65535");
    snprintf(u->port, sizeof u->port, "%ld", v);
  }
  unsigned char ip[16];
  u->literal = inet_pton(AF_INET, u->host, ip) == 1 || inet_pton(AF_INET6, u->host, ip) == 1;
  if (!u->literal && !url_host_name_ok(u->host))
    return url_fail(err, errlen, "the host is not a valid name or IP address");
  return 0;
}

int webhook_url_parse(const char *url, webhook_url *u, char *err, size_t errlen) {
  memset(u, 0, sizeof *u);
  size_t n = strlen(url);
  if (n > WEBHOOK_URL_LEN) return url_fail(err, errlen, "the address is longer than 500 bytes");
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)url[i] <= ' ' || (unsigned char)url[i] >= 0x7f)
      return url_fail(err, errlen, "the address may not hold spaces or characters outside ASCII");
  const char *rest;
  if (strncasecmp(url, "http://", 7) == 0) rest = url + 7;
  else if (strncasecmp(url, "https://", 8) == 0) rest = url + 8, u->https = 1;
  else return url_fail(err, errlen, "the address must start with http:// or https://");
  snprintf(u->port, sizeof u->port, "%s", u->https ? "443" : "80");
  size_t alen = strcspn(rest, "/?#");
  if (url_authority(rest, alen, u, err, errlen) != 0) return -1;
  const char *path = rest + alen;
  size_t plen = strcspn(path, "#");
  if (plen == 0) snprintf(u->path, sizeof u->path, "/");
  else snprintf(u->path, sizeof u->path, "%s%.*s", path[0] == '/' ? "" : "/", (int)plen, path);
  return 0;
}

/* Returns 1 when the IPv4 address a (network order) is public. */
static int ipv4_public(const unsigned char a[4]) {
  if (a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224) return 0; /* this, private,
                                                                        ** loopback, multicast, reserved */
  if (a[0] == 100 && (a[1] & 0xc0) == 64) return 0;                   /* carrier-grade NAT */
  if (a[0] == 169 && a[1] == 254) return 0;                           /* link-local */
  if (a[0] == 172 && (a[1] & 0xf0) == 16) return 0;                   /* private */
  if (a[0] == 192 && a[1] == 168) return 0;                           /* private */
  if (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) return 0; /* protocols, docs */
  if (a[0] == 198 && (a[1] & 0xfe) == 18) return 0;                   /* benchmarking */
  if (a[0] == 198 && a[1] == 51 && a[2] == 100) return 0;             /* documentation */
  if (a[0] == 203 && a[1] == 0 && a[2] == 113) return 0;              /* documentation */
  return 1;
}

/* Returns 1 when the IPv6 address a is public. */
static int ipv6_public(const unsigned char a[16]) {
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  static const unsigned char zero[16] = {0};
  if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0) return ipv4_public(a + 12);
  if (memcmp(a, zero, 15) == 0) return 0;                 /* :: and ::1 */
  if ((a[0] & 0xfe) == 0xfc) return 0;                    /* unique local */
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return 0;    /* link-local */
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return 0;    /* site-local (old) */
  if (a[0] == 0xff) return 0;                             /* multicast */
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return 0; /* docs */
  return 1;
}

int webhook_address_public(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET)
    return ipv4_public((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr);
  if (sa->sa_family == AF_INET6)
    return ipv6_public(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
  return 0;
}

/* Returns 1 when the literal IP address host is public. */
static int url_literal_public(const char *host) {
  struct sockaddr_in v4 = {.sin_family = AF_INET};
  struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
  if (inet_pton(AF_INET, host, &v4.sin_addr) == 1)
    return webhook_address_public((const struct sockaddr *)&v4);
  if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1)
    return webhook_address_public((const struct sockaddr *)&v6);
  return 0;
}

int webhook_url_check(const char *url, int allow_private, char *err, size_t errlen) {
  webhook_url u;
  if (webhook_url_parse(url, &u, err, errlen) != 0) return -1;
  if (allow_private) return 0;
  size_t n = strlen(u.host);
  int local = strcmp(u.host, "localhost") == 0 ||
              (n > 10 && strcmp(u.host + n - 10, ".localhost") == 0);
  if (local || (u.literal && !url_literal_public(u.host)))
    return url_fail(err, errlen,
                    "the address is private, loopback or link-local (not allowed by the "
                    "webhook_allow_private setting)");
  return 0;
}

/* ---- one connection ------------------------------------------------------------ */

/* A connection: its socket, its TLS session (or NULL), its deadline. */
typedef struct conn {
  int fd;
  SSL_CTX *ctx;
  SSL *ssl;
  struct timespec deadline;
  char *err;
  size_t errlen;
} conn;

/* Returns the milliseconds left before k's deadline (0 when past). */
static int conn_left(const conn *k) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long ms = (long long)(k->deadline.tv_sec - now.tv_sec) * 1000 +
                 (k->deadline.tv_nsec - now.tv_nsec) / 1000000;
  return ms > 0 ? (int)(ms > 600000 ? 600000 : ms) : 0;
}

/* Writes why into k's error and returns -1. */
static int conn_fail(conn *k, const char *why) {
  snprintf(k->err, k->errlen, "%s", why);
  return -1;
}

/* Waits until k's socket is ready for events. Returns 0, or -1 (timed
** out, or the socket failed). */
static int conn_wait(conn *k, short events) {
  for (;;) {
    int left = conn_left(k);
    if (left == 0) return conn_fail(k, "timed out");
    struct pollfd p = {.fd = k->fd, .events = events};
    int n = poll(&p, 1, left);
    if (n > 0) return 0;
    if (n == 0) return conn_fail(k, "timed out");
    if (errno != EINTR) return conn_fail(k, strerror(errno));
  }
}

/* Connects k's socket to address a (non-blocking, within the deadline).
** Returns 0 or -1. */
static int conn_open(conn *k, const struct addrinfo *a) {
  k->fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
  if (k->fd < 0) return conn_fail(k, strerror(errno));
  if (connect(k->fd, a->ai_addr, a->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return conn_fail(k, strerror(errno));
    if (conn_wait(k, POLLOUT) != 0) return -1;
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0 || e != 0)
      return conn_fail(k, strerror(e ? e : errno));
  }
  return 0;
}

/* Waits for what TLS needs after a call that returned ret. Returns 0 to
** call again, -1 on a failure (described). */
static int tls_again(conn *k, int ret, const char *what) {
  int e = SSL_get_error(k->ssl, ret);
  if (e == SSL_ERROR_WANT_READ) return conn_wait(k, POLLIN);
  if (e == SSL_ERROR_WANT_WRITE) return conn_wait(k, POLLOUT);
  long verify = SSL_get_verify_result(k->ssl);
  unsigned long code = ERR_get_error();
  char reason[200] = "";
  if (verify != X509_V_OK) snprintf(reason, sizeof reason, "%s", X509_verify_cert_error_string(verify));
  else if (code) ERR_error_string_n(code, reason, sizeof reason);
  else snprintf(reason, sizeof reason, "the connection closed");
  ERR_clear_error();
  snprintf(k->err, k->errlen, "TLS %s failed: %s", what, reason);
  return -1;
}

/* Starts TLS on k for host, checking its certificate against the
** system's store and the name. Returns 0 or -1. */
static int tls_open(conn *k, const webhook_url *u) {
  k->ctx = SSL_CTX_new(TLS_client_method());
  if (!k->ctx) return conn_fail(k, "TLS is not available");
  SSL_CTX_set_min_proto_version(k->ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(k->ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_set_default_verify_paths(k->ctx) != 1) return conn_fail(k, "no certificate store");
  k->ssl = SSL_new(k->ctx);
  if (!k->ssl || SSL_set_fd(k->ssl, k->fd) != 1) return conn_fail(k, "TLS is not available");
  if (u->literal) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(k->ssl), u->host);
  } else {
    SSL_set_tlsext_host_name(k->ssl, u->host);
    SSL_set1_host(k->ssl, u->host);
  }
  int ret;
  while ((ret = SSL_connect(k->ssl)) != 1)
    if (tls_again(k, ret, "handshake") != 0) return -1;
  return 0;
}

/* Sends p[0..n) on k. Returns 0 or -1. */
static int conn_send(conn *k, const char *p, size_t n) {
  while (n > 0) {
    if (k->ssl) {
      int w = SSL_write(k->ssl, p, n > (1 << 30) ? 1 << 30 : (int)n);
      if (w <= 0) {
        if (tls_again(k, w, "write") != 0) return -1;
        continue;
      }
      p += w;
      n -= (size_t)w;
    } else {
      ssize_t w = send(k->fd, p, n, MSG_NOSIGNAL);
      if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (conn_wait(k, POLLOUT) != 0) return -1;
        continue;
      }
      if (w < 0) return conn_fail(k, strerror(errno));
      p += w;
      n -= (size_t)w;
    }
  }
  return 0;
}

/* Reads up to n bytes from k into p. Returns the bytes read, 0 at the
** end of the answer, -1 on a failure or at the deadline. */
static long conn_recv(conn *k, char *p, size_t n) {
  for (;;) {
    if (k->ssl) {
      int r = SSL_read(k->ssl, p, (int)n);
      if (r > 0) return r;
      int e = SSL_get_error(k->ssl, r);
      if (e == SSL_ERROR_ZERO_RETURN) return 0;
      if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return 0; /* closed without notify */
      if (tls_again(k, r, "read") != 0) return -1;
    } else {
      ssize_t r = recv(k->fd, p, n, 0);
      if (r >= 0) return (long)r;
      if (errno != EAGAIN && errno != EINTR) return conn_fail(k, strerror(errno));
      if (conn_wait(k, POLLIN) != 0) return -1;
    }
  }
}

/* Closes what k holds. */
static void conn_close(conn *k) {
  if (k->ssl) SSL_free(k->ssl);
  if (k->ctx) SSL_CTX_free(k->ctx);
  if (k->fd >= 0) close(k->fd);
  k->ssl = NULL;
  k->ctx = NULL;
  k->fd = -1;
}

/* ---- the exchange ----------------------------------------------------------------- */

/* Resolves u and connects k to its first address that answers, after
** checking all of them (unless allow_private). Returns 0 or -1. */
static int post_connect(conn *k, const webhook_url *u, int allow_private) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV}, *res = NULL;
  int g = getaddrinfo(u->host, u->port, &hints, &res);
  if (g != 0) {
    snprintf(k->err, k->errlen, "the name %s does not resolve: %s", u->host, gai_strerror(g));
    return -1;
  }
  int rc = 0;
  for (const struct addrinfo *a = res; a && !allow_private; a = a->ai_next)
    if (!webhook_address_public(a->ai_addr)) {
      rc = conn_fail(k, "refused: the address is private, loopback or link-local "
                        "(webhook_allow_private is off)");
      break;
    }
  if (rc == 0) {
    rc = -1;
    for (const struct addrinfo *a = res; a && rc != 0 && conn_left(k) > 0; a = a->ai_next) {
      if (k->fd >= 0) close(k->fd);
      k->fd = -1;
      rc = conn_open(k, a);
    }
    if (rc != 0 && !k->err[0]) conn_fail(k, "timed out");
  }
  freeaddrinfo(res);
  return rc;
}

/* Reads the header value of name from the answer's head into out. */
static void post_header(const char *head, const char *name, char *out, size_t n) {
  size_t len = strlen(name);
  out[0] = 0;
  for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
    const char *line = p + 2;
    if (strncasecmp(line, name, len) == 0 && line[len] == ':') {
      const char *v = line + len + 1;
      while (*v == ' ' || *v == '\t') v++;
      size_t vl = strcspn(v, "\r\n");
      snprintf(out, n, "%.*s", (int)vl, v);
      return;
    }
  }
}

/* Returns 1 when the answer in got (head of head_len bytes) is complete:
** its declared length read, or enough of it kept. */
static int post_complete(const buf *got, size_t head_len) {
  size_t body = got->len - head_len;
  if (body >= WEBHOOK_CLIENT_KEEP) return 1;
  char cl[24], te[32];
  post_header(buf_str(got), "Content-Length", cl, sizeof cl);
  post_header(buf_str(got), "Transfer-Encoding", te, sizeof te);
  if (*cl) return body >= (size_t)strtoull(cl, NULL, 10);
  if (strcasecmp(te, "chunked") == 0)
    return body >= 5 && memcmp(buf_str(got) + got->len - 5, "0\r\n\r\n", 5) == 0;
  return 0;
}

/* Reads the answer from k into out. Returns 0 or -1. */
static int post_read(conn *k, webhook_answer *out) {
  buf got = {0};
  char chunk[4096];
  size_t head_len = 0;
  int rc = 0;
  for (;;) {
    long r = conn_recv(k, chunk, sizeof chunk);
    if (r < 0) rc = -1;
    if (r <= 0) break;
    buf_append(&got, chunk, (size_t)r);
    if (!head_len) {
      const char *end = strstr(buf_str(&got), "\r\n\r\n");
      if (end) head_len = (size_t)(end - buf_str(&got)) + 4;
      else if (got.len > WEBHOOK_CLIENT_HEAD_MAX) break;
    }
    if (head_len && post_complete(&got, head_len)) break;
  }
  const char *s = buf_str(&got);
  int status = 0;
  if (strncmp(s, "HTTP/1.", 7) == 0 && s[8] == ' ' && sscanf(s + 9, "%3d", &status) == 1 &&
      status >= 100 && status <= 599) {
    out->status = status;
    if (head_len) {
      char cl[24];
      size_t keep = got.len - head_len < WEBHOOK_CLIENT_KEEP ? got.len - head_len : WEBHOOK_CLIENT_KEEP;
      post_header(s, "Content-Length", cl, sizeof cl);
      if (*cl && strtoull(cl, NULL, 10) < keep) keep = (size_t)strtoull(cl, NULL, 10);
      buf_append(&out->body, s + head_len, keep);
      post_header(s, "Location", out->location, sizeof out->location);
    }
    rc = 0;
  } else if (rc == 0) {
    rc = conn_fail(k, got.len ? "the answer is not HTTP" : "the connection closed without an answer");
  }
  buf_free(&got);
  return rc;
}

int webhook_post(const webhook_request *r, webhook_answer *out) {
  memset(out, 0, sizeof *out);
  webhook_url u;
  if (webhook_url_parse(r->url, &u, out->error, sizeof out->error) != 0) return -1;
  conn k = {.fd = -1, .err = out->error, .errlen = sizeof out->error};
  clock_gettime(CLOCK_MONOTONIC, &k.deadline);
  k.deadline.tv_sec += r->timeout_ms / 1000;
  k.deadline.tv_nsec += (long)(r->timeout_ms % 1000) * 1000000L;
  if (k.deadline.tv_nsec >= 1000000000L) {
    k.deadline.tv_sec += 1;
    k.deadline.tv_nsec -= 1000000000L;
  }
  int rc = post_connect(&k, &u, r->allow_private);
  if (rc == 0 && u.https) rc = tls_open(&k, &u);
  if (rc == 0) {
    buf head = {0};
    int default_port = strcmp(u.port, u.https ? "443" : "80") == 0;
    int v6 = strchr(u.host, ':') != NULL;
    buf_printf(&head, "POST %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\n", u.path, v6 ? "[" : "", u.host,
               v6 ? "]" : "", default_port ? "" : ":", default_port ? "" : u.port);
    buf_printf(&head, "Content-Length: %zu\r\nConnection: close\r\n%s\r\n", r->body_len,
               r->headers ? r->headers : "");
    rc = conn_send(&k, buf_str(&head), head.len);
    buf_free(&head);
    if (rc == 0) rc = conn_send(&k, r->body, r->body_len);
    if (rc == 0) rc = post_read(&k, out);
  }
  conn_close(&k);
  if (rc != 0) out->status = 0;
  return rc;
}
