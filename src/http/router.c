/*
** router.c: pattern matching of paths against the route table
** (see router.h).
*/
#include "router.h"

#include <string.h>

/* Matches path against pattern, segment by segment. On success records the
** {name} segments' offsets and lengths and returns their count; returns -1
** when the path does not fit. */
static int router_fit(const char *pattern, const char *path,
                      size_t off[], size_t len[]) {
  const char *p = pattern, *s = path;
  int n = 0;
  while (*p && *s) {
    if (*p == '{') {
      const char *close = strchr(p, '}');
      size_t seg = strcspn(s, "/");
      if (!close || seg == 0 || n == ROUTE_MAX_PARAMS) return -1;
      off[n] = (size_t)(s - path);
      len[n++] = seg;
      p = close + 1;
      s += seg;
    } else if (*p++ != *s++) {
      return -1;
    }
  }
  return (*p || *s) ? -1 : n;
}

/* Returns 1 when a route of method m answers request method method. */
static int router_method_fits(const char *m, const char *method) {
  return strcmp(m, method) == 0 ||
         (strcmp(m, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

int router_match(const route *routes, size_t n, const char *method,
                 const char *path, route_match *m, buf *allow) {
  size_t off[ROUTE_MAX_PARAMS], len[ROUTE_MAX_PARAMS];
  int found_path = 0;
  memset(m, 0, sizeof *m);
  for (size_t i = 0; i < n; i++) {
    int np = router_fit(routes[i].pattern, path, off, len);
    if (np < 0) continue;
    if (!router_method_fits(routes[i].method, method)) {
      if (found_path++) buf_puts(allow, ", ");
      buf_puts(allow, routes[i].method);
      if (strcmp(routes[i].method, "GET") == 0) buf_puts(allow, ", HEAD");
      continue;
    }
    m->route = &routes[i];
    m->nparams = np;
    size_t pos[ROUTE_MAX_PARAMS];
    for (int k = 0; k < np; k++) {
      pos[k] = m->store.len;
      buf_append(&m->store, path + off[k], len[k]);
      buf_putc(&m->store, 0);
    }
    for (int k = 0; k < np; k++) m->params[k] = m->store.data + pos[k];
    return 200;
  }
  return found_path ? 405 : 404;
}

void route_match_free(route_match *m) { buf_free(&m->store); }
