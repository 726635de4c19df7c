/*
** Unit tests: the HTTP/1.1 client of the purges, against a small server
** thread on loopback that answers as it is told: keeps the connection or
** closes it, sends a body by length, in chunks or until it closes, stays
** silent, or sends a head too large. The client reuses a connection the
** server keeps, opens another when it was closed, and gives up within
** its time limit.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "httpc.h"

/* How the server answers. */
typedef enum mode {
  KEEP,        /* 200 with a length, connection kept */
  CLOSE,       /* 200 with a length, then the connection is closed */
  CHUNKED,     /* 200 in two chunks, kept */
  UNTIL_CLOSE, /* 200 with neither length nor chunks: the body ends at close */
  SILENT,      /* reads the request, answers nothing */
  HUGE_HEAD,   /* a head larger than the client takes */
  IDLE_CLOSE,  /* answers, keeps the connection a moment, then closes it */
  NOT_FOUND,   /* 404, kept */
} mode;

typedef struct server {
  int fd, port;
  mode m;
  int accepts;          /* connections accepted */
  int requests;         /* requests read */
  char last[4096];      /* the last request's head */
  pthread_t tid;
  int stop;
} server;

/* Reads one request head from c into s->last. Returns 0, or -1 at close. */
static int server_read_request(server *s, int c) {
  size_t n = 0;
  while (n < sizeof s->last - 1) {
    ssize_t k = recv(c, s->last + n, 1, 0);
    if (k <= 0) return -1;
    n++;
    s->last[n] = 0;
    if (n >= 4 && memcmp(s->last + n - 4, "\r\n\r\n", 4) == 0) return 0;
  }
  return -1;
}

/* Answers the requests of one connection c as s->m says. */
static void server_serve(server *s, int c) {
  static const char body[] = "purged";
  char out[40000];
  while (server_read_request(s, c) == 0) {
    s->requests++;
    switch (s->m) {
      case KEEP:
      case CLOSE:
      case IDLE_CLOSE:
      case NOT_FOUND:
        snprintf(out, sizeof out, "HTTP/1.1 %s\r\nContent-Length: %zu\r\n%s\r\n%s",
                 s->m == NOT_FOUND ? "404 Not Found" : "200 OK", strlen(body),
                 s->m == CLOSE ? "Connection: close\r\n" : "", body);
        break;
      case CHUNKED:
        snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "3\r\npur\r\n3;x=y\r\nged\r\n0\r\nX-Trailer: 1\r\n\r\n");
        break;
      case UNTIL_CLOSE:
        snprintf(out, sizeof out, "HTTP/1.0 200 OK\r\n\r\n%s", body);
        break;
      case SILENT:
        sleep(1);
        return;
      case HUGE_HEAD: {
        size_t n = (size_t)snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nX-Big: ");
        memset(out + n, 'a', 20000);
        snprintf(out + n + 20000, sizeof out - n - 20000, "\r\nContent-Length: 0\r\n\r\n");
        break;
      }
    }
    send(c, out, strlen(out), MSG_NOSIGNAL);
    if (s->m == CLOSE || s->m == UNTIL_CLOSE || s->m == HUGE_HEAD) return;
    if (s->m == IDLE_CLOSE) {
      usleep(50 * 1000);
      return;
    }
  }
}

/* The server thread: accepts connections one after the other. */
static void *server_main(void *arg) {
  server *s = arg;
  while (!s->stop) {
    int c = accept(s->fd, NULL, NULL);
    if (c < 0) break;
    s->accepts++;
    server_serve(s, c);
    close(c);
  }
  return NULL;
}

/* Starts a server answering in mode m on a free port of 127.0.0.1. */
static server *server_start(mode m) {
  server *s = calloc(1, sizeof *s);
  s->m = m;
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof sa;
  assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(s->fd, 8), 0);
  getsockname(s->fd, (struct sockaddr *)&sa, &len);
  s->port = ntohs(sa.sin_port);
  pthread_create(&s->tid, NULL, server_main, s);
  return s;
}

/* Stops the server and frees it. */
static void server_stop(server *s) {
  s->stop = 1;
  shutdown(s->fd, SHUT_RDWR);
  close(s->fd);
  pthread_join(s->tid, NULL);
  free(s);
}

/* Returns a client of s with a time limit of ms. */
static httpc *client_of(const server *s, int ms) {
  netpeer p = {.port = s->port};
  snprintf(p.host, sizeof p.host, "127.0.0.1");
  return httpc_new(&p, ms);
}

/* Sends a PURGE with header h (may be NULL); returns the status. */
static int purge(httpc *h, const char *header, buf *body, char *err) {
  const char *hs[1] = {header};
  return httpc_request(h, "PURGE", "/", hs, header ? 1 : 0, body, err, 256);
}

static void a_kept_connection_carries_the_next_request(void **state) {
  (void)state;
  server *s = server_start(KEEP);
  httpc *h = client_of(s, 1000);
  char err[256];
  buf body = {0};
  assert_int_equal(purge(h, "xkey-purge: article-12 home", &body, err), 200);
  assert_string_equal(buf_str(&body), "purged");
  assert_non_null(strstr(s->last, "PURGE / HTTP/1.1\r\n"));
  assert_non_null(strstr(s->last, "\r\nxkey-purge: article-12 home\r\n"));
  assert_non_null(strstr(s->last, "\r\nHost: 127.0.0.1:"));
  assert_non_null(strstr(s->last, "\r\nContent-Length: 0\r\n"));
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  assert_int_equal(s->requests, 3);
  assert_int_equal(s->accepts, 1);
  httpc_free(h);
  buf_free(&body);
  server_stop(s);
}

static void a_closed_connection_is_opened_again(void **state) {
  (void)state;
  server *s = server_start(CLOSE);
  httpc *h = client_of(s, 1000);
  char err[256];
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  assert_int_equal(s->accepts, 2);
  httpc_free(h);
  server_stop(s);
  /* A server that closes a kept connection while idle: sent again, once. */
  s = server_start(IDLE_CLOSE);
  h = client_of(s, 1000);
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  usleep(150 * 1000);
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  assert_int_equal(s->requests, 2);
  httpc_free(h);
  server_stop(s);
}

static void bodies_in_chunks_or_until_close_are_read(void **state) {
  (void)state;
  char err[256];
  buf body = {0};
  server *s = server_start(CHUNKED);
  httpc *h = client_of(s, 1000);
  assert_int_equal(purge(h, NULL, &body, err), 200);
  assert_string_equal(buf_str(&body), "purged");
  assert_int_equal(purge(h, NULL, NULL, err), 200);
  assert_int_equal(s->accepts, 1);
  httpc_free(h);
  server_stop(s);
  buf_reset(&body);
  s = server_start(UNTIL_CLOSE);
  h = client_of(s, 1000);
  assert_int_equal(purge(h, NULL, &body, err), 200);
  assert_string_equal(buf_str(&body), "purged");
  httpc_free(h);
  server_stop(s);
  buf_free(&body);
}

static void other_statuses_are_returned(void **state) {
  (void)state;
  char err[256];
  server *s = server_start(NOT_FOUND);
  httpc *h = client_of(s, 1000);
  assert_int_equal(purge(h, NULL, NULL, err), 404);
  assert_int_equal(purge(h, NULL, NULL, err), 404);
  assert_int_equal(s->accepts, 1);
  httpc_free(h);
  server_stop(s);
}

/* Returns the monotonic time in ms. */
static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void failures_are_bounded_in_time_and_size(void **state) {
  (void)state;
  char err[256];
  /* Silence: the time limit, then a reason. */
  server *s = server_start(SILENT);
  httpc *h = client_of(s, 200);
  long long t0 = now_ms();
  assert_int_equal(purge(h, NULL, NULL, err), -1);
  long long took = now_ms() - t0;
  assert_true(took >= 190 && took < 900);
  assert_non_null(strstr(err, "no answer within 200 ms"));
  httpc_free(h);
  server_stop(s);
  /* A head too large is refused. */
  s = server_start(HUGE_HEAD);
  h = client_of(s, 1000);
  assert_int_equal(purge(h, NULL, NULL, err), -1);
  assert_non_null(strstr(err, "than 16384 bytes"));
  httpc_free(h);
  server_stop(s);
  /* Nobody listening: refused at once. */
  s = server_start(KEEP);
  int port = s->port;
  server_stop(s);
  netpeer p = {.port = port};
  snprintf(p.host, sizeof p.host, "127.0.0.1");
  h = httpc_new(&p, 500);
  assert_int_equal(purge(h, NULL, NULL, err), -1);
  assert_non_null(strstr(err, "connect"));
  /* A header that would split the request is refused before sending. */
  assert_int_equal(purge(h, "xkey-purge: a\r\nEvil: 1", NULL, err), -1);
  assert_int_equal(httpc_request(h, "PURGE", "/a b", NULL, 0, NULL, err, sizeof err), -1);
  httpc_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_kept_connection_carries_the_next_request),
      cmocka_unit_test(a_closed_connection_is_opened_again),
      cmocka_unit_test(bodies_in_chunks_or_until_close_are_read),
      cmocka_unit_test(other_statuses_are_returned),
      cmocka_unit_test(failures_are_bounded_in_time_and_size),
  };
  return cmocka_run_group_tests_name("httpc", tests, NULL, NULL);
}
