/*
** wxr.c: the streaming WXR reader (see wxr.h).
**
** The reader follows the open elements by their depth. Each open record
** (the channel, an author, a term, an item, a meta pair, a comment) knows
** its kind; a child element of a record is either one of its fields, named
** in the table below, a record of its own, or something else, which is
** skipped with all it holds. The text of a field goes into that field's
** buffer; the buffers are reused from record to record, so the memory kept
** is set by the limits, not by the size of the file.
*/
#include "wxr.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "buf.h"
#include "utf8.h"

/* Kinds of open element. */
enum kind {
  K_NONE, K_RSS, K_CHANNEL, K_AUTHOR, K_CATEGORY, K_TAG, K_TERM, K_ITEM,
  K_POSTMETA, K_COMMENT, K_COMMENTMETA, K_TERMREF
};

/* Namespaces WXR uses, by what their URI says. */
enum ns { NS_NONE, NS_WP, NS_EXCERPT, NS_CONTENT, NS_DC, NS_OTHER };

/* Field slots, one buffer each. */
enum slot {
  S_TITLE, S_LINK, S_DESC, S_LANG, S_VERSION, S_BASE_SITE, S_BASE_BLOG,
  A_ID, A_LOGIN, A_EMAIL, A_DISPLAY, A_FIRST, A_LAST,
  C_ID, C_NICE, C_PARENT, C_NAME, C_DESC,
  T_ID, T_SLUG, T_NAME, T_DESC,
  M_ID, M_TAX, M_SLUG, M_PARENT, M_NAME, M_DESC,
  I_TITLE, I_LINK, I_PUBDATE, I_CREATOR, I_GUID, I_DESC, I_CONTENT,
  I_EXCERPT, I_POST_ID, I_DATE, I_DATE_GMT, I_MOD, I_MOD_GMT,
  I_COMMENT_STATUS, I_PING_STATUS, I_POST_NAME, I_STATUS, I_PARENT,
  I_MENU_ORDER, I_TYPE, I_PASSWORD, I_STICKY, I_ATTACHMENT_URL,
  PM_KEY, PM_VALUE,
  K_ID_, K_AUTHOR_, K_EMAIL, K_URL, K_IP, K_DATE, K_DATE_GMT, K_CONTENT,
  K_APPROVED, K_TYPE, K_PARENT, K_USER,
  CM_KEY, CM_VALUE,
  TR_NAME, TR_DOMAIN, TR_NICE,
  NSLOTS
};

/* A field: the element (namespace, local name) under a record kind. */
typedef struct field_spec {
  enum kind in;
  enum ns ns;
  const char *name;
  enum slot slot;
  size_t limit;
  int trim;  /* 1: surrounding white space is removed */
} field_spec;

#define SH WXR_MAX_SHORT
#define LN WXR_MAX_LINE
#define TX WXR_MAX_TEXT

static const field_spec FIELDS[] = {
    {K_CHANNEL, NS_NONE, "title", S_TITLE, LN, 0},
    {K_CHANNEL, NS_NONE, "link", S_LINK, LN, 1},
    {K_CHANNEL, NS_NONE, "description", S_DESC, TX, 0},
    {K_CHANNEL, NS_NONE, "language", S_LANG, SH, 1},
    {K_CHANNEL, NS_WP, "wxr_version", S_VERSION, SH, 1},
    {K_CHANNEL, NS_WP, "base_site_url", S_BASE_SITE, LN, 1},
    {K_CHANNEL, NS_WP, "base_blog_url", S_BASE_BLOG, LN, 1},
    {K_AUTHOR, NS_WP, "author_id", A_ID, SH, 1},
    {K_AUTHOR, NS_WP, "author_login", A_LOGIN, LN, 1},
    {K_AUTHOR, NS_WP, "author_email", A_EMAIL, LN, 1},
    {K_AUTHOR, NS_WP, "author_display_name", A_DISPLAY, LN, 0},
    {K_AUTHOR, NS_WP, "author_first_name", A_FIRST, LN, 0},
    {K_AUTHOR, NS_WP, "author_last_name", A_LAST, LN, 0},
    {K_CATEGORY, NS_WP, "term_id", C_ID, SH, 1},
    {K_CATEGORY, NS_WP, "category_nicename", C_NICE, LN, 1},
    {K_CATEGORY, NS_WP, "category_parent", C_PARENT, LN, 1},
    {K_CATEGORY, NS_WP, "cat_name", C_NAME, LN, 0},
    {K_CATEGORY, NS_WP, "category_description", C_DESC, TX, 0},
    {K_TAG, NS_WP, "term_id", T_ID, SH, 1},
    {K_TAG, NS_WP, "tag_slug", T_SLUG, LN, 1},
    {K_TAG, NS_WP, "tag_name", T_NAME, LN, 0},
    {K_TAG, NS_WP, "tag_description", T_DESC, TX, 0},
    {K_TERM, NS_WP, "term_id", M_ID, SH, 1},
    {K_TERM, NS_WP, "term_taxonomy", M_TAX, LN, 1},
    {K_TERM, NS_WP, "term_slug", M_SLUG, LN, 1},
    {K_TERM, NS_WP, "term_parent", M_PARENT, LN, 1},
    {K_TERM, NS_WP, "term_name", M_NAME, LN, 0},
    {K_TERM, NS_WP, "term_description", M_DESC, TX, 0},
    {K_ITEM, NS_NONE, "title", I_TITLE, LN, 0},
    {K_ITEM, NS_NONE, "link", I_LINK, LN, 1},
    {K_ITEM, NS_NONE, "pubDate", I_PUBDATE, SH, 1},
    {K_ITEM, NS_DC, "creator", I_CREATOR, LN, 1},
    {K_ITEM, NS_NONE, "guid", I_GUID, LN, 1},
    {K_ITEM, NS_NONE, "description", I_DESC, TX, 0},
    {K_ITEM, NS_CONTENT, "encoded", I_CONTENT, WXR_MAX_CONTENT, 0},
    {K_ITEM, NS_EXCERPT, "encoded", I_EXCERPT, TX, 0},
    {K_ITEM, NS_WP, "post_id", I_POST_ID, SH, 1},
    {K_ITEM, NS_WP, "post_date", I_DATE, SH, 1},
    {K_ITEM, NS_WP, "post_date_gmt", I_DATE_GMT, SH, 1},
    {K_ITEM, NS_WP, "post_modified", I_MOD, SH, 1},
    {K_ITEM, NS_WP, "post_modified_gmt", I_MOD_GMT, SH, 1},
    {K_ITEM, NS_WP, "comment_status", I_COMMENT_STATUS, SH, 1},
    {K_ITEM, NS_WP, "ping_status", I_PING_STATUS, SH, 1},
    {K_ITEM, NS_WP, "post_name", I_POST_NAME, LN, 1},
    {K_ITEM, NS_WP, "status", I_STATUS, SH, 1},
    {K_ITEM, NS_WP, "post_parent", I_PARENT, SH, 1},
    {K_ITEM, NS_WP, "menu_order", I_MENU_ORDER, SH, 1},
    {K_ITEM, NS_WP, "post_type", I_TYPE, SH, 1},
    {K_ITEM, NS_WP, "post_password", I_PASSWORD, LN, 0},
    {K_ITEM, NS_WP, "is_sticky", I_STICKY, SH, 1},
    {K_ITEM, NS_WP, "attachment_url", I_ATTACHMENT_URL, LN, 1},
    {K_POSTMETA, NS_WP, "meta_key", PM_KEY, LN, 0},
    {K_POSTMETA, NS_WP, "meta_value", PM_VALUE, TX, 0},
    {K_COMMENT, NS_WP, "comment_id", K_ID_, SH, 1},
    {K_COMMENT, NS_WP, "comment_author", K_AUTHOR_, LN, 0},
    {K_COMMENT, NS_WP, "comment_author_email", K_EMAIL, LN, 1},
    {K_COMMENT, NS_WP, "comment_author_url", K_URL, LN, 1},
    {K_COMMENT, NS_WP, "comment_author_IP", K_IP, SH, 1},
    {K_COMMENT, NS_WP, "comment_date", K_DATE, SH, 1},
    {K_COMMENT, NS_WP, "comment_date_gmt", K_DATE_GMT, SH, 1},
    {K_COMMENT, NS_WP, "comment_content", K_CONTENT, TX, 0},
    {K_COMMENT, NS_WP, "comment_approved", K_APPROVED, SH, 1},
    {K_COMMENT, NS_WP, "comment_type", K_TYPE, SH, 1},
    {K_COMMENT, NS_WP, "comment_parent", K_PARENT, SH, 1},
    {K_COMMENT, NS_WP, "comment_user_id", K_USER, SH, 1},
    {K_COMMENTMETA, NS_WP, "meta_key", CM_KEY, LN, 0},
    {K_COMMENTMETA, NS_WP, "meta_value", CM_VALUE, TX, 0},
};

/* A record: the element (namespace, local name) under a record kind. */
typedef struct record_spec {
  enum kind in;
  enum ns ns;
  const char *name;
  enum kind kind;
} record_spec;

static const record_spec RECORDS[] = {
    {K_CHANNEL, NS_WP, "author", K_AUTHOR},
    {K_CHANNEL, NS_WP, "category", K_CATEGORY},
    {K_CHANNEL, NS_WP, "tag", K_TAG},
    {K_CHANNEL, NS_WP, "term", K_TERM},
    {K_CHANNEL, NS_NONE, "item", K_ITEM},
    {K_ITEM, NS_WP, "postmeta", K_POSTMETA},
    {K_ITEM, NS_WP, "comment", K_COMMENT},
    {K_ITEM, NS_NONE, "category", K_TERMREF},
    {K_COMMENT, NS_WP, "commentmeta", K_COMMENTMETA},
};

#define MAX_DEPTH 8  /* records are never deeper than 4 */

/* A pass over the export's bytes, as they are read, that counts each start
** tag's attributes: libxml2 compares each attribute's name with every one
** before it in its tag, so a tag of half a million attributes (5 MB) would
** take hours. A tag with more than WXR_MAX_ATTRIBUTES stops the read, as
** does what would make the pass read the bytes otherwise than the parser:
** a NUL byte (UTF-16 or UTF-32), a declaration (<!DOCTYPE ...>), or an
** encoding in which the bytes of markup are not ASCII's (only UTF-8,
** US-ASCII, ISO-8859-* and windows-125* are read). Each attribute of XML
** has exactly one '=' outside quoted values; comments, CDATA sections,
** processing instructions and end tags hold none to count. */
typedef enum scan_state {
  SCAN_TEXT,   /* between tags */
  SCAN_LT,     /* after '<' */
  SCAN_BANG,   /* after "<!": a comment, a CDATA section or a declaration */
  SCAN_TAG,    /* in a start tag */
  SCAN_VALUE,  /* in a quoted value of a start tag */
  SCAN_SKIP    /* until the end mark */
} scan_state;

enum { SCAN_HEAD = 256 };  /* bytes at most before the XML declaration ends */

/* What the pass refused, if anything. */
typedef enum scan_refusal {
  SCAN_OK,
  SCAN_TOO_MANY,    /* a tag with more than WXR_MAX_ATTRIBUTES */
  SCAN_NUL,         /* a NUL byte */
  SCAN_DECLARATION, /* <!DOCTYPE ...> or another declaration */
  SCAN_ENCODING     /* an encoding whose markup is not in ASCII's bytes */
} scan_refusal;

/* XML's white space. */
static int xml_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

typedef struct attr_scan {
  char head[SCAN_HEAD];  /* the file's first bytes, until the encoding is known */
  size_t head_len;
  int head_done;         /* the encoding is known to be one this pass reads */
  int latin1;            /* declared ISO-8859-1, read as windows-1252 (see text) */
  scan_state state;
  char quote;        /* SCAN_VALUE: the value's quote */
  int after_eq;      /* SCAN_TAG: only white space since the last '=' */
  size_t count;      /* SCAN_TAG: the tag's attributes so far */
  size_t bang;       /* SCAN_BANG: characters after "<!" that matched */
  const char *mark;  /* SCAN_SKIP: "-->", "]]>", "?>" or ">" */
  size_t matched;    /* SCAN_SKIP: characters of mark matched */
  scan_refusal refused;
} attr_scan;

/* Starts skipping to mark. */
static void scan_skip(attr_scan *a, const char *mark) {
  a->state = SCAN_SKIP;
  a->mark = mark;
  a->matched = 0;
}

/* Feeds c to a after "<!": a comment ("--") or CDATA ("[CDATA[");
** anything else is a declaration, which WXR never has and whose end
** (a '>' may stand in its quoted literals) this pass does not look for:
** refused. a->bang counts the characters matched of the one the first
** told. */
static void scan_bang(attr_scan *a, char c) {
  static const char cdata[] = "[CDATA[";
  const char *want = a->bang && a->mark ? a->mark : c == '-' ? "--" : cdata;
  if (c == want[a->bang]) {
    a->mark = want;
    if (want[++a->bang] == 0) scan_skip(a, want[0] == '-' ? "-->" : "]]>");
    return;
  }
  a->refused = SCAN_DECLARATION;
}

/* Feeds c to a in a start tag. */
static void scan_tag(attr_scan *a, char c) {
  if (c == '>') {
    a->state = SCAN_TEXT;
  } else if (c == '=') {
    a->after_eq = 1;
    if (++a->count > WXR_MAX_ATTRIBUTES) a->refused = SCAN_TOO_MANY;
  } else if ((c == '"' || c == '\'') && a->after_eq) {
    a->state = SCAN_VALUE;
    a->quote = c;
    a->after_eq = 0;
  } else if (!xml_blank(c)) {
    a->after_eq = 0;
  }
}

/* Feeds c to a in SCAN_SKIP: leaves it after the mark. */
static void scan_skip_char(attr_scan *a, char c) {
  if (c == a->mark[a->matched]) {
    if (a->mark[++a->matched] == 0) a->state = SCAN_TEXT;
  } else if (c == a->mark[0]) {
    /* "--->" and "]]]>" end too: a run of the first character keeps the
    ** match of two. */
    a->matched = a->matched == 2 && a->mark[1] == c ? 2 : 1;
  } else {
    a->matched = 0;
  }
}

/* Returns 1 when the encoding name s[0, n) is one whose bytes below 0x80
** are ASCII's, each a character of its own: UTF-8, US-ASCII, ISO-8859-N
** or windows-125N, as libxml2 names them (without case). */
static int scan_encoding_ok(const char *s, size_t n) {
  static const char *const whole[] = {"UTF-8", "UTF8", "US-ASCII", "ASCII", "LATIN1"};
  static const char *const family[] = {"ISO-8859-", "ISO8859-", "ISO_8859-", "WINDOWS-125",
                                       "CP125"};
  for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
    if (n == strlen(whole[i]) && strncasecmp(s, whole[i], n) == 0) return 1;
  for (size_t i = 0; i < sizeof family / sizeof *family; i++) {
    size_t k = strlen(family[i]);
    if (n <= k || strncasecmp(s, family[i], k) != 0) continue;
    while (k < n && s[k] >= '0' && s[k] <= '9') k++;
    return k == n;
  }
  return 0;
}

/* Finds the encoding named in the XML declaration h[0, end) (end at its
** "?>"): sets *v to the name and returns its length; returns -2 when the
** declaration names none, -1 when its value cannot be read. */
static int decl_encoding(const char *h, const char *end, const char **v) {
  const char *e = memmem(h, (size_t)(end - h), "encoding", 8);
  if (!e) return -2;
  e += 8;
  while (e < end && xml_blank(*e)) e++;
  if (e < end && *e == '=') e++;
  while (e < end && xml_blank(*e)) e++;
  if (e >= end || (*e != '"' && *e != '\'')) return -1;
  const char *q = memchr(e + 1, *e, (size_t)(end - e - 1));
  if (!q || q - e - 1 > SCAN_HEAD) return -1;
  *v = e + 1;
  return (int)(q - e - 1);
}

/* Returns 1 when the encoding name s[0, n) is ISO-8859-1 under one of the
** names libxml2 knows it by (without case). */
static int scan_is_latin1(const char *s, size_t n) {
  static const char *const names[] = {"ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (n == strlen(names[i]) && strncasecmp(s, names[i], n) == 0) return 1;
  return 0;
}

/* Looks at the first bytes of the file in a->head: returns 1 when the
** encoding is one the pass reads (setting a->latin1 when the declaration
** names ISO-8859-1), 0 when more bytes are needed, -1 when it is not
** (EBCDIC, or another declared in the XML declaration). */
static int scan_head(attr_scan *a) {
  static const char bom[] = "\xEF\xBB\xBF", ebcdic[] = "\x4C\x6F\xA7\x94", decl[] = "<?xml";
  const char *h = a->head;
  size_t n = a->head_len;
  /* A first read may bring a byte or two (a pipe): wait while they may
  ** still begin a byte order mark, EBCDIC's "<?xm" or a declaration. */
  if (n < 3 && memcmp(h, bom, n) == 0) return 0;
  if (n >= 3 && memcmp(h, bom, 3) == 0) h += 3, n -= 3;
  if (memcmp(h, ebcdic, n < 4 ? n : 4) == 0) return n < 4 ? 0 : -1;
  if (memcmp(h, decl, n < 5 ? n : 5) != 0) return 1;
  if (n < 5) return 0;
  const char *end = memmem(h, n, "?>", 2);
  if (!end) return a->head_len < SCAN_HEAD ? 0 : -1;
  const char *v;
  int len = decl_encoding(h, end, &v);
  if (len == -2) return 1;
  if (len < 0 || !scan_encoding_ok(v, (size_t)len)) return -1;
  a->latin1 = scan_is_latin1(v, (size_t)len);
  return 1;
}

/* Keeps s[0, n) in a->head until the encoding is known; sets a->refused
** when it is not one the pass reads. */
static void scan_head_feed(attr_scan *a, const char *s, size_t n) {
  size_t k = n < SCAN_HEAD - a->head_len ? n : SCAN_HEAD - a->head_len;
  memcpy(a->head + a->head_len, s, k);
  a->head_len += k;
  int rc = scan_head(a);
  if (rc < 0) a->refused = SCAN_ENCODING;
  a->head_done = rc != 0;
}

/* Feeds s[0, n) to a; returns 0, or -1 once it refuses. */
static int scan_feed(attr_scan *a, const char *s, size_t n) {
  if (!a->head_done) scan_head_feed(a, s, n);
  for (size_t i = 0; i < n && !a->refused; i++) {
    char c = s[i];
    if (c == 0) {
      a->refused = SCAN_NUL;
      break;
    }
    switch (a->state) {
      case SCAN_TEXT:
        if (c == '<') a->state = SCAN_LT;
        break;
      case SCAN_LT:
        a->count = 0, a->after_eq = 0, a->bang = 0, a->mark = NULL;
        if (c == '!') a->state = SCAN_BANG;
        else if (c == '?') scan_skip(a, "?>");
        else if (c == '/') scan_skip(a, ">");
        else if (c == '<') a->state = SCAN_LT;
        else a->state = c == '>' ? SCAN_TEXT : SCAN_TAG;
        break;
      case SCAN_BANG: scan_bang(a, c); break;
      case SCAN_TAG: scan_tag(a, c); break;
      case SCAN_VALUE:
        if (c == a->quote) a->state = SCAN_TAG;
        break;
      case SCAN_SKIP: scan_skip_char(a, c); break;
    }
  }
  return a->refused ? -1 : 0;
}

/* A list of strings kept in one arena: per entry, its strings' offsets. */
typedef struct strlist {
  buf arena;
  size_t (*off)[3];
  size_t n, max, max_bytes;
} strlist;

typedef struct reader {
  xmlTextReaderPtr x;
  const wxr_handler *h;
  char *err;
  size_t errlen;
  int result;                /* 0, or the refusal set by fail() */
  int xml_error;             /* libxml2 reported an error */
  int fd;                    /* wxr_read_fd's file */
  attr_scan scan;            /* over the bytes given to libxml2 */
  long xml_line, xml_col;
  int xml_code;
  char xml_msg[200];
  buf f[NSLOTS];
  enum kind kind_at[MAX_DEPTH];  /* the kind of the open element at each depth */
  int root_seen, root_closed, channels, site_sent;
  int target;                /* slot being filled, or -1 */
  int target_depth;
  const field_spec *target_spec;
  char target_name[64];      /* the element's name as written */
  size_t items, authors, categories, tags, terms;
  long item_line;
  int item_sent;             /* on_item has been called for this item */
  size_t item_comments, item_late;
  strlist meta, refs, cmeta;
  wxr_meta meta_view[WXR_MAX_META];
  wxr_term_ref ref_view[WXR_MAX_TERMS];
  wxr_meta cmeta_view[WXR_MAX_COMMENT_META];
} reader;

/* Returns the namespace class of the namespace URI uri (NULL: none). */
static enum ns ns_classify(const char *uri) {
  if (!uri) return NS_NONE;
  if (!strcmp(uri, "http://purl.org/rss/1.0/modules/content/")) return NS_CONTENT;
  if (!strcmp(uri, "http://purl.org/dc/elements/1.1/")) return NS_DC;
  const char *p = uri;
  if (!strncmp(p, "http://", 7)) p += 7;
  else if (!strncmp(p, "https://", 8)) p += 8;
  else return NS_OTHER;
  if (strncmp(p, "wordpress.org/export/1.", 23)) return NS_OTHER;
  p += 23;
  if (*p < '0' || *p > '9') return NS_OTHER;
  p++;
  if (!strcmp(p, "/")) return NS_WP;
  if (!strcmp(p, "/excerpt/")) return NS_EXCERPT;
  return NS_OTHER;
}

/* Returns the string of slot s ("" when empty). */
static const char *fs(const reader *r, enum slot s) { return buf_str(&r->f[s]); }

/* Writes into out (n bytes) a short name of the record being read, for
** messages: an item by number, title and post id, others by number. */
static void context_name(const reader *r, char *out, size_t n) {
  out[0] = 0;
  for (int d = MAX_DEPTH - 1; d >= 0; d--) {
    switch (r->kind_at[d]) {
      case K_ITEM: case K_POSTMETA: case K_COMMENT: case K_COMMENTMETA:
      case K_TERMREF: {
        const char *t = fs(r, I_TITLE), *id = fs(r, I_POST_ID);
        int tl = (int)strlen(t);
        if (tl > 60) tl = 60;
        while (tl > 0 && ((unsigned char)t[tl] & 0xC0) == 0x80) tl--;
        snprintf(out, n, " in item %zu%s%.*s%s%s%s (from line %ld)", r->items,
                 *t ? " '" : "", tl, t, *t ? "'" : "", *id ? ", post " : "", id,
                 r->item_line);
        return;
      }
      case K_AUTHOR: snprintf(out, n, " in author %zu", r->authors); return;
      case K_CATEGORY: snprintf(out, n, " in category %zu", r->categories); return;
      case K_TAG: snprintf(out, n, " in tag %zu", r->tags); return;
      case K_TERM: snprintf(out, n, " in term %zu", r->terms); return;
      default: break;
    }
  }
}

/* Records the refusal code (unless one is set) with a message that starts
** with the parser's line and column; returns code. */
static int fail(reader *r, int code, const char *fmt, ...) {
  if (r->result) return r->result;
  r->result = code;
  if (!r->err || !r->errlen) return code;
  int n = snprintf(r->err, r->errlen, "line %d, column %d: ",
                   xmlTextReaderGetParserLineNumber(r->x),
                   xmlTextReaderGetParserColumnNumber(r->x));
  if (n < 0 || (size_t)n >= r->errlen) return code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return code;
}

/* Fails r with what its scan refused, when it did; returns the result. */
static int fail_scan(reader *r) {
  switch (r->scan.refused) {
    case SCAN_NUL: return fail(r, WXR_MALFORMED, "the file holds a NUL byte (UTF-16 or UTF-32?)");
    case SCAN_DECLARATION:
      return fail(r, WXR_MALFORMED, "a document type declaration is not allowed in WXR");
    case SCAN_ENCODING:
      return fail(r, WXR_MALFORMED, "the file's encoding is not one Gazette reads (UTF-8, "
                                    "US-ASCII, ISO-8859-*, windows-125*)");
    default:
      return fail(r, WXR_TOO_LARGE, "an element has more than %d attributes",
                  WXR_MAX_ATTRIBUTES);
  }
}

/* Copies a message into err when it is there. */
static void set_err(char *err, size_t errlen, const char *msg) {
  if (err && errlen) snprintf(err, errlen, "%s", msg);
}

/* Receives libxml2's errors for this reader; keeps the first real one. */
#if LIBXML_VERSION >= 21200
static void on_xml_error(void *arg, const xmlError *e) {
#else
static void on_xml_error(void *arg, xmlErrorPtr e) {
#endif
  reader *r = arg;
  if (!e || e->level < XML_ERR_ERROR || r->xml_error) return;
  r->xml_error = 1;
  r->xml_line = e->line;
  r->xml_col = e->int2;
  r->xml_code = e->code;
  snprintf(r->xml_msg, sizeof r->xml_msg, "%s", e->message ? e->message : "error");
  size_t n = strlen(r->xml_msg);
  while (n > 0 && (r->xml_msg[n - 1] == '\n' || r->xml_msg[n - 1] == ' ')) r->xml_msg[--n] = 0;
  for (char *p = r->xml_msg; *p; p++)  /* one line: libxml2 adds "\nBytes: ..." */
    if (*p == '\n') *p = ' ';
}

/* Swallows libxml2's messages that bypass the reader's handler (encoding
** errors); the reader reports them itself. */
static void silent(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

/* Empties the buffers of slots first..last. */
static void clear_slots(reader *r, enum slot first, enum slot last) {
  for (int s = first; s <= (int)last; s++) buf_reset(&r->f[s]);
}

/* Adds an entry of k strings (k <= 3) to list l; returns 0, or -1 when
** its count or byte limit would be passed. */
static int strlist_add(strlist *l, const char *const *s, int k) {
  size_t len = 0;
  for (int i = 0; i < k; i++) len += strlen(s[i]) + 1;
  if (l->n >= l->max || l->arena.len + len > l->max_bytes) return -1;
  for (int i = 0; i < k; i++) {
    l->off[l->n][i] = l->arena.len;
    buf_append(&l->arena, s[i], strlen(s[i]) + 1);
  }
  l->n++;
  return 0;
}

/* Returns string i of entry e of list l. */
static const char *strlist_get(const strlist *l, size_t e, int i) {
  return l->arena.data + l->off[e][i];
}

/* Empties list l, keeping its memory. */
static void strlist_reset(strlist *l) {
  buf_reset(&l->arena);
  l->n = 0;
}

/* Calls on_site once, after checking that the version is known. */
static int send_site(reader *r) {
  if (r->site_sent) return 0;
  r->site_sent = 1;
  if (!r->f[S_VERSION].len)
    return fail(r, WXR_NOT_WXR, "not a WXR file: the channel has no wp:wxr_version "
                               "before its first author, term or item");
  wxr_site s = {
      .wxr_version = fs(r, S_VERSION), .title = fs(r, S_TITLE), .link = fs(r, S_LINK),
      .description = fs(r, S_DESC), .language = fs(r, S_LANG),
      .base_site_url = fs(r, S_BASE_SITE), .base_blog_url = fs(r, S_BASE_BLOG)};
  if (r->h->on_site && r->h->on_site(r->h->ud, &s))
    return fail(r, WXR_STOPPED, "stopped after the site's description");
  return 0;
}

/* Fills *it with the item's fields as they stand. */
static void item_view(reader *r, wxr_item *it) {
  for (size_t i = 0; i < r->meta.n; i++) {
    r->meta_view[i].key = strlist_get(&r->meta, i, 0);
    r->meta_view[i].value = strlist_get(&r->meta, i, 1);
  }
  for (size_t i = 0; i < r->refs.n; i++) {
    r->ref_view[i].domain = strlist_get(&r->refs, i, 0);
    r->ref_view[i].nicename = strlist_get(&r->refs, i, 1);
    r->ref_view[i].name = strlist_get(&r->refs, i, 2);
  }
  *it = (wxr_item){
      .index = r->items, .line = r->item_line,
      .title = fs(r, I_TITLE), .link = fs(r, I_LINK), .pub_date = fs(r, I_PUBDATE),
      .creator = fs(r, I_CREATOR), .guid = fs(r, I_GUID), .description = fs(r, I_DESC),
      .content = fs(r, I_CONTENT), .excerpt = fs(r, I_EXCERPT),
      .post_id = fs(r, I_POST_ID), .post_date = fs(r, I_DATE),
      .post_date_gmt = fs(r, I_DATE_GMT), .post_modified = fs(r, I_MOD),
      .post_modified_gmt = fs(r, I_MOD_GMT), .comment_status = fs(r, I_COMMENT_STATUS),
      .ping_status = fs(r, I_PING_STATUS), .post_name = fs(r, I_POST_NAME),
      .status = fs(r, I_STATUS), .post_parent = fs(r, I_PARENT),
      .menu_order = fs(r, I_MENU_ORDER), .post_type = fs(r, I_TYPE),
      .post_password = fs(r, I_PASSWORD), .is_sticky = fs(r, I_STICKY),
      .attachment_url = fs(r, I_ATTACHMENT_URL),
      .terms = r->ref_view, .term_count = r->refs.n,
      .meta = r->meta_view, .meta_count = r->meta.n,
      .comments = r->item_comments, .late = r->item_late};
}

/* Calls on_item unless it was called for this item already. */
static int send_item(reader *r) {
  if (r->item_sent) return 0;
  r->item_sent = 1;
  wxr_item it;
  item_view(r, &it);
  if (r->h->on_item && r->h->on_item(r->h->ud, &it)) {
    char where[160];
    context_name(r, where, sizeof where);
    return fail(r, WXR_STOPPED, "stopped%s", where);
  }
  return 0;
}

/* Counts a field or list entry of the item met after its first comment. */
static void note_late(reader *r) {
  if (r->item_sent) r->item_late++;
}

/* Starts a record of kind k: empties its fields. */
static int record_start(reader *r, enum kind k) {
  switch (k) {
    case K_AUTHOR: r->authors++; clear_slots(r, A_ID, A_LAST); break;
    case K_CATEGORY: r->categories++; clear_slots(r, C_ID, C_DESC); break;
    case K_TAG: r->tags++; clear_slots(r, T_ID, T_DESC); break;
    case K_TERM: r->terms++; clear_slots(r, M_ID, M_DESC); break;
    case K_ITEM:
      r->items++;
      r->item_line = xmlGetLineNo(xmlTextReaderCurrentNode(r->x));
      clear_slots(r, I_TITLE, I_ATTACHMENT_URL);
      strlist_reset(&r->meta);
      strlist_reset(&r->refs);
      r->item_sent = 0;
      r->item_comments = r->item_late = 0;
      break;
    case K_POSTMETA: clear_slots(r, PM_KEY, PM_VALUE); break;
    case K_COMMENT:
      if (send_item(r)) return r->result;
      clear_slots(r, K_ID_, K_USER);
      strlist_reset(&r->cmeta);
      break;
    case K_COMMENTMETA: clear_slots(r, CM_KEY, CM_VALUE); break;
    case K_TERMREF: {
      clear_slots(r, TR_NAME, TR_NICE);
      xmlChar *dom = xmlTextReaderGetAttribute(r->x, BAD_CAST "domain");
      xmlChar *nice = xmlTextReaderGetAttribute(r->x, BAD_CAST "nicename");
      int too_long = (dom && strlen((char *)dom) > WXR_MAX_LINE) ||
                     (nice && strlen((char *)nice) > WXR_MAX_LINE);
      if (!too_long) {
        if (dom) buf_puts(&r->f[TR_DOMAIN], (char *)dom);
        if (nice) buf_puts(&r->f[TR_NICE], (char *)nice);
      }
      xmlFree(dom);
      xmlFree(nice);
      if (too_long) {
        char where[160];
        context_name(r, where, sizeof where);
        return fail(r, WXR_TOO_LARGE, "a category's domain or nicename is longer than %d bytes%s",
                    WXR_MAX_LINE, where);
      }
      break;
    }
    default: break;
  }
  return 0;
}

/* Ends a record of kind k: hands it to its callback or adds it to its
** item or comment. */
static int record_end(reader *r, enum kind k) {
  const wxr_handler *h = r->h;
  char where[160];
  int stop = 0;
  switch (k) {
    case K_AUTHOR: {
      wxr_author a = {.author_id = fs(r, A_ID), .login = fs(r, A_LOGIN),
                      .email = fs(r, A_EMAIL), .display_name = fs(r, A_DISPLAY),
                      .first_name = fs(r, A_FIRST), .last_name = fs(r, A_LAST)};
      stop = h->on_author && h->on_author(h->ud, &a);
      break;
    }
    case K_CATEGORY: {
      wxr_category c = {.term_id = fs(r, C_ID), .nicename = fs(r, C_NICE),
                        .parent = fs(r, C_PARENT), .name = fs(r, C_NAME),
                        .description = fs(r, C_DESC)};
      stop = h->on_category && h->on_category(h->ud, &c);
      break;
    }
    case K_TAG: {
      wxr_tag t = {.term_id = fs(r, T_ID), .slug = fs(r, T_SLUG), .name = fs(r, T_NAME),
                   .description = fs(r, T_DESC)};
      stop = h->on_tag && h->on_tag(h->ud, &t);
      break;
    }
    case K_TERM: {
      wxr_term t = {.term_id = fs(r, M_ID), .taxonomy = fs(r, M_TAX), .slug = fs(r, M_SLUG),
                    .parent = fs(r, M_PARENT), .name = fs(r, M_NAME),
                    .description = fs(r, M_DESC)};
      stop = h->on_term && h->on_term(h->ud, &t);
      break;
    }
    case K_ITEM: {
      if (send_item(r)) return r->result;
      wxr_item it;
      item_view(r, &it);
      stop = h->on_item_end && h->on_item_end(h->ud, &it);
      break;
    }
    case K_POSTMETA: {
      const char *kv[2] = {fs(r, PM_KEY), fs(r, PM_VALUE)};
      note_late(r);
      if (strlist_add(&r->meta, kv, 2)) {
        context_name(r, where, sizeof where);
        return fail(r, WXR_TOO_LARGE, "more than %d wp:postmeta or %u bytes of them%s",
                    WXR_MAX_META, WXR_MAX_META_BYTES, where);
      }
      return 0;
    }
    case K_TERMREF: {
      const char *s[3] = {fs(r, TR_DOMAIN), fs(r, TR_NICE), fs(r, TR_NAME)};
      note_late(r);
      if (strlist_add(&r->refs, s, 3)) {
        context_name(r, where, sizeof where);
        return fail(r, WXR_TOO_LARGE, "more than %d categories and tags%s", WXR_MAX_TERMS,
                    where);
      }
      return 0;
    }
    case K_COMMENTMETA: {
      const char *kv[2] = {fs(r, CM_KEY), fs(r, CM_VALUE)};
      if (strlist_add(&r->cmeta, kv, 2)) {
        context_name(r, where, sizeof where);
        return fail(r, WXR_TOO_LARGE, "more than %d wp:commentmeta or %u bytes of them in "
                    "comment %s%s", WXR_MAX_COMMENT_META, WXR_MAX_COMMENT_META_BYTES,
                    fs(r, K_ID_), where);
      }
      return 0;
    }
    case K_COMMENT: {
      for (size_t i = 0; i < r->cmeta.n; i++) {
        r->cmeta_view[i].key = strlist_get(&r->cmeta, i, 0);
        r->cmeta_view[i].value = strlist_get(&r->cmeta, i, 1);
      }
      wxr_comment c = {
          .comment_id = fs(r, K_ID_), .author = fs(r, K_AUTHOR_), .author_email = fs(r, K_EMAIL),
          .author_url = fs(r, K_URL), .author_ip = fs(r, K_IP), .date = fs(r, K_DATE),
          .date_gmt = fs(r, K_DATE_GMT), .content = fs(r, K_CONTENT),
          .approved = fs(r, K_APPROVED), .type = fs(r, K_TYPE), .parent = fs(r, K_PARENT),
          .user_id = fs(r, K_USER), .meta = r->cmeta_view, .meta_count = r->cmeta.n};
      r->item_comments++;
      wxr_item it;
      item_view(r, &it);
      stop = h->on_comment && h->on_comment(h->ud, &it, &c);
      break;
    }
    default: return 0;
  }
  if (stop) {
    context_name(r, where, sizeof where);
    return fail(r, WXR_STOPPED, "stopped%s", where);
  }
  return 0;
}

/* Removes white space at both ends of b. */
static void buf_trim(buf *b) {
  if (!b->data) return;
  size_t s = 0, e = b->len;
  while (s < e && strchr(" \t\r\n", b->data[s])) s++;
  while (e > s && strchr(" \t\r\n", b->data[e - 1])) e--;
  if (s) memmove(b->data, b->data + s, e - s);
  b->len = e - s;
  b->data[b->len] = 0;
}

/* Ends the field being filled. */
static int field_end(reader *r) {
  const field_spec *fsp = r->target_spec;
  r->target = -1;
  r->target_spec = NULL;
  buf *b = &r->f[fsp->slot];
  if (fsp->trim) buf_trim(b);
  if (fsp->in == K_ITEM) note_late(r);
  if (fsp->slot == S_VERSION) {
    const char *v = buf_str(b);
    if (strcmp(v, "1.0") && strcmp(v, "1.1") && strcmp(v, "1.2"))
      return fail(r, WXR_BAD_VERSION,
                  "unknown WXR version '%.20s' (this reader knows 1.0, 1.1 and 1.2)", v);
  }
  return 0;
}

/* Handles the start of an element at depth d. */
static int element_start(reader *r, int d) {
  const char *local = (const char *)xmlTextReaderConstLocalName(r->x);
  enum ns ns = ns_classify((const char *)xmlTextReaderConstNamespaceUri(r->x));
  if (!local) return fail(r, WXR_MALFORMED, "malformed XML: an element without a name");
  if (d == 0) {
    if (r->root_seen) return 0;
    r->root_seen = 1;
    if (ns != NS_NONE || strcmp(local, "rss"))
      return fail(r, WXR_NOT_WXR, "not a WXR file: the root element is <%.40s>, not <rss>",
                  (const char *)xmlTextReaderConstName(r->x));
    r->kind_at[0] = K_RSS;
    return 0;
  }
  if (r->target >= 0 || d >= MAX_DEPTH) return 0;  /* inside a field, or too deep to matter */
  enum kind parent = r->kind_at[d - 1];
  r->kind_at[d] = K_NONE;
  if (parent == K_NONE) return 0;
  if (parent == K_RSS) {
    if (ns != NS_NONE || strcmp(local, "channel")) return 0;
    if (++r->channels > 1)
      return fail(r, WXR_NOT_WXR, "not a WXR file: more than one channel");
    r->kind_at[d] = K_CHANNEL;
    return 0;
  }
  for (size_t i = 0; i < sizeof RECORDS / sizeof RECORDS[0]; i++) {
    const record_spec *rs = &RECORDS[i];
    if (rs->in != parent || rs->ns != ns || strcmp(rs->name, local)) continue;
    if (parent == K_CHANNEL && send_site(r)) return r->result;
    r->kind_at[d] = rs->kind;
    return record_start(r, rs->kind);
  }
  for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
    const field_spec *fsp = &FIELDS[i];
    if (fsp->in != parent || fsp->ns != ns || strcmp(fsp->name, local)) continue;
    if (parent == K_CHANNEL && r->site_sent) return 0;  /* the site is told already */
    r->target = (int)fsp->slot;
    r->target_spec = fsp;
    r->target_depth = d;
    snprintf(r->target_name, sizeof r->target_name, "%s",
             (const char *)xmlTextReaderConstName(r->x));
    buf_reset(&r->f[fsp->slot]);
    return 0;
  }
  return 0;
}

/* Handles the end of the element at depth d. */
static int element_end(reader *r, int d) {
  if (r->target >= 0) {
    if (d != r->target_depth) return 0;
    return field_end(r);
  }
  if (d >= MAX_DEPTH) return 0;
  enum kind k = r->kind_at[d];
  int rc = 0;
  if (k == K_CHANNEL) rc = send_site(r);
  else if (k == K_RSS) r->root_closed = 1;
  else if (k != K_NONE) rc = record_end(r, k);
  r->kind_at[d] = K_NONE;
  return rc;
}

/* What windows-1252 has at 0x80..0x9F, where ISO-8859-1 has C1 controls;
** 0 where it has nothing (the control stays). */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Appends t[0, n) to b (when b is not NULL) with each C1 control (U+0080
** to U+009F, bytes C2 80 to C2 9F) that windows-1252 gives a character
** written as that character; returns the length of what it appends.
** Exports that declare ISO-8859-1 were written, as browsers read them, in
** windows-1252 (curly quotes and dashes pasted from word processors). */
static size_t append_cp1252(buf *b, const char *t, size_t n) {
  size_t from = 0, len = n;
  for (size_t i = 0; i + 1 < n; i++) {
    unsigned char c = (unsigned char)t[i + 1];
    if ((unsigned char)t[i] != 0xC2 || c < 0x80 || c > 0x9F || !cp1252_high[c - 0x80])
      continue;
    unsigned u = cp1252_high[c - 0x80];
    len += u >= 0x800; /* two bytes become three */
    if (b) {
      buf_append(b, t + from, i - from);
      utf8_put(b, u);
    }
    from = ++i + 1;
  }
  if (b) buf_append(b, t + from, n - from);
  return len;
}

/* Appends text to the field being filled, within its limit. */
static int text(reader *r) {
  const char *t = (const char *)xmlTextReaderConstValue(r->x);
  int d = xmlTextReaderDepth(r->x);
  buf *b = NULL;
  size_t limit = 0;
  const char *name = NULL;
  if (r->target >= 0) {
    b = &r->f[r->target];
    limit = r->target_spec->limit;
    name = r->target_name;
  } else if (d >= 1 && d - 1 < MAX_DEPTH && r->kind_at[d - 1] == K_TERMREF) {
    b = &r->f[TR_NAME];
    limit = WXR_MAX_LINE;
    name = "category";
  }
  if (!b || !t) return 0;
  size_t n = strlen(t), len = r->scan.latin1 ? append_cp1252(NULL, t, n) : n;
  if (b->len + len > limit) {
    char where[160];
    context_name(r, where, sizeof where);
    return fail(r, WXR_TOO_LARGE, "%s is longer than %zu bytes%s", name, limit, where);
  }
  if (r->scan.latin1) append_cp1252(b, t, n);
  else buf_append(b, t, n);
  return 0;
}

/* Reports an error libxml2 found, or a read failure, as WXR_MALFORMED.
** The position is libxml2's own, exact; the record being delivered may be
** an earlier one (the reader looks ahead), so none is named. */
static int fail_xml(reader *r) {
  if (r->result) return r->result;
  if (r->scan.refused) return fail_scan(r);
  r->result = WXR_MALFORMED;
  if (!r->err || !r->errlen) return r->result;
  if (r->xml_error && r->xml_code == XML_ERR_DOCUMENT_END && !r->root_closed)
    snprintf(r->err, r->errlen, "line %ld, column %ld: malformed XML: the file ends before "
             "the document does (is it cut short?)", r->xml_line, r->xml_col);
  else if (r->xml_error)
    snprintf(r->err, r->errlen, "line %ld, column %ld: malformed XML: %s", r->xml_line,
             r->xml_col, r->xml_msg);
  else
    snprintf(r->err, r->errlen, "line %d, column %d: malformed XML",
             xmlTextReaderGetParserLineNumber(r->x), xmlTextReaderGetParserColumnNumber(r->x));
  return r->result;
}

/* Reads every node of r->x; returns the result of the read. */
static int read_nodes(reader *r) {
  int ret;
  while ((ret = xmlTextReaderRead(r->x)) == 1) {
    if (r->xml_error) return fail_xml(r);
    int d = xmlTextReaderDepth(r->x);
    switch (xmlTextReaderNodeType(r->x)) {
      case XML_READER_TYPE_ELEMENT:
        if (element_start(r, d)) return r->result;
        if (xmlTextReaderIsEmptyElement(r->x) && element_end(r, d)) return r->result;
        break;
      case XML_READER_TYPE_END_ELEMENT:
        if (element_end(r, d)) return r->result;
        break;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (text(r)) return r->result;
        break;
      case XML_READER_TYPE_DOCUMENT_TYPE:
        return fail(r, WXR_MALFORMED, "a document type declaration is not allowed in WXR");
      case XML_READER_TYPE_ENTITY_REFERENCE:
      case XML_READER_TYPE_ENTITY:
        return fail(r, WXR_MALFORMED, "entity references are not allowed in WXR");
      default:
        break;
    }
  }
  if (ret < 0 || r->xml_error) return fail_xml(r);
  if (!r->root_seen) return fail(r, WXR_NOT_WXR, "not a WXR file: no root element");
  if (!r->channels) return fail(r, WXR_NOT_WXR, "not a WXR file: no channel in the rss");
  return 0;
}

/* Reads every node of r->x with libxml2's messages sent to the reader;
** returns the result. */
static int run(reader *r) {
  xmlTextReaderSetStructuredErrorHandler(r->x, on_xml_error, r);
  return read_nodes(r);
}

/* libxml2's generic message handler as it was before a read (it is kept
** per thread), so that a read can silence it and put it back. */
typedef struct quiet {
  xmlGenericErrorFunc func;
  void *ctx;
} quiet;

/* Silences libxml2's generic messages (encoding errors met while the
** reader is made); returns what to put back. */
static quiet quiet_begin(void) {
  quiet q = {xmlGenericError, xmlGenericErrorContext};
  xmlSetGenericErrorFunc(NULL, silent);
  return q;
}

/* Puts back the generic message handler saved by quiet_begin. */
static void quiet_end(quiet q) { xmlSetGenericErrorFunc(q.ctx, q.func); }

/* The parser options: no entities substituted, no DTD, no network. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* libxml2's read of the export: read(2) on r->fd, each byte seen by
** r->scan first. Returns the bytes read, 0 at the end, -1 on an error or
** a refusal of the scan. */
static int reader_io_read(void *ctx, char *out, int len) {
  reader *r = ctx;
  ssize_t n;
  do n = read(r->fd, out, (size_t)len);
  while (n < 0 && errno == EINTR);
  if (n < 0 || scan_feed(&r->scan, out, (size_t)n) != 0) return -1;
  return (int)n;
}

/* The file stays open: it is the caller's. */
static int reader_io_close(void *ctx) {
  (void)ctx;
  return 0;
}

/* Makes a reader state for handler h; returns NULL when out of memory. */
static reader *reader_new(const wxr_handler *h, char *err, size_t errlen) {
  reader *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->h = h;
  r->err = err;
  r->errlen = errlen;
  r->target = -1;
  r->meta = (strlist){.max = WXR_MAX_META, .max_bytes = WXR_MAX_META_BYTES};
  r->refs = (strlist){.max = WXR_MAX_TERMS, .max_bytes = WXR_MAX_TERMS * 3 * (WXR_MAX_LINE + 1)};
  r->cmeta = (strlist){.max = WXR_MAX_COMMENT_META, .max_bytes = WXR_MAX_COMMENT_META_BYTES};
  r->meta.off = malloc(sizeof *r->meta.off * WXR_MAX_META);
  r->refs.off = malloc(sizeof *r->refs.off * WXR_MAX_TERMS);
  r->cmeta.off = malloc(sizeof *r->cmeta.off * WXR_MAX_COMMENT_META);
  if (!r->meta.off || !r->refs.off || !r->cmeta.off) {
    free(r->meta.off);
    free(r->refs.off);
    free(r->cmeta.off);
    free(r);
    return NULL;
  }
  return r;
}

/* Frees a reader state and its libxml2 reader. */
static void reader_free(reader *r) {
  if (r->x) xmlFreeTextReader(r->x);
  for (int i = 0; i < NSLOTS; i++) buf_free(&r->f[i]);
  buf_free(&r->meta.arena);
  buf_free(&r->refs.arena);
  buf_free(&r->cmeta.arena);
  free(r->meta.off);
  free(r->refs.off);
  free(r->cmeta.off);
  free(r);
}

int wxr_read_memory(const char *data, size_t size, const wxr_handler *h, char *err,
                    size_t errlen) {
  static const wxr_handler none = {0};
  if (!h) h = &none;
  if (size > INT_MAX) {
    set_err(err, errlen, "the document is too large to read from memory");
    return WXR_TOO_LARGE;
  }
  reader *r = reader_new(h, err, errlen);
  if (!r) {
    set_err(err, errlen, "out of memory");
    return -1;
  }
  quiet q = quiet_begin();
  int rc;
  r->x = xmlReaderForMemory(data ? data : "", (int)size, NULL, NULL, READER_OPTIONS);
  if (!r->x) {
    rc = -1;
    set_err(err, errlen, "cannot start the XML reader");
  } else {
    rc = scan_feed(&r->scan, data ? data : "", size) != 0 ? fail_scan(r) : run(r);
  }
  reader_free(r);
  quiet_end(q);
  return rc;
}

int wxr_read_fd(int fd, const wxr_handler *h, char *err, size_t errlen) {
  static const wxr_handler none = {0};
  if (!h) h = &none;
  reader *r = reader_new(h, err, errlen);
  if (!r) {
    set_err(err, errlen, "out of memory");
    return -1;
  }
  quiet q = quiet_begin();
  r->fd = fd;
  r->x = xmlReaderForIO(reader_io_read, reader_io_close, r, NULL, NULL, READER_OPTIONS);
  int rc = r->x ? run(r) : -1;
  if (!r->x) set_err(err, errlen, "cannot start the XML reader");
  reader_free(r);
  quiet_end(q);
  return rc;
}

int wxr_read_file(const char *path, const wxr_handler *h, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (err && errlen) snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  int rc = wxr_read_fd(fd, h, err, errlen);
  close(fd);
  return rc;
}

/* Returns the number of days in month m (1-12) of year y. */
static int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : days[m - 1];
}

/* Returns the days from 1970-01-01 to the date y-m-d (proleptic Gregorian). */
static int64_t days_since_epoch(int y, int m, int d) {
  /* Count from March so that February's leap day ends the year. */
  int64_t yy = m <= 2 ? y - 1 : y;
  int mm = m <= 2 ? m + 9 : m - 3;                  /* March = 0 */
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;                       /* 0..399 */
  int64_t doy = (153 * mm + 2) / 5 + d - 1;           /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Reads n digits at s into *v; returns 0, or -1 when one is not a digit. */
static int digits(const char *s, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    *v = *v * 10 + (s[i] - '0');
  }
  return 0;
}

int wxr_date(const char *s, int64_t *out) {
  if (!s || !*s || !strcmp(s, "0000-00-00 00:00:00")) return WXR_ABSENT;
  if (strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
      s[16] != ':')
    return -1;
  int y, mo, d, h, mi, se;
  if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
      digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
    return -1;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
      se > 59)
    return -1;
  *out = days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return 0;
}

int wxr_id(const char *s, int64_t *out) {
  if (!s || !*s) return WXR_ABSENT;
  int64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    v = v * 10 + (*p - '0');
    if (v > ((int64_t)1 << 53)) return -1;
  }
  *out = v;
  return 0;
}
