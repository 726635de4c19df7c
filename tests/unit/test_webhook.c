/*
** Unit tests: webhooks. Addresses are taken apart and refused when they
** are not public; a delivery is signed as docs/api.md says (a vector made
** with openssl dgst -hmac); the waits grow and stop at six hours; the
** client reads an answer, keeps a redirect's Location without following
** it, and gives up on a receiver that never answers within its time; the
** database queues each event once, for the endpoints that take it, and
** announces a scheduled article when its time comes.
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

#include "db.h"
#include "store_webhook.h"
#include "unit.h"
#include "webhook_client.h"
#include "webhooks.h"

static void addresses_are_taken_apart(void **state) {
  (void)state;
  webhook_url u;
  char err[200];
  assert_int_equal(webhook_url_parse("https://Hooks.Example.org/in?x=1#frag", &u, err, sizeof err), 0);
  assert_true(u.https);
  assert_string_equal(u.host, "hooks.example.org");
  assert_string_equal(u.port, "443");
  assert_string_equal(u.path, "/in?x=1");
  assert_false(u.literal);
  assert_int_equal(webhook_url_parse("http://[2001:db8::1]:8080", &u, err, sizeof err), 0);
  assert_string_equal(u.host, "2001:db8::1");
  assert_string_equal(u.port, "8080");
  assert_string_equal(u.path, "/");
  assert_true(u.literal);
  assert_int_equal(webhook_url_parse("http://example.org?a=b", &u, err, sizeof err), 0);
  assert_string_equal(u.path, "/?a=b");
  static const char *const bad[] = {
      "ftp://example.org/", "example.org/hook", "http://user:pw@example.org/", "http://example.org:0/",
      "http://example.org:65536/", "http://example.org:8x/", "http:///path", "http://exa mple.org/",
      "http://[::1/", "http://ex_ample.org/", "http://example.org/é",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(webhook_url_parse(bad[i], &u, err, sizeof err), -1);
  char longer[600] = "http://example.org/";
  memset(longer + strlen(longer), 'a', 490);
  assert_int_equal(webhook_url_parse(longer, &u, err, sizeof err), -1);
}

/* Returns webhook_address_public of the literal address text. */
static int public_address(const char *text) {
  struct sockaddr_in v4 = {.sin_family = AF_INET};
  struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
  if (inet_pton(AF_INET, text, &v4.sin_addr) == 1) return webhook_address_public((struct sockaddr *)&v4);
  assert_int_equal(inet_pton(AF_INET6, text, &v6.sin6_addr), 1);
  return webhook_address_public((struct sockaddr *)&v6);
}

static void only_public_addresses_are_delivered_to(void **state) {
  (void)state;
  static const char *const private[] = {
      "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
      "192.0.2.10", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
      "::ffff:10.1.2.3", "64:ff9b::a00:1", "2001:db8::1",
  };
  static const char *const public[] = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1",
                                       "2606:4700:4700::1111", "::ffff:93.184.216.34"};
  for (size_t i = 0; i < sizeof private / sizeof private[0]; i++) {
    if (public_address(private[i])) fail_msg("%s is not public", private[i]);
  }
  for (size_t i = 0; i < sizeof public / sizeof public[0]; i++) {
    if (!public_address(public[i])) fail_msg("%s is public", public[i]);
  }
  char err[200];
  assert_int_equal(webhook_url_check("http://127.0.0.1:8080/x", 0, err, sizeof err), -1);
  assert_non_null(strstr(err, "private"));
  assert_int_equal(webhook_url_check("http://localhost/x", 0, err, sizeof err), -1);
  assert_int_equal(webhook_url_check("http://app.localhost/x", 0, err, sizeof err), -1);
  assert_int_equal(webhook_url_check("http://[::1]/x", 0, err, sizeof err), -1);
  assert_int_equal(webhook_url_check("https://hooks.example.org/x", 0, err, sizeof err), 0);
  assert_int_equal(webhook_url_check("http://127.0.0.1:8080/x", 1, err, sizeof err), 0);
}

static void a_delivery_is_signed_over_its_timestamp_and_body(void **state) {
  (void)state;
  char sig[WEBHOOK_SIGNATURE_LEN + 1];
  /* printf '%s' '1764493200.{"id":1}' | openssl dgst -sha256 -hmac s3cret */
  webhook_sign("s3cret", 1764493200, "{\"id\":1}", 8, sig);
  assert_string_equal(sig, "sha256=0469bdcc18bedd95c6ce49505c1e6e7ce4c82f01a5875cb13a302559f54ecb26");
  webhook_sign("s3cret", 1764493201, "{\"id\":1}", 8, sig);
  assert_string_not_equal(sig, "sha256=0469bdcc18bedd95c6ce49505c1e6e7ce4c82f01a5875cb13a302559f54ecb26");
}

static void waits_double_and_stop_at_six_hours(void **state) {
  (void)state;
  assert_int_equal(webhook_backoff(1, 30), 30);
  assert_int_equal(webhook_backoff(2, 30), 60);
  assert_int_equal(webhook_backoff(5, 30), 480);
  assert_int_equal(webhook_backoff(11, 30), WEBHOOK_BACKOFF_MAX);
  assert_int_equal(webhook_backoff(1000, 30), WEBHOOK_BACKOFF_MAX);
  assert_int_equal(webhook_backoff(1, 0), 1);
  long total = 0, n = 0;
  while (total < 86400) total += webhook_backoff(++n, 30);
  assert_true(n > 10 && n < 20); /* a day of tries, not a thousand */
}

static void a_body_names_what_it_is_about(void **state) {
  (void)state;
  webhook_due w = {.id = 42, .created_at = 1764493200};
  snprintf(w.event, sizeof w.event, "article.published");
  buf_puts(&w.data, "{\"id\":17,\"slug\":\"quay \\u0645\",\"published_at\":1764493200,\"status\":\"published\"}");
  buf out = {0};
  webhook_body(&w, "http://news.example", &out);
  cJSON *doc = cJSON_Parse(buf_str(&out));
  assert_non_null(doc);
  assert_int_equal(cJSON_GetObjectItem(doc, "id")->valueint, 42);
  assert_string_equal(cJSON_GetObjectItem(doc, "event")->valuestring, "article.published");
  assert_string_equal(cJSON_GetObjectItem(doc, "created_at")->valuestring, "2025-11-30T09:00:00Z");
  cJSON *data = cJSON_GetObjectItem(doc, "data");
  assert_string_equal(cJSON_GetObjectItem(data, "published_at")->valuestring, "2025-11-30T09:00:00Z");
  assert_string_equal(cJSON_GetObjectItem(data, "url")->valuestring,
                      "http://news.example/articles/quay%20%D9%85");
  assert_string_equal(cJSON_GetObjectItem(data, "api_url")->valuestring,
                      "http://news.example/api/v1/articles/17");
  cJSON_Delete(doc);
  buf_free(&out);
  webhook_due_free(&w);
}

/* ---- the client against a receiver of our own ------------------------------- */

/* A receiver on 127.0.0.1: answers its first connection with answer after
** reading the request (or, with answer NULL, reads and never answers),
** and keeps what it was sent. */
typedef struct receiver {
  int fd, port;
  const char *answer;
  char got[4096];
  pthread_t thread;
} receiver;

static void *receiver_run(void *arg) {
  receiver *r = arg;
  int c = accept(r->fd, NULL, NULL);
  if (c < 0) return NULL;
  size_t n = 0;
  struct timeval tv = {3, 0};
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (;;) {
    ssize_t k = recv(c, r->got + n, sizeof r->got - 1 - n, 0);
    if (k <= 0) break;
    n += (size_t)k;
    r->got[n] = 0;
    const char *end = strstr(r->got, "\r\n\r\n");
    const char *cl = strstr(r->got, "Content-Length: ");
    if (end && cl && n >= (size_t)(end + 4 - r->got) + (size_t)atol(cl + 16)) break;
  }
  if (r->answer) send(c, r->answer, strlen(r->answer), MSG_NOSIGNAL);
  else sleep(3);
  close(c);
  return NULL;
}

/* Starts a receiver answering answer. */
static void receiver_start(receiver *r, const char *answer) {
  memset(r, 0, sizeof *r);
  r->answer = answer;
  r->fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof sa;
  assert_int_equal(bind(r->fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(r->fd, 4), 0);
  getsockname(r->fd, (struct sockaddr *)&sa, &len);
  r->port = ntohs(sa.sin_port);
  pthread_create(&r->thread, NULL, receiver_run, r);
}

static void receiver_stop(receiver *r) {
  shutdown(r->fd, SHUT_RDWR);
  pthread_join(r->thread, NULL);
  close(r->fd);
}

/* POSTs body to the receiver; returns webhook_post's result. */
static int post_to(receiver *r, int allow_private, int timeout_ms, webhook_answer *a) {
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/hook?x=1", r->port);
  webhook_request q = {url, "X-Gazette-Event: test\r\n", "{\"id\":1}", 8, timeout_ms, allow_private};
  return webhook_post(&q, a);
}

static void the_client_posts_and_reads_the_answer(void **state) {
  (void)state;
  receiver r;
  receiver_start(&r, "HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nthanks and more");
  webhook_answer a;
  assert_int_equal(post_to(&r, 1, 3000, &a), 0);
  receiver_stop(&r);
  assert_int_equal(a.status, 202);
  assert_string_equal(buf_str(&a.body), "thank");
  assert_non_null(strstr(r.got, "POST /hook?x=1 HTTP/1.1\r\n"));
  assert_non_null(strstr(r.got, "Connection: close\r\n"));
  assert_non_null(strstr(r.got, "X-Gazette-Event: test\r\n"));
  assert_non_null(strstr(r.got, "\r\n\r\n{\"id\":1}"));
  buf_free(&a.body);
}

static void a_redirect_is_not_followed(void **state) {
  (void)state;
  receiver r;
  receiver_start(&r, "HTTP/1.1 302 Found\r\nLocation: http://10.0.0.1/in\r\nContent-Length: 0\r\n\r\n");
  webhook_answer a;
  assert_int_equal(post_to(&r, 1, 3000, &a), 0);
  receiver_stop(&r);
  assert_int_equal(a.status, 302);
  assert_string_equal(a.location, "http://10.0.0.1/in");
  buf_free(&a.body);
}

static void a_silent_receiver_times_out(void **state) {
  (void)state;
  receiver r;
  receiver_start(&r, NULL);
  webhook_answer a;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(post_to(&r, 1, 400, &a), -1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  receiver_stop(&r);
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  assert_true(ms >= 350 && ms < 1500);
  assert_string_equal(a.error, "timed out");
  assert_int_equal(a.status, 0);
  buf_free(&a.body);
}

static void loopback_is_refused_unless_allowed(void **state) {
  (void)state;
  receiver r;
  receiver_start(&r, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  webhook_answer a;
  assert_int_equal(post_to(&r, 0, 1000, &a), -1);
  assert_non_null(strstr(a.error, "refused"));
  buf_free(&a.body);
  assert_int_equal(post_to(&r, 1, 1000, &a), 0); /* the receiver saw only this one */
  receiver_stop(&r);
  assert_int_equal(a.status, 200);
  buf_free(&a.body);
}

/* ---- the queue --------------------------------------------------------------- */

typedef struct fixture {
  db *d;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->d = unit_db(f->path, sizeof f->path, "webhook");
  if (!f->d) return -1;
  if (db_exec(f->d, "INSERT INTO users (id, username, display_name, role, created_at)"
                    " VALUES (1, 'ed', 'Ed', 'editor', 0);"
                    "INSERT INTO categories (id, slug, name) VALUES (1, 'world', 'World');") != 0)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* Returns the events queued, in order, space-separated, into out. */
static const char *queued(fixture *f, char *out, size_t n) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h, "SELECT coalesce(group_concat(event || '@' || webhook_id, ' '), '')"
                     " FROM (SELECT event, webhook_id FROM webhook_deliveries ORDER BY id)", -1, &st, NULL);
  sqlite3_step(st);
  snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

static void events_are_queued_for_the_endpoints_that_take_them(void **state) {
  fixture *f = *state;
  char got[1000];
  webhook_in all = {"https://a.example/", "article.published article.updated article.unpublished "
                    "article.deleted comment.created comment.approved media.created", "s", 1};
  webhook_in few = {"https://b.example/", "comment.approved", "s", 1};
  webhook_in off = {"https://c.example/", "article.published", "s", 0};
  long a, b, c;
  assert_int_equal(webhook_insert(f->d, 0, &all, &a), STORE_OK);
  assert_int_equal(webhook_insert(f->d, 0, &few, &b), STORE_OK);
  assert_int_equal(webhook_insert(f->d, 0, &off, &c), STORE_OK);
  assert_int_equal(db_exec(f->d,
      "INSERT INTO articles (id, slug, title, category_id, author_id, status, created_at, updated_at)"
      " VALUES (1, 'draft', 'Draft', 1, 1, 'draft', 0, 0);"
      "UPDATE articles SET title = 'Still a draft' WHERE id = 1;"
      "UPDATE articles SET status = 'published', published_at = unixepoch() - 5 WHERE id = 1;"
      "UPDATE articles SET title = 'Public' WHERE id = 1;"
      "INSERT INTO comments (id, article_id, author_name, author_email, body, status, created_at)"
      " VALUES (1, 1, 'R', 'r@example.net', 'Hi', 'pending', 0);"
      "UPDATE comments SET status = 'approved' WHERE id = 1;"
      "UPDATE articles SET status = 'draft' WHERE id = 1;"
      "UPDATE articles SET status = 'published' WHERE id = 1;"
      "DELETE FROM comments;"
      "DELETE FROM articles WHERE id = 1;"), 0);
  assert_string_equal(queued(f, got, sizeof got),
                      "article.published@1 article.updated@1 comment.created@1 comment.approved@1 "
                      "comment.approved@2 article.unpublished@1 article.published@1 article.deleted@1");
  /* The deleted article is described as it was. */
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h, "SELECT data FROM webhook_deliveries WHERE event = 'article.deleted'", -1, &st, NULL);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "\"title\":\"Public\""));
  sqlite3_finalize(st);
}

static void a_delivery_is_taken_tried_again_and_given_up(void **state) {
  fixture *f = *state;
  webhook_in w = {"https://a.example/", "article.published", "key", 1};
  long id;
  assert_int_equal(webhook_insert(f->d, 0, &w, &id), STORE_OK);
  assert_int_equal(db_exec(f->d,
      "INSERT INTO articles (id, slug, title, category_id, author_id, status, published_at,"
      " created_at, updated_at) VALUES (1, 'a', 'A', 1, 1, 'published', 0, 0, 0)"), 0);
  time_t now = time(NULL);
  webhook_due due;
  assert_int_equal(webhook_take(f->d, now, now + 70, &due), STORE_OK);
  assert_string_equal(due.event, "article.published");
  assert_string_equal(buf_str(&due.secret), "key");
  long did = due.id;
  webhook_due_free(&due);
  /* Taken: nothing else is due until its lease ends. */
  assert_int_equal(webhook_take(f->d, now, now + 70, &due), STORE_NOT_FOUND);
  webhook_result fail = {0, 500, "HTTP 500", "oops", now + 30};
  assert_int_equal(webhook_record(f->d, now, did, &fail), STORE_OK);
  assert_int_equal(webhook_take(f->d, now + 10, now + 80, &due), STORE_NOT_FOUND);
  assert_int_equal(webhook_take(f->d, now + 30, now + 100, &due), STORE_OK);
  webhook_due_free(&due);
  /* Past its day it has failed; sent again by hand, it has a day more. */
  webhook_result late = {0, 0, "timed out", "", now + 2 * 86400};
  assert_int_equal(webhook_record(f->d, now, did, &late), STORE_OK);
  cJSON *list = cJSON_CreateArray();
  long total;
  assert_int_equal(webhook_deliveries(f->d, id, 1, 10, list, &total), STORE_OK);
  cJSON *d0 = cJSON_GetArrayItem(list, 0);
  assert_string_equal(cJSON_GetObjectItem(d0, "state")->valuestring, "failed");
  assert_int_equal(cJSON_GetObjectItem(d0, "attempts")->valueint, 2);
  assert_string_equal(cJSON_GetObjectItem(d0, "last_error")->valuestring, "timed out");
  cJSON_Delete(list);
  assert_int_equal(webhook_take(f->d, now + 3 * 86400, now + 3 * 86400, &due), STORE_NOT_FOUND);
  assert_int_equal(webhook_redeliver(f->d, now, id, did), STORE_OK);
  assert_int_equal(webhook_take(f->d, now, now + 70, &due), STORE_OK);
  webhook_result ok = {1, 204, "", "", now + 30};
  assert_int_equal(webhook_record(f->d, now, due.id, &ok), STORE_OK);
  webhook_due_free(&due);
  assert_int_equal(webhook_redeliver(f->d, now, id + 1, did), STORE_NOT_FOUND);
  assert_int_equal(webhook_prune(f->d, now + 1), STORE_OK);
  list = cJSON_CreateArray();
  assert_int_equal(webhook_deliveries(f->d, id, 1, 10, list, &total), STORE_OK);
  assert_int_equal(total, 0);
  cJSON_Delete(list);
}

static void a_scheduled_article_is_announced_when_its_time_comes(void **state) {
  fixture *f = *state;
  char got[1000];
  webhook_in w = {"https://a.example/", "article.published", "key", 1};
  long id;
  assert_int_equal(webhook_insert(f->d, 0, &w, &id), STORE_OK);
  assert_int_equal(db_exec(f->d,
      "INSERT INTO articles (id, slug, title, category_id, author_id, status, published_at,"
      " created_at, updated_at) VALUES (1, 'later', 'Later', 1, 1, 'scheduled', unixepoch() + 100,"
      " unixepoch(), unixepoch())"), 0);
  time_t now = time(NULL);
  assert_int_equal(webhook_scheduled(f->d, now), STORE_OK);
  assert_string_equal(queued(f, got, sizeof got), "");
  assert_int_equal(webhook_scheduled(f->d, now + 101), STORE_OK);
  assert_string_equal(queued(f, got, sizeof got), "article.published@1");
  assert_int_equal(webhook_scheduled(f->d, now + 200), STORE_OK);
  assert_string_equal(queued(f, got, sizeof got), "article.published@1"); /* once */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(addresses_are_taken_apart),
      cmocka_unit_test(only_public_addresses_are_delivered_to),
      cmocka_unit_test(a_delivery_is_signed_over_its_timestamp_and_body),
      cmocka_unit_test(waits_double_and_stop_at_six_hours),
      cmocka_unit_test(a_body_names_what_it_is_about),
      cmocka_unit_test(the_client_posts_and_reads_the_answer),
      cmocka_unit_test(a_redirect_is_not_followed),
      cmocka_unit_test(a_silent_receiver_times_out),
      cmocka_unit_test(loopback_is_refused_unless_allowed),
      cmocka_unit_test_setup_teardown(events_are_queued_for_the_endpoints_that_take_them, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_delivery_is_taken_tried_again_and_given_up, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_scheduled_article_is_announced_when_its_time_comes, setup,
                                      teardown),
  };
  return cmocka_run_group_tests_name("webhook", tests, NULL, NULL);
}
