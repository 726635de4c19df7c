/*
** wxr.h: a streaming reader of WordPress export files (WXR 1.0, 1.1, 1.2).
**
** WXR is RSS 2.0 with the wp:, content:, excerpt: and dc: extensions. The
** reader walks the file once with libxml2's xmlTextReader and hands each
** record to a callback as soon as it is complete, so that reading a 2 GB
** export takes no more memory than reading a small one: what is kept at any
** time is one record (the site, an author, a term, an item and its current
** comment), each of whose fields has a limit (below).
**
** Order of the callbacks:
**   on_site      once, when the channel's first author, term or item starts
**                (or at the end of the channel when it has none);
**   on_author, on_category, on_tag, on_term   each at the record's end;
**   on_item      once per item, at the item's first <wp:comment> or at the
**                item's end, whichever comes first;
**   on_comment   once per comment, at the comment's end, so that an item
**                with 50,000 comments holds only one of them at a time;
**   on_item_end  once per item, at its end, with every field of the item.
** WordPress writes an item's comments after all its other fields. A field
** that another exporter writes after a comment is not lost: it is stored
** into the item, which on_item_end then shows complete, and item->late
** counts such fields, so a caller can tell that on_item saw less.
**
** Every string field is UTF-8 without NUL and never NULL: an absent field
** is "". Identifiers, dates, statuses, slugs, addresses and the like have
** their surrounding white space removed; titles, names and bodies are given
** as written. Pointers are valid only during the callback.
**
** Security: entities are not substituted, no DTD or external entity is ever
** loaded, the network is never used, and a document type declaration is
** refused (WordPress never writes one). An element with more than
** WXR_MAX_ATTRIBUTES attributes is refused before libxml2 reads it, and so
** is a file in an encoding whose markup is not in ASCII's bytes (UTF-16,
** UTF-7, EBCDIC...): UTF-8, US-ASCII, ISO-8859-* and windows-125* are read.
**
** Results (wxr_read_file, wxr_read_memory): 0 when the whole file was read;
** a positive wxr_refusal for bad input; -1 when the file cannot be read.
** Except on 0, err receives one line, with the line and column in the file:
**   "line 12, column 7: malformed XML: ..."
** Call xmlInitParser() once before using the reader from several threads.
*/
#ifndef GAZETTE_WXR_H
#define GAZETTE_WXR_H

#include <stddef.h>
#include <stdint.h>

/* Expected refusals of a file (positive results). */
enum wxr_refusal {
  WXR_MALFORMED = 1,   /* not well-formed XML, or a document type declaration */
  WXR_NOT_WXR = 2,     /* well-formed, but not rss/channel with wp:wxr_version */
  WXR_BAD_VERSION = 3, /* a wp:wxr_version other than 1.0, 1.1 or 1.2 */
  WXR_TOO_LARGE = 4,   /* a field or a list over its limit (the item is named) */
  WXR_STOPPED = 5      /* a callback returned non-zero */
};

/* Limits, in bytes of UTF-8 unless said otherwise. A longer field is a
** WXR_TOO_LARGE refusal naming the record, never a silent cut. */
#define WXR_MAX_SHORT 256           /* ids, dates, statuses, types, versions, IPs */
#define WXR_MAX_LINE 4096           /* titles, names, slugs, e-mail, URLs, meta keys */
#define WXR_MAX_TEXT (1u << 20)     /* descriptions, excerpts, comments, one meta value */
#define WXR_MAX_CONTENT (8u << 20)  /* content:encoded */
#define WXR_MAX_META 1024           /* wp:postmeta pairs per item */
#define WXR_MAX_META_BYTES (8u << 20)  /* all of an item's meta keys and values */
#define WXR_MAX_TERMS 1024          /* <category> references per item */
#define WXR_MAX_COMMENT_META 256    /* wp:commentmeta pairs per comment */
#define WXR_MAX_COMMENT_META_BYTES (1u << 20)
#define WXR_MAX_ATTRIBUTES 256      /* attributes of one element (libxml2 compares
                                       each with all before it) */

/* The channel: the exported site. */
typedef struct wxr_site {
  const char *wxr_version;   /* "1.0", "1.1" or "1.2" */
  const char *title, *link, *description, *language;
  const char *base_site_url, *base_blog_url;
} wxr_site;

/* A wp:author (WXR 1.1 and later). */
typedef struct wxr_author {
  const char *author_id;     /* WXR 1.2; "" before */
  const char *login, *email, *display_name, *first_name, *last_name;
} wxr_author;

/* A wp:category; parent is the parent's nicename ("" at the top). */
typedef struct wxr_category {
  const char *term_id, *nicename, *parent, *name, *description;
} wxr_category;

/* A wp:tag. */
typedef struct wxr_tag {
  const char *term_id, *slug, *name, *description;
} wxr_tag;

/* A wp:term of any other taxonomy (nav_menu, post_format, ...). */
typedef struct wxr_term {
  const char *term_id, *taxonomy, *slug, *parent, *name, *description;
} wxr_term;

/* A key and its value (wp:postmeta, wp:commentmeta). */
typedef struct wxr_meta {
  const char *key, *value;
} wxr_meta;

/* An item's <category domain="..." nicename="...">name</category>. */
typedef struct wxr_term_ref {
  const char *domain;        /* "category", "post_tag", "post_format", ... */
  const char *nicename;      /* the term's slug */
  const char *name;
} wxr_term_ref;

/* An item: a post, page, attachment, menu item or anything else. */
typedef struct wxr_item {
  size_t index;              /* 1 for the file's first item */
  long line;                 /* line of its <item> */
  const char *title, *link, *pub_date, *creator, *guid, *description;
  const char *content;       /* content:encoded */
  const char *excerpt;       /* excerpt:encoded */
  const char *post_id, *post_date, *post_date_gmt;
  const char *post_modified, *post_modified_gmt;  /* "" when absent */
  const char *comment_status, *ping_status, *post_name, *status;
  const char *post_parent, *menu_order, *post_type, *post_password;
  const char *is_sticky, *attachment_url;
  const wxr_term_ref *terms;
  size_t term_count;
  const wxr_meta *meta;
  size_t meta_count;
  size_t comments;           /* comments delivered so far */
  size_t late;               /* fields met after the first comment */
} wxr_item;

/* A wp:comment of an item. */
typedef struct wxr_comment {
  const char *comment_id, *author, *author_email, *author_url, *author_ip;
  const char *date, *date_gmt, *content;
  const char *approved;      /* "1", "0", "spam", "trash" */
  const char *type;          /* "" for a comment, "pingback", "trackback" */
  const char *parent;        /* "0" at the top of a thread */
  const char *user_id;
  const wxr_meta *meta;
  size_t meta_count;
} wxr_comment;

/* The callbacks; any may be NULL. Each returns 0 to go on, or non-zero to
** stop the read, which then returns WXR_STOPPED. */
typedef struct wxr_handler {
  void *ud;
  int (*on_site)(void *ud, const wxr_site *site);
  int (*on_author)(void *ud, const wxr_author *author);
  int (*on_category)(void *ud, const wxr_category *category);
  int (*on_tag)(void *ud, const wxr_tag *tag);
  int (*on_term)(void *ud, const wxr_term *term);
  int (*on_item)(void *ud, const wxr_item *item);
  int (*on_comment)(void *ud, const wxr_item *item, const wxr_comment *comment);
  int (*on_item_end)(void *ud, const wxr_item *item);
} wxr_handler;

/* Reads the WXR file at path, calling h's callbacks. See the top of this
** file for the results; err (errlen bytes) gets the reason. */
int wxr_read_file(const char *path, const wxr_handler *h, char *err, size_t errlen);

/* Reads the WXR file open on fd (from where it stands), as
** wxr_read_file; the caller keeps and closes fd, and may look at how far
** it has been read (lseek) from a callback. */
int wxr_read_fd(int fd, const wxr_handler *h, char *err, size_t errlen);

/* Reads a WXR document held in data[0..size), as wxr_read_file. */
int wxr_read_memory(const char *data, size_t size, const wxr_handler *h,
                    char *err, size_t errlen);

/* Result of wxr_date and wxr_id for a field that holds no value. */
enum { WXR_ABSENT = 1 };

/* Parses WordPress's "YYYY-MM-DD HH:MM:SS", read as UTC (the *_gmt
** fields), into *out (Unix seconds). Returns 0; WXR_ABSENT for "" and
** "0000-00-00 00:00:00"; -1 for anything else, impossible dates (February
** 30, hour 24, year 0) included. */
int wxr_date(const char *s, int64_t *out);

/* Parses a decimal identifier (0 to 2^53) into *out. Returns 0; WXR_ABSENT
** for ""; -1 for anything else (signs, spaces inside, letters, overflow). */
int wxr_id(const char *s, int64_t *out);

#endif
