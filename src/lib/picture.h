/*
** picture.h: the HTML of a picture of the library, everywhere the site
** shows one (cards, the lead story, an article's featured picture and the
** pictures in its text, bylines): a <picture> with a WebP srcset, a JPEG
** fallback with its own srcset, sizes, and the width and height of the
** fallback so that the page does not shift while it loads.
**
** A picture record (as the store gives it) is {id, width, height, type,
** alt, caption, credit, files: [{name, format ("webp" or "jpeg"), width,
** height, bytes}]}, files in increasing width. Only files that exist are
** listed; a record without a JPEG has nothing to show.
*/
#ifndef GAZETTE_PICTURE_H
#define GAZETTE_PICTURE_H

#include <cjson/cJSON.h>

#include "buf.h"

/* Where nginx serves the media folder. */
#define PICTURE_PREFIX "/media/"

/* How one picture is shown. */
typedef struct picture_opts {
  const char *sizes;  /* the sizes attribute: the width it takes on screen */
  const char *alt;    /* alt text, or NULL for the record's */
  const char *cls;    /* class of the <img>, or NULL */
  int eager;          /* 1: load at once (the lead picture), else lazily */
  int max_width;      /* the fallback is the widest JPEG up to this (0: 1024) */
} picture_opts;

/* Returns the file of rec that a browser without srcset should load: the
** widest JPEG up to max_width (0: 1024), else the narrowest JPEG; NULL when
** rec has no JPEG. */
const cJSON *picture_fallback(const cJSON *rec, int max_width);

/* Appends the <picture> element of rec to out. Returns 0, or -1 (nothing
** appended) when rec has no file to show. */
int picture_html(buf *out, const cJSON *rec, const picture_opts *o);

/* Appends a <figure> holding the picture and, when there is one, a
** <figcaption> with caption (NULL: the record's) and the record's credit.
** Returns 0 or -1 as picture_html. */
int picture_figure(buf *out, const cJSON *rec, const char *caption, const picture_opts *o);

#endif
