// The newsroom's article screens at /admin/articles: writing, review,
// publication, scheduling, slugs and their redirects, revisions, roles and
// the guards on every POST (CSRF token and Origin), against a real stack.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import { EVIL, PASSWORD, addUser, postFields, sleep, sql, startSite } from './helpers.mjs';

let stack;
let category;       // id of the demo's "world" category
let otherCategory;  // id of "science"
const people = {};  // name -> {cookie, csrf}

// The article row with this id, or undefined.
const articleRow = (id) => sql(stack, `SELECT a.*, b.body_md, b.body_html FROM articles a
  LEFT JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ${Number(id)}`)[0];

// Sign name in; keeps {cookie, csrf} in people[name] and returns it.
async function signIn(name) {
  const r = await postFields(stack, '/admin/login', { username: name, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${name}: ${r.status} ${r.text.slice(0, 200)}`);
  const m = /gz_session=([0-9a-f]+)/.exec(r.headers.get('set-cookie') || '');
  assert.ok(m, 'a session cookie');
  const cookie = `gz_session=${m[1]}`;
  const page = await get(stack.base, '/admin/articles/new', { headers: { Cookie: cookie } });
  assert.equal(page.status, 200);
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(page.text)[1];
  people[name] = { cookie, csrf };
  return people[name];
}

// GET an admin path as name.
const adminGet = (name, urlPath) => get(stack.base, urlPath, { headers: { Cookie: people[name].cookie } });

// POST an admin form as name, with that session's CSRF token added.
const adminPost = (name, urlPath, fields, opts = {}) =>
  postFields(stack, urlPath, { csrf: people[name].csrf, ...fields }, { cookie: people[name].cookie, ...opts });

// The fields of a complete article form, overridden by more.
const article = (more = {}) => ({
  title: 'A title', slug: '', category: String(category), tags: '', summary: 'A summary',
  body: 'Some text.', lang: 'en', status: 'draft', when: '', ...more,
});

// The article id from the 303 to its editor after a save.
function savedId(r) {
  assert.equal(r.status, 303, `save answered ${r.status}: ${r.text.slice(0, 400)}`);
  const m = /^\/admin\/articles\/(\d+)\/edit\?(saved|restored)=1$/.exec(r.headers.get('location'));
  assert.ok(m, `location ${r.headers.get('location')}`);
  return Number(m[1]);
}

// Create an article as name; resolves to its id.
async function create(name, more) {
  return savedId(await adminPost(name, '/admin/articles', article(more)));
}

// The ids of the articles the API lists (the first 100).
async function apiIds() {
  const r = await get(stack.base, '/api/v1/articles?per_page=100');
  assert.equal(r.status, 200);
  return JSON.parse(r.text).data.map((a) => a.id);
}

// The public path of an article with this slug.
const pub = (slug) => `/articles/${encodeURIComponent(slug)}`;

// "YYYY-MM-DDTHH:MM:SS" in UTC, as a datetime-local field sends it.
const localTime = (ms) => new Date(ms).toISOString().slice(0, 19);

before(async () => {
  stack = await startSite();
  addUser(stack, 'writer', 'author');
  addUser(stack, 'writer2', 'author');
  addUser(stack, 'chief', 'editor');
  category = sql(stack, "SELECT id FROM categories WHERE slug = 'world'")[0].id;
  otherCategory = sql(stack, "SELECT id FROM categories WHERE slug = 'science'")[0].id;
  await signIn('writer');
  await signIn('writer2');
  await signIn('chief');
});

after(async () => {
  await stack?.stop();
});

describe('the way to publication', () => {
  let id;
  let slug;

  test('an author writes a draft that readers do not see', async () => {
    id = await create('writer', { title: 'Harbour cranes return to the quay', tags: 'Port, Cranes' });
    const row = articleRow(id);
    slug = row.slug;
    assert.equal(slug, 'harbour-cranes-return-to-the-quay');
    assert.equal(row.status, 'draft');
    assert.equal(row.body_html.trim(), '<p>Some text.</p>');
    assert.equal((await get(stack.base, pub(slug))).status, 404);
    assert.equal((await get(stack.base, `/api/v1/articles/${id}`)).status, 404);
    assert.ok(!(await apiIds()).includes(id));
    const tags = sql(stack, `SELECT t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
                      WHERE x.article_id = ${id} ORDER BY t.slug`);
    assert.deepEqual(tags, [{ slug: 'cranes', name: 'Cranes' }, { slug: 'port', name: 'Port' }]);
    const edit = await adminGet('writer', `/admin/articles/${id}/edit?saved=1`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /Saved\./);
    assert.match(edit.text, /value="Cranes, Port"/);
  });

  test('the author submits it for review', async () => {
    const r = await adminPost('writer', `/admin/articles/${id}`,
      article({ title: 'Harbour cranes return to the quay', slug, status: 'pending' }));
    assert.equal(savedId(r), id);
    assert.equal(articleRow(id).status, 'pending');
    assert.equal((await get(stack.base, pub(slug))).status, 404);
    const list = await adminGet('chief', '/admin/articles?status=pending');
    assert.match(list.text, new RegExp(`href="/admin/articles/${id}/edit"`));
  });

  test('an editor publishes it: on the home page and in the API at once', async () => {
    const r = await adminPost('chief', `/admin/articles/${id}`,
      article({ title: 'Harbour cranes return to the quay', slug, status: 'published' }));
    savedId(r);
    const row = articleRow(id);
    assert.equal(row.status, 'published');
    assert.ok(Math.abs(row.published_at - Date.now() / 1000) < 30);
    const page = await get(stack.base, pub(slug));
    assert.equal(page.status, 200);
    assert.match(page.text, /Harbour cranes return to the quay/);
    const home = await get(stack.base, '/');
    assert.match(home.text, /Harbour cranes return to the quay/);
    assert.ok((await apiIds()).includes(id));
  });

  test('once published, the author may no longer edit it', async () => {
    assert.equal((await adminGet('writer', `/admin/articles/${id}/edit`)).status, 403);
    const r = await adminPost('writer', `/admin/articles/${id}`, article({ title: 'Changed', status: 'pending' }));
    assert.equal(r.status, 403);
    assert.equal(articleRow(id).title, 'Harbour cranes return to the quay');
    assert.equal((await adminGet('writer', `/admin/articles/${id}/preview`)).status, 200);
  });

  test('a new slug of a published article: old addresses answer 301 to the newest', async () => {
    savedId(await adminPost('chief', `/admin/articles/${id}`,
      article({ title: 'Harbour cranes return to the quay', slug: 'cranes-return', status: 'published' })));
    let r = await get(stack.base, pub(slug));
    assert.equal(r.status, 301);
    assert.match(r.headers.get('location'), /\/articles\/cranes-return$/);
    savedId(await adminPost('chief', `/admin/articles/${id}`,
      article({ title: 'Harbour cranes return to the quay', slug: 'The Cranes Are Back', status: 'published' })));
    assert.equal(articleRow(id).slug, 'the-cranes-are-back');
    for (const old of [slug, 'cranes-return']) {
      r = await get(stack.base, pub(old));
      assert.equal(r.status, 301, old);
      assert.match(r.headers.get('location'), /\/articles\/the-cranes-are-back$/);
    }
    assert.equal((await get(stack.base, pub('the-cranes-are-back'))).status, 200);
  });

  test('a clashing slug gets -2', async () => {
    const other = await create('chief', { title: 'The cranes are back' });
    assert.equal(articleRow(other).slug, 'the-cranes-are-back-2');
    const third = await create('chief', { title: 'x', slug: 'cranes-return' });
    assert.equal(articleRow(third).slug, 'cranes-return-2', 'an old slug stays with its article');
  });
});

test('scheduled three seconds ahead: 404 now, visible on time with no cron', async () => {
  const id = await create('chief', {
    title: 'Tide tables for the spring', status: 'scheduled', when: localTime(Date.now() + 3000),
  });
  const { slug, status } = articleRow(id);
  assert.equal(status, 'scheduled');
  assert.equal((await get(stack.base, pub(slug))).status, 404);
  assert.ok(!(await apiIds()).includes(id));
  const list = await adminGet('chief', '/admin/articles?status=scheduled');
  assert.match(list.text, new RegExp(`/admin/articles/${id}/edit`));
  const end = Date.now() + 10000;
  let seen = 0;
  while (Date.now() < end) {
    seen = (await get(stack.base, pub(slug))).status;
    if (seen === 200) break;
    await sleep(250);
  }
  assert.equal(seen, 200);
  assert.ok((await apiIds()).includes(id));
  const home = await get(stack.base, '/');
  assert.match(home.text, /Tide tables for the spring/);
});

test('a scheduled time in the past is refused', async () => {
  const r = await adminPost('chief', '/admin/articles', article({
    title: 'Too late', status: 'scheduled', when: localTime(Date.now() - 3600e3),
  }));
  assert.equal(r.status, 400);
  assert.match(r.text, /must be in the future/);
});

test('an Arabic title makes a usable slug; the page is right to left', async () => {
  const title = 'مهرجان الموسيقى في المدينة القديمة!';
  const id = await create('chief', { title, lang: 'ar', status: 'published', body: '# عنوان\n\nنص المقال.' });
  const row = articleRow(id);
  assert.equal(row.slug, 'مهرجان-الموسيقى-في-المدينة-القديمة');
  assert.equal(row.dir, 'rtl');
  const page = await get(stack.base, pub(row.slug));
  assert.equal(page.status, 200);
  assert.match(page.text, /<article lang="ar" dir="rtl"/);
  assert.match(page.text, /<h1>عنوان<\/h1>/);
});

test('validation errors show the form again with what was typed', async () => {
  const typed = {
    title: '', summary: 'My <summary> & notes', body: 'Body I typed\nwith "quotes"', tags: 'one, two',
    slug: 'kept-slug',
  };
  const r = await adminPost('writer', '/admin/articles', article(typed));
  assert.equal(r.status, 400);
  assert.match(r.text, /The title is required\./);
  assert.ok(r.text.includes('My &lt;summary&gt; &amp; notes'));
  assert.ok(r.text.includes('Body I typed\nwith &quot;quotes&quot;'));
  assert.ok(r.text.includes('value="one, two"'));
  assert.ok(r.text.includes('value="kept-slug"'));
  assert.match(r.text, new RegExp(`<option value="${category}" selected>`));
  const long = await adminPost('writer', '/admin/articles', article({
    title: 'x'.repeat(201), summary: 's'.repeat(501), category: '999999',
  }));
  assert.equal(long.status, 400);
  assert.match(long.text, /longer than 200 characters/);
  assert.match(long.text, /longer than 500 characters/);
  assert.match(long.text, /Choose a category/);
  assert.equal(sql(stack, "SELECT count(*) AS n FROM articles WHERE title = '' OR length(title) > 200")[0].n, 0);
  const hidden = await adminPost('writer', '/admin/articles', article({
    title: 'Escape \u001b[31m red', summary: 'Two lines\nof summary, then \u202eesrever', category: String(category),
  }));
  assert.equal(hidden.status, 400);
  assert.match(hidden.text, /The title may not contain control characters or characters that change the direction of text\./);
  assert.match(hidden.text, /The summary may not contain control characters/);
  assert.equal(sql(stack, "SELECT count(*) AS n FROM articles WHERE title LIKE 'Escape%'")[0].n, 0);
});

test('the Preview button keeps the form as an autosave and shows it by a GET: a reload sends nothing again; nothing is saved', async () => {
  const before = sql(stack, 'SELECT count(*) AS n FROM articles')[0].n;
  const r = await adminPost('writer', '/admin/articles', article({
    title: 'Previewed', body: '## A heading\n\n- one\n- two\n\n<script>alert(1)</script>', action: 'preview',
  }));
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/articles/new?draft=1#preview');
  const editor = await adminGet('writer', '/admin/articles/new?draft=1');
  assert.equal(editor.status, 200);
  assert.match(editor.text, /name="title"[^>]*value="Previewed"/, 'the editor shows what was typed');
  assert.match(editor.text, /<iframe class="preview-frame" src="\/admin\/autosave\/preview\?article=0"/);
  const frame = await adminGet('writer', '/admin/autosave/preview?article=0');
  assert.equal(frame.status, 200);
  assert.match(frame.text, /<h2>A heading<\/h2>/);
  assert.match(frame.text, /<li>one<\/li>/);
  assert.match(frame.text, /<h1 class="article-title">Previewed<\/h1>/, 'in the site\'s own article page');
  assert.ok(!frame.text.includes('<script>alert(1)</script>'));
  assert.match(frame.headers.get('content-security-policy'), /frame-ancestors 'self'/);
  assert.equal(sql(stack, 'SELECT count(*) AS n FROM articles')[0].n, before);
});

test('the saved preview shows a draft as readers will see it', async () => {
  const id = await create('writer', { title: 'Draft in preview', body: '### Inside heading' });
  const r = await adminGet('writer', `/admin/articles/${id}/preview`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h3>Inside heading<\/h3>/);
  assert.match(r.text, /<article lang="en" dir="ltr"/);
  assert.match(r.headers.get('cache-control'), /no-store/);
  assert.equal((await adminGet('writer2', `/admin/articles/${id}/preview`)).status, 403);
});

describe('revisions', () => {
  test('every save keeps one; the diff marks lines; restore makes a new save', async () => {
    const id = await create('chief', { title: 'Rev one', body: 'alpha\nbeta\ngamma' });
    savedId(await adminPost('chief', `/admin/articles/${id}`, article({ title: 'Rev two', body: 'alpha\nBETA\ngamma\ndelta' })));
    const revs = sql(stack, `SELECT id, title, body_md FROM revisions WHERE article_id = ${id} ORDER BY id`);
    assert.equal(revs.length, 2);
    const list = await adminGet('chief', `/admin/articles/${id}/revisions`);
    assert.equal(list.status, 200);
    for (const r of revs) assert.ok(list.text.includes(`/admin/articles/${id}/revisions/${r.id}"`));
    assert.match(list.text, /chief/);
    const diff = await adminGet('chief', `/admin/articles/${id}/revisions/${revs[0].id}`);
    assert.equal(diff.status, 200);
    assert.match(diff.text, /<del>beta<\/del>/);
    assert.match(diff.text, /<ins>BETA<\/ins>/);
    assert.match(diff.text, /<ins>delta<\/ins>/);
    assert.match(diff.text, /<span>alpha<\/span>/);
    const r = await adminPost('chief', `/admin/articles/${id}/revisions/${revs[0].id}/restore`, {});
    assert.equal(savedId(r), id);
    const row = articleRow(id);
    assert.equal(row.title, 'Rev one');
    assert.equal(row.body_md, 'alpha\nbeta\ngamma');
    assert.match(row.body_html, /alpha/);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM revisions WHERE article_id = ${id}`)[0].n, 3);
    assert.equal((await adminGet('chief', `/admin/articles/${id}/revisions/999999`)).status, 404);
  });

  test('texts over 2000 lines are shown side by side', async () => {
    const long = Array.from({ length: 2100 }, (_, i) => `line ${i}`).join('\n');
    const id = await create('chief', { title: 'Long one', body: long });
    savedId(await adminPost('chief', `/admin/articles/${id}`, article({ title: 'Long one', body: 'short now' })));
    const rid = sql(stack, `SELECT min(id) AS id FROM revisions WHERE article_id = ${id}`)[0].id;
    const r = await adminGet('chief', `/admin/articles/${id}/revisions/${rid}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /side by side/);
    assert.ok(!r.text.includes('<del>line 1</del>'));
  });
});

describe('roles', () => {
  let mine;
  before(async () => {
    mine = await create('writer', { title: 'Writer own draft' });
  });

  test('an author cannot edit another author\'s article', async () => {
    assert.equal((await adminGet('writer2', `/admin/articles/${mine}/edit`)).status, 403);
    const r = await adminPost('writer2', `/admin/articles/${mine}`, article({ title: 'Taken over' }));
    assert.equal(r.status, 403);
    assert.equal(articleRow(mine).title, 'Writer own draft');
    const list = await adminGet('writer2', '/admin/articles');
    assert.ok(!list.text.includes('Writer own draft'), 'authors list only their own');
  });

  test('an author cannot publish or schedule', async () => {
    let r = await adminPost('writer', `/admin/articles/${mine}`, article({ title: 'Writer own draft', status: 'published' }));
    assert.equal(r.status, 403);
    r = await adminPost('writer', '/admin/articles', article({
      title: 'Sneaky', status: 'scheduled', when: localTime(Date.now() + 3600e3),
    }));
    assert.equal(r.status, 403);
    assert.equal(articleRow(mine).status, 'draft');
    assert.equal(sql(stack, "SELECT count(*) AS n FROM articles WHERE title = 'Sneaky'")[0].n, 0);
    const form = await adminGet('writer', '/admin/articles/new');
    assert.ok(!form.text.includes('value="published"'));
  });

  test('an author cannot delete; an editor can', async () => {
    let r = await adminPost('writer', `/admin/articles/${mine}/delete`, {});
    assert.equal(r.status, 403);
    assert.ok(articleRow(mine));
    r = await adminPost('chief', `/admin/articles/${mine}/delete`, {});
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/admin/articles?deleted=1');
    assert.equal(articleRow(mine), undefined);
    assert.equal((await adminGet('chief', `/admin/articles/${mine}/edit`)).status, 404);
  });
});

describe('guards on every POST', () => {
  let id;
  before(async () => {
    id = await create('writer', { title: 'Guarded draft' });
  });

  test('a POST without the csrf field is refused', async () => {
    const r = await postFields(stack, `/admin/articles/${id}`, article({ title: 'No token' }), { cookie: people.writer.cookie });
    assert.equal(r.status, 403);
    const d = await postFields(stack, `/admin/articles/${id}/delete`, {}, { cookie: people.chief.cookie });
    assert.equal(d.status, 403);
    assert.equal(articleRow(id).title, 'Guarded draft');
  });

  test('another session\'s token is refused', async () => {
    const r = await postFields(stack, `/admin/articles/${id}`, { ...article({ title: 'Wrong token' }), csrf: people.chief.csrf },
      { cookie: people.writer.cookie });
    assert.equal(r.status, 403);
    assert.equal(articleRow(id).title, 'Guarded draft');
  });

  test('an Origin from another site is refused', async () => {
    const r = await adminPost('writer', `/admin/articles/${id}`, article({ title: 'From afar' }), { origin: EVIL });
    assert.equal(r.status, 403);
    assert.equal(articleRow(id).title, 'Guarded draft');
  });

  test('without a session: POST 401, GET to the sign-in page', async () => {
    const r = await postFields(stack, '/admin/articles', article({ title: 'Nobody' }));
    assert.equal(r.status, 401);
    const g = await get(stack.base, '/admin/articles/new');
    assert.equal(g.status, 303);
    assert.match(g.headers.get('location'), /^\/admin\/login\?next=/);
  });
});

describe('the list', () => {
  test('filters by status, category, author and title, with escaped wildcards', async () => {
    const a = await create('chief', { title: 'Rates up 100% this year', category: String(otherCategory) });
    const b = await create('chief', { title: 'Rates up 1000 this year' });
    let r = await adminGet('chief', `/admin/articles?q=${encodeURIComponent('100%')}`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`/admin/articles/${a}/edit`));
    assert.ok(!r.text.includes(`/admin/articles/${b}/edit`), '% is a plain character');
    r = await adminGet('chief', `/admin/articles?q=Rates&category=${otherCategory}`);
    assert.match(r.text, new RegExp(`/admin/articles/${a}/edit`));
    assert.ok(!r.text.includes(`/admin/articles/${b}/edit`));
    const chief = sql(stack, "SELECT id FROM users WHERE username = 'chief'")[0].id;
    r = await adminGet('chief', `/admin/articles?author=${chief}&status=draft&q=Rates`);
    assert.match(r.text, new RegExp(`/admin/articles/${b}/edit`));
    r = await adminGet('chief', '/admin/articles?status=published&q=Rates');
    assert.ok(!r.text.includes(`/admin/articles/${a}/edit`));
    assert.equal((await adminGet('chief', '/admin/articles?page=x')).status, 400);
  });

  test('pages of 20', async () => {
    const r1 = await adminGet('chief', '/admin/articles');
    const rows = (t) => (t.match(/<tr data-article-id=/g) || []).length;
    assert.equal(rows(r1.text), 20);
    assert.match(r1.text, /href="\/admin\/articles\?page=2" rel="next"/);
    const total = sql(stack, 'SELECT count(*) AS n FROM articles')[0].n;
    const r2 = await adminGet('chief', '/admin/articles?page=2');
    assert.equal(rows(r2.text), Math.min(20, total - 20));
  });
});
