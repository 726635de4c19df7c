-- 012: when each cache tag last changed, kept for good while the change
-- log (008) is pruned after minutes. An answer for machines (a feed, a
-- sitemap, robots.txt) says when what it was built from last changed
-- (Last-Modified) from the times of its tags: it moves on when an article
-- leaves a list too, which the entries left in the list cannot tell. A
-- change of figures only (a vote) does not count.
CREATE TABLE change_times (
  tag TEXT PRIMARY KEY,
  at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER change_times_note AFTER INSERT ON changes WHEN NEW.soft = 0 BEGIN
  INSERT INTO change_times (tag, at) VALUES (NEW.tag, NEW.at)
    ON CONFLICT (tag) DO UPDATE SET at = max(at, excluded.at);
END;
-- What a site upgraded to this schema served before is at least this old.
INSERT INTO change_times (tag, at) VALUES ('site', unixepoch());
