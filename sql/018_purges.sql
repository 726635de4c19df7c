-- 018: telling shared caches what changed. The server's own nginx and the
-- edges in front of it (Varnish, a CDN) keep readers' answers; each answer
-- names the cache tags it was built from (008). A background thread of
-- gazette serve reads the change log into this queue, one purge per tag
-- and cache, and sends them, trying again with growing delays while a
-- cache is unreachable, so that a change is never forgotten.
--
-- target: 'nginx' (the server's own cache) or an edge's host:port.
-- round: 0 is sent at once; a hard change is sent again (round 1) a
-- moment later, for answers that were on their way into a cache when the
-- first purge arrived. A soft change (a vote) is sent once, late.
CREATE TABLE purges (
  id         INTEGER PRIMARY KEY,
  target     TEXT NOT NULL,
  tag        TEXT NOT NULL,
  round      INTEGER NOT NULL DEFAULT 0,
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  created_ms INTEGER NOT NULL,             -- when the change was read
  changed_ms INTEGER NOT NULL,             -- when the latest change it carries was read
  asked_ms   INTEGER NOT NULL,             -- when it was first due
  due_ms     INTEGER NOT NULL,             -- when it is (next) tried
  attempts   INTEGER NOT NULL DEFAULT 0,
  done_ms    INTEGER,                      -- when sent, or given up
  error      TEXT NOT NULL DEFAULT ''      -- the last failure
);
-- One pending purge of a tag per cache and round: changes coalesce.
CREATE UNIQUE INDEX purges_pending ON purges (target, tag, round) WHERE state = 'pending';
CREATE INDEX purges_due ON purges (target, due_ms) WHERE state = 'pending';
CREATE INDEX purges_next ON purges (due_ms) WHERE state = 'pending';
CREATE INDEX purges_done ON purges (state, done_ms);
-- The purges sent of a tag, for an answer recorded after them.
CREATE INDEX purges_sent_tag ON purges (target, tag, changed_ms) WHERE state = 'sent';

-- Where the reader of the change log is: the last change queued, and the
-- time up to which scheduled publications have been noted as changes.
CREATE TABLE purge_cursor (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  seq          INTEGER NOT NULL,
  published_to INTEGER NOT NULL
);
INSERT INTO purge_cursor (id, seq, published_to)
  SELECT 1, coalesce(max(seq), 0), unixepoch() FROM changes;

-- The keys nginx may keep, with the tags of the answer last recorded for
-- each: nginx purges one key at a time, so these say which keys a tag
-- names. built_ms: when the answer's request began (it shows every change
-- made before); recorded_ms: when nginx was given it; purged_ms: the last
-- purge sent for the key.
CREATE TABLE cache_keys (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  built_ms    INTEGER NOT NULL,
  recorded_ms INTEGER NOT NULL,
  purged_ms   INTEGER
);
CREATE INDEX cache_keys_recorded ON cache_keys (recorded_ms);
CREATE TABLE cache_key_tags (
  tag    TEXT NOT NULL,
  key_id INTEGER NOT NULL REFERENCES cache_keys (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, key_id)
) WITHOUT ROWID;
CREATE INDEX cache_key_tags_key ON cache_key_tags (key_id);
