/*
** legacy.c: the addresses of a site Gazette took over (see pages.h): an
** old permalink answers 301 to the address of what it became, and an old
** feed's address (WordPress's /feed/, /category/a/feed/, ?feed=rss2) to
** the feed of what it became.
*/
#include <string.h>

#include "escape.h"
#include "pages.h"
#include "store.h"

/* WordPress's feed addresses: a path's end, then the feed it asked for
** (RSS 2.0, which WordPress gives at /feed/, or Atom). */
static const struct {
  const char *end;
  const char *ext;
} wp_feeds[] = {
    {"/feed", ".rss"}, {"/feed/rss2", ".rss"}, {"/feed/rss", ".rss"},
    {"/feed/rdf", ".rss"}, {"/feed/atom", ".xml"},
};

/* Returns the extension of the feed path asks for when it ends with one
** of wp_feeds, and sets *base_len to the length of what comes before;
** NULL when path asks for no feed. */
static const char *legacy_feed(const char *path, size_t n, size_t *base_len) {
  for (size_t i = 0; i < sizeof wp_feeds / sizeof wp_feeds[0]; i++) {
    size_t e = strlen(wp_feeds[i].end);
    if (n >= e && memcmp(path + n - e, wp_feeds[i].end, e) == 0) {
      *base_len = n - e;
      return wp_feeds[i].ext;
    }
  }
  return NULL;
}

/* Writes to to the address of what the old address path (without its
** trailing slash) became, or of its feed when ext is set (".rss" or
** ".xml"). asked is the address asked for, which must not be the answer.
** Returns 0, 404 (nothing there, or nothing with a feed) or 500. */
static int legacy_target(ctx *c, const char *asked, const char *path, const char *ext,
                         buf *to) {
  static const char *const prefix[] = {"/articles/", "/page/", "/category/", "/tag/", "/author/"};
  if (ext && !*path) {
    buf_printf(to, "/feed%s", ext);
    return 0;
  }
  buf key = {0};
  legacy_kind kind;
  int rc = legacy_find(c->db, c->now, path, &kind, &key);
  int st = rc == STORE_OK ? 0 : rc > 0 ? 404 : 500;
  if (st == 0 && !ext && strncmp(asked, prefix[kind], strlen(prefix[kind])) == 0 &&
      strcmp(asked + strlen(prefix[kind]), buf_str(&key)) == 0)
    st = 404; /* the old address is the new one, which is not public: no loop */
  else if (st == 0 && ext && kind == LEGACY_PAGE)
    st = 404; /* a static page has no feed */
  if (st == 0) {
    if (kind == LEGACY_CATEGORY) escape_path_segments(to, prefix[kind], buf_str(&key));
    else escape_path(to, prefix[kind], buf_str(&key));
    /* An article's feed is its comments', as WordPress's was. */
    if (ext) buf_printf(to, "%s/feed%s", kind == LEGACY_ARTICLE ? "/comments" : "", ext);
  }
  buf_free(&key);
  return st;
}

/* Answers 301 to to, or st when it is not 0. */
static int legacy_answer(ctx *c, int st, buf *to) {
  if (st) return st;
  /* Kept by browsers an hour (a target renamed later is found again), by
  ** no shared cache: where an old address leads changes with what readers
  ** may see (a section's first article, a tag's last gone). */
  c->res.cache = CACHE_MOVED;
  return response_redirect(&c->res, 301, buf_str(to));
}

int legacy_redirect(ctx *c, const char *path) {
  buf to = {0}, norm = {0};
  size_t n = strlen(path);
  /* WordPress's addresses end with a slash; Gazette keeps them without. */
  while (n > 1 && path[n - 1] == '/') n--;
  /* Nor doubled slashes ("//page/", from a link written so). */
  for (size_t i = 0; i < n; i++)
    if (!(path[i] == '/' && norm.len && norm.data[norm.len - 1] == '/')) buf_putc(&norm, path[i]);
  int st = legacy_target(c, path, buf_str(&norm), NULL, &to);
  size_t base;
  const char *ext = st == 404 ? legacy_feed(buf_str(&norm), norm.len, &base) : NULL;
  if (ext) { /* not an old page (a post may be called "feed"), an old feed */
    norm.len = base;
    if (norm.data) norm.data[base] = 0;
    st = legacy_target(c, path, buf_str(&norm), ext, &to);
  }
  st = legacy_answer(c, st, &to);
  buf_free(&to);
  buf_free(&norm);
  return st;
}

/* Returns the extension of the feed ?feed=... asks for on the home page
** (WordPress's plain feed links): "" when there is no such parameter,
** NULL when it names no feed Gazette has (comments-rss2 and the like). */
static const char *legacy_query_feed(ctx *c) {
  buf v = {0};
  int rc = request_query(&c->req, "feed", &v);
  const char *ext = rc == 0 ? "" : NULL;
  if (rc > 0) {
    const char *f = buf_str(&v);
    if (!*f || strcmp(f, "rss2") == 0 || strcmp(f, "rss") == 0 || strcmp(f, "rdf") == 0)
      ext = ".rss";
    else if (strcmp(f, "atom") == 0)
      ext = ".xml";
  }
  buf_free(&v);
  return ext;
}

int legacy_query_or_reply(ctx *c) {
  static const char *const keys[] = {"p", "page_id", "cat"};
  const char *ext = legacy_query_feed(c);
  if (!ext) return 404;
  buf v = {0}, path = {0}, to = {0};
  int st = 0;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !st; i++) {
    buf_reset(&v);
    int rc = request_query(&c->req, keys[i], &v);
    if (rc == 0) continue;
    if (rc < 0 || v.len == 0 || v.len > 16 || strspn(buf_str(&v), "0123456789") != v.len) {
      st = 404;
      break;
    }
    buf_printf(&path, "/?%s=%s", keys[i], buf_str(&v));
    st = legacy_answer(c, legacy_target(c, buf_str(&path), buf_str(&path), *ext ? ext : NULL, &to), &to);
  }
  /* ?feed= alone: the site's feed. */
  if (!st && *ext) st = legacy_answer(c, legacy_target(c, "/", "", ext, &to), &to);
  buf_free(&v);
  buf_free(&path);
  buf_free(&to);
  return st;
}
