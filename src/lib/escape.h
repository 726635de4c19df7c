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

/* Appends a site path: prefix ("/articles/") followed by the
** percent-encoded slug. */
void escape_path(buf *out, const char *prefix, const char *slug);

/* Appends s[0..n) to out as the inside of an XML text node or attribute
** (same rules as HTML, named for feeds). */
void escape_xml(buf *out, const char *s, size_t n);

/* Appends the JSON text s[0..n) for an HTML <script> data block (JSON-LD):
** every <, > and & becomes its JSON escape (\u003c, \u003e, \u0026), and
** U+2028 and U+2029 theirs, so that nothing in it can end the element
** ("</script>") or open a comment ("<!--"), while the JSON means the
** same. */
void escape_json_script(buf *out, const char *s, size_t n);

/* Removes, in place, the characters XML 1.0 forbids from the UTF-8 string
** s: C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF. */
void escape_xml_clean(char *s);

/* Appends the plain text s[0..n) as HTML: escaped like escape_html, with
** each http:// or https:// address made a link marked rel="nofollow ugc".
** Line breaks are kept as they are (the page shows them). */
void escape_text_links(buf *out, const char *s, size_t n);

/* Returns how many web addresses (http://, https://, www.) s holds. */
int escape_count_links(const char *s);

#endif
