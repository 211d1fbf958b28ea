/*
 * api_search.c - a C program built against the public header only
 * (src/trouve.h) and linked with libtrouve.so: it indexes seeds/ into a
 * fresh index and searches it, checking what the header promises: statuses
 * and NULL out-parameters, the lock, hits and highlights, the folders
 * remembered (trouve_index_roots), a read handle being a snapshot until
 * trouve_index_reopen, or until writers' commits overtake it.
 *
 * Usage: api_search [SEEDS_DIR]   (default: seeds; exits 0 when every
 * check passed)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trouve.h"
#include "check.h"


/* Hits for `query` (limit 10), or -1 on error. */
static long count_hits(trouve_index_t *ix, const char *query)
{
    trouve_results_t *res;
    if (trouve_search(ix, query, NULL, &res) != TROUVE_STATUS_OK)
        return -1;
    long n = (long)trouve_results_count(res);
    trouve_results_free(res);
    return n;
}

static int count_tokens(const trouve_token_t *t, void *ctx)
{
    (void)t;
    ++*(int *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    const char *seeds = argc > 1 ? argv[1] : "seeds";
    char dir[] = "/tmp/trouve-api-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[256];
    snprintf(path, sizeof path, "%s/index", dir);

    /* Reading an index that is not there: NO_INDEX, NULL, a message. */
    trouve_index_t *ix = (trouve_index_t *)1;
    char *msg = NULL;
    CHECK(trouve_index_open(path, TROUVE_OPEN_READ, &ix, &msg) ==
          TROUVE_STATUS_NO_INDEX);
    CHECK(ix == NULL);
    CHECK(msg && strstr(msg, "no index"));
    free(msg);

    /* Indexing. */
    CHECK(trouve_index_open(path, TROUVE_OPEN_WRITE, &ix, NULL) ==
          TROUVE_STATUS_OK);
    trouve_index_options_t opts;
    trouve_index_options_init(&opts);
    opts.jobs = 2;
    const char *roots[] = {seeds};
    trouve_index_summary_t sum;
    CHECK(trouve_index_paths(ix, roots, 1, &opts, &sum) == TROUVE_STATUS_OK);
    CHECK(sum.added == 6 && sum.failed == 0);
    trouve_index_close(ix);

    /* The folder is remembered, absolute, for a later refresh. */
    char **folders = (char **)1;
    size_t nfolders = 99;
    char real[PATH_MAX];
    CHECK(trouve_index_open(path, TROUVE_OPEN_READ, &ix, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(trouve_index_roots(ix, &folders, &nfolders) == TROUVE_STATUS_OK);
    CHECK(nfolders == 1 && folders[0] && folders[0][0] == '/' &&
          folders[1] == NULL);
    CHECK(realpath(seeds, real) && !strncmp(folders[0], real, strlen(real)));
    trouve_roots_free(folders);
    CHECK(trouve_index_roots(ix, NULL, NULL) ==
          TROUVE_STATUS_INVALID_ARGUMENT);
    trouve_index_close(ix);

    /* A second writer is refused while the first holds the index. */
    trouve_index_t *w1, *w2 = (trouve_index_t *)1;
    CHECK(trouve_index_open(path, TROUVE_OPEN_WRITE, &w1, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(trouve_index_open(path, TROUVE_OPEN_WRITE, &w2, &msg) ==
          TROUVE_STATUS_INDEX_LOCKED);
    CHECK(w2 == NULL && msg && strstr(msg, "locked"));
    free(msg);
    trouve_index_close(w1);

    /* Searching. */
    CHECK(trouve_index_open(path, TROUVE_OPEN_READ, &ix, NULL) ==
          TROUVE_STATUS_OK);
    trouve_search_options_t so;
    trouve_search_options_init(&so);
    so.limit = 5;
    so.lang = TROUVE_LANG_FR;
    trouve_results_t *res = NULL;
    CHECK(trouve_search(ix, "mentorat inversé", &so, &res) ==
          TROUVE_STATUS_OK);
    CHECK(res && trouve_results_count(res) > 0);
    for (size_t i = 0; res && i < trouve_results_count(res); i++) {
        const trouve_hit_t *h = trouve_results_hit(res, i);
        size_t slen, start, end;
        const char *snippet = trouve_hit_snippet(h, &slen);
        CHECK(trouve_hit_lang(h) == TROUVE_LANG_FR);
        CHECK(trouve_hit_path(h)[0] == '/');
        CHECK(trouve_hit_line(h) > 0);
        CHECK(strlen(snippet) == slen);
        CHECK(trouve_hit_highlight_count(h) > 0);
        for (size_t k = 0; k < trouve_hit_highlight_count(h); k++) {
            CHECK(trouve_hit_highlight(h, k, &start, &end) == 0);
            CHECK(start < end && end <= slen);
        }
        CHECK(trouve_hit_highlight(h, 999, &start, &end) == -1);
        printf("%s:%u %s %.3f %.*s\n", trouve_hit_path(h),
               trouve_hit_line(h),
               trouve_lang_to_string(trouve_hit_lang(h)),
               trouve_hit_score(h), (int)slen, snippet);
    }
    CHECK(trouve_results_hit(res, 1000) == NULL);
    trouve_results_free(res);

    /* A word found nowhere: OK with no hits.  Nothing to search: BAD_QUERY
     * with *out NULL and a message on the handle. */
    CHECK(trouve_search(ix, "xylophonique", NULL, &res) == TROUVE_STATUS_OK);
    CHECK(trouve_results_count(res) == 0);
    trouve_results_free(res);
    res = (trouve_results_t *)1;
    CHECK(trouve_search(ix, "!!!", NULL, &res) == TROUVE_STATUS_BAD_QUERY);
    CHECK(res == NULL && *trouve_index_message(ix));

    /* Indexing through a read handle is refused. */
    CHECK(trouve_index_paths(ix, roots, 1, NULL, NULL) ==
          TROUVE_STATUS_READ_ONLY);

    /* The estimate counts posts with the language filter applied, as a
     * lang: restriction in the query does: one post has "jardin", in
     * French passages only. */
    const struct {
        trouve_lang_t lang;
        const char *query;
        uint64_t estimated;
    } estimates[] = {
        {TROUVE_LANG_UNKNOWN, "jardin", 1},
        {TROUVE_LANG_FR, "jardin", 1},
        {TROUVE_LANG_EN, "jardin", 0},
        {TROUVE_LANG_UNKNOWN, "lang:en jardin", 0},
    };
    for (size_t i = 0; i < sizeof estimates / sizeof *estimates; i++) {
        so.lang = estimates[i].lang;
        res = NULL;
        CHECK(trouve_search(ix, estimates[i].query, &so, &res) ==
                  TROUVE_STATUS_OK &&
              trouve_results_estimated(res) == estimates[i].estimated);
        trouve_results_free(res);
    }

    CHECK(trouve_results_estimated(NULL) == 0 &&
          trouve_results_count(NULL) == 0 &&
          trouve_results_suggestion(NULL) == NULL);

    trouve_stats_t st, later;
    CHECK(trouve_index_stats(ix, &st) == TROUVE_STATUS_OK);
    CHECK(st.posts == 6 && st.passages ==
          st.passages_en + st.passages_fr +
              (st.passages - st.passages_en - st.passages_fr));
    CHECK(st.shards == 2 && st.bytes > 0);

    /* Stats are the snapshot's, every figure: the index removed under the
     * handle changes none of them (the shards and bytes were the disk's
     * at the call: 0 of each beside 6 posts). */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
    CHECK(trouve_index_stats(ix, &later) == TROUVE_STATUS_OK);
    CHECK(later.posts == st.posts && later.terms == st.terms &&
          later.shards == st.shards && later.bytes == st.bytes);
    trouve_index_close(ix);

    /* A read handle is a snapshot until trouve_index_reopen(). */
    char posts[300], post[340], path2[300];
    snprintf(posts, sizeof posts, "%s/posts", dir);
    snprintf(post, sizeof post, "%s/kite.txt", posts);
    snprintf(path2, sizeof path2, "%s/index2", dir);
    const char *roots2[] = {posts};
    FILE *f = NULL;
    CHECK(mkdir(posts, 0777) == 0 && (f = fopen(post, "w")) != NULL);
    if (f) {
        fputs("A yellow kite over the harbour.\n", f);
        fclose(f);
    }
    CHECK(trouve_index_open(path2, TROUVE_OPEN_WRITE, &w1, NULL) ==
          TROUVE_STATUS_OK);
    /* a write handle on a new index: no folders yet, not an error */
    CHECK(trouve_index_roots(w1, &folders, &nfolders) == TROUVE_STATUS_OK &&
          nfolders == 0 && folders[0] == NULL);
    trouve_roots_free(folders);
    CHECK(trouve_index_paths(w1, roots2, 1, NULL, NULL) == TROUVE_STATUS_OK);
    trouve_index_t *r = NULL;
    CHECK(trouve_index_open(path2, TROUVE_OPEN_READ, &r, NULL) ==
          TROUVE_STATUS_OK);
    CHECK(count_hits(r, "harbour") == 1 && count_hits(r, "gull") == 0);
    if ((f = fopen(post, "a")) != NULL) {
        fputs("\nA gull sits on it.\n", f);
        fclose(f);
    }
    CHECK(trouve_index_paths(w1, roots2, 1, NULL, NULL) == TROUVE_STATUS_OK);
    CHECK(count_hits(r, "gull") == 0);        /* the snapshot */
    CHECK(trouve_index_reopen(r) == TROUVE_STATUS_OK);
    CHECK(count_hits(r, "gull") == 1);        /* the commit */
    CHECK(trouve_index_reopen(NULL) == TROUVE_STATUS_INVALID_ARGUMENT);

    /* A snapshot that commits overtook, on shard folders that compactions
     * then replaced and removed: its next search starts over through the
     * stub and sees the latest commit, where reopening the old folders in
     * place failed (a commit per post, and trees deep enough that blocks
     * it reads were rewritten meanwhile). */
    char name[340];
    for (int i = 0; i < 24; i++) {
        snprintf(name, sizeof name, "%s/lantern%d.txt", posts, i);
        if ((f = fopen(name, "w")) != NULL) {
            fputs("A lantern by the harbour.\n", f);
            for (int w = 0; w < 400; w++) /* words enough for deep trees */
                fprintf(f, "%c%c%c%c ", 'a' + i % 26, 'a' + w / 676,
                        'a' + w / 26 % 26, 'a' + w % 26);
            fclose(f);
        }
    }
    setenv("TROUVE_BATCH_POSTS", "1", 1);
    CHECK(trouve_index_paths(w1, roots2, 1, NULL, NULL) == TROUVE_STATUS_OK);
    CHECK(trouve_index_reopen(r) == TROUVE_STATUS_OK);
    CHECK(count_hits(r, "lantern") == 10);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 24; i++) {
            snprintf(name, sizeof name, "%s/lantern%d.txt", posts, i);
            if ((f = fopen(name, "a")) != NULL) {
                fprintf(f, "Round %d: a tern.\n", round);
                fclose(f);
            }
        }
        CHECK(trouve_index_paths(w1, roots2, 1, NULL, NULL) ==
              TROUVE_STATUS_OK);
    }
    unsetenv("TROUVE_BATCH_POSTS");
    CHECK(count_hits(r, "tern") == 10);

    /* A limit of SIZE_MAX means all the hits, not the few that an
     * overflowing offset + limit left (it gave 50 posts of 60). */
    for (int i = 0; i < 60; i++) {
        snprintf(name, sizeof name, "%s/zorglub%d.txt", posts, i);
        if ((f = fopen(name, "w")) != NULL) {
            fprintf(f, "Zorglub post number %d.\n", i);
            fclose(f);
        }
    }
    CHECK(trouve_index_paths(w1, roots2, 1, NULL, NULL) == TROUVE_STATUS_OK);
    CHECK(trouve_index_reopen(r) == TROUVE_STATUS_OK);
    trouve_search_options_t all;
    trouve_search_options_init(&all);
    all.per_post = 1;
    all.limit = SIZE_MAX;
    res = NULL;
    CHECK(trouve_search(r, "zorglub", &all, &res) == TROUVE_STATUS_OK &&
          trouve_results_count(res) == 60);
    trouve_results_free(res);

    /* A write handle sees what it commits, also after a compaction
     * switched its shard folders (its reader, reopened in place, stayed
     * on the old folders and saw no later commit). */
    CHECK(count_hits(w1, "zorglub") == 10);
    trouve_stats_t ws, rs, rs_later;
    CHECK(trouve_index_stats(r, &rs) == TROUVE_STATUS_OK);
    CHECK(trouve_index_compact(w1) == TROUVE_STATUS_OK);
    /* the writer counts the one shard it has now; the reader, its
     * snapshot's */
    CHECK(trouve_index_stats(w1, &ws) == TROUVE_STATUS_OK && ws.shards == 1);
    CHECK(trouve_index_stats(r, &rs_later) == TROUVE_STATUS_OK &&
          rs_later.shards == rs.shards && rs_later.posts == rs.posts &&
          rs_later.bytes == rs.bytes);
    snprintf(name, sizeof name, "%s/quokka.txt", posts);
    if ((f = fopen(name, "w")) != NULL) {
        fputs("A quokka on the pier.\n", f);
        fclose(f);
    }
    CHECK(trouve_index_paths(w1, roots2, 1, NULL, NULL) == TROUVE_STATUS_OK);
    CHECK(count_hits(w1, "quokka") == 1);
    trouve_index_close(r);
    trouve_index_close(w1);

    /* Analysis needs no index. */
    int n = 0;
    CHECK(trouve_analyze("L’avion est là", strlen("L’avion est là"),
                         count_tokens, &n) == TROUVE_STATUS_OK);
    CHECK(n == 4);

    CHECK(!strcmp(trouve_status_to_string(TROUVE_STATUS_OK), "success"));
    CHECK(!strcmp(trouve_status_to_string((trouve_status_t)9999),
                  "unknown status"));
    CHECK(strlen(trouve_version()) >= 5);
    return finish(dir);
}
