/*
** guard.h: per-address counters behind the guards against ballot stuffing
** (distinct new voters per article and day) and comment floods (comments
** per hour, time since the last). One row per address and kind, read and
** written inside the caller's transaction.
*/
#ifndef GAZETTE_GUARD_H
#define GAZETTE_GUARD_H

#include <time.h>

#include "db.h"

/* What a counter counts, and over which window. */
typedef enum { GUARD_VOTE, GUARD_COMMENT } guard_kind;

/* The state of one counter in its current window. */
typedef struct guard_state {
  long count;         /* events in the current window */
  long long last_at;  /* time of the latest event, 0 when none */
  long long window;   /* start of the current window */
} guard_state;

/* Reads the counter for kind and the address hash ip (16 bytes), with
** article for votes (0 for comments), as of now. Returns 0 or -1. */
int guard_read(db *d, guard_kind kind, const unsigned char ip[16], long article,
               time_t now, guard_state *out);

/* Counts one more event now. Returns 0 or -1. */
int guard_count(db *d, guard_kind kind, const unsigned char ip[16], long article,
                time_t now);

/* Deletes counters whose window ended more than two days before now. */
int guard_expire(db *d, time_t now);

#endif
