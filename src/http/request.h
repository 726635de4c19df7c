/*
** request.h: the reader's request, turned from FastCGI parameters into one
** struct that handlers read through small helpers.
*/
#ifndef GAZETTE_REQUEST_H
#define GAZETTE_REQUEST_H

#include <stddef.h>

#include "buf.h"

enum {
  REQUEST_MAX_PATH = 1024,    /* decoded path bytes; longer gets 414 */
  REQUEST_MAX_QUERY = 2048,   /* raw query bytes; longer gets 414 */
  REQUEST_MAX_BODY = 1048576, /* body bytes (nginx allows 1 MiB); more gets 413 */
};

/* Reads up to n bytes of the request body into dst; returns the number
** read (0 at the end, or when the client went away). */
typedef int (*body_read_fn)(void *ud, char *dst, int n);

typedef struct request {
  char **envp;              /* FastCGI parameters, "NAME=value" */
  const char *method;       /* "GET", "POST", ... ("HEAD" is kept) */
  int is_head;              /* 1 for HEAD: answer as GET without a body */
  char *path;               /* percent-decoded, valid UTF-8, starts with / */
  const char *raw_path;     /* the path as sent, still encoded */
  size_t raw_path_len;
  const char *query;        /* raw query string, "" when none */
  char *body;               /* request body, NUL-terminated; NULL if none */
  size_t body_len;
} request;

/* Fills r from the FastCGI parameters envp. Returns 0 when the request is
** well-formed, else the HTTP status to answer with: 400 for bad
** percent-encoding, invalid UTF-8 or a NUL in the path, 414 for an
** over-long path or query. r->path must be released with request_free even
** when this fails. */
int request_parse(request *r, char **envp);

/* Releases what request_parse and the body reader allocated. */
void request_free(request *r);

/* Returns the FastCGI parameter name (e.g. "CONTENT_TYPE") or NULL. */
const char *request_param(const request *r, const char *name);

/* Returns the value of HTTP header name as nginx passed it, or NULL. The
** name is given as it appears on the wire ("If-None-Match"). */
const char *request_header(const request *r, const char *name);

/* Looks up key in the urlencoded string s[0..n) ("a=1&b=2", '+' meaning a
** space) and appends its decoded value to out. Returns 1 when found and
** well-formed (valid UTF-8, no NUL), 0 when absent, -1 when malformed. */
int form_lookup(const char *s, size_t n, const char *key, buf *out);

/* form_lookup over the query string. */
int request_query(const request *r, const char *key, buf *out);

/* form_lookup over an application/x-www-form-urlencoded body. */
int request_form(const request *r, const char *key, buf *out);

/* Returns the decimal number s when it is an id (digits only, from 1 to
** 2^53), else 0. */
long form_id(const char *s);

/* Reads every field key of an application/x-www-form-urlencoded body as
** an id (a decimal number from 1 to 2^53, digits only) into ids, at most
** max of them. Returns how many, or -1 when one is malformed, not an id, or
** one too many. */
long request_form_ids(const request *r, const char *key, long *ids, size_t max);

/* Reads the query parameter key as a decimal integer in [min, max] into
** *out; *out = def when absent. Returns 0, or -1 when present but not a
** plain decimal number in range. */
int request_query_int(const request *r, const char *key, long def, long min,
                      long max, long *out);

/* Appends the value of cookie name to out. Returns 1 if found, else 0. */
int request_cookie(const request *r, const char *name, buf *out);

/* Decodes %XX escapes of s[0..n) into out; when plus_is_space is set, '+'
** becomes a space. Returns 0, or -1 on a bad escape, a NUL byte or invalid
** UTF-8 in the result. */
int percent_decode(const char *s, size_t n, int plus_is_space, buf *out);

#endif
