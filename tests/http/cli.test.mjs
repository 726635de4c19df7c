// The gazette command's failures: each is one clear line on stderr and a
// non-zero exit, never a stack of errors or a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, startStack } from './harness.mjs';

// Runs gazette with args (and input on stdin); returns {status, lines}.
function gazette(args, input = '') {
  const r = spawnSync(BIN, args, { cwd: ROOT, input, encoding: 'utf8', timeout: 30000 });
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  return { status: r.status, lines, stdout: r.stdout };
}

// Asserts a failure with exit status code and exactly one line matching re.
function failsWith(r, code, re) {
  assert.equal(r.status, code, `exit status (stderr: ${r.lines.join(' | ')})`);
  assert.equal(r.lines.length, 1, `one line on stderr, got: ${r.lines.join(' | ')}`);
  assert.match(r.lines[0], /^gazette: /);
  assert.match(r.lines[0], re);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-cli-'));
const db = path.join(dir, 'site.db');

test('--help prints the commands and the settings', () => {
  const r = gazette(['--help']);
  assert.equal(r.status, 0);
  for (const word of ['init', 'demo', 'serve', 'user', 'token', 'comments', 'check', 'comment_moderation',
    'webhook_allow_private'])
    assert.match(r.stdout, new RegExp(word));
});

test('bad arguments: one line, exit 2', () => {
  failsWith(gazette(['frobnicate']), 2, /unknown command/);
  failsWith(gazette(['init']), 2, /--db PATH is required/);
  failsWith(gazette(['init', '--db']), 2, /needs a value/);
  failsWith(gazette(['serve', '--db', db, '--threads', 'many', '--listen', 'unix:/x']), 2, /--threads/);
  failsWith(gazette(['setting', '--db', db, 'language', 'fr']), 2, /allowed values/);
  failsWith(gazette(['setting', '--db', db, 'no_such_key', '1']), 2, /unknown setting/);
});

test('init twice is harmless; a missing database is named', () => {
  assert.equal(gazette(['init', '--db', db]).status, 0);
  assert.equal(gazette(['init', '--db', db]).status, 0);
  failsWith(gazette(['serve', '--db', path.join(dir, 'nope.db'), '--listen', '127.0.0.1:1']), 1,
    /no database at .*nope\.db/);
  failsWith(gazette(['init', '--db', path.join(dir, 'no', 'such', 'dir.db')]), 1, /cannot open database/);
});

test('a bad listen address and a socket in use are refused', async () => {
  failsWith(gazette(['serve', '--db', db, '--listen', 'nowhere']), 1, /bad listen address/);
  const stack = await startStack({ demo: false });
  try {
    const sock = fs.readdirSync(stack.dir).find((f) => f.endsWith('.sock'));
    assert.ok(sock, 'the stack has a unix socket');
    failsWith(gazette(['serve', '--db', stack.dbPath, '--listen', `unix:${path.join(stack.dir, sock)}`]), 1,
      /in use/);
    failsWith(gazette(['serve', '--db', db, '--listen', `127.0.0.1:${stack.port}`]), 1, /cannot listen/);
  } finally {
    await stack.stop();
  }
});

test('a broken template or a missing partial stops start-up, naming file and line', () => {
  const tpl = fs.mkdtempSync(path.join(dir, 'tpl-'));
  for (const f of fs.readdirSync(path.join(ROOT, 'www', 'templates')))
    fs.copyFileSync(path.join(ROOT, 'www', 'templates', f), path.join(tpl, f));
  const card = path.join(tpl, 'card.mustache');
  const good = fs.readFileSync(card, 'utf8');
  fs.writeFileSync(card, `${good}\n{{#unclosed}}\n`);
  failsWith(gazette(['serve', '--db', db, '--listen', '127.0.0.1:1', '--templates', tpl]), 1,
    /card\.mustache: line \d+: unclosed section 'unclosed'/);
  fs.writeFileSync(card, `${good}{{>no_such_partial}}\n`);
  failsWith(gazette(['serve', '--db', db, '--listen', '127.0.0.1:1', '--templates', tpl]), 1,
    /card\.mustache: line \d+: no template 'no_such_partial'/);
});

test('users: a short password and a taken name are refused', () => {
  failsWith(gazette(['user', '--db', db, 'add', 'ed', '--role', 'editor'], 'short\n'), 2, /at least 10/);
  assert.equal(gazette(['user', '--db', db, 'add', 'ed', '--role', 'editor'], 'long enough password\n').status, 0);
  failsWith(gazette(['user', '--db', db, 'add', 'ed', '--role', 'editor'], 'long enough password\n'), 1, /taken/);
  failsWith(gazette(['user', '--db', db, 'add', 'x y', '--role', 'bogus'], 'long enough password\n'), 2, /--role/);
  const list = gazette(['user', '--db', db, 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^ed\teditor\tactive\t/m);
});

test('comments and check on an empty site', () => {
  failsWith(gazette(['comments', '--db', db, 'approve', '999']), 1, /no comment/);
  const r = gazette(['check', '--db', db]);
  assert.equal(r.status, 0);
  assert.match(r.lines.join('\n'), /0 with wrong counts/);
  fs.rmSync(dir, { recursive: true, force: true });
});
