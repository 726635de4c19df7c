/*
** purger.h: the thread of gazette serve that tells shared caches what
** changed.
**
** It reads the change log into the purge queue (store/purge_queue.h) and
** sends what is due: to the server's own nginx (the cache_nginx setting,
** its purge socket) one PURGE per cache key, found in the index of keys
** the workers record as they answer nginx; to each edge (the cache_edges
** setting, Varnish with the xkey module) one PURGE naming the tags in an
** xkey-purge header. nginx is told before the edges, so that an edge
** fetching again gets the new answer. A failed purge is tried again with
** growing delays. Workers call purger_record, purger_wake and
** purger_wait, which take the purger's mutex; everything else is the
** thread's own.
*/
#ifndef GAZETTE_PURGER_H
#define GAZETTE_PURGER_H

#include <stddef.h>

typedef struct purger purger;

/* Starts the purger thread on the database at db_path. Returns it, or
** NULL with a reason in err. */
purger *purger_start(const char *db_path, char *err, size_t errlen);

/* Stops the thread (after the cycle under way and one last one, so that
** what was committed before the stop is purged now) and frees p. NULL is
** ignored. */
void purger_stop(purger *p);

/* Notes, for the index of nginx's keys, that nginx may keep the answer
** under key, built from tags (space-separated) for a request that began
** at built_ms (Unix ms). Returns 0, or -1 when nginx must not keep it:
** gazette is not told how to purge that nginx (no cache_nginx setting),
** or too many records wait already. */
int purger_record(purger *p, const char *key, const char *tags, long long built_ms);

/* Wakes the thread to look at the change log now. */
void purger_wake(purger *p);

/* Waits, at most timeout_ms, until the changes up to seq have been purged
** from the server's own nginx, so that the writer's next page is fresh.
** Returns at once when no nginx is to be purged or the last purge of it
** failed. */
void purger_wait(purger *p, long long seq, int timeout_ms);

/* Waits, at most timeout_ms, until the changes logged before the purger
** started (while the server was down, say) have been purged from the
** server's own nginx: the server's first answers are then current. */
void purger_catch_up(purger *p, int timeout_ms);

#endif
