// The caches in front of the server's answers. The shipped nginx keeps
// every public answer (X-Cache says HIT when it answered from what it
// kept) and the server purges what a change touches, by the cache tags
// each answer names in Surrogate-Key; behind it, each worker of the server
// keeps its own answers too. A write through the site is answered once
// nginx has forgotten what it changed; a write by another process (the
// gazette command, sqlite3) is purged as soon as the server reads the
// change log (settle waits for that). The server here runs one worker.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import {
  SHARED, SITE, addUser, gazette, post, settle, signIn, sleep, sql, startSite, urlOf, waitForPictures,
} from './helpers.mjs';

const LIVE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());
const A = LIVE[0];
const JSON_TYPE = 'application/json';

let stack;
before(async () => {
  stack = await startSite({ comment_min_seconds: 0, comment_flood_seconds: 0 },
    { threads: 1, pictures: 'standins' });
  await waitForPictures(stack);
  await settle(stack, { quiet: true }); // the purges of the site's making are all sent
});
after(async () => { await stack?.stop(); });

// GETs path and returns its JSON.
const json = async (path) => JSON.parse((await get(stack.base, path)).text);

// GETs path (with headers) and returns {status, cache (the X-Cache header),
// etag, tags (Surrogate-Key), cc (Cache-Control), type, text}.
async function fetchPage(path, headers = {}) {
  const r = await get(stack.base, path, { headers });
  return {
    status: r.status, cache: r.headers.get('x-cache'), etag: r.headers.get('etag'),
    tags: r.headers.get('surrogate-key'), cc: r.headers.get('cache-control'),
    type: r.headers.get('content-type'), retry: r.headers.get('retry-after'), text: r.text,
  };
}

// GETs path twice; the second answer must come from nginx's cache. The
// second purges of earlier changes are sent first, so that they do not
// take it in between.
async function cached(path) {
  await settle(stack, { quiet: true });
  await fetchPage(path);
  const r = await fetchPage(path);
  assert.equal(r.cache, 'HIT', `${path} is kept`);
  return r;
}

describe('what the answers say to caches', () => {
  test('pages, feeds and API reads are public for shared caches and name their tags', async () => {
    const cases = [
      ['/', `public, max-age=0${SHARED}`, ['home', `article-${A.id}`, 'site']],
      [urlOf(A), `public, max-age=0${SHARED}`, [`article-${A.id}`, 'site']],
      ['/feed.xml', `public, max-age=300${SHARED}`, ['feeds', 'site']],
      ['/api/v1/articles', `public, max-age=60${SHARED}`, ['articles', `article-${A.id}`, 'site']],
      [`/api/v1/articles/${A.id}`, `public, max-age=300${SHARED}`, [`article-${A.id}`, 'site']],
      ['/api/v1/categories', `public, max-age=60${SHARED}`, ['taxa', 'site']],
    ];
    for (const [path, cc, tags] of cases) {
      const r = await fetchPage(path);
      assert.equal(r.status, 200, path);
      assert.equal(r.cc, cc, `${path}: Cache-Control`);
      const named = r.tags.split(' ');
      for (const t of tags) assert.ok(named.includes(t), `${path} names ${t} in ${r.tags}`);
      assert.ok(named.every((t) => /^[a-z]+(-\d+)?$/.test(t)), `${path}: tags ${r.tags}`);
    }
  });

  test('a reader\'s own answers, errors and the newsroom are never kept', async () => {
    for (const path of [`/api/v1/articles/${A.id}/rating`, `${urlOf(A)}?pending=1`,
      '/articles/no-such-article', '/admin/login']) {
      const first = await fetchPage(path);
      const again = await fetchPage(path);
      assert.notEqual(again.cache, 'HIT', `${path} is not kept`);
      assert.match(first.cc || '', /no-store/, `${path}: ${first.cc}`);
      assert.equal(first.tags, null, `${path} names no tags`);
    }
  });

  test('tracking parameters do not split the cache; other queries do', async () => {
    const page = await cached('/');
    const tracked = await fetchPage('/?utm_source=newsletter&utm_medium=email&fbclid=abc');
    assert.equal(tracked.cache, 'HIT', 'the same answer, from the cache');
    assert.equal(tracked.etag, page.etag);
    const mixed = await fetchPage('/?utm_campaign=x&page=2');
    const second = await fetchPage('/?page=2');
    assert.equal(second.cache, 'HIT', '?page=2 was kept under its own key');
    assert.equal(second.etag, mixed.etag);
    assert.notEqual(second.etag, page.etag);
  });

  test('a request with a newsroom session is never answered from the cache', async () => {
    await cached(urlOf(A));
    const r = await fetchPage(urlOf(A), { cookie: 'gz_session=0123456789abcdef' });
    assert.equal(r.cache, 'BYPASS');
    assert.equal(r.status, 200);
  });

  test('nor is a request of an app with an API token', async () => {
    await cached(`/api/v1/articles/${A.id}`);
    const r = await fetchPage(`/api/v1/articles/${A.id}`, { authorization: 'Bearer not-a-token' });
    assert.equal(r.cache, 'BYPASS');
  });
});

describe('purged when what they show changes', () => {
  test('a vote leaves the kept page (its figures may be a few seconds old); the API is fresh', async () => {
    const page = await cached(urlOf(A));
    const before = await json(`/api/v1/articles/${A.id}/rating`);
    const r = await post(stack, `/api/v1/articles/${A.id}/rating`, JSON.stringify({ stars: 5 }),
      { type: JSON_TYPE });
    assert.equal(r.status, 200);
    const after = await json(`/api/v1/articles/${A.id}/rating`);
    assert.equal(after.count, before.count + 1, 'the API counts the vote at once');
    const again = await fetchPage(urlOf(A));
    assert.equal(again.cache, 'HIT', 'the page was not thrown away for a vote');
    assert.equal(again.etag, page.etag);
  });

  test('writes no reader sees keep the page: a failed sign-in, a held comment', async () => {
    const page = await cached(urlOf(A));
    const failed = await post(stack, '/admin/login', 'username=nobody&password=wrong-password-1');
    assert.equal(failed.status, 401);
    const held = await post(stack, `/api/v1/articles/${A.id}/comments`,
      JSON.stringify({ name: 'First Timer', email: 'first.timer@example.org', body: 'Held for now.' }),
      { type: JSON_TYPE });
    assert.equal(held.status, 201);
    const comment = JSON.parse(held.text);
    assert.equal(comment.status, 'held');
    const again = await fetchPage(urlOf(A));
    assert.equal(again.cache, 'HIT');
    assert.equal(again.etag, page.etag);

    // Approved by the command (another process): gone from nginx as soon
    // as the server reads the change log.
    const ok = gazette(stack, ['comments', '--db', stack.dbPath, 'approve', String(comment.id)]);
    assert.equal(ok.status, 0, ok.stderr);
    await settle(stack);
    const shown = await fetchPage(urlOf(A));
    assert.equal(shown.cache, 'MISS');
    assert.notEqual(shown.etag, page.etag);
    assert.match(shown.text, /Held for now\./);
  });

  test('a comment posted through the site is on the page the poster is sent back to', async () => {
    await cached(urlOf(A));
    const known = SITE.articles.flatMap((a) => a.comments).find((c) => c.status === 'approved');
    const r = await post(stack, `/api/v1/articles/${A.id}/comments`,
      JSON.stringify({ name: known.name, email: known.email, body: 'Seen straight away.' }),
      { type: JSON_TYPE });
    assert.equal(r.status, 201);
    assert.equal(JSON.parse(r.text).status, 'approved');
    const page = await fetchPage(urlOf(A));
    assert.equal(page.cache, 'MISS', 'nginx forgot the page before the write was answered');
    assert.match(page.text, /Seen straight away\./);
  });

  test('a change to one article drops its pages and lists, not another article\'s page', async () => {
    const other = LIVE.find((x) => x.id !== A.id && x.category !== A.category
      && !(x.tags || []).some((t) => (A.tags || []).includes(t)));
    assert.ok(other, 'the demo has an unrelated article');
    await settle(stack, { quiet: true });
    await cached(urlOf(A));
    await cached(urlOf(other));
    await cached('/');
    sql(stack, `UPDATE articles SET title = title || ' (updated)', updated_at = updated_at + 1 WHERE id = ${A.id}`);
    await settle(stack);
    const page = await fetchPage(urlOf(A));
    assert.equal(page.cache, 'MISS');
    assert.match(page.text, /\(updated\)/);
    const home = await fetchPage('/');
    if (home.text.includes(A.slug)) assert.equal(home.cache, 'MISS', 'the home page lists it');
    const untouched = await fetchPage(urlOf(other));
    const related = (await json(`/api/v1/articles/${other.id}`)).related.map((x) => x.id);
    if (!related.includes(A.id)) assert.equal(untouched.cache, 'HIT', 'another article\'s page stays');
  });

  test('a setting shows on every page as soon as the server reads it', async () => {
    await cached('/');
    await cached(`/api/v1/articles/${A.id}`);
    const r = gazette(stack, ['setting', '--db', stack.dbPath, 'tagline', 'Fresh from the harbour']);
    assert.equal(r.status, 0, r.stderr);
    await settle(stack);
    const home = await fetchPage('/');
    assert.equal(home.cache, 'MISS');
    assert.match(home.text, /Fresh from the harbour/);
    assert.equal((await fetchPage(`/api/v1/articles/${A.id}`)).cache, 'MISS', 'every answer names site');
  });

  test('feeds, sitemaps, robots.txt and the API\'s pictures are kept and purged like pages', async () => {
    const category = sql(stack, `SELECT slug FROM categories WHERE id =
      (SELECT category_id FROM articles WHERE id = ${A.id})`)[0].slug;
    const author = sql(stack, `SELECT username FROM users WHERE id =
      (SELECT author_id FROM articles WHERE id = ${A.id})`)[0].username;
    const picture = sql(stack, `SELECT image_id AS id FROM articles WHERE id = ${A.id}`)[0].id;
    assert.ok(picture, 'the article has a featured picture');
    // What each answer shows of the article's title, which changes below.
    const byTitle = ['/feed.xml', '/feed.rss', '/feed.json', `/category/${category}/feed.xml`,
      `/author/${author}/feed.json`];
    // Each names when the article last changed, or a list it is in.
    const byChange = ['/sitemap.xml', '/news-sitemap.xml', `${urlOf(A)}/comments/feed.xml`];
    for (const path of [...byTitle, ...byChange, '/robots.txt', `/api/v1/media/${picture}`]) {
      const r = await cached(path);
      assert.equal(r.status, 200, path);
      assert.match(r.cc, /s-maxage=\d+, stale-while-revalidate=\d+, stale-if-error=\d+/, `${path}: ${r.cc}`);
      assert.ok(r.tags.split(' ').includes('site'), `${path} names site in ${r.tags}`);
    }
    const title = 'A retitled story for the feeds';
    sql(stack, `UPDATE articles SET title = '${title}', updated_at = updated_at + 1 WHERE id = ${A.id}`);
    await settle(stack);
    for (const path of byTitle) {
      const r = await fetchPage(path);
      assert.equal(r.cache, 'MISS', `${path} was purged`);
      assert.ok(r.text.includes(title), `${path} shows the new title`);
    }
    for (const path of byChange) {
      assert.equal((await fetchPage(path)).cache, 'MISS', `${path} was purged`);
    }

    const r = gazette(stack, ['setting', '--db', stack.dbPath, 'robots_extra', 'Disallow: /drafts']);
    assert.equal(r.status, 0, r.stderr);
    await settle(stack);
    const robots = await fetchPage('/robots.txt');
    assert.equal(robots.cache, 'MISS');
    assert.match(robots.text, /Disallow: \/drafts/);

    await cached(`/api/v1/media/${picture}`);
    sql(stack, `UPDATE media SET alt = 'Boats at the quay at dawn' WHERE id = ${picture}`);
    await settle(stack);
    const media = await fetchPage(`/api/v1/media/${picture}`);
    assert.equal(media.cache, 'MISS');
    assert.match(media.text, /Boats at the quay at dawn/);
  });

  test('a picture\'s files name it for the edges, which are told to forget them when they go', async () => {
    const file = sql(stack, `SELECT media_id, name FROM media_files WHERE media_id =
      (SELECT image_id FROM articles WHERE id = ${A.id}) ORDER BY width LIMIT 1`)[0];
    const stem = file.name.split('-')[0];
    const r = await get(stack.base, `/media/${file.name}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('surrogate-key'), `picture-${stem}`);
    assert.match(r.headers.get('cache-control'), /s-maxage=\d+, stale-while-revalidate=\d+, stale-if-error=\d+/);
    // An edge that does not answer: the purge waits in the queue for it.
    const edge = '127.0.0.1:9';
    assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'cache_edges', edge]).status, 0);
    try {
      await sleep(1300); // the server reads its cache settings once a second
      // A size of the picture goes (as when a picture is replaced or deleted).
      sql(stack, `INSERT INTO media_files (media_id, format, width, height, name, bytes)
        VALUES (${file.media_id}, 'jpeg', 7, 7, '${stem}-7.jpg', 1)`);
      sql(stack, `DELETE FROM media_files WHERE media_id = ${file.media_id} AND width = 7`);
      await settle(stack);
      const queued = sql(stack, `SELECT count(*) AS n FROM purges WHERE target = '${edge}'
        AND tag = 'picture-${stem}' AND round = 0`)[0].n;
      assert.equal(queued, 1, 'the edge is to be told');
    } finally {
      gazette(stack, ['setting', '--db', stack.dbPath, 'cache_edges', '']);
      await sleep(1300); // the edge and its purges are forgotten
    }
  });

  test('the purge queue shows each purge sent to nginx', async () => {
    sql(stack, `UPDATE articles SET summary = summary || ' Again.' WHERE id = ${A.id}`);
    await settle(stack);
    const rows = sql(stack, `SELECT target, state, attempts, done_ms - created_ms AS delay
      FROM purges WHERE tag = 'article-${A.id}' AND round = 0 ORDER BY id DESC LIMIT 1`);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].target, rows[0].state, rows[0].attempts], ['nginx', 'sent', 1]);
    assert.ok(rows[0].delay < 1000, `sent within a second (${rows[0].delay} ms)`);
  });

  test('an editor publishing through the newsroom sees the article on the home page at once', async () => {
    addUser(stack, 'cacheeditor', 'editor');
    const editor = await signIn(stack, 'cacheeditor');
    await cached('/');
    const category = sql(stack, 'SELECT id FROM categories ORDER BY id LIMIT 1')[0].id;
    const title = 'Harbour lights switched on for the winter';
    const saved = await editor.post('/admin/articles', {
      title, slug: '', category: String(category), tags: '', summary: 'Lights on.',
      body: 'Published now.', lang: 'en', status: 'published', when: '',
    });
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    const home = await fetchPage('/');
    assert.equal(home.cache, 'MISS');
    assert.ok(home.text.includes(title), 'the new article is on the home page');
  });
});

describe('when the server is down', () => {
  test('nginx answers from what it kept, and a clean 503 otherwise', async () => {
    const page = await cached(urlOf(A));
    const list = await cached('/api/v1/articles?per_page=3');
    await stack.pauseGazette();
    try {
      const stale = await fetchPage(urlOf(A));
      assert.equal(stale.status, 200);
      assert.equal(stale.etag, page.etag, 'the kept page');
      const api = await fetchPage('/api/v1/articles?per_page=3');
      assert.equal(api.status, 200);
      assert.equal(api.etag, list.etag);

      const missing = await fetchPage('/?via=down');
      assert.equal(missing.status, 503);
      assert.match(missing.type, /^text\/html/);
      assert.equal(missing.retry, '10');
      assert.match(missing.cc, /no-store/);
      const vote = await get(stack.base, `/api/v1/articles/${A.id}/rating`, {
        method: 'POST', headers: { 'content-type': JSON_TYPE }, body: '{"stars":4}',
      });
      assert.equal(vote.status, 503);
      assert.match(vote.headers.get('content-type'), /^application\/problem\+json/);
      const problem = JSON.parse(vote.text);
      assert.deepEqual([problem.status, problem.title], [503, 'Service Unavailable']);
    } finally {
      await stack.resumeGazette();
    }
    const back = await fetchPage('/?via=down');
    assert.equal(back.status, 200, 'answers again once the server is back');
  });
});

describe('when the server is not told where its nginx takes purges', () => {
  let plain;
  before(async () => { plain = await startSite({ cache_nginx: '' }); });
  after(async () => { await plain?.stop(); });

  test('nginx keeps nothing it could not be told to forget', async () => {
    const first = await get(plain.base, '/');
    const again = await get(plain.base, '/');
    assert.equal(first.status, 200);
    assert.equal(again.headers.get('x-cache'), 'MISS', 'asked again, still from gazette');
    assert.equal(again.headers.get('x-accel-expires'), null, 'nginx keeps its instruction to itself');
    assert.match(again.headers.get('cache-control'), /s-maxage=3600/, 'the edges may still keep it');
  });
});
