/*
** pagecache.h: each worker's cache of public pages.
**
** Readers' pages do not depend on who reads them, so a worker keeps the
** answers it rendered and serves them again until the database changes
** (any connection's write changes its version) or the entry's time runs
** out (set so that a scheduled article appears on time). The cache is
** owned by one thread: nothing in it is shared.
*/
#ifndef GAZETTE_PAGECACHE_H
#define GAZETTE_PAGECACHE_H

#include <time.h>

#include "db.h"
#include "response.h"

typedef struct pagecache pagecache;

/* Returns a new, empty cache. */
pagecache *pagecache_new(void);

/* Frees the cache and everything in it. */
void pagecache_free(pagecache *pc);

/* Brings the cache up to date with the database d at time now: empties it
** when d has changed since the last call (and then sets *changed, if
** given). Returns 0, or -1 when the version cannot be read (the cache is
** then bypassed). */
int pagecache_sync(pagecache *pc, db *d, time_t now, int *changed);

/* Returns the cached answer for key (the raw request URI), or NULL. */
const response *pagecache_get(pagecache *pc, const char *key, time_t now);

/* Keeps a copy of res for key until the database changes or until
** expires, whichever comes first. Bodies over the size limit are not
** kept. */
void pagecache_put(pagecache *pc, const char *key, const response *res,
                   time_t expires);

/* Returns the time until which a page rendered now stays right although
** the database does not change: the next scheduled publication, capped at
** now + 300 s. */
time_t pagecache_horizon(pagecache *pc);

#endif
