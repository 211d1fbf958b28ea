/*
 * index.c - opening and closing an index, its shards, and its statistics.
 *
 * The layout of the index folder is described in private.h.  A read
 * handle opens the folder through Xapian's stub file, so local and remote
 * shards are searched together.  A write handle holds trouve.lock and
 * opens each local shard writable; shards are created by the first
 * indexing run (index_create_shards), when the number of jobs is known.
 */
#include "private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "index.h"
#include "store.h"

/* How many times a reader opens the index again when a compaction
 * replaced the stub, or commits overtook it, while the shards were being
 * opened (index_open_reader). */
#define OPEN_RETRIES 7

/* Sets *message to a malloc()ed copy of the handle's message. */
static trouve_status_t open_failed(trouve_index_t *ix, trouve_status_t st,
                                   trouve_index_t **out, char **message)
{
    if (message)
        *message = strdup(ix->message);
    trouve_index_close(ix);
    *out = NULL;
    return st;
}

/* The folder name of shard i at generation g. */
static int shard_name(unsigned i, unsigned g, char *out, size_t outsz)
{
    int n = g ? snprintf(out, outsz, SHARD_GEN, i, g)
              : snprintf(out, outsz, SHARD_NAME, i);
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}

int index_shard_path(const trouve_index_t *ix, unsigned i, char *out,
                     size_t outsz)
{
    char name[64];
    unsigned g = ix->generation ? ix->generation[i] : 0;
    if (shard_name(i, g, name, sizeof name) < 0)
        return -1;
    int n = snprintf(out, outsz, "%s/%s", ix->path, name);
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}

/* Reads the stub file: the local shards ("auto shard-N" or "auto
 * shard-N.G" lines, numbered from 0 without gaps) into ix->generation, and
 * every other line (remote shards, comments) into ix->remote_lines.
 * Returns the number of local shards, or -1 if the stub is not one trouve
 * wrote or memory ran out. */
static int stub_read(trouve_index_t *ix, const char *stub)
{
    FILE *f = fopen(stub, "r");
    if (!f)
        return -1;
    buf_t other = {0};
    int rc = 0, count = 0, bad = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        unsigned n, g = 0;
        int used = 0;
        if ((sscanf(line, "auto " SHARD_GEN "\n%n", &n, &g, &used) == 2 ||
             sscanf(line, "auto " SHARD_NAME "\n%n", &n, &used) == 1) &&
            used && line[used] == '\0' && n == (unsigned)count &&
            count < SHARDS_MAX) {
            unsigned *v = realloc(ix->generation, (count + 1) * sizeof *v);
            if (!v) {
                bad = 1;
                break;
            }
            ix->generation = v;
            v[count++] = g;
        } else if (!strncmp(line, "remote ", 7) || line[0] == '#' ||
                   line[0] == '\n') {
            buf_adds(&other, line, &rc);
        } else {
            bad = 1;
        }
    }
    fclose(f);
    if (bad || rc) {
        buf_free(&other);
        return -1;
    }
    free(ix->remote_lines);
    ix->remote_lines = other.p ? buf_steal(&other) : NULL;
    return count;
}

/* Writes the stub atomically (temporary file, fsync, rename). */
static trouve_status_t stub_write(trouve_index_t *ix, unsigned n)
{
    char stub[4096], tmp[4096], name[64];
    snprintf(stub, sizeof stub, "%s/" INDEX_STUB, ix->path);
    snprintf(tmp, sizeof tmp, "%s/" INDEX_STUB ".tmp", ix->path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return index_fail(ix, TROUVE_STATUS_IO_ERROR, "cannot write '%s': %s",
                          tmp, strerror(errno));
    for (unsigned i = 0; i < n; i++) {
        shard_name(i, ix->generation[i], name, sizeof name);
        fprintf(f, "auto %s\n", name);
    }
    if (ix->remote_lines)
        fputs(ix->remote_lines, f);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, stub) < 0) {
        int e = errno;
        unlink(tmp);
        return index_fail(ix, TROUVE_STATUS_IO_ERROR, "cannot write '%s': %s",
                          stub, strerror(e));
    }
    /* The rename itself is made durable by syncing the folder. */
    int dfd = open(ix->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return TROUVE_STATUS_OK;
}

/* Opens n local shards for writing.  `create`: they are new (made
 * empty); otherwise the stub names them, so each must be there already
 * (Xapian would make a missing one anew, empty, and lose its posts). */
static trouve_status_t open_shards(trouve_index_t *ix, unsigned n,
                                   int create)
{
    ix->shards = calloc(n, sizeof *ix->shards);
    if (!ix->shards ||
        (!ix->generation && !(ix->generation = calloc(n, sizeof(unsigned)))))
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    for (unsigned i = 0; i < n; i++) {
        char path[4096], msg[512];
        if (index_shard_path(ix, i, path, sizeof path) < 0)
            return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                              "index path too long");
        struct stat sb;
        if (!create && (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)))
            return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                              "index '%s' is damaged: shard '%s' is %s",
                              ix->path, path,
                              errno == ENOENT ? "missing" : "not a folder");
        xap_status_t st = xap_db_open(path, XAP_DB_WRITE, &ix->shards[i],
                                      msg, sizeof msg);
        if (st != XAP_OK) {
            if (st == XAP_LOCKED)
                return index_fail(ix, TROUVE_STATUS_INDEX_LOCKED,
                                  "index '%s' is locked by another writer "
                                  "(%s)", ix->path, msg);
            if (st == XAP_CORRUPT || st == XAP_NOT_FOUND)
                return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                                  "index '%s' is damaged: %s", ix->path,
                                  msg);
            return index_fail(ix, status_from_xap(st),
                              "cannot open index '%s': %s", ix->path, msg);
        }
        ix->nshards = i + 1;
    }
    return TROUVE_STATUS_OK;
}

static void remove_stale_shards(trouve_index_t *ix);

/* Reopens the writers on the shards the stub now names, and removes the
 * folders it no longer names. */
static trouve_status_t reopen_shards(trouve_index_t *ix, unsigned n)
{
    for (unsigned i = 0; i < ix->nshards; i++)
        xap_db_close(ix->shards[i]);
    free(ix->shards);
    ix->shards = NULL;
    ix->nshards = 0;
    trouve_status_t st = open_shards(ix, n, 0);
    if (st == TROUVE_STATUS_OK)
        remove_stale_shards(ix);
    return st;
}

/* Removes a shard folder (glass databases hold only files). */
static void remove_shard_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        char f[4096];
        if (e->d_name[0] == '.')
            continue;
        if (snprintf(f, sizeof f, "%s/%s", path, e->d_name) < (int)sizeof f)
            unlink(f);
    }
    closedir(d);
    rmdir(path);
}

/* A shard folder to remove, in a thread of its own. */
typedef struct removal {
    char path[4096];
    pthread_t thread;
    int started;
} removal_t;

static void *remove_in_thread(void *arg)
{
    remove_shard_dir(((removal_t *)arg)->path);
    return NULL;
}

/* Removes the shard folders the stub does not name: the old generations
 * after a compaction, or what a crash left (either the new generation
 * before the stub swap, or the old one after).  One thread per folder:
 * unlinking a file frees its cached pages, milliseconds for a shard
 * (8 ms for the two old shards of a 20 MB build, one after the other),
 * which the cores do at once. */
static void remove_stale_shards(trouve_index_t *ix)
{
    DIR *d = opendir(ix->path);
    if (!d)
        return;
    removal_t *r = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        unsigned i, g = 0;
        int used = 0;
        if (!((sscanf(e->d_name, SHARD_GEN "%n", &i, &g, &used) == 2 ||
               sscanf(e->d_name, SHARD_NAME "%n", &i, &used) == 1) &&
              e->d_name[used] == '\0'))
            continue;
        if (i < ix->nshards && ix->generation[i] == g)
            continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", ix->path, e->d_name) >=
            (int)sizeof path)
            continue;
        if (n == cap && array_grow((void **)&r, &cap, n + 1, sizeof *r, 8)) {
            remove_shard_dir(path); /* no memory: here and now */
            continue;
        }
        memcpy(r[n++].path, path, sizeof path);
    }
    closedir(d);
    for (size_t k = 1; k < n; k++)
        r[k].started = pthread_create(&r[k].thread, NULL, remove_in_thread,
                                      &r[k]) == 0;
    for (size_t k = 0; k < n; k++) {
        if (k && r[k].started)
            pthread_join(r[k].thread, NULL);
        else
            remove_shard_dir(r[k].path);
    }
    free(r);
}

/* Write mode: creates the folder if needed and takes the writer's lock. */
static trouve_status_t lock_index(trouve_index_t *ix)
{
    if (mkdir(ix->path, 0777) < 0 && errno != EEXIST)
        return index_fail(ix, TROUVE_STATUS_IO_ERROR,
                          "cannot create index '%s': %s", ix->path,
                          strerror(errno));
    char path[4096];
    snprintf(path, sizeof path, "%s/" INDEX_LOCK, ix->path);
    ix->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (ix->lock_fd < 0) {
        int e = errno;
        struct stat st;
        if (stat(ix->path, &st) == 0 && !S_ISDIR(st.st_mode))
            return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                              "index '%s' is damaged: not a folder",
                              ix->path);
        return index_fail(ix, TROUVE_STATUS_IO_ERROR,
                          "cannot open '%s': %s", path, strerror(e));
    }
    if (flock(ix->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK)
            return index_fail(ix, TROUVE_STATUS_INDEX_LOCKED,
                              "index '%s' is locked by another indexer "
                              "(%s)", ix->path, path);
        return index_fail(ix, TROUVE_STATUS_IO_ERROR, "cannot lock '%s': %s",
                          path, strerror(errno));
    }
    return TROUVE_STATUS_OK;
}

/* The identity of the stub file at `stub`; 0 when it cannot be read. */
static int stub_id(const char *stub, stub_id_t *id)
{
    struct stat st;
    if (stat(stub, &st) < 0)
        return 0;
    id->ino = st.st_ino;
    id->mtime = st.st_mtim;
    return 1;
}

static int stub_id_equal(const stub_id_t *a, const stub_id_t *b)
{
    return a->ino == b->ino && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

int index_stub_changed(const trouve_index_t *ix)
{
    char stub[4096];
    stub_id_t now;
    snprintf(stub, sizeof stub, "%s/" INDEX_STUB, ix->path);
    return !stub_id(stub, &now) || !stub_id_equal(&now, &ix->stub);
}

/* Bytes of the regular files under path, a few folders deep. */
static uint64_t folder_bytes(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    uint64_t sum = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[4096];
        struct stat st;
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >=
                (int)sizeof sub ||
            lstat(sub, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 4)
            sum += folder_bytes(sub, depth + 1);
        else if (S_ISREG(st.st_mode))
            sum += (uint64_t)st.st_size;
    }
    closedir(d);
    return sum;
}

trouve_status_t index_open_reader(trouve_index_t *ix)
{
    if (ix->db)
        return TROUVE_STATUS_OK;
    struct stat st;
    char stub[4096];
    if (stat(ix->path, &st) < 0) {
        if (errno == ENOENT)
            return index_fail(ix, TROUVE_STATUS_NO_INDEX,
                              "no index at '%s'", ix->path);
        return index_fail(ix, TROUVE_STATUS_IO_ERROR, "cannot open '%s': %s",
                          ix->path, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                          "index '%s' is damaged: not a folder", ix->path);
    snprintf(stub, sizeof stub, "%s/" INDEX_STUB, ix->path);
    if (access(stub, R_OK) < 0) /* none, or one this user may not read */
        return errno == ENOENT
                   ? index_fail(ix, TROUVE_STATUS_NO_INDEX,
                                "no index at '%s'", ix->path)
                   : index_fail(ix, TROUVE_STATUS_IO_ERROR,
                                "cannot read '%s': %s", stub,
                                strerror(errno));
    char msg[512];
    xap_status_t xs;
    /* A writer that compacts replaces the stub, then removes the folders
     * the old one named: a reader that read the old stub may find them
     * gone.  When the stub changed meanwhile, that was no damage: read the
     * new one.  And an open that meets a writer's commits fails as a read
     * does (DatabaseModifiedError, or a root block of a later revision
     * taken for damage: reopen.c): opened again after a pause, 1 ms
     * doubling, before damage is believed (about 0.1 s in all). */
    for (int attempt = 0;; attempt++) {
        stub_id_t after;
        int known = stub_id(stub, &ix->stub);
        xs = xap_db_open(ix->path, XAP_DB_READ, &ix->db, msg, sizeof msg);
        if (xs == XAP_OK || xs == XAP_NETWORK || xs == XAP_NOMEM ||
            attempt == OPEN_RETRIES || !known)
            break;
        if (stub_id(stub, &after) && stub_id_equal(&after, &ix->stub)) {
            if (xs != XAP_MODIFIED && xs != XAP_CORRUPT)
                break;
            index_pause(1L << attempt);
        }
    }
    /* The wrapper's message names the index first: we do too. */
    const char *why = msg;
    size_t plen = strlen(ix->path);
    if (msg[0] == '\'' && !strncmp(msg + 1, ix->path, plen) &&
        !strncmp(msg + 1 + plen, "': ", 3))
        why = msg + plen + 4;
    switch (xs) {
    case XAP_OK:
        /* A read handle's stats are its snapshot's, its size too: the
         * files it reads may be gone by then (compacted away, the index
         * removed), and are still read.  A few stat calls a shard. */
        if (ix->mode == TROUVE_OPEN_READ)
            ix->bytes = folder_bytes(ix->path, 0);
        return TROUVE_STATUS_OK;
    case XAP_NETWORK:
        return index_fail(ix, TROUVE_STATUS_REMOTE_ERROR,
                          "cannot reach a remote shard of '%s': %s",
                          ix->path, why);
    case XAP_NOMEM:
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    default:
        /* The stub is there, so anything else means damage (a version
         * file with a bit flipped can read as DatabaseModifiedError). */
        return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                          "index '%s' is damaged: %s", ix->path, why);
    }
}

trouve_status_t trouve_index_open(const char *path, trouve_open_mode_t mode,
                                  trouve_index_t **out, char **message)
{
    if (message)
        *message = NULL;
    const char *wrong = NULL;
    if (!out)
        wrong = "out is NULL";
    else if (!path)
        wrong = "path is NULL";
    else if (!*path)
        wrong = "path is \"\"";
    else if (mode != TROUVE_OPEN_READ && mode != TROUVE_OPEN_WRITE)
        wrong = "mode is neither TROUVE_OPEN_READ nor TROUVE_OPEN_WRITE";
    if (out)
        *out = NULL;
    if (wrong) {
        if (message) {
            char m[128];
            snprintf(m, sizeof m, "trouve_index_open: %s", wrong);
            *message = strdup(m);
        }
        return TROUVE_STATUS_INVALID_ARGUMENT;
    }
    trouve_index_t *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->path = strdup(path))) {
        free(ix);
        if (message)
            *message = strdup("out of memory");
        return TROUVE_STATUS_OUT_OF_MEMORY;
    }
    ix->mode = mode;
    ix->lock_fd = -1;
    /* "index/" and "index" are the same index. */
    for (size_t n = strlen(ix->path); n > 1 && ix->path[n - 1] == '/'; n--)
        ix->path[n - 1] = '\0';

    trouve_status_t st;
    if (mode == TROUVE_OPEN_READ) {
        st = index_open_reader(ix);
    } else if ((st = lock_index(ix)) == TROUVE_STATUS_OK) {
        char stub[4096];
        snprintf(stub, sizeof stub, "%s/" INDEX_STUB, ix->path);
        if (access(stub, F_OK) == 0) {
            int n = stub_read(ix, stub);
            if (n < 0)
                st = index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                                "index '%s' is damaged: unreadable %s",
                                ix->path, INDEX_STUB);
            else if ((st = open_shards(ix, (unsigned)n, 0)) ==
                     TROUVE_STATUS_OK)
                remove_stale_shards(ix);
        }
    }
    if (st != TROUVE_STATUS_OK)
        return open_failed(ix, st, out, message);
    *out = ix;
    return TROUVE_STATUS_OK;
}

trouve_status_t index_create_shards(trouve_index_t *ix, unsigned n)
{
    if (ix->nshards)
        return TROUVE_STATUS_OK;
    if (n < 1)
        n = 1;
    if (n > SHARDS_MAX)
        n = SHARDS_MAX;
    /* No local shard yet (a new index, or a stub of remote shards only):
     * what open_shards(ix, 0) left, if anything, is for none of them. */
    free(ix->generation);
    ix->generation = NULL;
    free(ix->shards);
    ix->shards = NULL;
    /* Shard folders no stub names are what a first run killed before its
     * stub left: empty at most (batches come after the stub); a half-made
     * one (no version file yet) would not open. */
    remove_stale_shards(ix);
    trouve_status_t st = open_shards(ix, n, 1);
    if (st != TROUVE_STATUS_OK)
        return st;
    for (unsigned i = 0; i < n; i++) {
        xap_status_t xs = xap_db_commit(ix->shards[i]);
        if (xs != XAP_OK)
            return index_fail_xap(ix, ix->shards[i], xs,
                                  "cannot create the index");
    }
    /* The stub goes last, atomically: until it is there, there is no
     * index to read, and a crash leaves only empty shards behind. */
    return stub_write(ix, n);
}

xap_status_t index_compact_shard(trouve_index_t *ix, unsigned i, char *msg,
                                 size_t msgsz)
{
    char src[4096], dst[4096], name[64];
    index_shard_path(ix, i, src, sizeof src);
    shard_name(i, ix->generation[i] + 1, name, sizeof name);
    snprintf(dst, sizeof dst, "%s/%s", ix->path, name);
    remove_shard_dir(dst); /* a leftover of an interrupted compaction */
    const char *sources[1] = {src};
    return xap_compact(sources, 1, dst, msg, msgsz);
}

trouve_status_t index_switch(trouve_index_t *ix,
                             const unsigned char *compacted)
{
    unsigned n = ix->nshards, any = 0;
    for (unsigned i = 0; compacted && i < n; i++)
        any |= compacted[i];
    if (!any) {
        remove_stale_shards(ix); /* new generations not kept, if any */
        return TROUVE_STATUS_OK;
    }
    /* The stub first (atomic), then the writers, then the old folders. */
    for (unsigned i = 0; i < n; i++)
        ix->generation[i] += compacted[i];
    trouve_status_t st = stub_write(ix, n);
    if (st != TROUVE_STATUS_OK) {
        for (unsigned i = 0; i < n; i++)
            ix->generation[i] -= compacted[i];
        remove_stale_shards(ix);
        return st;
    }
    return reopen_shards(ix, n);
}

trouve_status_t trouve_index_compact(trouve_index_t *ix)
{
    if (!ix)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (ix->mode != TROUVE_OPEN_WRITE)
        return index_fail(ix, TROUVE_STATUS_READ_ONLY,
                          "index '%s' is open read-only", ix->path);
    unsigned n = ix->nshards;
    if (n == 0 && ix->remote_lines && *ix->remote_lines)
        return TROUVE_STATUS_OK; /* its shards are all remote: they stay
                                    as they are, nothing to merge */
    if (n == 0)
        return index_fail(ix, TROUVE_STATUS_NO_INDEX, "no index at '%s'",
                          ix->path);
    /* The merged shard is shard 0 at a generation no folder has yet. */
    unsigned g = 0;
    for (unsigned i = 0; i < n; i++)
        if (ix->generation[i] > g)
            g = ix->generation[i];
    g++;
    char (*src)[4096] = calloc(n, sizeof *src);
    const char **sources = calloc(n, sizeof *sources);
    char dst[4096], name[64], msg[512];
    if (!src || !sources) {
        free(src);
        free(sources);
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    }
    for (unsigned i = 0; i < n; i++) {
        index_shard_path(ix, i, src[i], sizeof src[i]);
        sources[i] = src[i];
    }
    shard_name(0, g, name, sizeof name);
    snprintf(dst, sizeof dst, "%s/%s", ix->path, name);
    remove_shard_dir(dst); /* a leftover of an interrupted compaction */
    xap_status_t xs = xap_compact(sources, n, dst, msg, sizeof msg);
    free(src);
    free(sources);
    if (xs != XAP_OK) {
        remove_stale_shards(ix); /* the merged shard, half made */
        return index_fail(ix, status_from_xap(xs),
                          "cannot compact the index: %s", msg);
    }
    /* The swap: one atomic rename of the stub, which from now on names
     * one local shard (posts land in hash % 1 = 0).  Before it, the index
     * is the old shards; after it, the new one; the folders the stub does
     * not name are removed now, or at the next open after a crash. */
    unsigned *old = ix->generation;
    unsigned *one = malloc(sizeof *one);
    if (!one)
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    one[0] = g;
    ix->generation = one;
    trouve_status_t st = stub_write(ix, 1);
    if (st != TROUVE_STATUS_OK) {
        ix->generation = old;
        free(one);
        remove_stale_shards(ix);
        return st;
    }
    free(old);
    st = reopen_shards(ix, 1);
    /* The handle's reader, if it has one, reads the old folders: it is
     * opened again, through the new stub, when next needed (reopened in
     * place it would stay on them, reopen.c). */
    xap_db_close(ix->db);
    ix->db = NULL;
    return st;
}

void trouve_index_close(trouve_index_t *ix)
{
    if (!ix)
        return;
    xap_db_close(ix->db);
    for (unsigned i = 0; i < ix->nshards; i++)
        xap_db_close(ix->shards[i]);
    free(ix->shards);
    free(ix->generation);
    free(ix->remote_lines);
    if (ix->lock_fd >= 0)
        close(ix->lock_fd); /* releases the flock */
    free(ix->path);
    free(ix);
}

const char *trouve_index_message(const trouve_index_t *ix)
{
    return ix ? ix->message : "";
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */

static int count_counts(uint32_t docid, const char *value, size_t len,
                        void *ctx)
{
    (void)docid;
    trouve_stats_t *stats = ctx;
    post_counts_t c;
    if (counts_decode(value, len, &c) == 0) {
        stats->passages_en += c.passages[TROUVE_LANG_EN];
        stats->passages_fr += c.passages[TROUVE_LANG_FR];
        stats->passages += c.passages[0] + c.passages[1] + c.passages[2];
        stats->text_bytes += c.text_bytes;
    }
    return 0;
}

static int count_words(const char *term, size_t len, uint32_t tf, void *ctx)
{
    (void)tf;
    /* Words are lowercase; prefixed terms start with a capital. */
    if (len && !(term[0] >= 'A' && term[0] <= 'Z'))
        ++*(uint64_t *)ctx;
    return 0;
}

/* The counts stats takes from the index, for index_read. */
static trouve_status_t read_counts(trouve_index_t *ix, void *ctx)
{
    trouve_stats_t *stats = ctx;
    memset(stats, 0, sizeof *stats);
    uint32_t docs;
    xap_status_t xs = xap_db_doccount(ix->db, &docs);
    if (xs == XAP_OK)
        xs = xap_db_values(ix->db, SLOT_COUNTS, count_counts, stats);
    if (xs == XAP_OK)
        xs = xap_db_allterms(ix->db, "", 0, count_words, &stats->terms);
    if (xs != XAP_OK)
        return index_fail_xap(ix, ix->db, xs, "cannot read the index");
    stats->posts = docs;
    stats->shards = (unsigned)xap_db_shards(ix->db);
    return TROUVE_STATUS_OK;
}

trouve_status_t trouve_index_stats(trouve_index_t *ix, trouve_stats_t *stats)
{
    if (!ix)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (!stats)
        return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                          "trouve_index_stats: stats is NULL");
    trouve_status_t st = index_read(ix, read_counts, stats);
    if (st != TROUVE_STATUS_OK)
        return st;
    /* Every figure is of the revision the handle reads: the shards and
     * bytes taken from the disk at the call mixed it with a read handle's
     * snapshot (6 posts in 0 shards of 0 bytes once the index was
     * removed).  A writer's reader is opened again after each of its
     * runs: for it, the disk now is what it reads. */
    stats->bytes = ix->mode == TROUVE_OPEN_READ ? ix->bytes
                                                : folder_bytes(ix->path, 0);
    return TROUVE_STATUS_OK;
}
