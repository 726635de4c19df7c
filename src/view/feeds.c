/*
** feeds.c: the feeds' model, entry ids and JSON Feed (see feeds.h).
*/
#include "feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "json.h"
#include "present.h"
#include "social.h"
#include "timefmt.h"

static const struct {
  const char *file, *type, *name;
} FORMATS[] = {
    [FEEDS_ATOM] = {"feed.xml", "application/atom+xml", "Atom"},
    [FEEDS_RSS] = {"feed.rss", "application/rss+xml", "RSS"},
    [FEEDS_JSON] = {"feed.json", "application/feed+json", "JSON Feed"},
};

const char *feeds_file(feeds_format f) { return FORMATS[f].file; }
const char *feeds_type(feeds_format f) { return FORMATS[f].type; }

/* Appends the three feeds under path ("/" or "/category/world/") named
** title to list. */
static void links_add(cJSON *list, const char *path, const char *title) {
  buf b = {0};
  for (int f = FEEDS_ATOM; f <= FEEDS_JSON; f++) {
    cJSON *o = cJSON_CreateObject();
    buf_reset(&b);
    buf_printf(&b, "%s%s", path, FORMATS[f].file);
    cJSON_AddStringToObject(o, "type", FORMATS[f].type);
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "href", buf_str(&b));
    cJSON_AddItemToArray(list, o);
  }
  buf_free(&b);
}

/* Appends pattern with {key} replaced by value (the pattern and a space
** and value when it has no {key}). */
static void fill(buf *out, const char *pattern, const char *key, const char *value) {
  char mark[32];
  snprintf(mark, sizeof mark, "{%s}", key);
  const char *at = strstr(pattern, mark);
  if (!at) {
    buf_printf(out, "%s %s", pattern, value);
    return;
  }
  buf_append(out, pattern, (size_t)(at - pattern));
  buf_puts(out, value);
  buf_puts(out, at + strlen(mark));
}

void feeds_comments_title(const app *a, const char *title, buf *out) {
  fill(out, catalog_text(a->ui, "feed_comments_title"), "title", title);
}

cJSON *feeds_links(const app *a, const page_meta *meta) {
  cJSON *list = cJSON_CreateArray();
  const char *site = json_str(a->site, "name");
  buf path = {0}, title = {0};
  if (meta->subject && meta->subject_kind && !strcmp(meta->subject_kind, "category")) {
    /* A subsection's feeds are under its slug, not its path: the rest of
    ** a path below /category/ names a category. */
    escape_path(&path, "/category/", json_str(meta->subject, "slug"));
    buf_putc(&path, '/');
    buf_printf(&title, "%s — %s", json_str(meta->subject, "name"), site);
  } else if (meta->subject) {
    buf_printf(&path, "%s/", json_str(meta->subject, "url"));
    buf_printf(&title, "%s — %s", json_str(meta->subject, "name"), site);
  } else if (meta->article) {
    buf_printf(&path, "%s/comments/", json_str(meta->article, "url"));
    feeds_comments_title(a, json_str(meta->article, "title"), &title);
  }
  if (path.len) links_add(list, buf_str(&path), buf_str(&title));
  links_add(list, "/", site);
  buf_free(&path);
  buf_free(&title);
  return list;
}

void feeds_tag_uri(const app *a, const char *thing, time_t t, buf *out) {
  /* The host of base_url, as a DNS name: lower case, no port. */
  const char *h = strstr(a->base_url, "://");
  h = h ? h + 3 : a->base_url;
  buf_puts(out, "tag:");
  for (; *h && *h != ':' && *h != '/'; h++) {
    char ch = *h >= 'A' && *h <= 'Z' ? (char)(*h - 'A' + 'a') : *h;
    buf_putc(out, (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ? ch : '-');
  }
  struct tm tm;
  gmtime_r(&t, &tm);
  buf_printf(out, ",%04d-%02d-%02d:%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, thing);
}

/* Sets member key of o to the string in b, then empties b. */
static void set_buf(cJSON *o, const char *key, buf *b) {
  cJSON_DeleteItemFromObjectCaseSensitive(o, key);
  cJSON_AddStringToObject(o, key, buf_str(b));
  buf_reset(b);
}

/* Makes the site path in member "url" of o absolute. */
static void absolute_url(const app *a, cJSON *o, buf *b) {
  if (!o) return;
  app_absolute(a, json_str(o, "url"), b);
  set_buf(o, "url", b);
}

/* Adds published_http, the HTTP (RFC 822) form of the ISO time in
** published_at, to e. */
static void add_http_time(cJSON *e, buf *b) {
  time_t t = 0;
  time_parse_iso(json_str(e, "published_at"), &t);
  time_http(b, t);
  set_buf(e, "published_http", b);
}

/* Adds the featured picture of article e as its enclosure. */
static void add_enclosure(const app *a, cJSON *e) {
  cJSON *img = social_image(a, e);
  if (img && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(img, "featured"))) {
    cJSON *enc = cJSON_AddObjectToObject(e, "enclosure");
    cJSON_AddStringToObject(enc, "url", json_str(img, "url"));
    cJSON_AddStringToObject(enc, "type", json_str(img, "type"));
    cJSON_AddNumberToObject(enc, "length", json_num(img, "length"));
  }
  cJSON_Delete(img);
}

/* Appends to out the attribute value v[0..n) of srcset (src set) or of
** href or src, with each site path ("/media/...", not "//host/...") made
** absolute. */
static void absolute_value(const app *a, const char *v, size_t n, int srcset, buf *out) {
  for (size_t i = 0; i < n;) {
    size_t len = srcset ? strcspn(v + i, ",") : n - i;
    if (len > n - i) len = n - i;
    size_t lead = 0;
    while (lead < len && v[i + lead] == ' ') lead++;
    buf_append(out, v + i, lead);
    if (lead < len && v[i + lead] == '/' && (lead + 1 == len || v[i + lead + 1] != '/'))
      buf_puts(out, a->base_url);
    buf_append(out, v + i + lead, len - lead);
    i += len;
    if (i < n) buf_putc(out, v[i++]); /* the comma */
  }
}

/* Returns html (HTML the site made: attributes in double quotes) with the
** site paths of its href, src and srcset attributes absolute, as a feed
** reader needs them (an RSS item has no base address). The caller frees
** it. */
static char *absolute_html(const app *a, const char *html) {
  static const struct { const char *name; int srcset; } attrs[] = {
      {" href=\"", 0}, {" src=\"", 0}, {" srcset=\"", 1}};
  buf out = {0};
  const char *p = html, *q = html;
  /* One pass: each space is looked at once for an attribute after it. */
  while ((q = strchr(q, ' ')) != NULL) {
    size_t k = 0, len = 0;
    for (; k < sizeof attrs / sizeof attrs[0]; k++) {
      len = strlen(attrs[k].name);
      if (strncmp(q, attrs[k].name, len) == 0) break;
    }
    const char *v = q + len, *end = k < sizeof attrs / sizeof attrs[0] ? strchr(v, '"') : NULL;
    if (!end) {
      q++;
      continue;
    }
    buf_append(&out, p, (size_t)(v - p));
    absolute_value(a, v, (size_t)(end - v), attrs[k].srcset, &out);
    p = q = end;
  }
  buf_puts(&out, p);
  return out.data ? out.data : strdup("");
}

void feeds_articles(const app *a, cJSON *entries) {
  buf b = {0};
  cJSON *e;
  cJSON_ArrayForEach(e, entries) {
    char thing[48];
    snprintf(thing, sizeof thing, "article-%ld", json_long(e, "id"));
    feeds_tag_uri(a, thing, (time_t)json_num(e, "created_at"), &b);
    set_buf(e, "tag_uri", &b);
    add_enclosure(a, e);
    char *html = absolute_html(a, json_str(e, "body_html"));
    cJSON_DeleteItemFromObjectCaseSensitive(e, "body_html");
    cJSON_AddStringToObject(e, "body_html", html);
    free(html);
    present_card(a, e, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(e, "id");
    cJSON_AddItemToObject(e, "id", cJSON_DetachItemFromObjectCaseSensitive(e, "tag_uri"));
    absolute_url(a, e, &b);
    buf_printf(&b, "%s#comments", json_str(e, "url"));
    set_buf(e, "comments_url", &b);
    absolute_url(a, cJSON_GetObjectItemCaseSensitive(e, "author"), &b);
    absolute_url(a, cJSON_GetObjectItemCaseSensitive(e, "category"), &b);
    present_taxa(cJSON_GetObjectItemCaseSensitive(e, "tags"), "/tag/");
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(e, "tags")) { absolute_url(a, t, &b); }
    add_http_time(e, &b);
  }
  buf_free(&b);
}

void feeds_comments(const app *a, cJSON *entries, const cJSON *article) {
  buf b = {0};
  cJSON *e;
  present_comments(a, entries);
  cJSON_ArrayForEach(e, entries) {
    char thing[48];
    long id = json_long(e, "id");
    time_t t = 0;
    time_parse_iso(json_str(e, "created_at"), &t);
    snprintf(thing, sizeof thing, "comment-%ld", id);
    feeds_tag_uri(a, thing, t, &b);
    set_buf(e, "tag_uri", &b);
    cJSON_DeleteItemFromObjectCaseSensitive(e, "id");
    cJSON_AddItemToObject(e, "id", cJSON_DetachItemFromObjectCaseSensitive(e, "tag_uri"));
    const char *name = json_str(e, "author_name");
    fill(&b, catalog_text(a->ui, "feed_comment_title"), "name", name);
    set_buf(e, "title", &b);
    buf_printf(&b, "%s#comment-%ld", json_str(article, "canonical_url"), id);
    set_buf(e, "url", &b);
    cJSON_AddStringToObject(e, "published_at", json_str(e, "created_at"));
    cJSON_AddStringToObject(e, "updated_at", json_str(e, "created_at"));
    cJSON_AddStringToObject(e, "lang", json_str(article, "lang"));
    cJSON *au = cJSON_AddObjectToObject(e, "author");
    cJSON_AddStringToObject(au, "name", name);
    add_http_time(e, &b);
  }
  buf_free(&b);
}

/* Returns the JSON Feed author {name, url} of o (url left out when o has
** none). */
static cJSON *json_author(const cJSON *o) {
  cJSON *au = cJSON_CreateObject();
  cJSON_AddStringToObject(au, "name", json_str(o, "name"));
  if (*json_str(o, "url")) cJSON_AddStringToObject(au, "url", json_str(o, "url"));
  return au;
}

/* Returns the JSON Feed item of entry e. */
static cJSON *json_item(const cJSON *e) {
  cJSON *it = cJSON_CreateObject();
  cJSON_AddStringToObject(it, "id", json_str(e, "id"));
  cJSON_AddStringToObject(it, "url", json_str(e, "url"));
  cJSON_AddStringToObject(it, "title", json_str(e, "title"));
  cJSON_AddStringToObject(it, "content_html", json_str(e, "body_html"));
  if (*json_str(e, "summary")) cJSON_AddStringToObject(it, "summary", json_str(e, "summary"));
  const cJSON *enc = cJSON_GetObjectItemCaseSensitive(e, "enclosure");
  if (enc) cJSON_AddStringToObject(it, "image", json_str(enc, "url"));
  cJSON_AddStringToObject(it, "date_published", json_str(e, "published_at"));
  cJSON_AddStringToObject(it, "date_modified", json_str(e, "updated_at"));
  cJSON *authors = cJSON_AddArrayToObject(it, "authors");
  cJSON_AddItemToArray(authors, json_author(cJSON_GetObjectItemCaseSensitive(e, "author")));
  const cJSON *cat = cJSON_GetObjectItemCaseSensitive(e, "category");
  const cJSON *tags = cJSON_GetObjectItemCaseSensitive(e, "tags"), *t;
  if (cat || cJSON_GetArraySize(tags) > 0) {
    cJSON *list = cJSON_AddArrayToObject(it, "tags");
    if (cat) cJSON_AddItemToArray(list, cJSON_CreateString(json_str(cat, "name")));
    cJSON_ArrayForEach(t, tags) { cJSON_AddItemToArray(list, cJSON_CreateString(json_str(t, "name"))); }
  }
  cJSON_AddStringToObject(it, "language", json_str(e, "lang"));
  return it;
}

cJSON *feeds_json(const cJSON *doc) {
  const cJSON *feed = cJSON_GetObjectItemCaseSensitive(doc, "feed"), *e;
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "version", "https://jsonfeed.org/version/1.1");
  cJSON_AddStringToObject(j, "title", json_str(feed, "title"));
  cJSON_AddStringToObject(j, "home_page_url", json_str(feed, "home"));
  cJSON_AddStringToObject(j, "feed_url", json_str(feed, "self"));
  cJSON_AddStringToObject(j, "description", json_str(feed, "subtitle"));
  if (*json_str(feed, "logo")) cJSON_AddStringToObject(j, "icon", json_str(feed, "logo"));
  if (*json_str(feed, "icon")) cJSON_AddStringToObject(j, "favicon", json_str(feed, "icon"));
  cJSON_AddStringToObject(j, "language", json_str(feed, "lang"));
  cJSON *items = cJSON_AddArrayToObject(j, "items");
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "entries")) {
    cJSON_AddItemToArray(items, json_item(e));
  }
  return j;
}
