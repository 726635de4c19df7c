/*
** utf8.h: UTF-8 validation and measuring.
*/
#ifndef GAZETTE_UTF8_H
#define GAZETTE_UTF8_H

#include <stddef.h>

/* Returns 1 when s[0..n) is well-formed UTF-8 (no overlong forms, no
** surrogates, nothing above U+10FFFF) with no NUL byte, else 0. */
int utf8_valid(const char *s, size_t n);

/* Returns the number of code points in the valid UTF-8 string s[0..n). */
size_t utf8_length(const char *s, size_t n);

#endif
