/*
** Unit tests: a multipart body read from the request's stream
** (upload_receive), as an upload route reads it: the fields and the file
** arrive, a file over the limit is refused before the rest of the body is
** read, and a wrong form token or a broken body leaves no temporary file.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit.h"

#include "app.h"
#include "upload.h"

static const char TOKEN[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
#define BOUNDARY "gz-test-boundary"

typedef struct fixture {
  db *d;
  app *a;
  char dbpath[256], dir[256];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  char err[512];
  snprintf(f->dbpath, sizeof f->dbpath, "/tmp/gazette-test-upload-%d.db", (int)getpid());
  snprintf(f->dir, sizeof f->dir, "/tmp/gazette-test-upload-%d", (int)getpid());
  remove(f->dbpath);
  if (mkdir(f->dir, 0700) != 0) return -1;
  f->d = db_open(f->dbpath, 1, err, sizeof err);
  if (!f->d || db_migrate(f->d, err, sizeof err) != 0) return -1;
  f->a = unit_app(f->d);
  if (!f->a) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  app_free(f->a);
  db_close(f->d);
  unit_db_remove(f->dbpath);
  rmdir(f->dir);
  free(f);
  return 0;
}

/* A body being read: the bytes, and how many the server took. */
typedef struct test_body {
  const char *data;
  size_t len, taken;
} test_body;

/* The request's reader (body_read_fn) over a test body, in pieces of 4 KiB,
** as FastCGI records come. */
static int stream_read(void *ud, char *dst, int n) {
  test_body *s = ud;
  size_t left = s->len - s->taken;
  size_t k = left < (size_t)n ? left : (size_t)n;
  if (k > 4096) k = 4096;
  memcpy(dst, s->data + s->taken, k);
  s->taken += k;
  return (int)k;
}

/* Appends a multipart body to b: the token (NULL: none), an alt field and
** a file of size bytes. */
static void body_make(buf *b, const char *token, size_t size) {
  if (token)
    buf_printf(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n",
               token);
  buf_puts(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nA heron\r\n");
  buf_puts(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; "
              "filename=\"heron.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
  for (size_t i = 0; i < size; i++) buf_putc(b, (char)('a' + i % 26));
  buf_puts(b, "\r\n--" BOUNDARY "--\r\n");
}

/* The route an upload comes by: a form token is required. */
static const route UPLOAD_ROUTE = {"POST", "/admin/media", NULL, ROLE_AUTHOR, KIND_NEWSROOM,
                                   0, BODY_MULTIPART, CSRF_SESSION};

/* Runs upload_receive over body (declaring length as sent, unless
** declared > 0) with a limit of limit bytes. Returns the status; *taken is
** what was read of the body. */
static int receive(fixture *f, const buf *body, long long declared, uint64_t limit, size_t *taken,
                   multipart **out, char *why, size_t whylen) {
  static char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/admin/media",
                        "CONTENT_TYPE=multipart/form-data; boundary=" BOUNDARY, NULL};
  ctx c;
  memset(&c, 0, sizeof c);
  c.app = f->a;
  c.db = f->d;
  request_parse(&c.req, env);
  c.match.route = &UPLOAD_ROUTE;
  snprintf(c.user.csrf, sizeof c.user.csrf, "%s", TOKEN);
  c.user.id = 1;
  test_body s = {body->data, body->len, 0};
  c.body = (body_stream){stream_read, &s, declared > 0 ? declared : (long long)body->len, 0};
  int st = upload_receive(&c, f->dir, limit, out, why, whylen);
  *taken = s.taken;
  request_free(&c.req);
  return st;
}

/* Counts the files in dir. */
static int files_in(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  if (d) closedir(d);
  return n;
}

static void a_body_arrives_as_fields_and_a_file(void **state) {
  fixture *f = *state;
  buf body = {0};
  body_make(&body, TOKEN, 100000);
  multipart *m = NULL;
  size_t taken;
  char why[300];
  assert_int_equal(receive(f, &body, 0, 1024 * 1024, &taken, &m, why, sizeof why), 0);
  assert_int_equal(taken, body.len);
  assert_string_equal(multipart_field_get(m, "alt"), "A heron");
  const multipart_file *file = multipart_file_get(m, "file");
  assert_non_null(file);
  assert_int_equal(file->size, 100000);
  assert_string_equal(file->filename, "heron.jpg");
  assert_int_equal(files_in(f->dir), 1);
  multipart_close(m);
  assert_int_equal(files_in(f->dir), 0);
  buf_free(&body);
}

static void a_file_over_the_limit_is_refused_before_the_end(void **state) {
  fixture *f = *state;
  buf body = {0};
  /* Within the room the declared length is allowed, so the parser meets
  ** the limit as the bytes arrive. */
  body_make(&body, TOKEN, 1024 * 1024 + 60000);
  multipart *m = NULL;
  size_t taken;
  char why[300];
  assert_int_equal(receive(f, &body, 0, 1024 * 1024, &taken, &m, why, sizeof why), 413);
  assert_null(m);
  assert_string_equal(why, "The file is larger than the limit of 1 MB.");
  assert_true(taken < body.len);
  assert_true(taken <= 1024 * 1024 + 8192);
  assert_int_equal(files_in(f->dir), 0);
  /* Declared far over the limit: refused before a byte is read. */
  assert_int_equal(receive(f, &body, 50LL * 1024 * 1024, 1024 * 1024, &taken, &m, why, sizeof why),
                   413);
  assert_int_equal(taken, 0);
  buf_free(&body);
}

static void a_wrong_or_missing_token_leaves_nothing(void **state) {
  fixture *f = *state;
  buf body = {0};
  multipart *m = NULL;
  size_t taken;
  char why[300];
  body_make(&body, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 5000);
  assert_int_equal(receive(f, &body, 0, 1024 * 1024, &taken, &m, why, sizeof why), 403);
  assert_null(m);
  assert_int_equal(files_in(f->dir), 0);
  buf_reset(&body);
  body_make(&body, NULL, 5000);
  assert_int_equal(receive(f, &body, 0, 1024 * 1024, &taken, &m, why, sizeof why), 403);
  assert_int_equal(files_in(f->dir), 0);
  buf_free(&body);
}

static void a_cut_body_is_a_bad_request(void **state) {
  fixture *f = *state;
  buf body = {0};
  body_make(&body, TOKEN, 20000);
  body.len -= 100; /* the client went away */
  multipart *m = NULL;
  size_t taken;
  char why[300];
  assert_int_equal(receive(f, &body, (long long)body.len + 100, 1024 * 1024, &taken, &m, why,
                           sizeof why),
                   400);
  assert_null(m);
  assert_int_equal(files_in(f->dir), 0);
  buf_free(&body);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_body_arrives_as_fields_and_a_file),
      cmocka_unit_test(a_file_over_the_limit_is_refused_before_the_end),
      cmocka_unit_test(a_wrong_or_missing_token_leaves_nothing),
      cmocka_unit_test(a_cut_body_is_a_bad_request),
  };
  return cmocka_run_group_tests_name("upload", tests, setup, teardown);
}
