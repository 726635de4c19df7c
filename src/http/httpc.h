/*
** httpc.h: a small HTTP/1.1 client, enough to tell caches what to forget
** (PURGE requests to nginx and Varnish). One connection to one server,
** kept open between requests when the server allows it. Everything is
** bounded: each request must be answered within its time limit, an
** answer's head within HTTPC_MAX_HEAD bytes and its body within
** HTTPC_MAX_BODY. Requests carry no body. Not thread-safe: one client per
** thread.
*/
#ifndef GAZETTE_HTTPC_H
#define GAZETTE_HTTPC_H

#include <stddef.h>

#include "buf.h"
#include "netaddr.h"

enum {
  HTTPC_MAX_HEAD = 16384,     /* status line and headers of an answer */
  HTTPC_MAX_BODY = 1048576,   /* an answer's body */
  HTTPC_MAX_REQUEST = 16384,  /* a request's head */
};

typedef struct httpc httpc;

/* Returns a client for the server at peer (nothing is connected yet);
** each request must be answered within timeout_ms milliseconds, the
** connection included. */
httpc *httpc_new(const netpeer *peer, int timeout_ms);

/* Closes the connection and frees the client. */
void httpc_free(httpc *h);

/* Sends one request without a body: method, target (a path with its
** query) and nheaders extra header lines "Name: value" (Host, and
** Content-Length: 0, are added). A kept connection that the server has
** closed meanwhile is opened again once. Appends the answer's body to
** body when it is not NULL. Returns the answer's status (100 to 599), or
** -1 with a one-line reason in err: the server cannot be reached, the time
** ran out, a header held CR or LF, or the answer was malformed or too
** large (the connection is then closed). */
int httpc_request(httpc *h, const char *method, const char *target,
                  const char *const *headers, int nheaders, buf *body, char *err,
                  size_t errlen);

#endif
