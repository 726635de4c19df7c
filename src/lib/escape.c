/*
** escape.c: output escaping for HTML, XML and URLs (see escape.h).
*/
#include "escape.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

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

/* Returns the length of the address starting at s (which starts with
** http:// or https://): up to white space or a character that cannot end
** an address, without trailing punctuation. */
static size_t link_length(const char *s, size_t n) {
  size_t len = 0;
  while (len < n && (unsigned char)s[len] > ' ' && !strchr("<>\"'`", s[len])) len++;
  while (len > 0 && strchr(".,;:!?)]}", s[len - 1])) len--;
  return len;
}

/* Returns 1 when s[0..n) starts with an http:// or https:// address. */
static int link_starts(const char *s, size_t n) {
  return (n > 7 && strncasecmp(s, "http://", 7) == 0) ||
         (n > 8 && strncasecmp(s, "https://", 8) == 0);
}

void escape_text_links(buf *out, const char *s, size_t n) {
  size_t i = 0, start = 0;
  while (i < n) {
    size_t len;
    if ((i == 0 || !isalnum((unsigned char)s[i - 1])) && link_starts(s + i, n - i) &&
        (len = link_length(s + i, n - i)) > 8) {
      escape_html(out, s + start, i - start);
      buf_puts(out, "<a href=\"");
      escape_html(out, s + i, len);
      buf_puts(out, "\" rel=\"nofollow ugc\">");
      escape_html(out, s + i, len);
      buf_puts(out, "</a>");
      i += len;
      start = i;
    } else {
      i++;
    }
  }
  escape_html(out, s + start, n - start);
}

int escape_count_links(const char *s) {
  int count = 0;
  for (const char *p = s; *p; p++) {
    if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
      count++;
      p += 6;
    } else if (strncasecmp(p, "www.", 4) == 0 && (p == s || p[-1] != '/')) {
      count++;
      p += 3;
    }
  }
  return count;
}

void escape_xml_clean(char *s) {
  unsigned char *r = (unsigned char *)s, *w = r;
  while (*r) {
    if (*r < 0x20 && *r != '\t' && *r != '\n' && *r != '\r') {
      r++;
    } else if (r[0] == 0xEF && r[1] == 0xBF && (r[2] == 0xBE || r[2] == 0xBF)) {
      r += 3;
    } else {
      *w++ = *r++;
    }
  }
  *w = 0;
}

void escape_path(buf *out, const char *prefix, const char *slug) {
  buf_puts(out, prefix);
  escape_url(out, slug, strlen(slug));
}

void escape_json_script(buf *out, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const unsigned char *u = (const unsigned char *)s + i;
    const char *rep = NULL;
    size_t len = 1;
    if (*u == '<') rep = "\\u003c";
    else if (*u == '>') rep = "\\u003e";
    else if (*u == '&') rep = "\\u0026";
    else if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
      rep = u[2] == 0xA8 ? "\\u2028" : "\\u2029", len = 3;
    if (!rep) continue;
    buf_append(out, s + start, i - start);
    buf_puts(out, rep);
    i += len - 1;
    start = i + 1;
  }
  buf_append(out, s + start, n - start);
}
