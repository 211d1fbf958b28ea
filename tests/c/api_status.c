/*
 * api_status.c - a C program built against the public header only
 * (src/trouve.h) and linked with libtrouve.so: what the functions taking
 * an index handle return when they fail, and the message each failure
 * leaves on the handle (trouve_index_message), which must be its own,
 * never one an earlier failure left there.
 *
 * Usage: api_status [SEEDS_DIR]   (default: seeds; exits 0 when every
 * check passed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trouve.h"

static int failures;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
            failures++;                                                     \
        }                                                                   \
    } while (0)

/* Leaves a message on the handle (a query with nothing to search for),
 * for the next failure to replace. */
static void fail_once(trouve_index_t *ix)
{
    trouve_results_t *res;
    if (trouve_search(ix, "!!!", NULL, &res) != TROUVE_STATUS_BAD_QUERY)
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

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failures++;
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}
