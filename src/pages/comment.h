/*
** comment.h: "Leave a reply" handlers (see comment.c).
*/
#ifndef GAZETTE_COMMENT_H
#define GAZETTE_COMMENT_H

#include "app.h"

/* POST /articles/{slug}/comments: the reply form. */
int comment_post_form(ctx *c);

/* GET /api/v1/articles/{id}/comments: approved comments, oldest first. */
int comment_list_api(ctx *c);

/* GET /api/v1/articles/{id}/comments/mine: this reader's held comments. */
int comment_mine_api(ctx *c);

/* POST /api/v1/articles/{id}/comments with {name, email, body, parent_id}. */
int comment_post_api(ctx *c);

#endif
