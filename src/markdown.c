/*
** markdown.c: cmark wrapper (see markdown.h).
*/
#include "markdown.h"

#include <cmark.h>

char *markdown_render(const char *md, size_t n) {
  /* CMARK_OPT_DEFAULT is safe since cmark 0.29: raw HTML is replaced by a
  ** comment and javascript: links are removed. Malformed UTF-8 would pass
  ** through unchanged without VALIDATE_UTF8, which makes it U+FFFD. */
  return cmark_markdown_to_html(md, n, CMARK_OPT_DEFAULT | CMARK_OPT_SMART |
                                           CMARK_OPT_VALIDATE_UTF8);
}
