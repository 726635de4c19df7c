// Structured data in a real browser: the JSON-LD data block of an article
// page is read as the page's own data, while the Content Security Policy
// (script-src 'self', no 'unsafe-inline') still refuses every inline
// script. A script element whose type is not JavaScript is a data block:
// the browser never runs it, so script-src has nothing to refuse.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startStack } from '../http/harness.mjs';
import { CHROMIUM_LAUNCH, SITE, norm, urlOf, watchPage } from '../http/helpers.mjs';

const ARTICLE = SITE.articles.find((a) => a.status === 'published' && a.lang === 'en'
  && Date.parse(a.published_at) <= Date.now());

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

// Opens url in a fresh context that records, from before the page's own
// code runs, every Content Security Policy violation as {directive, sample}
// in window.__violations; resolves to {context, page, problems}.
async function openRecorded(url) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push({ directive: e.effectiveDirective, sample: e.sample });
    });
  });
  const page = await context.newPage();
  const problems = watchPage(page);
  const res = await page.goto(url);
  assert.equal(res.status(), 200, url);
  assert.doesNotMatch(res.headers()['content-security-policy'], /unsafe-inline/);
  return { context, page, problems };
}

test('the article\'s JSON-LD is readable data and nothing is refused loading the page', async () => {
  const { context, page, problems } = await openRecorded(`${stack.base}${urlOf(ARTICLE)}`);
  try {
    const data = await page.evaluate(() => [...document.querySelectorAll('script[type="application/ld+json"]')]
      .map((s) => JSON.parse(s.textContent)));
    assert.equal(data.length, 1);
    const art = data[0]['@graph'].find((n) => n['@type'] === 'NewsArticle');
    assert.equal(norm(art.headline), norm(await page.locator('h1').first().textContent()));
    assert.equal(art.datePublished, await page.locator('.byline-date time').first().getAttribute('datetime'));
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no policy violation');
    assert.deepEqual(problems, [], 'no console errors and no page errors');
    // The page's own script ran (it is from 'self'): the rating widget asked for its figures.
    assert.ok(await page.locator('.rating[data-api]').count() === 1);
  } finally {
    await context.close();
  }
});

test('the policy still refuses inline script; a data block added the same way is not refused', async () => {
  const { context, page } = await openRecorded(`${stack.base}${urlOf(ARTICLE)}`);
  try {
    const outcome = await page.evaluate(async () => {
      const add = (type, text) => {
        const s = document.createElement('script');
        if (type) s.type = type;
        s.textContent = text;
        document.head.appendChild(s);
      };
      add('application/ld+json', '{"@context": "https://schema.org", "@type": "Thing", "name": "x"}');
      await new Promise((r) => { setTimeout(r, 200); });
      const afterData = window.__violations.length;
      add(null, 'window.__inline_ran = true;');
      await new Promise((r) => { setTimeout(r, 200); });
      return { afterData, violations: window.__violations, ran: window.__inline_ran === true };
    });
    assert.equal(outcome.afterData, 0, 'a JSON-LD block is not a violation');
    assert.equal(outcome.ran, false, 'inline script does not run');
    assert.equal(outcome.violations.length, 1, 'and is reported');
    assert.match(outcome.violations[0].directive, /^script-src(-elem)?$/);
  } finally {
    await context.close();
  }
});
