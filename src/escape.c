/*
** escape.c: output escaping for HTML, XML and URLs (see escape.h).
*/
#include "escape.h"

void escape_html(buf *out, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    buf_append(out, s + start, i - start);
    buf_puts(out, rep);
    start = i + 1;
  }
  buf_append(out, s + start, n - start);
}

void escape_xml(buf *out, const char *s, size_t n) { escape_html(out, s, n); }

void escape_url(buf *out, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      buf_putc(out, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      buf_append(out, e, 3);
    }
  }
}
