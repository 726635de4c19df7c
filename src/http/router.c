/*
** router.c: pattern matching of paths against the route table
** (see router.h).
*/
#include "router.h"

#include <stdlib.h>
#include <string.h>

enum { ID_MAX_DIGITS = 16 };

/* One {name}, {name:int} or {name:path} segment of a pattern, as
** matched. */
typedef struct seg {
  size_t off, len;    /* the path's bytes */
  const char *name;   /* the pattern's name, not terminated */
  size_t nname;
  int is_int;
} seg;

/* Returns the length of the rest of a path s that a {name:path} segment
** takes: one or more segments, none of them empty (so no "//" and no
** trailing "/"); 0 when s is not that. */
static size_t router_rest(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || s[n - 1] == '/' || strstr(s, "//")) return 0;
  return n;
}

/* Returns the value of s[0..n) as a positive whole number (no sign, no
** leading zero, at most 2^53), or 0 when it is not one. */
static long router_number(const char *s, size_t n) {
  if (n == 0 || n > ID_MAX_DIGITS || s[0] == '0') return 0;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    v = v * 10 + (s[i] - '0');
  }
  return v <= (1L << 53) ? v : 0;
}

/* Matches path against pattern, segment by segment, recording the
** {name} segments. When typed is set, an {x:int} segment must hold a
** number. A {x:path} segment, last in its pattern, takes the rest of the
** path. Returns the number of segments recorded, or -1 when the path does
** not fit. */
static int router_fit(const char *pattern, const char *path, int typed, seg out[]) {
  const char *p = pattern, *s = path;
  int n = 0;
  while (*p && *s) {
    if (*p == '{') {
      const char *close = strchr(p, '}');
      size_t len = strcspn(s, "/");
      if (!close || len == 0 || n == ROUTE_MAX_PARAMS) return -1;
      const char *colon = memchr(p, ':', (size_t)(close - p));
      int rest = colon && close - colon == 5 && strncmp(colon, ":path", 5) == 0;
      if (rest && (close[1] || (len = router_rest(s)) == 0)) return -1;
      seg *g = &out[n++];
      *g = (seg){(size_t)(s - path), len, p + 1,
                 (size_t)((colon ? colon : close) - (p + 1)), colon != NULL && !rest};
      if (typed && g->is_int && router_number(s, len) == 0) return -1;
      p = close + 1;
      s += len;
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

/* Fills m for route r and the segments g[0..np) of path. */
static void router_fill(route_match *m, const route *r, const char *path, const seg g[],
                        int np) {
  size_t pos[ROUTE_MAX_PARAMS];
  m->route = r;
  m->nparams = np;
  for (int k = 0; k < np; k++) {
    pos[k] = m->store.len;
    buf_append(&m->store, path + g[k].off, g[k].len);
    buf_putc(&m->store, 0);
    m->num[k] = g[k].is_int ? router_number(path + g[k].off, g[k].len) : 0;
  }
  for (int k = 0; k < np; k++) {
    m->params[k] = m->store.data + pos[k];
    if (g[k].is_int && m->num[k] == 0 && !m->bad_param) {
      /* The name, kept after the values. */
      size_t at = m->store.len;
      buf_append(&m->store, g[k].name, g[k].nname);
      buf_putc(&m->store, 0);
      for (int j = 0; j < np; j++) m->params[j] = m->store.data + pos[j];
      m->bad_param = m->store.data + at;
    }
  }
}

/* One pass over the table: typed or not. Returns 200 (m filled), 405
** (allow filled) or 404. */
static int router_pass(const route *routes, size_t n, const char *method, const char *path,
                       int typed, route_match *m, buf *allow) {
  seg g[ROUTE_MAX_PARAMS];
  int found_path = 0;
  for (size_t i = 0; i < n; i++) {
    int np = router_fit(routes[i].pattern, path, typed, g);
    if (np < 0) continue;
    if (!router_method_fits(routes[i].method, method)) {
      if (found_path++) buf_puts(allow, ", ");
      buf_puts(allow, routes[i].method);
      if (strcmp(routes[i].method, "GET") == 0) buf_puts(allow, ", HEAD");
      continue;
    }
    router_fill(m, &routes[i], path, g, np);
    return 200;
  }
  return found_path ? 405 : 404;
}

int router_match(const route *routes, size_t n, const char *method,
                 const char *path, route_match *m, buf *allow) {
  memset(m, 0, sizeof *m);
  int st = router_pass(routes, n, method, path, 1, m, allow);
  if (st != 404) return st;
  /* A route whose typed segment does not fit still decides the answer:
  ** a 400 naming the parameter, or a 404, by the route's kind. */
  return router_pass(routes, n, method, path, 0, m, allow);
}

void route_match_free(route_match *m) { buf_free(&m->store); }

const char *router_role_name(int role) {
  static const char *const names[] = {"anyone", "author", "editor", "admin"};
  return role >= ROLE_NONE && role <= ROLE_ADMIN ? names[role] : "anyone";
}
