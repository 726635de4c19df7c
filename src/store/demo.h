/*
** demo.h: loads the demo site (demo/site.json) into an empty database.
*/
#ifndef GAZETTE_DEMO_H
#define GAZETTE_DEMO_H

#include <stddef.h>

#include "db.h"

/* Loads the content file at path into d in one transaction: settings,
** authors, categories, tags, articles (Markdown rendered once here),
** comments in threads and ratings, with the articles' counters. Returns 0
** when loaded, 1 when the site already has articles (nothing is changed),
** -1 with a reason in err (nothing is changed). */
int demo_load(db *d, const char *path, char *err, size_t errlen);

/* Returns 1 when the database has no articles, 0 when it has, -1. */
int demo_empty(db *d);

#endif
