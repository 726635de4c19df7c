/*
** feed.h: Atom feeds (see feed.c).
*/
#ifndef GAZETTE_FEED_H
#define GAZETTE_FEED_H

#include "app.h"

/* GET /feed.xml : the newest articles of the whole site. */
int feed_site(ctx *c);

/* GET /category/{slug}/feed.xml : the newest articles of one category. */
int feed_category(ctx *c);

#endif
