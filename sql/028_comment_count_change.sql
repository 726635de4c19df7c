-- 028: a new comment changes its article (its page, and every card that
-- shows the count), not the lists and the search as a whole. The count
-- was among the columns of changes_article_text, so each comment also
-- marked 'search' and 'articles' changed: every search page and API list
-- in every cache was purged by every comment, and each comment cost the
-- change log, the purge queue and nginx three purges instead of one. The
-- cards of those lists carry their articles' tags, which is how a count
-- reaches them, as a vote's figures do.
DROP TRIGGER changes_article_text;
CREATE TRIGGER changes_article_text AFTER UPDATE OF slug, title, summary, lang, dir, status,
  featured, category_id, author_id, published_at, updated_at, image_id,
  revised_at, comments_closed ON articles
WHEN OLD.status IN ('published', 'scheduled') OR NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch()), ('search', unixepoch()),
    ('articles', unixepoch());
END;
CREATE TRIGGER changes_article_comments AFTER UPDATE OF comment_count ON articles
WHEN NEW.status IN ('published', 'scheduled') AND OLD.comment_count IS NOT NEW.comment_count BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch());
END;
