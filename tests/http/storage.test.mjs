// When the disk or the database goes wrong under a running site: the
// write-ahead log stays small, a full disk is answered with 503 and
// Retry-After (not 500) and the log says why, and the site writes again by
// itself once space is back; a database file that cannot be read any more
// does not bring gazette down, and the site serves again once it is back.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { PASSWORD, RELAXED, SITE, addUser, post, sleep, sql } from './helpers.mjs';

// A demo article readers see (ids are 1..n in the order of demo/site.json).
const ARTICLE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .find((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());

// Vote on ARTICLE through the API; resolves to the answer.
const vote = (stack, stars = 4) => post(stack, `/api/v1/articles/${ARTICLE.id}/rating`,
  JSON.stringify({ stars }), { type: 'application/json' });

// Signs name in; resolves to the answer (303 when it worked).
const signInAnswer = (stack, name) => post(stack, '/admin/login',
  new URLSearchParams({ username: name, password: PASSWORD }).toString(), { origin: stack.base });

// The size of the stack's write-ahead log in bytes (0 when there is none).
function walBytes(stack) {
  try { return fs.statSync(`${stack.dbPath}-wal`).size; } catch { return 0; }
}

// Resolves once cond() holds, checking every 100 ms for ms at most; resolves
// to whether it held.
async function until(cond, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (cond()) return true;
  return cond();
}

// Asserts that r is the 503 of a storage fault: Retry-After, not cached,
// and (for the API) a problem document whose detail matches why.
function assertUnavailable(r, why, what) {
  assert.equal(r.status, 503, `${what}: status (body ${r.text.slice(0, 300)})`);
  assert.match(r.headers.get('retry-after') || '', /^\d+$/, `${what}: Retry-After`);
  assert.doesNotMatch(r.headers.get('cache-control') || '', /public/, `${what}: not cached`);
  if (/problem\+json/.test(r.headers.get('content-type') || '')) {
    assert.match(JSON.parse(r.text).detail, why, `${what}: the problem says why`);
  } else {
    assert.match(r.text, why, `${what}: the page says why`);
  }
}

// Mounts a tmpfs of size at a new folder; returns the folder, or null with
// the reason in reason.skip when this machine does not let the test mount.
function smallDisk(size, reason) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-small-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'gazette-test', dir],
    { encoding: 'utf8' });
  if (r.status === 0) return dir;
  fs.rmdirSync(dir);
  reason.skip = `cannot mount a small filesystem (${(r.stderr || r.error?.message || '').trim()}): needs root`;
  return null;
}

// Fills the filesystem of dir with the file filler until no byte is left.
function fillDisk(dir) {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if (err.code !== 'ENOSPC') throw err;
  }
  try {
    for (;;) fs.writeSync(fd, chunk, 0, 512);
  } catch (err) {
    if (err.code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

test('the write-ahead log is emptied once a burst of writes is over', async () => {
  const stack = await startStack();
  try {
    // 40 MB written in one transaction by another program, then dropped.
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath,
      'CREATE TABLE burst(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) '
      + 'INSERT INTO burst SELECT randomblob(4000) FROM n; DROP TABLE burst;'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(walBytes(stack) > 20e6, `the burst grew the log (${walBytes(stack)} bytes)`);
    assert.ok(await until(() => walBytes(stack) === 0, 10000),
      `the log is cut to nothing within seconds of the last write (${walBytes(stack)} bytes)`);
    assert.equal((await get(stack.base, '/')).status, 200);
  } finally {
    await stack.stop();
  }
});

test('a full disk is answered with 503 and Retry-After, and writes come back with the space', async (t) => {
  const reason = {};
  const disk = smallDisk('24m', reason);
  if (!disk) return t.skip(reason.skip);
  const tmp = process.env.TMPDIR;
  let stack;
  try {
    process.env.TMPDIR = disk; // the stack's folder, its database among it
    stack = await startStack({ settings: RELAXED });
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
    assert.ok(stack.dbPath.startsWith(disk), 'the database is on the small disk');
    addUser(stack, 'ed', 'editor');
    assert.equal((await vote(stack)).status, 200, 'a vote before the disk is full');
    assert.ok(await until(() => walBytes(stack) === 0, 10000), 'the log is emptied while the site is idle');
    const votes = sql(stack, 'SELECT count(*) AS n FROM ratings')[0].n;
    // Readers get the page nginx keeps (its cache is on this disk too, and
    // nginx cannot keep a new answer once the disk is full).
    await get(stack.base, `/articles/${encodeURIComponent(ARTICLE.slug)}`);

    fillDisk(disk);
    const full = /disk is full/;
    assertUnavailable(await vote(stack), full, 'a vote through the API');
    const form = await post(stack, `/articles/${encodeURIComponent(ARTICLE.slug)}/rating`, 'stars=5',
      { origin: stack.base });
    assertUnavailable(form, full, 'a vote through the form');
    assert.match(form.headers.get('content-type') || '', /^text\/html/, 'a page for the form');
    assertUnavailable(await signInAnswer(stack, 'ed'), full, 'signing in');
    const page = await get(stack.base, `/articles/${encodeURIComponent(ARTICLE.slug)}`);
    assert.equal(page.status, 200, 'reading goes on');
    assert.match(stack.gazetteStderr(), /answering 503 to POST \/api\/v1\/articles\/\d+\/rating: the disk is full/,
      'the log names the cause');

    fs.rmSync(path.join(disk, 'filler'));
    assert.equal((await vote(stack, 2)).status, 200, 'a vote once space is back');
    assert.equal((await signInAnswer(stack, 'ed')).status, 303, 'signing in once space is back');
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM ratings')[0].n, votes + 1,
      'the refused votes left nothing; the next one counted');
    assert.equal(sql(stack, 'PRAGMA integrity_check')[0].integrity_check, 'ok');
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
    await stack?.stop();
    spawnSync('umount', [disk]);
    fs.rmdirSync(disk);
  }
});

// Ways a database file stops reading as one under a running site, keeping
// its place (as after a disk error, a careless copy over it, or a file cut
// short): each takes the file's good bytes and damages it.
const DAMAGES = [
  ['overwritten', (file, good) => fs.writeFileSync(file, Buffer.alloc(good.length, 0x5a))],
  ['cut short', (file) => fs.truncateSync(file, 0)],
];

for (const [how, damage] of DAMAGES) {
  test(`a database file ${how} under gazette is answered with 503, and the site recovers with it`, async () => {
    const stack = await startStack({ settings: RELAXED });
    try {
      assert.ok(await until(() => walBytes(stack) === 0, 10000), 'the log is emptied while the site is idle');
      const good = fs.readFileSync(stack.dbPath);
      const pid = stack.gazettePid;
      damage(stack.dbPath, good);
      const seen = [];
      for (let i = 0; i < 3; i++) {
        const r = await vote(stack);
        seen.push(r.status);
        if (r.status !== 200) assertUnavailable(r, /cannot read or save its data/, 'a vote on a damaged database');
        const p = await get(stack.base, `/?utm_source=t${i}`);
        seen.push(p.status);
        if (p.status !== 200) assertUnavailable(p, /cannot read or save its data/, 'a page of a damaged database');
      }
      assert.ok(seen.includes(503), `the damage is answered with 503 (${seen})`);
      process.kill(pid, 0); // throws when gazette is gone
      assert.equal(stack.gazettePid, pid, 'the same gazette still runs');
      assert.match(stack.gazetteStderr(), /answering 503 to \S+ \S+: the database/, 'the log names the cause');

      fs.writeFileSync(stack.dbPath, good);
      const back = await vote(stack, 3);
      assert.equal(back.status, 200, `a vote once the file is back: ${back.text.slice(0, 200)}`);
      assert.equal((await get(stack.base, '/?utm_source=back')).status, 200, 'pages once the file is back');
      assert.equal(sql(stack, 'PRAGMA integrity_check')[0].integrity_check, 'ok');
    } finally {
      await stack.stop();
    }
  });
}
