// The scale test's measurements (tests/scale/run sets up the hosts and
// runs this in the client's network namespace). It starts the origin
// (gazette and nginx) and the three edges (Varnish) in their namespaces,
// then shows, with figures:
//   1. the requests reaching the origin stay flat while the readers' load
//      on the edges grows tenfold;
//   2. a publication, an edit and an unpublication made in the newsroom
//      show on every edge within a second;
//   3. votes and comments through the edges count against the reader's
//      address, not an edge's, nor one the reader wrote in
//      X-Forwarded-For;
//   4. with the origin stopped, the edges keep serving readers (expired
//      copies, stale-if-error) and answer writes with a clean 503; once it
//      is back, writes go through again and no acknowledged write is lost.
// Every claim is an assertion: the run fails when one does not hold. The
// figures are printed, and written into docs/scale.md with
// SCALE_WRITE_DOCS=1.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const P = process.env.SCALE_PREFIX;
const DIR = process.env.SCALE_DIR;
const BIN = process.env.GAZETTE_BIN;
const ROOT = process.env.GAZETTE_ROOT;
const NGINX = process.env.NGINX_BIN;
const DB = path.join(DIR, 'gazette.db');
const ORIGIN = '10.77.0.1';
const EDGES = ['10.77.0.11', '10.77.0.12', '10.77.0.13'];
const CLIENT_A = '10.77.0.21';
const CLIENT_B = '10.77.0.22';
const PASSWORD = 'scale-test-password';
const LOAD = [100, 1000];      // readers' requests a second, then tenfold
const LOAD_SECONDS = 8;
const VISIBLE_MS = 1000;       // the target: on every edge within a second
const EDIT_EVERY_MS = 2000;    // the newsroom's pace during the load

const SITE = JSON.parse(fs.readFileSync(path.join(ROOT, 'demo', 'site.json'), 'utf8'));
const LIVE = SITE.articles.map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());
const enc = (slug) => `/articles/${encodeURIComponent(slug)}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const figures = {};
const children = [];

// ---- processes ---------------------------------------------------------

// Starts cmd with args in namespace ns (a short name: o, e1...); its
// output is kept. Returns {child, out, exited}.
function inNs(ns, cmd, args) {
  const child = spawn('ip', ['netns', 'exec', `${P}-${ns}`, cmd, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { child, out: '', exited: null };
  proc.exit = new Promise((resolve) => child.on('close', (code, signal) => {
    proc.exited = { code, signal };
    resolve(proc.exited);
  }));
  child.stdout.on('data', (d) => { proc.out += d; });
  child.stderr.on('data', (d) => { proc.out += d; });
  children.push(proc);
  return proc;
}

// Stops proc with signal and waits (SIGKILL after 20 s).
async function stop(proc, signal = 'SIGTERM') {
  if (!proc || proc.exited) return;
  proc.child.kill(signal);
  const t = setTimeout(() => proc.child.kill('SIGKILL'), 20000);
  await proc.exit;
  clearTimeout(t);
}

// Waits until test() holds, up to ms; throws with what.
async function until(test, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if (await test()) return; } catch { /* not yet */ }
    await sleep(25);
  }
  throw new Error(`timed out: ${what}`);
}

// Runs the gazette command (on the database; no namespace needed).
function gazette(args, input) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', input });
  assert.equal(r.status, 0, `gazette ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// Runs one SQL query on the database; returns its rows.
function sql(query) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', '-json', DB, query], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

let gz;
let ngx;
const gazettes = [];

// Starts gazette and nginx in the origin's namespace.
async function startOrigin() {
  const sock = path.join(DIR, 'gazette.sock');
  gz = inNs('o', BIN, ['serve', '--db', DB, '--listen', `unix:${sock}`, '--threads', '4',
    '--templates', path.join(ROOT, 'www', 'templates')]);
  gazettes.push(gz);
  await until(() => /serving on/.test(gz.out) && fs.existsSync(sock), 20000, `gazette: ${gz.out}`);
  const ndir = path.join(DIR, 'nginx');
  ngx = inNs('o', NGINX, ['-p', `${ndir}/`, '-c', path.join(ndir, 'nginx.conf'), '-e',
    path.join(ndir, 'error.log')]);
  await until(async () => (await get(ORIGIN, '/.origin-status')).status === 200, 20000,
    `nginx: ${ngx.out}`);
}

// Stops the origin: gazette finishes the requests it has, nginx too.
async function stopOrigin() {
  await stop(ngx, 'SIGQUIT');
  await stop(gz, 'SIGTERM');
  assert.equal(gz.exited.code, 0, `gazette stopped cleanly: ${gz.out}`);
}

// Starts the three edges.
async function startEdges() {
  EDGES.forEach((ip, i) => {
    inNs(`e${i + 1}`, 'varnishd', ['-F', '-n', path.join(DIR, `varnish${i + 1}`), '-a', `${ip}:80`,
      '-f', path.join(DIR, `edge${i + 1}.vcl`), '-s', 'malloc,128m', '-p', `vcl_path=${DIR}`]);
  });
  for (const ip of EDGES) {
    await until(() => new Promise((resolve) => {
      const sock = net.connect({ host: ip, port: 80 }, () => { sock.destroy(); resolve(true); });
      sock.on('error', () => resolve(false));
    }), 30000, `edge ${ip} listens`);
  }
}

// ---- HTTP --------------------------------------------------------------

const agents = new Map();

// Returns the kept-alive agent for requests from local address from.
function agent(from) {
  if (!agents.has(from)) {
    agents.set(from, new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: from }));
  }
  return agents.get(from);
}

// Sends a request to host:80. opts: method, headers, body, from (the
// client's address). Resolves to {status, headers, text, ms}.
function request(host, urlPath, { method = 'GET', headers = {}, body, from = CLIENT_A } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const h = { ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host, port: 80, path: urlPath, method, headers: h, agent: agent(from) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({
          status: res.statusCode, headers: res.headers, text,
          ms: Number(process.hrtime.bigint() - t0) / 1e6,
        }));
      });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const get = (host, urlPath, opts) => request(host, urlPath, opts);

// The number of requests the origin's nginx has taken (its status page).
async function originRequests() {
  const r = await get(ORIGIN, '/.origin-status');
  const m = /\n\s*\d+\s+\d+\s+(\d+)\s*\n/.exec(r.text);
  assert.ok(m, `nginx status: ${r.text}`);
  return Number(m[1]);
}

// The value at fraction q of the sorted numbers xs.
const quantile = (xs, q) => xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] : 0;
const round = (x, d = 1) => Number(x.toFixed(d));

// Waits until the purger has sent every purge of the changes made so far,
// the second ones too: what the caches keep from then on stays.
async function quiet() {
  await until(() => sql(`SELECT count(*) AS n FROM purges WHERE state = 'pending'
    AND due_ms <= ${Date.now() + 3000}`)[0].n === 0 && sql(`SELECT (SELECT seq FROM purge_cursor)
    >= (SELECT max(seq) FROM changes) AS done`)[0].done === 1, 15000, 'the purges sent');
}

// ---- 1. load ------------------------------------------------------------

// The paths readers ask for: the home page, the sections, articles, an
// author, the feed and the API.
function readerPaths() {
  const cats = [...new Set(LIVE.map((a) => a.category))];
  return ['/', '/feed.xml', '/api/v1/articles', '/api/v1/categories',
    ...cats.map((c) => `/category/${c}`),
    ...LIVE.slice(0, 12).map((a) => enc(a.slug)),
    ...LIVE.slice(0, 4).map((a) => `/api/v1/articles/${a.id}`),
    `/author/${LIVE[0].author}`];
}

// Sends rate requests a second for seconds, each for a random path on a
// random edge, while the newsroom edits an article every EDIT_EVERY_MS. Resolves
// to the figures of the run.
async function load(paths, rate, seconds) {
  const lat = [];
  let sent = 0;
  let failed = 0;
  let hits = 0;
  let edits = 0;
  const reasons = {};
  const pending = new Set();
  const before = await originRequests();
  const t0 = Date.now();
  const end = t0 + seconds * 1000;
  while (Date.now() < end) {
    if (Date.now() - t0 >= edits * EDIT_EVERY_MS) {
      const a = LIVE[edits % 6];
      sql(`UPDATE articles SET summary = summary || ' Updated.' WHERE id = ${a.id}`);
      edits++;
    }
    const due = Math.floor(((Date.now() - t0) / 1000) * rate);
    for (; sent < due; sent++) {
      const p = paths[Math.floor(Math.random() * paths.length)];
      const edge = EDGES[sent % EDGES.length];
      // A kept connection the edge closed as it was reused is tried again
      // once, as browsers do.
      const pr = get(edge, p).catch(() => get(edge, p)).then((r) => {
        if (r.status !== 200) {
          failed++;
          reasons[r.status] = (reasons[r.status] || 0) + 1;
        }
        if (r.headers['x-cache'] === 'HIT') hits++;
        lat.push(r.ms);
      }, (err) => {
        failed++;
        reasons[err.code || err.message] = (reasons[err.code || err.message] || 0) + 1;
      }).finally(() => pending.delete(pr));
      pending.add(pr);
    }
    await sleep(5);
  }
  await Promise.all([...pending]);
  const took = (Date.now() - t0) / 1000;
  const after = await originRequests();
  lat.sort((x, y) => x - y);
  return {
    rate, seconds: round(took), sent, failed, reasons, edits,
    client_rps: round(sent / took), origin_requests: after - before - 1,
    origin_rps: round((after - before - 1) / took, 2), hit_ratio: round(hits / Math.max(1, sent), 3),
    p50_ms: round(quantile(lat, 0.5), 2), p99_ms: round(quantile(lat, 0.99), 2),
  };
}

async function loadPhase() {
  const paths = readerPaths();
  await quiet();  // the purges of the site's own making (the demo, the settings)
  // Every edge asks the origin once for each path.
  for (const p of paths) for (const e of EDGES) assert.equal((await get(e, p)).status, 200, `${e}${p}`);
  const runs = [];
  for (const rate of LOAD) runs.push(await load(paths, rate, LOAD_SECONDS));
  for (const r of runs) {
    assert.equal(r.failed, 0, `no failed request at ${r.rate}/s: ${JSON.stringify(r.reasons)}`);
    assert.ok(r.client_rps >= r.rate * 0.85, `the client kept up ${r.rate}/s: ${r.client_rps}`);
  }
  const [low, high] = runs;
  // Flat: what the edits purged and the edges' probes, whatever the readers.
  assert.ok(high.origin_rps <= low.origin_rps * 1.5 + 2,
    `origin requests/s flat: ${low.origin_rps} then ${high.origin_rps}`);
  assert.ok(high.origin_rps < high.client_rps / 10, `the origin takes a small share: ${high.origin_rps}`);
  figures.load = runs;
  figures.paths = paths.length;
}

// ---- 2. publish, edit, unpublish --------------------------------------

// A newsroom session through an edge: signs in, keeps the cookie and token.
async function newsroom(edge) {
  const r = await request(edge, '/admin/login', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'scaleeditor', password: PASSWORD }).toString(),
  });
  assert.equal(r.status, 303, `sign-in: ${r.status} ${r.text.slice(0, 200)}`);
  const cookie = /gz_session=[0-9a-f]+/.exec(r.headers['set-cookie'].join(';'))[0];
  const form = await request(edge, '/admin/articles/new', { headers: { cookie } });
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(form.text)[1];
  const category = /<option value="(\d+)"/.exec(form.text)[1];
  return {
    // Saves the article form (id 0: a new one); resolves to {id, at}.
    async save(id, fields) {
      const body = new URLSearchParams({
        csrf, slug: '', category, tags: '', summary: 'Measured on every edge.', body: 'Text.',
        lang: 'en', when: '', ...fields,
      }).toString();
      const s = await request(edge, id ? `/admin/articles/${id}` : '/admin/articles', {
        method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body,
      });
      assert.equal(s.status, 303, `save: ${s.status} ${s.text.slice(0, 300)}`);
      return { id: Number(/\/admin\/articles\/(\d+)\/edit/.exec(s.headers.location)[1]), at: Date.now() };
    },
  };
}

// Polls urlPath on every edge until seen(answer) holds; resolves to the
// milliseconds after since at which each edge showed it.
async function onEveryEdge(urlPath, seen, since) {
  return Promise.all(EDGES.map(async (e) => {
    for (;;) {
      const r = await get(e, urlPath);
      if (seen(r)) return Date.now() - since;
      if (Date.now() - since > 10000) throw new Error(`${e}${urlPath} never showed the change`);
      await sleep(10);
    }
  }));
}

// Asks for urlPath on every edge until each answers it from its cache.
async function warm(urlPath) {
  for (const e of EDGES) {
    await until(async () => (await get(e, urlPath)).headers['x-cache'] === 'HIT', 5000, `${e}${urlPath} kept`);
  }
}

async function publishPhase() {
  gazette(['user', '--db', DB, 'add', 'scaleeditor', '--role', 'editor'], `${PASSWORD}\n`);
  const desk = await newsroom(EDGES[0]);
  const title = 'Tide tables printed for the last time';
  await warm('/');
  const pub = await desk.save(0, { title, status: 'published' });
  const published = await onEveryEdge('/', (r) => r.text.includes(title), pub.at);
  const slug = sql(`SELECT slug FROM articles WHERE id = ${pub.id}`)[0].slug;
  const article = `/articles/${slug}`;
  await warm(article);
  const edited = `${title}, and kept online`;
  const ed = await desk.save(pub.id, { title: edited, slug, status: 'published' });
  const edit = await onEveryEdge(article, (r) => r.text.includes(edited), ed.at);
  await warm(article);
  await warm('/');
  const un = await desk.save(pub.id, { title: edited, slug, status: 'draft' });
  const gone = await onEveryEdge(article, (r) => r.status === 404, un.at);
  const offHome = await onEveryEdge('/', (r) => !r.text.includes(edited), un.at);
  figures.visible = { publish: published, edit, unpublish: gone, unpublish_home: offHome };
  for (const [what, ms] of Object.entries(figures.visible)) {
    for (const t of ms) assert.ok(t <= VISIBLE_MS, `${what} on every edge within a second: ${ms.join(', ')} ms`);
  }
}

// ---- 3. limits by the reader's address --------------------------------

async function limitsPhase() {
  const a = LIVE[1];
  const vote = (edge, from, forged) => request(edge, `/api/v1/articles/${a.id}/rating`, {
    method: 'POST', from, body: '{"stars":4}',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forged },
  });
  // Reader A votes five times (a new visitor each time), through the three
  // edges in turn, each time naming another address in X-Forwarded-For.
  const fromA = [];
  for (let i = 0; i < 5; i++) fromA.push((await vote(EDGES[i % 3], CLIENT_A, `203.0.113.${i + 1}`)).status);
  const fromB = [];
  for (let i = 0; i < 3; i++) fromB.push((await vote(EDGES[(i + 1) % 3], CLIENT_B, '203.0.113.1')).status);
  // Straight to the origin, A is no trusted proxy: its header is not read.
  const direct = (await vote(ORIGIN, CLIENT_A, '198.51.100.9')).status;
  assert.deepEqual(fromA, [200, 200, 200, 429, 429], 'rating_ip_cap 3 counts reader A across the edges');
  assert.deepEqual(fromB, [200, 200, 200], 'reader B has an allowance of its own');
  assert.equal(direct, 429, 'a header from an untrusted client is not believed');
  const hashes = sql(`SELECT count(*) AS n FROM ratings WHERE article_id = ${a.id}
    AND created_at >= unixepoch() - 60 GROUP BY ip_hash ORDER BY n`).map((r) => r.n);
  assert.deepEqual(hashes, [3, 3], 'two readers\' addresses, three votes each');
  const comment = (edge, from, i) => request(edge, `/api/v1/articles/${a.id}/comments`, {
    method: 'POST', from,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i}` },
    body: JSON.stringify({ name: 'Edge Reader', email: 'edge.reader@example.org', body: `Comment ${i}.` }),
  });
  const comments = [];
  for (let i = 0; i < 3; i++) comments.push((await comment(EDGES[i], CLIENT_A, i)).status);
  assert.deepEqual(comments, [201, 201, 429], 'comment_flood_hourly 2 counts reader A across the edges');
  figures.limits = { votes_a: fromA, votes_b: fromB, direct, comments };
}

// ---- 4. the origin down, and back ---------------------------------------

async function outagePhase() {
  // Short lives, so that what the edges keep expires during the outage.
  gazette(['setting', '--db', DB, 'cache_max_age', '2']);
  gazette(['setting', '--db', DB, 'rating_ip_cap', '1000000']);
  gazette(['setting', '--db', DB, 'comment_flood_hourly', '100000']);
  // A vote lets pages stand ten seconds (the default), so that the votes
  // cast below do not purge what the edges are to serve.
  gazette(['setting', '--db', DB, 'page_stale_seconds', '10']);
  // Every cache forgets everything when a setting changes (and again a
  // moment later): what they keep from then on stays.
  await quiet();
  const reads = ['/', enc(LIVE[2].slug), '/api/v1/articles', `/category/${LIVE[2].category}`];
  for (const p of reads) await warm(p);
  // Readers keep voting, a few a second, all through the outage.
  const acked = [];
  const refused = { status: {}, types: {} };
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const a = LIVE[i % LIVE.length];
      try {
        const r = await request(EDGES[i % 3], `/api/v1/articles/${a.id}/rating`, {
          method: 'POST', from: CLIENT_B, headers: { 'content-type': 'application/json' }, body: '{"stars":5}',
        });
        if (r.status === 200) {
          acked.push({ article: a.id, voter: /gz_visitor=([0-9a-f]+)/.exec(r.headers['set-cookie'].join(';'))[1] });
        } else {
          refused.status[r.status] = (refused.status[r.status] || 0) + 1;
          refused.types[r.headers['content-type']] = 1;
        }
      } catch { refused.status.error = (refused.status.error || 0) + 1; }
      await sleep(150);
    }
  })();
  await sleep(500);
  const down = Date.now();
  await stopOrigin();
  await sleep(3500);  // past the copies' lives, and the probes see the origin gone
  const served = [];
  for (const e of EDGES) {
    for (const p of reads) {
      const r = await get(e, p);
      served.push(`${r.status} ${r.headers['x-cache']}`);
      assert.equal(r.status, 200, `${e}${p} served while the origin is down`);
    }
  }
  const stale = served.filter((s) => s.endsWith('STALE')).length;
  assert.ok(stale > 0, `expired copies were served: ${served.join(', ')}`);
  const cold = await get(EDGES[1], '/search?q=nothing-kept');
  assert.equal(cold.status, 503);
  assert.match(cold.headers['content-type'], /^text\/html/);
  const vote = await request(EDGES[2], `/api/v1/articles/${LIVE[0].id}/rating`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stars":2}',
  });
  assert.equal(vote.status, 503);
  assert.match(vote.headers['content-type'], /^application\/problem\+json/);
  assert.deepEqual(JSON.parse(vote.text).status, 503);
  const form = await request(EDGES[0], `${enc(LIVE[0].slug)}/comments`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=A&email=a%40example.org&body=Hello',
  });
  assert.equal(form.status, 503);
  assert.match(form.headers['content-type'], /^text\/html/);
  const ackedDown = acked.length;
  const back = Date.now();
  await startOrigin();
  await until(() => acked.length > ackedDown, 20000, 'a vote acknowledged again after the origin came back');
  const resumed = Date.now() - back;
  await sleep(1000);
  writing = false;
  await writer;
  // Every acknowledged vote is in the database.
  const missing = acked.filter((v) => sql(`SELECT count(*) AS n FROM ratings
    WHERE article_id = ${v.article} AND voter = '${v.voter}'`)[0].n !== 1);
  assert.deepEqual(missing, [], 'no acknowledged vote lost');
  const check = spawnSync(BIN, ['check', '--db', DB], { encoding: 'utf8' });
  assert.equal(check.status, 0, `gazette check: ${check.stderr}`);
  // Readers get fresh pages again.
  const fresh = await get(EDGES[1], '/search?q=nothing-kept');
  assert.equal(fresh.status, 200);
  figures.outage = {
    down_ms: back - down, reads_served: served.length, reads_stale: stale,
    writes_acknowledged: acked.length, writes_refused: refused.status,
    refused_types: Object.keys(refused.types), first_write_after_ms: resumed,
  };
  assert.ok(Object.keys(refused.types).every((t) => /^application\/problem\+json/.test(t)),
    `refused writes are problem documents: ${Object.keys(refused.types)}`);
}

// ---- the report ---------------------------------------------------------

// The figures as markdown, for docs/scale.md.
function report() {
  const l = figures.load;
  const v = figures.visible;
  const o = figures.outage;
  const ms = (xs) => xs.map((x) => `${x}`).join(' / ');
  const cpu = os.cpus();
  return [
    `Measured on ${new Date().toISOString().slice(0, 10)}: ${cpu.length} cores (${cpu[0]?.model.trim()}), `
      + `all five hosts on this one machine; the edges are Varnish ${spawnSync('varnishd', ['-V'],
        { encoding: 'utf8' }).stderr.match(/varnish-[0-9.]+/)?.[0] || ''}.`,
    '',
    `Readers ask for ${figures.paths} pages and API reads, at random, spread over the three edges,`,
    `while the newsroom edits an article every ${EDIT_EVERY_MS / 1000} s (each edit purges its page, the lists`,
    'showing it and the API\'s, on nginx and on every edge):',
    '',
    '| readers\' requests/s (asked) | served/s | kept by the edge | p50 ms | p99 ms | requests/s reaching the origin |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...l.map((r) => `| ${r.rate} | ${r.client_rps} | ${(r.hit_ratio * 100).toFixed(1)}% | ${r.p50_ms} | ${r.p99_ms} | ${r.origin_rps} |`),
    '',
    'What reaches the origin is what the edits purged, asked for again by each edge (once after',
    'the purge and once after its repeat, the second answered by nginx\'s cache), and the edges\'',
    'health probes (one request a second from each). It is bounded by how often things change,',
    'not by the readers: ten times the readers, and the origin\'s share grows only as far as',
    'every purged page is asked for again before the next edit (at 100 requests a second some',
    'are not; at 1,000 all are).',
    '',
    'From the newsroom\'s answer to the change showing on edge 1 / 2 / 3 (ms; target 1,000):',
    '',
    '| change | shown after (ms) |',
    '| --- | ---: |',
    `| publish: on the home page | ${ms(v.publish)} |`,
    `| edit: the article's new title | ${ms(v.edit)} |`,
    `| unpublish: the article page answers 404 | ${ms(v.unpublish)} |`,
    `| unpublish: gone from the home page | ${ms(v.unpublish_home)} |`,
    '',
    `Limits through the edges (rating_ip_cap 3, comment_flood_hourly 2): reader A's five votes,`,
    `each through another edge and naming another address in X-Forwarded-For, answered `
      + `${figures.limits.votes_a.join(', ')}; reader B's three, ${figures.limits.votes_b.join(', ')}; `
      + `A straight to the origin with a forged header, ${figures.limits.direct}; A's three comments, `
      + `${figures.limits.comments.join(', ')}.`,
    '',
    `Origin stopped (nginx and gazette) for ${(o.down_ms / 1000).toFixed(1)} s with answers kept for 2 s:`
      + ` the edges served all ${o.reads_served} reads asked (${o.reads_stale} of them expired copies);`
      + ' a page no edge kept, a vote and a comment form each got a clean 503 (an HTML page, a problem'
      + ' document for the API). A reader voting every 150 ms through the outage had'
      + ` ${o.writes_acknowledged} votes acknowledged and ${Object.values(o.writes_refused).reduce((x, y) => x + y, 0)} refused`
      + ` (${Object.entries(o.writes_refused).map(([k, n]) => `${n} × ${k}`).join(', ')});`
      + ` every acknowledged vote is in the database, and the first vote after the restart was`
      + ` acknowledged ${o.first_write_after_ms} ms after the origin was started again.`,
  ].join('\n');
}

// Writes the report between the markers of docs/scale.md.
function writeDocs(text) {
  const file = path.join(ROOT, 'docs', 'scale.md');
  const doc = fs.readFileSync(file, 'utf8');
  const begin = '<!-- scale-test:begin -->';
  const end = '<!-- scale-test:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  assert.ok(i >= 0 && j > i, 'docs/scale.md has the markers of the figures');
  fs.writeFileSync(file, `${doc.slice(0, i + begin.length)}\n${text}\n${doc.slice(j)}`);
}

async function main() {
  const t0 = Date.now();
  try {
    // The edges first, as in production: the purges of the site's making
    // reach them at once.
    await startEdges();
    await startOrigin();
    for (const ip of EDGES) {
      await until(async () => (await get(ip, '/')).status === 200, 30000, `edge ${ip} answers`);
    }
    await loadPhase();
    await publishPhase();
    await limitsPhase();
    await outagePhase();
  } finally {
    for (const a of agents.values()) a.destroy();
    for (const p of children) await stop(p, p === ngx ? 'SIGQUIT' : 'SIGTERM');
  }
  assertNoSanitizerReport();
  const text = report();
  console.log(text);
  console.log(JSON.stringify(figures));
  if (process.env.SCALE_WRITE_DOCS === '1') writeDocs(text);
  console.log(`scale test: passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// Fails when a gazette printed a sanitizer's report (the ASan build).
function assertNoSanitizerReport() {
  const sanitizer = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;
  for (const g of gazettes) assert.doesNotMatch(g.out, sanitizer, `gazette: ${g.out}`);
}

main().catch((err) => {
  console.error(`scale test failed: ${err.stack || err}`);
  if (gz) console.error(`gazette said:\n${gz.out.slice(-2000)}`);
  process.exit(1);
});
