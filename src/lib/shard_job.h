/*
 * shard_job.h - one shard's part of an indexing run: the state the shard
 * threads share and each one's work and results, as trouve_index_paths
 * (indexer.c) sets them up, shard_job.c does the work and purge.c removes
 * the posts whose files are gone.
 */
#ifndef TROUVE_SHARD_JOB_H
#define TROUVE_SHARD_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "post_doc.h"
#include "private.h"
#include "strset.h"
#include "walk.h"

#define QUEUE_POSTS 32                      /* documents waiting to be */
#define QUEUE_BYTES ((size_t)4 << 20)       /* added, and their text */

struct shard_job;
struct built;

/* What the shard threads share. */
typedef struct shared {
    trouve_index_t *ix;        /* the index written */
    const trouve_index_options_t *opts; /* the caller's (callbacks, cancel,
                                  flags) */
    const walk_t *walk;        /* the posts found, the folders walked, the
                                  roots that name nothing */
    strset_t walked;           /* every post path found, for purging */
    pthread_mutex_t lock;      /* serialises the skipped callback; guards
                                  running */
    pthread_cond_t finished;   /* signalled when a shard job ends */
    unsigned running;          /* shard jobs not yet ended */
    atomic_uint_fast64_t files_done, bytes_done; /* for the progress */
    atomic_int stop;           /* a shard failed: the others stop too */
    atomic_int committed;      /* some shard committed a batch */
    unsigned char *gone_known; /* per root of walk->gone: a remembered
                                  folder was at or under it (set by
                                  roots_remember; shard 0's thread) */
    size_t batch_posts;        /* documents per commit */
    const char *index_path;    /* for the free space before a commit */
    struct shard_job *jobs;    /* every shard's job, njobs of them (a */
    unsigned njobs;            /* thread done with its own helps others) */
    int64_t racy_ns;           /* a file modified at or after this time
                                  (the run's start less RACY_NS) may change
                                  again unseen within its mtime's
                                  resolution: its stamp keeps time 0 */
} shared_t;

/* Docids collected from a posting list. */
typedef struct docid_list {
    uint32_t *docids;          /* n of them, room for cap */
    size_t n, cap;
    int oom;                   /* memory ran out: the list is short */
} docid_list_t;

/* One shard's work and results. */
typedef struct shard_job {
    shared_t *sh;              /* what all the shards share */
    xap_db_t *db;              /* the shard, writable */
    unsigned shard;            /* its number */
    walk_entry_t **posts;      /* the posts that hash to this shard */
    size_t n;                  /* how many */
    trouve_index_summary_t sum; /* what the shard did with them */
    trouve_status_t status;    /* OK, or why it stopped */
    char message[MESSAGE_MAX]; /* and the detail, when not OK */
    post_doc_t builder;        /* builds each post's documents */
    strset_t pairs;            /* stem pairs already met this run */
    strset_t pending;          /* new pairs of the batch, written sorted
                                  just before its commit (see write_pair) */
    size_t pairs_written;      /* new pairs of the post in hand */
    size_t batch_posts, batch_bytes, batch_changes; /* written since the
                                  last commit: documents, bytes of text,
                                  postings and stem pairs */
    uint64_t changes_committed; /* postings and stem pairs the run
                                  committed to the shard */
    docid_list_t found;        /* docids of one post (reused) */
    xap_doc_t *queue[QUEUE_POSTS]; /* documents built, not yet added */
    size_t nqueue, queue_bytes; /* how many, and their bytes of text */
    unsigned char compacted;   /* its next generation is written */
    unsigned char *gone_held;  /* per root of walk->gone: the shard held
                                  a post at or under it (purge_missing) */
    int roots_noted;           /* shard 0: the run's folders were set for
                                  its first commit (roots_remember) */
    int empty;                 /* the shard held no document when the run
                                  began: it holds nothing of a post but
                                  what the run wrote, and the walk names
                                  each post once */
    /* Help from the threads of shards that are done (shard_job.c): a
     * shard empty at the start lets them read and analyse its posts
     * ahead of its own thread, which writes them in order.  Guarded by
     * help_lock. */
    pthread_mutex_t help_lock;
    pthread_cond_t help_cond;  /* a post built, taken, or help closed */
    int open_to_help;          /* helpers may take posts */
    size_t next;               /* posts[next..n) are taken by no one yet */
    size_t at;                 /* the post the shard's thread is on */
    unsigned helping;          /* posts being built by helpers */
    struct built **built;      /* n: a helper's work on posts[i], until
                                  the shard's thread takes it */
    post_doc_t help_builder;   /* this thread's builder for the posts of */
    struct shard_job *helped;  /* this shard (its vocabulary's stem pairs
                                  were reported to that shard) */
    pthread_t thread;          /* the thread doing the work */
} shard_job_t;

/* Calls the caller's skipped callback, if any, one thread at a time. */
static inline void report(shared_t *sh, const char *path, trouve_skip_t why,
                          const char *detail)
{
    if (!sh->opts->skipped)
        return;
    pthread_mutex_lock(&sh->lock);
    sh->opts->skipped(path, why, detail, sh->opts->ctx);
    pthread_mutex_unlock(&sh->lock);
}

/* The postings and stem pairs (changes) a batch of a shard holds at most,
 * when the run has committed `committed` of them to the shard and writes
 * `shards` shards: 125,000 at first, then an eighth of `committed`, up to
 * 500,000, and 1,000,000 for all the shards together (never below
 * 125,000).
 *
 * Xapian keeps a batch's changes in memory until the commit, about 100
 * bytes each, in maps that are faster small.  The commit merges them into
 * the postlist table and writes anew each block it changes (copy on
 * write): a batch changes most of a small shard's table, which is small,
 * and in a large shard more blocks, each for fewer postings.  At 1 GB (two
 * shards of 350 MB) batches of 125,000 wrote 900,000 blocks of 8 KB (7.4
 * GB for an index of 0.7 GB) with 1,400 syncs; growing batches write
 * 407,000 with 490 syncs, and the peak memory goes from 80 to 115 MB;
 * the 20 MB corpus's shards commit as they did (the same syncs and
 * writes). */
size_t batch_changes_max(uint64_t committed, unsigned shards);

/* A posting list callback (xap_db_postings): appends docid to the
 * docid_list_t ctx.  On running out of memory, sets its oom and returns 1
 * (stop); otherwise 0. */
int docid_list_collect(uint32_t docid, void *ctx);

/* The thread of a shard job (arg: its shard_job_t): brings the shard up
 * to date with job->posts, removes the posts whose files are gone,
 * commits, and compacts the shard when worth it.  The outcome is in
 * job->status and job->message; sh->running is decremented and
 * sh->finished signalled at the end.  Returns NULL. */
void *shard_job_run(void *arg);

/* Closes the job to help from the other threads before it starts, for a
 * job run on a thread that is not its own (no thread may wait for it);
 * what they built of it already stays for it. */
void shard_job_refuse_help(shard_job_t *job);

/* At the end of a run (every shard job ended, st its status so far):
 * records the folders of the run in shard 0 (job0) when its thread did
 * not (it had nothing to commit), and commits them.  Returns OK, or the
 * failed commit's status with the message in job0->message. */
trouve_status_t shard_job_remember_roots(shard_job_t *job0,
                                         trouve_status_t st);

#endif
