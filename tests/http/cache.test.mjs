// The server's own cache of public answers: an answer is kept until
// something it was built from changes, and writes that change nothing a
// reader sees keep it. X-Cache says whether an answer came from the cache.
// Each worker thread keeps its own cache, so the server here runs one.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get } from './harness.mjs';
import { SITE, gazette, post, sql, startSite, urlOf } from './helpers.mjs';

const LIVE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());
const A = LIVE[0];

let stack;
before(async () => {
  stack = await startSite({ comment_min_seconds: 0, comment_flood_seconds: 0 }, { threads: 1 });
});
after(async () => { await stack?.stop(); });

// GETs path and returns its JSON.
const json = async (path) => JSON.parse((await get(stack.base, path)).text);

// GETs path and returns {status, cache (the X-Cache header), etag, text}.
async function fetchPage(path) {
  const r = await get(stack.base, path);
  return { status: r.status, cache: r.headers.get('x-cache'), etag: r.headers.get('etag'), text: r.text };
}

// GETs path twice; the second answer must come from the cache.
async function cached(path) {
  await fetchPage(path);
  const r = await fetchPage(path);
  assert.equal(r.cache, 'HIT', `${path} is kept`);
  return r;
}

test('a public page is kept and answered again from memory', async () => {
  const first = await fetchPage(urlOf(A));
  assert.equal(first.status, 200);
  assert.match(first.cache, /^(HIT|MISS)$/);
  const again = await cached(urlOf(A));
  assert.equal(again.etag, first.etag);
});

test('a vote leaves the cached page (its figures may be a few seconds old); the API is fresh', async () => {
  const page = await cached(urlOf(A));
  const before = await json(`/api/v1/articles/${A.id}/rating`);
  const r = await post(stack, `/api/v1/articles/${A.id}/rating`, JSON.stringify({ stars: 5 }),
    { type: 'application/json' });
  assert.equal(r.status, 200);
  const after = await json(`/api/v1/articles/${A.id}/rating`);
  assert.equal(after.count, before.count + 1, 'the API counts the vote at once');
  const again = await fetchPage(urlOf(A));
  assert.equal(again.cache, 'HIT', 'the page was not thrown away for a vote');
  assert.equal(again.etag, page.etag);
});

test('writes no reader sees keep the page: a failed sign-in, a held comment', async () => {
  const page = await cached(urlOf(A));
  const signIn = await post(stack, '/admin/login', 'username=nobody&password=wrong-password-1');
  assert.equal(signIn.status, 401);
  const held = await post(stack, `/api/v1/articles/${A.id}/comments`,
    JSON.stringify({ name: 'First Timer', email: 'first.timer@example.org', body: 'Held for now.' }),
    { type: 'application/json' });
  assert.equal(held.status, 201);
  const comment = JSON.parse(held.text);
  assert.equal(comment.status, 'held');
  const again = await fetchPage(urlOf(A));
  assert.equal(again.cache, 'HIT');
  assert.equal(again.etag, page.etag);

  // Approved (here by the command, another process): the page shows it at once.
  const ok = gazette(stack, ['comments', '--db', stack.dbPath, 'approve', String(comment.id)]);
  assert.equal(ok.status, 0, ok.stderr);
  const shown = await fetchPage(urlOf(A));
  assert.equal(shown.cache, 'MISS');
  assert.notEqual(shown.etag, page.etag);
  assert.match(shown.text, /Held for now\./);
});

test('a change to one article drops its pages and lists, not another article\'s page', async () => {
  const other = LIVE.find((x) => x.id !== A.id && x.category !== A.category
    && !(x.tags || []).some((t) => (A.tags || []).includes(t)));
  assert.ok(other, 'the demo has an unrelated article');
  await cached(urlOf(A));
  await cached(urlOf(other));
  await cached('/');
  sql(stack, `UPDATE articles SET title = title || ' (updated)', updated_at = updated_at + 1 WHERE id = ${A.id}`);
  const page = await fetchPage(urlOf(A));
  assert.equal(page.cache, 'MISS');
  assert.match(page.text, /\(updated\)/);
  const home = await fetchPage('/');
  if (home.text.includes(A.slug)) assert.equal(home.cache, 'MISS', 'the home page lists it');
  const untouched = await fetchPage(urlOf(other));
  const related = (await json(`/api/v1/articles/${other.id}`)).related.map((x) => x.id);
  if (!related.includes(A.id)) assert.equal(untouched.cache, 'HIT', 'another article\'s page stays');
});

test('a setting shows on every page at once', async () => {
  await cached('/');
  const r = gazette(stack, ['setting', '--db', stack.dbPath, 'tagline', 'Fresh from the harbour']);
  assert.equal(r.status, 0, r.stderr);
  const home = await fetchPage('/');
  assert.equal(home.cache, 'MISS');
  assert.match(home.text, /Fresh from the harbour/);
});
