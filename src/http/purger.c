/*
** purger.c: the thread that purges shared caches (see purger.h).
*/
#include "purger.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "changes.h"
#include "httpc.h"
#include "netaddr.h"
#include "purge_queue.h"
#include "settings.h"
#include "store.h"
#include "timefmt.h"

/* The name of the server's own nginx among the purges' targets. */
#define PURGER_NGINX "nginx"

enum {
  PURGER_TICK_MS = 20,          /* how often the change log is looked at */
  PURGER_INBOX = 4096,          /* records waiting for the index */
  PURGER_BATCH = 256,           /* purges of one target sent in one pass */
  PURGER_KEYS_PAGE = 64,        /* nginx keys read at a time */
  PURGER_TAGS_PER_REQUEST = 48, /* tags named in one request to an edge */
  PURGER_TIMEOUT_MS = 1000,     /* for one request */
  PURGER_REPEAT_MS = 1500,      /* a hard change is purged again this much later */
  PURGER_LOOKBACK_MS = 2000,    /* a purge this soon after a key was given to nginx may
                                   have come before the answer did */
  PURGER_SETTINGS_MS = 1000,    /* the settings are read again this often */
  PURGER_PRUNE_MS = 60000,      /* old purges and keys are deleted this often */
  PURGER_MAX_TARGETS = NETADDR_MAX_LIST + 1,
  PURGER_NAME_MAX = NETADDR_MAX_HOST + 16,
};

/* A cache to purge, and the connection to it. */
typedef struct target {
  char name[PURGER_NAME_MAX];  /* "nginx", or the edge as written in the setting */
  netpeer peer;
  int is_nginx;
  httpc *client;
  int failing;                 /* the last attempt failed (said once in the log) */
} target;

/* A worker's note of an answer nginx may keep. */
typedef struct record {
  char *key, *tags;
  long long built_ms;
} record;

struct purger {
  char *db_path;
  pthread_t tid;
  /* Shared with the workers, under mu. */
  pthread_mutex_t mu;
  pthread_cond_t wake;      /* the thread sleeps on it */
  pthread_cond_t synced;    /* writers waiting for nginx sleep on it */
  int woken, stop;
  record inbox[PURGER_INBOX];
  int ninbox;
  int nginx_on;             /* an nginx is to be purged */
  int nginx_ok;             /* and its last purge went through */
  long long synced_seq;     /* changes up to here are purged from nginx */
  /* The thread's own. */
  db *d;
  target targets[PURGER_MAX_TARGETS];
  int ntargets;
  char *nginx_setting, *edges_setting;
  long long give_up_ms, soft_delay_ms, lookback_ms;
  int64_t data_version;
  long long cursor, next_due_ms, next_publication, settings_ms, pruned_ms;
  long long start_seq;      /* the end of the change log when it started */
  int enqueue_failed;
  purge_item items[PURGER_BATCH];     /* the purges of one pass */
  cache_key keys[PURGER_KEYS_PAGE];   /* nginx's keys of one tag, a page at a time */
};

/* ---- targets ----------------------------------------------------------- */

/* Forgets every target and closes their connections. */
static void purger_targets_clear(purger *p) {
  for (int i = 0; i < p->ntargets; i++) httpc_free(p->targets[i].client);
  p->ntargets = 0;
}

/* Adds a target. Returns 0. */
static int purger_target_add(purger *p, const netpeer *peer, const char *name, size_t len,
                             int is_nginx) {
  if (p->ntargets == PURGER_MAX_TARGETS) return 0;
  target *t = &p->targets[p->ntargets++];
  memset(t, 0, sizeof *t);
  snprintf(t->name, sizeof t->name, "%.*s", (int)(len < sizeof t->name ? len : sizeof t->name - 1),
           name);
  t->peer = *peer;
  t->is_nginx = is_nginx;
  t->client = httpc_new(peer, PURGER_TIMEOUT_MS);
  return 0;
}

/* netpeer_each's callback: adds an edge, once. */
static int purger_edge_add(void *ud, const netpeer *peer, const char *text, size_t len) {
  purger *p = ud;
  for (int i = 0; i < p->ntargets; i++)
    if (strlen(p->targets[i].name) == len && strncmp(p->targets[i].name, text, len) == 0)
      return 0;
  return purger_target_add(p, peer, text, len, 0);
}

/* Builds the targets from the settings nginx and edges (both checked when
** they were saved; a bad one is said in the log and left out). */
static void purger_targets_build(purger *p, const char *nginx, const char *edges) {
  char err[256];
  purger_targets_clear(p);
  if (*nginx) {
    netpeer peer;
    if (netpeer_parse(nginx, strlen(nginx), &peer, err, sizeof err) == 0)
      purger_target_add(p, &peer, PURGER_NGINX, strlen(PURGER_NGINX), 1);
    else
      fprintf(stderr, "gazette: purger: cache_nginx: %s\n", err);
  }
  if (netpeer_each(edges, purger_edge_add, p, err, sizeof err) < 0)
    fprintf(stderr, "gazette: purger: cache_edges: %s\n", err);
}

/* Reads the settings again; rebuilds the targets when they changed. */
static void purger_settings(purger *p, long long now) {
  char *nginx = settings_text(p->d, "cache_nginx");
  char *edges = settings_text(p->d, "cache_edges");
  long max_age = settings_int(p->d, "cache_max_age");
  long revalidate = settings_int(p->d, "cache_stale_revalidate");
  /* Once every answer a purge concerns has expired, it need not be sent. */
  p->give_up_ms = (max_age + revalidate) * 1000LL;
  if (p->give_up_ms < 60000) p->give_up_ms = 60000;
  p->soft_delay_ms = settings_int(p->d, "page_stale_seconds") * 1000LL;
  if (!p->nginx_setting || strcmp(nginx, p->nginx_setting) != 0 ||
      strcmp(edges, p->edges_setting) != 0) {
    purger_targets_build(p, nginx, edges);
    const char *names[PURGER_MAX_TARGETS];
    for (int i = 0; i < p->ntargets; i++) names[i] = p->targets[i].name;
    purge_drop_others(p->d, names, p->ntargets, now);
    free(p->nginx_setting);
    free(p->edges_setting);
    p->nginx_setting = nginx;
    p->edges_setting = edges;
    int on = p->ntargets > 0 && p->targets[0].is_nginx;
    pthread_mutex_lock(&p->mu);
    p->nginx_on = on;
    p->nginx_ok = on;
    pthread_mutex_unlock(&p->mu);
  } else {
    free(nginx);
    free(edges);
  }
  p->settings_ms = now;
}

/* Notes the outcome of an attempt on t, saying in the log when it starts
** or stops failing. */
static void purger_outcome(purger *p, target *t, int ok, const char *err) {
  if (!ok && !t->failing) fprintf(stderr, "gazette: purger: %s: %s\n", t->name, err);
  if (ok && t->failing) fprintf(stderr, "gazette: purger: %s answers again\n", t->name);
  t->failing = !ok;
  if (t->is_nginx) {
    pthread_mutex_lock(&p->mu);
    p->nginx_ok = ok;
    pthread_mutex_unlock(&p->mu);
  }
}

/* ---- the index of nginx's keys ----------------------------------------- */

/* Purges from nginx the key of each record late[0..n) (the key's id in
** ids), answers built before a change whose purge went out before they
** were recorded. */
static void purger_late(purger *p, record *const *late, const long long *ids, int n,
                        long long now) {
  target *t = p->ntargets > 0 && p->targets[0].is_nginx ? &p->targets[0] : NULL;
  char err[256] = "";
  buf header = {0};
  int sent = 0;
  for (; t && sent < n; sent++) {
    buf_reset(&header);
    buf_printf(&header, "X-Purge-Key: %s", late[sent]->key);
    const char *h = buf_str(&header);
    int st = httpc_request(t->client, "PURGE", "/", &h, 1, NULL, err, sizeof err);
    if (st != 200 && st != 404) break;
  }
  buf_free(&header);
  if (sent == 0 || db_begin(p->d) != 0) return;
  for (int i = 0; i < sent; i++) cache_key_purged(p->d, ids[i], now);
  if (db_commit(p->d) != 0) db_rollback(p->d);
}

/* Writes the records the workers left into the index, in one
** transaction, and purges at once those that came too late for a purge
** already sent. */
static void purger_flush(purger *p, long long now) {
  record batch[PURGER_INBOX];
  record *late[PURGER_INBOX];
  long long ids[PURGER_INBOX];
  int nlate = 0;
  pthread_mutex_lock(&p->mu);
  int n = p->ninbox;
  memcpy(batch, p->inbox, (size_t)n * sizeof batch[0]);
  p->ninbox = 0;
  pthread_mutex_unlock(&p->mu);
  if (n == 0) return;
  int ok = db_begin(p->d) == 0;
  long long due = 0; /* the earliest purge of figures the records queued */
  for (int i = 0; i < n && ok; i++) {
    long long stale = 0;
    ok = cache_key_record(p->d, batch[i].key, batch[i].tags, batch[i].built_ms, now,
                          PURGER_NGINX, p->soft_delay_ms, &stale, &due) == STORE_OK;
    if (stale) {
      late[nlate] = &batch[i];
      ids[nlate++] = stale;
    }
  }
  if (ok) ok = db_commit(p->d) == 0;
  /* Sent when due, though no change of the log may come to wake a pass. */
  if (ok && due && (!p->next_due_ms || due < p->next_due_ms)) p->next_due_ms = due;
  if (!ok) {
    db_rollback(p->d);
    nlate = 0;
    fprintf(stderr, "gazette: purger: cannot record %d keys of nginx's cache\n", n);
  }
  if (nlate) purger_late(p, late, ids, nlate, now);
  for (int i = 0; i < n; i++) {
    free(batch[i].key);
    free(batch[i].tags);
  }
}

/* ---- sending ----------------------------------------------------------- */

/* Sends one PURGE to nginx for each key tagged it->tag that may hold an
** answer older than the purge's change (built before it was read), and
** notes each key purged. Returns 0, or -1 with a reason. */
static int purger_nginx_tag(purger *p, target *t, const purge_item *it, long long now,
                            char *err, size_t errlen) {
  cache_key *keys = p->keys;
  long long after = 0;
  buf header = {0};
  int rc = 0;
  for (;;) {
    int n = cache_key_list(p->d, it->tag, after, it->changed_ms, p->lookback_ms, keys,
                           PURGER_KEYS_PAGE);
    if (n < 0) {
      snprintf(err, errlen, "cannot read the keys of %s", it->tag);
      rc = -1;
      break;
    }
    int sent = 0;
    for (; sent < n; sent++) {
      buf_reset(&header);
      buf_printf(&header, "X-Purge-Key: %s", keys[sent].key);
      const char *h = buf_str(&header);
      int st = httpc_request(t->client, "PURGE", "/", &h, 1, NULL, err, errlen);
      if (st != 200 && st != 404) {  /* 404: nginx did not hold it */
        if (st > 0) snprintf(err, errlen, "nginx answered %d to a purge", st);
        rc = -1;
        break;
      }
    }
    if (sent > 0 && db_begin(p->d) == 0) {
      for (int i = 0; i < sent; i++) cache_key_purged(p->d, keys[i].id, now);
      if (db_commit(p->d) != 0) db_rollback(p->d);
    }
    if (rc != 0 || n < PURGER_KEYS_PAGE) break;
    after = keys[n - 1].id;
  }
  buf_free(&header);
  return rc;
}

/* Sends one PURGE naming the tags of items[0..n) to an edge. Returns 0 or
** -1 with a reason. */
static int purger_edge_tags(target *t, const purge_item *items, int n, char *err,
                            size_t errlen) {
  buf header = {0};
  buf_puts(&header, "xkey-purge:");
  for (int i = 0; i < n; i++) buf_printf(&header, " %s", items[i].tag);
  const char *h = buf_str(&header);
  int st = httpc_request(t->client, "PURGE", "/", &h, 1, NULL, err, errlen);
  buf_free(&header);
  if (st == 200) return 0;
  if (st > 0) snprintf(err, errlen, "the edge answered %d to a purge", st);
  return -1;
}

/* Notes the outcome of items[0..n) in one transaction: sent, or failed
** with err (tried again later, or given up). */
static void purger_note(purger *p, const purge_item *items, int n, int ok, long long now,
                        const char *err) {
  if (n == 0 || db_begin(p->d) != 0) return;
  for (int i = 0; i < n; i++) {
    if (ok) purge_sent(p->d, items[i].id, now);
    else purge_retry(p->d, &items[i], now, p->give_up_ms, err);
  }
  if (db_commit(p->d) != 0) db_rollback(p->d);
}

/* Sends what is due for target t. Returns 1 when every purge sent went
** through (or none was due), 0 when one failed. */
static int purger_send_target(purger *p, target *t, long long now) {
  purge_item *items = p->items;
  char err[256] = "";
  int n = purge_due(p->d, t->name, now, items, PURGER_BATCH);
  if (n <= 0) return n == 0;
  int sent = 0, step = t->is_nginx ? 1 : PURGER_TAGS_PER_REQUEST;
  while (sent < n) {
    int k = n - sent < step ? n - sent : step;
    int rc = t->is_nginx ? purger_nginx_tag(p, t, &items[sent], now, err, sizeof err)
                         : purger_edge_tags(t, items + sent, k, err, sizeof err);
    if (rc != 0) break;
    sent += k;
  }
  purger_note(p, items, sent, 1, now, NULL);
  purger_note(p, items + sent, n - sent, 0, now, err);
  purger_outcome(p, t, sent == n, err);
  return sent == n;
}

/* Sends what is due to every target, nginx first. Returns 1 when nginx
** (if any) took everything due. */
static int purger_send(purger *p, long long now) {
  int nginx_ok = 1;
  for (int i = 0; i < p->ntargets; i++) {
    int ok = purger_send_target(p, &p->targets[i], now);
    if (p->targets[i].is_nginx) nginx_ok = ok;
  }
  if (purge_next_due(p->d, &p->next_due_ms) != STORE_OK) p->next_due_ms = now + 1000;
  return nginx_ok;
}

/* ---- the loop ---------------------------------------------------------- */

/* Reads the change log into the queue (all of it, in batches). Returns 1
** when something may have become due. */
static int purger_enqueue(purger *p, long long now) {
  const char *names[PURGER_MAX_TARGETS];
  for (int i = 0; i < p->ntargets; i++) names[i] = p->targets[i].name;
  purge_plan plan = {.targets = names, .ntargets = p->ntargets, .now_ms = now,
                     .clock_ms = time_now_ms,
                     .soft_delay_ms = p->soft_delay_ms, .repeat_ms = PURGER_REPEAT_MS,
                     .keyed_target = p->nginx_on ? PURGER_NGINX : NULL,
                     .max_changes = 1000};
  int more = 1, rounds = 0;
  while (more && rounds++ < 100) {
    if (purge_enqueue(p->d, &plan, &p->cursor, &more) != STORE_OK) {
      p->enqueue_failed = 1;
      return 0;
    }
  }
  p->enqueue_failed = 0;
  long long next = 0;
  if (article_next_publication(p->d, now / 1000, &next) == STORE_OK) p->next_publication = next;
  return 1;
}

/* Returns 1 when the change log may hold something new: another
** connection wrote, a worker asked, or a scheduled publication came. */
static int purger_changed(purger *p, long long now, int woken) {
  int64_t v = 0;
  int changed = woken || p->enqueue_failed ||
                (p->next_publication && now / 1000 >= p->next_publication);
  if (db_data_version(p->d, &v) == 0 && v != p->data_version) {
    p->data_version = v;
    changed = 1;
  }
  return changed;
}

/* One pass: settings, records, changes, purges due, pruning. */
static void purger_cycle(purger *p, int woken) {
  long long now = time_now_ms();
  if (now - p->settings_ms >= PURGER_SETTINGS_MS) purger_settings(p, now);
  purger_flush(p, now);
  int due = purger_changed(p, now, woken) && purger_enqueue(p, now);
  if (due) {
    /* The purges just queued are due from when the changes were read; an
    ** answer given before one of them may have been recorded since the
    ** first flush: into the index before the purges are sent. */
    now = time_now_ms();
    purger_flush(p, now);
  }
  int nginx_ok = 1;
  if (due || (p->next_due_ms && now >= p->next_due_ms)) nginx_ok = purger_send(p, now);
  if (!p->enqueue_failed && nginx_ok) {
    pthread_mutex_lock(&p->mu);
    if (p->cursor > p->synced_seq) p->synced_seq = p->cursor;
    pthread_cond_broadcast(&p->synced);
    pthread_mutex_unlock(&p->mu);
  }
  if (now - p->pruned_ms >= PURGER_PRUNE_MS && db_begin(p->d) == 0) {
    /* In a transaction, to wait its turn among the process's writers: a
    ** write outside one polls SQLite's lock and loses it to them. */
    if (purge_prune(p->d, now - 3600 * 1000LL, now - 86400 * 1000LL, now - p->give_up_ms) !=
            STORE_OK ||
        db_commit(p->d) != 0)
      db_rollback(p->d);
    p->pruned_ms = now;
  }
}

/* The thread: a pass every tick, or at once when a worker wakes it. */
static void *purger_main(void *arg) {
  purger *p = arg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop) {
    if (!p->woken) {
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_nsec += PURGER_TICK_MS * 1000000L;
      if (until.tv_nsec >= 1000000000L) {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000L;
      }
      pthread_cond_timedwait(&p->wake, &p->mu, &until);
    }
    if (p->stop) break;
    int woken = p->woken;
    p->woken = 0;
    pthread_mutex_unlock(&p->mu);
    purger_cycle(p, woken);
    pthread_mutex_lock(&p->mu);
  }
  /* A last pass at the stop: what was committed before it (by the server,
  ** or by another program meanwhile) leaves the caches now, not after the
  ** next start, when nginx may already have answered from its cache. */
  pthread_mutex_unlock(&p->mu);
  purger_cycle(p, 1);
  pthread_mutex_lock(&p->mu);
  pthread_cond_broadcast(&p->synced);
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

purger *purger_start(const char *db_path, char *err, size_t errlen) {
  purger *p = calloc(1, sizeof *p);
  if (!p) abort();
  p->d = db_open(db_path, 0, err, errlen);
  if (!p->d) {
    free(p);
    return NULL;
  }
  /* The server's checkpointer copies the log back, not this thread's commits. */
  db_exec(p->d, "PRAGMA wal_autocheckpoint=0");
  p->lookback_ms = PURGER_LOOKBACK_MS;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->synced, NULL);
  long long now = time_now_ms();
  purger_settings(p, now);
  purge_cursor(p->d, &p->cursor);
  p->start_seq = change_last(p->d);
  p->synced_seq = 0;
  p->woken = 1;  /* a first look at the log at once */
  if (pthread_create(&p->tid, NULL, purger_main, p) != 0) {
    snprintf(err, errlen, "cannot start the purger thread");
    purger_targets_clear(p);
    db_close(p->d);
    free(p->nginx_setting);
    free(p->edges_setting);
    free(p);
    return NULL;
  }
  return p;
}

void purger_stop(purger *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->stop = 1;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->tid, NULL);
  purger_flush(p, time_now_ms());
  purger_targets_clear(p);
  db_close(p->d);
  pthread_cond_destroy(&p->wake);
  pthread_cond_destroy(&p->synced);
  pthread_mutex_destroy(&p->mu);
  free(p->nginx_setting);
  free(p->edges_setting);
  free(p);
}

int purger_record(purger *p, const char *key, const char *tags, long long built_ms) {
  if (!p) return -1;
  int rc = -1;
  pthread_mutex_lock(&p->mu);
  if (p->nginx_on && p->ninbox < PURGER_INBOX) {
    record *r = &p->inbox[p->ninbox++];
    r->key = strdup(key);
    r->tags = strdup(tags);
    r->built_ms = built_ms;
    if (!r->key || !r->tags) abort();
    rc = 0;
  }
  pthread_mutex_unlock(&p->mu);
  return rc;
}

void purger_wake(purger *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->woken = 1;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->mu);
}

void purger_wait(purger *p, long long seq, int timeout_ms) {
  if (!p) return;
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += timeout_ms / 1000;
  until.tv_nsec += (timeout_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec += 1;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&p->mu);
  p->woken = 1;
  pthread_cond_signal(&p->wake);
  while (!p->stop && p->nginx_on && p->nginx_ok && p->synced_seq < seq)
    if (pthread_cond_timedwait(&p->synced, &p->mu, &until) != 0) break;
  pthread_mutex_unlock(&p->mu);
}

void purger_catch_up(purger *p, int timeout_ms) {
  if (p) purger_wait(p, p->start_seq, timeout_ms);
}
