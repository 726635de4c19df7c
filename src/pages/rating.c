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
#include <strings.h>

#include "api.h"
#include "i18n.h"
#include "pages.h"
#include "store.h"
#include "view.h"
#include "visitor.h"

/* Returns 1 when the body is an urlencoded form. */
static int rating_is_form(const ctx *c) {
  const char *type = request_param(&c->req, "CONTENT_TYPE");
  return type && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0;
}

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

void rating_post_form(ctx *c) {
  if (visitor_check_origin(c) != 0) return;
  if (!rating_is_form(c)) {
    view_error(c, 415, NULL);
    return;
  }
  long id;
  int rc = article_id_by_slug(c, ctx_param(c, 0), &id);
  if (rc != 0) {
    view_error(c, rc > 0 ? 404 : 500, NULL);
    return;
  }
  int stars = rating_form_stars(c);
  if (!stars) {
    view_error(c, 400, ctx_text(c, "rating_invalid"));
    return;
  }
  char voter[VISITOR_ID_LEN + 1];
  vote v;
  rating_vote(c, &v, voter, stars);
  cJSON *doc = NULL;
  rc = rating_cast(c, id, &v, &doc);
  cJSON_Delete(doc);
  if (rc == 0) {
    buf to = {0};
    store_url(&to, "/articles/", ctx_param(c, 0));
    buf_puts(&to, "#rating");
    response_redirect(&c->res, 303, buf_str(&to));
    buf_free(&to);
  } else if (rc == 2) {
    view_error(c, 429, ctx_text(c, "rating_cap"));
    response_header(&c->res, "Retry-After", "86400");
  } else {
    view_error(c, rc == 1 ? 404 : 500, NULL);
  }
}

void rating_get_api(ctx *c) {
  long id;
  if (api_begin(c) != 0 || api_param_id(c, 0, &id) != 0) return;
  char voter[VISITOR_ID_LEN + 1];
  int known = visitor_id(c, voter, 0);
  cJSON *doc = NULL;
  int rc = rating_get(c, id, known ? voter : NULL, &doc);
  if (rc != 0) {
    view_error(c, rc > 0 ? 404 : 500, rc > 0 ? "There is no published article with this id." : NULL);
    return;
  }
  api_send_private(c, 200, doc);
  cJSON_Delete(doc);
}

/* Reads {"stars": n} with n a whole number 1..5. Returns n, or 0 after
** answering 400. */
static int rating_json_stars(ctx *c, const cJSON *body) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(body, "stars");
  if (cJSON_IsNumber(s) && s->valuedouble >= 1 && s->valuedouble <= 5 &&
      floor(s->valuedouble) == s->valuedouble)
    return (int)s->valuedouble;
  api_bad_param(c, "stars", "must be a whole number from 1 to 5");
  return 0;
}

void rating_post_api(ctx *c) {
  long id;
  cJSON *body = NULL;
  if (visitor_check_origin(c) != 0 || api_begin(c) != 0 ||
      api_param_id(c, 0, &id) != 0 || api_json_body(c, &body) != 0)
    return;
  int stars = rating_json_stars(c, body);
  cJSON_Delete(body);
  if (!stars) return;
  char voter[VISITOR_ID_LEN + 1];
  vote v;
  rating_vote(c, &v, voter, stars);
  cJSON *doc = NULL;
  int rc = rating_cast(c, id, &v, &doc);
  if (rc == 0) {
    api_send_private(c, 200, doc);
  } else if (rc == 2) {
    view_problem(c, 429, "This network has cast the most votes allowed on this "
                 "article today.", NULL, NULL);
    response_header(&c->res, "Retry-After", "86400");
  } else {
    view_error(c, rc == 1 ? 404 : 500, rc == 1 ? "There is no published article with this id." : NULL);
  }
  cJSON_Delete(doc);
}
