/*
** fuzz_cookie: the Cookie header (request_cookie in src/request.h).
**
** Input: a first line naming a cookie (at most 64 bytes), then the header
** value (a NUL ends it, as FastCGI parameters are C strings). A cookie
** found must be one "name=value" pair of the header, its value holding no
** ';'; the site's own cookies are looked up too.
*/
#include "fuzz.h"

#include "request.h"

/* Looks name up in the request r whose Cookie header is h, and checks the
** value against the header. */
static void look_up(const request *r, const char *h, const char *name) {
  buf v = {0};
  int found = request_cookie(r, name, &v);
  FUZZ_CHECK(found == 0 || found == 1);
  if (found) {
    FUZZ_CHECK(!memchr(buf_str(&v), ';', v.len));
    buf pair = {0};
    buf_printf(&pair, "%s=%s", name, buf_str(&v));
    FUZZ_CHECK(strstr(h, buf_str(&pair)) != NULL);
    buf_free(&pair);
  } else {
    FUZZ_CHECK(v.len == 0);
  }
  buf_free(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *piece;
  size_t len;
  if (!fuzz_next(&data, &size, '\n', &piece, &len)) return 0;
  char *name = fuzz_strndup(piece, len < 64 ? len : 64);
  const uint8_t *nul = data ? memchr(data, 0, size) : NULL;
  size_t hlen = nul ? (size_t)(nul - data) : size;
  char *param = malloc(hlen + 13);
  if (!param) abort();
  memcpy(param, "HTTP_COOKIE=", 12);
  if (hlen) memcpy(param + 12, data, hlen);
  param[12 + hlen] = 0;
  char *envp[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", param, NULL};

  request r;
  if (request_parse(&r, envp) == 0) {
    const char *h = request_header(&r, "Cookie");
    FUZZ_CHECK(h && strcmp(h, param + 12) == 0);
    look_up(&r, h, name);
    look_up(&r, h, "gz_visitor");
    look_up(&r, h, "gz_session");
  }
  request_free(&r);
  free(param);
  free(name);
  return 0;
}
