// Apps that write: API tokens (made, used, expired, revoked, and ended with
// their account or its password), the role of every route of the
// newsroom's API for each role's token and for none, the newsroom's rules
// kept by the API, If-Match (428 without, 412 when stale), Idempotency-Key,
// the limits on failed tokens, and an app's day: an author files a story
// with a picture, an editor publishes it, and readers find it in the API
// and the feeds.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { routeTable } from './harness.mjs';
import { RELAXED, addUser, gazette, signIn, sleep, sql, startSite } from './helpers.mjs';
import { API_MIN_ROLE, NR, call, expectCall, makeToken, photo, uploadForm } from './newsroom_api.mjs';

const ROLES = ['author', 'editor', 'admin'];

let stack;
const tok = {};       // role -> a write token of that role's account
let readOnly;         // an editor's token that may only read
let category;         // the id of a category of the demo
const now = () => Math.floor(Date.now() / 1000);

// A new draft by the author's account, made through the API; returns its
// document.
async function draft(fields = {}) {
  const r = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201,
    { body: { title: `Draft ${Math.random().toString(36).slice(2, 8)}`, category_id: category, body: 'Some text.', ...fields } });
  return r.doc;
}

before(async () => {
  stack = await startSite({ ...RELAXED, comment_moderation: 'auto' });
  for (const role of ROLES) {
    addUser(stack, `api-${role}`, role);
    tok[role] = makeToken(stack, `api-${role}`, { name: `${role}'s phone` });
  }
  addUser(stack, 'api-other', 'author');
  tok.other = makeToken(stack, 'api-other');
  readOnly = makeToken(stack, 'api-editor', { name: 'Dashboard', scope: 'read' });
  category = sql(stack, "SELECT id FROM categories WHERE slug = 'world'")[0].id;
});
after(async () => { await stack?.stop(); });

describe('tokens', () => {
  test('gazette token create prints a token once; list shows it without its secret', () => {
    const r = gazette(stack, ['token', '--db', stack.dbPath, 'list', '--user', 'api-editor']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\tapi-editor\teditor's phone\twrite\tactive\t/);
    assert.match(r.stdout, /\tDashboard\tread\tactive\t/);
    assert.ok(!r.stdout.includes(tok.editor) && !r.stdout.includes(tok.editor.split('_')[2]),
      'the secret is never shown again');
    const stored = sql(stack, 'SELECT hex(secret_hash) AS h, selector FROM api_tokens');
    assert.ok(stored.every((t) => !tok.editor.includes(t.h.toLowerCase())), 'only a hash is kept');
    assert.equal(gazette(stack, ['token', '--db', stack.dbPath, 'create', 'x', '--user', 'nobody']).status, 1);
    assert.equal(gazette(stack, ['token', '--db', stack.dbPath, 'create', 'x', '--user', 'api-author', '--scope', 'all']).status, 2);
    assert.equal(gazette(stack, ['token', '--db', stack.dbPath, 'create', 'x', '--user', 'api-author', '--expires', '0']).status, 2);
  });

  test('a token acts as its user, and says who that is; its use is recorded', async () => {
    const r = await expectCall(stack, tok.editor, 'GET', `${NR}/me`, 200);
    assert.equal(r.doc.username, 'api-editor');
    assert.equal(r.doc.role, 'editor');
    assert.deepEqual([r.doc.token.name, r.doc.token.scope], ["editor's phone", 'write']);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const row = sql(stack, "SELECT last_used_at, last_used_ip FROM api_tokens WHERE name = 'editor''s phone'")[0];
    assert.ok(row.last_used_at >= now() - 60, 'the time of its last use');
    assert.equal(row.last_used_ip, '127.0.0.1', 'the address of its last use');
  });

  test('without a token, or with a cookie instead, the newsroom API answers 401 with a Bearer challenge', async () => {
    const r = await expectCall(stack, null, 'GET', `${NR}/me`, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="Gazette"');
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    const b = await signIn(stack, 'api-admin');
    const cookie = await call(stack, null, 'GET', `${NR}/me`, { headers: { cookie: b.cookie } });
    assert.equal(cookie.status, 401, 'a newsroom session is not a credential of the API');
    const basic = await call(stack, null, 'GET', `${NR}/me`, { headers: { authorization: 'Basic YTpi' } });
    assert.equal(basic.status, 401);
  });

  test('a wrong, unknown or malformed token is refused as not valid', async () => {
    const [pre, sel, secret] = tok.author.split('_');
    const wrong = `${pre}_${sel}_${secret.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a'))}`;
    for (const bad of [wrong, `${pre}_0000000000000000_${secret}`, 'gzt_short', tok.author.toUpperCase()]) {
      sql(stack, 'DELETE FROM login_failures');
      const r = await expectCall(stack, bad, 'GET', `${NR}/me`, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="Gazette", error="invalid_token"');
    }
    sql(stack, 'DELETE FROM login_failures');
  });

  test('an expired token is refused; so is a revoked one, from the command or the newsroom', async () => {
    const soon = makeToken(stack, 'api-author', { name: 'Soon gone', expires: 1 });
    await expectCall(stack, soon, 'GET', `${NR}/me`, 200);
    sql(stack, "UPDATE api_tokens SET expires_at = unixepoch() - 1 WHERE name = 'Soon gone'");
    const r = await expectCall(stack, soon, 'GET', `${NR}/me`, 401);
    assert.match(r.doc.detail, /expired/);

    const cli = makeToken(stack, 'api-author', { name: 'Revoked by command' });
    const id = sql(stack, "SELECT id FROM api_tokens WHERE name = 'Revoked by command'")[0].id;
    assert.equal(gazette(stack, ['token', '--db', stack.dbPath, 'revoke', String(id)]).status, 0);
    assert.match((await expectCall(stack, cli, 'GET', `${NR}/me`, 401)).doc.detail, /revoked/);

    const own = makeToken(stack, 'api-author', { name: 'Revoked by its owner' });
    const ownId = sql(stack, "SELECT id FROM api_tokens WHERE name = 'Revoked by its owner'")[0].id;
    const editor = await signIn(stack, 'api-editor');
    await editor.get('/admin/tokens');
    assert.equal((await editor.post(`/admin/tokens/${ownId}/revoke`)).status, 404, "an editor cannot revoke another's token");
    await expectCall(stack, own, 'GET', `${NR}/me`, 200);
    const author = await signIn(stack, 'api-author');
    const page = await author.get('/admin/tokens');
    assert.match(page.text, /Revoked by its owner/, 'the owner sees the token in the newsroom');
    assert.ok(!page.text.includes(own.split('_')[2]), 'but never its secret again');
    const done = await author.post(`/admin/tokens/${ownId}/revoke`);
    assert.equal(done.status, 303);
    await expectCall(stack, own, 'GET', `${NR}/me`, 401);

    const byAdmin = makeToken(stack, 'api-author', { name: 'Revoked by an admin' });
    const adminId = sql(stack, "SELECT id FROM api_tokens WHERE name = 'Revoked by an admin'")[0].id;
    const admin = await signIn(stack, 'api-admin');
    assert.match((await admin.get('/admin/tokens')).text, /Revoked by an admin/, "an admin sees everyone's tokens");
    assert.equal((await admin.post(`/admin/tokens/${adminId}/revoke`)).status, 303);
    await expectCall(stack, byAdmin, 'GET', `${NR}/me`, 401);
  });

  test('a token made in the newsroom is shown once and works at once', async () => {
    const b = await signIn(stack, 'api-author');
    await b.get('/admin/tokens');
    const r = await b.post('/admin/tokens', { name: 'Made in the newsroom', scope: 'read', days: '7' });
    assert.equal(r.status, 200);
    const text = /<code class="token-text" id="new-token">(gzt_[0-9a-f_]+)<\/code>/.exec(r.text)?.[1];
    assert.ok(text, 'the new token is on the page');
    const me = await expectCall(stack, text, 'GET', `${NR}/me`, 200);
    assert.equal(me.doc.token.scope, 'read');
    const again = await b.get('/admin/tokens');
    assert.ok(!again.text.includes(text), 'and never shown again');
    const bad = await b.post('/admin/tokens', { name: 'x'.repeat(101), scope: 'write', days: '7' });
    assert.equal(bad.status, 400);
  });

  test("disabling an account or changing its password revokes its tokens", async () => {
    addUser(stack, 'api-leaving', 'author');
    addUser(stack, 'api-forgetful', 'author');
    const leaving = makeToken(stack, 'api-leaving');
    const forgetful = makeToken(stack, 'api-forgetful');
    await expectCall(stack, leaving, 'GET', `${NR}/me`, 200);
    await expectCall(stack, forgetful, 'GET', `${NR}/me`, 200);
    const admin = await signIn(stack, 'api-admin');
    const id = sql(stack, "SELECT id FROM users WHERE username = 'api-leaving'")[0].id;
    await admin.get(`/admin/users/${id}`);
    assert.equal((await admin.post(`/admin/users/${id}/state`, { state: 'disabled' })).status, 303);
    await expectCall(stack, leaving, 'GET', `${NR}/me`, 401);
    assert.equal(gazette(stack, ['user', '--db', stack.dbPath, 'passwd', 'api-forgetful'], 'another password 123\n').status, 0);
    await expectCall(stack, forgetful, 'GET', `${NR}/me`, 401);
    assert.equal(sql(stack, "SELECT count(*) AS n FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.username IN ('api-leaving', 'api-forgetful') AND t.revoked_at IS NULL")[0].n, 0);
  });

  test('a token that may only read gets its reads and no write', async () => {
    await expectCall(stack, readOnly, 'GET', `${NR}/articles`, 200);
    const r = await expectCall(stack, readOnly, 'POST', `${NR}/articles`, 403, { body: { title: 'No', category_id: category } });
    assert.match(r.doc.detail, /only read/);
  });
});

describe('every route of the newsroom API, for each role and for none', () => {
  const TABLE = () => routeTable().filter((r) => r.pattern.startsWith(NR))
    .map((r) => ({ key: `${r.method} ${r.pattern.replace(/:int\}/g, '}')}`, role: r.role, body: r.body, csrf: r.csrf }));

  test('the table gives each route the reviewed role, a token as its check and no shared cache', () => {
    const table = TABLE();
    assert.deepEqual(table.map((r) => r.key).sort(), Object.keys(API_MIN_ROLE).sort());
    for (const r of table) {
      assert.equal(r.role, API_MIN_ROLE[r.key], r.key);
      assert.equal(r.csrf, 'bearer', r.key);
    }
    assert.ok(routeTable().filter((r) => r.pattern.startsWith(NR)).every((r) => !r.shared && r.cache_control === 'no-store'));
  });

  // What each route is tried on: the author's own draft and its revision,
  // a picture the author uploaded, a comment, a category and a tag (fresh
  // ones for a delete).
  let ids;
  let seq = 0;
  before(async () => {
    const d = await draft();
    const up = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201, { body: uploadForm(photo(320, 240)) });
    ids = {
      article: d.id, media: up.doc.id,
      revision: sql(stack, `SELECT max(id) AS id FROM revisions WHERE article_id = ${d.id}`)[0].id,
      comment: sql(stack, "SELECT min(id) AS id FROM comments WHERE status = 'approved'")[0].id,
      category, tag: sql(stack, "SELECT id FROM tags WHERE slug = 'climate'")[0].id,
    };
  });

  // The path of route key, its parameters filled.
  async function fill(key) {
    const [method, pattern] = key.split(' ');
    let id = '';
    if (pattern.startsWith(`${NR}/articles/`)) {
      id = method === 'DELETE' ? (await draft()).id : ids.article;
    } else if (pattern.startsWith(`${NR}/media/`)) {
      id = ids.media;
    } else if (pattern.startsWith(`${NR}/comments/`)) {
      id = ids.comment;
    } else if (pattern.startsWith(`${NR}/categories/`)) {
      id = method === 'DELETE' ? sql(stack, `INSERT INTO categories (slug, name) VALUES ('api-perm-${++seq}', 'Perm ${seq}') RETURNING id`)[0].id : ids.category;
    } else if (pattern.startsWith(`${NR}/tags/`)) {
      id = method === 'DELETE' ? sql(stack, `INSERT INTO tags (slug, name) VALUES ('api-perm-${++seq}', 'Perm ${seq}') RETURNING id`)[0].id : ids.tag;
    }
    return pattern.replace('{id}', String(id)).replace('{rid}', String(ids.revision));
  }

  // Sends the route's request: a JSON route gets an empty object (which
  // may well be refused as it stands, past the check of the token), an
  // upload a small form.
  async function tryRoute(key, token) {
    const [method] = key.split(' ');
    const urlPath = await fill(key);
    const r = TABLE().find((x) => x.key === key);
    const opts = r.body === 'json' || r.body === 'json-text' ? { body: {} } : r.body === 'multipart' ? { body: uploadForm(photo(64, 48)) } : {};
    return call(stack, token, method, urlPath, opts);
  }

  test('without a token every route answers 401', async () => {
    for (const key of Object.keys(API_MIN_ROLE)) {
      const r = await tryRoute(key, null);
      assert.equal(r.status, 401, `${key}: ${r.status}`);
    }
  });

  for (const role of ROLES) {
    test(`with an ${role}'s token, exactly the routes for ${role}s and below get past the check`, async () => {
      const problems = [];
      for (const [key, need] of Object.entries(API_MIN_ROLE)) {
        const r = await tryRoute(key, tok[role]);
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(need);
        const through = ![401, 403].includes(r.status) && r.status < 500;
        if (allowed && !through) problems.push(`${key}: ${r.status} ${r.text.slice(0, 120)}`);
        if (!allowed && r.status !== 403) problems.push(`${key}: ${r.status}, expected 403`);
      }
      assert.deepEqual(problems, []);
    });
  }

  test("with an editor's read-only token, only the reads get through", async () => {
    const problems = [];
    for (const key of Object.keys(API_MIN_ROLE)) {
      const r = await tryRoute(key, readOnly);
      const reads = key.startsWith('GET ');
      if (reads && r.status !== 200) problems.push(`${key}: ${r.status}`);
      if (!reads && r.status !== 403) problems.push(`${key}: ${r.status}, expected 403`);
    }
    assert.deepEqual(problems, []);
  });
});

describe("the newsroom's rules, over the API", () => {
  test("an author works on their own drafts only; once published, only editors change it", async () => {
    const mine = await draft();
    const theirs = await expectCall(stack, tok.other, 'POST', `${NR}/articles`, 201, { body: { title: 'Not yours', category_id: category } });
    await expectCall(stack, tok.author, 'GET', `${NR}/articles/${theirs.doc.id}`, 403);
    const list = await expectCall(stack, tok.author, 'GET', `${NR}/articles?per_page=100`, 200);
    assert.ok(list.doc.data.every((a) => a.author_id === list.doc.data[0].author_id), 'an author lists only their own');
    assert.ok(list.doc.data.some((a) => a.id === mine.id));
    const featured = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 403, { body: { title: 'Front page!', category_id: category, featured: true } });
    assert.match(featured.doc.detail, /editors/);
    const g = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${mine.id}/publish`, 200);
    assert.equal(g.doc.status, 'published');
    const r = await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${mine.id}`, 403,
      { body: { title: 'Changed after publication' }, headers: { 'if-match': g.headers.get('etag') } });
    assert.match(r.doc.detail, /only editors/);
    await expectCall(stack, tok.editor, 'PATCH', `${NR}/articles/${mine.id}`, 200,
      { body: { featured: true }, headers: { 'if-match': g.headers.get('etag') } });
  });

  test('a body is checked as the editor checks its form, member by member', async () => {
    const cases = [
      [{ category_id: category }, 'title'],
      [{ title: 'x'.repeat(201), category_id: category }, 'title'],
      [{ title: 'No category' }, 'category_id'],
      [{ title: 'Bad category', category_id: 999999 }, 'category_id'],
      [{ title: 'Bad language', category_id: category, lang: 'xx' }, 'lang'],
      [{ title: 'Too many tags', category_id: category, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ title: 'A comma', category_id: category, tags: ['a, b'] }, 'tags'],
      [{ title: 'Tags as text', category_id: category, tags: 'a, b' }, 'tags'],
      [{ title: 'Missing picture', category_id: category, image_id: 999999 }, 'image_id'],
      [{ title: 'Picture in text', category_id: category, body: '![x](/media/999999)' }, 'body'],
      [{ title: 42, category_id: category }, 'title'],
      [{ title: 'Status', category_id: category, status: 'published' }, 'status'],
      [{ title: 'Typo', category_id: category, summry: 'x' }, 'summry'],
      [{ title: 'A bell \u0007 rings', category_id: category }, 'title'],
      [{ title: 'Reversed \u202e txet', category_id: category }, 'title'],
      [{ title: 'Summary', category_id: category, summary: 'Isolated \u2067word\u2069' }, 'summary'],
    ];
    for (const [body, member] of cases) {
      const r = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400, { body });
      assert.deepEqual(r.doc.invalid_params.map((p) => p.name), [member], JSON.stringify(body));
    }
    await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400, { body: '[1, 2]', type: 'application/json' });
    await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 415, { body: 'title=x', type: 'application/x-www-form-urlencoded' });
  });

  test('a long story goes through the API as through the editor: 200,000 bytes of text, Arabic escaped as JSON escapes it', async () => {
    const para = 'تقرير طويل عن الميناء والمدينة. '.repeat(60);
    let text = '';
    while (Buffer.byteLength(text + para + '\n\n') <= 200000) text += para + '\n\n';
    const ascii = JSON.stringify({ title: 'Long story', category_id: category, body: text })
      .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    assert.ok(ascii.length > 500000, `escaped, the body is ${ascii.length} bytes`);
    const r = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, { body: ascii, type: 'application/json' });
    assert.equal(r.doc.body.trimEnd(), text.trimEnd(), 'the text as sent');
    const etag = (await expectCall(stack, tok.author, 'GET', `${NR}/articles/${r.doc.id}`, 200)).headers.get('etag');
    await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${r.doc.id}`, 200,
      { body: { body: text + 'Update.' }, headers: { 'if-match': etag } });
    const over = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400,
      { body: { title: 'Too long', category_id: category, body: 'x'.repeat(200001) } });
    assert.deepEqual(over.doc.invalid_params.map((p) => p.name), ['body']);
  });

  test('PATCH changes only the members sent, and only with the ETag of the version it changes', async () => {
    const d = await draft({ summary: 'Kept', tags: ['Harbour', 'Ferries'] });
    const first = await expectCall(stack, tok.author, 'GET', `${NR}/articles/${d.id}`, 200);
    const etag = first.headers.get('etag');
    assert.match(etag, /^(W\/)?"[0-9a-f]{32}"$/);
    const missing = await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${d.id}`, 428, { body: { title: 'No ETag' } });
    assert.match(missing.doc.detail, /If-Match/);
    const phone = await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${d.id}`, 200,
      { body: { title: 'From the phone', tags: ['Harbour'] }, headers: { 'if-match': etag } });
    assert.equal(phone.doc.title, 'From the phone');
    assert.equal(phone.doc.summary, 'Kept', 'a member not sent stays');
    assert.deepEqual(phone.doc.tags, ['Harbour']);
    assert.notEqual(phone.headers.get('etag'), etag, 'a new version, a new ETag');
    const tablet = await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${d.id}`, 412,
      { body: { title: 'From the tablet' }, headers: { 'if-match': etag } });
    assert.match(tablet.doc.detail, /changed/);
    const now2 = await expectCall(stack, tok.author, 'GET', `${NR}/articles/${d.id}`, 200);
    assert.equal(now2.doc.title, 'From the phone', 'the second phone did not overwrite the first');
    await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${d.id}`, 200,
      { body: { summary: 'Any version' }, headers: { 'if-match': '*' } });
    const weak = (await expectCall(stack, tok.author, 'GET', `${NR}/articles/${d.id}`, 200)).headers.get('etag');
    await expectCall(stack, tok.author, 'PATCH', `${NR}/articles/${d.id}`, 200,
      { body: { summary: 'Weak form' }, headers: { 'if-match': weak.startsWith('W/') ? weak : `W/${weak}` } });
    const notModified = await call(stack, tok.author, 'GET', `${NR}/articles/${d.id}`,
      { headers: { 'if-none-match': (await call(stack, tok.author, 'GET', `${NR}/articles/${d.id}`)).headers.get('etag') } });
    assert.equal(notModified.status, 304, 'a conditional read of an unchanged article');
  });

  test('a PATCH that changes nothing writes nothing: no revision, no new ETag, no edit shown to readers', async () => {
    const d = await draft({ title: 'Unchanged', summary: 'Same', tags: ['Harbour'] });
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/publish`, 200);
    const before = await expectCall(stack, tok.editor, 'GET', `${NR}/articles/${d.id}`, 200);
    const revisions = () => sql(stack, `SELECT count(*) AS n FROM revisions WHERE article_id = ${d.id}`)[0].n;
    const count = revisions();
    await sleep(1100);
    for (const body of [{}, { title: 'Unchanged', summary: 'Same', tags: ['Harbour'], featured: before.doc.featured }]) {
      const r = await expectCall(stack, tok.editor, 'PATCH', `${NR}/articles/${d.id}`, 200,
        { body, headers: { 'if-match': before.headers.get('etag') } });
      assert.equal(r.headers.get('etag'), before.headers.get('etag'), JSON.stringify(body));
      assert.equal(r.doc.updated_at, before.doc.updated_at);
      assert.equal(revisions(), count, 'no revision');
    }
    const pub = await expectCall(stack, null, 'GET', `/api/v1/articles/${d.id}`, 200);
    assert.equal(pub.doc.updated_display, null, 'readers are not told of an edit');
    await expectCall(stack, tok.editor, 'PATCH', `${NR}/articles/${d.id}`, 412,
      { body: {}, headers: { 'if-match': '"0123456789abcdef0123456789abcdef"' } });
    const changed = await expectCall(stack, tok.editor, 'PATCH', `${NR}/articles/${d.id}`, 200,
      { body: { summary: 'Different' }, headers: { 'if-match': before.headers.get('etag') } });
    assert.notEqual(changed.headers.get('etag'), before.headers.get('etag'));
    assert.equal(revisions(), count + 1);
  });

  test('status: submit, publish, unpublish, schedule; revisions listed and restored', async () => {
    const d = await draft({ title: 'First words' });
    let r = await expectCall(stack, tok.author, 'POST', `${NR}/articles/${d.id}/submit`, 200);
    assert.equal(r.doc.status, 'pending');
    await expectCall(stack, tok.author, 'POST', `${NR}/articles/${d.id}/publish`, 403);
    r = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/publish`, 200);
    assert.deepEqual([r.doc.status, r.doc.live], ['published', true]);
    await expectCall(stack, null, 'GET', `/api/v1/articles/${d.id}`, 200);
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/publish`, 409);
    await expectCall(stack, tok.author, 'POST', `${NR}/articles/${d.id}/submit`, 403);
    r = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/unpublish`, 200);
    assert.deepEqual([r.doc.status, r.doc.live], ['draft', false]);
    await expectCall(stack, null, 'GET', `/api/v1/articles/${d.id}`, 404);
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/unpublish`, 409);
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/schedule`, 400, { body: { published_at: '2020-01-01T00:00:00Z' } });
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/schedule`, 400, { body: { published_at: 'tomorrow' } });
    const when = new Date((now() + 3) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    r = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/schedule`, 200, { body: { published_at: when } });
    assert.deepEqual([r.doc.status, r.doc.live, r.doc.published_at], ['scheduled', false, when]);
    await expectCall(stack, null, 'GET', `/api/v1/articles/${d.id}`, 404);
    await sleep(4500);
    await expectCall(stack, null, 'GET', `/api/v1/articles/${d.id}`, 200);

    const revs = await expectCall(stack, tok.author, 'GET', `${NR}/articles/${d.id}/revisions`, 200);
    assert.ok(revs.doc.data.length >= 4, 'every save kept a revision');
    const oldest = revs.doc.data.at(-1);
    assert.equal(oldest.title, 'First words');
    const e = await expectCall(stack, tok.editor, 'PATCH', `${NR}/articles/${d.id}`, 200,
      { body: { title: 'Second words' }, headers: { 'if-match': (await call(stack, tok.editor, 'GET', `${NR}/articles/${d.id}`)).headers.get('etag') } });
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/revisions/${oldest.id}/restore`, 428);
    r = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/revisions/${oldest.id}/restore`, 200,
      { headers: { 'if-match': e.headers.get('etag') } });
    assert.equal(r.doc.title, 'First words');
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/revisions/999999/restore`, 404,
      { headers: { 'if-match': '*' } });
  });

  test('delete: editors only, the ETag checked when sent; readers lose it', async () => {
    const d = await draft();
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/publish`, 200);
    await expectCall(stack, tok.author, 'DELETE', `${NR}/articles/${d.id}`, 403);
    await expectCall(stack, tok.editor, 'DELETE', `${NR}/articles/${d.id}`, 412, { headers: { 'if-match': '"0123456789abcdef0123456789abcdef"' } });
    const r = await expectCall(stack, tok.editor, 'DELETE', `${NR}/articles/${d.id}`, 204);
    assert.equal(r.text, '');
    await expectCall(stack, null, 'GET', `/api/v1/articles/${d.id}`, 404);
    await expectCall(stack, tok.editor, 'DELETE', `${NR}/articles/${d.id}`, 404);
  });

  test('an id is never given twice: after the newest article, comment or picture is deleted, the next gets a new one', async () => {
    const gone = await draft({ title: 'Newest, then deleted' });
    assert.equal(gone.id, sql(stack, 'SELECT max(id) AS id FROM articles')[0].id, 'the newest article');
    await expectCall(stack, tok.editor, 'DELETE', `${NR}/articles/${gone.id}`, 204);
    const next = await draft({ title: 'The one after' });
    assert.ok(next.id > gone.id, `the next article is ${next.id}, not ${gone.id} again`);
    const article = sql(stack, "SELECT id FROM articles WHERE status = 'published' AND published_at < unixepoch() ORDER BY id LIMIT 1")[0].id;
    const comment = async () => (await expectCall(stack, null, 'POST', `/api/v1/articles/${article}/comments`, 201,
      { body: { name: 'Reader', email: `ids-${Date.now()}-${Math.random()}@example.net`, body: 'Kept apart.' } })).doc.id;
    const first = await comment();
    sql(stack, `DELETE FROM comments WHERE id = ${first}`);
    assert.ok(await comment() > first, 'the next comment has a new id');
    const pic = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201, { body: uploadForm(photo(40, 30)) });
    sql(stack, `DELETE FROM media WHERE id = ${pic.doc.id}`);
    const pic2 = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201, { body: uploadForm(photo(41, 30)) });
    assert.ok(pic2.doc.id > pic.doc.id, 'the next picture has a new id');
  });

  test('categories and tags, for editors: added, renamed, a taken slug refused, deleted', async () => {
    const c = await expectCall(stack, tok.editor, 'POST', `${NR}/categories`, 201, { body: { name: 'Travel', description: 'Going places' } });
    assert.deepEqual([c.doc.slug, c.doc.name, c.doc.articles], ['travel', 'Travel', 0]);
    await expectCall(stack, tok.editor, 'POST', `${NR}/categories`, 409, { body: { name: 'Travel again', slug: 'travel' } });
    await expectCall(stack, tok.editor, 'POST', `${NR}/categories`, 400, { body: { name: '' } });
    const renamed = await expectCall(stack, tok.editor, 'PATCH', `${NR}/categories/${c.doc.id}`, 200, { body: { name: 'Journeys' } });
    assert.deepEqual([renamed.doc.slug, renamed.doc.description], ['travel', 'Going places'], 'what is not sent stays');
    const cats = await expectCall(stack, null, 'GET', '/api/v1/categories?per_page=100', 200);
    assert.ok(!cats.doc.data.some((x) => x.id === c.doc.id), 'readers do not see a category without a published article');
    const d = await draft({ category_id: c.doc.id });
    const busy = await expectCall(stack, tok.editor, 'DELETE', `${NR}/categories/${c.doc.id}`, 409);
    assert.deepEqual(busy.doc.invalid_params.map((p) => p.name), ['move_to']);
    await expectCall(stack, tok.editor, 'DELETE', `${NR}/categories/${c.doc.id}?move_to=${category}`, 204);
    assert.equal((await expectCall(stack, tok.author, 'GET', `${NR}/articles/${d.id}`, 200)).doc.category.id, category);

    const t = await expectCall(stack, tok.editor, 'POST', `${NR}/tags`, 201, { body: { name: 'Night ferries' } });
    assert.equal(t.doc.slug, 'night-ferries');
    await expectCall(stack, tok.editor, 'PATCH', `${NR}/tags/${t.doc.id}`, 200, { body: { slug: 'ferries-at-night' } });
    await expectCall(stack, tok.editor, 'PATCH', `${NR}/tags/${t.doc.id}`, 400, { body: { description: 'Tags have none' } });
    await expectCall(stack, tok.editor, 'DELETE', `${NR}/tags/${t.doc.id}`, 204);
    await expectCall(stack, tok.editor, 'DELETE', `${NR}/tags/${t.doc.id}`, 404);
  });

  test('comments: the queue by status, approved, spammed, trashed, and a reply by the newsroom', async () => {
    const article = sql(stack, "SELECT id FROM articles WHERE status = 'published' AND published_at < unixepoch() ORDER BY id LIMIT 1")[0].id;
    const held = await expectCall(stack, null, 'POST', `/api/v1/articles/${article}/comments`, 201,
      { body: { name: 'New reader', email: `new-${Date.now()}@example.net`, body: 'A first comment, held.' } });
    assert.equal(held.doc.status, 'held');
    const queue = await expectCall(stack, tok.editor, 'GET', `${NR}/comments`, 200);
    const mine = queue.doc.data.find((x) => x.id === held.doc.id);
    assert.ok(mine, 'the held comment is in the queue of pending ones');
    assert.deepEqual([mine.status, mine.article.id], ['pending', article]);
    await expectCall(stack, tok.editor, 'GET', `${NR}/comments?status=everything`, 400);
    const ok = await expectCall(stack, tok.editor, 'POST', `${NR}/comments/${held.doc.id}/approve`, 200);
    assert.equal(ok.doc.status, 'approved');
    let list = await expectCall(stack, null, 'GET', `/api/v1/articles/${article}/comments?per_page=100`, 200);
    assert.ok(list.doc.data.some((x) => x.id === held.doc.id), 'readers see it once approved');
    const reply = await expectCall(stack, tok.editor, 'POST', `${NR}/comments/${held.doc.id}/replies`, 201,
      { body: { body: '  Thank you for writing.\r\n  ' } });
    assert.deepEqual([reply.doc.status, reply.doc.parent_id, reply.doc.author_name, reply.doc.body],
      ['approved', held.doc.id, 'api-editor', 'Thank you for writing.']);
    list = await expectCall(stack, null, 'GET', `/api/v1/articles/${article}/comments?per_page=100`, 200);
    assert.ok(list.doc.data.some((x) => x.id === reply.doc.id && x.parent_id === held.doc.id), 'the reply is public at once');
    assert.equal(sql(stack, `SELECT staff_id IS NOT NULL AS staff FROM comments WHERE id = ${reply.doc.id}`)[0].staff, 1,
      'marked on the site as from the newsroom, as the newsroom\'s own replies are');
    await expectCall(stack, tok.editor, 'POST', `${NR}/comments/${held.doc.id}/replies`, 400, { body: { body: ' ' } });
    await expectCall(stack, tok.editor, 'POST', `${NR}/comments/${held.doc.id}/spam`, 200);
    await expectCall(stack, tok.editor, 'POST', `${NR}/comments/${held.doc.id}/replies`, 409, { body: { body: 'To spam?' } });
    const trash = await expectCall(stack, tok.editor, 'POST', `${NR}/comments/${held.doc.id}/trash`, 200);
    assert.equal(trash.doc.status, 'trash');
    assert.ok((await expectCall(stack, tok.editor, 'GET', `${NR}/comments?status=trash`, 200)).doc.data.some((x) => x.id === held.doc.id));
    await expectCall(stack, tok.editor, 'POST', `${NR}/comments/999999/approve`, 404);
  });

  test("the queues' next and previous pages keep the status they list, and nothing the queue does not read", async () => {
    const linkOf = (r) => Object.fromEntries([...(r.headers.get('link') || '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]+)"/g)]
      .map((m) => [m[2], m[1].slice(m[1].indexOf('/api/'))]));
    await draft({ title: 'Queue one' });
    await draft({ title: 'Queue two' });
    for (const [path, status, total] of [
      ['comments', 'approved', "SELECT count(*) AS n FROM comments WHERE status = 'approved'"],
      ['articles', 'draft', "SELECT count(*) AS n FROM articles WHERE status = 'draft'"]]) {
      const first = await expectCall(stack, tok.editor, 'GET', `${NR}/${path}?status=${status}&per_page=1&lang=xx`, 200);
      assert.equal(first.doc.meta.total, sql(stack, total)[0].n);
      assert.ok(first.doc.meta.total > 1, `${path}: more than one page of ${status}`);
      assert.equal(linkOf(first).next, `${NR}/${path}?per_page=1&status=${status}&page=2`);
      const second = await expectCall(stack, tok.editor, 'GET', linkOf(first).next, 200);
      assert.equal(second.doc.meta.total, first.doc.meta.total, `${path}: the next page is of the same list`);
      assert.equal(second.doc.data[0].status, status);
      assert.equal(linkOf(second).prev, `${NR}/${path}?per_page=1&status=${status}&page=1`);
    }
  });

  test('pictures: uploaded through the library, their words changed by their uploader or an editor', async () => {
    const up = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201,
      { body: uploadForm(photo(800, 600), 'harbour.jpg', { alt: 'The harbour at dawn', credit: 'Photo: the desk' }) });
    assert.deepEqual([up.doc.filename, up.doc.width, up.doc.height, up.doc.alt], ['harbour.jpg', 800, 600, 'The harbour at dawn']);
    assert.ok(up.doc.image && up.doc.image.sizes.length > 0, 'its first sizes are made at once');
    assert.match(up.headers.get('location'), new RegExp(`${NR}/media/${up.doc.id}$`));
    const other = await expectCall(stack, tok.other, 'PATCH', `${NR}/media/${up.doc.id}`, 403, { body: { alt: 'Mine now' } });
    assert.match(other.doc.detail, /uploaded/);
    const ed = await expectCall(stack, tok.editor, 'PATCH', `${NR}/media/${up.doc.id}`, 200, { body: { caption: 'Dawn over the quay.' } });
    assert.deepEqual([ed.doc.alt, ed.doc.caption], ['The harbour at dawn', 'Dawn over the quay.']);
    await expectCall(stack, tok.author, 'PATCH', `${NR}/media/${up.doc.id}`, 400, { body: { alt: 'x'.repeat(501) } });
    const text = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 415,
      { body: uploadForm(Buffer.from('<html>not a picture</html>'), 'page.jpg') });
    assert.equal(text.doc.status, 415);
    await expectCall(stack, tok.author, 'POST', `${NR}/media`, 400, { body: uploadForm(photo(64, 48), 'x.jpg', { alt: 'x'.repeat(501) }) });
    await expectCall(stack, tok.author, 'POST', `${NR}/media`, 415, { body: { file: 'not multipart' } });
    await expectCall(stack, tok.author, 'GET', `${NR}/media/999999`, 404);
  });
});

describe('Idempotency-Key', () => {
  test('a POST sent again with its key gets the first answer, and acts once', async () => {
    const body = { title: `Sent twice ${Date.now()}`, category_id: category };
    const key = `phone-${Date.now()}`;
    const first = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, { body, headers: { 'idempotency-key': key } });
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, { body, headers: { 'idempotency-key': key } });
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.doc.id, first.doc.id, 'the same article');
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    assert.equal(again.headers.get('etag'), first.headers.get('etag'));
    assert.equal(sql(stack, `SELECT count(*) AS n FROM articles WHERE title = '${body.title}'`)[0].n, 1, 'made once');
    const other = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 422,
      { body: { ...body, title: 'Another' }, headers: { 'idempotency-key': key } });
    assert.deepEqual(other.doc.invalid_params.map((p) => p.name), ['Idempotency-Key']);
    const theirs = await expectCall(stack, tok.other, 'POST', `${NR}/articles`, 201, { body, headers: { 'idempotency-key': key } });
    assert.notEqual(theirs.doc.id, first.doc.id, "keys are each user's own");
    await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400, { body, headers: { 'idempotency-key': 'x'.repeat(256) } });
    await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400, { body, headers: { 'idempotency-key': 'two words' } });
  });

  test('a refusal is kept too, a status change acts once, an upload is made once', async () => {
    const bad = { title: '', category_id: category };
    const a = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400, { body: bad, headers: { 'idempotency-key': 'refused-once' } });
    const b = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 400, { body: bad, headers: { 'idempotency-key': 'refused-once' } });
    assert.deepEqual(b.doc, a.doc);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    const d = await draft();
    const revisions = () => sql(stack, `SELECT count(*) AS n FROM revisions WHERE article_id = ${d.id}`)[0].n;
    const before = revisions();
    await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/publish`, 200, { headers: { 'idempotency-key': `publish-${d.id}` } });
    const again = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${d.id}/publish`, 200, { headers: { 'idempotency-key': `publish-${d.id}` } });
    assert.equal(again.headers.get('idempotent-replayed'), 'true', 'not 409 "published already": the first answer');
    assert.equal(revisions(), before + 1, 'published once');
    const bytes = photo(320, 200);
    const count = () => sql(stack, 'SELECT count(*) AS n FROM media')[0].n;
    const n = count();
    const u1 = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201, { body: uploadForm(bytes, 'once.jpg'), headers: { 'idempotency-key': 'upload-once' } });
    const u2 = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201, { body: uploadForm(bytes, 'once.jpg'), headers: { 'idempotency-key': 'upload-once' } });
    assert.equal(u2.doc.id, u1.doc.id);
    assert.equal(count(), n + 1, 'one picture');
  });

  test('a key whose first request is still being answered is 409; one abandoned long ago runs again', async () => {
    const user = sql(stack, "SELECT id FROM users WHERE username = 'api-author'")[0].id;
    sql(stack, `INSERT INTO api_idempotency (user_id, key, fingerprint, status, created_at) VALUES (${user}, 'in-flight', zeroblob(32), 0, unixepoch())`);
    const r = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 409,
      { body: { title: 'In flight', category_id: category }, headers: { 'idempotency-key': 'in-flight' } });
    assert.equal(r.headers.get('retry-after'), '1');
    const body = { title: 'Abandoned', category_id: category };
    const sent = await call(stack, tok.author, 'POST', `${NR}/articles`, { body, headers: { 'idempotency-key': 'abandoned' } });
    assert.equal(sent.status, 201);
    const fp = sql(stack, `SELECT hex(fingerprint) AS f FROM api_idempotency WHERE key = 'abandoned'`)[0].f;
    sql(stack, `UPDATE api_idempotency SET status = 0, body = NULL, created_at = unixepoch() - 600 WHERE key = 'abandoned'`);
    const retried = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, { body, headers: { 'idempotency-key': 'abandoned' } });
    assert.equal(retried.headers.get('idempotent-replayed'), null, 'answered anew');
    assert.equal(sql(stack, `SELECT hex(fingerprint) AS f FROM api_idempotency WHERE key = 'abandoned'`)[0].f, fp);
  });

  test('keys are kept a day', async () => {
    const body = { title: `Yesterday ${Date.now()}`, category_id: category };
    const first = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, { body, headers: { 'idempotency-key': 'yesterday' } });
    sql(stack, "UPDATE api_idempotency SET created_at = unixepoch() - 86401 WHERE key = 'yesterday'");
    const second = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, { body, headers: { 'idempotency-key': 'yesterday' } });
    assert.notEqual(second.doc.id, first.doc.id, 'a key of yesterday is forgotten');
  });
});

test("an app's day: an author files a story with a picture, an editor publishes it, readers find it", async () => {
  // On the phone: the picture first, then the draft that shows it.
  const up = await expectCall(stack, tok.author, 'POST', `${NR}/media`, 201,
    { body: uploadForm(photo(1200, 800), 'quay.jpg', { alt: 'Fishing boats along the quay', caption: 'The quay this morning.' }) });
  const title = `Fishing fleet returns early ${Date.now()}`;
  const created = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201, {
    body: {
      title, category_id: category, image_id: up.doc.id, tags: ['Harbour'], summary: 'Storm warnings bring the boats home.',
      body: `The fleet was back by noon.\n\n![Boats at the quay](/media/${up.doc.id})\n\nMore as it comes.`,
    },
    headers: { 'idempotency-key': `file-${Date.now()}` },
  });
  const id = created.doc.id;
  assert.deepEqual([created.doc.status, created.doc.image_id], ['draft', up.doc.id]);
  await expectCall(stack, null, 'GET', `/api/v1/articles/${id}`, 404);
  const submitted = await expectCall(stack, tok.author, 'POST', `${NR}/articles/${id}/submit`, 200,
    { headers: { 'if-match': created.headers.get('etag') } });
  assert.equal(submitted.doc.status, 'pending');

  // At the desk: the editor finds it waiting, and publishes it.
  const waiting = await expectCall(stack, tok.editor, 'GET', `${NR}/articles?status=pending&per_page=100`, 200);
  assert.ok(waiting.doc.data.some((a) => a.id === id), 'the editor sees it waiting for review');
  const published = await expectCall(stack, tok.editor, 'POST', `${NR}/articles/${id}/publish`, 200,
    { headers: { 'if-match': submitted.headers.get('etag'), 'idempotency-key': `publish-${id}` } });
  assert.equal(published.doc.live, true);

  // Readers: the API, the article with its picture, the feeds.
  const article = await expectCall(stack, null, 'GET', `/api/v1/articles/${id}`, 200);
  assert.equal(article.doc.title, title);
  assert.equal(article.doc.image.id, up.doc.id);
  assert.equal(article.doc.image.alt, 'Fishing boats along the quay');
  assert.match(article.doc.body_html, /<picture>/, 'the picture in the text is the library\'s');
  const list = await expectCall(stack, null, 'GET', '/api/v1/articles?per_page=5', 200);
  assert.equal(list.doc.data[0].id, id, 'first in the list of articles');
  const atom = await call(stack, null, 'GET', '/feed.xml');
  assert.equal(atom.status, 200);
  assert.ok(atom.text.includes(`<title>${title}</title>`), 'in the Atom feed');
  const json = await call(stack, null, 'GET', '/feed.json');
  assert.ok(json.doc.items.some((x) => x.title === title), 'in the JSON Feed');
});

test('failed token checks are limited per address, as sign-ins are', async () => {
  sql(stack, 'DELETE FROM login_failures');
  const [pre, sel] = tok.author.split('_');
  const wrong = `${pre}_${sel}_${'0'.repeat(64)}`;
  for (let i = 0; i < 3; i++) await expectCall(stack, wrong, 'GET', `${NR}/me`, 401);
  const slow = await expectCall(stack, wrong, 'GET', `${NR}/me`, 429);
  assert.ok(Number(slow.headers.get('retry-after')) >= 1, 'Retry-After');
  const good = await call(stack, tok.author, 'GET', `${NR}/me`);
  assert.equal(good.status, 429, 'while the address waits, no token is even checked');
  sql(stack, "UPDATE login_failures SET failures = 9, last_at = unixepoch() - 3600 WHERE key LIKE 'token:%'");
  await expectCall(stack, wrong, 'GET', `${NR}/me`, 401);
  const locked = await expectCall(stack, tok.author, 'GET', `${NR}/me`, 429);
  assert.ok(Number(locked.headers.get('retry-after')) > 800, 'locked for a quarter of an hour after ten');
  assert.match(stack.gazetteStderr(), /locked for 900 s after 10 failed tokens/);
  const noToken = await call(stack, null, 'GET', `${NR}/me`);
  assert.equal(noToken.status, 401, 'a request with no token at all is not a failed try');
  sql(stack, 'DELETE FROM login_failures');
  await expectCall(stack, tok.author, 'GET', `${NR}/me`, 200);
});

test('pages of any site may call the newsroom API with a token: its preflight and answers allow it', async () => {
  const pre = await call(stack, null, 'OPTIONS', `${NR}/articles/1`, {
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, if-match, content-type' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-methods'), /PATCH/);
  assert.match(pre.headers.get('access-control-allow-headers'), /Authorization/);
  assert.match(pre.headers.get('access-control-allow-headers'), /Idempotency-Key/);
  const r = await expectCall(stack, tok.author, 'POST', `${NR}/articles`, 201,
    { body: { title: 'From another site', category_id: category }, headers: { origin: 'https://app.example.com' } });
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.match(r.headers.get('access-control-expose-headers'), /ETag/);
  assert.equal(r.headers.get('access-control-allow-credentials'), null, 'never with cookies');
});
