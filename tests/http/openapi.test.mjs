// docs/openapi.yaml against the running server: the description must lint
// clean, and every answer the server gives (each success and each error that
// can be provoked, for every path and method the description lists) must have
// the status, content type, headers and body the description promises; the
// bodies sent with successful writes must fit the request schemas, and those
// refused for a bad member must not. Finally every documented path, method
// and status must have been exercised, and every /api/ route of src/routes.c
// must be documented.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { ROOT, routeTable } from './harness.mjs';
import { SITE, addUser, postSlot, setCookie, sql, startSite, waitForPictures } from './helpers.mjs';
import { call, makeToken, photo } from './newsroom_api.mjs';

const SPEC_PATH = path.join(ROOT, 'docs', 'openapi.yaml');
const SPEC = YAML.parse(fs.readFileSync(SPEC_PATH, 'utf8'));

// ---- the description as validators ----

const DEFS_ID = 'urn:gazette:openapi:components';

// A deep copy of x whose references to components/schemas point into the
// schema registered under DEFS_ID.
function rewriteRefs(x) {
  if (Array.isArray(x)) return x.map(rewriteRefs);
  if (!x || typeof x !== 'object') return x;
  const out = {};
  for (const [k, v] of Object.entries(x)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
      ? `${DEFS_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
      : rewriteRefs(v);
  }
  return out;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema({ $id: DEFS_ID, $defs: rewriteRefs(SPEC.components.schemas) });
const compiled = new WeakMap();

// The validator of schema (a schema object of the description).
function validator(schema) {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(rewriteRefs(schema));
    compiled.set(schema, v);
  }
  return v;
}

// Assert that value conforms to schema (a schema object of the description).
function validate(schema, value, what) {
  const v = validator(schema);
  if (!v(value)) {
    const shown = JSON.stringify(value).slice(0, 400);
    assert.fail(`${what} does not match the description: ${ajv.errorsText(v.errors)}\n${shown}`);
  }
}

// The object a local reference ("#/components/...") points at, followed
// until it is not a reference.
function deref(x) {
  let seen = 0;
  while (x && typeof x.$ref === 'string') {
    assert.ok(x.$ref.startsWith('#/') && seen++ < 20, `unsupported $ref ${x.$ref}`);
    x = x.$ref.slice(2).split('/')
      .reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], SPEC);
    assert.ok(x, 'dangling $ref');
  }
  return x;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// Every "method path" operation of the description.
function operations() {
  const ops = [];
  for (const [p, item] of Object.entries(SPEC.paths)) {
    for (const m of METHODS) if (item[m]) ops.push({ method: m, path: p, op: item[m] });
  }
  return ops;
}

// ---- calling the server ----

let stack;
const exercised = new Set();

// A reader: the gz_visitor cookie the server gave it ('' before that).
const reader = () => ({ cookie: '' });

// Send case c to server s (default: the main stack) and check the answer
// against the description. c: {op: 'get /api/v1/articles', status, url,
// method?, headers?, etagOf?, etagHeaders?, body?, type?, jar?, invalid?,
// rejected?, expect?}. url: a path, or a function returning one (for what
// exists only once the tests started). etagOf: a URL whose current ETag
// (fetched with etagHeaders) is sent in If-None-Match. headers: values may
// be functions of the stack (for its own origin). body: a value sent as
// JSON, a string sent as is, a FormData sent as multipart/form-data, or a
// function returning one; type: the Content-Type (default
// application/json with a body, null for none). jar: a reader whose cookie is sent and kept. invalid:
// the name invalid_params must give. rejected: the request schema must
// refuse the body. expect(res, doc, sent): more assertions. Returns
// {res, doc}.
async function check(c, s = stack) {
  const [opMethod, template] = c.op.split(' ');
  const op = SPEC.paths[template]?.[opMethod];
  assert.ok(op, `${c.op} is in the description`);
  const method = c.method || opMethod.toUpperCase();
  const url = typeof c.url === 'function' ? c.url() : c.url;
  const headers = { 'accept-encoding': 'identity' };
  for (const [k, v] of Object.entries(c.headers || {})) headers[k] = typeof v === 'function' ? v(s) : v;
  if (c.etagOf) {
    const etagHeaders = {};
    for (const [k, v] of Object.entries(c.etagHeaders || {})) etagHeaders[k] = typeof v === 'function' ? v(s) : v;
    const etagUrl = typeof c.etagOf === 'function' ? c.etagOf() : c.etagOf;
    const first = await fetch(s.base + etagUrl, { headers: { 'accept-encoding': 'identity', ...etagHeaders } });
    await first.arrayBuffer();
    headers['if-none-match'] = first.headers.get('etag');
    assert.ok(headers['if-none-match'], `${etagUrl} has an ETag`);
  }
  const sent = typeof c.body === 'function' ? c.body() : c.body;
  let payload;
  if (sent instanceof FormData) {
    payload = sent;
  } else if (sent !== undefined) {
    payload = typeof sent === 'string' ? sent : JSON.stringify(sent);
    const type = c.type === undefined ? 'application/json' : c.type;
    if (type) headers['content-type'] = type;
  }
  if (c.jar?.cookie) headers.cookie = c.jar.cookie;
  if (method === 'POST') await postSlot();
  const res = await fetch(s.base + url, { method, headers, body: payload, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  const ctype = (res.headers.get('content-type') || '').split(';')[0].trim();
  assert.equal(res.status, c.status,
    `${method} ${url.slice(0, 100)}: ${ctype} ${body.toString('utf8').slice(0, 300)}`);
  exercised.add(`${opMethod} ${template} ${c.status}`);
  const given = setCookie(res, 'gz_visitor');
  if (c.jar && given) c.jar.cookie = given;

  const rspec = deref(op.responses[String(c.status)]);
  assert.ok(rspec, `status ${c.status} is documented for ${c.op}`);
  for (const [name, h0] of Object.entries(rspec.headers || {})) {
    const h = deref(h0);
    const value = res.headers.get(name);
    if (h.required) assert.notEqual(value, null, `header ${name} is present`);
    if (value !== null) validate(h.schema, value, `header ${name}`);
  }
  if (deref(rspec.headers?.['Cache-Control'])?.schema?.const === 'private, no-store') {
    assert.equal(res.headers.get('etag'), null, 'a private answer has no ETag');
    // A private answer may be read only by the allowed origin that asked,
    // with its cookies; never by every origin.
    const origin = headers.origin ?? null;
    const acao = res.headers.get('access-control-allow-origin');
    if (acao !== null) {
      assert.equal(acao, origin, 'a private answer names only the origin that asked');
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    }
  }
  const request = deref(op.requestBody)?.content?.['application/json']?.schema;
  if (request && c.status < 300) validate(request, sent, 'the body sent');
  if (c.rejected) {
    assert.ok(request && !validator(request)(sent), `the request schema refuses ${JSON.stringify(sent).slice(0, 100)}`);
  }
  let doc = null;
  if (!rspec.content) {
    assert.equal(body.length, 0, 'the answer has no body');
  } else {
    assert.ok(Object.hasOwn(rspec.content, ctype),
      `content type "${ctype}" is one of ${Object.keys(rspec.content).join(', ')}; body: ${body.toString('utf8').slice(0, 200)}`);
    doc = JSON.parse(body.toString('utf8'));
    validate(rspec.content[ctype].schema, doc, 'body');
    if (ctype === 'application/problem+json') assert.equal(doc.status, res.status, 'problem status');
  }
  if (c.invalid !== undefined) {
    assert.deepEqual(doc?.invalid_params?.map((p) => p.name), c.invalid ? [c.invalid] : undefined,
      `invalid_params names ${c.invalid || 'nothing'}`);
  }
  if (c.expect) await c.expect(res, doc, sent);
  return { res, doc };
}

// ---- the cases ----

const hidden = SITE.articles.filter((a) => a.status !== 'published' || Date.parse(a.published_at) > Date.now());
const arabic = SITE.articles.find((a) => a.lang === 'ar' && a.status === 'published');
const english = SITE.articles.find((a) => a.lang === 'en' && a.status === 'published');
const idOf = (a) => SITE.articles.indexOf(a) + 1; // ids follow the order of loading
const enc = encodeURIComponent;
const LONG_QUERY = `?q=${'a'.repeat(2100)}`;
const BAD_QUERY = '?q=%FF';

const LISTS = ['/api/v1/categories', '/api/v1/tags', '/api/v1/authors'];
const MEDIA = '/api/v1/media/{id}';
// The demo is loaded with stand-in pictures, one per article in the
// articles' order, so article n's featured picture is picture n.
const mediaUrl = (id) => `/api/v1/media/${id}`;
const BY_ID = '/api/v1/articles/{id}';
const BY_SLUG = '/api/v1/articles/by-slug/{slug}';

// Cases for any public GET operation: conditional request, method, Accept,
// length. (The 406 case uses a URL no earlier case has asked for;
// api.test.mjs checks the 406 of an answer already in the page cache.) For
// a path that also takes POST, pass writable.
function common(template, url, writable = false) {
  return [
    { op: `get ${template}`, status: 304, url, etagOf: url },
    { op: `get ${template}`, status: 405, url, method: writable ? 'PUT' : 'POST' },
    { op: `get ${template}`, status: 405, url, method: 'DELETE' },
    { op: `get ${template}`, status: 406, url: `${url}${url.includes('?') ? '&' : '?'}accept=html`, headers: { accept: 'text/html' } },
    { op: `get ${template}`, status: 414, url: url + LONG_QUERY },
  ];
}

// Cases for the preflight of a path.
function preflight(template, url) {
  return [
    { op: `options ${template}`, status: 204, url,
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'GET' } },
    { op: `options ${template}`, status: 204, url,
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'POST' } },
    { op: `options ${template}`, status: 204, url },
    { op: `options ${template}`, status: 400, url: url + BAD_QUERY },
    { op: `options ${template}`, status: 414, url: url + LONG_QUERY },
  ];
}

const ARTICLES = '/api/v1/articles';
const PAGES = '/api/v1/pages';
const PAGE = '/api/v1/pages/{slug}';
// Static pages added to the demo's two (about, contact): one published,
// one draft.
const PAGE_ROWS = [
  ['من-نحن', 'من نحن', 'نغطي أخبار الميناء.', 'published', 2],
  ['draft-page', 'Not yet', 'Soon.', 'draft', 3],
];
const CASES = [
  { op: `get ${ARTICLES}`, status: 200, url: ARTICLES },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?per_page=2&page=2` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?per_page=100` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?lang=ar` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?q=harbour&per_page=3` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?q=harbour&lang=en&category=culture` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?category=science&tag=research&author=lhansen` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?since=2026-11-20T00:00:00Z&updated_since=2026-11-01T00:00:00Z` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?tag=mediterranean` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?category=no-such-category` },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?page=99` },
  { op: `get ${ARTICLES}`, status: 400, url: `${ARTICLES}?page=0` },
  { op: `get ${ARTICLES}`, status: 400, url: `${ARTICLES}?per_page=101` },
  { op: `get ${ARTICLES}`, status: 400, url: `${ARTICLES}?lang=EN` },
  { op: `get ${ARTICLES}`, status: 400, url: `${ARTICLES}?since=yesterday` },
  { op: `get ${ARTICLES}`, status: 400, url: `${ARTICLES}?updated_since=2026-13-01T00:00:00Z` },
  { op: `get ${ARTICLES}`, status: 400, url: `${ARTICLES}?tag=` },
  { op: `get ${ARTICLES}`, status: 400, url: ARTICLES + BAD_QUERY },
  ...common(ARTICLES, ARTICLES),
  ...preflight(ARTICLES, ARTICLES),

  { op: `get ${BY_ID}`, status: 200, url: `${ARTICLES}/${idOf(english)}` },
  { op: `get ${BY_ID}`, status: 200, url: `${ARTICLES}/${idOf(arabic)}` },
  ...['abc', '0', '-1', '1.5'].map((id) => ({ op: `get ${BY_ID}`, status: 400, url: `${ARTICLES}/${id}` })),
  { op: `get ${BY_ID}`, status: 404, url: `${ARTICLES}/999999` },
  ...hidden.map((a) => ({ op: `get ${BY_ID}`, status: 404, url: `${ARTICLES}/${idOf(a)}` })),
  ...common(BY_ID, `${ARTICLES}/${idOf(english)}`),
  ...preflight(BY_ID, `${ARTICLES}/${idOf(english)}`),

  { op: `get ${BY_SLUG}`, status: 200, url: `${ARTICLES}/by-slug/${enc(english.slug)}` },
  { op: `get ${BY_SLUG}`, status: 200, url: `${ARTICLES}/by-slug/${enc(arabic.slug)}` },
  { op: `get ${BY_SLUG}`, status: 400, url: `${ARTICLES}/by-slug/%FF` },
  { op: `get ${BY_SLUG}`, status: 404, url: `${ARTICLES}/by-slug/no-such-article` },
  ...hidden.map((a) => ({ op: `get ${BY_SLUG}`, status: 404, url: `${ARTICLES}/by-slug/${enc(a.slug)}` })),
  { op: `get ${BY_SLUG}`, status: 414, url: `${ARTICLES}/by-slug/${'a'.repeat(1100)}` },
  ...common(BY_SLUG, `${ARTICLES}/by-slug/${enc(arabic.slug)}`),
  ...preflight(BY_SLUG, `${ARTICLES}/by-slug/${enc(english.slug)}`),

  { op: `get ${PAGES}`, status: 200, url: PAGES,
    expect: (res, doc) => assert.deepEqual(doc.data.map((p) => p.slug), ['about', 'contact', 'من-نحن'],
      'the published pages, in order') },
  { op: `get ${PAGES}`, status: 200, url: `${PAGES}?per_page=1&page=2` },
  { op: `get ${PAGES}`, status: 400, url: `${PAGES}?page=0`, invalid: 'page' },
  { op: `get ${PAGES}`, status: 400, url: PAGES + BAD_QUERY },
  ...common(PAGES, PAGES),
  ...preflight(PAGES, PAGES),

  { op: `get ${PAGE}`, status: 200, url: `${PAGES}/about`,
    expect: (res, doc) => assert.match(doc.body_html, /<h2>Corrections<\/h2>/) },
  { op: `get ${PAGE}`, status: 200, url: `${PAGES}/${enc('من-نحن')}` },
  { op: `get ${PAGE}`, status: 400, url: `${PAGES}/%FF` },
  { op: `get ${PAGE}`, status: 404, url: `${PAGES}/no-such-page` },
  { op: `get ${PAGE}`, status: 404, url: `${PAGES}/draft-page` },
  { op: `get ${PAGE}`, status: 414, url: `${PAGES}/${'a'.repeat(1100)}` },
  ...common(PAGE, `${PAGES}/about`),
  ...preflight(PAGE, `${PAGES}/about`),
  { op: `get ${MEDIA}`, status: 200, url: mediaUrl(idOf(english)),
    expect: (res, doc) => {
      assert.equal(doc.id, idOf(english));
      assert.equal(doc.alt, english.image.alt);
      assert.ok(doc.sizes.some((x) => x.type === 'image/webp') && doc.sizes.some((x) => x.type === 'image/jpeg'));
    } },
  { op: `get ${ARTICLES}`, status: 200, url: `${ARTICLES}?per_page=3`,
    expect: (res, doc) => assert.ok(doc.data.every((a) => a.image && a.image.sizes.length > 0), 'every card has its picture') },
  { op: `get ${BY_ID}`, status: 200, url: `${ARTICLES}/${idOf(english)}`,
    expect: (res, doc) => assert.equal(doc.image.caption, english.image.caption) },
  ...['abc', '0', '-1', '1.5'].map((id) => ({ op: `get ${MEDIA}`, status: 400, url: mediaUrl(id), invalid: 'id' })),
  { op: `get ${MEDIA}`, status: 404, url: mediaUrl(999999) },
  ...hidden.map((a) => ({ op: `get ${MEDIA}`, status: 404, url: mediaUrl(idOf(a)) })),
  ...common(MEDIA, mediaUrl(idOf(arabic))),
  ...preflight(MEDIA, mediaUrl(idOf(english))),

  ...LISTS.flatMap((list) => [
    { op: `get ${list}`, status: 200, url: list },
    { op: `get ${list}`, status: 200, url: `${list}?per_page=2&page=2` },
    { op: `get ${list}`, status: 200, url: `${list}?page=50` },
    { op: `get ${list}`, status: 400, url: `${list}?page=0` },
    { op: `get ${list}`, status: 400, url: `${list}?per_page=abc` },
    { op: `get ${list}`, status: 400, url: list + BAD_QUERY },
    ...common(list, list),
    ...preflight(list, list),
  ]),
];

// ---- ratings and comments ----

const RATING = '/api/v1/articles/{id}/rating';
const COMMENTS = '/api/v1/articles/{id}/comments';
const MINE = '/api/v1/articles/{id}/comments/mine';
const APP = 'https://app.example.org';
const EVIL = 'https://evil.example';
const SELF = (s) => s.base;
const MAIN_SETTINGS = {
  comment_min_seconds: '0', comment_flood_seconds: '0', comment_flood_hourly: '100000',
  rating_ip_cap: '1000000', api_origins: `https://other.example ${APP}`,
};

const live = SITE.articles.filter((a) => !hidden.includes(a));
// The article rated, the one commented on, one without comments.
const rated = english;
const commented = live.find((a) => a.lang === 'en' && a !== english);
const quiet = live.find((a) => !(a.comments || []).length);
// An email with an approved comment in the demo: its comments are approved.
const KNOWN = SITE.articles.flatMap((a) => a.comments || []).find((c) => c.status === 'approved').email;
const approvedOf = (a) => (a.comments || []).filter((c) => c.status === 'approved').length;
const ratingUrl = (a) => `${ARTICLES}/${typeof a === 'object' ? idOf(a) : a}/rating`;
const commentsUrl = (a) => `${ARTICLES}/${typeof a === 'object' ? idOf(a) : a}/comments`;
const mineUrl = (a) => `${commentsUrl(a)}/mine`;
const R = ratingUrl(rated);
const C = commentsUrl(commented);
const M = mineUrl(commented);
// The longest email address allowed: 254 characters.
const EMAIL_254 = `${'a'.repeat(64)}@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(63)}.org`;
const BIG = { stars: 3, name: 'x', email: 'x@example.org', body: 'x'.repeat(70000) };

// Readers, and what the cases learn as they run.
const voter = reader();
const writer = reader();
const regular = reader();
const made = {};

// A comment of the new commenter.
const note = (extra = {}) => ({ name: 'Nadia Haddad', email: 'nadia@example.net', body: 'A first comment.', ...extra });
// A comment of the regular commenter, approved at once.
const known = (extra = {}) => ({ name: 'Ingrid V.', email: KNOWN, body: 'Another comment.', ...extra });

// Cases for the POST of a path: origin, type, size, method, address.
function writeGuards(template, url, body) {
  const op = `post ${template}`;
  return [
    { op, status: 403, url, body, headers: { origin: EVIL } },
    { op, status: 403, url, body, headers: { origin: `${APP}:8443` } },
    { op, status: 403, url, body, headers: { origin: 'null' } },
    { op, status: 403, url, body, headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } },
    { op, status: 403, url, body, headers: { 'sec-fetch-site': 'cross-site' } },
    { op, status: 403, url, body, headers: { 'sec-fetch-site': 'same-site' } },
    { op, status: 405, url, body, method: 'PATCH' },
    { op, status: 413, url, body: BIG },
    { op, status: 414, url: url + LONG_QUERY, body },
    { op, status: 400, url: url + BAD_QUERY, body, invalid: null },
    { op, status: 406, url, body, headers: { accept: 'text/html' } },
    { op, status: 415, url, body, type: 'text/plain' },
    { op, status: 415, url, body, type: 'application/x-www-form-urlencoded' },
    { op, status: 415, url, body, type: 'application/jsonp' },
    { op, status: 415, url, body, type: null },
    { op, status: 400, url, body: 'not json', invalid: 'body' },
    { op, status: 400, url, body: '[1, 2]', invalid: 'body' },
    { op, status: 400, url, type: 'application/json', body: '', invalid: 'body' },
    ...['abc', '0', '1.5'].map((id) => ({ op, status: 400, url: url.replace(/\/\d+\//, `/${id}/`), body, invalid: 'id' })),
    { op, status: 404, url: url.replace(/\/\d+\//, '/999999/'), body },
    ...hidden.map((a) => ({ op, status: 404, url: url.replace(/\/\d+\//, `/${idOf(a)}/`), body })),
  ];
}

// Cases for the preflight of a path that takes POST: who may write.
function writePreflight(template, url) {
  const op = `options ${template}`;
  const ask = (origin) => ({ origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
  return [
    { op, status: 204, url, headers: ask(APP),
      expect: (res) => {
        assert.equal(res.headers.get('access-control-allow-origin'), APP, 'an origin of api_origins is named');
        assert.equal(res.headers.get('vary'), 'Origin');
      } },
    { op, status: 204, url, headers: ask(SELF),
      expect: (res) => assert.equal(res.headers.get('access-control-allow-origin'), stack.base, 'the site itself is named') },
    { op, status: 204, url, headers: ask(EVIL),
      expect: (res) => {
        assert.equal(res.headers.get('access-control-allow-origin'), null, 'another site is not allowed');
        assert.equal(res.headers.get('vary'), null);
      } },
    { op, status: 204, url, headers: { origin: EVIL, 'access-control-request-method': 'GET' },
      expect: (res) => assert.equal(res.headers.get('access-control-allow-origin'), '*', 'anyone may read') },
  ];
}

const RATING_CASES = [
  { op: `get ${RATING}`, status: 200, url: R,
    expect: (res, doc) => {
      assert.equal(doc.article_id, idOf(rated));
      assert.equal(doc.count, rated.ratings.length);
      assert.equal(doc.your_vote, null, 'no vote without a cookie');
      made.count = doc.count;
    } },
  { op: `get ${RATING}`, status: 200, url: ratingUrl(arabic), headers: { cookie: 'gz_visitor=not-a-reader' },
    expect: (res, doc) => assert.equal(doc.your_vote, null) },
  { op: `get ${RATING}`, status: 200, url: ratingUrl(quiet) },
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 4 }, jar: voter,
    expect: (res, doc) => {
      assert.ok(res.headers.get('set-cookie'), 'a new reader is given a cookie');
      assert.deepEqual([doc.your_vote, doc.count], [4, made.count + 1]);
    } },
  { op: `get ${RATING}`, status: 200, url: R, jar: voter,
    expect: (res, doc) => assert.deepEqual([doc.your_vote, doc.count], [4, made.count + 1]) },
  { op: `post ${RATING}`, status: 400, url: R, body: { stars: 2, comment: 'no' }, jar: voter, invalid: 'comment', rejected: true },
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 2 }, jar: voter,
    type: 'application/json; charset=utf-8',
    expect: (res, doc) => {
      assert.equal(res.headers.get('set-cookie'), null, 'a known reader keeps its cookie');
      assert.deepEqual([doc.your_vote, doc.count], [2, made.count + 1], 'the vote is changed, not added');
    } },
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 5 }, headers: { origin: SELF, 'sec-fetch-site': 'same-origin' } },
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 1 }, headers: { origin: APP, 'sec-fetch-site': 'cross-site' } },
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 3 }, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } },
  { op: `post ${RATING}`, status: 200, url: ratingUrl(arabic), body: { stars: 5 },
    expect: (res, doc) => assert.equal(doc.your_vote, 5) },
  ...[{ stars: 0 }, { stars: 6 }, { stars: 2.5 }, { stars: '4' }, { stars: null }, { stars: [4] }, {}]
    .map((body) => ({ op: `post ${RATING}`, status: 400, url: R, body, invalid: 'stars', rejected: true })),
  { op: `post ${RATING}`, status: 400, url: R, body: { Stars: 4 }, invalid: 'Stars', rejected: true },
  ...writeGuards(RATING, R, { stars: 4 }),
  ...['abc', '0', '-1', '1.5'].map((id) => ({ op: `get ${RATING}`, status: 400, url: ratingUrl(id), invalid: 'id' })),
  { op: `get ${RATING}`, status: 400, url: R + BAD_QUERY, invalid: null },
  { op: `get ${RATING}`, status: 404, url: ratingUrl(999999) },
  ...hidden.map((a) => ({ op: `get ${RATING}`, status: 404, url: ratingUrl(a) })),
  { op: `get ${RATING}`, status: 405, url: R, method: 'PUT',
    expect: (res) => assert.equal(res.headers.get('allow'), 'GET, HEAD, POST, OPTIONS') },
  { op: `get ${RATING}`, status: 405, url: R, method: 'DELETE' },
  { op: `get ${RATING}`, status: 414, url: R + LONG_QUERY },
  { op: `get ${RATING}`, status: 406, url: R, headers: { accept: 'text/html' } },
  ...preflight(RATING, R),
  ...writePreflight(RATING, R),
];

const COMMENT_CASES = [
  { op: `get ${COMMENTS}`, status: 200, url: C,
    expect: (res, doc) => {
      assert.equal(doc.meta.total, approvedOf(commented), 'every approved comment of the demo');
      assert.equal(doc.meta.per_page, 50, 'the default page size');
      const ids = doc.data.map((x) => x.id);
      for (const x of doc.data) if (x.parent_id !== null) assert.ok(ids.indexOf(x.parent_id) < ids.indexOf(x.id), 'a reply follows its comment');
    } },
  { op: `get ${COMMENTS}`, status: 200, url: commentsUrl(english),
    expect: (res, doc) => { made.elsewhere = doc.data[0].id; } },
  { op: `get ${COMMENTS}`, status: 200, url: `${C}?per_page=1&page=2`,
    expect: (res, doc) => {
      assert.equal(doc.data.length, 1);
      assert.match(res.headers.get('link'), /rel="next".*rel="prev"/);
    } },
  { op: `get ${COMMENTS}`, status: 200, url: `${C}?per_page=100` },
  { op: `get ${COMMENTS}`, status: 200, url: `${C}?page=99`, expect: (res, doc) => assert.equal(doc.data.length, 0) },
  { op: `get ${COMMENTS}`, status: 200, url: commentsUrl(arabic) },
  { op: `get ${COMMENTS}`, status: 200, url: commentsUrl(quiet), expect: (res, doc) => assert.equal(doc.meta.total, 0) },
  ...['abc', '0', '-1', '1.5'].map((id) => ({ op: `get ${COMMENTS}`, status: 400, url: commentsUrl(id), invalid: 'id' })),
  { op: `get ${COMMENTS}`, status: 400, url: `${C}?page=0`, invalid: 'page' },
  { op: `get ${COMMENTS}`, status: 400, url: `${C}?per_page=101`, invalid: 'per_page' },
  { op: `get ${COMMENTS}`, status: 400, url: `${C}?per_page=abc`, invalid: 'per_page' },
  { op: `get ${COMMENTS}`, status: 400, url: C + BAD_QUERY, invalid: null },
  { op: `get ${COMMENTS}`, status: 404, url: commentsUrl(999999) },
  ...hidden.map((a) => ({ op: `get ${COMMENTS}`, status: 404, url: commentsUrl(a) })),
  ...common(COMMENTS, C, true),

  // A new commenter is held; the regular one is approved and may reply.
  { op: `post ${COMMENTS}`, status: 201, url: C, body: note(), jar: writer,
    expect: (res, doc) => {
      assert.ok(res.headers.get('set-cookie'), 'a new reader is given a cookie');
      assert.equal(doc.status, 'held', 'a first-time commenter waits for a moderator');
      assert.equal(doc.author_name, 'Nadia Haddad');
      made.held = doc.id;
    } },
  { op: `post ${COMMENTS}`, status: 201, url: C, jar: writer, type: 'application/json; charset=utf-8',
    body: note({ name: '  Nadia  ', body: 'Line one\r\nLine two <b>&</b> see https://example.org/a?b=1&c=2 ', parent_id: null }),
    expect: (res, doc) => {
      assert.equal(doc.author_name, 'Nadia', 'white space at the ends is removed');
      assert.equal(doc.body, 'Line one\nLine two <b>&</b> see https://example.org/a?b=1&c=2');
      assert.equal(doc.body_html, 'Line one\nLine two &lt;b&gt;&amp;&lt;/b&gt; see '
        + '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc">https://example.org/a?b=1&amp;c=2</a>');
      assert.equal(doc.parent_id, null);
    } },
  { op: `post ${COMMENTS}`, status: 201, url: C, body: known(), jar: regular,
    expect: (res, doc) => { assert.equal(doc.status, 'approved'); made.top = doc.id; } },
  { op: `post ${COMMENTS}`, status: 201, url: C, jar: regular, body: () => known({ parent_id: made.top }),
    expect: (res, doc) => { assert.deepEqual([doc.status, doc.parent_id], ['approved', made.top]); made.reply = doc.id; } },
  { op: `post ${COMMENTS}`, status: 201, url: C, jar: regular, body: () => known({ parent_id: made.reply }),
    expect: (res, doc) => { assert.equal(doc.parent_id, made.reply); made.deepest = doc.id; } },
  { op: `post ${COMMENTS}`, status: 400, url: C, jar: regular, body: () => known({ parent_id: made.deepest }), invalid: 'parent_id' },
  { op: `post ${COMMENTS}`, status: 400, url: C, jar: regular, body: () => known({ parent_id: made.held }), invalid: 'parent_id' },
  { op: `post ${COMMENTS}`, status: 400, url: C, jar: regular, body: () => known({ parent_id: made.elsewhere }), invalid: 'parent_id' },
  { op: `post ${COMMENTS}`, status: 400, url: C, jar: regular, body: known({ extra: 1 }), invalid: 'extra' },
  { op: `post ${COMMENTS}`, status: 400, url: C, body: known({ parent_id: 999999 }), invalid: 'parent_id' },
  { op: `post ${COMMENTS}`, status: 201, url: C, jar: regular,
    body: known({ body: 'Three links: http://a.example/1 http://b.example/2 www.c.example' }),
    expect: (res, doc) => { assert.equal(doc.status, 'held', 'a link-heavy comment waits'); made.linky = doc.id; } },
  { op: `post ${COMMENTS}`, status: 201, url: C, headers: { origin: SELF, 'sec-fetch-site': 'same-origin' },
    body: known({ name: 'م'.repeat(100), body: 'ب'.repeat(5000) }),
    expect: (res, doc) => assert.equal(doc.status, 'held', 'a known email under a new name waits') },
  { op: `post ${COMMENTS}`, status: 201, url: C, headers: { origin: APP }, body: known({ email: EMAIL_254 }) },
  { op: `get ${COMMENTS}`, status: 200, url: C,
    expect: (res, doc) => {
      const ids = doc.data.map((x) => x.id);
      assert.ok([made.top, made.reply, made.deepest].every((id) => ids.includes(id)), 'approved comments are listed');
      assert.ok(!ids.includes(made.held) && !ids.includes(made.linky), 'held comments are not');
      assert.equal(doc.meta.total, approvedOf(commented) + 3);
    } },
  ...[
    [{ email: 'n@example.net', body: 'x' }, 'name'],
    [note({ name: '' }), 'name'],
    [note({ name: 'x'.repeat(101) }), 'name'],
    [note({ name: 'Two\nlines' }), 'name'],
    [note({ name: 42 }), 'name'],
    [{ name: 'Nadia', body: 'x' }, 'email'],
    [note({ email: '' }), 'email'],
    [note({ email: 'nadia.example.net' }), 'email'],
    [note({ email: 'nadia haddad@example.net' }), 'email'],
    [note({ email: `a${EMAIL_254}` }), 'email'],
    [{ name: 'Nadia', email: 'n@example.net' }, 'body'],
    [note({ body: '' }), 'body'],
    [note({ body: 'x'.repeat(5001) }), 'body'],
    [note({ body: ['x'] }), 'body'],
    [note({ parent_id: 0 }), 'parent_id'],
    [note({ parent_id: 1.5 }), 'parent_id'],
    [note({ parent_id: '1' }), 'parent_id'],
  ].map(([body, invalid]) => ({ op: `post ${COMMENTS}`, status: 400, url: C, body, invalid, rejected: true })),
  { op: `post ${COMMENTS}`, status: 400, url: C, body: note({ name: ' \t ' }), invalid: 'name' },
  { op: `post ${COMMENTS}`, status: 400, url: C, body: note({ email: 'nadia@localhost' }), invalid: 'email' },
  { op: `post ${COMMENTS}`, status: 400, url: C, body: note({ body: '\r\n\n ' }), invalid: 'body' },
  ...writeGuards(COMMENTS, C, note()),
  ...preflight(COMMENTS, C),
  ...writePreflight(COMMENTS, C),

  { op: `get ${MINE}`, status: 200, url: M, jar: writer,
    expect: (res, doc) => assert.equal(doc.data.length, 2, "the reader's two held comments") },
  { op: `get ${MINE}`, status: 200, url: M, jar: regular,
    expect: (res, doc) => assert.deepEqual(doc.data.map((x) => x.id), [made.linky], 'only held ones') },
  { op: `get ${MINE}`, status: 200, url: M, expect: (res, doc) => assert.deepEqual(doc.data, [], 'none without a cookie') },
  { op: `get ${MINE}`, status: 200, url: mineUrl(english), jar: writer, expect: (res, doc) => assert.deepEqual(doc.data, []) },
  ...['abc', '0', '1.5'].map((id) => ({ op: `get ${MINE}`, status: 400, url: mineUrl(id), invalid: 'id' })),
  { op: `get ${MINE}`, status: 400, url: M + BAD_QUERY, invalid: null },
  { op: `get ${MINE}`, status: 404, url: mineUrl(999999) },
  ...hidden.map((a) => ({ op: `get ${MINE}`, status: 404, url: mineUrl(a) })),
  { op: `get ${MINE}`, status: 405, url: M, method: 'POST', body: note() },
  { op: `get ${MINE}`, status: 405, url: M, method: 'DELETE' },
  { op: `get ${MINE}`, status: 406, url: M, headers: { accept: 'text/html' } },
  { op: `get ${MINE}`, status: 414, url: M + LONG_QUERY },
  ...preflight(MINE, M),
];

// On a site that allows one voter per address and a comment a minute.
const LIMITED_SETTINGS = { comment_min_seconds: '0', comment_flood_seconds: '60', rating_ip_cap: '1' };
const first = reader();
const LIMITED = [
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 5 }, jar: first },
  { op: `post ${RATING}`, status: 429, url: R, body: { stars: 4 } },
  { op: `post ${RATING}`, status: 200, url: R, body: { stars: 3 }, jar: first,
    expect: (res, doc) => assert.equal(doc.your_vote, 3, 'a voter may change the vote past the cap') },
  { op: `post ${RATING}`, status: 200, url: ratingUrl(arabic), body: { stars: 4 }, expect: (res, doc) => assert.equal(doc.your_vote, 4) },
  { op: `post ${COMMENTS}`, status: 201, url: C, body: note() },
  { op: `post ${COMMENTS}`, status: 429, url: C, body: known() },
  { op: `post ${COMMENTS}`, status: 400, url: C, body: note({ email: 'x' }), invalid: 'email' },
];

// With the articles table gone every read fails: the 500 answers.
// The public reads ask for addresses nginx has not kept (a query no case
// used before): a kept answer would be served in place of the error.
const FAILING = [
  { op: `get ${ARTICLES}`, status: 500, url: `${ARTICLES}?via=unreadable` },
  { op: `get ${PAGES}`, status: 500, url: `${PAGES}?via=unreadable` },
  { op: `get ${PAGE}`, status: 500, url: `${PAGES}/about?via=unreadable` },
  { op: `get ${BY_ID}`, status: 500, url: `${ARTICLES}/1?via=unreadable` },
  { op: `get ${BY_SLUG}`, status: 500, url: `${ARTICLES}/by-slug/${enc(english.slug)}?via=unreadable` },
  ...LISTS.map((list) => ({ op: `get ${list}`, status: 500, url: `${list}?via=unreadable` })),
  { op: `get ${MEDIA}`, status: 500, url: `${mediaUrl(idOf(english))}?via=unreadable` },
  { op: `get ${RATING}`, status: 500, url: R },
  { op: `post ${RATING}`, status: 500, url: R, body: { stars: 4 } },
  { op: `get ${COMMENTS}`, status: 500, url: `${C}?via=unreadable` },
  { op: `post ${COMMENTS}`, status: 500, url: C, body: known() },
  { op: `get ${MINE}`, status: 500, url: M },
];

// ---- the newsroom's routes, for apps with an API token ----

const NRP = '/api/v1/newsroom';
// What the newsroom's cases work on, made before they run: tokens (of an
// author, another author, an editor, and an editor's that may only read)
// and the ids of articles, a revision, a picture, comments, categories and
// tags.
const fx = { tok: {}, id: {} };
let stackRef = () => null;
const bearer = (who) => ({ authorization: () => `Bearer ${fx.tok[who]}` });
const withKey = (who, key) => ({ ...bearer(who), 'idempotency-key': key });
const STALE = '"0123456789abcdef0123456789abcdef"';
const BIG_ARTICLE = { title: 'x'.repeat(70000), category_id: 1 };
// An article's own routes take up to 1 MiB (a text of 200,000 bytes, escaped).
const HUGE_ARTICLE = { title: 'x', category_id: 1, body: 'x'.repeat(1100000) };
const idUrl = (prefix, key, suffix = '') => () => `${NRP}${prefix}/${fx.id[key]}${suffix}`;

// A multipart upload of bytes (a function: they are made before the cases
// run) as the field file, with fields.
const uploadOf = (bytes, fields = {}) => () => {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'function' ? bytes() : bytes]), 'picture.jpg');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
};
const POLYGLOT = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html>not a picture</html>')]);

// Every newsroom path with the operations it takes, and a path of it that
// exists (for the answers every operation shares).
const NR_PATHS = [
  { template: `${NRP}/me`, url: () => `${NRP}/me`, ops: ['get'] },
  { template: `${NRP}/articles`, url: () => `${NRP}/articles`, ops: ['get', 'post'] },
  { template: `${NRP}/articles/{id}`, url: idUrl('/articles', 'draft'), ops: ['get', 'patch', 'delete'] },
  ...['submit', 'publish', 'schedule', 'unpublish'].map((s) => ({ template: `${NRP}/articles/{id}/${s}`, url: idUrl('/articles', 'draft', `/${s}`), ops: ['post'] })),
  { template: `${NRP}/articles/{id}/revisions`, url: idUrl('/articles', 'draft', '/revisions'), ops: ['get'] },
  { template: `${NRP}/articles/{id}/revisions/{rid}/restore`, url: () => `${NRP}/articles/${fx.id.draft}/revisions/${fx.id.revision}/restore`, ops: ['post'] },
  { template: `${NRP}/media`, url: () => `${NRP}/media`, ops: ['post'] },
  { template: `${NRP}/media/{id}`, url: idUrl('/media', 'media'), ops: ['get', 'patch'] },
  { template: `${NRP}/categories`, url: () => `${NRP}/categories`, ops: ['post'] },
  { template: `${NRP}/categories/{id}`, url: idUrl('/categories', 'category'), ops: ['patch', 'delete'] },
  { template: `${NRP}/tags`, url: () => `${NRP}/tags`, ops: ['post'] },
  { template: `${NRP}/tags/{id}`, url: idUrl('/tags', 'tag'), ops: ['patch', 'delete'] },
  { template: `${NRP}/comments`, url: () => `${NRP}/comments`, ops: ['get'] },
  ...['approve', 'spam', 'trash', 'replies'].map((s) => ({ template: `${NRP}/comments/{id}/${s}`, url: idUrl('/comments', 'approved', `/${s}`), ops: ['post'] })),
];

// What an operation sends to get past the checks before its handler: a
// JSON body when it takes one (the handler may refuse it), a small upload.
function passBody(template, method) {
  if (template === `${NRP}/media` && method === 'post') return uploadOf(() => fx.small);
  if (['post', 'patch'].includes(method) && !/\/(submit|publish|unpublish|restore|approve|spam|trash)$/.test(template)) return {};
  return undefined;
}

// The answers every operation of the newsroom shares: no token (401), the
// Accept header (406), an address too long (414); and the preflight of
// every path (204, 400, 414).
const NR_SHARED = NR_PATHS.flatMap(({ template, url, ops }) => [
  ...ops.flatMap((m) => [
    { op: `${m} ${template}`, status: 401, url, body: passBody(template, m), name: 'without a token',
      expect: (res) => assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="Gazette"') },
    { op: `${m} ${template}`, status: 406, url, headers: { ...bearer('editor'), accept: 'text/html' }, name: 'Accept: text/html' },
    { op: `${m} ${template}`, status: 414, url: () => url() + LONG_QUERY, name: 'a query too long', path: template },
  ]),
  { op: `options ${template}`, status: 204, url, name: 'a preflight from any origin',
    headers: { origin: 'https://app.example.org', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, if-match' } },
  { op: `options ${template}`, status: 400, url: () => url() + BAD_QUERY, name: 'a query that cannot be decoded', path: template },
  { op: `options ${template}`, status: 414, url: () => url() + LONG_QUERY, name: 'a query too long', path: template },
]);

// An Idempotency-Key case pair for a POST: the first request with key,
// then the same key with another query (422); and a key whose first
// request is still being answered (409, the row made by hand).
function keyed(template, url, who, body, okStatus) {
  const key = `key-${template}`;
  return [
    { op: `post ${template}`, status: okStatus, url, body, headers: withKey(who, key), name: 'with an Idempotency-Key' },
    { op: `post ${template}`, status: 422, url: () => `${url()}?again=1`, body, headers: withKey(who, key), path: template,
      name: 'the same key with another request', invalid: 'Idempotency-Key' },
    { op: `post ${template}`, status: 409, url, body, headers: withKey(who, `busy-${template}`), name: 'a key whose first request is still answered',
      before: () => sql(stackRef(), `INSERT INTO api_idempotency (user_id, key, fingerprint, status, created_at)
        VALUES (${fx.users[who]}, 'busy-${template}', zeroblob(32), 0, unixepoch())`),
      expect: (res) => assert.equal(res.headers.get('retry-after'), '1') },
  ];
}

const A = `${NRP}/articles`;
const AID = `${NRP}/articles/{id}`;
const NR_CASES = [
  { op: `get ${NRP}/me`, status: 200, url: `${NRP}/me`, headers: bearer('editor'),
    expect: (res, doc) => assert.deepEqual([doc.role, doc.token.scope], ['editor', 'write']) },
  { op: `get ${NRP}/me`, status: 400, url: `${NRP}/me${BAD_QUERY}` },
  { op: `get ${NRP}/me`, status: 405, url: `${NRP}/me`, method: 'PUT', headers: bearer('editor') },

  { op: `get ${A}`, status: 200, url: A, headers: bearer('author') },
  { op: `get ${A}`, status: 200, url: `${A}?status=published&per_page=2`, headers: bearer('editor'),
    expect: (res, doc) => assert.ok(doc.data.every((a) => a.status === 'published')) },
  { op: `get ${A}`, status: 400, url: `${A}?status=everything`, headers: bearer('editor'), invalid: 'status' },
  { op: `get ${A}`, status: 405, url: A, method: 'PUT', headers: bearer('editor') },
  { op: `post ${A}`, status: 201, url: A, headers: bearer('author'),
    body: { title: 'Filed from a phone', category_id: 1, tags: ['Harbour'], summary: 'Short.' },
    expect: (res, doc) => assert.equal(doc.status, 'draft') },
  ...keyed(A, () => A, 'author', { title: 'Filed once', category_id: 1 }, 201),
  { op: `post ${A}`, status: 400, url: A, headers: bearer('author'), body: { category_id: 1 }, invalid: 'title', rejected: true },
  { op: `post ${A}`, status: 400, url: A, headers: bearer('author'), body: { title: 'T', category_id: 1, status: 'published' }, invalid: 'status', rejected: true },
  { op: `post ${A}`, status: 403, url: A, headers: bearer('read'), body: { title: 'Read only', category_id: 1 } },
  { op: `post ${A}`, status: 413, url: A, headers: bearer('author'), body: HUGE_ARTICLE },
  { op: `post ${A}`, status: 415, url: A, headers: bearer('author'), body: 'title=x', type: 'application/x-www-form-urlencoded' },

  { op: `get ${AID}`, status: 200, url: idUrl('/articles', 'draft'), headers: bearer('author'), path: AID },
  { op: `get ${AID}`, status: 304, url: idUrl('/articles', 'draft'), headers: bearer('author'), path: AID,
    etagOf: idUrl('/articles', 'draft'), etagHeaders: bearer('author'), name: 'with If-None-Match' },
  { op: `get ${AID}`, status: 400, url: `${A}/abc`, headers: bearer('author'), invalid: 'id' },
  { op: `get ${AID}`, status: 403, url: idUrl('/articles', 'others'), headers: bearer('author'), path: AID, name: "another author's draft" },
  { op: `get ${AID}`, status: 404, url: `${A}/999999`, headers: bearer('author') },
  { op: `get ${AID}`, status: 405, url: idUrl('/articles', 'draft'), method: 'PUT', headers: bearer('author'), path: AID },
  { op: `patch ${AID}`, status: 200, url: idUrl('/articles', 'draft'), path: AID, headers: { ...bearer('author'), 'if-match': '*' },
    body: { summary: 'Changed from the phone', tags: ['Harbour', 'Ferries'] },
    expect: (res, doc) => assert.deepEqual(doc.tags, ['Ferries', 'Harbour']) },
  { op: `patch ${AID}`, status: 400, url: idUrl('/articles', 'draft'), path: AID, headers: { ...bearer('author'), 'if-match': '*' },
    body: { title: 42 }, invalid: 'title', rejected: true },
  { op: `patch ${AID}`, status: 403, url: idUrl('/articles', 'draft'), path: AID, headers: { ...bearer('read'), 'if-match': '*' }, body: { summary: 'x' } },
  { op: `patch ${AID}`, status: 404, url: `${A}/999999`, headers: { ...bearer('author'), 'if-match': '*' }, body: { summary: 'x' } },
  { op: `patch ${AID}`, status: 412, url: idUrl('/articles', 'draft'), path: AID, headers: { ...bearer('author'), 'if-match': STALE }, body: { summary: 'Stale' } },
  { op: `patch ${AID}`, status: 413, url: idUrl('/articles', 'draft'), path: AID, headers: bearer('author'), body: HUGE_ARTICLE },
  { op: `patch ${AID}`, status: 415, url: idUrl('/articles', 'draft'), path: AID, headers: { ...bearer('author'), 'if-match': '*' }, body: 'x', type: 'text/plain' },
  { op: `patch ${AID}`, status: 428, url: idUrl('/articles', 'draft'), path: AID, headers: bearer('author'), body: { summary: 'No ETag' } },
  { op: `delete ${AID}`, status: 204, url: idUrl('/articles', 'doomed'), path: AID, headers: bearer('editor') },
  { op: `delete ${AID}`, status: 404, url: idUrl('/articles', 'doomed'), path: AID, headers: bearer('editor'), name: 'deleted already' },
  { op: `delete ${AID}`, status: 400, url: `${A}/abc`, headers: bearer('editor'), invalid: 'id' },
  { op: `delete ${AID}`, status: 403, url: idUrl('/articles', 'draft'), path: AID, headers: bearer('author') },
  { op: `delete ${AID}`, status: 412, url: idUrl('/articles', 'draft'), path: AID, headers: { ...bearer('editor'), 'if-match': STALE } },

  ...[['submit', 'author', 'draft'], ['publish', 'editor', 'toPublish'], ['unpublish', 'editor', 'toUnpublish'], ['schedule', 'editor', 'toSchedule']]
    .flatMap(([s, who, key]) => {
      const t = `${AID}/${s}`;
      const url = idUrl('/articles', key, `/${s}`);
      const body = s === 'schedule' ? () => ({ published_at: new Date((Math.floor(Date.now() / 1000) + 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z') }) : undefined;
      return [
        ...keyed(t, url, who, body, 200),
        { op: `post ${t}`, status: 400, url: `${A}/abc/${s}`, headers: bearer(who), body, invalid: 'id' },
        { op: `post ${t}`, status: 403, url, path: t, headers: bearer(s === 'submit' ? 'read' : 'author'), body },
        { op: `post ${t}`, status: 404, url: `${A}/999999/${s}`, headers: bearer(who), body },
        { op: `post ${t}`, status: 405, url, path: t, method: 'GET', headers: bearer(who) },
        { op: `post ${t}`, status: 412, url, path: t, headers: { ...bearer(who), 'if-match': STALE }, body },
      ];
    }),
  { op: `post ${AID}/submit`, status: 409, url: idUrl('/articles', 'live', '/submit'), path: `${AID}/submit`, headers: bearer('editor'), name: 'a published article' },
  { op: `post ${AID}/publish`, status: 409, url: idUrl('/articles', 'toPublish', '/publish'), path: `${AID}/publish`, headers: bearer('editor'), name: 'published already' },
  { op: `post ${AID}/unpublish`, status: 409, url: idUrl('/articles', 'toUnpublish', '/unpublish'), path: `${AID}/unpublish`, headers: bearer('editor'), name: 'a draft already' },
  { op: `post ${AID}/schedule`, status: 400, url: idUrl('/articles', 'toSchedule', '/schedule'), path: `${AID}/schedule`, headers: bearer('editor'),
    body: { published_at: '2020-01-01T00:00:00Z' }, invalid: 'published_at', name: 'a time gone' },
  { op: `post ${AID}/schedule`, status: 413, url: idUrl('/articles', 'toSchedule', '/schedule'), path: `${AID}/schedule`, headers: bearer('editor'), body: BIG_ARTICLE },
  { op: `post ${AID}/schedule`, status: 415, url: idUrl('/articles', 'toSchedule', '/schedule'), path: `${AID}/schedule`, headers: bearer('editor'), body: 'x', type: 'text/plain' },

  { op: `get ${AID}/revisions`, status: 200, url: idUrl('/articles', 'draft', '/revisions'), path: `${AID}/revisions`, headers: bearer('author'),
    expect: (res, doc) => assert.ok(doc.data.length >= 2) },
  { op: `get ${AID}/revisions`, status: 400, url: `${A}/abc/revisions`, headers: bearer('author'), invalid: 'id' },
  { op: `get ${AID}/revisions`, status: 403, url: idUrl('/articles', 'others', '/revisions'), path: `${AID}/revisions`, headers: bearer('author') },
  { op: `get ${AID}/revisions`, status: 404, url: `${A}/999999/revisions`, headers: bearer('author') },
  { op: `get ${AID}/revisions`, status: 405, url: idUrl('/articles', 'draft', '/revisions'), path: `${AID}/revisions`, method: 'PUT', headers: bearer('author') },
  ...(() => {
    const t = `${AID}/revisions/{rid}/restore`;
    const url = () => `${A}/${fx.id.draft}/revisions/${fx.id.revision}/restore`;
    return [
      { op: `post ${t}`, status: 200, url, path: t, headers: { ...bearer('author'), 'if-match': '*' },
        expect: (res, doc) => assert.equal(doc.title, 'The first draft') },
      { op: `post ${t}`, status: 409, url, path: t, headers: { ...withKey('author', `busy-${t}`), 'if-match': '*' }, name: 'a key still answered',
        before: () => sql(stackRef(), `INSERT INTO api_idempotency (user_id, key, fingerprint, status, created_at)
          VALUES (${fx.users.author}, 'busy-${t}', zeroblob(32), 0, unixepoch())`) },
      { op: `post ${t}`, status: 200, url, path: t, headers: { ...withKey('author', `key-${t}`), 'if-match': '*' }, name: 'with an Idempotency-Key' },
      { op: `post ${t}`, status: 422, url: () => `${url()}?again=1`, path: t, headers: { ...withKey('author', `key-${t}`), 'if-match': '*' }, name: 'the same key with another request' },
      { op: `post ${t}`, status: 400, url: `${A}/1/revisions/abc/restore`, headers: bearer('author'), invalid: 'rid' },
      { op: `post ${t}`, status: 403, url, path: t, headers: { ...bearer('read'), 'if-match': '*' } },
      { op: `post ${t}`, status: 404, url: () => `${A}/${fx.id.draft}/revisions/999999/restore`, path: t, headers: { ...bearer('author'), 'if-match': '*' } },
      { op: `post ${t}`, status: 405, url, path: t, method: 'GET', headers: bearer('author') },
      { op: `post ${t}`, status: 412, url, path: t, headers: { ...bearer('author'), 'if-match': STALE } },
      { op: `post ${t}`, status: 428, url, path: t, headers: bearer('author') },
    ];
  })(),

  { op: `post ${NRP}/media`, status: 201, url: `${NRP}/media`, headers: bearer('author'), body: uploadOf(() => fx.small, { alt: 'A quay', caption: 'Boats.' }),
    expect: (res, doc) => { assert.equal(doc.alt, 'A quay'); assert.match(res.headers.get('location'), /\/api\/v1\/newsroom\/media\/\d+$/); } },
  { op: `post ${NRP}/media`, status: 201, url: `${NRP}/media`, headers: withKey('author', 'key-upload'), body: uploadOf(() => fx.small), name: 'with an Idempotency-Key' },
  { op: `post ${NRP}/media`, status: 201, url: `${NRP}/media`, headers: withKey('author', 'key-upload'), body: uploadOf(() => fx.small), name: 'the same key again',
    expect: (res) => assert.equal(res.headers.get('idempotent-replayed'), 'true') },
  { op: `post ${NRP}/media`, status: 409, url: `${NRP}/media`, headers: withKey('author', 'busy-upload'), body: uploadOf(() => fx.small), name: 'a key still answered',
    before: () => sql(stackRef(), `INSERT INTO api_idempotency (user_id, key, fingerprint, status, created_at)
      VALUES (${fx.users.author}, 'busy-upload', zeroblob(32), 0, unixepoch())`) },
  { op: `post ${NRP}/media`, status: 400, url: `${NRP}/media`, headers: bearer('author'), body: () => { const f = new FormData(); f.append('alt', 'No file'); return f; }, name: 'no file' },
  { op: `post ${NRP}/media`, status: 403, url: `${NRP}/media`, headers: bearer('read'), body: uploadOf(() => fx.small) },
  { op: `post ${NRP}/media`, status: 405, url: `${NRP}/media`, method: 'GET', headers: bearer('author') },
  { op: `post ${NRP}/media`, status: 413, url: `${NRP}/media`, headers: bearer('author'), body: uploadOf(() => Buffer.alloc(1536 * 1024, 7)), name: 'a file over upload_max_mb' },
  { op: `post ${NRP}/media`, status: 415, url: `${NRP}/media`, headers: bearer('author'), body: { file: 'x' }, name: 'JSON instead of a form' },
  { op: `post ${NRP}/media`, status: 415, url: `${NRP}/media`, headers: bearer('author'), body: uploadOf(Buffer.from('GIF? no: plain text')), name: 'a file that is no picture' },
  { op: `post ${NRP}/media`, status: 422, url: `${NRP}/media`, headers: bearer('author'), body: uploadOf(POLYGLOT), name: 'a damaged picture' },
  { op: `get ${NRP}/media/{id}`, status: 200, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, headers: bearer('other') },
  { op: `get ${NRP}/media/{id}`, status: 400, url: `${NRP}/media/abc`, headers: bearer('author'), invalid: 'id' },
  { op: `get ${NRP}/media/{id}`, status: 404, url: `${NRP}/media/999999`, headers: bearer('author') },
  { op: `get ${NRP}/media/{id}`, status: 405, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, method: 'PUT', headers: bearer('author') },
  { op: `patch ${NRP}/media/{id}`, status: 200, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, headers: bearer('author'), body: { credit: 'Photo: the desk' } },
  { op: `patch ${NRP}/media/{id}`, status: 400, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, headers: bearer('author'), body: { alt: 42 }, invalid: 'alt', rejected: true },
  { op: `patch ${NRP}/media/{id}`, status: 403, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, headers: bearer('other'), body: { alt: 'Mine' } },
  { op: `patch ${NRP}/media/{id}`, status: 404, url: `${NRP}/media/999999`, headers: bearer('author'), body: { alt: 'x' } },
  { op: `patch ${NRP}/media/{id}`, status: 413, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, headers: bearer('author'), body: { alt: 'x'.repeat(70000) } },
  { op: `patch ${NRP}/media/{id}`, status: 415, url: idUrl('/media', 'media'), path: `${NRP}/media/{id}`, headers: bearer('author'), body: 'x', type: 'text/plain' },

  ...[['categories', 'category', { name: 'Travel', description: 'Going places' }], ['tags', 'tag', { name: 'Night ferries' }]].flatMap(([kind, key, made]) => {
    const list = `${NRP}/${kind}`;
    const one = `${NRP}/${kind}/{id}`;
    const url = idUrl(`/${kind}`, key);
    return [
      { op: `post ${list}`, status: 201, url: list, headers: bearer('editor'), body: made },
      ...keyed(list, () => list, 'editor', { name: `${made.name} too` }, 201),
      { op: `post ${list}`, status: 400, url: list, headers: bearer('editor'), body: { name: '' }, invalid: 'name', rejected: true },
      { op: `post ${list}`, status: 403, url: list, headers: bearer('author'), body: { name: 'Not for authors' } },
      { op: `post ${list}`, status: 405, url: list, method: 'GET', headers: bearer('editor') },
      { op: `post ${list}`, status: 413, url: list, headers: bearer('editor'), body: { name: 'x'.repeat(70000) } },
      { op: `post ${list}`, status: 415, url: list, headers: bearer('editor'), body: 'x', type: 'text/plain' },
      { op: `patch ${one}`, status: 200, url, path: one, headers: bearer('editor'), body: { name: `${made.name}, renamed` } },
      { op: `patch ${one}`, status: 400, url, path: one, headers: bearer('editor'), body: { name: ['x'] }, invalid: 'name', rejected: true },
      { op: `patch ${one}`, status: 403, url, path: one, headers: bearer('author'), body: { name: 'x' } },
      { op: `patch ${one}`, status: 404, url: `${list}/999999`, headers: bearer('editor'), body: { name: 'x' } },
      { op: `patch ${one}`, status: 405, url, path: one, method: 'GET', headers: bearer('editor') },
      { op: `patch ${one}`, status: 409, url, path: one, headers: bearer('editor'), body: { slug: kind === 'categories' ? 'world' : 'climate' }, name: 'a slug in use' },
      { op: `patch ${one}`, status: 413, url, path: one, headers: bearer('editor'), body: { name: 'x'.repeat(70000) } },
      { op: `patch ${one}`, status: 415, url, path: one, headers: bearer('editor'), body: 'x', type: 'text/plain' },
      { op: `delete ${one}`, status: 204, url: idUrl(`/${kind}`, `${key}Doomed`), path: one, headers: bearer('editor') },
      { op: `delete ${one}`, status: 404, url: idUrl(`/${kind}`, `${key}Doomed`), path: one, headers: bearer('editor'), name: 'deleted already' },
      { op: `delete ${one}`, status: 403, url, path: one, headers: bearer('author') },
    ];
  }),
  { op: `post ${NRP}/categories`, status: 409, url: `${NRP}/categories`, headers: bearer('editor'), body: { name: 'World again', slug: 'world' }, name: 'a slug in use' },
  { op: `post ${NRP}/tags`, status: 409, url: `${NRP}/tags`, headers: bearer('editor'), body: { name: 'Climate' }, name: 'a slug in use' },
  { op: `delete ${NRP}/categories/{id}`, status: 400, url: () => `${NRP}/categories/${fx.id.category}?move_to=abc`, path: `${NRP}/categories/{id}`, headers: bearer('editor'), invalid: 'move_to' },
  { op: `delete ${NRP}/categories/{id}`, status: 409, url: `${NRP}/categories/1`, headers: bearer('editor'), name: 'with articles, no move_to', invalid: 'move_to' },
  { op: `delete ${NRP}/tags/{id}`, status: 400, url: `${NRP}/tags/abc`, headers: bearer('editor'), invalid: 'id' },

  { op: `get ${NRP}/comments`, status: 200, url: `${NRP}/comments`, headers: bearer('editor'),
    expect: (res, doc) => assert.ok(doc.data.every((x) => x.status === 'pending')) },
  { op: `get ${NRP}/comments`, status: 200, url: `${NRP}/comments?status=approved&per_page=3`, headers: bearer('editor') },
  { op: `get ${NRP}/comments`, status: 400, url: `${NRP}/comments?status=everything`, headers: bearer('editor'), invalid: 'status' },
  { op: `get ${NRP}/comments`, status: 403, url: `${NRP}/comments`, headers: bearer('author') },
  { op: `get ${NRP}/comments`, status: 405, url: `${NRP}/comments`, method: 'PUT', headers: bearer('editor') },
  ...[['approve', 'pending'], ['spam', 'spammed'], ['trash', 'trashed']].flatMap(([a, key]) => {
    const t = `${NRP}/comments/{id}/${a}`;
    const url = idUrl('/comments', key, `/${a}`);
    return [
      { op: `post ${t}`, status: 200, url, path: t, headers: bearer('editor') },
      ...keyed(t, url, 'editor', undefined, 200).slice(0, 2),
      keyed(t, url, 'editor', undefined, 200)[2],
      { op: `post ${t}`, status: 400, url: `${NRP}/comments/abc/${a}`, headers: bearer('editor'), invalid: 'id' },
      { op: `post ${t}`, status: 403, url, path: t, headers: bearer('author') },
      { op: `post ${t}`, status: 404, url: `${NRP}/comments/999999/${a}`, headers: bearer('editor') },
      { op: `post ${t}`, status: 405, url, path: t, method: 'GET', headers: bearer('editor') },
    ];
  }),
  ...(() => {
    const t = `${NRP}/comments/{id}/replies`;
    const url = idUrl('/comments', 'approved', '/replies');
    return [
      { op: `post ${t}`, status: 201, url, path: t, headers: bearer('editor'), body: { body: 'Thank you for writing.' },
        expect: (res, doc) => assert.deepEqual([doc.status, doc.parent_id], ['approved', fx.id.approved]) },
      ...keyed(t, url, 'editor', { body: 'Once.' }, 201),
      { op: `post ${t}`, status: 400, url, path: t, headers: bearer('editor'), body: { body: '' }, invalid: 'body', rejected: true },
      { op: `post ${t}`, status: 403, url, path: t, headers: bearer('author'), body: { body: 'x' } },
      { op: `post ${t}`, status: 404, url: `${NRP}/comments/999999/replies`, headers: bearer('editor'), body: { body: 'x' } },
      { op: `post ${t}`, status: 405, url, path: t, method: 'GET', headers: bearer('editor') },
      { op: `post ${t}`, status: 409, url: idUrl('/comments', 'spammed', '/replies'), path: t, headers: bearer('editor'), body: { body: 'To spam?' }, name: 'a comment that is not approved' },
      { op: `post ${t}`, status: 413, url, path: t, headers: bearer('editor'), body: { body: 'x'.repeat(70000) } },
      { op: `post ${t}`, status: 415, url, path: t, headers: bearer('editor'), body: 'x', type: 'text/plain' },
    ];
  })(),
];

// When the address is locked after failed tokens (429), and when the
// tokens cannot be read (500): one request to every operation, with a good
// token and what gets it past the checks before the handler.
const nrEvery = (status) => NR_PATHS.flatMap(({ template, url, ops }) => ops.map((m) => ({
  op: `${m} ${template}`, status, url, path: template, body: passBody(template, m), headers: { ...bearer('editor'), 'if-match': '*' },
  name: status === 429 ? 'from a locked address' : 'when the tokens cannot be read',
})));

// A short name for a case.
function caseName(c) {
  const h = c.headers || {};
  const shown = (v) => (typeof v === 'function' ? 'this site' : v);
  let extra = c.etagOf ? ' with If-None-Match' : h.accept ? ` Accept: ${h.accept}` : '';
  if (h.origin) extra += ` from ${shown(h.origin)}`;
  if (h['sec-fetch-site']) extra += ` (Sec-Fetch-Site: ${h['sec-fetch-site']})`;
  if (c.jar) extra += ' with the reader\'s cookie';
  const how = h['access-control-request-method'] ? ` (preflight ${h['access-control-request-method']})` : '';
  const raw = typeof c.url === 'function' ? c.path || c.op.split(' ')[1] : c.url;
  const url = raw.length > 90 ? `${raw.slice(0, 60)}...(${raw.length} bytes)` : raw;
  let body = '';
  if (c.name) return `${c.method || c.op.split(' ')[0].toUpperCase()} ${url}: ${c.name} → ${c.status}`;
  if (typeof c.body === 'function') body = ' (a reply)';
  else if (c.body !== undefined) {
    const text = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
    body = ` ${text.length > 70 ? `${text.slice(0, 50)}...(${text.length} bytes)` : text}`;
  }
  const type = c.type !== undefined ? ` as ${c.type || 'no type'}` : '';
  return `${c.method || c.op.split(' ')[0].toUpperCase()} ${url}${body}${type}${extra}${how} → ${c.status}`;
}

// ---- the tests ----

test('docs/openapi.yaml lints clean with the redocly recommended rules', () => {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'redocly');
  assert.ok(fs.existsSync(bin), 'node_modules/.bin/redocly is installed (npm install)');
  const r = spawnSync(bin, ['lint', '--format=json', SPEC_PATH], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120000,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    assert.fail(`redocly lint gave no report (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  }
  // redocly.yaml at the root turns off no-ambiguous-paths, with its reason.
  const left = report.problems;
  const problems = left
    .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`)
    .join('\n');
  assert.deepEqual(left.map((p) => p.severity), [], problems);
});

test('every /api/ route of the route table is in the description', () => {
  const routes = routeTable().filter((r) => r.pattern.startsWith('/api/'));
  assert.ok(routes.length > 0, 'the table lists API routes');
  for (const { method, pattern, role, csrf } of routes) {
    const route = pattern.replace(/:int\}/g, '}');
    const op = SPEC.paths[route]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${route} is documented`);
    // A route for apps with a token says so, and which role it needs.
    const token = op.security?.some((x) => 'apiToken' in x) ?? false;
    assert.equal(token, csrf === 'bearer', `${method} ${route}: the apiToken scheme`);
    assert.equal(op['x-gazette-role'], csrf === 'bearer' ? role : undefined, `${method} ${route}: its least role`);
  }
});

describe('the server answers as docs/openapi.yaml says', () => {
  before(async () => {
    stack = await startSite(MAIN_SETTINGS, { pictures: 'standins' });
    await waitForPictures(stack);
    const rows = PAGE_ROWS.map(([slug, title, html, status, position]) => `('${slug}', '${title}',
      '${html}', '${status}', ${position}, 1764230400, 1764230400)`).join(', ');
    // The server writes too (its queues): wait for its lock, as it waits for ours.
    execFileSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath, `INSERT INTO pages (slug, title, body_html, status, position,
      created_at, updated_at) VALUES ${rows}`]);
  });
  after(async () => { await stack?.stop(); });

  for (const c of [...CASES, ...RATING_CASES, ...COMMENT_CASES]) {
    test(caseName(c), async () => { await check(c); });
  }

  describe('on a site with tight limits on voters and comments', () => {
    let limited;
    before(async () => { limited = await startSite(LIMITED_SETTINGS); });
    after(async () => { await limited?.stop(); });
    for (const c of LIMITED) {
      test(caseName(c), async () => {
        const { res } = await check(c, limited);
        if (c.status === 429 && c.op.endsWith(COMMENTS)) {
          const wait = Number(res.headers.get('retry-after'));
          assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait} is within comment_flood_seconds`);
        }
      });
    }
  });

  describe('when the database cannot be read', () => {
    before(() => {
      execFileSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath,
        'ALTER TABLE articles RENAME TO articles_unreadable; ALTER TABLE pages RENAME TO pages_unreadable']);
    });
    after(() => {
      execFileSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath,
        'ALTER TABLE articles_unreadable RENAME TO articles; ALTER TABLE pages_unreadable RENAME TO pages']);
    });
    for (const c of FAILING) {
      test(caseName(c), async () => { await check(c); });
    }
  });

  describe("the newsroom's routes, for apps with an API token", () => {
    let nrStack;
    stackRef = () => nrStack;
    before(async () => {
      nrStack = await startSite({ upload_max_mb: '1', comment_min_seconds: '0', comment_flood_seconds: '0' });
      const roles = { author: 'author', other: 'author', editor: 'editor' };
      fx.users = {};
      for (const [who, role] of Object.entries(roles)) {
        addUser(nrStack, `nr-${who}`, role);
        fx.tok[who] = makeToken(nrStack, `nr-${who}`);
        fx.users[who] = sql(nrStack, `SELECT id FROM users WHERE username = 'nr-${who}'`)[0].id;
      }
      fx.tok.read = makeToken(nrStack, 'nr-editor', { name: 'Read only', scope: 'read' });
      fx.small = photo(64, 48);
      const make = async (who, title) => {
        const r = await call(nrStack, fx.tok[who], 'POST', `${NRP}/articles`, { body: { title, category_id: 1, body: 'Text.' } });
        assert.equal(r.status, 201, r.text);
        return r.doc.id;
      };
      fx.id.draft = await make('author', 'The first draft');
      fx.id.others = await make('other', "Another author's draft");
      fx.id.toPublish = await make('editor', 'To publish');
      fx.id.toUnpublish = await make('editor', 'To unpublish');
      fx.id.toSchedule = await make('editor', 'To schedule');
      fx.id.doomed = await make('editor', 'To delete');
      assert.equal((await call(nrStack, fx.tok.editor, 'POST', `${NRP}/articles/${fx.id.toUnpublish}/publish`)).status, 200);
      fx.id.live = sql(nrStack, 'SELECT min(id) AS id FROM articles WHERE live_at <= unixepoch()')[0].id;
      fx.id.revision = sql(nrStack, `SELECT min(id) AS id FROM revisions WHERE article_id = ${fx.id.draft}`)[0].id;
      const up = await call(nrStack, fx.tok.author, 'POST', `${NRP}/media`, { body: (() => { const f = new FormData(); f.append('file', new Blob([fx.small]), 'mine.jpg'); return f; })() });
      assert.equal(up.status, 201, up.text);
      fx.id.media = up.doc.id;
      fx.id.pending = sql(nrStack, "SELECT min(id) AS id FROM comments WHERE status = 'pending'")[0].id;
      const approved = sql(nrStack, "SELECT id FROM comments WHERE status = 'approved' AND parent_id IS NULL ORDER BY id LIMIT 3").map((r) => r.id);
      [fx.id.approved, fx.id.spammed, fx.id.trashed] = approved;
      const insert = (q) => sql(nrStack, q)[0].id;
      fx.id.category = insert("INSERT INTO categories (slug, name) VALUES ('nr-category', 'NR category') RETURNING id");
      fx.id.categoryDoomed = insert("INSERT INTO categories (slug, name) VALUES ('nr-doomed', 'NR doomed') RETURNING id");
      fx.id.tag = insert("INSERT INTO tags (slug, name) VALUES ('nr-tag', 'NR tag') RETURNING id");
      fx.id.tagDoomed = insert("INSERT INTO tags (slug, name) VALUES ('nr-tag-doomed', 'NR tag doomed') RETURNING id");
    });
    after(async () => { await nrStack?.stop(); });

    for (const c of [...NR_SHARED, ...NR_CASES]) {
      test(caseName(c), async () => {
        if (c.before) c.before();
        await check(c, nrStack);
      });
    }

    describe('when the tokens cannot be read', () => {
      before(() => { execFileSync('sqlite3', ['-cmd', '.timeout 5000', nrStack.dbPath, 'ALTER TABLE api_tokens RENAME TO api_tokens_unreadable']); });
      after(() => { execFileSync('sqlite3', ['-cmd', '.timeout 5000', nrStack.dbPath, 'ALTER TABLE api_tokens_unreadable RENAME TO api_tokens']); });
      for (const c of nrEvery(500)) test(caseName(c), async () => { await check(c, nrStack); });
    });

    describe('from an address locked after tokens that were not valid', () => {
      before(async () => {
        const r = await call(nrStack, `gzt_0000000000000000_${'0'.repeat(64)}`, 'GET', `${NRP}/me`);
        assert.equal(r.status, 401);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="Gazette", error="invalid_token"');
        sql(nrStack, "UPDATE login_failures SET failures = 10, locked_until = unixepoch() + 900 WHERE key LIKE 'token:%'");
      });
      after(() => { sql(nrStack, 'DELETE FROM login_failures'); });
      for (const c of nrEvery(429)) test(caseName(c), async () => { await check(c, nrStack); });
    });
  });

  test('every documented path, method and status was exercised', () => {
    const missing = [];
    for (const { method, path: p, op } of operations()) {
      for (const status of Object.keys(op.responses)) {
        if (!exercised.has(`${method} ${p} ${status}`)) missing.push(`${method.toUpperCase()} ${p} ${status}`);
      }
    }
    assert.deepEqual(missing, [], 'documented answers no test provoked');
  });
});
