/*
** store_page.h: static pages (About, Contact...) as stored: what readers
** see of the published ones (the page, the footer's list, the API's list
** and the list a sitemap reads) and the newsroom's reads and writes.
** Functions return store results (store.h).
*/
#ifndef GAZETTE_STORE_PAGE_H
#define GAZETTE_STORE_PAGE_H

#include <cjson/cJSON.h>
#include <time.h>

#include "buf.h"
#include "db.h"

enum {
  PAGE_TITLE_MAX = 200,    /* characters */
  PAGE_SLUG_MAX = 200,     /* bytes */
  PAGE_BODY_MAX = 200000,  /* bytes, as the editor posts it */
  PAGE_POSITION_MAX = 9999,
};

/* ---- what readers see ---------------------------------------------- */

/* Loads the published page with this slug as {id, slug, title, body_html,
** created_at, updated_at}. Returns STORE_OK or STORE_NOT_FOUND. */
int pages_load(db *d, const char *slug, cJSON **out);

/* Appends the published pages listed in the footer to out as {slug,
** title}, in their order (position, then title). */
int pages_footer(db *d, cJSON *out);

/* Appends one page (1-based) of the published pages, in the footer's
** order, to out as {id, slug, title, updated_at} and sets *total. */
int pages_list(db *d, long page, long per_page, cJSON *out, long *total);

/* Appends every published page to out as {slug, updated_at}, for a
** sitemap. */
int pages_all_public(db *d, cJSON *out);

/* ---- the newsroom ------------------------------------------------------ */

/* A page as the editor's form holds it (its bufs freed by
** pages_form_free). */
typedef struct pages_form {
  long id;              /* 0: a new page */
  buf title, slug, body, status;
  int html;             /* the body is HTML (already sanitized), not Markdown */
  int in_footer;
  long position;
  char saved_status[16];
  buf saved_slug;
} pages_form;

/* Frees the bufs of f. */
void pages_form_free(pages_form *f);

/* Appends every page to out, by position and title, as {id, slug, title,
** status, in_footer, position, updated_at}. */
int pages_admin_list(db *d, cJSON *out);

/* Fills f (zeroed) from page id. Returns STORE_OK or STORE_NOT_FOUND. */
int pages_admin_load(db *d, long id, pages_form *f);

/* Makes into out a slug for page id (0: a new one) that no other page
** has: the slug of wanted, or else of title (or "page"), with -2, -3...
** added on a clash. Returns STORE_OK or STORE_ERROR. */
int pages_slug_choose(db *d, const char *wanted, const char *title, long id, buf *out);

/* Stores f at now by user, in one transaction: its slug (from the slug
** field, or else the title) made unique among pages, its body rendered
** (Markdown; an HTML body is stored as it is: the caller sanitized it).
** Sets f->id for a new page and leaves f->slug as stored. Returns
** STORE_OK or STORE_ERROR (nothing written). */
int pages_admin_save(db *d, time_t now, long user, pages_form *f);

/* Deletes page id. Returns STORE_OK or STORE_NOT_FOUND. */
int pages_admin_delete(db *d, long id);

#endif
