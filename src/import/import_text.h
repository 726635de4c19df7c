/*
** import_text.h: the text work of the WordPress import that touches no
** database (HTML to plain text is html_text.h's): slugs from WordPress's
** percent-encoded ones, the old site's addresses (which links are its
** own, the paths its permalinks had), the links and pictures of a
** sanitized body, and the writing direction of a text.
*/
#ifndef GAZETTE_IMPORT_TEXT_H
#define GAZETTE_IMPORT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"


/* Appends to out WordPress's post_name or term slug s percent-decoded to
** UTF-8 ("%d8%a3" -> the letter); s as it is when it does not decode. */
void import_text_slug(const char *s, buf *out);

/* Returns 1 when more of the letters of s belong to a right-to-left
** script (Hebrew, Arabic and their presentation forms) than to others. */
int import_text_rtl(const char *s);

/* The old site's own host names (lower case, without "www."), from its
** addresses; at most IMPORT_HOSTS_MAX. */
enum { IMPORT_HOSTS_MAX = 8 };
typedef struct import_hosts {
  char name[IMPORT_HOSTS_MAX][256];
  const char *list[IMPORT_HOSTS_MAX * 2 + 1];  /* each name and "www."+name, NULL-ended */
  char www[IMPORT_HOSTS_MAX][260];
  int n;
} import_hosts;

/* Adds the host of the absolute http(s) address url to h (once). */
void import_hosts_add(import_hosts *h, const char *url);

/* Appends to out the old address url as legacy_paths keys it when it is
** the old site's own (an absolute http(s) address on one of h's hosts, or
** a path from the root "/..."): the path percent-decoded, without a
** trailing slash, and a query of p, page_id or cat kept as "/?p=ID".
** Returns 1 when it did, 0 when url is elsewhere, has another query or
** does not decode. */
int import_text_old_path(const import_hosts *h, const char *url, buf *out);

/* Appends to out the legacy_paths key of WordPress's date permalinks of a
** post with slug, written on the local date date ("YYYY-MM-DD HH:MM:SS"):
** with_day set, "/YYYY/MM/DD/slug", else "/YYYY/MM/slug". Returns 1, or 0
** when date is not such a date. */
int import_text_date_path(const char *date, const char *slug, int with_day, buf *out);

/* Turns a link's address into another: appends to out the new address of
** the old one url (as written, entities decoded) and returns 1, or
** returns 0 to keep it. */
typedef int (*import_link_fn)(void *ud, const char *url, buf *out);

/* Appends html (a sanitized body) to out with the address of every link
** (<a ... href="...">) that fn rewrites replaced. Sets *changed to the
** number of links rewritten. */
void import_text_links(const char *html, import_link_fn fn, void *ud, buf *out, int *changed);

/* Calls fn for each picture's address (<img ... src="...">, entities
** decoded) of html (a sanitized body), each distinct address once, the
** first IMPORT_MAX_IMAGES only (each is looked for among those before);
** stops when fn returns non-zero. Returns how many it found. */
enum { IMPORT_MAX_IMAGES = 256 };
typedef int (*import_image_fn)(void *ud, const char *url);
size_t import_text_images(const char *html, import_image_fn fn, void *ud);

/* Appends to out the file of a picture at url under a WordPress uploads
** folder: the part after "/wp-content/uploads/", else the path after the
** host (WordPress.com's files.wordpress.com keeps them at its root), with
** no query and percent-decoded. Returns 1, or 0 when url is not an
** absolute http(s) address with a path. */
int import_text_upload_file(const char *url, buf *out);

#endif
