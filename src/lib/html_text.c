/*
** html_text.c: HTML to plain text, and HTML's character references (see
** html_text.h).
*/
#include "html_text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* The named character references WordPress writes into titles and
** comments (its wptexturize and the editors' own). */
static const struct {
  const char *name;
  unsigned cp;
} NAMED[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},    {"nbsp", 0xA0},    {"hellip", 0x2026}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},   {"raquo", 0xBB},    {"copy", 0xA9},
    {"reg", 0xAE},     {"trade", 0x2122}, {"euro", 0x20AC},   {"pound", 0xA3},
    {"times", 0xD7},   {"bull", 0x2022},  {"middot", 0xB7},   {"deg", 0xB0},
};

/* Decodes the character reference at s ('&' ...): appends its character
** to out and returns the bytes it took, or 0 when s is no reference. */
size_t html_entity_at(const char *s, buf *out) {
  size_t n = 1;
  unsigned cp = 0;
  if (s[1] == '#') {
    int hex = s[2] == 'x' || s[2] == 'X';
    n = hex ? 3 : 2;
    size_t start = n;
    while (n - start < 8 && (hex ? isxdigit((unsigned char)s[n]) : isdigit((unsigned char)s[n]))) {
      cp = cp * (hex ? 16 : 10) + (unsigned)(isdigit((unsigned char)s[n]) ? s[n] - '0'
                                                   : (tolower((unsigned char)s[n]) - 'a' + 10));
      n++;
    }
    if (n == start || s[n] != ';') return 0;
    utf8_put(out, cp);
    return n + 1;
  }
  while (n < 10 && isalnum((unsigned char)s[n])) n++;
  if (s[n] != ';') return 0;
  for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++)
    if (strlen(NAMED[i].name) == n - 1 && !strncmp(s + 1, NAMED[i].name, n - 1)) {
      utf8_put(out, NAMED[i].cp);
      return n + 1;
    }
  return 0;
}

/* Appends s[0..n) to out with its character references decoded (a
** reference ends at its ';', which no attribute value's end can hide). */
void html_entities_decode(const char *s, size_t n, buf *out) {
  for (size_t i = 0; i < n;) {
    size_t k = s[i] == '&' ? html_entity_at(s + i, out) : 0;
    if (k) i += k;
    else buf_putc(out, s[i++]);
  }
}

/* Returns 1 when the tag name t[0..n) is word, without case. */
static int tag_is(const char *t, size_t n, const char *word) {
  return strlen(word) == n && strncasecmp(t, word, n) == 0;
}

/* The elements that sit inside a line of text: a word may run across
** their tags ("<b>W</b>ord"). Any other tag separates words. */
static const char *const INLINE_TAGS[] = {"a",   "abbr", "b",    "bdi",  "bdo", "cite", "code",
                                          "del", "dfn",  "em",   "i",    "ins", "kbd",  "mark",
                                          "q",   "s",    "samp", "small", "span", "strong",
                                          "sub", "sup",  "time", "u",    "var"};

/* Returns 1 when the tag name t[0..n) is one of INLINE_TAGS. */
static int tag_inline(const char *t, size_t n) {
  for (size_t i = 0; i < sizeof INLINE_TAGS / sizeof INLINE_TAGS[0]; i++)
    if (tag_is(t, n, INLINE_TAGS[i])) return 1;
  return 0;
}

/* Reads the value of attribute name in the tag text t[0..n) into out
** (entities decoded). Returns 1 when found. */
static int tag_attr(const char *t, size_t n, const char *name, buf *out) {
  size_t nl = strlen(name);
  for (size_t i = 0; i + nl + 1 < n; i++) {
    if (!isspace((unsigned char)t[i]) || strncasecmp(t + i + 1, name, nl)) continue;
    size_t j = i + 1 + nl;
    while (j < n && isspace((unsigned char)t[j])) j++;
    if (j >= n || t[j] != '=') continue;
    j++;
    while (j < n && isspace((unsigned char)t[j])) j++;
    char q = j < n && (t[j] == '"' || t[j] == '\'') ? t[j++] : 0;
    size_t e = j;
    while (e < n && (q ? t[e] != q : !isspace((unsigned char)t[e]) && t[e] != '>')) e++;
    html_entities_decode(t + j, e - j, out);
    return 1;
  }
  return 0;
}

/* The state of html_text_plain's walk. */
typedef struct plain {
  buf raw;        /* text with breaks, before the spaces are tidied */
  int lines;
  buf href;       /* the open link's address */
  size_t link_at; /* where the open link's text starts in raw, or -1 */
} plain;

/* Handles the tag t[0..n) (between < and >). */
static void plain_tag(plain *p, const char *t, size_t n) {
  int close = n && t[0] == '/';
  const char *name = t + close;
  size_t nl = 0;
  while (close + nl < n && (isalnum((unsigned char)name[nl]))) nl++;
  if (!p->lines) {
    if (!tag_inline(name, nl)) buf_putc(&p->raw, ' ');
    return;
  }
  if (tag_is(name, nl, "br")) {
    buf_putc(&p->raw, '\n');
  } else if (close && (tag_is(name, nl, "p") || tag_is(name, nl, "div") || tag_is(name, nl, "li") ||
                       tag_is(name, nl, "blockquote") || (nl == 2 && tolower((unsigned char)name[0]) == 'h' &&
                                                          name[1] >= '1' && name[1] <= '6'))) {
    buf_puts(&p->raw, "\n\n");
  } else if (!close && tag_is(name, nl, "a")) {
    buf_reset(&p->href);
    p->link_at = tag_attr(t, n, "href", &p->href) ? p->raw.len : (size_t)-1;
  } else if (close && tag_is(name, nl, "a") && p->link_at != (size_t)-1) {
    const char *u = buf_str(&p->href);
    size_t tl = p->raw.len - p->link_at;
    int web = !strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8);
    if (web && !(tl == p->href.len && !strncmp(p->raw.data + p->link_at, u, tl)))
      buf_printf(&p->raw, " (%s)", u);
    p->link_at = (size_t)-1;
  }
}

/* Appends raw to out with white space tidied (see html_text_plain). */
static void plain_tidy(const buf *raw, int lines, buf *out) {
  size_t start = out->len;
  int space = 0, breaks = 0;
  const unsigned char *s = (const unsigned char *)buf_str(raw);
  for (size_t i = 0; i < raw->len;) {
    size_t len;
    unsigned cp = utf8_decode(s + i, &len);
    if (cp == '\n' && lines) {
      breaks++;
      space = 0;
    } else if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == '\f' ||
               cp == '\v') {
      space = 1;
    } else if (cp < 0x20 || cp == 0x7F) {
      /* a control character goes */
    } else {
      if (out->len > start) {
        if (breaks) buf_puts(out, breaks > 1 ? "\n\n" : "\n");
        else if (space) buf_putc(out, ' ');
      }
      breaks = space = 0;
      buf_append(out, (const char *)s + i, len);
    }
    i += len;
  }
}

void html_text_plain(const char *s, int lines, buf *out) {
  plain p = {.lines = lines, .link_at = (size_t)-1};
  for (size_t i = 0; s[i];) {
    if (s[i] == '<' && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
      const char *end = strchr(s + i, '>');
      if (!end) break;
      size_t n = (size_t)(end - s - i - 1);
      const char *t = s + i + 1;
      /* What scripts and styles hold is no text. */
      if (tag_is(t, n < 6 ? n : 6, "script") || tag_is(t, n < 5 ? n : 5, "style")) {
        const char *close = strcasestr(end, t[1] == 'c' || t[1] == 'C' ? "</script" : "</style");
        end = close ? strchr(close, '>') : NULL;
        if (!end) break;
      } else if (t[0] != '!') {
        plain_tag(&p, t, n);
      }
      i = (size_t)(end - s) + 1;
    } else if (s[i] == '&') {
      size_t k = html_entity_at(s + i, &p.raw);
      if (!k) buf_putc(&p.raw, '&');
      i += k ? k : 1;
    } else {
      if (!(s[i] == '\r' && s[i + 1] == '\n')) buf_putc(&p.raw, s[i] == '\r' ? '\n' : s[i]);
      i++;
    }
  }
  plain_tidy(&p.raw, lines, out);
  buf_free(&p.raw);
  buf_free(&p.href);
}

