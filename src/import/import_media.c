/*
** import_media.c: the pictures of a WordPress import, noted while it
** reads the export: its attachments, each
** article's featured picture, the pictures the texts show, and the check
** of their files in the WordPress uploads folder (see import_int.h). The
** files found are noted for import_pictures.c, which takes them into the
** picture library once the import is committed.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "import_int.h"

/* Returns the value of meta key of it, or "". */
static const char *item_meta(const wxr_item *it, const char *key) {
  for (size_t i = 0; i < it->meta_count; i++)
    if (strcmp(it->meta[i].key, key) == 0) return it->meta[i].value;
  return "";
}

int media_attachment(importer *im, const wxr_item *it) {
  int64_t id, parent = 0;
  if (wxr_id(it->post_id, &id) != 0) {
    report_skip(im->rep, ROW_ATTACHMENTS, "no WordPress id", NULL);
    return 0;
  }
  const char *url = *it->attachment_url ? it->attachment_url : it->guid;
  if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
    report_skip(im->rep, ROW_ATTACHMENTS, "no web address", it->post_id);
    return 0;
  }
  if (wxr_id(it->post_parent, &parent) != 0) parent = 0;
  buf_reset(&im->a);
  buf_reset(&im->b);
  buf_reset(&im->c);
  const char *file = item_meta(it, "_wp_attached_file");
  if (*file) buf_puts(&im->a, file);
  else import_text_upload_file(url, &im->a);
  html_text_plain(it->title, 0, &im->b);
  html_text_plain(it->excerpt, 0, &im->c);
  import_hosts_add(&im->upload_hosts, url);
  buf found = {0}, alt = {0}, caption = {0};
  int existed = import_attachment_get(im->d, im->src, id, &found, &alt, &caption) == STORE_OK;
  buf_free(&found);
  buf_free(&alt);
  buf_free(&caption);
  int changed;
  if (import_attachment_put(im->d, im->src, id, parent, url, buf_str(&im->a), buf_str(&im->b),
                            item_meta(it, "_wp_attachment_image_alt"), buf_str(&im->c),
                            &changed) != STORE_OK)
    return -1;
  import_tally *t = &im->rep->rows[ROW_ATTACHMENTS];
  if (!existed) t->created++;
  else if (changed) t->updated++;
  else t->unchanged++;
  return 0;
}

int media_featured(importer *im, long article_id, const char *wp_thumb) {
  int64_t id;
  if (!*wp_thumb || wxr_id(wp_thumb, &id) != 0 || id == 0) return 0;
  return import_featured_put(im->d, article_id, im->src, id) == STORE_OK ? 0 : -1;
}

/* What media_body's walk over a text needs. */
typedef struct body_walk {
  importer *im;
  import_kind kind;
  long id;
  int failed;
} body_walk;

/* Notes one picture of a text (an import_image_fn). */
static int body_picture(void *ud, const char *url) {
  body_walk *w = ud;
  if (import_image_put(w->im->d, w->kind, w->id, w->im->src, url) != STORE_OK) w->failed = 1;
  return w->failed;
}

int media_body(importer *im, import_kind kind, long id, const char *html) {
  body_walk w = {im, kind, id, 0};
  if (!im->item_new && import_images_clear(im->d, kind, id) != STORE_OK) return -1;
  import_text_images(html, body_picture, &w);
  return w.failed ? -1 : 0;
}

/* Returns 1 when url is served by the old site or from where its
** attachments are. */
static int picture_is_ours(importer *im, const char *url) {
  buf path = {0};
  int ours = import_text_old_path(&im->hosts, url, &path) ||
             import_text_old_path(&im->upload_hosts, url, &path);
  buf_free(&path);
  return ours || strstr(url, "/wp-content/uploads/") != NULL;
}

/* Removes WordPress's size from the file name in f ("a-300x200.jpg" is
** the 300 x 200 copy of "a.jpg"); returns 1 when it had one. */
static int strip_size(buf *f) {
  char *name = f->data ? f->data : NULL;
  char *dot = name ? strrchr(name, '.') : NULL;
  char *slash = name ? strrchr(name, '/') : NULL;
  if (!dot || (slash && dot < slash)) return 0;
  char *p = dot;
  size_t h = 0, w = 0;
  while (p > name && p[-1] >= '0' && p[-1] <= '9') p--, h++;
  if (!h || p == name || *--p != 'x') return 0;
  while (p > name && p[-1] >= '0' && p[-1] <= '9') p--, w++;
  if (!w || p == name || p[-1] != '-') return 0;
  p--;
  memmove(p, dot, strlen(dot) + 1);
  f->len = strlen(f->data);
  return 1;
}

/* Sets file to the file of the uploads folder that the picture at url of
** a text is: its attachment's when the export has one at that address
** (known), else the file its address names, the original rather than
** one of WordPress's sizes of it when the export has that original.
** Returns 1, or 0 when its address is not one of the old site's. */
static int picture_file(importer *im, const char *url, const char *known, buf *file) {
  buf_reset(file);
  if (*known) {
    buf_puts(file, known);
    return 1;
  }
  if (!picture_is_ours(im, url) || !import_text_upload_file(url, file)) return 0;
  buf original = {0};
  buf_puts(&original, buf_str(file));
  int found = 0;
  if (strip_size(&original) &&
      import_attachment_has_file(im->d, im->src, buf_str(&original), &found) == STORE_OK &&
      found) {
    buf_reset(file);
    buf_puts(file, buf_str(&original));
  }
  buf_free(&original);
  return 1;
}

/* Counts one picture and checks its file; a file that is there is noted
** for the library (an import_picture_fn). */
static void finish_picture(void *ud, const char *role, const char *url, const char *file) {
  importer *im = ud;
  import_report *r = im->rep;
  buf resolved = {0};
  if (!strcmp(role, "featured")) {
    r->featured++;
    r->featured_found += *url != 0;
  } else {
    r->body_pictures++;
    if (picture_file(im, url, file, &resolved)) {
      file = buf_str(&resolved);
      if (import_picture_url_put(im->d, im->src, url, file) != STORE_OK) im->pictures_failed = 1;
    } else {
      r->remote_pictures++;
      file = "";
    }
  }
  if (im->opt->uploads && *file) {
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", im->opt->uploads, file);
    r->checked_files++;
    if (strstr(file, "..") || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
      if (r->nmissing < IMPORT_MISSING_SHOWN)
        snprintf(r->missing[r->nmissing++], sizeof r->missing[0], "%s", file);
      if (im->opt->missing) fprintf(im->opt->missing, "%s\n", file);
      r->missing_files++;
    } else if (import_file_note(im->d, im->src, file) != STORE_OK) {
      im->pictures_failed = 1;
    }
  }
  buf_free(&resolved);
}

int media_finish(importer *im) {
  im->pictures_failed = 0;
  int rc = import_pictures_each(im->d, im->src, finish_picture, im);
  return rc == STORE_OK && !im->pictures_failed ? 0 : -1;
}

int media_image(void *ud, long long id, sanitize_image *img) {
  importer *im = ud;
  buf_reset(&im->img_url);
  buf_reset(&im->img_alt);
  buf_reset(&im->img_caption);
  if (import_attachment_get(im->d, im->src, id, &im->img_url, &im->img_alt, &im->img_caption) !=
      STORE_OK)
    return -1;
  *img = (sanitize_image){.url = buf_str(&im->img_url), .alt = buf_str(&im->img_alt),
                          .caption = buf_str(&im->img_caption)};
  return 0;
}

size_t media_attached(void *ud, long long *ids, size_t max) {
  importer *im = ud;
  int64_t id;
  if (wxr_id(im->item_wp, &id) != 0) return 0;
  return import_attachment_children(im->d, im->src, id, ids, max);
}
