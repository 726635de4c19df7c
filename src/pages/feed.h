/*
** feed.h: the feeds, each in three formats: Atom (feed.xml), RSS 2.0
** (feed.rss) and JSON Feed 1.1 (feed.json); the route's pattern names the
** format. Entries are full articles (or comments), feed_entries at most.
*/
#ifndef GAZETTE_FEED_H
#define GAZETTE_FEED_H

#include "app.h"

/* GET /feed.{xml,rss,json} : the newest articles of the whole site. */
int feed_site(ctx *c);

/* GET /category/{slug}/feed.{xml,rss,json} : one category's newest. */
int feed_category(ctx *c);

/* GET /tag/{slug}/feed.{xml,rss,json} : one tag's newest. */
int feed_tag(ctx *c);

/* GET /author/{username}/feed.{xml,rss,json} : one author's newest. */
int feed_author(ctx *c);

/* GET /articles/{slug}/comments/feed.{xml,rss,json} : an article's newest
** approved comments. */
int feed_comments(ctx *c);

#endif
