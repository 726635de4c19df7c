/*
** api.h: the JSON API for apps, /api/v1. Its documents are the ones the
** pages render, built by the same store functions.
*/
#ifndef GAZETTE_API_H
#define GAZETTE_API_H

#include "app.h"

/* GET /api/v1/articles: published articles, newest first, with filters
** category, tag, lang, author, since, updated_since and q (words to find:
** then best matches first); page, per_page. */
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

/* Returns 1 when the Accept header (absent: anything) admits JSON. */
int api_accepts_json(const ctx *c);

/* Starts every read handler: answers 406 when the client takes no JSON.
** Returns 0 to go on, -1 when answered. */
int api_begin(ctx *c);

/* Reads page (default 1) and per_page (default def, at most 100).
** Returns 0, or -1 after answering 400 naming the parameter. */
int api_paging(ctx *c, long def, long *page, long *per_page);

/* Answers items (taken over) as {data, meta: {page, per_page, total,
** total_pages}} with a Link header (next, prev), cacheable by anyone;
** last_modified > 0 adds Last-Modified. */
void api_send_list(ctx *c, cJSON *items, long page, long per_page, long total,
                   long long last_modified);

/* Reads route parameter i as an article id into *id. Returns 0, or -1
** after answering 400. */
int api_param_id(ctx *c, int i, long *id);

/* Parses the request body as a JSON object into *out (the caller deletes
** it). Answers 415 when the body is not application/json, 413 when it is
** over 64 KiB and 400 when it is not a JSON object; returns 0, or -1 when
** answered. */
int api_json_body(ctx *c, cJSON **out);

/* Answers status with doc as JSON for this reader only (no-store). */
void api_send_private(ctx *c, int status, const cJSON *doc);

/* Answers 400 naming the parameter and why; returns -1. */
int api_bad_param(ctx *c, const char *name, const char *reason);

/* Returns 1 when origin may write through the API (or post forms). */
int api_origin_allowed(const ctx *c, const char *origin);

#endif
