/*
** store_import.h: the SQL of `gazette import wordpress` (the importer is
** src/import/import.c): the one transaction an import runs in, the map of
** WordPress's ids to Gazette's, and the writes of accounts, categories,
** tags, articles, pages, comments, old addresses and the references to
** pictures. Functions return store results (store.h) and run inside the
** import's transaction.
*/
#ifndef GAZETTE_STORE_IMPORT_H
#define GAZETTE_STORE_IMPORT_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "store.h"

/* ---- the transaction ------------------------------------------------- */

/* Begins the import's transaction: BEGIN IMMEDIATE, its scratch tables,
** and a trigger (on this connection only) that keeps the change log
** quiet while it runs: one change of the whole site is noted at the end
** instead of one per row. */
int import_tx_begin(db *d);

/* Ends it: commits when commit is set (the articles' texts written last,
** and a change of the whole site noted when touched is set, so that every
** cache starts afresh), else rolls everything back. */
int import_tx_end(db *d, int commit, int touched);

/* ---- the map ----------------------------------------------------------- */

/* Sets *id to the id of the exported site at url, adding it if new. */
int import_source_id(db *d, const char *url, long *id);

enum { IMPORT_DIGEST_LEN = 16 };

/* What import_map says of a record, and what became of its target. */
typedef struct import_entry {
  int found;                  /* the record was imported before */
  long gazette_id;
  unsigned char digest[IMPORT_DIGEST_LEN];
  long long stamp;            /* the updated_at the import wrote (articles, pages) */
  int target_exists;          /* the Gazette row is still there */
  long long target_stamp;     /* its updated_at now (articles, pages) */
} import_entry;

/* Kinds of records; kind names in import_map. */
typedef enum {
  IMPORT_AUTHOR, IMPORT_CATEGORY, IMPORT_TAG, IMPORT_ARTICLE, IMPORT_PAGE, IMPORT_COMMENT
} import_kind;

/* Reads the entry of (src, kind, wp_id) into *e (e->found 0 when none).
** Returns STORE_OK or STORE_ERROR. */
int import_entry_get(db *d, long src, import_kind kind, const char *wp_id, import_entry *e);

/* Writes the entry of (src, kind, wp_id): its Gazette id, the term's
** slug (or NULL), the record's digest and the stamp (0: none). */
int import_entry_put(db *d, long src, import_kind kind, const char *wp_id, const char *wp_slug,
                     long gazette_id, const unsigned char digest[IMPORT_DIGEST_LEN],
                     long long stamp);

/* Sets *id to what the category or tag whose slug (nicename) is wp_slug
** became. Returns STORE_OK, or STORE_NOT_FOUND when it was not imported
** or is gone. */
int import_entry_by_slug(db *d, long src, import_kind kind, const char *wp_slug, long *id);

/* ---- accounts, categories, tags ---------------------------------------- */

/* Writes an author's account: a new one (id 0) as an author, disabled and
** without a password, named after wanted (made a valid, free user name);
** an existing one gets its display name and email. Sets *out to its id
** and appends its user name to name. */
int import_user_write(db *d, time_t now, long id, const char *wanted, const char *display,
                      const char *email, long *out, buf *name);

/* Writes a category (id 0: a new one, its slug made from wanted and free)
** with its name, description and parent (0: at the top). Sets *out. */
int import_category_write(db *d, long id, const char *wanted, const char *name,
                          const char *description, long parent, long *out);

/* Writes a tag (id 0: a new one, its slug made from wanted and free).
** Sets *out. */
int import_tag_write(db *d, long id, const char *wanted, const char *name, long *out);

/* Sets *id to the category whose slug is slug. Returns STORE_OK or
** STORE_NOT_FOUND. */
int import_category_find(db *d, const char *slug, long *id);

/* ---- articles and pages -------------------------------------------------- */

/* An article as the import writes it. */
typedef struct import_article {
  long id;                       /* 0: a new one */
  const char *slug;              /* wanted; made free */
  const char *title, *summary, *body_html, *lang, *dir, *status;
  int featured;
  long category_id, author_id;
  long long published_at;        /* 0: none */
  long long created_at, updated_at;
} import_article;

/* Writes a's row and its HTML body (kept aside until import_tx_end); an
** article live at now whose slug changes keeps its old one as a redirect.
** Sets *out to its id and appends its slug to slug. */
int import_article_write(db *d, time_t now, const import_article *a, long *out, buf *slug);

/* Gives article id exactly the tags tags[0..n) (fresh: it has none yet). */
int import_article_tags(db *d, long id, const long *tags, size_t n, int fresh);

/* Sets article id's comment_count to its approved comments: known when
** known >= 0 (all of them were just written), else counted. */
int import_article_count(db *d, long id, long known);

/* A static page as the import writes it. */
typedef struct import_page {
  long id;
  const char *slug, *title, *body_html, *status;
  int in_footer;
  long position, author_id;
  long long created_at, updated_at;
} import_page;

/* Writes p's row (its slug made free among pages). Sets *out and appends
** its slug to slug. */
int import_page_write(db *d, const import_page *p, long *out, buf *slug);

/* Appends the HTML text of article or page id (kind IMPORT_ARTICLE or
** IMPORT_PAGE) to html: an article's waiting in import_texts when it has
** one. Returns STORE_OK, or STORE_NOT_FOUND when it has none or its text
** is Markdown. */
int import_body_get(db *d, import_kind kind, long id, buf *html);

/* Sets the HTML body of article or page id; an article's version goes up,
** as with a save in the newsroom. */
int import_body_set(db *d, import_kind kind, long id, const char *html);

/* ---- comments --------------------------------------------------------------- */

typedef struct import_comment {
  long id;                       /* 0: a new one */
  long article_id, parent_id;    /* parent 0: at the top */
  const char *name, *email, *body, *status;
  long long created_at;
} import_comment;

/* Writes comment c. Sets *out. */
int import_comment_write(db *d, const import_comment *c, long *out);

/* Notes that comment id answers WordPress's comment wp_parent, not
** imported yet (it may come later in the file). */
int import_comment_defer(db *d, long id, const char *wp_parent);

/* Gives each deferred comment its parent now imported; calls fn for each
** whose parent never came (it stays at the top of its thread) and
** forgets them all. */
typedef void (*import_orphan_fn)(void *ud, long comment_id, const char *wp_parent);
int import_comment_settle(db *d, long src, import_orphan_fn fn, void *ud);

/* ---- old addresses -------------------------------------------------------- */

/* Makes the old address path lead to kind ("article", "page", "category",
** "tag", "author") target. Sets *added when it is new or led elsewhere. */
int import_legacy_put(db *d, const char *path, const char *kind, long target, int *added);

/* Looks up the old address path as legacy_find does (store.h), whatever
** its target's state (a draft's address is its address to be). Returns
** STORE_OK or STORE_NOT_FOUND. */
int import_legacy_target(db *d, const char *path, legacy_kind *kind, buf *key);

/* Appends to out the longest old address leading to kind target (a
** category's path with its parents'). Returns STORE_OK or
** STORE_NOT_FOUND. */
int import_legacy_longest(db *d, const char *kind, long target, buf *out);

/* Notes that the body of kind (IMPORT_ARTICLE or IMPORT_PAGE) id links to
** old addresses not imported yet; import_relink_each calls fn for each
** noted body, once. */
int import_relink_add(db *d, import_kind kind, long id);
typedef int (*import_relink_fn)(void *ud, import_kind kind, long id);
int import_relink_each(db *d, import_relink_fn fn, void *ud);

/* ---- attachments and pictures ---------------------------------------------- */

/* Writes (or rewrites) an attachment of the export; sets *changed when
** that wrote anything. */
int import_attachment_put(db *d, long src, long long wp_id, long long parent_wp_id,
                          const char *url, const char *file, const char *title, const char *alt,
                          const char *caption, int *changed);

/* Appends attachment wp_id's address, alt text and caption. Returns
** STORE_OK or STORE_NOT_FOUND. */
int import_attachment_get(db *d, long src, long long wp_id, buf *url, buf *alt, buf *caption);

/* Writes into ids up to max of the attachments of post parent_wp_id, in
** id order; returns how many (0 on an error). */
size_t import_attachment_children(db *d, long src, long long parent_wp_id, long long *ids,
                                  size_t max);

/* Notes article id's featured picture (WordPress's _thumbnail_id). */
int import_featured_put(db *d, long article_id, long src, long long attachment_wp_id);

/* Replaces the pictures noted for the body of kind id by the one url
** (url NULL: forgets them all). */
int import_images_clear(db *d, import_kind kind, long id);
int import_image_put(db *d, import_kind kind, long id, long src, const char *url);

/* Calls fn for each picture of the source's articles and pages: its
** role ("featured" or "body"), its address and, when known, its file
** under the uploads folder (the attachment's), or "" for a featured
** picture whose attachment is not in the export. */
typedef void (*import_picture_fn)(void *ud, const char *role, const char *url, const char *file);
int import_pictures_each(db *d, long src, import_picture_fn fn, void *ud);

/* Keeps this connection from queueing webhook deliveries (quiet set) or
** lets it again: what an import brings in was published on the old site,
** not now, and is not announced. */
int import_hooks_quiet(db *d, int quiet);

/* ---- the pictures taken into the library ------------------------------------ */

/* Sets *found to 1 when an attachment of the source has this file. */
int import_attachment_has_file(db *d, long src, const char *file, int *found);

/* Appends the alt text and the caption of the source's attachment with
** this file (nothing when there is none). */
int import_attachment_words(db *d, long src, const char *file, buf *alt, buf *caption);

/* Notes that the source's articles show file (of the uploads folder). */
int import_file_note(db *d, long src, const char *file);

/* Sets out to the first noted file after after (in byte order) that is
** neither in the library nor refused. Returns STORE_OK or STORE_NOT_FOUND
** (none left). */
int import_file_next(db *d, long src, const char *after, buf *out);

/* Records that file became picture media, or that the library refused it
** (media 0). */
int import_file_done(db *d, long src, const char *file, long media);

/* Sets *media to the library picture file became, or 0. */
int import_file_media(db *d, long src, const char *file, long *media);

/* Gives each of the source's articles that has no featured picture the
** library picture of its WordPress featured picture, when that is in the
** library; sets *given to how many. */
int import_featured_apply(db *d, long src, long *given);

/* Notes that the picture address url of a text is file of the uploads
** folder. */
int import_picture_url_put(db *d, long src, const char *url, const char *file);

/* Sets *id to the first of the source's articles or pages (kind
** IMPORT_ARTICLE or IMPORT_PAGE) after after whose HTML text shows a
** picture now in the library, and writes those pictures to urls, a line
** "address<TAB>picture id" each. Returns STORE_OK or STORE_NOT_FOUND
** (none left). */
int import_body_next(db *d, long src, import_kind kind, long after, long *id, buf *urls);

#endif
