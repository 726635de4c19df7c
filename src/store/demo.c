/*
** demo.c: the demo site loader (see demo.h). The file is trusted content
** shipped with Gazette, but it is still checked: a broken file fails with
** the reason and leaves the database as it was.
*/
#include "demo.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "markdown.h"
#include "settings.h"
#include "timefmt.h"

enum { DEMO_MAX_BYTES = 4 * 1024 * 1024 };

/* Loading state: the database, the error text and where it goes. */
typedef struct loader {
  db *d;
  char *err;
  size_t errlen;
  time_t now;
  const cJSON *directions; /* {lang: "ltr" or "rtl"} */
} loader;

/* Returns the text direction of articles in lang, as the file's
** "directions" gives it ("ltr" when it names none). */
static const char *demo_dir(const loader *L, const char *lang) {
  const char *d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(L->directions, lang));
  return d && strcmp(d, "rtl") == 0 ? "rtl" : "ltr";
}

/* Reads the file at path into a new NUL-terminated string, or NULL. */
static char *demo_read(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *s = malloc(DEMO_MAX_BYTES + 1);
  if (!s) abort();
  size_t n = fread(s, 1, DEMO_MAX_BYTES + 1, f);
  fclose(f);
  if (n > DEMO_MAX_BYTES) {
    free(s);
    return NULL;
  }
  s[n] = 0;
  return s;
}

/* Returns the string member key of o, or NULL (recording an error) when
** absent. */
static const char *need_str(loader *L, const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (cJSON_IsString(v)) return v->valuestring;
  if (!*L->err) snprintf(L->err, L->errlen, "demo content: missing \"%s\"", key);
  return NULL;
}

/* Runs the insert st, whose parameters are bound; returns the new rowid or
** -1 with the error recorded. */
static long long demo_insert(loader *L, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    if (!*L->err)
      snprintf(L->err, L->errlen, "demo content: %s", sqlite3_errmsg(L->d->h));
    return -1;
  }
  return sqlite3_last_insert_rowid(L->d->h);
}

/* Binds text (or NULL) to parameter i. */
static void bind_text(sqlite3_stmt *st, int i, const char *s) {
  if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, i);
}

static const char SQL_USER[] =
    "INSERT INTO users (username, display_name, role, bio, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CATEGORY[] =
    "INSERT INTO categories (slug, name, description, position)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_TAG[] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)";

/* Inserts the authors, categories and tags. Returns 0 or -1. */
static int demo_basics(loader *L, const cJSON *root) {
  const cJSON *x;
  int pos = 0;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "authors")) {
    sqlite3_stmt *st = db_prepare(L->d, SQL_USER);
    bind_text(st, 1, need_str(L, x, "username"));
    bind_text(st, 2, need_str(L, x, "name"));
    bind_text(st, 3, need_str(L, x, "role"));
    bind_text(st, 4, need_str(L, x, "bio"));
    sqlite3_bind_int64(st, 5, L->now);
    if (demo_insert(L, st) < 0) return -1;
  }
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "categories")) {
    sqlite3_stmt *st = db_prepare(L->d, SQL_CATEGORY);
    bind_text(st, 1, need_str(L, x, "slug"));
    bind_text(st, 2, need_str(L, x, "name"));
    bind_text(st, 3, need_str(L, x, "description"));
    sqlite3_bind_int(st, 4, pos++);
    if (demo_insert(L, st) < 0) return -1;
  }
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "tags")) {
    sqlite3_stmt *st = db_prepare(L->d, SQL_TAG);
    bind_text(st, 1, need_str(L, x, "slug"));
    bind_text(st, 2, need_str(L, x, "name"));
    if (demo_insert(L, st) < 0) return -1;
  }
  return *L->err ? -1 : 0;
}

static const char SQL_ARTICLE[] =
    "INSERT INTO articles (slug, title, summary, lang, dir,"
    " status, featured, category_id, author_id, published_at, created_at,"
    " updated_at)"
    " SELECT ?1, ?2, ?3, ?6, ?7, ?8, ?9, c.id, u.id, ?10, ?10, ?10"
    " FROM categories c, users u WHERE c.slug = ?11 AND u.username = ?12";
static const char SQL_ARTICLE_BODY[] =
    "INSERT INTO article_bodies (article_id, body_md, body_html, search_text)"
    " VALUES (?1, ?2, ?3, html_text(?3))";
static const char SQL_ARTICLE_TAG[] =
    "INSERT INTO article_tags (article_id, tag_id)"
    " SELECT ?1, id FROM tags WHERE slug = ?2";
static const char SQL_RATING[] =
    "INSERT INTO ratings (article_id, voter, stars, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4)";
static const char SQL_COMMENT[] =
    "INSERT INTO comments (article_id, parent_id, author_name, author_email,"
    " body, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_COUNTERS[] =
    "UPDATE articles SET"
    " rating_count = (SELECT count(*) FROM ratings r WHERE r.article_id = articles.id),"
    " rating_sum = (SELECT coalesce(sum(stars), 0) FROM ratings r"
    "               WHERE r.article_id = articles.id),"
    " comment_count = (SELECT count(*) FROM comments m"
    "                  WHERE m.article_id = articles.id AND m.status = 'approved')";

/* Parses the ISO time member key of o into *t; records an error if bad. */
static int need_time(loader *L, const cJSON *o, const char *key, time_t *t) {
  const char *s = need_str(L, o, key);
  if (s && time_parse_iso(s, t) == 0) return 0;
  if (!*L->err) snprintf(L->err, L->errlen, "demo content: bad time \"%s\"", s);
  return -1;
}

/* Inserts the ratings of article id. */
static int demo_ratings(loader *L, long long id, const cJSON *a, time_t when) {
  const cJSON *r;
  int n = 0;
  cJSON_ArrayForEach(r, cJSON_GetObjectItem(a, "ratings")) {
    char voter[48];
    snprintf(voter, sizeof voter, "demo-%lld-%d", id, n++);
    sqlite3_stmt *st = db_prepare(L->d, SQL_RATING);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, voter);
    sqlite3_bind_int(st, 3, r->valueint);
    sqlite3_bind_int64(st, 4, when);
    if (demo_insert(L, st) < 0) return -1;
  }
  return 0;
}

/* Returns the id given to the comment with this ref among the first n of
** list, or 0. */
static long long demo_ref(const cJSON *list, int n, const long long *ids,
                          const char *ref) {
  for (int k = 0; k < n; k++) {
    const cJSON *r = cJSON_GetObjectItem(cJSON_GetArrayItem(list, k), "ref");
    if (cJSON_IsString(r) && strcmp(r->valuestring, ref) == 0) return ids[k];
  }
  return 0;
}

/* Inserts the comments of article id; a reply names its parent's ref. */
static int demo_comments(loader *L, long long id, const cJSON *a) {
  const cJSON *list = cJSON_GetObjectItem(a, "comments");
  int n = cJSON_GetArraySize(list), i = 0;
  long long *ids = calloc((size_t)n + 1, sizeof *ids);
  if (!ids) abort();
  const cJSON *m;
  cJSON_ArrayForEach(m, list) {
    time_t t;
    if (need_time(L, m, "created_at", &t) != 0) break;
    sqlite3_stmt *st = db_prepare(L->d, SQL_COMMENT);
    sqlite3_bind_int64(st, 1, id);
    const cJSON *parent = cJSON_GetObjectItem(m, "parent");
    if (cJSON_IsString(parent)) {
      long long pid = demo_ref(list, i, ids, parent->valuestring);
      if (pid <= 0) {
        snprintf(L->err, L->errlen, "demo content: unknown parent \"%s\"",
                 parent->valuestring);
        break;
      }
      sqlite3_bind_int64(st, 2, pid);
    }
    bind_text(st, 3, need_str(L, m, "name"));
    bind_text(st, 4, need_str(L, m, "email"));
    bind_text(st, 5, need_str(L, m, "body"));
    bind_text(st, 6, need_str(L, m, "status"));
    sqlite3_bind_int64(st, 7, t);
    if ((ids[i++] = demo_insert(L, st)) < 0) break;
  }
  free(ids);
  return *L->err ? -1 : 0;
}

/* Inserts one article with its tags, ratings and comments. */
static int demo_article(loader *L, const cJSON *a) {
  time_t published;
  const char *body = need_str(L, a, "body");
  const char *lang = need_str(L, a, "lang");
  if (!body || !lang || need_time(L, a, "published_at", &published) != 0) return -1;
  char *html = markdown_render(body, strlen(body));
  sqlite3_stmt *st = db_prepare(L->d, SQL_ARTICLE);
  bind_text(st, 1, need_str(L, a, "slug"));
  bind_text(st, 2, need_str(L, a, "title"));
  bind_text(st, 3, need_str(L, a, "summary"));
  bind_text(st, 6, lang);
  bind_text(st, 7, demo_dir(L, lang));
  bind_text(st, 8, need_str(L, a, "status"));
  sqlite3_bind_int(st, 9, cJSON_IsTrue(cJSON_GetObjectItem(a, "featured")));
  sqlite3_bind_int64(st, 10, published);
  bind_text(st, 11, need_str(L, a, "category"));
  bind_text(st, 12, need_str(L, a, "author"));
  long long id = demo_insert(L, st);
  if (id >= 0 && sqlite3_changes(L->d->h) == 0) {
    snprintf(L->err, L->errlen, "demo content: article %s names an unknown "
             "category or author", need_str(L, a, "slug"));
    id = -1;
  }
  if (id >= 0) {
    st = db_prepare(L->d, SQL_ARTICLE_BODY);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, body);
    bind_text(st, 3, html);
    if (demo_insert(L, st) < 0) id = -1;
  }
  free(html);
  if (id < 0) return -1;
  const cJSON *tag;
  cJSON_ArrayForEach(tag, cJSON_GetObjectItem(a, "tags")) {
    st = db_prepare(L->d, SQL_ARTICLE_TAG);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, cJSON_GetStringValue(tag));
    if (demo_insert(L, st) < 0) return -1;
  }
  if (demo_ratings(L, id, a, published) != 0) return -1;
  return demo_comments(L, id, a);
}

static const char SQL_PAGE[] =
    "INSERT INTO pages (slug, title, body_src, body_html, status, in_footer, position, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, 'published', 1, ?5, ?6, ?6)";

/* Inserts the static pages, listed in the footer in their order. Returns
** 0 or -1. */
static int demo_pages(loader *L, const cJSON *root) {
  const cJSON *x;
  int pos = 0;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "pages")) {
    const char *body = need_str(L, x, "body");
    char *html = body ? markdown_render(body, strlen(body)) : NULL;
    sqlite3_stmt *st = html ? db_prepare(L->d, SQL_PAGE) : NULL;
    if (st) {
      bind_text(st, 1, need_str(L, x, "slug"));
      bind_text(st, 2, need_str(L, x, "title"));
      bind_text(st, 3, body);
      bind_text(st, 4, html);
      sqlite3_bind_int(st, 5, pos++);
      sqlite3_bind_int64(st, 6, L->now);
    }
    long long id = st ? demo_insert(L, st) : -1;
    free(html);
    if (id < 0) return -1;
  }
  return *L->err ? -1 : 0;
}

/* Loads everything inside the caller's transaction. */
static int demo_all(loader *L, const cJSON *root) {
  const cJSON *site = cJSON_GetObjectItem(root, "site");
  const char *name = need_str(L, site, "name");
  const char *tagline = need_str(L, site, "tagline");
  if (!name || !tagline || setting_set(L->d, "site_name", name) != 0 ||
      setting_set(L->d, "tagline", tagline) != 0 || demo_basics(L, root) != 0 ||
      demo_pages(L, root) != 0)
    return -1;
  const cJSON *a;
  cJSON_ArrayForEach(a, cJSON_GetObjectItem(root, "articles")) {
    if (demo_article(L, a) != 0) return -1;
  }
  sqlite3_stmt *st = db_prepare(L->d, SQL_COUNTERS);
  return demo_insert(L, st) < 0 ? -1 : 0;
}

static const char SQL_HAS_ARTICLES[] = "SELECT count(*) FROM articles";

int demo_empty(db *d) {
  sqlite3_stmt *st = db_prepare(d, SQL_HAS_ARTICLES);
  if (!st) return -1;
  int rc = db_step(st);
  int has = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
  sqlite3_reset(st);
  return rc != SQLITE_ROW ? -1 : has ? 0 : 1;
}

int demo_load(db *d, const char *path, char *err, size_t errlen) {
  int empty = demo_empty(d);
  if (empty < 0) {
    snprintf(err, errlen, "cannot read database: %s", sqlite3_errmsg(d->h));
    return -1;
  }
  if (!empty) return 1;
  char *text = demo_read(path);
  if (!text) {
    snprintf(err, errlen, "cannot read demo content %s", path);
    return -1;
  }
  cJSON *root = cJSON_Parse(text);
  free(text);
  if (!root) {
    snprintf(err, errlen, "demo content %s is not valid JSON", path);
    return -1;
  }
  *err = 0;
  loader L = {.d = d, .err = err, .errlen = errlen, .now = time(NULL),
              .directions = cJSON_GetObjectItemCaseSensitive(root, "directions")};
  int rc = db_begin(d) == 0 && demo_all(&L, root) == 0 && db_commit(d) == 0 ? 0 : -1;
  if (rc != 0) {
    if (!*err) snprintf(err, errlen, "demo content: %s", sqlite3_errmsg(d->h));
    db_rollback(d);
  }
  cJSON_Delete(root);
  return rc;
}
