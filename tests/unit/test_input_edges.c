/*
** Unit tests: edge cases of the parsers of outside input, most of them
** brought up by fuzzing (scripts/fuzz); each input is also kept as a seed
** in tests/fuzz/seeds/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "markdown.h"
#include "mustache.h"
#include "request.h"
#include "slug.h"
#include "utf8.h"

/* Returns the partial "a" (the text ud), and no other. */
static const char *partials(void *ud, const char *name) {
  return strcmp(name, "a") == 0 ? ud : NULL;
}

/* Renders src against the JSON text data with partial "a" (may be NULL);
** returns mustache_render's result, the output in out, the message in err. */
static int render(const char *src, const char *data, const char *a, buf *out, char *err,
                  size_t errlen) {
  cJSON *doc = cJSON_Parse(data);
  assert_non_null(doc);
  int rc = mustache_render(src, doc, partials, (void *)a, out, err, errlen);
  cJSON_Delete(doc);
  return rc;
}

static void template_that_multiplies_stops(void **state) {
  (void)state;
  /* Twelve sections nested over a list of eight: 8^12 copies of the text. */
  buf src = {0};
  for (int i = 0; i < 12; i++) buf_puts(&src, "{{#a}}");
  buf_puts(&src, "some text to copy");
  for (int i = 0; i < 12; i++) buf_puts(&src, "{{/a}}");
  buf out = {0};
  char err[256];
  assert_int_equal(render(src.data, "{\"a\": [1, 2, 3, 4, 5, 6, 7, 8]}", NULL, &out, err,
                          sizeof err), -1);
  assert_non_null(strstr(err, "render too large"));
  assert_true(out.len <= MUSTACHE_MAX_OUTPUT + 64);
  buf_free(&out);
  buf_free(&src);
}

static void partial_that_doubles_stops(void **state) {
  (void)state;
  /* A partial that includes itself twice while the data goes deeper: 2^30
  ** inclusions before it would end, with nothing written. */
  buf data = {0};
  for (int i = 0; i < 30; i++) buf_puts(&data, "{\"b\": ");
  buf_puts(&data, "false");
  for (int i = 0; i < 30; i++) buf_putc(&data, '}');
  buf out = {0};
  char err[256];
  assert_int_equal(render("{{>a}}", data.data, "{{#b}}{{>a}}{{>a}}{{/b}}", &out, err, sizeof err), -1);
  assert_non_null(strstr(err, "render too large"));
  assert_int_equal(out.len, 0);
  buf_free(&out);
  buf_free(&data);
}

static void large_lists_still_render(void **state) {
  (void)state;
  /* 5,000 items of a few tags each: far more than any page shows. */
  buf data = {0};
  buf_puts(&data, "{\"items\": [");
  for (int i = 0; i < 5000; i++) buf_printf(&data, "%s{\"t\": \"item %d\", \"n\": %d}", i ? "," : "", i, i);
  buf_puts(&data, "]}");
  buf out = {0};
  char err[256];
  assert_int_equal(render("{{#items}}<li>{{t}} ({{n}})</li>{{/items}}", data.data, NULL, &out, err,
                          sizeof err), 0);
  assert_string_equal(err, "");
  assert_non_null(strstr(out.data, "<li>item 4999 (4999)</li>"));
  buf_free(&out);
  buf_free(&data);
}

/* Asserts that the slug of text (any length) is want. */
static void slug_is(const char *text, const char *want) {
  buf out = {0};
  slug_make(&out, text, 200);
  assert_string_equal(buf_str(&out), want);
  assert_true(utf8_valid(buf_str(&out), out.len));
  buf_free(&out);
}

static void slug_treats_malformed_utf8_as_a_separator(void **state) {
  (void)state;
  slug_is("a\xe0\x8e\x8e" "b", "a-b");         /* overlong U+038E */
  slug_is("a\xf0\x80\xa0\x80" "b", "a-b");     /* overlong U+0800 */
  slug_is("a\xed\xa0\x80" "b", "a-b");         /* surrogate U+D800 */
  slug_is("a\xf4\x90\x80\x80" "b", "a-b");     /* above U+10FFFF */
  slug_is("\xe0\xe0\x8e\xe0\x8e\x8e\x8e\x8e{", "");
  slug_is("a\xce\x8e" "b", "a\xce\x8e" "b");   /* U+038E itself is a letter */
}

static void cookie_name_with_a_semicolon_is_never_found(void **state) {
  (void)state;
  char *env[] = {"REQUEST_URI=/", "HTTP_COOKIE=gz_vi\r;gz_=;d; gz_visitor=abc", NULL};
  request r;
  assert_int_equal(request_parse(&r, env), 0);
  buf v = {0};
  assert_int_equal(request_cookie(&r, "gz_vi\r;gz_", &v), 0);
  assert_int_equal(v.len, 0);
  assert_int_equal(request_cookie(&r, "gz_visitor", &v), 1);
  assert_string_equal(buf_str(&v), "abc");
  buf_free(&v);
  request_free(&r);
}

static void markdown_replaces_malformed_utf8(void **state) {
  (void)state;
  char *html = markdown_render("caf\xa0 \xe2\x82", 7);
  assert_non_null(html);
  assert_string_equal(html, "<p>caf\xef\xbf\xbd \xef\xbf\xbd</p>\n");
  free(html);
}

/* Counts the occurrences of w in s. */
static size_t occurrences(const char *s, const char *w) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, w)); p += strlen(w)) n++;
  return n;
}

/* Counts the images handed out; lets cmark write each. */
static int count_picture(void *ud, const char *url, long id, const char *alt, const char *title,
                         int alone, buf *out) {
  (void)url, (void)id, (void)alt, (void)title, (void)alone, (void)out;
  ++*(int *)ud;
  return 0;
}

/* A text of 200 KB of unclosed image marks before links ("![[]()"), which
** cmark 0.30.2 reads in the square of its length, renders as it would,
** its marks past the 512th escaped; 512 pictures are pictures, the 513th
** is text and a link; escaped marks are not counted, marks after an
** escaped backslash are. */
static void markdown_image_marks_are_bounded(void **state) {
  (void)state;
  buf md = {0}, want = {0};
  for (int i = 0; i < 33000; i++) buf_puts(&md, "![[]()");
  buf_puts(&want, "<p>");
  for (int i = 0; i < 33000; i++) buf_puts(&want, "![<a href=\"\"></a>");
  buf_puts(&want, "</p>\n");
  char *html = markdown_render(md.data, md.len);
  assert_string_equal(html, buf_str(&want));
  free(html);
  buf_reset(&md);
  for (int i = 0; i < 513; i++) buf_puts(&md, "![a](/p.jpg) ");
  html = markdown_render(md.data, md.len);
  assert_int_equal(occurrences(html, "<img src=\"/p.jpg\" alt=\"a\" />"), 512);
  assert_int_equal(occurrences(html, "!<a href=\"/p.jpg\">a</a>"), 1);
  free(html);
  /* Each of the 512 images is handed out to the caller (a library picture
  ** past them would otherwise keep an address readers cannot load). */
  int offered = 0;
  html = markdown_render_pictures(md.data, md.len, count_picture, &offered);
  assert_int_equal(offered, 512);
  free(html);
  buf_reset(&md);
  for (int i = 0; i < 600; i++) buf_puts(&md, "\\![a] ");
  buf_puts(&md, "![b](/q.jpg) \\\\![c](/r.jpg)");
  html = markdown_render(md.data, md.len);
  assert_non_null(strstr(html, "<img src=\"/q.jpg\" alt=\"b\" />"));
  assert_non_null(strstr(html, "\\<img src=\"/r.jpg\" alt=\"c\" />"));
  free(html);
  buf_free(&md);
  buf_free(&want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(template_that_multiplies_stops),
      cmocka_unit_test(partial_that_doubles_stops),
      cmocka_unit_test(large_lists_still_render),
      cmocka_unit_test(slug_treats_malformed_utf8_as_a_separator),
      cmocka_unit_test(cookie_name_with_a_semicolon_is_never_found),
      cmocka_unit_test(markdown_replaces_malformed_utf8),
      cmocka_unit_test(markdown_image_marks_are_bounded),
  };
  return cmocka_run_group_tests_name("input_edges", tests, NULL, NULL);
}
