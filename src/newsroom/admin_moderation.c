/*
** admin_moderation.c: the comment moderation queue (see admin_site.h).
**
**   GET  /admin/comments?status=pending|approved|spam|trash&page=N
**   POST /admin/comments         bulk: bulk_action and the checked id fields
**   POST /admin/comments/{id}    one comment: action
**   POST /admin/comments/{id}/reply   the newsroom answers it: reply-ID
**   POST /admin/comments/{id}/edit    its text corrected: text-ID
**
** Actions: approve, hold (back to pending), spam, trash, and delete (for
** ever; only a comment in the trash, with its replies). Every change,
** one comment or many, is one transaction that also recounts the approved
** comments of the articles touched.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_site.h"
#include "escape.h"
#include "auth.h"
#include "i18n.h"
#include "store.h"
#include "store_api.h"
#include "store_newsroom.h"
#include "timefmt.h"
#include "utf8.h"
#include "view.h"
#include "json.h"

enum { QUEUE_PER_PAGE = 50, BULK_MAX = 500 };

/* The statuses, in the order of the tabs, with their string keys. */
static const char *const STATUSES[][2] = {
    {"pending", "site_comments_tab_pending"},
    {"approved", "site_comments_tab_approved"},
    {"spam", "site_comments_tab_spam"},
    {"trash", "site_comments_tab_trash"},
};
enum { STATUS_COUNT = sizeof STATUSES / sizeof STATUSES[0] };

/* The actions: name, the status it sets (NULL: delete), string key. */
static const char *const ACTIONS[][3] = {
    {"approve", "approved", "site_action_approve"},
    {"hold", "pending", "site_action_hold"},
    {"spam", "spam", "site_action_spam"},
    {"trash", "trash", "site_action_trash"},
    {"delete", NULL, "site_action_delete"},
};
enum { ACTION_COUNT = sizeof ACTIONS / sizeof ACTIONS[0] };

/* Returns the index of status s in STATUSES, or -1. */
static int status_index(const char *s) {
  for (int i = 0; i < STATUS_COUNT; i++)
    if (strcmp(STATUSES[i][0], s) == 0) return i;
  return -1;
}

/* Returns the index of action a in ACTIONS, or -1. */
static int action_index(const char *a) {
  for (int i = 0; i < ACTION_COUNT; i++)
    if (strcmp(ACTIONS[i][0], a) == 0) return i;
  return -1;
}

/* Adds the tabs (one per status, with its count) to doc. Returns the
** count of status cur, or -1 on a database error. */
static long queue_tabs(ctx *c, cJSON *doc, int cur) {
  long counts[STATUS_COUNT];
  if (comment_counts(c->db, counts) != STORE_OK) return -1;
  cJSON *tabs = cJSON_AddArrayToObject(doc, "tabs");
  for (int i = 0; i < STATUS_COUNT; i++) {
    cJSON *t = cJSON_CreateObject();
    char url[64];
    snprintf(url, sizeof url, "/admin/comments?status=%s", STATUSES[i][0]);
    cJSON_AddStringToObject(t, "status", STATUSES[i][0]);
    cJSON_AddStringToObject(t, "label", site_text(c, STATUSES[i][1]));
    cJSON_AddNumberToObject(t, "count", (double)counts[i]);
    cJSON_AddStringToObject(t, "url", url);
    cJSON_AddBoolToObject(t, "current", i == cur);
    cJSON_AddItemToArray(tabs, t);
  }
  return counts[cur];
}

/* Adds to o the buttons for a comment in status cur: every action that
** changes it, and delete only in the trash. */
static void queue_buttons(ctx *c, cJSON *o, int cur) {
  cJSON *list = cJSON_AddArrayToObject(o, "actions");
  for (int i = 0; i < ACTION_COUNT; i++) {
    int is_delete = ACTIONS[i][1] == NULL;
    if (is_delete ? cur != 3 : strcmp(ACTIONS[i][1], STATUSES[cur][0]) == 0) continue;
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "value", ACTIONS[i][0]);
    cJSON_AddStringToObject(a, "label", site_text(c, ACTIONS[i][2]));
    if (is_delete) cJSON_AddStringToObject(a, "confirm", site_text(c, "site_delete_comment_confirm"));
    cJSON_AddItemToArray(list, a);
  }
}

/* Adds to a queue entry (as comment_queue builds it) what the screen
** shows: its date, its article's address and its buttons. */
static void queue_entry(ctx *c, cJSON *o, int cur) {
  buf b = {0};
  catalog_date(c->app->ui, (time_t)json_num(o, "created_at"), &b);
  cJSON_AddStringToObject(o, "date_display", buf_str(&b));
  cJSON *a = cJSON_GetObjectItem(o, "article");
  cJSON_AddStringToObject(o, "article_title", json_str(a, "title"));
  cJSON_AddStringToObject(o, "article_lang", json_str(a, "lang"));
  buf_reset(&b);
  escape_path(&b, "/articles/", json_str(a, "slug"));
  cJSON_AddStringToObject(o, "article_url", buf_str(&b));
  buf_printf(&b, "#comment-%ld", json_long(o, "id"));
  cJSON_AddStringToObject(o, "in_place_url", buf_str(&b));
  buf_free(&b);
  queue_buttons(c, o, cur);
}

/* Adds the bulk actions that fit the queue cur to doc. */
static void queue_bulk_actions(ctx *c, cJSON *doc, int cur) {
  cJSON *o = cJSON_CreateObject();
  queue_buttons(c, o, cur);
  cJSON_AddItemToObject(doc, "bulk_actions", cJSON_DetachItemFromObject(o, "actions"));
  cJSON_Delete(o);
}

/* Adds prev_url and next_url for page of the queue cur holding total. */
static void queue_pager(cJSON *doc, int cur, long page, long total) {
  char url[96];
  cJSON *p = cJSON_AddObjectToObject(doc, "pager");
  if (page > 1) {
    snprintf(url, sizeof url, "/admin/comments?status=%s&page=%ld", STATUSES[cur][0], page - 1);
    cJSON_AddStringToObject(p, "prev_url", url);
  }
  if (page * QUEUE_PER_PAGE < total) {
    snprintf(url, sizeof url, "/admin/comments?status=%s&page=%ld", STATUSES[cur][0], page + 1);
    cJSON_AddStringToObject(p, "next_url", url);
  }
}

/* GET /admin/comments?status=S&page=N&done=N (or replied=1) */
int admin_comments_list(ctx *c) {
  buf s = {0};
  int cur = request_query(&c->req, "status", &s) == 1 ? status_index(buf_str(&s)) : 0;
  buf_free(&s);
  long page, done, replied;
  if (cur < 0 || request_query_int(&c->req, "page", 1, 1, 1000000, &page) != 0 ||
      request_query_int(&c->req, "done", -1, 0, BULK_MAX, &done) != 0 ||
      request_query_int(&c->req, "replied", 0, 0, 1, &replied) != 0)
    return 400;
  cJSON *doc = cJSON_CreateObject();
  long total = queue_tabs(c, doc, cur);
  cJSON *list = cJSON_AddArrayToObject(doc, "comments"), *o;
  if (total < 0 || comment_queue(c->db, STATUSES[cur][0], page, QUEUE_PER_PAGE, list) != 0) {
    cJSON_Delete(doc);
    return 500;
  }
  cJSON_ArrayForEach(o, list) { queue_entry(c, o, cur); }
  cJSON_AddBoolToObject(doc, "has_comments", cJSON_GetArraySize(list) > 0);
  cJSON_AddStringToObject(doc, "status", STATUSES[cur][0]);
  cJSON_AddBoolToObject(doc, "in_trash", cur == 3);
  cJSON_AddBoolToObject(doc, "approved_tab", cur == 1);
  buf sel = {0};
  cJSON_AddBoolToObject(doc, "all_checked", request_query(&c->req, "select", &sel) == 1 &&
                                                strcmp(buf_str(&sel), "all") == 0);
  buf_free(&sel);
  char here[96];
  snprintf(here, sizeof here, "/admin/comments?status=%s&page=%ld&select=all", STATUSES[cur][0], page);
  cJSON_AddStringToObject(doc, "select_all_url", here);
  queue_bulk_actions(c, doc, cur);
  queue_pager(doc, cur, page, total);
  if (replied) {
    cJSON_AddStringToObject(doc, "done", site_text(c, "site_comments_replied"));
  } else if (done == 0) {
    cJSON_AddStringToObject(doc, "done", site_text(c, "site_comments_unchanged"));
  } else if (done > 0) {
    char msg[200];
    snprintf(msg, sizeof msg, site_text(c, "site_comments_changed"), done);
    cJSON_AddStringToObject(doc, "done", msg);
  }
  return site_show(c, "admin_comments", doc, "admin_comments", 200);
}

/* Reads the form field key as an action; returns its index or -1. */
static int form_action(ctx *c, const char *key) {
  buf v = {0};
  int a = site_field(c, key, &v) == 1 ? action_index(buf_str(&v)) : -1;
  buf_free(&v);
  return a;
}

/* Answers 303 back to the queue the form came from (its "status" field),
** saying how many comments changed. Returns 303. */
static int moderate_back(ctx *c, long changed) {
  buf v = {0}, to = {0};
  int cur = site_field(c, "status", &v) == 1 ? status_index(buf_str(&v)) : -1;
  buf_printf(&to, "/admin/comments?status=%s&done=%ld", STATUSES[cur < 0 ? 0 : cur][0],
             changed);
  int st = admin_redirect(c, buf_str(&to));
  buf_free(&v);
  buf_free(&to);
  return st;
}

/* Applies action a to the n comments ids and answers. Returns the
** status. */
static int moderate(ctx *c, const long *ids, size_t n, int a) {
  long changed;
  if (comment_moderate_many(c->db, ids, n, ACTIONS[a][1], &changed) != STORE_OK) return 500;
  return moderate_back(c, changed);
}

/* POST /admin/comments: bulk_action and id (once per checked comment). */
int admin_comments_bulk(ctx *c) {
  long *ids = malloc(BULK_MAX * sizeof *ids);
  if (!ids) abort();
  int a = form_action(c, "bulk_action");
  long n = request_form_ids(&c->req, "id", ids, BULK_MAX);
  int st = a < 0 || n < 0 ? view_error(c, 400, site_text(c, "site_comments_bad_bulk"))
                          : moderate(c, ids, (size_t)n, a);
  free(ids);
  return st;
}

/* POST /admin/comments/{id}: action. */
int admin_comments_one(ctx *c) {
  long id = ctx_id(c, 0);
  int a = form_action(c, "action");
  if (a < 0) return view_error(c, 400, site_text(c, "site_comments_bad_action"));
  return moderate(c, &id, 1, a);
}

enum { STAFF_BODY_MAX = 5000 };

/* Reads the form's field name-ID (ID: the route's comment; each
** comment's field has a name of its own): 1 to STAFF_BODY_MAX characters
** once trimmed. Returns 0, or -1 when it is missing, empty or too long. */
static int staff_body(ctx *c, const char *name, buf *body) {
  char key[48];
  snprintf(key, sizeof key, "%s-%ld", name, ctx_id(c, 0));
  if (site_field(c, key, body) != 1 || body->len == 0) return -1;
  size_t s = 0, e = body->len;
  while (s < e && strchr(" \t\r\n", body->data[s])) s++;
  while (e > s && strchr(" \t\r\n", body->data[e - 1])) e--;
  size_t n = utf8_length(body->data + s, e - s);
  if (n == 0 || n > STAFF_BODY_MAX) return -1;
  memmove(body->data, body->data + s, e - s);
  body->len = e - s;
  body->data[body->len] = 0;
  return 0;
}

/* POST /admin/comments/{id}/reply: reply-ID (its text). The reply is
** approved at once and shown on the site as from the newsroom; a comment
** held for moderation is approved with it (as WordPress's "Approve and
** Reply"); refused (409) when the comment is spam or in the trash, or a
** reply would nest deeper than comment_max_depth. */
int admin_comments_reply(ctx *c) {
  buf body = {0};
  long id = 0;
  int st = staff_body(c, "reply", &body) != 0 ? view_error(c, 400, site_text(c, "site_comment_body_bad")) : 0;
  if (!st) {
    int rc = comment_staff_reply(c->db, c->now, ctx_id(c, 0), c->user.id, 1,
                                 c->app->comment_max_depth, buf_str(&body), &id);
    st = rc == STORE_NOT_FOUND   ? 404
         : rc == STORE_BAD_PARENT ? view_error(c, 409, site_text(c, "parent_invalid"))
         : rc == STORE_TOO_DEEP   ? view_error(c, 409, site_text(c, "reply_too_deep"))
         : rc != STORE_OK         ? 500
                                  : 0;
  }
  if (!st) st = admin_redirect(c, "/admin/comments?status=approved&replied=1");
  buf_free(&body);
  return st;
}

/* POST /admin/comments/{id}/edit: text-ID. */
int admin_comments_edit(ctx *c) {
  buf body = {0};
  int st = staff_body(c, "text", &body) != 0 ? view_error(c, 400, site_text(c, "site_comment_body_bad")) : 0;
  if (!st) {
    int rc = comment_edit(c->db, c->now, ctx_id(c, 0), buf_str(&body));
    st = rc == STORE_NOT_FOUND ? 404 : rc != STORE_OK ? 500 : moderate_back(c, 1);
  }
  buf_free(&body);
  return st;
}
