/*
** store_api.h: what the API's newsroom routes read besides what the
** newsroom's screens read already (store_admin_article.h,
** store_newsroom.h, store_media.h): an article as an app edits it, the
** comments by status with their article, and a reply written by the
** newsroom. Functions return store results (store.h).
*/
#ifndef GAZETTE_STORE_API_H
#define GAZETTE_STORE_API_H

#include <cjson/cJSON.h>
#include <time.h>

#include "db.h"
#include "store.h"

/* Loads article id whatever its status as {id, slug, title, summary,
** body (Markdown), lang, dir, status, live (readers see it at now),
** featured, category: {id, slug, name}, author: {id, username, name},
** image_id (or null), tags: [names, by name], published_at (or null),
** created_at, updated_at, revision (the newest revision's id, or null)}.
** Returns STORE_OK or STORE_NOT_FOUND. */
int newsroom_article_get(db *d, time_t now, long id, cJSON **out);

/* Appends one page of the comments in status ("pending", "approved",
** "spam", "trash"), newest first, to out, each as newsroom_comment_get
** loads it, and sets *total. */
int newsroom_comments(db *d, const char *status, long page, long per_page, cJSON *out,
                      long *total);

/* Loads comment id as {id, article: {id, slug, title}, parent_id (or
** null), author_name, author_email, body, status, created_at}. Returns
** STORE_OK or STORE_NOT_FOUND. */
int newsroom_comment_get(db *d, long id, cJSON **out);

/* Adds, in one transaction, a reply to comment parent written by user
** (their display name as its author's name), approved at once, marked as
** the newsroom's (staff_id) and counted on its article. The parent must be
** approved (with approve set, a parent held for moderation is approved
** first, in the same transaction), and the reply no deeper than
** max_depth. Sets *id. Returns STORE_OK, STORE_NOT_FOUND (no such comment
** or user), STORE_BAD_PARENT (the parent is not approved), STORE_TOO_DEEP
** or STORE_ERROR. */
int comment_staff_reply(db *d, time_t now, long parent, long user, int approve,
                        int max_depth, const char *body, long *id);

#endif
