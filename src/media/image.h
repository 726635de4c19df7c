/*
** image.h: pictures through libvips: checking an upload and deriving the
** sizes the site serves.
**
** What is served is always re-encoded here, never the uploaded bytes: the
** orientation applied, colours converted to sRGB, every piece of metadata
** (EXIF, GPS, XMP, IPTC, ICC) stripped, in WebP and JPEG, at the widths
** IMAGE_WIDTHS (never upscaled). The uploaded file itself is kept outside the
** web root (image_keep_original) so the sizes can be made again.
**
** The type is decided by decoding: libvips' own sniffers of the accepted
** formats (JPEG, PNG, WebP, GIF, HEIC, AVIF) are asked in turn, and the file
** is then decoded in full by that loader alone. Every other libvips loader is
** blocked at start-up (SVG, PDF, TIFF, ImageMagick, ...), so no other decoder
** ever sees an upload.
**
** Return convention: 0 on success; -1 on a system error (out of memory, a
** file that cannot be read or written), with a one-line reason in err; a
** positive refusal, with a reason fit to show to the uploader:
**   IMAGE_UNSUPPORTED      not a picture of an accepted type
**   IMAGE_TOO_MANY_PIXELS  more pixels than the limit (seen in the header,
**                          before any pixel is decoded)
**   IMAGE_CORRUPT          damaged or truncated: the decoder failed or
**                          warned somewhere in the file
**
** Threads: image_init may be called from any thread, any number of times
** (the first call does the work). After it, image_probe, image_derive,
** image_keep_original, image_widths and image_name may be called from
** several threads at once: each call works on its own libvips objects and
** files. Each call runs at most IMAGE_THREADS libvips worker threads. For a
** 12-megapixel JPEG a probe or a derivation peaks at about 50 MiB above
** idle (80 MiB for a progressive JPEG, whose decoder holds every
** coefficient); the caller bounds how many run at once (the server: its
** worker threads and one background queue). WebP, HEIC and AVIF are decoded
** whole, at about 8 bytes a pixel (95 MiB for a 12-megapixel AVIF, 140 MiB
** for a 16-megapixel WebP), so the pixel limit bounds them: 400 MiB at the
** default.
** One caveat: libvips keeps a single, process-wide error buffer, so the
** detail appended to a -1 reason may come from a simultaneous call.
**
** An animated GIF or WebP is accepted and served as its first frame. AVIF
** is accepted but not served: at libvips' default effort it costs 5 s for
** the 2400-pixel size alone on a 2-core machine (bench/image_bench.c).
*/
#ifndef GAZETTE_IMAGE_H
#define GAZETTE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

enum {
  IMAGE_UNSUPPORTED = 1,
  IMAGE_TOO_MANY_PIXELS = 2,
  IMAGE_CORRUPT = 3,
};

/* The accepted types, as decoded. */
typedef enum image_type {
  IMAGE_JPEG = 1,
  IMAGE_PNG,
  IMAGE_WEBP,
  IMAGE_GIF,
  IMAGE_HEIC,
  IMAGE_AVIF,
} image_type;

/* The formats served. */
typedef enum image_format {
  IMAGE_OUT_WEBP = 1,
  IMAGE_OUT_JPEG = 2,
} image_format;

/* Encoder settings, part of every derived file's name (see image_name).
** JPEG: quality 82, progressive, optimised Huffman tables, 4:2:0 chroma.
** WebP: quality 80, effort 4 of 6. Both are what a photograph needs to look
** clean on a news page at about a tenth of a byte per pixel. */
#define IMAGE_JPEG_QUALITY 82
#define IMAGE_WEBP_QUALITY 80
#define IMAGE_WEBP_EFFORT 4

/* The widths served, in pixels, smallest first. */
#define IMAGE_WIDTHS {320, 640, 1024, 1600, 2400}
#define IMAGE_MAX_WIDTHS 6
/* A derived file is at most this tall (WebP's own limit). */
#define IMAGE_MAX_HEIGHT 16383
/* The default limit on a picture's pixels (a site setting passes its own). */
#define IMAGE_DEFAULT_MAX_PIXELS ((uint64_t)50 * 1000 * 1000)
/* libvips worker threads per derivation. */
#define IMAGE_THREADS 2

/* Which sizes image_derive makes. FIRST: the two an editor needs at once
** (the smallest, and the largest up to 1024 pixels). REST: the others, for a
** background queue. ALL: both. */
enum {
  IMAGE_SIZES_FIRST = 1,
  IMAGE_SIZES_REST = 2,
  IMAGE_SIZES_ALL = 3,
};

/* What image_probe found. width and height are as displayed, after the
** orientation is applied. */
typedef struct image_info {
  image_type type;
  int width, height;
  uint64_t pixels;
  int orientation;          /* EXIF orientation, 1 to 8 */
  uint64_t bytes;           /* the file's size */
  unsigned char digest[32]; /* BLAKE2b-256 of the file's bytes */
} image_info;

/* One file image_derive made. name is the file's name inside out_dir. */
typedef struct image_file {
  char name[64];
  int width, height;
  image_format format;
  uint64_t bytes;
} image_file;

#define IMAGE_MAX_FILES (2 * IMAGE_MAX_WIDTHS)

typedef struct image_files {
  image_file file[IMAGE_MAX_FILES];
  size_t n;
} image_files;

/* Starts libvips once for the process: blocks every loader but the accepted
** ones (and libvips' untrusted ones), turns the operation cache off, sets
** IMAGE_THREADS worker threads and silences libvips' warnings on stderr (the
** refusals carry them). Also sets malloc's mmap threshold to 1 MiB for the
** process, so the decoders' large buffers go back to the system when freed.
** Returns 0, or -1 when libvips cannot start or lacks the JPEG or PNG
** loader. */
int image_init(char *err, size_t errlen);

/* Checks the file at path: decides its type by decoding, refuses it beyond
** max_pixels (0: IMAGE_DEFAULT_MAX_PIXELS) from the header, then decodes
** every pixel once to catch damage and truncation. Fills *info on 0. */
int image_probe(const char *path, uint64_t max_pixels, image_info *info, char *err,
                size_t errlen);

/* Returns the lower-case name of type t ("jpeg", "png", "webp", "gif",
** "heic", "avif"), or "unknown". */
const char *image_type_name(image_type t);

/* Fills out with the widths image_derive makes, in increasing order, for a
** picture displayed width by height, for which (IMAGE_SIZES_*), and returns
** how many. The widths of IMAGE_WIDTHS up to width; and width itself when it
** is under the largest and not among them; a width whose height would pass
** IMAGE_MAX_HEIGHT is left out (and when that leaves none, the widest that
** fits is used). */
size_t image_widths(int width, int height, unsigned which, int out[IMAGE_MAX_WIDTHS]);

/* Writes into out the name of the derived file of the picture described by
** info at width in format f: "<32 hex>-<width>.<webp|jpg>", where the hex is
** a BLAKE2b hash of the original's bytes and the encoder settings. The same
** upload always gets the same names; changed settings get new ones, so a
** name can be cached for ever. Returns 0, or -1 when out is too small. */
int image_name(const image_info *info, int width, image_format f, char *out, size_t outlen);

/* Makes the sizes named by which (IMAGE_SIZES_*) of the picture at path,
** which image_probe described in *info, into the folder out_dir, in WebP and
** JPEG. Each file is written under a temporary name in out_dir (".tmp-*"),
** synced, then linked to its final name, so a served name never shows a half
** file; a file already there under its name is left as it is (it has the
** same bytes). Fills *out with the files, largest first. On failure, removes
** what this call made and returns -1 (or a refusal if the file changed). */
int image_derive(const char *path, const image_info *info, const char *out_dir, unsigned which,
                 image_files *out, char *err, size_t errlen);

/* Keeps the original at path in the folder dir (outside the web root) as
** "<64 hex digest>.<type name>", synced: a hard link when path is on the
** same file system, else a copy under a temporary name then renamed. An
** original already kept stays as it is. Writes the name into name. Returns 0
** or -1. */
int image_keep_original(const char *path, const image_info *info, const char *dir, char *name,
                        size_t namelen, char *err, size_t errlen);

#endif
