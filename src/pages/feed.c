/*
** feed.c: the feeds of the site, its categories, tags and authors, and of
** each article's comments, in Atom, RSS 2.0 and JSON Feed 1.1 (see
** feed.h). One model serves all three (feeds.h): Atom and RSS are its
** templates (feed.mustache, feed_rss.mustache), JSON Feed is built with
** cJSON. Entry ids are tag: URIs, which stay when an article's address
** changes.
*/
#include "feed.h"

#include <string.h>

#include "escape.h"
#include "changes.h"
#include "feeds.h"
#include "i18n.h"
#include "json.h"
#include "present.h"
#include "store.h"
#include "timefmt.h"
#include "view.h"

/* Returns the format the route's pattern ends with. */
static feeds_format feed_format(const ctx *c) {
  const char *p = c->match.route->pattern;
  size_t n = strlen(p);
  if (n > 4 && strcmp(p + n - 4, ".rss") == 0) return FEEDS_RSS;
  if (n > 5 && strcmp(p + n - 5, ".json") == 0) return FEEDS_JSON;
  return FEEDS_ATOM;
}

/* Removes from every string of o the characters XML 1.0 does not allow
** (C0 controls but tab, LF and CR; U+FFFE, U+FFFF), which the site's
** forms accept as valid UTF-8 but a feed reader would choke on. */
static void feed_clean(cJSON *o) {
  cJSON *x;
  if (cJSON_IsString(o) && o->valuestring) escape_xml_clean(o->valuestring);
  cJSON_ArrayForEach(x, o) { feed_clean(x); }
}

/* Adds the feed's header to doc: title, subtitle (the tagline, else the
** title: RSS needs one), home (the page it follows, a site path), self,
** lang and what every feed names. */
static cJSON *feed_header(ctx *c, cJSON *doc, const char *title, const char *home,
                          const char *lang) {
  cJSON *feed = cJSON_AddObjectToObject(doc, "feed");
  const char *tagline = json_str(c->app->site, "tagline");
  buf b = {0};
  cJSON_AddStringToObject(feed, "title", title);
  cJSON_AddStringToObject(feed, "subtitle", *tagline ? tagline : title);
  app_absolute(c->app, home, &b);
  cJSON_AddStringToObject(feed, "home", buf_str(&b));
  buf_reset(&b);
  buf_puts(&b, c->app->base_url);
  buf_append(&b, c->req.raw_path, c->req.raw_path_len);
  cJSON_AddStringToObject(feed, "self", buf_str(&b));
  cJSON_AddStringToObject(feed, "lang", lang);
  buf_reset(&b);
  buf_printf(&b, "%s/category/", c->app->base_url);
  cJSON_AddStringToObject(feed, "category_scheme", buf_str(&b));
  buf_reset(&b);
  buf_printf(&b, "%s/tag/", c->app->base_url);
  cJSON_AddStringToObject(feed, "tag_scheme", buf_str(&b));
  cJSON_AddStringToObject(feed, "logo", c->app->publisher_logo);
  buf_reset(&b);
  app_absolute(c->app, "/static/favicon.svg", &b);
  cJSON_AddStringToObject(feed, "icon", buf_str(&b));
  buf_free(&b);
  return feed;
}

/* Renders doc (the model) in the route's format, with its times: updated
** is the newest change of its entries, or since when the site's settings
** are as they are (site). Returns the status answered. */
static int feed_render(ctx *c, cJSON *doc, long long since) {
  cJSON *feed = cJSON_GetObjectItemCaseSensitive(doc, "feed");
  long long newest = since;
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "entries")) {
    time_t t = 0;
    if (time_parse_iso(json_str(e, "updated_at"), &t) == 0 && t > newest) newest = t;
  }
  buf b = {0};
  time_iso(&b, (time_t)newest);
  cJSON_AddStringToObject(feed, "updated", buf_str(&b));
  buf_reset(&b);
  time_http(&b, (time_t)newest);
  cJSON_AddStringToObject(feed, "updated_http", buf_str(&b));
  buf_free(&b);
  response_last_modified(&c->res, newest);
  feeds_format f = feed_format(c);
  int st;
  if (f == FEEDS_JSON) {
    cJSON *j = feeds_json(doc);
    st = view_json(c, 200, feeds_type(f), j);
    cJSON_Delete(j);
    return st;
  }
  feed_clean(doc);
  cJSON_AddItemReferenceToObject(doc, "site", c->app->site);
  return view_render(c, f == FEEDS_RSS ? "feed_rss" : "feed", doc,
                     f == FEEDS_RSS ? "application/rss+xml; charset=utf-8"
                                    : "application/atom+xml; charset=utf-8",
                     200);
}

/* What a listing's feed follows. */
typedef enum { FEED_OF_SITE, FEED_OF_CATEGORY, FEED_OF_TAG, FEED_OF_AUTHOR } feed_of;

/* Answers the feed of the site, or of the category, tag or author named
** by the route's first parameter. */
static int feed_listing(ctx *c, feed_of of) {
  static const char *const prefix[] = {"/", "/category/", "/tag/", "/author/"};
  static const char *const tag[] = {"feeds", "category", "tag", "author"};
  cJSON *what = NULL;
  int rc = of == FEED_OF_CATEGORY ? category_load(c->db, c->now, ctx_param(c, 0), &what)
           : of == FEED_OF_TAG    ? tag_load(c->db, c->now, ctx_param(c, 0), &what)
           : of == FEED_OF_AUTHOR ? author_load(c->db, c->now, ctx_param(c, 0), &what)
                                  : STORE_OK;
  if (rc != STORE_OK) return rc > 0 ? 404 : 500;
  long long since = 0;
  if (change_time(c->db, "site", &since) != 0) {
    cJSON_Delete(what);
    return 500;
  }
  listing l = {0};
  long id = what ? json_long(what, "id") : 0;
  if (of == FEED_OF_CATEGORY) l.category_id = id;
  if (of == FEED_OF_TAG) l.tag_id = id;
  if (of == FEED_OF_AUTHOR) l.author_id = id;
  if (what) present_taxon(what, prefix[of]);
  const char *site = json_str(c->app->site, "name");
  buf title = {0};
  if (what) buf_printf(&title, "%s — %s", json_str(what, "name"), site);
  else buf_puts(&title, site);
  cJSON *doc = cJSON_CreateObject();
  feed_header(c, doc, buf_str(&title), what ? json_str(what, "url") : "/", c->app->lang);
  buf_free(&title);
  cJSON *entries = cJSON_AddArrayToObject(doc, "entries");
  int st = 500;
  if (article_feed(c->db, c->now, &l, c->app->feed_entries, entries) == STORE_OK) {
    response_tag(&c->res, tag[of], id);
    view_tag_cards(c, entries);
    feeds_articles(c->app, entries);
    st = feed_render(c, doc, since);
  }
  cJSON_Delete(what);
  cJSON_Delete(doc);
  return st;
}

int feed_site(ctx *c) { return feed_listing(c, FEED_OF_SITE); }
int feed_category(ctx *c) { return feed_listing(c, FEED_OF_CATEGORY); }
int feed_tag(ctx *c) { return feed_listing(c, FEED_OF_TAG); }
int feed_author(ctx *c) { return feed_listing(c, FEED_OF_AUTHOR); }

int feed_comments(ctx *c) {
  cJSON *article = NULL;
  int rc = article_load(c->db, c->now, ctx_param(c, 0), 0, &article);
  if (rc != STORE_OK) return rc > 0 ? 404 : 500;
  long id = json_long(article, "id");
  response_tag(&c->res, "article", id);
  present_article(c->app, article);
  time_t since = 0;
  time_parse_iso(json_str(article, "updated_at"), &since); /* its title */
  buf title = {0};
  feeds_comments_title(c->app, json_str(article, "title"), &title);
  buf_printf(&title, " — %s", json_str(c->app->site, "name"));
  cJSON *doc = cJSON_CreateObject();
  feed_header(c, doc, buf_str(&title), json_str(article, "url"), json_str(article, "lang"));
  buf_free(&title);
  cJSON *entries = cJSON_AddArrayToObject(doc, "entries");
  int st = 500;
  if (comment_feed(c->db, id, c->app->feed_entries, entries) == STORE_OK) {
    feeds_comments(c->app, entries, article);
    st = feed_render(c, doc, (long long)since);
  }
  cJSON_Delete(article);
  cJSON_Delete(doc);
  return st;
}
