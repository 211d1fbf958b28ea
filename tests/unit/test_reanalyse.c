/*
 * test_reanalyse.c - a post analysed under another ANALYSIS_VERSION is read
 * again by the next run, though its file did not change.
 *
 * A post is indexed, then its stamp is rewritten as an index made before
 * the stamp carried the version would hold it (20 bytes: version 0); the
 * next run updates it (and with it the terms of this analysis: C++ was
 * the term c under version 0), the run after that leaves it alone.
 */
#include "unit.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "lib/private.h"
#include "lib/store.h"
#include "trouve.h"
#include "xapian/xapian_c.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return unit_make_dir(dir, sizeof dir, "reanalyse");
}

static int teardown(void **state)
{
    (void)state;
    return unit_remove_dir(dir);
}

static trouve_index_t *open_index(const char *index, trouve_open_mode_t mode)
{
    trouve_index_t *ix;
    char *msg = NULL;
    assert_int_equal(trouve_index_open(index, mode, &ix, &msg),
                     TROUVE_STATUS_OK);
    return ix;
}

/* One run over the posts with one shard; its summary. */
static trouve_index_summary_t run(const char *index, const char *posts)
{
    trouve_index_t *ix = open_index(index, TROUVE_OPEN_WRITE);
    trouve_index_options_t o;
    trouve_index_options_init(&o);
    o.jobs = 1;
    trouve_index_summary_t sum;
    assert_int_equal(trouve_index_paths(ix, &posts, 1, &o, &sum),
                     TROUVE_STATUS_OK);
    trouve_index_close(ix);
    return sum;
}

/* The number of hits (passages) of `query`. */
static size_t hits(const char *index, const char *query)
{
    trouve_index_t *ix = open_index(index, TROUVE_OPEN_READ);
    trouve_search_options_t o;
    trouve_search_options_init(&o);
    trouve_results_t *r;
    assert_int_equal(trouve_search(ix, query, &o, &r), TROUVE_STATUS_OK);
    size_t n = trouve_results_count(r);
    trouve_results_free(r);
    trouve_index_close(ix);
    return n;
}

/* Rewrites the stamp of the index's only post (docid 1 of its only
 * shard, named by the stub) as a stamp of version 0: its first 20 bytes. */
static void make_stamp_old(const char *index)
{
    char stub[512], line[256], shard[1024], msg[256];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", index);
    FILE *f = fopen(stub, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    assert_true(!strncmp(line, "auto ", 5));
    snprintf(shard, sizeof shard, "%s/%s", index, line + 5);

    xap_db_t *db;
    assert_int_equal(xap_db_open(shard, XAP_DB_WRITE, &db, msg, sizeof msg),
                     XAP_OK);
    char *v;
    size_t len;
    assert_int_equal(xap_db_get_value(db, 1, SLOT_STAMP, &v, &len), XAP_OK);
    post_stamp_t st;
    assert_int_equal(stamp_decode(v, len, &st), 0);
    assert_int_equal(st.analysis, ANALYSIS_VERSION);
    assert_int_equal(xap_db_set_doc_value(db, 1, SLOT_STAMP, v, 20), XAP_OK);
    free(v);
    assert_int_equal(xap_db_commit(db), XAP_OK);
    xap_db_close(db);
}

static void test_old_analysis_is_read_again(void **state)
{
    (void)state;
    char posts[300], post[320], index[300];
    snprintf(posts, sizeof posts, "%s/posts", dir);
    snprintf(post, sizeof post, "%s/cpp.txt", posts);
    snprintf(index, sizeof index, "%s/index", dir);
    assert_int_equal(mkdir(posts, 0755), 0);
    FILE *f = fopen(post, "w");
    assert_non_null(f);
    fputs("We write C++ every day.\n", f);
    fclose(f);
    /* an old file: its stamp keeps its time (not a racy one) */
    struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, post, old, 0), 0);

    trouve_index_summary_t s = run(index, posts);
    assert_int_equal(s.added, 1);
    s = run(index, posts);
    assert_int_equal(s.unchanged, 1);

    make_stamp_old(index);
    s = run(index, posts);
    assert_int_equal(s.updated, 1);
    assert_int_equal(s.unchanged, 0);
    assert_int_equal(hits(index, "C++"), 1);
    s = run(index, posts);
    assert_int_equal(s.unchanged, 1);
    assert_int_equal(s.updated, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_analysis_is_read_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
