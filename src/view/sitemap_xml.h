/*
** sitemap_xml.h: the pieces of the sitemaps' XML (sitemaps.org 0.9, with
** Google's image and news extensions), written one entry at a time so that
** a sitemap can be streamed from a cursor. Addresses are given absolute
** and are escaped here; text is cleaned of what XML 1.0 forbids.
*/
#ifndef GAZETTE_SITEMAP_XML_H
#define GAZETTE_SITEMAP_XML_H

#include "buf.h"

/* What a document is. */
typedef enum {
  SITEMAP_XML_INDEX,   /* <sitemapindex>: the sitemaps of the site */
  SITEMAP_XML_URLSET,  /* <urlset>: pages, with image entries */
  SITEMAP_XML_NEWS,    /* <urlset>: Google News entries */
} sitemap_xml_kind;

/* Appends the XML declaration and the opening of the document of kind,
** with the namespaces its entries use. */
void sitemap_xml_open(buf *out, sitemap_xml_kind kind);

/* Appends the end of the document of kind. */
void sitemap_xml_close(buf *out, sitemap_xml_kind kind);

/* Appends one sitemap of an index: <sitemap> with loc and lastmod (Unix
** seconds; left out when 0). */
void sitemap_xml_sitemap(buf *out, const char *loc, long long lastmod);

/* Appends one page: <url> with loc, lastmod (left out when 0) and, when
** image is given, an image entry for the picture at that address. */
void sitemap_xml_url(buf *out, const char *loc, long long lastmod, const char *image);

/* The Google News facts of one article. */
typedef struct sitemap_news {
  const char *publication;   /* the publication's name */
  const char *lang;          /* its language code ("en", "ar") */
  long long published_at;    /* Unix seconds */
  const char *title;
} sitemap_news;

/* Appends one news article: <url> with loc and <news:news>. */
void sitemap_xml_news(buf *out, const char *loc, const sitemap_news *n);

#endif
