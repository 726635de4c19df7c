/*
** search_passage.c: match_passage, a search result's passage chosen from
** the index's positions (see search_passage.h).
*/
#include "search_passage.h"

#include <stdlib.h>

#include "search_rank.h"

enum {
  PASSAGE_MAX_TOKENS = 64,  /* the longest passage asked for */
  PASSAGE_MAX_HITS = 256,   /* matched words weighed in one column */
  PASSAGE_MAX_COLUMNS = 16, /* columns weighed */
  PASSAGE_LEAD = 2          /* tokens shown before the first word */
};

/* A matched phrase in the chosen column: its first token, its length in
** tokens, which phrase of the query it is. */
typedef struct hit {
  int off, len, phrase;
} hit;

/* The state of one passage while its column is tokenized. */
typedef struct passage {
  const char *text;  /* the column's text */
  int from, to;      /* the tokens shown: [from, to) */
  const hit *hits;   /* the column's matched phrases, by position */
  int nhits, at;     /* their number; the first not yet behind */
  int token;         /* the number of the next token */
  int copied;        /* bytes of text written (or skipped) so far */
  int more;          /* 1 when a token follows the passage */
  const char *open, *close;
  sqlite3_str *out;
} passage;

/* Orders hits by position. */
static int hit_cmp(const void *a, const void *b) {
  const hit *x = a, *y = b;
  return (x->off > y->off) - (x->off < y->off);
}

/* Returns the column holding the most distinct phrases of the query (the
** later on a tie; the last when none does), or -1 on an error. */
static int passage_column(const Fts5ExtensionApi *api, Fts5Context *fts, int ncol) {
  unsigned long long seen[PASSAGE_MAX_COLUMNS] = {0};
  int n = 0, best = ncol - 1, best_n = 0;
  if (api->xInstCount(fts, &n) != SQLITE_OK) return -1;
  for (int i = 0; i < n; i++) {
    int phrase, col, off;
    if (api->xInst(fts, i, &phrase, &col, &off) != SQLITE_OK) return -1;
    if (col >= 0 && col < ncol) seen[col] |= 1ULL << (phrase & 63);
  }
  for (int c = 0; c < ncol; c++) {
    int k = __builtin_popcountll(seen[c]);
    if (k && k >= best_n) best = c, best_n = k;
  }
  return best;
}

/* Fills hits with column col's matched phrases, by position; returns how
** many (at most PASSAGE_MAX_HITS) or -1 on an error. */
static int passage_hits(const Fts5ExtensionApi *api, Fts5Context *fts, int col, hit *hits) {
  int n = 0, k = 0;
  if (api->xInstCount(fts, &n) != SQLITE_OK) return -1;
  for (int i = 0; i < n && k < PASSAGE_MAX_HITS; i++) {
    int phrase, c, off;
    if (api->xInst(fts, i, &phrase, &c, &off) != SQLITE_OK) return -1;
    if (c != col) continue;
    int len = api->xPhraseSize(fts, phrase);
    hits[k++] = (hit){.off = off, .len = len > 0 ? len : 1, .phrase = phrase};
  }
  qsort(hits, (size_t)k, sizeof *hits, hit_cmp);
  return k;
}

/* Returns the first token of the window of ntok tokens, starting up to
** PASSAGE_LEAD before a hit (less when the hit's phrase would not fit
** whole), that holds the most distinct phrases (the earliest such); 0 when
** there are no hits. */
static int passage_start(const hit *hits, int n, int ntok) {
  int best = 0, best_n = 0;
  for (int i = 0; i < n; i++) {
    int lead = ntok - hits[i].len < PASSAGE_LEAD ? ntok - hits[i].len : PASSAGE_LEAD;
    if (lead < 0) lead = 0;
    int from = hits[i].off > lead ? hits[i].off - lead : 0;
    unsigned long long seen = 1ULL << (hits[i].phrase & 63);
    for (int j = i + 1; j < n && hits[j].off < from + ntok; j++)
      if (hits[j].off + hits[j].len <= from + ntok) seen |= 1ULL << (hits[j].phrase & 63);
    int k = __builtin_popcountll(seen);
    if (k > best_n) best = from, best_n = k;
  }
  return best;
}

/* The tokenizer's callback: writes the text of each token of the passage
** (and what lies between them), the matched ones marked; stops the
** tokenizer (SQLITE_DONE) at the first token after it. */
static int passage_token(void *ud, int flags, const char *tok, int ntok, int start, int end) {
  passage *p = ud;
  (void)tok;
  (void)ntok;
  if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  int i = p->token++;
  if (i < p->from) return SQLITE_OK;
  if (i >= p->to) {
    p->more = 1;
    return SQLITE_DONE;
  }
  if ((i == p->from && i > 0) || start < p->copied) p->copied = start;
  if (end < start) end = start;
  while (p->at < p->nhits && p->hits[p->at].off + p->hits[p->at].len <= i) p->at++;
  int marked = p->at < p->nhits && p->hits[p->at].off <= i;
  sqlite3_str_append(p->out, p->text + p->copied, start - p->copied);
  if (marked) sqlite3_str_appendall(p->out, p->open);
  sqlite3_str_append(p->out, p->text + start, end - start);
  if (marked) sqlite3_str_appendall(p->out, p->close);
  p->copied = end;
  return SQLITE_OK;
}

/* match_passage(table, open, close, ellipsis, ntokens): see
** search_passage.h. */
static void match_passage(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *out,
                          int nval, sqlite3_value **vals) {
  if (nval != 4) {
    sqlite3_result_error(out, "match_passage: open, close, ellipsis and ntokens", -1);
    return;
  }
  int ncol = api->xColumnCount(fts), ntok = sqlite3_value_int(vals[3]);
  if (ncol > PASSAGE_MAX_COLUMNS) ncol = PASSAGE_MAX_COLUMNS;
  if (ntok < 1 || ntok > PASSAGE_MAX_TOKENS) ntok = ntok < 1 ? 1 : PASSAGE_MAX_TOKENS;
  hit hits[PASSAGE_MAX_HITS];
  int col = passage_column(api, fts, ncol);
  int nhits = col < 0 ? -1 : passage_hits(api, fts, col, hits);
  const char *text = NULL;
  int len = 0;
  if (nhits < 0 || api->xColumnText(fts, col, &text, &len) != SQLITE_OK) {
    sqlite3_result_error_code(out, SQLITE_ERROR);
    return;
  }
  const char *ellipsis = (const char *)sqlite3_value_text(vals[2]);
  passage p = {.text = text ? text : "", .hits = hits, .nhits = nhits,
               .open = (const char *)sqlite3_value_text(vals[0]),
               .close = (const char *)sqlite3_value_text(vals[1]),
               .out = sqlite3_str_new(NULL)};
  if (!p.open) p.open = "";
  if (!p.close) p.close = "";
  p.from = passage_start(hits, nhits, ntok);
  p.to = p.from + ntok;
  if (p.from > 0 && ellipsis) sqlite3_str_appendall(p.out, ellipsis);
  int rc = text ? api->xTokenize(fts, text, len, &p, passage_token) : SQLITE_OK;
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (!p.more && text) sqlite3_str_append(p.out, text + p.copied, len - p.copied);
  else if (p.more && ellipsis) sqlite3_str_appendall(p.out, ellipsis);
  if (rc == SQLITE_OK) rc = sqlite3_str_errcode(p.out);
  int n = sqlite3_str_length(p.out);
  char *z = sqlite3_str_finish(p.out);
  if (rc != SQLITE_OK) {
    sqlite3_free(z);
    sqlite3_result_error_code(out, rc);
  } else {
    sqlite3_result_text(out, z ? z : "", z ? n : 0, z ? sqlite3_free : SQLITE_STATIC);
  }
}

int search_passage_register(sqlite3 *h) {
  fts5_api *api = search_fts5_api(h);
  if (!api) return SQLITE_ERROR;
  return api->xCreateFunction(api, "match_passage", NULL, match_passage, NULL);
}
