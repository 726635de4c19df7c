// A category, tag or author is public only once it holds an article a
// reader can see: the names given to drafts, submissions and scheduled
// articles (which may tell what is coming) appear in no public list, and
// their pages and feeds answer 404 until one of those articles is out.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import { SITE, addUser, assertCheck, settle, sql, startSite } from './helpers.mjs';

// The demo's draft and scheduled articles (ids 1..n in the order of demo/site.json).
const HIDDEN = SITE.articles.map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => a.status === 'draft' || a.status === 'scheduled');
const DRAFT = HIDDEN.find((a) => a.status === 'draft');
const SCHEDULED = HIDDEN.find((a) => a.status === 'scheduled');

// Every item of a public API list, page after page.
async function everyItem(stack, list) {
  const items = [];
  for (let page = 1; page < 50; page++) {
    const r = await get(stack.base, `/api/v1/${list}?per_page=100&page=${page}`);
    assert.equal(r.status, 200, `${list} page ${page}`);
    const doc = JSON.parse(r.text);
    items.push(...doc.data);
    if (page >= doc.meta.total_pages) {
      assert.equal(doc.meta.total, items.length, `${list}: meta.total counts what is listed`);
      break;
    }
  }
  return items;
}

// The names {categories, tags, authors} the public API lists.
async function listed(stack) {
  return {
    categories: (await everyItem(stack, 'categories')).map((c) => c.slug),
    tags: (await everyItem(stack, 'tags')).map((t) => t.slug),
    authors: (await everyItem(stack, 'authors')).map((u) => u.username),
  };
}

// The status of each public page of a category, tag or author at prefix/key.
async function pageStatuses(stack, prefix, key) {
  const out = {};
  for (const suffix of ['', '/feed.xml', '/feed.rss', '/feed.json']) {
    out[suffix || 'page'] = (await get(stack.base, `${prefix}/${key}${suffix}`)).status;
  }
  return out;
}

const ALL_404 = { page: 404, '/feed.xml': 404, '/feed.rss': 404, '/feed.json': 404 };
const ALL_200 = { page: 200, '/feed.xml': 200, '/feed.rss': 200, '/feed.json': 200 };

describe('names of unpublished work', () => {
  let stack;
  before(async () => {
    // One worker: one page cache, so that a page asked twice is cached.
    stack = await startSite({}, { threads: 1 });
    // A tag, a category and an author that only the draft and the
    // scheduled article have, as a newsroom preparing a story would make.
    addUser(stack, 'newhire', 'author');
    sql(stack, `INSERT INTO tags (slug, name) VALUES ('merger-talks', 'Merger talks');
      INSERT INTO categories (slug, name, position) VALUES ('election-2027', 'Election 2027', 99);
      INSERT INTO article_tags (article_id, tag_id)
        SELECT a, (SELECT id FROM tags WHERE slug = 'merger-talks') FROM (SELECT ${DRAFT.id} AS a UNION SELECT ${SCHEDULED.id});
      UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = 'election-2027') WHERE id = ${SCHEDULED.id};
      UPDATE articles SET author_id = (SELECT id FROM users WHERE username = 'newhire') WHERE id = ${DRAFT.id};`);
  });
  after(async () => { await stack?.stop(); });

  test('they are in no public list, and their pages and feeds are 404', async () => {
    const l = await listed(stack);
    assert.ok(!l.tags.includes('merger-talks'), 'the tags list');
    assert.ok(!l.categories.includes('election-2027'), 'the categories list');
    assert.ok(!l.authors.includes('newhire'), 'the authors list');
    assert.deepEqual(await pageStatuses(stack, '/tag', 'merger-talks'), ALL_404);
    assert.deepEqual(await pageStatuses(stack, '/category', 'election-2027'), ALL_404);
    assert.deepEqual(await pageStatuses(stack, '/author', 'newhire'), ALL_404);
    const home = await get(stack.base, '/');
    assert.equal(home.status, 200);
    assert.ok(!home.text.includes('/category/election-2027'), 'the navigation does not show the category');
    const page = await get(stack.base, '/tag/merger-talks');
    assert.ok(!page.text.includes('Merger talks'), 'the 404 page does not name it');
    // Every listed name has a visible article and a page of its own.
    const visibleTags = new Set(SITE.articles.filter((a) => a.status === 'published').flatMap((a) => a.tags));
    assert.deepEqual([...new Set(l.tags)].sort(), [...visibleTags].sort());
    for (const t of l.tags.slice(0, 3)) assert.equal((await get(stack.base, `/tag/${t}`)).status, 200, t);
    // The sitemaps do not name them either.
    for (const map of ['/sitemaps/tags/1.xml', '/sitemaps/categories/1.xml', '/sitemaps/authors/1.xml']) {
      const r = await get(stack.base, map);
      assert.equal(r.status, 200, map);
      assert.ok(!/merger-talks|election-2027|newhire/.test(r.text), `${map} names none of them`);
    }
  });

  test('the article that comes out makes them public', async () => {
    sql(stack, `UPDATE articles SET status = 'published', published_at = unixepoch() - 60
      WHERE id = ${DRAFT.id}`);
    await settle(stack);
    const l = await listed(stack);
    assert.ok(l.tags.includes('merger-talks'), 'the tag is listed');
    assert.ok(l.authors.includes('newhire'), 'the author is listed');
    assert.ok(!l.categories.includes('election-2027'), 'the category of the scheduled one is not');
    assert.deepEqual(await pageStatuses(stack, '/tag', 'merger-talks'), ALL_200);
    assert.deepEqual(await pageStatuses(stack, '/author', 'newhire'), ALL_200);
    assert.deepEqual(await pageStatuses(stack, '/category', 'election-2027'), ALL_404);
    assert.ok(!(await get(stack.base, '/')).text.includes('/category/election-2027'));
    assertCheck(stack);
  });

  test('a category that gets its first published article appears in every page\'s navigation at once', async () => {
    const nav = async (url) => (await get(stack.base, url)).text.includes('href="/category/election-2027"');
    // The oldest article moves; pages that do not show it (another
    // category's, a tag's it does not carry) change only by their
    // navigation, and are cached until then.
    const mover = SITE.articles.map((a, i) => ({ ...a, id: i + 1 })).filter((a) => a.status === 'published')
      .sort((x, y) => Date.parse(x.published_at) - Date.parse(y.published_at))[0];
    const otherCategory = SITE.categories.map((c) => c.slug).find((c) => c !== mover.category);
    const otherTag = SITE.articles.flatMap((a) => (a.status === 'published' ? a.tags : []))
      .find((t) => !mover.tags.includes(t));
    const pages = [`/category/${otherCategory}`, `/tag/${otherTag}`];
    for (const url of pages) {
      await get(stack.base, url);
      const r = await get(stack.base, url);
      assert.equal(r.headers.get('x-cache'), 'HIT', `${url} is cached`);
      assert.ok(!r.text.includes(`/articles/${mover.slug}"`), `${url} does not show the article that moves`);
      assert.equal(await nav(url), false, `${url} before`);
    }
    const home = SITE.categories.find((c) => c.slug === mover.category);
    // What the write logs for the caches: the site (every page's
    // navigation) changes only when a category is shown or hidden.
    const seq = () => sql(stack, 'SELECT coalesce(max(seq), 0) AS s FROM changes')[0].s;
    const siteChanged = (since) => sql(stack, `SELECT count(*) AS n FROM changes WHERE seq > ${since} AND tag = 'site'`)[0].n > 0;
    let since = seq();
    sql(stack, `UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = '${otherCategory}')
      WHERE id = ${mover.id}`);
    assert.equal(siteChanged(since), false, 'a move between two shown categories is not a change of the site');
    sql(stack, `UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = '${home.slug}')
      WHERE id = ${mover.id}`);
    since = seq();
    sql(stack, `UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = 'election-2027')
      WHERE id = ${mover.id}`);
    assert.equal(siteChanged(since), true, 'the first visible article of a category changes the site');
    await settle(stack); // nginx has been told too
    for (const url of pages) assert.equal(await nav(url), true, `${url}: its navigation shows the category`);
    assert.deepEqual(await pageStatuses(stack, '/category', 'election-2027'), ALL_200);
    assert.ok((await listed(stack)).categories.includes('election-2027'));
    // And it goes when its last published article goes.
    since = seq();
    sql(stack, `UPDATE articles SET category_id = (SELECT id FROM categories WHERE slug = '${home.slug}')
      WHERE id = ${mover.id}`);
    assert.equal(siteChanged(since), true, 'so does the last one leaving');
    await settle(stack);
    for (const url of pages) assert.equal(await nav(url), false, `${url} after`);
    assert.deepEqual(await pageStatuses(stack, '/category', 'election-2027'), ALL_404);
    assertCheck(stack);
  });
});
