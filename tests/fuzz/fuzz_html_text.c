/*
** fuzz_html_text: HTML to plain text (src/lib/html_text.h), which reads
** the titles, excerpts and comments of a WordPress export and the HTML
** bodies the search index reads.
**
** Input: one byte whose lowest bit is the lines option, then the HTML (a
** NUL ends it, as texts are C strings). The text must keep its promises:
** valid UTF-8 when the HTML was, no control character (but line feeds
** with lines), no white space at either end; without lines no line feed
** and no two spaces in a row, with lines at most one blank line in a row.
*/
#include "fuzz.h"

#include "html_text.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int lines = data[0] & 1;
  char *html = fuzz_strndup(data + 1, size - 1);
  buf out = {0};
  html_text_plain(html, lines, &out);
  const char *s = buf_str(&out);
  size_t n = out.len;
  FUZZ_CHECK(strlen(s) == n);
  if (utf8_valid(html, strlen(html))) FUZZ_CHECK(utf8_valid(s, n));
  if (n) {
    FUZZ_CHECK(s[0] != ' ' && s[0] != '\n' && s[n - 1] != ' ' && s[n - 1] != '\n');
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    FUZZ_CHECK(c >= 0x20 || (lines && c == '\n'));
    FUZZ_CHECK(c != 0x7F);
    if (!lines) FUZZ_CHECK(!(c == ' ' && s[i + 1] == ' '));
  }
  if (lines) FUZZ_CHECK(strstr(s, "\n\n\n") == NULL);
  buf_free(&out);
  free(html);
  return 0;
}
