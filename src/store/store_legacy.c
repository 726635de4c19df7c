/*
** store_legacy.c: the old addresses of a site Gazette took over (see
** store.h and sql/023_legacy_paths.sql).
*/
#include <string.h>

#include "store.h"
#include "store_sql.h"

/* The address and, in the same read, its target's key as readers may see
** it: NULL when the target is gone or not public (a section, tag or author
** without a visible article, whose page is not found). For a section
** that is not public, the tag of the same slug when it is: what an
** import made of a post's other categories (see import.c). */
static const char SQL_FIND[] =
    "SELECT l.kind, CASE l.kind"
    " WHEN 'article' THEN (SELECT a.slug FROM articles a WHERE a.id = l.target AND "
    SQL_VISIBLE("a.", "?2") ")"
    " WHEN 'page' THEN (SELECT p.slug FROM pages p WHERE p.id = l.target"
    "  AND p.status = 'published')"
    " WHEN 'category' THEN (SELECT c.path FROM categories c WHERE c.id = l.target AND "
    CATEGORY_SHOWN_AT("?2") ")"
    " WHEN 'tag' THEN (SELECT t.slug FROM tags t WHERE t.id = l.target AND " TAG_SHOWN_AT("?2") ")"
    " WHEN 'author' THEN (SELECT u.username FROM users u WHERE u.id = l.target AND "
    AUTHOR_SHOWN_AT("?2") ")"
    " END, CASE l.kind WHEN 'category' THEN (SELECT t.slug FROM categories c"
    "  JOIN tags t ON t.slug = c.slug WHERE c.id = l.target AND " TAG_SHOWN_AT("?2") ")"
    " END FROM legacy_paths l WHERE l.path = ?1";

int legacy_find(db *d, time_t now, const char *path, legacy_kind *kind, buf *key) {
  static const char *const kinds[] = {"article", "page", "category", "tag", "author"};
  sqlite3_stmt *st = db_prepare(d, SQL_FIND);
  if (!st) return STORE_ERROR;
  sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, now);
  int rc = db_step(st), found = 0;
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL) {
    for (int i = 0; i < 5; i++)
      if (strcmp(db_text(st, 0), kinds[i]) == 0) {
        *kind = (legacy_kind)i;
        found = 1;
      }
    if (found) buf_puts(key, db_text(st, 1));
  } else if (rc == SQLITE_ROW && sqlite3_column_type(st, 2) != SQLITE_NULL) {
    *kind = LEGACY_TAG;
    found = 1;
    buf_puts(key, db_text(st, 2));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return STORE_ERROR;
  return found ? STORE_OK : STORE_NOT_FOUND;
}
