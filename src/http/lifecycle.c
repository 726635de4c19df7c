/*
** lifecycle.c: parse, cache, route, policy, handler, finish
** (see lifecycle.h).
*/
#include "lifecycle.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api.h"
#include "auth.h"
#include "changes.h"
#include "escape.h"
#include "idempotency.h"
#include "pagecache.h"
#include "pages.h"
#include "purger.h"
#include "routes.h"
#include "timefmt.h"
#include "tokens.h"
#include "view.h"
#include "visitor.h"

enum {
  BODY_MAX_FORM = REQUEST_MAX_BODY,  /* 1 MiB: newsroom articles */
  BODY_MAX_JSON = 65536,             /* apps' JSON */
  BODY_MAX_JSON_TEXT = REQUEST_MAX_BODY, /* apps' articles */
  LIFECYCLE_SYNC_MARGIN_MS = 50,     /* see lifecycle_answer */
  STREAM_KEEP = 512 * 1024,          /* a streamed body up to this is kept
                                     ** whole: an ordinary answer */
  FAULT_RETRY_SECONDS = 30,          /* Retry-After of a storage fault's 503 */
};

/* Returns 1 when the request is a GET or HEAD without a body: the kind
** the page cache may answer. */
static int lifecycle_cacheable(const ctx *c) {
  const char *cl = request_param(&c->req, "CONTENT_LENGTH");
  return (strcmp(c->req.method, "GET") == 0 || c->req.is_head) && (!cl || !*cl || !strcmp(cl, "0"));
}

/* Reads the body (as the route takes it) into c->req, or, for a route
** that reads it itself, hands the reader over in c->body. Returns 0, 413
** when it is declared larger than the route allows, 400 when it ends early
** or its length is not a number. */
static int lifecycle_body(ctx *c, body_read_fn rd, void *ud) {
  const route *r = c->match.route;
  const char *cl = request_param(&c->req, "CONTENT_LENGTH");
  if (r->body == BODY_NONE || !cl || !*cl) return 0;
  char *end;
  errno = 0;
  long long n = strtoll(cl, &end, 10);
  if (*end || n < 0 || errno) return 400;
  if (r->body == BODY_MULTIPART) {
    c->body = (body_stream){.read = rd, .ud = ud, .length = n};
    return 0;
  }
  long long max = r->body == BODY_JSON        ? BODY_MAX_JSON
                  : r->body == BODY_JSON_TEXT ? BODY_MAX_JSON_TEXT
                                              : BODY_MAX_FORM;
  if (n > max) return 413;
  c->req.body = malloc((size_t)n + 1);
  if (!c->req.body) abort();
  long long got = 0;
  while (got < n) {
    int k = rd(ud, c->req.body + got, (int)(n - got));
    if (k <= 0) break;
    got += k;
  }
  c->req.body[got] = 0;
  c->req.body_len = (size_t)got;
  return got == n ? 0 : 400;
}

/* Returns 1 when the body's Content-Type is the media type want (any
** parameters after it, such as charset, are allowed). */
static int lifecycle_type_is(const ctx *c, const char *want) {
  const char *type = request_param(&c->req, "CONTENT_TYPE");
  size_t n = type ? strcspn(type, ";") : 0;
  while (n > 0 && type[n - 1] == ' ') n--;
  return type && n == strlen(want) && strncasecmp(type, want, n) == 0;
}

/* Answers a request without a session for a newsroom route: a page is
** sent to the sign-in form, anything else is refused. */
static int lifecycle_sign_in_first(ctx *c) {
  if (strcmp(c->req.method, "GET") != 0 && !c->req.is_head) return 401;
  buf to = {0};
  buf_puts(&to, "/admin/login?next=");
  escape_url(&to, c->req.raw_path, c->req.raw_path_len);
  int st = response_redirect(&c->res, 303, buf_str(&to));
  buf_free(&to);
  return st;
}

/* Returns 1 when the request only reads (GET or HEAD). */
static int lifecycle_reads(const ctx *c) {
  return strcmp(c->req.method, "GET") == 0 || c->req.is_head;
}

/* The policy of a route for apps with an API token (CSRF_BEARER): the
** token names the user, whose role must be the route's least role or
** above, and a token that may only read is only let read. Returns 0, or
** the status answered. */
static int lifecycle_token(ctx *c) {
  const route *r = c->match.route;
  int st = token_principal_or_reply(c);
  if (st) return st;
  if (c->user.role < r->role) {
    char detail[160];
    snprintf(detail, sizeof detail, "This needs an account with the role %s or above; this "
             "token's account is %s.", router_role_name(r->role), router_role_name(c->user.role));
    return view_problem(c, 403, detail, NULL, NULL);
  }
  if (c->user.read_only && !lifecycle_reads(c))
    return view_problem(c, 403, "This API token may only read: its scope is read.", NULL, NULL);
  return 0;
}

/* Enforces the route's policy before its handler runs. Returns 0 to go
** on, or the status answered (the error's text written when it has one
** of its own). */
static int lifecycle_policy(ctx *c) {
  const route *r = c->match.route;
  if (c->match.bad_param) {
    if (r->kind != KIND_API) return 404;
    return api_bad_param(c, c->match.bad_param, "must be a positive whole number");
  }
  if (r->kind == KIND_API && !api_accepts_json(c))
    return view_problem(c, 406, "This API answers application/json only.", NULL, NULL);
  if (r->csrf == CSRF_BEARER) {
    int st = lifecycle_token(c);
    if (st) return st;
  } else {
    if (r->csrf != CSRF_NONE && visitor_check_origin(c) != 0)
      return view_error(c, 403, "Posting to this site from another site is not allowed.");
    if (r->role != ROLE_NONE) {
      if (!auth_session(c)) return lifecycle_sign_in_first(c);
      if (c->user.role < r->role) return 403;
      /* A multipart body's token is checked as the body is read. */
      if (r->csrf == CSRF_SESSION && r->body != BODY_MULTIPART && !auth_csrf_ok(c))
        return view_error(c, 403, ctx_text(c, "csrf_failed"));
    }
  }
  if (r->body == BODY_FORM && !lifecycle_type_is(c, "application/x-www-form-urlencoded"))
    return 415;
  if (r->body == BODY_MULTIPART && !lifecycle_type_is(c, "multipart/form-data"))
    return 415;
  if ((r->body == BODY_JSON || r->body == BODY_JSON_TEXT) &&
      !lifecycle_type_is(c, "application/json"))
    return view_problem(c, 415, "Send the body as application/json.", NULL, NULL);
  return 0;
}

/* Returns 1 when a 404 the request met may be an old address of the
** site (legacy_paths): a reader's GET or HEAD outside the API and the
** newsroom, that found no route or whose page answered 404 with nothing
** of its own. */
static int lifecycle_maybe_legacy(const ctx *c) {
  const route *r = c->match.route;
  const char *p = c->req.path;
  return (strcmp(c->req.method, "GET") == 0 || c->req.is_head) && c->res.body.len == 0 &&
         (!r || r->kind == KIND_PAGE) && strncmp(p, "/api/", 5) != 0 &&
         strcmp(p, "/admin") != 0 && strncmp(p, "/admin/", 7) != 0;
}

/* Lets pages of any site read what the API's newsroom routes answer:
** their credential is a token the page sends itself, never a cookie. */
static void lifecycle_token_cors(ctx *c) {
  if (strstr(buf_str(&c->res.headers), "Access-Control-Allow-Origin:")) return;
  response_header(&c->res, "Access-Control-Allow-Origin", "*");
  response_header(&c->res, "Access-Control-Expose-Headers",
                  "ETag, Location, Retry-After, Idempotent-Replayed, WWW-Authenticate");
}

/* Routes the parsed request and runs its handler. Returns the status. An
** address of the API answers OPTIONS too (the CORS preflight, with the
** methods its routes take), and its 405s say so. */
static int lifecycle_route(ctx *c, body_read_fn rd, void *ud) {
  buf allow = {0};
  int api = ctx_is_api(c), options = api && strcmp(c->req.method, "OPTIONS") == 0;
  int st = routes_match(c->req.method, c->req.path, &c->match, &allow);
  if (st == 405 && api) buf_puts(&allow, ", OPTIONS");
  if (st == 405 && options) st = api_preflight(c, buf_str(&allow));
  else if (st == 405) response_header(&c->res, "Allow", buf_str(&allow));
  buf_free(&allow);
  if (options && st != 404) return st;
  if (st == 404 && lifecycle_maybe_legacy(c)) return legacy_redirect(c, c->req.path);
  if (st != 200) return st;
  const route *r = c->match.route;
  c->res.cache = (cache_policy)r->cache;
  st = lifecycle_body(c, rd, ud);
  if (st == 0) st = lifecycle_policy(c);
  if (st == 0 && r->csrf == CSRF_BEARER && strcmp(c->req.method, "POST") == 0)
    st = idempotency_begin_or_reply(c);
  if (st == 0) st = r->handler(c);
  if (r->csrf == CSRF_BEARER) lifecycle_token_cors(c);
  if (st == 404 && lifecycle_maybe_legacy(c)) st = legacy_redirect(c, c->req.path);
  if (c->match.route->body == BODY_MULTIPART && c->match.route->csrf == CSRF_SESSION &&
      st < 400 && !c->body.checked) {
    /* A handler that succeeded without reading its body through
    ** upload_receive skipped the form token's check: refuse its answer. */
    assert(!"a multipart handler did not read its body");
    buf_reset(&c->res.body);
    st = 500;
  }
  return st;
}

/* Runs the producer of a streamed answer for the first time, inside a
** read transaction that lasts until the body has been written, so that
** both runs see the same data and the ETag names the bytes sent. Returns
** the status: 200, or 500 when the producer failed. */
static int lifecycle_produce(ctx *c) {
  if (db_exec(c->db, "BEGIN") != 0 || response_produce(&c->res, STREAM_KEEP) != 0) {
    response_stream(&c->res, NULL, NULL, NULL);
    db_rollback(c->db);
    return 500;
  }
  if (!c->res.producer.produce) db_rollback(c->db); /* kept whole: done */
  return 200;
}

/* Gives an answer for machines (a feed, a sitemap, robots.txt) its
** Last-Modified: the newest of what its handler noted (its entries'
** times) and of the changes of what it was built from (its cache tags),
** which move on when something leaves it too. */
static void lifecycle_last_modified(ctx *c) {
  long long t = 0;
  if (change_time(c->db, buf_str(&c->res.tags), &t) == 0) response_last_modified(&c->res, t);
}

/* Answers a request that failed on a storage fault f (db.h): 503 with
** Retry-After and a text saying what is wrong, in place of whatever the
** handler began. Logs the cause, once a second at most for each worker (a
** full disk must not fill the log too). Returns 503. */
static int lifecycle_unavailable(ctx *c, db_fault f) {
  static _Thread_local time_t logged;
  if (c->now != logged) {
    logged = c->now;
    fprintf(stderr, "gazette: answering 503 to %s %s: %s\n", c->req.method ? c->req.method : "?",
            c->req.path ? c->req.path : "?", db_fault_text(f));
  }
  const char *key = f == DB_FAULT_FULL ? "storage_full_text" : "storage_fault_text";
  buf_reset(&c->res.body);
  if (c->res.producer.produce) response_stream(&c->res, NULL, NULL, NULL);
  char secs[16];
  snprintf(secs, sizeof secs, "%d", FAULT_RETRY_SECONDS);
  response_header(&c->res, "Retry-After", secs);
  c->res.cache = CACHE_NO_STORE;
  return view_error(c, 503, ctx_is_api(c) ? ctx_text_default(c, key) : ctx_text(c, key));
}

/* The finish: no transaction stays open, a streamed answer is produced
** once, an error without a text gets the standard one, and a good shared
** answer gets its ETag. */
static void lifecycle_finish(ctx *c, int status) {
  assert(sqlite3_get_autocommit(c->db->h));
  db_rollback(c->db); /* in a release build, the assertion's safety net */
  if (c->res.producer.produce) {
    if (status == 200) status = lifecycle_produce(c);
    else response_stream(&c->res, NULL, NULL, NULL);
  }
  db_fault f = status >= 500 ? db_fault_take() : DB_FAULT_NONE;
  if (f) {
    c->db->fault = f;
    status = lifecycle_unavailable(c, f);
  }
  if (status >= 400 && c->res.body.len == 0) status = view_error(c, status, NULL);
  c->res.status = status;
  if (c->res.content_type && strncmp(c->res.content_type, "text/html", 9) == 0)
    response_frames(&c->res, c->app->frame_src);
  /* Only good answers are shared: no cache may keep an error (it carries
  ** no tags to purge it by). */
  if ((cache_policy_shared(c->res.cache) && status != 200) ||
      (c->res.cache == CACHE_UNSET && status >= 400))
    c->res.cache = CACHE_NO_STORE;
  assert(!(cache_policy_shared(c->res.cache) && c->res.sets_cookie));
  if (cache_policy_shared(c->res.cache)) {
    response_tag(&c->res, "site", 0); /* settings and navigation */
    if (!c->res.producer.produce) response_etag(&c->res); /* else produced */
    if (c->match.route && c->match.route->kind == KIND_FEED) lifecycle_last_modified(c);
  }
}

/* Records a shared answer under the key nginx keeps it by, or tells
** nginx not to keep it (see lifecycle.h); the request began at began_ms
** (the worker's page cache had followed every change made before). */
static void lifecycle_record(ctx *c, answer *a, long long began_ms) {
  const char *key = request_param(&c->req, "GAZETTE_CACHE_KEY");
  int st = a->res->status ? a->res->status : 200;
  if (!key || !*key || st != 200 || !cache_policy_shared(a->res->cache)) return;
  if (purger_record(c->purger, key, buf_str(&a->res->tags), began_ms) != 0)
    a->no_local_keep = 1;
  else
    a->kept_ahead = 1;
}

answer lifecycle_answer(ctx *c, char **envp, body_read_fn rd, void *ud) {
  answer a = {&c->res, 0, 0, 0, 0, 0};
  /* The worker followed the change log just before (server.c); the margin
  ** keeps this time before that, so that nothing changed between looks
  ** newer than the answer. */
  long long began_ms = time_now_ms() - LIFECYCLE_SYNC_MARGIN_MS;
  int st = request_parse(&c->req, envp);
  a.head_only = c->req.is_head;
  const char *key = request_param(&c->req, "REQUEST_URI");
  const char *inm = request_header(&c->req, "If-None-Match");
  const char *ims = request_header(&c->req, "If-Modified-Since");
  /* An API request that takes no JSON must reach its route (406). */
  int cacheable = st == 0 && c->pc && key && lifecycle_cacheable(c) &&
                  (!ctx_is_api(c) || api_accepts_json(c));
  const response *hit = cacheable ? pagecache_get(c->pc, key, c->now) : NULL;
  if (hit) {
    a.res = hit;
    a.from_cache = 1;
  } else {
    if (st == 0) st = lifecycle_route(c, rd, ud);
    lifecycle_finish(c, st ? st : 200);
    if (c->idempotency) idempotency_end(c);
    if (cacheable && cache_policy_shared(c->res.cache))
      pagecache_put(c->pc, key, &c->res, c->now);
  }
  lifecycle_record(c, &a, began_ms);
  /* If-None-Match, when sent, decides alone (RFC 9110, 13.2.2); only a
  ** read is answered 304. */
  int reads = c->req.method && (strcmp(c->req.method, "GET") == 0 || c->req.is_head);
  if (reads && (inm ? response_not_modified(a.res, inm) : response_not_modified_since(a.res, ims))) {
    a.not_modified = 1;
    a.head_only = 1;
  }
  return a;
}

int lifecycle_write(ctx *c, const answer *a, stream_emit_fn emit, void *ud) {
  buf head = {0};
  response r = *a->res; /* shares the buffers; never freed */
  if (a->not_modified) r.status = 304;
  int flags = (a->from_cache ? RESPONSE_HIT : 0) | (a->no_local_keep ? RESPONSE_NO_LOCAL_KEEP : 0) |
              (a->kept_ahead ? RESPONSE_KEPT_AHEAD : 0);
  response_serialize(&r, a->head_only, flags, &c->app->labels, &head);
  int rc = emit(ud, buf_str(&head), head.len);
  buf_free(&head);
  if (rc == 0 && !a->head_only && a->res == &c->res && c->res.producer.produce)
    rc = response_stream_body(&c->res, emit, ud);
  if (c->db && !sqlite3_get_autocommit(c->db->h)) db_rollback(c->db); /* a stream's */
  return rc;
}

void lifecycle_free(ctx *c) {
  db_fault_take(); /* a fault belongs to the request that met it */
  if (c->db && !sqlite3_get_autocommit(c->db->h)) db_rollback(c->db);
  route_match_free(&c->match);
  response_free(&c->res);
  request_free(&c->req);
}
