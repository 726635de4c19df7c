/*
** routes.c: the route table (see routes.h). Reading it top to bottom
** lists everything a reader, an editor or an app can ask for.
*/
#include "routes.h"

#include "pages.h"
#include "view.h"

static const route ROUTES[] = {
    {"GET", "/", page_home},
    {"GET", "/articles/{slug}", page_article},
    {"GET", "/category/{slug}", page_category},
    {"GET", "/tag/{slug}", page_tag},
    {"GET", "/author/{username}", page_author},
};

void routes_dispatch(ctx *c) {
  buf allow = {0};
  int st = router_match(ROUTES, sizeof ROUTES / sizeof ROUTES[0],
                        c->req.method, c->req.path, &c->match, &allow);
  if (st == 200) {
    c->match.route->handler(c);
  } else {
    if (st == 405) response_header(&c->res, "Allow", buf_str(&allow));
    view_error(c, st, NULL);
  }
  buf_free(&allow);
}
