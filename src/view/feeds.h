/*
** feeds.h: what the feeds are made of (Atom, RSS 2.0 and JSON Feed 1.1,
** one model for all three): the addresses of a page's feeds, the ids of
** their entries, the entries as the templates read them, and the JSON
** Feed document.
**
** A feed's model is {feed: {title, subtitle, home, self, updated (ISO),
** updated_http, lang, category_scheme, tag_scheme, logo, icon}, entries:
** [entry]}. An entry is {id (a tag: URI), title, url, published_at,
** published_http, updated_at, lang, author {name, url}, summary,
** body_html} and, for an article, category {slug, name}, tags [{slug,
** name}], comments_url and enclosure {url, type, length} (its featured
** picture, when it has one). Addresses are absolute.
*/
#ifndef GAZETTE_FEEDS_H
#define GAZETTE_FEEDS_H

#include <cjson/cJSON.h>
#include <time.h>

#include "app.h"
#include "view.h"

/* The feed formats, each the file name a feed ends with. */
typedef enum { FEEDS_ATOM, FEEDS_RSS, FEEDS_JSON } feeds_format;

/* Returns the file name of a feed of format ("feed.xml", "feed.rss",
** "feed.json") and its media type. */
const char *feeds_file(feeds_format f);
const char *feeds_type(feeds_format f);

/* Returns the feeds a page advertises in its head, [{type, title, href}]:
** its own first (a listing's, an article's comments), then the site's. */
cJSON *feeds_links(const app *a, const page_meta *meta);

/* Appends the tag: URI (RFC 4151) of thing ("article-12") created at t:
** "tag:HOST,YYYY-MM-DD:article-12", HOST the site's. It stays the same
** whatever address the thing moves to. */
void feeds_tag_uri(const app *a, const char *thing, time_t t, buf *out);

/* Turns the feed's article records (cards with created_at, body_html and
** tags) into entries. */
void feeds_articles(const app *a, cJSON *entries);

/* Appends the title of the comments feed of the article titled title
** (the interface's "feed_comments_title"). */
void feeds_comments_title(const app *a, const char *title, buf *out);

/* Turns the comment records of the article (presented, with its absolute
** canonical_url) into entries, each titled with its author's name (the
** interface's "feed_comment_title"). */
void feeds_comments(const app *a, cJSON *entries, const cJSON *article);

/* Returns the feed model doc as a JSON Feed 1.1 document. */
cJSON *feeds_json(const cJSON *doc);

#endif
