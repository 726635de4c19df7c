/*
** store_newsroom.h: what the newsroom's screens read and write, besides
** articles (store_admin_article.h): the dashboard's counts, categories and
** tags, the comment queue, and users. Every function takes the connection
** and the values it needs and returns a store result (store.h).
*/
#ifndef GAZETTE_STORE_NEWSROOM_H
#define GAZETTE_STORE_NEWSROOM_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <time.h>

#include "db.h"
#include "store.h"

/* The dashboard's figures. */
typedef struct dashboard {
  long drafts, pending, scheduled, published, comments_pending;
} dashboard;

/* Fills out with the counts of articles by state (only author own's when
** own > 0) and of comments waiting for moderation, as of now. */
int dashboard_counts(db *d, time_t now, long own, dashboard *out);

/* Appends every category (TAXON_CATEGORIES) or tag (TAXON_TAGS, by
** name) to out as {id, slug, name, description (categories), articles
** (how many use it, whatever their state)}; a category also has
** parent_id (0 at the top), path and depth (0 at the top), and comes
** right after its section, depth-first in the navigation's order. */
int taxon_all(db *d, taxon kind, cJSON *out);

/* Moves every category of flat (objects with id and parent_id, 0 at the
** top, in the navigation's order) to out, each section followed by those
** under it, depth-first, each given its depth (0 at the top). */
void category_tree(cJSON *flat, cJSON *out);

/* Loads category or tag id as taxon_all builds it (without depth).
** Returns STORE_OK or STORE_NOT_FOUND. */
int taxon_get(db *d, taxon kind, long id, cJSON **out);

/* Adds a category (description and parent used; parent 0: a section at
** the top) or a tag. Returns STORE_OK, STORE_TAKEN when the slug is in
** use, or STORE_BAD_PARENT (see category_parent_check). */
int taxon_add(db *d, taxon kind, const char *slug, const char *name,
              const char *description, long parent);

/* Sets *id to the id of the category or tag with this slug, whatever its
** articles (the public loaders find only those with a visible one).
** Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int taxon_find(db *d, taxon kind, const char *slug, long *id);

/* Renames category or tag id (a category may move under another parent).
** Returns STORE_OK, STORE_NOT_FOUND, STORE_TAKEN or STORE_BAD_PARENT. */
int taxon_rename(db *d, taxon kind, long id, const char *slug, const char *name,
                 const char *description, long parent);

/* Checks that category id (0: a new one) may stand under parent (0: at
** the top): parent exists, is neither id nor under it, and the sections
** would nest at most CATEGORY_MAX_DEPTH deep. Returns STORE_OK or
** STORE_BAD_PARENT. */
int category_parent_check(db *d, long id, long parent);

/* Writes every category's path from its parents' slugs again, in the
** caller's transaction (after a slug or a parent changed). */
int category_paths_refresh(db *d);

/* Deletes category id in one transaction, first moving its articles to
** category move_to and its subsections up to its own section. Returns
** STORE_OK, STORE_NOT_FOUND, or STORE_IN_USE when it has articles and
** move_to is not another category. */
int category_delete(db *d, long id, long move_to);

/* Deletes tag id (its articles keep their other tags). Returns STORE_OK
** or STORE_NOT_FOUND. */
int tag_delete(db *d, long id);

/* The statuses of a comment, in the queue's order. */
extern const char *const COMMENT_STATUSES[4];

/* Fills counts[i] with the number of comments of COMMENT_STATUSES[i]. */
int comment_counts(db *d, long counts[4]);

/* Appends one page of the comments in status, newest first, as {id,
** author_name, author_email, created_at, body, staff, article: {title,
** slug, lang}, parent: {id, author_name, body (its start)} for a reply}. */
int comment_queue(db *d, const char *status, long page, long per_page, cJSON *out);

/* Gives the n comments ids status (NULL: deletes those that are in the
** trash, with their replies), recounting their articles' approved
** comments, in one transaction. Sets *changed to how many changed. */
int comment_moderate_many(db *d, const long *ids, size_t n, const char *status,
                          long *changed);

/* Replaces the text of comment id with body, noting now as its edit.
** Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int comment_edit(db *d, time_t now, long id, const char *body);

/* Loads user id's profile as {id, username, name, bio, avatar_id (0:
** none)}. Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int user_profile_get(db *d, long id, cJSON **out);

/* Sets user id's display name, biography and picture (avatar_id 0: none;
** checked by the caller). Returns STORE_OK, STORE_NOT_FOUND or
** STORE_ERROR. */
int user_profile_set(db *d, long id, const char *name, const char *bio, long avatar_id);

/* Appends every user to out, by username, as {id, username, name, role,
** disabled}. */
int user_all(db *d, cJSON *out);

/* Loads user id as user_all builds it. Returns STORE_OK or
** STORE_NOT_FOUND. */
int user_get(db *d, long id, cJSON **out);

/* Gives user id role ("author", "editor", "admin"), in one statement so
** that two admins demoting each other at once cannot leave the site
** without an active one. Returns STORE_OK, STORE_NOT_FOUND, or
** STORE_LAST_ADMIN. */
int user_set_role(db *d, long id, const char *role);

/* Lets user id sign in again. Returns STORE_OK or STORE_NOT_FOUND. */
int user_enable(db *d, long id);

/* Writes one line per comment (of status, or all when NULL), newest
** first: id, status, article, author, time, the start of its text. */
int comment_print(db *d, const char *status, FILE *out);

/* Compares each article's vote and comment counts with its votes and
** comments, writing a line to log for each that differs; sets *checked
** and *wrong. */
int article_check_counts(db *d, FILE *log, long *checked, long *wrong);

/* Compares the sizes of the lists kept by triggers (all articles, each
** section, author, language, tag and month, and each list's months) with
** the articles, and the hours of each long comment list (sql/035) with the
** comments, writing a line to log for each that differs; sets *wrong. */
int list_check_counts(db *d, FILE *log, long *wrong);

#endif
