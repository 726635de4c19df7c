/*
** auth.h: newsroom accounts, passwords (argon2id), sessions and sign-in
** limits. Dispatch loads the session and checks the role and the form
** token of every newsroom route (auth_session, auth_csrf_ok) before its
** handler runs.
*/
#ifndef GAZETTE_AUTH_H
#define GAZETTE_AUTH_H

#include <stdio.h>

#include "app.h"

enum {
  PASSWORD_MIN = 10,       /* characters */
  PASSWORD_MAX = 1024,     /* bytes */
  SESSION_IDLE = 2 * 3600, /* seconds without a request */
  SESSION_LIFE = 12 * 3600,/* seconds from sign-in, whatever happens */
};

/* Returns the role named s ("author", "editor", "admin") or ROLE_NONE. */
int auth_role_parse(const char *s);

/* Returns the name of role. */
const char *auth_role_name(int role);

/* Returns NULL when pw is acceptable as a password, else why not. */
const char *auth_password_check(const char *pw);

/* Creates user name with role and password. Returns STORE_OK, STORE_TAKEN
** when the name is taken or not valid (lowercase letters, digits, . _ -;
** 2 to 32), or STORE_ERROR. */
int user_add(db *d, const char *name, const char *display, int role,
             const char *password);

/* Sets name's password and ends all of that user's sessions. Returns
** STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int user_passwd(db *d, const char *name, const char *password);

/* Disables name (sign-in refused) and ends the user's sessions. Returns
** STORE_OK, STORE_NOT_FOUND, STORE_LAST_ADMIN or STORE_ERROR. */
int user_disable(db *d, const char *name);

/* Writes one line per user: name, role, state, display name. */
int user_list(db *d, FILE *out);

/* Signs name in with password: checks the limits for the account and the
** address first (after 3 failures each try must wait longer: up to 8 s for
** an account, 64 s for an address, which after 10 is locked for 15
** minutes), then the password; on success makes a session and sets its
** cookie.
** Returns 0, 1 for a wrong name or password (one answer for both), 2 when
** the limits refuse the attempt (*wait = seconds to wait), -1 on error.
** Failures and locks are logged on stderr. */
int auth_login(ctx *c, const char *name, const char *password, long *wait);

/* Loads the session named by the request's cookie into c->user. Returns 1
** when a live session of an enabled user was found, else 0. */
int auth_session(ctx *c);

/* Ends the current session and clears its cookie. */
void auth_logout(ctx *c);

/* Returns 1 when the form field csrf equals the session's token (compared
** in constant time), else 0. */
int auth_csrf_ok(const ctx *c);

/* Returns 1 when value (len bytes; NULL: none) equals the session's token,
** compared in constant time, else 0: the same check for a form field read
** from a multipart body. */
int auth_csrf_matches(const ctx *c, const char *value, size_t len);

/* Returns 1 when password is the signed-in user's, else 0; the check
** counts against the same limits as signing in (*wait > 0 when they
** refused it without looking). */
int auth_password_matches(ctx *c, const char *password, long *wait);

/* Sets the user's password from an admin form and ends the user's other
** sessions. Returns 0 or -1. */
int auth_change_own_password(ctx *c, const char *password);

#endif
