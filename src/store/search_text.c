/*
** search_text.c: html_text(), the plain text of an HTML body for the
** search index (see search_text.h).
*/
#include "search_text.h"

#include "buf.h"
#include "html_text.h"

/* html_text(html): the SQL function. */
static void html_text_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *html = (const char *)sqlite3_value_text(argv[0]);
  if (!html) {
    sqlite3_result_null(ctx);
    return;
  }
  buf out = {0};
  html_text_plain(html, 0, &out);
  sqlite3_result_text(ctx, buf_str(&out), (int)out.len, SQLITE_TRANSIENT);
  buf_free(&out);
}

int search_text_register(sqlite3 *h) {
  return sqlite3_create_function(h, "html_text", 1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                 html_text_fn, NULL, NULL);
}
