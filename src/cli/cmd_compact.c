/*
 * cmd_compact.c - `trouve compact`: merge the index's local shards into
 * one (trouve_index_compact), crash-safely.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve compact [-q] [--index DIR]\n"
    "\n"
    "Merge the index's local shards into one compacted shard (remote shards\n"
    "stay as they are).  Searches give the same results before and after;\n"
    "later 'trouve index' runs then write with one writer.  A crash leaves\n"
    "either the old shards or the merged one, never a mix.\n"
    "\n"
    "  -q, --quiet       print nothing but errors\n"
    "      --index DIR   the index (default $TROUVE_INDEX or ./index)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 when done, 2 on error, 75 when an indexer holds the\n"
    "index.\n";

int cmd_compact(int argc, char **argv)
{
    enum { O_INDEX = 256 };
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"index", required_argument, NULL, O_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *index = NULL;
    int quiet = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case O_INDEX: index = optarg; break;
        case 'h':
            fputs(usage, stdout);
            return out_finish(stdout);
        default:
            out_error("unknown option '%s' (see 'trouve compact --help')",
                      argv[optind - 1]);
            return EXIT_ERROR;
        }
    }
    if (optind < argc) {
        out_error("unexpected argument '%s'", argv[optind]);
        return EXIT_ERROR;
    }
    const char *path = cli_index_path(index);
    trouve_status_t st;
    trouve_stats_t before, after;
    /* The size before, for the summary; a missing index is reported by
     * the write open below, which would otherwise create the folder. */
    trouve_index_t *ix = cli_open_index(path, TROUVE_OPEN_READ, &st);
    if (!ix)
        return EXIT_ERROR;
    st = trouve_index_stats(ix, &before);
    trouve_index_close(ix);
    if (st != TROUVE_STATUS_OK)
        memset(&before, 0, sizeof before);

    ix = cli_open_index(path, TROUVE_OPEN_WRITE, &st);
    if (!ix)
        return st == TROUVE_STATUS_INDEX_LOCKED ? EXIT_LOCKED : EXIT_ERROR;
    st = trouve_index_compact(ix);
    if (st != TROUVE_STATUS_OK) {
        cli_report(ix, st);
        trouve_index_close(ix);
        return EXIT_ERROR;
    }
    trouve_index_close(ix);
    if (quiet)
        return out_finish(stdout);
    ix = cli_open_index(path, TROUVE_OPEN_READ, &st);
    if (ix && trouve_index_stats(ix, &after) == TROUVE_STATUS_OK)
        printf("%u shard%s, %.1f MB -> %u shard%s, %.1f MB\n",
               before.shards, before.shards == 1 ? "" : "s",
               before.bytes / 1e6, after.shards,
               after.shards == 1 ? "" : "s", after.bytes / 1e6);
    trouve_index_close(ix);
    return out_finish(stdout);
}
