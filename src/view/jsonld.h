/*
** jsonld.h: a page's structured data for search engines (schema.org, as
** JSON-LD): built with cJSON, never by pasting strings, and escaped for
** its <script type="application/ld+json"> element by the view
** (escape_json_script).
*/
#ifndef GAZETTE_JSONLD_H
#define GAZETTE_JSONLD_H

#include <cjson/cJSON.h>

#include "app.h"
#include "view.h"

/* Returns the structured data of a page as a new document, or NULL when
** the page has none: an article's NewsArticle (headline, description,
** image in every size there is, datePublished, dateModified, author as a
** Person with name and url, publisher as an Organization with name and
** logo, mainEntityOfPage, articleSection, keywords, inLanguage,
** isAccessibleForFree) and BreadcrumbList; the home page's WebSite (with a
** SearchAction) and Organization. canonical is the page's absolute
** address. */
cJSON *jsonld_page(const app *a, const page_meta *meta, const char *canonical);

#endif
