-- 010: when each setting last changed, so that answers built from the
-- settings (robots.txt, the feeds' titles) can say when they last changed
-- (Last-Modified). Triggers keep it, whatever writes the setting.
ALTER TABLE settings ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE settings SET changed_at = unixepoch();
CREATE TRIGGER settings_changed_new AFTER INSERT ON settings BEGIN
  UPDATE settings SET changed_at = unixepoch() WHERE key = NEW.key;
END;
CREATE TRIGGER settings_changed_edit AFTER UPDATE OF value ON settings BEGIN
  UPDATE settings SET changed_at = unixepoch() WHERE key = NEW.key;
END;
