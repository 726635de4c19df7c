/*
** diff.h: the line diff that compares a revision of an article with its
** current text.
*/
#ifndef GAZETTE_DIFF_H
#define GAZETTE_DIFF_H

#include <cjson/cJSON.h>

enum { DIFF_MAX_LINES = 2000 };  /* longer texts are shown side by side */

/* Compares the texts old and new line by line (a longest common
** subsequence) and appends to out one {kind, text, del|ins|same: true}
** per line, kind "del" for a line only in old, "ins" for one only in new.
** Returns 0, or 1 (out untouched) when either text has more than
** DIFF_MAX_LINES lines. */
int diff_lines(const char *old, const char *new, cJSON *out);

#endif
