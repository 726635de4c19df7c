/*
** utf8.h: UTF-8 validation and measuring.
*/
#ifndef GAZETTE_UTF8_H
#define GAZETTE_UTF8_H

#include <stddef.h>

#include "buf.h"

/* Returns 1 when s[0..n) is well-formed UTF-8 (no overlong forms, no
** surrogates, nothing above U+10FFFF) with no NUL byte, else 0. */
int utf8_valid(const char *s, size_t n);

/* Returns the number of code points in the valid UTF-8 string s[0..n). */
size_t utf8_length(const char *s, size_t n);

/* Returns 1 when code point cp may not be stored in a reader's text: a C0
** or C1 control or DEL, a bidirectional embedding, override or isolate
** (U+202A..U+202E, U+2066..U+2069: they make text show in another order
** than it is stored), or, unless lines is set, U+2028 and U+2029. With
** lines set, line feed and tab are allowed (a comment's text). The marks
** U+200E, U+200F and U+061C, which right-to-left text needs, are allowed. */
int utf8_is_unsafe(unsigned cp, int lines);

/* Returns the byte offset of the first code point of the valid UTF-8
** string s[0..n) that utf8_is_unsafe refuses, or -1 when there is none. */
long utf8_find_unsafe(const char *s, size_t n, int lines);

/* Removes, in place, every code point of the valid UTF-8 string s[0..n)
** that utf8_is_unsafe refuses; returns the new length (and NUL-terminates
** when it shrank). */
size_t utf8_strip_unsafe(char *s, size_t n, int lines);

/* Decodes the UTF-8 character at s: sets *len to its bytes and returns
** its code point. A byte that starts no well-formed sequence (or one cut
** short by a NUL or another byte) is one byte long, read as U+FFFD. */
unsigned utf8_decode(const unsigned char *s, size_t *len);

/* Appends code point cp to out as UTF-8; nothing for NUL, surrogates or
** anything past U+10FFFF. */
void utf8_put(buf *out, unsigned cp);

/* Appends to out at most max_chars characters of the UTF-8 text s (the
** "…" included), cut on a word's end when one is near, with "…" when
** something was cut. Returns 1 when it cut, else 0. */
int utf8_cut(const char *s, size_t max_chars, buf *out);

#endif
