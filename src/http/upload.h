/*
** upload.h: reading the body of a BODY_MULTIPART route. The lifecycle does
** not read such a body: it hands its reader to the handler (c->body), which
** calls upload_receive to feed the body, as it comes from the FastCGI
** stream, to the streaming multipart parser (multipart.h). Files go to
** temporary files, never into memory; the size limit is enforced before
** the first byte is read (a declared length over it) and as the bytes
** arrive (the rest is then never read); and, for a CSRF_SESSION route, the
** session's form token is checked in the field "csrf" once the fields are
** read, before the handler sees any of them.
*/
#ifndef GAZETTE_UPLOAD_H
#define GAZETTE_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "multipart.h"

/* Room for the text fields and the multipart framing beside the files,
** in the declared length checked before reading. */
#define UPLOAD_SLACK_BYTES ((uint64_t)128 * 1024)

/* Reads the request's multipart body: files of at most file_bytes in all
** into temporary files in dir. Returns 0 with the parsed body in *out (the
** caller frees it, and removes the files it did not keep, with
** multipart_close), or the status to answer with a reason for the user in
** why: 413 (too large; the rest of the body is not read), 400 (no body, or
** not well-formed multipart), 403 (the form token is missing or wrong),
** 500 (a temporary file could not be written). */
int upload_receive(ctx *c, const char *dir, uint64_t file_bytes, multipart **out, char *why,
                   size_t whylen);

#endif
