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
#include "store.h"
#include "store_newsroom.h"
#include "utf8.h"
#include "view.h"
#include "json.h"

static const char *const ROLES[] = {"author", "editor", "admin"};

/* Returns the string key of the name of role (as stored). */
static const char *role_key(const char *role) {
  int r = auth_role_parse(role);
  return r == ROLE_ADMIN ? "site_role_admin" : r == ROLE_EDITOR ? "site_role_editor"
                                                                 : "site_role_author";
}

/* Adds to a user object (as user_all builds it) what the screens show:
** its role's name, whether it is the signed-in user, its page. */
static void user_shown(ctx *c, cJSON *o) {
  long id = (long)json_num(o, "id");
  char url[48];
  snprintf(url, sizeof url, "/admin/users/%ld", id);
  cJSON_AddStringToObject(o, "role_label",
                          site_text(c, role_key(json_str(o, "role"))));
  cJSON_AddBoolToObject(o, "is_self", id == c->user.id);
  cJSON_AddStringToObject(o, "url", url);
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

/* Shows the users with the add form (as typed, with error, a string key).
** Returns the status answered. */
static int users_show(ctx *c, const user_form *f, const char *error, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, "users"), *u;
  if (user_all(c->db, list) != STORE_OK) {
    cJSON_Delete(doc);
    return 500;
  }
  cJSON_ArrayForEach(u, list) { user_shown(c, u); }
  cJSON *o = cJSON_AddObjectToObject(doc, "form");
  cJSON_AddStringToObject(o, "username", buf_str(&f->username));
  cJSON_AddStringToObject(o, "name", buf_str(&f->name));
  user_roles(c, o, f->role.len ? buf_str(&f->role) : "author");
  if (error) cJSON_AddStringToObject(o, "error", site_text(c, error));
  static const char *const done[] = {"added", "site_user_added", NULL};
  site_done(c, doc, done);
  return site_show(c, "admin_users", doc, "admin_users", status);
}

/* GET /admin/users */
int admin_users_list(ctx *c) {
  user_form f = {0};
  return users_show(c, &f, NULL, 200);
}

/* POST /admin/users: username, name, role, password. */
int admin_users_add(ctx *c) {
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
  if (!why && rc == STORE_TAKEN) why = "site_username_bad";
  int st = why ? users_show(c, &f, why, 400)
           : rc == 0 ? admin_redirect(c, "/admin/users?done=added") : 500;
  buf_free(&f.username);
  buf_free(&f.name);
  buf_free(&f.role);
  buf_free(&f.password);
  return st;
}

static const char *const USER_DONE[] = {"role", "site_user_role_saved", "state",
                                        "site_user_state_saved", "password",
                                        "site_user_password_saved", NULL};

/* Shows user id's page, with error (a string key) when there is one.
** Returns the status answered. */
static int user_show(ctx *c, long id, const char *error, int status) {
  cJSON *u = NULL;
  int rc = user_get(c->db, id, &u);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? 404 : 500;
  user_shown(c, u);
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "user", u);
  user_roles(c, u, json_str(u, "role"));
  if (error) cJSON_AddStringToObject(doc, "error", site_text(c, error));
  site_done(c, doc, USER_DONE);
  return site_show(c, "admin_site_user", doc, "site_user_edit", status);
}

/* GET /admin/users/{id} */
int admin_user_page(ctx *c) { return user_show(c, ctx_id(c, 0), NULL, 200); }

/* Answers a change of user id: 303 to their page saying what (a done
** word) when rc is STORE_OK, the page again with why (400) when why is
** set, else 404 or 500. Returns the status. */
static int user_answer(ctx *c, long id, int rc, const char *why, const char *what) {
  char to[80];
  snprintf(to, sizeof to, "/admin/users/%ld?done=%s", id, what);
  if (why) return user_show(c, id, why, 400);
  if (rc == STORE_OK) return admin_redirect(c, to);
  return rc == STORE_NOT_FOUND ? 404 : 500;
}

/* POST /admin/users/{id}/role: role. */
int admin_user_role(ctx *c) {
  long id = ctx_id(c, 0);
  buf v = {0};
  int role = site_field(c, "role", &v) == 1 ? auth_role_parse(buf_str(&v)) : ROLE_NONE;
  buf_free(&v);
  const char *why = role == ROLE_NONE ? "site_role_needed"
                    : id == c->user.id && role != ROLE_ADMIN ? "site_user_not_self"
                                                             : NULL;
  int rc = why ? STORE_OK : user_set_role(c->db, id, auth_role_name(role));
  if (rc == STORE_LAST_ADMIN) why = "site_user_last_admin";
  return user_answer(c, id, rc, why, "role");
}

/* Returns user id's username into name (size n). Returns a store result. */
static int user_name_of(ctx *c, long id, char *name, size_t n) {
  cJSON *u = NULL;
  int rc = user_get(c->db, id, &u);
  if (rc == STORE_OK) snprintf(name, n, "%s", json_str(u, "username"));
  cJSON_Delete(u);
  return rc;
}

/* POST /admin/users/{id}/state: state = active or disabled. Disabling ends
** the user's sessions. */
int admin_user_state(ctx *c) {
  long id = ctx_id(c, 0);
  buf v = {0};
  site_field(c, "state", &v);
  int disable = strcmp(buf_str(&v), "disabled") == 0;
  int enable = strcmp(buf_str(&v), "active") == 0;
  buf_free(&v);
  char name[64] = "";
  const char *why = !disable && !enable ? "site_form_bad"
                    : disable && id == c->user.id ? "site_user_not_self"
                                                  : NULL;
  int rc = why ? STORE_OK : user_name_of(c, id, name, sizeof name);
  if (rc == STORE_OK && !why) rc = disable ? user_disable(c->db, name) : user_enable(c->db, id);
  if (rc == STORE_LAST_ADMIN) why = "site_user_last_admin";
  return user_answer(c, id, rc, why, "state");
}

/* POST /admin/users/{id}/password: password. Ends all of the user's
** sessions (the admin's own too, when it is their own account). */
int admin_user_password(ctx *c) {
  long id = ctx_id(c, 0);
  buf pw = {0};
  int bad = request_form(&c->req, "password", &pw) != 1;
  const char *why = bad || auth_password_check(buf_str(&pw)) ? "admin_password_short" : NULL;
  char name[64] = "";
  int rc = why ? STORE_OK : user_name_of(c, id, name, sizeof name);
  if (rc == STORE_OK && !why) rc = user_passwd(c->db, name, buf_str(&pw));
  buf_free(&pw);
  if (rc == STORE_OK && !why && id == c->user.id) return admin_redirect(c, "/admin/login");
  return user_answer(c, id, rc, why, "password");
}
