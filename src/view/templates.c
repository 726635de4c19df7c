/*
** templates.c: loads the .mustache files of www/templates (see templates.h).
*/
#include "templates.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"

enum { TEMPLATES_MAX = 64, TEMPLATE_MAX_BYTES = 256 * 1024 };

struct templates {
  int n;
  char *name[TEMPLATES_MAX];
  char *src[TEMPLATES_MAX];
  mustache_tmpl *parsed[TEMPLATES_MAX];
};

/* Returns the index of template name, or -1. */
static int templates_index(const templates *t, const char *name) {
  for (int i = 0; i < t->n; i++)
    if (strcmp(t->name[i], name) == 0) return i;
  return -1;
}

/* The lookup the renderer uses for partials and parents. */
static const mustache_tmpl *templates_lookup(void *ud, const char *name) {
  const templates *t = ud;
  int i = templates_index(t, name);
  return i < 0 ? NULL : t->parsed[i];
}

/* What templates_check_one needs to report a missing partial. */
typedef struct include_check {
  const templates *t;
  const char *dir, *file;
  char *err;
  size_t errlen;
} include_check;

/* Fails when the partial or parent name does not exist. */
static int templates_include_ok(void *ud, const char *name, unsigned line) {
  include_check *k = ud;
  if (templates_index(k->t, name) >= 0) return 0;
  snprintf(k->err, k->errlen, "%s/%s.mustache: line %u: no template '%s' for this partial",
           k->dir, k->file, line, name);
  return -1;
}

/* Parses every template and checks what they include. Returns 0 or -1. */
static int templates_compile(templates *t, const char *dir, char *err, size_t errlen) {
  char why[256];
  for (int i = 0; i < t->n; i++) {
    t->parsed[i] = mustache_compile(t->src[i], t->name[i], why, sizeof why);
    if (!t->parsed[i]) {
      snprintf(err, errlen, "%s/%s.mustache: %s", dir, t->name[i], why);
      return -1;
    }
  }
  for (int i = 0; i < t->n; i++) {
    include_check k = {t, dir, t->name[i], err, errlen};
    if (mustache_includes(t->parsed[i], templates_include_ok, &k) != 0) return -1;
  }
  return 0;
}

/* Reads the whole file at path into a new string, or returns NULL. */
static char *templates_read(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  buf b = {0};
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < TEMPLATE_MAX_BYTES)
    buf_append(&b, chunk, got);
  int bad = ferror(f) || b.len >= TEMPLATE_MAX_BYTES;
  fclose(f);
  if (bad) {
    buf_free(&b);
    return NULL;
  }
  buf_putc(&b, 0);
  return b.data;
}

templates *templates_load(const char *dir, char *err, size_t errlen) {
  DIR *dh = opendir(dir);
  if (!dh) {
    snprintf(err, errlen, "cannot read templates folder %s", dir);
    return NULL;
  }
  templates *t = calloc(1, sizeof *t);
  if (!t) abort();
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    size_t len = strlen(e->d_name);
    const char *ext = ".mustache";
    if (len <= strlen(ext) || strcmp(e->d_name + len - strlen(ext), ext)) continue;
    if (t->n == TEMPLATES_MAX) break;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    char *src = templates_read(path);
    if (!src) {
      snprintf(err, errlen, "cannot read template %s", path);
      closedir(dh);
      templates_free(t);
      return NULL;
    }
    t->name[t->n] = strndup(e->d_name, len - strlen(ext));
    t->src[t->n++] = src;
  }
  closedir(dh);
  if (t->n == 0) {
    snprintf(err, errlen, "no templates in %s", dir);
    templates_free(t);
    return NULL;
  }
  if (templates_compile(t, dir, err, errlen) != 0) {
    templates_free(t);
    return NULL;
  }
  return t;
}

int templates_has(const templates *t, const char *name) {
  return templates_index(t, name) >= 0;
}

int templates_render(const templates *t, const char *name, const cJSON *data,
                     buf *out, char *err, size_t errlen) {
  int i = templates_index(t, name);
  if (i < 0) {
    snprintf(err, errlen, "no template '%s'", name);
    return -1;
  }
  return mustache_render_compiled(t->parsed[i], data, templates_lookup, (void *)t, out,
                                  err, errlen);
}

void templates_free(templates *t) {
  if (!t) return;
  for (int i = 0; i < t->n; i++) {
    mustache_free(t->parsed[i]);
    free(t->name[i]);
    free(t->src[i]);
  }
  free(t);
}
