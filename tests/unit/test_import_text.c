/*
** Unit tests: the WordPress import's text work: titles and comments to
** plain text, slugs, the old site's addresses, a body's links and
** pictures.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "html_text.h"
#include "import_text.h"
#include "utf8.h"

/* Returns the plain text of html (lines as html_text_plain takes it);
** the pointer is good until the next call. */
static const char *plain(const char *html, int lines) {
  static buf b;
  buf_reset(&b);
  html_text_plain(html, lines, &b);
  return buf_str(&b);
}

static void titles_lose_their_markup(void **state) {
  (void)state;
  assert_string_equal(plain("Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>", 0),
                      "Markup: Title With Markup");
  assert_string_equal(plain("Tom &amp; Jerry&#8217;s &#x201C;show&#8221; &hellip;", 0),
                      "Tom & Jerry\u2019s \u201Cshow\u201D \u2026");
  assert_string_equal(plain("  A\n\ttitle  <script>alert(1)</script> x&nbsp;y ", 0), "A title x y");
  assert_string_equal(plain("5 < 6 & 7 > 3 &unknown; &#0;", 0), "5 < 6 & 7 > 3 &unknown;");
  assert_string_equal(plain("عنوان <strong>عاجل</strong>", 0), "عنوان عاجل");
  assert_string_equal(plain("<style>p{}</style>", 0), "");
}

static void comments_keep_their_lines_and_links(void **state) {
  (void)state;
  assert_string_equal(plain("First line<br />second line\r\n\r\n\r\nThird <b>bold</b>", 1),
                      "First line\nsecond line\n\nThird bold");
  assert_string_equal(plain("<p>One</p><p>Two</p>", 1), "One\n\nTwo");
  assert_string_equal(plain("See <a href=\"https://example.org/a?b=1&amp;c=2\">this</a>.", 1),
                      "See this (https://example.org/a?b=1&c=2).");
  assert_string_equal(plain("<a href=\"https://example.org/\">https://example.org/</a>", 1),
                      "https://example.org/");
  assert_string_equal(plain("<a href=\"javascript:x()\">click</a>", 1), "click");
}

static void long_text_is_cut_at_a_word(void **state) {
  (void)state;
  buf b = {0};
  assert_int_equal(utf8_cut("short", 10, &b), 0);
  assert_string_equal(buf_str(&b), "short");
  buf_reset(&b);
  assert_int_equal(utf8_cut("one two three four five", 12, &b), 1);
  assert_string_equal(buf_str(&b), "one two…");
  buf_reset(&b);
  assert_int_equal(utf8_cut("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 5, &b), 1);
  assert_string_equal(buf_str(&b), "ابتث…");
  buf_free(&b);
}

static void slugs_are_decoded(void **state) {
  (void)state;
  buf b = {0};
  import_text_slug("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2", &b);
  assert_string_equal(buf_str(&b), "επίπεδο-2");
  buf_reset(&b);
  import_text_slug("plain-slug", &b);
  assert_string_equal(buf_str(&b), "plain-slug");
  buf_reset(&b);
  import_text_slug("bad%zz%", &b);
  assert_string_equal(buf_str(&b), "bad%zz%");
  buf_free(&b);
}

static void right_to_left_text_is_recognised(void **state) {
  (void)state;
  assert_true(import_text_rtl("قال الوزير يوم الاثنين"));
  assert_true(import_text_rtl("وزير الطاقة: 2024 OPEC"));
  assert_false(import_text_rtl("The minister said on Monday"));
  assert_false(import_text_rtl("Ελληνικά-Greek"));
  assert_false(import_text_rtl("2024 ٢٠٢٤"));
}

static void old_addresses_become_paths(void **state) {
  (void)state;
  import_hosts h = {0};
  buf b = {0};
  import_hosts_add(&h, "https://wpthemetestdata.wordpress.com");
  import_hosts_add(&h, "http://www.Example.com:8080/blog/");
  import_hosts_add(&h, "https://wpthemetestdata.wordpress.com/");
  assert_int_equal(h.n, 2);
  struct { const char *url, *path; } ok[] = {
      {"https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/", "/2012/01/03/template-comments"},
      {"http://example.com/blog/?p=12", "/blog"},
      {"https://www.example.com/?p=12", "/?p=12"},
      {"https://example.com/index.php?page_id=7&x=1", "/?page_id=7"},
      {"https://example.com/?cat=3#top", "/?cat=3"},
      {"/category/a/b/", "/category/a/b"},
      {"https://wpthemetestdata.wordpress.com/greek/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2/",
       "/greek/επίπεδο-2"},
      {"https://wpthemetestdata.wordpress.com//greek/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2/",
       "/greek/επίπεδο-2"},
      {"https://example.com/a//b///", "/a/b"},
      {"https://example.com/2012/01/x/?replytocom=5#respond", "/2012/01/x"},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    buf_reset(&b);
    assert_int_equal(import_text_old_path(&h, ok[i].url, &b), 1);
    assert_string_equal(buf_str(&b), ok[i].path);
  }
  const char *no[] = {"https://elsewhere.org/2012/01/x/", "mailto:a@example.com", "//example.com/x",
                      "https://example.com/", "https://example.com/?attachment_id=5",
                      "https://user@example.com/x", "relative/path", "/bad%zz"};
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
    buf_reset(&b);
    assert_int_equal(import_text_old_path(&h, no[i], &b), 0);
    assert_int_equal(b.len, 0);
  }
  buf_reset(&b);
  assert_int_equal(import_text_date_path("2012-01-03 17:11:37", "template-comments", 1, &b), 1);
  assert_string_equal(buf_str(&b), "/2012/01/03/template-comments");
  buf_reset(&b);
  assert_int_equal(import_text_date_path("2012-01-03 17:11:37", "x", 0, &b), 1);
  assert_string_equal(buf_str(&b), "/2012/01/x");
  assert_int_equal(import_text_date_path("0000-00-00 00:00:00", "x", 0, &b), 0);
  buf_free(&b);
}

/* A link rewriter for the test: /old/N becomes /new/N. */
static int rewrite(void *ud, const char *url, buf *out) {
  (void)ud;
  if (strncmp(url, "https://old.example/old/", 24) != 0) return 0;
  buf_printf(out, "/new/%s", url + 24);
  return 1;
}

/* Collects image addresses, one a line. */
static int collect(void *ud, const char *url) {
  buf_printf(ud, "%s\n", url);
  return 0;
}

static void links_and_pictures_of_a_body(void **state) {
  (void)state;
  buf out = {0}, seen = {0};
  int changed;
  const char *html = "<p><a href=\"https://old.example/old/1?a=1&amp;b=2\">one</a> "
                     "<a title=\"t\" href=\"https://else.example/x\" rel=\"nofollow noopener\">x</a> "
                     "<img src=\"https://old.example/u/a.jpg\" alt=\"\"><img alt=\"\" src=\"/b.png\">"
                     "<img src=\"https://old.example/u/a.jpg\" alt=\"again\"></p>";
  import_text_links(html, rewrite, NULL, &out, &changed);
  assert_int_equal(changed, 1);
  assert_non_null(strstr(buf_str(&out), "<a href=\"/new/1?a=1&amp;b=2\">one</a>"));
  assert_non_null(strstr(buf_str(&out), "<a title=\"t\" href=\"https://else.example/x\""));
  assert_int_equal(strlen(buf_str(&out)), strlen(html) - strlen("https://old.example/old") + strlen("/new"));
  assert_int_equal(import_text_images(html, collect, &seen), 2);
  assert_string_equal(buf_str(&seen), "https://old.example/u/a.jpg\n/b.png\n");
  /* The first 256 different pictures of a text, each once. */
  buf many = {0};
  for (int i = 0; i < 300; i++) buf_printf(&many, "<img src=\"/p%d.jpg\"><img src=\"/p0.jpg\">", i);
  buf_reset(&seen);
  assert_int_equal(import_text_images(buf_str(&many), collect, &seen), IMPORT_MAX_IMAGES);
  assert_non_null(strstr(buf_str(&seen), "\n/p255.jpg\n"));
  assert_null(strstr(buf_str(&seen), "/p256.jpg"));
  buf_free(&many);
  buf_reset(&out);
  assert_int_equal(import_text_upload_file("https://example.com/wp-content/uploads/2013/03/a%20b.jpg?w=300", &out), 1);
  assert_string_equal(buf_str(&out), "2013/03/a b.jpg");
  buf_reset(&out);
  assert_int_equal(import_text_upload_file("https://site.files.wordpress.com/2013/03/c.jpg", &out), 1);
  assert_string_equal(buf_str(&out), "2013/03/c.jpg");
  assert_int_equal(import_text_upload_file("/relative.jpg", &out), 0);
  buf_free(&out);
  buf_free(&seen);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(titles_lose_their_markup),
      cmocka_unit_test(comments_keep_their_lines_and_links),
      cmocka_unit_test(long_text_is_cut_at_a_word),
      cmocka_unit_test(slugs_are_decoded),
      cmocka_unit_test(right_to_left_text_is_recognised),
      cmocka_unit_test(old_addresses_become_paths),
      cmocka_unit_test(links_and_pictures_of_a_body),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
