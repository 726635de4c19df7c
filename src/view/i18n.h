/*
** i18n.h: the interface's words, one catalogue file per language in
** www/i18n/CODE.json, read once at start-up and then only read.
**
** A catalogue is {code, name, dir, locale, date, months[12], strings{key:
** text}}: its language code (the file's name), its own name for menus, its
** text direction ("ltr" or "rtl"), the locale social networks name it by
** ("ar_AR"; optional), the pattern of a reader-facing date
** ("{day} {month} {year}"), the month names and the strings. Every
** catalogue holds every key of the default language's. Adding a language
** means adding a file.
*/
#ifndef GAZETTE_I18N_H
#define GAZETTE_I18N_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"

/* The language the site speaks unless a setting says otherwise, and the
** one API messages are written in. */
#define I18N_DEFAULT "en"

/* One language's catalogue. */
typedef struct catalog {
  char *code;        /* "en" */
  char *name;        /* "English", in the language itself */
  char *dir;         /* "ltr" or "rtl" */
  char *locale;      /* "en_US": language and territory (Open Graph's
                     ** og:locale); optional, NULL when not given */
  char *date;        /* "{day} {month} {year}" */
  char *months[12];
  cJSON *strings;    /* {key: text}: the "t" object templates read */
  const cJSON **sorted; /* the members of strings by key (catalog_text) */
  size_t nsorted;       /* how many */
} catalog;

typedef struct i18n i18n;

/* Reads every CODE.json in dir. Returns NULL with a reason in err when
** the folder cannot be read, has no catalogue of I18N_DEFAULT, or a
** catalogue is malformed or lacks a key the default one has. */
i18n *i18n_load(const char *dir, char *err, size_t errlen);

/* Frees the catalogues. */
void i18n_free(i18n *l);

/* Returns the catalogue of language code, or NULL. */
const catalog *i18n_find(const i18n *l, const char *code);

/* Returns the default language's catalogue. */
const catalog *i18n_default(const i18n *l);

/* Returns the number of languages and, through at(), each catalogue: the
** default language first, then the others in the order of their codes. */
int i18n_count(const i18n *l);
const catalog *i18n_at(const i18n *l, int i);

/* Returns the codes of every language joined by '|' ("en|ar"). */
const char *i18n_codes(const i18n *l);

/* Returns the string key in the catalogue, or key itself when it has no
** such string. */
const char *catalog_text(const catalog *c, const char *key);

/* Appends t as a reader-facing date in the catalogue's pattern. */
void catalog_date(const catalog *c, time_t t, buf *out);

#endif
