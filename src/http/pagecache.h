/*
** pagecache.h: each worker's cache of public answers.
**
** Readers' pages and API reads do not depend on who asks, so a worker
** keeps the answers it built and serves them again. Each answer carries
** the cache tags of what it was built from ("article-12", "home", "site";
** response.h); when the change log (changes.h) says a thing changed, the
** answers tagged with it are dropped, and no others. A change of figures
** only (a vote) lets the answers stand for stale_seconds more. Answers
** also expire at the next scheduled publication, so that a scheduled
** article appears on time. The cache is owned by one thread and bounded in
** bytes.
*/
#ifndef GAZETTE_PAGECACHE_H
#define GAZETTE_PAGECACHE_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "response.h"

typedef struct pagecache pagecache;

/* Returns a new, empty cache that keeps at most max_bytes of answers and
** lets answers stand stale_seconds after a soft change. */
pagecache *pagecache_new(size_t max_bytes, int stale_seconds);

/* Frees the cache and everything in it. */
void pagecache_free(pagecache *pc);

/* Brings the cache up to date with the database d at time now: applies
** the changes logged since the last call (setting *site_changed when the
** site's settings or navigation changed) and drops what expired. Returns
** 0, or -1 when the database cannot be read (the cache is then emptied and
** bypassed until a later call succeeds). */
int pagecache_sync(pagecache *pc, db *d, time_t now, int *site_changed);

/* Returns the cached answer for key (the raw request URI), or NULL. */
const response *pagecache_get(pagecache *pc, const char *key, time_t now);

/* Keeps a copy of res (with its tags) for key until something it was
** built from changes or until the next scheduled publication. Answers
** over the size limit, and streamed answers (whose body is not in memory),
** are not kept. */
void pagecache_put(pagecache *pc, const char *key, const response *res, time_t now);

/* Changes the limits (settings the site may change while it runs). */
void pagecache_limits(pagecache *pc, size_t max_bytes, int stale_seconds);

/* Returns the number of answers kept and their bytes (for tests). */
size_t pagecache_count(const pagecache *pc, size_t *bytes);

#endif
