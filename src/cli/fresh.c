/*
 * fresh.c - `trouve search --fresh`: bring the index up to date with the
 * folders it was built from, then let the search go on.
 *
 * The folders come from the index itself (trouve_index_roots).  The index
 * is first opened for reading, so that a missing index is reported as one
 * (a write handle would create an empty one).  When another indexer holds
 * the lock, or this user may not write the index (another user's, a
 * read-only mount), the search goes on with what is there, and says so.
 *
 * A remembered folder that names nothing is left out, with a warning: a
 * folder deleted, or on a drive not mounted now.  Given to
 * trouve_index_paths it would take its posts out of the index and be
 * forgotten, which only the user's own `trouve index FOLDER` should do
 * (a search must not empty the index of an unplugged disk).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Keeps, at the front of roots[0..*n), the folders that exist, and warns
 * of the others (moved behind them: the array is one block, freed
 * whole). */
static void keep_present(char **roots, size_t *n)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        struct stat st;
        if (stat(roots[i], &st) < 0 && (errno == ENOENT || errno == ENOTDIR)) {
            const char *shown = out_display_path(roots[i]);
            out_error("folder '%s' is gone (%s): not refreshed; its posts "
                      "leave the index when 'trouve index %s' names it",
                      shown, strerror(errno), shown);
            continue;
        }
        char *keep = roots[i];
        roots[i] = roots[kept];
        roots[kept++] = keep;
    }
    *n = kept;
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
    keep_present(roots, &n);
    if (n == 0) { /* built from files only, or its folders are gone */
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
