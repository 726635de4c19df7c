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
#include "newsroom.h"

/* Renders admin template name over doc (which stays the caller's), after
** adding site, t, page {title}, and admin {user, csrf, nav, is_editor,
** is_admin}. Returns the status answered: status, or 500 when the
** template failed. */
int admin_render(ctx *c, const char *name, cJSON *doc, const char *title,
                 int status);

/* Replaces the HTML text body by what the sanitizer keeps of it, as
** readers will get it (sanitize.h), frames allowed from the video players
** of the embed_hosts setting. Returns 0, or -1 when the sanitizer refuses
** it (body unchanged). */
int admin_html_clean(ctx *c, buf *body);

/* Answers 303 to path (a path on this site) after a successful POST;
** returns 303. */
int admin_redirect(ctx *c, const char *path);


#endif
