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

/* Parsed partials for the compiled path: names and templates. */
typedef struct parsed_set {
  int n;
  const char *name[16];
  mustache_tmpl *t[16];
} parsed_set;

/* Returns the parsed partial name of the parsed_set ud, or NULL. */
static const mustache_tmpl *parsed_lookup(void *ud, const char *name) {
  const parsed_set *s = ud;
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->name[i], name) == 0) return s->t[i];
  return NULL;
}

/* Renders tpl with the partials object (may be NULL) the way the server
** does: everything parsed first, then rendered from the parsed forms.
** Returns the result code; out receives the output. */
static int render_compiled(const char *tpl, const cJSON *data, const cJSON *partials,
                           buf *out, char *err, size_t errlen) {
  parsed_set set = {0};
  const cJSON *p;
  int rc = 0;
  cJSON_ArrayForEach(p, partials) {
    if (set.n == 16 || !cJSON_IsString(p)) continue;
    set.name[set.n] = p->string;
    set.t[set.n] = mustache_compile(p->valuestring, p->string, err, errlen);
    if (!set.t[set.n]) rc = -1;
    set.n++;
  }
  mustache_tmpl *t = rc == 0 ? mustache_compile(tpl, "template", err, errlen) : NULL;
  if (t) rc = mustache_render_compiled(t, data, parsed_lookup, &set, out, err, errlen);
  else rc = -1;
  mustache_free(t);
  for (int i = 0; i < set.n; i++) mustache_free(set.t[i]);
  return rc;
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
    buf parsed = {0};
    int prc = render_compiled(tpl, data, partials, &parsed, err, sizeof err);
    if (rc != 0 || strcmp(buf_str(&out), want) != 0) {
      failed++;
      print_error("%s: \"%s\" failed (rc %d%s%s)\n  template: ", path,
                  name ? name : "?", rc, rc ? ": " : "", rc ? err : "");
      print_error("%s\n  expected: [%s]\n  actual:   [%s]\n", tpl, want,
                  buf_str(&out));
    } else if (prc != 0 || strcmp(buf_str(&parsed), want) != 0) {
      failed++;
      print_error("%s: \"%s\" failed when parsed first: [%s]\n", path,
                  name ? name : "?", buf_str(&parsed));
    }
    buf_free(&out);
    buf_free(&parsed);
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
  expect("{{h}} {{i}} {{j}} {{k}}", "{\"h\":999999999999999,\"i\":1e15,\"j\":-0,\"k\":-42.0}",
         NULL, "999999999999999 1000000000000000 0 -42");
  /* A name looked up once per item finds each item's own, or the one
  ** around the list where an item has none. */
  expect("{{#l}}{{x}}{{t.a}}{{/l}}", "{\"x\":9,\"t\":{\"a\":\"-\"},"
         "\"l\":[{\"x\":1},{},{\"x\":3,\"t\":{\"a\":\"+\"}},{}]}", NULL, "1-9-3+9-");
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

/* Collects "name:line" of each include into the buf ud. */
static int note_include(void *ud, const char *name, unsigned line) {
  buf_printf((buf *)ud, "%s:%u ", name, line);
  return 0;
}

static void test_parsed_once(void **state) {
  (void)state;
  char err[256];
  /* A syntax error is found when the template is parsed, with its line. */
  assert_null(mustache_compile("a\n{{#x}}\nb", "broken", err, sizeof err));
  assert_non_null(strstr(err, "line 2"));
  assert_non_null(strstr(err, "unclosed section 'x'"));
  /* The includes of a template are listed with their lines. */
  mustache_tmpl *t = mustache_compile("{{<frame}}\n{{$b}}{{>card}}{{/b}}\n{{/frame}}",
                                      "page", err, sizeof err);
  assert_non_null(t);
  buf seen = {0};
  assert_int_equal(mustache_includes(t, note_include, &seen), 0);
  assert_string_equal(buf_str(&seen), "frame:1 card:2 ");
  buf_free(&seen);
  mustache_free(t);
  /* One parsed template renders many times, with different data. */
  cJSON *partials = cJSON_Parse("{\"p\":\"<{{.}}>\"}");
  for (int i = 0; i < 3; i++) {
    buf out = {0};
    cJSON *data = cJSON_CreateObject();
    cJSON *l = cJSON_AddArrayToObject(data, "l");
    for (int k = 0; k <= i; k++) cJSON_AddItemToArray(l, cJSON_CreateNumber(k));
    assert_int_equal(render_compiled("{{#l}}{{>p}}{{/l}}", data, partials, &out, err,
                                     sizeof err), 0);
    assert_string_equal(buf_str(&out), i == 0 ? "<0>" : i == 1 ? "<0><1>" : "<0><1><2>");
    cJSON_Delete(data);
    buf_free(&out);
  }
  cJSON_Delete(partials);
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

/* Runs our own tests. */
static int run_own(void) {
  static const struct CMUnitTest own[] = {
      cmocka_unit_test(test_escaping),
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_partials),
      cmocka_unit_test(test_parsed_once),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_recursion_limit),
  };
  return cmocka_run_group_tests_name("mustache", own, NULL, NULL);
}

/* Builds one test per *.json file in $MUSTACHE_SPEC_DIR and runs them.
** Returns 77 (skipped) when the spec is not there. */
static int run_spec(void) {
  const char *dir = getenv("MUSTACHE_SPEC_DIR");
  DIR *d = dir && *dir ? opendir(dir) : NULL;
  if (!d) {
    printf("SKIP: the Mustache spec is not at %s (../shared beside the checkout)\n",
           dir && *dir ? dir : "(MUSTACHE_SPEC_DIR unset)");
    return 77;
  }
  size_t n = 0, cap = 16;
  struct CMUnitTest *tests = malloc(cap * sizeof *tests);
  char **paths = malloc(cap * sizeof *paths);
  if (!tests || !paths) abort();
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
    if (n == cap) {
      cap *= 2;
      tests = realloc(tests, cap * sizeof *tests);
      paths = realloc(paths, cap * sizeof *paths);
      if (!tests || !paths) abort();
    }
    buf p = {0};
    buf_printf(&p, "%s/%s", dir, e->d_name);
    paths[n] = p.data;
    tests[n] = (struct CMUnitTest){paths[n], test_spec_file, NULL, NULL, paths[n]};
    n++;
  }
  closedir(d);
  if (n == 0) {
    fprintf(stderr, "test_mustache: no *.json spec files in %s\n", dir);
    free(tests);
    free(paths);
    return 1;
  }
  int rc = _cmocka_run_group_tests("mustache-spec", tests, n, NULL, NULL);
  for (size_t i = 0; i < n; i++) free(paths[i]);
  free(paths);
  free(tests);
  return rc;
}

/* "test_mustache spec" runs the official spec; with no argument, our own
** tests. */
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "spec") == 0) return run_spec();
  return run_own();
}
