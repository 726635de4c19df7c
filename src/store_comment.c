/*
** store_comment.c: the approved comments of an article, as a thread tree
** (see store.h).
*/
#include <stdlib.h>

#include "app.h"
#include "store.h"
#include "timefmt.h"

enum { COMMENTS_MAX_SHOWN = 1000 };

static const char SQL_APPROVED[] =
    "SELECT id, parent_id, author_name, created_at, body FROM comments"
    " WHERE article_id = ?1 AND status = 'approved'"
    " ORDER BY created_at, id LIMIT ?2";

/* One comment while the tree is built: its id and its object. */
typedef struct node {
  long id;
  cJSON *obj;
} node;

/* Returns the object of comment id among nodes[0..n), or NULL. Comments
** come oldest first, and a parent is older than its replies. */
static cJSON *node_find(const node *nodes, int n, long id) {
  for (int i = n - 1; i >= 0; i--)
    if (nodes[i].id == id) return nodes[i].obj;
  return NULL;
}

/* Builds one comment's object from a SQL_APPROVED row. */
static cJSON *comment_from_row(const ctx *c, sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  buf b = {0};
  time_t t = (time_t)sqlite3_column_int64(st, 3);
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  if (sqlite3_column_type(st, 1) == SQLITE_NULL)
    cJSON_AddNullToObject(o, "parent_id");
  else
    cJSON_AddNumberToObject(o, "parent_id", (double)sqlite3_column_int64(st, 1));
  cJSON_AddStringToObject(o, "author_name", db_text(st, 2));
  time_iso(&b, t);
  cJSON_AddStringToObject(o, "created_at", buf_str(&b));
  buf_reset(&b);
  time_display(&b, t, c->app->lang);
  cJSON_AddStringToObject(o, "date_display", buf_str(&b));
  buf_free(&b);
  cJSON_AddStringToObject(o, "body", db_text(st, 4));
  cJSON_AddArrayToObject(o, "replies");
  return o;
}

int comment_tree(ctx *c, long article_id, cJSON *out) {
  sqlite3_stmt *st = db_prepare(c->db, SQL_APPROVED);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int(st, 2, COMMENTS_MAX_SHOWN);
  node *nodes = NULL;
  int n = 0, cap = 0, rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      nodes = realloc(nodes, (size_t)cap * sizeof *nodes);
      if (!nodes) abort();
    }
    cJSON *o = comment_from_row(c, st);
    nodes[n].id = (long)sqlite3_column_int64(st, 0);
    nodes[n].obj = o;
    cJSON *parent = sqlite3_column_type(st, 1) == SQLITE_NULL
                        ? NULL
                        : node_find(nodes, n, (long)sqlite3_column_int64(st, 1));
    n++;
    /* A reply whose parent is not shown stands at the top level. */
    cJSON_AddItemToArray(
        parent ? cJSON_GetObjectItemCaseSensitive(parent, "replies") : out, o);
  }
  sqlite3_reset(st);
  free(nodes);
  return rc == SQLITE_DONE ? 0 : -1;
}
