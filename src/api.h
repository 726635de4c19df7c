/*
** api.h: the JSON API for apps, /api/v1. Its documents are the ones the
** pages render, built by the same store functions.
*/
#ifndef GAZETTE_API_H
#define GAZETTE_API_H

#include "app.h"

/* GET /api/v1/articles: published articles, newest first, with filters
** category, tag, lang, author, since, updated_since; page, per_page. */
void api_articles(ctx *c);

/* GET /api/v1/articles/{id} */
void api_article(ctx *c);

/* GET /api/v1/articles/by-slug/{slug} */
void api_article_by_slug(ctx *c);

/* GET /api/v1/categories, /api/v1/tags, /api/v1/authors */
void api_categories(ctx *c);
void api_tags(ctx *c);
void api_authors(ctx *c);

/* OPTIONS on any /api/ path: the CORS preflight. Reads are open to every
** origin; writes only to the site's own origin and those allowed by the
** api_origins setting. */
void api_preflight(ctx *c);

/* Returns 1 when origin may write through the API (or post forms). */
int api_origin_allowed(const ctx *c, const char *origin);

#endif
