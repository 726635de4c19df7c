/*
** store_admin_article.c: the newsroom's reads and writes of articles
** (see store_admin_article.h).
*/
#include "store_admin_article.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_media.h"
#include "store_newsroom.h"
#include "store_sql.h"

/* The stored article, in article_read's order. */
static const char SQL_LOAD[] =
    "SELECT a.id, a.slug, a.title, a.summary, b.body_md, a.lang, a.status,"
    " a.featured, a.category_id, a.author_id, a.published_at, b.body_html,"
    " a.dir, a.created_at, a.updated_at, c.slug, c.name, u.username,"
    " u.display_name, u.bio, a.rating_count, a.rating_sum, a.comment_count, "
    SQL_VISIBLE("a.", "?2") ", coalesce(a.image_id, 0), a.version, a.comments_closed,"
    " coalesce(b.format, 'markdown')"
    " FROM articles a JOIN categories c ON c.id = a.category_id"
    " JOIN users u ON u.id = a.author_id"
    " LEFT JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?1";
static const char SQL_TAG_NAMES[] =
    "SELECT t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
    " WHERE x.article_id = ?1 ORDER BY t.name";
/* The byline's other authors (position 0 is the byline's, kept by the
** triggers of 017). */
static const char SQL_COAUTHOR_IDS[] =
    "SELECT user_id FROM article_authors WHERE article_id = ?1 AND position > 0 ORDER BY position";
static const char SQL_COAUTHORS_CLEAR[] =
    "DELETE FROM article_authors WHERE article_id = ?1 AND position > 0";
static const char SQL_COAUTHOR_ADD[] =
    "INSERT OR IGNORE INTO article_authors (article_id, user_id, position)"
    " SELECT ?1, id, ?3 FROM users WHERE id = ?2";
static const char SQL_VERSION[] = "SELECT version FROM articles WHERE id = ?1";
static const char SQL_TOUCH[] = "UPDATE articles SET updated_at = ?2 WHERE id = ?1";
static const char SQL_SLUG_TAKEN[] =
    "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?1 AND id <> ?2)"
    " OR EXISTS (SELECT 1 FROM slug_redirects WHERE old_slug = ?1"
    " AND article_id <> ?2)";
/* Both writes are bound by save_bind: ?1 id, ?2 slug ... ?13 now, ?14
** the byline's author, ?15 the picture, ?16 comments closed, ?17 the
** version the edit started from (0: any), ?18 what readers are told of the
** edit (SAVE_TOLD...); the insert leaves out what it does not use. ?5 and
** ?6, the text and its HTML, go to SQL_BODY. */
static const char SQL_INSERT[] =
    "INSERT INTO articles (id, slug, title, summary, lang, dir,"
    " status, featured, category_id, published_at, created_at, updated_at,"
    " author_id, image_id, comments_closed) VALUES (" SQL_NEXT_ID("articles") ","
    " ?2, ?3, ?4, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, nullif(?15, 0), ?16)";
/* revised_at: the edit's time when readers are told of it (?18 = 1); a
** small edit of a published article (?18 = 2) keeps the time they were
** told of before, fixing it when it was still the last change's. */
static const char SQL_UPDATE[] =
    "UPDATE articles SET slug = ?2, title = ?3, summary = ?4,"
    " lang = ?7, dir = ?8, status = ?9, featured = ?10,"
    " category_id = ?11, published_at = ?12, updated_at = ?13, image_id = nullif(?15, 0),"
    " author_id = ?14, comments_closed = ?16, version = version + 1,"
    " revised_at = CASE WHEN ?18 = 1 THEN ?13"
    "  WHEN ?18 = 2 AND revised_at IS NULL THEN CASE WHEN updated_at > coalesce(published_at, 0)"
    "   AND updated_at > created_at THEN updated_at ELSE published_at END"
    "  ELSE revised_at END"
    " WHERE id = ?1 AND (?17 = 0 OR version = ?17)";
static const char SQL_BODY[] =
    "INSERT INTO article_bodies (article_id, body_md, body_html, format, search_text)"
    " VALUES (?1, ?2, ?3, ?4, html_text(CASE ?4 WHEN 'html' THEN ?2 ELSE ?3 END))"
    " ON CONFLICT (article_id) DO UPDATE SET body_md = excluded.body_md,"
    " body_html = excluded.body_html, format = excluded.format,"
    " search_text = excluded.search_text"
    " WHERE body_md IS NOT excluded.body_md OR body_html IS NOT excluded.body_html"
    " OR format IS NOT excluded.format OR search_text IS NOT excluded.search_text";
static const char SQL_REDIRECT_ADD[] =
    "INSERT INTO slug_redirects (old_slug, article_id) VALUES (?1, ?2)"
    " ON CONFLICT (old_slug) DO UPDATE SET article_id = excluded.article_id";
static const char SQL_REDIRECT_DROP[] = "DELETE FROM slug_redirects WHERE old_slug = ?1";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM article_tags WHERE article_id = ?1";
static const char SQL_TAG_UPSERT[] =
    "INSERT INTO tags (slug, name) VALUES (?1, ?2)"
    " ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id";
static const char SQL_TAG_LINK[] =
    "INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?1, ?2)";
static const char SQL_REVISION_ADD[] =
    "INSERT INTO revisions (article_id, user_id, title, summary, body_md,"
    " created_at, status, status_before, published_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, ''), ?9)";
static const char SQL_DELETE[] = "DELETE FROM articles WHERE id = ?1";

void article_form_free(article_form *f) {
  buf *all[] = {&f->title, &f->slug, &f->summary, &f->body, &f->tags,
                &f->lang, &f->status, &f->when, &f->saved_slug};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) buf_free(all[i]);
}

/* What a save works with. */
typedef struct saving {
  db *d;
  time_t now;
  long user;   /* who saves */
} saving;

/* Runs a prepared write to its end. Returns 0 or -1. */
static int store_exec(sqlite3_stmt *st) { return db_run(st) < 0 ? -1 : 0; }

/* Appends the names of article id's tags, joined by ", ", to out.
** Returns 0 or -1. */
static int tags_join(db *d, long id, buf *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_TAG_NAMES);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    if (out->len) buf_puts(out, ", ");
    buf_puts(out, db_text(st, 1));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Fills f from a SQL_LOAD row. */
static void article_read(sqlite3_stmt *st, article_form *f) {
  f->id = (long)sqlite3_column_int64(st, 0);
  buf_puts(&f->slug, db_text(st, 1));
  buf_puts(&f->saved_slug, db_text(st, 1));
  buf_puts(&f->title, db_text(st, 2));
  buf_puts(&f->summary, db_text(st, 3));
  buf_puts(&f->body, db_text(st, 4));
  buf_puts(&f->lang, db_text(st, 5));
  buf_puts(&f->status, db_text(st, 6));
  snprintf(f->saved_status, sizeof f->saved_status, "%s", db_text(st, 6));
  f->featured = sqlite3_column_int(st, 7);
  f->category_id = (long)sqlite3_column_int64(st, 8);
  f->author_id = (long)sqlite3_column_int64(st, 9);
  f->published_at = f->saved_published_at = sqlite3_column_int64(st, 10);
  f->dir = strcmp(db_text(st, 12), "rtl") == 0 ? "rtl" : "ltr";
  f->saved_live = sqlite3_column_int(st, 23);
  f->image_id = (long)sqlite3_column_int64(st, 24);
  f->version = (long)sqlite3_column_int64(st, 25);
  f->comments_closed = sqlite3_column_int(st, 26);
  f->html = strcmp(db_text(st, 27), "html") == 0;
}

/* Reads article id's other authors into f->coauthors. Returns 0 or -1. */
static int coauthors_load(db *d, long id, article_form *f) {
  sqlite3_stmt *st = db_prepare(d, SQL_COAUTHOR_IDS);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc;
  f->ncoauthors = 0;
  while ((rc = db_step(st)) == SQLITE_ROW)
    if (f->ncoauthors < ARTICLE_AUTHORS_MAX)
      f->coauthors[f->ncoauthors++] = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int admin_article_load(db *d, time_t now, long id, article_form *f) {
  sqlite3_stmt *st = db_prepare(d, SQL_LOAD);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) article_read(st, f);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? 1 : -1;
  return tags_join(d, id, &f->tags) == 0 && coauthors_load(d, id, f) == 0 ? 0 : -1;
}

/* ---- slugs -------------------------------------------------------------- */

/* Returns 1 when slug belongs to another article than id (as its slug or
** an old one), 0 when free, -1. */
static int slug_taken(db *d, const char *slug, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_SLUG_TAKEN);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  int rc = db_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_reset(st);
  return rc;
}

/* Cuts b to at most max bytes on a character boundary, then drops
** trailing hyphens. */
static void slug_cut(buf *b, size_t max) {
  size_t n = b->len < max ? b->len : max;
  while (n > 0 && n < b->len && ((unsigned char)b->data[n] & 0xC0) == 0x80) n--;
  while (n > 0 && b->data[n - 1] == '-') n--;
  b->len = n;
  if (b->data) b->data[n] = 0;
}

int article_slug_choose(db *d, const char *wanted, const char *title, long id, buf *out) {
  buf base = {0}, cand = {0};
  slug_make(&base, wanted, ARTICLE_SLUG_MAX);
  if (base.len == 0) slug_make(&base, title, ARTICLE_SLUG_MAX);
  if (base.len == 0) buf_puts(&base, "article");
  int rc = -1;
  for (int n = 1; n < 10000; n++) {
    buf_reset(&cand);
    buf_puts(&cand, buf_str(&base));
    if (n > 1) {
      char suffix[16];
      int k = snprintf(suffix, sizeof suffix, "-%d", n);
      slug_cut(&cand, ARTICLE_SLUG_MAX - (size_t)k);
      buf_puts(&cand, suffix);
    }
    int taken = slug_taken(d, buf_str(&cand), id);
    if (taken < 0) break;
    if (!taken) {
      buf_reset(out);
      buf_puts(out, buf_str(&cand));
      rc = 0;
      break;
    }
  }
  buf_free(&base);
  buf_free(&cand);
  return rc;
}

/* Makes f->slug a free slug for article f->id: the slug field's (or, when
** that makes none, the title's) slug, with -2, -3 ... added on a clash.
** Returns 0 or -1. */
static int slug_choose(db *d, article_form *f) {
  buf slug = {0};
  int rc = article_slug_choose(d, buf_str(&f->slug), buf_str(&f->title), f->id, &slug);
  if (rc == 0) {
    buf_reset(&f->slug);
    buf_puts(&f->slug, buf_str(&slug));
  }
  buf_free(&slug);
  return rc;
}

/* ---- saving ------------------------------------------------------------- */

/* Binds f to SQL_INSERT or SQL_UPDATE (html is the rendered body). */
static void save_bind(const saving *v, sqlite3_stmt *st, const article_form *f, const char *html) {
  sqlite3_bind_int64(st, 1, f->id);
  sqlite3_bind_text(st, 2, buf_str(&f->slug), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, buf_str(&f->title), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, buf_str(&f->summary), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, buf_str(&f->body), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, html, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, buf_str(&f->lang), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 8, f->dir && strcmp(f->dir, "rtl") == 0 ? "rtl" : "ltr", -1,
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 9, buf_str(&f->status), -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 10, f->featured ? 1 : 0);
  sqlite3_bind_int64(st, 11, f->category_id);
  if (f->published_at > 0) sqlite3_bind_int64(st, 12, f->published_at);
  sqlite3_bind_int64(st, 13, (sqlite3_int64)v->now);
  sqlite3_bind_int64(st, 14, f->author_id ? f->author_id : v->user);
  sqlite3_bind_int64(st, 15, f->image_id);
  sqlite3_bind_int(st, 16, f->comments_closed ? 1 : 0);
  if (!f->id) return;
  sqlite3_bind_int64(st, 17, f->version);
  sqlite3_bind_int(st, 18, !f->saved_live ? 0 : f->small_edit ? 2 : 1);
}

/* Writes the article row of f and its text with the pictures it shows;
** sets f->id for a new one. Returns 0, STORE_CONFLICT when the stored
** version is not f->version, or -1. */
static int save_row(const saving *v, article_form *f) {
  /* An HTML text is stored as the caller sanitized it, its <img> of the
  ** library ("/media/ID") shown as the library's pictures. */
  body_pictures bp;
  char *html = f->html ? body_render_html(v->d, buf_str(&f->body), &bp)
                       : body_render(v->d, buf_str(&f->body), f->body.len, &bp);
  if (!html) return -1;
  sqlite3_stmt *st = db_prepare(v->d, f->id ? SQL_UPDATE : SQL_INSERT);
  if (st) save_bind(v, st, f, html);
  int n = st ? db_run(st) : -1;
  int rc = n < 0 ? -1 : 0;
  if (n == 0 && f->id) {
    free(html);
    return STORE_CONFLICT;
  }
  if (rc == 0 && !f->id) {
    f->id = (long)sqlite3_last_insert_rowid(v->d->h);
    if (!f->author_id) f->author_id = v->user;
  }
  st = rc == 0 ? db_prepare(v->d, SQL_BODY) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, f->id);
    sqlite3_bind_text(st, 2, buf_str(&f->body), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, html, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, f->html ? "html" : "markdown", -1, SQLITE_STATIC);
  }
  if (rc == 0) rc = store_exec(st);
  if (rc == 0) rc = body_pictures_save(v->d, f->id, &bp) == STORE_OK ? 0 : -1;
  free(html);
  return rc;
}

/* Keeps the slugs' redirects right after a save: a slug the article takes
** (back) no longer redirects; the old slug of a live article now does. */
static int save_redirects(const saving *v, const article_form *f) {
  sqlite3_stmt *st = db_prepare(v->d, SQL_REDIRECT_DROP);
  if (st) sqlite3_bind_text(st, 1, buf_str(&f->slug), -1, SQLITE_STATIC);
  if (store_exec(st) != 0) return -1;
  if (!f->saved_slug.len || strcmp(buf_str(&f->saved_slug), buf_str(&f->slug)) == 0 ||
      !f->saved_live)
    return 0;
  st = db_prepare(v->d, SQL_REDIRECT_ADD);
  if (st) {
    sqlite3_bind_text(st, 1, buf_str(&f->saved_slug), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, f->id);
  }
  return store_exec(st);
}

/* Links article id to the tag called name[0..n), creating the tag when no
** tag has its slug. A name without a usable slug is skipped. Returns 0 or
** -1. */
static int save_tag(db *d, long id, const char *name, size_t n) {
  buf nm = {0}, slug = {0};
  buf_append(&nm, name, n);
  slug_make(&slug, buf_str(&nm), ARTICLE_SLUG_MAX);
  int rc = 0;
  if (slug.len) {
    sqlite3_stmt *st = db_prepare(d, SQL_TAG_UPSERT);
    rc = -1;
    if (st) {
      sqlite3_bind_text(st, 1, buf_str(&slug), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 2, buf_str(&nm), -1, SQLITE_STATIC);
      long tag = db_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
      rc = db_step(st) == SQLITE_DONE && tag ? 0 : -1;
      sqlite3_reset(st);
      st = rc == 0 ? db_prepare(d, SQL_TAG_LINK) : NULL;
      if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, tag);
      }
      if (rc == 0) rc = store_exec(st);
    }
  }
  buf_free(&nm);
  buf_free(&slug);
  return rc;
}

/* Replaces the article's tags with those of the comma-separated list
** f->tags (names trimmed, empty ones skipped). Returns 0 or -1. */
static int save_tags(db *d, const article_form *f) {
  sqlite3_stmt *st = db_prepare(d, SQL_TAGS_CLEAR);
  if (st) sqlite3_bind_int64(st, 1, f->id);
  if (store_exec(st) != 0) return -1;
  const char *p = buf_str(&f->tags);
  while (*p) {
    size_t n = strcspn(p, ",");
    const char *s = p, *e = p + n;
    while (s < e && (*s == ' ' || *s == '\t')) s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
    if (e > s && save_tag(d, f->id, s, (size_t)(e - s)) != 0) return -1;
    p += n + (p[n] == ',');
  }
  return 0;
}

/* Keeps the saved text as a revision. Returns 0 or -1. */
static int save_revision(const saving *v, const article_form *f) {
  sqlite3_stmt *st = db_prepare(v->d, SQL_REVISION_ADD);
  if (st) {
    sqlite3_bind_int64(st, 1, f->id);
    sqlite3_bind_int64(st, 2, v->user);
    sqlite3_bind_text(st, 3, buf_str(&f->title), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, buf_str(&f->summary), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, buf_str(&f->body), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)v->now);
    sqlite3_bind_text(st, 7, buf_str(&f->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, f->saved_status, -1, SQLITE_STATIC);
    if (f->published_at > 0) sqlite3_bind_int64(st, 9, f->published_at);
  }
  return store_exec(st);
}

/* Replaces the article's other authors with f->coauthors when the form
** gave them (the byline's author and repeats skipped). Returns 0 or -1. */
static int save_coauthors(db *d, const article_form *f) {
  if (!f->coauthors_given) return 0;
  sqlite3_stmt *st = db_prepare(d, SQL_COAUTHORS_CLEAR);
  if (st) sqlite3_bind_int64(st, 1, f->id);
  if (store_exec(st) != 0) return -1;
  for (int i = 0; i < f->ncoauthors && i < ARTICLE_AUTHORS_MAX; i++) {
    if (f->coauthors[i] == f->author_id) continue;
    st = db_prepare(d, SQL_COAUTHOR_ADD);
    if (st) {
      sqlite3_bind_int64(st, 1, f->id);
      sqlite3_bind_int64(st, 2, f->coauthors[i]);
      sqlite3_bind_int(st, 3, i + 1);
    }
    if (store_exec(st) != 0) return -1;
  }
  return 0;
}

/* Reads the stored version of f into f->version. Returns 0 or -1. */
static int save_version(db *d, article_form *f) {
  sqlite3_stmt *st = db_prepare(d, SQL_VERSION);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, f->id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) f->version = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

/* Saves f inside the caller's transaction (see admin_article_save).
** Returns 0, STORE_CONFLICT or -1. */
static int save_all(const saving *v, article_form *f) {
  if (slug_choose(v->d, f) != 0) return -1;
  int rc = save_row(v, f);
  if (rc != 0) return rc;
  return save_redirects(v, f) == 0 && save_tags(v->d, f) == 0 && save_coauthors(v->d, f) == 0 &&
                 save_revision(v, f) == 0 && save_version(v->d, f) == 0
             ? 0
             : -1;
}

int admin_article_save(db *d, time_t now, long user, article_form *f) {
  saving v = {d, now, user};
  long was = f->id, version = f->version, author = f->author_id;
  if (db_begin(d) != 0) return -1;
  int rc = save_all(&v, f);
  if (rc == 0 && db_commit(d) != 0) rc = -1;
  if (rc != 0) {
    db_rollback(d);
    f->id = was;
    f->version = version;
    f->author_id = author;
  }
  return rc == STORE_CONFLICT ? STORE_CONFLICT : rc == 0 ? STORE_OK : STORE_ERROR;
}

int admin_article_add_tag(db *d, time_t now, long user, long id, const char *name) {
  (void)user;
  if (db_begin(d) != 0) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_TOUCH);
  int n = -1;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
    n = db_run(st);
  }
  int rc = n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
  if (rc == STORE_OK && save_tag(d, id, name, strlen(name)) != 0) rc = STORE_ERROR;
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) db_rollback(d);
  return rc;
}

int admin_article_save_tx(db *d, time_t now, long user, article_form *f) {
  saving v = {d, now, user};
  return save_all(&v, f) == 0 ? STORE_OK : STORE_ERROR;
}

int admin_article_delete(db *d, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_DELETE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

/* ---- the list ----------------------------------------------------------- */

/* ?1 owner, ?2 status, ?3 now, ?4 category, ?5 author, ?6 title pattern. */
#define ADMIN_FILTERS                                                          \
  " WHERE (?1 = 0 OR a.author_id = ?1)"                                        \
  " AND (?2 IS NULL"                                                           \
  "  OR (?2 = 'scheduled' AND a.status IN ('published', 'scheduled')"          \
  "      AND a.published_at > ?3)"                                             \
  "  OR (?2 = 'published' AND a.status IN ('published', 'scheduled')"          \
  "      AND a.published_at <= ?3)"                                            \
  "  OR (?2 IN ('draft', 'pending') AND a.status = ?2))"                       \
  " AND (?4 = 0 OR a.category_id = ?4)"                                        \
  " AND (?5 = 0 OR a.author_id = ?5)"                                          \
  " AND (?6 IS NULL OR a.title LIKE ?6 ESCAPE '\\')"
#define ADMIN_LIST(order)                                                      \
  "SELECT a.id, a.title, a.status, coalesce(a.published_at, 0), a.updated_at,"  \
  " u.display_name, c.name, a.slug, a.author_id, "                             \
  SQL_VISIBLE("a.", "?3") ", " SQL_COMING("a.", "?3")                          \
  " FROM articles a JOIN users u ON u.id = a.author_id"                        \
  " JOIN categories c ON c.id = a.category_id" ADMIN_FILTERS                   \
  " ORDER BY " order ", a.updated_at DESC, a.id DESC LIMIT ?7 OFFSET ?8"
/* One statement per column and direction, in ADMIN_SORT_ order. */
static const char *const SQL_LIST[ADMIN_SORT_COUNT][2] = {
    {ADMIN_LIST("a.updated_at DESC"), ADMIN_LIST("a.updated_at ASC")},
    {ADMIN_LIST("a.title COLLATE NOCASE DESC"), ADMIN_LIST("a.title COLLATE NOCASE ASC")},
    {ADMIN_LIST("a.status DESC"), ADMIN_LIST("a.status ASC")},
    {ADMIN_LIST("u.display_name COLLATE NOCASE DESC"),
     ADMIN_LIST("u.display_name COLLATE NOCASE ASC")},
    {ADMIN_LIST("c.name COLLATE NOCASE DESC"), ADMIN_LIST("c.name COLLATE NOCASE ASC")},
    {ADMIN_LIST("coalesce(a.published_at, 0) DESC"), ADMIN_LIST("coalesce(a.published_at, 0) ASC")},
};
static const char SQL_COUNT[] = "SELECT count(*) FROM articles a" ADMIN_FILTERS;
static const char SQL_CATEGORY_CHOICES[] =
    "SELECT id, name, coalesce(parent_id, 0) FROM categories ORDER BY position, name";
static const char SQL_USER_CHOICES[] =
    "SELECT id, display_name FROM users ORDER BY display_name, id";

/* Binds the filters of f (pattern is the LIKE pattern or NULL). */
static void list_bind(time_t now, sqlite3_stmt *st, const admin_filter *f, const char *pattern) {
  sqlite3_bind_int64(st, 1, f->owner);
  if (f->status) sqlite3_bind_text(st, 2, f->status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  sqlite3_bind_int64(st, 4, f->category_id);
  sqlite3_bind_int64(st, 5, f->author_id);
  if (pattern) sqlite3_bind_text(st, 6, pattern, -1, SQLITE_STATIC);
}

/* Builds one row of the list from a SQL_LIST row. */
static cJSON *list_row(sqlite3_stmt *st) {
  cJSON *a = cJSON_CreateObject();
  const char *status = db_text(st, 2);
  int live = sqlite3_column_int(st, 9), coming = sqlite3_column_int(st, 10);
  cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(a, "title", db_text(st, 1));
  cJSON_AddStringToObject(a, "status", status);
  cJSON_AddStringToObject(a, "status_key", live ? "published" : coming ? "scheduled" : status);
  cJSON_AddNumberToObject(a, "updated_at", (double)sqlite3_column_int64(st, 4));
  cJSON_AddNumberToObject(a, "published_at", (double)sqlite3_column_int64(st, 3));
  cJSON_AddStringToObject(a, "author", db_text(st, 5));
  cJSON_AddStringToObject(a, "category", db_text(st, 6));
  cJSON_AddBoolToObject(a, "live", live);
  cJSON_AddStringToObject(a, "slug", db_text(st, 7));
  cJSON_AddNumberToObject(a, "author_id", (double)sqlite3_column_int64(st, 8));
  return a;
}

/* Appends to out the LIKE pattern that finds q anywhere, with % _ and \
** escaped by \. */
static void like_pattern(buf *out, const char *q) {
  buf_putc(out, '%');
  for (; *q; q++) {
    if (*q == '%' || *q == '_' || *q == '\\') buf_putc(out, '\\');
    buf_putc(out, *q);
  }
  buf_putc(out, '%');
}

int admin_article_list(db *d, time_t now, admin_filter *f, cJSON *out) {
  buf pat = {0};
  if (f->q && *f->q) like_pattern(&pat, f->q);
  const char *pattern = pat.len ? buf_str(&pat) : NULL;
  sqlite3_stmt *st = db_prepare(d, SQL_COUNT);
  int rc = -1;
  if (st) {
    list_bind(now, st, f, pattern);
    if (db_step(st) == SQLITE_ROW) {
      f->total = (long)sqlite3_column_int64(st, 0);
      rc = 0;
    }
    sqlite3_reset(st);
  }
  int sort = f->sort >= 0 && f->sort < ADMIN_SORT_COUNT ? f->sort : 0;
  st = rc == 0 ? db_prepare(d, SQL_LIST[sort][f->ascending ? 1 : 0]) : NULL;
  if (st) {
    list_bind(now, st, f, pattern);
    sqlite3_bind_int64(st, 7, f->per_page);
    sqlite3_bind_int64(st, 8, (f->page - 1) * f->per_page);
    int step;
    while ((step = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, list_row(st));
    sqlite3_reset(st);
    rc = step == SQLITE_DONE ? 0 : -1;
  } else {
    rc = -1;
  }
  buf_free(&pat);
  return rc;
}

/* Appends the {id, name[, parent_id]} rows of the static query sql to
** out. Returns 0 or -1. */
static int choices_collect(db *d, const char *sql, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "name", db_text(st, 1));
    if (sqlite3_column_count(st) > 2)
      cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 2));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int admin_article_choices(db *d, cJSON *categories, cJSON *users) {
  cJSON *flat = cJSON_CreateArray();
  int rc = choices_collect(d, SQL_CATEGORY_CHOICES, flat);
  category_tree(flat, categories);
  cJSON_Delete(flat);
  if (rc != 0) return -1;
  return users ? choices_collect(d, SQL_USER_CHOICES, users) : 0;
}

/* ---- revisions ---------------------------------------------------------- */

static const char SQL_REVISIONS[] =
    "SELECT r.id, r.created_at, coalesce(u.display_name, ''), r.title,"
    " coalesce(r.status, ''), coalesce(r.status_before, '')"
    " FROM revisions r LEFT JOIN users u ON u.id = r.user_id"
    " WHERE r.article_id = ?1 ORDER BY r.id DESC LIMIT 500";
static const char SQL_REVISION[] =
    "SELECT r.id, r.created_at, coalesce(u.display_name, ''), r.title,"
    " r.summary, r.body_md FROM revisions r LEFT JOIN users u ON u.id = r.user_id"
    " WHERE r.article_id = ?1 AND r.id = ?2";

/* Builds {id, created_at, user, title} from a revision row. */
static cJSON *revision_row(sqlite3_stmt *st) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddNumberToObject(r, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddNumberToObject(r, "created_at", (double)sqlite3_column_int64(st, 1));
  cJSON_AddStringToObject(r, "user", db_text(st, 2));
  cJSON_AddStringToObject(r, "title", db_text(st, 3));
  return r;
}

int admin_article_revisions(db *d, long id, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_REVISIONS);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *r = revision_row(st);
    cJSON_AddStringToObject(r, "status", db_text(st, 4));
    cJSON_AddStringToObject(r, "status_before", db_text(st, 5));
    cJSON_AddItemToArray(out, r);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int admin_article_revision(db *d, long id, long rid, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_REVISION);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, rid);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    *out = revision_row(st);
    cJSON_AddStringToObject(*out, "summary", db_text(st, 4));
    cJSON_AddStringToObject(*out, "body", db_text(st, 5));
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}
