/*
** Unit tests: the page cache drops what was built from what changed, and
** nothing else; the change log is written by the database's triggers.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit.h"

#include "db.h"
#include "pagecache.h"

enum { STALE = 10 };

typedef struct fixture {
  db *d;
  pagecache *pc;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!(f->d = unit_db(f->path, sizeof f->path, "pagecache"))) return -1;
  f->pc = pagecache_new(1 << 20, STALE);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  pagecache_free(f->pc);
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* Keeps an answer for key with tags and a body of n bytes. */
static void keep(fixture *f, const char *key, const char *tags, size_t n, time_t now) {
  response r = {.status = 200, .content_type = "text/html", .cache = CACHE_PAGE};
  buf_puts(&r.tags, tags);
  for (size_t i = 0; i < n; i++) buf_putc(&r.body, 'x');
  pagecache_put(f->pc, key, &r, now);
  response_free(&r);
}

/* Runs sql on the fixture's database. */
static void run(fixture *f, const char *sql) { assert_int_equal(db_exec(f->d, sql), 0); }

/* Returns 1 when key is in the cache at now. */
static int has(fixture *f, const char *key, time_t now) {
  return pagecache_get(f->pc, key, now) != NULL;
}

static void answers_go_with_what_they_were_built_from(void **state) {
  fixture *f = *state;
  time_t now = time(NULL);
  int site = -1;
  assert_int_equal(pagecache_sync(f->pc, f->d, now, &site), 0);
  keep(f, "/a", "site home article-1 article-2", 10, now);
  keep(f, "/b", "site article-2", 10, now);
  keep(f, "/c", "site category-3 article-4", 10, now);
  assert_true(has(f, "/a", now) && has(f, "/b", now) && has(f, "/c", now));
  run(f, "INSERT INTO changes (tag, at) VALUES ('article-1', unixepoch())");
  assert_int_equal(pagecache_sync(f->pc, f->d, now, &site), 0);
  assert_int_equal(site, 0);
  assert_false(has(f, "/a", now));
  assert_true(has(f, "/b", now));
  assert_true(has(f, "/c", now));
  /* A write that logs no change (a guard's counter, a session) drops
  ** nothing. */
  run(f, "INSERT INTO settings (key, value) VALUES ('x', 'y'); DELETE FROM changes");
  run(f, "INSERT INTO guard_counters VALUES ('vote', x'00', 0, 1, 0)");
  assert_int_equal(pagecache_sync(f->pc, f->d, now, &site), 0);
  assert_true(has(f, "/b", now) && has(f, "/c", now));
  /* The site's settings or navigation: everything, and the worker is told. */
  run(f, "INSERT INTO changes (tag, at) VALUES ('site', unixepoch())");
  assert_int_equal(pagecache_sync(f->pc, f->d, now, &site), 0);
  assert_int_equal(site, 1);
  assert_int_equal((int)pagecache_count(f->pc, NULL), 0);
}

static void figures_may_stay_a_few_seconds(void **state) {
  fixture *f = *state;
  time_t now = time(NULL);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  keep(f, "/article", "site article-7", 10, now);
  keep(f, "/other", "site article-8", 10, now);
  run(f, "INSERT INTO changes (tag, soft, at) VALUES ('article-7', 1, unixepoch())");
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  assert_true(has(f, "/article", now + STALE - 1));
  assert_false(has(f, "/article", now + STALE));
  assert_true(has(f, "/other", now + STALE));
  /* A vote moves no publication: the next one is not looked up again
  ** (under a stream of votes that was a query a request). */
  run(f, "INSERT INTO changes (tag, soft, at) VALUES ('article-8', 1, unixepoch())");
  db_vm_steps(f->d);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  long long soft = db_vm_steps(f->d);
  run(f, "INSERT INTO changes (tag, soft, at) VALUES ('article-8', 0, unixepoch())");
  db_vm_steps(f->d);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  long long hard = db_vm_steps(f->d);
  assert_true(soft < hard);
}

static void a_pruned_log_or_a_new_schema_forgets_everything(void **state) {
  fixture *f = *state;
  time_t now = time(NULL);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  keep(f, "/x", "site article-1", 10, now);
  /* Changes the cache never saw were pruned: it cannot know what to drop. */
  run(f, "INSERT INTO changes (tag, at) VALUES ('article-5', 0), ('article-6', unixepoch());"
         "DELETE FROM changes WHERE tag = 'article-5'");
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  assert_false(has(f, "/x", now));
  keep(f, "/y", "site article-1", 10, now);
  /* Another process (an upgrade, a repair by hand) changes the schema. */
  char err[256];
  db *other = db_open(f->path, 0, err, sizeof err);
  assert_non_null(other);
  assert_int_equal(db_exec(other, "CREATE TABLE scratch (a)"), 0);
  db_close(other);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  assert_false(has(f, "/y", now));
}

static void memory_is_bounded(void **state) {
  fixture *f = *state;
  time_t now = time(NULL);
  pagecache_limits(f->pc, 1000, STALE);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  char key[16];
  for (int i = 0; i < 20; i++) {
    snprintf(key, sizeof key, "/p%d", i);
    keep(f, key, "site", 200, now);
    size_t bytes;
    pagecache_count(f->pc, &bytes);
    assert_true(bytes <= 1000);
  }
  keep(f, "/big", "site", 400, now); /* over a quarter of the budget */
  assert_false(has(f, "/big", now));
}

static void scheduled_publication_ends_what_is_kept(void **state) {
  fixture *f = *state;
  time_t now = time(NULL);
  run(f, "INSERT INTO users (username, display_name, role, created_at) VALUES ('u', 'U', 'author', 0);"
         "INSERT INTO categories (slug, name) VALUES ('c', 'C')");
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  keep(f, "/home", "site home", 10, now);
  char sql[400];
  snprintf(sql, sizeof sql,
           "INSERT INTO articles (slug, title, status, category_id, author_id, published_at,"
           " created_at, updated_at) VALUES ('soon', 'Soon', 'scheduled', 1, 1, %lld, 0, 0)",
           (long long)now + 60);
  run(f, sql);
  assert_int_equal(pagecache_sync(f->pc, f->d, now, NULL), 0);
  keep(f, "/home", "site home", 10, now);
  assert_true(has(f, "/home", now + 59));
  assert_false(has(f, "/home", now + 60));
}

/* Returns the tags logged since seq, space-separated, into out. */
static const char *logged(fixture *f, long long seq, buf *out) {
  sqlite3_stmt *st;
  buf_reset(out);
  sqlite3_prepare_v2(f->d->h, "SELECT tag || ':' || soft FROM changes WHERE seq > ?1 ORDER BY seq",
                     -1, &st, NULL);
  sqlite3_bind_int64(st, 1, seq);
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (out->len) buf_putc(out, ' ');
    buf_puts(out, (const char *)sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return buf_str(out);
}

/* Returns the newest seq of the log. */
static long long newest(fixture *f) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h, "SELECT coalesce(max(seq), 0) FROM changes", -1, &st, NULL);
  sqlite3_step(st);
  long long s = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return s;
}

static void triggers_log_what_readers_see_change(void **state) {
  fixture *f = *state;
  buf b = {0};
  run(f, "INSERT INTO users (username, display_name, role, created_at) VALUES ('u', 'U', 'author', 0);"
         "INSERT INTO categories (slug, name) VALUES ('c', 'C'), ('d', 'D');"
         "INSERT INTO tags (slug, name) VALUES ('t', 'T')");
  long long s = newest(f);
  /* A draft: nobody sees it. */
  run(f, "INSERT INTO articles (slug, title, status, category_id, author_id, created_at,"
         " updated_at) VALUES ('draft', 'Draft', 'draft', 1, 1, 0, 0);"
         "INSERT INTO article_tags (article_id, tag_id) VALUES (1, 1);"
         "UPDATE articles SET title = 'Still a draft' WHERE id = 1");
  assert_string_equal(logged(f, s, &b), "");
  /* Published: the article and every list it enters. */
  run(f, "UPDATE articles SET status = 'published', published_at = 1 WHERE id = 1");
  const char *t = logged(f, s, &b);
  const char *want[] = {"article-1:0", "home:0", "feeds:0", "search:0", "taxa:0",
                        "category-1:0", "author-1:0", "tag-1:0"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    if (!strstr(t, want[i])) fail_msg("%s lacks %s", t, want[i]);
  /* A vote: figures only. */
  s = newest(f);
  run(f, "UPDATE articles SET rating_count = 1, rating_sum = 5 WHERE id = 1");
  assert_string_equal(logged(f, s, &b), "article-1:1");
  /* An approved comment shows; a held one does not. */
  s = newest(f);
  run(f, "INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)"
         " VALUES (1, 'a', 'a@b.cc', 'x', 'pending', 0)");
  assert_string_equal(logged(f, s, &b), "");
  run(f, "UPDATE comments SET status = 'approved' WHERE id = 1");
  assert_string_equal(logged(f, s, &b), "article-1:0");
  /* Its count: the article and its cards, not every list and search. */
  s = newest(f);
  run(f, "UPDATE articles SET comment_count = comment_count + 1 WHERE id = 1");
  assert_string_equal(logged(f, s, &b), "article-1:0");
  /* Moving it to another section: both sections' lists. */
  s = newest(f);
  run(f, "UPDATE articles SET category_id = 2 WHERE id = 1");
  t = logged(f, s, &b);
  assert_non_null(strstr(t, "category-1:0"));
  assert_non_null(strstr(t, "category-2:0"));
  /* A section's name shows on every page. */
  s = newest(f);
  run(f, "UPDATE categories SET name = 'Sea' WHERE id = 1");
  assert_string_equal(logged(f, s, &b), "site:0");
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(answers_go_with_what_they_were_built_from, setup, teardown),
      cmocka_unit_test_setup_teardown(figures_may_stay_a_few_seconds, setup, teardown),
      cmocka_unit_test_setup_teardown(a_pruned_log_or_a_new_schema_forgets_everything, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(memory_is_bounded, setup, teardown),
      cmocka_unit_test_setup_teardown(scheduled_publication_ends_what_is_kept, setup, teardown),
      cmocka_unit_test_setup_teardown(triggers_log_what_readers_see_change, setup, teardown),
  };
  return cmocka_run_group_tests_name("pagecache", tests, NULL, NULL);
}
