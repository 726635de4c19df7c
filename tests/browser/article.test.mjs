// Reading an article in a real browser: Debian's chromium driven headless by
// playwright-core, against a private stack loaded with the demo content.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startStack } from '../http/harness.mjs';
import { CHROMIUM_LAUNCH, norm, watchPage } from '../http/helpers.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack({ demo: true });
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Open a page in a fresh context (options go to newContext) that records console errors, page errors
// and Content Security Policy reports in the returned `problems` array.
async function openPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 600 }, ...options });
  const page = await context.newPage();
  return { context, page, problems: watchPage(page) };
}

// In the page: describe every link to an article as {href, title, dir},
// where title is the heading of its card (or the link text) and dir the
// direction set on the card or nearer (not on <html> or <body>).
function articleLinks() {
  return [...document.querySelectorAll('a[href*="/articles/"]')].map((a) => {
    const card = a.closest('article, li, .card') || a.parentElement;
    const heading = card && card.querySelector('h1, h2, h3, h4');
    const dirEl = a.closest('[dir]');
    const dir = dirEl && dirEl !== document.documentElement && dirEl !== document.body
      ? dirEl.getAttribute('dir') : null;
    return {
      href: a.getAttribute('href'),
      title: (heading && heading.contains(a) ? heading : a).textContent
        || (heading ? heading.textContent : ''),
      dir,
    };
  });
}

// Poll fn in the page until it returns true or ms pass; return its last value.
async function pollPage(page, fn, ms) {
  const end = Date.now() + ms;
  let value = await page.evaluate(fn);
  while (!value && Date.now() < end) {
    await page.waitForTimeout(100);
    value = await page.evaluate(fn);
  }
  return value;
}

test('from the home page to an article and back to the top', async () => {
  const { context, page, problems } = await openPage();
  try {
    const home = await page.goto(`${stack.base}/`);
    assert.equal(home.status(), 200);
    const links = await page.evaluate(articleLinks);
    assert.ok(links.length > 0, 'the home page links to articles');
    const first = links[0];

    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/articles/')),
      page.locator(`a[href="${first.href}"]`).first().click()]);
    const h1 = norm(await page.locator('h1').first().textContent());
    assert.equal(h1, norm(first.title), 'the article heading matches its card');
    await page.screenshot({ path: path.join(stack.dir, 'article-top.png') });

    const button = page.locator('#back-to-top');
    await button.waitFor({ state: 'hidden', timeout: 5000 });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    assert.ok(await page.evaluate(() => window.scrollY > 0), 'the article page is long enough to scroll');
    await button.waitFor({ state: 'visible', timeout: 5000 });
    await page.screenshot({ path: path.join(stack.dir, 'article-bottom.png') });
    await button.click();
    const atTop = await pollPage(page, () => window.scrollY === 0, 5000);
    assert.ok(atTop, 'back to top scrolls to the top');

    assert.deepEqual(problems, [], 'no console errors and no page errors');
  } finally {
    await context.close();
  }
});

test('without script, back to top is a link at the end of the page, covering nothing', async () => {
  const { context, page, problems } = await openPage({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  try {
    const home = await page.goto(`${stack.base}/`);
    assert.equal(home.status(), 200);
    const where = await page.evaluate(() => {
      const b = document.getElementById('back-to-top');
      const r = b.getBoundingClientRect();
      return { position: getComputedStyle(b).position, below: r.top + window.scrollY
        >= document.querySelector('main').getBoundingClientRect().bottom + window.scrollY };
    });
    assert.equal(where.position, 'static', 'it does not float over the text');
    assert.ok(where.below, 'it comes after the page\'s content');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an Arabic article is laid out right to left', async () => {
  const { context, page, problems } = await openPage();
  try {
    let link = null;
    for (let n = 1; n <= 5 && !link; n++) {
      const res = await page.goto(`${stack.base}/${n > 1 ? `?page=${n}` : ''}`);
      if (res.status() !== 200) break;
      link = (await page.evaluate(articleLinks)).find((l) => l.dir === 'rtl') || null;
    }
    assert.ok(link, 'the home page shows a card with dir="rtl"');

    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/articles/')),
      page.locator(`a[href="${link.href}"]`).first().click()]);
    const dir = await page.evaluate(() => {
      const h1 = document.querySelector('h1');
      const article = (h1 && h1.closest('article')) || document.querySelector('article');
      return article ? article.getAttribute('dir') : null;
    });
    assert.equal(dir, 'rtl', 'the article element has dir="rtl"');
    const sections = await page.evaluate(() => ['.rating', '.related', '#comments']
      .map((s) => { const e = document.querySelector(s); return e ? getComputedStyle(e).direction : `${s} missing`; }));
    assert.deepEqual(sections, ['rtl', 'rtl', 'rtl'], 'the rating, related articles and comments follow the article');
    assert.equal(norm(await page.locator('h1').first().textContent()), norm(link.title));
    await page.screenshot({ path: path.join(stack.dir, 'article-rtl.png') });

    assert.deepEqual(problems, [], 'no console errors and no page errors');
  } finally {
    await context.close();
  }
});

test('screenshots stay in the temporary directory', () => {
  for (const name of ['article-top.png', 'article-bottom.png', 'article-rtl.png']) {
    assert.ok(fs.existsSync(path.join(stack.dir, name)), `${name} was written`);
  }
});
