-- 025: an HTML body (imported from WordPress) is searched by its plain
-- text, not by its markup: search_text holds it (html_text() of the body,
-- filled by whoever writes an HTML body), NULL for a Markdown body, which
-- is searched as it is written. The search index reads
-- coalesce(search_text, body_md) everywhere: its triggers, and the view
-- its passages are cut from.
ALTER TABLE article_bodies ADD COLUMN search_text TEXT;

DROP VIEW article_search_docs;
CREATE VIEW article_search_docs AS
  SELECT a.id AS id, a.title AS title, a.summary AS summary,
    coalesce(b.search_text, b.body_md) AS body_md
  FROM articles a JOIN article_bodies b ON b.article_id = a.id;

DROP TRIGGER articles_fts_body_new;
DROP TRIGGER articles_fts_body_edit;
DROP TRIGGER articles_fts_body_gone;
DROP TRIGGER articles_fts_title;
DROP TRIGGER articles_fts_gone;

CREATE TRIGGER articles_fts_body_new AFTER INSERT ON article_bodies BEGIN
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    SELECT a.id, a.title, a.summary, coalesce(NEW.search_text, NEW.body_md) FROM articles a
    WHERE a.id = NEW.article_id;
END;
CREATE TRIGGER articles_fts_body_edit AFTER UPDATE OF body_md, search_text ON article_bodies BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', a.id, a.title, a.summary, coalesce(OLD.search_text, OLD.body_md)
    FROM articles a WHERE a.id = OLD.article_id;
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    SELECT a.id, a.title, a.summary, coalesce(NEW.search_text, NEW.body_md) FROM articles a
    WHERE a.id = NEW.article_id;
END;
CREATE TRIGGER articles_fts_body_gone BEFORE DELETE ON article_bodies BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', a.id, a.title, a.summary, coalesce(OLD.search_text, OLD.body_md)
    FROM articles a WHERE a.id = OLD.article_id;
END;
CREATE TRIGGER articles_fts_title AFTER UPDATE OF title, summary ON articles
WHEN EXISTS (SELECT 1 FROM article_bodies WHERE article_id = NEW.id) BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', OLD.id, OLD.title, OLD.summary, coalesce(b.search_text, b.body_md)
    FROM article_bodies b WHERE b.article_id = OLD.id;
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    SELECT NEW.id, NEW.title, NEW.summary, coalesce(b.search_text, b.body_md)
    FROM article_bodies b WHERE b.article_id = NEW.id;
END;
CREATE TRIGGER articles_fts_gone BEFORE DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    SELECT 'delete', OLD.id, OLD.title, OLD.summary, coalesce(b.search_text, b.body_md)
    FROM article_bodies b WHERE b.article_id = OLD.id;
END;

-- The HTML bodies already written are indexed again by their text (the
-- edit trigger takes out what was indexed, their markup included).
UPDATE article_bodies SET search_text = html_text(body_md) WHERE format = 'html';
