/*
** pages.h: the handlers of the reader's pages. Dispatch has applied the
** route's policy; each handler reads its parameters through the request
** helpers, asks the store for its document and hands it to the view, and
** returns the status it answered with.
*/
#ifndef GAZETTE_PAGES_H
#define GAZETTE_PAGES_H

#include "app.h"
#include "store.h"
#include "view.h"

/* GET / : the latest articles, ?page=N. */
int page_home(ctx *c);

/* GET /category/{slug}, /category/{top}/{rest:path} : a category's
** articles, ?page=N, with its breadcrumbs and subsections. */
int page_category(ctx *c);

/* GET /tag/{slug} : a tag's articles, ?page=N. */
int page_tag(ctx *c);

/* GET /author/{username} : an author's articles, ?page=N. */
int page_author(ctx *c);

/* GET /search?q=WORDS : the articles holding every word, ?page=N. */
int page_search(ctx *c);

/* GET /page/{slug} : a published static page. */
int page_static(ctx *c);

/* GET /articles/{slug} : one article. */
int page_article(ctx *c);

/* Answers a reader's GET of an old address of the site (legacy_paths:
** a WordPress permalink, say) with 301 to the address of what it became,
** or 404 when there is none. An old feed's address (/feed/, /feed/atom/,
** /category/a/feed/ and the like, WordPress's) answers 301 to the feed of
** what it became: the site's, a section's, a tag's, an author's, an
** article's comments'. path is the request's decoded path (a trailing
** slash is ignored). Returns the status answered. */
int legacy_redirect(ctx *c, const char *path);

/* On the home page, an old address by query (?p=ID, ?page_id=ID or
** ?cat=ID, WordPress's plain links, with or without ?feed=rss2 or
** ?feed=atom, or ?feed= alone for the site's feed): answers 301 or 404 as
** legacy_redirect and returns the status; 0 when the query has none. */
int legacy_query_or_reply(ctx *c);

/* Renders the article page for slug with status. form (taken over; may
** be NULL) is the reply form's state after a failed post: {values: {name,
** email, body}, errors: [{field, message}], parent}. visitor (may be NULL)
** adds that visitor's held comments. Only a plain 200 page may be kept by
** shared caches. Returns the status answered. */
int article_page(ctx *c, const char *slug, int status, cJSON *form, const char *visitor);

/* Answers a listing page rendered with template name: the articles
** chosen by l (l->page set; per_page is the site's) added to doc as
** "articles" (the home page's first page leads with its newest as
** "lead"), pagination over base; 404 for a page past the end. doc stays
** the caller's. Returns the status answered. */
int page_list(ctx *c, const char *name, cJSON *doc, listing *l, const char *base,
              const page_meta *meta);

/* Reads ?page=N (1 by default) into *page. Returns 0, or 400 when it is
** not a number from 1 to 100000. */
int page_number(ctx *c, long *page);

#endif
