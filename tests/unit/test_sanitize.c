/*
** Unit tests: the HTML sanitizer for imported WordPress bodies. Attacks
** that must not pass, the shortcodes and automatic paragraphs a WordPress
** body uses, and, when ../shared is there, every body of the Theme Unit
** Test export checked element by element.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/HTMLparser.h>

#include "buf.h"
#include "sanitize.h"
#include "wxr.h"

static const char *const EMBEDS[] = {"www.youtube.com/embed/", "www.youtube-nocookie.com/embed/",
                                     "player.vimeo.com/video/", NULL};
static const char *const OWN[] = {"news.example", "wpthemetestdata.wordpress.com", NULL};

/* Attachments 1 to 99 exist (1 with a caption); 100 and above do not. */
static int image(void *ud, long long id, sanitize_image *img) {
  static char url[64];
  (void)ud;
  if (id < 1 || id > 99) return 1;
  snprintf(url, sizeof url, "https://news.example/uploads/%lld.jpg", id);
  *img = (sanitize_image){.url = url, .alt = "Photo", .width = 640, .height = 480,
                          .caption = id == 1 ? "Cairo at night" : NULL};
  return 0;
}

/* The post's attached images, for [gallery] without ids. */
static size_t attached(void *ud, long long *ids, size_t max) {
  (void)ud;
  if (max < 2) return 0;
  ids[0] = 7;
  ids[1] = 8;
  return 2;
}

static const sanitize_options OPTIONS = {.embed_prefixes = EMBEDS, .own_hosts = OWN,
                                         .image = image, .attached = attached};

/* Sanitizes s with flags; returns the HTML in a static buffer, and the
** report in *rep when rep is given. Fails the test on a refusal. */
static const char *clean(const char *s, int flags, sanitize_report *rep) {
  static buf out;
  sanitize_options o = OPTIONS;
  o.flags = flags;
  char err[200] = "";
  buf_free(&out);
  sanitize_report r;
  int rc = sanitize_html(s, strlen(s), &o, &out, rep ? rep : &r, err, sizeof err);
  if (rc) fail_msg("refused (%d): %s", rc, err);
  return buf_str(&out);
}

#define HTML SANITIZE_HTML_ONLY

/* Script, styles and event handlers go; the text around them stays. */
static void scripts_and_handlers_go(void **state) {
  (void)state;
  sanitize_report r;
  assert_string_equal(clean("<p onclick=\"steal()\" onmouseover=x>Hi<script>alert(1)</script>"
                            " there</p>", HTML, &r),
                      "<p>Hi there</p>");
  assert_int_equal(r.elements, 1);
  assert_int_equal(r.attributes, 2);
  assert_string_equal(clean("<style>body{display:none}</style><div style=\"width: "
                            "expression(alert(1))\" class=\"x alignleft\">Box</div>", HTML, &r),
                      "<div class=\"alignleft\">Box</div>");
  assert_int_equal(r.elements, 1);
  assert_int_equal(r.attributes, 2);
  assert_string_equal(clean("<svg onload=alert(1)><circle r=1 /></svg><math><mi>x</mi></math>"
                            "<img src=x onerror=alert(1)>", HTML, &r),
                      "<img src=\"x\" alt=\"\">");
  assert_int_equal(r.elements, 2);
  assert_string_equal(clean("<body onload=alert(1)><noscript><p>n</p></noscript>"
                            "<object data=x></object><embed src=x><template>t</template>ok",
                            HTML, NULL),
                      "ok");
}

/* javascript:, data: and vbscript: URLs go however they are written. */
static void dangerous_urls_go(void **state) {
  (void)state;
  const char *vectors[] = {
      "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
      "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
      "jav&#x09;ascript:alert(1)", "jav&#x0A;ascript:alert(1)", "java\tscript:alert(1)",
      " \x01javascript:alert(1)", "  javascript:alert(1)  ", "vbscript:msgbox(1)",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:image/svg+xml,<svg>",
      "javascript&#58;alert(1)", "jav&#0000009;ascript:alert(1)", "feed:javascript:alert(1)",
      "https://user:pw@evil.example/", "file:///etc/passwd", ":alert(1)", "%20javascript:x:",
};
  for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
    buf in = {0};
    buf_printf(&in, "<p><a href=\"%s\">link</a> <img src=\"%s\" alt=\"i\"> "
                    "<q cite=\"%s\">q</q></p>", vectors[i], vectors[i], vectors[i]);
    sanitize_report r;
    const char *out = clean(buf_str(&in), HTML, &r);
    if (strcmp(out, "<p>link  <q>q</q></p>")) fail_msg("%s gave %s", vectors[i], out);
    assert_int_equal(r.urls, 3);
    buf_free(&in);
  }
  assert_string_equal(clean("<a href=\"mailto:desk@news.example\">Mail</a> <a href=\"tel:+20 "
                            "2-555\">+20 2-555</a>", HTML, NULL),
                      "<a href=\"mailto:desk@news.example\">Mail</a> <a href=\"tel:+20%202-555\">"
                      "+20\xC2\xA0" "2\xE2\x80\x91" "555</a>");
  assert_string_equal(clean("<img src=\"tel:1\" alt=a><img srcset=\"a.jpg 1x, javascript:x 2x\" "
                            "src=b.jpg sizes=\"100vw\">", HTML, NULL),
                      "<img src=\"b.jpg\" alt=\"\">");
  assert_string_equal(clean("<img src=a.jpg srcset=\"a.jpg 1x,https://cdn.example/b.jpg 2x\" "
                            "sizes=\"(max-width: 600px) 100vw, 600px\" alt=\"A\" title=\"T\">",
                            HTML, NULL),
                      "<img src=\"a.jpg\" srcset=\"a.jpg 1x, https://cdn.example/b.jpg 2x\" "
                      "title=\"T\" alt=\"A\" sizes=\"(max-width: 600px) 100vw, 600px\">");
}

/* Links elsewhere are marked; the site's own and relative ones are not. */
static void links_to_elsewhere_are_marked(void **state) {
  (void)state;
  assert_string_equal(clean("<p><a href=\"https://other.example/x\" target=\"_blank\" "
                            "rel=\"author\">out</a> <a href=\"https://NEWS.example/2020/\">own</a> "
                            "<a href=\"/about\">rel</a> <a href=\"//cdn.example/\">proto</a></p>",
                            HTML, NULL),
                      "<p><a href=\"https://other.example/x\" rel=\"nofollow noopener\">out</a> "
                      "<a href=\"https://NEWS.example/2020/\">own</a> <a href=\"/about\">rel</a> "
                      "<a href=\"//cdn.example/\" rel=\"nofollow noopener\">proto</a></p>");
}

/* Frames only from the allowed video hosts, over https, with fixed
** attributes. */
static void frames_only_from_allowed_hosts(void **state) {
  (void)state;
  sanitize_report r;
  const char *ok = "<iframe src=\"https://www.youtube.com/embed/abc?start=5\" width=\"640\" "
                   "height=\"360\" onload=\"x()\" allowfullscreen srcdoc=\"<script>\"></iframe>";
  assert_string_equal(clean(ok, HTML, &r),
                      "<iframe src=\"https://www.youtube.com/embed/abc?start=5\" title=\"Embedded "
                      "video\" width=\"640\" height=\"360\" loading=\"lazy\" allow=\"fullscreen; "
                      "picture-in-picture; encrypted-media\" referrerpolicy=\"strict-origin-when-"
                      "cross-origin\" sandbox=\"allow-scripts allow-same-origin allow-presentation "
                      "allow-popups\"></iframe>");
  const char *bad[] = {"http://www.youtube.com/embed/abc", "https://evil.example/embed/abc",
                       "https://www.youtube.com.evil.example/embed/x",
                       "https://www.youtube.com/watch?v=abc", "https://www.youtube.com/embed/",
                       "https://www.youtube.com/embed/../../evil", "javascript:alert(1)",
                       "https://www.youtube.com/embed/a<b", "//www.youtube.com/embed/a"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    buf in = {0};
    buf_printf(&in, "<p>v<iframe src=\"%s\"></iframe></p>", bad[i]);
    assert_string_equal(clean(buf_str(&in), HTML, &r), "<p>v</p>");
    assert_int_equal(r.embeds, 1);
    buf_free(&in);
  }
  assert_string_equal(clean("<a href=\"/v\">see <iframe src=\"https://player.vimeo.com/video/1\">"
                            "</iframe></a>", HTML, &r),
                      "<a href=\"/v\">see </a>");
  assert_int_equal(r.embeds, 1);
}

/* Forms and the head's elements go; their text stays where it is text. */
static void forms_and_meta_go(void **state) {
  (void)state;
  sanitize_report r;
  assert_string_equal(clean("<form action=\"https://evil.example/\"><label>Name <input name=n>"
                            "</label><button>Send</button><select><option>a</option></select>"
                            "<textarea>t</textarea></form>", HTML, &r),
                      "Name");
  assert_int_equal(r.elements, 6);
  assert_string_equal(clean("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">"
                            "<base href=\"https://evil.example/\"><link rel=stylesheet href=x>"
                            "<title>T</title><p>Body</p>", HTML, &r),
                      "<p>Body</p>");
  assert_int_equal(r.elements, 4);
}

/* Broken and nested markup comes out well-formed and valid. */
static void broken_markup_is_made_whole(void **state) {
  (void)state;
  assert_string_equal(clean("<p><b><i>bold italic</b> italic?</i>", HTML, NULL),
                      "<p><b><i>bold italic</i></b> italic?</p>");
  assert_string_equal(clean("<a href=\"/a\">one <a href=\"/b\">two</a></a>", HTML, NULL),
                      "<a href=\"/a\">one </a><a href=\"/b\">two</a>");
  assert_string_equal(clean("<ul>loose<li>a<li>b</ul><li>lost", HTML, NULL),
                      "<ul><li>loose</li><li>a</li><li>b</li></ul>lost");
  assert_string_equal(clean("<table><td>1</td><caption>late</caption></table>", HTML, NULL),
                      "<table><tbody><tr><td>1</td></tr></tbody><tbody><tr><td>late</td></tr>"
                      "</tbody></table>");
  assert_string_equal(clean("<span><p>para in span</p></span><h1>Big</h1><h3></h3>"
                            "<p></p><a href=\"/x\"> </a>", HTML, NULL),
                      "<span>para in span</span><h2>Big</h2>");
  assert_string_equal(clean("<figure><figcaption>A</figcaption><img src=a.jpg alt=a>"
                            "<figcaption>B</figcaption></figure>", HTML, NULL),
                      "<figure><figcaption>A</figcaption><img src=\"a.jpg\" alt=\"a\">B</figure>");
  /* Deep nesting: tags past the depth limit go, the text stays. */
  buf in = {0};
  for (int i = 0; i < 200; i++) buf_puts(&in, "<div>");
  buf_puts(&in, "deep");
  const char *out = clean(buf_str(&in), HTML, NULL);
  int divs = 0;
  for (const char *p = out; (p = strstr(p, "<div>")); p++) divs++;
  assert_int_equal(divs, SANITIZE_MAX_DEPTH - 1);
  assert_non_null(strstr(out, "deep"));
  buf_free(&in);
  for (int i = 0; i < 300; i++) buf_puts(&in, "<div>");
  buf out2 = {0};
  char err[200];
  assert_int_equal(sanitize_html(in.data, in.len, &OPTIONS, &out2, NULL, err, sizeof err),
                   SANITIZE_TOO_DEEP);
  assert_string_equal(err, "the body's elements are nested over 256 deep");
  assert_int_equal(out2.len, 0);
  buf_free(&in);
}

/* Counts the look-ups of image(). */
static int image_counted(void *ud, long long id, sanitize_image *img) {
  ++*(long *)ud;
  return image(NULL, id, img);
}

/* What would cost the parser or the walker more than a pass over the body
** is bounded: a tag's attributes, the galleries' look-ups, the search for
** a lone address among a paragraph's children. */
static void costly_bodies_are_bounded(void **state) {
  (void)state;
  buf in = {0}, out = {0};
  char err[200];
  /* A tag's attributes past the 256th never reach the parser (which
  ** compares each with all before it), however they are written: after a
  ** stray '=', after a value that starts with a form feed, after a comment
  ** holding an open quote, or as one name the parser cuts every 100
  ** characters. The class, last, would show if the parser had seen it. */
  static const char *const heads[] = {"<p", "<p = \"", "<p a=\f\"", "<!-- <x y=' --><p"};
  for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
    buf_reset(&in);
    buf_puts(&in, heads[h]);
    for (int i = 0; i < 300; i++) buf_printf(&in, " a%d", i);
    buf_puts(&in, " class=\"alignleft\" \">Text</p>");
    assert_string_equal(clean(buf_str(&in), HTML, NULL), "<p>Text</p>");
  }
  buf_reset(&in);
  buf_puts(&in, "<p ");
  for (int i = 0; i < 300 * 100; i++) buf_putc(&in, 'a');
  buf_puts(&in, " class=\"alignleft\">Text</p>");
  assert_string_equal(clean(buf_str(&in), HTML, NULL), "<p>Text</p>");
  /* The 256th is read; what values hold comes through as it was. */
  buf_reset(&in);
  buf_puts(&in, "<p");
  for (int i = 0; i < SANITIZE_MAX_ATTRIBUTES - 1; i++) buf_printf(&in, " data-a%d=\"1\"", i);
  buf_puts(&in, " class=alignleft>Text</p>");
  assert_string_equal(clean(buf_str(&in), HTML, NULL), "<p class=\"alignleft\">Text</p>");
  /* A '<' before '_', ':' or '.' starts no tag; a comment ends at "--!>" too. */
  assert_string_equal(clean("<p>Effect (p<.05, <_<, a<:b) in <a href=\"/s\">the study</a>.</p>",
                            HTML, NULL),
                      "<p>Effect (p&lt;.05, &lt;_&lt;, a&lt;:b) in <a href=\"/s\">the study</a>.</p>");
  assert_string_equal(clean("<!-- x <p> --!><p>Hi <b>there</b></p>", HTML, NULL),
                      "<p>Hi <b>there</b></p>");
  assert_string_equal(clean("<p><a href='/x?a=1&amp;b=\"2\"<' title=\"<b>\">A</a>"
                            "<!-- <a href=x> --></p>", HTML, NULL),
                      "<p><a href=\"/x?a=1&amp;b=&quot;2&quot;&lt;\" title=\"&lt;b&gt;\">A</a></p>");
  /* Eleven galleries of 200 pictures: 2,000 are looked up, the rest are
  ** missing. */
  buf_reset(&in);
  for (int g = 0; g < 11; g++) {
    buf_puts(&in, "[gallery ids=\"");
    for (int i = 0; i < SANITIZE_MAX_GALLERY; i++) buf_puts(&in, i ? ",2" : "2");
    buf_puts(&in, "\"]\n\n");
  }
  long asked = 0;
  sanitize_options o = OPTIONS;
  o.image = image_counted;
  o.ud = &asked;
  sanitize_report r;
  assert_int_equal(sanitize_html(in.data, in.len, &o, &out, &r, err, sizeof err), 0);
  assert_int_equal(asked, SANITIZE_MAX_IMAGES);
  assert_int_equal(r.missing, 11 * SANITIZE_MAX_GALLERY - SANITIZE_MAX_IMAGES);
  assert_int_equal(r.empty_galleries, 1);
  /* A paragraph of 1 MB of white space and 20,000 addresses, each its own
  ** text between comments: none is alone, all stay text. */
  buf_reset(&in);
  buf_reset(&out);
  buf_puts(&in, "<p>");
  for (int i = 0; i < 1 << 20; i++) buf_putc(&in, ' ');
  buf_puts(&in, "<!---->");
  for (int i = 0; i < 20000; i++) buf_puts(&in, "https://www.youtube.com/embed/x<!---->");
  buf_puts(&in, "</p>");
  assert_int_equal(sanitize_html(in.data, in.len, &OPTIONS, &out, NULL, err, sizeof err), 0);
  assert_null(strstr(buf_str(&out), "<iframe"));
  assert_null(strstr(buf_str(&out), "<a "));
  assert_non_null(strstr(buf_str(&out), "embed/xhttps://"));
  /* Alone between comments and white space, it is still the video. */
  assert_non_null(strstr(clean("<p> <!-- a --> https://www.youtube.com/embed/x <!-- b --> </p>",
                               0, NULL),
                         "<iframe src=\"https://www.youtube.com/embed/x\""));
  /* Each paragraph is looked at for itself. */
  const char *two = clean("<p>https://example.com/a <!-- b --> </p><p>https://example.com/b</p>"
                          "<p>https://example.com/c<br></p>", 0, NULL);
  assert_non_null(strstr(two, "<p><a href=\"https://example.com/a\""));
  assert_non_null(strstr(two, "<p><a href=\"https://example.com/b\""));
  assert_non_null(strstr(two, "<p>https://example.com/c<br>"));
  buf_free(&in);
  buf_free(&out);
}

/* Comments (block-editor markers too) and CDATA tricks go. */
static void comments_and_cdata_go(void **state) {
  (void)state;
  sanitize_report r;
  assert_string_equal(clean("<!-- wp:paragraph --><p>Text</p><!-- /wp:paragraph -->"
                            "<!--[if IE]><script>x</script><![endif]-->", 0, &r),
                      "<p>Text</p>");
  assert_int_equal(r.comments, 3);
  const char *out = clean("<p>a<![CDATA[<script>alert(1)</script>]]>b</p>", HTML, NULL);
  assert_null(strstr(out, "<script"));
  assert_string_equal(out, "<p>a&lt;![CDATA[]]&gt;b</p>");
  assert_string_equal(clean("<p>&lt;script&gt; 1 &amp; 2 &quot;q&quot; \x01</p>", HTML, NULL),
                      "<p>&lt;script&gt; 1 &amp; 2 \"q\" </p>");
}

/* [caption], [gallery], [embed] and unknown shortcodes. */
static void shortcodes_become_html(void **state) {
  (void)state;
  sanitize_report r;
  assert_string_equal(
      clean("[caption id=\"attachment_5\" align=\"alignright\" width=\"300\"]<a href=\"/p\">"
            "<img src=\"/up/a.jpg\" alt=\"A\" width=\"300\" height=\"200\" class=\"size-medium\">"
            "</a> The <em>river</em>[/caption]", 0, &r),
      "<figure class=\"alignright\"><a href=\"/p\"><img src=\"/up/a.jpg\" width=\"300\" "
      "height=\"200\" alt=\"A\"></a><figcaption>The <em>river</em></figcaption></figure>");
  assert_string_equal(clean("[caption width=\"10\" caption=\"Old style\"]<img src=\"b.jpg\">"
                            "[/caption]", 0, NULL),
                      "<figure><img src=\"b.jpg\" alt=\"\"><figcaption>Old style</figcaption>"
                      "</figure>");
  assert_string_equal(clean("[gallery ids=\"1, 2,500\" columns=\"3\"]", 0, &r),
                      "<figure class=\"gallery\"><figure><img src=\"https://news.example/uploads/"
                      "1.jpg\" width=\"640\" height=\"480\" alt=\"Photo\"><figcaption>Cairo at "
                      "night</figcaption></figure><img src=\"https://news.example/uploads/2.jpg\" "
                      "width=\"640\" height=\"480\" alt=\"Photo\"></figure>");
  assert_int_equal(r.missing, 1);
  assert_int_equal(r.missing_count, 1);
  assert_int_equal(r.missing_ids[0], 500);
  assert_string_equal(clean("[gallery]", 0, NULL),
                      "<figure class=\"gallery\"><img src=\"https://news.example/uploads/7.jpg\" "
                      "width=\"640\" height=\"480\" alt=\"Photo\"><img src=\"https://news.example/"
                      "uploads/8.jpg\" width=\"640\" height=\"480\" alt=\"Photo\"></figure>");
  assert_string_equal(clean("[gallery ids=\"400,401\"]", 0, &r), "");
  assert_int_equal(r.missing, 2);
  assert_int_equal(r.empty_galleries, 1);
  assert_string_equal(clean("[embed width=\"400\"]https://player.vimeo.com/video/76979871[/embed]",
                            0, NULL),
                      "<iframe src=\"https://player.vimeo.com/video/76979871\" title=\"Embedded "
                      "video\" width=\"400\" height=\"315\" loading=\"lazy\" allow=\"fullscreen; "
                      "picture-in-picture; encrypted-media\" referrerpolicy=\"strict-origin-when-"
                      "cross-origin\" sandbox=\"allow-scripts allow-same-origin allow-presentation "
                      "allow-popups\"></iframe>");
  assert_string_equal(clean("[embed]https://example.com/clip[/embed]", 0, NULL),
                      "<p><a href=\"https://example.com/clip\" rel=\"nofollow noopener\">"
                      "https://example.com/clip</a></p>");
  assert_string_equal(clean("[embed]javascript:alert(1)[/embed]", 0, NULL),
                      "<p>javascript:alert(1)</p>");
  assert_string_equal(clean("Buy [product id=\"3\"] and [product id=\"4\"/] or [contact-form]"
                            "[/contact-form]; [[gallery]] is how you write it; [1] and [ x ].",
                            0, &r),
                      "<p>Buy [product id=\"3\"] and [product id=\"4\"/] or [contact-form]"
                      "[/contact-form]; [gallery] is how you write it; [1] and [ x ].</p>");
  assert_int_equal(r.shortcodes, 3);
  assert_int_equal(r.name_count, 2);
  assert_string_equal(r.names[0].name, "product");
  assert_int_equal(r.names[0].count, 2);
  assert_string_equal(r.names[1].name, "contact-form");
  assert_int_equal(r.names[1].count, 1);
  /* A paragraph that is only a video address is an embed. */
  assert_string_equal(clean("Watch:\n\nhttps://www.youtube.com/embed/xyz\n\nEnd", 0, NULL),
                      "<p>Watch:</p>\n\n<p><iframe src=\"https://www.youtube.com/embed/xyz\" "
                      "title=\"Embedded video\" width=\"560\" height=\"315\" loading=\"lazy\" "
                      "allow=\"fullscreen; picture-in-picture; encrypted-media\" referrerpolicy="
                      "\"strict-origin-when-cross-origin\" sandbox=\"allow-scripts allow-same-"
                      "origin allow-presentation allow-popups\"></iframe></p>\n\n<p>End</p>");
}

/* Classic bodies get paragraphs; block-editor bodies and pre do not. */
static void classic_bodies_get_paragraphs(void **state) {
  (void)state;
  assert_string_equal(clean("First line\nsecond line\n\nNext paragraph\r\n\r\n<h2>Head</h2>\n"
                            "After <b>bold</b>\n<ul>\n<li>one\ntwo</li>\n</ul>\n"
                            "<pre>a\n\n  b</pre>\n<blockquote>Quoted\n\nTwice</blockquote>", 0,
                            NULL),
                      "<p>First line<br>\nsecond line</p>\n\n<p>Next paragraph</p>\n\n"
                      "<h2>Head</h2>\n<p>After <b>bold</b></p>\n<ul><li>one<br>\ntwo</li></ul>\n"
                      "<pre>a\n\n  b</pre>\n<blockquote><p>Quoted</p>\n\n<p>Twice</p></blockquote>");
  assert_string_equal(clean("<!-- wp:paragraph -->\n<p>Block\none</p>\n<!-- /wp:paragraph -->\n\n"
                            "loose text", 0, NULL),
                      "<p>Block\none</p>\n\nloose text");
  assert_string_equal(clean("Line\n\nLine", HTML, NULL), "Line\n\nLine");
}

/* Arabic (and every other script) passes byte for byte. */
static void arabic_text_is_kept(void **state) {
  (void)state;
  const char *ar = "<p dir=\"rtl\" lang=\"ar\">أعلنت اللجنة النتائج: ٪٥٠ من الأصوات، "
                   "و«المشاركة» عالية.</p>";
  assert_string_equal(clean(ar, HTML, NULL), ar);
  assert_string_equal(clean("نص عربي\n\nفقرة ثانية", 0, NULL),
                      "<p>نص عربي</p>\n\n<p>فقرة ثانية</p>");
}

/* Over-long, invalid and empty inputs. */
static void bad_inputs_are_refused(void **state) {
  (void)state;
  buf out = {0}, in = {0};
  char err[200];
  buf_puts(&out, "kept");
  assert_int_equal(sanitize_html("\xC3\x28", 2, NULL, &out, NULL, err, sizeof err),
                   SANITIZE_INVALID_UTF8);
  assert_string_equal(err, "the body is not valid UTF-8");
  assert_int_equal(sanitize_html("a\0b", 3, NULL, &out, NULL, err, sizeof err),
                   SANITIZE_INVALID_UTF8);
  for (size_t i = 0; i <= SANITIZE_MAX_INPUT / 8; i++) buf_puts(&in, "<b>x</b>");
  assert_int_equal(sanitize_html(in.data, in.len, NULL, &out, NULL, err, sizeof err),
                   SANITIZE_TOO_LARGE);
  assert_string_equal(err, "the body is longer than 8388608 bytes");
  buf_reset(&in);
  for (size_t i = 0; i < SANITIZE_MAX_INPUT / 2; i++) buf_putc(&in, '&');  /* 5 bytes out each */
  assert_int_equal(sanitize_html(in.data, in.len, NULL, &out, NULL, err, sizeof err),
                   SANITIZE_TOO_LARGE);
  assert_string_equal(buf_str(&out), "kept");
  assert_int_equal(sanitize_html("", 0, NULL, &out, NULL, err, sizeof err), 0);
  assert_string_equal(buf_str(&out), "kept");
  buf_free(&out);
  buf_free(&in);
}

/* Inputs the fuzzer found: each comes out valid, and the same when
** sanitized again. */
static void fuzz_findings_stay_fixed(void **state) {
  (void)state;
  const char *cases[][2] = {
      {"x<h1>Big</h1>", "x<h2>Big</h2>"},  /* text first: no paragraph of libxml2's */
      {"<iframe src=\"https://www.youtube.com/Embed/x\"></iframe>v", "v"},
      {"<dl><dt>t<dl><dt>u</dt></dl></dt></dl>", "<dl><dt>t</dt><dd><dl><dt>u</dt></dl></dd></dl>"},
      {"<p>a<wbr>b</p>", "<p>ab</p>"},
      {"<img sizes=\"100vw\" src=a.jpg srcset=\"b.jpg 2x\" title=t>",
       "<img src=\"a.jpg\" srcset=\"b.jpg 2x\" alt=\"\" sizes=\"100vw\">"},
      {"\r\r\xEF\xBB\xBF\r\rb", "b"},
      {"<p>a</p>\n\n<h3>\n</h3>\n\n<p>b</p>", "<p>a</p>\n\n<p>b</p>"},  /* one blank line */
      {"<p>a <a href=\"/x\">\n<img src=i></a></p>", "<p>a\n<img src=\"i\" alt=\"\"></p>"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *once = strdup(clean(cases[i][0], HTML, NULL));
    assert_string_equal(once, cases[i][1]);
    assert_string_equal(clean(once, HTML, NULL), once);
    free(once);
  }
}

/* ---- the real export ---- */

/* Returns 1 when u is an allowed URL: http(s), mailto, tel or relative. */
static int url_ok(const char *u) {
  size_t stop = strcspn(u, ":/?#");
  if (u[stop] != ':') return 1;
  return !strncasecmp(u, "http:", 5) || !strncasecmp(u, "https:", 6) ||
         !strncasecmp(u, "mailto:", 7) || !strncasecmp(u, "tel:", 4);
}

/* Counts, into *bad, what in the tree under node is not allowed; names
** the first in first. */
static void check_tree(xmlNode *node, int *bad, buf *first) {
  static const char *const elements[] = {
      "html", "body", "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u",
      "s", "sub", "sup", "blockquote", "q", "cite", "code", "pre", "kbd", "samp", "var", "ul",
      "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table", "caption",
      "thead", "tbody", "tr", "th", "td", "hr", "abbr", "span", "div", "small", "mark", "del",
      "ins", "time", "bdi", "iframe", NULL};
  static const char *const attributes[] = {
      "title", "lang", "dir", "class", "href", "rel", "src", "srcset", "sizes", "alt", "width",
      "height", "cite", "datetime", "colspan", "rowspan", "scope", "start", "reversed", "type",
      "value", "loading", "allow", "referrerpolicy", "sandbox", NULL};
  for (xmlNode *n = node; n; n = n->next) {
    if (n->type == XML_COMMENT_NODE) {
      if (!(*bad)++) buf_puts(first, "a comment");
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    int known = 0;
    for (int i = 0; elements[i]; i++) known |= !strcmp(elements[i], (const char *)n->name);
    if (!known && !(*bad)++) buf_printf(first, "element %s", n->name);
    for (xmlAttr *a = n->properties; a; a = a->next) {
      int ok = 0;
      for (int i = 0; attributes[i]; i++) ok |= !strcmp(attributes[i], (const char *)a->name);
      xmlChar *v = xmlNodeGetContent((xmlNode *)a);
      const char *s = v ? (const char *)v : "";
      if (!strcmp((const char *)a->name, "href") || !strcmp((const char *)a->name, "src") ||
          !strcmp((const char *)a->name, "cite"))
        ok &= url_ok(s);
      if (!strcmp((const char *)n->name, "iframe") && !strcmp((const char *)a->name, "src"))
        ok &= !strncmp(s, "https://www.youtube.com/embed/", 30) ||
              !strncmp(s, "https://www.youtube-nocookie.com/embed/", 39) ||
              !strncmp(s, "https://player.vimeo.com/video/", 31);
      if (!ok && !(*bad)++) buf_printf(first, "%s=\"%s\" on %s", a->name, s, n->name);
      xmlFree(v);
    }
    check_tree(n->children, bad, first);
  }
}

/* What the export test keeps. */
typedef struct bodies {
  int items, bad, unstable;
  buf first, unstable_first;
} bodies;

/* Sanitizes one item's body, checks the result, and checks that the
** result sanitized again is the same. */
static int check_body(void *ud, const wxr_item *it) {
  bodies *b = ud;
  if (!*it->content) return 0;
  b->items++;
  buf out = {0}, again = {0};
  char err[200];
  if (sanitize_html(it->content, strlen(it->content), &OPTIONS, &out, NULL, err, sizeof err))
    fail_msg("item %s refused: %s", it->post_id, err);
  htmlDocPtr doc = htmlReadMemory(buf_str(&out), (int)out.len, NULL, "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  int before = b->bad;
  if (doc) check_tree(doc->children, &b->bad, &b->first);
  if (b->bad > before && before == 0) buf_printf(&b->first, " (post %s)", it->post_id);
  xmlFreeDoc(doc);
  sanitize_options o = OPTIONS;
  o.flags = SANITIZE_HTML_ONLY;
  if (sanitize_html(buf_str(&out), out.len, &o, &again, NULL, err, sizeof err) ||
      strcmp(buf_str(&out), buf_str(&again))) {
    if (!b->unstable++) buf_printf(&b->unstable_first, "post %s", it->post_id);
  }
  buf_free(&out);
  buf_free(&again);
  return 0;
}

/* Every body of the Theme Unit Test export comes out with nothing that is
** not allowed, and unchanged when sanitized again. */
static void real_export_bodies_are_clean(void **state) {
  (void)state;
  const char *root = getenv("GAZETTE_ROOT");
  buf path = {0};
  buf_printf(&path, "%s/../shared/wordpress/themeunittestdata.wordpress.xml", root ? root : ".");
  if (!root || access(path.data, R_OK)) {
    buf_free(&path);
    print_message("../shared/wordpress is not there: skipped\n");
    skip();
  }
  bodies b = {0};
  wxr_handler h = {.ud = &b, .on_item_end = check_body};
  char err[256];
  assert_int_equal(wxr_read_file(path.data, &h, err, sizeof err), 0);
  buf_free(&path);
  assert_int_equal(b.items, 137);
  if (b.bad) fail_msg("%d things not allowed, the first: %s", b.bad, buf_str(&b.first));
  if (b.unstable) fail_msg("%d bodies change when sanitized again, the first: %s", b.unstable,
                           buf_str(&b.unstable_first));
  buf_free(&b.first);
  buf_free(&b.unstable_first);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(scripts_and_handlers_go),
      cmocka_unit_test(dangerous_urls_go),
      cmocka_unit_test(links_to_elsewhere_are_marked),
      cmocka_unit_test(frames_only_from_allowed_hosts),
      cmocka_unit_test(forms_and_meta_go),
      cmocka_unit_test(broken_markup_is_made_whole),
      cmocka_unit_test(comments_and_cdata_go),
      cmocka_unit_test(shortcodes_become_html),
      cmocka_unit_test(classic_bodies_get_paragraphs),
      cmocka_unit_test(arabic_text_is_kept),
      cmocka_unit_test(bad_inputs_are_refused),
      cmocka_unit_test(costly_bodies_are_bounded),
      cmocka_unit_test(fuzz_findings_stay_fixed),
      cmocka_unit_test(real_export_bodies_are_clean),
  };
  return cmocka_run_group_tests_name("sanitize", tests, NULL, NULL);
}
