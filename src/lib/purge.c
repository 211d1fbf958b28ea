/*
 * purge.c - removing from a shard the posts whose files are gone: those
 * under a folder walked that the walk did not find, and those at or under
 * a path given that names nothing (a post indexed on its own leaves the
 * index that way).  A post's documents (several for a large post, one per
 * part: shard_job.c) are found through the P term of the folder or path
 * (private.h), and told apart by their SLOT_PATH.  What the walk did not
 * find but keeps (unreadable, hidden, of no post format: walk_keeps)
 * stays.
 */
#include "private.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "purge.h"
#include "shard_job.h"
#include "strset.h"
#include "walk.h"

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
    xap_status_t xs = xap_db_postings(job->db, term, n, docid_list_collect,
                                      p);
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
                            !walk_keeps(walk, path, len)));
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

xap_status_t purge_missing(shard_job_t *job)
{
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
    return xs;
}
