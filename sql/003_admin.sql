-- 003: what the newsroom's admin needs: sessions, login limits, article
-- revisions, old slugs of renamed articles.

-- A session is a random 256-bit token in a cookie; only its hash is kept.
CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,          -- the session's form token
  created_at INTEGER NOT NULL,
  seen_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per account ('user:NAME') and per address ('ip:HASH').
CREATE TABLE login_failures (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Every save of an article keeps the text it saved.
CREATE TABLE revisions (
  id         INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  title      TEXT NOT NULL,
  summary    TEXT NOT NULL,
  body_md    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX revisions_article ON revisions (article_id, id DESC);

-- A published article's earlier slugs answer 301 to its current one.
CREATE TABLE slug_redirects (
  old_slug   TEXT PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX slug_redirects_article ON slug_redirects (article_id);

CREATE INDEX articles_author_all ON articles (author_id, updated_at DESC);
CREATE INDEX articles_category_all ON articles (category_id, updated_at DESC);
CREATE INDEX articles_updated ON articles (updated_at DESC);
