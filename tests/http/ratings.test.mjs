// "Rate this post": what a reader (with or without script) and an app get
// when they vote, and what the site refuses. Every write is followed by
// `gazette check`, which compares each article's counters with the votes.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from './harness.mjs';
import {
  EVIL, FORM, RELAXED, SITE, assertCheck, post, settle, shown, sleep, sql, startSite,
} from './helpers.mjs';

// Demo articles that readers can see, in loading order (their ids are 1..n
// in the order of demo/site.json).
const LIVE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .filter((a) => ['published', 'scheduled'].includes(a.status) && Date.parse(a.published_at) <= Date.now());
const DRAFT = SITE.articles.map((a, i) => ({ ...a, id: i + 1 })).find((a) => a.status === 'draft');

// The gz_visitor cookie set by an answer as {pair, attrs}, or null.
function visitorCookie(res) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('gz_visitor='));
  if (!line) return null;
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  return { pair, attrs };
}

// Vote through the form; resolves to the answer.
const voteForm = (stack, a, stars, opts) =>
  post(stack, `/articles/${encodeURIComponent(a.slug)}/rating`, `stars=${stars}`, opts);

// Vote through the API; resolves to the answer.
const voteApi = (stack, a, body, opts = {}) =>
  post(stack, `/api/v1/articles/${a.id}/rating`, typeof body === 'string' ? body : JSON.stringify(body),
    { type: 'application/json', ...opts });

// The figures the article page shows: {average, count} from the rating text.
async function pageFigures(stack, a) {
  const r = await get(stack.base, `/articles/${encodeURIComponent(a.slug)}`);
  assert.equal(r.status, 200, `article page ${a.slug}`);
  const text = /<p class="rating-text">([\s\S]*?)<\/p>/.exec(r.text);
  assert.ok(text, 'the page has the rating text');
  const m = /<bdi class="rating-average">([^<]*)<\/bdi>\s*\(<bdi>(\d+) votes?<\/bdi>\)/.exec(text[1]);
  assert.ok(m, `the rating text shows an average and a count: ${text[1].trim()}`);
  return { average: m[1], count: Number(m[2]) };
}

// The votes on article a in the database: {count, sum}.
function dbVotes(stack, a) {
  const [row] = sql(stack, `SELECT count(*) AS count, coalesce(sum(stars), 0) AS sum FROM ratings WHERE article_id = ${a.id}`);
  return row;
}

// Assert a problem+json answer with status.
function assertProblem(r, status, what) {
  assert.equal(r.status, status, `${what}: status (body ${r.text.slice(0, 200)})`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `${what}: content type`);
  const p = JSON.parse(r.text);
  assert.equal(p.status, status, `${what}: problem status`);
  assert.equal(typeof p.detail, 'string', `${what}: problem detail`);
  return p;
}

// Assert an HTML page with status.
function assertHtml(r, status, what) {
  assert.equal(r.status, status, `${what}: status`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: content type`);
  assert.match(r.text, /^<!DOCTYPE html>/i, `${what}: a full page`);
}

describe('votes with every guard relaxed', () => {
  let stack;
  before(async () => { stack = await startSite(RELAXED); });
  after(async () => { await stack?.stop(); });

  test('a form vote answers 303 to the rating\'s thanks for that vote and sets an HttpOnly, SameSite=Lax visitor cookie', async () => {
    const a = LIVE[2];
    const r = await voteForm(stack, a, 4);
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/articles/${encodeURIComponent(a.slug)}#voted-4`);
    const c = visitorCookie(r);
    assert.ok(c, 'a gz_visitor cookie is set');
    assert.match(c.pair, /^gz_visitor=[0-9a-f]{32}$/);
    assert.ok(c.attrs.includes('HttpOnly'), 'HttpOnly');
    assert.ok(c.attrs.includes('SameSite=Lax'), 'SameSite=Lax');
    assert.ok(c.attrs.includes('Path=/'), 'Path=/');
    assertCheck(stack);
  });

  test('the page then shows the new average with one decimal, and the count', async () => {
    const a = LIVE[3];
    const stars = [...a.ratings];
    const before = await pageFigures(stack, a);
    assert.deepEqual(before, { average: shown(stars), count: stars.length });
    const r = await voteForm(stack, a, 1);
    assert.equal(r.status, 303);
    stars.push(1);
    assert.deepEqual(await pageFigures(stack, a), { average: shown(stars), count: stars.length });
    assertCheck(stack);
  });

  test('voting again with the same cookie changes the vote; a second reader adds one', async () => {
    const a = LIVE[4];
    const stars = [...a.ratings];
    const first = await voteForm(stack, a, 5);
    assert.equal(first.status, 303);
    const cookie = visitorCookie(first).pair;
    stars.push(5);
    assert.deepEqual(await pageFigures(stack, a), { average: shown(stars), count: stars.length });

    const again = await voteForm(stack, a, 1, { cookie });
    assert.equal(again.status, 303);
    assert.equal(visitorCookie(again), null, 'a known reader gets no new cookie');
    stars[stars.length - 1] = 1;
    const changed = await pageFigures(stack, a);
    assert.equal(changed.count, a.ratings.length + 1, 'the count is unchanged');
    assert.equal(changed.average, shown(stars), 'the average follows the changed vote');
    assert.notEqual(changed.average, shown([...a.ratings, 5]), 'the average changed');
    const voter = cookie.split('=')[1];
    assert.deepEqual(sql(stack, `SELECT stars FROM ratings WHERE article_id = ${a.id} AND voter = '${voter}'`),
      [{ stars: 1 }]);

    const second = await voteForm(stack, a, 2);
    assert.equal(second.status, 303);
    assert.notEqual(visitorCookie(second).pair, cookie, 'the second reader is someone else');
    stars.push(2);
    assert.deepEqual(await pageFigures(stack, a), { average: shown(stars), count: stars.length });
    assertCheck(stack);
  });

  test('the JSON API answers the figures and the reader\'s own vote', async () => {
    const a = LIVE[5];
    const stars = [...a.ratings];
    const r = await voteApi(stack, a, { stars: 3 });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.match(r.headers.get('cache-control') || '', /no-store/, 'a reader\'s answer is not cached');
    const cookie = visitorCookie(r).pair;
    stars.push(3);
    const body = JSON.parse(r.text);
    assert.equal(body.count, stars.length);
    assert.equal(body.average.toFixed(1), shown(stars));
    assert.equal(body.your_vote, 3);

    const again = JSON.parse((await voteApi(stack, a, { stars: 5 }, { cookie })).text);
    stars[stars.length - 1] = 5;
    assert.equal(again.count, stars.length, 'changing the vote keeps the count');
    assert.equal(again.average.toFixed(1), shown(stars));
    assert.equal(again.your_vote, 5);

    const mine = await get(stack.base, `/api/v1/articles/${a.id}/rating`, { headers: { cookie } });
    assert.equal(mine.status, 200);
    assert.match(mine.headers.get('cache-control') || '', /no-store|private/);
    const m = JSON.parse(mine.text);
    assert.deepEqual([m.count, m.average.toFixed(1), m.your_vote], [stars.length, shown(stars), 5]);

    const anon = await get(stack.base, `/api/v1/articles/${a.id}/rating`);
    assert.equal(anon.status, 200);
    const n = JSON.parse(anon.text);
    assert.equal(n.count, stars.length);
    assert.equal(n.your_vote, null, 'without a cookie your_vote is null');
    assert.equal(visitorCookie(anon), null, 'reading the figures sets no cookie');
    assertCheck(stack);
  });

  test('bad votes through the API are refused with the right status, and nothing is written', async () => {
    const a = LIVE[6];
    const before = dbVotes(stack, a);
    const cases = [
      ['stars 0', { stars: 0 }, 400, 'stars'],
      ['stars 6', { stars: 6 }, 400, 'stars'],
      ['stars 2.5', { stars: 2.5 }, 400, 'stars'],
      ['stars "3"', { stars: '3' }, 400, 'stars'],
      ['stars null', { stars: null }, 400, 'stars'],
      ['stars missing', {}, 400, 'stars'],
      ['a member a vote does not take', { stars: 3, star: 4 }, 400, 'star'],
      ['a body that is not JSON', 'stars=3', 400],
      ['a JSON array', '[3]', 400],
      ['an empty body', '', 400],
    ];
    for (const [what, body, status, param] of cases) {
      const p = assertProblem(await voteApi(stack, a, body), status, what);
      if (param) assert.equal(p.invalid_params?.[0]?.name, param, `${what}: names the field`);
    }
    assertProblem(await voteApi(stack, a, { stars: 3 }, { type: 'text/plain' }), 415, 'text/plain');
    assertProblem(await voteApi(stack, a, { stars: 3 }, { type: FORM }), 415, 'a form content type');
    assertProblem(await voteApi(stack, a, { stars: 3 }, { type: null }), 415, 'no content type');
    assertProblem(await voteApi(stack, { id: 999999 }, { stars: 3 }), 404, 'an unknown article');
    assertProblem(await voteApi(stack, DRAFT, { stars: 3 }), 404, 'a draft');
    for (const id of ['abc', '0', '-1', '1.5', '1e3']) {
      const p = assertProblem(await voteApi(stack, { id }, { stars: 3 }), 400, `id ${id}`);
      assert.equal(p.invalid_params?.[0]?.name, 'id');
    }
    assertProblem(await get(stack.base, '/api/v1/articles/999999/rating'), 404, 'GET an unknown article');
    assertProblem(await get(stack.base, `/api/v1/articles/${DRAFT.id}/rating`), 404, 'GET a draft');
    assertProblem(await get(stack.base, '/api/v1/articles/abc/rating'), 400, 'GET a malformed id');
    assert.deepEqual(dbVotes(stack, a), before, 'no vote was written');
    assert.deepEqual(sql(stack, `SELECT count(*) AS n FROM ratings WHERE article_id IN (999999, ${DRAFT.id})`), [{ n: 0 }]);
    assertCheck(stack);
  });

  test('bad votes through the form are refused with an HTML page, and nothing is written', async () => {
    const a = LIVE[7];
    const before = dbVotes(stack, a);
    for (const body of ['stars=0', 'stars=6', 'stars=2.5', 'stars=', 'stars=44', 'stars=%FF', 'stars=+3', 'other=1', '']) {
      const r = await post(stack, `/articles/${encodeURIComponent(a.slug)}/rating`, body);
      assertHtml(r, 400, `form body "${body}"`);
      assert.equal(visitorCookie(r), null, `form body "${body}": no cookie for a refused vote`);
    }
    assertHtml(await voteForm(stack, a, 3, { type: 'text/plain' }), 415, 'text/plain');
    assertHtml(await voteForm(stack, a, 3, { type: 'application/json' }), 415, 'JSON to the form');
    assertHtml(await voteForm(stack, { slug: 'no-such-article' }, 3), 404, 'an unknown article');
    assertHtml(await voteForm(stack, DRAFT, 3), 404, 'a draft');
    assert.deepEqual(dbVotes(stack, a), before, 'no vote was written');
    assert.deepEqual(sql(stack, `SELECT count(*) AS n FROM ratings WHERE article_id = ${DRAFT.id}`), [{ n: 0 }]);
    assertCheck(stack);
  });

  test('a vote from another site is refused with 403; one from this site is accepted', async () => {
    const a = LIVE[8];
    const before = dbVotes(stack, a);
    assertHtml(await voteForm(stack, a, 4, { origin: EVIL }), 403, 'form from evil.example');
    assertProblem(await voteApi(stack, a, { stars: 4 }, { origin: EVIL }), 403, 'API from evil.example');
    assertHtml(await voteForm(stack, a, 4, { headers: { 'sec-fetch-site': 'cross-site' } }), 403,
      'form with Sec-Fetch-Site: cross-site and no Origin');
    assertProblem(await voteApi(stack, a, { stars: 4 }, { origin: 'null', headers: { 'sec-fetch-site': 'cross-site' } }), 403,
      'API with Origin: null from another site');
    assert.deepEqual(dbVotes(stack, a), before, 'no vote was written');

    const form = await voteForm(stack, a, 4, { origin: stack.base, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(form.status, 303, 'a form vote with this site\'s Origin');
    const api = await voteApi(stack, a, { stars: 2 }, { origin: stack.base, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(api.status, 200, `an API vote with this site's Origin: ${api.text}`);
    assert.equal(JSON.parse(api.text).count, a.ratings.length + 2);
    assertCheck(stack);
  });

  test('a vote purges nginx\'s copy of a page it holds, and queues nothing for one it does not', async () => {
    const held = LIVE[11];
    const url = `/articles/${encodeURIComponent(held.slug)}`;
    await settle(stack, { quiet: true });
    await get(stack.base, url);
    assert.equal((await get(stack.base, url)).headers.get('x-cache'), 'HIT', 'nginx keeps the page');
    // Once the purger has noted the page nginx was given, an article no
    // such page shows (not even as a related one).
    const tagged = (a) => sql(stack,
      `SELECT count(*) AS n FROM cache_key_tags WHERE tag = 'article-${a.id}'`)[0].n > 0;
    for (const end = Date.now() + 5000; !tagged(held) && Date.now() < end;) await sleep(10);
    assert.ok(tagged(held), 'the page nginx keeps is noted');
    const unread = LIVE.find((a) => a !== held && sql(stack,
      `SELECT count(*) AS n FROM cache_key_tags WHERE tag = 'article-${a.id}'`)[0].n === 0);
    assert.ok(unread, 'an article nginx holds nothing of');
    const before = await pageFigures(stack, held);
    const voted = Date.now();
    assert.equal((await voteApi(stack, held, { stars: 5 })).status, 200);
    assert.equal((await voteApi(stack, unread, { stars: 5 })).status, 200);
    await settle(stack);
    const queued = (a) => sql(stack, `SELECT count(*) AS n FROM purges WHERE target = 'nginx'
      AND tag = 'article-${a.id}' AND created_ms >= ${voted}`)[0].n;
    assert.ok(queued(held) >= 1, 'the page nginx held is purged');
    assert.equal(queued(unread), 0, 'nothing is queued for a page nginx never held');
    assert.equal((await pageFigures(stack, held)).count, before.count + 1);
    assert.equal((await pageFigures(stack, unread)).count, unread.ratings.length + 1);
    assertCheck(stack);
  });
});

describe('the cap on votes from one address', () => {
  let stack;
  before(async () => { stack = await startSite({ ...RELAXED, rating_ip_cap: 2 }); });
  after(async () => { await stack?.stop(); });

  test('with rating_ip_cap 2 the third new voter from one address gets 429, and nothing is written', async () => {
    const a = LIVE[9];
    const one = await voteApi(stack, a, { stars: 5 });
    assert.equal(one.status, 200, one.text);
    const two = await voteForm(stack, a, 4);
    assert.equal(two.status, 303);
    const before = dbVotes(stack, a);
    assert.equal(before.count, a.ratings.length + 2);

    const api = await voteApi(stack, a, { stars: 1 });
    assertProblem(api, 429, 'the third voter through the API');
    assert.ok(api.headers.get('retry-after'), 'Retry-After is given');
    const form = await voteForm(stack, a, 1);
    assertHtml(form, 429, 'the third voter through the form');
    assert.deepEqual(dbVotes(stack, a), before, 'the refused votes were not written');

    const changed = await voteApi(stack, a, { stars: 3 }, { cookie: visitorCookie(one).pair });
    assert.equal(changed.status, 200, 'a reader who voted may still change the vote');
    assert.equal(JSON.parse(changed.text).count, before.count);

    const other = await voteApi(stack, LIVE[10], { stars: 1 });
    assert.equal(other.status, 200, 'the cap is per article');
    assertCheck(stack);
  });
});
