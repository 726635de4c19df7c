/*
** admin_site.c: the site screens of the newsroom: categories and tags
** here, with the helpers, the route table and the strings of all the site
** screens (see admin_site.h).
**
**   GET  /admin/categories                 the categories, a form to add one
**   POST /admin/categories                 add a category
**   GET  /admin/categories/{id}            rename it, or delete it
**   POST /admin/categories/{id}            rename (name, slug, description,
**                                          parent: the section it is under)
**   POST /admin/categories/{id}/delete     delete, moving its articles first
**   GET  /admin/tags                       the tags, a form to add one
**   POST /admin/tags                       add a tag
**   GET  /admin/tags/{id}                  rename it, or delete it
**   POST /admin/tags/{id}                  rename (name, slug)
**   POST /admin/tags/{id}/delete           delete (its articles stay)
**   GET  /admin/comments, POST /admin/comments, POST /admin/comments/{id}
**                                          moderation (admin_moderation.c)
**   /admin/users...                        users (admin_users.c)
**   GET/POST /admin/settings               settings (admin_settings.c)
**   GET/POST /admin/cache                  the caches (admin_cache.c)
*/
#include "admin_site.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "escape.h"
#include "i18n.h"
#include "present.h"
#include "slug.h"
#include "store.h"
#include "store_newsroom.h"
#include "utf8.h"
#include "view.h"
#include "json.h"

enum { NAME_MAX_CHARS = 100, SLUG_MAX_BYTES = 80, DESCRIPTION_MAX_CHARS = 1000 };

/* ---- helpers shared by the site screens -------------------------------- */

int site_field(ctx *c, const char *key, buf *out) {
  buf v = {0};
  int rc = request_form(&c->req, key, &v);
  const char *s = buf_str(&v);
  size_t n = v.len;
  while (n > 0 && isspace((unsigned char)*s)) s++, n--;
  while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
  buf_reset(out);
  buf_append(out, s, n);
  buf_free(&v);
  return rc;
}

const char *site_text(ctx *c, const char *key) { return ctx_text(c, key); }

void site_done(ctx *c, cJSON *doc, const char *const *pairs) {
  buf v = {0};
  if (request_query(&c->req, "done", &v) == 1)
    for (size_t i = 0; pairs[i] && pairs[i + 1]; i += 2)
      if (strcmp(buf_str(&v), pairs[i]) == 0)
        cJSON_AddStringToObject(doc, "done", site_text(c, pairs[i + 1]));
  buf_free(&v);
}

int site_show(ctx *c, const char *tpl, cJSON *doc, const char *title_key, int status) {
  int st = admin_render(c, tpl, doc, site_text(c, title_key), status);
  cJSON_Delete(doc);
  return st;
}

/* ---- the category and tag forms --------------------------------------- */

/* A category or tag form as typed, and the slug made from it; a
** category's parent (0: none). */
typedef struct taxon_form {
  buf name, slug, description, made;
  long parent;
} taxon_form;

/* Frees the form's buffers. */
static void taxon_form_free(taxon_form *f) {
  buf_free(&f->name);
  buf_free(&f->slug);
  buf_free(&f->description);
  buf_free(&f->made);
}

/* Reads and checks the posted form into f (the slug made from the slug
** field, or else from the name, into f->made). Returns NULL when it is
** acceptable, else the string key of what is wrong. */
static const char *taxon_form_read(ctx *c, taxon_form *f) {
  buf parent = {0};
  int bad = site_field(c, "name", &f->name) < 0;
  bad |= site_field(c, "slug", &f->slug) < 0;
  bad |= site_field(c, "description", &f->description) < 0;
  bad |= site_field(c, "parent", &parent) < 0;
  if (parent.len && (parent.len > 15 || strspn(buf_str(&parent), "0123456789") != parent.len))
    bad = 1;
  f->parent = parent.len && !bad ? strtol(buf_str(&parent), NULL, 10) : 0;
  buf_free(&parent);
  if (bad) return "site_form_bad";
  if (f->name.len == 0) return "site_name_needed";
  if (utf8_length(f->name.data, f->name.len) > NAME_MAX_CHARS) return "site_name_long";
  if (f->description.len &&
      utf8_length(f->description.data, f->description.len) > DESCRIPTION_MAX_CHARS)
    return "site_description_long";
  slug_make(&f->made, f->slug.len ? buf_str(&f->slug) : buf_str(&f->name), SLUG_MAX_BYTES);
  return f->made.len ? NULL : "site_slug_needed";
}

/* Adds the form as typed, with the error (a string key) when there is one. */
static void taxon_form_add(ctx *c, cJSON *doc, const char *key, const taxon_form *f,
                           const char *error) {
  cJSON *o = cJSON_AddObjectToObject(doc, key);
  cJSON_AddStringToObject(o, "name", buf_str(&f->name));
  cJSON_AddStringToObject(o, "slug", buf_str(&f->slug));
  cJSON_AddStringToObject(o, "description", buf_str(&f->description));
  cJSON_AddNumberToObject(o, "parent", (double)f->parent);
  if (error) cJSON_AddStringToObject(o, "error", site_text(c, error));
}

/* Gives each category of the list (taxon_all's order) its label: its
** name after a dash for each level it stands below the top. */
void site_category_labels(cJSON *list) {
  cJSON *o;
  buf b = {0};
  cJSON_ArrayForEach(o, list) {
    buf_reset(&b);
    for (long d = (long)json_num(o, "depth"); d > 0; d--) buf_puts(&b, "— ");
    buf_puts(&b, json_str(o, "name"));
    cJSON_AddStringToObject(o, "label", buf_str(&b));
  }
  buf_free(&b);
}

/* Adds to doc "parents": the sections category id (0: a new one) may
** stand under (every category but itself and those under it), each
** {id, label, selected} with parent selected. Returns 0 or STORE_ERROR. */
static int category_parents(ctx *c, cJSON *doc, long id, long parent) {
  cJSON *all = cJSON_CreateArray(), *o;
  if (taxon_all(c->db, TAXON_CATEGORIES, all) != STORE_OK) {
    cJSON_Delete(all);
    return STORE_ERROR;
  }
  site_category_labels(all);
  cJSON *list = cJSON_AddArrayToObject(doc, "parents");
  long skip_below = -1;
  cJSON_ArrayForEach(o, all) {
    long depth = (long)json_num(o, "depth");
    if (skip_below >= 0 && depth > skip_below) continue;
    skip_below = -1;
    if ((long)json_num(o, "id") == id) {
      skip_below = depth;
      continue;
    }
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "id", json_num(o, "id"));
    cJSON_AddStringToObject(p, "label", json_str(o, "label"));
    cJSON_AddBoolToObject(p, "selected", (long)json_num(o, "id") == parent);
    cJSON_AddItemToArray(list, p);
  }
  cJSON_Delete(all);
  return 0;
}

/* What the category and tag screens differ in. */
typedef struct taxon_screen {
  taxon kind;
  const char *list_key;      /* the list's key in the document */
  const char *list_tpl;      /* the list's template, and its title's string key */
  const char *item_key;      /* the item's key in the document */
  const char *item_tpl;      /* the item's template */
  const char *item_title;    /* its title's string key */
  const char *url_prefix;    /* "/category/" */
  const char *back;          /* "/admin/categories" */
  const char *const *done;   /* the notes after a change */
} taxon_screen;

static const char *const CATEGORY_DONE[] = {"added", "site_category_added", "saved",
                                            "site_saved", "deleted",
                                            "site_category_deleted", NULL};
static const char *const TAG_DONE[] = {"added", "site_tag_added", "saved", "site_saved",
                                       "deleted", "site_tag_deleted", NULL};
static const taxon_screen CATEGORIES = {TAXON_CATEGORIES, "categories", "admin_categories",
                                        "category",
                                        "admin_site_category", "site_category_edit",
                                        "/category/", "/admin/categories", CATEGORY_DONE};
static const taxon_screen TAGS = {TAXON_TAGS, "tags", "admin_tags", "tag", "admin_site_tag",
                                  "site_tag_edit", "/tag/", "/admin/tags", TAG_DONE};

/* Adds each item's public url to the list. */
static void taxon_urls(const taxon_screen *k, cJSON *list) {
  cJSON *o;
  cJSON_ArrayForEach(o, list) { present_taxon(o, k->url_prefix); }
}

/* Shows the list with its add form (as typed, with error). Returns the
** status answered. */
static int taxon_list_show(ctx *c, const taxon_screen *k, const taxon_form *f,
                           const char *error, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, k->list_key);
  if (taxon_all(c->db, k->kind, list) != STORE_OK) {
    cJSON_Delete(doc);
    return 500;
  }
  taxon_urls(k, list);
  if (k->kind == TAXON_CATEGORIES) site_category_labels(list);
  taxon_form_add(c, doc, "form", f, error);
  if (k->kind == TAXON_CATEGORIES && category_parents(c, doc, 0, f->parent) != 0) {
    cJSON_Delete(doc);
    return 500;
  }
  site_done(c, doc, k->done);
  return site_show(c, k->list_tpl, doc, k->list_tpl, status);
}

/* Adds to doc the other categories, which may take category id's
** articles. Returns 0 or STORE_ERROR. */
static int category_others(ctx *c, cJSON *doc, long id) {
  cJSON *all = cJSON_CreateArray(), *o;
  if (taxon_all(c->db, TAXON_CATEGORIES, all) != STORE_OK) {
    cJSON_Delete(all);
    return STORE_ERROR;
  }
  cJSON *others = cJSON_AddArrayToObject(doc, "others");
  while ((o = cJSON_DetachItemFromArray(all, 0)) != NULL) {
    if ((long)json_num(o, "id") == id) cJSON_Delete(o);
    else cJSON_AddItemToArray(others, o);
  }
  cJSON_Delete(all);
  cJSON_AddBoolToObject(doc, "has_others", cJSON_GetArraySize(others) > 0);
  return 0;
}

/* Shows item id's page: the rename form (as typed when f is given, with
** error) and the delete form (with delete_error). Returns the status. */
static int taxon_item_show(ctx *c, const taxon_screen *k, long id, const taxon_form *f,
                           const char *error, const char *delete_error, int status) {
  cJSON *self = NULL;
  int rc = taxon_get(c->db, k->kind, id, &self);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? 404 : 500;
  cJSON *doc = cJSON_CreateObject();
  present_taxon(self, k->url_prefix);
  long parent = f ? f->parent : (long)json_num(self, "parent_id");
  cJSON_AddItemToObject(doc, k->item_key, self);
  if (k->kind == TAXON_CATEGORIES) {
    cJSON_AddBoolToObject(doc, "has_articles",
                          json_long(self, "articles") > 0);
    if (category_others(c, doc, id) != 0 || category_parents(c, doc, id, parent) != 0) {
      cJSON_Delete(doc);
      return 500;
    }
  }
  if (f) {
    taxon_form_add(c, doc, "form", f, error);
  } else {
    cJSON *o = cJSON_AddObjectToObject(doc, "form");
    static const char *const keys[] = {"name", "slug", "description"};
    for (int i = 0; i < 3; i++) {
      const cJSON *v = cJSON_GetObjectItem(self, keys[i]);
      if (v) cJSON_AddStringToObject(o, keys[i], v->valuestring);
    }
  }
  if (delete_error) cJSON_AddStringToObject(doc, "delete_error", site_text(c, delete_error));
  site_done(c, doc, k->done);
  return site_show(c, k->item_tpl, doc, k->item_title, status);
}

/* Handles a posted add (id 0) or rename (id > 0) of a category or tag:
** reads and checks the form, writes it, and answers 303 back to the list,
** or the form again with the reason (400), 404 or 500. Returns the
** status. */
static int taxon_post(ctx *c, const taxon_screen *k, long id) {
  taxon_form f = {0};
  const char *why = taxon_form_read(c, &f);
  int rc = STORE_OK, st;
  if (!why) {
    const char *desc = buf_str(&f.description);
    rc = id ? taxon_rename(c->db, k->kind, id, buf_str(&f.made), buf_str(&f.name), desc, f.parent)
            : taxon_add(c->db, k->kind, buf_str(&f.made), buf_str(&f.name), desc, f.parent);
    /* A slug made from the name: the name is what is taken, to the reader. */
    if (rc == STORE_TAKEN) why = f.slug.len ? "site_slug_taken" : "site_name_taken";
    if (rc == STORE_BAD_PARENT) why = "site_parent_bad";
  }
  if (why) {
    st = id ? taxon_item_show(c, k, id, &f, why, NULL, 400)
            : taxon_list_show(c, k, &f, why, 400);
  } else if (rc == STORE_OK) {
    char to[64];
    snprintf(to, sizeof to, "%s?done=%s", k->back, id ? "saved" : "added");
    st = admin_redirect(c, to);
  } else {
    st = rc == STORE_NOT_FOUND ? 404 : 500;
  }
  taxon_form_free(&f);
  return st;
}

/* ---- categories -------------------------------------------------------- */

/* GET /admin/categories */
int admin_categories_list(ctx *c) {
  taxon_form f = {0};
  return taxon_list_show(c, &CATEGORIES, &f, NULL, 200);
}

/* GET /admin/categories/{id} */
int admin_category_page(ctx *c) {
  return taxon_item_show(c, &CATEGORIES, ctx_id(c, 0), NULL, NULL, NULL, 200);
}

/* POST /admin/categories: name, slug (may be empty), description. */
int admin_categories_add(ctx *c) { return taxon_post(c, &CATEGORIES, 0); }

/* POST /admin/categories/{id}: name, slug, description. */
int admin_category_save(ctx *c) { return taxon_post(c, &CATEGORIES, ctx_id(c, 0)); }

/* POST /admin/categories/{id}/delete: move_to, the category that takes its
** articles. */
int admin_category_delete(ctx *c) {
  long id = ctx_id(c, 0), to = 0;
  buf v = {0};
  if (site_field(c, "move_to", &v) == 1 && v.len && v.len < 16 &&
      strspn(buf_str(&v), "0123456789") == v.len)
    to = strtol(buf_str(&v), NULL, 10);
  buf_free(&v);
  int rc = category_delete(c->db, id, to);
  if (rc == STORE_OK) return admin_redirect(c, "/admin/categories?done=deleted");
  if (rc == STORE_IN_USE)
    return taxon_item_show(c, &CATEGORIES, id, NULL, NULL, "site_category_move_needed", 400);
  return rc == STORE_NOT_FOUND ? 404 : 500;
}

/* ---- tags -------------------------------------------------------------- */

/* GET /admin/tags */
int admin_tags_list(ctx *c) {
  taxon_form f = {0};
  return taxon_list_show(c, &TAGS, &f, NULL, 200);
}

/* GET /admin/tags/{id} */
int admin_tag_page(ctx *c) {
  return taxon_item_show(c, &TAGS, ctx_id(c, 0), NULL, NULL, NULL, 200);
}

/* POST /admin/tags: name, slug (may be empty). */
int admin_tags_add(ctx *c) { return taxon_post(c, &TAGS, 0); }

/* POST /admin/tags/{id}: name, slug. */
int admin_tag_save(ctx *c) { return taxon_post(c, &TAGS, ctx_id(c, 0)); }

/* POST /admin/tags/{id}/delete: the tag goes, and with it its links to
** articles (the articles stay). */
int admin_tag_delete(ctx *c) {
  int rc = tag_delete(c->db, ctx_id(c, 0));
  if (rc == STORE_OK) return admin_redirect(c, "/admin/tags?done=deleted");
  return rc == STORE_NOT_FOUND ? 404 : 500;
}
