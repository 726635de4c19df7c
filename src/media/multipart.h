/*
** multipart.h: a push parser for multipart/form-data request bodies
** (RFC 7578, RFC 2046).
**
** The body is fed in chunks of any size as it arrives. Text fields are kept
** in memory within a bounded total; each file part is streamed into its own
** temporary file, created with mkstemp (O_EXCL, mode 0600) in the folder the
** caller names. Nothing is held in memory in proportion to a file's size.
**
** Use:
**   multipart *m;
**   int rc = multipart_open(&m, content_type, dir, &limits, err, errlen);
**   while (rc == 0 && (n = read(...)) > 0) rc = multipart_feed(m, p, n);
**   if (rc == 0) rc = multipart_finish(m);
**   ... on 0, read the fields and files; multipart_file_keep() for a file
**   the caller moves elsewhere ...
**   multipart_close(m);
**
** Return values of multipart_open, multipart_feed and multipart_finish:
**   0                     success (so far)
**   -1                    a system error (the temporary file could not be
**                         made or written): the server answers 500
**   MULTIPART_TOO_LARGE   the files together, or the text fields together,
**                         pass their limit: 413. Returned by the very feed
**                         that carries the first byte over the limit (give or
**                         take the closing boundary's length, which the
**                         parser must see before it knows bytes are data)
**   MULTIPART_MALFORMED   not a well-formed multipart/form-data body (no or a
**                         bad boundary, truncated, a part without a name,
**                         header block too large, too many parts): 400
** After any non-zero result the parser has removed every temporary file it
** made and answers every later feed with the same result; the reason is in
** err (multipart_open) or multipart_error().
**
** A parser is used by one thread at a time; different parsers are
** independent.
*/
#ifndef GAZETTE_MULTIPART_H
#define GAZETTE_MULTIPART_H

#include <stddef.h>
#include <stdint.h>

enum {
  MULTIPART_TOO_LARGE = 1,
  MULTIPART_MALFORMED = 2,
};

/* Bounds on what one body may hold; a zero member takes its default. */
typedef struct multipart_limits {
  uint64_t file_bytes;   /* all file parts together; default 20 MiB */
  size_t text_bytes;     /* all text field values together; default 64 KiB */
  size_t parts;          /* parts of any kind; default 32 */
  size_t header_bytes;   /* one part's header block; default 8 KiB */
} multipart_limits;

#define MULTIPART_DEFAULT_FILE_BYTES ((uint64_t)20 * 1024 * 1024)
#define MULTIPART_DEFAULT_TEXT_BYTES ((size_t)64 * 1024)
#define MULTIPART_DEFAULT_PARTS ((size_t)32)
#define MULTIPART_DEFAULT_HEADER_BYTES ((size_t)8 * 1024)

/* A text field: a part without a filename parameter. value is NUL-terminated
** and len bytes long (it may itself hold NUL bytes). */
typedef struct multipart_field {
  const char *name;
  const char *value;
  size_t len;
} multipart_field;

/* A file part: one with a filename parameter (possibly empty, which is what
** a browser sends when no file was chosen). filename and content_type are
** what the client claimed, for display only: never a path, never a type.
** content_type is "" when the part had none. path is the temporary file
** holding the part's size bytes. */
typedef struct multipart_file {
  const char *name;
  const char *filename;
  const char *content_type;
  const char *path;
  uint64_t size;
} multipart_file;

typedef struct multipart multipart;

/* Starts a parser for a body whose Content-Type header is content_type
** (must be multipart/form-data with a boundary parameter of 1 to 70
** characters allowed by RFC 2046, quoted or not). File parts go into
** temporary files in dir, which must exist. limits may be NULL for the
** defaults. On 0, *out is the new parser; otherwise *out is NULL and err
** says why (MULTIPART_MALFORMED for a bad Content-Type, -1 when out of
** memory or dir is too long). */
int multipart_open(multipart **out, const char *content_type, const char *dir,
                   const multipart_limits *limits, char *err, size_t errlen);

/* Feeds the next n bytes of the body. Returns 0 to ask for more (also once
** the final boundary was seen: what follows it is ignored, within a small
** bound), or a result listed above. */
int multipart_feed(multipart *m, const void *data, size_t n);

/* Tells the parser the body has ended. Returns 0 when the final boundary was
** seen and every part is complete, else MULTIPART_MALFORMED (or the earlier
** result). */
int multipart_finish(multipart *m);

/* Returns the reason for the last non-zero result, or "". */
const char *multipart_error(const multipart *m);

/* The text fields and files, in the order they came, valid until
** multipart_close. Meaningful after multipart_finish returned 0. */
size_t multipart_field_count(const multipart *m);
const multipart_field *multipart_field_at(const multipart *m, size_t i);
size_t multipart_file_count(const multipart *m);
const multipart_file *multipart_file_at(const multipart *m, size_t i);

/* Returns the value of the first text field called name, or NULL. */
const char *multipart_field_get(const multipart *m, const char *name);

/* Returns the first file part called name, or NULL. */
const multipart_file *multipart_file_get(const multipart *m, const char *name);

/* Gives file i's temporary file to the caller, who must then rename or
** remove it: multipart_close no longer removes it. */
void multipart_file_keep(multipart *m, size_t i);

/* Frees the parser and removes every temporary file not kept. NULL is
** allowed. */
void multipart_close(multipart *m);

#endif
