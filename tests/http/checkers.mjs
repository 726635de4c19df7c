// Checkers written outside the project, as the tests run them: the
// sitemaps.org schemas with xmllint, and the W3C Feed Validation Service's
// checker, both from ../shared (beside the checkout; SHARED_DIR overrides
// it). A test that needs one and does not find it skips itself with the
// reason. Google's image and news extensions are checked with the schemas
// in tests/schemas, written for these tests.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';

// The shared folder beside the checkout.
export const SHARED_DIR = path.resolve(process.env.SHARED_DIR || path.join(ROOT, '..', 'shared'));

// The path of rel inside ../shared, or null when it is not there.
export function sharedFile(rel) {
  const p = path.join(SHARED_DIR, rel);
  return fs.existsSync(p) ? p : null;
}

// True when the command name runs (found on PATH).
function have(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

// The schemas to check sitemaps with, or a reason why they cannot be:
// {index, urlset} (urlset: the sitemaps.org schema with Google's image and
// news extensions for its wildcards) or {skip: reason}.
export function sitemapSchemas() {
  const sitemap = sharedFile('schemas/sitemap.xsd');
  const index = sharedFile('schemas/siteindex.xsd');
  if (!sitemap || !index) return { skip: `the sitemap schemas are not in ${SHARED_DIR}/schemas` };
  if (!have('xmllint')) return { skip: 'xmllint is not installed (libxml2-utils)' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-xsd-'));
  const urlset = path.join(dir, 'sitemap-extensions.xsd');
  fs.writeFileSync(urlset, `<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
<xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="${sitemap}"/>
<xsd:import namespace="http://www.google.com/schemas/sitemap-image/1.1" schemaLocation="${path.join(ROOT, 'tests', 'schemas', 'sitemap-image.xsd')}"/>
<xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9" schemaLocation="${path.join(ROOT, 'tests', 'schemas', 'sitemap-news.xsd')}"/>
</xsd:schema>
`);
  return { index, urlset, plain: sitemap, dir };
}

// Checks the XML text against the schema with xmllint; returns {ok,
// output} (output: xmllint's complaints).
export function xmllint(schema, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-xml-'));
  const file = path.join(dir, 'doc.xml');
  fs.writeFileSync(file, text);
  const r = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

// The W3C feed checker's path, or null when ../shared lacks it.
export const feedValidator = () => sharedFile('tools/validate-feed');

// Runs the W3C feed checker on url; returns {ok (no errors), output}.
export function validateFeed(url) {
  const r = spawnSync(feedValidator(), [url], { encoding: 'utf8', timeout: 120000 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
