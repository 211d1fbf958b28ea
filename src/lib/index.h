/*
 * index.h - what the rest of the library needs from index.c.
 */
#ifndef TROUVE_INDEX_H
#define TROUVE_INDEX_H

#include "private.h"

/* Opens ix->db, a reader over every shard (local and remote), if not
 * already open.  Fails with NO_INDEX, INDEX_CORRUPT, REMOTE_ERROR... with
 * the message on the handle. */
trouve_status_t index_open_reader(trouve_index_t *ix);

/* Whether the stub is no longer the one ix->db was opened from (or is
 * gone): a writer switched shard folders since. */
int index_stub_changed(const trouve_index_t *ix);

/* Sleeps ms milliseconds. */
void index_pause(long ms);

/* Runs read(ix, ctx), a reading of ix->db (opened here when it is not
 * yet), again when a writer's commits overtook it: after a
 * pause that doubles from 1 ms to 64 ms, for up to 10 seconds (a
 * reading started before then is finished), the reader opened again
 * through the stub each time.  Overtaken means DatabaseModifiedError or
 * DatabaseCorruptError when there is a newer revision to read (reopen.c
 * says why); with none, either is damage (INDEX_CORRUPT).  Returns read's
 * last status. */
trouve_status_t index_read(trouve_index_t *ix,
                           trouve_status_t (*read)(trouve_index_t *ix,
                                                   void *ctx),
                           void *ctx);

/* Write mode: creates n local shards and the stub naming them, unless the
 * index already has shards. */
trouve_status_t index_create_shards(trouve_index_t *ix, unsigned n);

/* Write mode: compacts local shard i (Xapian's compaction) into the
 * folder of its next generation, which the index does not name yet
 * (index_switch).  Shards may be compacted at once, one thread each, as
 * long as the shard is not written meanwhile.  The message in msg. */
xap_status_t index_compact_shard(trouve_index_t *ix, unsigned i, char *msg,
                                 size_t msgsz);

/* Write mode: switches each local shard marked in compacted[] to the
 * generation index_compact_shard made, crash-safely (see private.h): the
 * stub (one atomic rename), then the writers are reopened, then the old
 * folders go.  A new generation not marked (compacted NULL: none is) is
 * removed: the run that made it did not end well. */
trouve_status_t index_switch(trouve_index_t *ix,
                             const unsigned char *compacted);

/* The path of local shard i ("<index>/shard-<i>").  Returns 0, or -1 if
 * it does not fit in outsz bytes. */
int index_shard_path(const trouve_index_t *ix, unsigned i, char *out,
                     size_t outsz);

#endif
