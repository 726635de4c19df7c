-- 008: what changed, for the caches. A write that changes what readers see
-- notes, in its own transaction, the cache tags it touched: 'article-12',
-- 'category-3', 'tag-9', 'author-2', 'home', 'search', 'feeds', 'articles'
-- (the API's lists), 'taxa' (the API's category, tag and author lists) and
-- 'site' (settings and navigation: every page). Each worker reads what is
-- new since it last looked and drops the cached answers built from those
-- things, and nothing else. soft = 1 marks a change of figures only (a
-- vote): pages showing it may stay a few seconds old. Rows older than a few
-- minutes are pruned.
CREATE TABLE changes (
  seq  INTEGER PRIMARY KEY AUTOINCREMENT,
  tag  TEXT NOT NULL,
  soft INTEGER NOT NULL DEFAULT 0,
  at   INTEGER NOT NULL
);
CREATE INDEX changes_at ON changes (at);

-- The notes are written by triggers, so that every write is seen whatever
-- makes it (the server, the gazette command, an import, a hand-made fix).
-- An article's own things: its page and every card showing it. A vote
-- changes only rating_count and rating_sum: a soft change.
CREATE TRIGGER changes_article_figures AFTER UPDATE OF rating_count, rating_sum ON articles
WHEN NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, soft, at) VALUES ('article-' || NEW.id, 1, unixepoch());
END;
CREATE TRIGGER changes_article_text AFTER UPDATE OF slug, title, summary, body_md, body_html,
  lang, dir, status, featured, category_id, author_id, published_at, updated_at,
  comment_count ON articles
WHEN OLD.status IN ('published', 'scheduled') OR NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch()), ('search', unixepoch()),
    ('articles', unixepoch());
END;
-- When an article enters, leaves or moves among the lists: the lists.
CREATE TRIGGER changes_article_lists AFTER UPDATE OF status, featured, category_id, author_id,
  published_at ON articles
WHEN (OLD.status IN ('published', 'scheduled') OR NEW.status IN ('published', 'scheduled'))
  AND (OLD.status IS NOT NEW.status OR OLD.featured IS NOT NEW.featured
       OR OLD.category_id IS NOT NEW.category_id OR OLD.author_id IS NOT NEW.author_id
       OR OLD.published_at IS NOT NEW.published_at) BEGIN
  INSERT INTO changes (tag, at) VALUES ('home', unixepoch()), ('feeds', unixepoch()),
    ('taxa', unixepoch()), ('category-' || OLD.category_id, unixepoch()),
    ('category-' || NEW.category_id, unixepoch()), ('author-' || OLD.author_id, unixepoch()),
    ('author-' || NEW.author_id, unixepoch());
  INSERT INTO changes (tag, at) SELECT 'tag-' || tag_id, unixepoch() FROM article_tags
    WHERE article_id = NEW.id;
END;
CREATE TRIGGER changes_article_new AFTER INSERT ON articles
WHEN NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch()),
    ('home', unixepoch()), ('search', unixepoch()), ('feeds', unixepoch()),
    ('articles', unixepoch()), ('taxa', unixepoch()), ('category-' || NEW.category_id, unixepoch()),
    ('author-' || NEW.author_id, unixepoch());
END;
CREATE TRIGGER changes_article_gone BEFORE DELETE ON articles
WHEN OLD.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || OLD.id, unixepoch()),
    ('home', unixepoch()), ('search', unixepoch()), ('feeds', unixepoch()),
    ('articles', unixepoch()), ('taxa', unixepoch()), ('category-' || OLD.category_id, unixepoch()),
    ('author-' || OLD.author_id, unixepoch());
  INSERT INTO changes (tag, at) SELECT 'tag-' || tag_id, unixepoch() FROM article_tags
    WHERE article_id = OLD.id;
END;
-- A tag put on or taken off an article readers may see.
CREATE TRIGGER changes_tag_on AFTER INSERT ON article_tags
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('tag-' || NEW.tag_id, unixepoch()),
    ('article-' || NEW.article_id, unixepoch()), ('taxa', unixepoch());
END;
CREATE TRIGGER changes_tag_off AFTER DELETE ON article_tags
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('tag-' || OLD.tag_id, unixepoch()),
    ('article-' || OLD.article_id, unixepoch()), ('taxa', unixepoch());
END;
-- Approved comments show on their article's page.
CREATE TRIGGER changes_comment_new AFTER INSERT ON comments
WHEN NEW.status = 'approved' BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.article_id, unixepoch());
END;
CREATE TRIGGER changes_comment_edit AFTER UPDATE ON comments
WHEN OLD.status = 'approved' OR NEW.status = 'approved' BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.article_id, unixepoch());
END;
CREATE TRIGGER changes_comment_gone AFTER DELETE ON comments
WHEN OLD.status = 'approved' BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || OLD.article_id, unixepoch());
END;
-- Names every page shows: the settings, the sections in the navigation,
-- tags' names, authors' names (and whether they are shown at all).
CREATE TRIGGER changes_settings AFTER INSERT ON settings BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_settings_edit AFTER UPDATE ON settings BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_category_new AFTER INSERT ON categories BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_category_edit AFTER UPDATE ON categories BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_category_gone AFTER DELETE ON categories BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_tag_edit AFTER UPDATE ON tags BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_tag_gone AFTER DELETE ON tags BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
CREATE TRIGGER changes_user_edit AFTER UPDATE OF username, display_name, bio, disabled ON users
BEGIN
  INSERT INTO changes (tag, at) VALUES ('site', unixepoch());
END;
