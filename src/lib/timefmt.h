/*
** timefmt.h: times as the site shows and exchanges them, and the clocks
** the server reads in milliseconds.
*/
#ifndef GAZETTE_TIMEFMT_H
#define GAZETTE_TIMEFMT_H

#include <time.h>

#include "buf.h"

/* Appends t as ISO 8601 UTC, "2026-11-27T08:30:00Z". */
void time_iso(buf *out, time_t t);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (UTC): exactly these 20 characters, digits
** where digits go, and a moment that exists (no 2026-02-30, no 24:00, no
** second 60). Returns 0 and sets *t, or -1. */
int time_parse_iso(const char *s, time_t *t);

/* Appends t as an HTTP date (RFC 9110's IMF-fixdate, which is also RSS's
** RFC 822 date): "Fri, 27 Nov 2026 08:30:00 GMT". */
void time_http(buf *out, time_t t);

/* Parses an HTTP date in the IMF-fixdate form ("Fri, 27 Nov 2026 08:30:00
** GMT"), the one every client sends, naming a day that exists. Returns 0
** and sets *t, or -1 for anything else. */
int time_parse_http(const char *s, time_t *t);

/* Returns the wall-clock time in Unix milliseconds (times written down:
** the purge queue's, an answer's start). */
long long time_now_ms(void);

/* Returns the monotonic time in milliseconds (durations and deadlines,
** which a change of the system's clock must not stretch). */
long long time_mono_ms(void);

/* The same in microseconds (waits shorter than a millisecond). */
long long time_mono_us(void);

#endif
