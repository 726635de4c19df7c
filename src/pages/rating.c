/*
** rating.c: "Rate this post": the form a browser posts without script,
** and the JSON endpoint the widget (and apps) use.
**
**   POST /articles/{slug}/rating          stars=N      -> 303 to the article
**   GET  /api/v1/articles/{id}/rating                  -> figures, your vote
**   POST /api/v1/articles/{id}/rating     {"stars":N}  -> new figures
**
** A reader is the visitor cookie; an address may add only a few distinct
** votes to one article a day (rating_ip_cap).
*/
#include <math.h>
#include <string.h>

#include "api.h"
#include "api_write.h"
#include "escape.h"
#include "i18n.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "view.h"
#include "visitor.h"

/* Parses the form field stars as 1..5. Returns the number or 0. */
static int rating_form_stars(const ctx *c) {
  buf v = {0};
  int stars = 0;
  if (request_form(&c->req, "stars", &v) == 1 && v.len == 1 &&
      v.data[0] >= '1' && v.data[0] <= '5')
    stars = v.data[0] - '0';
  buf_free(&v);
  return stars;
}

/* Fills v for this request: the visitor (a cookie is set for a new one),
** the address hash and stars. */
static void rating_vote(ctx *c, vote *v, char *voter, int stars) {
  visitor_id(c, voter, 1);
  v->voter = voter;
  visitor_ip_hash(c, v->ip_hash);
  v->stars = stars;
}

int rating_post_form(ctx *c) {
  long id;
  int rc = article_id_by_slug(c->db, c->now, ctx_param(c, 0), &id);
  if (rc != 0) return rc > 0 ? 404 : 500;
  int stars = rating_form_stars(c);
  if (!stars) return view_error(c, 400, ctx_text(c, "rating_invalid"));
  char voter[VISITOR_ID_LEN + 1];
  vote v;
  rating_vote(c, &v, voter, stars);
  cJSON *doc = NULL;
  rc = rating_cast(c->db, c->writer, c->now, c->app->rating_ip_cap, id, &v, &doc);
  cJSON_Delete(doc);
  if (rc == STORE_LIMIT) {
    response_header(&c->res, "Retry-After", "86400");
    return view_error(c, 429, ctx_text(c, "rating_cap"));
  }
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? 404 : 500;
  buf to = {0};
  escape_path(&to, "/articles/", ctx_param(c, 0));
  /* The page is the same for everyone; its address tells this reader
  ** what they gave (the style sheet shows #voted-N's thanks). */
  buf_printf(&to, "#voted-%d", stars);
  int st = response_redirect(&c->res, 303, buf_str(&to));
  buf_free(&to);
  return st;
}

/* The API's answer when article id is not visible (rc 1) or the store
** failed (-1). */
static int rating_no_article(ctx *c, int rc) {
  return rc > 0 ? view_error(c, 404, "There is no published article with this id.") : 500;
}

int rating_get_api(ctx *c) {
  char voter[VISITOR_ID_LEN + 1];
  int known = visitor_id(c, voter, 0);
  cJSON *doc = NULL;
  int rc = rating_get(c->db, c->now, ctx_id(c, 0), known ? voter : NULL, &doc);
  if (rc != STORE_OK) return rating_no_article(c, rc);
  present_rating(c->app, doc);
  int st = view_json(c, 200, "application/json", doc);
  cJSON_Delete(doc);
  return st;
}

/* Reads {"stars": n} with n a whole number 1..5. Returns n, or 0. */
static int rating_json_stars(const cJSON *body) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(body, "stars");
  if (cJSON_IsNumber(s) && s->valuedouble >= 1 && s->valuedouble <= 5 &&
      floor(s->valuedouble) == s->valuedouble)
    return (int)s->valuedouble;
  return 0;
}

int rating_post_api(ctx *c) {
  static const char *const members[] = {"stars", NULL};
  cJSON *body = NULL;
  int st = api_object_or_reply(c, members, "is not a member of a vote (stars)", &body);
  if (st) return st;
  int stars = rating_json_stars(body);
  cJSON_Delete(body);
  if (!stars) return api_bad_param(c, "stars", ctx_text_asked(c, "rating_invalid"));
  char voter[VISITOR_ID_LEN + 1];
  vote v;
  rating_vote(c, &v, voter, stars);
  cJSON *doc = NULL;
  int rc = rating_cast(c->db, c->writer, c->now, c->app->rating_ip_cap, ctx_id(c, 0), &v, &doc);
  if (rc == STORE_OK) {
    present_rating(c->app, doc);
    st = view_json(c, 200, "application/json", doc);
  } else if (rc == STORE_LIMIT) {
    response_header(&c->res, "Retry-After", "86400");
    st = view_problem(c, 429, ctx_text_asked(c, "rating_cap"), NULL, NULL);
  } else {
    st = rating_no_article(c, rc);
  }
  cJSON_Delete(doc);
  return st;
}
