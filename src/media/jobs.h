/*
** jobs.h: what the threads of one gazette serve share about pictures: how
** many decodes may run at once, and a bell that wakes the background worker
** when an upload has queued sizes for it.
**
** Decoding a 12-megapixel photograph takes 50 to 95 MiB for a moment
** (docs/media.md), so every probe and derivation of the process, in a
** request or in the background, first takes one of a few slots (one by
** default): memory stays bounded however many editors upload at once, and
** an upload waits its turn instead.
**
** Every function accepts NULL for j and then does nothing (the gazette
** command's one-shot loaders and the unit tests have no worker to wake and
** no other thread to share with).
*/
#ifndef GAZETTE_JOBS_H
#define GAZETTE_JOBS_H

enum { MEDIA_JOBS_DEFAULT = 1, MEDIA_JOBS_MAX = 8 };

typedef struct media_jobs media_jobs;

/* Returns new shared state allowing slots decodes at once (1 to
** MEDIA_JOBS_MAX). */
media_jobs *media_jobs_new(int slots);

/* Frees j (no thread may use it any more). */
void media_jobs_free(media_jobs *j);

/* Waits for a free slot and takes it. */
void media_jobs_enter(media_jobs *j);

/* Gives the slot back. */
void media_jobs_leave(media_jobs *j);

/* Wakes the background worker: there is work in the queue. */
void media_jobs_kick(media_jobs *j);

/* For the worker: waits until kicked, stopped, or ms milliseconds pass.
** Returns 1 when it should stop. */
int media_jobs_wait(media_jobs *j, int ms);

/* Tells the worker to stop, and wakes it. */
void media_jobs_stop(media_jobs *j);

#endif
