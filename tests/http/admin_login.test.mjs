// Signing in to the newsroom: one answer for every wrong name or password,
// growing delays and a lock after repeated failures, the session cookie,
// signing out, password changes and disabled accounts ending sessions,
// answers never cached, and the CSRF and origin checks on every form.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startStack } from './harness.mjs';
import {
  Browser, FORM, PASSWORD, addUser, gazette, loopback, requestFrom, signIn, sql,
} from './helpers.mjs';

// The message of the sign-in form's error, or ''.
const loginError = (text) => (/class="form-error"[^>]*>([^<]*)</.exec(text) || [])[1] || '';

// Posts a sign-in attempt from a fresh browser.
const attempt = (stack, username, password) => new Browser(stack.base)
  .request('POST', '/admin/login', { fields: { username, password } });

describe('sign-in and sessions', () => {
  let stack;
  before(async () => {
    stack = await startStack();
    addUser(stack, 'alice', 'editor');
    addUser(stack, 'bob', 'author');
    addUser(stack, 'carol', 'author');
    addUser(stack, 'dave', 'author');
    addUser(stack, 'erin', 'editor');
  });
  after(async () => { if (stack) await stack.stop(); });
  // Every attempt here comes from one address, whose failures (kept across
  // successful sign-ins) would otherwise slow the later tests down; the
  // limits have their own tests below.
  beforeEach(() => { sql(stack, "DELETE FROM login_failures WHERE key LIKE 'ip:%'"); });

  test('a wrong password and an unknown user get the same 401 answer', async () => {
    const wrong = await attempt(stack, 'alice', 'not-the-password');
    const unknown = await attempt(stack, 'nobody-here', 'not-the-password');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.ok(loginError(wrong.text).length > 0, 'an error is shown');
    assert.equal(loginError(wrong.text), loginError(unknown.text));
    assert.doesNotMatch(wrong.text, /not-the-password/, 'the password is not echoed');
    // A success clears the failures, so that later tests start afresh.
    await signIn(stack, 'alice');
  });

  test('the session cookie is HttpOnly, SameSite=Strict, Path=/admin', async () => {
    const res = await fetch(`${stack.base}/admin/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': FORM, Origin: stack.base },
      body: new URLSearchParams({ username: 'alice', password: PASSWORD }).toString(),
    });
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gz_session='));
    assert.ok(cookie, 'a session cookie is set');
    const attrs = cookie.split(';').map((s) => s.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'));
    assert.ok(attrs.includes('samesite=strict'));
    assert.ok(attrs.includes('path=/admin'));
  });

  test('admin answers carry Cache-Control: no-store', async () => {
    const b = await signIn(stack, 'alice');
    const anon = new Browser(stack.base);
    for (const r of [await anon.get('/admin/login'), await anon.get('/admin'),
      await b.get('/admin'), await b.get('/admin/password'), await b.get('/admin/tags'),
      await b.post('/admin/password', { current: 'x', new: 'y', again: 'y' })]) {
      assert.match(r.headers.get('cache-control') || '', /no-store/);
    }
  });

  test('signing out ends the session: the old cookie no longer works', async () => {
    const b = await signIn(stack, 'alice');
    const old = b.cookie;
    const out = await b.post('/admin/logout');
    assert.equal(out.status, 303);
    assert.match(out.location, /^\/admin\/login/);
    const again = new Browser(stack.base);
    again.cookie = old;
    const r = await again.get('/admin');
    assert.equal(r.status, 303);
    assert.match(r.location, /^\/admin\/login/);
  });

  test('changing one\'s password ends the other sessions and keeps this one', async () => {
    const here = await signIn(stack, 'bob');
    const there = await signIn(stack, 'bob');
    const r = await here.post('/admin/password', {
      current: PASSWORD, new: 'a-new-password-1', again: 'a-new-password-1',
    });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal((await here.get('/admin')).status, 200, 'this session goes on');
    const other = await there.get('/admin');
    assert.equal(other.status, 303, 'the other session ended');
    assert.match(other.location, /^\/admin\/login/);
    assert.equal((await attempt(stack, 'bob', PASSWORD)).status, 401);
    await signIn(stack, 'bob', 'a-new-password-1');
  });

  test('`gazette user passwd` ends all the user\'s sessions', async () => {
    const b = await signIn(stack, 'carol');
    const r = gazette(stack, ['user', '--db', stack.dbPath, 'passwd', 'carol'], 'another-password-2\n');
    assert.equal(r.status, 0, r.stderr);
    const after = await b.get('/admin');
    assert.equal(after.status, 303);
    assert.match(after.location, /^\/admin\/login/);
    await signIn(stack, 'carol', 'another-password-2');
  });

  test('a disabled user cannot sign in and their sessions stop working', async () => {
    const b = await signIn(stack, 'dave');
    const r = gazette(stack, ['user', '--db', stack.dbPath, 'disable', 'dave']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await b.get('/admin')).status, 303);
    const post = await b.post('/admin/password', { current: PASSWORD, new: 'x'.repeat(12), again: 'x'.repeat(12) });
    assert.equal(post.status, 401);
    const refused = await attempt(stack, 'dave', PASSWORD);
    assert.equal(refused.status, 401);
    assert.equal(loginError(refused.text), loginError((await attempt(stack, 'dave', 'wrong-password')).text));
    await signIn(stack, 'alice'); // clears the address's failures
  });

  test('CSRF: a form without the token, with another session\'s, or from another site gets 403', async () => {
    const b = await signIn(stack, 'erin');
    const other = await signIn(stack, 'alice');
    const fields = { current: PASSWORD, new: 'erins-new-password', again: 'erins-new-password' };
    const none = await b.request('POST', '/admin/password', { fields });
    assert.equal(none.status, 403);
    const foreign = await b.post('/admin/password', { ...fields, csrf: other.csrf });
    assert.equal(foreign.status, 403);
    const cross = await b.post('/admin/password', fields, { Origin: 'http://evil.example' });
    assert.equal(cross.status, 403);
    const crossSite = await b.post('/admin/password', fields, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const login = await new Browser(stack.base).request('POST', '/admin/login', {
      fields: { username: 'erin', password: PASSWORD }, headers: { Origin: 'http://evil.example' },
    });
    assert.equal(login.status, 403, 'signing in from another site is refused');
    // Nothing changed: the old password still works.
    await signIn(stack, 'erin');
  });
});

describe('login limits', () => {
  let stack;
  before(async () => {
    stack = await startStack();
    addUser(stack, 'mallory', 'author');
  });
  after(async () => { if (stack) await stack.stop(); });

  // Moves the failures' time back, as if their delay had passed.
  const waitOut = () => sql(stack, 'UPDATE login_failures SET last_at = last_at - 1000');

  test('after 3 failures a delay applies, even with the right password', async () => {
    // The delay counts in whole seconds from the last failure. On a slow
    // machine it may have run out before the next try arrives: the Date of
    // the answer tells, and the round is tried again with another account.
    for (let round = 0; round < 5; round++) {
      const name = `slow${round}`;
      addUser(stack, name, 'author');
      // The address's failures from an earlier round stay (a sign-in does
      // not wipe them); each round starts the address afresh.
      sql(stack, "DELETE FROM login_failures WHERE key LIKE 'ip:%'");
      for (let i = 0; i < 3; i++) assert.equal((await attempt(stack, name, 'wrong')).status, 401);
      const last = sql(stack, `SELECT last_at FROM login_failures WHERE key = 'user:${name}'`)[0].last_at;
      const r = await attempt(stack, name, PASSWORD);
      if (r.status === 429) {
        assert.match(r.headers.get('retry-after') || '', /^[1-9][0-9]*$/);
        assert.match(loginError(r.text), /[0-9]+ seconds/);
        return;
      }
      assert.equal(r.status, 303);
      const served = Math.floor(Date.parse(r.headers.get('date')) / 1000);
      assert.ok(served > last, 'signed in while the delay still ran');
    }
    assert.fail('the delay ran out before every try: the machine is too slow to tell');
  });

  test('signing in to one\'s own account does not wipe the address\'s failures on others', async () => {
    sql(stack, 'DELETE FROM login_failures');
    addUser(stack, 'guesser', 'author');
    for (let n = 0; n < 2; n++) {
      waitOut();
      assert.equal((await attempt(stack, 'mallory', 'wrong')).status, 401);
    }
    waitOut();
    assert.equal((await attempt(stack, 'guesser', PASSWORD)).status, 303);
    const ip = sql(stack, "SELECT failures FROM login_failures WHERE key LIKE 'ip:%'");
    assert.deepEqual(ip.map((r) => Number(r.failures)), [2], 'the two failures on mallory stay');
    assert.deepEqual(sql(stack, "SELECT key FROM login_failures WHERE key = 'user:guesser'"), [],
      'the account signed in to starts afresh');
  });

  test('after 10 failures the address is locked: the right password is refused', async () => {
    // The address starts afresh (the test before counted failures on it).
    sql(stack, "DELETE FROM login_failures WHERE key LIKE 'ip:%'");
    for (let n = 0; n < 10; n++) {
      waitOut();
      assert.equal((await attempt(stack, 'mallory', 'wrong')).status, 401, `failure ${n + 1}`);
    }
    waitOut();
    const r = await attempt(stack, 'mallory', PASSWORD);
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 60, 'locked for minutes');
    // The same address is refused for another account too.
    assert.equal((await attempt(stack, 'someone-else', PASSWORD)).status, 429);
    // The account itself is only slowed down, never locked, so nobody can
    // lock its owner out: from a fresh address, after the account's short
    // delay (at most 8 s), the right password works.
    sql(stack, "DELETE FROM login_failures WHERE key LIKE 'ip:%'");
    waitOut();
    assert.equal((await attempt(stack, 'mallory', 'wrong')).status, 401);
    const delayed = await attempt(stack, 'mallory', PASSWORD);
    assert.equal(delayed.status, 429);
    assert.ok(Number(delayed.headers.get('retry-after')) <= 8, 'an account waits seconds, not minutes');
    waitOut();
    assert.equal((await attempt(stack, 'mallory', PASSWORD)).status, 303);
  });
});

describe('a guesser spread over many addresses', () => {
  let stack;
  before(async () => {
    stack = await startStack();
    addUser(stack, 'chief', 'admin');
  });
  after(async () => { if (stack) await stack.stop(); });

  // Posts a sign-in attempt from address `from`.
  const attemptFrom = (from, username, password) => requestFrom(stack, from, 'POST', '/admin/login', {
    headers: { 'content-type': FORM, origin: stack.base },
    body: new URLSearchParams({ username, password }).toString(),
  });

  test('the owner\'s right password from a clean address always gets in; the guessers stay slowed', async () => {
    // 30 addresses guess at the account, five at a time; between the
    // rounds its owner signs in, twice, from an address that never failed.
    const guessers = Array.from({ length: 30 }, (_, i) => loopback(i + 1));
    const owner = loopback(1000);
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.all(guessers.slice(round * 5, round * 5 + 5)
        .map((from) => attemptFrom(from, 'chief', `guess-${round}-${from}`)));
      for (const r of answers) {
        assert.ok(r.status === 401 || r.status === 429, `a guess gets 401 or 429, not ${r.status}`);
      }
      for (let n = 0; n < 2; n++) {
        const mine = await attemptFrom(owner, 'chief', PASSWORD);
        assert.equal(mine.status, 303, `round ${round}: the owner signs in (${mine.status}: ${loginError(mine.text)})`);
        assert.match(mine.headers['set-cookie']?.join(' ') || '', /gz_session=[0-9a-f]{64}/);
      }
    }
    // A sign-in forgets the account's failures. More guesses, then the
    // account's count set to six (its longest delay, 8 s, starting now, so
    // that the slow password checks cannot let it run out first): an
    // address that has failed before is held back by the account's delay
    // although its own count is far from its limit.
    await Promise.all(guessers.slice(0, 3).map((from) => attemptFrom(from, 'chief', 'another-guess')));
    sql(stack, "UPDATE login_failures SET failures = 6, last_at = unixepoch() WHERE key = 'user:chief'");
    const again = await attemptFrom(guessers[6], 'chief', 'one-more-guess');
    assert.equal(again.status, 429, 'a guesser\'s next try waits for the account\'s delay');
    assert.ok(Number(again.headers['retry-after']) >= 1 && Number(again.headers['retry-after']) <= 8);
    // Even with the right password: that address is a guesser's.
    assert.equal((await attemptFrom(guessers[7], 'chief', PASSWORD)).status, 429);
    // And the owner still gets in.
    assert.equal((await attemptFrom(owner, 'chief', PASSWORD)).status, 303);
  });
});
