/*
** Unit tests: newsroom sessions: signing in makes one (its cookie
** HttpOnly, SameSite=Strict, for /admin), it is found again by its cookie,
** it runs out when idle, signing out and a new password end it, and the
** form token is checked in constant time.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit.h"

#include "app.h"
#include "auth.h"
#include "store.h"

static const char PASSWORD[] = "correct horse battery";

typedef struct fixture {
  db *d;
  app *a;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!(f->d = unit_db(f->path, sizeof f->path, "session"))) return -1;
  f->a = unit_app(f->d);
  if (!f->a || user_add(f->d, "ed", "Ed Itor", ROLE_EDITOR, PASSWORD) != STORE_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  app_free(f->a);
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* A request context: cookie (may be NULL) and a form body (may be NULL). */
typedef struct req {
  ctx c;
  char *env[8];
  char cookie[sizeof "HTTP_COOKIE=" + 200]; /* a Cookie header of up to 199 bytes */
} req;

/* Sets r up as a request from 192.0.2.1 with the cookie header cookie. */
static void req_init(req *r, fixture *f, const char *cookie, const char *body) {
  memset(r, 0, sizeof *r);
  int n = 0;
  r->env[n++] = "REQUEST_METHOD=POST";
  r->env[n++] = "REQUEST_URI=/admin/login";
  r->env[n++] = "REMOTE_ADDR=192.0.2.1";
  if (cookie) {
    snprintf(r->cookie, sizeof r->cookie, "HTTP_COOKIE=%s", cookie);
    r->env[n++] = r->cookie;
  }
  r->c.app = f->a;
  r->c.db = f->d;
  r->c.now = time(NULL);
  request_parse(&r->c.req, r->env);
  if (body) {
    r->c.req.body = strdup(body);
    r->c.req.body_len = strlen(body);
  }
}

static void req_free(req *r) {
  response_free(&r->c.res);
  request_free(&r->c.req);
}

/* Copies "gz_session=TOKEN" from the answer's Set-Cookie into out. */
static void session_cookie(const req *r, char *out, size_t n) {
  const char *h = strstr(buf_str(&r->c.res.headers), "Set-Cookie: gz_session=");
  assert_non_null(h);
  h += strlen("Set-Cookie: ");
  snprintf(out, n, "%.*s", (int)strcspn(h, ";"), h);
}

/* Signs ed in; copies the session cookie into cookie. */
static void sign_in(fixture *f, char *cookie, size_t n) {
  req r;
  long wait = 0;
  req_init(&r, f, NULL, NULL);
  assert_int_equal(auth_login(&r.c, "ed", PASSWORD, &wait), 0);
  const char *h = buf_str(&r.c.res.headers);
  assert_non_null(strstr(h, "; Path=/admin; HttpOnly; SameSite=Strict"));
  assert_false(cache_policy_shared(r.c.res.cache));
  session_cookie(&r, cookie, n);
  req_free(&r);
}

static void signing_in_makes_a_session_found_by_its_cookie(void **state) {
  fixture *f = *state;
  char cookie[200];
  sign_in(f, cookie, sizeof cookie);
  req r;
  req_init(&r, f, cookie, NULL);
  assert_int_equal(auth_session(&r.c), 1);
  assert_string_equal(r.c.user.username, "ed");
  assert_int_equal(r.c.user.role, ROLE_EDITOR);
  assert_int_equal((int)strlen(r.c.user.csrf), 64);
  req_free(&r);
  /* A made-up token, or none, is nobody. */
  req_init(&r, f, "gz_session=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", NULL);
  assert_int_equal(auth_session(&r.c), 0);
  req_free(&r);
  req_init(&r, f, NULL, NULL);
  assert_int_equal(auth_session(&r.c), 0);
  req_free(&r);
  /* A wrong password makes none. */
  long wait;
  req_init(&r, f, NULL, NULL);
  assert_int_equal(auth_login(&r.c, "ed", "not the password", &wait), 1);
  assert_null(strstr(buf_str(&r.c.res.headers), "gz_session"));
  req_free(&r);
}

static void a_session_runs_out_when_idle(void **state) {
  fixture *f = *state;
  char cookie[200];
  sign_in(f, cookie, sizeof cookie);
  char sql[120];
  snprintf(sql, sizeof sql, "UPDATE sessions SET seen_at = %lld",
           (long long)time(NULL) - SESSION_IDLE - 1);
  assert_int_equal(db_exec(f->d, sql), 0);
  req r;
  req_init(&r, f, cookie, NULL);
  assert_int_equal(auth_session(&r.c), 0);
  req_free(&r);
}

static void signing_out_ends_it(void **state) {
  fixture *f = *state;
  char cookie[200];
  sign_in(f, cookie, sizeof cookie);
  req r;
  req_init(&r, f, cookie, NULL);
  assert_int_equal(auth_session(&r.c), 1);
  auth_logout(&r.c);
  assert_non_null(strstr(buf_str(&r.c.res.headers), "gz_session=; Path=/admin; Max-Age=0"));
  req_free(&r);
  req_init(&r, f, cookie, NULL);
  assert_int_equal(auth_session(&r.c), 0);
  req_free(&r);
}

static void a_new_password_ends_the_other_sessions(void **state) {
  fixture *f = *state;
  char mine[200], other[200];
  sign_in(f, mine, sizeof mine);
  sign_in(f, other, sizeof other);
  req r;
  req_init(&r, f, mine, NULL);
  assert_int_equal(auth_session(&r.c), 1);
  assert_int_equal(auth_change_own_password(&r.c, "a brand new password"), 0);
  req_free(&r);
  req_init(&r, f, mine, NULL);
  assert_int_equal(auth_session(&r.c), 1);
  req_free(&r);
  req_init(&r, f, other, NULL);
  assert_int_equal(auth_session(&r.c), 0);
  req_free(&r);
}

static void the_form_token_must_be_the_sessions(void **state) {
  fixture *f = *state;
  char cookie[200], body[120];
  sign_in(f, cookie, sizeof cookie);
  req r;
  req_init(&r, f, cookie, NULL);
  assert_int_equal(auth_session(&r.c), 1);
  snprintf(body, sizeof body, "csrf=%s", r.c.user.csrf);
  req_free(&r);
  req_init(&r, f, cookie, body);
  assert_int_equal(auth_session(&r.c), 1);
  assert_int_equal(auth_csrf_ok(&r.c), 1);
  req_free(&r);
  body[strlen(body) - 1] ^= 1; /* one character off */
  req_init(&r, f, cookie, body);
  assert_int_equal(auth_session(&r.c), 1);
  assert_int_equal(auth_csrf_ok(&r.c), 0);
  req_free(&r);
  req_init(&r, f, cookie, "csrf=");
  assert_int_equal(auth_session(&r.c), 1);
  assert_int_equal(auth_csrf_ok(&r.c), 0);
  req_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(signing_in_makes_a_session_found_by_its_cookie, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_session_runs_out_when_idle, setup, teardown),
      cmocka_unit_test_setup_teardown(signing_out_ends_it, setup, teardown),
      cmocka_unit_test_setup_teardown(a_new_password_ends_the_other_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(the_form_token_must_be_the_sessions, setup, teardown),
  };
  return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
