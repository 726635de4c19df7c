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
#include "tz.h"

const char *ctx_text(const ctx *c, const char *key) {
  return catalog_text(c->app->ui, key);
}

const char *ctx_text_default(const ctx *c, const char *key) {
  return catalog_text(i18n_default(c->app->langs), key);
}

/* Returns 1 when the Accept-Language entry e[0..n) refuses its language
** (";q=0", ";q=0.0"...). */
static int language_refused(const char *e, size_t n) {
  const char *q = memchr(e, ';', n);
  if (!q) return 0;
  while (q < e + n && (*q == ';' || *q == ' ')) q++;
  if (e + n - q < 3 || (q[0] | 32) != 'q' || q[1] != '=') return 0;
  for (q += 2; q < e + n && *q != ' '; q++)
    if (*q != '0' && *q != '.') return 0;
  return 1;
}

const char *ctx_text_asked(const ctx *c, const char *key) {
  const char *h = request_header(&c->req, "Accept-Language");
  const catalog *k = NULL;
  /* The first language named and not refused whose catalogue the site
  ** has, by its primary subtag ("ar-EG" is "ar"); weights are not
  ** ranked: clients name their first choice first. */
  while (h && *h && !k) {
    while (*h == ' ' || *h == ',') h++;
    size_t n = strcspn(h, ","), len = 0;
    char lang[9];
    while (len < n && len < sizeof lang - 1 && ((h[len] | 32) >= 'a' && (h[len] | 32) <= 'z')) {
      lang[len] = (char)(h[len] | 32);
      len++;
    }
    lang[len] = 0;
    if (len >= 2 && len <= 3 && !language_refused(h, n)) k = i18n_find(c->app->langs, lang);
    h += n;
  }
  return catalog_text(k ? k : i18n_default(c->app->langs), key);
}

const char *app_dir(const app *a, const char *lang) {
  const catalog *k = i18n_find(a->langs, lang);
  return k ? k->dir : "ltr";
}

const char *app_locale(const app *a, const char *lang) {
  const catalog *k = i18n_find(a->langs, lang);
  return k && k->locale ? k->locale : lang;
}

void app_absolute(const app *a, const char *where, buf *out) {
  if (where[0] == '/') buf_puts(out, a->base_url);
  buf_puts(out, where);
}

/* Returns a new string: the absolute address of the picture setting key,
** or "" when it is empty. */
static char *app_address(app *a, db *d, const char *key) {
  char *v = settings_text(d, key);
  buf b = {0};
  if (*v) app_absolute(a, v, &b);
  free(v);
  char *s = strdup(buf_str(&b));
  buf_free(&b);
  if (!s) abort();
  return s;
}

/* Returns setting key, or a copy of fallback when it is empty. */
static char *app_text_or(db *d, const char *key, const char *fallback) {
  char *v = settings_text(d, key);
  if (*v) return v;
  free(v);
  v = strdup(fallback);
  if (!v) abort();
  return v;
}

/* Reads what search engines, aggregators and social networks are told. */
static void app_publisher(app *a, db *d, const char *name) {
  a->publisher_name = app_text_or(d, "publisher_name", name);
  a->publisher_logo = app_address(a, d, "publisher_logo");
  a->twitter_site = settings_text(d, "twitter_site");
  a->share_image = app_address(a, d, "share_image");
  a->share_image_width = (int)settings_int(d, "share_image_width");
  a->share_image_height = (int)settings_int(d, "share_image_height");
  a->share_image_alt = app_text_or(d, "share_image_alt", name);
  a->feed_entries = (int)settings_int(d, "feed_entries");
  a->sitemap_urls = (int)settings_int(d, "sitemap_urls");
  a->robots_extra = settings_text(d, "robots_extra");
  char *zone = settings_text(d, "timezone");
  a->zone = tz_load(NULL, zone);
  if (!a->zone) a->zone = tz_utc();
  free(zone);
  char *small = settings_text(d, "small_edits_shown");
  a->small_edits_shown = strcmp(small, "yes") == 0;
  free(small);
}

/* The static files whose addresses carry a version. */
static const char *const ASSETS[][2] = {
    {"gazette_css", "gazette.css"}, {"gazette_js", "gazette.js"},
    {"admin_css", "admin.css"}, {"admin_js", "admin.js"},
};

/* Appends the first 16 hex digits of the BLAKE2b hash of the file at path
** to out, or "0" when it cannot be read. */
static void asset_hash(const char *path, buf *out) {
  FILE *f = fopen(path, "rb");
  crypto_generichash_state h;
  unsigned char sum[16], chunk[8192];
  size_t n;
  if (!f) {
    buf_putc(out, '0');
    return;
  }
  crypto_generichash_init(&h, NULL, 0, sizeof sum);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) crypto_generichash_update(&h, chunk, n);
  fclose(f);
  crypto_generichash_final(&h, sum, sizeof sum);
  char hex[2 * sizeof sum + 1];
  sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
  hex[16] = 0;
  buf_puts(out, hex);
}

/* Makes a->assets from the files of the static folder beside
** templates_dir (www/templates: www/static). */
static void app_assets(app *a, const char *templates_dir) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", templates_dir);
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') dir[--n] = 0;
  char *slash = strrchr(dir, '/');
  if (slash) slash[1] = 0;
  else dir[0] = 0;
  a->assets = cJSON_CreateObject();
  a->owns_assets = 1;
  buf path = {0}, url = {0};
  for (size_t i = 0; i < sizeof ASSETS / sizeof ASSETS[0]; i++) {
    buf_reset(&path);
    buf_reset(&url);
    buf_printf(&path, "%sstatic/%s", dir, ASSETS[i][1]);
    buf_printf(&url, "/static/%s?v=", ASSETS[i][1]);
    asset_hash(buf_str(&path), &url);
    cJSON_AddStringToObject(a->assets, ASSETS[i][0], buf_str(&url));
  }
  buf_free(&path);
  buf_free(&url);
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

/* Reads the embed_hosts setting into a: the sanitizer's frame prefixes
** and the Content-Security-Policy's frame-src sources. */
static void app_embeds(app *a, db *d) {
  char *hosts = settings_text(d, "embed_hosts");
  int n = settings_embeds(hosts, a->embeds, SETTINGS_EMBED_MAX);
  buf src = {0};
  for (int i = 0; i < n; i++) {
    a->embed_prefixes[i] = a->embeds[i];
    buf_printf(&src, "%shttps://%s", i ? " " : "", a->embeds[i]);
  }
  a->embed_prefixes[n > 0 ? n : 0] = NULL;
  a->frame_src = strdup(buf_str(&src));
  if (!a->frame_src) abort();
  buf_free(&src);
  free(hosts);
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
  char *durability = settings_text(d, "durability");
  a->sync_full = strcmp(durability, "full") == 0;
  free(durability);
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
  a->upload_max_bytes = (unsigned long long)settings_int(d, "upload_max_mb") * 1024 * 1024;
  a->max_pixels = (unsigned long long)settings_int(d, "upload_max_megapixels") * 1000000ULL;
  size_t n = strlen(a->base_url);
  while (n > 0 && a->base_url[n - 1] == '/') a->base_url[--n] = 0;
  app_embeds(a, d);
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
  app_publisher(a, d, name);
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
  app_assets(a, templates_dir);
  return a;
}

app *app_refresh(const app *base, db *d) {
  app *a = calloc(1, sizeof *a);
  if (!a) abort();
  a->tpl = base->tpl;
  a->langs = base->langs;
  memcpy(a->secret, base->secret, sizeof a->secret);
  app_set_media(a, base->media_dir, base->originals_dir, base->jobs);
  a->assets = base->assets;
  app_settings(a, d);
  return a;
}

/* Returns a copy of s (NULL stays NULL). */
static char *app_dup(const char *s) {
  if (!s) return NULL;
  char *c = strdup(s);
  if (!c) abort();
  return c;
}

void app_set_media(app *a, const char *media_dir, const char *originals_dir,
                   struct media_jobs *jobs) {
  char *m = app_dup(media_dir), *o = app_dup(originals_dir);
  free(a->media_dir);
  free(a->originals_dir);
  a->media_dir = m;
  a->originals_dir = o;
  a->jobs = jobs;
}

void app_free(app *a) {
  if (!a) return;
  if (a->owns_tpl) {
    templates_free(a->tpl);
    i18n_free(a->langs);
  }
  if (a->owns_assets) cJSON_Delete(a->assets);
  tz_free(a->zone);
  cJSON_Delete(a->site);
  free(a->base_url);
  free(a->api_origins);
  free(a->frame_src);
  free(a->surrogate_key_header);
  free(a->media_dir);
  free(a->originals_dir);
  free(a->publisher_name);
  free(a->publisher_logo);
  free(a->twitter_site);
  free(a->share_image);
  free(a->share_image_alt);
  free(a->robots_extra);
  free(a);
}
