/*
** sitemap_xml.c: sitemaps' XML, entry by entry (see sitemap_xml.h).
*/
#include "sitemap_xml.h"

#include <string.h>

#include "escape.h"
#include "timefmt.h"

#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_IMAGE "http://www.google.com/schemas/sitemap-image/1.1"
#define NS_NEWS "http://www.google.com/schemas/sitemap-news/0.9"

void sitemap_xml_open(buf *out, sitemap_xml_kind kind) {
  buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  if (kind == SITEMAP_XML_INDEX)
    buf_puts(out, "<sitemapindex xmlns=\"" NS_SITEMAP "\">\n");
  else if (kind == SITEMAP_XML_URLSET)
    buf_puts(out, "<urlset xmlns=\"" NS_SITEMAP "\" xmlns:image=\"" NS_IMAGE "\">\n");
  else
    buf_puts(out, "<urlset xmlns=\"" NS_SITEMAP "\" xmlns:news=\"" NS_NEWS "\">\n");
}

void sitemap_xml_close(buf *out, sitemap_xml_kind kind) {
  buf_puts(out, kind == SITEMAP_XML_INDEX ? "</sitemapindex>\n" : "</urlset>\n");
}

/* Appends s escaped as XML text, without the characters XML forbids. */
static void xml_text(buf *out, const char *s) {
  size_t start = out->len;
  escape_xml(out, s, strlen(s));
  escape_xml_clean(out->data + start);
  out->len = start + strlen(out->data + start);
}

/* Appends <name>t</name> with t as a W3C datetime, unless t is 0. */
static void xml_time(buf *out, const char *name, long long t) {
  if (t <= 0) return;
  buf_printf(out, "<%s>", name);
  time_iso(out, (time_t)t);
  buf_printf(out, "</%s>", name);
}

void sitemap_xml_sitemap(buf *out, const char *loc, long long lastmod) {
  buf_puts(out, "<sitemap><loc>");
  xml_text(out, loc);
  buf_puts(out, "</loc>");
  xml_time(out, "lastmod", lastmod);
  buf_puts(out, "</sitemap>\n");
}

void sitemap_xml_url(buf *out, const char *loc, long long lastmod, const char *image) {
  buf_puts(out, "<url><loc>");
  xml_text(out, loc);
  buf_puts(out, "</loc>");
  xml_time(out, "lastmod", lastmod);
  if (image && *image) {
    buf_puts(out, "<image:image><image:loc>");
    xml_text(out, image);
    buf_puts(out, "</image:loc></image:image>");
  }
  buf_puts(out, "</url>\n");
}

void sitemap_xml_news(buf *out, const char *loc, const sitemap_news *n) {
  buf_puts(out, "<url><loc>");
  xml_text(out, loc);
  buf_puts(out, "</loc><news:news><news:publication><news:name>");
  xml_text(out, n->publication);
  buf_puts(out, "</news:name><news:language>");
  xml_text(out, n->lang);
  buf_puts(out, "</news:language></news:publication>");
  xml_time(out, "news:publication_date", n->published_at);
  buf_puts(out, "<news:title>");
  xml_text(out, n->title);
  buf_puts(out, "</news:title></news:news></url>\n");
}
