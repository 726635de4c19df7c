-- 007: the tag list (API and newsroom) in name order without a sort.
CREATE INDEX tags_name ON tags (name, id);
