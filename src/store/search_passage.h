/*
** search_passage.h: the passage a search result shows, an FTS5 function of
** our own. FTS5's snippet() reads every column of a match to its end,
** tokenizing a whole article body to choose among its passages;
** match_passage chooses from the positions of the words the index already
** holds, and tokenizes the chosen column only as far as the passage goes.
*/
#ifndef GAZETTE_SEARCH_PASSAGE_H
#define GAZETTE_SEARCH_PASSAGE_H

#include <sqlite3.h>

/* Makes match_passage(fts_table, open, close, ellipsis, ntokens) known to
** connection h. For the current match it returns about ntokens (at most
** 64) tokens of one column: the column holding the most distinct words
** of the query (the later column on a tie), from two tokens before the
** query's words gather most within ntokens; each matched token between
** open and close, ellipsis where the column's text goes on before or
** after. Returns SQLITE_OK or an SQLite error code. */
int search_passage_register(sqlite3 *h);

#endif
