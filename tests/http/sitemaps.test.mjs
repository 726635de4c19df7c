// What search engines and news aggregators read: robots.txt, the sitemap
// index and its pages, and the Google News sitemap. Each sitemap is checked
// with the sitemaps.org schemas (../shared, with xmllint), lists every page
// a reader can see and nothing else, and answers conditional requests.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, routeTable } from './harness.mjs';
import { gazette, settle, sql, startSite } from './helpers.mjs';
import { sitemapSchemas, xmllint } from './checkers.mjs';

const SCHEMAS = sitemapSchemas();

// The <loc> addresses of a sitemap or index.
const locs = (xml) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
// The <url> entries of a sitemap as {loc, lastmod}.
const entries = (xml) => [...xml.matchAll(/<url><loc>([^<]+)<\/loc>(?:<lastmod>([^<]+)<\/lastmod>)?/g)]
  .map((m) => ({ loc: m[1].replace(/&amp;/g, '&'), lastmod: m[2] }));
// An ISO time of Unix seconds t, as the sitemaps write it.
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

// Changes setting key of stack with the command line (the server applies it at once).
async function setting(stack, key, value) {
  const r = gazette(stack, ['setting', '--db', stack.dbPath, key, String(value)]);
  assert.equal(r.status, 0, r.stderr);
  await settle(stack); // what nginx kept of the old value is forgotten
}

// The articles readers can see, from the database: [{id, slug, lastmod}].
const visible = (stack) => sql(stack, `SELECT id, slug, max(updated_at, published_at) AS lastmod
  FROM articles WHERE status IN ('published', 'scheduled') AND published_at <= unixepoch()`);

// Fetches the index and every sitemap it names; asserts each answers 200 as
// XML. Resolves to {index, pages: [{url, text}]}.
async function crawl(stack) {
  const index = await get(stack.base, '/sitemap.xml');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^application\/xml; charset=utf-8$/);
  const pages = [];
  for (const url of locs(index.text)) {
    assert.ok(url.startsWith(`${stack.base}/sitemaps/`), url);
    const r = await get(stack.base, url.slice(stack.base.length));
    assert.equal(r.status, 200, url);
    assert.match(r.headers.get('content-type'), /^application\/xml/);
    pages.push({ url, text: r.text });
  }
  return { index: index.text, pages };
}

describe('robots.txt and the sitemaps', () => {
  let stack;
  // One worker: each keeps its own page cache, and a test here reads X-Cache.
  before(async () => { stack = await startSite({ publisher_name: 'The Harbour Post' }, { threads: 1 }); });
  after(async () => { await stack?.stop(); });

  test('robots.txt lets crawlers read all but the newsroom and search, and names the sitemaps', async () => {
    const r = await get(stack.base, '/robots.txt');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain; charset=utf-8/);
    assert.equal(r.text, `User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /search\n\n`
      + `Sitemap: ${stack.base}/sitemap.xml\nSitemap: ${stack.base}/news-sitemap.xml\n`);
    assert.ok(r.headers.get('etag') && r.headers.get('last-modified'));
  });

  test('a setting adds lines to robots.txt; lines that are not text are refused', async () => {
    await setting(stack, 'robots_extra', 'Disallow: /private\nUser-agent: ExampleBot\nDisallow: /\n');
    const r = await get(stack.base, '/robots.txt');
    assert.match(r.text, /^User-agent: \*\nAllow: \/\nDisallow: \/admin\nDisallow: \/search\nDisallow: \/private\nUser-agent: ExampleBot\nDisallow: \/\n\nSitemap: /);
    const bad = gazette(stack, ['setting', '--db', stack.dbPath, 'robots_extra', 'Disallow: /x\u0001']);
    assert.notEqual(bad.status, 0, 'a control character is refused');
    await setting(stack, 'robots_extra', '');
  });

  test('the index names every sitemap page, and each is valid against the sitemaps.org schemas', async (t) => {
    const { index, pages } = await crawl(stack);
    assert.deepEqual(pages.map((p) => p.url.slice(stack.base.length)), [
      '/sitemaps/articles/2026-11.xml', '/sitemaps/categories/1.xml', '/sitemaps/tags/1.xml',
      '/sitemaps/authors/1.xml', '/sitemaps/pages/1.xml']);
    assert.match(index, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    for (const m of index.matchAll(/<sitemap><loc>[^<]+<\/loc><lastmod>([^<]+)<\/lastmod><\/sitemap>/g)) {
      assert.match(m[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    if (SCHEMAS.skip) { t.skip(SCHEMAS.skip); return; }
    const v = xmllint(SCHEMAS.index, index);
    assert.ok(v.ok, `the index: ${v.output}`);
    for (const p of pages) {
      const plain = xmllint(SCHEMAS.plain, p.text);
      assert.ok(plain.ok, `${p.url}: ${plain.output}`);
    }
  });

  test('every page a reader can see is listed once, with its last change; nothing else is', async () => {
    // A pending article and one with a date to come are not readers' to see.
    sql(stack, `INSERT INTO articles (slug, title, status, category_id, author_id, published_at, created_at, updated_at)
      VALUES ('held-for-review', 'Held for review', 'pending', 1, 1, unixepoch() - 60, unixepoch(), unixepoch())`);
    const { pages } = await crawl(stack);
    const listed = pages.flatMap((p) => entries(p.text));
    const urls = listed.map((e) => e.loc);
    assert.equal(new Set(urls).size, urls.length, 'no address twice');
    const live = visible(stack);
    for (const a of live) {
      const url = `${stack.base}/articles/${encodeURIComponent(a.slug)}`;
      const e = listed.find((x) => x.loc === url);
      assert.ok(e, `${a.slug} is listed`);
      assert.equal(e.lastmod, iso(a.lastmod), `${a.slug}: its last change`);
    }
    const hidden = sql(stack, `SELECT slug FROM articles WHERE NOT (status IN ('published', 'scheduled')
      AND published_at <= unixepoch())`);
    assert.ok(hidden.length >= 3, 'a draft, a scheduled and a pending article');
    for (const a of hidden) {
      assert.ok(!urls.some((u) => u.endsWith(`/articles/${encodeURIComponent(a.slug)}`)), `${a.slug} is not listed`);
    }
    const articles = urls.filter((u) => u.includes('/articles/'));
    assert.equal(articles.length, live.length);
    for (const kind of ['category', 'tag', 'author']) {
      assert.ok(urls.some((u) => u.startsWith(`${stack.base}/${kind}/`)), `${kind} pages are listed`);
    }
    // Every address answers 200.
    for (const u of urls) {
      const r = await get(stack.base, u.slice(stack.base.length));
      assert.equal(r.status, 200, u);
    }
    sql(stack, "DELETE FROM articles WHERE slug = 'held-for-review'");
  });

  test('sitemaps answer conditional requests and change when an article does', async () => {
    const url = '/sitemaps/articles/2026-11.xml';
    const first = await get(stack.base, url);
    const again = await get(stack.base, url);
    assert.equal(again.headers.get('x-cache'), 'HIT');
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    assert.equal(again.headers.get('etag'), etag);
    const nm = await get(stack.base, url, { headers: { 'If-None-Match': etag } });
    assert.equal(nm.status, 304);
    assert.equal(nm.text, '');
    const ims = await get(stack.base, url, { headers: { 'If-Modified-Since': lastModified } });
    assert.equal(ims.status, 304);
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    assert.equal((await get(stack.base, url, { headers: { 'If-Modified-Since': older } })).status, 200);
    for (const u of ['/sitemap.xml', '/robots.txt', '/news-sitemap.xml']) {
      const r = await get(stack.base, u);
      const c = await get(stack.base, u, { headers: { 'If-None-Match': r.headers.get('etag') } });
      assert.equal(c.status, 304, u);
      const d = await get(stack.base, u, { headers: { 'If-Modified-Since': r.headers.get('last-modified') } });
      assert.equal(d.status, 304, u);
    }
    // An edit: the page is built again with the article's new time.
    const a = visible(stack).find((x) => /^[a-z-]+$/.test(x.slug));
    sql(stack, `UPDATE articles SET title = title || ' (corrected)', updated_at = unixepoch() WHERE id = ${a.id}`);
    await settle(stack); // the server purges its nginx once it reads the change
    const changed = await get(stack.base, url);
    assert.equal(changed.headers.get('x-cache'), 'MISS');
    assert.notEqual(changed.headers.get('etag'), etag);
    const e = entries(changed.text).find((x) => x.loc.endsWith(`/articles/${a.slug}`));
    assert.ok(Date.parse(e.lastmod) > a.lastmod * 1000, 'its lastmod moved');
    assert.equal((await get(stack.base, url, { headers: { 'If-None-Match': etag } })).status, 200);
  });

  test('a month of more articles than sitemap_urls goes on in further parts', async (t) => {
    await setting(stack, 'sitemap_urls', 5);
    try {
      const { pages } = await crawl(stack);
      const months = pages.filter((p) => p.url.includes('/sitemaps/articles/'));
      const live = visible(stack);
      assert.equal(months.length, Math.ceil(live.length / 5));
      assert.deepEqual(months.map((p) => p.url.replace(/.*\//, '')),
        months.map((_, i) => (i === 0 ? '2026-11.xml' : `2026-11-${i + 1}.xml`)));
      const urls = months.flatMap((p) => entries(p.text).map((e) => e.loc));
      assert.equal(new Set(urls).size, live.length, 'every article once, over the parts');
      for (const p of pages) assert.ok(entries(p.text).length <= 5, `${p.url} holds 5 at most`);
      const tags = pages.filter((p) => p.url.includes('/sitemaps/tags/'));
      assert.ok(tags.length >= 3, 'the tags too');
      assert.equal((await get(stack.base, `/sitemaps/articles/2026-11-${months.length + 1}.xml`)).status, 404);
      if (SCHEMAS.skip) { t.skip(SCHEMAS.skip); return; }
      for (const p of pages) assert.ok(xmllint(SCHEMAS.plain, p.text).ok, p.url);
    } finally {
      await setting(stack, 'sitemap_urls', 50000);
    }
  });

  test('the news sitemap holds the last 48 hours\' articles with what Google News requires', async (t) => {
    const live = visible(stack).filter((a) => /^[a-z-]+$/.test(a.slug));
    const ar = sql(stack, "SELECT id, slug FROM articles WHERE lang = 'ar' AND status = 'published' LIMIT 1")[0];
    const at = (id, secondsAgo) => sql(stack, `UPDATE articles SET published_at = unixepoch() - ${secondsAgo} WHERE id = ${id}`);
    at(live[0].id, 3600);
    at(live[1].id, 47 * 3600);
    at(live[2].id, 49 * 3600);
    at(ar.id, 600);
    const draft = sql(stack, "SELECT id, slug FROM articles WHERE status = 'draft' LIMIT 1")[0];
    at(draft.id, 60);
    const r = await get(stack.base, '/news-sitemap.xml');
    assert.equal(r.status, 200);
    const urls = locs(r.text);
    const url = (slug) => `${stack.base}/articles/${encodeURIComponent(slug)}`;
    assert.deepEqual(urls, [url(ar.slug), url(live[0].slug), url(live[1].slug)], 'newest first; none older than 48 hours; no draft');
    assert.match(r.text, /<news:publication><news:name>The Harbour Post<\/news:name><news:language>ar<\/news:language><\/news:publication>/);
    assert.match(r.text, /<news:language>en<\/news:language>/);
    const title = sql(stack, `SELECT title FROM articles WHERE id = ${live[0].id}`)[0].title;
    assert.ok(r.text.includes(`<news:title>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</news:title>`));
    const when = new Date(Date.now() - 3600 * 1000);
    const dates = [...r.text.matchAll(/<news:publication_date>([^<]+)<\/news:publication_date>/g)].map((m) => Date.parse(m[1]));
    assert.ok(Math.abs(dates[1] - when) < 120000, 'the publication date');
    if (SCHEMAS.skip) { t.skip(SCHEMAS.skip); return; }
    const v = xmllint(SCHEMAS.urlset, r.text);
    assert.ok(v.ok, v.output);
  });
});

describe('every route for machines', () => {
  let stack;
  before(async () => { stack = await startSite({}); });
  after(async () => { await stack?.stop(); });

  // A demo value for each parameter of a pattern.
  const SAMPLE = {
    '{slug}': (p) => (p.startsWith('/category/') ? 'world' : p.startsWith('/tag/') ? 'climate'
      : 'port-halvards-flood-gates-and-the-long-wait'),
    '{username}': () => 'mreyes',
    '{month}': () => '2026-11.xml',
    '{page}': () => '1.xml',
  };
  const TYPES = { '.xml': /^application\/(atom\+)?xml/, '.rss': /^application\/rss\+xml/,
    '.json': /^application\/feed\+json$/, '.txt': /^text\/plain/ };

  test('every feed, sitemap and robots route of the table answers 200 in its type, and 404 for what is not there', async () => {
    const routes = routeTable().filter((r) => r.kind === 'feed');
    assert.ok(routes.length >= 22, 'feeds, sitemaps and robots.txt');
    for (const r of routes) {
      assert.equal(r.method, 'GET');
      assert.equal(r.cache_control, 'public, max-age=300', r.pattern);
      const url = r.pattern.replace(/\{[a-z]+\}/g, (m) => SAMPLE[m](r.pattern));
      const res = await get(stack.base, url);
      assert.equal(res.status, 200, url);
      const ext = /\.[a-z]+$/.exec(url)[0];
      assert.match(res.headers.get('content-type'), TYPES[ext], url);
      assert.ok(res.headers.get('etag') && res.headers.get('last-modified'), `${url}: validators`);
      if (r.pattern.includes('{')) {
        const missing = r.pattern.replace(/\{[a-z]+\}/g, (m) => (m === '{month}' ? '1999-01.xml' : m === '{page}' ? '9.xml' : 'nothing-here'));
        assert.equal((await get(stack.base, missing)).status, 404, missing);
      }
    }
  });
});

describe('a sitemap of thousands of articles', () => {
  let stack;
  const N = 6000;
  const T0 = Date.UTC(2026, 9, 1) / 1000; // October 2026: no demo article
  before(async () => {
    stack = await startSite({});
    sql(stack, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
      INSERT INTO articles (slug, title, summary, status, category_id, author_id, published_at, created_at, updated_at)
      SELECT 'bulk-' || i, 'Bulk article ' || i, 'A summary', 'published', 1 + i % 5, 1 + i % 4,
        ${T0} + i * 300, ${T0}, ${T0} + i * 300 FROM n`);
  });
  after(async () => { await stack?.stop(); });

  test('is streamed (no Content-Length, never kept whole), complete and valid', async (t) => {
    const url = '/sitemaps/articles/2026-10.xml';
    const r = await get(stack.base, url);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-length'), null, 'written as it is produced');
    assert.ok(r.text.length > 512 * 1024);
    const urls = locs(r.text);
    assert.equal(urls.length, N);
    assert.equal(new Set(urls).size, N);
    assert.ok(urls[0].endsWith(`/articles/bulk-${N}`) && urls[N - 1].endsWith('/articles/bulk-1'), 'newest first');
    assert.match(r.text, /<\/urlset>\n$/);
    const etag = r.headers.get('etag');
    // nginx compresses it, and so weakens the validator (W/); gazette takes either form.
    assert.match(etag, /^(W\/)?"[0-9a-f]{32}"$/);
    const again = await get(stack.base, url);
    // Too long for gazette's page cache: nginx keeps it, on disk.
    assert.equal(again.headers.get('x-cache'), 'HIT', 'nginx keeps it');
    assert.equal(again.headers.get('etag'), etag, 'the same bytes, the same ETag');
    assert.equal(again.text, r.text);
    const nm = await get(stack.base, url, { headers: { 'If-None-Match': etag } });
    assert.equal(nm.status, 304);
    const head = await get(stack.base, url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), etag);
    if (SCHEMAS.skip) { t.skip(SCHEMAS.skip); return; }
    const v = xmllint(SCHEMAS.plain, r.text);
    assert.ok(v.ok, v.output);
  });
});
