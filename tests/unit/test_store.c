/*
** Unit tests: the reader's pages answered in-process over the demo site,
** with every query plan checked for full table scans.
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

#include "markdown.h"
#include "store_admin_article.h"
#include "unit.h"

#include "app.h"
#include "demo.h"
#include "lifecycle.h"
#include "store_newsroom.h"

typedef struct fixture {
  db *d;
  app *a;
  buf plans;
  char path[256];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  *state = f; /* the teardown frees what a failed setup leaves */
  if (!(f->d = unit_db(f->path, sizeof f->path, "store"))) return -1;
  if (unit_demo(f->d) != 0) return -1;
  /* Every article and author gets a picture, so that the pages' queries
  ** of pictures run under the plan check too. */
  if (db_exec(f->d,
              "INSERT INTO media (id, filename, type, digest, original, width, height, bytes,"
              " alt, created_at, updated_at) VALUES (1, 'a.jpg', 'jpeg', 'd', 'd.jpeg', 800, 600,"
              " 1000, 'A picture', 0, 0);"
              "INSERT INTO media_files (media_id, format, width, height, name, bytes) VALUES"
              " (1, 'webp', 320, 240, 'x-320.webp', 10), (1, 'jpeg', 320, 240, 'x-320.jpg', 10);"
              "UPDATE articles SET image_id = 1; UPDATE users SET avatar_id = 1;") != 0)
    return -1;
  f->a = unit_app(f->d);
  if (!f->a) return -1;
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


/* Collects what the writer sends (a stream_emit_fn). */
static int take(void *ud, const char *p, size_t n) {
  buf_append(ud, p, n);
  return 0;
}

/* Answers GET uri in-process, as the server does; returns the status and
** fills body (streamed or not). */
static int get(fixture *f, const char *uri, buf *body) {
  char u[1100];
  snprintf(u, sizeof u, "REQUEST_URI=%s", uri);
  char *env[] = {"REQUEST_METHOD=GET", u, NULL};
  ctx c;
  memset(&c, 0, sizeof c);
  c.app = f->a;
  c.db = f->d;
  c.now = time(NULL);
  answer a = lifecycle_answer(&c, env, unit_no_body, NULL);
  int st = a.res->status;
  buf wire = {0};
  assert_int_equal(lifecycle_write(&c, &a, take, &wire), 0);
  const char *end = strstr(buf_str(&wire), "\r\n\r\n");
  assert_non_null(end);
  buf_reset(body);
  buf_puts(body, end + 4);
  buf_free(&wire);
  lifecycle_free(&c);
  return st;
}

/* Writes into out the address of the sitemap of the month of the newest
** visible article. */
static void newest_month(fixture *f, char *out, size_t n) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h,
                     "SELECT strftime('%Y-%m', max(live_at), 'unixepoch') FROM articles"
                     " WHERE live_at <= unixepoch()", -1, &st, NULL);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  snprintf(out, n, "/sitemaps/articles/%s.xml", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

static void pages_render_without_full_scans(void **state) {
  fixture *f = *state;
  buf body = {0};
  char month[64];
  newest_month(f, month, sizeof month);
  const char *ok[] = {"/", "/?page=2", "/category/world", "/tag/climate",
                      "/author/mreyes", "/search?q=harbour", "/feed.xml",
                      "/category/world/feed.xml", "/api/v1/articles?tag=climate",
                      "/api/v1/categories", "/api/v1/tags", "/api/v1/authors",
                      "/api/v1/media/1",
                      "/articles/port-halvards-flood-gates-and-the-long-wait",
                      "/sitemap.xml", month, "/sitemaps/categories/1.xml", "/sitemaps/tags/1.xml",
                      "/sitemaps/authors/1.xml", "/news-sitemap.xml", "/robots.txt",
                      "/page/about", "/api/v1/pages", "/api/v1/pages/contact"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(get(f, ok[i], &body), 200);
    assert_true(strstr(buf_str(&body), "</html>") || strstr(buf_str(&body), "</feed>") ||
                strstr(buf_str(&body), "</urlset>") || strstr(buf_str(&body), "</sitemapindex>") ||
                strstr(buf_str(&body), "Sitemap: ") || buf_str(&body)[0] == '{');
    /* Every page of articles shows their pictures; a static page has none. */
    if (strstr(buf_str(&body), "</html>") && strncmp(ok[i], "/page/", 6) != 0)
      assert_non_null(strstr(buf_str(&body), "<picture><source type=\"image/webp\" srcset=\"/media/x-320.webp 320w\""));
  }
  /* Unknown addresses are looked up among an old site's (legacy_paths). */
  const char *missing[] = {"/2012/01/03/an-old-post/", "/?p=1148", "/page/nope",
                           "/category/world/nowhere", "/api/v1/pages/nope"};
  for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
    assert_int_equal(get(f, missing[i], &body), 404);
  if (f->plans.len) fprintf(stderr, "full scans:\n%s", buf_str(&f->plans));
  assert_int_equal(f->plans.len, 0);
  buf_free(&body);
}

static void unknown_things_are_404(void **state) {
  fixture *f = *state;
  buf body = {0};
  assert_int_equal(get(f, "/category/nope", &body), 404);
  assert_int_equal(get(f, "/articles/nope", &body), 404);
  assert_int_equal(get(f, "/nope", &body), 404);
  assert_int_equal(get(f, "/?page=500", &body), 404);
  /* Sitemap pages that hold nothing, or are named otherwise than the
  ** index names them. */
  const char *none[] = {"/sitemaps/articles/2026-10.xml", "/sitemaps/articles/2026-11-1.xml",
                        "/sitemaps/articles/2026-11-2.xml", "/sitemaps/articles/2026-+1.xml",
                        "/sitemaps/articles/2026-11", "/sitemaps/articles/1969-12.xml",
                        "/sitemaps/articles/2026-13.xml", "/sitemaps/tags/0.xml",
                        "/sitemaps/tags/01.xml", "/sitemaps/tags/2.xml", "/sitemaps/tags/1",
                        "/sitemaps/authors/x.xml", "/sitemaps/categories/1.xml.gz"};
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
    assert_int_equal(get(f, none[i], &body), 404);
  assert_non_null(strstr(buf_str(&body), "</html>"));
  buf_free(&body);
}

static void drafts_and_scheduled_are_hidden(void **state) {
  fixture *f = *state;
  buf body = {0};
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h,
                     "SELECT slug FROM articles WHERE status = 'draft' OR "
                     "published_at > strftime('%s','now')", -1, &st, NULL);
  int hidden = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    char uri[512];
    snprintf(uri, sizeof uri, "/articles/%s", sqlite3_column_text(st, 0));
    assert_int_equal(get(f, uri, &body), 404);
    hidden++;
  }
  sqlite3_finalize(st);
  assert_true(hidden >= 2);
  buf_free(&body);
}

/* Adds a published article with the given title and body, published
** `ago` seconds ago. */
static void add_article(fixture *f, const char *slug, const char *title, const char *body,
                        long ago) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h,
                     "INSERT INTO articles (slug, title, status, category_id, author_id,"
                     " published_at, created_at, updated_at) SELECT ?1, ?2, 'published',"
                     " (SELECT min(id) FROM categories), (SELECT min(id) FROM users),"
                     " unixepoch() - ?3, unixepoch() - ?3, unixepoch() - ?3",
                     -1, &st, NULL);
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, ago);
  assert_int_equal(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  char *html = markdown_render(body, strlen(body));
  assert_non_null(html);
  sqlite3_prepare_v2(f->d->h,
                     "INSERT INTO article_bodies (article_id, body_md, body_html)"
                     " VALUES (last_insert_rowid(), ?1, ?2)",
                     -1, &st, NULL);
  sqlite3_bind_text(st, 1, body, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, html, -1, free);
  assert_int_equal(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
}

static void search_ranks_a_word_in_the_title_above_one_in_the_text(void **state) {
  fixture *f = *state;
  buf body = {0};
  add_article(f, "quillfeather-named-port-warden", "Quillfeather named port warden",
              "The new warden starts on Monday.", 86400 * 30);
  add_article(f, "harbour-notes", "Harbour notes",
              "Boats, nets and weather. A word from Ms Quillfeather about the tide.", 3600);
  add_article(f, "unrelated-note", "Unrelated note", "Nothing to see here.", 60);
  assert_int_equal(get(f, "/api/v1/articles?q=quillfeather", &body), 200);
  const char *first = strstr(buf_str(&body), "quillfeather-named-port-warden");
  const char *second = strstr(buf_str(&body), "harbour-notes");
  assert_non_null(first);
  assert_non_null(second);
  assert_true(first < second);
  assert_null(strstr(buf_str(&body), "unrelated-note"));
  assert_int_equal(get(f, "/search?q=quillfeather", &body), 200);
  first = strstr(buf_str(&body), "quillfeather-named-port-warden");
  second = strstr(buf_str(&body), "harbour-notes");
  assert_non_null(first);
  assert_non_null(second);
  assert_true(first < second);
  buf_free(&body);
}

/* A word given again (in any case) counts once, and words past the 16th
** distinct one are left out: a query of one word forty times finds what
** the word finds, among them a text that holds the word 20,000 times. */
static void search_words_are_bounded(void **state) {
  fixture *f = *state;
  buf m = {0}, q = {0}, body = {0};
  assert_int_equal(search_match("tide tide  Tide\ttides TIDE", &m), 2);
  assert_string_equal(buf_str(&m), "\"tide\" \"tides\"");
  buf_reset(&m);
  assert_int_equal(search_match("a\"b \"ab\" ab", &m), 1);
  assert_string_equal(buf_str(&m), "\"ab\"");
  for (int i = 0; i < 20; i++) buf_printf(&q, "w%d ", i);
  buf_reset(&m);
  assert_int_equal(search_match(buf_str(&q), &m), SEARCH_MAX_WORDS);
  assert_non_null(strstr(buf_str(&m), "\"w15\""));
  assert_null(strstr(buf_str(&m), "\"w16\""));
  buf_reset(&q);
  for (int i = 0; i < 20000; i++) buf_puts(&q, "tide ");
  add_article(f, "tide-everywhere", "Everywhere", buf_str(&q), 7200);
  add_article(f, "tide-once", "Once", "The tide came in.", 3600);
  buf_reset(&q);
  buf_puts(&q, "/api/v1/articles?q=tide");
  for (int i = 0; i < 39; i++) buf_puts(&q, "+tide");  /* 199 characters */
  assert_int_equal(get(f, buf_str(&q), &body), 200);
  assert_non_null(strstr(buf_str(&body), "tide-everywhere"));
  assert_non_null(strstr(buf_str(&body), "tide-once"));
  buf_free(&m);
  buf_free(&q);
  buf_free(&body);
}

/* A search reads its window of newest matches among what readers may see:
** 250 newer drafts and publications still to come that hold the word
** leave the published article that holds it found, on the page and in
** the API. */
static void search_passes_by_what_readers_cannot_see(void **state) {
  fixture *f = *state;
  buf body = {0};
  char slug[64];
  add_article(f, "lanternfish-survey", "Lanternfish survey", "Counted at dawn.", 86400);
  for (int i = 0; i < 250; i++) {
    snprintf(slug, sizeof slug, "lanternfish-unseen-%d", i);
    add_article(f, slug, "Lanternfish, not yet", "A draft about lanternfish.", 3600);
  }
  assert_int_equal(sqlite3_exec(f->d->h,
                                "UPDATE articles SET status = 'draft' WHERE slug LIKE"
                                " 'lanternfish-unseen-%' AND id % 2 = 0;"
                                "UPDATE articles SET published_at = unixepoch() + 86400 WHERE"
                                " slug LIKE 'lanternfish-unseen-%' AND id % 2 = 1",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(get(f, "/search?q=lanternfish", &body), 200);
  assert_non_null(strstr(buf_str(&body), "/lanternfish-survey"));
  assert_null(strstr(buf_str(&body), "lanternfish-unseen"));
  assert_int_equal(get(f, "/api/v1/articles?q=lanternfish", &body), 200);
  assert_non_null(strstr(buf_str(&body), "\"lanternfish-survey\""));
  assert_null(strstr(buf_str(&body), "lanternfish-unseen"));
  buf_free(&body);
}

/* A Markdown text is searched by the words readers see: a link's address
** and a heading's marks are not words of it, and the passage a result
** shows is the text as read, without marks. */
static void search_reads_the_text_readers_see(void **state) {
  fixture *f = *state;
  buf body = {0};
  article_form a = {0};
  a.category_id = 1;
  a.author_id = 1;
  buf_puts(&a.title, "Museum reopens");
  buf_puts(&a.body, "## Quartzline galleries\n\nSee [the museum](https://example.org/plughxyzzy) "
                    "and [its hall](/media/77) today.");
  buf_puts(&a.lang, "en");
  a.dir = "ltr";
  buf_puts(&a.status, "published");
  a.published_at = (long long)time(NULL) - 3600;
  assert_int_equal(admin_article_save(f->d, time(NULL), 1, &a), STORE_OK);
  article_form_free(&a);
  assert_int_equal(get(f, "/search?q=plughxyzzy", &body), 200);
  assert_null(strstr(buf_str(&body), "/articles/museum-reopens"));
  assert_int_equal(get(f, "/search?q=quartzline", &body), 200);
  assert_non_null(strstr(buf_str(&body), "/articles/museum-reopens"));
  const char *passage = strstr(buf_str(&body), "card-snippet");
  assert_non_null(passage);
  const char *end = strstr(passage, "</p>");
  assert_non_null(end);
  assert_null(memmem(passage, (size_t)(end - passage), "##", 2));
  assert_null(memmem(passage, (size_t)(end - passage), "](", 2));
  assert_non_null(memmem(passage, (size_t)(end - passage), "the museum", 10));
  buf_free(&body);
}

static void demo_loads_only_once(void **state) {
  fixture *f = *state;
  char err[256], file[1024];
  snprintf(file, sizeof file, "%s/demo/site.json", unit_root());
  assert_int_equal(demo_load(f->d, file, err, sizeof err), 1);
}

/* The tags (or authors, by ?2 = 1) with an article visible at ?1, counted
** from the articles themselves. */
static long shown_by_articles(fixture *f, time_t t, int authors) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h,
                     "SELECT CASE WHEN ?2 THEN (SELECT count(DISTINCT user_id) FROM article_authors"
                     " WHERE live_at <= ?1) ELSE (SELECT count(DISTINCT tag_id) FROM article_tags"
                     " WHERE live_at <= ?1) END", -1, &st, NULL);
  sqlite3_bind_int64(st, 1, t);
  sqlite3_bind_int(st, 2, authors);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long n = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

/* Checks that the API's list of authors at t, two to a page, names those
** with an article visible then, by name, as the articles give them. */
static void authors_agree(fixture *f, time_t t) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h,
                     "SELECT u.username FROM users u WHERE EXISTS (SELECT 1 FROM article_authors x"
                     " WHERE x.user_id = u.id AND x.live_at <= ?1) ORDER BY u.display_name, u.id",
                     -1, &st, NULL);
  sqlite3_bind_int64(st, 1, t);
  cJSON *want = cJSON_CreateArray(), *got = cJSON_CreateArray();
  while (sqlite3_step(st) == SQLITE_ROW)
    cJSON_AddItemToArray(want, cJSON_CreateString((const char *)sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  long total = 0;
  for (long page = 1; page == 1 || (page - 1) * 2 < total; page++) {
    cJSON *out = cJSON_CreateArray(), *x;
    assert_int_equal(taxon_list(f->d, t, TAXON_AUTHORS, page, 2, out, &total), STORE_OK);
    cJSON_ArrayForEach(x, out) {
      cJSON_AddItemToArray(got, cJSON_CreateString(cJSON_GetObjectItem(x, "username")->valuestring));
    }
    cJSON_Delete(out);
  }
  char *a = cJSON_PrintUnformatted(want), *b = cJSON_PrintUnformatted(got);
  assert_string_equal(b, a);
  free(a);
  free(b);
  cJSON_Delete(want);
  cJSON_Delete(got);
}

/* Checks that the API's and the sitemap's counts of tags and authors at t
** are those the articles give, that its list of authors is, and that every
** kept list size is right. */
static void counts_agree(fixture *f, time_t t, long tags, long authors) {
  long n = -1, m = -1;
  long long newest;
  authors_agree(f, t);
  assert_int_equal(taxon_count(f->d, t, TAXON_TAGS, &n), STORE_OK);
  assert_int_equal(n, tags);
  assert_int_equal(shown_by_articles(f, t, 0), tags);
  assert_int_equal(sitemap_taxa_count(f->d, t, TAXON_TAGS, &m, &newest), STORE_OK);
  assert_int_equal(m, tags);
  assert_int_equal(taxon_count(f->d, t, TAXON_AUTHORS, &n), STORE_OK);
  assert_int_equal(n, authors);
  assert_int_equal(shown_by_articles(f, t, 1), authors);
  long wrong = -1;
  assert_int_equal(list_check_counts(f->d, stderr, &wrong), STORE_OK);
  assert_int_equal(wrong, 0);
}

/* A tag and an author whose only article is scheduled are counted (API
** totals, sitemap index) from the article's time on, and again only then
** once their published article is withdrawn. */
static void a_tag_is_counted_once_its_first_article_is_out(void **state) {
  fixture *f = *state;
  time_t now = time(NULL), later = now + 3600;
  long tags = shown_by_articles(f, now, 0), authors = shown_by_articles(f, now, 1);
  counts_agree(f, now, tags, authors);
  char sql[1024];
  snprintf(sql, sizeof sql,
           "INSERT INTO users (username, display_name, role, created_at)"
           " VALUES ('later', 'Later Writer', 'author', 0);"
           "INSERT INTO tags (slug, name) VALUES ('later', 'Later');"
           "INSERT INTO articles (slug, title, status, category_id, author_id, published_at,"
           " created_at, updated_at) SELECT 'later-%d', 'Later', 'scheduled', min(id),"
           " (SELECT id FROM users WHERE username = 'later'), %lld, 0, 0 FROM categories;"
           "INSERT INTO article_tags (article_id, tag_id) SELECT max(id),"
           " (SELECT id FROM tags WHERE slug = 'later') FROM articles;",
           1, (long long)later);
  assert_int_equal(db_exec(f->d, sql), 0);
  counts_agree(f, now, tags, authors);
  counts_agree(f, later, tags + 1, authors + 1);
  /* An earlier article of the tag's, published, then withdrawn. */
  snprintf(sql, sizeof sql,
           "INSERT INTO articles (slug, title, status, category_id, author_id, published_at,"
           " created_at, updated_at) SELECT 'later-%d', 'Earlier', 'published', min(id),"
           " (SELECT id FROM users WHERE username = 'later'), %lld, 0, 0 FROM categories;"
           "INSERT INTO article_tags (article_id, tag_id) SELECT max(id),"
           " (SELECT id FROM tags WHERE slug = 'later') FROM articles;",
           2, (long long)(now - 60));
  assert_int_equal(db_exec(f->d, sql), 0);
  counts_agree(f, now, tags + 1, authors + 1);
  assert_int_equal(db_exec(f->d, "UPDATE articles SET status = 'draft' WHERE slug = 'later-2'"), 0);
  counts_agree(f, now, tags, authors);
  counts_agree(f, later, tags + 1, authors + 1);
  assert_int_equal(db_exec(f->d, "DELETE FROM articles WHERE slug LIKE 'later-%';"
                                 "DELETE FROM tags WHERE slug = 'later';"
                                 "DELETE FROM users WHERE username = 'later'"), 0);
  counts_agree(f, later, tags, authors);
}

/* The API's flat pages of an article's comments, read from the oldest end
** or (past the middle) from the newest, hold every approved comment once,
** oldest first, ties in time by id, whatever the page size. */
static void comment_pages_from_either_end_agree(void **state) {
  fixture *f = *state;
  assert_int_equal(db_exec(f->d,
      "INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)"
      " SELECT a.id, 'Reader ' || v.value, 'r@example.org', 'Same second', 'approved', 1700000000"
      " FROM (SELECT min(id) AS id FROM articles) a, (WITH RECURSIVE s (value) AS"
      " (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 7) SELECT value FROM s) v;"
      "INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)"
      " SELECT a.id, 'Held', 'h@example.org', 'Held', 'pending', 1700000001"
      " FROM (SELECT min(id) AS id FROM articles) a;"
      "UPDATE articles SET comment_count = comment_count + 7 WHERE id = (SELECT min(id) FROM articles)"),
                   0);
  sqlite3_stmt *st;
  sqlite3_prepare_v2(f->d->h,
                     "SELECT id FROM comments WHERE article_id = (SELECT min(id) FROM articles)"
                     " AND status = 'approved' ORDER BY created_at, id", -1, &st, NULL);
  long want[256];
  int n = 0;
  while (sqlite3_step(st) == SQLITE_ROW && n < 256) want[n++] = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  assert_true(n >= 7);
  long long article = 0;
  assert_int_equal(db_number(f->d, "SELECT min(id) FROM articles WHERE ?1", 1, &article), 0);
  static const long sizes[] = {1, 2, 3, 4, 50};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    int seen = 0;
    for (long page = 1; page <= n / sizes[i] + 2; page++) {
      cJSON *out = cJSON_CreateArray();
      long total = -1;
      assert_int_equal(comment_page(f->d, (long)article, page, sizes[i], out, &total), STORE_OK);
      assert_int_equal(total, n);
      const cJSON *c;
      cJSON_ArrayForEach(c, out) {
        assert_true(seen < n);
        assert_int_equal((long)cJSON_GetObjectItem(c, "id")->valuedouble, want[seen]);
        seen++;
      }
      cJSON_Delete(out);
    }
    assert_int_equal(seen, n);
  }
  assert_int_equal(db_exec(f->d, "DELETE FROM comments WHERE author_email IN"
                                 " ('r@example.org', 'h@example.org');"
                                 "UPDATE articles SET comment_count = comment_count - 7"
                                 " WHERE id = (SELECT min(id) FROM articles)"), 0);
}

/* The count of visible articles and the newest visible change follow a
** write on this connection, a write on another one, and the time of a
** scheduled publication, though each is read once and kept until then. */
static void the_kept_schedule_follows_writes_and_time(void **state) {
  fixture *f = *state;
  time_t now = time(NULL);
  long n0 = -1, n = -1;
  long long last = -1;
  assert_int_equal(article_count_visible(f->d, now, &n0), STORE_OK);
  assert_int_equal(article_count_visible(f->d, now, &n), STORE_OK);
  assert_int_equal(n, n0);
  char sql[512];
  snprintf(sql, sizeof sql,
           "INSERT INTO articles (slug, title, status, category_id, author_id, published_at,"
           " created_at, updated_at) SELECT 'kept-schedule', 'Soon', 'scheduled', min(id),"
           " (SELECT min(id) FROM users), %lld, 0, 0 FROM categories", (long long)now + 100);
  assert_int_equal(db_exec(f->d, sql), 0);
  assert_int_equal(article_count_visible(f->d, now, &n), STORE_OK);
  assert_int_equal(n, n0);
  assert_int_equal(article_count_visible(f->d, now + 100, &n), STORE_OK);
  assert_int_equal(n, n0 + 1);
  assert_int_equal(article_last_change(f->d, now + 100, &last), STORE_OK);
  assert_true(last >= now + 100);
  assert_int_equal(article_last_change(f->d, now, &last), STORE_OK);
  assert_true(last < now + 100);
  /* Another connection edits a published article. */
  char err[256];
  db *other = db_open(f->path, 0, err, sizeof err);
  assert_non_null(other);
  snprintf(sql, sizeof sql,
           "UPDATE articles SET updated_at = %lld WHERE id = (SELECT min(id) FROM articles"
           " WHERE live_at <= %lld)", (long long)now + 50, (long long)now);
  assert_int_equal(db_exec(other, sql), 0);
  assert_int_equal(db_exec(other, "DELETE FROM articles WHERE slug = 'kept-schedule'"), 0);
  db_close(other);
  assert_int_equal(article_last_change(f->d, now, &last), STORE_OK);
  assert_int_equal(last, now + 50);
  assert_int_equal(article_count_visible(f->d, now + 100, &n), STORE_OK);
  assert_int_equal(n, n0);
}

/* Inserts n approved comments on article under parent (0: top level),
** all at time at. */
static void add_comments(fixture *f, long long article, long long parent, int n, long at) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE s (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < %d)"
           " INSERT INTO comments (article_id, parent_id, author_name, author_email, body, status,"
           " created_at) SELECT %lld, nullif(%lld, 0), 'Reader', 'threads@example.org', 'Hello',"
           " 'approved', %ld FROM s", n, article, parent, at);
  assert_int_equal(db_exec(f->d, sql), 0);
}

/* Returns whether page of article's threads says a later page has more. */
static int threads_more(fixture *f, long long article, long page) {
  cJSON *out = cJSON_CreateArray();
  int more = -1;
  assert_int_equal(comment_tree(f->d, (long)article, NULL, page, out, &more), STORE_OK);
  cJSON_Delete(out);
  return more;
}

/* An article page's comments say whether a later page has threads: not
** after a full last page, yes when one more thread comes, and yes when
** replies filled a page's rows before its threads were all shown. */
static void the_thread_pages_know_when_more_follow(void **state) {
  fixture *f = *state;
  long long article = 0;
  assert_int_equal(db_number(f->d, "SELECT max(a.id) FROM articles a WHERE a.live_at <= ?1 AND"
                             " NOT EXISTS (SELECT 1 FROM comments m WHERE m.article_id = a.id)",
                             (long long)time(NULL), &article), 0);
  assert_true(article > 0);
  add_comments(f, article, 0, 2 * COMMENT_THREADS_PER_PAGE, 1700000000);
  assert_int_equal(threads_more(f, article, 1), 1);
  assert_int_equal(threads_more(f, article, 2), 0);
  add_comments(f, article, 0, 1, 1700000100);
  assert_int_equal(threads_more(f, article, 2), 1);
  assert_int_equal(threads_more(f, article, 3), 0);
  /* Another article: its first thread's 1,000 replies come before the
  ** next 60 threads, and fill the first page's rows. */
  assert_int_equal(db_number(f->d, "SELECT max(a.id) FROM articles a WHERE a.live_at <= ?1 AND"
                             " NOT EXISTS (SELECT 1 FROM comments m WHERE m.article_id = a.id)",
                             (long long)time(NULL), &article), 0);
  add_comments(f, article, 0, 1, 1700000000);
  long long first = 0;
  assert_int_equal(db_number(f->d, "SELECT min(id) FROM comments WHERE article_id = ?1", article,
                             &first), 0);
  add_comments(f, article, first, 1000, 1700000001);
  add_comments(f, article, 0, 60, 1700000002);
  assert_int_equal(threads_more(f, article, 1), 1);
  assert_int_equal(threads_more(f, article, 2), 0);
  assert_int_equal(db_exec(f->d, "DELETE FROM comments WHERE author_email = 'threads@example.org'"),
                   0);
}

/* Reads into ids (at most n) the approved comments of article (threads:
** those with no parent) after the first skip, in page order, by plain
** skipping; returns how many. */
static int comments_skipped(fixture *f, long long article, int threads, long skip, long n,
                            long *ids) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->d->h,
      threads ? "SELECT id FROM comments WHERE article_id = ?1 AND status = 'approved'"
                " AND parent_id IS NULL ORDER BY created_at, id LIMIT ?2 OFFSET ?3"
              : "SELECT id FROM comments WHERE article_id = ?1 AND status = 'approved'"
                " ORDER BY created_at, id LIMIT ?2 OFFSET ?3", -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_int64(st, 1, article);
  sqlite3_bind_int64(st, 2, n);
  sqlite3_bind_int64(st, 3, skip);
  int k = 0;
  while (sqlite3_step(st) == SQLITE_ROW) ids[k++] = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return k;
}

/* Checks that the ids of the records in out are want[0..n). */
static void ids_are(const cJSON *out, const long *want, int n) {
  assert_int_equal(cJSON_GetArraySize(out), n);
  int i = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, out) {
    assert_int_equal((long)cJSON_GetObjectItem(c, "id")->valuedouble, want[i]);
    i++;
  }
}

/* Checks every page of article's comments through the API (two page
** sizes) and of its threads on the article page against plain skipping,
** and that the lists' check finds wrong_hours kept hours wrong. */
static void comment_pages_agree(fixture *f, long long article, long wrong_hours) {
  long long approved = 0, threads = 0;
  assert_int_equal(db_number(f->d, "SELECT count(*) FROM comments WHERE article_id = ?1"
                             " AND status = 'approved'", article, &approved), 0);
  assert_int_equal(db_number(f->d, "SELECT count(*) FROM comments WHERE article_id = ?1"
                             " AND status = 'approved' AND parent_id IS NULL", article, &threads),
                   0);
  long want[COMMENT_THREADS_PER_PAGE];
  static const long sizes[] = {50, 37};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    for (long page = 1; (page - 1) * sizes[i] <= approved; page++) {
      cJSON *out = cJSON_CreateArray();
      long total = -1;
      assert_int_equal(comment_page(f->d, (long)article, page, sizes[i], out, &total), STORE_OK);
      assert_int_equal(total, approved);
      ids_are(out, want, comments_skipped(f, article, 0, (page - 1) * sizes[i], sizes[i], want));
      cJSON_Delete(out);
    }
  }
  for (long page = 1; (page - 1) * COMMENT_THREADS_PER_PAGE <= threads; page++) {
    cJSON *out = cJSON_CreateArray();
    int more = -1;
    assert_int_equal(comment_tree(f->d, (long)article, NULL, page, out, &more), STORE_OK);
    ids_are(out, want, comments_skipped(f, article, 1, (page - 1) * COMMENT_THREADS_PER_PAGE,
                                        COMMENT_THREADS_PER_PAGE, want));
    assert_int_equal(more, page * COMMENT_THREADS_PER_PAGE < threads);
    cJSON_Delete(out);
  }
  long wrong = -1;
  assert_int_equal(list_check_counts(f->d, stderr, &wrong), STORE_OK);
  assert_int_equal(wrong, wrong_hours);
}

/* Runs sql on article (?1 in it, as %1$lld) and sets the article's count
** of approved comments as the store does after a change. */
static void comments_change(fixture *f, long long article, const char *sql) {
  char buf[1024];
  snprintf(buf, sizeof buf, sql, article);
  assert_int_equal(db_exec(f->d, buf), 0);
  snprintf(buf, sizeof buf, "UPDATE articles SET comment_count = (SELECT count(*) FROM comments m"
           " WHERE m.article_id = articles.id AND m.status = 'approved')"
           " WHERE id IN (%lld, (SELECT min(id) FROM articles))", article);
  assert_int_equal(db_exec(f->d, buf), 0);
}

/* Pages far down a long comment list, read from the hour that holds their
** first entry (sql/035), hold what plain skipping gives, through
** moderation, deletions with replies, comments moved in time, between
** threads and to another article; hours that do not add up are not
** relied on. */
static void deep_comment_pages_hold_what_skipping_gives(void **state) {
  fixture *f = *state;
  long long article = 0, hours = 0;
  assert_int_equal(db_number(f->d, "SELECT max(a.id) FROM articles a WHERE a.live_at <= ?1 AND"
                             " NOT EXISTS (SELECT 1 FROM comments m WHERE m.article_id = a.id)",
                             (long long)time(NULL), &article), 0);
  /* 2,600 threads, two a minute over 21 hours, with ties in time; 600
  ** replies; 100 held comments among them; two dated before 1970 (an
  ** import's). */
  comments_change(f, article,
      "WITH RECURSIVE s (k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 2599)"
      " INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)"
      " SELECT %1$lld, 'Reader', 'deep@example.org', 'Hello', 'approved', 1700000000 + k / 2 * 30"
      " FROM s;"
      "WITH RECURSIVE s (k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 599)"
      " INSERT INTO comments (article_id, parent_id, author_name, author_email, body, status,"
      " created_at) SELECT %1$lld, (SELECT min(id) FROM comments WHERE article_id = %1$lld) + k * 4,"
      " 'Reader', 'deep@example.org', 'Reply', 'approved', 1700000000 + k * 120 + 7 FROM s;"
      "UPDATE comments SET status = 'pending' WHERE article_id = %1$lld AND id %% 31 = 0;"
      "INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)"
      " VALUES (%1$lld, 'Reader', 'deep@example.org', 'Dated 1969', 'approved', -5000),"
      " (%1$lld, 'Reader', 'deep@example.org', 'Dated 1969', 'approved', -1);");
  assert_int_equal(db_number(f->d, "SELECT count(*) FROM comment_hours WHERE article_id = ?1",
                             article, &hours), 0);
  assert_true(hours >= 20);
  comment_pages_agree(f, article, 0);
  long long id = 0;
  assert_int_equal(db_number(f->d, "SELECT min(id) FROM comments WHERE article_id = ?1"
                             " AND status = 'pending'", article, &id), 0);
  assert_int_equal(comment_moderate(f->d, (long)id, "approved"), 0);
  assert_int_equal(db_number(f->d, "SELECT id FROM comments WHERE article_id = ?1"
                             " AND parent_id IS NULL ORDER BY id LIMIT 1 OFFSET 1300", article,
                             &id), 0);
  assert_int_equal(comment_moderate(f->d, (long)id, "spam"), 0);
  /* A thread with its replies deleted. */
  assert_int_equal(db_number(f->d, "SELECT parent_id FROM comments WHERE article_id = ?1"
                             " AND parent_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 300", article,
                             &id), 0);
  assert_int_equal(comment_moderate(f->d, (long)id, NULL), 0);
  comment_pages_agree(f, article, 0);
  /* Moved to another hour, out of a thread, into one, to another article;
  ** a new comment of this hour. */
  comments_change(f, article,
      "UPDATE comments SET created_at = created_at - 40000 WHERE id IN (SELECT id FROM comments"
      "  WHERE article_id = %1$lld AND parent_id IS NULL ORDER BY id DESC LIMIT 5);"
      "UPDATE comments SET parent_id = NULL WHERE id = (SELECT max(id) FROM comments"
      "  WHERE article_id = %1$lld AND parent_id IS NOT NULL AND status = 'approved');"
      "UPDATE comments SET parent_id = (SELECT min(id) FROM comments WHERE article_id = %1$lld)"
      "  WHERE id = (SELECT id FROM comments WHERE article_id = %1$lld AND parent_id IS NULL"
      "  AND status = 'approved' ORDER BY id LIMIT 1 OFFSET 2000);"
      "UPDATE comments SET article_id = (SELECT min(id) FROM articles) WHERE id = (SELECT id"
      "  FROM comments WHERE article_id = %1$lld AND parent_id IS NULL ORDER BY id LIMIT 1"
      "  OFFSET 1500);"
      "INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)"
      " VALUES (%1$lld, 'Reader', 'deep@example.org', 'Now', 'approved', unixepoch());");
  comment_pages_agree(f, article, 0);
  /* Hours that do not add up to the article's count are passed by. */
  comments_change(f, article, "UPDATE comment_hours SET n = n + 3 WHERE article_id = %1$lld"
                  " AND hour = (SELECT hour FROM comment_hours WHERE article_id = %1$lld"
                  " ORDER BY hour LIMIT 1 OFFSET 3)");
  comment_pages_agree(f, article, 1);
  comments_change(f, article, "UPDATE comment_hours SET n = n - 3 WHERE article_id = %1$lld"
                  " AND hour = (SELECT hour FROM comment_hours WHERE article_id = %1$lld"
                  " ORDER BY hour LIMIT 1 OFFSET 3)");
  comment_pages_agree(f, article, 0);
  comments_change(f, article, "DELETE FROM comments WHERE author_email = 'deep@example.org'");
  assert_int_equal(db_number(f->d, "SELECT count(*) FROM comment_hours WHERE n <> 0"
                             " OR threads <> 0", 0, &hours), 0);
  assert_int_equal(hours, 0);
}

/* The API's author filter keeps every article whose byline names the
** author (as their page does), alone and beside another filter, and its
** total counts those. */
static void the_author_filter_follows_the_byline(void **state) {
  fixture *f = *state;
  long long article = 0, lang_ar = 0;
  assert_int_equal(db_number(f->d, "SELECT max(id) FROM articles WHERE live_at <= ?1",
                             (long long)time(NULL), &article), 0);
  assert_int_equal(db_number(f->d, "SELECT lang = 'ar' FROM articles WHERE id = ?1", article,
                             &lang_ar), 0);
  char sql[256];
  snprintf(sql, sizeof sql,
           "INSERT INTO users (username, display_name, role, created_at)"
           " VALUES ('cowriter', 'Co Writer', 'author', 0);"
           "INSERT INTO article_authors (article_id, user_id, position)"
           " SELECT %lld, id, 1 FROM users WHERE username = 'cowriter'", article);
  assert_int_equal(db_exec(f->d, sql), 0);
  article_filter alone = {.author = "cowriter", .page = 1, .per_page = 20};
  article_filter with_lang = {.author = "cowriter", .lang = lang_ar ? "ar" : "en", .page = 1,
                              .per_page = 20};
  article_filter *filters[] = {&alone, &with_lang};
  for (int i = 0; i < 2; i++) {
    cJSON *out = cJSON_CreateArray();
    assert_int_equal(article_filtered(f->d, time(NULL), filters[i], out), STORE_OK);
    assert_int_equal(filters[i]->total, 1);
    assert_int_equal(cJSON_GetArraySize(out), 1);
    assert_int_equal((long long)cJSON_GetObjectItem(cJSON_GetArrayItem(out, 0), "id")->valuedouble,
                     article);
    cJSON_Delete(out);
  }
  assert_int_equal(db_exec(f->d, "DELETE FROM users WHERE username = 'cowriter'"), 0);
}

/* The lists a deep page is checked on: how the store is asked for it,
** and the plain query (?1 now, ?2 id, ?3 limit, ?4 offset) that reads the
** same page by skipping every newer entry. */
typedef struct deep_list {
  listing l;
  article_filter f;
  const char *plain;
} deep_list;

/* Returns the ids of the page the plain query reads, as a JSON array
** text (caller frees). */
static char *deep_expected(fixture *f, const deep_list *x, time_t now, long id, long page) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->d->h, x->plain, -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_int64(st, 1, now);
  if (x->f.lang) sqlite3_bind_text(st, 2, x->f.lang, -1, SQLITE_STATIC);
  else sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int64(st, 3, x->f.per_page);
  sqlite3_bind_int64(st, 4, (page - 1) * x->f.per_page);
  cJSON *ids = cJSON_CreateArray();
  while (sqlite3_step(st) == SQLITE_ROW)
    cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)sqlite3_column_int64(st, 0)));
  sqlite3_finalize(st);
  char *text = cJSON_PrintUnformatted(ids);
  cJSON_Delete(ids);
  return text;
}

/* Returns the ids of the cards in out as a JSON array text (caller
** frees); deletes out. */
static char *deep_ids(cJSON *out) {
  cJSON *ids = cJSON_CreateArray(), *x;
  cJSON_ArrayForEach(x, out) {
    cJSON_AddItemToArray(ids, cJSON_CreateNumber(cJSON_GetObjectItem(x, "id")->valuedouble));
  }
  cJSON_Delete(out);
  char *text = cJSON_PrintUnformatted(ids);
  cJSON_Delete(ids);
  return text;
}

/* Checks every page of x (list id id), through the reader's pages and
** the API, against the plain query; and (unless sizes_off) that the kept
** sizes are right. */
static void deep_pages_agree(fixture *f, deep_list *x, long id, int sizes_off) {
  time_t now = time(NULL);
  long total = -1;
  for (long page = 1; total < 0 || (page - 1) * x->f.per_page <= total; page++) {
    char *want = deep_expected(f, x, now, id, page);
    if (!x->f.lang) {
      listing l = x->l;
      l.page = page;
      cJSON *out = cJSON_CreateArray();
      assert_int_equal(article_list(f->d, now, &l, out), STORE_OK);
      char *got = deep_ids(out);
      if (strcmp(want, got)) fprintf(stderr, "list page %ld: %s, not %s\n", page, got, want);
      assert_string_equal(got, want);
      free(got);
      total = l.total;
    }
    article_filter af = x->f;
    af.page = page;
    cJSON *out = cJSON_CreateArray();
    assert_int_equal(article_filtered(f->d, now, &af, out), STORE_OK);
    char *got = deep_ids(out);
    if (strcmp(want, got)) fprintf(stderr, "API page %ld: %s, not %s\n", page, got, want);
    assert_string_equal(got, want);
    free(got);
    free(want);
    total = af.total;
  }
  long wrong = -1;
  assert_int_equal(list_check_counts(f->d, stderr, &wrong), STORE_OK);
  assert_int_equal(wrong != 0, sizes_off);
}

/* deep_pages_agree for each of the n lists (ids: their list ids), whose
** kept sizes are right. */
static void deep_lists_agree(fixture *f, deep_list *lists, const long *ids, size_t n) {
  for (size_t i = 0; i < n; i++) deep_pages_agree(f, &lists[i], ids[i], 0);
}

/* A page far down a list (found from the month that holds it, read back
** from that month's end) holds what skipping every newer entry gives: in
** every list, with articles sharing a second, with scheduled ones, and
** after articles are withdrawn, moved to another month or section, and
** deleted. */
static void deep_pages_hold_what_skipping_gives(void **state) {
  fixture *f = *state;
  /* 450 articles over some nine months up to now, three to a second; a
  ** second section for every other one, a tag for every other, a second
  ** author for three in four, Arabic for every other; and five to come. */
  assert_int_equal(db_exec(f->d,
      "INSERT INTO users (username, display_name, role, created_at)"
      " VALUES ('deepwriter', 'Deep Writer', 'author', 0);"
      "INSERT INTO tags (slug, name) VALUES ('deep', 'Deep');"
      "INSERT INTO categories (slug, name, position) VALUES ('deep', 'Deep', 99);"
      "WITH RECURSIVE s (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < 455)"
      " INSERT INTO articles (slug, title, status, lang, dir, category_id, author_id,"
      "  published_at, created_at, updated_at)"
      " SELECT 'deep-' || k, 'Deep ' || k, CASE WHEN k > 450 THEN 'scheduled' ELSE 'published' END,"
      "  CASE WHEN k % 2 = 1 THEN 'ar' ELSE 'en' END, CASE WHEN k % 2 = 1 THEN 'rtl' ELSE 'ltr' END,"
      "  CASE WHEN k % 2 = 0 THEN (SELECT id FROM categories WHERE slug = 'deep')"
      "   ELSE (SELECT min(id) FROM categories) END, (SELECT min(id) FROM users),"
      "  CASE WHEN k > 450 THEN unixepoch() + 3600 * (k - 450)"
      "   ELSE unixepoch() - 60 - (k / 3) * 165000 END, 0, 0 FROM s;"
      "INSERT INTO article_tags (article_id, tag_id) SELECT a.id, t.id FROM articles a, tags t"
      " WHERE t.slug = 'deep' AND a.slug LIKE 'deep-%' AND a.id % 2 = 0;"
      "INSERT INTO article_authors (article_id, user_id, position) SELECT a.id, u.id, 1"
      " FROM articles a, users u WHERE u.username = 'deepwriter' AND a.slug LIKE 'deep-%'"
      " AND a.id % 4 <> 0"), 0);
  long long section = 0, tag = 0, writer = 0;
  assert_int_equal(db_number(f->d, "SELECT id FROM categories WHERE slug = 'deep' AND ?1",
                             1, &section), 0);
  assert_int_equal(db_number(f->d, "SELECT id FROM tags WHERE slug = 'deep' AND ?1", 1, &tag), 0);
  assert_int_equal(db_number(f->d, "SELECT id FROM users WHERE username = 'deepwriter' AND ?1",
                             1, &writer), 0);
  deep_list lists[] = {
      {{.per_page = 7}, {.per_page = 7},
       "SELECT id FROM articles WHERE live_at <= ?1 AND ?2 = 0"
       " ORDER BY live_at DESC, id DESC LIMIT ?3 OFFSET ?4"},
      {{.category_id = (long)section, .per_page = 3}, {.category = "deep", .per_page = 3},
       "SELECT id FROM articles WHERE live_at <= ?1 AND category_id = ?2"
       " ORDER BY live_at DESC, id DESC LIMIT ?3 OFFSET ?4"},
      {{.tag_id = (long)tag, .per_page = 2}, {.tag = "deep", .per_page = 2},
       "SELECT article_id FROM article_tags WHERE live_at <= ?1 AND tag_id = ?2"
       " ORDER BY live_at DESC, article_id DESC LIMIT ?3 OFFSET ?4"},
      {{.author_id = (long)writer, .per_page = 1}, {.author = "deepwriter", .per_page = 1},
       "SELECT article_id FROM article_authors WHERE live_at <= ?1 AND user_id = ?2"
       " ORDER BY live_at DESC, article_id DESC LIMIT ?3 OFFSET ?4"},
      {{.per_page = 1}, {.lang = "ar", .per_page = 1},
       "SELECT id FROM articles WHERE live_at <= ?1 AND lang = ?2"
       " ORDER BY live_at DESC, id DESC LIMIT ?3 OFFSET ?4"},
  };
  long ids[] = {0, (long)section, (long)tag, (long)writer, 0};
  enum { NLISTS = sizeof lists / sizeof lists[0] };
  deep_lists_agree(f, lists, ids, NLISTS);
  assert_int_equal(db_exec(f->d,
      "UPDATE articles SET status = 'draft' WHERE slug IN ('deep-300', 'deep-301', 'deep-120');"
      "UPDATE articles SET published_at = published_at - 86400 * 45 WHERE slug IN"
      " ('deep-30', 'deep-31', 'deep-200');"
      "UPDATE articles SET category_id = (SELECT min(id) FROM categories) WHERE slug = 'deep-400';"
      "UPDATE articles SET lang = 'en' WHERE slug = 'deep-250';"
      "DELETE FROM articles WHERE slug IN ('deep-350', 'deep-351', 'deep-10');"
      "DELETE FROM article_tags WHERE article_id = (SELECT id FROM articles WHERE slug = 'deep-100');"
      "DELETE FROM article_authors WHERE position = 1 AND article_id ="
      " (SELECT id FROM articles WHERE slug = 'deep-99')"), 0);
  deep_lists_agree(f, lists, ids, NLISTS);
  /* A byline moved to the second author, a tag and an author added to old
  ** articles, a draft published into an old month, a scheduled article
  ** moved to the other section and brought forward into the past. */
  assert_int_equal(db_exec(f->d,
      "DELETE FROM article_authors WHERE position = 1 AND article_id ="
      " (SELECT id FROM articles WHERE slug = 'deep-77');"
      "UPDATE articles SET author_id = (SELECT id FROM users WHERE username = 'deepwriter')"
      " WHERE slug = 'deep-77';"
      "INSERT INTO article_tags (article_id, tag_id) SELECT a.id, t.id FROM articles a, tags t"
      " WHERE t.slug = 'deep' AND a.id = (SELECT max(id) FROM articles WHERE id % 2 = 1"
      "  AND slug LIKE 'deep-%' AND live_at < unixepoch() - 86400 * 100);"
      "INSERT INTO article_authors (article_id, user_id, position) SELECT a.id, u.id, 1"
      " FROM articles a, users u WHERE u.username = 'deepwriter' AND a.id = (SELECT max(id)"
      "  FROM articles WHERE id % 4 = 0 AND slug LIKE 'deep-%' AND live_at < unixepoch() - 86400 * 100);"
      "UPDATE articles SET status = 'published' WHERE slug = 'deep-301';"
      "UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = 'deep')"
      " WHERE slug = 'deep-453';"
      "UPDATE articles SET status = 'published', published_at = unixepoch() - 86400 * 120"
      " WHERE slug = 'deep-453'"), 0);
  deep_lists_agree(f, lists, ids, NLISTS);
  /* Months that do not add up to the kept size are not relied on. */
  assert_int_equal(db_exec(f->d,
      "UPDATE list_months SET n = n + 1 WHERE scope = 'all' AND month ="
      " (SELECT min(month) FROM list_months WHERE scope = 'all' AND n > 0)"), 0);
  deep_pages_agree(f, &lists[0], 0, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pages_render_without_full_scans),
      cmocka_unit_test(unknown_things_are_404),
      cmocka_unit_test(drafts_and_scheduled_are_hidden),
      cmocka_unit_test(demo_loads_only_once),
      cmocka_unit_test(search_ranks_a_word_in_the_title_above_one_in_the_text),
      cmocka_unit_test(search_words_are_bounded),
      cmocka_unit_test(search_passes_by_what_readers_cannot_see),
      cmocka_unit_test(search_reads_the_text_readers_see),
      cmocka_unit_test(a_tag_is_counted_once_its_first_article_is_out),
      cmocka_unit_test(comment_pages_from_either_end_agree),
      cmocka_unit_test(deep_comment_pages_hold_what_skipping_gives),
      cmocka_unit_test(the_kept_schedule_follows_writes_and_time),
      cmocka_unit_test(the_thread_pages_know_when_more_follow),
      cmocka_unit_test(the_author_filter_follows_the_byline),
      cmocka_unit_test(deep_pages_hold_what_skipping_gives),
  };
  return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
