/*
** settings.c: the table of site settings (see settings.h).
*/
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "netaddr.h"
#include "tz.h"

/* One setting. A number setting has min <= max; a text one has max 0 and
** at most max_len bytes; a choice lists its values separated by '|'. */
typedef struct setting_def {
  const char *key;
  const char *def;
  long min, max;
  size_t max_len;
  const char *choices;
  const char *help;
} setting_def;

static const setting_def SETTINGS[] = {
    {"site_name", "Gazette", 0, -1, 200, NULL, "the site's name"},
    {"tagline", "", 0, -1, 200, NULL, "a line under the name"},
    {"language", I18N_DEFAULT, 0, -1, 8, SETTINGS_LANGUAGES,
     "interface language: the code of a catalogue in www/i18n"},
    {"base_url", "http://127.0.0.1:8080", 0, -1, 200, NULL,
     "the site's address, http(s)://host[:port]"},
    {"api_origins", "", 0, -1, 2000, NULL,
     "other origins allowed to write through the API, space-separated"},
    {"comment_moderation", "auto", 0, -1, 8, "auto|hold_all",
     "auto: hold first-time commenters and link-heavy comments; hold_all"},
    {"comment_max_depth", "3", 1, 10, 0, NULL, "how deep replies nest"},
    {"comment_min_seconds", "3", 0, 3600, 0, NULL,
     "seconds between showing the reply form and posting it"},
    {"comment_flood_seconds", "15", 0, 3600, 0, NULL,
     "seconds between two comments from one address"},
    {"comment_flood_hourly", "30", 1, 100000, 0, NULL,
     "comments from one address in an hour"},
    {"rating_ip_cap", "5", 1, 1000000, 0, NULL,
     "distinct votes per article from one address a day"},
    {"durability", "normal", 0, -1, 8, "normal|full",
     "normal: a commit survives a crash of gazette (a power loss may undo the last ones); "
     "full: a power loss too (each commit waits for the disk; cost in docs/performance.md)"},
    {"page_cache_mb", "32", 0, 4096, 0, NULL,
     "megabytes of pages the server keeps in memory, all workers together (0: none, for measuring)"},
    {"page_stale_seconds", "10", 0, 300, 0, NULL,
     "seconds a cached page may show old vote figures (its script fetches fresh ones)"},
    {"embed_hosts", SETTINGS_EMBED_DEFAULT, 0, -1, 1000, NULL,
     "video players articles may embed, as https host/path prefixes, space-separated"},
    {"surrogate_key_header", "Surrogate-Key", 0, -1, 64, NULL,
     "the header naming the cache tags of a shared answer (Cache-Tag for some CDNs)"},
    {"cache_max_age", "3600", 0, 604800, 0, NULL,
     "seconds shared caches (nginx, edges, a CDN) keep an answer; a change purges it sooner"},
    {"cache_stale_revalidate", "30", 0, 86400, 0, NULL,
     "seconds a shared cache may answer with an expired copy while it fetches a new one"},
    {"cache_stale_error", "86400", 0, 2592000, 0, NULL,
     "seconds a shared cache may answer with an expired copy while gazette cannot answer"},
    {"cache_nginx", "", 0, -1, 200, NULL,
     "where the server's own nginx takes purges: unix:PATH or HOST:PORT (empty: it keeps nothing)"},
    {"cache_edges", "", 0, -1, 2000, NULL,
     "edge caches (Varnish with xkey) to purge by tag: HOST:PORT, separated by spaces"},
    {"trusted_proxies", "", 0, -1, 2000, NULL,
     "addresses or CIDR blocks of proxies whose X-Forwarded-For names the reader (the edges)"},
    {"upload_max_mb", "20", 1, 1024, 0, NULL,
     "largest picture the newsroom may upload, in MiB (keep nginx's limit in step: scripts/run)"},
    {"upload_max_megapixels", "50", 1, 1000, 0, NULL,
     "most pixels an uploaded picture may have, in millions (a guard against decompression bombs)"},
    {"publisher_name", "", 0, -1, 200, NULL,
     "the publisher named to search engines and news aggregators (empty: the site's name)"},
    {"publisher_logo", "/static/logo.png", 0, -1, 500, NULL,
     "the publisher's logo: a site path (/static/...) or an http(s) address"},
    {"twitter_site", "", 0, -1, 16, NULL, "the site's handle on X (Twitter), @name, or empty"},
    {"share_image", "/static/share.png", 0, -1, 500, NULL,
     "the picture social cards show when an article has none of its own: a site path or "
     "an http(s) address, or empty for none"},
    {"share_image_width", "1200", 1, 10000, 0, NULL, "the share_image's width in pixels"},
    {"share_image_height", "630", 1, 10000, 0, NULL, "the share_image's height in pixels"},
    {"share_image_alt", "", 0, -1, 300, NULL, "the share_image's text for those who cannot see it (empty: the site's name)"},
    {"feed_entries", "20", 1, 100, 0, NULL, "articles (or comments) in each feed"},
    {"sitemap_urls", "50000", 1, 50000, 0, NULL, "addresses in each page of the sitemap"},
    {"robots_extra", "", 0, -1, 2000, NULL,
     "lines added to robots.txt after its rules (e.g. Disallow: /private)"},
    {"timezone", "UTC", 0, -1, 63, NULL,
     "the site's time zone, an IANA name of the system's tzdata (Europe/Paris): the newsroom "
     "shows and takes times in it; times are stored in UTC"},
    {"small_edits_shown", "no", 0, -1, 3, "no|yes",
     "yes: an edit marked small still shows \"Updated\" on the article; no: only other edits do"},
    {"webhook_timeout_seconds", "10", 1, 60, 0, NULL,
     "seconds a webhook's receiver has to answer a delivery"},
    {"webhook_retry_seconds", "30", 1, 3600, 0, NULL,
     "seconds before a failed webhook delivery is tried again, doubled after each failure "
     "(up to six hours), for a day"},
    {"webhook_allow_private", "0", 0, 1, 0, NULL,
     "1: webhooks may go to private, loopback and link-local addresses (for tests and closed "
     "networks); 0 refuses them"},
};

/* Returns 1 when s is a site path ("/static/x.png") or an http(s) address
** with no space, quote or control character: a place a picture may be. */
static int settings_is_address(const char *s) {
  int path = s[0] == '/' && s[1] != '/';
  if (*s && !path && strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) return 0;
  for (; *s; s++)
    if ((unsigned char)*s <= ' ' || *s == 0x7f || strchr("\"'<>\\`", *s)) return 0;
  return 1;
}

/* Returns 1 when s is empty or a handle on X: "@" and 1 to 15 letters,
** digits or underscores. */
static int settings_is_handle(const char *s) {
  if (!*s) return 1;
  size_t n = strlen(s);
  if (s[0] != '@' || n < 2 || n > 16) return 0;
  for (size_t i = 1; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
          (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      return 0;
  return 1;
}

/* Returns 1 when s holds lines of text: no control character but tab, CR
** and LF, and no line over 500 bytes. */
static int settings_is_lines(const char *s) {
  size_t line = 0;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '\n') line = 0;
    else if ((ch < ' ' && ch != '\t' && ch != '\r') || ch == 0x7f || ++line > 500) return 0;
  }
  return 1;
}

/* Returns 1 when s names a time zone of the system's tzdata. */
static int settings_is_zone(const char *s) {
  tz *z = tz_name_ok(s) ? tz_load(NULL, s) : NULL;
  tz_free(z);
  return z != NULL;
}

/* Text settings with a form of their own, and the reason a value without
** it is refused. */
static const struct {
  const char *key;
  int (*ok)(const char *value);
  const char *why;
} SETTINGS_FORMS[] = {
    {"publisher_logo", settings_is_address, "must be a site path (/...) or an http(s) address"},
    {"share_image", settings_is_address, "must be a site path (/...) or an http(s) address"},
    {"twitter_site", settings_is_handle, "must be @ and up to 15 letters, digits or _"},
    {"robots_extra", settings_is_lines, "must be lines of text of at most 500 bytes"},
    {"timezone", settings_is_zone, "must be a time zone of the system's tzdata"},
};

/* Returns the definition of key, or NULL. */
static const setting_def *settings_find(const char *key) {
  for (size_t i = 0; i < sizeof SETTINGS / sizeof SETTINGS[0]; i++)
    if (strcmp(SETTINGS[i].key, key) == 0) return &SETTINGS[i];
  return NULL;
}

/* Returns 1 when value is one of the '|'-separated choices. */
static int settings_is_choice(const char *choices, const char *value) {
  size_t n = strlen(value);
  for (const char *p = choices; *p;) {
    size_t len = strcspn(p, "|");
    if (len == n && strncmp(p, value, n) == 0) return 1;
    p += len + (p[len] == '|');
  }
  return 0;
}

/* Parses value as a number within def's range into *out. */
static int settings_number(const setting_def *def, const char *value, long *out) {
  char *end;
  long v = strtol(value, &end, 10);
  if (!*value || *end || v < def->min || v > def->max) return -1;
  *out = v;
  return 0;
}

/* Checks the settings of the cache tier: a header name, the addresses of
** caches and of trusted proxies. Returns NULL or a reason. */
static const char *settings_check_cache(const char *key, const char *value) {
  char err[160];
  if (strcmp(key, "surrogate_key_header") == 0)
    return *value && strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-") == strlen(value)
               ? NULL
               : "surrogate_key_header must be a header name (letters, digits, -)";
  if (strcmp(key, "cache_nginx") == 0) {
    netpeer p;
    return !*value || netpeer_parse(value, strlen(value), &p, err, sizeof err) == 0
               ? NULL
               : "cache_nginx must be unix:/PATH or HOST:PORT";
  }
  if (strcmp(key, "cache_edges") == 0)
    return netpeer_each(value, NULL, NULL, err, sizeof err) >= 0
               ? NULL
               : "cache_edges must list HOST:PORT items";
  if (strcmp(key, "trusted_proxies") == 0) {
    netlist l;
    return netlist_parse(value, &l, err, sizeof err) == 0
               ? NULL
               : "trusted_proxies must list IP addresses or CIDR blocks";
  }
  return NULL;
}

const char *settings_check(const char *key, const char *value, const char *languages) {
  const setting_def *def = settings_find(key);
  long v;
  if (!def) return "unknown setting (see gazette --help)";
  if (def->min <= def->max)
    return settings_number(def, value, &v) == 0 ? NULL : "number out of range";
  const char *choices = def->choices;
  if (choices && strcmp(choices, SETTINGS_LANGUAGES) == 0) choices = languages;
  if (choices && !settings_is_choice(choices, value))
    return "not one of the allowed values (see gazette --help)";
  if (strlen(value) > def->max_len) return "value too long";
  if (strcmp(key, "base_url") == 0 && strncmp(value, "http://", 7) != 0 &&
      strncmp(value, "https://", 8) != 0)
    return "base_url must start with http:// or https://";
  if (strcmp(key, "embed_hosts") == 0 && settings_embeds(value, NULL, 0) < 0)
    return "embed_hosts lists host/path prefixes such as www.youtube.com/embed/ "
           "(at most 16, separated by spaces)";
  for (size_t i = 0; i < sizeof SETTINGS_FORMS / sizeof SETTINGS_FORMS[0]; i++)
    if (strcmp(key, SETTINGS_FORMS[i].key) == 0 && !SETTINGS_FORMS[i].ok(value))
      return SETTINGS_FORMS[i].why;
  return settings_check_cache(key, value);
}

int settings_known(const char *key) { return settings_find(key) != NULL; }

/* Returns 1 when s[0..n) is a host name: labels of a-z 0-9 and '-'
** joined by dots, with a dot in it. */
static int settings_host(const char *s, size_t n) {
  int dots = 0;
  if (n == 0 || s[0] == '.' || s[n - 1] == '.' || s[0] == '-') return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '.' && s[i + 1] == '.') return 0;
    dots += c == '.';
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return 0;
  }
  return dots > 0;
}

int settings_embeds(const char *value, char (*out)[SETTINGS_EMBED_LEN], int max) {
  int n = 0;
  for (const char *p = value; *p;) {
    size_t len = strcspn(p, " ");
    if (len) {
      size_t host = strcspn(p, "/ ");
      if (host >= len || !settings_host(p, host) || len >= SETTINGS_EMBED_LEN ||
          n == SETTINGS_EMBED_MAX)
        return -1;
      for (size_t i = host; i < len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/", p[i]))
          return -1;
      if (out && n < max) snprintf(out[n], SETTINGS_EMBED_LEN, "%.*s", (int)len, p);
      n++;
    }
    p += len + (p[len] == ' ');
  }
  return n;
}

char *settings_text(db *d, const char *key) {
  const setting_def *def = settings_find(key);
  char *v = setting_get(d, key);
  if (v && def && settings_check(key, v, NULL) != NULL) {
    free(v);
    v = NULL;
  }
  if (!v) v = strdup(def ? def->def : "");
  if (!v) abort();
  return v;
}

long settings_int(db *d, const char *key) {
  const setting_def *def = settings_find(key);
  if (!def) return 0;
  char *v = setting_get(d, key);
  long n = 0;
  if (!v || settings_number(def, v, &n) != 0) settings_number(def, def->def, &n);
  free(v);
  return n;
}

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

char *setting_get(db *d, const char *key) {
  sqlite3_stmt *st = db_prepare(d, SQL_SETTING_GET);
  if (!st) return NULL;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  char *v = NULL;
  if (db_step(st) == SQLITE_ROW) v = strdup(db_text(st, 0));
  sqlite3_reset(st);
  return v;
}

int setting_set(db *d, const char *key, const char *value) {
  sqlite3_stmt *st = db_prepare(d, SQL_SETTING_SET);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  return db_run(st) < 0 ? -1 : 0;
}

int settings_save(db *d, const char *const *keys, const char *const *values, int n) {
  if (db_begin(d) != 0) return -1;
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) rc = setting_set(d, keys[i], values[i]);
  if (rc == 0 && db_commit(d) != 0) rc = -1;
  if (rc != 0) db_rollback(d);
  return rc;
}

void settings_help(buf *out) {
  for (size_t i = 0; i < sizeof SETTINGS / sizeof SETTINGS[0]; i++)
    buf_printf(out, "  %-22s %s (default: %s)\n", SETTINGS[i].key, SETTINGS[i].help,
               *SETTINGS[i].def ? SETTINGS[i].def : "empty");
}
