// Pictures in a real browser (Debian's chromium, headless, through
// playwright-core): an editor writes an article, uploads its featured
// picture from the editor with its alt text, uploads a second one into the
// text, features and publishes it, and finds the article page showing both from srcset,
// loaded, with no console error and no security-policy violation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { pictureTool } from '../http/harness.mjs';
import { CHROMIUM_LAUNCH, PASSWORD, addUser, startSite, watchPage } from '../http/helpers.mjs';

const USER = 'picture-desk';
const made = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-browser-pictures-'));

let stack;
let browser;
let context;
let page;
let problems = [];

before(async () => {
  pictureTool(['make', made]);
  stack = await startSite({});
  addUser(stack, USER, 'editor');
  browser = await chromium.launch(CHROMIUM_LAUNCH);
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  problems = watchPage(page);
  // Violations of the security policy, as the page itself sees them.
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
  fs.rmSync(made, { recursive: true, force: true });
});

// Click the button or link located by loc and wait for the page it loads.
async function clickAndWait(loc) {
  await Promise.all([page.waitForNavigation(), loc.click()]);
}

// Uploads file from the editor's upload area with alt text, by the button
// named name; waits until the editor says it is done.
async function uploadFromEditor(file, alt, name) {
  await page.setInputFiles('#picture-file', path.join(made, file));
  await page.fill('#picture-alt', alt);
  await page.getByRole('button', { name }).click();
  await page.waitForFunction(() => /\(#\d+\)$/.test(document.querySelector('.upload-status').textContent));
}

test('upload pictures in the editor, set their alt text, publish: the article shows them', async () => {
  await page.goto(`${stack.base}/admin/articles/new`);
  await page.fill('#login-username', USER);
  await page.fill('#login-password', PASSWORD);
  await clickAndWait(page.locator('form.login-form button[type="submit"]'));
  assert.equal(new URL(page.url()).pathname, '/admin/articles/new');

  const title = 'Herons nest again by the old quay';
  await page.fill('#article-title', title);
  await page.selectOption('#article-category', { label: 'Science' });
  await page.fill('#article-summary', 'A pair returned in May.');
  await page.fill('#article-body', 'The herons are back.\n\nThey came at dawn.');
  assert.equal(await page.isVisible('[data-picture-upload]'), true, 'the script shows the upload area');

  await uploadFromEditor('photo.jpg', 'A heron standing on the quay at dawn', 'Upload as the featured picture');
  const chosen = await page.inputValue('#article-image');
  assert.match(chosen, /^\d+$/, 'the new picture is the featured one');
  assert.equal(await page.locator('[data-picture-current] img').count(), 1, 'its thumbnail shows');

  // The second goes into the text, after "The herons are back."
  await page.locator('#article-body').evaluate((el) => el.setSelectionRange(21, 21));
  await uploadFromEditor('sideways.jpg', 'Two herons on a nest', 'Upload and insert in the text');
  const body = await page.inputValue('#article-body');
  assert.match(body, /^The herons are back\.\n\n!\[Two herons on a nest\]\(\/media\/\d+\)\n\nThey came at dawn\.$/);

  await page.selectOption('#article-status', 'published');
  await page.check('#article-featured');
  await clickAndWait(page.getByRole('button', { name: 'Save' }));
  assert.equal(await page.locator('.form-done').textContent(), 'Saved.');
  await clickAndWait(page.locator('.article-links a', { hasText: 'View on the site' }));
  assert.equal(await page.locator('h1.article-title').textContent(), title);

  const featured = page.locator('figure.article-picture picture');
  const srcset = await featured.locator('source[type="image/webp"]').getAttribute('srcset');
  assert.match(srcset, /^\/media\/[0-9a-f]{32}-320\.webp 320w, \/media\/[0-9a-f]{32}-\d+\.webp \d+w/);
  const img = featured.locator('img');
  assert.equal(await img.getAttribute('alt'), 'A heron standing on the quay at dawn');
  assert.equal(await img.getAttribute('loading'), null, 'the lead picture is not lazy');
  assert.ok(Number(await img.getAttribute('width')) > 0 && Number(await img.getAttribute('height')) > 0);
  await page.waitForFunction(() => {
    const i = document.querySelector('figure.article-picture img');
    return i.complete && i.naturalWidth > 0;
  });
  assert.match(await img.evaluate((i) => i.currentSrc), /\/media\/[0-9a-f]{32}-\d+\.webp$/, 'the browser chose a WebP size');

  const inText = page.locator('.article-body picture img');
  assert.equal(await inText.getAttribute('alt'), 'Two herons on a nest');
  assert.equal(await inText.getAttribute('loading'), 'lazy');
  await inText.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const i = document.querySelector('.article-body picture img');
    return i.complete && i.naturalWidth > 0;
  });
  // Upright: shown taller than wide.
  const box = await inText.boundingBox();
  assert.ok(box.height > box.width, `upright: ${box.width} x ${box.height}`);
  await page.screenshot({ path: path.join(stack.dir, 'media-article.png'), fullPage: true });

  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no security-policy violations');
  assert.deepEqual(problems, [], 'no console errors and no page errors');
});

test('the home page leads with the new featured article and its picture', async () => {
  await page.goto(`${stack.base}/`);
  const lead = page.locator('.lead-story img');
  assert.equal(await lead.getAttribute('alt'), 'A heron standing on the quay at dawn');
  await page.waitForFunction(() => {
    const i = document.querySelector('.lead-story img');
    return i.complete && i.naturalWidth > 0;
  });
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(problems, []);
});

// Each width a reader's window may have, from a phone's to the widest:
// the card's picture is drawn from a file at least as wide as the card, not
// stretched from a smaller one (a fresh browser each time, so that nothing
// it loaded before decides).
test("a card's picture is never stretched from a smaller file", async () => {
  for (const width of [360, 700, 1000, 1100, 1400]) {
    const fresh = await browser.newContext({ viewport: { width, height: 900 } });
    const p = await fresh.newPage();
    await p.goto(`${stack.base}/search?q=herons`);
    const img = p.locator('.cards .card img');
    await img.scrollIntoViewIfNeeded();
    await p.waitForFunction(() => {
      const i = document.querySelector('.cards .card img');
      return i.complete && i.naturalWidth > 0;
    });
    // The width the chosen file's srcset entry states.
    const shown = await img.evaluate((i) => {
      const entries = [...i.closest('picture').querySelectorAll('source, img')]
        .flatMap((e) => (e.getAttribute('srcset') || '').split(','))
        .map((c) => c.trim().split(/\s+/));
      const chosen = entries.find(([url]) => url === new URL(i.currentSrc).pathname);
      return { box: i.getBoundingClientRect().width, file: chosen ? parseInt(chosen[1], 10) : 0 };
    });
    await fresh.close();
    assert.ok(shown.file >= Math.floor(shown.box),
      `at ${width}px the card is ${shown.box}px wide and its picture's file ${shown.file}px`);
  }
});
