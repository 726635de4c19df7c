/*
** api.h: the JSON API for apps, /api/v1: handlers and the API's presenter.
** Its documents are built from the same store records as the pages.
** Helpers whose name ends in _or_reply answer a bad request themselves
** and return its status; 0 means go on.
*/
#ifndef GAZETTE_API_H
#define GAZETTE_API_H

#include "app.h"

/* GET /api/v1/articles: published articles, newest first, with filters
** category, tag, lang, author, since, updated_since and q (words to find:
** then best matches first); page, per_page. */
int api_articles(ctx *c);

/* GET /api/v1/articles/{id} */
int api_article(ctx *c);

/* GET /api/v1/articles/by-slug/{slug} */
int api_article_by_slug(ctx *c);

/* GET /api/v1/media/{id}: a picture readers may see (one an article they
** may read shows, or an author's avatar), as the API's image object. */
int api_media(ctx *c);

/* Turns the picture record at member key of o (null when none) into the
** API's image object: {id, url, width, height, type, alt, caption,
** credit, sizes: [{url, width, height, type, bytes}]}, with absolute URLs;
** url is the default size (a JPEG up to 1024 pixels wide), width and
** height the picture's own. */
void api_image(const ctx *c, cJSON *o, const char *key);

/* GET /api/v1/categories, /api/v1/tags, /api/v1/authors */
int api_categories(ctx *c);
int api_tags(ctx *c);
int api_authors(ctx *c);

/* GET /api/v1/pages: the published static pages, in the footer's order;
** page, per_page. */
int api_pages(ctx *c);

/* GET /api/v1/pages/{slug}: one published page with its body_html. */
int api_page(ctx *c);

/* OPTIONS on any /api/ path: the CORS preflight. Reads are open to every
** origin; writes only to the site's own origin and those allowed by the
** api_origins setting, but for the newsroom's routes (/api/v1/newsroom/,
** whose credential is an API token, never a cookie), open to every origin
** with their methods and headers. allow: the methods the path answers
** (OPTIONS last), given as Allow and as the methods allowed. Returns 204. */
int api_preflight(ctx *c, const char *allow);

/* Returns 1 when the Accept header (absent: anything) admits JSON. */
int api_accepts_json(const ctx *c);

/* Reads page (default 1) and per_page (default def, at most 100). Returns
** 0, or answers 400 naming the bad parameter and returns 400. */
int api_paging_or_reply(ctx *c, long def, long *page, long *per_page);

/* Answers items (taken over) as {data, meta: {page, per_page, total,
** total_pages}} with a Link header (next, prev), readable from any
** origin; last_modified > 0 adds Last-Modified. Returns 200. */
int api_send_list(ctx *c, cJSON *items, long page, long per_page, long total,
                  long long last_modified);

/* The filters the lists of articles read, and the newsroom's lists. */
extern const char *const API_ARTICLE_FILTERS[];
extern const char *const API_STATUS_FILTER[];

/* api_send_list for a list that reads the query parameters filters (NULL
** ended; the Link header's pages carry them, and per_page, as the request
** gave them) and whose total may be only a lower bound: when exact is 0,
** meta says so ("total_exact": false). */
int api_send_filtered(ctx *c, cJSON *items, long page, long per_page, long total, int exact,
                      long long last_modified, const char *const *filters);

/* Parses the request body (dispatch has checked its type and size) as one
** strict JSON object (json_strict.h) into *out (the caller deletes it).
** Returns 0, or answers 400 naming "body" in invalid_params with the
** reason and the byte it was found at, and returns 400. */
int api_json_body_or_reply(ctx *c, cJSON **out);

/* Answers 400 naming the parameter and why; returns 400. */
int api_bad_param(ctx *c, const char *name, const char *reason);

/* Returns 1 when origin may write through the API (or post forms): it is
** the scheme, host and port of the base_url setting, or one of the
** api_origins setting. The Host header is never trusted for this. */
int api_origin_allowed(const ctx *c, const char *origin);

#endif
