-- 032: a page far down a list without skipping every newer entry.
--
-- A list's page at offset k from its newest entry walked k entries of the
-- list's index (page 500 of the API's list: 10,000). list_months keeps
-- how many listed articles (published or scheduled) each list has in each
-- month of live_at (UTC; month is the month's first second), for the
-- lists article_counts keeps (scope, id as there). Summing a list's months
-- from its oldest finds the month that holds the page's first entry; the
-- page is then read from that month's end, skipping at most one month's
-- entries (see list_seek in store_article.c). A month that has ended holds
-- no article still to come, so its counts are of visible articles.
CREATE TABLE list_months (
  scope TEXT NOT NULL,
  id    ANY NOT NULL,
  month INTEGER NOT NULL,
  n     INTEGER NOT NULL,
  PRIMARY KEY (scope, id, month)
) WITHOUT ROWID;

INSERT INTO list_months (scope, id, month, n)
  SELECT 'all', 0, unixepoch(live_at, 'unixepoch', 'start of month'), count(*)
  FROM articles WHERE live_at IS NOT NULL GROUP BY 3;
INSERT INTO list_months (scope, id, month, n)
  SELECT 'category', category_id, unixepoch(live_at, 'unixepoch', 'start of month'), count(*)
  FROM articles WHERE live_at IS NOT NULL GROUP BY 2, 3;
INSERT INTO list_months (scope, id, month, n)
  SELECT 'lang', lang, unixepoch(live_at, 'unixepoch', 'start of month'), count(*)
  FROM articles WHERE live_at IS NOT NULL GROUP BY 2, 3;
INSERT INTO list_months (scope, id, month, n)
  SELECT 'tag', tag_id, unixepoch(live_at, 'unixepoch', 'start of month'), count(*)
  FROM article_tags WHERE live_at IS NOT NULL GROUP BY 2, 3;
INSERT INTO list_months (scope, id, month, n)
  SELECT 'author', user_id, unixepoch(live_at, 'unixepoch', 'start of month'), count(*)
  FROM article_authors WHERE live_at IS NOT NULL GROUP BY 2, 3;

-- Kept as article_counts is (010, 017): an article's own lists (all, its
-- section, its language) from articles, a tag's from article_tags, an
-- author's from article_authors, whose live_at those triggers keep.
CREATE TRIGGER months_lists_new AFTER INSERT ON articles WHEN NEW.live_at IS NOT NULL BEGIN
  INSERT INTO list_months (scope, id, month, n)
    SELECT s.scope, s.id, unixepoch(NEW.live_at, 'unixepoch', 'start of month'), 1
    FROM (SELECT 'all' AS scope, 0 AS id UNION ALL SELECT 'category', NEW.category_id
          UNION ALL SELECT 'lang', NEW.lang) s WHERE 1
    ON CONFLICT (scope, id, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER months_lists_gone AFTER DELETE ON articles WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE list_months SET n = n - 1
    WHERE month = unixepoch(OLD.live_at, 'unixepoch', 'start of month')
      AND ((scope = 'all' AND id = 0) OR (scope = 'category' AND id = OLD.category_id)
           OR (scope = 'lang' AND id = OLD.lang));
END;
CREATE TRIGGER months_lists_moved AFTER UPDATE OF status, published_at, category_id, lang
  ON articles
WHEN OLD.live_at IS NOT NEW.live_at OR OLD.category_id IS NOT NEW.category_id
  OR OLD.lang IS NOT NEW.lang BEGIN
  UPDATE list_months SET n = n - 1
    WHERE OLD.live_at IS NOT NULL
      AND month = unixepoch(OLD.live_at, 'unixepoch', 'start of month')
      AND ((scope = 'all' AND id = 0) OR (scope = 'category' AND id = OLD.category_id)
           OR (scope = 'lang' AND id = OLD.lang));
  INSERT INTO list_months (scope, id, month, n)
    SELECT s.scope, s.id, unixepoch(NEW.live_at, 'unixepoch', 'start of month'), 1
    FROM (SELECT 'all' AS scope, 0 AS id UNION ALL SELECT 'category', NEW.category_id
          UNION ALL SELECT 'lang', NEW.lang) s WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER months_tag_moved AFTER UPDATE OF live_at ON article_tags
WHEN OLD.live_at IS NOT NEW.live_at BEGIN
  UPDATE list_months SET n = n - 1
    WHERE OLD.live_at IS NOT NULL AND scope = 'tag' AND id = OLD.tag_id
      AND month = unixepoch(OLD.live_at, 'unixepoch', 'start of month');
  INSERT INTO list_months (scope, id, month, n)
    SELECT 'tag', NEW.tag_id, unixepoch(NEW.live_at, 'unixepoch', 'start of month'), 1
    WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER months_tag_gone AFTER DELETE ON article_tags WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE list_months SET n = n - 1 WHERE scope = 'tag' AND id = OLD.tag_id
    AND month = unixepoch(OLD.live_at, 'unixepoch', 'start of month');
END;
CREATE TRIGGER months_author_moved AFTER UPDATE OF live_at ON article_authors
WHEN OLD.live_at IS NOT NEW.live_at BEGIN
  UPDATE list_months SET n = n - 1
    WHERE OLD.live_at IS NOT NULL AND scope = 'author' AND id = OLD.user_id
      AND month = unixepoch(OLD.live_at, 'unixepoch', 'start of month');
  INSERT INTO list_months (scope, id, month, n)
    SELECT 'author', NEW.user_id, unixepoch(NEW.live_at, 'unixepoch', 'start of month'), 1
    WHERE NEW.live_at IS NOT NULL
    ON CONFLICT (scope, id, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER months_author_gone AFTER DELETE ON article_authors
WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE list_months SET n = n - 1 WHERE scope = 'author' AND id = OLD.user_id
    AND month = unixepoch(OLD.live_at, 'unixepoch', 'start of month');
END;
