/*
** view.h: turns a handler's cJSON document into an HTML page through its
** template, or into an error answer.
*/
#ifndef GAZETTE_VIEW_H
#define GAZETTE_VIEW_H

#include <cjson/cJSON.h>

#include "app.h"

/* What a page says about itself, for the layout: its title and
** description, and what search engines, social networks and feed readers
** are told of it (docs/seo.md). */
typedef struct page_meta {
  const char *kind;         /* "home", "category", "article", "search", "error" */
  const char *title;        /* for <title>; the site name is added */
  const char *description;  /* meta description; NULL: the tagline */
  const char *nav_current;  /* path of the category to mark in the nav, or NULL */
  const cJSON *article;     /* the presented article a reader's page shows
                            ** (its cards and structured data), or NULL */
  const cJSON *subject;     /* the presented category, tag or author a
                            ** listing shows (its feeds), or NULL */
  const char *subject_kind; /* "category", "tag" or "author" */
  int noindex;              /* ask search engines not to index the page */
  const char *canonical;    /* the page's own path when it is answered at
                            ** another (a form posted back), or NULL */
} page_meta;

/* Renders template name over doc, after adding what every page has (site,
** t, nav, footer_pages, page, year), into c->res as text/html with status. page holds
** the title, description and canonical address (a listing's later page is
** its own, from doc's pagination), its feeds, prev and next (from the
** pagination), noindex, the Open Graph and Twitter card tags (og, twitter)
** and the structured data (jsonld, JSON escaped for a script element).
** doc stays the caller's. Returns status, or 500 when it could not be
** rendered. */
int view_page(ctx *c, const char *name, cJSON *doc, const page_meta *meta, int status);

/* Renders template name over doc (as it is: nothing added) into c->res
** as content_type with status. Returns status; on a template error logs
** it and answers a plain-text 500 (not the error page, whose template may
** be the broken one), returning 500. */
int view_render(ctx *c, const char *name, const cJSON *doc, const char *content_type,
                int status);

/* Answers status with doc serialized as JSON of content_type; returns
** status. */
int view_json(ctx *c, int status, const char *content_type, const cJSON *doc);

/* Answers with status and an error page: HTML for pages, an RFC 9457
** application/problem+json object for the API. detail may be NULL (the
** standard text for status is used). Returns status. */
int view_error(ctx *c, int status, const char *detail);

/* Answers status as an RFC 9457 application/problem+json object {type,
** title, status, detail}; when param is given, adds invalid_params:
** [{name: param, reason}]. Returns status. */
int view_problem(ctx *c, int status, const char *detail, const char *param,
                 const char *reason);

/* Adds to doc the breadcrumbs of a page in category_id: "trail", the
** sections from the top down to that one, each {slug, name, path, url},
** the last marked current when here is set (the page is the section's
** own), and has_trail. Returns 0 or -1. */
int view_trail(ctx *c, cJSON *doc, long category_id, int here);

/* Tags the answer with each card of the array (article-N): it was built
** from them, and changes when they do. */
void view_tag_cards(ctx *c, const cJSON *cards);

/* Adds {page, total_pages, url, prev_url, next_url} as "pagination" to doc
** for a listing at base_path (which may hold a query already); url is the
** page's own address. */
void view_pagination(cJSON *doc, const char *base_path, long page,
                     long total_items, long per_page);

#endif
