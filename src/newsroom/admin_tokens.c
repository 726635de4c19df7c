/*
** admin_tokens.c: one's own API tokens, in the newsroom.
**
**   GET  /admin/tokens                one's tokens and the form to make one;
**                                     for admins, everyone's too
**   POST /admin/tokens                make one (name, scope, days): the page
**                                     shows it, this once
**   POST /admin/tokens/{id}/revoke    one's own; admins anyone's (another's
**                                     token is 404 to the rest)
**
** A token acts over the API with its user's role (tokens.h, docs/api.md).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_site.h"
#include "json.h"
#include "store_token.h"
#include "tokens.h"
#include "view.h"
#include "tz.h"

static const long DAYS[] = {7, 30, 90, 365};
static const char *const DAY_LABELS[] = {"admin_token_days_7", "admin_token_days_30",
                                         "admin_token_days_90", "admin_token_days_365"};

/* Adds to each token of list what the screen shows: its state and its
** times for people, and the address that revokes it. */
static void tokens_shown(ctx *c, cJSON *list) {
  cJSON *t;
  buf b = {0};
  char url[64];
  cJSON_ArrayForEach(t, list) {
    const char *state = token_state(t, c->now);
    buf_reset(&b);
    buf_printf(&b, "admin_token_state_%s", state);
    cJSON_AddStringToObject(t, "state_label", site_text(c, buf_str(&b)));
    cJSON_AddBoolToObject(t, "active", strcmp(state, "active") == 0);
    cJSON_AddStringToObject(t, "scope_label", site_text(c, strcmp(json_str(t, "scope"), "read") == 0
                                                              ? "admin_token_scope_read"
                                                              : "admin_token_scope_write"));
    static const char *const times[][2] = {{"created_at", "created"}, {"expires_at", "expires"},
                                           {"last_used_at", "last_used"}};
    for (int i = 0; i < 3; i++) {
      buf_reset(&b);
      if (json_num(t, times[i][0]) > 0) tz_show(c->app->zone, (time_t)json_num(t, times[i][0]), &b);
      else buf_puts(&b, site_text(c, "admin_token_never"));
      cJSON_AddStringToObject(t, times[i][1], buf_str(&b));
    }
    snprintf(url, sizeof url, "/admin/tokens/%ld/revoke", json_long(t, "id"));
    cJSON_AddStringToObject(t, "revoke_url", url);
  }
  buf_free(&b);
}

/* The form as sent, to show again with its error. */
typedef struct token_form {
  const char *name, *scope;
  long days;
  const char *error;      /* a string key, or NULL */
  const char *created;    /* the new token's text, or NULL */
} token_form;

/* Adds the form (as sent) to doc: name, scopes and days to choose from. */
static void token_form_add(ctx *c, cJSON *doc, const token_form *f) {
  cJSON *o = cJSON_AddObjectToObject(doc, "form");
  cJSON_AddStringToObject(o, "name", f->created ? "" : f->name ? f->name : "");
  if (f->error) cJSON_AddStringToObject(o, "error", site_text(c, f->error));
  cJSON *scopes = cJSON_AddArrayToObject(o, "scopes");
  static const char *const names[] = {"write", "read"};
  static const char *const labels[] = {"admin_token_scope_write", "admin_token_scope_read"};
  for (int i = 0; i < 2; i++) {
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "value", names[i]);
    cJSON_AddStringToObject(s, "label", site_text(c, labels[i]));
    cJSON_AddBoolToObject(s, "selected", f->scope ? strcmp(f->scope, names[i]) == 0 : i == 0);
    cJSON_AddItemToArray(scopes, s);
  }
  cJSON *days = cJSON_AddArrayToObject(o, "days");
  for (size_t i = 0; i < sizeof DAYS / sizeof DAYS[0]; i++) {
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "value", (double)DAYS[i]);
    cJSON_AddStringToObject(d, "label", site_text(c, DAY_LABELS[i]));
    cJSON_AddBoolToObject(d, "selected", f->days ? f->days == DAYS[i] : DAYS[i] == TOKEN_DAYS_DEFAULT);
    cJSON_AddItemToArray(days, d);
  }
}

/* Shows the tokens screen with f (the form as sent, or a token just made)
** and status. Returns the status answered. */
static int tokens_show(ctx *c, const token_form *f, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *mine = cJSON_AddArrayToObject(doc, "tokens");
  cJSON *all = c->user.role >= ROLE_ADMIN ? cJSON_AddArrayToObject(doc, "all") : NULL;
  if (token_list(c->db, c->user.id, mine) != STORE_OK ||
      (all && token_list(c->db, 0, all) != STORE_OK)) {
    cJSON_Delete(doc);
    return 500;
  }
  tokens_shown(c, mine);
  if (all) tokens_shown(c, all);
  cJSON_AddBoolToObject(doc, "has_tokens", cJSON_GetArraySize(mine) > 0);
  cJSON_AddBoolToObject(doc, "has_all", all && cJSON_GetArraySize(all) > 0);
  if (f->created) {
    cJSON *n = cJSON_AddObjectToObject(doc, "created");
    cJSON_AddStringToObject(n, "token", f->created);
    cJSON_AddStringToObject(n, "name", f->name);
  }
  token_form_add(c, doc, f);
  static const char *const done[] = {"revoked", "admin_token_revoked", NULL};
  site_done(c, doc, done);
  return site_show(c, "admin_tokens", doc, "admin_tokens", status);
}

/* GET /admin/tokens */
int admin_tokens_list(ctx *c) {
  token_form f = {0};
  return tokens_show(c, &f, 200);
}

/* POST /admin/tokens: name, scope, days. */
int admin_tokens_create(ctx *c) {
  buf name = {0}, scope = {0}, days = {0};
  int bad = site_field(c, "name", &name) < 0 || site_field(c, "scope", &scope) < 0 ||
            site_field(c, "days", &days) < 0;
  token_form f = {buf_str(&name), buf_str(&scope), 0, NULL, NULL};
  char *end = NULL;
  f.days = days.len ? strtol(buf_str(&days), &end, 10) : 0;
  if (bad || !end || *end) f.days = 0;
  char text[TOKEN_TEXT_LEN + 1];
  long id = 0;
  int rc = bad ? TOKEN_BAD_NAME : token_create(c->db, c->now, c->user.id, f.name, f.scope, f.days, text, &id);
  int st;
  if (rc == 0) {
    f.created = text;
    st = tokens_show(c, &f, 200);
  } else if (rc < 0) {
    st = 500;
  } else {
    f.error = rc == TOKEN_BAD_NAME    ? "admin_token_err_name"
              : rc == TOKEN_BAD_SCOPE ? "admin_token_err_scope"
                                      : "admin_token_err_days";
    st = tokens_show(c, &f, 400);
  }
  memset(text, 0, sizeof text);
  buf_free(&name);
  buf_free(&scope);
  buf_free(&days);
  return st;
}

/* POST /admin/tokens/{id}/revoke */
int admin_tokens_revoke(ctx *c) {
  long owner = c->user.role >= ROLE_ADMIN ? 0 : c->user.id;
  int rc = token_revoke(c->db, ctx_id(c, 0), owner, c->now);
  if (rc == STORE_OK) return admin_redirect(c, "/admin/tokens?done=revoked");
  return rc == STORE_NOT_FOUND ? 404 : 500;
}
