/*
** templates.h: the Mustache templates of www/templates, read and parsed
** once at start-up and then only read (by any number of threads).
*/
#ifndef GAZETTE_TEMPLATES_H
#define GAZETTE_TEMPLATES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"

typedef struct templates templates;

/* Reads and parses every NAME.mustache in dir and checks that every
** partial and parent they name exists. Returns NULL with a reason in err
** ("DIR/NAME.mustache: line 12: unclosed section 'x'") when the folder
** cannot be read, holds no templates, or any template is broken. */
templates *templates_load(const char *dir, char *err, size_t errlen);

/* Returns 1 when there is a template called name. */
int templates_has(const templates *t, const char *name);

/* Renders template name over data, appending to out. Returns 0, or -1
** with a reason in err (no such template, or nesting too deep). */
int templates_render(const templates *t, const char *name, const cJSON *data,
                     buf *out, char *err, size_t errlen);

/* Frees the templates. */
void templates_free(templates *t);

#endif
