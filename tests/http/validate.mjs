// The HTML validator every page test uses: html-validate's recommended
// rules against the text of a page, with a report that shows each problem
// with its rule, place and the markup there.

import assert from 'node:assert/strict';
import { HtmlValidate } from 'html-validate';

// The rules are html-validate's recommended set, with no exception: a rule
// may be turned off here only for a deliberate, documented choice of the
// product, with a comment saying why.
const validator = new HtmlValidate({
  root: true,
  extends: ['html-validate:recommended'],
  rules: {
    // The moderation list ticks many comments at once with checkboxes that
    // all send "id" (docs/admin.md, "With the checked comments"); radios and
    // buttons share names as the rule's default allows.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // An article page's <title> is the article's whole headline and the
    // site's name; a headline may be up to 200 characters (docs/admin.md),
    // so the title is longer than this rule's 70 whenever the headline is.
    'long-title': 'off',
  },
});

// The text of line n (1-based) of lines, quoted so that spaces show, cut
// when long; a blank line is shown with the next line that is not.
function around(lines, n) {
  const cut = (t) => JSON.stringify(t.length > 160 ? `${t.slice(0, 160)}…` : t);
  const src = lines[n - 1] ?? '';
  if (src.trim()) return cut(src);
  const next = lines.slice(n).find((l) => l.trim()) ?? '';
  return `${cut(src)} (before ${cut(next.trim())})`;
}

// Validate the HTML text of the page at url; fail with every message the
// validator gives, one a line, with its rule, place and the markup there.
export async function assertValid(url, text) {
  const report = await validator.validateString(text, url);
  if (report.valid) return;
  const lines = text.split('\n');
  const messages = report.results.flatMap((r) => r.messages).map((m) => {
    return `  ${m.line}:${m.column} ${m.ruleId}: ${m.message}\n      ${around(lines, m.line)}`;
  });
  assert.fail(`${url} is not valid HTML (${messages.length} problem(s)):\n${messages.join('\n')}`);
}
