-- 023: the addresses of a site Gazette took over (a WordPress import
-- writes them) that answer 301 to what they became: an article, a static
-- page, a category, a tag or an author. path is the old address's path,
-- percent-decoded, without a trailing slash ("/2012/01/03/a-post"), or
-- "/?p=ID" and the like for an address by query. A request that finds no
-- route, or a reader's page that finds nothing, looks its path up here
-- once; the target's current address is read at that moment, so renames
-- in Gazette never leave a redirect pointing at an old one.
CREATE TABLE legacy_paths (
  path   TEXT PRIMARY KEY,
  kind   TEXT NOT NULL CHECK (kind IN ('article', 'page', 'category', 'tag', 'author')),
  target INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX legacy_paths_target ON legacy_paths (kind, target);
