/*
** multipart.c: streaming multipart/form-data parser (see multipart.h).
**
** The body is a sequence of parts separated by the delimiter CRLF "--"
** boundary. The parser pretends the body starts with CRLF, so the first
** delimiter (which may open the body) matches the same pattern as the others.
** Since a boundary never holds CR, a partial match of the delimiter can only
** restart at a CR; the bytes of a broken partial match are a prefix of the
** delimiter itself, so nothing but the match length is kept between chunks.
*/
#include "multipart.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MP_BOUNDARY_MAX 70          /* RFC 2046 */
#define MP_CONTENT_TYPE_MAX 1024    /* the request's Content-Type value */
#define MP_PREAMBLE_MAX 1024        /* ignored bytes before the first part */
#define MP_EPILOGUE_MAX 1024        /* ignored bytes after the last one */
#define MP_PADDING_MAX 64           /* blanks after a delimiter */
#define MP_WRITE_BUF (64 * 1024)    /* file bytes gathered before a write */

enum mp_state {
  MP_PREAMBLE,   /* before the first delimiter */
  MP_DELIM,      /* just after a delimiter */
  MP_DASH,       /* after a delimiter and one '-' */
  MP_PADDING,    /* blanks after a delimiter */
  MP_PADDING_CR, /* CR after a delimiter */
  MP_HEADERS,    /* a part's header block */
  MP_BODY,       /* a part's content */
  MP_EPILOGUE,   /* after the final delimiter */
};

typedef struct mp_part {
  char *name;
  char *filename;     /* NULL for a text field */
  char *content_type;
  buf value;          /* a text field's bytes */
  char *path;         /* a file part's temporary file, NULL once removed */
  int fd;             /* open while the part is read, else -1 */
  uint64_t size;
  int kept;
} mp_part;

struct multipart {
  multipart_limits lim;
  char *dir;
  char delim[4 + MP_BOUNDARY_MAX];  /* CRLF "--" boundary */
  size_t dlen;
  size_t match;       /* bytes of delim matched so far */
  enum mp_state state;
  int result;         /* sticky non-zero result */
  char err[200];
  buf hdr;            /* the header block being read */
  mp_part *parts;
  size_t nparts, cap;
  uint64_t file_total;
  size_t text_total;
  size_t ignored;     /* preamble, padding or epilogue bytes so far */
  char *wbuf;
  size_t wlen;
  int done;           /* multipart_finish succeeded */
  multipart_field *fields;
  multipart_file *files;
  size_t nfields, nfiles;
};

/* Writes a formatted one-line reason into err (when there is one). */
static void mp_say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void mp_say(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* Closes and removes the temporary file of part p unless it was kept. */
static void mp_part_discard(mp_part *p) {
  if (p->fd >= 0) close(p->fd);
  p->fd = -1;
  if (p->path && !p->kept) unlink(p->path);
  free(p->path);
  p->path = NULL;
}

/* Records a failure: the result code and reason, and removes every
** temporary file made so far. Returns code. */
static int mp_fail(multipart *m, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int mp_fail(multipart *m, int code, const char *fmt, ...) {
  if (m->result) return m->result;
  m->result = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m->err, sizeof m->err, fmt, ap);
  va_end(ap);
  for (size_t i = 0; i < m->nparts; i++) {
    m->parts[i].kept = 0;
    mp_part_discard(&m->parts[i]);
  }
  return code;
}

/* ---- header values: tokens, quoted strings, parameters ---- */

/* True for the characters of an RFC 7230 token. */
static int mp_is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return 1;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return 1;
  return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Skips blanks (SP, HT). */
static const char *mp_skip_ows(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

/* Reads a token at *s into out (at most outlen-1 bytes). Returns its length,
** 0 when there is none or it is too long. */
static size_t mp_token(const char **s, char *out, size_t outlen) {
  size_t n = 0;
  const char *p = *s;
  while (mp_is_tchar((unsigned char)p[n])) n++;
  if (n == 0 || n >= outlen) return 0;
  memcpy(out, p, n);
  out[n] = 0;
  *s = p + n;
  return n;
}

/* Reads a parameter value at *s, a token or a quoted string, into val.
** Inside quotes, a backslash escapes only '"' and '\' (browsers send
** Windows paths unescaped); control characters other than HT are refused.
** Returns 0, or -1 when malformed. */
static int mp_param_value(const char **s, buf *val) {
  const char *p = *s;
  buf_reset(val);
  if (*p != '"') {
    size_t n = 0;
    while (p[n] && p[n] != ';' && p[n] != ' ' && p[n] != '\t') {
      unsigned char c = (unsigned char)p[n];
      if (c < 0x20 || c == 0x7f || c == '"') return -1;
      n++;
    }
    if (n == 0) return -1;
    buf_append(val, p, n);
    *s = p + n;
    return 0;
  }
  for (p++;; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == 0) return -1;
    if (c == '"') break;
    if (c == '\\' && (p[1] == '"' || p[1] == '\\')) c = (unsigned char)*++p;
    else if ((c < 0x20 && c != '\t') || c == 0x7f) return -1;
    buf_putc(val, (char)c);
  }
  *s = p + 1;
  if (!val->data) buf_puts(val, "");
  return 0;
}

/* Reads the next "; name=value" at *s. Returns 1 with name (lower-cased)
** and val set, 0 at the end of the value, -1 when malformed. */
static int mp_param_next(const char **s, char *name, size_t namelen, buf *val) {
  const char *p = mp_skip_ows(*s);
  if (*p == 0) return 0;
  if (*p != ';') return -1;
  p = mp_skip_ows(p + 1);
  if (*p == 0) return 0; /* a trailing ';' */
  if (!mp_token(&p, name, namelen)) return -1;
  for (char *c = name; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
  p = mp_skip_ows(p);
  if (*p != '=') return -1;
  p = mp_skip_ows(p + 1);
  if (mp_param_value(&p, val) < 0) return -1;
  *s = p;
  return 1;
}

/* True when b is a boundary RFC 2046 allows: 1 to 70 of its bchars, not
** ending in a space. */
static int mp_boundary_ok(const char *b, size_t n) {
  if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ') return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)b[i];
    int ok = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
             strchr("'()+_,-./:=? ", c) != NULL;
    if (!ok || c == 0) return 0;
  }
  return 1;
}

/* Finds the boundary in a Content-Type value and stores the delimiter in m.
** Returns 0, or a reason for refusing the value. */
static const char *mp_content_type(multipart *m, const char *ct) {
  if (!ct || !*ct) return "the request has no Content-Type";
  if (strlen(ct) > MP_CONTENT_TYPE_MAX) return "the Content-Type is too long";
  const char *p = mp_skip_ows(ct);
  static const char type[] = "multipart/form-data";
  if (strncasecmp(p, type, sizeof type - 1) != 0 || mp_is_tchar((unsigned char)p[sizeof type - 1]))
    return "the body is not multipart/form-data";
  p += sizeof type - 1;
  char name[32];
  buf val = {0};
  const char *why = "the Content-Type has no boundary";
  int r;
  while ((r = mp_param_next(&p, name, sizeof name, &val)) == 1) {
    if (strcmp(name, "boundary") != 0) continue;
    if (m->dlen) {
      why = "the Content-Type has two boundaries";
      r = -2;
      break;
    }
    if (!mp_boundary_ok(val.data, val.len)) {
      why = "the boundary is not 1 to 70 allowed characters";
      r = -2;
      break;
    }
    memcpy(m->delim, "\r\n--", 4);
    memcpy(m->delim + 4, val.data, val.len);
    m->dlen = 4 + val.len;
  }
  buf_free(&val);
  if (r == -1) return "the Content-Type parameters are malformed";
  if (r == -2) return why;
  return m->dlen ? NULL : why;
}

/* ---- parts ---- */

/* The reason given when memory runs out while reading headers. */
static const char mp_oom[] = "out of memory";

/* Parses a Content-Disposition value into part p (the caller checks that
** it gave the part a name). Returns NULL or a reason. */
static const char *mp_disposition(mp_part *p, const char *v) {
  const char *s = mp_skip_ows(v);
  static const char fd[] = "form-data";
  if (strncasecmp(s, fd, sizeof fd - 1) != 0 || mp_is_tchar((unsigned char)s[sizeof fd - 1]))
    return "a part's Content-Disposition is not form-data";
  s += sizeof fd - 1;
  char name[32];
  buf val = {0};
  int r;
  const char *why = NULL;
  while (!why && (r = mp_param_next(&s, name, sizeof name, &val)) == 1) {
    char **slot = !strcmp(name, "name") ? &p->name : !strcmp(name, "filename") ? &p->filename : NULL;
    if (!slot) continue; /* filename* and others: RFC 7578 senders do not use them */
    if (*slot) why = "a part's Content-Disposition repeats a parameter";
    else if (memchr(val.data, 0, val.len)) why = "a part's name holds a NUL byte";
    else if (!(*slot = strdup(buf_str(&val)))) why = mp_oom;
  }
  buf_free(&val);
  if (why) return why;
  return r < 0 ? "a part's Content-Disposition is malformed" : NULL;
}

/* Parses one header line (without its CRLF) into part p. Returns NULL or a
** reason. */
static const char *mp_header_line(mp_part *p, char *line, int *has_disposition) {
  if (*line == ' ' || *line == '\t') return "a part's headers are folded";
  char *colon = strchr(line, ':');
  if (!colon || colon == line) return "a part's header line is malformed";
  for (char *c = line; c < colon; c++)
    if (!mp_is_tchar((unsigned char)*c)) return "a part's header name is malformed";
  *colon = 0;
  char *v = (char *)mp_skip_ows(colon + 1);
  size_t vl = strlen(v);
  while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) v[--vl] = 0;
  for (size_t i = 0; i < vl; i++) {
    unsigned char c = (unsigned char)v[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f) return "a part's header holds a control character";
  }
  if (!strcasecmp(line, "content-disposition")) {
    if ((*has_disposition)++) return "a part has two Content-Disposition headers";
    return mp_disposition(p, v);
  }
  if (!strcasecmp(line, "content-type")) {
    if (p->content_type) return "a part has two Content-Type headers";
    p->content_type = strdup(v);
    return p->content_type ? NULL : mp_oom;
  }
  if (!strcasecmp(line, "content-transfer-encoding")) {
    if (strcasecmp(v, "binary") && strcasecmp(v, "8bit") && strcasecmp(v, "7bit"))
      return "a part's Content-Transfer-Encoding is not supported";
  }
  return NULL;
}

/* Makes the temporary file of file part p in m's folder. Returns 0 or -1. */
static int mp_part_open_file(multipart *m, mp_part *p) {
  size_t n = strlen(m->dir) + sizeof "/upload-XXXXXX";
  p->path = malloc(n);
  if (!p->path) return mp_fail(m, -1, "out of memory");
  snprintf(p->path, n, "%s/upload-XXXXXX", m->dir);
  p->fd = mkostemp(p->path, O_CLOEXEC);
  if (p->fd < 0) {
    int e = errno;
    free(p->path);
    p->path = NULL;
    return mp_fail(m, -1, "cannot create a file for the upload: %s", strerror(e));
  }
  return 0;
}

/* Parses the complete header block in m->hdr (ending in CRLF CRLF, or a
** lone CRLF) into the part just added, and opens its file when it is one.
** Returns 0 or a failure. */
static int mp_headers_done(multipart *m) {
  mp_part *p = &m->parts[m->nparts - 1];
  char *s = m->hdr.data;
  size_t len = m->hdr.len - 2; /* drop the CRLF that ends the block */
  s[len] = 0;
  if (memchr(s, 0, len)) return mp_fail(m, MULTIPART_MALFORMED, "a part's headers hold a NUL byte");
  int has_disposition = 0;
  char *line = s;
  while (*line) {
    char *end = strstr(line, "\r\n");
    if (!end) return mp_fail(m, MULTIPART_MALFORMED, "a part's header line is malformed");
    *end = 0;
    if (strchr(line, '\r') || strchr(line, '\n'))
      return mp_fail(m, MULTIPART_MALFORMED, "a part's header line holds a bare CR or LF");
    const char *why = mp_header_line(p, line, &has_disposition);
    if (why) return mp_fail(m, why == mp_oom ? -1 : MULTIPART_MALFORMED, "%s", why);
    line = end + 2;
  }
  if (!p->name || !*p->name) return mp_fail(m, MULTIPART_MALFORMED, "a part has no name");
  if (!p->content_type) p->content_type = strdup("");
  if (!p->content_type) return mp_fail(m, -1, "out of memory");
  if (p->filename) return mp_part_open_file(m, p);
  return 0;
}

/* Starts a new part after a delimiter. Returns 0 or a failure. */
static int mp_part_begin(multipart *m) {
  if (m->nparts >= m->lim.parts)
    return mp_fail(m, MULTIPART_MALFORMED, "the body has more than %zu parts", m->lim.parts);
  if (m->nparts == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 4;
    mp_part *np = realloc(m->parts, cap * sizeof *np);
    if (!np) return mp_fail(m, -1, "out of memory");
    m->parts = np;
    m->cap = cap;
  }
  m->parts[m->nparts++] = (mp_part){.fd = -1};
  buf_reset(&m->hdr);
  m->state = MP_HEADERS;
  return 0;
}

/* Writes out the gathered file bytes. Returns 0 or a failure. */
static int mp_flush(multipart *m, mp_part *p) {
  size_t off = 0;
  while (off < m->wlen) {
    ssize_t w = write(p->fd, m->wbuf + off, m->wlen - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return mp_fail(m, -1, "cannot write the upload: %s", w < 0 ? strerror(errno) : "no space");
    off += (size_t)w;
  }
  m->wlen = 0;
  return 0;
}

/* Ends the current part at a delimiter. Returns 0 or a failure. */
static int mp_part_end(multipart *m) {
  mp_part *p = &m->parts[m->nparts - 1];
  if (!p->filename) {
    if (!p->value.data) buf_puts(&p->value, "");
    return 0;
  }
  if (mp_flush(m, p)) return m->result;
  if (close(p->fd) < 0) {
    p->fd = -1;
    return mp_fail(m, -1, "cannot write the upload: %s", strerror(errno));
  }
  p->fd = -1;
  return 0;
}

/* Takes n bytes of content: ignored before the first part, else the current
** part's. Returns 0 or a failure. */
static int mp_emit(multipart *m, const char *d, size_t n) {
  if (m->state == MP_PREAMBLE) {
    m->ignored += n;
    if (m->ignored > MP_PREAMBLE_MAX)
      return mp_fail(m, MULTIPART_MALFORMED, "the body does not start with its boundary");
    return 0;
  }
  mp_part *p = &m->parts[m->nparts - 1];
  if (!p->filename) {
    if (n > m->lim.text_bytes - m->text_total)
      return mp_fail(m, MULTIPART_TOO_LARGE, "the text fields pass %zu bytes", m->lim.text_bytes);
    m->text_total += n;
    buf_append(&p->value, d, n);
    return 0;
  }
  if (n > m->lim.file_bytes - m->file_total)
    return mp_fail(m, MULTIPART_TOO_LARGE, "the files pass the limit of %llu bytes",
                   (unsigned long long)m->lim.file_bytes);
  m->file_total += n;
  p->size += n;
  if (m->wlen + n > MP_WRITE_BUF && mp_flush(m, p)) return m->result;
  if (n >= MP_WRITE_BUF) {
    size_t off = 0;
    while (off < n) {
      ssize_t w = write(p->fd, d + off, n - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return mp_fail(m, -1, "cannot write the upload: %s", w < 0 ? strerror(errno) : "no space");
      off += (size_t)w;
    }
    return 0;
  }
  memcpy(m->wbuf + m->wlen, d, n);
  m->wlen += n;
  return 0;
}

/* Scans content (preamble or a part's) for the delimiter, passing the
** content on to mp_emit. Sets *used to the bytes consumed. Returns 1 when a
** whole delimiter was matched, 0 when the input ran out, or a failure. */
static int mp_scan(multipart *m, const char *d, size_t n, size_t *used) {
  size_t i = 0;
  while (i < n) {
    if (m->match == 0) {
      const char *cr = memchr(d + i, '\r', n - i);
      size_t upto = cr ? (size_t)(cr - d) : n;
      if (upto > i && mp_emit(m, d + i, upto - i)) return m->result;
      i = upto;
      if (!cr) break;
      m->match = 1;
      i++;
      continue;
    }
    if (d[i] == m->delim[m->match]) {
      i++;
      if (++m->match == m->dlen) {
        m->match = 0;
        *used = i;
        return 1;
      }
      continue;
    }
    /* The partial match was content after all: hand it on and look at this
    ** byte afresh (it may be the CR of a new match). */
    size_t k = m->match;
    m->match = 0;
    if (mp_emit(m, m->delim, k)) return m->result;
  }
  *used = i;
  return 0;
}

/* Reads the header block byte by byte. Sets *used. Returns 1 when the block
** is complete, 0 when the input ran out, or a failure. */
static int mp_scan_headers(multipart *m, const char *d, size_t n, size_t *used) {
  for (size_t i = 0; i < n; i++) {
    if (m->hdr.len >= m->lim.header_bytes)
      return mp_fail(m, MULTIPART_MALFORMED, "a part's headers pass %zu bytes", m->lim.header_bytes);
    buf_putc(&m->hdr, d[i]);
    size_t l = m->hdr.len;
    const char *h = m->hdr.data;
    if ((l == 2 && h[0] == '\r' && h[1] == '\n') ||
        (l >= 4 && !memcmp(h + l - 4, "\r\n\r\n", 4))) {
      *used = i + 1;
      return 1;
    }
  }
  *used = n;
  return 0;
}

/* Handles one byte after a delimiter. Returns 0 or a failure. */
static int mp_after_delim(multipart *m, char c) {
  switch (m->state) {
  case MP_DELIM:
    if (c == '-') m->state = MP_DASH;
    else if (c == '\r') m->state = MP_PADDING_CR;
    else if (c == ' ' || c == '\t') {
      m->state = MP_PADDING;
      m->ignored = 1;
    } else return mp_fail(m, MULTIPART_MALFORMED, "a boundary is followed by other text");
    return 0;
  case MP_DASH:
    if (c != '-') return mp_fail(m, MULTIPART_MALFORMED, "a boundary is followed by other text");
    m->state = MP_EPILOGUE;
    m->ignored = 0;
    return 0;
  case MP_PADDING:
    if (c == '\r') m->state = MP_PADDING_CR;
    else if ((c != ' ' && c != '\t') || ++m->ignored > MP_PADDING_MAX)
      return mp_fail(m, MULTIPART_MALFORMED, "a boundary is followed by other text");
    return 0;
  default: /* MP_PADDING_CR */
    if (c != '\n') return mp_fail(m, MULTIPART_MALFORMED, "a boundary is followed by other text");
    return mp_part_begin(m);
  }
}

int multipart_feed(multipart *m, const void *data, size_t n) {
  const char *d = data;
  if (m->result) return m->result;
  while (n > 0) {
    size_t used = 0;
    int r = 0;
    switch (m->state) {
    case MP_PREAMBLE:
    case MP_BODY:
      r = mp_scan(m, d, n, &used);
      if (r == 1) {
        if (m->state == MP_BODY && mp_part_end(m)) return m->result;
        m->state = MP_DELIM;
        r = 0;
      }
      break;
    case MP_HEADERS:
      r = mp_scan_headers(m, d, n, &used);
      if (r == 1) {
        if (mp_headers_done(m)) return m->result;
        m->state = MP_BODY;
        m->match = 0;
        r = 0;
      }
      break;
    case MP_EPILOGUE:
      m->ignored += n;
      if (m->ignored > MP_EPILOGUE_MAX)
        return mp_fail(m, MULTIPART_MALFORMED, "too much data after the final boundary");
      used = n;
      break;
    default:
      r = mp_after_delim(m, *d);
      used = 1;
      break;
    }
    if (r) return m->result ? m->result : r;
    d += used;
    n -= used;
  }
  return 0;
}

int multipart_finish(multipart *m) {
  if (m->result) return m->result;
  if (m->done) return 0;
  if (m->state != MP_EPILOGUE)
    return mp_fail(m, MULTIPART_MALFORMED, "the body ends before its final boundary");
  m->fields = calloc(m->nparts + 1, sizeof *m->fields);
  m->files = calloc(m->nparts + 1, sizeof *m->files);
  if (!m->fields || !m->files) return mp_fail(m, -1, "out of memory");
  for (size_t i = 0; i < m->nparts; i++) {
    mp_part *p = &m->parts[i];
    if (p->filename)
      m->files[m->nfiles++] = (multipart_file){p->name, p->filename, p->content_type, p->path, p->size};
    else
      m->fields[m->nfields++] = (multipart_field){p->name, p->value.data, p->value.len};
  }
  m->done = 1;
  return 0;
}

int multipart_open(multipart **out, const char *content_type, const char *dir,
                   const multipart_limits *limits, char *err, size_t errlen) {
  *out = NULL;
  if (!dir || strlen(dir) > 4000) {
    mp_say(err, errlen, "the upload folder's name is too long");
    return -1;
  }
  multipart *m = calloc(1, sizeof *m);
  if (!m || !(m->dir = strdup(dir)) || !(m->wbuf = malloc(MP_WRITE_BUF))) {
    multipart_close(m);
    mp_say(err, errlen, "out of memory");
    return -1;
  }
  if (limits) m->lim = *limits;
  if (!m->lim.file_bytes) m->lim.file_bytes = MULTIPART_DEFAULT_FILE_BYTES;
  if (!m->lim.text_bytes) m->lim.text_bytes = MULTIPART_DEFAULT_TEXT_BYTES;
  if (!m->lim.parts) m->lim.parts = MULTIPART_DEFAULT_PARTS;
  if (!m->lim.header_bytes) m->lim.header_bytes = MULTIPART_DEFAULT_HEADER_BYTES;
  const char *why = mp_content_type(m, content_type);
  if (why) {
    mp_say(err, errlen, "%s", why);
    multipart_close(m);
    return MULTIPART_MALFORMED;
  }
  m->state = MP_PREAMBLE;
  m->match = 2; /* the CRLF the body is taken to start with */
  *out = m;
  return 0;
}

const char *multipart_error(const multipart *m) { return m->err; }

size_t multipart_field_count(const multipart *m) { return m->nfields; }

const multipart_field *multipart_field_at(const multipart *m, size_t i) {
  return i < m->nfields ? &m->fields[i] : NULL;
}

size_t multipart_file_count(const multipart *m) { return m->nfiles; }

const multipart_file *multipart_file_at(const multipart *m, size_t i) {
  return i < m->nfiles ? &m->files[i] : NULL;
}

const char *multipart_field_get(const multipart *m, const char *name) {
  for (size_t i = 0; i < m->nfields; i++)
    if (!strcmp(m->fields[i].name, name)) return m->fields[i].value;
  return NULL;
}

const multipart_file *multipart_file_get(const multipart *m, const char *name) {
  for (size_t i = 0; i < m->nfiles; i++)
    if (!strcmp(m->files[i].name, name)) return &m->files[i];
  return NULL;
}

void multipart_file_keep(multipart *m, size_t i) {
  if (i >= m->nfiles) return;
  for (size_t k = 0; k < m->nparts; k++)
    if (m->parts[k].path && m->parts[k].path == m->files[i].path) m->parts[k].kept = 1;
}

void multipart_close(multipart *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nparts; i++) {
    mp_part *p = &m->parts[i];
    mp_part_discard(p);
    free(p->name);
    free(p->filename);
    free(p->content_type);
    buf_free(&p->value);
  }
  free(m->parts);
  buf_free(&m->hdr);
  free(m->fields);
  free(m->files);
  free(m->wbuf);
  free(m->dir);
  free(m);
}
