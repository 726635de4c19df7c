/*
** Unit tests: output escaping and the response writer's headers.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"
#include "response.h"

static void html_escapes_five_characters(void **state) {
  (void)state;
  buf b = {0};
  const char *s = "<script>alert('x') & \"y\"</script>";
  escape_html(&b, s, strlen(s));
  assert_string_equal(buf_str(&b),
                      "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  buf_reset(&b);
  escape_html(&b, "مرحبا", strlen("مرحبا"));
  assert_string_equal(buf_str(&b), "مرحبا");
  buf_free(&b);
}

static void url_encodes_everything_but_unreserved(void **state) {
  (void)state;
  buf b = {0};
  escape_url(&b, "a b/ç?&-_.~", strlen("a b/ç?&-_.~"));
  assert_string_equal(buf_str(&b), "a%20b%2F%C3%A7%3F%26-_.~");
  buf_free(&b);
}

static void html_response_has_security_headers(void **state) {
  (void)state;
  response res = {.status = 200, .content_type = "text/html; charset=utf-8"};
  buf_puts(&res.body, "<p>héllo</p>");
  buf wire = {0};
  response_serialize(&res, 0, &wire);
  const char *w = buf_str(&wire);
  assert_non_null(strstr(w, "Status: 200 OK\r\n"));
  assert_non_null(strstr(w, "Content-Length: 13\r\n"));
  assert_non_null(strstr(w, "frame-ancestors 'none'"));
  assert_non_null(strstr(w, "script-src 'self'"));
  assert_null(strstr(w, "unsafe-inline"));
  assert_non_null(strstr(w, "X-Content-Type-Options: nosniff\r\n"));
  assert_non_null(strstr(w, "Referrer-Policy: "));
  assert_non_null(strstr(w, "\r\n\r\n<p>héllo</p>"));
  buf_free(&wire);
  response_serialize(&res, 1, &wire); /* HEAD: length kept, body dropped */
  assert_non_null(strstr(buf_str(&wire), "Content-Length: 13\r\n"));
  assert_null(strstr(buf_str(&wire), "<p>"));
  buf_free(&wire);
  response_free(&res);
}

static void header_injection_is_refused(void **state) {
  (void)state;
  response res = {0};
  assert_int_equal(response_header(&res, "Location", "/a\r\nSet-Cookie: x=1"), -1);
  assert_int_equal(response_header(&res, "X-Ok", "fine"), 0);
  assert_string_equal(buf_str(&res.headers), "X-Ok: fine\r\n");
  response_redirect(&res, 303, "/x\nEvil: 1");
  assert_int_equal(res.status, 400);
  assert_null(strstr(buf_str(&res.headers), "Evil"));
  response_free(&res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(html_escapes_five_characters),
      cmocka_unit_test(url_encodes_everything_but_unreserved),
      cmocka_unit_test(html_response_has_security_headers),
      cmocka_unit_test(header_injection_is_refused),
  };
  return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
