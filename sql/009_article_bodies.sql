-- 009: an article's text in a table of its own, so that listing and
-- counting articles read their small rows and never the text (a row with
-- a long body spills over several pages, and every column after it then
-- costs all of them). The search index reads the text from the view
-- article_search_docs.
CREATE TABLE article_bodies (
  article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
  body_md    TEXT NOT NULL DEFAULT '',
  body_html  TEXT NOT NULL DEFAULT ''    -- rendered when written
);
INSERT INTO article_bodies (article_id, body_md, body_html)
  SELECT id, body_md, body_html FROM articles;

DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP TRIGGER changes_article_text;
DROP TABLE articles_fts;
ALTER TABLE articles DROP COLUMN body_md;
ALTER TABLE articles DROP COLUMN body_html;

CREATE VIEW article_search_docs AS
  SELECT a.id AS id, a.title AS title, a.summary AS summary, b.body_md AS body_md
  FROM articles a JOIN article_bodies b ON b.article_id = a.id;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title, summary, body_md,
  content = 'article_search_docs', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

-- The index follows the text: an article's row comes first, its body
-- right after (both in the writer's transaction).
CREATE TRIGGER articles_fts_body_new AFTER INSERT ON article_bodies BEGIN
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    SELECT a.id, a.title, a.summary, NEW.body_md FROM articles a WHERE a.id = NEW.article_id;
END;
CREATE TRIGGER articles_fts_body_edit AFTER UPDATE OF body_md ON article_bodies BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', a.id, a.title, a.summary, OLD.body_md FROM articles a
    WHERE a.id = OLD.article_id;
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    SELECT a.id, a.title, a.summary, NEW.body_md FROM articles a WHERE a.id = NEW.article_id;
END;
CREATE TRIGGER articles_fts_body_gone BEFORE DELETE ON article_bodies BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', a.id, a.title, a.summary, OLD.body_md FROM articles a
    WHERE a.id = OLD.article_id;
END;
CREATE TRIGGER articles_fts_title AFTER UPDATE OF title, summary ON articles
WHEN EXISTS (SELECT 1 FROM article_bodies WHERE article_id = NEW.id) BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', OLD.id, OLD.title, OLD.summary, b.body_md FROM article_bodies b
    WHERE b.article_id = OLD.id;
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    SELECT NEW.id, NEW.title, NEW.summary, b.body_md FROM article_bodies b
    WHERE b.article_id = NEW.id;
END;
-- A deleted article leaves the index before its row goes (its body is
-- deleted after it, by the foreign key, when the row is gone).
CREATE TRIGGER articles_fts_gone BEFORE DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', OLD.id, OLD.title, OLD.summary, b.body_md FROM article_bodies b
    WHERE b.article_id = OLD.id;
END;

-- What readers see change, as in 008, with the text now in its own table.
CREATE TRIGGER changes_article_text AFTER UPDATE OF slug, title, summary, lang, dir, status,
  featured, category_id, author_id, published_at, updated_at, comment_count ON articles
WHEN OLD.status IN ('published', 'scheduled') OR NEW.status IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.id, unixepoch()), ('search', unixepoch()),
    ('articles', unixepoch());
END;
CREATE TRIGGER changes_article_body AFTER UPDATE ON article_bodies
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) IN ('published', 'scheduled') BEGIN
  INSERT INTO changes (tag, at) VALUES ('article-' || NEW.article_id, unixepoch()),
    ('search', unixepoch()), ('feeds', unixepoch());
END;
