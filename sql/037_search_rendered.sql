-- 037: a Markdown text is searched by the words readers see, not by its
-- marks. The index read body_md as written: "## A heading", a link's
-- address and a picture's path were words of the text (a search for
-- "example" found an article by the address of a link in it, and the
-- passage a result showed was Markdown). search_text, the plain text an
-- HTML body is searched by (025), now holds a Markdown text's too: the
-- plain text of the HTML it is rendered to, html_text(body_html), written
-- with it by whoever writes it. The index and the passages read
-- coalesce(search_text, body_md) as before; the edit trigger takes out
-- what was indexed and puts in the new text.
UPDATE article_bodies SET search_text = html_text(body_html)
  WHERE format = 'markdown' AND body_html IS NOT NULL;

-- Every text was taken out of the index and put in again: its segments
-- merged into one, as a search reads them best.
INSERT INTO articles_fts (articles_fts) VALUES ('optimize');
