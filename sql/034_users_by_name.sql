-- 034: the API's list of authors walks the accounts in name order.
--
-- It sorted every author with a visible article by name for each page
-- (200 on the generated archive: 3,900 steps for twenty); an index of the
-- accounts by name gives them in order, each checked by one look-up of its
-- list's first article (article_counts.first_at), as the tags are walked.
CREATE INDEX users_by_name ON users (display_name, id);
