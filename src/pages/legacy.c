/*
** legacy.c: the addresses of a site Gazette took over (see pages.h): an
** old permalink answers 301 to the address of what it became.
*/
#include <string.h>

#include "escape.h"
#include "pages.h"
#include "store.h"

int legacy_redirect(ctx *c, const char *path) {
  buf key = {0}, to = {0}, norm = {0};
  size_t n = strlen(path);
  /* WordPress's addresses end with a slash; Gazette keeps them without. */
  while (n > 1 && path[n - 1] == '/') n--;
  buf_append(&norm, path, n);
  legacy_kind kind;
  int rc = legacy_find(c->db, c->now, buf_str(&norm), &kind, &key);
  int st = rc == STORE_OK ? 301 : rc > 0 ? 404 : 500;
  static const char *const prefix[] = {"/articles/", "/page/", "/category/", "/tag/", "/author/"};
  if (rc == STORE_OK && strncmp(path, prefix[kind], strlen(prefix[kind])) == 0 &&
      strcmp(path + strlen(prefix[kind]), buf_str(&key)) == 0)
    st = 404; /* the old address is the new one, which is not public: no loop */
  else if (rc == STORE_OK) {
    if (kind == LEGACY_CATEGORY) escape_path_segments(&to, prefix[kind], buf_str(&key));
    else escape_path(&to, prefix[kind], buf_str(&key));
    /* Kept by browsers an hour: a target renamed later is found again. */
    c->res.cache = CACHE_MOVED;
    st = response_redirect(&c->res, 301, buf_str(&to));
  }
  buf_free(&key);
  buf_free(&to);
  buf_free(&norm);
  return st;
}

int legacy_query_or_reply(ctx *c) {
  static const char *const keys[] = {"p", "page_id", "cat"};
  buf v = {0}, path = {0};
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
    st = legacy_redirect(c, buf_str(&path));
  }
  buf_free(&v);
  buf_free(&path);
  return st;
}
