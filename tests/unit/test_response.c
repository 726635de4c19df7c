/*
** Unit tests: the response writer, the one place that puts status,
** headers and body on the wire.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "response.h"
#include "timefmt.h"

/* Serializes res (flags: RESPONSE_HIT...) without labels for shared
** caches into wire (emptied first) and returns its text. */
static const char *wire_of(const response *res, int head_only, int flags, buf *wire) {
  buf_reset(wire);
  response_serialize(res, head_only, flags, NULL, wire);
  return buf_str(wire);
}

/* As wire_of, with labels. */
static const char *labelled(const response *res, int flags, const cache_labels *l, buf *wire) {
  buf_reset(wire);
  response_serialize(res, 0, flags, l, wire);
  return buf_str(wire);
}

static void html_response_has_security_headers(void **state) {
  (void)state;
  response res = {.status = 200, .content_type = "text/html; charset=utf-8"};
  buf_puts(&res.body, "<p>héllo</p>");
  buf wire = {0};
  const char *w = wire_of(&res, 0, 0, &wire);
  assert_non_null(strstr(w, "Status: 200 OK\r\n"));
  assert_non_null(strstr(w, "Content-Length: 13\r\n"));
  assert_non_null(strstr(w, "frame-ancestors 'none'"));
  assert_non_null(strstr(w, "script-src 'self'"));
  assert_null(strstr(w, "unsafe-inline"));
  assert_non_null(strstr(w, "X-Content-Type-Options: nosniff\r\n"));
  assert_non_null(strstr(w, "Referrer-Policy: "));
  assert_non_null(strstr(w, "\r\n\r\n<p>héllo</p>"));
  w = wire_of(&res, 1, 0, &wire); /* HEAD: length kept, body dropped */
  assert_non_null(strstr(w, "Content-Length: 13\r\n"));
  assert_null(strstr(w, "<p>"));
  assert_null(strstr(w, "frame-src"));
  /* Frames from the site and the players it allows, and from nowhere else. */
  response_frames(&res, "https://player.vimeo.com/video/ https://www.youtube.com/embed/");
  w = wire_of(&res, 0, 0, &wire);
  assert_non_null(strstr(w, "; frame-src 'self' https://player.vimeo.com/video/ "
                            "https://www.youtube.com/embed/\r\n"));
  response_frames(&res, "https://a.example/; script-src *");
  w = wire_of(&res, 0, 0, &wire);
  assert_null(strstr(w, "frame-src"));
  assert_null(strstr(w, "script-src *"));
  /* Anything else gets the strictest policy. */
  response_frames(&res, "https://player.vimeo.com/video/");
  res.content_type = "application/json";
  w = wire_of(&res, 0, 0, &wire);
  assert_non_null(strstr(w, "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"));
  buf_free(&wire);
  response_free(&res);
}

static void header_injection_is_refused(void **state) {
  (void)state;
  response res = {0};
  assert_int_equal(response_header(&res, "Location", "/a\r\nSet-Cookie: x=1"), -1);
  assert_int_equal(response_header(&res, "X-Ok", "fine"), 0);
  assert_string_equal(buf_str(&res.headers), "X-Ok: fine\r\n");
  assert_int_equal(response_redirect(&res, 303, "/x\nEvil: 1"), 400);
  assert_int_equal(res.status, 400);
  assert_null(strstr(buf_str(&res.headers), "Evil"));
  response_free(&res);
}

static void cache_control_follows_the_policy(void **state) {
  (void)state;
  static const struct {
    cache_policy p;
    const char *header; /* NULL: none */
  } cases[] = {
      {CACHE_UNSET, NULL},
      {CACHE_NO_STORE, "Cache-Control: no-store\r\n"},
      {CACHE_PRIVATE, "Cache-Control: private, no-store\r\n"},
      {CACHE_PAGE, "Cache-Control: public, max-age=0\r\n"},
      {CACHE_FEED, "Cache-Control: public, max-age=300\r\n"},
      {CACHE_API_LIST, "Cache-Control: public, max-age=60\r\n"},
      {CACHE_API_ITEM, "Cache-Control: public, max-age=300\r\n"},
      {CACHE_MOVED, "Cache-Control: private, max-age=3600\r\n"},
  };
  buf wire = {0};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    response res = {.status = 200, .cache = cases[i].p};
    const char *w = wire_of(&res, 0, 0, &wire);
    if (cases[i].header) assert_non_null(strstr(w, cases[i].header));
    else assert_null(strstr(w, "Cache-Control"));
    response_free(&res);
  }
  /* A shared policy speaks for good answers only; a private one always. */
  response err = {.status = 404, .cache = CACHE_API_ITEM};
  assert_null(strstr(wire_of(&err, 0, 0, &wire), "Cache-Control"));
  err.cache = CACHE_NO_STORE;
  assert_non_null(strstr(wire_of(&err, 0, 0, &wire), "Cache-Control: no-store\r\n"));
  /* Shared answers say whether they came from the page cache. */
  response page = {.status = 200, .cache = CACHE_PAGE};
  assert_non_null(strstr(wire_of(&page, 0, 1, &wire), "X-Cache: HIT\r\n"));
  assert_non_null(strstr(wire_of(&page, 0, 0, &wire), "X-Cache: MISS\r\n"));
  page.cache = CACHE_PRIVATE;
  assert_null(strstr(wire_of(&page, 0, 0, &wire), "X-Cache"));
  buf_free(&wire);
}

static void shared_answers_are_labelled_for_shared_caches(void **state) {
  (void)state;
  cache_labels l = {.tag_header = "Surrogate-Key", .max_age = 3600, .stale_revalidate = 30,
                    .stale_error = 86400};
  response page = {.status = 200, .cache = CACHE_PAGE};
  buf_puts(&page.tags, "site article-12 home");
  buf wire = {0};
  const char *w = labelled(&page, 0, &l, &wire);
  assert_non_null(strstr(w, "Cache-Control: public, max-age=0, s-maxage=3600, "
                            "stale-while-revalidate=30, stale-if-error=86400\r\n"));
  assert_non_null(strstr(w, "Surrogate-Key: site article-12 home\r\n"));
  assert_null(strstr(w, "X-Accel-Expires"));
  /* A CDN's Cache-Tag takes the tags comma-separated. */
  l.tag_header = "Cache-Tag";
  l.tags_comma = 1;
  w = labelled(&page, RESPONSE_NO_LOCAL_KEEP, &l, &wire);
  assert_non_null(strstr(w, "Cache-Tag: site, article-12, home\r\n"));
  assert_null(strstr(w, "Surrogate-Key"));
  /* The server's nginx may be told not to keep an answer it cannot purge. */
  assert_non_null(strstr(w, "X-Accel-Expires: 0\r\n"));
  /* An API item keeps its own max-age for browsers. */
  page.cache = CACHE_API_ITEM;
  w = labelled(&page, 0, &l, &wire);
  assert_non_null(strstr(w, "Cache-Control: public, max-age=300, s-maxage=3600,"));
  /* Answers for one reader, errors and the newsroom carry none of it. */
  static const cache_policy own[] = {CACHE_PRIVATE, CACHE_NO_STORE, CACHE_MOVED};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
    page.cache = own[i];
    w = labelled(&page, RESPONSE_NO_LOCAL_KEEP, &l, &wire);
    assert_null(strstr(w, "s-maxage"));
    assert_null(strstr(w, "Cache-Tag"));
    assert_null(strstr(w, "X-Accel-Expires"));
  }
  page.cache = CACHE_PAGE;
  page.status = 404;
  w = labelled(&page, 0, &l, &wire);
  assert_null(strstr(w, "Cache-Tag"));
  assert_null(strstr(w, "Cache-Control"));
  buf_free(&wire);
  response_free(&page);
}

static void cookies_are_formatted_in_one_place(void **state) {
  (void)state;
  response res = {.status = 303, .cache = CACHE_PAGE};
  cookie_attrs a = {.path = "/admin", .http_only = 1, .same_site = "Strict", .secure = 1};
  assert_int_equal(response_cookie(&res, "gz_session", "abc123", &a), 0);
  assert_string_equal(buf_str(&res.headers),
                      "Set-Cookie: gz_session=abc123; Path=/admin; HttpOnly; SameSite=Strict; Secure\r\n");
  /* An answer with a cookie is never one others may share. */
  assert_int_equal(res.cache, CACHE_PRIVATE);
  assert_true(res.sets_cookie);
  buf_reset(&res.headers);
  cookie_attrs gone = {.max_age = -1, .same_site = "Lax"};
  assert_int_equal(response_cookie(&res, "gz_pending", "", &gone), 0);
  assert_string_equal(buf_str(&res.headers), "Set-Cookie: gz_pending=; Path=/; Max-Age=0; SameSite=Lax\r\n");
  buf_reset(&res.headers);
  cookie_attrs year = {.max_age = 31536000};
  assert_int_equal(response_cookie(&res, "v", "1", &year), 0);
  assert_non_null(strstr(buf_str(&res.headers), "Max-Age=31536000"));
  /* Names and values that would break the header are refused. */
  buf_reset(&res.headers);
  assert_int_equal(response_cookie(&res, "a b", "1", &year), -1);
  assert_int_equal(response_cookie(&res, "a", "1; Path=/x", &year), -1);
  assert_int_equal(response_cookie(&res, "a", "x\r\nEvil: 1", &year), -1);
  assert_int_equal(response_cookie(&res, "", "1", &year), -1);
  assert_int_equal((int)res.headers.len, 0);
  response_free(&res);
}

static void tags_are_kept_once(void **state) {
  (void)state;
  response res = {0};
  response_tag(&res, "article", 12);
  response_tag(&res, "home", 0);
  response_tag(&res, "article", 12);
  response_tag(&res, "article", 1);
  response_tag(&res, "home", 0);
  assert_string_equal(buf_str(&res.tags), "article-12 home article-1");
  response_free(&res);
}

static void not_modified_has_validators_and_no_body(void **state) {
  (void)state;
  response res = {.status = 200, .content_type = "application/json", .cache = CACHE_API_ITEM};
  buf_puts(&res.body, "{\"a\":1}");
  response_etag(&res);
  assert_int_equal(strlen(res.etag), 34);
  assert_true(response_not_modified(&res, res.etag));
  assert_true(response_not_modified(&res, "*"));
  char weak[64];
  snprintf(weak, sizeof weak, "\"x\", W/%s", res.etag);
  assert_true(response_not_modified(&res, weak));
  assert_false(response_not_modified(&res, "\"other\""));
  assert_false(response_not_modified(&res, NULL));
  buf wire = {0};
  response nm = res;
  nm.status = 304;
  const char *w = wire_of(&nm, 1, 1, &wire);
  assert_non_null(strstr(w, "Status: 304 Not Modified\r\n"));
  assert_non_null(strstr(w, "ETag: "));
  assert_non_null(strstr(w, "Cache-Control: public, max-age=300\r\n"));
  assert_null(strstr(w, "Content-Length"));
  assert_null(strstr(w, "{\"a\""));
  buf_free(&wire);
  response_free(&res);
}

/* A producer of n lines "line N\n", noting N as the time of each: the
** state is the number of lines. */
static int produce_lines(void *state, stream *s) {
  long n = *(long *)state;
  for (long i = 1; i <= n; i++) {
    buf_printf(&s->chunk, "line %ld\n", i);
    stream_modified(s, 1700000000 + i);
    if (stream_pace(s) != 0) return -1;
  }
  return 0;
}

/* The same lines, all in memory. */
static void lines_into(long n, buf *out) {
  for (long i = 1; i <= n; i++) buf_printf(out, "line %ld\n", i);
}

/* Collects what a stream hands on, and the largest piece (a
** stream_emit_fn). */
typedef struct sink {
  buf all;
  size_t biggest;
  int calls;
} sink;

static int sink_take(void *ud, const char *p, size_t n) {
  sink *k = ud;
  buf_append(&k->all, p, n);
  if (n > k->biggest) k->biggest = n;
  k->calls++;
  return 0;
}

static void a_short_stream_becomes_an_ordinary_answer(void **state) {
  (void)state;
  long n = 10;
  response res = {.status = 200, .content_type = "text/plain", .cache = CACHE_FEED};
  response_stream(&res, produce_lines, NULL, &n);
  assert_int_equal(response_produce(&res, 4096), 0);
  assert_null(res.producer.produce);
  buf want = {0};
  lines_into(n, &want);
  assert_string_equal(buf_str(&res.body), buf_str(&want));
  assert_int_equal(res.last_modified, 1700000010);
  buf wire = {0};
  response_serialize(&res, 0, 0, NULL, &wire);
  assert_non_null(strstr(buf_str(&wire), "Content-Length: "));
  assert_non_null(strstr(buf_str(&wire), "Last-Modified: Tue, 14 Nov 2023 22:13:30 GMT\r\n"));
  buf_free(&wire);
  buf_free(&want);
  response_free(&res);
}

static void a_long_stream_is_hashed_then_written_in_chunks(void **state) {
  (void)state;
  long n = 100000; /* about a megabyte */
  response res = {.status = 200, .content_type = "text/plain", .cache = CACHE_FEED};
  response_stream(&res, produce_lines, NULL, &n);
  assert_int_equal(response_produce(&res, 64 * 1024), 0);
  assert_non_null(res.producer.produce);
  assert_int_equal((int)res.body.len, 0);
  /* The ETag is the one the whole body in memory would have had. */
  response whole = {.status = 200};
  lines_into(n, &whole.body);
  response_etag(&whole);
  assert_string_equal(res.etag, whole.etag);
  assert_true(response_not_modified(&res, whole.etag));
  buf wire = {0};
  response_serialize(&res, 0, 0, NULL, &wire);
  assert_null(strstr(buf_str(&wire), "Content-Length"));
  assert_non_null(strstr(buf_str(&wire), "\r\n\r\n"));
  assert_int_equal(wire.data[wire.len - 1], '\n');
  assert_null(strstr(buf_str(&wire), "line 1\n"));
  sink k = {0};
  assert_int_equal(response_stream_body(&res, sink_take, &k), 0);
  assert_null(res.producer.produce);
  assert_int_equal(k.all.len, whole.body.len);
  assert_memory_equal(k.all.data, whole.body.data, whole.body.len);
  assert_true(k.calls > 50);
  assert_true(k.biggest < STREAM_CHUNK + 64);
  buf_free(&k.all);
  buf_free(&wire);
  response_free(&whole);
  response_free(&res);
}

/* A receiver that refuses after its first piece. */
static int refuse_second(void *ud, const char *p, size_t n) {
  (void)p, (void)n;
  return (*(int *)ud)++ == 0 ? 0 : -1;
}

/* Counts its releases: the state is a counter. */
static void count_release(void *state) { (*(long *)state)++; }

/* A producer that fails at once; its state counts releases. */
static int produce_failure(void *state, stream *s) {
  (void)state;
  buf_puts(&s->chunk, "partial");
  return -1;
}

static void a_stream_stops_when_the_client_goes_or_the_producer_fails(void **state) {
  (void)state;
  long n = 100000;
  int seen = 0;
  response res = {.status = 200};
  response_stream(&res, produce_lines, NULL, &n);
  assert_int_equal(response_produce(&res, 1024), 0);
  assert_int_equal(response_stream_body(&res, refuse_second, &seen), -1);
  assert_int_equal(seen, 2); /* no writes after the refusal */
  long released = 0;
  response bad = {.status = 200};
  response_stream(&bad, produce_failure, count_release, &released);
  assert_int_equal(response_produce(&bad, 1024), -1);
  assert_null(bad.producer.produce);
  assert_int_equal(released, 1);
  assert_int_equal((int)bad.body.len, 0);
  response_free(&bad);
  assert_int_equal(released, 1);
  response_free(&res);
}

static void if_modified_since_is_an_http_date(void **state) {
  (void)state;
  buf d = {0};
  time_http(&d, 1795768200); /* 2026-11-27 08:30:00 UTC */
  assert_string_equal(buf_str(&d), "Fri, 27 Nov 2026 08:30:00 GMT");
  time_t t = 0;
  assert_int_equal(time_parse_http(buf_str(&d), &t), 0);
  assert_int_equal((long long)t, 1795768200);
  assert_int_equal(time_parse_http("Fri, 27 Nov 2026 05:50:00 UTC", &t), -1);
  assert_int_equal(time_parse_http("Friday, 27-Nov-26 05:50:00 GMT", &t), -1);
  assert_int_equal(time_parse_http("Fri, 27 Foo 2026 05:50:00 GMT", &t), -1);
  assert_int_equal(time_parse_http("Fri, 27 Nov 2026 25:50:00 GMT", &t), -1);
  assert_int_equal(time_parse_http("", &t), -1);
  response res = {.status = 200, .cache = CACHE_FEED};
  buf_puts(&res.body, "x");
  response_last_modified(&res, 1795768200);
  response_last_modified(&res, 1795768100); /* older: kept the newest */
  assert_int_equal(res.last_modified, 1795768200);
  assert_false(response_not_modified_since(&res, buf_str(&d))); /* no validator yet */
  response_etag(&res);
  assert_true(response_not_modified_since(&res, buf_str(&d)));
  assert_true(response_not_modified_since(&res, "Sat, 28 Nov 2026 00:00:00 GMT"));
  assert_false(response_not_modified_since(&res, "Fri, 27 Nov 2026 08:29:59 GMT"));
  assert_false(response_not_modified_since(&res, "yesterday"));
  assert_false(response_not_modified_since(&res, NULL));
  buf_free(&d);
  response_free(&res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(html_response_has_security_headers),
      cmocka_unit_test(header_injection_is_refused),
      cmocka_unit_test(cache_control_follows_the_policy),
      cmocka_unit_test(shared_answers_are_labelled_for_shared_caches),
      cmocka_unit_test(cookies_are_formatted_in_one_place),
      cmocka_unit_test(tags_are_kept_once),
      cmocka_unit_test(not_modified_has_validators_and_no_body),
      cmocka_unit_test(a_short_stream_becomes_an_ordinary_answer),
      cmocka_unit_test(a_long_stream_is_hashed_then_written_in_chunks),
      cmocka_unit_test(a_stream_stops_when_the_client_goes_or_the_producer_fails),
      cmocka_unit_test(if_modified_since_is_an_http_date),
  };
  return cmocka_run_group_tests_name("response", tests, NULL, NULL);
}
