/*
** timefmt.h: times as the site shows and exchanges them.
*/
#ifndef GAZETTE_TIMEFMT_H
#define GAZETTE_TIMEFMT_H

#include <time.h>

#include "buf.h"

/* Appends t as ISO 8601 UTC, "2026-11-27T08:30:00Z". */
void time_iso(buf *out, time_t t);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (UTC). Returns 0 and sets *t, or -1. */
int time_parse_iso(const char *s, time_t *t);

#endif
