/*
** slug.c: slugs from names and titles (see slug.h).
*/
#include "slug.h"

#include <string.h>

/* Decodes the character at s[0..n): sets *len to its bytes and returns
** its code point, or 0xFFFD (length 1) for a malformed byte. */
static unsigned slug_decode(const unsigned char *s, size_t n, size_t *len) {
  unsigned c = s[0];
  size_t need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                : c >= 0xF0 && c <= 0xF4 ? 3 : 4;
  *len = 1;
  if (need == 0) return c;
  if (need == 4 || need >= n) return 0xFFFD;
  unsigned cp = c & (0x3F >> need);
  for (size_t k = 1; k <= need; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  /* Overlong forms, surrogates and what lies past U+10FFFF are malformed. */
  static const unsigned least[] = {0, 0x80, 0x800, 0x10000};
  if (cp < least[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  *len = need + 1;
  return cp;
}

/* Returns 1 for a character slugs keep, 2 for one they drop silently
** (Arabic vowel marks, the tatweel, combining marks), 0 for one that
** separates words (ASCII other than letters and digits, Latin-1
** punctuation, general and CJK punctuation, symbols, malformed bytes). */
static int slug_class(unsigned cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  if (cp == 0x0640 || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
      (cp >= 0x06D6 && cp <= 0x06ED) || (cp >= 0x0300 && cp <= 0x036F))
    return 2;
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
      (cp >= 0xFF00 && cp <= 0xFF0F) || cp == 0x060C || cp == 0x061B || cp == 0x061F ||
      cp == 0x066A || cp == 0x066B || cp == 0x066C || cp == 0x066D || cp == 0x06D4 ||
      cp >= 0xFFF0 || cp == 0xFFFD || (cp >= 0x1F000 && cp <= 0x1FAFF))
    return 0;
  return 1;
}

void slug_make(buf *out, const char *text, size_t max) {
  const unsigned char *s = (const unsigned char *)text;
  size_t n = strlen(text), start = out->len, len;
  int gap = 0;
  for (size_t i = 0; i < n; i += len) {
    unsigned cp = slug_decode(s + i, n - i, &len);
    int kind = slug_class(cp);
    if (kind == 0) gap = out->len > start;
    if (kind != 1) continue;
    if (out->len - start + (size_t)gap + len > max) break;
    if (gap) buf_putc(out, '-');
    gap = 0;
    if (cp < 0x80) buf_putc(out, (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    else buf_append(out, text + i, len);
  }
}
