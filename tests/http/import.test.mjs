// `gazette import wordpress` end to end. A real export, WordPress's Theme
// Unit Test data (../shared, read here with a reader of the test's own,
// tests/http/wxr.mjs), is imported into a fresh site: what readers and
// apps then find is checked against the figures of the file, every
// imported article and page against the HTML validator, old addresses
// answer 301, and a second run writes nothing. Small exports made here
// check what a newer export brings, and that bad files are refused with
// one clear line and nothing written.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, get, pictureTool, startStack } from './harness.mjs';
import { addUser, assertCheck, gazette, sql, waitForPictures } from './helpers.mjs';
import { assertValid } from './validate.mjs';
import { buildExport, readExport, wpSlug } from './wxr.mjs';

const SHARED = process.env.SHARED_DIR || path.join(ROOT, '..', 'shared');
const THEME = path.join(SHARED, 'wordpress', 'themeunittestdata.wordpress.xml');
const HAVE_THEME = fs.existsSync(THEME);
const I18N = path.join(ROOT, 'www', 'i18n');

// Runs the import of file into stack's database (args: more options);
// returns spawnSync's result.
const importFile = (stack, file, ...args) => gazette(stack,
  ['import', '--db', stack.dbPath, '--i18n', I18N, 'wordpress', file, ...args]);

// The tables the running server writes on its own, at times of its own
// (the purger marks and prunes purges, forgets old cache keys and prunes
// the log of changes): not the import's doing.
const SERVER_OWN = /^INSERT INTO "?(purges|cache_keys|cache_key_tags|changes)"? /;

// A digest of everything the database holds but SERVER_OWN, to tell that
// nothing changed.
function dbDigest(stack) {
  const r = spawnSync('sqlite3', [stack.dbPath, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const kept = r.stdout.split('\n').filter((line) => !SERVER_OWN.test(line)).join('\n');
  return createHash('sha256').update(kept).digest('hex');
}

// The count in the report's row of kind, column ("created", ...).
function reported(stdout, kind, column) {
  const cols = ['created', 'updated', 'unchanged', 'skipped'];
  const m = new RegExp(`^  ${kind}\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$`, 'm').exec(stdout);
  assert.ok(m, `the report has a row for ${kind}:\n${stdout}`);
  return Number(m[1 + cols.indexOf(column)]);
}

// GET url without following redirects; asserts 301 to location.
async function assertMoved(stack, url, location) {
  const r = await get(stack.base, url, { redirect: 'manual' });
  assert.equal(r.status, 301, `${url}: ${r.status}`);
  assert.equal(r.headers.get('location'), location, `${url} moves`);
}

// Writes text to a file of its own in a temporary folder; returns its path.
function tempFile(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-wxr-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('the Theme Unit Test export', { skip: HAVE_THEME ? false : `no ${THEME}` }, () => {
  let stack;
  let wxr;
  let first;
  // What the file says should come across.
  let logins;
  let articles;
  let pages;

  before(async () => {
    wxr = readExport(fs.readFileSync(THEME, 'utf8'));
    logins = new Set(wxr.authors.map((a) => a.author_login));
    const posts = wxr.items.filter((i) => i.post_type === 'post');
    articles = posts.filter((i) => i.status === 'publish' && !i.post_password && logins.has(i.creator));
    pages = wxr.items.filter((i) => i.post_type === 'page' && i.status === 'publish' && !i.post_password);
    stack = await startStack({ demo: false });
    first = importFile(stack, THEME);
  });
  after(async () => { if (stack) await stack.stop(); });

  test('the import succeeds and reports what it did', () => {
    assert.equal(first.status, 0, first.stderr);
    assert.equal(reported(first.stdout, 'authors', 'created'), wxr.authors.length);
    assert.equal(reported(first.stdout, 'pages', 'created'), pages.length);
    assert.match(first.stdout, /its author is not in the export \(WordPress ids: 1730\)/,
      'a post whose author the export does not list is skipped, with the reason');
    assert.match(first.stdout, /menu items: Gazette's menus are its sections and pages/);
    assertCheck(stack);
  });

  test('authors become disabled accounts without a password, with their names', () => {
    const users = sql(stack, 'SELECT username, display_name, disabled, password_hash FROM users ORDER BY username');
    assert.deepEqual(users.map((u) => [u.username, u.display_name, u.disabled, u.password_hash]),
      wxr.authors.map((a) => [a.author_login, a.author_display_name, 1, null]).sort());
  });

  test('categories keep their parents, tags their names and slugs', () => {
    const byNice = new Map(wxr.categories.map((c) => [c.category_nicename, c]));
    const pathOf = (c) => (c.category_parent ? `${pathOf(byNice.get(c.category_parent))}/` : '') + wpSlug(c.category_nicename);
    const have = new Map(sql(stack, 'SELECT slug, name, path FROM categories').map((c) => [c.slug, c]));
    for (const c of wxr.categories) {
      const got = have.get(wpSlug(c.category_nicename));
      assert.ok(got, `category ${c.category_nicename}`);
      assert.equal(got.path, pathOf(c), `the path of ${c.category_nicename}`);
      assert.equal(got.name, c.cat_name);
    }
    assert.ok(wxr.categories.some((c) => pathOf(c).split('/').length === 3), 'the file nests three deep');
    const tags = new Map(sql(stack, 'SELECT slug, name FROM tags').map((t) => [t.slug, t.name]));
    for (const t of wxr.tags) assert.equal(tags.get(wpSlug(t.tag_slug)), t.tag_name.replace(/&amp;/g, '&'), t.tag_slug);
  });

  test('readers and apps see the published posts and pages, and no others', async () => {
    const list = JSON.parse((await get(stack.base, '/api/v1/articles?per_page=100')).text);
    assert.equal(list.meta.total, articles.length);
    assert.deepEqual(list.data.map((a) => a.slug).sort(), articles.map((i) => wpSlug(i.post_name)).sort());
    const apiPages = JSON.parse((await get(stack.base, '/api/v1/pages?per_page=100')).text);
    assert.deepEqual(apiPages.data.map((p) => p.slug).sort(), pages.map((i) => wpSlug(i.post_name)).sort());
    const sticky = articles.filter((i) => i.is_sticky === '1').map((i) => i.post_name);
    assert.deepEqual(sql(stack, 'SELECT slug FROM articles WHERE featured = 1').map((a) => a.slug), sticky);
    const scheduled = wxr.items.find((i) => i.status === 'future');
    assert.equal((await get(stack.base, `/articles/${scheduled.post_name}`)).status, 404, 'a scheduled post waits');
  });

  test('comments come across with their states and threads, and the counts are WordPress\'s', async () => {
    const want = { approved: 0, pending: 0, spam: 0 };
    const parents = [];
    for (const i of articles) {
      for (const c of i.comments) {
        want[{ 1: 'approved', 0: 'pending', spam: 'spam' }[c.comment_approved]] += 1;
        if (c.comment_parent !== '0') parents.push(c);
      }
    }
    const got = Object.fromEntries(sql(stack, `SELECT status, count(*) AS n FROM comments
      WHERE article_id IN (SELECT id FROM articles WHERE status = 'published') GROUP BY status`).map((r) => [r.status, r.n]));
    assert.deepEqual({ approved: got.approved || 0, pending: got.pending || 0, spam: got.spam || 0 }, want);
    assert.ok(parents.length >= 5, 'the file has threads');
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM comments WHERE parent_id IS NOT NULL')[0].n, parents.length);
    for (const i of articles) {
      const approved = i.comments.filter((c) => c.comment_approved === '1').length;
      const doc = JSON.parse((await get(stack.base, `/api/v1/articles/by-slug/${encodeURIComponent(i.post_name)}`)).text);
      assert.equal(doc.comment_count, approved, `${i.post_name}: WordPress's count`);
    }
  });

  test('texts come out clean', () => {
    for (const { slug, body_html: html } of sql(stack, `SELECT a.slug, b.body_html FROM articles a
      JOIN article_bodies b ON b.article_id = a.id UNION ALL SELECT slug, body_html FROM pages`)) {
      assert.doesNotMatch(html, /<(script|style|form|input|object|embed)\b/i, `${slug}: no active element`);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${slug}: no event attribute`);
      assert.doesNotMatch(html, /(href|src)="\s*(javascript|data|vbscript):/i, `${slug}: no script address`);
      assert.doesNotMatch(html, /<!--|\[caption|\[gallery/, `${slug}: no block comments or shortcodes`);
    }
    const caption = sql(stack, `SELECT b.body_html FROM articles a JOIN article_bodies b ON b.article_id = a.id
      WHERE a.slug = 'post-format-image-caption'`)[0].body_html;
    assert.match(caption, /<figure[^>]*>[\s\S]*<figcaption>/, '[caption] becomes a figure with its caption');
    assert.deepEqual(sql(stack, `SELECT a.slug FROM articles a JOIN article_bodies b ON b.article_id = a.id
      WHERE b.format = 'html' AND (b.search_text IS NULL OR b.search_text LIKE '%<p>%'
      OR b.search_text LIKE '%href=%')`), [], 'search reads each text without its markup');
  });

  test('every imported article and page is at its new address and valid HTML', async () => {
    for (const i of articles) {
      const url = `/articles/${encodeURIComponent(wpSlug(i.post_name))}`;
      const r = await get(stack.base, url);
      assert.equal(r.status, 200, url);
      await assertValid(url, r.text);
    }
    for (const i of pages) {
      const url = `/page/${encodeURIComponent(wpSlug(i.post_name))}`;
      const r = await get(stack.base, url);
      assert.equal(r.status, 200, url);
      await assertValid(url, r.text);
    }
    // No published post of the file is filed two levels down (its first
    // category is kept): such a subsection is not public, and its own
    // old address does not lead to itself.
    const deep = '/category/parent-category/child-category-03/grandchild-category';
    // (nginx keeps the 301, and forgets it when the section gets its article.)
    const hidden = await get(stack.base, deep, { redirect: 'manual' });
    assert.notEqual(hidden.status, 200);
    assert.notEqual(hidden.headers.get('location'), deep);
    const article = articles[0];
    const slug = wpSlug(article.post_name).replace(/'/g, "''");
    const was = sql(stack, `SELECT category_id FROM articles WHERE slug = '${slug}'`)[0].category_id;
    sql(stack, `UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = 'grandchild-category')
      WHERE slug = '${slug}'`);
    await stack.restartGazette();
    const nested = await get(stack.base, deep);
    assert.equal(nested.status, 200);
    await assertValid('a subsection two levels down', nested.text);
    assert.match(nested.text, /href="\/category\/parent-category"/, 'its section is in the navigation');
    sql(stack, `UPDATE articles SET category_id = ${was} WHERE slug = '${slug}'`);
    await stack.restartGazette();
  });

  test('old addresses answer 301 to the new ones', async () => {
    for (const i of articles) {
      const to = `/articles/${encodeURIComponent(wpSlug(i.post_name))}`;
      await assertMoved(stack, new URL(i.link).pathname, to);
      await assertMoved(stack, `/?p=${i.post_id}`, to);
    }
    for (const i of pages) {
      const to = `/page/${encodeURIComponent(wpSlug(i.post_name))}`;
      await assertMoved(stack, new URL(i.link).pathname, to);
      // A link the export wrote with "//" is found at its address too.
      await assertMoved(stack, new URL(i.link).pathname.replace(/\/{2,}/g, '/'), to);
    }
    // Its posts' first category is another: the section is not public, and
    // its old addresses lead to the tag its posts were given.
    await assertMoved(stack, '/category/parent/child-1/child-2/', '/tag/child-2');
    await assertMoved(stack, '/category/child-2/', '/tag/child-2');
    await assertMoved(stack, '/tag/edge-case/', '/tag/edge-case');
    await assertMoved(stack, '/author/themedemos/', '/author/themedemos');
    assert.equal((await get(stack.base, '/author/themedemos')).status, 200, 'an imported author\'s page');
    assert.equal((await get(stack.base, '/2030/01/01/scheduled/', { redirect: 'manual' })).status, 404,
      'nothing yet where a scheduled post will be');
  });

  test('every old section address leads to a page listing its posts, or is not found: never a redirect to nothing', async () => {
    let tags = 0;
    for (const c of wxr.categories) {
      const url = `/category/${c.category_nicename}/`;
      const r = await get(stack.base, url, { redirect: 'manual' });
      const posts = articles.filter((i) => i.terms.some((t) => t.domain === 'category' && t.nicename === c.category_nicename));
      if (r.status === 404) {
        assert.equal(posts.length, 0, `${url}: its posts are somewhere`);
        continue;
      }
      assert.equal(r.status, 301, url);
      const to = r.headers.get('location');
      if (to.startsWith('/tag/')) tags++;
      const page = await get(stack.base, to);
      assert.equal(page.status, 200, `${url} leads to ${to}`);
      // A section still public leads to itself; one its posts were in
      // after another leads to the tag they were given, which lists them.
      if (to.startsWith('/tag/')) {
        assert.ok(posts.some((i) => page.text.includes(`href="/articles/${encodeURIComponent(wpSlug(i.post_name))}"`)),
          `${to} lists a post that was in ${c.category_nicename}`);
      }
    }
    assert.ok(tags > 0, 'sections the posts were in but not first lead to their tags');
    assert.match(first.stdout, /in more than one category: the first is its section, the others its tags/);
  });

  test("WordPress's feed addresses answer 301 to the feeds they became", async () => {
    await assertMoved(stack, '/feed/', '/feed.rss');
    await assertMoved(stack, '/feed/rss2/', '/feed.rss');
    await assertMoved(stack, '/feed/atom/', '/feed.xml');
    await assertMoved(stack, '/?feed=rss2', '/feed.rss');
    await assertMoved(stack, '/?feed=atom', '/feed.xml');
    await assertMoved(stack, '/category/parent/child-1/child-2/feed/', '/tag/child-2/feed.rss');
    await assertMoved(stack, '/category/classic/feed/', '/category/classic/feed.rss');
    await assertMoved(stack, '/tag/edge-case/feed/', '/tag/edge-case/feed.rss');
    await assertMoved(stack, '/author/themedemos/feed/atom/', '/author/themedemos/feed.xml');
    const post = articles.find((i) => i.post_name === 'template-comments');
    const comments = `/articles/${post.post_name}/comments/feed.rss`;
    await assertMoved(stack, `${new URL(post.link).pathname}feed/`, comments);
    await assertMoved(stack, `/?p=${post.post_id}&feed=rss2`, comments);
    for (const to of ['/feed.rss', '/feed.xml', '/tag/edge-case/feed.rss', comments]) {
      const r = await get(stack.base, to);
      assert.equal(r.status, 200, to);
      assert.match(r.headers.get('content-type'), /^application\/(rss|atom)\+xml/, to);
    }
    // Feeds Gazette has no counterpart of: not the home page in their place.
    for (const url of ['/comments/feed/', '/?feed=comments-rss2', `/page/${pages[0].post_name}/feed/`])
      assert.equal((await get(stack.base, url, { redirect: 'manual' })).status, 404, url);
  });

  test('featured pictures are kept for the media library, and missing files are reported', () => {
    const thumbs = wxr.items.filter((i) => i.meta._thumbnail_id && articles.includes(i));
    const featured = sql(stack, 'SELECT a.slug, f.url FROM import_featured_files f JOIN articles a ON a.id = f.article_id');
    assert.deepEqual(featured.map((f) => f.slug).sort(), thumbs.map((i) => i.post_name).sort());
    const byId = new Map(wxr.items.map((i) => [i.post_id, i]));
    for (const f of featured) {
      const i = thumbs.find((t) => t.post_name === f.slug);
      assert.equal(f.url, byId.get(i.meta._thumbnail_id[0]).attachment_url);
    }
    const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-uploads-'));
    fs.mkdirSync(path.join(uploads, '2013', '03'), { recursive: true });
    fs.writeFileSync(path.join(uploads, '2013', '03', 'featured-image-horizontal.jpg'), 'jpeg');
    const list = path.join(uploads, 'missing.txt');
    const check = importFile(stack, THEME, '--uploads', uploads, '--missing', list, '--dry-run');
    assert.equal(check.status, 0, check.stderr);
    const m = /files checked\s+(\d+)\s+in the uploads folder; (\d+) missing: ([^\n]*)/.exec(check.stdout);
    assert.ok(m, check.stdout);
    assert.ok(Number(m[2]) > 0 && Number(m[2]) < Number(m[1]), 'the file there is found, the others are missing');
    const listed = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
    assert.equal(listed.length, Number(m[2]), 'the list names every file missing, where the report shows the first');
    assert.ok(!listed.includes('2013/03/featured-image-horizontal.jpg'));
    assert.equal(importFile(stack, THEME, '--missing', list, '--dry-run').status, 2, '--missing wants --uploads');
    assert.match(m[3], /\d{4}\/\d{2}\/[^,]+\.(jpg|png)/, 'missing files are named');
    assert.doesNotMatch(m[3], /featured-image-horizontal\.jpg/);
    fs.rmSync(uploads, { recursive: true });
  });

  test('a second import of the same file changes nothing', () => {
    const before = dbDigest(stack);
    const again = importFile(stack, THEME);
    assert.equal(again.status, 0, again.stderr);
    for (const kind of ['authors', 'categories', 'tags', 'articles', 'pages', 'comments', 'attachments', 'old addresses']) {
      assert.equal(reported(again.stdout, kind, 'created'), 0, `${kind} created`);
      assert.equal(reported(again.stdout, kind, 'updated'), 0, `${kind} updated`);
    }
    assert.equal(dbDigest(stack), before, 'the database is as it was');
    assertCheck(stack);
  });

  test('an account imported without a password is enabled by its first', () => {
    const r = gazette(stack, ['user', '--db', stack.dbPath, 'passwd', 'themedemos'], 'a-long-password-1\n');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sql(stack, "SELECT disabled FROM users WHERE username = 'themedemos'"), [{ disabled: 0 }]);
  });
});

describe('small exports', () => {
  let stack;
  before(async () => { stack = await startStack({ demo: false }); });
  after(async () => { if (stack) await stack.stop(); });

  const AUTHORS = [{ login: 'ana', name: 'Ana Lima' }, { login: 'Bo Li', name: 'Bo Li' }];
  const CATEGORIES = [{ id: 1, slug: 'news', name: 'News' }, { id: 2, slug: 'local', name: 'Local', parent: 'news' },
    { id: 3, slug: '%d8%b1%d9%8a%d8%a7%d8%b6%d8%a9', name: 'رياضة' }];
  const TAGS = [{ id: 10, slug: 'floods', name: 'Floods' }, { id: 11, slug: '%d9%85%d9%8a%d8%a7%d9%87', name: 'مياه' }];
  const HOSTILE = '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">there</a></p>'
    + '<form action="/x"><input name="q"></form><style>p{}</style><img src="data:image/png;base64,AAA" onerror="x()">'
    + '<iframe src="https://www.youtube.com/embed/abc"></iframe><iframe src="https://evil.example/"></iframe>'
    + '[unknownshortcode id="1"] and a <a href="https://old.example/2020/03/04/second/">link to the second post</a>.';
  const base = () => ({
    authors: AUTHORS, categories: CATEGORIES, tags: TAGS,
    items: [
      { id: 1, title: 'First <em>post</em>', slug: 'first', author: 'ana', categories: ['local', 'news'], tags: ['floods'],
        content: HOSTILE, comments: [
          { id: 100, content: 'Top' }, { id: 101, parent: 100, content: 'Reply' },
          { id: 102, parent: 999, content: 'Answers a comment that is not in the file' },
          { id: 103, approved: '0', content: 'Held' }, { id: 104, approved: 'spam', content: 'Spam' },
          { id: 105, approved: 'trash', content: 'Trash' }] },
      { id: 2, title: 'Second', slug: 'second', author: 'Bo Li', categories: ['%d8%b1%d9%8a%d8%a7%d8%b6%d8%a9'],
        tags: ['%d9%85%d9%8a%d8%a7%d9%87'], content: 'كلام عربي طويل في فقرة أولى.\n\nوفقرة ثانية.' },
      { id: 3, title: 'By nobody', slug: 'by-nobody', author: 'ghost', categories: ['news'],
        comments: [{ id: 300, content: 'On a post that is not imported' }] },
      { id: 4, title: 'In no known category', slug: 'lost', author: 'ana', categories: ['nowhere'] },
      { id: 5, title: 'Private', slug: 'private', author: 'ana', status: 'private', categories: ['news'] },
      { id: 6, type: 'page', title: 'About', slug: 'about', author: 'ana', content: 'About us.' },
    ],
  });

  test('a post of an unknown author or category is skipped whole, with the reason', () => {
    const file = tempFile('small.xml', buildExport(base()));
    const r = importFile(stack, file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /articles\s+1\s+its author is not in the export \(WordPress ids: 3\)/);
    assert.match(r.stdout, /articles\s+1\s+its category is not in the export \(WordPress ids: 4\)/);
    assert.match(r.stdout, /articles\s+1\s+private \(WordPress ids: 5\)/);
    assert.match(r.stdout, /comments\s+1\s+on an item not imported as an article \(WordPress ids: 300\)/);
    assert.match(r.stdout, /comments\s+1\s+in the trash \(WordPress ids: 105\)/);
    assert.match(r.stdout, /answers a comment not imported: shown at the top of the thread \(WordPress ids: 999\)/);
    assert.deepEqual(sql(stack, 'SELECT slug FROM articles ORDER BY id').map((a) => a.slug), ['first', 'second']);
    assert.equal(sql(stack, "SELECT count(*) AS n FROM legacy_paths WHERE path LIKE '%by-nobody%' OR path LIKE '%lost%'")[0].n, 0,
      'nothing of a skipped post is written');
    assertCheck(stack);
  });

  test('what comes across: accounts, sections, Arabic slugs, text, threads', async () => {
    assert.deepEqual(sql(stack, 'SELECT username FROM users ORDER BY username').map((u) => u.username), ['ana', 'bo-li']);
    assert.equal(sql(stack, "SELECT path FROM categories WHERE slug = 'local'")[0].path, 'news/local');
    assert.equal(sql(stack, "SELECT a.title, c.slug FROM articles a JOIN categories c ON c.id = a.category_id WHERE a.slug = 'first'")[0].c ?? 'x', 'x');
    const first = sql(stack, `SELECT a.title, c.path, b.body_html FROM articles a JOIN categories c ON c.id = a.category_id
      JOIN article_bodies b ON b.article_id = a.id WHERE a.slug = 'first'`)[0];
    assert.equal(first.title, 'First post', 'the title as plain text');
    assert.equal(first.path, 'news/local', 'the first category is kept');
    for (const gone of ['onclick', '<script', 'javascript:', '<form', '<input', '<style', 'data:image', 'onerror', 'evil.example']) {
      assert.ok(!first.body_html.includes(gone), `${gone} removed`);
    }
    assert.ok(first.body_html.includes('<iframe src="https://www.youtube.com/embed/abc"'), 'an allowed player stays');
    assert.ok(first.body_html.includes('[unknownshortcode id="1"]'), 'an unknown shortcode stays as text');
    assert.ok(first.body_html.includes('<a href="/articles/second">link to the second post</a>'),
      'a link to a post imported later is rewritten');
    const [{ search_text: words }] = sql(stack, `SELECT b.search_text FROM article_bodies b
      JOIN articles a ON a.id = b.article_id WHERE a.slug = 'first'`);
    assert.ok(words.includes('link to the second post'), 'search reads the text');
    assert.doesNotMatch(words, /<|youtube|href/, 'and not its markup');
    const search = await get(stack.base, '/search?q=youtube');
    assert.equal(search.status, 200);
    assert.ok(!search.text.includes('href="/articles/first"'), 'a word only in the markup finds nothing');
    const second = sql(stack, "SELECT a.lang, a.dir, t.slug AS tag, c.slug AS cat FROM articles a JOIN article_tags x ON x.article_id = a.id JOIN tags t ON t.id = x.tag_id JOIN categories c ON c.id = a.category_id WHERE a.slug = 'second'")[0];
    assert.deepEqual(second, { lang: 'ar', dir: 'rtl', tag: 'مياه', cat: 'رياضة' });
    assert.equal((await get(stack.base, `/tag/${encodeURIComponent('مياه')}`)).status, 200);
    assert.equal((await get(stack.base, `/category/${encodeURIComponent('رياضة')}`)).status, 200);
    await assertMoved(stack, '/tag/%d9%85%d9%8a%d8%a7%d9%87/', `/tag/${encodeURIComponent('مياه')}`);
    const comments = sql(stack, `SELECT m.body, m.status, p.body AS parent FROM comments m LEFT JOIN comments p ON p.id = m.parent_id ORDER BY m.id`);
    assert.deepEqual(comments.map((c) => [c.body, c.status, c.parent]), [
      ['Top', 'approved', null], ['Reply', 'approved', 'Top'],
      ['Answers a comment that is not in the file', 'approved', null],
      ['Held', 'pending', null], ['Spam', 'spam', null]]);
    assert.deepEqual(sql(stack, `SELECT a.slug, u.username, x.position FROM article_authors x
      JOIN articles a ON a.id = x.article_id JOIN users u ON u.id = x.user_id ORDER BY a.id`)
      .map((b) => [b.slug, b.username, b.position]), [['first', 'ana', 0], ['second', 'bo-li', 0]],
    'each article\'s byline names its WordPress author');
    const page = await get(stack.base, '/articles/first');
    assert.match(page.text, /<bdi class="comment-count">\(3\)<\/bdi>/);
    assert.match(page.text, /<a href="\/author\/ana" rel="author"/);
    const author = await get(stack.base, '/author/bo-li');
    assert.equal(author.status, 200, 'an imported author\'s page stands while the account waits for a password');
    assert.match(author.text, /href="\/articles\/second"/);
    await assertValid('/articles/first', page.text);
    await assertValid('/articles/second', (await get(stack.base, '/articles/second')).text);
  });

  test('a newer export brings its changes in, and leaves what the newsroom edited', () => {
    const next = base();
    next.items[0].title = 'First post, corrected';
    next.items[0].comments.push({ id: 106, parent: 101, content: 'A new reply' });
    next.items[1].meta = { _wp_old_slug: 'segunda' };
    next.items.push({ id: 7, title: 'Third', slug: 'third', author: 'ana', categories: ['news'] });
    sql(stack, "UPDATE articles SET title = 'Edited here', updated_at = updated_at + 60 WHERE slug = 'second'");
    const version = sql(stack, "SELECT version FROM articles WHERE slug = 'first'")[0].version;
    next.items[1].title = 'Second, changed in WordPress too';
    const file = tempFile('newer.xml', buildExport(next));
    const r = importFile(stack, file);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(reported(r.stdout, 'articles', 'created'), 1);
    assert.equal(reported(r.stdout, 'articles', 'updated'), 1);
    assert.match(r.stdout, /edited in the newsroom since it was imported: kept as it is \(WordPress ids: 2\)/);
    assert.equal(reported(r.stdout, 'comments', 'created'), 1);
    assert.deepEqual(sql(stack, 'SELECT title FROM articles ORDER BY id').map((a) => a.title),
      ['First post, corrected', 'Edited here', 'Third']);
    assert.ok(sql(stack, "SELECT version FROM articles WHERE slug = 'first'")[0].version > version,
      'an article the import changed has a new version: a form opened before is refused on save');
    assert.equal(sql(stack, "SELECT p.body FROM comments m JOIN comments p ON p.id = m.parent_id WHERE m.body = 'A new reply'")[0].body, 'Reply');
    assertCheck(stack);
  });

  test('a dry run reports and writes nothing', () => {
    const before = dbDigest(stack);
    const next = base();
    next.items.push({ id: 8, title: 'Fourth', slug: 'fourth', author: 'ana', categories: ['news'] });
    const r = importFile(stack, tempFile('dry.xml', buildExport(next)), '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(reported(r.stdout, 'articles', 'created'), 1);
    assert.match(r.stdout, /dry run: nothing was written/);
    assert.equal(dbDigest(stack), before);
  });

  test('bad files are refused with one clear line, and nothing is written', () => {
    const whole = buildExport(base());
    const before = dbDigest(stack);
    const cases = [
      ['truncated.xml', whole.slice(0, Math.floor(whole.length * 0.7)), /line \d+, column \d+: malformed XML/],
      ['rss.xml', '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>x</title></item></channel></rss>',
        /line \d+, column \d+: not a WXR file/],
      ['version.xml', buildExport({ ...base(), version: '9.9' }), /line \d+, column \d+: .*version/i],
      ['tags.xml', '<?xml version="1.0"?><rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><b></item></channel></rss>',
        /line \d+, column \d+/],
    ];
    for (const [name, text, why] of cases) {
      const r = importFile(stack, tempFile(name, text));
      assert.equal(r.status, 1, `${name}: exit ${r.status}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${name}: one line: ${r.stderr}`);
      assert.match(lines[0], why, name);
      assert.equal(r.stdout, '', `${name}: no report`);
    }
    const missing = importFile(stack, '/no/such/export.xml');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read/);
    assert.equal(dbDigest(stack), before, 'the database is as it was');
  });
});

describe('the pictures of an export go into the picture library', () => {
  let stack;
  let uploads;
  before(async () => {
    stack = await startStack({ demo: false });
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-uploads-'));
    fs.mkdirSync(path.join(uploads, '2020', '03'), { recursive: true });
    pictureTool(['photo', path.join(uploads, '2020', '03', 'harbour.jpg'), '800', '600', '3']);
    pictureTool(['photo', path.join(uploads, '2020', '03', 'quay.jpg'), '640', '480', '4']);
    fs.writeFileSync(path.join(uploads, '2020', '03', 'broken.jpg'), 'this is not a picture');
  });
  after(async () => {
    if (stack) await stack.stop();
    if (uploads) fs.rmSync(uploads, { recursive: true });
  });

  const UP = 'https://old.example/wp-content/uploads/2020/03';
  const EXPORT = () => buildExport({
    authors: [{ login: 'ana', name: 'Ana Lima' }],
    categories: [{ id: 1, slug: 'news', name: 'News' }],
    items: [
      { id: 10, title: 'At the harbour', slug: 'harbour', author: 'ana', categories: ['news'],
        meta: { _thumbnail_id: '50' },
        content: `<p>Morning.</p><p><img src="${UP}/quay-300x225.jpg" alt="The quay" width="300"></p>`
          + `<p><img src="${UP}/broken.jpg" alt="Broken"></p>` },
      { id: 20, type: 'page', title: 'About us', slug: 'about', author: 'ana',
        content: `<p>Our office.</p><p><img src="${UP}/harbour-300x225.jpg" alt="Our office by the harbour"></p>` },
      { id: 50, type: 'attachment', title: 'Harbour', slug: 'harbour-photo', parent: 10, url: `${UP}/harbour.jpg`,
        meta: { _wp_attached_file: '2020/03/harbour.jpg', _wp_attachment_image_alt: 'The harbour at dawn' } },
      { id: 51, type: 'attachment', title: 'Quay', slug: 'quay-photo', parent: 10, url: `${UP}/quay.jpg`,
        meta: { _wp_attached_file: '2020/03/quay.jpg', _wp_attachment_image_alt: 'The quay' } },
    ],
  });

  test('the files are taken once, the article shows them from the library, and a run again changes nothing', async () => {
    // An app listens to every event: what the import brings in was published on the old site.
    sql(stack, `INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://hooks.example/in',
      'article.published article.updated comment.created media.created', 'secret', unixepoch(), unixepoch())`);
    const file = tempFile('pictures.xml', EXPORT());
    const r = importFile(stack, file, '--uploads', uploads);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /taken into the library\s+2\s+\(1 refused: not a picture it takes: 2020\/03\/broken\.jpg\)/);
    assert.match(r.stdout, /featured pictures given\s+1\s+texts pointed to the library 2/);
    const pics = sql(stack, 'SELECT id, alt, filename FROM media ORDER BY filename');
    assert.deepEqual(pics.map((p) => [p.filename, p.alt]),
      [['harbour.jpg', 'The harbour at dawn'], ['quay.jpg', 'The quay']], 'the original, not WordPress\'s size of it');
    const [harbour, quay] = pics;
    const a = sql(stack, `SELECT a.image_id, b.body_md FROM articles a JOIN article_bodies b ON b.article_id = a.id
      WHERE a.slug = 'harbour'`)[0];
    assert.equal(a.image_id, harbour.id, 'the WordPress featured picture is the article\'s');
    assert.ok(a.body_md.includes(`src="/media/${quay.id}"`), a.body_md);
    assert.ok(a.body_md.includes(`${UP}/broken.jpg`), 'a file the library refused keeps its address');

    await waitForPictures(stack);
    const page = await get(stack.base, '/articles/harbour');
    assert.equal(page.status, 200);
    const html = page.text;
    assert.match(html, /<picture><source type="image\/webp" srcset="\/media\/[^"]+"/);
    assert.ok(!html.includes(`${UP}/quay`), 'the text shows the library\'s picture, not the old site\'s');
    assert.ok(html.includes('alt="The quay"'));
    await assertValid('/articles/harbour', html);
    const api = JSON.parse((await get(stack.base, '/api/v1/articles/by-slug/harbour')).text);
    assert.equal(api.image.id, harbour.id);

    // A static page's pictures come across as an article's do.
    const about = sql(stack, "SELECT id, body_src FROM pages WHERE slug = 'about'")[0];
    assert.ok(about.body_src.includes(`src="/media/${harbour.id}"`), about.body_src);
    const aboutPage = await get(stack.base, '/page/about');
    assert.equal(aboutPage.status, 200);
    assert.match(aboutPage.text, /<picture><source type="image\/webp" srcset="\/media\/[^"]+"/);
    assert.ok(!aboutPage.text.includes(UP), 'the page shows the library\'s picture, not the old site\'s');
    assert.ok(aboutPage.text.includes('alt="Our office by the harbour"'));
    await assertValid('/page/about', aboutPage.text);
    assert.deepEqual(sql(stack, 'SELECT page_id, media_id FROM page_media'), [{ page_id: about.id, media_id: harbour.id }],
      'the library knows the page shows the picture, which cannot then be deleted');
    assertCheck(stack);

    const before = dbDigest(stack);
    const again = importFile(stack, file, '--uploads', uploads);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /taken into the library\s+0\s/);
    assert.equal(dbDigest(stack), before, 'a second run writes nothing');
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM media')[0].n, 2);
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM webhook_deliveries')[0].n, 0, 'no webhook is told of the import');
  });
});

describe('posts whose author the export does not list', () => {
  let stack;
  before(async () => { stack = await startStack({ demo: false }); });
  after(async () => { if (stack) await stack.stop(); });

  test('--author gives them to a user of the site, with a note; an unknown user is refused before anything is read', () => {
    const file = tempFile('orphan.xml', buildExport({
      authors: [{ login: 'ana', name: 'Ana Lima' }],
      categories: [{ id: 1, slug: 'news', name: 'News' }],
      items: [
        { id: 1, title: 'By Ana', slug: 'by-ana', author: 'ana', categories: ['news'] },
        { id: 2, title: 'By a typo', slug: 'by-a-typo', author: '>ana', categories: ['news'],
          comments: [{ id: 20, content: 'A reader wrote' }] },
      ],
    }));
    const unknown = importFile(stack, file, '--author', 'nobody');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--author: no such user/);
    assert.equal(sql(stack, 'SELECT count(*) AS n FROM articles')[0].n, 0, 'nothing was read in');
    addUser(stack, 'desk', 'editor');
    const r = importFile(stack, file, '--author', 'desk');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /articles\s+1\s+its author is not in the export: given to --author \(WordPress ids: 2\)/);
    assert.deepEqual(sql(stack, 'SELECT a.slug, u.username FROM articles a JOIN users u ON u.id = a.author_id ORDER BY a.slug'),
      [{ slug: 'by-a-typo', username: 'desk' }, { slug: 'by-ana', username: 'ana' }]);
    assert.equal(sql(stack, "SELECT count(*) AS n FROM comments WHERE body = 'A reader wrote'")[0].n, 1, 'its comments come too');
    assertCheck(stack);
  });
});
