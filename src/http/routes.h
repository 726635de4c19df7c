/*
** routes.h: the table of every URL the server answers, with the policy
** of each (who may call it, its kind, its cache policy, the body it takes
** and its check against forged posts), which dispatch enforces before any
** handler runs.
*/
#ifndef GAZETTE_ROUTES_H
#define GAZETTE_ROUTES_H

#include "router.h"

/* Matches method and path against the table (see router_match). */
int routes_match(const char *method, const char *path, route_match *m, buf *allow);

/* Returns the table and sets *n to its length. */
const route *routes_table(size_t *n);

#endif
