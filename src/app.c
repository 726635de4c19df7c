/*
** app.c: the read-only application state and context helpers
** (see app.h).
*/
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

const char *ctx_param(const ctx *c, int i) {
  return i < c->match.nparams ? c->match.params[i] : "";
}

int ctx_is_api(const ctx *c) {
  return c->req.path && strncmp(c->req.path, "/api/", 5) == 0;
}

/* Returns setting key from d, or a copy of def when it is not set. */
static char *app_setting(db *d, const char *key, const char *def) {
  char *v = setting_get(d, key);
  return v ? v : strdup(def);
}

app *app_load(db *d, const char *templates_dir, char *err, size_t errlen) {
  app *a = calloc(1, sizeof *a);
  if (!a) abort();
  a->tpl = templates_load(templates_dir, err, errlen);
  if (!a->tpl) {
    free(a);
    return NULL;
  }
  char *name = app_setting(d, "site_name", "Gazette");
  char *tagline = app_setting(d, "tagline", "");
  char *lang = app_setting(d, "language", "en");
  a->base_url = app_setting(d, "base_url", "http://127.0.0.1:8080");
  a->api_origins = app_setting(d, "api_origins", "");
  size_t n = strlen(a->base_url);
  while (n > 0 && a->base_url[n - 1] == '/') a->base_url[--n] = 0;
  a->lang = strcmp(lang, "ar") == 0 ? "ar" : "en";
  a->per_page = 10;
  a->strings = i18n_strings(a->lang);
  a->site = cJSON_CreateObject();
  cJSON_AddStringToObject(a->site, "name", name);
  cJSON_AddStringToObject(a->site, "tagline", tagline);
  cJSON_AddStringToObject(a->site, "lang", a->lang);
  cJSON_AddStringToObject(a->site, "dir", i18n_dir(a->lang));
  cJSON_AddStringToObject(a->site, "base_url", a->base_url);
  free(name);
  free(tagline);
  free(lang);
  return a;
}

void app_free(app *a) {
  if (!a) return;
  templates_free(a->tpl);
  cJSON_Delete(a->site);
  cJSON_Delete(a->strings);
  free(a->base_url);
  free(a->api_origins);
  free(a);
}
