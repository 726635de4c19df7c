/*
** json.h: reading members of cJSON documents without trusting that they
** are there: a missing member, or one of another type, reads as "" or 0;
** and setting a member whether or not it is there.
*/
#ifndef GAZETTE_JSON_H
#define GAZETTE_JSON_H

#include <cjson/cJSON.h>

/* Returns the string member key of o, or "" when it has none. */
const char *json_str(const cJSON *o, const char *key);

/* Returns the number member key of o, or 0 when it has none. */
double json_num(const cJSON *o, const char *key);

/* Returns the number member key of o as a long, or 0 when it has none. */
long json_long(const cJSON *o, const char *key);

/* Makes item the member key of o: in the place of the one o had, or last;
** o owns item afterwards (cJSON's own replace leaves item unowned, and
** leaked, when o has no such member). A NULL item only removes the
** member. */
void json_put(cJSON *o, const char *key, cJSON *item);

#endif
