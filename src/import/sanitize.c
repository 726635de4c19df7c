/*
** sanitize.c: the allow-list HTML sanitizer (see sanitize.h).
**
** Three text steps (line ends, shortcodes, automatic paragraphs), then
** libxml2's HTML parser, then a walk of the tree that writes what is
** allowed. The walk keeps its own stack of the elements it has written
** (the "open" stack), separate from the parser's tree, so that it can
** drop a tag, add the list item or table cell that stray text needs, or
** close a figure early, and still write a well-formed result. The walk is
** a loop over the tree's parent and sibling links, never a recursion.
*/
#include "sanitize.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "escape.h"
#include "utf8.h"

/* ---- text helpers ------------------------------------------------------ */

/* Returns 1 when c is HTML white space. */
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Returns 1 when s[0..n) is only white space. */
static int all_space(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_space((unsigned char)s[i])) return 0;
  return 1;
}

/* Returns 1 when s[0..n) equals the lower-case word w, ignoring case. */
static int word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && !strncasecmp(s, w, n);
}

/* Returns 1 when the NUL-terminated s is in the NULL-terminated list,
** ignoring case. */
static int in_list(const char *s, size_t n, const char *const *list) {
  for (; list && *list; list++)
    if (word_is(s, n, *list)) return 1;
  return 0;
}

/* ---- report -------------------------------------------------------------- */

/* Counts one unknown shortcode called name[0..n). */
static void report_shortcode(sanitize_report *rep, const char *name, size_t n) {
  rep->shortcodes++;
  for (size_t i = 0; i < rep->name_count; i++) {
    if (strlen(rep->names[i].name) == n && !strncmp(rep->names[i].name, name, n)) {
      rep->names[i].count++;
      return;
    }
  }
  if (rep->name_count < SANITIZE_MAX_NAMES && n < sizeof rep->names[0].name) {
    memcpy(rep->names[rep->name_count].name, name, n);
    rep->names[rep->name_count].name[n] = 0;
    rep->names[rep->name_count].count = 1;
    rep->name_count++;
  }
}

/* Counts one gallery id that did not resolve. */
static void report_missing(sanitize_report *rep, long long id) {
  rep->missing++;
  if (rep->missing_count < SANITIZE_MAX_MISSING) rep->missing_ids[rep->missing_count++] = id;
}

/* ---- step 1: line ends ----------------------------------------------------- */

/* Appends in[0..n) to out with CR LF and CR made LF and a leading byte
** order mark dropped. */
static void normalize_lines(const char *in, size_t n, buf *out) {
  size_t i = 0;
  if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) i = 3;
  buf_append(out, "", 0);
  for (; i < n; i++) {
    if (in[i] == '\r') {
      buf_putc(out, '\n');
      if (i + 1 < n && in[i + 1] == '\n') i++;
    } else {
      buf_putc(out, in[i]);
    }
  }
}

/* ---- step 2: shortcodes ---------------------------------------------------- */

/* A shortcode found in the text. */
typedef struct shortcode {
  const char *name;      /* its name */
  size_t name_len;
  const char *attrs;     /* between the name and the closing ] */
  size_t attrs_len;
  size_t end;            /* offset just past its ] */
  int self_closed;       /* written [name /] */
} shortcode;

/* Reads a shortcode's opening at s[i] == '['; returns 1 and fills *sc, or
** 0 when what is there is not one. */
static int shortcode_open(const char *s, size_t n, size_t i, shortcode *sc) {
  size_t p = i + 1, start = p;
  if (p >= n || !isalpha((unsigned char)s[p])) return 0;
  while (p < n && (isalnum((unsigned char)s[p]) || s[p] == '_' || s[p] == '-')) p++;
  if (p - start > 31 || p >= n) return 0;
  if (s[p] != ']' && s[p] != '/' && !is_space((unsigned char)s[p])) return 0;
  size_t a = p;
  while (p < n && s[p] != ']' && s[p] != '[' && p - a < 4096) p++;
  if (p >= n || s[p] != ']') return 0;
  *sc = (shortcode){.name = s + start, .name_len = a - start, .attrs = s + a,
                    .attrs_len = p - a, .end = p + 1};
  if (sc->attrs_len && sc->attrs[sc->attrs_len - 1] == '/') {
    sc->self_closed = 1;
    sc->attrs_len--;
  }
  return 1;
}

/* Finds "[/name]" in s[from..n); returns its offset or n. */
static size_t shortcode_close(const char *s, size_t n, size_t from, const char *name) {
  size_t ln = strlen(name);
  for (size_t i = from; i + ln + 3 <= n; i++)
    if (s[i] == '[' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, ln) && s[i + 2 + ln] == ']')
      return i;
  return n;
}

/* Copies the value of attribute key of shortcode attributes a[0..n) into
** v (emptied first); returns 1 when it is there. */
static int shortcode_attr(const char *a, size_t n, const char *key, buf *v) {
  size_t kl = strlen(key), i = 0;
  buf_reset(v);
  while (i < n) {
    while (i < n && is_space((unsigned char)a[i])) i++;
    size_t ks = i;
    while (i < n && (isalnum((unsigned char)a[i]) || a[i] == '_' || a[i] == '-')) i++;
    size_t ke = i;
    while (i < n && is_space((unsigned char)a[i])) i++;
    if (i < n && a[i] == '=') {
      i++;
      while (i < n && is_space((unsigned char)a[i])) i++;
      size_t vs, ve;
      if (i < n && (a[i] == '"' || a[i] == '\'')) {
        char q = a[i++];
        vs = i;
        while (i < n && a[i] != q) i++;
        ve = i;
        if (i < n) i++;
      } else {
        vs = i;
        while (i < n && !is_space((unsigned char)a[i])) i++;
        ve = i;
      }
      if (ke - ks == kl && !strncasecmp(a + ks, key, kl)) {
        buf_append(v, a + vs, ve - vs);
        return 1;
      }
    } else if (ke == ks) {
      i++;  /* a stray character */
    } else {
      while (i < n && !is_space((unsigned char)a[i])) i++;  /* a positional value */
    }
  }
  return 0;
}

/* Returns 1 when u[0..n) is an https URL on an allowed frame prefix. */
static int embed_allowed(const char *u, size_t n, const sanitize_options *opt) {
  if (n < 8 || strncmp(u, "https://", 8)) return 0;
  for (const char *const *p = opt->embed_prefixes; p && *p; p++) {
    size_t pl = strlen(*p);
    if (n - 8 < pl || strncmp(u + 8, *p, pl)) continue;  /* exact, case too */
    for (size_t i = 8 + pl; i < n; i++) {
      unsigned char c = (unsigned char)u[i];
      if (!isalnum(c) && !strchr("-_./?=&%+,:;~", c)) return 0;
    }
    if (strstr(u + 8, "..")) return 0;
    return n > 8 + pl;
  }
  return 0;
}

/* Returns 1 when s[0..n) is one web address (http or https, no spaces). */
static int is_lone_url(const char *s, size_t n) {
  if (!(n > 8 && !strncasecmp(s, "https://", 8)) && !(n > 7 && !strncasecmp(s, "http://", 7)))
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '<' || s[i] == '>') return 0;
  return 1;
}

/* Appends the HTML of an embed of the address u[0..n): a frame when its
** host is allowed, else a link. Sizes are digits or empty. */
static void write_embed(buf *out, const char *u, size_t n, const char *w, const char *h,
                        const sanitize_options *opt) {
  if (embed_allowed(u, n, opt)) {
    buf_puts(out, "<iframe src=\"");
    escape_html(out, u, n);
    buf_puts(out, "\"");
    if (*w) buf_printf(out, " width=\"%s\"", w);
    if (*h) buf_printf(out, " height=\"%s\"", h);
    buf_puts(out, "></iframe>");
  } else {
    buf_puts(out, "<a href=\"");
    escape_html(out, u, n);
    buf_puts(out, "\">");
    escape_html(out, u, n);
    buf_puts(out, "</a>");
  }
}

/* Returns 1 when s is 1 to 5 digits. */
static int small_number(const char *s) {
  size_t n = strlen(s);
  if (n < 1 || n > 5) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return 0;
  return 1;
}

/* Appends [caption attrs]content[/caption] as a figure. */
static void write_caption(buf *out, const char *attrs, size_t an, const char *c, size_t cn) {
  buf v = {0};
  buf_puts(out, "<figure");
  if (shortcode_attr(attrs, an, "align", &v)) {
    const char *ok[] = {"alignleft", "alignright", "aligncenter", NULL};
    if (in_list(buf_str(&v), v.len, ok)) buf_printf(out, " class=\"%s\"", buf_str(&v));
  }
  buf_puts(out, ">");
  /* The picture is the first <img ...>, or the <a ...>...</a> around it. */
  size_t i = 0, media_end = 0;
  while (i < cn && is_space((unsigned char)c[i])) i++;
  if (i + 2 < cn && !strncasecmp(c + i, "<a", 2) && (c[i + 2] == ' ' || c[i + 2] == '>')) {
    for (size_t k = i; k + 4 <= cn; k++)
      if (!strncasecmp(c + k, "</a>", 4)) {
        media_end = k + 4;
        break;
      }
  } else if (i + 4 < cn && !strncasecmp(c + i, "<img", 4)) {
    const char *gt = memchr(c + i, '>', cn - i);
    if (gt) media_end = (size_t)(gt - c) + 1;
  }
  buf_append(out, c, media_end);
  size_t ts = media_end, te = cn;
  while (ts < te && is_space((unsigned char)c[ts])) ts++;
  while (te > ts && is_space((unsigned char)c[te - 1])) te--;
  if (te > ts) {
    buf_puts(out, "<figcaption>");
    buf_append(out, c + ts, te - ts);
    buf_puts(out, "</figcaption>");
  } else if (shortcode_attr(attrs, an, "caption", &v) && v.len) {
    buf_puts(out, "<figcaption>");
    buf_append(out, v.data, v.len);
    buf_puts(out, "</figcaption>");
  }
  buf_puts(out, "</figure>");
  buf_free(&v);
}

/* Appends [gallery attrs] as a figure of the images the caller resolves,
** each look-up (and the look-up of the post's images, for a gallery without
** ids) taken from *budget; ids past it are reported as missing. */
static void write_gallery(buf *out, const char *attrs, size_t an, const sanitize_options *opt,
                          size_t *budget, sanitize_report *rep) {
  long long ids[SANITIZE_MAX_GALLERY];
  size_t nid = 0;
  buf v = {0};
  if (shortcode_attr(attrs, an, "ids", &v) || shortcode_attr(attrs, an, "include", &v)) {
    const char *p = buf_str(&v);
    while (*p && nid < SANITIZE_MAX_GALLERY) {
      while (*p == ' ' || *p == ',') p++;
      if (!isdigit((unsigned char)*p)) {
        while (*p && *p != ',') p++;
        continue;
      }
      long long id = 0;
      while (isdigit((unsigned char)*p) && id < 1000000000000LL) id = id * 10 + (*p++ - '0');
      while (isdigit((unsigned char)*p)) p++;
      ids[nid++] = id;
    }
  } else if (opt->attached && *budget > 0) {
    --*budget;
    nid = opt->attached(opt->ud, ids, SANITIZE_MAX_GALLERY);
    if (nid > SANITIZE_MAX_GALLERY) nid = SANITIZE_MAX_GALLERY;
  }
  size_t start = out->len, shown = 0;
  buf_puts(out, "<figure class=\"gallery\">");
  for (size_t i = 0; i < nid; i++) {
    sanitize_image img = {0};
    int ask = *budget > 0 && opt->image;
    if (ask) --*budget;
    if (!ask || opt->image(opt->ud, ids[i], &img) || !img.url || !*img.url ||
        !utf8_valid(img.url, strlen(img.url)) ||
        (img.alt && !utf8_valid(img.alt, strlen(img.alt))) ||
        (img.caption && !utf8_valid(img.caption, strlen(img.caption)))) {
      report_missing(rep, ids[i]);
      continue;
    }
    int captioned = img.caption && *img.caption;
    if (captioned) buf_puts(out, "<figure>");
    buf_puts(out, "<img src=\"");
    escape_html(out, img.url, strlen(img.url));
    buf_puts(out, "\" alt=\"");
    if (img.alt) escape_html(out, img.alt, strlen(img.alt));
    buf_puts(out, "\"");
    if (img.width > 0 && img.width < 100000) buf_printf(out, " width=\"%d\"", img.width);
    if (img.height > 0 && img.height < 100000) buf_printf(out, " height=\"%d\"", img.height);
    buf_puts(out, ">");
    if (captioned) {
      buf_puts(out, "<figcaption>");
      escape_html(out, img.caption, strlen(img.caption));
      buf_puts(out, "</figcaption></figure>");
    }
    shown++;
  }
  if (shown) {
    buf_puts(out, "</figure>");
  } else {
    out->len = start;
    out->data[start] = 0;
    rep->empty_galleries++;
  }
  buf_free(&v);
}

/* Appends s[0..n) to out with shortcodes replaced (see sanitize.h). */
static void expand_shortcodes(const char *s, size_t n, const sanitize_options *opt, buf *out,
                              sanitize_report *rep) {
  size_t i = 0, copied = 0;
  int unclosed[3] = {0, 0, 0};  /* no [/caption], [/wp_caption], [/embed] further on */
  size_t images = SANITIZE_MAX_IMAGES;  /* look-ups left for the galleries */
  buf w = {0}, h = {0};
  buf_append(out, "", 0);
  while (i < n && out->len <= SANITIZE_MAX_OUTPUT) {
    const char *lb = memchr(s + i, '[', n - i);
    if (!lb) break;
    i = (size_t)(lb - s);
    shortcode sc;
    if (i + 1 < n && s[i + 1] == '[') {  /* [[name]] is the text [name] */
      if (shortcode_open(s, n, i + 1, &sc) && sc.end < n && s[sc.end] == ']') {
        buf_append(out, s + copied, i - copied);
        buf_append(out, s + i + 1, sc.end - i - 1);
        i = copied = sc.end + 1;
      } else {
        i++;
      }
      continue;
    }
    if (!shortcode_open(s, n, i, &sc)) {
      i++;
      continue;
    }
    int caption = word_is(sc.name, sc.name_len, "caption") ||
                  word_is(sc.name, sc.name_len, "wp_caption");
    int embed = word_is(sc.name, sc.name_len, "embed");
    if (word_is(sc.name, sc.name_len, "gallery")) {
      buf_append(out, s + copied, i - copied);
      write_gallery(out, sc.attrs, sc.attrs_len, opt, &images, rep);
      i = copied = sc.end;
      continue;
    }
    int kind = embed ? 2 : sc.name_len == 7 ? 0 : 1;
    if ((caption || embed) && !sc.self_closed && !unclosed[kind]) {
      static const char *const closers[] = {"caption", "wp_caption", "embed"};
      size_t close = shortcode_close(s, n, sc.end, closers[kind]);
      if (close == n) unclosed[kind] = 1;  /* searched to the end once: not again */
      if (close < n) {
        buf_append(out, s + copied, i - copied);
        const char *c = s + sc.end;
        size_t cn = close - sc.end;
        if (caption) {
          write_caption(out, sc.attrs, sc.attrs_len, c, cn);
        } else {
          while (cn && is_space((unsigned char)*c)) c++, cn--;
          while (cn && is_space((unsigned char)c[cn - 1])) cn--;
          shortcode_attr(sc.attrs, sc.attrs_len, "width", &w);
          shortcode_attr(sc.attrs, sc.attrs_len, "height", &h);
          if (is_lone_url(c, cn))
            write_embed(out, c, cn, small_number(buf_str(&w)) ? buf_str(&w) : "",
                        small_number(buf_str(&h)) ? buf_str(&h) : "", opt);
          else
            escape_html(out, c, cn);
        }
        i = copied = close + sc.name_len + 3;
        continue;
      }
    }
    report_shortcode(rep, sc.name, sc.name_len);
    i = sc.end;
  }
  buf_append(out, s + copied, n - copied);
  buf_free(&w);
  buf_free(&h);
}

/* ---- step 3: automatic paragraphs ----------------------------------------- */

/* Block elements that end a paragraph. */
static const char *const AUTOP_BLOCKS[] = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "iframe", "li", "main", "math", "nav", "ol", "p", "pre",
    "section", "summary", "svg", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "script", "style", "textarea", "noscript", "object", "video", "audio", NULL};

/* Elements inside which text is split into paragraphs. */
static const char *const AUTOP_FLOWS[] = {"div", "blockquote", "section", "article", "aside",
                                          "main", "header", "footer", NULL};

/* Elements whose content is copied as written. */
static const char *const AUTOP_RAW[] = {"pre", "script", "style", "textarea", NULL};

/* What tag_at returns for a tag that runs to the end of the input: then
** no later '<' starts a tag either, for a browser or for libxml2. */
#define TAG_UNENDED ((size_t)-1)

/* Reads the tag at s[i] == '<'; returns its end (past '>'), 0 when it is
** not a tag, or TAG_UNENDED. Sets the name's place and whether it closes. */
static size_t tag_at(const char *s, size_t n, size_t i, size_t *name, size_t *name_len,
                     int *closing) {
  size_t p = i + 1;
  *closing = 0;
  if (p < n && s[p] == '!') {  /* comment or declaration */
    if (p + 2 < n && s[p + 1] == '-' && s[p + 2] == '-') {
      for (size_t k = p + 3; k + 2 < n; k++)
        if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') return k + 3;
      return n;
    }
    const char *gt = memchr(s + p, '>', n - p);
    *name_len = 0;
    return gt ? (size_t)(gt - s) + 1 : TAG_UNENDED;
  }
  if (p < n && s[p] == '/') {
    *closing = 1;
    p++;
  }
  if (p >= n || !isalpha((unsigned char)s[p])) return 0;
  *name = p;
  while (p < n && (isalnum((unsigned char)s[p]) || s[p] == '-' || s[p] == ':')) p++;
  *name_len = p - *name;
  char q = 0;
  for (; p < n; p++) {
    if (q) {
      if (s[p] == q) q = 0;
    } else if (s[p] == '"' || s[p] == '\'') {
      if (p > 0 && (s[p - 1] == '=' || is_space((unsigned char)s[p - 1]))) q = s[p];
    } else if (s[p] == '>') {
      return p + 1;
    }
  }
  return TAG_UNENDED;
}

/* ---- start tags made plain for the parser --------------------------------
** libxml2 compares each attribute's name with every one before it in its
** tag, so a tag of a million attributes takes hours; and where its start
** tags end depends on how it reads quotes, comments and scripts. So the
** parser is given start tags it cannot read two ways: each '<' that starts
** one (a letter after it; '_', ':' or '.' after it are made text) is read
** here and written back as <name a="v" ...>, with at most
** SANITIZE_MAX_ATTRIBUTES attributes, names of at most 100 characters (the
** parser's own cut), and every value in double quotes with no '"' or '<'
** in it (as references, which the parser reads back as they were).
** What lies between such tags is copied as it is. A '<' inside a value or
** a comment is thus never a tag to the parser, and one that is has few
** attributes. */

enum { HTML_NAME_MAX = 100 };  /* libxml2's HTML_PARSER_BUFFER_SIZE */

/* libxml2's HTML blanks (not the form feed). */
static int html_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int html_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Whether c may start a name, and be in one, for libxml2's HTML parser. */
static int html_name_start(char c) { return html_letter(c) || c == '_' || c == ':' || c == '.'; }
static int html_name_char(char c) {
  return html_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Whether s[p] ends a start tag's attributes: '>' or "/>". */
static int html_tag_end(const char *s, size_t n, size_t p) {
  return s[p] == '>' || (s[p] == '/' && p + 1 < n && s[p + 1] == '>');
}

/* The plain writing of start tags. */
typedef struct plain {
  buf *out;
  unsigned *dropped;  /* attributes left out */
  int over;           /* out passed SANITIZE_MAX_OUTPUT */
} plain;

/* Appends s[0, n) with '"' and '<' as references: in a value or a
** comment, nothing then starts a tag or ends a quote, whatever the parser
** takes it for. */
static void plain_refs(plain *pl, const char *s, size_t n) {
  size_t from = 0;
  for (size_t i = 0; i < n && !pl->over; i++) {
    if (s[i] != '"' && s[i] != '<') continue;
    buf_append(pl->out, s + from, i - from);
    buf_puts(pl->out, s[i] == '"' ? "&quot;" : "&lt;");
    from = i + 1;
    pl->over = pl->out->len > SANITIZE_MAX_OUTPUT;
  }
  buf_append(pl->out, s + from, n - from);
}

/* Appends s[0, n), an attribute's value, in double quotes (plain_refs). */
static void plain_value(plain *pl, const char *s, size_t n) {
  buf_puts(pl->out, "=\"");
  plain_refs(pl, s, n);
  buf_putc(pl->out, '"');
}

/* Reads the value after an attribute's name at s[*p] (blanks, '=', blanks,
** then a quoted or bare value) as libxml2 does; returns 1 with the value
** in s[*v, *v + *vn) and *p after it, or 0 (no '=': no value, *p kept). */
static int plain_attr_value(const char *s, size_t n, size_t *p, size_t *v, size_t *vn) {
  size_t q = *p;
  while (q < n && html_blank(s[q])) q++;
  if (q >= n || s[q] != '=') return 0;
  q++;
  while (q < n && html_blank(s[q])) q++;
  if (q < n && (s[q] == '"' || s[q] == '\'')) {
    char quote = s[q++];
    *v = q;
    while (q < n && s[q] != quote) q++;
    *vn = q - *v;
    if (q < n) q++;
  } else {
    *v = q;
    while (q < n && !html_blank(s[q]) && s[q] != '>') q++;
    *vn = q - *v;
  }
  *p = q;
  return 1;
}

/* Writes the start tag at s[i] ('<' and a name's first character) plain.
** Returns the place after the tag. */
static size_t plain_tag(plain *pl, const char *s, size_t n, size_t i) {
  buf *out = pl->out;
  size_t p = i + 1, name = p;
  while (p < n && html_name_char(s[p])) p++;
  buf_putc(out, '<');
  buf_append(out, s + name, p - name < HTML_NAME_MAX ? p - name : HTML_NAME_MAX);
  size_t count = 0;
  for (;;) {
    while (p < n && html_blank(s[p])) p++;
    if (p >= n) {
      buf_putc(out, '>');
      return n;
    }
    if (html_tag_end(s, n, p)) {
      size_t end = s[p] == '>' ? 1 : 2;
      buf_append(out, s + p, end);
      return p + end;
    }
    if (!html_name_start(s[p])) {  /* what the parser drops, to a blank or the end */
      while (p < n && !html_blank(s[p]) && !html_tag_end(s, n, p)) p++;
      continue;
    }
    size_t an = p, v = 0, vn = 0;
    while (p < n && html_name_char(s[p]) && p - an < HTML_NAME_MAX) p++;
    size_t alen = p - an;
    int valued = plain_attr_value(s, n, &p, &v, &vn);
    if (++count > SANITIZE_MAX_ATTRIBUTES) {
      (*pl->dropped)++;
      continue;
    }
    buf_putc(out, ' ');
    buf_append(out, s + an, alen);
    if (valued) plain_value(pl, s + v, vn);
  }
}

/* Copies the comment at s[i] ("<!--") to its first "-->" or "--!>" (or
** the end) through plain_refs: the comment goes whole, and wherever the
** parser ends it, nothing in it starts a tag. Returns the place after. */
static size_t plain_comment(plain *pl, const char *s, size_t n, size_t i) {
  size_t stop = i + 4, mark = 3;
  for (; stop < n; stop++) {
    if (n - stop >= 3 && memcmp(s + stop, "-->", 3) == 0) break;
    if (n - stop >= 4 && memcmp(s + stop, "--!>", 4) == 0) {
      mark = 4;
      break;
    }
  }
  buf_puts(pl->out, "<!--");
  plain_refs(pl, s + i + 4, stop - (i + 4));
  if (stop >= n) return n;
  buf_append(pl->out, s + stop, mark);
  return stop + mark;
}

/* Appends s[0, n) to out with every start tag made plain (above); counts
** the attributes left out in *dropped. Returns 0, or -1 when out passed
** SANITIZE_MAX_OUTPUT (references take more room than the characters). */
static int plain_tags(const char *s, size_t n, buf *out, unsigned *dropped) {
  plain pl = {out, dropped, 0};
  size_t i = 0, copied = 0;
  while (i < n && !pl.over) {
    const char *lt = memchr(s + i, '<', n - i);
    if (!lt) break;
    i = (size_t)(lt - s);
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
      buf_append(out, s + copied, i - copied);
      i = copied = plain_comment(&pl, s, n, i);
      continue;
    }
    char next = i + 1 < n ? s[i + 1] : 0;
    if (html_letter(next)) {
      buf_append(out, s + copied, i - copied);
      i = copied = plain_tag(&pl, s, n, i);
    } else if (html_name_start(next)) {
      /* "<_", "<:", "<.": text to libxml2 2.9.14 (p<.05), which a
      ** reference keeps it in any version. */
      buf_append(out, s + copied, i - copied);
      buf_puts(out, "&lt;");
      copied = ++i;
    } else {
      i++;
    }
    pl.over = pl.over || out->len > SANITIZE_MAX_OUTPUT;
  }
  if (pl.over) return -1;
  buf_append(out, s + copied, n - copied);
  return out->len > SANITIZE_MAX_OUTPUT ? -1 : 0;
}

/* The state of the paragraph step. */
typedef struct autop {
  buf *out;
  int para;                /* a <p> is open */
  int flow[64];            /* per open block: text inside is split into paragraphs */
  char names[64][12];
  int depth;
} autop;

/* Returns 1 when text at the current place is split into paragraphs. */
static int autop_flow(const autop *a) { return a->depth == 0 || a->flow[a->depth - 1]; }

/* Closes an open paragraph. */
static void autop_close(autop *a) {
  if (a->para) buf_puts(a->out, "</p>");
  a->para = 0;
}

/* Writes the text (or inline markup) s[0..n) that lies between blocks:
** blank lines end paragraphs, line breaks between text become <br>. */
static void autop_text(autop *a, const char *s, size_t n, int last) {
  size_t i = 0;
  while (i < n) {
    if (s[i] == '\n') {
      size_t k = i, lines = 0;
      while (k < n && is_space((unsigned char)s[k])) lines += s[k++] == '\n';
      int more = k < n || !last;
      if (lines >= 2 && autop_flow(a)) {
        autop_close(a);
        buf_puts(a->out, "\n\n");
      } else if (more && k < n && (a->para || !autop_flow(a)) && a->out->len &&
                 a->out->data[a->out->len - 1] != '>') {
        buf_puts(a->out, "<br>\n");
      } else if (more && k < n && a->para) {
        buf_puts(a->out, "<br>\n");
      } else {
        buf_putc(a->out, '\n');
      }
      i = k;
      continue;
    }
    if (!is_space((unsigned char)s[i]) && autop_flow(a) && !a->para) {
      buf_puts(a->out, "<p>");
      a->para = 1;
    }
    buf_putc(a->out, s[i++]);
  }
}

/* Appends s[0..n) to out with automatic paragraphs (see sanitize.h). */
static void auto_paragraphs(const char *s, size_t n, buf *out) {
  autop a = {.out = out};
  size_t i = 0, text = 0;
  buf_append(out, "", 0);
  while (i < n && out->len <= SANITIZE_MAX_OUTPUT) {
    if (s[i] != '<') {
      i++;
      continue;
    }
    size_t name = 0, nl = 0;
    int closing;
    size_t end = tag_at(s, n, i, &name, &nl, &closing);
    if (end == TAG_UNENDED) break;  /* the rest is text */
    if (!end) {
      i++;
      continue;
    }
    int block = nl && in_list(s + name, nl, AUTOP_BLOCKS);
    int comment = !nl;
    if (!block) {
      if (comment && !a.para) {  /* a comment alone does not start a paragraph */
        autop_text(&a, s + text, i - text, 0);
        buf_append(out, s + i, end - i);
        text = end;
      }
      i = end;
      continue;
    }
    size_t ws = i;  /* white space before a block goes after the paragraph's end */
    while (ws > text && is_space((unsigned char)s[ws - 1])) ws--;
    autop_text(&a, s + text, ws - text, 1);
    autop_close(&a);
    buf_append(out, s + ws, end - ws);
    i = text = end;
    if (closing) {
      for (int d = a.depth - 1; d >= 0; d--)
        if (word_is(s + name, nl, a.names[d])) {
          a.depth = d;
          break;
        }
      continue;
    }
    if (in_list(s + name, nl, AUTOP_RAW)) {  /* copy up to the matching end tag */
      size_t k = end;
      for (; k + nl + 2 < n; k++)
        if (s[k] == '<' && s[k + 1] == '/' && !strncasecmp(s + k + 2, s + name, nl)) break;
      if (k + nl + 2 >= n) k = n;
      buf_append(out, s + end, k - end);
      i = text = k;
      continue;
    }
    if (word_is(s + name, nl, "hr") || s[end - 2] == '/') continue;
    if (a.depth < 64) {
      a.flow[a.depth] = in_list(s + name, nl, AUTOP_FLOWS);
      snprintf(a.names[a.depth], sizeof a.names[0], "%.*s", (int)(nl < 11 ? nl : 11), s + name);
      a.depth++;
    }
  }
  autop_text(&a, s + text, n - text, 1);
  autop_close(&a);
}

/* ---- step 4: the walk ------------------------------------------------------- */

/* What a child is, for its parent's content model. */
enum {
  C_TEXT = 1 << 0, C_PHRASING = 1 << 1, C_BLOCK = 1 << 2, C_HEADING = 1 << 3,
  C_LI = 1 << 4, C_DT = 1 << 5, C_DD = 1 << 6, C_FIGCAPTION = 1 << 7, C_CAPTION = 1 << 8,
  C_THEAD = 1 << 9, C_TBODY = 1 << 10, C_TR = 1 << 11, C_CELL = 1 << 12
};
#define PHR (C_TEXT | C_PHRASING)
#define FLOW (C_TEXT | C_PHRASING | C_BLOCK | C_HEADING)

/* What happens to an element. */
enum { KEEP, UNWRAP, UNWRAP_QUIET, DROP, FRAME };

/* Attribute kinds. */
enum {
  A_URL_LINK, A_URL_MEDIA, A_URL_CITE, A_SRCSET, A_SIZES, A_TEXT, A_NUMBER, A_SPAN,
  A_INTEGER, A_SCOPE, A_OLTYPE, A_BOOL, A_DATETIME
};

typedef struct attr_spec {
  const char *name;
  int kind;
} attr_spec;

static const attr_spec AT_A[] = {{"href", A_URL_LINK}, {NULL, 0}};
static const attr_spec AT_IMG[] = {{"src", A_URL_MEDIA}, {"srcset", A_SRCSET}, {"sizes", A_SIZES},
                                   {"alt", A_TEXT}, {"width", A_NUMBER}, {"height", A_NUMBER},
                                   {NULL, 0}};
static const attr_spec AT_CITE[] = {{"cite", A_URL_CITE}, {NULL, 0}};
static const attr_spec AT_EDIT[] = {{"cite", A_URL_CITE}, {"datetime", A_DATETIME}, {NULL, 0}};
static const attr_spec AT_TIME[] = {{"datetime", A_DATETIME}, {NULL, 0}};
static const attr_spec AT_TD[] = {{"colspan", A_SPAN}, {"rowspan", A_SPAN}, {NULL, 0}};
static const attr_spec AT_TH[] = {{"colspan", A_SPAN}, {"rowspan", A_SPAN}, {"scope", A_SCOPE},
                                  {NULL, 0}};
static const attr_spec AT_OL[] = {{"start", A_INTEGER}, {"reversed", A_BOOL}, {"type", A_OLTYPE},
                                  {NULL, 0}};
static const attr_spec AT_LI[] = {{"value", A_INTEGER}, {NULL, 0}};

typedef struct el {
  const char *name;     /* as in the source */
  const char *emit;     /* as written */
  int action;
  unsigned cat;         /* what it is as a child */
  unsigned accepts;     /* what it may hold */
  const char *implied;  /* the element stray content gets wrapped in */
  int is_void;
  int keep_empty;       /* kept even with nothing inside */
  int needs_text;       /* loses its tags without text inside (a, headings) */
  const attr_spec *attrs;
} el;

static const el ELEMENTS[] = {
    {"p", "p", KEEP, C_BLOCK, PHR, NULL, 0, 0, 0, NULL},
    {"h1", "h2", KEEP, C_HEADING, PHR, NULL, 0, 0, 1, NULL},
    {"h2", "h2", KEEP, C_HEADING, PHR, NULL, 0, 0, 1, NULL},
    {"h3", "h3", KEEP, C_HEADING, PHR, NULL, 0, 0, 1, NULL},
    {"h4", "h4", KEEP, C_HEADING, PHR, NULL, 0, 0, 1, NULL},
    {"h5", "h5", KEEP, C_HEADING, PHR, NULL, 0, 0, 1, NULL},
    {"h6", "h6", KEEP, C_HEADING, PHR, NULL, 0, 0, 1, NULL},
    {"div", "div", KEEP, C_BLOCK, FLOW, NULL, 0, 0, 0, NULL},
    {"center", "div", KEEP, C_BLOCK, FLOW, NULL, 0, 0, 0, NULL},
    {"blockquote", "blockquote", KEEP, C_BLOCK, FLOW, NULL, 0, 0, 0, AT_CITE},
    {"pre", "pre", KEEP, C_BLOCK, PHR, NULL, 0, 0, 0, NULL},
    {"ul", "ul", KEEP, C_BLOCK, C_LI, "li", 0, 0, 0, NULL},
    {"ol", "ol", KEEP, C_BLOCK, C_LI, "li", 0, 0, 0, AT_OL},
    {"li", "li", KEEP, C_LI, FLOW, NULL, 0, 1, 0, AT_LI},
    {"dl", "dl", KEEP, C_BLOCK, C_DT | C_DD, "dd", 0, 0, 0, NULL},
    {"dt", "dt", KEEP, C_DT, PHR, NULL, 0, 1, 0, NULL},
    {"dd", "dd", KEEP, C_DD, FLOW, NULL, 0, 1, 0, NULL},
    {"figure", "figure", KEEP, C_BLOCK, FLOW | C_FIGCAPTION, NULL, 0, 0, 0, NULL},
    {"figcaption", "figcaption", KEEP, C_FIGCAPTION, FLOW, NULL, 0, 0, 0, NULL},
    {"hr", "hr", KEEP, C_BLOCK, 0, NULL, 1, 1, 0, NULL},
    {"table", "table", KEEP, C_BLOCK, C_CAPTION | C_THEAD | C_TBODY, "tbody", 0, 0, 0, NULL},
    {"caption", "caption", KEEP, C_CAPTION, PHR, NULL, 0, 0, 0, NULL},
    {"thead", "thead", KEEP, C_THEAD, C_TR, "tr", 0, 0, 0, NULL},
    {"tbody", "tbody", KEEP, C_TBODY, C_TR, "tr", 0, 0, 0, NULL},
    {"tfoot", "tbody", KEEP, C_TBODY, C_TR, "tr", 0, 0, 0, NULL},
    {"tr", "tr", KEEP, C_TR, C_CELL, "td", 0, 1, 0, NULL},
    {"td", "td", KEEP, C_CELL, FLOW, NULL, 0, 1, 0, AT_TD},
    {"th", "th", KEEP, C_CELL, C_TEXT | C_PHRASING | C_BLOCK, NULL, 0, 1, 0, AT_TH},
    {"a", "a", KEEP, C_PHRASING, PHR, NULL, 0, 0, 1, AT_A},
    {"abbr", "abbr", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"acronym", "abbr", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"b", "b", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"bdi", "bdi", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"cite", "cite", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"code", "code", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"tt", "code", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"del", "del", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, AT_EDIT},
    {"em", "em", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"i", "i", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"ins", "ins", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, AT_EDIT},
    {"kbd", "kbd", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"mark", "mark", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"q", "q", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, AT_CITE},
    {"s", "s", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"strike", "s", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"samp", "samp", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"small", "small", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"span", "span", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"strong", "strong", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"sub", "sub", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"sup", "sup", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"time", "time", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, AT_TIME},
    {"u", "u", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"var", "var", KEEP, C_PHRASING, PHR, NULL, 0, 0, 0, NULL},
    {"br", "br", KEEP, C_PHRASING, 0, NULL, 1, 1, 0, NULL},
    {"img", "img", KEEP, C_PHRASING, 0, NULL, 1, 1, 0, AT_IMG},
    {"iframe", "iframe", FRAME, C_PHRASING, 0, NULL, 1, 1, 0, NULL},
    /* removed with all they hold (void ones, below, with their tag only:
    ** libxml2 may put the text that follows them inside) */
    {"script", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"style", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"noscript", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"template", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"object", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"embed", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"applet", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"param", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"input", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"button", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"select", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"option", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"optgroup", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"datalist", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"textarea", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"keygen", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"output", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"svg", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"math", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"title", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"meta", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"link", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"base", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"audio", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"video", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"source", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"track", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"canvas", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"map", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"area", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    {"frame", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"frameset", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"noframes", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"noembed", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"xmp", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"plaintext", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"colgroup", NULL, DROP, 0, 0, NULL, 0, 0, 0, NULL},
    {"col", NULL, UNWRAP, 0, 0, NULL, 0, 0, 0, NULL},
    /* tags dropped, content kept, not worth a report */
    {"html", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"head", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"body", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"section", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"article", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"aside", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"header", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"footer", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"main", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"nav", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"address", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"hgroup", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"font", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"big", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"nobr", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    {"picture", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
    /* void in browsers, but libxml2 puts what follows inside */
    {"wbr", NULL, UNWRAP_QUIET, 0, 0, NULL, 0, 0, 0, NULL},
};

/* The element written as the root's stand-in: the page's <article>. */
static const el ROOT = {"article", "article", KEEP, C_BLOCK, FLOW, NULL, 0, 1, 0, NULL};

/* Returns the entry of element name, or NULL for an unknown one. */
static const el *el_find(const char *name) {
  for (size_t i = 0; i < sizeof ELEMENTS / sizeof ELEMENTS[0]; i++)
    if (!strcasecmp(ELEMENTS[i].name, name)) return &ELEMENTS[i];
  return NULL;
}

/* Returns the entry of an element that is written, by its written name. */
static const el *el_written(const char *name) {
  for (size_t i = 0; i < sizeof ELEMENTS / sizeof ELEMENTS[0]; i++)
    if (ELEMENTS[i].action == KEEP && !strcmp(ELEMENTS[i].name, name)) return &ELEMENTS[i];
  return NULL;
}

/* An element on the open stack. */
typedef struct open_el {
  const el *el;
  size_t start;          /* where its start tag begins in out */
  size_t content;        /* where its content begins */
  unsigned serial;       /* names this entry for the source element that opened it */
  int implied;           /* opened for stray content: closes when something else comes */
  int closable;          /* may be closed for a sibling it cannot hold */
  int has_text;          /* holds text, or an image with a description */
  int state;             /* table: 1 caption, 2 head, 3 body; figure: see fig_* */
  int cells;             /* tr: cells written; table: rows written */
} open_el;

/* A figure's state: what its content has been so far. */
enum { FIG_EMPTY, FIG_FLOW, FIG_LEAD_CAPTION, FIG_END_CAPTION };

#define STACK_MAX (SANITIZE_MAX_DEPTH + 8)
#define SRC_MAX 300  /* the parser keeps the tree under 257 deep */

typedef struct walker {
  buf *out;
  sanitize_report *rep;
  const sanitize_options *opt;
  open_el st[STACK_MAX];
  int n;
  unsigned serial;
  int links;             /* open links */
  int tel;               /* open tel: links */
  int pre;               /* open pre elements */
  int overflow;
  buf tmp, val;
  const xmlNode *wrapper;      /* the last parent lone_in_wrapper looked into */
  const xmlNode *wrapper_one;  /* its only child that is not white space or a
                               ** comment; NULL when it has none or several */
} walker;

/* Appends a line break, first removing spaces and tabs at the line's end. */
static void out_newline(buf *out) {
  while (out->len && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
    out->len--;
  if (out->data) out->data[out->len] = 0;
  buf_putc(out, '\n');
}

/* Appends the text s[0..n) escaped: C0 controls go, spaces before a line
** break go, and in a tel: link spaces and hyphens become non-breaking. */
static void out_text(walker *w, const char *s, size_t n) {
  buf *out = w->out;
  for (size_t i = 0; i < n;) {
    if (out->len > SANITIZE_MAX_OUTPUT) {  /* stop early, not at 5 times */
      w->overflow = 1;
      return;
    }
    /* A run that needs nothing done goes at once (at most 64 KiB, so that
    ** the check above stays near). */
    size_t run = i;
    while (run < n && run - i < 0x10000) {
      unsigned char c = (unsigned char)s[run];
      if ((c < 0x20 && c != '\t') || c == 0x7f || c == '&' || c == '<' || c == '>' ||
          (w->tel && (c == ' ' || c == '-')))
        break;
      run++;
    }
    if (run > i) {
      buf_append(out, s + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = (unsigned char)s[i++];
    switch (c) {
      case '&': buf_puts(out, "&amp;"); break;
      case '<': buf_puts(out, "&lt;"); break;
      case '>': buf_puts(out, "&gt;"); break;
      case '\n':  /* at most one blank line in a row, but in pre */
        out_newline(out);
        if (!w->pre && out->len >= 3 && !memcmp(out->data + out->len - 3, "\n\n\n", 3))
          out->data[--out->len] = 0;
        break;
      case ' ':
        buf_puts(out, "\xC2\xA0");  /* in a phone number */
        break;
      case '-':
        buf_puts(out, "\xE2\x80\x91");
        break;
      default:
        break;  /* \r, DEL and the other controls go */
    }
  }
}

/* Returns 1 when entry e may hold a child of category cat now. */
static int accepts(const open_el *e, unsigned cat) {
  if (!(e->el->accepts & cat)) return 0;
  if (!strcmp(e->el->emit, "figure")) {
    if (e->state == FIG_END_CAPTION) return 0;
    if (cat == C_FIGCAPTION) return e->state == FIG_EMPTY || e->state == FIG_FLOW;
  }
  if (!strcmp(e->el->emit, "table")) {
    if (cat == C_CAPTION) return e->state == 0;
    if (cat == C_THEAD) return e->state < 2;
  }
  return 1;
}

/* Notes that entry e received a child of category cat. */
static void received(open_el *e, unsigned cat) {
  if (!strcmp(e->el->emit, "figure")) {
    if (cat == C_FIGCAPTION) {
      e->state = e->state == FIG_EMPTY ? FIG_LEAD_CAPTION : FIG_END_CAPTION;
      if (e->state == FIG_END_CAPTION) e->closable = 1;
    } else if (e->state == FIG_EMPTY) {
      e->state = FIG_FLOW;
    }
  } else if (!strcmp(e->el->emit, "table")) {
    e->state = cat == C_CAPTION ? 1 : cat == C_THEAD ? 2 : 3;
  } else if (!strcmp(e->el->emit, "tr") && cat == C_CELL) {
    e->cells++;
  }
  if ((!strcmp(e->el->emit, "tbody") || !strcmp(e->el->emit, "thead")) && cat == C_TR) {
    open_el *table = e - 1;  /* never the root: a row counts in its table (th scope) */
    if (!strcmp(table->el->emit, "table")) table->cells++;
  }
}

static void pop(walker *w);

/* Writes the start tag of element e with the attributes in attrs (already
** escaped, each with its leading space) and opens it. */
static void push(walker *w, const el *e, const char *attrs, int implied) {
  open_el *top = &w->st[w->n - 1];
  open_el *o = &w->st[w->n++];
  *o = (open_el){.el = e, .start = w->out->len, .serial = ++w->serial, .implied = implied,
                 .closable = implied};
  buf_printf(w->out, "<%s%s>", e->emit, attrs);
  o->content = w->out->len;
  received(top, e->cat);
  if (!strcmp(e->emit, "a")) w->links++;
  if (!strcmp(e->emit, "pre")) w->pre++;
}

/* Returns 1 when element e, or the wrappers it implies, can hold cat. */
static int can_lead(const el *e, unsigned cat, int depth) {
  if (e->accepts & cat) return 1;
  if (!e->implied || depth > 4) return 0;
  const el *wrap = el_written(e->implied);
  return wrap && can_lead(wrap, cat, depth + 1);
}

/* Makes the top of the stack able to hold a child of category cat, by
** opening the wrapper stray content needs or closing what may close.
** Returns 1 when it can, 0 when the child has no place here. */
static int make_room(walker *w, unsigned cat) {
  for (int guard = 0; guard < 8; guard++) {
    open_el *top = &w->st[w->n - 1];
    if (accepts(top, cat)) return 1;
    const el *wrap = top->el->implied ? el_written(top->el->implied) : NULL;
    if (wrap && accepts(top, wrap->cat) && can_lead(wrap, cat, 0) && w->n < STACK_MAX) {
      push(w, wrap, "", 1);
      continue;
    }
    if (top->closable && w->n > 1) {
      pop(w);
      continue;
    }
    return 0;
  }
  return 0;
}

/* Returns 1 when the written bytes from offset from on are all white space. */
static int out_blank_since(const walker *w, size_t from) {
  return all_space(w->out->data + from, w->out->len - from);
}

/* Removes out[from..to). */
static void out_cut(buf *out, size_t from, size_t to) {
  memmove(out->data + from, out->data + to, out->len - to);
  out->len -= to - from;
  out->data[out->len] = 0;
}

/* Mends the join at offset p of out after a start tag there was removed,
** as out_text would have written it: no spaces before a line break, and
** (outside pre) at most one blank line. */
static void mend(walker *w, size_t p) {
  buf *out = w->out;
  if (p < out->len && out->data[p] == '\n') {
    size_t s = p;
    while (s > 0 && (out->data[s - 1] == ' ' || out->data[s - 1] == '\t')) s--;
    out_cut(out, s, p);
    p = s;
  }
  if (w->pre) return;
  size_t a = p, b = p;
  while (a > 0 && out->data[a - 1] == '\n') a--;
  while (b < out->len && out->data[b] == '\n') b++;
  if (b - a > 2) out_cut(out, a, a + (b - a - 2));
}

/* Closes the top element: writes its end tag, or removes its start tag
** when it stayed empty (or, for links and headings, without text). */
static void pop(walker *w) {
  open_el *e = &w->st[--w->n];
  open_el *parent = &w->st[w->n - 1];
  buf *out = w->out;
  if (!strcmp(e->el->emit, "a")) {
    w->links--;
    w->tel = 0;
  }
  if (!strcmp(e->el->emit, "pre")) w->pre--;
  if ((!e->el->keep_empty || e->implied) && out_blank_since(w, e->content)) {
    out->len = e->start;  /* nothing inside: the element goes */
    out->data[out->len] = 0;
    return;
  }
  parent->has_text |= e->has_text;
  if (e->el->needs_text && !e->has_text) {  /* keep the content, drop the tags */
    out_cut(out, e->start, e->content);
    mend(w, e->start);
    w->rep->flattened++;
    return;
  }
  buf_printf(out, "</%s>", e->el->emit);
}

/* Closes the element opened with serial s and all above it, if still open. */
static void close_serial(walker *w, unsigned s) {
  if (!s) return;
  for (int i = w->n - 1; i > 0; i--) {
    if (w->st[i].serial != s) continue;
    while (w->n > i) pop(w);
    return;
  }
}

/* ---- URLs ---- */

/* Cleans the URL v as a browser reads it and checks it for kind (A_URL_*);
** returns 0 with the clean URL in clean and *external set, or -1. */
static int url_check(const walker *w, const char *v, int kind, buf *clean, int *external) {
  buf_reset(clean);
  *external = 0;
  size_t n = strlen(v);
  while (n && (unsigned char)v[n - 1] <= ' ') n--;
  size_t i = 0;
  while (i < n && (unsigned char)v[i] <= ' ') i++;
  for (; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c < 0x20 || c == 0x7f) return -1;
    if (c == ' ') buf_puts(clean, "%20");
    else if (c == '\\') buf_putc(clean, '/');
    else buf_putc(clean, (char)c);
  }
  if (!clean->len || clean->len > SANITIZE_MAX_URL) return -1;
  const char *u = clean->data;
  size_t stop = strcspn(u, ":/?#");
  const char *host = NULL;
  if (u[stop] == ':') {
    if (!isalpha((unsigned char)u[0])) return -1;
    for (size_t k = 0; k < stop; k++)
      if (!isalnum((unsigned char)u[k]) && !strchr("+.-", u[k])) return -1;
    int http = word_is(u, stop, "http") || word_is(u, stop, "https");
    int other = word_is(u, stop, "mailto") || word_is(u, stop, "tel");
    if (!http && !(other && kind == A_URL_LINK)) return -1;
    if (http) {
      if (strncmp(u + stop + 1, "//", 2) || !u[stop + 3]) return -1;
      host = u + stop + 3;
    }
  } else if (!strncmp(u, "//", 2)) {
    host = u + 2;
  }
  if (host) {
    size_t hl = strcspn(host, "/?#");
    if (memchr(host, '@', hl)) return -1;  /* user:password@ hides the real host */
    const char *colon = memchr(host, ':', hl);
    size_t name = colon ? (size_t)(colon - host) : hl;
    if (!name) return -1;
    *external = !in_list(host, name, w->opt->own_hosts);
  }
  return 0;
}

/* Checks a srcset value: every candidate's URL as A_URL_MEDIA, each
** descriptor digits followed by w or x; writes the clean list into out. */
static int srcset_check(walker *w, const char *v, buf *out) {
  buf one = {0}, url = {0};
  int ok = 1, ext;
  buf_reset(out);
  while (*v && ok) {
    while (is_space((unsigned char)*v) || *v == ',') v++;
    if (!*v) break;
    const char *s = v;
    while (*v && !is_space((unsigned char)*v) && *v != ',') v++;
    buf_reset(&one);
    buf_append(&one, s, (size_t)(v - s));
    if (url_check(w, buf_str(&one), A_URL_MEDIA, &url, &ext)) ok = 0;
    while (*v == ' ' || *v == '\t') v++;
    const char *d = v;
    while (*v && *v != ',') v++;
    const char *de = v;
    while (de > d && is_space((unsigned char)de[-1])) de--;
    size_t dl = (size_t)(de - d);
    if (dl) {
      if (dl > 12 || (d[dl - 1] != 'w' && d[dl - 1] != 'x')) ok = 0;
      for (size_t k = 0; ok && k + 1 < dl; k++)
        if (!isdigit((unsigned char)d[k]) && d[k] != '.') ok = 0;
    }
    if (!ok) break;
    if (out->len) buf_puts(out, ", ");
    buf_append(out, url.data, url.len);
    if (dl) {
      buf_putc(out, ' ');
      buf_append(out, d, dl);
    }
  }
  buf_free(&one);
  buf_free(&url);
  return ok && out->len ? 0 : -1;
}

/* ---- attributes ---- */

static const char *const CLASSES[] = {"alignleft", "alignright", "aligncenter", "alignwide",
                                      "alignfull", "gallery", NULL};

/* Returns 1 when v passes the value check of kind (the non-URL kinds),
** writing the value to write into out. */
static int value_check(int kind, const char *v, buf *out) {
  size_t n = strlen(v);
  buf_reset(out);
  switch (kind) {
    case A_TEXT:
      if (n > 1024) return 0;
      buf_append(out, v, n);
      return 1;
    case A_NUMBER:
      if (!small_number(v)) return 0;
      break;
    case A_SPAN:
      if (!small_number(v) || atoi(v) < 1 || atoi(v) > 1000) return 0;
      break;
    case A_INTEGER: {
      const char *p = v + (*v == '-');
      if (!*p || strlen(p) > 9) return 0;
      for (; *p; p++)
        if (!isdigit((unsigned char)*p)) return 0;
      break;
    }
    case A_SCOPE: {
      const char *ok[] = {"row", "col", "rowgroup", "colgroup", NULL};
      if (!in_list(v, n, ok)) return 0;
      for (size_t i = 0; i < n; i++) buf_putc(out, (char)tolower((unsigned char)v[i]));
      return 1;
    }
    case A_OLTYPE:
      if (n != 1 || !strchr("1aAiI", v[0])) return 0;
      break;
    case A_BOOL:
      return 1;
    case A_DATETIME:
      if (!n || n > 64) return 0;
      for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)v[i]) && !strchr(":+-. ", v[i])) return 0;
      break;
    case A_SIZES:
      if (!n || n > 512) return 0;
      for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)v[i]) && !strchr(" ().,:%-", v[i])) return 0;
      break;
    default:
      return 0;
  }
  buf_append(out, v, n);
  return 1;
}

/* The attributes of an element being written. */
typedef struct attrs {
  buf text;        /* " name=\"value\"..." */
  int has_href, has_src, external, tel, alt_text, has_alt, has_scope, has_title, srcset;
  size_t title_at; /* where the title attribute starts in text, to remove it */
  size_t title_len;
  buf sizes, alt;
} attrs;

/* Appends name="value" (value escaped) to a. */
static void attr_put(attrs *a, const char *name, const char *v, size_t n) {
  buf_printf(&a->text, " %s=\"", name);
  escape_html(&a->text, v, n);
  buf_putc(&a->text, '"');
}

/* Reads the attributes of node for element e into *a, counting removals. */
static void attrs_read(walker *w, const el *e, xmlNode *node, attrs *a) {
  static const attr_spec GLOBAL[] = {{"title", A_TEXT}, {"lang", A_TEXT}, {"dir", A_TEXT},
                                     {"class", A_TEXT}, {NULL, 0}};
  unsigned seen = 0;  /* bits: attributes already written, by table position */
  for (xmlAttr *at = node->properties; at; at = at->next) {
    const char *name = (const char *)at->name;
    const attr_spec *spec = NULL;
    int bit = 0, global = 0;
    for (int i = 0; GLOBAL[i].name; i++)
      if (!strcasecmp(GLOBAL[i].name, name)) spec = &GLOBAL[i], bit = i, global = 1;
    for (int i = 0; !spec && e->attrs && e->attrs[i].name; i++)
      if (!strcasecmp(e->attrs[i].name, name)) spec = &e->attrs[i], bit = 8 + i;
    if (!spec || at->ns || (seen & (1u << bit))) {
      w->rep->attributes++;
      continue;
    }
    xmlChar *raw = xmlNodeGetContent((xmlNode *)at);
    const char *v = raw ? (const char *)raw : "";
    int ok = 1, ext = 0;
    size_t vn = strlen(v);
    if (global && !strcmp(spec->name, "lang")) {
      ok = vn >= 1 && vn <= 35;
      for (size_t i = 0; ok && i < vn; i++)
        if (!isalnum((unsigned char)v[i]) && v[i] != '-') ok = 0;
      if (ok) attr_put(a, "lang", v, vn);
    } else if (global && !strcmp(spec->name, "dir")) {
      const char *dirs[] = {"ltr", "rtl", "auto", NULL};
      ok = in_list(v, vn, dirs);
      if (ok) {
        buf_reset(&w->val);
        for (size_t i = 0; i < vn; i++) buf_putc(&w->val, (char)tolower((unsigned char)v[i]));
        attr_put(a, "dir", w->val.data, w->val.len);
      }
    } else if (global && !strcmp(spec->name, "class")) {
      buf_reset(&w->val);
      const char *p = v;
      int dropped = 0;
      while (*p) {
        while (is_space((unsigned char)*p)) p++;
        const char *s = p;
        while (*p && !is_space((unsigned char)*p)) p++;
        size_t l = (size_t)(p - s);
        if (!l) continue;
        if (!in_list(s, l, CLASSES)) {
          dropped = 1;
          continue;
        }
        buf_reset(&w->tmp);
        buf_append(&w->tmp, s, l);
        if (w->val.len && strstr(w->val.data, w->tmp.data)) continue;  /* said already */
        if (w->val.len) buf_putc(&w->val, ' ');
        for (size_t i = 0; i < l; i++) buf_putc(&w->val, (char)tolower((unsigned char)s[i]));
      }
      if (w->val.len) attr_put(a, "class", w->val.data, w->val.len);
      ok = !dropped;
    } else if (global) {  /* title */
      ok = vn <= 1024;
      if (ok) {
        a->title_at = a->text.len;
        attr_put(a, "title", v, vn);
        a->title_len = a->text.len - a->title_at;
        a->has_title = 1;
      }
    } else if (spec->kind == A_URL_LINK || spec->kind == A_URL_MEDIA || spec->kind == A_URL_CITE) {
      if (url_check(w, v, spec->kind, &w->val, &ext)) {
        w->rep->urls++;
        ok = 1;  /* counted as a URL, not as an attribute */
      } else {
        attr_put(a, spec->name, w->val.data, w->val.len);
        if (spec->kind == A_URL_LINK) {
          a->has_href = 1;
          a->external = ext;
          a->tel = !strncasecmp(w->val.data, "tel:", 4);
        }
        if (spec->kind == A_URL_MEDIA) a->has_src = 1;
      }
    } else if (spec->kind == A_SRCSET) {
      if (srcset_check(w, v, &w->val)) {
        w->rep->urls++;
      } else {
        attr_put(a, "srcset", w->val.data, w->val.len);
        a->srcset = 1;
      }
    } else if (spec->kind == A_SIZES) {
      ok = value_check(A_SIZES, v, &w->val);
      if (ok) {
        buf_reset(&a->sizes);
        buf_append(&a->sizes, w->val.data, w->val.len);
      }
    } else {
      ok = value_check(spec->kind, v, &w->val);
      if (ok && spec->kind == A_BOOL) {
        buf_printf(&a->text, " %s", spec->name);
      } else if (ok) {
        if (!strcmp(spec->name, "alt")) {  /* written last, see below */
          a->has_alt = 1;
          a->alt_text = !all_space(v, vn);
          buf_reset(&a->alt);
          buf_append(&a->alt, w->val.data, w->val.len);
        } else {
          attr_put(a, spec->name, w->val.data, w->val.len);
        }
        if (!strcmp(spec->name, "scope")) a->has_scope = 1;
      }
    }
    if (!ok) w->rep->attributes++;
    seen |= 1u << bit;
    xmlFree(raw);
  }
  /* An image's alt (added when missing) and sizes come last, in this
  ** order, so that the result sanitized again comes out the same. */
  if (!strcmp(e->emit, "img")) attr_put(a, "alt", a->alt.data ? a->alt.data : "", a->alt.len);
  if (a->sizes.len) {
    if (a->srcset) attr_put(a, "sizes", a->sizes.data, a->sizes.len);
    else w->rep->attributes++;
  }
}

/* Frees the buffers of a. */
static void attrs_free(attrs *a) {
  buf_free(&a->text);
  buf_free(&a->sizes);
  buf_free(&a->alt);
}

/* ---- elements ---- */

/* Writes a frame of the clean, allowed URL u[0..n) with the given title
** (NULL or blank: a default) and sizes (NULL or not digits: defaults). */
static void write_frame(walker *w, const char *u, size_t n, const char *title,
                        const char *width, const char *height) {
  open_el *top = &w->st[w->n - 1];
  received(top, C_PHRASING);
  top->has_text = 1;
  buf_puts(w->out, "<iframe src=\"");
  escape_html(w->out, u, n);
  buf_puts(w->out, "\" title=\"");
  if (title && strlen(title) <= 1024 && !all_space(title, strlen(title)))
    escape_html(w->out, title, strlen(title));
  else
    buf_puts(w->out, "Embedded video");
  buf_printf(w->out, "\" width=\"%s\" height=\"%s\"",
             width && small_number(width) ? width : "560",
             height && small_number(height) ? height : "315");
  buf_puts(w->out, " loading=\"lazy\" allow=\"fullscreen; picture-in-picture; encrypted-media\""
                   " referrerpolicy=\"strict-origin-when-cross-origin\""
                   " sandbox=\"allow-scripts allow-same-origin allow-presentation allow-popups\">"
                   "</iframe>");
}

/* Writes an allowed frame for node, or removes it. */
static void visit_frame(walker *w, xmlNode *node) {
  xmlChar *src = xmlGetProp(node, BAD_CAST "src");
  int ext;
  int ok = src && !url_check(w, (const char *)src, A_URL_MEDIA, &w->val, &ext) &&
           embed_allowed(w->val.data, w->val.len, w->opt) && !w->links &&
           make_room(w, C_PHRASING);
  xmlFree(src);
  if (!ok) {
    w->rep->embeds++;
    return;
  }
  xmlChar *title = xmlGetProp(node, BAD_CAST "title");
  xmlChar *width = xmlGetProp(node, BAD_CAST "width");
  xmlChar *height = xmlGetProp(node, BAD_CAST "height");
  write_frame(w, w->val.data, w->val.len, (char *)title, (char *)width, (char *)height);
  xmlFree(title);
  xmlFree(width);
  xmlFree(height);
}

/* Writes the lone web address u[0..n) of an embed's wrapper: a frame when
** its host is allowed, else a link to it. Returns 1 when it wrote one. */
static int visit_lone_url(walker *w, const char *u, size_t n) {
  buf raw = {0};
  int ext, done = 0;
  buf_append(&raw, u, n);
  if (!url_check(w, raw.data, A_URL_LINK, &w->tmp, &ext) && make_room(w, C_PHRASING)) {
    if (embed_allowed(w->tmp.data, w->tmp.len, w->opt)) {
      write_frame(w, w->tmp.data, w->tmp.len, NULL, NULL, NULL);
    } else {
      buf attrs = {0};
      buf_puts(&attrs, " href=\"");
      escape_html(&attrs, w->tmp.data, w->tmp.len);
      buf_puts(&attrs, ext ? "\" rel=\"nofollow noopener\"" : "\"");
      push(w, el_written("a"), attrs.data, 0);
      w->st[w->n - 1].has_text = 1;
      out_text(w, u, n);
      pop(w);
      buf_free(&attrs);
    }
    done = 1;
  }
  buf_free(&raw);
  return done;
}

/* Writes element node (entry e); returns the serial of what it opened
** (0: nothing) and sets *descend when its children are to be walked. */
static unsigned visit_element(walker *w, xmlNode *node, const el *e, int *descend) {
  *descend = 0;
  if (!e) {
    w->rep->elements++;
    *descend = 1;
    return 0;
  }
  switch (e->action) {
    case DROP: w->rep->elements++; return 0;
    case UNWRAP: w->rep->elements++; *descend = 1; return 0;
    case UNWRAP_QUIET: *descend = 1; return 0;
    case FRAME: visit_frame(w, node); return 0;
    default: break;
  }
  *descend = !e->is_void;
  if (!strcmp(e->emit, "a") && w->links) {  /* no link in a link */
    w->rep->flattened++;
    return 0;
  }
  attrs a = {0};
  buf_append(&a.text, "", 0);
  attrs_read(w, e, node, &a);
  unsigned serial = 0;
  if (!strcmp(e->emit, "img")) {
    if (!a.has_src) {
      attrs_free(&a);
      return 0;
    }
    if (!a.alt_text && a.has_title) {  /* an image without description has no title */
      memmove(a.text.data + a.title_at, a.text.data + a.title_at + a.title_len,
              a.text.len - a.title_at - a.title_len + 1);
      a.text.len -= a.title_len;
      w->rep->attributes++;
    }
  }
  if (!strcmp(e->emit, "a")) {
    if (!a.has_href) {
      attrs_free(&a);
      *descend = 1;
      return 0;
    }
    if (a.external) buf_puts(&a.text, " rel=\"nofollow noopener\"");
  }
  if (!make_room(w, e->cat) || (!e->is_void && w->n >= SANITIZE_MAX_DEPTH)) {
    w->rep->flattened++;
    attrs_free(&a);
    return 0;
  }
  if (!strcmp(e->emit, "th") && !a.has_scope) {  /* header cells say what they head */
    const open_el *tr = &w->st[w->n - 1];
    const open_el *table = w->n >= 3 ? &w->st[w->n - 3] : NULL;
    int head = w->n >= 2 && !strcmp(w->st[w->n - 2].el->emit, "thead");
    int first_row = table && !strcmp(table->el->emit, "table") && table->cells == 1;
    buf_puts(&a.text, head || first_row || tr->cells > 0 ? " scope=\"col\"" : " scope=\"row\"");
  }
  if (e->is_void) {
    open_el *top = &w->st[w->n - 1];
    received(top, e->cat);
    buf_printf(w->out, "<%s%s>", e->emit, a.text.data);
    if (!strcmp(e->emit, "img") && a.alt_text) top->has_text = 1;
  } else {
    push(w, e, a.text.data, 0);
    serial = w->st[w->n - 1].serial;
    if (a.tel) w->tel = 1;
  }
  attrs_free(&a);
  return serial;
}

/* Returns 1 when text node t is the only thing (but white space and
** comments) in an element that may be an embed's wrapper: p, div or
** figure. Each parent's children are looked at once: its only child is
** kept in w for the text nodes after t. */
static int lone_in_wrapper(walker *w, xmlNode *t) {
  xmlNode *p = t->parent;
  if (!p || p->type != XML_ELEMENT_NODE) return 0;
  const char *name = (const char *)p->name;
  if (strcasecmp(name, "p") && strcasecmp(name, "div") && strcasecmp(name, "figure")) return 0;
  if (w->wrapper != p) {
    w->wrapper = p;
    w->wrapper_one = NULL;
    int seen = 0;
    for (xmlNode *c = p->children; c && seen < 2; c = c->next) {
      if (c->type == XML_COMMENT_NODE) continue;
      if (c->type == XML_TEXT_NODE && c->content &&
          all_space((const char *)c->content, strlen((const char *)c->content)))
        continue;
      w->wrapper_one = seen++ ? NULL : c;
    }
  }
  return w->wrapper_one == t;
}

/* Writes text node t. */
static void visit_text(walker *w, xmlNode *t) {
  const char *s = (const char *)t->content;
  if (!s) return;
  size_t n = strlen(s);
  open_el *top = &w->st[w->n - 1];
  if (all_space(s, n)) {
    int fig_done = !strcmp(top->el->emit, "figure") && top->state == FIG_END_CAPTION;
    if ((top->el->accepts & C_TEXT) && !fig_done) out_text(w, s, n);
    return;
  }
  size_t a = 0, b = n;
  while (a < b && is_space((unsigned char)s[a])) a++;
  while (b > a && is_space((unsigned char)s[b - 1])) b--;
  if (!(w->opt->flags & SANITIZE_HTML_ONLY) && !w->links && is_lone_url(s + a, b - a) &&
      lone_in_wrapper(w, t) && visit_lone_url(w, s + a, b - a))
    return;
  if (!make_room(w, C_TEXT)) {
    w->rep->flattened++;
    return;
  }
  top = &w->st[w->n - 1];
  received(top, C_TEXT);
  top->has_text = 1;
  out_text(w, s, n);
}

/* Walks the tree from the first top node first, writing what is allowed. */
static void walk(walker *w, xmlNode *first) {
  unsigned serials[SRC_MAX];
  int depth = 0;
  xmlNode *node = first;
  while (node && !w->overflow) {
    int descend = 0;
    serials[depth] = 0;
    switch (node->type) {
      case XML_ELEMENT_NODE:
        serials[depth] = visit_element(w, node, el_find((const char *)node->name), &descend);
        break;
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        visit_text(w, node);
        break;
      case XML_COMMENT_NODE:
        w->rep->comments++;
        break;
      default:
        break;
    }
    if (w->out->len > SANITIZE_MAX_OUTPUT) w->overflow = 1;
    if (descend && node->children && depth + 1 < SRC_MAX) {
      node = node->children;
      depth++;
      continue;
    }
    close_serial(w, serials[depth]);
    while (node && !node->next) {
      node = node->parent;
      if (--depth < 0) return;
      close_serial(w, serials[depth]);
    }
    if (node) node = node->next;
  }
}

/* ---- the whole ----------------------------------------------------------- */

/* Writes a refusal's reason into err; returns code. */
static int refuse(int code, char *err, size_t errlen, const char *msg) {
  if (err && errlen) snprintf(err, errlen, "%s", msg);
  return code;
}

/* The parser's options: no network, no messages, UTF-8 whatever a meta
** element says. (The implied html and body stay: without them libxml2
** 2.9 does not close the first top element at its end tag.) */
#define PARSE_OPTIONS                                                       \
  (HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | \
   HTML_PARSE_IGNORE_ENC)

int sanitize_html(const char *in, size_t n, const sanitize_options *opt, buf *out,
                  sanitize_report *rep, char *err, size_t errlen) {
  static const sanitize_options none = {0};
  sanitize_report ignored;
  if (!rep) rep = &ignored;
  memset(rep, 0, sizeof *rep);
  if (!opt) opt = &none;
  if (n > SANITIZE_MAX_INPUT)
    return refuse(SANITIZE_TOO_LARGE, err, errlen, "the body is longer than 8388608 bytes");
  if (!utf8_valid(in ? in : "", in ? n : 0))
    return refuse(SANITIZE_INVALID_UTF8, err, errlen, "the body is not valid UTF-8");
  buf a = {0}, b = {0};
  normalize_lines(in ? in : "", in ? n : 0, &a);
  buf *text = &a;
  if (!(opt->flags & SANITIZE_HTML_ONLY)) {
    expand_shortcodes(a.data, a.len, opt, &b, rep);
    text = &b;
    if (b.len <= SANITIZE_MAX_OUTPUT && !strstr(b.data, "<!-- wp:")) {
      buf_reset(&a);
      auto_paragraphs(b.data, b.len, &a);
      text = &a;
    }
  }
  int rc = 0;
  if (text->len > SANITIZE_MAX_OUTPUT) {
    rc = refuse(SANITIZE_TOO_LARGE, err, errlen, "the body grows over 16777216 bytes");
    goto done;
  }
  /* An explicit <body> first: libxml2 puts text at the very start of a
  ** document into an implied <p>, and text in a body into none. */
  buf *source = text, *wrapped = text == &a ? &b : &a;
  buf_reset(wrapped);
  buf_puts(wrapped, "<body>");
  if (plain_tags(buf_str(source), source->len, wrapped, &rep->attributes) != 0) {
    rc = refuse(SANITIZE_TOO_LARGE, err, errlen, "the body grows over 16777216 bytes");
    goto done;
  }
  text = wrapped;
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt) {
    rc = refuse(-1, err, errlen, "cannot start the HTML parser");
    goto done;
  }
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, text->data, (int)text->len, NULL, "UTF-8",
                                      PARSE_OPTIONS);
  if (ctxt->disableSAX) {
    rc = refuse(SANITIZE_TOO_DEEP, err, errlen, "the body's elements are nested over 256 deep");
  } else {
    size_t start = out->len;
    walker w = {.out = out, .rep = rep, .opt = opt};
    buf_append(out, "", 0);
    w.st[0] = (open_el){.el = &ROOT, .start = start, .content = start};
    w.n = 1;
    if (doc) walk(&w, doc->children);
    while (w.n > 1) pop(&w);
    while (out->len > start && is_space((unsigned char)out->data[out->len - 1])) out->len--;
    size_t lead = start;  /* white space and byte order marks at the start go */
    while (lead < out->len) {
      if (is_space((unsigned char)out->data[lead])) lead++;
      else if (out->len - lead >= 3 && !memcmp(out->data + lead, "\xEF\xBB\xBF", 3)) lead += 3;
      else break;
    }
    memmove(out->data + start, out->data + lead, out->len - lead);
    out->len -= lead - start;
    out->data[out->len] = 0;
    if (w.overflow || out->len - start > SANITIZE_MAX_OUTPUT) {
      out->len = start;
      out->data[start] = 0;
      rc = refuse(SANITIZE_TOO_LARGE, err, errlen, "the body grows over 16777216 bytes");
    }
    buf_free(&w.tmp);
    buf_free(&w.val);
  }
  if (doc) xmlFreeDoc(doc);
  htmlFreeParserCtxt(ctxt);
done:
  buf_free(&a);
  buf_free(&b);
  return rc;
}
