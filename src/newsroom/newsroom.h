/*
** newsroom.h: the handlers of the newsroom's screens at /admin, as the
** route table (routes.c) names them. Dispatch has checked the role, the
** session's token and the origin before any of them runs.
*/
#ifndef GAZETTE_NEWSROOM_H
#define GAZETTE_NEWSROOM_H

#include "app.h"

/* admin.c: signing in and out, the dashboard, one's own password. */
int admin_home(ctx *c);
int admin_login_page(ctx *c);
int admin_login_post(ctx *c);
int admin_logout(ctx *c);
int admin_password_page(ctx *c);
int admin_password_post(ctx *c);

/* admin_articles.c: the article list, the editor, preview, revisions. */
int admin_articles_list(ctx *c);
int admin_articles_create(ctx *c);
int admin_articles_new(ctx *c);
int admin_articles_edit(ctx *c);
int admin_articles_save(ctx *c);
int admin_articles_preview(ctx *c);
int admin_articles_delete(ctx *c);
int admin_articles_revisions(ctx *c);
int admin_articles_revision(ctx *c);
int admin_articles_restore(ctx *c);

/* desk.c: the editor's autosaves and the preview made from them. */
int admin_autosave_post(ctx *c);
int admin_autosave_preview(ctx *c);
int admin_autosave_discard(ctx *c);

/* admin_bulk.c: the article list's bulk actions. */
int admin_articles_bulk(ctx *c);

/* admin_site.c: categories and tags. */
/* Static pages (admin_pages.c). */
int admin_pages_list(ctx *c);
int admin_pages_new(ctx *c);
int admin_pages_create(ctx *c);
int admin_pages_edit(ctx *c);
int admin_pages_save(ctx *c);
int admin_pages_delete(ctx *c);

int admin_categories_list(ctx *c);
int admin_categories_add(ctx *c);
int admin_category_page(ctx *c);
int admin_category_save(ctx *c);
int admin_category_delete(ctx *c);
int admin_tags_list(ctx *c);
int admin_tags_add(ctx *c);
int admin_tag_page(ctx *c);
int admin_tag_save(ctx *c);
int admin_tag_delete(ctx *c);

/* admin_moderation.c: the comment queue. */
int admin_comments_list(ctx *c);
int admin_comments_bulk(ctx *c);
int admin_comments_one(ctx *c);
int admin_comments_reply(ctx *c);
int admin_comments_edit(ctx *c);

/* admin_media.c: the picture library, and one's own avatar. */
int admin_media_list(ctx *c);
int admin_media_upload(ctx *c);
int admin_media_page(ctx *c);
int admin_media_save(ctx *c);
int admin_media_delete(ctx *c);
int admin_media_replace(ctx *c);
int admin_avatar_save(ctx *c);

/* admin_profile.c: display name, bio and picture. */
int admin_profile_page(ctx *c);
int admin_profile_save(ctx *c);
int admin_user_profile_page(ctx *c);
int admin_user_profile_save(ctx *c);

/* admin_users.c: users. */
int admin_users_list(ctx *c);
int admin_users_add(ctx *c);
int admin_user_page(ctx *c);
int admin_user_role(ctx *c);
int admin_user_state(ctx *c);
int admin_user_password(ctx *c);

/* admin_tokens.c: one's own API tokens (admins see everyone's). */
int admin_tokens_list(ctx *c);
int admin_tokens_create(ctx *c);
int admin_tokens_revoke(ctx *c);

/* admin_webhooks.c: webhooks and their deliveries, for admins. */
int admin_webhooks_list(ctx *c);
int admin_webhooks_add(ctx *c);
int admin_webhook_page(ctx *c);
int admin_webhook_save(ctx *c);
int admin_webhook_delete(ctx *c);
int admin_webhook_redeliver(ctx *c);

/* admin_settings.c: the site settings. */
int admin_settings_page(ctx *c);
int admin_settings_save(ctx *c);

/* admin_cache.c: the caches and their purge queue. */
int admin_cache_page(ctx *c);
int admin_cache_purge(ctx *c);

#endif
