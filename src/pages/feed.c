/*
** feed.c: Atom feeds of the newest articles, for feed readers.
**
**   GET /feed.xml                    the whole site
**   GET /category/{slug}/feed.xml    one category
*/
#include "feed.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "picture.h"
#include "present.h"
#include "store.h"
#include "view.h"
#include "json.h"

enum { FEED_ENTRIES = 20 };

/* Removes from every string of o the characters XML 1.0 does not allow
** (C0 controls but tab, LF and CR; U+FFFE, U+FFFF), which the site's
** forms accept as valid UTF-8 but a feed reader would choke on. */
static void feed_clean(cJSON *o) {
  cJSON *x;
  if (cJSON_IsString(o) && o->valuestring) escape_xml_clean(o->valuestring);
  cJSON_ArrayForEach(x, o) { feed_clean(x); }
}

/* Replaces the featured picture record of entry e by its enclosure {url,
** type, length}: the default size (a JPEG up to 1024 pixels wide). */
static void feed_enclosure(ctx *c, cJSON *e, buf *b) {
  const cJSON *rec = cJSON_GetObjectItemCaseSensitive(e, "image");
  const cJSON *f = cJSON_IsObject(rec) ? picture_fallback(rec, 1024) : NULL;
  if (f) {
    cJSON *enc = cJSON_AddObjectToObject(e, "enclosure");
    buf_puts(b, c->app->base_url);
    buf_puts(b, PICTURE_PREFIX);
    buf_puts(b, json_str(f, "name"));
    cJSON_AddStringToObject(enc, "url", buf_str(b));
    cJSON_AddStringToObject(enc, "type", "image/jpeg");
    cJSON_AddNumberToObject(enc, "length", json_num(f, "bytes"));
    buf_reset(b);
  }
  cJSON_DeleteItemFromObjectCaseSensitive(e, "image");
}

/* Presents the feed's card records: cards with their updated_at,
** absolute_url and the enclosure of their picture (body_html stays). */
static void feed_entries(ctx *c, cJSON *entries) {
  cJSON *e;
  buf b = {0};
  present_cards(c->app, entries, 1);
  cJSON_ArrayForEach(e, entries) {
    buf_puts(&b, c->app->base_url);
    buf_puts(&b, json_str(e, "url"));
    cJSON_AddStringToObject(e, "absolute_url", buf_str(&b));
    buf_reset(&b);
    feed_enclosure(c, e, &b);
  }
  buf_free(&b);
}

/* Renders feed.mustache over doc into the response (Atom). Returns the
** status answered. */
static int feed_render(ctx *c, cJSON *doc) {
  cJSON_AddItemReferenceToObject(doc, "site", c->app->site);
  return view_render(c, "feed", doc, "application/atom+xml; charset=utf-8", 200);
}

/* Builds and answers the feed of category (NULL: the whole site; taken
** over). Returns the status answered. */
static int feed_answer(ctx *c, cJSON *category) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *feed = cJSON_AddObjectToObject(doc, "feed");
  const char *site = json_str(c->app->site, "name");
  buf b = {0};
  long id = 0;
  if (category) {
    id = (long)json_num(category, "id");
    buf_printf(&b, "%s — %s", json_str(category, "name"), site);
  } else {
    buf_puts(&b, site);
  }
  cJSON_AddStringToObject(feed, "title", buf_str(&b));
  buf_reset(&b);
  buf_printf(&b, "%s%s", c->app->base_url,
             category ? json_str(category, "url") : "/");
  cJSON_AddStringToObject(feed, "home", buf_str(&b));
  buf_reset(&b);
  buf_puts(&b, c->app->base_url);
  buf_append(&b, c->req.raw_path, c->req.raw_path_len);
  cJSON_AddStringToObject(feed, "self", buf_str(&b));
  buf_free(&b);
  cJSON *entries = cJSON_AddArrayToObject(doc, "entries");
  int st = 500;
  if (article_feed(c->db, c->now, id, FEED_ENTRIES, entries) == STORE_OK) {
    response_tag(&c->res, id ? "category" : "feeds", id);
    view_tag_cards(c, entries);
    feed_entries(c, entries);
    /* The newest change of any entry (ISO times sort as text). */
    const char *updated = "1970-01-01T00:00:00Z";
    const cJSON *e;
    cJSON_ArrayForEach(e, entries) {
      const char *t = json_str(e, "updated_at");
      if (strcmp(t, updated) > 0) updated = t;
    }
    cJSON_AddStringToObject(feed, "updated", updated);
    feed_clean(doc);
    st = feed_render(c, doc);
  }
  cJSON_Delete(category);
  cJSON_Delete(doc);
  return st;
}

int feed_site(ctx *c) { return feed_answer(c, NULL); }

int feed_category(ctx *c) {
  cJSON *category = NULL;
  int rc = category_load(c->db, ctx_param(c, 0), &category);
  if (rc != STORE_OK) return rc > 0 ? 404 : 500;
  present_taxon(category, "/category/");
  return feed_answer(c, category);
}
