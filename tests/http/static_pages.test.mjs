// Static pages (About, Contact...): an editor writes them in the newsroom;
// readers find the published ones at /page/{slug} and in every page's
// footer, apps in /api/v1/pages; drafts stay hidden, and a change shows at
// once even where the page was cached.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { addUser, setBaseUrl, signIn, sql } from './helpers.mjs';
import { assertValid } from './validate.mjs';

let stack;
let editor;

// Posts the page form (new when id is 0); returns the answer.
const savePage = (id, fields) => editor.post(id ? `/admin/pages/${id}` : '/admin/pages', {
  title: '', slug: '', body: '', status: 'draft', position: '0', ...fields,
});

// The id in "/admin/pages/ID/edit?saved=1".
const savedId = (r) => {
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const m = /^\/admin\/pages\/(\d+)\/edit\?saved=1$/.exec(r.location);
  assert.ok(m, r.location);
  return Number(m[1]);
};

// The footer's links of a page as [title, href].
function footerLinks(html) {
  const nav = /<nav class="footer-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  return nav ? [...nav[1].matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[2], m[1]]) : [];
}

let about;
let contact;

before(async () => {
  stack = await startStack({ demo: false });
  setBaseUrl(stack);
  addUser(stack, 'ed', 'editor');
  addUser(stack, 'au', 'author');
  editor = await signIn(stack, 'ed');
});
after(async () => { if (stack) await stack.stop(); });

test('a published page is at /page/{slug}, listed in every footer', async () => {
  about = savedId(await savePage(0, {
    title: 'About us', body: 'We report on **Port Halvard**.\n\n<script>alert(1)</script>', status: 'published',
    in_footer: '1', position: '2',
  }));
  contact = savedId(await savePage(0, { title: 'Contact', status: 'published', in_footer: '1', position: '1' }));
  const home = await get(stack.base, '/');
  assert.deepEqual(footerLinks(home.text), [['Contact', '/page/contact'], ['About us', '/page/about-us']]);
  const r = await get(stack.base, '/page/about-us');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1 class="article-title">About us<\/h1>/);
  assert.match(r.text, /<strong>Port Halvard<\/strong>/);
  assert.doesNotMatch(r.text, /<script>alert/, 'Markdown is rendered safely');
  await assertValid('/page/about-us', r.text);
  await assertValid('/', home.text);
});

test('drafts and pages left out of the footer', async () => {
  const draft = savedId(await savePage(0, { title: 'Not yet', status: 'draft', in_footer: '1' }));
  assert.equal((await get(stack.base, '/page/not-yet')).status, 404);
  assert.equal((await get(stack.base, '/api/v1/pages/not-yet')).status, 404);
  const hidden = savedId(await savePage(0, { title: 'Imprint', status: 'published' }));
  assert.equal((await get(stack.base, '/page/imprint')).status, 200);
  assert.deepEqual(footerLinks((await get(stack.base, '/')).text).map(([t]) => t), ['Contact', 'About us']);
  for (const id of [draft, hidden]) {
    assert.equal((await editor.post(`/admin/pages/${id}/delete`, {})).status, 303);
  }
});

test('apps list the published pages and read one', async () => {
  const list = JSON.parse((await get(stack.base, '/api/v1/pages')).text);
  assert.deepEqual(list.data.map((p) => [p.slug, p.title, p.url]),
    [['contact', 'Contact', '/page/contact'], ['about-us', 'About us', '/page/about-us']]);
  assert.equal(list.meta.total, 2);
  const one = JSON.parse((await get(stack.base, '/api/v1/pages/about-us')).text);
  assert.equal(one.id, about);
  assert.match(one.body_html, /<strong>Port Halvard<\/strong>/);
});

test('the sitemap index names a sitemap of the published pages', async () => {
  const index = await get(stack.base, '/sitemap.xml');
  assert.equal(index.status, 200);
  assert.ok(index.text.includes(`<loc>${stack.base}/sitemaps/pages/1.xml</loc>`), index.text);
  const pages = await get(stack.base, '/sitemaps/pages/1.xml');
  assert.equal(pages.status, 200);
  const locs = [...pages.text.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(locs, [`${stack.base}/page/contact`, `${stack.base}/page/about-us`], 'no draft');
  assert.equal((await get(stack.base, '/sitemaps/pages/2.xml')).status, 404);
});

test('an edit shows at once, and a new slug is the page\'s address', async () => {
  await get(stack.base, '/page/about-us');
  const r = await savePage(about, { title: 'About the Gazette', slug: 'about', body: 'New text.', status: 'published', in_footer: '1', position: '2' });
  assert.equal(savedId(r), about);
  const page = await get(stack.base, '/page/about');
  assert.match(page.text, /About the Gazette/);
  assert.match(page.text, /New text\./);
  assert.equal((await get(stack.base, '/page/about-us')).status, 404);
  assert.deepEqual(footerLinks((await get(stack.base, '/')).text).at(-1), ['About the Gazette', '/page/about']);
  const taken = await savePage(contact, { title: 'Contact', slug: 'about', status: 'published', in_footer: '1' });
  savedId(taken);
  assert.equal(sql(stack, `SELECT slug FROM pages WHERE id = ${contact}`)[0].slug, 'about-2', 'slugs stay unique');
});

test('the editor refuses what it cannot save, showing the form again', async () => {
  const r = await savePage(about, { title: '', body: 'x', position: '12345' });
  assert.equal(r.status, 400);
  assert.match(r.text, /data-field="title"/);
  assert.match(r.text, /data-field="position"/);
  await assertValid('/admin/pages/{id} (refused)', r.text);
  const list = await editor.get('/admin/pages');
  assert.match(list.text, /About the Gazette/);
  await assertValid('/admin/pages', list.text);
  const form = await editor.get(`/admin/pages/${about}/edit`);
  await assertValid('/admin/pages/{id}/edit', form.text);
  const author = await signIn(stack, 'au');
  assert.equal((await author.get('/admin/pages')).status, 403, 'pages are for editors');
});

test('a deleted page is gone from its address and from the footer', async () => {
  assert.equal((await editor.post(`/admin/pages/${contact}/delete`, {})).status, 303);
  assert.equal((await get(stack.base, '/page/about-2')).status, 404);
  assert.deepEqual(footerLinks((await get(stack.base, '/')).text).map(([t]) => t), ['About the Gazette']);
});
