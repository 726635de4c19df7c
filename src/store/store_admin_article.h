/*
** store_admin_article.h: the newsroom's reads and writes of articles (the
** readers' queries are in store.h): the editor's form as stored, slugs,
** tags, revisions, the article list with its filters, and the line diff
** that compares a revision with the current text.
**
** Return convention, as in store.h: 0 done or found, 1 not found, -1
** database error (logged).
*/
#ifndef GAZETTE_STORE_ADMIN_ARTICLE_H
#define GAZETTE_STORE_ADMIN_ARTICLE_H

#include <cjson/cJSON.h>

#include "app.h"
#include "slug.h"

enum {
  ARTICLE_TITLE_MAX = 200,      /* characters */
  ARTICLE_SLUG_MAX = 200,       /* bytes */
  ARTICLE_SUMMARY_MAX = 500,    /* characters */
  ARTICLE_BODY_MAX = 200000,    /* bytes */
  ARTICLE_TAGS_MAX = 20,        /* tags on one article */
  ARTICLE_TAG_MAX = 60,         /* characters in one tag's name */
  DIFF_MAX_LINES = 2000,        /* longer texts are shown side by side */
};

/* An article as the editor's form holds it. The bufs belong to the form
** (article_form_free); the saved_ fields describe the stored article. */
typedef struct article_form {
  long id;                      /* 0: a new article */
  long author_id;
  long category_id;
  int featured;
  buf title, slug, summary, body, tags, lang, status, when;
  const char *dir;              /* the text direction of lang */
  long long published_at;       /* to store; 0: none */
  char saved_status[16];        /* "" for a new article */
  long long saved_published_at; /* 0: none */
  buf saved_slug;
} article_form;

/* Frees the bufs of f. */
void article_form_free(article_form *f);

/* Fills f (which must be zeroed) from the stored article id, its tags
** joined by ", ". Returns 0, 1, -1. */
int admin_article_load(ctx *c, long id, article_form *f);

/* Stores f in one transaction: makes its slug (from the slug field, or
** the title when empty) unique, renders the body, writes the article
** (created by user c->user when f->id is 0, then f->id is set), its tags
** (creating unknown ones), a revision, and, when the slug of an article
** visible to readers changes, a redirect from the old slug. f->slug ends
** as stored. Returns 0 or -1 (nothing written). */
int admin_article_save(ctx *c, article_form *f);

/* Deletes article id with its tags, revisions, comments and ratings.
** Returns 0, 1, -1. */
int admin_article_delete(ctx *c, long id);

/* Returns 1 when an article of status with published_at is visible to
** readers at now, else 0. */
int article_is_live(const char *status, long long published_at, time_t now);

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

/* Appends to out one page of the articles matching f, the latest changed
** first, each {id, title, status, status_key, author_id, author,
** category, updated_display, live, url}, and sets f->total. status_key
** is the status as readers live it: "scheduled" for a publication still
** to come, "published" once it has come. Returns 0 or -1. */
int admin_article_list(ctx *c, admin_filter *f, cJSON *out);

/* Appends every category as {id, name} and, when users is given, every
** user as {id, name} to it. Returns 0 or -1. */
int admin_article_choices(ctx *c, cJSON *categories, cJSON *users);

/* Appends article id's revisions to out, newest first, each {id, time,
** user, title}. Returns 0 or -1. */
int admin_article_revisions(ctx *c, long id, cJSON *out);

/* Loads revision rid of article id as {id, time, user, title, summary,
** body}. Returns 0, 1, -1. */
int admin_article_revision(ctx *c, long id, long rid, cJSON **out);

/* Appends t to out as "2026-11-27 08:30 UTC". */
void admin_time(buf *out, long long t);

/* Compares the texts old and new line by line (a longest common
** subsequence) and appends to out one {kind, text, del|ins|same: true}
** per line, kind "del" for a line only in old, "ins" for one only in new.
** Returns 0, or 1 (out untouched) when either text has more than
** DIFF_MAX_LINES lines. */
int diff_lines(const char *old, const char *new, cJSON *out);

#endif
