/*
** response.h: the answer being built, and the one place that writes the
** status line, headers and body to the client.
*/
#ifndef GAZETTE_RESPONSE_H
#define GAZETTE_RESPONSE_H

#include "buf.h"

/* Who may keep an answer, and for how long: the one place that decides
** the Cache-Control header. A route states the policy of its 200 answers;
** a handler may only make it stricter (response_cache_private). */
typedef enum cache_policy {
  CACHE_UNSET = 0,  /* no Cache-Control header */
  CACHE_NO_STORE,   /* "no-store": the newsroom, form posts */
  CACHE_PRIVATE,    /* "private, no-store": one reader's own answer */
  CACHE_PAGE,       /* a reader's page: the same for everyone */
  CACHE_FEED,       /* a feed: public, five minutes */
  CACHE_API_LIST,   /* an API list: public, a minute */
  CACHE_API_ITEM,   /* one API object: public, five minutes */
  CACHE_MOVED,      /* a moved article's 301: public, an hour */
} cache_policy;

typedef struct response {
  int status;                /* HTTP status; 200 unless set */
  const char *content_type;  /* static string; NULL means no body type */
  buf headers;               /* extra "Name: value\r\n" lines */
  buf body;
  char etag[40];             /* strong validator, "" when none */
  cache_policy cache;        /* what Cache-Control says */
  int sets_cookie;           /* a Set-Cookie header was added */
  buf tags;                  /* cache tags, space-separated ("site article-12") */
  buf frame_src;             /* an HTML page's CSP frame-src sources, "" for none */
} response;

/* Adds the cache tag of a thing the answer was built from: prefix and id
** ("article", 12 makes "article-12"), or prefix alone when id is 0. Tags
** are kept once each. */
void response_tag(response *res, const char *prefix, long id);

/* Returns 1 when answers under policy p may be kept by shared caches
** (and by the server's own page cache). */
int cache_policy_shared(cache_policy p);

/* Returns the Cache-Control value of policy p, or NULL for none. */
const char *cache_policy_header(cache_policy p);

/* Makes the answer one reader's own: never kept by a shared cache. */
void response_cache_private(response *res);

/* The attributes of a cookie. */
typedef struct cookie_attrs {
  const char *path;      /* "/" when NULL */
  long max_age;          /* seconds; 0: a session cookie; -1: delete it */
  int http_only;
  const char *same_site; /* "Strict" or "Lax" */
  int secure;            /* add Secure (the site is served over https) */
} cookie_attrs;

/* Adds "Set-Cookie: name=value" with the attributes a. The answer is then
** never kept by a shared cache. Returns 0, or -1 when name or value holds
** characters a cookie may not. */
int response_cookie(response *res, const char *name, const char *value,
                    const cookie_attrs *a);

/* Adds the header "name: value". Values holding CR or LF are refused (the
** header is not added and -1 is returned); else returns 0. */
int response_header(response *res, const char *name, const char *value);

/* Answers with a redirect (status 301, 302 or 303) to location, which must
** be a path on this site or an absolute URL without CR/LF. Returns the
** status answered (400 when location was refused). */
int response_redirect(response *res, int status, const char *location);

/* Returns the reason phrase of an HTTP status ("Not Found"). */
const char *response_reason(int status);

/* Sets a strong ETag derived from the body's bytes (a BLAKE2b hash). */
void response_etag(response *res);

/* Returns 1 when the If-None-Match header value inm (may be NULL) names
** the response's ETag (or is "*"), so that 304 answers. */
int response_not_modified(const response *res, const char *inm);


/* Lets an HTML answer frame the sources listed in frame_src (space-
** separated CSP sources such as "https://player.vimeo.com/video/"): the
** embeds its body may hold. Nothing else of the policy changes. */
void response_frames(response *res, const char *frame_src);

/* Serializes the response as it goes on the wire into dst: status,
** Content-Type, Content-Length, the security headers every answer carries
** (a strict Content-Security-Policy for HTML, with frame-src only for
** the sources response_frames allowed), Cache-Control by the
** policy (and, for an answer others may share, X-Cache: HIT when it came
** from the page cache, else MISS), the extra headers, then the body unless
** head_only. */
void response_serialize(const response *res, int head_only, int hit, buf *dst);

/* Frees the buffers. */
void response_free(response *res);

#endif
