/*
** backup.h: a consistent copy of a live database (gazette backup), made
** while the site serves, and checked before it is kept.
*/
#ifndef GAZETTE_BACKUP_H
#define GAZETTE_BACKUP_H

#include <stddef.h>

/* The tables whose rows a backup counts, in this order. */
enum { BACKUP_TABLES = 6 };

/* What a backup holds. */
typedef struct backup_report {
  long long pages;                 /* database pages copied */
  long long rows[BACKUP_TABLES];   /* rows of backup_table(i) in the copy */
} backup_report;

/* Returns the name of counted table i (0 <= i < BACKUP_TABLES). */
const char *backup_table(int i);

/* Copies the database at db_path into the file to: one read transaction
** of the live database (writers go on meanwhile; the copy holds every
** commit made before it began and none after), written first to "to.part"
** beside it, checked (PRAGMA integrity_check, and each counted table has
** as many rows as the database had at that moment), flushed to the disk
** and then renamed to to. Fills r. Returns 0, or -1 with a one-line reason
** in err (no file is left at to nor at to.part). An existing file at to is
** replaced only by a copy that passed its checks. */
int backup_run(const char *db_path, const char *to, backup_report *r, char *err,
               size_t errlen);

#endif
