/*
** admin.h: the newsroom's screens at /admin: the shared frame every admin
** page renders in, sign-in and sign-out, the dashboard and the user's own
** password. The screens for articles (admin_articles.c) and for the rest
** of the site (admin_site.c) add their routes through the tables below.
*/
#ifndef GAZETTE_ADMIN_H
#define GAZETTE_ADMIN_H

#include <stddef.h>

#include "app.h"

/* Renders admin template name over doc (which stays the caller's), after
** adding site, t, page {title}, and admin {user, csrf, nav, is_editor,
** is_admin}; never cached. status 0 means 200. */
void admin_render(ctx *c, const char *name, cJSON *doc, const char *title,
                  int status);

/* Answers 303 to path (a path on this site) after a successful POST. */
void admin_redirect(ctx *c, const char *path);

/* Route tables: the core's, the articles' and the site's. */
extern const route ADMIN_ROUTES[];
extern const size_t ADMIN_ROUTES_COUNT;
extern const route ADMIN_ARTICLE_ROUTES[];
extern const size_t ADMIN_ARTICLE_ROUTES_COUNT;
extern const route ADMIN_SITE_ROUTES[];
extern const size_t ADMIN_SITE_ROUTES_COUNT;

#endif
