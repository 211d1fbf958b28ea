/*
 * reopen.c - trouve_index_reopen: let a long-lived read handle see what
 * writers committed since it was opened.
 *
 * A Xapian reader is a snapshot of one revision.  Reopening the databases
 * in place (Xapian's reopen()) is not enough here: a writer that compacts
 * switches the stub XAPIANDB to new shard folders and removes the old ones
 * (private.h), and a reader holding the old folders would go on reading
 * them, deleted but open, for ever.  So the handle's reader is closed and
 * opened again through the stub, which names the current shards.
 */
#include "private.h"

#include "index.h"

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
