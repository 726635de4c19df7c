/*
** archive.c: the generated archive (see archive.h).
*/
#include "archive.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "slug.h"

enum { BATCH = 2000, BODY_MIN = 3000, BODY_SPAN = 2000 };

/* ---- words ----------------------------------------------------------- */

static const char *const EN[] = {
    "harbour", "council", "river", "valley", "market", "school", "bridge", "winter", "storm",
    "ferry", "budget", "station", "festival", "minister", "court", "hospital", "farmers",
    "museum", "election", "energy", "battery", "wind", "solar", "grid", "water", "flood",
    "rail", "tram", "road", "housing", "rent", "wages", "union", "factory", "port", "cargo",
    "fishing", "quota", "coast", "island", "league", "final", "coach", "season", "record",
    "concert", "theatre", "library", "garden", "forest", "mountain", "glacier", "climate",
    "science", "study", "university", "students", "teachers", "doctors", "nurses", "patients",
    "police", "fire", "rescue", "volunteers", "mayor", "plan", "vote", "tax", "trade",
    "exports", "prices", "inflation", "bank", "loans", "startup", "software", "network",
    "signal", "satellite", "launch", "airport", "flights", "tourists", "hotel", "restaurant",
    "bakery", "harvest", "apples", "grain", "cattle", "weather", "drought", "rain", "snow",
    "heat", "summer", "spring", "autumn", "night", "morning", "city", "village", "district",
    "neighbours", "families", "children", "elders", "artists", "writers", "reporters",
    "new", "old", "first", "last", "quiet", "busy", "slow", "fast", "open", "closed",
    "returns", "opens", "closes", "grows", "falls", "rises", "waits", "plans", "builds",
    "repairs", "wins", "loses", "begins", "ends", "moves", "stays", "changes", "reaches",
    "the", "a", "of", "on", "in", "for", "with", "after", "before", "as", "and", "at",
};
static const char *const AR[] = {
    "الميناء", "المجلس", "النهر", "الوادي", "السوق", "المدرسة", "الجسر", "الشتاء", "العاصفة",
    "العبّارة", "الميزانية", "المحطة", "المهرجان", "الوزير", "المحكمة", "المستشفى", "المزارعون",
    "المتحف", "الانتخابات", "الطاقة", "البطارية", "الرياح", "الشمس", "الشبكة", "المياه",
    "الفيضان", "القطار", "الطريق", "السكن", "الإيجار", "الأجور", "المصنع", "الشحن", "الصيد",
    "الساحل", "الجزيرة", "الدوري", "النهائي", "المدرب", "الموسم", "الحفل", "المسرح", "المكتبة",
    "الحديقة", "الغابة", "الجبل", "المناخ", "العلوم", "الدراسة", "الجامعة", "الطلاب",
    "المعلمون", "الأطباء", "المرضى", "الشرطة", "الإنقاذ", "المتطوعون", "العمدة", "الخطة",
    "الضرائب", "التجارة", "الأسعار", "البنك", "القروض", "البرمجيات", "القمر", "المطار",
    "الرحلات", "السياح", "الفندق", "المخبز", "الحصاد", "الطقس", "الجفاف", "المطر", "الثلج",
    "الصيف", "الربيع", "الخريف", "المدينة", "القرية", "الحي", "العائلات", "الأطفال",
    "جديد", "قديم", "الأول", "الأخير", "يعود", "يفتح", "يغلق", "ينمو", "يرتفع", "ينتظر",
    "يبني", "يصلح", "يفوز", "يبدأ", "ينتهي", "في", "من", "على", "إلى", "بعد", "قبل", "مع", "و",
};
#define NWORDS(a) ((int)(sizeof a / sizeof a[0]))

/* ---- randomness (xorshift64*: the same seed, the same archive) ------- */

typedef struct rng {
  uint64_t s;
} rng;

static uint64_t rng_next(rng *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return r->s * 2685821657736338717ull;
}

/* Returns a number in [0, 1). */
static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }

/* Returns a number in [0, n). */
static long rng_below(rng *r, long n) { return (long)(rng_unit(r) * (double)n); }

/* Returns a number in [0, n) drawn with a long tail: small ones are
** often drawn (power sets how often). */
static long rng_skewed(rng *r, long n, double power) {
  long k = (long)(pow(rng_unit(r), power) * (double)n);
  return k < n ? k : n - 1;
}

/* Returns a permutation of rank r among n (popular ranks spread over the
** archive rather than all being its oldest articles). */
static long spread(long r, long n) { return (long)(((unsigned long long)r * 7919ull) % (unsigned long long)n); }

/* ---- text ------------------------------------------------------------ */

/* Appends a sentence of words from the list (capitalised when English). */
static void text_sentence(rng *r, buf *out, const char *const *words, int n, int english) {
  int len = 6 + (int)rng_below(r, 14);
  for (int i = 0; i < len; i++) {
    const char *w = words[rng_below(r, n)];
    if (i) buf_putc(out, ' ');
    if (i == 0 && english && w[0] >= 'a' && w[0] <= 'z') {
      buf_putc(out, (char)(w[0] - 'a' + 'A'));
      buf_puts(out, w + 1);
    } else {
      buf_puts(out, w);
    }
  }
  buf_puts(out, english ? "." : ".");
}

/* Appends a body of Markdown paragraphs, target bytes long or a little
** more. */
static void text_body(rng *r, buf *out, int english, size_t target) {
  const char *const *words = english ? EN : AR;
  int n = english ? NWORDS(EN) : NWORDS(AR);
  size_t start = out->len;
  while (out->len - start < target) {
    if (out->len > start) buf_puts(out, "\n\n");
    if (rng_below(r, 9) == 0) {
      buf_puts(out, "## ");
      text_sentence(r, out, words, n, english);
      buf_puts(out, "\n\n");
    }
    int sentences = 3 + (int)rng_below(r, 4);
    for (int s = 0; s < sentences; s++) {
      if (s) buf_putc(out, ' ');
      text_sentence(r, out, words, n, english);
    }
  }
}

/* Appends a title of a few words. */
static void text_title(rng *r, buf *out, int english) {
  const char *const *words = english ? EN : AR;
  int n = english ? NWORDS(EN) : NWORDS(AR);
  int len = 4 + (int)rng_below(r, 6);
  for (int i = 0; i < len; i++) {
    if (i) buf_putc(out, ' ');
    const char *w = words[rng_below(r, n)];
    if (i == 0 && english) {
      buf_putc(out, (char)(w[0] - 'a' + 'A'));
      buf_puts(out, w + 1);
    } else {
      buf_puts(out, w);
    }
  }
}

/* ---- the generation -------------------------------------------------- */

static const char SQL_USER[] =
    "INSERT INTO users (username, display_name, role, bio, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CATEGORY[] =
    "INSERT INTO categories (slug, name, description, position) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_TAG[] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)";
static const char SQL_ARTICLE[] =
    "INSERT INTO articles (id, slug, title, summary, lang, dir, status, featured, category_id,"
    " author_id, published_at, created_at, updated_at, rating_count, rating_sum, comment_count)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15)";
static const char SQL_BODY[] =
    "INSERT INTO article_bodies (article_id, body_md, body_html, search_text)"
    " VALUES (?1, ?2, ?3, html_text(?3))";
static const char SQL_ARTICLE_TAG[] =
    "INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?1, ?2)";
static const char SQL_VOTE[] =
    "INSERT INTO ratings (article_id, voter, stars, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)";
static const char SQL_COMMENT[] =
    "INSERT INTO comments (id, article_id, parent_id, author_name, author_email, body, status,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/* The state of one generation. */
typedef struct gen {
  db *d;
  const archive_spec *spec;
  rng r;
  char *err;
  size_t errlen;
  int *comments;      /* per article (0-based) */
  int *votes;
  long next_comment;
  buf a, b, c;        /* scratch */
} gen;

/* Records a failure of sql into g->err. Returns -1. */
static int gen_fail(gen *g, const char *what) {
  snprintf(g->err, g->errlen, "archive: %s: %s", what, sqlite3_errmsg(g->d->h));
  return -1;
}

/* Runs the bound write st. Returns 0 or -1. */
static int gen_run(gen *g, sqlite3_stmt *st, const char *what) {
  return st && db_run(st) >= 0 ? 0 : gen_fail(g, what);
}

/* Makes the authors, sections and tags. */
static int gen_basics(gen *g) {
  const archive_spec *s = g->spec;
  char name[64], slug[64];
  for (int i = 1; i <= s->authors; i++) {
    sqlite3_stmt *st = db_prepare(g->d, SQL_USER);
    snprintf(slug, sizeof slug, "writer%d", i);
    snprintf(name, sizeof name, "Writer %d", i);
    if (!st) return gen_fail(g, "users");
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, i % 10 == 0 ? "editor" : "author", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, "Reports for the archive.", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, s->now - 10 * 365 * 86400L);
    if (gen_run(g, st, "users") != 0) return -1;
  }
  for (int i = 1; i <= s->categories; i++) {
    sqlite3_stmt *st = db_prepare(g->d, SQL_CATEGORY);
    snprintf(slug, sizeof slug, "section-%d", i);
    snprintf(name, sizeof name, "Section %d", i);
    if (!st) return gen_fail(g, "categories");
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, i);
    if (gen_run(g, st, "categories") != 0) return -1;
  }
  for (int i = 1; i <= s->tags; i++) {
    sqlite3_stmt *st = db_prepare(g->d, SQL_TAG);
    int arabic = i % 7 == 0;
    const char *w1 = arabic ? AR[i % NWORDS(AR)] : EN[i % NWORDS(EN)];
    const char *w2 = arabic ? AR[(i / NWORDS(AR)) % NWORDS(AR)] : EN[(i / 7) % NWORDS(EN)];
    buf_reset(&g->a);
    buf_printf(&g->a, "%s %s %d", w1, w2, i);
    buf_reset(&g->b);
    slug_make(&g->b, buf_str(&g->a), 80);
    if (!st) return gen_fail(g, "tags");
    sqlite3_bind_text(st, 1, buf_str(&g->b), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, buf_str(&g->a), -1, SQLITE_TRANSIENT);
    if (gen_run(g, st, "tags") != 0) return -1;
  }
  return 0;
}

/* Spreads the comments and votes over the articles, with a long tail,
** and gives the most discussed one its share. */
static void gen_shares(gen *g) {
  const archive_spec *s = g->spec;
  long n = s->articles;
  long hot = spread(0, n);
  g->comments[hot] = (int)s->hot_comments;
  for (long i = s->hot_comments; i < s->comments; i++) g->comments[spread(rng_skewed(&g->r, n, 2.2), n)]++;
  for (long i = 0; i < s->votes; i++) g->votes[spread(rng_skewed(&g->r, n, 2.0), n)]++;
}

/* Writes the votes of article id (count of them), adding up their stars
** into *sum. */
static int gen_votes(gen *g, long id, int count, time_t when, long *sum) {
  char voter[40];
  *sum = 0;
  for (int i = 0; i < count; i++) {
    sqlite3_stmt *st = db_prepare(g->d, SQL_VOTE);
    int stars = 1 + (int)rng_skewed(&g->r, 5, 0.6);
    snprintf(voter, sizeof voter, "%016llx%016llx", (unsigned long long)id,
             (unsigned long long)rng_next(&g->r));
    if (!st) return gen_fail(g, "ratings");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, voter, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, stars);
    sqlite3_bind_int64(st, 4, when + i);
    if (gen_run(g, st, "ratings") != 0) return -1;
    *sum += stars;
  }
  return 0;
}

/* Writes the comments of article id (count of them); replies answer an
** earlier approved comment of the same article. Sets *approved. */
static int gen_comments(gen *g, long id, int count, time_t when, int english, long *approved) {
  static const char *const STATUS[] = {"approved", "pending", "spam", "trash"};
  long last_approved[8] = {0};
  int napproved = 0;
  char name[40], email[64];
  *approved = 0;
  for (int i = 0; i < count; i++) {
    long cid = g->next_comment++;
    long roll = rng_below(&g->r, 100);
    int status = roll < 92 ? 0 : roll < 97 ? 1 : roll < 99 ? 2 : 3;
    long parent = napproved && status == 0 && rng_below(&g->r, 10) < 3
                      ? last_approved[rng_below(&g->r, napproved)] : 0;
    long reader = rng_skewed(&g->r, 50000, 1.5);
    snprintf(name, sizeof name, "Reader %ld", reader);
    snprintf(email, sizeof email, "reader%ld@example.org", reader);
    buf_reset(&g->c);
    text_sentence(&g->r, &g->c, english ? EN : AR, english ? NWORDS(EN) : NWORDS(AR), english);
    sqlite3_stmt *st = db_prepare(g->d, SQL_COMMENT);
    if (!st) return gen_fail(g, "comments");
    sqlite3_bind_int64(st, 1, cid);
    sqlite3_bind_int64(st, 2, id);
    if (parent) sqlite3_bind_int64(st, 3, parent);
    sqlite3_bind_text(st, 4, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, buf_str(&g->c), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, STATUS[status], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, when + 60 * (i + 1));
    if (gen_run(g, st, "comments") != 0) return -1;
    if (status == 0) {
      ++*approved;
      /* Replies go to the newest few, as they do on a real page. */
      last_approved[napproved < 8 ? napproved++ : (int)(cid % 8)] = cid;
    }
  }
  return 0;
}

/* Writes the tags of article id: one to six, popular tags far more often. */
static int gen_tags(gen *g, long id) {
  int n = 1 + (int)rng_below(&g->r, 6);
  for (int i = 0; i < n; i++) {
    sqlite3_stmt *st = db_prepare(g->d, SQL_ARTICLE_TAG);
    if (!st) return gen_fail(g, "article_tags");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, 1 + rng_skewed(&g->r, g->spec->tags, 2.5));
    if (gen_run(g, st, "article_tags") != 0) return -1;
  }
  return 0;
}

static const char SQL_COUNTERS[] =
    "UPDATE articles SET rating_count = ?2, rating_sum = ?3, comment_count = ?4 WHERE id = ?1";

/* Writes article i (0-based): its row, its text, its tags, votes and
** comments, then its counters. */
static int gen_article(gen *g, long i) {
  const archive_spec *s = g->spec;
  long id = i + 1;
  int english = rng_below(&g->r, 100) >= 15;
  long roll = rng_below(&g->r, 1000);
  const char *status = roll < 10 ? "draft" : roll < 15 ? "pending" : roll < 20 ? "scheduled"
                                                                              : "published";
  /* About five years of news, the newest a day old; scheduled ones ahead. */
  time_t span = 5 * 365 * 86400L;
  time_t when = s->now - 86400 - span + (time_t)((double)span * (double)i / (double)s->articles);
  if (strcmp(status, "scheduled") == 0) when = s->now + 3600 + rng_below(&g->r, 30 * 86400L);
  int listed = strcmp(status, "published") == 0 || strcmp(status, "scheduled") == 0;
  buf_reset(&g->a);
  text_title(&g->r, &g->a, english);
  buf_reset(&g->b);
  slug_make(&g->b, buf_str(&g->a), 150);
  buf_printf(&g->b, "-%ld", id);
  buf_reset(&g->c);
  text_sentence(&g->r, &g->c, english ? EN : AR, english ? NWORDS(EN) : NWORDS(AR), english);
  sqlite3_stmt *st = db_prepare(g->d, SQL_ARTICLE);
  if (!st) return gen_fail(g, "articles");
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, buf_str(&g->b), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, buf_str(&g->a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, buf_str(&g->c), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, english ? "en" : "ar", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, english ? "ltr" : "rtl", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, status, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 8, rng_below(&g->r, 50) == 0);
  sqlite3_bind_int64(st, 9, 1 + rng_skewed(&g->r, s->categories, 1.3));
  sqlite3_bind_int64(st, 10, 1 + rng_skewed(&g->r, s->authors, 1.5));
  if (listed) sqlite3_bind_int64(st, 11, when);
  sqlite3_bind_int64(st, 12, when - 3600);
  for (int k = 13; k <= 15; k++) sqlite3_bind_int(st, k, 0);
  if (gen_run(g, st, "articles") != 0) return -1;
  /* The text. */
  buf_reset(&g->a);
  text_body(&g->r, &g->a, english, BODY_MIN + (size_t)rng_below(&g->r, BODY_SPAN));
  char *html = markdown_render(buf_str(&g->a), g->a.len);
  st = db_prepare(g->d, SQL_BODY);
  if (!html || !st) {
    free(html);
    return gen_fail(g, "article_bodies");
  }
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, buf_str(&g->a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, html, -1, SQLITE_TRANSIENT);
  int rc = gen_run(g, st, "article_bodies");
  free(html);
  if (rc != 0 || gen_tags(g, id) != 0) return -1;
  if (!listed) return 0;
  long sum = 0, approved = 0;
  if (gen_votes(g, id, g->votes[i], when, &sum) != 0 ||
      gen_comments(g, id, g->comments[i], when, english, &approved) != 0)
    return -1;
  st = db_prepare(g->d, SQL_COUNTERS);
  if (!st) return gen_fail(g, "articles");
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, g->votes[i]);
  sqlite3_bind_int64(st, 3, sum);
  sqlite3_bind_int64(st, 4, approved);
  return gen_run(g, st, "articles");
}

/* Writes a progress line: articles done, per second, time left. */
static void gen_progress(FILE *out, long done, long all, double secs) {
  double rate = secs > 0 ? (double)done / secs : 0;
  fprintf(out, "\rgazette: archive: %ld of %ld articles, %.0f a second, %.0f s left   ", done, all,
          rate, rate > 0 ? (double)(all - done) / rate : 0);
  fflush(out);
}

int archive_generate(db *d, const archive_spec *spec, FILE *progress, char *err,
                     size_t errlen) {
  gen g = {.d = d, .spec = spec, .r = {spec->seed * 0x9E3779B97F4A7C15ull + 1}, .err = err,
           .errlen = errlen, .next_comment = 1};
  g.comments = calloc((size_t)spec->articles, sizeof *g.comments);
  g.votes = calloc((size_t)spec->articles, sizeof *g.votes);
  if (!g.comments || !g.votes) abort();
  gen_shares(&g);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = db_begin(d) == 0 ? gen_basics(&g) : gen_fail(&g, "begin");
  for (long i = 0; rc == 0 && i < spec->articles; i++) {
    rc = gen_article(&g, i);
    if (rc == 0 && (i + 1) % BATCH == 0) {
      rc = db_commit(d) == 0 && db_begin(d) == 0 ? 0 : gen_fail(&g, "commit");
      clock_gettime(CLOCK_MONOTONIC, &t1);
      if (progress)
        gen_progress(progress, i + 1, spec->articles,
                     (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
  }
  /* What the caches would drop is nothing anyone has cached yet. */
  if (rc == 0 && db_exec(d, "DELETE FROM changes") != 0) rc = gen_fail(&g, "changes");
  if (rc == 0 && db_commit(d) != 0) rc = gen_fail(&g, "commit");
  if (rc != 0) db_rollback(d);
  if (progress) fputc('\n', progress);
  free(g.comments);
  free(g.votes);
  buf_free(&g.a);
  buf_free(&g.b);
  buf_free(&g.c);
  return rc;
}

void archive_default(archive_spec *spec, long n, time_t now) {
  memset(spec, 0, sizeof *spec);
  spec->articles = n;
  spec->comments = 10 * n;
  spec->votes = 100 * n;
  spec->hot_comments = n / 2 > 50000 ? 50000 : n / 2;
  spec->categories = 20;
  spec->tags = n / 50 > 20 ? (int)(n / 50) : 20;
  spec->authors = n / 500 > 5 ? (int)(n / 500) : 5;
  spec->seed = 1;
  spec->now = now;
}
