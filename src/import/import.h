/*
** import.h: `gazette import wordpress`: a WordPress export (WXR, read as a
** stream by wxr.h) into the database, in one transaction.
**
** What comes across: authors as newsroom accounts (authors, disabled and
** without a password until `gazette user passwd`); categories with their
** parents, and tags; posts as articles and pages as static pages, their
** text kept as HTML through the sanitizer (sanitize.h); comments with
** their threads and states; attachments and featured pictures, whose
** files import_pictures then takes into the picture library; and
** every old address (permalinks, ?p=ID, category, tag and author pages,
** old slugs) in legacy_paths. Webhooks are not told of what comes in: it
** was published on the old site, not now. Links of the texts to the old site's own
** addresses are rewritten to the new ones when their target came across.
**
** Records are matched by the site they come from and WordPress's ids
** (import_map), so that a second run on the same file writes nothing and
** a run on a newer export writes what changed. An article or a page
** edited in the newsroom since it was imported is kept as it is, and one
** deleted there is not brought back.
**
** Memory does not grow with the file: what is kept at any time is one
** record of the file and the report's bounded tallies.
*/
#ifndef GAZETTE_IMPORT_H
#define GAZETTE_IMPORT_H

#include <stdio.h>
#include <time.h>

#include "db.h"
#include "i18n.h"

/* How an import is run. */
typedef struct import_options {
  const char *file;        /* the WXR export */
  const char *uploads;     /* the WordPress uploads folder, or NULL */
  const char *media_dir;   /* the picture library's folders (library.h), */
  const char *originals_dir;  /* for import_pictures */
  unsigned long long max_pixels;  /* the largest picture the library takes */
  int dry_run;             /* read and check everything, write nothing */
  long author_id;          /* who gets a post whose author the export does
                           ** not list (0: such a post is skipped) */
  FILE *missing;           /* gets each file not found in uploads, a line
                           ** each, or NULL */
  FILE *progress;          /* where a progress line goes (a terminal), or NULL */
  const i18n *langs;       /* the language catalogues */
  time_t now;
} import_options;

/* The rows of the report. */
typedef enum {
  ROW_AUTHORS, ROW_CATEGORIES, ROW_TAGS, ROW_ARTICLES, ROW_PAGES, ROW_COMMENTS,
  ROW_ATTACHMENTS, ROW_ADDRESSES, ROW_OTHER, ROW_COUNT
} import_row;

/* What happened to the records of one row. */
typedef struct import_tally {
  long created, updated, unchanged, skipped;
} import_tally;

enum { IMPORT_REASONS_MAX = 64, IMPORT_EXAMPLES = 6, IMPORT_MISSING_SHOWN = 10,
       IMPORT_SHORTCODES_SHOWN = 12 };

/* Why records were skipped (skip set) or brought across differently
** (a note), with how many and the WordPress ids of the first few. */
typedef struct import_reason {
  import_row row;
  int skip;
  const char *text;          /* a static string */
  long count;
  char examples[IMPORT_EXAMPLES][24];
  int nexamples;
} import_reason;

/* The report of an import. */
typedef struct import_report {
  char site[256];            /* the exported site's address */
  char version[8];           /* its WXR version */
  int dry_run;
  long items;                /* items of the file read */
  double seconds;
  import_tally rows[ROW_COUNT];
  long comments_by_status[3];  /* approved, held, spam: those written */
  import_reason reasons[IMPORT_REASONS_MAX];
  int nreasons;
  long reasons_lost;         /* reasons past the table's size */
  long featured, featured_found, body_pictures, remote_pictures;
  long checked_files, missing_files;
  char missing[IMPORT_MISSING_SHOWN][200];
  int nmissing;
  /* What import_pictures did. */
  long pictures_taken, pictures_refused, featured_given, texts_pointed;
  char refused[IMPORT_MISSING_SHOWN][200];
  int nrefused;
  long links_rewritten;
  /* What the sanitizer removed from all the texts (sanitize.h). */
  long removed_elements, removed_attributes, removed_urls, removed_frames, unknown_shortcodes;
  struct {
    char name[32];
    long count;
  } shortcodes[IMPORT_SHORTCODES_SHOWN];
  int nshortcodes;
} import_report;

/* Results of import_wordpress besides 0 and -1. */
enum {
  IMPORT_REFUSED = 1  /* the file is malformed, not WXR or of an unknown version */
};

/* Imports opt->file into d (see the top of this file) in one
** transaction, filling *rep. Returns 0 (committed, or rolled back for a
** dry run); IMPORT_REFUSED or -1 (the file cannot be read, or the
** database failed) with nothing written and one line in err (errlen
** bytes) saying why, with the line and column for a bad file. */
int import_wordpress(db *d, const import_options *opt, import_report *rep, char *err,
                     size_t errlen);

/* Takes the files of the uploads folder that the import of rep's site
** found its articles show (featured or in their texts) into the picture
** library, once each, unless it is a dry run or there is no uploads
** folder: each picture in a transaction of its own, a file the library
** refuses (not a picture, too large) counted and listed in rep. Then, in
** one transaction, gives each imported article without a featured picture
** its WordPress one and points the <img> of the HTML texts to the
** library's pictures. Run after import_wordpress has committed; what it
** leaves undone, a run again does. Returns 0, or -1 with a line in err. */
int import_pictures(db *d, const import_options *opt, import_report *rep, char *err,
                    size_t errlen);

/* Writes the report to out: a table of what was created, updated, left
** unchanged and skipped per kind, then each reason for a skip or a note
** with the first WordPress ids, the pictures, and what the sanitizer
** removed. */
void import_report_print(const import_report *rep, const char *file, FILE *out);

#endif
