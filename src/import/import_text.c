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
#include "html_text.h"
#include "request.h"
#include "utf8.h"

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
    unsigned cp = utf8_decode(u + i, &len);
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
  /* A link written with "//" (https://host//page/) is read at "/page". */
  size_t to = at;
  for (size_t i = at; i < out->len; i++)
    if (!(out->data[i] == '/' && to > at && out->data[to - 1] == '/')) out->data[to++] = out->data[i];
  out->len = to;
  out->data[to] = 0;
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
    html_entities_decode(v, vn, &url);
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
  while (found < IMPORT_MAX_IMAGES && (p = next_tag_attr(p, "<img ", "src", &tag, &v, &vn)) != NULL) {
    buf_reset(&url);
    buf_putc(&url, '\n');
    html_entities_decode(v, vn, &url);
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
