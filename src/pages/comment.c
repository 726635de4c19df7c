/*
** comment.c: readers' comments, from the reply form and from apps.
**
**   POST /articles/{slug}/comments               form -> 303 to the article
**   GET  /api/v1/articles/{id}/comments          approved, oldest first
**   GET  /api/v1/articles/{id}/comments/mine     this reader's held ones
**   POST /api/v1/articles/{id}/comments          JSON -> 201 {comment}
**
** Guards: the origin check, the field limits, a honeypot field and a
** signed time in the form (a post sooner than comment_min_seconds after
** the form was shown is refused), flood limits per address, and the
** moderation rules of comment_insert.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_write.h"
#include "escape.h"
#include "comment.h"
#include "i18n.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "utf8.h"
#include "view.h"
#include "visitor.h"
#include "json.h"

enum { NAME_MAX_CHARS = 100, EMAIL_MAX = 254, BODY_MAX_CHARS = 5000,
       COMMENTS_PER_PAGE = 50,
       FORM_SHARED_SECONDS = 3600,      /* a token from the shared page */
       FORM_BOUND_SECONDS = 7 * 86400,  /* one bound to the reader's address */
};

/* What a reader typed. */
typedef struct fields {
  buf name, email, body;
  long parent;
} fields;

static void fields_free(fields *f) {
  buf_free(&f->name);
  buf_free(&f->email);
  buf_free(&f->body);
}

/* Removes white space at both ends of b and turns CR LF into LF. */
static void fields_tidy(buf *b) {
  if (!b->data) return;
  size_t w = 0;
  for (size_t r = 0; r < b->len; r++)
    if (!(b->data[r] == '\r' && r + 1 < b->len && b->data[r + 1] == '\n'))
      b->data[w++] = b->data[r];
  size_t start = 0;
  while (start < w && strchr(" \t\r\n", b->data[start])) start++;
  while (w > start && strchr(" \t\r\n", b->data[w - 1])) w--;
  memmove(b->data, b->data + start, w - start);
  b->len = w - start;
  b->data[b->len] = 0;
}

/* Returns 1 when s looks like an email address: local@domain.tld, no
** spaces or control characters, within the limits of RFC 5321. */
static int email_ok(const char *s, size_t n) {
  const char *at = memchr(s, '@', n);
  if (!at || at == s || at - s > 64 || n > EMAIL_MAX) return 0;
  const char *domain = at + 1;
  size_t dn = n - (size_t)(domain - s);
  if (dn < 3 || memchr(domain, '@', dn) || !memchr(domain, '.', dn) ||
      domain[0] == '.' || domain[dn - 1] == '.' || strstr(domain, ".."))
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= ' ' || strchr("<>()[],;:\\\"", s[i])) return 0;
  return 1;
}

/* Checks the fields. Returns NULL when they are fine, else the name of the
** first bad field, with the i18n key of the reason in *why. */
static const char *fields_check(fields *f, const char **why) {
  fields_tidy(&f->name);
  fields_tidy(&f->email);
  fields_tidy(&f->body);
  /* Controls and direction overrides in the text are dropped (a pasted
  ** text may carry them); in the name and email, which are one short line
  ** shown beside others, they are refused. */
  if (f->body.data) f->body.len = utf8_strip_unsafe(f->body.data, f->body.len, 1);
  fields_tidy(&f->body);
  if (f->name.len == 0) return *why = "name_required", "name";
  if (utf8_length(f->name.data, f->name.len) > NAME_MAX_CHARS)
    return *why = "name_too_long", "name";
  if (utf8_find_unsafe(f->name.data, f->name.len, 0) >= 0) return *why = "name_invalid", "name";
  if (f->email.len == 0) return *why = "email_required", "email";
  if (!email_ok(f->email.data, f->email.len) ||
      utf8_find_unsafe(f->email.data, f->email.len, 0) >= 0)
    return *why = "email_invalid", "email";
  if (f->body.len == 0) return *why = "body_required", "body";
  if (utf8_length(f->body.data, f->body.len) > BODY_MAX_CHARS)
    return *why = "body_too_long", "body";
  return NULL;
}

/* Returns the site's rules for new comments. */
static comment_rules comment_rules_of(const ctx *c) {
  comment_rules r = {c->app->comment_hold_all, c->app->comment_flood_seconds,
                     c->app->comment_flood_hourly, c->app->comment_max_depth};
  return r;
}

/* Fills in from f and the request's reader; visitor must outlive in. */
static void fields_input(ctx *c, const fields *f, comment_input *in,
                         char visitor[VISITOR_ID_LEN + 1]) {
  memset(in, 0, sizeof *in);
  in->name = buf_str(&f->name);
  in->email = buf_str(&f->email);
  in->body = buf_str(&f->body);
  in->parent = f->parent;
  visitor_id(c, visitor, 1);
  in->visitor = visitor;
  visitor_ip_hash(c, in->ip_hash);
}

/* ---- the reply form ------------------------------------------------- */

/* Shows the article again with the form as typed and the reason (an i18n
** key), answering status. Returns the status answered. */
static int form_again_as(ctx *c, const fields *f, const char *field, const char *why, int status) {
  cJSON *form = cJSON_CreateObject();
  cJSON *values = cJSON_AddObjectToObject(form, "values");
  cJSON_AddStringToObject(values, "name", buf_str(&f->name));
  cJSON_AddStringToObject(values, "email", buf_str(&f->email));
  cJSON_AddStringToObject(values, "body", buf_str(&f->body));
  cJSON_AddTrueToObject(form, "has_errors");
  cJSON *errors = cJSON_AddArrayToObject(form, "errors");
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "field", field);
  cJSON_AddStringToObject(e, "message", ctx_text(c, why));
  cJSON_AddItemToArray(errors, e);
  if (f->parent) cJSON_AddNumberToObject(form, "parent", (double)f->parent);
  return article_page(c, ctx_param(c, 0), status, form, NULL);
}

/* form_again_as with 400. */
static int form_again(ctx *c, const fields *f, const char *field, const char *why) {
  return form_again_as(c, f, field, why, 400);
}

/* Reads form field key into out; a field that does not decode to valid
** UTF-8 is left empty. Returns 1 when it was malformed, else 0. */
static int form_field(const ctx *c, const char *key, buf *out) {
  if (request_form(&c->req, key, out) >= 0) return 0;
  buf_reset(out);
  return 1;
}

/* Reads the form fields. Returns 0, 1 when a text field was malformed
** (the others are read), -1 when the parent is. */
static int form_read(const ctx *c, fields *f) {
  buf parent = {0};
  int text_bad = form_field(c, "name", &f->name) | form_field(c, "email", &f->email) |
                 form_field(c, "body", &f->body);
  int bad = request_form(&c->req, "parent", &parent) < 0;
  char *end;
  f->parent = parent.len ? strtol(buf_str(&parent), &end, 10) : 0;
  if (parent.len && (*end || f->parent < 1)) bad = 1;
  buf_free(&parent);
  return bad ? -1 : text_bad;
}

/* Returns 1 when the honeypot field, which people never see, was filled. */
static int form_is_bot(const ctx *c) {
  buf v = {0};
  int filled = request_form(&c->req, "website", &v) != 0 && v.len > 0;
  buf_free(&v);
  return filled;
}

/* Answers 303 to the article: to the new comment, or to the reader's held
** comments. Returns 303. */
static int form_done(ctx *c, long id, int held) {
  buf to = {0};
  escape_path(&to, "/articles/", ctx_param(c, 0));
  if (held) {
    if (id) buf_printf(&to, "?pending=1#comment-%ld", id);
    else buf_puts(&to, "?pending=1#comments");
    /* A mark, not a secret: the article's script reads it (so not
    ** HttpOnly) to ask for the reader's held comments. */
    cookie_attrs a = {.max_age = 604800, .same_site = "Lax",
                      .secure = strncmp(c->app->base_url, "https:", 6) == 0};
    response_cookie(&c->res, "gz_pending", "1", &a);
  } else {
    buf_printf(&to, "#comment-%ld", id);
  }
  int st = response_redirect(&c->res, 303, buf_str(&to));
  buf_free(&to);
  return st;
}

/* Sets Retry-After to secs. */
static void retry_after(ctx *c, long secs) {
  char v[24];
  snprintf(v, sizeof v, "%ld", secs);
  response_header(&c->res, "Retry-After", v);
}

/* Turns a refusal of comment_insert into the answer for a form post.
** Returns the status answered. */
static int form_refused(ctx *c, const fields *f, int rc, long retry) {
  switch (rc) {
    case STORE_BAD_PARENT: return form_again(c, f, "parent", "parent_invalid");
    case STORE_TOO_DEEP: return form_again(c, f, "parent", "reply_too_deep");
    case STORE_LIMIT: /* the comment is kept in the form, to post later */
      retry_after(c, retry);
      return form_again_as(c, f, "body", "comment_flood", 429);
    default: return rc == STORE_NOT_FOUND ? 404 : 500;
  }
}

/* Checks the form's signed time; returns NULL or the i18n key why not. A
** token from the shared article page names nobody, so it is good for
** FORM_SHARED_SECONDS only; the form shown back then carries one bound to
** the reader's address, good from there for FORM_BOUND_SECONDS. */
static const char *form_timing(ctx *c) {
  buf token = {0};
  int bound;
  request_form(&c->req, "token", &token);
  long age = visitor_token_age(c, token.len ? buf_str(&token) : NULL, &bound);
  buf_free(&token);
  if (age < 0 || age > (bound ? FORM_BOUND_SECONDS : FORM_SHARED_SECONDS)) return "form_expired";
  return age < c->app->comment_min_seconds ? "too_fast" : NULL;
}

/* Checks and stores the comment f on article, answering as a form post
** does. Returns the status answered. */
static int form_store(ctx *c, long article, fields *f) {
  char visitor[VISITOR_ID_LEN + 1];
  comment_input in;
  fields_input(c, f, &in, visitor);
  cJSON *made = NULL;
  long retry;
  comment_rules rules = comment_rules_of(c);
  int rc = comment_insert(c->db, c->writer, c->now, &rules, article, &in, &made, &retry);
  int st = rc == STORE_OK ? form_done(c, (long)json_num(made, "id"),
                                       cJSON_IsTrue(cJSON_GetObjectItem(made, "held")))
                          : form_refused(c, f, rc, retry);
  cJSON_Delete(made);
  return st;
}

int comment_post_form(ctx *c) {
  long article;
  int rc = article_id_by_slug(c->db, c->now, ctx_param(c, 0), &article);
  if (rc != 0) return rc > 0 ? 404 : 500;
  int closed = 0;
  if (comment_closed(c->db, article, &closed) != STORE_OK) return 500;
  if (closed) return view_error(c, 403, ctx_text(c, "comments_closed"));
  if (form_is_bot(c)) return form_done(c, 0, 1); /* looks held; nothing is kept */
  fields f = {0};
  const char *why = NULL, *field = NULL;
  int read = form_read(c, &f), st;
  if (read < 0)
    st = 400;
  else if (read > 0)
    st = form_again(c, &f, "body", "text_invalid");
  else if ((why = form_timing(c)) != NULL || (field = fields_check(&f, &why)))
    st = form_again(c, &f, field ? field : "token", why);
  else
    st = form_store(c, article, &f);
  fields_free(&f);
  return st;
}

/* ---- the JSON API --------------------------------------------------- */

/* Answers 404 for an article that is not there (rc 1), 500 for a store
** failure (-1). Returns the status. */
static int api_no_article(ctx *c, int rc) {
  return rc > 0 ? view_error(c, 404, "There is no published article with this id.") : 500;
}

/* Returns 0 when article id is visible, else the status answered. */
static int api_article_or_reply(ctx *c, long id) {
  cJSON *r = NULL;
  int rc = rating_get(c->db, c->now, id, NULL, &r);
  cJSON_Delete(r);
  return rc == STORE_OK ? 0 : api_no_article(c, rc);
}

/* Turns comment records into the API's comments (no page-only flag). */
static void api_comments(ctx *c, cJSON *list) {
  cJSON *x;
  present_comments(c->app, list);
  cJSON_ArrayForEach(x, list) {
    cJSON_DeleteItemFromObject(x, "pending");
    cJSON_DeleteItemFromObject(x, "staff");
  }
}

int comment_list_api(ctx *c) {
  long id = ctx_id(c, 0), page, per_page, total;
  int st = api_paging_or_reply(c, COMMENTS_PER_PAGE, &page, &per_page);
  if (!st) st = api_article_or_reply(c, id);
  if (st) return st;
  cJSON *items = cJSON_CreateArray();
  if (comment_page(c->db, id, page, per_page, items, &total) != STORE_OK) {
    cJSON_Delete(items);
    return 500;
  }
  response_tag(&c->res, "article", id);
  api_comments(c, items);
  return api_send_list(c, items, page, per_page, total, 0);
}

int comment_mine_api(ctx *c) {
  long id = ctx_id(c, 0);
  int st = api_article_or_reply(c, id);
  if (st) return st;
  char visitor[VISITOR_ID_LEN + 1];
  cJSON *doc = cJSON_CreateObject();
  cJSON *items = cJSON_AddArrayToObject(doc, "data");
  if (visitor_id(c, visitor, 0) && comment_mine(c->db, id, visitor, items) != STORE_OK) {
    st = 500;
  } else {
    api_comments(c, items);
    st = view_json(c, 200, "application/json", doc);
  }
  cJSON_Delete(doc);
  return st;
}

/* Copies the string member key of body into out. Returns 0, or the status
** answered (400) when it is there but not a string. */
static int api_string_or_reply(ctx *c, const cJSON *body, const char *key, buf *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
  if (!v || cJSON_IsNull(v)) return 0;
  if (!cJSON_IsString(v)) return api_bad_param(c, key, "must be a string");
  buf_puts(out, v->valuestring);
  if (!utf8_valid(out->data ? out->data : "", out->len))
    return api_bad_param(c, key, "must be valid UTF-8");
  return 0;
}

/* Reads {name, email, body, parent_id} into f. Returns 0, or the status
** answered. */
static int api_fields_or_reply(ctx *c, const cJSON *body, fields *f) {
  int st = api_string_or_reply(c, body, "name", &f->name);
  if (!st) st = api_string_or_reply(c, body, "email", &f->email);
  if (!st) st = api_string_or_reply(c, body, "body", &f->body);
  if (st) return st;
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "parent_id");
  if (p && !cJSON_IsNull(p)) {
    if (!cJSON_IsNumber(p) || p->valuedouble < 1 || p->valuedouble > 9e15 ||
        (double)(long)p->valuedouble != p->valuedouble)
      return api_bad_param(c, "parent_id", "must be the id of a comment");
    f->parent = (long)p->valuedouble;
  }
  const char *why, *field = fields_check(f, &why);
  return field ? api_bad_param(c, field, ctx_text_asked(c, why)) : 0;
}

/* Turns a refusal of comment_insert into the API's answer. Returns the
** status answered. */
static int api_refused(ctx *c, int rc, long retry) {
  if (rc == STORE_BAD_PARENT)
    return api_bad_param(c, "parent_id", ctx_text_asked(c, "parent_invalid"));
  if (rc == STORE_TOO_DEEP)
    return api_bad_param(c, "parent_id", ctx_text_asked(c, "reply_too_deep"));
  if (rc == STORE_LIMIT) {
    retry_after(c, retry);
    return view_problem(c, 429, ctx_text_asked(c, "comment_flood"), NULL, NULL);
  }
  return api_no_article(c, rc == STORE_NOT_FOUND ? 1 : -1);
}

int comment_post_api(ctx *c) {
  static const char *const members[] = {"name", "email", "body", "parent_id", NULL};
  cJSON *body = NULL;
  int st = api_object_or_reply(c, members, "is not a member of a comment (name, email, body, parent_id)", &body);
  if (st) return st;
  fields f = {0};
  int closed = 0;
  if (comment_closed(c->db, ctx_id(c, 0), &closed) == STORE_OK && closed)
    st = view_problem(c, 403, ctx_text_asked(c, "comments_closed"), NULL, NULL);
  if (st == 0) st = api_fields_or_reply(c, body, &f);
  if (st == 0) {
    char visitor[VISITOR_ID_LEN + 1];
    comment_input in;
    fields_input(c, &f, &in, visitor);
    cJSON *made = NULL;
    long retry;
    comment_rules rules = comment_rules_of(c);
    int rc = comment_insert(c->db, c->writer, c->now, &rules, ctx_id(c, 0), &in, &made, &retry);
    if (rc == STORE_OK) {
      cJSON *one = cJSON_CreateArray();
      cJSON_AddItemToArray(one, made);
      api_comments(c, one);
      made = cJSON_DetachItemFromArray(one, 0);
      cJSON_Delete(one);
      st = view_json(c, 201, "application/json", made);
    } else {
      st = api_refused(c, rc, retry);
    }
    cJSON_Delete(made);
  }
  cJSON_Delete(body);
  fields_free(&f);
  return st;
}
