/*
** search_text.h: what the search index reads of an article's text: its
** plain text as readers see it, kept in article_bodies.search_text (of an
** HTML body, imported from WordPress, its own text; of a Markdown body,
** the text of the HTML it is rendered to), so that markup, marks and
** addresses are neither found nor shown in the results' passages.
** html_text(html) is the SQL function the writers of bodies fill that
** column with; the search index's triggers read only the column (a body
** without it is indexed as written), so that any SQLite client can still
** write the tables.
*/
#ifndef GAZETTE_SEARCH_TEXT_H
#define GAZETTE_SEARCH_TEXT_H

#include <sqlite3.h>

/* Makes html_text(html) known to connection h: the plain text of html
** (html_text_plain without lines), NULL for NULL. Returns SQLITE_OK or an
** SQLite error code. */
int search_text_register(sqlite3 *h);

#endif
