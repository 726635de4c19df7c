/*
** response.h: the answer being built, and the one place that writes the
** status line, headers and body to the client.
*/
#ifndef GAZETTE_RESPONSE_H
#define GAZETTE_RESPONSE_H

#include "buf.h"
#include "stream.h"

/* Who may keep an answer, and for how long: the one place that decides
** the Cache-Control header. A route states the policy of its 200 answers;
** a handler may only make it stricter (response_cache_private). */
typedef enum cache_policy {
  CACHE_UNSET = 0,  /* no Cache-Control header */
  CACHE_NO_STORE,   /* "no-store": the newsroom, form posts, errors */
  CACHE_PRIVATE,    /* "private, no-store": one reader's own answer */
  CACHE_PAGE,       /* a reader's page: the same for everyone */
  CACHE_FEED,       /* a feed: public, five minutes */
  CACHE_API_LIST,   /* an API list: public, a minute */
  CACHE_API_ITEM,   /* one API object: public, five minutes */
  CACHE_MOVED,      /* a moved article's 301: public, an hour */
} cache_policy;

/* How answers others may share are labelled for shared caches (nginx,
** Varnish, a CDN), from the site's settings: how long they may keep them
** (s-maxage), serve them expired while fetching anew
** (stale-while-revalidate) or while gazette fails (stale-if-error), and
** the header naming the cache tags they were built from. Browsers keep
** the policy's own max-age. */
typedef struct cache_labels {
  const char *tag_header;  /* "Surrogate-Key", "Cache-Tag"; NULL or "": none */
  int tags_comma;          /* tags separated by commas (Cache-Tag), not spaces */
  int max_age;
  int stale_revalidate;
  int stale_error;
} cache_labels;

/* Flags of response_serialize. */
enum {
  RESPONSE_HIT = 1,           /* the answer came from the page cache */
  RESPONSE_NO_LOCAL_KEEP = 2, /* the server's nginx must not keep it (X-Accel-Expires: 0) */
  RESPONSE_KEPT_AHEAD = 4,    /* nginx keeps it and says X-Cache itself: none of ours */
};

/* A body produced while it is written (response_stream): produce writes
** the whole body into s, in pieces (stream.h), and returns 0, or -1 on a
** failure it has logged; it must write the same bytes each time it runs
** over the same data. release frees state once the answer is written. */
typedef struct response_producer {
  int (*produce)(void *state, stream *s);
  void (*release)(void *state);
  void *state;
} response_producer;

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
  long long last_modified;   /* Last-Modified (Unix seconds); 0: none */
  response_producer producer;/* a body still to produce, or all NULL */
  int frame_self;            /* this site's own pages may frame it (the
                             ** newsroom's preview beside the editor) */
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
/* Notes that the answer was built from something changed at t (Unix
** seconds): Last-Modified becomes the newest such time. */
void response_last_modified(response *res, long long t);

/* Returns 1 when the If-Modified-Since header value ims (may be NULL)
** names a time no older than the answer's Last-Modified, so that 304
** answers. Only an answer with a validator (an ETag) qualifies. */
int response_not_modified_since(const response *res, const char *ims);

/* Makes the body of the answer a stream: produce(state) writes it (see
** response_producer); release(state), which may be NULL, frees state when
** the answer is done with. The body is empty meanwhile. */
void response_stream(response *res, int (*produce)(void *, stream *),
                     void (*release)(void *), void *state);

/* Runs the producer of a streamed answer once, to learn its ETag and
** Last-Modified. A body of at most keep bytes becomes res->body and the
** producer is released: from then on it is an ordinary answer. A longer
** one is only hashed (BLAKE2b, as response_etag), and the producer is kept
** to write it again after the head (response_stream_body), so that memory
** stays at one chunk and keep bytes whatever its length. Returns 0, or -1
** when the producer failed (it is then released). */
int response_produce(response *res, size_t keep);

/* Writes the body of a streamed answer through emit(ud) by running its
** producer again, and releases it. Returns 0, or -1 when the producer
** failed or emit refused (the answer is then cut short). */
int response_stream_body(response *res, stream_emit_fn emit, void *ud);

/* Serializes the response as it goes on the wire into dst: status,
** Content-Type, Content-Length, the security headers every answer carries
** (a strict Content-Security-Policy for HTML, with frame-src only for
** the sources response_frames allowed), Cache-Control by the
** policy; for an answer others may share, with labels (may be NULL) the
** s-maxage and stale-* parts and the tag header, and X-Cache: HIT when it
** came from the page cache (flags RESPONSE_HIT), else MISS (none when
** nginx keeps it: RESPONSE_KEPT_AHEAD, every header nginx keeps costs it
** on each answer it gives from its cache); Last-Modified, the extra
** headers, then the body unless head_only. A streamed answer has no
** Content-Length: its body follows through response_stream_body. */
void response_serialize(const response *res, int head_only, int flags,
                        const cache_labels *labels, buf *dst);

/* Frees the buffers (and releases a producer still held). */
void response_free(response *res);

#endif
