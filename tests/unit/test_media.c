/*
** Unit tests: the picture library, files and rows together. An import
** makes the first sizes and queues the rest, the background work makes
** them, a refusal leaves nothing, an article's text shows library pictures
** as <picture> elements, a picture in use cannot be deleted but can be
** replaced everywhere, and a check after a restore queues what is missing.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vips/vips.h>

#include "image.h"
#include "json.h"
#include "library.h"
#include "store_media.h"

typedef struct fixture {
  char root[256], media[300], originals[300], in[300], dbpath[300];
  db *d;
  media_dirs dirs;
} fixture;

/* Runs one statement with no parameters. */
static void exec(fixture *f, const char *sql) { assert_int_equal(db_exec(f->d, sql), 0); }

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  char err[300];
  snprintf(f->root, sizeof f->root, "/tmp/gazette-test-media-%d", (int)getpid());
  snprintf(f->media, sizeof f->media, "%s/media", f->root);
  snprintf(f->originals, sizeof f->originals, "%s/originals", f->root);
  snprintf(f->in, sizeof f->in, "%s/in", f->root);
  snprintf(f->dbpath, sizeof f->dbpath, "%s/gazette.db", f->root);
  if (mkdir(f->root, 0700) || mkdir(f->in, 0700)) return -1;
  f->dirs = (media_dirs){f->media, f->originals};
  if (library_prepare(&f->dirs, err, sizeof err) || image_init(err, sizeof err)) return -1;
  f->d = db_open(f->dbpath, 1, err, sizeof err);
  if (!f->d || db_migrate(f->d, err, sizeof err)) return -1;
  db_exec(f->d, "INSERT INTO users (id, username, display_name, role, created_at)"
                " VALUES (1, 'ed', 'Ed', 'editor', 0);"
                "INSERT INTO categories (id, slug, name) VALUES (1, 'news', 'News');");
  *state = f;
  return 0;
}

/* Removes every file of dir, then dir. */
static void rm_dir(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char p[600];
  while (d && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    unlink(p);
  }
  if (d) closedir(d);
  rmdir(dir);
}

static int teardown(void **state) {
  fixture *f = *state;
  db_close(f->d);
  char p[400];
  snprintf(p, sizeof p, "%s-wal", f->dbpath);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", f->dbpath);
  unlink(p);
  unlink(f->dbpath);
  rm_dir(f->media);
  rm_dir(f->originals);
  rm_dir(f->in);
  rmdir(f->root);
  free(f);
  return 0;
}

/* Counts the files of dir. */
static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  if (d) closedir(d);
  return n;
}

/* Returns the number of the first column of the one-row query sql. */
static long one(fixture *f, const char *sql) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->d->h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long v = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Writes a w x h JPEG with noise seeded by seed as in/name; returns its
** path in out. */
static void photo(fixture *f, const char *name, int w, int h, int seed, char *out, size_t n) {
  VipsImage *noise, *u;
  snprintf(out, n, "%s/%s", f->in, name);
  assert_int_equal(vips_gaussnoise(&noise, w, h, "sigma", 30.0, "mean", 128.0, "seed", seed, NULL), 0);
  assert_int_equal(vips_cast_uchar(noise, &u, NULL), 0);
  VipsImage *bands[3] = {u, u, u}, *rgb, *srgb;
  assert_int_equal(vips_bandjoin(bands, &rgb, 3, NULL), 0);
  assert_int_equal(vips_copy(rgb, &srgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL), 0);
  assert_int_equal(vips_jpegsave(srgb, out, NULL), 0);
  g_object_unref(noise);
  g_object_unref(u);
  g_object_unref(rgb);
  g_object_unref(srgb);
}

/* Imports the picture at path with alt; returns its id. */
static long import(fixture *f, const char *path, const char *alt) {
  media_words w = {1, "photo.jpg", alt, "A caption", "A credit"};
  long id = 0;
  char err[300];
  int rc = library_import(f->d, time(NULL), &f->dirs, NULL, path, 0, LIBRARY_FIRST, &w, &id, err,
                          sizeof err);
  if (rc) fail_msg("import refused: %s", err);
  return id;
}

static void an_import_makes_the_first_sizes_and_the_queue_the_rest(void **state) {
  fixture *f = *state;
  char p[400];
  photo(f, "a.jpg", 2000, 1500, 1, p, sizeof p);
  long id = import(f, p, "Noise");
  /* 320 and 1024, in WebP and JPEG; 640, 1600 and its own 2000 wait in
  ** the queue. */
  assert_int_equal(count_files(f->media), 4);
  assert_int_equal(count_files(f->originals), 1);
  assert_int_equal(one(f, "SELECT count(*) FROM media_queue"), 1);
  assert_int_equal(library_work(f->d, time(NULL), &f->dirs, NULL), 1);
  assert_int_equal(library_work(f->d, time(NULL), &f->dirs, NULL), 0);
  assert_int_equal(one(f, "SELECT count(*) FROM media_queue"), 0);
  assert_int_equal(count_files(f->media), 10);
  cJSON *rec = NULL;
  assert_int_equal(media_picture(f->d, id, &rec), STORE_OK);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rec, "files")), 10);
  assert_string_equal(json_str(rec, "alt"), "Noise");
  cJSON_Delete(rec);
  /* The same picture again is recorded from the files already there. */
  long again = import(f, p, "Noise again");
  assert_true(again != id);
  assert_int_equal(count_files(f->media), 10);
  assert_int_equal(one(f, "SELECT count(*) FROM media_queue"), 0);
}

static void a_refused_file_leaves_nothing(void **state) {
  fixture *f = *state;
  char p[400];
  snprintf(p, sizeof p, "%s/page.jpg", f->in);
  FILE *fp = fopen(p, "wb");
  fputs("<html><script>alert(1)</script></html>", fp);
  fclose(fp);
  media_words w = {1, "page.jpg", "x", "", ""};
  long id = 0;
  char err[300];
  assert_int_equal(library_import(f->d, time(NULL), &f->dirs, NULL, p, 0, LIBRARY_FIRST, &w, &id,
                                  err, sizeof err),
                   IMAGE_UNSUPPORTED);
  assert_int_equal(count_files(f->media), 0);
  assert_int_equal(count_files(f->originals), 0);
  assert_int_equal(one(f, "SELECT count(*) FROM media"), 0);
  assert_int_equal(one(f, "SELECT count(*) FROM media_queue"), 0);
}

static void a_text_shows_library_pictures(void **state) {
  fixture *f = *state;
  char p[400], md[600];
  photo(f, "b.jpg", 900, 600, 2, p, sizeof p);
  long id = import(f, p, "Library alt");
  snprintf(md, sizeof md,
           "Before.\n\n![](/media/%ld \"Its caption\")\n\nInline ![Own alt](/media/%ld) here.\n\n"
           "![Away](https://elsewhere.example/x.jpg)\n\n![Gone](/media/99999)\n",
           id, id);
  body_pictures bp;
  char *html = body_render(f->d, md, strlen(md), &bp);
  assert_non_null(html);
  /* Alone in its paragraph: a figure with the caption and credit. */
  assert_non_null(strstr(html, "<figure class=\"picture\"><picture><source type=\"image/webp\""));
  assert_non_null(strstr(html, "alt=\"Library alt\" loading=\"lazy\""));
  assert_non_null(strstr(html, "<figcaption>Its caption <span class=\"credit\">A credit</span>"));
  /* In a sentence: a picture with its own alt text. */
  assert_non_null(strstr(html, "<p>Inline <picture>"));
  assert_non_null(strstr(html, "alt=\"Own alt\""));
  assert_non_null(strstr(html, "width=\"900\" height=\"600\""));
  assert_null(strstr(html, "<p><figure"));
  /* Another site's picture is noted; a missing one is its alt text. */
  assert_int_equal(bp.external, 1);
  assert_string_equal(bp.first_external, "https://elsewhere.example/x.jpg");
  assert_int_equal(bp.missing, 99999);
  assert_non_null(strstr(html, "<span class=\"picture-missing\">Gone</span>"));
  assert_int_equal(bp.n, 1);
  assert_int_equal(bp.ids[0], id);
  assert_int_equal(bp.no_alt, 0);
  free(html);
}

static void an_html_text_shows_library_pictures(void **state) {
  fixture *f = *state;
  char p[400], html[900], sql[1200];
  photo(f, "h.jpg", 800, 600, 5, p, sizeof p);
  long id = import(f, p, "Library alt");
  snprintf(html, sizeof html,
           "<p>Before <img src=\"/media/%ld\" alt=\"Fish &amp; chips\" width=\"300\"> after.</p>"
           "<p><img src=\"https://elsewhere.example/x.jpg\" alt=\"Away\"></p>"
           "<p><img src=\"/media/99999\" alt=\"Gone\"><img src=\"/media/01\" alt=\"\"></p>",
           id);
  body_pictures bp;
  char *out = body_render_html(f->d, html, &bp);
  assert_non_null(out);
  /* The library's picture, with the text's own alt text. */
  assert_non_null(strstr(out, "<p>Before <picture><source type=\"image/webp\""));
  assert_non_null(strstr(out, "alt=\"Fish &amp; chips\""));
  assert_null(strstr(out, "width=\"300\""));
  /* Another site's picture and an address that is not the library's are
  ** left as they are; a picture not in the library is its alt text. */
  assert_non_null(strstr(out, "<img src=\"https://elsewhere.example/x.jpg\" alt=\"Away\">"));
  assert_non_null(strstr(out, "<span class=\"picture-missing\">Gone</span>"));
  assert_non_null(strstr(out, "<img src=\"/media/01\" alt=\"\">"));
  assert_int_equal(bp.missing, 99999);
  assert_int_equal(bp.n, 1);
  assert_int_equal(bp.ids[0], id);
  free(out);
  /* A picture shown 600 times is looked up once and shown 512 times, then
  ** as its alt text. */
  buf many = {0};
  for (int i = 0; i < 600; i++) buf_printf(&many, "<p><img src=\"/media/%ld\" alt=\"n%d\"></p>", id, i);
  out = body_render_html(f->d, buf_str(&many), &bp);
  size_t pictures = 0;
  for (const char *q = out; (q = strstr(q, "<picture>")); q++) pictures++;
  assert_int_equal(pictures, 512);
  assert_non_null(strstr(out, "<span class=\"picture-missing\">n512</span>"));
  assert_int_equal(bp.n, 1);
  assert_int_equal(bp.too_many, 0);
  free(out);
  /* 150 ids not in the library are missing, not too many; the picture
  ** after them shows. */
  buf_reset(&many);
  for (int i = 0; i < 150; i++) buf_printf(&many, "<img src=\"/media/%d\" alt=\"m%d\">", 90000 + i, i);
  buf_printf(&many, "<img src=\"/media/%ld\" alt=\"last\">", id);
  out = body_render_html(f->d, buf_str(&many), &bp);
  assert_int_equal(bp.too_many, 0);
  assert_int_equal(bp.missing, 90000);
  assert_non_null(strstr(out, "<span class=\"picture-missing\">m149</span>"));
  assert_non_null(strstr(out, "alt=\"last\""));
  assert_null(strstr(out, "<span class=\"picture-missing\">last</span>"));
  free(out);
  /* 101 different pictures: 100 are shown and recorded, the 101st is too
  ** many and its alt text. */
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 101)"
           " INSERT INTO media (id, filename, type, digest, original, width, height, bytes, alt,"
           " created_at, updated_at, derived_at) SELECT 70000 + n, filename, type, digest,"
           " original, width, height, bytes, alt, created_at, updated_at, derived_at"
           " FROM media, k WHERE id = %ld;"
           "INSERT INTO media_files (media_id, format, width, height, name, bytes)"
           " SELECT m.id, f.format, f.width, f.height, f.name, f.bytes FROM media m, media_files f"
           " WHERE m.id > 70000 AND f.media_id = %ld;", id, id);
  exec(f, sql);
  buf_reset(&many);
  for (int i = 1; i <= 101; i++) buf_printf(&many, "<img src=\"/media/%d\" alt=\"d%d\">", 70000 + i, i);
  out = body_render_html(f->d, buf_str(&many), &bp);
  pictures = 0;
  for (const char *q = out; (q = strstr(q, "<picture>")); q++) pictures++;
  assert_int_equal(pictures, BODY_PICTURES_MAX);
  assert_int_equal(bp.n, BODY_PICTURES_MAX);
  assert_int_equal(bp.too_many, 1);
  assert_non_null(strstr(out, "<span class=\"picture-missing\">d101</span>"));
  free(out);
  exec(f, "DELETE FROM media WHERE id > 70000");
  buf_free(&many);
  /* Replacing the picture rewrites the HTML text and renders it as HTML. */
  photo(f, "i.jpg", 800, 600, 6, p, sizeof p);
  long other = import(f, p, "Other");
  snprintf(sql, sizeof sql,
           "INSERT INTO articles (id, slug, title, category_id, author_id, status, created_at,"
           " updated_at) VALUES (2, 'h', 'H', 1, 1, 'draft', 0, 0);"
           "INSERT INTO article_bodies (article_id, body_md, format) VALUES (2, '<p>x</p>', 'html');");
  exec(f, sql);
  assert_int_equal(body_save_html(f->d, 2, html), STORE_OK);
  assert_int_equal(one(f, "SELECT count(*) FROM article_media WHERE article_id = 2"), 1);
  cJSON *gone = NULL;
  assert_int_equal(media_replace(f->d, time(NULL), id, other, &gone), STORE_OK);
  library_remove(&f->dirs, gone);
  cJSON_Delete(gone);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM article_bodies WHERE article_id = 2"
           " AND instr(body_md, 'src=\"/media/%ld\"') AND body_html LIKE '<p>Before <picture>%%'"
           " AND body_html NOT LIKE '%%<p>&lt;%%'", other);
  assert_int_equal(one(f, sql), 1);
}

static void a_picture_in_use_is_replaced_not_deleted(void **state) {
  fixture *f = *state;
  char p[400], q[400], sql[600];
  photo(f, "c.jpg", 700, 500, 3, p, sizeof p);
  photo(f, "d.jpg", 700, 500, 4, q, sizeof q);
  long used = import(f, p, "Used"), other = import(f, q, "Other");
  snprintf(sql, sizeof sql,
           "INSERT INTO articles (id, slug, title, category_id, author_id, status, created_at,"
           " updated_at, image_id) VALUES (1, 'a', 'A', 1, 1, 'draft', 0, 0, %ld);"
           "INSERT INTO article_bodies (article_id, body_md) VALUES (1, 'x ![An](/media/%ld) y');"
           "INSERT INTO article_media (article_id, media_id) VALUES (1, %ld);",
           used, used, used);
  exec(f, sql);
  cJSON *gone = NULL;
  assert_int_equal(media_delete(f->d, used, &gone), STORE_IN_USE);
  assert_null(gone);
  cJSON *uses = cJSON_CreateObject();
  long count = 0;
  assert_int_equal(media_usage(f->d, used, uses, &count), STORE_OK);
  assert_int_equal(count, 2); /* featured, and in the text */
  cJSON_Delete(uses);
  int before = count_files(f->media);
  assert_int_equal(media_replace(f->d, time(NULL), used, other, &gone), STORE_OK);
  library_remove(&f->dirs, gone);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(gone, "files")), 4);
  cJSON_Delete(gone);
  assert_int_equal(count_files(f->media), before - 4);
  assert_int_equal(one(f, "SELECT image_id FROM articles WHERE id = 1"), other);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM article_bodies WHERE body_md = 'x ![An](/media/%ld) y'"
           " AND body_html LIKE '%%<picture>%%'", other);
  assert_int_equal(one(f, sql), 1);
  assert_int_equal(one(f, "SELECT count(*) FROM article_media WHERE article_id = 1"), 1);
}

static void a_check_queues_pictures_missing_a_file(void **state) {
  fixture *f = *state;
  char p[400], file[700];
  photo(f, "e.jpg", 640, 480, 5, p, sizeof p);
  long id = import(f, p, "Checked");
  while (library_work(f->d, time(NULL), &f->dirs, NULL) > 0) {
  }
  library_report r;
  assert_int_equal(library_check(f->d, time(NULL), &f->dirs, &r), 0);
  assert_int_equal(r.requeued, 0);
  cJSON *rec = NULL;
  assert_int_equal(media_picture(f->d, id, &rec), STORE_OK);
  snprintf(file, sizeof file, "%s/%s", f->media,
           json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(rec, "files"), 0), "name"));
  cJSON_Delete(rec);
  assert_int_equal(unlink(file), 0);
  assert_int_equal(library_check(f->d, time(NULL), &f->dirs, &r), 0);
  assert_int_equal(r.requeued, 1);
  assert_int_equal(library_work(f->d, time(NULL), &f->dirs, NULL), 1);
  assert_int_equal(access(file, F_OK), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(an_import_makes_the_first_sizes_and_the_queue_the_rest,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(a_refused_file_leaves_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(a_text_shows_library_pictures, setup, teardown),
      cmocka_unit_test_setup_teardown(an_html_text_shows_library_pictures, setup, teardown),
      cmocka_unit_test_setup_teardown(a_picture_in_use_is_replaced_not_deleted, setup, teardown),
      cmocka_unit_test_setup_teardown(a_check_queues_pictures_missing_a_file, setup, teardown),
  };
  return cmocka_run_group_tests_name("media", tests, NULL, NULL);
}
