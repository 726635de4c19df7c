/*
** search_text.h: what the search index reads of an article's text. A
** Markdown body is indexed as it is written; an HTML body (imported from
** WordPress) by its plain text, kept in article_bodies.search_text, so
** that its tags, attributes and addresses are neither found nor shown in
** the results' passages. html_text(html) is the SQL function the writers
** of HTML bodies fill that column with; the search index's triggers read
** only the column, so that any SQLite client can still write the tables.
*/
#ifndef GAZETTE_SEARCH_TEXT_H
#define GAZETTE_SEARCH_TEXT_H

#include <sqlite3.h>

/* Makes html_text(html) known to connection h: the plain text of html
** (html_text_plain without lines), NULL for NULL. Returns SQLITE_OK or an
** SQLite error code. */
int search_text_register(sqlite3 *h);

#endif
