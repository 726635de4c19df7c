/*
** admin_pages.c: the static pages' screens of the newsroom, for editors.
**
**   GET  /admin/pages                  the list
**   GET  /admin/pages/new              the editor, empty
**   POST /admin/pages                  create
**   GET  /admin/pages/{id}/edit        the editor
**   POST /admin/pages/{id}             save
**   POST /admin/pages/{id}/delete      delete
**
** A page's text is Markdown, or HTML for a page imported from WordPress
** (saved as the sanitizer keeps it). A published page is at /page/{slug};
** in_footer lists it in the footer, in position order.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_site.h"
#include "escape.h"
#include "store.h"
#include "store_page.h"
#include "utf8.h"
#include "view.h"
#include "json.h"
#include "tz.h"

/* GET /admin/pages */
int admin_pages_list(ctx *c) {
  cJSON *doc = cJSON_CreateObject(), *o;
  cJSON *list = cJSON_AddArrayToObject(doc, "pages");
  if (pages_admin_list(c->db, list) != STORE_OK) {
    cJSON_Delete(doc);
    return 500;
  }
  buf b = {0};
  cJSON_ArrayForEach(o, list) {
    int published = strcmp(json_str(o, "status"), "published") == 0;
    cJSON_AddStringToObject(o, "status_label",
                            site_text(c, published ? "admin_page_published" : "admin_page_draft"));
    buf_reset(&b);
    tz_show(c->app->zone, (time_t)json_num(o, "updated_at"), &b);
    cJSON_AddStringToObject(o, "updated_display", buf_str(&b));
    buf_reset(&b);
    escape_path(&b, "/page/", json_str(o, "slug"));
    if (published) cJSON_AddStringToObject(o, "url", buf_str(&b));
  }
  buf_free(&b);
  cJSON_AddBoolToObject(doc, "has_pages", cJSON_GetArraySize(list) > 0);
  site_done(c, doc, (const char *const[]){"deleted", "admin_page_deleted", NULL});
  return site_show(c, "admin_pages", doc, "admin_pages", 200);
}

/* Shows the editor for f with status; errors (taken over, may be NULL)
** lists {field, message}; note (may be NULL) says what was done. Returns
** the status answered. */
static int page_form_show(ctx *c, const pages_form *f, cJSON *errors, const char *note,
                          int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *fo = cJSON_AddObjectToObject(doc, "form");
  cJSON_AddNumberToObject(fo, "id", (double)f->id);
  cJSON_AddStringToObject(fo, "title", buf_str(&f->title));
  cJSON_AddStringToObject(fo, "slug", buf_str(&f->slug));
  cJSON_AddStringToObject(fo, "body", buf_str(&f->body));
  cJSON_AddBoolToObject(fo, "html", f->html);
  cJSON_AddBoolToObject(fo, "published", strcmp(buf_str(&f->status), "published") == 0);
  cJSON_AddBoolToObject(fo, "in_footer", f->in_footer);
  cJSON_AddNumberToObject(fo, "position", (double)f->position);
  buf b = {0};
  if (f->id) {
    buf_printf(&b, "/admin/pages/%ld", f->id);
    cJSON_AddStringToObject(fo, "action", buf_str(&b));
    buf_puts(&b, "/delete");
    cJSON_AddStringToObject(fo, "delete_url", buf_str(&b));
    buf_reset(&b);
    if (strcmp(f->saved_status, "published") == 0) {
      escape_path(&b, "/page/", buf_str(&f->saved_slug));
      cJSON_AddStringToObject(fo, "public_url", buf_str(&b));
    }
  } else {
    cJSON_AddStringToObject(fo, "action", "/admin/pages");
  }
  buf_free(&b);
  if (errors) cJSON_AddItemToObject(fo, "errors", errors);
  cJSON_AddBoolToObject(fo, "has_errors", errors != NULL);
  if (note) cJSON_AddStringToObject(fo, "note", note);
  return site_show(c, "admin_page_edit", doc, f->id ? "admin_page_edit" : "admin_page_new",
                   status);
}

/* Adds the error {field, message (the text of key)} to errors. */
static void page_error(ctx *c, cJSON *errors, const char *field, const char *key) {
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "field", field);
  cJSON_AddStringToObject(e, "message", site_text(c, key));
  cJSON_AddItemToArray(errors, e);
}

/* Reads the posted form into f and checks it, adding what is wrong to
** errors. Returns 0, or -1 when a field is malformed (not UTF-8). */
static int page_form_read(ctx *c, pages_form *f, cJSON *errors) {
  buf footer = {0}, position = {0};
  int bad = site_field(c, "title", &f->title) < 0 || site_field(c, "slug", &f->slug) < 0 ||
            site_field(c, "status", &f->status) < 0 || site_field(c, "in_footer", &footer) < 0 ||
            site_field(c, "position", &position) < 0;
  buf_reset(&f->body);
  bad |= request_form(&c->req, "body", &f->body) < 0;
  if (bad) {
    buf_free(&footer);
    buf_free(&position);
    return -1;
  }
  f->in_footer = footer.len > 0;
  const char *pos = buf_str(&position);
  f->position = position.len && position.len <= 4 && strspn(pos, "0123456789") == position.len
                    ? strtol(pos, NULL, 10) : -1;
  if (!position.len) f->position = 0;
  size_t title = utf8_length(buf_str(&f->title), f->title.len);
  if (title == 0) page_error(c, errors, "title", "admin_article_err_title");
  if (title > PAGE_TITLE_MAX) page_error(c, errors, "title", "admin_article_err_title_long");
  if (f->slug.len > PAGE_SLUG_MAX) page_error(c, errors, "slug", "admin_article_err_slug_long");
  if (f->body.len > PAGE_BODY_MAX) page_error(c, errors, "body", "admin_article_err_body_long");
  else if (f->html && admin_html_clean(c, &f->body) != 0)
    page_error(c, errors, "body", "admin_article_err_body_html");
  if (strcmp(buf_str(&f->status), "draft") && strcmp(buf_str(&f->status), "published"))
    page_error(c, errors, "status", "admin_article_err_status");
  if (f->position < 0) page_error(c, errors, "position", "admin_page_err_position");
  buf_free(&footer);
  buf_free(&position);
  return 0;
}

/* Handles a posted form over f (new, or loaded as stored): saves it and
** answers 303 to its editor, or shows it again with the errors. */
static int page_submit(ctx *c, pages_form *f) {
  cJSON *errors = cJSON_CreateArray();
  if (page_form_read(c, f, errors) != 0) {
    cJSON_Delete(errors);
    return 400;
  }
  if (cJSON_GetArraySize(errors) > 0) return page_form_show(c, f, errors, NULL, 400);
  cJSON_Delete(errors);
  if (pages_admin_save(c->db, c->now, c->user.id, f) != STORE_OK) return 500;
  char to[80];
  snprintf(to, sizeof to, "/admin/pages/%ld/edit?saved=1", f->id);
  return admin_redirect(c, to);
}

/* GET /admin/pages/new */
int admin_pages_new(ctx *c) {
  pages_form f = {0};
  buf_puts(&f.status, "draft");
  f.in_footer = 1;
  int st = page_form_show(c, &f, NULL, NULL, 200);
  pages_form_free(&f);
  return st;
}

/* POST /admin/pages */
int admin_pages_create(ctx *c) {
  pages_form f = {0};
  int st = page_submit(c, &f);
  pages_form_free(&f);
  return st;
}

/* Loads the page of route parameter 0 into f. Returns 0, 404 or 500. */
static int page_open(ctx *c, pages_form *f) {
  int rc = pages_admin_load(c->db, ctx_id(c, 0), f);
  return rc == STORE_OK ? 0 : rc > 0 ? 404 : 500;
}

/* GET /admin/pages/{id}/edit */
int admin_pages_edit(ctx *c) {
  pages_form f = {0};
  int st = page_open(c, &f);
  if (st == 0) {
    buf v = {0};
    int saved = request_query(&c->req, "saved", &v) == 1;
    buf_free(&v);
    st = page_form_show(c, &f, NULL, saved ? site_text(c, "admin_page_saved") : NULL, 200);
  }
  pages_form_free(&f);
  return st;
}

/* POST /admin/pages/{id} */
int admin_pages_save(ctx *c) {
  pages_form f = {0};
  int st = page_open(c, &f);
  if (st == 0) st = page_submit(c, &f);
  pages_form_free(&f);
  return st;
}

/* POST /admin/pages/{id}/delete */
int admin_pages_delete(ctx *c) {
  int rc = pages_admin_delete(c->db, ctx_id(c, 0));
  if (rc == STORE_OK) return admin_redirect(c, "/admin/pages?done=deleted");
  return rc > 0 ? 404 : 500;
}
