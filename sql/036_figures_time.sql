-- 036: a vote queues a purge for nginx only when nginx may hold a page of
-- the article.
--
-- Each vote's purge of its article was a row queued, marked sent and later
-- pruned, each step an entry at a random place of the purges' indexes:
-- under votes on articles nobody had read through nginx, about as many
-- pages written as the votes themselves wrote. The queue now passes by a
-- change of figures for nginx when no key nginx was given carries the
-- article's tag (cache_key_tags). An answer built before the vote but
-- given to nginx after the change was read would then be missed:
-- figures_ms keeps when the article's figures last changed (Unix ms), and
-- recording an answer built before that, or less than two seconds after
-- (the time is taken before the vote's commit), queues the purge the vote
-- would have had (cache_key_record). Edges, whose keys are not known, get
-- every purge as before.
ALTER TABLE articles ADD COLUMN figures_ms INTEGER;

DROP TRIGGER changes_article_figures;
CREATE TRIGGER changes_article_figures AFTER UPDATE OF rating_count, rating_sum ON articles
WHEN NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, soft, at) VALUES ('article-' || NEW.id, 1, unixepoch());
  UPDATE articles SET figures_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    WHERE id = NEW.id;
END;
