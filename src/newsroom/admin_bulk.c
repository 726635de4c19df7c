/*
** admin_bulk.c: the article list's bulk actions (see desk.h).
**
**   POST /admin/articles/bulk   action, id (once per ticked article),
**                               category (move), tag (add a tag), back
**                               (the list's address to come back to)
**
** Actions: publish, unpublish (back to draft), move (to a category), tag
** (add one), delete. Each article is checked on its own against the
** user's role, as its editor would: an author may move and tag their own
** drafts and submissions and nothing else; editors and admins anything.
** The answer is 303 back to the list with what changed and what was
** refused (?bulk=ACTION&changed=N&refused=M).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "desk.h"
#include "json.h"
#include "store.h"
#include "store_admin_article.h"
#include "utf8.h"
#include "view.h"

enum { BULK_MAX = 200 };

/* The actions, their string keys and the least role for any article. */
static const struct {
  const char *name, *label;
  int editors_only;
} ACTIONS[] = {
    {"publish", "admin_bulk_publish", 1}, {"unpublish", "admin_bulk_unpublish", 1},
    {"move", "admin_bulk_move", 0},       {"tag", "admin_bulk_tag", 0},
    {"delete", "admin_bulk_delete", 1},
};
enum { ACTION_COUNT = sizeof ACTIONS / sizeof ACTIONS[0] };

/* Returns the index of action name, or -1. */
static int bulk_action(const char *name) {
  for (int i = 0; i < ACTION_COUNT; i++)
    if (strcmp(ACTIONS[i].name, name) == 0) return i;
  return -1;
}

int desk_bulk_choices(ctx *c, cJSON *doc) {
  cJSON *list = cJSON_AddArrayToObject(doc, "bulk_actions");
  for (int i = 0; i < ACTION_COUNT; i++) {
    if (ACTIONS[i].editors_only && c->user.role < ROLE_EDITOR) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", ACTIONS[i].name);
    cJSON_AddStringToObject(o, "label", ctx_text(c, ACTIONS[i].label));
    cJSON_AddItemToArray(list, o);
  }
  return admin_article_choices(c->db, cJSON_AddArrayToObject(doc, "bulk_categories"), NULL);
}

int desk_bulk_note(ctx *c, cJSON *doc) {
  buf v = {0};
  int rc = request_query(&c->req, "bulk", &v);
  int a = rc == 1 ? bulk_action(buf_str(&v)) : -1;
  buf_free(&v);
  if (rc == 0) return 0;
  long changed, refused;
  if (a < 0 || request_query_int(&c->req, "changed", 0, 0, BULK_MAX, &changed) != 0 ||
      request_query_int(&c->req, "refused", 0, 0, BULK_MAX, &refused) != 0)
    return -1;
  char note[300];
  snprintf(note, sizeof note, ctx_text(c, "admin_bulk_done"), ctx_text(c, ACTIONS[a].label),
           changed, refused);
  cJSON_AddStringToObject(doc, "bulk_note", note);
  cJSON_AddBoolToObject(doc, "bulk_refused", refused > 0);
  return 0;
}

/* What one bulk request asks. */
typedef struct bulk {
  int action;
  long category;     /* move: where to */
  buf tag;           /* tag: its name */
} bulk;

/* Returns 1 when the user may apply b to the article in f. */
static int bulk_allowed(const ctx *c, const bulk *b, const article_form *f) {
  if (c->user.role >= ROLE_EDITOR) return 1;
  if (ACTIONS[b->action].editors_only) return 0;
  return f->author_id == c->user.id &&
         (strcmp(f->saved_status, "draft") == 0 || strcmp(f->saved_status, "pending") == 0);
}

/* Applies b to the loaded article f through the editor's own save (a
** revision each). Returns a store result. */
static int bulk_apply(ctx *c, const bulk *b, article_form *f) {
  const char *name = ACTIONS[b->action].name;
  if (strcmp(name, "delete") == 0) return admin_article_delete(c->db, f->id);
  if (strcmp(name, "tag") == 0)
    return admin_article_add_tag(c->db, c->now, c->user.id, f->id, buf_str(&b->tag));
  if (strcmp(name, "move") == 0) {
    f->category_id = b->category;
  } else {
    int publish = strcmp(name, "publish") == 0;
    buf_reset(&f->status);
    buf_puts(&f->status, publish ? "published" : "draft");
    if (publish && (f->saved_published_at <= 0 || f->saved_published_at > (long long)c->now))
      f->published_at = (long long)c->now;
  }
  f->version = 0;
  return admin_article_save(c->db, c->now, c->user.id, f);
}

/* Reads the action's own field into b: a category that exists, or a tag
** name of 1 to ARTICLE_TAG_MAX characters without a comma. Returns 0 or
** -1. */
static int bulk_read(ctx *c, bulk *b) {
  buf v = {0};
  int bad = request_form(&c->req, "action", &v) != 1 || (b->action = bulk_action(buf_str(&v))) < 0;
  const char *name = bad ? "" : ACTIONS[b->action].name;
  if (!bad && strcmp(name, "move") == 0) {
    buf_reset(&v);
    char *stop = NULL;
    bad = request_form(&c->req, "category", &v) != 1;
    b->category = bad ? 0 : strtol(buf_str(&v), &stop, 10);
    cJSON *cats = cJSON_CreateArray(), *o;
    int found = 0;
    if (!bad && *stop == 0 && admin_article_choices(c->db, cats, NULL) == 0)
      cJSON_ArrayForEach(o, cats) { found |= json_long(o, "id") == b->category; }
    cJSON_Delete(cats);
    bad = !found;
  }
  if (!bad && strcmp(name, "tag") == 0) {
    bad = request_form(&c->req, "tag", &b->tag) != 1 || b->tag.len == 0;
    size_t s = 0, e = b->tag.len;
    while (s < e && b->tag.data[s] == ' ') s++;
    while (e > s && b->tag.data[e - 1] == ' ') e--;
    size_t chars = bad ? 0 : utf8_length(b->tag.data + s, e - s);
    bad = bad || chars == 0 || chars > ARTICLE_TAG_MAX || memchr(b->tag.data + s, ',', e - s);
    if (!bad) {
      memmove(b->tag.data, b->tag.data + s, e - s);
      b->tag.len = e - s;
      b->tag.data[b->tag.len] = 0;
    }
  }
  buf_free(&v);
  return bad ? -1 : 0;
}

/* Appends the list address to come back to: the form's "back" when it is
** the list's, else the list. */
static void bulk_back(ctx *c, buf *out) {
  buf v = {0};
  int ok = request_form(&c->req, "back", &v) == 1 && strncmp(buf_str(&v), "/admin/articles?", 16) == 0 &&
           !strpbrk(buf_str(&v), "\r\n#\\") && v.len < 1000;
  buf_puts(out, ok ? buf_str(&v) : "/admin/articles?");
  buf_free(&v);
}

/* POST /admin/articles/bulk */
int admin_articles_bulk(ctx *c) {
  long *ids = malloc(BULK_MAX * sizeof *ids);
  if (!ids) abort();
  bulk b = {0};
  long n = request_form_ids(&c->req, "id", ids, BULK_MAX);
  if (n <= 0 || bulk_read(c, &b) != 0) {
    free(ids);
    buf_free(&b.tag);
    return view_error(c, 400, ctx_text(c, "admin_bulk_bad"));
  }
  long changed = 0, refused = 0;
  int st = 0;
  for (int i = 0; i < n && !st; i++) {
    article_form f = {0};
    int rc = admin_article_load(c->db, c->now, ids[i], &f);
    if (rc < 0) st = 500;
    else if (rc > 0 || !bulk_allowed(c, &b, &f)) refused++;
    else if ((rc = bulk_apply(c, &b, &f)) == STORE_OK) changed++;
    else if (rc == STORE_ERROR) st = 500;
    else refused++;
    article_form_free(&f);
  }
  if (!st) {
    buf to = {0};
    bulk_back(c, &to);
    const char *q = buf_str(&to);
    buf_printf(&to, "%sbulk=%s&changed=%ld&refused=%ld",
               q[to.len - 1] == '?' || q[to.len - 1] == '&' ? "" : "&", ACTIONS[b.action].name,
               changed, refused);
    st = admin_redirect(c, buf_str(&to));
    buf_free(&to);
  }
  free(ids);
  buf_free(&b.tag);
  return st;
}
