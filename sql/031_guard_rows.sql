-- 031: a new voter's counter costs one page of the file that no other
-- vote shares, not two. The counters were a table ordered by kind and key
-- (the address and the article) with an index by window: a vote on a
-- random article put a new entry at a random place in both, and each
-- such page is written to the log, copied back and flushed. Rows now
-- follow one another as they come, with the same columns; only the
-- unique index by kind and key takes an entry at a random place, and the
-- index by window takes each new entry at its end.
CREATE TABLE guard_rows (
  kind         TEXT NOT NULL,
  key          BLOB NOT NULL,
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  UNIQUE (kind, key)
);
INSERT INTO guard_rows (kind, key, window_start, count, last_at)
  SELECT kind, key, window_start, count, last_at FROM guard_counters ORDER BY window_start;
DROP TABLE guard_counters;
ALTER TABLE guard_rows RENAME TO guard_counters;
CREATE INDEX guard_counters_age ON guard_counters (window_start);
