/*
 * indexer.c - trouve_index_paths: bringing the index up to date with the
 * posts under some folders.
 *
 * The walk finds the posts (walk.h); each goes to the shard its path
 * hashes to, and one thread per shard brings that shard up to date: a post
 * whose file kept its size and modification time (or, when only the time
 * moved, its crc32: then only the stored stamp is refreshed) is left
 * alone; a new or changed one is read, analysed (post_doc.h) and replaces
 * its old document; documents under a walked folder whose file is gone are
 * deleted, and so are those at or under a path given that names nothing
 * (a post indexed on its own leaves the index that way).
 *
 * Large posts: a post is read in parts of POST_PART_BYTES of content
 * (post.h), each its own document with the post's id term and path, so
 * memory stays bounded whatever the file's size.  Only the last part
 * carries the file's stamp; the parts before it carry STAMP_PARTIAL, which
 * matches no file.  So a post is "unchanged" only when the document with
 * its whole stamp is there, i.e. when every part of it was committed.
 *
 * Batches: each shard commits every BATCH_POSTS documents, BATCH_BYTES
 * bytes of text or BATCH_CHANGES postings (the distinct words of each
 * document) and stem pairs, whichever comes first, also between the parts
 * of a large post.  The last bound is what keeps memory flat: Xapian
 * buffers a batch's postings until it commits.  So an interrupted
 * run (a signal, kill -9, a full disk) keeps whole batches: an index that
 * opens, whose posts are whole or marked partial, and that a re-run
 * brings to what a fresh build gives.
 *
 * A full disk: Xapian 1.4's glass backend can abort the whole process
 * when the disk fills inside a commit (a destructor that writes value
 * chunks throws, and C++ then calls std::terminate), so before each commit
 * the free space is checked against what the batch may need at most
 * (commit_need); short of it, the run stops with ENOSPC like a failed
 * commit, the index as the last commit left it.  Another process filling
 * the disk at the same moment can still hit Xapian's abort: the index
 * stays whole (commits are atomic) but the message is Xapian's.
 *
 * Racy files (as git calls them): a file written within RACY_NS of the
 * run's start could be written again, same size, within the resolution of
 * its modification time (a second on some file systems), and look
 * unchanged.  Its stamp is stored with time 0, so the next run compares
 * its crc32 (and then stores its time, once it is old enough).
 *
 * Documents added (a new post, the parts after the first of any post)
 * wait in a queue of QUEUE_POSTS and go to Xapian together, as a bare
 * write would give them: analysing some posts, then adding their
 * documents one after the other, keeps each side's working set in the
 * caches (20 MB corpus: 3 to 6% less CPU and wall time than alternating
 * post by post, over several series of alternated runs).  The queue is
 * emptied before a replacement, a deletion or a commit, so a post's
 * documents reach Xapian in their order and a commit holds its whole
 * batch; the queued documents get the docids they would have got
 * without it (a stamp refreshed meanwhile changes a document already
 * there).
 *
 * TROUVE_BATCH_POSTS in the environment sets a smaller batch (for tests
 * that need many commits from a small corpus).
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "index.h"
#include "post_doc.h"
#include "roots.h"
#include "store.h"
#include "strset.h"
#include "walk.h"

#define BATCH_POSTS 2000
#define BATCH_BYTES ((size_t)16 << 20)      /* of text, per shard */
#define BATCH_CHANGES 125000                /* postings and stem pairs, per
                                               shard: Xapian holds them in
                                               memory until the commit,
                                               about 100 bytes each.  Its
                                               maps are faster small: at
                                               1 GB, 250,000 took 46 s,
                                               125,000 45 s (and 69 MB
                                               against 83), 60,000 50 s
                                               (more commits) */
#define QUEUE_POSTS 32                      /* documents waiting to be */
#define QUEUE_BYTES ((size_t)4 << 20)       /* added, and their text */
#define POST_MAX_BYTES ((size_t)1 << 30)    /* content past this is cut */
#define PAIRS_MAX_BYTES ((size_t)8 << 20)   /* stem pair cache bound */
#define STAMP_PARTIAL UINT64_MAX            /* stamp size of a part before
                                               the last: matches no file */
#define RACY_NS 2000000000LL               /* see shared_t.racy_ns */
#define COMMIT_MARGIN ((uint64_t)2 << 20)   /* see commit() */
#define PROGRESS_EVERY_MS 200

/* What the shard threads share. */
typedef struct shared {
    trouve_index_t *ix;
    const trouve_index_options_t *opts;
    const walk_t *walk;
    strset_t walked;           /* every post path found, for purging */
    pthread_mutex_t lock;      /* serialises the skipped callback; guards
                                  running */
    pthread_cond_t finished;   /* signalled when a shard job ends */
    unsigned running;          /* shard jobs not yet ended */
    atomic_uint_fast64_t files_done, bytes_done;
    atomic_int stop;           /* a shard failed: the others stop too */
    atomic_int committed;      /* some shard committed a batch */
    unsigned char *gone_known; /* per root of walk->gone: a remembered
                                  folder was at or under it (set by
                                  remember_roots; shard 0's thread) */
    size_t batch_posts;        /* documents per commit */
    const char *index_path;    /* for the free space before a commit */
    int64_t racy_ns;           /* a file modified at or after this time
                                  (the run's start less RACY_NS) may change
                                  again unseen within its mtime's
                                  resolution: its stamp keeps time 0 */
} shared_t;

/* Docids collected from a posting list. */
typedef struct docid_list {
    uint32_t *docids;
    size_t n, cap;
    int oom;
} docid_list_t;

static int collect_docid(uint32_t docid, void *ctx)
{
    docid_list_t *p = ctx;
    if (array_grow((void **)&p->docids, &p->cap, p->n + 1,
                   sizeof *p->docids, 256) < 0) {
        p->oom = 1;
        return 1;
    }
    p->docids[p->n++] = docid;
    return 0;
}

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
    strset_t pairs;            /* stem pairs already met this run */
    strset_t pending;          /* new pairs of the batch, written sorted
                                  just before its commit (see write_pair) */
    size_t pairs_written;      /* new pairs of the post in hand */
    size_t batch_posts, batch_bytes, batch_changes;
    docid_list_t found;        /* docids of one post (reused) */
    xap_doc_t *queue[QUEUE_POSTS]; /* documents built, not yet added */
    size_t nqueue, queue_bytes;
    unsigned char compacted;   /* its next generation is written */
    unsigned char *gone_held;  /* per root of walk->gone: the shard held
                                  a post at or under it (purge_missing) */
    int roots_noted;           /* shard 0: the run's folders were set for
                                  its first commit (remember_roots) */
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

/* Records a failure of the engine on the shard; the other shards stop
 * too.  A document its own lists name but that is not there, a block that
 * does not read, or data that does not decode is damage (as status.c's
 * index_fail_xap says it). */
static trouve_status_t job_fail(shard_job_t *job, xap_status_t xs,
                                const char *doing)
{
    const char *why = xap_db_message(job->db);
    int damaged = xs == XAP_NOT_FOUND || xs == XAP_CORRUPT || xs == XAP_ERROR;
    snprintf(job->message, sizeof job->message, "%s%s%s%s (shard %u): %s",
             damaged ? "index '" : "", damaged ? job->sh->index_path : "",
             damaged ? "' is damaged: " : "", doing, job->shard,
             *why ? why : xap_status_name(xs));
    job->status = damaged ? TROUVE_STATUS_INDEX_CORRUPT : status_from_xap(xs);
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
    while ((got = read(fd, block, sizeof block)) > 0 ||
           (got < 0 && errno == EINTR))
        if (got > 0)
            c = crc32(c, block, (uInt)got);
    close(fd);
    if (got < 0)
        return -1;
    *crc = (uint32_t)c;
    return 0;
}

/* What the index holds of one post. */
typedef struct held {
    int any;            /* some document has the post's id term */
    uint32_t docid;     /* the one with the whole stamp (its last part),
                           or 0 when none (new, or cut short by a crash) */
    post_stamp_t stamp; /* its stamp */
} held_t;

/* Adds the documents waiting in the queue, in order; before anything
 * else is written. */
static trouve_status_t add_queued(shard_job_t *job)
{
    xap_status_t xs = XAP_OK;
    for (size_t i = 0; i < job->nqueue; i++) {
        if (xs == XAP_OK)
            xs = xap_db_add(job->db, job->queue[i], NULL);
        xap_doc_free(job->queue[i]);
    }
    job->nqueue = job->queue_bytes = 0;
    return xs == XAP_OK ? TROUVE_STATUS_OK
                        : job_fail(job, xs, "cannot write the index");
}

/* Queues a document to add (it is the queue's from now on). */
static trouve_status_t queue_add(shard_job_t *job, xap_doc_t *doc,
                                 size_t text_bytes)
{
    job->queue[job->nqueue++] = doc;
    job->queue_bytes += text_bytes;
    if (job->nqueue == QUEUE_POSTS || job->queue_bytes >= QUEUE_BYTES)
        return add_queued(job);
    return TROUVE_STATUS_OK;
}

/* Finds the documents of the post whose id term is id[0..idlen). */
static xap_status_t find_held(shard_job_t *job, const char *id,
                              size_t idlen, held_t *h)
{
    memset(h, 0, sizeof *h);
    docid_list_t *p = &job->found;
    p->n = 0;
    xap_status_t xs = xap_db_postings(job->db, id, idlen, collect_docid, p);
    if (p->oom) {
        p->oom = 0;
        return XAP_NOMEM;
    }
    if (xs != XAP_OK || p->n == 0)
        return xs;
    h->any = 1;
    /* The whole stamp is on the last part, added last: look from the
     * end. */
    for (size_t i = p->n; i-- > 0;) {
        char *val;
        size_t len;
        post_stamp_t st;
        if ((xs = xap_db_get_value(job->db, p->docids[i], SLOT_STAMP, &val,
                                   &len)) != XAP_OK)
            return xs;
        int ok = val && stamp_decode(val, len, &st) == 0 &&
                 st.size != STAMP_PARTIAL;
        free(val);
        if (ok) {
            h->docid = p->docids[i];
            h->stamp = st;
            return XAP_OK;
        }
    }
    return XAP_OK;
}

/* The time to store in a stamp: 0 for a racy file (see above). */
static int64_t stamp_time(const shared_t *sh, int64_t mtime_ns)
{
    return mtime_ns >= sh->racy_ns ? 0 : mtime_ns;
}

/* 1 if the post's file has not changed since it was indexed.  When only
 * its time moved (same size, same crc32), the stored stamp takes the new
 * time, so the file is not read again next time; *stamped is set then. */
static int unchanged(shard_job_t *job, const held_t *h,
                     const walk_entry_t *e, int *stamped)
{
    *stamped = 0;
    if (!h->docid || h->stamp.size != e->size)
        return 0;
    if (h->stamp.mtime_ns == e->mtime_ns)
        return 1;
    uint32_t crc;
    if (file_crc32(e->path, &crc) < 0 || crc != h->stamp.crc)
        return 0;
    post_stamp_t now = {e->size, stamp_time(job->sh, e->mtime_ns), crc};
    if (now.mtime_ns == h->stamp.mtime_ns)
        return 1;
    buf_t b = {0};
    int rc = 0;
    stamp_encode(&now, &b, &rc);
    if (!rc && xap_db_set_doc_value(job->db, h->docid, SLOT_STAMP, b.p,
                                    b.n) == XAP_OK)
        *stamped = 1;
    buf_free(&b);
    return 1;
}

static trouve_status_t out_of_memory(shard_job_t *job)
{
    snprintf(job->message, sizeof job->message, "out of memory");
    job->status = TROUVE_STATUS_OUT_OF_MEMORY;
    atomic_store(&job->sh->stop, 1);
    return job->status;
}

/* Notes a stem pair "key -> word" for the synonym table.  Pairs seen
 * earlier in the run are dropped; new ones wait in job->pending until the
 * batch commits.  Glass rewrites a key's whole entry (read, merge,
 * recompress) each time the key differs from the one before, so pairs
 * written in the order the text brings them cost a B-tree update each;
 * written sorted, each key of the batch is updated once. */
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
    if (strset_intern(&job->pairs, pair, klen + 1 + wlen, &added) < 0 ||
        (added && strset_intern(&job->pending, pair, klen + 1 + wlen,
                                NULL) < 0))
        return -1;
    job->pairs_written += added;
    return 0;
}

/* "key\0word" byte order: by key, then by word. */
static int pair_cmp(const void *a, const void *b)
{
    const strset_item_t *x = *(const strset_item_t *const *)a;
    const strset_item_t *y = *(const strset_item_t *const *)b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Writes the batch's new stem pairs, sorted, and forgets them. */
static trouve_status_t write_pending_pairs(shard_job_t *job)
{
    size_t n = job->pending.count;
    if (!n)
        return TROUVE_STATUS_OK;
    const strset_item_t **v = malloc(n * sizeof *v);
    if (!v)
        return out_of_memory(job);
    for (size_t i = 0; i < n; i++)
        v[i] = &job->pending.items[i];
    qsort(v, n, sizeof *v, pair_cmp);
    xap_status_t xs = XAP_OK;
    for (size_t i = 0; i < n && xs == XAP_OK; i++) {
        size_t klen = strlen(v[i]->s);
        xs = xap_db_add_synonym(job->db, v[i]->s, klen, v[i]->s + klen + 1,
                                v[i]->len - klen - 1);
    }
    free(v);
    strset_clear(&job->pending);
    return xs == XAP_OK ? TROUVE_STATUS_OK
                        : job_fail(job, xs, "cannot write the index");
}

static int remember_roots(xap_db_t *db, shared_t *sh);

/* Bytes a commit of the batch in hand may need on disk, at most: glass
 * writes every block it changes anew (copy on write). */
static uint64_t commit_need(const shard_job_t *job)
{
    return COMMIT_MARGIN + 4 * (uint64_t)job->batch_bytes +
           64 * (uint64_t)job->batch_changes + 4096 * job->batch_posts;
}

/* Commits the batch in hand (documents written or deleted since the last
 * commit; nothing to do when there are none). */
static trouve_status_t commit(shard_job_t *job)
{
    if (!job->batch_posts && !job->batch_changes)
        return TROUVE_STATUS_OK;
    if (add_queued(job) != TROUVE_STATUS_OK ||
        write_pending_pairs(job) != TROUVE_STATUS_OK)
        return job->status;
    if (job->shard == 0 && !job->roots_noted) {
        job->roots_noted = 1;
        remember_roots(job->db, job->sh);
    }
    struct statvfs fs;
    uint64_t need = commit_need(job);
    if (job->sh->index_path && statvfs(job->sh->index_path, &fs) == 0 &&
        (uint64_t)fs.f_bavail * fs.f_frsize < need) {
        snprintf(job->message, sizeof job->message,
                 "cannot commit the index (shard %u): %s (%.1f MB free, "
                 "up to %.1f MB needed)", job->shard, strerror(ENOSPC),
                 (double)fs.f_bavail * fs.f_frsize / 1e6, need / 1e6);
        job->status = TROUVE_STATUS_IO_ERROR;
        atomic_store(&job->sh->stop, 1);
        return job->status;
    }
    xap_status_t xs = xap_db_commit(job->db);
    if (xs != XAP_OK)
        return job_fail(job, xs, "cannot commit the index");
    job->batch_posts = job->batch_bytes = job->batch_changes = 0;
    atomic_store(&job->sh->committed, 1);
    return TROUVE_STATUS_OK;
}

/* Counts a document written (its text bytes, and postings + stem pairs
 * as changes); commits when the batch is full. */
static trouve_status_t count_batch(shard_job_t *job, size_t text_bytes,
                                   size_t changes)
{
    job->batch_posts++;
    job->batch_bytes += text_bytes;
    job->batch_changes += changes;
    if (job->batch_posts >= job->sh->batch_posts ||
        job->batch_bytes >= BATCH_BYTES ||
        job->batch_changes >= BATCH_CHANGES)
        return commit(job);
    return TROUVE_STATUS_OK;
}

/* Adds the file bytes read since the last call to the progress. */
static void progress_bytes(shard_job_t *job, const post_stream_t *ps,
                           uint64_t *counted)
{
    uint64_t now = post_stream_file_bytes(ps);
    if (now > *counted) {
        atomic_fetch_add(&job->sh->bytes_done, now - *counted);
        *counted = now;
    }
}

/* A post that cannot be read (now, or from part `part` on): reported and
 * counted.  Policy (it became binary) forgets it; a failure keeps what
 * the index had, unless parts of the new version were already written,
 * which are removed (the post is skipped whole, as a small one would be).
 * A post the index had and no longer has is counted removed too, as one
 * a .trouveignore now leaves out is: the file is skipped (or failed), the
 * post removed. */
static trouve_status_t post_left_out(shard_job_t *job, const walk_entry_t *e,
                                     trouve_skip_t skip, const char *why,
                                     unsigned part, const held_t *h,
                                     const char *id, size_t idlen)
{
    report(job->sh, e->path, skip, why[0] ? why : NULL);
    int failure = skip == TROUVE_SKIP_UNREADABLE ||
                  skip == TROUVE_SKIP_DAMAGED;
    if (failure)
        job->sum.failed++;
    else
        job->sum.skipped++;
    if ((!failure || part > 0) && (h->any || part > 0)) {
        if (add_queued(job) != TROUVE_STATUS_OK)
            return job->status;
        xap_status_t xs = xap_db_delete(job->db, id, idlen);
        if (xs != XAP_OK)
            return job_fail(job, xs, "cannot write the index");
        job->sum.removed += h->any;
        return count_batch(job, 0, 0);
    }
    return TROUVE_STATUS_OK;
}

/* Reads, analyses and writes one post, part after part.  Returns non-OK
 * only for errors that stop the run; a file that cannot be read is
 * reported and counted. */
static trouve_status_t index_post(shard_job_t *job, const walk_entry_t *e,
                                  uint64_t *counted)
{
    shared_t *sh = job->sh;
    char id[TERM_BYTES_MAX + 1];
    size_t path_len = strlen(e->path);
    size_t idlen = id_term(e->path, path_len, id);
    held_t h;
    xap_status_t xs = find_held(job, id, idlen, &h);
    if (xs != XAP_OK)
        return job_fail(job, xs, "cannot read the index");
    int stamped;
    if (!(sh->opts->flags & TROUVE_INDEX_FORCE) &&
        unchanged(job, &h, e, &stamped)) {
        job->sum.unchanged++;
        return stamped ? count_batch(job, 0, 0) : TROUVE_STATUS_OK;
    }

    post_limits_t limits = {.max_bytes = POST_MAX_BYTES};
    char why[256] = "";
    post_stream_t *ps;
    trouve_skip_t skip = post_stream_open(e->path, e->format, &limits, &ps,
                                          why, sizeof why);
    if (skip != TROUVE_SKIP_NONE)
        return post_left_out(job, e, skip, why, 0, &h, id, idlen);

    trouve_status_t st = TROUVE_STATUS_OK;
    unsigned part = 0;
    for (int last = 0; !last; part++) {
        post_text_t post;
        skip = post_stream_next(ps, &post, &last, why, sizeof why);
        progress_bytes(job, ps, counted);
        if (skip != TROUVE_SKIP_NONE) {
            st = post_left_out(job, e, skip, why, part, &h, id, idlen);
            break;
        }
        if (post.flags & POST_TRUNCATED)
            report(sh, e->path, TROUVE_SKIP_TOO_LARGE, "indexed in part");
        /* The whole stamp goes on the last part only.  Its size is what
         * was read; a file that changed under the walk gets time 0, so
         * next time its crc decides. */
        uint64_t read = post_stream_file_bytes(ps);
        post_stamp_t stamp = {STAMP_PARTIAL, 0, 0};
        if (last)
            stamp = (post_stamp_t){
                read, read == e->size ? stamp_time(sh, e->mtime_ns) : 0,
                post.crc};
        xap_doc_t *doc = NULL;
        post_counts_t counts;
        int r = post_doc_build(&job->builder, e->path, path_len, &post,
                               &stamp, write_pair, job, &doc, &counts);
        size_t text_len = post.len;
        size_t changes = job->builder.nterms + job->pairs_written;
        job->pairs_written = 0;
        post_text_free(&post);
        if (r) { /* only memory: write_pair fails on nothing else */
            st = out_of_memory(job);
            break;
        }
        /* The first part replaces every document of the post (all the
         * parts of its old version); the next ones, and a new post's, are
         * added (replacing would look the id up once more), through the
         * queue. */
        if (part == 0 && h.any) {
            if ((st = add_queued(job)) != TROUVE_STATUS_OK) {
                xap_doc_free(doc);
                break;
            }
            xs = xap_db_replace(job->db, id, idlen, doc);
            xap_doc_free(doc);
            if (xs != XAP_OK) {
                st = job_fail(job, xs, "cannot write the index");
                break;
            }
        } else if ((st = queue_add(job, doc, text_len)) !=
                   TROUVE_STATUS_OK) {
            break;
        }
        if (last) {
            if (h.any)
                job->sum.updated++;
            else
                job->sum.added++;
            job->sum.bytes += read;
        }
        if ((st = count_batch(job, text_len, changes)) != TROUVE_STATUS_OK)
            break;
        if (!last && cancelled(sh))
            break; /* the parts written stay partial: redone next run */
    }
    post_stream_close(ps);
    return st;
}

/* What purge_under deletes. */
typedef struct purge {
    docid_list_t found;  /* docids under the prefix (reused) */
    strset_t removed;    /* paths of the posts deleted, to count each once */
} purge_t;

/* 1 if path[0..len) is the post `prefix` names, or lies under it when it
 * is a folder's path (with its final '/'): P terms too long are hashed,
 * so the path itself decides. */
static int path_under(const char *path, size_t len, const char *prefix,
                      size_t plen)
{
    if (len < plen || memcmp(path, prefix, plen))
        return 0;
    return len == plen || (plen && prefix[plen - 1] == '/');
}

/* Deletes the documents of the posts at or under prefix[0..plen) (see
 * path_under) that are gone: with `all`, every one (*held is set when
 * there was one); otherwise those the walk did not find and could see.
 * Every part of a post goes; a post counts once in job->sum.removed. */
static xap_status_t purge_under(shard_job_t *job, purge_t *pg,
                                const char *prefix, size_t plen, int all,
                                int *held)
{
    const walk_t *walk = job->sh->walk;
    char term[TERM_BYTES_MAX + 1];
    size_t n = path_term(prefix, plen, term);
    docid_list_t *p = &pg->found;
    p->n = 0;
    xap_status_t xs = xap_db_postings(job->db, term, n, collect_docid, p);
    if (p->oom)
        xs = XAP_NOMEM;
    for (size_t i = 0; xs == XAP_OK && i < p->n; i++) {
        char *path;
        size_t len;
        xs = xap_db_get_value(job->db, p->docids[i], SLOT_PATH, &path, &len);
        if (xs != XAP_OK)
            break;
        int gone = path && path_under(path, len, prefix, plen) &&
                   (all || (strset_find(&job->sh->walked, path, len) < 0 &&
                            !walk_under_unread(walk, path, len)));
        if (gone && held)
            *held = 1;
        if (gone) {
            int added = 0;
            if (strset_intern(&pg->removed, path, len, &added) < 0)
                xs = XAP_NOMEM;
            else
                xs = xap_db_delete_docid(job->db, p->docids[i]);
            job->sum.removed += xs == XAP_OK && added;
            job->batch_posts += xs == XAP_OK; /* for the commit */
        }
        free(path);
    }
    return xs;
}

/* Deletes the posts whose files are gone (every part of them; a post
 * counts once): those at or under the roots that name nothing, and those
 * under the walked folders that the walk did not find.  A post the walk
 * could not see (an unreadable folder, a listing cut short by an I/O
 * error) is not gone: it stays.  The roots that name nothing come first,
 * so that job->gone_held says which of them the index held, whatever
 * else was given. */
static trouve_status_t purge_missing(shard_job_t *job)
{
    if (add_queued(job) != TROUVE_STATUS_OK)
        return job->status;
    const walk_t *walk = job->sh->walk;
    purge_t pg = {{NULL, 0, 0, 0}, {0}};
    strset_init(&pg.removed);
    buf_t dir = {0};
    int rc = 0;
    xap_status_t xs = XAP_OK;
    for (size_t g = 0; xs == XAP_OK && g < walk->ngone; g++) {
        const char *r = walk->gone[g].path;
        int held = 0;
        buf_reset(&dir);
        buf_adds(&dir, r, &rc);
        buf_addc(&dir, '/', &rc);
        xs = rc ? XAP_NOMEM : purge_under(job, &pg, r, strlen(r), 1, &held);
        if (xs == XAP_OK)
            xs = purge_under(job, &pg, dir.p, dir.n, 1, &held);
        job->gone_held[g] = (unsigned char)held;
    }
    for (size_t f = 0; xs == XAP_OK && f < walk->nfolders; f++)
        xs = purge_under(job, &pg, walk->folders[f],
                         strlen(walk->folders[f]), 0, NULL);
    buf_free(&dir);
    free(pg.found.docids);
    strset_free(&pg.removed);
    if (xs != XAP_OK)
        return job_fail(job, xs, "cannot remove deleted posts");
    return TROUVE_STATUS_OK;
}

/* A shard that the run changed by an eighth or more is left compacted:
 * Xapian's B-trees are then a quarter smaller and faster to search, for
 * a few percent of the time the run took.  Each shard compacts as soon
 * as its posts are written, while the others may still be writing theirs
 * (so a core does not wait for the last shard); the index names the new
 * generations once the whole run went well (index_switch). */
static void compact_if_worth(shard_job_t *job)
{
    const trouve_index_summary_t *s = &job->sum;
    uint64_t changed = s->added + s->updated + s->removed;
    uint32_t docs = 0;
    xap_db_doccount(job->db, &docs);
    if (!changed || changed * 8 < docs)
        return;
    char msg[512];
    xap_status_t xs = index_compact_shard(job->sh->ix, job->shard, msg,
                                          sizeof msg);
    if (xs == XAP_OK) {
        job->compacted = 1;
        return;
    }
    snprintf(job->message, sizeof job->message,
             "cannot compact the index (shard %u): %s", job->shard, msg);
    job->status = status_from_xap(xs);
    atomic_store(&job->sh->stop, 1);
}

static void *run_shard(void *arg)
{
    shard_job_t *job = arg;
    shared_t *sh = job->sh;
    for (size_t i = 0; i < job->n; i++) {
        if (cancelled(sh))
            break;
        uint64_t counted = 0; /* bytes of this file in the progress */
        trouve_status_t st = index_post(job, job->posts[i], &counted);
        atomic_fetch_add(&sh->files_done, 1);
        if (job->posts[i]->size > counted)
            atomic_fetch_add(&sh->bytes_done,
                             job->posts[i]->size - counted);
        if (st != TROUVE_STATUS_OK)
            break;
    }
    if (job->status == TROUVE_STATUS_OK && !cancelled(sh))
        purge_missing(job);
    if (job->status == TROUVE_STATUS_OK)
        commit(job); /* also when cancelled: keep the batch in hand */
    for (size_t i = 0; i < job->nqueue; i++) /* left by a failure */
        xap_doc_free(job->queue[i]);
    job->nqueue = 0;
    if (job->status == TROUVE_STATUS_OK && !cancelled(sh))
        compact_if_worth(job);
    pthread_mutex_lock(&sh->lock);
    sh->running--;
    pthread_cond_signal(&sh->finished);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* 1 if the remembered folder f is the root that names nothing, or lies
 * under it. */
static int under_gone(const char *f, const walk_gone_t *g)
{
    size_t n = strlen(g->path);
    return !strncmp(f, g->path, n) && f[n] == '/';
}

/* Records the folders indexed, so a later run can refresh them (roots.c
 * describes the list), and forgets those that are gone: the roots that
 * name nothing, and the folders under them (sh->gone_known[g] is set for
 * each root of walk->gone that was one, or held one).  Set for shard 0's
 * first commit (a run cut short then, by a signal, kill -9 or a full
 * disk, has written posts under them), or at the end of a run that had
 * nothing to commit there (remember_roots_at_end).  Returns 1 when it set
 * something to commit, 0 when nothing changed (or it could not). */
static int remember_roots(xap_db_t *db, shared_t *sh)
{
    const walk_t *walk = sh->walk;
    char *old = NULL;
    size_t len = 0;
    if (roots_read(db, &old, &len) != XAP_OK)
        return 0;
    buf_t b = {0};
    int rc = 0;
    for (size_t i = 0; i < len;) {
        const char *f = old + i;
        size_t n = strnlen(f, len - i);
        int gone = 0;
        for (size_t g = 0; g < walk->ngone; g++)
            if (n && under_gone(f, &walk->gone[g]))
                gone = sh->gone_known[g] = 1;
        if (n && !gone)
            buf_add(&b, f, n + 1, &rc); /* with its '\0' */
        i += n + 1;
    }
    size_t kept = b.n;
    for (size_t i = 0; i < walk->nfolders; i++) {
        const char *f = walk->folders[i];
        if (!roots_has(old, len, f))
            buf_add(&b, f, strlen(f) + 1, &rc);
    }
    int set = !rc && (b.n != kept || kept != len) &&
              roots_write(db, b.p, b.n) == XAP_OK;
    buf_free(&b);
    free(old);
    return set;
}

/* Shard 0 committed nothing this run, so the folders are not recorded
 * yet: they are when the run went through (a first run of an empty
 * folder, or of posts all in other shards), or when another shard
 * committed posts under them; a run cancelled before any commit leaves
 * the list as it was.  (Shard 0 did not compact either, having no
 * change: this commit goes to the generation the index keeps.) */
static trouve_status_t remember_roots_at_end(shard_job_t *job0,
                                             trouve_status_t st)
{
    if (job0->roots_noted || job0->status != TROUVE_STATUS_OK ||
        (st != TROUVE_STATUS_OK && !atomic_load(&job0->sh->committed)))
        return TROUVE_STATUS_OK;
    job0->roots_noted = 1;
    if (!remember_roots(job0->db, job0->sh))
        return TROUVE_STATUS_OK;
    job0->batch_changes++;
    return commit(job0);
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

/* Documents per commit: BATCH_POSTS, or TROUVE_BATCH_POSTS (1..). */
static size_t batch_posts(void)
{
    const char *v = getenv("TROUVE_BATCH_POSTS");
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : 0;
    return n > 0 && !*end ? (size_t)n : BATCH_POSTS;
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
    sh->running = n;
    for (; started < n; started++)
        if (pthread_create(&jobs[started].thread, NULL, run_shard,
                           &jobs[started]) != 0)
            break;
    /* Threads that could not start run here, one after the other. */
    for (unsigned i = started; i < n; i++)
        run_shard(&jobs[i]);
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
    if (options->cancel && *options->cancel)
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
    if (!oom && options->cancel && *options->cancel) {
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
    for (unsigned s = 0; !oom && s < n; s++) {
        jobs[s].sh = &sh;
        jobs[s].db = ix->shards[s];
        jobs[s].shard = s;
        strset_init(&jobs[s].pairs);
        strset_init(&jobs[s].pending);
        oom = !(jobs[s].posts = calloc(counts[s] + 1, sizeof(void *))) ||
              !(jobs[s].gone_held = calloc(walk.ngone + 1, 1)) ||
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
        if (st == TROUVE_STATUS_OK && options->cancel && *options->cancel)
            st = index_fail(ix, TROUVE_STATUS_INTERRUPTED, "interrupted");
        if (remember_roots_at_end(&jobs[0], st) != TROUVE_STATUS_OK &&
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
