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

#include <time.h>

#include "index.h"

/* Xapian keeps the revision a reader reads until the second commit after
 * it; a reader overtaken gets DatabaseModifiedError, and index_read
 * reopens the index and reads again, after a pause that doubles from
 * 1 ms to RETRY_PAUSE_MAX_MS: a writer committing small batches back to
 * back leaves a reader room between its runs, not between its commits.
 * At most RETRIES_MAX times (about half a second of pauses in all).
 * Xapian reports some overtakings as DatabaseCorruptError: it checks a
 * block's revision against its parent's, so a root block rewritten by a
 * later commit comes out as "Expected block 19 to be level 1, not 0"
 * (seen once by the test of searches during commits).  Damage is believed
 * only when there is no newer revision to read instead. */
#define RETRIES_MAX 12
#define RETRY_PAUSE_MAX_MS 64

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
    for (int attempt = 0;; attempt++) {
        trouve_status_t st = read(ix, ctx);
        if (attempt == RETRIES_MAX || !ix->db)
            return st;
        if (st == TROUVE_STATUS_INDEX_CORRUPT) {
            int newer = 0;
            if (xap_db_reopen(ix->db, &newer) != XAP_OK || !newer)
                return st; /* damaged: the revision is the latest */
        } else if (st != TROUVE_STATUS_INDEX_MODIFIED) {
            return st;
        }
        struct timespec pause = {0, pause_ms * 1000000L};
        nanosleep(&pause, NULL);
        if (pause_ms < RETRY_PAUSE_MAX_MS)
            pause_ms *= 2;
        if (st == TROUVE_STATUS_INDEX_MODIFIED)
            xap_db_reopen(ix->db, NULL); /* the corrupt case has reopened */
    }
}
