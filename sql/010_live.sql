-- 010: listings that cost the same on a site of a hundred articles and on
-- one of a million.
--
-- live_at is an article's publication time while it is published or
-- scheduled, and NULL otherwise: "visible to readers at t" is live_at <= t,
-- a range on an index that only listed articles are in, so that no query
-- planner can prefer another index (without statistics, SQLite took
-- status IN (...) for selective and read every article). The lists of a
-- section, an author, a language and a tag have their own, the tag's in
-- article_tags itself (kept equal by triggers), so that a page of any list
-- is read from an index in the order it is shown, and a page far back
-- skips index entries only.
ALTER TABLE articles ADD COLUMN live_at INTEGER GENERATED ALWAYS AS
  (CASE WHEN status IN ('published', 'scheduled') THEN published_at END) VIRTUAL;
DROP INDEX articles_live;
DROP INDEX articles_live_category;
DROP INDEX articles_live_author;
CREATE INDEX articles_live ON articles (live_at) WHERE live_at IS NOT NULL;
CREATE INDEX articles_live_category ON articles (category_id, live_at) WHERE live_at IS NOT NULL;
CREATE INDEX articles_live_author ON articles (author_id, live_at) WHERE live_at IS NOT NULL;
CREATE INDEX articles_live_lang ON articles (lang, live_at) WHERE live_at IS NOT NULL;

ALTER TABLE article_tags ADD COLUMN live_at INTEGER;
UPDATE article_tags SET live_at = (SELECT a.live_at FROM articles a WHERE a.id = article_id);
CREATE INDEX article_tags_live ON article_tags (tag_id, live_at) WHERE live_at IS NOT NULL;

-- How many articles each list holds (published or scheduled), so that a
-- list's page count is one row read, less the few articles still to come.
-- scope: 'all' (id 0), 'category', 'author', 'tag', 'lang' (id: the
-- language's code, as text).
CREATE TABLE article_counts (
  scope TEXT NOT NULL,
  id    ANY NOT NULL,
  n     INTEGER NOT NULL,
  PRIMARY KEY (scope, id)
) WITHOUT ROWID;
INSERT INTO article_counts (scope, id, n)
  SELECT 'all', 0, count(*) FROM articles WHERE live_at IS NOT NULL;
INSERT INTO article_counts (scope, id, n)
  SELECT 'category', category_id, count(*) FROM articles WHERE live_at IS NOT NULL
  GROUP BY category_id;
INSERT INTO article_counts (scope, id, n)
  SELECT 'author', author_id, count(*) FROM articles WHERE live_at IS NOT NULL
  GROUP BY author_id;
INSERT INTO article_counts (scope, id, n)
  SELECT 'lang', lang, count(*) FROM articles WHERE live_at IS NOT NULL GROUP BY lang;
INSERT INTO article_counts (scope, id, n)
  SELECT 'tag', tag_id, count(*) FROM article_tags WHERE live_at IS NOT NULL GROUP BY tag_id;

-- An article's own lists.
CREATE TRIGGER counts_article_new AFTER INSERT ON articles WHEN NEW.live_at IS NOT NULL BEGIN
  INSERT INTO article_counts (scope, id, n) VALUES ('all', 0, 1), ('category', NEW.category_id, 1),
    ('author', NEW.author_id, 1), ('lang', NEW.lang, 1)
    ON CONFLICT (scope, id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_article_gone AFTER DELETE ON articles WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE article_counts SET n = n - 1 WHERE (scope = 'all' AND id = 0)
    OR (scope = 'category' AND id = OLD.category_id) OR (scope = 'author' AND id = OLD.author_id)
    OR (scope = 'lang' AND id = OLD.lang);
END;
CREATE TRIGGER counts_article_moved AFTER UPDATE OF status, published_at, category_id, author_id,
  lang ON articles
WHEN OLD.live_at IS NOT NEW.live_at OR OLD.category_id IS NOT NEW.category_id
  OR OLD.author_id IS NOT NEW.author_id OR OLD.lang IS NOT NEW.lang BEGIN
  UPDATE article_counts SET n = n - 1 WHERE OLD.live_at IS NOT NULL AND ((scope = 'all' AND id = 0)
    OR (scope = 'category' AND id = OLD.category_id) OR (scope = 'author' AND id = OLD.author_id)
    OR (scope = 'lang' AND id = OLD.lang));
  INSERT INTO article_counts (scope, id, n)
    SELECT 'all', 0, 1 WHERE NEW.live_at IS NOT NULL
    UNION ALL SELECT 'category', NEW.category_id, 1 WHERE NEW.live_at IS NOT NULL
    UNION ALL SELECT 'author', NEW.author_id, 1 WHERE NEW.live_at IS NOT NULL
    UNION ALL SELECT 'lang', NEW.lang, 1 WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id) DO UPDATE SET n = n + 1;
  UPDATE article_tags SET live_at = NEW.live_at WHERE article_id = NEW.id;
END;
-- A tag's list: article_tags.live_at is written by these triggers only.
CREATE TRIGGER counts_tag_new AFTER INSERT ON article_tags BEGIN
  UPDATE article_tags SET live_at = (SELECT a.live_at FROM articles a WHERE a.id = NEW.article_id)
    WHERE article_id = NEW.article_id AND tag_id = NEW.tag_id;
END;
CREATE TRIGGER counts_tag_moved AFTER UPDATE OF live_at ON article_tags
WHEN OLD.live_at IS NOT NEW.live_at BEGIN
  UPDATE article_counts SET n = n - 1
    WHERE OLD.live_at IS NOT NULL AND scope = 'tag' AND id = OLD.tag_id;
  INSERT INTO article_counts (scope, id, n) SELECT 'tag', NEW.tag_id, 1 WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_tag_gone AFTER DELETE ON article_tags WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE article_counts SET n = n - 1 WHERE scope = 'tag' AND id = OLD.tag_id;
END;
