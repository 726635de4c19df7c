-- 017: the newsroom's desk: autosaves apart from revisions, a version
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

-- Everyone an article's byline names: its byline author (articles.author_id,
-- position 0, kept by the triggers below) and its other authors (1, 2 ...).
-- An author's page lists the articles they wrote any part of, from the
-- index on (user_id, live_at), as a tag's page does (see 010): live_at is
-- the article's, written by triggers only.
CREATE TABLE article_authors (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  live_at    INTEGER,
  PRIMARY KEY (article_id, user_id)
) WITHOUT ROWID;
CREATE INDEX article_authors_live ON article_authors (user_id, live_at) WHERE live_at IS NOT NULL;
INSERT INTO article_authors (article_id, user_id, position, live_at)
  SELECT id, author_id, 0, live_at FROM articles;

-- (No INSERT OR REPLACE: a row it replaced would leave its count behind.)
CREATE TRIGGER authors_byline_new AFTER INSERT ON articles BEGIN
  INSERT INTO article_authors (article_id, user_id, position) VALUES (NEW.id, NEW.author_id, 0);
END;
CREATE TRIGGER authors_byline_moved AFTER UPDATE OF author_id ON articles
WHEN OLD.author_id IS NOT NEW.author_id BEGIN
  DELETE FROM article_authors WHERE article_id = NEW.id
    AND (position = 0 OR user_id = NEW.author_id);
  INSERT INTO article_authors (article_id, user_id, position) VALUES (NEW.id, NEW.author_id, 0);
END;
CREATE TRIGGER authors_live_new AFTER INSERT ON article_authors BEGIN
  UPDATE article_authors SET live_at = (SELECT a.live_at FROM articles a WHERE a.id = NEW.article_id)
    WHERE article_id = NEW.article_id AND user_id = NEW.user_id;
END;
CREATE TRIGGER authors_live_moved AFTER UPDATE OF status, published_at ON articles
WHEN OLD.live_at IS NOT NEW.live_at BEGIN
  UPDATE article_authors SET live_at = NEW.live_at WHERE article_id = NEW.id;
END;

-- An author's count (article_counts, scope 'author') is now of the
-- articles they are named on: kept from article_authors, as a tag's is
-- from article_tags; the article triggers of 010 keep the other scopes.
DROP TRIGGER counts_article_new;
DROP TRIGGER counts_article_gone;
DROP TRIGGER counts_article_moved;
CREATE TRIGGER counts_article_new AFTER INSERT ON articles WHEN NEW.live_at IS NOT NULL BEGIN
  INSERT INTO article_counts (scope, id, n) VALUES ('all', 0, 1), ('category', NEW.category_id, 1),
    ('lang', NEW.lang, 1)
    ON CONFLICT (scope, id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_article_gone AFTER DELETE ON articles WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE article_counts SET n = n - 1 WHERE (scope = 'all' AND id = 0)
    OR (scope = 'category' AND id = OLD.category_id) OR (scope = 'lang' AND id = OLD.lang);
END;
CREATE TRIGGER counts_article_moved AFTER UPDATE OF status, published_at, category_id, lang ON articles
WHEN OLD.live_at IS NOT NEW.live_at OR OLD.category_id IS NOT NEW.category_id
  OR OLD.lang IS NOT NEW.lang BEGIN
  UPDATE article_counts SET n = n - 1 WHERE OLD.live_at IS NOT NULL AND ((scope = 'all' AND id = 0)
    OR (scope = 'category' AND id = OLD.category_id) OR (scope = 'lang' AND id = OLD.lang));
  INSERT INTO article_counts (scope, id, n)
    SELECT 'all', 0, 1 WHERE NEW.live_at IS NOT NULL
    UNION ALL SELECT 'category', NEW.category_id, 1 WHERE NEW.live_at IS NOT NULL
    UNION ALL SELECT 'lang', NEW.lang, 1 WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id) DO UPDATE SET n = n + 1;
  UPDATE article_tags SET live_at = NEW.live_at WHERE article_id = NEW.id;
END;
CREATE TRIGGER counts_author_moved AFTER UPDATE OF live_at ON article_authors
WHEN OLD.live_at IS NOT NEW.live_at BEGIN
  UPDATE article_counts SET n = n - 1
    WHERE OLD.live_at IS NOT NULL AND scope = 'author' AND id = OLD.user_id;
  INSERT INTO article_counts (scope, id, n) SELECT 'author', NEW.user_id, 1
    WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_author_gone AFTER DELETE ON article_authors WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE article_counts SET n = n - 1 WHERE scope = 'author' AND id = OLD.user_id;
END;
DELETE FROM article_counts WHERE scope = 'author';
INSERT INTO article_counts (scope, id, n)
  SELECT 'author', user_id, count(*) FROM article_authors WHERE live_at IS NOT NULL GROUP BY user_id;

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
