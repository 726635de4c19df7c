// Every page Gazette serves is valid HTML: the readers' pages (lists,
// articles in both languages, the reply form shown again after a refusal,
// error pages, the Arabic interface) and the newsroom's screens, each
// checked with html-validate's recommended rules against a real stack.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import {
  PASSWORD, SITE, addUser, postFields, replyToken, setCookie, sql, urlOf, waitForPictures,
} from './helpers.mjs';
import { assertValid } from './validate.mjs';

const ADMIN = 'chief';

// The demo articles readers can see, and the ones the pages below show.
const LIVE = SITE.articles.filter((a) => ['published', 'scheduled'].includes(a.status)
  && Date.parse(a.published_at) <= Date.now());
const mostComments = (list) => [...list].sort((x, y) => y.comments.length - x.comments.length)[0];
const EN = mostComments(LIVE.filter((a) => a.lang === 'en'));
const AR = mostComments(LIVE.filter((a) => a.lang === 'ar'));
const TAG = EN.tags[0];
const CATEGORY = EN.category;
const AUTHOR = EN.author;

// GET url from stack (with opts) and check its status and content type.
async function fetchPage(stack, url, status, opts = {}) {
  const r = await get(stack.base, url, opts);
  assert.equal(r.status, status, `${url}: status ${r.status}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${url}: an HTML answer`);
  return r;
}

// Post the reply form of article a with fields (token and website added).
async function reply(stack, a, fields) {
  const token = await replyToken(stack, a);
  return postFields(stack, `${urlOf(a)}/comments`, { website: '', token, ...fields });
}

describe('readers\' pages (English interface)', () => {
  let stack;
  // With the demo's pictures (stand-ins): cards, the lead story, articles.
  before(async () => {
    stack = await startStack({ pictures: 'standins', settings: { comment_min_seconds: '0' } });
    await waitForPictures(stack);
  });
  after(async () => { if (stack) await stack.stop(); });

  const pages = [
    ['the home page', '/', 200],
    ['home page 2', '/?page=2', 200],
    ['a category page', `/category/${encodeURIComponent(CATEGORY)}`, 200],
    ['a tag page', `/tag/${encodeURIComponent(TAG)}`, 200],
    ['an author page', `/author/${encodeURIComponent(AUTHOR)}`, 200],
    ['an English article', urlOf(EN), 200],
    ['an Arabic article', urlOf(AR), 200],
    ['a 404 page', '/no/such/page', 404],
    ['a 400 page', '/?page=abc', 400],
    ['a search with results', '/search?q=harbour', 200],
    ['a search without results', '/search?q=zzzzqqq', 200],
    ['the search form', '/search', 200],
    ['a tag page asked for by number', `/tag/${encodeURIComponent(TAG)}?page=1`, 200],
  ];
  for (const [name, url, status] of pages) {
    test(`${name} (${url})`, async () => {
      const r = await fetchPage(stack, url, status);
      // Every page that lists articles shows their pictures; the search
      // form and a search that finds nothing list none.
      const listsNone = url === '/search' || url === '/search?q=zzzzqqq';
      if (status === 200 && !listsNone) assert.match(r.text, /<picture>/, `${url} shows pictures`);
      await assertValid(url, r.text);
    });
  }

  test('the article page with ?pending=1 showing the poster\'s held comment', async () => {
    const r = await reply(stack, EN, { name: 'New reader', email: 'new.reader@example.org', body: 'First words here.' });
    assert.equal(r.status, 303, `a held comment: ${r.status} ${r.text.slice(0, 300)}`);
    assert.match(r.headers.get('location') || '', /\?pending=1#comment-\d+$/, 'held for moderation');
    const cookie = setCookie(r, 'gz_visitor');
    assert.ok(cookie, 'the poster is given a visitor cookie');
    const url = `${urlOf(EN)}?pending=1`;
    const page = await fetchPage(stack, url, 200, { headers: { Cookie: cookie } });
    assert.match(page.text, /class="comment-pending"/, 'the held comment is shown');
    await assertValid(url, page.text);
  });

  test('the article page shown again after a refused comment (empty name: 400)', async () => {
    const r = await reply(stack, EN, { name: '', email: 'someone@example.org', body: 'No name given.' });
    assert.equal(r.status, 400, `an empty name is refused: ${r.status}`);
    assert.match(r.headers.get('content-type') || '', /^text\/html/);
    assert.match(r.text, /<form [^>]*\bid="reply"/, 'the reply form is shown again');
    await assertValid(`POST ${urlOf(EN)}/comments`, r.text);
  });
});

describe('readers\' pages (Arabic interface)', () => {
  let stack;
  before(async () => { stack = await startStack({ settings: { language: 'ar' } }); });
  after(async () => { if (stack) await stack.stop(); });

  test('the home page (/)', async () => {
    const r = await fetchPage(stack, '/', 200);
    assert.match(r.text, /<html\b[^>]*\blang="ar"/, 'an Arabic page');
    await assertValid('/ (ar)', r.text);
  });
});

describe('newsroom pages', () => {
  let stack;
  let cookie;
  let articleId;
  let previewCsrf;

  // Sign the admin in; resolves to the session cookie ("gz_session=...").
  async function signIn() {
    const r = await postFields(stack, '/admin/login', { username: ADMIN, password: PASSWORD });
    assert.equal(r.status, 303, `sign-in: ${r.status} ${r.text.slice(0, 300)}`);
    const c = setCookie(r, 'gz_session');
    assert.ok(c, 'a session cookie');
    return c;
  }

  // Save an article (new when id is null) in category (an id) through the
  // editor's form, with fields overriding the defaults; resolves to its id.
  async function save(id, csrf, category, fields = {}) {
    const r = await postFields(stack, id ? `/admin/articles/${id}` : '/admin/articles', {
      csrf, title: 'Tide tables & the new quay', slug: '', category: String(category), tags: 'climate, cities',
      summary: 'A summary of the tides.', body: 'First paragraph.\n\n## A heading\n\nSecond *paragraph*.',
      lang: 'en', status: 'draft', when: '', ...fields,
    }, { cookie });
    assert.equal(r.status, 303, `save: ${r.status} ${r.text.slice(0, 400)}`);
    const m = /^\/admin\/articles\/(\d+)\/edit\?saved=1$/.exec(r.headers.get('location') || '');
    assert.ok(m, `saved: Location ${r.headers.get('location')}`);
    return Number(m[1]);
  }

  before(async () => {
    stack = await startStack({ pictures: 'standins', settings: { comment_min_seconds: '0' } });
    await waitForPictures(stack);
    addUser(stack, ADMIN, 'admin');
    cookie = await signIn();
    // An article saved twice, so that its revisions list has entries.
    const form = await fetchPage(stack, '/admin/articles/new', 200, { headers: { Cookie: cookie } });
    const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(form.text)?.[1];
    assert.ok(csrf, 'the editor carries a CSRF token');
    const option = /<option value="(\d+)"/.exec(form.text);
    assert.ok(option, 'the editor lists the categories');
    articleId = await save(null, csrf, option[1], { image: '1' });
    await save(articleId, csrf, option[1], {
      image: '1', body: 'First paragraph, revised.\n\n![A storm](/media/2 "The storm")\n\nA new ending.',
    });
    previewCsrf = csrf;
    // A webhook with a delivery that failed, and an API token.
    sql(stack, `INSERT INTO webhooks (id, url, events, secret, active, created_at, updated_at)
      VALUES (1, 'https://hooks.example.org/gazette', 'article.published comment.created', 'secret', 1, 0, 0)`);
    sql(stack, `INSERT INTO webhook_deliveries (webhook_id, event, data, state, attempts, next_at, give_up_at,
      created_at, last_at, last_status, last_error, last_answer)
      VALUES (1, 'article.published', '{}', 'failed', 12, 0, 0, 0, 0, 500, 'HTTP 500', '<h1>Oops</h1> & more')`);
    const made = await postFields(stack, '/admin/tokens', { csrf, name: 'Phone', scope: 'write', days: '90' }, { cookie });
    assert.equal(made.status, 200, `a token made: ${made.status}`);
    await assertValid('a token just made', made.text);
  });
  after(async () => { if (stack) await stack.stop(); });

  test('the sign-in page (/admin/login)', async () => {
    const r = await fetchPage(stack, '/admin/login', 200);
    await assertValid('/admin/login', r.text);
  });

  // [name, the page's path (a function: the article exists only once started)].
  const pages = [
    ...['/admin', '/admin/articles', '/admin/articles/new'].map((u) => [u, () => u]),
    ['an article\'s edit page', () => `/admin/articles/${articleId}/edit`],
    ['an article\'s revisions list', () => `/admin/articles/${articleId}/revisions`],
    ['the picture library', () => '/admin/media'],
    ['a picture of the library', () => '/admin/media/1'],
    ...['/admin/categories', '/admin/tags', '/admin/comments', '/admin/users', '/admin/settings',
      '/admin/password', '/admin/profile', '/admin/cache', '/admin/pages', '/admin/pages/new', '/admin/tokens',
      '/admin/webhooks'].map((u) => [u, () => u]),
    ['a webhook with its deliveries', () => '/admin/webhooks/1'],
  ];
  test('the editor\'s preview with a library picture and one from another site', async () => {
    const r = await postFields(stack, `/admin/articles/${articleId}`, {
      csrf: previewCsrf, title: 'Tide tables', slug: '', category: '1', tags: '', summary: '',
      body: 'Text.\n\n![A storm](/media/2)\n\n![Elsewhere](https://elsewhere.example/a.jpg)',
      lang: 'en', status: 'draft', when: '', image: '1', action: 'preview',
    }, { cookie });
    assert.equal(r.status, 303, `preview: ${r.status}`);
    const editor = await fetchPage(stack, `/admin/articles/${articleId}/edit?draft=1`, 200, { headers: { Cookie: cookie } });
    assert.match(editor.text, /elsewhere\.example/, 'the editor is told of the other site\'s picture');
    await assertValid('the editor with its preview', editor.text);
    const frame = await fetchPage(stack, `/admin/autosave/preview?article=${articleId}`, 200, { headers: { Cookie: cookie } });
    assert.match(frame.text, /<figure class="picture"><picture>/, 'the library picture is shown');
    await assertValid('the preview', frame.text);
  });

  for (const [name, pathOf] of pages) {
    test(name, async () => {
      const url = pathOf();
      const r = await fetchPage(stack, url, 200, { headers: { Cookie: cookie } });
      assert.doesNotMatch(r.text, /action="\/admin\/login"/,
        `${url}: the page itself, not the sign-in form`);
      await assertValid(url, r.text);
    });
  }
});
