/*
** webhooks.c: signing and sending the queued deliveries (see webhooks.h).
*/
#include "webhooks.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "timefmt.h"
#include "utf8.h"
#include "webhook_client.h"

const char *const WEBHOOK_EVENTS[7] = {
    "article.published", "article.updated", "article.unpublished", "article.deleted",
    "comment.created", "comment.approved", "media.created",
};

void webhook_sign(const char *secret, long long timestamp, const char *body, size_t n,
                  char out[WEBHOOK_SIGNATURE_LEN + 1]) {
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  char ts[32];
  int tn = snprintf(ts, sizeof ts, "%lld.", timestamp);
  crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)tn);
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
  crypto_auth_hmacsha256_final(&st, mac);
  memcpy(out, "sha256=", 7);
  sodium_bin2hex(out + 7, 65, mac, sizeof mac);
}

long webhook_backoff(long attempts, int base) {
  long wait = base > 0 ? base : 1;
  for (long i = 1; i < attempts && wait < WEBHOOK_BACKOFF_MAX; i++) wait *= 2;
  return wait < WEBHOOK_BACKOFF_MAX ? wait : WEBHOOK_BACKOFF_MAX;
}

/* Turns every number member of o whose name ends in "_at" into ISO 8601. */
static void body_times(cJSON *o) {
  buf b = {0};
  for (cJSON *m = o->child, *next; m; m = next) {
    next = m->next;
    size_t n = m->string ? strlen(m->string) : 0;
    if (n < 3 || strcmp(m->string + n - 3, "_at") != 0 || !cJSON_IsNumber(m)) continue;
    buf_reset(&b);
    time_iso(&b, (time_t)m->valuedouble);
    /* The name is copied before the old member goes. */
    cJSON_ReplaceItemInObjectCaseSensitive(o, m->string, cJSON_CreateString(buf_str(&b)));
  }
  buf_free(&b);
}

/* Adds the absolute address key to o: base, then the path made of
** prefix and, with id, the number id, or, without, the slug escaped. */
static void body_address(cJSON *o, const char *key, const char *base, const char *prefix,
                         const char *slug, long id) {
  buf b = {0};
  buf_puts(&b, base);
  if (slug) escape_path(&b, prefix, slug);
  else buf_printf(&b, "%s%ld", prefix, id);
  cJSON_AddStringToObject(o, key, buf_str(&b));
  buf_free(&b);
}

void webhook_body(const webhook_due *w, const char *base_url, buf *out) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *data = cJSON_Parse(buf_str(&w->data));
  if (!cJSON_IsObject(data)) {
    cJSON_Delete(data);
    data = cJSON_CreateObject();
  }
  body_times(data);
  long id = json_long(data, "id");
  if (strncmp(w->event, "article.", 8) == 0) {
    body_address(data, "url", base_url, "/articles/", json_str(data, "slug"), 0);
    body_address(data, "api_url", base_url, "/api/v1/articles/", NULL, id);
  } else if (strncmp(w->event, "media.", 6) == 0) {
    body_address(data, "api_url", base_url, "/api/v1/newsroom/media/", NULL, id);
  } else if (strncmp(w->event, "comment.", 8) == 0) {
    body_address(data, "article_api_url", base_url, "/api/v1/articles/", NULL,
                 json_long(data, "article_id"));
  }
  buf t = {0};
  time_iso(&t, (time_t)w->created_at);
  cJSON_AddNumberToObject(doc, "id", (double)w->id);
  cJSON_AddStringToObject(doc, "event", w->event);
  cJSON_AddStringToObject(doc, "created_at", buf_str(&t));
  cJSON_AddItemToObject(doc, "data", data);
  char *json = cJSON_PrintUnformatted(doc);
  buf_puts(out, json);
  cJSON_free(json);
  cJSON_Delete(doc);
  buf_free(&t);
}

/* Keeps the longest prefix of the answer that is valid UTF-8 (it is shown
** in the newsroom). */
static void answer_text(const buf *body, buf *out) {
  size_t n = body->len;
  while (n > 0 && !utf8_valid(buf_str(body), n)) n--;
  buf_append(out, buf_str(body), n);
}

/* Sends w and fills r (its error and answer kept in the bufs). */
static void webhook_send(const webhook_due *w, const webhook_settings *s, webhook_result *r,
                         buf *error, buf *answer) {
  buf body = {0}, headers = {0};
  char sig[WEBHOOK_SIGNATURE_LEN + 1];
  long long ts = (long long)time(NULL);
  webhook_body(w, s->base_url, &body);
  webhook_sign(buf_str(&w->secret), ts, buf_str(&body), body.len, sig);
  buf_printf(&headers,
             "Content-Type: application/json\r\nUser-Agent: Gazette-Webhooks/1\r\n"
             "X-Gazette-Event: %s\r\nX-Gazette-Delivery: %ld\r\nX-Gazette-Timestamp: %lld\r\n"
             "X-Gazette-Signature: %s\r\n",
             w->event, w->id, ts, sig);
  webhook_request req = {buf_str(&w->url), buf_str(&headers), buf_str(&body), body.len,
                         s->timeout_seconds * 1000, s->allow_private};
  webhook_answer a;
  int rc = webhook_post(&req, &a);
  r->status = rc == 0 ? a.status : 0;
  r->delivered = rc == 0 && a.status >= 200 && a.status < 300;
  if (rc != 0) buf_puts(error, a.error);
  else if (a.status >= 300 && a.status < 400)
    buf_printf(error, "HTTP %d: redirect to %s not followed", a.status,
               *a.location ? a.location : "(none)");
  else if (!r->delivered)
    buf_printf(error, "HTTP %d", a.status);
  answer_text(&a.body, answer);
  buf_free(&a.body);
  buf_free(&body);
  buf_free(&headers);
}

int webhook_work(db *d, time_t now, const webhook_settings *s) {
  webhook_due w;
  int rc = webhook_take(d, now, (long long)now + s->timeout_seconds + 60, &w);
  if (rc == STORE_NOT_FOUND) return 0;
  if (rc != STORE_OK) return -1;
  buf error = {0}, answer = {0};
  webhook_result r = {0};
  webhook_send(&w, s, &r, &error, &answer);
  time_t done = time(NULL);
  r.error = buf_str(&error);
  r.answer = buf_str(&answer);
  r.next_at = (long long)done + webhook_backoff(w.attempts + 1, s->retry_seconds);
  if (!r.delivered)
    fprintf(stderr, "gazette: webhook delivery %ld (%s) to %s: %s\n", w.id, w.event,
            buf_str(&w.url), r.error);
  rc = webhook_record(d, done, w.id, &r) == STORE_OK ? 1 : -1;
  buf_free(&error);
  buf_free(&answer);
  webhook_due_free(&w);
  return rc;
}
