-- 005: an article page shows its comments fifty threads at a time; this
-- index holds the approved top-level comments in page order, so a page and
-- the count of pages read only it, however many replies there are.
CREATE INDEX comments_threads ON comments (article_id, created_at, id)
  WHERE parent_id IS NULL AND status = 'approved';
