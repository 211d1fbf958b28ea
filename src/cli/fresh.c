/*
 * fresh.c - `trouve search --fresh`: bring the index up to date with the
 * folders it was built from, then let the search go on.
 *
 * The folders come from the index itself (trouve_index_roots).  The index
 * is first opened for reading, so that a missing index is reported as one
 * (a write handle would create an empty one).  When another indexer holds
 * the lock, or this user may not write the index (another user's, a
 * read-only mount), the search goes on with what is there, and says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "out.h"

/* Names the files that could not be read; policy skips are silent, as in
 * `trouve index` without -v. */
static void on_skipped(const char *path, trouve_skip_t why,
                       const char *detail, void *ctx)
{
    (void)ctx;
    if (why != TROUVE_SKIP_UNREADABLE && why != TROUVE_SKIP_DAMAGED)
        return;
    out_error("cannot read '%s': %s", out_display_path(path),
              detail ? detail : trouve_skip_to_string(why));
}

int cli_refresh(const char *path)
{
    trouve_status_t st;
    trouve_index_t *ix = cli_open_index(path, TROUVE_OPEN_READ, &st);
    if (!ix)
        return EXIT_ERROR;
    char **roots;
    size_t n;
    st = trouve_index_roots(ix, &roots, &n);
    if (st != TROUVE_STATUS_OK) {
        cli_report(ix, st);
        trouve_index_close(ix);
        return EXIT_ERROR;
    }
    trouve_index_close(ix);
    if (n == 0) { /* built from files only: nothing remembered to walk */
        trouve_roots_free(roots);
        return 0;
    }

    if (access(path, W_OK) < 0 &&
        (errno == EACCES || errno == EPERM || errno == EROFS)) {
        out_error("index '%s' cannot be written (%s); searching it as it is",
                  path, strerror(errno));
        trouve_roots_free(roots);
        return 0;
    }
    char *msg;
    st = trouve_index_open(path, TROUVE_OPEN_WRITE, &ix, &msg);
    if (st == TROUVE_STATUS_INDEX_LOCKED) {
        out_error("index '%s' is being updated by another indexer; "
                  "searching it as it is", path);
        free(msg);
        trouve_roots_free(roots);
        return 0;
    }
    if (st != TROUVE_STATUS_OK) {
        out_error("cannot update the index: %s",
                  msg ? msg : trouve_status_to_string(st));
        free(msg);
        trouve_roots_free(roots);
        return EXIT_ERROR;
    }
    trouve_index_options_t opts;
    trouve_index_options_init(&opts);
    opts.skipped = on_skipped;
    st = trouve_index_paths(ix, (const char *const *)roots, n, &opts, NULL);
    if (st != TROUVE_STATUS_OK)
        cli_report(ix, st);
    trouve_index_close(ix);
    trouve_roots_free(roots);
    return st == TROUVE_STATUS_OK ? 0 : EXIT_ERROR;
}
