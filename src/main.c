/*
** main.c: the gazette command: init, demo, setting, comments, user, check,
** import, routes, serve.
*/
#include <errno.h>
#include <sodium.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "archive.h"
#include "backup.h"
#include "demo.h"
#include "i18n.h"
#include "import.h"
#include "image.h"
#include "jobs.h"
#include "library.h"
#include "routes.h"
#include "server.h"
#include "settings.h"
#include "store.h"
#include "store_newsroom.h"
#include "store_token.h"
#include "tokens.h"

static const char USAGE[] =
    "usage: gazette COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  init    --db PATH               create the database or upgrade its schema\n"
    "  demo    --db PATH --content FILE [--media-from DIR]\n"
    "                                  load the demo site into an empty database;\n"
    "                                  with --media-from, its pictures too (their\n"
    "                                  \"file\" names are relative to DIR)\n"
    "  demo    --db PATH --scale N [--seed S]\n"
    "                                  make an archive of N articles (10 comments and\n"
    "                                  100 votes an article, skewed) in an empty database\n"
    "  setting --db PATH KEY [VALUE]   show or change a site setting (see below;\n"
    "                                  a running server applies it at once)\n"
    "  comments --db PATH list [--status pending|approved|spam|trash]\n"
    "  comments --db PATH approve|spam|trash|delete ID\n"
    "                                  moderate readers' comments\n"
    "  user    --db PATH add NAME --role author|editor|admin [--name \"Full Name\"]\n"
    "  user    --db PATH passwd NAME | list | disable NAME\n"
    "                                  newsroom accounts; the password is read from\n"
    "                                  the terminal (not shown) or from standard input\n"
    "  backup  --db PATH --to FILE    copy the database into FILE while the site\n"
    "                                  serves (the copy holds every write made\n"
    "                                  before it began), check the copy's integrity\n"
    "                                  and row counts, then put it at FILE\n"
    "  token   --db PATH create NAME --user LOGIN [--scope read|write] [--expires DAYS]\n"
    "                                  make an API token for an account's apps (printed\n"
    "                                  once; scope write, 90 days by default)\n"
    "  token   --db PATH list [--user LOGIN] | revoke ID\n"
    "                                  the tokens (never their secret), or end one\n"
    "  check   --db PATH               verify that each article's rating and\n"
    "                                  comment counts equal the votes and comments,\n"
    "                                  the lists' kept sizes the articles, and long\n"
    "                                  comment lists' hours their comments\n"
    "  import  --db PATH wordpress FILE.xml [--uploads DIR] [--missing LIST]\n"
    "          [--author LOGIN] [--dry-run]\n"
    "                                  bring a WordPress export (Tools > Export) in:\n"
    "                                  authors, categories, tags, posts, pages,\n"
    "                                  comments, old addresses; run again on a newer\n"
    "                                  export to bring its changes; --uploads DIR\n"
    "                                  (wp-content/uploads) takes the pictures into\n"
    "                                  the library (--media, --originals), writing\n"
    "                                  the files it misses to LIST; --author\n"
    "                                  gives LOGIN the posts whose author the export\n"
    "                                  does not list; --dry-run writes nothing\n"
    "  media   --db PATH check         check that every picture's files are in the\n"
    "                                  media folders (after a restore) and queue the\n"
    "                                  pictures missing a size for gazette serve to\n"
    "                                  make again from their originals\n"
    "  routes                          print the route table and each route's policy\n"
    "                                  (who may call it, cache, body, CSRF check)\n"
    "  serve   --db PATH --listen ADDR [--threads N] [--templates DIR] [--i18n DIR]\n"
    "                                  answer FastCGI requests on ADDR\n"
    "                                  (unix:PATH or HOST:PORT) until SIGTERM\n"
    "\n"
    "defaults: --threads 4, --templates www/templates, --i18n: the i18n folder\n"
    "beside the templates folder (www/i18n)\n"
    "\n"
    "pictures (serve and demo): --media DIR, the folder nginx serves at /media/\n"
    "(default: media beside the database), --originals DIR, the uploaded originals,\n"
    "never served (default: originals beside the database)\n";

/* Parsed command line. */
typedef struct options {
  const char *db, *listen, *templates, *i18n, *content, *status, *role, *name, *scale, *seed;
  const char *uploads;
  const char *user, *scope, *expires, *author, *missing;
  const char *media, *originals, *media_from, *to;
  const char *args[2];  /* positional arguments */
  int nargs;
  long threads;
  int dry_run;
} options;

/* Prints "gazette: msg" on stderr and returns exit status 1 or 2. */
static int fail(int status, const char *msg) {
  fprintf(stderr, "gazette: %s\n", msg);
  return status;
}

/* Parses argv[2..] into o. Returns 0, or -1 after printing the problem. */
static int options_parse(int argc, char **argv, options *o) {
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char **slot = NULL;
    if (strcmp(a, "--db") == 0) slot = &o->db;
    else if (strcmp(a, "--listen") == 0) slot = &o->listen;
    else if (strcmp(a, "--templates") == 0) slot = &o->templates;
    else if (strcmp(a, "--i18n") == 0) slot = &o->i18n;
    else if (strcmp(a, "--content") == 0) slot = &o->content;
    else if (strcmp(a, "--status") == 0) slot = &o->status;
    else if (strcmp(a, "--role") == 0) slot = &o->role;
    else if (strcmp(a, "--name") == 0) slot = &o->name;
    else if (strcmp(a, "--scale") == 0) slot = &o->scale;
    else if (strcmp(a, "--seed") == 0) slot = &o->seed;
    else if (strcmp(a, "--uploads") == 0) slot = &o->uploads;
    else if (strcmp(a, "--media") == 0) slot = &o->media;
    else if (strcmp(a, "--originals") == 0) slot = &o->originals;
    else if (strcmp(a, "--media-from") == 0) slot = &o->media_from;
    else if (strcmp(a, "--to") == 0) slot = &o->to;
    else if (strcmp(a, "--user") == 0) slot = &o->user;
    else if (strcmp(a, "--scope") == 0) slot = &o->scope;
    else if (strcmp(a, "--expires") == 0) slot = &o->expires;
    else if (strcmp(a, "--author") == 0) slot = &o->author;
    else if (strcmp(a, "--missing") == 0) slot = &o->missing;
    if (strcmp(a, "--dry-run") == 0) {
      o->dry_run = 1;
    } else if (slot || strcmp(a, "--threads") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "gazette: %s needs a value\n", a);
        return -1;
      }
      if (slot) {
        *slot = argv[++i];
      } else {
        char *end;
        o->threads = strtol(argv[++i], &end, 10);
        if (*end || o->threads < 1 || o->threads > 64) {
          fprintf(stderr, "gazette: --threads takes a number from 1 to 64\n");
          return -1;
        }
      }
    } else if (a[0] == '-' || o->nargs == 2) {
      fprintf(stderr, "gazette: unexpected argument %s (see gazette --help)\n", a);
      return -1;
    } else {
      o->args[o->nargs++] = a;
    }
  }
  if (!o->db && strcmp(argv[1], "routes") != 0) {
    fprintf(stderr, "gazette: --db PATH is required\n");
    return -1;
  }
  return 0;
}

/* Opens the database; create is set for init and demo. Checks the schema
** is current unless migrating. */
static db *open_db(const options *o, int create) {
  char err[512];
  if (!create && access(o->db, F_OK) != 0) {
    fprintf(stderr, "gazette: no database at %s (run gazette init --db %s)\n",
            o->db, o->db);
    return NULL;
  }
  db *d = db_open(o->db, create, err, sizeof err);
  if (!d) {
    fprintf(stderr, "gazette: %s\n", err);
    return NULL;
  }
  if (create && db_migrate(d, err, sizeof err) != 0) {
    fprintf(stderr, "gazette: %s\n", err);
    db_close(d);
    return NULL;
  }
  if (!create && !db_is_current(d)) {
    fprintf(stderr, "gazette: database %s needs an upgrade (run gazette init)\n",
            o->db);
    db_close(d);
    return NULL;
  }
  return d;
}

/* gazette init */
static int cmd_init(const options *o) {
  db *d = open_db(o, 1);
  if (!d) return 1;
  fprintf(stderr, "gazette: database %s is at schema version %d\n", o->db,
          db_schema_version());
  db_close(d);
  return 0;
}

/* Returns s as a whole number from min to max, or -1. */
static long number_in(const char *s, long min, long max) {
  char *end;
  errno = 0;
  long v = s ? strtol(s, &end, 10) : -1;
  return s && *s && !*end && !errno && v >= min && v <= max ? v : -1;
}

/* gazette demo --scale N [--seed S] */
static int demo_archive(const options *o) {
  long n = number_in(o->scale, 1, 10000000);
  long seed = o->seed ? number_in(o->seed, 0, 1L << 62) : 1;
  if (n < 0) return fail(2, "--scale takes a number of articles from 1 to 10000000");
  if (seed < 0) return fail(2, "--seed takes a whole number");
  db *d = open_db(o, 1);
  if (!d) return 1;
  char err[512];
  archive_spec spec;
  archive_default(&spec, n, time(NULL));
  spec.seed = (unsigned long long)seed;
  int empty = db_exec(d, "PRAGMA synchronous=OFF") == 0 && demo_empty(d) == 1;
  int rc = empty ? archive_generate(d, &spec, isatty(2) ? stderr : NULL, err, sizeof err) : -1;
  db_close(d);
  if (!empty) return fail(1, "the database already has articles; make the archive in an empty one");
  if (rc != 0) return fail(1, err);
  fprintf(stderr, "gazette: archive of %ld articles made in %s\n", n, o->db);
  return 0;
}

/* The folders of the picture library: --media and --originals, or the
** folders "media" and "originals" beside the database. */
typedef struct folders {
  char media[4096], originals[4096];
} folders;

/* Fills f from the options. */
static void media_folders(const options *o, folders *f) {
  const char *slash = strrchr(o->db, '/');
  int n = slash ? (int)(slash - o->db) : 1;
  const char *base = slash ? o->db : ".";
  if (o->media) snprintf(f->media, sizeof f->media, "%s", o->media);
  else snprintf(f->media, sizeof f->media, "%.*s/media", n, base);
  if (o->originals) snprintf(f->originals, sizeof f->originals, "%s", o->originals);
  else snprintf(f->originals, sizeof f->originals, "%.*s/originals", n, base);
}

/* Imports the demo's pictures from o->media_from into d. Returns 0 or the
** exit status after saying why not. */
static int demo_pictures(const options *o, db *d) {
  folders f;
  char err[512];
  media_folders(o, &f);
  media_dirs dirs = {f.media, f.originals};
  if (library_prepare(&dirs, err, sizeof err) != 0 || image_init(err, sizeof err) != 0)
    return fail(1, err);
  int n = library_demo(d, time(NULL), &dirs, o->content, o->media_from, err, sizeof err);
  if (n < 0) return fail(1, err);
  fprintf(stderr, "gazette: %d demo pictures imported; gazette serve makes their sizes\n", n);
  return 0;
}

/* gazette demo */
static int cmd_demo(const options *o) {
  if (o->scale) return demo_archive(o);
  if (!o->content) return fail(2, "demo needs --content FILE or --scale N");
  db *d = open_db(o, 1);
  if (!d) return 1;
  char err[512];
  int rc = demo_load(d, o->content, err, sizeof err);
  int status = rc < 0 ? fail(1, err) : 0;
  if (rc == 0) fprintf(stderr, "gazette: demo site loaded into %s\n", o->db);
  if (rc == 1) fprintf(stderr, "gazette: the site already has articles; demo not loaded\n");
  if (rc == 0 && o->media_from) status = demo_pictures(o, d);
  db_close(d);
  return status;
}

/* Writes into out (size n) the folder of the language catalogues: --i18n,
** else the i18n folder beside the templates folder. */
static void i18n_dir(const options *o, char *out, size_t n) {
  const char *tpl = o->templates ? o->templates : "www/templates";
  const char *slash = strrchr(tpl, '/');
  if (o->i18n) snprintf(out, n, "%s", o->i18n);
  else if (slash) snprintf(out, n, "%.*s/i18n", (int)(slash - tpl), tpl);
  else snprintf(out, n, "i18n");
}

/* Checks setting key's new value; for the language, against the
** catalogues. Returns 0, or the exit status after saying why not. */
static int setting_ok(const options *o, const char *key, const char *value) {
  char dir[4096], err[512];
  i18n *langs = NULL;
  if (strcmp(key, "language") == 0) {
    i18n_dir(o, dir, sizeof dir);
    langs = i18n_load(dir, err, sizeof err);
    if (!langs) return fail(1, err);
  }
  const char *why = settings_check(key, value, langs ? i18n_codes(langs) : NULL);
  int rc = why ? fail(2, why) : 0;
  i18n_free(langs);
  return rc;
}

/* gazette setting KEY [VALUE] */
static int cmd_setting(const options *o) {
  if (o->nargs < 1) return fail(2, "setting needs KEY [VALUE]");
  int bad = o->nargs == 2 ? setting_ok(o, o->args[0], o->args[1]) : 0;
  if (bad) return bad;
  db *d = open_db(o, 0);
  if (!d) return 1;
  int rc = 0;
  if (o->nargs == 2) {
    rc = setting_set(d, o->args[0], o->args[1]) == 0 ? 0 : fail(1, "cannot save setting");
  } else {
    /* A known setting shows its value in effect (its default when
    ** unset); another key only a value stored for it. */
    char *v = settings_known(o->args[0]) ? settings_text(d, o->args[0])
                                         : setting_get(d, o->args[0]);
    if (v) printf("%s\n", v);
    else rc = fail(1, "setting is not set");
    free(v);
  }
  db_close(d);
  return rc;
}

/* gazette comments list */
static int comments_list(db *d, const char *status) {
  return comment_print(d, status, stdout) == STORE_OK ? 0 : 1;
}

/* gazette comments approve|spam|trash|delete ID */
static int comments_moderate(db *d, const char *action, const char *arg) {
  static const char *const actions[][2] = {
      {"approve", "approved"}, {"spam", "spam"}, {"trash", "trash"},
      {"pending", "pending"}, {"delete", NULL}};
  char *end;
  long id = arg ? strtol(arg, &end, 10) : 0;
  if (!arg || *end || id < 1) return fail(2, "comments: give the comment's id");
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
    if (strcmp(action, actions[i][0]) != 0) continue;
    int rc = comment_moderate(d, id, actions[i][1]);
    if (rc == STORE_NOT_FOUND) return fail(1, "no comment with that id");
    if (rc != STORE_OK) return fail(1, "cannot change the comment");
    fprintf(stderr, "gazette: comment %ld %s\n", id,
            actions[i][1] ? actions[i][1] : "deleted");
    return 0;
  }
  return fail(2, "comments: list, approve, spam, trash, pending or delete");
}

/* gazette comments */
static int cmd_comments(const options *o) {
  if (o->nargs < 1) return fail(2, "comments needs list, approve, spam, trash or delete");
  const char *st = o->status;
  if (st && strcmp(st, "pending") && strcmp(st, "approved") && strcmp(st, "spam") &&
      strcmp(st, "trash"))
    return fail(2, "--status is pending, approved, spam or trash");
  db *d = open_db(o, 0);
  if (!d) return 1;
  int rc = strcmp(o->args[0], "list") == 0 ? comments_list(d, st)
                                           : comments_moderate(d, o->args[0], o->args[1]);
  db_close(d);
  return rc;
}

/* gazette check */
static int cmd_check(const options *o) {
  db *d = open_db(o, 0);
  if (!d) return 1;
  long n = 0, bad = 0, lists = 0;
  int rc = article_check_counts(d, stderr, &n, &bad);
  if (rc == STORE_OK) rc = list_check_counts(d, stderr, &lists);
  db_close(d);
  if (rc != STORE_OK) return 1;
  fprintf(stderr, "gazette: %ld articles checked, %ld with wrong counts; %ld lists with wrong sizes\n",
          n, bad, lists);
  return bad || lists ? 1 : 0;
}

/* gazette backup --to FILE */
static int cmd_backup(const options *o) {
  if (!o->to) return fail(2, "backup needs --to FILE");
  if (access(o->db, F_OK) != 0) return fail(1, "no database at --db PATH");
  char err[512];
  backup_report r;
  if (backup_run(o->db, o->to, &r, err, sizeof err) != 0) return fail(1, err);
  fprintf(stderr, "gazette: backup %s: %lld pages, integrity ok;", o->to, r.pages);
  for (int i = 0; i < BACKUP_TABLES; i++)
    fprintf(stderr, "%s %lld %s", i ? "," : "", r.rows[i], backup_table(i));
  fprintf(stderr, "\n");
  return 0;
}

/* Reads one line (without its newline) from f into out, at most cap-1
** bytes. Returns 0, or -1 at end of input or when the line is too long. */
static int read_line(FILE *f, char *out, size_t cap) {
  if (!fgets(out, (int)cap, f)) return -1;
  size_t n = strlen(out);
  if (n && out[n - 1] == '\n') out[--n] = 0;
  else if (!feof(f)) return -1;
  if (n && out[n - 1] == '\r') out[--n] = 0;
  return 0;
}

/* Reads a new password into pw: from the terminal, asked twice without
** echo, or else one line of standard input. Returns 0 or -1 (printed). */
static int read_password(char *pw, size_t cap) {
  if (!isatty(STDIN_FILENO)) {
    if (read_line(stdin, pw, cap) == 0) return 0;
    fprintf(stderr, "gazette: no password on standard input\n");
    return -1;
  }
  struct termios old, quiet;
  tcgetattr(STDIN_FILENO, &old);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  char again[PASSWORD_MAX + 2];
  fputs("New password: ", stderr);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  int rc = read_line(stdin, pw, cap);
  fputs("\nRepeat it: ", stderr);
  rc = rc || read_line(stdin, again, sizeof again);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  fputs("\n", stderr);
  if (rc || strcmp(pw, again) != 0) {
    fprintf(stderr, "gazette: the passwords differ\n");
    sodium_memzero(again, sizeof again);
    return -1;
  }
  sodium_memzero(again, sizeof again);
  return 0;
}

/* gazette user add|passwd|list|disable */
static int cmd_user(const options *o) {
  const char *what = o->nargs ? o->args[0] : "";
  const char *name = o->nargs > 1 ? o->args[1] : NULL;
  int list = strcmp(what, "list") == 0;
  if (!list && (!name || (strcmp(what, "add") && strcmp(what, "passwd") &&
                          strcmp(what, "disable"))))
    return fail(2, "user: add NAME --role R, passwd NAME, list or disable NAME");
  int role = auth_role_parse(o->role);
  if (strcmp(what, "add") == 0 && role == ROLE_NONE)
    return fail(2, "user add needs --role author, editor or admin");
  char pw[PASSWORD_MAX + 2] = "";
  const char *why;
  if ((!strcmp(what, "add") || !strcmp(what, "passwd")) &&
      (read_password(pw, sizeof pw) != 0 || ((why = auth_password_check(pw)) &&
                                             fail(2, why))))
    return 2;
  db *d = open_db(o, 0);
  if (!d) return 1;
  int rc = list ? user_list(d, stdout)
           : !strcmp(what, "add") ? user_add(d, name, o->name, role, pw)
           : !strcmp(what, "passwd") ? user_passwd(d, name, pw)
                                     : user_disable(d, name);
  sodium_memzero(pw, sizeof pw);
  db_close(d);
  if (rc == STORE_TAKEN) return fail(1, "that name is taken or not valid (a-z 0-9 . _ -, 2 to 32)");
  if (rc == STORE_NOT_FOUND) return fail(1, "no such user");
  if (rc == STORE_LAST_ADMIN) return fail(1, "the site must keep at least one active admin");
  if (rc != STORE_OK) return fail(1, "cannot change the user");
  if (!list) fprintf(stderr, "gazette: user %s: %s done\n", name, what);
  return 0;
}

/* gazette import wordpress FILE.xml [--uploads DIR] [--missing LIST] [--author LOGIN]
** [--dry-run] */
static int cmd_import(const options *o) {
  struct stat sb;
  if (o->nargs != 2 || strcmp(o->args[0], "wordpress") != 0)
    return fail(2, "import: wordpress FILE.xml [--uploads DIR] [--missing LIST] [--author LOGIN] [--dry-run]");
  if (o->missing && !o->uploads) return fail(2, "--missing: only with --uploads");
  if (o->uploads && (stat(o->uploads, &sb) != 0 || !S_ISDIR(sb.st_mode)))
    return fail(2, "--uploads: no such folder");
  char dir[4096], err[600];
  i18n_dir(o, dir, sizeof dir);
  i18n *langs = i18n_load(dir, err, sizeof err);
  if (!langs) return fail(1, err);
  db *d = open_db(o, 0);
  if (!d) {
    i18n_free(langs);
    return 1;
  }
  /* A steady cache for the one long transaction: memory stays flat, at
  ** about 80 MB whatever the export's size (32 MiB of pages: an import of
  ** 100,000 posts writes 8% faster than with 8, its indexes' pages spilled
  ** to the log and read back less often). Each
  ** statement's own undo record (and any sort) is kept in memory: they are
  ** small, and on disk they cost a system call a page. */
  db_exec(d, "PRAGMA cache_size = -32768");
  db_exec(d, "PRAGMA temp_store = MEMORY");
  folders f;
  media_folders(o, &f);
  long author = 0;
  if (o->author && token_user_id(d, o->author, &author) != STORE_OK) {
    db_close(d);
    i18n_free(langs);
    return fail(2, "--author: no such user");
  }
  FILE *missing = o->missing ? fopen(o->missing, "w") : NULL;
  if (o->missing && !missing) {
    db_close(d);
    i18n_free(langs);
    return fail(2, "--missing: cannot write the list");
  }
  import_options opt = {.file = o->args[1], .uploads = o->uploads, .dry_run = o->dry_run,
                        .author_id = author, .missing = missing,
                        .progress = isatty(STDERR_FILENO) ? stderr : NULL, .langs = langs,
                        .now = time(NULL), .media_dir = f.media, .originals_dir = f.originals,
                        .max_pixels = (unsigned long long)settings_int(d, "upload_max_megapixels") *
                                      1000000ULL};
  import_report *rep = malloc(sizeof *rep);
  if (!rep) abort();
  /* The import is committed before its pictures are taken: when they
  ** fail, its report still shows, and a run again takes the rest. */
  int rc = import_wordpress(d, &opt, rep, err, sizeof err);
  int pictures = rc == 0 ? import_pictures(d, &opt, rep, err, sizeof err) : 0;
  if (rc == 0) import_report_print(rep, o->args[1], stdout);
  if (rc != 0 || pictures != 0) {
    fprintf(stderr, "gazette: %s: %s\n", o->args[1], err);
    rc = 1;
  }
  free(rep);
  if (missing && fclose(missing) != 0 && rc == 0) rc = fail(1, "--missing: the list could not be written");
  db_close(d);
  i18n_free(langs);
  return rc == 0 ? 0 : 1;
}

/* gazette token create NAME --user LOGIN [--scope S] [--expires DAYS] */
static int token_make(const options *o, db *d) {
  long user = 0, id = 0;
  long days = o->expires ? number_in(o->expires, 1, TOKEN_DAYS_MAX) : TOKEN_DAYS_DEFAULT;
  if (!o->user) return fail(2, "token create needs --user LOGIN");
  if (days < 0) return fail(2, "--expires takes a number of days from 1 to 3650");
  int rc = token_user_id(d, o->user, &user);
  if (rc == STORE_NOT_FOUND) return fail(1, "no such user");
  if (rc != STORE_OK) return fail(1, "cannot read the users");
  char text[TOKEN_TEXT_LEN + 1];
  rc = token_create(d, time(NULL), user, o->args[1], o->scope ? o->scope : "write", days, text, &id);
  if (rc == TOKEN_BAD_NAME) return fail(2, "a token's name is 1 to 100 characters on one line");
  if (rc == TOKEN_BAD_SCOPE) return fail(2, "--scope is read or write");
  if (rc != 0) return fail(1, "cannot make the token");
  printf("%s\n", text);
  fprintf(stderr, "gazette: token %ld made for %s; it is shown this once, keep it safe\n", id,
          o->user);
  sodium_memzero(text, sizeof text);
  return 0;
}

/* gazette token create|list|revoke */
static int cmd_token(const options *o) {
  const char *what = o->nargs ? o->args[0] : "";
  int create = strcmp(what, "create") == 0, list = strcmp(what, "list") == 0;
  int revoke = strcmp(what, "revoke") == 0;
  if ((!create && !list && !revoke) || ((create || revoke) && o->nargs < 2))
    return fail(2, "token: create NAME --user LOGIN, list [--user LOGIN] or revoke ID");
  long id = revoke ? number_in(o->args[1], 1, 1L << 53) : 0;
  if (revoke && id < 0) return fail(2, "token revoke: give the token's id (gazette token list)");
  db *d = open_db(o, 0);
  if (!d) return 1;
  int rc = 0;
  if (create) {
    rc = token_make(o, d);
  } else if (list) {
    long user = 0;
    int found = o->user ? token_user_id(d, o->user, &user) : STORE_OK;
    if (found != STORE_OK) rc = fail(1, "no such user");
    else if (token_print(d, user, time(NULL), stdout) != STORE_OK) rc = fail(1, "cannot list the tokens");
  } else {
    int r = token_revoke(d, id, 0, time(NULL));
    if (r == STORE_NOT_FOUND) rc = fail(1, "no token with that id");
    else if (r != STORE_OK) rc = fail(1, "cannot revoke the token");
    else fprintf(stderr, "gazette: token %ld revoked\n", id);
  }
  db_close(d);
  return rc;
}

/* gazette media check */
static int cmd_media(const options *o) {
  if (o->nargs != 1 || strcmp(o->args[0], "check") != 0) return fail(2, "media: check");
  db *d = open_db(o, 0);
  if (!d) return 1;
  folders f;
  media_folders(o, &f);
  media_dirs dirs = {f.media, f.originals};
  library_report r;
  int rc = library_check(d, time(NULL), &dirs, &r);
  db_close(d);
  if (rc != 0) return fail(1, "cannot check the pictures");
  fprintf(stderr,
          "gazette: %ld pictures; %ld queued to have their sizes made again; "
          "%ld without their original\n",
          r.pictures, r.requeued, r.no_original);
  return r.no_original ? 1 : 0;
}

/* gazette routes: the route table and its policy, one JSON object a line,
** for tests and for the curious. */
static int cmd_routes(const options *o) {
  (void)o;
  static const char *const kinds[] = {"page", "feed", "api", "newsroom"};
  static const char *const bodies[] = {"none", "form", "json", "json-text", "multipart"};
  static const char *const csrf[] = {"none", "origin", "session", "bearer"};
  size_t n;
  const route *r = routes_table(&n);
  for (size_t i = 0; i < n; i++) {
    const char *cc = cache_policy_header((cache_policy)r[i].cache);
    printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"role\":\"%s\",\"kind\":\"%s\","
           "\"shared\":%s,\"cache_control\":\"%s\",\"body\":\"%s\",\"csrf\":\"%s\"}\n",
           r[i].method, r[i].pattern, router_role_name(r[i].role), kinds[r[i].kind],
           cache_policy_shared((cache_policy)r[i].cache) ? "true" : "false", cc ? cc : "",
           bodies[r[i].body], csrf[r[i].csrf]);
  }
  return 0;
}

/* gazette serve */
static int cmd_serve(const options *o) {
  if (!o->listen) return fail(2, "serve needs --listen unix:PATH or HOST:PORT");
  db *d = open_db(o, 0);
  if (!d) return 1;
  char err[512];
  char langs[4096];
  i18n_dir(o, langs, sizeof langs);
  app *a = app_load(d, o->templates ? o->templates : "www/templates", langs, err, sizeof err);
  db_close(d);
  if (!a) return fail(1, err);
  folders f;
  media_folders(o, &f);
  media_dirs dirs = {f.media, f.originals};
  if (library_prepare(&dirs, err, sizeof err) != 0 || image_init(err, sizeof err) != 0) {
    app_free(a);
    return fail(1, err);
  }
  media_jobs *jobs = media_jobs_new(MEDIA_JOBS_DEFAULT);
  app_set_media(a, f.media, f.originals, jobs);
  int fd = server_listen(o->listen, err, sizeof err);
  if (fd < 0) {
    app_free(a);
    media_jobs_free(jobs);
    return fail(1, err);
  }
  fprintf(stderr, "gazette: serving on %s\n", o->listen);
  int rc = server_run(a, o->db, fd, (int)(o->threads ? o->threads : 4), err, sizeof err);
  if (strncmp(o->listen, "unix:", 5) == 0) unlink(o->listen + 5);
  app_free(a);
  media_jobs_free(jobs);
  if (rc != 0) return fail(1, err);
  fprintf(stderr, "gazette: stopped\n");
  return 0;
}

int main(int argc, char **argv) {
  if (sodium_init() < 0) return fail(1, "cannot initialise libsodium");
  if (argc < 2) {
    fputs(USAGE, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    buf help = {0};
    settings_help(&help);
    printf("%s\nsettings:\n%s", USAGE, buf_str(&help));
    buf_free(&help);
    return 0;
  }
  options o = {0};
  int (*run)(const options *) = NULL;
  if (strcmp(cmd, "init") == 0) run = cmd_init;
  else if (strcmp(cmd, "demo") == 0) run = cmd_demo;
  else if (strcmp(cmd, "setting") == 0) run = cmd_setting;
  else if (strcmp(cmd, "serve") == 0) run = cmd_serve;
  else if (strcmp(cmd, "comments") == 0) run = cmd_comments;
  else if (strcmp(cmd, "check") == 0) run = cmd_check;
  else if (strcmp(cmd, "backup") == 0) run = cmd_backup;
  else if (strcmp(cmd, "routes") == 0) run = cmd_routes;
  else if (strcmp(cmd, "media") == 0) run = cmd_media;
  else if (strcmp(cmd, "user") == 0) run = cmd_user;
  else if (strcmp(cmd, "import") == 0) run = cmd_import;
  else if (strcmp(cmd, "token") == 0) run = cmd_token;
  if (!run) {
    fprintf(stderr, "gazette: unknown command %s (see gazette --help)\n", cmd);
    return 2;
  }
  if (options_parse(argc, argv, &o) != 0) return 2;
  return run(&o);
}
