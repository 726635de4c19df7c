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

static int h_home(struct ctx *c) { (void)c; return 200; }
static int h_article(struct ctx *c) { (void)c; return 200; }
static int h_rate(struct ctx *c) { (void)c; return 200; }
static int h_by_id(struct ctx *c) { (void)c; return 200; }
static int h_by_slug(struct ctx *c) { (void)c; return 200; }

/* A route with a default policy. */
#define R(m, p, h) {m, p, h, ROLE_NONE, KIND_PAGE, 0, BODY_NONE, CSRF_NONE}

static const route ROUTES[] = {
    R("GET", "/", h_home),
    R("GET", "/articles/{slug}", h_article),
    R("POST", "/articles/{slug}/rating", h_rate),
    R("GET", "/articles/{slug}/rating", h_article),
    R("GET", "/items/{id:int}", h_by_id),
    R("GET", "/items/by-slug/{slug}", h_by_slug),
    R("GET", "/items/{id:int}/parts/{part:int}", h_by_id),
    R("GET", "/shelf/{top}/feed.xml", h_rate),
    R("GET", "/shelf/{top}", h_by_slug),
    R("GET", "/shelf/{top}/{rest:path}", h_article),
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

static void typed_segments_take_numbers(void **state) {
  (void)state;
  route_match m;
  buf allow = {0};
  assert_int_equal(router_match(ROUTES, N, "GET", "/items/42", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_by_id);
  assert_int_equal(m.num[0], 42);
  assert_null(m.bad_param);
  route_match_free(&m);
  /* A word where a number goes: another route may fit it... */
  assert_int_equal(router_match(ROUTES, N, "GET", "/items/by-slug/x", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_by_slug);
  route_match_free(&m);
  assert_int_equal(router_match(ROUTES, N, "GET", "/items/7/parts/3", &m, &allow), 200);
  assert_int_equal(m.num[0], 7);
  assert_int_equal(m.num[1], 3);
  route_match_free(&m);
  /* ...and when none does, the route is found with the segment named, so
  ** that its answer (400 or 404) can say which. */
  const char *bad[] = {"/items/abc", "/items/0", "/items/-1", "/items/007",
                       "/items/99999999999999999", "/items/1e3"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(router_match(ROUTES, N, "GET", bad[i], &m, &allow), 200);
    assert_ptr_equal(m.route->handler, h_by_id);
    assert_string_equal(m.bad_param, "id");
    route_match_free(&m);
  }
  assert_int_equal(router_match(ROUTES, N, "GET", "/items/7/parts/x", &m, &allow), 200);
  assert_string_equal(m.bad_param, "part");
  assert_string_equal(m.params[0], "7");
  route_match_free(&m);
  buf_free(&allow);
}

static void path_segments_take_the_rest(void **state) {
  (void)state;
  route_match m;
  buf allow = {0};
  assert_int_equal(router_match(ROUTES, N, "GET", "/shelf/a", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_by_slug);
  route_match_free(&m);
  /* A row above a {x:path} one wins over it. */
  assert_int_equal(router_match(ROUTES, N, "GET", "/shelf/a/feed.xml", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_rate);
  route_match_free(&m);
  assert_int_equal(router_match(ROUTES, N, "GET", "/shelf/a/b", &m, &allow), 200);
  assert_ptr_equal(m.route->handler, h_article);
  assert_int_equal(m.nparams, 2);
  assert_string_equal(m.params[0], "a");
  assert_string_equal(m.params[1], "b");
  route_match_free(&m);
  assert_int_equal(router_match(ROUTES, N, "GET", "/shelf/a/b/ج/d", &m, &allow), 200);
  assert_string_equal(m.params[1], "b/ج/d");
  assert_null(m.bad_param);
  route_match_free(&m);
  /* No empty segment inside, and none at the end. */
  const char *bad[] = {"/shelf/a/", "/shelf/a/b/", "/shelf/a//b", "/shelf/a/b//c", "/shelf//b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(router_match(ROUTES, N, "GET", bad[i], &m, &allow), 404);
    route_match_free(&m);
  }
  buf_free(&allow);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(matches_literal_and_params),
      cmocka_unit_test(head_answers_get_routes),
      cmocka_unit_test(unknown_paths_are_404),
      cmocka_unit_test(wrong_method_is_405_with_allow),
      cmocka_unit_test(typed_segments_take_numbers),
      cmocka_unit_test(path_segments_take_the_rest),
  };
  return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
