/*
** escape.h: the one module that owns output escaping.
**
** Every byte that reaches HTML, a URL or a header from data goes through one
** of these functions (the template engine calls escape_html for {{name}}).
*/
#ifndef GAZETTE_ESCAPE_H
#define GAZETTE_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* Appends s[0..n) to out with & < > " ' replaced by character references. */
void escape_html(buf *out, const char *s, size_t n);

/* Appends s[0..n) to out percent-encoded for use in a URL path segment or
** query value: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX. */
void escape_url(buf *out, const char *s, size_t n);

/* Appends s[0..n) to out as the inside of an XML text node or attribute
** (same rules as HTML, named for feeds). */
void escape_xml(buf *out, const char *s, size_t n);

#endif
