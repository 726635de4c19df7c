/*
** store_import.c: the SQL of the WordPress import (see store_import.h).
*/
#include "store_import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "slug.h"
#include "store.h"
#include "store_admin_article.h"
#include "store_media.h"
#include "store_newsroom.h"
#include "store_page.h"
#include "store_sql.h"

static const char *const KINDS[] = {"author", "category", "tag", "article", "page", "comment"};

/* Runs the write st (bound) to its end. Returns STORE_OK or STORE_ERROR. */
static int run(sqlite3_stmt *st) { return db_run(st) < 0 ? STORE_ERROR : STORE_OK; }

/* Runs the one-row query st (bound) and, when it has a row, calls nothing:
** returns STORE_OK with the row ready (the caller resets st),
** STORE_NOT_FOUND or STORE_ERROR (st reset). */
static int row(sqlite3_stmt *st) {
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) return STORE_OK;
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Binds text s to parameter i of st, NULL for a NULL pointer. */
static void bind_text(sqlite3_stmt *st, int i, const char *s) {
  if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, i);
}

/* Binds WordPress's id s to parameter i of st as import_map keeps it: a
** number as an integer, anything else (a login) as text. */
static void bind_wp_id(sqlite3_stmt *st, int i, const char *s) {
  size_t n = strlen(s);
  if (n && n <= 15 && strspn(s, "0123456789") == n && (s[0] != '0' || n == 1))
    sqlite3_bind_int64(st, i, strtoll(s, NULL, 10));
  else
    bind_text(st, i, s);
}

/* Binds v to parameter i of st, NULL when it is 0 or less. */
static void bind_id(sqlite3_stmt *st, int i, long long v) {
  if (v > 0) sqlite3_bind_int64(st, i, v);
  else sqlite3_bind_null(st, i);
}

/* ---- the transaction ----------------------------------------------------- */

/* The import's scratch (sql/024_import.sql) is emptied as it begins and
** ends; while it runs, a trigger of this connection only keeps the change
** log quiet. Webhooks are kept quiet by another (import_hooks_quiet). */
static const char SQL_BEGIN_SCRATCH[] =
    "DELETE FROM import_texts; DELETE FROM import_parents; DELETE FROM import_relink;"
    "CREATE TEMP TRIGGER IF NOT EXISTS import_quiet BEFORE INSERT ON main.changes BEGIN"
    " SELECT RAISE(IGNORE); END;";
static const char SQL_END_SCRATCH[] =
    "DROP TRIGGER IF EXISTS temp.import_quiet; DELETE FROM import_parents;"
    " DELETE FROM import_relink;";
static const char SQL_HOOKS_QUIET[] =
    "CREATE TEMP TRIGGER IF NOT EXISTS import_hooks_quiet BEFORE INSERT"
    " ON main.webhook_deliveries BEGIN SELECT RAISE(IGNORE); END;";
static const char SQL_HOOKS_ON[] = "DROP TRIGGER IF EXISTS temp.import_hooks_quiet;";

int import_hooks_quiet(db *d, int quiet) {
  return db_exec(d, quiet ? SQL_HOOKS_QUIET : SQL_HOOKS_ON) == 0 ? STORE_OK : STORE_ERROR;
}
/* The texts are written a few hundred at a time, in id order, each batch
** forgotten as soon as it is written (its space is then reused). */
static const char SQL_TEXTS_FLUSH[] =
    "INSERT INTO article_bodies (article_id, body_md, body_html, format, search_text)"
    " SELECT article_id, html, html, 'html', html_text(html) FROM import_texts"
    " WHERE article_id > ?1 ORDER BY article_id LIMIT ?2"
    " ON CONFLICT (article_id) DO UPDATE SET body_md = excluded.body_md,"
    " body_html = excluded.body_html, format = 'html', search_text = excluded.search_text"
    " WHERE body_md IS NOT excluded.body_md OR body_html IS NOT excluded.body_html"
    " OR format IS NOT 'html' OR search_text IS NOT excluded.search_text";
static const char SQL_TEXTS_LAST[] =
    "SELECT max(article_id) FROM (SELECT article_id FROM import_texts WHERE article_id > ?1"
    " ORDER BY article_id LIMIT ?2)";
static const char SQL_TEXTS_FORGET[] = "DELETE FROM import_texts WHERE article_id <= ?1";

static const char SQL_SITE_CHANGED[] = "INSERT INTO changes (tag, at) VALUES ('site', unixepoch())";

enum { TEXTS_BATCH = 256 };

/* Writes the texts of import_texts to article_bodies and empties it. */
static int texts_flush(db *d) {
  long long from = 0;
  for (;;) {
    sqlite3_stmt *st = db_prepare(d, SQL_TEXTS_LAST);
    if (st) {
      sqlite3_bind_int64(st, 1, from);
      sqlite3_bind_int(st, 2, TEXTS_BATCH);
    }
    if (row(st) != STORE_OK) return STORE_ERROR;
    int none = sqlite3_column_type(st, 0) == SQLITE_NULL;
    long long last = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (none) return STORE_OK;
    st = db_prepare(d, SQL_TEXTS_FLUSH);
    if (st) {
      sqlite3_bind_int64(st, 1, from);
      sqlite3_bind_int(st, 2, TEXTS_BATCH);
    }
    if (run(st) != STORE_OK) return STORE_ERROR;
    st = db_prepare(d, SQL_TEXTS_FORGET);
    if (st) sqlite3_bind_int64(st, 1, last);
    if (run(st) != STORE_OK) return STORE_ERROR;
    from = last;
  }
}

int import_tx_begin(db *d) {
  if (db_begin(d) != 0) return STORE_ERROR;
  if (db_exec(d, SQL_BEGIN_SCRATCH) == 0) return STORE_OK;
  db_rollback(d);
  return STORE_ERROR;
}

int import_tx_end(db *d, int commit, int touched) {
  int rc = !commit || texts_flush(d) == STORE_OK ? STORE_OK : STORE_ERROR;
  if (rc == STORE_OK) rc = db_exec(d, SQL_END_SCRATCH) == 0 ? STORE_OK : STORE_ERROR;
  if (rc == STORE_OK && commit && touched) {
    rc = category_paths_refresh(d);
    if (rc == STORE_OK) rc = run(db_prepare(d, SQL_SITE_CHANGED));
  }
  if (rc == STORE_OK && commit) rc = db_commit(d) == 0 ? STORE_OK : STORE_ERROR;
  if (rc != STORE_OK || !commit) db_rollback(d);
  return rc;
}

/* ---- the map ----------------------------------------------------------- */

static const char SQL_SOURCE_ADD[] =
    "INSERT INTO import_sources (url) VALUES (?1) ON CONFLICT (url) DO NOTHING";
static const char SQL_SOURCE[] = "SELECT id FROM import_sources WHERE url = ?1";

int import_source_id(db *d, const char *url, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_SOURCE_ADD);
  if (!st) return STORE_ERROR;
  bind_text(st, 1, url);
  if (run(st) != STORE_OK) return STORE_ERROR;
  st = db_prepare(d, SQL_SOURCE);
  if (st) bind_text(st, 1, url);
  int rc = row(st);
  if (rc != STORE_OK) return STORE_ERROR;
  *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return STORE_OK;
}

/* The entry and whether its target is still there (with its updated_at
** for articles and pages). */
static const char SQL_ENTRY[] =
    "SELECT m.gazette_id, m.digest, m.stamp, CASE m.kind"
    " WHEN 'author' THEN (SELECT 0 FROM users WHERE id = m.gazette_id)"
    " WHEN 'category' THEN (SELECT 0 FROM categories WHERE id = m.gazette_id)"
    " WHEN 'tag' THEN (SELECT 0 FROM tags WHERE id = m.gazette_id)"
    " WHEN 'article' THEN (SELECT updated_at FROM articles WHERE id = m.gazette_id)"
    " WHEN 'page' THEN (SELECT updated_at FROM pages WHERE id = m.gazette_id)"
    " WHEN 'comment' THEN (SELECT 0 FROM comments WHERE id = m.gazette_id) END"
    " FROM import_map m WHERE m.source = ?1 AND m.kind = ?2 AND m.wp_id = ?3";
static const char SQL_ENTRY_PUT[] =
    "INSERT INTO import_map (source, kind, wp_id, gazette_id, wp_slug, digest, stamp)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (source, kind, wp_id) DO UPDATE SET"
    " gazette_id = excluded.gazette_id, wp_slug = excluded.wp_slug, digest = excluded.digest,"
    " stamp = excluded.stamp";
static const char SQL_ENTRY_SLUG[] =
    "SELECT m.gazette_id FROM import_map m INDEXED BY import_map_slug"
    " WHERE m.source = ?1 AND m.kind = ?2 AND m.wp_slug = ?3"
    " AND m.wp_slug IS NOT NULL"
    " AND (CASE m.kind WHEN 'category' THEN (SELECT 1 FROM categories WHERE id = m.gazette_id)"
    " ELSE (SELECT 1 FROM tags WHERE id = m.gazette_id) END) IS NOT NULL";

int import_entry_get(db *d, long src, import_kind kind, const char *wp_id, import_entry *e) {
  memset(e, 0, sizeof *e);
  sqlite3_stmt *st = db_prepare(d, SQL_ENTRY);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    bind_text(st, 2, KINDS[kind]);
    bind_wp_id(st, 3, wp_id);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_OK : rc;
  e->found = 1;
  e->gazette_id = (long)sqlite3_column_int64(st, 0);
  if (sqlite3_column_bytes(st, 1) == IMPORT_DIGEST_LEN)
    memcpy(e->digest, sqlite3_column_blob(st, 1), IMPORT_DIGEST_LEN);
  e->stamp = sqlite3_column_int64(st, 2);
  e->target_exists = sqlite3_column_type(st, 3) != SQLITE_NULL;
  e->target_stamp = sqlite3_column_int64(st, 3);
  sqlite3_reset(st);
  return STORE_OK;
}

int import_entry_put(db *d, long src, import_kind kind, const char *wp_id, const char *wp_slug,
                     long gazette_id, const unsigned char digest[IMPORT_DIGEST_LEN],
                     long long stamp) {
  sqlite3_stmt *st = db_prepare(d, SQL_ENTRY_PUT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  bind_text(st, 2, KINDS[kind]);
  bind_wp_id(st, 3, wp_id);
  sqlite3_bind_int64(st, 4, gazette_id);
  bind_text(st, 5, wp_slug);
  sqlite3_bind_blob(st, 6, digest, IMPORT_DIGEST_LEN, SQLITE_STATIC);
  bind_id(st, 7, stamp);
  return run(st);
}

int import_entry_by_slug(db *d, long src, import_kind kind, const char *wp_slug, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_ENTRY_SLUG);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    bind_text(st, 2, KINDS[kind]);
    bind_text(st, 3, wp_slug);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return STORE_OK;
}

/* ---- free names -------------------------------------------------------- */

/* Returns 1 when the one-parameter EXISTS query sql finds name taken, 0
** when free, -1 on an error. */
static int taken(db *d, const char *sql, const char *name, long self) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  bind_text(st, 1, name);
  sqlite3_bind_int64(st, 2, self);
  int rc = db_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_reset(st);
  return rc;
}

/* Makes into out a name free by the query sql (for row self): base, or
** base-2, base-3 ... cut so that it keeps within max bytes. */
static int free_name(db *d, const char *sql, const char *base, size_t max, long self, buf *out) {
  for (int n = 1; n < 100000; n++) {
    char suffix[16] = "";
    if (n > 1) snprintf(suffix, sizeof suffix, "-%d", n);
    size_t keep = strlen(base), room = max - strlen(suffix);
    if (keep > room) {
      keep = room;
      while (keep > 0 && ((unsigned char)base[keep] & 0xC0) == 0x80) keep--;
    }
    buf_reset(out);
    buf_append(out, base, keep);
    buf_puts(out, suffix);
    int t = taken(d, sql, buf_str(out), self);
    if (t < 0) return STORE_ERROR;
    if (!t) return STORE_OK;
  }
  return STORE_ERROR;
}

/* ---- accounts -------------------------------------------------------------- */

static const char SQL_USER_TAKEN[] =
    "SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1 AND id <> ?2)";
static const char SQL_USER_ADD[] =
    "INSERT INTO users (username, display_name, email, role, password_hash, disabled, created_at)"
    " VALUES (?1, ?2, ?3, 'author', NULL, 1, ?4)";
static const char SQL_USER_SET[] =
    "UPDATE users SET display_name = ?2, email = ?3 WHERE id = ?1"
    " AND (display_name IS NOT ?2 OR email IS NOT ?3)";
static const char SQL_USER_NAME[] = "SELECT username FROM users WHERE id = ?1";

/* Appends to out the user name Gazette allows (a-z 0-9 . _ -, 2 to 32)
** nearest to wanted: lower case, other characters as '-'. */
static void user_name(const char *wanted, buf *out) {
  size_t at = out->len;
  for (const char *p = wanted; *p && out->len - at < 32; p++) {
    char c = (char)tolower((unsigned char)*p);
    int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (ok) buf_putc(out, c);
    else if (out->len > at && out->data[out->len - 1] != '-') buf_putc(out, '-');
  }
  while (out->len > at && out->data[out->len - 1] == '-') out->data[--out->len] = 0;
  if (out->len - at < 2) buf_puts(out, out->len > at ? "-author" : "author");
}

int import_user_write(db *d, time_t now, long id, const char *wanted, const char *display,
                      const char *email, long *out, buf *name) {
  sqlite3_stmt *st;
  if (id) {
    st = db_prepare(d, SQL_USER_SET);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, display);
    bind_text(st, 3, *email ? email : NULL);
    if (run(st) != STORE_OK) return STORE_ERROR;
    *out = id;
    st = db_prepare(d, SQL_USER_NAME);
    if (st) sqlite3_bind_int64(st, 1, id);
    if (row(st) != STORE_OK) return STORE_ERROR;
    buf_puts(name, db_text(st, 0));
    sqlite3_reset(st);
    return STORE_OK;
  }
  buf base = {0};
  user_name(wanted, &base);
  int rc = free_name(d, SQL_USER_TAKEN, buf_str(&base), 32, 0, name);
  buf_free(&base);
  if (rc != STORE_OK || !(st = db_prepare(d, SQL_USER_ADD))) return STORE_ERROR;
  bind_text(st, 1, buf_str(name));
  bind_text(st, 2, display);
  bind_text(st, 3, *email ? email : NULL);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
  if (run(st) != STORE_OK) return STORE_ERROR;
  *out = (long)sqlite3_last_insert_rowid(d->h);
  return STORE_OK;
}

/* ---- categories and tags ----------------------------------------------------- */

static const char SQL_CATEGORY_TAKEN[] =
    "SELECT EXISTS (SELECT 1 FROM categories WHERE slug = ?1 AND id <> ?2)";
static const char SQL_CATEGORY_ADD[] =
    "INSERT INTO categories (slug, name, description, parent_id, position) VALUES (?1, ?2, ?3, ?4,"
    " (SELECT coalesce(max(position), 0) + 1 FROM categories))";
static const char SQL_CATEGORY_SET[] =
    "UPDATE categories SET name = ?2, description = ?3, parent_id = ?4 WHERE id = ?1"
    " AND (name IS NOT ?2 OR description IS NOT ?3 OR parent_id IS NOT ?4)";
static const char SQL_CATEGORY_FIND[] = "SELECT id FROM categories WHERE slug = ?1";
static const char SQL_TAG_TAKEN[] = "SELECT EXISTS (SELECT 1 FROM tags WHERE slug = ?1 AND id <> ?2)";
static const char SQL_TAG_ADD[] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)";
static const char SQL_TAG_SET[] = "UPDATE tags SET name = ?2 WHERE id = ?1 AND name IS NOT ?2";

/* Makes into out a free slug of the table (sql: its "taken" query) from
** wanted, or else name, or else fallback. */
static int free_slug(db *d, const char *sql, const char *wanted, const char *name,
                     const char *fallback, buf *out) {
  buf base = {0};
  slug_make(&base, wanted, 80);
  if (!base.len) slug_make(&base, name, 80);
  if (!base.len) buf_puts(&base, fallback);
  int rc = free_name(d, sql, buf_str(&base), 80, 0, out);
  buf_free(&base);
  return rc;
}

int import_category_write(db *d, long id, const char *wanted, const char *name,
                          const char *description, long parent, long *out) {
  sqlite3_stmt *st;
  if (id) {
    st = db_prepare(d, SQL_CATEGORY_SET);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, name);
    bind_text(st, 3, description);
    bind_id(st, 4, parent);
    *out = id;
    return run(st);
  }
  buf slug = {0};
  int rc = free_slug(d, SQL_CATEGORY_TAKEN, wanted, name, "category", &slug);
  st = rc == STORE_OK ? db_prepare(d, SQL_CATEGORY_ADD) : NULL;
  if (st) {
    bind_text(st, 1, buf_str(&slug));
    bind_text(st, 2, name);
    bind_text(st, 3, description);
    bind_id(st, 4, parent);
  }
  rc = st ? run(st) : STORE_ERROR;
  buf_free(&slug);
  if (rc == STORE_OK) *out = (long)sqlite3_last_insert_rowid(d->h);
  return rc;
}

int import_tag_write(db *d, long id, const char *wanted, const char *name, long *out) {
  sqlite3_stmt *st;
  if (id) {
    st = db_prepare(d, SQL_TAG_SET);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, name);
    *out = id;
    return run(st);
  }
  buf slug = {0};
  int rc = free_slug(d, SQL_TAG_TAKEN, wanted, name, "tag", &slug);
  st = rc == STORE_OK ? db_prepare(d, SQL_TAG_ADD) : NULL;
  if (st) {
    bind_text(st, 1, buf_str(&slug));
    bind_text(st, 2, name);
  }
  rc = st ? run(st) : STORE_ERROR;
  buf_free(&slug);
  if (rc == STORE_OK) *out = (long)sqlite3_last_insert_rowid(d->h);
  return rc;
}

int import_category_find(db *d, const char *slug, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_CATEGORY_FIND);
  if (st) bind_text(st, 1, slug);
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return STORE_OK;
}

/* ---- articles --------------------------------------------------------------- */

static const char SQL_ARTICLE_ADD[] =
    "INSERT INTO articles (id, slug, title, summary, lang, dir, status, featured, category_id,"
    " author_id, published_at, created_at, updated_at)"
    " VALUES (" SQL_NEXT_ID("articles") ", ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char SQL_ARTICLE_SET[] =
    "UPDATE articles SET slug = ?2, title = ?3, summary = ?4, lang = ?5, dir = ?6, status = ?7,"
    " featured = ?8, category_id = ?9, author_id = ?10, published_at = ?11, created_at = ?12,"
    " updated_at = ?13, version = version + 1 WHERE id = ?1";
static const char SQL_ARTICLE_WAS[] =
    "SELECT slug, " SQL_VISIBLE("", "?2") " FROM articles WHERE id = ?1";
static const char SQL_ARTICLE_BODY[] =
    "INSERT OR REPLACE INTO import_texts (article_id, html) VALUES (?1, ?2)";
static const char SQL_REDIRECT_ADD[] =
    "INSERT INTO slug_redirects (old_slug, article_id) VALUES (?1, ?2)"
    " ON CONFLICT (old_slug) DO UPDATE SET article_id = excluded.article_id";
static const char SQL_REDIRECT_DROP[] = "DELETE FROM slug_redirects WHERE old_slug = ?1";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM article_tags WHERE article_id = ?1";
static const char SQL_TAG_LINK[] =
    "INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?1, ?2)";
static const char SQL_COUNT_SET[] =
    "UPDATE articles SET comment_count = ?2 WHERE id = ?1 AND comment_count <> ?2";
static const char SQL_COUNT[] =
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments"
    " WHERE article_id = ?1 AND status = 'approved') WHERE id = ?1"
    " AND comment_count <> (SELECT count(*) FROM comments WHERE article_id = ?1"
    " AND status = 'approved')";

/* Keeps a live article's old slug as a redirect when it changes to slug,
** and lets slug no longer redirect anywhere. */
static int article_slug_moved(db *d, long id, const char *old, int was_live, const char *slug) {
  sqlite3_stmt *st = db_prepare(d, SQL_REDIRECT_DROP);
  if (st) bind_text(st, 1, slug);
  if (run(st) != STORE_OK) return STORE_ERROR;
  if (!was_live || !*old || !strcmp(old, slug)) return STORE_OK;
  st = db_prepare(d, SQL_REDIRECT_ADD);
  if (st) {
    bind_text(st, 1, old);
    sqlite3_bind_int64(st, 2, id);
  }
  return run(st);
}

int import_article_write(db *d, time_t now, const import_article *a, long *out, buf *slug) {
  buf old = {0};
  int was_live = 0;
  if (a->id) {
    sqlite3_stmt *st = db_prepare(d, SQL_ARTICLE_WAS);
    if (st) {
      sqlite3_bind_int64(st, 1, a->id);
      sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
    }
    if (row(st) == STORE_OK) {
      buf_puts(&old, db_text(st, 0));
      was_live = sqlite3_column_int(st, 1);
      sqlite3_reset(st);
    }
  }
  int rc = article_slug_choose(d, a->slug, a->title, a->id, slug) == 0 ? STORE_OK : STORE_ERROR;
  sqlite3_stmt *st = rc == STORE_OK ? db_prepare(d, a->id ? SQL_ARTICLE_SET : SQL_ARTICLE_ADD) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, a->id);
    bind_text(st, 2, buf_str(slug));
    bind_text(st, 3, a->title);
    bind_text(st, 4, a->summary);
    bind_text(st, 5, a->lang);
    bind_text(st, 6, a->dir);
    bind_text(st, 7, a->status);
    sqlite3_bind_int(st, 8, a->featured ? 1 : 0);
    sqlite3_bind_int64(st, 9, a->category_id);
    sqlite3_bind_int64(st, 10, a->author_id);
    bind_id(st, 11, a->published_at);
    sqlite3_bind_int64(st, 12, a->created_at);
    sqlite3_bind_int64(st, 13, a->updated_at);
  }
  rc = st ? run(st) : STORE_ERROR;
  long id = a->id ? a->id : (long)sqlite3_last_insert_rowid(d->h);
  if (rc == STORE_OK && a->id) rc = article_slug_moved(d, id, buf_str(&old), was_live, buf_str(slug));
  buf_free(&old);
  st = rc == STORE_OK ? db_prepare(d, SQL_ARTICLE_BODY) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, a->body_html);
  }
  rc = st ? run(st) : STORE_ERROR;
  if (rc == STORE_OK) *out = id;
  return rc;
}

int import_article_tags(db *d, long id, const long *tags, size_t n, int fresh) {
  sqlite3_stmt *st = fresh ? NULL : db_prepare(d, SQL_TAGS_CLEAR);
  if (st) sqlite3_bind_int64(st, 1, id);
  if (!fresh && run(st) != STORE_OK) return STORE_ERROR;
  for (size_t i = 0; i < n; i++) {
    st = db_prepare(d, SQL_TAG_LINK);
    if (st) {
      sqlite3_bind_int64(st, 1, id);
      sqlite3_bind_int64(st, 2, tags[i]);
    }
    if (run(st) != STORE_OK) return STORE_ERROR;
  }
  return STORE_OK;
}

int import_article_count(db *d, long id, long known) {
  sqlite3_stmt *st = db_prepare(d, known >= 0 ? SQL_COUNT_SET : SQL_COUNT);
  if (st) sqlite3_bind_int64(st, 1, id);
  if (st && known >= 0) sqlite3_bind_int64(st, 2, known);
  return run(st);
}

/* ---- pages ----------------------------------------------------------------- */

static const char SQL_PAGE_ADD[] =
    "INSERT INTO pages (slug, title, body_src, body_html, format, status, in_footer, position,"
    " author_id, created_at, updated_at) VALUES (?2, ?3, ?4, ?4, 'html', ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_PAGE_SET[] =
    "UPDATE pages SET slug = ?2, title = ?3, body_src = ?4, body_html = ?4, format = 'html',"
    " status = ?5, in_footer = ?6, position = ?7, author_id = ?8, created_at = ?9,"
    " updated_at = ?10 WHERE id = ?1";

int import_page_write(db *d, const import_page *p, long *out, buf *slug) {
  int rc = pages_slug_choose(d, p->slug, p->title, p->id, slug);
  sqlite3_stmt *st = rc == STORE_OK ? db_prepare(d, p->id ? SQL_PAGE_SET : SQL_PAGE_ADD) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, p->id);
    bind_text(st, 2, buf_str(slug));
    bind_text(st, 3, p->title);
    bind_text(st, 4, p->body_html);
    bind_text(st, 5, p->status);
    sqlite3_bind_int(st, 6, p->in_footer ? 1 : 0);
    sqlite3_bind_int64(st, 7, p->position);
    bind_id(st, 8, p->author_id);
    sqlite3_bind_int64(st, 9, p->created_at);
    sqlite3_bind_int64(st, 10, p->updated_at);
  }
  rc = st ? run(st) : STORE_ERROR;
  if (rc == STORE_OK) *out = p->id ? p->id : (long)sqlite3_last_insert_rowid(d->h);
  /* Rendered as the newsroom renders a page: its pictures noted. */
  return rc == STORE_OK ? page_text_store(d, *out, p->body_html, 1) : rc;
}

/* An article's text waiting in import_texts (this run's), else its HTML
** text as written; a page's HTML text as written. */
static const char SQL_BODY_ARTICLE[] =
    "SELECT t FROM (SELECT 0 AS k, html AS t FROM import_texts WHERE article_id = ?1"
    " UNION ALL SELECT 1, body_md FROM article_bodies WHERE article_id = ?1 AND format = 'html')"
    " ORDER BY k LIMIT 1";
static const char SQL_BODY_PAGE[] = "SELECT body_src FROM pages WHERE id = ?1 AND format = 'html'";
static const char SQL_BODY_ARTICLE_SET[] =
    "INSERT OR REPLACE INTO import_texts (article_id, html) VALUES (?1, ?2)";
/* A text rewritten raises its article's version, as a save does. */
static const char SQL_BODY_ARTICLE_VERSION[] =
    "UPDATE articles SET version = version + 1 WHERE id = ?1";

int import_body_get(db *d, import_kind kind, long id, buf *html) {
  sqlite3_stmt *st = db_prepare(d, kind == IMPORT_PAGE ? SQL_BODY_PAGE : SQL_BODY_ARTICLE);
  if (st) sqlite3_bind_int64(st, 1, id);
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  buf_puts(html, db_text(st, 0));
  sqlite3_reset(st);
  return STORE_OK;
}

int import_body_set(db *d, import_kind kind, long id, const char *html) {
  if (kind == IMPORT_PAGE) return page_text_store(d, id, html, 1);
  sqlite3_stmt *st = db_prepare(d, SQL_BODY_ARTICLE_SET);
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, html);
  }
  if (run(st) != STORE_OK) return STORE_ERROR;
  st = db_prepare(d, SQL_BODY_ARTICLE_VERSION);
  if (st) sqlite3_bind_int64(st, 1, id);
  return run(st);
}

/* ---- comments --------------------------------------------------------------- */

static const char SQL_COMMENT_ADD[] =
    "INSERT INTO comments (id, article_id, parent_id, author_name, author_email, body, status,"
    " created_at) VALUES (" SQL_NEXT_ID("comments") ", ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_COMMENT_SET[] =
    "UPDATE comments SET article_id = ?2, parent_id = ?3, author_name = ?4, author_email = ?5,"
    " body = ?6, status = ?7, created_at = ?8 WHERE id = ?1";
static const char SQL_PARENT_DEFER[] =
    "INSERT OR REPLACE INTO import_parents (comment_id, wp_parent) VALUES (?1, ?2)";
/* wp_parent as import_map keeps a comment's id (see bind_wp_id). */
/* The few deferred comments drive (CROSS JOIN keeps them first): never
** a read of every comment's entry. */
static const char SQL_PARENT_SETTLE[] =
    "UPDATE comments SET parent_id = (SELECT m.gazette_id FROM import_parents p"
    " CROSS JOIN import_map m ON m.source = ?1 AND m.kind = 'comment' AND m.wp_id = p.wp_parent"
    " WHERE p.comment_id = comments.id)"
    " WHERE id IN (SELECT p.comment_id FROM import_parents p CROSS JOIN import_map m"
    " ON m.source = ?1 AND m.kind = 'comment' AND m.wp_id = p.wp_parent"
    " CROSS JOIN comments c ON c.id = m.gazette_id)";
static const char SQL_PARENT_ORPHANS[] =
    "SELECT p.comment_id, p.wp_parent FROM import_parents p WHERE NOT EXISTS"
    " (SELECT 1 FROM import_map m CROSS JOIN comments c ON c.id = m.gazette_id"
    " WHERE m.source = ?1 AND m.kind = 'comment' AND m.wp_id = p.wp_parent)"
    " ORDER BY p.comment_id";
static const char SQL_PARENT_CLEAR[] = "DELETE FROM import_parents";

int import_comment_write(db *d, const import_comment *c, long *out) {
  sqlite3_stmt *st = db_prepare(d, c->id ? SQL_COMMENT_SET : SQL_COMMENT_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, c->id);
  sqlite3_bind_int64(st, 2, c->article_id);
  bind_id(st, 3, c->parent_id);
  bind_text(st, 4, c->name);
  bind_text(st, 5, c->email);
  bind_text(st, 6, c->body);
  bind_text(st, 7, c->status);
  sqlite3_bind_int64(st, 8, c->created_at);
  int rc = run(st);
  if (rc == STORE_OK) *out = c->id ? c->id : (long)sqlite3_last_insert_rowid(d->h);
  return rc;
}

int import_comment_defer(db *d, long id, const char *wp_parent) {
  sqlite3_stmt *st = db_prepare(d, SQL_PARENT_DEFER);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  bind_wp_id(st, 2, wp_parent);
  return run(st);
}

int import_comment_settle(db *d, long src, import_orphan_fn fn, void *ud) {
  sqlite3_stmt *st = db_prepare(d, SQL_PARENT_SETTLE);
  if (st) sqlite3_bind_int64(st, 1, src);
  if (run(st) != STORE_OK || !(st = db_prepare(d, SQL_PARENT_ORPHANS))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW)
    fn(ud, (long)sqlite3_column_int64(st, 0), db_text(st, 1));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return STORE_ERROR;
  return run(db_prepare(d, SQL_PARENT_CLEAR));
}

/* ---- old addresses ------------------------------------------------------------ */

static const char SQL_LEGACY_PUT[] =
    "INSERT INTO legacy_paths (path, kind, target) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, target = excluded.target"
    " WHERE kind IS NOT excluded.kind OR target IS NOT excluded.target";
static const char SQL_LEGACY_ADDRESS[] =
    "SELECT l.kind, CASE l.kind"
    " WHEN 'article' THEN (SELECT slug FROM articles WHERE id = l.target)"
    " WHEN 'page' THEN (SELECT slug FROM pages WHERE id = l.target)"
    " WHEN 'category' THEN (SELECT path FROM categories WHERE id = l.target)"
    " WHEN 'tag' THEN (SELECT slug FROM tags WHERE id = l.target)"
    " WHEN 'author' THEN (SELECT username FROM users WHERE id = l.target) END"
    " FROM legacy_paths l WHERE l.path = ?1";
static const char SQL_LEGACY_LONGEST[] =
    "SELECT path FROM legacy_paths WHERE kind = ?1 AND target = ?2"
    " ORDER BY length(path) DESC LIMIT 1";
static const char SQL_RELINK_ADD[] =
    "INSERT OR IGNORE INTO import_relink (kind, id) VALUES (?1, ?2)";
static const char SQL_RELINK_NEXT[] =
    "SELECT kind, id FROM import_relink WHERE kind > ?1 OR (kind = ?1 AND id > ?2)"
    " ORDER BY kind, id LIMIT 1";

int import_legacy_put(db *d, const char *path, const char *kind, long target, int *added) {
  sqlite3_stmt *st = db_prepare(d, SQL_LEGACY_PUT);
  if (!st) return STORE_ERROR;
  bind_text(st, 1, path);
  bind_text(st, 2, kind);
  sqlite3_bind_int64(st, 3, target);
  int n = db_run(st);
  if (n < 0) return STORE_ERROR;
  *added = n > 0;
  return STORE_OK;
}

int import_legacy_target(db *d, const char *path, legacy_kind *kind, buf *key) {
  static const char *const kinds[] = {"article", "page", "category", "tag", "author"};
  sqlite3_stmt *st = db_prepare(d, SQL_LEGACY_ADDRESS);
  if (st) bind_text(st, 1, path);
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  rc = STORE_NOT_FOUND;
  for (int i = 0; i < 5 && sqlite3_column_type(st, 1) != SQLITE_NULL; i++)
    if (!strcmp(db_text(st, 0), kinds[i])) {
      *kind = (legacy_kind)i;
      buf_puts(key, db_text(st, 1));
      rc = STORE_OK;
    }
  sqlite3_reset(st);
  return rc;
}

int import_legacy_longest(db *d, const char *kind, long target, buf *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_LEGACY_LONGEST);
  if (st) {
    bind_text(st, 1, kind);
    sqlite3_bind_int64(st, 2, target);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  buf_puts(out, db_text(st, 0));
  sqlite3_reset(st);
  return STORE_OK;
}

int import_relink_add(db *d, import_kind kind, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_RELINK_ADD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int(st, 1, (int)kind);
  sqlite3_bind_int64(st, 2, id);
  return run(st);
}

int import_relink_each(db *d, import_relink_fn fn, void *ud) {
  int kind = -1;
  long id = 0;
  for (;;) {
    sqlite3_stmt *st = db_prepare(d, SQL_RELINK_NEXT);
    if (st) {
      sqlite3_bind_int(st, 1, kind);
      sqlite3_bind_int64(st, 2, id);
    }
    int rc = row(st);
    if (rc == STORE_NOT_FOUND) return STORE_OK;
    if (rc != STORE_OK) return STORE_ERROR;
    kind = sqlite3_column_int(st, 0);
    id = (long)sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    /* The next one is read after fn, which may write. */
    if (fn(ud, (import_kind)kind, id) != 0) return STORE_ERROR;
  }
}

/* ---- attachments and pictures ------------------------------------------------- */

static const char SQL_ATTACHMENT_PUT[] =
    "INSERT INTO import_attachments (source, wp_id, parent_wp_id, url, file, title, alt, caption)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (source, wp_id) DO UPDATE SET"
    " parent_wp_id = excluded.parent_wp_id, url = excluded.url, file = excluded.file,"
    " title = excluded.title, alt = excluded.alt, caption = excluded.caption"
    " WHERE parent_wp_id IS NOT excluded.parent_wp_id OR url IS NOT excluded.url"
    " OR file IS NOT excluded.file OR title IS NOT excluded.title OR alt IS NOT excluded.alt"
    " OR caption IS NOT excluded.caption";
static const char SQL_ATTACHMENT[] =
    "SELECT url, alt, caption FROM import_attachments WHERE source = ?1 AND wp_id = ?2";
static const char SQL_ATTACHMENT_CHILDREN[] =
    "SELECT wp_id FROM import_attachments WHERE source = ?1 AND parent_wp_id = ?2"
    " ORDER BY wp_id LIMIT ?3";
static const char SQL_FEATURED_PUT[] =
    "INSERT INTO import_featured (article_id, source, attachment_wp_id) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (article_id) DO UPDATE SET source = excluded.source,"
    " attachment_wp_id = excluded.attachment_wp_id"
    " WHERE source IS NOT excluded.source OR attachment_wp_id IS NOT excluded.attachment_wp_id";
static const char SQL_IMAGES_CLEAR[] =
    "DELETE FROM import_images WHERE owner_kind = ?1 AND owner_id = ?2";
static const char SQL_IMAGE_PUT[] =
    "INSERT OR IGNORE INTO import_images (owner_kind, owner_id, url, source)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_PICTURES[] =
    "SELECT 'featured', coalesce(x.url, ''), coalesce(x.file, '') FROM import_featured f"
    " LEFT JOIN import_attachments x ON x.source = f.source AND x.wp_id = f.attachment_wp_id"
    " WHERE f.source = ?1"
    " UNION ALL SELECT 'body', i.url, coalesce((SELECT x.file FROM import_attachments x"
    " WHERE x.source = i.source AND x.url = i.url LIMIT 1), '') FROM import_images i"
    " WHERE i.source = ?1";

int import_attachment_put(db *d, long src, long long wp_id, long long parent_wp_id,
                          const char *url, const char *file, const char *title, const char *alt,
                          const char *caption, int *changed) {
  sqlite3_stmt *st = db_prepare(d, SQL_ATTACHMENT_PUT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  sqlite3_bind_int64(st, 2, wp_id);
  bind_id(st, 3, parent_wp_id);
  bind_text(st, 4, url);
  bind_text(st, 5, file);
  bind_text(st, 6, title);
  bind_text(st, 7, alt);
  bind_text(st, 8, caption);
  int n = db_run(st);
  *changed = n > 0;
  return n < 0 ? STORE_ERROR : STORE_OK;
}

int import_attachment_get(db *d, long src, long long wp_id, buf *url, buf *alt, buf *caption) {
  sqlite3_stmt *st = db_prepare(d, SQL_ATTACHMENT);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    sqlite3_bind_int64(st, 2, wp_id);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  buf_puts(url, db_text(st, 0));
  buf_puts(alt, db_text(st, 1));
  buf_puts(caption, db_text(st, 2));
  sqlite3_reset(st);
  return STORE_OK;
}

size_t import_attachment_children(db *d, long src, long long parent_wp_id, long long *ids,
                                  size_t max) {
  sqlite3_stmt *st = db_prepare(d, SQL_ATTACHMENT_CHILDREN);
  if (!st) return 0;
  sqlite3_bind_int64(st, 1, src);
  sqlite3_bind_int64(st, 2, parent_wp_id);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
  size_t n = 0;
  while (n < max && db_step(st) == SQLITE_ROW) ids[n++] = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return n;
}

int import_featured_put(db *d, long article_id, long src, long long attachment_wp_id) {
  sqlite3_stmt *st = db_prepare(d, SQL_FEATURED_PUT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int64(st, 2, src);
  sqlite3_bind_int64(st, 3, attachment_wp_id);
  return run(st);
}

int import_images_clear(db *d, import_kind kind, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_IMAGES_CLEAR);
  if (!st) return STORE_ERROR;
  bind_text(st, 1, KINDS[kind]);
  sqlite3_bind_int64(st, 2, id);
  return run(st);
}

int import_image_put(db *d, import_kind kind, long id, long src, const char *url) {
  sqlite3_stmt *st = db_prepare(d, SQL_IMAGE_PUT);
  if (!st) return STORE_ERROR;
  bind_text(st, 1, KINDS[kind]);
  sqlite3_bind_int64(st, 2, id);
  bind_text(st, 3, url);
  sqlite3_bind_int64(st, 4, src);
  return run(st);
}

int import_pictures_each(db *d, long src, import_picture_fn fn, void *ud) {
  sqlite3_stmt *st = db_prepare(d, SQL_PICTURES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) fn(ud, db_text(st, 0), db_text(st, 1), db_text(st, 2));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- the pictures taken into the library ------------------------------------ */

static const char SQL_ATTACHMENT_FILE[] =
    "SELECT alt, caption FROM import_attachments WHERE source = ?1 AND file = ?2"
    " ORDER BY wp_id LIMIT 1";
static const char SQL_FILE_NOTE[] =
    "INSERT INTO import_files (source, file) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_FILE_NEXT[] =
    "SELECT file FROM import_files WHERE source = ?1 AND file > ?2 AND media_id IS NULL"
    " AND refused = 0 ORDER BY file LIMIT 1";
static const char SQL_FILE_DONE[] =
    "UPDATE import_files SET media_id = ?3, refused = ?3 IS NULL WHERE source = ?1 AND file = ?2";
static const char SQL_FILE_MEDIA[] =
    "SELECT coalesce(media_id, 0) FROM import_files WHERE source = ?1 AND file = ?2";
static const char SQL_FEATURED_APPLY[] =
    "UPDATE articles SET version = version + 1, image_id = (SELECT p.media_id FROM import_featured f"
    "  JOIN import_attachments x ON x.source = f.source AND x.wp_id = f.attachment_wp_id"
    "  JOIN import_files p ON p.source = x.source AND p.file = x.file"
    "  WHERE f.article_id = articles.id)"
    " WHERE image_id IS NULL AND id IN (SELECT f.article_id FROM import_featured f"
    "  JOIN import_attachments x ON x.source = f.source AND x.wp_id = f.attachment_wp_id"
    "  JOIN import_files p ON p.source = x.source AND p.file = x.file"
    "  WHERE f.source = ?1 AND p.media_id IS NOT NULL)";
#define BODY_PICTURES_FROM                                                        \
  " FROM import_images i JOIN import_picture_urls u ON u.source = i.source AND u.url = i.url" \
  " JOIN import_files f ON f.source = u.source AND f.file = u.file"                \
  " WHERE i.owner_kind = ?3 AND f.media_id IS NOT NULL"
static const char SQL_BODY_NEXT[] =
    "SELECT i.owner_id" BODY_PICTURES_FROM " AND i.owner_id > ?2 AND i.source = ?1"
    " ORDER BY i.owner_id LIMIT 1";
static const char SQL_BODY_URLS[] = "SELECT i.url, f.media_id" BODY_PICTURES_FROM
                                    " AND i.owner_id = ?1";
static const char SQL_PICTURE_URL_PUT[] =
    "INSERT INTO import_picture_urls (source, url, file) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO UPDATE SET file = excluded.file WHERE file <> excluded.file";

int import_attachment_has_file(db *d, long src, const char *file, int *found) {
  sqlite3_stmt *st = db_prepare(d, SQL_ATTACHMENT_FILE);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    bind_text(st, 2, file);
  }
  int rc = row(st);
  *found = rc == STORE_OK;
  if (rc == STORE_OK) sqlite3_reset(st);
  return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int import_attachment_words(db *d, long src, const char *file, buf *alt, buf *caption) {
  sqlite3_stmt *st = db_prepare(d, SQL_ATTACHMENT_FILE);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    bind_text(st, 2, file);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
  buf_puts(alt, db_text(st, 0));
  buf_puts(caption, db_text(st, 1));
  sqlite3_reset(st);
  return STORE_OK;
}

int import_file_note(db *d, long src, const char *file) {
  sqlite3_stmt *st = db_prepare(d, SQL_FILE_NOTE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  bind_text(st, 2, file);
  return run(st);
}

int import_file_next(db *d, long src, const char *after, buf *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_FILE_NEXT);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    bind_text(st, 2, after);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  buf_reset(out);
  buf_puts(out, db_text(st, 0));
  sqlite3_reset(st);
  return STORE_OK;
}

int import_file_done(db *d, long src, const char *file, long media) {
  sqlite3_stmt *st = db_prepare(d, SQL_FILE_DONE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  bind_text(st, 2, file);
  bind_id(st, 3, media);
  return run(st);
}

int import_file_media(db *d, long src, const char *file, long *media) {
  sqlite3_stmt *st = db_prepare(d, SQL_FILE_MEDIA);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    bind_text(st, 2, file);
  }
  *media = 0;
  int rc = row(st);
  if (rc != STORE_OK) return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
  *media = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return STORE_OK;
}

int import_featured_apply(db *d, long src, long *given) {
  sqlite3_stmt *st = db_prepare(d, SQL_FEATURED_APPLY);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  int n = db_run(st);
  *given = n > 0 ? n : 0;
  return n < 0 ? STORE_ERROR : STORE_OK;
}

int import_body_next(db *d, long src, import_kind kind, long after, long *id, buf *urls) {
  sqlite3_stmt *st = db_prepare(d, SQL_BODY_NEXT);
  if (st) {
    sqlite3_bind_int64(st, 1, src);
    sqlite3_bind_int64(st, 2, after);
    bind_text(st, 3, KINDS[kind]);
  }
  int rc = row(st);
  if (rc != STORE_OK) return rc;
  *id = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  st = db_prepare(d, SQL_BODY_URLS);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, *id);
  bind_text(st, 3, KINDS[kind]);
  buf_reset(urls);
  while ((rc = db_step(st)) == SQLITE_ROW) {
    const char *url = db_text(st, 0);
    if (strpbrk(url, "\t\n")) continue;
    buf_printf(urls, "%s\t%lld\n", url, (long long)sqlite3_column_int64(st, 1));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int import_picture_url_put(db *d, long src, const char *url, const char *file) {
  sqlite3_stmt *st = db_prepare(d, SQL_PICTURE_URL_PUT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, src);
  bind_text(st, 2, url);
  bind_text(st, 3, file);
  return run(st);
}
