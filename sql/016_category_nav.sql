-- 016: the navigation names only the categories that hold an article
-- readers can see (src/store/store_category.c), and every page shows it: a
-- category that gets its first visible article, or loses its last, is a
-- change of the site. (The moment a scheduled article comes out, pages
-- expire anyway.) live_at <= now is SQL_VISIBLE of src/store/store_sql.h.
CREATE TRIGGER changes_category_shown AFTER UPDATE OF status, published_at, category_id ON articles
WHEN OLD.live_at IS NOT NEW.live_at OR OLD.category_id IS NOT NEW.category_id BEGIN
  INSERT INTO changes (tag, at) SELECT 'site', unixepoch()
    WHERE (NEW.live_at <= unixepoch() AND NOT EXISTS (SELECT 1 FROM articles a
             WHERE a.category_id = NEW.category_id AND a.id <> NEW.id AND a.live_at <= unixepoch()))
       OR (OLD.live_at <= unixepoch() AND NOT EXISTS (SELECT 1 FROM articles a
             WHERE a.category_id = OLD.category_id AND a.live_at <= unixepoch()));
END;
CREATE TRIGGER changes_category_first AFTER INSERT ON articles
WHEN NEW.live_at <= unixepoch() BEGIN
  INSERT INTO changes (tag, at) SELECT 'site', unixepoch()
    WHERE NOT EXISTS (SELECT 1 FROM articles a
      WHERE a.category_id = NEW.category_id AND a.id <> NEW.id AND a.live_at <= unixepoch());
END;
CREATE TRIGGER changes_category_emptied AFTER DELETE ON articles
WHEN OLD.live_at <= unixepoch() BEGIN
  INSERT INTO changes (tag, at) SELECT 'site', unixepoch()
    WHERE NOT EXISTS (SELECT 1 FROM articles a
      WHERE a.category_id = OLD.category_id AND a.live_at <= unixepoch());
END;
