-- 002: what the comment and rating guards look up.
-- Flood control counts a network's recent comments.
CREATE INDEX comments_ip ON comments (ip_hash, created_at);
-- A commenter's own held comments are shown back to them.
CREATE INDEX comments_visitor ON comments (visitor, article_id);
