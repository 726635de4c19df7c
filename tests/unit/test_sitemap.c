/*
** Unit tests: the sitemaps' XML, entry by entry, and (with ../shared) the
** documents checked against the sitemaps.org schemas with Google's image
** and news extensions (tests/schemas).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sitemap_xml.h"

/* A page with an Arabic address and a featured picture, and one without. */
static void urlset(buf *b) {
  sitemap_xml_open(b, SITEMAP_XML_URLSET);
  sitemap_xml_url(b, "https://news.example/articles/%D9%85%D8%AD%D8%B7%D8%A9", 1795768200,
                  "https://news.example/media/a&b.jpg");
  sitemap_xml_url(b, "https://news.example/articles/plain?x=1&y=2", 1795768200, NULL);
  sitemap_xml_close(b, SITEMAP_XML_URLSET);
}

/* Two news entries, one with characters XML forbids in its title. */
static void news(buf *b) {
  sitemap_news en = {"The Harbour <Post>", "en", 1795768200, "Tides & \x01storms"};
  sitemap_news ar = {"The Harbour <Post>", "ar", 1795768200, "محطة تحلية"};
  sitemap_xml_open(b, SITEMAP_XML_NEWS);
  sitemap_xml_news(b, "https://news.example/articles/tides", &en);
  sitemap_xml_news(b, "https://news.example/articles/%D9%85", &ar);
  sitemap_xml_close(b, SITEMAP_XML_NEWS);
}

/* An index of two sitemaps. */
static void index_of_two(buf *b) {
  sitemap_xml_open(b, SITEMAP_XML_INDEX);
  sitemap_xml_sitemap(b, "https://news.example/sitemaps/articles/2026-11.xml", 1795768200);
  sitemap_xml_sitemap(b, "https://news.example/sitemaps/tags/1.xml", 0);
  sitemap_xml_close(b, SITEMAP_XML_INDEX);
}

static void entries_carry_escaped_addresses_times_and_pictures(void **state) {
  (void)state;
  buf b = {0};
  urlset(&b);
  const char *x = buf_str(&b);
  assert_non_null(strstr(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "));
  assert_non_null(strstr(x, "xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\""));
  assert_non_null(strstr(x, "<url><loc>https://news.example/articles/%D9%85%D8%AD%D8%B7%D8%A9</loc>"
                            "<lastmod>2026-11-27T08:30:00Z</lastmod><image:image><image:loc>"
                            "https://news.example/media/a&amp;b.jpg</image:loc></image:image></url>"));
  assert_non_null(strstr(x, "<loc>https://news.example/articles/plain?x=1&amp;y=2</loc>"
                            "<lastmod>2026-11-27T08:30:00Z</lastmod></url>"));
  buf_reset(&b);
  news(&b);
  x = buf_str(&b);
  assert_non_null(strstr(x, "<news:news><news:publication><news:name>The Harbour &lt;Post&gt;"
                            "</news:name><news:language>en</news:language></news:publication>"
                            "<news:publication_date>2026-11-27T08:30:00Z</news:publication_date>"
                            "<news:title>Tides &amp; storms</news:title></news:news>"));
  assert_null(strchr(x, '\x01'));
  buf_reset(&b);
  index_of_two(&b);
  x = buf_str(&b);
  assert_non_null(strstr(x, "<sitemap><loc>https://news.example/sitemaps/tags/1.xml</loc></sitemap>"));
  assert_non_null(strstr(x, "</sitemapindex>\n"));
  buf_free(&b);
}

/* Writes b to path. */
static void write_file(const char *path, const buf *b) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fwrite(buf_str(b), 1, b->len, f);
  fclose(f);
}

/* Returns the exit status of xmllint checking file against schema. */
static int xmllint(const char *schema, const char *file) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s' 2>/dev/null", schema, file);
  return system(cmd);
}

static void documents_are_valid_sitemaps(void **state) {
  (void)state;
  const char *shared = getenv("SHARED_DIR"), *root = getenv("GAZETTE_ROOT");
  char sitemap_xsd[1024], index_xsd[1024], tmp[64], path[1100];
  if (!shared || !root) skip();
  snprintf(sitemap_xsd, sizeof sitemap_xsd, "%s/schemas/sitemap.xsd", shared);
  snprintf(index_xsd, sizeof index_xsd, "%s/schemas/siteindex.xsd", shared);
  if (access(sitemap_xsd, R_OK) != 0 || access(index_xsd, R_OK) != 0 ||
      system("command -v xmllint >/dev/null") != 0)
    skip();
  snprintf(tmp, sizeof tmp, "/tmp/gazette-test-sitemap-%d", (int)getpid());
  char mk[128];
  snprintf(mk, sizeof mk, "mkdir -p %s", tmp);
  assert_int_equal(system(mk), 0);
  /* The sitemaps.org schema, with Google's extensions for its wildcards. */
  buf b = {0};
  buf_printf(&b,
             "<?xml version=\"1.0\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n"
             "<xsd:import namespace=\"http://www.sitemaps.org/schemas/sitemap/0.9\" schemaLocation=\"%s\"/>\n"
             "<xsd:import namespace=\"http://www.google.com/schemas/sitemap-image/1.1\" "
             "schemaLocation=\"%s/tests/schemas/sitemap-image.xsd\"/>\n"
             "<xsd:import namespace=\"http://www.google.com/schemas/sitemap-news/0.9\" "
             "schemaLocation=\"%s/tests/schemas/sitemap-news.xsd\"/>\n</xsd:schema>\n",
             sitemap_xsd, root, root);
  char with_extensions[128];
  snprintf(with_extensions, sizeof with_extensions, "%s/sitemap-extensions.xsd", tmp);
  write_file(with_extensions, &b);
  buf_reset(&b);
  urlset(&b);
  snprintf(path, sizeof path, "%s/urlset.xml", tmp);
  write_file(path, &b);
  assert_int_equal(xmllint(with_extensions, path), 0);
  buf_reset(&b);
  news(&b);
  snprintf(path, sizeof path, "%s/news.xml", tmp);
  write_file(path, &b);
  assert_int_equal(xmllint(with_extensions, path), 0);
  buf_reset(&b);
  index_of_two(&b);
  snprintf(path, sizeof path, "%s/index.xml", tmp);
  write_file(path, &b);
  assert_int_equal(xmllint(index_xsd, path), 0);
  /* And the checks can fail: a news entry without its title. */
  buf_reset(&b);
  buf_puts(&b, "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
               "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>https://news.example/a</loc>"
               "<news:news><news:publication><news:name>P</news:name><news:language>en</news:language>"
               "</news:publication><news:publication_date>2026-11-27</news:publication_date>"
               "</news:news></url></urlset>");
  snprintf(path, sizeof path, "%s/bad.xml", tmp);
  write_file(path, &b);
  assert_int_not_equal(xmllint(with_extensions, path), 0);
  snprintf(mk, sizeof mk, "rm -rf %s", tmp);
  assert_int_equal(system(mk), 0);
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(entries_carry_escaped_addresses_times_and_pictures),
      cmocka_unit_test(documents_are_valid_sitemaps),
  };
  return cmocka_run_group_tests_name("sitemap", tests, NULL, NULL);
}
