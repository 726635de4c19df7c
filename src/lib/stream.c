/*
** stream.c: a body handed on in chunks (see stream.h).
*/
#include "stream.h"

#include <string.h>

void stream_init(stream *s, stream_emit_fn emit, void *ud) {
  memset(s, 0, sizeof *s);
  s->emit = emit;
  s->ud = ud;
}

/* Hands the whole chunk on and empties it. Returns 0 or -1. */
static int stream_flush(stream *s) {
  if (s->failed) return -1;
  if (s->chunk.len == 0) return 0;
  if (s->emit(s->ud, buf_str(&s->chunk), s->chunk.len) != 0) {
    s->failed = 1;
    return -1;
  }
  s->sent += s->chunk.len;
  buf_reset(&s->chunk);
  return 0;
}

int stream_pace(stream *s) {
  if (s->failed) return -1;
  return s->chunk.len >= STREAM_CHUNK ? stream_flush(s) : 0;
}

int stream_finish(stream *s) {
  int rc = stream_flush(s);
  buf_free(&s->chunk);
  return rc;
}

void stream_modified(stream *s, long long t) {
  if (t > s->last_modified) s->last_modified = t;
}
