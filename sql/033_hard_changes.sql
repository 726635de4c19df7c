-- 033: the newest change that is not of figures alone, in one seek.
--
-- A reader's write waits for nginx's purge of what it changed unless it
-- changed figures only (a vote: a soft change, sql/008). To learn that it
-- took the newest hard change after the one seen before the write, read
-- from every change logged since: under a stream of votes, hundreds of
-- other writers' soft changes for each request. The hard ones have an
-- index of their own; a vote adds nothing to it.
CREATE INDEX changes_hard ON changes (seq) WHERE soft = 0;
