/*
** html_text.h: HTML to plain text (titles, excerpts and comments of a
** WordPress export; what the search index reads of an HTML body), and
** HTML's character references.
*/
#ifndef GAZETTE_HTML_TEXT_H
#define GAZETTE_HTML_TEXT_H

#include <stddef.h>

#include "buf.h"

/* Appends to out the plain text of the HTML s: tags removed, scripts and
** styles with what they hold, character references decoded (by number,
** and the named ones WordPress writes), control characters dropped. With
** lines set, <br> and the ends of paragraphs, headings and list items
** become line breaks (at most one blank line in a row), a link
** <a href="U">T</a> becomes "T (U)" when U is a web address other than
** T, and line breaks in the text stay; without it, every tag but those of
** inline elements (a, b, em, span...) separates words, and every run of
** white space becomes one space. The ends are trimmed. */
void html_text_plain(const char *s, int lines, buf *out);

/* Decodes the character reference at s ('&' ...): appends its character
** to out and returns the bytes it took, or 0 when s is no reference. */
size_t html_entity_at(const char *s, buf *out);

/* Appends s[0..n) to out with its character references decoded (a
** reference ends at its ';', which no attribute value's end can hide). */
void html_entities_decode(const char *s, size_t n, buf *out);

#endif
