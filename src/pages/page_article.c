/*
** page_article.c: the article page (see pages.h). The page is the same for
** every reader, so that it can be cached: a reader's own vote is fetched
** by the page's script, never baked in. Two answers are for one reader and
** never cached: the page shown back with a failed reply form, and the page
** after a held comment (?pending=1), which shows that reader's comments
** awaiting moderation (recognised by the visitor cookie).
*/
#include "escape.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "view.h"
#include "visitor.h"
#include "json.h"

/* Adds the rating and reply forms for the article at url; form is the
** state of a failed post (values, errors, parent) or NULL. own: the page
** is this reader's alone, so its form token is bound to their address. */
static void article_forms(ctx *c, cJSON *doc, const char *url, long replyto,
                          cJSON *form, int own) {
  buf b = {0};
  cJSON *rating = cJSON_AddObjectToObject(doc, "rating_form");
  buf_printf(&b, "%s/rating", url);
  cJSON_AddStringToObject(rating, "action", buf_str(&b));
  buf_reset(&b);
  cJSON *reply = form ? form : cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "comment_form", reply);
  /* A post refused comes back at the form, its errors in sight. */
  buf_printf(&b, "%s/comments#reply", url);
  cJSON_AddStringToObject(reply, "action", buf_str(&b));
  buf_reset(&b);
  if (own) visitor_bound_token(c, &b, c->now);
  else visitor_form_token(c, &b, c->now);
  cJSON_AddStringToObject(reply, "token", buf_str(&b));
  cJSON_AddNumberToObject(reply, "max_name", 100);
  cJSON_AddNumberToObject(reply, "max_email", 254);
  cJSON_AddNumberToObject(reply, "max_body", 5000);
  if (replyto > 0 && !cJSON_GetObjectItem(reply, "parent"))
    cJSON_AddNumberToObject(reply, "parent", (double)replyto);
  buf_free(&b);
}

/* Returns the comment with this id among comments and their replies, or
** NULL. */
static const cJSON *comment_find(const cJSON *comments, long id) {
  const cJSON *o;
  cJSON_ArrayForEach(o, comments) {
    if (json_long(o, "id") == id) return o;
    const cJSON *r = comment_find(cJSON_GetObjectItemCaseSensitive(o, "replies"), id);
    if (r) return r;
  }
  return NULL;
}

/* Says whom the reply form answers when the page was opened from a
** comment's reply link without script (?replyto=ID): parent_name, and
** cancel_url, the page without it. */
static void article_reply_to(cJSON *doc, const cJSON *article) {
  cJSON *form = cJSON_GetObjectItemCaseSensitive(doc, "comment_form");
  long parent = (long)json_num(form, "parent");
  const cJSON *c = parent ? comment_find(cJSON_GetObjectItem(article, "comments"), parent) : NULL;
  if (!c) return;
  cJSON_AddStringToObject(form, "parent_name", json_str(c, "author_name"));
  buf b = {0};
  buf_printf(&b, "%s#reply", json_str(article, "url"));
  cJSON_AddStringToObject(form, "cancel_url", buf_str(&b));
  buf_free(&b);
}

/* Adds comment_pages {page, prev_url, next_url} for an article at url
** whose comments fill more than one page (more: a later page exists). */
static void article_comment_pages(cJSON *doc, const char *url, long page,
                                  int more) {
  cJSON *p = cJSON_AddObjectToObject(doc, "comment_pages");
  buf b = {0};
  cJSON_AddNumberToObject(p, "page", (double)page);
  if (page > 1) {
    buf_printf(&b, "%s?cpage=%ld#comments", url, page - 1);
    cJSON_AddStringToObject(p, "prev_url", buf_str(&b));
  }
  if (more) {
    buf_reset(&b);
    buf_printf(&b, "%s?cpage=%ld#comments", url, page + 1);
    cJSON_AddStringToObject(p, "next_url", buf_str(&b));
  }
  buf_free(&b);
}

int article_page(ctx *c, const char *slug, int status, cJSON *form, const char *visitor) {
  long replyto;
  if (request_query_int(&c->req, "replyto", 0, 1, 1L << 50, &replyto) != 0)
    replyto = 0;
  long cpage;
  int more = 0;
  if (request_query_int(&c->req, "cpage", 1, 1, 100000, &cpage) != 0) cpage = 1;
  cJSON *article = NULL;
  int rc = article_load(c->db, c->now, slug, 0, &article);
  cJSON *comments = article ? cJSON_AddArrayToObject(article, "comments") : NULL;
  if (rc == STORE_OK) {
    long id = (long)json_num(article, "id");
    rc = comment_tree(c->db, id, visitor, cpage, comments, &more);
  }
  if (rc != STORE_OK) {
    cJSON_Delete(article);
    cJSON_Delete(form);
    buf moved = {0}, to = {0};
    int st = rc > 0 ? 404 : 500;
    if (rc > 0 && status == 200 && article_redirect(c->db, c->now, slug, &moved) == STORE_OK) {
      /* Bounded, so that a slug given back later is not lost in browsers. */
      c->res.cache = CACHE_MOVED;
      escape_path(&to, "/articles/", buf_str(&moved));
      st = response_redirect(&c->res, 301, buf_str(&to));
    }
    buf_free(&to);
    buf_free(&moved);
    return st;
  }
  response_tag(&c->res, "article", json_long(article, "id"));
  view_tag_cards(c, cJSON_GetObjectItem(article, "related"));
  present_article(c->app, article);
  present_description(article);
  present_article_pictures(article);
  present_comments(c->app, comments);
  present_comment_threads(c->app, comments);
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "article", article);
  const cJSON *cat = cJSON_GetObjectItem(article, "category");
  if (view_trail(c, doc, json_long(cat, "id"), 0) != 0) {
    cJSON_Delete(doc);
    return 500;
  }
  if (cpage > 1 || more)
    article_comment_pages(doc, json_str(article, "url"),
                          cpage, more);
  int own = status != 200 || form || visitor || !cache_policy_shared(c->res.cache);
  article_forms(c, doc, json_str(article, "url"), replyto, form, own);
  article_reply_to(doc, article);
  page_meta meta = {
      .kind = "article",
      .title = json_str(article, "title"),
      .description = json_str(article, "description"),
      .nav_current = json_str(cat, "path"),
      .article = article,
      .canonical = json_str(article, "url")};
  if (status != 200 || form || visitor) response_cache_private(&c->res);
  int st = view_page(c, "article", doc, &meta, status);
  cJSON_Delete(doc);
  return st;
}

int page_article(ctx *c) {
  long replyto, pending;
  long cpage;
  if (request_query_int(&c->req, "replyto", 0, 1, 1L << 50, &replyto) != 0 ||
      request_query_int(&c->req, "pending", 0, 0, 1, &pending) != 0 ||
      request_query_int(&c->req, "cpage", 1, 1, 100000, &cpage) != 0)
    return 400;
  char visitor[VISITOR_ID_LEN + 1];
  int mine = pending && visitor_id(c, visitor, 0);
  /* ?pending=1 is for one reader: never kept, whether or not a cookie came. */
  if (pending) response_cache_private(&c->res);
  return article_page(c, ctx_param(c, 0), 200, NULL, mine ? visitor : NULL);
}
