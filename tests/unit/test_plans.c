/*
** Unit tests: at the size of a real archive, every reader's page and API
** answer uses its indexes. A generated archive of 10,000 articles (with a
** thread of 12,000 comments on one of them) is answered in-process, each
** query plan is checked for a scan of a whole table, and each answer's
** work, counted in SQLite's virtual machine steps (a count, not a time:
** the same on any machine), must stay within a budget that does not grow
** with the archive. A query that reads a list from the wrong index, or
** counts what it could look up, takes tens of thousands of steps here.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit.h"

#include "app.h"
#include "archive.h"
#include "lifecycle.h"
#include "purge_queue.h"
#include "store.h"
#include "store_newsroom.h"

enum { ARTICLES = 10000, SAMPLES = 12 };

typedef struct fixture {
  db *d;
  app *a;
  buf plans;
  char path[256];
  char slugs[SAMPLES][200];
  long ids[SAMPLES];
  long hot;             /* the article with the most comments */
  long hot_threads;     /* its approved top-level comments */
  char section[64];     /* the section with the most articles */
  char tag[64];
  char author[64];
  long section_pages;   /* the section's last page, ten a page */
  long author_pages;    /* the author's last page, ten a page */
  long tag_pages;       /* the tag's last page in the API, twenty a page */
} fixture;

/* Reads one text value of sql into out. */
static void one_text(db *d, const char *sql, char *out, size_t n) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(d->h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* Picks the articles, lists and thread the budgets are checked on. */
static void pick_targets(fixture *f) {
  sqlite3_stmt *st;
  char sql[512];
  sqlite3_prepare_v2(f->d->h,
                     "SELECT id, slug FROM articles WHERE live_at <= unixepoch()"
                     " ORDER BY (id * 7919) % 10007 LIMIT ?1", -1, &st, NULL);
  sqlite3_bind_int(st, 1, SAMPLES);
  for (int i = 0; i < SAMPLES; i++) {
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    f->ids[i] = (long)sqlite3_column_int64(st, 0);
    snprintf(f->slugs[i], sizeof f->slugs[i], "%s", (const char *)sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
  char hot[32];
  one_text(f->d, "SELECT id FROM articles ORDER BY comment_count DESC LIMIT 1", hot, sizeof hot);
  f->hot = atol(hot);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM comments WHERE article_id = %ld"
           " AND parent_id IS NULL AND status = 'approved'", f->hot);
  one_text(f->d, sql, hot, sizeof hot);
  f->hot_threads = atol(hot);
  one_text(f->d, "SELECT c.slug FROM categories c JOIN article_counts k ON k.scope = 'category'"
                 " AND k.id = c.id ORDER BY k.n DESC LIMIT 1", f->section, sizeof f->section);
  one_text(f->d, "SELECT t.slug FROM tags t JOIN article_counts k ON k.scope = 'tag'"
                 " AND k.id = t.id ORDER BY k.n DESC LIMIT 1", f->tag, sizeof f->tag);
  one_text(f->d, "SELECT u.username FROM users u JOIN article_counts k ON k.scope = 'author'"
                 " AND k.id = u.id ORDER BY k.n DESC LIMIT 1", f->author, sizeof f->author);
  /* The last full page of each, of its visible articles. */
  char n[32];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM articles a JOIN categories c"
           " ON c.id = a.category_id WHERE c.slug = '%s' AND a.live_at <= unixepoch()", f->section);
  one_text(f->d, sql, n, sizeof n);
  f->section_pages = atol(n) / 10;
  snprintf(sql, sizeof sql, "SELECT count(*) FROM article_authors x JOIN users u"
           " ON u.id = x.user_id WHERE u.username = '%s' AND x.live_at <= unixepoch()", f->author);
  one_text(f->d, sql, n, sizeof n);
  f->author_pages = atol(n) / 10;
  snprintf(sql, sizeof sql, "SELECT count(*) FROM article_tags x JOIN tags t"
           " ON t.id = x.tag_id WHERE t.slug = '%s' AND x.live_at <= unixepoch()", f->tag);
  one_text(f->d, sql, n, sizeof n);
  f->tag_pages = atol(n) / 20;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  *state = f; /* the teardown frees what a failed setup leaves */
  char err[512];
  if (!(f->d = unit_db(f->path, sizeof f->path, "plans"))) return -1;
  archive_spec spec;
  archive_default(&spec, ARTICLES, time(NULL));
  spec.comments = 3 * ARTICLES;
  spec.votes = 5 * ARTICLES;
  spec.hot_comments = 12000;
  if (archive_generate(f->d, &spec, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  f->a = unit_app(f->d);
  if (!f->a) return -1;
  pick_targets(f);
  f->d->plan_log = &f->plans;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  if (!f) return 0;
  app_free(f->a);
  db_close(f->d);
  buf_free(&f->plans);
  unit_db_remove(f->path);
  free(f);
  return 0;
}


/* Answers GET uri in-process; returns the status, sets *steps to the
** virtual machine steps it took and copies the body to body (may be
** NULL). */
static int get_body(fixture *f, const char *uri, long long *steps, buf *body) {
  char u[1100];
  snprintf(u, sizeof u, "REQUEST_URI=%s", uri);
  char *env[] = {"REQUEST_METHOD=GET", u, NULL};
  ctx c;
  memset(&c, 0, sizeof c);
  c.app = f->a;
  c.db = f->d;
  c.now = time(NULL);
  db_vm_steps(f->d);
  answer a = lifecycle_answer(&c, env, unit_no_body, NULL);
  *steps = db_vm_steps(f->d);
  int st = a.res->status;
  if (body) buf_append(body, buf_str(&a.res->body), a.res->body.len);
  lifecycle_free(&c);
  return st;
}

static int get(fixture *f, const char *uri, long long *steps) {
  return get_body(f, uri, steps, NULL);
}

/* Checks that uri answers 200 within budget steps with no full scan. */
static void within(fixture *f, const char *uri, long long budget) {
  long long steps = 0;
  int status = get(f, uri, &steps);
  if (getenv("GAZETTE_PLAN_PRINT")) printf("%8lld %8lld  %s\n", steps, budget, uri);
  if (status != 200 || steps > budget || f->plans.len)
    fprintf(stderr, "%s: status %d, %lld steps (budget %lld)\n%s", uri, status, steps, budget,
            buf_str(&f->plans));
  assert_int_equal(status, 200);
  assert_true(steps <= budget);
  assert_int_equal(f->plans.len, 0);
}

static void reader_pages_stay_within_budget(void **state) {
  fixture *f = *state;
  char uri[512];
  within(f, "/", 4000);
  within(f, "/?page=50", 6000);
  for (int i = 0; i < SAMPLES; i++) {
    snprintf(uri, sizeof uri, "/articles/%s", f->slugs[i]);
    within(f, uri, 12000);
  }
  snprintf(uri, sizeof uri, "/category/%s?page=50", f->section);
  within(f, uri, 6000);
  /* Far down a list: found by its month (sql/032), read back from the
  ** month's end, where skipping 9,000 entries took some 40,000 steps. */
  within(f, "/?page=900", 4000);
  snprintf(uri, sizeof uri, "/category/%s?page=%ld", f->section, f->section_pages);
  within(f, uri, 4000);
  snprintf(uri, sizeof uri, "/author/%s?page=%ld", f->author, f->author_pages);
  within(f, uri, 4000);
  snprintf(uri, sizeof uri, "/tag/%s?page=5", f->tag);
  within(f, uri, 4000);
  snprintf(uri, sizeof uri, "/author/%s?page=20", f->author);
  within(f, uri, 4000);
  within(f, "/search?q=council", 12000);
  within(f, "/search?q=council+harbour&page=3", 12000);
  within(f, "/feed.xml", 4000);
  snprintf(uri, sizeof uri, "/category/%s/feed.xml", f->section);
  within(f, uri, 4000);
  within(f, "/sitemap.xml", 4000); /* a row a month, kept totals of tags and authors */
}

static void api_answers_stay_within_budget(void **state) {
  fixture *f = *state;
  char uri[512];
  within(f, "/api/v1/articles", 6000);
  within(f, "/api/v1/articles?page=40", 800 * 5 + 4000); /* skips 800 index entries */
  within(f, "/api/v1/articles?page=450", 4000); /* by its month, as /?page=900 */
  snprintf(uri, sizeof uri, "/api/v1/articles?tag=%s&page=%ld", f->tag, f->tag_pages);
  within(f, uri, 4000);
  snprintf(uri, sizeof uri, "/api/v1/articles?category=%s&page=10", f->section);
  within(f, uri, 8000);
  /* two filters: counted to 1,000 past the page, some 35 steps each */
  snprintf(uri, sizeof uri, "/api/v1/articles?tag=%s&lang=en", f->tag);
  within(f, uri, 50000);
  within(f, "/api/v1/articles?q=council", 20000); /* ranks the newest 200 matches */
  within(f, "/api/v1/articles?lang=ar&page=10", 8000);
  for (int i = 0; i < SAMPLES; i++) {
    snprintf(uri, sizeof uri, "/api/v1/articles/%ld", f->ids[i]);
    within(f, uri, 4000);
    snprintf(uri, sizeof uri, "/api/v1/articles/by-slug/%s", f->slugs[i]);
    within(f, uri, 4000);
  }
  snprintf(uri, sizeof uri, "/api/v1/articles/%ld/comments?page=20", f->hot);
  within(f, uri, 12000);
  /* The newest comments of the most discussed article: read from the end. */
  char count[32];
  snprintf(uri, sizeof uri, "SELECT comment_count FROM articles WHERE id = %ld", f->hot);
  one_text(f->d, uri, count, sizeof count);
  assert_true(atol(count) > 2000);
  snprintf(uri, sizeof uri, "/api/v1/articles/%ld/comments?per_page=50&page=%ld", f->hot,
           (atol(count) + 49) / 50);
  within(f, uri, 4000);
  /* The middle of that list: from the start of the hour holding the
  ** page's first comment (sql/035), where skipping 5,600 comments took
  ** some 23,000 steps. */
  snprintf(uri, sizeof uri, "/api/v1/articles/%ld/comments?per_page=50&page=%ld", f->hot,
           atol(count) / 100);
  within(f, uri, 8000);
  within(f, "/api/v1/categories", 8000);
  within(f, "/api/v1/tags?page=3", 4000); /* a kept total, a seek a tag */
  within(f, "/api/v1/authors", 2000); /* accounts walked by name (sql/034) */
}

static void a_list_with_two_filters_says_its_total_is_a_lower_bound(void **state) {
  fixture *f = *state;
  char uri[512];
  long long steps;
  buf body = {0};
  snprintf(uri, sizeof uri, "/api/v1/articles?tag=%s&lang=en", f->tag);
  assert_int_equal(get_body(f, uri, &steps, &body), 200);
  assert_non_null(strstr(buf_str(&body), "\"total\":1020,"));
  assert_non_null(strstr(buf_str(&body), "\"total_exact\":false"));
  buf_reset(&body);
  snprintf(uri, sizeof uri, "/api/v1/articles?tag=%s", f->tag);
  assert_int_equal(get_body(f, uri, &steps, &body), 200);
  assert_null(strstr(buf_str(&body), "total_exact"));
  buf_free(&body);
}

/* sitemap_months: adds each month's count to *total. */
static int month_add(void *ud, const sitemap_month *m) {
  *(long *)ud += m->count;
  return 0;
}

/* Returns the visible articles the sitemap index counts, less the number
** of visible articles. */
static long months_off(fixture *f) {
  long total = 0;
  char n[32];
  assert_int_equal(sitemap_months(f->d, time(NULL), month_add, &total), STORE_OK);
  one_text(f->d, "SELECT count(*) FROM articles WHERE live_at <= unixepoch()", n, sizeof n);
  return total - atol(n);
}

static void every_list_keeps_its_size_as_articles_come_and_go(void **state) {
  fixture *f = *state;
  assert_int_equal(months_off(f), 0);
  /* Taken down, moved to another month, scheduled, deleted: still right. */
  sqlite3_exec(f->d->h,
               "UPDATE articles SET status = 'draft' WHERE id = (SELECT min(id) FROM articles"
               "  WHERE live_at <= unixepoch());"
               "UPDATE articles SET published_at = published_at - 86400 * 40 WHERE id ="
               " (SELECT max(id) FROM articles WHERE live_at <= unixepoch());"
               "UPDATE articles SET published_at = unixepoch() + 86400 * 3 WHERE id ="
               " (SELECT max(id) - 1 FROM articles);"
               "DELETE FROM articles WHERE id = (SELECT max(id) - 2 FROM articles);",
               NULL, NULL, NULL);
  assert_int_equal(months_off(f), 0);
  long wrong = -1;
  assert_int_equal(list_check_counts(f->d, stderr, &wrong), STORE_OK);
  assert_int_equal(wrong, 0);
}

static void the_most_discussed_article_stays_within_budget(void **state) {
  fixture *f = *state;
  char uri[512], slug[200];
  snprintf(uri, sizeof uri, "SELECT slug FROM articles WHERE id = %ld", f->hot);
  one_text(f->d, uri, slug, sizeof slug);
  snprintf(uri, sizeof uri, "/articles/%s", slug);
  within(f, uri, 12000);
  snprintf(uri, sizeof uri, "/articles/%s?cpage=20", slug);
  within(f, uri, 20000); /* skips 950 threads */
  /* Thousands of threads down: from the hour holding the page's first
  ** thread (sql/035), where skipping 7,900 threads took some 37,000. */
  snprintf(uri, sizeof uri, "/articles/%s?cpage=%ld", slug, f->hot_threads / 50);
  within(f, uri, 20000);
}

/* Runs sql (statements that return nothing) on the archive. */
static void run_sql(fixture *f, const char *sql) {
  assert_int_equal(sqlite3_exec(f->d->h, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* Starts measuring work done on the archive: its steps and query plans. */
static void measure_start(fixture *f) {
  buf_reset(&f->plans);
  db_vm_steps(f->d);
}

/* Checks that work measured at steps (and the plans of its queries) stayed
** within budget with no full scan; what names it. */
static void within_steps(fixture *f, long long steps, long long budget, const char *what) {
  if (getenv("GAZETTE_PLAN_PRINT")) printf("%8lld %8lld  %s\n", steps, budget, what);
  if (f->plans.len) fprintf(stderr, "full scans:\n%s", buf_str(&f->plans));
  assert_true(steps <= budget);
  assert_int_equal(f->plans.len, 0);
}

/* A reader posting under the address of a frequent commenter (here 500
** approved comments), with another name: the check for an approved
** comment under that name and address is one seek, not a walk over the
** commenter's comments. */
static void a_comment_is_written_within_budget(void **state) {
  fixture *f = *state;
  run_sql(f, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
             " WHERE i < 500) INSERT INTO comments (article_id, author_name,"
             " author_email, body, status, created_at)"
             " SELECT (SELECT min(id) FROM articles), 'Frequent Reader',"
             " 'frequent@example.org', 'Comment ' || i, 'approved', unixepoch() FROM n");
  comment_rules rules = {.hold_all = 0, .flood_seconds = 0, .flood_hourly = 1000, .max_depth = 5};
  comment_input in = {.name = "Someone Else", .email = "frequent@example.org",
                      .body = "A first word here."};
  cJSON *out = NULL;
  long retry = 0;
  measure_start(f);
  assert_int_equal(comment_insert(f->d, NULL, time(NULL), &rules, f->ids[0], &in, &out, &retry),
                   STORE_OK);
  long long steps = db_vm_steps(f->d);
  cJSON_Delete(out);
  within_steps(f, steps, 600, "a comment");
  char status[32];
  one_text(f->d, "SELECT status FROM comments ORDER BY id DESC LIMIT 1", status, sizeof status);
  assert_string_equal(status, "pending");
}

/* The purger's pass over the change log, which runs after every write:
** a comment's change read and queued, and the scheduled publications whose
** time came in the last minute noted with their tags, from those articles
** alone (every article's tags were read at each pass). */
static void the_purgers_pass_stays_within_budget(void **state) {
  fixture *f = *state;
  /* An article whose time came half a minute ago, with a tag. */
  run_sql(f, "UPDATE articles SET status = 'scheduled', published_at = unixepoch() - 30"
             " WHERE id = (SELECT article_id FROM article_tags ORDER BY article_id DESC LIMIT 1);"
             "UPDATE purge_cursor SET seq = (SELECT max(seq) FROM changes),"
             " published_to = unixepoch() - 60;"
             "INSERT INTO changes (tag, at) VALUES ('article-1', unixepoch())");
  static const char *const targets[] = {"nginx"};
  purge_plan plan = {.targets = targets, .ntargets = 1, .now_ms = (long long)time(NULL) * 1000,
                     .soft_delay_ms = 10000, .repeat_ms = 1500, .max_changes = 1000};
  long long cursor = 0;
  int more = 0;
  measure_start(f);
  assert_int_equal(purge_enqueue(f->d, &plan, &cursor, &more), STORE_OK);
  within_steps(f, db_vm_steps(f->d), 5000, "the purger's pass");
  assert_false(more);
  char tag[64];
  one_text(f->d,
           "SELECT 'tag-' || tag_id FROM article_tags ORDER BY article_id DESC, tag_id LIMIT 1",
           tag, sizeof tag);
  char sql[160];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM purges WHERE tag = '%s' AND round = 0 AND state = 'pending'", tag);
  char n[16];
  one_text(f->d, sql, n, sizeof n);
  assert_string_equal(n, "1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reader_pages_stay_within_budget),
      cmocka_unit_test(api_answers_stay_within_budget),
      cmocka_unit_test(the_most_discussed_article_stays_within_budget),
      cmocka_unit_test(a_list_with_two_filters_says_its_total_is_a_lower_bound),
      cmocka_unit_test(every_list_keeps_its_size_as_articles_come_and_go),
      cmocka_unit_test(a_comment_is_written_within_budget),
      cmocka_unit_test(the_purgers_pass_stays_within_budget),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
