/*
** admin_profile.c: what readers are told of a newsroom account, edited
** by its owner or by an admin.
**
**   GET  /admin/profile              one's own: display name, bio, picture
**   POST /admin/profile
**   GET  /admin/users/{id}/profile   anyone's (admins)
**   POST /admin/users/{id}/profile
**
** The display name is shown in bylines, on the author's page and in the
** API; the bio under each article and on the author's page; the picture
** (a library picture with alt text) beside the name.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "json.h"
#include "picture.h"
#include "store.h"
#include "store_media.h"
#include "store_newsroom.h"
#include "utf8.h"
#include "view.h"

enum { PROFILE_NAME_MAX = 100, PROFILE_BIO_MAX = 2000, PROFILE_PICTURES = 100 };

/* A profile as typed. */
typedef struct profile {
  buf name, bio;
  long avatar;
} profile;

/* Frees the bufs of p. */
static void profile_free(profile *p) {
  buf_free(&p->name);
  buf_free(&p->bio);
}

/* Appends the address of user id's profile form (one's own when self). */
static void profile_url(ctx *c, long id, buf *out) {
  if (id == c->user.id) buf_puts(out, "/admin/profile");
  else buf_printf(out, "/admin/users/%ld/profile", id);
}

/* Shows the profile form of user id with the values of typed (NULL: as
** stored) and errors ([{field, message}], taken over; NULL: none).
** Returns the status answered. */
static int profile_show(ctx *c, long id, const profile *typed, cJSON *errors, int status) {
  cJSON *u = NULL;
  int rc = user_profile_get(c->db, id, &u);
  if (rc != STORE_OK) {
    cJSON_Delete(errors);
    return rc > 0 ? 404 : 500;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "profile", u);
  long avatar = typed ? typed->avatar : json_long(u, "avatar_id");
  if (typed) {
    json_put(u, "name", cJSON_CreateString(buf_str(&typed->name)));
    json_put(u, "bio", cJSON_CreateString(buf_str(&typed->bio)));
  }
  buf b = {0};
  profile_url(c, id, &b);
  cJSON_AddStringToObject(u, "action", buf_str(&b));
  buf_free(&b);
  cJSON_AddBoolToObject(u, "is_self", id == c->user.id);
  cJSON *list = cJSON_AddArrayToObject(u, "pictures"), *o;
  if (media_choices(c->db, avatar, PROFILE_PICTURES, list) != STORE_OK) {
    cJSON_Delete(doc);
    cJSON_Delete(errors);
    return 500;
  }
  cJSON_ArrayForEach(o, list) { cJSON_AddBoolToObject(o, "selected", json_long(o, "id") == avatar); }
  cJSON *rec = NULL;
  if (avatar && media_picture(c->db, avatar, &rec) == STORE_OK) {
    static const picture_opts small = {.sizes = "6rem", .max_width = 320, .cls = "avatar"};
    buf html = {0};
    if (picture_html(&html, rec, &small) == 0) cJSON_AddStringToObject(u, "avatar_html", buf_str(&html));
    buf_free(&html);
  }
  cJSON_Delete(rec);
  if (errors) cJSON_AddItemToObject(doc, "errors", errors);
  buf v = {0};
  if (request_query(&c->req, "done", &v) == 1)
    cJSON_AddStringToObject(doc, "done", ctx_text(c, "admin_profile_saved"));
  buf_free(&v);
  int st = admin_render(c, "admin_profile", doc, ctx_text(c, "admin_profile"), status);
  cJSON_Delete(doc);
  return st;
}

/* Adds {field, message (the text for key)} to errors. */
static void profile_error(ctx *c, cJSON *errors, const char *field, const char *key) {
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "field", field);
  cJSON_AddStringToObject(e, "message", ctx_text(c, key));
  cJSON_AddItemToArray(errors, e);
}

/* Removes spaces and line breaks at both ends of b. */
static void profile_trim(buf *b) {
  size_t s = 0, e = b->len;
  while (s < e && strchr(" \t\r\n", b->data[s])) s++;
  while (e > s && strchr(" \t\r\n", b->data[e - 1])) e--;
  if (s) memmove(b->data, b->data + s, e - s);
  b->len = e - s;
  if (b->data) b->data[b->len] = 0;
}

/* Reads the posted profile into p and checks it, adding what is wrong to
** errors. Returns 0, or -1 when a field is missing or malformed. */
static int profile_read(ctx *c, profile *p, cJSON *errors) {
  buf v = {0};
  int bad = request_form(&c->req, "name", &p->name) != 1 || request_form(&c->req, "bio", &p->bio) < 0 ||
            request_form(&c->req, "avatar", &v) < 0;
  char *stop = NULL;
  p->avatar = v.len ? strtol(buf_str(&v), &stop, 10) : 0;
  if (v.len && (*stop || p->avatar < 0)) bad = 1;
  buf_free(&v);
  if (bad) return -1;
  profile_trim(&p->name);
  profile_trim(&p->bio);
  size_t n = utf8_length(buf_str(&p->name), p->name.len);
  if (n == 0 || n > PROFILE_NAME_MAX || strpbrk(buf_str(&p->name), "\r\n\t"))
    profile_error(c, errors, "name", "admin_profile_err_name");
  if (utf8_length(buf_str(&p->bio), p->bio.len) > PROFILE_BIO_MAX)
    profile_error(c, errors, "bio", "admin_profile_err_bio");
  cJSON *rec = NULL;
  if (p->avatar && (media_picture(c->db, p->avatar, &rec) != STORE_OK || !*json_str(rec, "alt")))
    profile_error(c, errors, "avatar", "admin_profile_err_avatar");
  cJSON_Delete(rec);
  return 0;
}

/* Saves the posted profile of user id and answers: 303 back to the form
** saying so, the form again with what was typed (400), or 404. Returns
** the status. */
static int profile_post(ctx *c, long id) {
  profile p = {0};
  cJSON *errors = cJSON_CreateArray();
  int st;
  if (profile_read(c, &p, errors) != 0) {
    cJSON_Delete(errors);
    st = view_error(c, 400, ctx_text(c, "admin_profile_err_form"));
  } else if (cJSON_GetArraySize(errors) > 0) {
    st = profile_show(c, id, &p, errors, 400);
  } else {
    cJSON_Delete(errors);
    int rc = user_profile_set(c->db, id, buf_str(&p.name), buf_str(&p.bio), p.avatar);
    buf to = {0};
    profile_url(c, id, &to);
    buf_puts(&to, "?done=1");
    st = rc == STORE_NOT_FOUND ? 404 : rc != STORE_OK ? 500 : admin_redirect(c, buf_str(&to));
    buf_free(&to);
  }
  profile_free(&p);
  return st;
}

/* GET /admin/profile */
int admin_profile_page(ctx *c) { return profile_show(c, c->user.id, NULL, NULL, 200); }

/* POST /admin/profile: name, bio, avatar. */
int admin_profile_save(ctx *c) { return profile_post(c, c->user.id); }

/* GET /admin/users/{id}/profile */
int admin_user_profile_page(ctx *c) { return profile_show(c, ctx_id(c, 0), NULL, NULL, 200); }

/* POST /admin/users/{id}/profile: name, bio, avatar. */
int admin_user_profile_save(ctx *c) { return profile_post(c, ctx_id(c, 0)); }
