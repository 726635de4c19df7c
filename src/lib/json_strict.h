/*
** json_strict.h: a strict JSON parser for request bodies, building a cJSON
** tree.
**
** cJSON_Parse is lenient: it stops after the first value (so trailing data
** and a second object pass), keeps both members of a repeated name (and
** lookups see the first), and cuts a string at a raw NUL or a \u0000. A
** body read by this parser is JSON as RFC 8259 defines it and nothing
** else:
**   - exactly one value, with only white space (space, tab, LF, CR) around
**     it; no byte order mark, no comments, no trailing commas;
**   - strings of well-formed UTF-8 with no raw control character
**     (U+0000..U+001F), no \u0000 escape and no unpaired surrogate escape;
**   - numbers in the RFC's grammar, within the range of a double (and at
**     most 100 characters long, the "precision" limit the RFC allows);
**   - no object that names a member twice, at any depth (found by sorting
**     each object's names: O(k log k) for k members);
**   - arrays and objects nested at most max_depth deep, and at most
**     max_bytes of input.
** The parser keeps no global state and may run in any number of threads.
*/
#ifndef GAZETTE_JSON_STRICT_H
#define GAZETTE_JSON_STRICT_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Why a body was refused: the positive results of json_strict_parse. */
enum json_strict_refusal {
  JSON_STRICT_TOO_LARGE = 1, /* longer than max_bytes */
  JSON_STRICT_TOO_DEEP,      /* arrays and objects nested deeper than max_depth */
  JSON_STRICT_SYNTAX,        /* not JSON: an unexpected character, or the end */
  JSON_STRICT_TRAILING,      /* something other than white space after the value */
  JSON_STRICT_BAD_STRING,    /* a control character, bad escape, \u0000,
                                unpaired surrogate or invalid UTF-8 */
  JSON_STRICT_BAD_NUMBER,    /* a number too large for a double, or too long */
  JSON_STRICT_DUPLICATE,     /* an object names a member twice */
};

/* What went wrong, filled when json_strict_parse does not return 0. */
typedef struct json_strict_error {
  int kind;           /* a json_strict_refusal, or -1 when out of memory */
  size_t offset;      /* byte offset of the problem in the input */
  const char *reason; /* short English text, e.g. "duplicate member name" */
} json_strict_error;

/* Parses s[0..n) (which may hold NUL bytes and need not be NUL-terminated)
** into a new cJSON tree at *out, which the caller deletes. Returns 0; a
** json_strict_refusal with *err filled and *out NULL; or -1 (with *err
** saying so, *out NULL) when memory ran out. max_depth counts arrays and
** objects: 1 allows a flat object. */
int json_strict_parse(const char *s, size_t n, size_t max_bytes, int max_depth,
                      cJSON **out, json_strict_error *err);

#endif
