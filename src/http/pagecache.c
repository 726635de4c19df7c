/*
** pagecache.c: per-worker cache of public pages (see pagecache.h).
*/
#include "pagecache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
  PAGECACHE_SLOTS = 512,
  PAGECACHE_MAX_BODY = 512 * 1024,
  PAGECACHE_MAX_TTL = 300,
  PAGECACHE_MAX_BYTES = 32 * 1024 * 1024, /* all bodies of one worker */
};

typedef struct entry {
  char *key;       /* NULL: empty slot */
  response res;
  time_t expires;
} entry;

struct pagecache {
  int synced;
  int64_t data_version;   /* PRAGMA data_version: other connections' writes */
  int64_t own_changes;    /* sqlite3_total_changes: this connection's */
  time_t horizon;         /* next scheduled publication, capped */
  size_t bytes;           /* body bytes held */
  entry slot[PAGECACHE_SLOTS];
};

static const char SQL_VERSION[] = "PRAGMA data_version";
static const char SQL_NEXT_SCHEDULED[] =
    "SELECT min(published_at) FROM articles"
    " WHERE status IN ('published', 'scheduled') AND published_at > ?1";

pagecache *pagecache_new(void) {
  pagecache *pc = calloc(1, sizeof *pc);
  if (!pc) abort();
  return pc;
}

/* Empties one slot. */
static void entry_clear(pagecache *pc, entry *e) {
  pc->bytes -= e->res.body.len;
  free(e->key);
  response_free(&e->res);
  memset(e, 0, sizeof *e);
}

/* Empties every slot. */
static void pagecache_clear(pagecache *pc) {
  for (int i = 0; i < PAGECACHE_SLOTS; i++)
    if (pc->slot[i].key) entry_clear(pc, &pc->slot[i]);
}

void pagecache_free(pagecache *pc) {
  if (!pc) return;
  pagecache_clear(pc);
  free(pc);
}

/* Reads the next scheduled publication after now into pc->horizon. */
static int pagecache_read_horizon(pagecache *pc, db *d, time_t now) {
  sqlite3_stmt *st = db_prepare(d, SQL_NEXT_SCHEDULED);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, now);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    return -1;
  }
  time_t cap = now + PAGECACHE_MAX_TTL;
  time_t next = sqlite3_column_type(st, 0) == SQLITE_NULL
                    ? cap : (time_t)sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  pc->horizon = next < cap ? next : cap;
  return 0;
}

int pagecache_sync(pagecache *pc, db *d, time_t now, int *changed) {
  sqlite3_stmt *st = db_prepare(d, SQL_VERSION);
  if (!st || sqlite3_step(st) != SQLITE_ROW) {
    if (st) sqlite3_reset(st);
    pagecache_clear(pc);
    pc->synced = 0;
    return -1;
  }
  int64_t version = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  int64_t changes = sqlite3_total_changes64(d->h);
  if (!pc->synced || version != pc->data_version || changes != pc->own_changes ||
      now >= pc->horizon) {
    if (changed && (!pc->synced || version != pc->data_version ||
                    changes != pc->own_changes))
      *changed = 1;
    pagecache_clear(pc);
    pc->data_version = version;
    pc->own_changes = changes;
    pc->synced = pagecache_read_horizon(pc, d, now) == 0;
    if (!pc->synced) return -1;
  }
  return 0;
}

/* Returns the slot index for key (FNV-1a). */
static int pagecache_index(const char *key) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++)
    h = (h ^ *p) * 16777619u;
  return (int)(h % PAGECACHE_SLOTS);
}

const response *pagecache_get(pagecache *pc, const char *key, time_t now) {
  if (!pc->synced) return NULL;
  entry *e = &pc->slot[pagecache_index(key)];
  if (!e->key || strcmp(e->key, key) != 0) return NULL;
  if (now >= e->expires) {
    entry_clear(pc, e);
    return NULL;
  }
  return &e->res;
}

void pagecache_put(pagecache *pc, const char *key, const response *res,
                   time_t expires) {
  if (!pc->synced || res->body.len > PAGECACHE_MAX_BODY) return;
  entry *e = &pc->slot[pagecache_index(key)];
  entry_clear(pc, e);
  /* Bounded memory whatever addresses are asked for: start afresh. */
  if (pc->bytes + res->body.len > PAGECACHE_MAX_BYTES) pagecache_clear(pc);
  e->key = strdup(key);
  if (!e->key) abort();
  e->res.status = res->status;
  e->res.content_type = res->content_type;
  e->res.cache = res->cache;
  memcpy(e->res.etag, res->etag, sizeof e->res.etag);
  buf_append(&e->res.headers, buf_str(&res->headers), res->headers.len);
  buf_append(&e->res.body, buf_str(&res->body), res->body.len);
  pc->bytes += res->body.len;
  e->expires = expires;
}

time_t pagecache_horizon(pagecache *pc) { return pc->horizon; }
