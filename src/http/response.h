/*
** response.h: the answer being built, and the one place that writes the
** status line, headers and body to the client.
*/
#ifndef GAZETTE_RESPONSE_H
#define GAZETTE_RESPONSE_H

#include <fcgiapp.h>

#include "buf.h"

typedef struct response {
  int status;                /* HTTP status; 200 unless set */
  const char *content_type;  /* static string; NULL means no body type */
  buf headers;               /* extra "Name: value\r\n" lines */
  buf body;
  char etag[40];             /* strong validator, "" when none */
} response;

/* Adds the header "name: value". Values holding CR or LF are refused (the
** header is not added and -1 is returned); else returns 0. */
int response_header(response *res, const char *name, const char *value);

/* Answers with a redirect (status 301, 302 or 303) to location, which must
** be a path on this site or an absolute URL without CR/LF. */
void response_redirect(response *res, int status, const char *location);

/* Returns the reason phrase of an HTTP status ("Not Found"). */
const char *response_reason(int status);

/* Sets a strong ETag derived from the body's bytes (a BLAKE2b hash). */
void response_etag(response *res);

/* Returns 1 when the If-None-Match header value inm (may be NULL) names
** the response's ETag (or is "*"), so that 304 answers. */
int response_not_modified(const response *res, const char *inm);

/* Writes the whole response to out: status, Content-Type, Content-Length,
** the security headers every answer carries (a strict Content-Security-
** Policy for HTML), the extra headers, then the body unless head_only. */
void response_send(const response *res, FCGX_Stream *out, int head_only);

/* Like response_send, but answers 304 Not Modified, with the validators
** and no body, when inm (the If-None-Match header) matches. */
void response_send_conditional(const response *res, FCGX_Stream *out,
                               int head_only, const char *inm);

/* Serializes the response as it would go on the wire into dst (used by
** response_send and by tests). */
void response_serialize(const response *res, int head_only, buf *dst);

/* Frees the buffers. */
void response_free(response *res);

#endif
