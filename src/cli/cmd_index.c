/*
 * cmd_index.c - `trouve index`: bring the index up to date with the posts
 * in some folders and files.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve index [options] PATH...\n"
    "\n"
    "Index the posts (.txt, .md, .html, and the same gzipped) in the folders\n"
    "and files given.  A re-run reads only what changed and forgets posts\n"
    "whose files are gone.\n"
    "\n"
    "  -j, --jobs N      parallel writers for a new index (default: cores)\n"
    "      --force       read every file again\n"
    "      --follow      follow symbolic links inside the folders given\n"
    "      --json        print the summary as one JSON object\n"
    "  -v, --verbose     name each file left out, and why\n"
    "  -q, --quiet       print nothing but errors\n"
    "      --index DIR   the index (default $TROUVE_INDEX or ./index)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 when every file was indexed, 1 when some could not be\n"
    "read, 2 on error, 75 when another indexer holds the index, 130 or 143\n"
    "when interrupted (what was committed stays).\n";

static volatile int cancel;
static volatile sig_atomic_t signal_seen;

static void on_signal(int sig)
{
    signal_seen = sig;
    cancel = 1;
}

typedef struct index_cli {
    int verbose, quiet, json;
} index_cli_t;

static void on_skipped(const char *path, trouve_skip_t why,
                       const char *detail, void *ctx)
{
    const index_cli_t *o = ctx;
    int error = why == TROUVE_SKIP_UNREADABLE || why == TROUVE_SKIP_DAMAGED;
    if (!error && !o->verbose)
        return;
    const char *shown = out_display_path(path);
    if (error)
        out_error("cannot read '%s': %s", shown,
                  detail ? detail : trouve_skip_to_string(why));
    else
        out_error("skipped '%s': %s%s%s", shown, trouve_skip_to_string(why),
                  detail ? ", " : "", detail ? detail : "");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_summary(const trouve_index_summary_t *s, double secs,
                          const index_cli_t *o, trouve_status_t st)
{
    if (o->json) {
        printf("{\"type\":\"summary\",\"added\":%llu,\"updated\":%llu,"
               "\"removed\":%llu,\"unchanged\":%llu,\"skipped\":%llu,"
               "\"failed\":%llu,\"bytes\":%llu,\"elapsed_ms\":%.1f,"
               "\"status\":\"%s\"}\n",
               (unsigned long long)s->added, (unsigned long long)s->updated,
               (unsigned long long)s->removed,
               (unsigned long long)s->unchanged,
               (unsigned long long)s->skipped, (unsigned long long)s->failed,
               (unsigned long long)s->bytes, secs * 1e3,
               st == TROUVE_STATUS_OK ? "ok"
                                      : trouve_status_to_string(st));
        return;
    }
    if (o->quiet)
        return;
    printf("%llu added, %llu updated, %llu removed, %llu unchanged, "
           "%llu skipped, %llu unreadable (%.1f MB in %.2f s)\n",
           (unsigned long long)s->added, (unsigned long long)s->updated,
           (unsigned long long)s->removed, (unsigned long long)s->unchanged,
           (unsigned long long)s->skipped, (unsigned long long)s->failed,
           s->bytes / 1e6, secs);
}

int cmd_index(int argc, char **argv)
{
    enum { O_FORCE = 256, O_FOLLOW, O_JSON, O_INDEX };
    static const struct option longopts[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"force", no_argument, NULL, O_FORCE},
        {"follow", no_argument, NULL, O_FOLLOW},
        {"json", no_argument, NULL, O_JSON},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"index", required_argument, NULL, O_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    trouve_index_options_t opts;
    trouve_index_options_init(&opts);
    index_cli_t o = {0};
    const char *index = NULL;
    long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "j:vqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if ((v = cli_number("--jobs", optarg)) < 0)
                return EXIT_ERROR;
            opts.jobs = (unsigned)v;
            break;
        case O_FORCE: opts.flags |= TROUVE_INDEX_FORCE; break;
        case O_FOLLOW: opts.flags |= TROUVE_INDEX_FOLLOW; break;
        case O_JSON: o.json = 1; break;
        case 'v': o.verbose = 1; break;
        case 'q': o.quiet = 1; break;
        case O_INDEX: index = optarg; break;
        case 'h':
            fputs(usage, stdout);
            return out_finish(stdout);
        default:
            if (optopt && optopt < 256)
                out_error("unknown option '-%c' (see 'trouve index --help')",
                          optopt);
            else
                out_error("unknown or incomplete option '%s' (see 'trouve "
                          "index --help')", argv[optind - 1]);
            return EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        out_error("nothing to index (see 'trouve index --help')");
        return EXIT_ERROR;
    }

    trouve_status_t st;
    trouve_index_t *ix = cli_open_index(cli_index_path(index),
                                        TROUVE_OPEN_WRITE, &st);
    if (!ix)
        return st == TROUVE_STATUS_INDEX_LOCKED ? EXIT_LOCKED : EXIT_ERROR;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    opts.cancel = &cancel;
    opts.skipped = on_skipped;
    opts.ctx = &o;

    double t0 = now_s();
    trouve_index_summary_t sum;
    st = trouve_index_paths(ix, (const char *const *)argv + optind,
                            (size_t)(argc - optind), &opts, &sum);
    double secs = now_s() - t0;
    int status = EXIT_HITS;
    if (st == TROUVE_STATUS_INTERRUPTED) {
        out_error("interrupted: %llu posts committed",
                  (unsigned long long)(sum.added + sum.updated));
        status = signal_seen == SIGTERM ? EXIT_SIGTERM : EXIT_SIGINT;
    } else if (st != TROUVE_STATUS_OK) {
        cli_report(ix, st);
        status = EXIT_ERROR;
    } else if (sum.failed) {
        status = EXIT_NONE;
    }
    trouve_index_close(ix);
    print_summary(&sum, secs, &o, st);
    int w = out_finish(stdout);
    return w && status == EXIT_HITS ? w : status;
}
