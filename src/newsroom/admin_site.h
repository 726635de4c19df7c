/*
** admin_site.h: what the site screens of the newsroom share among their
** files: categories and tags (admin_site.c), comment moderation
** (admin_moderation.c), users (admin_users.c), settings
** (admin_settings.c) and the caches (admin_cache.c).
*/
#ifndef GAZETTE_ADMIN_SITE_H
#define GAZETTE_ADMIN_SITE_H

#include "admin.h"
#include "buf.h"

/* Reads form field key into out with the white space around it removed.
** Returns 1 when present, 0 when absent, -1 when malformed. */
int site_field(ctx *c, const char *key, buf *out);

/* Returns the interface string key in the site's language. */
const char *site_text(ctx *c, const char *key);

/* Adds "done" (the string key) to doc when the query's done=<word> names
** one of the words in pairs {word, key, ..., NULL}. */
void site_done(ctx *c, cJSON *doc, const char *const *pairs);

/* Gives each category of the list (taxon_all's order) "label": its name
** after a dash for each level below the top. */
void site_category_labels(cJSON *list);

/* Renders an admin screen and frees doc. Returns the status answered. */
int site_show(ctx *c, const char *tpl, cJSON *doc, const char *title_key, int status);

#endif
