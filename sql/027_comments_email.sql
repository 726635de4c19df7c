-- 027: whether a name and email have an approved comment (so that a new
-- one is approved at once) is one seek, not a walk over every approved
-- comment of that email under other names: someone posting under a
-- frequent commenter's address with another name made each of their
-- comments read all of that commenter's.
DROP INDEX comments_email;
CREATE INDEX comments_email ON comments (author_email, status, author_name);
