/*
** fuzz_form: query strings and urlencoded form bodies (src/request.h).
**
** Input: a first line naming a key (at most 64 bytes), then the
** urlencoded text (any bytes). form_lookup, percent_decode and
** request_query_int must keep their promises: a decoded value is valid
** UTF-8 without NUL and no longer than its encoding, a number read is
** within the bounds asked for, and a decoding that fails appends nothing
** the caller would use.
*/
#include "fuzz.h"

#include "request.h"
#include "utf8.h"

/* Looks key up in s[0..n) and checks the answer. */
static void look_up(const char *s, size_t n, const char *key) {
  buf v = {0};
  int rc = form_lookup(s, n, key, &v);
  FUZZ_CHECK(rc >= -1 && rc <= 1);
  if (rc == 1) FUZZ_CHECK(utf8_valid(v.data, v.len) && v.len <= n);
  if (rc == 0) FUZZ_CHECK(v.len == 0);
  buf_free(&v);
}

/* Reads key as a number from the query string q (a C string) through a
** request, as the handlers do, and checks the bounds. */
static void query_int(const char *q, const char *key) {
  size_t qlen = strlen(q);
  char *uri = malloc(qlen + 16);
  if (!uri) abort();
  memcpy(uri, "REQUEST_URI=/?", 14);
  memcpy(uri + 14, q, qlen + 1);
  char *envp[] = {uri, NULL};
  request r;
  if (request_parse(&r, envp) == 0) {
    long v;
    int rc = request_query_int(&r, key, 1, 1, 1000000, &v);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0) FUZZ_CHECK(v >= 1 && v <= 1000000);
    rc = request_query_int(&r, key, 0, -5, 5, &v);
    if (rc == 0) FUZZ_CHECK(v >= -5 && v <= 5);
  }
  request_free(&r);
  free(uri);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *piece;
  size_t len;
  if (!fuzz_next(&data, &size, '\n', &piece, &len)) return 0;
  char *key = fuzz_strndup(piece, len < 64 ? len : 64);
  char *s = fuzz_strndup(data ? data : (const uint8_t *)"", size);

  look_up(s, size, key);
  look_up(s, size, "page");
  look_up(s, size, "q");
  for (int plus = 0; plus <= 1; plus++) {
    buf v = {0};
    if (percent_decode(s, size, plus, &v) == 0) {
      FUZZ_CHECK(utf8_valid(v.data, v.len) && v.len <= size);
      if (!plus) FUZZ_CHECK(memchr(s, '+', size) == NULL || memchr(v.data, '+', v.len));
    }
    buf_free(&v);
  }
  query_int(s, key);
  query_int(s, "page");

  free(s);
  free(key);
  return 0;
}
