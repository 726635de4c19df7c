// Readers behind proxies: the per-address limits (here rating_ip_cap, two
// votes per article from one address) count the address the request came
// from, and read X-Forwarded-For only when that address is a trusted
// proxy (the trusted_proxies setting: the edges in front), and then only
// the last address it names that is not one, never what a reader wrote
// in the header themselves. The tests' requests come from 127.0.0.1.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RELAXED, SITE, gazette, post, settle, startSite } from './helpers.mjs';

const LIVE = SITE.articles.map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());

let stack;
before(async () => { stack = await startSite({ ...RELAXED, rating_ip_cap: 2 }); });
after(async () => { await stack?.stop(); });

// A new reader's vote on article a, with X-Forwarded-For xff; resolves to
// the status.
async function vote(a, xff) {
  const r = await post(stack, `/api/v1/articles/${a.id}/rating`, '{"stars":4}', {
    type: 'application/json', headers: { 'x-forwarded-for': xff },
  });
  return r.status;
}

test('without trusted proxies, X-Forwarded-For changes nothing', async () => {
  const a = LIVE[0];
  const got = [];
  for (const xff of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) got.push(await vote(a, xff));
  assert.deepEqual(got, [200, 200, 429], 'three votes from 127.0.0.1, whatever they claim');
});

test('behind a trusted proxy, each reader has an allowance of their own', async () => {
  const r = gazette(stack, ['setting', '--db', stack.dbPath, 'trusted_proxies', '127.0.0.0/8 10.0.0.7']);
  assert.equal(r.status, 0, r.stderr);
  await settle(stack);
  const a = LIVE[1];
  assert.deepEqual([await vote(a, '203.0.113.1'), await vote(a, '203.0.113.1'), await vote(a, '203.0.113.1')],
    [200, 200, 429], 'the first reader: two votes');
  assert.equal(await vote(a, '203.0.113.2'), 200, 'another reader votes too');
  // A reader who writes an address of their own in the header: the proxy
  // appended the real one after it.
  assert.equal(await vote(a, '198.51.100.1, 203.0.113.2'), 200, 'counted as 203.0.113.2 (its second)');
  assert.equal(await vote(a, '198.51.100.2, 203.0.113.2'), 429, 'and not as 198.51.100.2');
  // Through two trusted proxies, the reader is the address before them.
  assert.equal(await vote(a, '203.0.113.3, 10.0.0.7'), 200);
  assert.equal(await vote(a, '203.0.113.3, 10.0.0.7'), 200);
  assert.equal(await vote(a, '203.0.113.3'), 429, 'the same reader, however it arrives');
});

test('a bad list of trusted proxies is refused', async () => {
  const r = gazette(stack, ['setting', '--db', stack.dbPath, 'trusted_proxies', '10.0.0.0/33']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /trusted_proxies must list IP addresses or CIDR blocks/);
  const e = gazette(stack, ['setting', '--db', stack.dbPath, 'cache_edges', 'edge-without-port']);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /cache_edges must list HOST:PORT items/);
});
