/*
** rating.h: "Rate this post" handlers (see rating.c).
*/
#ifndef GAZETTE_RATING_H
#define GAZETTE_RATING_H

#include "app.h"

/* POST /articles/{slug}/rating: a form vote; 303 back to the article. */
int rating_post_form(ctx *c);

/* GET /api/v1/articles/{id}/rating: the figures and the reader's vote. */
int rating_get_api(ctx *c);

/* POST /api/v1/articles/{id}/rating with {"stars": n}. */
int rating_post_api(ctx *c);

#endif
