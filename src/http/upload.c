/*
** upload.c: a multipart body from the FastCGI stream to the parser
** (see upload.h).
*/
#include "upload.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"

enum { UPLOAD_CHUNK = 16384 };

/* Writes the limit of file_bytes for people ("20 MB") into out. */
static void upload_limit_text(uint64_t file_bytes, char *out, size_t n) {
  double mb = (double)file_bytes / (1024.0 * 1024.0);
  snprintf(out, n, mb >= 1 ? "%.0f MB" : "%.1f MB", mb);
}

/* Feeds the body to m until it ends or m refuses it. Returns m's result. */
static int upload_feed(ctx *c, multipart *m) {
  char chunk[UPLOAD_CHUNK];
  long long left = c->body.length;
  int rc = 0;
  while (rc == 0 && left > 0) {
    int want = left < (long long)sizeof chunk ? (int)left : (int)sizeof chunk;
    int got = c->body.read(c->body.ud, chunk, want);
    if (got <= 0) break; /* the client went away: the parser sees it cut */
    left -= got;
    rc = multipart_feed(m, chunk, (size_t)got);
  }
  return rc == 0 ? multipart_finish(m) : rc;
}

/* Returns the status for a parser's result and writes why (reason: the
** parser's own, for the server's log). */
static int upload_refusal(ctx *c, int rc, const char *reason, uint64_t file_bytes, char *why,
                          size_t whylen) {
  char limit[32];
  upload_limit_text(file_bytes, limit, sizeof limit);
  if (rc == MULTIPART_TOO_LARGE) {
    snprintf(why, whylen, ctx_text(c, "upload_too_large"), limit);
    return 413;
  }
  if (rc == MULTIPART_MALFORMED) {
    snprintf(why, whylen, "%s", ctx_text(c, "upload_malformed"));
    return 400;
  }
  fprintf(stderr, "gazette: upload: %s\n", reason);
  snprintf(why, whylen, "%s", ctx_text(c, "upload_failed"));
  return 500;
}

int upload_receive(ctx *c, const char *dir, uint64_t file_bytes, multipart **out, char *why,
                   size_t whylen) {
  *out = NULL;
  if (!c->body.read || c->body.length <= 0) {
    snprintf(why, whylen, "%s", ctx_text(c, "upload_empty"));
    return 400;
  }
  if ((uint64_t)c->body.length > file_bytes + UPLOAD_SLACK_BYTES)
    return upload_refusal(c, MULTIPART_TOO_LARGE, "", file_bytes, why, whylen);
  const char *type = request_param(&c->req, "CONTENT_TYPE");
  multipart_limits lim = {.file_bytes = file_bytes};
  char err[256] = "";
  multipart *m = NULL;
  int rc = multipart_open(&m, type ? type : "", dir, &lim, err, sizeof err);
  if (rc != 0) return upload_refusal(c, rc, err, file_bytes, why, whylen);
  rc = upload_feed(c, m);
  if (rc != 0) {
    int st = upload_refusal(c, rc, multipart_error(m), file_bytes, why, whylen);
    multipart_close(m);
    return st;
  }
  if (c->match.route && c->match.route->csrf == CSRF_SESSION) {
    const char *token = multipart_field_get(m, "csrf");
    if (!auth_csrf_matches(c, token, token ? strlen(token) : 0)) {
      snprintf(why, whylen, "%s", ctx_text(c, "csrf_failed"));
      multipart_close(m);
      return 403;
    }
  }
  c->body.checked = 1;
  *out = m;
  return 0;
}
