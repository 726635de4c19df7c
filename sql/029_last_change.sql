-- 029: when a list last changed (its Last-Modified) is the newest of its
-- articles' publications and edits. The edits were read from
-- articles_updated, newest first, each entry's row read to skip what is
-- not yet visible: every article scheduled and edited since the newest
-- visible edit (all of the scheduled ones, as a rule) cost a row. This
-- index holds the listed articles only, with their live_at, so that the
-- skipping reads the index alone.
CREATE INDEX articles_updated_live ON articles (updated_at DESC, live_at)
  WHERE live_at IS NOT NULL;
