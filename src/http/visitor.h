/*
** visitor.h: who is writing, as far as an anonymous site can tell: the
** random visitor id in a cookie, a keyed hash of the network address, and
** the checks that a write comes from this site's own pages.
*/
#ifndef GAZETTE_VISITOR_H
#define GAZETTE_VISITOR_H

#include <stddef.h>
#include <time.h>

#include "app.h"

enum { VISITOR_ID_LEN = 32, IP_HASH_LEN = 16, VISITOR_MAX_HOPS = 32, VISITOR_KEY_MAX = 64 };

/* Reads the visitor id from the gz_visitor cookie into id (32 hex digits
** and a NUL). When there is none (or it is malformed) and create is set,
** makes a new random one and sets the cookie (HttpOnly, SameSite=Lax, two
** years, Secure on an https site). Returns 1 when id holds an id, else 0. */
int visitor_id(ctx *c, char id[VISITOR_ID_LEN + 1], int create);

/* Writes the reader's address to out: the address the request came from
** (REMOTE_ADDR); or, when that is a trusted proxy (the trusted_proxies
** setting: the edges), the address X-Forwarded-For names last that is not
** a trusted proxy (each proxy appends the address it was sent the request
** by; at most VISITOR_MAX_HOPS are read). What a reader writes in the
** header themselves is left of that, and never believed. */
void visitor_address(const ctx *c, char out[NETADDR_MAX_TEXT]);

/* Writes to out the text that stands for the client address ip (REMOTE_ADDR,
** may be NULL) in every per-address count: an IPv4 address as it is (an
** IPv4-mapped IPv6 address as its IPv4 form), an IPv6 address as its /64
** ("2001:db8:1:2::/64"), since one subscriber commonly holds a whole /64;
** anything else as it is, cut to VISITOR_KEY_MAX - 1 bytes. */
void visitor_address_key(const char *ip, char out[VISITOR_KEY_MAX]);

/* Writes the keyed hash of the reader's address key (visitor_address_key
** of visitor_address) to out. The address itself is never stored. */
void visitor_ip_hash(const ctx *c, unsigned char out[IP_HASH_LEN]);

/* Checks that a state-changing request comes from this site (or, for the
** API, an allowed origin): an Origin header must be allowed, else a
** Sec-Fetch-Site header must say same-origin or none; a request with
** neither (an app, a command-line client) passes. Returns 0, or answers
** 403 and returns -1. */
int visitor_check_origin(ctx *c);

/* Appends a signed form token holding the time now: "TIME-MAC". This is
** the token of a page others may share (the article page, the same for
** every reader), so it names no reader. */
void visitor_form_token(const ctx *c, buf *out, time_t now);

/* Appends a form token holding the time now that is good only from the
** client's address (its visitor_address_key): for an answer that is this
** reader's own (the form shown back after a refused post). */
void visitor_bound_token(const ctx *c, buf *out, time_t now);

/* Returns the age in seconds of a valid token, or -1 when it is missing,
** malformed, forged, from the future or bound to another address; sets
** *bound to 1 for a token bound to this client's address, 0 otherwise. */
long visitor_token_age(const ctx *c, const char *token, int *bound);

#endif
