/*
** Unit tests: addresses and blocks of them (the trusted proxies), the
** addresses of caches to purge, and the reader's address behind proxies:
** X-Forwarded-For is read only from a trusted proxy, and only as far as
** the trusted proxies go.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "netaddr.h"
#include "visitor.h"

/* Returns 1 when text is an address inside list. */
static int inside(const netlist *l, const char *text) {
  unsigned char a[16];
  assert_int_equal(netaddr_parse(text, strlen(text), a), 0);
  return netlist_has(l, a);
}

static void blocks_hold_their_addresses_and_no_others(void **state) {
  (void)state;
  netlist l;
  char err[160];
  assert_int_equal(netlist_parse("10.0.0.0/8, 192.168.1.7 2001:db8::/32\t::1", &l, err, sizeof err), 0);
  assert_int_equal(l.n, 4);
  assert_true(inside(&l, "10.0.0.1"));
  assert_true(inside(&l, "10.255.255.255"));
  assert_false(inside(&l, "11.0.0.1"));
  assert_true(inside(&l, "192.168.1.7"));
  assert_false(inside(&l, "192.168.1.8"));
  assert_true(inside(&l, "2001:db8:ffff::1"));
  assert_false(inside(&l, "2001:db9::1"));
  assert_true(inside(&l, "::1"));
  /* An IPv4 address is never taken for the IPv6 block of the same bits. */
  assert_false(inside(&l, "::a00:1"));
  /* Odd prefix lengths compare the bits that are there. */
  assert_int_equal(netlist_parse("172.16.0.0/12 0.0.0.0/0", &l, err, sizeof err), 0);
  netlist some;
  assert_int_equal(netlist_parse("172.16.0.0/12", &some, err, sizeof err), 0);
  assert_true(inside(&some, "172.31.255.255"));
  assert_false(inside(&some, "172.32.0.0"));
  assert_true(inside(&l, "8.8.8.8"));
  /* An empty list holds nothing. */
  assert_int_equal(netlist_parse("  ", &l, err, sizeof err), 0);
  assert_int_equal(l.n, 0);
  assert_false(inside(&l, "10.0.0.1"));
}

static void bad_lists_are_refused_with_a_reason(void **state) {
  (void)state;
  netlist l;
  char err[160];
  static const char *const bad[] = {"10.0.0.300", "10.0.0.0/33", "::1/129", "10.0.0.0/",
                                    "10.0.0.0/8x", "example.org", "1.2.3.4 nope"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = 0;
    assert_int_equal(netlist_parse(bad[i], &l, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
  }
  char many[NETADDR_MAX_LIST * 12 + 20] = "";
  for (int i = 0; i <= NETADDR_MAX_LIST; i++)
    snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d ", i % 250);
  assert_int_equal(netlist_parse(many, &l, err, sizeof err), -1);
}

static void addresses_are_written_as_usual(void **state) {
  (void)state;
  unsigned char a[16];
  char out[NETADDR_MAX_TEXT];
  assert_int_equal(netaddr_parse("203.0.113.9", 11, a), 0);
  netaddr_format(a, out);
  assert_string_equal(out, "203.0.113.9");
  assert_int_equal(netaddr_parse("2001:DB8:0:0::1", 15, a), 0);
  netaddr_format(a, out);
  assert_string_equal(out, "2001:db8::1");
  assert_int_equal(netaddr_parse("", 0, a), -1);
  assert_int_equal(netaddr_parse("1.2.3.4:80", 10, a), -1);
}

static void peers_are_parsed(void **state) {
  (void)state;
  netpeer p;
  char err[160];
  assert_int_equal(netpeer_parse("10.0.2.1:6081", 13, &p, err, sizeof err), 0);
  assert_string_equal(p.host, "10.0.2.1");
  assert_int_equal(p.port, 6081);
  assert_string_equal(p.path, "");
  assert_int_equal(netpeer_parse("[2001:db8::5]:80", 16, &p, err, sizeof err), 0);
  assert_string_equal(p.host, "2001:db8::5");
  assert_int_equal(p.port, 80);
  assert_int_equal(netpeer_parse("edge-1.example.net:8080", 23, &p, err, sizeof err), 0);
  assert_string_equal(p.host, "edge-1.example.net");
  const char *u = "unix:/run/nginx/purge.sock";
  assert_int_equal(netpeer_parse(u, strlen(u), &p, err, sizeof err), 0);
  assert_string_equal(p.path, "/run/nginx/purge.sock");
  static const char *const bad[] = {"10.0.2.1", "10.0.2.1:0", "10.0.2.1:65536", ":80",
                                    "unix:relative.sock", "[::1]80", "host name:80",
                                    "a/b:80", "[nothost]:80"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(netpeer_parse(bad[i], strlen(bad[i]), &p, err, sizeof err), -1);
  assert_int_equal(netpeer_each("10.0.2.1:80, 10.0.3.1:80 [::1]:6081", NULL, NULL, err, sizeof err), 3);
  assert_int_equal(netpeer_each("", NULL, NULL, err, sizeof err), 0);
  assert_int_equal(netpeer_each("10.0.2.1:80 oops", NULL, NULL, err, sizeof err), -1);
}

/* The reader's address for a request from remote with X-Forwarded-For
** xff (NULL: none), behind the trusted proxies trusted. */
static void reader(const char *trusted, const char *remote, const char *xff,
                   char out[NETADDR_MAX_TEXT]) {
  app a;
  memset(&a, 0, sizeof a);
  char err[160];
  assert_int_equal(netlist_parse(trusted, &a.trusted_proxies, err, sizeof err), 0);
  char r[128], x[512];
  char *env[4] = {"REQUEST_METHOD=POST", r, NULL, NULL};
  snprintf(r, sizeof r, "REMOTE_ADDR=%s", remote);
  if (xff) {
    snprintf(x, sizeof x, "HTTP_X_FORWARDED_FOR=%s", xff);
    env[2] = x;
  }
  ctx c;
  memset(&c, 0, sizeof c);
  c.app = &a;
  c.req.envp = env;
  visitor_address(&c, out);
}

static void x_forwarded_for_is_read_from_trusted_proxies_only(void **state) {
  (void)state;
  char ip[NETADDR_MAX_TEXT];
  /* No proxy trusted: the connection's address, whatever the header says. */
  reader("", "198.51.100.7", "203.0.113.1", ip);
  assert_string_equal(ip, "198.51.100.7");
  /* A reader that is not a trusted proxy cannot name another address. */
  reader("10.0.2.0/24", "198.51.100.7", "203.0.113.1", ip);
  assert_string_equal(ip, "198.51.100.7");
  /* Through a trusted edge: the address the edge appended. */
  reader("10.0.2.0/24", "10.0.2.1", "203.0.113.5", ip);
  assert_string_equal(ip, "203.0.113.5");
  /* What the reader wrote in the header themselves is left of it. */
  reader("10.0.2.0/24", "10.0.2.1", "1.1.1.1, 8.8.8.8,203.0.113.5", ip);
  assert_string_equal(ip, "203.0.113.5");
  /* Through two trusted proxies: past both. */
  reader("10.0.2.0/24 10.0.9.9", "10.0.2.1", "1.1.1.1, 203.0.113.5, 10.0.9.9", ip);
  assert_string_equal(ip, "203.0.113.5");
  /* Rubbish stops the walk at the last proxy that named it. */
  reader("10.0.2.0/24", "10.0.2.1", "203.0.113.5, not-an-address", ip);
  assert_string_equal(ip, "10.0.2.1");
  reader("10.0.2.0/24", "10.0.2.1", "", ip);
  assert_string_equal(ip, "10.0.2.1");
  /* Only trusted hops: the first of them. */
  reader("10.0.2.0/24", "10.0.2.1", "10.0.2.9", ip);
  assert_string_equal(ip, "10.0.2.9");
  /* IPv6 readers through an IPv4 edge, written the usual way. */
  reader("10.0.2.1", "10.0.2.1", "2001:DB8::77", ip);
  assert_string_equal(ip, "2001:db8::77");
  /* A connection from a unix socket keeps its name. */
  reader("10.0.2.1", "unix:", "203.0.113.5", ip);
  assert_string_equal(ip, "unix:");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(blocks_hold_their_addresses_and_no_others),
      cmocka_unit_test(bad_lists_are_refused_with_a_reason),
      cmocka_unit_test(addresses_are_written_as_usual),
      cmocka_unit_test(peers_are_parsed),
      cmocka_unit_test(x_forwarded_for_is_read_from_trusted_proxies_only),
  };
  return cmocka_run_group_tests_name("netaddr", tests, NULL, NULL);
}
