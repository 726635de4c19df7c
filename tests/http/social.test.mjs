// What social networks, link previews and search engines read in a page's
// head: Open Graph properties, the Twitter (X) card, structured data
// (schema.org as JSON-LD), the canonical address of a listing's pages and
// the noindex of search results. Each is checked against what the page
// itself shows.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import { gazette, settle, sql, startSite, urlOf } from './helpers.mjs';

// The Open Graph properties of a page: [[property, content]].
const ogOf = (html) => [...html.matchAll(/<meta property="([^"]+)" content="([^"]*)">/g)]
  .map((m) => [m[1], unescape(m[2])]);
// The Twitter card of a page: {name: content}.
const twitterOf = (html) => Object.fromEntries([...html.matchAll(/<meta name="(twitter:[^"]+)" content="([^"]*)">/g)]
  .map((m) => [m[1], unescape(m[2])]));
// The first value of property p among og pairs.
const prop = (og, p) => og.find(([k]) => k === p)?.[1];
// Text as the page's escaping wrote it, read back.
function unescape(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
// The structured data of a page, parsed (one script element at most).
function jsonLd(html) {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  assert.ok(blocks.length <= 1, 'one block of structured data');
  return blocks.length ? JSON.parse(blocks[0][1]) : null;
}
// The node of type t in a JSON-LD @graph.
const nodeOf = (ld, t) => ld['@graph'].find((n) => n['@type'] === t);
// The canonical address and the rel=prev/next of a page.
const linkRel = (html, rel) => unescape(new RegExp(`<link rel="${rel}" href="([^"]+)">`).exec(html)?.[1] || '') || null;
// An ISO time as the site writes them.
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

describe('social cards and structured data', () => {
  let stack;
  let en;
  let ar;
  before(async () => {
    stack = await startSite({ twitter_site: '@harbourpost', publisher_name: 'Harbour Post Media' });
    const pick = (lang) => sql(stack, `SELECT a.id, a.slug, a.title, a.summary, a.lang, a.published_at,
      max(a.updated_at, a.published_at) AS updated, c.name AS section, c.slug AS category,
      u.display_name AS author, u.username FROM articles a JOIN categories c ON c.id = a.category_id
      JOIN users u ON u.id = a.author_id WHERE a.lang = '${lang}' AND a.status = 'published'
      AND a.published_at <= unixepoch() ORDER BY a.published_at DESC LIMIT 1`)[0];
    en = pick('en');
    ar = pick('ar');
    for (const a of [en, ar]) {
      a.tags = sql(stack, `SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
        WHERE x.article_id = ${a.id} ORDER BY t.name`).map((t) => t.name);
    }
  });
  after(async () => { await stack?.stop(); });

  test('an article\'s JSON-LD is a NewsArticle with the page\'s title, dates and author, and a BreadcrumbList', async () => {
    const r = await get(stack.base, urlOf(en));
    assert.equal(r.status, 200);
    const ld = jsonLd(r.text);
    assert.equal(ld['@context'], 'https://schema.org');
    const art = nodeOf(ld, 'NewsArticle');
    const canonical = `${stack.base}${urlOf(en)}`;
    const h1 = unescape(/<h1 class="article-title">([^<]*)<\/h1>/.exec(r.text)[1]);
    const shownDate = /<span class="byline-date"[^>]*>[^<]*<time datetime="([^"]+)">/.exec(r.text)[1];
    const byline = unescape(/<span class="byline-author"[^>]*>[^<]*<span class="byline-names"><a href="([^"]+)" rel="author" dir="auto">([^<]+)<\/a>/.exec(r.text)[2]);
    assert.equal(art.headline, h1);
    assert.equal(art.headline, en.title);
    assert.equal(art.description, en.summary);
    assert.equal(art.datePublished, shownDate);
    assert.equal(art.datePublished, iso(en.published_at));
    assert.equal(art.dateModified, iso(en.updated));
    assert.deepEqual(art.author, { '@type': 'Person', name: byline, url: `${stack.base}/author/${en.username}` });
    assert.equal(art.author.name, en.author);
    assert.equal(art.publisher['@type'], 'Organization');
    assert.equal(art.publisher.name, 'Harbour Post Media');
    assert.deepEqual(art.publisher.logo, { '@type': 'ImageObject', url: `${stack.base}/static/logo.png` });
    assert.deepEqual(art.publisher.sameAs, ['https://x.com/harbourpost']);
    assert.deepEqual(art.mainEntityOfPage, { '@type': 'WebPage', '@id': canonical });
    assert.equal(art.articleSection, en.section);
    assert.equal(typeof art.keywords, 'string');
    assert.deepEqual(art.keywords.split(', ').sort(), [...en.tags].sort());
    assert.equal(art.inLanguage, 'en');
    assert.equal(art.isAccessibleForFree, true);
    assert.ok(Array.isArray(art.image) && art.image.length >= 1);
    for (const img of art.image) {
      assert.equal(img['@type'], 'ImageObject');
      assert.match(img.url, /^https?:\/\//);
      assert.ok(Number.isInteger(img.width) && img.width > 0 && Number.isInteger(img.height) && img.height > 0);
      assert.equal((await get(stack.base, img.url.slice(stack.base.length))).status, 200, img.url);
    }
    const crumbs = nodeOf(ld, 'BreadcrumbList').itemListElement;
    assert.deepEqual(crumbs.map((c) => [c['@type'], c.position, c.item]), [
      ['ListItem', 1, `${stack.base}/`], ['ListItem', 2, `${stack.base}/category/${en.category}`],
      ['ListItem', 3, canonical]]);
    assert.equal(crumbs[1].name, en.section);
    assert.equal(crumbs[2].name, en.title);
  });

  test('an article\'s Open Graph and Twitter card agree with the page', async () => {
    const r = await get(stack.base, urlOf(en));
    const og = ogOf(r.text);
    const canonical = linkRel(r.text, 'canonical');
    assert.equal(canonical, `${stack.base}${urlOf(en)}`);
    assert.equal(prop(og, 'og:type'), 'article');
    assert.equal(prop(og, 'og:title'), en.title);
    assert.equal(prop(og, 'og:description'), en.summary);
    assert.equal(prop(og, 'og:url'), canonical);
    assert.equal(prop(og, 'og:site_name'), 'The Daily Gazette');
    assert.equal(prop(og, 'og:locale'), 'en_US');
    assert.equal(prop(og, 'og:image'), `${stack.base}/static/share.png`);
    assert.equal(prop(og, 'og:image:width'), '1200');
    assert.equal(prop(og, 'og:image:height'), '630');
    assert.equal(prop(og, 'og:image:alt'), 'The Daily Gazette');
    assert.equal(prop(og, 'article:published_time'), iso(en.published_at));
    assert.equal(prop(og, 'article:modified_time'), iso(en.updated));
    assert.equal(prop(og, 'article:section'), en.section);
    assert.equal(prop(og, 'article:author'), `${stack.base}/author/${en.username}`);
    assert.deepEqual(og.filter(([k]) => k === 'article:tag').map(([, v]) => v), en.tags);
    const shown = [...r.text.matchAll(/<li><a href="\/tag\/[^"]+" rel="tag" dir="auto">([^<]+)<\/a><\/li>/g)].map((m) => unescape(m[1]));
    assert.deepEqual(shown, en.tags, 'the tags the page shows');
    const tw = twitterOf(r.text);
    assert.deepEqual(tw, {
      'twitter:card': 'summary_large_image', 'twitter:site': '@harbourpost', 'twitter:title': en.title,
      'twitter:description': en.summary, 'twitter:image': `${stack.base}/static/share.png`,
      'twitter:image:alt': 'The Daily Gazette',
    });
  });

  test('an Arabic article says so: inLanguage ar, og:locale ar_AR', async () => {
    const r = await get(stack.base, urlOf(ar));
    assert.equal(r.status, 200);
    const art = nodeOf(jsonLd(r.text), 'NewsArticle');
    assert.equal(art.inLanguage, 'ar');
    assert.equal(art.headline, ar.title);
    assert.equal(prop(ogOf(r.text), 'og:locale'), 'ar_AR');
    assert.equal(prop(ogOf(r.text), 'og:title'), ar.title);
  });

  test('the home page\'s JSON-LD is the WebSite, with its search, and the Organization', async () => {
    const r = await get(stack.base, '/');
    const ld = jsonLd(r.text);
    const site = nodeOf(ld, 'WebSite');
    assert.equal(site.name, 'The Daily Gazette');
    assert.equal(site.url, `${stack.base}/`);
    assert.equal(site.potentialAction['@type'], 'SearchAction');
    assert.equal(site.potentialAction.target['@type'], 'EntryPoint');
    assert.equal(site.potentialAction.target.urlTemplate, `${stack.base}/search?q={search_term_string}`);
    assert.equal(site.potentialAction['query-input'], 'required name=search_term_string');
    const search = await get(stack.base, site.potentialAction.target.urlTemplate
      .slice(stack.base.length).replace('{search_term_string}', 'harbour'));
    assert.equal(search.status, 200, 'the search it names works');
    const org = nodeOf(ld, 'Organization');
    assert.equal(org.name, 'Harbour Post Media');
    assert.equal(org.url, `${stack.base}/`);
    assert.equal(org.logo.url, `${stack.base}/static/logo.png`);
    assert.equal(site.publisher['@id'], org['@id']);
    assert.equal(nodeOf(ld, 'NewsArticle'), undefined);
    const og = ogOf(r.text);
    assert.equal(prop(og, 'og:type'), 'website');
    assert.equal(prop(og, 'og:title'), 'The Daily Gazette');
    assert.equal(prop(og, 'og:url'), `${stack.base}/`);
    assert.equal(twitterOf(r.text)['twitter:card'], 'summary_large_image');
  });

  test('category, tag and author pages have cards of their own', async () => {
    for (const [url, type, title] of [['/category/world', 'website', 'World News'],
      ['/tag/climate', 'website', 'Climate'], ['/author/mreyes', 'profile', 'Maria Reyes']]) {
      const r = await get(stack.base, url);
      const og = ogOf(r.text);
      assert.equal(prop(og, 'og:type'), type, url);
      assert.equal(prop(og, 'og:title'), title, url);
      assert.equal(prop(og, 'og:url'), `${stack.base}${url}`, url);
      assert.equal(prop(og, 'og:image'), `${stack.base}/static/share.png`, url);
      assert.equal(twitterOf(r.text)['twitter:title'], title);
      assert.equal(jsonLd(r.text), null, `${url}: no structured data`);
    }
    assert.equal(prop(ogOf((await get(stack.base, '/author/mreyes')).text), 'profile:username'), 'mreyes');
  });

  test('a listing\'s later page is its own canonical, with prev and next; search results are noindex', async () => {
    const one = await get(stack.base, '/');
    assert.equal(linkRel(one.text, 'canonical'), `${stack.base}/`);
    assert.equal(linkRel(one.text, 'prev'), null);
    assert.equal(linkRel(one.text, 'next'), `${stack.base}/?page=2`);
    const two = await get(stack.base, '/?page=2');
    assert.equal(two.status, 200);
    assert.equal(linkRel(two.text, 'canonical'), `${stack.base}/?page=2`);
    assert.equal(linkRel(two.text, 'prev'), `${stack.base}/`);
    assert.equal(prop(ogOf(two.text), 'og:url'), `${stack.base}/?page=2`);
    const pages = Number(/Page \d+ of (\d+)/.exec(two.text)[1]);
    assert.equal(linkRel(two.text, 'next'), pages > 2 ? `${stack.base}/?page=3` : null);
    assert.doesNotMatch(one.text, /name="robots"/);
    const search = await get(stack.base, '/search?q=harbour');
    assert.match(search.text, /<meta name="robots" content="noindex">/);
    assert.equal(linkRel(search.text, 'canonical'), `${stack.base}/search?q=harbour`);
    const empty = await get(stack.base, '/search');
    assert.match(empty.text, /<meta name="robots" content="noindex">/);
    // A category's later page, and an article's page of comments (the article's own).
    const cat = await get(stack.base, '/category/culture?page=1');
    assert.equal(linkRel(cat.text, 'canonical'), `${stack.base}/category/culture`);
    const art = await get(stack.base, `${urlOf(en)}?cpage=1`);
    assert.equal(linkRel(art.text, 'canonical'), `${stack.base}${urlOf(en)}`);
  });

  test('JSON-LD cannot be closed or commented out by what an article says', async () => {
    const nasty = 'Harbour </script><script>alert(1)</script> <!-- & --> \u2028 news';
    sql(stack, `UPDATE articles SET title = '${nasty.replace(/'/g, "''")}', updated_at = unixepoch() WHERE id = ${en.id}`);
    await settle(stack);
    try {
      const r = await get(stack.base, urlOf(en));
      const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(r.text)[1];
      assert.doesNotMatch(block, /[<>&]/, 'no <, > or & inside the element');
      assert.match(block, /\\u003c\/script\\u003e/);
      assert.equal(nodeOf(JSON.parse(block), 'NewsArticle').headline, nasty);
      assert.equal((r.text.match(/<script\b/g) || []).length, 2, 'the data block and the site script, no other');
      assert.equal(prop(ogOf(r.text), 'og:title'), nasty);
    } finally {
      sql(stack, `UPDATE articles SET title = '${en.title.replace(/'/g, "''")}' WHERE id = ${en.id}`);
      await settle(stack);
    }
  });

  test('an article without a summary is described by the start of its text, and its card shows no empty summary', async () => {
    sql(stack, `UPDATE articles SET summary = '', updated_at = unixepoch() WHERE id = ${en.id}`);
    await settle(stack);
    try {
      const r = await get(stack.base, urlOf(en));
      const desc = unescape(/<meta name="description" content="([^"]*)">/.exec(r.text)[1]);
      const body = /<div class="article-body"[^>]*>([\s\S]*?)<\/div>/.exec(r.text)[1];
      const text = unescape(body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
      assert.ok(text.length > 200, 'the demo article is longer than a description');
      assert.match(desc, /\S…$/, 'cut after a word, and marked');
      assert.ok([...desc].length <= 161, `at most 160 characters and the mark: ${desc}`);
      assert.ok(text.startsWith(desc.slice(0, -1)), `the start of the text:\n${desc}\n${text}`);
      assert.equal(text[desc.length - 1], ' ', 'a whole word');
      assert.equal(prop(ogOf(r.text), 'og:description'), desc);
      assert.equal(twitterOf(r.text)['twitter:description'], desc);
      assert.equal(nodeOf(jsonLd(r.text), 'NewsArticle').description, desc);
      const home = await get(stack.base, '/');
      assert.ok(home.text.includes(`href="${urlOf(en)}"`), 'the article is on the home page');
      assert.doesNotMatch(home.text, /<p class="card-summary">\s*<\/p>/, 'no empty summary on a card');
      // A word that ends at the 160th character is kept whole.
      const kept = sql(stack, `SELECT body_html FROM article_bodies WHERE article_id = ${en.id}`)[0].body_html;
      const exact = `ab ${'x'.repeat(157)}`;
      try {
        sql(stack, `UPDATE article_bodies SET body_html = '<p>${exact} tail</p>' WHERE article_id = ${en.id}`);
        sql(stack, `UPDATE articles SET updated_at = unixepoch() WHERE id = ${en.id}`);
        await settle(stack);
        const cut = await get(stack.base, urlOf(en));
        assert.equal(unescape(/<meta name="description" content="([^"]*)">/.exec(cut.text)[1]), `${exact}…`);
      } finally {
        sql(stack, `UPDATE article_bodies SET body_html = '${kept.replace(/'/g, "''")}' WHERE article_id = ${en.id}`);
      }
    } finally {
      sql(stack, `UPDATE articles SET summary = '${en.summary.replace(/'/g, "''")}' WHERE id = ${en.id}`);
      await settle(stack);
    }
  });

  test('the settings name the publisher, its logo, handle and share picture; bad values are refused', async () => {
    const set = (k, v) => gazette(stack, ['setting', '--db', stack.dbPath, k, v]);
    for (const [k, v] of [['share_image', 'https://cdn.example/share.jpg'], ['share_image_width', '1600'],
      ['share_image_height', '900'], ['share_image_alt', 'The harbour at dawn'],
      ['publisher_logo', 'https://cdn.example/logo.png']]) {
      assert.equal(set(k, v).status, 0, k);
    }
    await settle(stack); // nginx forgets the pages it kept with the old settings
    const r = await get(stack.base, urlOf(en));
    const og = ogOf(r.text);
    assert.equal(prop(og, 'og:image'), 'https://cdn.example/share.jpg');
    assert.equal(prop(og, 'og:image:width'), '1600');
    assert.equal(prop(og, 'og:image:height'), '900');
    assert.equal(prop(og, 'og:image:alt'), 'The harbour at dawn');
    const art = nodeOf(jsonLd(r.text), 'NewsArticle');
    assert.deepEqual(art.image, [{ '@type': 'ImageObject', url: 'https://cdn.example/share.jpg', width: 1600, height: 900 }]);
    assert.equal(art.publisher.logo.url, 'https://cdn.example/logo.png');
    for (const [k, v] of [['twitter_site', 'no-at-sign'], ['twitter_site', '@far_too_long_a_handle'],
      ['share_image', 'javascript:alert(1)'], ['share_image', '//elsewhere.example/x.png'],
      ['publisher_logo', '/static/logo one.png'], ['share_image_width', '0']]) {
      assert.notEqual(set(k, v).status, 0, `${k}=${v} is refused`);
    }
    // With no share picture at all, the cards say less but nothing false.
    assert.equal(set('share_image', '').status, 0);
    await settle(stack);
    const bare = await get(stack.base, urlOf(en));
    assert.equal(prop(ogOf(bare.text), 'og:image'), undefined);
    assert.equal(twitterOf(bare.text)['twitter:card'], 'summary');
    assert.equal(nodeOf(jsonLd(bare.text), 'NewsArticle').image, undefined);
    for (const [k, v] of [['share_image', '/static/share.png'], ['share_image_width', '1200'],
      ['share_image_height', '630'], ['share_image_alt', ''], ['publisher_logo', '/static/logo.png']]) {
      assert.equal(set(k, v).status, 0, k);
    }
  });

  test('no draft, scheduled or pending article shows in any card or structured data', async () => {
    sql(stack, `INSERT INTO articles (slug, title, status, category_id, author_id, published_at, created_at, updated_at)
      VALUES ('awaiting-an-editor', 'Awaiting an editor', 'pending', 1, 1, unixepoch() - 60, unixepoch(), unixepoch())`);
    const hidden = sql(stack, `SELECT slug, title FROM articles WHERE NOT (status IN ('published', 'scheduled')
      AND published_at <= unixepoch())`);
    assert.ok(hidden.length >= 3);
    for (const url of ['/', '/?page=2', '/category/world', '/category/business', '/tag/cities', '/author/mreyes', urlOf(en)]) {
      const r = await get(stack.base, url);
      const head = r.text.slice(0, r.text.indexOf('</head>'));
      for (const a of hidden) {
        assert.ok(!head.includes(a.slug) && !head.includes(a.title.replace(/&/g, '&amp;')), `${a.slug} in the head of ${url}`);
      }
    }
    for (const a of hidden) assert.equal((await get(stack.base, urlOf(a))).status, 404, a.slug);
  });
});
