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

/* Runs read(ix, ctx), a reading of ix->db (opened by read itself, with
 * index_open_reader), again when a writer's commits overtook it: after a
 * pause that doubles from 1 ms to 64 ms, at most 12 times (about half a
 * second of pauses in all), the reader brought to the latest revision
 * each time.  Overtaken means DatabaseModifiedError, or a
 * DatabaseCorruptError when there is a newer revision to read (reopen.c
 * says why).  Returns read's last status. */
trouve_status_t index_read(trouve_index_t *ix,
                           trouve_status_t (*read)(trouve_index_t *ix,
                                                   void *ctx),
                           void *ctx);

/* Write mode: creates n local shards and the stub naming them, unless the
 * index already has shards. */
trouve_status_t index_create_shards(trouve_index_t *ix, unsigned n);

/* Write mode: compacts every local shard (Xapian's compaction, one
 * thread per shard) into a new generation and switches the index to it,
 * crash-safely (see private.h).  The writers are reopened on the new
 * shards. */
trouve_status_t index_compact(trouve_index_t *ix);

/* The path of local shard i ("<index>/shard-<i>").  Returns 0, or -1 if
 * it does not fit in outsz bytes. */
int index_shard_path(const trouve_index_t *ix, unsigned i, char *out,
                     size_t outsz);

#endif
