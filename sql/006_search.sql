-- 006: full-text search over articles (title, summary, Markdown body; the
-- columns are named as in articles, so that FTS5 can read them back),
-- kept in step with the articles table by triggers. Words are split by
-- the unicode61 tokenizer (Arabic too) and English ones stemmed (porter).
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title, summary, body_md,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (rowid, title, summary, body_md)
  SELECT id, title, summary, body_md FROM articles;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    VALUES (new.id, new.title, new.summary, new.body_md);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    VALUES ('delete', old.id, old.title, old.summary, old.body_md);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, body_md ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_md)
    VALUES ('delete', old.id, old.title, old.summary, old.body_md);
  INSERT INTO articles_fts (rowid, title, summary, body_md)
    VALUES (new.id, new.title, new.summary, new.body_md);
END;
