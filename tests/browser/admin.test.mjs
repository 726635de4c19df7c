// The newsroom in a real browser: Debian's chromium driven headless by
// playwright-core. An editor signs in, writes an article in Markdown,
// previews it, publishes it and finds it on the home page and in the API;
// then writes one in Arabic and finds its page laid out right to left.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_LAUNCH, PASSWORD, addUser, startSite, watchPage } from '../http/helpers.mjs';

const USER = 'desk';

let stack;
let browser;
let context;
let page;
let problems = [];

before(async () => {
  // The browser's Origin is the stack's own address: make it the site's.
  stack = await startSite();
  addUser(stack, USER, 'editor');
  browser = await chromium.launch(CHROMIUM_LAUNCH);
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  problems = watchPage(page);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

// Click the button or link located by loc and wait for the page it loads.
async function clickAndWait(loc) {
  await Promise.all([page.waitForNavigation(), loc.click()]);
}

// Fill the editor's form with the fields given (title, category label,
// body, lang, status).
async function fillArticle({ title, category, tags, summary, body, lang, status }) {
  await page.fill('#article-title', title);
  await page.selectOption('#article-category', { label: category });
  if (tags) await page.fill('#article-tags', tags);
  if (summary) await page.fill('#article-summary', summary);
  await page.fill('#article-body', body);
  if (lang) await page.selectOption('#article-lang', lang);
  if (status) await page.selectOption('#article-status', status);
}

// The titles of the articles /api/v1/articles lists first.
async function apiTitles() {
  const res = await page.request.get(`${stack.base}/api/v1/articles?per_page=50`);
  assert.equal(res.status(), 200);
  return (await res.json()).data.map((a) => a.title);
}

test('sign in', async () => {
  await page.goto(`${stack.base}/admin/articles/new`);
  assert.match(new URL(page.url()).pathname, /^\/admin\/login$/);
  await page.fill('#login-username', USER);
  await page.fill('#login-password', PASSWORD);
  await clickAndWait(page.locator('form.login-form button[type="submit"]'));
  assert.equal(new URL(page.url()).pathname, '/admin/articles/new');
  assert.equal(await page.locator('h1').textContent(), 'New article');
});

test('write in Markdown, preview, publish; on the home page and in the API', async () => {
  const title = 'Lighthouse keepers gather in Port Halvard';
  await fillArticle({
    title,
    category: 'World News',
    tags: 'Lighthouses, Coast',
    summary: 'Keepers from twelve countries met on the quay.',
    body: '## What they discussed\n\n- automation\n- heritage\n- the weather\n\n'
      + 'See [the association](https://example.org/keepers).',
  });
  await clickAndWait(page.getByRole('button', { name: 'Preview' }));
  assert.match(page.url(), /\?draft=1#preview$/, 'the preview is reached by a GET: a reload sends no form');
  const preview = page.frameLocator('section.preview iframe').locator('.article-body');
  assert.equal((await preview.locator('h2', { hasText: 'What they discussed' }).count()), 1);
  assert.equal(await preview.locator('li').count(), 3);
  assert.equal(await preview.locator('a[href="https://example.org/keepers"]').textContent(), 'the association');
  assert.equal(await page.inputValue('#article-title'), title, 'the preview keeps what was typed');
  await page.screenshot({ path: path.join(stack.dir, 'admin-preview.png') });
  // 1100 px is narrow for text and preview side by side: they are two
  // tabs, and the editor came back on the preview's.
  assert.equal(await page.getAttribute('.editor-tab >> nth=1', 'aria-selected'), 'true');
  await page.click('.editor-tab >> nth=0');

  await page.selectOption('#article-status', 'published');
  await clickAndWait(page.getByRole('button', { name: 'Save' }));
  assert.match(new URL(page.url()).pathname, /^\/admin\/articles\/\d+\/edit$/);
  assert.equal(await page.locator('.form-done').textContent(), 'Saved.');

  await page.goto(`${stack.base}/`);
  const card = page.locator('a', { hasText: title }).first();
  assert.equal(await card.count(), 1, 'the home page shows the new article');
  await clickAndWait(card);
  assert.equal(await page.locator('.article-body h2').textContent(), 'What they discussed');
  assert.ok((await apiTitles()).includes(title), 'the API lists the new article');
});

test('an Arabic article: its public page is right to left', async () => {
  const title = 'حراس المنارات يجتمعون في الميناء';
  await page.goto(`${stack.base}/admin/articles/new`);
  await fillArticle({
    title, category: 'Culture', body: '## ما ناقشوه\n\nالتراث والطقس.', lang: 'ar', status: 'published',
  });
  assert.equal(await page.getAttribute('#article-title', 'dir'), 'auto');
  await clickAndWait(page.getByRole('button', { name: 'Save' }));
  assert.equal(await page.locator('.form-done').textContent(), 'Saved.');
  const link = page.locator('.article-links a', { hasText: 'View on the site' });
  await clickAndWait(link);
  assert.match(decodeURIComponent(new URL(page.url()).pathname), /^\/articles\/حراس-المنارات-يجتمعون-في-الميناء$/);
  assert.equal(await page.getAttribute('article.article', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('article.article', 'lang'), 'ar');
  assert.equal(await page.locator('h1.article-title').textContent(), title);
  await page.screenshot({ path: path.join(stack.dir, 'admin-arabic.png') });
  assert.ok((await apiTitles()).includes(title));
});

test('the article list shows both, and no page had a console error', async () => {
  await page.goto(`${stack.base}/admin/articles?status=published&q=${encodeURIComponent('Lighthouse')}`);
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.screenshot({ path: path.join(stack.dir, 'admin-list.png') });
  assert.deepEqual(problems, [], 'no console errors and no page errors');
});
