/*
** templates.h: the Mustache templates of www/templates, read once at
** start-up and then only read.
*/
#ifndef GAZETTE_TEMPLATES_H
#define GAZETTE_TEMPLATES_H

#include <stddef.h>

typedef struct templates templates;

/* Reads every NAME.mustache in dir. Returns NULL with a reason in err when
** the folder cannot be read or holds no templates. */
templates *templates_load(const char *dir, char *err, size_t errlen);

/* Returns the source of template name, or NULL. Matches the signature of
** mustache_partial_fn with the templates as user data. */
const char *templates_get(void *tpl, const char *name);

/* Frees the templates. */
void templates_free(templates *t);

#endif
