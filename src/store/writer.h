/*
** writer.h: group commit for readers' writes. Votes and comments from all
** workers go to one writer thread with its own connection, which runs
** them together in one transaction, each in a savepoint of its own (a
** refused one is rolled back alone), commits, and only then answers each
** worker. A batch's pages go to the write-ahead log once instead of once
** a write, and no worker waits for another's transaction to end.
*/
#ifndef GAZETTE_WRITER_H
#define GAZETTE_WRITER_H

#include <stddef.h>

#include "db.h"

typedef struct writer writer;

/* A write: runs inside the batch's transaction on connection d with its
** job, and returns a store result (STORE_OK keeps what it wrote). */
typedef int (*write_fn)(db *d, void *job);

/* Starts the writer thread on the database at path. Returns it, or NULL
** with a reason in err. */
writer *writer_start(const char *path, char *err, size_t errlen);

/* Runs fn(job) in the next batch and waits until that batch is committed.
** Returns what fn returned, or STORE_ERROR when the batch could not be
** committed (nothing of it was kept). With w NULL (a tool, a test), runs
** fn in a transaction of its own on d. */
int writer_run(writer *w, db *d, write_fn fn, void *job);

/* Finishes the writes queued, stops the thread and frees w. */
void writer_stop(writer *w);

#endif
