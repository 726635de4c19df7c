/*
** comment.h: "Leave a reply" handlers (see comment.c).
*/
#ifndef GAZETTE_COMMENT_H
#define GAZETTE_COMMENT_H

#include "app.h"

/* POST /articles/{slug}/comments: the reply form. */
void comment_post_form(ctx *c);

/* GET /api/v1/articles/{id}/comments: approved comments, oldest first. */
void comment_list_api(ctx *c);

/* GET /api/v1/articles/{id}/comments/mine: this reader's held comments. */
void comment_mine_api(ctx *c);

/* POST /api/v1/articles/{id}/comments with {name, email, body, parent_id}. */
void comment_post_api(ctx *c);

#endif
