/*
** fuzz_markdown: Markdown to HTML (src/markdown.h), cmark in its safe mode.
**
** Input: the Markdown text, any bytes. The HTML must come back, be valid
** UTF-8 without NUL, and hold only the tags cmark writes itself: raw HTML
** is dropped, and no link or picture points at a javascript: or vbscript:
** address.
*/
#include "fuzz.h"

#include <ctype.h>

#include "markdown.h"
#include "utf8.h"

/* What may follow a '<' in the HTML: the tags cmark writes. */
static const char *const TAGS[] = {
    "p>", "/p>", "a href=\"", "/a>", "img src=\"", "em>", "/em>", "strong>", "/strong>",
    "code>", "/code>", "code class=\"language-", "pre>", "/pre>", "ul>", "/ul>", "ol>",
    "ol start=\"", "/ol>", "li>", "/li>", "blockquote>", "/blockquote>", "hr />", "br />",
    "h1>", "h2>", "h3>", "h4>", "h5>", "h6>", "/h1>", "/h2>", "/h3>", "/h4>", "/h5>", "/h6>",
    "!-- raw HTML omitted -->"};

/* Returns 1 when s (after a '<') starts with one of TAGS. */
static int known_tag(const char *s) {
  for (size_t i = 0; i < sizeof TAGS / sizeof *TAGS; i++)
    if (strncmp(s, TAGS[i], strlen(TAGS[i])) == 0) return 1;
  return 0;
}

/* Returns 1 when the address at s (an attribute value) has a scheme that
** runs script, whatever its case. */
static int script_url(const char *s) {
  const char *bad[] = {"javascript:", "vbscript:"};
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(bad[i]), k = 0;
    while (k < n && s[k] && tolower((unsigned char)s[k]) == bad[i][k]) k++;
    if (k == n) return 1;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *md = malloc(size ? size : 1);
  if (!md) abort();
  if (size) memcpy(md, data, size);
  char *html = markdown_render(md, size);
  FUZZ_CHECK(html != NULL);
  FUZZ_CHECK(utf8_valid(html, strlen(html)));
  for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
    if (!known_tag(p + 1)) fprintf(stderr, "unexpected markup: %.60s\n", p);
    FUZZ_CHECK(known_tag(p + 1));
  }
  for (const char *p = html; (p = strstr(p, "href=\"")) != NULL; p += 6)
    FUZZ_CHECK(!script_url(p + 6));
  for (const char *p = html; (p = strstr(p, "src=\"")) != NULL; p += 5)
    FUZZ_CHECK(!script_url(p + 5));
  free(html);
  free(md);
  return 0;
}
