-- 010: pictures. An upload is a row of media: what the uploader gave (the
-- file's name, alt text, caption, credit) and what the probe found (type,
-- size in pixels as displayed, the original's digest). The original is kept
-- outside the web root under its digest; the sizes served are re-encoded
-- files in the media folder, one row each in media_files once they exist.
-- The sizes not made during the upload wait in media_queue for the server's
-- background worker, which survives a restart because the queue is here.
CREATE TABLE media (
  id          INTEGER PRIMARY KEY,
  uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  filename    TEXT NOT NULL,          -- as the uploader's computer named it
  type        TEXT NOT NULL CHECK (type IN ('jpeg', 'png', 'webp', 'gif', 'heic', 'avif')),
  digest      TEXT NOT NULL,          -- BLAKE2b-256 of the original, hex
  original    TEXT NOT NULL,          -- its name in the originals folder
  width       INTEGER NOT NULL,       -- as displayed (orientation applied)
  height      INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,       -- the original's size
  alt         TEXT NOT NULL DEFAULT '',
  caption     TEXT NOT NULL DEFAULT '',
  credit      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  derived_at  INTEGER NOT NULL DEFAULT 0  -- when sizes were last added
);
CREATE INDEX media_uploader ON media (uploader_id, id);
CREATE INDEX media_type ON media (type, id);
CREATE INDEX media_digest ON media (digest);

-- The files served, named <stem>-<width>.<webp|jpg>: content-addressed, so
-- the same upload always makes the same names.
CREATE TABLE media_files (
  media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  format   TEXT NOT NULL CHECK (format IN ('webp', 'jpeg')),
  width    INTEGER NOT NULL,
  height   INTEGER NOT NULL,
  name     TEXT NOT NULL,
  bytes    INTEGER NOT NULL,
  PRIMARY KEY (media_id, format, width)
) WITHOUT ROWID;
CREATE INDEX media_files_name ON media_files (name);

-- Derivations still to do; a failed one waits until not_before to be tried
-- again, a few times.
CREATE TABLE media_queue (
  media_id   INTEGER PRIMARY KEY REFERENCES media (id) ON DELETE CASCADE,
  queued_at  INTEGER NOT NULL,
  not_before INTEGER NOT NULL DEFAULT 0,
  tries      INTEGER NOT NULL DEFAULT 0,
  error      TEXT
);
CREATE INDEX media_queue_next ON media_queue (not_before, queued_at);

-- The pictures an article's text shows (its featured picture is
-- articles.image_id). No ON DELETE on the picture's side: a picture in use
-- cannot be deleted.
CREATE TABLE article_media (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  media_id   INTEGER NOT NULL REFERENCES media (id),
  PRIMARY KEY (article_id, media_id)
) WITHOUT ROWID;
CREATE INDEX article_media_media ON article_media (media_id, article_id);

ALTER TABLE articles ADD COLUMN image_id INTEGER REFERENCES media (id);
CREATE INDEX articles_image ON articles (image_id) WHERE image_id IS NOT NULL;
ALTER TABLE users ADD COLUMN avatar_id INTEGER REFERENCES media (id);
CREATE INDEX users_avatar ON users (avatar_id) WHERE avatar_id IS NOT NULL;

-- What readers see change (see 008 and 009): an article's featured picture
-- is part of its page and of every card showing it.
DROP TRIGGER changes_article_text;
CREATE TRIGGER changes_article_text AFTER UPDATE OF slug, title, summary, lang, dir, status,
  featured, category_id, author_id, published_at, updated_at, comment_count, image_id ON articles
WHEN OLD.status IN ('published', 'scheduled') OR NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch()), ('search', unixepoch()),
    ('articles', unixepoch());
END;
-- A picture's words or its sizes changed: its own answers, the articles
-- that show it, and every page when it is someone's avatar (bylines).
CREATE TRIGGER changes_media_edit AFTER UPDATE OF alt, caption, credit, derived_at ON media BEGIN
  INSERT INTO changes (tag, at) VALUES ('media-' || NEW.id, unixepoch());
  INSERT INTO changes (tag, at) SELECT 'article-' || a.id, unixepoch() FROM articles a
    WHERE a.image_id = NEW.id AND a.status IN ('published', 'scheduled');
  INSERT INTO changes (tag, at) SELECT 'article-' || x.article_id, unixepoch()
    FROM article_media x WHERE x.media_id = NEW.id;
  INSERT INTO changes (tag, at) SELECT 'site', unixepoch()
    WHERE EXISTS (SELECT 1 FROM users WHERE avatar_id = NEW.id);
END;
CREATE TRIGGER changes_media_gone BEFORE DELETE ON media BEGIN
  INSERT INTO changes (tag, at) VALUES ('media-' || OLD.id, unixepoch());
END;
CREATE TRIGGER changes_user_avatar AFTER UPDATE OF avatar_id ON users BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
