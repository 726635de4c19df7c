/*
** markdown.h: Markdown to HTML with cmark, in its safe mode (raw HTML and
** dangerous URLs are dropped). Called when an article is written, never
** per request.
*/
#ifndef GAZETTE_MARKDOWN_H
#define GAZETTE_MARKDOWN_H

#include <stddef.h>

/* Returns newly allocated HTML for the Markdown md[0..n), or NULL when out
** of memory. The caller frees it with free(). */
char *markdown_render(const char *md, size_t n);

#endif
