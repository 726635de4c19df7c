/*
** library.c: imports, the queue's work, removal and the sweep
** (see library.h).
*/
#include "library.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "json.h"
#include "store_media.h"

enum { LIBRARY_PATH_MAX = 4200 };

int library_prepare(const media_dirs *dirs, char *err, size_t errlen) {
  if ((mkdir(dirs->media, 0755) != 0 && errno != EEXIST) ||
      (mkdir(dirs->originals, 0700) != 0 && errno != EEXIST)) {
    snprintf(err, errlen, "cannot make the media folders %s and %s: %s", dirs->media,
             dirs->originals, strerror(errno));
    return -1;
  }
  if (access(dirs->media, W_OK) != 0 || access(dirs->originals, W_OK) != 0) {
    snprintf(err, errlen, "cannot write to the media folders %s and %s", dirs->media,
             dirs->originals);
    return -1;
  }
  return 0;
}

/* Writes dir/name into out (LIBRARY_PATH_MAX). Returns 0, or -1 when it
** does not fit. */
static int library_path(char *out, const char *dir, const char *name) {
  int n = snprintf(out, LIBRARY_PATH_MAX, "%s/%s", dir, name);
  return n < 0 || n >= LIBRARY_PATH_MAX ? -1 : 0;
}

/* The image type named s ("jpeg", ...), or 0. */
static image_type library_type(const char *s) {
  for (int t = IMAGE_JPEG; t <= IMAGE_AVIF; t++)
    if (strcmp(image_type_name((image_type)t), s) == 0) return (image_type)t;
  return 0;
}

/* Turns the files image_derive made into the store's records. */
static size_t library_records(const image_files *made, media_file *out) {
  for (size_t i = 0; i < made->n; i++) {
    const image_file *f = &made->file[i];
    out[i] = (media_file){f->name, f->format == IMAGE_OUT_WEBP ? "webp" : "jpeg", f->width,
                          f->height, (long long)f->bytes};
  }
  return made->n;
}

/* Fills *have with every size of info (which: IMAGE_SIZES_*) already in
** the media folder, and returns 1 when all of them are there. */
static int library_cached(const media_dirs *dirs, const image_info *info, unsigned which,
                          image_files *have) {
  int widths[IMAGE_MAX_WIDTHS];
  size_t nw = image_widths(info->width, info->height, which, widths);
  static const image_format formats[] = {IMAGE_OUT_WEBP, IMAGE_OUT_JPEG};
  have->n = 0;
  for (size_t i = nw; i-- > 0;) {
    for (size_t k = 0; k < 2; k++) {
      image_file *f = &have->file[have->n];
      char p[LIBRARY_PATH_MAX];
      struct stat st;
      if (image_name(info, widths[i], formats[k], f->name, sizeof f->name) != 0 ||
          library_path(p, dirs->media, f->name) != 0 || stat(p, &st) != 0)
        return 0;
      f->width = widths[i];
      f->height = (int)(((int64_t)info->height * widths[i] + info->width / 2) / info->width);
      if (f->height < 1) f->height = 1;
      f->format = formats[k];
      f->bytes = (uint64_t)st.st_size;
      have->n++;
    }
  }
  return nw > 0;
}

/* Removes the files of made that no recorded picture uses, and the
** original called name unless a picture uses it: what a failed import
** leaves. */
static void library_undo(db *d, const media_dirs *dirs, const image_files *made,
                         const char *original) {
  char p[LIBRARY_PATH_MAX];
  int used;
  for (size_t i = 0; i < made->n; i++)
    if (media_name_used(d, made->file[i].name, &used) == STORE_OK && !used &&
        library_path(p, dirs->media, made->file[i].name) == 0)
      unlink(p);
  if (*original && media_original_used(d, original, &used) == STORE_OK && !used &&
      library_path(p, dirs->originals, original) == 0)
    unlink(p);
}

/* Probes path under a slot of j. */
static int library_probe(media_jobs *j, const char *path, uint64_t max_pixels, image_info *info,
                         char *err, size_t errlen) {
  media_jobs_enter(j);
  int rc = image_probe(path, max_pixels, info, err, errlen);
  media_jobs_leave(j);
  return rc;
}

/* Makes the sizes which of the original at path into the media folder,
** under a slot of j, unless they are there already. */
static int library_derive(const media_dirs *dirs, media_jobs *j, const char *path,
                          const image_info *info, unsigned which, image_files *made, char *err,
                          size_t errlen) {
  if (library_cached(dirs, info, which, made)) return 0;
  media_jobs_enter(j);
  int rc = image_derive(path, info, dirs->media, which, made, err, errlen);
  media_jobs_leave(j);
  return rc;
}

int library_import(db *d, time_t now, const media_dirs *dirs, media_jobs *j, const char *path,
                   uint64_t max_pixels, int now_sizes, const media_words *w, long *id,
                   char *err, size_t errlen) {
  image_info info;
  image_files made = {.n = 0};
  char original[128] = "", digest[65];
  int rc = library_probe(j, path, max_pixels, &info, err, errlen);
  if (rc) return rc;
  rc = image_keep_original(path, &info, dirs->originals, original, sizeof original, err, errlen);
  if (rc) return rc;
  char kept[LIBRARY_PATH_MAX];
  library_path(kept, dirs->originals, original);
  /* Already made in full (the same picture came before): record it all. */
  int cached = library_cached(dirs, &info, IMAGE_SIZES_ALL, &made);
  if (!cached) {
    made.n = 0;
    if (now_sizes == LIBRARY_FIRST)
      rc = library_derive(dirs, j, kept, &info, IMAGE_SIZES_FIRST, &made, err, errlen);
  }
  media_file files[IMAGE_MAX_FILES];
  size_t nfiles = rc == 0 ? library_records(&made, files) : 0;
  sodium_bin2hex(digest, sizeof digest, info.digest, sizeof info.digest);
  media_new m = {.uploader = w->uploader, .filename = w->filename, .type = image_type_name(info.type),
                 .digest = digest, .original = original, .width = info.width,
                 .height = info.height, .bytes = (long long)info.bytes, .alt = w->alt,
                 .caption = w->caption, .credit = w->credit, .files = files, .nfiles = nfiles};
  int rest[IMAGE_MAX_WIDTHS];
  m.queue = !cached && (now_sizes != LIBRARY_FIRST ||
                        image_widths(info.width, info.height, IMAGE_SIZES_REST, rest) > 0);
  if (rc == 0 && media_insert(d, now, &m, id) != STORE_OK) {
    snprintf(err, errlen, "cannot record the picture in the database");
    rc = -1;
  }
  if (rc) library_undo(d, dirs, &made, original);
  else if (m.queue) media_jobs_kick(j);
  return rc;
}

/* Fills info back from a queued job's record. Returns 0 or -1. */
static int library_job_info(const cJSON *job, image_info *info) {
  memset(info, 0, sizeof *info);
  const char *hex = json_str(job, "digest");
  size_t len = 0;
  info->type = library_type(json_str(job, "type"));
  info->width = (int)json_num(job, "width");
  info->height = (int)json_num(job, "height");
  info->bytes = (uint64_t)json_num(job, "bytes");
  info->pixels = (uint64_t)info->width * (uint64_t)info->height;
  if (!info->type || info->width < 1 || info->height < 1 ||
      sodium_hex2bin(info->digest, sizeof info->digest, hex, strlen(hex), NULL, &len, NULL) != 0 ||
      len != sizeof info->digest)
    return -1;
  return 0;
}

int library_work(db *d, time_t now, const media_dirs *dirs, media_jobs *j) {
  cJSON *job = NULL;
  int rc = media_queue_next(d, now, &job);
  if (rc == STORE_NOT_FOUND) return 0;
  if (rc != STORE_OK) return -1;
  long id = json_long(job, "id");
  image_info info;
  image_files made = {.n = 0}, first;
  char err[300] = "", path[LIBRARY_PATH_MAX];
  int bad = library_job_info(job, &info) != 0 ||
            library_path(path, dirs->originals, json_str(job, "original")) != 0;
  if (bad) {
    snprintf(err, sizeof err, "the queued picture's record is not usable");
  } else {
    /* An upload made its first sizes itself; the demo's loader made none. */
    unsigned which = library_cached(dirs, &info, IMAGE_SIZES_FIRST, &first) ? IMAGE_SIZES_REST
                                                                           : IMAGE_SIZES_ALL;
    bad = library_derive(dirs, j, path, &info, which, &made, err, sizeof err) != 0;
  }
  if (bad) {
    fprintf(stderr, "gazette: picture %ld: %s\n", id, err);
    rc = media_queue_failed(d, now, id, err);
  } else {
    media_file files[IMAGE_MAX_FILES];
    size_t n = library_records(&made, files);
    rc = media_queue_done(d, now, id, files, n);
    if (rc != STORE_OK) library_undo(d, dirs, &made, "");
  }
  cJSON_Delete(job);
  return rc == STORE_OK ? 1 : -1;
}

void library_remove(const media_dirs *dirs, const cJSON *gone) {
  char p[LIBRARY_PATH_MAX];
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(gone, "files")) {
    const char *name = cJSON_GetStringValue(f);
    if (name && !strchr(name, '/') && library_path(p, dirs->media, name) == 0) unlink(p);
  }
  const char *original = json_str(gone, "original");
  if (*original && !strchr(original, '/') && library_path(p, dirs->originals, original) == 0)
    unlink(p);
}

/* Removes the regular files of dir whose names start with one of the two
** prefixes (b may be NULL). Returns how many. */
static int library_sweep_dir(const char *dir, const char *a, const char *b) {
  DIR *dh = opendir(dir);
  if (!dh) return 0;
  int n = 0;
  struct dirent *e;
  char p[LIBRARY_PATH_MAX];
  while ((e = readdir(dh)) != NULL) {
    int match = strncmp(e->d_name, a, strlen(a)) == 0 || (b && strncmp(e->d_name, b, strlen(b)) == 0);
    struct stat st;
    if (match && library_path(p, dir, e->d_name) == 0 && lstat(p, &st) == 0 &&
        S_ISREG(st.st_mode) && unlink(p) == 0)
      n++;
  }
  closedir(dh);
  return n;
}

int library_sweep(const media_dirs *dirs) {
  return library_sweep_dir(dirs->media, ".tmp-", NULL) +
         library_sweep_dir(dirs->originals, ".tmp-", "upload-");
}

/* Returns 1 when dir/name is a file. */
static int library_exists(const char *dir, const char *name) {
  char p[LIBRARY_PATH_MAX];
  struct stat st;
  return library_path(p, dir, name) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int library_check(db *d, time_t now, const media_dirs *dirs, library_report *r) {
  memset(r, 0, sizeof *r);
  cJSON *all = cJSON_CreateArray(), *m, *f;
  int rc = media_inventory(d, all) == STORE_OK ? 0 : -1;
  cJSON_ArrayForEach(m, all) {
    if (rc) break;
    r->pictures++;
    const char *original = json_str(m, "original");
    if (!library_exists(dirs->originals, original)) {
      r->no_original++;
      fprintf(stderr, "gazette: picture %ld: its original %s is missing\n", json_long(m, "id"),
              original);
      continue;
    }
    int missing = 0;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(m, "files")) {
      missing |= !library_exists(dirs->media, cJSON_GetStringValue(f));
    }
    if (!missing) continue;
    r->requeued++;
    if (media_requeue(d, now, json_long(m, "id")) != STORE_OK) rc = -1;
  }
  cJSON_Delete(all);
  return rc;
}

/* ---- the demo's pictures ------------------------------------------------ */

enum { LIBRARY_DEMO_MAX_BYTES = 4 * 1024 * 1024 };

/* Reads the file at path into a new string, or NULL. */
static char *library_read(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *s = malloc(LIBRARY_DEMO_MAX_BYTES + 1);
  if (!s) abort();
  size_t n = fread(s, 1, LIBRARY_DEMO_MAX_BYTES + 1, f);
  fclose(f);
  if (n > LIBRARY_DEMO_MAX_BYTES) {
    free(s);
    return NULL;
  }
  s[n] = 0;
  return s;
}

/* Imports the picture pic ({file, alt, caption, credit}) of the demo into
** *id. Returns 0, or -1 / a refusal with the reason in err. */
static int library_demo_one(db *d, time_t now, const media_dirs *dirs, const char *from,
                            const cJSON *pic, long *id, char *err, size_t errlen) {
  const char *file = json_str(pic, "file");
  char path[LIBRARY_PATH_MAX];
  if (!*file || strstr(file, "..") || library_path(path, from, file) != 0) {
    snprintf(err, errlen, "demo content: a picture without a usable \"file\"");
    return -1;
  }
  const char *slash = strrchr(file, '/');
  media_words w = {.filename = slash ? slash + 1 : file, .alt = json_str(pic, "alt"),
                   .caption = json_str(pic, "caption"), .credit = json_str(pic, "credit")};
  char why[300];
  int rc = library_import(d, now, dirs, NULL, path, 0, LIBRARY_QUEUE_ALL, &w, id, why, sizeof why);
  if (rc) snprintf(err, errlen, "demo picture %s: %s", path, why);
  return rc;
}

int library_demo(db *d, time_t now, const media_dirs *dirs, const char *content_path,
                 const char *from_dir, char *err, size_t errlen) {
  char *text = library_read(content_path);
  cJSON *root = text ? cJSON_Parse(text) : NULL;
  free(text);
  if (!root) {
    snprintf(err, errlen, "cannot read demo content %s", content_path);
    return -1;
  }
  int count = 0, rc = 0;
  const cJSON *x;
  static const struct { const char *list, *key, *pic; } kinds[] = {
      {"articles", "slug", "image"}, {"authors", "username", "avatar"}};
  for (size_t k = 0; k < 2 && rc == 0; k++) {
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(root, kinds[k].list)) {
      const cJSON *pic = cJSON_GetObjectItemCaseSensitive(x, kinds[k].pic);
      if (!pic) continue;
      long id = 0;
      if ((rc = library_demo_one(d, now, dirs, from_dir, pic, &id, err, errlen)) != 0) break;
      const char *key = json_str(x, kinds[k].key);
      int given = k == 0 ? media_feature_slug(d, key, id) : media_avatar_username(d, key, id);
      if (given != STORE_OK) {
        snprintf(err, errlen, "demo content: cannot give a picture to %s", key);
        rc = -1;
        break;
      }
      count++;
    }
  }
  cJSON_Delete(root);
  return rc ? -1 : count;
}
