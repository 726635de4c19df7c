/*
** api_newsroom_media.c: pictures over the API (see api_newsroom.h).
**
**   POST  /api/v1/newsroom/media        upload (multipart/form-data: file,
**                                       alt, caption, credit)
**   GET   /api/v1/newsroom/media/{id}   a picture as the newsroom sees it
**   PATCH /api/v1/newsroom/media/{id}   its alt text, caption and credit
**
** An upload takes the newsroom's own way (upload.h, library.h): the body
** streamed into a temporary file, refused past upload_max_mb before the
** rest is read, probed, its original kept and its first sizes made before
** the answer; the others follow from the queue. Everyone in the newsroom
** sees every picture; authors change their own uploads, editors
** everyone's.
*/
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_newsroom.h"
#include "api_write.h"
#include "image.h"
#include "json.h"
#include "library.h"
#include "store_media.h"
#include "upload.h"
#include "utf8.h"
#include "view.h"

/* Builds the API's picture for the newsroom from media_load's record m
** (taken over): {id, filename, type, width, height, bytes, alt, caption,
** credit, uploader: {id, name}, created_at, ready, image}. image is the
** API's image object once its sizes are made, else null. */
static cJSON *media_doc(const ctx *c, cJSON *m) {
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddNumberToObject(doc, "id", json_num(m, "id"));
  static const char *const text[] = {"filename", "type"};
  for (int i = 0; i < 2; i++) cJSON_AddStringToObject(doc, text[i], json_str(m, text[i]));
  cJSON_AddNumberToObject(doc, "width", json_num(m, "width"));
  cJSON_AddNumberToObject(doc, "height", json_num(m, "height"));
  cJSON_AddNumberToObject(doc, "bytes", json_num(m, "bytes"));
  static const char *const words[] = {"alt", "caption", "credit"};
  for (int i = 0; i < 3; i++) cJSON_AddStringToObject(doc, words[i], json_str(m, words[i]));
  cJSON *u = cJSON_AddObjectToObject(doc, "uploader");
  if (json_long(m, "uploader_id")) {
    cJSON_AddNumberToObject(u, "id", json_num(m, "uploader_id"));
    cJSON_AddStringToObject(u, "name", json_str(m, "uploader"));
  } else {
    cJSON_AddNullToObject(u, "id");
    cJSON_AddNullToObject(u, "name");
  }
  cJSON_AddNumberToObject(doc, "created_at", json_num(m, "created_at"));
  api_iso_member(doc, "created_at");
  cJSON_AddBoolToObject(doc, "ready", !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "queued")));
  /* The picture record api_image reads: the same member names. */
  cJSON_DeleteItemFromObjectCaseSensitive(m, "digest");
  cJSON_DeleteItemFromObjectCaseSensitive(m, "original");
  cJSON_AddItemToObject(doc, "image", m);
  api_image(c, doc, "image");
  return doc;
}

/* Answers picture id with status (a new one with its Location). Returns
** the status answered. */
static int media_answer(ctx *c, long id, int status) {
  cJSON *m = NULL;
  int rc = media_load(c->db, id, &m);
  if (rc == STORE_NOT_FOUND) return view_problem(c, 404, "There is no picture with this id.", NULL, NULL);
  if (rc != STORE_OK) return 500;
  cJSON *doc = media_doc(c, m);
  char where[64];
  snprintf(where, sizeof where, "/api/v1/newsroom/media/%ld", id);
  int st = api_send_doc(c, status, doc, 0, status == 201 ? where : NULL);
  cJSON_Delete(doc);
  return st;
}

/* Checks a picture's text: valid UTF-8 and at most max characters.
** Returns NULL, or why not. */
static const char *media_text_wrong(const char *s, size_t max) {
  size_t n = strlen(s);
  if (!utf8_valid(s, n)) return "must be valid UTF-8";
  return utf8_length(s, n) > max ? "is too long" : NULL;
}

/* The uploader's file name as kept: its last path component, at most
** MEDIA_FILENAME_MAX bytes of valid UTF-8, "upload" when that is empty. */
static void media_filename(const char *given, char *out, size_t n) {
  const char *base = given ? given : "";
  for (const char *p = base; *p; p++)
    if (*p == '/' || *p == '\\') base = p + 1;
  size_t len = strlen(base);
  if (len >= n) len = n - 1;
  while (len > 0 && !utf8_valid(base, len)) len--;
  memcpy(out, base, len);
  out[len] = 0;
  if (!*out) snprintf(out, n, "upload");
}

/* Answers a refusal of library_import. Returns the status. */
static int media_refused(ctx *c, int rc) {
  char why[160];
  switch (rc) {
  case IMAGE_UNSUPPORTED:
    return view_problem(c, 415, "This file is not a picture of a kind the library takes (JPEG, "
                        "PNG, WebP, GIF, HEIC, AVIF).", "file", "is not a picture the library takes");
  case IMAGE_TOO_MANY_PIXELS:
    snprintf(why, sizeof why, "The picture has more than %ld million pixels.",
             (long)(c->app->max_pixels / 1000000));
    return view_problem(c, 413, why, "file", "has too many pixels");
  case IMAGE_CORRUPT:
    return view_problem(c, 422, "The picture's file is damaged and cannot be read.", "file",
                        "cannot be read");
  default:
    return 500;
  }
}

/* Checks the upload's fields and imports its file. Returns the status
** answered. */
static int media_import(ctx *c, multipart *m) {
  const multipart_file *file = multipart_file_get(m, "file");
  if (!file || file->size == 0)
    return view_problem(c, 400, "Send the picture in the field file.", "file", "is missing");
  static const char *const fields[] = {"alt", "caption", "credit"};
  static const size_t max[] = {MEDIA_ALT_MAX, MEDIA_CAPTION_MAX, MEDIA_CREDIT_MAX};
  const char *value[3];
  for (int i = 0; i < 3; i++) {
    value[i] = multipart_field_get(m, fields[i]);
    if (!value[i]) value[i] = "";
    const char *wrong = media_text_wrong(value[i], max[i]);
    if (wrong) {
      char detail[160];
      snprintf(detail, sizeof detail, "The field %s is not valid: it %s.", fields[i], wrong);
      return view_problem(c, 400, detail, fields[i], wrong);
    }
  }
  char name[MEDIA_FILENAME_MAX + 1], err[300];
  media_filename(file->filename, name, sizeof name);
  media_words w = {c->user.id, name, value[0], value[1], value[2]};
  media_dirs dirs = {c->app->media_dir, c->app->originals_dir};
  long id = 0;
  int rc = library_import(c->db, c->now, &dirs, c->app->jobs, file->path, c->app->max_pixels,
                          LIBRARY_FIRST, &w, &id, err, sizeof err);
  if (rc == 0) return media_answer(c, id, 201);
  if (rc < 0) fprintf(stderr, "gazette: api upload of %s: %s\n", name, err);
  return media_refused(c, rc);
}

/* POST /api/v1/newsroom/media */
int api_newsroom_media_upload(ctx *c) {
  multipart *m = NULL;
  char why[300];
  if (!c->app->originals_dir) return 500;
  int st = upload_receive(c, c->app->originals_dir, c->app->upload_max_bytes, &m, why, sizeof why);
  if (st) return st >= 500 ? st : view_problem(c, st, why, NULL, NULL);
  st = media_import(c, m);
  multipart_close(m);
  return st;
}

/* GET /api/v1/newsroom/media/{id} */
int api_newsroom_media(ctx *c) { return media_answer(c, ctx_id(c, 0), 200); }

/* PATCH /api/v1/newsroom/media/{id}: {alt, caption, credit}, any of them. */
int api_newsroom_media_update(ctx *c) {
  static const char *const members[] = {"alt", "caption", "credit", NULL};
  static const size_t max[] = {MEDIA_ALT_MAX, MEDIA_CAPTION_MAX, MEDIA_CREDIT_MAX};
  long id = ctx_id(c, 0);
  cJSON *m = NULL;
  int rc = media_load(c->db, id, &m);
  if (rc == STORE_NOT_FOUND) return view_problem(c, 404, "There is no picture with this id.", NULL, NULL);
  if (rc != STORE_OK) return 500;
  cJSON *body = NULL;
  int st = 0;
  if (c->user.role < ROLE_EDITOR && json_long(m, "uploader_id") != c->user.id)
    st = view_problem(c, 403, "Authors change only the pictures they uploaded.", NULL, NULL);
  if (!st) st = api_object_or_reply(c, members, NULL, &body);
  buf v[3] = {{0}};
  for (int i = 0; i < 3 && !st; i++) {
    int given = 0;
    st = api_text_or_reply(c, body, members[i], &v[i], &given);
    if (!st && !given) buf_puts(&v[i], json_str(m, members[i]));
    if (!st && utf8_length(buf_str(&v[i]), v[i].len) > max[i])
      st = api_bad_member(c, members[i], "is too long");
  }
  if (!st) {
    rc = media_update(c->db, c->now, id, buf_str(&v[0]), buf_str(&v[1]), buf_str(&v[2]));
    st = rc == STORE_OK ? 0 : rc == STORE_NOT_FOUND ? 404 : 500;
  }
  for (int i = 0; i < 3; i++) buf_free(&v[i]);
  cJSON_Delete(body);
  cJSON_Delete(m);
  return st ? st : media_answer(c, id, 200);
}
