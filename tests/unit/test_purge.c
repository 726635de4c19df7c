/*
** Unit tests: the purge queue (what changed becomes one purge per cache,
** coalesced, tried again with growing delays, given up when it no longer
** matters), the index of nginx's keys, and the purger thread against two
** small servers standing for nginx and an edge: a change reaches both, a
** cache that fails is tried again until it answers.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "changes.h"
#include "db.h"
#include "demo.h"
#include "purge_queue.h"
#include "purger.h"
#include "settings.h"
#include "store.h"
#include "unit.h"

static const char *const TARGETS[] = {"nginx", "10.0.2.1:6081"};

typedef struct fixture {
  db *d;
  char path[128];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->d = unit_db(f->path, sizeof f->path, "purge");
  if (!f->d || unit_demo(f->d) != 0) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  db_close(f->d);
  unit_db_remove(f->path);
  free(f);
  return 0;
}

/* Returns the wall-clock time in Unix ms. */
static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs sql. */
static void run(fixture *f, const char *sql) { assert_int_equal(db_exec(f->d, sql), 0); }

/* Returns the number the one-value query sql gives (through a statement
** of its own, as a tool would). */
static long long value(fixture *f, const char *sql) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->d->h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Reads the whole change log into the queue at now for TARGETS, the keys
** of keyed (NULL: none) indexed. */
static void enqueue_for(fixture *f, long long now, const char *keyed) {
  purge_plan p = {.targets = TARGETS, .ntargets = 2, .now_ms = now, .soft_delay_ms = 10000,
                  .repeat_ms = 1500, .max_changes = 1000, .keyed_target = keyed};
  long long cursor = 0;
  int more = 1;
  while (more) assert_int_equal(purge_enqueue(f->d, &p, &cursor, &more), STORE_OK);
  assert_int_equal(cursor, value(f, "SELECT max(seq) FROM changes"));
}

/* Reads the whole change log into the queue at now for TARGETS. */
static void enqueue(fixture *f, long long now) { enqueue_for(f, now, NULL); }

/* Counts the pending purges of tag for target in round. */
static long long pending(fixture *f, const char *target, const char *tag, int round) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM purges WHERE state = 'pending' AND target = '%s'"
           " AND tag = '%s' AND round = %d", target, tag, round);
  return value(f, sql);
}

/* Returns the due time of the pending purge of tag for target in round. */
static long long due_of(fixture *f, const char *target, const char *tag, int round) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT due_ms FROM purges WHERE state = 'pending' AND target = '%s'"
           " AND tag = '%s' AND round = %d", target, tag, round);
  return value(f, sql);
}

static void a_change_becomes_one_purge_per_cache_and_coalesces(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  enqueue(f, t);  /* the demo's own changes */
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  /* An edited title: the article, the search, the API's lists. */
  run(f, "UPDATE articles SET title = title || ' (corrected)' WHERE id = 1");
  enqueue(f, t);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(pending(f, TARGETS[i], "article-1", 0), 1);
    assert_int_equal(due_of(f, TARGETS[i], "article-1", 0), t);
    /* Sent again a moment later, for an answer on its way into a cache. */
    assert_int_equal(due_of(f, TARGETS[i], "article-1", 1), t + 1500);
    assert_int_equal(pending(f, TARGETS[i], "search", 0), 1);
  }
  assert_int_equal(pending(f, "nginx", "home", 0), 0);
  /* The same tag changed again while its purge waits: still one. */
  long long rows = value(f, "SELECT count(*) FROM purges");
  run(f, "UPDATE articles SET title = title || '!' WHERE id = 1");
  enqueue(f, t + 100);
  assert_int_equal(value(f, "SELECT count(*) FROM purges"), rows);
  assert_int_equal(due_of(f, "nginx", "article-1", 0), t);
  assert_int_equal(due_of(f, "nginx", "article-1", 1), t + 1600);  /* the later change's */
}

static void a_vote_waits_and_an_old_change_is_sent_once(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  enqueue(f, t);
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  run(f, "UPDATE articles SET rating_count = rating_count + 1, rating_sum = rating_sum + 5"
         " WHERE id = 2");
  enqueue(f, t);
  assert_int_equal(due_of(f, "nginx", "article-2", 0), t + 10000);
  assert_int_equal(pending(f, "nginx", "article-2", 1), 0);
  /* A hard change of the same article brings the purge forward. */
  run(f, "UPDATE articles SET summary = summary || '.' WHERE id = 2");
  enqueue(f, t + 10);
  assert_int_equal(due_of(f, "nginx", "article-2", 0), t + 10);
  /* A change read long after it was made (the server was down): once. */
  run(f, "INSERT INTO changes (tag, at) VALUES ('category-3', unixepoch() - 60)");
  enqueue(f, t);
  assert_int_equal(pending(f, "nginx", "category-3", 0), 1);
  assert_int_equal(pending(f, "nginx", "category-3", 1), 0);
}

/* A reader's write waits for nginx only for a change of more than figures
** (change_last_hard), however many votes were logged meanwhile. */
static void a_write_waits_only_for_a_change_of_more_than_figures(void **state) {
  fixture *f = *state;
  long long before = change_last(f->d);
  run(f, "WITH RECURSIVE s (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < 2000)"
         " INSERT INTO changes (tag, soft, at) SELECT 'article-' || k, 1, unixepoch() FROM s");
  assert_int_equal(change_last_hard(f->d, before), 0);
  run(f, "INSERT INTO changes (tag, at) VALUES ('article-3', unixepoch());"
         "INSERT INTO changes (tag, soft, at) VALUES ('article-4', 1, unixepoch())");
  long long hard = change_last(f->d) - 1;
  assert_int_equal(change_last_hard(f->d, before), hard);
  assert_int_equal(change_last_hard(f->d, hard), 0);
}

static void a_pruned_log_purges_everything(void **state) {
  fixture *f = *state;
  enqueue(f, now_ms());
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  run(f, "INSERT INTO changes (tag, at) VALUES ('article-3', unixepoch()), ('article-4', unixepoch())");
  run(f, "DELETE FROM changes WHERE tag = 'article-3' AND seq = (SELECT max(seq) - 1 FROM changes)");
  enqueue(f, now_ms());
  assert_int_equal(pending(f, "nginx", "site", 0), 1);
  assert_int_equal(pending(f, "10.0.2.1:6081", "site", 0), 1);
}

static void a_scheduled_publication_is_a_change_when_its_time_comes(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  enqueue(f, t);
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  run(f, "UPDATE articles SET status = 'scheduled', published_at = unixepoch() + 5 WHERE id = 5");
  run(f, "INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT 5, min(id) FROM tags");
  enqueue(f, t);
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  long long cat = value(f, "SELECT category_id FROM articles WHERE id = 5");
  char tag[32], its_tag[32];
  snprintf(tag, sizeof tag, "category-%lld", cat);
  snprintf(its_tag, sizeof its_tag, "tag-%lld",
           value(f, "SELECT min(tag_id) FROM article_tags WHERE article_id = 5"));
  enqueue(f, t + 2000);  /* not yet */
  assert_int_equal(pending(f, "nginx", "article-5", 0), 0);
  assert_int_equal(pending(f, "nginx", its_tag, 0), 0);
  enqueue(f, t + 7000);  /* its time came: no write made it, the queue notes it */
  assert_int_equal(pending(f, "nginx", "article-5", 0), 1);
  assert_int_equal(pending(f, "nginx", "home", 0), 1);
  assert_int_equal(pending(f, "nginx", tag, 0), 1);
  assert_int_equal(pending(f, "nginx", its_tag, 0), 1);  /* its tags' pages */
  assert_int_equal(pending(f, "10.0.2.1:6081", "feeds", 0), 1);
  /* Noted once. */
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  enqueue(f, t + 9000);
  assert_int_equal(pending(f, "nginx", "article-5", 0), 0);
}

static void a_failure_is_tried_again_later_then_given_up(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  enqueue(f, t);
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  run(f, "UPDATE articles SET title = title || '?' WHERE id = 6");
  enqueue(f, t);
  purge_item items[64];
  int n = purge_due(f->d, "10.0.2.1:6081", t, items, 64);
  assert_true(n >= 3);
  purge_item *it = NULL;
  for (int i = 0; i < n; i++)
    if (strcmp(items[i].tag, "article-6") == 0) it = &items[i];
  assert_non_null(it);
  assert_int_equal(it->round, 0);
  /* The delay doubles: 250 ms, 500 ms, 1 s... */
  long long at = t;
  for (int k = 0; k < 4; k++) {
    assert_int_equal(purge_retry(f->d, it, at, 60000, "connect: Connection refused"), STORE_OK);
    it->attempts++;
    assert_int_equal(due_of(f, "10.0.2.1:6081", "article-6", 0), at + (250LL << k));
  }
  /* Past the time its answers would have expired anyway: given up. */
  assert_int_equal(purge_retry(f->d, it, t + 60000, 60000, "connect: Connection refused"), STORE_OK);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE state = 'failed'"
                            " AND tag = 'article-6' AND round = 0 AND attempts = 5"
                            " AND error = 'connect: Connection refused'"), 1);
  /* What the newsroom sees of it. */
  cJSON *doc = cJSON_CreateObject();
  assert_int_equal(purge_status(f->d, TARGETS, 2, t + 60000, doc), STORE_OK);
  const cJSON *edge = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "targets"), 1);
  assert_string_equal(cJSON_GetObjectItem(edge, "target")->valuestring, "10.0.2.1:6081");
  assert_true(cJSON_GetObjectItem(edge, "failed_day")->valuedouble >= 1);
  assert_string_equal(cJSON_GetObjectItem(edge, "last_error")->valuestring,
                      "connect: Connection refused");
  assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "recent")) > 0);
  cJSON_Delete(doc);
  /* An edge taken out of the settings: its purges are dropped. */
  assert_int_equal(purge_drop_others(f->d, TARGETS, 1, t), STORE_OK);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE state = 'pending'"
                            " AND target = '10.0.2.1:6081'"), 0);
  assert_true(value(f, "SELECT count(*) FROM purges WHERE state = 'pending' AND target = 'nginx'") > 0);
}

/* Records key for nginx (built at built, given at now); returns 0, or the
** key's id when it came too late for a purge already sent. */
static long long record(fixture *f, const char *key, const char *tags, long long built,
                        long long now) {
  long long stale = -1, due = 0;
  assert_int_equal(cache_key_record(f->d, key, tags, built, now, "nginx", 10000, &stale, &due),
                   STORE_OK);
  return stale;
}

/* Records key as record does; returns when the purge of figures it
** queued is due, 0 when it queued none. */
static long long record_due(fixture *f, const char *key, const char *tags, long long built,
                            long long now) {
  long long stale = -1, due = 0;
  assert_int_equal(cache_key_record(f->d, key, tags, built, now, "nginx", 10000, &stale, &due),
                   STORE_OK);
  assert_int_equal(stale, 0);
  return due;
}

/* The queue's clock: a time later than the plan's, as when the purger's
** pass began before a change it reads was committed. */
static long long later_clock(void) { return 5000000; }

static void a_change_is_dated_when_it_was_read_not_when_the_pass_began(void **state) {
  fixture *f = *state;
  enqueue(f, now_ms());  /* the demo's own changes */
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1 WHERE state = 'pending'");
  run(f, "UPDATE articles SET title = title || ' (corrected)' WHERE id = 1");
  /* The pass began at 1,000,000; an answer was built at 3,000,000, before
  ** the change was committed, and read at 5,000,000. */
  purge_plan p = {.targets = TARGETS, .ntargets = 2, .now_ms = 1000000, .clock_ms = later_clock,
                  .soft_delay_ms = 10000, .repeat_ms = 1500, .max_changes = 1000};
  long long cursor = 0;
  int more = 0;
  assert_int_equal(purge_enqueue(f->d, &p, &cursor, &more), STORE_OK);
  assert_int_equal(value(f, "SELECT changed_ms FROM purges WHERE state = 'pending'"
                            " AND target = 'nginx' AND tag = 'article-1' AND round = 0"), 5000000);
  assert_int_equal(due_of(f, "nginx", "article-1", 0), 5000000);
  assert_int_equal(due_of(f, "nginx", "article-1", 1), 5001500);
  long long stale = 0, due = 0;
  assert_int_equal(cache_key_record(f->d, "GET http://x/articles/a?", "article-1", 3000000,
                                    3000005, "nginx", 10000, &stale, &due), STORE_OK);
  cache_key keys[2];
  assert_int_equal(cache_key_list(f->d, "article-1", 0, 5000000, 2000, keys, 2), 1);
}

/* A vote on an article nginx holds no page of queues no purge for nginx
** (the edges get theirs); on one it holds a page of, the usual one. An
** answer built before the vote and given to nginx only after the vote was
** read queues the purge then, due when the vote's would have been; one
** built after the vote, nothing. */
static void a_vote_is_purged_from_nginx_only_where_nginx_may_hold_it(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  enqueue_for(f, t, "nginx");  /* the demo's own changes, long sent */
  run(f, "UPDATE purges SET state = 'sent', done_ms = 1, changed_ms = 1 WHERE state = 'pending'");
  /* nginx was given a page of article 3, built well after the demo's votes. */
  assert_int_equal(record(f, "GET http://x/articles/c?", "article-3", t + 5000, t + 5001), 0);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE state = 'pending'"), 0);
  run(f, "UPDATE articles SET rating_count = rating_count + 1, rating_sum = rating_sum + 4"
         " WHERE id IN (3, 4, 5)");
  enqueue_for(f, t + 100, "nginx");
  assert_int_equal(pending(f, "nginx", "article-3", 0), 1);
  assert_int_equal(pending(f, "nginx", "article-4", 0), 0);
  assert_int_equal(pending(f, "nginx", "article-5", 0), 0);
  assert_int_equal(pending(f, TARGETS[1], "article-4", 0), 1);
  /* A page of article 4 built before the vote, given to nginx after it:
  ** its purge is queued then, due when the vote's would have been. */
  long long voted = value(f, "SELECT figures_ms FROM articles WHERE id = 4");
  assert_true(voted >= t - 1000 && voted <= now_ms());
  assert_int_equal(record_due(f, "GET http://x/articles/d?", "article-4", voted - 500, voted + 200),
                   voted + 10000);
  assert_int_equal(pending(f, "nginx", "article-4", 0), 1);
  assert_int_equal(due_of(f, "nginx", "article-4", 0), voted + 10000);
  cache_key keys[2];
  assert_int_equal(cache_key_list(f->d, "article-4", 0,
                                  value(f, "SELECT changed_ms FROM purges WHERE target = 'nginx'"
                                           " AND tag = 'article-4' AND state = 'pending'"),
                                  2000, keys, 2), 1);
  /* Another such page: the same purge. */
  assert_int_equal(record_due(f, "GET http://x/?", "home article-4", voted - 100, voted + 300),
                   voted + 10000);
  assert_int_equal(pending(f, "nginx", "article-4", 0), 1);
  assert_int_equal(due_of(f, "nginx", "article-4", 0), voted + 10000);
  /* Article 5: a page built well after its vote shows it, no purge; one
  ** built soon after may predate the vote's commit: queued, due at once
  ** when the vote's delay has passed. */
  voted = value(f, "SELECT figures_ms FROM articles WHERE id = 5");
  assert_int_equal(record_due(f, "GET http://x/articles/e?", "article-5", voted + 2500,
                              voted + 11001), 0);
  assert_int_equal(pending(f, "nginx", "article-5", 0), 0);
  assert_int_equal(record_due(f, "GET http://x/articles/e?", "article-5", voted + 1500,
                              voted + 11002), voted + 11002);
  assert_int_equal(pending(f, "nginx", "article-5", 0), 1);
}

static void nginx_keys_are_found_by_tag_until_purged(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  cache_key keys[8];
  /* Three answers built at t, given to nginx at t + 5. */
  assert_int_equal(record(f, "GET http://x/?", "home article-1 article-2", t, t + 5), STORE_OK);
  assert_int_equal(record(f, "GET http://x/articles/a?", "article-1", t, t + 5), STORE_OK);
  assert_int_equal(record(f, "GET http://x/feed.xml?", "feeds article-2", t, t + 5), STORE_OK);
  long long change = t + 100;  /* a change read after they were built */
  assert_int_equal(cache_key_list(f->d, "article-1", 0, change, 2000, keys, 8), 2);
  assert_string_equal(keys[0].key, "GET http://x/?");
  assert_int_equal(cache_key_list(f->d, "site", 0, change, 2000, keys, 8), 3);  /* every key */
  assert_int_equal(cache_key_list(f->d, "home", 0, change, 2000, keys, 8), 1);
  /* Pages: after the last id seen. */
  assert_int_equal(cache_key_list(f->d, "site", keys[0].id, change, 2000, keys, 8), 2);
  /* A change read before they were built is shown in them already. */
  assert_int_equal(cache_key_list(f->d, "article-1", 0, t - 1, 2000, keys, 8), 0);
  /* Purged well after nginx was given it: left out from then on. */
  assert_int_equal(cache_key_list(f->d, "feeds", 0, change, 2000, keys, 1), 1);
  assert_int_equal(cache_key_purged(f->d, keys[0].id, t + 10000), STORE_OK);
  assert_int_equal(cache_key_list(f->d, "feeds", 0, t + 20000, 2000, keys, 8), 0);
  /* Purged just after (the purge may have come first): purged again for a
  ** later change. */
  assert_int_equal(cache_key_list(f->d, "home", 0, change, 2000, keys, 8), 1);
  assert_int_equal(cache_key_purged(f->d, keys[0].id, t + 500), STORE_OK);
  assert_int_equal(cache_key_list(f->d, "home", 0, t + 1500, 2000, keys, 8), 1);
  /* Built again after the change, with other tags: found by the new ones
  ** only, and not for that change. */
  assert_int_equal(record(f, "GET http://x/?", "home article-9", t + 20000, t + 20005), STORE_OK);
  assert_int_equal(cache_key_list(f->d, "article-1", 0, t + 30000, 2000, keys, 8), 1);
  assert_string_equal(keys[0].key, "GET http://x/articles/a?");
  assert_int_equal(cache_key_list(f->d, "article-9", 0, t + 30000, 2000, keys, 8), 1);
  assert_int_equal(cache_key_list(f->d, "article-9", 0, t + 1500, 2000, keys, 8), 0);
  /* An answer built before a change whose purge was already sent, and
  ** recorded only now: to be purged at once. */
  run(f, "INSERT INTO purges (target, tag, round, state, created_ms, changed_ms, asked_ms, due_ms,"
         " done_ms) VALUES ('nginx', 'feeds', 0, 'sent', 0, 1000, 0, 0, 0)");
  char sql[256];
  snprintf(sql, sizeof sql, "UPDATE purges SET changed_ms = %lld WHERE tag = 'feeds'", t + 40000);
  run(f, sql);
  assert_true(record(f, "GET http://x/feed.xml?", "feeds", t + 39000, t + 41000) > 0);
  assert_int_equal(record(f, "GET http://x/feed.xml?", "feeds", t + 40500, t + 41000), 0);
  assert_int_equal(record(f, "GET http://x/other?", "home", t + 39000, t + 41000), 0);
  /* Keys no cache still holds are pruned with their tags. */
  assert_int_equal(purge_prune(f->d, t, t, t + 30000), STORE_OK);
  assert_int_equal(value(f, "SELECT count(*) FROM cache_keys"), 2);
  assert_int_equal(value(f, "SELECT count(*) FROM cache_key_tags"), 4);
}

/* Under a stream of comments the queue holds thousands of purges waiting
** for their second round and an hour of purges sent: the purger's look at
** when the next one is due, and the note of a key nginx was given, read a
** few of them, not all (the planner read every pending purge for the
** first, and every purge sent to nginx for the second). */
static void a_long_queue_is_not_read_whole(void **state) {
  fixture *f = *state;
  long long t = now_ms();
  char sql[512];
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
           " INSERT INTO purges (target, tag, round, state, created_ms, changed_ms, asked_ms,"
           " due_ms, done_ms) SELECT 'nginx', 'article-' || i, i %% 2, CASE WHEN i <= 3000"
           " THEN 'pending' ELSE 'sent' END, %lld - i, %lld - i, %lld - i, %lld + i,"
           " CASE WHEN i > 3000 THEN %lld - i END FROM n",
           t, t, t, t, t);
  run(f, sql);
  db_vm_steps(f->d);
  long long due = 0;
  assert_int_equal(purge_next_due(f->d, &due), STORE_OK);
  assert_int_equal(due, t + 1);
  assert_true(db_vm_steps(f->d) < 100);
  /* A key whose tags were purged before it was built: not stale, and
  ** found so without reading the 17,000 purges sent. */
  assert_int_equal(record(f, "GET http://x/?", "home article-4000 article-5000", t, t + 5), 0);
  assert_true(db_vm_steps(f->d) < 400);
  /* One purged after it was built: stale. */
  assert_true(record(f, "GET http://x/a?", "article-4000", t - 5000, t + 5) > 0);
}

/* ---- the purger thread against two servers ---------------------------- */

/* A server standing for nginx's purge socket or an edge: answers every
** request with status (200 unless changed) and keeps every head. */
typedef struct fake {
  int fd, port;
  atomic_int status;
  pthread_mutex_t mu;
  buf heads;
  pthread_t tid;
} fake;

/* Answers the requests of connection c. */
static void fake_serve(fake *s, int c) {
  char head[8192];
  for (;;) {
    size_t n = 0;
    while (n < sizeof head - 1) {
      if (recv(c, head + n, 1, 0) <= 0) return;
      n++;
      if (n >= 4 && memcmp(head + n - 4, "\r\n\r\n", 4) == 0) break;
    }
    head[n] = 0;
    pthread_mutex_lock(&s->mu);
    buf_puts(&s->heads, head);
    pthread_mutex_unlock(&s->mu);
    char out[128];
    int st = atomic_load(&s->status);
    snprintf(out, sizeof out, "HTTP/1.1 %d X\r\nContent-Length: 0\r\n\r\n", st);
    send(c, out, strlen(out), MSG_NOSIGNAL);
  }
}

/* The fake's thread. */
static void *fake_main(void *arg) {
  fake *s = arg;
  for (;;) {
    int c = accept(s->fd, NULL, NULL);
    if (c < 0) return NULL;
    fake_serve(s, c);
    close(c);
  }
}

/* Starts a fake on a free port of 127.0.0.1. */
static fake *fake_start(void) {
  fake *s = calloc(1, sizeof *s);
  atomic_store(&s->status, 200);
  pthread_mutex_init(&s->mu, NULL);
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof sa;
  assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(s->fd, 8), 0);
  getsockname(s->fd, (struct sockaddr *)&sa, &len);
  s->port = ntohs(sa.sin_port);
  pthread_create(&s->tid, NULL, fake_main, s);
  return s;
}

/* Stops the fake (the purger has closed its connections first). */
static void fake_stop(fake *s) {
  shutdown(s->fd, SHUT_RDWR);
  close(s->fd);
  pthread_join(s->tid, NULL);
  buf_free(&s->heads);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* Waits up to ms for text to be in what s received. Returns 1 when it is. */
static int fake_saw(fake *s, const char *text, int ms) {
  for (int i = 0; i < ms / 10; i++) {
    pthread_mutex_lock(&s->mu);
    int seen = strstr(buf_str(&s->heads), text) != NULL;
    pthread_mutex_unlock(&s->mu);
    if (seen) return 1;
    usleep(10 * 1000);
  }
  return 0;
}

static void the_purger_tells_nginx_then_the_edges_and_retries(void **state) {
  fixture *f = *state;
  fake *ngx = fake_start(), *edge = fake_start();
  char v[64], err[256];
  snprintf(v, sizeof v, "127.0.0.1:%d", ngx->port);
  assert_int_equal(setting_set(f->d, "cache_nginx", v), 0);
  snprintf(v, sizeof v, "127.0.0.1:%d", edge->port);
  assert_int_equal(setting_set(f->d, "cache_edges", v), 0);
  purger *p = purger_start(f->path, err, sizeof err);
  assert_non_null(p);
  assert_int_equal(purger_record(p, "GET http://site/articles/one?", "article-7 site", now_ms()), 0);
  usleep(100 * 1000);  /* the record reaches the index */
  long long t0 = now_ms();
  run(f, "UPDATE articles SET title = title || ' (new)' WHERE id = 7");
  long long seq = value(f, "SELECT max(seq) FROM changes");
  purger_wait(p, seq, 2000);
  /* A writer waits until nginx has forgotten the page, no longer. */
  assert_true(fake_saw(ngx, "X-Purge-Key: GET http://site/articles/one?\r\n", 10));
  assert_true(now_ms() - t0 < 1000);
  assert_true(fake_saw(edge, "PURGE / HTTP/1.1\r\n", 1000));
  assert_true(fake_saw(edge, "article-7", 1000));
  assert_true(fake_saw(edge, "xkey-purge: ", 10));

  /* The edge fails: the purge waits and is sent again once it answers. */
  atomic_store(&edge->status, 503);
  run(f, "DELETE FROM purges");
  run(f, "UPDATE articles SET summary = summary || ' Changed.' WHERE id = 8");
  for (int i = 0; i < 200 && value(f, "SELECT count(*) FROM purges WHERE tag = 'article-8'"
                                      " AND round = 0 AND attempts > 0 AND state = 'pending'") == 0; i++)
    usleep(10 * 1000);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE tag = 'article-8' AND round = 0"
                            " AND state = 'pending' AND error LIKE '%503%'"), 1);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE tag = 'article-8' AND round = 0"
                            " AND target = 'nginx' AND state = 'sent'"), 1);
  atomic_store(&edge->status, 200);
  for (int i = 0; i < 300 && value(f, "SELECT count(*) FROM purges WHERE tag = 'article-8'"
                                      " AND round = 0 AND state = 'pending'") > 0; i++)
    usleep(10 * 1000);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE tag = 'article-8' AND round = 0"
                            " AND state = 'sent' AND attempts > 1"), 1);
  assert_int_equal(value(f, "SELECT count(*) FROM purges WHERE tag = 'article-8' AND round = 0"
                            " AND state = 'sent'"), 2);
  purger_stop(p);
  fake_stop(ngx);
  fake_stop(edge);
}

static void without_an_nginx_to_purge_nothing_is_recorded(void **state) {
  fixture *f = *state;
  char err[256];
  purger *p = purger_start(f->path, err, sizeof err);
  assert_non_null(p);
  /* nginx must not keep what gazette cannot purge from it. */
  assert_int_equal(purger_record(p, "GET http://site/?", "home site", now_ms()), -1);
  long long t0 = now_ms();
  purger_wait(p, 1LL << 40, 1000);  /* nothing to wait for */
  assert_true(now_ms() - t0 < 200);
  purger_stop(p);
  assert_int_equal(value(f, "SELECT count(*) FROM cache_keys"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_change_becomes_one_purge_per_cache_and_coalesces, setup, teardown),
      cmocka_unit_test_setup_teardown(a_vote_waits_and_an_old_change_is_sent_once, setup, teardown),
      cmocka_unit_test_setup_teardown(a_write_waits_only_for_a_change_of_more_than_figures, setup, teardown),
      cmocka_unit_test_setup_teardown(a_pruned_log_purges_everything, setup, teardown),
      cmocka_unit_test_setup_teardown(a_scheduled_publication_is_a_change_when_its_time_comes, setup, teardown),
      cmocka_unit_test_setup_teardown(a_failure_is_tried_again_later_then_given_up, setup, teardown),
      cmocka_unit_test_setup_teardown(a_change_is_dated_when_it_was_read_not_when_the_pass_began,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(a_vote_is_purged_from_nginx_only_where_nginx_may_hold_it,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(nginx_keys_are_found_by_tag_until_purged, setup, teardown),
      cmocka_unit_test_setup_teardown(a_long_queue_is_not_read_whole, setup, teardown),
      cmocka_unit_test_setup_teardown(the_purger_tells_nginx_then_the_edges_and_retries, setup, teardown),
      cmocka_unit_test_setup_teardown(without_an_nginx_to_purge_nothing_is_recorded, setup, teardown),
  };
  return cmocka_run_group_tests_name("purge", tests, NULL, NULL);
}
