// Many readers voting and commenting at once, and gazette killed with
// SIGKILL in the middle: every vote and comment the site acknowledged must
// be in the database afterwards, the counters must equal the tables, and no
// answer may be a server error except for requests caught by the crash.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { RELAXED, SITE, gazette, sleep, sql } from './helpers.mjs';

const CLIENTS = 10;
const RUN_MS = 4500;      // how long the clients keep writing
const KILL_AT_MS = 2000;  // when gazette is killed, from the start of the run
const POST_GAP_MS = 105;  // nginx allows an address 10 POSTs a second
const REQUEST_TIMEOUT_MS = 15000;

// Live demo articles with their ids (1..n in the order of demo/site.json).
const LIVE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => ['published', 'scheduled'].includes(a.status) && Date.parse(a.published_at) <= Date.now());
const TARGETS = LIVE.slice(0, 4);
// Commenters with an approved comment: their name and email together are
// approved at once.
const KNOWN = [...new Map(SITE.articles.flatMap((a) => a.comments)
  .filter((c) => c.status === 'approved').map((c) => [`${c.name}\n${c.email}`, c])).values()];

// One simulated reader: its own source address on the loopback network (so
// that nginx's per-address POST limit is its own), its own connection and
// its visitor cookie once the site has given it one.
function makeClient(stack, n) {
  const localAddress = `127.0.0.${20 + n}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const client = { n, cookie: null, nextPost: 0 };

  // Send one request; resolves to {status, headers, text, start, end} or
  // {error, start, end} when the connection failed.
  client.request = (method, urlPath, body, type) => new Promise((resolve) => {
    const start = Date.now();
    const headers = {};
    if (client.cookie) headers.cookie = client.cookie;
    if (body !== undefined) {
      headers['content-type'] = type;
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({
      host: '127.0.0.1', port: stack.port, localAddress, agent, method, path: urlPath, headers,
      timeout: REQUEST_TIMEOUT_MS,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8'), start, end: Date.now(),
      }));
      res.on('error', (err) => resolve({ error: err.message, start, end: Date.now() }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ error: err.message, start, end: Date.now() }));
    if (body !== undefined) req.write(body);
    req.end();
  });

  // Send a POST no sooner than nginx's limit allows for this address, and
  // keep the visitor cookie the site sets.
  client.post = async (urlPath, body, type) => {
    const wait = client.nextPost - Date.now();
    if (wait > 0) await sleep(wait);
    client.nextPost = Date.now() + POST_GAP_MS;
    const r = await client.request('POST', urlPath, body, type);
    const set = [].concat(r.headers?.['set-cookie'] || []).find((c) => c.startsWith('gz_visitor='));
    if (set && !client.cookie) client.cookie = set.split(';')[0];
    return r;
  };
  client.close = () => agent.destroy();
  return client;
}

let stack;

before(async () => {
  stack = await startStack({ settings: RELAXED });
});

after(async () => {
  await stack?.stop();
});

test('acknowledged votes and comments survive a SIGKILL of gazette mid-run', async (t) => {
  const log = [];          // every answer: {client, kind, status|error, start, end}
  const comments = [];     // acknowledged comments: {id, body, article}
  const votes = new Map(); // "article voter" -> {acked: stars|null, later: [stars sent after it]}
  const crash = { start: Infinity, end: -Infinity };
  const runStart = Date.now();
  const deadline = runStart + RUN_MS;

  // Note a vote sent by client c; returns a function that records its answer.
  function voteSent(c, article, stars) {
    const voter = () => c.cookie && c.cookie.split('=')[1];
    const key0 = voter() ? `${article.id} ${voter()}` : null;
    if (key0) {
      if (!votes.has(key0)) votes.set(key0, { acked: null, later: [] });
      votes.get(key0).later.push(stars);
    }
    return (ok) => {
      if (!ok) return;
      const key = `${article.id} ${voter()}`;
      if (!votes.has(key)) votes.set(key, { acked: null, later: [] });
      const v = votes.get(key);
      v.acked = stars;
      v.later = [];
    };
  }

  // One reader's loop: vote (JSON and form), comment (JSON) and read, in turn.
  async function reader(c) {
    for (let step = 0; Date.now() < deadline; step++) {
      const article = TARGETS[(c.n + step) % TARGETS.length];
      const kind = ['vote-json', 'comment', 'vote-form', 'read'][step % 4];
      let r;
      if (kind === 'vote-json' || kind === 'vote-form') {
        const stars = 1 + ((c.n * 7 + step) % 5);
        const done = voteSent(c, article, stars);
        r = kind === 'vote-json'
          ? await c.post(`/api/v1/articles/${article.id}/rating`, JSON.stringify({ stars }), 'application/json')
          : await c.post(`/articles/${encodeURIComponent(article.slug)}/rating`, `stars=${stars}`,
            'application/x-www-form-urlencoded');
        done(kind === 'vote-json' ? r.status === 200 : r.status === 303);
      } else if (kind === 'comment') {
        const body = `Reader ${c.n}, comment ${step}: ${Math.random().toString(36).slice(2)}`;
        r = await c.post(`/api/v1/articles/${article.id}/comments`, JSON.stringify({
          name: KNOWN[c.n % KNOWN.length].name, email: KNOWN[c.n % KNOWN.length].email, body,
        }), 'application/json');
        if (r.status === 201) comments.push({ id: JSON.parse(r.text).id, body, article: article.id });
      } else {
        r = await c.request('GET', step % 8 === 3 ? `/articles/${encodeURIComponent(article.slug)}`
          : `/api/v1/articles/${article.id}/rating`);
      }
      log.push({ client: c.n, kind, status: r.status, error: r.error, start: r.start, end: r.end });
    }
  }

  // Kill gazette with SIGKILL once the run is under way, and start it again.
  async function killer() {
    await sleep(KILL_AT_MS);
    crash.start = Date.now();
    await stack.restartGazette({ signal: 'SIGKILL' });
    crash.end = Date.now();
  }

  const clients = Array.from({ length: CLIENTS }, (_, n) => makeClient(stack, n));
  try {
    await Promise.all([killer(), ...clients.map(reader)]);
  } finally {
    for (const c of clients) c.close();
  }

  // Answers: nothing 5xx, except nginx's 503 "try again" (or a broken
  // connection) for a request that was on its way while gazette was down.
  const caught = (e) => e.start <= crash.end && e.end >= crash.start;
  const bad = log.filter((e) => (e.error || e.status >= 500) && !(caught(e) && (e.error || e.status === 503)));
  assert.deepEqual(bad, [], 'no server error outside the crash');
  const acked = (kind, status) => log.filter((e) => e.kind === kind && e.status === status);
  const before = (list) => list.filter((e) => e.end < crash.start).length;
  const afterwards = (list) => list.filter((e) => e.start > crash.end).length;
  for (const [kind, status] of [['vote-json', 200], ['vote-form', 303], ['comment', 201]]) {
    const list = acked(kind, status);
    assert.ok(before(list) > 0 && afterwards(list) > 0,
      `${kind}: acknowledged both before and after the crash (${before(list)} / ${afterwards(list)})`);
  }
  const count = (f) => log.filter(f).length;
  t.diagnostic(`${log.length} requests from ${CLIENTS} readers; ${count((e) => e.status >= 200 && e.status < 400)} answered, `
    + `${count((e) => e.error || e.status === 503)} lost in the crash (gazette down ${crash.end - crash.start} ms)`);
  const refused = log.filter((e) => e.status >= 400 && e.status < 500);
  assert.ok(refused.length <= log.length / 10, `few refusals (${refused.length} of ${log.length}: ${[...new Set(refused.map((e) => `${e.kind} ${e.status}`))].join(', ')})`);

  // The site answers again after the restart.
  assert.equal((await get(stack.base, '/')).status, 200);
  assert.equal((await get(stack.base, `/articles/${encodeURIComponent(TARGETS[0].slug)}`)).status, 200);
  assert.equal((await get(stack.base, `/api/v1/articles/${TARGETS[0].id}/rating`)).status, 200);

  // Every acknowledged comment is stored, as sent.
  assert.ok(comments.length > 0);
  const stored = new Map(sql(stack, `SELECT id, body, article_id, status FROM comments WHERE id IN (${comments.map((c) => c.id).join(',')})`)
    .map((row) => [row.id, row]));
  for (const c of comments) {
    const row = stored.get(c.id);
    assert.ok(row, `acknowledged comment ${c.id} is in the database`);
    assert.deepEqual([row.body, row.article_id, row.status], [c.body, c.article, 'approved'], `comment ${c.id}`);
  }

  // Every acknowledged vote is stored with the last stars acknowledged, or
  // with stars of a later vote whose answer was lost in the crash.
  const rows = new Map(sql(stack, 'SELECT article_id, voter, stars FROM ratings')
    .map((row) => [`${row.article_id} ${row.voter}`, row.stars]));
  let checked = 0;
  for (const [key, v] of votes) {
    if (v.acked === null) continue;
    checked++;
    assert.ok(rows.has(key), `the acknowledged vote ${key} is in the database`);
    assert.ok([v.acked, ...v.later].includes(rows.get(key)),
      `vote ${key}: stored ${rows.get(key)}, acknowledged ${v.acked}, unanswered later ${v.later}`);
  }
  assert.ok(checked >= CLIENTS, `every reader had votes acknowledged (${checked})`);
  assert.deepEqual(sql(stack, 'SELECT article_id, voter FROM ratings GROUP BY 1, 2 HAVING count(*) > 1'), [],
    'one vote per reader and article');

  // The counters equal the tables.
  const check = gazette(stack, ['check', '--db', stack.dbPath]);
  assert.equal(check.status, 0, `gazette check: ${check.stderr}`);
  assert.doesNotMatch(stack.gazetteStderr(), /ERROR: AddressSanitizer|runtime error:|ThreadSanitizer/,
    'no sanitizer report before or after the crash');
});
