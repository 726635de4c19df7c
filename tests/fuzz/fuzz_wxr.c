/*
** fuzz_wxr.c: libFuzzer target for the WXR reader. Any input must end in
** a result and a message, never a crash, a leak or a hang; every field a
** callback sees must be a readable string.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wxr.h"

/* Reads every byte of s, so that a bad pointer shows. */
static size_t touch(const char *s) {
  if (!s) abort();
  return strlen(s);
}

/* Checks a date field with the date parser. */
static void date(const char *s) {
  int64_t t;
  touch(s);
  (void)wxr_date(s, &t);
}

static int on_site(void *ud, const wxr_site *s) {
  (void)ud;
  touch(s->wxr_version), touch(s->title), touch(s->link), touch(s->description);
  touch(s->language), touch(s->base_site_url), touch(s->base_blog_url);
  return 0;
}

static int on_author(void *ud, const wxr_author *a) {
  (void)ud;
  touch(a->author_id), touch(a->login), touch(a->email), touch(a->display_name);
  touch(a->first_name), touch(a->last_name);
  return 0;
}

static int on_category(void *ud, const wxr_category *c) {
  int64_t id;
  (void)ud;
  (void)wxr_id(c->term_id, &id);
  touch(c->nicename), touch(c->parent), touch(c->name), touch(c->description);
  return 0;
}

static int on_tag(void *ud, const wxr_tag *t) {
  (void)ud;
  touch(t->term_id), touch(t->slug), touch(t->name), touch(t->description);
  return 0;
}

static int on_term(void *ud, const wxr_term *t) {
  (void)ud;
  touch(t->term_id), touch(t->taxonomy), touch(t->slug), touch(t->parent), touch(t->name);
  touch(t->description);
  return 0;
}

/* Reads every field of an item. */
static void item(const wxr_item *it) {
  int64_t id;
  touch(it->title), touch(it->link), touch(it->pub_date), touch(it->creator), touch(it->guid);
  touch(it->description), touch(it->content), touch(it->excerpt);
  (void)wxr_id(it->post_id, &id);
  date(it->post_date), date(it->post_date_gmt), date(it->post_modified);
  date(it->post_modified_gmt);
  touch(it->comment_status), touch(it->ping_status), touch(it->post_name), touch(it->status);
  touch(it->post_parent), touch(it->menu_order), touch(it->post_type), touch(it->post_password);
  touch(it->is_sticky), touch(it->attachment_url);
  for (size_t i = 0; i < it->term_count; i++)
    touch(it->terms[i].domain), touch(it->terms[i].nicename), touch(it->terms[i].name);
  for (size_t i = 0; i < it->meta_count; i++) touch(it->meta[i].key), touch(it->meta[i].value);
}

static int on_item(void *ud, const wxr_item *it) {
  (void)ud;
  item(it);
  return 0;
}

static int on_comment(void *ud, const wxr_item *it, const wxr_comment *c) {
  (void)ud;
  touch(it->title);
  touch(c->comment_id), touch(c->author), touch(c->author_email), touch(c->author_url);
  touch(c->author_ip), date(c->date), date(c->date_gmt), touch(c->content), touch(c->approved);
  touch(c->type), touch(c->parent), touch(c->user_id);
  for (size_t i = 0; i < c->meta_count; i++) touch(c->meta[i].key), touch(c->meta[i].value);
  return 0;
}

/* Stops the read at the fourth item, so that stopping is tried too. */
static int on_item_end(void *ud, const wxr_item *it) {
  (void)ud;
  item(it);
  return it->index == 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wxr_handler h = {.on_site = on_site, .on_author = on_author, .on_category = on_category,
                   .on_tag = on_tag, .on_term = on_term, .on_item = on_item,
                   .on_comment = on_comment, .on_item_end = on_item_end};
  char err[256];
  err[0] = 0;
  int rc = wxr_read_memory((const char *)data, size, &h, err, sizeof err);
  if (rc != 0 && !err[0]) abort();  /* every refusal says why */
  if (rc < 0 || rc > WXR_STOPPED) abort();
  return 0;
}
