/*
 * reopen.c - trouve_index_reopen: let a long-lived read handle see what
 * writers committed since it was opened; index_read: a reading that
 * starts again when writers' commits overtook it.
 *
 * A Xapian reader is a snapshot of one revision.  Reopening the databases
 * in place (Xapian's reopen()) is not enough here: a writer that compacts
 * switches the stub XAPIANDB to new shard folders and removes the old ones
 * (private.h), and a reader holding the old folders would go on reading
 * them, deleted but open, for ever.  So the handle's reader is closed and
 * opened again through the stub, which names the current shards.
 */
#include "private.h"

#include <stdio.h>
#include <time.h>

#include "index.h"

/* Xapian keeps the revision a reader reads until the second commit after
 * it; a reader overtaken gets DatabaseModifiedError, and index_read opens
 * the index again, through the stub, and reads again, after a pause that
 * doubles from 1 ms to RETRY_PAUSE_MAX_MS: a writer committing small
 * batches back to back leaves a reader room between its runs, not between
 * its commits.  (Reopened in place, a reader whose folders a compaction
 * removed stays on their discarded revision, overtaken at every attempt.)
 * It tries again for RETRY_BUDGET_MS, counted on the clock rather than in
 * attempts, as a reader slowed by a busy machine is overtaken more often.
 * Xapian reports some overtakings as DatabaseCorruptError: it checks a
 * block's revision against its parent's, so a root block rewritten by a
 * later commit comes out as "Expected block 19 to be level 1, not 0"
 * (seen once by the test of searches during commits).  Either is believed
 * to be damage only when there is no newer revision to read instead (a
 * damaged block can read as a later revision's: DatabaseModifiedError with
 * no writer at all). */
#define RETRY_BUDGET_MS 10000
#define RETRY_PAUSE_MAX_MS 64

/* Whether a reader that met a damaged block has something newer to read:
 * a new stub (other shard folders), or a later revision of its shards.
 * A reopen in place that fails met a writer's commit too: with no writer
 * the revision on disk is the one read, and reopen() reads no block (a
 * slow reader, under a sanitizer, took a writer's second commit during
 * its reopen for damage).  An index that did not open (ix->db NULL, its
 * open already tried again: index_open_reader) has only the stub. */
static int newer_to_read(trouve_index_t *ix)
{
    if (index_stub_changed(ix))
        return 1;
    if (!ix->db)
        return 0;
    int newer = 0;
    if (xap_db_reopen(ix->db, &newer) != XAP_OK)
        return 1;
    return newer || index_stub_changed(ix);
}

/* A reader "overtaken" with no newer revision to read: no writer
 * committed, so a block read as one of a later revision is damage. */
static trouve_status_t damaged(trouve_index_t *ix)
{
    char why[MESSAGE_MAX];
    snprintf(why, sizeof why, "%s", ix->message);
    return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                      "index '%s' is damaged: %s", ix->path, why);
}

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

trouve_status_t trouve_index_reopen(trouve_index_t *ix)
{
    if (!ix)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (ix->mode == TROUVE_OPEN_WRITE && !ix->db)
        return TROUVE_STATUS_OK; /* opened when first needed, current */
    xap_db_close(ix->db);
    ix->db = NULL;
    return index_open_reader(ix);
}

trouve_status_t index_read(trouve_index_t *ix,
                           trouve_status_t (*read)(trouve_index_t *ix,
                                                   void *ctx),
                           void *ctx)
{
    long pause_ms = 1;
    long deadline = now_ms() + RETRY_BUDGET_MS;
    for (;;) {
        trouve_status_t st = index_open_reader(ix);
        if (st == TROUVE_STATUS_OK)
            st = read(ix, ctx);
        if (now_ms() >= deadline || (st != TROUVE_STATUS_INDEX_CORRUPT &&
                                     st != TROUVE_STATUS_INDEX_MODIFIED))
            return st;
        if (!newer_to_read(ix))
            return st == TROUVE_STATUS_INDEX_MODIFIED ? damaged(ix) : st;
        index_pause(pause_ms);
        if (pause_ms < RETRY_PAUSE_MAX_MS)
            pause_ms *= 2;
        xap_db_close(ix->db);
        ix->db = NULL;
    }
}

void index_pause(long ms)
{
    struct timespec t = {ms / 1000, ms % 1000 * 1000000L};
    nanosleep(&t, NULL);
}
