// Rating and commenting in a real browser (Debian's chromium driven
// headless by playwright-core): with script, the widget and the reply form
// work in place; without script, the plain forms post and come back.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  AWAITING, CHROMIUM_LAUNCH, RELAXED, SITE, assertCheck, norm, shown, startSite, urlOf, watchPage,
} from '../http/helpers.mjs';

const WAIT = { timeout: 10000 };

const LIVE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now() && a.lang === 'en');
// A commenter with an approved comment: the same name and email are approved at once.
const KNOWN = SITE.articles.flatMap((a) => a.comments).find((c) => c.status === 'approved');

let stack;
let browser;

before(async () => {
  // The site's address must be the one the browser uses, since posts are
  // accepted only from the site's own origin.
  stack = await startSite(RELAXED);
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Open a page in a fresh context (options go to newContext) that records
// console errors, page errors and Content Security Policy reports in the
// returned `problems` array.
async function openPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 }, ...options });
  const page = await context.newPage();
  return { context, page, problems: watchPage(page) };
}

// The figures the rating text shows: {average, count}.
async function figures(page) {
  const text = (await page.locator('#rating .rating-text').textContent()).replace(/\s+/g, ' ').trim();
  const m = /^([\d.]+) \((\d+) votes?\)$/.exec(text);
  assert.ok(m, `rating text "${text}"`);
  return { average: m[1], count: Number(m[2]) };
}

// Fill the reply form.
async function fillReply(page, { name, email, body }) {
  await page.fill('#comment-name', name);
  await page.fill('#comment-email', email);
  await page.fill('#comment-body', body);
}

test('with script, a vote updates the widget in place and is remembered', async () => {
  const a = LIVE[0];
  const { context, page, problems } = await openPage();
  try {
    await page.goto(stack.base + urlOf(a));
    await page.locator('#rating .rating-button[aria-pressed="false"]').nth(4).waitFor(WAIT);
    const before = await figures(page);
    assert.deepEqual(before, { average: shown(a.ratings), count: a.ratings.length });
    await page.evaluate(() => { window.notReloaded = true; });
    const url = page.url();

    await page.locator('#rating .rating-button[value="4"]').click();
    await page.locator('#rating .rating-button[value="4"][aria-pressed="true"]').waitFor(WAIT);
    assert.equal(page.url(), url, 'the address did not change');
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not loaded again');
    assert.deepEqual(await figures(page), { average: shown([...a.ratings, 4]), count: before.count + 1 });
    assert.deepEqual(await page.locator('#rating .rating-button').evaluateAll(
      (bs) => bs.map((b) => b.getAttribute('aria-pressed'))), ['false', 'false', 'false', 'true', 'false']);
    assert.match(await page.locator('#rating .rating-note').textContent(), /4\/5/);
    const states = await page.locator('#rating .stars .star').evaluateAll((ss) => ss.map((s) => s.className));
    assert.equal(states.length, 5, 'five stars are shown');

    await page.reload();
    await page.locator('#rating .rating-button[value="4"][aria-pressed="true"]').waitFor(WAIT);
    assert.equal((await figures(page)).count, before.count + 1);
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP reports');
  } finally {
    await context.close();
  }
});

test('with script, a comment appears in the thread without a page load', async () => {
  const a = LIVE[1];
  const { context, page, problems } = await openPage();
  try {
    await page.goto(stack.base + urlOf(a));
    await page.evaluate(() => { window.notReloaded = true; });
    const url = page.url();

    const body = `Posted in place <b>not bold</b> ${Date.now()}`;
    await fillReply(page, { name: KNOWN.name, email: KNOWN.email, body });
    await page.locator('#reply button[type="submit"]').click();
    const mine = page.locator('.comment-list li.comment', { hasText: body });
    await mine.waitFor(WAIT);
    assert.equal(page.url(), url, 'the address did not change');
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not loaded again');
    assert.equal(await mine.locator('.comment-text').textContent(), body, 'the text is shown as typed');
    assert.equal(await mine.locator('.comment-pending').count(), 0, 'an approved commenter is not held');
    assert.equal(await mine.locator('b').count(), 0, 'nothing of the comment is parsed as HTML');
    assert.equal(await page.inputValue('#comment-body'), '', 'the form is cleared');

    const held = `Waiting for a moderator ${Date.now()}`;
    await fillReply(page, { name: 'First Timer', email: `first.${Date.now()}@example.org`, body: held });
    await page.locator('#reply button[type="submit"]').click();
    const waiting = page.locator('.comment-list li.comment', { hasText: held });
    await waiting.waitFor(WAIT);
    assert.equal(norm(await waiting.locator('.comment-pending').textContent()), AWAITING);
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'still no page load');
    assert.equal(norm(await page.locator('#replying-to').textContent()), AWAITING, 'the note says so');

    // A reply: once posted, the form answers the article again.
    await page.locator('a[data-reply-to]').first().click();
    assert.match(norm(await page.locator('#replying-to').textContent()), /^Replying to /);
    const reply = `A reply in place ${Date.now()}`;
    await fillReply(page, { name: KNOWN.name, email: KNOWN.email, body: reply });
    await page.locator('#reply button[type="submit"]').click();
    await page.locator('.comment-replies li.comment', { hasText: reply }).waitFor(WAIT);
    assert.equal(norm(await page.locator('#replying-to').textContent()), 'Your comment was posted.',
      'no longer "Replying to": the next comment is not a reply');
    assert.equal(await page.inputValue('#reply input[name="parent"]'), '');

    // Refused: the reader's words, as the page without script says them.
    await fillReply(page, { name: 'Typo Reader', email: 'typo@localhost', body: 'A bad address' });
    await page.locator('#reply button[type="submit"]').click();
    await page.locator('#form-errors').waitFor(WAIT);
    assert.equal(norm(await page.locator('#form-errors').textContent()),
      'Your comment was not posted: That email address does not look right.');
    // The browser notes the refused request itself; nothing else went wrong.
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 400 .*\/comments\)$/.test(p)));

    await page.reload();
    const again = page.locator('.comment-list li.comment', { hasText: held });
    await again.waitFor(WAIT);
    assert.equal(norm(await again.locator('.comment-pending').textContent()), AWAITING,
      'after a reload the poster still sees the held comment with the note');
    assert.equal(await page.locator('.comment-list li.comment', { hasText: body }).count(), 1);
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP reports');
  } finally {
    await context.close();
  }
});

test('without script, the rating and reply forms post and come back', async () => {
  const a = LIVE[2];
  const { context, page, problems } = await openPage({ javaScriptEnabled: false });
  try {
    await page.goto(stack.base + urlOf(a));
    const before = await figures(page);
    await Promise.all([
      page.waitForURL((u) => u.pathname === urlOf(a) && u.hash === '#voted-3', WAIT),
      page.locator('#rating .rating-button[value="3"]').click(),
    ]);
    assert.deepEqual(await figures(page), { average: shown([...a.ratings, 3]), count: before.count + 1 },
      'the page shows the new figures');

    const body = `Posted by the form ${Date.now()}`;
    await fillReply(page, { name: KNOWN.name, email: KNOWN.email, body });
    await Promise.all([
      page.waitForURL((u) => u.pathname === urlOf(a) && /^#comment-\d+$/.test(u.hash), WAIT),
      page.locator('#reply button[type="submit"]').click(),
    ]);
    const id = new URL(page.url()).hash.slice(1);
    const mine = page.locator(`li#${id}`);
    assert.equal(await mine.locator('.comment-text').first().textContent(), body, 'the comment is on the page');
    assert.equal(await mine.locator('.comment-pending').count(), 0);

    const held = `Held, sent by the form ${Date.now()}`;
    await fillReply(page, { name: 'New Form Reader', email: `form.${Date.now()}@example.org`, body: held });
    await Promise.all([
      page.waitForURL((u) => u.pathname === urlOf(a) && u.search === '?pending=1' && /^#comment-\d+$/.test(u.hash), WAIT),
      page.locator('#reply button[type="submit"]').click(),
    ]);
    const heldId = new URL(page.url()).hash.slice(1);
    const waiting = page.locator(`li#${heldId}`);
    assert.equal(await waiting.locator('.comment-text').first().textContent(), held);
    assert.equal(norm(await waiting.locator('.comment-pending').first().textContent()), AWAITING);

    // A refused comment comes back at the form, its error in sight, not at
    // the top of a long page.
    await fillReply(page, { name: 'Typo Reader', email: 'typo@localhost', body: 'Sent with a bad address' });
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${urlOf(a)}/comments` && u.hash === '#reply', WAIT),
      page.locator('#reply button[type="submit"]').click(),
    ]);
    assert.equal(await page.locator('#reply #form-errors').count(), 1, 'the error heads the form the address points to');
    assert.match(await page.locator('#form-errors').textContent(), /email address/);
    assert.equal(await page.inputValue('#comment-body'), 'Sent with a bad address', 'what was typed is kept');
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 400 .*\/comments#reply\)$/.test(p)));
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP reports');
  } finally {
    await context.close();
  }
});

test('the counters still equal the votes and comments', () => {
  assertCheck(stack);
});
