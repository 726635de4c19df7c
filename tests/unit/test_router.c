/*
** Unit tests: the router's pattern matching, 404 and 405.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "router.h"

static void h_home(struct ctx *c) { (void)c; }
static void h_article(struct ctx *c) { (void)c; }
static void h_rate(struct ctx *c) { (void)c; }

static const route ROUTES[] = {
    {"GET", "/", h_home},
    {"GET", "/articles/{slug}", h_article},
    {"POST", "/articles/{slug}/rating", h_rate},
    {"GET", "/articles/{slug}/rating", h_article},
};
#define N (sizeof ROUTES / sizeof ROUTES[0])

static void matches_literal_and_params(void **state) {
  (void)state;
  route_match m;
  buf allow = {0};
  assert_int_equal(router_match(ROUTES, N, "GET", "/", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_home);
  route_match_free(&m);
  assert_int_equal(router_match(ROUTES, N, "GET", "/articles/خبر-عاجل", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_article);
  assert_int_equal(m.nparams, 1);
  assert_string_equal(m.params[0], "خبر-عاجل");
  route_match_free(&m);
  assert_int_equal(router_match(ROUTES, N, "POST", "/articles/x/rating", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_rate);
  assert_string_equal(m.params[0], "x");
  route_match_free(&m);
  buf_free(&allow);
}

static void head_answers_get_routes(void **state) {
  (void)state;
  route_match m;
  buf allow = {0};
  assert_int_equal(router_match(ROUTES, N, "HEAD", "/articles/a", &m, &allow), 200);
  route_match_free(&m);
  buf_free(&allow);
}

static void unknown_paths_are_404(void **state) {
  (void)state;
  route_match m;
  buf allow = {0};
  const char *paths[] = {"/articles", "/articles/", "/articles/a/b", "/x",
                         "//", "/articles//rating", ""};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    assert_int_equal(router_match(ROUTES, N, "GET", paths[i], &m, &allow), 404);
    route_match_free(&m);
  }
  buf_free(&allow);
}

static void wrong_method_is_405_with_allow(void **state) {
  (void)state;
  route_match m;
  buf allow = {0};
  assert_int_equal(router_match(ROUTES, N, "DELETE", "/articles/a", &m, &allow), 405);
  assert_string_equal(buf_str(&allow), "GET, HEAD");
  route_match_free(&m);
  buf_reset(&allow);
  assert_int_equal(router_match(ROUTES, N, "PUT", "/articles/a/rating", &m, &allow), 405);
  assert_string_equal(buf_str(&allow), "POST, GET, HEAD");
  route_match_free(&m);
  buf_free(&allow);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(matches_literal_and_params),
      cmocka_unit_test(head_answers_get_routes),
      cmocka_unit_test(unknown_paths_are_404),
      cmocka_unit_test(wrong_method_is_405_with_allow),
  };
  return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
