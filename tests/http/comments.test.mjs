// Readers' comments: what a reader sees after posting through the reply
// form, what an app gets from the JSON API, the guards against bad input,
// bots and floods, and moderation from the command line. Every write is
// followed by `gazette check`.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import {
  AWAITING, EVIL, FORM, RELAXED, SITE, assertCheck, gazette, loopback, post, replyToken, requestFrom, setCookie,
  settle, sleep, sql, startSite, urlOf,
} from './helpers.mjs';

const JSON_TYPE = 'application/json';

// The demo articles with their ids (1..n in the order of demo/site.json).
const ARTICLES = SITE.articles.map((a, i) => ({ ...a, id: i + 1 }));
const isLive = (a) => ['published', 'scheduled'].includes(a.status) && Date.parse(a.published_at) <= Date.now();
const LIVE = ARTICLES.filter(isLive);
const DRAFT = ARTICLES.find((a) => a.status === 'draft');
const AR = LIVE.filter((a) => a.lang === 'ar');
const EN = LIVE.filter((a) => a.lang === 'en');
// An email with an approved comment in the demo: its owner is no longer held.
const KNOWN = ARTICLES.flatMap((a) => a.comments).find((c) => c.status === 'approved');
// The newest article, on the first page of the home page.
const NEWEST = [...LIVE].sort((x, y) => Date.parse(y.published_at) - Date.parse(x.published_at))[0];
// An email address of 255 characters, one over the limit.
const EMAIL_255 = `${'a'.repeat(64)}@${'d'.repeat(186)}.org`;

// The article whose demo comments the listing test compares with the API.
const LISTED = LIVE.find((a) => a !== NEWEST && a.comments.filter((c) => c.status === 'approved').length >= 4);
// Articles are handed out in turn to the tests that write, so that few
// tests share one; a test only looks at the comments it made.
const POOL = EN.filter((a) => a !== NEWEST && a !== LISTED);
let turn = 0;
const takeArticle = () => POOL[turn++ % POOL.length];

// ---- the database ----

// The number of comments in the database.
// (Those vouch() adds, at time 0, are not counted.)
const commentRows = (stack) => sql(stack, 'SELECT count(*) AS n FROM comments WHERE created_at > 0')[0].n;

// ---- HTTP ----

// Comments are approved at once for a name and email that have an approved
// comment together. The tests that post as KNOWN under another name first
// record that name as approved with KNOWN's email (on the draft, which no
// reader sees, with its kept count), as a moderator's approval would.
function vouch(stack, name) {
  if (typeof name !== 'string' || name === KNOWN.name) return;
  const q = (v) => `'${String(v).replace(/'/g, "''")}'`;
  sql(stack, `INSERT INTO comments (article_id, author_name, author_email, body, status, created_at)
    SELECT ${DRAFT.id}, ${q(name)}, ${q(KNOWN.email)}, 'Vouched', 'approved', 0
    WHERE NOT EXISTS (SELECT 1 FROM comments WHERE author_name = ${q(name)}
      AND author_email = ${q(KNOWN.email)} AND status = 'approved');
    UPDATE articles SET comment_count = (SELECT count(*) FROM comments
      WHERE article_id = ${DRAFT.id} AND status = 'approved') WHERE id = ${DRAFT.id}`);
}

// Post the reply form of article a with fields {name, email, body, parent,
// website, token}; the token is fetched from the page unless given (null
// leaves it out). Resolves to the answer.
async function postForm(stack, a, fields, opts = {}) {
  const f = { ...fields };
  if (f.email === KNOWN.email) vouch(stack, f.name);
  if (f.token === undefined) f.token = await replyToken(stack, a);
  if (f.token === null) delete f.token;
  if (f.website === undefined) f.website = '';
  const body = Object.entries(f).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return post(stack, `${urlOf(a)}/comments`, body, opts);
}

// Post a comment as JSON through the API; body is an object or raw text.
const postApi = (stack, a, body, opts = {}) => {
  if (typeof body === 'object' && body.email === KNOWN.email) vouch(stack, body.name);
  return post(stack, `/api/v1/articles/${a.id}/comments`, typeof body === 'string' ? body : JSON.stringify(body),
    { type: JSON_TYPE, ...opts });
};

// The id of the comment a 303 answer points to, checking where it leads.
function redirected(r, a, { held }) {
  assert.equal(r.status, 303, `a 303 answer (got ${r.status}: ${r.text.slice(0, 300)})`);
  const loc = r.headers.get('location');
  const re = held ? /^(.*)\?pending=1#comment-(\d+)$/ : /^(.*)#comment-(\d+)$/;
  const m = re.exec(loc);
  assert.ok(m, `${held ? 'held' : 'approved'}: Location ${loc}`);
  assert.equal(m[1], urlOf(a), 'back to the article');
  return Number(m[2]);
}

// ---- reading HTML ----

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// The text that HTML character data s stands for.
function decode(s) {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

// The outer HTML of the element whose start tag begins at html[start].
function elementAt(html, start) {
  const name = /^<([a-zA-Z][\w-]*)/.exec(html.slice(start, start + 64))[1];
  const re = new RegExp(`<(/?)${name}(?=[\\s>/])[^>]*>`, 'gi');
  re.lastIndex = start;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, re.lastIndex);
  }
  throw new Error(`<${name}> at ${start} is not closed`);
}

// The <li> of comment id in a page, or null.
function commentLi(html, id) {
  const i = html.indexOf(`<li class="comment" id="comment-${id}">`);
  return i < 0 ? null : elementAt(html, i);
}

// What one comment shows: {author, textHtml, text, pending, replies}.
function readComment(li) {
  const author = /<span class="comment-author"[^>]*>([\s\S]*?)<\/span>/.exec(li);
  const text = /<div class="comment-text" dir="auto">([\s\S]*?)<\/div>/.exec(li);
  const repliesAt = li.indexOf('<ol class="comment-replies">');
  const card = li.slice(0, repliesAt);
  return {
    author: decode(author[1]),
    textHtml: text[1],
    text: decode(text[1].replace(/<[^>]*>/g, '')),
    pending: card.includes(`<p class="comment-pending">${AWAITING}</p>`),
    canReply: /<a class="comment-reply"/.test(card),
    replies: elementAt(li, repliesAt),
  };
}

// The reply form as shown back: {name, email, body, parent, errors: {field: message}}.
function readForm(html) {
  const at = html.search(/<form [^>]*\bid="reply"/);
  assert.ok(at >= 0, 'the page has the reply form');
  const form = elementAt(html, at);
  const attr = (id) => {
    const m = new RegExp(`<input id="${id}"[^>]*\\bvalue="([^"]*)"`).exec(form);
    return m ? decode(m[1]) : null;
  };
  const body = /<textarea id="comment-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(form);
  const parent = /<input type="hidden" name="parent" value="([^"]*)"/.exec(form);
  const errors = {};
  for (const m of form.matchAll(/<li data-field="([^"]*)">([\s\S]*?)<\/li>/g)) errors[m[1]] = decode(m[2]);
  return {
    name: attr('comment-name'), email: attr('comment-email'), body: body && decode(body[1]),
    parent: parent && parent[1], errors, hasErrorBox: /<div class="form-errors" id="form-errors" role="alert">/.test(form),
  };
}

// Assert a problem+json answer with status; returns the problem.
function assertProblem(r, status, what) {
  assert.equal(r.status, status, `${what}: status (body ${r.text.slice(0, 300)})`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `${what}: content type`);
  const p = JSON.parse(r.text);
  assert.equal(p.status, status, `${what}: problem status`);
  return p;
}

// Assert a 400 problem whose invalid_params names field.
function assertBadParam(r, field, what) {
  const p = assertProblem(r, 400, what);
  assert.equal(p.invalid_params?.[0]?.name, field, `${what}: names ${field}`);
}

// Assert an HTML page with status.
function assertHtml(r, status, what) {
  assert.equal(r.status, status, `${what}: status (body ${r.text.slice(0, 300)})`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: content type`);
  assert.match(r.text, /^<!DOCTYPE html>/i, `${what}: a full page`);
}

// The approved comments of article a from the API, all pages.
async function apiComments(stack, a) {
  const all = [];
  for (let page = 1; page < 100; page++) {
    const r = await get(stack.base, `/api/v1/articles/${a.id}/comments?page=${page}&per_page=100`);
    assert.equal(r.status, 200, r.text);
    const doc = JSON.parse(r.text);
    all.push(...doc.data);
    if (page >= doc.meta.total_pages) break;
  }
  return all;
}

// ---- the tests ----

describe('comments with the timing and flood guards relaxed', () => {
  let stack;
  before(async () => { stack = await startSite(RELAXED); });
  after(async () => { await stack?.stop(); });

  test('an approved commenter\'s comment appears on the page at once, escaped', async () => {
    const a = takeArticle();
    const body = 'Fish & chips <b>tonight</b>, "quoted" and \'single\'';
    const r = await postForm(stack, a, { name: 'Ingrid <V>', email: KNOWN.email, body });
    const id = redirected(r, a, { held: false });
    assert.ok(setCookie(r, 'gz_visitor'), 'the poster is given a visitor cookie');
    assert.equal(setCookie(r, 'gz_pending'), null, 'no pending marker for an approved comment');
    const page = await get(stack.base, urlOf(a));
    const li = commentLi(page.text, id);
    assert.ok(li, 'the comment is on the article page');
    const c = readComment(li);
    assert.equal(c.author, 'Ingrid <V>');
    assert.equal(c.text, body);
    assert.ok(li.includes('Fish &amp; chips &lt;b&gt;tonight&lt;/b&gt;, &quot;quoted&quot; and &#39;single&#39;')
      || li.includes('Fish &amp; chips &lt;b&gt;tonight&lt;/b&gt;, "quoted" and \'single\''), 'the markup is escaped');
    assert.ok(!li.includes('<b>tonight'), 'no raw tag');
    assert.equal(c.pending, false);
    assertCheck(stack);
  });

  test('a first-time commenter is held: only the poster sees it, on the ?pending=1 page', async () => {
    const a = takeArticle();
    const body = 'First time here, hello.';
    const r = await postForm(stack, a, { name: 'Newcomer', email: 'newcomer@example.org', body });
    const id = redirected(r, a, { held: true });
    const cookie = setCookie(r, 'gz_visitor');
    assert.ok(cookie, 'the poster is given a visitor cookie');

    const mine = await get(stack.base, `${urlOf(a)}?pending=1`, { headers: { cookie } });
    assert.equal(mine.status, 200);
    assert.match(mine.headers.get('cache-control') || '', /no-store/, 'the poster\'s page is not cached');
    const li = commentLi(mine.text, id);
    assert.ok(li, 'the poster sees the held comment');
    const c = readComment(li);
    assert.equal(c.text, body);
    assert.ok(c.pending, `"${AWAITING}" is shown with it`);
    assert.equal(c.canReply, false, "a held comment offers no Reply: it takes none until approved");

    const other = await get(stack.base, `${urlOf(a)}?pending=1`);
    assert.equal(other.status, 200);
    assert.equal(commentLi(other.text, id), null, 'another reader does not see it');
    const otherCookie = await get(stack.base, `${urlOf(a)}?pending=1`, { headers: { cookie: 'gz_visitor=0123456789abcdef0123456789abcdef' } });
    assert.equal(commentLi(otherCookie.text, id), null, 'a reader with another cookie does not see it');
    const plain = await get(stack.base, urlOf(a), { headers: { cookie } });
    assert.equal(commentLi(plain.text, id), null, 'the plain article page does not show it, even to the poster');
    assert.ok(!plain.text.includes(body));

    const api = await get(stack.base, `/api/v1/articles/${a.id}/comments/mine`, { headers: { cookie } });
    assert.equal(api.status, 200);
    assert.deepEqual(JSON.parse(api.text).data.map((x) => [x.id, x.status]), [[id, 'held']]);
    const none = await get(stack.base, `/api/v1/articles/${a.id}/comments/mine`);
    assert.deepEqual(JSON.parse(none.text).data, [], 'without the cookie nothing is "mine"');
    assert.ok(!(await apiComments(stack, a)).some((x) => x.id === id), 'the public list leaves it out');
    assertCheck(stack);
  });

  test('a comment with three links is held even from a known email; two links are not', async () => {
    const a = takeArticle();
    const three = 'See https://a.example/1 and http://b.example/2 and www.c.example today';
    const held = redirected(await postForm(stack, a, { name: 'Linker', email: KNOWN.email, body: three }), a, { held: true });
    const two = 'See https://a.example/1 and http://b.example/2';
    const shown = redirected(await postForm(stack, a, { name: 'Linker', email: KNOWN.email, body: two }), a, { held: false });
    const page = await get(stack.base, urlOf(a));
    assert.equal(commentLi(page.text, held), null);
    assert.ok(commentLi(page.text, shown));
    assert.deepEqual(sql(stack, `SELECT status FROM comments WHERE id IN (${held}, ${shown}) ORDER BY id`),
      [{ status: 'pending' }, { status: 'approved' }]);
    assertCheck(stack);
  });

  test('replies nest under their parent, up to comment_max_depth (3)', async () => {
    const a = takeArticle();
    const top = redirected(await postForm(stack, a, { name: 'One', email: KNOWN.email, body: 'Top level' }), a, { held: false });
    const second = redirected(await postForm(stack, a, { name: 'Two', email: KNOWN.email, body: 'A reply', parent: String(top) }), a, { held: false });
    const third = redirected(await postForm(stack, a, { name: 'Three', email: KNOWN.email, body: 'A reply to the reply', parent: String(second) }), a, { held: false });

    const page = await get(stack.base, urlOf(a));
    const one = readComment(commentLi(page.text, top));
    assert.ok(one.replies.includes(`id="comment-${second}"`), 'the reply is inside the parent\'s .comment-replies');
    const two = readComment(commentLi(page.text, second));
    assert.ok(two.replies.includes(`id="comment-${third}"`), 'the reply to the reply is inside the reply');
    assert.ok(!readComment(commentLi(page.text, third)).replies.includes('<li'), 'the deepest has no replies');
    assert.deepEqual([one.canReply, two.canReply, readComment(commentLi(page.text, third)).canReply],
      [true, true, false], 'Reply is offered where a reply may go, not at the deepest level');
    const mine = new Set([top, second, third]);
    const list = (await apiComments(stack, a)).filter((c) => mine.has(c.id));
    assert.deepEqual(list.map((c) => [c.id, c.parent_id]), [[top, null], [second, top], [third, second]]);

    const before = commentRows(stack);
    const r = await postForm(stack, a, { name: 'Four', email: KNOWN.email, body: 'Too deep', parent: String(third) });
    assertHtml(r, 400, 'a reply to a comment at depth 3');
    const f = readForm(r.text);
    assert.ok(f.errors.parent, 'a message about the reply');
    assert.match(f.errors.parent, /nest/);
    assert.deepEqual([f.name, f.email, f.body], ['Four', KNOWN.email, 'Too deep'], 'what was typed is kept');
    assertBadParam(await postApi(stack, a, { name: 'Four', email: KNOWN.email, body: 'Too deep', parent_id: third }),
      'parent_id', 'API reply at depth 4');
    assertHtml(await postForm(stack, a, { name: 'X', email: KNOWN.email, body: 'Lost', parent: '999999' }), 400,
      'a reply to no comment');
    assert.equal(commentRows(stack), before, 'nothing was stored');
    assertCheck(stack);
  });

  test('a reply to a held comment or to another article\'s comment is refused', async () => {
    const a = takeArticle();
    const b = takeArticle();
    const held = redirected(await postForm(stack, a, { name: 'New', email: 'brand.new@example.org', body: 'Wait' }), a, { held: true });
    const elsewhere = redirected(await postForm(stack, b, { name: 'Known', email: KNOWN.email, body: 'Elsewhere' }), b, { held: false });
    const before = commentRows(stack);
    assertBadParam(await postApi(stack, a, { name: 'R', email: KNOWN.email, body: 'x', parent_id: held }), 'parent_id', 'reply to a held comment');
    assertBadParam(await postApi(stack, a, { name: 'R', email: KNOWN.email, body: 'x', parent_id: elsewhere }), 'parent_id', 'reply across articles');
    // What is wrong is said in the language the client asks for (the
    // page's script asks for the page's), else in the default one.
    const worded = async (lang) => {
      const r = await postApi(stack, a, { name: 'R', email: 'r@localhost', body: 'x' }, { headers: lang ? { 'accept-language': lang } : {} });
      assert.equal(r.status, 400);
      return JSON.parse(r.text).invalid_params[0].reason;
    };
    assert.equal(await worded('ar'), 'عنوان البريد الإلكتروني غير صحيح.');
    assert.equal(await worded('ar-EG,en;q=0.5'), 'عنوان البريد الإلكتروني غير صحيح.');
    assert.equal(await worded('fr-FR'), 'That email address does not look right.');
    assert.equal(await worded('fr-FR, ar;q=0.8'), 'عنوان البريد الإلكتروني غير صحيح.', 'the first the site has');
    assert.equal(await worded('ar;q=0, en'), 'That email address does not look right.', 'not a language refused');
    assert.equal(await worded(null), 'That email address does not look right.');
    // A misspelt member is refused, not taken for a comment at the top.
    assertBadParam(await postApi(stack, a, { name: 'R', email: KNOWN.email, body: 'x', parent: elsewhere }), 'parent', 'a member a comment does not take');
    const r = await postForm(stack, a, { name: 'R', email: KNOWN.email, body: 'x', parent: String(elsewhere) });
    assertHtml(r, 400, 'form reply across articles');
    assert.ok(readForm(r.text).errors.parent);
    assert.equal(commentRows(stack), before);
    assertCheck(stack);
  });

  test('each bad field answers 400 with the form shown again, as typed, and a message', async () => {
    const a = takeArticle();
    const ok = { name: 'Reader', email: 'reader@example.org', body: 'Some text' };
    const cases = [
      ['an empty name', { name: '' }, 'name'],
      ['a name of spaces', { name: '   ' }, 'name'],
      ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['an email without a domain dot', { email: 'a@localhost' }, 'email'],
      ['an empty email', { email: '' }, 'email'],
      ['an email of 255 characters', { email: EMAIL_255 }, 'email'],
      ['an empty body', { body: '' }, 'body'],
      ['a body of 5001 characters', { body: 'b'.repeat(5001) }, 'body'],
    ];
    const before = commentRows(stack);
    for (const [what, change, field] of cases) {
      const fields = { ...ok, ...change };
      const r = await postForm(stack, a, fields);
      assertHtml(r, 400, what);
      const f = readForm(r.text);
      assert.ok(f.hasErrorBox, `${what}: the problem is shown above the form`);
      assert.match(r.text, new RegExp(`<form method="post" action="${urlOf(a)}/comments#reply" id="reply"`),
        `${what}: a post sent again from this page comes back at the form`);
      assert.ok(f.errors[field], `${what}: a message for ${field} (got ${JSON.stringify(f.errors)})`);
      assert.deepEqual([f.name, f.email, f.body], [fields.name.trim(), fields.email, fields.body], `${what}: what was typed is kept`);
      assert.equal(r.headers.get('cache-control')?.includes('public') ?? false, false, `${what}: not cached publicly`);
      assert.equal(/<link rel="canonical" href="([^"]*)">/.exec(r.text)?.[1], `${stack.base}${urlOf(a)}`,
        `${what}: the page names the article's address as its own, not the address posted to`);
    }
    assert.equal(commentRows(stack), before, 'nothing was stored');
    assertCheck(stack);
  });

  test('invalid UTF-8 in the form answers 400 with the form shown again and a message', async () => {
    const a = takeArticle();
    const before = commentRows(stack);
    const token = await replyToken(stack, a);
    const r = await post(stack, `${urlOf(a)}/comments`,
      `name=Reader&email=reader%40example.org&body=bad%FFbyte&website=&token=${encodeURIComponent(token)}`);
    assertHtml(r, 400, 'a body that is not UTF-8');
    assert.match(r.text, /<form [^>]*\bid="reply"/, 'the article and its reply form are shown again, not a bare error page');
    const f = readForm(r.text);
    assert.ok(f.hasErrorBox, 'the problem is shown above the reply form');
    assert.deepEqual([f.name, f.email], ['Reader', 'reader@example.org'], 'the valid fields are kept');
    assert.equal(commentRows(stack), before, 'nothing was stored');
  });

  test('a name of exactly 100 and a body of exactly 5000 Arabic characters are accepted, byte for byte', async () => {
    const a = AR[0];
    const name = 'ع'.repeat(100);
    const body = 'مرحبا بالعالم '.repeat(400).slice(0, 5000);
    assert.equal([...body].length, 5000);
    const id = redirected(await postForm(stack, a, { name, email: KNOWN.email, body }), a, { held: false });
    const stored = sql(stack, `SELECT author_name, body FROM comments WHERE id = ${id}`)[0];
    assert.equal(stored.author_name, name);
    assert.equal(Buffer.from(stored.body).equals(Buffer.from(body.trim())), true, 'stored byte for byte');
    const page = await get(stack.base, urlOf(a));
    const c = readComment(commentLi(page.text, id));
    assert.equal(c.author, name);
    assert.equal(c.text, body.trim(), 'the page shows the text as posted');
    const api = (await apiComments(stack, a)).find((x) => x.id === id);
    assert.equal(api.body, body.trim(), 'the API gives the text as posted');
    assert.equal(api.author_name, name);

    const r = await postApi(stack, a, { name: 'ب'.repeat(100), email: KNOWN.email, body: 'ت'.repeat(5000) });
    assert.equal(r.status, 201, r.text);
    assertBadParam(await postApi(stack, a, { name: 'ب'.repeat(101), email: KNOWN.email, body: 'ت' }), 'name', '101 Arabic characters');
    assertBadParam(await postApi(stack, a, { name: 'ب', email: KNOWN.email, body: 'ت'.repeat(5001) }), 'body', '5001 Arabic characters');
    assertCheck(stack);
  });

  test('Arabic text and line breaks come back as written, in the page and the API', async () => {
    const a = AR[1];
    const body = 'تجربة أولى: هل يعمل هذا؟\nسطر ثانٍ «مقتبس» ١٢٣\n\nفقرة أخرى.';
    const name = 'قارئ من تل الزيتون';
    const r = await postForm(stack, a, { name, email: KNOWN.email, body: body.replace(/\n/g, '\r\n') });
    const id = redirected(r, a, { held: false });
    const page = await get(stack.base, urlOf(a));
    const c = readComment(commentLi(page.text, id));
    assert.equal(c.textHtml, body, 'the text node holds the text with its "\\n"');
    assert.equal(c.author, name);
    const api = (await apiComments(stack, a)).find((x) => x.id === id);
    assert.equal(api.body, body);
    assert.ok(Buffer.from(api.body, 'utf8').equals(Buffer.from(body, 'utf8')), 'byte for byte');

    const j = await postApi(stack, a, { name, email: KNOWN.email, body: 'سطر\nسطر' });
    assert.equal(j.status, 201);
    assert.equal(JSON.parse(j.text).body, 'سطر\nسطر');
    assertCheck(stack);
  });

  test('script and markup come back escaped; a web address becomes a nofollow ugc link', async () => {
    const a = takeArticle();
    const body = '<script>alert(1)</script> then "><img src=x onerror=alert(1)> and https://example.org/a?b=1&c=2 end';
    const name = '"><img src=x onerror=alert(1)>';
    const id = redirected(await postForm(stack, a, { name, email: KNOWN.email, body }), a, { held: false });
    const page = await get(stack.base, urlOf(a));
    assert.ok(!page.text.includes('<script>alert(1)'), 'no raw script tag');
    assert.ok(!page.text.includes('<img src=x'), 'no raw img tag');
    const li = commentLi(page.text, id);
    const c = readComment(li);
    assert.equal(c.author, name);
    assert.equal(c.text, body);
    assert.ok(c.textHtml.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(c.textHtml, /<a href="https:\/\/example\.org\/a\?b=1&amp;c=2" rel="nofollow ugc">https:\/\/example\.org\/a\?b=1&amp;c=2<\/a>/);
    const api = (await apiComments(stack, a)).find((x) => x.id === id);
    assert.equal(api.body, body, 'the API gives the text as written');
    assert.ok(!api.body_html.includes('<script') && !api.body_html.includes('<img'));
    assertCheck(stack);
  });

  test('a filled honeypot looks held, but nothing is stored', async () => {
    const a = takeArticle();
    const before = commentRows(stack);
    const r = await postForm(stack, a, { name: 'Bot', email: KNOWN.email, body: 'Buy now', website: 'http://spam.example' });
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), new RegExp(`^${urlOf(a).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?pending=1#comment(s|-\\d+)$`));
    assert.equal(commentRows(stack), before, 'nothing was stored');
    assertCheck(stack);
  });

  test('a forged or missing form token is refused with 400', async () => {
    const a = takeArticle();
    const before = commentRows(stack);
    const token = await replyToken(stack, a);
    const [t, mac] = token.split('-');
    const forged = [
      ['no token', null],
      ['an empty token', ''],
      ['garbage', 'hello'],
      ['a changed time', `${Number(t) - 60}-${mac}`],
      ['a changed MAC', `${t}-${mac.replace(/^./, (ch) => (ch === '0' ? '1' : '0'))}`],
      ['a time in the future', `${Number(t) + 3600}-${mac}`],
    ];
    for (const [what, value] of forged) {
      const r = await postForm(stack, a, { name: 'Reader', email: KNOWN.email, body: 'Hello', token: value });
      assertHtml(r, 400, what);
      const f = readForm(r.text);
      assert.ok(f.hasErrorBox, `${what}: a message`);
      assert.equal(f.body, 'Hello', `${what}: what was typed is kept`);
    }
    assert.equal(commentRows(stack), before, 'nothing was stored');
  });

  test('a post from another site is refused with 403; from this site it is accepted', async () => {
    const a = takeArticle();
    const before = commentRows(stack);
    const fields = { name: 'Reader', email: KNOWN.email, body: 'Hello' };
    assertHtml(await postForm(stack, a, fields, { origin: EVIL }), 403, 'form from evil.example');
    assertProblem(await postApi(stack, a, fields, { origin: EVIL }), 403, 'API from evil.example');
    assertHtml(await postForm(stack, a, fields, { headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'form, Sec-Fetch-Site cross-site');
    assert.equal(commentRows(stack), before, 'nothing was stored');
    redirected(await postForm(stack, a, fields, { origin: stack.base, headers: { 'sec-fetch-site': 'same-origin' } }), a, { held: false });
    assert.equal((await postApi(stack, a, fields, { origin: stack.base })).status, 201);
    assertCheck(stack);
  });

  test('a page on another name pointed at this server (DNS rebinding) cannot post: the Host header is not the site', async () => {
    const a = takeArticle();
    const before = commentRows(stack);
    const votes = () => sql(stack, 'SELECT count(*) AS n FROM ratings')[0].n;
    const votesBefore = votes();
    const rebound = `http://rebound.example:${stack.port}`;
    const headers = (type) => ({ host: `rebound.example:${stack.port}`, origin: rebound, 'content-type': type });
    const fields = { name: 'Reader', email: KNOWN.email, body: 'Hello', website: '', token: await replyToken(stack, a) };
    const tries = [
      ['POST', `${urlOf(a)}/comments`, FORM, new URLSearchParams(fields).toString()],
      ['POST', `/api/v1/articles/${a.id}/comments`, JSON_TYPE, JSON.stringify({ name: 'Reader', email: KNOWN.email, body: 'Hello' })],
      ['POST', `${urlOf(a)}/rating`, FORM, 'stars=5'],
      ['POST', `/api/v1/articles/${a.id}/rating`, JSON_TYPE, JSON.stringify({ stars: 5 })],
    ];
    for (const [method, url, type, body] of tries) {
      const r = await requestFrom(stack, '127.0.0.1', method, url, { headers: headers(type), body });
      assert.equal(r.status, 403, `${url} from ${rebound}: ${r.text.slice(0, 200)}`);
      assert.equal(r.headers['access-control-allow-credentials'], undefined, `${url}: no credentials allowed`);
      assert.notEqual(r.headers['access-control-allow-origin'], rebound, `${url}: the page may not read the answer`);
    }
    const pre = await requestFrom(stack, '127.0.0.1', 'OPTIONS', `/api/v1/articles/${a.id}/comments`, {
      headers: { host: `rebound.example:${stack.port}`, origin: rebound, 'access-control-request-method': 'POST' },
    });
    assert.notEqual(pre.headers['access-control-allow-origin'], rebound, 'the preflight does not allow it either');
    assert.equal(commentRows(stack), before, 'no comment was stored');
    assert.equal(votes(), votesBefore, 'no vote was stored');
    // The site's own address (base_url) is still accepted, whatever Host says.
    const own = await requestFrom(stack, '127.0.0.1', 'POST', `/api/v1/articles/${a.id}/comments`, {
      headers: { ...headers(JSON_TYPE), host: `rebound.example:${stack.port}`, origin: stack.base },
      body: JSON.stringify({ name: 'Reader', email: KNOWN.email, body: 'From the site' }),
    });
    assert.equal(own.status, 201);
    assertCheck(stack);
  });

  test('the form shown back to a reader is signed for their address: from another it is expired', async () => {
    const a = takeArticle();
    const formFrom = (from, fields) => requestFrom(stack, from, 'POST', `${urlOf(a)}/comments`, {
      headers: { 'content-type': FORM, origin: stack.base },
      body: new URLSearchParams({ website: '', ...fields }).toString(),
    });
    const tokenIn = (text) => /<input type="hidden" name="token" value="([^"]+)">/.exec(text)?.[1];
    const fields = { name: 'Reader', email: KNOWN.email };
    vouch(stack, 'Reader');
    // A post with a missing text: the form comes back with a token of its own.
    const again = await formFrom(loopback(301), { ...fields, body: '', token: await replyToken(stack, a) });
    assert.equal(again.status, 400);
    const bound = tokenIn(again.text);
    assert.ok(bound, 'the form shown back carries a token');
    assert.notEqual(bound, await replyToken(stack, a), 'not the shared page\'s token');
    const before = commentRows(stack);
    const stolen = await formFrom(loopback(302), { ...fields, body: 'Reused elsewhere', token: bound });
    assert.equal(stolen.status, 400, 'the token from another address is refused');
    assert.ok(stolen.text.includes('The form has expired.'), 'the reader is told the form expired');
    const sameNet = await formFrom(loopback(301), { ...fields, body: 'From where it was given', token: bound });
    assert.equal(sameNet.status, 303, `the reader it was given to posts with it (${sameNet.status})`);
    assert.equal(commentRows(stack), before + 1, 'only that comment was stored');
    // The shared page's token names nobody: any reader's post with it passes.
    const shared = await formFrom(loopback(303), { ...fields, body: 'From the page', token: await replyToken(stack, a) });
    assert.equal(shared.status, 303);
    assertCheck(stack);
  });

  test('the API lists approved comments, oldest first, page by page', async () => {
    const a = LISTED;
    const approved = a.comments.filter((c) => c.status === 'approved');
    const r = await get(stack.base, `/api/v1/articles/${a.id}/comments?per_page=2`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const doc = JSON.parse(r.text);
    assert.equal(doc.data.length, 2);
    assert.deepEqual(doc.meta, { page: 1, per_page: 2, total: approved.length, total_pages: Math.ceil(approved.length / 2) });
    assert.match(r.headers.get('link') || '', /rel="next"/);
    const all = await apiComments(stack, a);
    assert.deepEqual(all.map((c) => c.body), approved.map((c) => c.body), 'approved only, oldest first');
    const byRef = new Map(a.comments.map((c, i) => [c.ref, all.find((x) => x.body === a.comments[i].body)]));
    for (const c of approved) {
      const got = byRef.get(c.ref);
      assert.equal(got.parent_id, c.parent ? byRef.get(c.parent).id : null, `parent of ${c.ref}`);
      assert.equal(got.author_name, c.name);
      assert.equal(got.status, 'approved');
      assert.equal(Date.parse(got.created_at), Date.parse(c.created_at));
    }
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].created_at <= all[i].created_at);
    assert.ok(!r.text.includes('@'), 'no email address is published');
    assertProblem(await get(stack.base, '/api/v1/articles/999999/comments'), 404, 'an unknown article');
    assertProblem(await get(stack.base, `/api/v1/articles/${DRAFT.id}/comments`), 404, 'a draft');
    assertBadParam(await get(stack.base, '/api/v1/articles/x/comments'), 'id', 'a malformed id');
    assertBadParam(await get(stack.base, `/api/v1/articles/${a.id}/comments?per_page=0`), 'per_page', 'per_page 0');
  });

  test('posting through the API answers 201 with the comment, approved or held', async () => {
    const a = takeArticle();
    const r = await postApi(stack, a, { name: 'App user', email: KNOWN.email, body: 'From the app' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const c = JSON.parse(r.text);
    assert.equal(c.status, 'approved');
    assert.equal(c.body, 'From the app');
    assert.equal(c.author_name, 'App user');
    assert.equal(c.parent_id, null);
    assert.ok(Number.isInteger(c.id));
    assert.ok(!JSON.stringify(c).includes(KNOWN.email), 'the email is not given back');
    const cookie = setCookie(r, 'gz_visitor');
    assert.ok(cookie, 'an app gets a visitor cookie too');

    const reply = JSON.parse((await postApi(stack, a, { name: 'App user', email: KNOWN.email, body: 'Reply', parent_id: c.id }, { cookie })).text);
    assert.equal(reply.parent_id, c.id);
    const h = await postApi(stack, a, { name: 'New app user', email: 'app.new@example.org', body: 'Hold me' }, { cookie });
    assert.equal(h.status, 201);
    assert.equal(JSON.parse(h.text).status, 'held');
    const mine = new Set([c.id, reply.id, JSON.parse(h.text).id]);
    const list = (await apiComments(stack, a)).filter((x) => mine.has(x.id));
    assert.deepEqual(list.map((x) => x.id), [c.id, reply.id], 'the held one is not listed');
    assertCheck(stack);
  });

  test('bad API posts answer 400 naming the field, 415 for a form, 404 for no article', async () => {
    const a = takeArticle();
    const ok = { name: 'Reader', email: KNOWN.email, body: 'Hello' };
    const before = commentRows(stack);
    const cases = [
      [{ ...ok, name: undefined }, 'name'],
      [{ ...ok, name: '' }, 'name'],
      [{ ...ok, name: 42 }, 'name'],
      [{ ...ok, name: 'n'.repeat(101) }, 'name'],
      [{ ...ok, name: 'Reader\u202Eevil' }, 'name'],
      [{ ...ok, name: 'Reader\u2066x\u2069' }, 'name'],
      [{ ...ok, name: 'Reader\u001B[31m' }, 'name'],
      [{ ...ok, name: 'Reader\rAdmin' }, 'name'],
      [{ ...ok, name: 'Reader\u0085' }, 'name'],
      [{ ...ok, email: 'reader\u202E@example.com' }, 'email'],
      [{ ...ok, email: 'nope' }, 'email'],
      [{ ...ok, email: ['a@b.example'] }, 'email'],
      [{ ...ok, email: EMAIL_255 }, 'email'],
      [{ ...ok, body: '' }, 'body'],
      [{ ...ok, body: '  \n ' }, 'body'],
      [{ ...ok, body: 'b'.repeat(5001) }, 'body'],
      [{ ...ok, body: { text: 'x' } }, 'body'],
      [{ ...ok, parent_id: 'x' }, 'parent_id'],
      [{ ...ok, parent_id: 0 }, 'parent_id'],
      [{ ...ok, parent_id: 1.5 }, 'parent_id'],
      [{ ...ok, parent_id: 999999 }, 'parent_id'],
    ];
    for (const [body, field] of cases) assertBadParam(await postApi(stack, a, body), field, JSON.stringify(body).slice(0, 80));
    assertProblem(await postApi(stack, a, 'name=Reader'), 400, 'a body that is not JSON');
    assertProblem(await postApi(stack, a, '"text"'), 400, 'JSON that is not an object');
    assertProblem(await postApi(stack, a, ok, { type: FORM }), 415, 'a form content type');
    assertProblem(await postApi(stack, a, ok, { type: 'text/plain' }), 415, 'text/plain');
    assertProblem(await postApi(stack, { id: 999999 }, ok), 404, 'an unknown article');
    assertProblem(await postApi(stack, DRAFT, ok), 404, 'a draft');
    assertBadParam(await postApi(stack, { id: 'abc' }, ok), 'id', 'a malformed id');
    assertHtml(await postForm(stack, { slug: 'no-such-article' }, { ...ok, token: '1-x' }), 404, 'the form of no article');
    assertHtml(await post(stack, `${urlOf(a)}/comments`, JSON.stringify(ok), { type: JSON_TYPE }), 415, 'JSON to the form');
    assert.equal(commentRows(stack), before, 'nothing was stored');
    assertCheck(stack);
  });

  test('auto-approval needs the name and email together; a known email under a new name is held', async () => {
    const a = takeArticle();
    const email = `pair-${Date.now()}@example.com`;
    const first = redirected(await postForm(stack, a, { name: 'Maren', email, body: 'First words' }), a, { held: true });
    assert.equal(gazette(stack, ['comments', '--db', stack.dbPath, 'approve', String(first)]).status, 0);
    redirected(await postForm(stack, a, { name: 'Maren', email, body: 'Known now' }), a, { held: false });
    redirected(await postForm(stack, a, { name: 'Official Editor', email, body: 'Trust me' }), a, { held: true });
    const j = await postApi(stack, a, { name: ' Maren ', email, body: 'Same pair, spaces trimmed' });
    assert.equal(j.status, 201);
    assert.equal(JSON.parse(j.text).status, 'approved');
    const other = JSON.parse((await postApi(stack, a, { name: 'Someone Else', email, body: 'Not me' })).text);
    assert.equal(other.status, 'held', 'through the API too');
    assertCheck(stack);
  });

  test('control and direction-override characters are dropped from the text, and refused in the name', async () => {
    const a = takeArticle();
    const body = 'Plain\u202Edesrever\u202C text\u001B[2J with\ttab\nand a line';
    const j = await postApi(stack, a, { name: 'Reader', email: KNOWN.email, body });
    assert.equal(j.status, 201);
    const c = JSON.parse(j.text);
    const stored = sql(stack, `SELECT body FROM comments WHERE id = ${c.id}`)[0].body;
    assert.equal(stored, 'Plaindesrever text[2J with\ttab\nand a line', 'the overrides and ESC are gone, tab and line break stay');
    const r = await postForm(stack, a, { name: 'Edit\u202Eor', email: KNOWN.email, body: 'Hello' });
    assertHtml(r, 400, 'a name with U+202E in the form');
    assert.match(r.text, /characters that change the direction of text/);
    assertCheck(stack);
  });

  test('moderation from the command line: list, approve, spam, delete', async () => {
    const a = NEWEST;
    const cardCount = async () => {
      const home = await get(stack.base, '/');
      const i = home.text.indexOf(`<a href="${urlOf(a)}">`);
      assert.ok(i > 0, 'the newest article has a card on the home page');
      const end = home.text.indexOf('</article>', i);
      const m = /<a class="card-comments" href="[^"]*"[^>]*>(\d+) /.exec(home.text.slice(i, end));
      return m ? Number(m[1]) : 0;
    };
    const count0 = await cardCount();
    assert.equal(count0, a.comments.filter((c) => c.status === 'approved').length);
    const body = 'Please approve me';
    const r = await postForm(stack, a, { name: 'Waiting', email: 'waiting@example.org', body });
    const id = redirected(r, a, { held: true });

    const list = gazette(stack, ['comments', '--db', stack.dbPath, 'list', '--status', 'pending']);
    assert.equal(list.status, 0, list.stderr);
    const line = list.stdout.split('\n').find((l) => l.startsWith(`${id}\t`));
    assert.ok(line, `the held comment ${id} is listed:\n${list.stdout}`);
    assert.match(line, /\tpending\t/);
    assert.ok(line.includes(a.slug) && line.includes('waiting@example.org') && line.includes(body));
    const approvedList = gazette(stack, ['comments', '--db', stack.dbPath, 'list', '--status', 'approved']);
    assert.ok(!approvedList.stdout.split('\n').some((l) => l.startsWith(`${id}\t`)));

    const ok = gazette(stack, ['comments', '--db', stack.dbPath, 'approve', String(id)]);
    assert.equal(ok.status, 0, ok.stderr);
    await settle(stack); // another process wrote: the server purges nginx when it reads the log
    assert.ok(commentLi((await get(stack.base, urlOf(a))).text, id), 'approved: on the page');
    assert.ok((await apiComments(stack, a)).some((x) => x.id === id), 'approved: in the API');
    assert.equal(await cardCount(), count0 + 1, 'the home card counts it');
    assertCheck(stack);

    const spam = gazette(stack, ['comments', '--db', stack.dbPath, 'spam', String(id)]);
    assert.equal(spam.status, 0, spam.stderr);
    await settle(stack);
    assert.equal(commentLi((await get(stack.base, urlOf(a))).text, id), null, 'spam: hidden again');
    assert.ok(!(await apiComments(stack, a)).some((x) => x.id === id), 'spam: not in the API');
    assert.equal(await cardCount(), count0);
    assertCheck(stack);

    const del = gazette(stack, ['comments', '--db', stack.dbPath, 'delete', String(id)]);
    assert.equal(del.status, 0, del.stderr);
    assert.deepEqual(sql(stack, `SELECT count(*) AS n FROM comments WHERE id = ${id}`), [{ n: 0 }]);
    const again = gazette(stack, ['comments', '--db', stack.dbPath, 'approve', String(id)]);
    assert.notEqual(again.status, 0, 'approving a deleted comment fails');
    assert.notEqual(gazette(stack, ['comments', '--db', stack.dbPath, 'approve', 'x']).status, 0, 'a bad id fails');
    assertCheck(stack);
  });
});

describe('comment_moderation hold_all', () => {
  let stack;
  before(async () => { stack = await startSite({ ...RELAXED, comment_moderation: 'hold_all' }); });
  after(async () => { await stack?.stop(); });

  test('every comment is held, even from a known email', async () => {
    const a = LIVE[0];
    const r = await postForm(stack, a, { name: KNOWN.name, email: KNOWN.email, body: 'Held like everyone' });
    const id = redirected(r, a, { held: true });
    const j = await postApi(stack, a, { name: KNOWN.name, email: KNOWN.email, body: 'Held through the API' });
    assert.equal(j.status, 201);
    assert.equal(JSON.parse(j.text).status, 'held');
    const page = await get(stack.base, urlOf(a));
    assert.equal(commentLi(page.text, id), null);
    assert.ok(!page.text.includes('Held through the API'));
    assertCheck(stack);
  });
});

describe('the timing and flood guards at their defaults', () => {
  let stack;
  before(async () => { stack = await startSite({}); });
  after(async () => { await stack?.stop(); });

  test('sooner than comment_min_seconds is "That was quick"; a second comment within 15 s is 429', async () => {
    const a = LIVE[1];
    const before = commentRows(stack);
    const token = await replyToken(stack, a);
    const fields = { name: 'Quick', email: KNOWN.email, body: 'Fast fingers', token };
    const quick = await postForm(stack, a, fields);
    assertHtml(quick, 400, 'a post right after the form was shown');
    const f = readForm(quick.text);
    assert.match(Object.values(f.errors).join(' '), /That was quick/);
    assert.equal(f.body, 'Fast fingers', 'what was typed is kept');
    assert.equal(commentRows(stack), before);

    await sleep(3200);
    const id = redirected(await postForm(stack, a, fields), a, { held: false });
    assert.ok(id > 0, 'the same form is accepted once comment_min_seconds have passed');

    const flood = await postForm(stack, a, { ...fields, body: 'And again' });
    assert.equal(flood.status, 429, `a second comment at once: ${flood.text.slice(0, 200)}`);
    assert.match(flood.headers.get('content-type') || '', /^text\/html/);
    const retry = Number(flood.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 15, `Retry-After ${flood.headers.get('retry-after')}`);
    const again = readForm(flood.text);
    assert.match(Object.values(again.errors).join(' '), /You are commenting too often/);
    assert.equal(again.body, 'And again', 'the article comes back with the comment as typed, to post later');
    const api = await postApi(stack, a, { name: 'Quick', email: KNOWN.email, body: 'Through the API' });
    assertProblem(api, 429, 'a second comment through the API');
    assert.ok(Number(api.headers.get('retry-after')) >= 1, 'Retry-After on the API');
    assert.equal(commentRows(stack), before + 1, 'only the first was stored');
    assertCheck(stack);
  });
});
