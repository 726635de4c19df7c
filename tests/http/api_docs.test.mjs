// The curl examples of docs/api.md must work as the guide says. Every ```sh
// block is a command starting with curl and using $BASE; the HTML comment
// just before it says what its output must be:
//   <!-- expect: json [list|article] -->  JSON that is not a problem document
//                                         (run with curl -f, so an HTTP error
//                                         fails the example)
//   <!-- expect: json rating VOTE -->     an article's rating whose your_vote
//                                         is VOTE (a number or null)
//   <!-- expect: json comment STATUS -->  a comment with this status
//   <!-- expect: json mine -->            a reader's held comments (not empty)
//   <!-- expect: problem STATUS -->       a problem document with this status
//   <!-- expect: status STATUS -->        headers (curl -i) ending in this status
//   <!-- expect: etag -->                 one ETag value
// Each block runs with bash against a test stack loaded with the demo site
// (with its default settings, and stand-ins for its pictures), in one
// temporary directory, so that a cookie
// jar a block writes there is read by the next blocks. $TOKEN is an API
// token of an editor's account, and photo.jpg a photograph, as the guide's
// chapter on apps that write says.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, startStack } from './harness.mjs';
import { addUser, waitForPictures } from './helpers.mjs';
import { makeToken, photo } from './newsroom_api.mjs';

const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');

// The ```sh blocks of the guide: [{code, expect, line}].
function examples(md) {
  const out = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```sh') continue;
    let j = i + 1;
    const code = [];
    while (j < lines.length && lines[j].trim() !== '```') code.push(lines[j++]);
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const m = /^<!--\s*expect:\s*(.+?)\s*-->$/.exec(lines[k]?.trim() || '');
    out.push({ code: code.join('\n'), expect: m ? m[1].split(/\s+/) : null, line: i + 1 });
    i = j;
  }
  return out;
}

// True when doc has the shape of a problem document.
const isProblem = (doc) => doc && typeof doc === 'object'
  && typeof doc.type === 'string' && typeof doc.title === 'string' && Number.isInteger(doc.status);

// Run code with bash in directory cwd, BASE and TOKEN set; with fail set,
// curl behaves as curl -f.
function run(base, token, cwd, code, fail) {
  const prelude = fail ? 'curl() { command curl -f "$@"; }\n' : '';
  return spawnSync('bash', ['-c', `set -eo pipefail\n${prelude}${code}`], {
    cwd,
    env: { ...process.env, BASE: base, TOKEN: token },
    encoding: 'utf8',
    timeout: 30000,
  });
}

const EXAMPLES = examples(DOC);

test('docs/api.md has curl examples, each starting with curl, using $BASE and saying what to expect', () => {
  assert.ok(EXAMPLES.length >= 5, 'the guide shows examples');
  for (const ex of EXAMPLES) {
    assert.match(ex.code, /^curl /, `line ${ex.line}: starts with curl`);
    assert.match(ex.code, /"\$BASE\//, `line ${ex.line}: uses "$BASE/..."`);
    assert.ok(ex.expect, `line ${ex.line}: an <!-- expect: ... --> comment precedes the block`);
    assert.ok(['json', 'problem', 'status', 'etag'].includes(ex.expect[0]), `line ${ex.line}: known expectation`);
  }
});

describe('the examples of docs/api.md run as shown', () => {
  let stack;
  let cwd;
  let token;
  before(async () => {
    stack = await startStack({ pictures: 'standins' });
    await waitForPictures(stack);
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-api-docs-'));
    addUser(stack, 'desk', 'editor');
    token = makeToken(stack, 'desk', { name: 'Photo desk' });
    fs.writeFileSync(path.join(cwd, 'photo.jpg'), photo(1200, 800));
  });
  after(async () => {
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
    await stack?.stop();
  });

  for (const ex of EXAMPLES) {
    const [kind, arg, value] = ex.expect || [];
    test(`line ${ex.line}: ${ex.code.split('\n')[0].slice(0, 100)}`, () => {
      assert.ok(kind, 'the example says what to expect');
      const r = run(stack.base, token, cwd, ex.code, kind === 'json');
      assert.equal(r.status, 0, `exit status; stderr: ${r.stderr}; stdout: ${r.stdout.slice(0, 300)}`);
      const out = r.stdout;
      if (kind === 'json') {
        const doc = JSON.parse(out);
        assert.ok(!isProblem(doc), `a problem document: ${out.slice(0, 300)}`);
        if (arg === 'list') {
          assert.ok(Array.isArray(doc.data) && doc.data.length > 0, 'a non-empty list');
          assert.ok(Number.isInteger(doc.meta?.total), 'with meta');
        }
        if (arg === 'article') {
          assert.ok(Number.isInteger(doc.id) && typeof doc.body_html === 'string', 'an article');
        }
        if (arg === 'rating') {
          assert.ok(Number.isInteger(doc.article_id) && doc.stars?.length === 5, `a rating: ${out.slice(0, 300)}`);
          assert.equal(doc.your_vote, JSON.parse(value), 'your_vote');
        }
        if (arg === 'comment') {
          assert.ok(Number.isInteger(doc.id) && typeof doc.body_html === 'string', `a comment: ${out.slice(0, 300)}`);
          assert.equal(doc.status, value, 'the comment\'s status');
        }
        if (arg === 'mine') {
          assert.ok(Array.isArray(doc.data) && doc.data.length > 0, `held comments: ${out.slice(0, 300)}`);
          assert.ok(doc.data.every((x) => x.status === 'held'), 'all held');
        }
      } else if (kind === 'problem') {
        const doc = JSON.parse(out);
        assert.ok(isProblem(doc), `not a problem document: ${out.slice(0, 300)}`);
        assert.equal(doc.status, Number(arg));
      } else if (kind === 'status') {
        const statuses = [...out.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1]));
        assert.ok(statuses.length > 0, `headers shown: ${out.slice(0, 200)}`);
        assert.equal(statuses.at(-1), Number(arg));
      } else if (kind === 'etag') {
        assert.match(out.trim(), /^(W\/)?"[0-9a-f]{32}"$/);
      }
    });
  }
});
