/*
** purge_queue.h: the queue of purges for shared caches (sql/018_purges.sql)
** and the index of the keys the server's own nginx may hold.
**
** The change log (changes.h) says which cache tags changed; purge_enqueue
** turns each into one purge per cache ("target": "nginx" or an edge's
** host:port), coalescing with a purge of the same tag still waiting. The
** purger thread (http/purger.c) sends what is due and notes each outcome;
** a failure is tried again later, with a delay that doubles each time,
** until the answers it would purge have expired anyway. Times are Unix
** milliseconds, except where said.
*/
#ifndef GAZETTE_PURGE_QUEUE_H
#define GAZETTE_PURGE_QUEUE_H

#include <cjson/cJSON.h>

#include "db.h"

enum {
  PURGE_TAG_MAX = 80,        /* bytes of a cache tag, with its NUL */
  PURGE_ERROR_MAX = 200,     /* bytes of a failure kept */
  PURGE_RETRY_FIRST_MS = 250,
  PURGE_RETRY_MAX_MS = 30000,
  PURGE_REPEAT_RECENT_MS = 3000,  /* a hard change older than this is sent once */
  FIGURES_MARGIN_MS = 2000,       /* a vote's time to its commit, at most (sql/036) */
};

/* How the changes read are turned into purges. */
typedef struct purge_plan {
  const char *const *targets;  /* the caches to tell */
  int ntargets;
  long long now_ms;
  /* When set, the time is read again once the transaction has begun (its
  ** snapshot is then taken): every change read was committed before it,
  ** so an answer built before one of them started before it too. */
  long long (*clock_ms)(void);
  long long soft_delay_ms;     /* a change of figures (a vote) waits this long */
  /* The target whose keys are indexed (cache_key_record), or NULL: a
  ** change of figures is queued for it only when a key it was given
  ** carries the tag (sql/036). */
  const char *keyed_target;
  long long repeat_ms;         /* a recent hard change is sent again this much later */
  int max_changes;             /* changes read in one call */
} purge_plan;

/* In one transaction: logs as changes the scheduled publications whose
** time came since the last call (so that the caches learn of them like
** any other publication), reads up to plan->max_changes changes after the
** queue's cursor, queues their purges (see above; when the log was pruned
** before the cursor reached it, a purge of "site", which every answer
** carries) and moves the cursor past them. Sets *cursor to the last
** change queued and *more when more changes wait. Returns STORE_OK or
** STORE_ERROR. */
int purge_enqueue(db *d, const purge_plan *plan, long long *cursor, int *more);

/* Sets *seq to the last change queued. Returns STORE_OK or STORE_ERROR. */
int purge_cursor(db *d, long long *seq);

/* One purge to send. */
typedef struct purge_item {
  long long id;
  char tag[PURGE_TAG_MAX];
  int round;
  int attempts;
  long long created_ms;
  long long changed_ms;  /* when the latest change it carries was read */
} purge_item;

/* Fills items with up to max purges for target that are due at now_ms,
** the longest waiting first. Returns how many, or STORE_ERROR. */
int purge_due(db *d, const char *target, long long now_ms, purge_item *items, int max);

/* Notes that purge id was sent at now_ms. Returns STORE_OK or STORE_ERROR. */
int purge_sent(db *d, long long id, long long now_ms);

/* Notes a failed attempt (error, one line) of purge it at now_ms: it is
** tried again after a delay doubling with each attempt, from
** PURGE_RETRY_FIRST_MS to PURGE_RETRY_MAX_MS, or given up (state
** "failed") once it has waited give_up_ms since it was queued. Returns
** STORE_OK or STORE_ERROR. */
int purge_retry(db *d, const purge_item *it, long long now_ms, long long give_up_ms,
                const char *error);

/* Sets *due_ms to when the next pending purge is due, 0 when none is
** waiting. Returns STORE_OK or STORE_ERROR. */
int purge_next_due(db *d, long long *due_ms);

/* Gives up the pending purges of every target not among targets[0..n)
** (an edge taken out of the settings). Returns STORE_OK or STORE_ERROR. */
int purge_drop_others(db *d, const char *const *targets, int n, long long now_ms);

/* Deletes the purges sent before sent_before_ms and those given up before
** failed_before_ms, and the keys recorded before keys_before_ms. Returns
** STORE_OK or STORE_ERROR. */
int purge_prune(db *d, long long sent_before_ms, long long failed_before_ms,
                long long keys_before_ms);

/* Logs a change of "site", which every shared answer carries: every cache
** forgets everything (the newsroom's "purge everything"). Returns
** STORE_OK or STORE_ERROR. */
int purge_everything(db *d);

/* Adds to out what the newsroom shows of the queue at now_ms: targets
** [{target, pending, oldest_ms, attempts, sent_hour, delay_avg_ms,
** delay_max_ms, last_sent_ms, failed_day, last_error}] for each target
** named in targets or still holding a purge (a delay is from when a purge
** was first due to when it was sent, over the last hour), and recent
** [{target, tag, round, state, attempts, created_ms, asked_ms, done_ms,
** error}], newest first (at most 30). Returns STORE_OK or STORE_ERROR. */
int purge_status(db *d, const char *const *targets, int n, long long now_ms, cJSON *out);

/* ---- the keys nginx may hold ------------------------------------------ */

enum { CACHE_KEY_MAX = 4096, CACHE_KEY_TAGS_MAX = 128 };

/* Notes that nginx (the purges' target named target) may keep key from
** now_ms: an answer to a request that began at built_ms (it shows every
** change made before), built from tags (space-separated; at most
** CACHE_KEY_TAGS_MAX are kept, the first ones, and "site" always). An
** answer recorded again replaces the key's tags. When a purge of one of
** its tags was already sent for a change read after built_ms (the record
** came late), sets *stale_id to the key's id, to purge it at once; else to
** 0. When an article of its tags ("article-N") had its figures changed
** after built_ms, or less than FIGURES_MARGIN_MS before it (the vote's
** time is taken before its commit), queues the purge the queue may have
** passed by, nginx holding no page of it then (sql/036): due
** soft_delay_ms after the change, as the vote's would have been, and
** lowers *due_ms (0: none yet) to that time, for the caller to send it
** then. Returns STORE_OK or STORE_ERROR. */
int cache_key_record(db *d, const char *key, const char *tags, long long built_ms,
                     long long now_ms, const char *target, long long soft_delay_ms,
                     long long *stale_id, long long *due_ms);

/* One key to purge. */
typedef struct cache_key {
  long long id;
  char key[CACHE_KEY_MAX];
} cache_key;

/* Fills out with up to max keys tagged tag whose id is above after_id, in
** order of id, that may hold an answer older than a change read at
** changed_ms: built before it, and not purged since nginx was given it
** (a purge sent less than lookback_ms after that may have come before the
** answer reached nginx, and does not count). Returns how many, or
** STORE_ERROR. */
int cache_key_list(db *d, const char *tag, long long after_id, long long changed_ms,
                   long long lookback_ms, cache_key *out, int max);

/* Notes that key id was purged at now_ms. Returns STORE_OK or STORE_ERROR. */
int cache_key_purged(db *d, long long id, long long now_ms);

#endif
