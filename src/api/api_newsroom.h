/*
** api_newsroom.h: the newsroom's work over the API, /api/v1/newsroom/,
** for apps with a personal API token (tokens.h). The route table gives
** each its least role; the lifecycle has checked the token, its scope and
** the role, and keeps the first answer of a POST sent with an
** Idempotency-Key (idempotency.h), before any of these runs. Within its
** role a token may do exactly what its user may do in the newsroom:
** authors their own drafts (created, changed, submitted), editors and
** admins every article, its publication, categories, tags and comments.
** docs/api.md and docs/openapi.yaml describe every route.
*/
#ifndef GAZETTE_API_NEWSROOM_H
#define GAZETTE_API_NEWSROOM_H

#include "app.h"

/* api_newsroom_site.c: who the token is; categories, tags, comments. */
int api_newsroom_me(ctx *c);
int api_newsroom_category_create(ctx *c);
int api_newsroom_category_update(ctx *c);
int api_newsroom_category_delete(ctx *c);
int api_newsroom_tag_create(ctx *c);
int api_newsroom_tag_update(ctx *c);
int api_newsroom_tag_delete(ctx *c);
int api_newsroom_comments(ctx *c);
int api_newsroom_comment_approve(ctx *c);
int api_newsroom_comment_spam(ctx *c);
int api_newsroom_comment_trash(ctx *c);
int api_newsroom_comment_reply(ctx *c);

/* api_newsroom_articles.c: articles, their status and revisions. */
int api_newsroom_articles(ctx *c);
int api_newsroom_article_create(ctx *c);
int api_newsroom_article(ctx *c);
int api_newsroom_article_update(ctx *c);
int api_newsroom_article_delete(ctx *c);
int api_newsroom_article_submit(ctx *c);
int api_newsroom_article_publish(ctx *c);
int api_newsroom_article_schedule(ctx *c);
int api_newsroom_article_unpublish(ctx *c);
int api_newsroom_revisions(ctx *c);
int api_newsroom_revision_restore(ctx *c);

/* api_newsroom_media.c: pictures, through the newsroom's upload pipeline. */
int api_newsroom_media_upload(ctx *c);
int api_newsroom_media(ctx *c);
int api_newsroom_media_update(ctx *c);

#endif
