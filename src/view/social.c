/*
** social.c: share pictures, Open Graph and Twitter cards (see social.h).
*/
#include "social.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "picture.h"

/* Adds {url, width, height} of the picture src (its url a site path or
** absolute) to the array sizes. */
static void image_size(const app *a, cJSON *sizes, const cJSON *src) {
  buf b = {0};
  app_absolute(a, json_str(src, "url"), &b);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "url", buf_str(&b));
  cJSON_AddNumberToObject(o, "width", json_num(src, "width"));
  cJSON_AddNumberToObject(o, "height", json_num(src, "height"));
  cJSON_AddItemToArray(sizes, o);
  buf_free(&b);
}

/* Returns the share picture object of the featured picture img. */
static cJSON *image_featured(const app *a, const cJSON *img, const char *title) {
  cJSON *o = cJSON_CreateObject();
  buf b = {0};
  app_absolute(a, json_str(img, "url"), &b);
  cJSON_AddStringToObject(o, "url", buf_str(&b));
  cJSON_AddNumberToObject(o, "width", json_num(img, "width"));
  cJSON_AddNumberToObject(o, "height", json_num(img, "height"));
  const char *alt = json_str(img, "alt");
  cJSON_AddStringToObject(o, "alt", *alt ? alt : title);
  cJSON_AddStringToObject(o, "type", json_str(img, "type"));
  cJSON_AddNumberToObject(o, "length", json_num(img, "length"));
  cJSON_AddBoolToObject(o, "featured", 1);
  cJSON *sizes = cJSON_AddArrayToObject(o, "sizes");
  const cJSON *s;
  cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(img, "sizes")) {
    if (*json_str(s, "url")) image_size(a, sizes, s);
  }
  if (cJSON_GetArraySize(sizes) == 0) image_size(a, sizes, img);
  buf_free(&b);
  return o;
}

/* Adds {url, width, height} of each JPEG of library picture rec to sizes,
** largest first. */
static void image_library_sizes(const app *a, cJSON *sizes, const cJSON *rec) {
  const cJSON *f;
  buf b = {0};
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(rec, "files")) {
    if (strcmp(json_str(f, "format"), "jpeg") != 0) continue;
    buf_printf(&b, "%s%s%s", a->base_url, PICTURE_PREFIX, json_str(f, "name"));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "url", buf_str(&b));
    cJSON_AddNumberToObject(o, "width", json_num(f, "width"));
    cJSON_AddNumberToObject(o, "height", json_num(f, "height"));
    cJSON_InsertItemInArray(sizes, 0, o);
    buf_reset(&b);
  }
  buf_free(&b);
}

/* Returns the share picture object of the library picture rec (picture.h):
** its JPEG of at most 1024 pixels as the picture, each JPEG as a size; NULL
** when it has no JPEG. */
static cJSON *image_library(const app *a, const cJSON *rec, const char *title) {
  const cJSON *f = picture_fallback(rec, 1024);
  if (!f) return NULL;
  cJSON *o = cJSON_CreateObject();
  buf b = {0};
  buf_printf(&b, "%s%s%s", a->base_url, PICTURE_PREFIX, json_str(f, "name"));
  cJSON_AddStringToObject(o, "url", buf_str(&b));
  cJSON_AddNumberToObject(o, "width", json_num(f, "width"));
  cJSON_AddNumberToObject(o, "height", json_num(f, "height"));
  const char *alt = json_str(rec, "alt");
  cJSON_AddStringToObject(o, "alt", *alt ? alt : title);
  cJSON_AddStringToObject(o, "type", "image/jpeg");
  cJSON_AddNumberToObject(o, "length", json_num(f, "bytes"));
  cJSON_AddBoolToObject(o, "featured", 1);
  image_library_sizes(a, cJSON_AddArrayToObject(o, "sizes"), rec);
  buf_free(&b);
  return o;
}

cJSON *social_image(const app *a, const cJSON *article) {
  const cJSON *img = cJSON_GetObjectItemCaseSensitive(article, "image");
  if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(img, "files"))) {
    cJSON *o = image_library(a, img, json_str(article, "title"));
    if (o) return o;
  } else if (img && *json_str(img, "url")) {
    return image_featured(a, img, json_str(article, "title"));
  }
  if (!*a->share_image) return NULL;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "url", a->share_image);
  cJSON_AddNumberToObject(o, "width", a->share_image_width);
  cJSON_AddNumberToObject(o, "height", a->share_image_height);
  cJSON_AddStringToObject(o, "alt", a->share_image_alt);
  cJSON_AddStringToObject(o, "type", "");
  cJSON_AddNumberToObject(o, "length", 0);
  cJSON_AddBoolToObject(o, "featured", 0);
  cJSON *sizes = cJSON_AddArrayToObject(o, "sizes");
  cJSON *one = cJSON_CreateObject();
  cJSON_AddStringToObject(one, "url", a->share_image);
  cJSON_AddNumberToObject(one, "width", a->share_image_width);
  cJSON_AddNumberToObject(one, "height", a->share_image_height);
  cJSON_AddItemToArray(sizes, one);
  return o;
}

/* Appends {key: name, content} to list, unless content is empty. */
static void tag_add(cJSON *list, const char *key, const char *name, const char *content) {
  if (!content || !*content) return;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, key, name);
  cJSON_AddStringToObject(o, "content", content);
  cJSON_AddItemToArray(list, o);
}

/* Appends the Open Graph property name with content to og. */
static void og_add(cJSON *og, const char *name, const char *content) {
  tag_add(og, "property", name, content);
}

/* Appends the number n as property name to og. */
static void og_number(cJSON *og, const char *name, double n) {
  char s[32];
  snprintf(s, sizeof s, "%.0f", n);
  if (n > 0) og_add(og, name, s);
}

/* Appends the article's own properties (article:*) to og. */
static void og_article(const app *a, cJSON *og, const cJSON *article) {
  og_add(og, "article:published_time", json_str(article, "published_at"));
  og_add(og, "article:modified_time", json_str(article, "updated_at"));
  og_add(og, "article:section",
         json_str(cJSON_GetObjectItemCaseSensitive(article, "category"), "name"));
  const cJSON *t;
  cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(article, "tags")) {
    og_add(og, "article:tag", json_str(t, "name"));
  }
  buf b = {0};
  app_absolute(a, json_str(cJSON_GetObjectItemCaseSensitive(article, "author"), "url"), &b);
  og_add(og, "article:author", buf_str(&b));
  buf_free(&b);
}

void social_cards(const app *a, cJSON *page, const page_meta *meta) {
  const cJSON *article = meta->article;
  int is_author = meta->subject_kind && strcmp(meta->subject_kind, "author") == 0;
  const char *title = article ? json_str(article, "title")
                      : meta->title && *meta->title ? meta->title
                                                    : json_str(a->site, "name");
  const char *desc = json_str(page, "description");
  const char *lang = article ? json_str(article, "lang") : a->lang;
  cJSON *image = social_image(a, article);
  cJSON *og = cJSON_AddArrayToObject(page, "og");
  og_add(og, "og:type", article ? "article" : is_author ? "profile" : "website");
  og_add(og, "og:title", title);
  og_add(og, "og:description", desc);
  og_add(og, "og:url", json_str(page, "canonical"));
  og_add(og, "og:site_name", json_str(a->site, "name"));
  og_add(og, "og:locale", app_locale(a, lang));
  if (image) {
    og_add(og, "og:image", json_str(image, "url"));
    og_add(og, "og:image:type", json_str(image, "type"));
    og_number(og, "og:image:width", json_num(image, "width"));
    og_number(og, "og:image:height", json_num(image, "height"));
    og_add(og, "og:image:alt", json_str(image, "alt"));
  }
  if (article) og_article(a, og, article);
  if (is_author && meta->subject) og_add(og, "profile:username", json_str(meta->subject, "username"));
  cJSON *tw = cJSON_AddArrayToObject(page, "twitter");
  tag_add(tw, "name", "twitter:card", image ? "summary_large_image" : "summary");
  tag_add(tw, "name", "twitter:site", a->twitter_site);
  tag_add(tw, "name", "twitter:title", title);
  tag_add(tw, "name", "twitter:description", desc);
  if (image) {
    tag_add(tw, "name", "twitter:image", json_str(image, "url"));
    tag_add(tw, "name", "twitter:image:alt", json_str(image, "alt"));
  }
  cJSON_Delete(image);
}
