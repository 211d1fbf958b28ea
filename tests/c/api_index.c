/*
 * api_index.c - a C program built against the public header only
 * (src/trouve.h) and linked with libtrouve.so: indexing runs that are
 * cancelled (before they start, during the walk, between two commits),
 * what each leaves in the index and among the folders it remembers
 * (trouve_index_roots).
 *
 * And the index's own folder, or a path inside it, named to be indexed:
 * never indexed, and said so through the skipped callback.
 *
 * Usage: api_index   (exits 0 when every check passed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trouve.h"
#include "check.h"


/* Writes folder/name; the text ends at its last byte, NULs included. */
#define write_file(folder, name, text)                                      \
    write_bytes(folder, name, text, sizeof text - 1)

static void write_bytes(const char *folder, const char *name,
                        const char *text, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(text, 1, len, f) == len);
        fclose(f);
    }
}

/* The posts in the index at `path` and the number of folders it
 * remembers, through a read handle; -1 each when it cannot be read. */
static void count_index(const char *path, long *posts, long *folders)
{
    trouve_index_t *r;
    trouve_stats_t st;
    char **roots;
    size_t n;
    *posts = *folders = -1;
    if (trouve_index_open(path, TROUVE_OPEN_READ, &r, NULL) !=
        TROUVE_STATUS_OK)
        return;
    if (trouve_index_stats(r, &st) == TROUVE_STATUS_OK)
        *posts = (long)st.posts;
    if (trouve_index_roots(r, &roots, &n) == TROUVE_STATUS_OK) {
        *folders = (long)n;
        trouve_roots_free(roots);
    }
    trouve_index_close(r);
}

/* A skipped callback that raises the cancel flag (its ctx). */
static void cancel_on_skip(const char *path, trouve_skip_t why,
                           const char *detail, void *ctx)
{
    (void)path;
    (void)why;
    (void)detail;
    *(volatile int *)ctx = 1;
}

static void check_cancelled(const char *dir)
{
    char index[300], first[300], second[300];
    snprintf(index, sizeof index, "%s/index", dir);
    snprintf(first, sizeof first, "%s/first", dir);
    snprintf(second, sizeof second, "%s/second", dir);
    CHECK(mkdir(first, 0777) == 0 && mkdir(second, 0777) == 0);
    write_file(first, "kite.txt", "A yellow kite over the harbour.\n");
    write_file(second, "a.txt", "An anchor in the mud.\n");
    write_file(second, "b.txt", "A buoy in the bay.\n");
    write_file(second, "c.txt", "A crab under the pier.\n");

    volatile int cancel = 1;
    trouve_index_options_t o;
    trouve_index_options_init(&o);
    o.jobs = 1;
    o.cancel = &cancel;
    trouve_index_summary_t sum;
    const char *firsts[] = {first}, *seconds[] = {second};
    long posts, folders;

    /* Cancelled before it starts: nothing done, not even a new index. */
    trouve_index_t *w = NULL;
    CHECK(trouve_index_open(index, TROUVE_OPEN_WRITE, &w, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(trouve_index_paths(w, firsts, 1, &o, &sum) ==
          TROUVE_STATUS_INTERRUPTED);
    CHECK(sum.added == 0 && !strcmp(trouve_index_message(w), "interrupted"));
    trouve_index_t *r = (trouve_index_t *)1;
    CHECK(trouve_index_open(index, TROUVE_OPEN_READ, &r, NULL) ==
          TROUVE_STATUS_NO_INDEX);

    /* A whole run, then one cancelled before it starts: the index and
     * its folders stay as they were. */
    cancel = 0;
    CHECK(trouve_index_paths(w, firsts, 1, &o, &sum) == TROUVE_STATUS_OK &&
          sum.added == 1);
    cancel = 1;
    CHECK(trouve_index_paths(w, seconds, 1, &o, &sum) ==
          TROUVE_STATUS_INTERRUPTED);
    count_index(index, &posts, &folders);
    CHECK(posts == 1 && folders == 1);

    /* Cancelled during the walk (a hidden file is reported as it walks):
     * nothing written, the folder not remembered. */
    write_file(second, ".hidden.txt", "Not a post.\n");
    cancel = 0;
    o.skipped = cancel_on_skip;
    o.ctx = (void *)&cancel;
    CHECK(trouve_index_paths(w, seconds, 1, &o, &sum) ==
          TROUVE_STATUS_INTERRUPTED);
    CHECK(sum.added == 0 && sum.skipped == 1);
    count_index(index, &posts, &folders);
    CHECK(posts == 1 && folders == 1);

    /* Cancelled between two commits (a binary post is reported as the
     * shard reads it; one commit per post): the post before it stays,
     * and the folder is remembered, as a post under it was committed. */
    char hidden[320];
    snprintf(hidden, sizeof hidden, "%s/.hidden.txt", second);
    CHECK(remove(hidden) == 0);
    write_file(second, "b.txt", "A buoy\0 in the bay.\n");
    setenv("TROUVE_BATCH_POSTS", "1", 1);
    cancel = 0;
    CHECK(trouve_index_paths(w, seconds, 1, &o, &sum) ==
          TROUVE_STATUS_INTERRUPTED);
    unsetenv("TROUVE_BATCH_POSTS");
    CHECK(sum.added == 1 && sum.skipped == 1);
    count_index(index, &posts, &folders);
    CHECK(posts == 2 && folders == 2);

    /* The next whole run finishes the work. */
    cancel = 0;
    o.skipped = NULL;
    CHECK(trouve_index_paths(w, seconds, 1, &o, &sum) == TROUVE_STATUS_OK &&
          sum.added == 1 && sum.unchanged == 1 && sum.skipped == 1);
    trouve_index_close(w);
    count_index(index, &posts, &folders);
    CHECK(posts == 3 && folders == 2);
}

/* What the skipped callback heard: the reasons, and the last call. */
typedef struct heard {
    int calls;
    trouve_skip_t why;
    char path[512], detail[128];
} heard_t;

static void on_skipped(const char *path, trouve_skip_t why,
                       const char *detail, void *ctx)
{
    heard_t *h = ctx;
    h->calls++;
    h->why = why;
    snprintf(h->path, sizeof h->path, "%s", path);
    snprintf(h->detail, sizeof h->detail, "%s", detail ? detail : "");
}

static void check_index_named(const char *dir)
{
    char posts[300], index[320], stub[340];
    snprintf(posts, sizeof posts, "%s/posts", dir);
    snprintf(index, sizeof index, "%s/index", posts);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", index);
    CHECK(mkdir(posts, 0777) == 0);
    write_file(posts, "kite.txt", "A yellow kite over the harbour.\n");
    heard_t heard = {0};
    trouve_index_options_t o;
    trouve_index_options_init(&o);
    o.jobs = 1;
    o.skipped = on_skipped;
    o.ctx = &heard;
    trouve_index_summary_t sum;
    long nposts, folders;

    /* The index inside a folder walked: left out without a word. */
    trouve_index_t *w = NULL;
    const char *all[] = {posts};
    CHECK(trouve_index_open(index, TROUVE_OPEN_WRITE, &w, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(trouve_index_paths(w, all, 1, &o, &sum) == TROUVE_STATUS_OK);
    CHECK(sum.added == 1 && sum.skipped == 0 && heard.calls == 0);

    /* The index itself, and paths inside it, named: left out, and said
     * so (policy: ignored, the detail says why); not remembered. */
    const char *itself[] = {index};
    CHECK(trouve_index_paths(w, itself, 1, &o, &sum) == TROUVE_STATUS_OK);
    CHECK(sum.added == 0 && sum.skipped == 1 && sum.failed == 0);
    CHECK(heard.calls == 1 && heard.why == TROUVE_SKIP_IGNORED &&
          !strcmp(heard.path, index) &&
          !strcmp(heard.detail, "the index itself"));
    const char *inside[] = {stub};
    heard.calls = 0;
    CHECK(trouve_index_paths(w, inside, 1, &o, &sum) == TROUVE_STATUS_OK);
    CHECK(sum.added == 0 && sum.skipped == 1);
    CHECK(heard.calls == 1 && heard.why == TROUVE_SKIP_IGNORED &&
          !strcmp(heard.path, stub) &&
          !strcmp(heard.detail, "inside the index"));

    /* Nor through a link followed into it (a file there is no post). */
    char link[320];
    snprintf(link, sizeof link, "%s/link", posts);
    write_file(index, "note.txt", "Not a post.\n");
    CHECK(symlink("index", link) == 0);
    o.flags = TROUVE_INDEX_FOLLOW;
    heard.calls = 0;
    CHECK(trouve_index_paths(w, all, 1, &o, &sum) == TROUVE_STATUS_OK);
    CHECK(sum.added == 0 && sum.unchanged == 1 && heard.calls == 0);
    trouve_index_close(w);
    count_index(index, &nposts, &folders);
    CHECK(nposts == 1 && folders == 1);
}

int main(void)
{
    char dir[] = "/tmp/trouve-index-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    check_cancelled(dir);
    check_index_named(dir);

    return finish(dir);
}
