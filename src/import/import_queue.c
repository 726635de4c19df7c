/*
** import_queue.c: the records between the import's two threads, and their
** queue (see import_queue.h).
*/
#include "import_queue.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- records ------------------------------------------------------------ */

/* The string fields of each record, as lists of pointers to its members:
** a record is copied by copying these into its allocation. */
#define ITEM_STRINGS(X)                                                                \
  X(title) X(link) X(pub_date) X(creator) X(guid) X(description) X(content) X(excerpt) \
  X(post_id) X(post_date) X(post_date_gmt) X(post_modified) X(post_modified_gmt)        \
  X(comment_status) X(ping_status) X(post_name) X(status) X(post_parent) X(menu_order)  \
  X(post_type) X(post_password) X(is_sticky) X(attachment_url)
#define COMMENT_STRINGS(X)                                                               \
  X(comment_id) X(author) X(author_email) X(author_url) X(author_ip) X(date) X(date_gmt) \
  X(content) X(approved) X(type) X(parent) X(user_id)

/* Space being filled at the end of a record. */
typedef struct arena {
  char *p, *end;
} arena;

/* Copies s into a; returns the copy. */
static const char *arena_put(arena *a, const char *s) {
  size_t n = strlen(s) + 1;
  char *at = a->p;
  memcpy(at, s, n);
  a->p += n;
  return at;
}

/* Takes n bytes of a, aligned for pointers; returns them. */
static void *arena_take(arena *a, size_t n) {
  uintptr_t at = ((uintptr_t)a->p + 15) & ~(uintptr_t)15;
  a->p = (char *)at + n;
  return (void *)at;
}

/* Returns a new record of kind with room for extra bytes after it, and
** the arena over that room. */
static qmsg *qmsg_new(qm_kind kind, size_t extra, arena *a) {
  size_t size = sizeof(qmsg) + extra + 64;
  qmsg *m = calloc(1, size);
  if (!m) abort();
  m->kind = kind;
  m->bytes = size;
  a->p = (char *)(m + 1);
  a->end = (char *)m + size;
  return m;
}

/* Returns the bytes of the NULL-terminated list of strings. */
static size_t strings_size(const char *const *list) {
  size_t n = 0;
  for (; *list; list++) n += strlen(*list) + 1;
  return n;
}

qmsg *qmsg_site(const wxr_site *s) {
  const char *all[] = {s->wxr_version, s->title, s->link, s->description, s->language,
                       s->base_site_url, s->base_blog_url, NULL};
  arena a;
  qmsg *m = qmsg_new(QM_SITE, strings_size(all), &a);
  wxr_site *d = &m->u.site;
  d->wxr_version = arena_put(&a, s->wxr_version);
  d->title = arena_put(&a, s->title);
  d->link = arena_put(&a, s->link);
  d->description = arena_put(&a, s->description);
  d->language = arena_put(&a, s->language);
  d->base_site_url = arena_put(&a, s->base_site_url);
  d->base_blog_url = arena_put(&a, s->base_blog_url);
  return m;
}

qmsg *qmsg_author(const wxr_author *s) {
  const char *all[] = {s->author_id, s->login, s->email, s->display_name, s->first_name,
                       s->last_name, NULL};
  arena a;
  qmsg *m = qmsg_new(QM_AUTHOR, strings_size(all), &a);
  wxr_author *d = &m->u.author;
  d->author_id = arena_put(&a, s->author_id);
  d->login = arena_put(&a, s->login);
  d->email = arena_put(&a, s->email);
  d->display_name = arena_put(&a, s->display_name);
  d->first_name = arena_put(&a, s->first_name);
  d->last_name = arena_put(&a, s->last_name);
  return m;
}

qmsg *qmsg_category(const wxr_category *s) {
  const char *all[] = {s->term_id, s->nicename, s->parent, s->name, s->description, NULL};
  arena a;
  qmsg *m = qmsg_new(QM_CATEGORY, strings_size(all), &a);
  wxr_category *d = &m->u.category;
  d->term_id = arena_put(&a, s->term_id);
  d->nicename = arena_put(&a, s->nicename);
  d->parent = arena_put(&a, s->parent);
  d->name = arena_put(&a, s->name);
  d->description = arena_put(&a, s->description);
  return m;
}

qmsg *qmsg_tag(const wxr_tag *s) {
  const char *all[] = {s->term_id, s->slug, s->name, s->description, NULL};
  arena a;
  qmsg *m = qmsg_new(QM_TAG, strings_size(all), &a);
  wxr_tag *d = &m->u.tag;
  d->term_id = arena_put(&a, s->term_id);
  d->slug = arena_put(&a, s->slug);
  d->name = arena_put(&a, s->name);
  d->description = arena_put(&a, s->description);
  return m;
}

qmsg *qmsg_term(const wxr_term *s) {
  const char *all[] = {s->term_id, s->taxonomy, s->slug, s->parent, s->name, s->description,
                       NULL};
  arena a;
  qmsg *m = qmsg_new(QM_TERM, strings_size(all), &a);
  wxr_term *d = &m->u.term;
  d->term_id = arena_put(&a, s->term_id);
  d->taxonomy = arena_put(&a, s->taxonomy);
  d->slug = arena_put(&a, s->slug);
  d->parent = arena_put(&a, s->parent);
  d->name = arena_put(&a, s->name);
  d->description = arena_put(&a, s->description);
  return m;
}

/* Returns the bytes the meta pairs take, with their array. */
static size_t meta_size(const wxr_meta *meta, size_t n) {
  size_t size = n * sizeof(wxr_meta) + 16;
  for (size_t i = 0; i < n; i++) size += strlen(meta[i].key) + strlen(meta[i].value) + 2;
  return size;
}

/* Copies the meta pairs into a; returns the copy. */
static const wxr_meta *meta_copy(arena *a, const wxr_meta *meta, size_t n) {
  wxr_meta *d = arena_take(a, n * sizeof *d);
  for (size_t i = 0; i < n; i++) {
    d[i].key = arena_put(a, meta[i].key);
    d[i].value = arena_put(a, meta[i].value);
  }
  return d;
}

qmsg *qmsg_item(qm_kind kind, const wxr_item *s, const char *sanitized, size_t n) {
  size_t size = meta_size(s->meta, s->meta_count) + s->term_count * sizeof(wxr_term_ref) + 16;
#define SIZE_OF(f) size += strlen(s->f) + 1;
  ITEM_STRINGS(SIZE_OF)
#undef SIZE_OF
  for (size_t i = 0; i < s->term_count; i++)
    size += strlen(s->terms[i].domain) + strlen(s->terms[i].nicename) + strlen(s->terms[i].name) + 3;
  if (sanitized) size += n + 1;
  arena a;
  qmsg *m = qmsg_new(kind, size, &a);
  wxr_item *d = &m->u.item;
  *d = *s;
#define COPY(f) d->f = arena_put(&a, s->f);
  ITEM_STRINGS(COPY)
#undef COPY
  wxr_term_ref *t = arena_take(&a, s->term_count * sizeof *t);
  for (size_t i = 0; i < s->term_count; i++) {
    t[i].domain = arena_put(&a, s->terms[i].domain);
    t[i].nicename = arena_put(&a, s->terms[i].nicename);
    t[i].name = arena_put(&a, s->terms[i].name);
  }
  d->terms = t;
  d->meta = meta_copy(&a, s->meta, s->meta_count);
  if (sanitized) {
    char *h = a.p;
    memcpy(h, sanitized, n);
    h[n] = 0;
    a.p += n + 1;
    m->sanitized = h;
  }
  return m;
}

qmsg *qmsg_comment(const wxr_comment *s) {
  size_t size = meta_size(s->meta, s->meta_count);
#define SIZE_OF(f) size += strlen(s->f) + 1;
  COMMENT_STRINGS(SIZE_OF)
#undef SIZE_OF
  arena a;
  qmsg *m = qmsg_new(QM_COMMENT, size, &a);
  wxr_comment *d = &m->u.comment;
  *d = *s;
#define COPY(f) d->f = arena_put(&a, s->f);
  COMMENT_STRINGS(COPY)
#undef COPY
  d->meta = meta_copy(&a, s->meta, s->meta_count);
  return m;
}

qmsg *qmsg_end(int rc, const char *err) {
  arena a;
  qmsg *m = qmsg_new(QM_END, 0, &a);
  m->rc = rc;
  snprintf(m->err, sizeof m->err, "%s", err ? err : "");
  return m;
}

qmsg *qmsg_mark(qm_kind kind) {
  arena a;
  return qmsg_new(kind, 0, &a);
}

/* Returns a NUL-terminated copy of s[0..n). */
static char *copy_of(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (!c) abort();
  if (n) memcpy(c, s, n);
  c[n] = 0;
  return c;
}

void qmsg_texts(qmsg *m, const char *a, size_t an, const char *b, size_t bn) {
  m->text1 = copy_of(a, an);
  m->text2 = copy_of(b, bn);
  m->bytes += an + bn + 2;
}

void qmsg_free(qmsg *m) {
  if (!m) return;
  free(m->text1);
  free(m->text2);
  free(m);
}

/* ---- the queue ------------------------------------------------------------ */

struct import_queue {
  pthread_mutex_t mu;
  pthread_cond_t room, ready;
  qmsg *head, *tail;
  size_t bytes, max_bytes;
  int stopped;
};

import_queue *queue_new(size_t max_bytes) {
  import_queue *q = calloc(1, sizeof *q);
  if (!q) abort();
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->room, NULL);
  pthread_cond_init(&q->ready, NULL);
  q->max_bytes = max_bytes;
  return q;
}

void queue_free(import_queue *q) {
  if (!q) return;
  while (q->head) {
    qmsg *m = q->head;
    q->head = m->next;
    qmsg_free(m);
  }
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->room);
  pthread_cond_destroy(&q->ready);
  free(q);
}

int queue_push(import_queue *q, qmsg *m) {
  int end = m->kind == QM_END;
  pthread_mutex_lock(&q->mu);
  while (!end && !q->stopped && q->head && q->bytes + m->bytes > q->max_bytes)
    pthread_cond_wait(&q->room, &q->mu);
  int stopped = q->stopped && !end;
  if (!stopped) {
    m->next = NULL;
    if (q->tail) q->tail->next = m;
    else q->head = m;
    q->tail = m;
    q->bytes += m->bytes;
    pthread_cond_signal(&q->ready);
  }
  pthread_mutex_unlock(&q->mu);
  if (stopped) qmsg_free(m);
  return stopped ? -1 : 0;
}

qmsg *queue_pop(import_queue *q) {
  pthread_mutex_lock(&q->mu);
  while (!q->head) pthread_cond_wait(&q->ready, &q->mu);
  qmsg *m = q->head;
  q->head = m->next;
  if (!q->head) q->tail = NULL;
  q->bytes -= m->bytes;
  pthread_cond_signal(&q->room);
  pthread_mutex_unlock(&q->mu);
  return m;
}

void queue_stop(import_queue *q) {
  pthread_mutex_lock(&q->mu);
  q->stopped = 1;
  pthread_cond_broadcast(&q->room);
  pthread_mutex_unlock(&q->mu);
}
