/*
** markdown.c: cmark wrapper (see markdown.h).
*/
#include "markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/* CMARK_OPT_DEFAULT is safe since cmark 0.29: raw HTML is replaced by a
** comment and javascript: links are removed. Malformed UTF-8 would pass
** through unchanged without VALIDATE_UTF8, which makes it U+FFFD. */
#define MARKDOWN_OPTS (CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8)

/* Image marks ("![") that open an image in one text: cmark 0.30.2 walks
** back over every unclosed one each time a link closes, so a text of
** "![[]()" repeated costs the square of its length (200 KB: some seconds).
** The marks past this many are escaped. Each image has its mark, so a
** text has no more images than this, and every one is handed out. */
enum { MARKDOWN_MAX_IMAGE_MARKS = 512, MARKDOWN_MAX_IMAGES = MARKDOWN_MAX_IMAGE_MARKS };

/* Returns md[0..n) as cmark is to read it: itself, or (in tmp) a copy
** whose image marks past MARKDOWN_MAX_IMAGE_MARKS are escaped ("\![",
** read as the text "![" followed by a link's opening bracket). Sets *len. */
static const char *markdown_bounded(const char *md, size_t n, buf *tmp, size_t *len) {
  size_t marks = 0, copied = 0, slashes = 0;
  *len = n;
  for (size_t i = 0; i + 1 < n; i++) {
    if (md[i] == '\\') {
      slashes++;
      continue;
    }
    int mark = md[i] == '!' && md[i + 1] == '[' && slashes % 2 == 0;
    slashes = 0;
    if (!mark || ++marks <= MARKDOWN_MAX_IMAGE_MARKS) continue;
    buf_append(tmp, md + copied, i - copied);
    buf_putc(tmp, '\\');
    copied = i;
  }
  if (!copied) return md;
  buf_append(tmp, md + copied, n - copied);
  *len = tmp->len;
  return buf_str(tmp);
}

char *markdown_render(const char *md, size_t n) {
  buf tmp = {0};
  size_t len;
  const char *text = markdown_bounded(md, n, &tmp, &len);
  char *html = cmark_markdown_to_html(text, len, MARKDOWN_OPTS);
  buf_free(&tmp);
  return html;
}

long markdown_picture_id(const char *url) {
  static const char prefix[] = "/media/";
  if (!url || strncmp(url, prefix, sizeof prefix - 1) != 0) return 0;
  const char *s = url + sizeof prefix - 1;
  if (*s < '1' || *s > '9' || strlen(s) > 15) return 0;
  long v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (*s - '0');
  }
  return v;
}

/* Appends the plain text of node's descendants (what an image's alt text
** is made of) to out. */
static void markdown_text(cmark_node *node, buf *out) {
  for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    cmark_node_type t = cmark_node_get_type(c);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) buf_puts(out, cmark_node_get_literal(c));
    else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) buf_putc(out, ' ');
    else markdown_text(c, out);
  }
}

/* Returns 1 when image is the only thing in its paragraph but white space. */
static int markdown_alone(cmark_node *image) {
  cmark_node *p = cmark_node_parent(image);
  if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH) return 0;
  for (cmark_node *c = cmark_node_first_child(p); c; c = cmark_node_next(c)) {
    if (c == image) continue;
    cmark_node_type t = cmark_node_get_type(c);
    if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) continue;
    const char *lit = t == CMARK_NODE_TEXT ? cmark_node_get_literal(c) : NULL;
    if (!lit || lit[strspn(lit, " \t")] != 0) return 0;
  }
  return 1;
}

/* Returns 1 when node lies inside an image (in its alt text). */
static int markdown_in_image(cmark_node *node) {
  for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p))
    if (cmark_node_get_type(p) == CMARK_NODE_IMAGE) return 1;
  return 0;
}

/* Offers image to fn and, when it answers with HTML, puts that in the
** image's place (or its paragraph's). */
static void markdown_offer(cmark_node *image, markdown_picture_fn fn, void *ud) {
  const char *url = cmark_node_get_url(image);
  const char *title = cmark_node_get_title(image);
  buf alt = {0}, html = {0};
  markdown_text(image, &alt);
  int alone = markdown_alone(image);
  if (fn(ud, url ? url : "", markdown_picture_id(url), buf_str(&alt), title ? title : "", alone,
         &html)) {
    cmark_node *with = cmark_node_new(alone ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(with, buf_str(&html));
    cmark_node *old = alone ? cmark_node_parent(image) : image;
    cmark_node_replace(old, with);
    cmark_node_free(old);
  }
  buf_free(&alt);
  buf_free(&html);
}

char *markdown_render_pictures(const char *md, size_t n, markdown_picture_fn fn, void *ud) {
  buf tmp = {0};
  size_t len;
  const char *text = markdown_bounded(md, n, &tmp, &len);
  cmark_node *doc = cmark_parse_document(text, len, MARKDOWN_OPTS);
  buf_free(&tmp);
  if (!doc) return NULL;
  cmark_node *images[MARKDOWN_MAX_IMAGES];
  size_t count = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    /* An image in another's alt text is only text: it goes with it. */
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_IMAGE &&
        count < MARKDOWN_MAX_IMAGES && !markdown_in_image(node))
      images[count++] = node;
  }
  cmark_iter_free(it);
  /* Changed only now that the walk is over. */
  for (size_t i = 0; i < count; i++) markdown_offer(images[i], fn, ud);
  char *html = cmark_render_html(doc, MARKDOWN_OPTS);
  cmark_node_free(doc);
  return html;
}
