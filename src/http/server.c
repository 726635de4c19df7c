/*
** server.c: FastCGI workers, start-up and graceful shutdown
** (see server.h).
*/
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcgiapp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "changes.h"
#include "guard.h"
#include "jobs.h"
#include "library.h"
#include "lifecycle.h"
#include "settings.h"
#include "store_token.h"
#include "timefmt.h"
#include "webhooks.h"

enum {
  SERVER_MAX_THREADS = 64,
  SERVER_BACKLOG = 512,
  CHANGES_KEPT = 600,  /* seconds the change log is kept for idle workers */
  SERVER_PURGE_WAIT_MS = 1000,  /* a write waits at most this for nginx's purge */
  /* A log this large is emptied even under load (readers always in the
  ** log keep SQLite from starting it again): writers wait for that, a few
  ** milliseconds as a rule, and the next commit starts the log again from
  ** its beginning. It is the size SQLite keeps the file at
  ** (DB_WAL_KEEP_BYTES), so that commit does not first cut the file: a
  ** 64 MiB log cut back to 4 MiB stalled writers for 20 ms and more. */
  WAL_FORCE_BYTES = DB_WAL_KEEP_BYTES,
  /* A commit that leaves this many pages (1 MiB) in the log wakes the
  ** checkpointer at once: the less the log holds when it must be emptied
  ** under load, the shorter the writers wait for that (with 1,000 or 2,000
  ** pages a comment's p99 on the archive was 16 and 24 ms, with 256, 12). */
  WAL_NUDGE_PAGES = 256,
};

/* Shared by the workers of one server_run: read-only but for stop. */
typedef struct pool {
  const app *app;
  const char *db_path;
  writer *writer;      /* readers' votes and comments, committed in batches */
  purger *purger;      /* tells shared caches what changed */
  int fd;
  int threads;
  atomic_int stop;
  atomic_int failed;
  atomic_int nudged;    /* the checkpointer was woken for a long log */
  pthread_mutex_t mu;   /* with wake: lets the checkpointer sleep */
  pthread_cond_t wake;
} pool;

/* What one worker thread owns. */
typedef struct worker {
  const app *base;  /* templates and key, shared and read-only */
  app *app;         /* this worker's copy of the settings */
  db *d;
  pagecache *pc;
  int reopen_failed;  /* the last try to open the connection again failed */
} worker;

/* Opens a unix socket at path after making sure no live server owns it. */
static int listen_unix(const char *path, char *err, size_t errlen) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) {
    snprintf(err, errlen, "socket path too long: %s", path);
    return -1;
  }
  strcpy(sa.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create socket: %s", strerror(errno));
    return -1;
  }
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
    snprintf(err, errlen, "socket %s is in use by another server", path);
    close(fd);
    return -1;
  }
  unlink(path);
  mode_t old = umask(007);
  int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
  umask(old);
  if (rc != 0 || listen(fd, SERVER_BACKLOG) != 0) {
    snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* Opens a TCP socket on host:port (IPv4). */
static int listen_tcp(const char *address, char *err, size_t errlen) {
  char host[64];
  const char *colon = strrchr(address, ':');
  char *end;
  long port = colon ? strtol(colon + 1, &end, 10) : -1;
  if (!colon || (size_t)(colon - address) >= sizeof host || port < 1 ||
      port > 65535 || *end) {
    snprintf(err, errlen, "bad listen address %s (want unix:PATH or HOST:PORT)",
             address);
    return -1;
  }
  memcpy(host, address, (size_t)(colon - address));
  host[colon - address] = 0;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    snprintf(err, errlen, "bad listen host %s (want an IPv4 address)", host);
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
      bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, SERVER_BACKLOG)) {
    snprintf(err, errlen, "cannot listen on %s: %s", address, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

int server_listen(const char *address, char *err, size_t errlen) {
  if (strncmp(address, "unix:", 5) == 0) return listen_unix(address + 5, err, errlen);
  return listen_tcp(address, err, errlen);
}

/* Reads the body from the FastCGI stream ud. */
static int server_read(void *ud, char *dst, int n) {
  int got = FCGX_GetStr(dst, n, (FCGX_Stream *)ud);
  return got > 0 ? got : 0;
}

/* Writes n bytes of the answer to the FastCGI stream ud (a
** stream_emit_fn). */
static int server_emit(void *ud, const char *p, size_t n) {
  while (n > 0) {
    int part = n > (1 << 30) ? 1 << 30 : (int)n;
    if (FCGX_PutStr(p, part, (FCGX_Stream *)ud) != part) return -1;
    p += part;
    n -= (size_t)part;
  }
  return 0;
}

/* Returns 1 when the request's method may change something (not GET or
** HEAD). */
static int server_may_write(char **envp) {
  const char *m = FCGX_GetParam("REQUEST_METHOD", envp);
  return m && strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

void server_handle(const app *a, db *d, pagecache *pc, writer *wr, purger *pg, char **envp,
                   FCGX_Stream *in, FCGX_Stream *out) {
  ctx c;
  memset(&c, 0, sizeof c);
  c.app = a;
  c.db = d;
  c.pc = pc;
  c.writer = wr;
  c.purger = pg;
  c.now = time(NULL);
  long long before = pg && server_may_write(envp) ? change_last(d) : -1;
  answer ans = lifecycle_answer(&c, envp, server_read, in);
  /* A write is answered once the server's nginx has forgotten what it
  ** changed, so that the writer's next page shows it. Figures alone (a
  ** vote) may show page_stale_seconds late on any page, and are purged
  ** that late: unless that is 0, nothing to wait for. */
  if (before >= 0) {
    long long after = a->page_stale_seconds > 0 ? change_last_hard(d, before) : change_last(d);
    if (after > before) purger_wait(pg, after, SERVER_PURGE_WAIT_MS);
  }
  lifecycle_write(&c, &ans, server_emit, out);
  lifecycle_free(&c);
}

/* Applies what changed since the last request: drops the cached answers
** built from it, and renews the worker's settings when the site's
** changed. */
static void server_sync(worker *w, int threads, time_t now) {
  int changed = 0;
  if (pagecache_sync(w->pc, w->d, now, &changed) != 0 || !changed) return;
  app_free(w->app);
  w->app = app_refresh(w->base, w->d);
  db_durability(w->d, w->app->sync_full);
  pagecache_limits(w->pc, w->app->page_cache_bytes / (size_t)threads, w->app->page_stale_seconds);
}

/* The workers' log hook (sqlite3_wal_hook): after a commit that leaves
** WAL_NUDGE_PAGES or more in the log, wakes the checkpointer (once until
** its next pass), so that under a stream of writes the log is copied back
** in small steps that make nobody wait, not in one large one a second. */
static int server_log_grew(void *arg, sqlite3 *h, const char *name, int pages) {
  pool *p = arg;
  (void)h;
  (void)name;
  if (pages >= WAL_NUDGE_PAGES && !atomic_exchange(&p->nudged, 1)) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->mu);
  }
  return SQLITE_OK;
}

/* Sets up a worker's connection d for serving: checkpoints are the
** checkpointer's (which a long log wakes; the hook also replaces SQLite's
** automatic checkpoint, which is a hook of its own), commits as durable as
** the site's setting asks. */
static void server_connection(worker *w, pool *p, db *d) {
  sqlite3_wal_hook(d->h, server_log_grew, p);
  db_durability(d, w->app->sync_full);
}

/* Acts, before the next request, on a storage fault an earlier one met
** (w->d->fault). When the files could not be read or written, or did not
** read as a database, the worker's connection may keep pages it read
** meanwhile: it is replaced by a new one, and the page cache starts empty.
** While the database cannot be opened, the old connection stays and the
** next request tries again (the first failure is logged). A full disk
** needs nothing: the refused write left nothing behind. */
static void server_recover(worker *w, pool *p) {
  if (!w->d->fault || w->d->fault == DB_FAULT_FULL) {
    w->d->fault = 0;
    return;
  }
  char err[256];
  db *d = db_open(p->db_path, 0, err, sizeof err);
  if (!d) {
    if (!w->reopen_failed) fprintf(stderr, "gazette: cannot open the database again: %s\n", err);
    w->reopen_failed = 1;
    return;
  }
  if (w->reopen_failed) fprintf(stderr, "gazette: the database opens again\n");
  w->reopen_failed = 0;
  db_close(w->d);
  w->d = d;
  server_connection(w, p, d);
  pagecache_free(w->pc);
  w->pc = pagecache_new(w->app->page_cache_bytes / (size_t)p->threads, w->app->page_stale_seconds);
}

/* The largest body nginx sends with the rest of the request in one write:
** it keeps a body this small in memory (client_body_buffer_size is 16k on
** 64-bit systems), and writes the request, the body and its end at once. */
enum { SERVER_SMALL_BODY = 8192 };

/* Returns 1 when all of request fr that nginx sends has been written
** before gazette answers, its end included: a request without a body (GET
** and HEAD) or with a small one. */
static int server_sent_whole(FCGX_Request *fr) {
  if (!server_may_write(fr->envp)) return 1;
  const char *length = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
  char *end;
  long long n = length && *length ? strtoll(length, &end, 10) : -1;
  return n >= 0 && !*end && n <= SERVER_SMALL_BODY;
}

/* Ends request fr. When all nginx sent has been read (what the handler
** left of a whole request is read here), its connection is closed at
** once. Otherwise libfcgi's close is kept: it shuts the connection down
** and reads what comes until nginx closes its side, lest unread bytes make
** the close a reset that costs nginx the answer; a worker that always did
** so would sleep a round trip after every request. A larger body is never
** waited on here: nginx may send its end only once it has the answer. */
static void server_finish(FCGX_Request *fr) {
  if (server_sent_whole(fr)) {
    char rest[1024];
    for (int reads = 0; reads < 12 && FCGX_GetStr(rest, (int)sizeof rest, fr->in) > 0;) reads++;
  }
  if (FCGX_GetError(fr->in) == 0 && FCGX_HasSeenEOF(fr->in) == EOF) FCGX_Detach(fr);
  FCGX_Finish_r(fr);
}

/* A worker: its own connection, then accept and answer until stopped. */
static void *server_worker(void *arg) {
  pool *p = arg;
  char err[256];
  db *d = db_open(p->db_path, 0, err, sizeof err);
  if (!d) {
    fprintf(stderr, "gazette: %s\n", err);
    atomic_store(&p->failed, 1);
    return NULL;
  }
  worker w = {.base = p->app, .d = d};
  w.app = app_refresh(w.base, d);
  /* Checkpoints run in their own thread, never on a request's path. */
  server_connection(&w, p, d);
  w.pc = pagecache_new(w.app->page_cache_bytes / (size_t)p->threads, w.app->page_stale_seconds);
  FCGX_Request fr;
  FCGX_InitRequest(&fr, p->fd, FCGI_FAIL_ACCEPT_ON_INTR);
  while (!atomic_load(&p->stop)) {
    if (FCGX_Accept_r(&fr) < 0) break;
    server_recover(&w, p);
    server_sync(&w, p->threads, time(NULL));
    server_handle(w.app, w.d, w.pc, p->writer, p->purger, fr.envp, fr.in, fr.out);
    server_finish(&fr);
  }
  FCGX_Free(&fr, 0);
  pagecache_free(w.pc);
  app_free(w.app);
  db_close(w.d);
  return NULL;
}

static const char SQL_PAGE_SIZE[] = "PRAGMA page_size";

/* What the checkpointer knows between its passes. */
typedef struct ckpt_state {
  long long page;   /* the database's page size */
  int64_t seen;     /* the connection's data_version at the last pass */
  long long quiet;  /* when a pass last saw a new commit (monotonic ms) */
  long long calm;   /* no log is emptied under load before this (monotonic ms) */
  db_fault fault;   /* the storage fault of the last pass */
} ckpt_state;

/* One pass of the checkpointer on d: copies the write-ahead log into the
** database without waiting for anyone (PASSIVE). When the log is over
** WAL_FORCE_BYTES it also empties it, so that the next commit starts it
** again from its beginning (RESTART: that waits for the readers of older
** data, and writers wait for it); when no commit came for a second
** (s->seen, the connection's data_version), it empties it and cuts the
** file to nothing (TRUNCATE). When readers of older data kept the log from
** being emptied under load (db_checkpoint_full gave up), that is not tried
** again for a second, so that writers are not held over and over. A
** storage fault is logged when it starts and when it ends (s->fault), not
** at every pass. */
static void server_checkpoint(db *d, ckpt_state *s) {
  int log = 0, done = 0;
  int rc = sqlite3_wal_checkpoint_v2(d->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  int64_t version = s->seen;
  long long now = time_mono_ms();
  if (db_data_version(d, &version) != 0 || version != s->seen) s->quiet = now;
  s->seen = version;
  int idle = now - s->quiet >= 1000;
  int force = (long long)log * s->page > WAL_FORCE_BYTES && now >= s->calm;
  if (rc == SQLITE_OK && log > 0 && (idle || force)) {
    rc = db_checkpoint_full(d, idle);
    if (rc == SQLITE_BUSY && !idle) s->calm = now + 1000;
  }
  db_fault f = DB_FAULT_NONE;
  if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
    db_fault_note(rc);
    f = db_fault_take();
    if (f == DB_FAULT_NONE) f = DB_FAULT_IO;
  }
  if (f != s->fault) {
    if (f) fprintf(stderr, "gazette: checkpoint failed: %s (%s)\n", db_fault_text(f), sqlite3_errmsg(d->h));
    else fprintf(stderr, "gazette: checkpoints work again\n");
    s->fault = f;
  }
}

/* Forgets, on d, the change log older than CHANGES_KEPT and (with guards)
** the guard counters of past days, in one transaction: it waits its turn
** among the process's writers, where a write outside one would poll
** SQLite's lock and lose it to them for as long as they keep writing. */
static void server_prune(db *d, time_t now, int guards) {
  if (db_begin(d) != 0) return;
  int ok = change_prune(d, now - CHANGES_KEPT) == 0 && (!guards || guard_expire(d, now) == 0);
  if (!ok || db_commit(d) != 0) db_rollback(d);
}

/* The checkpointer: runs server_checkpoint once a second, and at once when
** a commit leaves a long log (server_log_grew), so that no request pays for
** a checkpoint and the log stays small (a burst of writes grows it; the
** first quiet second empties it). Once a minute it forgets the old change
** log, once an hour the guard counters of past days. */
static void *server_checkpointer(void *arg) {
  pool *p = arg;
  char err[256];
  db *d = db_open(p->db_path, 0, err, sizeof err);
  if (!d) {
    /* Nothing else would copy the log back: the server does not start. */
    fprintf(stderr, "gazette: checkpointer: %s\n", err);
    atomic_store(&p->failed, 1);
    return NULL;
  }
  /* Its own commits (the prunes) leave the log to its passes. */
  db_exec(d, "PRAGMA wal_autocheckpoint=0");
  time_t pruned = time(NULL), expired = pruned;
  ckpt_state cs = {.page = 4096, .seen = -1, .quiet = time_mono_ms(), .fault = DB_FAULT_NONE};
  db_number(d, SQL_PAGE_SIZE, 0, &cs.page);
  pthread_mutex_lock(&p->mu);
  while (!atomic_load(&p->stop)) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    /* A nudge that came while it was busy is not lost: it runs at once. */
    if (!atomic_load(&p->nudged)) pthread_cond_timedwait(&p->wake, &p->mu, &until);
    if (atomic_load(&p->stop)) break;
    pthread_mutex_unlock(&p->mu);
    server_checkpoint(d, &cs);
    atomic_store(&p->nudged, 0);
    time_t now = time(NULL);
    if (now - pruned >= 60) {
      int guards = now - expired >= 3600;
      server_prune(d, now, guards);
      pruned = now;
      if (guards) expired = now;
    }
    pthread_mutex_lock(&p->mu);
  }
  pthread_mutex_unlock(&p->mu);
  /* A last full pass leaves a short log behind. */
  sqlite3_wal_checkpoint_v2(d->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  db_close(d);
  return NULL;
}

/* The media worker: makes the sizes the queue holds, one picture at a
** time (each under a decode slot shared with the uploads), and sleeps until
** an upload rings or a second passes (failed derivations wait their time).
** The queue is in the database, so work left at a stop resumes here. */
static void *server_media_worker(void *arg) {
  pool *p = arg;
  const app *a = p->app;
  media_dirs dirs = {a->media_dir, a->originals_dir};
  char err[256];
  db *d = db_open(p->db_path, 0, err, sizeof err);
  if (!d) {
    fprintf(stderr, "gazette: media worker: %s\n", err);
    return NULL;
  }
  db_exec(d, "PRAGMA wal_autocheckpoint=0");
  do {
    while (!atomic_load(&p->stop) && library_work(d, time(NULL), &dirs, a->jobs) > 0) {
    }
  } while (!media_jobs_wait(a->jobs, 1000));
  db_close(d);
  return NULL;
}

/* Reads what a webhook delivery needs from the settings into s (the base
** address into base, which the caller frees). */
static void server_webhook_settings(db *d, webhook_settings *s, char **base) {
  free(*base);
  *base = settings_text(d, "base_url");
  size_t n = strlen(*base);
  while (n > 0 && (*base)[n - 1] == '/') (*base)[--n] = 0;
  s->base_url = *base;
  s->allow_private = (int)settings_int(d, "webhook_allow_private");
  s->timeout_seconds = (int)settings_int(d, "webhook_timeout_seconds");
  s->retry_seconds = (int)settings_int(d, "webhook_retry_seconds");
}

/* The webhook thread: once a second, queues the scheduled articles whose
** time came and sends the deliveries that are due, one at a time (each
** bounded by webhook_timeout_seconds, so a slow receiver delays only the
** deliveries behind it, never a request); once an hour forgets finished
** deliveries of more than WEBHOOK_DELIVERIES_KEPT days and the answers
** kept for Idempotency-Key past their day. The queue is in the database,
** so deliveries left at a stop are sent after the next start. */
static void *server_webhook_worker(void *arg) {
  pool *p = arg;
  char err[256], *base = NULL;
  db *d = db_open(p->db_path, 0, err, sizeof err);
  if (!d) {
    fprintf(stderr, "gazette: webhook worker: %s\n", err);
    return NULL;
  }
  db_exec(d, "PRAGMA wal_autocheckpoint=0");
  webhook_settings s;
  for (long ticks = 0; !atomic_load(&p->stop); ticks++) {
    time_t now = time(NULL);
    server_webhook_settings(d, &s, &base);
    if (ticks % 3600 == 0 && db_begin(d) == 0) {
      /* In a transaction: it waits its turn among the writers (see server_prune). */
      int ok = webhook_prune(d, (long long)now - WEBHOOK_DELIVERIES_KEPT * 86400LL) == STORE_OK &&
               idem_expire(d, (long long)now - 86400) == STORE_OK;
      if (!ok || db_commit(d) != 0) db_rollback(d);
    }
    webhook_scheduled(d, now);
    while (!atomic_load(&p->stop) && webhook_work(d, time(NULL), &s) > 0) {
    }
    for (int i = 0; i < 10 && !atomic_load(&p->stop); i++) usleep(100 * 1000);
  }
  free(base);
  db_close(d);
  return NULL;
}

int server_run(const app *a, const char *db_path, int fd, int threads,
               char *err, size_t errlen) {
  if (threads < 1 || threads > SERVER_MAX_THREADS) {
    snprintf(err, errlen, "threads must be 1 to %d", SERVER_MAX_THREADS);
    return -1;
  }
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* the workers inherit this */
  signal(SIGPIPE, SIG_IGN);
  FCGX_Init();
  pool p = {.app = a, .db_path = db_path, .fd = fd, .threads = threads};
  p.writer = writer_new();
  if (!p.writer) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  p.purger = purger_start(db_path, err, errlen);
  if (!p.purger) {
    writer_free(p.writer);
    return -1;
  }
  /* What changed while the server was down leaves nginx before the first
  ** answer (requests wait in the listening socket's queue meanwhile). */
  purger_catch_up(p.purger, SERVER_PURGE_WAIT_MS * 2);
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.wake, NULL);
  if (a->media_dir) {
    /* What an interrupted run left half-written, before any upload starts. */
    media_dirs dirs = {a->media_dir, a->originals_dir};
    int swept = library_sweep(&dirs);
    if (swept > 0) fprintf(stderr, "gazette: removed %d unfinished picture files\n", swept);
  }
  pthread_t tid[SERVER_MAX_THREADS], checkpointer, media, hooks;
  int started = 0;
  int ckpt = pthread_create(&checkpointer, NULL, server_checkpointer, &p) == 0;
  if (!ckpt) atomic_store(&p.failed, 1); /* nothing else would copy the log back */
  int hooksw = pthread_create(&hooks, NULL, server_webhook_worker, &p) == 0;
  int mediaw = a->media_dir && a->jobs &&
               pthread_create(&media, NULL, server_media_worker, &p) == 0;
  for (; started < threads; started++)
    if (pthread_create(&tid[started], NULL, server_worker, &p) != 0) break;
  int ok = started == threads;
  if (ok) {
    usleep(100 * 1000); /* let the workers open their connections */
    ok = !atomic_load(&p.failed);
  }
  if (ok) {
    fprintf(stderr, "gazette: serving with %d threads\n", threads);
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "gazette: %s received, finishing requests\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
  } else {
    snprintf(err, errlen, "workers could not start");
  }
  /* Wake the workers blocked in accept(): shutting the listening socket
  ** down makes accept fail, and FCGX_Accept_r returns. */
  atomic_store(&p.stop, 1);
  shutdown(fd, SHUT_RDWR);
  for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
  pthread_mutex_lock(&p.mu);
  pthread_cond_signal(&p.wake);
  pthread_mutex_unlock(&p.mu);
  if (ckpt) pthread_join(checkpointer, NULL);
  /* A delivery under way ends within its timeout; the rest waits in the queue. */
  if (hooksw) pthread_join(hooks, NULL);
  /* A derivation under way is finished first; the rest waits in the queue. */
  media_jobs_stop(a->jobs);
  if (mediaw) pthread_join(media, NULL);
  purger_stop(p.purger);
  writer_free(p.writer);
  pthread_cond_destroy(&p.wake);
  pthread_mutex_destroy(&p.mu);
  close(fd);
  return ok ? 0 : -1;
}
