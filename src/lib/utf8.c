/*
** utf8.c: UTF-8 validation and measuring (see utf8.h).
*/
#include "utf8.h"

#include <string.h>

int utf8_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c == 0) return 0;
    if (c < 0x80) { i++; continue; }
    size_t need;
    unsigned min, cp;
    if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; cp = c & 0x07; }
    else return 0;
    if (n - i <= need) return 0;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    i += need + 1;
  }
  return 1;
}

size_t utf8_length(const char *s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
  return count;
}

/* Decodes the code point at s[*i] of the valid UTF-8 string s and moves *i
** past it. */
static unsigned utf8_next(const unsigned char *s, size_t *i) {
  size_t len;
  unsigned cp = utf8_decode(s + *i, &len);
  *i += len;
  return cp;
}

int utf8_is_unsafe(unsigned cp, int lines) {
  if (lines && (cp == '\n' || cp == '\t')) return 0;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||  /* C0, DEL, C1 */
         (cp >= 0x202A && cp <= 0x202E) ||            /* LRE RLE PDF LRO RLO */
         (cp >= 0x2066 && cp <= 0x2069) ||            /* LRI RLI FSI PDI */
         (!lines && (cp == 0x2028 || cp == 0x2029));  /* line, paragraph separators */
}

long utf8_find_unsafe(const char *s, size_t n, int lines) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    size_t at = i;
    if (utf8_is_unsafe(utf8_next(u, &i), lines)) return (long)at;
  }
  return -1;
}

size_t utf8_strip_unsafe(char *s, size_t n, int lines) {
  const unsigned char *u = (const unsigned char *)s;
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    size_t at = i;
    if (utf8_is_unsafe(utf8_next(u, &i), lines)) continue;
    memmove(s + w, s + at, i - at);
    w += i - at;
  }
  if (w < n) s[w] = 0;
  return w;
}

unsigned utf8_decode(const unsigned char *s, size_t *len) {
  unsigned c = s[0];
  size_t n = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3
           : c >= 0xF0 && c < 0xF5 ? 4 : 0;
  for (size_t k = 1; k < n; k++)
    if ((s[k] & 0xC0) != 0x80) n = 0; /* a NUL or any other byte ends it */
  if (n == 0) {
    *len = 1;
    return 0xFFFD;
  }
  *len = n;
  if (n == 1) return c;
  if (n == 2) return ((c & 0x1F) << 6) | (s[1] & 0x3F);
  if (n == 3) return ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  return ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* Appends code point cp to out as UTF-8; nothing for NUL, surrogates or
** anything past U+10FFFF. */
void utf8_put(buf *out, unsigned cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return;
  if (cp < 0x80) {
    buf_putc(out, (char)cp);
  } else if (cp < 0x800) {
    buf_putc(out, (char)(0xC0 | (cp >> 6)));
    buf_putc(out, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    buf_putc(out, (char)(0xE0 | (cp >> 12)));
    buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
    buf_putc(out, (char)(0x80 | (cp & 0x3F)));
  } else {
    buf_putc(out, (char)(0xF0 | (cp >> 18)));
    buf_putc(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
    buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
    buf_putc(out, (char)(0x80 | (cp & 0x3F)));
  }
}

int utf8_cut(const char *s, size_t max_chars, buf *out) {
  const unsigned char *u = (const unsigned char *)s;
  size_t chars = 0, cut = 0, len;
  for (size_t i = 0; u[i]; i += len, chars++) {
    if (chars + 1 == max_chars) cut = i;
    utf8_decode(u + i, &len);
  }
  if (chars <= max_chars) {
    buf_puts(out, s);
    return 0;
  }
  /* At a word's end among the last few characters, when there is one. */
  size_t keep = cut;
  for (size_t k = cut; k > cut / 2 && cut - k < 80; k--)
    if (u[k] == ' ') {
      keep = k;
      break;
    }
  buf_append(out, s, keep);
  while (out->len && out->data[out->len - 1] == ' ') out->data[--out->len] = 0;
  buf_puts(out, "…");
  return 1;
}
