/*
** writer.h: group commit for readers' writes. Votes and comments from all
** workers are queued; whichever worker finds no batch running takes the
** queue (its own write among them) and runs it on its own connection in
** one transaction, each write in a savepoint of its own (a refused one is
** rolled back alone), commits, and then wakes the others whose writes it
** carried. A batch's pages go to the write-ahead log once instead of once
** a write, and a write that finds the queue empty costs no hand-over to
** another thread; while writes stream in, a batch waits a moment for as
** many as the last one carried (writer_gather).
*/
#ifndef GAZETTE_WRITER_H
#define GAZETTE_WRITER_H

#include "db.h"

typedef struct writer writer;

/* A write: runs inside a batch's transaction on connection d with its
** job, and returns a store result (STORE_OK keeps what it wrote). */
typedef int (*write_fn)(db *d, void *job);

/* Returns a new, empty queue (shared by the workers of one process). */
writer *writer_new(void);

/* Runs fn(job) in a batch and returns once that batch is committed: what
** fn returned, or STORE_ERROR when the batch could not be committed
** (nothing of it was kept). d is the caller's connection, on which it may
** run the batch. With w NULL (a tool, a test), runs fn in a transaction
** of its own on d. */
int writer_run(writer *w, db *d, write_fn fn, void *job);

/* Frees w; no write may be queued or running. */
void writer_free(writer *w);

#endif
