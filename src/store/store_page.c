/*
** store_page.c: static pages (see store_page.h).
*/
#include "store_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slug.h"
#include "store.h"
#include "store_media.h"

static const char SQL_LOAD[] =
    "SELECT id, slug, title, body_html, created_at, updated_at FROM pages"
    " WHERE slug = ?1 AND status = 'published'";
static const char SQL_FOOTER[] =
    "SELECT slug, title FROM pages INDEXED BY pages_public"
    " WHERE status = 'published' AND in_footer = 1 ORDER BY position, title, id";
static const char SQL_LIST[] =
    "SELECT id, slug, title, updated_at FROM pages INDEXED BY pages_public"
    " WHERE status = 'published' ORDER BY position, title, id LIMIT ?1 OFFSET ?2";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM pages INDEXED BY pages_public WHERE status = 'published'";
static const char SQL_PUBLIC[] =
    "SELECT slug, updated_at FROM pages INDEXED BY pages_public"
    " WHERE status = 'published' ORDER BY position, title, id";

int pages_load(db *d, const char *slug, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_LOAD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(p, "slug", db_text(st, 1));
    cJSON_AddStringToObject(p, "title", db_text(st, 2));
    cJSON_AddStringToObject(p, "body_html", db_text(st, 3));
    cJSON_AddNumberToObject(p, "created_at", (double)sqlite3_column_int64(st, 4));
    cJSON_AddNumberToObject(p, "updated_at", (double)sqlite3_column_int64(st, 5));
    *out = p;
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Steps st, appending an object per row with the columns named in cols
** (a number when the name ends in "_at" or is "id", else text). Resets
** st. */
static int pages_rows(sqlite3_stmt *st, const char *const *cols, cJSON *out) {
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; cols[i]; i++) {
      size_t n = strlen(cols[i]);
      if (!strcmp(cols[i], "id") || (n > 3 && !strcmp(cols[i] + n - 3, "_at")))
        cJSON_AddNumberToObject(o, cols[i], (double)sqlite3_column_int64(st, i));
      else
        cJSON_AddStringToObject(o, cols[i], db_text(st, i));
    }
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int pages_footer(db *d, cJSON *out) {
  static const char *const cols[] = {"slug", "title", NULL};
  sqlite3_stmt *st = db_prepare(d, SQL_FOOTER);
  return st ? pages_rows(st, cols, out) : STORE_ERROR;
}

int pages_list(db *d, long page, long per_page, cJSON *out, long *total) {
  static const char *const cols[] = {"id", "slug", "title", "updated_at", NULL};
  sqlite3_stmt *st = db_prepare(d, SQL_COUNT);
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *total = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW || !(st = db_prepare(d, SQL_LIST))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, per_page);
  sqlite3_bind_int64(st, 2, (page - 1) * per_page);
  return pages_rows(st, cols, out);
}

int pages_all_public(db *d, cJSON *out) {
  static const char *const cols[] = {"slug", "updated_at", NULL};
  sqlite3_stmt *st = db_prepare(d, SQL_PUBLIC);
  return st ? pages_rows(st, cols, out) : STORE_ERROR;
}

/* ---- the newsroom ------------------------------------------------------ */

static const char SQL_ADMIN_LIST[] =
    "SELECT id, slug, title, status, in_footer, position, updated_at FROM pages"
    " ORDER BY position, title, id";
static const char SQL_ADMIN_LOAD[] =
    "SELECT id, slug, title, body_src, status, format, in_footer, position FROM pages"
    " WHERE id = ?1";
static const char SQL_SLUG_TAKEN[] = "SELECT EXISTS (SELECT 1 FROM pages WHERE slug = ?1 AND id <> ?2)";
static const char SQL_INSERT[] =
    "INSERT INTO pages (slug, title, body_src, body_html, format, status, in_footer, position,"
    " author_id, created_at, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)";
static const char SQL_UPDATE[] =
    "UPDATE pages SET slug = ?2, title = ?3, body_src = ?4, body_html = ?5, format = ?6,"
    " status = ?7, in_footer = ?8, position = ?9, updated_at = ?11 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM pages WHERE id = ?1";

void pages_form_free(pages_form *f) {
  buf *all[] = {&f->title, &f->slug, &f->body, &f->status, &f->saved_slug};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) buf_free(all[i]);
}

int pages_admin_list(db *d, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_ADMIN_LIST);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "slug", db_text(st, 1));
    cJSON_AddStringToObject(o, "title", db_text(st, 2));
    cJSON_AddStringToObject(o, "status", db_text(st, 3));
    cJSON_AddBoolToObject(o, "in_footer", sqlite3_column_int(st, 4));
    cJSON_AddNumberToObject(o, "position", (double)sqlite3_column_int64(st, 5));
    cJSON_AddNumberToObject(o, "updated_at", (double)sqlite3_column_int64(st, 6));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int pages_admin_load(db *d, long id, pages_form *f) {
  sqlite3_stmt *st = db_prepare(d, SQL_ADMIN_LOAD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    f->id = (long)sqlite3_column_int64(st, 0);
    buf_puts(&f->slug, db_text(st, 1));
    buf_puts(&f->saved_slug, db_text(st, 1));
    buf_puts(&f->title, db_text(st, 2));
    buf_puts(&f->body, db_text(st, 3));
    buf_puts(&f->status, db_text(st, 4));
    snprintf(f->saved_status, sizeof f->saved_status, "%s", db_text(st, 4));
    f->html = strcmp(db_text(st, 5), "html") == 0;
    f->in_footer = sqlite3_column_int(st, 6);
    f->position = (long)sqlite3_column_int64(st, 7);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Returns 1 when slug belongs to another page than id, 0 when free, -1. */
static int pages_slug_taken(db *d, const char *slug, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_SLUG_TAKEN);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  int rc = db_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_reset(st);
  return rc;
}

int pages_slug_choose(db *d, const char *wanted, const char *title, long id, buf *out) {
  buf base = {0};
  slug_make(&base, wanted, PAGE_SLUG_MAX - 8);
  if (base.len == 0) slug_make(&base, title, PAGE_SLUG_MAX - 8);
  if (base.len == 0) buf_puts(&base, "page");
  int rc = STORE_ERROR;
  for (int n = 1; n < 10000; n++) {
    buf_reset(out);
    buf_puts(out, buf_str(&base));
    if (n > 1) buf_printf(out, "-%d", n);
    int taken = pages_slug_taken(d, buf_str(out), id);
    if (taken < 0) break;
    if (!taken) {
      rc = STORE_OK;
      break;
    }
  }
  buf_free(&base);
  return rc;
}

/* Writes f's row inside the caller's transaction. Returns 0 or -1. */
static int pages_write(db *d, time_t now, long user, pages_form *f) {
  buf slug = {0};
  if (pages_slug_choose(d, buf_str(&f->slug), buf_str(&f->title), f->id, &slug) != STORE_OK) {
    buf_free(&slug);
    return -1;
  }
  buf_reset(&f->slug);
  buf_puts(&f->slug, buf_str(&slug));
  buf_free(&slug);
  /* A new page's text is rendered once the row has its id (its pictures
  ** are noted by it). */
  char *html = f->id ? page_text_render(d, f->id, buf_str(&f->body), f->html) : strdup("");
  sqlite3_stmt *st = html ? db_prepare(d, f->id ? SQL_UPDATE : SQL_INSERT) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, f->id);
    sqlite3_bind_text(st, 2, buf_str(&f->slug), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, buf_str(&f->title), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, buf_str(&f->body), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, html, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, f->html ? "html" : "markdown", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, strcmp(buf_str(&f->status), "published") ? "draft" : "published", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 8, f->in_footer ? 1 : 0);
    sqlite3_bind_int64(st, 9, f->position);
    if (user > 0) sqlite3_bind_int64(st, 10, user);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)now);
  }
  int rc = st && db_run(st) >= 0 ? 0 : -1;
  free(html);
  if (rc == 0 && !f->id) {
    f->id = (long)sqlite3_last_insert_rowid(d->h);
    rc = page_text_store(d, f->id, buf_str(&f->body), f->html) == STORE_OK ? 0 : -1;
  }
  return rc;
}

int pages_admin_save(db *d, time_t now, long user, pages_form *f) {
  long was = f->id;
  if (db_begin(d) != 0) return STORE_ERROR;
  int ok = pages_write(d, now, user, f) == 0 && db_commit(d) == 0;
  if (!ok) {
    db_rollback(d);
    f->id = was;
  }
  return ok ? STORE_OK : STORE_ERROR;
}

int pages_admin_delete(db *d, long id) {
  sqlite3_stmt *st = db_prepare(d, SQL_DELETE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}
