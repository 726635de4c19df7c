/*
** netaddr.h: network addresses as the cache tier names them: an address
** or a block of them in CIDR notation ("10.0.0.0/8", "2001:db8::/32"), a
** list of those (the trusted proxies), and the address of a server to
** send purges to ("HOST:PORT", "[V6]:PORT" or "unix:PATH").
*/
#ifndef GAZETTE_NETADDR_H
#define GAZETTE_NETADDR_H

#include <stddef.h>

enum {
  NETADDR_MAX_LIST = 64,     /* blocks in one list */
  NETADDR_MAX_HOST = 256,    /* bytes of a host name */
  NETADDR_MAX_PATH = 108,    /* bytes of a unix socket path, with its NUL */
  NETADDR_MAX_TEXT = 64,     /* bytes of an address written out, with its NUL */
};

/* An address or a block: 16 bytes (an IPv4 address is held as IPv4-mapped
** IPv6, ::ffff:a.b.c.d) and how many leading bits must match. */
typedef struct netblock {
  unsigned char a[16];
  int bits;
} netblock;

/* A list of blocks, as parsed from a setting. */
typedef struct netlist {
  netblock b[NETADDR_MAX_LIST];
  int n;
} netlist;

/* Parses an IPv4 or IPv6 address s[0..len) (no brackets, no port) into
** 16 bytes. Returns 0, or -1 when it is not one. */
int netaddr_parse(const char *s, size_t len, unsigned char out[16]);

/* Parses a list of addresses and blocks separated by spaces or commas
** ("10.0.1.2, 192.168.0.0/16 ::1") into out. Returns 0, or -1 with a
** one-line reason in err when an item is not an address, a prefix length
** is out of range or there are more than NETADDR_MAX_LIST items. An empty
** list is valid. */
int netlist_parse(const char *s, netlist *out, char *err, size_t errlen);

/* Returns 1 when the 16-byte address a is in one of the list's blocks. */
int netlist_has(const netlist *l, const unsigned char a[16]);

/* Writes address a (16 bytes) to out the way it is usually written: an
** IPv4-mapped one as a.b.c.d, else in IPv6 notation. */
void netaddr_format(const unsigned char a[16], char out[NETADDR_MAX_TEXT]);

/* Where a server listens: a unix socket path, or a host and a port. */
typedef struct netpeer {
  char path[NETADDR_MAX_PATH];   /* "" for TCP */
  char host[NETADDR_MAX_HOST];   /* a name or an address literal */
  int port;
} netpeer;

/* Parses "unix:/abs/path", "HOST:PORT" or "[V6]:PORT" (s[0..len)) into
** out. Returns 0, or -1 with a reason in err. */
int netpeer_parse(const char *s, size_t len, netpeer *out, char *err, size_t errlen);

/* Calls fn for each item of a list of peers separated by spaces or commas;
** stops at the first that does not parse (reason in err) and returns -1,
** or returns the number of peers. At most NETADDR_MAX_LIST peers. */
int netpeer_each(const char *s, int (*fn)(void *ud, const netpeer *p, const char *text,
                                          size_t len),
                 void *ud, char *err, size_t errlen);

#endif
