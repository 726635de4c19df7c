-- 024: what `gazette import wordpress` keeps between runs, so that a run
-- on the same file changes nothing and one on a newer export of the same
-- site brings its changes in.

-- The sites imported from, by address (the export's base_blog_url).
CREATE TABLE import_sources (
  id  INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE
);

-- (source, kind, WordPress's id) -> what it became in Gazette. kind is
-- author (wp_id: the login), category, tag (wp_id: the term's id),
-- article, page (the post's id) or comment. wp_id has no type: an id is
-- kept as an integer, so that the entries of a file, which gives them in
-- increasing order, are added at the end of the index rather than all
-- over it; a login as text. wp_slug is a term's nicename,
-- which posts name their terms by. digest is a hash of the record as it
-- was last imported: an unchanged record is skipped without a write.
-- stamp is the updated_at the import gave an article or a page, so that
-- one edited in the newsroom since is not overwritten.
CREATE TABLE import_map (
  source     INTEGER NOT NULL REFERENCES import_sources (id),
  kind       TEXT NOT NULL,
  wp_id      NOT NULL,
  gazette_id INTEGER NOT NULL,
  wp_slug    TEXT,
  digest     BLOB,
  stamp      INTEGER,
  PRIMARY KEY (source, kind, wp_id)
) WITHOUT ROWID;
CREATE INDEX import_map_slug ON import_map (source, kind, wp_slug) WHERE wp_slug IS NOT NULL;

-- The export's attachments (pictures and files in the WordPress uploads
-- folder): their address, their file under the uploads folder, their
-- text, which a picture taken into the library keeps.
CREATE TABLE import_attachments (
  source       INTEGER NOT NULL REFERENCES import_sources (id),
  wp_id        INTEGER NOT NULL,
  parent_wp_id INTEGER,
  url          TEXT NOT NULL,
  file         TEXT NOT NULL,
  title        TEXT NOT NULL DEFAULT '',
  alt          TEXT NOT NULL DEFAULT '',
  caption      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (source, wp_id)
) WITHOUT ROWID;
CREATE INDEX import_attachments_parent ON import_attachments (source, parent_wp_id, wp_id);

CREATE INDEX import_attachments_file ON import_attachments (source, file);

-- The files of the uploads folder the source's articles show (featured or
-- in their texts), each taken into the picture library once: media_id is
-- its picture, refused set when the library would not take it (not a
-- picture, or too large). A run again takes only the files not taken yet.
CREATE TABLE import_files (
  source   INTEGER NOT NULL REFERENCES import_sources (id),
  file     TEXT NOT NULL,
  media_id INTEGER REFERENCES media (id) ON DELETE SET NULL,
  refused  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source, file)
) WITHOUT ROWID;

-- Which file of the uploads folder each picture address of the texts is
-- (a WordPress size such as name-300x200.jpg is its attachment's file).
CREATE TABLE import_picture_urls (
  source INTEGER NOT NULL REFERENCES import_sources (id),
  url    TEXT NOT NULL,
  file   TEXT NOT NULL,
  PRIMARY KEY (source, url)
) WITHOUT ROWID;

-- An imported article's featured picture (WordPress's _thumbnail_id); the
-- article's image_id once its file is in the library.
CREATE TABLE import_featured (
  article_id       INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
  source           INTEGER NOT NULL REFERENCES import_sources (id),
  attachment_wp_id INTEGER NOT NULL
);
CREATE VIEW import_featured_files AS
  SELECT f.article_id, f.attachment_wp_id, x.url, x.file
  FROM import_featured f
  LEFT JOIN import_attachments x ON x.source = f.source AND x.wp_id = f.attachment_wp_id;

-- The pictures an imported article's or page's text shows, by address,
-- as written in the export (an article's text shows the library's picture
-- once its file is taken in).
CREATE TABLE import_images (
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('article', 'page')),
  owner_id   INTEGER NOT NULL,
  url        TEXT NOT NULL,
  source     INTEGER NOT NULL REFERENCES import_sources (id),
  PRIMARY KEY (owner_kind, owner_id, url)
) WITHOUT ROWID;
CREATE INDEX import_images_source ON import_images (source);

-- The import's scratch, empty but while an import runs (in its one
-- transaction). import_texts holds the articles' texts until the end,
-- when they are written to article_bodies a few hundred at a time: the
-- search index flushes what it holds at every statement of a transaction
-- it takes part in, so it is better written last. import_parents holds
-- the comments whose parent comes later in the file, import_relink the
-- texts that link to old addresses not imported yet. They are tables of
-- the database, not temporary ones, so that what they hold never has to
-- fit in memory.
CREATE TABLE import_texts (
  article_id INTEGER PRIMARY KEY,
  html       TEXT NOT NULL
);
CREATE TABLE import_parents (
  comment_id INTEGER PRIMARY KEY,
  wp_parent  NOT NULL
);
CREATE TABLE import_relink (
  kind INTEGER NOT NULL,
  id   INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
