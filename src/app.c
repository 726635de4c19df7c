/*
** app.c: the read-only application state and context helpers
** (see app.h).
*/
#include "app.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "settings.h"

const char *ctx_text(const ctx *c, const char *key) {
  return catalog_text(c->app->ui, key);
}

const char *ctx_text_default(const ctx *c, const char *key) {
  return catalog_text(i18n_default(c->app->langs), key);
}

const char *app_dir(const app *a, const char *lang) {
  const catalog *k = i18n_find(a->langs, lang);
  return k ? k->dir : "ltr";
}

const char *ctx_param(const ctx *c, int i) {
  return i < c->match.nparams ? c->match.params[i] : "";
}

long ctx_id(const ctx *c, int i) {
  return i < c->match.nparams ? c->match.num[i] : 0;
}

int ctx_is_api(const ctx *c) {
  if (c->match.route) return c->match.route->kind == KIND_API;
  /* The raw path decides when the request was too malformed to decode. */
  const char *p = c->req.path ? c->req.path : c->req.raw_path;
  return p && strncmp(p, "/api/", 5) == 0;
}

/* Reads the site key into a->secret, making and saving a random one the
** first time. Returns 0 or -1. */
static int app_secret(app *a, db *d) {
  char *hex = setting_get(d, "secret");
  size_t len = 0;
  int ok = hex && sodium_hex2bin(a->secret, sizeof a->secret, hex, strlen(hex),
                                 NULL, &len, NULL) == 0 && len == sizeof a->secret;
  free(hex);
  if (ok) return 0;
  char fresh[2 * sizeof a->secret + 1];
  randombytes_buf(a->secret, sizeof a->secret);
  sodium_bin2hex(fresh, sizeof fresh, a->secret, sizeof a->secret);
  return setting_set(d, "secret", fresh);
}

/* Reads the settings of the shared caches from d into a. */
static void app_cache_settings(app *a, db *d) {
  char err[160];
  a->surrogate_key_header = settings_text(d, "surrogate_key_header");
  a->labels.tag_header = a->surrogate_key_header;
  a->labels.tags_comma = strcasecmp(a->surrogate_key_header, "Surrogate-Key") != 0 &&
                         strcasecmp(a->surrogate_key_header, "xkey") != 0;
  a->labels.max_age = (int)settings_int(d, "cache_max_age");
  a->labels.stale_revalidate = (int)settings_int(d, "cache_stale_revalidate");
  a->labels.stale_error = (int)settings_int(d, "cache_stale_error");
  char *trusted = settings_text(d, "trusted_proxies");
  if (netlist_parse(trusted, &a->trusted_proxies, err, sizeof err) != 0) {
    fprintf(stderr, "gazette: trusted_proxies: %s (none trusted)\n", err);
    a->trusted_proxies.n = 0;
  }
  free(trusted);
}

/* Reads the site settings from d into a. */
static void app_settings(app *a, db *d) {
  char *name = settings_text(d, "site_name");
  char *tagline = settings_text(d, "tagline");
  char *lang = settings_text(d, "language");
  char *moderation = settings_text(d, "comment_moderation");
  a->comment_hold_all = strcmp(moderation, "hold_all") == 0;
  free(moderation);
  a->base_url = settings_text(d, "base_url");
  a->api_origins = settings_text(d, "api_origins");
  a->rating_ip_cap = (int)settings_int(d, "rating_ip_cap");
  a->comment_min_seconds = (int)settings_int(d, "comment_min_seconds");
  a->comment_flood_seconds = (int)settings_int(d, "comment_flood_seconds");
  a->comment_flood_hourly = (int)settings_int(d, "comment_flood_hourly");
  a->comment_max_depth = (int)settings_int(d, "comment_max_depth");
  a->page_cache_bytes = (size_t)settings_int(d, "page_cache_mb") * 1024 * 1024;
  a->page_stale_seconds = (int)settings_int(d, "page_stale_seconds");
  app_cache_settings(a, d);
  size_t n = strlen(a->base_url);
  while (n > 0 && a->base_url[n - 1] == '/') a->base_url[--n] = 0;
  a->ui = i18n_find(a->langs, lang);
  if (!a->ui) a->ui = i18n_default(a->langs);
  a->lang = a->ui->code;
  a->per_page = 10;
  a->strings = a->ui->strings;
  a->site = cJSON_CreateObject();
  cJSON_AddStringToObject(a->site, "name", name);
  cJSON_AddStringToObject(a->site, "tagline", tagline);
  cJSON_AddStringToObject(a->site, "lang", a->lang);
  cJSON_AddStringToObject(a->site, "dir", a->ui->dir);
  cJSON_AddStringToObject(a->site, "base_url", a->base_url);
  free(name);
  free(tagline);
  free(lang);
}

app *app_load(db *d, const char *templates_dir, const char *i18n_dir, char *err,
              size_t errlen) {
  app *a = calloc(1, sizeof *a);
  if (!a) abort();
  a->owns_tpl = 1;
  a->tpl = templates_load(templates_dir, err, errlen);
  a->langs = a->tpl ? i18n_load(i18n_dir, err, errlen) : NULL;
  if (!a->langs) {
    app_free(a);
    return NULL;
  }
  if (app_secret(a, d) != 0) {
    snprintf(err, errlen, "cannot save the site key in the database");
    app_free(a);
    return NULL;
  }
  app_settings(a, d);
  return a;
}

app *app_refresh(const app *base, db *d) {
  app *a = calloc(1, sizeof *a);
  if (!a) abort();
  a->tpl = base->tpl;
  a->langs = base->langs;
  memcpy(a->secret, base->secret, sizeof a->secret);
  app_settings(a, d);
  return a;
}

void app_free(app *a) {
  if (!a) return;
  if (a->owns_tpl) {
    templates_free(a->tpl);
    i18n_free(a->langs);
  }
  cJSON_Delete(a->site);
  free(a->base_url);
  free(a->api_origins);
  free(a->surrogate_key_header);
  free(a);
}
