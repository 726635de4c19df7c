/*
** httpc.c: a bounded HTTP/1.1 client for purge requests (see httpc.h).
*/
#include "httpc.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "timefmt.h"

struct httpc {
  netpeer peer;
  int timeout_ms;
  int fd;              /* -1 when not connected */
  long long deadline;  /* of the request under way, in ms (monotonic) */
  char in[8192];       /* bytes read and not yet used */
  size_t in_len, in_pos;
};

/* The answer being read. */
typedef struct answer_head {
  int status;
  long long length;   /* Content-Length, -1 when none */
  int chunked;
  int close;          /* the server closes the connection after it */
} answer_head;

httpc *httpc_new(const netpeer *peer, int timeout_ms) {
  httpc *h = calloc(1, sizeof *h);
  if (!h) abort();
  h->peer = *peer;
  h->timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
  h->fd = -1;
  return h;
}

/* Closes the connection, if any, and forgets unread bytes. */
static void httpc_close(httpc *h) {
  if (h->fd >= 0) close(h->fd);
  h->fd = -1;
  h->in_len = h->in_pos = 0;
}

void httpc_free(httpc *h) {
  if (!h) return;
  httpc_close(h);
  free(h);
}

/* Waits until fd is ready for events or the request's deadline passes.
** Returns 0 when ready, -1 on a timeout or an error (reason in err). */
static int httpc_wait(httpc *h, short events, char *err, size_t errlen) {
  for (;;) {
    long long left = h->deadline - time_mono_ms();
    if (left <= 0) {
      snprintf(err, errlen, "no answer within %d ms", h->timeout_ms);
      return -1;
    }
    struct pollfd p = {.fd = h->fd, .events = events};
    int n = poll(&p, 1, (int)left);
    if (n > 0) return 0;
    if (n < 0 && errno != EINTR) {
      snprintf(err, errlen, "poll: %s", strerror(errno));
      return -1;
    }
  }
}

/* Connects the non-blocking socket fd to sa, waiting at most until the
** deadline. Returns 0 or -1 (reason in err). */
static int httpc_connect_to(httpc *h, const struct sockaddr *sa, socklen_t len, char *err,
                            size_t errlen) {
  if (connect(h->fd, sa, len) == 0) return 0;
  if (errno != EINPROGRESS && errno != EAGAIN) {
    snprintf(err, errlen, "connect: %s", strerror(errno));
    return -1;
  }
  if (httpc_wait(h, POLLOUT, err, errlen) != 0) return -1;
  int soerr = 0;
  socklen_t sl = sizeof soerr;
  if (getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
    snprintf(err, errlen, "connect: %s", strerror(soerr ? soerr : errno));
    return -1;
  }
  return 0;
}

/* Opens a connection to a unix socket. Returns 0 or -1. */
static int httpc_open_unix(httpc *h, char *err, size_t errlen) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  memcpy(sa.sun_path, h->peer.path, sizeof sa.sun_path - 1);
  h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (h->fd < 0) {
    snprintf(err, errlen, "socket: %s", strerror(errno));
    return -1;
  }
  if (httpc_connect_to(h, (struct sockaddr *)&sa, sizeof sa, err, errlen) == 0) return 0;
  httpc_close(h);
  return -1;
}

/* Opens a TCP connection to the peer's host and port, trying each of its
** addresses in turn. Returns 0 or -1. */
static int httpc_open_tcp(httpc *h, char *err, size_t errlen) {
  char port[8];
  snprintf(port, sizeof port, "%d", h->peer.port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  int rc = getaddrinfo(h->peer.host, port, &hints, &res);
  if (rc != 0) {
    snprintf(err, errlen, "cannot resolve %s: %s", h->peer.host, gai_strerror(rc));
    return -1;
  }
  int ok = -1;
  for (struct addrinfo *ai = res; ai && ok != 0; ai = ai->ai_next) {
    h->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                   ai->ai_protocol);
    if (h->fd < 0) {
      snprintf(err, errlen, "socket: %s", strerror(errno));
      continue;
    }
    ok = httpc_connect_to(h, ai->ai_addr, ai->ai_addrlen, err, errlen);
    if (ok != 0) httpc_close(h);
  }
  freeaddrinfo(res);
  return ok;
}

/* Writes n bytes of p, waiting as needed. Returns 0 or -1. */
static int httpc_send(httpc *h, const char *p, size_t n, char *err, size_t errlen) {
  while (n > 0) {
    ssize_t k = send(h->fd, p, n, MSG_NOSIGNAL);
    if (k > 0) {
      p += k;
      n -= (size_t)k;
    } else if (k < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (httpc_wait(h, POLLOUT, err, errlen) != 0) return -1;
    } else {
      snprintf(err, errlen, "send: %s", strerror(errno));
      return -1;
    }
  }
  return 0;
}

/* Refills the input buffer. Returns the bytes read, 0 when the server
** closed the connection, or -1 (reason in err). */
static int httpc_fill(httpc *h, char *err, size_t errlen) {
  if (h->in_pos == h->in_len) h->in_pos = h->in_len = 0;
  for (;;) {
    ssize_t k = recv(h->fd, h->in + h->in_len, sizeof h->in - h->in_len, 0);
    if (k >= 0) {
      h->in_len += (size_t)k;
      return (int)k;
    }
    if (errno != EAGAIN && errno != EINTR) {
      snprintf(err, errlen, "recv: %s", strerror(errno));
      return -1;
    }
    if (httpc_wait(h, POLLIN, err, errlen) != 0) return -1;
  }
}

/* Reads one line (up to LF, CR removed) into line, at most max bytes.
** Returns 0, or -1 on an early end, an over-long line or an error. */
static int httpc_line(httpc *h, buf *line, size_t max, char *err, size_t errlen) {
  buf_reset(line);
  for (;;) {
    while (h->in_pos < h->in_len) {
      char c = h->in[h->in_pos++];
      if (c == '\n') {
        if (line->len && line->data[line->len - 1] == '\r') line->data[--line->len] = 0;
        return 0;
      }
      if (line->len >= max) {
        snprintf(err, errlen, "answer line longer than %zu bytes", max);
        return -1;
      }
      buf_putc(line, c);
    }
    int k = httpc_fill(h, err, errlen);
    if (k <= 0) {
      if (k == 0) snprintf(err, errlen, "connection closed before the answer ended");
      return -1;
    }
  }
}

/* Parses the status line "HTTP/1.x NNN reason" into a. Returns 0 or -1. */
static int httpc_status_line(const char *s, answer_head *a) {
  if (strncmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') || s[8] != ' ')
    return -1;
  if (s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' || s[11] < '0' ||
      s[11] > '9' || (s[12] != ' ' && s[12] != 0))
    return -1;
  a->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
  a->close = s[7] == '0';  /* HTTP/1.0 closes unless it says keep-alive */
  return 0;
}

/* Notes what header line s says about the body and the connection.
** Returns 0, or -1 for a malformed Content-Length. */
static int httpc_header(const char *s, answer_head *a) {
  const char *colon = strchr(s, ':');
  if (!colon) return -1;
  size_t n = (size_t)(colon - s);
  const char *v = colon + 1 + strspn(colon + 1, " \t");
  if (n == 14 && strncasecmp(s, "Content-Length", n) == 0) {
    char *end;
    errno = 0;
    long long len = strtoll(v, &end, 10);
    if (end == v || *end || len < 0 || errno) return -1;
    a->length = len;
  } else if (n == 17 && strncasecmp(s, "Transfer-Encoding", n) == 0) {
    a->chunked = strcasestr(v, "chunked") != NULL;
  } else if (n == 10 && strncasecmp(s, "Connection", n) == 0) {
    if (strcasestr(v, "close")) a->close = 1;
    else if (strcasestr(v, "keep-alive")) a->close = 0;
  }
  return 0;
}

/* Reads the answer's status line and headers into a. Returns 0, or -1
** (reason in err); *got_any is set once a byte of the answer arrived. */
static int httpc_read_head(httpc *h, answer_head *a, int *got_any, char *err,
                           size_t errlen) {
  buf line = {0};
  size_t total = 0;
  int rc = -1;
  memset(a, 0, sizeof *a);
  a->length = -1;
  if (h->in_pos == h->in_len) {
    int k = httpc_fill(h, err, errlen);
    if (k <= 0) {
      if (k == 0) snprintf(err, errlen, "connection closed without an answer");
      goto done;
    }
  }
  *got_any = 1;
  if (httpc_line(h, &line, HTTPC_MAX_HEAD, err, errlen) != 0) goto done;
  if (httpc_status_line(buf_str(&line), a) != 0) {
    snprintf(err, errlen, "malformed status line");
    goto done;
  }
  for (;;) {
    total += line.len + 2;
    if (total > HTTPC_MAX_HEAD) {
      snprintf(err, errlen, "answer head larger than %d bytes", HTTPC_MAX_HEAD);
      goto done;
    }
    if (httpc_line(h, &line, HTTPC_MAX_HEAD, err, errlen) != 0) goto done;
    if (line.len == 0) break;
    if (httpc_header(buf_str(&line), a) != 0) {
      snprintf(err, errlen, "malformed header in the answer");
      goto done;
    }
  }
  rc = 0;
done:
  buf_free(&line);
  return rc;
}

/* Moves n bytes of the body (reading as needed) into body (when not
** NULL), within the limit of *room. Returns 0 or -1. */
static int httpc_body_bytes(httpc *h, long long n, buf *body, long long *room, char *err,
                            size_t errlen) {
  if (n > *room) {
    snprintf(err, errlen, "answer body larger than %d bytes", HTTPC_MAX_BODY);
    return -1;
  }
  *room -= n;
  while (n > 0) {
    if (h->in_pos == h->in_len) {
      int k = httpc_fill(h, err, errlen);
      if (k <= 0) {
        if (k == 0) snprintf(err, errlen, "connection closed in the answer's body");
        return -1;
      }
    }
    size_t take = h->in_len - h->in_pos;
    if ((long long)take > n) take = (size_t)n;
    if (body) buf_append(body, h->in + h->in_pos, take);
    h->in_pos += take;
    n -= (long long)take;
  }
  return 0;
}

/* Reads a chunked body. Returns 0 or -1. */
static int httpc_chunked(httpc *h, buf *body, long long *room, char *err, size_t errlen) {
  buf line = {0};
  int rc = -1;
  for (;;) {
    if (httpc_line(h, &line, 256, err, errlen) != 0) goto done;
    char *end;
    errno = 0;
    long long size = strtoll(buf_str(&line), &end, 16);
    if (end == line.data || (*end && *end != ';') || size < 0 || errno) {
      snprintf(err, errlen, "malformed chunk size");
      goto done;
    }
    if (size == 0) break;
    if (httpc_body_bytes(h, size, body, room, err, errlen) != 0) goto done;
    if (httpc_line(h, &line, 1, err, errlen) != 0) goto done;  /* the CRLF after */
  }
  do {  /* trailer lines, up to the blank one */
    if (httpc_line(h, &line, 1024, err, errlen) != 0) goto done;
  } while (line.len);
  rc = 0;
done:
  buf_free(&line);
  return rc;
}

/* Reads the body that answer a announces. Returns 0 or -1. */
static int httpc_read_body(httpc *h, const char *method, answer_head *a, buf *body,
                           char *err, size_t errlen) {
  long long room = HTTPC_MAX_BODY;
  if (strcmp(method, "HEAD") == 0 || a->status < 200 || a->status == 204 ||
      a->status == 304)
    return 0;
  if (a->chunked) return httpc_chunked(h, body, &room, err, errlen);
  if (a->length >= 0) return httpc_body_bytes(h, a->length, body, &room, err, errlen);
  /* Neither: the body ends when the server closes the connection. */
  a->close = 1;
  for (;;) {
    size_t take = h->in_len - h->in_pos;
    if (httpc_body_bytes(h, (long long)take, body, &room, err, errlen) != 0) return -1;
    int k = httpc_fill(h, err, errlen);
    if (k == 0) return 0;
    if (k < 0) return -1;
  }
}

/* Builds the request's head into out. Returns 0, or -1 when a header
** holds CR or LF or the head is too large. */
static int httpc_build(const httpc *h, const char *method, const char *target,
                       const char *const *headers, int nheaders, buf *out, char *err,
                       size_t errlen) {
  if (strpbrk(method, " \r\n") || strpbrk(target, " \r\n") || target[0] != '/') {
    snprintf(err, errlen, "bad method or target");
    return -1;
  }
  buf_printf(out, "%s %s HTTP/1.1\r\n", method, target);
  if (h->peer.path[0]) buf_puts(out, "Host: localhost\r\n");
  else if (strchr(h->peer.host, ':')) buf_printf(out, "Host: [%s]:%d\r\n", h->peer.host, h->peer.port);
  else buf_printf(out, "Host: %s:%d\r\n", h->peer.host, h->peer.port);
  for (int i = 0; i < nheaders; i++) {
    if (strpbrk(headers[i], "\r\n") || !strchr(headers[i], ':')) {
      snprintf(err, errlen, "bad header line");
      return -1;
    }
    buf_printf(out, "%s\r\n", headers[i]);
  }
  buf_puts(out, "Content-Length: 0\r\nUser-Agent: gazette-purger\r\n\r\n");
  if (out->len > HTTPC_MAX_REQUEST) {
    snprintf(err, errlen, "request head larger than %d bytes", HTTPC_MAX_REQUEST);
    return -1;
  }
  return 0;
}

/* One attempt of a request on the current (or a new) connection.
** Returns the status or -1; *got_any says whether the server answered at
** all (a request that got nothing on a kept connection may be sent
** again). */
static int httpc_attempt(httpc *h, const char *method, const buf *head, buf *body,
                         int *got_any, char *err, size_t errlen) {
  answer_head a;
  *got_any = 0;
  if (h->fd < 0) {
    int rc = h->peer.path[0] ? httpc_open_unix(h, err, errlen) : httpc_open_tcp(h, err, errlen);
    if (rc != 0) {
      *got_any = 1;  /* a failed connect is not worth a second try */
      return -1;
    }
  }
  size_t body_start = body ? body->len : 0;
  if (httpc_send(h, buf_str(head), head->len, err, errlen) != 0 ||
      httpc_read_head(h, &a, got_any, err, errlen) != 0 ||
      httpc_read_body(h, method, &a, body, err, errlen) != 0) {
    if (body) body->len = body_start;
    httpc_close(h);
    return -1;
  }
  if (a.close || h->in_pos != h->in_len) httpc_close(h);
  return a.status;
}

int httpc_request(httpc *h, const char *method, const char *target,
                  const char *const *headers, int nheaders, buf *body, char *err,
                  size_t errlen) {
  buf head = {0};
  int status = -1;
  if (httpc_build(h, method, target, headers, nheaders, &head, err, errlen) == 0) {
    int reused = h->fd >= 0, got_any = 0;
    h->deadline = time_mono_ms() + h->timeout_ms;
    status = httpc_attempt(h, method, &head, body, &got_any, err, errlen);
    if (status < 0 && reused && !got_any) {
      h->deadline = time_mono_ms() + h->timeout_ms;
      status = httpc_attempt(h, method, &head, body, &got_any, err, errlen);
    }
  }
  buf_free(&head);
  return status;
}
