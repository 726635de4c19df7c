/*
** admin_site.h: what the site screens of the newsroom share among their
** files: categories and tags (admin_site.c, which holds the route table
** ADMIN_SITE_ROUTES), comment moderation
** (admin_moderation.c), users (admin_users.c) and settings
** (admin_settings.c).
*/
#ifndef GAZETTE_ADMIN_SITE_H
#define GAZETTE_ADMIN_SITE_H

#include "admin.h"
#include "buf.h"

/* Reads form field key into out with the white space around it removed.
** Returns 1 when present, 0 when absent, -1 when malformed. */
int site_field(ctx *c, const char *key, buf *out);

/* Returns route parameter 0 as a positive id, or 0 when it is not one. */
long site_id(ctx *c);

/* Returns the interface string key in the site's language. */
const char *site_text(ctx *c, const char *key);

/* Adds "done" (the string key) to doc when the query's done=<word> names
** one of the words in pairs {word, key, ..., NULL}. */
void site_done(ctx *c, cJSON *doc, const char *const *pairs);

/* Renders an admin screen and frees doc. status 0 means 200. */
void site_show(ctx *c, const char *tpl, cJSON *doc, const char *title_key, int status);

/* Comment moderation (admin_moderation.c). */
void admin_comments_list(ctx *c);
void admin_comments_bulk(ctx *c);
void admin_comments_one(ctx *c);

/* Users, admins only (admin_users.c). */
void admin_users_list(ctx *c);
void admin_users_add(ctx *c);
void admin_user_page(ctx *c);
void admin_user_role(ctx *c);
void admin_user_state(ctx *c);
void admin_user_password(ctx *c);

/* Settings, admins only (admin_settings.c). */
void admin_settings_page(ctx *c);
void admin_settings_save(ctx *c);

#endif
