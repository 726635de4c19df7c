/*
** search_rank.c: match_rank, bm25 without the rarity of words (see
** search_rank.h).
*/
#include "search_rank.h"

#include <stddef.h>

enum { RANK_MAX_COLUMNS = 8 };

/* bm25's constants: how soon more occurrences stop counting (K1), and how
** much a long column dilutes them (B). */
static const double K1 = 1.2, B = 0.75;

/* Occurrences of one phrase counted in one column: past this many, bm25's
** saturation changes a score by under 2%, and a text of 100,000 times the
** same word is not read to its end for each match ranked. */
enum { RANK_MAX_HITS = 64 };

/* Counts the occurrences of the query's phrases in each column of the
** current row into hits (ncol entries), each phrase at most RANK_MAX_HITS
** times in a column: a phrase's places are read in order of column, and
** left once its last column has them all. (xInstCount would merge the
** places of every phrase, a cost of the phrases times their places.)
** Returns an SQLite code. */
static int rank_hits(const Fts5ExtensionApi *api, Fts5Context *fts, int ncol, int *hits) {
  int phrases = api->xPhraseCount(fts);
  for (int p = 0; p < phrases; p++) {
    int mine[RANK_MAX_COLUMNS] = {0};
    Fts5PhraseIter it;
    int col, off;
    int rc = api->xPhraseFirst(fts, p, &it, &col, &off);
    if (rc != SQLITE_OK) return rc;
    for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
      if (col >= ncol) break;
      if (mine[col] < RANK_MAX_HITS) mine[col]++;
      else if (col == ncol - 1) break;
    }
    for (int c = 0; c < ncol; c++) hits[c] += mine[c];
  }
  return SQLITE_OK;
}

/* match_rank(table, w0, w1, ...): minus the sum over columns of the
** column's weight (1 when not given) times its saturated, length-
** normalised count of occurrences. */
static void match_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *out,
                       int nval, sqlite3_value **vals) {
  int ncol = api->xColumnCount(fts);
  if (ncol > RANK_MAX_COLUMNS) ncol = RANK_MAX_COLUMNS;
  int hits[RANK_MAX_COLUMNS] = {0};
  sqlite3_int64 rows = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = rank_hits(api, fts, ncol, hits);
  double score = 0;
  for (int c = 0; rc == SQLITE_OK && c < ncol; c++) {
    if (!hits[c]) continue;
    sqlite3_int64 total = 0;
    int len = 0;
    rc = api->xColumnTotalSize(fts, c, &total);
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, c, &len);
    double avg = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
    double w = c < nval ? sqlite3_value_double(vals[c]) : 1.0;
    double tf = hits[c];
    score += w * tf * (K1 + 1) / (tf + K1 * (1 - B + B * (double)len / avg));
  }
  if (rc != SQLITE_OK) sqlite3_result_error_code(out, rc);
  else sqlite3_result_double(out, -score);
}

fts5_api *search_fts5_api(sqlite3 *h) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

int search_rank_register(sqlite3 *h) {
  fts5_api *api = search_fts5_api(h);
  if (!api) return SQLITE_ERROR;
  return api->xCreateFunction(api, "match_rank", NULL, match_rank, NULL);
}
