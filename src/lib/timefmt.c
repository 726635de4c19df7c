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

int time_parse_iso(const char *s, time_t *t) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  int n = 0;
  if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
             &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
      s[n] != 0 || n != 20)
    return -1;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
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
  if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
    return -1;
  tm.tm_year -= 1900;
  *t = timegm(&tm);
  return 0;
}
