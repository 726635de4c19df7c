/*
** fuzz_sanitize.c: libFuzzer target for the HTML sanitizer. The first
** byte chooses the options; the rest is the body. Besides not crashing,
** the result must be UTF-8, hold nothing that is refused, and come out
** the same when sanitized again as plain HTML.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "sanitize.h"
#include "utf8.h"

static const char *const EMBEDS[] = {"www.youtube.com/embed/", "player.vimeo.com/video/", NULL};
static const char *const OWN[] = {"news.example", NULL};

/* Ids under 50 are attachments; the others are not. */
static int image(void *ud, long long id, sanitize_image *img) {
  static const char *const urls[] = {"https://news.example/a.jpg", "/b.png",
                                     "javascript:alert(1)", "https://x.example/\"<c>.jpg"};
  (void)ud;
  if (id >= 50) return 1;
  *img = (sanitize_image){.url = urls[id % 4], .alt = id % 3 ? "Alt \"<&>\"" : NULL,
                          .caption = id % 5 ? NULL : "<b>Cap</b>", .width = (int)id * 10,
                          .height = (int)id};
  return 0;
}

static size_t attached(void *ud, long long *ids, size_t max) {
  (void)ud;
  size_t n = max < 3 ? max : 3;
  for (size_t i = 0; i < n; i++) ids[i] = (long long)i * 7;
  return n;
}

/* Returns 1 when name[0..n) is in the NULL-terminated list. */
static int listed(const char *name, size_t n, const char *const *list) {
  for (; *list; list++)
    if (strlen(*list) == n && !strncmp(*list, name, n)) return 1;
  return 0;
}

/* Returns 1 when the URL v[0..n) has no scheme, or an allowed one. */
static int url_ok(const char *v, size_t n) {
  size_t stop = 0;
  while (stop < n && !strchr(":/?#", v[stop])) stop++;
  if (stop == n || v[stop] != ':') return 1;
  return (stop == 4 && !strncasecmp(v, "http", 4)) || (stop == 5 && !strncasecmp(v, "https", 5)) ||
         (stop == 6 && !strncasecmp(v, "mailto", 6)) || (stop == 3 && !strncasecmp(v, "tel", 3));
}

/* Returns 1 when the sanitized html holds a tag or attribute that is not
** allowed. Text never holds a raw '<', so every '<' starts a tag the
** sanitizer wrote, in its one form: <name( attr="value"| attr)*>. */
static int forbidden(const char *html) {
  static const char *const elements[] = {
      "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
      "blockquote", "q", "cite", "code", "pre", "kbd", "samp", "var", "ul", "ol", "li", "dl",
      "dt", "dd", "a", "img", "figure", "figcaption", "table", "caption", "thead", "tbody", "tr",
      "th", "td", "hr", "abbr", "span", "div", "small", "mark", "del", "ins", "time", "bdi",
      "iframe", NULL};
  static const char *const attributes[] = {
      "title", "lang", "dir", "class", "href", "rel", "src", "srcset", "sizes", "alt", "width",
      "height", "cite", "datetime", "colspan", "rowspan", "scope", "start", "reversed", "type",
      "value", "loading", "allow", "referrerpolicy", "sandbox", NULL};
  for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
    p++;
    if (*p == '/') p++;
    size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
    if (!listed(p, n, elements)) return 1;
    int frame = n == 6 && !strncmp(p, "iframe", 6);
    p += n;
    while (*p == ' ') {
      p++;
      size_t an = strspn(p, "abcdefghijklmnopqrstuvwxyz");
      if (!listed(p, an, attributes)) return 1;
      const char *name = p;
      p += an;
      if (*p != '=') continue;
      if (p[1] != '"') return 1;
      const char *v = p + 2, *e = strchr(v, '"');
      if (!e || memchr(v, '<', (size_t)(e - v)) || memchr(v, '>', (size_t)(e - v))) return 1;
      if ((an == 4 && !strncmp(name, "href", 4)) || (an == 3 && !strncmp(name, "src", 3)) ||
          (an == 4 && !strncmp(name, "cite", 4))) {
        if (!url_ok(v, (size_t)(e - v))) return 1;
        if (frame && strncmp(v, "https://www.youtube.com/embed/", 30) &&
            strncmp(v, "https://player.vimeo.com/video/", 31))
          return 1;
      }
      p = e + 1;
    }
    if (*p != '>') return 1;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  sanitize_options o = {.embed_prefixes = EMBEDS, .own_hosts = OWN, .image = image,
                        .attached = attached, .flags = data[0] & 1 ? SANITIZE_HTML_ONLY : 0};
  buf out = {0}, again = {0};
  sanitize_report rep;
  char err[200];
  int rc = sanitize_html((const char *)data + 1, size - 1, &o, &out, &rep, err, sizeof err);
  if (rc == 0) {
    const char *html = buf_str(&out);
    if (!utf8_valid(html, out.len)) abort();
    if (forbidden(html)) abort();
    o.flags = SANITIZE_HTML_ONLY;
    if (sanitize_html(html, out.len, &o, &again, NULL, err, sizeof err)) abort();
    if (strcmp(html, buf_str(&again))) abort();  /* what we write reads back the same */
  }
  buf_free(&out);
  buf_free(&again);
  return 0;
}
