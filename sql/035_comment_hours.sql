-- 035: a page far down a long comment list without skipping every
-- earlier comment.
--
-- Page 500 of the API's comments of an article with 50,000 walked 25,000
-- entries of the comments' index; a deep page of an article page's threads
-- walked every earlier thread. comment_hours keeps, for an article with a
-- long list (500 approved comments or more once), how many approved
-- comments it has in each hour of created_at (hour = created_at / 3600),
-- and how many of those start a thread. Summing an article's hours from
-- its oldest finds the hour that holds a page's first comment; the page is
-- then read from that hour's start, skipping less than an hour's comments
-- (see comment_seek in store_comment.c, which relies on the hours only
-- when they add up to the article's comment_count).
--
-- An article with a short list has no rows, so a comment on it writes
-- nothing more; an article's rows start in one go when its count of
-- approved comments first reaches 500, and are kept from then on by the
-- comments' own triggers below.
CREATE TABLE comment_hours (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  hour       INTEGER NOT NULL,
  n          INTEGER NOT NULL,   -- approved comments
  threads    INTEGER NOT NULL,   -- approved comments with no parent
  PRIMARY KEY (article_id, hour)
) WITHOUT ROWID;

INSERT INTO comment_hours (article_id, hour, n, threads)
  SELECT article_id, created_at / 3600, count(*), sum(parent_id IS NULL) FROM comments
  WHERE status = 'approved'
    AND article_id IN (SELECT id FROM articles WHERE comment_count >= 500)
  GROUP BY 1, 2;

CREATE TRIGGER comment_hours_start AFTER UPDATE OF comment_count ON articles
WHEN NEW.comment_count >= 500
  AND NOT EXISTS (SELECT 1 FROM comment_hours WHERE article_id = NEW.id) BEGIN
  INSERT INTO comment_hours (article_id, hour, n, threads)
    SELECT article_id, created_at / 3600, count(*), sum(parent_id IS NULL) FROM comments
    WHERE article_id = NEW.id AND status = 'approved' GROUP BY 2;
END;

CREATE TRIGGER comment_hours_new AFTER INSERT ON comments
WHEN NEW.status = 'approved'
  AND EXISTS (SELECT 1 FROM comment_hours WHERE article_id = NEW.article_id) BEGIN
  INSERT INTO comment_hours (article_id, hour, n, threads)
    VALUES (NEW.article_id, NEW.created_at / 3600, 1, NEW.parent_id IS NULL)
    ON CONFLICT (article_id, hour) DO UPDATE SET n = n + 1, threads = threads + excluded.threads;
END;

CREATE TRIGGER comment_hours_gone AFTER DELETE ON comments WHEN OLD.status = 'approved' BEGIN
  UPDATE comment_hours SET n = n - 1, threads = threads - (OLD.parent_id IS NULL)
    WHERE article_id = OLD.article_id AND hour = OLD.created_at / 3600;
END;

CREATE TRIGGER comment_hours_moved AFTER UPDATE OF article_id, status, created_at, parent_id
  ON comments
WHEN (OLD.status = 'approved' OR NEW.status = 'approved')
  AND (OLD.status IS NOT NEW.status OR OLD.article_id IS NOT NEW.article_id
       OR OLD.created_at IS NOT NEW.created_at
       OR (OLD.parent_id IS NULL) IS NOT (NEW.parent_id IS NULL)) BEGIN
  UPDATE comment_hours SET n = n - 1, threads = threads - (OLD.parent_id IS NULL)
    WHERE OLD.status = 'approved' AND article_id = OLD.article_id
      AND hour = OLD.created_at / 3600;
  INSERT INTO comment_hours (article_id, hour, n, threads)
    SELECT NEW.article_id, NEW.created_at / 3600, 1, NEW.parent_id IS NULL
    WHERE NEW.status = 'approved'
      AND EXISTS (SELECT 1 FROM comment_hours WHERE article_id = NEW.article_id)
    ON CONFLICT (article_id, hour) DO UPDATE SET n = n + 1, threads = threads + excluded.threads;
END;
