// Who may use which newsroom route. Every admin route is read from the
// server's route table (`gazette routes`), whose role for each must equal
// the reviewed one in MIN_ROLE below, so a new route that is not
// classified here, or a changed role, fails this test. Each route is tried as anonymous (a page
// answers 303 to the sign-in form, a form post 401 or 403), then as an
// author, an editor and an admin: the roles from its minimum up must get
// past the check (2xx, or 3xx anywhere but the sign-in form, or a 4xx
// other than 401/403 for a form that was posted empty), the others 403.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { routeTable, startStack } from './harness.mjs';
import { Browser, addUser, signIn, sql } from './helpers.mjs';

// The least role each route needs ('public': anyone). The articles' routes
// with {id} are tried on a draft of the author's own, the pictures' on a
// picture the author uploaded, the tokens' on a token of the author's (to
// anyone but its owner and admins it is not there: 404). (An upload posted as a plain form, as every
// POST here is, gets past the check and is then refused as 415.)
const MIN_ROLE = {
  'GET /admin': 'author',
  'GET /admin/login': 'public',
  'POST /admin/login': 'public',
  'POST /admin/logout': 'author',
  'GET /admin/password': 'author',
  'POST /admin/password': 'author',
  'GET /admin/articles': 'author',
  'POST /admin/articles': 'author',
  'GET /admin/articles/new': 'author',
  'GET /admin/articles/{id}/edit': 'author',
  'POST /admin/articles/{id}': 'author',
  'GET /admin/articles/{id}/preview': 'author',
  'POST /admin/articles/{id}/delete': 'editor',
  'GET /admin/articles/{id}/revisions': 'author',
  'GET /admin/articles/{id}/revisions/{rid}': 'author',
  'POST /admin/articles/{id}/revisions/{rid}/restore': 'author',
  'POST /admin/articles/bulk': 'author',
  'GET /admin/profile': 'author',
  'POST /admin/profile': 'author',
  'POST /admin/autosave': 'author',
  'GET /admin/autosave/preview': 'author',
  'POST /admin/autosave/discard': 'author',
  'GET /admin/categories': 'editor',
  'POST /admin/categories': 'editor',
  'GET /admin/categories/{id}': 'editor',
  'POST /admin/categories/{id}': 'editor',
  'POST /admin/categories/{id}/delete': 'editor',
  'GET /admin/pages': 'editor',
  'POST /admin/pages': 'editor',
  'GET /admin/pages/new': 'editor',
  'GET /admin/pages/{id}/edit': 'editor',
  'POST /admin/pages/{id}': 'editor',
  'POST /admin/pages/{id}/delete': 'editor',
  'GET /admin/tags': 'editor',
  'POST /admin/tags': 'editor',
  'GET /admin/tags/{id}': 'editor',
  'POST /admin/tags/{id}': 'editor',
  'POST /admin/tags/{id}/delete': 'editor',
  'GET /admin/comments': 'editor',
  'POST /admin/comments': 'editor',
  'POST /admin/comments/{id}': 'editor',
  'POST /admin/comments/{id}/reply': 'editor',
  'POST /admin/comments/{id}/edit': 'editor',
  'GET /admin/media': 'author',
  'POST /admin/media': 'author',
  'GET /admin/media/{id}': 'author',
  'POST /admin/media/{id}': 'author',
  'POST /admin/media/{id}/delete': 'author',
  'POST /admin/media/{id}/replace': 'editor',
  'POST /admin/avatar': 'author',
  'GET /admin/users': 'admin',
  'POST /admin/users': 'admin',
  'GET /admin/users/{id}': 'admin',
  'POST /admin/users/{id}/role': 'admin',
  'POST /admin/users/{id}/state': 'admin',
  'POST /admin/users/{id}/password': 'admin',
  'GET /admin/users/{id}/profile': 'admin',
  'POST /admin/users/{id}/profile': 'admin',
  'GET /admin/settings': 'admin',
  'POST /admin/settings': 'admin',
  'GET /admin/cache': 'editor',
  'POST /admin/cache': 'admin',
  'GET /admin/tokens': 'author',
  'POST /admin/tokens': 'author',
  'POST /admin/tokens/{id}/revoke': 'author',
  'GET /admin/webhooks': 'admin',
  'POST /admin/webhooks': 'admin',
  'GET /admin/webhooks/{id}': 'admin',
  'POST /admin/webhooks/{id}': 'admin',
  'POST /admin/webhooks/{id}/delete': 'admin',
  'POST /admin/webhooks/{id}/deliveries/{did}/redeliver': 'admin',
};
const ROLES = ['author', 'editor', 'admin'];

// Every admin route of the table, as 'METHOD /pattern' (types dropped:
// {id:int} is {id}), with the role the table gives it.
const TABLE = routeTable().filter((r) => r.pattern.startsWith('/admin'))
  .map((r) => ({ key: `${r.method} ${r.pattern.replace(/:int\}/g, '}')}`, role: r.role === 'anyone' ? 'public' : r.role }));
const routesInSource = () => TABLE.map((r) => r.key);

let stack;
let seq = 0;
let ids;

// Runs a statement returning one row's id.
const insertId = (q) => sql(stack, q)[0].id;

// Makes what a route with {id} works on: a fresh one for a delete route
// (so that a success does not take it from the roles tried after), else
// the shared one. Returns the path with {id} and {rid} filled in.
function fillPath(pattern) {
  const fresh = pattern.endsWith('/delete');
  const now = Math.floor(Date.now() / 1000);
  let id = '';
  let rid = ids.revision;
  if (pattern.startsWith('/admin/articles/')) {
    id = ids.article;
    if (fresh) {
      seq += 1;
      id = insertId(`INSERT INTO articles (slug, title, category_id, author_id, status, created_at, updated_at)
        VALUES ('perm-${seq}', 'Permission ${seq}', ${ids.category}, ${ids.author}, 'draft', ${now}, ${now}) RETURNING id`);
      rid = insertId(`INSERT INTO revisions (article_id, user_id, title, summary, body_md, created_at)
        VALUES (${id}, ${ids.author}, 'Permission ${seq}', '', 'Text.', ${now}) RETURNING id`);
    }
  } else if (pattern.startsWith('/admin/categories/')) {
    id = fresh ? insertId(`INSERT INTO categories (slug, name) VALUES ('perm-cat-${++seq}', 'Perm ${seq}') RETURNING id`)
      : ids.category;
  } else if (pattern.startsWith('/admin/pages/')) {
    id = fresh ? insertId(`INSERT INTO pages (slug, title, created_at, updated_at)
      VALUES ('perm-page-${++seq}', 'Perm ${seq}', ${now}, ${now}) RETURNING id`) : ids.page;
  } else if (pattern.startsWith('/admin/tags/')) {
    id = fresh ? insertId(`INSERT INTO tags (slug, name) VALUES ('perm-tag-${++seq}', 'Perm ${seq}') RETURNING id`)
      : ids.tag;
  } else if (pattern.startsWith('/admin/media/')) {
    id = fresh ? insertId(`INSERT INTO media (uploader_id, filename, type, digest, original, width, height, bytes, created_at, updated_at)
      VALUES (${ids.author}, 'perm-${++seq}.jpg', 'jpeg', 'perm', 'perm.jpeg', 10, 10, 1, ${now}, ${now}) RETURNING id`)
      : ids.media;
  } else if (pattern.startsWith('/admin/comments/')) {
    id = ids.comment;
  } else if (pattern.startsWith('/admin/users/')) {
    id = ids.user;
  } else if (pattern.startsWith('/admin/tokens/')) {
    id = ids.token;
  } else if (pattern.startsWith('/admin/webhooks/')) {
    id = fresh ? insertId(`INSERT INTO webhooks (url, events, secret, created_at, updated_at)
      VALUES ('https://hooks.example.org/perm-${++seq}', 'article.published', 'perm', ${now}, ${now}) RETURNING id`)
      : ids.webhook;
  }
  const filled = pattern.replace('{id}', String(id)).replace('{rid}', String(rid))
    .replace('{did}', String(ids.delivery));
  assert.doesNotMatch(filled, /[{}]/, `no value for a parameter of ${pattern}`);
  return filled;
}

// Sends the route's request as browser b: a POST carries only the
// session's CSRF token (and, to an article, status=draft, which an author
// may set). Signing out uses a session of its own.
async function tryRoute(b, method, urlPath, role) {
  if (urlPath === '/admin/logout' && role) b = await signIn(stack, role);
  if (method === 'GET') return b.get(urlPath);
  return b.post(urlPath, urlPath.startsWith('/admin/articles') ? { status: 'draft' } : {});
}

// True when the answer got past the permission check. (The check answers
// a page with 303 to the sign-in form, a post with 401 or 403; a post may
// well answer 303 to the sign-in form itself, as signing out does.)
function passed(method, r) {
  if ([401, 403].includes(r.status) || r.status >= 500) return false;
  if (method === 'POST') return true;
  if (r.status >= 300 && r.status < 400) return !/^\/admin\/login/.test(r.location);
  return r.status === 200;
}

before(async () => {
  stack = await startStack();
  for (const role of ROLES) addUser(stack, `perm-${role}`, role);
  addUser(stack, 'perm-target', 'author');
  const now = Math.floor(Date.now() / 1000);
  const user = (n) => sql(stack, `SELECT id FROM users WHERE username = '${n}'`)[0].id;
  ids = {
    author: user('perm-author'),
    user: user('perm-target'),
    category: sql(stack, "SELECT id FROM categories WHERE slug = 'world'")[0].id,
    tag: sql(stack, "SELECT id FROM tags WHERE slug = 'climate'")[0].id,
    comment: sql(stack, 'SELECT min(id) AS id FROM comments')[0].id,
  };
  ids.page = insertId(`INSERT INTO pages (slug, title, created_at, updated_at)
    VALUES ('perm-page', 'A page', ${now}, ${now}) RETURNING id`);
  ids.media = insertId(`INSERT INTO media (uploader_id, filename, type, digest, original, width, height, bytes, created_at, updated_at)
    VALUES (${ids.author}, 'perm.jpg', 'jpeg', 'perm', 'perm.jpeg', 10, 10, 1, ${now}, ${now}) RETURNING id`);
  ids.article = insertId(`INSERT INTO articles (slug, title, category_id, author_id, status, created_at, updated_at)
    VALUES ('perm-own-draft', 'Own draft', ${ids.category}, ${ids.author}, 'draft', ${now}, ${now}) RETURNING id`);
  ids.revision = insertId(`INSERT INTO revisions (article_id, user_id, title, summary, body_md, created_at)
    VALUES (${ids.article}, ${ids.author}, 'Own draft', '', 'Text.', ${now}) RETURNING id`);
  ids.token = insertId(`INSERT INTO api_tokens (user_id, name, selector, secret_hash, scope, created_at, expires_at)
    VALUES (${ids.author}, 'Perm', '0123456789abcdef', zeroblob(32), 'write', ${now}, ${now + 86400}) RETURNING id`);
  ids.webhook = insertId(`INSERT INTO webhooks (url, events, secret, active, created_at, updated_at)
    VALUES ('https://hooks.example.org/perm', 'article.published', 'perm', 0, ${now}, ${now}) RETURNING id`);
  ids.delivery = insertId(`INSERT INTO webhook_deliveries (webhook_id, event, data, state, next_at, give_up_at, created_at)
    VALUES (${ids.webhook}, 'article.published', '{}', 'failed', ${now}, ${now}, ${now}) RETURNING id`);
});
after(async () => { if (stack) await stack.stop(); });

test('every admin route of the table has the role reviewed in this test', () => {
  const routes = routesInSource();
  assert.ok(routes.length >= Object.keys(MIN_ROLE).length - 2, 'the route table was read');
  const unknown = routes.filter((r) => !(r in MIN_ROLE));
  assert.deepEqual(unknown, [], 'routes to classify in MIN_ROLE');
  const gone = Object.keys(MIN_ROLE).filter((r) => !routes.includes(r));
  assert.deepEqual(gone, [], 'routes in MIN_ROLE that the table no longer has');
  const differ = TABLE.filter((r) => MIN_ROLE[r.key] !== r.role).map((r) => `${r.key}: ${r.role}`);
  assert.deepEqual(differ, [], 'routes whose role in the table differs from the reviewed one');
});

test('anonymous requests are sent to the sign-in form or refused', async () => {
  const anon = new Browser(stack.base);
  for (const route of routesInSource()) {
    if (MIN_ROLE[route] === 'public') continue;
    const [method, pattern] = route.split(' ');
    const r = await tryRoute(anon, method, fillPath(pattern), null);
    if (method === 'GET') {
      assert.equal(r.status, 303, route);
      assert.match(r.location, /^\/admin\/login\?next=/, route);
    } else {
      assert.ok([401, 403].includes(r.status), `${route}: ${r.status}`);
    }
  }
});

test('the sign-in routes are open to anyone', async () => {
  const anon = new Browser(stack.base);
  assert.equal((await anon.get('/admin/login')).status, 200);
  const r = await anon.post('/admin/login', {});
  assert.ok(r.status !== 403 && r.status < 500, `POST /admin/login: ${r.status}`);
});

for (const role of ROLES) {
  test(`as ${role}, exactly the routes for ${role}s and below get through`, async () => {
    const b = await signIn(stack, `perm-${role}`);
    const problems = [];
    for (const route of routesInSource()) {
      const need = MIN_ROLE[route];
      if (!need || need === 'public') continue;
      const [method, pattern] = route.split(' ');
      const r = await tryRoute(b, method, fillPath(pattern), `perm-${role}`);
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(need);
      if (allowed && !passed(method, r)) problems.push(`${route}: ${r.status} ${r.location}`);
      if (!allowed && r.status !== 403) problems.push(`${route}: ${r.status}, expected 403`);
    }
    assert.deepEqual(problems, []);
    assert.equal((await b.get('/admin')).status, 200, 'the session is still good');
  });
}
