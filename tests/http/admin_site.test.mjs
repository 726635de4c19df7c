// The newsroom's site screens end to end: categories, tags, comment
// moderation, users and settings, each checked by what readers then see.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { Browser, PASSWORD, addUser, assertCheck, setBaseUrl, settle, signIn, sql } from './helpers.mjs';

// The id of the row of table whose column col is value.
const idOf = (stack, table, col, value) => {
  const rows = sql(stack, `SELECT id FROM ${table} WHERE ${col} = '${value.replace(/'/g, "''")}'`);
  assert.equal(rows.length, 1, `${table} ${col}=${value}`);
  return rows[0].id;
};

// A live article (slug) with tag slug tag, and one in category cat.
const articleWithTag = (stack, tag) => sql(stack, `SELECT a.slug FROM articles a
  JOIN article_tags x ON x.article_id = a.id JOIN tags t ON t.id = x.tag_id
  WHERE t.slug = '${tag}' AND a.status = 'published' ORDER BY a.id LIMIT 1`)[0].slug;

// Adds a comment with status straight to the database; returns its id.
function addComment(stack, articleSlug, body, status = 'pending') {
  const q = `INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)
    SELECT id, 'Test Reader', 'reader@example.org', '${body.replace(/'/g, "''")}', '${status}',
    strftime('%s','now') FROM articles WHERE slug = '${articleSlug}' RETURNING id`;
  return sql(stack, q)[0].id;
}

// The count on the home page card of article slug (0 when none is shown).
async function homeCount(stack, slug) {
  const home = await get(stack.base, '/');
  const m = new RegExp(`href="/articles/${slug}#comments"[^>]*>\\s*(\\d+)`).exec(home.text);
  return m ? Number(m[1]) : 0;
}

let stack;
let editor;
let admin;

before(async () => {
  stack = await startStack({ settings: { comment_min_seconds: 0, comment_flood_seconds: 0 } });
  setBaseUrl(stack);
  addUser(stack, 'ed', 'editor');
  addUser(stack, 'ad', 'admin');
  editor = await signIn(stack, 'ed');
  admin = await signIn(stack, 'ad');
});
after(async () => { if (stack) await stack.stop(); });

describe('categories', () => {
  test('the list shows every category with its article count', async () => {
    const r = await editor.get('/admin/categories');
    assert.equal(r.status, 200);
    for (const c of sql(stack, `SELECT c.id, c.name, (SELECT count(*) FROM articles a
      WHERE a.category_id = c.id) AS n FROM categories c`)) {
      assert.match(r.text, new RegExp(`href="/admin/categories/${c.id}">${c.name}</a>[\\s\\S]*?<td>${c.n}</td>`));
    }
  });

  test('a new category gets a slug from its name and shows in the nav once it holds a published article', async () => {
    const r = await editor.post('/admin/categories', { name: 'Opinion & Letters', slug: '', description: 'Yours.' });
    assert.equal(r.status, 303);
    assert.match(r.location, /^\/admin\/categories/);
    const link = /<a href="\/category\/opinion-letters">Opinion &amp; Letters<\/a>/;
    assert.doesNotMatch((await get(stack.base, '/')).text, link, 'an empty category is not public yet');
    assert.equal((await get(stack.base, '/category/opinion-letters')).status, 404);
    const id = idOf(stack, 'categories', 'slug', 'opinion-letters');
    const article = sql(stack, "SELECT id, category_id FROM articles WHERE status = 'published' AND published_at < unixepoch() ORDER BY id LIMIT 1")[0];
    sql(stack, `UPDATE articles SET category_id = ${id} WHERE id = ${article.id}`);
    await settle(stack); // the change reaches nginx's cache
    assert.match((await get(stack.base, '/')).text, link);
    assert.equal((await get(stack.base, '/category/opinion-letters')).status, 200);
    sql(stack, `UPDATE articles SET category_id = ${article.category_id} WHERE id = ${article.id}`);
    await settle(stack);
  });

  test('bad input is refused with the form shown again as typed', async () => {
    const taken = await editor.post('/admin/categories', { name: 'Worldwide <b>', slug: 'world', description: 'typed text' });
    assert.equal(taken.status, 400);
    assert.match(taken.text, /value="Worldwide &lt;b&gt;"/);
    assert.match(taken.text, />typed text<\/textarea>/);
    assert.match(taken.text, /class="form-error"/);
    assert.match(taken.text, /That slug is already used/, 'the slug typed is what is taken');
    const sameName = await editor.post('/admin/categories', { name: 'World', slug: '', description: '' });
    assert.equal(sameName.status, 400);
    assert.match(sameName.text, /That name is already used/, 'no slug was typed: the name is what is taken');
    const empty = await editor.post('/admin/categories', { name: '  ', slug: '', description: '' });
    assert.equal(empty.status, 400);
    const noSlug = await editor.post('/admin/categories', { name: '!!!', slug: '', description: '' });
    assert.equal(noSlug.status, 400);
  });

  test('renaming changes the nav and the address of the category at once', async () => {
    const id = idOf(stack, 'categories', 'slug', 'science');
    const page = await editor.get(`/admin/categories/${id}`);
    assert.equal(page.status, 200);
    const r = await editor.post(`/admin/categories/${id}`, { name: 'Science & Health', slug: 'Science Health', description: 'Labs and clinics.' });
    assert.equal(r.status, 303);
    const home = await get(stack.base, '/');
    assert.match(home.text, /<a href="\/category\/science-health">Science &amp; Health<\/a>/);
    const cat = await get(stack.base, '/category/science-health');
    assert.equal(cat.status, 200);
    assert.match(cat.text, /Labs and clinics\./);
    assert.equal((await get(stack.base, '/category/science')).status, 404);
  });

  test('a category with articles is deleted only by moving its articles in the same step', async () => {
    const id = idOf(stack, 'categories', 'slug', 'sport');
    const to = idOf(stack, 'categories', 'slug', 'culture');
    const n = sql(stack, `SELECT count(*) AS n FROM articles WHERE category_id = ${id}`)[0].n;
    assert.ok(n > 0, 'the demo has sport articles');
    const page = await editor.get(`/admin/categories/${id}`);
    assert.match(page.text, /cannot be deleted until its articles are moved/);
    assert.match(page.text, /name="move_to"/);
    const refused = await editor.post(`/admin/categories/${id}/delete`, { move_to: '' });
    assert.equal(refused.status, 400);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM categories WHERE id = ${id}`)[0].n, 1);
    const self = await editor.post(`/admin/categories/${id}/delete`, { move_to: String(id) });
    assert.equal(self.status, 400);
    const r = await editor.post(`/admin/categories/${id}/delete`, { move_to: String(to) });
    assert.equal(r.status, 303);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM categories WHERE id = ${id}`)[0].n, 0);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM articles WHERE category_id = ${id}`)[0].n, 0);
    assert.equal((await get(stack.base, '/category/sport')).status, 404);
    const home = await get(stack.base, '/');
    assert.doesNotMatch(home.text, /href="\/category\/sport"/);
    assertCheck(stack);
  });

  test('an empty category is deleted at once', async () => {
    const id = idOf(stack, 'categories', 'slug', 'opinion-letters');
    const page = await editor.get(`/admin/categories/${id}`);
    assert.doesNotMatch(page.text, /name="move_to"/);
    const r = await editor.post(`/admin/categories/${id}/delete`, {});
    assert.equal(r.status, 303);
    assert.equal((await get(stack.base, '/category/opinion-letters')).status, 404);
  });
});

describe('tags', () => {
  test('the list shows every tag with its count; a new tag gets a slug', async () => {
    const r = await editor.get('/admin/tags');
    assert.equal(r.status, 200);
    const climate = sql(stack, `SELECT t.id, (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id) AS n
      FROM tags t WHERE slug = 'climate'`)[0];
    assert.match(r.text, new RegExp(`href="/admin/tags/${climate.id}">Climate</a>[\\s\\S]*?<td>${climate.n}</td>`));
    const add = await editor.post('/admin/tags', { name: 'Harbour Life', slug: '' });
    assert.equal(add.status, 303);
    assert.equal(idOf(stack, 'tags', 'slug', 'harbour-life') > 0, true);
    const dup = await editor.post('/admin/tags', { name: 'Again', slug: 'harbour-life' });
    assert.equal(dup.status, 400);
    assert.match(dup.text, /value="Again"/);
  });

  test('renaming a tag shows on its articles', async () => {
    const slug = articleWithTag(stack, 'climate');
    const id = idOf(stack, 'tags', 'slug', 'climate');
    const r = await editor.post(`/admin/tags/${id}`, { name: 'Climate change', slug: 'climate-change' });
    assert.equal(r.status, 303);
    const page = await get(stack.base, `/articles/${slug}`);
    assert.match(page.text, /<a href="\/tag\/climate-change" rel="tag" dir="auto">Climate change<\/a>/);
    assert.equal((await get(stack.base, '/tag/climate-change')).status, 200);
  });

  test('deleting a tag removes it from its articles, which stay', async () => {
    const slug = articleWithTag(stack, 'flooding');
    const id = idOf(stack, 'tags', 'slug', 'flooding');
    const page = await editor.get(`/admin/tags/${id}`);
    assert.match(page.text, /the articles themselves stay/);
    const before = sql(stack, 'SELECT count(*) AS n FROM articles')[0].n;
    const r = await editor.post(`/admin/tags/${id}/delete`, {});
    assert.equal(r.status, 303);
    const art = await get(stack.base, `/articles/${slug}`);
    assert.equal(art.status, 200);
    assert.doesNotMatch(art.text, /href="\/tag\/flooding"/);
    assert.equal((await get(stack.base, '/tag/flooding')).status, 404);
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM articles')[0].n, before);
  });
});

describe('comment moderation', () => {
  // The newest live article: its card leads the home page.
  let lead;
  before(() => {
    lead = sql(stack, `SELECT slug FROM articles WHERE status = 'published'
      AND published_at <= strftime('%s','now') ORDER BY published_at DESC LIMIT 1`)[0].slug;
  });

  test('the queue shows pending comments first, with counts per status', async () => {
    const id = addComment(stack, lead, 'First line <script>x</script>\nsecond line');
    const r = await editor.get('/admin/comments');
    assert.equal(r.status, 200);
    const counts = Object.fromEntries(sql(stack, 'SELECT status, count(*) AS n FROM comments GROUP BY status')
      .map((x) => [x.status, x.n]));
    for (const s of ['pending', 'approved', 'spam', 'trash']) {
      assert.match(r.text, new RegExp(`status=${s}"[^>]*>[^<]+<span class="count">\\(${counts[s] || 0}\\)`));
    }
    assert.match(r.text, /aria-current="page">Pending/);
    assert.match(r.text, /First line &lt;script&gt;x&lt;\/script&gt;\nsecond line/);
    assert.match(r.text, /reader@example\.org/);
    assert.match(r.text, new RegExp(`formaction="/admin/comments/${id}"`));
    assert.match(r.text, new RegExp(`href="/articles/${lead}"`));
    const spam = await editor.get('/admin/comments?status=spam');
    assert.match(spam.text, /aria-current="page">Spam/);
    assert.equal((await editor.get('/admin/comments?status=bogus')).status, 400);
  });

  test('approving a comment shows it on the article page and in the count at once', async () => {
    const id = addComment(stack, lead, 'A comment worth approving');
    const before = await homeCount(stack, lead);
    const article = await get(stack.base, `/articles/${lead}`);
    assert.doesNotMatch(article.text, /A comment worth approving/);
    const r = await editor.post(`/admin/comments/${id}`, [['action', 'approve'], ['status', 'pending']]);
    assert.equal(r.status, 303);
    assert.match(r.location, /status=pending&done=1/);
    const after = await get(stack.base, `/articles/${lead}`);
    assert.match(after.text, /A comment worth approving/);
    assert.equal(await homeCount(stack, lead), before + 1);
    assertCheck(stack);
  });

  test('bulk actions change the checked comments in one go', async () => {
    const ids = [1, 2, 3].map((i) => addComment(stack, lead, `bulk ${i}`));
    const fields = [['bulk_action', 'spam'], ['status', 'pending'], ...ids.map((i) => ['id', String(i)])];
    const r = await editor.post('/admin/comments', fields);
    assert.equal(r.status, 303);
    assert.match(r.location, /done=3/);
    const rows = sql(stack, `SELECT status FROM comments WHERE id IN (${ids.join(',')})`);
    assert.deepEqual(rows.map((x) => x.status), ['spam', 'spam', 'spam']);
    const approve = await editor.post('/admin/comments', [['bulk_action', 'approve'], ['status', 'spam'], ...ids.map((i) => ['id', String(i)])]);
    assert.equal(approve.status, 303);
    assertCheck(stack);
    const none = await editor.post('/admin/comments', [['bulk_action', 'explode'], ['id', String(ids[0])]]);
    assert.equal(none.status, 400);
  });

  test('only a comment in the trash can be deleted for ever', async () => {
    const id = addComment(stack, lead, 'to be deleted', 'approved');
    sql(stack, `UPDATE articles SET comment_count = comment_count + 1 WHERE slug = '${lead}'`);
    const early = await editor.post(`/admin/comments/${id}`, { action: 'delete' });
    assert.equal(early.status, 303);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM comments WHERE id = ${id}`)[0].n, 1);
    await editor.post(`/admin/comments/${id}`, { action: 'trash' });
    const trash = await editor.get('/admin/comments?status=trash');
    assert.match(trash.text, new RegExp(`value="delete" form="moderation-form" formaction="/admin/comments/${id}"`));
    const r = await editor.post(`/admin/comments/${id}`, { action: 'delete', status: 'trash' });
    assert.equal(r.status, 303);
    assert.match(r.location, /status=trash/);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM comments WHERE id = ${id}`)[0].n, 0);
    assertCheck(stack);
  });
});

describe('users', () => {
  test('an admin adds a user, who can then sign in', async () => {
    const short = await admin.post('/admin/users', { username: 'newbie', name: 'New Bie', role: 'author', password: 'short' });
    assert.equal(short.status, 400);
    assert.match(short.text, /value="newbie"/);
    assert.match(short.text, /value="New Bie"/);
    const bad = await admin.post('/admin/users', { username: 'Bad Name', name: '', role: 'author', password: PASSWORD });
    assert.equal(bad.status, 400);
    const r = await admin.post('/admin/users', { username: 'newbie', name: 'New Bie', role: 'author', password: PASSWORD });
    assert.equal(r.status, 303);
    const list = await admin.get('/admin/users');
    assert.match(list.text, />newbie<\/a>/);
    assert.match(list.text, />New Bie</);
    const dup = await admin.post('/admin/users', { username: 'newbie', name: 'x', role: 'author', password: PASSWORD });
    assert.equal(dup.status, 400);
    await signIn(stack, 'newbie');
  });

  test('changing the role takes effect at once', async () => {
    const b = await signIn(stack, 'newbie');
    assert.equal((await b.get('/admin/categories')).status, 403);
    const id = idOf(stack, 'users', 'username', 'newbie');
    assert.equal((await admin.post(`/admin/users/${id}/role`, { role: 'editor' })).status, 303);
    assert.equal((await b.get('/admin/categories')).status, 200);
    assert.equal((await admin.post(`/admin/users/${id}/role`, { role: 'boss' })).status, 400);
  });

  test('disabling ends the sessions and refuses sign-in; enabling lets them back', async () => {
    const b = await signIn(stack, 'newbie');
    const id = idOf(stack, 'users', 'username', 'newbie');
    assert.equal((await admin.post(`/admin/users/${id}/state`, { state: 'disabled' })).status, 303);
    assert.equal((await b.get('/admin')).status, 303);
    const refused = await new Browser(stack.base).request('POST', '/admin/login', { fields: { username: 'newbie', password: PASSWORD } });
    assert.equal(refused.status, 401);
    assert.match((await admin.get('/admin/users')).text, /newbie<\/a>[\s\S]*?disabled/);
    assert.equal((await admin.post(`/admin/users/${id}/state`, { state: 'active' })).status, 303);
    await signIn(stack, 'newbie');
  });

  test('a new password ends the user\'s sessions', async () => {
    const b = await signIn(stack, 'newbie');
    const id = idOf(stack, 'users', 'username', 'newbie');
    assert.equal((await admin.post(`/admin/users/${id}/password`, { password: 'short' })).status, 400);
    const r = await admin.post(`/admin/users/${id}/password`, { password: 'brand-new-password' });
    assert.equal(r.status, 303);
    assert.equal((await b.get('/admin')).status, 303);
    await signIn(stack, 'newbie', 'brand-new-password');
  });

  test('an admin can neither demote nor disable themselves', async () => {
    const id = idOf(stack, 'users', 'username', 'ad');
    assert.equal((await admin.post(`/admin/users/${id}/role`, { role: 'editor' })).status, 400);
    assert.equal((await admin.post(`/admin/users/${id}/state`, { state: 'disabled' })).status, 400);
    assert.equal(sql(stack, `SELECT role, disabled FROM users WHERE id = ${id}`)[0].role, 'admin');
    assert.equal(sql(stack, `SELECT disabled FROM users WHERE id = ${id}`)[0].disabled, 0);
    assert.equal((await admin.get('/admin/users')).status, 200);
  });
});

describe('settings', () => {
  // Every field of the form, with the values the test wants.
  const fields = (over = {}) => ({
    site_name: 'Gazette', tagline: '', language: 'en', base_url: stack.base, api_origins: '',
    comment_moderation: 'auto', comment_max_depth: '3', rating_ip_cap: '5',
    comment_min_seconds: '0', comment_flood_seconds: '0', comment_flood_hourly: '30',
    embed_hosts: 'www.youtube.com/embed/ player.vimeo.com/video/',
    publisher_name: '', publisher_logo: '/static/logo.png', twitter_site: '', share_image: '/static/share.png',
    share_image_width: '1200', share_image_height: '630', share_image_alt: '', feed_entries: '20',
    robots_extra: '', timezone: 'UTC', small_edits_shown: 'no', ...over,
  });

  test('the form shows the current values', async () => {
    const r = await admin.get('/admin/settings');
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`name="base_url" [^>]*value="${stack.base}"`));
    assert.match(r.text, /<option value="en" selected>/);
  });

  test('bad values are refused, shown again as typed, and nothing is saved', async () => {
    const r = await admin.post('/admin/settings', fields({ site_name: 'Not saved', comment_max_depth: '99', base_url: 'ftp://x' }));
    assert.equal(r.status, 400);
    assert.match(r.text, /name="site_name" [^>]*value="Not saved"/);
    assert.match(r.text, /name="comment_max_depth" [^>]*value="99"/);
    assert.equal((r.text.match(/class="field-error"/g) || []).length, 2);
    assert.doesNotMatch((await get(stack.base, '/')).text, /Not saved/);
  });

  test('what search engines and social networks are told is set here, and applies at once', async () => {
    const bad = await admin.post('/admin/settings', fields({ twitter_site: 'harbour post', share_image: 'javascript:x',
      robots_extra: 'Disallow: /a\u0007' }));
    assert.equal(bad.status, 400);
    assert.equal((bad.text.match(/class="field-error"/g) || []).length, 3);
    assert.match(bad.text, /A handle is @ followed by up to 15 letters/);
    const r = await admin.post('/admin/settings', fields({
      publisher_name: 'Harbour Media', twitter_site: '@harbour', share_image: 'https://cdn.example/s.jpg',
      share_image_width: '800', share_image_height: '420', share_image_alt: 'The quay', feed_entries: '5',
      robots_extra: 'Disallow: /private\r\n',
    }));
    assert.equal(r.status, 303);
    const home = await get(stack.base, '/');
    assert.match(home.text, /<meta property="og:image" content="https:\/\/cdn.example\/s.jpg">/);
    assert.match(home.text, /<meta property="og:image:width" content="800">/);
    assert.match(home.text, /<meta property="og:image:alt" content="The quay">/);
    assert.match(home.text, /<meta name="twitter:site" content="@harbour">/);
    assert.match(home.text, /"name":"Harbour Media"/);
    assert.match((await get(stack.base, '/robots.txt')).text, /Disallow: \/search\nDisallow: \/private\n\nSitemap: /);
    assert.equal((JSON.parse((await get(stack.base, '/feed.json')).text)).items.length, 5);
    const form = await admin.get('/admin/settings');
    assert.match(form.text, /<textarea id="set-robots_extra" name="robots_extra" rows="4" dir="ltr">Disallow: \/private<\/textarea>/);
    const back = await admin.post('/admin/settings', fields());
    assert.equal(back.status, 303);
  });

  test('site name, moderation and language apply on the site at once', async () => {
    const r = await admin.post('/admin/settings', fields({
      site_name: 'The Harbour <Post>', tagline: 'News by the sea', comment_moderation: 'hold_all',
    }));
    assert.equal(r.status, 303);
    let home = await get(stack.base, '/');
    assert.match(home.text, /<title>[^<]*The Harbour &lt;Post&gt;[^<]*<\/title>/);
    assert.match(home.text, /<html lang="en" dir="ltr">/);
    assert.equal(sql(stack, "SELECT value FROM settings WHERE key = 'comment_moderation'")[0].value, 'hold_all');
    const ar = await admin.post('/admin/settings', fields({ site_name: 'The Harbour <Post>', language: 'ar' }));
    assert.equal(ar.status, 303);
    home = await get(stack.base, '/');
    assert.match(home.text, /<html lang="ar" dir="rtl">/);
    const back = await admin.get('/admin/settings');
    assert.match(back.text, /<html lang="ar" dir="rtl">/);
    assert.match(back.text, /<option value="ar" selected>/);
    assert.match(back.text, /مسجّل الدخول باسم <strong>[^<]*<\/strong> \((مدير|محرر|كاتب)[^)]*\)/,
      'the role in Arabic too');
  });
});
