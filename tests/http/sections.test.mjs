// Sections and their subsections: an editor files a category under
// another; readers find it at /category/section/subsection, in the
// navigation under its section, with breadcrumbs on its page and on its
// articles' pages; old addresses answer 301 to the new ones; a category
// can stand neither under itself nor under one of its own subsections.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { addUser, setBaseUrl, signIn, sql } from './helpers.mjs';
import { assertValid } from './validate.mjs';

let stack;
let editor;

// The id of the category with slug.
const categoryId = (slug) => sql(stack, `SELECT id FROM categories WHERE slug = '${slug}'`)[0].id;

// GET url: asserts a 200 HTML page and returns its text.
async function page(url) {
  const r = await get(stack.base, url);
  assert.equal(r.status, 200, `${url}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.text;
}

// GET url: asserts a 301 to location.
async function moved(url, location) {
  const r = await get(stack.base, url, { redirect: 'manual' });
  assert.equal(r.status, 301, `${url}: ${r.status}`);
  assert.equal(r.headers.get('location'), location, `${url} moved`);
}

// The breadcrumbs of a page as [name, href] pairs, Home first.
function crumbs(html) {
  const nav = /<nav class="breadcrumbs"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(nav, 'the page has breadcrumbs');
  return [...nav[1].matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[2], m[1]]);
}

before(async () => {
  stack = await startStack({});
  setBaseUrl(stack);
  addUser(stack, 'ed', 'editor');
  editor = await signIn(stack, 'ed');
  const europe = await editor.post('/admin/categories', {
    name: 'Europe', slug: 'europe', description: 'The continent.', parent: String(categoryId('world')),
  });
  assert.equal(europe.status, 303, europe.text.slice(0, 300));
  const balkans = await editor.post('/admin/categories', {
    name: 'Balkans', slug: '', description: '', parent: String(categoryId('europe')),
  });
  assert.equal(balkans.status, 303, balkans.text.slice(0, 300));
  // An article of World moves to Europe, another to the Balkans (a
  // category is public only while it holds a published article).
  sql(stack, `UPDATE articles SET category_id = ${categoryId('europe')}
    WHERE slug = 'valley-rail-strike-enters-third-day-as-talks-resume'`);
  sql(stack, `UPDATE articles SET category_id = ${categoryId('balkans')} WHERE id = (SELECT id FROM articles
    WHERE category_id = ${categoryId('world')} AND status = 'published' ORDER BY id LIMIT 1)`);
  await stack.restartGazette();
});
after(async () => { if (stack) await stack.stop(); });

test('a subsection lives under its section\'s address, with breadcrumbs', async () => {
  const html = await page('/category/world/europe');
  assert.match(html, /<h1 class="category-title">Europe<\/h1>/);
  assert.deepEqual(crumbs(html), [['Home', '/'], ['World News', '/category/world'],
    ['Europe', '/category/world/europe']]);
  assert.match(html, /<a href="\/category\/world\/europe" aria-current="page">Europe<\/a>/);
  assert.match(html, /valley-rail-strike-enters-third-day-as-talks-resume/, 'its article is listed');
  await assertValid('/category/world/europe', html);
  const deeper = await page('/category/world/europe/balkans');
  assert.deepEqual(crumbs(deeper).map(([name]) => name), ['Home', 'World News', 'Europe', 'Balkans']);
});

test('a subsection\'s feeds and its place in the sitemap are at addresses that answer', async () => {
  const html = await page('/category/world/europe');
  const feeds = [...html.matchAll(/<link rel="alternate" type="[^"]+" title="Europe[^"]*" href="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(feeds.length, 3, 'its three feeds are named');
  for (const href of feeds) {
    const r = await get(stack.base, new URL(href, stack.base).pathname);
    assert.equal(r.status, 200, href);
    assert.match(r.text, /valley-rail-strike-enters-third-day-as-talks-resume/, `${href} lists its article`);
  }
  const map = await get(stack.base, '/sitemaps/categories/1.xml');
  assert.ok(map.text.includes(`<loc>${stack.base}/category/world/europe</loc>`), 'the sitemap names its own address');
  assert.ok(!map.text.includes(`<loc>${stack.base}/category/europe</loc>`), 'not one that moves');
});

test('a section lists its subsections, and the navigation shows them under it', async () => {
  const html = await page('/category/world');
  const sections = /<nav class="category-sections"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(sections, 'World lists its subsections');
  assert.match(sections[1], /<a href="\/category\/world\/europe">Europe<\/a>/);
  assert.doesNotMatch(sections[1], /balkans/, 'only the subsections right under it');
  const nav = /<nav class="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)[1];
  assert.match(nav, /<a href="\/category\/world" aria-current="page">World News<\/a>\s*<ul class="nav-sections">\s*<li><a href="\/category\/world\/europe">Europe<\/a><\/li>/);
  const inEurope = await page('/category/world/europe');
  assert.match(inEurope, /<a href="\/category\/world" aria-current="true">World News<\/a>/,
    'on a subsection\'s page its section is marked in the navigation');
  await assertValid('/category/world', html);
});

test('an article in a subsection links to it and shows the way down to it', async () => {
  const url = '/articles/valley-rail-strike-enters-third-day-as-talks-resume';
  const html = await page(url);
  assert.deepEqual(crumbs(html), [['Home', '/'], ['World News', '/category/world'],
    ['Europe', '/category/world/europe']]);
  assert.match(html, /<p class="kicker"><a href="\/category\/world\/europe" dir="auto">Europe<\/a><\/p>/);
  await assertValid(url, html);
  const api = await get(stack.base, '/api/v1/articles/by-slug/valley-rail-strike-enters-third-day-as-talks-resume');
  const doc = JSON.parse(api.text);
  assert.equal(doc.category.path, 'world/europe');
  assert.equal(doc.category.url, '/category/world/europe');
  const cats = JSON.parse((await get(stack.base, '/api/v1/categories?per_page=100')).text).data;
  const europe = cats.find((c) => c.slug === 'europe');
  assert.deepEqual([europe.parent_id, europe.path], [categoryId('world'), 'world/europe']);
});

test('a subsection asked for by its slug alone, or under the wrong section, moves', async () => {
  await moved('/category/europe', '/category/world/europe');
  await moved('/category/balkans', '/category/world/europe/balkans');
  await moved('/category/business/europe', '/category/world/europe');
  assert.equal((await get(stack.base, '/category/world/nowhere')).status, 404);
  assert.equal((await get(stack.base, '/category/world/europe/')).status, 404);
});

test('renaming a section moves the addresses of everything under it', async () => {
  const id = categoryId('world');
  const r = await editor.post(`/admin/categories/${id}`, {
    name: 'World News', slug: 'world-news', description: 'Far and near.', parent: '',
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.deepEqual(sql(stack, "SELECT path FROM categories WHERE slug IN ('europe', 'balkans') ORDER BY id")
    .map((x) => x.path), ['world-news/europe', 'world-news/europe/balkans']);
  await page('/category/world-news/europe/balkans');
  await moved('/category/world/europe', '/category/world-news/europe');
  const back = await editor.post(`/admin/categories/${id}`, {
    name: 'World News', slug: 'world', description: 'Far and near.', parent: '',
  });
  assert.equal(back.status, 303);
});

test('a category can stand neither under itself nor under its own subsections', async () => {
  const world = categoryId('world');
  for (const parent of [world, categoryId('balkans')]) {
    const r = await editor.post(`/admin/categories/${world}`, {
      name: 'World News', slug: 'world', description: '', parent: String(parent),
    });
    assert.equal(r.status, 400, `World under ${parent}`);
    assert.match(r.text, /class="form-error"/);
  }
  assert.equal(sql(stack, `SELECT parent_id FROM categories WHERE id = ${world}`)[0].parent_id, null);
  const list = await editor.get('/admin/categories');
  assert.match(list.text, /Europe<\/a>[\s\S]*— — Balkans<\/a>/, 'the newsroom shows the hierarchy');
  await assertValid('/admin/categories', list.text);
  const one = await editor.get(`/admin/categories/${categoryId('europe')}`);
  assert.match(one.text, new RegExp(`<option value="${world}" selected>World News</option>`));
  assert.doesNotMatch(one.text, /<option value="\d+"[^>]*>— — Balkans/, 'not under its own subsection');
  await assertValid('/admin/categories/{id}', one.text);
});

test('deleting a section moves its subsections up to the section above it', async () => {
  const europe = categoryId('europe');
  const r = await editor.post(`/admin/categories/${europe}/delete`, { move_to: String(categoryId('world')) });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.deepEqual(sql(stack, "SELECT parent_id, path FROM categories WHERE slug = 'balkans'"),
    [{ parent_id: categoryId('world'), path: 'world/balkans' }]);
  await page('/category/world/balkans');
});
