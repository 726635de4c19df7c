/*
** buf.h: a growable byte buffer, the one type every module appends output to.
**
** A buf always holds a NUL after its last byte, so b->data can be used as a
** C string. Allocation failure aborts the process: a half-built page is
** never sent.
*/
#ifndef GAZETTE_BUF_H
#define GAZETTE_BUF_H

#include <stddef.h>

typedef struct buf {
  char *data;    /* bytes, NUL-terminated; NULL until the first append */
  size_t len;    /* bytes in use, not counting the NUL */
  size_t cap;    /* bytes allocated */
} buf;

/* Appends n bytes from p. */
void buf_append(buf *b, const char *p, size_t n);

/* Appends the NUL-terminated string s. */
void buf_puts(buf *b, const char *s);

/* Appends one byte. */
void buf_putc(buf *b, char c);

/* Appends printf-style formatted text. */
void buf_printf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Makes the buffer empty, keeping its memory for reuse. */
void buf_reset(buf *b);

/* Frees the memory and leaves an empty buffer. */
void buf_free(buf *b);

/* Returns the content as a C string ("" when nothing was appended). */
const char *buf_str(const buf *b);

#endif
