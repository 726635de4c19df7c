/*
** import_pictures.c: the pictures of a WordPress import taken into the
** picture library once the import is committed (see import.h). Each file
** of the uploads folder an imported article shows is imported once
** (import_files remembers it); articles without a featured picture get
** their WordPress one; the HTML texts' <img> of those files point to the
** library ("/media/ID"), which shows them as responsive pictures once
** their sizes are made by gazette serve.
**
** Every picture is its own transaction (the library's), and the texts are
** rewritten in one more: a run cut short leaves what it did, and a run
** again does the rest.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "image.h"
#include "import.h"
#include "import_text.h"
#include "library.h"
#include "store_import.h"
#include "store_media.h"

/* Takes the file of the uploads folder into the library; counts it in rep.
** Returns 0 (taken or refused) or -1 with err set. */
static int picture_take(db *d, const import_options *opt, long src, const char *file,
                        import_report *rep, char *err, size_t errlen) {
  char path[4200], why[300];
  buf alt = {0}, caption = {0};
  long id = 0;
  int rc = IMAGE_UNSUPPORTED;
  snprintf(why, sizeof why, "not a file of the uploads folder");
  if (!strstr(file, "..") && snprintf(path, sizeof path, "%s/%s", opt->uploads, file) <
                                 (int)sizeof path) {
    if (import_attachment_words(d, src, file, &alt, &caption) != STORE_OK) {
      buf_free(&alt);
      buf_free(&caption);
      snprintf(err, errlen, "cannot read the attachments of the import");
      return -1;
    }
    const char *slash = strrchr(file, '/');
    media_words w = {.filename = slash ? slash + 1 : file, .alt = buf_str(&alt),
                     .caption = buf_str(&caption), .credit = ""};
    media_dirs dirs = {opt->media_dir, opt->originals_dir};
    rc = library_import(d, opt->now, &dirs, NULL, path, opt->max_pixels, LIBRARY_QUEUE_ALL, &w,
                        &id, why, sizeof why);
  }
  buf_free(&alt);
  buf_free(&caption);
  if (rc < 0) {
    snprintf(err, errlen, "picture %s: %s", file, why);
    return -1;
  }
  if (rc == 0) rep->pictures_taken++;
  else if (rep->nrefused < IMPORT_MISSING_SHOWN)
    snprintf(rep->refused[rep->nrefused++], sizeof rep->refused[0], "%s", file);
  if (rc != 0) rep->pictures_refused++;
  if (import_file_done(d, src, file, rc == 0 ? id : 0) != STORE_OK) {
    snprintf(err, errlen, "cannot record the pictures taken");
    return -1;
  }
  return 0;
}

/* One picture of a text: its src attribute as the text writes it (with
** the attribute's name and quotes), and as it is to be. */
typedef struct pointer {
  buf from;
  char to[48];
} pointer;

/* Appends html to out with every src="url" made src="/media/ID" for each
** line "url<TAB>ID" of pictures, in one pass over html. Returns how many
** it changed, or -1 when out of memory. */
static long text_point(const char *html, const char *pictures, buf *out) {
  static const char src[] = " src=\"";
  size_t lines = 0;
  for (const char *c = pictures; *c; c++) lines += *c == '\n';
  pointer *ps = calloc(lines ? lines : 1, sizeof *ps);
  if (!ps) return -1;
  size_t n = 0;
  for (const char *line = pictures; *line && n < lines; n++) {
    const char *tab = strchr(line, '\t'), *end = strchr(line, '\n');
    if (!tab || !end || tab > end) break;
    buf_puts(&ps[n].from, src);
    escape_html(&ps[n].from, line, (size_t)(tab - line));
    buf_putc(&ps[n].from, '"');
    snprintf(ps[n].to, sizeof ps[n].to, " src=\"/media/%.*s\"", (int)(end - tab - 1), tab + 1);
    line = end + 1;
  }
  long changed = 0;
  const char *p = html, *hit;
  while ((hit = strstr(p, src)) != NULL) {
    size_t i = 0;
    while (i < n && strncmp(hit, buf_str(&ps[i].from), ps[i].from.len) != 0) i++;
    buf_append(out, p, (size_t)(hit - p));
    if (i < n) {
      buf_puts(out, ps[i].to);
      p = hit + ps[i].from.len;
      changed++;
    } else {
      buf_puts(out, src);
      p = hit + sizeof src - 1;
    }
  }
  buf_puts(out, p);
  for (size_t i = 0; i < n; i++) buf_free(&ps[i].from);
  free(ps);
  return changed;
}

/* Points the HTML texts of the source's articles or pages (kind) that
** show pictures now in the library to them. Returns a STORE_ code. */
static int kind_point(db *d, long src, import_kind kind, import_report *rep) {
  buf pictures = {0}, html = {0}, text = {0};
  long id = 0;
  int rc = STORE_OK;
  while (rc == STORE_OK) {
    int next = import_body_next(d, src, kind, id, &id, &pictures);
    if (next == STORE_NOT_FOUND) break;
    rc = next;
    buf_reset(&html);
    buf_reset(&text);
    int has = rc == STORE_OK ? import_body_get(d, kind, id, &html) : rc;
    if (has == STORE_ERROR) rc = STORE_ERROR;
    if (has != STORE_OK) continue;
    long changed = text_point(buf_str(&html), buf_str(&pictures), &text);
    if (changed < 0) rc = STORE_ERROR;
    if (changed <= 0) continue;
    rc = kind == IMPORT_PAGE ? page_text_store(d, id, buf_str(&text), 1)
                             : body_save_html(d, id, buf_str(&text));
    rep->texts_pointed++;
  }
  buf_free(&pictures);
  buf_free(&html);
  buf_free(&text);
  return rc;
}

/* Points the texts of the source's articles and pages to the library's
** pictures and gives articles their featured picture, in one transaction.
** Returns 0 or -1 with err set. */
static int texts_point(db *d, long src, import_report *rep, char *err, size_t errlen) {
  if (db_begin(d) != 0) {
    snprintf(err, errlen, "cannot begin writing to the database (is it busy?)");
    return -1;
  }
  int rc = import_featured_apply(d, src, &rep->featured_given);
  if (rc == STORE_OK) rc = kind_point(d, src, IMPORT_ARTICLE, rep);
  if (rc == STORE_OK) rc = kind_point(d, src, IMPORT_PAGE, rep);
  if (rc == STORE_OK && db_commit(d) == 0) return 0;
  db_rollback(d);
  snprintf(err, errlen, "cannot point the texts to the library's pictures");
  return -1;
}

int import_pictures(db *d, const import_options *opt, import_report *rep, char *err,
                    size_t errlen) {
  long src;
  if (!opt->uploads || opt->dry_run || !opt->media_dir) return 0;
  media_dirs dirs = {opt->media_dir, opt->originals_dir};
  if (library_prepare(&dirs, err, errlen) != 0 || image_init(err, errlen) != 0) return -1;
  if (import_source_id(d, rep->site, &src) != STORE_OK) {
    snprintf(err, errlen, "cannot find the imported site");
    return -1;
  }
  buf file = {0}, after = {0};
  int rc = import_hooks_quiet(d, 1) == STORE_OK ? 0 : -1;
  if (rc != 0) snprintf(err, errlen, "cannot prepare the database for the pictures");
  int next;
  while (rc == 0 && (next = import_file_next(d, src, buf_str(&after), &file)) != STORE_NOT_FOUND) {
    rc = next == STORE_OK ? picture_take(d, opt, src, buf_str(&file), rep, err, errlen) : -1;
    if (next != STORE_OK) snprintf(err, errlen, "cannot read the pictures to take");
    buf_reset(&after);
    buf_puts(&after, buf_str(&file));
  }
  buf_free(&file);
  buf_free(&after);
  if (rc == 0) rc = texts_point(d, src, rep, err, errlen);
  import_hooks_quiet(d, 0);
  return rc;
}
