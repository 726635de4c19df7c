/*
** changes.h: the log of what changed, by cache tag (sql/008_changes.sql).
** Triggers note each change inside the transaction that makes it, so a
** change is seen exactly when its write is; caches read the log to drop
** what was built from the things that changed.
*/
#ifndef GAZETTE_CHANGES_H
#define GAZETTE_CHANGES_H

#include <time.h>

#include "db.h"

/* Called for each change read, in order. */
typedef void (*change_fn)(void *ud, long long seq, const char *tag, int soft);

/* Calls fn for every change after seq, in order, and sets *last to the
** newest seq seen (seq when none). Sets *gap when changes after seq were
** pruned before they were read (the reader must then forget everything).
** Returns 0 or -1. */
int change_read(db *d, long long seq, change_fn fn, void *ud, long long *last, int *gap);

/* Returns the newest seq in the log (0 when it is empty), or -1. */
long long change_last(db *d);

/* Returns the newest change after seq that is more than figures (soft
** 0), 0 when every change after seq is figures only or there is none, or
** -1: one seek in the index of hard changes (changes_hard). */
long long change_last_hard(db *d, long long seq);

/* Sets *t to when any of tags (space-separated: "site article-12") last
** changed, beyond figures only (sql/010_change_times.sql); 0 when none
** has. Returns 0 or -1. */
int change_time(db *d, const char *tags, long long *t);

/* Deletes the changes noted before before. Returns 0 or -1. */
int change_prune(db *d, time_t before);

#endif
