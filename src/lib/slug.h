/*
** slug.h: the one way Gazette makes a URL slug from a name or a title,
** for articles, categories and tags alike.
*/
#ifndef GAZETTE_SLUG_H
#define GAZETTE_SLUG_H

#include <stddef.h>

#include "buf.h"

/* Appends to out the slug of the UTF-8 text: ASCII letters (lowercased)
** and digits, and the letters and digits of other scripts (Arabic,
** accented Latin, Cyrillic...) as they are, Arabic vowel marks and the
** tatweel dropped; every run of anything else (spaces, punctuation,
** symbols) one '-', none at either end; at most max bytes, cut on a
** character boundary. A malformed byte separates words. May append
** nothing (a text of punctuation only). */
void slug_make(buf *out, const char *text, size_t max);

#endif
