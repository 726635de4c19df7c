/*
** import.c: a WordPress export into the database (see import.h). The
** reader (wxr.h) hands each record over as soon as it is complete; each
** is matched against what earlier runs imported (import_map), written
** through the store (store_import.h), and noted in the report.
*/
#include "import.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <pthread.h>

#include "escape.h"
#include "import_int.h"
#include "import_queue.h"
#include "settings.h"
#include "slug.h"
#include "store.h"
#include "store_admin_article.h"
#include "store_newsroom.h"
#include "store_page.h"
#include "utf8.h"

/* The digests of records depend on this too: a change of what the import
** makes of a record brings every record across again. */
static const char IMPORT_VERSION[] = "gazette-import-1";

enum { TITLE_MAX = ARTICLE_TITLE_MAX, SUMMARY_MAX = ARTICLE_SUMMARY_MAX, COMMENTER_MAX = 100 };

/* The most the records read ahead of the writer may take. */
enum { IMPORT_QUEUE_BYTES = 16 << 20 };

/* ---- small helpers ----------------------------------------------------- */

/* Returns the time now, in seconds with a fraction. */
static double clock_now(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Returns the value of meta key of it, or "". */
static const char *meta_of(const wxr_item *it, const char *key) {
  for (size_t i = 0; i < it->meta_count; i++)
    if (strcmp(it->meta[i].key, key) == 0) return it->meta[i].value;
  return "";
}

/* Hashes the strings of list (NULL-terminated), each with its length,
** keyed with seed (what digests depend on besides the record), into out. */
static void digest_with(const unsigned char seed[IMPORT_DIGEST_LEN], const char *const *list,
                        unsigned char out[IMPORT_DIGEST_LEN]) {
  crypto_generichash_state h;
  crypto_generichash_init(&h, seed, IMPORT_DIGEST_LEN, IMPORT_DIGEST_LEN);
  for (const char *const *p = list; *p; p++) {
    unsigned long long n = strlen(*p);
    crypto_generichash_update(&h, (const unsigned char *)&n, sizeof n);
    crypto_generichash_update(&h, (const unsigned char *)*p, n);
  }
  crypto_generichash_final(&h, out, IMPORT_DIGEST_LEN);
}

/* digest_with the importer's seed. */
static void digest_of(const importer *im, const char *const *list,
                      unsigned char out[IMPORT_DIGEST_LEN]) {
  digest_with(im->seed, list, out);
}

/* The digest of an item: its fields, terms and the meta the import reads. */
static void digest_item(const unsigned char seed[IMPORT_DIGEST_LEN], const wxr_item *it,
                        unsigned char out[IMPORT_DIGEST_LEN]) {
  const char *fields[] = {it->post_type, it->title, it->link, it->creator, it->content,
                          it->excerpt, it->post_date, it->post_date_gmt, it->post_modified_gmt,
                          it->post_name, it->status, it->post_parent, it->menu_order,
                          it->post_password, it->is_sticky, NULL};
  crypto_generichash_state h;
  unsigned char first[IMPORT_DIGEST_LEN];
  digest_with(seed, fields, first);
  crypto_generichash_init(&h, first, sizeof first, IMPORT_DIGEST_LEN);
  for (size_t i = 0; i < it->term_count; i++) {
    const char *t[] = {it->terms[i].domain, it->terms[i].nicename, it->terms[i].name};
    for (int k = 0; k < 3; k++) crypto_generichash_update(&h, (const unsigned char *)t[k], strlen(t[k]) + 1);
  }
  for (size_t i = 0; i < it->meta_count; i++) {
    const char *k = it->meta[i].key;
    if (strcmp(k, "_thumbnail_id") && strcmp(k, "_wp_old_slug")) continue;
    crypto_generichash_update(&h, (const unsigned char *)k, strlen(k) + 1);
    crypto_generichash_update(&h, (const unsigned char *)it->meta[i].value,
                              strlen(it->meta[i].value) + 1);
  }
  crypto_generichash_final(&h, out, IMPORT_DIGEST_LEN);
}

/* The digest of a comment of the item with WordPress id item_wp. */
static void digest_comment(const unsigned char seed[IMPORT_DIGEST_LEN], const char *item_wp,
                           const wxr_comment *c, unsigned char out[IMPORT_DIGEST_LEN]) {
  const char *fields[] = {item_wp, c->author, c->author_email, c->author_url, c->date, c->date_gmt,
                          c->content, c->approved, c->type, c->parent, NULL};
  digest_with(seed, fields, out);
}

/* Appends to out the first characters of an item's text whose writing
** direction tells the text's: its title and the start of its content. */
static void rtl_sample(const wxr_item *it, buf *out) {
  buf_puts(out, it->title);
  buf_putc(out, ' ');
  buf_append(out, it->content, strlen(it->content) < 2000 ? strlen(it->content) : 2000);
}

/* Parses a WordPress time: the _gmt field, else the local one taken as
** UTC, else fallback. */
static long long time_of(const char *gmt, const char *local, long long fallback) {
  int64_t t;
  if (wxr_date(gmt, &t) == 0) return t;
  if (wxr_date(local, &t) == 0) return t;
  return fallback;
}

/* Shows the progress line when one is due (a terminal, twice a second). */
static void progress(importer *im, int last) {
  if (!im->opt->progress) return;
  double now = clock_now();
  if (!last && now - im->shown < 0.5) return;
  im->shown = now;
  off_t at = lseek(im->fd, 0, SEEK_CUR);
  double spent = now - im->started, rate = spent > 0 ? (double)im->rep->items / spent : 0;
  double left = at > 0 && im->size > at ? spent * (double)(im->size - at) / (double)at : 0;
  fprintf(im->opt->progress, "\r  %ld items, %.0f a second, %d:%02d left   %s", im->rep->items, rate,
          (int)left / 60, (int)left % 60, last ? "\n" : "");
  fflush(im->opt->progress);
}

/* Makes the old address path lead to kind target. Returns 0 or -1. */
static int address(importer *im, const char *path, const char *kind, long target) {
  int added = 0;
  if (!*path || import_legacy_put(im->d, path, kind, target, &added) != STORE_OK) return *path ? -1 : 0;
  im->rep->rows[ROW_ADDRESSES].created += added;
  return 0;
}

/* Makes the old address url (the old site's own, as a link) lead to kind
** target. Returns 0 or -1. */
static int address_of_url(importer *im, const char *url, const char *kind, long target) {
  buf path = {0};
  int rc = import_text_old_path(&im->hosts, url, &path) ? address(im, buf_str(&path), kind, target) : 0;
  buf_free(&path);
  return rc;
}

/* ---- the site, authors and terms --------------------------------------- */

/* The site: its address names the source; its hosts are the old site's. */
static int on_site(void *ud, const wxr_site *s) {
  importer *im = ud;
  const char *url = *s->base_blog_url ? s->base_blog_url : *s->link ? s->link : s->base_site_url;
  size_t n = strlen(url);
  while (n > 0 && url[n - 1] == '/') n--;
  snprintf(im->rep->site, sizeof im->rep->site, "%.*s", (int)n, url);
  snprintf(im->rep->version, sizeof im->rep->version, "%s", s->wxr_version);
  import_hosts_add(&im->hosts, s->base_blog_url);
  import_hosts_add(&im->hosts, s->link);
  import_hosts_add(&im->hosts, s->base_site_url);
  im->san.own_hosts = im->hosts.list;
  if (!n) {
    snprintf(im->err, sizeof im->err, "the export does not give its site's address");
    return 1;
  }
  if (import_source_id(im->d, im->rep->site, &im->src) != STORE_OK) {
    snprintf(im->err, sizeof im->err, "cannot write to the database");
    return 1;
  }
  return 0;
}

/* Fails the read with a database error. */
static int db_failed(importer *im) {
  snprintf(im->err, sizeof im->err, "cannot write to the database");
  return 1;
}

/* An author: a newsroom account (new, renamed, or left as it is), and
** WordPress's author pages as old addresses. */
static int on_author(void *ud, const wxr_author *a) {
  importer *im = ud;
  if (!*a->login) {
    report_skip(im->rep, ROW_AUTHORS, "no login", a->author_id);
    return 0;
  }
  import_entry e;
  unsigned char dg[IMPORT_DIGEST_LEN];
  const char *fields[] = {a->login, a->email, a->display_name, NULL};
  digest_of(im, fields, dg);
  if (import_entry_get(im->d, im->src, IMPORT_AUTHOR, a->login, &e) != STORE_OK) return db_failed(im);
  import_tally *t = &im->rep->rows[ROW_AUTHORS];
  if (e.found && e.target_exists && !memcmp(e.digest, dg, sizeof dg)) {
    t->unchanged++;
    return 0;
  }
  buf_reset(&im->a);
  buf_reset(&im->b);
  html_text_plain(*a->display_name ? a->display_name : a->login, 0, &im->a);
  long id;
  if (import_user_write(im->d, im->opt->now, e.found && e.target_exists ? e.gazette_id : 0, a->login,
                        buf_str(&im->a), a->email, &id, &im->b) != STORE_OK ||
      import_entry_put(im->d, im->src, IMPORT_AUTHOR, a->login, NULL, id, dg, 0) != STORE_OK)
    return db_failed(im);
  if (e.found && e.target_exists) {
    t->updated++;
  } else {
    t->created++;
    if (strcmp(buf_str(&im->b), a->login))
      report_reason(im->rep, ROW_AUTHORS, 0, "login not a Gazette user name: given another", a->login);
  }
  /* WordPress's author pages: by login, and by its slug. */
  buf_reset(&im->a);
  buf_printf(&im->a, "/author/%s", a->login);
  buf_reset(&im->c);
  slug_make(&im->c, a->login, 64);
  int rc = address(im, buf_str(&im->a), "author", id);
  buf_reset(&im->a);
  if (im->c.len && strcmp(buf_str(&im->c), a->login)) buf_printf(&im->a, "/author/%s", buf_str(&im->c));
  return rc || address(im, buf_str(&im->a), "author", id) ? db_failed(im) : 0;
}

/* Writes a category or tag (kind) with WordPress id wp_id (or its slug
** when the export gives no id), slug nicename, name and, for a category,
** description and parent nicename. Sets *id (0 when skipped). Returns 0
** or 1 (database error). */
static int term_write(importer *im, import_kind kind, const char *term_id, const char *nicename,
                      const char *name, const char *description, const char *parent, long *id) {
  import_row row = kind == IMPORT_CATEGORY ? ROW_CATEGORIES : ROW_TAGS;
  *id = 0;
  if (!*nicename) {
    report_skip(im->rep, row, "no slug", term_id);
    return 0;
  }
  buf_reset(&im->slug);
  import_text_slug(nicename, &im->slug);
  char key[300];
  snprintf(key, sizeof key, *term_id ? "%s" : "slug:%s", *term_id ? term_id : buf_str(&im->slug));
  import_entry e;
  unsigned char dg[IMPORT_DIGEST_LEN];
  const char *fields[] = {nicename, name, description, parent, NULL};
  digest_of(im, fields, dg);
  if (import_entry_get(im->d, im->src, kind, key, &e) != STORE_OK) return db_failed(im);
  import_tally *t = &im->rep->rows[row];
  if (e.found && e.target_exists && !memcmp(e.digest, dg, sizeof dg)) {
    t->unchanged++;
    *id = e.gazette_id;
    return 0;
  }
  long parent_id = 0;
  if (*parent) {
    buf_reset(&im->c);
    import_text_slug(parent, &im->c);
    if (import_entry_by_slug(im->d, im->src, IMPORT_CATEGORY, buf_str(&im->c), &parent_id) != STORE_OK ||
        category_parent_check(im->d, e.found && e.target_exists ? e.gazette_id : 0, parent_id) != STORE_OK) {
      report_reason(im->rep, row, 0, "parent not in the export or nested too deep: placed at the top", key);
      parent_id = 0;
    }
  }
  buf_reset(&im->a);
  buf_reset(&im->b);
  html_text_plain(*name ? name : buf_str(&im->slug), 0, &im->a);
  html_text_plain(description, 1, &im->b);
  long was = e.found && e.target_exists ? e.gazette_id : 0;
  int rc = kind == IMPORT_CATEGORY
               ? import_category_write(im->d, was, buf_str(&im->slug), buf_str(&im->a), buf_str(&im->b),
                                       parent_id, id)
               : import_tag_write(im->d, was, buf_str(&im->slug), buf_str(&im->a), id);
  if (rc != STORE_OK || import_entry_put(im->d, im->src, kind, key, buf_str(&im->slug), *id, dg, 0) != STORE_OK)
    return db_failed(im);
  if (was) t->updated++;
  else t->created++;
  return 0;
}

/* The old addresses of category id: /category/ and its slug, and the
** path of its parents' slugs as WordPress wrote them. */
static int category_addresses(importer *im, long id, const char *parent_nicename) {
  buf_reset(&im->a);
  buf_printf(&im->a, "/category/%s", buf_str(&im->slug));
  if (address(im, buf_str(&im->a), "category", id) != 0) return -1;
  long parent = 0;
  buf_reset(&im->c);
  import_text_slug(parent_nicename, &im->c);
  if (!*parent_nicename ||
      import_entry_by_slug(im->d, im->src, IMPORT_CATEGORY, buf_str(&im->c), &parent) != STORE_OK)
    return 0;
  /* The parent's own full address is its longest one. */
  buf_reset(&im->b);
  if (import_legacy_longest(im->d, "category", parent, &im->b) != STORE_OK) return 0;
  buf_reset(&im->a);
  buf_printf(&im->a, "%s/%s", buf_str(&im->b), buf_str(&im->slug));
  return address(im, buf_str(&im->a), "category", id);
}

/* A category, with its old addresses. */
static int on_category(void *ud, const wxr_category *c) {
  importer *im = ud;
  long id;
  if (term_write(im, IMPORT_CATEGORY, c->term_id, c->nicename, c->name, c->description, c->parent, &id))
    return 1;
  return id && category_addresses(im, id, c->parent) != 0 ? db_failed(im) : 0;
}

/* A tag, with its old address. */
static int on_tag(void *ud, const wxr_tag *t) {
  importer *im = ud;
  long id;
  if (term_write(im, IMPORT_TAG, t->term_id, t->slug, t->name, "", "", &id)) return 1;
  if (!id) return 0;
  buf_reset(&im->a);
  buf_printf(&im->a, "/tag/%s", buf_str(&im->slug));
  return address(im, buf_str(&im->a), "tag", id) != 0 ? db_failed(im) : 0;
}

/* A term of another taxonomy (menus, post formats): counted, skipped. */
static int on_term(void *ud, const wxr_term *t) {
  importer *im = ud;
  report_skip(im->rep, ROW_OTHER, "terms of other taxonomies (menus, post formats...)", t->term_id);
  return 0;
}

/* ---- texts ---------------------------------------------------------------- */

/* Rewrites a link to an old address of the site to its new one (an
** import_link_fn); notes the item when the target is not there yet. */
static int relink(void *ud, const char *url, buf *out) {
  importer *im = ud;
  buf path = {0}, key = {0};
  legacy_kind kind;
  int done = 0;
  if (import_text_old_path(&im->hosts, url, &path)) {
    if (import_legacy_target(im->d, buf_str(&path), &kind, &key) == STORE_OK) {
      static const char *const prefix[] = {"/articles/", "/page/", "/category/", "/tag/", "/author/"};
      if (kind == LEGACY_CATEGORY) escape_path_segments(out, prefix[kind], buf_str(&key));
      else escape_path(out, prefix[kind], buf_str(&key));
      done = 1;
    } else {
      im->item_relink = 1;
    }
  }
  buf_free(&path);
  buf_free(&key);
  return done;
}

/* Sanitizes the item's text into im->html (links to the old site
** rewritten where their target is known). Returns 0, or 1 when the
** sanitizer refused it (a skip reason is noted). */
static int text_of(importer *im, const wxr_item *it, import_row row) {
  sanitize_report srep;
  char why[200];
  buf_reset(&im->sanitized);
  buf_reset(&im->html);
  im->item_relink = 0;
  int rc = 0;
  if (im->pre && im->pre->sanitized) {
    buf_puts(&im->sanitized, im->pre->sanitized);
    srep = im->pre->srep;
  } else {
    rc = sanitize_html(it->content, strlen(it->content), &im->san, &im->sanitized, &srep, why,
                       sizeof why);
  }
  if (rc != 0) {
    report_skip(im->rep, row, "its text cannot be read (not UTF-8, too large or nested too deep)",
                it->post_id);
    return 1;
  }
  report_sanitized(im->rep, &srep);
  if (srep.missing) report_reason(im->rep, row, 0, "gallery pictures not in the export", it->post_id);
  int changed;
  import_text_links(buf_str(&im->sanitized), relink, im, &im->html, &changed);
  im->rep->links_rewritten += changed;
  return 0;
}

/* The language and direction of the item's text: the site's, unless the
** text is written right to left and the site's language is not. */
static void lang_of(importer *im, const wxr_item *it, const char **lang, const char **dir) {
  *lang = im->lang;
  *dir = im->dir;
  if (!im->rtl_lang || !strcmp(im->dir, "rtl")) return;
  buf_reset(&im->c);
  if (!im->pre) rtl_sample(it, &im->c);
  if (im->pre ? im->pre->rtl : import_text_rtl(buf_str(&im->c))) {
    *lang = im->rtl_lang;
    *dir = "rtl";
  }
}

/* Appends the item's title as plain text (its slug when it has none) to
** out, cut to max characters. */
static void title_of(importer *im, const wxr_item *it, import_row row, size_t max, buf *out) {
  buf_reset(&im->b);
  if (im->pre) buf_puts(&im->b, im->pre->text1);
  else html_text_plain(it->title, 0, &im->b);
  if (!im->b.len) {
    import_text_slug(it->post_name, &im->b);
    report_reason(im->rep, row, 0, "no title: its slug is the title", it->post_id);
  }
  if (!im->b.len) buf_puts(&im->b, it->post_id);
  if (utf8_cut(buf_str(&im->b), max, out))
    report_reason(im->rep, row, 0, "title longer than Gazette allows: shortened", it->post_id);
}

/* The texts of an article or a page being written, apart from the
** importer's scratch (which writing its tags reuses). */
typedef struct item_text {
  buf title, summary, wanted, slug;
} item_text;

/* Frees t's bufs. */
static void item_text_free(item_text *t) {
  buf_free(&t->title);
  buf_free(&t->summary);
  buf_free(&t->wanted);
  buf_free(&t->slug);
}

/* Notes when the slug given (t->slug) is not the one asked for. */
static void slug_note(importer *im, const wxr_item *it, import_row row, const item_text *t) {
  buf made = {0};
  slug_make(&made, buf_str(&t->wanted), ARTICLE_SLUG_MAX);
  if (made.len && strcmp(buf_str(&made), buf_str(&t->slug)))
    report_reason(im->rep, row, 0, "slug taken: given another", it->post_id);
  buf_free(&made);
}

/* ---- articles ------------------------------------------------------------------ */

/* Maps WordPress's status of a post: sets *status, or returns the reason
** to skip it. A password-protected post becomes a draft (noted). */
static const char *status_of(importer *im, const wxr_item *it, import_row row, const char **status) {
  const char *s = it->status;
  int page = row == ROW_PAGES;
  if (!strcmp(s, "private")) return "private";
  if (!strcmp(s, "trash")) return "in the trash";
  if (!strcmp(s, "auto-draft")) return "an automatic draft";
  if (!strcmp(s, "publish")) *status = "published";
  else if (!strcmp(s, "future")) *status = page ? "draft" : "scheduled";
  else if (!strcmp(s, "draft")) *status = "draft";
  else if (!strcmp(s, "pending")) *status = page ? "draft" : "pending";
  else return "of another status (inherit, a plugin's...)";
  if (page && strcmp(s, "publish") && strcmp(s, "draft"))
    report_reason(im->rep, row, 0, "scheduled or pending: imported as a draft", it->post_id);
  if (*it->post_password && strcmp(*status, "draft")) {
    *status = "draft";
    report_reason(im->rep, row, 0, "password-protected: imported as a draft", it->post_id);
  }
  return NULL;
}

/* Finds the article's category: the first of its categories imported;
** the others are noted. With none, the export's uncategorized one (or a
** new one). Returns the reason to skip it, or NULL. */
static const char *category_of(importer *im, const wxr_item *it, long *id) {
  int refs = 0, unknown = 0;
  *id = 0;
  for (size_t i = 0; i < it->term_count; i++) {
    if (strcmp(it->terms[i].domain, "category")) continue;
    refs++;
    long c;
    buf_reset(&im->c);
    import_text_slug(it->terms[i].nicename, &im->c);
    if (import_entry_by_slug(im->d, im->src, IMPORT_CATEGORY, buf_str(&im->c), &c) != STORE_OK) unknown++;
    else if (!*id) *id = c;
  }
  if (unknown && *id) report_reason(im->rep, ROW_ARTICLES, 0, "a category not in the export: left out", it->post_id);
  if (refs - unknown > 1)
    report_reason(im->rep, ROW_ARTICLES, 0, "in more than one category: the first is its section, the others its tags", it->post_id);
  if (*id) return NULL;
  if (unknown) return "its category is not in the export";
  report_reason(im->rep, ROW_ARTICLES, 0, "in no category: filed as uncategorized", it->post_id);
  if (import_category_find(im->d, "uncategorized", id) == STORE_OK) return NULL;
  const catalog *k = i18n_find(im->opt->langs, im->lang);
  if (!k) k = i18n_default(im->opt->langs);
  if (import_category_write(im->d, 0, "uncategorized", catalog_text(k, "import_uncategorized"), "", 0, id) !=
      STORE_OK)
    return "";
  im->rep->rows[ROW_CATEGORIES].created++;
  return NULL;
}

/* Returns 1 when the item's term reference r is a category of the export
** other than the first (the article's section: see category_of). *seen
** counts the export's categories met so far. */
static int other_category(importer *im, const wxr_term_ref *r, int *seen) {
  if (strcmp(r->domain, "category")) return 0;
  buf_reset(&im->c);
  import_text_slug(r->nicename, &im->c);
  long c;
  if (import_entry_by_slug(im->d, im->src, IMPORT_CATEGORY, buf_str(&im->c), &c) != STORE_OK) return 0;
  return (*seen)++ > 0;
}

/* Gives article id the item's tags (a tag the export does not list is
** made from the item's reference to it), and a tag of the same name for
** each of its categories after the first, which an article cannot be in.
** Returns 0 or -1. */
static int tags_of(importer *im, const wxr_item *it, long id) {
  long tags[WXR_MAX_TERMS];
  size_t n = 0;
  int seen = 0;
  for (size_t i = 0; i < it->term_count; i++) {
    const wxr_term_ref *r = &it->terms[i];
    int other = other_category(im, r, &seen);
    if (strcmp(r->domain, "post_tag") && !other) continue;
    buf_reset(&im->c);
    import_text_slug(r->nicename, &im->c);
    long t;
    if (import_entry_by_slug(im->d, im->src, IMPORT_TAG, buf_str(&im->c), &t) != STORE_OK) {
      buf_reset(&im->slug);
      if (term_write(im, IMPORT_TAG, "", r->nicename, r->name, "", "", &t)) return -1;
      report_reason(im->rep, ROW_TAGS, 0,
                    other ? "made from a post's other category" : "not listed in the export: made from a post's reference",
                    r->nicename);
      if (!t) continue;
    }
    int twice = 0;
    for (size_t k = 0; k < n; k++) twice |= tags[k] == t;
    if (!twice) tags[n++] = t;
  }
  if (n > ARTICLE_TAGS_MAX)
    report_reason(im->rep, ROW_ARTICLES, 0, "more than 20 tags: all kept, the editor asks for fewer", it->post_id);
  return import_article_tags(im->d, id, tags, n, im->item_new) == STORE_OK ? 0 : -1;
}

/* The old addresses of article id: its permalink, ?p=ID, and the date
** permalinks of its slug and of each old slug. */
static int article_addresses(importer *im, const wxr_item *it, long id) {
  buf_reset(&im->b);
  if (import_text_old_path(&im->hosts, it->link, &im->b) && address(im, buf_str(&im->b), "article", id))
    return -1;
  buf_reset(&im->a);
  buf_printf(&im->a, "/?p=%s", it->post_id);
  if (address(im, buf_str(&im->a), "article", id) != 0) return -1;
  for (size_t i = 0; i <= it->meta_count; i++) {
    const char *s = i == it->meta_count ? it->post_name
                    : !strcmp(it->meta[i].key, "_wp_old_slug") ? it->meta[i].value : NULL;
    if (!s || !*s) continue;
    buf_reset(&im->c);
    import_text_slug(s, &im->c);
    for (int day = 0; day < 2; day++) {
      buf_reset(&im->a);
      /* The permalink itself is often one of them: written once. */
      if (import_text_date_path(it->post_date, buf_str(&im->c), day, &im->a) &&
          strcmp(buf_str(&im->a), buf_str(&im->b)) && address(im, buf_str(&im->a), "article", id))
        return -1;
    }
  }
  return 0;
}

/* Writes the post it as an article (e: its map entry). Returns 0, or 1
** on a database error. */
static int article_write(importer *im, const wxr_item *it, const import_entry *e,
                         const unsigned char dg[IMPORT_DIGEST_LEN]) {
  const char *status, *why = status_of(im, it, ROW_ARTICLES, &status);
  import_entry author;
  long category;
  if (!why && import_entry_get(im->d, im->src, IMPORT_AUTHOR, it->creator, &author) != STORE_OK)
    return db_failed(im);
  /* No author (or their account deleted since an earlier import): --author's. */
  int given = !why && (!author.found || !author.target_exists) && im->opt->author_id;
  if (given) author.gazette_id = im->opt->author_id;
  else if (!why && (!author.found || !author.target_exists)) why = "its author is not in the export";
  if (!why) why = category_of(im, it, &category);
  if (why && !*why) return db_failed(im);
  if (why || text_of(im, it, ROW_ARTICLES)) {
    if (why) report_skip(im->rep, ROW_ARTICLES, why, it->post_id);
    im->item = ITEM_SKIPPED;
    return 0;
  }
  if (given)
    report_reason(im->rep, ROW_ARTICLES, 0, "its author is not in the export: given to --author",
                  it->post_id);
  const char *lang, *dir;
  item_text t = {0};
  lang_of(im, it, &lang, &dir);
  title_of(im, it, ROW_ARTICLES, TITLE_MAX, &t.title);
  buf_reset(&im->c);
  if (im->pre) buf_puts(&im->c, im->pre->text2);
  else html_text_plain(it->excerpt, 0, &im->c);
  if (utf8_cut(buf_str(&im->c), SUMMARY_MAX, &t.summary))
    report_reason(im->rep, ROW_ARTICLES, 0, "excerpt longer than a summary: shortened", it->post_id);
  import_text_slug(it->post_name, &t.wanted);
  long long created = time_of(it->post_date_gmt, it->post_date, im->opt->now);
  long long modified = time_of(it->post_modified_gmt, it->post_modified, created);
  int draft = !strcmp(status, "draft") || !strcmp(status, "pending");
  import_article a = {
      .id = e->found ? e->gazette_id : 0, .slug = buf_str(&t.wanted), .title = buf_str(&t.title),
      .summary = buf_str(&t.summary), .body_html = buf_str(&im->html), .lang = lang, .dir = dir,
      .status = status, .featured = !strcmp(it->is_sticky, "1"), .category_id = category,
      .author_id = author.gazette_id, .published_at = draft ? 0 : created, .created_at = created,
      .updated_at = modified > created ? modified : created};
  long id;
  im->item_new = !e->found;
  int failed = import_article_write(im->d, im->opt->now, &a, &id, &t.slug) != STORE_OK;
  if (!failed) slug_note(im, it, ROW_ARTICLES, &t);
  item_text_free(&t);
  if (failed || tags_of(im, it, id) != 0 || article_addresses(im, it, id) != 0 ||
      media_featured(im, id, meta_of(it, "_thumbnail_id")) != 0 ||
      media_body(im, IMPORT_ARTICLE, id, buf_str(&im->html)) != 0 ||
      (im->item_relink && import_relink_add(im->d, IMPORT_ARTICLE, id) != STORE_OK) ||
      import_entry_put(im->d, im->src, IMPORT_ARTICLE, it->post_id, NULL, id, dg, a.updated_at) != STORE_OK)
    return db_failed(im);
  if (e->found) im->rep->rows[ROW_ARTICLES].updated++;
  else im->rep->rows[ROW_ARTICLES].created++;
  im->item = ITEM_ARTICLE;
  im->item_id = id;
  im->item_published = created;
  return 0;
}

/* Decides what the post it becomes: unchanged, kept as the newsroom left
** it, skipped, or written. Returns 0, or 1 on a database error. */
static int on_post(importer *im, const wxr_item *it) {
  import_entry e;
  unsigned char dg[IMPORT_DIGEST_LEN];
  if (im->pre) memcpy(dg, im->pre->digest, sizeof dg);
  else digest_item(im->seed, it, dg);
  if (import_entry_get(im->d, im->src, IMPORT_ARTICLE, it->post_id, &e) != STORE_OK) return db_failed(im);
  im->item_published = time_of(it->post_date_gmt, it->post_date, im->opt->now);
  if (e.found && !e.target_exists) {
    report_skip(im->rep, ROW_ARTICLES, "deleted in the newsroom since it was imported", it->post_id);
    im->item = ITEM_SKIPPED;
    return 0;
  }
  if (e.found && !memcmp(e.digest, dg, sizeof dg)) {
    im->rep->rows[ROW_ARTICLES].unchanged++;
  } else if (e.found && e.target_stamp != e.stamp) {
    report_skip(im->rep, ROW_ARTICLES, "edited in the newsroom since it was imported: kept as it is",
                it->post_id);
  } else {
    return article_write(im, it, &e, dg);
  }
  im->item = ITEM_ARTICLE;
  im->item_id = e.gazette_id;
  return 0;
}

/* ---- pages ------------------------------------------------------------------- */

/* The old addresses of page id: its permalink, ?page_id=ID and ?p=ID. */
static int page_addresses(importer *im, const wxr_item *it, long id) {
  if (address_of_url(im, it->link, "page", id) != 0) return -1;
  const char *forms[] = {"/?page_id=%s", "/?p=%s"};
  for (int i = 0; i < 2; i++) {
    buf_reset(&im->a);
    buf_printf(&im->a, forms[i], it->post_id);
    if (address(im, buf_str(&im->a), "page", id) != 0) return -1;
  }
  return 0;
}

/* Writes or keeps the page item it. Returns 0, or 1 on a database error. */
static int on_page(importer *im, const wxr_item *it) {
  import_entry e, author = {0};
  unsigned char dg[IMPORT_DIGEST_LEN];
  if (im->pre) memcpy(dg, im->pre->digest, sizeof dg);
  else digest_item(im->seed, it, dg);
  im->item = ITEM_PAGE;
  if (import_entry_get(im->d, im->src, IMPORT_PAGE, it->post_id, &e) != STORE_OK) return db_failed(im);
  import_tally *t = &im->rep->rows[ROW_PAGES];
  if (e.found && !e.target_exists) {
    report_skip(im->rep, ROW_PAGES, "deleted in the newsroom since it was imported", it->post_id);
    return 0;
  }
  if (e.found && !memcmp(e.digest, dg, sizeof dg)) {
    t->unchanged++;
    return 0;
  }
  if (e.found && e.target_stamp != e.stamp) {
    report_skip(im->rep, ROW_PAGES, "edited in the newsroom since it was imported: kept as it is", it->post_id);
    return 0;
  }
  const char *status, *why = status_of(im, it, ROW_PAGES, &status);
  if (why) {
    report_skip(im->rep, ROW_PAGES, why, it->post_id);
    return 0;
  }
  if (text_of(im, it, ROW_PAGES)) return 0;
  if (import_entry_get(im->d, im->src, IMPORT_AUTHOR, it->creator, &author) != STORE_OK) return db_failed(im);
  item_text txt = {0};
  title_of(im, it, ROW_PAGES, PAGE_TITLE_MAX, &txt.title);
  import_text_slug(it->post_name, &txt.wanted);
  long long created = time_of(it->post_date_gmt, it->post_date, im->opt->now);
  long long modified = time_of(it->post_modified_gmt, it->post_modified, created);
  int64_t parent = 0, order = 0;
  if (wxr_id(it->post_parent, &parent) != 0) parent = 0;
  if (wxr_id(it->menu_order, &order) != 0 || order > PAGE_POSITION_MAX) order = 0;
  import_page p = {.id = e.found ? e.gazette_id : 0, .slug = buf_str(&txt.wanted), .title = buf_str(&txt.title),
                   .body_html = buf_str(&im->html), .status = status, .in_footer = parent == 0,
                   .position = (long)order,
                   .author_id = author.found && author.target_exists ? author.gazette_id : 0,
                   .created_at = created, .updated_at = modified > created ? modified : created};
  long id;
  im->item_new = !e.found;
  int failed = import_page_write(im->d, &p, &id, &txt.slug) != STORE_OK;
  if (!failed) slug_note(im, it, ROW_PAGES, &txt);
  item_text_free(&txt);
  if (failed || page_addresses(im, it, id) != 0 ||
      media_body(im, IMPORT_PAGE, id, buf_str(&im->html)) != 0 ||
      (im->item_relink && import_relink_add(im->d, IMPORT_PAGE, id) != STORE_OK) ||
      import_entry_put(im->d, im->src, IMPORT_PAGE, it->post_id, NULL, id, dg, p.updated_at) != STORE_OK)
    return db_failed(im);
  if (e.found) t->updated++;
  else t->created++;
  return 0;
}

/* ---- items ---------------------------------------------------------------------- */

/* An item: a post, a page, an attachment, or something else to skip. */
static int on_item(void *ud, const wxr_item *it) {
  importer *im = ud;
  const char *type = it->post_type;
  im->rep->items++;
  im->item = ITEM_NONE;
  im->item_id = 0;
  im->item_deferred = 0;
  im->item_new = 0;
  im->item_approved = 0;
  snprintf(im->item_wp, sizeof im->item_wp, "%s", it->post_id);
  progress(im, 0);
  int64_t id;
  int post = !strcmp(type, "post"), page = !strcmp(type, "page");
  if ((post || page) && wxr_id(it->post_id, &id) != 0) {
    report_skip(im->rep, post ? ROW_ARTICLES : ROW_PAGES, "no WordPress id", NULL);
    im->item = ITEM_SKIPPED;
    return 0;
  }
  if (post) return on_post(im, it);
  if (page) return on_page(im, it);
  if (!strcmp(type, "attachment")) return media_attachment(im, it) ? db_failed(im) : 0;
  if (!strcmp(type, "nav_menu_item"))
    report_skip(im->rep, ROW_OTHER, "menu items: Gazette's menus are its sections and pages", it->post_id);
  else
    report_skip(im->rep, ROW_OTHER, "items of other types (revisions, blocks, a plugin's...)", it->post_id);
  return 0;
}

/* Notes a comment left at the top of its thread (an import_orphan_fn). */
static void orphan(void *ud, long comment_id, const char *wp_parent) {
  importer *im = ud;
  (void)comment_id;
  report_reason(im->rep, ROW_COMMENTS, 0, "answers a comment not imported: shown at the top of the thread",
                wp_parent);
}

/* An item's end: an article's deferred replies get their parents and its
** comment count is set. */
static int on_item_end(void *ud, const wxr_item *it) {
  importer *im = ud;
  /* A field after the comments (not WordPress's order): the record again,
  ** now whole. */
  if (it->late && im->item == ITEM_ARTICLE && on_post(im, it)) return 1;
  if (it->late && im->item == ITEM_PAGE && on_page(im, it)) return 1;
  if (im->item != ITEM_ARTICLE) return 0;
  /* A new article's approved comments are those just written. */
  long known = im->item_new ? im->item_approved : -1;
  if ((im->item_deferred && import_comment_settle(im->d, im->src, orphan, im) != STORE_OK) ||
      (known != 0 && import_article_count(im->d, im->item_id, known) != STORE_OK))
    return db_failed(im);
  return 0;
}

/* ---- comments --------------------------------------------------------------------- */

/* Maps WordPress's comment_approved to Gazette's status (and the index of
** its count in the report), or NULL for a comment to skip. */
static const char *comment_status(const char *approved, int *k) {
  if (!strcmp(approved, "1")) return *k = 0, "approved";
  if (!strcmp(approved, "0") || !*approved) return *k = 1, "pending";
  if (!strcmp(approved, "spam")) return *k = 2, "spam";
  return NULL;
}

/* A comment of the item being read: written (or left, when unchanged) if
** the item is an article, else skipped with the reason. */
static int on_comment(void *ud, const wxr_item *it, const wxr_comment *c) {
  importer *im = ud;
  (void)it;
  int k = 0;
  const char *status = comment_status(c->approved, &k);
  int64_t wp;
  if (im->item != ITEM_ARTICLE) {
    report_skip(im->rep, ROW_COMMENTS, im->item == ITEM_PAGE ? "on a static page (pages take no comments)"
                                       : "on an item not imported as an article", c->comment_id);
    return 0;
  }
  if (!status) {
    report_skip(im->rep, ROW_COMMENTS, "in the trash", c->comment_id);
    return 0;
  }
  if (wxr_id(c->comment_id, &wp) != 0) {
    report_skip(im->rep, ROW_COMMENTS, "no WordPress id", NULL);
    return 0;
  }
  import_entry e, parent = {0};
  unsigned char dg[IMPORT_DIGEST_LEN];
  if (im->pre) memcpy(dg, im->pre->digest, sizeof dg);
  else digest_comment(im->seed, im->item_wp, c, dg);
  /* A new article's comments are new (WordPress's comments never move). */
  if (im->item_new) memset(&e, 0, sizeof e);
  else if (import_entry_get(im->d, im->src, IMPORT_COMMENT, c->comment_id, &e) != STORE_OK)
    return db_failed(im);
  import_tally *t = &im->rep->rows[ROW_COMMENTS];
  if (e.found && !e.target_exists) {
    report_skip(im->rep, ROW_COMMENTS, "deleted in the newsroom since it was imported", c->comment_id);
    return 0;
  }
  if (e.found && !memcmp(e.digest, dg, sizeof dg)) {
    t->unchanged++;
    return 0;
  }
  int answers = *c->parent && strcmp(c->parent, "0");
  if (answers && import_entry_get(im->d, im->src, IMPORT_COMMENT, c->parent, &parent) != STORE_OK)
    return db_failed(im);
  buf_reset(&im->a);
  buf_reset(&im->b);
  buf_reset(&im->c);
  if (im->pre) {
    buf_puts(&im->a, im->pre->text1);
    buf_puts(&im->b, im->pre->text2);
  } else {
    html_text_plain(c->author, 0, &im->c);
    utf8_cut(buf_str(&im->c), COMMENTER_MAX, &im->a);
    html_text_plain(c->content, 1, &im->b);
  }
  import_comment cm = {.id = e.found ? e.gazette_id : 0, .article_id = im->item_id,
                       .parent_id = parent.found && parent.target_exists ? parent.gazette_id : 0,
                       .name = buf_str(&im->a), .email = c->author_email, .body = buf_str(&im->b),
                       .status = status,
                       .created_at = time_of(c->date_gmt, c->date, im->item_published)};
  long id;
  im->item_deferred |= answers && !cm.parent_id;
  if (import_comment_write(im->d, &cm, &id) != STORE_OK ||
      (answers && !cm.parent_id && import_comment_defer(im->d, id, c->parent) != STORE_OK) ||
      import_entry_put(im->d, im->src, IMPORT_COMMENT, c->comment_id, NULL, id, dg, 0) != STORE_OK)
    return db_failed(im);
  if (e.found) t->updated++;
  else t->created++;
  im->rep->comments_by_status[k]++;
  im->item_approved += k == 0 && !e.found;
  if (*c->type && strcmp(c->type, "comment"))
    report_reason(im->rep, ROW_COMMENTS, 0, "pingbacks and trackbacks: imported as comments", c->comment_id);
  return 0;
}

/* ---- the end ------------------------------------------------------------------------ */

/* Rewrites the links of one text noted in import_relink (an
** import_relink_fn): their targets may have come after it. */
static int relink_text(void *ud, import_kind kind, long id) {
  importer *im = ud;
  int changed = 0;
  buf_reset(&im->sanitized);
  buf_reset(&im->html);
  if (import_body_get(im->d, kind, id, &im->sanitized) != STORE_OK) return 0;
  import_text_links(buf_str(&im->sanitized), relink, im, &im->html, &changed);
  im->rep->links_rewritten += changed;
  return changed && import_body_set(im->d, kind, id, buf_str(&im->html)) != STORE_OK ? -1 : 0;
}

/* Sets the site's language and direction, and a language written right
** to left when the site's is not, from the catalogues. */
static void languages(importer *im) {
  char *lang = settings_text(im->d, "language");
  const catalog *k = i18n_find(im->opt->langs, lang);
  free(lang);
  if (!k) k = i18n_default(im->opt->langs);
  im->lang = k->code;
  im->dir = k->dir;
  for (int i = 0; i < i18n_count(im->opt->langs) && !im->rtl_lang; i++) {
    const catalog *x = i18n_at(im->opt->langs, i);
    if (!strcmp(x->dir, "rtl")) im->rtl_lang = x->code;
  }
}

/* Sets up the importer: the sanitizer's options (frames from the players
** of embed_hosts), the seed of the digests. */
static void importer_init(importer *im, db *d, const import_options *opt, import_report *rep,
                          char (*embeds)[SETTINGS_EMBED_LEN], const char **prefixes) {
  memset(im, 0, sizeof *im);
  im->d = d;
  im->opt = opt;
  im->rep = rep;
  char *hosts = settings_text(d, "embed_hosts");
  int n = settings_embeds(hosts, embeds, SETTINGS_EMBED_MAX);
  for (int i = 0; i < n; i++) prefixes[i] = embeds[i];
  prefixes[n > 0 ? n : 0] = NULL;
  crypto_generichash_state h;
  crypto_generichash_init(&h, NULL, 0, sizeof im->seed);
  crypto_generichash_update(&h, (const unsigned char *)IMPORT_VERSION, sizeof IMPORT_VERSION);
  crypto_generichash_update(&h, (const unsigned char *)hosts, strlen(hosts) + 1);
  crypto_generichash_final(&h, im->seed, sizeof im->seed);
  free(hosts);
  im->san = (sanitize_options){.embed_prefixes = prefixes, .ud = im, .image = media_image,
                               .attached = media_attached};
  languages(im);
}

/* Frees the importer's scratch. */
static void importer_free(importer *im) {
  buf *all[] = {&im->a, &im->b, &im->c, &im->html, &im->slug, &im->sanitized,
                &im->img_url, &im->img_alt, &im->img_caption};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) buf_free(all[i]);
}

/* ---- the two threads --------------------------------------------------------- */

/* What the reader thread works with: the file, the queue, and its own
** sanitizer, which knows no attachment (a text that names one is left
** to the writer, which knows them). */
typedef struct reader_job {
  import_queue *q;
  int fd;
  import_hosts hosts;
  sanitize_options san;
  unsigned char seed[IMPORT_DIGEST_LEN];  /* the digests' */
  char item_wp[24];          /* the item being read's WordPress id */
  int names_attachment;      /* the text being sanitized names one */
  buf html, a, b;
} reader_job;

/* The reader's sanitizer callbacks: an attachment is the writer's to find. */
static int reader_image(void *ud, long long id, sanitize_image *img) {
  (void)id, (void)img;
  ((reader_job *)ud)->names_attachment = 1;
  return -1;
}

/* See reader_image. */
static size_t reader_attached(void *ud, long long *ids, size_t max) {
  (void)ids, (void)max;
  ((reader_job *)ud)->names_attachment = 1;
  return 0;
}

/* Hands record m to the writer; returns non-zero to stop the read when
** the writer has given up. */
static int reader_give(reader_job *job, qmsg *m) { return queue_push(job->q, m) != 0; }

/* The site: its hosts are the old site's own, for the sanitizer. */
static int reader_site(void *ud, const wxr_site *s) {
  reader_job *job = ud;
  import_hosts_add(&job->hosts, s->base_blog_url);
  import_hosts_add(&job->hosts, s->link);
  import_hosts_add(&job->hosts, s->base_site_url);
  job->san.own_hosts = job->hosts.list;
  return reader_give(job, qmsg_site(s));
}

static int reader_author(void *ud, const wxr_author *a) { return reader_give(ud, qmsg_author(a)); }
static int reader_category(void *ud, const wxr_category *c) { return reader_give(ud, qmsg_category(c)); }
static int reader_tag(void *ud, const wxr_tag *t) { return reader_give(ud, qmsg_tag(t)); }
static int reader_term(void *ud, const wxr_term *t) { return reader_give(ud, qmsg_term(t)); }

/* An item, with its text sanitized when it is a post's or a page's. */
static int reader_item(void *ud, const wxr_item *it) {
  reader_job *job = ud;
  sanitize_report srep;
  char why[200];
  int text = !strcmp(it->post_type, "post") || !strcmp(it->post_type, "page");
  buf_reset(&job->html);
  job->names_attachment = 0;
  int ok = text && sanitize_html(it->content, strlen(it->content), &job->san, &job->html, &srep,
                                 why, sizeof why) == 0 && !job->names_attachment;
  qmsg *m = qmsg_item(QM_ITEM, it, ok ? buf_str(&job->html) : NULL, job->html.len);
  if (ok) m->srep = srep;
  snprintf(job->item_wp, sizeof job->item_wp, "%s", it->post_id);
  if (text) {
    buf_reset(&job->a);
    buf_reset(&job->b);
    digest_item(job->seed, it, m->digest);
    rtl_sample(it, &job->a);
    m->rtl = import_text_rtl(buf_str(&job->a));
    buf_reset(&job->a);
    html_text_plain(it->title, 0, &job->a);
    html_text_plain(it->excerpt, 0, &job->b);
    qmsg_texts(m, buf_str(&job->a), job->a.len, buf_str(&job->b), job->b.len);
    m->prepared = 1;
  }
  return reader_give(job, m);
}

/* A comment, with its digest and its author and text as plain text. */
static int reader_comment(void *ud, const wxr_item *it, const wxr_comment *c) {
  reader_job *job = ud;
  (void)it;
  qmsg *m = qmsg_comment(c);
  buf_reset(&job->a);
  buf_reset(&job->b);
  digest_comment(job->seed, job->item_wp, c, m->digest);
  html_text_plain(c->author, 0, &job->b);
  utf8_cut(buf_str(&job->b), COMMENTER_MAX, &job->a);
  buf_reset(&job->b);
  html_text_plain(c->content, 1, &job->b);
  qmsg_texts(m, buf_str(&job->a), job->a.len, buf_str(&job->b), job->b.len);
  m->prepared = 1;
  return reader_give(job, m);
}

/* An item's end: the whole item again when a field came after its
** comments (see wxr.h), else only the mark. */
static int reader_item_end(void *ud, const wxr_item *it) {
  return reader_give(ud, it->late ? qmsg_item(QM_ITEM_END, it, NULL, 0) : qmsg_mark(QM_ITEM_END));
}

/* The reader thread: the whole file, then the end with its result. */
static void *reader_main(void *arg) {
  reader_job *job = arg;
  wxr_handler h = {.ud = job, .on_site = reader_site, .on_author = reader_author,
                   .on_category = reader_category, .on_tag = reader_tag, .on_term = reader_term,
                   .on_item = reader_item, .on_comment = reader_comment,
                   .on_item_end = reader_item_end};
  char err[512] = "";
  int rc = wxr_read_fd(job->fd, &h, err, sizeof err);
  queue_push(job->q, qmsg_end(rc, err));
  return NULL;
}

/* Hands record m to its handler. Returns 0, or 1 to stop (im->err says
** why). */
static int writer_take(importer *im, const qmsg *m) {
  int rc = 0;
  switch (m->kind) {
    case QM_SITE: rc = on_site(im, &m->u.site); break;
    case QM_AUTHOR: rc = on_author(im, &m->u.author); break;
    case QM_CATEGORY: rc = on_category(im, &m->u.category); break;
    case QM_TAG: rc = on_tag(im, &m->u.tag); break;
    case QM_TERM: rc = on_term(im, &m->u.term); break;
    case QM_ITEM:
      im->pre = m->prepared ? m : NULL;
      rc = on_item(im, &m->u.item);
      im->pre = NULL;
      break;
    case QM_COMMENT:
      im->pre = m->prepared ? m : NULL;
      rc = on_comment(im, NULL, &m->u.comment);
      im->pre = NULL;
      break;
    case QM_ITEM_END: rc = on_item_end(im, &m->u.item); break;
    case QM_END: break;
  }
  return rc;
}

/* The writer: takes every record until the reader's end (after a failure,
** only to let the reader finish). Returns the reader's result, or -1
** when the writer failed. */
static int writer_main(importer *im, import_queue *q, char *err, size_t errlen) {
  int failed = 0;
  for (;;) {
    qmsg *m = queue_pop(q);
    if (m->kind == QM_END) {
      int rc = m->rc;
      if (rc) snprintf(err, errlen, "%s", m->err);
      qmsg_free(m);
      return failed ? -1 : rc;
    }
    if (!failed && writer_take(im, m)) {
      failed = 1;
      queue_stop(q);
    }
    qmsg_free(m);
  }
}

/* Reads the file in a thread of its own while this one writes, then runs
** the passes that need all of it. Returns 0, IMPORT_REFUSED or -1 with
** err set. */
static int importer_run(importer *im, char *err, size_t errlen) {
  reader_job job = {.q = queue_new(IMPORT_QUEUE_BYTES), .fd = im->fd};
  memcpy(job.seed, im->seed, sizeof job.seed);
  job.san = (sanitize_options){.embed_prefixes = im->san.embed_prefixes, .ud = &job,
                               .image = reader_image, .attached = reader_attached};
  pthread_t reader;
  xmlInitParser();
  if (pthread_create(&reader, NULL, reader_main, &job) != 0) {
    queue_free(job.q);
    snprintf(err, errlen, "cannot start the reader thread");
    return -1;
  }
  int rc = writer_main(im, job.q, err, errlen);
  pthread_join(reader, NULL);
  queue_free(job.q);
  buf_free(&job.html);
  buf_free(&job.a);
  buf_free(&job.b);
  progress(im, 1);
  if (rc < 0 && im->err[0]) {
    snprintf(err, errlen, "%s", im->err);
    return -1;
  }
  if (rc > 0) return IMPORT_REFUSED;
  if (rc < 0) return -1;
  if (!im->src) {
    snprintf(err, errlen, "the export holds no site");
    return IMPORT_REFUSED;
  }
  if (import_relink_each(im->d, relink_text, im) != STORE_OK || media_finish(im) != 0) {
    snprintf(err, errlen, "cannot write to the database");
    return -1;
  }
  return 0;
}

int import_wordpress(db *d, const import_options *opt, import_report *rep, char *err,
                     size_t errlen) {
  importer im;
  char embeds[SETTINGS_EMBED_MAX][SETTINGS_EMBED_LEN];
  const char *prefixes[SETTINGS_EMBED_MAX + 1];
  memset(rep, 0, sizeof *rep);
  rep->dry_run = opt->dry_run;
  int fd = open(opt->file, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0) {
    snprintf(err, errlen, "cannot read %s", opt->file);
    if (fd >= 0) close(fd);
    return -1;
  }
  importer_init(&im, d, opt, rep, embeds, prefixes);
  im.fd = fd;
  im.size = sb.st_size;
  im.started = im.shown = clock_now();
  int rc = import_hooks_quiet(d, 1) == STORE_OK && import_tx_begin(d) == STORE_OK ? 0 : -1;
  if (rc != 0) snprintf(err, errlen, "cannot begin writing to the database (is it busy?)");
  long long before = sqlite3_total_changes64(d->h);
  if (rc == 0) rc = importer_run(&im, err, errlen);
  int touched = sqlite3_total_changes64(d->h) != before;
  if (import_tx_end(d, rc == 0 && !opt->dry_run, touched) != STORE_OK && rc == 0) {
    snprintf(err, errlen, "cannot commit the import to the database");
    rc = -1;
  }
  import_hooks_quiet(d, 0);
  rep->seconds = clock_now() - im.started;
  importer_free(&im);
  close(fd);
  return rc;
}
