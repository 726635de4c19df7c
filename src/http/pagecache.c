/*
** pagecache.c: per-worker cache of public answers, dropped by what
** changed (see pagecache.h).
*/
#include "pagecache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "store.h"

enum {
  PAGECACHE_SLOTS = 512,
  PAGECACHE_MAX_BODY = 512 * 1024,
  PAGECACHE_MAX_TTL = 300,   /* seconds: a bound whatever happens */
  PAGECACHE_MAX_TAGS = 64,   /* an answer with more is tagged "site" only */
  PAGECACHE_BATCH = 256,     /* changes applied in one pass */
};

typedef struct entry {
  char *key;       /* NULL: empty slot */
  response res;
  time_t expires;
  uint64_t tags[PAGECACHE_MAX_TAGS];
  int ntags;
} entry;

struct pagecache {
  int synced;
  int64_t data_version;   /* PRAGMA data_version: other connections' writes */
  int64_t own_changes;    /* sqlite3_total_changes: this connection's */
  int64_t schema;         /* PRAGMA schema_version */
  long long seq;          /* the last change applied */
  time_t horizon;         /* next scheduled publication, capped */
  time_t now;             /* of the sync being applied */
  int horizon_stale;      /* an article changed: read the horizon again */
  size_t bytes, max_bytes;
  int stale_seconds;
  int site_changed;
  /* The changes of one pass: hashes of hard and soft tags. */
  uint64_t hard[PAGECACHE_BATCH], soft[PAGECACHE_BATCH];
  int nhard, nsoft, overflow;
  entry slot[PAGECACHE_SLOTS];
};

/* Returns the hash of tag s[0..n) (FNV-1a, 64 bits). */
static uint64_t tag_hash(const char *s, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

pagecache *pagecache_new(size_t max_bytes, int stale_seconds) {
  pagecache *pc = calloc(1, sizeof *pc);
  if (!pc) abort();
  pc->max_bytes = max_bytes;
  pc->stale_seconds = stale_seconds;
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

/* Returns 1 when hash h is among hs[0..n). */
static int hash_in(const uint64_t *hs, int n, uint64_t h) {
  for (int i = 0; i < n; i++)
    if (hs[i] == h) return 1;
  return 0;
}

/* Applies the changes gathered in this pass to every entry. */
static void pagecache_apply(pagecache *pc) {
  for (int i = 0; i < PAGECACHE_SLOTS; i++) {
    entry *e = &pc->slot[i];
    if (!e->key) continue;
    int hard = 0, soft = 0;
    for (int t = 0; t < e->ntags && !hard; t++) {
      hard = hash_in(pc->hard, pc->nhard, e->tags[t]);
      soft |= hash_in(pc->soft, pc->nsoft, e->tags[t]);
    }
    if (hard) entry_clear(pc, e);
    else if (soft && e->expires > pc->now + pc->stale_seconds)
      e->expires = pc->now + pc->stale_seconds;
  }
  pc->nhard = pc->nsoft = 0;
}

/* Notes one change of the log (a change_fn). */
static void pagecache_change(void *ud, long long seq, const char *tag, int soft) {
  pagecache *pc = ud;
  (void)seq;
  if (strcmp(tag, "site") == 0) pc->site_changed = 1;
  /* A change of figures alone (soft: a vote) moves no publication. */
  if ((!soft && strncmp(tag, "article-", 8) == 0) || strcmp(tag, "site") == 0)
    pc->horizon_stale = 1;
  uint64_t h = tag_hash(tag, strlen(tag));
  uint64_t *list = soft ? pc->soft : pc->hard;
  int *n = soft ? &pc->nsoft : &pc->nhard;
  if (hash_in(list, *n, h)) return;
  if (*n == PAGECACHE_BATCH) pagecache_apply(pc);
  list[(*n)++] = h;
}

/* Reads the next scheduled publication after now into pc->horizon. */
static int pagecache_read_horizon(pagecache *pc, db *d, time_t now) {
  long long next = 0;
  if (article_next_publication(d, now, &next) != STORE_OK) return -1;
  time_t cap = now + PAGECACHE_MAX_TTL;
  pc->horizon = next > 0 && next < cap ? (time_t)next : cap;
  pc->horizon_stale = 0;
  /* A publication scheduled sooner than before ends what is kept then. */
  for (int i = 0; i < PAGECACHE_SLOTS; i++)
    if (pc->slot[i].key && pc->slot[i].expires > pc->horizon) pc->slot[i].expires = pc->horizon;
  return 0;
}

/* Forgets everything and starts again from the log's end. */
static int pagecache_restart(pagecache *pc, db *d, time_t now) {
  pagecache_clear(pc);
  pc->site_changed = 1;
  pc->seq = change_last(d);
  if (db_schema_cookie(d, &pc->schema) != 0) return -1;
  pc->synced = pc->seq >= 0 && pagecache_read_horizon(pc, d, now) == 0;
  return pc->synced ? 0 : -1;
}

/* Reads and applies the changes logged since pc->seq; a change of the
** schema (an upgrade, a repair by hand) forgets everything. */
static int pagecache_follow(pagecache *pc, db *d, time_t now) {
  int gap = 0;
  int64_t schema;
  if (db_schema_cookie(d, &schema) != 0) return -1;
  if (schema != pc->schema) return pagecache_restart(pc, d, now);
  pc->now = now;
  if (change_read(d, pc->seq, pagecache_change, pc, &pc->seq, &gap) != 0) return -1;
  if (gap) return pagecache_restart(pc, d, now);
  pagecache_apply(pc);
  return 0;
}

int pagecache_sync(pagecache *pc, db *d, time_t now, int *site_changed) {
  int64_t version;
  pc->site_changed = 0;
  if (db_data_version(d, &version) != 0) {
    pagecache_clear(pc);
    pc->synced = 0;
    return -1;
  }
  int64_t changes = sqlite3_total_changes64(d->h);
  int rc = 0;
  if (!pc->synced) {
    rc = pagecache_restart(pc, d, now);
  } else if (version != pc->data_version || changes != pc->own_changes) {
    rc = pagecache_follow(pc, d, now);
  }
  if (rc == 0 && (now >= pc->horizon || pc->horizon_stale))
    rc = pagecache_read_horizon(pc, d, now);
  if (rc != 0) {
    pagecache_clear(pc);
    pc->synced = 0;
    return -1;
  }
  pc->data_version = version;
  pc->own_changes = changes;
  if (site_changed) *site_changed = pc->site_changed;
  return 0;
}

/* Returns the slot index for key (FNV-1a). */
static int pagecache_index(const char *key) {
  return (int)(tag_hash(key, strlen(key)) % PAGECACHE_SLOTS);
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

/* Fills e's tag hashes from the space-separated tags of res. */
static void entry_tags(entry *e, const response *res) {
  const char *p = buf_str(&res->tags);
  e->ntags = 0;
  while (*p) {
    size_t n = strcspn(p, " ");
    if (n && e->ntags < PAGECACHE_MAX_TAGS) e->tags[e->ntags++] = tag_hash(p, n);
    p += n + (p[n] == ' ');
  }
}

void pagecache_put(pagecache *pc, const char *key, const response *res, time_t now) {
  if (!pc->synced || res->body.len > PAGECACHE_MAX_BODY || res->body.len > pc->max_bytes / 4 ||
      res->producer.produce)
    return;
  entry *e = &pc->slot[pagecache_index(key)];
  entry_clear(pc, e);
  /* Bounded memory whatever addresses are asked for: start afresh. */
  if (pc->bytes + res->body.len > pc->max_bytes) pagecache_clear(pc);
  e->key = strdup(key);
  if (!e->key) abort();
  e->res.status = res->status;
  e->res.content_type = res->content_type;
  e->res.cache = res->cache;
  e->res.last_modified = res->last_modified;
  memcpy(e->res.etag, res->etag, sizeof e->res.etag);
  buf_append(&e->res.headers, buf_str(&res->headers), res->headers.len);
  buf_append(&e->res.body, buf_str(&res->body), res->body.len);
  buf_append(&e->res.tags, buf_str(&res->tags), res->tags.len);
  buf_append(&e->res.frame_src, buf_str(&res->frame_src), res->frame_src.len);
  entry_tags(e, res);
  pc->bytes += res->body.len;
  e->expires = pc->horizon > now ? pc->horizon : now;
}

void pagecache_limits(pagecache *pc, size_t max_bytes, int stale_seconds) {
  if (max_bytes < pc->bytes) pagecache_clear(pc);
  pc->max_bytes = max_bytes;
  pc->stale_seconds = stale_seconds;
}

size_t pagecache_count(const pagecache *pc, size_t *bytes) {
  size_t n = 0;
  for (int i = 0; i < PAGECACHE_SLOTS; i++) n += pc->slot[i].key != NULL;
  if (bytes) *bytes = pc->bytes;
  return n;
}
