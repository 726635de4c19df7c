/*
** Unit tests: the picture pipeline.
**
** The pictures are made here with libvips itself, in a temporary folder; no
** binary fixture is needed. Each test does what the upload route will do
** (probe, keep the original, derive the sizes) and checks what a reader or
** an editor would get: upright pictures, no location data, the right sizes,
** and clear refusals that leave nothing behind.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "buf.h"
#include "image.h"

/* The folders of one test: where uploads land, the media folder served,
** and the originals kept outside it. */
typedef struct fx {
  char root[4096], in[4200], media[4200], originals[4200];
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  const char *t = getenv("TMPDIR");
  snprintf(f->root, sizeof f->root, "%s/gz-img-XXXXXX", t && *t ? t : "/tmp");
  if (!mkdtemp(f->root)) return -1;
  snprintf(f->in, sizeof f->in, "%s/in", f->root);
  snprintf(f->media, sizeof f->media, "%s/media", f->root);
  snprintf(f->originals, sizeof f->originals, "%s/originals", f->root);
  if (mkdir(f->in, 0700) || mkdir(f->media, 0755) || mkdir(f->originals, 0700)) return -1;
  char err[200];
  if (image_init(err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  *state = f;
  return 0;
}

/* Removes every file of folder d, then d. */
static void rm_dir(const char *d) {
  DIR *dir = opendir(d);
  if (!dir) return;
  struct dirent *e;
  char p[8400];
  while ((e = readdir(dir))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(p, sizeof p, "%s/%s", d, e->d_name);
    unlink(p);
  }
  closedir(dir);
  rmdir(d);
}

static int teardown(void **state) {
  fx *f = *state;
  rm_dir(f->in);
  rm_dir(f->media);
  rm_dir(f->originals);
  rmdir(f->root);
  free(f);
  return 0;
}

/* Counts the entries of folder d other than . and .. */
static int dir_count(const char *d) {
  DIR *dir = opendir(d);
  assert_non_null(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dir)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(dir);
  return n;
}

/* Writes n bytes to path. */
static void put_file(const char *path, const void *p, size_t n) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(p, 1, n, fp), n);
  fclose(fp);
}

/* Reads path whole into b. */
static void slurp(const char *path, buf *b) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  char tmp[8192];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) buf_append(b, tmp, n);
  fclose(fp);
}

/* Returns a new w x h sRGB picture: a photograph-like gradient with noise,
** and a red block on its top-left quarter of 0.25 w by 0.25 h. With alpha,
** a fourth band half transparent on the right half. */
static VipsImage *picture(int w, int h, int alpha) {
  VipsImage *xyz, *x, *y, *noise, *r, *g, *b, *rgb, *out;
  assert_int_equal(vips_xyz(&xyz, w, h, NULL), 0);
  assert_int_equal(vips_extract_band(xyz, &x, 0, NULL), 0);
  assert_int_equal(vips_extract_band(xyz, &y, 1, NULL), 0);
  assert_int_equal(vips_gaussnoise(&noise, w, h, "sigma", 8.0, "mean", 0.0, "seed", 42, NULL), 0);
  VipsImage *t1, *t2;
  assert_int_equal(vips_linear1(x, &t1, 160.0 / w, 40, NULL), 0);
  assert_int_equal(vips_add(t1, noise, &g, NULL), 0);
  g_object_unref(t1);
  assert_int_equal(vips_linear1(y, &t2, 160.0 / h, 40, NULL), 0);
  assert_int_equal(vips_add(t2, noise, &b, NULL), 0);
  g_object_unref(t2);
  assert_int_equal(vips_linear1(x, &r, 0, 60, NULL), 0);
  VipsImage *bands[3] = {r, g, b};
  assert_int_equal(vips_bandjoin(bands, &rgb, 3, NULL), 0);
  VipsImage *u;
  assert_int_equal(vips_cast_uchar(rgb, &u, NULL), 0);
  double red[3] = {230, 20, 20};
  assert_int_equal(vips_draw_rect(u, red, 3, 0, 0, w / 4, h / 4, "fill", TRUE, NULL), 0);
  if (alpha) {
    VipsImage *a, *a2, *with;
    assert_int_equal(vips_black(&a, w, h, NULL), 0);
    double opaque[1] = {255}, half[1] = {128};
    assert_int_equal(vips_linear(a, &a2, (double[]){0}, opaque, 1, "uchar", TRUE, NULL), 0);
    assert_int_equal(vips_draw_rect(a2, half, 1, w / 2, 0, w - w / 2, h, "fill", TRUE, NULL), 0);
    assert_int_equal(vips_bandjoin2(u, a2, &with, NULL), 0);
    g_object_unref(a);
    g_object_unref(a2);
    g_object_unref(u);
    u = with;
  }
  assert_int_equal(vips_copy(u, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL), 0);
  VipsImage *all[] = {xyz, x, y, noise, r, g, b, rgb, u};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) g_object_unref(all[i]);
  return out;
}

/* Probes path; on acceptance keeps the original and derives which. Returns
** the probe's or the derivation's result. */
static int upload(fx *f, const char *path, unsigned which, uint64_t max_pixels, image_info *info,
                  image_files *files, char *err, size_t errlen) {
  files->n = 0;
  int r = image_probe(path, max_pixels, info, err, errlen);
  if (r) return r;
  char name[128];
  r = image_keep_original(path, info, f->originals, name, sizeof name, err, errlen);
  if (r) return r;
  return image_derive(path, info, f->media, which, files, err, errlen);
}

/* Returns what a JPEG holds besides its picture (a segment other than JFIF
** and the coding tables before the scan: EXIF and XMP, ICC, IPTC, comments),
** or NULL. */
static const char *jpeg_extra_segment(const buf *b) {
  const unsigned char *p = (const unsigned char *)b->data;
  assert_true(b->len > 4 && p[0] == 0xff && p[1] == 0xd8);
  for (size_t at = 2; at + 4 <= b->len;) {
    assert_int_equal(p[at], 0xff);
    unsigned m = p[at + 1];
    if (m == 0xda) return NULL; /* start of scan: only coded data follows */
    if (m == 0xe1) return "an APP1 segment (EXIF or XMP)";
    if (m == 0xe2) return "an APP2 segment (ICC profile)";
    if (m == 0xed) return "an APP13 segment (IPTC)";
    if (m == 0xfe) return "a comment";
    if (m >= 0xe3 && m <= 0xef) return "an application segment";
    at += 2 + ((size_t)p[at + 2] << 8 | p[at + 3]);
  }
  return "no scan";
}

/* Returns what a WebP holds besides its picture (a chunk other than VP8X,
** VP8, VP8L and ALPH, or a VP8X flag for one), or NULL. */
static const char *webp_extra_chunk(const buf *b) {
  const unsigned char *p = (const unsigned char *)b->data;
  assert_true(b->len > 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4));
  for (size_t at = 12; at + 8 <= b->len;) {
    const char *id = (const char *)p + at;
    size_t len = p[at + 4] | p[at + 5] << 8 | p[at + 6] << 16 | (size_t)p[at + 7] << 24;
    if (!memcmp(id, "VP8X", 4) && (p[at + 8] & (0x20 | 0x08 | 0x04))) return "a metadata flag";
    if (memcmp(id, "VP8X", 4) && memcmp(id, "VP8 ", 4) && memcmp(id, "VP8L", 4) &&
        memcmp(id, "ALPH", 4))
      return "a metadata chunk";
    at += 8 + len + (len & 1);
  }
  return NULL;
}

/* Checks that a derived file is what its entry says, has no metadata that
** could identify a place, a person or a camera, and holds no markup. */
static void check_derived(fx *f, const image_file *file) {
  char p[8400];
  snprintf(p, sizeof p, "%s/%s", f->media, file->name);
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  assert_int_equal((uint64_t)st.st_size, file->bytes);
  VipsImage *im = vips_image_new_from_file(p, NULL);
  assert_non_null(im);
  assert_int_equal(im->Xsize, file->width);
  assert_int_equal(im->Ysize, file->height);
  const char *loader = NULL;
  assert_int_equal(vips_image_get_string(im, "vips-loader", &loader), 0);
  assert_string_equal(loader, file->format == IMAGE_OUT_WEBP ? "webpload" : "jpegload");
  assert_true(strstr(file->name, file->format == IMAGE_OUT_WEBP ? ".webp" : ".jpg") != NULL);
  gchar **fields = vips_image_get_fields(im);
  for (int i = 0; fields[i]; i++) {
    if (!strncmp(fields[i], "exif", 4) || !strcmp(fields[i], "xmp-data") ||
        !strcmp(fields[i], "iptc-data") || !strcmp(fields[i], "icc-profile-data") ||
        !strcmp(fields[i], "orientation"))
      fail_msg("%s keeps %s", file->name, fields[i]);
  }
  g_strfreev(fields);
  g_object_unref(im);
  buf b = {0};
  slurp(p, &b);
  const char *extra = file->format == IMAGE_OUT_WEBP ? webp_extra_chunk(&b) : jpeg_extra_segment(&b);
  if (extra) fail_msg("%s holds %s", file->name, extra);
  assert_null(memmem(b.data, b.len, "<html", 5));
  assert_null(memmem(b.data, b.len, "<script", 7));
  buf_free(&b);
}

static void widths_are_never_upscaled(void **state) {
  (void)state;
  int w[IMAGE_MAX_WIDTHS];
  assert_int_equal(image_widths(4000, 3000, IMAGE_SIZES_ALL, w), 5);
  assert_int_equal(w[0], 320);
  assert_int_equal(w[4], 2400);
  assert_int_equal(image_widths(2000, 1000, IMAGE_SIZES_ALL, w), 5);
  assert_int_equal(w[3], 1600);
  assert_int_equal(w[4], 2000);
  assert_int_equal(image_widths(2400, 1000, IMAGE_SIZES_ALL, w), 5);
  assert_int_equal(w[4], 2400);
  assert_int_equal(image_widths(200, 100, IMAGE_SIZES_ALL, w), 1);
  assert_int_equal(w[0], 200);
  assert_int_equal(image_widths(200, 100, IMAGE_SIZES_FIRST, w), 1);
  assert_int_equal(image_widths(200, 100, IMAGE_SIZES_REST, w), 0);
  assert_int_equal(image_widths(1024, 768, IMAGE_SIZES_ALL, w), 3);
  assert_int_equal(image_widths(800, 600, IMAGE_SIZES_FIRST, w), 2);
  assert_int_equal(w[0], 320);
  assert_int_equal(w[1], 800);
  assert_int_equal(image_widths(800, 600, IMAGE_SIZES_REST, w), 1);
  assert_int_equal(w[0], 640);
  assert_int_equal(image_widths(4000, 3000, IMAGE_SIZES_FIRST, w), 2);
  assert_int_equal(w[0], 320);
  assert_int_equal(w[1], 1024);
  assert_int_equal(image_widths(4000, 3000, IMAGE_SIZES_REST, w), 3);
  assert_int_equal(w[0], 640);
  assert_int_equal(w[1], 1600);
  assert_int_equal(w[2], 2400);
  /* A strip 100 wide and 100,000 tall: only a size WebP can hold. */
  assert_int_equal(image_widths(100, 100000, IMAGE_SIZES_ALL, w), 1);
  assert_int_equal(w[0], 16);
  assert_int_equal(image_widths(0, 10, IMAGE_SIZES_ALL, w), 0);
}

/* Saves a 700 x 500 picture (alpha as asked) as type name through saver
** options, probes it, derives every size and checks each file. */
static void accept_one(fx *f, const char *file, image_type want, int alpha) {
  char p[8400];
  snprintf(p, sizeof p, "%s/%s", f->in, file);
  VipsImage *im = picture(700, 500, alpha);
  int r;
  if (want == IMAGE_AVIF)
    r = vips_heifsave(im, p, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort", 0, NULL);
  else if (want == IMAGE_HEIC)
    r = vips_heifsave(im, p, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, NULL);
  else
    r = vips_image_write_to_file(im, p, NULL);
  g_object_unref(im);
  if (r) fail_msg("cannot make %s: %s", file, vips_error_buffer());
  /* The name says nothing: the bytes decide. */
  char renamed[8400];
  snprintf(renamed, sizeof renamed, "%s/upload-%s.txt", f->in, image_type_name(want));
  assert_int_equal(rename(p, renamed), 0);
  image_info info;
  image_files files;
  char err[300];
  r = upload(f, renamed, IMAGE_SIZES_ALL, 0, &info, &files, err, sizeof err);
  if (r) fail_msg("%s refused: %s", file, err);
  assert_int_equal(info.type, want);
  assert_int_equal(info.width, 700);
  assert_int_equal(info.height, 500);
  assert_int_equal(info.pixels, 350000);
  /* 640 and the picture's own 700, then 320; WebP and JPEG each. */
  assert_int_equal(files.n, 6);
  static const int widths[] = {700, 700, 640, 640, 320, 320};
  for (size_t i = 0; i < files.n; i++) {
    assert_int_equal(files.file[i].width, widths[i]);
    assert_int_equal(files.file[i].height, (500 * widths[i] + 350) / 700);
    assert_int_equal(files.file[i].format, i % 2 ? IMAGE_OUT_JPEG : IMAGE_OUT_WEBP);
    check_derived(f, &files.file[i]);
  }
}

static void every_accepted_type_is_derived(void **state) {
  fx *f = *state;
  accept_one(f, "a.jpg", IMAGE_JPEG, 0);
  accept_one(f, "a.png", IMAGE_PNG, 1);
  accept_one(f, "a.webp", IMAGE_WEBP, 1);
  accept_one(f, "a.gif", IMAGE_GIF, 0);
  accept_one(f, "a.avif", IMAGE_AVIF, 0);
  accept_one(f, "a.heic", IMAGE_HEIC, 0);
  /* Only final names are left in the media folder: 6 types x 6 files. */
  assert_int_equal(dir_count(f->media), 36);
  assert_int_equal(dir_count(f->originals), 6);
}

static void a_sixteen_bit_png_comes_out_eight_bit_srgb(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/deep.png", f->in);
  VipsImage *im = picture(400, 300, 0), *deep, *u16;
  assert_int_equal(vips_colourspace(im, &deep, VIPS_INTERPRETATION_RGB16, NULL), 0);
  assert_int_equal(vips_cast(deep, &u16, VIPS_FORMAT_USHORT, NULL), 0);
  assert_int_equal(vips_pngsave(u16, p, "bitdepth", 16, NULL), 0);
  g_object_unref(im);
  g_object_unref(deep);
  g_object_unref(u16);
  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(upload(f, p, IMAGE_SIZES_ALL, 0, &info, &files, err, sizeof err), 0);
  assert_int_equal(files.n, 4);
  for (size_t i = 0; i < files.n; i++) check_derived(f, &files.file[i]);
  char d[8400];
  snprintf(d, sizeof d, "%s/%s", f->media, files.file[1].name);
  VipsImage *out = vips_image_new_from_file(d, NULL);
  assert_int_equal(out->BandFmt, VIPS_FORMAT_UCHAR);
  assert_int_equal(out->Bands, 3);
  g_object_unref(out);
}

/* Returns the average of band b over a 6 x 6 square centred on x, y. */
static double pixel(const char *path, int x, int y, int b) {
  VipsImage *im = vips_image_new_from_file(path, NULL), *sq, *band;
  assert_non_null(im);
  assert_int_equal(vips_extract_area(im, &sq, x - 3, y - 3, 6, 6, NULL), 0);
  assert_int_equal(vips_extract_band(sq, &band, b, NULL), 0);
  double v;
  assert_int_equal(vips_avg(band, &v, NULL), 0);
  g_object_unref(band);
  g_object_unref(sq);
  g_object_unref(im);
  return v;
}

static void a_sideways_photo_comes_out_upright(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/sideways.jpg", f->in);
  /* Stored 800 x 600 with the red block top left; orientation 6 says "turn
  ** a quarter clockwise to view", which puts the block top right. */
  VipsImage *im = picture(800, 600, 0), *tagged;
  assert_int_equal(vips_copy(im, &tagged, NULL), 0);
  vips_image_set_int(tagged, "orientation", 6);
  assert_int_equal(vips_jpegsave(tagged, p, "Q", 95, NULL), 0);
  g_object_unref(im);
  g_object_unref(tagged);
  VipsImage *check = vips_image_new_from_file(p, NULL);
  assert_int_equal(vips_image_get_orientation(check), 6);
  g_object_unref(check);

  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(upload(f, p, IMAGE_SIZES_ALL, 0, &info, &files, err, sizeof err), 0);
  assert_int_equal(info.orientation, 6);
  assert_int_equal(info.width, 600);
  assert_int_equal(info.height, 800);
  assert_int_equal(files.n, 4); /* 600 and 320 (no 640: wider than the picture) */
  assert_int_equal(files.file[0].width, 600);
  assert_int_equal(files.file[0].height, 800);
  for (size_t i = 0; i < files.n; i++) {
    const image_file *d = &files.file[i];
    check_derived(f, d);
    char dp[8400];
    snprintf(dp, sizeof dp, "%s/%s", f->media, d->name);
    int w = d->width, h = d->height;
    /* Red top right (the block is 0.25 of the stored width tall) ... */
    assert_true(pixel(dp, w - w / 16, h / 16, 0) > 180);
    assert_true(pixel(dp, w - w / 16, h / 16, 1) < 70);
    /* ... and not top left nor bottom right. */
    assert_true(pixel(dp, w / 16, h / 16, 0) < 100);
    assert_true(pixel(dp, w - w / 16, h - h / 16, 0) < 100);
  }
}

static void location_and_camera_data_are_stripped(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/gps.jpg", f->in);
  VipsImage *im = picture(1100, 700, 0), *tagged;
  assert_int_equal(vips_copy(im, &tagged, NULL), 0);
  vips_image_set_string(tagged, "exif-ifd3-GPSLatitudeRef", "N");
  vips_image_set_string(tagged, "exif-ifd3-GPSLatitude", "51/1 30/1 1234/100");
  vips_image_set_string(tagged, "exif-ifd3-GPSLongitudeRef", "W");
  vips_image_set_string(tagged, "exif-ifd3-GPSLongitude", "0/1 7/1 3912/100");
  vips_image_set_string(tagged, "exif-ifd0-Make", "Reporter's camera");
  vips_image_set_string(tagged, "exif-ifd0-Artist", "A. Source");
  assert_int_equal(vips_jpegsave(tagged, p, NULL), 0);
  g_object_unref(im);
  g_object_unref(tagged);
  /* The upload really carries the position. */
  VipsImage *src = vips_image_new_from_file(p, NULL);
  const char *lat = NULL;
  assert_int_equal(vips_image_get_string(src, "exif-ifd3-GPSLatitude", &lat), 0);
  assert_non_null(strstr(lat, "51/1 30/1 1234/100"));
  assert_int_equal(vips_image_get_typeof(src, "exif-ifd3-GPSLongitude") != 0, 1);
  g_object_unref(src);
  buf raw = {0};
  slurp(p, &raw);
  assert_non_null(memmem(raw.data, raw.len, "Reporter's camera", 17));
  buf_free(&raw);

  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(upload(f, p, IMAGE_SIZES_ALL, 0, &info, &files, err, sizeof err), 0);
  assert_int_equal(files.n, 8); /* 1100, 1024, 640, 320 */
  for (size_t i = 0; i < files.n; i++) {
    check_derived(f, &files.file[i]);
    char dp[8400];
    snprintf(dp, sizeof dp, "%s/%s", f->media, files.file[i].name);
    buf b = {0};
    slurp(dp, &b);
    assert_null(memmem(b.data, b.len, "Reporter", 8));
    assert_null(memmem(b.data, b.len, "A. Source", 9));
    buf_free(&b);
  }
}

/* Expects path refused with result want and a reason holding needle, and
** nothing in the media or originals folder. */
static void refuse(fx *f, const char *path, int want, const char *needle, uint64_t max_pixels) {
  image_info info;
  image_files files;
  char err[300] = "";
  int r = upload(f, path, IMAGE_SIZES_ALL, max_pixels, &info, &files, err, sizeof err);
  if (r != want || !strstr(err, needle))
    fail_msg("%s: got %d \"%s\", want %d \"%s\"", path, r, err, want, needle);
  assert_int_equal(files.n, 0);
  assert_int_equal(dir_count(f->media), 0);
  assert_int_equal(dir_count(f->originals), 0);
}

static void other_types_are_refused(void **state) {
  fx *f = *state;
  char p[8400];
  const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">"
                    "<script>alert(1)</script><rect width=\"100\" height=\"100\"/></svg>";
  snprintf(p, sizeof p, "%s/drawing.svg", f->in);
  put_file(p, svg, strlen(svg));
  refuse(f, p, IMAGE_UNSUPPORTED, "not a picture of an accepted type", 0);

  const char *html = "<!doctype html><html><body><script>alert(document.cookie)</script>";
  snprintf(p, sizeof p, "%s/page.jpg", f->in);
  put_file(p, html, strlen(html));
  refuse(f, p, IMAGE_UNSUPPORTED, "not a picture of an accepted type", 0);

  const char *pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
  snprintf(p, sizeof p, "%s/paper.jpg", f->in);
  put_file(p, pdf, strlen(pdf));
  refuse(f, p, IMAGE_UNSUPPORTED, "not a picture of an accepted type", 0);

  snprintf(p, sizeof p, "%s/scan.tif", f->in);
  VipsImage *im = picture(64, 64, 0);
  assert_int_equal(vips_tiffsave(im, p, NULL), 0);
  refuse(f, p, IMAGE_UNSUPPORTED, "not a picture of an accepted type", 0);

  snprintf(p, sizeof p, "%s/empty.png", f->in);
  put_file(p, "", 0);
  refuse(f, p, IMAGE_UNSUPPORTED, "not a picture of an accepted type", 0);
  g_object_unref(im);
}

static void jpeg_and_html_polyglots_never_serve_html(void **state) {
  fx *f = *state;
  char jpg[8400], p[8400];
  snprintf(jpg, sizeof jpg, "%s/real.jpg", f->in);
  VipsImage *im = picture(400, 300, 0);
  assert_int_equal(vips_jpegsave(im, jpg, NULL), 0);
  g_object_unref(im);
  buf real = {0};
  slurp(jpg, &real);
  unlink(jpg);
  const char *html = "<html><body><script>alert(document.cookie)</script></body></html>";

  /* A JPEG start of image followed by a page: refused. */
  buf b = {0};
  buf_append(&b, "\xff\xd8\xff\xe0", 4);
  buf_puts(&b, html);
  snprintf(p, sizeof p, "%s/poly1.jpg", f->in);
  put_file(p, b.data, b.len);
  refuse(f, p, IMAGE_CORRUPT, "damaged", 0);

  /* A page with a JPEG after it: refused. */
  buf_reset(&b);
  buf_puts(&b, html);
  buf_append(&b, real.data, real.len);
  snprintf(p, sizeof p, "%s/poly2.jpg", f->in);
  put_file(p, b.data, b.len);
  refuse(f, p, IMAGE_UNSUPPORTED, "not a picture of an accepted type", 0);

  /* A whole JPEG with a page after it: it is a picture, and what is served
  ** is re-encoded from its pixels, so no byte of the page survives. */
  buf_reset(&b);
  buf_append(&b, real.data, real.len);
  buf_puts(&b, html);
  snprintf(p, sizeof p, "%s/poly3.jpg", f->in);
  put_file(p, b.data, b.len);
  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(upload(f, p, IMAGE_SIZES_ALL, 0, &info, &files, err, sizeof err), 0);
  assert_int_equal(files.n, 4);
  for (size_t i = 0; i < files.n; i++) check_derived(f, &files.file[i]);
  buf_free(&b);
  buf_free(&real);
}

static void damaged_files_are_refused(void **state) {
  fx *f = *state;
  char p[8400];
  VipsImage *im = picture(600, 400, 0);
  /* A PNG cut in half: the header is fine, the pixels run out. */
  void *data;
  size_t len;
  assert_int_equal(vips_pngsave_buffer(im, &data, &len, NULL), 0);
  snprintf(p, sizeof p, "%s/cut.png", f->in);
  put_file(p, data, len / 2);
  g_free(data);
  refuse(f, p, IMAGE_CORRUPT, "damaged or incomplete", 0);
  /* The same for a JPEG and a WebP. */
  assert_int_equal(vips_jpegsave_buffer(im, &data, &len, NULL), 0);
  snprintf(p, sizeof p, "%s/cut.jpg", f->in);
  put_file(p, data, len * 2 / 3);
  g_free(data);
  refuse(f, p, IMAGE_CORRUPT, "damaged", 0);
  assert_int_equal(vips_webpsave_buffer(im, &data, &len, NULL), 0);
  snprintf(p, sizeof p, "%s/cut.webp", f->in);
  put_file(p, data, len / 2);
  g_free(data);
  refuse(f, p, IMAGE_CORRUPT, "damaged", 0);
  /* A JPEG with an end-of-image marker in the middle of its coded data. */
  assert_int_equal(vips_jpegsave_buffer(im, &data, &len, NULL), 0);
  memcpy((char *)data + len / 2, "\xff\xd9", 2);
  snprintf(p, sizeof p, "%s/scrambled.jpg", f->in);
  put_file(p, data, len);
  g_free(data);
  refuse(f, p, IMAGE_CORRUPT, "damaged", 0);
  g_object_unref(im);
}

static void a_decompression_bomb_is_refused_from_its_header(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/bomb.png", f->in);
  /* 10,000 x 10,000 black pixels: 100 megapixels in a few kilobytes. */
  VipsImage *black;
  assert_int_equal(vips_black(&black, 10000, 10000, NULL), 0);
  assert_int_equal(vips_pngsave(black, p, "bitdepth", 1, "compression", 9, NULL), 0);
  g_object_unref(black);
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  assert_true(st.st_size < 100 * 1024);
  refuse(f, p, IMAGE_TOO_MANY_PIXELS, "10000 x 10000 pixels, more than the limit of 50 megapixels",
         0);
  /* A site's own, lower limit. */
  snprintf(p, sizeof p, "%s/small.jpg", f->in);
  VipsImage *im = picture(300, 200, 0);
  assert_int_equal(vips_jpegsave(im, p, NULL), 0);
  g_object_unref(im);
  refuse(f, p, IMAGE_TOO_MANY_PIXELS, "more than the limit", 50000);
}

static void first_sizes_then_the_rest(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/wide.jpg", f->in);
  VipsImage *im = picture(3000, 2000, 0);
  assert_int_equal(vips_jpegsave(im, p, NULL), 0);
  g_object_unref(im);
  image_info info;
  image_files first, rest, again;
  char err[300];
  assert_int_equal(upload(f, p, IMAGE_SIZES_FIRST, 0, &info, &first, err, sizeof err), 0);
  assert_int_equal(first.n, 4);
  assert_int_equal(first.file[0].width, 1024);
  assert_int_equal(first.file[3].width, 320);
  assert_int_equal(dir_count(f->media), 4);
  assert_int_equal(image_derive(p, &info, f->media, IMAGE_SIZES_REST, &rest, err, sizeof err), 0);
  assert_int_equal(rest.n, 6);
  assert_int_equal(rest.file[0].width, 2400);
  assert_int_equal(rest.file[0].height, 1600);
  assert_int_equal(rest.file[5].width, 640);
  assert_int_equal(dir_count(f->media), 10);
  for (size_t i = 0; i < rest.n; i++) check_derived(f, &rest.file[i]);
  /* Names come from the bytes: deriving again gives the same names, and
  ** the files already there are left alone. */
  assert_int_equal(image_derive(p, &info, f->media, IMAGE_SIZES_ALL, &again, err, sizeof err), 0);
  assert_int_equal(again.n, 10);
  assert_string_equal(again.file[0].name, rest.file[0].name);
  assert_int_equal(dir_count(f->media), 10);
  char name[64];
  assert_int_equal(image_name(&info, 2400, IMAGE_OUT_WEBP, name, sizeof name), 0);
  assert_string_equal(name, rest.file[0].name);
  assert_int_equal(strlen(name), 32 + strlen("-2400.webp"));
  /* The original is kept once, under its hash, byte for byte. */
  assert_int_equal(dir_count(f->originals), 1);
  char kept[128];
  assert_int_equal(image_keep_original(p, &info, f->originals, kept, sizeof kept, err, sizeof err),
                   0);
  assert_int_equal(strlen(kept), 64 + strlen(".jpeg"));
  char kp[8400];
  snprintf(kp, sizeof kp, "%s/%s", f->originals, kept);
  buf a = {0}, b = {0};
  slurp(p, &a);
  slurp(kp, &b);
  assert_int_equal(a.len, b.len);
  assert_memory_equal(a.data, b.data, a.len);
  buf_free(&a);
  buf_free(&b);
}

static void a_very_tall_picture_is_derived_size_by_size(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/tall.png", f->in);
  /* 700 x 10,000: its widest size is too big to keep in memory. */
  VipsImage *im = picture(700, 10000, 1);
  assert_int_equal(vips_pngsave(im, p, "compression", 1, NULL), 0);
  g_object_unref(im);
  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(upload(f, p, IMAGE_SIZES_ALL, 0, &info, &files, err, sizeof err), 0);
  assert_int_equal(files.n, 6);
  assert_int_equal(files.file[0].width, 700);
  assert_int_equal(files.file[0].height, 10000);
  assert_int_equal(files.file[5].width, 320);
  assert_int_equal(files.file[5].height, 4571);
  for (size_t i = 0; i < files.n; i++) check_derived(f, &files.file[i]);
  /* The JPEG of the half-transparent right half is flattened onto white. */
  char dp[8400];
  snprintf(dp, sizeof dp, "%s/%s", f->media, files.file[1].name);
  assert_true(pixel(dp, 650, 5000, 0) > 150);
}

static void a_failed_derivation_leaves_nothing(void **state) {
  fx *f = *state;
  char p[8400], missing[8400];
  snprintf(p, sizeof p, "%s/ok.jpg", f->in);
  VipsImage *im = picture(500, 400, 0);
  assert_int_equal(vips_jpegsave(im, p, NULL), 0);
  g_object_unref(im);
  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(image_probe(p, 0, &info, err, sizeof err), 0);
  snprintf(missing, sizeof missing, "%s/no-such-folder", f->media);
  assert_int_equal(image_derive(p, &info, missing, IMAGE_SIZES_ALL, &files, err, sizeof err), -1);
  assert_non_null(strstr(err, "cannot create"));
  assert_int_equal(files.n, 0);
  /* The upload was swapped for a page after the probe: refused. */
  put_file(p, "<html>", 6);
  assert_int_equal(image_derive(p, &info, f->media, IMAGE_SIZES_ALL, &files, err, sizeof err),
                   IMAGE_UNSUPPORTED);
  assert_int_equal(dir_count(f->media), 0);
}

static void a_derivation_failing_half_way_removes_what_it_made(void **state) {
  fx *f = *state;
  char p[8400];
  snprintf(p, sizeof p, "%s/half.jpg", f->in);
  VipsImage *im = picture(700, 500, 0);
  assert_int_equal(vips_jpegsave(im, p, NULL), 0);
  g_object_unref(im);
  image_info info;
  image_files files;
  char err[300];
  assert_int_equal(image_probe(p, 0, &info, err, sizeof err), 0);
  assert_int_equal(image_derive(p, &info, f->media, IMAGE_SIZES_ALL, &files, err, sizeof err), 0);
  uint64_t webp = files.file[0].bytes, jpeg = files.file[1].bytes;
  assert_true(webp < jpeg);
  rm_dir(f->media);
  assert_int_equal(mkdir(f->media, 0755), 0);
  /* The disk "fills up" after the first file: the largest WebP fits, the
  ** largest JPEG does not. */
  struct rlimit old, lim;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  lim = old;
  lim.rlim_cur = (rlim_t)((webp + jpeg) / 2);
  void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  int r = image_derive(p, &info, f->media, IMAGE_SIZES_ALL, &files, err, sizeof err);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, prev);
  assert_int_equal(r, -1);
  assert_int_equal(files.n, 0);
  assert_int_equal(dir_count(f->media), 0);
}

/* One thread's work for several_derivations_run_at_once. */
typedef struct job {
  char path[8400], out[8400];
  int rc;
  size_t n;
} job;

static void *run_job(void *arg) {
  job *j = arg;
  image_info info;
  image_files files = {.n = 0};
  char err[300];
  j->rc = image_probe(j->path, 0, &info, err, sizeof err);
  if (j->rc == 0) j->rc = image_derive(j->path, &info, j->out, IMAGE_SIZES_ALL, &files, err, sizeof err);
  j->n = files.n;
  return NULL;
}

static void several_derivations_run_at_once(void **state) {
  fx *f = *state;
  job jobs[3];
  pthread_t th[3];
  for (int i = 0; i < 3; i++) {
    snprintf(jobs[i].path, sizeof jobs[i].path, "%s/par%d.%s", f->in, i, i == 1 ? "png" : "jpg");
    snprintf(jobs[i].out, sizeof jobs[i].out, "%s/out%d", f->root, i);
    assert_int_equal(mkdir(jobs[i].out, 0755), 0);
    VipsImage *im = picture(1100 + 200 * i, 800, i == 1);
    assert_int_equal(vips_image_write_to_file(im, jobs[i].path, NULL), 0);
    g_object_unref(im);
  }
  for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
  for (int i = 0; i < 3; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(jobs[i].rc, 0);
    assert_int_equal(jobs[i].n, 8); /* 320, 640, 1024 and the picture's own width */
    assert_int_equal(dir_count(jobs[i].out), (int)jobs[i].n);
    rm_dir(jobs[i].out);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(widths_are_never_upscaled),
      cmocka_unit_test_setup_teardown(every_accepted_type_is_derived, setup, teardown),
      cmocka_unit_test_setup_teardown(a_sixteen_bit_png_comes_out_eight_bit_srgb, setup, teardown),
      cmocka_unit_test_setup_teardown(a_sideways_photo_comes_out_upright, setup, teardown),
      cmocka_unit_test_setup_teardown(location_and_camera_data_are_stripped, setup, teardown),
      cmocka_unit_test_setup_teardown(other_types_are_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(jpeg_and_html_polyglots_never_serve_html, setup, teardown),
      cmocka_unit_test_setup_teardown(damaged_files_are_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(a_decompression_bomb_is_refused_from_its_header, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(first_sizes_then_the_rest, setup, teardown),
      cmocka_unit_test_setup_teardown(a_very_tall_picture_is_derived_size_by_size, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_failed_derivation_leaves_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(a_derivation_failing_half_way_removes_what_it_made, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(several_derivations_run_at_once, setup, teardown),
  };
  return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
