/*
** store_user.h: newsroom accounts, their sessions and the counters behind
** the sign-in limits, as stored. The rules (how long a session lives, when
** an address is locked) are auth.c's; this is only the SQL. Functions
** return store results (store.h).
*/
#ifndef GAZETTE_STORE_USER_H
#define GAZETTE_STORE_USER_H

#include <stdio.h>
#include <time.h>

#include "db.h"

enum { SESSION_HASH_LEN = 32, PASSWORD_HASH_MAX = 128 };

/* Creates user name (display name, role name, password hash) at now.
** Returns STORE_OK or STORE_TAKEN. */
int user_insert(db *d, const char *name, const char *display, const char *role,
                const char *hash, time_t now);

/* Sets name's password hash and ends all of the user's sessions, in one
** transaction; an account that had no password yet (made by an import,
** disabled until then) is enabled. Returns STORE_OK or STORE_NOT_FOUND. */
int user_set_password(db *d, const char *name, const char *hash);

/* Disables name and ends the user's sessions, in one transaction; never
** the last active admin. Returns STORE_OK, STORE_NOT_FOUND, or
** STORE_LAST_ADMIN. */
int user_set_disabled(db *d, const char *name);

/* Writes one line per user: name, role, state, display name. */
int user_print(db *d, FILE *out);

/* Reads the id and password hash (into hash, PASSWORD_HASH_MAX bytes) of
** the enabled user name that has a password. Returns STORE_OK or
** STORE_NOT_FOUND. */
int user_credentials(db *d, const char *name, long *id, char *hash);

/* Sets user id's password hash and ends their sessions but the one whose
** hash is keep, in one transaction. Returns a store result. */
int user_set_own_password(db *d, long id, const char *hash,
                          const unsigned char keep[SESSION_HASH_LEN]);

/* A session as stored, with its user. */
typedef struct session_row {
  long user_id;
  char csrf[65];
  long long created_at, seen_at;
  char username[64];
  char name[128];
  char role[16];
} session_row;

/* Stores a new session (hash of its token) for user id with its form
** token csrf, at now. Returns a store result. */
int session_insert(db *d, const unsigned char hash[SESSION_HASH_LEN], long user_id,
                   const char *csrf, time_t now);

/* Loads the session with this hash, of an enabled user. Returns STORE_OK
** or STORE_NOT_FOUND. */
int session_find(db *d, const unsigned char hash[SESSION_HASH_LEN], session_row *out);

/* Records that the session was used at now. */
int session_seen(db *d, const unsigned char hash[SESSION_HASH_LEN], time_t now);

/* Ends the session. */
int session_delete(db *d, const unsigned char hash[SESSION_HASH_LEN]);

/* Ends every session last used before idle_before or begun before
** life_before. */
int session_expire(db *d, time_t idle_before, time_t life_before);

/* The sign-in counter of one key ("user:NAME" or "ip:HASH"). */
typedef struct login_counter {
  long failures;
  long long last_at, locked_until;
} login_counter;

/* Reads key's counter (zeroed when it has none). */
int login_counter_get(db *d, const char *key, login_counter *out);

/* Counts a failure for key at now: a lock that has run out starts the
** count afresh; reaching lock_after failures locks the key for
** lock_seconds. Sets *failures to the new count. */
int login_counter_fail(db *d, const char *key, time_t now, long lock_after, long lock_seconds,
                       long *failures);

/* Takes one failure back from key's counter. */
int login_counter_undo(db *d, const char *key);

/* Forgets key's counter. */
int login_counter_clear(db *d, const char *key);

/* Forgets counters not touched since before and not locked past now. */
int login_counter_expire(db *d, time_t before, time_t now);

#endif
