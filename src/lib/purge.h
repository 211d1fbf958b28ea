/*
 * purge.h - removing from a shard the posts whose files are gone
 * (purge.c), at the end of its part of an indexing run (shard_job.c).
 */
#ifndef TROUVE_PURGE_H
#define TROUVE_PURGE_H

#include "private.h"
#include "shard_job.h"

/* Deletes the posts whose files are gone (every part of them; a post
 * counts once in job->sum.removed): those at or under the roots that
 * name nothing, and those under the walked folders that the walk did not
 * find.  A post the walk could not see (an unreadable folder, a listing
 * cut short by an I/O error) is not gone: it stays.  The roots that name
 * nothing come first, so that job->gone_held says which of them the
 * index held, whatever else was given.  The deletions count in
 * job->batch_posts, for the commit; the queue of documents to add must
 * be empty.  Returns the wrapper's status (XAP_NOMEM when memory ran
 * out); the caller records a failure on the job. */
xap_status_t purge_missing(shard_job_t *job);

#endif
