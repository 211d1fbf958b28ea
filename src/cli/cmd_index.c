/*
 * cmd_index.c - `trouve index`: bring the index up to date with the posts
 * in some folders and files.
 *
 * What it prints: one summary line on stdout (or one JSON object with
 * --json), nothing with --quiet; on stderr, one line per file that could
 * not be read, per post cut at the size cap, and with -v per file left
 * out by policy; on a terminal, a progress line on stderr during long
 * runs (files, MB, rate, time left), erased at the end.
 *
 * Signals: the first SIGINT or SIGTERM only sets the library's cancel flag
 * (the handler does nothing else, so it is async-signal-safe); the run
 * then commits the batch in hand and stops, and the exit status is 130 or
 * 143.  The handler is installed with SA_RESETHAND, so a second signal
 * ends the process at once (what was committed stays: commits are
 * atomic).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
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
    "whose files are gone; naming a deleted file or folder removes its\n"
    "posts.  Hidden files and what .trouveignore files list (gitignore\n"
    "patterns) are left out.\n"
    "\n"
    "  -j, --jobs N      parallel writers for a new index (default: cores)\n"
    "      --force       read every file again\n"
    "      --follow      follow symbolic links inside the folders given\n"
    "      --wait SECS   wait up to SECS seconds for another indexer\n"
    "      --json        print the summary as one JSON object\n"
    "  -v, --verbose     name each file left out, and why\n"
    "  -q, --quiet       print nothing but errors\n"
    "      --index DIR   the index (default $TROUVE_INDEX or ./index)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 when every file was indexed, 1 when some could not be\n"
    "read (or a path given names nothing the index holds), 2 on error, 75\n"
    "when another indexer holds the index, 130 or 143 when interrupted\n"
    "(what was committed stays).\n";

/* The library's cancel flag: an int the signal handler stores and the
 * run's threads load, both atomically (lock-free, so safe in a handler).
 * sig_atomic_t is int with glibc; the assertion keeps it honest. */
_Static_assert(sizeof(int) == sizeof(sig_atomic_t),
               "the cancel flag must be written atomically");
static volatile int cancel;
static volatile sig_atomic_t signal_seen;

static void on_signal(int sig)
{
    int saved = errno; /* whatever the handler interrupted keeps it */
    signal_seen = sig;
    __atomic_store_n(&cancel, 1, __ATOMIC_RELAXED);
    errno = saved;
}

static int cancelled(void)
{
    return __atomic_load_n(&cancel, __ATOMIC_RELAXED);
}

#define PROGRESS_AFTER 1.0 /* seconds before a progress line appears */

typedef struct index_cli {
    int verbose, quiet, json;
    uint64_t by_reason[TROUVE_SKIP_LAST]; /* left out, per reason */
    int progress;          /* stderr is a terminal: draw progress */
    int drawn;             /* a progress line is on the screen */
    double started;        /* when the run started (monotonic seconds) */
    pthread_mutex_t lock;  /* stderr is written from several threads */
} index_cli_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Erases the progress line, if one is drawn (lock held). */
static void erase_progress(index_cli_t *o)
{
    if (o->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        o->drawn = 0;
    }
}

static void on_skipped(const char *path, trouve_skip_t why,
                       const char *detail, void *ctx)
{
    index_cli_t *o = ctx;
    int error = why == TROUVE_SKIP_UNREADABLE || why == TROUVE_SKIP_DAMAGED;
    pthread_mutex_lock(&o->lock);
    if (why < TROUVE_SKIP_LAST && !error && why != TROUVE_SKIP_TOO_LARGE)
        o->by_reason[why]++;
    const char *shown = out_display_path(path);
    if (error || why == TROUVE_SKIP_TOO_LARGE || o->verbose)
        erase_progress(o);
    if (error)
        out_error("cannot read '%s': %s", shown,
                  detail ? detail : trouve_skip_to_string(why));
    else if (why == TROUVE_SKIP_TOO_LARGE)
        out_error("'%s' is too large: %s", shown,
                  detail ? detail : "indexed in part");
    else if (o->verbose)
        out_error("skipped '%s': %s%s%s", shown, trouve_skip_to_string(why),
                  detail ? ", " : "", detail ? detail : "");
    pthread_mutex_unlock(&o->lock);
}

/* "1:05" or "2:03:10". */
static void format_duration(double secs, char *out, size_t outsz)
{
    unsigned long s = secs > 0 && secs < 1e7 ? (unsigned long)(secs + 0.5)
                                             : 0;
    if (s >= 3600)
        snprintf(out, outsz, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
                 s % 60);
    else
        snprintf(out, outsz, "%lu:%02lu", s / 60, s % 60);
}

/* Draws "indexing 120/5000 files, 3.1/96.0 MB, 2.4 MB/s, 0:39 left". */
static void on_progress(const trouve_progress_t *p, void *ctx)
{
    index_cli_t *o = ctx;
    double elapsed = now_s() - o->started;
    if (!o->progress || elapsed < PROGRESS_AFTER || !p->files_total)
        return;
    double rate = p->bytes_done / 1e6 / elapsed;
    char left[32] = "";
    if (p->bytes_total > p->bytes_done && p->bytes_done > 0) {
        char d[24];
        format_duration((p->bytes_total - p->bytes_done) / 1e6 / rate, d,
                        sizeof d);
        snprintf(left, sizeof left, ", %s left", d);
    }
    pthread_mutex_lock(&o->lock);
    fprintf(stderr, "\r\033[Kindexing %llu/%llu files, %.1f/%.1f MB, "
            "%.1f MB/s%s", (unsigned long long)p->files_done,
            (unsigned long long)p->files_total, p->bytes_done / 1e6,
            p->bytes_total / 1e6, rate, left);
    fflush(stderr);
    o->drawn = 1;
    pthread_mutex_unlock(&o->lock);
}

/* JSON key and words of each policy reason, for the summary. */
static const struct {
    trouve_skip_t why;
    const char *key, *words;
} reasons[] = {
    {TROUVE_SKIP_HIDDEN, "hidden", "hidden"},
    {TROUVE_SKIP_IGNORED, "ignored", "ignored"},
    {TROUVE_SKIP_FORMAT, "format", "not posts"},
    {TROUVE_SKIP_BINARY, "binary", "binary"},
    {TROUVE_SKIP_SYMLINK, "symlink", "symbolic links"},
    {TROUVE_SKIP_SPECIAL, "special", "not regular files"},
};

static void print_summary(const trouve_index_summary_t *s, double secs,
                          const index_cli_t *o, trouve_status_t st)
{
    size_t nreasons = sizeof reasons / sizeof *reasons;
    if (o->json) {
        printf("{\"type\":\"summary\",\"added\":%llu,\"updated\":%llu,"
               "\"removed\":%llu,\"unchanged\":%llu,\"skipped\":%llu,"
               "\"skipped_by\":{",
               (unsigned long long)s->added, (unsigned long long)s->updated,
               (unsigned long long)s->removed,
               (unsigned long long)s->unchanged,
               (unsigned long long)s->skipped);
        for (size_t i = 0, n = 0; i < nreasons; i++)
            if (o->by_reason[reasons[i].why])
                printf("%s\"%s\":%llu", n++ ? "," : "", reasons[i].key,
                       (unsigned long long)o->by_reason[reasons[i].why]);
        printf("},\"failed\":%llu,\"bytes\":%llu,\"elapsed_ms\":%.1f,"
               "\"status\":\"%s\"}\n",
               (unsigned long long)s->failed, (unsigned long long)s->bytes,
               secs * 1e3,
               st == TROUVE_STATUS_OK ? "ok" : trouve_status_to_string(st));
        return;
    }
    if (o->quiet)
        return;
    printf("%llu added, %llu updated, %llu removed, %llu unchanged, "
           "%llu skipped", (unsigned long long)s->added,
           (unsigned long long)s->updated, (unsigned long long)s->removed,
           (unsigned long long)s->unchanged, (unsigned long long)s->skipped);
    for (size_t i = 0, n = 0; i < nreasons; i++)
        if (o->by_reason[reasons[i].why])
            printf("%s%llu %s", n++ ? ", " : " (",
                   (unsigned long long)o->by_reason[reasons[i].why],
                   reasons[i].words);
    for (size_t i = 0; i < nreasons; i++)
        if (o->by_reason[reasons[i].why]) {
            putchar(')');
            break;
        }
    printf(", %llu unreadable (%.1f MB in %.2f s)\n",
           (unsigned long long)s->failed, s->bytes / 1e6, secs);
}

/* Opens the index for writing, waiting up to `wait` seconds (< 0: not at
 * all) while another indexer holds it.  Prints why it failed. */
static trouve_index_t *open_waiting(const char *path, double wait,
                                    trouve_status_t *st)
{
    double deadline = now_s() + wait;
    for (;;) {
        trouve_index_t *ix;
        char *msg;
        if (wait < 0)
            break;
        *st = trouve_index_open(path, TROUVE_OPEN_WRITE, &ix, &msg);
        if (*st == TROUVE_STATUS_OK)
            return ix;
        if (*st != TROUVE_STATUS_INDEX_LOCKED ||
            now_s() >= deadline || cancelled()) {
            free(msg);
            break;
        }
        free(msg);
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* (Once more) through the CLI's opener, which prints the message. */
    return cli_open_index(path, TROUVE_OPEN_WRITE, st);
}

int cmd_index(int argc, char **argv)
{
    enum { O_FORCE = 256, O_FOLLOW, O_JSON, O_INDEX, O_WAIT };
    static const struct option longopts[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"force", no_argument, NULL, O_FORCE},
        {"follow", no_argument, NULL, O_FOLLOW},
        {"wait", required_argument, NULL, O_WAIT},
        {"json", no_argument, NULL, O_JSON},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"index", required_argument, NULL, O_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    trouve_index_options_t opts;
    trouve_index_options_init(&opts);
    index_cli_t o;
    memset(&o, 0, sizeof o);
    const char *index = NULL;
    double wait = -1;
    long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "j:vqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if ((v = cli_number("--jobs", optarg)) < 0)
                return EXIT_ERROR;
            if (v > TROUVE_JOBS_MAX) {
                out_error("option '--jobs' wants at most %d (an index has "
                          "at most that many shards), not '%s'",
                          TROUVE_JOBS_MAX, optarg);
                return EXIT_ERROR;
            }
            opts.jobs = (unsigned)v;
            break;
        case O_FORCE: opts.flags |= TROUVE_INDEX_FORCE; break;
        case O_FOLLOW: opts.flags |= TROUVE_INDEX_FOLLOW; break;
        case O_WAIT:
            if ((v = cli_number("--wait", optarg)) < 0)
                return EXIT_ERROR;
            wait = (double)v;
            break;
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

    /* Signals first: a Ctrl-C while waiting for the lock ends the wait. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second signal ends the process */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    trouve_status_t st;
    trouve_index_t *ix = open_waiting(cli_index_path(index), wait, &st);
    if (!ix) {
        /* --json prints its one object whatever happened: nothing done,
         * and why (the message itself is on stderr). */
        if (o.json) {
            trouve_index_summary_t none = {0};
            print_summary(&none, 0, &o,
                          cancelled() ? TROUVE_STATUS_INTERRUPTED : st);
            out_finish(stdout);
        }
        if (cancelled())
            return signal_seen == SIGTERM ? EXIT_SIGTERM : EXIT_SIGINT;
        return st == TROUVE_STATUS_INDEX_LOCKED ? EXIT_LOCKED : EXIT_ERROR;
    }

    pthread_mutex_init(&o.lock, NULL);
    o.progress = !o.quiet && isatty(STDERR_FILENO);
    o.started = now_s();
    opts.cancel = &cancel;
    opts.skipped = on_skipped;
    if (o.progress)
        opts.progress = on_progress;
    opts.ctx = &o;

    /* One arena for each writer thread, whose memory faults in 2 MB at a
     * time (a new index has --jobs writers, or one per core). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cli_heap_arenas(opts.jobs ? opts.jobs : cores > 0 ? (unsigned)cores : 1);
    trouve_index_summary_t sum;
    st = trouve_index_paths(ix, (const char *const *)argv + optind,
                            (size_t)(argc - optind), &opts, &sum);
    double secs = now_s() - o.started;
    erase_progress(&o);
    int status = EXIT_HITS;
    if (st == TROUVE_STATUS_INTERRUPTED) {
        unsigned long long in = sum.added + sum.updated;
        out_error("interrupted: %llu %s indexed and committed; run 'trouve "
                  "index' again to finish", in, in == 1 ? "post" : "posts");
        status = signal_seen == SIGTERM ? EXIT_SIGTERM : EXIT_SIGINT;
    } else if (st != TROUVE_STATUS_OK) {
        cli_report(ix, st);
        status = EXIT_ERROR;
    } else if (sum.failed) {
        status = EXIT_NONE;
    }
    trouve_index_close(ix);
    pthread_mutex_destroy(&o.lock);
    print_summary(&sum, secs, &o, st);
    int w = out_finish(stdout);
    return w && status == EXIT_HITS ? w : status;
}
