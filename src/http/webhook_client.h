/*
** webhook_client.h: the small HTTP client that delivers webhooks. One
** POST, one answer, nothing more: HTTP/1.1 with "Connection: close", over
** plain TCP or TLS (OpenSSL, the system's certificate store, the name
** checked), never following a redirect, reading at most the head and
** WEBHOOK_CLIENT_KEEP bytes of the answer's body. Every step after the
** name is resolved (connecting, the TLS handshake, sending, reading) shares
** one deadline, so a receiver that is slow, or sends its answer a byte at a
** time, costs at most the timeout. It runs in the webhook thread only,
** never in a thread that answers requests.
**
** Unless private addresses are allowed (the webhook_allow_private
** setting), an address that is not public is refused: loopback, private
** (RFC 1918, unique local), link-local, carrier-grade NAT, unspecified,
** multicast, reserved and documentation ranges, and IPv4 mapped into IPv6
** the same. A name is checked on every address it resolves to, and the
** connection is made to an address that was checked (never resolved
** again), so a name cannot turn private between the check and the use.
*/
#ifndef GAZETTE_WEBHOOK_CLIENT_H
#define GAZETTE_WEBHOOK_CLIENT_H

#include <stddef.h>
#include <sys/socket.h>

#include "buf.h"

enum {
  WEBHOOK_CLIENT_KEEP = 1000,    /* bytes of the answer's body kept */
  WEBHOOK_CLIENT_HEAD_MAX = 16384,
  WEBHOOK_URL_LEN = 500,
};

/* An endpoint's address, taken apart. */
typedef struct webhook_url {
  int https;
  char host[256];                     /* an IPv6 literal without brackets */
  char port[6];
  char path[WEBHOOK_URL_LEN + 1];     /* path and query, from "/" */
  int literal;                        /* host is an IP address */
} webhook_url;

/* Parses url: http:// or https://, a host name or an IP address (IPv6 in
** brackets), an optional port, a path and query (no user name, no
** fragment), at most WEBHOOK_URL_LEN bytes. Returns 0, or -1 with why in
** err. */
int webhook_url_parse(const char *url, webhook_url *u, char *err, size_t errlen);

/* Returns 1 when sa (AF_INET or AF_INET6) is a public address, else 0. */
int webhook_address_public(const struct sockaddr *sa);

/* Checks an address an admin registers: it parses, and, unless
** allow_private, it is neither "localhost" (or a name under .localhost)
** nor an IP address that is not public. A name is resolved only when a
** delivery is made. Returns 0, or -1 with why in err. */
int webhook_url_check(const char *url, int allow_private, char *err, size_t errlen);

/* One delivery to send. */
typedef struct webhook_request {
  const char *url;
  const char *headers;        /* more header lines, each "Name: value\r\n" */
  const char *body;
  size_t body_len;
  int timeout_ms;
  int allow_private;
} webhook_request;

/* What came back. */
typedef struct webhook_answer {
  int status;                 /* the HTTP status, 0 when none came */
  char error[256];            /* why no answer came, or "" */
  char location[256];         /* a redirect's Location, or "" */
  buf body;                   /* the start of the answer's body */
} webhook_answer;

/* POSTs the request. Returns 0 when the receiver answered (out->status),
** -1 when it did not (out->error says why: the address refused, no
** connection, the TLS handshake, the time out, an answer that is not
** HTTP). out->body must be freed with buf_free. */
int webhook_post(const webhook_request *r, webhook_answer *out);

#endif
