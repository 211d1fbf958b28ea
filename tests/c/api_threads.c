/*
 * api_threads.c - several threads search one index at once, each through
 * its own read handle, as trouve.h allows; built against the public header
 * only.  `make test-asan` runs it under AddressSanitizer and UBSan, and
 * `make test-tsan` under ThreadSanitizer.
 *
 * The index of seeds/ is built first; then every query is searched once
 * on the main thread for the expected answer (path, line, score of each
 * hit), and THREADS threads each search every query ROUNDS times, in a
 * different order, checking each answer against the expected one.  While
 * they run, one more thread re-indexes WRITES times (with --force, so it
 * commits, and compacts), and the readers, which reopen their handles every
 * other round (trouve_index_reopen), go on until it is done, so they
 * meet a writer's commits whatever the speed of the machine; the posts do
 * not change, so neither do the answers.
 *
 * Usage: api_threads [SEEDS_DIR]   (default: seeds; exits 0 when every
 * check passed)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trouve.h"
#include "check.h"

#define THREADS 4
#define ROUNDS 5   /* at least, and until the writer is done */
#define WRITES 3

static const char *const queries[] = {
    "reverse mentorship", "mentorat inversé", "board OR comité",
    "jardin*",            "\"reverse mentorship\"", "winters cycle",
    "creme brulee",       "adoption politique -mentorship",
    "lang:fr conseil",    "xylophonique",
};
#define NQUERIES (sizeof queries / sizeof *queries)

/* What a search answered, as one string: "path:line:score\n" per hit. */
static char *answer(trouve_index_t *ix, const char *query)
{
    trouve_search_options_t so;
    trouve_search_options_init(&so);
    so.limit = 20;
    so.flags |= TROUVE_SEARCH_ANY;
    trouve_results_t *res;
    trouve_status_t st = trouve_search(ix, query, &so, &res);
    if (st != TROUVE_STATUS_OK) {
        fprintf(stderr, "search '%s': %s: %s\n", query,
                trouve_status_to_string(st), trouve_index_message(ix));
        return NULL;
    }
    size_t n = trouve_results_count(res), cap = 64 + n * 300, at = 0;
    char *s = malloc(cap);
    if (!s) {
        trouve_results_free(res);
        return NULL;
    }
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const trouve_hit_t *h = trouve_results_hit(res, i);
        int k = snprintf(s + at, cap - at, "%.250s:%u:%.4f\n",
                         trouve_hit_path(h), trouve_hit_line(h),
                         trouve_hit_score(h));
        if (k > 0 && (size_t)k < cap - at)
            at += (size_t)k;
    }
    trouve_results_free(res);
    return s;
}

static atomic_int writer_done; /* the readers' signal to stop */

typedef struct reader {
    const char *index;
    char **expected;   /* one answer per query */
    unsigned id;
    unsigned rounds;   /* OUT: rounds made */
    int failures;      /* OUT */
    pthread_t thread;
} reader_t;

static void *read_loop(void *arg)
{
    reader_t *r = arg;
    trouve_index_t *ix;
    char *msg;
    if (trouve_index_open(r->index, TROUVE_OPEN_READ, &ix, &msg) !=
        TROUVE_STATUS_OK) {
        fprintf(stderr, "reader %u: %s\n", r->id, msg ? msg : "?");
        free(msg);
        r->failures++;
        return NULL;
    }
    for (unsigned round = 0; round < ROUNDS || !atomic_load(&writer_done);
         round++) {
        r->rounds++;
        /* Every other round, see what the writer committed. */
        trouve_status_t st = round % 2 ? trouve_index_reopen(ix)
                                       : TROUVE_STATUS_OK;
        if (st != TROUVE_STATUS_OK) {
            fprintf(stderr, "reader %u: reopen: %s: %s\n", r->id,
                    trouve_status_to_string(st), trouve_index_message(ix));
            r->failures++;
        }
        for (size_t k = 0; k < NQUERIES; k++) {
            size_t q = (k + r->id * 3 + round) % NQUERIES;
            char *got = answer(ix, queries[q]);
            if (!got || strcmp(got, r->expected[q])) {
                fprintf(stderr, "reader %u: '%s' answered differently\n",
                        r->id, queries[q]);
                r->failures++;
            }
            free(got);
        }
    }
    trouve_index_close(ix);
    return NULL;
}

typedef struct writer {
    const char *index, *seeds;
    unsigned runs;           /* OUT: indexing runs made */
    trouve_status_t status;  /* OUT: the first failure, or OK */
    pthread_t thread;
} writer_t;

/* Re-reads every post: the same documents again, new commits. */
static void *write_once(void *arg)
{
    writer_t *w = arg;
    trouve_index_t *ix;
    w->status = trouve_index_open(w->index, TROUVE_OPEN_WRITE, &ix, NULL);
    if (w->status != TROUVE_STATUS_OK)
        return NULL;
    trouve_index_options_t opts;
    trouve_index_options_init(&opts);
    opts.flags = TROUVE_INDEX_FORCE;
    const char *roots[] = {w->seeds};
    w->status = trouve_index_paths(ix, roots, 1, &opts, NULL);
    trouve_index_close(ix);
    w->runs++;
    return NULL;
}

static void *write_loop(void *arg)
{
    writer_t *w = arg;
    do
        write_once(w);
    while (w->status == TROUVE_STATUS_OK && w->runs < WRITES);
    atomic_store(&writer_done, 1);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *seeds = argc > 1 ? argv[1] : "seeds";
    char dir[] = "/tmp/trouve-threads-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[256];
    snprintf(path, sizeof path, "%s/index", dir);

    writer_t w = {.index = path, .seeds = seeds};
    write_once(&w);
    if (w.status != TROUVE_STATUS_OK) {
        fprintf(stderr, "indexing: %s\n", trouve_status_to_string(w.status));
        return 1;
    }

    trouve_index_t *ix;
    char *expected[NQUERIES] = {0};
    if (trouve_index_open(path, TROUVE_OPEN_READ, &ix, NULL) !=
        TROUVE_STATUS_OK)
        return 1;
    for (size_t q = 0; q < NQUERIES; q++)
        if (!(expected[q] = answer(ix, queries[q])))
            failures++;
    trouve_index_close(ix);
    /* the queries do find something, or the test proves little */
    if (!strchr(expected[0], '\n') || !strchr(expected[1], '\n'))
        failures++;

    reader_t readers[THREADS];
    for (unsigned i = 0; i < THREADS && !failures; i++) {
        readers[i] = (reader_t){.index = path, .expected = expected,
                                .id = i};
        if (pthread_create(&readers[i].thread, NULL, read_loop,
                           &readers[i]))
            return 2;
    }
    w.runs = 0;
    if (!failures && pthread_create(&w.thread, NULL, write_loop, &w))
        return 2;
    if (!failures) {
        unsigned rounds = 0;
        for (unsigned i = 0; i < THREADS; i++) {
            pthread_join(readers[i].thread, NULL);
            failures += readers[i].failures;
            rounds += readers[i].rounds;
        }
        pthread_join(w.thread, NULL);
        if (w.status != TROUVE_STATUS_OK) {
            fprintf(stderr, "re-indexing: %s\n",
                    trouve_status_to_string(w.status));
            failures++;
        }
        printf("%d threads, %u rounds of %zu queries in all, %u indexing "
               "runs meanwhile\n", THREADS, rounds, NQUERIES, w.runs);
    }

    for (size_t q = 0; q < NQUERIES; q++)
        free(expected[q]);
    return finish(dir);
}
