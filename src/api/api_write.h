/*
** api_write.h: what the API's newsroom routes share (handlers in
** api_newsroom_articles.c, api_newsroom_media.c and api_newsroom_site.c):
** reading a JSON body member by member, ETags and If-Match, and the
** answers. Every newsroom answer is "Cache-Control: no-store" (the route
** table says so) and may be read by pages of any site (its credential is
** a token, never a cookie: lifecycle.c). Helpers ending in _or_reply
** answer a bad request themselves and return its status; 0 means go on.
*/
#ifndef GAZETTE_API_WRITE_H
#define GAZETTE_API_WRITE_H

#include <cjson/cJSON.h>

#include "app.h"

/* Parses the body as a JSON object whose members are all named in allowed
** (a NULL-terminated list) into *out (the caller deletes it). Returns 0,
** or answers 400 (not a JSON object, or a member that is not allowed,
** named in invalid_params with hint as its reason when given) and returns
** 400. */
int api_object_or_reply(ctx *c, const char *const *allowed, const char *hint, cJSON **out);

/* Reads the string member key of o into out (appended): *given is 1 when
** it is there. Returns 0, or answers 400 when it is not a string of valid
** UTF-8 without NUL. */
int api_text_or_reply(ctx *c, const cJSON *o, const char *key, buf *out, int *given);

/* Reads the member key of o as an id (a whole number from 1 to 2^53) into
** *out; when nullable, null reads as 0. *given is 1 when it is there.
** Returns 0, or answers 400. */
int api_id_or_reply(ctx *c, const cJSON *o, const char *key, int nullable, long *out,
                    int *given);

/* Reads the boolean member key of o into *out; *given is 1 when it is
** there. Returns 0, or answers 400. */
int api_bool_or_reply(ctx *c, const cJSON *o, const char *key, int *out, int *given);

/* Answers 400 naming the body member key, with reason (a sentence). */
int api_bad_member(ctx *c, const char *key, const char *reason);

/* Writes the ETag of doc as it is answered (the hash of its JSON, as
** response_etag makes it) into etag. */
void api_doc_etag(const cJSON *doc, char etag[40]);

/* Compares the request's If-Match with etag (a list, "*", and the weak
** W/"..." form that a compressing proxy makes of a strong tag, are taken).
** Returns 1 when it matches, 0 when it does not, -1 when none was sent. */
int api_if_match(const ctx *c, const char *etag);

/* Answers 428 (no If-Match) or 412 (another version) for match, a result
** of api_if_match other than 1. Returns the status. */
int api_precondition_failed(ctx *c, int match);

/* Answers status with doc as JSON (doc stays the caller's), with its ETag
** when with_etag, and location (may be NULL) as its Location. Returns
** status. */
int api_send_doc(ctx *c, int status, const cJSON *doc, int with_etag, const char *location);

/* Turns the Unix time at member key of o into ISO 8601 ("...Z"); 0 or a
** missing time becomes null. */
void api_iso_member(cJSON *o, const char *key);

/* Trims spaces, tabs and line breaks at both ends of b. */
void api_trim(buf *b);

/* Turns every CR LF of b into LF. */
void api_unix_lines(buf *b);

#endif
