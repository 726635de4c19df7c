-- 039: the home page leads with the newest featured article. The featured
-- articles readers may see, newest first, are read from an index of their
-- own (featured ones are few: a look-up reads only them).
CREATE INDEX articles_featured ON articles (live_at, id) WHERE featured = 1 AND live_at IS NOT NULL;
