/*
** routes.c: the route table (see routes.h). Reading it top to bottom
** lists everything a reader, an editor or an app can ask for.
*/
#include "routes.h"

#include <string.h>

#include "admin.h"
#include "api.h"
#include "comment.h"
#include "feed.h"
#include "pages.h"
#include "rating.h"
#include "view.h"

static const route ROUTES[] = {
    {"GET", "/", page_home},
    {"GET", "/articles/{slug}", page_article},
    {"POST", "/articles/{slug}/rating", rating_post_form},
    {"POST", "/articles/{slug}/comments", comment_post_form},
    {"GET", "/category/{slug}", page_category},
    {"GET", "/tag/{slug}", page_tag},
    {"GET", "/author/{username}", page_author},
    {"GET", "/search", page_search},
    {"GET", "/feed.xml", feed_site},
    {"GET", "/category/{slug}/feed.xml", feed_category},
    {"GET", "/api/v1/articles", api_articles},
    {"GET", "/api/v1/articles/{id}", api_article},
    {"GET", "/api/v1/articles/by-slug/{slug}", api_article_by_slug},
    {"GET", "/api/v1/articles/{id}/rating", rating_get_api},
    {"POST", "/api/v1/articles/{id}/rating", rating_post_api},
    {"GET", "/api/v1/articles/{id}/comments", comment_list_api},
    {"POST", "/api/v1/articles/{id}/comments", comment_post_api},
    {"GET", "/api/v1/articles/{id}/comments/mine", comment_mine_api},
    {"GET", "/api/v1/categories", api_categories},
    {"GET", "/api/v1/tags", api_tags},
    {"GET", "/api/v1/authors", api_authors},
};
static const size_t ROUTES_COUNT = sizeof ROUTES / sizeof ROUTES[0];

/* Every table, readers' first. */
static const struct {
  const route *routes;
  const size_t *count;
} TABLES[] = {
    {ROUTES, &ROUTES_COUNT},
    {ADMIN_ROUTES, &ADMIN_ROUTES_COUNT},
    {ADMIN_ARTICLE_ROUTES, &ADMIN_ARTICLE_ROUTES_COUNT},
    {ADMIN_SITE_ROUTES, &ADMIN_SITE_ROUTES_COUNT},
};

void routes_dispatch(ctx *c) {
  if (strcmp(c->req.method, "OPTIONS") == 0 && ctx_is_api(c)) {
    api_preflight(c);
    return;
  }
  buf allow = {0};
  int st = 404;
  for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0] && st != 200; t++) {
    route_match_free(&c->match);
    int r = router_match(TABLES[t].routes, *TABLES[t].count, c->req.method,
                         c->req.path, &c->match, &allow);
    if (r != 404) st = r;
  }
  if (st == 200) {
    c->match.route->handler(c);
  } else {
    if (st == 405) response_header(&c->res, "Allow", buf_str(&allow));
    view_error(c, st, NULL);
  }
  buf_free(&allow);
}
