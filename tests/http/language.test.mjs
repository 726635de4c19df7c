// The interface language: a site set to Arabic speaks Arabic and reads right
// to left; the default site speaks English, left to right. An article keeps
// its own language and direction whatever the interface language.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, get, startStack } from './harness.mjs';
import { SITE, urlOf } from './helpers.mjs';

const visible = SITE.articles.filter((a) => a.status === 'published' && Date.parse(a.published_at) <= Date.now());
const EN_ARTICLE = visible.find((a) => a.lang === 'en' && a.ratings?.length);
const AR_ARTICLE = visible.find((a) => a.lang === 'ar');

// The interface strings a reader sees, in each language.
const STRINGS = {
  en: {
    home: 'Home', latest: 'Latest news', rate: 'Rate this post', reply: 'Leave a reply',
    notFound: 'Page not found', months: ['November'],
    results: { qqzzyx: '0 results', boathouse: '1 result', rowing: '2 results' },
  },
  ar: {
    home: 'الرئيسية', latest: 'آخر الأخبار', rate: 'قيّم هذا المقال', reply: 'اترك تعليقاً',
    notFound: 'الصفحة غير موجودة', months: ['نوفمبر'],
    results: { qqzzyx: 'لا نتائج', boathouse: 'نتيجة واحدة', rowing: 'نتيجتان' },
  },
};

// The <html> start tag of a page.
function htmlTag(text) {
  const m = /<html\b[^>]*>/.exec(text);
  assert.ok(m, 'an <html> element');
  return m[0];
}

// Checks for a stack whose interface language is lang.
function languageSuite(lang, settings) {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const t = STRINGS[lang];
  const other = STRINGS[lang === 'ar' ? 'en' : 'ar'];
  let stack;

  before(async () => {
    stack = await startStack({ settings });
  });

  after(async () => {
    await stack?.stop();
  });

  test(`the home page is <html lang="${lang}" dir="${dir}"> with ${lang} navigation`, async () => {
    const r = await get(stack.base, '/');
    assert.equal(r.status, 200);
    assert.match(htmlTag(r.text), new RegExp(`^<html lang="${lang}" dir="${dir}">$`));
    assert.ok(r.text.includes(`<li><a href="/">${t.home}</a></li>`), `the "${t.home}" link`);
    assert.match(r.text, new RegExp(`<h2 [^>]*class="section-heading">${t.latest}</h2>`), `the "${t.latest}" heading`);
    assert.ok(!r.text.includes(`>${other.home}<`), `no "${other.home}" link`);
  });

  test(`an English article shows the ${lang} interface around its own language`, async () => {
    assert.ok(EN_ARTICLE, 'the demo has a rated English article');
    const r = await get(stack.base, urlOf(EN_ARTICLE));
    assert.equal(r.status, 200);
    assert.match(htmlTag(r.text), new RegExp(`lang="${lang}" dir="${dir}"`));
    assert.match(r.text, new RegExp(`<h2 [^>]*>${t.rate}</h2>`), `"${t.rate}"`);
    assert.match(r.text, new RegExp(`<h2 [^>]*>${t.reply}</h2>`), `"${t.reply}"`);
    assert.ok(!r.text.includes(other.rate), `no "${other.rate}"`);
    assert.match(r.text, /<article lang="en" dir="ltr" class="article"/, 'the article stays English, left to right');
    const shown = /<p class="byline">[\s\S]*?<time datetime="[^"]*"[^>]*>([^<]*)<\/time>/.exec(r.text);
    assert.ok(shown && t.months.some((m) => shown[1].includes(m)), `the date in ${lang} (got ${shown && shown[1]})`);
  });

  test('an Arabic article stays Arabic, right to left', async () => {
    assert.ok(AR_ARTICLE, 'the demo has a published Arabic article');
    const r = await get(stack.base, urlOf(AR_ARTICLE));
    assert.equal(r.status, 200);
    assert.match(htmlTag(r.text), new RegExp(`lang="${lang}" dir="${dir}"`));
    assert.match(r.text, /<article lang="ar" dir="rtl" class="article"/);
    assert.match(r.text, new RegExp(`<h2 [^>]*>${t.rate}</h2>`));
  });

  test(`a search counts its results in ${lang}'s words: none, one, two`, async () => {
    for (const [q, words] of Object.entries(t.results)) {
      const r = await get(stack.base, `/search?q=${q}`);
      const heading = /<h2 id="results-heading"[^>]*>([\s\S]*?)<\/h2>/.exec(r.text);
      assert.ok(heading && heading[1].endsWith(`: ${words}`), `${q}: ${heading && heading[1]}`);
    }
  });

  test(`a 404 page speaks ${lang}`, async () => {
    const r = await get(stack.base, '/no-such-page');
    assert.equal(r.status, 404);
    assert.match(htmlTag(r.text), new RegExp(`lang="${lang}" dir="${dir}"`));
    assert.match(r.text, new RegExp(`<h1 class="error-title">${t.notFound}</h1>`));
  });
}

describe('a site whose language is Arabic', () => languageSuite('ar', { language: 'ar' }));
describe('a site with the default language', () => languageSuite('en', {}));

// A language is a catalogue file: a site given a folder with a third one
// speaks it, with no change to the program.
describe('a language added as a file', () => {
  let stack;
  let dir;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-i18n-'));
    for (const f of fs.readdirSync(path.join(ROOT, 'www', 'i18n')))
      fs.copyFileSync(path.join(ROOT, 'www', 'i18n', f), path.join(dir, f));
    const en = JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8'));
    const fr = { ...en, code: 'fr', name: 'Français', date: '{day} {month} {year}' };
    fr.months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
      'septembre', 'octobre', 'novembre', 'décembre'];
    fr.strings = { ...en.strings, home: 'Accueil', latest_news: 'Dernières nouvelles' };
    fs.writeFileSync(path.join(dir, 'fr.json'), JSON.stringify(fr));
    stack = await startStack({ i18n: dir, settings: { language: 'fr' } });
  });
  after(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the home page is <html lang="fr"> with the catalogue\'s words and months', async () => {
    const r = await get(stack.base, '/');
    assert.equal(r.status, 200);
    assert.match(htmlTag(r.text), /lang="fr"/);
    assert.match(htmlTag(r.text), /dir="ltr"/);
    assert.match(r.text, /Accueil/);
    assert.match(r.text, /Dernières nouvelles/);
    assert.match(r.text, /novembre|octobre|décembre|septembre/);
  });
});
