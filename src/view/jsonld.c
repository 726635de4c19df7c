/*
** jsonld.c: schema.org structured data (see jsonld.h).
*/
#include "jsonld.h"

#include <string.h>

#include "json.h"
#include "social.h"

/* Returns a new node {"@type": type}. */
static cJSON *node(const char *type) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "@type", type);
  return o;
}

/* Adds to o, as key, the absolute address of where (a site path or an
** absolute address). */
static void add_address(const app *a, cJSON *o, const char *key, const char *where) {
  buf b = {0};
  app_absolute(a, where, &b);
  cJSON_AddStringToObject(o, key, buf_str(&b));
  buf_free(&b);
}

/* Returns the publisher: an Organization with its name, address and logo
** (and its profile on X, when the site has one). */
static cJSON *jsonld_organization(const app *a) {
  cJSON *o = node("Organization");
  buf b = {0};
  buf_printf(&b, "%s/#organization", a->base_url);
  cJSON_AddStringToObject(o, "@id", buf_str(&b));
  cJSON_AddStringToObject(o, "name", a->publisher_name);
  add_address(a, o, "url", "/");
  if (*a->publisher_logo) {
    cJSON *logo = node("ImageObject");
    cJSON_AddStringToObject(logo, "url", a->publisher_logo);
    cJSON_AddItemToObject(o, "logo", logo);
  }
  if (*a->twitter_site) {
    buf_reset(&b);
    buf_printf(&b, "https://x.com/%s", a->twitter_site + 1);
    cJSON *same = cJSON_AddArrayToObject(o, "sameAs");
    cJSON_AddItemToArray(same, cJSON_CreateString(buf_str(&b)));
  }
  buf_free(&b);
  return o;
}

/* Returns the article's pictures as ImageObjects, one per size. */
static cJSON *jsonld_images(const app *a, const cJSON *article) {
  cJSON *list = cJSON_CreateArray();
  cJSON *img = social_image(a, article);
  const cJSON *s;
  cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(img, "sizes")) {
    cJSON *o = node("ImageObject");
    cJSON_AddStringToObject(o, "url", json_str(s, "url"));
    cJSON_AddNumberToObject(o, "width", json_num(s, "width"));
    cJSON_AddNumberToObject(o, "height", json_num(s, "height"));
    cJSON_AddItemToArray(list, o);
  }
  cJSON_Delete(img);
  return list;
}

/* Returns the ListItem at position pos named name, for the page at url. */
static cJSON *crumb(int pos, const char *name, const char *url) {
  cJSON *o = node("ListItem");
  cJSON_AddNumberToObject(o, "position", pos);
  cJSON_AddStringToObject(o, "name", name);
  cJSON_AddStringToObject(o, "item", url);
  return o;
}

/* Returns the article's BreadcrumbList: the home page, its section, the
** article itself. */
static cJSON *jsonld_breadcrumbs(const app *a, const cJSON *article, const char *canonical) {
  cJSON *o = node("BreadcrumbList");
  cJSON *items = cJSON_AddArrayToObject(o, "itemListElement");
  const cJSON *cat = cJSON_GetObjectItemCaseSensitive(article, "category");
  buf b = {0};
  app_absolute(a, "/", &b);
  cJSON_AddItemToArray(items, crumb(1, json_str(a->site, "name"), buf_str(&b)));
  buf_reset(&b);
  app_absolute(a, json_str(cat, "url"), &b);
  cJSON_AddItemToArray(items, crumb(2, json_str(cat, "name"), buf_str(&b)));
  cJSON_AddItemToArray(items, crumb(3, json_str(article, "title"), canonical));
  buf_free(&b);
  return o;
}

/* Returns the article's NewsArticle. */
static cJSON *jsonld_news_article(const app *a, const cJSON *article, const char *canonical) {
  cJSON *o = node("NewsArticle");
  cJSON_AddStringToObject(o, "@id", canonical);
  cJSON_AddStringToObject(o, "headline", json_str(article, "title"));
  const char *desc = cJSON_GetObjectItemCaseSensitive(article, "description")
                         ? json_str(article, "description") : json_str(article, "summary");
  if (*desc) cJSON_AddStringToObject(o, "description", desc);
  cJSON_AddStringToObject(o, "url", canonical);
  cJSON *images = jsonld_images(a, article);
  if (cJSON_GetArraySize(images) > 0) cJSON_AddItemToObject(o, "image", images);
  else cJSON_Delete(images);
  cJSON_AddStringToObject(o, "datePublished", json_str(article, "published_at"));
  cJSON_AddStringToObject(o, "dateModified", json_str(article, "updated_at"));
  const cJSON *au = cJSON_GetObjectItemCaseSensitive(article, "author");
  cJSON *person = node("Person");
  cJSON_AddStringToObject(person, "name", json_str(au, "name"));
  add_address(a, person, "url", json_str(au, "url"));
  cJSON_AddItemToObject(o, "author", person);
  cJSON_AddItemToObject(o, "publisher", jsonld_organization(a));
  cJSON *page = node("WebPage");
  cJSON_AddStringToObject(page, "@id", canonical);
  cJSON_AddItemToObject(o, "mainEntityOfPage", page);
  cJSON_AddStringToObject(o, "articleSection",
                          json_str(cJSON_GetObjectItemCaseSensitive(article, "category"), "name"));
  buf k = {0};
  const cJSON *t;
  cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(article, "tags")) {
    if (k.len) buf_puts(&k, ", ");
    buf_puts(&k, json_str(t, "name"));
  }
  cJSON_AddStringToObject(o, "keywords", buf_str(&k));
  buf_free(&k);
  cJSON_AddStringToObject(o, "inLanguage", json_str(article, "lang"));
  cJSON_AddBoolToObject(o, "isAccessibleForFree", 1);
  return o;
}

/* Returns the home page's WebSite, with the search readers may run. */
static cJSON *jsonld_website(const app *a) {
  cJSON *o = node("WebSite");
  buf b = {0};
  buf_printf(&b, "%s/#website", a->base_url);
  cJSON_AddStringToObject(o, "@id", buf_str(&b));
  cJSON_AddStringToObject(o, "name", json_str(a->site, "name"));
  add_address(a, o, "url", "/");
  cJSON_AddStringToObject(o, "inLanguage", a->lang);
  cJSON *pub = cJSON_AddObjectToObject(o, "publisher");
  buf_reset(&b);
  buf_printf(&b, "%s/#organization", a->base_url);
  cJSON_AddStringToObject(pub, "@id", buf_str(&b));
  cJSON *action = node("SearchAction");
  cJSON *target = node("EntryPoint");
  buf_reset(&b);
  buf_printf(&b, "%s/search?q={search_term_string}", a->base_url);
  cJSON_AddStringToObject(target, "urlTemplate", buf_str(&b));
  cJSON_AddItemToObject(action, "target", target);
  cJSON_AddStringToObject(action, "query-input", "required name=search_term_string");
  cJSON_AddItemToObject(o, "potentialAction", action);
  buf_free(&b);
  return o;
}

cJSON *jsonld_page(const app *a, const page_meta *meta, const char *canonical) {
  int home = strcmp(meta->kind, "home") == 0;
  if (!meta->article && !home) return NULL;
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "@context", "https://schema.org");
  cJSON *graph = cJSON_AddArrayToObject(doc, "@graph");
  if (meta->article) {
    cJSON_AddItemToArray(graph, jsonld_news_article(a, meta->article, canonical));
    cJSON_AddItemToArray(graph, jsonld_breadcrumbs(a, meta->article, canonical));
  } else {
    cJSON_AddItemToArray(graph, jsonld_website(a));
    cJSON_AddItemToArray(graph, jsonld_organization(a));
  }
  return doc;
}
