/*
** stream.h: a body written in pieces as it is produced, so that an answer
** of any length costs one chunk of memory. The producer appends to the
** chunk and calls stream_pace after each piece; once the chunk holds
** STREAM_CHUNK bytes it is handed on (to the client, to a hash) and the
** buffer is reused.
*/
#ifndef GAZETTE_STREAM_H
#define GAZETTE_STREAM_H

#include <stddef.h>

#include "buf.h"

enum { STREAM_CHUNK = 16384 };

/* Receives n bytes at p. Returns 0, or -1 when it can take no more (the
** client went away): the producer then stops. */
typedef int (*stream_emit_fn)(void *ud, const char *p, size_t n);

typedef struct stream {
  buf chunk;                 /* bytes not yet handed on */
  stream_emit_fn emit;
  void *ud;
  size_t sent;               /* bytes handed on so far */
  long long last_modified;   /* newest change among what was written
                             ** (Unix seconds; 0: none noted) */
  int failed;                /* the receiver refused: stop producing */
} stream;

/* Starts an empty stream that hands its bytes to emit(ud). */
void stream_init(stream *s, stream_emit_fn emit, void *ud);

/* Hands the chunk on when it holds STREAM_CHUNK bytes or more. Returns 0,
** or -1 when the receiver refused (then and ever after). */
int stream_pace(stream *s);

/* Hands on what is left and frees the chunk. Returns 0, or -1 when the
** receiver refused at any point. */
int stream_finish(stream *s);

/* Notes that what was written changed at t (Unix seconds): the stream's
** last_modified becomes the newest such time. */
void stream_modified(stream *s, long long t);

#endif
