/*
** Unit tests: the multipart/form-data upload parser.
**
** Each test parses a body the way the server will (in chunks) into a fresh
** temporary folder, and checks what the upload route would see: the fields,
** the files and their bytes, or the refusal, with no file left behind.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

/* Makes an empty temporary folder; the caller removes it with rmdir. */
static char *tmp_dir(void) {
  const char *t = getenv("TMPDIR");
  char *d = malloc(4096);
  snprintf(d, 4096, "%s/gz-mp-XXXXXX", t && *t ? t : "/tmp");
  assert_non_null(mkdtemp(d));
  return d;
}

/* Counts the entries of folder d other than . and .. */
static int dir_count(const char *d) {
  DIR *dir = opendir(d);
  assert_non_null(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dir)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(dir);
  return n;
}

/* Reads file path whole into b. */
static void slurp(const char *path, buf *b) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char tmp[4096];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) buf_append(b, tmp, n);
  fclose(f);
}

/* Feeds body to m in chunks of the sizes in cuts (cycled; 0 = whole) and
** then finishes. Returns the first non-zero result, else 0. */
static int feed_chunks(multipart *m, const char *body, size_t len, size_t chunk) {
  size_t off = 0;
  while (off < len) {
    size_t n = chunk && chunk < len - off ? chunk : len - off;
    int r = multipart_feed(m, body + off, n);
    if (r) return r;
    off += n;
  }
  return multipart_finish(m);
}

/* A body with two fields and two files; the second file holds CRs, LFs,
** NULs and near-misses of the delimiter. */
static void sample_body(buf *b, buf *file2) {
  static const char bytes[] = "\r\n--Xy-\r\n-XyZ\r\r\n--XyY\n--XyZ\r--XyZ-\0\xff\r\n\r\n\r\r\r\n--X";
  buf_reset(file2);
  buf_append(file2, bytes, sizeof bytes - 1);
  buf_reset(b);
  buf_puts(b, "--XyZ\r\n"
              "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
              "A headline\r\nin two lines\r\n"
              "--XyZ\r\n"
              "Content-Disposition: form-data; name=\"photo\"; filename=\"gulls.jpg\"\r\n"
              "Content-Type: image/jpeg\r\n\r\n"
              "JPEGDATA\r\n"
              "--XyZ\r\n"
              "content-disposition: FORM-DATA; filename=odd\\name.bin; NAME=second\r\n\r\n");
  buf_append(b, file2->data, file2->len);
  buf_puts(b, "\r\n--XyZ\r\n"
              "Content-Disposition: form-data; name=\"caption\"\r\n\r\n"
              "\r\n--XyZ--\r\n");
}

/* Checks the sample body's parse. */
static void check_sample(multipart *m, const buf *file2) {
  assert_int_equal(multipart_field_count(m), 2);
  assert_string_equal(multipart_field_get(m, "title"), "A headline\r\nin two lines");
  assert_string_equal(multipart_field_get(m, "caption"), "");
  assert_null(multipart_field_get(m, "photo"));
  assert_int_equal(multipart_file_count(m), 2);
  const multipart_file *f = multipart_file_get(m, "photo");
  assert_non_null(f);
  assert_string_equal(f->filename, "gulls.jpg");
  assert_string_equal(f->content_type, "image/jpeg");
  assert_int_equal(f->size, 8);
  buf got = {0};
  slurp(f->path, &got);
  assert_int_equal(got.len, 8);
  assert_memory_equal(got.data, "JPEGDATA", 8);
  const multipart_file *g = multipart_file_at(m, 1);
  assert_string_equal(g->name, "second");
  assert_string_equal(g->filename, "odd\\name.bin");
  assert_string_equal(g->content_type, "");
  assert_int_equal(g->size, file2->len);
  buf_reset(&got);
  slurp(g->path, &got);
  assert_int_equal(got.len, file2->len);
  assert_memory_equal(got.data, file2->data, file2->len);
  buf_free(&got);
}

static void fields_and_files_are_parsed(void **state) {
  (void)state;
  char *dir = tmp_dir();
  buf body = {0}, file2 = {0};
  sample_body(&body, &file2);
  multipart *m;
  char err[200];
  assert_int_equal(multipart_open(&m, CT, dir, NULL, err, sizeof err), 0);
  assert_int_equal(feed_chunks(m, body.data, body.len, 0), 0);
  check_sample(m, &file2);
  struct stat st;
  assert_int_equal(stat(multipart_file_at(m, 0)->path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(dir_count(dir), 2);
  /* The route keeps the photo: it survives the parser, the other does not. */
  char kept[4096];
  snprintf(kept, sizeof kept, "%s", multipart_file_at(m, 0)->path);
  multipart_file_keep(m, 0);
  multipart_close(m);
  assert_int_equal(dir_count(dir), 1);
  assert_int_equal(unlink(kept), 0);
  assert_int_equal(rmdir(dir), 0);
  buf_free(&body);
  buf_free(&file2);
  free(dir);
}

static void a_body_split_anywhere_parses_the_same(void **state) {
  (void)state;
  char *dir = tmp_dir();
  buf body = {0}, file2 = {0};
  sample_body(&body, &file2);
  for (size_t cut = 0; cut <= body.len; cut++) {
    multipart *m;
    assert_int_equal(multipart_open(&m, CT, dir, NULL, NULL, 0), 0);
    assert_int_equal(multipart_feed(m, body.data, cut), 0);
    assert_int_equal(multipart_feed(m, body.data + cut, body.len - cut), 0);
    assert_int_equal(multipart_finish(m), 0);
    check_sample(m, &file2);
    multipart_close(m);
  }
  for (size_t chunk = 1; chunk <= 7; chunk++) {
    multipart *m;
    assert_int_equal(multipart_open(&m, CT, dir, NULL, NULL, 0), 0);
    assert_int_equal(feed_chunks(m, body.data, body.len, chunk), 0);
    check_sample(m, &file2);
    multipart_close(m);
  }
  assert_int_equal(dir_count(dir), 0);
  rmdir(dir);
  buf_free(&body);
  buf_free(&file2);
  free(dir);
}

/* Parses a one-field body under Content-Type ct with boundary bnd. */
static int parse_with_boundary(const char *ct, const char *bnd, const char *dir) {
  buf b = {0};
  buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=f\r\n\r\nv\r\n--%s--", bnd, bnd);
  multipart *m;
  int r = multipart_open(&m, ct, dir, NULL, NULL, 0);
  if (r == 0) {
    r = feed_chunks(m, b.data, b.len, 1);
    if (r == 0) assert_string_equal(multipart_field_get(m, "f"), "v");
    multipart_close(m);
  }
  buf_free(&b);
  return r;
}

static void boundaries_follow_rfc_2046(void **state) {
  (void)state;
  char *dir = tmp_dir();
  const char *odd = "'()+_,-./:=? x";
  assert_int_equal(parse_with_boundary("multipart/form-data; boundary=\"'()+_,-./:=? x\"", odd, dir), 0);
  assert_int_equal(parse_with_boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=abc", "abc", dir), 0);
  assert_int_equal(parse_with_boundary("multipart/form-data; boundary=\"a\\\"b\"; x=y", "a\"b",
                                       dir), MULTIPART_MALFORMED); /* '"' is no bchar */
  assert_int_equal(parse_with_boundary("multipart/form-data ; boundary = ---- ;", "----", dir), 0);
  char seventy[71], seventy_one[72], ct[128];
  memset(seventy, 'b', 70);
  seventy[70] = 0;
  memset(seventy_one, 'b', 71);
  seventy_one[71] = 0;
  snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", seventy);
  assert_int_equal(parse_with_boundary(ct, seventy, dir), 0);
  snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", seventy_one);
  assert_int_equal(parse_with_boundary(ct, seventy_one, dir), MULTIPART_MALFORMED);

  const char *bad[] = {
      NULL,
      "",
      "multipart/form-data",
      "multipart/form-data; boundary=",
      "multipart/form-data; boundary=\"\"",
      "multipart/form-data; boundary=\"ends in space \"",
      "multipart/form-data; boundary=a; boundary=b",
      "multipart/form-data; boundary=\"unterminated",
      "multipart/form-data; boundary=a\x01z",
      "multipart/mixed; boundary=abc",
      "multipart/form-datax; boundary=abc",
      "application/x-www-form-urlencoded",
      "multipart/form-data; =abc",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    multipart *m = (multipart *)1;
    char err[200] = "";
    assert_int_equal(multipart_open(&m, bad[i], dir, NULL, err, sizeof err), MULTIPART_MALFORMED);
    assert_null(m);
    assert_true(strlen(err) > 0);
  }
  char err[200];
  multipart *m;
  multipart_open(&m, "multipart/form-data", dir, NULL, err, sizeof err);
  assert_string_equal(err, "the Content-Type has no boundary");
  assert_int_equal(dir_count(dir), 0);
  rmdir(dir);
  free(dir);
}

/* Parses body (under CT, one byte at a time unless chunk is set) and
** returns the result; err gets the reason. Checks that nothing is left. */
static int parse_refused(const char *body, size_t len, const multipart_limits *lim, char *err,
                         size_t errlen) {
  char *dir = tmp_dir();
  multipart *m;
  assert_int_equal(multipart_open(&m, CT, dir, lim, NULL, 0), 0);
  int r = feed_chunks(m, body, len, 1);
  snprintf(err, errlen, "%s", multipart_error(m));
  assert_int_equal(dir_count(dir), 0); /* removed at the refusal already */
  multipart_close(m);
  assert_int_equal(dir_count(dir), 0);
  rmdir(dir);
  free(dir);
  return r;
}

#define PART_PHOTO "--XyZ\r\nContent-Disposition: form-data; name=p; filename=a.jpg\r\n\r\n"

static void malformed_bodies_are_refused_with_a_reason(void **state) {
  (void)state;
  static const struct {
    const char *body, *reason;
  } cases[] = {
      {"", "the body ends before its final boundary"},
      {PART_PHOTO "data", "the body ends before its final boundary"},
      {PART_PHOTO "data\r\n--XyZ", "the body ends before its final boundary"},
      {PART_PHOTO "data\r\n--XyZ\r\nContent-Disposition: form-data; na",
       "the body ends before its final boundary"},
      {"--XyZ\r\n\r\nvalue\r\n--XyZ--", "a part has no name"},
      {"--XyZ\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--XyZ--", "a part has no name"},
      {"--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nv\r\n--XyZ--",
       "a part has no name"},
      {"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--XyZ--",
       "a part has no name"},
      {"--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--",
       "a part's Content-Disposition repeats a parameter"},
      {"--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--",
       "a part's Content-Disposition is not form-data"},
      {"--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nv\r\n--XyZ--",
       "a part's headers are folded"},
      {"--XyZ\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nv\r\n--XyZ--",
       "a part's header line holds a bare CR or LF"},
      {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\ndg==\r\n--XyZ--",
       "a part's Content-Transfer-Encoding is not supported"},
      {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZjunk\r\n--XyZ--",
       "a boundary is followed by other text"},
      {"--XyZ-\r\n", "a boundary is followed by other text"},
      {"no boundary anywhere in this body at all", "the body ends before its final boundary"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char err[200];
    int r = parse_refused(cases[i].body, strlen(cases[i].body), NULL, err, sizeof err);
    if (r != MULTIPART_MALFORMED || strcmp(err, cases[i].reason))
      fail_msg("case %zu: got %d \"%s\", want \"%s\"", i, r, err, cases[i].reason);
  }
}

static void preamble_padding_epilogue_and_empty_files_are_accepted(void **state) {
  (void)state;
  char *dir = tmp_dir();
  const char *body = "This is a preamble.\r\n--XyZ \t\r\n"
                     "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n"
                     "\r\n--XyZ--\r\nand an epilogue";
  multipart *m;
  assert_int_equal(multipart_open(&m, CT, dir, NULL, NULL, 0), 0);
  assert_int_equal(feed_chunks(m, body, strlen(body), 3), 0);
  const multipart_file *f = multipart_file_get(m, "empty");
  assert_non_null(f);
  assert_string_equal(f->filename, "");
  assert_int_equal(f->size, 0);
  multipart_close(m);
  /* An empty form: only the final boundary. */
  assert_int_equal(multipart_open(&m, CT, dir, NULL, NULL, 0), 0);
  assert_int_equal(feed_chunks(m, "--XyZ--", 7, 0), 0);
  assert_int_equal(multipart_field_count(m) + multipart_file_count(m), 0);
  multipart_close(m);
  assert_int_equal(dir_count(dir), 0);
  rmdir(dir);
  free(dir);
}

static void a_file_over_the_limit_is_refused_as_it_arrives(void **state) {
  (void)state;
  char *dir = tmp_dir();
  multipart_limits lim = {.file_bytes = 10000};
  multipart *m;
  assert_int_equal(multipart_open(&m, CT, dir, &lim, NULL, 0), 0);
  assert_int_equal(multipart_feed(m, PART_PHOTO, strlen(PART_PHOTO)), 0);
  char chunk[1000];
  memset(chunk, 'x', sizeof chunk);
  size_t sent = 0;
  int r = 0;
  while (sent < 50000 && (r = multipart_feed(m, chunk, sizeof chunk)) == 0) sent += sizeof chunk;
  /* Refused within the chunk that carried byte 10,001, not at the end. */
  assert_int_equal(r, MULTIPART_TOO_LARGE);
  assert_int_equal(sent, 10000);
  assert_string_equal(multipart_error(m), "the files pass the limit of 10000 bytes");
  assert_int_equal(dir_count(dir), 0);
  assert_int_equal(multipart_feed(m, chunk, sizeof chunk), MULTIPART_TOO_LARGE);
  assert_int_equal(multipart_finish(m), MULTIPART_TOO_LARGE);
  multipart_close(m);

  /* Exactly at the limit is fine; the limit counts every file together. */
  buf b = {0};
  buf_puts(&b, PART_PHOTO);
  for (int i = 0; i < 6000; i++) buf_putc(&b, 'y');
  buf_puts(&b, "\r\n" PART_PHOTO);
  for (int i = 0; i < 4000; i++) buf_putc(&b, 'z');
  buf_puts(&b, "\r\n--XyZ--\r\n");
  assert_int_equal(multipart_open(&m, CT, dir, &lim, NULL, 0), 0);
  assert_int_equal(feed_chunks(m, b.data, b.len, 777), 0);
  assert_int_equal(multipart_file_count(m), 2);
  multipart_close(m);
  char err[200];
  lim.file_bytes = 9999;
  assert_int_equal(parse_refused(b.data, b.len, &lim, err, sizeof err), MULTIPART_TOO_LARGE);
  buf_free(&b);
  assert_int_equal(dir_count(dir), 0);
  rmdir(dir);
  free(dir);
}

static void text_fields_are_bounded(void **state) {
  (void)state;
  buf b = {0};
  buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=t\r\n\r\n");
  for (int i = 0; i < 70000; i++) buf_putc(&b, 'a');
  buf_puts(&b, "\r\n--XyZ--");
  char err[200];
  assert_int_equal(parse_refused(b.data, b.len, NULL, err, sizeof err), MULTIPART_TOO_LARGE);
  assert_string_equal(err, "the text fields pass 65536 bytes");
  buf_free(&b);
}

static void header_and_part_bombs_are_refused_early(void **state) {
  (void)state;
  char *dir = tmp_dir();
  multipart *m;
  assert_int_equal(multipart_open(&m, CT, dir, NULL, NULL, 0), 0);
  assert_int_equal(multipart_feed(m, "--XyZ\r\nX-Filler: ", 17), 0);
  char junk[1024];
  memset(junk, 'h', sizeof junk);
  size_t sent = 0;
  int r = 0;
  while (sent < 1024 * 1024 && (r = multipart_feed(m, junk, sizeof junk)) == 0) sent += sizeof junk;
  assert_int_equal(r, MULTIPART_MALFORMED);
  assert_true(sent < 9 * 1024);
  assert_string_equal(multipart_error(m), "a part's headers pass 8192 bytes");
  multipart_close(m);

  buf b = {0};
  for (int i = 0; i < 1000; i++)
    buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=f%d; filename=x\r\n\r\nx\r\n", i);
  buf_puts(&b, "--XyZ--");
  char err[200];
  assert_int_equal(parse_refused(b.data, b.len, NULL, err, sizeof err), MULTIPART_MALFORMED);
  assert_string_equal(err, "the body has more than 32 parts");

  buf_reset(&b);
  for (int i = 0; i < 2000; i++) buf_puts(&b, "preamble ");
  assert_int_equal(parse_refused(b.data, b.len, NULL, err, sizeof err), MULTIPART_MALFORMED);
  assert_string_equal(err, "the body does not start with its boundary");

  buf_reset(&b);
  buf_puts(&b, "--XyZ--\r\n");
  for (int i = 0; i < 2000; i++) buf_puts(&b, "epilogue ");
  assert_int_equal(parse_refused(b.data, b.len, NULL, err, sizeof err), MULTIPART_MALFORMED);
  assert_string_equal(err, "too much data after the final boundary");
  buf_free(&b);
  rmdir(dir);
  free(dir);
}

static void an_unwritable_folder_is_a_system_error(void **state) {
  (void)state;
  multipart *m;
  assert_int_equal(multipart_open(&m, CT, "/nonexistent-folder-for-uploads", NULL, NULL, 0), 0);
  assert_int_equal(multipart_feed(m, PART_PHOTO, strlen(PART_PHOTO)), -1);
  assert_non_null(strstr(multipart_error(m), "cannot create a file for the upload"));
  multipart_close(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fields_and_files_are_parsed),
      cmocka_unit_test(a_body_split_anywhere_parses_the_same),
      cmocka_unit_test(boundaries_follow_rfc_2046),
      cmocka_unit_test(malformed_bodies_are_refused_with_a_reason),
      cmocka_unit_test(preamble_padding_epilogue_and_empty_files_are_accepted),
      cmocka_unit_test(a_file_over_the_limit_is_refused_as_it_arrives),
      cmocka_unit_test(text_fields_are_bounded),
      cmocka_unit_test(header_and_part_bombs_are_refused_early),
      cmocka_unit_test(an_unwritable_folder_is_a_system_error),
  };
  return cmocka_run_group_tests_name("multipart", tests, NULL, NULL);
}
