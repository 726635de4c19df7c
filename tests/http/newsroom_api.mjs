// Shared pieces of the tests of the newsroom's API (/api/v1/newsroom): API
// tokens made with the gazette command, an app that calls the API with
// one, and the newsroom's reviewed role of every route. Node built-ins only.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pictureTool } from './harness.mjs';
import { gazette, postSlot } from './helpers.mjs';

export const NR = '/api/v1/newsroom';

// The least role each route of the newsroom's API needs, as reviewed: the
// route table's must equal it (api_write.test.mjs checks).
export const API_MIN_ROLE = {
  'GET /api/v1/newsroom/me': 'author',
  'GET /api/v1/newsroom/articles': 'author',
  'POST /api/v1/newsroom/articles': 'author',
  'GET /api/v1/newsroom/articles/{id}': 'author',
  'PATCH /api/v1/newsroom/articles/{id}': 'author',
  'DELETE /api/v1/newsroom/articles/{id}': 'editor',
  'POST /api/v1/newsroom/articles/{id}/submit': 'author',
  'POST /api/v1/newsroom/articles/{id}/publish': 'editor',
  'POST /api/v1/newsroom/articles/{id}/schedule': 'editor',
  'POST /api/v1/newsroom/articles/{id}/unpublish': 'editor',
  'GET /api/v1/newsroom/articles/{id}/revisions': 'author',
  'POST /api/v1/newsroom/articles/{id}/revisions/{rid}/restore': 'author',
  'POST /api/v1/newsroom/media': 'author',
  'GET /api/v1/newsroom/media/{id}': 'author',
  'PATCH /api/v1/newsroom/media/{id}': 'author',
  'POST /api/v1/newsroom/categories': 'editor',
  'PATCH /api/v1/newsroom/categories/{id}': 'editor',
  'DELETE /api/v1/newsroom/categories/{id}': 'editor',
  'POST /api/v1/newsroom/tags': 'editor',
  'PATCH /api/v1/newsroom/tags/{id}': 'editor',
  'DELETE /api/v1/newsroom/tags/{id}': 'editor',
  'GET /api/v1/newsroom/comments': 'editor',
  'POST /api/v1/newsroom/comments/{id}/approve': 'editor',
  'POST /api/v1/newsroom/comments/{id}/spam': 'editor',
  'POST /api/v1/newsroom/comments/{id}/trash': 'editor',
  'POST /api/v1/newsroom/comments/{id}/replies': 'editor',
};

// Makes an API token for user with `gazette token create`; opts: name,
// scope, expires (days). Asserts success; returns the token's text.
export function makeToken(stack, user, { name = 'Test app', scope, expires } = {}) {
  const args = ['token', '--db', stack.dbPath, 'create', name, '--user', user];
  if (scope) args.push('--scope', scope);
  if (expires) args.push('--expires', String(expires));
  const r = gazette(stack, args);
  assert.equal(r.status, 0, `gazette token create: ${r.stderr}`);
  const token = r.stdout.trim();
  assert.match(token, /^gzt_[0-9a-f]{16}_[0-9a-f]{64}$/, 'the token printed');
  return token;
}

// Calls the API of stack as an app holding token (null: none). opts: body
// (sent as JSON, or a FormData / string as is), type (a Content-Type),
// headers. A write is paced like every POST of the tests (nginx lets an
// address send 10 a second). Resolves to {status, headers, text, doc (the
// JSON answer, or null)}.
export async function call(stack, token, method, urlPath, { body, type, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData || typeof body === 'string') payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  if (type) h['content-type'] = type;
  if (method === 'POST') await postSlot();
  const res = await fetch(stack.base + urlPath, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  const ctype = res.headers.get('content-type') || '';
  const doc = /json/.test(ctype) && text ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, text, doc };
}

// Like call, and asserts the status; returns the answer.
export async function expectCall(stack, token, method, urlPath, status, opts) {
  const r = await call(stack, token, method, urlPath, opts);
  assert.equal(r.status, status, `${method} ${urlPath}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

let pictureSeq = 0;

// A new photograph-like JPEG (w x h, different each time); returns its bytes.
export function photo(w = 640, h = 480) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-api-photo-'));
  const file = path.join(dir, 'photo.jpg');
  pictureTool(['photo', file, String(w), String(h), String(++pictureSeq * 7919)]);
  const bytes = fs.readFileSync(file);
  fs.rmSync(dir, { recursive: true, force: true });
  return bytes;
}

// The multipart form of an upload through the API: the file (bytes, called
// name) and its words.
export function uploadForm(bytes, name = 'photo.jpg', fields = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}
