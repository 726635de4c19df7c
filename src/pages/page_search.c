/*
** page_search.c: GET /search?q=WORDS : the visible articles holding every
** word, best matches first, ten a page (see pages.h).
*/
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "json.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "utf8.h"
#include "view.h"

enum { SEARCH_MAX_CHARS = 200 };

/* Turns each card's "snippet" (the matching passage, its words between
** \x02 and \x03) into "snippet_html": the text escaped, the words in
** <mark>. */
static void search_marks(cJSON *cards) {
  cJSON *card;
  buf b = {0};
  cJSON_ArrayForEach(card, cards) {
    const char *s = json_str(card, "snippet");
    buf_reset(&b);
    while (*s) {
      size_t n = strcspn(s, "\x02\x03");
      escape_html(&b, s, n);
      s += n;
      if (*s) buf_puts(&b, *s++ == '\x02' ? "<mark>" : "</mark>");
    }
    cJSON_DeleteItemFromObjectCaseSensitive(card, "snippet");
    if (b.len) cJSON_AddStringToObject(card, "snippet_html", buf_str(&b));
  }
  buf_free(&b);
}

int page_search(ctx *c) {
  long page;
  buf q = {0};
  int st = page_number(c, &page);
  if (st) return st;
  int rc = request_query(&c->req, "q", &q);
  if (rc < 0 || utf8_length(buf_str(&q), q.len) > SEARCH_MAX_CHARS) {
    buf_free(&q);
    return view_error(c, 400, ctx_text(c, "search_too_long"));
  }
  cJSON *doc = cJSON_CreateObject();
  cJSON *s = cJSON_AddObjectToObject(doc, "search");
  cJSON_AddStringToObject(s, "q", buf_str(&q));
  cJSON *articles = cJSON_AddArrayToObject(doc, "articles");
  long total = 0;
  if (article_search(c->db, c->now, buf_str(&q), page, c->app->per_page, articles, &total) !=
      STORE_OK) {
    st = 500;
  } else {
    response_tag(&c->res, "search", 0);
    view_tag_cards(c, articles);
    present_cards(c->app, articles, 0);
    present_card_pictures(articles);
    search_marks(articles);
    cJSON_AddNumberToObject(s, "total", (double)total);
    present_search_total(c->app, s, total);
    cJSON_AddBoolToObject(s, "asked", q.len > 0);
    buf base = {0};
    buf_puts(&base, "/search?q=");
    escape_url(&base, buf_str(&q), q.len);
    view_pagination(doc, buf_str(&base), page, total, c->app->per_page);
    buf_free(&base);
    /* Search engines are asked not to keep result pages (robots.txt
    ** keeps them out too). */
    page_meta meta = {.kind = "search", .title = ctx_text(c, "search"), .noindex = 1};
    st = view_page(c, "search", doc, &meta, 200);
  }
  cJSON_Delete(doc);
  buf_free(&q);
  return st;
}
