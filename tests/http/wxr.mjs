// A small XML reader for the WordPress import's tests, written apart from
// the importer so that the figures it expects do not come from the code
// under test: enough XML for WordPress exports (elements, attributes,
// text, CDATA sections, character references, comments, the XML
// declaration), and the export's records as plain objects. Also a builder
// of small exports for the tests' own cases.

// Decodes the character references of XML text s.
function decode(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e];
  });
}

// Parses the XML text into a tree of {name, attrs, children, text}; text
// is the concatenated text and CDATA directly inside the element. Throws
// on markup it cannot read.
export function parseXml(text) {
  const root = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt < 0) break;
    if (lt > i) top.text += decode(text.slice(i, lt));
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      if (end < 0) throw new Error('unclosed CDATA');
      top.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!--', lt)) {
      i = text.indexOf('-->', lt) + 3;
      if (i < 3) throw new Error('unclosed comment');
    } else if (text.startsWith('<?', lt)) {
      i = text.indexOf('?>', lt) + 2;
    } else if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt);
      const name = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`);
      i = end + 1;
    } else {
      const m = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(lt, lt + 4096));
      if (!m) throw new Error(`unreadable tag at ${lt}`);
      const attrs = {};
      for (const a of m[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decode(a[2] ?? a[3]);
      const el = { name: m[1], attrs, children: [], text: '' };
      top.children.push(el);
      if (!m[3]) stack.push(el);
      i = lt + m[0].length;
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is not closed`);
  return root;
}

// The text of the first child of el named name ('' when none).
const textOf = (el, name) => el.children.find((c) => c.name === name)?.text ?? '';

// The records of a WordPress export: {site, authors, categories, tags,
// items}. Each item has its fields by their element names without prefix
// (post_id, post_type, status, post_name, creator, link, content...),
// terms [{domain, nicename, name}], meta {key: [values]} and comments
// [{comment_id, comment_approved, comment_parent, comment_type, ...}].
export function readExport(text) {
  const channel = parseXml(text).children.find((c) => c.name === 'rss')?.children.find((c) => c.name === 'channel');
  if (!channel) throw new Error('no rss/channel');
  const fields = (el) => Object.fromEntries(el.children.filter((c) => !c.children.length)
    .map((c) => [c.name.replace(/^[a-z]+:/, ''), c.text.trim()]));
  const kids = (name) => channel.children.filter((c) => c.name === name);
  const items = kids('item').map((it) => {
    const item = fields(it);
    item.title = textOf(it, 'title');
    item.content = textOf(it, 'content:encoded');
    item.excerpt = textOf(it, 'excerpt:encoded');
    item.terms = it.children.filter((c) => c.name === 'category')
      .map((c) => ({ domain: c.attrs.domain, nicename: c.attrs.nicename, name: c.text }));
    item.meta = {};
    for (const m of it.children.filter((c) => c.name === 'wp:postmeta')) {
      const key = textOf(m, 'wp:meta_key');
      (item.meta[key] ??= []).push(textOf(m, 'wp:meta_value'));
    }
    item.comments = it.children.filter((c) => c.name === 'wp:comment').map(fields);
    return item;
  });
  return {
    site: fields(channel),
    authors: kids('wp:author').map(fields),
    categories: kids('wp:category').map(fields),
    tags: kids('wp:tag').map(fields),
    items,
  };
}

// Percent-decodes a WordPress slug ("%ce%b5..." -> its letters).
export function wpSlug(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

// ---- small exports for the tests' own cases ----

const cdata = (s) => `<![CDATA[${String(s).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

// A WXR 1.2 export of site (default https://old.example) with authors
// [{login, name}], categories [{id, slug, name, parent}], tags [{id,
// slug, name}] and items [{id, type, title, slug, status, author, date,
// content, categories: [slug], tags: [slug], sticky, meta: {key: value},
// parent and url (an attachment's post and address),
// comments: [{id, parent, approved, author, email, content, date}]}].
export function buildExport({ site = 'https://old.example', version = '1.2', authors = [], categories = [],
  tags = [], items = [] } = {}) {
  const ns = 'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    + 'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    + 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"';
  const out = [`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ${ns}>\n<channel>`,
    `<title>Old site</title><link>${site}</link><language>en</language>`,
    `<wp:wxr_version>${version}</wp:wxr_version><wp:base_site_url>${site}</wp:base_site_url>`,
    `<wp:base_blog_url>${site}</wp:base_blog_url>`];
  authors.forEach((a, i) => out.push(`<wp:author><wp:author_id>${i + 1}</wp:author_id>`
    + `<wp:author_login>${cdata(a.login)}</wp:author_login><wp:author_email>${a.login}@old.example`
    + `</wp:author_email><wp:author_display_name>${cdata(a.name)}</wp:author_display_name></wp:author>`));
  for (const c of categories) {
    out.push(`<wp:category><wp:term_id>${c.id}</wp:term_id><wp:category_nicename>${cdata(c.slug)}`
      + `</wp:category_nicename><wp:category_parent>${cdata(c.parent || '')}</wp:category_parent>`
      + `<wp:cat_name>${cdata(c.name)}</wp:cat_name></wp:category>`);
  }
  for (const t of tags) {
    out.push(`<wp:tag><wp:term_id>${t.id}</wp:term_id><wp:tag_slug>${cdata(t.slug)}</wp:tag_slug>`
      + `<wp:tag_name>${cdata(t.name)}</wp:tag_name></wp:tag>`);
  }
  for (const it of items) {
    const date = it.date || '2020-03-04 05:06:07';
    const [y, m, d] = date.split(/[- ]/);
    out.push('<item>', `<title>${cdata(it.title ?? '')}</title>`,
      `<link>${site}/${y}/${m}/${d}/${it.slug}/</link>`, `<dc:creator>${cdata(it.author || '')}</dc:creator>`,
      `<content:encoded>${cdata(it.content || '')}</content:encoded><excerpt:encoded>${cdata(it.excerpt || '')}</excerpt:encoded>`,
      `<wp:post_id>${it.id}</wp:post_id><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt>`,
      `<wp:post_name>${cdata(it.slug)}</wp:post_name><wp:status>${it.status || 'publish'}</wp:status>`,
      `<wp:post_parent>${it.parent || 0}</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>${it.type || 'post'}</wp:post_type>`,
      `<wp:post_password></wp:post_password><wp:is_sticky>${it.sticky ? 1 : 0}</wp:is_sticky>`);
    if (it.url) out.push(`<wp:attachment_url>${cdata(it.url)}</wp:attachment_url>`);
    for (const c of it.categories || []) out.push(`<category domain="category" nicename="${c}">${cdata(c)}</category>`);
    for (const t of it.tags || []) out.push(`<category domain="post_tag" nicename="${t}">${cdata(t)}</category>`);
    for (const [k, v] of Object.entries(it.meta || {})) {
      out.push(`<wp:postmeta><wp:meta_key>${k}</wp:meta_key><wp:meta_value>${cdata(v)}</wp:meta_value></wp:postmeta>`);
    }
    for (const c of it.comments || []) {
      out.push(`<wp:comment><wp:comment_id>${c.id}</wp:comment_id><wp:comment_author>${cdata(c.author || 'Reader')}`
        + `</wp:comment_author><wp:comment_author_email>${c.email || 'reader@mail.example'}</wp:comment_author_email>`
        + `<wp:comment_date_gmt>${c.date || date}</wp:comment_date_gmt><wp:comment_content>${cdata(c.content || 'Hello.')}`
        + `</wp:comment_content><wp:comment_approved>${c.approved ?? '1'}</wp:comment_approved>`
        + `<wp:comment_type></wp:comment_type><wp:comment_parent>${c.parent || 0}</wp:comment_parent></wp:comment>`);
    }
    out.push('</item>');
  }
  out.push('</channel>\n</rss>\n');
  return out.join('\n');
}
