/*
** store_admin_article.h: the newsroom's reads and writes of articles (the
** readers' queries are in store.h): the editor's form as stored, slugs,
** tags, revisions, and the article list with its filters.
**
** Functions return store results (store.h).
*/
#ifndef GAZETTE_STORE_ADMIN_ARTICLE_H
#define GAZETTE_STORE_ADMIN_ARTICLE_H

#include <cjson/cJSON.h>

#include <time.h>

#include "buf.h"
#include "db.h"
#include "slug.h"

enum {
  ARTICLE_TITLE_MAX = 200,      /* characters */
  ARTICLE_SLUG_MAX = 200,       /* bytes */
  ARTICLE_SUMMARY_MAX = 500,    /* characters */
  ARTICLE_BODY_MAX = 200000,    /* bytes */
  ARTICLE_TAGS_MAX = 20,        /* tags on one article */
  ARTICLE_TAG_MAX = 60,         /* characters in one tag's name */
  ARTICLE_AUTHORS_MAX = 10,     /* authors besides the byline's */
};

/* An article as the editor's form holds it. The bufs belong to the form
** (article_form_free); the saved_ fields describe the stored article. */
typedef struct article_form {
  long id;                      /* 0: a new article */
  long author_id;
  long category_id;
  long image_id;                /* the featured picture; 0: none */
  int featured;
  int html;                     /* the body is HTML (already sanitized), not Markdown */
  buf title, slug, summary, body, tags, lang, status, when;
  const char *dir;              /* the text direction of lang */
  long long published_at;       /* to store; 0: none */
  char saved_status[16];        /* "" for a new article */
  long long saved_published_at; /* 0: none */
  int saved_live;               /* readers see the stored article now */
  buf saved_slug;
  /* The desk's fields; a zeroed form leaves each as it was before them. */
  long version;                 /* loaded: the stored version; to save: the
                                ** version the editing started from, the
                                ** save refused when another came in
                                ** between (0: not checked) */
  int small_edit;               /* readers are not told of this edit */
  int comments_closed;          /* readers may not comment */
  int coauthors_given;          /* set: coauthors replace the stored ones */
  int ncoauthors;
  long coauthors[ARTICLE_AUTHORS_MAX]; /* the byline's other authors */
} article_form;

/* Frees the bufs of f. */
void article_form_free(article_form *f);

/* Fills f (which must be zeroed) from the stored article id as of now, its
** tags joined by ", ", its version, comment switch and other authors.
** Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int admin_article_load(db *d, time_t now, long id, article_form *f);

/* Makes into out a slug for article id (0: a new one) that no other
** article has, now or as an old slug: the slug of wanted, or else of
** title (or "article"), with -2, -3 ... added on a clash. Returns 0 or
** -1. */
int article_slug_choose(db *d, const char *wanted, const char *title, long id, buf *out);

/* Stores f in one transaction: makes its slug (from the slug field, or
** the title when empty) unique, renders the body (Markdown, with the
** library's pictures, which it records as the text's: body_render; an HTML
** body is stored as it is: the caller has sanitized it), writes the article
** (created by user when f->id is 0, then f->id is set), its tags
** (creating unknown ones), a revision by user, and, when the slug of an
** article visible to readers changes, a redirect from the old slug, all at
** now. The revision notes the status it set and the one before. The byline
** is f->author_id (0: user's, for a new article); readers are told of the
** edit ("Updated") unless f->small_edit. f->slug ends as stored, f->version
** as the new version. Returns STORE_OK, STORE_CONFLICT when f->version is
** set and the stored article has another (nothing written), or
** STORE_ERROR (nothing written). */
int admin_article_save(db *d, time_t now, long user, article_form *f);

/* Adds the tag called name (created when no tag has its slug) to article
** id, as changed by user at now. Returns STORE_OK, STORE_NOT_FOUND or
** STORE_ERROR. */
int admin_article_add_tag(db *d, time_t now, long user, long id, const char *name);

/* admin_article_save's writes, as a step of the caller's transaction (the
** API checks an article's ETag and saves it in one). On failure f->id may
** have been set; the caller rolls back. Returns STORE_OK or STORE_ERROR. */
int admin_article_save_tx(db *d, time_t now, long user, article_form *f);

/* Deletes article id with its tags, revisions, comments and ratings.
** Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int admin_article_delete(db *d, long id);

/* The article list's filters; 0 or NULL means any. */
typedef struct admin_filter {
  long owner;            /* only this author's articles (an author's view) */
  const char *status;    /* draft, pending, scheduled, published */
  long category_id;
  long author_id;
  const char *q;         /* words of the title */
  long page, per_page;
  long total;            /* filled */
  int sort;              /* ADMIN_SORT_...; 0: the latest changed */
  int ascending;         /* 1: smallest first (A to Z, oldest) */
} admin_filter;

/* The columns the list sorts by. */
enum {
  ADMIN_SORT_UPDATED = 0, ADMIN_SORT_TITLE, ADMIN_SORT_STATUS, ADMIN_SORT_AUTHOR,
  ADMIN_SORT_CATEGORY, ADMIN_SORT_WHEN, ADMIN_SORT_COUNT
};

/* Appends to out one page of the articles matching f as of now, in f's
** order (ties: the latest changed first), each {id, title, slug, status,
** status_key, author_id, author, category, updated_at, published_at (0:
** none), live}, and sets f->total. status_key is
** the status as readers live it: "scheduled" for a publication still to
** come, "published" once it has come. */
int admin_article_list(db *d, time_t now, admin_filter *f, cJSON *out);

/* Appends every category as {id, name, parent_id, depth} (each section
** followed by those under it, see category_tree) and, when users is
** given, every user as {id, name} to it. */
int admin_article_choices(db *d, cJSON *categories, cJSON *users);

/* Appends article id's revisions to out, newest first, each {id,
** created_at, user, title, status, status_before} (the statuses "" for a
** revision older than their record). */
int admin_article_revisions(db *d, long id, cJSON *out);

/* Loads revision rid of article id as {id, created_at, user, title,
** summary, body}. Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int admin_article_revision(db *d, long id, long rid, cJSON **out);

#endif
