/*
** router.h: the shape of a route (method, pattern, handler and the policy
** dispatch enforces before the handler runs) and the matching of a method
** and a path against a table of them.
*/
#ifndef GAZETTE_ROUTER_H
#define GAZETTE_ROUTER_H

#include <stddef.h>

#include "buf.h"

enum { ROUTE_MAX_PARAMS = 4 };

/* Newsroom roles, each allowed what the ones below it may do; ROLE_NONE
** on a route means anyone may call it. */
enum { ROLE_NONE = 0, ROLE_AUTHOR = 1, ROLE_EDITOR = 2, ROLE_ADMIN = 3 };

/* What a route answers: its errors are pages, problem objects or plain
** text accordingly, and API routes require an Accept that takes JSON. */
typedef enum {
  KIND_PAGE,      /* a reader's page (HTML), or a reader's form post */
  KIND_FEED,      /* a feed or other XML for machines */
  KIND_API,       /* /api/v1: JSON, errors as application/problem+json */
  KIND_NEWSROOM,  /* /admin: HTML for the signed-in newsroom */
} route_kind;

/* The request body a route takes. */
typedef enum {
  BODY_NONE,      /* none is read */
  BODY_FORM,      /* application/x-www-form-urlencoded, at most 1 MiB */
  BODY_JSON,      /* application/json, at most 64 KiB */
  BODY_JSON_TEXT, /* application/json, at most 1 MiB: an article's text
                  ** (200,000 bytes, more when escaped) */
  BODY_MULTIPART, /* multipart/form-data, read as a stream by the handler
                  ** (upload.h), never held in memory */
} route_body;

/* How a state-changing request is checked against forgery. */
typedef enum {
  CSRF_NONE,      /* GET and HEAD */
  CSRF_ORIGIN,    /* Origin (or Sec-Fetch-Site) must be this site or allowed */
  CSRF_SESSION,   /* that, and the session's token in the form field csrf
                  ** (of a multipart body: checked as it is read) */
  CSRF_BEARER,    /* an app's API token in "Authorization: Bearer" makes the
                  ** request its user's (tokens.h); no cookie is read, so a
                  ** page of another site cannot make one in a reader's name */
} route_csrf;

struct ctx;

/* A handler does its work and returns the HTTP status it answered with.
** When that is an error (400 or more) and it wrote no body, the standard
** error answer of the route's kind is written for it. */
typedef int (*handler_fn)(struct ctx *c);

typedef struct route {
  const char *method;       /* "GET" also answers HEAD */
  const char *pattern;      /* literal segments, {name} for one segment,
                            ** {name:int} for a positive whole number,
                            ** {name:path} (last) for the rest of the path:
                            ** one or more segments, none empty */
  handler_fn handler;
  unsigned char role;       /* ROLE_NONE, or the least role that may call */
  unsigned char kind;       /* route_kind */
  unsigned char cache;      /* cache_policy (response.h) of a 200 answer */
  unsigned char body;       /* route_body */
  unsigned char csrf;       /* route_csrf */
} route;

typedef struct route_match {
  const route *route;
  int nparams;
  const char *params[ROUTE_MAX_PARAMS]; /* point into store */
  long num[ROUTE_MAX_PARAMS];           /* {name:int} values, else 0 */
  const char *bad_param;    /* the {name:int} that is not a number, or NULL */
  buf store;
} route_match;

/* Finds the route for method and the decoded path in routes[0..n). Returns
** 200 and fills m when one matches (m->bad_param names a typed segment
** that did not fit, when only such a route matched); 405 when the path
** matches only under other methods (allow then holds them, e.g. "GET,
** HEAD"); 404 when no pattern matches. m must be freed with
** route_match_free. */
int router_match(const route *routes, size_t n, const char *method,
                 const char *path, route_match *m, buf *allow);

/* Frees what router_match kept. */
void route_match_free(route_match *m);

/* Returns the name of role ("author", ...; "anyone" for ROLE_NONE). */
const char *router_role_name(int role);

#endif
