/*
** fuzz.h: what the libFuzzer targets in tests/fuzz share: a check that
** turns a broken promise into a crash the fuzzer records, and splitting
** an input into pieces.
*/
#ifndef GAZETTE_FUZZ_H
#define GAZETTE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Aborts, naming the condition, when cond is false: libFuzzer keeps the
** input that did it. */
#define FUZZ_CHECK(cond)                                                  \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
              #cond);                                                     \
      abort();                                                            \
    }                                                                     \
  } while (0)

/* Returns a new NUL-terminated copy of p[0..n), allocated to exactly n + 1
** bytes so that ASan catches a read past its end. Aborts when out of
** memory. */
static inline char *fuzz_strndup(const uint8_t *p, size_t n) {
  char *s = malloc(n + 1);
  if (!s) abort();
  if (n) memcpy(s, p, n);
  s[n] = 0;
  return s;
}

/* Cuts the next piece off *data[0..*size), up to the first byte sep (which
** is dropped) or the end: sets *piece and *len, advances *data and *size.
** Returns 0 when nothing is left, else 1. */
static inline int fuzz_next(const uint8_t **data, size_t *size, uint8_t sep,
                            const uint8_t **piece, size_t *len) {
  if (*data == NULL) return 0;
  const uint8_t *end = *size ? memchr(*data, sep, *size) : NULL;
  *piece = *data;
  *len = end ? (size_t)(end - *data) : *size;
  if (end) {
    *size -= *len + 1;
    *data = end + 1;
  } else {
    *data = NULL;
    *size = 0;
  }
  return 1;
}

#endif
