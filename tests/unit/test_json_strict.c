/*
** Unit tests: the strict JSON parser of request bodies. Each refused body
** is checked for its kind and for the byte offset an app is told.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "buf.h"
#include "json_strict.h"

#define MAX_BYTES 65536
#define MAX_DEPTH 8

/* Parses the n bytes of s from a heap copy of exactly n bytes (no NUL
** after them, so that a read past the end is caught under ASan); returns
** the result, with the tree in *out (NULL unless 0) and the error in *err. */
static int parse_n(const char *s, size_t n, int max_depth, cJSON **out,
                   json_strict_error *err) {
  char *copy = malloc(n ? n : 1);
  assert_non_null(copy);
  memcpy(copy, s, n);
  int rc = json_strict_parse(copy, n, MAX_BYTES, max_depth, out, err);
  free(copy);
  if (rc != 0) assert_null(*out);
  return rc;
}

/* Asserts that the text s is accepted; returns its tree. */
static cJSON *accept(const char *s) {
  cJSON *v = NULL;
  json_strict_error e;
  int rc = parse_n(s, strlen(s), MAX_DEPTH, &v, &e);
  if (rc != 0) fail_msg("refused %s: %s at byte %zu", s, e.reason, e.offset);
  assert_non_null(v);
  return v;
}

/* Asserts that s[0..n) is refused with kind at offset. */
static void refuse_n(const char *s, size_t n, int kind, size_t offset) {
  cJSON *v = NULL;
  json_strict_error e;
  int rc = parse_n(s, n, MAX_DEPTH, &v, &e);
  if (rc != kind || e.offset != offset)
    fail_msg("%.*s: got %d (%s) at byte %zu, want %d at byte %zu", (int)n, s, rc,
             e.reason, e.offset, kind, offset);
  assert_int_equal(e.kind, kind);
  assert_true(strlen(e.reason) > 0);
}

/* refuse_n for a NUL-terminated text. */
static void refuse(const char *s, int kind, size_t offset) {
  refuse_n(s, strlen(s), kind, offset);
}

static void accepts_rfc_8259_values(void **state) {
  (void)state;
  cJSON *v = accept(" \t\r\n{\"stars\": 3, \"name\": \"Ana\", \"ok\": true, \"no\": false,"
                    " \"none\": null, \"list\": [1, -0, 1.5e3, 2E-2, 0.25, \"x\"],"
                    " \"in\": {\"deep\": {}}, \"empty\": \"\", \"\": []}\n ");
  assert_true(cJSON_IsObject(v));
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(v, "stars")->valuedouble, 3);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(v, "name")->valuestring, "Ana");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok")));
  assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(v, "no")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(v, "none")));
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(v, "list");
  assert_int_equal(cJSON_GetArraySize(list), 6);
  assert_true(cJSON_GetArrayItem(list, 2)->valuedouble == 1500);
  assert_true(cJSON_GetArrayItem(list, 3)->valuedouble == 0.02);
  assert_string_equal(cJSON_GetArrayItem(list, 5)->valuestring, "x");
  assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(v, "")));
  /* Members keep their order. */
  assert_string_equal(v->child->string, "stars");
  cJSON_Delete(v);
  /* Any value may stand alone, as RFC 8259 allows. */
  const char *alone[] = {"3", "\"text\"", "true", "false", "null", "[]", "{}", "-1.5e-3 "};
  for (size_t i = 0; i < sizeof alone / sizeof *alone; i++) cJSON_Delete(accept(alone[i]));
}

static void decodes_escapes_and_utf8(void **state) {
  (void)state;
  cJSON *v = accept("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u0645\", "
                    "\"\\ud83d\\ude00\", \"caf\xc3\xa9 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
                    "\xf0\x9f\x98\x80\", \"del \x7f\"]");
  assert_string_equal(cJSON_GetArrayItem(v, 0)->valuestring, "a\"b\\c/d\b\f\n\r\t");
  assert_string_equal(cJSON_GetArrayItem(v, 1)->valuestring, "\xc3\xa9\xd9\x85");
  assert_string_equal(cJSON_GetArrayItem(v, 2)->valuestring, "\xf0\x9f\x98\x80");
  assert_string_equal(cJSON_GetArrayItem(v, 3)->valuestring,
                      "caf\xc3\xa9 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xf0\x9f\x98\x80");
  assert_string_equal(cJSON_GetArrayItem(v, 4)->valuestring, "del \x7f");
  cJSON_Delete(v);
}

static void refuses_trailing_data(void **state) {
  (void)state;
  refuse("{\"stars\": 3} x", JSON_STRICT_TRAILING, 13);
  refuse("{\"stars\": 3}{\"stars\": 5}", JSON_STRICT_TRAILING, 12);
  refuse("{\"stars\": 3}}", JSON_STRICT_TRAILING, 12);
  refuse("1 2", JSON_STRICT_TRAILING, 2);
  refuse("[01]", JSON_STRICT_SYNTAX, 2);
  refuse("01", JSON_STRICT_TRAILING, 1);
  refuse_n("{\"stars\": 3}\0", 13, JSON_STRICT_TRAILING, 12);
  refuse_n("{\"stars\": 3}\n\0{}", 16, JSON_STRICT_TRAILING, 13);
}

static void refuses_duplicate_names(void **state) {
  (void)state;
  refuse("{\"stars\": 1, \"stars\": 5}", JSON_STRICT_DUPLICATE, 13);
  refuse("{\"a\": 1, \"\\u0061\": 2}", JSON_STRICT_DUPLICATE, 9);
  refuse("{\"x\": {\"b\": 1, \"c\": 2, \"b\": 3}}", JSON_STRICT_DUPLICATE, 23);
  refuse("[{}, [{\"q\": 1, \"q\": 1}]]", JSON_STRICT_DUPLICATE, 15);
  /* Of several repeated names, the first repetition in the text. */
  refuse("{\"b\": 1, \"a\": 1, \"a\": 2, \"b\": 2, \"b\": 3}", JSON_STRICT_DUPLICATE, 17);
  refuse("{\"\": 1, \"\": 2}", JSON_STRICT_DUPLICATE, 8);
  /* The same name in different objects, and names that only look alike. */
  cJSON_Delete(accept("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}, \"c\": [{\"a\": 3}, {\"a\": 4}]}"));
  cJSON_Delete(accept("{\"a\": 1, \"A\": 2, \"a \": 3, \"\\u00e9\": 4, \"e\\u0301\": 5}"));
}

/* Returns the text of an object with n members named m0, m1, ...
** followed by one named dup when dup is not NULL. */
static char *wide_object(size_t n, const char *dup) {
  buf b = {0};
  buf_putc(&b, '{');
  for (size_t i = 0; i < n; i++) buf_printf(&b, "%s\"m%zu\":%zu", i ? "," : "", i, i);
  if (dup) buf_printf(&b, ",\"%s\":0", dup);
  buf_putc(&b, '}');
  return b.data;
}

static void duplicate_check_is_fast_on_wide_objects(void **state) {
  (void)state;
  /* 200,000 members: comparing every pair would take minutes. */
  size_t n = 200000;
  char *ok = wide_object(n, NULL);
  char *bad = wide_object(n, "m77");
  clock_t t0 = clock();
  cJSON *v = NULL;
  json_strict_error e;
  assert_int_equal(json_strict_parse(ok, strlen(ok), strlen(bad), MAX_DEPTH, &v, &e), 0);
  assert_int_equal(cJSON_GetArraySize(v), (int)n);
  cJSON_Delete(v);
  assert_int_equal(json_strict_parse(bad, strlen(bad), strlen(bad), MAX_DEPTH, &v, &e),
                   JSON_STRICT_DUPLICATE);
  assert_int_equal(e.offset, strlen(bad) - strlen("\"m77\":0}"));
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (secs > 10) fail_msg("two wide objects took %.1f s", secs);
  free(ok);
  free(bad);
}

static void refuses_nul_and_control_characters(void **state) {
  (void)state;
  refuse_n("{\"body\": \"ab\0cd\"}", 17, JSON_STRICT_BAD_STRING, 12);
  refuse("{\"body\": \"ab\\u0000cd\"}", JSON_STRICT_BAD_STRING, 12);
  refuse("{\"na\\u0000me\": 1}", JSON_STRICT_BAD_STRING, 4);
  refuse("[\"a\tb\"]", JSON_STRICT_BAD_STRING, 3);
  refuse("[\"a\nb\"]", JSON_STRICT_BAD_STRING, 3);
  refuse("[\"\x1f\"]", JSON_STRICT_BAD_STRING, 2);
  refuse_n("\0", 1, JSON_STRICT_SYNTAX, 0);
}

static void refuses_lone_surrogates(void **state) {
  (void)state;
  refuse("[\"\\ud800\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\udc00\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"x\\ud83d\\u0041\"]", JSON_STRICT_BAD_STRING, 3);
  refuse("[\"\\ud83dx\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\ud83d\\ud83d\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\ude00\\ud83d\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\ud83d", JSON_STRICT_BAD_STRING, 2);
}

static void refuses_invalid_utf8(void **state) {
  (void)state;
  refuse("[\"\xff\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"a\xc0\xaf\"]", JSON_STRICT_BAD_STRING, 3);            /* overlong */
  refuse("[\"\xe0\x80\xaf\"]", JSON_STRICT_BAD_STRING, 2);         /* overlong */
  refuse("[\"\xed\xa0\x80\"]", JSON_STRICT_BAD_STRING, 2);         /* surrogate */
  refuse("[\"\xf4\x90\x80\x80\"]", JSON_STRICT_BAD_STRING, 2);     /* > U+10FFFF */
  refuse("[\"\xe2\x82\"]", JSON_STRICT_BAD_STRING, 2);             /* truncated */
  refuse("[\"\x80\"]", JSON_STRICT_BAD_STRING, 2);                 /* stray byte */
  refuse_n("[\"\xe2\x82", 4, JSON_STRICT_BAD_STRING, 2);          /* at the end */
  refuse("{\"\xff\": 1}", JSON_STRICT_BAD_STRING, 2);
  /* A byte order mark is not white space. */
  refuse("\xef\xbb\xbf{}", JSON_STRICT_SYNTAX, 0);
}

static void refuses_bad_escapes(void **state) {
  (void)state;
  refuse("[\"\\x41\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\'\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\u12G4\"]", JSON_STRICT_BAD_STRING, 2);
  refuse("[\"\\u12\"]", JSON_STRICT_BAD_STRING, 2);
  refuse_n("[\"\\u12", 6, JSON_STRICT_BAD_STRING, 2);
  refuse_n("[\"\\", 3, JSON_STRICT_SYNTAX, 3);
}

static void refuses_what_is_not_json(void **state) {
  (void)state;
  refuse("", JSON_STRICT_SYNTAX, 0);
  refuse(" \n\t ", JSON_STRICT_SYNTAX, 4);
  refuse("{'stars': 3}", JSON_STRICT_SYNTAX, 1);
  refuse("{stars: 3}", JSON_STRICT_SYNTAX, 1);
  refuse("{\"stars\" 3}", JSON_STRICT_SYNTAX, 9);
  refuse("{\"stars\": }", JSON_STRICT_SYNTAX, 10);
  refuse("{\"stars\": 3,}", JSON_STRICT_SYNTAX, 12);
  refuse("{\"stars\": 3 \"x\": 1}", JSON_STRICT_SYNTAX, 12);
  refuse("[1,]", JSON_STRICT_SYNTAX, 3);
  refuse("[1 2]", JSON_STRICT_SYNTAX, 3);
  refuse("[,1]", JSON_STRICT_SYNTAX, 1);
  refuse("{\"stars\": 3", JSON_STRICT_SYNTAX, 11);
  refuse("[", JSON_STRICT_SYNTAX, 1);
  refuse("{\"stars", JSON_STRICT_SYNTAX, 1);
  refuse("[\"abc", JSON_STRICT_SYNTAX, 1);
  refuse("/* note */ {}", JSON_STRICT_SYNTAX, 0);
  refuse("{} // note", JSON_STRICT_TRAILING, 3);
  refuse("tru", JSON_STRICT_SYNTAX, 3);
  refuse("nul", JSON_STRICT_SYNTAX, 3);
  refuse("True", JSON_STRICT_SYNTAX, 0);
  refuse("[nulL]", JSON_STRICT_SYNTAX, 4);
  refuse("NaN", JSON_STRICT_SYNTAX, 0);
  refuse("[Infinity]", JSON_STRICT_SYNTAX, 1);
  refuse("[-Infinity]", JSON_STRICT_SYNTAX, 2);
  refuse("[+1]", JSON_STRICT_SYNTAX, 1);
  refuse("[.5]", JSON_STRICT_SYNTAX, 1);
  refuse("[1.]", JSON_STRICT_SYNTAX, 3);
  refuse("[1.e5]", JSON_STRICT_SYNTAX, 3);
  refuse("[1e]", JSON_STRICT_SYNTAX, 3);
  refuse("[1e+]", JSON_STRICT_SYNTAX, 4);
  refuse("[-]", JSON_STRICT_SYNTAX, 2);
  refuse("-", JSON_STRICT_SYNTAX, 1);
  refuse("[0x10]", JSON_STRICT_SYNTAX, 2);
}

static void refuses_numbers_out_of_range(void **state) {
  (void)state;
  refuse("{\"stars\": 1e400}", JSON_STRICT_BAD_NUMBER, 10);
  refuse("[-1e309]", JSON_STRICT_BAD_NUMBER, 1);
  char text[128];
  text[0] = '[';
  memset(text + 1, '7', 100);
  memcpy(text + 101, "]", 2);
  cJSON_Delete(accept(text)); /* 100 digits */
  text[101] = '7';
  memcpy(text + 102, "]", 2);
  refuse(text, JSON_STRICT_BAD_NUMBER, 1); /* 101 digits */
  /* Tiny numbers round to zero, as a double must. */
  cJSON *v = accept("[1e-400, 1.7976931348623157e308]");
  assert_true(cJSON_GetArrayItem(v, 0)->valuedouble == 0);
  cJSON_Delete(v);
}

static void limits_depth_and_size(void **state) {
  (void)state;
  cJSON *v = NULL;
  json_strict_error e;
  const char *three = "[[{\"a\": 1}]]";
  assert_int_equal(json_strict_parse(three, strlen(three), 100, 3, &v, &e), 0);
  cJSON_Delete(v);
  assert_int_equal(json_strict_parse(three, strlen(three), 100, 2, &v, &e), JSON_STRICT_TOO_DEEP);
  assert_int_equal(e.offset, 2);
  assert_null(v);
  /* Far deeper than the limit: refused at the limit, without recursing on. */
  size_t n = 1000000;
  char *deep = malloc(n);
  assert_non_null(deep);
  memset(deep, '[', n);
  assert_int_equal(json_strict_parse(deep, n, n, MAX_DEPTH, &v, &e), JSON_STRICT_TOO_DEEP);
  assert_int_equal(e.offset, MAX_DEPTH);
  free(deep);
  /* Longer than max_bytes: refused before reading. */
  assert_int_equal(json_strict_parse("{\"stars\": 3}", 12, 11, MAX_DEPTH, &v, &e),
                   JSON_STRICT_TOO_LARGE);
  assert_int_equal(json_strict_parse("{\"stars\": 3}", 12, 12, MAX_DEPTH, &v, &e), 0);
  cJSON_Delete(v);
  /* No input at all is no value. */
  assert_int_equal(json_strict_parse(NULL, 0, 12, MAX_DEPTH, &v, &e), JSON_STRICT_SYNTAX);
}

static void reads_only_the_bytes_given(void **state) {
  (void)state;
  cJSON *v = NULL;
  json_strict_error e;
  assert_int_equal(parse_n("{\"a\": [1]} trailing", 10, MAX_DEPTH, &v, &e), 0);
  cJSON_Delete(v);
  assert_int_equal(parse_n("\"abc\"", 4, MAX_DEPTH, &v, &e), JSON_STRICT_SYNTAX);
  assert_int_equal(parse_n("truex", 3, MAX_DEPTH, &v, &e), JSON_STRICT_SYNTAX);
  assert_int_equal(parse_n("12345", 3, MAX_DEPTH, &v, &e), 0);
  assert_true(v->valuedouble == 123);
  cJSON_Delete(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(accepts_rfc_8259_values),
      cmocka_unit_test(decodes_escapes_and_utf8),
      cmocka_unit_test(refuses_trailing_data),
      cmocka_unit_test(refuses_duplicate_names),
      cmocka_unit_test(duplicate_check_is_fast_on_wide_objects),
      cmocka_unit_test(refuses_nul_and_control_characters),
      cmocka_unit_test(refuses_lone_surrogates),
      cmocka_unit_test(refuses_invalid_utf8),
      cmocka_unit_test(refuses_bad_escapes),
      cmocka_unit_test(refuses_what_is_not_json),
      cmocka_unit_test(refuses_numbers_out_of_range),
      cmocka_unit_test(limits_depth_and_size),
      cmocka_unit_test(reads_only_the_bytes_given),
  };
  return cmocka_run_group_tests_name("json_strict", tests, NULL, NULL);
}
