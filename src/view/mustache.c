/*
** mustache.c: a Mustache renderer over cJSON data (see mustache.h).
**
** A template is first parsed, in one pass, into a flat array of tokens that
** point into the source text: literal text, variables, and the openings of
** sections, partials, parents and blocks. Tokens with a body record the
** index just past their body, so rendering walks the array and skips bodies
** in O(1). Standalone lines are dropped at parse time; what is left of their
** whitespace is kept as an "indentation" slice for partials, parents and
** blocks, which the renderer applies to each output line.
**
** Rendering keeps everything on the C stack: the context stack, the
** indentation stack and the stack of block overrides are linked lists of
** frames owned by the calls that push them. The only heap memory is the
** token array of the template and a per-render cache of parsed partials.
**
** Inheritance follows the spec's rules for indentation: an argument block
** whose opening tag ends its line has "intrinsic indentation" (the leading
** whitespace of its first content line) that is removed from each of its
** lines, and the indentation of the site where it is expanded is added.
*/
#include "mustache.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Deepest nesting of sections, partials, parents and blocks at render. */
#define MUSTACHE_MAX_DEPTH 64

/* Longest partial or parent name. */
#define MUSTACHE_MAX_NAME 255

/* Token kinds. */
enum {
  TK_TEXT,     /* literal text src[off, off+len) */
  TK_VAR,      /* {{name}}, escaped */
  TK_RAW,      /* {{{name}}} or {{&name}} */
  TK_SECTION,  /* {{#name}} ... {{/name}} */
  TK_INVERTED, /* {{^name}} ... {{/name}} */
  TK_PARTIAL,  /* {{>name}} */
  TK_PARENT,   /* {{<name}} ... {{/name}} */
  TK_BLOCK     /* {{$name}} ... {{/name}} */
};

/* Token flags. */
#define TF_BOL 0x01        /* text: starts at the beginning of a source line */
#define TF_STANDALONE 0x02 /* tag (or parent pair) line was removed */
#define TF_PAIR 0x04       /* block site: opening and closing tags clear the line */
#define TF_ARG 0x08        /* block: an argument directly inside a parent */
#define TF_DEDENT 0x10     /* argument: aux slice is indentation to remove */
#define TF_INTRINSIC 0x20  /* block site: aux slice is its default's indentation */
#define TF_LCLEAR 0x40     /* opening tag has only whitespace before it */

#define NO_TOKEN SIZE_MAX

typedef struct tok {
  unsigned char kind;
  unsigned char flags;
  unsigned line;   /* source line of the tag, for messages */
  size_t off, len; /* text, or the tag's name */
  size_t end;      /* tokens with a body: index just past the body */
  size_t ind;      /* start of the whitespace before the tag */
  size_t nind;     /* its length */
  size_t aux;      /* block: content start, then intrinsic indentation */
  size_t naux;
} tok;

typedef struct mustache_tmpl {
  const char *src;
  size_t n;
  const char *name; /* partial name for messages, NULL for the template */
  size_t nname;
  tok *v;
  size_t len, cap;
  char *own_name;   /* compiled templates: the name, owned */
} tmpl;

typedef struct parser {
  tmpl *t;
  const char *otag, *ctag; /* current delimiters */
  size_t notag, nctag;
  size_t pos;              /* first source byte not yet consumed */
  unsigned line;           /* line number at pos */
  size_t open;             /* innermost open token, or NO_TOKEN */
  char *err;
  size_t errlen;
} parser;

/* A context stack frame. */
typedef struct ctx {
  const cJSON *v;
  const struct ctx *up;
} ctx;

/* An indentation stack frame: output lines start with every piece, outer
** pieces first. */
typedef struct indent {
  const char *p;
  size_t n;
  const struct indent *up;
} indent;

/* The arguments of one parent tag: the blocks among tokens [first, end) of
** t. outer is the scope in effect where the parent tag appears; outer
** scopes take precedence. */
typedef struct scope {
  const tmpl *t;
  size_t first, end;
  const struct scope *outer;
} scope;

/* Where the renderer is: template, context, overrides, indentation. */
typedef struct frame {
  const tmpl *t;
  const ctx *data;
  const scope *blocks;
  const char *ded; /* indentation removed at the start of source lines */
  size_t nded;
  const indent *ind;
  int depth;
} frame;

typedef struct pentry {
  const char *name;
  size_t n;
  tmpl *t; /* NULL when the partial does not exist */
} pentry;

/* A remembered look-up: the member named s (a name inside a template's
** source) of object o, or NULL when it has none. */
typedef struct memo {
  const cJSON *o;
  const char *s;
  const cJSON *v;
} memo;

enum { MEMO_SLOTS = 512 };

typedef struct render {
  buf *out;
  mustache_lookup_fn lookup; /* compiled partials, when given */
  mustache_partial_fn pfn;
  void *ud;
  char *err;
  size_t errlen;
  int bol; /* output is at the start of a line: indentation pending */
  size_t steps, out_start; /* tokens visited; out->len at the start */
  pentry *cache;
  size_t ncache, capcache;
  memo memo[MEMO_SLOTS]; /* look-ups in the data, which does not change while rendered */
} render;

static int render_range(render *r, const frame *fr, size_t i, size_t end);

/* Reallocates p to n bytes; aborts when memory is exhausted, as buf does. */
static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) abort();
  return q;
}

/* Writes "[partial 'x', ]line N: message" into err, unless err already
** holds a message. */
static void report(char *err, size_t errlen, const tmpl *t, unsigned line,
                   const char *fmt, ...) {
  if (!err || errlen == 0 || err[0]) return;
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (t && t->name) {
    int nn = t->nname > 64 ? 64 : (int)t->nname;
    snprintf(err, errlen, "partial '%.*s', line %u: %s", nn, t->name, line,
             msg);
  } else {
    snprintf(err, errlen, "line %u: %s", line, msg);
  }
}

/* Returns true for the whitespace allowed around standalone tags. */
static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Returns true for any whitespace inside a tag. */
static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* Returns the number of newlines in s[0, n). */
static unsigned count_lines(const char *s, size_t n) {
  unsigned k = 0;
  const char *e = s + n;
  while (s < e && (s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
    k++;
    s++;
  }
  return k;
}

/* Returns true when tokens of kind k have a body. */
static int has_body(unsigned char k) {
  return k == TK_SECTION || k == TK_INVERTED || k == TK_PARENT ||
         k == TK_BLOCK;
}

/* Returns the index of the token after token i and its body. */
static size_t tok_next(const tmpl *t, size_t i) {
  return has_body(t->v[i].kind) ? t->v[i].end : i + 1;
}

/* ---- parsing ----------------------------------------------------------- */

/* Appends a zeroed token of kind k at line and returns its index. */
static size_t parse_push(parser *p, unsigned char k, unsigned line) {
  tmpl *t = p->t;
  if (t->len == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 32;
    t->v = xrealloc(t->v, t->cap * sizeof *t->v);
  }
  tok *x = &t->v[t->len];
  memset(x, 0, sizeof *x);
  x->kind = k;
  x->line = line;
  return t->len++;
}

/* Returns true when the innermost open token is a parent, whose literal
** text is ignored. */
static int in_parent(const parser *p) {
  return p->open != NO_TOKEN && p->t->v[p->open].kind == TK_PARENT;
}

/* Adds literal text src[a, b) unless it is empty or inside a parent. */
static void parse_text(parser *p, size_t a, size_t b) {
  if (b <= a || in_parent(p)) return;
  size_t i = parse_push(p, TK_TEXT, p->line);
  tok *x = &p->t->v[i];
  x->off = a;
  x->len = b - a;
  if (a == 0 || p->t->src[a - 1] == '\n') x->flags |= TF_BOL;
}

/* Finds the end of a tag whose content starts at q: the current closing
** delimiter, preceded by lead when lead is not 0. Returns the offset of the
** content's end (before lead) and sets *te past the delimiter, or returns
** NO_TOKEN when the tag is not closed. */
static size_t parse_close(const parser *p, size_t q, char lead, size_t *te) {
  const char *s = p->t->src;
  size_t n = p->t->n;
  size_t from = q;
  for (;;) {
    const char *c = memmem(s + from, n - from, p->ctag, p->nctag);
    if (!c) return NO_TOKEN;
    size_t at = (size_t)(c - s);
    if (!lead) {
      *te = at + p->nctag;
      return at;
    }
    if (at > q && s[at - 1] == lead) {
      *te = at + p->nctag;
      return at - 1;
    }
    from = at + 1;
  }
}

/* Applies a set-delimiter tag whose content is src[a, b). Returns 0, or -1
** after reporting a malformed change. */
static int parse_delims(parser *p, size_t a, size_t b, unsigned line) {
  const char *s = p->t->src;
  while (a < b && is_space(s[a])) a++;
  while (b > a && is_space(s[b - 1])) b--;
  size_t m = a;
  while (m < b && !is_space(s[m])) m++;
  size_t c = m;
  while (c < b && is_space(s[c])) c++;
  size_t k = c;
  while (k < b && !is_space(s[k])) k++;
  if (m == a || c == b || k != b) {
    report(p->err, p->errlen, p->t, line,
           "bad delimiter change (expected two delimiters)");
    return -1;
  }
  p->otag = s + a;
  p->notag = m - a;
  p->ctag = s + c;
  p->nctag = b - c;
  return 0;
}

/* Checks that a tag name src[a, b) is not empty and has no whitespace. */
static int parse_name_ok(parser *p, size_t a, size_t b, unsigned line) {
  const char *s = p->t->src;
  if (a == b) {
    report(p->err, p->errlen, p->t, line, "empty tag name");
    return 0;
  }
  for (size_t i = a; i < b; i++) {
    if (is_space(s[i])) {
      int n = b - a > 64 ? 64 : (int)(b - a);
      report(p->err, p->errlen, p->t, line, "bad tag name '%.*s'", n, s + a);
      return 0;
    }
  }
  return 1;
}

/* Opens a token with a body; the open chain is kept in the end fields. */
static size_t parse_open(parser *p, unsigned char k, unsigned line, size_t a,
                         size_t b) {
  size_t i = parse_push(p, k, line);
  tok *x = &p->t->v[i];
  x->off = a;
  x->len = b - a;
  x->end = p->open;
  p->open = i;
  return i;
}

/* Handles a closing tag named src[a, b) spanning [ts, te). ls is the start
** of its line's leading whitespace (valid when lclear), after is where the
** line ends (valid when rclear). Returns 0 or -1 on a mismatch. */
static int parse_end(parser *p, size_t a, size_t b, unsigned line, size_t ts,
                     size_t te, size_t ls, int lclear, int rclear,
                     size_t after) {
  tmpl *t = p->t;
  const char *s = t->src;
  if (p->open == NO_TOKEN) {
    int n = b - a > 64 ? 64 : (int)(b - a);
    report(p->err, p->errlen, t, line, "closing tag '%.*s' without opening",
           n, s + a);
    return -1;
  }
  tok *o = &t->v[p->open];
  if (o->len != b - a || memcmp(s + o->off, s + a, b - a) != 0) {
    int n = b - a > 64 ? 64 : (int)(b - a);
    int on = o->len > 64 ? 64 : (int)o->len;
    report(p->err, p->errlen, t, line,
           "closing tag '%.*s' does not match '%.*s' opened on line %u", n,
           s + a, on, s + o->off, o->line);
    return -1;
  }
  if (o->kind == TK_PARENT) {
    if ((o->flags & TF_LCLEAR) && rclear) {
      /* A standalone parent pair: its indentation becomes the parent's. */
      o->flags |= TF_STANDALONE;
      size_t pi = p->open;
      if (o->nind && pi > 0 && t->v[pi - 1].kind == TK_TEXT &&
          t->v[pi - 1].off + t->v[pi - 1].len == o->ind + o->nind)
        t->v[pi - 1].len -= o->nind;
      p->pos = after;
    } else {
      p->pos = te;
    }
  } else if (o->flags & TF_ARG) {
    /* An argument's closing tag keeps the newline before it. */
    parse_text(p, p->pos, lclear ? ls : ts);
    p->pos = te;
  } else {
    int alone = lclear && rclear;
    size_t cend = alone ? ls : ts;
    parse_text(p, p->pos, cend);
    p->pos = alone ? after : te;
    o = &t->v[p->open];
    if (o->kind == TK_BLOCK && (o->flags & TF_STANDALONE) && cend > o->aux) {
      size_t w = o->aux;
      while (w < cend && is_blank(s[w])) w++;
      o->naux = w - o->aux;
      o->flags |= TF_INTRINSIC;
    } else if (o->kind == TK_BLOCK && !(o->flags & TF_STANDALONE) &&
               (o->flags & TF_LCLEAR) && rclear && !alone) {
      o->flags |= TF_PAIR;
    }
  }
  o = &t->v[p->open]; /* parse_text may have moved the array */
  size_t up = o->end;
  o->end = t->len;
  p->open = up;
  return 0;
}

/* Parses one tag that starts at ts. Returns 0, or -1 after reporting. */
static int parse_tag(parser *p, size_t ts) {
  tmpl *t = p->t;
  const char *s = t->src;
  size_t n = t->n;
  unsigned line = p->line;
  size_t q = ts + p->notag;
  char type = q < n ? s[q] : 0;
  if (type && strchr("#^/>!&{=<$", type))
    q++;
  else
    type = 0;
  char lead = type == '{' ? '}' : type == '=' ? '=' : 0;
  size_t te = 0;
  size_t ce = parse_close(p, q, lead, &te);
  if (ce == NO_TOKEN) {
    report(p->err, p->errlen, t, line, "unclosed tag");
    return -1;
  }
  unsigned tag_lines = count_lines(s + ts, te - ts);

  /* Standalone: only whitespace around the tag on its line(s). */
  size_t ls = ts;
  while (ls > p->pos && is_blank(s[ls - 1])) ls--;
  int lclear = ls == 0 || s[ls - 1] == '\n';
  size_t re = te, after = te;
  while (re < n && is_blank(s[re])) re++;
  int rclear = 1;
  if (re == n)
    after = n;
  else if (s[re] == '\n')
    after = re + 1;
  else if (s[re] == '\r' && re + 1 < n && s[re + 1] == '\n')
    after = re + 2;
  else
    rclear = 0;

  size_t a = q, b = ce;
  while (a < b && is_space(s[a])) a++;
  while (b > a && is_space(s[b - 1])) b--;
  if (type != '!' && type != '=' && !parse_name_ok(p, a, b, line)) return -1;

  int alone = lclear && rclear && type && type != '&' && type != '{';
  int rc = 0;
  switch (type) {
    case 0:
    case '&':
    case '{': {
      parse_text(p, p->pos, ts);
      size_t i = parse_push(p, type ? TK_RAW : TK_VAR, line);
      t->v[i].off = a;
      t->v[i].len = b - a;
      p->pos = te;
      break;
    }
    case '!':
    case '=':
    case '#':
    case '^':
      parse_text(p, p->pos, alone ? ls : ts);
      p->pos = alone ? after : te;
      if (type == '=') rc = parse_delims(p, q, ce, line);
      if (type == '#' || type == '^') {
        size_t i = parse_open(p, type == '#' ? TK_SECTION : TK_INVERTED, line,
                              a, b);
        if (alone) t->v[i].flags |= TF_STANDALONE;
      }
      break;
    case '>': {
      parse_text(p, p->pos, alone ? ls : ts);
      size_t i = parse_push(p, TK_PARTIAL, line);
      tok *x = &t->v[i];
      x->off = a;
      x->len = b - a;
      if (alone) {
        x->flags |= TF_STANDALONE;
        x->ind = ls;
        x->nind = ts - ls;
      }
      p->pos = alone ? after : te;
      break;
    }
    case '<': {
      parse_text(p, p->pos, ts);
      size_t i = parse_open(p, TK_PARENT, line, a, b);
      if (lclear) {
        t->v[i].flags |= TF_LCLEAR;
        t->v[i].ind = ls;
        t->v[i].nind = ts - ls;
      }
      p->pos = te;
      break;
    }
    case '$':
      if (in_parent(p)) {
        size_t i = parse_open(p, TK_BLOCK, line, a, b);
        tok *x = &t->v[i];
        x->flags |= TF_ARG;
        p->pos = te;
        if (rclear) {
          /* The content starts on the next line; its first line's
          ** indentation is intrinsic and removed from every line. */
          size_t w = after;
          while (w < n && is_blank(s[w])) w++;
          x->flags |= TF_DEDENT;
          x->aux = after;
          x->naux = w - after;
          p->pos = after;
        }
      } else {
        parse_text(p, p->pos, alone ? ls : ts);
        size_t i = parse_open(p, TK_BLOCK, line, a, b);
        tok *x = &t->v[i];
        if (lclear) {
          x->flags |= alone ? TF_STANDALONE : TF_LCLEAR;
          x->ind = ls;
          x->nind = ts - ls;
        }
        x->aux = after;
        p->pos = alone ? after : te;
      }
      break;
    case '/':
      rc = parse_end(p, a, b, line, ts, te, ls, lclear, rclear, after);
      break;
  }
  p->line = line + tag_lines;
  if (p->pos > te) p->line += count_lines(s + te, p->pos - te);
  return rc;
}

/* Parses src into t (which must be zeroed). name is the partial's name, or
** NULL for the template itself. Returns 0, or -1 after writing a message. */
static int tmpl_parse(tmpl *t, const char *src, const char *name,
                      size_t nname, char *err, size_t errlen) {
  t->src = src;
  t->n = strlen(src);
  t->name = name;
  t->nname = nname;
  parser p = {t, "{{", "}}", 2, 2, 0, 1, NO_TOKEN, err, errlen};
  while (p.pos < t->n) {
    const char *o = memmem(src + p.pos, t->n - p.pos, p.otag, p.notag);
    if (!o) {
      parse_text(&p, p.pos, t->n);
      break;
    }
    size_t ts = (size_t)(o - src);
    p.line += count_lines(src + p.pos, ts - p.pos);
    if (parse_tag(&p, ts) != 0) return -1;
  }
  if (p.open != NO_TOKEN) {
    const tok *o = &t->v[p.open];
    int on = o->len > 64 ? 64 : (int)o->len;
    report(err, errlen, t, o->line, "unclosed section '%.*s'", on,
           src + o->off);
    return -1;
  }
  return 0;
}

/* ---- data -------------------------------------------------------------- */

/* Returns the member of object o named s[0, n), or NULL. */
static const cJSON *json_member(const cJSON *o, const char *s, size_t n) {
  if (n == 0 || !cJSON_IsObject(o)) return NULL;
  for (const cJSON *c = o->child; c; c = c->next) {
    /* The first byte first: most names differ there (the strings of a
    ** catalogue are some hundreds). */
    if (c->string && c->string[0] == s[0] && strncmp(c->string, s, n) == 0 && c->string[n] == 0)
      return c;
  }
  return NULL;
}

/* json_member(o, s, n), remembered in r for the rest of the render: a
** name at one place of a template is always of the same length, and the
** data does not change while it is rendered. The catalogue of strings
** (hundreds of members) and the page's top level are looked into again
** and again, once for each item of a list. */
static const cJSON *member_find(render *r, const cJSON *o, const char *s, size_t n) {
  if (!o) return NULL;
  size_t h = (((uintptr_t)o >> 4) ^ ((uintptr_t)s * 2654435761u)) % MEMO_SLOTS;
  memo *m = &r->memo[h];
  if (m->o == o && m->s == s) return m->v;
  const cJSON *v = json_member(o, s, n);
  *m = (memo){o, s, v};
  return v;
}

/* Resolves the (possibly dotted) name s[0, n) against the context stack c,
** as the spec says: the first part on the whole stack, the others each on
** the result before. Returns NULL when it does not resolve. */
static const cJSON *ctx_lookup(render *r, const ctx *c, const char *s, size_t n) {
  if (n == 1 && s[0] == '.') return c ? c->v : NULL;
  const char *dot = memchr(s, '.', n);
  size_t first = dot ? (size_t)(dot - s) : n;
  const cJSON *v = NULL;
  for (; c && !v; c = c->up) v = member_find(r, c->v, s, first);
  while (v && dot) {
    const char *part = dot + 1;
    size_t left = n - (size_t)(part - s);
    dot = memchr(part, '.', left);
    v = member_find(r, v, part, dot ? (size_t)(dot - part) : left);
  }
  return v;
}

/* Returns whether v counts as true for a section: not missing, false,
** null, an empty list, an empty string or zero (the spec's !!data). */
static int json_truthy(const cJSON *v) {
  if (!v || cJSON_IsFalse(v) || cJSON_IsNull(v) || cJSON_IsInvalid(v))
    return 0;
  if (cJSON_IsArray(v)) return v->child != NULL;
  if (cJSON_IsString(v)) return v->valuestring && v->valuestring[0];
  if (cJSON_IsNumber(v)) return v->valuedouble != 0;
  return 1;
}

/* Formats d into s (at least 32 bytes): integers without a fraction,
** others with the fewest digits that read back as the same double. */
static void format_number(double d, char *s, size_t n) {
  if (!isfinite(d)) {
    s[0] = 0;
  } else if (d == floor(d) && fabs(d) < 1e15) {
    /* Whole numbers (ids, counts, times), the most of them, by hand. */
    char digits[24];
    int k = 0;
    long long v = (long long)d;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
      digits[k++] = (char)('0' + u % 10);
      u /= 10;
    } while (u);
    size_t at = 0;
    if (v < 0 && at + 1 < n) s[at++] = '-';
    while (k > 0 && at + 1 < n) s[at++] = digits[--k];
    s[at] = 0;
  } else if (d == floor(d) && fabs(d) < 1e21) {
    snprintf(s, n, "%.0f", d == 0 ? 0.0 : d);
  } else {
    for (int prec = 1; prec <= 17; prec++) {
      snprintf(s, n, "%.*g", prec, d);
      if (strtod(s, NULL) == d) break;
    }
  }
}

/* ---- output ------------------------------------------------------------ */

/* Appends the indentation pieces of ind, outermost first. */
static void indent_write(buf *out, const indent *ind) {
  if (!ind) return;
  indent_write(out, ind->up);
  buf_append(out, ind->p, ind->n);
}

/* Writes the pending indentation, if the output is at a line start. */
static void out_line_start(render *r, const frame *fr) {
  if (r->bol) {
    indent_write(r->out, fr->ind);
    r->bol = 0;
  }
}

/* Writes the literal text of token k: each source line loses the frame's
** dedent prefix and each output line gets the indentation. */
static void out_text(render *r, const frame *fr, const tok *k) {
  const char *p = fr->t->src + k->off;
  size_t n = k->len;
  int bol = k->flags & TF_BOL;
  while (n > 0) {
    if (bol && fr->nded) {
      size_t j = 0;
      while (j < fr->nded && j < n && p[j] == fr->ded[j]) j++;
      p += j;
      n -= j;
      if (n == 0) break;
    }
    const char *nl = memchr(p, '\n', n);
    size_t seg = nl ? (size_t)(nl - p) + 1 : n;
    out_line_start(r, fr);
    buf_append(r->out, p, seg);
    r->bol = p[seg - 1] == '\n';
    p += seg;
    n -= seg;
    bol = 1;
  }
}

/* Writes the value of a variable token, escaped unless raw. */
static void out_value(render *r, const frame *fr, const tok *k) {
  const cJSON *v = ctx_lookup(r, fr->data, fr->t->src + k->off, k->len);
  const char *s = "";
  char num[40];
  if (cJSON_IsString(v) && v->valuestring) {
    s = v->valuestring;
  } else if (cJSON_IsNumber(v)) {
    format_number(v->valuedouble, num, sizeof num);
    s = num;
  } else if (cJSON_IsTrue(v)) {
    s = "true";
  } else if (cJSON_IsFalse(v)) {
    s = "false";
  } else if (cJSON_IsRaw(v) && v->valuestring) {
    s = v->valuestring;
  }
  out_line_start(r, fr);
  if (k->kind == TK_RAW)
    buf_puts(r->out, s);
  else
    escape_html(r->out, s, strlen(s));
}

/* ---- rendering --------------------------------------------------------- */

/* Fills *child with a copy of fr one level deeper. Returns 0, or -1 after
** reporting that the nesting limit was reached at token k. */
static int frame_enter(render *r, const frame *fr, const tok *k,
                       frame *child) {
  if (fr->depth >= MUSTACHE_MAX_DEPTH) {
    report(r->err, r->errlen, fr->t, k->line,
           "nesting deeper than %d levels (recursive partial?)",
           MUSTACHE_MAX_DEPTH);
    return -1;
  }
  *child = *fr;
  child->depth = fr->depth + 1;
  return 0;
}

/* Sets *ind to the slice src[off, off+n) of fr's template, less the
** frame's dedent prefix, stacked on fr's indentation. */
static void indent_push(const frame *fr, size_t off, size_t n, indent *ind) {
  const char *p = fr->t->src + off;
  size_t j = 0;
  while (j < fr->nded && j < n && p[j] == fr->ded[j]) j++;
  ind->p = p + j;
  ind->n = n - j;
  ind->up = fr->ind;
}

/* Returns the parsed partial named by token k, or NULL when there is none
** (*rc = 0) or on an error (*rc = -1). Parsed partials are cached for the
** rest of the render. */
static const tmpl *partial_get(render *r, const frame *fr, const tok *k,
                               int *rc) {
  const char *name = fr->t->src + k->off;
  *rc = 0;
  for (size_t i = 0; i < r->ncache; i++) {
    if (r->cache[i].n == k->len && memcmp(r->cache[i].name, name, k->len) == 0)
      return r->cache[i].t;
  }
  if (k->len > MUSTACHE_MAX_NAME) {
    report(r->err, r->errlen, fr->t, k->line, "partial name too long");
    *rc = -1;
    return NULL;
  }
  char nm[MUSTACHE_MAX_NAME + 1];
  memcpy(nm, name, k->len);
  nm[k->len] = 0;
  if (r->lookup) return r->lookup(r->ud, nm);
  const char *src = r->pfn ? r->pfn(r->ud, nm) : NULL;
  tmpl *t = NULL;
  if (src) {
    t = xrealloc(NULL, sizeof *t);
    memset(t, 0, sizeof *t);
    if (tmpl_parse(t, src, name, k->len, r->err, r->errlen) != 0) {
      free(t->v);
      free(t);
      *rc = -1;
      return NULL;
    }
  }
  if (r->ncache == r->capcache) {
    r->capcache = r->capcache ? r->capcache * 2 : 8;
    r->cache = xrealloc(r->cache, r->capcache * sizeof *r->cache);
  }
  r->cache[r->ncache++] = (pentry){name, k->len, t};
  return t;
}

/* Renders the section or inverted section at token i. */
static int render_section(render *r, const frame *fr, size_t i) {
  const tok *k = &fr->t->v[i];
  const cJSON *v = ctx_lookup(r, fr->data, fr->t->src + k->off, k->len);
  int truthy = json_truthy(v);
  frame f;
  if (k->kind == TK_INVERTED) {
    if (truthy) return 0;
    if (frame_enter(r, fr, k, &f) != 0) return -1;
    return render_range(r, &f, i + 1, k->end);
  }
  if (!truthy) return 0;
  if (frame_enter(r, fr, k, &f) != 0) return -1;
  ctx c = {v, fr->data};
  f.data = &c;
  if (!cJSON_IsArray(v)) return render_range(r, &f, i + 1, k->end);
  for (const cJSON *e = v->child; e; e = e->next) {
    c.v = e;
    if (render_range(r, &f, i + 1, k->end) != 0) return -1;
  }
  return 0;
}

/* Renders the partial or parent at token i: a parent passes its argument
** blocks down as a new scope of overrides. */
static int render_include(render *r, const frame *fr, size_t i) {
  const tok *k = &fr->t->v[i];
  frame f;
  if (frame_enter(r, fr, k, &f) != 0) return -1;
  int rc;
  const tmpl *t = partial_get(r, fr, k, &rc);
  if (!t) return rc;
  scope s = {fr->t, i + 1, k->end, fr->blocks};
  indent ind;
  if (k->flags & TF_STANDALONE) {
    indent_push(fr, k->ind, k->nind, &ind);
    f.ind = &ind;
  }
  f.t = t;
  f.ded = NULL;
  f.nded = 0;
  if (k->kind == TK_PARENT) f.blocks = &s;
  return render_range(r, &f, 0, t->len);
}

/* Finds the argument overriding the block named by token k: the one from
** the outermost scope wins. Returns its scope and sets *j to its index, or
** returns NULL. */
static const scope *scope_find(const scope *s, const frame *fr, const tok *k,
                               size_t *j) {
  const char *name = fr->t->src + k->off;
  const scope *found = NULL;
  for (; s; s = s->outer) {
    const tmpl *t = s->t;
    for (size_t x = s->first; x < s->end; x = tok_next(t, x)) {
      const tok *a = &t->v[x];
      if (a->kind == TK_BLOCK && a->len == k->len &&
          memcmp(t->src + a->off, name, k->len) == 0) {
        found = s;
        *j = x;
        break;
      }
    }
  }
  return found;
}

/* Renders the block at token i: the overriding argument, reindented to the
** site, or else the block's default content. */
static int render_block(render *r, const frame *fr, size_t i) {
  const tok *k = &fr->t->v[i];
  frame f;
  if (frame_enter(r, fr, k, &f) != 0) return -1;
  size_t j = 0;
  const scope *s = scope_find(fr->blocks, fr, k, &j);
  if (!s) return render_range(r, &f, i + 1, k->end);
  const tok *a = &s->t->v[j];
  indent ind;
  if ((k->flags & TF_STANDALONE) && (k->flags & TF_INTRINSIC)) {
    indent_push(fr, k->aux, k->naux, &ind);
    f.ind = &ind;
  } else if (k->flags & (TF_STANDALONE | TF_PAIR)) {
    indent_push(fr, k->ind, k->nind, &ind);
    f.ind = &ind;
  }
  f.t = s->t;
  f.blocks = s->outer;
  f.ded = NULL;
  f.nded = 0;
  if (a->flags & TF_DEDENT) {
    f.ded = s->t->src + a->aux;
    f.nded = a->naux;
  }
  return render_range(r, &f, j + 1, a->end);
}

/* Renders tokens [i, end) of the frame's template. */
static int render_range(render *r, const frame *fr, size_t i, size_t end) {
  const tok *v = fr->t->v;
  while (i < end) {
    const tok *k = &v[i];
    int rc = 0;
    if (++r->steps > MUSTACHE_MAX_STEPS || r->out->len - r->out_start > MUSTACHE_MAX_OUTPUT) {
      report(r->err, r->errlen, fr->t, k->line, "render too large (over %d steps or %d bytes)",
             MUSTACHE_MAX_STEPS, MUSTACHE_MAX_OUTPUT);
      return -1;
    }
    switch (k->kind) {
      case TK_TEXT:
        out_text(r, fr, k);
        break;
      case TK_VAR:
      case TK_RAW:
        out_value(r, fr, k);
        break;
      case TK_SECTION:
      case TK_INVERTED:
        rc = render_section(r, fr, i);
        break;
      case TK_PARTIAL:
      case TK_PARENT:
        rc = render_include(r, fr, i);
        break;
      case TK_BLOCK:
        rc = render_block(r, fr, i);
        break;
    }
    if (rc != 0) return -1;
    i = tok_next(fr->t, i);
  }
  return 0;
}

/* Frees the partials parsed during one render. */
static void render_free(render *r) {
  for (size_t i = 0; i < r->ncache; i++) {
    if (r->cache[i].t) free(r->cache[i].t->v);
    free(r->cache[i].t);
  }
  free(r->cache);
}

/* Renders the parsed template t with r set up. */
static int render_root(render *r, const tmpl *t, const cJSON *data) {
  ctx root = {data, NULL};
  frame fr = {t, data ? &root : NULL, NULL, NULL, 0, NULL, 0};
  return render_range(r, &fr, 0, t->len);
}

int mustache_render(const char *src, const cJSON *data,
                    mustache_partial_fn partials, void *ud, buf *out,
                    char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  if (!src) {
    report(err, errlen, NULL, 0, "no template");
    return -1;
  }
  tmpl t;
  memset(&t, 0, sizeof t);
  int rc = tmpl_parse(&t, src, NULL, 0, err, errlen);
  if (rc == 0) {
    render r = {.out = out, .pfn = partials, .ud = ud, .err = err, .errlen = errlen, .bol = 1,
                .out_start = out->len};
    rc = render_root(&r, &t, data);
    render_free(&r);
  }
  free(t.v);
  return rc;
}

mustache_tmpl *mustache_compile(const char *src, const char *name, char *err,
                                size_t errlen) {
  if (err && errlen) err[0] = 0;
  tmpl *t = xrealloc(NULL, sizeof *t);
  memset(t, 0, sizeof *t);
  if (tmpl_parse(t, src, NULL, 0, err, errlen) != 0) {
    free(t->v);
    free(t);
    return NULL;
  }
  t->own_name = strdup(name);
  if (!t->own_name) abort();
  t->name = t->own_name;
  t->nname = strlen(name);
  return t;
}

void mustache_free(mustache_tmpl *t) {
  if (!t) return;
  free(t->v);
  free(t->own_name);
  free(t);
}

int mustache_includes(const mustache_tmpl *t, mustache_include_fn fn, void *ud) {
  char nm[MUSTACHE_MAX_NAME + 1];
  for (size_t i = 0; i < t->len; i++) {
    const tok *k = &t->v[i];
    if (k->kind != TK_PARTIAL && k->kind != TK_PARENT) continue;
    size_t n = k->len > MUSTACHE_MAX_NAME ? MUSTACHE_MAX_NAME : k->len;
    memcpy(nm, t->src + k->off, n);
    nm[n] = 0;
    int rc = fn(ud, nm, k->line);
    if (rc) return rc;
  }
  return 0;
}

int mustache_render_compiled(const mustache_tmpl *t, const cJSON *data,
                             mustache_lookup_fn lookup, void *ud, buf *out,
                             char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  render r = {.out = out, .lookup = lookup, .ud = ud, .err = err, .errlen = errlen, .bol = 1,
              .out_start = out->len};
  return render_root(&r, t, data);
}
