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
#include "i18n.h"
#include "view.h"
#include "visitor.h"

/* One entry of the admin menu and the least role that sees it. */
typedef struct menu_item {
  const char *key, *url;
  int role;
} menu_item;

static const menu_item MENU[] = {
    {"admin_dashboard", "/admin", ROLE_AUTHOR},
    {"admin_articles", "/admin/articles", ROLE_AUTHOR},
    {"admin_categories", "/admin/categories", ROLE_EDITOR},
    {"admin_tags", "/admin/tags", ROLE_EDITOR},
    {"admin_comments", "/admin/comments", ROLE_EDITOR},
    {"admin_users", "/admin/users", ROLE_ADMIN},
    {"admin_settings", "/admin/settings", ROLE_ADMIN},
};

/* Adds the admin object: who is signed in, the menu they may use. */
static void admin_frame(ctx *c, cJSON *doc) {
  cJSON *a = cJSON_AddObjectToObject(doc, "admin");
  if (!c->user.id) return;
  cJSON *u = cJSON_AddObjectToObject(a, "user");
  cJSON_AddStringToObject(u, "username", c->user.username);
  cJSON_AddStringToObject(u, "name", c->user.name);
  cJSON_AddStringToObject(u, "role", auth_role_name(c->user.role));
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

void admin_render(ctx *c, const char *name, cJSON *doc, const char *title,
                  int status) {
  cJSON_AddItemReferenceToObject(doc, "site", c->app->site);
  cJSON_AddItemReferenceToObject(doc, "t", c->app->strings);
  cJSON *page = cJSON_AddObjectToObject(doc, "page");
  buf full = {0};
  buf_printf(&full, "%s — %s", title, cJSON_GetObjectItem(c->app->site, "name")->valuestring);
  cJSON_AddStringToObject(page, "title", buf_str(&full));
  buf_free(&full);
  cJSON_AddStringToObject(page, "heading", title);
  admin_frame(c, doc);
  view_render(c, name, doc, "text/html; charset=utf-8", status);
}

void admin_redirect(ctx *c, const char *path) {
  response_redirect(&c->res, 303, path);
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

/* Shows the sign-in form with an optional message (an i18n key). */
static void login_form(ctx *c, const char *next, const char *name, const char *message,
                       int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *f = cJSON_AddObjectToObject(doc, "login");
  cJSON_AddStringToObject(f, "next", next);
  cJSON_AddStringToObject(f, "username", name);
  if (message) cJSON_AddStringToObject(f, "error", message);
  admin_render(c, "admin_login", doc, ctx_text(c, "admin_sign_in"), status);
  cJSON_Delete(doc);
}

/* GET /admin/login */
static void admin_login_page(ctx *c) {
  response_header(&c->res, "Cache-Control", "no-store");
  buf next = {0};
  admin_next(c, &next, 0);
  if (auth_session(c))
    admin_redirect(c, buf_str(&next));
  else
    login_form(c, buf_str(&next), "", NULL, 200);
  buf_free(&next);
}

/* POST /admin/login */
static void admin_login_post(ctx *c) {
  response_header(&c->res, "Cache-Control", "no-store");
  if (visitor_check_origin(c) != 0) return;
  buf name = {0}, pw = {0}, next = {0};
  admin_next(c, &next, 1);
  int ok = request_form(&c->req, "username", &name) == 1 &&
           request_form(&c->req, "password", &pw) == 1 && name.len <= 64;
  long wait = 0;
  int rc = ok ? auth_login(c, buf_str(&name), buf_str(&pw), &wait) : 1;
  if (rc == 0) {
    admin_redirect(c, buf_str(&next));
  } else if (rc == 2) {
    char msg[256], secs[24];
    snprintf(msg, sizeof msg, ctx_text(c, "admin_login_wait"), wait);
    snprintf(secs, sizeof secs, "%ld", wait);
    response_header(&c->res, "Retry-After", secs);
    login_form(c, buf_str(&next), buf_str(&name), msg, 429);
  } else if (rc == 1) {
    login_form(c, buf_str(&next), buf_str(&name),
               ctx_text(c, "admin_login_failed"), 401);
  } else {
    view_error(c, 500, NULL);
  }
  buf_free(&name);
  buf_free(&pw);
  buf_free(&next);
}

/* POST /admin/logout */
static void admin_logout(ctx *c) {
  if (auth_require(c, ROLE_AUTHOR) != 0) return;
  auth_logout(c);
  admin_redirect(c, "/admin/login");
}

static const char SQL_DASHBOARD[] =
    "SELECT"
    " (SELECT count(*) FROM articles WHERE status = 'draft' AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM articles WHERE status = 'pending' AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM articles WHERE status IN ('published', 'scheduled')"
    "   AND published_at > ?2 AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM articles WHERE status IN ('published', 'scheduled')"
    "   AND published_at <= ?2 AND (?1 = 0 OR author_id = ?1)),"
    " (SELECT count(*) FROM comments WHERE status = 'pending')";

/* GET /admin */
static void admin_home(ctx *c) {
  if (auth_require(c, ROLE_AUTHOR) != 0) return;
  sqlite3_stmt *st = db_prepare(c->db, SQL_DASHBOARD);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  sqlite3_bind_int64(st, 1, c->user.role >= ROLE_EDITOR ? 0 : c->user.id);
  sqlite3_bind_int64(st, 2, c->now);
  cJSON *doc = cJSON_CreateObject();
  cJSON *n = cJSON_AddObjectToObject(doc, "counts");
  if (sqlite3_step(st) == SQLITE_ROW) {
    static const char *const keys[] = {"drafts", "pending", "scheduled", "published",
                                       "comments_pending"};
    for (int i = 0; i < 5; i++)
      cJSON_AddNumberToObject(n, keys[i], (double)sqlite3_column_int64(st, i));
  }
  sqlite3_reset(st);
  admin_render(c, "admin_home", doc, ctx_text(c, "admin_dashboard"), 200);
  cJSON_Delete(doc);
}

/* Shows the own-password form with an optional message (i18n key). */
static void password_form(ctx *c, const char *error, const char *done, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *f = cJSON_AddObjectToObject(doc, "password");
  if (error) cJSON_AddStringToObject(f, "error", error);
  if (done) cJSON_AddStringToObject(f, "done", done);
  admin_render(c, "admin_password", doc, ctx_text(c, "admin_password"), status);
  cJSON_Delete(doc);
}

/* GET /admin/password */
static void admin_password_page(ctx *c) {
  if (auth_require(c, ROLE_AUTHOR) != 0) return;
  password_form(c, NULL, NULL, 200);
}

/* POST /admin/password: current, new, again. */
static void admin_password_post(ctx *c) {
  if (auth_require(c, ROLE_AUTHOR) != 0) return;
  buf cur = {0}, pw = {0}, again = {0};
  request_form(&c->req, "current", &cur);
  request_form(&c->req, "new", &pw);
  request_form(&c->req, "again", &again);
  const char *why = auth_password_check(buf_str(&pw));
  if (strcmp(buf_str(&pw), buf_str(&again)) != 0) {
    password_form(c, ctx_text(c, "admin_password_differ"), NULL, 400);
  } else if (why) {
    password_form(c, ctx_text(c, "admin_password_short"), NULL, 400);
  } else {
    long wait;
    if (!auth_password_matches(c, buf_str(&cur), &wait))
      password_form(c, ctx_text(c, "admin_password_wrong"), NULL, 400);
    else if (auth_change_own_password(c, buf_str(&pw)) != 0)
      view_error(c, 500, NULL);
    else
      password_form(c, NULL, ctx_text(c, "admin_password_changed"), 200);
  }
  buf_free(&cur);
  buf_free(&pw);
  buf_free(&again);
}

const route ADMIN_ROUTES[] = {
    {"GET", "/admin", admin_home},
    {"GET", "/admin/login", admin_login_page},
    {"POST", "/admin/login", admin_login_post},
    {"POST", "/admin/logout", admin_logout},
    {"GET", "/admin/password", admin_password_page},
    {"POST", "/admin/password", admin_password_post},
};
const size_t ADMIN_ROUTES_COUNT = sizeof ADMIN_ROUTES / sizeof ADMIN_ROUTES[0];
