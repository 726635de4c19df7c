/*
** server.h: the FastCGI loop. A pool of worker threads, each with its own
** SQLite connection, accepts requests on one listening socket.
*/
#ifndef GAZETTE_SERVER_H
#define GAZETTE_SERVER_H

#include <stddef.h>

#include <fcgiapp.h>

#include "app.h"
#include "pagecache.h"
#include "purger.h"
#include "writer.h"

/* Opens the listening socket for address "unix:PATH" or "HOST:PORT".
** A unix socket that another process still answers on counts as in use; a
** stale one is replaced. Returns the descriptor, or -1 with a reason. */
int server_listen(const char *address, char *err, size_t errlen);

/* Serves requests on fd with threads workers until SIGTERM or SIGINT, then
** lets the requests in flight finish and returns 0. Returns -1 with a
** reason when the workers cannot start (e.g. the database cannot be
** opened). */
int server_run(const app *a, const char *db_path, int fd, int threads,
               char *err, size_t errlen);

/* Answers one request: parses it into a context, reads the body, routes
** it (or finds the page in the worker's cache pc, which may be NULL; the
** readers' writes go through wr, or their own transactions when NULL)
** and writes the response. A request that changed what readers see is
** answered once the purger pg (may be NULL) has purged the server's own
** nginx, or a second has passed. */
void server_handle(const app *a, db *d, pagecache *pc, writer *wr, purger *pg, char **envp,
                   FCGX_Stream *in, FCGX_Stream *out);

#endif
