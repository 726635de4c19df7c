/*
** sitemap.h: what search engines and news aggregators read to find the
** site's pages (docs/seo.md). Sitemaps are streamed from store cursors, so
** that a site of a million articles costs no more memory than a small one.
*/
#ifndef GAZETTE_SITEMAP_H
#define GAZETTE_SITEMAP_H

#include "app.h"

/* GET /sitemap.xml : the sitemap index: every sitemap page below, each
** with its newest change. */
int sitemap_index(ctx *c);

/* GET /sitemaps/articles/{month} : the articles published in one month,
** "2026-11.xml"; a month of more than sitemap_urls articles goes on in
** "2026-11-2.xml" and so on. */
int sitemap_articles_page(ctx *c);

/* GET /sitemaps/categories/{page}, /sitemaps/tags/{page},
** /sitemaps/authors/{page} : the listing pages, sitemap_urls a sitemap
** ("1.xml", "2.xml", ...). */
int sitemap_categories_page(ctx *c);
int sitemap_tags_page(ctx *c);
int sitemap_authors_page(ctx *c);

/* GET /news-sitemap.xml : Google News: the articles published in the last
** 48 hours, 1,000 at most. */
int sitemap_news_page(ctx *c);

/* GET /robots.txt : what crawlers may read, and where the sitemaps are. */
int robots_txt(ctx *c);

#endif
