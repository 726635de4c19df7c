/*
** admin_webhooks.c: webhooks, for admins.
**
**   GET  /admin/webhooks                      the endpoints, a form to add one
**   POST /admin/webhooks                      add one (url, the events, secret)
**   GET  /admin/webhooks/{id}                 change it; its deliveries (?page=)
**   POST /admin/webhooks/{id}                 save (url, events, active, secret)
**   POST /admin/webhooks/{id}/delete          delete it with its deliveries
**   POST /admin/webhooks/{id}/deliveries/{did}/redeliver
**                                             send a delivery again, now
**
** An address that is private, loopback or link-local is refused unless
** the webhook_allow_private setting is 1 (webhook_client.h). A secret left
** empty is made: 32 random bytes in hex. The webhook thread does the
** sending (webhooks.h); these screens only change the rows it reads.
*/
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_site.h"
#include "json.h"
#include "settings.h"
#include "store_webhook.h"
#include "utf8.h"
#include "view.h"
#include "webhook_client.h"
#include "webhooks.h"

enum { DELIVERIES_PER_PAGE = 30, EVENTS = 7 };

/* The string keys of the events' labels, in WEBHOOK_EVENTS' order. */
static const char *const EVENT_LABELS[EVENTS] = {
    "admin_webhook_event_article_published", "admin_webhook_event_article_updated",
    "admin_webhook_event_article_unpublished", "admin_webhook_event_article_deleted",
    "admin_webhook_event_comment_created", "admin_webhook_event_comment_approved",
    "admin_webhook_event_media_created",
};

/* Appends t as the newsroom shows times ("2026-11-27 08:30:15 UTC"). */
static void hook_time(buf *out, long long t) {
  time_t tt = (time_t)t;
  struct tm tm;
  char s[40];
  gmtime_r(&tt, &tm);
  strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S UTC", &tm);
  buf_puts(out, s);
}

/* Returns 1 when the space-separated list holds name. */
static int hook_takes(const char *list, const char *name) {
  size_t n = strlen(name);
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, " ");
    if (len == n && strncmp(p, name, n) == 0) return 1;
    p += len + (p[len] == ' ');
  }
  return 0;
}

/* An endpoint's form as sent (or as stored). */
typedef struct hook_form {
  buf url, events, secret;
  int active;
  const char *error;       /* a message, or NULL */
} hook_form;

/* Frees what f holds. */
static void hook_form_free(hook_form *f) {
  buf_free(&f->url);
  buf_free(&f->events);
  buf_free(&f->secret);
}

/* Adds the form f to doc as "form": url, active, the events (name, key: the
** name as an element's id, label; checked when f takes them), error. */
static void hook_form_add(ctx *c, cJSON *doc, const hook_form *f) {
  cJSON *o = cJSON_AddObjectToObject(doc, "form");
  cJSON_AddStringToObject(o, "url", buf_str(&f->url));
  cJSON_AddBoolToObject(o, "active", f->active);
  if (f->error) cJSON_AddStringToObject(o, "error", f->error);
  cJSON *ev = cJSON_AddArrayToObject(o, "events");
  for (int i = 0; i < EVENTS; i++) {
    cJSON *e = cJSON_CreateObject();
    char key[40];
    snprintf(key, sizeof key, "%s", WEBHOOK_EVENTS[i]);
    for (char *p = key; *p; p++) if (*p == '.') *p = '-';
    cJSON_AddStringToObject(e, "name", WEBHOOK_EVENTS[i]);
    cJSON_AddStringToObject(e, "key", key);
    cJSON_AddStringToObject(e, "label", site_text(c, EVENT_LABELS[i]));
    cJSON_AddBoolToObject(e, "checked", hook_takes(buf_str(&f->events), WEBHOOK_EVENTS[i]));
    cJSON_AddItemToArray(ev, e);
  }
}

/* Reads and checks the posted form into f. An empty secret keeps stored
** (the secret as stored), or, for a new endpoint (stored NULL), is made.
** Sets f->error (a message) when the form is not acceptable. Returns 0, or
** -1 when it is malformed. */
static int hook_form_read(ctx *c, hook_form *f, const char *stored) {
  buf v = {0};
  int bad = site_field(c, "url", &f->url) < 0 || site_field(c, "secret", &f->secret) < 0;
  bad |= site_field(c, "active", &v) < 0;
  f->active = v.len > 0;
  for (int i = 0; i < EVENTS && !bad; i++) {
    buf_reset(&v);
    bad |= site_field(c, WEBHOOK_EVENTS[i], &v) < 0;
    if (v.len) {
      if (f->events.len) buf_putc(&f->events, ' ');
      buf_puts(&f->events, WEBHOOK_EVENTS[i]);
    }
  }
  buf_free(&v);
  if (bad) return -1;
  char why[256];
  int allow = (int)settings_int(c->db, "webhook_allow_private");
  if (webhook_url_check(buf_str(&f->url), allow, why, sizeof why) != 0)
    f->error = site_text(c, strstr(why, "private") ? "admin_webhook_err_private"
                                                   : "admin_webhook_err_url");
  else if (!f->events.len)
    f->error = site_text(c, "admin_webhook_err_events");
  else if (f->secret.len > WEBHOOK_SECRET_MAX || !utf8_valid(buf_str(&f->secret), f->secret.len))
    f->error = site_text(c, "admin_webhook_err_secret");
  if (!f->error && f->secret.len == 0) {
    if (stored) {
      buf_puts(&f->secret, stored);
    } else {
      unsigned char raw[32];
      char hex[65];
      randombytes_buf(raw, sizeof raw);
      sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
      buf_puts(&f->secret, hex);
    }
  }
  return 0;
}

/* ---- the list ----------------------------------------------------------------- */

/* Shows the endpoints with the add form (as sent, with its error) and
** status. Returns the status answered. */
static int hooks_show(ctx *c, const hook_form *f, int status) {
  cJSON *doc = cJSON_CreateObject(), *o;
  cJSON *list = cJSON_AddArrayToObject(doc, "webhooks");
  if (webhook_list(c->db, list) != STORE_OK) {
    cJSON_Delete(doc);
    return 500;
  }
  char url[48];
  cJSON_ArrayForEach(o, list) {
    snprintf(url, sizeof url, "/admin/webhooks/%ld", json_long(o, "id"));
    cJSON_AddStringToObject(o, "edit_url", url);
  }
  cJSON_AddBoolToObject(doc, "has_webhooks", cJSON_GetArraySize(list) > 0);
  hook_form_add(c, doc, f);
  static const char *const done[] = {"deleted", "admin_webhook_deleted", NULL};
  site_done(c, doc, done);
  return site_show(c, "admin_webhooks", doc, "admin_webhooks", status);
}

/* GET /admin/webhooks */
int admin_webhooks_list(ctx *c) {
  hook_form f = {.active = 1};
  buf_puts(&f.events, "article.published");
  int st = hooks_show(c, &f, 200);
  hook_form_free(&f);
  return st;
}

/* POST /admin/webhooks: url, the events' checkboxes, secret (empty: one
** is made). */
int admin_webhooks_add(ctx *c) {
  hook_form f = {0};
  int st;
  if (hook_form_read(c, &f, NULL) != 0) {
    st = 400;
  } else if (f.error) {
    f.active = 1;
    st = hooks_show(c, &f, 400);
  } else {
    webhook_in in = {buf_str(&f.url), buf_str(&f.events), buf_str(&f.secret), 1};
    long id = 0;
    char to[64];
    st = webhook_insert(c->db, c->now, &in, &id) == STORE_OK ? 0 : 500;
    if (!st) {
      snprintf(to, sizeof to, "/admin/webhooks/%ld?done=added", id);
      st = admin_redirect(c, to);
    }
  }
  hook_form_free(&f);
  return st;
}

/* ---- one endpoint --------------------------------------------------------------- */

/* Adds the page of deliveries asked for (?page=) to doc. Returns 0, 400
** or 500. */
static int hook_deliveries_add(ctx *c, cJSON *doc, long id) {
  long page = 1, total = 0;
  if (request_query_int(&c->req, "page", 1, 1, 100000, &page) != 0) return 400;
  cJSON *list = cJSON_AddArrayToObject(doc, "deliveries"), *o;
  if (webhook_deliveries(c->db, id, page, DELIVERIES_PER_PAGE, list, &total) != STORE_OK)
    return 500;
  buf b = {0};
  char url[96];
  cJSON_ArrayForEach(o, list) {
    buf_reset(&b);
    buf_printf(&b, "admin_webhook_state_%s", json_str(o, "state"));
    cJSON_AddStringToObject(o, "state_label", site_text(c, buf_str(&b)));
    cJSON_AddBoolToObject(o, "pending", strcmp(json_str(o, "state"), "pending") == 0);
    buf_reset(&b);
    hook_time(&b, (long long)json_num(o, "created_at"));
    cJSON_AddStringToObject(o, "created", buf_str(&b));
    buf_reset(&b);
    if (json_num(o, "last_at") > 0) hook_time(&b, (long long)json_num(o, "last_at"));
    cJSON_AddStringToObject(o, "last", buf_str(&b));
    buf_reset(&b);
    hook_time(&b, (long long)json_num(o, "next_at"));
    cJSON_AddStringToObject(o, "next", buf_str(&b));
    snprintf(url, sizeof url, "/admin/webhooks/%ld/deliveries/%ld/redeliver", id,
             json_long(o, "id"));
    cJSON_AddStringToObject(o, "redeliver_url", url);
  }
  buf_free(&b);
  char base[64];
  snprintf(base, sizeof base, "/admin/webhooks/%ld", id);
  view_pagination(doc, base, page, total, DELIVERIES_PER_PAGE);
  cJSON_AddBoolToObject(doc, "has_deliveries", total > 0);
  return 0;
}

/* Shows endpoint id's page: the form (as stored, or as sent in f with its
** error), its secret, its deliveries. Returns the status answered. */
static int hook_page(ctx *c, long id, hook_form *f, int status) {
  cJSON *w = NULL;
  int rc = webhook_get(c->db, id, &w);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? 404 : 500;
  cJSON *doc = cJSON_CreateObject();
  hook_form stored = {0};
  if (!f) {
    buf_puts(&stored.url, json_str(w, "url"));
    buf_puts(&stored.events, json_str(w, "events"));
    stored.active = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "active"));
    f = &stored;
  }
  hook_form_add(c, doc, f);
  hook_form_free(&stored);
  cJSON_AddItemToObject(doc, "webhook", w);
  int st = hook_deliveries_add(c, doc, id);
  if (st) {
    cJSON_Delete(doc);
    return st;
  }
  static const char *const done[] = {"added", "admin_webhook_added", "saved", "admin_webhook_saved",
                                     "redelivered", "admin_webhook_redelivered", NULL};
  site_done(c, doc, done);
  return site_show(c, "admin_webhook", doc, "admin_webhook", status);
}

/* GET /admin/webhooks/{id} */
int admin_webhook_page(ctx *c) { return hook_page(c, ctx_id(c, 0), NULL, 200); }

/* POST /admin/webhooks/{id}: url, events, active, secret (empty: kept). */
int admin_webhook_save(ctx *c) {
  long id = ctx_id(c, 0);
  cJSON *w = NULL;
  int rc = webhook_get(c->db, id, &w);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? 404 : 500;
  hook_form f = {0};
  int st;
  if (hook_form_read(c, &f, json_str(w, "secret")) != 0) {
    st = 400;
  } else if (f.error) {
    st = hook_page(c, id, &f, 400);
  } else {
    webhook_in in = {buf_str(&f.url), buf_str(&f.events), buf_str(&f.secret), f.active};
    rc = webhook_update(c->db, c->now, id, &in);
    char to[64];
    snprintf(to, sizeof to, "/admin/webhooks/%ld?done=saved", id);
    st = rc == STORE_OK ? admin_redirect(c, to) : rc == STORE_NOT_FOUND ? 404 : 500;
  }
  cJSON_Delete(w);
  hook_form_free(&f);
  return st;
}

/* POST /admin/webhooks/{id}/delete */
int admin_webhook_delete(ctx *c) {
  int rc = webhook_delete(c->db, ctx_id(c, 0));
  if (rc == STORE_OK) return admin_redirect(c, "/admin/webhooks?done=deleted");
  return rc == STORE_NOT_FOUND ? 404 : 500;
}

/* POST /admin/webhooks/{id}/deliveries/{did}/redeliver */
int admin_webhook_redeliver(ctx *c) {
  long id = ctx_id(c, 0);
  int rc = webhook_redeliver(c->db, c->now, id, ctx_id(c, 1));
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? 404 : 500;
  char to[80];
  snprintf(to, sizeof to, "/admin/webhooks/%ld?done=redelivered", id);
  return admin_redirect(c, to);
}
