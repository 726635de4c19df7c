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
