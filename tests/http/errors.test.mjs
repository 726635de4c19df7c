// Error answers and the headers and markup rules every HTML answer follows.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { SITE, escapeHtml, loopback, requestFrom, urlOf } from './helpers.mjs';

const visible = SITE.articles.filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());
const EN_ARTICLE = visible.find((a) => a.lang === 'en' && a.comments?.some((c) => c.status === 'approved'));
const AR_ARTICLE = visible.find((a) => a.lang === 'ar');

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

// Fetch urlPath uncompressed, so that Content-Length describes the body as
// sent. Resolves to {status, headers, bytes, text}.
async function fetchRaw(urlPath, opts = {}) {
  const res = await fetch(stack.base + urlPath, {
    redirect: 'manual',
    ...opts,
    headers: { 'accept-encoding': 'identity', ...(opts.headers || {}) },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
}

// Assert that r is a page in the site's layout with a link home.
function assertErrorPage(r, status, what) {
  assert.equal(r.status, status, `${what}: status`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: content type`);
  assert.match(r.text, /^<!DOCTYPE html>/i, `${what}: a full HTML document`);
  assert.match(r.text, /<header class="site-header">/, `${what}: the site header`);
  assert.ok(r.text.includes(escapeHtml(SITE.site.name)), `${what}: the site name`);
  assert.match(r.text, /<nav class="site-nav"/, `${what}: the site navigation`);
  assert.match(r.text, new RegExp(`<p class="error-status">${status}</p>`), `${what}: the status is shown`);
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(r.text);
  assert.ok(main && /<a\b[^>]*\bhref="\/"/.test(main[1]), `${what}: a link to the home page`);
}

describe('error answers', () => {
  test('an unknown path is a 404 page in the site layout with a link home', async () => {
    for (const p of ['/no-such-page', '/articles/no-such-article', '/articles/', '/category/world/extra']) {
      assertErrorPage(await get(stack.base, p), 404, p);
    }
  });

  test('POST / is 405 naming the allowed methods', async () => {
    const r = await get(stack.base, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  });

  test('a path that is not UTF-8 is a 400 page', async () => {
    assertErrorPage(await get(stack.base, '/articles/%C3%28'), 400, '/articles/%C3%28');
    assertErrorPage(await get(stack.base, '/articles/%FF'), 400, '/articles/%FF');
  });

  test('an over-long path is 414', async () => {
    const r = await get(stack.base, `/articles/${'a'.repeat(3000)}`);
    assert.equal(r.status, 414);
  });

  test('a page asked for with a query over 2 KB or a path over 3 KB is a 414 page, and the site goes on', async () => {
    for (const url of [`/search?q=${'a'.repeat(2100)}`, `/${'a'.repeat(4000)}`, `/admin/articles?q=${'a'.repeat(2100)}`]) {
      const r = await get(stack.base, url);
      assert.equal(r.status, 414, url.slice(0, 40));
      assert.match(r.headers.get('content-type') || '', /^text\/html/);
    }
    assert.equal((await get(stack.base, '/')).status, 200, 'the server still answers');
  });

  test('a NUL in the path is 400', async () => {
    for (const p of ['/articles/a%00b', '/%00']) {
      const r = await get(stack.base, p);
      assert.equal(r.status, 400, p);
    }
  });

  test('HEAD / is 200 with the Content-Length of GET / and no body', async () => {
    const head = await fetchRaw('/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.bytes.length, 0, 'no body');
    const length = Number(head.headers.get('content-length'));
    assert.ok(length > 0, `Content-Length expected, got ${head.headers.get('content-length')}`);
    const full = await fetchRaw('/');
    assert.equal(length, full.bytes.length, 'the length GET / sends');
  });
});

// HTML answers of every kind: [what, path, fetch options, expected status].
const HTML_ANSWERS = [
  ['home', '/', {}, 200],
  ['home page 2', '/?page=2', {}, 200],
  ['category', '/category/world', {}, 200],
  ['tag', '/tag/climate', {}, 200],
  ['author', '/author/mreyes', {}, 200],
  ['English article', EN_ARTICLE && urlOf(EN_ARTICLE), {}, 200],
  ['Arabic article', AR_ARTICLE && urlOf(AR_ARTICLE), {}, 200],
  ['unknown path', '/no-such-page', {}, 404],
  ['unknown category', '/category/no-such-category', {}, 404],
  ['bad page number', '/?page=abc', {}, 400],
  ['path not UTF-8', '/articles/%C3%28', {}, 400],
  ['wrong method', '/', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 405],
];

describe('every HTML answer', () => {
  test('the demo has the articles these checks read', () => {
    assert.ok(EN_ARTICLE && AR_ARTICLE);
  });

  for (const [what, urlPath, opts, status] of HTML_ANSWERS) {
    test(`${what} (${status}) carries the security headers and an exact Content-Length`, async () => {
      const r = await fetchRaw(urlPath, opts);
      assert.equal(r.status, status);
      assert.match(r.headers.get('content-type') || '', /^text\/html; charset=utf-8/i);
      const csp = r.headers.get('content-security-policy') || '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0])
        .map(([name, ...values]) => [name.toLowerCase(), values]));
      assert.ok(directives.get('default-src')?.includes("'self'"), `default-src 'self' in "${csp}"`);
      assert.ok(directives.get('script-src')?.includes("'self'"), `script-src 'self' in "${csp}"`);
      assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `frame-ancestors 'none' in "${csp}"`);
      assert.doesNotMatch(csp, /'unsafe-inline'/, 'no unsafe-inline');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      const referrer = r.headers.get('referrer-policy') || '';
      assert.match(referrer, /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin|origin|origin-when-cross-origin|no-referrer-when-downgrade)$/,
        `a Referrer-Policy that does not leak full URLs (got "${referrer}")`);
      assert.equal(Number(r.headers.get('content-length')), r.bytes.length, 'Content-Length is the body length');
    });

    test(`${what} (${status}) has no inline script, style or event handler`, async () => {
      const r = await fetchRaw(urlPath, opts);
      assert.equal(r.status, status);
      for (const m of r.text.matchAll(/<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
        const tag = m[1].toLowerCase();
        const attrs = [...m[2].matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)]
          .map((a) => a[1].toLowerCase());
        assert.notEqual(tag, 'style', `no <style> element: ${m[0]}`);
        // A data block (structured data as JSON-LD) is not script: it never runs.
        if (tag === 'script') {
          assert.ok(attrs.includes('src') || m[0] === '<script type="application/ld+json">',
            `no inline <script>: ${m[0]}`);
        }
        assert.ok(!attrs.includes('style'), `no style attribute: ${m[0]}`);
        const handler = attrs.find((a) => a.startsWith('on'));
        assert.equal(handler, undefined, `no event handler attribute: ${m[0]}`);
        if (tag === 'a' || tag === 'form' || tag === 'button') {
          assert.doesNotMatch(m[0], /javascript:/i, `no javascript: URL: ${m[0]}`);
        }
      }
    });
  }
});

// Assert that r is an RFC 9457 problem document with status.
function assertProblemDoc(r, status, what) {
  assert.equal(r.status, status, `${what}: status`);
  assert.match(String(r.headers['content-type'] || ''), /^application\/problem\+json/, `${what}: content type`);
  const doc = JSON.parse(r.text);
  assert.equal(doc.type, 'about:blank', `${what}: type`);
  assert.equal(doc.status, status, `${what}: status in the document`);
  assert.ok(doc.title.length > 0 && doc.detail.length > 0, `${what}: title and detail`);
}

describe('errors nginx answers itself are problem documents under /api/', () => {
  const json = { 'content-type': 'application/json' };

  test('a body over the limit is 413', async () => {
    const body = JSON.stringify({ name: 'x', email: 'x@example.com', body: 'b'.repeat(2 * 1024 * 1024) });
    const r = await requestFrom(stack, loopback(41), 'POST', '/api/v1/articles/1/comments', { headers: json, body });
    assertProblemDoc(r, 413, 'a 2 MB comment');
  });

  test('a request line over 8 KB is 414', async () => {
    const r = await requestFrom(stack, loopback(42), 'GET', `/api/v1/articles?q=${'a'.repeat(9000)}`);
    assertProblemDoc(r, 414, 'a 9,000-byte query');
  });

  test('a header over 8 KB (a cookie, an If-None-Match) is 400; a page gets nginx\'s page', async () => {
    const big = 'x'.repeat(9000);
    assertProblemDoc(await requestFrom(stack, loopback(46), 'GET', '/api/v1/articles', { headers: { cookie: `a=${big}` } }),
      400, 'a 9,000-byte cookie');
    assertProblemDoc(await requestFrom(stack, loopback(46), 'GET', '/api/v1/articles', { headers: { 'if-none-match': `"${big}"` } }),
      400, 'a 9,000-byte If-None-Match');
    const page = await requestFrom(stack, loopback(46), 'GET', '/', { headers: { cookie: `a=${big}` } });
    assert.equal(page.status, 400);
    assert.match(String(page.headers['content-type']), /^text\/html/);
  });

  test('a method nginx takes for no address (TRACE) is 405 naming the methods; a page gets nginx\'s page', async () => {
    const r = await requestFrom(stack, loopback(45), 'TRACE', '/api/v1/articles');
    assertProblemDoc(r, 405, 'TRACE of the article list');
    assert.equal(r.headers.allow, 'GET, HEAD, POST, PATCH, DELETE, OPTIONS');
    const page = await requestFrom(stack, loopback(45), 'TRACE', '/');
    assert.equal(page.status, 405);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers.allow, undefined, 'the API\'s methods are not named for a page');
  });

  test('a burst of posts over the per-address rate is 429, with Retry-After', async () => {
    const from = loopback(43);
    const answers = await Promise.all(Array.from({ length: 60 }, () => requestFrom(stack, from, 'POST',
      '/api/v1/no-such-list', { headers: json, body: '{}' })));
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, `some of 60 posts at once are limited (${answers.map((r) => r.status).join(' ')})`);
    for (const r of limited) {
      assertProblemDoc(r, 429, 'a limited post');
      assert.ok(Number(r.headers['retry-after']) >= 1);
    }
  });

  test('with gazette down the API answers 503 as a problem document, pages with a page', async () => {
    await stack.restartGazette({
      signal: 'SIGKILL',
      whileStopped: async () => {
        // Addresses nginx has kept nothing for (what it kept, it serves).
        const r = await requestFrom(stack, loopback(44), 'GET', '/api/v1/articles?via=gazette-down');
        assertProblemDoc(r, 503, 'the article list');
        assert.ok(Number(r.headers['retry-after']) >= 1);
        const page = await requestFrom(stack, loopback(44), 'GET', '/?via=gazette-down');
        assert.equal(page.status, 503);
        assert.match(String(page.headers['content-type']), /^text\/html/);
      },
    });
    const back = await get(stack.base, '/api/v1/articles');
    assert.equal(back.status, 200, 'and it answers again once gazette is back');
  });
});
