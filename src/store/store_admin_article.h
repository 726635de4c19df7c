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
};

/* An article as the editor's form holds it. The bufs belong to the form
** (article_form_free); the saved_ fields describe the stored article. */
typedef struct article_form {
  long id;                      /* 0: a new article */
  long author_id;
  long category_id;
  long image_id;                /* the featured picture; 0: none */
  int featured;
  buf title, slug, summary, body, tags, lang, status, when;
  const char *dir;              /* the text direction of lang */
  long long published_at;       /* to store; 0: none */
  char saved_status[16];        /* "" for a new article */
  long long saved_published_at; /* 0: none */
  int saved_live;               /* readers see the stored article now */
  buf saved_slug;
} article_form;

/* Frees the bufs of f. */
void article_form_free(article_form *f);

/* Fills f (which must be zeroed) from the stored article id as of now, its
** tags joined by ", ". Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int admin_article_load(db *d, time_t now, long id, article_form *f);

/* Stores f in one transaction: makes its slug (from the slug field, or
** the title when empty) unique, renders the body (with the library's
** pictures, which it records as the text's: body_render), writes the article
** (created by user when f->id is 0, then f->id is set), its tags
** (creating unknown ones), a revision by user, and, when the slug of an
** article visible to readers changes, a redirect from the old slug, all at
** now. f->slug ends as stored. Returns STORE_OK or STORE_ERROR (nothing
** written). */
int admin_article_save(db *d, time_t now, long user, article_form *f);

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
} admin_filter;

/* Appends to out one page of the articles matching f as of now, the latest
** changed first, each {id, title, slug, status, status_key, author_id,
** author, category, updated_at, live}, and sets f->total. status_key is
** the status as readers live it: "scheduled" for a publication still to
** come, "published" once it has come. */
int admin_article_list(db *d, time_t now, admin_filter *f, cJSON *out);

/* Appends every category as {id, name} and, when users is given, every
** user as {id, name} to it. */
int admin_article_choices(db *d, cJSON *categories, cJSON *users);

/* Appends article id's revisions to out, newest first, each {id,
** created_at, user, title}. */
int admin_article_revisions(db *d, long id, cJSON *out);

/* Loads revision rid of article id as {id, created_at, user, title,
** summary, body}. Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int admin_article_revision(db *d, long id, long rid, cJSON **out);

#endif
