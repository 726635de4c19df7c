/*
** store.h: what readers see, as stored. Each function takes the
** connection, the time (what is visible depends on it) and the values it
** needs, and returns plain data as cJSON records: numbers for ids, counts
** and times (Unix seconds), text as stored, and no display text or
** address: the presenters (present.h for pages, api.c for apps) turn the
** same records into a page's model and an API document.
**
** Every store function returns a store result: STORE_OK (0) when done or
** found, STORE_ERROR (-1) on a database error (already logged, once, by
** db_step), or one of the named refusals below. What readers may see is
** defined once, in store_sql.h.
*/
#ifndef GAZETTE_STORE_H
#define GAZETTE_STORE_H

#include <cjson/cJSON.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "writer.h"

/* The results of the store's functions. */
enum {
  STORE_OK = 0,
  STORE_ERROR = -1,
  STORE_NOT_FOUND = 1,  /* no such thing, or not visible to readers */
  STORE_TAKEN,          /* a slug or name that must be unique is in use */
  STORE_LIMIT,          /* a guard's limit: too many, or too soon */
  STORE_BAD_PARENT,     /* a reply to a comment that cannot take one; a
                        ** section that cannot hold a category */
  STORE_TOO_DEEP,       /* a reply nested deeper than the site allows */
  STORE_IN_USE,         /* still used: a category with articles */
  STORE_LAST_ADMIN,     /* the site would be left without an active admin */
  STORE_CONFLICT,       /* changed by someone else since it was read */
  STORE_CLOSED,         /* no longer takes them: an article's comments */
};

/* ---- articles ------------------------------------------------------------
** A card record is {id, slug, title, summary, lang, dir, published_at,
** updated_at, created_at, featured, comment_count, rating_count,
** rating_sum, category: {id, slug, name}, author: {username, name}, image:
** the featured picture's record (store_media.h) or null}. A full article
** adds body_html, author.bio, author.image (the avatar's record or null),
** authors: [{username, name}] (the byline's author first), tags: [{slug,
** name}], related: [cards], revised_at (the change readers are told of)
** and comments_closed. */

/* A page of a listing: which articles, and how many exist in all. */
typedef struct listing {
  long category_id;   /* 0: any */
  long author_id;     /* 0: any */
  long tag_id;        /* 0: any */
  long page;          /* 1-based */
  long per_page;
  long total;         /* filled: visible articles matching */
} listing;

/* Appends the cards of the visible articles that match l (newest first)
** to out and sets l->total. */
int article_list(db *d, time_t now, listing *l, cJSON *out);

/* Appends the card of the newest featured article visible at now to out,
** when there is one. */
int article_featured(db *d, time_t now, cJSON *out);

/* Loads the visible article with this slug (or, when slug is NULL, this
** id) as a full article with up to 5 related articles. Returns STORE_OK
** or STORE_NOT_FOUND. */
int article_load(db *d, time_t now, const char *slug, long id, cJSON **out);

/* Loads article id whatever its status, as a full article with no related
** articles, for the newsroom's preview; one not yet published carries now
** as its publication time. Returns STORE_OK or STORE_NOT_FOUND. */
int article_preview(db *d, time_t now, long id, cJSON **out);

/* Appends to out the cards of up to max visible articles related to
** article id (sharing tags first, then the same category; newest first;
** never the article itself). */
int article_related(db *d, time_t now, long id, long category_id, int max, cJSON *out);

/* The filters of the API's article list; NULL or 0 means "any". */
typedef struct article_filter {
  const char *category;   /* category slug */
  const char *tag;        /* tag slug */
  const char *lang;       /* a language code */
  const char *author;     /* username */
  const char *q;          /* words to find (see article_search) */
  long long since;        /* published after (Unix time) */
  long long updated_since;
  long page, per_page;
  long total;             /* filled: matching articles in all, or at least */
  int total_exact;        /* filled: 0 when total is only a lower bound */
  long long last_modified; /* filled: newest change among those listed */
} article_filter;

/* Appends the cards of the visible articles that match f to out, newest
** first (best matches first when f->q is given); fills f->total,
** f->total_exact and f->last_modified. A list filtered by more than one
** thing is counted only to a thousand past the page asked for. */
int article_filtered(db *d, time_t now, article_filter *f, cJSON *out);

/* Appends to match the FTS5 query for the reader's words in q: each word
** quoted (so that no character of q is FTS5 syntax), all required; a word
** given twice (ASCII letters in either case) counts once, and words past
** SEARCH_MAX_WORDS distinct ones are left out (each word of a query is one
** more list of places to merge for every match ranked). Returns the
** number of words. */
enum { SEARCH_MAX_WORDS = 16 };
int search_match(const char *q, buf *match);

/* Appends one page of the visible articles holding every word of q (in
** the title, summary or text; best matches first) to out as cards and
** sets *total. Words are quoted, so nothing in q is search syntax. */
int article_search(db *d, time_t now, const char *q, long page, long per_page, cJSON *out,
                   long *total);

/* Appends the newest max visible articles that match l (its category,
** tag or author; all when none is set; page and per_page are not read) to
** out as cards with body_html and tags [{slug, name}], for a feed. */
int article_feed(db *d, time_t now, const listing *l, int max, cJSON *out);

/* Appends to slug the current slug of the visible article once at
** old_slug. Returns STORE_OK or STORE_NOT_FOUND. */
int article_redirect(db *d, time_t now, const char *old_slug, buf *slug);

/* Sets *id to the visible article with this slug. Returns STORE_OK or
** STORE_NOT_FOUND. */
int article_id_by_slug(db *d, time_t now, const char *slug, long *id);

/* Sets *t to the time of the next publication after now (a scheduled
** article's), 0 when none is coming. */
int article_next_publication(db *d, time_t now, long long *t);

/* Sets *t to the newest change (Unix time) among the visible articles, 0
** when there are none. */
int article_last_change(db *d, time_t now, long long *t);

/* Sets *n to the number of articles visible at now. */
int article_count_visible(db *d, time_t now, long *n);

/* ---- categories, tags, authors --------------------------------------- */

/* What a taxonomy list holds. */
typedef enum { TAXON_CATEGORIES, TAXON_TAGS, TAXON_AUTHORS } taxon;

/* Appends one page of categories, tags or authors to out as {id, slug (or
** username), name, description (categories) or bio and image (the avatar's
** picture record or null: authors), article_count (the visible articles in
** each)} and sets *total; a category also has parent_id (null for a
** section at the top) and path. Only those with at least one article
** visible at now are listed (a section, in it or under it); authors with
** one are, disabled accounts included (their bylines lead to their page).
*/
int taxon_list(db *d, time_t now, taxon kind, long page, long per_page, cJSON *out,
               long *total);

/* Sets *n to the number of categories, tags or authors taxon_list lists
** at now. A tag's or author's count reads a kept total and the few whose
** first article is still to come. */
int taxon_count(db *d, time_t now, taxon kind, long *n);

/* How deep sections nest: a section, its subsections, theirs... */
enum { CATEGORY_MAX_DEPTH = 8 };

/* The loaders below find only a category, author or tag that holds an
** article visible at now (a section: in it or in a category under it);
** any other is STORE_NOT_FOUND, as if it did not exist (its name is not
** public yet). */

/* Loads the category with this slug as {id, slug, name, description,
** parent_id (null at the top), path (its slug after its parents', from
** the top, joined by '/')}. */
int category_load(db *d, time_t now, const char *slug, cJSON **out);

/* Appends to out category id and the sections above it, the top one
** first, each {slug, name, path}. */
int category_trail(db *d, long id, cJSON *out);

/* Appends to out the subsections of category id that hold an article
** visible at now (in them or under them), in the navigation's order, each
** {slug, name, path}. */
int category_children(db *d, time_t now, long id, cJSON *out);

/* Loads the author with this username as {id, username, name, bio, image
** (the avatar's picture record, or null)}: an account with an article
** visible at now, disabled or not. */
int author_load(db *d, time_t now, const char *username, cJSON **out);

/* Loads the tag with this slug as {id, slug, name}. */
int tag_load(db *d, time_t now, const char *slug, cJSON **out);

/* Appends the sections at the top that hold an article visible at now (in
** them or under them) to out, in the navigation's order, as {id, slug,
** name, path, children: [{slug, name, path}]} with such subsections (one
** level down). */
int category_nav(db *d, time_t now, cJSON *out);

/* ---- sitemaps -----------------------------------------------------------
** Sitemaps are written while their rows are read, never gathered first:
** each function calls fn for every row (whose strings live only during
** the call) and stops early when fn returns non-zero, which it returns.
** The queries read an index in its own order, so that no sort holds the
** rows in memory. */

/* One article as a sitemap names it: its address, its times and, for
** Google News, its title and language. lastmod is the later of its last
** edit and its publication. */
typedef struct sitemap_article {
  long id;
  const char *slug, *title, *lang;
  long long published_at, lastmod;
  const char *image;   /* the file of its featured picture's largest JPEG
                       ** in the media folder, or NULL: none */
} sitemap_article;
typedef int (*sitemap_article_fn)(void *ud, const sitemap_article *a);

/* One month (UTC) of the visible articles: how many, and the newest
** change among them. */
typedef struct sitemap_month {
  int year, month;   /* 2026, 1..12 */
  long count;
  long long lastmod;
} sitemap_month;
typedef int (*sitemap_month_fn)(void *ud, const sitemap_month *m);

/* A category, tag or author with visible articles: its slug (an author's
** username, a category's path) and its newest publication; or a
** published static page: its slug and its last change. */
typedef struct sitemap_taxon {
  const char *slug;
  long long lastmod;
} sitemap_taxon;
typedef int (*sitemap_taxon_fn)(void *ud, const sitemap_taxon *t);

/* Calls fn for each month with visible articles, newest first. */
int sitemap_months(db *d, time_t now, sitemap_month_fn fn, void *ud);

/* Calls fn for the visible articles published in [from, to), newest
** first (then by id), after skipping skip of them, max at most. */
int sitemap_articles(db *d, time_t now, long long from, long long to, long skip, long max,
                     sitemap_article_fn fn, void *ud);

/* Sets *n to the number of categories, tags or authors sitemap_taxa
** walks, and *newest to the newest publication among the visible
** articles (0 when none). Cheap: each is found by its first visible
** article. */
int sitemap_taxa_count(db *d, time_t now, taxon kind, long *n, long long *newest);

/* Calls fn for the categories (in the navigation's order), tags (by name)
** or authors (by username) that have visible articles, after skipping
** skip of them, max at most; an author's account may be disabled (an
** imported author's, say: their page shows while they have articles). */
int sitemap_taxa(db *d, time_t now, taxon kind, long skip, long max, sitemap_taxon_fn fn,
                 void *ud);

/* Calls fn for the published static pages, in the footer's order, after
** skipping skip of them, max at most. */
int sitemap_pages(db *d, long skip, long max, sitemap_taxon_fn fn, void *ud);

/* Sets *n to the number of published static pages and *newest to their
** newest change (0 when none). */
int sitemap_pages_count(db *d, long *n, long long *newest);

/* ---- comments ---------------------------------------------------------
** A comment record is {id, parent_id (or null), author_name, created_at,
** body, held (true while it waits for a moderator)}; in a tree each has
** its replies. */

enum { COMMENT_THREADS_PER_PAGE = 50 };

/* Sets *closed when the newsroom closed article_id's comments. Returns
** STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int comment_closed(db *d, long article_id, int *closed);

/* Appends page (1-based) of the approved comments of article id to out as
** thread trees, oldest first: COMMENT_THREADS_PER_PAGE top-level comments
** with all their replies. When visitor is given, that visitor's own held
** comments are included. Sets *more when a later page has threads. */
int comment_tree(db *d, long article_id, const char *visitor, long page, cJSON *out,
                 int *more);

/* Appends one page of article id's approved comments, oldest first, as a
** flat list and sets *total (the article's kept count). A page past the
** middle is read from the newest end, placed by that kept count (which
** every write keeps in its transaction and `gazette check` verifies), so
** the last page of a long thread costs what the first does. */
int comment_page(db *d, long article_id, long page, long per_page, cJSON *out, long *total);

/* Appends the newest max approved comments of article id to out, newest
** first, as flat records (for the article's comments feed). */
int comment_feed(db *d, long article_id, int max, cJSON *out);

/* Appends visitor's held comments on article id. */
int comment_mine(db *d, long article_id, const char *visitor, cJSON *out);

/* A new comment, already checked for length and form. */
typedef struct comment_input {
  const char *name, *email, *body;
  long parent;                  /* 0: none */
  const char *visitor;          /* visitor id, or NULL */
  unsigned char ip_hash[16];
} comment_input;

/* The site's rules for new comments (its settings). */
typedef struct comment_rules {
  int hold_all;        /* hold every comment for moderation */
  int flood_seconds;   /* between two comments from one address */
  int flood_hourly;    /* comments from one address in an hour */
  int max_depth;       /* replies nest this deep at most */
} comment_rules;

/* Adds the comment to article id at now in one transaction (a batch of
** the writer w, or of its own when w is NULL), held for
** moderation when the rules hold every comment, when the email has no
** approved comment yet (WordPress's default), or when it has more than
** two links; approved comments count on the article at once. Returns
** STORE_OK with the comment record in *out, STORE_NOT_FOUND (the article
** is not visible), STORE_BAD_PARENT (parent unknown, not approved or
** elsewhere), STORE_TOO_DEEP, STORE_LIMIT (too soon after the last, or too
** many: *retry seconds), or STORE_ERROR; nothing is written unless
** STORE_OK. */
int comment_insert(db *d, writer *w, time_t now, const comment_rules *rules, long article_id,
                   const comment_input *in, cJSON **out, long *retry);

/* Sets comment id's status ("approved", "pending", "spam", "trash"), or
** deletes it (and its replies) when status is NULL, keeping the article's
** comment count. Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int comment_moderate(db *d, long id, const char *status);

/* comment_moderate's change, as a step of the caller's transaction. */
int comment_change_tx(db *d, long id, const char *status);

/* ---- the addresses of an old site ------------------------------------ */

/* What an old address (legacy_paths) leads to. */
typedef enum {
  LEGACY_ARTICLE, LEGACY_PAGE, LEGACY_CATEGORY, LEGACY_TAG, LEGACY_AUTHOR
} legacy_kind;

/* Looks up the old address path (decoded, with no trailing slash, or
** "/?p=ID") in one indexed read, with its target as readers may see it at
** now: sets *kind and appends to key the article's or page's slug, the
** category's path, the tag's slug or the author's username. Returns
** STORE_OK, or STORE_NOT_FOUND when the address is unknown or its target
** is gone or hidden (a draft, a scheduled article). */
int legacy_find(db *d, time_t now, const char *path, legacy_kind *kind, buf *key);

/* ---- ratings ----------------------------------------------------------
** A rating record is {article_id, count, sum, your_vote (or null)}. */

/* One reader's vote. */
typedef struct vote {
  const char *voter;             /* visitor id */
  unsigned char ip_hash[16];     /* keyed hash of the address */
  int stars;                     /* 1..5 */
} vote;

/* Loads the rating of visible article id as voter (may be NULL) sees it.
** Returns STORE_OK or STORE_NOT_FOUND. */
int rating_get(db *d, time_t now, long id, const char *voter, cJSON **out);

/* Records v on article id with the article's counters, in one transaction
** (a batch of the writer w, or of its own when w is NULL):
** a first vote adds one, a second vote by the same voter changes it; an
** address may add at most ip_cap new voters to one article a day.
** Returns STORE_OK with the new rating record in *out, STORE_NOT_FOUND
** when the article is not visible, STORE_LIMIT when the address has
** reached its cap, or STORE_ERROR; nothing is written unless STORE_OK. */
int rating_cast(db *d, writer *w, time_t now, int ip_cap, long id, const vote *v,
                cJSON **out);

#endif
