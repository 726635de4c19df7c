-- 026: the pictures a static page's text shows, as article_media is for
-- articles: a page's text (Markdown or HTML) shows library pictures as
-- an article's does, a picture a page shows cannot be deleted, replacing
-- it rewrites the page, and its changes reach the page's answers.
CREATE TABLE page_media (
  page_id  INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
  media_id INTEGER NOT NULL REFERENCES media (id),
  PRIMARY KEY (page_id, media_id)
) WITHOUT ROWID;
CREATE INDEX page_media_media ON page_media (media_id, page_id);

CREATE TRIGGER changes_media_page AFTER UPDATE OF alt, caption, credit, derived_at ON media BEGIN
  INSERT INTO changes (tag, at) SELECT 'page-' || x.page_id, unixepoch()
    FROM page_media x JOIN pages p ON p.id = x.page_id
    WHERE x.media_id = NEW.id AND p.status = 'published';
END;
