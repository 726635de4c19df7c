/*
** settings.h: the site settings an admin may change, with their defaults
** and limits, in one table. Values live in the settings table (db.c).
*/
#ifndef GAZETTE_SETTINGS_H
#define GAZETTE_SETTINGS_H

#include "db.h"

/* Returns a copy (malloc) of setting key, or NULL when it is not set. */
char *setting_get(db *d, const char *key);

/* Sets setting key to value. Returns 0 or -1. */
int setting_set(db *d, const char *key, const char *value);

/* Stands, in the table of settings, for "one of the languages with a
** catalogue", which only the caller knows. */
#define SETTINGS_LANGUAGES "@languages"

/* Returns NULL when value is acceptable for setting key, else a one-line
** reason (an unknown key, a number out of range, a bad choice).
** languages lists the codes a language setting may take ("en|ar"); NULL
** skips that check. */
const char *settings_check(const char *key, const char *value, const char *languages);

/* The video players an article may embed by default (embed_hosts). */
#define SETTINGS_EMBED_DEFAULT \
  "www.youtube.com/embed/ www.youtube-nocookie.com/embed/ player.vimeo.com/video/"
enum { SETTINGS_EMBED_MAX = 16, SETTINGS_EMBED_LEN = 200 };

/* Reads the embed_hosts value: host/path prefixes ("www.youtube.com/
** embed/") separated by spaces, the host a lower-case name with a dot,
** the path of URL characters. Copies up to max of them into out (may be
** NULL). Returns how many it lists, or -1 when one is malformed or there
** are more than SETTINGS_EMBED_MAX. */
int settings_embeds(const char *value, char (*out)[SETTINGS_EMBED_LEN], int max);
/* Returns 1 when key is one of the settings an admin may change. */
int settings_known(const char *key);

/* Returns the value of text setting key, or its default, as a new string. */
char *settings_text(db *d, const char *key);

/* Returns the value of number setting key, or its default when unset or
** out of range. */
long settings_int(db *d, const char *key);

/* Sets each keys[i] to values[i] (already checked), all in one
** transaction. Returns 0 or -1. */
int settings_save(db *d, const char *const *keys, const char *const *values, int n);

/* Appends the list of settings with their meaning and default to out. */
void settings_help(buf *out);

#endif
