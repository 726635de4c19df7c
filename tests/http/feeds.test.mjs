// What feed readers get: Atom, RSS 2.0 and JSON Feed 1.1 for the site,
// each category, tag and author, and each article's comments. Every Atom
// and RSS feed passes the W3C Feed Validation Service's checker (from
// ../shared) and every JSON Feed the JSON Feed 1.1 rules (a JSON Schema,
// with Ajv); entries are full, their ids stay when an article moves, only
// what readers may see is in them, and pages name their own feeds.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROOT, get } from './harness.mjs';
import { gazette, settle, sql, startSite } from './helpers.mjs';
import { feedValidator, validateFeed } from './checkers.mjs';

// strictRequired is off: the schema's anyOf names members its siblings define.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const jsonFeed = ajv.compile(JSON.parse(fs.readFileSync(
  path.join(ROOT, 'tests', 'schemas', 'jsonfeed-1.1.schema.json'), 'utf8')));

const FORMATS = [
  ['feed.xml', /^application\/atom\+xml; charset=utf-8$/],
  ['feed.rss', /^application\/rss\+xml; charset=utf-8$/],
  ['feed.json', /^application\/feed\+json$/],
];

// The text between <tag> and </tag> of each element tag in xml, unescaped.
const texts = (xml, tag) => [...xml.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))]
  .map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
// The Atom entries or RSS items of a feed, as their XML text.
const items = (xml) => [...xml.matchAll(/<(entry|item)[ >][\s\S]*?<\/\1>/g)].map((m) => m[0]);
// The article link of an Atom entry or RSS item.
const linkOf = (x) => (/<link rel="alternate" type="text\/html" href="([^"]+)"\/>/.exec(x) || /<link>([^<]+)<\/link>/.exec(x))[1];

describe('feeds', () => {
  let stack;
  let live;       // the articles readers can see, newest first
  let commented;  // an article with approved comments
  before(async () => {
    stack = await startSite({ tagline: 'News & views', comment_min_seconds: 0 });
    live = sql(stack, `SELECT a.id, a.slug, a.title, a.summary, a.lang, c.slug AS category, u.username AS author,
      u.display_name AS author_name, max(a.updated_at, a.published_at) AS updated
      FROM articles a JOIN categories c ON c.id = a.category_id JOIN users u ON u.id = a.author_id
      WHERE a.status IN ('published', 'scheduled') AND a.published_at <= unixepoch()
      ORDER BY a.published_at DESC, a.id DESC`);
    commented = sql(stack, `SELECT a.slug, a.id, count(*) AS n FROM comments m JOIN articles a ON a.id = m.article_id
      WHERE m.status = 'approved' GROUP BY a.id ORDER BY n DESC LIMIT 1`)[0];
  });
  after(async () => { await stack?.stop(); });

  // The feeds of the demo site: [name, path prefix ("/": the site's)].
  const subjects = () => [
    ['the site', '/'], ['a category', '/category/world/'], ['a tag', '/tag/climate/'],
    ['an author', '/author/mreyes/'], ['an article\'s comments', `/articles/${commented.slug}/comments/`],
  ];

  test('every feed answers in its format; Atom and RSS pass the W3C feed checker', async (t) => {
    for (const [name, prefix] of subjects()) {
      for (const [file, type] of FORMATS) {
        const r = await get(stack.base, prefix + file);
        assert.equal(r.status, 200, `${name}: ${prefix}${file}`);
        assert.match(r.headers.get('content-type'), type, `${prefix}${file}`);
        assert.ok(r.headers.get('etag') && r.headers.get('last-modified'), `${prefix}${file}: validators`);
      }
    }
    if (!feedValidator()) { t.skip('the W3C feed checker is not in ../shared/tools'); return; }
    for (const [, prefix] of subjects()) {
      for (const [file] of FORMATS.slice(0, 2)) {
        const v = validateFeed(`${stack.base}${prefix}${file}`);
        assert.ok(v.ok, `${prefix}${file}:\n${v.output}`);
      }
    }
  });

  test('every JSON Feed follows JSON Feed 1.1', async () => {
    for (const [, prefix] of subjects()) {
      const r = await get(stack.base, `${prefix}feed.json`);
      const doc = JSON.parse(r.text);
      assert.ok(jsonFeed(doc), `${prefix}feed.json: ${ajv.errorsText(jsonFeed.errors)}`);
      assert.equal(doc.feed_url, `${stack.base}${prefix}feed.json`);
    }
    // The schema can fail: an item without content, a version of another day.
    assert.equal(jsonFeed({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: '1' }] }), false);
    assert.equal(jsonFeed({ version: 'https://jsonfeed.org/version/1', title: 'x', items: [] }), false);
  });

  test('the site\'s feeds hold the newest visible articles in full, with author and categories', async () => {
    const [atom, rss, json] = await Promise.all(FORMATS.map(([f]) => get(stack.base, `/${f}`)));
    const want = live.slice(0, 20).map((a) => `${stack.base}/articles/${encodeURIComponent(a.slug)}`);
    assert.deepEqual(items(atom.text).map(linkOf), want);
    assert.deepEqual(items(rss.text).map(linkOf), want);
    const doc = JSON.parse(json.text);
    assert.deepEqual(doc.items.map((i) => i.url), want);
    const first = live[0];
    const body = sql(stack, `SELECT body_html FROM article_bodies WHERE article_id = ${first.id}`)[0].body_html;
    assert.equal(texts(items(atom.text)[0], 'content')[0], body, 'Atom: the whole text');
    assert.equal(texts(items(rss.text)[0], 'content:encoded')[0], body, 'RSS: the whole text');
    assert.equal(doc.items[0].content_html, body, 'JSON Feed: the whole text');
    assert.equal(texts(items(rss.text)[0], 'description')[0], first.summary);
    assert.equal(texts(items(atom.text)[0], 'name')[0], first.author_name);
    assert.equal(texts(items(rss.text)[0], 'dc:creator')[0], first.author_name);
    assert.deepEqual(doc.items[0].authors, [{ name: first.author_name, url: `${stack.base}/author/${first.author}` }]);
    assert.match(items(atom.text)[0], new RegExp(`<category term="${first.category}" scheme="${stack.base}/category/" label="[^"]+"/>`));
    assert.match(items(rss.text)[0], new RegExp(`<category domain="${stack.base}/category/">[^<]+</category>`));
    assert.ok(doc.items[0].tags.length >= 2, 'its section and tags');
    assert.equal(doc.title, 'The Daily Gazette');
    assert.equal(doc.description, 'News & views');
    assert.match(rss.text, /<description>News &amp; views<\/description>/);
    // An Arabic article says its language.
    const ar = doc.items.find((i) => i.language === 'ar');
    assert.ok(ar, 'an Arabic item');
    assert.match(atom.text, /<entry xml:lang="ar">/);
  });

  test('nothing readers may not see is in any feed', async () => {
    const hidden = sql(stack, `SELECT slug FROM articles WHERE NOT (status IN ('published', 'scheduled')
      AND published_at <= unixepoch())`);
    assert.ok(hidden.length >= 2);
    const held = sql(stack, "SELECT body FROM comments WHERE status <> 'approved'");
    for (const [, prefix] of subjects()) {
      for (const [file] of FORMATS) {
        const r = await get(stack.base, prefix + file);
        for (const a of hidden) {
          assert.ok(!r.text.includes(`/articles/${encodeURIComponent(a.slug)}"`)
            && !r.text.includes(`/articles/${encodeURIComponent(a.slug)}<`), `${a.slug} is not in ${prefix}${file}`);
        }
        for (const c of held) assert.ok(!r.text.includes(c.body.slice(0, 40)), `a held comment is not in ${prefix}${file}`);
      }
    }
  });

  test('listings\' feeds hold theirs only; the comments feed its approved comments, newest first', async () => {
    const world = await get(stack.base, '/category/world/feed.xml');
    const links = items(world.text).map(linkOf);
    assert.deepEqual(links, live.filter((a) => a.category === 'world')
      .map((a) => `${stack.base}/articles/${encodeURIComponent(a.slug)}`));
    const tag = JSON.parse((await get(stack.base, '/tag/climate/feed.json')).text);
    const tagged = sql(stack, `SELECT a.slug FROM articles a JOIN article_tags x ON x.article_id = a.id
      JOIN tags t ON t.id = x.tag_id WHERE t.slug = 'climate' AND a.status IN ('published', 'scheduled')
      AND a.published_at <= unixepoch() ORDER BY a.published_at DESC, a.id DESC`);
    assert.deepEqual(tag.items.map((i) => i.url), tagged.map((a) => `${stack.base}/articles/${encodeURIComponent(a.slug)}`));
    assert.equal(tag.title, 'Climate — The Daily Gazette');
    const mine = JSON.parse((await get(stack.base, '/author/mreyes/feed.json')).text);
    assert.ok(mine.items.length > 0 && mine.items.every((i) => i.authors[0].url.endsWith('/author/mreyes')));
    const comments = sql(stack, `SELECT id, author_name, body FROM comments WHERE article_id = ${commented.id}
      AND status = 'approved' ORDER BY created_at DESC, id DESC`);
    const rss = await get(stack.base, `/articles/${commented.slug}/comments/feed.rss`);
    const got = items(rss.text);
    assert.equal(got.length, Math.min(20, comments.length));
    assert.deepEqual(got.map(linkOf), comments.slice(0, 20).map((c) => `${stack.base}/articles/${encodeURIComponent(commented.slug)}#comment-${c.id}`));
    assert.equal(texts(got[0], 'dc:creator')[0], comments[0].author_name);
    assert.equal(texts(got[0], 'title')[0], `Comment by ${comments[0].author_name}`);
    for (const u of ['/category/nope/feed.xml', '/tag/nope/feed.rss', '/author/nobody/feed.json',
      '/articles/nope/comments/feed.xml']) {
      assert.equal((await get(stack.base, u)).status, 404, u);
    }
    const draft = sql(stack, "SELECT slug FROM articles WHERE status = 'draft' LIMIT 1")[0];
    assert.equal((await get(stack.base, `/articles/${draft.slug}/comments/feed.xml`)).status, 404, 'a draft has no feed');
  });

  test('entry ids are tag: URIs, and stay when an article\'s address changes', async () => {
    const a = live.find((x) => /^[a-z-]+$/.test(x.slug));
    const idOf = async (file, slug) => {
      const r = await get(stack.base, `/${file}`);
      const x = items(r.text).find((i) => linkOf(i).endsWith(`/articles/${slug}`));
      return texts(x, file === 'feed.xml' ? 'id' : 'guid')[0];
    };
    const atomId = await idOf('feed.xml', a.slug);
    const guid = await idOf('feed.rss', a.slug);
    const created = sql(stack, `SELECT date(created_at, 'unixepoch') AS d FROM articles WHERE id = ${a.id}`)[0].d;
    assert.equal(atomId, `tag:127.0.0.1,${created}:article-${a.id}`);
    assert.equal(guid, atomId);
    assert.match((await get(stack.base, '/feed.rss')).text, /<guid isPermaLink="false">tag:/);
    sql(stack, `UPDATE articles SET slug = '${a.slug}-moved', updated_at = unixepoch() WHERE id = ${a.id}`);
    await settle(stack); // nginx forgets the feeds it kept
    assert.equal(await idOf('feed.xml', `${a.slug}-moved`), atomId);
    assert.equal(await idOf('feed.rss', `${a.slug}-moved`), atomId);
    const json = JSON.parse((await get(stack.base, '/feed.json')).text);
    assert.equal(json.items.find((i) => i.url.endsWith(`${a.slug}-moved`)).id, atomId);
    sql(stack, `UPDATE articles SET slug = '${a.slug}' WHERE id = ${a.id}`);
    await settle(stack);
  });

  test('feeds hold feed_entries entries at most', async () => {
    const r = gazette(stack, ['setting', '--db', stack.dbPath, 'feed_entries', '3']);
    assert.equal(r.status, 0, r.stderr);
    await settle(stack);
    try {
      for (const [, prefix] of subjects()) {
        const [atom, rss, json] = await Promise.all(FORMATS.map(([f]) => get(stack.base, prefix + f)));
        assert.ok(items(atom.text).length <= 3 && items(rss.text).length <= 3, prefix);
        assert.ok(JSON.parse(json.text).items.length <= 3, prefix);
      }
      assert.equal(items((await get(stack.base, '/feed.xml')).text).length, 3);
    } finally {
      gazette(stack, ['setting', '--db', stack.dbPath, 'feed_entries', '20']);
      await settle(stack);
    }
  });

  test('feeds answer conditional requests; Last-Modified moves on when an article leaves', async () => {
    for (const [file] of FORMATS) {
      const r = await get(stack.base, `/category/world/${file}`);
      const etag = r.headers.get('etag');
      const lm = r.headers.get('last-modified');
      assert.equal((await get(stack.base, `/category/world/${file}`, { headers: { 'If-None-Match': etag } })).status, 304);
      assert.equal((await get(stack.base, `/category/world/${file}`, { headers: { 'If-Modified-Since': lm } })).status, 304);
    }
    const before = await get(stack.base, '/category/world/feed.xml');
    const lm = before.headers.get('last-modified');
    // The newest article leaves the feed: the feed's entries are older than
    // before, but what was sent is out of date.
    const newest = live.find((a) => a.category === 'world');
    await new Promise((r) => { setTimeout(r, 1100); });
    sql(stack, `UPDATE articles SET status = 'draft' WHERE id = ${newest.id}`);
    await settle(stack);
    const after = await get(stack.base, '/category/world/feed.xml', { headers: { 'If-Modified-Since': lm } });
    assert.equal(after.status, 200);
    assert.ok(Date.parse(after.headers.get('last-modified')) > Date.parse(lm));
    assert.ok(!after.text.includes(`/articles/${newest.slug}"`));
    sql(stack, `UPDATE articles SET status = 'published' WHERE id = ${newest.id}`);
    await settle(stack);
  });

  test('each page names its own feeds in its head, then the site\'s', async () => {
    const alternates = (html) => [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]*)" href="([^"]+)">/g)]
      .map((m) => [m[1], m[3]]);
    const site = [['application/atom+xml', '/feed.xml'], ['application/rss+xml', '/feed.rss'],
      ['application/feed+json', '/feed.json']];
    const own = (prefix) => site.map(([type, href]) => [type, prefix + href.slice(1)]);
    assert.deepEqual(alternates((await get(stack.base, '/')).text), site);
    for (const prefix of ['/category/world/', '/tag/climate/', '/author/mreyes/', `/articles/${commented.slug}/comments/`]) {
      const page = prefix.replace(/\/comments\/$/, '').replace(/\/$/, '');
      const r = await get(stack.base, page);
      assert.equal(r.status, 200, page);
      assert.deepEqual(alternates(r.text), [...own(prefix), ...site], page);
    }
  });
});
