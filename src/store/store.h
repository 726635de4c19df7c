/*
** store.h: the reader-facing queries. Each function builds the cJSON
** document that both the page (through its template) and the JSON API
** serve, so there is one code path for the data.
**
** Every store function returns a store result: STORE_OK (0) when done or
** found, STORE_ERROR (-1) on a database error (already logged, once, by
** db_step), or one of the named refusals below. Only published articles
** whose time has come are visible (store_sql.h says so once).
*/
#ifndef GAZETTE_STORE_H
#define GAZETTE_STORE_H

#include <cjson/cJSON.h>

#include "app.h"

/* The results of the store's functions. */
enum {
  STORE_OK = 0,
  STORE_ERROR = -1,
  STORE_NOT_FOUND = 1,  /* no such thing, or not visible to readers */
  STORE_TAKEN,          /* a slug or name that must be unique is in use */
  STORE_LIMIT,          /* a guard's limit: too many, or too soon */
  STORE_BAD_PARENT,     /* a reply to a comment that cannot take one */
  STORE_TOO_DEEP,       /* a reply nested deeper than the site allows */
  STORE_IN_USE,         /* still used: a category with articles */
  STORE_LAST_ADMIN,     /* the site would be left without an active admin */
};

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
** updated_at, canonical_url, tags, author bio and related articles. */
int article_load(ctx *c, const char *slug, long id, cJSON **out);

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
  const char *q;          /* words to find (see article_search) */
  long long since;        /* published after (Unix time) */
  long long updated_since;
  long page, per_page;
  long total;             /* filled: matching articles in all */
  long long last_modified; /* filled: newest change among those listed */
} article_filter;

/* Appends to out the cards of the visible articles that match f, newest
** first (best matches first when f->q is given), each with its
** updated_at; fills f->total and f->last_modified. Returns 0 or -1. */
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

enum { COMMENT_THREADS_PER_PAGE = 50 };

/* Appends page (1-based) of the approved comments of article id to out as
** thread trees, oldest first: COMMENT_THREADS_PER_PAGE top-level comments
** with all their replies, each {id, parent_id, author_name, created_at,
** date_display, body, body_html, status, pending, replies}. When visitor
** is given, that visitor's own held comments are included (pending true).
** Sets *more when a later page has threads. Returns 0 or -1. */
int comment_tree(ctx *c, long article_id, const char *visitor, long page,
                 cJSON *out, int *more);

/* Appends one page of article id's approved comments, oldest first, as a
** flat list (each with parent_id) and sets *total. Returns 0 or -1. */
int comment_page(ctx *c, long article_id, long page, long per_page, cJSON *out,
                 long *total);

/* Appends visitor's held comments on article id. Returns 0 or -1. */
int comment_mine(ctx *c, long article_id, const char *visitor, cJSON *out);

/* A new comment, already checked for length and form. */
typedef struct comment_input {
  const char *name, *email, *body;
  long parent;                  /* 0: none */
  const char *visitor;          /* visitor id, or NULL */
  unsigned char ip_hash[16];
} comment_input;

/* Adds the comment to article id in one transaction, held for moderation
** when the site holds every comment, when the email has no approved
** comment yet (WordPress's default), or when it has more than two links; approved comments
** count on the article at once. Returns STORE_OK with the comment in *out,
** STORE_NOT_FOUND (the article is not visible), STORE_BAD_PARENT (parent
** unknown, not approved or elsewhere), STORE_TOO_DEEP, STORE_LIMIT (too
** soon after the last, or too many: *retry seconds), or STORE_ERROR;
** nothing is written unless STORE_OK. */
int comment_insert(ctx *c, long article_id, const comment_input *in,
                   cJSON **out, long *retry);

/* Sets comment id's status ("approved", "pending", "spam", "trash"), or
** deletes it (and its replies) when status is NULL, keeping the article's
** comment count. Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int comment_moderate(db *d, long id, const char *status);

/* comment_moderate's change, as a step of the caller's transaction. */
int comment_change_tx(db *d, long id, const char *status);

/* Appends one page of the visible articles matching the reader's words q
** (every word, in the title, summary or text; best matches first) to out
** as cards and sets *total. Words are quoted, so nothing in q is search
** syntax. Returns 0 or -1. */
int article_search(ctx *c, const char *q, long page, long per_page, cJSON *out,
                   long *total);

/* Appends the newest max visible articles (of category_id, or all when 0)
** to out as cards with updated_at, absolute_url and body_html, for a
** feed. Returns 0 or -1. */
int article_feed(ctx *c, long category_id, int max, cJSON *out);

/* Loads article id whatever its status, as article_load builds it (with
** empty related and comments), for the newsroom's preview; an article
** not yet published shows today's date. Returns 0, 1, -1. */
int article_preview(ctx *c, long id, cJSON **out);

/* Appends to url the current address of the visible article that was
** once at old_slug (its slug changed after publication). Returns 0, 1
** when there is none, -1. */
int article_redirect(ctx *c, const char *old_slug, buf *url);

/* Sets *id to the visible article with this slug. Returns 0, 1, -1. */
int article_id_by_slug(ctx *c, const char *slug, long *id);

/* One reader's vote. */
typedef struct vote {
  const char *voter;             /* visitor id */
  unsigned char ip_hash[16];     /* keyed hash of the address */
  int stars;                     /* 1..5 */
} vote;

/* Builds {article_id, average, average_display, count, count_display,
** stars, your_vote} for article id as voter (may be NULL) sees it. */
int rating_get(ctx *c, long id, const char *voter, cJSON **out);

/* Records v on article id in one transaction with the article's counters:
** a first vote adds one, a second vote by the same voter changes it.
** Returns STORE_OK with the new rating document in *out, STORE_NOT_FOUND
** when the article is not visible, STORE_LIMIT when the address has
** reached its daily cap of distinct votes on this article, or STORE_ERROR;
** nothing is written unless STORE_OK. */
int rating_cast(ctx *c, long id, const vote *v, cJSON **out);

/* Appends to out the site URL of a thing: prefix ("/articles/") followed by
** the percent-encoded slug. */
void store_url(buf *out, const char *prefix, const char *slug);

#endif
