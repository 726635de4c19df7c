// The newsroom's desk and the reader's page in a real browser, on one
// stack: axe-core finds no WCAG 2.2 AA violation on the reader's pages
// and every newsroom screen, and none scrolls sideways at 360 px; the
// editor's autosave survives closing the tab and a restart of gazette;
// leaving unsaved changes asks first; two editors conflict and the second
// is told; bulk actions; a time scheduled in another zone appears at its
// instant; a reader without script sees their own vote. Screenshots of
// the newsroom go to the stack's temporary folder, or to the folder
// GAZETTE_SCREENSHOTS names: docs/screenshots/ when docs/admin.md's
// pictures are taken again (GAZETTE_SCREENSHOTS=docs/screenshots).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT } from '../http/harness.mjs';
import { CHROMIUM_LAUNCH, PASSWORD, RELAXED, addUser, gazette, sleep, sql, startSite, watchPage } from '../http/helpers.mjs';

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let stack;
let SHOTS;     // where the screenshots go
let browser;
let desk;      // the editor's context
let page;
let problems = [];

before(async () => {
  stack = await startSite(RELAXED);
  SHOTS = process.env.GAZETTE_SCREENSHOTS ? path.resolve(ROOT, process.env.GAZETTE_SCREENSHOTS) : stack.dir;
  addUser(stack, 'desk', 'admin');
  addUser(stack, 'second', 'editor');
  browser = await chromium.launch(CHROMIUM_LAUNCH);
  desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await desk.newPage();
  problems = watchPage(page);
  await signIn(page, 'desk');
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(p, name) {
  await p.goto(`${stack.base}/admin/login`);
  await p.fill('#login-username', name);
  await p.fill('#login-password', PASSWORD);
  await Promise.all([p.waitForNavigation(), p.click('form.login-form button[type="submit"]')]);
}

// The WCAG 2.2 AA violations axe-core finds on p, as "rule: target" lines.
async function axe(p) {
  // Evaluated by the browser's own tools: the page's policy rightly
  // refuses any inline script.
  if (!(await p.evaluate(() => typeof window.axe === 'object'))) await p.evaluate(AXE);
  const result = await p.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

// How far p's page is wider than its window (0: nothing scrolls sideways).
const overflow = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('axe finds nothing and nothing scrolls sideways at 360 px, on the reader\'s pages and every newsroom screen', async () => {
  const en = sql(stack, "SELECT slug FROM articles WHERE lang = 'en' AND status = 'published' ORDER BY id LIMIT 1")[0].slug;
  const ar = sql(stack, "SELECT slug FROM articles WHERE lang = 'ar' AND status = 'published' ORDER BY id LIMIT 1")[0].slug;
  const cat = sql(stack, 'SELECT slug FROM categories ORDER BY id LIMIT 1')[0].slug;
  const id = sql(stack, "SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 1")[0].id;
  const catId = sql(stack, 'SELECT id FROM categories ORDER BY id LIMIT 1')[0].id;
  const tagId = sql(stack, 'SELECT id FROM tags ORDER BY id LIMIT 1')[0].id;
  // A save, so that the article has a revision to show.
  await page.goto(`${stack.base}/admin/articles/${id}/edit`);
  await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
  const rid = sql(stack, `SELECT id FROM revisions WHERE article_id = ${id} ORDER BY id DESC LIMIT 1`)[0].id;
  const pages = ['/', `/articles/${encodeURIComponent(en)}`, `/articles/${encodeURIComponent(ar)}`, `/category/${cat}`,
    '/search?q=harbour', '/admin', '/admin/articles', '/admin/articles/new', `/admin/articles/${id}/edit`,
    `/admin/articles/${id}/revisions`, `/admin/articles/${id}/revisions/${rid}`, `/admin/articles/${id}/preview`,
    '/admin/media', '/admin/categories', `/admin/categories/${catId}`, '/admin/tags', `/admin/tags/${tagId}`,
    '/admin/comments', '/admin/users', '/admin/users/1', '/admin/users/1/profile', '/admin/settings',
    '/admin/password', '/admin/profile', '/admin/tokens', '/admin/webhooks'];
  const phone = await desk.newPage();
  await phone.setViewportSize({ width: 360, height: 740 });
  const found = [];
  for (const url of pages) {
    const res = await page.goto(stack.base + url);
    if (res.status() !== 200) found.push(`${url}: answered ${res.status()}`);
    for (const v of await axe(page)) found.push(`${url}: ${v}`);
    await phone.goto(stack.base + url);
    const wide = await overflow(phone);
    if (wide > 0) found.push(`${url}: ${wide} px wider than a 360 px phone`);
    for (const v of await axe(phone)) found.push(`${url} (360 px): ${v}`);
  }
  // The sign-in page, signed out.
  const outside = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const login = await outside.newPage();
  await login.goto(`${stack.base}/admin/login`);
  for (const v of await axe(login)) found.push(`/admin/login (360 px): ${v}`);
  if (await overflow(login) > 0) found.push('/admin/login: wider than a 360 px phone');
  await outside.close();
  await phone.goto(`${stack.base}/admin/articles`);
  await phone.screenshot({ path: path.join(SHOTS, 'articles-phone.png') });
  await phone.close();
  assert.deepEqual(found, []);
});

test('on a phone every section of the navigation can be reached and every control is at least 44 px each way', async () => {
  const en = sql(stack, "SELECT slug FROM articles WHERE lang = 'en' AND status = 'published' AND comment_count > 0 ORDER BY id LIMIT 1")[0].slug;
  const ar = sql(stack, "SELECT slug FROM articles WHERE lang = 'ar' AND status = 'published' ORDER BY id LIMIT 1")[0].slug;
  const sections = sql(stack, 'SELECT count(*) AS n FROM categories')[0].n;
  const phone = await desk.newPage();
  await phone.setViewportSize({ width: 360, height: 740 });
  const small = [];
  for (const url of ['/', `/articles/${encodeURIComponent(en)}`, `/articles/${encodeURIComponent(ar)}`, '/search?q=harbour']) {
    await phone.goto(stack.base + url);
    const nav = phone.locator('.site-nav a');
    assert.ok(await nav.count() >= sections, `${url}: the home link and every section are in the navigation`);
    for (const link of await nav.all()) {
      await link.scrollIntoViewIfNeeded();
      const box = await link.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${url}: ${await link.textContent()} is on the screen`);
    }
    const controls = phone.locator('.site-nav a, .site-search input, .site-search button, .kicker a, .tags a, .card-comments,'
      + ' .rating-button, .comment-reply, .pagination a, main button, .back-to-top');
    for (const c of await controls.all()) {
      if (!(await c.isVisible())) continue;
      const box = await c.boundingBox();
      if (box.width < 44 || box.height < 44) {
        small.push(`${url}: ${await c.evaluate((e) => e.outerHTML.slice(0, 80))} is ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
  }
  await phone.close();
  assert.deepEqual(small, []);
});

test('autosave survives closing the tab and a restart of gazette; leaving with unsaved changes asks first', async () => {
  const tab = await desk.newPage();
  await tab.goto(`${stack.base}/admin/articles/new`);
  await tab.fill('#article-title', 'Typed, never saved');
  await tab.fill('#article-body', 'The first paragraph, typed and then lost with the tab.');
  await tab.waitForFunction(() => /Autosaved at/.test(document.querySelector('[data-autosave-status]').textContent));
  assert.match(await tab.textContent('#word-count'), /^10 words · 1 min read$/);
  const asked = new Promise((resolve) => tab.once('dialog', (d) => { resolve(d.type()); d.accept(); }));
  await tab.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload', 'the browser asked before the tab went');
  await stack.restartGazette();
  await page.goto(`${stack.base}/admin/articles/new`);
  assert.match(await page.textContent('.restore-offer'), /You have unsaved changes to this article/);
  await Promise.all([page.waitForNavigation(), page.click('.restore-offer a')]);
  assert.equal(await page.inputValue('#article-title'), 'Typed, never saved');
  assert.match(await page.inputValue('#article-body'), /typed and then lost with the tab/);
  const frame = page.frameLocator('.preview-frame');
  assert.equal(await frame.locator('h1.article-title').textContent(), 'Typed, never saved', 'the preview beside the text');
  await page.screenshot({ path: path.join(SHOTS, 'editor.png') });
});

test('two editors save the same article: the second is told and shown the difference', async () => {
  const id = sql(stack, "SELECT id FROM articles WHERE status = 'published' AND lang = 'en' ORDER BY id LIMIT 1")[0].id;
  const other = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const two = await other.newPage();
  await signIn(two, 'second');
  await page.goto(`${stack.base}/admin/articles/${id}/edit`);
  await two.goto(`${stack.base}/admin/articles/${id}/edit`);
  await page.fill('#article-body', 'The desk\'s version of the text.');
  await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
  assert.equal(await page.textContent('.form-done'), 'Saved.');
  await two.fill('#article-body', 'The second editor\'s version.');
  await Promise.all([two.waitForNavigation(), two.click('button[value="save"]')]);
  assert.match(await two.textContent('.form-error'), /Someone else saved this article after you opened it/);
  assert.equal(await two.textContent('.conflict del'), 'The desk\'s version of the text.');
  assert.equal(await two.inputValue('#article-body'), 'The second editor\'s version.', 'nothing typed is lost');
  await two.screenshot({ path: path.join(SHOTS, 'conflict.png') });
  await other.close();
});

test('bulk actions: tick every article of a filtered list and unpublish them, with a summary', async () => {
  const ids = sql(stack, "SELECT id FROM articles WHERE status = 'published' AND lang = 'ar'").map((r) => r.id);
  const cat = sql(stack, `SELECT category_id FROM articles WHERE id = ${ids[0]}`)[0].category_id;
  await page.goto(`${stack.base}/admin/articles?status=published&category=${cat}&sort=title&dir=asc`);
  const rows = await page.locator('tbody tr').count();
  await page.click('[data-select-all]');
  assert.equal(await page.locator('input[name="id"]:checked').count(), rows);
  await page.selectOption('#bulk-action', 'unpublish');
  await page.screenshot({ path: path.join(SHOTS, 'articles.png') });
  await Promise.all([page.waitForNavigation(), page.click('.bulk button[type="submit"]')]);
  assert.match(await page.textContent('.form-done'), new RegExp(`Unpublish \\(back to draft\\): ${rows} changed, 0 refused`));
  const back = await page.request.post(`${stack.base}/admin/articles/bulk`, {
    form: { csrf: await page.getAttribute('input[name="csrf"]', 'value'), action: 'publish', id: String(ids[0]) },
    headers: { Origin: stack.base }, maxRedirects: 0,
  });
  assert.equal(back.status(), 303);
});

test('a time scheduled in Tokyo appears on the site at that instant', async () => {
  assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'timezone', 'Asia/Tokyo']).status, 0);
  // The next whole minute at least 20 s away, as a Tokyo wall time.
  const at = Math.ceil((Date.now() + 20000) / 60000) * 60000;
  const tokyo = new Date(at + 9 * 3600 * 1000).toISOString().slice(0, 16);
  await page.goto(`${stack.base}/admin/articles/new`);
  await page.fill('#article-title', 'The tide turns in Tokyo time');
  await page.selectOption('#article-category', { index: 1 });
  await page.fill('#article-body', 'Scheduled from another zone.');
  await page.selectOption('#article-status', 'scheduled');
  await page.fill('#article-when', tokyo);
  await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
  assert.equal(await page.textContent('.form-done'), 'Saved.');
  assert.equal(sql(stack, "SELECT published_at FROM articles WHERE title = 'The tide turns in Tokyo time'")[0].published_at, at / 1000);
  const reader = await browser.newContext();
  const home = await reader.newPage();
  await home.goto(`${stack.base}/`);
  assert.equal(await home.locator('text=The tide turns in Tokyo time').count(), 0, 'not before its time');
  await sleep(at - Date.now() + 1500);
  await home.goto(`${stack.base}/`);
  assert.equal(await home.locator('.card-title', { hasText: 'The tide turns in Tokyo time' }).count(), 1, 'there at its time');
  await reader.close();
  assert.equal(gazette(stack, ['setting', '--db', stack.dbPath, 'timezone', 'UTC']).status, 0);
});

test('a reader without script votes and sees their own vote and a thank-you', async () => {
  const reader = await browser.newContext({ javaScriptEnabled: false });
  const p = await reader.newPage();
  const slug = sql(stack, "SELECT slug FROM articles WHERE status = 'published' AND comments_closed = 0 ORDER BY id DESC LIMIT 1")[0].slug;
  await p.goto(`${stack.base}/articles/${encodeURIComponent(slug)}`);
  assert.equal(await p.locator('#voted-4').isVisible(), false);
  await Promise.all([p.waitForNavigation(), p.click('.rating-button[value="4"]')]);
  assert.match(p.url(), /#voted-4$/);
  assert.equal(await p.locator('#voted-4').isVisible(), true);
  assert.equal(await p.textContent('#voted-4'), 'Thank you for your vote: you gave 4 stars.');
  await reader.close();
});

test('offline, the browser keeps what is typed and offers it back; Ctrl+S saves; on a phone the preview is a tab', async () => {
  const tab = await desk.newPage();
  await tab.goto(`${stack.base}/admin/articles/new`);
  await desk.setOffline(true);
  await tab.fill('#article-title', 'Written on a train');
  await tab.fill('#article-body', 'No signal between the stations.');
  await tab.waitForFunction(() => /^Offline/.test(document.querySelector('[data-autosave-status]').textContent));
  await tab.close();
  await desk.setOffline(false);
  await page.goto(`${stack.base}/admin/articles/new`);
  await page.waitForSelector('[data-local-restore]:not([hidden])');
  await page.click('[data-local-apply]');
  assert.equal(await page.inputValue('#article-title'), 'Written on a train');
  await page.selectOption('#article-category', { index: 1 });
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+S')]);
  assert.equal(await page.textContent('.form-done'), 'Saved.');
  assert.equal(sql(stack, "SELECT count(*) AS n FROM articles WHERE title = 'Written on a train'")[0].n, 1);

  const phone = await desk.newPage();
  await phone.setViewportSize({ width: 360, height: 740 });
  await phone.goto(page.url());
  assert.equal(await phone.isVisible('#article-form'), true);
  await phone.click('.editor-tab >> nth=1');
  assert.equal(await phone.isVisible('#article-form'), false, 'the text\'s tab is hidden');
  assert.equal(await phone.isVisible('.preview-frame'), true, 'the preview\'s tab is shown');
  assert.equal(await phone.getAttribute('.editor-tab >> nth=1', 'aria-selected'), 'true');
  await phone.close();
});

test('the preview beside the text follows the typing; Ctrl+Shift+P opens the preview at an address a reload only reads', async () => {
  await page.goto(`${stack.base}/admin/articles/new`);
  await page.fill('#article-title', 'Following the text');
  await page.fill('#article-body', 'First words of it.');
  const frame = page.frameLocator('.preview-frame');
  await frame.locator('h1.article-title', { hasText: 'Following the text' }).waitFor({ timeout: 15000 });
  await page.fill('#article-title', 'Following the text as it changes');
  await frame.locator('h1.article-title', { hasText: 'as it changes' }).waitFor({ timeout: 15000 });
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Shift+P')]);
  assert.match(page.url(), /\/admin\/articles\/new\?draft=1#preview$/);
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.isNavigationRequest()) posted++; });
  await page.reload();
  assert.equal(posted, 0, 'a reload sends no form');
  assert.equal(await page.inputValue('#article-title'), 'Following the text as it changes');
  assert.equal(await frame.locator('h1.article-title').textContent(), 'Following the text as it changes');
});

test('the comment queue, and no page had a console error', async () => {
  await page.goto(`${stack.base}/admin/comments?status=approved`);
  await page.screenshot({ path: path.join(SHOTS, 'comments.png') });
  assert.deepEqual(problems.filter((x) => !/beforeunload/.test(x)), []);
});
