/*
** app.h: the application's read-only state (loaded once at start-up) and
** the per-request context every handler receives.
*/
#ifndef GAZETTE_APP_H
#define GAZETTE_APP_H

#include <cjson/cJSON.h>
#include <time.h>

#include "db.h"
#include "i18n.h"
#include "netaddr.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "settings.h"
#include "templates.h"

/* Site-wide state. The templates and the site key are loaded once before
** the workers start and never written after; each worker keeps its own
** copy of the settings (app_refresh), renewed when the database changes,
** so that an admin's change shows without a restart. */
typedef struct app {
  templates *tpl;        /* the www/templates folder, loaded */
  i18n *langs;           /* the www/i18n catalogues, loaded */
  int owns_tpl;          /* 1 for the app that loaded them (and langs) */
  cJSON *site;           /* {name, tagline, lang, dir, base_url} */
  const catalog *ui;     /* the interface language's catalogue */
  cJSON *strings;        /* its strings (a reference to ui->strings) */
  const char *lang;      /* its code: the interface language */
  char *base_url;        /* "http://127.0.0.1:8080", no trailing slash */
  char *api_origins;     /* other origins allowed to write, space-separated */
  int per_page;          /* articles per listing page */
  unsigned char secret[32]; /* site key: form tokens, address hashes */
  /* Guards for readers' writes (site settings, see gazette --help). */
  int rating_ip_cap;        /* distinct votes per article per address a day */
  int comment_min_seconds;  /* between showing the form and posting it */
  int comment_flood_seconds;/* between two comments from one address */
  int comment_flood_hourly; /* comments from one address in an hour */
  int comment_max_depth;    /* replies nest this deep at most */
  int comment_hold_all;     /* hold every comment for moderation */
  int sync_full;            /* durability=full: commits wait for the disk */
  size_t page_cache_bytes;  /* the page caches of all workers together */
  int page_stale_seconds;   /* a page may show figures this old (votes) */
  /* Video players articles may embed (embed_hosts): host/path prefixes,
  ** the NULL-terminated list the sanitizer takes, and the CSP's
  ** frame-src sources for them ("" when none). */
  char embeds[SETTINGS_EMBED_MAX][SETTINGS_EMBED_LEN];
  const char *embed_prefixes[SETTINGS_EMBED_MAX + 1];
  char *frame_src;
  /* Shared caches in front (nginx, edges, a CDN): how answers are
  ** labelled for them, and whose X-Forwarded-For names the reader. */
  cache_labels labels;      /* its tag_header points into surrogate_key_header */
  char *surrogate_key_header;
  netlist trusted_proxies;
  /* Pictures (library.h): the folders, the upload limits (site settings)
  ** and the state the server's threads share about decodes (NULL outside
  ** gazette serve). The folders and jobs are set once, before the workers
  ** start, and copied by app_refresh. */
  char *media_dir;          /* served by nginx at /media/ */
  char *originals_dir;      /* outside the web root */
  struct media_jobs *jobs;
  unsigned long long upload_max_bytes;  /* upload_max_mb */
  unsigned long long max_pixels;        /* upload_max_megapixels */
  /* What search engines, aggregators, social networks and feed readers
  ** are told (docs/seo.md). Addresses are absolute; "" when unset. */
  char *publisher_name;     /* the publisher_name setting, or the site's name */
  char *publisher_logo;     /* absolute address of the logo, or "" */
  char *twitter_site;       /* "@name" or "" */
  char *share_image;        /* absolute address of the default picture, or "" */
  int share_image_width, share_image_height;
  char *share_image_alt;    /* the share_image_alt setting, or the site's name */
  int feed_entries;         /* entries in each feed */
  int sitemap_urls;         /* addresses in each page of the sitemap */
  char *robots_extra;       /* lines added to robots.txt */
  /* The newsroom's time zone (timezone setting) and whether a small edit
  ** still shows "Updated" to readers (small_edits_shown). */
  struct tz *zone;
  int small_edits_shown;
  /* The static files' versioned addresses ({gazette_css, gazette_js,
  ** admin_css, admin_js}: "/static/gazette.css?v=HASH"), made once at
  ** start-up from the files' contents and shared by refreshed apps. */
  cJSON *assets;
  int owns_assets;
} app;

/* The signed-in user of an admin request, or the user of the API token
** of a request to the API's newsroom routes (id 0: nobody). */
typedef struct session_user {
  long id;
  int role;
  char username[64];
  char name[128];
  char csrf[65];         /* the session's form token */
  long token;            /* the API token it came with (tokens.h), or 0 */
  int read_only;         /* that token's scope is "read": GET and HEAD only */
} session_user;

struct pagecache;
struct writer;
struct purger;

/* The request body of a route that reads it itself (BODY_MULTIPART): the
** lifecycle hands over its reader instead of reading. */
typedef struct body_stream {
  body_read_fn read;     /* NULL: the request had no body */
  void *ud;
  long long length;      /* CONTENT_LENGTH, checked to be a number */
  int checked;           /* set by upload_receive once the body was read
                         ** and its form token checked */
} body_stream;

/* One request being answered: cgit's "ctx". */
typedef struct ctx {
  const app *app;
  db *db;
  struct pagecache *pc;  /* the worker's page cache, or NULL */
  struct writer *writer; /* the process's group-commit writer, or NULL */
  struct purger *purger; /* the process's purger of shared caches, or NULL */
  request req;
  response res;
  route_match match;
  time_t now;
  session_user user;  /* the signed-in user of a newsroom route */
  body_stream body;   /* a BODY_MULTIPART route's body, not yet read */
  long idempotency;   /* the Idempotency-Key row this request answers
                      ** (idempotency.h), or 0 */
} ctx;

/* Returns route parameter i (decoded), or "" when there is none. */
const char *ctx_param(const ctx *c, int i);

/* Returns route parameter i when it is an {x:int} segment (dispatch has
** checked it is a positive whole number), else 0. */
long ctx_id(const ctx *c, int i);

/* Returns the interface string key in the site's language. */
const char *ctx_text(const ctx *c, const char *key);

/* Returns the interface string key in the default language (the one API
** messages are written in). */
const char *ctx_text_default(const ctx *c, const char *key);

/* Returns the interface string key in the first language the request's
** Accept-Language names (and does not refuse with q=0) that the site has a
** catalogue of, else in the default language: the words of a reader's refused write (never kept by
** a cache), which the page's script shows in the page's language. */
const char *ctx_text_asked(const ctx *c, const char *key);

/* Returns the text direction ("ltr", "rtl") of language code lang; "ltr"
** for a language without a catalogue. */
const char *app_dir(const app *a, const char *lang);

/* Returns the locale of language code lang as Open Graph writes it
** ("en_US", from its catalogue), or lang itself for a language without a
** catalogue. */
const char *app_locale(const app *a, const char *lang);

/* Appends the absolute address of where, a site path ("/static/x.png":
** the site's base_url is put before it) or an absolute address (kept as it
** is). */
void app_absolute(const app *a, const char *where, buf *out);
/* Returns 1 when the request is for the JSON API (/api/...). */
int ctx_is_api(const ctx *c);

/* Loads the app: settings from the database d, the templates in
** templates_dir and the language catalogues in i18n_dir. Returns NULL
** with a reason in err. */
app *app_load(db *d, const char *templates_dir, const char *i18n_dir, char *err,
              size_t errlen);

/* Returns a new app sharing base's templates and key, with the settings
** read from d now. */
app *app_refresh(const app *base, db *d);

/* Sets the folders of the media library (copied) and the shared state of
** the decodes (may be NULL) of a and of every app refreshed from it. */
void app_set_media(app *a, const char *media_dir, const char *originals_dir,
                   struct media_jobs *jobs);

/* Frees an app (and its templates when it loaded them). */
void app_free(app *a);

#endif
