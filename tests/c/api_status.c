/*
 * api_status.c - a C program built against the public header only
 * (src/trouve.h) and linked with libtrouve.so: what the functions taking
 * an index handle return when they fail, and the message each failure
 * leaves on the handle (trouve_index_message), which must be its own,
 * never one an earlier failure left there; and statuses trouve.h lists
 * for cases that are not everyday: a regular file where the index should
 * be, a remote shard that is down, the index removed under open handles.
 *
 * Usage: api_status [SEEDS_DIR]   (default: seeds; exits 0 when every
 * check passed)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trouve.h"
#include "check.h"


/* Leaves a message on the handle (a language that is none; checked
 * before the index is read), for the next failure to replace. */
static void fail_once(trouve_index_t *ix)
{
    trouve_results_t *res;
    trouve_search_options_t so;
    trouve_search_options_init(&so);
    so.lang = (trouve_lang_t)99;
    if (trouve_search(ix, "board", &so, &res) !=
        TROUVE_STATUS_INVALID_ARGUMENT)
        failures++;
}

/* `call` fails with `status` after another failure, and leaves a message
 * of its own on ix that says `what`. */
#define CHECK_FAILS(ix, call, status, what)                                 \
    do {                                                                    \
        fail_once(ix);                                                      \
        char stale_[1024];                                                  \
        snprintf(stale_, sizeof stale_, "%s", trouve_index_message(ix));    \
        CHECK((call) == (status));                                          \
        const char *m_ = trouve_index_message(ix);                          \
        if (!strcmp(m_, stale_) || !strstr(m_, what)) {                     \
            fprintf(stderr, "%s:%d: message '%s', not one saying '%s'\n",   \
                    __FILE__, __LINE__, m_, what);                          \
            failures++;                                                     \
        }                                                                   \
    } while (0)

/* Invalid arguments on a handle that is there: the message names the
 * function and the argument. */
static void check_invalid_arguments(trouve_index_t *r, trouve_index_t *w,
                                    const char *seeds)
{
    trouve_results_t *res = (trouve_results_t *)1;
    trouve_search_options_t so;
    trouve_search_options_init(&so);
    so.lang = (trouve_lang_t)7;
    CHECK_FAILS(r, trouve_search(r, NULL, NULL, &res),
                TROUVE_STATUS_INVALID_ARGUMENT, "trouve_search: query");
    CHECK(res == NULL);
    CHECK_FAILS(r, trouve_search(r, "board", NULL, NULL),
                TROUVE_STATUS_INVALID_ARGUMENT, "trouve_search: out");
    CHECK_FAILS(r, trouve_search(r, "board", &so, &res),
                TROUVE_STATUS_INVALID_ARGUMENT, "options->lang");
    trouve_search_options_init(&so);
    so.snippet_words = 0; /* "at least 1" (trouve.h): it was taken as 1 */
    CHECK_FAILS(r, trouve_search(r, "board", &so, &res),
                TROUVE_STATUS_INVALID_ARGUMENT, "options->snippet_words");
    CHECK_FAILS(r, trouve_index_stats(r, NULL),
                TROUVE_STATUS_INVALID_ARGUMENT, "trouve_index_stats: stats");
    CHECK_FAILS(r, trouve_index_roots(r, NULL, NULL),
                TROUVE_STATUS_INVALID_ARGUMENT, "trouve_index_roots: out");
    const char *with_null[] = {seeds, NULL};
    CHECK_FAILS(w, trouve_index_paths(w, NULL, 1, NULL, NULL),
                TROUVE_STATUS_INVALID_ARGUMENT, "trouve_index_paths: paths");
    CHECK_FAILS(w, trouve_index_paths(w, with_null, 2, NULL, NULL),
                TROUVE_STATUS_INVALID_ARGUMENT, "paths[1] is NULL");
    /* the other failures of these calls have their messages too */
    CHECK_FAILS(r, trouve_index_paths(r, with_null, 1, NULL, NULL),
                TROUVE_STATUS_READ_ONLY, "read-only");
    CHECK_FAILS(r, trouve_index_compact(r), TROUVE_STATUS_READ_ONLY,
                "read-only");

    /* Before a handle exists, the message comes back through `message`. */
    trouve_index_t *ix = (trouve_index_t *)1;
    char *msg = NULL;
    CHECK(trouve_index_open(NULL, TROUVE_OPEN_READ, &ix, &msg) ==
              TROUVE_STATUS_INVALID_ARGUMENT &&
          ix == NULL && msg && strstr(msg, "trouve_index_open: path"));
    free(msg);
    CHECK(trouve_index_open("index", (trouve_open_mode_t)5, &ix, &msg) ==
              TROUVE_STATUS_INVALID_ARGUMENT &&
          msg && strstr(msg, "trouve_index_open: mode"));
    free(msg);
    CHECK(trouve_index_open("index", TROUVE_OPEN_READ, NULL, &msg) ==
              TROUVE_STATUS_INVALID_ARGUMENT &&
          msg && strstr(msg, "trouve_index_open: out"));
    free(msg);

    /* Without a handle there is nowhere to put a message. */
    CHECK(trouve_search(NULL, "board", NULL, &res) ==
          TROUVE_STATUS_INVALID_ARGUMENT);
    CHECK(trouve_index_stats(NULL, NULL) == TROUVE_STATUS_INVALID_ARGUMENT);
    CHECK(!strcmp(trouve_index_message(NULL), ""));
}

/* A regular file where the index should be: damaged, in both modes. */
static void check_regular_file(const char *dir)
{
    char file[300];
    snprintf(file, sizeof file, "%s/file", dir);
    FILE *f = fopen(file, "w");
    CHECK(f && fputs("not an index\n", f) >= 0 && fclose(f) == 0);
    for (int mode = TROUVE_OPEN_READ; mode <= TROUVE_OPEN_WRITE; mode++) {
        trouve_index_t *ix = (trouve_index_t *)1;
        char *msg = NULL;
        CHECK(trouve_index_open(file, (trouve_open_mode_t)mode, &ix, &msg) ==
              TROUVE_STATUS_INDEX_CORRUPT);
        CHECK(ix == NULL && msg && strstr(msg, "not a folder"));
        free(msg);
    }
}

/* A stub naming a remote shard whose server is down: a read handle cannot
 * be opened (a port just bound and closed again has no server). */
static void check_remote_down(const char *dir)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    CHECK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
          getsockname(s, (struct sockaddr *)&a, &len) == 0);
    close(s);
    char ix_path[300], stub[340];
    snprintf(ix_path, sizeof ix_path, "%s/remote", dir);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", ix_path);
    FILE *f = NULL;
    CHECK(mkdir(ix_path, 0777) == 0 && (f = fopen(stub, "w")) != NULL);
    if (f) {
        fprintf(f, "remote 127.0.0.1:%u\n", (unsigned)ntohs(a.sin_port));
        fclose(f);
    }
    trouve_index_t *ix = (trouve_index_t *)1;
    char *msg = NULL;
    CHECK(trouve_index_open(ix_path, TROUVE_OPEN_READ, &ix, &msg) ==
          TROUVE_STATUS_REMOTE_ERROR);
    CHECK(ix == NULL && msg && strstr(msg, "remote shard"));
    free(msg);
}

/* The index removed under open handles: a read handle reads its snapshot
 * until it opens the index again, then gets NO_INDEX, as a write handle
 * does at once (it opens its reader when first needed). */
static void check_removed(const char *seeds, const char *dir)
{
    char path[300], cmd[340];
    snprintf(path, sizeof path, "%s/removed", dir);
    const char *roots[] = {seeds};
    trouve_index_t *w = NULL, *r = NULL;
    CHECK(trouve_index_open(path, TROUVE_OPEN_WRITE, &w, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(trouve_index_paths(w, roots, 1, NULL, NULL) == TROUVE_STATUS_OK);
    CHECK(trouve_index_open(path, TROUVE_OPEN_READ, &r, NULL) ==
          TROUVE_STATUS_OK);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
    if (!r || !w)
        return;
    trouve_results_t *res = NULL;
    trouve_stats_t st;
    CHECK(trouve_search(r, "board", NULL, &res) == TROUVE_STATUS_OK);
    trouve_results_free(res);
    CHECK_FAILS(r, trouve_index_reopen(r), TROUVE_STATUS_NO_INDEX,
                "no index at");
    CHECK_FAILS(r, trouve_search(r, "board", NULL, &res),
                TROUVE_STATUS_NO_INDEX, "no index at");
    CHECK_FAILS(r, trouve_index_stats(r, &st), TROUVE_STATUS_NO_INDEX,
                "no index at");
    char **folders;
    CHECK_FAILS(r, trouve_index_roots(r, &folders, NULL),
                TROUVE_STATUS_NO_INDEX, "no index at");
    CHECK_FAILS(w, trouve_search(w, "board", NULL, &res),
                TROUVE_STATUS_NO_INDEX, "no index at");
    trouve_index_close(r);
    trouve_index_close(w);
}

int main(int argc, char **argv)
{
    const char *seeds = argc > 1 ? argv[1] : "seeds";
    char dir[] = "/tmp/trouve-status-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[256];
    snprintf(path, sizeof path, "%s/index", dir);

    trouve_index_t *w = NULL, *r = NULL;
    const char *roots[] = {seeds};
    CHECK(trouve_index_open(path, TROUVE_OPEN_WRITE, &w, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(trouve_index_paths(w, roots, 1, NULL, NULL) == TROUVE_STATUS_OK);
    CHECK(trouve_index_open(path, TROUVE_OPEN_READ, &r, NULL) ==
          TROUVE_STATUS_OK);
    if (r && w)
        check_invalid_arguments(r, w, seeds);
    trouve_index_close(r);
    trouve_index_close(w);
    check_regular_file(dir);
    check_remote_down(dir);
    check_removed(seeds, dir);

    return finish(dir);
}
