/*
** admin.c: the admin frame, sign-in, sign-out, dashboard and own password
** (see admin.h).
**
**   GET  /admin/login          the sign-in form
**   POST /admin/login          sign in; 303 to ?next= or /admin
**   POST /admin/logout         sign out
**   GET  /admin                the dashboard
**   GET  /admin/password       change one's own password
**   POST /admin/password
*/
#include "admin.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "store_newsroom.h"
#include "store_media.h"
#include "i18n.h"
#include "sanitize.h"
#include "picture.h"
#include "view.h"
#include "visitor.h"
#include "json.h"

/* One entry of the admin menu and the least role that sees it. */
typedef struct menu_item {
  const char *key, *url;
  int role;
} menu_item;

static const menu_item MENU[] = {
    {"admin_dashboard", "/admin", ROLE_AUTHOR},
    {"admin_articles", "/admin/articles", ROLE_AUTHOR},
    {"admin_media", "/admin/media", ROLE_AUTHOR},
    {"admin_categories", "/admin/categories", ROLE_EDITOR},
    {"admin_pages", "/admin/pages", ROLE_EDITOR},
    {"admin_tags", "/admin/tags", ROLE_EDITOR},
    {"admin_comments", "/admin/comments", ROLE_EDITOR},
    {"admin_users", "/admin/users", ROLE_ADMIN},
    {"admin_settings", "/admin/settings", ROLE_ADMIN},
    {"admin_caches", "/admin/cache", ROLE_EDITOR},
    {"admin_tokens", "/admin/tokens", ROLE_AUTHOR},
    {"admin_webhooks", "/admin/webhooks", ROLE_ADMIN},
};

/* Adds the admin object: who is signed in, the menu they may use. */
static void admin_frame(ctx *c, cJSON *doc) {
  cJSON *a = cJSON_AddObjectToObject(doc, "admin");
  if (!c->user.id) return;
  cJSON *u = cJSON_AddObjectToObject(a, "user");
  cJSON_AddStringToObject(u, "username", c->user.username);
  cJSON_AddStringToObject(u, "name", c->user.name);
  cJSON_AddStringToObject(u, "role", auth_role_name(c->user.role));
  char key[32];
  snprintf(key, sizeof key, "site_role_%s", auth_role_name(c->user.role));
  cJSON_AddStringToObject(u, "role_label", ctx_text(c, key));
  cJSON_AddStringToObject(a, "csrf", c->user.csrf);
  cJSON_AddBoolToObject(a, "is_editor", c->user.role >= ROLE_EDITOR);
  cJSON_AddBoolToObject(a, "is_admin", c->user.role >= ROLE_ADMIN);
  cJSON *nav = cJSON_AddArrayToObject(a, "nav");
  for (size_t i = 0; i < sizeof MENU / sizeof MENU[0]; i++) {
    if (c->user.role < MENU[i].role) continue;
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "name", ctx_text(c, MENU[i].key));
    cJSON_AddStringToObject(item, "url", MENU[i].url);
    size_t n = strlen(MENU[i].url);
    int current = strcmp(c->req.path, MENU[i].url) == 0 ||
                  (n > 6 && strncmp(c->req.path, MENU[i].url, n) == 0);
    cJSON_AddBoolToObject(item, "current", current);
    cJSON_AddItemToArray(nav, item);
  }
}

int admin_render(ctx *c, const char *name, cJSON *doc, const char *title,
                 int status) {
  cJSON_AddItemReferenceToObject(doc, "site", c->app->site);
  cJSON_AddItemReferenceToObject(doc, "t", c->app->strings);
  if (c->app->assets) cJSON_AddItemReferenceToObject(doc, "assets", c->app->assets);
  cJSON *page = cJSON_AddObjectToObject(doc, "page");
  buf full = {0};
  buf_printf(&full, "%s — %s", title, json_str(c->app->site, "name"));
  cJSON_AddStringToObject(page, "title", buf_str(&full));
  buf_free(&full);
  cJSON_AddStringToObject(page, "heading", title);
  admin_frame(c, doc);
  return view_render(c, name, doc, "text/html; charset=utf-8", status);
}

int admin_html_clean(ctx *c, buf *body) {
  char host[256];
  const char *b = c->app->base_url, *h = strstr(b, "://");
  snprintf(host, sizeof host, "%.*s", (int)strcspn(h ? h + 3 : b, ":/"), h ? h + 3 : b);
  const char *own[] = {host, NULL};
  sanitize_options opt = {.flags = SANITIZE_HTML_ONLY, .embed_prefixes = c->app->embed_prefixes,
                          .own_hosts = own};
  buf out = {0};
  char err[200];
  int rc = sanitize_html(buf_str(body), body->len, &opt, &out, NULL, err, sizeof err);
  if (rc == 0) {
    buf_free(body);
    *body = out;
  }
  return rc == 0 ? 0 : -1;
}

int admin_redirect(ctx *c, const char *path) {
  return response_redirect(&c->res, 303, path);
}

/* Returns the ?next= or form "next" target if it is an admin path, else
** "/admin", copied into out. */
static const char *admin_next(ctx *c, buf *out, int from_form) {
  buf v = {0};
  int rc = from_form ? request_form(&c->req, "next", &v) : request_query(&c->req, "next", &v);
  const char *n = buf_str(&v);
  int ok = rc == 1 && strncmp(n, "/admin", 6) == 0 && !strstr(n, "//") &&
           !strpbrk(n, "\\\r\n") && (n[6] == 0 || n[6] == '/' || n[6] == '?');
  buf_puts(out, ok ? n : "/admin");
  buf_free(&v);
  return buf_str(out);
}

/* Shows the sign-in form with an optional message. Returns the status
** answered. */
static int login_form(ctx *c, const char *next, const char *name, const char *message,
                      int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *f = cJSON_AddObjectToObject(doc, "login");
  cJSON_AddStringToObject(f, "next", next);
  cJSON_AddStringToObject(f, "username", name);
  if (message) cJSON_AddStringToObject(f, "error", message);
  int st = admin_render(c, "admin_login", doc, ctx_text(c, "admin_sign_in"), status);
  cJSON_Delete(doc);
  return st;
}

/* GET /admin/login */
int admin_login_page(ctx *c) {
  buf next = {0};
  admin_next(c, &next, 0);
  int st = auth_session(c) ? admin_redirect(c, buf_str(&next))
                           : login_form(c, buf_str(&next), "", NULL, 200);
  buf_free(&next);
  return st;
}

/* POST /admin/login */
int admin_login_post(ctx *c) {
  buf name = {0}, pw = {0}, next = {0};
  admin_next(c, &next, 1);
  int ok = request_form(&c->req, "username", &name) == 1 &&
           request_form(&c->req, "password", &pw) == 1 && name.len <= 64;
  long wait = 0;
  int rc = ok ? auth_login(c, buf_str(&name), buf_str(&pw), &wait) : 1, st = 500;
  if (rc == 0) {
    st = admin_redirect(c, buf_str(&next));
  } else if (rc == 2) {
    char msg[256], secs[24];
    snprintf(msg, sizeof msg, ctx_text(c, "admin_login_wait"), wait);
    snprintf(secs, sizeof secs, "%ld", wait);
    response_header(&c->res, "Retry-After", secs);
    st = login_form(c, buf_str(&next), buf_str(&name), msg, 429);
  } else if (rc == 1) {
    st = login_form(c, buf_str(&next), buf_str(&name), ctx_text(c, "admin_login_failed"), 401);
  }
  buf_free(&name);
  buf_free(&pw);
  buf_free(&next);
  return st;
}

/* POST /admin/logout */
int admin_logout(ctx *c) {
  auth_logout(c);
  return admin_redirect(c, "/admin/login");
}

/* GET /admin */
int admin_home(ctx *c) {
  dashboard k;
  if (dashboard_counts(c->db, c->now, c->user.role >= ROLE_EDITOR ? 0 : c->user.id, &k) !=
      STORE_OK)
    return 500;
  cJSON *doc = cJSON_CreateObject();
  cJSON *n = cJSON_AddObjectToObject(doc, "counts");
  cJSON_AddNumberToObject(n, "drafts", (double)k.drafts);
  cJSON_AddNumberToObject(n, "pending", (double)k.pending);
  cJSON_AddNumberToObject(n, "scheduled", (double)k.scheduled);
  cJSON_AddNumberToObject(n, "published", (double)k.published);
  cJSON_AddNumberToObject(n, "comments_pending", (double)k.comments_pending);
  int rc = admin_render(c, "admin_home", doc, ctx_text(c, "admin_dashboard"), 200);
  cJSON_Delete(doc);
  return rc;
}

/* Adds the avatar form to doc: the signed-in user's avatar and the
** pictures that may be chosen. Returns 0 or -1. */
static int avatar_form(ctx *c, cJSON *doc) {
  long current = 0;
  cJSON *a = cJSON_AddObjectToObject(doc, "avatar"), *o, *rec = NULL;
  cJSON *list = cJSON_AddArrayToObject(a, "pictures");
  if (media_avatar_of(c->db, c->user.id, &current) != STORE_OK ||
      media_choices(c->db, current, 100, list) != STORE_OK)
    return -1;
  cJSON_ArrayForEach(o, list) { cJSON_AddBoolToObject(o, "selected", json_long(o, "id") == current); }
  if (current && media_picture(c->db, current, &rec) == STORE_OK) {
    static const picture_opts small = {.sizes = "6rem", .max_width = 320, .cls = "avatar"};
    buf html = {0};
    if (picture_html(&html, rec, &small) == 0) cJSON_AddStringToObject(a, "html", buf_str(&html));
    buf_free(&html);
  }
  cJSON_Delete(rec);
  buf v = {0};
  if (request_query(&c->req, "done", &v) == 1 && strcmp(buf_str(&v), "avatar") == 0)
    cJSON_AddStringToObject(a, "done", ctx_text(c, "media_avatar_saved"));
  buf_free(&v);
  return 0;
}

/* Shows the own-password form with an optional message. Returns the status
** answered. */
static int password_form(ctx *c, const char *error, const char *done, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *f = cJSON_AddObjectToObject(doc, "password");
  if (error) cJSON_AddStringToObject(f, "error", error);
  if (done) cJSON_AddStringToObject(f, "done", done);
  if (avatar_form(c, doc) != 0) {
    cJSON_Delete(doc);
    return 500;
  }
  int st = admin_render(c, "admin_password", doc, ctx_text(c, "admin_password"), status);
  cJSON_Delete(doc);
  return st;
}

/* GET /admin/password */
int admin_password_page(ctx *c) { return password_form(c, NULL, NULL, 200); }

/* POST /admin/password: current, new, again. */
int admin_password_post(ctx *c) {
  buf cur = {0}, pw = {0}, again = {0};
  request_form(&c->req, "current", &cur);
  request_form(&c->req, "new", &pw);
  request_form(&c->req, "again", &again);
  const char *why = auth_password_check(buf_str(&pw));
  long wait;
  int st;
  if (strcmp(buf_str(&pw), buf_str(&again)) != 0)
    st = password_form(c, ctx_text(c, "admin_password_differ"), NULL, 400);
  else if (why)
    st = password_form(c, ctx_text(c, "admin_password_short"), NULL, 400);
  else if (!auth_password_matches(c, buf_str(&cur), &wait))
    st = password_form(c, ctx_text(c, "admin_password_wrong"), NULL, 400);
  else if (auth_change_own_password(c, buf_str(&pw)) != 0)
    st = 500;
  else
    st = password_form(c, NULL, ctx_text(c, "admin_password_changed"), 200);
  buf_free(&cur);
  buf_free(&pw);
  buf_free(&again);
  return st;
}
