/*
** lifecycle.h: one request's way through the server, in one function
** that the FastCGI loop and the tests both call:
**
**   parse -> page cache -> route -> body -> policy -> handler -> finish
**
** Policy is the route's (router.h): Accept for the API, the body's type
** and size, the check against forged posts, the role. A handler starts
** with its work; it never checks any of these itself. The finish rolls
** back a transaction a handler left open, writes the standard error answer
** when a handler returned an error without one, adds the ETag (and, to an
** answer for machines, a route of the feed kind, a Last-Modified: the
** newest of its entries and of the changes of its cache tags), keeps a
** shared answer in the page cache, and answers a matching If-None-Match
** with 304 (or, without If-None-Match, an If-Modified-Since no older than
** its Last-Modified).
**
** A handler may answer with a body it produces while it is written
** (response_stream): the finish runs the producer once to learn its ETag
** and Last-Modified (keeping a short body whole, as an ordinary answer),
** and lifecycle_write runs it again to write a long one after the head;
** both runs read one snapshot of the database.
*/
#ifndef GAZETTE_LIFECYCLE_H
#define GAZETTE_LIFECYCLE_H

#include "app.h"

/* The answer to write. */
typedef struct answer {
  const response *res;  /* c->res, or an entry of the page cache */
  int head_only;        /* write the head only (HEAD, or 304) */
  int not_modified;     /* write it as 304 Not Modified */
  int from_cache;       /* res came from the page cache */
  int no_local_keep;    /* the server's nginx must not keep it (see lifecycle_answer) */
  int kept_ahead;       /* the server's nginx keeps it */
} answer;

/* Answers the request whose FastCGI parameters are envp, reading its body
** through rd(ud) when the route takes one. c must hold app, db, now and
** the worker's page cache (pc, or NULL) and be otherwise zeroed; the
** caller writes the answer, then frees c with lifecycle_free.
**
** When nginx caches the request's answer, it passes the key it keeps it
** under (the FastCGI parameter GAZETTE_CACHE_KEY). A shared answer is
** then recorded with its tags by the purger (c->purger), so that a
** change can purge it; when it cannot be recorded (no purger, no nginx
** to purge, or too many records waiting), no_local_keep tells nginx not
** to keep it. */
answer lifecycle_answer(ctx *c, char **envp, body_read_fn rd, void *ud);

/* Writes the answer a of c through emit(ud): the status line and headers,
** then the body (produced now, for a streamed answer). Ends the stream's
** read transaction. Returns 0, or -1 when emit refused or the producer
** failed midway (the answer is then cut short). */
int lifecycle_write(ctx *c, const answer *a, stream_emit_fn emit, void *ud);

/* Frees what the request held. */
void lifecycle_free(ctx *c);

#endif
