/*
** social.h: what a page shows social networks and link previews: the
** picture to share it by, its Open Graph properties and its Twitter
** (X) card (docs/seo.md).
*/
#ifndef GAZETTE_SOCIAL_H
#define GAZETTE_SOCIAL_H

#include <cjson/cJSON.h>

#include "app.h"
#include "view.h"

/* Returns the picture to share an article by, as a new object {url
** (absolute), width, height, alt, type, length, featured (bool), sizes:
** [{url, width, height}] (the sizes there are, largest first; at least
** the picture itself)}: the article's featured picture when its record has
** one (an "image" member: a library picture, picture.h, or a presented one
** that kept its files, or {url (a site path or absolute), width, height,
** alt, type, length, sizes}), else the site's default share image
** (featured false); NULL when there is neither. article may be NULL (a
** page that shows none). type and length are "" and 0 when unknown. */
cJSON *social_image(const app *a, const cJSON *article);

/* Adds to page the Open Graph properties, "og": [{property, content}],
** and the Twitter card, "twitter": [{name, content}]. page holds the
** page's title, description and canonical address; meta says what it
** shows (for an article, the presented article with its absolute
** canonical_url, ISO times, category, tags and author). */
void social_cards(const app *a, cJSON *page, const page_meta *meta);

#endif
