/*
** tz.h: time zones from the system's IANA database (Debian's tzdata),
** read from their TZif files without touching the process's TZ, so that
** every thread may convert times in the site's zone at once.
**
** A zone holds the transitions its file lists (Debian's files list them up
** to 2037); a time after the last one keeps the last offset.
*/
#ifndef GAZETTE_TZ_H
#define GAZETTE_TZ_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

typedef struct tz tz;

/* Refusals of tz_local_to_utc. */
enum {
  TZ_BAD_TIME = 1, /* not "YYYY-MM-DDTHH:MM" (seconds optional) */
  TZ_GAP = 2,      /* a wall time the zone skips (clocks put forward) */
};

/* Returns 1 when name has the shape of a zone's name ("Europe/Paris",
** "UTC"): 1 to 63 bytes of letters, digits, "_+-" and single "/" between
** parts, none starting with a dot. */
int tz_name_ok(const char *name);

/* Loads zone name from the folder dir (NULL: $TZDIR or the system's
** /usr/share/zoneinfo). Returns the zone, or NULL when the name is not a
** zone's or its file cannot be read or is not TZif. Free with tz_free. */
tz *tz_load(const char *dir, const char *name);

/* Returns the UTC zone (never fails). */
tz *tz_utc(void);

/* Frees z (NULL is fine). */
void tz_free(tz *z);

/* Returns the zone's name. */
const char *tz_name(const tz *z);

/* Returns the offset from UTC in seconds at t, and in *abbr (may be NULL)
** the zone's abbreviation then ("CET", "+04"). */
long tz_offset(const tz *z, time_t t, const char **abbr);

/* Parses a wall time of zone z in the form of an HTML datetime-local
** field ("2026-11-27T08:30", or with ":SS") into *out (UTC). A time the
** zone passes twice (clocks put back) is the earlier. Returns 0,
** TZ_BAD_TIME or TZ_GAP. */
int tz_local_to_utc(const tz *z, const char *s, time_t *out);

/* Appends t as a datetime-local field's value in zone z:
** "2026-11-27T09:30". */
void tz_field(const tz *z, time_t t, buf *out);

/* Appends t as the newsroom shows times: "2026-11-27 09:30 CET". */
void tz_show(const tz *z, time_t t, buf *out);

/* Appends the names of the zones of the database's zone1970.tab in dir
** (NULL as for tz_load), sorted, one per line, "UTC" first. Returns the
** number of names, or -1 when the list cannot be read. */
int tz_list(const char *dir, buf *out);

#endif
