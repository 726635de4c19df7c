-- 004: counters for the guards against ballot stuffing and comment floods,
-- so that each check reads one row whatever the traffic was.
-- kind 'vote': key is the address hash and the article id; the window is
-- the UTC day; count is the new voters from that address on that article.
-- kind 'comment': key is the address hash; the window is the hour; count
-- is the comments posted, last_at the time of the latest.
CREATE TABLE guard_counters (
  kind         TEXT NOT NULL,
  key          BLOB NOT NULL,
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX guard_counters_age ON guard_counters (window_start);
DROP INDEX comments_ip;
DROP INDEX ratings_ip;
