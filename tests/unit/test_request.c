/*
** Unit tests: turning FastCGI parameters into a request.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "request.h"
#include "utf8.h"

/* Parses a request for method and uri; returns request_parse's status. */
static int parse(request *r, char **env, const char *method, const char *uri) {
  static char m[64], u[8192];
  snprintf(m, sizeof m, "REQUEST_METHOD=%s", method);
  snprintf(u, sizeof u, "REQUEST_URI=%s", uri);
  env[0] = m;
  env[1] = u;
  return request_parse(r, env);
}

static void decodes_path_and_keeps_query(void **state) {
  (void)state;
  char *env[4] = {0};
  request r;
  assert_int_equal(parse(&r, env, "GET", "/articles/caf%C3%A9?page=2&x=a+b"), 0);
  assert_string_equal(r.path, "/articles/café");
  assert_string_equal(r.query, "page=2&x=a+b");
  buf v = {0};
  assert_int_equal(request_query(&r, "x", &v), 1);
  assert_string_equal(buf_str(&v), "a b");
  buf_free(&v);
  long page;
  assert_int_equal(request_query_int(&r, "page", 1, 1, 100, &page), 0);
  assert_int_equal(page, 2);
  request_free(&r);
}

static void arabic_slug_round_trips(void **state) {
  (void)state;
  char *env[4] = {0};
  request r;
  /* "خبر" percent-encoded */
  assert_int_equal(parse(&r, env, "GET", "/articles/%D8%AE%D8%A8%D8%B1"), 0);
  assert_string_equal(r.path, "/articles/خبر");
  request_free(&r);
}

static void bad_encoding_is_400(void **state) {
  (void)state;
  char *env[4] = {0};
  request r;
  assert_int_equal(parse(&r, env, "GET", "/a%ZZ"), 400);
  request_free(&r);
  assert_int_equal(parse(&r, env, "GET", "/a%4"), 400);
  request_free(&r);
  assert_int_equal(parse(&r, env, "GET", "/a%C3%28"), 400); /* invalid UTF-8 */
  request_free(&r);
  assert_int_equal(parse(&r, env, "GET", "/a%00b"), 400); /* NUL */
  request_free(&r);
  assert_int_equal(parse(&r, env, "GET", "/?q=%FF"), 400); /* bad query */
  request_free(&r);
}

static void long_path_or_query_is_414(void **state) {
  (void)state;
  char *env[4] = {0};
  char uri[6000];
  request r;
  memset(uri, 'a', sizeof uri - 1);
  uri[0] = '/';
  uri[sizeof uri - 1] = 0;
  assert_int_equal(parse(&r, env, "GET", uri), 414);
  request_free(&r);
  uri[1200] = 0;
  assert_int_equal(parse(&r, env, "GET", uri), 414);
  request_free(&r);
  memset(uri, 'a', 3000);
  memcpy(uri, "/?q=", 4);
  uri[3000] = 0;
  assert_int_equal(parse(&r, env, "GET", uri), 414);
  request_free(&r);
}

static void head_is_marked(void **state) {
  (void)state;
  char *env[4] = {0};
  request r;
  assert_int_equal(parse(&r, env, "HEAD", "/"), 0);
  assert_true(r.is_head);
  request_free(&r);
}

static void query_int_rejects_junk(void **state) {
  (void)state;
  char *env[4] = {0};
  request r;
  long v;
  const char *bad[] = {"/?page=abc", "/?page=-1", "/?page=0", "/?page=2x",
                       "/?page=99999999999999999999", "/?page=", "/?page=+3"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(parse(&r, env, "GET", bad[i]), 0);
    assert_int_equal(request_query_int(&r, "page", 1, 1, 1000, &v), -1);
    request_free(&r);
  }
  assert_int_equal(parse(&r, env, "GET", "/?other=1"), 0);
  assert_int_equal(request_query_int(&r, "page", 1, 1, 1000, &v), 0);
  assert_int_equal(v, 1);
  request_free(&r);
}

static void headers_and_cookies(void **state) {
  (void)state;
  char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/",
                 "HTTP_IF_NONE_MATCH=\"abc\"",
                 "HTTP_COOKIE=theme=dark; visitor=v123; x=1", NULL};
  request r;
  assert_int_equal(request_parse(&r, env), 0);
  assert_string_equal(request_header(&r, "If-None-Match"), "\"abc\"");
  assert_null(request_header(&r, "Origin"));
  buf v = {0};
  assert_int_equal(request_cookie(&r, "visitor", &v), 1);
  assert_string_equal(buf_str(&v), "v123");
  buf_reset(&v);
  assert_int_equal(request_cookie(&r, "visit", &v), 0);
  buf_free(&v);
  request_free(&r);
}

static void form_fields(void **state) {
  (void)state;
  const char *body = "name=Ana+Lima&body=caf%C3%A9+%26+more&empty=&bad=%ZZ";
  buf v = {0};
  assert_int_equal(form_lookup(body, strlen(body), "name", &v), 1);
  assert_string_equal(buf_str(&v), "Ana Lima");
  buf_reset(&v);
  assert_int_equal(form_lookup(body, strlen(body), "body", &v), 1);
  assert_string_equal(buf_str(&v), "café & more");
  buf_reset(&v);
  assert_int_equal(form_lookup(body, strlen(body), "empty", &v), 1);
  assert_string_equal(buf_str(&v), "");
  assert_int_equal(form_lookup(body, strlen(body), "bad", &v), -1);
  assert_int_equal(form_lookup(body, strlen(body), "nam", &v), 0);
  buf_free(&v);
}

static void utf8_validation(void **state) {
  (void)state;
  assert_true(utf8_valid("abc", 3));
  assert_true(utf8_valid("مرحبا", strlen("مرحبا")));
  assert_false(utf8_valid("\xC0\xAF", 2));           /* overlong */
  assert_false(utf8_valid("\xED\xA0\x80", 3));       /* surrogate */
  assert_false(utf8_valid("\xF4\x90\x80\x80", 4));   /* > U+10FFFF */
  assert_false(utf8_valid("\xE2\x82", 2));           /* truncated */
  assert_false(utf8_valid("a\0b", 3));               /* NUL */
  assert_int_equal(utf8_length("مرحبا", strlen("مرحبا")), 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(decodes_path_and_keeps_query),
      cmocka_unit_test(arabic_slug_round_trips),
      cmocka_unit_test(bad_encoding_is_400),
      cmocka_unit_test(long_path_or_query_is_414),
      cmocka_unit_test(head_is_marked),
      cmocka_unit_test(query_int_rejects_junk),
      cmocka_unit_test(headers_and_cookies),
      cmocka_unit_test(form_fields),
      cmocka_unit_test(utf8_validation),
  };
  return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}
