// Webhooks: an admin registers a receiver in the newsroom; every event
// reaches it as a signed JSON POST, checked by the receiver that
// docs/api.md shows (run here as it is written there); a delivery that
// fails is tried again until the receiver is back, also after a restart of
// the server; one can be sent again by hand; private addresses are
// refused unless a setting allows them; a redirect is not followed; a
// receiver that never answers times out and holds no request; an https
// receiver is reached over TLS, and only with a certificate the system
// trusts.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from './harness.mjs';
import { RELAXED, addUser, gazette, signIn, sleep, sql, startSite } from './helpers.mjs';
import { NR, expectCall, makeToken, photo, uploadForm } from './newsroom_api.mjs';

const SECRET = 'a-shared-secret-for-the-test';

// The receiver of docs/api.md: the ```js block after <!-- webhook receiver -->.
function receiverSource() {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  const m = /<!-- webhook receiver -->\s*```js\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(m, 'docs/api.md shows a webhook receiver');
  return m[1];
}

// A port free a moment ago on 127.0.0.1.
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Runs the documented receiver on port; resolves to {lines (the events it
// accepted, parsed), stop()} once it listens.
async function startReceiver(file, port) {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r = { lines: [], errors: '', child };
  let rest = '';
  child.stdout.on('data', (d) => {
    rest += d;
    const parts = rest.split('\n');
    rest = parts.pop();
    for (const p of parts) if (p.trim()) r.lines.push(JSON.parse(p));
  });
  child.stderr.on('data', (d) => { r.errors += d; });
  r.stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return r;
    await sleep(50);
  }
  throw new Error(`the receiver did not start: ${r.errors}`);
}

// Waits until test() holds (at most ms); returns its last value.
async function until(test, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await test();
    if (v || Date.now() > end) return v;
    await sleep(100);
  }
}

// The deliveries as stored.
const deliveries = (stack, where = '1') => sql(stack, `SELECT id, webhook_id, event, state, attempts, last_status,
  last_error, last_answer FROM webhook_deliveries WHERE ${where} ORDER BY id`);

let stack;
let dir;
let file;
let port;
let receiver;
let editor;      // an editor's API token
let admin;       // the admin's browser in the newsroom
let hookId;
const category = () => sql(stack, "SELECT id FROM categories WHERE slug = 'world'")[0].id;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-webhooks-'));
  file = path.join(dir, 'receiver.mjs');
  fs.writeFileSync(file, receiverSource());
  port = await freePort();
  receiver = await startReceiver(file, port);
  stack = await startSite({ ...RELAXED, webhook_allow_private: 1, webhook_retry_seconds: 1, webhook_timeout_seconds: 2 });
  addUser(stack, 'hook-admin', 'admin');
  addUser(stack, 'hook-editor', 'editor');
  editor = makeToken(stack, 'hook-editor');
  admin = await signIn(stack, 'hook-admin');
});
after(async () => {
  await receiver?.stop();
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a receiver registered in the newsroom', () => {
  test('an admin registers it with the events it takes and a secret', async () => {
    await admin.get('/admin/webhooks');
    const fields = { url: `http://127.0.0.1:${port}/gazette`, secret: SECRET };
    for (const e of ['article.published', 'article.updated', 'article.unpublished', 'article.deleted',
      'comment.created', 'comment.approved', 'media.created']) fields[e] = '1';
    const r = await admin.post('/admin/webhooks', fields);
    assert.equal(r.status, 303, r.text.slice(0, 300));
    hookId = Number(/^\/admin\/webhooks\/(\d+)\?done=added$/.exec(r.location)?.[1]);
    assert.ok(hookId, r.location);
    const page = await admin.get(r.location);
    assert.match(page.text, new RegExp(`127\\.0\\.0\\.1:${port}/gazette`));
    assert.match(page.text, new RegExp(SECRET), 'the admin sees the secret to give the receiver');
    const none = await admin.post('/admin/webhooks', { url: 'https://hooks.example.org/x' });
    assert.equal(none.status, 400, 'an endpoint takes at least one event');
  });

  test('publishing an article reaches it, signed with the secret, with what readers see', async () => {
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Signed delivery', category_id: category() } });
    const before = receiver.lines.length;
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    const got = await until(() => receiver.lines.slice(before).find((l) => l.event === 'article.published' && l.data.id === d.doc.id));
    assert.ok(got, `the receiver accepted the event (signature and time checked): ${receiver.errors}`);
    assert.equal(got.data.title, 'Signed delivery');
    assert.equal(got.data.status, 'published');
    assert.equal(got.data.url, `${stack.base}/articles/signed-delivery`);
    assert.equal(got.data.api_url, `${stack.base}/api/v1/articles/${d.doc.id}`);
    assert.match(got.data.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const row = deliveries(stack, `id = ${got.delivery}`)[0];
    assert.deepEqual([row.state, row.attempts, row.last_status], ['delivered', 1, 204]);
    assert.equal(receiver.lines.slice(before).filter((l) => l.event === 'article.published').length, 1,
      'a draft made no event; the publication one');
  });

  test('the documented receiver refuses what is not signed with the secret, or too old', async () => {
    const body = JSON.stringify({ id: 999999, event: 'article.published', data: {} });
    const send = (headers) => fetch(`http://127.0.0.1:${port}/gazette`, { method: 'POST', body, headers });
    const ts = Math.floor(Date.now() / 1000);
    const sign = (key, t) => `sha256=${crypto.createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`;
    assert.equal((await send({ 'x-gazette-timestamp': String(ts), 'x-gazette-signature': sign('wrong', ts) })).status, 401);
    assert.equal((await send({ 'x-gazette-timestamp': String(ts - 600), 'x-gazette-signature': sign(SECRET, ts - 600) })).status, 401);
    assert.equal((await send({})).status, 401);
    assert.equal((await send({ 'x-gazette-timestamp': String(ts), 'x-gazette-signature': sign(SECRET, ts) })).status, 204,
      'and accepts what is');
    assert.ok(await until(() => receiver.lines.find((l) => l.delivery === 999999)), 'and handles it');
  });

  test('every event: updated, unpublished, deleted, comments created and approved, a picture', async () => {
    const start = receiver.lines.length;
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Many events', category_id: category() } });
    const pub = await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    await expectCall(stack, editor, 'PATCH', `${NR}/articles/${d.doc.id}`, 200,
      { body: { summary: 'Changed while public' }, headers: { 'if-match': pub.headers.get('etag') } });
    const held = await expectCall(stack, null, 'POST', `/api/v1/articles/${d.doc.id}/comments`, 201,
      { body: { name: 'Reader', email: `r${Date.now()}@example.net`, body: 'First!' } });
    await expectCall(stack, editor, 'POST', `${NR}/comments/${held.doc.id}/approve`, 200);
    const up = await expectCall(stack, editor, 'POST', `${NR}/media`, 201, { body: uploadForm(photo(200, 150), 'event.jpg', { alt: 'An event' }) });
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/unpublish`, 200);
    const again = await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    await expectCall(stack, editor, 'DELETE', `${NR}/articles/${d.doc.id}`, 204);
    const want = ['article.published', 'article.updated', 'comment.created', 'comment.approved', 'media.created',
      'article.unpublished', 'article.published', 'article.deleted'];
    const seen = await until(() => {
      const got = receiver.lines.slice(start).map((l) => l.event);
      return got.length >= want.length ? got : null;
    });
    assert.deepEqual(seen, want, 'each event once, in the order they happened');
    const lines = receiver.lines.slice(start);
    assert.equal(lines[1].data.summary, 'Changed while public');
    assert.deepEqual([lines[2].data.id, lines[2].data.status, lines[2].data.article_id], [held.doc.id, 'pending', d.doc.id]);
    assert.equal(lines[3].data.status, 'approved');
    assert.deepEqual([lines[4].data.id, lines[4].data.alt], [up.doc.id, 'An event']);
    assert.equal(lines[7].data.title, 'Many events', 'a deleted article is described as it was');
    assert.ok(again.doc.live);
  });

  test('a scheduled article is announced when its time comes', async () => {
    const start = receiver.lines.length;
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Due later', category_id: category() } });
    const when = new Date((Math.floor(Date.now() / 1000) + 3) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/schedule`, 200, { body: { published_at: when } });
    await sleep(1500);
    assert.equal(receiver.lines.slice(start).length, 0, 'nothing before its time');
    const got = await until(() => receiver.lines.slice(start).find((l) => l.event === 'article.published'), 10000);
    assert.ok(got, 'announced once its time came');
    assert.deepEqual([got.data.id, got.data.published_at], [d.doc.id, when]);
    await sleep(1500);
    assert.equal(receiver.lines.slice(start).length, 1, 'once');
  });
});

describe('when the receiver is down', () => {
  test('a delivery fails, is tried again, and arrives once the receiver is back', async () => {
    await receiver.stop();
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'While it was down', category_id: category() } });
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    const failing = await until(() => {
      const row = deliveries(stack, `event = 'article.published' AND state = 'pending' AND attempts >= 2`)[0];
      return row || null;
    });
    assert.ok(failing, 'it failed twice and waits for another try');
    assert.match(failing.last_error, /refused/i, 'the newsroom shows why');
    assert.equal(failing.last_status, null);
    const page = await admin.get(`/admin/webhooks/${hookId}`);
    assert.match(page.text, /waiting/, 'shown waiting in the newsroom');
    receiver = await startReceiver(file, port);
    const got = await until(() => receiver.lines.find((l) => l.delivery === failing.id), 20000);
    assert.ok(got, 'delivered once the receiver is back');
    const row = deliveries(stack, `id = ${failing.id}`)[0];
    assert.equal(row.state, 'delivered');
    assert.ok(row.attempts >= 3, `attempts: ${row.attempts}`);
  });

  test('the queue survives a restart of the server', async () => {
    await receiver.stop();
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Across a restart', category_id: category() } });
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    const id = await until(() => deliveries(stack, "state = 'pending'")[0]?.id);
    assert.ok(id, 'a delivery waits');
    await stack.restartGazette({
      whileStopped: async () => { receiver = await startReceiver(file, port); },
    });
    const got = await until(() => receiver.lines.find((l) => l.delivery === id), 20000);
    assert.ok(got, 'sent by the restarted server');
  });

  test('an admin sends a delivery again by hand', async () => {
    const row = deliveries(stack, "state = 'delivered'").at(-1);
    // Its own work only: another delivery may still land meanwhile.
    const done = () => receiver.lines.filter((l) => l.delivery === row.id).length;
    const before = done();
    await admin.get(`/admin/webhooks/${hookId}`);
    const r = await admin.post(`/admin/webhooks/${hookId}/deliveries/${row.id}/redeliver`);
    assert.equal(r.status, 303);
    const again = await until(() => {
      const now = deliveries(stack, `id = ${row.id}`)[0];
      return now.attempts > row.attempts && now.state === 'delivered' ? now : null;
    });
    assert.ok(again, 'sent once more');
    assert.equal(done(), before, 'the receiver saw its id before and did the work once');
  });
});

describe('addresses, redirects and slow receivers', () => {
  test('a private address is refused by default, when registered and when delivering', async () => {
    assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'webhook_allow_private', '0']).status, 0);
    await admin.get('/admin/webhooks');
    for (const url of [`http://127.0.0.1:${port}/x`, 'http://10.1.2.3/x', 'http://[::1]:8080/x', 'http://localhost/x',
      'http://169.254.169.254/latest/meta-data', 'http://192.168.0.10/x']) {
      const r = await admin.post('/admin/webhooks', { url, 'article.published': '1' });
      assert.equal(r.status, 400, url);
      assert.match(r.text, /private, loopback or link-local/, url);
    }
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM webhooks')[0].n, 1, 'none of them was registered');
    const before = receiver.lines.length;
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Not to loopback', category_id: category() } });
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    const refused = await until(() => deliveries(stack, "last_error LIKE 'refused%'")[0]);
    assert.ok(refused, 'the registered loopback receiver is refused at delivery too');
    await sleep(500);
    assert.equal(receiver.lines.length, before, 'it received nothing');
    assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'webhook_allow_private', '1']).status, 0);
    assert.ok(await until(() => receiver.lines.find((l) => l.delivery === refused.id), 20000), 'allowed again: delivered');
  });

  test('a redirect is not followed; a receiver that never answers times out and holds no request', async () => {
    let redirected = 0;
    let hit = 0;
    let targetPort = 0; // kept: a retry may reach the mover after the target is closed
    const target = http.createServer((req, res) => { hit++; res.end(); });
    const mover = http.createServer((req, res) => {
      redirected++;
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.1:${targetPort}/` });
      res.end();
    });
    const sockets = [];
    const silent = net.createServer((s) => { sockets.push(s); s.on('error', () => {}); });
    await Promise.all([target, mover, silent].map((srv) => new Promise((r) => srv.listen(0, '127.0.0.1', r))));
    targetPort = target.address().port;
    try {
      await admin.get('/admin/webhooks');
      for (const srv of [mover, silent]) {
        const r = await admin.post('/admin/webhooks', { url: `http://127.0.0.1:${srv.address().port}/`, 'article.updated': '1' });
        assert.equal(r.status, 303);
      }
      const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Moved and silent', category_id: category() } });
      const pub = await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
      const started = Date.now();
      await expectCall(stack, editor, 'PATCH', `${NR}/articles/${d.doc.id}`, 200,
        { body: { summary: 'Now' }, headers: { 'if-match': pub.headers.get('etag') } });
      const moved = await until(() => deliveries(stack, "event = 'article.updated' AND last_error LIKE '%redirect%'")[0]);
      assert.ok(moved, 'the redirect is a failure');
      assert.match(moved.last_error, /HTTP 307: redirect to http:\/\/127\.0\.0\.1:\d+\/ not followed/);
      assert.equal(hit, 0, 'its target was never asked');
      assert.ok(redirected >= 1);
      // While the silent receiver holds the webhook thread, readers are answered at once.
      const t0 = Date.now();
      const page = await fetch(`${stack.base}/api/v1/articles?per_page=1`);
      assert.equal(page.status, 200);
      assert.ok(Date.now() - t0 < 1500, `a request answered in ${Date.now() - t0} ms`);
      const timedOut = await until(() => deliveries(stack, "event = 'article.updated' AND last_error = 'timed out'")[0], 20000);
      assert.ok(timedOut, 'the silent receiver timed out');
      assert.ok(Date.now() - started < 15000);
    } finally {
      for (const s of sockets) s.destroy();
      await Promise.all([target, mover, silent].map((srv) => new Promise((r) => srv.close(r))));
    }
  });
});

describe('https receivers', () => {
  let tls;
  let received = [];
  let certDir;
  before(async () => {
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-webhook-tls-'));
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'),
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `openssl: ${r.stderr}`);
    tls = https.createServer({ key: fs.readFileSync(path.join(certDir, 'key.pem')), cert: fs.readFileSync(path.join(certDir, 'cert.pem')) },
      (req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => { received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() }); res.writeHead(204).end(); });
      });
    await new Promise((resolve) => tls.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => tls?.close(resolve));
    if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
  });

  // Registers the TLS receiver on site s as its admin b, for article.published.
  async function register(s, b) {
    await b.get('/admin/webhooks');
    const r = await b.post('/admin/webhooks', { url: `https://127.0.0.1:${tls.address().port}/in`, secret: SECRET, 'article.published': '1' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
  }

  test('a certificate the system does not trust is refused: nothing is sent', async () => {
    sql(stack, 'UPDATE webhooks SET active = 0');
    await register(stack, admin);
    received = [];
    const d = await expectCall(stack, editor, 'POST', `${NR}/articles`, 201, { body: { title: 'Over TLS, untrusted', category_id: category() } });
    await expectCall(stack, editor, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
    const failed = await until(() => deliveries(stack, "last_error LIKE 'TLS%'")[0]);
    assert.ok(failed, 'the delivery failed in the handshake');
    assert.match(failed.last_error, /TLS handshake failed: self[- ]signed certificate/);
    assert.equal(received.length, 0);
  });

  test('a trusted certificate (here through SSL_CERT_FILE) is delivered to over TLS, signed', async () => {
    const before = process.env.SSL_CERT_FILE;
    process.env.SSL_CERT_FILE = path.join(certDir, 'cert.pem');
    let site;
    try {
      site = await startSite({ webhook_allow_private: 1 });
    } finally {
      if (before === undefined) delete process.env.SSL_CERT_FILE;
      else process.env.SSL_CERT_FILE = before;
    }
    try {
      addUser(site, 'tls-admin', 'admin');
      addUser(site, 'tls-editor', 'editor');
      const token = makeToken(site, 'tls-editor');
      await register(site, await signIn(site, 'tls-admin'));
      received = [];
      const d = await expectCall(site, token, 'POST', `${NR}/articles`, 201, { body: { title: 'Over TLS', category_id: 1 } });
      await expectCall(site, token, 'POST', `${NR}/articles/${d.doc.id}/publish`, 200);
      const got = await until(() => received[0]);
      assert.ok(got, `delivered: ${JSON.stringify(deliveries(site))}`);
      const ts = got.headers['x-gazette-timestamp'];
      const mac = crypto.createHmac('sha256', SECRET).update(`${ts}.${got.body}`).digest('hex');
      assert.equal(got.headers['x-gazette-signature'], `sha256=${mac}`);
      assert.equal(JSON.parse(got.body).data.title, 'Over TLS');
    } finally {
      await site?.stop();
    }
  });
});
