/*
** image.c: the libvips picture pipeline (see image.h).
**
** Every file is read through a VipsSource on a descriptor, never through a
** file name, so libvips never parses options out of a name nor lets a name's
** suffix pick a loader. Only the accepted loaders are ever called by name;
** the rest are blocked in case something reaches them anyway.
*/
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

/* Part of every derived file's name: change it whenever the output of the
** same original would change. */
#define IMAGE_RECIPE "gazette-image 1; jpeg q82 progressive; webp q80 effort 4; sRGB; stripped"

/* The largest size a call makes is decoded once and kept in memory, and
** the other sizes and both encodings are made from it, when it has at most
** this many pixels (13 MiB in RGB); a larger one (only a very tall picture)
** is decoded from the original for each size and encoding instead. */
#define IMAGE_MEMORY_PIXELS ((uint64_t)2400 * 2400)

/* The accepted loaders, in the order they are asked. */
static const struct {
  const char *nickname;   /* the source loader */
  const char *base;       /* its class family, unblocked at start-up */
  image_type type;
} image_loaders[] = {
    {"jpegload_source", "VipsForeignLoadJpeg", IMAGE_JPEG},
    {"pngload_source", "VipsForeignLoadPng", IMAGE_PNG},
    {"webpload_source", "VipsForeignLoadWebp", IMAGE_WEBP},
    {"gifload_source", "VipsForeignLoadNsgif", IMAGE_GIF},
    {"heifload_source", "VipsForeignLoadHeif", IMAGE_HEIC},
};
#define IMAGE_NLOADERS (sizeof image_loaders / sizeof *image_loaders)

/* Set once by image_start under pthread_once, read-only afterwards. */
static pthread_once_t image_once = PTHREAD_ONCE_INIT;
static int image_started;
static char image_start_err[160];

/* Writes a formatted one-line reason into err (when there is one). */
static void image_say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void image_say(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* Writes reason plus the last line of libvips' error buffer into err, and
** clears that buffer. Returns -1. */
static int image_vips_fail(char *err, size_t errlen, const char *reason) {
  char *v = vips_error_buffer_copy();
  char *line = v;
  size_t n = v ? strlen(v) : 0;
  while (n && (v[n - 1] == '\n' || v[n - 1] == ' ')) v[--n] = 0;
  if (v && (line = strrchr(v, '\n'))) line++;
  else line = v;
  if (line && *line) image_say(err, errlen, "%s: %s", reason, line);
  else image_say(err, errlen, "%s", reason);
  g_free(v);
  return -1;
}

/* Drops libvips' warnings: each one also fails the call that caused it. */
static void image_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer u) {
  (void)domain, (void)level, (void)msg, (void)u;
}

/* The once-only start-up behind image_init. */
static void image_start(void) {
  if (VIPS_INIT("gazette")) {
    image_vips_fail(image_start_err, sizeof image_start_err, "libvips cannot start");
    return;
  }
  /* Buffers of a megabyte or more (the decoders' and encoders') are mapped
  ** and handed back to the system when freed, rather than left in a heap
  ** that grows with every picture. Process-wide, and harmless elsewhere:
  ** nothing else in the server allocates that much at once. */
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  vips_cache_set_max(0);
  vips_cache_set_max_mem(0);
  vips_cache_set_max_files(0);
  vips_concurrency_set(IMAGE_THREADS);
  vips_block_untrusted_set(TRUE);
  vips_operation_block_set("VipsForeignLoad", TRUE);
  for (size_t i = 0; i < IMAGE_NLOADERS; i++) vips_operation_block_set(image_loaders[i].base, FALSE);
  g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, image_quiet, NULL);
  if (!vips_type_find("VipsOperation", "jpegload_source") ||
      !vips_type_find("VipsOperation", "pngload_source")) {
    snprintf(image_start_err, sizeof image_start_err, "libvips has no JPEG or PNG loader");
    return;
  }
  image_started = 1;
}

int image_init(char *err, size_t errlen) {
  pthread_once(&image_once, image_start);
  if (image_started) return 0;
  image_say(err, errlen, "%s", image_start_err);
  return -1;
}

const char *image_type_name(image_type t) {
  switch (t) {
  case IMAGE_JPEG: return "jpeg";
  case IMAGE_PNG: return "png";
  case IMAGE_WEBP: return "webp";
  case IMAGE_GIF: return "gif";
  case IMAGE_HEIC: return "heic";
  case IMAGE_AVIF: return "avif";
  }
  return "unknown";
}

/* ---- probing ---- */

/* Hashes the open file fd whole into digest and sets *bytes. Returns 0 or
** -1. */
static int image_digest(int fd, unsigned char digest[32], uint64_t *bytes) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, 32);
  unsigned char b[16384];
  uint64_t total = 0;
  for (;;) {
    ssize_t n = pread(fd, b, sizeof b, (off_t)total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    crypto_generichash_update(&st, b, (size_t)n);
    total += (uint64_t)n;
  }
  crypto_generichash_final(&st, digest, 32);
  *bytes = total;
  return 0;
}

/* Loads the header of source with the accepted loader i, lazily: no pixel
** is decoded until the image is read. Returns NULL on failure. */
static VipsImage *image_load(VipsSource *src, size_t i) {
  VipsImage *im = NULL;
  const char *nick = image_loaders[i].nickname;
  if (vips_call(nick, src, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_WARNING,
                NULL))
    return NULL;
  return im;
}

/* Returns the index of the accepted loader that recognises source, or -1. */
static int image_sniff(VipsSource *src) {
  for (size_t i = 0; i < IMAGE_NLOADERS; i++) {
    if (!vips_type_find("VipsOperation", image_loaders[i].nickname)) continue;
    if (vips_foreign_is_a_source(image_loaders[i].nickname, src)) return (int)i;
  }
  return -1;
}

/* The probe of an open file; see image_probe. */
static int image_probe_fd(int fd, uint64_t max_pixels, image_info *info, char *err, size_t errlen) {
  VipsSource *src = lseek(fd, 0, SEEK_SET) == 0 ? vips_source_new_from_descriptor(fd) : NULL;
  if (!src) return image_vips_fail(err, errlen, "cannot read the picture");
  int li = image_sniff(src);
  if (li < 0) {
    g_object_unref(src);
    vips_error_clear();
    image_say(err, errlen, "not a picture of an accepted type (JPEG, PNG, WebP, GIF, HEIC or AVIF)");
    return IMAGE_UNSUPPORTED;
  }
  VipsImage *im = image_load(src, (size_t)li);
  int rc = 0;
  double avg;
  if (!im) {
    rc = IMAGE_CORRUPT;
    image_say(err, errlen, "the picture is damaged: its header cannot be read");
  } else if ((uint64_t)im->Xsize * (uint64_t)im->Ysize > max_pixels) {
    rc = IMAGE_TOO_MANY_PIXELS;
    image_say(err, errlen, "the picture has %d x %d pixels, more than the limit of %.0f megapixels",
              im->Xsize, im->Ysize, (double)max_pixels / 1e6);
  } else if (vips_avg(im, &avg, NULL)) {
    rc = IMAGE_CORRUPT;
    image_say(err, errlen, "the picture is damaged or incomplete: it cannot be decoded to the end");
  }
  if (rc == 0) {
    info->type = image_loaders[li].type;
    const char *comp = NULL;
    if (info->type == IMAGE_HEIC && vips_image_get_typeof(im, "heif-compression") &&
        !vips_image_get_string(im, "heif-compression", &comp) && comp && !strcmp(comp, "av1"))
      info->type = IMAGE_AVIF;
    info->orientation = vips_image_get_orientation(im);
    int swap = vips_image_get_orientation_swap(im);
    info->width = swap ? im->Ysize : im->Xsize;
    info->height = swap ? im->Xsize : im->Ysize;
    info->pixels = (uint64_t)im->Xsize * (uint64_t)im->Ysize;
  }
  if (im) g_object_unref(im);
  g_object_unref(src);
  vips_error_clear();
  return rc;
}

int image_probe(const char *path, uint64_t max_pixels, image_info *info, char *err,
                size_t errlen) {
  memset(info, 0, sizeof *info);
  if (!max_pixels) max_pixels = IMAGE_DEFAULT_MAX_PIXELS;
  if (image_init(err, errlen)) return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
  if (fd < 0) {
    image_say(err, errlen, "cannot open the picture: %s", strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    close(fd);
    image_say(err, errlen, "the picture is not a regular file");
    return -1;
  }
  if (image_digest(fd, info->digest, &info->bytes)) {
    image_say(err, errlen, "cannot read the picture: %s", strerror(errno));
    close(fd);
    return -1;
  }
  int rc = image_probe_fd(fd, max_pixels, info, err, errlen);
  close(fd);
  malloc_trim(0); /* hand the decoder's buffers back to the system */
  if (rc) memset(info, 0, sizeof *info);
  return rc;
}

/* ---- names and sizes ---- */

/* Appends w to out unless it is there already; returns the new count. */
static size_t image_add_width(int *out, size_t n, int w) {
  for (size_t i = 0; i < n; i++)
    if (out[i] == w) return n;
  out[n] = w;
  return n + 1;
}

/* Returns the height of the width-w size of a width by height picture. */
static int image_height_at(int width, int height, int w) {
  int h = (int)(((int64_t)height * w + width / 2) / width);
  return h < 1 ? 1 : h;
}

size_t image_widths(int width, int height, unsigned which, int out[IMAGE_MAX_WIDTHS]) {
  static const int ladder[] = IMAGE_WIDTHS;
  const size_t nl = sizeof ladder / sizeof *ladder;
  if (width < 1 || height < 1) return 0;
  int all[IMAGE_MAX_WIDTHS];
  size_t n = 0;
  for (size_t i = 0; i < nl && ladder[i] <= width; i++) n = image_add_width(all, n, ladder[i]);
  if (width < ladder[nl - 1]) n = image_add_width(all, n, width);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (image_height_at(width, height, all[i]) <= IMAGE_MAX_HEIGHT) all[k++] = all[i];
  n = k;
  if (n == 0) {
    int w = (int)((int64_t)IMAGE_MAX_HEIGHT * width / height);
    all[n++] = w < 1 ? 1 : w;
  }
  /* all is increasing: the ladder's widths, then width itself (which is
  ** above them all). The first sizes: the smallest, and the widest up to
  ** 1024. */
  int big = all[0];
  for (size_t i = 0; i < n; i++)
    if (all[i] <= 1024) big = all[i];
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    int first = all[i] == all[0] || all[i] == big;
    if ((first && (which & IMAGE_SIZES_FIRST)) || (!first && (which & IMAGE_SIZES_REST)))
      out[m++] = all[i];
  }
  return m;
}

int image_name(const image_info *info, int width, image_format f, char *out, size_t outlen) {
  unsigned char h[16];
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof h);
  crypto_generichash_update(&st, info->digest, sizeof info->digest);
  crypto_generichash_update(&st, (const unsigned char *)IMAGE_RECIPE, sizeof IMAGE_RECIPE - 1);
  crypto_generichash_final(&st, h, sizeof h);
  char hex[2 * sizeof h + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  int n = snprintf(out, outlen, "%s-%d.%s", hex, width, f == IMAGE_OUT_WEBP ? "webp" : "jpg");
  return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- writing files ---- */

/* Reads a little-endian 32-bit number. */
static uint32_t image_le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Writes n bytes to fd. Returns 0 or -1. */
static int image_write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Writes the WebP file p (n bytes) to fd with only its picture chunks:
** libvips 8.14's WebP encoder attaches EXIF (with GPS), XMP and ICC chunks
** even when asked to strip them, so they are dropped here, with their flags
** in the VP8X header. Returns 0, or -1 (with a libvips error set) when p is
** not the still WebP expected or the write fails. */
static int image_webp_write(int fd, unsigned char *p, size_t n) {
  if (n < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WEBP", 4) || image_le32(p + 4) != n - 8) {
    vips_error("image", "the WebP encoder made an unexpected file");
    return -1;
  }
  size_t out = 12;
  for (size_t at = 12; at < n;) {
    if (n - at < 8) goto bad;
    uint32_t len = image_le32(p + at + 4);
    size_t whole = 8 + (size_t)len + (len & 1);
    if (whole > n - at) goto bad;
    const unsigned char *id = p + at;
    if (!memcmp(id, "VP8X", 4)) {
      if (len < 10) goto bad;
      if (p[at + 8] & 0x02) goto bad; /* animation */
      p[at + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04); /* ICC, EXIF, XMP */
    }
    if (!memcmp(id, "VP8X", 4) || !memcmp(id, "VP8 ", 4) || !memcmp(id, "VP8L", 4) ||
        !memcmp(id, "ALPH", 4)) {
      memmove(p + out, p + at, whole);
      out += whole;
    }
    at += whole;
  }
  uint32_t riff = (uint32_t)(out - 8);
  unsigned char le[4] = {riff & 0xff, (riff >> 8) & 0xff, (riff >> 16) & 0xff, riff >> 24};
  memcpy(p + 4, le, 4);
  if (image_write_all(fd, p, out)) {
    vips_error("image", "cannot write: %s", strerror(errno));
    return -1;
  }
  return 0;
bad:
  vips_error("image", "the WebP encoder made an unexpected file");
  return -1;
}

/* Returns a new image with im's pixels and none of its metadata (EXIF and
** its GPS fields, XMP, IPTC, ICC, orientation...), or NULL. The savers are
** also told to strip, but libvips 8.14's WebP saver ignores that, and
** rewrites the EXIF it was given in a way that reads freed memory. */
static VipsImage *image_bare(VipsImage *im) {
  VipsImage *out = NULL;
  if (vips_copy(im, &out, NULL)) return NULL;
  gchar **fields = vips_image_get_fields(out);
  for (int i = 0; fields[i]; i++) vips_image_remove(out, fields[i]);
  g_strfreev(fields);
  return out;
}

/* Encodes im in format f to the open file fd. Returns 0 or -1. */
static int image_encode(VipsImage *in, image_format f, int fd) {
  VipsImage *im = image_bare(in);
  if (!im) return -1;
  int r;
  if (f == IMAGE_OUT_WEBP) {
    void *data = NULL;
    size_t len = 0;
    r = vips_webpsave_buffer(im, &data, &len, "Q", IMAGE_WEBP_QUALITY, "effort", IMAGE_WEBP_EFFORT,
                             "strip", TRUE, NULL);
    if (r == 0) r = image_webp_write(fd, data, len);
    g_free(data);
  } else {
    VipsTarget *t = vips_target_new_to_descriptor(fd);
    r = t ? vips_jpegsave_target(im, t, "Q", IMAGE_JPEG_QUALITY, "optimize_coding", TRUE,
                                 "interlace", TRUE, "strip", TRUE, NULL)
          : -1;
    if (t) g_object_unref(t);
  }
  g_object_unref(im);
  return r;
}

/* Writes im in format f as dir/name: under a temporary name first, synced,
** then linked to name (or, where the file system has no links, renamed). Sets
** *made when this call created the file (it may exist already) and *bytes.
** Returns 0 or -1. */
static int image_write(VipsImage *im, image_format f, const char *dir, const char *name, int *made,
                       uint64_t *bytes, char *err, size_t errlen) {
  char tmp[4200], dst[4200];
  snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", dir);
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  *made = 0;
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    image_say(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    return -1;
  }
  struct stat st;
  if (image_encode(im, f, fd)) {
    image_vips_fail(err, errlen, "cannot encode the picture");
    goto fail;
  }
  if (fchmod(fd, 0644) || fsync(fd) || fstat(fd, &st)) {
    image_say(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
    goto fail;
  }
  if (close(fd)) {
    fd = -1;
    image_say(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
    goto fail;
  }
  fd = -1;
  if (link(tmp, dst) == 0) {
    *made = 1;
  } else if (errno == EPERM || errno == EOPNOTSUPP) {
    if (rename(tmp, dst)) {
      image_say(err, errlen, "cannot rename to %s: %s", dst, strerror(errno));
      goto fail;
    }
    *made = 1;
  } else if (errno != EEXIST) {
    image_say(err, errlen, "cannot link %s: %s", dst, strerror(errno));
    goto fail;
  }
  unlink(tmp);
  *bytes = (uint64_t)st.st_size;
  return 0;
fail:
  if (fd >= 0) close(fd);
  unlink(tmp);
  return -1;
}

/* ---- deriving ---- */

/* Makes the width-w size of the picture in the open file fd, decoded by the
** accepted loader li: shrink-on-load, orientation applied, sRGB, 8 bits per
** band. Returns NULL on failure. */
static VipsImage *image_thumbnail(int fd, int li, int w) {
  /* libvips reads through a duplicate of fd, which shares its offset. */
  if (lseek(fd, 0, SEEK_SET) != 0) {
    vips_error("image", "cannot read the picture: %s", strerror(errno));
    return NULL;
  }
  VipsSource *src = vips_source_new_from_descriptor(fd);
  if (!src) return NULL;
  VipsImage *t = NULL, *c = NULL;
  int r = vips_thumbnail_source(src, &t, w, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
                                "fail_on", VIPS_FAIL_ON_WARNING, NULL);
  g_object_unref(src);
  if (r) return NULL;
  /* The loader the thumbnail chose must be the one the probe accepted. */
  const char *loader = NULL;
  if (vips_image_get_string(t, "vips-loader", &loader) || !loader ||
      strcmp(loader, image_loaders[li].nickname) != 0) {
    vips_error("image", "the picture changed type");
    g_object_unref(t);
    return NULL;
  }
  if (t->Type != VIPS_INTERPRETATION_sRGB || t->BandFmt != VIPS_FORMAT_UCHAR) {
    r = vips_colourspace(t, &c, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(t);
    if (r) return NULL;
    t = c;
  }
  if (t->BandFmt != VIPS_FORMAT_UCHAR) {
    r = vips_cast_uchar(t, &c, NULL);
    g_object_unref(t);
    if (r) return NULL;
    t = c;
  }
  return t;
}

/* Returns a new reference to im ready for format f: JPEG has no alpha, so a
** transparent picture is flattened onto white. NULL on failure. */
static VipsImage *image_for_format(VipsImage *im, image_format f) {
  if (f != IMAGE_OUT_JPEG || !vips_image_hasalpha(im)) {
    g_object_ref(im);
    return im;
  }
  double white[3] = {255, 255, 255};
  VipsArrayDouble *bg = vips_array_double_new(white, 3);
  VipsImage *out = NULL;
  int r = vips_flatten(im, &out, "background", bg, NULL);
  vips_area_unref(VIPS_AREA(bg));
  return r ? NULL : out;
}

/* One call of image_derive: what each size needs. */
typedef struct image_job {
  int fd;                 /* the original, open */
  int li;                 /* its accepted loader */
  const image_info *info;
  const char *dir;        /* the media folder */
  VipsImage *base;        /* the largest size, in memory, or NULL */
  image_files *out;       /* the files made so far */
  int made[IMAGE_MAX_FILES]; /* which of them this call created */
  char *err;
  size_t errlen;
} image_job;

/* Makes width w of j's picture: from the base size in memory when there is
** one (the original is then decoded once per call), else from the original
** (a picture too tall to hold in memory). Sets *in_memory. Returns NULL on
** failure. */
static VipsImage *image_size(image_job *j, int w, int *in_memory) {
  *in_memory = j->base != NULL;
  if (!j->base) return image_thumbnail(j->fd, j->li, w);
  if (j->base->Xsize == w) {
    g_object_ref(j->base);
    return j->base;
  }
  VipsImage *r = NULL;
  if (vips_thumbnail_image(j->base, &r, w, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, NULL))
    return NULL;
  VipsImage *m = vips_image_copy_memory(r);
  g_object_unref(r);
  return m;
}

/* Makes one width in both formats, appending to j->out. Returns 0 or -1. */
static int image_derive_width(image_job *j, int w) {
  static const image_format formats[] = {IMAGE_OUT_WEBP, IMAGE_OUT_JPEG};
  int in_memory;
  VipsImage *t = image_size(j, w, &in_memory);
  if (!t) return image_vips_fail(j->err, j->errlen, "cannot derive the picture's sizes");
  for (size_t k = 0; k < 2; k++) {
    if (k > 0 && !in_memory) {
      g_object_unref(t);
      if (!(t = image_thumbnail(j->fd, j->li, w)))
        return image_vips_fail(j->err, j->errlen, "cannot derive the picture's sizes");
    }
    VipsImage *im = image_for_format(t, formats[k]);
    if (!im) {
      g_object_unref(t);
      return image_vips_fail(j->err, j->errlen, "cannot derive the picture's sizes");
    }
    image_files *out = j->out;
    image_file *file = &out->file[out->n];
    memset(file, 0, sizeof *file);
    image_name(j->info, w, formats[k], file->name, sizeof file->name);
    file->width = im->Xsize;
    file->height = im->Ysize;
    file->format = formats[k];
    int r = image_write(im, formats[k], j->dir, file->name, &j->made[out->n], &file->bytes, j->err,
                        j->errlen);
    g_object_unref(im);
    if (r) {
      g_object_unref(t);
      return -1;
    }
    out->n++;
  }
  g_object_unref(t);
  return 0;
}

/* Decodes the largest size wanted, w pixels wide, into j->base when it fits
** in IMAGE_MEMORY_PIXELS; leaves j->base NULL when it does not. Returns 0
** or -1. */
static int image_base(image_job *j, int w) {
  j->base = NULL;
  uint64_t h = (uint64_t)image_height_at(j->info->width, j->info->height, w);
  if ((uint64_t)w * h > IMAGE_MEMORY_PIXELS) return 0;
  VipsImage *t = image_thumbnail(j->fd, j->li, w);
  VipsImage *m = t ? vips_image_copy_memory(t) : NULL;
  if (t) g_object_unref(t);
  /* Bare, so the smaller sizes do not convert colours again. */
  j->base = m ? image_bare(m) : NULL;
  if (m) g_object_unref(m);
  /* The decoder ran on libvips' worker threads, whose malloc arenas keep
  ** what it freed: hand that back before the encoders need their own. */
  malloc_trim(0);
  return j->base ? 0 : image_vips_fail(j->err, j->errlen, "cannot derive the picture's sizes");
}

int image_derive(const char *path, const image_info *info, const char *out_dir, unsigned which,
                 image_files *out, char *err, size_t errlen) {
  out->n = 0;
  if (image_init(err, errlen)) return -1;
  if (strlen(out_dir) > 4000) {
    image_say(err, errlen, "the media folder's name is too long");
    return -1;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    image_say(err, errlen, "cannot open the picture: %s", strerror(errno));
    return -1;
  }
  VipsSource *src = lseek(fd, 0, SEEK_SET) == 0 ? vips_source_new_from_descriptor(fd) : NULL;
  int li = src ? image_sniff(src) : -1;
  if (src) g_object_unref(src);
  if (li < 0 || image_loaders[li].type != (info->type == IMAGE_AVIF ? IMAGE_HEIC : info->type)) {
    close(fd);
    vips_error_clear();
    image_say(err, errlen, "the picture is no longer the %s it was", image_type_name(info->type));
    return IMAGE_UNSUPPORTED;
  }
  int widths[IMAGE_MAX_WIDTHS];
  size_t nw = image_widths(info->width, info->height, which, widths);
  image_job j = {.fd = fd, .li = li, .info = info, .dir = out_dir, .out = out, .err = err,
                 .errlen = errlen};
  int rc = nw ? image_base(&j, widths[nw - 1]) : 0;
  for (size_t i = nw; i-- > 0 && rc == 0;) rc = image_derive_width(&j, widths[i]);
  if (j.base) g_object_unref(j.base);
  close(fd);
  malloc_trim(0); /* hand the decoders' buffers back to the system */
  if (rc) {
    char p[4200];
    for (size_t i = 0; i < out->n; i++) {
      snprintf(p, sizeof p, "%s/%s", out_dir, out->file[i].name);
      if (j.made[i]) unlink(p);
    }
    out->n = 0;
    return rc;
  }
  int dfd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return 0;
}

/* ---- the original ---- */

/* Copies the open file in to a new temporary file in dir, synced, and renames
** it to dst. Returns 0 or -1. */
static int image_copy_to(int in, const char *dir, const char *dst, char *err, size_t errlen) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", dir);
  int out = mkostemp(tmp, O_CLOEXEC);
  if (out < 0) {
    image_say(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    return -1;
  }
  char b[16384];
  off_t off = 0;
  for (;;) {
    ssize_t n = pread(in, b, sizeof b, off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) goto fail;
    if (n == 0) break;
    for (ssize_t w = 0; w < n;) {
      ssize_t k = write(out, b + w, (size_t)(n - w));
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) goto fail;
      w += k;
    }
    off += n;
  }
  if (fsync(out) || close(out)) {
    out = -1;
    goto fail;
  }
  out = -1;
  if (rename(tmp, dst)) goto fail;
  return 0;
fail:
  image_say(err, errlen, "cannot keep the original: %s", strerror(errno));
  if (out >= 0) close(out);
  unlink(tmp);
  return -1;
}

int image_keep_original(const char *path, const image_info *info, const char *dir, char *name,
                        size_t namelen, char *err, size_t errlen) {
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, info->digest, sizeof info->digest);
  int n = snprintf(name, namelen, "%s.%s", hex, image_type_name(info->type));
  if (n < 0 || (size_t)n >= namelen || strlen(dir) > 4000) {
    image_say(err, errlen, "the name of the original does not fit");
    return -1;
  }
  char dst[4200];
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    image_say(err, errlen, "cannot open the picture: %s", strerror(errno));
    return -1;
  }
  int rc = 0;
  if (fsync(fd)) {
    image_say(err, errlen, "cannot sync the picture: %s", strerror(errno));
    rc = -1;
  } else if (link(path, dst) == 0 || errno == EEXIST) {
    rc = 0;
  } else if (errno == EXDEV || errno == EPERM || errno == EOPNOTSUPP) {
    rc = image_copy_to(fd, dir, dst, err, errlen);
  } else {
    image_say(err, errlen, "cannot keep the original: %s", strerror(errno));
    rc = -1;
  }
  close(fd);
  if (rc == 0) {
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  return rc;
}
