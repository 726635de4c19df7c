-- 030: how many tags and authors readers see, in a few rows read.
--
-- A tag (or author) is shown while one of its listed articles is visible:
-- its first listed article's time has come. Counting the shown ones asked
-- every tag, or every scheduled article's tags, on each API list of tags
-- and each sitemap index. Each list's size (article_counts) now carries
-- the time of its first listed article (first_at, NULL while it has none),
-- read from the list's own index whenever its size changes, and
-- list_totals keeps how many lists of each scope have articles. The shown
-- ones are that total less the lists whose first article is still to come:
-- a range of article_counts_first that holds only those.
ALTER TABLE article_counts ADD COLUMN first_at INTEGER;

CREATE TABLE list_totals (
  scope TEXT PRIMARY KEY,
  n     INTEGER NOT NULL
) WITHOUT ROWID;

-- Each list's first listed article, read from the list's own index.
CREATE VIEW list_first (scope, id, first_at) AS
  SELECT k.scope, k.id, CASE k.scope
    WHEN 'all' THEN (SELECT min(live_at) FROM articles WHERE live_at IS NOT NULL)
    WHEN 'category' THEN (SELECT min(live_at) FROM articles
      WHERE category_id = k.id AND live_at IS NOT NULL)
    WHEN 'lang' THEN (SELECT min(live_at) FROM articles INDEXED BY articles_live_lang
      WHERE lang = k.id AND live_at IS NOT NULL)
    WHEN 'tag' THEN (SELECT min(live_at) FROM article_tags
      WHERE tag_id = k.id AND live_at IS NOT NULL)
    WHEN 'author' THEN (SELECT min(live_at) FROM article_authors
      WHERE user_id = k.id AND live_at IS NOT NULL) END
  FROM article_counts k;

UPDATE article_counts SET first_at = (SELECT f.first_at FROM list_first f
  WHERE f.scope = article_counts.scope AND f.id = article_counts.id);
INSERT INTO list_totals (scope, n)
  SELECT scope, count(*) FROM article_counts WHERE n > 0 GROUP BY scope;
CREATE INDEX article_counts_first ON article_counts (scope, first_at)
  WHERE first_at IS NOT NULL;

-- A list's first article whenever its size is written; the number of
-- lists of its kind with articles whenever it gains its first or loses
-- its last.
CREATE TRIGGER counts_first_new AFTER INSERT ON article_counts BEGIN
  UPDATE article_counts SET first_at = (SELECT f.first_at FROM list_first f
    WHERE f.scope = NEW.scope AND f.id = NEW.id)
  WHERE scope = NEW.scope AND id = NEW.id;
  INSERT INTO list_totals (scope, n) SELECT NEW.scope, 1 WHERE NEW.n > 0
    ON CONFLICT (scope) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_first_moved AFTER UPDATE OF n ON article_counts BEGIN
  UPDATE article_counts SET first_at = (SELECT f.first_at FROM list_first f
    WHERE f.scope = NEW.scope AND f.id = NEW.id)
  WHERE scope = NEW.scope AND id = NEW.id;
  INSERT INTO list_totals (scope, n)
    SELECT NEW.scope, CASE WHEN NEW.n > 0 THEN 1 ELSE -1 END
    WHERE (OLD.n > 0) <> (NEW.n > 0)
    ON CONFLICT (scope) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER counts_first_gone AFTER DELETE ON article_counts WHEN OLD.n > 0 BEGIN
  UPDATE list_totals SET n = n - 1 WHERE scope = OLD.scope;
END;
