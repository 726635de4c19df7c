// What a reader gets from the public pages of the demo site: the home page,
// the category, tag and author listings and the article page. Every
// expectation is derived from demo/site.json, the content the stack loads.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { get, startStack } from './harness.mjs';
import { SITE, escapeHtml, settle, sql, urlOf } from './helpers.mjs';

const NOW = Date.now();

// ---- the demo content, as a reader should see it ----

// An article is shown once it is published (or scheduled) and its time has come.
function isVisible(a) {
  return (a.status === 'published' || a.status === 'scheduled') && Date.parse(a.published_at) <= NOW;
}

// Newest first; articles with the same time in reverse order of loading.
function newestFirst(list) {
  return list
    .map((a) => ({ a, i: SITE.articles.indexOf(a) }))
    .sort((x, y) => Date.parse(y.a.published_at) - Date.parse(x.a.published_at) || y.i - x.i)
    .map((x) => x.a);
}

const VISIBLE = newestFirst(SITE.articles.filter(isVisible));
const HIDDEN = SITE.articles.filter((a) => !isVisible(a));
// The home page's lead: the newest featured article.
const FEATURED = VISIBLE.find((a) => a.featured);
const bySlug = new Map(SITE.articles.map((a) => [a.slug, a]));
const category = (slug) => SITE.categories.find((c) => c.slug === slug);
const author = (username) => SITE.authors.find((u) => u.username === username);

// ---- reading HTML ----

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// Decode the character references of HTML text.
function decode(s) {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

// The visible text of an HTML fragment, with white space collapsed.
function textOf(html) {
  return decode(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

// The outer HTML of the element whose start tag begins at html[start].
function elementAt(html, start) {
  const name = /^<([a-zA-Z][\w-]*)/.exec(html.slice(start, start + 64))[1];
  const re = new RegExp(`<(/?)${name}(?=[\\s>/])[^>]*>`, 'gi');
  re.lastIndex = start;
  let depth = 0;
  let m;
  while ((m = re.exec(html))) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, re.lastIndex);
  }
  throw new Error(`<${name}> at ${start} is not closed`);
}

// The outer HTML of every element whose start tag matches openRe (global).
function elements(html, openRe) {
  return [...html.matchAll(openRe)].map((m) => elementAt(html, m.index));
}

// The outer HTML of the first element whose start tag matches openRe.
function element(html, openRe, what) {
  const m = new RegExp(openRe.source, openRe.flags.replace('g', '')).exec(html);
  assert.ok(m, `${what || openRe} expected in the page`);
  return elementAt(html, m.index);
}

// The <main> element of a page.
const mainOf = (html) => element(html, /<main\b/, '<main>');

// What a card shows: {slug, href, title, categoryHref, categoryName, summary,
// datetime, dateText, lang, dir}.
function readCard(html) {
  const title = /<h3 class="card-title"><a href="([^"]*)">([\s\S]*?)<\/a>/.exec(html);
  const kicker = /<p class="kicker"><a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/.exec(html);
  const summary = /<p class="card-summary">([\s\S]*?)<\/p>/.exec(html);
  const time = /<time datetime="([^"]*)"[^>]*>([\s\S]*?)<\/time>/.exec(html);
  const lang = /^<article\b[^>]*\blang="([^"]*)"/.exec(html);
  const dir = /^<article\b[^>]*\bdir="([^"]*)"/.exec(html);
  assert.ok(title && kicker && time, `incomplete card:\n${html}`);
  const href = decode(title[1]);
  assert.match(href, /^\/articles\//, 'a card links to its article');
  return {
    slug: decodeURIComponent(href.slice('/articles/'.length)),
    href,
    title: textOf(title[2]),
    rawTitle: title[2],
    categoryHref: decode(kicker[1]),
    categoryName: textOf(kicker[2]),
    summary: summary ? textOf(summary[1]) : "",
    datetime: time[1],
    dateText: textOf(time[2]),
    lang: lang && lang[1],
    dir: dir && dir[1],
  };
}

// The cards inside an HTML fragment, in document order.
const cardsIn = (html) => elements(html, /<article class="card[ "]/g).map(readCard);

// The href of the "older articles" link of a listing page, or null.
function nextPage(html) {
  const m = /<a [^>]*href="([^"]*)"[^>]*rel="next"/.exec(html) || /<a [^>]*rel="next"[^>]*href="([^"]*)"/.exec(html);
  return m ? decode(m[1]) : null;
}

// Assert that a card shows what the demo says about its article.
function assertCardMatches(card) {
  const a = bySlug.get(card.slug);
  assert.ok(a, `card for an unknown article ${card.slug}`);
  assert.equal(card.title, a.title, `title of ${a.slug}`);
  assert.equal(card.rawTitle, escapeHtml(a.title), `title of ${a.slug} is HTML-escaped`);
  assert.equal(card.categoryName, category(a.category).name, `category label of ${a.slug}`);
  assert.equal(card.categoryHref, `/category/${a.category}`, `category link of ${a.slug}`);
  assert.equal(card.summary, a.summary, `summary of ${a.slug}`);
  assert.equal(Date.parse(card.datetime), Date.parse(a.published_at), `<time datetime> of ${a.slug}`);
  assert.ok(card.dateText.length > 0, `a shown date for ${a.slug}`);
  assert.equal(card.lang, a.lang, `lang of the card of ${a.slug}`);
  assert.equal(card.dir, a.lang === 'ar' ? 'rtl' : 'ltr', `dir of the card of ${a.slug}`);
}

// Assert that the <time datetime> values of cards go from newest to oldest.
function assertNewestFirst(cards, where) {
  for (let i = 1; i < cards.length; i++) {
    assert.ok(Date.parse(cards[i - 1].datetime) >= Date.parse(cards[i].datetime),
      `${where}: ${cards[i - 1].slug} (${cards[i - 1].datetime}) should not come before ${cards[i].slug} (${cards[i].datetime})`);
  }
}

// Assert that an answer is an HTML page in the site's layout.
function assertSitePage(r, status, what) {
  assert.equal(r.status, status, `${what}: status`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: content type`);
  assert.match(r.text, /^<!DOCTYPE html>/i, `${what}: a full HTML document`);
  assert.match(r.text, /<header class="site-header">/, `${what}: the site header`);
  assert.ok(r.text.includes(`<a href="/">${escapeHtml(SITE.site.name)}</a>`), `${what}: the site name linking home`);
  assert.match(r.text, /<nav class="site-nav"/, `${what}: the site navigation`);
}

let stack;

// Fetch all pages of a listing, following its "older" links. Resolves to
// {pages: [{url, text}], cards}.
async function listAll(url) {
  const pages = [];
  const cards = [];
  for (let next = url; next; ) {
    assert.ok(pages.length < 50, `${url}: too many pages`);
    const r = await get(stack.base, next);
    assert.equal(r.status, 200, `${next}: status`);
    pages.push({ url: next, text: r.text });
    cards.push(...cardsIn(mainOf(r.text)));
    next = nextPage(r.text);
  }
  return { pages, cards };
}

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

describe('home page', () => {
  test('is an HTML page leading with the newest featured article', async () => {
    const r = await get(stack.base, '/');
    assertSitePage(r, 200, '/');
    const lead = element(r.text, /<div class="lead">/, 'the lead story');
    const leadCards = cardsIn(lead);
    assert.equal(leadCards.length, 1, 'one lead story');
    assert.equal(leadCards[0].slug, FEATURED.slug, 'the lead is the newest featured article');
    assert.notEqual(FEATURED.slug, VISIBLE[0].slug, 'the demo has newer articles than its newest featured one');
  });

  test('lists every published article once, newest first after the lead, over its pages', async () => {
    const { pages, cards } = await listAll('/');
    assert.ok(pages.length >= 2, `the demo fills more than one page (got ${pages.length})`);
    assert.equal(pages[1].url, '/?page=2', 'page 2 is /?page=2');
    assert.equal(cards[0].slug, FEATURED.slug, 'the featured lead comes first');
    assertNewestFirst(cards.slice(1), 'home');
    assert.deepEqual(cards.slice(1).map((c) => c.slug), VISIBLE.filter((a) => a !== FEATURED).map((a) => a.slug));
    for (const c of cards) assertCardMatches(c);
  });

  test('leads with the newest article when none is featured; a featured article further back leads page 1 and keeps its place', async () => {
    const featured = sql(stack, 'SELECT id FROM articles WHERE featured = 1').map((a) => a.id);
    const old = VISIBLE[VISIBLE.length - 1];
    try {
      sql(stack, 'UPDATE articles SET featured = 0');
      await settle(stack);
      let r = await get(stack.base, '/');
      assert.equal(cardsIn(element(r.text, /<div class="lead">/, 'the lead story'))[0].slug, VISIBLE[0].slug);
      const plain = cardsIn(mainOf(r.text)).map((c) => c.slug);
      sql(stack, `UPDATE articles SET featured = 1 WHERE slug = '${old.slug}'`);
      await settle(stack);
      r = await get(stack.base, '/');
      const shown = cardsIn(mainOf(r.text)).map((c) => c.slug);
      assert.deepEqual(shown, [old.slug, ...plain], 'the oldest article leads, and page 1 lists what it listed');
      const { cards } = await listAll('/');
      assert.equal(cards.filter((c) => c.slug === old.slug).length, 2, 'it is found again in its place');
    } finally {
      sql(stack, 'UPDATE articles SET featured = 0');
      if (featured.length) sql(stack, `UPDATE articles SET featured = 1 WHERE id IN (${featured.join(',')})`);
      await settle(stack);
    }
  });

  test('page 2 holds the articles after page 1', async () => {
    const first = cardsIn(mainOf((await get(stack.base, '/')).text));
    const r = await get(stack.base, '/?page=2');
    assertSitePage(r, 200, '/?page=2');
    const second = cardsIn(mainOf(r.text));
    assert.ok(second.length > 0, 'page 2 is not empty');
    assert.deepEqual(second.map((c) => c.slug),
      VISIBLE.slice(first.length, first.length + second.length).map((a) => a.slug));
    assert.doesNotMatch(r.text, /<div class="lead">/, 'only page 1 has a lead story');
    assert.match(r.text, /<a [^>]*href="\/"[^>]*rel="prev"/, 'page 2 links back to the first page');
  });

  test('a page past the end is a 404 page', async () => {
    const { pages } = await listAll('/');
    const r = await get(stack.base, `/?page=${pages.length + 1}`);
    assertSitePage(r, 404, `/?page=${pages.length + 1}`);
  });

  test('?page=0 and ?page=abc are 400 pages', async () => {
    for (const p of ['/?page=0', '/?page=abc', '/?page=-1', '/?page=1x']) {
      const r = await get(stack.base, p);
      assertSitePage(r, 400, p);
      assert.match(r.text, /<p class="error-status">400<\/p>/, `${p}: the page says 400`);
    }
  });
});

describe('listing pages', () => {
  test('the World category page shows its published articles only', async () => {
    const world = category('world');
    const r = await get(stack.base, '/category/world');
    assertSitePage(r, 200, '/category/world');
    const h1 = /<h1 class="category-title">([\s\S]*?)<\/h1>/.exec(r.text);
    assert.ok(h1, 'a heading');
    assert.equal(textOf(h1[1]), world.name);
    assert.equal(world.name, 'World News');
    assert.ok(r.text.includes(`<p class="category-description">${escapeHtml(world.description)}</p>`),
      'the category description');
    assert.match(r.text, /<a href="\/category\/world" aria-current="page">/, 'the navigation marks World as current');
    const { cards } = await listAll('/category/world');
    const expected = VISIBLE.filter((a) => a.category === 'world');
    assert.ok(expected.length > 0);
    assert.deepEqual(cards.map((c) => c.slug), expected.map((a) => a.slug));
    assertNewestFirst(cards, '/category/world');
    for (const c of cards) {
      assertCardMatches(c);
      assert.equal(c.categoryHref, '/category/world');
    }
  });

  test('every category page lists exactly its published articles', async () => {
    for (const cat of SITE.categories) {
      const { cards } = await listAll(`/category/${encodeURIComponent(cat.slug)}`);
      assert.deepEqual(cards.map((c) => c.slug),
        VISIBLE.filter((a) => a.category === cat.slug).map((a) => a.slug), `/category/${cat.slug}`);
    }
  });

  test('an unknown category is a 404 page in the site layout with a link home', async () => {
    const r = await get(stack.base, '/category/no-such-category');
    assertSitePage(r, 404, '/category/no-such-category');
    assert.match(r.text, /<p class="error-status">404<\/p>/);
    assert.match(mainOf(r.text), /<a [^>]*href="\/"/, 'a link to the home page');
  });

  test('a tag page lists the published articles with that tag', async () => {
    for (const tag of SITE.tags) {
      const url = `/tag/${encodeURIComponent(tag.slug)}`;
      const r = await get(stack.base, url);
      assertSitePage(r, 200, url);
      const h1 = /<h1 class="category-title">([\s\S]*?)<\/h1>/.exec(r.text);
      assert.equal(h1 && textOf(h1[1]), tag.name, `${url}: heading`);
      const { cards } = await listAll(url);
      assert.deepEqual(cards.map((c) => c.slug),
        VISIBLE.filter((a) => a.tags.includes(tag.slug)).map((a) => a.slug), url);
    }
    const r = await get(stack.base, '/tag/no-such-tag');
    assertSitePage(r, 404, '/tag/no-such-tag');
  });

  test("an author page lists the author's published articles", async () => {
    for (const u of SITE.authors) {
      const url = `/author/${encodeURIComponent(u.username)}`;
      const r = await get(stack.base, url);
      assertSitePage(r, 200, url);
      const h1 = /<h1 class="category-title">([\s\S]*?)<\/h1>/.exec(r.text);
      assert.equal(h1 && textOf(h1[1]), u.name, `${url}: heading`);
      assert.ok(r.text.includes(escapeHtml(u.bio)), `${url}: the author's bio`);
      const { cards } = await listAll(url);
      assert.deepEqual(cards.map((c) => c.slug),
        VISIBLE.filter((a) => a.author === u.username).map((a) => a.slug), url);
    }
    const r = await get(stack.base, '/author/no-such-author');
    assertSitePage(r, 404, '/author/no-such-author');
  });
});

// The English article the article page tests read: it has ratings, approved
// comments, replies and a title with an apostrophe and an ampersand.
const ARTICLE = VISIBLE.find((a) => a.lang === 'en' && a.ratings?.length
  && a.comments?.some((c) => c.status === 'approved' && c.parent)
  && a.title.includes("'") && a.title.includes('&'));

// The comments of a demo article a reader may see.
const approved = (a) => (a.comments || []).filter((c) => c.status === 'approved');

describe('article page', () => {
  let page;

  before(async () => {
    assert.ok(ARTICLE, 'the demo has an English article with ratings, threaded comments and an escaped title');
    page = await get(stack.base, urlOf(ARTICLE));
  });

  test('is an HTML page in the site layout', () => {
    assertSitePage(page, 200, urlOf(ARTICLE));
    assert.match(page.text, /<article lang="en" dir="ltr" class="article"/);
  });

  test('shows the category label linking to the category', () => {
    const header = element(page.text, /<header class="article-header">/);
    const cat = category(ARTICLE.category);
    assert.ok(header.includes(`<p class="kicker"><a href="/category/${cat.slug}" dir="auto">${escapeHtml(cat.name)}</a></p>`),
      `kicker linking to /category/${cat.slug}`);
  });

  test('shows the title as escaped HTML that decodes to the original', () => {
    const h1 = /<h1 class="article-title">([\s\S]*?)<\/h1>/.exec(page.text);
    assert.ok(h1, 'an <h1> title');
    assert.ok(h1[1].includes('&#39;'), `the apostrophe is written &#39; (got ${h1[1]})`);
    assert.ok(h1[1].includes('&amp;'), `the ampersand is written &amp; (got ${h1[1]})`);
    assert.doesNotMatch(h1[1], /'|&(?!#39;|amp;)/, 'no raw apostrophe or ampersand');
    assert.equal(decode(h1[1]), ARTICLE.title);
    const title = /<title>([\s\S]*?)<\/title>/.exec(page.text);
    assert.ok(title && decode(title[1]).startsWith(ARTICLE.title), 'the document title starts with the article title');
  });

  test("shows a byline with the author's name and the publication time", () => {
    const byline = element(page.text, /<p class="byline">/);
    const u = author(ARTICLE.author);
    assert.ok(byline.includes(`<a href="/author/${u.username}" rel="author" dir="auto">${escapeHtml(u.name)}</a>`),
      `byline names ${u.name}`);
    const time = /<time datetime="([^"]*)"[^>]*>([\s\S]*?)<\/time>/.exec(byline);
    assert.ok(time, '<time datetime> in the byline');
    assert.equal(Date.parse(time[1]), Date.parse(ARTICLE.published_at));
    assert.ok(textOf(time[2]).length > 0, 'a shown date');
  });

  test('shows the body rendered from Markdown', () => {
    const body = element(page.text, /<div class="article-body">/);
    const headings = [...ARTICLE.body.matchAll(/^## ([^\n]+)$/gm)].map((m) => m[1].trim())
      .filter((h) => !/[*_`[\]'"&<>]/.test(h));
    assert.ok(headings.length > 0, 'the demo article has a plain subheading');
    for (const h of headings) assert.ok(body.includes(`<h2>${h}</h2>`), `<h2>${h}</h2> in the body`);
    assert.doesNotMatch(body, /^## /m, 'no Markdown left unrendered');
    assert.doesNotMatch(body, /<script/i);
  });

  test('shows the rating widget with the average, the vote count and five stars', () => {
    const section = element(page.text, /<section class="rating"/, 'the rating section');
    assert.match(section, /<h2[^>]*>Rate this post<\/h2>/);
    const sum = ARTICLE.ratings.reduce((s, v) => s + v, 0);
    const average = (Math.round((sum * 10) / ARTICLE.ratings.length) / 10).toFixed(1);
    const shown = /<bdi class="rating-average">([^<]*)<\/bdi>/.exec(section);
    assert.equal(shown && shown[1], average, 'the average with one decimal');
    const text = textOf(element(section, /<p class="rating-text">/));
    assert.match(text, new RegExp(`\\(${ARTICLE.ratings.length} votes\\)`), `the vote count in "${text}"`);
    const form = element(section, /<form [^>]*class="rating-form"/, 'the rating form');
    assert.match(form, /method="post"/);
    const buttons = [...form.matchAll(/<button\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(buttons.length, 5, 'five star buttons');
    buttons.forEach((b, i) => {
      assert.match(b, /\bname="stars"/);
      assert.match(b, new RegExp(`\\bvalue="${i + 1}"`), `button ${i + 1} gives ${i + 1} stars`);
      assert.match(b, /\baria-label="[^"]+"/, 'each button has an accessible name');
    });
  });

  test('shows 1 to 5 related articles sharing a tag or the category, never itself', () => {
    const section = element(page.text, /<section class="related"/, 'the related section');
    const cards = cardsIn(section);
    assert.ok(cards.length >= 1 && cards.length <= 5, `1 to 5 related articles (got ${cards.length})`);
    assert.equal(new Set(cards.map((c) => c.slug)).size, cards.length, 'no article twice');
    for (const c of cards) {
      assert.notEqual(c.slug, ARTICLE.slug, 'not the article itself');
      const other = bySlug.get(c.slug);
      assert.ok(other && isVisible(other), `${c.slug} is a published article`);
      assert.ok(other.category === ARTICLE.category || other.tags.some((t) => ARTICLE.tags.includes(t)),
        `${c.slug} shares a tag or the category`);
      assertCardMatches(c);
    }
  });

  test('shows the approved comments threaded, oldest first', () => {
    const section = element(page.text, /<section class="comments"/, 'the comments section');
    const list = element(section, /<ol class="comment-list">/);
    const shown = approved(ARTICLE);
    // Find each approved comment's element by its text.
    const items = elements(list, /<li class="comment" id="comment-\d+">/g).map((html) => ({
      html,
      id: /id="(comment-\d+)"/.exec(html)[1],
      author: textOf(/<span class="comment-author"[^>]*>([\s\S]*?)<\/span>/.exec(html)[1]),
      body: decode(/<div class="comment-text"[^>]*>([\s\S]*?)<\/div>/.exec(html)[1]),
    }));
    assert.equal(items.length, shown.length, 'as many comments as approved ones');
    const itemOf = new Map();
    for (const c of shown) {
      const found = items.filter((it) => it.body === c.body && it.author === c.name);
      assert.equal(found.length, 1, `comment ${c.ref} by ${c.name} shown once`);
      itemOf.set(c.ref, found[0]);
    }
    // The direct children of an element's replies list (or of the top list).
    const childIds = (html, listOpen) => {
      const ol = element(html, listOpen);
      const inner = ol.slice(ol.indexOf('>') + 1, -'</ol>'.length);
      const ids = [];
      for (let at = inner.search(/<li class="comment"/); at >= 0; ) {
        const li = elementAt(inner, at);
        ids.push(/id="(comment-\d+)"/.exec(li)[1]);
        const rest = inner.slice(at + li.length).search(/<li class="comment"/);
        at = rest < 0 ? -1 : at + li.length + rest;
      }
      return ids;
    };
    const byRef = new Map(shown.map((c) => [c.ref, c]));
    const parentRef = (c) => (c.parent && byRef.has(c.parent) ? c.parent : null);
    const chrono = (cs) => [...cs].sort((x, y) => Date.parse(x.created_at) - Date.parse(y.created_at))
      .map((c) => itemOf.get(c.ref).id);
    assert.deepEqual(childIds(list, /<ol class="comment-list">/),
      chrono(shown.filter((c) => !parentRef(c))), 'top-level comments, oldest first');
    for (const c of shown) {
      const replies = shown.filter((r) => parentRef(r) === c.ref);
      assert.deepEqual(childIds(itemOf.get(c.ref).html, /<ol class="comment-replies">/), chrono(replies),
        `replies to ${c.ref} nested inside it, oldest first`);
    }
    assert.ok(shown.some((c) => parentRef(c)), 'the article has at least one reply');
    for (const c of shown) {
      const t = /<time datetime="([^"]*)"[^>]*>/.exec(itemOf.get(c.ref).html);
      assert.equal(t && Date.parse(t[1]), Date.parse(c.created_at), `time of comment ${c.ref}`);
    }
  });

  test('writes comment text escaped and never shows pending comments', () => {
    for (const c of approved(ARTICLE)) {
      assert.ok(page.text.includes(escapeHtml(c.body)), `comment ${c.ref} is written escaped`);
    }
    const pending = (ARTICLE.comments || []).filter((c) => c.status !== 'approved');
    assert.ok(pending.length > 0, 'the demo article has a pending comment');
    for (const c of pending) {
      assert.ok(!page.text.includes(c.body), `pending comment ${c.ref} is absent`);
      assert.ok(!page.text.includes(escapeHtml(c.body)), `pending comment ${c.ref} is absent (escaped)`);
      for (const line of c.body.split('<').slice(1)) {
        assert.ok(!page.text.includes(`<${line.slice(0, 20)}`), `no raw "<" from comment ${c.ref}`);
      }
    }
  });

  test('shows the "Leave a reply" form with name, email and comment fields', () => {
    const form = element(page.text, /<form [^>]*id="reply"/, 'the reply form');
    assert.match(form, /method="post"/);
    assert.match(form, /<h2[^>]*>Leave a reply<\/h2>/);
    assert.match(form, /<input\b[^>]*\bname="name"[^>]*\brequired/, 'a required name field');
    assert.match(form, /<input\b[^>]*\bname="email"[^>]*\btype="email"[^>]*\brequired|<input\b[^>]*\btype="email"[^>]*\bname="email"/,
      'an email field');
    assert.match(form, /<textarea\b[^>]*\bname="body"[^>]*\brequired/, 'a required comment field');
    for (const id of ['comment-name', 'comment-email', 'comment-body']) {
      assert.match(form, new RegExp(`<label for="${id}">`), `a label for ${id}`);
    }
  });

  test('has a back-to-top link to #top', () => {
    const link = /<a\b[^>]*\bid="back-to-top"[^>]*>/.exec(page.text);
    assert.ok(link, 'an element #back-to-top');
    assert.match(link[0], /\bhref="#top"/);
    assert.match(page.text, /<[a-z]+\b[^>]*\bid="top"/, 'an element #top');
  });

  test('comments with an apostrophe elsewhere in the demo are escaped too', async () => {
    const withQuote = VISIBLE.filter((a) => approved(a).some((c) => /['"&<>]/.test(c.body + c.name)));
    assert.ok(withQuote.length > 0);
    for (const a of withQuote) {
      const r = await get(stack.base, urlOf(a));
      assert.equal(r.status, 200);
      for (const c of approved(a)) {
        assert.ok(r.text.includes(escapeHtml(c.body)), `${a.slug}: comment ${c.ref} written escaped`);
        assert.ok(r.text.includes(escapeHtml(c.name)), `${a.slug}: author of ${c.ref} written escaped`);
      }
    }
  });
});

describe('Arabic article', () => {
  const AR = VISIBLE.find((a) => a.lang === 'ar');

  test('is found at its percent-encoded slug, right to left, with its title intact', async () => {
    assert.ok(AR, 'the demo has a published Arabic article');
    const url = urlOf(AR);
    assert.match(url, /%[0-9A-F]{2}/, 'the slug needs percent-encoding');
    const r = await get(stack.base, url);
    assertSitePage(r, 200, url);
    assert.match(r.text, /<article\b[^>]*\blang="ar"[^>]*\bdir="rtl"[^>]*class="article"/);
    const h1 = /<h1 class="article-title">([\s\S]*?)<\/h1>/.exec(r.text);
    assert.ok(h1, 'an <h1> title');
    assert.ok(Buffer.from(decode(h1[1]), 'utf8').equals(Buffer.from(AR.title, 'utf8')), 'the Arabic title byte for byte');
    assert.ok(r.text.includes(`<h1 class="article-title">${escapeHtml(AR.title)}</h1>`));
  });

  test('its cards on the home page link to the percent-encoded slug', async () => {
    const { cards } = await listAll('/');
    const card = cards.find((c) => c.slug === AR.slug);
    assert.ok(card, 'the Arabic article is listed');
    assert.equal(card.href, urlOf(AR));
    assert.equal(card.lang, 'ar');
    assert.equal(card.dir, 'rtl');
  });
});

describe('unpublished articles', () => {
  test('drafts and scheduled articles are 404 pages', async () => {
    assert.ok(HIDDEN.some((a) => a.status === 'draft'), 'the demo has a draft');
    assert.ok(HIDDEN.some((a) => a.status === 'scheduled'), 'the demo has an article scheduled for later');
    for (const a of HIDDEN) {
      const r = await get(stack.base, urlOf(a));
      assertSitePage(r, 404, `${a.status} ${urlOf(a)}`);
      assert.ok(!r.text.includes(escapeHtml(a.title)), `${a.slug}: its title is not shown`);
    }
  });

  test('never appear on the home page or their category page', async () => {
    const listed = [...(await listAll('/')).cards];
    for (const cat of new Set(HIDDEN.map((a) => a.category))) {
      listed.push(...(await listAll(`/category/${cat}`)).cards);
    }
    for (const a of HIDDEN) {
      assert.ok(!listed.some((c) => c.slug === a.slug), `${a.status} ${a.slug} is not listed`);
    }
  });
});

// Run last: it changes the database. A comment with markup characters, once
// approved (there is no moderation page yet, so the database is changed
// directly), must reach the reader as text.
describe('an approved comment with <, & and "', () => {
  const target = SITE.articles.find((a) => isVisible(a)
    && (a.comments || []).some((c) => c.status !== 'approved' && /[<&"]/.test(c.body)));
  const sqlite = spawnSync('sqlite3', ['-version']);

  test('is written escaped', { skip: sqlite.status !== 0 && 'the sqlite3 command is not installed' }, async () => {
    assert.ok(target, 'the demo has a pending comment with markup characters');
    const c = target.comments.find((x) => x.status !== 'approved' && /[<&"]/.test(x.body));
    const sql = `UPDATE comments SET status = 'approved' WHERE body = '${c.body.replaceAll("'", "''")}';`
      + ' SELECT changes();';
    const res = spawnSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath, sql], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), '1', 'one comment approved');
    await stack.restartGazette();
    const r = await get(stack.base, urlOf(target));
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(escapeHtml(c.body)), `the comment is shown escaped: ${escapeHtml(c.body)}`);
    assert.ok(!r.text.includes(c.body), 'its raw text is not in the HTML');
    const lt = c.body.indexOf('<');
    if (lt >= 0) assert.ok(!r.text.includes(c.body.slice(lt, lt + 12)), 'no raw "<" from it');
  });
});
