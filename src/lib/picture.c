/*
** picture.c: the markup of a library picture (see picture.h).
*/
#include "picture.h"

#include <string.h>

#include "escape.h"
#include "json.h"

const cJSON *picture_fallback(const cJSON *rec, int max_width) {
  const cJSON *f, *best = NULL, *smallest = NULL;
  if (max_width <= 0) max_width = 1024;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(rec, "files")) {
    if (strcmp(json_str(f, "format"), "jpeg") != 0) continue;
    long w = json_long(f, "width");
    if (!smallest || w < json_long(smallest, "width")) smallest = f;
    if (w <= max_width && (!best || w > json_long(best, "width"))) best = f;
  }
  return best ? best : smallest;
}

/* Appends the srcset of rec's files in format ("webp" or "jpeg"). Returns
** how many files it lists. */
static int picture_srcset(buf *out, const cJSON *rec, const char *format) {
  const cJSON *f;
  int n = 0;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(rec, "files")) {
    if (strcmp(json_str(f, "format"), format) != 0) continue;
    const char *name = json_str(f, "name");
    if (n++) buf_puts(out, ", ");
    buf_puts(out, PICTURE_PREFIX);
    escape_html(out, name, strlen(name));
    buf_printf(out, " %ldw", json_long(f, "width"));
  }
  return n;
}

/* Appends attribute name="value" (value escaped) with a leading space. */
static void picture_attr(buf *out, const char *name, const char *value) {
  buf_printf(out, " %s=\"", name);
  escape_html(out, value, strlen(value));
  buf_putc(out, '"');
}

int picture_html(buf *out, const cJSON *rec, const picture_opts *o) {
  const cJSON *fb = picture_fallback(rec, o->max_width);
  if (!fb) return -1;
  const char *sizes = o->sizes ? o->sizes : "100vw";
  buf set = {0};
  buf_puts(out, "<picture>");
  if (picture_srcset(&set, rec, "webp") > 0) {
    buf_puts(out, "<source type=\"image/webp\"");
    picture_attr(out, "srcset", buf_str(&set));
    picture_attr(out, "sizes", sizes);
    buf_putc(out, '>');
  }
  buf_reset(&set);
  picture_srcset(&set, rec, "jpeg");
  buf_puts(out, "<img src=\"" PICTURE_PREFIX);
  const char *name = json_str(fb, "name");
  escape_html(out, name, strlen(name));
  buf_putc(out, '"');
  picture_attr(out, "srcset", buf_str(&set));
  picture_attr(out, "sizes", sizes);
  buf_printf(out, " width=\"%ld\" height=\"%ld\"", json_long(fb, "width"), json_long(fb, "height"));
  picture_attr(out, "alt", o->alt ? o->alt : json_str(rec, "alt"));
  if (o->cls) picture_attr(out, "class", o->cls);
  if (!o->eager) buf_puts(out, " loading=\"lazy\"");
  buf_puts(out, " decoding=\"async\"></picture>");
  buf_free(&set);
  return 0;
}

int picture_figure(buf *out, const cJSON *rec, const char *caption, const picture_opts *o) {
  size_t start = out->len;
  buf_puts(out, "<figure class=\"picture\">");
  if (picture_html(out, rec, o) != 0) {
    out->len = start;
    if (out->data) out->data[start] = 0;
    return -1;
  }
  if (!caption) caption = json_str(rec, "caption");
  const char *credit = json_str(rec, "credit");
  if (*caption || *credit) {
    buf_puts(out, "<figcaption>");
    escape_html(out, caption, strlen(caption));
    if (*credit) {
      buf_puts(out, *caption ? " <span class=\"credit\">" : "<span class=\"credit\">");
      escape_html(out, credit, strlen(credit));
      buf_puts(out, "</span>");
    }
    buf_puts(out, "</figcaption>");
  }
  buf_puts(out, "</figure>");
  return 0;
}
