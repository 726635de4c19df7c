/*
** image-bench: how fast and how lean the picture pipeline is.
**
**   build/image-bench [PHOTO.jpg] [--runs N]
**
** Takes a JPEG (or makes a 12-megapixel one, 4000 x 3000, when none is
** given) and reports, over N runs (default 5): the time to check an upload
** (image_probe), to the first sizes an editor needs (probe and
** IMAGE_SIZES_FIRST), to every size (probe and IMAGE_SIZES_ALL), the
** pictures per second that makes, and the peak resident memory above idle
** while deriving. Then the cost of each encoder alone at each width (WebP,
** JPEG, and AVIF at two efforts, which Gazette does not serve), with the
** bytes each makes. Files go to a temporary folder, removed at the end.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vips/vips.h>

#include "image.h"

/* Seconds on the monotonic clock. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the value in KiB of field name ("VmRSS:", "VmHWM:") of
** /proc/self/status, or -1. */
static long status_kib(const char *name) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long v = -1;
  size_t n = strlen(name);
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, name, n)) v = strtol(line + n, NULL, 10);
  fclose(f);
  return v;
}

/* Resets the peak resident size (VmHWM) to the current one. */
static void reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f) return;
  fputs("5", f);
  fclose(f);
}

/* Removes every file in folder d. */
static void empty_dir(const char *d) {
  DIR *dir = opendir(d);
  if (!dir) return;
  struct dirent *e;
  char p[4400];
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
    if (snprintf(p, sizeof p, "%s/%s", d, e->d_name) < (int)sizeof p) unlink(p);
  }
  closedir(dir);
}

/* Makes a photograph-like 4000 x 3000 JPEG at path: gradients, fine noise
** (which costs the encoders what a real photo's texture does) and shapes. */
static int make_photo(const char *path) {
  VipsImage *xyz = NULL, *x = NULL, *y = NULL, *noise = NULL, *r = NULL, *g = NULL, *b = NULL;
  VipsImage *rgb = NULL, *u = NULL, *blur = NULL, *out = NULL;
  int w = 4000, h = 3000, rc = -1;
  if (vips_xyz(&xyz, w, h, NULL) || vips_extract_band(xyz, &x, 0, NULL) ||
      vips_extract_band(xyz, &y, 1, NULL) ||
      vips_gaussnoise(&noise, w, h, "sigma", 20.0, "mean", 0.0, "seed", 7, NULL))
    goto done;
  VipsImage *t1 = NULL, *t2 = NULL, *t3 = NULL;
  if (vips_linear1(x, &t1, 150.0 / w, 50, NULL) || vips_add(t1, noise, &r, NULL) ||
      vips_linear1(y, &t2, 120.0 / h, 70, NULL) || vips_add(t2, noise, &g, NULL) ||
      vips_linear1(x, &t3, -100.0 / w, 200, NULL) || vips_add(t3, noise, &b, NULL)) {
    if (t1) g_object_unref(t1);
    if (t2) g_object_unref(t2);
    if (t3) g_object_unref(t3);
    goto done;
  }
  g_object_unref(t1);
  g_object_unref(t2);
  g_object_unref(t3);
  VipsImage *bands[3] = {r, g, b};
  if (vips_bandjoin(bands, &rgb, 3, NULL) || vips_gaussblur(rgb, &blur, 0.8, NULL) ||
      vips_cast_uchar(blur, &u, NULL))
    goto done;
  for (int i = 0; i < 40; i++) {
    double ink[3] = {(i * 53) % 256, (i * 97) % 256, (i * 31) % 256};
    vips_draw_circle(u, ink, 3, (i * 733) % w, (i * 419) % h, 40 + (i * 37) % 300, "fill", TRUE,
                     NULL);
  }
  if (vips_copy(u, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL)) goto done;
  rc = vips_jpegsave(out, path, "Q", 90, NULL);
done:;
  VipsImage *all[] = {xyz, x, y, noise, r, g, b, rgb, u, blur, out};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    if (all[i]) g_object_unref(all[i]);
  return rc;
}

/* Times probe plus derivation of which, runs times; prints the mean and
** the peak memory above idle. Returns the mean seconds. */
static double time_pipeline(const char *label, const char *photo, const char *out, unsigned which,
                            int runs, long idle_kib) {
  double total = 0;
  long peak = 0;
  size_t files = 0;
  uint64_t bytes = 0;
  for (int i = 0; i < runs; i++) {
    empty_dir(out);
    reset_peak();
    image_info info;
    image_files made = {0};
    char err[300];
    double t0 = now();
    int r = image_probe(photo, 0, &info, err, sizeof err);
    if (r == 0 && which) r = image_derive(photo, &info, out, which, &made, err, sizeof err);
    double dt = now() - t0;
    if (r) {
      fprintf(stderr, "image-bench: %s\n", err);
      exit(1);
    }
    long hwm = status_kib("VmHWM:");
    if (hwm - idle_kib > peak) peak = hwm - idle_kib;
    total += dt;
    files = made.n;
    bytes = 0;
    for (size_t k = 0; k < made.n; k++) bytes += made.file[k].bytes;
  }
  double mean = total / runs;
  printf("%-34s %8.0f ms   %5.2f pictures/s   peak +%4ld MiB   %2zu files, %6.0f KiB\n", label,
         mean * 1000, 1 / mean, peak / 1024, files, (double)bytes / 1024);
  return mean;
}

/* Times one encoder on im, runs times; prints the mean time and bytes. */
static void time_encoder(const char *label, VipsImage *im, int runs, const char *saver, ...) {
  double total = 0;
  size_t len = 0;
  for (int i = 0; i < runs; i++) {
    void *data = NULL;
    double t0 = now();
    int r;
    if (!strcmp(saver, "webp"))
      r = vips_webpsave_buffer(im, &data, &len, "Q", IMAGE_WEBP_QUALITY, "effort",
                               IMAGE_WEBP_EFFORT, "strip", TRUE, NULL);
    else if (!strcmp(saver, "jpeg"))
      r = vips_jpegsave_buffer(im, &data, &len, "Q", IMAGE_JPEG_QUALITY, "optimize_coding", TRUE,
                               "interlace", TRUE, "strip", TRUE, NULL);
    else
      r = vips_heifsave_buffer(im, &data, &len, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1,
                               "Q", 50, "effort", strcmp(saver, "avif0") ? 4 : 0, "strip", TRUE,
                               NULL);
    total += now() - t0;
    g_free(data);
    if (r) {
      printf("%-34s failed: %s", label, vips_error_buffer());
      vips_error_clear();
      return;
    }
  }
  printf("%-34s %8.0f ms   %7.0f KiB\n", label, total / runs * 1000, (double)len / 1024);
}

int main(int argc, char **argv) {
  const char *photo = NULL;
  int runs = 5;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
    else if (argv[i][0] != '-') photo = argv[i];
    else {
      fprintf(stderr, "usage: image-bench [PHOTO.jpg] [--runs N]\n");
      return 2;
    }
  }
  if (runs < 1) runs = 1;
  char err[300];
  if (image_init(err, sizeof err)) {
    fprintf(stderr, "image-bench: %s\n", err);
    return 1;
  }
  const char *tmp = getenv("TMPDIR");
  char dir[4096], out[4200], made[4200];
  snprintf(dir, sizeof dir, "%s/image-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) return 1;
  snprintf(out, sizeof out, "%s/media", dir);
  mkdir(out, 0755);
  if (!photo) {
    snprintf(made, sizeof made, "%s/photo.jpg", dir);
    if (make_photo(made)) {
      fprintf(stderr, "image-bench: cannot make a photo: %s\n", vips_error_buffer());
      return 1;
    }
    photo = made;
  }
  image_info info;
  if (image_probe(photo, 0, &info, err, sizeof err)) {
    fprintf(stderr, "image-bench: %s\n", err);
    return 1;
  }
  struct stat st;
  stat(photo, &st);
  printf("photo: %d x %d %s, %.1f megapixels, %.0f KiB; %d runs; %d libvips threads\n",
         info.width, info.height, image_type_name(info.type), (double)info.pixels / 1e6,
         (double)st.st_size / 1024, runs, IMAGE_THREADS);
  long idle = status_kib("VmRSS:");
  printf("idle resident memory: %ld MiB\n\n", idle / 1024);

  time_pipeline("probe (type, pixels, full decode)", photo, out, 0, runs, idle);
  time_pipeline("probe + first sizes (WebP+JPEG)", photo, out, IMAGE_SIZES_FIRST, runs, idle);
  time_pipeline("probe + all sizes (WebP+JPEG)", photo, out, IMAGE_SIZES_ALL, runs, idle);

  printf("\nencoders alone, on each size already in memory:\n");
  int widths[IMAGE_MAX_WIDTHS];
  size_t nw = image_widths(info.width, info.height, IMAGE_SIZES_ALL, widths);
  for (size_t i = 0; i < nw; i++) {
    VipsImage *t = NULL, *m = NULL;
    if (vips_thumbnail(photo, &t, widths[i], "height", VIPS_MAX_COORD, NULL) ||
        !(m = vips_image_copy_memory(t))) {
      fprintf(stderr, "image-bench: %s\n", vips_error_buffer());
      return 1;
    }
    g_object_unref(t);
    char label[64];
    snprintf(label, sizeof label, "  %4d px  WebP q%d", widths[i], IMAGE_WEBP_QUALITY);
    time_encoder(label, m, runs, "webp");
    snprintf(label, sizeof label, "  %4d px  JPEG q%d", widths[i], IMAGE_JPEG_QUALITY);
    time_encoder(label, m, runs, "jpeg");
    snprintf(label, sizeof label, "  %4d px  AVIF q50 effort 0", widths[i]);
    time_encoder(label, m, runs, "avif0");
    snprintf(label, sizeof label, "  %4d px  AVIF q50 effort 4", widths[i]);
    time_encoder(label, m, 1, "avif4");
    g_object_unref(m);
  }
  printf("\npeak resident memory of the whole run: %ld MiB\n", status_kib("VmHWM:") / 1024);
  empty_dir(out);
  rmdir(out);
  if (photo == made) unlink(made);
  rmdir(dir);
  return 0;
}
