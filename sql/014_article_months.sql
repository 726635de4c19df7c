-- 014: each month's listed articles (published or scheduled, by live_at in
-- UTC) and when that month's list last changed, kept by triggers, so that
-- the sitemap index reads a row a month instead of every article. month is
-- the month's first second (Unix time). An article leaving a month (taken
-- down, moved, deleted) is a change of that month's list too.
CREATE TABLE article_months (
  month   INTEGER PRIMARY KEY,
  n       INTEGER NOT NULL,
  lastmod INTEGER NOT NULL
);
INSERT INTO article_months (month, n, lastmod)
  SELECT unixepoch(live_at, 'unixepoch', 'start of month'), count(*),
    max(max(updated_at, live_at))
  FROM articles WHERE live_at IS NOT NULL GROUP BY 1;

CREATE TRIGGER months_article_new AFTER INSERT ON articles WHEN NEW.live_at IS NOT NULL BEGIN
  INSERT INTO article_months (month, n, lastmod)
    VALUES (unixepoch(NEW.live_at, 'unixepoch', 'start of month'), 1,
            max(NEW.updated_at, NEW.live_at))
    ON CONFLICT (month) DO UPDATE SET n = n + 1, lastmod = max(lastmod, excluded.lastmod);
END;
CREATE TRIGGER months_article_gone AFTER DELETE ON articles WHEN OLD.live_at IS NOT NULL BEGIN
  UPDATE article_months SET n = n - 1, lastmod = max(lastmod, unixepoch())
    WHERE month = unixepoch(OLD.live_at, 'unixepoch', 'start of month');
END;
CREATE TRIGGER months_article_out AFTER UPDATE OF status, published_at ON articles
WHEN OLD.live_at IS NOT NULL AND NEW.live_at IS NOT OLD.live_at BEGIN
  UPDATE article_months SET n = n - 1, lastmod = max(lastmod, unixepoch())
    WHERE month = unixepoch(OLD.live_at, 'unixepoch', 'start of month');
END;
CREATE TRIGGER months_article_in AFTER UPDATE OF status, published_at ON articles
WHEN NEW.live_at IS NOT NULL AND NEW.live_at IS NOT OLD.live_at BEGIN
  INSERT INTO article_months (month, n, lastmod)
    VALUES (unixepoch(NEW.live_at, 'unixepoch', 'start of month'), 1,
            max(NEW.updated_at, NEW.live_at, unixepoch()))
    ON CONFLICT (month) DO UPDATE SET n = n + 1, lastmod = max(lastmod, excluded.lastmod);
END;
CREATE TRIGGER months_article_edit AFTER UPDATE OF updated_at ON articles
WHEN NEW.live_at IS NOT NULL AND NEW.live_at IS OLD.live_at BEGIN
  UPDATE article_months SET lastmod = max(lastmod, NEW.updated_at)
    WHERE month = unixepoch(NEW.live_at, 'unixepoch', 'start of month');
END;

-- The index 013 made for the sitemap index is read no more.
DROP INDEX articles_live_changed;
