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
**
** Data rules: a name is looked up through the context stack (dotted names
** resolve their first part on the stack, the rest inside the result; {{.}}
** is the top of the stack). Sections treat as false what JavaScript's !!data
** does: missing, false, null, 0, "" and []; an array renders once per item,
** any other true value is pushed once. Numbers print without a fraction when
** integral, else in the shortest form that reads back the same (1.21);
** true/false print as such; null, objects and arrays print nothing.
**
** Partials and parents: each name is asked of the callback at most once per
** render and parsed once. Block overrides given to a parent also reach the
** partials that parent includes. Nesting of sections, partials, parents and
** blocks is limited to 64 levels; deeper (a partial including itself with no
** end, say) is an error. So is a render that grows too large: more than
** MUSTACHE_MAX_STEPS tags and texts rendered, or more than
** MUSTACHE_MAX_OUTPUT bytes written (sections nested over lists multiply),
** checked before each one is rendered.
*/
#ifndef GAZETTE_MUSTACHE_H
#define GAZETTE_MUSTACHE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"

enum {
  MUSTACHE_MAX_STEPS = 1048576,     /* tags and texts one render may visit */
  MUSTACHE_MAX_OUTPUT = 16777216,   /* bytes one render may write */
};

/* Returns the source text of the partial (or parent) called name, or NULL
** when there is none (which renders as nothing, as the spec says). The
** returned text must stay valid until mustache_render returns. */
typedef const char *(*mustache_partial_fn)(void *ud, const char *name);

/* Renders template source src against the context data, appending the
** output to out. partials may be NULL. Returns 0 on success; on a syntax
** error (an unclosed tag or section, a mismatched closing tag, a bad
** delimiter change) returns -1, writes a one-line message naming the
** problem and its line into err (if errlen > 0) and leaves out holding what
** was rendered so far. Errors inside a partial name the partial; exceeding
** the nesting limit is reported the same way. On success err holds "". */
int mustache_render(const char *src, const cJSON *data,
                    mustache_partial_fn partials, void *ud, buf *out,
                    char *err, size_t errlen);

/* A parsed template, kept and rendered any number of times, by any
** number of threads at once (rendering only reads it). */
typedef struct mustache_tmpl mustache_tmpl;

/* Returns the parsed template of src, which must stay valid as long as
** the result does; name is used in messages ("partial 'name', line 3:
** ..."). Returns NULL with "line N: reason" in err on a syntax error. */
mustache_tmpl *mustache_compile(const char *src, const char *name, char *err,
                                size_t errlen);

/* Frees a parsed template (not its source). */
void mustache_free(mustache_tmpl *t);

/* Called for each partial or parent a template names, with the line of the
** tag; a non-zero return stops the walk and is returned. */
typedef int (*mustache_include_fn)(void *ud, const char *name, unsigned line);

/* Calls fn for every {{>partial}} and {{<parent}} of t, in order. Returns
** 0, or the first non-zero value fn returned. */
int mustache_includes(const mustache_tmpl *t, mustache_include_fn fn, void *ud);

/* Returns the parsed partial (or parent) called name, or NULL. */
typedef const mustache_tmpl *(*mustache_lookup_fn)(void *ud, const char *name);

/* Renders the parsed template t like mustache_render, finding partials and
** parents already parsed through lookup. Returns 0, or -1 with a message
** in err (only the nesting limit can fail here). */
int mustache_render_compiled(const mustache_tmpl *t, const cJSON *data,
                             mustache_lookup_fn lookup, void *ud, buf *out,
                             char *err, size_t errlen);

#endif
