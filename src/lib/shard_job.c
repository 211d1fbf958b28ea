/*
 * shard_job.c - one shard's part of an indexing run: indexer.c deals each
 * post to the shard its path hashes to and starts one thread per shard,
 * which brings that shard up to date.  A post whose file kept its size
 * and modification time (or, when only the time moved, its crc32: then
 * only the stored stamp is refreshed) is left alone, unless its stamp says
 * another ANALYSIS_VERSION (store.h); a new or changed one is read,
 * analysed (post_doc.h) and replaces its old document.  Then the
 * posts whose files are gone are deleted (purge.c), the last batch is
 * committed, and the shard compacted when the run changed it enough.
 *
 * Large posts: a post is read in parts of POST_PART_BYTES_DEFAULT of
 * content (post.h), each its own document with the post's id term and
 * path, so memory stays bounded whatever the file's size.  Only the last part
 * carries the file's stamp; the parts before it carry STAMP_PARTIAL, which
 * matches no file.  So a post is "unchanged" only when the document with
 * its whole stamp is there, i.e. when every part of it was committed.
 *
 * Batches: each shard commits every BATCH_POSTS documents (indexer.c,
 * shared_t.batch_posts), BATCH_BYTES bytes of text or BATCH_CHANGES
 * postings (the distinct words of each document) and stem pairs, whichever
 * comes first, also between the parts of a large post.  The last bound,
 * which grows as the run writes (batch_changes_max), is what keeps memory
 * flat: Xapian buffers a batch's postings until it commits.  So an
 * interrupted run (a signal, kill -9, a full disk) keeps whole batches: an
 * index that opens, whose posts are whole or marked partial, and that a
 * re-run brings to what a fresh build gives.
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
 * Help: a thread done with its own shard reads and analyses posts of a
 * shard still writing, whose thread writes them (see Help below).
 *
 * Racy files (as git calls them): a file written within RACY_NS
 * (indexer.c) of the run's start could be written again, same size, within
 * the resolution of its modification time (a second on some file systems),
 * and look unchanged.  Its stamp is stored with time 0, so the next run
 * compares its crc32 (and then stores its time, once it is old enough).
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
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "index.h"
#include "post_doc.h"
#include "purge.h"
#include "roots.h"
#include "shard_job.h"
#include "store.h"
#include "strset.h"
#include "walk.h"

#define BATCH_BYTES ((size_t)16 << 20)      /* of text, per shard */
#define BATCH_CHANGES 125000                /* postings and stem pairs, per
                                               shard, at first (see
                                               batch_changes_max) */
#define BATCH_GROWTH 8                      /* then an eighth of what the
                                               run committed to the shard, */
#define BATCH_CHANGES_MAX 500000            /* up to this many, */
#define BATCH_CHANGES_ALL 1000000           /* and this many for all the
                                               shards together */
#define POST_MAX_BYTES ((size_t)1 << 30)    /* content past this is cut */
#define PAIRS_MAX_BYTES ((size_t)8 << 20)   /* stem pair cache bound */
#define STAMP_PARTIAL UINT64_MAX            /* stamp size of a part before
                                               the last: matches no file */
#define COMMIT_MARGIN ((uint64_t)2 << 20)   /* see commit() */

int docid_list_collect(uint32_t docid, void *ctx)
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

/* 1 when the run stops: a shard failed, or the caller cancelled it. */
static int cancelled(const shared_t *sh)
{
    return atomic_load(&sh->stop) ||
           walk_cancelled(sh->opts->cancel);
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
    if (job->empty) /* a first build: no lookup (a few blocks read each) */
        return XAP_OK;
    docid_list_t *p = &job->found;
    p->n = 0;
    xap_status_t xs = xap_db_postings(job->db, id, idlen, docid_list_collect,
                                      p);
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

/* 1 if the post's file has not changed since it was indexed, under this
 * ANALYSIS_VERSION.  When only its time moved (same size, same crc32),
 * the stored stamp takes the new time, so the file is not read again next
 * time; *stamped is set then. */
static int unchanged(shard_job_t *job, const held_t *h,
                     const walk_entry_t *e, int *stamped)
{
    *stamped = 0;
    if (!h->docid || h->stamp.size != e->size ||
        h->stamp.analysis != ANALYSIS_VERSION)
        return 0;
    if (h->stamp.mtime_ns == e->mtime_ns)
        return 1;
    uint32_t crc;
    if (file_crc32(e->path, &crc) < 0 || crc != h->stamp.crc)
        return 0;
    post_stamp_t now = {e->size, stamp_time(job->sh, e->mtime_ns), crc,
                        ANALYSIS_VERSION};
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
        roots_remember(job->db, job->sh->walk, job->sh->gone_known);
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
    job->changes_committed += job->batch_changes;
    job->batch_posts = job->batch_bytes = job->batch_changes = 0;
    atomic_store(&job->sh->committed, 1);
    return TROUVE_STATUS_OK;
}

/* See shard_job.h. */
size_t batch_changes_max(uint64_t committed, unsigned shards)
{
    size_t cap = BATCH_CHANGES_ALL / (shards ? shards : 1);
    if (cap > BATCH_CHANGES_MAX)
        cap = BATCH_CHANGES_MAX;
    if (cap < BATCH_CHANGES)
        cap = BATCH_CHANGES;
    uint64_t n = committed / BATCH_GROWTH;
    return n < BATCH_CHANGES ? BATCH_CHANGES : n > cap ? cap : (size_t)n;
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
        job->batch_changes >=
            batch_changes_max(job->changes_committed, job->sh->njobs))
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

/* One part of a post, read and analysed (read_part). */
typedef struct part {
    trouve_skip_t skip; /* NONE, or why the post is left out from here */
    char why[256];      /* and the detail */
    xap_doc_t *doc;     /* its document (when skip is NONE) */
    int last;           /* the post's last part */
    int truncated;      /* content past POST_MAX_BYTES was cut */
    size_t text_len;    /* bytes of text */
    size_t nterms;      /* distinct terms: postings */
    uint64_t read;      /* file bytes read so far */
} part_t;

/* Reads the next part of the post from ps and builds its document with
 * builder, the stem pairs going to pair(ctx).  Returns 0, or -1 when
 * memory ran out. */
static int read_part(const shared_t *sh, post_doc_t *builder,
                     const walk_entry_t *e, post_stream_t *ps,
                     stem_pair_fn pair, void *ctx, part_t *p)
{
    post_text_t post;
    memset(p, 0, sizeof *p);
    p->skip = post_stream_next(ps, &post, &p->last, p->why, sizeof p->why);
    p->read = post_stream_file_bytes(ps);
    if (p->skip != TROUVE_SKIP_NONE)
        return 0;
    p->truncated = (post.flags & POST_TRUNCATED) != 0;
    /* The whole stamp goes on the last part only.  Its size is what was
     * read; a file that changed under the walk gets time 0, so next time
     * its crc decides. */
    post_stamp_t stamp = {STAMP_PARTIAL, 0, 0, ANALYSIS_VERSION};
    if (p->last)
        stamp = (post_stamp_t){
            p->read, p->read == e->size ? stamp_time(sh, e->mtime_ns) : 0,
            post.crc, ANALYSIS_VERSION};
    post_counts_t counts;
    int r = post_doc_build(builder, e->path, strlen(e->path), &post, &stamp,
                           pair, ctx, &p->doc, &counts);
    p->text_len = post.len;
    p->nterms = builder->nterms;
    post_text_free(&post);
    return r ? -1 : 0;
}

/* Writes part number `part` of the post (its document is the shard's
 * from now on), `changes` its postings and new stem pairs.  The first
 * part replaces every document of the post (all the parts of its old
 * version); the next ones, and a new post's, are added (replacing would
 * look the id up once more), through the queue. */
static trouve_status_t write_part(shard_job_t *job, const walk_entry_t *e,
                                  const held_t *h, const char *id,
                                  size_t idlen, unsigned part, part_t *p,
                                  size_t changes)
{
    trouve_status_t st;
    if (p->truncated)
        report(job->sh, e->path, TROUVE_SKIP_TOO_LARGE, "indexed in part");
    if (part == 0 && h->any) {
        if ((st = add_queued(job)) != TROUVE_STATUS_OK) {
            xap_doc_free(p->doc);
            return st;
        }
        xap_status_t xs = xap_db_replace(job->db, id, idlen, p->doc);
        xap_doc_free(p->doc);
        if (xs != XAP_OK)
            return job_fail(job, xs, "cannot write the index");
    } else if ((st = queue_add(job, p->doc, p->text_len)) !=
               TROUVE_STATUS_OK) {
        return st;
    }
    if (p->last) {
        if (h->any)
            job->sum.updated++;
        else
            job->sum.added++;
        job->sum.bytes += p->read;
    }
    return count_batch(job, p->text_len, changes);
}

/* Reads, analyses and writes one post, part after part.  Returns non-OK
 * only for errors that stop the run; a file that cannot be read is
 * reported and counted. */
static trouve_status_t index_post(shard_job_t *job, const walk_entry_t *e,
                                  uint64_t *counted)
{
    shared_t *sh = job->sh;
    char id[TERM_BYTES_MAX + 1];
    size_t idlen = id_term(e->path, strlen(e->path), id);
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
    for (unsigned part = 0;; part++) {
        part_t p;
        int r = read_part(sh, &job->builder, e, ps, write_pair, job, &p);
        progress_bytes(job, ps, counted);
        size_t changes = p.nterms + job->pairs_written;
        job->pairs_written = 0;
        if (r) { /* only memory: write_pair fails on nothing else */
            xap_doc_free(p.doc);
            st = out_of_memory(job);
            break;
        }
        if (p.skip != TROUVE_SKIP_NONE) {
            st = post_left_out(job, e, p.skip, p.why, part, &h, id, idlen);
            break;
        }
        if ((st = write_part(job, e, &h, id, idlen, part, &p, changes)) !=
                TROUVE_STATUS_OK ||
            p.last)
            break;
        if (cancelled(sh))
            break; /* the parts written stay partial: redone next run */
    }
    post_stream_close(ps);
    return st;
}

/*
 * Help.  The posts are dealt to the shards by their paths' hashes, so one
 * shard can take longer than the others: its posts are larger, or its
 * core is busy with other work (20 MB, 2 cores, in a busy hour: one
 * thread ended 0.3 s before the other in a run of 1.4 s).  Xapian writes
 * a shard from one thread, but any thread can read and analyse its
 * posts: a thread done with its own shard takes the next posts of a
 * shard still writing, builds their documents, and leaves them for that
 * shard's thread, which writes every post in order (the docids are those
 * it would have given).  Only a shard empty when the run began is
 * helped: its posts are all new, so no lookup in the shard (which only
 * its own thread may read) decides whether to read them.  A post of more
 * than one part is given back (its parts go to the shard as they are
 * read).  Helpers stay at most HELP_AHEAD_POSTS posts (HELP_AHEAD_BYTES
 * of files) ahead of the shard's thread, so memory stays bounded.
 *
 * Stem pairs: a helper hands the pairs its build reported with the
 * document, and the shard's thread writes them (write_pair) when it
 * takes the document, so a pair is in the batch of the first document
 * with its word, as without help: a helper has a builder of its own for
 * the shard it helps, and builds that shard's posts in their order.
 */
#define HELP_AHEAD_POSTS 64             /* built and not yet written, */
#define HELP_AHEAD_BYTES ((uint64_t)8 << 20) /* and their file bytes */

/* A helper's work on a post, for the shard's thread to write. */
typedef struct built {
    int give_back;       /* the shard's thread reads the post itself */
    trouve_skip_t skip;  /* NONE, or why the post is left out */
    char why[256];       /* and the detail */
    part_t part;         /* the post, in one part */
    buf_t pairs;         /* the stem pairs reported by its build: key
                            length (2 bytes), key, word length, word */
} built_t;

static void built_free(built_t *b)
{
    if (!b)
        return;
    xap_doc_free(b->part.doc);
    buf_free(&b->pairs);
    free(b);
}

/* A stem_pair_fn: appends the pair to the built_t ctx's list. */
static int collect_pair(const char *key, size_t klen, const char *word,
                        size_t wlen, void *ctx)
{
    built_t *b = ctx;
    if (klen > UINT16_MAX || wlen > UINT16_MAX)
        return 0; /* write_pair would leave it out too */
    uint16_t kl = (uint16_t)klen, wl = (uint16_t)wlen;
    int rc = 0;
    buf_add(&b->pairs, &kl, sizeof kl, &rc);
    buf_add(&b->pairs, key, klen, &rc);
    buf_add(&b->pairs, &wl, sizeof wl, &rc);
    buf_add(&b->pairs, word, wlen, &rc);
    return rc ? -1 : 0;
}

/* Reads and analyses post e of shard `to` on a helper's thread (self).
 * Returns its work; NULL when memory ran out (the shard's thread reads
 * the post then). */
static built_t *build_for(shard_job_t *self, shard_job_t *to,
                          const walk_entry_t *e)
{
    if (self->helped != to) {
        post_doc_free(&self->help_builder);
        self->helped = NULL;
        if (post_doc_init(&self->help_builder) < 0)
            return NULL;
        self->helped = to;
    }
    built_t *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    post_limits_t limits = {.max_bytes = POST_MAX_BYTES};
    post_stream_t *ps;
    b->skip = post_stream_open(e->path, e->format, &limits, &ps, b->why,
                               sizeof b->why);
    if (b->skip != TROUVE_SKIP_NONE)
        return b;
    if (read_part(self->sh, &self->help_builder, e, ps, collect_pair, b,
                  &b->part) < 0) {
        built_free(b);
        b = NULL;
    } else if (b->part.skip != TROUVE_SKIP_NONE) {
        b->skip = b->part.skip;
        memcpy(b->why, b->part.why, sizeof b->why);
    } else if (!b->part.last) {
        xap_doc_free(b->part.doc);
        buf_free(&b->pairs);
        memset(b, 0, sizeof *b);
        b->give_back = 1;
    }
    post_stream_close(ps);
    return b;
}

/* Closes the shard to help, once the helpers' posts in hand are built,
 * and frees what its thread did not take (the run stopped). */
static void close_to_help(shard_job_t *job)
{
    shard_job_refuse_help(job);
    pthread_mutex_lock(&job->help_lock);
    while (job->helping)
        pthread_cond_wait(&job->help_cond, &job->help_lock);
    for (size_t i = 0; i < job->n; i++) {
        built_free(job->built[i]);
        job->built[i] = NULL;
    }
    pthread_mutex_unlock(&job->help_lock);
}

/* The shard's thread comes to post i: a helper's work on it, or NULL when
 * the thread reads it itself (no helper took it, or one gave it back). */
static built_t *take(shard_job_t *job, size_t i)
{
    built_t *b = NULL;
    pthread_mutex_lock(&job->help_lock);
    job->at = i;
    if (i >= job->next) {
        job->next = i + 1;
    } else {
        while (!job->built[i] && job->helping)
            pthread_cond_wait(&job->help_cond, &job->help_lock);
        b = job->built[i];
        job->built[i] = NULL;
    }
    pthread_cond_broadcast(&job->help_cond); /* room ahead for helpers */
    pthread_mutex_unlock(&job->help_lock);
    if (b && b->give_back) {
        built_free(b);
        b = NULL;
    }
    return b;
}

/* Writes a post a helper built (shard empty at the start: it is new). */
static trouve_status_t write_built(shard_job_t *job, const walk_entry_t *e,
                                   built_t *b)
{
    char id[TERM_BYTES_MAX + 1];
    size_t idlen = id_term(e->path, strlen(e->path), id);
    held_t h = {0};
    trouve_status_t st;
    if (b->skip != TROUVE_SKIP_NONE) {
        st = post_left_out(job, e, b->skip, b->why, 0, &h, id, idlen);
    } else {
        const char *q = b->pairs.p, *end = q + b->pairs.n;
        int failed = 0;
        while (!failed && q < end) {
            uint16_t kl, wl;
            memcpy(&kl, q, sizeof kl);
            const char *key = q + sizeof kl;
            memcpy(&wl, key + kl, sizeof wl);
            const char *word = key + kl + sizeof wl;
            q = word + wl;
            failed = write_pair(key, kl, word, wl, job) < 0;
        }
        size_t changes = b->part.nterms + job->pairs_written;
        job->pairs_written = 0;
        if (failed)
            st = out_of_memory(job);
        else
            st = write_part(job, e, &h, id, idlen, 0, &b->part, changes);
        b->part.doc = NULL; /* the shard's, or freed */
    }
    built_free(b);
    return st;
}

/* The shard open to help with the most posts no one took, or NULL. */
static shard_job_t *most_left(const shared_t *sh, const shard_job_t *self)
{
    shard_job_t *best = NULL;
    size_t most = 1; /* one left: its thread is about to take it */
    for (unsigned s = 0; s < sh->njobs; s++) {
        shard_job_t *j = &sh->jobs[s];
        if (j == self)
            continue;
        pthread_mutex_lock(&j->help_lock);
        size_t left = j->open_to_help ? j->n - j->next : 0;
        pthread_mutex_unlock(&j->help_lock);
        if (left > most) {
            most = left;
            best = j;
        }
    }
    return best;
}

/* Takes the next post of shard j for a helper, waiting while the helpers
 * are too far ahead of its thread.  Returns 1 and the post's number in
 * *k, or 0 when the shard has none left or closed to help. */
static int claim(shard_job_t *j, size_t *k)
{
    int got = 0;
    pthread_mutex_lock(&j->help_lock);
    for (;;) {
        if (!j->open_to_help || j->next >= j->n)
            break;
        uint64_t ahead = 0;
        for (size_t i = j->at + 1; i < j->next; i++)
            ahead += j->posts[i]->size;
        if (j->next - j->at <= HELP_AHEAD_POSTS &&
            ahead <= HELP_AHEAD_BYTES) {
            *k = j->next++;
            j->helping++;
            got = 1;
            break;
        }
        pthread_cond_wait(&j->help_cond, &j->help_lock);
    }
    pthread_mutex_unlock(&j->help_lock);
    return got;
}

/* A thread done with its own shard builds posts of the others while
 * they write theirs (see Help above). */
static void help_others(shard_job_t *self)
{
    shard_job_t *j;
    size_t k;
    while (!cancelled(self->sh) && (j = most_left(self->sh, self)))
        if (claim(j, &k)) {
            built_t *b = build_for(self, j, j->posts[k]);
            pthread_mutex_lock(&j->help_lock);
            j->built[k] = b; /* NULL (no memory): its thread reads it */
            j->helping--;
            pthread_cond_broadcast(&j->help_cond);
            pthread_mutex_unlock(&j->help_lock);
        }
    post_doc_free(&self->help_builder);
    self->helped = NULL;
}

void shard_job_refuse_help(shard_job_t *job)
{
    pthread_mutex_lock(&job->help_lock);
    job->open_to_help = 0;
    pthread_cond_broadcast(&job->help_cond);
    pthread_mutex_unlock(&job->help_lock);
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

void *shard_job_run(void *arg)
{
    shard_job_t *job = arg;
    shared_t *sh = job->sh;
    for (size_t i = 0; i < job->n; i++) {
        if (cancelled(sh))
            break;
        uint64_t counted = 0; /* bytes of this file in the progress */
        built_t *b = job->empty ? take(job, i) : NULL;
        trouve_status_t st = b ? write_built(job, job->posts[i], b)
                               : index_post(job, job->posts[i], &counted);
        atomic_fetch_add(&sh->files_done, 1);
        if (job->posts[i]->size > counted)
            atomic_fetch_add(&sh->bytes_done,
                             job->posts[i]->size - counted);
        if (st != TROUVE_STATUS_OK)
            break;
    }
    if (job->empty)
        close_to_help(job);
    /* A shard empty at the start holds only posts the walk found. */
    if (job->status == TROUVE_STATUS_OK && !cancelled(sh) && !job->empty &&
        add_queued(job) == TROUVE_STATUS_OK) { /* before deleting */
        xap_status_t xs = purge_missing(job);
        if (xs != XAP_OK)
            job_fail(job, xs, "cannot remove deleted posts");
    }
    if (job->status == TROUVE_STATUS_OK)
        commit(job); /* also when cancelled: keep the batch in hand */
    for (size_t i = 0; i < job->nqueue; i++) /* left by a failure */
        xap_doc_free(job->queue[i]);
    job->nqueue = 0;
    if (job->status == TROUVE_STATUS_OK)
        help_others(job); /* before compacting: the others' posts first */
    if (job->status == TROUVE_STATUS_OK && !cancelled(sh))
        compact_if_worth(job);
    pthread_mutex_lock(&sh->lock);
    sh->running--;
    pthread_cond_signal(&sh->finished);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* Shard 0 committed nothing this run, so the folders are not recorded
 * yet: they are when the run went through (a first run of an empty
 * folder, or of posts all in other shards), or when another shard
 * committed posts under them; a run cancelled before any commit leaves
 * the list as it was.  (Shard 0 did not compact either, having no
 * change: this commit goes to the generation the index keeps.) */
trouve_status_t shard_job_remember_roots(shard_job_t *job0,
                                         trouve_status_t st)
{
    if (job0->roots_noted || job0->status != TROUVE_STATUS_OK ||
        (st != TROUVE_STATUS_OK && !atomic_load(&job0->sh->committed)))
        return TROUVE_STATUS_OK;
    job0->roots_noted = 1;
    if (!roots_remember(job0->db, job0->sh->walk, job0->sh->gone_known))
        return TROUVE_STATUS_OK;
    job0->batch_changes++;
    return commit(job0);
}
