/*
** Unit tests: the passage a search result shows (match_passage, see
** search_passage.h), over an FTS5 table of title, summary and body as the
** articles' index has.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "search_passage.h"
#include "search_rank.h"

static int setup(void **state) {
  sqlite3 *h = NULL;
  if (sqlite3_open(":memory:", &h) != SQLITE_OK) return -1;
  if (search_rank_register(h) != SQLITE_OK || search_passage_register(h) != SQLITE_OK) return -1;
  if (sqlite3_exec(h,
                   "CREATE VIRTUAL TABLE docs USING fts5 (title, summary, body,"
                   " tokenize = 'porter unicode61 remove_diacritics 2')",
                   NULL, NULL, NULL) != SQLITE_OK)
    return -1;
  *state = h;
  return 0;
}

static int teardown(void **state) {
  sqlite3_close(*state);
  return 0;
}

/* Indexes one document as row 1 (replacing any), then returns in out the
** passage of its match of query, words between [ and ], 8 tokens long. */
static void passage_of(sqlite3 *h, const char *title, const char *summary, const char *body,
                       const char *query, char *out, size_t n) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_exec(h, "DELETE FROM docs", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_prepare_v2(h, "INSERT INTO docs (rowid, title, summary, body) VALUES (1, ?1, ?2, ?3)",
                     -1, &st, NULL);
  sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, summary, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
  assert_int_equal(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_prepare_v2(h,
                     "SELECT match_passage(docs, '[', ']', '...', 8) FROM docs"
                     " WHERE docs MATCH ?1 AND rowid = 1", -1, &st, NULL);
  sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* A short body is shown whole, its end included, the word marked. */
static void a_short_body_is_shown_whole(void **state) {
  char p[512];
  passage_of(*state, "Floods", "Rain all week.", "The harbour council met on Monday.",
             "\"council\"", p, sizeof p);
  assert_string_equal(p, "The harbour [council] met on Monday.");
}

/* Far into a long body, the passage starts two words before the match
** and says, at both ends, that the text goes on. */
static void a_passage_deep_in_a_body_is_cut_at_both_ends(void **state) {
  char p[512];
  passage_of(*state, "Floods", "Rain all week.",
             "One two three four five six seven eight nine ten. The mayor said the"
             " harbour council will meet again in spring, after the storms.",
             "\"council\"", p, sizeof p);
  assert_string_equal(p, "...the harbour [council] will meet again in spring...");
}

/* Of two places, the one holding both words of the query is shown. */
static void the_passage_holding_most_words_is_chosen(void **state) {
  char p[512];
  passage_of(*state, "Port news", "",
             "The council met. Ships came and went all day long, nobody noticed them at"
             " all. Later the council and the harbour master agreed on new fees.",
             "\"council\" \"harbour\"", p, sizeof p);
  assert_string_equal(p, "...Later the [council] and the [harbour] master agreed...");
}

/* A word only in the title is shown from the title, in any script. */
static void a_match_in_the_title_only_is_shown_from_it(void **state) {
  char p[512];
  passage_of(*state, "مجلس الميناء يجتمع", "ملخص", "نص المقال عن الطقس.", "\"الميناء\"", p,
             sizeof p);
  assert_string_equal(p, "مجلس [الميناء] يجتمع");
}

/* Text before the first word of the body (a quote, a heading's mark) is
** kept when the passage starts there; another form of the word (the
** search's English stemming) is marked too. */
static void the_start_of_a_body_is_kept_whole(void **state) {
  char p[512];
  passage_of(*state, "Floods", "", "\"Councils,\" she said, \"must act.\"", "\"council\"", p,
             sizeof p);
  assert_string_equal(p, "\"[Councils],\" she said, \"must act.\"");
}

/* A phrase longer than the passage still starts it, and the nearest
** words after it are not lost for it. */
static void a_long_phrase_starts_the_passage(void **state) {
  char p[512];
  passage_of(*state, "Floods", "",
             "Words before it all. one two three four five six seven eight nine ten"
             " and more words after it.",
             "\"one two three four five six seven eight nine\"", p, sizeof p);
  assert_string_equal(p, "...[one] [two] [three] [four] [five] [six] [seven] [eight]...");
}

/* An empty body: the passage comes from where the words are. */
static void an_empty_body_is_no_trouble(void **state) {
  char p[512];
  passage_of(*state, "Harbour council", "", "", "\"harbour\"", p, sizeof p);
  assert_string_equal(p, "[Harbour] council");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_short_body_is_shown_whole),
      cmocka_unit_test(a_passage_deep_in_a_body_is_cut_at_both_ends),
      cmocka_unit_test(the_passage_holding_most_words_is_chosen),
      cmocka_unit_test(a_match_in_the_title_only_is_shown_from_it),
      cmocka_unit_test(the_start_of_a_body_is_kept_whole),
      cmocka_unit_test(a_long_phrase_starts_the_passage),
      cmocka_unit_test(an_empty_body_is_no_trouble),
  };
  return cmocka_run_group_tests_name("search_passage", tests, setup, teardown);
}
