/*
** archive.h: a generated archive the size of a real newsroom's, for the
** benchmark and for the tests that check query plans: articles in English
** and Arabic over several years, with sections, tags, authors, threaded
** comments and votes, skewed as real ones are (a few articles draw most
** of the comments and votes, a few tags most of the articles). It is
** written through the real schema with every invariant kept: the search
** index (by its triggers), the articles' counters (equal to their votes
** and approved comments, as `gazette check` verifies), threads whose
** replies answer approved comments of the same article. The same seed
** makes the same archive.
*/
#ifndef GAZETTE_ARCHIVE_H
#define GAZETTE_ARCHIVE_H

#include <stdio.h>
#include <time.h>

#include "db.h"

/* What to make. */
typedef struct archive_spec {
  long articles;        /* e.g. 100000 */
  long comments;        /* in all, e.g. 10 per article */
  long votes;           /* in all, e.g. 100 per article */
  long hot_comments;    /* the comments of the most discussed article */
  int categories;       /* sections */
  int tags;
  int authors;
  unsigned long long seed;
  time_t now;           /* the newest articles are a day older than this */
} archive_spec;

/* Fills spec with the proportions of a real newsroom for n articles:
** 10 comments and 100 votes an article, one article with half of a
** percent of the comments... Seed 1. */
void archive_default(archive_spec *spec, long n, time_t now);

/* Writes the archive into the empty database d (its schema current),
** committing in batches and writing a progress line to progress (may be
** NULL). Returns 0, or -1 with a reason in err (the database may then
** hold part of the archive: start again from an empty one). */
int archive_generate(db *d, const archive_spec *spec, FILE *progress, char *err,
                     size_t errlen);

#endif
