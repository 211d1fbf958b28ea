/*
 * cmd_stats.c - `trouve stats`: what the index holds.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve stats [--json] [--index DIR]\n"
    "\n"
    "Print the number of posts, passages by language and distinct words in\n"
    "the index, its size on disk, and the folders it was built from.\n"
    "\n"
    "      --json        print them as one JSON object\n"
    "      --index DIR   the index (default $TROUVE_INDEX or ./index)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0, or 2 on error.\n";

int cmd_stats(int argc, char **argv)
{
    enum { O_JSON = 256, O_INDEX };
    static const struct option longopts[] = {
        {"json", no_argument, NULL, O_JSON},
        {"index", required_argument, NULL, O_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *index = NULL;
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_JSON: json = 1; break;
        case O_INDEX: index = optarg; break;
        case 'h':
            fputs(usage, stdout);
            return out_finish(stdout);
        default:
            out_error("unknown option '%s' (see 'trouve stats --help')",
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
    trouve_index_t *ix = cli_open_index(path, TROUVE_OPEN_READ, &st);
    if (!ix)
        return EXIT_ERROR;
    trouve_stats_t s;
    st = trouve_index_stats(ix, &s);
    if (st != TROUVE_STATUS_OK) {
        cli_report(ix, st);
        trouve_index_close(ix);
        return EXIT_ERROR;
    }
    char **roots;
    if ((st = trouve_index_roots(ix, &roots, NULL)) != TROUVE_STATUS_OK) {
        cli_report(ix, st);
        trouve_index_close(ix);
        return EXIT_ERROR;
    }
    trouve_index_close(ix);
    unsigned long long other = s.passages - s.passages_en - s.passages_fr;
    if (json) {
        fputs("{\"index\":", stdout);
        out_json_string(stdout, path, strlen(path));
        printf(",\"posts\":%llu,\"passages\":%llu,\"passages_en\":%llu,"
               "\"passages_fr\":%llu,\"passages_unknown\":%llu,"
               "\"terms\":%llu,\"text_bytes\":%llu,\"bytes\":%llu,"
               "\"shards\":%u,\"roots\":[",
               (unsigned long long)s.posts, (unsigned long long)s.passages,
               (unsigned long long)s.passages_en,
               (unsigned long long)s.passages_fr, other,
               (unsigned long long)s.terms,
               (unsigned long long)s.text_bytes, (unsigned long long)s.bytes,
               s.shards);
        for (size_t i = 0; roots[i]; i++) {
            if (i)
                putchar(',');
            out_json_string(stdout, roots[i], strlen(roots[i]));
        }
        fputs("]}\n", stdout);
    } else {
        fputs("index     ", stdout);
        out_text(stdout, path, strlen(path), 1);
        printf(" (%u shard%s)\n", s.shards, s.shards == 1 ? "" : "s");
        printf("posts     %llu\n", (unsigned long long)s.posts);
        printf("passages  %llu (en %llu, fr %llu, undecided %llu)\n",
               (unsigned long long)s.passages,
               (unsigned long long)s.passages_en,
               (unsigned long long)s.passages_fr, other);
        printf("terms     %llu\n", (unsigned long long)s.terms);
        printf("text      %.1f MB\n", s.text_bytes / 1e6);
        printf("on disk   %.1f MB\n", s.bytes / 1e6);
        for (size_t i = 0; roots[i]; i++) {
            fputs(i ? "          " : "folders   ", stdout);
            out_text(stdout, roots[i], strlen(roots[i]), 1);
            putchar('\n');
        }
    }
    trouve_roots_free(roots);
    return out_finish(stdout);
}
