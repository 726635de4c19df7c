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

/* Appends every category (TAXON_CATEGORIES, in the navigation's order)
** or tag (TAXON_TAGS, by name) to out as {id, slug, name, description
** (categories), articles (how many use it, whatever their state)}. */
int taxon_all(db *d, taxon kind, cJSON *out);

/* Loads category or tag id as taxon_all builds it. Returns STORE_OK or
** STORE_NOT_FOUND. */
int taxon_get(db *d, taxon kind, long id, cJSON **out);

/* Adds a category (description used) or a tag. Returns STORE_OK, or
** STORE_TAKEN when the slug is in use. */
int taxon_add(db *d, taxon kind, const char *slug, const char *name,
              const char *description);

/* Sets *id to the id of the category or tag with this slug, whatever its
** articles (the public loaders find only those with a visible one).
** Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int taxon_find(db *d, taxon kind, const char *slug, long *id);

/* Renames category or tag id. Returns STORE_OK, STORE_NOT_FOUND or
** STORE_TAKEN. */
int taxon_rename(db *d, taxon kind, long id, const char *slug, const char *name,
                 const char *description);

/* Deletes category id in one transaction, first moving its articles to
** category move_to. Returns STORE_OK, STORE_NOT_FOUND, or STORE_IN_USE
** when it has articles and move_to is not another category. */
int category_delete(db *d, long id, long move_to);

/* Deletes tag id (its articles keep their other tags). Returns STORE_OK
** or STORE_NOT_FOUND. */
int tag_delete(db *d, long id);

/* The statuses of a comment, in the queue's order. */
extern const char *const COMMENT_STATUSES[4];

/* Fills counts[i] with the number of comments of COMMENT_STATUSES[i]. */
int comment_counts(db *d, long counts[4]);

/* Appends one page of the comments in status, newest first, as {id,
** author_name, author_email, created_at, body, article: {title, slug,
** lang}}. */
int comment_queue(db *d, const char *status, long page, long per_page, cJSON *out);

/* Gives the n comments ids status (NULL: deletes those that are in the
** trash, with their replies), recounting their articles' approved
** comments, in one transaction. Sets *changed to how many changed. */
int comment_moderate_many(db *d, const long *ids, size_t n, const char *status,
                          long *changed);

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
** section, author, language, tag and month) with the articles, writing a
** line to log for each that differs; sets *wrong. */
int list_check_counts(db *d, FILE *log, long *wrong);

#endif
