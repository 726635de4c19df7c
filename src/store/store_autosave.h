/*
** store_autosave.h: the editor's autosaves, one per user and article,
** kept apart from the revisions: what the form held when its owner last
** typed, so that nothing typed is lost when a tab closes or the server
** restarts. Article 0 is the user's new article not yet saved.
**
** Functions return store results (store.h).
*/
#ifndef GAZETTE_STORE_AUTOSAVE_H
#define GAZETTE_STORE_AUTOSAVE_H

#include <cjson/cJSON.h>
#include <time.h>

#include "db.h"

enum { AUTOSAVE_MAX_BYTES = 256 * 1024 }; /* the fields as JSON */

/* One autosave. */
typedef struct autosave {
  cJSON *fields;         /* {title, slug, summary, body, tags, ...}: strings */
  long version;          /* the article's version the text started from */
  long long saved_at;
} autosave;

/* Keeps fields (an object of strings, at most AUTOSAVE_MAX_BYTES as JSON)
** as user's autosave of article (0: a new one), started from version, at
** now, replacing the one before. Returns STORE_OK, STORE_LIMIT when it is
** too large, or STORE_ERROR. */
int autosave_put(db *d, time_t now, long user, long article, const cJSON *fields, long version);

/* Loads user's autosave of article into out (its fields are the caller's
** to free). Returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int autosave_get(db *d, long user, long article, autosave *out);

/* Forgets user's autosave of article. Returns STORE_OK or STORE_ERROR. */
int autosave_drop(db *d, long user, long article);

#endif
