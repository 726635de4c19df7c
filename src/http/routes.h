/*
** routes.h: the table of every URL the server answers, and the dispatch
** from a parsed request to its handler.
*/
#ifndef GAZETTE_ROUTES_H
#define GAZETTE_ROUTES_H

#include "app.h"

/* Finds the handler for c->req and runs it; unknown paths answer 404, a
** known path with another method 405 with Allow. */
void routes_dispatch(ctx *c);

#endif
