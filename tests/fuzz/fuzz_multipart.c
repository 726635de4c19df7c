/*
** Fuzz target: the multipart/form-data parser.
**
** The input is: one byte choosing the chunk size, the request's Content-Type
** value up to the first LF, then the body. The body is fed in chunks of that
** size. Whatever the input, the parser must not crash, must leave no file
** behind after multipart_close, and on success must report each file's size
** as the bytes it wrote.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "multipart.h"

/* The folder the parser writes into, made once per process. */
static const char *fuzz_dir(void) {
  static char dir[256];
  if (!dir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/gz-fuzz-mp-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
  }
  return dir;
}

/* Aborts when folder d holds anything. */
static void fuzz_check_empty(const char *d) {
  DIR *dir = opendir(d);
  if (!dir) abort();
  struct dirent *e;
  while ((e = readdir(dir)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) abort();
  closedir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t chunk = (size_t)data[0] + 1;
  data++;
  size--;
  const uint8_t *lf = memchr(data, '\n', size < 200 ? size : 200);
  if (!lf) return 0;
  char ct[201];
  memcpy(ct, data, (size_t)(lf - data));
  ct[lf - data] = 0;
  const uint8_t *body = lf + 1;
  size_t len = size - (size_t)(lf - data) - 1;

  const char *dir = fuzz_dir();
  multipart_limits lim = {.file_bytes = 4096, .text_bytes = 1024, .parts = 8, .header_bytes = 512};
  multipart *m;
  if (multipart_open(&m, ct, dir, &lim, NULL, 0) != 0) return 0;
  int r = 0;
  for (size_t off = 0; off < len && r == 0; off += chunk)
    r = multipart_feed(m, body + off, len - off < chunk ? len - off : chunk);
  if (r == 0) r = multipart_finish(m);
  if (r == 0) {
    for (size_t i = 0; i < multipart_file_count(m); i++) {
      const multipart_file *f = multipart_file_at(m, i);
      struct stat st;
      if (stat(f->path, &st) != 0 || (uint64_t)st.st_size != f->size) abort();
      if ((st.st_mode & 0777) != 0600) abort();
    }
    for (size_t i = 0; i < multipart_field_count(m); i++) {
      const multipart_field *v = multipart_field_at(m, i);
      if (!v->name[0] || v->value[v->len] != 0) abort();
    }
  } else if (*multipart_error(m) == 0) {
    abort();
  }
  multipart_close(m);
  fuzz_check_empty(dir);
  return 0;
}
