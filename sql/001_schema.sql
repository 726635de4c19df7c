-- 001: the whole product's schema.
-- Times are Unix seconds (UTC). Text is UTF-8.
-- An article is visible to readers when its status is 'published' or
-- 'scheduled' and its published_at has come: scheduling needs no cron job.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  email         TEXT,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
  bio           TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE categories (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX categories_order ON categories (position, name);

CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE articles (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  title         TEXT NOT NULL,
  summary       TEXT NOT NULL DEFAULT '',
  body_md       TEXT NOT NULL DEFAULT '',
  body_html     TEXT NOT NULL DEFAULT '',   -- rendered by cmark when written
  lang          TEXT NOT NULL DEFAULT 'en',
  dir           TEXT NOT NULL DEFAULT 'ltr' CHECK (dir IN ('ltr', 'rtl')),
  status        TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'pending', 'scheduled', 'published')),
  featured      INTEGER NOT NULL DEFAULT 0,
  category_id   INTEGER NOT NULL REFERENCES categories (id),
  author_id     INTEGER NOT NULL REFERENCES users (id),
  published_at  INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  rating_count  INTEGER NOT NULL DEFAULT 0,  -- kept equal to the ratings rows
  rating_sum    INTEGER NOT NULL DEFAULT 0,
  comment_count INTEGER NOT NULL DEFAULT 0   -- approved comments
);
-- Readers' listings: newest visible first, overall, per category, per author.
CREATE INDEX articles_live ON articles (published_at DESC)
  WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_category ON articles (category_id, published_at DESC)
  WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_author ON articles (author_id, published_at DESC)
  WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_status ON articles (status, updated_at DESC);

CREATE TABLE article_tags (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

CREATE TABLE comments (
  id           INTEGER PRIMARY KEY,
  article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  parent_id    INTEGER REFERENCES comments (id) ON DELETE CASCADE,
  author_name  TEXT NOT NULL,
  author_email TEXT NOT NULL,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
  created_at   INTEGER NOT NULL,
  ip_hash      BLOB,
  visitor      TEXT
);
CREATE INDEX comments_article ON comments (article_id, status, created_at);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_email ON comments (author_email, status);
CREATE INDEX comments_status ON comments (status, created_at DESC);

CREATE TABLE ratings (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  voter      TEXT NOT NULL,             -- random visitor id from a cookie
  stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  ip_hash    BLOB,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, voter)
) WITHOUT ROWID;
CREATE INDEX ratings_ip ON ratings (article_id, ip_hash, created_at);
