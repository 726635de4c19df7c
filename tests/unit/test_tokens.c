/*
** Unit tests: API tokens and Idempotency-Key. A token is made once, kept
** only as a hash, found by its selector and checked in constant time; it
** makes the request its user's (with the user's role as it is now), and
** is refused when wrong, expired, revoked, or its account disabled or its
** password changed; failed tries from one address are slowed, then
** locked. An Idempotency-Key is claimed once per user, keeps its answer,
** and tells another request with the same key apart.
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

#include "app.h"
#include "auth.h"
#include "store.h"
#include "store_token.h"
#include "tokens.h"
#include "unit.h"

static const char PASSWORD[] = "correct horse battery";

typedef struct fixture {
  db *d;
  app *a;
  long ed, au;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->d = unit_db(f->path, sizeof f->path, "tokens");
  if (!f->d) return -1;
  f->a = unit_app(f->d);
  if (!f->a || user_add(f->d, "ed", "Ed Itor", ROLE_EDITOR, PASSWORD) != STORE_OK ||
      user_add(f->d, "au", "Au Thor", ROLE_AUTHOR, PASSWORD) != STORE_OK ||
      token_user_id(f->d, "ed", &f->ed) != STORE_OK || token_user_id(f->d, "au", &f->au) != STORE_OK)
    return -1;
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

/* A request with the header Authorization: auth (none when NULL), from
** address ip. */
typedef struct req {
  ctx c;
  char *env[8];
  char auth[sizeof "HTTP_AUTHORIZATION=" + 200], addr[64]; /* a header of up to 199 bytes */
} req;

static void req_init(req *r, fixture *f, const char *auth, const char *ip) {
  memset(r, 0, sizeof *r);
  int n = 0;
  r->env[n++] = "REQUEST_METHOD=GET";
  r->env[n++] = "REQUEST_URI=/api/v1/newsroom/me";
  snprintf(r->addr, sizeof r->addr, "REMOTE_ADDR=%s", ip ? ip : "192.0.2.1");
  r->env[n++] = r->addr;
  if (auth) {
    snprintf(r->auth, sizeof r->auth, "HTTP_AUTHORIZATION=%s", auth);
    r->env[n++] = r->auth;
  }
  r->c.app = f->a;
  r->c.db = f->d;
  r->c.now = time(NULL);
  request_parse(&r->c.req, r->env);
}

static void req_free(req *r) {
  response_free(&r->c.res);
  request_free(&r->c.req);
}

/* Authenticates "Bearer token" from ip; returns the status (0: passed),
** and the user's id through *user. */
static int auth_with(fixture *f, const char *token, const char *ip, long *user) {
  char h[200];
  req r;
  snprintf(h, sizeof h, "Bearer %s", token);
  req_init(&r, f, h, ip);
  int st = token_principal_or_reply(&r.c);
  if (user) *user = r.c.user.id;
  req_free(&r);
  return st;
}

static void a_token_is_shown_once_and_kept_as_a_hash(void **state) {
  fixture *f = *state;
  char text[TOKEN_TEXT_LEN + 1], selector[17];
  unsigned char h[32];
  long id = 0;
  assert_int_equal(token_create(f->d, time(NULL), f->ed, "Phone", "write", 30, text, &id), 0);
  assert_true(id > 0);
  assert_int_equal((int)strlen(text), TOKEN_TEXT_LEN);
  assert_memory_equal(text, "gzt_", 4);
  assert_int_equal(token_parse(text, selector, h), 0);
  token_auth t;
  assert_int_equal(token_find(f->d, selector, &t), STORE_OK);
  assert_memory_equal(t.hash, h, 32);
  assert_memory_not_equal(t.hash, text + 21, 32);
  assert_string_equal(t.username, "ed");
  assert_false(t.read_only);
  assert_true(t.expires_at >= (long long)time(NULL) + 30 * 86400 - 5);
  /* Two tokens never share their text. */
  char again[TOKEN_TEXT_LEN + 1];
  assert_int_equal(token_create(f->d, time(NULL), f->ed, "Phone", "read", 1, again, &id), 0);
  assert_string_not_equal(text, again);
}

static void what_a_token_may_be_called_scoped_and_last(void **state) {
  fixture *f = *state;
  char text[TOKEN_TEXT_LEN + 1];
  long id;
  time_t now = time(NULL);
  char long_name[120];
  memset(long_name, 'x', 101);
  long_name[101] = 0;
  assert_int_equal(token_create(f->d, now, f->ed, "", "write", 30, text, &id), TOKEN_BAD_NAME);
  assert_int_equal(token_create(f->d, now, f->ed, long_name, "write", 30, text, &id), TOKEN_BAD_NAME);
  assert_int_equal(token_create(f->d, now, f->ed, "two\nlines", "write", 30, text, &id), TOKEN_BAD_NAME);
  assert_int_equal(token_create(f->d, now, f->ed, "\xff", "write", 30, text, &id), TOKEN_BAD_NAME);
  assert_int_equal(token_create(f->d, now, f->ed, "ok", "admin", 30, text, &id), TOKEN_BAD_SCOPE);
  assert_int_equal(token_create(f->d, now, f->ed, "ok", "write", 0, text, &id), TOKEN_BAD_DAYS);
  assert_int_equal(token_create(f->d, now, f->ed, "ok", "write", TOKEN_DAYS_MAX + 1, text, &id),
                   TOKEN_BAD_DAYS);
  assert_int_equal(token_create(f->d, now, f->ed, "مكتب الصور", "write", TOKEN_DAYS_MAX, text, &id), 0);
  char sel[17];
  unsigned char h[32];
  assert_int_equal(token_parse("gzt_short", sel, h), -1);
  assert_int_equal(token_parse(NULL, sel, h), -1);
  text[10] = 'G'; /* upper case is not a token's */
  assert_int_equal(token_parse(text, sel, h), -1);
}

static void a_token_makes_the_request_its_users(void **state) {
  fixture *f = *state;
  char text[TOKEN_TEXT_LEN + 1], h[200];
  long id;
  assert_int_equal(token_create(f->d, time(NULL), f->au, "Phone", "read", 30, text, &id), 0);
  snprintf(h, sizeof h, "Bearer %s", text);
  req r;
  req_init(&r, f, h, "198.51.100.7");
  assert_int_equal(token_principal_or_reply(&r.c), 0);
  assert_int_equal(r.c.user.id, f->au);
  assert_int_equal(r.c.user.role, ROLE_AUTHOR);
  assert_string_equal(r.c.user.username, "au");
  assert_int_equal(r.c.user.token, id);
  assert_true(r.c.user.read_only);
  req_free(&r);
  cJSON *list = cJSON_CreateArray();
  assert_int_equal(token_list(f->d, f->au, list), STORE_OK);
  cJSON *t = cJSON_GetArrayItem(list, 0);
  assert_string_equal(cJSON_GetObjectItem(t, "last_used_ip")->valuestring, "198.51.100.7");
  assert_true(cJSON_IsNumber(cJSON_GetObjectItem(t, "last_used_at")));
  assert_string_equal(token_state(t, time(NULL)), "active");
  cJSON_Delete(list);
  /* The role is the account's as it is now. */
  assert_int_equal(db_exec(f->d, "UPDATE users SET role = 'editor' WHERE username = 'au'"), 0);
  req_init(&r, f, h, NULL);
  assert_int_equal(token_principal_or_reply(&r.c), 0);
  assert_int_equal(r.c.user.role, ROLE_EDITOR);
  req_free(&r);
}

static void no_token_or_a_wrong_one_is_401(void **state) {
  fixture *f = *state;
  char text[TOKEN_TEXT_LEN + 1];
  long id;
  assert_int_equal(token_create(f->d, time(NULL), f->ed, "Phone", "write", 30, text, &id), 0);
  req r;
  req_init(&r, f, NULL, NULL);
  assert_int_equal(token_principal_or_reply(&r.c), 401);
  assert_non_null(strstr(buf_str(&r.c.res.headers), "WWW-Authenticate: Bearer realm=\"Gazette\"\r\n"));
  assert_int_equal(r.c.user.id, 0);
  req_free(&r);
  req_init(&r, f, "Basic ZWQ6cGFzc3dvcmQ=", NULL);
  assert_int_equal(token_principal_or_reply(&r.c), 401);
  req_free(&r);
  text[TOKEN_TEXT_LEN - 1] = text[TOKEN_TEXT_LEN - 1] == '0' ? '1' : '0';
  req_init(&r, f, NULL, NULL);
  char h[200];
  snprintf(h, sizeof h, "Bearer %s", text);
  req_free(&r);
  req_init(&r, f, h, NULL);
  assert_int_equal(token_principal_or_reply(&r.c), 401);
  assert_non_null(strstr(buf_str(&r.c.res.headers), "error=\"invalid_token\""));
  assert_int_equal(r.c.user.id, 0);
  req_free(&r);
}

static void expired_revoked_disabled_or_repassworded_tokens_are_refused(void **state) {
  fixture *f = *state;
  char a[TOKEN_TEXT_LEN + 1], b[TOKEN_TEXT_LEN + 1], c[TOKEN_TEXT_LEN + 1], d[TOKEN_TEXT_LEN + 1];
  long ia, ib, ic, id;
  time_t now = time(NULL);
  assert_int_equal(token_create(f->d, now - 2 * 86400, f->ed, "Old", "write", 1, a, &ia), 0);
  assert_int_equal(token_create(f->d, now, f->ed, "Revoked", "write", 30, b, &ib), 0);
  assert_int_equal(token_create(f->d, now, f->au, "Author's", "write", 30, c, &ic), 0);
  assert_int_equal(token_create(f->d, now, f->ed, "Editor's", "write", 30, d, &id), 0);
  assert_int_equal(auth_with(f, a, NULL, NULL), 401);
  assert_int_equal(token_revoke(f->d, ib, f->au, now), STORE_NOT_FOUND); /* not the author's */
  assert_int_equal(auth_with(f, b, NULL, NULL), 0);
  assert_int_equal(token_revoke(f->d, ib, f->ed, now), STORE_OK);
  assert_int_equal(auth_with(f, b, NULL, NULL), 401);
  /* Disabling the account, or a new password, ends every token of it. */
  assert_int_equal(auth_with(f, c, NULL, NULL), 0);
  assert_int_equal(user_disable(f->d, "au"), STORE_OK);
  assert_int_equal(auth_with(f, c, NULL, NULL), 401);
  assert_int_equal(db_exec(f->d, "UPDATE users SET disabled = 0 WHERE username = 'au'"), 0);
  assert_int_equal(auth_with(f, c, NULL, NULL), 401); /* enabled again: still revoked */
  assert_int_equal(auth_with(f, d, NULL, NULL), 0);
  assert_int_equal(user_passwd(f->d, "ed", "another good password"), STORE_OK);
  assert_int_equal(auth_with(f, d, NULL, NULL), 401);
  cJSON *list = cJSON_CreateArray();
  assert_int_equal(token_list(f->d, 0, list), STORE_OK);
  const cJSON *t;
  cJSON_ArrayForEach(t, list) { assert_string_not_equal(token_state(t, now), "active"); }
  cJSON_Delete(list);
}

static void failed_tries_from_an_address_are_slowed_then_locked(void **state) {
  fixture *f = *state;
  char good[TOKEN_TEXT_LEN + 1], bad[TOKEN_TEXT_LEN + 1];
  long id;
  assert_int_equal(token_create(f->d, time(NULL), f->ed, "Phone", "write", 30, good, &id), 0);
  memcpy(bad, good, sizeof bad);
  memset(bad + 21, 'a', 64);
  for (int i = 0; i < TOKEN_FAIL_DELAY_AFTER; i++)
    assert_int_equal(auth_with(f, bad, "203.0.113.9", NULL), 401);
  /* The next try must wait, even with the right token... */
  assert_int_equal(auth_with(f, good, "203.0.113.9", NULL), 429);
  /* ...but another address is not concerned. */
  assert_int_equal(auth_with(f, good, "203.0.113.10", NULL), 0);
  /* Ten failures lock the address for a quarter of an hour. */
  assert_int_equal(db_exec(f->d, "UPDATE login_failures SET failures = 9, last_at = 0"), 0);
  assert_int_equal(auth_with(f, bad, "203.0.113.9", NULL), 401);
  req r;
  char h[200];
  snprintf(h, sizeof h, "Bearer %s", good);
  req_init(&r, f, h, "203.0.113.9");
  assert_int_equal(token_principal_or_reply(&r.c), 429);
  const char *retry = strstr(buf_str(&r.c.res.headers), "Retry-After: ");
  assert_non_null(retry);
  assert_true(atol(retry + 13) > TOKEN_LOCK_SECONDS - 10);
  req_free(&r);
}

static void an_idempotency_key_is_claimed_once_and_keeps_its_answer(void **state) {
  fixture *f = *state;
  unsigned char fp[IDEM_FINGERPRINT_LEN], other[IDEM_FINGERPRINT_LEN];
  memset(fp, 1, sizeof fp);
  memset(other, 2, sizeof other);
  time_t now = time(NULL);
  idem_row r;
  int claimed = 0;
  assert_int_equal(idem_claim(f->d, now, f->ed, "k1", fp, now - 86400, 1000, &claimed, &r), STORE_OK);
  assert_true(claimed);
  long row = r.id;
  idem_row_free(&r);
  /* While it is answered, the key is taken. */
  assert_int_equal(idem_claim(f->d, now, f->ed, "k1", fp, now - 86400, 1000, &claimed, &r), STORE_OK);
  assert_false(claimed);
  assert_int_equal(r.status, 0);
  idem_row_free(&r);
  assert_int_equal(idem_save(f->d, row, 201, "application/json", "\"abc\"", "Location: /x\r\n",
                             "{\"id\":7}", 8), STORE_OK);
  assert_int_equal(idem_claim(f->d, now, f->ed, "k1", fp, now - 86400, 1000, &claimed, &r), STORE_OK);
  assert_false(claimed);
  assert_int_equal(r.status, 201);
  assert_memory_equal(r.fingerprint, fp, sizeof fp);
  assert_string_equal(r.content_type, "application/json");
  assert_string_equal(r.etag, "\"abc\"");
  assert_string_equal(buf_str(&r.headers), "Location: /x\r\n");
  assert_string_equal(buf_str(&r.body), "{\"id\":7}");
  idem_row_free(&r);
  /* Keys are each user's own. */
  assert_int_equal(idem_claim(f->d, now, f->au, "k1", other, now - 86400, 1000, &claimed, &r), STORE_OK);
  assert_true(claimed);
  idem_row_free(&r);
  /* A day later it is forgotten. */
  assert_int_equal(idem_claim(f->d, now + 86401, f->ed, "k1", other, now + 1, 1000, &claimed, &r), STORE_OK);
  assert_true(claimed);
  idem_row_free(&r);
}

static void abandoned_keys_are_taken_over_and_a_user_keeps_at_most_max(void **state) {
  fixture *f = *state;
  unsigned char fp[IDEM_FINGERPRINT_LEN];
  memset(fp, 3, sizeof fp);
  time_t now = time(NULL);
  idem_row r;
  int claimed;
  assert_int_equal(idem_claim(f->d, now - 600, f->ed, "crashed", fp, 0, 1000, &claimed, &r), STORE_OK);
  long row = r.id;
  idem_row_free(&r);
  assert_int_equal(idem_retake(f->d, row, now - 120, now), STORE_OK);
  assert_int_equal(idem_retake(f->d, row, now - 120, now), STORE_NOT_FOUND); /* taken again now */
  char key[16];
  for (int i = 0; i < 5; i++) {
    snprintf(key, sizeof key, "b%d", i);
    assert_int_equal(idem_claim(f->d, now, f->au, key, fp, 0, 3, &claimed, &r), STORE_OK);
    assert_true(claimed);
    idem_row_free(&r);
  }
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->d->h, "SELECT group_concat(key, ' ') FROM (SELECT key FROM"
                   " api_idempotency WHERE user_id = ?1 ORDER BY id)", -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_int64(st, 1, f->au);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "b2 b3 b4");
  sqlite3_finalize(st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_token_is_shown_once_and_kept_as_a_hash, setup, teardown),
      cmocka_unit_test_setup_teardown(what_a_token_may_be_called_scoped_and_last, setup, teardown),
      cmocka_unit_test_setup_teardown(a_token_makes_the_request_its_users, setup, teardown),
      cmocka_unit_test_setup_teardown(no_token_or_a_wrong_one_is_401, setup, teardown),
      cmocka_unit_test_setup_teardown(expired_revoked_disabled_or_repassworded_tokens_are_refused,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(failed_tries_from_an_address_are_slowed_then_locked, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(an_idempotency_key_is_claimed_once_and_keeps_its_answer,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(abandoned_keys_are_taken_over_and_a_user_keeps_at_most_max,
                                      setup, teardown),
  };
  return cmocka_run_group_tests_name("tokens", tests, NULL, NULL);
}
