/*
** import_int.h: what the files of the WordPress import share among
** themselves: the importer's state while it reads a file (import.c), the
** report's bookkeeping (import_report.c) and the pictures (import_media.c).
*/
#ifndef GAZETTE_IMPORT_INT_H
#define GAZETTE_IMPORT_INT_H

#include <sys/types.h>

#include "html_text.h"
#include "import.h"
#include "import_text.h"
#include "sanitize.h"
#include "store_import.h"
#include "wxr.h"

/* What the item being read became. */
typedef enum {
  ITEM_NONE,      /* not an article (a page, an attachment, skipped...) */
  ITEM_ARTICLE,   /* an article, written or unchanged: its comments follow */
  ITEM_PAGE,      /* a static page: its comments are not imported */
  ITEM_SKIPPED,   /* skipped: its comments are skipped too */
} item_state;

/* The importer while it reads one file. */
typedef struct importer {
  db *d;
  const import_options *opt;
  import_report *rep;
  long src;                  /* import_sources id of the exported site */
  import_hosts hosts;        /* the old site's own hosts */
  import_hosts upload_hosts; /* hosts its attachments are served from */
  const char *lang, *dir;    /* the site's language and its direction */
  const char *rtl_lang;      /* a language written right to left, or NULL */
  sanitize_options san;
  unsigned char seed[IMPORT_DIGEST_LEN];  /* what digests depend on besides the record */
  /* The item being read. */
  item_state item;
  long item_id;              /* the article's (or page's) id in Gazette */
  char item_wp[24];          /* its WordPress id */
  long long item_published;  /* its publication time, for comments without one */
  int item_relink;           /* its text links to old addresses not imported yet */
  int item_deferred;         /* some of its comments wait for their parent */
  int item_new;              /* written for the first time: nothing of it is stored yet */
  long item_approved;        /* approved comments written for it */
  /* The record being written as the reader thread prepared it (its
  ** text sanitized, its digest and plain texts), or NULL: the writer
  ** works them out itself. */
  const struct qmsg *pre;
  /* Progress. */
  int fd;
  off_t size;
  double started, shown;
  long long changes_at_start;
  /* Scratch, reused from record to record. */
  buf a, b, c, html, slug, sanitized;
  buf img_url, img_alt, img_caption;
  int pictures_failed;       /* media_finish could not note a picture */
  char err[512];
} importer;

/* Records the reason for the record of row with WordPress id wp_id
** (may be NULL): a skip (skip set) or a note. */
void report_reason(import_report *r, import_row row, int skip, const char *text,
                   const char *wp_id);

/* Counts a skipped record of row and its reason. */
void report_skip(import_report *r, import_row row, const char *text, const char *wp_id);

/* Adds what the sanitizer removed from one text to the report. */
void report_sanitized(import_report *r, const sanitize_report *s);

/* Records the attachment item it (import_media.c). Returns 0 or -1. */
int media_attachment(importer *im, const wxr_item *it);

/* Notes the featured picture of article id, the attachment wp_thumb
** (WordPress's _thumbnail_id). Returns 0 or -1. */
int media_featured(importer *im, long article_id, const char *wp_thumb);

/* Notes the pictures of the sanitized text html of kind id (those noted
** before are forgotten, unless the item is new). Returns 0 or -1. */
int media_body(importer *im, import_kind kind, long id, const char *html);

/* Counts the pictures of the import in the report and, with an uploads
** folder, checks that their files are there. Returns 0 or -1. */
int media_finish(importer *im);

/* The sanitizer's callbacks for [gallery]: an attachment by id, and the
** attachments of the item being read. */
int media_image(void *ud, long long id, sanitize_image *img);
size_t media_attached(void *ud, long long *ids, size_t max);

#endif
