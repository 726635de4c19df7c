/*
** sanitize.h: an allow-list HTML sanitizer for imported WordPress bodies.
**
** sanitize_html turns a post body (classic-editor or block-editor content)
** into safe, well-formed HTML meant to sit inside the page's <article>:
**
** 1. Line ends become \n; a leading byte order mark goes.
** 2. Shortcodes (unless SANITIZE_HTML_ONLY):
**    [caption ...]<img ...> Text[/caption]  -> <figure><img><figcaption>Text
**       </figcaption></figure> (align="alignleft|right|center" kept as class;
**       the old caption="..." attribute is used when the text is empty);
**    [gallery ids="1,2,3"] (or include=)   -> <figure class="gallery"> of the
**       images the caller's image() callback resolves; without ids, the ids
**       come from the caller's attached() callback; ids it cannot resolve are
**       reported, as are those past SANITIZE_MAX_IMAGES look-ups in a body
**       (a gallery without ids costs one, and past them is an empty
**       gallery, reported as such);
**    [embed]URL[/embed]                    -> the video frame when URL is on
**       an allowed video host, else a link;
**    [[name]]                              -> the text [name];
**    any other [name ...]                  -> kept as text, and reported.
** 3. Automatic paragraphs (only for classic content, that is when the body
**    has no "<!-- wp:" block marker, and unless SANITIZE_HTML_ONLY). The
**    text outside tags, at the top level or directly inside a div,
**    blockquote, section, article or aside, is split at blank lines; each
**    piece with something in it becomes a <p>, and its single line breaks
**    become <br>. Inside other elements (li, td, headings, ...) a line
**    break between two pieces of text becomes <br>. The insides of pre,
**    script, style and textarea, and of every tag, are left as written.
**    A paragraph, or a block-editor wrapper, that holds nothing but one web
**    address is an embed, as [embed] is.
** 4. libxml2's HTML parser reads the result (no network, no error output,
**    the declared encoding ignored: input is UTF-8), and a walk of its tree
**    writes out only what the lists below allow, escaping every text and
**    attribute value itself.
**
** Elements kept: p br h2-h6 (h1 becomes h2) strong em b i u s sub sup
** blockquote q cite code pre kbd samp var ul ol li dl dt dd a img figure
** figcaption table caption thead tbody tr th td hr abbr span div small mark
** del ins time bdi; strike becomes s, tt code, acronym abbr, tfoot tbody.
** Removed with their content: script, style, noscript, template, object,
** embed, applet, forms' controls (input, button, select, textarea, ...),
** svg, math, head's elements (title, meta, link, base), audio, video,
** canvas, frames, iframes not allowed (below). Other elements lose their
** tags and keep their content (html, body, section, form, font, ...).
**
** Attributes kept: everywhere title, lang, dir (ltr|rtl|auto) and class
** with only alignleft, alignright, aligncenter, alignwide, alignfull and
** gallery; a href; img src srcset sizes alt width height; blockquote, q,
** del, ins cite; del, ins, time datetime; td, th colspan rowspan; th scope;
** ol start reversed type; li value. Every value is checked (numbers are
** digits, enumerations from their list). Never: on*, style, id, name,
** target, ... Every img has an alt (empty when the source had none).
**
** URLs (href, src, srcset, cite): tabs and line breaks inside are dropped
** and the ends trimmed, as browsers do, then only http:, https:, mailto:
** and tel: (href only) or a relative URL are kept; any other scheme
** (javascript:, data:, vbscript:, ...) loses the attribute, and a link or
** image without its URL loses its tag. Links to other hosts than the
** caller's own (own_hosts) get rel="nofollow noopener"; links to the site
** itself, relative links, mailto: and tel: get no rel.
**
** Frames: an iframe, or an embed, whose src is https:// followed by one of
** the caller's embed_prefixes (such as "www.youtube.com/embed/") is written
** as <iframe src title width height loading="lazy" allow=...
** referrerpolicy=... sandbox=...> with nothing else; every other is removed.
**
** So that the result is valid HTML, an element that may not stand where it
** is loses its tags (its content stays): a block inside a paragraph or a
** link, a link inside a link, a list item outside a list. Text a list or
** table cannot hold gets the item or cell it needs. Empty paragraphs and
** inline elements, and links and headings with no text, lose their tags.
** Elements nested deeper than SANITIZE_MAX_DEPTH lose their tags. The
** parser is given each start tag written plainly, with its first
** SANITIZE_MAX_ATTRIBUTES attributes only (see plain_tags in sanitize.c).
**
** Results: 0 with the HTML appended to out; a positive sanitize_refusal;
** -1 when libxml2 cannot start. Except on 0, out is left as it was and err
** (errlen bytes) gets one line.
*/
#ifndef GAZETTE_SANITIZE_H
#define GAZETTE_SANITIZE_H

#include <stddef.h>

#include "buf.h"

/* Expected refusals (positive results). */
enum sanitize_refusal {
  SANITIZE_TOO_LARGE = 1,     /* input over SANITIZE_MAX_INPUT, or output over the max */
  SANITIZE_INVALID_UTF8 = 2,  /* input is not UTF-8, or holds a NUL */
  SANITIZE_TOO_DEEP = 3       /* elements nested over 256 deep (the parser's limit) */
};

#define SANITIZE_MAX_INPUT (8u << 20)    /* bytes of input (WXR's content limit) */
#define SANITIZE_MAX_OUTPUT (16u << 20)  /* bytes of output, and of each step before */
#define SANITIZE_MAX_DEPTH 64            /* nesting of elements written */
#define SANITIZE_MAX_GALLERY 200         /* images in one gallery */
#define SANITIZE_MAX_IMAGES 2000         /* images looked up for all galleries */
#define SANITIZE_MAX_ATTRIBUTES 256      /* attributes of one tag the parser is given
                                            (it compares each with all before it);
                                            those after go, as removed ones */
#define SANITIZE_MAX_URL 4096            /* bytes of one URL */
#define SANITIZE_MAX_NAMES 16            /* unknown shortcode names listed in a report */
#define SANITIZE_MAX_MISSING 16          /* unresolved attachment ids listed */

/* Flags. */
enum {
  SANITIZE_HTML_ONLY = 1  /* input is HTML as is: no shortcodes, paragraphs or embeds */
};

/* An attachment, as the caller's image() callback describes it. The strings
** need to stay valid until the next call only. */
typedef struct sanitize_image {
  const char *url;      /* required */
  const char *alt;      /* NULL or "" for none */
  const char *caption;  /* NULL or "" for none */
  int width, height;    /* 0 when not known */
} sanitize_image;

typedef struct sanitize_options {
  int flags;
  /* NULL-terminated host-and-path prefixes allowed for frames, as
  ** "www.youtube.com/embed/"; always https. NULL: no frames at all. */
  const char *const *embed_prefixes;
  /* NULL-terminated host names whose links are the site's own (the old
  ** site's, as "example.com"), compared without case. */
  const char *const *own_hosts;
  void *ud;
  /* Describes attachment id into *img; returns 0, or non-zero when unknown. */
  int (*image)(void *ud, long long id, sanitize_image *img);
  /* Writes up to max ids of the post's attached images into ids; returns
  ** how many (for a [gallery] without ids). */
  size_t (*attached)(void *ud, long long *ids, size_t max);
} sanitize_options;

/* What was removed or not understood, for the importer to report. */
typedef struct sanitize_report {
  unsigned elements;    /* forbidden or unknown elements removed (tags, or all) */
  unsigned attributes;  /* attributes removed */
  unsigned urls;        /* URLs refused (their attribute, link or image went) */
  unsigned embeds;      /* frames not from an allowed host, removed */
  unsigned comments;    /* HTML comments removed (block markers included) */
  unsigned flattened;   /* elements whose tags went for their place or depth */
  unsigned shortcodes;  /* unknown shortcodes, kept as text */
  struct {
    char name[32];
    unsigned count;
  } names[SANITIZE_MAX_NAMES];  /* the first distinct unknown shortcode names */
  size_t name_count;
  unsigned missing;     /* gallery images whose id did not resolve */
  long long missing_ids[SANITIZE_MAX_MISSING];
  size_t missing_count;
  unsigned empty_galleries;  /* galleries with no image at all */
} sanitize_report;

/* Sanitizes the body in[0..n) into out (appended), filling *rep (may be
** NULL). opt may be NULL (no frames, no callbacks, no own hosts). */
int sanitize_html(const char *in, size_t n, const sanitize_options *opt, buf *out,
                  sanitize_report *rep, char *err, size_t errlen);

#endif
