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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(html_escapes_five_characters),
      cmocka_unit_test(url_encodes_everything_but_unreserved),
  };
  return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
