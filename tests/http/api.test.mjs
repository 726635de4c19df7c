// The JSON API (/api/v1) as an app sees it: every endpoint and filter,
// pagination, caching with ETag, errors, visibility, CORS, content
// negotiation and compression. Every expectation is derived from
// demo/site.json, the content the stack loads; the last tests change the
// database under the running server and check that the answers follow.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startStack } from './harness.mjs';
import { SHARED, SITE, settle } from './helpers.mjs';

const NOW = Date.now();
const BASE_URL = 'https://news.example.test';

// ---- the demo content, as the API should serve it ----

// An article is visible once it is published (or scheduled) and its time has come.
function isVisible(a) {
  return (a.status === 'published' || a.status === 'scheduled') && Date.parse(a.published_at) <= NOW;
}

// Articles get their ids in the order of loading.
const idOf = (a) => SITE.articles.indexOf(a) + 1;

// Newest first; the same time in reverse order of id.
function newestFirst(list) {
  return [...list].sort((x, y) => Date.parse(y.published_at) - Date.parse(x.published_at) || idOf(y) - idOf(x));
}

const VISIBLE = newestFirst(SITE.articles.filter(isVisible));
const HIDDEN = SITE.articles.filter((a) => !isVisible(a));
const ids = (list) => list.map(idOf);
const tagOf = (slug) => SITE.tags.find((t) => t.slug === slug);
const authorOf = (username) => SITE.authors.find((u) => u.username === username);
const categoryOf = (slug) => SITE.categories.find((c) => c.slug === slug);
const ARABIC = VISIBLE.filter((a) => a.lang === 'ar');

// A slug percent-encoded as the server writes it in URLs.
const encodeSlug = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// An ISO time as the API writes it (whole seconds, Z).
const iso = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

// An ISO time as an HTTP date.
const httpDate = (t) => new Date(t).toUTCString();

// The newest publication among articles (their edit time is their publication).
const newest = (list) => list.reduce((m, a) => Math.max(m, Date.parse(a.published_at)), 0);

// Binary (code unit) order of strings, as SQLite's default collation.
const binary = (x, y) => (x < y ? -1 : x > y ? 1 : 0);

// The rating summary of an article: mean rounded to one decimal, and count.
function ratingOf(a) {
  const n = a.ratings.length;
  const sum = a.ratings.reduce((s, x) => s + x, 0);
  return { average: n ? Math.round((sum * 10) / n) / 10 : 0, count: n };
}

// ---- talking to the server ----

let stack;

// Send a request to the stack; resolves to {status, headers, bytes, text,
// json} (json is undefined when the body is not JSON). Asks for no
// compression unless the caller sets Accept-Encoding.
async function api(urlPath, opts = {}) {
  const res = await fetch(stack.base + urlPath, {
    redirect: 'manual',
    ...opts,
    headers: { 'accept-encoding': 'identity', ...opts.headers },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

// GET urlPath and assert a 200 JSON answer; return it.
async function ok(urlPath, opts) {
  const r = await api(urlPath, opts);
  assert.equal(r.status, 200, `${urlPath}: ${r.text.slice(0, 300)}`);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.ok(r.json, `${urlPath} answers JSON`);
  return r;
}

// Assert that r is a problem document with this status (and, when param is
// given, invalid_params naming it).
function assertProblem(r, status, param) {
  assert.equal(r.status, status, r.text.slice(0, 300));
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.ok(r.json, `problem body is JSON: ${r.text.slice(0, 200)}`);
  assert.equal(r.json.type, 'about:blank');
  assert.equal(r.json.status, status);
  assert.equal(typeof r.json.title, 'string');
  assert.ok(r.json.detail.length > 0);
  if (param) {
    assert.ok(Array.isArray(r.json.invalid_params), 'invalid_params is present');
    assert.deepEqual(r.json.invalid_params.map((p) => p.name), [param]);
    assert.ok(r.json.invalid_params[0].reason.length > 0);
  } else {
    assert.equal(r.json.invalid_params, undefined);
  }
}

// The links of a Link header as {rel: url}.
function links(r) {
  const out = {};
  const h = r.headers.get('link');
  for (const m of (h || '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]+)"/g)) out[m[2]] = m[1];
  return out;
}

// Every item of a list endpoint, page after page, following the Link header.
async function everyItem(urlPath) {
  const items = [];
  let next = urlPath;
  for (let n = 0; next && n < 100; n++) {
    const r = await ok(next);
    items.push(...r.json.data);
    const url = links(r).next;
    next = url ? url.slice(BASE_URL.length) : null;
  }
  return items;
}

// Run SQL on the stack's database with the sqlite3 command-line shell.
function sql(statement) {
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath, statement]);
}

// A GET with the raw bytes on the wire (no decompression): {status, headers, body}.
function rawGet(urlPath, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get(stack.base + urlPath, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

before(async () => { stack = await startStack({ settings: { base_url: BASE_URL } }); });
after(async () => { await stack?.stop(); });

// ---- the article list ----

describe('GET /api/v1/articles', () => {
  test('lists the visible articles newest first with meta and caching headers', async () => {
    const r = await ok('/api/v1/articles');
    assert.deepEqual(r.json.data.map((a) => a.id), ids(VISIBLE).slice(0, 20));
    assert.deepEqual(r.json.meta, {
      page: 1, per_page: 20, total: VISIBLE.length, total_pages: Math.ceil(VISIBLE.length / 20),
    });
    assert.match(r.headers.get('etag'), /^"[0-9a-f]{32}"$/);
    assert.equal(r.headers.get('cache-control'), `public, max-age=60${SHARED}`);
    assert.equal(r.headers.get('last-modified'), httpDate(newest(VISIBLE)));
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });

  test('each card carries the article as demo/site.json has it', async () => {
    const r = await ok('/api/v1/articles?per_page=100');
    assert.equal(r.json.data.length, VISIBLE.length);
    for (const card of r.json.data) {
      const a = VISIBLE.find((x) => idOf(x) === card.id);
      assert.ok(a, `card ${card.id} is a visible article`);
      const cat = categoryOf(a.category);
      const au = authorOf(a.author);
      assert.equal(card.slug, a.slug);
      assert.equal(card.url, `/articles/${encodeSlug(a.slug)}`);
      assert.equal(card.title, a.title);
      assert.equal(card.summary, a.summary);
      assert.equal(card.lang, a.lang);
      assert.equal(card.dir, a.lang === 'ar' ? 'rtl' : 'ltr');
      assert.equal(card.published_at, iso(a.published_at));
      assert.equal(card.updated_at, iso(a.published_at));
      assert.equal(card.featured, Boolean(a.featured));
      assert.equal(card.comment_count, (a.comments || []).filter((c) => c.status === 'approved').length);
      assert.deepEqual({ slug: card.category.slug, name: card.category.name, url: card.category.url },
        { slug: cat.slug, name: cat.name, url: `/category/${cat.slug}` });
      assert.equal(card.category.id, SITE.categories.indexOf(cat) + 1);
      assert.deepEqual(card.author, { username: au.username, name: au.name, url: `/author/${au.username}` });
      const want = ratingOf(a);
      assert.equal(card.rating.count, want.count);
      assert.equal(card.rating.average, want.average);
      assert.equal(card.rating.stars.length, 5);
      assert.equal(card.body_html, undefined, 'cards carry no body');
    }
  });

  test('pages follow each other, with Link next and prev as absolute URLs', async () => {
    const per = 5;
    const pages = Math.ceil(VISIBLE.length / per);
    const seen = [];
    for (let page = 1; page <= pages; page++) {
      const r = await ok(`/api/v1/articles?per_page=${per}&page=${page}`);
      assert.deepEqual(r.json.meta, { page, per_page: per, total: VISIBLE.length, total_pages: pages });
      seen.push(...r.json.data.map((a) => a.id));
      const want = {};
      if (page < pages) want.next = `${BASE_URL}/api/v1/articles?per_page=${per}&page=${page + 1}`;
      if (page > 1) want.prev = `${BASE_URL}/api/v1/articles?per_page=${per}&page=${page - 1}`;
      assert.deepEqual(links(r), want, `Link of page ${page}: ${r.headers.get('link')}`);
    }
    assert.deepEqual(seen, ids(VISIBLE));
  });

  test('Link keeps the filters', async () => {
    const en = VISIBLE.filter((a) => a.lang === 'en');
    const r = await ok('/api/v1/articles?lang=en&per_page=3&page=2');
    assert.deepEqual(links(r), {
      next: `${BASE_URL}/api/v1/articles?per_page=3&lang=en&page=3`,
      prev: `${BASE_URL}/api/v1/articles?per_page=3&lang=en&page=1`,
    });
    assert.deepEqual(r.json.data.map((a) => a.id), ids(en).slice(3, 6));
  });

  test("Link carries only the list's own parameters: a list of tags or of comments has no filters", async () => {
    const tags = await ok('/api/v1/tags?per_page=1&q=zzz&since=bad&lang=xx');
    assert.equal(links(tags).next, `${BASE_URL}/api/v1/tags?per_page=1&page=2`);
    const talked = VISIBLE.find((a) => (a.comments || []).filter((c) => c.status === 'approved').length > 2);
    const article = idOf(talked);
    const comments = await ok(`/api/v1/articles/${article}/comments?per_page=2&lang=xx&category=y`);
    assert.equal(links(comments).next, `${BASE_URL}/api/v1/articles/${article}/comments?per_page=2&page=2`);
  });

  test('Link is built from the parameters the list reads: nothing else of the query reaches it', async () => {
    const evil = '<https://evil.example/steal>; rel="next"';
    const queries = [
      `per_page=2&x=${encodeURIComponent(`>, ${evil}, <`)}`,
      `per_page=2&q=${encodeURIComponent(`a>, ${evil}, <b`)}`,
      `per_page=2&${encodeURIComponent(`>, ${evil}`)}=1`,
      'per_page=2&q=a%0d%0aSet-Cookie:%20x=1',
      'per_page=2&page=1&page=%3E%2C%20%3Chttps%3A%2F%2Fevil.example%3E',
    ];
    for (const q of queries) {
      const r = await api(`/api/v1/articles?${q}`);
      const h = r.headers.get('link') || '';
      assert.ok(!/evil\.example/.test(h), `${q}: ${h}`);
      assert.equal(r.headers.get('set-cookie'), null);
      const parts = h ? h.split(/,\s*(?=<)/) : [];
      for (const part of parts) {
        assert.match(part, /^<[^<>\s"]*>; rel="(next|prev)"$/, `${q}: one link per rel, nothing but the URL in <>: ${h}`);
        assert.ok(part.startsWith(`<${BASE_URL}/api/v1/articles?`), `${q}: on this site: ${part}`);
      }
      for (const [, url] of Object.entries(links(r))) {
        const u = new URL(url);
        for (const name of u.searchParams.keys()) {
          assert.ok(['per_page', 'q', 'page'].includes(name), `${q}: ${name} is a parameter of the list`);
        }
      }
    }
    // A value is carried over as it was read, encoded.
    const r = await ok('/api/v1/articles?per_page=1&q=%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D9%86%D8%A9%20a%26b');
    if (r.json.meta.total_pages > 1) {
      assert.equal(new URL(links(r).next).searchParams.get('q'), 'المدينة a&b');
    }
  });

  test('a page past the end is 200 with empty data, correct meta and a prev link to the last page', async () => {
    const per = 5;
    const pages = Math.ceil(VISIBLE.length / per);
    const r = await ok(`/api/v1/articles?per_page=${per}&page=${pages + 5}`);
    assert.deepEqual(r.json, {
      data: [], meta: { page: pages + 5, per_page: per, total: VISIBLE.length, total_pages: pages },
    });
    assert.deepEqual(links(r), { prev: `${BASE_URL}/api/v1/articles?per_page=${per}&page=${pages}` });
  });

  test('page 0, a page that is not a number and per_page out of range are 400 naming the parameter', async () => {
    assertProblem(await api('/api/v1/articles?page=0'), 400, 'page');
    assertProblem(await api('/api/v1/articles?page=-1'), 400, 'page');
    assertProblem(await api('/api/v1/articles?page=two'), 400, 'page');
    assertProblem(await api('/api/v1/articles?per_page=101'), 400, 'per_page');
    assertProblem(await api('/api/v1/articles?per_page=0'), 400, 'per_page');
    assertProblem(await api('/api/v1/articles?per_page=1.5'), 400, 'per_page');
    const r = await ok('/api/v1/articles?per_page=100');
    assert.equal(r.json.meta.per_page, 100);
  });

  for (const c of SITE.categories) {
    test(`category=${c.slug}`, async () => {
      const r = await ok(`/api/v1/articles?category=${c.slug}`);
      const want = VISIBLE.filter((a) => a.category === c.slug);
      assert.deepEqual(r.json.data.map((a) => a.id), ids(want));
      assert.equal(r.json.meta.total, want.length);
      assert.ok(r.json.data.every((a) => a.category.slug === c.slug));
    });
  }

  for (const t of SITE.tags) {
    test(`tag=${t.slug}`, async () => {
      const r = await ok(`/api/v1/articles?tag=${encodeURIComponent(t.slug)}&per_page=100`);
      assert.deepEqual(r.json.data.map((a) => a.id), ids(VISIBLE.filter((a) => a.tags.includes(t.slug))));
    });
  }

  for (const u of SITE.authors) {
    test(`author=${u.username}`, async () => {
      const r = await ok(`/api/v1/articles?author=${u.username}&per_page=100`);
      assert.deepEqual(r.json.data.map((a) => a.id), ids(VISIBLE.filter((a) => a.author === u.username)));
    });
  }

  test('lang=ar lists the Arabic articles, right to left', async () => {
    const r = await ok('/api/v1/articles?lang=ar');
    assert.ok(ARABIC.length > 0);
    assert.deepEqual(r.json.data.map((a) => a.id), ids(ARABIC));
    for (const card of r.json.data) {
      assert.equal(card.lang, 'ar');
      assert.equal(card.dir, 'rtl');
      assert.equal(card.title, SITE.articles[card.id - 1].title);
    }
    const en = await ok('/api/v1/articles?lang=en&per_page=100');
    assert.deepEqual(en.json.data.map((a) => a.id), ids(VISIBLE.filter((a) => a.lang === 'en')));
  });

  test('q finds the articles holding every word, best match first, and combines with filters', async () => {
    const a = VISIBLE.find((x) => /flood gates/i.test(x.title));
    const r = await ok('/api/v1/articles?q=gates+flood');
    assert.ok(r.json.data.length >= 1);
    assert.equal(r.json.data[0].id, SITE.articles.indexOf(a) + 1, 'the article titled with both words comes first');
    assert.equal(r.json.meta.total, r.json.data.length);
    const stem = await ok('/api/v1/articles?q=flooding');
    assert.ok(stem.json.data.some((x) => x.id === SITE.articles.indexOf(a) + 1), 'flooding finds flood');
    const ar = VISIBLE.find((x) => x.lang === 'ar');
    const word = ar.title.split(/\s+/).find((w) => w.length > 4);
    const arabic = await ok(`/api/v1/articles?q=${encodeURIComponent(word)}&lang=ar`);
    assert.ok(arabic.json.data.some((x) => x.title === ar.title), 'an Arabic word finds its article');
    const none = await ok('/api/v1/articles?q=harbour+zzzzqqq');
    assert.deepEqual(none.json.data, []);
    for (const q of ['"', 'AND', '*', 'NEAR(a b)', 'title:x']) {
      await ok(`/api/v1/articles?q=${encodeURIComponent(q)}`);
    }
    assertProblem(await api(`/api/v1/articles?q=${'a'.repeat(201)}`), 400, 'q');
    for (const h of HIDDEN) {
      const w = h.title.split(/\s+/).find((x) => /^[A-Za-z]{6,}$/.test(x));
      if (!w) continue;
      const hr = await ok(`/api/v1/articles?q=${encodeURIComponent(w)}`);
      assert.ok(!hr.json.data.some((x) => x.slug === h.slug), `${h.slug} is never found`);
    }
  });

  test('since lists the articles published strictly after the time', async () => {
    const since = '2026-11-20T00:00:00Z';
    const r = await ok(`/api/v1/articles?since=${since}`);
    assert.deepEqual(r.json.data.map((a) => a.id), ids(VISIBLE.filter((a) => Date.parse(a.published_at) > Date.parse(since))));
    // An article published exactly at the time is not after it.
    const pivot = VISIBLE[3];
    const r2 = await ok(`/api/v1/articles?since=${iso(pivot.published_at)}`);
    assert.deepEqual(r2.json.data.map((a) => a.id), ids(VISIBLE.slice(0, 3)));
  });

  test('updated_since lists the articles published or edited after the time', async () => {
    // The demo articles were never edited: their change is their publication.
    const t = '2026-11-22T00:00:00Z';
    const r = await ok(`/api/v1/articles?updated_since=${t}`);
    assert.deepEqual(r.json.data.map((a) => a.id), ids(VISIBLE.filter((a) => Date.parse(a.published_at) > Date.parse(t))));
    const none = await ok(`/api/v1/articles?updated_since=${iso(newest(VISIBLE))}`);
    assert.deepEqual(none.json.data, []);
  });

  test('filters combine', async () => {
    const r = await ok('/api/v1/articles?category=world&author=mreyes&tag=climate&lang=en');
    const want = VISIBLE.filter((a) => a.category === 'world' && a.author === 'mreyes'
      && a.tags.includes('climate') && a.lang === 'en');
    assert.ok(want.length > 0);
    assert.deepEqual(r.json.data.map((a) => a.id), ids(want));
  });

  test('a filter that matches nothing is an empty list without Link or Last-Modified', async () => {
    const r = await ok('/api/v1/articles?category=no-such-category');
    assert.deepEqual(r.json, { data: [], meta: { page: 1, per_page: 20, total: 0, total_pages: 0 } });
    assert.equal(r.headers.get('link'), null);
    assert.equal(r.headers.get('last-modified'), null);
  });

  test('malformed filters are 400 naming the parameter', async () => {
    assertProblem(await api('/api/v1/articles?lang=EN'), 400, 'lang');
    assertProblem(await api('/api/v1/articles?lang=english'), 400, 'lang');
    assertProblem(await api('/api/v1/articles?since=2026-11-20'), 400, 'since');
    assertProblem(await api('/api/v1/articles?since=2026-11-20T00:00:00%2B01:00'), 400, 'since');
    assertProblem(await api('/api/v1/articles?updated_since=yesterday'), 400, 'updated_since');
    // Days that do not exist, and times past the end of the day.
    for (const t of ['2026-02-30T00:00:00Z', '2026-02-29T12:00:00Z', '2026-04-31T00:00:00Z',
      '2026-11-20T24:00:00Z', '2026-11-20T23:59:60Z', '2026-13-01T00:00:00Z']) {
      assertProblem(await api(`/api/v1/articles?since=${t}`), 400, 'since');
      assertProblem(await api(`/api/v1/articles?updated_since=${t}`), 400, 'updated_since');
    }
    assertProblem(await api('/api/v1/articles?tag='), 400, 'tag');
    assertProblem(await api(`/api/v1/articles?author=${'a'.repeat(201)}`), 400, 'author');
    assertProblem(await api('/api/v1/articles?category=%FF'), 400);
  });
});

// ---- one article ----

describe('GET /api/v1/articles/{id} and /api/v1/articles/by-slug/{slug}', () => {
  for (const a of VISIBLE) {
    test(`article ${idOf(a)} (${a.slug}) by id and by slug`, async () => {
      const r = await ok(`/api/v1/articles/${idOf(a)}`);
      const doc = r.json;
      const au = authorOf(a.author);
      assert.equal(doc.id, idOf(a));
      assert.equal(doc.slug, a.slug);
      assert.equal(doc.title, a.title);
      assert.equal(doc.summary, a.summary);
      assert.equal(doc.lang, a.lang);
      assert.equal(doc.dir, a.lang === 'ar' ? 'rtl' : 'ltr');
      assert.equal(doc.category.slug, a.category);
      // The demo is loaded without pictures here: no avatar.
      assert.deepEqual(doc.author, { username: au.username, name: au.name, url: `/author/${au.username}`, bio: au.bio, image: null });
      assert.deepEqual(doc.tags, a.tags.map(tagOf).sort((x, y) => binary(x.name, y.name))
        .map((t) => ({ slug: t.slug, name: t.name, url: `/tag/${encodeSlug(t.slug)}` })));
      assert.equal(doc.published_at, iso(a.published_at));
      assert.equal(doc.updated_at, iso(a.published_at));
      assert.equal(doc.updated_display, null);
      assert.equal(doc.canonical_url, `${BASE_URL}/articles/${encodeSlug(a.slug)}`);
      assert.equal(typeof doc.body_html, 'string');
      assert.ok(doc.body_html.length > a.body.length / 2);
      assert.ok(doc.related.length <= 5);
      const visibleIds = new Set(ids(VISIBLE));
      for (const rel of doc.related) {
        assert.notEqual(rel.id, doc.id, 'an article is not related to itself');
        assert.ok(visibleIds.has(rel.id), `related ${rel.id} is visible`);
      }
      assert.equal(r.headers.get('cache-control'), `public, max-age=300${SHARED}`);
      assert.equal(r.headers.get('last-modified'), httpDate(a.published_at));
      assert.match(r.headers.get('etag'), /^"[0-9a-f]{32}"$/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');

      const s = await ok(`/api/v1/articles/by-slug/${encodeSlug(a.slug)}`);
      assert.ok(s.bytes.equals(r.bytes), 'by slug answers the same document as by id');
      assert.equal(s.headers.get('etag'), r.headers.get('etag'));
    });
  }

  test('Arabic titles and bodies round-trip byte for byte', async () => {
    assert.ok(ARABIC.length > 0);
    for (const a of ARABIC) {
      const r = await ok(`/api/v1/articles/${idOf(a)}`);
      assert.ok(Buffer.from(r.json.title, 'utf8').equals(Buffer.from(a.title, 'utf8')), `title of ${a.slug}`);
      assert.ok(Buffer.from(r.json.summary, 'utf8').equals(Buffer.from(a.summary, 'utf8')), `summary of ${a.slug}`);
      // Written as UTF-8 on the wire, not as \u escapes.
      assert.ok(r.bytes.includes(Buffer.from(a.title, 'utf8')), 'the raw answer holds the UTF-8 title');
      const firstParagraph = a.body.split('\n\n')[0];
      assert.ok(r.json.body_html.includes(`<p>${firstParagraph}</p>`), `body of ${a.slug}`);
      assert.equal(r.json.dir, 'rtl');
      const s = await ok(`/api/v1/articles/by-slug/${encodeURIComponent(a.slug)}`);
      assert.equal(s.json.id, idOf(a));
    }
  });

  test('an unknown id or slug is a 404 problem', async () => {
    assertProblem(await api(`/api/v1/articles/${SITE.articles.length + 1000}`), 404);
    assertProblem(await api('/api/v1/articles/by-slug/no-such-article'), 404);
    assertProblem(await api(`/api/v1/articles/by-slug/${encodeURIComponent('لا-يوجد')}`), 404);
  });

  for (const bad of ['abc', '0', '-1', '1.5', '1e3', '+1', '99999999999999999999']) {
    test(`a malformed id (${bad}) is 400 naming id`, async () => {
      assertProblem(await api(`/api/v1/articles/${encodeURIComponent(bad)}`), 400, 'id');
    });
  }

  test('drafts and scheduled articles are 404 by id and by slug', async () => {
    assert.ok(HIDDEN.some((a) => a.status === 'draft'), 'the demo has a draft');
    assert.ok(HIDDEN.some((a) => a.status === 'scheduled'), 'the demo has a scheduled article');
    for (const a of HIDDEN) {
      assertProblem(await api(`/api/v1/articles/${idOf(a)}`), 404);
      assertProblem(await api(`/api/v1/articles/by-slug/${encodeSlug(a.slug)}`), 404);
    }
  });

  test('drafts and scheduled articles are absent from every list and count', async () => {
    const hiddenIds = new Set(ids(HIDDEN));
    const queries = ['', ...HIDDEN.flatMap((a) => [`category=${a.category}`, `author=${a.author}`,
      ...a.tags.map((t) => `tag=${t}`), `since=${iso(Date.parse(a.published_at) - 1000)}`])];
    for (const q of queries) {
      const r = await ok(`/api/v1/articles?per_page=100&${q}`);
      for (const card of r.json.data) assert.ok(!hiddenIds.has(card.id), `${q} lists hidden ${card.id}`);
      assert.equal(r.json.meta.total, r.json.data.length);
    }
    for (const a of VISIBLE) {
      const r = await ok(`/api/v1/articles/${idOf(a)}`);
      for (const rel of r.json.related) assert.ok(!hiddenIds.has(rel.id), `related of ${idOf(a)}`);
    }
  });
});

// ---- categories, tags, authors ----

describe('GET /api/v1/categories, /api/v1/tags, /api/v1/authors', () => {
  const count = (pred) => VISIBLE.filter(pred).length;

  test('categories in navigation order with their visible article counts', async () => {
    const items = await everyItem('/api/v1/categories?per_page=2');
    assert.deepEqual(items, SITE.categories.map((c, i) => ({
      id: i + 1, slug: c.slug, name: c.name, description: c.description, parent_id: null,
      path: c.slug, url: `/category/${c.slug}`, article_count: count((a) => a.category === c.slug),
    })));
  });

  test('tags by name with their visible article counts', async () => {
    const items = await everyItem('/api/v1/tags?per_page=5');
    const want = SITE.tags.map((t, i) => ({
      id: i + 1, slug: t.slug, name: t.name, url: `/tag/${encodeSlug(t.slug)}`,
      article_count: count((a) => a.tags.includes(t.slug)),
    })).sort((x, y) => binary(x.name, y.name) || x.id - y.id);
    assert.deepEqual(items, want);
  });

  test('authors with visible articles, by name', async () => {
    const items = await everyItem('/api/v1/authors?per_page=1');
    const want = SITE.authors.map((u, i) => ({
      id: i + 1, username: u.username, name: u.name, bio: u.bio, url: `/author/${u.username}`,
      article_count: count((a) => a.author === u.username), image: null,
    })).filter((u) => u.article_count > 0).sort((x, y) => binary(x.name, y.name) || x.id - y.id);
    assert.deepEqual(items, want);
  });

  for (const list of ['categories', 'tags', 'authors']) {
    test(`${list}: meta, Link, caching headers and paging errors`, async () => {
      const all = await ok(`/api/v1/${list}`);
      const total = all.json.meta.total;
      assert.deepEqual(all.json.meta, { page: 1, per_page: 20, total, total_pages: Math.ceil(total / 20) });
      assert.equal(all.json.data.length, total);
      assert.equal(all.headers.get('cache-control'), `public, max-age=60${SHARED}`);
      assert.equal(all.headers.get('last-modified'), httpDate(newest(VISIBLE)));
      assert.match(all.headers.get('etag'), /^"[0-9a-f]{32}"$/);
      assert.equal(all.headers.get('access-control-allow-origin'), '*');

      const second = await ok(`/api/v1/${list}?per_page=1&page=2`);
      assert.deepEqual(second.json.data, all.json.data.slice(1, 2));
      assert.deepEqual(links(second), {
        next: `${BASE_URL}/api/v1/${list}?per_page=1&page=3`,
        prev: `${BASE_URL}/api/v1/${list}?per_page=1&page=1`,
      });
      const past = await ok(`/api/v1/${list}?page=7`);
      assert.deepEqual(past.json, { data: [], meta: { page: 7, per_page: 20, total, total_pages: 1 } });
      assertProblem(await api(`/api/v1/${list}?page=0`), 400, 'page');
      assertProblem(await api(`/api/v1/${list}?per_page=101`), 400, 'per_page');
    });
  }
});

// ---- HTTP behaviour ----

describe('HTTP behaviour of the API', () => {
  test('If-None-Match with the current ETag is 304 without a body', async () => {
    for (const p of ['/api/v1/articles', '/api/v1/articles/1', '/api/v1/tags?per_page=3']) {
      const r = await ok(p);
      const etag = r.headers.get('etag');
      const nm = await api(p, { headers: { 'if-none-match': etag } });
      assert.equal(nm.status, 304, p);
      assert.equal(nm.bytes.length, 0);
      assert.equal(nm.headers.get('etag'), etag);
      assert.equal(nm.headers.get('cache-control'), r.headers.get('cache-control'));
      // A list of tags, or the weak form of ours, also matches.
      const list = await api(p, { headers: { 'if-none-match': `"0000", W/${etag}` } });
      assert.equal(list.status, 304, `${p} with a list of tags`);
      const other = await api(p, { headers: { 'if-none-match': '"00000000000000000000000000000000"' } });
      assert.equal(other.status, 200, `${p} with another tag`);
    }
  });

  test('HEAD answers the headers of GET without a body', async () => {
    const g = await ok('/api/v1/articles/2');
    const h = await api('/api/v1/articles/2', { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.bytes.length, 0);
    assert.equal(h.headers.get('etag'), g.headers.get('etag'));
    assert.equal(h.headers.get('content-type'), 'application/json');
  });

  test('GET answers are readable from any origin', async () => {
    const r = await ok('/api/v1/articles?per_page=2', { headers: { origin: 'https://app.example.org' } });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const exposed = r.headers.get('access-control-expose-headers').split(/,\s*/).map((h) => h.toLowerCase());
    for (const h of ['etag', 'last-modified', 'link']) assert.ok(exposed.includes(h), `${h} is exposed`);
  });

  test('error answers are readable from any origin too', async () => {
    for (const p of ['/api/v1/articles/999999', '/api/v1/articles?page=0', '/api/v1/nothing-here']) {
      const r = await api(p, { headers: { origin: 'https://app.example.org' } });
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
      assert.equal(r.headers.get('access-control-allow-origin'), '*', `${p} (${r.status})`);
    }
  });

  test('OPTIONS preflight on a path of the API is 204 with the methods that path answers; on no path, 404', async () => {
    const unknown = await api('/api/v1/no-such-thing', { method: 'OPTIONS',
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'GET' } });
    assertProblem(unknown, 404);
    const rating = await api('/api/v1/articles/1/rating', { method: 'OPTIONS' });
    assert.equal(rating.status, 204);
    assert.equal(rating.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
    assert.equal(rating.headers.get('access-control-allow-methods'), 'GET, HEAD, POST, OPTIONS');
    for (const p of ['/api/v1/articles', '/api/v1/articles/1', '/api/v1/tags']) {
      const r = await api(p, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.org',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'if-none-match',
        },
      });
      assert.equal(r.status, 204, p);
      assert.equal(r.bytes.length, 0);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.equal(r.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS', p);
      assert.equal(r.headers.get('allow'), 'GET, HEAD, OPTIONS', p);
      const allowed = r.headers.get('access-control-allow-headers').toLowerCase().split(/,\s*/);
      assert.ok(allowed.includes('if-none-match'));
      assert.ok(Number(r.headers.get('access-control-max-age')) > 0);
    }
  });

  test('a preflight for a write is granted only to the site\'s own origin', async () => {
    const foreign = await api('/api/v1/articles', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(foreign.status, 204);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const own = await api('/api/v1/articles', {
      method: 'OPTIONS',
      headers: { origin: BASE_URL, 'access-control-request-method': 'POST' },
    });
    assert.equal(own.status, 204);
    assert.equal(own.headers.get('access-control-allow-origin'), BASE_URL);
    assert.match(own.headers.get('vary') || '', /Origin/);
  });

  test('Accept without JSON is 406; JSON, */* or no Accept are served', async () => {
    assertProblem(await api('/api/v1/articles?via=406', { headers: { accept: 'text/html' } }), 406);
    assertProblem(await api('/api/v1/articles/3?via=406', { headers: { accept: 'text/html,application/xhtml+xml' } }), 406);
    await ok('/api/v1/articles/3?via=json', { headers: { accept: 'application/json' } });
    await ok('/api/v1/articles/3?via=any', { headers: { accept: '*/*' } });
    const none = await rawGet('/api/v1/articles/3?via=none', { 'accept-encoding': 'identity' });
    assert.equal(none.status, 200);
  });

  test('a media range given q=0 is not acceptable: JSON refused so is 406, also after JSON was kept', async () => {
    for (let i = 0; i < 4; i++) await ok('/api/v1/articles/3?via=q', { headers: { accept: 'application/json' } });
    for (const accept of ['application/json;q=0', 'application/json; q=0.0, text/html', '*/*;q=0', 'application/json;q=0.000']) {
      assertProblem(await api('/api/v1/articles/3?via=q', { headers: { accept } }), 406);
    }
    for (const accept of ['application/json;q=0.5', 'text/html;q=0, application/json', 'application/json;q=0.01']) {
      await ok('/api/v1/articles/3?via=q', { headers: { accept } });
    }
    // What a client that refuses HTML was given is not kept for one that wants HTML.
    for (let i = 0; i < 4; i++) await ok('/api/v1/articles/3?via=q0', { headers: { accept: 'application/json, text/html;q=0' } });
    assertProblem(await api('/api/v1/articles/3?via=q0', { headers: { accept: 'text/html' } }), 406);
  });

  test('Accept without JSON is 406 also when the answer is already cached', async () => {
    // Warm every worker's page cache for this URL, then ask for HTML.
    for (let i = 0; i < 8; i++) await ok('/api/v1/categories?via=cached');
    assertProblem(await api('/api/v1/categories?via=cached', { headers: { accept: 'text/html' } }), 406);
  });

  test('POST, PUT and DELETE on a GET endpoint are 405 with Allow and a problem body', async () => {
    for (const [method, p] of [['POST', '/api/v1/articles'], ['PUT', '/api/v1/articles/1'],
      ['DELETE', '/api/v1/tags'], ['POST', '/api/v1/articles/by-slug/x']]) {
      const r = await api(p, { method });
      assertProblem(r, 405);
      assert.deepEqual(r.headers.get('allow').split(/,\s*/).sort(), ['GET', 'HEAD', 'OPTIONS'], `${method} ${p}`);
    }
  });

  test('an /api/ path never answers HTML', async () => {
    for (const p of ['/api/v1/nothing', '/api/v2/articles', '/api/', '/api/v1/articles/1/nothing']) {
      assertProblem(await api(p), 404);
    }
    assertProblem(await api('/api/v1/articles?q=%FF'), 400);
    assertProblem(await api(`/api/v1/articles/by-slug/${'a'.repeat(1100)}`), 414);
    // Too long a query is refused as well, and still as a problem document.
    assertProblem(await api(`/api/v1/articles?q=${'a'.repeat(2100)}`), 414);
  });

  test('lists are gzip-compressed for clients that accept it', async () => {
    const plain = await rawGet('/api/v1/articles', { 'accept-encoding': 'identity' });
    const gz = await rawGet('/api/v1/articles', { 'accept-encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(gz.headers.vary || '', /Accept-Encoding/i);
    assert.ok(gz.body.length < plain.body.length);
    assert.ok(zlib.gunzipSync(gz.body).equals(plain.body), 'the same JSON once decompressed');
    // nginx weakens the ETag of what it compresses; the weak tag still validates.
    const nm = await rawGet('/api/v1/articles', { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag });
    assert.equal(nm.status, 304);
  });
});

// ---- the database changes under the running server ----

describe('answers follow database changes without a restart', () => {
  test('an edited article gets a new ETag, its new title and updated_at', async () => {
    const a = VISIBLE.find((x) => x.lang === 'en');
    const id = idOf(a);
    const p = `/api/v1/articles/${id}`;
    const first = await ok(p);
    const etag = first.headers.get('etag');
    const listBefore = await ok('/api/v1/articles?per_page=100');
    assert.equal((await api(p, { headers: { 'if-none-match': etag } })).status, 304);

    const edited = Math.floor(Date.now() / 1000);
    const title = `${a.title} (corrected)`;
    sql(`UPDATE articles SET title = '${title.replace(/'/g, "''")}', updated_at = ${edited} WHERE id = ${id}`);
    await settle(stack);

    const r = await api(p, { headers: { 'if-none-match': etag } });
    assert.equal(r.status, 200);
    assert.notEqual(r.headers.get('etag'), etag);
    assert.equal(r.json.title, title);
    assert.equal(r.json.updated_at, iso(edited * 1000));
    assert.equal(typeof r.json.updated_display, 'string');
    assert.equal(r.headers.get('last-modified'), httpDate(edited * 1000));
    assert.equal((await api(p, { headers: { 'if-none-match': r.headers.get('etag') } })).status, 304);

    const list = await ok('/api/v1/articles?per_page=100', { headers: { 'if-none-match': listBefore.headers.get('etag') } });
    assert.notEqual(list.headers.get('etag'), listBefore.headers.get('etag'));
    assert.equal(list.json.data.find((x) => x.id === id).title, title);
    const since = await ok(`/api/v1/articles?updated_since=${iso(newest(VISIBLE))}`);
    assert.deepEqual(since.json.data.map((x) => x.id), [id]);
    assert.equal(since.json.data[0].updated_at, iso(edited * 1000));
  });

  test('an article taken back to draft disappears', async () => {
    const a = VISIBLE.find((x) => x.lang === 'ar');
    const id = idOf(a);
    await ok(`/api/v1/articles/${id}`);
    sql(`UPDATE articles SET status = 'draft' WHERE id = ${id}`);
    await settle(stack);
    assertProblem(await api(`/api/v1/articles/${id}`), 404);
    assertProblem(await api(`/api/v1/articles/by-slug/${encodeSlug(a.slug)}`), 404);
    const r = await ok('/api/v1/articles?per_page=100');
    assert.equal(r.json.meta.total, VISIBLE.length - 1);
    assert.ok(!r.json.data.some((x) => x.id === id));
  });
});
