/*
** Unit tests: output escaping and the response writer's headers.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

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

static void json_for_a_script_block_closes_and_opens_nothing(void **state) {
  (void)state;
  cJSON *doc = cJSON_CreateObject();
  const char *headline = "</script><script>alert(1)</script> <!-- & -->\xe2\x80\xa8 ok";
  cJSON_AddStringToObject(doc, "headline", headline);
  char *json = cJSON_PrintUnformatted(doc);
  buf b = {0};
  escape_json_script(&b, json, strlen(json));
  assert_null(strchr(buf_str(&b), '<'));
  assert_null(strchr(buf_str(&b), '>'));
  assert_null(strchr(buf_str(&b), '&'));
  assert_null(strstr(buf_str(&b), "\xe2\x80\xa8"));
  assert_non_null(strstr(buf_str(&b), "\\u003c/script\\u003e"));
  assert_non_null(strstr(buf_str(&b), "\\u003c!-- \\u0026 --\\u003e\\u2028 ok"));
  /* The JSON still says the same. */
  cJSON *back = cJSON_Parse(buf_str(&b));
  assert_non_null(back);
  assert_string_equal(cJSON_GetObjectItem(back, "headline")->valuestring, headline);
  cJSON_Delete(back);
  cJSON_free(json);
  cJSON_Delete(doc);
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(html_escapes_five_characters),
      cmocka_unit_test(url_encodes_everything_but_unreserved),
      cmocka_unit_test(json_for_a_script_block_closes_and_opens_nothing),
  };
  return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
