/*
** store_sql.h: the SQL fragments the store's queries share, so that each
** rule is written once.
*/
#ifndef GAZETTE_STORE_SQL_H
#define GAZETTE_STORE_SQL_H

/* An article readers may see: published (or scheduled) and its time has
** come. live_at (sql/010_live.sql) is the publication time of a published
** or scheduled article and NULL otherwise, so this is a range on the
** indexes of the listed articles. a is the table's alias with its dot
** ("a."), now the parameter that holds the time ("?1"). */
#define SQL_VISIBLE(a, now) "(" a "live_at <= " now ")"

/* A category, author or tag is public only while it holds a visible
** article: one that holds only drafts, submissions or scheduled articles
** is nobody's business yet (its name may tell what is coming). A category
** holds it itself or in a category under it (whose path begins with its
** path and a '/'): a section of subsections is shown with them. Seeks by
** id and by path; t is the parameter of the time. c is the category's
** alias; TAG_SHOWN_AT and AUTHOR_SHOWN_AT are the same for t and u. */
#define CATEGORY_SHOWN_AT(t)                                                        \
  "(EXISTS (SELECT 1 FROM articles a WHERE a.category_id = c.id AND "              \
  SQL_VISIBLE("a.", t) ") OR EXISTS (SELECT 1 FROM categories s INDEXED BY"       \
  " categories_path JOIN articles a ON a.category_id = s.id WHERE"                 \
  " s.path > c.path || '/' AND s.path < c.path || '0' AND " SQL_VISIBLE("a.", t) "))"
#define TAG_SHOWN_AT(t) \
  "EXISTS (SELECT 1 FROM article_tags x WHERE x.tag_id = t.id AND " SQL_VISIBLE("x.", t) ")"
#define AUTHOR_SHOWN_AT(t) \
  "EXISTS (SELECT 1 FROM article_authors x WHERE x.user_id = u.id AND " SQL_VISIBLE("x.", t) ")"

/* A publication still to come: scheduled, or published with a time in
** the future. */
#define SQL_COMING(a, now) "(" a "live_at > " now ")"

/* The id of a new row of table (articles, comments or media): above every
** id it holds and every id it ever deleted (retired_ids, sql/038), so that
** no id is given twice. */
#define SQL_NEXT_ID(table)                                                   \
  "(SELECT max(coalesce((SELECT max(id) FROM " table "), 0),"                \
  " coalesce((SELECT last FROM retired_ids WHERE tbl = '" table "'), 0)) + 1)"

#endif
