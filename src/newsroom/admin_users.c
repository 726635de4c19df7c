/*
** admin_users.c: the newsroom's accounts, for admins (see admin_site.h).
**
**   GET  /admin/users                   the users and a form to add one
**   POST /admin/users                   add: username, name, role, password
**   GET  /admin/users/{id}              one user's role, state and password
**   POST /admin/users/{id}/role         role
**   POST /admin/users/{id}/state        state: active or disabled
**   POST /admin/users/{id}/password     password (ends the user's sessions)
**
** An admin can neither demote nor disable themselves, so the site always
** keeps the admin who is signed in.
*/
#include <stdio.h>
#include <string.h>

#include "admin_site.h"
#include "auth.h"
#include "utf8.h"
#include "view.h"

static const char SQL_USERS[] =
    "SELECT id, username, display_name, role, disabled FROM users ORDER BY username";
static const char SQL_USER[] =
    "SELECT id, username, display_name, role, disabled FROM users WHERE id = ?1";
/* One statement, so that two admins demoting each other at once cannot
** leave the site without an active admin. */
static const char SQL_USER_ROLE[] =
    "UPDATE users SET role = ?2 WHERE id = ?1 AND (?2 = 'admin' OR"
    " (SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"
    "  AND id <> ?1) > 0)";
static const char SQL_USER_ENABLE[] = "UPDATE users SET disabled = 0 WHERE id = ?1";

static const char *const ROLES[] = {"author", "editor", "admin"};

/* Returns the string key of the name of role (as stored). */
static const char *role_key(const char *role) {
  int r = auth_role_parse(role);
  return r == ROLE_ADMIN ? "site_role_admin" : r == ROLE_EDITOR ? "site_role_editor"
                                                                 : "site_role_author";
}

/* Builds a user object from a SQL_USERS row. */
static cJSON *user_from_row(ctx *c, sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  long id = (long)sqlite3_column_int64(st, 0);
  char url[48];
  snprintf(url, sizeof url, "/admin/users/%ld", id);
  cJSON_AddNumberToObject(o, "id", (double)id);
  cJSON_AddStringToObject(o, "username", db_text(st, 1));
  cJSON_AddStringToObject(o, "name", db_text(st, 2));
  cJSON_AddStringToObject(o, "role", db_text(st, 3));
  cJSON_AddStringToObject(o, "role_label", site_text(c, role_key(db_text(st, 3))));
  cJSON_AddBoolToObject(o, "disabled", sqlite3_column_int(st, 4) != 0);
  cJSON_AddBoolToObject(o, "is_self", id == c->user.id);
  cJSON_AddStringToObject(o, "url", url);
  return o;
}

/* Adds the role choices to o, marking role as chosen. */
static void user_roles(ctx *c, cJSON *o, const char *role) {
  cJSON *list = cJSON_AddArrayToObject(o, "roles");
  for (int i = 0; i < 3; i++) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "value", ROLES[i]);
    cJSON_AddStringToObject(r, "label", site_text(c, role_key(ROLES[i])));
    cJSON_AddBoolToObject(r, "selected", strcmp(role, ROLES[i]) == 0);
    cJSON_AddItemToArray(list, r);
  }
}

/* The add form as typed. */
typedef struct user_form {
  buf username, name, role, password;
} user_form;

/* Shows the users with the add form (as typed, with error, a string key). */
static void users_show(ctx *c, const user_form *f, const char *error, int status) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_USERS);
  if (!st) {
    view_error(c, 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, "users");
  while (sqlite3_step(st) == SQLITE_ROW) cJSON_AddItemToArray(list, user_from_row(c, st));
  sqlite3_reset(st);
  cJSON *o = cJSON_AddObjectToObject(doc, "form");
  cJSON_AddStringToObject(o, "username", buf_str(&f->username));
  cJSON_AddStringToObject(o, "name", buf_str(&f->name));
  user_roles(c, o, f->role.len ? buf_str(&f->role) : "author");
  if (error) cJSON_AddStringToObject(o, "error", site_text(c, error));
  static const char *const done[] = {"added", "site_user_added", NULL};
  site_done(c, doc, done);
  site_show(c, "admin_users", doc, "admin_users", status);
}

/* GET /admin/users */
void admin_users_list(ctx *c) {
  if (auth_require(c, ROLE_ADMIN) != 0) return;
  user_form f = {0};
  users_show(c, &f, NULL, 200);
}

/* POST /admin/users: username, name, role, password. */
void admin_users_add(ctx *c) {
  if (auth_require(c, ROLE_ADMIN) != 0) return;
  user_form f = {0};
  int bad = site_field(c, "username", &f.username) < 0;
  bad |= site_field(c, "name", &f.name) < 0;
  bad |= site_field(c, "role", &f.role) < 0;
  bad |= request_form(&c->req, "password", &f.password) < 0;
  int role = auth_role_parse(buf_str(&f.role));
  const char *why = bad ? "site_form_bad"
                    : role == ROLE_NONE ? "site_role_needed"
                    : auth_password_check(buf_str(&f.password)) ? "admin_password_short"
                    : utf8_length(buf_str(&f.name), f.name.len) > 100 ? "site_name_long"
                                       : NULL;
  int rc = why ? 1 : user_add(c->db, buf_str(&f.username), buf_str(&f.name), role,
                              buf_str(&f.password));
  if (!why && rc == 1) why = "site_username_bad";
  if (why) users_show(c, &f, why, 400);
  else if (rc == 0) admin_redirect(c, "/admin/users?done=added");
  else view_error(c, 500, NULL);
  buf_free(&f.username);
  buf_free(&f.name);
  buf_free(&f.role);
  buf_free(&f.password);
}

/* Loads user id as an object into *out. Returns 0, 1 when there is none,
** -1. */
static int user_load(ctx *c, long id, cJSON **out) {
  sqlite3_stmt *st = id ? db_prepare(c->db, SQL_USER) : NULL;
  if (!id) return 1;
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = user_from_row(c, st);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static const char *const USER_DONE[] = {"role", "site_user_role_saved", "state",
                                        "site_user_state_saved", "password",
                                        "site_user_password_saved", NULL};

/* Shows user id's page, with error (a string key) when there is one. */
static void user_show(ctx *c, long id, const char *error, int status) {
  cJSON *u = NULL;
  int rc = user_load(c, id, &u);
  if (rc != 0) {
    view_error(c, rc > 0 ? 404 : 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "user", u);
  user_roles(c, u, cJSON_GetObjectItem(u, "role")->valuestring);
  if (error) cJSON_AddStringToObject(doc, "error", site_text(c, error));
  site_done(c, doc, USER_DONE);
  site_show(c, "admin_site_user", doc, "site_user_edit", status);
}

/* GET /admin/users/{id} */
void admin_user_page(ctx *c) {
  if (auth_require(c, ROLE_ADMIN) != 0) return;
  user_show(c, site_id(c), NULL, 200);
}

/* Answers a change of user id: 303 to their page saying what (a done
** word) when rc is 0, the page again with why (400) when why is set, else
** 404 or 500. */
static void user_answer(ctx *c, long id, int rc, const char *why, const char *what) {
  char to[80];
  snprintf(to, sizeof to, "/admin/users/%ld?done=%s", id, what);
  if (why) user_show(c, id, why, 400);
  else if (rc == 0) admin_redirect(c, to);
  else view_error(c, rc > 0 ? 404 : 500, NULL);
}

/* Runs the update sql for user id (binding text as ?2 when given).
** Returns 0, 1 when there is no such user, -1. */
static int user_update(ctx *c, const char *sql, long id, const char *text) {
  sqlite3_stmt *st = db_prepare(c->db, sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  if (text) sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return -1;
  return sqlite3_changes(c->db->h) > 0 ? 0 : 1;
}

/* POST /admin/users/{id}/role: role. */
void admin_user_role(ctx *c) {
  if (auth_require(c, ROLE_ADMIN) != 0) return;
  long id = site_id(c);
  buf v = {0};
  int role = site_field(c, "role", &v) == 1 ? auth_role_parse(buf_str(&v)) : ROLE_NONE;
  buf_free(&v);
  const char *why = !id ? NULL
                    : role == ROLE_NONE ? "site_role_needed"
                    : id == c->user.id && role != ROLE_ADMIN ? "site_user_not_self"
                                                             : NULL;
  int rc = !id ? 1 : why ? 0 : user_update(c, SQL_USER_ROLE, id, auth_role_name(role));
  user_answer(c, id, rc, why, "role");
}

/* Returns user id's username into name (size n). Returns 0, 1, -1. */
static int user_name_of(ctx *c, long id, char *name, size_t n) {
  cJSON *u = NULL;
  int rc = user_load(c, id, &u);
  if (rc == 0) snprintf(name, n, "%s", cJSON_GetObjectItem(u, "username")->valuestring);
  cJSON_Delete(u);
  return rc;
}

/* POST /admin/users/{id}/state: state = active or disabled. Disabling ends
** the user's sessions. */
void admin_user_state(ctx *c) {
  if (auth_require(c, ROLE_ADMIN) != 0) return;
  long id = site_id(c);
  buf v = {0};
  site_field(c, "state", &v);
  int disable = strcmp(buf_str(&v), "disabled") == 0;
  int enable = strcmp(buf_str(&v), "active") == 0;
  buf_free(&v);
  char name[64] = "";
  const char *why = !id ? NULL
                    : !disable && !enable ? "site_form_bad"
                    : disable && id == c->user.id ? "site_user_not_self"
                                                  : NULL;
  int rc = !id ? 1 : why ? 0 : user_name_of(c, id, name, sizeof name);
  if (rc == 0 && !why)
    rc = disable ? user_disable(c->db, name) : user_update(c, SQL_USER_ENABLE, id, NULL);
  user_answer(c, id, rc, why, "state");
}

/* POST /admin/users/{id}/password: password. Ends all of the user's
** sessions (the admin's own too, when it is their own account). */
void admin_user_password(ctx *c) {
  if (auth_require(c, ROLE_ADMIN) != 0) return;
  long id = site_id(c);
  buf pw = {0};
  int bad = request_form(&c->req, "password", &pw) != 1;
  const char *why = !id ? NULL
                    : bad || auth_password_check(buf_str(&pw)) ? "admin_password_short"
                                                               : NULL;
  char name[64] = "";
  int rc = !id ? 1 : why ? 0 : user_name_of(c, id, name, sizeof name);
  if (rc == 0 && !why) rc = user_passwd(c->db, name, buf_str(&pw));
  buf_free(&pw);
  if (rc == 0 && !why && id == c->user.id) admin_redirect(c, "/admin/login");
  else user_answer(c, id, rc, why, "password");
}
