/*
** unit.h: what the unit tests share: a database of their own under /tmp,
** and the app over the repository's templates and language catalogues
** (GAZETTE_ROOT, or the current folder).
*/
#ifndef GAZETTE_UNIT_H
#define GAZETTE_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "app.h"
#include "db.h"
#include "demo.h"

/* Returns the repository's folder. */
static inline const char *unit_root(void) {
  const char *root = getenv("GAZETTE_ROOT");
  return root ? root : ".";
}

/* Opens a new, empty database at /tmp/gazette-test-NAME-PID.db (its path
** written to path) with the current schema. Returns it, or NULL after
** printing why. */
static inline db *unit_db(char *path, size_t n, const char *name) {
  char err[512];
  snprintf(path, n, "/tmp/gazette-test-%s-%d.db", name, (int)getpid());
  remove(path);
  db *d = db_open(path, 1, err, sizeof err);
  if (d && db_migrate(d, err, sizeof err) == 0) return d;
  fprintf(stderr, "%s\n", err);
  if (d) db_close(d);
  return NULL;
}

/* Removes the database at path and its write-ahead log and index. */
static inline void unit_db_remove(const char *path) {
  char side[512];
  remove(path);
  snprintf(side, sizeof side, "%s-wal", path);
  remove(side);
  snprintf(side, sizeof side, "%s-shm", path);
  remove(side);
}

/* Loads the demo site into d. Returns 0, or -1 after printing why. */
static inline int unit_demo(db *d) {
  char err[512], file[1024];
  snprintf(file, sizeof file, "%s/demo/site.json", unit_root());
  if (demo_load(d, file, err, sizeof err) == 0) return 0;
  fprintf(stderr, "%s\n", err);
  return -1;
}

/* Returns the app over d with the repository's templates and catalogues,
** or NULL after printing why. */
static inline app *unit_app(db *d) {
  char err[512], tpl[1024], langs[1024];
  snprintf(tpl, sizeof tpl, "%s/www/templates", unit_root());
  snprintf(langs, sizeof langs, "%s/www/i18n", unit_root());
  app *a = app_load(d, tpl, langs, err, sizeof err);
  if (!a) fprintf(stderr, "%s\n", err);
  return a;
}

/* A request body reader for requests that have none. */
static inline int unit_no_body(void *ud, char *dst, int n) {
  (void)ud, (void)dst, (void)n;
  return 0;
}

#endif
