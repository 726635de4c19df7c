// What a reader gets from search and from the Atom feeds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startStack } from './harness.mjs';
import { SITE, settle, sql, urlOf } from './helpers.mjs';

const now = Date.now();
const visible = SITE.articles.filter((a) => ['published', 'scheduled'].includes(a.status)
  && Date.parse(a.published_at) <= now);
const hidden = SITE.articles.filter((a) => !visible.includes(a));
// The result links of a search page (cards only).
const results = (html) => [...html.matchAll(/<h3 class="card-title"><a href="([^"]+)"/g)]
  .map((m) => decodeURIComponent(m[1]));

describe('search and feeds', () => {
  let stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  test('an article is found by a word of its title, English words by their stem', async () => {
    const a = visible.find((x) => x.lang === 'en' && /flood/i.test(x.title));
    const r = await get(stack.base, '/search?q=flooding');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(results(r.text).includes(urlOf(a).replace(/%[0-9A-F]{2}/g, decodeURIComponent)),
      `"${a.title}" is among the results`);
    assert.match(r.text, /value="flooding"/, 'the words stay in the box');
  });

  test('Arabic words find Arabic articles', async () => {
    const a = visible.find((x) => x.lang === 'ar');
    const word = a.title.split(/\s+/).find((w) => w.length > 4);
    const r = await get(stack.base, `/search?q=${encodeURIComponent(word)}`);
    assert.equal(r.status, 200);
    assert.ok(results(r.text).includes(`/articles/${a.slug}`), `the article titled ${a.title}`);
  });

  test('every word must match; search syntax in the words is only text', async () => {
    const r = await get(stack.base, '/search?q=flood%20zzzzqqq');
    assert.equal(r.status, 200);
    assert.deepEqual(results(r.text), []);
    assert.match(r.text, /No articles match/);
    for (const q of ['"', 'AND', '*', 'title:x', '(a OR', 'NEAR(a b)', '^x']) {
      const s = await get(stack.base, `/search?q=${encodeURIComponent(q)}`);
      assert.equal(s.status, 200, `q=${q}`);
    }
  });

  test('drafts and scheduled articles are never found', async () => {
    for (const a of hidden) {
      const word = a.title.split(/\s+/).filter((w) => /^[A-Za-z]{6,}$/.test(w))[0];
      if (!word) continue;
      const r = await get(stack.base, `/search?q=${encodeURIComponent(word)}`);
      assert.ok(!results(r.text).includes(urlOf(a)), `${a.slug} is not found`);
    }
  });

  test('an empty search shows the form; an over-long one is a 400 page', async () => {
    const r = await get(stack.base, '/search');
    assert.equal(r.status, 200);
    assert.match(r.text, /<input type="search" id="search-q"/);
    const long = await get(stack.base, `/search?q=${'a'.repeat(201)}`);
    assert.equal(long.status, 400);
    assert.match(long.headers.get('content-type'), /^text\/html/);
  });

  test('an edited article is found by its new words at once', async () => {
    const a = visible.find((x) => x.lang === 'en' && !x.title.includes('&'));
    sql(stack, `UPDATE articles SET title = title || ' Zanzibarish' WHERE slug = '${a.slug.replace(/'/g, "''")}'`);
    await settle(stack); // written by another process: nginx is purged once the server reads the log
    const r = await get(stack.base, '/search?q=zanzibarish');
    assert.deepEqual(results(r.text), [decodeURIComponent(urlOf(a))]);
  });

  test('the site feed is Atom with the newest visible articles', async () => {
    const r = await get(stack.base, '/feed.xml');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
    assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    const links = [...r.text.matchAll(/<entry[\s\S]*?<link rel="alternate" type="text\/html" href="([^"]+)"\/>/g)]
      .map((m) => m[1]);
    assert.equal(links.length, Math.min(20, visible.length));
    for (const a of hidden) {
      assert.ok(!links.some((u) => decodeURIComponent(u).endsWith(`/articles/${a.slug}`)),
        `${a.slug} is not in the feed`);
    }
    const dates = [...r.text.matchAll(/<published>([^<]+)<\/published>/g)].map((m) => m[1]);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
    // Titles are escaped text; the body goes in as escaped HTML.
    const amp = visible.find((x) => x.title.includes('&'));
    assert.ok(r.text.includes(`<title>${amp.title.replace(/&/g, '&amp;').replace(/'/g, '&#39;')}</title>`));
    assert.match(r.text, /<content type="html">&lt;p&gt;/);
    assert.doesNotMatch(r.text, /<content type="html"><p>/);
    assert.match(r.text, /<link rel="alternate" type="application\/atom\+xml"|<link rel="self"/);
  });

  test('control characters typed into an article never reach the feed (XML forbids them)', async () => {
    const a = visible.find((x) => x.lang === 'en' && !x.title.includes('&'));
    sql(stack, `UPDATE articles SET summary = summary || char(11) || 'tab' || char(1)
      WHERE slug = '${a.slug.replace(/'/g, "''")}'`);
    await settle(stack);
    const r = await get(stack.base, '/feed.xml');
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/);
    assert.match(r.text, /tab<\/summary>/);
  });

  test('a category has its own feed; an unknown one is 404', async () => {
    const r = await get(stack.base, '/category/world/feed.xml');
    assert.equal(r.status, 200);
    const n = [...r.text.matchAll(/<category term="([^"]+)" scheme="[^"]*\/category\/"/g)].map((m) => m[1]);
    assert.ok(n.length > 0 && n.every((t) => t === 'world'), 'only World News');
    assert.equal((await get(stack.base, '/category/nope/feed.xml')).status, 404);
  });

  test('every page names the feed in its head', async () => {
    const r = await get(stack.base, '/');
    assert.match(r.text, /<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="\/feed.xml">/);
  });
});
