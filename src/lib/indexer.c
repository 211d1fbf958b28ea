/*
 * indexer.c - trouve_index_paths: bringing the index up to date with the
 * posts under some folders.
 *
 * The walk finds the posts (walk.h); each goes to the shard its path
 * hashes to, and one thread per shard brings that shard up to date
 * (shard_job.c): a post whose file kept its size and modification time
 * is left alone, a new or changed one is read, analysed and replaces its
 * old document; documents under a walked folder whose file is gone are
 * deleted, and so are those at or under a path given that names nothing
 * (purge.c); the folders walked are remembered (roots.c).  Here the run
 * is set up, the threads started and their progress reported, their
 * results summed up, and the shards they compacted switched to.
 *
 * TROUVE_BATCH_POSTS in the environment sets a smaller batch (for tests
 * that need many commits from a small corpus; shard_job.c describes the
 * batches).
 */
#include "private.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "index.h"
#include "post_doc.h"
#include "shard_job.h"
#include "strset.h"
#include "walk.h"

#define BATCH_POSTS 2000                    /* documents per commit */
#define RACY_NS 2000000000LL               /* see shared_t.racy_ns */
#define PROGRESS_EVERY_MS 200              /* between progress calls */

void trouve_index_options_init(trouve_index_options_t *o)
{
    memset(o, 0, sizeof *o);
}

/* Calls the progress callback, if any, with the counts so far. */
static void progress_now(const shared_t *sh, const walk_t *walk)
{
    if (!sh->opts->progress)
        return;
    trouve_progress_t p = {atomic_load(&sh->files_done), walk->n,
                           atomic_load(&sh->bytes_done), walk->bytes};
    sh->opts->progress(&p, sh->opts->ctx);
}

/* Documents per commit: BATCH_POSTS, or TROUVE_BATCH_POSTS (1..). */
static size_t batch_posts(void)
{
    const char *v = getenv("TROUVE_BATCH_POSTS");
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : 0;
    return n > 0 && !*end ? (size_t)n : BATCH_POSTS;
}

/* Shards for a new index: one per core, within 1..SHARDS_MAX. */
static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SHARDS_MAX ? SHARDS_MAX : (unsigned)n;
}

/* Runs the shard jobs, one thread each, reporting progress meanwhile. */
static void run_jobs(shard_job_t *jobs, unsigned n, shared_t *sh,
                     const walk_t *walk)
{
    unsigned started = 0;
    sh->running = n;
    for (; started < n; started++)
        if (pthread_create(&jobs[started].thread, NULL, shard_job_run,
                           &jobs[started]) != 0)
            break;
    /* Threads that could not start run here, one after the other (and
     * take no help: a helper would wait for them). */
    for (unsigned i = started; i < n; i++)
        shard_job_refuse_help(&jobs[i]);
    for (unsigned i = started; i < n; i++)
        shard_job_run(&jobs[i]);
    /* Progress every PROGRESS_EVERY until the jobs end (at once when they
     * end: a quick run is not held up). */
    pthread_mutex_lock(&sh->lock);
    while (sh->running > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += PROGRESS_EVERY_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        if (pthread_cond_timedwait(&sh->finished, &sh->lock, &until) ==
                ETIMEDOUT &&
            sh->running > 0) {
            pthread_mutex_unlock(&sh->lock);
            progress_now(sh, walk);
            pthread_mutex_lock(&sh->lock);
        }
    }
    pthread_mutex_unlock(&sh->lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(jobs[i].thread, NULL);
    progress_now(sh, walk);
}

trouve_status_t trouve_index_paths(trouve_index_t *ix,
                                   const char *const *paths, size_t npaths,
                                   const trouve_index_options_t *options,
                                   trouve_index_summary_t *summary)
{
    trouve_index_options_t defaults;
    if (summary)
        memset(summary, 0, sizeof *summary);
    if (!ix)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (npaths && !paths)
        return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                          "trouve_index_paths: paths is NULL, npaths %zu",
                          npaths);
    /* (The walk would hand a NULL path to the skipped callback.) */
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i])
            return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                              "trouve_index_paths: paths[%zu] is NULL", i);
    if (ix->mode != TROUVE_OPEN_WRITE)
        return index_fail(ix, TROUVE_STATUS_READ_ONLY,
                          "index '%s' is open read-only", ix->path);
    if (!options) {
        trouve_index_options_init(&defaults);
        options = &defaults;
    }
    /* Cancelled before it starts: nothing done, nothing changed. */
    if (walk_cancelled(options->cancel))
        return index_fail(ix, TROUVE_STATUS_INTERRUPTED, "interrupted");

    trouve_status_t st = TROUVE_STATUS_OK;
    walk_t walk = {.flags = options->flags,
                   .skipped = options->skipped,
                   .cancel = options->cancel,
                   .ctx = options->ctx};
    /* The walk's paths are real (it resolves the roots): so must the
     * index's be, for the walk to know it under an indexed folder. */
    char *exclude = realpath(ix->path, NULL);
    if (!exclude)
        exclude = path_absolute(ix->path);
    walk.exclude = exclude;
    struct timespec started;
    clock_gettime(CLOCK_REALTIME, &started);
    shared_t sh = {.ix = ix, .opts = options, .walk = &walk,
                   .batch_posts = batch_posts(), .index_path = ix->path,
                   .racy_ns = (int64_t)started.tv_sec * 1000000000 +
                              started.tv_nsec - RACY_NS};
    strset_init(&sh.walked);
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.finished, NULL);
    shard_job_t *jobs = NULL;
    size_t *counts = NULL;
    unsigned n = 0, want = options->jobs ? options->jobs : default_jobs();
    int oom = !exclude || walk_roots(&walk, paths, npaths) < 0 ||
              !(sh.gone_known = calloc(walk.ngone + 1, 1));
    /* The walk comes first: a run cancelled during it has written
     * nothing, and makes no index either. */
    if (!oom && walk_cancelled(options->cancel)) {
        st = index_fail(ix, TROUVE_STATUS_INTERRUPTED, "interrupted");
        if (summary) {
            summary->skipped = walk.nskipped;
            summary->failed = walk.nfailed;
        }
        goto done;
    }
    if (!oom && (st = index_create_shards(ix, want)) != TROUVE_STATUS_OK)
        goto done;
    n = ix->nshards;
    oom = oom || !(jobs = calloc(n, sizeof *jobs)) ||
          !(counts = calloc(n, sizeof *counts));

    /* Deal the posts to their shards. */
    for (size_t i = 0; !oom && i < walk.n; i++) {
        const char *p = walk.v[i].path;
        counts[hash64(p, strlen(p)) % n]++;
        oom = strset_intern(&sh.walked, p, strlen(p), NULL) < 0;
    }
    for (unsigned s = 0; jobs && s < n; s++) {
        pthread_mutex_init(&jobs[s].help_lock, NULL);
        pthread_cond_init(&jobs[s].help_cond, NULL);
    }
    sh.jobs = jobs;
    sh.njobs = n;
    for (unsigned s = 0; !oom && s < n; s++) {
        jobs[s].sh = &sh;
        jobs[s].db = ix->shards[s];
        jobs[s].shard = s;
        strset_init(&jobs[s].pairs);
        strset_init(&jobs[s].pending);
        oom = !(jobs[s].posts = calloc(counts[s] + 1, sizeof(void *))) ||
              !(jobs[s].built = calloc(counts[s] + 1, sizeof(void *))) ||
              !(jobs[s].gone_held = calloc(walk.ngone + 1, 1)) ||
              post_doc_init(&jobs[s].builder) < 0;
    }
    for (size_t i = 0; !oom && i < walk.n; i++) {
        const char *p = walk.v[i].path;
        shard_job_t *job = &jobs[hash64(p, strlen(p)) % n];
        job->posts[job->n++] = &walk.v[i];
    }
    /* A shard empty at the start lets the others' threads help with it,
     * from the moment they start (shard_job.c). */
    for (unsigned s = 0; !oom && s < n; s++) {
        uint32_t docs = 0;
        jobs[s].empty = xap_db_doccount(jobs[s].db, &docs) == XAP_OK &&
                        docs == 0;
        jobs[s].open_to_help = jobs[s].empty && n > 1;
    }

    if (oom) {
        st = index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    } else {
        run_jobs(jobs, n, &sh, &walk);
        trouve_index_summary_t sum = {0};
        sum.skipped = walk.nskipped;
        sum.failed = walk.nfailed;
        for (unsigned s = 0; s < n; s++) {
            const trouve_index_summary_t *j = &jobs[s].sum;
            sum.added += j->added;
            sum.updated += j->updated;
            sum.removed += j->removed;
            sum.unchanged += j->unchanged;
            sum.skipped += j->skipped;
            sum.failed += j->failed;
            sum.bytes += j->bytes;
            if (st == TROUVE_STATUS_OK && jobs[s].status != TROUVE_STATUS_OK)
                st = index_fail(ix, jobs[s].status, "%s", jobs[s].message);
        }
        if (st == TROUVE_STATUS_OK && walk_cancelled(options->cancel))
            st = index_fail(ix, TROUVE_STATUS_INTERRUPTED, "interrupted");
        if (shard_job_remember_roots(&jobs[0], st) != TROUVE_STATUS_OK &&
            st == TROUVE_STATUS_OK)
            st = index_fail(ix, jobs[0].status, "%s", jobs[0].message);
        /* A path that names nothing is an error unless the index held
         * something there (now removed or forgotten). */
        for (size_t g = 0; g < walk.ngone; g++) {
            int known = sh.gone_known[g];
            for (unsigned s = 0; s < n; s++)
                known |= jobs[s].gone_held[g];
            if (!known) {
                report(&sh, walk.gone[g].given, TROUVE_SKIP_UNREADABLE,
                       strerror(walk.gone[g].error));
                sum.failed++;
            }
        }
        if (summary)
            *summary = sum;
        /* The shards compacted by their threads, kept if all went well
         * (n <= SHARDS_MAX, as index.c makes or reads them). */
        unsigned char compacted[SHARDS_MAX] = {0};
        for (unsigned s = 0; s < n; s++)
            compacted[s] = st == TROUVE_STATUS_OK && jobs[s].compacted;
        trouve_status_t sw = index_switch(ix, compacted);
        if (st == TROUVE_STATUS_OK)
            st = sw;
    }

done:
    for (unsigned s = 0; jobs && s < n; s++) {
        free(jobs[s].posts);
        free(jobs[s].built);
        post_doc_free(&jobs[s].help_builder);
        pthread_mutex_destroy(&jobs[s].help_lock);
        pthread_cond_destroy(&jobs[s].help_cond);
        free(jobs[s].gone_held);
        free(jobs[s].found.docids);
        post_doc_free(&jobs[s].builder);
        strset_free(&jobs[s].pairs);
        strset_free(&jobs[s].pending);
    }
    free(jobs);
    free(counts);
    free(sh.gone_known);
    free(exclude);
    strset_free(&sh.walked);
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.finished);
    walk_free(&walk);
    /* A reader opened before this run would not see it, nor, reopened in
     * place, the shard folders a compaction switched to (reopen.c): it is
     * opened again, through the stub, when next needed. */
    xap_db_close(ix->db);
    ix->db = NULL;
    return st;
}
