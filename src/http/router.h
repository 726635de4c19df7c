/*
** router.h: maps a method and a path to a handler through a table of
** patterns such as "/articles/{slug}".
*/
#ifndef GAZETTE_ROUTER_H
#define GAZETTE_ROUTER_H

#include <stddef.h>

#include "buf.h"

enum { ROUTE_MAX_PARAMS = 4 };

struct ctx;
typedef void (*handler_fn)(struct ctx *c);

typedef struct route {
  const char *method;   /* "GET" also answers HEAD */
  const char *pattern;  /* literal segments and {name} for one segment */
  handler_fn handler;
} route;

typedef struct route_match {
  const route *route;
  int nparams;
  const char *params[ROUTE_MAX_PARAMS]; /* point into store */
  buf store;
} route_match;

/* Finds the route for method and the decoded path in routes[0..n).
** Returns 200 and fills m when one matches; 405 when the path matches only
** under other methods (allow then holds them, e.g. "GET, HEAD"); 404 when
** no pattern matches. m->store must be freed with route_match_free. */
int router_match(const route *routes, size_t n, const char *method,
                 const char *path, route_match *m, buf *allow);

/* Frees what router_match kept. */
void route_match_free(route_match *m);

#endif
