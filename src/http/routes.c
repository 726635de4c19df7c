/*
** routes.c: the route table (see routes.h). Reading it top to bottom
** lists everything a reader, an app or an editor can ask for, and who may.
**
** Columns: method, pattern, handler; who may call it (ROLE_NONE: anyone);
** its kind; the cache policy of its 200 answers; the body it takes; the
** check of a state-changing request (CSRF_ORIGIN: the Origin must be this
** site or an allowed one; CSRF_SESSION: that and the session's token;
** TOKEN: an app's API token in the Authorization header, whose user must
** have the route's role, and whose scope must allow a write).
*/
#include "routes.h"

#include "api.h"
#include "api_newsroom.h"
#include "comment.h"
#include "feed.h"
#include "newsroom.h"
#include "pages.h"
#include "rating.h"
#include "response.h"
#include "sitemap.h"

/* Shorthands that keep a row of the table on one line. */
#define ANYONE ROLE_NONE
#define AUTHOR ROLE_AUTHOR
#define EDITOR ROLE_EDITOR
#define ADMIN ROLE_ADMIN
#define PAGE KIND_PAGE
#define FEED KIND_FEED
#define API KIND_API
#define DESK KIND_NEWSROOM
#define TOKEN CSRF_BEARER
#define NR "/api/v1/newsroom"

static const route ROUTES[] = {
    /* The reader's pages. */
    {"GET", "/", page_home, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},
    {"GET", "/articles/{slug}", page_article, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},
    {"POST", "/articles/{slug}/rating", rating_post_form, ANYONE, PAGE, CACHE_NO_STORE, BODY_FORM, CSRF_ORIGIN},
    {"POST", "/articles/{slug}/comments", comment_post_form, ANYONE, PAGE, CACHE_NO_STORE, BODY_FORM, CSRF_ORIGIN},
    {"GET", "/category/{slug}", page_category, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},
    {"GET", "/tag/{slug}", page_tag, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},
    {"GET", "/author/{username}", page_author, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},
    {"GET", "/page/{slug}", page_static, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},
    {"GET", "/search", page_search, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},

    /* Feeds: Atom (.xml), RSS 2.0 (.rss) and JSON Feed 1.1 (.json). */
    {"GET", "/feed.xml", feed_site, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/feed.rss", feed_site, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/feed.json", feed_site, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/category/{slug}/feed.xml", feed_category, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/category/{slug}/feed.rss", feed_category, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/category/{slug}/feed.json", feed_category, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/tag/{slug}/feed.xml", feed_tag, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/tag/{slug}/feed.rss", feed_tag, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/tag/{slug}/feed.json", feed_tag, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/author/{username}/feed.xml", feed_author, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/author/{username}/feed.rss", feed_author, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/author/{username}/feed.json", feed_author, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/articles/{slug}/comments/feed.xml", feed_comments, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/articles/{slug}/comments/feed.rss", feed_comments, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/articles/{slug}/comments/feed.json", feed_comments, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},

    /* What crawlers and news aggregators read (docs/seo.md). */
    {"GET", "/robots.txt", robots_txt, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/sitemap.xml", sitemap_index, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/sitemaps/articles/{month}", sitemap_articles_page, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/sitemaps/categories/{page}", sitemap_categories_page, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/sitemaps/tags/{page}", sitemap_tags_page, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/sitemaps/authors/{page}", sitemap_authors_page, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/sitemaps/pages/{page}", sitemap_pages_page, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/news-sitemap.xml", sitemap_news_page, ANYONE, FEED, CACHE_FEED, BODY_NONE, CSRF_NONE},
    {"GET", "/category/{top}/{rest:path}", page_category, ANYONE, PAGE, CACHE_PAGE, BODY_NONE, CSRF_NONE},

    /* The JSON API for apps. */
    {"GET", "/api/v1/articles", api_articles, ANYONE, API, CACHE_API_LIST, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/articles/{id:int}", api_article, ANYONE, API, CACHE_API_ITEM, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/articles/by-slug/{slug}", api_article_by_slug, ANYONE, API, CACHE_API_ITEM, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/articles/{id:int}/rating", rating_get_api, ANYONE, API, CACHE_PRIVATE, BODY_NONE, CSRF_NONE},
    {"POST", "/api/v1/articles/{id:int}/rating", rating_post_api, ANYONE, API, CACHE_PRIVATE, BODY_JSON, CSRF_ORIGIN},
    {"GET", "/api/v1/articles/{id:int}/comments", comment_list_api, ANYONE, API, CACHE_API_LIST, BODY_NONE, CSRF_NONE},
    {"POST", "/api/v1/articles/{id:int}/comments", comment_post_api, ANYONE, API, CACHE_PRIVATE, BODY_JSON, CSRF_ORIGIN},
    {"GET", "/api/v1/articles/{id:int}/comments/mine", comment_mine_api, ANYONE, API, CACHE_PRIVATE, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/categories", api_categories, ANYONE, API, CACHE_API_LIST, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/tags", api_tags, ANYONE, API, CACHE_API_LIST, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/authors", api_authors, ANYONE, API, CACHE_API_LIST, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/pages", api_pages, ANYONE, API, CACHE_API_LIST, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/pages/{slug}", api_page, ANYONE, API, CACHE_API_ITEM, BODY_NONE, CSRF_NONE},
    {"GET", "/api/v1/media/{id:int}", api_media, ANYONE, API, CACHE_API_ITEM, BODY_NONE, CSRF_NONE},

    /* The newsroom's work over the API, for apps with an API token: the
    ** least role, then what its user may do in the newsroom (checked by
    ** the handlers, as the newsroom's own). */
    {"GET", NR "/me", api_newsroom_me, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"GET", NR "/articles", api_newsroom_articles, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/articles", api_newsroom_article_create, AUTHOR, API, CACHE_NO_STORE, BODY_JSON_TEXT, TOKEN},
    {"GET", NR "/articles/{id:int}", api_newsroom_article, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"PATCH", NR "/articles/{id:int}", api_newsroom_article_update, AUTHOR, API, CACHE_NO_STORE, BODY_JSON_TEXT, TOKEN},
    {"DELETE", NR "/articles/{id:int}", api_newsroom_article_delete, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/articles/{id:int}/submit", api_newsroom_article_submit, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/articles/{id:int}/publish", api_newsroom_article_publish, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/articles/{id:int}/schedule", api_newsroom_article_schedule, EDITOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},
    {"POST", NR "/articles/{id:int}/unpublish", api_newsroom_article_unpublish, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"GET", NR "/articles/{id:int}/revisions", api_newsroom_revisions, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/articles/{id:int}/revisions/{rid:int}/restore", api_newsroom_revision_restore, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/media", api_newsroom_media_upload, AUTHOR, API, CACHE_NO_STORE, BODY_MULTIPART, TOKEN},
    {"GET", NR "/media/{id:int}", api_newsroom_media, AUTHOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"PATCH", NR "/media/{id:int}", api_newsroom_media_update, AUTHOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},
    {"POST", NR "/categories", api_newsroom_category_create, EDITOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},
    {"PATCH", NR "/categories/{id:int}", api_newsroom_category_update, EDITOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},
    {"DELETE", NR "/categories/{id:int}", api_newsroom_category_delete, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/tags", api_newsroom_tag_create, EDITOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},
    {"PATCH", NR "/tags/{id:int}", api_newsroom_tag_update, EDITOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},
    {"DELETE", NR "/tags/{id:int}", api_newsroom_tag_delete, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"GET", NR "/comments", api_newsroom_comments, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/comments/{id:int}/approve", api_newsroom_comment_approve, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/comments/{id:int}/spam", api_newsroom_comment_spam, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/comments/{id:int}/trash", api_newsroom_comment_trash, EDITOR, API, CACHE_NO_STORE, BODY_NONE, TOKEN},
    {"POST", NR "/comments/{id:int}/replies", api_newsroom_comment_reply, EDITOR, API, CACHE_NO_STORE, BODY_JSON, TOKEN},

    /* The newsroom: signing in, the dashboard, one's own password. */
    {"GET", "/admin", admin_home, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"GET", "/admin/login", admin_login_page, ANYONE, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/login", admin_login_post, ANYONE, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_ORIGIN},
    {"POST", "/admin/logout", admin_logout, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/password", admin_password_page, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/password", admin_password_post, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/profile", admin_profile_page, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/profile", admin_profile_save, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* Articles: authors their own (drafts and submissions), editors all. */
    {"GET", "/admin/articles", admin_articles_list, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/articles", admin_articles_create, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/articles/new", admin_articles_new, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/articles/bulk", admin_articles_bulk, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/articles/{id:int}/edit", admin_articles_edit, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/articles/{id:int}", admin_articles_save, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/articles/{id:int}/preview", admin_articles_preview, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/articles/{id:int}/delete", admin_articles_delete, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/articles/{id:int}/revisions", admin_articles_revisions, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"GET", "/admin/articles/{id:int}/revisions/{rid:int}", admin_articles_revision, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/articles/{id:int}/revisions/{rid:int}/restore", admin_articles_restore, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    /* The editor's autosaves (each user's own; checked by the handlers). */
    {"POST", "/admin/autosave", admin_autosave_post, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/autosave/preview", admin_autosave_preview, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/autosave/discard", admin_autosave_discard, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* The site: categories, static pages, tags and comments for editors. */
    {"GET", "/admin/categories", admin_categories_list, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/categories", admin_categories_add, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/categories/{id:int}", admin_category_page, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/categories/{id:int}", admin_category_save, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/categories/{id:int}/delete", admin_category_delete, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/pages", admin_pages_list, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/pages", admin_pages_create, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/pages/new", admin_pages_new, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"GET", "/admin/pages/{id:int}/edit", admin_pages_edit, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/pages/{id:int}", admin_pages_save, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/pages/{id:int}/delete", admin_pages_delete, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/tags", admin_tags_list, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/tags", admin_tags_add, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/tags/{id:int}", admin_tag_page, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/tags/{id:int}", admin_tag_save, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/tags/{id:int}/delete", admin_tag_delete, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/comments", admin_comments_list, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/comments", admin_comments_bulk, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/comments/{id:int}", admin_comments_one, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/comments/{id:int}/reply", admin_comments_reply, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/comments/{id:int}/edit", admin_comments_edit, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* The picture library: everyone sees it; authors change their own
    ** uploads, editors everyone's (checked by the handlers); only editors
    ** replace a picture in other people's articles. */
    {"GET", "/admin/media", admin_media_list, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/media", admin_media_upload, AUTHOR, DESK, CACHE_NO_STORE, BODY_MULTIPART, CSRF_SESSION},
    {"GET", "/admin/media/{id:int}", admin_media_page, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/media/{id:int}", admin_media_save, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/media/{id:int}/delete", admin_media_delete, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/media/{id:int}/replace", admin_media_replace, EDITOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/avatar", admin_avatar_save, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* One's own API tokens for apps; admins revoke anyone's (checked by
    ** the handler). */
    {"GET", "/admin/tokens", admin_tokens_list, AUTHOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/tokens", admin_tokens_create, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/tokens/{id:int}/revoke", admin_tokens_revoke, AUTHOR, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* Webhooks, for admins. */
    {"GET", "/admin/webhooks", admin_webhooks_list, ADMIN, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/webhooks", admin_webhooks_add, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/webhooks/{id:int}", admin_webhook_page, ADMIN, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/webhooks/{id:int}", admin_webhook_save, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/webhooks/{id:int}/delete", admin_webhook_delete, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/webhooks/{id:int}/deliveries/{did:int}/redeliver", admin_webhook_redeliver, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* Users and settings, for admins. */
    {"GET", "/admin/users", admin_users_list, ADMIN, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/users", admin_users_add, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/users/{id:int}", admin_user_page, ADMIN, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/users/{id:int}/role", admin_user_role, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/users/{id:int}/state", admin_user_state, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"POST", "/admin/users/{id:int}/password", admin_user_password, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/users/{id:int}/profile", admin_user_profile_page, ADMIN, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/users/{id:int}/profile", admin_user_profile_save, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
    {"GET", "/admin/settings", admin_settings_page, ADMIN, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/settings", admin_settings_save, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},

    /* The caches in front and their purge queue. */
    {"GET", "/admin/cache", admin_cache_page, EDITOR, DESK, CACHE_NO_STORE, BODY_NONE, CSRF_NONE},
    {"POST", "/admin/cache", admin_cache_purge, ADMIN, DESK, CACHE_NO_STORE, BODY_FORM, CSRF_SESSION},
};

int routes_match(const char *method, const char *path, route_match *m, buf *allow) {
  return router_match(ROUTES, sizeof ROUTES / sizeof ROUTES[0], method, path, m, allow);
}

const route *routes_table(size_t *n) {
  *n = sizeof ROUTES / sizeof ROUTES[0];
  return ROUTES;
}
