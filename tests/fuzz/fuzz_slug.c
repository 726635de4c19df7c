/*
** fuzz_slug: slugs from names and titles (src/slug.h).
**
** Input: one byte giving the limit, then the text (a NUL ends it, as
** titles are C strings). The slug must keep its promises: at most the
** limit in bytes, valid UTF-8, no ASCII but lower-case letters, digits and
** single '-' between words, none at either end; and making the slug of a
** slug changes nothing.
*/
#include "fuzz.h"

#include "slug.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t max = data[0];
  char *text = fuzz_strndup(data + 1, size - 1);
  buf out = {0};
  buf_puts(&out, "x"); /* slug_make appends: what was there stays */
  slug_make(&out, text, max);
  const char *s = buf_str(&out) + 1;
  size_t n = out.len - 1;
  FUZZ_CHECK(out.data[0] == 'x');
  FUZZ_CHECK(n <= max);
  FUZZ_CHECK(utf8_valid(s, n));
  if (n) FUZZ_CHECK(s[0] != '-' && s[n - 1] != '-');
  FUZZ_CHECK(strstr(s, "--") == NULL);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  }
  buf again = {0};
  slug_make(&again, s, max);
  FUZZ_CHECK(again.len == n && memcmp(buf_str(&again), s, n) == 0);
  buf_free(&again);
  buf_free(&out);
  free(text);
  return 0;
}
