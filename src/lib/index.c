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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "index.h"
#include "store.h"

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

int index_shard_path(const trouve_index_t *ix, unsigned i, char *out,
                     size_t outsz)
{
    int n = snprintf(out, outsz, "%s/" SHARD_NAME, ix->path, i);
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}

/* Reads the stub file and counts its local shards ("auto shard-N" lines,
 * numbered from 0 without gaps).  Returns the count, or -1 if the stub is
 * not one trouve wrote. */
static int stub_count_local(const char *stub)
{
    FILE *f = fopen(stub, "r");
    if (!f)
        return -1;
    char line[4096];
    int count = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned n;
        char tail;
        if (sscanf(line, "auto " SHARD_NAME "%c", &n, &tail) == 2 &&
            tail == '\n' && n == (unsigned)count)
            count++;
        else if (strncmp(line, "remote ", 7) != 0 && line[0] != '#' &&
                 line[0] != '\n')
            bad = 1;
    }
    fclose(f);
    return bad ? -1 : count;
}

static trouve_status_t open_shards(trouve_index_t *ix, unsigned n)
{
    ix->shards = calloc(n, sizeof *ix->shards);
    if (!ix->shards)
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    for (unsigned i = 0; i < n; i++) {
        char path[4096], msg[512];
        if (index_shard_path(ix, i, path, sizeof path) < 0)
            return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                              "index path too long");
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
    if (access(stub, F_OK) < 0)
        return index_fail(ix, TROUVE_STATUS_NO_INDEX, "no index at '%s'",
                          ix->path);
    char msg[512];
    xap_status_t xs = xap_db_open(ix->path, XAP_DB_READ, &ix->db, msg,
                                  sizeof msg);
    switch (xs) {
    case XAP_OK:
        return TROUVE_STATUS_OK;
    case XAP_NETWORK:
        return index_fail(ix, TROUVE_STATUS_REMOTE_ERROR,
                          "cannot reach a remote shard of '%s': %s",
                          ix->path, msg);
    case XAP_NOMEM:
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    default:
        /* The stub is there, so anything else means damage. */
        return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                          "index '%s' is damaged: %s", ix->path, msg);
    }
}

trouve_status_t trouve_index_open(const char *path, trouve_open_mode_t mode,
                                  trouve_index_t **out, char **message)
{
    if (message)
        *message = NULL;
    if (!out)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    *out = NULL;
    if (!path || !*path || (mode != TROUVE_OPEN_READ &&
                            mode != TROUVE_OPEN_WRITE)) {
        if (message)
            *message = strdup("invalid index path or mode");
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
            int n = stub_count_local(stub);
            if (n < 0 || n > SHARDS_MAX)
                st = index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                                "index '%s' is damaged: unreadable %s",
                                ix->path, INDEX_STUB);
            else
                st = open_shards(ix, (unsigned)n);
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
    trouve_status_t st = open_shards(ix, n);
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
    char stub[4096], tmp[4096];
    snprintf(stub, sizeof stub, "%s/" INDEX_STUB, ix->path);
    snprintf(tmp, sizeof tmp, "%s/" INDEX_STUB ".tmp", ix->path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return index_fail(ix, TROUVE_STATUS_IO_ERROR, "cannot write '%s': %s",
                          tmp, strerror(errno));
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto " SHARD_NAME "\n", i);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, stub) < 0) {
        int e = errno;
        unlink(tmp);
        return index_fail(ix, TROUVE_STATUS_IO_ERROR, "cannot write '%s': %s",
                          stub, strerror(e));
    }
    return TROUVE_STATUS_OK;
}

void trouve_index_close(trouve_index_t *ix)
{
    if (!ix)
        return;
    xap_db_close(ix->db);
    for (unsigned i = 0; i < ix->nshards; i++)
        xap_db_close(ix->shards[i]);
    free(ix->shards);
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

trouve_status_t trouve_index_stats(trouve_index_t *ix, trouve_stats_t *stats)
{
    if (!ix || !stats)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    memset(stats, 0, sizeof *stats);
    trouve_status_t st = index_open_reader(ix);
    if (st != TROUVE_STATUS_OK)
        return st;
    uint32_t docs;
    xap_status_t xs = xap_db_doccount(ix->db, &docs);
    if (xs == XAP_OK)
        xs = xap_db_values(ix->db, SLOT_COUNTS, count_counts, stats);
    if (xs == XAP_OK)
        xs = xap_db_allterms(ix->db, "", 0, count_words, &stats->terms);
    if (xs != XAP_OK)
        return index_fail_xap(ix, ix->db, xs, "cannot read the index");
    stats->posts = docs;
    stats->bytes = folder_bytes(ix->path, 0);
    char stub[4096];
    snprintf(stub, sizeof stub, "%s/" INDEX_STUB, ix->path);
    FILE *f = fopen(stub, "r");
    if (f) {
        char line[4096];
        while (fgets(line, sizeof line, f))
            stats->shards += !strncmp(line, "auto ", 5) ||
                             !strncmp(line, "remote ", 7);
        fclose(f);
    }
    return TROUVE_STATUS_OK;
}
