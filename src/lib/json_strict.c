/*
** json_strict.c: strict JSON to cJSON (see json_strict.h).
**
** A recursive descent parser over s[0..n), one function per production of
** RFC 8259. Every function that builds an item sets *item only on
** success; on failure it has freed what it built, so the caller frees
** nothing but its own tree. The names of the members of every object still
** open are kept on one stack (jparser.names); when an object closes, its
** segment of the stack is sorted and neighbours are compared, then popped.
*/
#include "json_strict.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Longest number accepted, in characters. */
#define JSON_STRICT_MAX_NUMBER 100

/* A member name of an open object, for the duplicate check. */
typedef struct jname {
  const char *name; /* the member item's string (owned by the tree) */
  size_t off;       /* offset of the name's opening quote */
} jname;

typedef struct jparser {
  const unsigned char *s;
  size_t n;
  size_t pos;             /* next byte to read */
  int depth, max_depth;   /* arrays and objects open; the most allowed */
  json_strict_error *err;
  buf str;                /* the string being decoded */
  jname *names;           /* names of the open objects, innermost last */
  size_t nnames, capnames;
} jparser;

static int parse_value(jparser *p, cJSON **item);

/* Records refusal kind at offset off with reason; returns kind. */
static int refuse(jparser *p, int kind, size_t off, const char *reason) {
  p->err->kind = kind;
  p->err->offset = off;
  p->err->reason = reason;
  return kind;
}

/* Records that memory ran out; returns -1. */
static int out_of_memory(jparser *p) {
  p->err->kind = -1;
  p->err->offset = p->pos;
  p->err->reason = "out of memory";
  return -1;
}

/* Moves past white space as RFC 8259 defines it. */
static void skip_ws(jparser *p) {
  while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                           p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
    p->pos++;
}

/* Refuses the byte at the current position (or the end) as unexpected,
** naming what was expected when want is not NULL. */
static int unexpected(jparser *p, const char *want) {
  if (p->pos >= p->n) return refuse(p, JSON_STRICT_SYNTAX, p->pos, "unexpected end of input");
  return refuse(p, JSON_STRICT_SYNTAX, p->pos, want ? want : "unexpected character");
}

/* Returns the length (2 to 4) of the well-formed multi-byte UTF-8
** character at s[0..n), or 0 when it is not one (overlong, surrogate,
** above U+10FFFF, truncated, a stray continuation byte). */
static size_t utf8_char(const unsigned char *s, size_t n) {
  unsigned c = s[0], min, cp;
  size_t need;
  if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; cp = c & 0x07; }
  else return 0;
  if (n <= need) return 0;
  for (size_t k = 1; k <= need; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return need + 1;
}

/* Appends code point cp (not a surrogate, at most U+10FFFF) as UTF-8. */
static void put_utf8(buf *b, unsigned cp) {
  char u[4];
  size_t len;
  if (cp < 0x80) { u[0] = (char)cp; len = 1; }
  else if (cp < 0x800) { u[0] = (char)(0xC0 | cp >> 6); len = 2; }
  else if (cp < 0x10000) { u[0] = (char)(0xE0 | cp >> 12); len = 3; }
  else { u[0] = (char)(0xF0 | cp >> 18); len = 4; }
  for (size_t k = len - 1; k > 0; k--, cp >>= 6) u[k] = (char)(0x80 | (cp & 0x3F));
  buf_append(b, u, len);
}

/* Returns the value of the four hex digits at s[i..i+4), or -1 when they
** are not four hex digits. */
static long hex4(const jparser *p, size_t i) {
  if (i > p->n || p->n - i < 4) return -1;
  long v = 0;
  for (size_t k = i; k < i + 4; k++) {
    unsigned c = p->s[k];
    int d = c >= '0' && c <= '9' ? (int)(c - '0')
            : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
            : c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10) : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Decodes the escape at the current position (a backslash) into p->str. */
static int parse_escape(jparser *p) {
  size_t at = p->pos;
  if (at + 1 >= p->n) return refuse(p, JSON_STRICT_SYNTAX, p->n, "unexpected end of input");
  const char *simple = strchr("\"\\/bfnrt", p->s[at + 1]);
  if (p->s[at + 1] && simple) {
    buf_putc(&p->str, "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"]);
    p->pos += 2;
    return 0;
  }
  if (p->s[at + 1] != 'u') return refuse(p, JSON_STRICT_BAD_STRING, at, "invalid escape");
  long cp = hex4(p, at + 2);
  if (cp < 0) return refuse(p, JSON_STRICT_BAD_STRING, at, "invalid \\u escape");
  p->pos = at + 6;
  if (cp == 0) return refuse(p, JSON_STRICT_BAD_STRING, at, "\\u0000 in a string");
  if (cp >= 0xDC00 && cp <= 0xDFFF)
    return refuse(p, JSON_STRICT_BAD_STRING, at, "unpaired surrogate escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    long lo = p->pos + 1 < p->n && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u'
                  ? hex4(p, p->pos + 2) : -1;
    if (lo < 0xDC00 || lo > 0xDFFF)
      return refuse(p, JSON_STRICT_BAD_STRING, at, "unpaired surrogate escape");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    p->pos += 6;
  }
  put_utf8(&p->str, (unsigned)cp);
  return 0;
}

/* Reads the string at the current position (a quote) into p->str. */
static int parse_string(jparser *p) {
  size_t start = p->pos++;
  buf_reset(&p->str);
  for (;;) {
    size_t run = p->pos;
    while (run < p->n && p->s[run] >= 0x20 && p->s[run] < 0x80 && p->s[run] != '"' &&
           p->s[run] != '\\')
      run++;
    buf_append(&p->str, (const char *)p->s + p->pos, run - p->pos);
    p->pos = run;
    if (p->pos >= p->n) return refuse(p, JSON_STRICT_SYNTAX, start, "unterminated string");
    unsigned c = p->s[p->pos];
    if (c == '"') {
      p->pos++;
      return 0;
    }
    if (c == '\\') {
      int rc = parse_escape(p);
      if (rc) return rc;
      continue;
    }
    if (c < 0x20)
      return refuse(p, JSON_STRICT_BAD_STRING, p->pos, "control character in a string");
    size_t len = utf8_char(p->s + p->pos, p->n - p->pos);
    if (!len) return refuse(p, JSON_STRICT_BAD_STRING, p->pos, "invalid UTF-8");
    buf_append(&p->str, (const char *)p->s + p->pos, len);
    p->pos += len;
  }
}

/* Moves past a run of decimal digits; returns how many there were. */
static size_t skip_digits(jparser *p) {
  size_t from = p->pos;
  while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
  return p->pos - from;
}

/* Reads the number at the current position (a minus or a digit). */
static int parse_number(jparser *p, cJSON **item) {
  size_t start = p->pos;
  if (p->s[p->pos] == '-') p->pos++;
  if (p->pos < p->n && p->s[p->pos] == '0') p->pos++;
  else if (skip_digits(p) == 0) return unexpected(p, "invalid number");
  if (p->pos < p->n && p->s[p->pos] == '.') {
    p->pos++;
    if (skip_digits(p) == 0) return unexpected(p, "invalid number");
  }
  if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
    p->pos++;
    if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-')) p->pos++;
    if (skip_digits(p) == 0) return unexpected(p, "invalid number");
  }
  size_t len = p->pos - start;
  if (len > JSON_STRICT_MAX_NUMBER)
    return refuse(p, JSON_STRICT_BAD_NUMBER, start, "number too long");
  char text[JSON_STRICT_MAX_NUMBER + 1];
  memcpy(text, p->s + start, len);
  text[len] = 0;
  double d = strtod(text, NULL);
  if (!isfinite(d)) return refuse(p, JSON_STRICT_BAD_NUMBER, start, "number out of range");
  *item = cJSON_CreateNumber(d);
  return *item ? 0 : out_of_memory(p);
}

/* Reads the literal word (true, false or null) at the current position. */
static int parse_literal(jparser *p, const char *word, cJSON **item) {
  for (const char *w = word; *w; w++, p->pos++)
    if (p->pos >= p->n || p->s[p->pos] != (unsigned char)*w) return unexpected(p, NULL);
  *item = word[0] == 't' ? cJSON_CreateTrue() : word[0] == 'f' ? cJSON_CreateFalse()
                                                               : cJSON_CreateNull();
  return *item ? 0 : out_of_memory(p);
}

/* Enters an array or object at the current position, within the depth
** limit. */
static int enter(jparser *p) {
  if (p->depth >= p->max_depth)
    return refuse(p, JSON_STRICT_TOO_DEEP, p->pos, "nested too deeply");
  p->depth++;
  p->pos++;
  return 0;
}

/* Reads the array at the current position (a '['). */
static int parse_array(jparser *p, cJSON **item) {
  int rc = enter(p);
  if (rc) return rc;
  cJSON *arr = cJSON_CreateArray();
  if (!arr) return out_of_memory(p);
  skip_ws(p);
  if (p->pos < p->n && p->s[p->pos] == ']') {
    p->pos++;
  } else {
    for (;;) {
      cJSON *v = NULL;
      if ((rc = parse_value(p, &v)) != 0) break;
      cJSON_AddItemToArray(arr, v);
      skip_ws(p);
      if (p->pos < p->n && p->s[p->pos] == ',') {
        p->pos++;
        continue;
      }
      if (p->pos < p->n && p->s[p->pos] == ']') {
        p->pos++;
        break;
      }
      rc = unexpected(p, "expected ',' or ']'");
      break;
    }
  }
  if (rc) {
    cJSON_Delete(arr);
    return rc;
  }
  p->depth--;
  *item = arr;
  return 0;
}

/* Orders member names by text, then by offset. */
static int jname_cmp(const void *a, const void *b) {
  const jname *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* Refuses the members named since names[base] if two share a name,
** pointing at the second use of the first repeated name; then pops them. */
static int check_names(jparser *p, size_t base) {
  size_t k = p->nnames - base, first = SIZE_MAX;
  jname *v = k > 1 ? p->names + base : NULL;
  if (k > 1) qsort(v, k, sizeof *v, jname_cmp);
  for (size_t i = 1; i < k; i++)
    if (v[i].off < first && strcmp(v[i - 1].name, v[i].name) == 0) first = v[i].off;
  p->nnames = base;
  if (first != SIZE_MAX) return refuse(p, JSON_STRICT_DUPLICATE, first, "duplicate member name");
  return 0;
}

/* Pushes the member name of item, whose name began at off. */
static int push_name(jparser *p, const cJSON *item, size_t off) {
  if (p->nnames == p->capnames) {
    size_t cap = p->capnames ? p->capnames * 2 : 16;
    jname *v = realloc(p->names, cap * sizeof *v);
    if (!v) return out_of_memory(p);
    p->names = v;
    p->capnames = cap;
  }
  p->names[p->nnames++] = (jname){item->string, off};
  return 0;
}

/* Reads one "name": value member into obj. */
static int parse_member(jparser *p, cJSON *obj) {
  skip_ws(p);
  if (p->pos >= p->n || p->s[p->pos] != '"') return unexpected(p, "expected a member name");
  size_t off = p->pos;
  int rc = parse_string(p);
  if (rc) return rc;
  skip_ws(p);
  if (p->pos >= p->n || p->s[p->pos] != ':') return unexpected(p, "expected ':'");
  p->pos++;
  /* The value's strings reuse p->str, so the name is copied first. */
  char *name = malloc(p->str.len + 1);
  if (!name) return out_of_memory(p);
  memcpy(name, buf_str(&p->str), p->str.len + 1);
  cJSON *v = NULL;
  rc = parse_value(p, &v);
  if (rc == 0 && !cJSON_AddItemToObject(obj, name, v)) {
    cJSON_Delete(v);
    rc = out_of_memory(p);
  }
  free(name);
  return rc ? rc : push_name(p, v, off);
}

/* Reads the object at the current position (a '{'). */
static int parse_object(jparser *p, cJSON **item) {
  int rc = enter(p);
  if (rc) return rc;
  cJSON *obj = cJSON_CreateObject();
  if (!obj) return out_of_memory(p);
  size_t base = p->nnames;
  skip_ws(p);
  if (p->pos < p->n && p->s[p->pos] == '}') {
    p->pos++;
  } else {
    for (;;) {
      if ((rc = parse_member(p, obj)) != 0) break;
      skip_ws(p);
      if (p->pos < p->n && p->s[p->pos] == ',') {
        p->pos++;
        continue;
      }
      if (p->pos < p->n && p->s[p->pos] == '}') {
        p->pos++;
        break;
      }
      rc = unexpected(p, "expected ',' or '}'");
      break;
    }
  }
  if (rc == 0) rc = check_names(p, base);
  if (rc) {
    cJSON_Delete(obj);
    return rc;
  }
  p->depth--;
  *item = obj;
  return 0;
}

/* Reads the value at the current position, after white space. */
static int parse_value(jparser *p, cJSON **item) {
  skip_ws(p);
  if (p->pos >= p->n) return unexpected(p, NULL);
  switch (p->s[p->pos]) {
    case '{':
      return parse_object(p, item);
    case '[':
      return parse_array(p, item);
    case '"': {
      int rc = parse_string(p);
      if (rc) return rc;
      *item = cJSON_CreateString(buf_str(&p->str));
      return *item ? 0 : out_of_memory(p);
    }
    case 't':
      return parse_literal(p, "true", item);
    case 'f':
      return parse_literal(p, "false", item);
    case 'n':
      return parse_literal(p, "null", item);
    default:
      if (p->s[p->pos] == '-' || (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
        return parse_number(p, item);
      return unexpected(p, NULL);
  }
}

int json_strict_parse(const char *s, size_t n, size_t max_bytes, int max_depth,
                      cJSON **out, json_strict_error *err) {
  jparser p = {(const unsigned char *)(s ? s : ""), s ? n : 0, 0, 0, max_depth,
               err, {0}, NULL, 0, 0};
  *out = NULL;
  err->kind = 0;
  err->offset = 0;
  err->reason = "";
  if (p.n > max_bytes) return refuse(&p, JSON_STRICT_TOO_LARGE, max_bytes, "input too large");
  cJSON *v = NULL;
  int rc = parse_value(&p, &v);
  if (rc == 0) {
    skip_ws(&p);
    if (p.pos < p.n) rc = refuse(&p, JSON_STRICT_TRAILING, p.pos, "data after the value");
  }
  buf_free(&p.str);
  free(p.names);
  if (rc) {
    cJSON_Delete(v);
    return rc;
  }
  *out = v;
  return 0;
}
