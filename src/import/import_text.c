/*
** import_text.c: the WordPress import's work on text (see import_text.h).
*/
#include "import_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "request.h"

/* ---- characters ------------------------------------------------------- */

/* Decodes the UTF-8 character at s (valid UTF-8 assumed, as the WXR
** reader guarantees): sets *len to its bytes and returns its code point. */
static unsigned utf8_at(const unsigned char *s, size_t *len) {
  unsigned c = s[0];
  if (c < 0x80 || !s[1]) {
    *len = 1;
    return c;
  }
  if (c < 0xE0) {
    *len = 2;
    return ((c & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if (c < 0xF0 || !s[2]) {
    *len = s[2] ? 3 : 2;
    return ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  *len = s[3] ? 4 : 3;
  return ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* Appends code point cp to out as UTF-8; nothing for NUL, surrogates or
** anything past U+10FFFF. */
static void utf8_put(buf *out, unsigned cp) {
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
static size_t entity_at(const char *s, buf *out) {
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
static void entities_decode(const char *s, size_t n, buf *out) {
  for (size_t i = 0; i < n;) {
    size_t k = s[i] == '&' ? entity_at(s + i, out) : 0;
    if (k) i += k;
    else buf_putc(out, s[i++]);
  }
}

/* ---- HTML to text -------------------------------------------------------- */

/* Returns 1 when the tag name t[0..n) is word, without case. */
static int tag_is(const char *t, size_t n, const char *word) {
  return strlen(word) == n && strncasecmp(t, word, n) == 0;
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
    entities_decode(t + j, e - j, out);
    return 1;
  }
  return 0;
}

/* The state of import_text_plain's walk. */
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
    if (tag_is(name, nl, "br") || tag_is(name, nl, "p") || tag_is(name, nl, "li")) buf_putc(&p->raw, ' ');
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

/* Appends raw to out with white space tidied (see import_text_plain). */
static void plain_tidy(const buf *raw, int lines, buf *out) {
  size_t start = out->len;
  int space = 0, breaks = 0;
  const unsigned char *s = (const unsigned char *)buf_str(raw);
  for (size_t i = 0; i < raw->len;) {
    size_t len;
    unsigned cp = utf8_at(s + i, &len);
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

void import_text_plain(const char *s, int lines, buf *out) {
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
      size_t k = entity_at(s + i, &p.raw);
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

int import_text_cut(const char *s, size_t max_chars, buf *out) {
  const unsigned char *u = (const unsigned char *)s;
  size_t chars = 0, cut = 0, len;
  for (size_t i = 0; u[i]; i += len, chars++) {
    if (chars + 1 == max_chars) cut = i;
    utf8_at(u + i, &len);
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

void import_text_slug(const char *s, buf *out) {
  size_t at = out->len;
  if (strchr(s, '%') && percent_decode(s, strlen(s), 0, out) == 0) return;
  out->len = at;
  if (out->data) out->data[at] = 0;
  buf_puts(out, s);
}

int import_text_rtl(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  long rtl = 0, ltr = 0;
  for (size_t i = 0, len; u[i]; i += len) {
    unsigned cp = utf8_at(u + i, &len);
    if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF)) {
      /* Letters only: not the Arabic digits and punctuation. */
      if (!(cp >= 0x0660 && cp <= 0x066D) && cp != 0x060C && cp != 0x061B && cp != 0x061F) rtl++;
    } else if ((cp < 0x80 && isalpha((int)cp)) || (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7) ||
               (cp >= 0x3040 && cp < 0xFB00)) {
      ltr++;
    }
  }
  return rtl > ltr;
}

/* ---- addresses ------------------------------------------------------------ */

/* Finds the host of the absolute http(s) address url: sets *host and *n
** (without a port or "www."). Returns 1, or 0 when url is not one. */
static int url_host(const char *url, const char **host, size_t *n, const char **rest) {
  size_t skip = !strncasecmp(url, "https://", 8) ? 8 : !strncasecmp(url, "http://", 7) ? 7 : 0;
  if (!skip) return 0;
  const char *h = url + skip;
  size_t len = strcspn(h, "/?#");
  *rest = h + len;
  const char *colon = memchr(h, ':', len);
  if (memchr(h, '@', len)) return 0;
  if (colon) len = (size_t)(colon - h);
  if (len > 4 && !strncasecmp(h, "www.", 4)) h += 4, len -= 4;
  if (len == 0 || len >= 256) return 0;
  *host = h;
  *n = len;
  return 1;
}

void import_hosts_add(import_hosts *h, const char *url) {
  const char *host, *rest;
  size_t n;
  if (!url_host(url, &host, &n, &rest) || h->n == IMPORT_HOSTS_MAX) return;
  char name[256];
  for (size_t i = 0; i < n; i++) name[i] = (char)tolower((unsigned char)host[i]);
  name[n] = 0;
  for (int i = 0; i < h->n; i++)
    if (!strcmp(h->name[i], name)) return;
  memcpy(h->name[h->n], name, n + 1);
  snprintf(h->www[h->n], sizeof h->www[0], "www.%s", name);
  h->n++;
  for (int i = 0; i < h->n; i++) {
    h->list[2 * i] = h->name[i];
    h->list[2 * i + 1] = h->www[i];
  }
  h->list[2 * h->n] = NULL;
}

/* Returns 1 when the host host[0..n) is one of h's, without case. */
static int hosts_have(const import_hosts *h, const char *host, size_t n) {
  for (int i = 0; i < h->n; i++)
    if (strlen(h->name[i]) == n && !strncasecmp(h->name[i], host, n)) return 1;
  return 0;
}

/* Appends to out the key of an address by query (?p=ID, ?page_id=ID,
** ?cat=ID) in query q[0..n) ("p=5&x=1"). Returns 1 when it holds one. */
static int query_key(const char *q, size_t n, buf *out) {
  static const char *const keys[] = {"p", "page_id", "cat"};
  for (const char *p = q; p < q + n;) {
    size_t len = strcspn(p, "&");
    if (len > (size_t)(q + n - p)) len = (size_t)(q + n - p);
    for (size_t k = 0; k < 3; k++) {
      size_t kl = strlen(keys[k]);
      size_t digits = len > kl + 1 ? strspn(p + kl + 1, "0123456789") : 0;
      if (len > kl + 1 && !strncmp(p, keys[k], kl) && p[kl] == '=' && digits == len - kl - 1 &&
          digits <= 16) {
        buf_printf(out, "/?%s=%.*s", keys[k], (int)digits, p + kl + 1);
        return 1;
      }
    }
    p += len + 1;
  }
  return 0;
}

int import_text_old_path(const import_hosts *h, const char *url, buf *out) {
  const char *host, *rest;
  size_t n;
  if (url_host(url, &host, &n, &rest)) {
    if (!hosts_have(h, host, n)) return 0;
  } else if (url[0] == '/' && url[1] != '/') {
    rest = url;
  } else {
    return 0;
  }
  size_t plen = strcspn(rest, "?#");
  const char *query = rest[plen] == '?' ? rest + plen + 1 : NULL;
  size_t qlen = query ? strcspn(query, "#") : 0;
  size_t at = out->len;
  if (plen == 0 || (plen == 1 && rest[0] == '/') || (plen == 10 && !strncmp(rest, "/index.php", 10)))
    return query && query_key(query, qlen, out);
  if (percent_decode(rest, plen, 0, out) != 0) {
    out->len = at;
    if (out->data) out->data[at] = 0;
    return 0;
  }
  while (out->len > at + 1 && out->data[out->len - 1] == '/') out->data[--out->len] = 0;
  return 1;
}

int import_text_date_path(const char *date, const char *slug, int with_day, buf *out) {
  if (strlen(date) < 10 || date[4] != '-' || date[7] != '-' || !*slug) return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !isdigit((unsigned char)date[i])) return 0;
  if (!strncmp(date, "0000", 4)) return 0;
  if (with_day) buf_printf(out, "/%.4s/%.2s/%.2s/%s", date, date + 5, date + 8, slug);
  else buf_printf(out, "/%.4s/%.2s/%s", date, date + 5, slug);
  return 1;
}

/* ---- a sanitized body's links and pictures ------------------------------ */

/* Finds in html, from p, the next tag that opens with "<name " and its
** attribute attr="...": sets *tag (its start), *v and *vn (the value, as
** written) and returns the end of the tag (after '>'), or NULL. */
static const char *next_tag_attr(const char *p, const char *open, const char *attr,
                                 const char **tag, const char **v, size_t *vn) {
  size_t al = strlen(attr);
  while ((p = strstr(p, open)) != NULL) {
    const char *end = strchr(p, '>');
    if (!end) return NULL;
    for (const char *a = p; a + al + 2 < end; a++) {
      if (a[0] == ' ' && !strncmp(a + 1, attr, al) && a[al + 1] == '=' && a[al + 2] == '"') {
        const char *val = a + al + 3, *q = memchr(val, '"', (size_t)(end - val));
        if (!q) break;
        *tag = p;
        *v = val;
        *vn = (size_t)(q - val);
        return end + 1;
      }
    }
    p = end + 1;
  }
  return NULL;
}

void import_text_links(const char *html, import_link_fn fn, void *ud, buf *out, int *changed) {
  const char *p = html, *tag, *v, *end;
  size_t vn;
  buf url = {0}, to = {0};
  *changed = 0;
  while ((end = next_tag_attr(p, "<a ", "href", &tag, &v, &vn)) != NULL) {
    buf_reset(&url);
    buf_reset(&to);
    entities_decode(v, vn, &url);
    buf_append(out, p, (size_t)(v - p));
    if (fn(ud, buf_str(&url), &to)) {
      escape_html(out, buf_str(&to), to.len);
      ++*changed;
    } else {
      buf_append(out, v, vn);
    }
    buf_append(out, v + vn, (size_t)(end - v - vn));
    p = end;
  }
  buf_puts(out, p);
  buf_free(&url);
  buf_free(&to);
}

size_t import_text_images(const char *html, import_image_fn fn, void *ud) {
  const char *p = html, *tag, *v;
  size_t vn, found = 0;
  buf url = {0}, seen = {0};
  buf_putc(&seen, '\n');
  while ((p = next_tag_attr(p, "<img ", "src", &tag, &v, &vn)) != NULL) {
    buf_reset(&url);
    buf_putc(&url, '\n');
    entities_decode(v, vn, &url);
    buf_putc(&url, '\n');
    if (strstr(buf_str(&seen), buf_str(&url))) continue;
    buf_append(&seen, url.data + 1, url.len - 1);
    found++;
    url.data[url.len - 1] = 0;
    if (fn(ud, url.data + 1)) break;
  }
  buf_free(&url);
  buf_free(&seen);
  return found;
}

int import_text_upload_file(const char *url, buf *out) {
  const char *host, *rest;
  size_t n;
  if (!url_host(url, &host, &n, &rest) || *rest != '/') return 0;
  const char *up = strstr(rest, "/wp-content/uploads/");
  const char *from = up ? up + 20 : rest + 1;
  size_t len = strcspn(from, "?#");
  size_t at = out->len;
  if (len == 0 || percent_decode(from, len, 0, out) != 0) {
    out->len = at;
    if (out->data) out->data[at] = 0;
    return 0;
  }
  return 1;
}
