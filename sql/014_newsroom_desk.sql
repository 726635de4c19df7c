-- 014: the newsroom's desk: autosaves apart from revisions, a version
-- checked on save, the time readers are told an article was updated, what
-- a revision changed in the status, several authors per article, comments
-- closed per article, and comments written by the newsroom.

-- An article's version goes up with every save; a save names the version
-- it started from and is refused when another save came in between.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- When readers are told the article was last updated (an edit after
-- publication that was not marked as small); NULL: never.
ALTER TABLE articles ADD COLUMN revised_at INTEGER;
-- 1: readers may no longer comment on it.
ALTER TABLE articles ADD COLUMN comments_closed INTEGER NOT NULL DEFAULT 0;

-- One autosave per user and article (article 0: the user's new article
-- not yet saved), kept apart from the revisions: the form's fields as
-- JSON, the article's version the text started from, and when.
CREATE TABLE autosaves (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL,
  fields     TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 0,
  saved_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, article_id)
) WITHOUT ROWID;
CREATE TRIGGER autosaves_article_gone AFTER DELETE ON articles BEGIN
  DELETE FROM autosaves WHERE article_id = OLD.id;
END;

-- What a revision did to the status and the publication time.
ALTER TABLE revisions ADD COLUMN status TEXT;
ALTER TABLE revisions ADD COLUMN status_before TEXT;
ALTER TABLE revisions ADD COLUMN published_at INTEGER;

-- The article's other authors, after its byline author (articles.author_id).
CREATE TABLE article_authors (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  PRIMARY KEY (article_id, user_id)
) WITHOUT ROWID;
CREATE INDEX article_authors_user ON article_authors (user_id, article_id);

-- A comment the newsroom wrote: the account that wrote it.
ALTER TABLE comments ADD COLUMN staff_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE comments ADD COLUMN edited_at INTEGER;

-- What readers see change (see 008, 009, 010): the updated time, the
-- comment switch and the byline's other authors are on the article page
-- and its cards.
DROP TRIGGER changes_article_text;
CREATE TRIGGER changes_article_text AFTER UPDATE OF slug, title, summary, lang, dir, status,
  featured, category_id, author_id, published_at, updated_at, comment_count, image_id,
  revised_at, comments_closed ON articles
WHEN OLD.status IN ('published', 'scheduled') OR NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch()), ('search', unixepoch()),
    ('articles', unixepoch());
END;
CREATE TRIGGER changes_authors_on AFTER INSERT ON article_authors
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.article_id, unixepoch()),
    ('author-' || NEW.user_id, unixepoch());
END;
CREATE TRIGGER changes_authors_off AFTER DELETE ON article_authors
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || OLD.article_id, unixepoch()),
    ('author-' || OLD.user_id, unixepoch());
END;
