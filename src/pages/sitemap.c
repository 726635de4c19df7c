/*
** sitemap.c: the sitemap index, its pages, the Google News sitemap and
** robots.txt (see sitemap.h).
**
** A sitemap's body is produced by a job (response_stream): the handler
** checks that the page exists and hands the job to the response; the job
** writes one entry per row of a store cursor. The lifecycle runs it once
** for the ETag and Last-Modified (keeping a short sitemap whole, so that
** the page cache keeps it) and again after the head for a long one.
*/
#include "sitemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "sitemap_xml.h"
#include "picture.h"
#include "store.h"

enum {
  NEWS_MAX = 1000,              /* Google News reads no more */
  NEWS_SECONDS = 48 * 3600,     /* ... nor older */
  PAGE_NAME_MAX = 32,
};

/* What a job writes. */
typedef enum { JOB_INDEX, JOB_ARTICLES, JOB_TAXA, JOB_NEWS } job_kind;

/* One sitemap to write, and the state of its writing. */
typedef struct job {
  job_kind kind;
  const app *a;
  db *d;
  time_t now;
  taxon taxa;              /* JOB_TAXA */
  long long from, to;      /* JOB_ARTICLES, JOB_NEWS: publication times */
  long skip, max;          /* rows to skip, rows at most */
  stream *s;               /* while writing */
  buf loc;                 /* an address being built */
} job;

/* The site paths of the listings, by taxon. */
static const char *const TAXON_PATH[] = {"/category/", "/tag/", "/author/"};
/* The sitemaps of the listings, by taxon. */
static const char *const TAXON_SITEMAP[] = {"categories", "tags", "authors"};

/* Ends an entry: notes its time and lets the stream hand on a full chunk.
** Returns non-zero when writing must stop. */
static int job_entry_done(job *j, long long lastmod) {
  stream_modified(j->s, lastmod);
  return stream_pace(j->s) != 0;
}

/* Sets j->loc to the site's address followed by the path prefix and the
** escaped slug. */
static void job_loc(job *j, const char *prefix, const char *slug) {
  buf_reset(&j->loc);
  buf_puts(&j->loc, j->a->base_url);
  escape_path(&j->loc, prefix, slug);
}

/* Writes one article of a sitemap page (a sitemap_article_fn). */
static int job_article(void *ud, const sitemap_article *r) {
  job *j = ud;
  job_loc(j, "/articles/", r->slug);
  buf image = {0};
  if (r->image) buf_printf(&image, "%s%s%s", j->a->base_url, PICTURE_PREFIX, r->image);
  sitemap_xml_url(&j->s->chunk, buf_str(&j->loc), r->lastmod, r->image ? buf_str(&image) : NULL);
  buf_free(&image);
  return job_entry_done(j, r->lastmod);
}

/* Writes one article of the news sitemap (a sitemap_article_fn). */
static int job_news(void *ud, const sitemap_article *r) {
  job *j = ud;
  job_loc(j, "/articles/", r->slug);
  sitemap_news n = {j->a->publisher_name, r->lang, r->published_at, r->title};
  sitemap_xml_news(&j->s->chunk, buf_str(&j->loc), &n);
  return job_entry_done(j, r->lastmod);
}

/* Writes one category, tag or author of a sitemap page (a
** sitemap_taxon_fn). */
static int job_taxon(void *ud, const sitemap_taxon *t) {
  job *j = ud;
  job_loc(j, TAXON_PATH[j->taxa], t->slug);
  sitemap_xml_url(&j->s->chunk, buf_str(&j->loc), t->lastmod, NULL);
  return job_entry_done(j, t->lastmod);
}

/* Writes the index's entry for a sitemap at path (below the site's
** address) changed at lastmod. Returns non-zero when writing must stop. */
static int job_index_entry(job *j, const char *path, long long lastmod) {
  buf_reset(&j->loc);
  buf_printf(&j->loc, "%s%s", j->a->base_url, path);
  sitemap_xml_sitemap(&j->s->chunk, buf_str(&j->loc), lastmod);
  return job_entry_done(j, lastmod);
}

/* Writes the index's entries of one month's pages (a sitemap_month_fn). */
static int job_index_month(void *ud, const sitemap_month *m) {
  job *j = ud;
  long parts = (m->count + j->a->sitemap_urls - 1) / j->a->sitemap_urls;
  char path[64];
  for (long p = 1; p <= parts; p++) {
    if (p == 1) snprintf(path, sizeof path, "/sitemaps/articles/%04d-%02d.xml", m->year, m->month);
    else snprintf(path, sizeof path, "/sitemaps/articles/%04d-%02d-%ld.xml", m->year, m->month, p);
    if (job_index_entry(j, path, m->lastmod)) return 1;
  }
  return 0;
}

/* Writes the index: the months' pages, newest first, then the pages of
** categories, tags and authors. A page of those changes when an article
** in it is published: the newest publication stands for its last change
** (its own would cost a walk over every tag's articles). Returns a store
** result. */
static int job_write_index(job *j) {
  int rc = sitemap_months(j->d, j->now, job_index_month, j);
  for (int k = TAXON_CATEGORIES; rc == STORE_OK && k <= TAXON_AUTHORS && !j->s->failed; k++) {
    long n = 0;
    long long newest = 0;
    rc = sitemap_taxa_count(j->d, j->now, (taxon)k, &n, &newest);
    char path[64];
    for (long p = 1; rc == STORE_OK && (p - 1) * j->a->sitemap_urls < n; p++) {
      snprintf(path, sizeof path, "/sitemaps/%s/%ld.xml", TAXON_SITEMAP[k], p);
      if (job_index_entry(j, path, newest)) break;
    }
  }
  return rc;
}

/* Writes the sitemap of job state (a response producer). */
static int job_produce(void *state, stream *s) {
  job *j = state;
  sitemap_xml_kind kind = j->kind == JOB_INDEX ? SITEMAP_XML_INDEX
                          : j->kind == JOB_NEWS ? SITEMAP_XML_NEWS
                                                : SITEMAP_XML_URLSET;
  int rc;
  j->s = s;
  sitemap_xml_open(&s->chunk, kind);
  if (j->kind == JOB_INDEX)
    rc = job_write_index(j);
  else if (j->kind == JOB_TAXA)
    rc = sitemap_taxa(j->d, j->now, j->taxa, j->skip, j->max, job_taxon, j);
  else
    rc = sitemap_articles(j->d, j->now, j->from, j->to, j->skip, j->max,
                          j->kind == JOB_NEWS ? job_news : job_article, j);
  sitemap_xml_close(&s->chunk, kind);
  j->s = NULL;
  return rc == STORE_OK && !s->failed ? 0 : -1;
}

/* Frees a job (a response producer's release). */
static void job_free(void *state) {
  job *j = state;
  buf_free(&j->loc);
  free(j);
}

/* Returns a new job of kind for the request. */
static job *job_new(ctx *c, job_kind kind) {
  job *j = calloc(1, sizeof *j);
  if (!j) abort();
  j->kind = kind;
  j->a = c->app;
  j->d = c->db;
  j->now = c->now;
  return j;
}

/* Hands job j to the response, tagged with what it is built from. Returns
** 200. */
static int job_answer(ctx *c, job *j, const char *tag) {
  response_tag(&c->res, tag, 0);
  if (j->kind == JOB_INDEX) response_tag(&c->res, "taxa", 0);
  c->res.content_type = "application/xml; charset=utf-8";
  response_stream(&c->res, job_produce, job_free, j);
  return 200;
}

/* Notes that a row exists (a sitemap_article_fn and sitemap_taxon_fn's
** shape: ud is an int). */
static int found_article(void *ud, const sitemap_article *r) {
  (void)r;
  *(int *)ud = 1;
  return 1;
}
static int found_taxon(void *ud, const sitemap_taxon *t) {
  (void)t;
  *(int *)ud = 1;
  return 1;
}

/* Reads a page name "N.xml" (N a whole number from 1, no leading zero)
** into *n. Returns 0 or -1. */
static int page_name(const char *s, long *n) {
  char *end;
  if (strlen(s) > PAGE_NAME_MAX || s[0] < '1' || s[0] > '9') return -1;
  long v = strtol(s, &end, 10);
  if (strcmp(end, ".xml") != 0 || v < 1 || v > 1000000) return -1;
  *n = v;
  return 0;
}

/* Returns the value of the n decimal digits at s, or -1 when they are
** not all digits. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* Reads a month's page name, "YYYY-MM.xml" or "YYYY-MM-P.xml" (P from 2),
** into the month's first second, the next month's and the part. Returns 0
** or -1. */
static int month_name(const char *s, long long *from, long long *to, long *part) {
  if (strlen(s) > PAGE_NAME_MAX || strlen(s) < 11 || s[4] != '-') return -1;
  int y = digits(s, 4), m = digits(s + 5, 2);
  const char *rest = s + 7;
  if (y < 1970 || m < 1 || m > 12) return -1;
  if (strcmp(rest, ".xml") == 0) *part = 1;
  else if (rest[0] != '-' || page_name(rest + 1, part) != 0 || *part < 2) return -1;
  struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1};
  *from = (long long)timegm(&tm);
  tm.tm_mon += 1;
  *to = (long long)timegm(&tm);
  return 0;
}

int sitemap_index(ctx *c) { return job_answer(c, job_new(c, JOB_INDEX), "articles"); }

int sitemap_articles_page(ctx *c) {
  long long from, to;
  long part;
  if (month_name(ctx_param(c, 0), &from, &to, &part) != 0) return 404;
  job *j = job_new(c, JOB_ARTICLES);
  j->from = from;
  j->to = to;
  j->max = c->app->sitemap_urls;
  j->skip = (part - 1) * j->max;
  int found = 0;
  int rc = sitemap_articles(c->db, c->now, from, to, j->skip, 1, found_article, &found);
  if (rc != STORE_OK || !found) {
    job_free(j);
    return rc != STORE_OK ? 500 : 404;
  }
  return job_answer(c, j, "articles");
}

/* Answers the sitemap page of taxa named by the route's parameter. */
static int sitemap_taxa_page(ctx *c, taxon kind) {
  long page;
  if (page_name(ctx_param(c, 0), &page) != 0) return 404;
  job *j = job_new(c, JOB_TAXA);
  j->taxa = kind;
  j->max = c->app->sitemap_urls;
  j->skip = (page - 1) * j->max;
  int found = 0;
  int rc = sitemap_taxa(c->db, c->now, kind, j->skip, 1, found_taxon, &found);
  if (rc != STORE_OK || !found) {
    job_free(j);
    return rc != STORE_OK ? 500 : 404;
  }
  return job_answer(c, j, "taxa");
}

int sitemap_categories_page(ctx *c) { return sitemap_taxa_page(c, TAXON_CATEGORIES); }
int sitemap_tags_page(ctx *c) { return sitemap_taxa_page(c, TAXON_TAGS); }
int sitemap_authors_page(ctx *c) { return sitemap_taxa_page(c, TAXON_AUTHORS); }

int sitemap_news_page(ctx *c) {
  job *j = job_new(c, JOB_NEWS);
  j->from = (long long)c->now - NEWS_SECONDS;
  j->to = (long long)c->now + 1;
  j->max = NEWS_MAX;
  return job_answer(c, j, "articles");
}

int robots_txt(ctx *c) {
  buf *b = &c->res.body;
  buf_reset(b);
  buf_puts(b, "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /search\n");
  /* The site's own lines, without CRs or trailing blank lines. */
  size_t start = b->len;
  for (const char *p = c->app->robots_extra; *p; p++)
    if (*p != '\r') buf_putc(b, *p);
  while (b->len > start && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == ' '))
    b->data[--b->len] = 0;
  if (b->len > start) buf_putc(b, '\n');
  buf_printf(b, "\nSitemap: %s/sitemap.xml\nSitemap: %s/news-sitemap.xml\n", c->app->base_url,
             c->app->base_url);
  c->res.content_type = "text/plain; charset=utf-8";
  return 200;
}
