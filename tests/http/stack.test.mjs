// The test stack itself: nginx serves static files, gazette answers the rest.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, get, startStack } from './harness.mjs';

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

test('static files are served by nginx with a long max-age and an ETag', async () => {
  const r = await get(stack.base, '/static/gazette.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /^text\/css/);
  const cc = r.headers.get('cache-control') || '';
  const maxAge = Number((cc.match(/max-age=(\d+)/) || [])[1] || 0);
  assert.ok(maxAge >= 7 * 86400, `long max-age expected, got "${cc}"`);
  assert.doesNotMatch(cc, /immutable/);
  assert.ok(r.headers.get('etag'), 'ETag expected');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const onDisk = fs.readFileSync(path.join(ROOT, 'www', 'static', 'gazette.css'), 'utf8');
  assert.equal(r.text, onDisk);

  const again = await get(stack.base, '/static/gazette.css', {
    headers: { 'if-none-match': r.headers.get('etag') },
  });
  assert.equal(again.status, 304);
});

test('a missing static file is a 404 from nginx', async () => {
  const r = await get(stack.base, '/static/no-such-file.css');
  assert.equal(r.status, 404);
});

test('the home page is HTML from gazette', async () => {
  const r = await get(stack.base, '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /^text\/html/);
  assert.match(r.text, /<html/i);
});

test('HTML is gzip-compressed on request', async () => {
  const r = await get(stack.base, '/', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.status, 200);
  // fetch decodes the body; the header still tells how it was sent.
  if (r.text.length >= 256) assert.equal(r.headers.get('content-encoding'), 'gzip');
});

test('the server does not reveal its version', async () => {
  const r = await get(stack.base, '/');
  assert.doesNotMatch(r.headers.get('server') || '', /\d/);
});
