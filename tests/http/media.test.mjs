// Pictures over HTTP, through nginx and gazette as in production: uploads
// of every accepted type, what is served (re-encoded, upright, without
// location data, cached for ever), the refusals and what they leave behind
// (nothing), the size limit at nginx and at gazette, the library's screens
// and who may change what, featured pictures and pictures in the text,
// avatars, the feed's enclosures, and the queue that survives a restart.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { ROOT, get, pictureTool } from './harness.mjs';
import {
  addUser, postSlot, signIn, sql, startSite, waitForPictures,
} from './helpers.mjs';
import { assertValid } from './validate.mjs';

const made = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-pictures-'));
pictureTool(['make', made]);
const file = (name) => fs.readFileSync(path.join(made, name));

// ---- pictures made here ----

// CRC-32 of PNG chunks.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

// A decompression bomb: a real, complete grey PNG of 10,000 x 10,000
// pixels (100 megapixels), about 100 KB compressed.
function bombPng() {
  const w = 10000;
  const h = 10000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const deflate = zlib.createDeflate({ level: 9 });
  const parts = [];
  deflate.on('data', (d) => parts.push(d));
  const row = Buffer.alloc(w + 1); // filter byte 0, then black pixels
  for (let y = 0; y < h; y++) deflate.write(row);
  return new Promise((resolve) => {
    deflate.end(() => resolve(Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr), pngChunk('IDAT', Buffer.concat(parts)), pngChunk('IEND', Buffer.alloc(0)),
    ])));
  });
}

const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';

// ---- helpers ----

// Uploads bytes as the file called name with fields, as browser b; the
// CSRF token is b's unless fields has one. json: ask for JSON (as the
// editor's script does). Resolves to {status, location, text, doc}.
async function upload(stack, b, name, bytes, fields = {}, { json = false } = {}) {
  const form = new FormData();
  form.append('csrf', fields.csrf ?? b.csrf);
  form.append('file', new Blob([bytes]), name);
  for (const [k, v] of Object.entries(fields)) if (k !== 'csrf') form.append(k, v);
  const headers = { Cookie: b.cookie, Origin: stack.base };
  if (json) headers.Accept = 'application/json';
  await postSlot();
  const res = await fetch(`${stack.base}/admin/media`, { method: 'POST', body: form, headers, redirect: 'manual' });
  const text = await res.text();
  let doc = null;
  if ((res.headers.get('content-type') || '').startsWith('application/json')) doc = JSON.parse(text);
  return { status: res.status, location: res.headers.get('location') || '', text, doc };
}

// Uploads and expects success; resolves to the new picture's id.
async function uploaded(stack, b, name, bytes, fields = { alt: `Alt of ${name}` }) {
  const r = await upload(stack, b, name, bytes, fields);
  assert.equal(r.status, 303, `${name}: ${r.status} ${r.text.slice(0, 300)}`);
  const m = /^\/admin\/media\/(\d+)\?done=uploaded$/.exec(r.location);
  assert.ok(m, `${name}: Location ${r.location}`);
  return Number(m[1]);
}

// The message of a refused upload shown on the library page.
const formError = (html) => (/<p class="form-error" role="alert">([^<]*)<\/p>/.exec(html) || [])[1] || '';

// The files, rows and queue entries of the site, to compare before and after.
function inventory(stack) {
  const list = (d) => (fs.existsSync(d) ? fs.readdirSync(d).sort() : []);
  return {
    media: list(path.join(stack.dir, 'media')),
    originals: list(path.join(stack.dir, 'originals')),
    rows: sql(stack, 'SELECT count(*) AS n FROM media')[0].n,
    queue: sql(stack, 'SELECT count(*) AS n FROM media_queue')[0].n,
  };
}

// The served files of picture id: [{name, format, width, height, bytes}].
const filesOf = (stack, id) => sql(stack, `SELECT name, format, width, height, bytes FROM media_files WHERE media_id = ${id} ORDER BY width, format`);

// Fetches /media/name through nginx; asserts it is served as a picture that
// may be cached for ever; returns what the inspector sees in it and its bytes.
async function served(stack, f) {
  const res = await fetch(`${stack.base}/media/${f.name}`);
  assert.equal(res.status, 200, `/media/${f.name}`);
  assert.equal(res.headers.get('content-type'), f.format === 'webp' ? 'image/webp' : 'image/jpeg');
  assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable, '
    + 's-maxage=86400, stale-while-revalidate=86400, stale-if-error=2592000');
  assert.equal(res.headers.get('surrogate-key'), `picture-${f.name.split('-')[0]}`, 'edges purge it by this');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.length, f.bytes, `${f.name}: the size recorded`);
  const p = path.join(made, `served-${f.name}`);
  fs.writeFileSync(p, bytes);
  return { seen: JSON.parse(pictureTool(['inspect', p])), bytes };
}

// An urlencoded form post as browser b (with its token). Resolves as b.post.
const form = (b, url, fields) => b.post(url, fields);

// The editor's fields of a new article, with more.
const articleFields = (extra) => ({
  title: 'Herons return to the harbour', slug: '', category: '1', tags: 'birds', summary: 'A pair nests again.',
  body: 'The herons are back.', lang: 'en', status: 'draft', when: '', image: '', ...extra,
});

// Saves an article through the editor; resolves to its id.
async function saveArticle(b, id, fields) {
  const r = await form(b, id ? `/admin/articles/${id}` : '/admin/articles', articleFields(fields));
  assert.equal(r.status, 303, `save: ${r.status} ${r.text.slice(0, 500)}`);
  return Number(/\/admin\/articles\/(\d+)\/edit/.exec(r.location)[1]);
}

// ---- the tests ----

describe('uploads and what is served', () => {
  let stack;
  let editor;
  before(async () => {
    stack = await startSite({ page_stale_seconds: 0 });
    addUser(stack, 'pic-editor', 'editor');
    editor = await signIn(stack, 'pic-editor');
  });
  after(async () => { await stack?.stop(); });

  const TYPES = [['photo.jpg', 'jpeg', 1600, 1067], ['alpha.png', 'png', 640, 480],
    ['still.webp', 'webp', 640, 480], ['still.gif', 'gif', 640, 480],
    ['still.avif', 'avif', 640, 480], ['still.heic', 'heic', 640, 480]];
  for (const [name, type, width, height] of TYPES) {
    test(`a ${type} picture uploads and is served in WebP and JPEG, re-encoded`, async () => {
      const id = await uploaded(stack, editor, name, file(name));
      assert.deepEqual(sql(stack, `SELECT type, width, height FROM media WHERE id = ${id}`), [{ type, width, height }]);
      await waitForPictures(stack);
      const files = filesOf(stack, id);
      assert.ok(files.some((f) => f.format === 'webp') && files.some((f) => f.format === 'jpeg'));
      assert.ok(files.every((f) => f.width <= width), 'never wider than the picture');
      for (const f of files) {
        const { seen } = await served(stack, f);
        assert.equal(seen.loader, f.format === 'webp' ? 'webpload' : 'jpegload');
        assert.deepEqual([seen.width, seen.height], [f.width, f.height]);
        assert.deepEqual(seen.metadata, [], `${f.name} carries no metadata`);
      }
      // The original is kept, but never served.
      const original = sql(stack, `SELECT original FROM media WHERE id = ${id}`)[0].original;
      assert.ok(fs.existsSync(path.join(stack.dir, 'originals', original)), 'the original is kept');
      assert.equal((await get(stack.base, `/media/${original}`)).status, 404);
      assert.equal((await get(stack.base, `/originals/${original}`)).status, 404);
    });
  }

  test('a JPEG whose EXIF orientation is 6 comes out upright', async () => {
    const id = await uploaded(stack, editor, 'sideways.jpg', file('sideways.jpg'));
    // Stored 800 x 600 on its side: shown 600 x 800, the red block top right.
    assert.deepEqual(sql(stack, `SELECT width, height FROM media WHERE id = ${id}`), [{ width: 600, height: 800 }]);
    await waitForPictures(stack);
    for (const f of filesOf(stack, id)) {
      const { seen } = await served(stack, f);
      assert.ok(seen.height > seen.width, `${f.name} is upright: ${seen.width} x ${seen.height}`);
      assert.ok(seen.red.tr > 170, `${f.name}: red top right (${seen.red.tr})`);
      assert.ok(seen.red.tl < 110 && seen.red.br < 110, `${f.name}: not top left nor bottom right`);
      assert.ok(!seen.metadata.includes('orientation'), 'no orientation left to apply twice');
    }
  });

  test('a photo carrying GPS coordinates has none in any served file', async () => {
    const raw = file('photo.jpg');
    assert.ok(raw.includes('Harbourside Camera Works'), 'the upload names its camera');
    const id = await uploaded(stack, editor, 'gps.jpg', raw);
    await waitForPictures(stack);
    const files = filesOf(stack, id);
    assert.ok(files.length >= 8, 'every size was made');
    for (const f of files) {
      const { seen, bytes } = await served(stack, f);
      assert.deepEqual(seen.metadata.filter((m) => /GPS|exif|xmp/i.test(m)), [], `${f.name}: no EXIF, GPS or XMP`);
      assert.ok(!bytes.includes('Harbourside'), `${f.name}: no camera name`);
      assert.ok(!bytes.includes('Exif'), `${f.name}: no EXIF block`);
    }
  });

  test('dot files of the media folder (files being written) are never served', async () => {
    fs.writeFileSync(path.join(stack.dir, 'media', '.tmp-half'), 'half a picture');
    const r = await get(stack.base, '/media/.tmp-half');
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.text, /half a picture/);
    fs.unlinkSync(path.join(stack.dir, 'media', '.tmp-half'));
  });

  describe('refusals leave no file, row or queue entry', () => {
    const cases = [
      ['an SVG drawing', 'drawing.svg', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 415, /not a picture Gazette accepts/],
      ['an HTML page named .jpg', 'page.jpg', () => Buffer.from(HTML), 415, /not a picture Gazette accepts/],
      ['a JPEG/HTML polyglot', 'poly.jpg', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(HTML)]), 422, /damaged or incomplete/],
      ['a PNG cut in half', 'cut.png', () => file('alpha.png').subarray(0, file('alpha.png').length / 2), 422, /damaged or incomplete/],
      ['a 100-megapixel bomb', 'bomb.png', bombPng, 413, /more pixels than the site allows \(50 megapixels\)/],
      ['an empty file', 'empty.jpg', () => Buffer.alloc(0), 400, /Choose a picture/],
    ];
    for (const [what, name, bytes, status, message] of cases) {
      test(`${what} is refused with ${status} and says why`, async () => {
        const data = await bytes();
        const before = inventory(stack);
        const page = await upload(stack, editor, name, data, { alt: 'Refused' });
        assert.equal(page.status, status, page.text.slice(0, 300));
        assert.match(formError(page.text), message, 'the library page says why');
        assert.match(page.text, /value="Refused"/, 'the form keeps what was typed');
        const script = await upload(stack, editor, name, data, { alt: 'Refused' }, { json: true });
        assert.equal(script.status, status);
        assert.match(script.doc.error, message, 'the editor\'s script is told why');
        assert.deepEqual(inventory(stack), before, 'nothing was left behind');
      });
    }
  });

  test('a body over the limit is refused with 413 by nginx before gazette sees it', async () => {
    const before = inventory(stack);
    const big = Buffer.alloc(22 * 1024 * 1024, 0x41);
    const r = await upload(stack, editor, 'huge.jpg', big, { alt: 'Huge' });
    assert.equal(r.status, 413);
    assert.match(r.text, /413 Request Entity Too Large/, 'nginx\'s own answer');
    assert.deepEqual(inventory(stack), before);
  });

  test('an upload with a wrong form token is refused and leaves nothing', async () => {
    const before = inventory(stack);
    const r = await upload(stack, editor, 'photo.jpg', file('photo.jpg'), { alt: 'x', csrf: 'f'.repeat(64) });
    assert.equal(r.status, 403);
    assert.deepEqual(inventory(stack), before);
  });
});

describe('gazette\'s own size limit, when nginx lets more through', () => {
  let stack;
  let editor;
  before(async () => {
    stack = await startSite({ upload_max_mb: 1 }, { uploadMax: '64m' });
    addUser(stack, 'pic-editor', 'editor');
    editor = await signIn(stack, 'pic-editor');
  });
  after(async () => { await stack?.stop(); });

  for (const [what, size] of [['declared far over the limit', 3 * 1024 * 1024], ['just over the limit', 1024 * 1024 + 20000]]) {
    test(`a file ${what} is refused with 413 and leaves nothing`, async () => {
      const before = inventory(stack);
      const r = await upload(stack, editor, 'big.jpg', Buffer.alloc(size, 0x42), { alt: 'Big' }, { json: true });
      assert.equal(r.status, 413);
      assert.equal(r.doc.error, 'The file is larger than the limit of 1 MB.');
      assert.deepEqual(inventory(stack), before);
    });
  }

  test('a file under the limit is accepted', async () => {
    const id = await uploaded(stack, editor, 'photo.jpg', file('photo.jpg'));
    assert.ok(id > 0);
  });
});

describe('the library, the editor and readers\' pages', () => {
  let stack;
  let editor;
  let author;
  let other;
  const ids = {};
  before(async () => {
    stack = await startSite({ page_stale_seconds: 0 });
    addUser(stack, 'pic-editor', 'editor');
    addUser(stack, 'pic-author', 'author');
    addUser(stack, 'pic-other', 'author');
    editor = await signIn(stack, 'pic-editor');
    author = await signIn(stack, 'pic-author');
    other = await signIn(stack, 'pic-other');
    ids.heron = await uploaded(stack, author, 'heron.jpg', file('photo.jpg'),
      { alt: 'A heron on the quay at dawn', caption: 'The herons came back in May.', credit: 'Photo: L. Hansen' });
    ids.noalt = await uploaded(stack, author, 'noalt.png', file('alpha.png'), { alt: '' });
    ids.gull = await uploaded(stack, editor, 'gull.webp', file('still.webp'), { alt: 'A gull over the breakwater' });
    await waitForPictures(stack);
  });
  after(async () => { await stack?.stop(); });

  // The library as JSON (the editor's picker): ids matching the query.
  async function found(b, query) {
    const r = await b.request('GET', `/admin/media?${query}`, { headers: { Accept: 'application/json' } });
    assert.equal(r.status, 200, r.text.slice(0, 200));
    return JSON.parse(r.text).data.map((x) => x.id);
  }

  test('the library finds pictures by name, alt text and caption, and filters them', async () => {
    assert.deepEqual(await found(author, 'q=heron'), [ids.heron], 'by name and alt text');
    assert.deepEqual(await found(author, 'q=came%20back%20in%20May'), [ids.heron], 'by caption');
    assert.deepEqual(await found(author, 'q=breakwater'), [ids.gull]);
    assert.deepEqual(await found(author, 'type=png'), [ids.noalt]);
    const uploader = sql(stack, "SELECT id FROM users WHERE username = 'pic-editor'")[0].id;
    assert.deepEqual(await found(author, `uploader=${uploader}`), [ids.gull]);
    const page = await author.get('/admin/media?q=heron');
    assert.match(page.text, /A heron on the quay at dawn/);
    assert.match(page.text, /<picture>/, 'thumbnails');
    assert.match((await author.get('/admin/media?q=noalt')).text, /No alt text yet/);
  });

  test('authors change their own pictures only; editors change anyone\'s', async () => {
    const page = await other.get(`/admin/media/${ids.heron}`);
    assert.equal(page.status, 200, 'every author sees the library');
    assert.doesNotMatch(page.text, /name="alt"/, 'but not the form to change it');
    assert.equal((await form(other, `/admin/media/${ids.heron}`, { alt: 'Mine now', caption: '', credit: '' })).status, 403);
    assert.equal((await form(other, `/admin/media/${ids.heron}/delete`, {})).status, 403);
    const r = await form(author, `/admin/media/${ids.noalt}`, { alt: 'Sails in the harbour', caption: 'Regatta day', credit: '' });
    assert.equal(r.status, 303, 'its uploader may');
    assert.equal(sql(stack, `SELECT alt FROM media WHERE id = ${ids.noalt}`)[0].alt, 'Sails in the harbour');
    const e = await form(editor, `/admin/media/${ids.heron}`, { alt: 'A heron on the quay at dawn', caption: 'The herons came back in May.', credit: 'Photo: L. Hansen' });
    assert.equal(e.status, 303, 'an editor may');
  });

  test('a picture without alt text cannot be placed', async () => {
    const lone = await uploaded(stack, author, 'lone.gif', file('still.gif'), { alt: '' });
    await waitForPictures(stack);
    const r = await form(author, '/admin/articles', articleFields({ image: String(lone) }));
    assert.equal(r.status, 400);
    assert.match(r.text, /The featured picture has no alt text/);
    const t = await form(author, '/admin/articles', articleFields({ body: `Text.\n\n![](/media/${lone})` }));
    assert.equal(t.status, 400);
    assert.match(t.text, /A picture in the text has no alt text/);
    const u = await form(author, '/admin/articles', articleFields({ body: 'Text.\n\n![A ghost](/media/999999)' }));
    assert.equal(u.status, 400);
    assert.match(u.text, /not in the library/);
  });

  test('an article shows its featured picture and the pictures in its text, with srcset and no layout shift', async () => {
    const id = await saveArticle(editor, null, {
      status: 'published', image: String(ids.heron), featured: '1',
      body: `The herons are back.\n\n![A gull on the wind](/media/${ids.gull} "Gulls kept away.")\n\nThey nest by the ${'quay'}.`,
    });
    ids.article = id;
    const slug = sql(stack, `SELECT slug FROM articles WHERE id = ${id}`)[0].slug;
    const page = await get(stack.base, `/articles/${slug}`);
    assert.equal(page.status, 200);
    const featured = /<figure class="article-picture">([\s\S]*?)<\/figure>/.exec(page.text)?.[1] || '';
    assert.match(featured, /<picture><source type="image\/webp" srcset="\/media\/[0-9a-f]{32}-320\.webp 320w, /);
    assert.match(featured, /<img src="\/media\/[0-9a-f]{32}-1024\.jpg" srcset="[^"]*-1600\.jpg 1600w[^"]*" sizes="[^"]+" width="1024" height="683" alt="A heron on the quay at dawn"/);
    assert.doesNotMatch(featured, /loading="lazy"/, 'the lead picture loads at once');
    assert.match(featured, /<figcaption>The herons came back in May\. <span class="credit">Photo: L\. Hansen<\/span><\/figcaption>/);
    const inText = /<div class="article-body">([\s\S]*?)<\/div>/.exec(page.text)?.[1] || '';
    assert.match(inText, /<figure class="picture"><picture>.*alt="A gull on the wind" loading="lazy"/);
    assert.match(inText, /<figcaption>Gulls kept away\.<\/figcaption>/);
    assert.match(inText, /width="640" height="480"/);
    // Featured, the home page leads with it, large; other cards are thumbnails.
    const home = await get(stack.base, '/');
    const lead = /<section class="lead-story"[\s\S]*?<\/section>/.exec(home.text)?.[0] || '';
    assert.match(lead, /class="lead-picture"/);
    assert.doesNotMatch(lead, /loading="lazy"/);
    // The API and the feed carry it.
    const api = JSON.parse((await get(stack.base, `/api/v1/articles/${id}`)).text);
    assert.equal(api.image.alt, 'A heron on the quay at dawn');
    assert.ok(api.image.sizes.every((s) => s.url.startsWith(`${stack.base}/media/`)));
    const feed = await get(stack.base, '/feed.xml');
    // The text's picture, with every address absolute (an RSS item has no
    // base address to resolve a site path against).
    const rss = (await get(stack.base, '/feed.rss')).text;
    const encoded = /<content:encoded>([\s\S]*?)<\/content:encoded>/.exec(rss)[1];
    assert.match(encoded, new RegExp(`srcset=&quot;${stack.base}/media/[0-9a-f]{32}-320\\.webp 320w, ${stack.base}/media/`));
    assert.doesNotMatch(encoded, /(href|src|srcset)=&quot;\/(?!\/)/, 'no site path left');
    const enc = /<link rel="enclosure" type="image\/jpeg" length="(\d+)" href="([^"]+)"\/>/.exec(feed.text);
    assert.ok(enc, 'the feed links the picture');
    const head = await fetch(enc[2], { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), enc[1], 'its length is the file\'s');
    assert.equal(head.headers.get('content-type'), 'image/jpeg');
    // The API's picture endpoint answers for it now that readers see it.
    const media = await get(stack.base, `/api/v1/media/${ids.heron}`);
    assert.equal(media.status, 200);
  });

  test('the feed with its enclosures passes the W3C feed validator', async (t) => {
    const shared = process.env.SHARED_DIR || path.join(ROOT, '..', 'shared');
    const tool = path.join(shared, 'tools', 'validate-feed');
    if (!fs.existsSync(tool)) {
      t.skip(`no feed validator at ${tool} (../shared is missing)`);
      return;
    }
    const feed = await get(stack.base, '/feed.xml');
    assert.match(feed.text, /<link rel="enclosure"/);
    const saved = path.join(made, 'feed.xml');
    fs.writeFileSync(saved, feed.text);
    const r = spawnSync(tool, [saved, '--base', `${stack.base}/feed.xml`], { encoding: 'utf8', timeout: 240000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  test('deleting a picture in use is refused with the articles using it; an editor replaces it everywhere', async () => {
    const r = await form(author, `/admin/media/${ids.heron}/delete`, {});
    assert.equal(r.status, 409);
    assert.match(r.text, /Herons return to the harbour/, 'the articles using it are listed');
    assert.equal(sql(stack, `SELECT count(*) AS n FROM media WHERE id = ${ids.heron}`)[0].n, 1);
    const oldFiles = filesOf(stack, ids.gull).map((f) => f.name);
    const x = await form(editor, `/admin/media/${ids.gull}/replace`, { with: String(ids.noalt) });
    assert.equal(x.status, 303, x.text.slice(0, 300));
    assert.equal(sql(stack, `SELECT count(*) AS n FROM media WHERE id = ${ids.gull}`)[0].n, 0, 'the old one is gone');
    const body = sql(stack, `SELECT body_md FROM article_bodies WHERE article_id = ${ids.article}`)[0].body_md;
    assert.match(body, new RegExp(`!\\[A gull on the wind\\]\\(/media/${ids.noalt} `), 'the text shows the new one');
    for (const name of oldFiles) {
      assert.ok(!fs.existsSync(path.join(stack.dir, 'media', name)), `${name} was removed`);
    }
    const slug = sql(stack, `SELECT slug FROM articles WHERE id = ${ids.article}`)[0].slug;
    const page = await get(stack.base, `/articles/${slug}`);
    assert.ok(page.text.includes(filesOf(stack, ids.noalt)[0].name), 'readers see the new picture at once');
  });

  test('a static page shows library pictures; one a page shows is not deleted, and a replacement rewrites the page', async () => {
    const pier = await uploaded(stack, editor, 'pier.jpg', file('photo.jpg'), { alt: 'The pier at low tide' });
    await waitForPictures(stack);
    const saved = await editor.post('/admin/pages', {
      title: 'Our harbour', slug: 'our-harbour', status: 'published', position: '0',
      body: `Where we work.\n\n![The pier at low tide](/media/${pier})\n`,
    });
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    const pageId = Number(/^\/admin\/pages\/(\d+)\/edit/.exec(saved.location)[1]);
    let shown = await get(stack.base, '/page/our-harbour');
    assert.equal(shown.status, 200);
    assert.match(shown.text, /<picture><source type="image\/webp" srcset="\/media\/[^"]+"/);
    assert.ok(shown.text.includes(filesOf(stack, pier)[0].name), 'the page shows the picture\'s own files');
    await assertValid('/page/our-harbour', shown.text);
    const refused = await form(editor, `/admin/media/${pier}/delete`, {});
    assert.equal(refused.status, 409, 'a picture a page shows is not deleted');
    assert.match(refused.text, new RegExp(`href="/admin/pages/${pageId}/edit"[^>]*>Our harbour</a> \\(in a page&#39;s text\\)`));
    const x = await form(editor, `/admin/media/${pier}/replace`, { with: String(ids.heron) });
    assert.equal(x.status, 303, x.text.slice(0, 300));
    assert.match(sql(stack, `SELECT body_src FROM pages WHERE id = ${pageId}`)[0].body_src,
      new RegExp(`\\(/media/${ids.heron}\\)`), 'the page\'s text shows the replacement');
    shown = await get(stack.base, '/page/our-harbour');
    assert.ok(shown.text.includes(filesOf(stack, ids.heron)[0].name), 'and readers see it at once');
  });

  test('an unused picture is deleted with its files, but files another picture shares stay', async () => {
    const unique = path.join(made, 'spare.jpg');
    pictureTool(['photo', unique, '700', '500', '99']);
    const id = await uploaded(stack, author, 'spare.jpg', fs.readFileSync(unique), { alt: 'Spare' });
    const twin = await uploaded(stack, author, 'twin.gif', file('still.gif'), { alt: 'Twin' });
    await waitForPictures(stack);
    const names = filesOf(stack, id).map((f) => f.name);
    const r = await form(author, `/admin/media/${id}/delete`, {});
    assert.equal(r.status, 303);
    for (const name of names) assert.equal((await get(stack.base, `/media/${name}`)).status, 404);
    // The same GIF was uploaded before (lone.gif): its files are shared.
    const shared = filesOf(stack, twin).map((f) => f.name);
    assert.equal((await form(author, `/admin/media/${twin}/delete`, {})).status, 303);
    for (const name of shared) assert.equal((await get(stack.base, `/media/${name}`)).status, 200, `${name} stays`);
  });

  test('an avatar shows in bylines, on the author\'s page and in the API', async () => {
    const r = await form(editor, '/admin/avatar', { media: String(ids.heron) });
    assert.equal(r.status, 303);
    const slug = sql(stack, `SELECT slug FROM articles WHERE id = ${ids.article}`)[0].slug;
    const page = await get(stack.base, `/articles/${slug}`);
    assert.match(page.text, /<span class="byline-avatar"><picture>/);
    const authorPage = await get(stack.base, '/author/pic-editor');
    assert.match(authorPage.text, /<div class="author-avatar"><picture>/);
    const authors = JSON.parse((await get(stack.base, '/api/v1/authors?per_page=100')).text).data;
    assert.equal(authors.find((a) => a.username === 'pic-editor').image.id, ids.heron);
  });

  test('the profile form takes the picture away and gives it back; the author\'s page follows', async () => {
    const profile = await editor.get('/admin/profile');
    assert.match(profile.text, new RegExp(`<option value="${ids.heron}" selected>`), 'the avatar is the profile\'s picture');
    const off = await form(editor, '/admin/profile', { name: 'Pic Editor', bio: '', avatar: '' });
    assert.equal(off.status, 303);
    assert.doesNotMatch((await get(stack.base, '/author/pic-editor')).text, /class="author-avatar"/);
    const on = await form(editor, '/admin/profile', { name: 'Pic Editor', bio: 'Takes the pictures.', avatar: String(ids.heron) });
    assert.equal(on.status, 303);
    const page = (await get(stack.base, '/author/pic-editor')).text;
    assert.match(page, /<div class="author-avatar"><picture>/);
    assert.match(page, /Takes the pictures\./);
  });
});

describe('the background queue', () => {
  let stack;
  let editor;
  before(async () => {
    stack = await startSite({});
    addUser(stack, 'pic-editor', 'editor');
    editor = await signIn(stack, 'pic-editor');
  });
  after(async () => { await stack?.stop(); });

  test('the upload answers with the first sizes; the others follow from the queue', async () => {
    const id = await uploaded(stack, editor, 'photo.jpg', file('photo.jpg'));
    const first = filesOf(stack, id).map((f) => f.width);
    assert.ok(first.includes(320) && first.includes(1024), `the first sizes are there at once: ${first}`);
    await waitForPictures(stack);
    const all = [...new Set(filesOf(stack, id).map((f) => f.width))];
    assert.deepEqual(all, [320, 640, 1024, 1600]);
  });

  test('work left at a stop resumes after a restart, and half-written files are swept', async () => {
    const id = sql(stack, 'SELECT max(id) AS id FROM media')[0].id;
    const rest = filesOf(stack, id).filter((f) => f.width === 640 || f.width === 1600);
    await stack.restartGazette({
      whileStopped: () => {
        for (const f of rest) fs.unlinkSync(path.join(stack.dir, 'media', f.name));
        sql(stack, `DELETE FROM media_files WHERE media_id = ${id} AND width IN (640, 1600)`);
        sql(stack, `INSERT INTO media_queue (media_id, queued_at) VALUES (${id}, 0)`);
        fs.writeFileSync(path.join(stack.dir, 'media', '.tmp-abc123'), 'half');
        fs.writeFileSync(path.join(stack.dir, 'originals', 'upload-def456'), 'half');
      },
    });
    await waitForPictures(stack);
    assert.ok(!fs.existsSync(path.join(stack.dir, 'media', '.tmp-abc123')), 'swept');
    assert.ok(!fs.existsSync(path.join(stack.dir, 'originals', 'upload-def456')), 'swept');
    for (const f of rest) assert.ok(fs.existsSync(path.join(stack.dir, 'media', f.name)), `${f.name} made again`);
    assert.equal(filesOf(stack, id).length, 8);
  });
});
