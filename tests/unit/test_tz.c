/*
** Unit tests: time zones from the system's tzdata. An editor in Paris,
** Tokyo or New York types a wall time and the site stores the right
** instant; the newsroom shows it back the same way, with daylight saving
** on both sides of its changes. Skipped where the system has no tzdata.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "timefmt.h"
#include "tz.h"

/* Loads zone name, skipping the test when the system has no tzdata. */
static tz *zone(const char *name) {
  tz *z = tz_load(NULL, name);
  if (!z) skip();
  return z;
}

/* Returns the ISO form of t. */
static const char *iso(time_t t) {
  static char s[32];
  buf b = {0};
  time_iso(&b, t);
  snprintf(s, sizeof s, "%s", buf_str(&b));
  buf_free(&b);
  return s;
}

static void names_are_checked(void **state) {
  (void)state;
  assert_true(tz_name_ok("Europe/Paris"));
  assert_true(tz_name_ok("America/Argentina/Buenos_Aires"));
  assert_true(tz_name_ok("Etc/GMT+5"));
  assert_false(tz_name_ok(""));
  assert_false(tz_name_ok("../etc/passwd"));
  assert_false(tz_name_ok("Europe/../../x"));
  assert_false(tz_name_ok("/etc/localtime"));
  assert_false(tz_name_ok("Europe//Paris"));
  assert_false(tz_name_ok("Europe/Paris "));
  assert_null(tz_load(NULL, "Mars/Olympus_Mons"));
  assert_null(tz_load(NULL, "../../etc/passwd"));
}

static void wall_times_become_utc(void **state) {
  (void)state;
  tz *paris = zone("Europe/Paris");
  time_t t;
  /* Winter: UTC+1. */
  assert_int_equal(tz_local_to_utc(paris, "2026-11-27T09:30", &t), 0);
  assert_string_equal(iso(t), "2026-11-27T08:30:00Z");
  /* Summer: UTC+2. */
  assert_int_equal(tz_local_to_utc(paris, "2026-07-14T22:00:15", &t), 0);
  assert_string_equal(iso(t), "2026-07-14T20:00:15Z");
  /* 02:30 on the last Sunday of March does not exist in Paris. */
  assert_int_equal(tz_local_to_utc(paris, "2026-03-29T02:30", &t), TZ_GAP);
  /* 02:30 on the last Sunday of October happens twice: the first. */
  assert_int_equal(tz_local_to_utc(paris, "2026-10-25T02:30", &t), 0);
  assert_string_equal(iso(t), "2026-10-25T00:30:00Z");
  assert_int_equal(tz_local_to_utc(paris, "2026-02-30T10:00", &t), TZ_BAD_TIME);
  assert_int_equal(tz_local_to_utc(paris, "2026-11-27 09:30", &t), TZ_BAD_TIME);
  assert_int_equal(tz_local_to_utc(paris, "tomorrow", &t), TZ_BAD_TIME);
  tz_free(paris);

  tz *tokyo = zone("Asia/Tokyo");
  assert_int_equal(tz_local_to_utc(tokyo, "2026-12-01T09:00", &t), 0);
  assert_string_equal(iso(t), "2026-12-01T00:00:00Z");
  tz_free(tokyo);
}

static void utc_is_shown_in_the_zone(void **state) {
  (void)state;
  tz *ny = zone("America/New_York");
  buf b = {0};
  time_t t;
  assert_int_equal(time_parse_iso("2026-11-27T08:30:00Z", &t), 0);
  tz_show(ny, t, &b);
  assert_string_equal(buf_str(&b), "2026-11-27 03:30 EST");
  buf_reset(&b);
  tz_field(ny, t, &b);
  assert_string_equal(buf_str(&b), "2026-11-27T03:30");
  buf_reset(&b);
  assert_int_equal(time_parse_iso("2026-07-01T12:00:00Z", &t), 0);
  tz_show(ny, t, &b);
  assert_string_equal(buf_str(&b), "2026-07-01 08:00 EDT");
  buf_free(&b);
  tz_free(ny);

  tz *utc = tz_utc();
  b = (buf){0};
  tz_show(utc, t, &b);
  assert_string_equal(buf_str(&b), "2026-07-01 12:00 UTC");
  assert_int_equal(tz_local_to_utc(utc, "2026-07-01T12:00", &t), 0);
  assert_string_equal(iso(t), "2026-07-01T12:00:00Z");
  buf_free(&b);
  tz_free(utc);
}

static void the_list_names_real_zones(void **state) {
  (void)state;
  buf b = {0};
  int n = tz_list(NULL, &b);
  if (n < 0) skip();
  assert_true(n > 300);
  assert_memory_equal(buf_str(&b), "UTC\n", 4);
  assert_non_null(strstr(buf_str(&b), "\nEurope/Paris\n"));
  assert_non_null(strstr(buf_str(&b), "\nAsia/Tokyo\n"));
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(names_are_checked),
      cmocka_unit_test(wall_times_become_utc),
      cmocka_unit_test(utc_is_shown_in_the_zone),
      cmocka_unit_test(the_list_names_real_zones),
  };
  return cmocka_run_group_tests_name("tz", tests, NULL, NULL);
}
