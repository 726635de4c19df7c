/*
** library.h: the picture library's files and rows kept in step. An import
** probes a picture, keeps its original, makes the sizes asked for and adds
** the row in one transaction, or leaves nothing at all; the background
** worker makes the sizes left in the queue; deleting removes the files no
** other picture shares; a start-up sweep removes what an interrupted run
** left half-written.
**
** Two folders (media_dirs): the media folder, which nginx serves at /media/
** and which holds only finished derived files under content-addressed names
** (plus ".tmp-*" files while they are written, which nginx refuses to
** serve), and the originals folder, outside the web root, which holds the
** originals as "<digest>.<type>" and the uploads while they arrive
** ("upload-*"). Both should be on one file system with each other so that
** keeping an original is a link, not a copy.
**
** Results: 0; -1 on a system or database error (reason in err); or the
** picture's refusal (IMAGE_UNSUPPORTED, IMAGE_TOO_MANY_PIXELS,
** IMAGE_CORRUPT from image.h), with a reason for the uploader in err.
*/
#ifndef GAZETTE_LIBRARY_H
#define GAZETTE_LIBRARY_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <time.h>

#include "db.h"
#include "jobs.h"

typedef struct media_dirs {
  const char *media;       /* served at /media/ */
  const char *originals;   /* not served */
} media_dirs;

/* What the uploader says of a picture. */
typedef struct media_words {
  long uploader;           /* user id, 0 for none */
  const char *filename;    /* for display only */
  const char *alt, *caption, *credit;
} media_words;

/* Which sizes library_import makes before it returns. */
enum {
  LIBRARY_QUEUE_ALL = 0,   /* none: the background worker makes them all */
  LIBRARY_FIRST = 1,       /* IMAGE_SIZES_FIRST now, the others queued */
};

/* Makes the two folders when missing (originals private to the server).
** Returns 0 or -1. */
int library_prepare(const media_dirs *dirs, char *err, size_t errlen);

/* Imports the picture at path: probes it (refused beyond max_pixels),
** keeps the original, makes the sizes now says (LIBRARY_*) under a slot of
** j, and adds the picture with what is made and a queue entry for the rest
** in one transaction. When every size of the picture is in the media
** folder already (the same picture was imported before), they are recorded
** and nothing is made or queued. On any failure nothing is left behind: no
** file this call made, no row, no queue entry. Sets *id. Returns 0, -1 or
** a refusal. */
int library_import(db *d, time_t now, const media_dirs *dirs, media_jobs *j, const char *path,
                   uint64_t max_pixels, int now_sizes, const media_words *w, long *id,
                   char *err, size_t errlen);

/* Makes the sizes of the next queued picture due at now, under a slot of
** j, and records them (or the failure, tried again later). Returns 1 when
** it worked on one, 0 when nothing was due, -1 on a database error. */
int library_work(db *d, time_t now, const media_dirs *dirs, media_jobs *j);

/* Removes the files gone names ({files: [names], original: name or null},
** as media_delete gives it) from the folders. */
void library_remove(const media_dirs *dirs, const cJSON *gone);

/* Removes what an interrupted run left: ".tmp-*" files in both folders
** and "upload-*" files in the originals folder. Returns how many. */
int library_sweep(const media_dirs *dirs);

/* What library_check found. */
typedef struct library_report {
  long pictures;           /* in the library */
  long requeued;           /* with a derived file missing: queued again */
  long no_original;        /* whose original is missing: cannot be made again */
} library_report;

/* Checks that every picture's derived files and original are in the
** folders (after a restore, say). A picture missing a derived file is
** queued again, so that gazette serve makes its sizes from the original;
** one missing its original is reported on stderr. Returns 0 or -1. */
int library_check(db *d, time_t now, const media_dirs *dirs, library_report *r);

/* Imports the pictures the demo content file names (articles' "image" and
** authors' "avatar": {file, alt, caption, credit}, file relative to
** from_dir) and gives them to their articles and authors; sizes are left
** to the queue. Returns the number imported, or -1 with a reason. */
int library_demo(db *d, time_t now, const media_dirs *dirs, const char *content_path,
                 const char *from_dir, char *err, size_t errlen);

#endif
