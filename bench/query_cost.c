/*
** query_cost.c: what one request costs the server, without nginx or the
** network: each path is answered in-process (through the same lifecycle
** as a served request, with no page cache) several times, and the
** average time and SQLite's virtual machine steps per answer are printed.
**
**   query-cost --db PATH [--root DIR] [--times N] [--statements] PATH...
**
** --root is the repository (for www/templates and www/i18n; default ".").
** A path may hold {id} or {slug}: each answer then asks for another
** article, drawn at random among the visible ones (the cost of a page no
** cache helps). --statements lists, above each path's line, the
** statements its answers ran and their steps per answer.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "lifecycle.h"

/* Reads no body. */
static int no_body(void *ud, char *dst, int n) {
  (void)ud, (void)dst, (void)n;
  return 0;
}

/* Reads the ids and slugs of up to max visible articles; sets *n. */
static void visible_articles(db *d, long *ids, char **slugs, long max, long *n) {
  sqlite3_stmt *st;
  *n = 0;
  if (sqlite3_prepare_v2(d->h,
                         "SELECT id, slug FROM articles WHERE status = 'published'"
                         " AND published_at <= unixepoch() ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK)
    return;
  while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
    ids[*n] = sqlite3_column_int64(st, 0);
    slugs[(*n)++] = strdup((const char *)sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
}

/* Answers path once; returns the status. */
static int answer_once(app *a, db *d, const char *path) {
  char uri[2200];
  snprintf(uri, sizeof uri, "REQUEST_URI=%.2100s", path);
  char *env[] = {"REQUEST_METHOD=GET", uri, "REMOTE_ADDR=127.0.0.1", NULL};
  ctx c;
  memset(&c, 0, sizeof c);
  c.app = a;
  c.db = d;
  c.now = time(NULL);
  answer ans = lifecycle_answer(&c, env, no_body, NULL);
  int st = ans.res->status;
  lifecycle_free(&c);
  return st;
}

/* Writes into out the path with {id} or {slug} replaced by the article's. */
static void fill(const char *path, long id, const char *slug, char *out, size_t n) {
  const char *p = strstr(path, "{id}"), *q = strstr(path, "{slug}");
  if (p) snprintf(out, n, "%.*s%ld%s", (int)(p - path), path, id, p + 4);
  else if (q) snprintf(out, n, "%.*s%s%s", (int)(q - path), path, slug, q + 6);
  else snprintf(out, n, "%s", path);
}

/* Prints each statement that ran since the counters were last reset
** (by db_vm_steps), with its virtual machine steps per request. */
static void statement_steps(db *d, int times) {
  for (sqlite3_stmt *st = sqlite3_next_stmt(d->h, NULL); st; st = sqlite3_next_stmt(d->h, st)) {
    int n = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
    if (n) printf("    %10d  %.110s\n", n / times, sqlite3_sql(st));
  }
}

int main(int argc, char **argv) {
  const char *dbpath = NULL, *root = ".";
  int times = 20, first = argc, statements = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--db") && i + 1 < argc) dbpath = argv[++i];
    else if (!strcmp(argv[i], "--root") && i + 1 < argc) root = argv[++i];
    else if (!strcmp(argv[i], "--times") && i + 1 < argc) times = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--statements")) statements = 1;
    else { first = i; break; }
  }
  if (!dbpath || first == argc || times < 1 || sodium_init() < 0) {
    fprintf(stderr, "usage: query-cost --db PATH [--root DIR] [--times N] [--statements] PATH...\n");
    return 2;
  }
  char err[512], tpl[1024], langs[1024];
  db *d = db_open(dbpath, 0, err, sizeof err);
  snprintf(tpl, sizeof tpl, "%s/www/templates", root);
  snprintf(langs, sizeof langs, "%s/www/i18n", root);
  app *a = d ? app_load(d, tpl, langs, err, sizeof err) : NULL;
  if (!a) {
    fprintf(stderr, "query-cost: %s\n", err);
    return 1;
  }
  enum { MAX_IDS = 200000 };
  long *ids = malloc(MAX_IDS * sizeof *ids), nids;
  char **slugs = malloc(MAX_IDS * sizeof *slugs);
  visible_articles(d, ids, slugs, MAX_IDS, &nids);
  srand(1);
  printf("%-60s %6s %10s %12s\n", "path", "status", "ms", "vm_steps");
  for (int p = first; p < argc; p++) {
    char path[2100];
    int status = 0;
    db_vm_steps(d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < times; k++) {
      long k2 = nids ? rand() % nids : 0;
      fill(argv[p], nids ? ids[k2] : 1, nids ? slugs[k2] : "", path, sizeof path);
      status = answer_once(a, d, path);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
                times;
    if (statements) statement_steps(d, times);
    printf("%-60s %6d %10.3f %12lld\n", argv[p], status, ms, db_vm_steps(d) / times);
  }
  for (long i = 0; i < nids; i++) free(slugs[i]);
  free(slugs);
  free(ids);
  app_free(a);
  db_close(d);
  return 0;
}
