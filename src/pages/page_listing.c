/*
** page_listing.c: the pages that list one category's, tag's or author's
** articles (see pages.h). All three render the category template with a
** "category" object that names what is listed.
*/
#include "pages.h"
#include "present.h"
#include "store.h"
#include "view.h"
#include "json.h"

/* Which articles a listing page shows. */
typedef enum { LIST_CATEGORY, LIST_TAG, LIST_AUTHOR } list_kind;

/* Loads the listed thing by slug into *what, with its url. Returns a
** store result. */
static int listing_subject(ctx *c, list_kind kind, const char *slug, cJSON **what) {
  static const char *const prefix[] = {"/category/", "/tag/", "/author/"};
  int rc = kind == LIST_CATEGORY ? category_load(c->db, c->now, slug, what)
           : kind == LIST_TAG    ? tag_load(c->db, c->now, slug, what)
                                 : author_load(c->db, c->now, slug, what);
  if (rc == STORE_OK) present_taxon(*what, prefix[kind]);
  return rc;
}

/* Renders the listing page of kind for the slug in the first route
** parameter. */
static int listing_page(ctx *c, list_kind kind) {
  long page;
  int st = page_number(c, &page);
  if (st) return st;
  cJSON *what = NULL;
  int rc = listing_subject(c, kind, ctx_param(c, 0), &what);
  if (rc != 0) return rc > 0 ? 404 : 500;
  long id = (long)json_num(what, "id");
  listing l = {.page = page};
  static const char *const tags[] = {"category", "tag", "author"};
  response_tag(&c->res, tags[kind], id);
  if (kind == LIST_CATEGORY) l.category_id = id;
  if (kind == LIST_TAG) l.tag_id = id;
  if (kind == LIST_AUTHOR) {
    l.author_id = id;
    /* The author's bio is the listing's description. */
    cJSON_AddStringToObject(what, "description",
                            json_str(what, "bio"));
    present_author_picture(what);
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "category", what);
  page_meta meta = {
      .kind = "category",
      .title = json_str(what, "name"),
      .description = cJSON_GetObjectItem(what, "description") ?
          json_str(what, "description") : NULL,
      .nav_current = kind == LIST_CATEGORY ? ctx_param(c, 0) : NULL,
      .subject = what,
      .subject_kind = tags[kind]};
  st = page_list(c, "category", doc, &l, json_str(what, "url"), &meta);
  cJSON_Delete(doc);
  return st;
}

int page_category(ctx *c) { return listing_page(c, LIST_CATEGORY); }
int page_tag(ctx *c) { return listing_page(c, LIST_TAG); }
int page_author(ctx *c) { return listing_page(c, LIST_AUTHOR); }
