/*
** Unit tests: reading and setting members of cJSON documents (json.h).
** Under ASan a member that leaks fails the run.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

/* A missing member, or one of another type, reads as "" or 0. */
static void reads_missing_members_as_empty(void **state) {
  (void)state;
  cJSON *o = cJSON_Parse("{\"title\": \"Floods\", \"id\": 7, \"n\": \"x\"}");
  assert_string_equal(json_str(o, "title"), "Floods");
  assert_string_equal(json_str(o, "id"), "");
  assert_string_equal(json_str(o, "nope"), "");
  assert_int_equal(json_long(o, "id"), 7);
  assert_int_equal(json_long(o, "n"), 0);
  assert_string_equal(json_str(NULL, "title"), "");
  cJSON_Delete(o);
}

/* A member that is there is replaced where it stands; one that is not is
** added last; either way the document owns (and frees) the new item. */
static void puts_members_in_place_or_last(void **state) {
  (void)state;
  cJSON *o = cJSON_Parse("{\"a\": 1, \"category\": {\"slug\": \"old\"}, \"b\": 2}");
  json_put(o, "category", cJSON_CreateString("world"));
  json_put(o, "image", cJSON_CreateString("lead.jpg"));
  char *out = cJSON_PrintUnformatted(o);
  assert_string_equal(out, "{\"a\":1,\"category\":\"world\",\"b\":2,\"image\":\"lead.jpg\"}");
  cJSON_free(out);
  json_put(o, "image", NULL);
  json_put(o, "missing", NULL);
  out = cJSON_PrintUnformatted(o);
  assert_string_equal(out, "{\"a\":1,\"category\":\"world\",\"b\":2}");
  cJSON_free(out);
  json_put(NULL, "x", cJSON_CreateObject());
  cJSON_Delete(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_missing_members_as_empty),
      cmocka_unit_test(puts_members_in_place_or_last),
  };
  return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
