// The backup of docs/deploy.md (section 5) brings a site back whole: the
// database copy `gazette backup` makes and the archive of the media and
// originals folders, restored on a new server, serve the same pages with
// the same pictures. When only the originals were kept, `gazette media
// check` has the sizes made again. A backup taken while readers write
// holds every write the site acknowledged before the backup began.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, get, startStack } from './harness.mjs';
import { RELAXED, SITE, gazette, sql, urlOf, waitForPictures } from './helpers.mjs';

const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-backup-'));
const ARTICLE = SITE.articles.find((a) => a.status === 'published' && a.lang === 'en');

let site;
before(async () => {
  site = await startStack({ pictures: 'standins' });
  await waitForPictures(site);
});
after(async () => {
  await site?.stop();
  fs.rmSync(backups, { recursive: true, force: true });
});

// Runs cmd with args; asserts it exits 0.
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

// Takes the backup as docs/deploy.md says, while the site runs: the
// database first, then the folders (named in folders). Returns {db, archive}.
function backup(name, folders) {
  const db = path.join(backups, `${name}.db`);
  const archive = path.join(backups, `${name}.tar`);
  run(BIN, ['backup', '--db', site.dbPath, '--to', db]);
  run('tar', ['-cf', archive, '-C', site.dir, ...folders]);
  return { db, archive };
}

// The picture files an article page shows.
const picturesOn = (html) => [...new Set([...html.matchAll(/\/media\/([0-9a-f]{32}-\d+\.(?:webp|jpg))/g)].map((m) => m[1]))];

test('a restored backup serves the same pictures', async () => {
  const before = await get(site.base, urlOf(ARTICLE));
  const files = picturesOn(before.text);
  assert.ok(files.length >= 4, 'the article shows its picture in several sizes');
  const restored = await startStack({ restore: backup('full', ['media', 'originals']) });
  try {
    const page = await get(restored.base, urlOf(ARTICLE));
    assert.equal(page.status, 200);
    assert.deepEqual(picturesOn(page.text), files, 'the same picture, the same sizes');
    for (const f of files) {
      const r = await fetch(`${restored.base}/media/${f}`);
      assert.equal(r.status, 200, `/media/${f}`);
      const mine = fs.readFileSync(path.join(site.dir, 'media', f));
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), mine, `${f}: the same bytes`);
    }
    const check = gazette(restored, ['media', '--db', restored.dbPath, 'check']);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stderr, /0 queued to have their sizes made again; 0 without their original/);
  } finally {
    await restored.stop();
  }
});

test('with only the originals kept, gazette media check has every size made again', async () => {
  const restored = await startStack({ restore: backup('originals', ['originals']) });
  try {
    const count = sql(restored, 'SELECT count(*) AS n FROM media')[0].n;
    assert.equal(count, SITE.articles.length);
    const check = gazette(restored, ['media', '--db', restored.dbPath, 'check']);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stderr, new RegExp(`${count} queued to have their sizes made again`));
    await waitForPictures(restored);
    const page = await get(restored.base, urlOf(ARTICLE));
    const files = picturesOn(page.text);
    assert.ok(files.length >= 4, 'the article shows its picture again');
    for (const f of files) assert.equal((await fetch(`${restored.base}/media/${f}`)).status, 200, `/media/${f}`);
  } finally {
    await restored.stop();
  }
});

// Runs `gazette backup` on stack into file; resolves to {status, stderr}.
function backupAsync(stack, file) {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['backup', '--db', stack.dbPath, '--to', file]);
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stderr }));
  });
}

test('a backup taken while readers write holds every write acknowledged before it began', async () => {
  // Many writes a second from one address: nginx's limit on posts raised.
  const stack = await startStack({
    settings: RELAXED,
    nginx: { limit_req_zone: '$gazette_post_key zone=gazette_post:10m rate=100000r/s' },
  });
  let restored;
  try {
    const live = SITE.articles.map((a, i) => ({ ...a, id: i + 1 })).filter((a) => a.status === 'published');
    const acked = []; // [comment text, time its 2xx arrived]
    let writing = true;
    let n = 0;
    // A writer posts comments one after the other until told to stop.
    const writer = async (w) => {
      while (writing) {
        const text = `Backup load comment ${w}-${n++}`;
        const a = live[n % live.length];
        const r = await get(stack.base, `/api/v1/articles/${a.id}/comments`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Load Reader', email: `load${w}@example.com`, body: text }),
        });
        assert.ok(r.status >= 200 && r.status < 300, `comment answered ${r.status}: ${r.text.slice(0, 200)}`);
        acked.push([text, Date.now()]);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 1500));
    const file = path.join(backups, 'live.db');
    const began = Date.now();
    const b = await backupAsync(stack, file);
    await new Promise((r) => setTimeout(r, 300));
    writing = false;
    await Promise.all(writers);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /integrity ok; \d+ articles, \d+ comments/, 'the backup says what it checked');
    assert.ok(!fs.existsSync(`${file}.part`), 'no half-made file is left');
    const before = acked.filter(([, t]) => t < began).map(([text]) => text);
    const after = acked.filter(([, t]) => t > Date.now() - 200);
    assert.ok(before.length >= 20, `writes were acknowledged before the backup (${before.length})`);
    assert.ok(after.length > 0, 'and writes went on while it ran');

    const empty = path.join(backups, 'nothing.tar');
    run('tar', ['-cf', empty, '-T', '/dev/null']);
    restored = await startStack({ restore: { db: file, archive: empty } });
    const kept = new Set(sql(restored, "SELECT body AS b FROM comments WHERE author_name = 'Load Reader'")
      .map((r) => r.b));
    const lost = before.filter((text) => !kept.has(text));
    assert.deepEqual(lost, [], 'every write acknowledged before the backup began is in it');
    assert.equal(sql(restored, 'PRAGMA integrity_check')[0].integrity_check, 'ok');
    assert.equal((await get(restored.base, '/')).status, 200, 'the restored site serves');
    const check = gazette(restored, ['check', '--db', restored.dbPath]);
    assert.equal(check.status, 0, `the restored counts add up: ${check.stderr}`);
  } finally {
    await restored?.stop();
    await stack.stop();
  }
});

test('gazette backup refuses a place it cannot write and leaves nothing there', async () => {
  const r = gazette(site, ['backup', '--db', site.dbPath, '--to', path.join(backups, 'no-such-folder', 'x.db')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot create .*no-such-folder/);
  assert.ok(!fs.existsSync(path.join(backups, 'no-such-folder')));
});
