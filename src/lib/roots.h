/*
 * roots.h - the folders an index remembers (roots.c describes how they
 * are stored): the indexer records them here; trouve_index_roots lists
 * them.
 */
#ifndef TROUVE_ROOTS_H
#define TROUVE_ROOTS_H

#include <stddef.h>

#include "private.h"
#include "walk.h"

/* Records the folders indexed (walk->folders) in db, a writer's shard 0,
 * so a later run can refresh them, and forgets those that are gone: the
 * roots that name nothing (walk->gone), and the folders under them
 * (gone_known[g] is set for each root of walk->gone that was one, or held
 * one; the others are left as they are).  Committed with the shard's
 * next commit: the indexer calls it for shard 0's first commit (a run cut
 * short then, by a signal, kill -9 or a full disk, has written posts
 * under them), or at the end of a run that had nothing to commit there
 * (shard_job.c).  Returns 1 when it set something to commit, 0 when
 * nothing changed (or it could not). */
int roots_remember(xap_db_t *db, const walk_t *walk,
                   unsigned char *gone_known);

#endif
