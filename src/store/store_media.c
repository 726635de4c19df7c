/*
** store_media.c: the picture library's rows (see store_media.h).
*/
#include "store_media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "html_text.h"
#include "json.h"
#include "markdown.h"
#include "picture.h"
#include "store_sql.h"

/* Runs a prepared write to its end. Returns 0 or -1. */
static int media_exec(sqlite3_stmt *st) { return db_run(st) < 0 ? -1 : 0; }

/* ---- adding ------------------------------------------------------------- */

static const char SQL_INSERT[] =
    "INSERT INTO media (id, uploader_id, filename, type, digest, original, width, height, bytes,"
    " alt, caption, credit, created_at, updated_at, derived_at)"
    " VALUES (" SQL_NEXT_ID("media") ", nullif(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?12, ?12)";
static const char SQL_FILE_ADD[] =
    "INSERT INTO media_files (media_id, format, width, height, name, bytes)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET name = excluded.name,"
    " height = excluded.height, bytes = excluded.bytes";
static const char SQL_QUEUE_ADD[] =
    "INSERT OR REPLACE INTO media_queue (media_id, queued_at) VALUES (?1, ?2)";

/* Records files[0..n) of picture id. Returns 0 or -1. */
static int media_files_add(db *d, long id, const media_file *files, size_t n) {
  for (size_t i = 0; i < n; i++) {
    sqlite3_stmt *st = db_prepare(d, SQL_FILE_ADD);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, files[i].format, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, files[i].width);
    sqlite3_bind_int(st, 4, files[i].height);
    sqlite3_bind_text(st, 5, files[i].name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, files[i].bytes);
    if (media_exec(st) != 0) return -1;
  }
  return 0;
}

/* Writes the row of m; sets *id. Returns 0 or -1. */
static int media_row(db *d, time_t now, const media_new *m, long *id) {
  sqlite3_stmt *st = db_prepare(d, SQL_INSERT);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, m->uploader);
  sqlite3_bind_text(st, 2, m->filename, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, m->type, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, m->digest, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, m->original, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 6, m->width);
  sqlite3_bind_int(st, 7, m->height);
  sqlite3_bind_int64(st, 8, m->bytes);
  sqlite3_bind_text(st, 9, m->alt ? m->alt : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 10, m->caption ? m->caption : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 11, m->credit ? m->credit : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 12, (sqlite3_int64)now);
  if (media_exec(st) != 0) return -1;
  *id = (long)sqlite3_last_insert_rowid(d->h);
  return 0;
}

int media_insert(db *d, time_t now, const media_new *m, long *id) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = media_row(d, now, m, id);
  if (rc == 0) rc = media_files_add(d, *id, m->files, m->nfiles);
  if (rc == 0 && m->queue) {
    sqlite3_stmt *st = db_prepare(d, SQL_QUEUE_ADD);
    if (st) {
      sqlite3_bind_int64(st, 1, *id);
      sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
    }
    rc = st ? media_exec(st) : -1;
  }
  if (rc == 0 && db_commit(d) == 0) return STORE_OK;
  db_rollback(d);
  return STORE_ERROR;
}

/* ---- reading ------------------------------------------------------------ */

static const char SQL_LOAD[] =
    "SELECT m.id, m.filename, m.type, m.width, m.height, m.bytes, m.alt, m.caption, m.credit,"
    " coalesce(m.uploader_id, 0), coalesce(u.display_name, ''), m.created_at, m.digest,"
    " m.original, q.media_id IS NOT NULL, coalesce(q.error, '')"
    " FROM media m LEFT JOIN users u ON u.id = m.uploader_id"
    " LEFT JOIN media_queue q ON q.media_id = m.id WHERE m.id = ?1";
static const char SQL_FILES[] =
    "SELECT format, width, height, name, bytes FROM media_files WHERE media_id = ?1"
    " ORDER BY width, format";

/* Builds {format, width, height, name, bytes} from columns at of st. */
static cJSON *media_file_row(sqlite3_stmt *st, int at) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "format", db_text(st, at));
  cJSON_AddNumberToObject(f, "width", sqlite3_column_int(st, at + 1));
  cJSON_AddNumberToObject(f, "height", sqlite3_column_int(st, at + 2));
  cJSON_AddStringToObject(f, "name", db_text(st, at + 3));
  cJSON_AddNumberToObject(f, "bytes", (double)sqlite3_column_int64(st, at + 4));
  return f;
}

/* Appends the files of picture id to out. Returns 0 or -1. */
static int media_files_of(db *d, long id, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_FILES);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, media_file_row(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int media_load(db *d, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_LOAD);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
  }
  cJSON *m = cJSON_CreateObject();
  static const char *const text[] = {NULL, "filename", "type", NULL, NULL, NULL, "alt",
                                     "caption", "credit", NULL, "uploader", NULL, "digest",
                                     "original", NULL, "error"};
  static const char *const nums[] = {"id", NULL, NULL, "width", "height", "bytes", NULL, NULL,
                                     NULL, "uploader_id", NULL, "created_at"};
  for (int i = 0; i < 16; i++) {
    if (text[i]) cJSON_AddStringToObject(m, text[i], db_text(st, i));
    else if (i < 12 && nums[i]) cJSON_AddNumberToObject(m, nums[i], (double)sqlite3_column_int64(st, i));
  }
  cJSON_AddBoolToObject(m, "queued", sqlite3_column_int(st, 14));
  sqlite3_reset(st);
  if (media_files_of(d, id, cJSON_AddArrayToObject(m, "files")) != 0) {
    cJSON_Delete(m);
    return STORE_ERROR;
  }
  *out = m;
  return STORE_OK;
}

/* The records of the pictures whose ids are in the JSON array ?1. */
static const char SQL_PICTURES[] =
    "SELECT m.id, m.width, m.height, m.type, m.alt, m.caption, m.credit,"
    " f.format, f.width, f.height, f.name, f.bytes"
    " FROM media m JOIN media_files f ON f.media_id = m.id"
    " WHERE m.id IN (SELECT value FROM json_each(?1)) ORDER BY m.id, f.width, f.format";

/* Builds the records of the pictures of the JSON array ids into found, an
** object keyed by id. Returns 0 or -1. */
static int media_records(db *d, const char *ids, cJSON *found) {
  sqlite3_stmt *st = db_prepare(d, SQL_PICTURES);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
  int rc;
  cJSON *rec = NULL;
  long current = 0;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long id = (long)sqlite3_column_int64(st, 0);
    if (id != current || !rec) {
      char key[24];
      current = id;
      rec = cJSON_CreateObject();
      cJSON_AddNumberToObject(rec, "id", (double)id);
      cJSON_AddNumberToObject(rec, "width", sqlite3_column_int(st, 1));
      cJSON_AddNumberToObject(rec, "height", sqlite3_column_int(st, 2));
      cJSON_AddStringToObject(rec, "type", db_text(st, 3));
      cJSON_AddStringToObject(rec, "alt", db_text(st, 4));
      cJSON_AddStringToObject(rec, "caption", db_text(st, 5));
      cJSON_AddStringToObject(rec, "credit", db_text(st, 6));
      cJSON_AddArrayToObject(rec, "files");
      snprintf(key, sizeof key, "%ld", id);
      cJSON_AddItemToObject(found, key, rec);
    }
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(rec, "files"), media_file_row(st, 7));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

int media_picture(db *d, long id, cJSON **out) {
  char ids[32], key[24];
  snprintf(ids, sizeof ids, "[%ld]", id);
  snprintf(key, sizeof key, "%ld", id);
  cJSON *found = cJSON_CreateObject();
  if (media_records(d, ids, found) != 0) {
    cJSON_Delete(found);
    return STORE_ERROR;
  }
  cJSON *rec = cJSON_DetachItemFromObjectCaseSensitive(found, key);
  cJSON_Delete(found);
  if (!rec) return STORE_NOT_FOUND;
  *out = rec;
  return STORE_OK;
}

static const char SQL_PUBLIC[] =
    "SELECT m.id FROM media m WHERE m.id = ?2 AND"
    " (EXISTS (SELECT 1 FROM articles a WHERE a.image_id = m.id AND " SQL_VISIBLE("a.", "?1") ")"
    "  OR EXISTS (SELECT 1 FROM article_media x JOIN articles a ON a.id = x.article_id"
    "             WHERE x.media_id = m.id AND " SQL_VISIBLE("a.", "?1") ")"
    "  OR EXISTS (SELECT 1 FROM page_media x JOIN pages p ON p.id = x.page_id"
    "             WHERE x.media_id = m.id AND p.status = 'published')"
    "  OR EXISTS (SELECT 1 FROM users u WHERE u.avatar_id = m.id AND u.disabled = 0"
    "             AND EXISTS (SELECT 1 FROM articles a WHERE a.author_id = u.id"
    "                         AND " SQL_VISIBLE("a.", "?1") ")))";

int media_public(db *d, time_t now, long id, cJSON **out) {
  sqlite3_stmt *st = db_prepare(d, SQL_PUBLIC);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
  sqlite3_bind_int64(st, 2, id);
  int rc = db_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) return STORE_NOT_FOUND;
  return rc == SQLITE_ROW ? media_picture(d, id, out) : STORE_ERROR;
}

/* Calls visit(o) for each object of objs (an array, or one object). */
#define EACH_OBJECT(objs, o) \
  for (cJSON *o = cJSON_IsArray(objs) ? (objs)->child : (objs); o; o = cJSON_IsArray(objs) ? o->next : NULL)

int media_attach(db *d, cJSON *objs, const char *id_key, const char *to_key) {
  if (!objs) return STORE_OK;
  buf ids = {0};
  EACH_OBJECT(objs, o) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, id_key);
    if (cJSON_IsNumber(v) && v->valuedouble > 0)
      buf_printf(&ids, "%s%ld", ids.len ? "," : "[", (long)v->valuedouble);
  }
  cJSON *found = cJSON_CreateObject();
  int rc = 0;
  if (ids.len) {
    buf_putc(&ids, ']');
    rc = media_records(d, buf_str(&ids), found);
  }
  EACH_OBJECT(objs, o) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, id_key);
    if (!v) continue;
    char key[24];
    snprintf(key, sizeof key, "%ld", cJSON_IsNumber(v) ? (long)v->valuedouble : 0L);
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(found, key);
    cJSON_DeleteItemFromObjectCaseSensitive(o, id_key);
    cJSON_DeleteItemFromObjectCaseSensitive(o, to_key);
    cJSON_AddItemToObject(o, to_key, rec ? cJSON_Duplicate(rec, 1) : cJSON_CreateNull());
  }
  cJSON_Delete(found);
  buf_free(&ids);
  return rc == 0 ? STORE_OK : STORE_ERROR;
}

/* ---- the newsroom's list ------------------------------------------------ */

#define MEDIA_USES(m)                                                        \
  "((SELECT count(*) FROM articles a WHERE a.image_id = " m ".id)"           \
  " + (SELECT count(*) FROM article_media x WHERE x.media_id = " m ".id)"    \
  " + (SELECT count(*) FROM page_media x WHERE x.media_id = " m ".id)"       \
  " + (SELECT count(*) FROM users w WHERE w.avatar_id = " m ".id))"
/* ?1 pattern, ?2 uploader, ?3 type, ?4 unused only. */
#define MEDIA_FILTERS                                                        \
  " WHERE (?1 IS NULL OR m.filename LIKE ?1 ESCAPE '\\'"                     \
  "        OR m.alt LIKE ?1 ESCAPE '\\' OR m.caption LIKE ?1 ESCAPE '\\')"   \
  " AND (?2 = 0 OR m.uploader_id = ?2) AND (?3 IS NULL OR m.type = ?3)"      \
  " AND (?4 = 0 OR " MEDIA_USES("m") " = 0)"
static const char SQL_LIST[] =
    "SELECT m.id, m.filename, m.type, m.width, m.height, m.alt, m.caption,"
    " coalesce(m.uploader_id, 0), coalesce(u.display_name, ''), m.created_at, "
    MEDIA_USES("m") ", EXISTS (SELECT 1 FROM media_queue q WHERE q.media_id = m.id)"
    " FROM media m LEFT JOIN users u ON u.id = m.uploader_id" MEDIA_FILTERS
    " ORDER BY m.id DESC LIMIT ?5 OFFSET ?6";
static const char SQL_COUNT[] = "SELECT count(*) FROM media m" MEDIA_FILTERS;

/* Binds the filters of f (pattern: the LIKE pattern, or NULL). */
static void media_filter_bind(sqlite3_stmt *st, const media_filter *f, const char *pattern) {
  if (pattern) sqlite3_bind_text(st, 1, pattern, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, f->uploader);
  if (f->type) sqlite3_bind_text(st, 3, f->type, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 4, f->unused ? 1 : 0);
}

/* Builds one row of the list. */
static cJSON *media_list_row(sqlite3_stmt *st) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddNumberToObject(m, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(m, "filename", db_text(st, 1));
  cJSON_AddStringToObject(m, "type", db_text(st, 2));
  cJSON_AddNumberToObject(m, "width", sqlite3_column_int(st, 3));
  cJSON_AddNumberToObject(m, "height", sqlite3_column_int(st, 4));
  cJSON_AddStringToObject(m, "alt", db_text(st, 5));
  cJSON_AddStringToObject(m, "caption", db_text(st, 6));
  cJSON_AddNumberToObject(m, "uploader_id", (double)sqlite3_column_int64(st, 7));
  cJSON_AddStringToObject(m, "uploader", db_text(st, 8));
  cJSON_AddNumberToObject(m, "created_at", (double)sqlite3_column_int64(st, 9));
  cJSON_AddNumberToObject(m, "uses", (double)sqlite3_column_int64(st, 10));
  cJSON_AddBoolToObject(m, "queued", sqlite3_column_int(st, 11));
  cJSON_AddNumberToObject(m, "picture_id", (double)sqlite3_column_int64(st, 0));
  return m;
}

/* Appends to out the LIKE pattern finding q anywhere (% _ \ escaped). */
static void media_like(buf *out, const char *q) {
  buf_putc(out, '%');
  for (; *q; q++) {
    if (*q == '%' || *q == '_' || *q == '\\') buf_putc(out, '\\');
    buf_putc(out, *q);
  }
  buf_putc(out, '%');
}

int media_list(db *d, media_filter *f, cJSON *out) {
  buf pat = {0};
  if (f->q && *f->q) media_like(&pat, f->q);
  const char *pattern = pat.len ? buf_str(&pat) : NULL;
  int rc = STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_COUNT);
  if (st) {
    media_filter_bind(st, f, pattern);
    if (db_step(st) == SQLITE_ROW) {
      f->total = (long)sqlite3_column_int64(st, 0);
      rc = STORE_OK;
    }
    sqlite3_reset(st);
  }
  st = rc == STORE_OK ? db_prepare(d, SQL_LIST) : NULL;
  if (st) {
    media_filter_bind(st, f, pattern);
    sqlite3_bind_int64(st, 5, f->per_page);
    sqlite3_bind_int64(st, 6, (f->page - 1) * f->per_page);
    int step;
    while ((step = db_step(st)) == SQLITE_ROW) cJSON_AddItemToArray(out, media_list_row(st));
    sqlite3_reset(st);
    rc = step == SQLITE_DONE ? media_attach(d, out, "picture_id", "picture") : STORE_ERROR;
  } else {
    rc = STORE_ERROR;
  }
  buf_free(&pat);
  return rc;
}

static const char SQL_UPLOADERS[] =
    "SELECT u.id, u.display_name FROM users u"
    " WHERE EXISTS (SELECT 1 FROM media m WHERE m.uploader_id = u.id)"
    " ORDER BY u.display_name, u.id";

int media_uploaders(db *d, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_UPLOADERS);
  if (!st) return STORE_ERROR;
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "name", db_text(st, 1));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static const char SQL_CHOICES[] =
    "SELECT m.id, m.filename, m.alt FROM media m"
    " WHERE m.id = ?1 OR (m.alt <> '' AND EXISTS (SELECT 1 FROM media_files f"
    "                     WHERE f.media_id = m.id))"
    " ORDER BY m.id = ?1 DESC, m.id DESC LIMIT ?2";

int media_choices(db *d, long always, int max, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_CHOICES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, always);
  sqlite3_bind_int(st, 2, max);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "filename", db_text(st, 1));
    cJSON_AddStringToObject(o, "alt", db_text(st, 2));
    cJSON_AddItemToArray(out, o);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- changing ----------------------------------------------------------- */

static const char SQL_UPDATE[] =
    "UPDATE media SET alt = ?2, caption = ?3, credit = ?4, updated_at = ?5 WHERE id = ?1";

int media_update(db *d, time_t now, long id, const char *alt, const char *caption,
                 const char *credit) {
  sqlite3_stmt *st = db_prepare(d, SQL_UPDATE);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, alt, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, caption, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, credit, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

static const char SQL_USED_ARTICLES[] =
    "SELECT id, title, status, how FROM ("
    " SELECT a.id AS id, a.title AS title, a.status AS status, 'featured' AS how FROM articles a"
    " WHERE a.image_id = ?1"
    " UNION ALL SELECT a.id, a.title, a.status, 'text' FROM article_media x"
    " JOIN articles a ON a.id = x.article_id WHERE x.media_id = ?1"
    " UNION ALL SELECT p.id, p.title, p.status, 'page' FROM page_media x"
    " JOIN pages p ON p.id = x.page_id WHERE x.media_id = ?1)"
    " ORDER BY how = 'page', id DESC";
static const char SQL_USED_ACCOUNTS[] =
    "SELECT id, display_name FROM users WHERE avatar_id = ?1 ORDER BY display_name";

int media_usage(db *d, long id, cJSON *out, long *count) {
  cJSON *articles = cJSON_AddArrayToObject(out, "articles");
  cJSON *accounts = cJSON_AddArrayToObject(out, "accounts");
  *count = 0;
  sqlite3_stmt *st = db_prepare(d, SQL_USED_ARTICLES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(a, "title", db_text(st, 1));
    cJSON_AddStringToObject(a, "status", db_text(st, 2));
    cJSON_AddStringToObject(a, "how", db_text(st, 3));
    cJSON_AddItemToArray(articles, a);
    (*count)++;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE || !(st = db_prepare(d, SQL_USED_ACCOUNTS))) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  while ((rc = db_step(st)) == SQLITE_ROW) {
    cJSON *u = cJSON_CreateObject();
    cJSON_AddNumberToObject(u, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(u, "name", db_text(st, 1));
    cJSON_AddItemToArray(accounts, u);
    (*count)++;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- deleting and replacing --------------------------------------------- */

static const char SQL_USES[] = "SELECT " MEDIA_USES("m") " FROM media m WHERE m.id = ?1";
static const char SQL_GONE_FILES[] =
    "SELECT f.name FROM media_files f WHERE f.media_id = ?1 AND NOT EXISTS"
    " (SELECT 1 FROM media_files g WHERE g.name = f.name AND g.media_id <> ?1)";
static const char SQL_GONE_ORIGINAL[] =
    "SELECT m.original, EXISTS (SELECT 1 FROM media o WHERE o.digest = m.digest AND o.id <> m.id"
    "                           AND o.type = m.type)"
    " FROM media m WHERE m.id = ?1";
static const char SQL_DELETE[] = "DELETE FROM media WHERE id = ?1";

/* Sets *uses to the uses of picture id; STORE_NOT_FOUND when none such. */
static int media_uses(db *d, long id, long *uses) {
  sqlite3_stmt *st = db_prepare(d, SQL_USES);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) *uses = (long)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* Fills *gone with the files of id no other picture shares, then deletes
** id; inside the caller's transaction. */
static int media_drop(db *d, long id, cJSON **gone) {
  cJSON *g = cJSON_CreateObject();
  cJSON *files = cJSON_AddArrayToObject(g, "files");
  sqlite3_stmt *st = db_prepare(d, SQL_GONE_FILES);
  int rc = st ? SQLITE_OK : SQLITE_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == SQLITE_ROW)
      cJSON_AddItemToArray(files, cJSON_CreateString(db_text(st, 0)));
    sqlite3_reset(st);
  }
  st = rc == SQLITE_DONE ? db_prepare(d, SQL_GONE_ORIGINAL) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    rc = db_step(st);
    if (rc == SQLITE_ROW && !sqlite3_column_int(st, 1))
      cJSON_AddStringToObject(g, "original", db_text(st, 0));
    else
      cJSON_AddNullToObject(g, "original");
    sqlite3_reset(st);
  }
  st = rc == SQLITE_ROW ? db_prepare(d, SQL_DELETE) : NULL;
  if (st) sqlite3_bind_int64(st, 1, id);
  if (!st || media_exec(st) != 0) {
    cJSON_Delete(g);
    return STORE_ERROR;
  }
  *gone = g;
  return STORE_OK;
}

int media_delete(db *d, long id, cJSON **gone) {
  long uses = 0;
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = media_uses(d, id, &uses);
  if (rc == STORE_OK && uses > 0) rc = STORE_IN_USE;
  if (rc == STORE_OK) rc = media_drop(d, id, gone);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) {
    db_rollback(d);
    if (rc == STORE_ERROR && *gone) {
      cJSON_Delete(*gone);
      *gone = NULL;
    }
  }
  return rc;
}

static const char SQL_REPLACE_FEATURED[] =
    "UPDATE articles SET image_id = ?2, updated_at = ?3 WHERE image_id = ?1";
static const char SQL_REPLACE_AVATARS[] = "UPDATE users SET avatar_id = ?2 WHERE avatar_id = ?1";
static const char SQL_TEXTS_SHOWING[] =
    "SELECT b.article_id, b.body_md, b.format = 'html', 0 FROM article_media x"
    " JOIN article_bodies b ON b.article_id = x.article_id WHERE x.media_id = ?1"
    " UNION ALL SELECT p.id, p.body_src, p.format = 'html', 1 FROM page_media x"
    " JOIN pages p ON p.id = x.page_id WHERE x.media_id = ?1";
static const char SQL_BODY_SET[] =
    "UPDATE article_bodies SET body_md = ?2, body_html = ?3,"
    " search_text = html_text(CASE format WHEN 'html' THEN ?2 ELSE ?3 END) WHERE article_id = ?1";

/* Appends md to out with each address "/media/from" of an image made
** "/media/to" (the path followed by what may end an image's address). */
static void media_rewrite(const char *md, long from, long to, buf *out) {
  char old[40];
  int n = snprintf(old, sizeof old, "/media/%ld", from);
  const char *p = md, *hit;
  while ((hit = strstr(p, old)) != NULL) {
    char after = hit[n];
    int ends = after == ')' || after == ' ' || after == '>' || after == '\t' || after == '\n' ||
               after == '"' || after == '\'';
    int starts = hit > md && (hit[-1] == '(' || hit[-1] == '<' || hit[-1] == ' ' ||
                              hit[-1] == '"');
    buf_append(out, p, (size_t)(hit - p));
    if (starts && ends) buf_printf(out, "/media/%ld", to);
    else buf_append(out, hit, (size_t)n);
    p = hit + n;
  }
  buf_puts(out, p);
}

/* Renders the text of article again (md: the text to store, Markdown or,
** when html is set, sanitized HTML) and records its pictures; inside the
** caller's transaction. */
static int body_store(db *d, long article, const char *md, int is_html) {
  body_pictures bp;
  char *html = is_html ? body_render_html(d, md, &bp) : body_render(d, md, strlen(md), &bp);
  sqlite3_stmt *st = html ? db_prepare(d, SQL_BODY_SET) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, article);
    sqlite3_bind_text(st, 2, md, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, html, -1, SQLITE_STATIC);
  }
  int rc = st && media_exec(st) == 0 ? body_pictures_save(d, article, &bp) : -1;
  free(html);
  return rc;
}

/* Renders again the texts showing picture id, the address of each image of
** from made to (when from is not 0). Inside the caller's transaction.
** Returns 0 or -1. */
static int media_texts_again(db *d, long id, long from, long to) {
  cJSON *texts = cJSON_CreateArray(), *t;
  sqlite3_stmt *st = db_prepare(d, SQL_TEXTS_SHOWING);
  int rc = st ? SQLITE_OK : SQLITE_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == SQLITE_ROW) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
      cJSON_AddStringToObject(o, "md", db_text(st, 1));
      cJSON_AddBoolToObject(o, "html", sqlite3_column_int(st, 2));
      cJSON_AddBoolToObject(o, "page", sqlite3_column_int(st, 3));
      cJSON_AddItemToArray(texts, o);
    }
    sqlite3_reset(st);
  }
  int ok = rc == SQLITE_DONE;
  buf md = {0};
  cJSON_ArrayForEach(t, texts) {
    if (!ok) break;
    buf_reset(&md);
    if (from) media_rewrite(json_str(t, "md"), from, to, &md);
    else buf_puts(&md, json_str(t, "md"));
    int html = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "html"));
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "page")))
      ok = page_text_store(d, json_long(t, "id"), buf_str(&md), html) == STORE_OK;
    else
      ok = body_store(d, json_long(t, "id"), buf_str(&md), html) == 0;
  }
  buf_free(&md);
  cJSON_Delete(texts);
  return ok ? 0 : -1;
}

/* Runs the two-parameter write sql (?1 id, ?2 with, ?3 now). */
static int media_move(db *d, const char *sql, long id, long with, time_t now) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, with);
  if (sqlite3_bind_parameter_count(st) >= 3) sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  return media_exec(st);
}

int media_replace(db *d, time_t now, long id, long with, cJSON **gone) {
  if (id == with) return STORE_IN_USE;
  long uses = 0;
  *gone = NULL;
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = media_uses(d, with, &uses);
  if (rc == STORE_OK) rc = media_uses(d, id, &uses);
  if (rc == STORE_OK &&
      (media_move(d, SQL_REPLACE_FEATURED, id, with, now) != 0 ||
       media_move(d, SQL_REPLACE_AVATARS, id, with, now) != 0 ||
       media_texts_again(d, id, id, with) != 0))
    rc = STORE_ERROR;
  if (rc == STORE_OK) rc = media_drop(d, id, gone);
  if (rc == STORE_OK && db_commit(d) != 0) rc = STORE_ERROR;
  if (rc != STORE_OK) {
    db_rollback(d);
    cJSON_Delete(*gone);
    *gone = NULL;
  }
  return rc;
}

static const char SQL_AVATAR_SET[] =
    "UPDATE users SET avatar_id = nullif(?2, 0) WHERE id = ?1"
    " AND (?2 = 0 OR EXISTS (SELECT 1 FROM media WHERE id = ?2))";
static const char SQL_AVATAR_GET[] = "SELECT coalesce(avatar_id, 0) FROM users WHERE id = ?1";

int media_set_avatar(db *d, long user, long media) {
  sqlite3_stmt *st = db_prepare(d, SQL_AVATAR_SET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_int64(st, 2, media);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

int media_avatar_of(db *d, long user, long *media) {
  sqlite3_stmt *st = db_prepare(d, SQL_AVATAR_GET);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, user);
  int rc = db_step(st);
  *media = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static const char SQL_NAME_USED[] = "SELECT EXISTS (SELECT 1 FROM media_files WHERE name = ?1)";
static const char SQL_ORIGINAL_USED[] = "SELECT EXISTS (SELECT 1 FROM media WHERE original = ?1)";
static const char SQL_FEATURE_SLUG[] = "UPDATE articles SET image_id = ?2 WHERE slug = ?1";
static const char SQL_AVATAR_NAME[] = "UPDATE users SET avatar_id = ?2 WHERE username = ?1";

/* Sets *used from the one-row query sql over the text name. */
static int media_exists(db *d, const char *sql, const char *name, int *used) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int rc = db_step(st);
  *used = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int media_name_used(db *d, const char *name, int *used) {
  return media_exists(d, SQL_NAME_USED, name, used);
}

int media_original_used(db *d, const char *name, int *used) {
  return media_exists(d, SQL_ORIGINAL_USED, name, used);
}

/* Runs the write sql (?1 a text key, ?2 media). */
static int media_give(db *d, const char *sql, const char *key, long media) {
  sqlite3_stmt *st = db_prepare(d, sql);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, media);
  int n = db_run(st);
  return n < 0 ? STORE_ERROR : n ? STORE_OK : STORE_NOT_FOUND;
}

int media_feature_slug(db *d, const char *slug, long media) {
  return media_give(d, SQL_FEATURE_SLUG, slug, media);
}

int media_avatar_username(db *d, const char *username, long media) {
  return media_give(d, SQL_AVATAR_NAME, username, media);
}

/* ---- the queue ---------------------------------------------------------- */

static const char SQL_NEXT[] =
    "SELECT m.id, m.original, m.type, m.digest, m.width, m.height, m.bytes"
    " FROM media_queue q JOIN media m ON m.id = q.media_id"
    " WHERE q.not_before <= ?1 AND q.tries < ?2 ORDER BY q.not_before, q.queued_at LIMIT 1";
static const char SQL_QUEUE_DROP[] = "DELETE FROM media_queue WHERE media_id = ?1";
static const char SQL_DERIVED[] = "UPDATE media SET derived_at = ?2 WHERE id = ?1";
static const char SQL_QUEUE_FAIL[] =
    "UPDATE media_queue SET tries = tries + 1, error = ?2,"
    " not_before = ?3 + 30 * (1 << min(tries, 8)) WHERE media_id = ?1";
static const char SQL_QUEUE_COUNT[] = "SELECT count(*) FROM media_queue";

int media_queue_next(db *d, time_t now, cJSON **job) {
  sqlite3_stmt *st = db_prepare(d, SQL_NEXT);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
  sqlite3_bind_int(st, 2, MEDIA_QUEUE_TRIES);
  int rc = db_step(st);
  if (rc == SQLITE_ROW) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(j, "original", db_text(st, 1));
    cJSON_AddStringToObject(j, "type", db_text(st, 2));
    cJSON_AddStringToObject(j, "digest", db_text(st, 3));
    cJSON_AddNumberToObject(j, "width", sqlite3_column_int(st, 4));
    cJSON_AddNumberToObject(j, "height", sqlite3_column_int(st, 5));
    cJSON_AddNumberToObject(j, "bytes", (double)sqlite3_column_int64(st, 6));
    *job = j;
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int media_queue_done(db *d, time_t now, long id, const media_file *files, size_t n) {
  if (db_begin(d) != 0) return STORE_ERROR;
  int rc = media_files_add(d, id, files, n);
  sqlite3_stmt *st = rc == 0 ? db_prepare(d, SQL_QUEUE_DROP) : NULL;
  if (st) sqlite3_bind_int64(st, 1, id);
  rc = st ? media_exec(st) : -1;
  st = rc == 0 ? db_prepare(d, SQL_DERIVED) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
  }
  rc = st ? media_exec(st) : -1;
  if (rc == 0) rc = media_texts_again(d, id, 0, 0);
  if (rc == 0 && db_commit(d) == 0) return STORE_OK;
  db_rollback(d);
  return STORE_ERROR;
}

int media_queue_failed(db *d, time_t now, long id, const char *error) {
  sqlite3_stmt *st = db_prepare(d, SQL_QUEUE_FAIL);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
  return db_run(st) < 0 ? STORE_ERROR : STORE_OK;
}

int media_queue_count(db *d, long *n) {
  sqlite3_stmt *st = db_prepare(d, SQL_QUEUE_COUNT);
  if (!st) return STORE_ERROR;
  int rc = db_step(st);
  *n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

static const char SQL_INVENTORY[] =
    "SELECT m.id, m.original, f.name FROM media m LEFT JOIN media_files f ON f.media_id = m.id"
    " ORDER BY m.id";
static const char SQL_FILES_FORGET[] = "DELETE FROM media_files WHERE media_id = ?1";

int media_inventory(db *d, cJSON *out) {
  sqlite3_stmt *st = db_prepare(d, SQL_INVENTORY);
  if (!st) return STORE_ERROR;
  int rc;
  cJSON *m = NULL;
  while ((rc = db_step(st)) == SQLITE_ROW) {
    long id = (long)sqlite3_column_int64(st, 0);
    if (!m || json_long(m, "id") != id) {
      m = cJSON_CreateObject();
      cJSON_AddNumberToObject(m, "id", (double)id);
      cJSON_AddStringToObject(m, "original", db_text(st, 1));
      cJSON_AddArrayToObject(m, "files");
      cJSON_AddItemToArray(out, m);
    }
    if (sqlite3_column_type(st, 2) != SQLITE_NULL)
      cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(m, "files"),
                           cJSON_CreateString(db_text(st, 2)));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int media_requeue(db *d, time_t now, long id) {
  if (db_begin(d) != 0) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_FILES_FORGET);
  if (st) sqlite3_bind_int64(st, 1, id);
  int rc = st ? media_exec(st) : -1;
  st = rc == 0 ? db_prepare(d, SQL_QUEUE_ADD) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
  }
  rc = st ? media_exec(st) : -1;
  if (rc == 0 && db_commit(d) == 0) return STORE_OK;
  db_rollback(d);
  return STORE_ERROR;
}

/* ---- an article's text -------------------------------------------------- */

/* Pictures one render looks up in the library (those a text may show,
** and as many ids again that are not the library's), and times it shows
** one: past them, a picture is its alt text, and the text is no larger
** than its images' count allows (a Markdown text has at most 512). */
enum { BODY_LOOKUPS = 256, BODY_MAX_SHOWN = 512 };

/* What the renderer's callback works with: each picture is looked up in
** the library once a render, however often the text shows it. */
typedef struct body_walk {
  db *d;
  body_pictures *bp;
  long ids[BODY_LOOKUPS];
  cJSON *recs[BODY_LOOKUPS];  /* NULL: not shown (missing, no sizes yet, too many) */
  size_t n;
  size_t shown;               /* pictures written */
} body_walk;

/* Frees what w looked up. */
static void body_walk_free(body_walk *w) {
  for (size_t i = 0; i < w->n; i++) cJSON_Delete(w->recs[i]);
  w->n = 0;
}

/* Notes picture id as shown in bp (once). Returns 1, or 0 when bp holds
** BODY_PICTURES_MAX others already (then too_many is set). */
static int body_note(body_pictures *bp, long id) {
  for (size_t i = 0; i < bp->n; i++)
    if (bp->ids[i] == id) return 1;
  if (bp->n < BODY_PICTURES_MAX) {
    bp->ids[bp->n++] = id;
    return 1;
  }
  bp->too_many = 1;
  return 0;
}

/* Appends alt as the stand-in of a picture that cannot be shown. */
static void body_alt_only(buf *out, const char *alt) {
  buf_puts(out, "<span class=\"picture-missing\">");
  escape_html(out, alt, strlen(alt));
  buf_puts(out, "</span>");
}

/* Returns 1 when url is an address on another site (http, https or
** protocol-relative). */
static int body_elsewhere(const char *url) {
  return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0 ||
         strncmp(url, "//", 2) == 0;
}

/* An image that is not a library picture. One from another site is noted
** (the security policy keeps readers' browsers from loading it) and
** written as a plain <img>, lazily; anything else is left to cmark, whose
** safe mode drops a dangerous address. */
static int body_other_image(body_pictures *bp, const char *url, const char *alt, buf *out) {
  if (!body_elsewhere(url)) return 0;
  if (!bp->external++) snprintf(bp->first_external, sizeof bp->first_external, "%s", url);
  buf_puts(out, "<img src=\"");
  escape_html(out, url, strlen(url));
  buf_puts(out, "\" alt=\"");
  escape_html(out, alt, strlen(alt));
  buf_puts(out, "\" loading=\"lazy\">");
  return 1;
}

/* The picture callback of body_render (see markdown.h). */
/* Returns library picture id's record for w (NULL when it is not shown),
** looked up the first time only. A picture whose sizes are still being
** made shows once they are (the text is rendered again then); one that
** does not exist is a mistake of the writer's (bp->missing); one past
** BODY_PICTURES_MAX is too many (bp->too_many), and so is any past
** BODY_LOOKUPS ids (of which more than BODY_PICTURES_MAX were pictures or
** the others missing: one of the two is set). */
static const cJSON *body_lookup(body_walk *w, long id) {
  for (size_t i = 0; i < w->n; i++)
    if (w->ids[i] == id) return w->recs[i];
  if (w->n == BODY_LOOKUPS) return NULL;
  cJSON *rec = NULL;
  if (media_picture(w->d, id, &rec) != STORE_OK) {
    cJSON *m = NULL;
    if (media_load(w->d, id, &m) == STORE_OK) body_note(w->bp, id);
    else if (!w->bp->missing) w->bp->missing = id;
    cJSON_Delete(m);
    rec = NULL;
  } else if (!body_note(w->bp, id)) {
    cJSON_Delete(rec);
    rec = NULL;
  }
  w->ids[w->n] = id;
  w->recs[w->n++] = rec;
  return rec;
}

static int body_picture(void *ud, const char *url, long id, const char *alt, const char *title,
                        int alone, buf *out) {
  body_walk *w = ud;
  if (!id) return body_other_image(w->bp, url, alt, out);
  const cJSON *rec = body_lookup(w, id);
  if (!rec || w->shown == BODY_MAX_SHOWN) {
    body_alt_only(out, alt);
    return 1;
  }
  w->shown++;
  const char *use_alt = *alt ? alt : json_str(rec, "alt");
  if (!*use_alt && !w->bp->no_alt) w->bp->no_alt = id;
  picture_opts o = {.sizes = "(min-width: 46rem) 42rem, 100vw", .alt = use_alt};
  int done = alone ? picture_figure(out, rec, *title ? title : NULL, &o)
                   : picture_html(out, rec, &o);
  if (done != 0) body_alt_only(out, use_alt);
  return 1;
}

char *body_render(db *d, const char *md, size_t n, body_pictures *bp) {
  memset(bp, 0, sizeof *bp);
  body_walk w = {.d = d, .bp = bp};
  char *html = markdown_render_pictures(md, n, body_picture, &w);
  body_walk_free(&w);
  return html;
}

/* Appends the value of attribute name (` name="`) of the tag tag[0..n),
** its entities decoded; returns 1, or 0 when the tag has none. */
static int body_attr(const char *tag, size_t n, const char *name, buf *out) {
  char key[16];
  int kn = snprintf(key, sizeof key, " %s=\"", name);
  const char *p = NULL;
  for (size_t i = 0; i + (size_t)kn <= n; i++)
    if (!memcmp(tag + i, key, (size_t)kn)) {
      p = tag + i + kn;
      break;
    }
  if (!p) return 0;
  const char *end = memchr(p, '"', (size_t)(tag + n - p));
  html_entities_decode(p, (size_t)((end ? end : tag + n) - p), out);
  return 1;
}

/* Returns the picture id of a src "/media/ID", or 0. */
static long body_media_id(const char *src) {
  if (strncmp(src, "/media/", 7) != 0) return 0;
  char *end;
  long id = strtol(src + 7, &end, 10);
  return *end || id <= 0 || src[7] < '1' || src[7] > '9' ? 0 : id;
}

char *body_render_html(db *d, const char *html, body_pictures *bp) {
  memset(bp, 0, sizeof *bp);
  buf out = {0}, src = {0}, alt = {0};
  const char *p = html, *hit;
  body_walk w = {.d = d, .bp = bp};
  while ((hit = strstr(p, "<img ")) != NULL) {
    const char *close = strchr(hit, '>');
    if (!close) break;
    size_t n = (size_t)(close - hit);
    buf_reset(&src);
    buf_reset(&alt);
    long id = body_attr(hit, n, "src", &src) ? body_media_id(buf_str(&src)) : 0;
    buf_append(&out, p, (size_t)(hit - p));
    p = close + 1;
    if (!id) {
      buf_append(&out, hit, n + 1);
      continue;
    }
    body_attr(hit, n, "alt", &alt);
    body_picture(&w, buf_str(&src), id, buf_str(&alt), "", 0, &out);
  }
  buf_puts(&out, p);
  body_walk_free(&w);
  buf_free(&src);
  buf_free(&alt);
  return out.data ? out.data : strdup("");
}

static const char SQL_VERSION_UP[] = "UPDATE articles SET version = version + 1 WHERE id = ?1";

int body_save_html(db *d, long article, const char *html) {
  if (body_store(d, article, html, 1) != 0) return STORE_ERROR;
  sqlite3_stmt *st = db_prepare(d, SQL_VERSION_UP);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, article);
  return media_exec(st) == 0 ? STORE_OK : STORE_ERROR;
}

static const char SQL_PICTURES_CLEAR[] = "DELETE FROM article_media WHERE article_id = ?1";
static const char SQL_PICTURE_LINK[] =
    "INSERT OR IGNORE INTO article_media (article_id, media_id)"
    " SELECT ?1, id FROM media WHERE id = ?2";
static const char SQL_PAGE_PICTURES_CLEAR[] = "DELETE FROM page_media WHERE page_id = ?1";
static const char SQL_PAGE_PICTURE_LINK[] =
    "INSERT OR IGNORE INTO page_media (page_id, media_id) SELECT ?1, id FROM media WHERE id = ?2";

/* Records that the text of owner shows the pictures of bp and no others,
** through clear (?1 owner) and link (?1 owner, ?2 picture). */
static int pictures_link(db *d, const char *clear, const char *link, long owner,
                         const body_pictures *bp) {
  sqlite3_stmt *st = db_prepare(d, clear);
  if (!st) return STORE_ERROR;
  sqlite3_bind_int64(st, 1, owner);
  if (media_exec(st) != 0) return STORE_ERROR;
  for (size_t i = 0; i < bp->n; i++) {
    st = db_prepare(d, link);
    if (!st) return STORE_ERROR;
    sqlite3_bind_int64(st, 1, owner);
    sqlite3_bind_int64(st, 2, bp->ids[i]);
    if (media_exec(st) != 0) return STORE_ERROR;
  }
  return STORE_OK;
}

int body_pictures_save(db *d, long article, const body_pictures *bp) {
  return pictures_link(d, SQL_PICTURES_CLEAR, SQL_PICTURE_LINK, article, bp);
}

static const char SQL_PAGE_TEXT_SET[] =
    "UPDATE pages SET body_src = ?2, body_html = ?3 WHERE id = ?1";

char *page_text_render(db *d, long page, const char *src, int is_html) {
  body_pictures bp;
  char *html = is_html ? body_render_html(d, src, &bp) : body_render(d, src, strlen(src), &bp);
  if (html && pictures_link(d, SQL_PAGE_PICTURES_CLEAR, SQL_PAGE_PICTURE_LINK, page, &bp) != STORE_OK) {
    free(html);
    html = NULL;
  }
  return html;
}

int page_text_store(db *d, long page, const char *src, int is_html) {
  char *html = page_text_render(d, page, src, is_html);
  sqlite3_stmt *st = html ? db_prepare(d, SQL_PAGE_TEXT_SET) : NULL;
  if (st) {
    sqlite3_bind_int64(st, 1, page);
    sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, html, -1, SQLITE_STATIC);
  }
  int rc = st && media_exec(st) == 0 ? STORE_OK : STORE_ERROR;
  free(html);
  return rc;
}
