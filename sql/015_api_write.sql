-- 015: apps that write. Personal API tokens, the answers kept for an
-- Idempotency-Key, and webhooks: the endpoints admins register and the
-- queue of deliveries the server's webhook thread sends.

-- A token is "gzt_" SELECTOR "_" SECRET (docs/api.md). The selector finds
-- the row; only a BLAKE2b-256 hash of the secret is kept, compared in
-- constant time. Tokens act with their user's role as it is now.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  selector     TEXT NOT NULL UNIQUE,
  secret_hash  BLOB NOT NULL,
  scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  last_used_ip TEXT,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- A disabled account, or one whose password changed (by its owner, an
-- admin or the gazette command), loses its tokens, whatever made the
-- change.
CREATE TRIGGER api_tokens_user_disabled AFTER UPDATE OF disabled ON users
WHEN NEW.disabled <> 0 AND OLD.disabled = 0 BEGIN
  UPDATE api_tokens SET revoked_at = unixepoch() WHERE user_id = NEW.id AND revoked_at IS NULL;
END;
CREATE TRIGGER api_tokens_user_password AFTER UPDATE OF password_hash ON users
WHEN OLD.password_hash IS NOT NEW.password_hash BEGIN
  UPDATE api_tokens SET revoked_at = unixepoch() WHERE user_id = NEW.id AND revoked_at IS NULL;
END;

-- The first answer to a POST sent with an Idempotency-Key, per user, kept
-- a day: a retry with the same key gets it again. status 0: the first
-- request is still being answered.
CREATE TABLE api_idempotency (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  fingerprint  BLOB NOT NULL,
  status       INTEGER NOT NULL DEFAULT 0,
  content_type TEXT,
  etag         TEXT,
  headers      TEXT,
  body         BLOB,
  created_at   INTEGER NOT NULL,
  UNIQUE (user_id, key)
);
CREATE INDEX api_idempotency_age ON api_idempotency (created_at);
CREATE INDEX api_idempotency_user ON api_idempotency (user_id);

-- Webhooks: where to POST which events, signed with secret.
CREATE TABLE webhooks (
  id         INTEGER PRIMARY KEY,
  url        TEXT NOT NULL,
  events     TEXT NOT NULL,            -- event names, space-separated
  secret     TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One event for one endpoint. The webhook thread sends what is due
-- (next_at), again and again with a growing wait, until the receiver
-- answers 2xx or give_up_at has passed.
CREATE TABLE webhook_deliveries (
  id          INTEGER PRIMARY KEY,
  webhook_id  INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event       TEXT NOT NULL,
  data        TEXT NOT NULL,           -- a JSON object: what the event is about
  state       TEXT NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  give_up_at  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  last_at     INTEGER,
  last_status INTEGER,                 -- the receiver's HTTP status; NULL: no answer
  last_error  TEXT,                    -- why the last attempt failed
  last_answer TEXT                     -- the start of the receiver's last answer
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_age ON webhook_deliveries (created_at);

-- Scheduled articles become visible when their time comes, with no write:
-- the webhook thread announces those that came after scheduled_until.
CREATE TABLE webhook_clock (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  scheduled_until INTEGER NOT NULL
);
INSERT INTO webhook_clock (id, scheduled_until) VALUES (1, unixepoch());

-- What an article event says about the article.
CREATE VIEW webhook_article_data (id, data) AS
  SELECT a.id, json_object('id', a.id, 'slug', a.slug, 'title', a.title, 'summary', a.summary,
    'lang', a.lang, 'status', a.status, 'category', c.slug, 'author', u.username,
    'published_at', a.published_at, 'updated_at', a.updated_at)
  FROM articles a JOIN categories c ON c.id = a.category_id JOIN users u ON u.id = a.author_id;

-- The events are queued by triggers in the transaction of the write that
-- makes them, so that every write is seen whatever makes it (the newsroom,
-- the API, the gazette command) and none is announced that was rolled
-- back. An article event concerns what readers see: an article becomes
-- visible (published), changes while visible (updated), stops being
-- visible (unpublished) or is deleted while visible (deleted).
CREATE TRIGGER webhook_article_new AFTER INSERT ON articles
WHEN NEW.status IN ('published', 'scheduled') AND NEW.published_at <= unixepoch() BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)
    SELECT w.id, 'article.published', v.data, unixepoch(), unixepoch() + 86400, unixepoch()
    FROM webhooks w JOIN webhook_article_data v ON v.id = NEW.id
    WHERE w.active = 1 AND instr(' ' || w.events || ' ', ' article.published ') > 0;
END;
CREATE TRIGGER webhook_article_edit AFTER UPDATE OF slug, title, summary, lang, status, featured,
  category_id, author_id, published_at, updated_at, image_id ON articles
WHEN (OLD.status IN ('published', 'scheduled') AND OLD.published_at <= unixepoch())
  OR (NEW.status IN ('published', 'scheduled') AND NEW.published_at <= unixepoch()) BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)
    SELECT w.id, e.event, v.data, unixepoch(), unixepoch() + 86400, unixepoch()
    FROM (SELECT CASE
            WHEN NOT (OLD.status IN ('published', 'scheduled') AND OLD.published_at <= unixepoch())
              THEN 'article.published'
            WHEN NOT (NEW.status IN ('published', 'scheduled') AND NEW.published_at <= unixepoch())
              THEN 'article.unpublished'
            ELSE 'article.updated' END AS event) e
    JOIN webhooks w ON w.active = 1 AND instr(' ' || w.events || ' ', ' ' || e.event || ' ') > 0
    JOIN webhook_article_data v ON v.id = NEW.id;
END;
CREATE TRIGGER webhook_article_gone BEFORE DELETE ON articles
WHEN OLD.status IN ('published', 'scheduled') AND OLD.published_at <= unixepoch() BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)
    SELECT w.id, 'article.deleted', v.data, unixepoch(), unixepoch() + 86400, unixepoch()
    FROM webhooks w JOIN webhook_article_data v ON v.id = OLD.id
    WHERE w.active = 1 AND instr(' ' || w.events || ' ', ' article.deleted ') > 0;
END;
-- Every new comment (held or approved), and a held one approved later.
CREATE TRIGGER webhook_comment_new AFTER INSERT ON comments BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)
    SELECT w.id, 'comment.created', json_object('id', NEW.id, 'article_id', NEW.article_id,
      'parent_id', NEW.parent_id, 'author_name', NEW.author_name, 'body', NEW.body,
      'status', NEW.status, 'created_at', NEW.created_at),
      unixepoch(), unixepoch() + 86400, unixepoch()
    FROM webhooks w
    WHERE w.active = 1 AND instr(' ' || w.events || ' ', ' comment.created ') > 0;
END;
CREATE TRIGGER webhook_comment_approved AFTER UPDATE OF status ON comments
WHEN NEW.status = 'approved' AND OLD.status <> 'approved' BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)
    SELECT w.id, 'comment.approved', json_object('id', NEW.id, 'article_id', NEW.article_id,
      'parent_id', NEW.parent_id, 'author_name', NEW.author_name, 'body', NEW.body,
      'status', NEW.status, 'created_at', NEW.created_at),
      unixepoch(), unixepoch() + 86400, unixepoch()
    FROM webhooks w
    WHERE w.active = 1 AND instr(' ' || w.events || ' ', ' comment.approved ') > 0;
END;
-- A picture added to the library (its sizes may still be in the making).
CREATE TRIGGER webhook_media_new AFTER INSERT ON media BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, data, next_at, give_up_at, created_at)
    SELECT w.id, 'media.created', json_object('id', NEW.id, 'filename', NEW.filename,
      'type', NEW.type, 'width', NEW.width, 'height', NEW.height, 'alt', NEW.alt,
      'caption', NEW.caption, 'credit', NEW.credit, 'created_at', NEW.created_at),
      unixepoch(), unixepoch() + 86400, unixepoch()
    FROM webhooks w
    WHERE w.active = 1 AND instr(' ' || w.events || ' ', ' media.created ') > 0;
END;
