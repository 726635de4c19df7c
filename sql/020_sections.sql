-- 020: sections and their subsections. A category may have a parent (a
-- section holds subsections, to any depth); its path is the slugs from
-- the top section down, joined by '/', as its address reads
-- (/category/world/europe). The trigger gives a new category its path; a
-- change of slug or parent is followed by the store, which writes the
-- paths of the category and of everything under it again
-- (category_paths_refresh).
ALTER TABLE categories ADD COLUMN parent_id INTEGER REFERENCES categories (id);
ALTER TABLE categories ADD COLUMN path TEXT NOT NULL DEFAULT '';
UPDATE categories SET path = slug;
-- A section's subsections, in the navigation's order.
CREATE INDEX categories_parent ON categories (parent_id, position, name);
-- The categories under a section: those whose path begins with its own.
CREATE INDEX categories_path ON categories (path);

CREATE TRIGGER categories_path_new AFTER INSERT ON categories BEGIN
  UPDATE categories SET path = coalesce((SELECT p.path || '/' FROM categories p
    WHERE p.id = NEW.parent_id), '') || NEW.slug WHERE id = NEW.id;
END;
