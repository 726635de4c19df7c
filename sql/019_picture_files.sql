-- 019: the picture files the edges keep. nginx serves /media/ itself and
-- names each file's picture in its Surrogate-Key ("picture-" and the
-- file's stem, shared by all its sizes: scripts/nginx.conf.in); when a
-- picture's files go (the picture deleted, or replaced), that tag changes,
-- so that edges and CDNs forget them too.
CREATE TRIGGER changes_picture_files_gone AFTER DELETE ON media_files
WHEN instr(OLD.name, '-') > 1 BEGIN
  INSERT INTO changes (tag, at)
    VALUES ('picture-' || substr(OLD.name, 1, instr(OLD.name, '-') - 1), unixepoch());
END;
