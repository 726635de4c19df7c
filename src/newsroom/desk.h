/*
** desk.h: what the newsroom's editor and article list do besides plain
** forms (desk.c, admin_bulk.c): autosaves and the preview built from them,
** the refused save of an article someone else saved meanwhile, bylines,
** the comment switch, word counts, and bulk actions. admin_articles.c
** calls these; the routes they add are in newsroom.h.
*/
#ifndef GAZETTE_DESK_H
#define GAZETTE_DESK_H

#include <cjson/cJSON.h>

#include "app.h"
#include "store_admin_article.h"

/* Adds to the editor's form object fo what the desk shows for f: version,
** small_edit (offered when readers see the stored article), comments
** closed, the byline's choices (editors: authors [{id, name, selected,
** coauthor}]), words and minutes of reading, the site's zone, and the
** addresses the script autosaves to. Returns 0 or -1. */
int desk_form(ctx *c, cJSON *fo, const article_form *f);

/* Reads the desk's posted fields into f: version, small_edit,
** comments_closed and (editors only) author and coauthor. Returns 0, or
** -1 when one is malformed. */
int desk_form_read(ctx *c, article_form *f);

/* Returns the members the editor adds after a refused save: conflict
** {diff: [{kind, text, del|ins|same}], side: {old, new} for long texts,
** title_changed, their_title}: their stored text against mine. */
cJSON *desk_conflict(ctx *c, const article_form *theirs, const article_form *mine);

/* Keeps the posted form f as the user's autosave and answers 303 to the
** editor showing it with its preview. Returns the status answered. */
int desk_preview_redirect(ctx *c, const article_form *f);

/* For the editor's GET: with ?draft=1, fills f from the user's autosave of
** it and sets *extra to {draft_note, preview_url}; else, when the user has
** an autosave of it, sets *extra to {restore: {saved_display, url}}.
** Returns 0, or the status to answer. */
int desk_draft(ctx *c, article_form *f, cJSON **extra);

/* Adds to a revision row {status, status_before} its status_change text
** ("Draft → Published"), when the status changed. */
void desk_revision_status(ctx *c, cJSON *r);

/* Adds to the list's doc the summary of a bulk action named by the query
** (?bulk=ACTION&changed=N&refused=M). Returns 0, or -1 when malformed. */
int desk_bulk_note(ctx *c, cJSON *doc);

/* Adds to the list's doc the bulk actions the user may choose and their
** categories. Returns 0 or -1. */
int desk_bulk_choices(ctx *c, cJSON *doc);

/* Adds to doc the rating and reply forms the article template shows in a
** preview (they only work once the article is visible). */
void admin_preview_forms(cJSON *doc, const char *url);

#endif
