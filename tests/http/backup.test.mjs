// The backup of docs/deploy.md (section 5) brings a site back whole: the
// database snapshot and the archive of the media and originals folders,
// restored on a new server, serve the same pages with the same pictures.
// When only the originals were kept, `gazette media check` has the sizes
// made again.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { SITE, gazette, sql, urlOf, waitForPictures } from './helpers.mjs';

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
  run('sqlite3', [site.dbPath, `.backup '${db}'`]);
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
