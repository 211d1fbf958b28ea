/*
 * roots.c - the folders an index was built from: remembered by each
 * indexing run (roots_remember), listed by trouve_index_roots.
 *
 * Stored data: the indexer (roots_remember, from shard_job.c) keeps the
 * absolute path of every folder ever given to trouve_index_paths in the
 * Xapian user metadata of shard 0, under the key "trouve:folders": the
 * paths in the order first indexed, each followed by a '\0' byte (the
 * one byte a path cannot hold, so any folder name reads back as it was
 * written).
 *
 * Indexes written before kept them under "trouve:roots", each path
 * followed by '\n' (a folder whose name holds a newline read back as two
 * paths).  That list is read when "trouve:folders" is not there, and
 * removed when the indexer first writes the new one.
 *
 * A read handle opens the shards through the stub (shard 0 first), and
 * Xapian 1.4 answers get_metadata() on a set of databases from the first
 * one; a write handle reads shard 0 directly.
 */
#include "private.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "index.h"
#include "roots.h"

#define ROOTS_KEY "trouve:folders"
#define ROOTS_KEY_NEWLINES "trouve:roots" /* the old format */

/* Reads the remembered folders from db (a writer's shard 0, or a reader)
 * into *list, *len bytes: each path followed by a '\0', in the order
 * first indexed, whichever format the index has them in.  *list is
 * malloc()ed, or NULL with *len 0 when there is none.  Returns the
 * wrapper's status (*list NULL on failure). */
static xap_status_t roots_read(xap_db_t *db, char **list, size_t *len)
{
    xap_status_t xs = xap_db_get_metadata(db, ROOTS_KEY, list, len);
    if (xs != XAP_OK || *list)
        return xs;
    xs = xap_db_get_metadata(db, ROOTS_KEY_NEWLINES, list, len);
    for (size_t i = 0; xs == XAP_OK && i < *len; i++)
        if ((*list)[i] == '\n')
            (*list)[i] = '\0';
    return xs;
}

/* Writes such a list (len 0: no folder) to a writer's shard 0, in the
 * current format, and removes the list of the old format.  Committed
 * with the shard's next commit. */
static xap_status_t roots_write(xap_db_t *db, const char *list, size_t len)
{
    xap_status_t xs = xap_db_set_metadata(db, ROOTS_KEY, list, len);
    return xs == XAP_OK ? xap_db_set_metadata(db, ROOTS_KEY_NEWLINES, NULL, 0)
                        : xs;
}

/* 1 if `path` is one of the paths of the list. */
static int roots_has(const char *list, size_t len, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < len;) {
        size_t k = strnlen(list + i, len - i);
        if (k == n && !memcmp(list + i, path, n))
            return 1;
        i += k + 1;
    }
    return 0;
}

int roots_remember(xap_db_t *db, const walk_t *walk,
                   unsigned char *gone_known)
{
    char *old = NULL;
    size_t len = 0;
    if (roots_read(db, &old, &len) != XAP_OK)
        return 0;
    buf_t b = {0};
    int rc = 0;
    for (size_t i = 0; i < len;) {
        const char *f = old + i;
        size_t n = strnlen(f, len - i);
        int gone = 0;
        for (size_t g = 0; g < walk->ngone; g++)
            if (n && path_place(f, n, walk->gone[g].path) == 2)
                gone = gone_known[g] = 1;
        if (n && !gone)
            buf_add(&b, f, n + 1, &rc); /* with its '\0' */
        i += n + 1;
    }
    size_t kept = b.n;
    for (size_t i = 0; i < walk->nfolders; i++) {
        const char *f = walk->folders[i];
        if (!roots_has(old, len, f))
            buf_add(&b, f, strlen(f) + 1, &rc);
    }
    int set = !rc && (b.n != kept || kept != len) &&
              roots_write(db, b.p, b.n) == XAP_OK;
    buf_free(&b);
    free(old);
    return set;
}

/* Builds the NULL-terminated array of the non-empty paths of list[0..len)
 * (each followed by a '\0') in one malloc()ed block: the pointers, then
 * the strings.  NULL when memory runs out. */
static char **split_list(const char *list, size_t len, size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (list[i] && (i + 1 == len || !list[i + 1]))
            n++;
    char **v = malloc((n + 1) * sizeof *v + len + 1);
    if (!v)
        return NULL;
    char *s = (char *)(v + n + 1);
    if (len)
        memcpy(s, list, len);
    s[len] = '\0';
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] && (i == 0 || !s[i - 1]))
            v[k++] = s + i;
    v[k] = NULL;
    *count = k;
    return v;
}

/* The stored list, as read from shard 0 (a writer's own, when the handle
 * writes: NULL when it has none yet) or from the reader. */
typedef struct stored {
    char *text;
    size_t len;
} stored_t;

static trouve_status_t read_roots(trouve_index_t *ix, void *ctx)
{
    stored_t *r = ctx;
    free(r->text);
    *r = (stored_t){NULL, 0};
    xap_db_t *db = ix->mode == TROUVE_OPEN_WRITE
                       ? (ix->nshards ? ix->shards[0] : NULL)
                       : ix->db; /* opened by index_read */
    xap_status_t xs = db ? roots_read(db, &r->text, &r->len) : XAP_OK;
    return xs == XAP_OK ? TROUVE_STATUS_OK
                        : index_fail_xap(ix, db, xs,
                                         "cannot read the indexed folders");
}

trouve_status_t trouve_index_roots(trouve_index_t *ix, char ***out,
                                   size_t *count)
{
    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    if (!ix)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (!out)
        return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                          "trouve_index_roots: out is NULL");
    stored_t roots = {NULL, 0};
    trouve_status_t st = ix->mode == TROUVE_OPEN_WRITE
                             ? read_roots(ix, &roots)
                             : index_read(ix, read_roots, &roots);
    if (st != TROUVE_STATUS_OK)
        return st;
    size_t n = 0;
    char **v = split_list(roots.text ? roots.text : "", roots.len, &n);
    free(roots.text);
    if (!v)
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    *out = v;
    if (count)
        *count = n;
    return TROUVE_STATUS_OK;
}

void trouve_roots_free(char **roots)
{
    free(roots);
}
