/*
** Unit tests: the view: error answers (a page for browsers, a problem
** object for the API), the frame every page gets, and pagination.
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
#include "demo.h"
#include "feeds.h"
#include "i18n.h"
#include "json.h"
#include "present.h"
#include "social.h"
#include "store.h"
#include "view.h"

typedef struct fixture {
  db *d;
  app *a;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!(f->d = unit_db(f->path, sizeof f->path, "view"))) return -1;
  if (unit_demo(f->d) != 0) return -1;
  f->a = unit_app(f->d);
  *state = f;
  return f->a ? 0 : -1;
}

static int teardown(void **state) {
  fixture *f = *state;
  app_free(f->a);
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* Sets c up as a GET of uri. */
static void ctx_for(ctx *c, char **env, char *uri_param, fixture *f, const char *uri) {
  memset(c, 0, sizeof *c);
  snprintf(uri_param, 1100, "REQUEST_URI=%s", uri);
  env[0] = "REQUEST_METHOD=GET";
  env[1] = uri_param;
  env[2] = NULL;
  c->app = f->a;
  c->db = f->d;
  c->now = time(NULL);
  request_parse(&c->req, env);
}

static void errors_are_pages_for_readers_and_problems_for_apps(void **state) {
  fixture *f = *state;
  ctx c;
  char *env[3], uri[1100];
  ctx_for(&c, env, uri, f, "/nowhere");
  assert_int_equal(view_error(&c, 404, NULL), 404);
  assert_int_equal(c.res.status, 404);
  assert_string_equal(c.res.content_type, "text/html; charset=utf-8");
  assert_non_null(strstr(buf_str(&c.res.body), "</html>"));
  assert_non_null(strstr(buf_str(&c.res.body), catalog_text(f->a->ui, "error_404")));
  response_free(&c.res);
  request_free(&c.req);

  ctx_for(&c, env, uri, f, "/api/v1/nowhere");
  assert_int_equal(view_error(&c, 404, "No such thing."), 404);
  assert_string_equal(c.res.content_type, "application/problem+json");
  cJSON *p = cJSON_Parse(buf_str(&c.res.body));
  assert_non_null(p);
  assert_int_equal(cJSON_GetObjectItem(p, "status")->valueint, 404);
  assert_string_equal(cJSON_GetObjectItem(p, "detail")->valuestring, "No such thing.");
  assert_string_equal(cJSON_GetObjectItem(p, "title")->valuestring, "Not Found");
  cJSON_Delete(p);
  response_free(&c.res);
  request_free(&c.req);

  ctx_for(&c, env, uri, f, "/api/v1/articles");
  assert_int_equal(view_problem(&c, 400, "Bad.", "page", "must be a number"), 400);
  p = cJSON_Parse(buf_str(&c.res.body));
  const cJSON *ip = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "invalid_params"), 0);
  assert_string_equal(cJSON_GetObjectItem(ip, "name")->valuestring, "page");
  assert_string_equal(cJSON_GetObjectItem(ip, "reason")->valuestring, "must be a number");
  cJSON_Delete(p);
  response_free(&c.res);
  request_free(&c.req);
}

static void pages_get_the_frame_and_mark_their_section(void **state) {
  fixture *f = *state;
  ctx c;
  char *env[3], uri[1100];
  ctx_for(&c, env, uri, f, "/category/world");
  cJSON *doc = cJSON_CreateObject();
  cJSON *cat = cJSON_AddObjectToObject(doc, "category");
  cJSON_AddStringToObject(cat, "name", "World");
  cJSON_AddStringToObject(cat, "description", "");
  cJSON_AddStringToObject(cat, "url", "/category/world");
  cJSON_AddArrayToObject(doc, "articles");
  view_pagination(doc, "/category/world", 1, 0, 10);
  page_meta meta = {.kind = "category", .title = "World", .nav_current = "world"};
  assert_int_equal(view_page(&c, "category", doc, &meta, 200), 200);
  const char *html = buf_str(&c.res.body);
  assert_non_null(strstr(html, "<title>World — "));
  assert_non_null(strstr(html, "aria-current=\"page\""));
  cJSON *nav = cJSON_GetObjectItem(doc, "nav"), *o;
  int current = 0;
  cJSON_ArrayForEach(o, nav) {
    if (cJSON_IsTrue(cJSON_GetObjectItem(o, "current")))
      current++, assert_string_equal(cJSON_GetObjectItem(o, "slug")->valuestring, "world");
  }
  assert_int_equal(current, 1);
  cJSON_Delete(doc);
  response_free(&c.res);
  request_free(&c.req);
}

static void a_missing_template_is_a_plain_500(void **state) {
  fixture *f = *state;
  ctx c;
  char *env[3], uri[1100];
  ctx_for(&c, env, uri, f, "/");
  cJSON *doc = cJSON_CreateObject();
  assert_int_equal(view_render(&c, "no_such_template", doc, "text/html", 200), 500);
  assert_string_equal(c.res.content_type, "text/plain; charset=utf-8");
  cJSON_Delete(doc);
  response_free(&c.res);
  request_free(&c.req);
}

static void pagination_links_pages(void **state) {
  (void)state;
  cJSON *doc = cJSON_CreateObject();
  view_pagination(doc, "/search?q=port", 2, 35, 10);
  cJSON *p = cJSON_GetObjectItem(doc, "pagination");
  assert_int_equal(cJSON_GetObjectItem(p, "total_pages")->valueint, 4);
  assert_string_equal(cJSON_GetObjectItem(p, "prev_url")->valuestring, "/search?q=port");
  assert_string_equal(cJSON_GetObjectItem(p, "next_url")->valuestring, "/search?q=port&page=3");
  assert_string_equal(cJSON_GetObjectItem(p, "url")->valuestring, "/search?q=port&page=2");
  cJSON_Delete(doc);
  /* A search for 200 Chinese characters: 1,810 bytes once escaped. Its
  ** links to the next and previous pages keep the whole query. */
  buf base = {0}, want = {0};
  buf_puts(&base, "/search?q=");
  for (int i = 0; i < 200; i++) buf_puts(&base, "%E6%96%B0");
  doc = cJSON_CreateObject();
  view_pagination(doc, buf_str(&base), 3, 35, 10);
  p = cJSON_GetObjectItem(doc, "pagination");
  buf_printf(&want, "%s&page=4", buf_str(&base));
  assert_string_equal(cJSON_GetObjectItem(p, "next_url")->valuestring, buf_str(&want));
  buf_reset(&want);
  buf_printf(&want, "%s&page=2", buf_str(&base));
  assert_string_equal(cJSON_GetObjectItem(p, "prev_url")->valuestring, buf_str(&want));
  buf_free(&base);
  buf_free(&want);
  cJSON_Delete(doc);
  doc = cJSON_CreateObject();
  view_pagination(doc, "/", 1, 0, 10);
  p = cJSON_GetObjectItem(doc, "pagination");
  assert_int_equal(cJSON_GetObjectItem(p, "total_pages")->valueint, 1);
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "prev_url")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "next_url")));
  cJSON_Delete(doc);
}

/* Adds a file of the picture library to the array files. */
static void add_file(cJSON *files, const char *name, const char *format, int width, int bytes) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "name", name);
  cJSON_AddStringToObject(f, "format", format);
  cJSON_AddNumberToObject(f, "width", width);
  cJSON_AddNumberToObject(f, "height", width * 9 / 16);
  cJSON_AddNumberToObject(f, "bytes", bytes);
  cJSON_AddItemToArray(files, f);
}

/* Gives the article record a a featured picture of the library (picture.h)
** in three JPEG sizes and a WebP one, as the store attaches it. */
static void add_featured(cJSON *a) {
  cJSON *img = cJSON_CreateObject();
  cJSON_AddNumberToObject(img, "id", 7);
  cJSON_AddNumberToObject(img, "width", 2000);
  cJSON_AddNumberToObject(img, "height", 1125);
  cJSON_AddStringToObject(img, "type", "jpeg");
  cJSON_AddStringToObject(img, "alt", "The new quay at dawn");
  cJSON_AddStringToObject(img, "caption", "");
  cJSON_AddStringToObject(img, "credit", "");
  cJSON *files = cJSON_AddArrayToObject(img, "files");
  add_file(files, "quay-640.webp", "webp", 640, 23456);
  add_file(files, "quay-640.jpg", "jpeg", 640, 45678);
  add_file(files, "quay-1024.jpg", "jpeg", 1024, 345678);
  add_file(files, "quay-2000.jpg", "jpeg", 2000, 999999);
  if (cJSON_GetObjectItemCaseSensitive(a, "image"))
    cJSON_ReplaceItemInObjectCaseSensitive(a, "image", img);
  else
    cJSON_AddItemToObject(a, "image", img);
}

static void a_featured_picture_is_shared_everywhere_else_the_default(void **state) {
  fixture *f = *state;
  cJSON *article = NULL;
  assert_int_equal(article_load(f->d, time(NULL), "port-halvards-flood-gates-and-the-long-wait", 0,
                                &article), STORE_OK);
  /* Without a picture of its own: the site's default. */
  cJSON *img = social_image(f->a, article);
  assert_false(cJSON_IsTrue(cJSON_GetObjectItem(img, "featured")));
  assert_string_equal(json_str(img, "url"), "http://127.0.0.1:8080/static/share.png");
  assert_int_equal(json_long(img, "width"), 1200);
  cJSON_Delete(img);
  add_featured(article);
  img = social_image(f->a, article);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(img, "featured")));
  assert_string_equal(json_str(img, "url"), "http://127.0.0.1:8080/media/quay-1024.jpg");
  assert_string_equal(json_str(img, "alt"), "The new quay at dawn");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(img, "sizes")), 3);
  cJSON_Delete(img);

  /* The page's cards and structured data show it, in every size. */
  ctx c;
  char *env[3], uri[1100];
  ctx_for(&c, env, uri, f, "/articles/port-halvards-flood-gates-and-the-long-wait");
  present_article(f->a, article);
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemReferenceToObject(doc, "article", article);
  page_meta meta = {.kind = "article", .title = json_str(article, "title"), .article = article};
  assert_int_equal(view_page(&c, "article", doc, &meta, 200), 200);
  const char *html = buf_str(&c.res.body);
  assert_non_null(strstr(html, "<meta property=\"og:image\" content=\"http://127.0.0.1:8080/media/quay-1024.jpg\">"));
  assert_non_null(strstr(html, "<meta property=\"og:image:type\" content=\"image/jpeg\">"));
  assert_non_null(strstr(html, "<meta property=\"og:image:width\" content=\"1024\">"));
  assert_non_null(strstr(html, "<meta property=\"og:image:alt\" content=\"The new quay at dawn\">"));
  assert_non_null(strstr(html, "\"image\":[{\"@type\":\"ImageObject\",\"url\":\"http://127.0.0.1:8080/media/quay-2000.jpg\","
                               "\"width\":2000,\"height\":1125},{\"@type\":\"ImageObject\",\"url\":"
                               "\"http://127.0.0.1:8080/media/quay-1024.jpg\",\"width\":1024,\"height\":576},"
                               "{\"@type\":\"ImageObject\",\"url\":\"http://127.0.0.1:8080/media/quay-640.jpg\","
                               "\"width\":640,\"height\":360}]"));
  cJSON_Delete(doc);
  response_free(&c.res);
  request_free(&c.req);
  cJSON_Delete(article);

  /* A feed's entry carries it as its enclosure; one without has none. */
  cJSON *entries = cJSON_CreateArray();
  listing l = {0};
  assert_int_equal(article_feed(f->d, time(NULL), &l, 2, entries), STORE_OK);
  add_featured(cJSON_GetArrayItem(entries, 0));
  feeds_articles(f->a, entries);
  const cJSON *enc = cJSON_GetObjectItem(cJSON_GetArrayItem(entries, 0), "enclosure");
  assert_string_equal(json_str(enc, "url"), "http://127.0.0.1:8080/media/quay-1024.jpg");
  assert_string_equal(json_str(enc, "type"), "image/jpeg");
  assert_int_equal(json_long(enc, "length"), 345678);
  assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(entries, 1), "enclosure"));
  cJSON_Delete(entries);
}

static void a_tag_uri_names_the_host_and_the_day(void **state) {
  fixture *f = *state;
  buf b = {0};
  feeds_tag_uri(f->a, "article-12", 1795768200, &b);
  assert_string_equal(buf_str(&b), "tag:127.0.0.1,2026-11-27:article-12");
  buf_free(&b);
}

/* Writes text to dir/name. */
static void write_file(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void a_catalogue_naming_a_string_twice_stops_the_start(void **state) {
  (void)state;
  char dir[] = "/tmp/gazette-test-i18n-XXXXXX", err[512] = "";
  assert_non_null(mkdtemp(dir));
  write_file(dir, "en.json", "{\"lang\": \"en\", \"dir\": \"ltr\", \"locale\": \"en_US\","
                             " \"strings\": {\"save\": \"Save\", \"save\": \"Keep\"}}");
  i18n *l = i18n_load(dir, err, sizeof err);
  assert_null(l);
  assert_non_null(strstr(err, "en.json"));
  assert_non_null(strstr(err, "duplicate"));
  char path[600];
  snprintf(path, sizeof path, "%s/en.json", dir);
  remove(path);
  rmdir(dir);
  /* The site's own catalogues name each string once. */
  snprintf(path, sizeof path, "%s/www/i18n", unit_root());
  l = i18n_load(path, err, sizeof err);
  if (!l) fprintf(stderr, "%s\n", err);
  assert_non_null(l);
  i18n_free(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(errors_are_pages_for_readers_and_problems_for_apps),
      cmocka_unit_test(pages_get_the_frame_and_mark_their_section),
      cmocka_unit_test(a_missing_template_is_a_plain_500),
      cmocka_unit_test(pagination_links_pages),
      cmocka_unit_test(a_featured_picture_is_shared_everywhere_else_the_default),
      cmocka_unit_test(a_tag_uri_names_the_host_and_the_day),
      cmocka_unit_test(a_catalogue_naming_a_string_twice_stops_the_start),
  };
  return cmocka_run_group_tests_name("view", tests, setup, teardown);
}
