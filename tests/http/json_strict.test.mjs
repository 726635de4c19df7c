// JSON bodies are read strictly: an app that sends a body JSON does not
// allow (data after the object, a second object, a name given twice, a NUL,
// a lone surrogate, invalid UTF-8...) gets 400 with invalid_params naming
// `body` and saying why and where, and nothing is stored: the article's
// votes and the comments stay as they were.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RELAXED, SITE, assertCheck, post, sql, startSite } from './helpers.mjs';

const JSON_TYPE = 'application/json';

// A published article of the demo site, with its id.
const ARTICLE = SITE.articles
  .map((a, i) => ({ ...a, id: i + 1 }))
  .find((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());

// A comment an app may post.
const COMMENT = { name: 'Nadia Haddad', email: 'nadia@example.net', body: 'Will the gates hold?' };

// Bodies that must be refused: [what, text or bytes, byte offset named in
// the reason]. Each carries a vote of 3 stars (or a whole comment) that a
// lenient parser would have taken.
const BAD_VOTES = [
  ['data after the object', '{"stars": 3} x', 13],
  ['two objects in a row', '{"stars": 3}{"stars": 5}', 12],
  ['a name given twice', '{"stars": 1, "stars": 5}', 13],
  ['a name given twice in a nested object', '{"stars": 3, "meta": {"a": 1, "a": 2}}', 30],
  ['a raw NUL in a string', Buffer.from('{"stars": 3, "note": "a\u0000b"}'), 23],
  ['a \\u0000 escape', '{"stars": 3, "note": "a\\u0000b"}', 23],
  ['a lone high surrogate', '{"stars": 3, "note": "\\ud800"}', 22],
  ['a lone low surrogate', '{"stars": 3, "note": "x\\udc00y"}', 23],
  ['invalid UTF-8', Buffer.concat([Buffer.from('{"stars": 3, "note": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), 22],
  ['a raw control character', '{"stars": 3, "note": "a\tb"}', 23],
  ['a trailing comma', '{"stars": 3,}', 12],
  ['single quotes', "{'stars': 3}", 1],
  ['a number too large for a double', '{"stars": 3, "n": 1e400}', 18],
  ['nesting nine levels deep', '{"stars": 3, "x": [[[[[[[[1]]]]]]]]}', 25],
  ['a byte order mark', Buffer.from('\ufeff{"stars": 3}'), 0],
  ['nothing at all', '', 0],
];

// The votes and comments of the article in the database.
function stored(stack) {
  const [row] = sql(stack, `SELECT rating_count AS votes, rating_sum AS stars, (SELECT count(*) FROM ratings
    WHERE article_id = ${ARTICLE.id}) AS ballots, (SELECT count(*) FROM comments WHERE article_id = ${ARTICLE.id})
    AS comments FROM articles WHERE id = ${ARTICLE.id}`);
  return row;
}

// Assert a 400 problem whose invalid_params names body, with a reason that
// gives the byte offset.
function assertBodyRefused(r, offset, what) {
  assert.equal(r.status, 400, `${what}: status (body ${r.text.slice(0, 200)})`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `${what}: content type`);
  const p = JSON.parse(r.text);
  assert.equal(p.status, 400, `${what}: problem status`);
  assert.deepEqual(p.invalid_params.map((x) => x.name), ['body'], `${what}: invalid_params names body`);
  const reason = p.invalid_params[0].reason;
  assert.match(reason, / at byte \d+$/, `${what}: the reason says where: ${reason}`);
  assert.equal(Number(/ at byte (\d+)$/.exec(reason)[1]), offset, `${what}: the offset in "${reason}"`);
  return reason;
}

describe('strict JSON bodies', () => {
  let stack;
  before(async () => { stack = await startSite(RELAXED); });
  after(async () => { await stack?.stop(); });

  test('a vote in a body that is not strict JSON is refused with the reason and stores nothing', async () => {
    const before = stored(stack);
    const reasons = new Set();
    for (const [what, body, offset] of BAD_VOTES) {
      const r = await post(stack, `/api/v1/articles/${ARTICLE.id}/rating`, body, { type: JSON_TYPE });
      reasons.add(assertBodyRefused(r, offset, what).replace(/ at byte \d+$/, ''));
    }
    assert.ok(reasons.size >= 10, `the reasons tell the cases apart: ${[...reasons].join('; ')}`);
    assert.deepEqual(stored(stack), before, 'no vote was stored');
    assertCheck(stack);
  });

  test('the reasons name what is wrong', async () => {
    const cases = [
      ['{"stars": 1, "stars": 5}', /duplicate member name/],
      ['{"stars": 3} x', /data after the value/],
      ['{"stars": 3, "note": "a\\u0000b"}', /\\u0000/],
      ['{"stars": 3, "note": "\\ud800"}', /surrogate/],
      ['{"stars": 3, "x": [[[[[[[[1]]]]]]]]}', /nested too deeply/],
    ];
    for (const [body, reason] of cases) {
      const r = await post(stack, `/api/v1/articles/${ARTICLE.id}/rating`, body, { type: JSON_TYPE });
      assert.equal(r.status, 400, body);
      assert.match(JSON.parse(r.text).invalid_params[0].reason, reason, body);
    }
  });

  test('a comment in a body that is not strict JSON is refused and not stored', async () => {
    const before = stored(stack);
    const good = JSON.stringify(COMMENT);
    const bodies = [
      ['the comment twice', good + good, good.length],
      ['the comment then more', `${good} []`, good.length + 1],
      ['a body member given twice', `${good.slice(0, -1)}, "body": "Spam, spam"}`, good.length + 1],
      ['a NUL cutting the text short', Buffer.from(good.replace('hold?', 'hold?\u0000<a href=x>')),
        good.indexOf('hold?') + 5],
      ['a \\u0000 cutting the text short', good.replace('hold?', 'hold?\\u0000 hidden'), good.indexOf('hold?') + 5],
      ['a lone surrogate in the name', good.replace('Nadia', 'Nadia\\udfff'), good.indexOf('Nadia') + 5],
    ];
    for (const [what, body, offset] of bodies) {
      const r = await post(stack, `/api/v1/articles/${ARTICLE.id}/comments`, body, { type: JSON_TYPE });
      assertBodyRefused(r, offset, what);
    }
    assert.deepEqual(stored(stack), before, 'no comment was stored');
  });

  test('a strict body is still taken: the vote and the comment are stored', async () => {
    const before = stored(stack);
    const vote = await post(stack, `/api/v1/articles/${ARTICLE.id}/rating`, ' {"stars": 4}\r\n', { type: JSON_TYPE });
    assert.equal(vote.status, 200, vote.text.slice(0, 200));
    const made = await post(stack, `/api/v1/articles/${ARTICLE.id}/comments`,
      JSON.stringify({ ...COMMENT, body: 'Caf\u00e9 \ud83d\ude00 \u0645\u0631\u062d\u0628\u0627' }), { type: JSON_TYPE });
    assert.equal(made.status, 201, made.text.slice(0, 200));
    assert.equal(JSON.parse(made.text).body, 'Caf\u00e9 \ud83d\ude00 \u0645\u0631\u062d\u0628\u0627');
    const now = stored(stack);
    assert.equal(now.votes, before.votes + 1, 'one more vote');
    assert.equal(now.stars, before.stars + 4, 'four more stars');
    assert.equal(now.comments, before.comments + 1, 'one more comment');
    assertCheck(stack);
  });
});
