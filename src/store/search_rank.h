/*
** search_rank.h: the ranking of search results, an FTS5 function of our
** own. bm25 weighs how rare each word of a query is, and to learn that it
** reads every row the query matches: the whole archive's worth for a
** common word. match_rank keeps the rest of bm25 (how often the words
** occur in each column, against the column's usual length, each column
** weighted) for just the rows asked about, so a search costs the same on
** a large archive as on a small one.
*/
#ifndef GAZETTE_SEARCH_RANK_H
#define GAZETTE_SEARCH_RANK_H

#include <sqlite3.h>

/* Makes match_rank(fts_table, weight, ...) known to connection h: one
** weight a column, lower results are better (as bm25's). Returns
** SQLITE_OK or an SQLite error code. */
int search_rank_register(sqlite3 *h);

/* Returns connection h's FTS5 interface (through which functions such as
** match_rank are made known), or NULL. */
fts5_api *search_fts5_api(sqlite3 *h);

#endif
