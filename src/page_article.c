/*
** page_article.c: the article page (see pages.h). The page is the same for
** every reader, so that it can be cached: a reader's own vote or pending
** comment is fetched by the page's script, never baked in.
*/
#include "pages.h"
#include "store.h"
#include "view.h"

/* Adds the actions of the rating and reply forms for the article at url;
** replyto (0 for none) is the comment the reply form answers. */
static void article_forms(cJSON *doc, const char *url, long replyto) {
  buf b = {0};
  cJSON *rating = cJSON_AddObjectToObject(doc, "rating_form");
  buf_printf(&b, "%s/rating", url);
  cJSON_AddStringToObject(rating, "action", buf_str(&b));
  buf_reset(&b);
  cJSON *reply = cJSON_AddObjectToObject(doc, "comment_form");
  buf_printf(&b, "%s/comments", url);
  cJSON_AddStringToObject(reply, "action", buf_str(&b));
  cJSON_AddNumberToObject(reply, "max_name", 100);
  cJSON_AddNumberToObject(reply, "max_email", 254);
  cJSON_AddNumberToObject(reply, "max_body", 5000);
  if (replyto > 0) cJSON_AddNumberToObject(reply, "parent", (double)replyto);
  buf_free(&b);
}

void page_article(ctx *c) {
  long replyto;
  if (request_query_int(&c->req, "replyto", 0, 1, 1L << 50, &replyto) != 0) {
    view_error(c, 400, NULL);
    return;
  }
  cJSON *article = NULL;
  int rc = article_load(c, ctx_param(c, 0), 0, 1, &article);
  if (rc != 0) {
    view_error(c, rc > 0 ? 404 : 500, NULL);
    return;
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddItemToObject(doc, "article", article);
  article_forms(doc, cJSON_GetObjectItem(article, "url")->valuestring, replyto);
  const cJSON *cat = cJSON_GetObjectItem(article, "category");
  page_meta meta = {
      .kind = "article",
      .title = cJSON_GetObjectItem(article, "title")->valuestring,
      .description = cJSON_GetObjectItem(article, "summary")->valuestring,
      .nav_current = cJSON_GetObjectItem(cat, "slug")->valuestring};
  c->cache_public = 1;
  view_page(c, "article", doc, &meta);
  cJSON_Delete(doc);
}
