/*
** templates.c: loads the .mustache files of www/templates (see templates.h).
*/
#include "templates.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

enum { TEMPLATES_MAX = 64, TEMPLATE_MAX_BYTES = 256 * 1024 };

struct templates {
  int n;
  char *name[TEMPLATES_MAX];
  char *src[TEMPLATES_MAX];
};

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
  return t;
}

const char *templates_get(void *tpl, const char *name) {
  const templates *t = tpl;
  for (int i = 0; i < t->n; i++)
    if (strcmp(t->name[i], name) == 0) return t->src[i];
  return NULL;
}

void templates_free(templates *t) {
  if (!t) return;
  for (int i = 0; i < t->n; i++) {
    free(t->name[i]);
    free(t->src[i]);
  }
  free(t);
}
