/*
** jobs.c: slots for decodes and the worker's bell (see jobs.h).
*/
#include "jobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct media_jobs {
  pthread_mutex_t mu;
  pthread_cond_t freed;   /* a slot was given back */
  pthread_cond_t bell;    /* work was queued, or stop */
  int free_slots;
  int kicked;
  int stop;
};

media_jobs *media_jobs_new(int slots) {
  media_jobs *j = calloc(1, sizeof *j);
  if (!j) abort();
  if (slots < 1) slots = 1;
  if (slots > MEDIA_JOBS_MAX) slots = MEDIA_JOBS_MAX;
  j->free_slots = slots;
  pthread_mutex_init(&j->mu, NULL);
  pthread_cond_init(&j->freed, NULL);
  pthread_cond_init(&j->bell, NULL);
  return j;
}

void media_jobs_free(media_jobs *j) {
  if (!j) return;
  pthread_cond_destroy(&j->bell);
  pthread_cond_destroy(&j->freed);
  pthread_mutex_destroy(&j->mu);
  free(j);
}

void media_jobs_enter(media_jobs *j) {
  if (!j) return;
  pthread_mutex_lock(&j->mu);
  while (j->free_slots == 0) pthread_cond_wait(&j->freed, &j->mu);
  j->free_slots--;
  pthread_mutex_unlock(&j->mu);
}

void media_jobs_leave(media_jobs *j) {
  if (!j) return;
  pthread_mutex_lock(&j->mu);
  j->free_slots++;
  pthread_cond_signal(&j->freed);
  pthread_mutex_unlock(&j->mu);
}

void media_jobs_kick(media_jobs *j) {
  if (!j) return;
  pthread_mutex_lock(&j->mu);
  j->kicked = 1;
  pthread_cond_signal(&j->bell);
  pthread_mutex_unlock(&j->mu);
}

int media_jobs_wait(media_jobs *j, int ms) {
  if (!j) return 1;
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&j->mu);
  while (!j->kicked && !j->stop)
    if (pthread_cond_timedwait(&j->bell, &j->mu, &until) != 0) break;
  j->kicked = 0;
  int stop = j->stop;
  pthread_mutex_unlock(&j->mu);
  return stop;
}

void media_jobs_stop(media_jobs *j) {
  if (!j) return;
  pthread_mutex_lock(&j->mu);
  j->stop = 1;
  pthread_cond_broadcast(&j->bell);
  pthread_mutex_unlock(&j->mu);
}
