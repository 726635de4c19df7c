/*
** fuzz_passage: the passage a search result shows (src/store/search_passage.h).
**
** Input: the reader's words on the first line, the article's text after
** it (its first line is also its title). The words make the search's
** query (search_match), and the text is indexed as an article is. The passage must
** keep its promises: found for a matching article, no longer than its
** column plus its marks, and, its marks and ellipses taken out, a piece
** of the title or of the text.
*/
#include "fuzz.h"

#include <sqlite3.h>

#include "buf.h"
#include "search_passage.h"
#include "store.h"

#define OPEN "\x02"
#define CLOSE "\x03"
#define ELLIPSIS "\xe2\x80\xa6"

/* The connection with the index, made at the first input. */
static sqlite3 *fuzz_db(void) {
  static sqlite3 *h;
  if (h) return h;
  if (sqlite3_open(":memory:", &h) != SQLITE_OK || search_passage_register(h) != SQLITE_OK ||
      sqlite3_exec(h,
                   "CREATE VIRTUAL TABLE docs USING fts5 (title, summary, body,"
                   " tokenize = 'porter unicode61 remove_diacritics 2')",
                   NULL, NULL, NULL) != SQLITE_OK)
    abort();
  return h;
}

/* Checks passage p against the title and the body it was cut from. */
static void fuzz_check(const char *p, const char *title, const char *body) {
  size_t n = strlen(p), max = strlen(body) > strlen(title) ? strlen(body) : strlen(title);
  FUZZ_CHECK(n <= max + 2 * 64 + 2 * strlen(ELLIPSIS));
  if (strpbrk(title, OPEN CLOSE) || strpbrk(body, OPEN CLOSE) || strstr(body, ELLIPSIS) ||
      strstr(title, ELLIPSIS))
    return;
  buf plain = {0};
  const char *s = p, *end = p + n;
  if (strncmp(s, ELLIPSIS, strlen(ELLIPSIS)) == 0) s += strlen(ELLIPSIS);
  if (end - s >= (long)strlen(ELLIPSIS) && strcmp(end - strlen(ELLIPSIS), ELLIPSIS) == 0)
    end -= strlen(ELLIPSIS);
  for (; s < end; s++)
    if (*s != OPEN[0] && *s != CLOSE[0]) buf_putc(&plain, *s);
  const char *text = buf_str(&plain);
  FUZZ_CHECK(strstr(title, text) != NULL || strstr(body, text) != NULL);
  buf_free(&plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in = fuzz_strndup(data, size);
  char *nl = strchr(in, '\n');
  if (!nl) {
    free(in);
    return 0;
  }
  *nl = 0;
  const char *body = nl + 1;
  char *title = fuzz_strndup((const uint8_t *)body, strcspn(body, "\n"));
  buf match = {0};
  sqlite3 *h = fuzz_db();
  sqlite3_stmt *st;
  if (search_match(in, &match) > 0) {
    sqlite3_exec(h, "DELETE FROM docs", NULL, NULL, NULL);
    sqlite3_prepare_v2(h, "INSERT INTO docs (rowid, title, summary, body) VALUES (1, ?1, '', ?2)",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
    FUZZ_CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(h,
                       "SELECT match_passage(docs, char(2), char(3), '" ELLIPSIS "', 24)"
                       " FROM docs WHERE docs MATCH ?1 AND rowid = 1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, buf_str(&match), -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *p = (const char *)sqlite3_column_text(st, 0);
      FUZZ_CHECK(p != NULL);
      fuzz_check(p, title, body);
    }
    FUZZ_CHECK(rc == SQLITE_DONE || rc == SQLITE_ERROR); /* a word FTS5 cannot parse */
    sqlite3_finalize(st);
  }
  buf_free(&match);
  free(title);
  free(in);
  return 0;
}
