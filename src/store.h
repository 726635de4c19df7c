/*
** store.h: the reader-facing queries. Each function builds the cJSON
** document that both the page (through its template) and the JSON API
** serve, so there is one code path for the data.
**
** Return convention for the loaders: 0 found, 1 not found, -1 database
** error (logged). Only published articles whose time has come are visible.
*/
#ifndef GAZETTE_STORE_H
#define GAZETTE_STORE_H

#include <cjson/cJSON.h>

#include "app.h"

/* A page of a listing: which articles, and how many exist in all. */
typedef struct listing {
  long category_id;   /* 0: any */
  long author_id;     /* 0: any */
  long tag_id;        /* 0: any */
  long page;          /* 1-based */
  long per_page;
  long total;         /* filled: visible articles matching */
} listing;

/* Appends to the array out the cards of the visible articles that match l
** (newest first) and sets l->total. Returns 0 or -1. */
int article_list(ctx *c, listing *l, cJSON *out);

/* Loads the visible article with this slug (or, when slug is NULL, this
** id) as a full article object: the card fields plus body_html,
** updated_at, canonical_url, tags, author bio, related articles and, when
** with_comments is set, the approved comments in threads. */
int article_load(ctx *c, const char *slug, long id, int with_comments,
                 cJSON **out);

/* Appends to out the cards of up to max visible articles related to
** article id (sharing tags first, then the same category; newest first;
** never the article itself). Returns 0 or -1. */
int article_related(ctx *c, long id, long category_id, int max, cJSON *out);

/* Builds the rating object {average, average_display, count, stars}. */
cJSON *rating_summary(const ctx *c, long count, long sum);

/* The filters of the API's article list; NULL or 0 means "any". */
typedef struct article_filter {
  const char *category;   /* category slug */
  const char *tag;        /* tag slug */
  const char *lang;       /* "en", "ar", ... */
  const char *author;     /* username */
  long long since;        /* published after (Unix time) */
  long long updated_since;
  long page, per_page;
  long total;             /* filled: matching articles in all */
  long long last_modified; /* filled: newest change among those listed */
} article_filter;

/* Appends to out the cards of the visible articles that match f, newest
** first, each with its updated_at; fills f->total and f->last_modified.
** Returns 0 or -1. */
int article_filtered(ctx *c, article_filter *f, cJSON *out);

/* What a taxonomy list holds. */
typedef enum { TAXON_CATEGORIES, TAXON_TAGS, TAXON_AUTHORS } taxon;

/* Appends one page of categories, tags or authors (with article_count,
** the visible articles in each) to out and sets *total. Authors are those
** with at least one visible article. Returns 0 or -1. */
int taxon_list(ctx *c, taxon kind, long page, long per_page, cJSON *out,
               long *total);

/* Returns the newest change (Unix time) among the visible articles, 0 when
** there are none, -1 on error. */
long long article_last_change(ctx *c);

/* Loads the category with this slug as {id, slug, name, description,
** url}. */
int category_load(ctx *c, const char *slug, cJSON **out);

/* Appends every category as {name, url, slug, current} to out, marking
** current_slug (may be NULL). Returns 0 or -1. */
int category_nav(ctx *c, const char *current_slug, cJSON *out);

/* Loads the author (user) with this username as {id, username, name, bio,
** url}. */
int author_load(ctx *c, const char *username, cJSON **out);

/* Loads the tag with this slug as {id, slug, name, url}. */
int tag_load(ctx *c, const char *slug, cJSON **out);

/* Appends the approved comments of article id to out as a thread tree:
** each {id, parent_id, author_name, created_at, date_display, body,
** replies}. Returns 0 or -1. */
int comment_tree(ctx *c, long article_id, cJSON *out);

/* Appends to out the site URL of a thing: prefix ("/articles/") followed by
** the percent-encoded slug. */
void store_url(buf *out, const char *prefix, const char *slug);

#endif
