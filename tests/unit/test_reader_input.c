/*
** Unit tests: what readers' input is checked against before it is used:
** dates in filters (a day that exists), names and texts (no controls or
** direction overrides), and the address that per-address limits count
** (an IPv6 /64 as one).
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
#include "utf8.h"
#include "visitor.h"

static void iso_dates_that_exist_are_read(void **state) {
  (void)state;
  time_t t;
  assert_int_equal(time_parse_iso("2026-11-27T08:30:00Z", &t), 0);
  assert_int_equal((long long)t, 1795768200LL);
  assert_int_equal(time_parse_iso("2028-02-29T23:59:59Z", &t), 0); /* a leap year */
  assert_int_equal(time_parse_iso("2000-02-29T00:00:00Z", &t), 0); /* divisible by 400 */
  assert_int_equal(time_parse_iso("1970-01-01T00:00:00Z", &t), 0);
  assert_int_equal((long long)t, 0);
  assert_int_equal(time_parse_iso("2026-12-31T23:59:59Z", &t), 0);
}

static void iso_dates_that_do_not_exist_are_refused(void **state) {
  (void)state;
  static const char *const bad[] = {
      "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z", "2026-06-31T12:00:00Z", "2026-11-31T12:00:00Z",
      "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z",
      "2026-01-32T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
      "2026-01-01T23:59:60Z", "2026-1-01T00:00:00Z",  "+026-01-01T00:00:00Z",
      "2026-01-01T 1:00:00Z", "2026-01-01T-1:00:00Z", "2026-01-01T00:00:00",
      "2026-01-01T00:00:00Z ", "2026-01-01 00:00:00Z", "0000-01-01T00:00:00Z",
      "2026-01-01T00:00:00+01:00", "", "2026-02-30",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    time_t t = 7;
    if (time_parse_iso(bad[i], &t) != -1) fail_msg("accepted: \"%s\"", bad[i]);
  }
}

static void http_dates_name_a_day_that_exists(void **state) {
  (void)state;
  time_t t;
  assert_int_equal(time_parse_http("Fri, 27 Nov 2026 08:30:00 GMT", &t), 0);
  assert_int_equal((long long)t, 1795768200LL);
  assert_int_equal(time_parse_http("Mon, 30 Feb 2026 08:30:00 GMT", &t), -1);
  assert_int_equal(time_parse_http("Mon, 31 Apr 2026 08:30:00 GMT", &t), -1);
  assert_int_equal(time_parse_http("Mon, 01 Apr 2026 08:30:60 GMT", &t), -1);
}

/* Returns utf8_find_unsafe of the NUL-terminated s. */
static long find(const char *s, int lines) { return utf8_find_unsafe(s, strlen(s), lines); }

static void controls_and_overrides_are_found(void **state) {
  (void)state;
  assert_int_equal(find("Ingrid V.", 0), -1);
  assert_int_equal(find("مراسل \xE2\x80\x8F(RLM) \xD8\x9C", 0), -1); /* RLM, ALM allowed */
  assert_int_equal(find("ab\xE2\x80\xAE", 0), 2);                      /* U+202E RLO */
  for (unsigned cp = 0x202A; cp <= 0x202E; cp++) assert_true(utf8_is_unsafe(cp, 1));
  for (unsigned cp = 0x2066; cp <= 0x2069; cp++) assert_true(utf8_is_unsafe(cp, 1));
  assert_int_equal(find("a\x1b[31m", 0), 1);                            /* ESC */
  assert_int_equal(find("a\rb", 1), 1);                                 /* CR */
  assert_int_equal(find("a\x7f", 0), 1);                                /* DEL */
  assert_int_equal(find("a\xC2\x85", 0), 1);                            /* U+0085, C1 */
  assert_int_equal(find("a\xE2\x80\xA8", 0), 1);                        /* U+2028 in a name */
  assert_int_equal(find("a\nb\tc", 0), 1);                              /* a name is one line */
  assert_int_equal(find("a\nb\tc", 1), -1);                             /* a text may break */
}

static void strip_keeps_everything_else(void **state) {
  (void)state;
  char s[] = "\xE2\x80\xAEone\x1b\r\ntwo\t\xE2\x81\xA6three\xE2\x81\xA9 \xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A";
  size_t n = utf8_strip_unsafe(s, strlen(s), 1);
  const char *want = "one\ntwo\tthree \xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A";
  assert_int_equal(n, strlen(want));
  assert_string_equal(s, want);
  char clean[] = "nothing to drop";
  assert_int_equal(utf8_strip_unsafe(clean, strlen(clean), 0), strlen("nothing to drop"));
  assert_string_equal(clean, "nothing to drop");
}

/* Returns the address key of ip in a static buffer. */
static const char *key(const char *ip) {
  static char out[VISITOR_KEY_MAX];
  visitor_address_key(ip, out);
  return out;
}

static void ipv6_addresses_count_by_their_64(void **state) {
  (void)state;
  assert_string_equal(key("203.0.113.7"), "203.0.113.7");
  assert_string_equal(key("::ffff:203.0.113.7"), "203.0.113.7");
  assert_string_equal(key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  assert_string_equal(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
  assert_string_equal(key("2001:DB8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
  assert_string_equal(key("2001:db8:1:3::1"), "2001:db8:1:3::/64");
  assert_string_equal(key("::1"), "::/64");
  assert_string_equal(key(NULL), "");
  /* Not an address: kept as it is, within the key's size. */
  char long_text[200];
  memset(long_text, 'x', sizeof long_text - 1);
  long_text[sizeof long_text - 1] = 0;
  assert_int_equal(strlen(key(long_text)), VISITOR_KEY_MAX - 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(iso_dates_that_exist_are_read),
      cmocka_unit_test(iso_dates_that_do_not_exist_are_refused),
      cmocka_unit_test(http_dates_name_a_day_that_exists),
      cmocka_unit_test(controls_and_overrides_are_found),
      cmocka_unit_test(strip_keeps_everything_else),
      cmocka_unit_test(ipv6_addresses_count_by_their_64),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
