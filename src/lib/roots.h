/*
 * roots.h - the folders an index remembers, as stored (roots.c describes
 * the layout): shared by trouve_index_roots and the indexer.
 */
#ifndef TROUVE_ROOTS_H
#define TROUVE_ROOTS_H

#include <stddef.h>

#include "private.h"
#include "walk.h"

/* Reads the remembered folders from db (a writer's shard 0, or a reader)
 * into *list, *len bytes: each path followed by a '\0', in the order
 * first indexed, whichever format the index has them in.  *list is
 * malloc()ed, or NULL with *len 0 when there is none.  Returns the
 * wrapper's status (*list NULL on failure). */
xap_status_t roots_read(xap_db_t *db, char **list, size_t *len);

/* Writes such a list (len 0: no folder) to a writer's shard 0, in the
 * current format, and removes the list of the old format.  Committed
 * with the shard's next commit. */
xap_status_t roots_write(xap_db_t *db, const char *list, size_t len);

/* 1 if `path` is one of the paths of the list. */
int roots_has(const char *list, size_t len, const char *path);

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
