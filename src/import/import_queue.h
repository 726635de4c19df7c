/*
** import_queue.h: the WordPress import's two threads. One reads the file
** (wxr.h) and sanitizes the texts of posts and pages (sanitize.h), the
** other writes the database; between them a queue of records, each copied
** whole into one allocation, bounded in bytes so that memory does not
** grow with the file: the reader waits while the queue is full.
**
** A record's pointers point into its own allocation and live as long as
** it does (qmsg_free).
*/
#ifndef GAZETTE_IMPORT_QUEUE_H
#define GAZETTE_IMPORT_QUEUE_H

#include <stddef.h>

#include "sanitize.h"
#include "wxr.h"

/* What a record of the queue is. */
typedef enum {
  QM_SITE, QM_AUTHOR, QM_CATEGORY, QM_TAG, QM_TERM, QM_ITEM, QM_COMMENT, QM_ITEM_END, QM_END
} qm_kind;

/* One record. */
typedef struct qmsg {
  struct qmsg *next;
  qm_kind kind;
  size_t bytes;              /* its size, as the queue counts it */
  union {
    wxr_site site;
    wxr_author author;
    wxr_category category;
    wxr_tag tag;
    wxr_term term;
    wxr_item item;           /* QM_ITEM, QM_ITEM_END (whole only when late) */
    wxr_comment comment;
  } u;
  /* QM_ITEM: the text as the sanitizer keeps it and what it removed, or
  ** NULL when the writer must sanitize it (it names attachments, which
  ** only the database knows, or the sanitizer refused it). */
  const char *sanitized;
  sanitize_report srep;
  /* QM_ITEM, QM_COMMENT: what the reader worked out of the record
  ** (prepared set), so that the writer need not: its digest, its two
  ** texts as plain text (an item's title and excerpt, a comment's author
  ** and text) and whether the item's text is written right to left. */
  int prepared;
  unsigned char digest[16];
  char *text1, *text2;       /* separate allocations, freed with the record */
  int rtl;
  int rc;                    /* QM_END: the reader's result (wxr.h) */
  char err[512];             /* QM_END: its reason */
} qmsg;

/* Copies of the reader's records (the strings, terms and meta with them).
** Each returns a new record; allocation failure aborts. */
qmsg *qmsg_site(const wxr_site *s);
qmsg *qmsg_author(const wxr_author *a);
qmsg *qmsg_category(const wxr_category *c);
qmsg *qmsg_tag(const wxr_tag *t);
qmsg *qmsg_term(const wxr_term *t);
/* kind QM_ITEM or QM_ITEM_END; sanitized (may be NULL) is copied too. */
qmsg *qmsg_item(qm_kind kind, const wxr_item *it, const char *sanitized, size_t n);
qmsg *qmsg_comment(const wxr_comment *c);
qmsg *qmsg_end(int rc, const char *err);
/* A record of kind with nothing in it (an item's end when nothing came
** after its comments: its late is 0). */
qmsg *qmsg_mark(qm_kind kind);

/* Gives record m its prepared texts (copies of a[0..an) and b[0..bn)). */
void qmsg_texts(qmsg *m, const char *a, size_t an, const char *b, size_t bn);

/* Frees a record. */
void qmsg_free(qmsg *m);

typedef struct import_queue import_queue;

/* Returns a new queue holding at most max_bytes of records (and always
** at least one). */
import_queue *queue_new(size_t max_bytes);

/* Frees the queue and the records left in it. */
void queue_free(import_queue *q);

/* Adds m at the end, waiting while the queue is full. Returns 0, or -1
** when the queue was stopped (m is then freed). The reader's last record
** (QM_END) always goes in, full or stopped. */
int queue_push(import_queue *q, qmsg *m);

/* Takes the first record, waiting while there is none. */
qmsg *queue_pop(import_queue *q);

/* Stops the queue: every push from now on fails, and a push waiting for
** room gives up. */
void queue_stop(import_queue *q);

#endif
