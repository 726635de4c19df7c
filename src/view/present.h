/*
** present.h: the page presenter. It turns the store's records (plain
** data: numbers for times and counts, no addresses, no display text) into
** what the templates read: site paths, ISO times, dates and counts in the
** site's language, the stars of a rating, comments as safe HTML. The API's
** presenter (api.c) starts from the same records and the same shapes and
** keeps only what its documents hold.
*/
#ifndef GAZETTE_PRESENT_H
#define GAZETTE_PRESENT_H

#include <cjson/cJSON.h>

#include "app.h"
#include "picture.h"

/* Turns the picture record at member key of o (see picture.h; null when
** there is none) into what a page shows: {html (the <picture>, made with
** opts), alt, caption, credit, files (kept for sharing)}; removes the
** member when there is no picture to show, so that a template's {{#key}}
** is false. */
void present_picture(cJSON *o, const char *key, const picture_opts *opts);

/* Presents the featured picture of each card of the array as a
** thumbnail (present_picture). */
void present_card_pictures(cJSON *cards);

/* Presents the pictures of a full article: its featured picture, large
** and loaded at once (the page's lead picture), the author's avatar in
** the byline, and the related cards' thumbnails. */
void present_article_pictures(cJSON *article);

/* Presents the lead story's featured picture large and loaded at once. */
void present_lead_picture(cJSON *card);

/* Presents an author's avatar (member "image") on the author's page. */
void present_author_picture(cJSON *author);

/* Turns a card record into a card: {id, slug, url, title, summary, lang,
** dir, published_at (ISO), published_display, featured, comment_count,
** comment_count_display, category {id, slug, name, url}, author
** {username, name, url}, rating (see present_rating_summary)}, with
** updated_at (ISO, the later of the edit and the publication) when
** with_updated is set. */
void present_card(const app *a, cJSON *card, int with_updated);

/* Turns each card record of the array into a card. */
void present_cards(const app *a, cJSON *cards, int with_updated);

/* Turns a full article record into the article: a card with updated_at,
** plus body_html, updated_display (null unless edited after
** publication), canonical_url, author.bio, tags [{slug, name, url}] and
** related cards; and updated_time ("09:30", in the site's zone) when it
** has an updated_display. */
void present_article(const app *a, cJSON *article);

/* Adds to an article record with body_html its description for search
** engines and shares: its summary, or when it has none the start of its
** text (160 characters at most, cut after a word). */
void present_description(cJSON *article);

/* Returns the rating summary {average, average_display, count,
** count_display, stars [{value, state, label}]} of count votes summing
** sum. */
cJSON *present_rating_summary(const app *a, long count, long sum);

/* Turns a rating record into {article_id, average, average_display,
** count, count_display, stars, your_vote}. */
void present_rating(const app *a, cJSON *rating);

/* Turns each comment record of the array (and their replies) into {id,
** parent_id, author_name, created_at (ISO), date_display, body,
** body_html, status ("approved" or "held"), pending}. */
void present_comments(const app *a, cJSON *comments);

/* Marks each comment of the threads (top-level comments, their replies
** within; presented) that a reader may answer with can_reply: approved
** ones nested less deep than comment_max_depth (the store refuses a reply
** to the others). */
void present_comment_threads(const app *a, cJSON *threads);

/* Adds total_display to a search: its count of results in the words of
** the site's language ("1 result", "3 results"; Arabic's six forms). */
void present_search_total(const app *a, cJSON *search, long total);

/* Turns a page record ({id, slug, title, [body_html,] [created_at,]
** updated_at}) into what a page or the API shows: url (/page/SLUG) and
** updated_at (ISO); created_at goes; updated_display (a date in the
** site's language) is added when with_display is set. */
void present_page(const app *a, cJSON *page, int with_display);

/* Adds its site path as "url" to category o: /category/ and its path
** (its slug when it has none), each slug encoded. */
void present_category(cJSON *o);

/* Adds its site path as "url" to the category (present_category), tag or
** author o, whose slug (or username) follows prefix. */
void present_taxon(cJSON *o, const char *prefix);

/* Adds its site path as "url" to each category (prefix "/category/"), tag
** ("/tag/") or author ("/author/", from username) of the array. */
void present_taxa(cJSON *list, const char *prefix);

#endif
