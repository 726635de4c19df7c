/*
** admin_settings.c: the site settings screen, for admins (see
** admin_site.h).
**
**   GET  /admin/settings     the form with the current values
**   POST /admin/settings     every field checked (settings_check), then all
**                            saved in one transaction (setting_set)
**
** The workers read the settings again when the database changes, so a
** saved change shows on the next page anyone asks for.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_site.h"
#include "auth.h"
#include "settings.h"
#include "tz.h"
#include "view.h"

/* One field of the form: its setting, label and kind of input (for a
** choice, its values and their labels' string keys, '|'-separated). */
typedef struct field {
  const char *key, *label, *hint;
  const char *kind;  /* "text", "url", "number", "choice", "lines", "zone" */
  const char *choices, *choice_labels;
} field;

static const field FIELDS[] = {
    {"site_name", "site_set_site_name", NULL, "text", NULL, NULL},
    {"tagline", "site_set_tagline", NULL, "text", NULL, NULL},
    {"language", "site_set_language", NULL, "choice", SETTINGS_LANGUAGES, NULL},
    {"base_url", "site_set_base_url", "site_set_base_url_hint", "url", NULL, NULL},
    {"api_origins", "site_set_api_origins", "site_set_api_origins_hint", "text", NULL, NULL},
    {"comment_moderation", "site_set_moderation", NULL, "choice", "auto|hold_all",
     "site_moderation_auto|site_moderation_hold_all"},
    {"comment_max_depth", "site_set_max_depth", "site_range_1_10", "number", NULL, NULL},
    {"rating_ip_cap", "site_set_rating_cap", "site_set_rating_cap_hint", "number", NULL,
     NULL},
    {"comment_min_seconds", "site_set_min_seconds", "site_range_0_3600", "number", NULL,
     NULL},
    {"comment_flood_seconds", "site_set_flood_seconds", "site_range_0_3600", "number",
     NULL, NULL},
    {"comment_flood_hourly", "site_set_flood_hourly", "site_set_flood_hourly_hint",
     "number", NULL, NULL},
    {"embed_hosts", "site_set_embed_hosts", "site_set_embed_hosts_hint", "text", NULL, NULL},
    /* What search engines, aggregators and social networks are told. */
    {"publisher_name", "site_set_publisher_name", "site_set_publisher_name_hint", "text", NULL,
     NULL},
    {"publisher_logo", "site_set_publisher_logo", "site_set_picture_hint", "url", NULL, NULL},
    {"twitter_site", "site_set_twitter_site", "site_set_twitter_site_hint", "text", NULL, NULL},
    {"share_image", "site_set_share_image", "site_set_share_image_hint", "url", NULL, NULL},
    {"share_image_width", "site_set_share_image_width", "site_range_pixels", "number", NULL,
     NULL},
    {"share_image_height", "site_set_share_image_height", "site_range_pixels", "number", NULL,
     NULL},
    {"share_image_alt", "site_set_share_image_alt", "site_set_share_image_alt_hint", "text",
     NULL, NULL},
    {"feed_entries", "site_set_feed_entries", "site_set_feed_entries_hint", "number", NULL,
     NULL},
    {"robots_extra", "site_set_robots_extra", "site_set_robots_extra_hint", "lines", NULL, NULL},
    /* The newsroom's clock and what readers are told of edits. */
    {"timezone", "site_set_timezone", "site_set_timezone_hint", "zone", NULL, NULL},
    {"small_edits_shown", "site_set_small_edits", "site_set_small_edits_hint", "choice", "no|yes",
     "site_small_edits_no|site_small_edits_yes"},
};
enum { FIELD_COUNT = sizeof FIELDS / sizeof FIELDS[0] };

/* Copies the i-th '|'-separated part of list into out (size n). */
static void field_part(const char *list, int i, char *out, size_t n) {
  for (; i > 0 && list; i--) list = strchr(list, '|') ? strchr(list, '|') + 1 : NULL;
  size_t len = list ? strcspn(list, "|") : 0;
  if (len >= n) len = n - 1;
  memcpy(out, list ? list : "", len);
  out[len] = 0;
}

/* Appends the system's time zones to list as {value, label, selected},
** value selected; a value not in the list (a zone's other name) first. */
static void zone_options(cJSON *list, const char *value) {
  buf names = {0};
  int listed = 0;
  tz_list(NULL, &names);
  for (const char *p = buf_str(&names); *p;) {
    size_t n = strcspn(p, "\n");
    cJSON *opt = cJSON_CreateObject();
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), p);
    int sel = strcmp(name, value) == 0;
    listed |= sel;
    cJSON_AddStringToObject(opt, "value", name);
    cJSON_AddStringToObject(opt, "label", name);
    cJSON_AddBoolToObject(opt, "selected", sel);
    cJSON_AddItemToArray(list, opt);
    p += n + (p[n] == '\n');
  }
  if (!listed && *value) {
    cJSON *opt = cJSON_CreateObject();
    cJSON_AddStringToObject(opt, "value", value);
    cJSON_AddStringToObject(opt, "label", value);
    cJSON_AddTrueToObject(opt, "selected");
    cJSON_InsertItemInArray(list, 0, opt);
  }
  buf_free(&names);
}

/* Builds the object of field f showing value, with error (a reason from
** settings_check) when there is one. */
static cJSON *field_object(ctx *c, const field *f, const char *value, const char *error) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "key", f->key);
  cJSON_AddStringToObject(o, "label", site_text(c, f->label));
  if (f->hint) cJSON_AddStringToObject(o, "hint", site_text(c, f->hint));
  cJSON_AddStringToObject(o, "value", value);
  int zone = strcmp(f->kind, "zone") == 0;
  cJSON_AddBoolToObject(o, "is_choice", zone || strcmp(f->kind, "choice") == 0);
  cJSON_AddBoolToObject(o, "is_number", strcmp(f->kind, "number") == 0);
  cJSON_AddBoolToObject(o, "is_url", strcmp(f->kind, "url") == 0);
  cJSON_AddBoolToObject(o, "is_text", strcmp(f->kind, "text") == 0);
  cJSON_AddBoolToObject(o, "is_lines", strcmp(f->kind, "lines") == 0);
  if (error) cJSON_AddStringToObject(o, "field_error", error);
  if (zone) {
    zone_options(cJSON_AddArrayToObject(o, "options"), value);
    return o;
  }
  if (!f->choices) return o;
  cJSON *list = cJSON_AddArrayToObject(o, "options");
  if (strcmp(f->choices, SETTINGS_LANGUAGES) == 0) {
    for (int i = 0; i < i18n_count(c->app->langs); i++) {
      const catalog *k = i18n_at(c->app->langs, i);
      cJSON *opt = cJSON_CreateObject();
      cJSON_AddStringToObject(opt, "value", k->code);
      cJSON_AddStringToObject(opt, "label", k->name);
      cJSON_AddBoolToObject(opt, "selected", strcmp(k->code, value) == 0);
      cJSON_AddItemToArray(list, opt);
    }
    return o;
  }
  char v[32], key[64];
  for (int i = 0; field_part(f->choices, i, v, sizeof v), *v; i++) {
    field_part(f->choice_labels, i, key, sizeof key);
    cJSON *opt = cJSON_CreateObject();
    cJSON_AddStringToObject(opt, "value", v);
    cJSON_AddStringToObject(opt, "label", site_text(c, key));
    cJSON_AddBoolToObject(opt, "selected", strcmp(v, value) == 0);
    cJSON_AddItemToArray(list, opt);
  }
  return o;
}

/* Shows the form: values[i] for each field (NULL: the saved value), with
** errors[i] when given. Returns the status answered. */
static int settings_show(ctx *c, buf *values, const char **errors, int status) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(doc, "fields");
  int failed = 0;
  for (int i = 0; i < FIELD_COUNT; i++) {
    char *saved = values ? NULL : settings_text(c->db, FIELDS[i].key);
    const char *err = errors ? errors[i] : NULL;
    failed |= err != NULL;
    cJSON_AddItemToArray(list, field_object(c, &FIELDS[i], saved ? saved : buf_str(&values[i]),
                                            err));
    free(saved);
  }
  if (failed) cJSON_AddStringToObject(doc, "error", site_text(c, "site_settings_failed"));
  static const char *const done[] = {"saved", "site_settings_saved", NULL};
  site_done(c, doc, done);
  return site_show(c, "admin_settings", doc, "admin_settings", status);
}

/* GET /admin/settings */
int admin_settings_page(ctx *c) { return settings_show(c, NULL, NULL, 200); }

/* Saves every field's value in one transaction. Returns a store result. */
static int settings_save_all(ctx *c, buf *values) {
  const char *keys[FIELD_COUNT], *vals[FIELD_COUNT];
  for (int i = 0; i < FIELD_COUNT; i++) {
    keys[i] = FIELDS[i].key;
    vals[i] = buf_str(&values[i]);
  }
  return settings_save(c->db, keys, vals, FIELD_COUNT);
}

/* Returns the interface string for a reason settings_check gave (the
** reason itself when it has none). */
static const char *settings_reason(ctx *c, const char *why) {
  static const char *const map[][2] = {
      {"number out of range", "site_check_range"},
      {"not one of the allowed values", "site_check_choice"},
      {"value too long", "site_check_long"},
      {"base_url must start", "site_check_url"},
      {"must be a site path", "site_check_address"},
      {"must be @", "site_check_handle"},
      {"must be lines", "site_check_lines"},
      {"must be a time zone", "site_check_zone"},
  };
  for (size_t i = 0; why && i < sizeof map / sizeof map[0]; i++)
    if (strncmp(why, map[i][0], strlen(map[i][0])) == 0) return site_text(c, map[i][1]);
  return why;
}

/* POST /admin/settings: one field per setting, all required. */
int admin_settings_save(ctx *c) {
  buf values[FIELD_COUNT] = {{0}};
  const char *errors[FIELD_COUNT] = {0};
  int failed = 0;
  for (int i = 0; i < FIELD_COUNT; i++) {
    int rc = site_field(c, FIELDS[i].key, &values[i]);
    errors[i] = rc != 1 ? site_text(c, "site_form_bad")
                        : settings_reason(c, settings_check(FIELDS[i].key, buf_str(&values[i]),
                                                                   i18n_codes(c->app->langs)));
    failed |= errors[i] != NULL;
  }
  int st = failed ? settings_show(c, values, errors, 400)
           : settings_save_all(c, values) != 0 ? 500
                                                : admin_redirect(c, "/admin/settings?done=saved");
  for (int i = 0; i < FIELD_COUNT; i++) buf_free(&values[i]);
  return st;
}
