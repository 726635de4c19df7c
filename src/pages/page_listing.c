/*
** page_listing.c: the pages that list one category's, tag's or author's
** articles (see pages.h). All three render the category template with a
** "category" object that names what is listed; a category's page adds its
** breadcrumbs (the sections above it) and its subsections.
*/
#include <string.h>

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

/* Adds to doc the category's breadcrumbs ("trail": the sections above it
** and itself, the top one first) and its subsections ("sections"), each
** with its url. Returns 0 or 500. */
static int listing_sections(ctx *c, cJSON *doc, long id) {
  cJSON *subs = cJSON_AddArrayToObject(doc, "sections");
  if (view_trail(c, doc, id, 1) != 0 || category_children(c->db, c->now, id, subs) != STORE_OK)
    return 500;
  present_taxa(subs, "/category/");
  cJSON_AddBoolToObject(doc, "has_sections", cJSON_GetArraySize(subs) > 0);
  return 0;
}

/* Renders the listing page of kind for slug. */
static int listing_page(ctx *c, list_kind kind, const char *slug) {
  long page;
  int st = page_number(c, &page);
  if (st) return st;
  cJSON *what = NULL;
  int rc = listing_subject(c, kind, slug, &what);
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
  if (kind == LIST_CATEGORY) st = listing_sections(c, doc, id);
  page_meta meta = {
      .kind = "category",
      .title = json_str(what, "name"),
      .description = cJSON_GetObjectItem(what, "description") ?
          json_str(what, "description") : NULL,
      .nav_current = kind == LIST_CATEGORY ? json_str(what, "path") : NULL,
      .subject = what,
      .subject_kind = tags[kind]};
  if (!st) st = page_list(c, "category", doc, &l, json_str(what, "url"), &meta);
  cJSON_Delete(doc);
  return st;
}

/* GET /category/{slug} and /category/{top}/{rest:path}: the category is
** the path's last slug; asked for at any other path than its own (a
** subsection by its slug alone, or under a section it is no longer in),
** it answers 301 to its own. */
int page_category(ctx *c) {
  buf asked = {0};
  buf_puts(&asked, ctx_param(c, 0));
  if (c->match.nparams > 1) buf_printf(&asked, "/%s", ctx_param(c, 1));
  const char *path = buf_str(&asked), *slash = strrchr(path, '/');
  cJSON *cat = NULL;
  int rc = category_load(c->db, c->now, slash ? slash + 1 : path, &cat);
  int st;
  if (rc != STORE_OK) {
    st = rc > 0 ? 404 : 500;
  } else if (strcmp(json_str(cat, "path"), path) != 0) {
    present_category(cat);
    c->res.cache = CACHE_MOVED;
    st = response_redirect(&c->res, 301, json_str(cat, "url"));
  } else {
    st = listing_page(c, LIST_CATEGORY, slash ? slash + 1 : path);
  }
  cJSON_Delete(cat);
  buf_free(&asked);
  return st;
}

int page_tag(ctx *c) { return listing_page(c, LIST_TAG, ctx_param(c, 0)); }
int page_author(ctx *c) { return listing_page(c, LIST_AUTHOR, ctx_param(c, 0)); }
