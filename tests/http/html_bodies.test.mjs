// Articles whose text is HTML (imported from WordPress) rather than
// Markdown: the editor edits the HTML and saves what the sanitizer keeps of
// it; frames from the video players of the embed_hosts setting stay, and
// the pages' Content-Security-Policy lets exactly those be framed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { addUser, gazette, setBaseUrl, signIn, sql } from './helpers.mjs';
import { NR, expectCall, makeToken } from './newsroom_api.mjs';
import { assertValid } from './validate.mjs';

const SLUG = 'port-halvards-flood-gates-and-the-long-wait';
const YOUTUBE = 'https://www.youtube.com/embed/nwe-H6l4beM';
const BODY = [
  '<h2 onclick="steal()">Flood gates</h2>',
  '<p>Before <script>alert(1)</script>and <a href="javascript:alert(2)">after</a>.</p>',
  `<iframe src="${YOUTUBE}" width="560" height="315"></iframe>`,
  '<iframe src="https://evil.example/frame"></iframe>',
  '<p style="color:red">Styled <span data-x="1">text</span></p>',
].join('\n');

let stack;
let editor;
let id;

// The directives of a Content-Security-Policy header as a Map.
const directives = (csp) => new Map((csp || '').split(';').map((d) => d.trim().split(/\s+/))
  .filter((d) => d[0]).map(([name, ...values]) => [name, values]));

// Posts the editor's form for the article with body; returns the answer.
function save(body, extra = {}) {
  const a = sql(stack, `SELECT a.title, a.summary, a.category_id, a.lang, a.status FROM articles a WHERE a.id = ${id}`)[0];
  return editor.post(`/admin/articles/${id}`, {
    title: a.title, slug: SLUG, summary: a.summary, body, tags: '', category: String(a.category_id),
    lang: a.lang, status: a.status, when: '', ...extra,
  });
}

before(async () => {
  stack = await startStack({});
  setBaseUrl(stack);
  addUser(stack, 'ed', 'editor');
  id = sql(stack, `SELECT id FROM articles WHERE slug = '${SLUG}'`)[0].id;
  sql(stack, `UPDATE article_bodies SET format = 'html' WHERE article_id = ${id}`);
  await stack.restartGazette();
  editor = await signIn(stack, 'ed');
});
after(async () => { if (stack) await stack.stop(); });

test('the editor says an HTML body is HTML', async () => {
  const r = await editor.get(`/admin/articles/${id}/edit`);
  assert.equal(r.status, 200);
  assert.match(r.text, /HTML \(imported\)/);
  await assertValid('/admin/articles/{id}/edit', r.text);
});

test('an HTML body is saved as the sanitizer keeps it, frames from allowed players included', async () => {
  const r = await save(BODY);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const [row] = sql(stack, `SELECT body_md, body_html, format FROM article_bodies WHERE article_id = ${id}`);
  assert.equal(row.format, 'html');
  assert.equal(row.body_md, row.body_html, 'the text edited is the text shown');
  for (const gone of ['<script', 'onclick', 'javascript:', 'evil.example', 'style=', 'data-x']) {
    assert.ok(!row.body_html.includes(gone), `${gone} is removed`);
  }
  assert.match(row.body_html, /<h2>Flood gates<\/h2>/);
  assert.ok(row.body_html.includes(`<iframe src="${YOUTUBE}"`), 'the YouTube player stays');
  const page = await get(stack.base, `/articles/${SLUG}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`<iframe src="${YOUTUBE}"`));
  const csp = directives(page.headers.get('content-security-policy'));
  assert.deepEqual(csp.get('frame-src'), ["'self'", 'https://www.youtube.com/embed/',
    'https://www.youtube-nocookie.com/embed/', 'https://player.vimeo.com/video/']);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  await assertValid(`/articles/${SLUG}`, page.text);
  const again = await save(row.body_md);
  assert.equal(again.status, 303);
  assert.equal(sql(stack, `SELECT body_html FROM article_bodies WHERE article_id = ${id}`)[0].body_html,
    row.body_html, 'saving the sanitized text again changes nothing');
});

test('search finds an HTML body by its words, not by its markup', async () => {
  const r = await save('<p>The <a href="https://example.org/quillwort-ledger">sluice keeper&rsquo;s'
    + ' log</a> was <em>read</em> aloud.</p>');
  assert.equal(r.status, 303);
  const found = await get(stack.base, '/search?q=sluice');
  assert.equal(found.status, 200);
  const card = found.text.slice(found.text.indexOf(`/articles/${SLUG}`));
  assert.ok(card.length < found.text.length, 'a word of the text finds the article');
  const passage = (card.match(/<p class="card-snippet"[^>]*>(.*?)<\/p>/) || [])[1] || '';
  assert.match(passage, /keeper’s log was read aloud/, 'the passage is the text, its references decoded');
  assert.doesNotMatch(passage, /href|&lt;|example\.org|<em>/, 'and shows no markup');
  for (const word of ['quillwort', 'rsquo', 'href']) {
    const miss = await get(stack.base, `/search?q=${word}`);
    assert.equal(miss.status, 200);
    assert.ok(!miss.text.includes(`/articles/${SLUG}`), `"${word}", only in the markup, finds nothing`);
  }
});

test('the preview of an HTML body shows it sanitized, from the Preview button and from an autosave', async () => {
  const r = await save('<p>Seen <b onmouseover="x()">bold</b></p>', { action: 'preview' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/admin/articles/${id}/edit?draft=1#preview`);
  let shown = await editor.get(`/admin/autosave/preview?article=${id}`);
  assert.equal(shown.status, 200);
  assert.match(shown.text, /<p>Seen <b>bold<\/b><\/p>/);
  assert.doesNotMatch(shown.text, /onmouseover/);
  // The script's autosave keeps the text as typed; its preview is the
  // sanitizer's all the same.
  const a = sql(stack, `SELECT title, category_id, lang, status FROM articles WHERE id = ${id}`)[0];
  const kept = await editor.post('/admin/autosave', {
    article: String(id), title: a.title, slug: SLUG, body: '<p>Typed <i onclick="y()">here</i><script>z()</script></p>',
    category: String(a.category_id), lang: a.lang, status: a.status,
  });
  assert.equal(kept.status, 303);
  shown = await editor.get(`/admin/autosave/preview?article=${id}`);
  assert.equal(shown.status, 200);
  assert.match(shown.text, /<p>Typed <i>here<\/i><\/p>/);
  assert.doesNotMatch(shown.text, /onclick|z\(\)/);
  assert.equal((await editor.post('/admin/autosave/discard', { article: String(id) })).status, 303);
});

test('a text an app sends to an HTML article through the newsroom API is the sanitizer\'s too', async () => {
  const token = makeToken(stack, 'ed');
  const cur = await expectCall(stack, token, 'GET', `${NR}/articles/${id}`, 200);
  await expectCall(stack, token, 'PATCH', `${NR}/articles/${id}`, 200, {
    body: { body: '<p>From an app <b onclick="x()">bold</b><script>y()</script></p>' },
    headers: { 'if-match': cur.headers.get('etag') },
  });
  const [row] = sql(stack, `SELECT body_md, body_html, format FROM article_bodies WHERE article_id = ${id}`);
  assert.equal(row.format, 'html');
  assert.equal(row.body_md, '<p>From an app <b>bold</b></p>');
  assert.equal(row.body_html, row.body_md);
});

test('embed_hosts decides which players stay, and the policy follows it', async () => {
  const bad = gazette(stack, ['setting', '--db', stack.dbPath, 'embed_hosts', 'not a host']);
  assert.notEqual(bad.status, 0, 'a malformed list is refused');
  const set = gazette(stack, ['setting', '--db', stack.dbPath, 'embed_hosts', 'player.vimeo.com/video/']);
  assert.equal(set.status, 0, set.stderr);
  const r = await save(BODY);
  assert.equal(r.status, 303);
  assert.ok(!sql(stack, `SELECT body_html FROM article_bodies WHERE article_id = ${id}`)[0].body_html
    .includes('youtube'), 'a player no longer allowed is removed');
  const page = await get(stack.base, `/articles/${SLUG}`);
  assert.deepEqual(directives(page.headers.get('content-security-policy')).get('frame-src'),
    ["'self'", 'https://player.vimeo.com/video/']);
  const none = gazette(stack, ['setting', '--db', stack.dbPath, 'embed_hosts', '']);
  assert.equal(none.status, 0, none.stderr);
  const home = await get(stack.base, '/?no-frames');
  assert.equal(directives(home.headers.get('content-security-policy')).get('frame-src'), undefined,
    'no frame-src when no player is allowed: frames fall back to default-src \'self\'');
});
