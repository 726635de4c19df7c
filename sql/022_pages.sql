-- 022: static pages (About, Contact...) at /page/{slug}: edited in the
-- newsroom by editors, listed in the footer's navigation when in_footer
-- is set, in position order. body_src is the text as edited (Markdown,
-- or HTML for a page imported from WordPress: see format), body_html
-- what readers get.
CREATE TABLE pages (
  id         INTEGER PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  title      TEXT NOT NULL,
  body_src   TEXT NOT NULL DEFAULT '',
  body_html  TEXT NOT NULL DEFAULT '',
  format     TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html')),
  status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  in_footer  INTEGER NOT NULL DEFAULT 0,
  position   INTEGER NOT NULL DEFAULT 0,
  author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The published pages in the footer's and the API's order.
CREATE INDEX pages_public ON pages (position, title, id) WHERE status = 'published';
CREATE INDEX pages_updated ON pages (updated_at DESC);

-- What readers see change (see 008): a published page's own answers
-- ('page-N'), the API's list ('pages') and, when what the footer shows
-- changes, every page ('site').
CREATE TRIGGER changes_page_new AFTER INSERT ON pages WHEN NEW.status = 'published' BEGIN
  INSERT INTO changes (tag, at) VALUES ('page-' || NEW.id, unixepoch()), ('pages', unixepoch()),
    ('site', unixepoch());
END;
CREATE TRIGGER changes_page_edit AFTER UPDATE ON pages
WHEN OLD.status = 'published' OR NEW.status = 'published' BEGIN
  INSERT INTO changes (tag, at) VALUES ('page-' || NEW.id, unixepoch()), ('pages', unixepoch());
  INSERT INTO changes (tag, at) SELECT 'site', unixepoch()
    WHERE OLD.status IS NOT NEW.status OR OLD.slug IS NOT NEW.slug OR OLD.title IS NOT NEW.title
      OR OLD.in_footer IS NOT NEW.in_footer OR OLD.position IS NOT NEW.position;
END;
CREATE TRIGGER changes_page_gone AFTER DELETE ON pages WHEN OLD.status = 'published' BEGIN
  INSERT INTO changes (tag, at) VALUES ('page-' || OLD.id, unixepoch()), ('pages', unixepoch()),
    ('site', unixepoch());
END;
