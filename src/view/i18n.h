/*
** i18n.h: the interface's words in English and Arabic.
*/
#ifndef GAZETTE_I18N_H
#define GAZETTE_I18N_H

#include <cjson/cJSON.h>

/* One interface string in each language. */
typedef struct phrase {
  const char *key, *en, *ar;
} phrase;

/* The tables of strings: the readers' (i18n.c), the admin frame's
** (admin.c), the article screens' (admin_articles.c) and the site
** screens' (admin_site.c). Keys are unique across all of them. */
extern const phrase PHRASES[], ADMIN_PHRASES[], ARTICLE_PHRASES[], SITE_PHRASES[];
extern const size_t PHRASES_COUNT, ADMIN_PHRASES_COUNT, ARTICLE_PHRASES_COUNT,
    SITE_PHRASES_COUNT;

/* Returns 1 when lang is a supported interface language ("en", "ar"). */
int i18n_supported(const char *lang);

/* Returns the text direction of lang: "rtl" for Arabic, else "ltr". */
const char *i18n_dir(const char *lang);

/* Returns the string key in lang (English when lang is unknown); key itself
** when no such string exists. */
const char *i18n_text(const char *lang, const char *key);

/* Returns a new object mapping every key to its string in lang: the "t"
** object that templates read. */
cJSON *i18n_strings(const char *lang);

/* Returns the name of month 1..12 in lang. */
const char *i18n_month(const char *lang, int month);

#endif
