/*
** admin_media.c: the picture library of the newsroom.
**
**   GET  /admin/media                  thumbnails with search and filters
**                                      (?q= &uploader= &type= &unused=1
**                                      &page=), and the upload form; with
**                                      Accept: application/json, the list
**                                      as JSON for the editor's picker
**   POST /admin/media                  upload (multipart/form-data: csrf,
**                                      file, alt, caption, credit)
**   GET  /admin/media/{id}             one picture: its words, sizes and uses
**   POST /admin/media/{id}             save its alt text, caption and credit
**   POST /admin/media/{id}/delete      delete it, unless something uses it
**   POST /admin/media/{id}/replace     put another in its place everywhere,
**                                      then delete it (editors)
**   POST /admin/avatar                 the signed-in user's own avatar
**
** Everyone in the newsroom sees every picture and may place those with alt
** text; authors change and delete their own uploads, editors everyone's.
** An upload sent with Accept: application/json (the editor's script) is
** answered with JSON, 201 or the refusal {error}; a plain form gets 303 to
** the new picture, or the library page again with the reason.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_site.h"
#include "escape.h"
#include "image.h"
#include "json.h"
#include "library.h"
#include "picture.h"
#include "store_media.h"
#include "upload.h"
#include "utf8.h"
#include "view.h"
#include "tz.h"

enum { MEDIA_PER_PAGE = 24, MEDIA_QUERY_MAX = 200, MEDIA_REPLACE_CHOICES = 200 };

static const char *const MEDIA_TYPES[] = {"jpeg", "png", "webp", "gif", "heic", "avif"};

/* Returns 1 when the request asks for JSON (the editor's script). */
static int media_wants_json(const ctx *c) {
  const char *a = request_header(&c->req, "Accept");
  return a && strstr(a, "application/json") != NULL;
}

/* Returns 1 when the signed-in user may change picture m (a record of
** media_load or media_list): their own upload, or they are an editor. */
static int media_may_edit(const ctx *c, const cJSON *m) {
  return c->user.role >= ROLE_EDITOR || json_long(m, "uploader_id") == c->user.id;
}

/* Appends a size in bytes for people ("1.4 MB", "85 kB"). */
static void media_bytes(buf *out, double n) {
  if (n >= 1024 * 1024) buf_printf(out, "%.1f MB", n / (1024 * 1024));
  else buf_printf(out, "%.0f kB", n / 1024 < 1 ? 1 : n / 1024);
}

/* Replaces the picture record at member "picture" of o by its thumbnail's
** HTML ("thumb_html"), or nothing while its sizes are being made. */
static void media_thumb(cJSON *o) {
  static const picture_opts thumb = {.sizes = "10rem", .max_width = 320, .cls = "media-thumb"};
  const cJSON *rec = cJSON_GetObjectItemCaseSensitive(o, "picture");
  buf html = {0};
  if (cJSON_IsObject(rec) && picture_html(&html, rec, &thumb) == 0)
    cJSON_AddStringToObject(o, "thumb_html", buf_str(&html));
  const cJSON *small = cJSON_IsObject(rec) ? picture_fallback(rec, 320) : NULL;
  if (small) {
    buf_reset(&html);
    buf_puts(&html, PICTURE_PREFIX);
    buf_puts(&html, json_str(small, "name"));
    cJSON_AddStringToObject(o, "thumb_url", buf_str(&html));
  }
  cJSON_DeleteItemFromObjectCaseSensitive(o, "picture");
  buf_free(&html);
}

/* ---- the list and the upload form --------------------------------------- */

/* The list's filters as asked, kept for the form and the page links. */
typedef struct media_query {
  media_filter f;
  buf q, type;
} media_query;

/* Reads the list's filters from the query string. Returns 0, or -1 when
** one is malformed. */
static int media_query_read(ctx *c, media_query *mq) {
  long uploader, unused, page;
  if (request_query(&c->req, "q", &mq->q) < 0 || mq->q.len > MEDIA_QUERY_MAX ||
      request_query(&c->req, "type", &mq->type) < 0 ||
      request_query_int(&c->req, "uploader", 0, 0, 1L << 53, &uploader) != 0 ||
      request_query_int(&c->req, "unused", 0, 0, 1, &unused) != 0 ||
      request_query_int(&c->req, "page", 1, 1, 100000, &page) != 0)
    return -1;
  mq->f = (media_filter){.q = buf_str(&mq->q), .uploader = uploader, .unused = (int)unused,
                         .page = page, .per_page = MEDIA_PER_PAGE};
  for (size_t i = 0; i < sizeof MEDIA_TYPES / sizeof *MEDIA_TYPES; i++)
    if (strcmp(buf_str(&mq->type), MEDIA_TYPES[i]) == 0) mq->f.type = MEDIA_TYPES[i];
  return 0;
}

/* Appends the list's address with mq's filters at page to out. */
static void media_list_url(buf *out, const media_query *mq, long page) {
  buf_puts(out, "/admin/media?");
  if (mq->f.q && *mq->f.q) {
    buf_puts(out, "q=");
    escape_url(out, mq->f.q, strlen(mq->f.q));
    buf_putc(out, '&');
  }
  if (mq->f.uploader) buf_printf(out, "uploader=%ld&", mq->f.uploader);
  if (mq->f.type) buf_printf(out, "type=%s&", mq->f.type);
  if (mq->f.unused) buf_puts(out, "unused=1&");
  buf_printf(out, "page=%ld", page);
}

/* Adds the filters' choices (uploaders, types) and pages to doc. */
static int media_list_frame(ctx *c, cJSON *doc, const media_query *mq) {
  cJSON *fo = cJSON_AddObjectToObject(doc, "filters"), *o;
  cJSON_AddStringToObject(fo, "q", mq->f.q);
  cJSON_AddBoolToObject(fo, "unused", mq->f.unused);
  cJSON *ups = cJSON_AddArrayToObject(fo, "uploaders");
  if (media_uploaders(c->db, ups) != STORE_OK) return -1;
  cJSON_ArrayForEach(o, ups) { cJSON_AddBoolToObject(o, "selected", json_long(o, "id") == mq->f.uploader); }
  cJSON *types = cJSON_AddArrayToObject(fo, "types");
  for (size_t i = 0; i < sizeof MEDIA_TYPES / sizeof *MEDIA_TYPES; i++) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "value", MEDIA_TYPES[i]);
    cJSON_AddBoolToObject(t, "selected", mq->f.type == MEDIA_TYPES[i]);
    cJSON_AddItemToArray(types, t);
  }
  long pages = mq->f.total ? (mq->f.total + mq->f.per_page - 1) / mq->f.per_page : 1;
  cJSON *p = cJSON_AddObjectToObject(doc, "pagination");
  cJSON_AddNumberToObject(p, "page", (double)mq->f.page);
  cJSON_AddNumberToObject(p, "total_pages", (double)pages);
  buf b = {0};
  if (mq->f.page > 1) {
    media_list_url(&b, mq, mq->f.page - 1);
    cJSON_AddStringToObject(p, "prev_url", buf_str(&b));
    buf_reset(&b);
  }
  if (mq->f.page < pages) {
    media_list_url(&b, mq, mq->f.page + 1);
    cJSON_AddStringToObject(p, "next_url", buf_str(&b));
  }
  buf_free(&b);
  return 0;
}

/* Adds to each listed picture its page and thumbnail. */
static void media_list_rows(ctx *c, cJSON *rows) {
  cJSON *o;
  char url[48];
  cJSON_ArrayForEach(o, rows) {
    snprintf(url, sizeof url, "/admin/media/%ld", json_long(o, "id"));
    cJSON_AddStringToObject(o, "url", url);
    cJSON_AddBoolToObject(o, "has_alt", *json_str(o, "alt") != 0);
    cJSON_AddBoolToObject(o, "mine", json_long(o, "uploader_id") == c->user.id);
    media_thumb(o);
  }
}

/* The upload form as it was sent, to show again with its refusal. */
typedef struct media_upload {
  const char *alt, *caption, *credit;
  const char *error;
} media_upload;

/* Shows the library page (with the upload form as sent, and its error)
** with status. Returns the status answered. */
static int media_list_show(ctx *c, const media_upload *up, int status) {
  media_query mq = {0};
  int bad = media_query_read(c, &mq);
  cJSON *doc = cJSON_CreateObject();
  cJSON *rows = cJSON_AddArrayToObject(doc, "items");
  int st = 0;
  if (bad) st = 400;
  else if (media_list(c->db, &mq.f, rows) != STORE_OK || media_list_frame(c, doc, &mq) != 0) st = 500;
  if (st == 0) {
    media_list_rows(c, rows);
    cJSON_AddNumberToObject(doc, "total", (double)mq.f.total);
    cJSON *u = cJSON_AddObjectToObject(doc, "upload");
    cJSON_AddNumberToObject(u, "max_mb", (double)(c->app->upload_max_bytes / (1024 * 1024)));
    cJSON_AddNumberToObject(u, "max_bytes", (double)c->app->upload_max_bytes);
    if (up) {
      cJSON_AddStringToObject(u, "alt", up->alt ? up->alt : "");
      cJSON_AddStringToObject(u, "caption", up->caption ? up->caption : "");
      cJSON_AddStringToObject(u, "credit", up->credit ? up->credit : "");
      if (up->error) cJSON_AddStringToObject(u, "error", up->error);
    }
    static const char *const done[] = {"deleted", "media_deleted", NULL};
    site_done(c, doc, done);
    buf_free(&mq.q);
    buf_free(&mq.type);
    return site_show(c, "admin_media", doc, "admin_media", status);
  }
  cJSON_Delete(doc);
  buf_free(&mq.q);
  buf_free(&mq.type);
  return st;
}

/* Answers the list as JSON: {data: [{id, filename, alt, caption, width,
** height, thumb_url}], meta: {page, total}}. */
static int media_list_json(ctx *c) {
  media_query mq = {0};
  int st = 200;
  cJSON *doc = cJSON_CreateObject();
  cJSON *rows = cJSON_AddArrayToObject(doc, "data");
  if (media_query_read(c, &mq) != 0) st = 400;
  else if (media_list(c->db, &mq.f, rows) != STORE_OK) st = 500;
  if (st == 200) {
    media_list_rows(c, rows);
    cJSON *meta = cJSON_AddObjectToObject(doc, "meta");
    cJSON_AddNumberToObject(meta, "page", (double)mq.f.page);
    cJSON_AddNumberToObject(meta, "total", (double)mq.f.total);
    view_json(c, 200, "application/json", doc);
  }
  cJSON_Delete(doc);
  buf_free(&mq.q);
  buf_free(&mq.type);
  return st;
}

/* GET /admin/media */
int admin_media_list(ctx *c) {
  return media_wants_json(c) ? media_list_json(c) : media_list_show(c, NULL, 200);
}

/* Answers a refused upload with status and message: JSON {error} for the
** editor's script, else the library page with the form as sent. */
static int media_refuse(ctx *c, int status, const char *message, const media_upload *sent) {
  if (media_wants_json(c)) {
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "error", message);
    cJSON_AddNumberToObject(doc, "status", status);
    view_json(c, status, "application/json", doc);
    cJSON_Delete(doc);
    return status;
  }
  media_upload up = sent ? *sent : (media_upload){0};
  up.error = message;
  int st = media_list_show(c, &up, status);
  return st == status ? st : view_error(c, status, message);
}

/* Checks a text field of the picture: valid UTF-8 (the parser keeps any
** bytes) and at most max characters. Returns the string key of what is
** wrong, or NULL. */
static const char *media_text_check(const char *s, size_t max, const char *too_long) {
  if (!utf8_valid(s, strlen(s))) return "upload_malformed";
  return utf8_length(s, strlen(s)) > max ? too_long : NULL;
}

/* Writes into out (size n) the uploader's file name for display: its last
** path component, at most MEDIA_FILENAME_MAX bytes of valid UTF-8. */
static void media_filename(const char *given, char *out, size_t n) {
  const char *base = given;
  for (const char *p = given; *p; p++)
    if (*p == '/' || *p == '\\') base = p + 1;
  size_t len = strlen(base);
  if (len >= n) len = n - 1;
  while (len > 0 && !utf8_valid(base, len)) len--;
  memcpy(out, base, len);
  out[len] = 0;
  if (!*out) snprintf(out, n, "upload");
}

/* The refusal of library_import as a status and the uploader's message. */
static int media_import_refusal(ctx *c, int rc, buf *msg) {
  switch (rc) {
  case IMAGE_UNSUPPORTED:
    buf_puts(msg, ctx_text(c, "media_err_unsupported"));
    return 415;
  case IMAGE_TOO_MANY_PIXELS:
    buf_printf(msg, ctx_text(c, "media_err_pixels"), (long)(c->app->max_pixels / 1000000));
    return 413;
  case IMAGE_CORRUPT:
    buf_puts(msg, ctx_text(c, "media_err_corrupt"));
    return 422;
  default:
    buf_puts(msg, ctx_text(c, "upload_failed"));
    return 500;
  }
}

/* Answers a stored upload: 201 with {id, filename, alt, caption, credit,
** width, height, edit_url, thumb_url} for the script, else 303 to it. */
static int media_uploaded(ctx *c, long id) {
  char url[64];
  snprintf(url, sizeof url, "/admin/media/%ld", id);
  if (!media_wants_json(c)) {
    snprintf(url, sizeof url, "/admin/media/%ld?done=uploaded", id);
    return admin_redirect(c, url);
  }
  cJSON *m = NULL;
  if (media_load(c->db, id, &m) != STORE_OK) return 500;
  cJSON *doc = cJSON_CreateObject();
  static const char *const keys[] = {"filename", "alt", "caption", "credit"};
  cJSON_AddNumberToObject(doc, "id", (double)id);
  for (size_t i = 0; i < 4; i++) cJSON_AddStringToObject(doc, keys[i], json_str(m, keys[i]));
  cJSON_AddNumberToObject(doc, "width", json_num(m, "width"));
  cJSON_AddNumberToObject(doc, "height", json_num(m, "height"));
  cJSON_AddStringToObject(doc, "edit_url", url);
  /* A record media_thumb can read: the files as the store gives them. */
  cJSON *rec = cJSON_CreateObject();
  cJSON_AddItemToObject(rec, "files", cJSON_DetachItemFromObjectCaseSensitive(m, "files"));
  cJSON_AddItemToObject(doc, "picture", rec);
  media_thumb(doc);
  cJSON_Delete(m);
  view_json(c, 201, "application/json", doc);
  cJSON_Delete(doc);
  return 201;
}

/* POST /admin/media */
int admin_media_upload(ctx *c) {
  multipart *m = NULL;
  char why[300];
  int st = upload_receive(c, c->app->originals_dir, c->app->upload_max_bytes, &m, why, sizeof why);
  if (st) return media_refuse(c, st, why, NULL);
  media_upload sent = {multipart_field_get(m, "alt"), multipart_field_get(m, "caption"),
                       multipart_field_get(m, "credit"), NULL};
  const multipart_file *file = multipart_file_get(m, "file");
  const char *wrong = !file || file->size == 0 ? "media_err_no_file" : NULL;
  if (!wrong) wrong = media_text_check(sent.alt ? sent.alt : "", MEDIA_ALT_MAX, "media_err_alt_long");
  if (!wrong)
    wrong = media_text_check(sent.caption ? sent.caption : "", MEDIA_CAPTION_MAX, "media_err_caption_long");
  if (!wrong)
    wrong = media_text_check(sent.credit ? sent.credit : "", MEDIA_CREDIT_MAX, "media_err_credit_long");
  if (wrong) {
    st = media_refuse(c, 400, ctx_text(c, wrong), &sent);
    multipart_close(m);
    return st;
  }
  char name[MEDIA_FILENAME_MAX + 1];
  media_filename(file->filename, name, sizeof name);
  media_words w = {c->user.id, name, sent.alt ? sent.alt : "", sent.caption ? sent.caption : "",
                   sent.credit ? sent.credit : ""};
  media_dirs dirs = {c->app->media_dir, c->app->originals_dir};
  long id = 0;
  char err[300];
  int rc = library_import(c->db, c->now, &dirs, c->app->jobs, file->path, c->app->max_pixels,
                          LIBRARY_FIRST, &w, &id, err, sizeof err);
  if (rc == 0) {
    multipart_close(m);
    return media_uploaded(c, id);
  }
  if (rc < 0) fprintf(stderr, "gazette: upload of %s: %s\n", name, err);
  buf msg = {0};
  st = media_import_refusal(c, rc, &msg);
  st = media_refuse(c, st, buf_str(&msg), &sent);
  buf_free(&msg);
  multipart_close(m);
  return st;
}

/* ---- one picture -------------------------------------------------------- */

/* Adds to the picture m what its page shows: its sizes with addresses,
** its preview, the Markdown that places it, times (in the site's zone) and
** sizes for people. */
static void media_shown(const ctx *c, cJSON *m) {
  buf b = {0};
  cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(m, "files")) {
    buf_reset(&b);
    buf_puts(&b, PICTURE_PREFIX);
    buf_puts(&b, json_str(f, "name"));
    cJSON_AddStringToObject(f, "url", buf_str(&b));
    buf_reset(&b);
    media_bytes(&b, json_num(f, "bytes"));
    cJSON_AddStringToObject(f, "bytes_display", buf_str(&b));
  }
  static const picture_opts big = {.sizes = "(min-width: 50rem) 40rem, 100vw", .eager = 1};
  buf_reset(&b);
  if (picture_html(&b, m, &big) == 0) cJSON_AddStringToObject(m, "preview_html", buf_str(&b));
  buf_reset(&b);
  buf_printf(&b, "![%s](/media/%ld)", json_str(m, "alt"), json_long(m, "id"));
  cJSON_AddStringToObject(m, "markdown", buf_str(&b));
  buf_reset(&b);
  tz_show(c->app->zone, (time_t)json_num(m, "created_at"), &b);
  cJSON_AddStringToObject(m, "created_display", buf_str(&b));
  buf_reset(&b);
  media_bytes(&b, json_num(m, "bytes"));
  cJSON_AddStringToObject(m, "bytes_display", buf_str(&b));
  cJSON_AddBoolToObject(m, "has_alt", *json_str(m, "alt") != 0);
  buf_free(&b);
}

/* Adds the uses of picture id to doc as "usage" (articles and pages with
** their editor's address), and "in_use". Returns 0 or -1. */
static int media_uses_add(ctx *c, cJSON *doc, long id) {
  cJSON *u = cJSON_AddObjectToObject(doc, "usage"), *a;
  long count = 0;
  if (media_usage(c->db, id, u, &count) != STORE_OK) return -1;
  char url[64];
  cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(u, "articles")) {
    int page = strcmp(json_str(a, "how"), "page") == 0;
    snprintf(url, sizeof url, page ? "/admin/pages/%ld/edit" : "/admin/articles/%ld/edit",
             json_long(a, "id"));
    cJSON_AddStringToObject(a, "edit_url", url);
    cJSON_AddBoolToObject(a, "featured", strcmp(json_str(a, "how"), "featured") == 0);
    cJSON_AddBoolToObject(a, "page", page);
  }
  cJSON_AddBoolToObject(doc, "in_use", count > 0);
  cJSON_AddNumberToObject(doc, "uses", (double)count);
  return 0;
}

/* Adds the pictures an editor may put in this one's place, as "choices". */
static int media_replace_choices(ctx *c, cJSON *doc, long id) {
  cJSON *list = cJSON_CreateArray(), *o;
  if (media_choices(c->db, 0, MEDIA_REPLACE_CHOICES, list) != STORE_OK) {
    cJSON_Delete(list);
    return -1;
  }
  cJSON *keep = cJSON_AddArrayToObject(doc, "choices");
  while ((o = cJSON_DetachItemFromArray(list, 0)) != NULL) {
    if (json_long(o, "id") == id) cJSON_Delete(o);
    else cJSON_AddItemToArray(keep, o);
  }
  cJSON_Delete(list);
  return 0;
}

/* The picture's form as sent, to show again with its error. */
typedef struct media_form {
  buf alt, caption, credit;
} media_form;

/* Shows picture id's page with status: the form as stored, or as sent in
** form with its error (a message), or with note (a message). Returns the
** status answered. */
static int media_page_show(ctx *c, long id, const media_form *form, const char *error, int status) {
  cJSON *m = NULL;
  int rc = media_load(c->db, id, &m);
  if (rc != STORE_OK) return rc > 0 ? 404 : 500;
  cJSON *doc = cJSON_CreateObject();
  media_shown(c, m);
  int edit = media_may_edit(c, m);
  cJSON_AddBoolToObject(doc, "can_edit", edit);
  cJSON_AddBoolToObject(doc, "can_replace", c->user.role >= ROLE_EDITOR);
  if (form) {
    json_put(m, "alt", cJSON_CreateString(buf_str(&form->alt)));
    json_put(m, "caption", cJSON_CreateString(buf_str(&form->caption)));
    json_put(m, "credit", cJSON_CreateString(buf_str(&form->credit)));
  }
  cJSON_AddItemToObject(doc, "media", m);
  if (error) cJSON_AddStringToObject(doc, "error", error);
  static const char *const done[] = {"uploaded", "media_uploaded", "saved", "media_saved", NULL};
  site_done(c, doc, done);
  int st = media_uses_add(c, doc, id) == 0 &&
                   (c->user.role < ROLE_EDITOR || media_replace_choices(c, doc, id) == 0)
               ? 0
               : 500;
  if (st) {
    cJSON_Delete(doc);
    return st;
  }
  return site_show(c, "admin_media_item", doc, "admin_media_item", status);
}

/* GET /admin/media/{id} */
int admin_media_page(ctx *c) { return media_page_show(c, ctx_id(c, 0), NULL, NULL, 200); }

/* Loads picture id and checks that the signed-in user may change it.
** Returns 0, or the status to answer (404, 403, 500). */
static int media_open(ctx *c, long id) {
  cJSON *m = NULL;
  int rc = media_load(c->db, id, &m);
  int st = rc == STORE_OK ? (media_may_edit(c, m) ? 0 : 403) : rc > 0 ? 404 : 500;
  cJSON_Delete(m);
  return st;
}

/* POST /admin/media/{id} */
int admin_media_save(ctx *c) {
  long id = ctx_id(c, 0);
  int st = media_open(c, id);
  if (st) return st == 403 ? view_error(c, 403, ctx_text(c, "media_not_yours")) : st;
  media_form f = {0};
  int bad = site_field(c, "alt", &f.alt) < 0 || site_field(c, "caption", &f.caption) < 0 ||
            site_field(c, "credit", &f.credit) < 0;
  const char *wrong = bad ? "upload_malformed" : NULL;
  if (!wrong && utf8_length(buf_str(&f.alt), f.alt.len) > MEDIA_ALT_MAX) wrong = "media_err_alt_long";
  if (!wrong && utf8_length(buf_str(&f.caption), f.caption.len) > MEDIA_CAPTION_MAX)
    wrong = "media_err_caption_long";
  if (!wrong && utf8_length(buf_str(&f.credit), f.credit.len) > MEDIA_CREDIT_MAX)
    wrong = "media_err_credit_long";
  if (wrong) {
    st = media_page_show(c, id, &f, ctx_text(c, wrong), 400);
  } else {
    int rc = media_update(c->db, c->now, id, buf_str(&f.alt), buf_str(&f.caption), buf_str(&f.credit));
    char url[64];
    snprintf(url, sizeof url, "/admin/media/%ld?done=saved", id);
    st = rc == STORE_OK ? admin_redirect(c, url) : rc > 0 ? 404 : 500;
  }
  buf_free(&f.alt);
  buf_free(&f.caption);
  buf_free(&f.credit);
  return st;
}

/* After a store deletion: removes the files, answers 303 to to. */
static int media_gone(ctx *c, int rc, cJSON *gone, long id, const char *to) {
  if (rc == STORE_OK) {
    media_dirs dirs = {c->app->media_dir, c->app->originals_dir};
    library_remove(&dirs, gone);
    cJSON_Delete(gone);
    return admin_redirect(c, to);
  }
  if (rc == STORE_IN_USE) return media_page_show(c, id, NULL, ctx_text(c, "media_in_use"), 409);
  return rc == STORE_NOT_FOUND ? 404 : 500;
}

/* POST /admin/media/{id}/delete */
int admin_media_delete(ctx *c) {
  long id = ctx_id(c, 0);
  int st = media_open(c, id);
  if (st) return st == 403 ? view_error(c, 403, ctx_text(c, "media_not_yours")) : st;
  cJSON *gone = NULL;
  int rc = media_delete(c->db, id, &gone);
  return media_gone(c, rc, gone, id, "/admin/media?done=deleted");
}

/* POST /admin/media/{id}/replace: with=ID */
int admin_media_replace(ctx *c) {
  long id = ctx_id(c, 0), with = 0;
  buf v = {0};
  int found = site_field(c, "with", &v);
  char *end = NULL;
  with = found == 1 ? strtol(buf_str(&v), &end, 10) : 0;
  int ok = found == 1 && end && !*end && with > 0;
  buf_free(&v);
  if (!ok) return media_page_show(c, id, NULL, ctx_text(c, "media_choose_replacement"), 400);
  cJSON *gone = NULL;
  int rc = media_replace(c->db, c->now, id, with, &gone);
  if (rc == STORE_IN_USE) return media_page_show(c, id, NULL, ctx_text(c, "media_choose_replacement"), 400);
  char to[64];
  snprintf(to, sizeof to, "/admin/media/%ld?done=saved", with);
  return media_gone(c, rc, gone, id, to);
}

/* POST /admin/avatar: media=ID (0 or empty: none) */
int admin_avatar_save(ctx *c) {
  buf v = {0};
  int found = site_field(c, "media", &v);
  char *end = NULL;
  long media = v.len ? strtol(buf_str(&v), &end, 10) : 0;
  int ok = found >= 0 && (!v.len || (end && !*end && media > 0));
  buf_free(&v);
  if (!ok) return 400;
  cJSON *m = NULL;
  if (media && media_picture(c->db, media, &m) != STORE_OK)
    return view_error(c, 400, ctx_text(c, "media_avatar_not_ready"));
  int no_alt = m && !*json_str(m, "alt");
  cJSON_Delete(m);
  if (no_alt) return view_error(c, 400, ctx_text(c, "media_err_needs_alt"));
  int rc = media_set_avatar(c->db, c->user.id, media);
  return rc == STORE_OK ? admin_redirect(c, "/admin/password?done=avatar") : rc > 0 ? 404 : 500;
}
