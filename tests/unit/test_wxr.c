/*
** Unit tests: the WordPress export (WXR) reader. Small exports written here
** in each version, broken ones with the message a user gets, and, when
** ../shared is there, the Theme Unit Test export read whole.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "wxr.h"

/* What the callbacks saw: one line per call, and counts. */
typedef struct seen {
  buf log;
  int stop_at_item;         /* on_item returns 1 for this item index (0: never) */
  size_t items, comments, authors, categories, tags, terms;
  size_t by_type[5];        /* post, page, attachment, nav_menu_item, other */
  int comment_before_item;  /* a comment came before its item's on_item */
  size_t item_open;         /* index of the item whose on_item was called */
  long keyboard_line;       /* line of the item titled "Keyboard navigation" */
} seen;

static int on_site(void *ud, const wxr_site *s) {
  seen *z = ud;
  buf_printf(&z->log, "site %s|%s|%s|%s|%s|%s|%s\n", s->wxr_version, s->title, s->link,
             s->description, s->language, s->base_site_url, s->base_blog_url);
  return 0;
}

static int on_author(void *ud, const wxr_author *a) {
  seen *z = ud;
  z->authors++;
  buf_printf(&z->log, "author %s|%s|%s|%s|%s|%s\n", a->author_id, a->login, a->email,
             a->display_name, a->first_name, a->last_name);
  return 0;
}

static int on_category(void *ud, const wxr_category *c) {
  seen *z = ud;
  z->categories++;
  buf_printf(&z->log, "category %s|%s|%s|%s|%s\n", c->term_id, c->nicename, c->parent,
             c->name, c->description);
  return 0;
}

static int on_tag(void *ud, const wxr_tag *t) {
  seen *z = ud;
  z->tags++;
  buf_printf(&z->log, "tag %s|%s|%s|%s\n", t->term_id, t->slug, t->name, t->description);
  return 0;
}

static int on_term(void *ud, const wxr_term *t) {
  seen *z = ud;
  z->terms++;
  buf_printf(&z->log, "term %s|%s|%s|%s|%s\n", t->term_id, t->taxonomy, t->slug, t->parent,
             t->name);
  return 0;
}

/* Logs the item's fields; prefix tells which callback. */
static void log_item(seen *z, const char *prefix, const wxr_item *it) {
  buf_printf(&z->log, "%s %zu %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n",
             prefix, it->index, it->post_type, it->post_id, it->title, it->link, it->creator,
             it->guid, it->pub_date, it->post_date, it->post_date_gmt, it->post_modified_gmt,
             it->comment_status, it->post_name, it->status, it->post_parent, it->menu_order,
             it->post_password, it->is_sticky, it->attachment_url, it->description, it->excerpt,
             it->content);
  for (size_t i = 0; i < it->term_count; i++)
    buf_printf(&z->log, "  term %s|%s|%s\n", it->terms[i].domain, it->terms[i].nicename,
               it->terms[i].name);
  for (size_t i = 0; i < it->meta_count; i++)
    buf_printf(&z->log, "  meta %s=%s\n", it->meta[i].key, it->meta[i].value);
  if (it->late) buf_printf(&z->log, "  late %zu\n", it->late);
}

static int on_item(void *ud, const wxr_item *it) {
  seen *z = ud;
  z->item_open = it->index;
  if (z->stop_at_item && (int)it->index == z->stop_at_item) return 1;
  if (!strcmp(it->title, "Keyboard navigation")) z->keyboard_line = it->line;
  log_item(z, "item", it);
  return 0;
}

static int on_comment(void *ud, const wxr_item *it, const wxr_comment *c) {
  seen *z = ud;
  z->comments++;
  if (z->item_open != it->index) z->comment_before_item = 1;
  buf_printf(&z->log, "comment %zu of %s (%zu) %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", it->index,
             it->post_id, it->comments, c->comment_id, c->author, c->author_email,
             c->author_url, c->author_ip, c->date, c->date_gmt, c->content, c->approved, c->type,
             c->parent, c->user_id);
  for (size_t i = 0; i < c->meta_count; i++)
    buf_printf(&z->log, "  cmeta %s=%s\n", c->meta[i].key, c->meta[i].value);
  return 0;
}

static int on_item_end(void *ud, const wxr_item *it) {
  seen *z = ud;
  z->items++;
  const char *types[] = {"post", "page", "attachment", "nav_menu_item"};
  size_t k = 4;
  for (size_t i = 0; i < 4; i++)
    if (!strcmp(it->post_type, types[i])) k = i;
  z->by_type[k]++;
  buf_printf(&z->log, "end %zu comments=%zu terms=%zu meta=%zu late=%zu\n", it->index,
             it->comments, it->term_count, it->meta_count, it->late);
  return 0;
}

/* Reads the document doc from memory into z; returns the result, with
** the message in err. */
static int read_doc(const char *doc, seen *z, char *err, size_t errlen) {
  wxr_handler h = {.ud = z, .on_site = on_site, .on_author = on_author,
                   .on_category = on_category, .on_tag = on_tag, .on_term = on_term,
                   .on_item = on_item, .on_comment = on_comment, .on_item_end = on_item_end};
  err[0] = 0;
  return wxr_read_memory(doc, strlen(doc), &h, err, errlen);
}

#define NS12 " xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"" \
  " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""         \
  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""                      \
  " xmlns:wp=\"http://wordpress.org/export/1.2/\""

static const char EXPORT_12[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
    "<!-- generator=\"WordPress/6.4\" -->\n"
    "<rss version=\"2.0\"" NS12 ">\n"
    "<channel>\n"
    "  <title>The Daily &amp; Night</title>\n"
    "  <link>https://news.example</link>\n"
    "  <description>News all day</description>\n"
    "  <pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>\n"
    "  <language>ar</language>\n"
    "  <wp:wxr_version>1.2</wp:wxr_version>\n"
    "  <wp:base_site_url>https://news.example</wp:base_site_url>\n"
    "  <wp:base_blog_url>https://news.example</wp:base_blog_url>\n"
    "  <wp:author><wp:author_id>3</wp:author_id><wp:author_login><![CDATA[layla]]>"
    "</wp:author_login><wp:author_email><![CDATA[layla@news.example]]></wp:author_email>"
    "<wp:author_display_name><![CDATA[ليلى]]></wp:author_display_name>"
    "<wp:author_first_name><![CDATA[Layla]]></wp:author_first_name>"
    "<wp:author_last_name><![CDATA[Haddad]]></wp:author_last_name></wp:author>\n"
    "  <wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[world]]>"
    "</wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent>"
    "<wp:cat_name><![CDATA[World]]></wp:cat_name></wp:category>\n"
    "  <wp:category><wp:term_id>6</wp:term_id><wp:category_nicename>middle-east"
    "</wp:category_nicename><wp:category_parent>world</wp:category_parent>"
    "<wp:cat_name><![CDATA[Middle East]]></wp:cat_name>"
    "<wp:category_description><![CDATA[From Cairo to Baghdad]]></wp:category_description>"
    "</wp:category>\n"
    "  <wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug>elections</wp:tag_slug>"
    "<wp:tag_name><![CDATA[Elections]]></wp:tag_name></wp:tag>\n"
    "  <wp:term><wp:term_id>12</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy>"
    "<wp:term_slug>main</wp:term_slug><wp:term_name><![CDATA[Main]]></wp:term_name></wp:term>\n"
    "  <generator>https://wordpress.org/?v=6.4</generator>\n"
    "  <item>\n"
    "    <title><![CDATA[Votes counted]]></title>\n"
    "    <link>https://news.example/2024/01/votes-counted/</link>\n"
    "    <pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>\n"
    "    <dc:creator><![CDATA[layla]]></dc:creator>\n"
    "    <guid isPermaLink=\"false\">https://news.example/?p=10</guid>\n"
    "    <description></description>\n"
    "    <content:encoded><![CDATA[<p>The count <em>ended</em>.</p>]]></content:encoded>\n"
    "    <excerpt:encoded><![CDATA[Counted.]]></excerpt:encoded>\n"
    "    <wp:post_id>10</wp:post_id>\n"
    "    <wp:post_date><![CDATA[2024-01-01 12:00:00]]></wp:post_date>\n"
    "    <wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt>\n"
    "    <wp:post_modified_gmt><![CDATA[2024-01-02 08:30:00]]></wp:post_modified_gmt>\n"
    "    <wp:comment_status><![CDATA[open]]></wp:comment_status>\n"
    "    <wp:ping_status><![CDATA[closed]]></wp:ping_status>\n"
    "    <wp:post_name><![CDATA[votes-counted]]></wp:post_name>\n"
    "    <wp:status><![CDATA[publish]]></wp:status>\n"
    "    <wp:post_parent>0</wp:post_parent>\n"
    "    <wp:menu_order>0</wp:menu_order>\n"
    "    <wp:post_type><![CDATA[post]]></wp:post_type>\n"
    "    <wp:post_password><![CDATA[]]></wp:post_password>\n"
    "    <wp:is_sticky>1</wp:is_sticky>\n"
    "    <category domain=\"category\" nicename=\"middle-east\"><![CDATA[Middle East]]></category>\n"
    "    <category domain=\"post_tag\" nicename=\"elections\"><![CDATA[Elections]]></category>\n"
    "    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>"
    "<wp:meta_value><![CDATA[11]]></wp:meta_value></wp:postmeta>\n"
    "    <wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key>"
    "<wp:meta_value><![CDATA[count]]></wp:meta_value></wp:postmeta>\n"
    "    <wp:comment>\n"
    "      <wp:comment_id>100</wp:comment_id>\n"
    "      <wp:comment_author><![CDATA[Sami]]></wp:comment_author>\n"
    "      <wp:comment_author_email><![CDATA[sami@mail.example]]></wp:comment_author_email>\n"
    "      <wp:comment_author_url>https://sami.example</wp:comment_author_url>\n"
    "      <wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>\n"
    "      <wp:comment_date><![CDATA[2024-01-01 13:00:00]]></wp:comment_date>\n"
    "      <wp:comment_date_gmt><![CDATA[2024-01-01 11:00:00]]></wp:comment_date_gmt>\n"
    "      <wp:comment_content><![CDATA[Finally <b>done</b>]]></wp:comment_content>\n"
    "      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>\n"
    "      <wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
    "      <wp:comment_parent>0</wp:comment_parent>\n"
    "      <wp:comment_user_id>0</wp:comment_user_id>\n"
    "      <wp:commentmeta><wp:meta_key><![CDATA[akismet_result]]></wp:meta_key>"
    "<wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>\n"
    "    </wp:comment>\n"
    "    <wp:comment>\n"
    "      <wp:comment_id>101</wp:comment_id>\n"
    "      <wp:comment_author><![CDATA[Layla]]></wp:comment_author>\n"
    "      <wp:comment_approved>spam</wp:comment_approved>\n"
    "      <wp:comment_parent>100</wp:comment_parent>\n"
    "      <wp:comment_user_id>3</wp:comment_user_id>\n"
    "    </wp:comment>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>Ballot box</title>\n"
    "    <wp:post_id>11</wp:post_id>\n"
    "    <wp:post_parent>10</wp:post_parent>\n"
    "    <wp:post_type>attachment</wp:post_type>\n"
    "    <wp:attachment_url><![CDATA[https://news.example/uploads/box.jpg]]></wp:attachment_url>\n"
    "    <wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
    "<wp:meta_value>2024/01/box.jpg</wp:meta_value></wp:postmeta>\n"
    "  </item>\n"
    "</channel>\n"
    "</rss>\n";

/* A 1.2 export: every kind of record arrives with its fields, in order. */
static void export_12_is_read_whole(void **state) {
  (void)state;
  seen z = {0};
  char err[256];
  assert_int_equal(read_doc(EXPORT_12, &z, err, sizeof err), 0);
  assert_string_equal(err, "");
  assert_string_equal(
      buf_str(&z.log),
      "site 1.2|The Daily & Night|https://news.example|News all day|ar|https://news.example|"
      "https://news.example\n"
      "author 3|layla|layla@news.example|ليلى|Layla|Haddad\n"
      "category 5|world||World|\n"
      "category 6|middle-east|world|Middle East|From Cairo to Baghdad\n"
      "tag 9|elections|Elections|\n"
      "term 12|nav_menu|main||Main\n"
      "item 1 post|10|Votes counted|https://news.example/2024/01/votes-counted/|layla|"
      "https://news.example/?p=10|Mon, 01 Jan 2024 10:00:00 +0000|2024-01-01 12:00:00|"
      "2024-01-01 10:00:00|2024-01-02 08:30:00|open|votes-counted|publish|0|0||1|||Counted.|"
      "<p>The count <em>ended</em>.</p>\n"
      "  term category|middle-east|Middle East\n"
      "  term post_tag|elections|Elections\n"
      "  meta _thumbnail_id=11\n"
      "  meta _wp_old_slug=count\n"
      "comment 1 of 10 (1) 100|Sami|sami@mail.example|https://sami.example|192.0.2.1|"
      "2024-01-01 13:00:00|2024-01-01 11:00:00|Finally <b>done</b>|1|comment|0|0\n"
      "  cmeta akismet_result=false\n"
      "comment 1 of 10 (2) 101|Layla|||||||spam||100|3\n"
      "end 1 comments=2 terms=2 meta=2 late=0\n"
      "item 2 attachment|11|Ballot box|||||||||||10||||https://news.example/uploads/box.jpg|||\n"
      "  meta _wp_attached_file=2024/01/box.jpg\n"
      "end 2 comments=0 terms=0 meta=1 late=0\n");
  buf_free(&z.log);
}

/* WXR 1.0 (no authors, no term ids) and 1.1 (authors without ids). */
static void versions_10_and_11_are_read(void **state) {
  (void)state;
  const char *v10 =
      "<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.0/\""
      " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
      "<channel><title>Old blog</title><wp:wxr_version>1.0</wp:wxr_version>"
      "<wp:category><wp:category_nicename>news</wp:category_nicename>"
      "<wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>"
      "<wp:tag><wp:tag_slug>x</wp:tag_slug><wp:tag_name>X</wp:tag_name></wp:tag>"
      "<item><title>Hello</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
      "<content:encoded>Hi</content:encoded><category>News</category></item>"
      "</channel></rss>";
  seen z = {0};
  char err[256];
  assert_int_equal(read_doc(v10, &z, err, sizeof err), 0);
  assert_string_equal(buf_str(&z.log),
                      "site 1.0|Old blog|||||\n"
                      "category |news||News|\n"
                      "tag |x|X|\n"
                      "item 1 post|1|Hello||||||||||||||||||Hi\n"
                      "  term ||News\n"
                      "end 1 comments=0 terms=1 meta=0 late=0\n");
  buf_free(&z.log);

  const char *v11 =
      "<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.1/\">"
      "<channel><wp:wxr_version>1.1</wp:wxr_version>"
      "<wp:author><wp:author_login>ed</wp:author_login>"
      "<wp:author_email>ed@example.com</wp:author_email></wp:author>"
      "<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>a</wp:category_nicename>"
      "</wp:category></channel></rss>";
  z = (seen){0};
  assert_int_equal(read_doc(v11, &z, err, sizeof err), 0);
  assert_string_equal(buf_str(&z.log),
                      "site 1.1||||||\n"
                      "author |ed|ed@example.com|||\n"
                      "category 4|a|||\n");
  buf_free(&z.log);
}

/* Comments come one at a time, after their item, each seeing the item;
** a field written after a comment reaches on_item_end only. */
static void comments_arrive_one_at_a_time(void **state) {
  (void)state;
  buf doc = {0};
  buf_puts(&doc, "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version>"
                 "<item><title>Busy</title><wp:post_id>7</wp:post_id>");
  for (int i = 1; i <= 3; i++)
    buf_printf(&doc, "<wp:comment><wp:comment_id>%d</wp:comment_id>"
                     "<wp:comment_content>n%d</wp:comment_content>"
                     "<wp:comment_parent>%d</wp:comment_parent></wp:comment>", i, i, i - 1);
  buf_puts(&doc, "<wp:postmeta><wp:meta_key>late</wp:meta_key><wp:meta_value>yes"
                 "</wp:meta_value></wp:postmeta><wp:status>draft</wp:status>"
                 "</item></channel></rss>");
  seen z = {0};
  char err[256];
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), 0);
  assert_false(z.comment_before_item);
  assert_string_equal(buf_str(&z.log),
                      "site 1.2||||||\n"
                      "item 1 |7|Busy||||||||||||||||||\n"
                      "comment 1 of 7 (1) 1|||||||n1|||0|\n"
                      "comment 1 of 7 (2) 2|||||||n2|||1|\n"
                      "comment 1 of 7 (3) 3|||||||n3|||2|\n"
                      "end 1 comments=3 terms=0 meta=1 late=2\n");
  buf_free(&z.log);
  buf_free(&doc);
}

/* A file cut short: the message gives where it ends. */
static void truncated_file_gives_line_and_column(void **state) {
  (void)state;
  char *cut = strndup(EXPORT_12, (size_t)(strstr(EXPORT_12, "<wp:comment_id>101") - EXPORT_12));
  seen z = {0};
  char err[256];
  assert_int_equal(read_doc(cut, &z, err, sizeof err), WXR_MALFORMED);
  assert_string_equal(err, "line 61, column 7: malformed XML: the file ends before the "
                           "document does (is it cut short?)");
  free(cut);
  buf_free(&z.log);

  z = (seen){0};
  const char *bad = "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version>\n"
                    "<item><title>Fish & chips</title></item></channel></rss>";
  assert_int_equal(read_doc(bad, &z, err, sizeof err), WXR_MALFORMED);
  assert_string_equal(err, "line 2, column 20: malformed XML: xmlParseEntityRef: no name");
  buf_free(&z.log);
}

/* Other XML: a plain RSS feed, an Atom feed, an unknown WXR version. */
static void other_documents_are_refused(void **state) {
  (void)state;
  seen z = {0};
  char err[256];
  const char *rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n"
                    "<title>A feed</title>\n<item><title>Post</title></item>\n"
                    "</channel></rss>";
  assert_int_equal(read_doc(rss, &z, err, sizeof err), WXR_NOT_WXR);
  assert_string_equal(err, "line 5, column 17: not a WXR file: the channel has no "
                           "wp:wxr_version before its first author, term or item");
  assert_int_equal(z.items, 0);

  const char *atom = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"/>";
  assert_int_equal(read_doc(atom, &z, err, sizeof err), WXR_NOT_WXR);
  assert_string_equal(err, "line 2, column 44: not a WXR file: the root element is <feed>, "
                           "not <rss>");

  const char *v13 = "<rss xmlns:wp=\"http://wordpress.org/export/1.3/\"><channel>\n"
                    "<wp:wxr_version>1.3</wp:wxr_version></channel></rss>";
  assert_int_equal(read_doc(v13, &z, err, sizeof err), WXR_BAD_VERSION);
  assert_string_equal(err, "line 2, column 53: unknown WXR version '1.3' (this reader knows "
                           "1.0, 1.1 and 1.2)");

  const char *latin1 = "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version>\n"
                       "<item><title>caf\xe9</title></item></channel></rss>";
  assert_int_equal(read_doc(latin1, &z, err, sizeof err), WXR_MALFORMED);
  assert_string_equal(err, "line 2, column 17: malformed XML: Input is not proper UTF-8, "
                           "indicate encoding ! Bytes: 0xE9 0x3C 0x2F 0x74");

  const char *empty_channel = "<rss><channel></channel></rss>";
  assert_int_equal(read_doc(empty_channel, &z, err, sizeof err), WXR_NOT_WXR);
  assert_int_equal(read_doc("", &z, err, sizeof err), WXR_MALFORMED);
  assert_int_equal(read_doc("<rss/>", &z, err, sizeof err), WXR_NOT_WXR);
  assert_string_equal(err, "line 1, column 7: not a WXR file: no channel in the rss");
  buf_free(&z.log);
}

/* No document type, so no entity of any kind is ever expanded or loaded. */
static void entities_and_doctypes_are_refused(void **state) {
  (void)state;
  seen z = {0};
  char err[256];
  const char *xxe = "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                    "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version>"
                    "<item><title>&x;</title></item></channel></rss>";
  assert_int_equal(read_doc(xxe, &z, err, sizeof err), WXR_MALFORMED);
  assert_non_null(strstr(err, "a document type declaration is not allowed in WXR"));
  assert_int_equal(z.items, 0);
  const char *laughs = "<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                       "<rss><channel>&b;</channel></rss>";
  assert_int_equal(read_doc(laughs, &z, err, sizeof err), WXR_MALFORMED);
  buf_free(&z.log);
}

/* An over-long field is refused with the item named, never cut. */
static void over_long_fields_name_the_item(void **state) {
  (void)state;
  buf doc = {0};
  buf_puts(&doc, "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version>\n"
                 "<item><title>First</title></item>\n<item><title>Long read</title>"
                 "<wp:post_id>42</wp:post_id><content:encoded><![CDATA[");
  for (size_t i = 0; i < WXR_MAX_CONTENT / 64 + 1; i++)
    buf_puts(&doc, "All work and no play makes Jack a dull boy; all work and no play.\n");
  buf_puts(&doc, "]]></content:encoded></item></channel></rss>");
  seen z = {0};
  char err[256];
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), WXR_TOO_LARGE);
  assert_non_null(strstr(err, "content:encoded is longer than 8388608 bytes in item 2 "
                              "'Long read', post 42 (from line 3)"));
  assert_int_equal(z.items, 1);
  buf_reset(&doc);

  buf_puts(&doc, "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>");
  for (int i = 0; i < WXR_MAX_LINE + 1; i++) buf_putc(&doc, 'x');
  buf_puts(&doc, "</title></item></channel></rss>");
  buf_free(&z.log);
  z = (seen){0};
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), WXR_TOO_LARGE);
  assert_non_null(strstr(err, ": title is longer than 4096 bytes in item 1 (from line 1)"));
  buf_reset(&doc);

  buf_puts(&doc, "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version><item>"
                 "<title>Meta</title>");
  for (int i = 0; i <= WXR_MAX_META; i++)
    buf_puts(&doc, "<wp:postmeta><wp:meta_key>k</wp:meta_key></wp:postmeta>");
  buf_puts(&doc, "</item></channel></rss>");
  buf_free(&z.log);
  z = (seen){0};
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), WXR_TOO_LARGE);
  assert_non_null(strstr(err, "more than 1024 wp:postmeta"));
  assert_non_null(strstr(err, "item 1 'Meta'"));
  buf_free(&doc);
  buf_free(&z.log);
}

/* A callback that returns non-zero stops the read at once. */
static void a_callback_stops_the_read(void **state) {
  (void)state;
  seen z = {.stop_at_item = 2};
  char err[256];
  assert_int_equal(read_doc(EXPORT_12, &z, err, sizeof err), WXR_STOPPED);
  assert_non_null(strstr(err, "stopped in item 2 'Ballot box', post 11"));
  assert_int_equal(z.items, 1);
  buf_free(&z.log);
}

/* The file entry point reads what the memory one reads. */
static void file_and_memory_agree(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  char path[512];
  snprintf(path, sizeof path, "%s/gazette-wxr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, EXPORT_12, strlen(EXPORT_12)), (ssize_t)strlen(EXPORT_12));
  close(fd);
  seen a = {0}, b = {0};
  char err[256];
  assert_int_equal(read_doc(EXPORT_12, &a, err, sizeof err), 0);
  wxr_handler h = {.ud = &b, .on_site = on_site, .on_author = on_author,
                   .on_category = on_category, .on_tag = on_tag, .on_term = on_term,
                   .on_item = on_item, .on_comment = on_comment, .on_item_end = on_item_end};
  assert_int_equal(wxr_read_file(path, &h, err, sizeof err), 0);
  assert_string_equal(buf_str(&a.log), buf_str(&b.log));
  unlink(path);
  assert_int_equal(wxr_read_file(path, &h, err, sizeof err), -1);
  assert_non_null(strstr(err, "cannot open"));
  buf_free(&a.log);
  buf_free(&b.log);
}

/* Reads doc from a file, as the import does; returns the result. */
static int read_file_doc(const char *doc, size_t n, seen *z, char *err, size_t errlen) {
  const char *tmp = getenv("TMPDIR");
  char path[512];
  snprintf(path, sizeof path, "%s/gazette-wxr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, doc, n), (ssize_t)n);
  close(fd);
  wxr_handler h = {.ud = z, .on_site = on_site, .on_item = on_item};
  int rc = wxr_read_file(path, &h, err, errlen);
  unlink(path);
  return rc;
}

/* Appends an item whose <title> has n attributes, with '=' and '>' in
** some values (which are not attributes). */
static void item_with_attributes(buf *doc, int n) {
  buf_puts(doc, "<item><title");
  for (int i = 0; i < n; i++) buf_printf(doc, " a%d=\"%s\"", i, i % 50 ? "1" : "x=y>z");
  buf_puts(doc, ">T</title></item>\n");
}

/* libxml2 compares each attribute of a tag with all before it: an element
** with more than WXR_MAX_ATTRIBUTES is refused before it reads them, from
** memory and from a file; comments, CDATA and quoted values are not
** counted. A NUL byte (UTF-16) is refused. */
static void elements_with_too_many_attributes_are_refused(void **state) {
  (void)state;
  seen z = {0};
  char err[256];
  buf doc = {0};
  const char *head = "<rss" NS12 "><channel><wp:wxr_version>1.2</wp:wxr_version>\n";
  buf_puts(&doc, head);
  item_with_attributes(&doc, WXR_MAX_ATTRIBUTES);
  buf_puts(&doc, "<!-- <x");
  for (int i = 0; i < 2 * WXR_MAX_ATTRIBUTES; i++) buf_printf(&doc, " c%d=\"1\"", i);
  buf_puts(&doc, " -> --><item><description><![CDATA[<p");
  for (int i = 0; i < 2 * WXR_MAX_ATTRIBUTES; i++) buf_printf(&doc, " d%d=\"1\"", i);
  buf_puts(&doc, ">]]]></description></item>\n");
  size_t fine = doc.len;
  buf_puts(&doc, "</channel></rss>\n");
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), 0);
  assert_int_equal(read_file_doc(doc.data, doc.len, &z, err, sizeof err), 0);
  doc.len = fine;
  item_with_attributes(&doc, WXR_MAX_ATTRIBUTES + 1);
  buf_puts(&doc, "</channel></rss>\n");
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), WXR_TOO_LARGE);
  assert_non_null(strstr(err, "an element has more than 256 attributes"));
  err[0] = 0;
  assert_int_equal(read_file_doc(doc.data, doc.len, &z, err, sizeof err), WXR_TOO_LARGE);
  assert_non_null(strstr(err, "an element has more than 256 attributes"));
  /* A file large enough to be read in many pieces: the count goes on
  ** across them. */
  buf_reset(&doc);
  buf_puts(&doc, head);
  for (int i = 0; i < 2000; i++) buf_puts(&doc, "<item><title>Filler</title></item>\n");
  buf_puts(&doc, "<item><title");
  for (int i = 0; i < 100000; i++) buf_printf(&doc, " b%d=\"1\"", i);
  buf_puts(&doc, ">T</title></item></channel></rss>\n");
  assert_int_equal(read_file_doc(doc.data, doc.len, &z, err, sizeof err), WXR_TOO_LARGE);
  assert_non_null(strstr(err, "an element has more than 256 attributes"));
  static const char utf16[] = "<\0r\0s\0s\0/\0>\0";
  assert_int_equal(read_file_doc(utf16, sizeof utf16 - 1, &z, err, sizeof err), WXR_MALFORMED);
  assert_non_null(strstr(err, "NUL byte"));
  /* A '>' in a document type's literal would end it early for the count:
  ** a declaration is refused before the parser reads what follows. */
  buf_reset(&doc);
  buf_puts(&doc, "<!DOCTYPE r SYSTEM \"x><x y='\"><rss");
  for (int i = 0; i < 1000; i++) buf_printf(&doc, " a%d=\"\"", i);
  buf_puts(&doc, "/>");
  assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), WXR_MALFORMED);
  assert_non_null(strstr(err, "a document type declaration is not allowed in WXR"));
  assert_int_equal(read_file_doc(doc.data, doc.len, &z, err, sizeof err), WXR_MALFORMED);
  assert_non_null(strstr(err, "a document type declaration is not allowed in WXR"));
  /* Encodings whose markup is not ASCII's bytes are refused: declared
  ** UTF-7 or UTF-16, EBCDIC by its first bytes. */
  static const char *const unread[] = {
      "<?xml version=\"1.0\" encoding=\"UTF-7\"?><rss/>",
      "<?xml version='1.0' encoding = 'utf-16'?><rss/>",
      "\x4C\x6F\xA7\x94\x93\x40\xA5\x85"};
  for (size_t i = 0; i < sizeof unread / sizeof *unread; i++) {
    assert_int_equal(read_doc(unread[i], &z, err, sizeof err), WXR_MALFORMED);
    assert_non_null(strstr(err, "encoding is not one Gazette reads"));
  }
  buf_free(&doc);
  buf_free(&z.log);
}

/* An export in an encoding whose markup is ASCII's is read in it: an old
** site's ISO-8859-1 or windows-1252 export comes out in UTF-8. */
static void declared_single_byte_encodings_are_read(void **state) {
  (void)state;
  seen z = {0};
  char err[256];
  static const char *const names[] = {"ISO-8859-1", "windows-1252", "iso-8859-15", "UTF-8"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    buf doc = {0};
    buf_printf(&doc, "<?xml version=\"1.0\" encoding=\"%s\" ?>\n<rss" NS12 "><channel>"
               "<wp:wxr_version>1.2</wp:wxr_version><item><title>%s</title></item>"
               "</channel></rss>", names[i], i < 3 ? "caf\xe9" : "caf\xc3\xa9");
    buf_reset(&z.log);
    assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), 0);
    assert_non_null(strstr(buf_str(&z.log), "caf\xc3\xa9"));
    z.log.len = 0;
    assert_int_equal(read_file_doc(doc.data, doc.len, &z, err, sizeof err), 0);
    buf_free(&doc);
  }
  buf_free(&z.log);
}

/* An export declared in ISO-8859-1 with a word processor's curly quotes,
** dash and euro sign (windows-1252's bytes 0x80 to 0x9F): the reader sees
** them, as a browser would show them, not invisible control characters;
** the same bytes declared windows-1252 read the same; a control character
** written in UTF-8 stays as written. */
static void latin1_exports_read_windows_1252s_characters(void **state) {
  (void)state;
  seen z = {0};
  char err[256];
  static const char *const names[] = {"ISO-8859-1", "latin1", "windows-1252", "UTF-8"};
  static const char *const titles[] = {"\x93" "Caf\xe9\x94 \x96 5 \x80 \x81",
                                       "\x93" "Caf\xe9\x94 \x96 5 \x80 \x81",
                                       "\x93" "Caf\xe9\x94 \x96 5 \x80",
                                       "\xc2\x93" "Caf\xc3\xa9\xc2\x94"};
  static const char *const want[] = {
      "\xe2\x80\x9c" "Caf\xc3\xa9\xe2\x80\x9d \xe2\x80\x93 5 \xe2\x82\xac \xc2\x81",
      "\xe2\x80\x9c" "Caf\xc3\xa9\xe2\x80\x9d \xe2\x80\x93 5 \xe2\x82\xac \xc2\x81",
      "\xe2\x80\x9c" "Caf\xc3\xa9\xe2\x80\x9d \xe2\x80\x93 5 \xe2\x82\xac",
      "\xc2\x93" "Caf\xc3\xa9\xc2\x94"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    buf doc = {0};
    buf_printf(&doc, "<?xml version=\"1.0\" encoding=\"%s\" ?>\n<rss" NS12 "><channel>"
               "<wp:wxr_version>1.2</wp:wxr_version><item><title>%s</title></item>"
               "</channel></rss>", names[i], titles[i]);
    buf_reset(&z.log);
    assert_int_equal(read_doc(buf_str(&doc), &z, err, sizeof err), 0);
    assert_non_null(strstr(buf_str(&z.log), want[i]));
    z.log.len = 0;
    assert_int_equal(read_file_doc(doc.data, doc.len, &z, err, sizeof err), 0);
    assert_non_null(strstr(buf_str(&z.log), want[i]));
    buf_free(&doc);
  }
  buf_free(&z.log);
}

/* Reads doc from a pipe that brings its first `first` bytes alone (a
** first read of a byte or two); returns the result. */
static int read_piped_doc(const char *doc, size_t n, size_t first, char *err, size_t errlen) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    int ok = write(fds[1], doc, first) == (ssize_t)first;
    usleep(100000);
    ok = ok && write(fds[1], doc + first, n - first) == (ssize_t)(n - first);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  seen z = {0};
  wxr_handler h = {.ud = &z, .on_site = on_site};
  int rc = wxr_read_fd(fds[0], &h, err, errlen);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  buf_free(&z.log);
  return rc;
}

/* An encoding is known only once the first bytes say it: a byte order
** mark or EBCDIC's first bytes arriving alone do not let a declaration of
** EBCDIC through; a UTF-8 file arriving so is read. */
static void the_encoding_waits_for_the_first_bytes(void **state) {
  (void)state;
  char err[256];
  /* "<rss/>" in EBCDIC (IBM037). */
  static const char bom_ibm037[] = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"IBM037\"?>"
                                   "\x4C\x99\xA2\xA2\x61\x6E";
  static const char ebcdic[] = "\x4C\x6F\xA7\x94\x93\x40\xA5\x85\x99\xA2\x89\x96\x95";
  for (size_t first = 1; first <= 3; first++) {
    assert_int_equal(read_piped_doc(bom_ibm037, sizeof bom_ibm037 - 1, first, err, sizeof err),
                     WXR_MALFORMED);
    assert_non_null(strstr(err, "encoding is not one Gazette reads"));
    assert_int_equal(read_piped_doc(ebcdic, sizeof ebcdic - 1, first, err, sizeof err),
                     WXR_MALFORMED);
    assert_non_null(strstr(err, "encoding is not one Gazette reads"));
    assert_int_equal(read_piped_doc(EXPORT_12, strlen(EXPORT_12), first, err, sizeof err), 0);
  }
}

/* WordPress dates: real ones, absent ones, impossible ones. */
static void dates_are_parsed_strictly(void **state) {
  (void)state;
  int64_t t = -1;
  assert_int_equal(wxr_date("1970-01-01 00:00:00", &t), 0);
  assert_int_equal(t, 0);
  assert_int_equal(wxr_date("2024-02-29 23:59:59", &t), 0);
  assert_int_equal(t, 1709251199);
  assert_int_equal(wxr_date("2007-09-04 17:47:47", &t), 0);
  assert_int_equal(t, 1188928067);
  assert_int_equal(wxr_date("1969-12-31 23:59:59", &t), 0);
  assert_int_equal(t, -1);
  assert_int_equal(wxr_date("2100-03-01 00:00:00", &t), 0);
  assert_int_equal(t, 4107542400);
  assert_int_equal(wxr_date("0000-00-00 00:00:00", &t), WXR_ABSENT);
  assert_int_equal(wxr_date("", &t), WXR_ABSENT);
  assert_int_equal(wxr_date("2023-02-29 00:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-02-30 00:00:00", &t), -1);
  assert_int_equal(wxr_date("2100-02-29 00:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-04-31 00:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-13-01 00:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-01-01 24:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-01-01 10:60:00", &t), -1);
  assert_int_equal(wxr_date("2024-01-01T10:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-1-01 10:00:00", &t), -1);
  assert_int_equal(wxr_date("0000-01-01 00:00:00", &t), -1);
  assert_int_equal(wxr_date("2024-01-01 10:00:00 ", &t), -1);
  int64_t id = -1;
  assert_int_equal(wxr_id("1724", &id), 0);
  assert_int_equal(id, 1724);
  assert_int_equal(wxr_id("", &id), WXR_ABSENT);
  assert_int_equal(wxr_id("-1", &id), -1);
  assert_int_equal(wxr_id("12a", &id), -1);
  assert_int_equal(wxr_id("99999999999999999999", &id), -1);
}

/* Returns the path of a file under ../shared in a new string, or NULL
** when the directory is not there. */
static char *shared_path(const char *rel) {
  const char *root = getenv("GAZETTE_ROOT");
  if (!root) return NULL;
  buf p = {0};
  buf_printf(&p, "%s/../shared/%s", root, rel);
  if (access(p.data, R_OK)) {
    buf_free(&p);
    return NULL;
  }
  return p.data;
}

/* The Theme Unit Test export read whole: the counts its README gives. */
static void real_export_is_read_whole(void **state) {
  (void)state;
  char *path = shared_path("wordpress/themeunittestdata.wordpress.xml");
  if (!path) {
    print_message("../shared/wordpress is not there: skipped\n");
    skip();
  }
  seen z = {0};
  wxr_handler h = {.ud = &z, .on_site = on_site, .on_author = on_author,
                   .on_category = on_category, .on_tag = on_tag, .on_term = on_term,
                   .on_item = on_item, .on_comment = on_comment, .on_item_end = on_item_end};
  char err[256] = "";
  assert_int_equal(wxr_read_file(path, &h, err, sizeof err), 0);
  free(path);
  assert_int_equal(z.by_type[0], 51);
  assert_int_equal(z.by_type[1], 21);
  assert_int_equal(z.by_type[2], 38);
  assert_int_equal(z.by_type[3], 70);
  assert_int_equal(z.by_type[4], 0);
  assert_int_equal(z.comments, 32);
  assert_int_equal(z.authors, 2);
  assert_int_equal(z.categories, 67);
  assert_int_equal(z.tags, 110);
  assert_int_equal(z.terms, 6);
  assert_false(z.comment_before_item);
  assert_int_equal(z.keyboard_line, 1069);
  const char *log = buf_str(&z.log);
  assert_non_null(strstr(log, "site 1.2|Theme Unit Test Data|https://wpthemetestdata.wordpress"
                              ".com|Just another WordPress website with a purposefully really "
                              "long description|en|https://wordpress.com/|"
                              "https://wpthemetestdata.wordpress.com\n"));
  assert_non_null(strstr(log, "author |themedemos|themeshaperwp+demos@gmail.com|Theme Buster||\n"));
  buf_free(&z.log);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(export_12_is_read_whole),
      cmocka_unit_test(versions_10_and_11_are_read),
      cmocka_unit_test(comments_arrive_one_at_a_time),
      cmocka_unit_test(truncated_file_gives_line_and_column),
      cmocka_unit_test(other_documents_are_refused),
      cmocka_unit_test(entities_and_doctypes_are_refused),
      cmocka_unit_test(declared_single_byte_encodings_are_read),
      cmocka_unit_test(latin1_exports_read_windows_1252s_characters),
      cmocka_unit_test(the_encoding_waits_for_the_first_bytes),
      cmocka_unit_test(over_long_fields_name_the_item),
      cmocka_unit_test(a_callback_stops_the_read),
      cmocka_unit_test(file_and_memory_agree),
      cmocka_unit_test(elements_with_too_many_attributes_are_refused),
      cmocka_unit_test(dates_are_parsed_strictly),
      cmocka_unit_test(real_export_is_read_whole),
  };
  return cmocka_run_group_tests_name("wxr", tests, NULL, NULL);
}
