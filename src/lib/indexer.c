/*
 * indexer.c - trouve_index_paths: bringing the index up to date with the
 * posts under some folders.
 *
 * The walk finds the posts (walk.h); each goes to the shard its path
 * hashes to, and one thread per shard brings that shard up to date: a post
 * whose file kept its size and modification time (or, when only the time
 * moved, its crc32) is left alone; a new or changed one is read, analysed
 * (post_doc.h) and replaces its old document; documents under a walked
 * folder whose file is gone are deleted.  Each shard commits every
 * BATCH_POSTS posts or BATCH_BYTES bytes of text, so an interrupted run
 * keeps whole batches, and a re-run finishes the job.
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "index.h"
#include "post_doc.h"
#include "store.h"
#include "strset.h"
#include "walk.h"

#define BATCH_POSTS 2000
#define BATCH_BYTES (64u << 20)
#define POST_MAX_BYTES ((size_t)256 << 20) /* text past this is cut */
#define PAIRS_MAX_BYTES ((size_t)64 << 20)  /* stem pair cache bound */
#define ROOTS_KEY "trouve:roots"

/* What the shard threads share. */
typedef struct shared {
    const trouve_index_options_t *opts;
    const walk_t *walk;
    strset_t walked;           /* every post path found, for purging */
    pthread_mutex_t lock;      /* serialises the skipped callback */
    atomic_uint_fast64_t files_done, bytes_done;
    atomic_int stop;           /* a shard failed: the others stop too */
} shared_t;

/* One shard's work and results. */
typedef struct shard_job {
    shared_t *sh;
    xap_db_t *db;
    unsigned shard;
    walk_entry_t **posts;      /* the posts that hash to this shard */
    size_t n;
    trouve_index_summary_t sum;
    trouve_status_t status;
    char message[MESSAGE_MAX];
    post_doc_t builder;
    strset_t pairs;            /* stem pairs already written this run */
    size_t batch_posts, batch_bytes;
    pthread_t thread;
} shard_job_t;

static int cancelled(const shared_t *sh)
{
    return atomic_load(&sh->stop) ||
           (sh->opts->cancel && *sh->opts->cancel);
}

static void report(shared_t *sh, const char *path, trouve_skip_t why,
                   const char *detail)
{
    if (!sh->opts->skipped)
        return;
    pthread_mutex_lock(&sh->lock);
    sh->opts->skipped(path, why, detail, sh->opts->ctx);
    pthread_mutex_unlock(&sh->lock);
}

static trouve_status_t job_fail(shard_job_t *job, xap_status_t xs,
                                const char *doing)
{
    const char *why = xap_db_message(job->db);
    snprintf(job->message, sizeof job->message, "%s (shard %u): %s", doing,
             job->shard, *why ? why : xap_status_name(xs));
    job->status = status_from_xap(xs);
    atomic_store(&job->sh->stop, 1);
    return job->status;
}

/* crc32 of a file's bytes; -1 if it cannot be read. */
static int file_crc32(const char *path, uint32_t *crc)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    static _Thread_local unsigned char block[1 << 16];
    uLong c = crc32(0, Z_NULL, 0);
    ssize_t got;
    while ((got = read(fd, block, sizeof block)) > 0)
        c = crc32(c, block, (uInt)got);
    close(fd);
    if (got < 0)
        return -1;
    *crc = (uint32_t)c;
    return 0;
}

/* 1 if the post's file has not changed since it was indexed. */
static int unchanged(shard_job_t *job, uint32_t docid, const walk_entry_t *e)
{
    char *v;
    size_t len;
    post_stamp_t old;
    if (xap_db_get_value(job->db, docid, SLOT_STAMP, &v, &len) != XAP_OK)
        return 0;
    int ok = v && stamp_decode(v, len, &old) == 0;
    free(v);
    if (!ok || old.size != e->size)
        return 0;
    if (old.mtime_ns == e->mtime_ns)
        return 1;
    uint32_t crc;
    return file_crc32(e->path, &crc) == 0 && crc == old.crc;
}

static int write_pair(const char *key, size_t klen, const char *word,
                      size_t wlen, void *ctx)
{
    shard_job_t *job = ctx;
    char pair[2 * TERM_BYTES_MAX + 2];
    if (klen + wlen + 1 > sizeof pair)
        return 0;
    memcpy(pair, key, klen);
    pair[klen] = '\0';
    memcpy(pair + klen + 1, word, wlen);
    if (job->pairs.bytes > PAIRS_MAX_BYTES)
        strset_clear(&job->pairs);
    int added;
    if (strset_intern(&job->pairs, pair, klen + 1 + wlen, &added) < 0)
        return -1;
    if (!added)
        return 0;
    xap_status_t xs = xap_db_add_synonym(job->db, key, klen, word, wlen);
    return xs == XAP_OK ? 0 : 1000 + (int)xs;
}

static trouve_status_t commit(shard_job_t *job)
{
    xap_status_t xs = xap_db_commit(job->db);
    if (xs != XAP_OK)
        return job_fail(job, xs, "cannot commit the index");
    job->batch_posts = job->batch_bytes = 0;
    return TROUVE_STATUS_OK;
}

/* Reads, analyses and writes one post.  Returns non-OK only for errors
 * that stop the run; a file that cannot be read is reported and counted. */
static trouve_status_t index_post(shard_job_t *job, const walk_entry_t *e)
{
    shared_t *sh = job->sh;
    char id[TERM_BYTES_MAX + 1];
    size_t path_len = strlen(e->path);
    size_t idlen = id_term(e->path, path_len, id);
    uint32_t docid = 0;
    xap_status_t xs = xap_db_find(job->db, id, idlen, &docid);
    if (xs != XAP_OK)
        return job_fail(job, xs, "cannot read the index");
    if (docid && !(sh->opts->flags & TROUVE_INDEX_FORCE) &&
        unchanged(job, docid, e)) {
        job->sum.unchanged++;
        return TROUVE_STATUS_OK;
    }

    post_limits_t limits = {POST_MAX_BYTES};
    post_text_t post;
    char why[256] = "";
    trouve_skip_t skip = post_read(e->path, e->format, &limits, &post, why,
                                   sizeof why);
    if (skip != TROUVE_SKIP_NONE) {
        report(sh, e->path, skip, why[0] ? why : NULL);
        if (skip == TROUVE_SKIP_UNREADABLE || skip == TROUVE_SKIP_DAMAGED) {
            job->sum.failed++;
            return TROUVE_STATUS_OK;
        }
        /* Left out by policy now (e.g. became binary): forget it. */
        job->sum.skipped++;
        if (docid && (xs = xap_db_delete(job->db, id, idlen)) != XAP_OK)
            return job_fail(job, xs, "cannot write the index");
        return TROUVE_STATUS_OK;
    }
    if (post.flags & POST_TRUNCATED)
        report(sh, e->path, TROUVE_SKIP_TOO_LARGE, "indexed in part");

    post_stamp_t stamp = {e->size, e->mtime_ns, 0};
    if (file_crc32(e->path, &stamp.crc) < 0)
        stamp.mtime_ns = 0; /* unknown: compare again next time */
    xap_doc_t *doc = NULL;
    post_counts_t counts;
    int r = post_doc_build(&job->builder, e->path, path_len, &post, &stamp,
                           write_pair, job, &doc, &counts);
    size_t text_len = post.len;
    post_text_free(&post);
    if (r == -1) {
        snprintf(job->message, sizeof job->message, "out of memory");
        job->status = TROUVE_STATUS_OUT_OF_MEMORY;
        atomic_store(&sh->stop, 1);
        return job->status;
    }
    if (r)
        return job_fail(job, (xap_status_t)(r - 1000),
                        "cannot write the index");
    xs = xap_db_replace(job->db, id, idlen, doc);
    xap_doc_free(doc);
    if (xs != XAP_OK)
        return job_fail(job, xs, "cannot write the index");
    if (docid)
        job->sum.updated++;
    else
        job->sum.added++;
    job->sum.bytes += e->size;
    job->batch_posts++;
    job->batch_bytes += text_len;
    if (job->batch_posts >= BATCH_POSTS || job->batch_bytes >= BATCH_BYTES)
        return commit(job);
    return TROUVE_STATUS_OK;
}

typedef struct purge {
    shard_job_t *job;
    uint32_t *docids;
    size_t n, cap;
    int oom;
} purge_t;

static int collect_docid(uint32_t docid, void *ctx)
{
    purge_t *p = ctx;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        uint32_t *v = realloc(p->docids, cap * sizeof *v);
        if (!v) {
            p->oom = 1;
            return 1;
        }
        p->docids = v;
        p->cap = cap;
    }
    p->docids[p->n++] = docid;
    return 0;
}

/* Deletes the posts under the walked folders whose files are gone. */
static trouve_status_t purge_missing(shard_job_t *job)
{
    const walk_t *walk = job->sh->walk;
    purge_t p = {job, NULL, 0, 0, 0};
    for (size_t f = 0; f < walk->nfolders; f++) {
        char term[TERM_BYTES_MAX + 1];
        size_t n = path_term(walk->folders[f], strlen(walk->folders[f]),
                             term);
        p.n = 0;
        xap_status_t xs = xap_db_postings(job->db, term, n, collect_docid,
                                          &p);
        if (p.oom)
            xs = XAP_NOMEM;
        for (size_t i = 0; xs == XAP_OK && i < p.n; i++) {
            char *path;
            size_t len;
            xs = xap_db_get_value(job->db, p.docids[i], SLOT_PATH, &path,
                                  &len);
            if (xs != XAP_OK)
                break;
            if (path && strset_find(&job->sh->walked, path, len) < 0) {
                xs = xap_db_delete_docid(job->db, p.docids[i]);
                job->sum.removed += xs == XAP_OK;
            }
            free(path);
        }
        if (xs != XAP_OK) {
            free(p.docids);
            return job_fail(job, xs, "cannot remove deleted posts");
        }
    }
    free(p.docids);
    return TROUVE_STATUS_OK;
}

static void *run_shard(void *arg)
{
    shard_job_t *job = arg;
    shared_t *sh = job->sh;
    for (size_t i = 0; i < job->n; i++) {
        if (cancelled(sh))
            break;
        if (index_post(job, job->posts[i]) != TROUVE_STATUS_OK)
            break;
        atomic_fetch_add(&sh->files_done, 1);
        atomic_fetch_add(&sh->bytes_done, job->posts[i]->size);
    }
    if (job->status == TROUVE_STATUS_OK && !cancelled(sh))
        purge_missing(job);
    if (job->status == TROUVE_STATUS_OK)
        commit(job); /* also when cancelled: keep the batch in hand */
    return NULL;
}

/* Records the folders indexed, so a later run can refresh them. */
static void remember_roots(xap_db_t *db, const walk_t *walk)
{
    char *old = NULL;
    size_t len = 0;
    if (xap_db_get_metadata(db, ROOTS_KEY, &old, &len) != XAP_OK)
        return;
    buf_t b = {0};
    int rc = 0;
    if (old)
        buf_add(&b, old, len, &rc);
    for (size_t i = 0; i < walk->nfolders; i++) {
        const char *f = walk->folders[i];
        size_t n = strlen(f);
        int known = 0;
        for (const char *p = old; p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t k = nl ? (size_t)(nl - p) : strlen(p);
            known |= k == n && !memcmp(p, f, n);
            p = nl ? nl + 1 : p + k;
        }
        if (!known) {
            buf_add(&b, f, n, &rc);
            buf_addc(&b, '\n', &rc);
        }
    }
    if (!rc && b.n != len)
        xap_db_set_metadata(db, ROOTS_KEY, b.p, b.n);
    buf_free(&b);
    free(old);
}

void trouve_index_options_init(trouve_index_options_t *o)
{
    memset(o, 0, sizeof *o);
}

static void progress_now(const shared_t *sh, const walk_t *walk)
{
    if (!sh->opts->progress)
        return;
    trouve_progress_t p = {atomic_load(&sh->files_done), walk->n,
                           atomic_load(&sh->bytes_done), walk->bytes};
    sh->opts->progress(&p, sh->opts->ctx);
}

/* A run that changed an eighth of the index or more leaves it compacted:
 * Xapian's B-trees are then a quarter smaller and faster to search, for
 * a few percent of the time the run took. */
static int worth_compacting(trouve_index_t *ix,
                            const trouve_index_summary_t *sum)
{
    uint64_t changed = sum->added + sum->updated + sum->removed, docs = 0;
    for (unsigned i = 0; i < ix->nshards; i++) {
        uint32_t n = 0;
        xap_db_doccount(ix->shards[i], &n);
        docs += n;
    }
    return changed && changed * 8 >= docs;
}

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
    for (; started < n; started++)
        if (pthread_create(&jobs[started].thread, NULL, run_shard,
                           &jobs[started]) != 0)
            break;
    /* Threads that could not start run here, one after the other. */
    for (unsigned i = started; i < n; i++)
        run_shard(&jobs[i]);
    while (sh->opts->progress &&
           atomic_load(&sh->files_done) < walk->n && !cancelled(sh)) {
        progress_now(sh, walk);
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
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
    if (!ix || (npaths && !paths))
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (ix->mode != TROUVE_OPEN_WRITE)
        return index_fail(ix, TROUVE_STATUS_READ_ONLY,
                          "index '%s' is open read-only", ix->path);
    if (!options) {
        trouve_index_options_init(&defaults);
        options = &defaults;
    }
    trouve_status_t st = index_create_shards(
        ix, options->jobs ? options->jobs : default_jobs());
    if (st != TROUVE_STATUS_OK)
        return st;

    walk_t walk = {.flags = options->flags,
                   .skipped = options->skipped,
                   .ctx = options->ctx};
    char *exclude = path_absolute(ix->path);
    walk.exclude = exclude;
    shared_t sh = {.opts = options, .walk = &walk};
    strset_init(&sh.walked);
    pthread_mutex_init(&sh.lock, NULL);
    unsigned n = ix->nshards;
    shard_job_t *jobs = calloc(n, sizeof *jobs);
    size_t *counts = calloc(n, sizeof *counts);
    int oom = !exclude || !jobs || !counts ||
              walk_roots(&walk, paths, npaths) < 0;

    /* Deal the posts to their shards. */
    for (size_t i = 0; !oom && i < walk.n; i++) {
        const char *p = walk.v[i].path;
        counts[hash64(p, strlen(p)) % n]++;
        oom = strset_intern(&sh.walked, p, strlen(p), NULL) < 0;
    }
    for (unsigned s = 0; !oom && s < n; s++) {
        jobs[s].sh = &sh;
        jobs[s].db = ix->shards[s];
        jobs[s].shard = s;
        strset_init(&jobs[s].pairs);
        oom = !(jobs[s].posts = calloc(counts[s] + 1, sizeof(void *))) ||
              post_doc_init(&jobs[s].builder) < 0;
    }
    for (size_t i = 0; !oom && i < walk.n; i++) {
        const char *p = walk.v[i].path;
        shard_job_t *job = &jobs[hash64(p, strlen(p)) % n];
        job->posts[job->n++] = &walk.v[i];
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
        if (summary)
            *summary = sum;
        if (st == TROUVE_STATUS_OK && options->cancel && *options->cancel)
            st = index_fail(ix, TROUVE_STATUS_INTERRUPTED, "interrupted");
        if (st == TROUVE_STATUS_OK) {
            remember_roots(ix->shards[0], &walk);
            xap_status_t xs = xap_db_commit(ix->shards[0]);
            if (xs != XAP_OK)
                st = index_fail_xap(ix, ix->shards[0], xs,
                                    "cannot commit the index");
        }
        if (st == TROUVE_STATUS_OK && worth_compacting(ix, &sum))
            st = index_compact(ix);
    }

    for (unsigned s = 0; jobs && s < n; s++) {
        free(jobs[s].posts);
        post_doc_free(&jobs[s].builder);
        strset_free(&jobs[s].pairs);
    }
    free(jobs);
    free(counts);
    free(exclude);
    strset_free(&sh.walked);
    pthread_mutex_destroy(&sh.lock);
    walk_free(&walk);
    /* A reader opened before this run would not see it. */
    if (ix->db)
        xap_db_reopen(ix->db);
    return st;
}
