/*
** fuzz_mustache: the Mustache renderer (src/mustache.h).
**
** Input: pieces separated by NUL bytes: the template, a JSON data document
** (read by cJSON; when it does not parse the template renders against no
** data), and the partials "a" and "b" (any other name has none). The
** render must end, without a crash or a leak, with 0 and no message or -1
** and a message, and its output must stay within the renderer's bound
** however the template multiplies (sections nested over lists, partials
** that include themselves).
*/
#include "fuzz.h"

#include "mustache.h"


typedef struct partials {
  const char *a, *b;
} partials;

/* Returns the partial called name: "a" or "b", else none. */
static const char *partial(void *ud, const char *name) {
  const partials *p = ud;
  if (strcmp(name, "a") == 0) return p->a;
  if (strcmp(name, "b") == 0) return p->b;
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t whole = size;
  const uint8_t *piece[4] = {(const uint8_t *)"", NULL, NULL, NULL};
  size_t len[4] = {0};
  for (int i = 0; i < 4 && fuzz_next(&data, &size, 0, &piece[i], &len[i]); i++) {
  }
  char *tpl = fuzz_strndup(piece[0], len[0]);
  cJSON *doc = piece[1] ? cJSON_ParseWithLength((const char *)piece[1], len[1]) : NULL;
  partials p = {piece[2] ? fuzz_strndup(piece[2], len[2]) : NULL,
                piece[3] ? fuzz_strndup(piece[3], len[3]) : NULL};
  buf out = {0};
  char err[256];
  int rc = mustache_render(tpl, doc, partial, &p, &out, err, sizeof err);
  FUZZ_CHECK(rc == 0 || rc == -1);
  FUZZ_CHECK(rc == 0 ? err[0] == 0 : err[0] != 0);
  /* The renderer stops once past MUSTACHE_MAX_OUTPUT; the one token it was
  ** writing then may add a value (escaped: six bytes for one at most) or a
  ** text whose every line carries every indentation, all from the input. */
  FUZZ_CHECK(out.len <= MUSTACHE_MAX_OUTPUT + 8 * (size_t)whole * whole + 64);
  buf_free(&out);
  free((char *)p.a);
  free((char *)p.b);
  cJSON_Delete(doc);
  free(tpl);
  return 0;
}
