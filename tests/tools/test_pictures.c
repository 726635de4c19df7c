/*
** test_pictures.c: makes the pictures the HTTP, browser and benchmark runs
** upload, and looks inside the files the site serves; the node tests cannot
** encode or decode a JPEG themselves. Built as build/gazette-test-pictures.
**
**   gazette-test-pictures make DIR
**       writes into DIR: photo.jpg (1600 x 1067, with GPS coordinates and a
**       camera's name in its EXIF), sideways.jpg (stored 800 x 600 with EXIF
**       orientation 6 and a red block in its stored top-left corner, so
**       that it shows top right when upright), alpha.png, still.webp,
**       still.gif, still.avif and still.heic (640 x 480)
**   gazette-test-pictures photo FILE WIDTH HEIGHT [SEED]
**       writes a photograph-like JPEG of that size (a gradient with noise)
**   gazette-test-pictures standins DIR CONTENT.json
**       writes a small JPEG under DIR for every picture the demo content
**       names (its "file"), so that a test can load the demo with pictures
**       quickly
**   gazette-test-pictures inspect FILE
**       prints {"width", "height", "loader", "metadata": [field names of
**       EXIF, XMP, IPTC, ICC or orientation], "red": {"tl", "tr", "bl",
**       "br"}} (the mean red of each corner) as one line of JSON
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include <vips/vips.h>

/* Prints the problem and libvips' error, and exits 1. */
_Noreturn static void die(const char *what) {
  fprintf(stderr, "gazette-test-pictures: %s: %s\n", what, vips_error_buffer());
  exit(1);
}

/* Returns a new w x h sRGB picture: gradients with noise (seeded), a red
** block over the top-left sixteenth; with alpha, the right half is half
** transparent. */
static VipsImage *make_picture(int w, int h, int alpha, int seed) {
  VipsImage *xyz, *x, *y, *noise, *r, *g, *b, *t, *rgb, *u, *out;
  if (vips_xyz(&xyz, w, h, NULL) || vips_extract_band(xyz, &x, 0, NULL) ||
      vips_extract_band(xyz, &y, 1, NULL) ||
      vips_gaussnoise(&noise, w, h, "sigma", 10.0, "mean", 0.0, "seed", seed, NULL))
    die("cannot make a picture");
  if (vips_linear1(x, &t, 150.0 / w, 50, NULL) || vips_add(t, noise, &g, NULL)) die("green");
  g_object_unref(t);
  if (vips_linear1(y, &t, 150.0 / h, 60, NULL) || vips_add(t, noise, &b, NULL)) die("blue");
  g_object_unref(t);
  if (vips_linear1(x, &r, 0, 40, NULL)) die("red");
  VipsImage *bands[3] = {r, g, b};
  if (vips_bandjoin(bands, &rgb, 3, NULL) || vips_cast_uchar(rgb, &u, NULL)) die("join");
  double red[3] = {235, 15, 15};
  if (vips_draw_rect(u, red, 3, 0, 0, w / 4, h / 4, "fill", TRUE, NULL)) die("block");
  if (alpha) {
    VipsImage *a, *with;
    double opaque[1] = {255}, half[1] = {128};
    if (vips_black(&t, w, h, NULL) ||
        vips_linear(t, &a, (double[]){0}, opaque, 1, "uchar", TRUE, NULL) ||
        vips_draw_rect(a, half, 1, w / 2, 0, w - w / 2, h, "fill", TRUE, NULL) ||
        vips_bandjoin2(u, a, &with, NULL))
      die("alpha");
    g_object_unref(t);
    g_object_unref(a);
    g_object_unref(u);
    u = with;
  }
  if (vips_copy(u, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL)) die("copy");
  VipsImage *all[] = {xyz, x, y, noise, r, g, b, rgb, u};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) g_object_unref(all[i]);
  return out;
}

/* Writes dir/name from im with the saver the name's suffix picks. */
static void save(VipsImage *im, const char *dir, const char *name) {
  char p[4200];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  int rc;
  if (strstr(name, ".avif"))
    rc = vips_heifsave(im, p, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort", 0, NULL);
  else if (strstr(name, ".heic"))
    rc = vips_heifsave(im, p, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, NULL);
  else
    rc = vips_image_write_to_file(im, p, NULL);
  if (rc) die(name);
}

/* make DIR */
static int cmd_make(const char *dir) {
  VipsImage *im = make_picture(1600, 1067, 0, 1), *tagged;
  if (vips_copy(im, &tagged, NULL)) die("copy");
  vips_image_set_string(tagged, "exif-ifd3-GPSLatitudeRef", "N");
  vips_image_set_string(tagged, "exif-ifd3-GPSLatitude", "59/1 54/1 4321/100");
  vips_image_set_string(tagged, "exif-ifd3-GPSLongitudeRef", "E");
  vips_image_set_string(tagged, "exif-ifd3-GPSLongitude", "10/1 45/1 1234/100");
  vips_image_set_string(tagged, "exif-ifd0-Make", "Harbourside Camera Works");
  save(tagged, dir, "photo.jpg");
  g_object_unref(tagged);
  g_object_unref(im);

  im = make_picture(800, 600, 0, 2);
  if (vips_copy(im, &tagged, NULL)) die("copy");
  vips_image_set_int(tagged, "orientation", 6);
  save(tagged, dir, "sideways.jpg");
  g_object_unref(tagged);
  g_object_unref(im);

  im = make_picture(640, 480, 1, 3);
  save(im, dir, "alpha.png");
  g_object_unref(im);
  im = make_picture(640, 480, 0, 4);
  save(im, dir, "still.webp");
  save(im, dir, "still.gif");
  save(im, dir, "still.avif");
  save(im, dir, "still.heic");
  g_object_unref(im);
  return 0;
}

/* photo FILE W H [SEED] */
static int cmd_photo(const char *file, int w, int h, int seed) {
  VipsImage *im = make_picture(w, h, 0, seed);
  if (vips_jpegsave(im, file, "Q", 90, NULL)) die(file);
  g_object_unref(im);
  return 0;
}

/* Makes every folder of path's parent (like mkdir -p). */
static void make_parents(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
      fprintf(stderr, "gazette-test-pictures: cannot make %s\n", path);
      exit(1);
    }
    *p = '/';
  }
}

/* standins DIR CONTENT */
static int cmd_standins(const char *dir, const char *content) {
  FILE *f = fopen(content, "rb");
  if (!f) die(content);
  static char text[4 * 1024 * 1024];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  cJSON *root = cJSON_Parse(text);
  if (!root) die("the content is not JSON");
  static const char *const lists[][2] = {{"articles", "image"}, {"authors", "avatar"}};
  int seed = 10;
  for (size_t k = 0; k < 2; k++) {
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(root, lists[k][0])) {
      const cJSON *pic = cJSON_GetObjectItemCaseSensitive(x, lists[k][1]);
      const char *file = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pic, "file"));
      if (!file) continue;
      char p[4200];
      snprintf(p, sizeof p, "%s/%s", dir, file);
      make_parents(p);
      VipsImage *im = make_picture(480 + seed, 320, 0, seed);
      seed++;
      if (vips_jpegsave(im, p, "Q", 85, NULL)) die(p);
      g_object_unref(im);
    }
  }
  cJSON_Delete(root);
  return 0;
}

/* Returns the mean of band 0 over the w/8 by h/8 square at corner (cx, cy
** each 0 or 1). */
static double corner_red(VipsImage *im, int cx, int cy) {
  int w = im->Xsize / 8 > 0 ? im->Xsize / 8 : 1, h = im->Ysize / 8 > 0 ? im->Ysize / 8 : 1;
  VipsImage *sq, *band;
  double v = 0;
  if (vips_extract_area(im, &sq, cx ? im->Xsize - w : 0, cy ? im->Ysize - h : 0, w, h, NULL) ||
      vips_extract_band(sq, &band, 0, NULL) || vips_avg(band, &v, NULL))
    die("corner");
  g_object_unref(band);
  g_object_unref(sq);
  return v;
}

/* inspect FILE */
static int cmd_inspect(const char *file) {
  VipsImage *im = vips_image_new_from_file(file, "access", VIPS_ACCESS_RANDOM, NULL);
  if (!im) die(file);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "width", im->Xsize);
  cJSON_AddNumberToObject(o, "height", im->Ysize);
  const char *loader = "";
  vips_image_get_string(im, "vips-loader", &loader);
  cJSON_AddStringToObject(o, "loader", loader);
  cJSON *meta = cJSON_AddArrayToObject(o, "metadata");
  gchar **fields = vips_image_get_fields(im);
  for (int i = 0; fields[i]; i++)
    if (!strncmp(fields[i], "exif", 4) || !strcmp(fields[i], "xmp-data") ||
        !strcmp(fields[i], "iptc-data") || !strcmp(fields[i], "icc-profile-data") ||
        !strcmp(fields[i], "orientation"))
      cJSON_AddItemToArray(meta, cJSON_CreateString(fields[i]));
  g_strfreev(fields);
  cJSON *red = cJSON_AddObjectToObject(o, "red");
  cJSON_AddNumberToObject(red, "tl", corner_red(im, 0, 0));
  cJSON_AddNumberToObject(red, "tr", corner_red(im, 1, 0));
  cJSON_AddNumberToObject(red, "bl", corner_red(im, 0, 1));
  cJSON_AddNumberToObject(red, "br", corner_red(im, 1, 1));
  char *s = cJSON_PrintUnformatted(o);
  printf("%s\n", s);
  cJSON_free(s);
  cJSON_Delete(o);
  g_object_unref(im);
  return 0;
}

int main(int argc, char **argv) {
  if (VIPS_INIT(argv[0])) die("libvips");
  const char *cmd = argc > 1 ? argv[1] : "";
  int rc = 2;
  if (!strcmp(cmd, "make") && argc == 3) rc = cmd_make(argv[2]);
  else if (!strcmp(cmd, "photo") && (argc == 5 || argc == 6))
    rc = cmd_photo(argv[2], atoi(argv[3]), atoi(argv[4]), argc == 6 ? atoi(argv[5]) : 7);
  else if (!strcmp(cmd, "standins") && argc == 4) rc = cmd_standins(argv[2], argv[3]);
  else if (!strcmp(cmd, "inspect") && argc == 3) rc = cmd_inspect(argv[2]);
  else fprintf(stderr, "usage: gazette-test-pictures make DIR | photo FILE W H [SEED] | "
                       "standins DIR CONTENT | inspect FILE\n");
  vips_shutdown();
  return rc;
}
