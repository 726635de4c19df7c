/*
** diff.c: a line diff of two texts (see diff.h).
*/
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* One line of a text: s[0..n), without its line break. */
typedef struct line {
  const char *s;
  size_t n;
} line;

/* Splits text into lines (a final line break ends the last line rather
** than starting an empty one; a \r before \n is dropped) into a new array
** and sets *count. Returns NULL (with *count set) when there are more than
** DIFF_MAX_LINES lines. */
static line *diff_split(const char *text, size_t *count) {
  size_t n = 0;
  for (const char *p = text; *p; n++) {
    const char *nl = strchr(p, '\n');
    p = nl ? nl + 1 : p + strlen(p);
  }
  *count = n;
  if (n > DIFF_MAX_LINES) return NULL;
  line *v = calloc(n ? n : 1, sizeof *v);
  if (!v) abort();
  const char *p = text;
  for (size_t i = 0; i < n; i++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    v[i].s = p;
    v[i].n = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
    p += len + (nl != NULL);
  }
  return v;
}

/* Returns 1 when two lines are the same. */
static int line_same(line a, line b) {
  return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

/* Appends {kind, text, <kind>: true} for line l to out. */
static void diff_add(cJSON *out, const char *kind, line l) {
  buf b = {0};
  buf_append(&b, l.s, l.n);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", kind);
  cJSON_AddStringToObject(o, "text", buf_str(&b));
  cJSON_AddBoolToObject(o, kind, 1);
  cJSON_AddItemToArray(out, o);
  buf_free(&b);
}

/* Appends the diff of a[0..n) and b[0..m) through a table of the longest
** common subsequences of their suffixes. */
static void diff_middle(const line *a, size_t n, const line *b, size_t m, cJSON *out) {
  size_t w = m + 1;
  uint16_t *len = calloc((n + 1) * w, sizeof *len);
  if (!len) abort();
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;) {
      uint16_t down = len[(i + 1) * w + j], right = len[i * w + j + 1];
      len[i * w + j] = line_same(a[i], b[j]) ? (uint16_t)(len[(i + 1) * w + j + 1] + 1)
                                              : down >= right ? down : right;
    }
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && line_same(a[i], b[j])) {
      diff_add(out, "same", a[i++]);
      j++;
    } else if (j == m || (i < n && len[(i + 1) * w + j] >= len[i * w + j + 1])) {
      diff_add(out, "del", a[i++]);
    } else {
      diff_add(out, "ins", b[j++]);
    }
  }
  free(len);
}

int diff_lines(const char *old, const char *new, cJSON *out) {
  size_t n, m;
  line *a = diff_split(old, &n), *b = diff_split(new, &m);
  if (!a || !b) {
    free(a);
    free(b);
    return 1;
  }
  size_t pre = 0, suf = 0;
  while (pre < n && pre < m && line_same(a[pre], b[pre])) pre++;
  while (suf < n - pre && suf < m - pre && line_same(a[n - 1 - suf], b[m - 1 - suf])) suf++;
  for (size_t i = 0; i < pre; i++) diff_add(out, "same", a[i]);
  diff_middle(a + pre, n - pre - suf, b + pre, m - pre - suf, out);
  for (size_t i = n - suf; i < n; i++) diff_add(out, "same", a[i]);
  free(a);
  free(b);
  return 0;
}
