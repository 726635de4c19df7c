/*
** fuzz_request: FastCGI parameters to a request (src/request.h).
**
** Input: a first line naming one more key to look up; then one FastCGI
** parameter "NAME=value" a line (at most 64; a NUL ends a parameter as it
** ends a C string); after the first empty line, the request body.
** request_parse must answer 0, 400 or 414 and, on 0, leave a path that
** starts with '/', is valid UTF-8 and is within the limits. Then the
** query, form, header and cookie lookups the handlers make must keep their
** promises: decoded values are valid UTF-8 without NUL, numbers are within
** the bounds asked for, a cookie value holds no ';'.
*/
#include "fuzz.h"

#include "request.h"
#include "utf8.h"

#define MAX_PARAMS 64

/* The keys the handlers look up in queries and forms. */
static const char *const KEYS[] = {"page", "per_page", "q", "cpage", "status", "replyto",
                                   "next", "stars", "token", "csrf", "id", "category",
                                   "action", "pending", "name", "body", ""};

/* The headers the handlers read. */
static const char *const HEADERS[] = {"Cookie", "Origin", "Host", "Accept", "If-None-Match",
                                      "Sec-Fetch-Site", "Access-Control-Request-Method"};

/* Looks key up in the query and the body and checks what comes back. */
static void look_up(const request *r, const char *key) {
  buf v = {0};
  int rc = request_query(r, key, &v);
  FUZZ_CHECK(rc >= -1 && rc <= 1);
  if (rc == 1) FUZZ_CHECK(utf8_valid(v.data, v.len));
  buf_reset(&v);
  rc = request_form(r, key, &v);
  FUZZ_CHECK(rc >= -1 && rc <= 1);
  if (rc == 1) FUZZ_CHECK(utf8_valid(v.data, v.len));
  buf_free(&v);
  long n;
  rc = request_query_int(r, key, 7, -3, 1000, &n);
  FUZZ_CHECK(rc == 0 || rc == -1);
  if (rc == 0) FUZZ_CHECK(n >= -3 && n <= 1000);
}

/* Looks cookie name up and checks the value. */
static void look_up_cookie(const request *r, const char *name) {
  buf v = {0};
  if (request_cookie(r, name, &v)) FUZZ_CHECK(!v.data || !memchr(v.data, ';', v.len));
  buf_free(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *piece;
  size_t len;
  if (!fuzz_next(&data, &size, '\n', &piece, &len)) return 0;
  char *key = fuzz_strndup(piece, len < 64 ? len : 64);
  char *envp[MAX_PARAMS + 1];
  size_t n = 0;
  while (n < MAX_PARAMS && fuzz_next(&data, &size, '\n', &piece, &len) && len > 0)
    envp[n++] = fuzz_strndup(piece, len);
  envp[n] = NULL;

  request r;
  int status = request_parse(&r, envp);
  FUZZ_CHECK(status == 0 || status == 400 || status == 414);
  FUZZ_CHECK(r.method && r.query);
  for (size_t i = 0; i < sizeof HEADERS / sizeof *HEADERS; i++) (void)request_header(&r, HEADERS[i]);
  if (status == 0) {
    size_t plen = strlen(r.path);
    FUZZ_CHECK(r.path[0] == '/');
    FUZZ_CHECK(utf8_valid(r.path, plen) && plen <= REQUEST_MAX_PATH);
    FUZZ_CHECK(strlen(r.query) <= REQUEST_MAX_QUERY);
    if (data) { /* the rest is the body, NUL-terminated as the server keeps it */
      r.body = fuzz_strndup(data, size);
      r.body_len = size;
    }
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++) look_up(&r, KEYS[i]);
    look_up(&r, key);
    look_up_cookie(&r, "gz_visitor");
    look_up_cookie(&r, "gz_session");
    look_up_cookie(&r, key);
  }
  request_free(&r);
  for (size_t i = 0; i < n; i++) free(envp[i]);
  free(key);
  return 0;
}
