/*
** store_media.h: the picture library as stored: the pictures, the files
** made of each, the queue of sizes still to make, which articles and
** accounts use a picture, and an article's text rendered with its
** pictures. The files themselves are the media module's (library.h); this
** is only the SQL. Functions return store results (store.h).
**
** A picture record (what pages and the API are built from; see picture.h)
** is {id, width, height, type, alt, caption, credit, files: [{format,
** width, height, name, bytes}]}, files in increasing width. A picture
** whose sizes are not made yet has no record: it is not shown.
*/
#ifndef GAZETTE_STORE_MEDIA_H
#define GAZETTE_STORE_MEDIA_H

#include <cjson/cJSON.h>
#include <time.h>

#include "db.h"
#include "store.h"

enum {
  MEDIA_ALT_MAX = 500,       /* characters of alt text */
  MEDIA_CAPTION_MAX = 1000,  /* characters of a caption */
  MEDIA_CREDIT_MAX = 200,    /* characters of a credit */
  MEDIA_FILENAME_MAX = 255,  /* bytes of the uploader's file name kept */
  MEDIA_QUEUE_TRIES = 5,     /* a derivation failing this often stays failed */
  BODY_PICTURES_MAX = 100,   /* library pictures one article's text may show */
};

/* One derived file, as recorded. */
typedef struct media_file {
  const char *name;
  const char *format;        /* "webp" or "jpeg" */
  int width, height;
  long long bytes;
} media_file;

/* A new picture: what the probe found and the uploader said. */
typedef struct media_new {
  long uploader;             /* user id; 0 for none (the demo's loader) */
  const char *filename, *type, *digest, *original;
  int width, height;
  long long bytes;
  const char *alt, *caption, *credit;
  const media_file *files;   /* the sizes made already */
  size_t nfiles;
  int queue;                 /* 1: more sizes are to be made */
} media_new;

/* Adds picture m with its files (and its queue entry) in one transaction;
** sets *id. Returns STORE_OK or STORE_ERROR (nothing written). */
int media_insert(db *d, time_t now, const media_new *m, long *id);

/* Loads picture id for the newsroom: {id, filename, type, width, height,
** bytes, alt, caption, credit, uploader_id, uploader, created_at, digest,
** original, queued (sizes still to make), error (the last failure, or
** ""), files: [...]}. Returns STORE_OK or STORE_NOT_FOUND. */
int media_load(db *d, long id, cJSON **out);

/* Loads the picture record of id (see above). Returns STORE_OK, or
** STORE_NOT_FOUND when there is no such picture or no file of it yet. */
int media_picture(db *d, long id, cJSON **out);

/* Loads the picture record of id when readers may see it as of now: the
** featured picture or one in the text of a visible article, or the avatar
** of an enabled author of one. Returns STORE_OK or STORE_NOT_FOUND. */
int media_public(db *d, time_t now, long id, cJSON **out);

/* For each object of objs (an array of objects, or one object) that has a
** number member id_key: removes it and adds to_key, the picture record of
** that id or null (no such picture, or no file yet). Objects without
** id_key are left alone. One query for all of them. */
int media_attach(db *d, cJSON *objs, const char *id_key, const char *to_key);

/* The newsroom's list: filters (0 or NULL: any). */
typedef struct media_filter {
  const char *q;             /* words in the file name, alt text or caption */
  long uploader;
  const char *type;          /* "jpeg", "png", ... */
  int unused;                /* 1: only pictures no article, page or account uses */
  long page, per_page;
  long total;                /* filled */
} media_filter;

/* Appends one page of the pictures matching f, newest first, each {id,
** filename, type, width, height, alt, caption, uploader_id, uploader,
** created_at, uses (articles and accounts using it), queued, picture (the
** record, or null)}, and sets f->total. */
int media_list(db *d, media_filter *f, cJSON *out);

/* Appends {id, name} of every account that uploaded a picture to out. */
int media_uploaders(db *d, cJSON *out);

/* Appends the pictures with alt text that are ready to show, newest
** first, at most max of them, as {id, filename, alt}, for choosing one.
** always (when not 0) is listed first whatever it is. */
int media_choices(db *d, long always, int max, cJSON *out);

/* Sets the alt text, caption and credit of picture id. Returns STORE_OK or
** STORE_NOT_FOUND. */
int media_update(db *d, time_t now, long id, const char *alt, const char *caption,
                 const char *credit);

/* Appends what uses picture id to out: {articles: [{id, title, status,
** how ("featured" or "text")}], accounts: [{id, name}]}; sets *count to
** the number of uses. */
int media_usage(db *d, long id, cJSON *out, long *count);

/* Deletes picture id in one transaction, unless something uses it
** (STORE_IN_USE). On STORE_OK *gone is {files: [names], original: name or
** null}: the files no other picture shares, for the caller to remove.
** Returns STORE_OK, STORE_NOT_FOUND, STORE_IN_USE or STORE_ERROR. */
int media_delete(db *d, long id, cJSON **gone);

/* Puts picture with in the place of picture id everywhere (featured
** pictures, articles' texts, avatars), then deletes id, in one
** transaction; *gone as media_delete. Returns STORE_OK, STORE_NOT_FOUND
** (either picture), STORE_IN_USE (with is id) or STORE_ERROR. */
int media_replace(db *d, time_t now, long id, long with, cJSON **gone);

/* Sets user id's avatar to picture media (0: none). Returns STORE_OK or
** STORE_NOT_FOUND (no such user or picture). */
int media_set_avatar(db *d, long user, long media);

/* Reads user id's avatar picture id into *media (0: none). */
int media_avatar_of(db *d, long user, long *media);

/* Sets *used to 1 when a recorded file of any picture is called name,
** else 0. */
int media_name_used(db *d, const char *name, int *used);

/* Sets *used to 1 when a picture's original is called name, else 0. */
int media_original_used(db *d, const char *name, int *used);

/* Makes media the featured picture of the article with this slug (the
** demo's loader). Returns STORE_OK or STORE_NOT_FOUND. */
int media_feature_slug(db *d, const char *slug, long media);

/* Makes media the avatar of the account username (the demo's loader).
** Returns STORE_OK or STORE_NOT_FOUND. */
int media_avatar_username(db *d, const char *username, long media);

/* ---- the queue ---------------------------------------------------------- */

/* Loads the next derivation due at now into *job: {id, original, type,
** digest, width, height, bytes}. Returns STORE_OK, or STORE_NOT_FOUND when
** nothing is due. */
int media_queue_next(db *d, time_t now, cJSON **job);

/* Records the files made for picture id, takes it off the queue and
** renders again the texts that show it, in one transaction. */
int media_queue_done(db *d, time_t now, long id, const media_file *files, size_t n);

/* Records a failed derivation of id: tried again later, up to
** MEDIA_QUEUE_TRIES times. */
int media_queue_failed(db *d, time_t now, long id, const char *error);

/* Sets *n to the derivations waiting (failed ones included). */
int media_queue_count(db *d, long *n);

/* Appends every picture to out as {id, original, files: [names]}. */
int media_inventory(db *d, cJSON *out);

/* Forgets the files recorded for picture id and queues it, so that the
** background worker makes every size again. */
int media_requeue(db *d, time_t now, long id);

/* ---- an article's text with its pictures -------------------------------- */

/* What body_render found in a text. */
typedef struct body_pictures {
  long ids[BODY_PICTURES_MAX];  /* the library pictures shown, once each */
  size_t n;
  long missing;              /* the first "/media/ID" not in the library, or 0 */
  long no_alt;               /* the first picture shown without alt text, or 0 */
  int too_many;              /* more than BODY_PICTURES_MAX pictures */
  int external;              /* images from other sites (blocked by the CSP) */
  char first_external[300];  /* the first one's address, cut */
} body_pictures;

/* Renders the Markdown md[0..n) to HTML (newly allocated; NULL when out
** of memory), library pictures as <picture> elements (a <figure> when
** alone in a paragraph), and fills *bp. A picture not in the library, or
** without any file yet, is shown as its alt text. */
char *body_render(db *d, const char *md, size_t n, body_pictures *bp);

/* Renders an HTML text (as the sanitizer keeps it) for readers: each
** <img> whose src is "/media/ID" becomes the library's picture, as
** body_render does, and the rest is copied. Returns a new string (NULL
** when out of memory) and fills *bp. Either looks each picture up in the
** library once, however often the text shows it, 256 ids at most, and
** shows pictures 512 times at most (the others show as their alt text, as
** do pictures past BODY_PICTURES_MAX, which the text shows too many of). */
char *body_render_html(db *d, const char *html, body_pictures *bp);

/* Makes html (an HTML text as the sanitizer keeps it) article's text,
** rendered by body_render_html, with the pictures it shows, and raises the
** article's version (an editor's form opened before it is then refused on
** save rather than undoing it). Inside the caller's transaction. */
int body_save_html(db *d, long article, const char *html);

/* Records that article id's text shows the pictures of bp (and no
** others). Inside the caller's transaction. */
int body_pictures_save(db *d, long article, const body_pictures *bp);

/* ---- a static page's text with its pictures --------------------------------- */

/* Renders the text src of page (HTML when is_html, else Markdown) as
** body_render_html or body_render does and records the pictures it shows
** (page_media; page may not be 0). Returns the HTML (newly allocated), or
** NULL when out of memory or the database failed. Inside the caller's
** transaction. */
char *page_text_render(db *d, long page, const char *src, int is_html);

/* Makes src page's text (HTML when is_html, else Markdown), rendered by
** page_text_render. Inside the caller's transaction. */
int page_text_store(db *d, long page, const char *src, int is_html);

#endif
