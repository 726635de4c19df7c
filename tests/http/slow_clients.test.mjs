// One client cannot take the site away from the others: a flood of
// connections that send their request header slowly and hold on does not
// stop a normal reader from being served, and nginx closes them when the
// header timeout runs out; connections from one address that stall after
// their header are limited in number and closed when the body timeout
// runs out. The timeouts are shortened for the test (production values
// are in scripts/nginx.conf.in); the connection limits are the shipped
// ones.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { get, renderNginxConf, startStack } from './harness.mjs';
import { sleep } from './helpers.mjs';

// Test values of the timeouts (production: 10 s each).
const HEADER_TIMEOUT_S = 5;
const BODY_TIMEOUT_S = 3;
// As many slow connections as an outside review opened from one address;
// more than the 1,024 connections a worker had before the limits.
const SLOW_HEADERS = 2500;
// Connections opened at once: below nginx's listen backlog (511).
const BATCH = 250;
// The slowest a normal request may be answered while the flood is held.
const PROMPT_MS = 2000;

// The per-address connection limit the shipped configuration sets.
const PER_ADDRESS = Number(/^\s*limit_conn gazette_conn (\d+);/m.exec(renderNginxConf({
  listen: '127.0.0.1:1', fastcgi: 'unix:/x', staticRoot: '/x', runtimeDir: '/x',
}))[1]);

// Open a connection to port that sends first and then holds on. Resolves
// (once connected) to {socket, openedAt, closedAt, received}: closedAt is
// set when the server closes or resets the connection.
function holdOpen(port, first) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const c = { socket: s, openedAt: 0, closedAt: 0, received: '' };
    s.setNoDelay(true);
    s.on('data', (d) => { c.received += d; });
    s.on('error', () => { /* a reset: closedAt is set on close */ });
    s.on('close', () => { c.closedAt = Date.now(); });
    s.once('connect', () => {
      c.openedAt = Date.now();
      s.write(first);
      resolve(c);
    });
    s.once('error', (err) => { if (!c.openedAt) reject(err); });
  });
}

// Open n connections with holdOpen, BATCH at a time.
async function holdMany(port, n, first) {
  const all = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + BATCH); k++) batch.push(holdOpen(port, first));
    all.push(...await Promise.all(batch));
  }
  return all;
}

// Wait until every connection of conns is closed, for at most ms; returns
// how many are still open.
async function waitClosed(conns, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end && conns.some((c) => !c.closedAt)) await sleep(100);
  return conns.filter((c) => !c.closedAt).length;
}

// GET urlPath with a fresh connection; resolves to {status, ms}.
async function timedGet(stack, urlPath) {
  const t0 = Date.now();
  const r = await get(stack.base, urlPath, { headers: { connection: 'close' } });
  return { status: r.status, ms: Date.now() - t0, text: r.text };
}

describe('slow clients', () => {
  let stack;
  before(async () => {
    stack = await startStack({
      nginx: { client_header_timeout: `${HEADER_TIMEOUT_S}s`, client_body_timeout: `${BODY_TIMEOUT_S}s` },
    });
  });
  after(async () => { await stack?.stop(); });

  test(`${SLOW_HEADERS} connections trickling a header do not keep a reader waiting, and are closed at the header timeout`, async () => {
    const slow = await holdMany(stack.port, SLOW_HEADERS, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // Keep each one sending a header line every half second.
    const trickle = setInterval(() => {
      for (const c of slow) if (!c.closedAt) c.socket.write('X-Slow: 1\r\n');
    }, 500);
    try {
      for (const url of ['/', '/api/v1/articles', '/', '/static/gazette.css', '/']) {
        const r = await timedGet(stack, url);
        assert.equal(r.status, 200, `${url} while the slow connections are held: ${r.text.slice(0, 200)}`);
        assert.ok(r.ms < PROMPT_MS, `${url} answered in ${r.ms} ms`);
      }
      assert.equal(slow.filter((c) => c.closedAt).length, 0, 'the slow connections were still open meanwhile');
      const open = await waitClosed(slow, (HEADER_TIMEOUT_S + 5) * 1000);
      assert.equal(open, 0, `nginx closed every slow connection (${open} still open)`);
    } finally {
      clearInterval(trickle);
      for (const c of slow) c.socket.destroy();
    }
    const lived = slow.map((c) => (c.closedAt - c.openedAt) / 1000);
    const least = Math.min(...lived);
    const most = Math.max(...lived);
    assert.ok(least >= HEADER_TIMEOUT_S - 0.5, `none closed before the header timeout (first after ${least} s)`);
    assert.ok(most <= HEADER_TIMEOUT_S + 4, `all closed soon after it (last after ${most} s)`);
    assert.equal(slow.filter((c) => c.received).length, 0, 'no slow connection got an answer');
    assert.doesNotMatch(stack.nginxErrorLog(), /worker_connections are not enough/);
  });

  test(`one address gets at most ${PER_ADDRESS} connections with a request in progress`, async () => {
    // Whole headers announcing a body that never comes: nginx counts these.
    const stalled = await holdMany(stack.port, PER_ADDRESS,
      'GET /api/v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n');
    try {
      await sleep(300);
      const refused = await timedGet(stack, '/');
      assert.equal(refused.status, 429, `one more request from the address is refused: ${refused.text.slice(0, 100)}`);
      const open = await waitClosed(stalled, (BODY_TIMEOUT_S + 5) * 1000);
      assert.equal(open, 0, `nginx closed every stalled connection (${open} still open)`);
      const lived = stalled.map((c) => (c.closedAt - c.openedAt) / 1000);
      assert.ok(Math.min(...lived) >= BODY_TIMEOUT_S - 0.5, `none closed before the body timeout (${Math.min(...lived)} s)`);
      const served = await timedGet(stack, '/');
      assert.equal(served.status, 200, 'once they are gone the address is served again');
    } finally {
      for (const c of stalled) c.socket.destroy();
    }
  });
});
