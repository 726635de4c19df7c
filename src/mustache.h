/*
** mustache.h: a Mustache renderer over cJSON data.
**
** Implements the core of the Mustache spec (interpolation, sections,
** inverted sections, comments, partials, set delimiters) and the optional
** inheritance module ({{<parent}} {{$block}}). Lambdas and dynamic names are
** not supported. {{name}} output is escaped with escape_html (which also
** escapes '); {{{name}}} and {{&name}} are written raw.
**
** Rendering is reentrant: it keeps no global state, so any number of
** threads may render the same read-only template sources at once.
*/
#ifndef GAZETTE_MUSTACHE_H
#define GAZETTE_MUSTACHE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"

/* Returns the source text of the partial (or parent) called name, or NULL
** when there is none (which renders as nothing, as the spec says). The
** returned text must stay valid until mustache_render returns. */
typedef const char *(*mustache_partial_fn)(void *ud, const char *name);

/* Renders template source src against the context data, appending the
** output to out. partials may be NULL. Returns 0 on success; on a syntax
** error (an unclosed tag or section, a mismatched closing tag, a bad
** delimiter change) returns -1, writes a one-line message naming the
** problem and its line into err (if errlen > 0) and leaves out holding what
** was rendered so far. */
int mustache_render(const char *src, const cJSON *data,
                    mustache_partial_fn partials, void *ud, buf *out,
                    char *err, size_t errlen);

#endif
