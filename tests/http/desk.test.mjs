// The newsroom's desk over HTTP: autosaves and their preview, a save
// refused when someone else saved meanwhile, times in the site's zone,
// bylines, bulk actions on the list, the newsroom's replies and
// corrections to comments, comments closed per article; and what readers
// see of them: their vote through the redirect's address, whom a reply
// form answers, the matching passage of a search. Every new form with its
// bad input.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import { PASSWORD, RELAXED, addUser, assertCheck, gazette, postFields, sql, startSite, urlOf } from './helpers.mjs';

let stack;
let category;
const people = {};

async function signIn(name) {
  const r = await postFields(stack, '/admin/login', { username: name, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${name}: ${r.status}`);
  const cookie = `gz_session=${/gz_session=([0-9a-f]+)/.exec(r.headers.get('set-cookie'))[1]}`;
  const page = await get(stack.base, '/admin/articles/new', { headers: { Cookie: cookie } });
  people[name] = { cookie, csrf: /name="csrf" value="([0-9a-f]+)"/.exec(page.text)[1] };
}
const adminGet = (name, url) => get(stack.base, url, { headers: { Cookie: people[name].cookie } });
const adminPost = (name, url, fields) =>
  postFields(stack, url, [['csrf', people[name].csrf], ...(Array.isArray(fields) ? fields : Object.entries(fields))],
    { cookie: people[name].cookie });
const form = (more = {}) => ({
  title: 'A title', slug: '', category: String(category), tags: '', summary: '', body: 'Some text.',
  lang: 'en', status: 'draft', when: '', ...more,
});
async function create(name, more) {
  const r = await adminPost(name, '/admin/articles', form(more));
  assert.equal(r.status, 303, `create: ${r.status} ${r.text.slice(0, 300)}`);
  return Number(/\/admin\/articles\/(\d+)\/edit/.exec(r.headers.get('location'))[1]);
}
const versionOf = (id) => sql(stack, `SELECT version FROM articles WHERE id = ${id}`)[0].version;

before(async () => {
  stack = await startSite(RELAXED);
  addUser(stack, 'chief', 'editor');
  addUser(stack, 'deputy', 'editor');
  addUser(stack, 'writer', 'author');
  addUser(stack, 'other', 'author');
  addUser(stack, 'boss', 'admin');
  category = sql(stack, "SELECT id FROM categories WHERE slug = 'world'")[0].id;
  for (const n of ['chief', 'deputy', 'writer', 'other', 'boss']) await signIn(n);
});
after(async () => { await stack?.stop(); });

describe('autosave', () => {
  test('the script\'s autosave answers JSON with the time and the word count; the editor then offers it back', async () => {
    const id = await create('writer', { title: 'Autosaved' });
    const r = await postFields(stack, '/admin/autosave', {
      csrf: people.writer.csrf, article: String(id), version: '1', ...form({ title: 'Autosaved, typed on', body: 'one two three' }),
    }, { cookie: people.writer.cookie });
    assert.equal(r.status, 303, 'a plain form post comes back to the editor');
    assert.equal(r.headers.get('location'), `/admin/articles/${id}/edit?draft=1`);
    const json = await get(stack.base, '/admin/autosave', {
      method: 'POST',
      headers: { Cookie: people.writer.cookie, Origin: stack.base, Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: people.writer.csrf, article: String(id), ...form({ body: 'one two three four' }) }).toString(),
    });
    assert.equal(json.status, 200);
    const doc = JSON.parse(json.text);
    assert.equal(doc.words, 4);
    assert.match(doc.saved_display, /^Autosaved at \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const editor = await adminGet('writer', `/admin/articles/${id}/edit`);
    assert.match(editor.text, /You have unsaved changes to this article, autosaved at/);
    assert.match(editor.text, new RegExp(`href="/admin/articles/${id}/edit\\?draft=1"`));
    assert.equal(sql(stack, `SELECT title FROM articles WHERE id = ${id}`)[0].title, 'Autosaved', 'not saved');
    const discard = await adminPost('writer', '/admin/autosave/discard', { article: String(id) });
    assert.equal(discard.status, 303);
    assert.doesNotMatch((await adminGet('writer', `/admin/articles/${id}/edit`)).text, /You have unsaved changes to this article/);
  });

  test('a text without a title or a section yet can be previewed (the button skips the browser\'s checks); saving it is refused', async () => {
    const editor = await adminGet('writer', '/admin/articles/new');
    assert.match(editor.text, /<button type="submit" name="action" value="preview" [^>]*formnovalidate>/);
    const r = await adminPost('writer', '/admin/articles', form({ title: '', category: '', body: 'Words before a title.', action: 'preview' }));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/admin/articles/new?draft=1#preview');
    assert.match((await adminGet('writer', '/admin/autosave/preview?article=0')).text, /Words before a title\./);
    assert.equal((await adminPost('writer', '/admin/articles', form({ title: '', category: '', action: 'save' }))).status, 400);
  });

  test('bad autosaves are refused: no article field, a malformed one, someone else\'s article, an unknown one', async () => {
    const theirs = await create('other', { title: 'Not the writer\'s' });
    assert.equal((await adminPost('writer', '/admin/autosave', form())).status, 400);
    assert.equal((await adminPost('writer', '/admin/autosave', { article: 'x1', ...form() })).status, 400);
    assert.equal((await adminPost('writer', '/admin/autosave', { article: String(theirs), ...form() })).status, 403);
    assert.equal((await adminPost('writer', '/admin/autosave', { article: '999999', ...form() })).status, 404);
    assert.equal((await adminPost('writer', '/admin/autosave/discard', {})).status, 400);
    assert.equal((await adminGet('writer', '/admin/autosave/preview?article=abc')).status, 400);
    assert.equal((await adminGet('writer', `/admin/autosave/preview?article=${theirs}`)).status, 403);
    assert.equal(sql(stack, `SELECT count(*) AS n FROM autosaves WHERE article_id = ${theirs}`)[0].n, 0);
  });
});

describe('two editors on one article', () => {
  test('the second save is refused with the difference, then goes through once seen', async () => {
    const id = await create('chief', { title: 'Shared', body: 'line one\nline two' });
    const v = versionOf(id);
    const first = await adminPost('chief', `/admin/articles/${id}`, { ...form({ title: 'Shared', body: 'line one\nline 2 by chief' }), version: String(v), action: 'save' });
    assert.equal(first.status, 303);
    const second = await adminPost('deputy', `/admin/articles/${id}`, { ...form({ title: 'Shared', body: 'line one\nline two\nline three by deputy' }), version: String(v), action: 'save' });
    assert.equal(second.status, 409);
    assert.match(second.text, /Someone else saved this article after you opened it/);
    assert.match(second.text, /<del class="line">line 2 by chief<\/del>/, 'their line struck out');
    assert.match(second.text, /<ins class="line">line three by deputy<\/ins>/, 'mine marked');
    assert.match(second.text, /line three by deputy<\/textarea>/, 'what deputy typed is kept');
    assert.equal(sql(stack, `SELECT body_md FROM article_bodies WHERE article_id = ${id}`)[0].body_md, 'line one\nline 2 by chief');
    const newer = /name="version" value="(\d+)"/.exec(second.text)[1];
    assert.equal(Number(newer), versionOf(id));
    const third = await adminPost('deputy', `/admin/articles/${id}`, { ...form({ title: 'Shared', body: 'merged' }), version: newer, action: 'save' });
    assert.equal(third.status, 303);
    assert.equal(sql(stack, `SELECT body_md FROM article_bodies WHERE article_id = ${id}`)[0].body_md, 'merged');
  });
});

describe('time', () => {
  test('the site\'s zone: scheduled times are typed and shown in it, stored in UTC; a skipped hour is refused', async () => {
    assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'timezone', 'Mars/Base']).status === 0, false);
    const settings = await adminGet('boss', '/admin/settings');
    assert.match(settings.text, /<option value="Europe\/Paris">Europe\/Paris<\/option>/, 'the zones of tzdata to choose from');
    const fields = [...settings.text.matchAll(/name="([a-z_]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]])
      .filter(([k]) => k !== 'csrf');
    const bad = await adminPost('boss', '/admin/settings', [...fields.filter(([k]) => k !== 'timezone'),
      ['language', 'en'], ['comment_moderation', 'auto'], ['small_edits_shown', 'no'], ['robots_extra', ''], ['timezone', 'Mars/Base']]);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Choose a time zone from the list\./);
    assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'timezone', 'Europe/Paris']).status, 0);
    const id = await create('chief', { title: 'Scheduled in Paris', status: 'scheduled', when: '2031-07-14T10:00' });
    assert.equal(sql(stack, `SELECT published_at FROM articles WHERE id = ${id}`)[0].published_at,
      Date.UTC(2031, 6, 14, 8, 0) / 1000, '10:00 in Paris in July is 08:00 UTC');
    const editor = await adminGet('chief', `/admin/articles/${id}/edit`);
    assert.match(editor.text, /name="when" type="datetime-local" value="2031-07-14T10:00"/);
    assert.match(editor.text, /Time zone: <bdi>Europe\/Paris<\/bdi>/);
    const list = await adminGet('chief', '/admin/articles?status=scheduled');
    assert.match(list.text, /<td data-label="Publication" class="when">2031-07-14 10:00 CEST<\/td>/);
    const pages = await adminGet('boss', '/admin/pages');
    assert.match(pages.text, /\d{4}-\d\d-\d\d \d\d:\d\d CES?T</, 'the pages screen shows its times in the zone too');
    assert.doesNotMatch(pages.text, /\d\d:\d\d UTC</);
    const gap = await adminPost('chief', '/admin/articles', form({ status: 'scheduled', when: '2031-03-30T02:30' }));
    assert.equal(gap.status, 400);
    assert.match(gap.text, /the clocks skip it/);
    assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'timezone', 'UTC']).status, 0);
  });

  test('an editor corrects a published article\'s time; the revisions record status changes; a small edit is not "Updated"', async () => {
    const id = await create('chief', { title: 'Corrected time', status: 'published' });
    const slug = sql(stack, `SELECT slug FROM articles WHERE id = ${id}`)[0].slug;
    sql(stack, `UPDATE articles SET created_at = created_at - 400 * 86400 WHERE id = ${id}`);
    const r = await adminPost('chief', `/admin/articles/${id}`, { ...form({ title: 'Corrected time', status: 'published', when: '2026-01-02T03:04' }), action: 'save' });
    assert.equal(r.status, 303);
    assert.equal(sql(stack, `SELECT published_at FROM articles WHERE id = ${id}`)[0].published_at, Date.UTC(2026, 0, 2, 3, 4) / 1000);
    const future = await adminPost('chief', `/admin/articles/${id}`, { ...form({ title: 'Corrected time', status: 'published', when: '2099-01-01T00:00' }), action: 'save' });
    assert.equal(future.status, 400);
    assert.match(future.text, /cannot be in the future/);
    const revs = await adminGet('chief', `/admin/articles/${id}/revisions`);
    assert.match(revs.text, /class="status-change">Draft → Published<\/td>|class="status-change">Published<\/td>/);
    const page = await get(stack.base, `/articles/${slug}`);
    assert.match(page.text, /Updated <time/, 'an edit after publication shows as updated');
    const id2 = await create('chief', { title: 'Small edits only', status: 'published' });
    const slug2 = sql(stack, `SELECT slug FROM articles WHERE id = ${id2}`)[0].slug;
    sql(stack, `UPDATE articles SET published_at = published_at - 86400, created_at = created_at - 86400, updated_at = updated_at - 86400 WHERE id = ${id2}`);
    const small = await adminPost('chief', `/admin/articles/${id2}`, { ...form({ title: 'Small edits only', status: 'published', body: 'A typo fixed.' }), small_edit: '1', action: 'save' });
    assert.equal(small.status, 303);
    assert.doesNotMatch((await get(stack.base, `/articles/${slug2}`)).text, /Updated <time/, 'a small edit is not announced');
  });
});

describe('bylines', () => {
  test('an editor names the byline and other authors; the page links each; the API keeps author and adds authors', async () => {
    const writer = sql(stack, "SELECT id FROM users WHERE username = 'writer'")[0].id;
    const other = sql(stack, "SELECT id FROM users WHERE username = 'other'")[0].id;
    const r = await adminPost('chief', '/admin/articles', [...Object.entries(form({ title: 'Two bylines', status: 'published' })),
      ['author', String(writer)], ['coauthors_given', '1'], ['coauthor', String(other)]]);
    assert.equal(r.status, 303);
    const slug = sql(stack, "SELECT slug FROM articles WHERE title = 'Two bylines'")[0].slug;
    const page = await get(stack.base, `/articles/${slug}`);
    assert.match(page.text, /<span class="byline-names"><a href="\/author\/writer" rel="author" dir="auto">writer<\/a><a href="\/author\/other" rel="author" dir="auto">other<\/a><\/span>/);
    const api = JSON.parse((await get(stack.base, `/api/v1/articles/by-slug/${slug}`, { headers: { Accept: 'application/json' } })).text);
    assert.equal(api.author.username, 'writer');
    assert.deepEqual(api.authors.map((a) => a.url), ['/author/writer', '/author/other']);
    const coauthorPage = await get(stack.base, '/author/other');
    assert.match(coauthorPage.text, /<h3 class="card-title"><a href="[^"]+">Two bylines<\/a>/, 'the other author\'s page lists it');
    assert.match((await get(stack.base, '/author/writer')).text, /Two bylines/);
    assert.match((await get(stack.base, '/author/other/feed.xml')).text, /Two bylines/);
    const authors = JSON.parse((await get(stack.base, '/api/v1/authors?per_page=100', { headers: { Accept: 'application/json' } })).text);
    assert.ok(authors.data.some((a) => a.username === 'other'), 'the API lists the other author');
    assertCheck(stack);
    const bad = await adminPost('chief', '/admin/articles', [...Object.entries(form()), ['author', '99999']]);
    assert.equal(bad.status, 400);
  });
});

describe('bulk actions', () => {
  test('an editor publishes and tags several at once; an author is refused per article; bad requests are 400', async () => {
    const a = await create('writer', { title: 'Bulk one' });
    const b = await create('writer', { title: 'Bulk two' });
    const c = await create('other', { title: 'Bulk three' });
    const back = '/admin/articles?sort=title&dir=asc&page=1';
    const pub = await adminPost('chief', '/admin/articles/bulk', [['action', 'publish'], ['id', String(a)], ['id', String(b)], ['back', back]]);
    assert.equal(pub.status, 303);
    assert.equal(pub.headers.get('location'), `${back}&bulk=publish&changed=2&refused=0`);
    assert.deepEqual(sql(stack, `SELECT status FROM articles WHERE id IN (${a}, ${b})`).map((x) => x.status), ['published', 'published']);
    const list = await adminGet('chief', pub.headers.get('location'));
    assert.match(list.text, /Publish: 2 changed, 0 refused/);
    const tag = await adminPost('writer', '/admin/articles/bulk', [['action', 'tag'], ['tag', 'Harbour'], ['id', String(a)], ['id', String(c)]]);
    assert.match(tag.headers.get('location'), /bulk=tag&changed=0&refused=2$/, 'published, and someone else\'s');
    const mine = await create('writer', { title: 'Bulk four' });
    const moved = await adminPost('writer', '/admin/articles/bulk', [['action', 'move'], ['category', String(category)], ['id', String(mine)]]);
    assert.match(moved.headers.get('location'), /changed=1&refused=0$/);
    assert.equal((await adminPost('writer', '/admin/articles/bulk', [['action', 'publish'], ['id', String(mine)]])).headers.get('location').endsWith('changed=0&refused=1'), true);
    assert.equal((await adminPost('chief', '/admin/articles/bulk', [['action', 'explode'], ['id', String(a)]])).status, 400);
    assert.equal((await adminPost('chief', '/admin/articles/bulk', [['action', 'publish']])).status, 400);
    assert.equal((await adminPost('chief', '/admin/articles/bulk', [['action', 'move'], ['id', String(a)], ['category', '99999']])).status, 400);
    assert.equal((await adminPost('chief', '/admin/articles/bulk', [['action', 'tag'], ['id', String(a)], ['tag', 'a,b']])).status, 400);
    assert.equal((await adminPost('chief', '/admin/articles/bulk', [['action', 'tag'], ['id', String(a)], ['tag', '']])).status, 400, 'an empty tag');
    assert.equal((await adminPost('chief', '/admin/articles/bulk', [['action', 'delete'], ['id', 'x']])).status, 400);
    assert.equal((await adminGet('chief', '/admin/articles?sort=nonsense')).status, 400);
    const sorted = await adminGet('chief', '/admin/articles?sort=title&dir=asc');
    assert.match(sorted.text, /<th scope="col" aria-sort="ascending"><a href="\/admin\/articles\?sort=title&amp;dir=desc/);
    assert.match(sorted.text, /<td data-label="Title" class="title-cell"><a href="\/admin\/articles\/\d+\/edit" dir="auto">/,
      'a title keeps its own direction; the cell and its other link keep the newsroom\'s');
  });
});

describe('comments', () => {
  test('the newsroom replies (approved at once, marked on the site) and corrects a comment; empty text is refused', async () => {
    const [a] = sql(stack, "SELECT a.id, a.slug FROM articles a WHERE a.status = 'published' AND a.lang = 'en' ORDER BY a.id LIMIT 1");
    const parent = sql(stack, `SELECT id FROM comments WHERE article_id = ${a.id} AND status = 'approved' ORDER BY id LIMIT 1`)[0].id;
    const count = sql(stack, `SELECT comment_count FROM articles WHERE id = ${a.id}`)[0].comment_count;
    assert.equal((await adminPost('chief', `/admin/comments/${parent}/reply`, { [`reply-${parent}`]: '   ' })).status, 400);
    assert.equal((await adminPost('chief', `/admin/comments/${parent}/reply`, { [`reply-${parent}`]: '' })).status, 400);
    assert.equal((await adminPost('chief', `/admin/comments/${parent}/reply`, { [`reply-${parent}`]: 'x'.repeat(5001) })).status, 400);
    assert.equal((await adminPost('chief', '/admin/comments/999999/reply', { 'reply-999999': 'Hello' })).status, 404);
    sql(stack, `INSERT INTO comments (article_id, author_name, author_email, body, status, created_at) VALUES (${a.id}, 'Held', 'held@example.com', 'Waiting.', 'pending', unixepoch())`);
    const held = sql(stack, "SELECT id FROM comments WHERE author_name = 'Held'")[0].id;
    sql(stack, `INSERT INTO comments (article_id, author_name, author_email, body, status, created_at) VALUES (${a.id}, 'Spammer', 'spam@example.com', 'Buy.', 'spam', unixepoch())`);
    const spam = sql(stack, "SELECT id FROM comments WHERE author_name = 'Spammer'")[0].id;
    const refused = await adminPost('chief', `/admin/comments/${spam}/reply`, { [`reply-${spam}`]: 'No.' });
    assert.equal(refused.status, 409, 'spam takes no reply');
    assert.match(refused.text, /The comment you are replying to is not available\./);
    // A held comment is approved with the newsroom's reply, as WordPress's "Approve and Reply".
    const early = await adminPost('chief', `/admin/comments/${held}/reply`, { [`reply-${held}`]: 'Thanks for waiting.' });
    assert.equal(early.status, 303, 'a held comment is approved and answered');
    assert.equal(early.headers.get('location'), '/admin/comments?status=approved&replied=1');
    assert.equal(sql(stack, `SELECT status FROM comments WHERE id = ${held}`)[0].status, 'approved');
    assert.match((await adminGet('chief', early.headers.get('location'))).text, /Your reply is published\./);
    assert.match((await adminGet('chief', '/admin/comments?status=pending&done=0')).text,
      /No comment changed: tick the comments to change, then choose what to do\./, 'an action on nothing says so');
    const r = await adminPost('chief', `/admin/comments/${parent}/reply`, { [`reply-${parent}`]: 'Thank you, we have corrected the figure.' });
    assert.equal(r.status, 303);
    assert.equal(sql(stack, `SELECT comment_count FROM articles WHERE id = ${a.id}`)[0].comment_count, count + 3,
      'the held comment, its reply and this reply');
    assertCheck(stack);
    const page = await get(stack.base, urlOf(a));
    assert.match(page.text, /<span class="badge staff-badge">From the newsroom<\/span>/);
    assert.match(page.text, /Thank you, we have corrected the figure\./);
    const queue = await adminGet('chief', '/admin/comments?status=approved');
    assert.match(queue.text, /class="queue-parent"><p>In reply to <bdi>/, 'a reply shows the comment it answers');
    assert.match(queue.text, new RegExp(`href="/articles/[^"]+#comment-${parent}"`), 'open in place on the article');
    assert.equal((await adminPost('chief', `/admin/comments/${parent}/edit`, { [`text-${parent}`]: '' })).status, 400);
    const e = await adminPost('chief', `/admin/comments/${parent}/edit`, { [`text-${parent}`]: 'Edited by the desk.', status: 'approved' });
    assert.equal(e.status, 303);
    assert.match((await get(stack.base, urlOf(a))).text, /Edited by the desk\./);
    const all = await adminGet('chief', '/admin/comments?status=approved&select=all');
    assert.doesNotMatch(all.text, /name="id" value="\d+" id="check-\d+" form="moderation-form">/, 'every box ticked');
  });

  test('an error in the newsroom leads back into the newsroom, not to the readers\' home page', async () => {
    const back = (html) => /<a class="button" href="([^"]*)">([^<]*)<\/a>/.exec(html)?.slice(1);
    const missing = await adminGet('chief', '/admin/articles/999999/edit');
    assert.equal(missing.status, 404);
    assert.deepEqual(back(missing.text), ['/admin/articles', 'Back to the newsroom']);
    const empty = await adminPost('chief', '/admin/comments/999999/reply', { 'reply-999999': '' });
    assert.equal(empty.status, 400);
    assert.deepEqual(back(empty.text), ['/admin/comments', 'Back to the newsroom']);
    const forbidden = await adminGet('writer', '/admin/users');
    assert.equal(forbidden.status, 403);
    assert.deepEqual(back(forbidden.text), ['/admin', 'Back to the newsroom'], 'not back to the list refused');
    const unknown = await adminGet('chief', '/admin/no-such-list');
    assert.equal(unknown.status, 404);
    assert.deepEqual(back(unknown.text), ['/admin', 'Back to the newsroom'], 'not back to itself');
    assert.deepEqual(back((await get(stack.base, '/articles/no-such-article')).text), ['/', 'Back to the home page']);
  });

  test('without script, "select all" reloads the comment queue and the article list with every box of the page ticked', async () => {
    const boxes = (html) => [...html.matchAll(/<input type="checkbox" name="id" value="\d+"[^>]*>/g)].map((m) => m[0]);
    for (const url of ['/admin/comments?status=approved', '/admin/articles?sort=title&dir=asc']) {
      const plain = await adminGet('chief', url);
      const link = /<a href="([^"]+)" data-select-all=/.exec(plain.text);
      assert.ok(link, `${url}: a "select all" link`);
      assert.ok(boxes(plain.text).length > 1, `${url}: several rows`);
      assert.ok(boxes(plain.text).every((b) => !/ checked/.test(b)), `${url}: none ticked at first`);
      const all = await adminGet('chief', link[1].replace(/&amp;/g, '&'));
      assert.equal(all.status, 200);
      assert.equal(boxes(all.text).filter((b) => / checked/.test(b)).length, boxes(plain.text).length, `${url}: all ticked`);
    }
  });

  test('closed comments: the page says so and has no form; posts are refused, by form and by the API', async () => {
    const id = await create('chief', { title: 'No comments here', status: 'published', comments_closed: '1' });
    const slug = sql(stack, `SELECT slug FROM articles WHERE id = ${id}`)[0].slug;
    const page = await get(stack.base, `/articles/${slug}`);
    assert.match(page.text, /Comments on this article are closed\./);
    assert.doesNotMatch(page.text, /id="reply"/);
    const form2 = await postFields(stack, `/articles/${slug}/comments`, { name: 'A', email: 'a@example.com', body: 'Hi', token: 'x' });
    assert.equal(form2.status, 403);
    const api = await get(stack.base, `/api/v1/articles/${id}/comments`, {
      method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json', Origin: stack.base },
      body: JSON.stringify({ name: 'A', email: 'a@example.com', body: 'Hi' }),
    });
    assert.equal(api.status, 403);
    assert.match(api.text, /closed/);
  });
});

describe('readers', () => {
  test('a vote without script comes back to #voted-N; the page holds that thanks for everyone', async () => {
    const [a] = sql(stack, "SELECT slug FROM articles WHERE status = 'published' ORDER BY id LIMIT 1");
    const r = await postFields(stack, `/articles/${encodeURIComponent(a.slug)}/rating`, { stars: '4' });
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /#voted-4$/);
    const page = await get(stack.base, `/articles/${encodeURIComponent(a.slug)}`);
    assert.match(page.text, /<p class="vote-thanks" id="voted-4" lang="en" dir="ltr">Thank you for your vote: you gave 4 stars\.<\/p>/);
  });

  test('a reply form opened from a comment says whom it answers and offers to cancel', async () => {
    const [c] = sql(stack, "SELECT m.id, m.author_name, a.slug FROM comments m JOIN articles a ON a.id = m.article_id WHERE m.status = 'approved' AND m.staff_id IS NULL AND a.comments_closed = 0 ORDER BY m.id LIMIT 1");
    const url = `/articles/${encodeURIComponent(c.slug)}`;
    const page = await get(stack.base, `${url}?replyto=${c.id}`);
    assert.match(page.text, /Replying to <bdi>[^<]+<\/bdi> · <a href="[^"]+#reply" class="cancel-reply">Cancel the reply<\/a>/);
    assert.match(page.text, new RegExp(`name="parent" value="${c.id}"`));
  });

  test('an Arabic card\'s date and count are isolated in the interface\'s language; Arabic counts take the plural the number asks for', async () => {
    const cards = (html) => [...html.matchAll(/<article class="card[^"]*" lang="(en|ar)" dir="(?:ltr|rtl)">[\s\S]*?<\/article>/g)].map((m) => m[0]);
    const arabic = cards((await get(stack.base, '/')).text).filter((c) => /lang="ar" dir="rtl"/.test(c.slice(0, 80)));
    assert.ok(arabic.length > 0, 'the home page has Arabic cards');
    for (const c of arabic) {
      assert.match(c, /<time datetime="[^"]+" lang="en" dir="ltr">\d{1,2} [A-Z][a-z]+ \d{4}<\/time>/, 'day, month, year in English order');
      const count = /<a class="card-comments" href="[^"]+" lang="en" dir="ltr">([^<]+)<\/a>/.exec(c);
      if (count) assert.match(count[1], /^\d+ comments?$/);
    }
    // The Arabic catalogue's rule: 0, 1 and 2 have words of their own,
    // 3 to 10 the plural, 11 to 99 the accusative singular.
    const arabicCount = (n) => (n === 1 ? 'تعليق واحد' : n === 2 ? 'تعليقان'
      : n % 100 >= 3 && n % 100 <= 10 ? `${n} تعليقات` : n % 100 >= 11 ? `${n} تعليقًا` : `${n} تعليق`);
    const settings = await adminGet('boss', '/admin/settings');
    const fields = [...settings.text.matchAll(/name="([a-z_]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]])
      .filter(([k]) => k !== 'csrf');
    const language = (code) => adminPost('boss', '/admin/settings', [...fields, ['language', code],
      ['comment_moderation', 'auto'], ['small_edits_shown', 'no'], ['robots_extra', ''], ['timezone', 'UTC']]);
    assert.equal((await language('ar')).status, 303);
    try {
      const home = (await get(stack.base, '/')).text;
      assert.match(home, /<html lang="ar" dir="rtl">/);
      let seen = 0;
      for (const c of cards(home)) {
        const slug = decodeURIComponent(/<h3 class="card-title"><a href="\/articles\/([^"]+)">/.exec(c)[1]);
        const [{ comment_count: n }] = sql(stack, `SELECT comment_count FROM articles WHERE slug = '${slug.replace(/'/g, "''")}'`);
        const shown = /<a class="card-comments" href="[^"]+" lang="ar" dir="rtl">([^<]+)<\/a>/.exec(c);
        if (n === 0) { assert.equal(shown, null, `${slug}: no count without comments`); continue; }
        assert.equal(shown?.[1], arabicCount(n), `${slug}: ${n} comments`);
        assert.match(c, /<time datetime="[^"]+" lang="ar" dir="rtl">/);
        seen++;
      }
      assert.ok(seen > 0, 'some cards have comments');
    } finally {
      assert.equal((await language('en')).status, 303);
    }
  });

  test('search results show the matching passage with the words marked; one search box on the page', async () => {
    const r = await get(stack.base, '/search?q=harbour');
    assert.equal(r.status, 200);
    assert.match(r.text, /<p class="card-snippet"><span class="visually-hidden" lang="en" dir="ltr">Matching passage: <\/span>[^<]*<mark>[Hh]arbour<\/mark>/);
    assert.equal((r.text.match(/role="search"/g) || []).length, 1);
  });

  test('style sheets and scripts have versioned addresses that nginx serves as immutable', async () => {
    const home = await get(stack.base, '/');
    const css = /<link rel="stylesheet" href="(\/static\/gazette\.css\?v=[0-9a-f]{16})">/.exec(home.text);
    assert.ok(css, 'a versioned style sheet');
    const r = await get(stack.base, css[1]);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('cache-control'), /immutable/);
    assert.doesNotMatch((await get(stack.base, '/static/favicon.svg')).headers.get('cache-control'), /immutable/);
  });
});

describe('profiles', () => {
  test('an author edits their own name and bio, which readers see; bad input comes back as typed; only admins edit others', async () => {
    const bad = await adminPost('writer', '/admin/profile', { name: '', bio: 'x', avatar: '' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /The display name must have 1 to 100 characters/);
    const long = await adminPost('writer', '/admin/profile', { name: 'W', bio: 'b'.repeat(2001), avatar: '' });
    assert.equal(long.status, 400);
    assert.match(long.text, /at most 2,000 characters/);
    assert.match(long.text, /name="name" [^>]*value="W"/, 'what was typed is shown again');
    assert.equal((await adminPost('writer', '/admin/profile', { name: 'W', bio: '', avatar: '99999' })).status, 400);
    assert.equal((await adminPost('writer', '/admin/profile', { bio: 'no name field' })).status, 400);
    const r = await adminPost('writer', '/admin/profile', { name: 'Wren Writer', bio: 'Covers the harbour.', avatar: '' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/admin/profile?done=1');
    const page = await get(stack.base, '/author/writer');
    assert.match(page.text, /Wren Writer/);
    assert.match(page.text, /Covers the harbour\./);
    const boss = sql(stack, "SELECT id FROM users WHERE username = 'boss'")[0].id;
    const writer = sql(stack, "SELECT id FROM users WHERE username = 'writer'")[0].id;
    assert.equal((await adminPost('writer', `/admin/users/${boss}/profile`, { name: 'Hacked', bio: '' })).status, 403);
    const byAdmin = await adminPost('boss', `/admin/users/${writer}/profile`, { name: 'W. Writer', bio: 'Edited by an admin.', avatar: '' });
    assert.equal(byAdmin.status, 303);
    assert.equal(sql(stack, `SELECT display_name FROM users WHERE id = ${writer}`)[0].display_name, 'W. Writer');
    assert.equal((await adminGet('boss', '/admin/users/99999/profile')).status, 404);
  });
});
