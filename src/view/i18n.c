/*
** i18n.c: the language catalogues (see i18n.h).
*/
#include "i18n.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"

enum { I18N_MAX = 32, CATALOG_MAX_BYTES = 512 * 1024 };

struct i18n {
  int n;
  catalog *langs[I18N_MAX];   /* sorted by code */
  char codes[I18N_MAX * 8];   /* "ar|en" */
};

/* Frees one catalogue. */
static void catalog_free(catalog *c) {
  if (!c) return;
  free(c->code);
  free(c->name);
  free(c->dir);
  free(c->locale);
  free(c->date);
  for (int i = 0; i < 12; i++) free(c->months[i]);
  cJSON_Delete(c->strings);
  free(c->sorted);
  free(c);
}

/* Orders two members of a catalogue's strings by key. */
static int member_order(const void *a, const void *b) {
  return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* Fills c->sorted: the string members of c->strings, by key. */
static void catalog_index(catalog *c) {
  const cJSON *s;
  size_t n = 0;
  cJSON_ArrayForEach(s, c->strings) n++;
  c->sorted = calloc(n ? n : 1, sizeof *c->sorted);
  if (!c->sorted) abort();
  cJSON_ArrayForEach(s, c->strings) if (s->string && cJSON_IsString(s)) c->sorted[c->nsorted++] = s;
  qsort(c->sorted, c->nsorted, sizeof *c->sorted, member_order);
}

/* Reads the whole file at path (at most CATALOG_MAX_BYTES) into a new
** string, or returns NULL. */
static char *i18n_read(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  buf b = {0};
  char chunk[8192];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= CATALOG_MAX_BYTES)
    buf_append(&b, chunk, got);
  int bad = ferror(f) || b.len > CATALOG_MAX_BYTES;
  fclose(f);
  if (bad) {
    buf_free(&b);
    return NULL;
  }
  buf_putc(&b, 0);
  return b.data;
}

/* Returns a copy of the string member key of o, or NULL. */
static char *i18n_member(const cJSON *o, const char *key) {
  const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
  char *copy = s ? strdup(s) : NULL;
  if (s && !copy) abort();
  return copy;
}

/* Builds a catalogue from the parsed file doc named code. Returns it, or
** NULL with the reason in why. */
static catalog *catalog_from(cJSON *doc, const char *code, const char **why) {
  catalog *c = calloc(1, sizeof *c);
  if (!c) abort();
  c->code = i18n_member(doc, "code");
  c->name = i18n_member(doc, "name");
  c->dir = i18n_member(doc, "dir");
  c->locale = i18n_member(doc, "locale");
  c->date = i18n_member(doc, "date");
  const cJSON *months = cJSON_GetObjectItemCaseSensitive(doc, "months");
  int nm = 0;
  const cJSON *m;
  cJSON_ArrayForEach(m, months) {
    if (nm < 12 && cJSON_IsString(m)) c->months[nm] = strdup(m->valuestring);
    nm++;
  }
  c->strings = cJSON_DetachItemFromObjectCaseSensitive(doc, "strings");
  *why = !c->code || strcmp(c->code, code) != 0 ? "its code is not its file's name"
         : !c->name ? "it has no name"
         : !c->dir || (strcmp(c->dir, "ltr") && strcmp(c->dir, "rtl")) ? "dir must be ltr or rtl"
         : !c->date ? "it has no date pattern"
         : nm != 12 || !c->months[11] ? "it needs twelve month names"
         : !cJSON_IsObject(c->strings) ? "it has no strings object"
         : NULL;
  if (*why) {
    catalog_free(c);
    return NULL;
  }
  catalog_index(c);
  return c;
}

/* Reads dir/name (a CODE.json file) into a catalogue. Returns it, or NULL
** with a reason in err. */
static catalog *catalog_load(const char *dir, const char *name, char *err, size_t errlen) {
  char path[4096], code[16];
  size_t n = strlen(name) - 5;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (n == 0 || n >= sizeof code) {
    snprintf(err, errlen, "%s: not a language code", path);
    return NULL;
  }
  memcpy(code, name, n);
  code[n] = 0;
  char *text = i18n_read(path);
  cJSON *doc = NULL;
  json_strict_error bad = {0};
  /* Strict: a string given twice (the second would be silently unused)
  ** stops the start with its place in the file. */
  if (text && json_strict_parse(text, strlen(text), CATALOG_MAX_BYTES, 8, &doc, &bad) != 0) {
    snprintf(err, errlen, "%s: not valid JSON at byte %zu: %s", path, bad.offset,
             bad.reason ? bad.reason : "out of memory");
    free(text);
    return NULL;
  }
  free(text);
  const char *why = text ? "it is not valid JSON" : "cannot read it";
  catalog *c = doc ? catalog_from(doc, code, &why) : NULL;
  cJSON_Delete(doc);
  if (!c) snprintf(err, errlen, "%s: %s", path, why);
  return c;
}

/* Orders catalogues: the default language first, then by code. */
static int catalog_order(const void *a, const void *b) {
  const char *x = (*(catalog *const *)a)->code, *y = (*(catalog *const *)b)->code;
  int dx = strcmp(x, I18N_DEFAULT) == 0, dy = strcmp(y, I18N_DEFAULT) == 0;
  return dx != dy ? dy - dx : strcmp(x, y);
}

/* Checks that every catalogue has every string of the default one and
** each string is text. Returns 0, or -1 with a reason in err. */
static int i18n_check(const i18n *l, const char *dir, char *err, size_t errlen) {
  const catalog *def = i18n_default(l);
  if (!def) {
    snprintf(err, errlen, "%s has no %s.json catalogue", dir, I18N_DEFAULT);
    return -1;
  }
  for (int i = 0; i < l->n; i++) {
    const cJSON *s;
    cJSON_ArrayForEach(s, def->strings) {
      const cJSON *t = cJSON_GetObjectItemCaseSensitive(l->langs[i]->strings, s->string);
      if (!cJSON_IsString(t)) {
        snprintf(err, errlen, "%s/%s.json: the string %s is missing", dir,
                 l->langs[i]->code, s->string);
        return -1;
      }
    }
  }
  return 0;
}

i18n *i18n_load(const char *dir, char *err, size_t errlen) {
  DIR *dh = opendir(dir);
  if (!dh) {
    snprintf(err, errlen, "cannot read the language folder %s", dir);
    return NULL;
  }
  i18n *l = calloc(1, sizeof *l);
  if (!l) abort();
  struct dirent *e;
  int bad = 0;
  while (!bad && (e = readdir(dh)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
    if (l->n == I18N_MAX) break;
    catalog *c = catalog_load(dir, e->d_name, err, errlen);
    if (c) l->langs[l->n++] = c;
    else bad = 1;
  }
  closedir(dh);
  qsort(l->langs, (size_t)l->n, sizeof l->langs[0], catalog_order);
  if (bad || i18n_check(l, dir, err, errlen) != 0) {
    i18n_free(l);
    return NULL;
  }
  for (int i = 0; i < l->n; i++) {
    if (i) strncat(l->codes, "|", sizeof l->codes - strlen(l->codes) - 1);
    strncat(l->codes, l->langs[i]->code, sizeof l->codes - strlen(l->codes) - 1);
  }
  return l;
}

void i18n_free(i18n *l) {
  if (!l) return;
  for (int i = 0; i < l->n; i++) catalog_free(l->langs[i]);
  free(l);
}

const catalog *i18n_find(const i18n *l, const char *code) {
  for (int i = 0; code && i < l->n; i++)
    if (strcmp(l->langs[i]->code, code) == 0) return l->langs[i];
  return NULL;
}

const catalog *i18n_default(const i18n *l) { return i18n_find(l, I18N_DEFAULT); }

int i18n_count(const i18n *l) { return l->n; }

const catalog *i18n_at(const i18n *l, int i) { return l->langs[i]; }

const char *i18n_codes(const i18n *l) { return l->codes; }

const char *catalog_text(const catalog *c, const char *key) {
  size_t lo = 0, hi = c->nsorted;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strcmp(key, c->sorted[mid]->string);
    if (cmp == 0) return c->sorted[mid]->valuestring;
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return key;
}

void catalog_date(const catalog *c, time_t t, buf *out) {
  struct tm tm;
  gmtime_r(&t, &tm);
  for (const char *p = c->date; *p;) {
    if (strncmp(p, "{day}", 5) == 0) {
      buf_printf(out, "%d", tm.tm_mday);
      p += 5;
    } else if (strncmp(p, "{month}", 7) == 0) {
      buf_puts(out, c->months[tm.tm_mon]);
      p += 7;
    } else if (strncmp(p, "{year}", 6) == 0) {
      buf_printf(out, "%d", tm.tm_year + 1900);
      p += 6;
    } else {
      buf_putc(out, *p++);
    }
  }
}
