/*
** fuzz_json: the strict parser of JSON request bodies (src/json_strict.h).
**
** Input: the body, any bytes, read with the limits the API uses. A refusal
** must name its kind, a reason and an offset within the input. An accepted
** body must keep the parser's promises: its strings and names are valid
** UTF-8, no object names a member twice, the nesting is within the limit;
** and it must survive a round trip: printed by cJSON and read again
** strictly, it gives the same tree (unless a number lies so close to the
** largest double that cJSON prints it out of range).
*/
#include "fuzz.h"

#include <math.h>

#include "json_strict.h"
#include "utf8.h"

#define MAX_BYTES 65536
#define MAX_DEPTH 8

/* Checks the promises of an accepted tree v at nesting depth. */
static void check_tree(const cJSON *v, int depth) {
  if (cJSON_IsString(v)) FUZZ_CHECK(utf8_valid(v->valuestring, strlen(v->valuestring)));
  if (cJSON_IsNumber(v)) FUZZ_CHECK(isfinite(v->valuedouble));
  if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) return;
  FUZZ_CHECK(depth < MAX_DEPTH);
  for (const cJSON *c = v->child; c; c = c->next) {
    if (cJSON_IsObject(v)) {
      FUZZ_CHECK(c->string && utf8_valid(c->string, strlen(c->string)));
      for (const cJSON *d = c->next; d; d = d->next) FUZZ_CHECK(strcmp(c->string, d->string) != 0);
    }
    check_tree(c, depth + 1);
  }
}

/* Returns 1 when v holds a number within 1e-15 of the largest double:
** cJSON prints those with 15 digits, rounded up past the largest double,
** so that they cannot be read back. */
static int near_max(const cJSON *v) {
  if (cJSON_IsNumber(v) && fabs(v->valuedouble) > 1.79769313486231e308) return 1;
  for (const cJSON *c = v->child; c; c = c->next)
    if (near_max(c)) return 1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* An exact copy, so that a read past the end is caught. */
  char *body = malloc(size ? size : 1);
  if (!body) abort();
  if (size) memcpy(body, data, size);
  cJSON *v = NULL;
  json_strict_error e;
  int rc = json_strict_parse(body, size, MAX_BYTES, MAX_DEPTH, &v, &e);
  FUZZ_CHECK(rc >= 0 && rc <= JSON_STRICT_DUPLICATE);
  if (rc != 0) {
    FUZZ_CHECK(v == NULL && e.kind == rc && e.reason && e.reason[0]);
    FUZZ_CHECK(e.offset <= size);
  } else {
    FUZZ_CHECK(v != NULL);
    check_tree(v, 0);
  }
  if (rc == 0 && !near_max(v)) {
    char *text = cJSON_PrintUnformatted(v);
    FUZZ_CHECK(text != NULL);
    cJSON *again = NULL;
    int rc2 = json_strict_parse(text, strlen(text), SIZE_MAX, MAX_DEPTH, &again, &e);
    if (rc2 != 0) fprintf(stderr, "printed %s: %s at %zu\n", text, e.reason, e.offset);
    FUZZ_CHECK(rc2 == 0);
    FUZZ_CHECK(cJSON_Compare(v, again, 1));
    cJSON_Delete(again);
    free(text);
  }
  cJSON_Delete(v);
  free(body);
  return 0;
}
