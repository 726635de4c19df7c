// Shared pieces of the HTTP and browser tests: the demo content, the
// gazette command line and the database of a running stack, paced form
// posts, cookies, a newsroom browser session, and the options of the
// headless Chromium the browser tests drive. Node built-ins only.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { BIN, ROOT, get, startStack } from './harness.mjs';

// ---- constants ----

export const FORM = 'application/x-www-form-urlencoded';
// An origin that is not the site's.
export const EVIL = 'http://evil.example';
// The password of every newsroom account the tests create.
export const PASSWORD = 'password123456';
// What a reader is told of a comment held for moderation.
export const AWAITING = 'Your comment is awaiting moderation.';
// Settings that lift the timing, flood and per-address guards on comments
// and votes, so that tests may write quickly from one address.
// page_stale_seconds 0: a vote shows on the article page at once (by
// default the cached page may show it up to ten seconds late).
export const RELAXED = Object.freeze({
  comment_min_seconds: 0, comment_flood_seconds: 0, comment_flood_hourly: 100000,
  rating_ip_cap: 1000000, page_stale_seconds: 0,
});

// What every answer others may share says to shared caches after its own
// max-age, with the default settings: keep it an hour (a change purges
// it sooner), serve it 30 s stale while fetching it anew, and a day stale
// while the server cannot answer.
export const SHARED = ', s-maxage=3600, stale-while-revalidate=30, stale-if-error=86400';

// The demo content (demo/site.json) every demo stack is loaded with; its
// articles get ids 1..n in this order. Read only: never change it.
export const SITE = JSON.parse(fs.readFileSync(path.join(ROOT, 'demo', 'site.json'), 'utf8'));

// ---- small utilities ----

// Resolve after ms milliseconds.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The public path of article a (anything with a slug).
export const urlOf = (a) => `/articles/${encodeURIComponent(a.slug)}`;

// The text s as Gazette must write it into HTML.
export function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// s (or '' for null/undefined) with runs of white space collapsed and trimmed,
// to compare texts as shown.
export const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

// The average a reader must see for these stars (a non-empty array): one decimal.
export function shown(stars) {
  const sum = stars.reduce((s, x) => s + x, 0);
  return (Math.round((sum * 10) / stars.length) / 10).toFixed(1);
}

// ---- the command line and the database ----

// Run the gazette command with args in the stack's directory, with input
// (optional) on stdin; returns spawnSync's result (status, stdout, stderr).
export function gazette(stack, args, input) {
  return spawnSync(BIN, args, { cwd: stack.dir, encoding: 'utf8', input });
}

// Create newsroom user name with role and password (default PASSWORD)
// through the command line; asserts that it succeeded.
export function addUser(stack, name, role, password = PASSWORD) {
  const r = gazette(stack, ['user', '--db', stack.dbPath, 'add', name, '--role', role], `${password}\n`);
  assert.equal(r.status, 0, `gazette user add ${name}: ${r.stderr}`);
}

// Assert that `gazette check` finds every article's counters equal to the tables.
export function assertCheck(stack) {
  const r = gazette(stack, ['check', '--db', stack.dbPath]);
  assert.equal(r.status, 0, `gazette check: ${r.stdout}${r.stderr}`);
}

// Run one SQL statement on the stack's database with sqlite3; asserts that
// it succeeded and returns its rows as objects ([] when none).
export function sql(stack, query) {
  // The server writes too (its purge queue): wait for its lock, as it waits for ours.
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', '-json', stack.dbPath, query],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// Resolve once the server has purged its own nginx of every change logged
// so far (a write made with sql() or the gazette command, which the
// server hears of only from the change log): the purge queue has read the
// whole log and no purge for nginx is due and unsent (nor due within half
// a second: the server may have queued one at a time after this process
// read its clock, and before sqlite3 read the queue). With quiet, also
// once the second purge of each recent change (sent a moment after the
// first) is done, so that what is kept from now on stays. Throws after ms.
export async function settle(stack, { quiet = false, ms = 5000 } = {}) {
  const end = Date.now() + ms;
  for (;;) {
    const [row] = sql(stack, `SELECT (SELECT seq FROM purge_cursor)
        >= (SELECT coalesce(max(seq), 0) FROM changes)
      AND NOT EXISTS (SELECT 1 FROM purges WHERE target = 'nginx' AND state = 'pending'
        AND due_ms <= ${Date.now() + (quiet ? 2000 : 500)}) AS done`);
    if (row.done) return;
    if (Date.now() > end) throw new Error(`the server did not purge its nginx within ${ms} ms`);
    await sleep(10);
  }
}

// Set the stack's base_url to its own address, so that a browser's Origin
// of this site counts as the site itself; throws if the command fails. The
// server reads it when it starts (see startSite).
export function setBaseUrl(stack) {
  const r = gazette(stack, ['setting', '--db', stack.dbPath, 'base_url', stack.base]);
  if (r.status !== 0) throw new Error(`gazette setting base_url: ${r.stderr}`);
}

// Start a demo stack with settings whose base_url is its own address, and
// restart its server so that this takes effect. On failure the stack is
// stopped and the error thrown. Resolves to the stack.
export async function startSite(settings, options = {}) {
  const stack = await startStack({ settings, ...options });
  try {
    setBaseUrl(stack);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  await stack.restartGazette();
  return stack;
}

// Resolves once the stack's background worker has made every queued size
// of every picture (at most ms milliseconds; throws after that).
export async function waitForPictures(stack, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const n = sql(stack, 'SELECT count(*) AS n FROM media_queue WHERE tries < 5')[0].n;
    if (n === 0) return;
    if (Date.now() > end) throw new Error(`${n} pictures still wait for their sizes`);
    await sleep(100);
  }
}

// ---- HTTP ----

// nginx lets one address send 10 POSTs a second (with a burst of 20); the
// tests send theirs at most that often, so that every answer is the site's.
export const POST_GAP_MS = 110;
let nextPost = 0;

// Resolve when the next POST may be sent: at least gapMs after the slot
// of the previous one (slots are taken in call order, so concurrent
// callers queue) and after the moment the previous one was let go.
export async function postSlot(gapMs = POST_GAP_MS) {
  const now = Date.now();
  const at = Math.max(now, nextPost);
  nextPost = at + gapMs;
  if (at > now) await sleep(at - now);
  nextPost = Math.max(nextPost, Date.now() + gapMs);
}

// POST body (a string) to urlPath on stack, paced by postSlot, following no
// redirect. opts: type (the Content-Type, default FORM; null for none),
// cookie, origin (none unless given) and more headers. Resolves to
// {status, headers, text}.
export async function post(stack, urlPath, body, { type = FORM, cookie, origin, headers = {} } = {}) {
  const h = { ...headers };
  if (type) h['content-type'] = type;
  if (cookie) h.cookie = cookie;
  if (origin) h.origin = origin;
  await postSlot();
  return get(stack.base, urlPath, { method: 'POST', headers: h, body });
}

// POST fields (an object or [name, value] pairs) urlencoded to urlPath, as
// post() does. opts: cookie, origin (default the site's own; null sends
// none). Resolves to {status, headers, text}.
export function postFields(stack, urlPath, fields, { cookie, origin = stack.base } = {}) {
  return post(stack, urlPath, new URLSearchParams(fields).toString(), { cookie, origin });
}

// The "name=value" of cookie name set by answer res, or null.
export function setCookie(res, name) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return line ? line.split(';')[0] : null;
}

// The signed token of the reply form on the page of article a; asserts
// that the page answers 200 with HTML and carries the token.
export async function replyToken(stack, a) {
  const url = urlOf(a);
  const r = await get(stack.base, url);
  assert.equal(r.status, 200, `${url}: status ${r.status}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${url}: an HTML answer`);
  const m = /<input type="hidden" name="token" value="([^"]+)">/.exec(r.text);
  assert.ok(m, 'the reply form carries a token');
  return m[1];
}

// ---- requests from other addresses ----

// The loopback address number n (1 <= n < 65536), 127.1.X.Y, never
// 127.0.0.1 (the tests' usual address). Linux routes all of 127.0.0.0/8 to the loopback interface, so
// a test can connect from any of them, and nginx passes that source
// address to gazette as REMOTE_ADDR, as it does a reader's: no header or
// test-only configuration stands in for the address.
export const loopback = (n) => `127.1.${(n >> 8) & 255}.${n & 255}`;

// Sends method urlPath to stack from the local address `from` (e.g.
// loopback(7)), with headers and body (a string), following no redirect.
// Resolves to {status, headers, text}; headers is a plain object of
// lower-case names (set-cookie an array).
export function requestFrom(stack, from, method, urlPath, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({
      host: '127.0.0.1', port: stack.port, localAddress: from, method, path: urlPath, headers: h,
      agent: false,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// ---- a newsroom session ----

// Newsroom form posts keep a slightly wider gap than the others.
const SESSION_POST_GAP_MS = 120;

// One browser: keeps the session cookie and the last page's CSRF token,
// sends Origin: base with every POST (unless headers set one), follows no
// redirects.
export class Browser {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }

  // Sends a request (a POST paced by postSlot, its fields urlencoded);
  // keeps any gz_session cookie and CSRF token in the answer. Returns
  // {status, headers, text, location}.
  async request(method, urlPath, { fields, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    let body;
    if (method === 'POST') {
      await postSlot(SESSION_POST_GAP_MS);
      if (!('Origin' in h)) h.Origin = this.base;
      h['Content-Type'] = FORM;
      body = new URLSearchParams(fields || []).toString();
    }
    const res = await fetch(this.base + urlPath, { method, headers: h, body, redirect: 'manual' });
    const text = await res.text();
    for (const c of res.headers.getSetCookie()) {
      const m = /^gz_session=([^;]*)/.exec(c);
      if (m) this.cookie = m[1] ? `gz_session=${m[1]}` : '';
    }
    const t = /name="csrf" value="([0-9a-f]+)"/.exec(text);
    if (t) this.csrf = t[1];
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') || '' };
  }

  // GETs urlPath; as request().
  get(urlPath) { return this.request('GET', urlPath); }

  // Posts fields (an object or [name, value] pairs) with this session's
  // CSRF token unless fields has its own; as request().
  post(urlPath, fields = {}, headers = {}) {
    const pairs = Array.isArray(fields) ? [...fields] : Object.entries(fields);
    if (!pairs.some(([k]) => k === 'csrf') && this.csrf) pairs.push(['csrf', this.csrf]);
    return this.request('POST', urlPath, { fields: pairs, headers });
  }

  // Signs in; asserts success and fetches a page to learn the CSRF token.
  // Resolves to this browser.
  async login(name, password = PASSWORD) {
    const r = await this.request('POST', '/admin/login', { fields: { username: name, password } });
    assert.equal(r.status, 303, `sign-in of ${name}: ${r.status} ${r.text.slice(0, 300)}`);
    const home = await this.get('/admin');
    assert.equal(home.status, 200);
    return this;
  }
}

// Signs name in with a new Browser on stack; resolves to that browser.
export const signIn = (stack, name, password) => new Browser(stack.base).login(name, password);

// ---- headless Chromium ----

// Options for playwright's chromium.launch(): CHROMIUM_BIN or the system's
// chromium, headless, without sandbox, GPU or background traffic.
export const CHROMIUM_LAUNCH = Object.freeze({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});

// Record what goes wrong in a playwright page: console errors, Content
// Security Policy reports and uncaught page errors. Returns the array the
// messages are appended to (empty while all is well).
export function watchPage(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(msg.text())) {
      problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}
