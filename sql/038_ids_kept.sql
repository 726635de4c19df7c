-- 038: an article's, a comment's or a picture's id is never given again.
-- SQLite gives a new row the highest id in use plus one: once the newest
-- article was deleted, the next one took its id, and an app that kept a
-- copy, or a system told of the deletion by a webhook, took the new
-- article for the old one. retired_ids keeps the highest id each table has
-- deleted, and the writers give a new row the next id above both
-- (SQL_NEXT_ID in src/store/store_sql.h), as WordPress never gives an id
-- twice. A row deleted with its article (its comments) counts too.
CREATE TABLE retired_ids (
  tbl  TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER retired_articles AFTER DELETE ON articles BEGIN
  INSERT INTO retired_ids (tbl, last) VALUES ('articles', OLD.id)
    ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER retired_comments AFTER DELETE ON comments BEGIN
  INSERT INTO retired_ids (tbl, last) VALUES ('comments', OLD.id)
    ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER retired_media AFTER DELETE ON media BEGIN
  INSERT INTO retired_ids (tbl, last) VALUES ('media', OLD.id)
    ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
