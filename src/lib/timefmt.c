/*
** timefmt.c: ISO 8601 and display dates (see timefmt.h).
*/
#include "timefmt.h"

#include <stdio.h>
#include <string.h>


void time_iso(buf *out, time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  char s[32];
  strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
  buf_puts(out, s);
}

/* Returns the number of days in month mon (1-12) of year (Gregorian). */
static int time_month_days(int year, int mon) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return mon == 2 && leap ? 29 : days[mon - 1];
}

/* Returns 1 when year-mon-day hh:mm:ss names a moment that exists: a real
** day of a real month (no 30 February), hours to 23, minutes and seconds to
** 59 (a leap second is not a moment Unix time can name). */
static int time_fields_ok(int year, int mon, int day, int hour, int min, int sec) {
  return year >= 1 && year <= 9999 && mon >= 1 && mon <= 12 && day >= 1 &&
         day <= time_month_days(year, mon) && hour >= 0 && hour <= 23 && min >= 0 &&
         min <= 59 && sec >= 0 && sec <= 59;
}

/* Reads n decimal digits at s (nothing else: no sign, no space) into *v.
** Returns 0, or -1 when one of them is not a digit. */
static int time_digits(const char *s, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    *v = *v * 10 + (s[i] - '0');
  }
  return 0;
}

int time_parse_iso(const char *s, time_t *t) {
  int y, mo, d, h, mi, se;
  if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != 'Z' || time_digits(s, 4, &y) || time_digits(s + 5, 2, &mo) ||
      time_digits(s + 8, 2, &d) || time_digits(s + 11, 2, &h) || time_digits(s + 14, 2, &mi) ||
      time_digits(s + 17, 2, &se) || !time_fields_ok(y, mo, d, h, mi, se))
    return -1;
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  *t = timegm(&tm);
  return 0;
}

static const char *const HTTP_DAYS[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const HTTP_MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void time_http(buf *out, time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  /* Not strftime: its %a and %b follow the locale. */
  buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d GMT", HTTP_DAYS[tm.tm_wday], tm.tm_mday,
             HTTP_MONTHS[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int time_parse_http(const char *s, time_t *t) {
  char day[4], mon[4];
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  int n = 0;
  if (!s || strlen(s) != 29 ||
      sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", day, &tm.tm_mday, mon,
             &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 7 || n != 29)
    return -1;
  tm.tm_mon = -1;
  for (int i = 0; i < 12; i++)
    if (strcmp(mon, HTTP_MONTHS[i]) == 0) tm.tm_mon = i;
  if (tm.tm_mon < 0 || tm.tm_year < 1970 ||
      !time_fields_ok(tm.tm_year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec))
    return -1;
  tm.tm_year -= 1900;
  *t = timegm(&tm);
  return 0;
}

/* Returns the time on clock in microseconds. */
static long long time_clock_us(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long time_now_ms(void) { return time_clock_us(CLOCK_REALTIME) / 1000; }

long long time_mono_ms(void) { return time_clock_us(CLOCK_MONOTONIC) / 1000; }

long long time_mono_us(void) { return time_clock_us(CLOCK_MONOTONIC); }
