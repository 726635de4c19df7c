/*
** markdown.h: Markdown to HTML with cmark, in its safe mode (raw HTML and
** dangerous URLs are dropped). Called when an article is written, never
** per request.
**
** Pictures of the site's library are written as Markdown images whose
** address is the picture's path, "/media/ID":
**
**   ![A heron on the quay at dawn](/media/12 "The heron came back in May.")
**
** The alt text is the image's text, the caption its title (both may be
** empty: the library's own are used). markdown_render_pictures hands every
** image to the caller, who may replace it with HTML of its own (a
** <picture>, or a <figure> when the image stands alone in its paragraph).
**
** Bounded: the cost grows with the text's length, never its square. cmark
** 0.30.2 walks back over every unclosed image mark ("![") when a link
** closes; a text's marks past the 512th get a backslash before them and
** are read as text (inside code, the backslash shows).
*/
#ifndef GAZETTE_MARKDOWN_H
#define GAZETTE_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

/* Returns newly allocated HTML for the Markdown md[0..n), or NULL when out
** of memory. The caller frees it with free(). */
char *markdown_render(const char *md, size_t n);

/* Returns the library picture id of an image address ("/media/12" is 12),
** or 0 when url is not one. */
long markdown_picture_id(const char *url);

/* One image of the text. id is markdown_picture_id(url); alone is 1 when
** the image is all its paragraph holds (it may then become a block: a
** <figure>). The function appends HTML to out and returns 1 to put it in
** the image's place (in the paragraph's, when alone), or returns 0 to let
** cmark render the image as it would. */
typedef int (*markdown_picture_fn)(void *ud, const char *url, long id, const char *alt,
                                   const char *title, int alone, buf *out);

/* markdown_render, with each image handed to fn(ud, ...) first. */
char *markdown_render_pictures(const char *md, size_t n, markdown_picture_fn fn, void *ud);

#endif
