// The newsroom's caches screen (/admin/cache): what an editor sees of the
// purge queue after a change (each cache, what was sent and how fast, what
// waits and why), the settings that say how answers are kept, and the
// admin's "purge everything". The site names an edge that does not
// answer, so that a failing cache shows.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { get } from './harness.mjs';
import { addUser, settle, signIn, sql, startSite } from './helpers.mjs';

// A TCP port on 127.0.0.1 that nothing listens on (a moment ago).
function closedPort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The text of the table row of cache target in the page, tags removed.
function row(text, target) {
  const m = new RegExp(`<tr data-target="${target.replace(/[.]/g, '\\.')}">([\\s\\S]*?)</tr>`).exec(text);
  assert.ok(m, `a row for ${target}`);
  return [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => x[1].replace(/<[^>]+>/g, '').trim());
}

let stack;
let edge;
let editor;
let admin;
before(async () => {
  edge = `127.0.0.1:${await closedPort()}`;
  stack = await startSite({ cache_edges: edge });
  addUser(stack, 'desk', 'editor');
  addUser(stack, 'boss', 'admin');
  editor = await signIn(stack, 'desk');
  admin = await signIn(stack, 'boss');
});
after(async () => { await stack?.stop(); });

test('an editor sees each purge sent to nginx, and the edge that does not answer', async () => {
  sql(stack, "UPDATE articles SET title = title || ' (edited)' WHERE id = 1");
  await settle(stack, { quiet: true }); // sent, and sent again

  for (let i = 0; i < 100; i++) {
    const [{ n }] = sql(stack, `SELECT count(*) AS n FROM purges WHERE target = '${edge}' AND attempts > 0`);
    if (n > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const r = await editor.get('/admin/cache');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('cache-control'), /no-store/);
  assert.match(r.text, /<h1>Caches<\/h1>/);
  assert.match(r.text, /<a href="\/admin\/cache" aria-current="page">Caches<\/a>/, 'in the menu');
  const [name, waiting, , sent, took, last, failed] = row(r.text, 'nginx');
  assert.equal(name, 'This server&#39;s nginx');
  assert.equal(waiting, '0');
  assert.ok(Number(sent) >= 3, `sent in the last hour: ${sent}`);
  assert.match(took, /^\d+ ms \/ \d+ ms$/, `time to send: ${took}`);
  assert.notEqual(last, 'never');
  assert.equal(failed, '0');
  const e = row(r.text, edge);
  assert.ok(Number(e[1]) >= 3, `the edge has purges waiting: ${e[1]}`);
  assert.match(e[7], /connect: Connection refused/, 'and says why');
  // The latest purges: the article's, sent to nginx.
  assert.match(r.text, /<td dir="ltr">nginx<\/td><td dir="ltr">article-1<\/td><td>sent<\/td>/);
  // How answers are kept.
  assert.match(r.text, /<dd dir="ltr">Surrogate-Key<\/dd>/);
  assert.match(r.text, /<dd dir="ltr">3600<\/dd>/);
  assert.ok(r.text.includes(`<dd dir="ltr">${edge}</dd>`));
  assert.doesNotMatch(r.text, /Purge everything/, 'an editor may not purge everything');
  assert.equal((await editor.post('/admin/cache', {})).status, 403);
});

test('an admin purges everything: every kept page is built again', async () => {
  await settle(stack, { quiet: true });
  await get(stack.base, '/');
  assert.equal((await get(stack.base, '/')).headers.get('x-cache'), 'HIT');
  const page = await admin.get('/admin/cache');
  assert.match(page.text, /<button type="submit" class="button">Purge everything<\/button>/);
  const r = await admin.post('/admin/cache', {});
  assert.equal(r.status, 303);
  assert.equal(r.location, '/admin/cache?done=purged');
  assert.equal((await get(stack.base, '/')).headers.get('x-cache'), 'MISS', 'forgotten before the answer');
  const done = await admin.get(r.location);
  assert.match(done.text, /Every cache was told to forget everything\./);
  assert.match(done.text, /<td dir="ltr">nginx<\/td><td dir="ltr">site<\/td><td>sent<\/td>/);
});

test('the screen speaks the site\'s language', async () => {
  const r = await admin.post('/admin/settings', {
    site_name: 'Gazette', tagline: '', language: 'ar', base_url: stack.base, api_origins: '',
    comment_moderation: 'auto', comment_max_depth: '3', rating_ip_cap: '5', comment_min_seconds: '3',
    comment_flood_seconds: '15', comment_flood_hourly: '30',
    embed_hosts: 'www.youtube.com/embed/ player.vimeo.com/video/', publisher_name: '',
    publisher_logo: '/static/logo.png', twitter_site: '', share_image: '/static/share.png',
    share_image_width: '1200', share_image_height: '630', share_image_alt: '', feed_entries: '20',
    robots_extra: '', timezone: 'UTC', small_edits_shown: 'no',
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const page = await admin.get('/admin/cache');
  assert.match(page.text, /<h1>التخزين المؤقت<\/h1>/);
  assert.match(page.text, /nginx هذا الخادم/);
  assert.match(page.text, /إزالة كل شيء/);
});
