-- 021: an article's body is Markdown (written in the newsroom, rendered
-- by cmark) or HTML (imported from WordPress, kept as HTML and sanitized
-- whenever it is written). body_md holds the text as edited in either
-- format, body_html what readers get.
ALTER TABLE article_bodies ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown'
  CHECK (format IN ('markdown', 'html'));
