/*
** tz.c: time zones read from TZif files (RFC 8536; see tz.h).
*/
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  TZ_FILE_MAX = 256 * 1024, /* bytes of one zone's file */
  TZ_TYPES_MAX = 256,       /* local time types, as the format allows */
  TZ_NAMES_MAX = 2000,      /* zones in the list */
};

struct tz {
  char name[64];
  int ntrans;
  long long *at;            /* transition times, ascending */
  unsigned char *type;      /* the type in force from each transition on */
  int ntypes;
  long off[TZ_TYPES_MAX];   /* each type's offset from UTC, seconds */
  char abbr[TZ_TYPES_MAX][8];
};

/* Returns the folder of the zone files: dir, $TZDIR, or the system's. */
static const char *tz_dir(const char *dir) {
  const char *env = getenv("TZDIR");
  return dir ? dir : env && *env ? env : "/usr/share/zoneinfo";
}

int tz_name_ok(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > 63 || name[0] == '/' || name[n - 1] == '/') return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = name[i];
    int part_start = i == 0 || name[i - 1] == '/';
    if (part_start && (ch == '.' || ch == '/')) return 0;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          strchr("_+-/", ch)))
      return 0;
  }
  return 1;
}

/* Reads a big-endian unsigned 32-bit number. */
static unsigned long be32(const unsigned char *p) {
  return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Reads a big-endian signed 64-bit number. */
static long long be64(const unsigned char *p) {
  unsigned long long v = (unsigned long long)be32(p) << 32 | be32(p + 4);
  return (long long)v;
}

/* The counts of a TZif header. */
typedef struct tzhead {
  unsigned long isut, isstd, leap, time, type, chars;
} tzhead;

/* Reads the header at p (n bytes left) into h. Returns its version
** character, or 0 when it is not a TZif header. */
static int tz_head(const unsigned char *p, size_t n, tzhead *h) {
  if (n < 44 || memcmp(p, "TZif", 4) != 0) return 0;
  h->isut = be32(p + 20);
  h->isstd = be32(p + 24);
  h->leap = be32(p + 28);
  h->time = be32(p + 32);
  h->type = be32(p + 36);
  h->chars = be32(p + 40);
  if (h->type == 0 || h->type > TZ_TYPES_MAX || h->time > 100000 || h->chars > 1024 ||
      h->leap > 1000 || h->isut > TZ_TYPES_MAX || h->isstd > TZ_TYPES_MAX)
    return 0;
  return p[4] ? p[4] : '1';
}

/* Returns the size of the data block after a header h with times of
** width bytes. */
static size_t tz_block(const tzhead *h, size_t width) {
  return h->time * width + h->time + h->type * 6 + h->chars + h->leap * (width + 4) + h->isstd +
         h->isut;
}

/* Fills z from the data block at p (times of width bytes) described by h,
** n bytes available. Returns 0 or -1. */
static int tz_fill(tz *z, const tzhead *h, const unsigned char *p, size_t n, size_t width) {
  if (tz_block(h, width) > n) return -1;
  z->ntrans = (int)h->time;
  z->ntypes = (int)h->type;
  z->at = malloc((h->time ? h->time : 1) * sizeof *z->at);
  z->type = malloc(h->time ? h->time : 1);
  if (!z->at || !z->type) abort();
  for (unsigned long i = 0; i < h->time; i++)
    z->at[i] = width == 8 ? be64(p + i * 8) : (long long)(int)be32(p + i * 4);
  p += h->time * width;
  for (unsigned long i = 0; i < h->time; i++) {
    if (p[i] >= h->type) return -1;
    z->type[i] = p[i];
  }
  p += h->time;
  const unsigned char *chars = p + h->type * 6;
  for (unsigned long i = 0; i < h->type; i++) {
    const unsigned char *t = p + i * 6;
    z->off[i] = (long)(int)be32(t);
    unsigned idx = t[5];
    if (idx >= h->chars) return -1;
    size_t len = strnlen((const char *)chars + idx, h->chars - idx);
    if (len >= sizeof z->abbr[i]) len = sizeof z->abbr[i] - 1;
    memcpy(z->abbr[i], chars + idx, len);
    z->abbr[i][len] = 0;
  }
  return 0;
}

/* Parses the TZif file in data[0..n) into z. Returns 0 or -1. */
static int tz_parse(tz *z, const unsigned char *data, size_t n) {
  tzhead h;
  int version = tz_head(data, n, &h);
  if (!version) return -1;
  if (version == '1') return tz_fill(z, &h, data + 44, n - 44, 4);
  size_t skip = 44 + tz_block(&h, 4);
  if (skip > n || !tz_head(data + skip, n - skip, &h)) return -1;
  return tz_fill(z, &h, data + skip + 44, n - skip - 44, 8);
}

/* Reads the file at path (at most TZ_FILE_MAX bytes) into *out; returns
** its length, or -1. */
static long tz_read(const char *path, unsigned char **out) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  unsigned char *data = malloc(TZ_FILE_MAX);
  if (!data) abort();
  size_t n = fread(data, 1, TZ_FILE_MAX, f);
  int bad = ferror(f) || n == TZ_FILE_MAX;
  fclose(f);
  if (bad) {
    free(data);
    return -1;
  }
  *out = data;
  return (long)n;
}

tz *tz_load(const char *dir, const char *name) {
  if (!tz_name_ok(name)) return NULL;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", tz_dir(dir), name);
  unsigned char *data = NULL;
  long n = tz_read(path, &data);
  if (n < 0) return NULL;
  tz *z = calloc(1, sizeof *z);
  if (!z) abort();
  snprintf(z->name, sizeof z->name, "%s", name);
  int rc = tz_parse(z, data, (size_t)n);
  free(data);
  if (rc != 0) {
    tz_free(z);
    return NULL;
  }
  return z;
}

tz *tz_utc(void) {
  tz *z = calloc(1, sizeof *z);
  if (!z) abort();
  snprintf(z->name, sizeof z->name, "UTC");
  z->ntypes = 1;
  snprintf(z->abbr[0], sizeof z->abbr[0], "UTC");
  return z;
}

void tz_free(tz *z) {
  if (!z) return;
  free(z->at);
  free(z->type);
  free(z);
}

const char *tz_name(const tz *z) { return z->name; }

/* Returns the type in force at t: that of the last transition at or
** before t, type 0 before the first. */
static int tz_type_at(const tz *z, time_t t) {
  int lo = 0, hi = z->ntrans;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (z->at[mid] <= (long long)t) lo = mid + 1;
    else hi = mid;
  }
  return lo == 0 ? 0 : z->type[lo - 1];
}

long tz_offset(const tz *z, time_t t, const char **abbr) {
  int k = tz_type_at(z, t);
  if (abbr) *abbr = z->abbr[k];
  return z->off[k];
}

/* Parses "YYYY-MM-DDTHH:MM[:SS]" into *wall, the wall time counted as if
** it were UTC. Returns 0 or -1. */
static int tz_wall(const char *s, time_t *wall) {
  int y, mo, d, h, mi, sec = 0, used = 0;
  size_t n = strlen(s);
  if (n != 16 && n != 19) return -1;
  if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5 || used != 16)
    return -1;
  if (n == 19 && (s[16] != ':' || sscanf(s + 17, "%2d%n", &sec, &used) != 1 || used != 2))
    return -1;
  for (size_t i = 0; i < n; i++)
    if (!(s[i] >= '0' && s[i] <= '9') && i != 4 && i != 7 && i != 10 && i != 13 && i != 16)
      return -1;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] ||
      (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59)
    return -1;
  struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                  .tm_min = mi, .tm_sec = sec};
  *wall = timegm(&tm);
  return 0;
}

int tz_local_to_utc(const tz *z, const char *s, time_t *out) {
  time_t wall;
  if (tz_wall(s, &wall) != 0) return TZ_BAD_TIME;
  int found = 0;
  time_t best = 0;
  for (int k = 0; k < z->ntypes; k++) {
    time_t t = wall - z->off[k];
    if (tz_offset(z, t, NULL) != z->off[k]) continue;
    if (!found || t < best) best = t;
    found = 1;
  }
  if (!found) return TZ_GAP;
  *out = best;
  return 0;
}

/* Appends t in zone z with the strftime pattern fmt, then the zone's
** abbreviation when with_abbr is set. */
static void tz_put(const tz *z, time_t t, const char *fmt, int with_abbr, buf *out) {
  const char *abbr;
  time_t local = t + tz_offset(z, t, &abbr);
  struct tm tm;
  char s[48];
  gmtime_r(&local, &tm);
  strftime(s, sizeof s, fmt, &tm);
  buf_puts(out, s);
  if (with_abbr) buf_printf(out, " %s", abbr);
}

void tz_field(const tz *z, time_t t, buf *out) { tz_put(z, t, "%Y-%m-%dT%H:%M", 0, out); }

void tz_show(const tz *z, time_t t, buf *out) { tz_put(z, t, "%Y-%m-%d %H:%M", 1, out); }

/* Orders two zone names. */
static int tz_name_order(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int tz_list(const char *dir, buf *out) {
  char path[4096], line[512];
  snprintf(path, sizeof path, "%s/zone1970.tab", tz_dir(dir));
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char **names = calloc(TZ_NAMES_MAX, sizeof *names);
  if (!names) abort();
  int n = 0;
  while (n < TZ_NAMES_MAX && fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    char *save = NULL, *field = strtok_r(line, "\t\n", &save);
    for (int i = 0; field && i < 2; i++) field = strtok_r(NULL, "\t\n", &save);
    if (field && tz_name_ok(field) && !(names[n] = strdup(field))) abort();
    if (field && tz_name_ok(field)) n++;
  }
  fclose(f);
  qsort(names, (size_t)n, sizeof *names, tz_name_order);
  buf_puts(out, "UTC\n");
  for (int i = 0; i < n; i++) {
    buf_printf(out, "%s\n", names[i]);
    free(names[i]);
  }
  free(names);
  return n + 1;
}
