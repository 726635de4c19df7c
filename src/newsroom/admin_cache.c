/*
** admin_cache.c: the caches screen of the newsroom (see admin_site.h).
**
**   GET  /admin/cache    how answers are kept (the settings), and the purge
**                        queue: for each cache what waits, what was sent
**                        and how fast, what was given up and why; the
**                        latest purges (editors and admins)
**   POST /admin/cache    every cache forgets everything (admins)
**
** The figures come from the queue the purger thread works through
** (store/purge_queue.h); this screen only reads them.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_site.h"
#include "auth.h"
#include "json.h"
#include "netaddr.h"
#include "purge_queue.h"
#include "settings.h"
#include "store.h"
#include "timefmt.h"

enum { CACHE_SCREEN_TARGETS = NETADDR_MAX_LIST + 1 };

/* The caches the purger tells, as it names them: "nginx" when cache_nginx
** is set, then each edge of cache_edges. */
typedef struct cache_targets {
  char *nginx, *edges;              /* the settings */
  char names[CACHE_SCREEN_TARGETS][NETADDR_MAX_HOST + 16];
  const char *list[CACHE_SCREEN_TARGETS];
  int n;
} cache_targets;

/* netpeer_each's callback: adds an edge's name. */
static int targets_add(void *ud, const netpeer *p, const char *text, size_t len) {
  cache_targets *t = ud;
  (void)p;
  if (t->n == CACHE_SCREEN_TARGETS) return 1;
  snprintf(t->names[t->n], sizeof t->names[0], "%.*s", (int)len, text);
  t->list[t->n] = t->names[t->n];
  t->n++;
  return 0;
}

/* Reads the targets from the settings. */
static void targets_read(ctx *c, cache_targets *t) {
  char err[160];
  memset(t, 0, sizeof *t);
  t->nginx = settings_text(c->db, "cache_nginx");
  t->edges = settings_text(c->db, "cache_edges");
  if (*t->nginx) {
    snprintf(t->names[0], sizeof t->names[0], "nginx");
    t->list[0] = t->names[0];
    t->n = 1;
  }
  netpeer_each(t->edges, targets_add, t, err, sizeof err);
}

/* Frees the settings t holds. */
static void targets_free(cache_targets *t) {
  free(t->nginx);
  free(t->edges);
}

/* Returns milliseconds ms as people read them: "35 ms", "1.2 s", "3 min". */
static void duration_text(ctx *c, double ms, char *out, size_t n) {
  if (ms < 1000) snprintf(out, n, "%.0f %s", ms, ctx_text(c, "cache_ms"));
  else if (ms < 120000) snprintf(out, n, "%.1f %s", ms / 1000, ctx_text(c, "cache_s"));
  else snprintf(out, n, "%.0f %s", ms / 60000, ctx_text(c, "cache_min"));
}

/* Adds the text of number member key of o (milliseconds) as key_text; 0
** reads as none_key's text when none_key is given. */
static void add_duration(ctx *c, cJSON *o, const char *key, const char *none_key) {
  char text[64];
  double v = json_num(o, key);
  if (v <= 0 && none_key) snprintf(text, sizeof text, "%s", ctx_text(c, none_key));
  else duration_text(c, v, text, sizeof text);
  char name[64];
  snprintf(name, sizeof name, "%s_text", key);
  cJSON_AddStringToObject(o, name, text);
}

/* Adds the age at now_ms of the time (ms) in member key as key_text: how
** long ago, or none_key's text for 0. */
static void add_age(ctx *c, cJSON *o, const char *key, long long now_ms, const char *none_key) {
  double t = json_num(o, key);
  char text[64], name[64];
  if (t <= 0) snprintf(text, sizeof text, "%s", ctx_text(c, none_key));
  else duration_text(c, (double)(now_ms - (long long)t), text, sizeof text);
  snprintf(name, sizeof name, "%s_text", key);
  cJSON_AddStringToObject(o, name, text);
}

/* Turns the queue's figures into what the template shows. */
static void present_status(ctx *c, cJSON *doc, long long now_ms) {
  cJSON *o;
  cJSON_ArrayForEach(o, cJSON_GetObjectItem(doc, "targets")) {
    int nginx = strcmp(json_str(o, "target"), "nginx") == 0;
    cJSON_AddStringToObject(o, "name", nginx ? ctx_text(c, "cache_nginx_name") : json_str(o, "target"));
    add_age(c, o, "oldest_ms", now_ms, "cache_none");
    add_age(c, o, "last_sent_ms", now_ms, "cache_never");
    const char *none = json_num(o, "sent_hour") > 0 ? NULL : "cache_none";
    add_duration(c, o, "delay_avg_ms", none);
    add_duration(c, o, "delay_max_ms", none);
    cJSON_AddBoolToObject(o, "has_error", *json_str(o, "last_error") != 0);
  }
  cJSON_ArrayForEach(o, cJSON_GetObjectItem(doc, "recent")) {
    const char *state = json_str(o, "state");
    char key[64];
    snprintf(key, sizeof key, "cache_state_%s", state);
    cJSON_AddStringToObject(o, "state_text", ctx_text(c, key));
    cJSON_AddBoolToObject(o, "again", json_num(o, "round") > 0);
    add_age(c, o, "created_ms", now_ms, "cache_none");
    double done = json_num(o, "done_ms");
    if (done > 0 && strcmp(state, "sent") == 0) {
      char text[64];
      duration_text(c, done - json_num(o, "asked_ms"), text, sizeof text);
      cJSON_AddStringToObject(o, "took_text", text);
    }
  }
}

/* Adds the settings that say how answers are kept. */
static void add_settings(ctx *c, cJSON *doc, const cache_targets *t) {
  cJSON *s = cJSON_AddObjectToObject(doc, "settings");
  static const char *const text_keys[] = {"surrogate_key_header", "cache_max_age",
                                          "cache_stale_revalidate", "cache_stale_error",
                                          "trusted_proxies"};
  for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++) {
    char *v = settings_text(c->db, text_keys[i]);
    cJSON_AddStringToObject(s, text_keys[i], *v ? v : ctx_text(c, "cache_none"));
    free(v);
  }
  cJSON_AddStringToObject(s, "cache_nginx", *t->nginx ? t->nginx : ctx_text(c, "cache_none"));
  cJSON_AddStringToObject(s, "cache_edges", *t->edges ? t->edges : ctx_text(c, "cache_none"));
}

/* GET /admin/cache */
int admin_cache_page(ctx *c) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  long long now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  cache_targets t;
  targets_read(c, &t);
  cJSON *doc = cJSON_CreateObject();
  int rc = purge_status(c->db, t.list, t.n, now_ms, doc);
  if (rc != STORE_OK) {
    targets_free(&t);
    cJSON_Delete(doc);
    return 500;
  }
  present_status(c, doc, now_ms);
  add_settings(c, doc, &t);
  cJSON_AddBoolToObject(doc, "no_caches", t.n == 0);
  cJSON_AddBoolToObject(doc, "may_purge", c->user.role >= ROLE_ADMIN);
  static const char *const done[] = {"purged", "cache_purged_all", NULL};
  site_done(c, doc, done);
  targets_free(&t);
  return site_show(c, "admin_cache", doc, "admin_caches", 200);
}

/* POST /admin/cache: every cache forgets everything. */
int admin_cache_purge(ctx *c) {
  if (purge_everything(c->db) != STORE_OK) return 500;
  return admin_redirect(c, "/admin/cache?done=purged");
}
