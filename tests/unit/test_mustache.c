/*
** test_mustache.c: the Mustache renderer against the official spec files
** (one test per file in $MUSTACHE_SPEC_DIR) and a few cases of our own.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "buf.h"
#include "mustache.h"

/* Returns the source of partial name from the cJSON object ud, or NULL. */
static const char *json_partial(void *ud, const char *name) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive((const cJSON *)ud, name);
  return cJSON_IsString(p) ? p->valuestring : NULL;
}

/* Reads the whole file at path into a new NUL-terminated string, or
** returns NULL. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
  fclose(f);
  if (!b.data) buf_append(&b, "", 0);
  return b.data;
}

/* Runs every test of one spec file (the test's state is its path) and
** fails listing each mismatch. */
static void test_spec_file(void **state) {
  const char *path = *state;
  char *text = read_file(path);
  if (!text) fail_msg("cannot read %s", path);
  cJSON *doc = cJSON_Parse(text);
  free(text);
  if (!doc) fail_msg("%s is not valid JSON", path);
  const cJSON *tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
  assert_true(cJSON_IsArray(tests));
  int total = 0, failed = 0;
  const cJSON *t;
  cJSON_ArrayForEach(t, tests) {
    const char *name =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "name"));
    const char *tpl =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "template"));
    const char *want =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "expected"));
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(t, "data");
    cJSON *partials = cJSON_GetObjectItemCaseSensitive(t, "partials");
    assert_non_null(tpl);
    assert_non_null(want);
    buf out = {0};
    char err[256];
    int rc = mustache_render(tpl, data, json_partial, partials, &out, err,
                             sizeof err);
    total++;
    if (rc != 0 || strcmp(buf_str(&out), want) != 0) {
      failed++;
      print_error("%s: \"%s\" failed (rc %d%s%s)\n  template: ", path,
                  name ? name : "?", rc, rc ? ": " : "", rc ? err : "");
      print_error("%s\n  expected: [%s]\n  actual:   [%s]\n", tpl, want,
                  buf_str(&out));
    }
    buf_free(&out);
  }
  cJSON_Delete(doc);
  if (failed) fail_msg("%s: %d of %d spec tests failed", path, failed, total);
}

/* Renders tpl over the JSON text json with the partials object pjson (may
** be NULL) and returns the result code; out receives the output. */
static int render_json(const char *tpl, const char *json, const char *pjson,
                       buf *out, char *err, size_t errlen) {
  cJSON *data = cJSON_Parse(json);
  cJSON *partials = pjson ? cJSON_Parse(pjson) : NULL;
  assert_non_null(data);
  int rc = mustache_render(tpl, data, partials ? json_partial : NULL,
                           partials, out, err, errlen);
  cJSON_Delete(data);
  cJSON_Delete(partials);
  return rc;
}

/* Asserts that tpl renders over json (and partials pjson) to want. */
static void expect(const char *tpl, const char *json, const char *pjson,
                   const char *want) {
  buf out = {0};
  char err[256];
  int rc = render_json(tpl, json, pjson, &out, err, sizeof err);
  if (rc != 0) fail_msg("%s: error %s", tpl, err);
  assert_string_equal(buf_str(&out), want);
  buf_free(&out);
}

/* Asserts that tpl fails with a message containing each of the given
** substrings (NULL-terminated list). */
static void expect_error(const char *tpl, const char *json, const char *pjson,
                         ...) {
  buf out = {0};
  char err[256];
  int rc = render_json(tpl, json, pjson, &out, err, sizeof err);
  buf_free(&out);
  assert_int_equal(rc, -1);
  va_list ap;
  va_start(ap, pjson);
  const char *want;
  while ((want = va_arg(ap, const char *)) != NULL) {
    if (!strstr(err, want)) fail_msg("error \"%s\" lacks \"%s\"", err, want);
  }
  va_end(ap);
}

static void test_escaping(void **state) {
  (void)state;
  expect("{{x}}", "{\"x\":\"it's <b>&\\\"\"}", NULL,
         "it&#39;s &lt;b&gt;&amp;&quot;");
  expect("{{{x}}}|{{&x}}", "{\"x\":\"it's\"}", NULL, "it's|it's");
}

static void test_values(void **state) {
  (void)state;
  expect("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
         "{\"a\":0,\"b\":-3,\"c\":0.1,\"d\":1e21,\"e\":1.5e-7,\"f\":true,"
         "\"g\":123456789012}",
         NULL, "0 -3 0.1 1e+21 1.5e-07 true 123456789012");
  /* Sections follow !!data: "", 0 and [] are false, {} is true. */
  expect("{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#l}}L{{/l}}{{#o}}O{{/o}}{{^s}}!s{{/s}}",
         "{\"s\":\"\",\"z\":0,\"l\":[],\"o\":{}}", NULL, "O!s");
  expect("{{#a}}{{#b}}{{c}}{{d}}{{/b}}{{/a}}",
         "{\"a\":{\"c\":1},\"b\":0,\"d\":2}", NULL, "");
  expect("{{#a}}{{#b}}{{c}}{{d}}{{/b}}{{/a}}",
         "{\"a\":{\"c\":1,\"b\":{\"d\":2}}}", NULL, "12");
}

static void test_partials(void **state) {
  (void)state;
  /* No partial callback: partials render as nothing. */
  expect("[{{>x}}]", "{}", NULL, "[]");
  /* A partial used in a loop is parsed once and stays correct. */
  expect("{{#l}}{{>p}}{{/l}}", "{\"l\":[1,2,3]}", "{\"p\":\"<{{.}}>\"}",
         "<1><2><3>");
  /* Blocks reach through partials into a layout. */
  expect("{{<layout}}{{$title}}Home{{/title}}{{/layout}}", "{}",
         "{\"layout\":\"<h1>{{>head}}</h1>\",\"head\":\"{{$title}}?{{/title}}\"}",
         "<h1>Home</h1>");
}

static void test_syntax_errors(void **state) {
  (void)state;
  expect_error("ok\n{{x", "{}", NULL, "line 2", "unclosed tag", NULL);
  expect_error("{{#a}}\n\n{{/b}}", "{}", NULL, "line 3", "'b'", "'a'", NULL);
  expect_error("\n{{#a}}x", "{}", NULL, "line 2", "unclosed section 'a'",
               NULL);
  expect_error("{{/a}}", "{}", NULL, "line 1", "without opening", NULL);
  expect_error("{{=<%=}}", "{}", NULL, "delimiter", NULL);
  expect_error("{{ a b }}", "{}", NULL, "bad tag name", NULL);
  expect_error("{{}}", "{}", NULL, "empty tag name", NULL);
  expect_error("{{>p}}", "{}", "{\"p\":\"a\\nb {{#x}}\"}", "partial 'p'",
               "line 2", "unclosed section 'x'", NULL);
  /* What was rendered before the error is kept. */
  buf out = {0};
  char err[128];
  assert_int_equal(render_json("abc{{>p}}", "{}", "{\"p\":\"{{\"}", &out, err,
                               sizeof err),
                   -1);
  assert_string_equal(buf_str(&out), "abc");
  buf_free(&out);
}

static void test_recursion_limit(void **state) {
  (void)state;
  expect_error("{{>p}}", "{}", "{\"p\":\"x{{>p}}\"}", "nesting deeper",
               NULL);
  expect_error("{{<p}}{{/p}}", "{}", "{\"p\":\"{{<p}}{{/p}}\"}",
               "nesting deeper", NULL);
  expect_error("{{>p}}", "{\"a\":{}}", "{\"p\":\"{{#a}}{{>p}}{{/a}}\"}",
               "nesting deeper", NULL);
  /* Sixty nested sections still render. */
  buf tpl = {0};
  for (int i = 0; i < 60; i++) buf_puts(&tpl, "{{#t}}");
  buf_puts(&tpl, "deep");
  for (int i = 0; i < 60; i++) buf_puts(&tpl, "{{/t}}");
  expect(buf_str(&tpl), "{\"t\":true}", NULL, "deep");
  buf_free(&tpl);
}

/* Builds one test per *.json file in $MUSTACHE_SPEC_DIR, then our own
** tests, and runs them. */
int main(void) {
  const char *dir = getenv("MUSTACHE_SPEC_DIR");
  if (!dir || !*dir) {
    fprintf(stderr, "test_mustache: MUSTACHE_SPEC_DIR is not set (it must "
                    "name the mustache-spec directory)\n");
    return 1;
  }
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "test_mustache: cannot open MUSTACHE_SPEC_DIR %s\n", dir);
    return 1;
  }
  static const struct CMUnitTest own[] = {
      cmocka_unit_test(test_escaping),
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_partials),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_recursion_limit),
  };
  size_t nown = sizeof own / sizeof own[0];
  size_t n = 0, cap = 16;
  struct CMUnitTest *tests = malloc(cap * sizeof *tests);
  char **paths = malloc(cap * sizeof *paths);
  if (!tests || !paths) abort();
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
    if (n + nown >= cap) {
      cap *= 2;
      tests = realloc(tests, cap * sizeof *tests);
      paths = realloc(paths, cap * sizeof *paths);
      if (!tests || !paths) abort();
    }
    buf p = {0};
    buf_printf(&p, "%s/%s", dir, e->d_name);
    paths[n] = p.data;
    tests[n] = (struct CMUnitTest){paths[n], test_spec_file, NULL, NULL,
                                   paths[n]};
    n++;
  }
  closedir(d);
  if (n == 0) {
    fprintf(stderr, "test_mustache: no *.json spec files in %s\n", dir);
    return 1;
  }
  size_t nspec = n;
  for (size_t i = 0; i < nown; i++) tests[n++] = own[i];
  int rc = _cmocka_run_group_tests("mustache", tests, n, NULL, NULL);
  for (size_t i = 0; i < nspec; i++) free(paths[i]);
  free(paths);
  free(tests);
  return rc;
}
