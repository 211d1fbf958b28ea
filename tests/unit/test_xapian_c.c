/*
 * test_xapian_c.c - the xapian-c wrapper against real databases.
 *
 * Every test writes real glass databases under one mkdtemp() folder,
 * removed at the end.  No mocks.  Opens of damaged indexes run in a forked
 * child, so a crash inside libxapian fails the test instead of killing the
 * run.  The remote-shard test starts xapian-tcpsrv on a free loopback port
 * in its own process group and kills that group whatever happens.
 *
 * Layout of the folder (built by the group setup, read by the tests):
 *
 *   combined/          all of CORPUS in one database
 *   shards/shard0      CORPUS documents 0, 2, 4, ...   synonym car -> auto
 *   shards/shard1      CORPUS documents 1, 3, 5, ...   synonym car -> voiture
 *   shards/XAPIANDB    "auto shard0" / "auto shard1"
 *   big/               3,000 documents, for the damaged-index cases
 *   <test name>...     whatever one test needs for itself
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#define _XOPEN_SOURCE 700       /* nftw */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>


#include "unit.h"
#include "xapian/xapian_c.h"

/* ------------------------------------------------------------------ */
/* Fixtures and helpers                                                */

static char g_root[256];        /* the mkdtemp() folder */
static pid_t g_tcpsrv = -1;     /* a running xapian-tcpsrv (group leader) */

/* CORPUS[i] becomes document "Q<i>": one posting per word, position = word
 * ordinal from 1, data = the text, value 0 = the id, value 1 = "v<i>". */
static const char *const CORPUS[] = {
    "the quick brown fox jumps over the lazy dog",
    "quick fox",
    "the brown dog sleeps",
    "fox brown quick",
    "lazy cat",
    "a dog and a fox and a dog again",
    "the cat sat on the mat",
    "brown bread and brown butter",
};
#define NCORPUS (sizeof CORPUS / sizeof CORPUS[0])

#define assert_status(got, want, msg)                                       \
    do {                                                                    \
        xap_status_t got_ = (got), want_ = (want);                          \
        if (got_ != want_) {                                                \
            print_error("%s:%d: got %s, want %s: %s\n", __FILE__, __LINE__, \
                        xap_status_name(got_), xap_status_name(want_),      \
                        (msg));                                             \
            fail();                                                         \
        }                                                                   \
    } while (0)

#define assert_ok(got, db) assert_status((got), XAP_OK, xap_db_message(db))

#define assert_near(a, b)                                                   \
    do {                                                                    \
        double a_ = (a), b_ = (b);                                          \
        if (!(fabs(a_ - b_) <= 1e-9 * (1 + fabs(b_)))) {                    \
            print_error("%s:%d: %.15g != %.15g\n", __FILE__, __LINE__, a_,  \
                        b_);                                                \
            fail();                                                         \
        }                                                                   \
    } while (0)

/* root/name into buf. */
static const char *in_root(char *buf, size_t sz, const char *name)
{
    snprintf(buf, sz, "%s/%s", g_root, name);
    return buf;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text)
{
    write_file(path, text, strlen(text));
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Copies the flat folder `from` (a glass database) to `to`. */
static void copy_dir(const char *from, const char *to)
{
    DIR *d = opendir(from);
    struct dirent *e;
    assert_non_null(d);
    assert_int_equal(mkdir(to, 0755), 0);
    while ((e = readdir(d))) {
        char src[1024], dst[1024], buf[8192];
        if (e->d_name[0] == '.')
            continue;
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
        assert_non_null(in);
        assert_non_null(out);
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            assert_int_equal(fwrite(buf, 1, n, out), n);
        fclose(in);
        assert_int_equal(fclose(out), 0);
    }
    closedir(d);
}

static xap_doc_t *corpus_doc(size_t i)
{
    char id[32], val[32];
    xap_doc_t *doc = xap_doc_new();
    assert_non_null(doc);
    snprintf(id, sizeof id, "Q%zu", i);
    assert_int_equal(xap_doc_add_boolean_term(doc, id, strlen(id)), XAP_OK);
    const char *w = CORPUS[i];
    uint32_t pos = 1;
    while (*w) {
        size_t n = strcspn(w, " ");
        assert_int_equal(xap_doc_add_posting(doc, w, n, pos++, 1), XAP_OK);
        w += n + (w[n] == ' ');
    }
    assert_int_equal(xap_doc_set_data(doc, CORPUS[i], strlen(CORPUS[i])),
                     XAP_OK);
    assert_int_equal(xap_doc_set_value(doc, 0, id, strlen(id)), XAP_OK);
    snprintf(val, sizeof val, "v%zu", i);
    assert_int_equal(xap_doc_set_value(doc, 1, val, strlen(val)), XAP_OK);
    return doc;
}

/* Writes CORPUS[i] for i % step == offset into a new database at path. */
static void build_corpus_db(const char *path, size_t step, size_t offset,
                            const char *synonym)
{
    xap_db_t *db;
    char msg[512];
    assert_status(xap_db_open(path, XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);
    for (size_t i = offset; i < NCORPUS; i += step) {
        xap_doc_t *doc = corpus_doc(i);
        char id[32];
        snprintf(id, sizeof id, "Q%zu", i);
        assert_ok(xap_db_replace(db, id, strlen(id), doc), db);
        xap_doc_free(doc);
    }
    if (synonym)
        assert_ok(xap_db_add_synonym(db, "car", 3, synonym, strlen(synonym)),
                  db);
    assert_ok(xap_db_commit(db), db);
    xap_db_close(db);
}

static xap_db_t *open_read(const char *path)
{
    xap_db_t *db = NULL;
    char msg[512];
    assert_status(xap_db_open(path, XAP_DB_READ, &db, msg, sizeof msg),
                  XAP_OK, msg);
    return db;
}

/* Builds the big database: 3,000 documents, each with "hello", its own
 * term, positions and 200 bytes of data, so every table has many blocks. */
static void build_big_db(const char *path)
{
    xap_db_t *db;
    char msg[512];
    assert_status(xap_db_open(path, XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);
    for (unsigned i = 0; i < 3000; i++) {
        char term[32], data[256];
        xap_doc_t *doc = xap_doc_new();
        assert_non_null(doc);
        snprintf(term, sizeof term, "w%u", i);
        assert_int_equal(xap_doc_add_posting(doc, "hello", 5, 1, 1), XAP_OK);
        assert_int_equal(xap_doc_add_posting(doc, term, strlen(term), 2, 1),
                         XAP_OK);
        int n = snprintf(data, sizeof data, "document %u of the big "
                         "database, with some words to store: %u %u %u",
                         i, i * 7919u, i * 104729u, i * 1299709u);
        assert_int_equal(xap_doc_set_data(doc, data, (size_t)n), XAP_OK);
        assert_int_equal(xap_doc_set_value(doc, 0, term, strlen(term)),
                         XAP_OK);
        assert_ok(xap_db_add(db, doc, NULL), db);
        xap_doc_free(doc);
    }
    assert_ok(xap_db_commit(db), db);
    xap_db_close(db);
}

static int setup_group(void **state)
{
    char p[512];
    (void)state;
    snprintf(g_root, sizeof g_root, "/tmp/trouve-xapc-XXXXXX");
    if (!mkdtemp(g_root))
        return -1;
    build_corpus_db(in_root(p, sizeof p, "combined"), 1, 0, NULL);
    mkdir(in_root(p, sizeof p, "shards"), 0755);
    build_corpus_db(in_root(p, sizeof p, "shards/shard0"), 2, 0, "auto");
    build_corpus_db(in_root(p, sizeof p, "shards/shard1"), 2, 1, "voiture");
    write_text(in_root(p, sizeof p, "shards/XAPIANDB"),
               "auto shard0\nauto shard1\n");
    build_big_db(in_root(p, sizeof p, "big"));
    return 0;
}

static void stop_tcpsrv(void)
{
    if (g_tcpsrv > 0) {
        kill(-g_tcpsrv, SIGKILL);   /* the server and its connections */
        waitpid(g_tcpsrv, NULL, 0);
        g_tcpsrv = -1;
    }
}

static int teardown_group(void **state)
{
    (void)state;
    stop_tcpsrv();
    if (g_root[0])
        remove_tree(g_root);
    return 0;
}

static int teardown_tcpsrv(void **state)
{
    (void)state;
    stop_tcpsrv();
    return 0;
}

/* Collects terms handed to an xap_term_fn, "a,b,c" in order. */
struct term_list {
    char text[2048];
    size_t n;                   /* terms seen */
    uint32_t freq[64];          /* termfreq (or wdf) of the first 64 */
    size_t stop_after;          /* return 1 after this many (0: never) */
};

static int collect_term(const char *term, size_t len, uint32_t freq,
                        void *ctx)
{
    struct term_list *l = ctx;
    size_t at = strlen(l->text);
    snprintf(l->text + at, sizeof l->text - at, "%s%.*s", l->n ? "," : "",
             (int)len, term);
    if (l->n < 64)
        l->freq[l->n] = freq;
    l->n++;
    return l->stop_after && l->n >= l->stop_after;
}

/* One hit: its id (value 0) and weight. */
struct hit {
    char id[16];
    double weight;
};

/* Runs q on db (top 100) into hits (sorted by weight, as returned). */
static size_t search(xap_db_t *db, const xap_query_t *q,
                     const xap_bm25_t *params, struct hit *hits, size_t max)
{
    xap_mset_t *m = NULL;
    assert_non_null(q);
    assert_ok(xap_enquire(db, q, params, 0, 100, 100, &m), db);
    size_t n = xap_mset_size(m);
    assert_true(n <= max);
    for (size_t i = 0; i < n; i++) {
        char *v;
        size_t len;
        assert_ok(xap_db_get_value(db, xap_mset_docid(m, i), 0, &v, &len),
                  db);
        assert_non_null(v);
        snprintf(hits[i].id, sizeof hits[i].id, "%s", v);
        hits[i].weight = xap_mset_weight(m, i);
        free(v);
    }
    xap_mset_free(m);
    return n;
}

static int compare_hit_ids(const void *a, const void *b)
{
    return strcmp(((const struct hit *)a)->id, ((const struct hit *)b)->id);
}

/* The ids of q's hits on db, sorted, as "Q1,Q3". */
static const char *hit_ids(xap_db_t *db, const xap_query_t *q, char *buf,
                           size_t sz)
{
    struct hit hits[NCORPUS];
    size_t n = search(db, q, NULL, hits, NCORPUS);
    qsort(hits, n, sizeof *hits, compare_hit_ids);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t at = strlen(buf);
        snprintf(buf + at, sz - at, "%s%s", i ? "," : "", hits[i].id);
    }
    return buf;
}

/* Asserts that q gives the same hits with the same weights on a and b. */
static void assert_same_results(xap_db_t *a, xap_db_t *b,
                                const xap_query_t *q)
{
    struct hit ha[NCORPUS], hb[NCORPUS];
    size_t na = search(a, q, NULL, ha, NCORPUS);
    size_t nb = search(b, q, NULL, hb, NCORPUS);
    assert_int_equal(na, nb);
    assert_true(na > 0);
    qsort(ha, na, sizeof *ha, compare_hit_ids);
    qsort(hb, nb, sizeof *hb, compare_hit_ids);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(ha[i].id, hb[i].id);
        assert_near(ha[i].weight, hb[i].weight);
    }
}

static xap_query_t *term(const char *t)
{
    xap_query_t *q = xap_query_term(t, strlen(t), 1);
    assert_non_null(q);
    return q;
}

/* op over two terms. */
static xap_query_t *pair(xap_op_t op, const char *t1, const char *t2,
                         unsigned window)
{
    xap_query_t *subs[2] = { term(t1), term(t2) };
    xap_query_t *q = xap_query_combine(op, subs, 2, window);
    assert_non_null(q);
    xap_query_free(subs[0]);
    xap_query_free(subs[1]);
    return q;
}

/* The queries compared across shard layouts. */
static xap_query_t *sample_query(int i)
{
    switch (i) {
    case 0: return term("fox");
    case 1: return pair(XAP_OP_OR, "dog", "brown", 0);
    case 2: return pair(XAP_OP_AND, "the", "dog", 0);
    case 3: return pair(XAP_OP_PHRASE, "brown", "fox", 0);
    default: return pair(XAP_OP_SYNONYM, "cat", "dog", 0);
    }
}
#define NSAMPLES 5

/* ------------------------------------------------------------------ */
/* Basics: statuses, write, read back                                  */

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(xap_status_name(XAP_OK), "XAP_OK");
    assert_string_equal(xap_status_name(XAP_LOCKED), "XAP_LOCKED");
    assert_string_equal(xap_status_name(XAP_ERROR), "XAP_ERROR");
    for (int s = XAP_OK; s < XAP_LAST; s++)
        assert_true(strncmp(xap_status_name((xap_status_t)s), "XAP_", 4)
                    == 0 && strcmp(xap_status_name((xap_status_t)s),
                                   "XAP_?") != 0);
    assert_string_equal(xap_status_name(XAP_LAST), "XAP_?");
    assert_true(strncmp(xap_version(), "1.4.", 4) == 0);
    assert_string_equal(xap_db_message(NULL), "");
    xap_db_close(NULL);         /* no-ops */
    xap_doc_free(NULL);
    xap_query_free(NULL);
    xap_mset_free(NULL);
    xap_stemmer_free(NULL);
}

static void test_write_commit_reopen(void **state)
{
    char p[512];
    xap_db_t *w, *r;
    uint32_t n, last;
    double avlen;
    (void)state;
    in_root(p, sizeof p, "wcr");
    build_corpus_db(p, 1, 0, NULL);
    r = open_read(p);
    assert_ok(xap_db_doccount(r, &n), r);
    assert_int_equal(n, NCORPUS);
    assert_ok(xap_db_lastdocid(r, &last), r);
    assert_int_equal(last, NCORPUS);
    assert_ok(xap_db_avlength(r, &avlen), r);
    assert_true(avlen > 2 && avlen < 10);
    assert_string_equal(xap_db_message(r), "");

    /* A writer adds, a reader sees it only after commit and reopen. */
    char msg[512];
    assert_status(xap_db_open(p, XAP_DB_WRITE, &w, msg, sizeof msg), XAP_OK,
                  msg);
    xap_doc_t *doc = xap_doc_new();
    assert_int_equal(xap_doc_add_boolean_term(doc, "Qnew", 4), XAP_OK);
    assert_ok(xap_db_replace(w, "Qnew", 4, doc), w);
    assert_ok(xap_db_doccount(w, &n), w);
    assert_int_equal(n, NCORPUS + 1);   /* the writer sees its change */
    assert_ok(xap_db_commit(w), w);
    assert_ok(xap_db_doccount(r, &n), r);
    assert_int_equal(n, NCORPUS);
    int changed = 0;
    assert_ok(xap_db_reopen(r, &changed), r);
    assert_true(changed);   /* a newer revision was there */
    assert_ok(xap_db_doccount(r, &n), r);
    assert_int_equal(n, NCORPUS + 1);
    assert_ok(xap_db_reopen(r, &changed), r);
    assert_false(changed);  /* and it is the latest now */

    /* Closing a writer drops what was not committed. */
    assert_ok(xap_db_delete(w, "Q0", 2), w);
    assert_ok(xap_db_add(w, doc, &last), w);
    assert_int_equal(last, NCORPUS + 2);
    xap_db_close(w);
    xap_doc_free(doc);
    xap_db_close(r);
    r = open_read(p);
    assert_ok(xap_db_doccount(r, &n), r);
    assert_int_equal(n, NCORPUS + 1);
    assert_ok(xap_db_find(r, "Q0", 2, &last), r);
    assert_int_equal(last, 1);
    xap_db_close(r);
}

static void test_replace_and_delete(void **state)
{
    char p[512];
    xap_db_t *db;
    uint32_t n, docid;
    (void)state;
    in_root(p, sizeof p, "replace");
    build_corpus_db(p, 1, 0, NULL);
    char msg[512];
    assert_status(xap_db_open(p, XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);

    /* Two replaces by the same id term leave one document, the last. */
    for (int round = 0; round < 2; round++) {
        xap_doc_t *doc = xap_doc_new();
        char text[32];
        int len = snprintf(text, sizeof text, "round %d", round);
        assert_int_equal(xap_doc_add_boolean_term(doc, "Qr", 2), XAP_OK);
        assert_int_equal(xap_doc_set_data(doc, text, (size_t)len), XAP_OK);
        assert_ok(xap_db_replace(db, "Qr", 2, doc), db);
        xap_doc_free(doc);
    }
    assert_ok(xap_db_commit(db), db);
    assert_ok(xap_db_termfreq(db, "Qr", 2, &n, NULL), db);
    assert_int_equal(n, 1);
    assert_ok(xap_db_find(db, "Qr", 2, &docid), db);
    char *data;
    size_t len;
    assert_ok(xap_db_get_data(db, docid, &data, &len), db);
    assert_string_equal(data, "round 1");
    assert_int_equal(len, 7);
    free(data);

    /* Replacing with a document that lacks the id term is refused. */
    xap_doc_t *bare = xap_doc_new();
    assert_int_equal(xap_doc_add_term(bare, "other", 5, 1), XAP_OK);
    assert_status(xap_db_replace(db, "Qr", 2, bare), XAP_INVALID, "");
    assert_non_null(strstr(xap_db_message(db), "id term"));
    xap_doc_free(bare);

    /* Delete by id term, and by docid. */
    assert_ok(xap_db_delete(db, "Q1", 2), db);
    assert_ok(xap_db_find(db, "Q1", 2, &docid), db);
    assert_int_equal(docid, 0);
    assert_ok(xap_db_find(db, "Q2", 2, &docid), db);
    assert_ok(xap_db_delete_docid(db, docid), db);
    assert_status(xap_db_delete_docid(db, docid), XAP_NOT_FOUND,
                  xap_db_message(db));
    assert_ok(xap_db_delete(db, "Qnothing", 8), db);   /* no-op */
    assert_ok(xap_db_commit(db), db);
    assert_ok(xap_db_doccount(db, &n), db);
    assert_int_equal(n, NCORPUS + 1 - 2);
    xap_db_close(db);

    /* Writes through a read-only handle are refused with a message. */
    db = open_read(p);
    xap_doc_t *doc = xap_doc_new();
    assert_status(xap_db_add(db, doc, &docid), XAP_INVALID, "");
    assert_non_null(strstr(xap_db_message(db), "not opened for writing"));
    assert_status(xap_db_commit(db), XAP_INVALID, "");
    assert_status(xap_db_set_metadata(db, "k", "v", 1), XAP_INVALID, "");
    assert_status(xap_db_add_synonym(db, "a", 1, "b", 1), XAP_INVALID, "");
    assert_status(xap_db_delete(db, "Q3", 2), XAP_INVALID, "");
    assert_status(xap_db_get_data(db, 9999, &data, &len), XAP_NOT_FOUND, "");
    assert_null(data);
    xap_doc_free(doc);
    xap_db_close(db);
}

static void test_document_terms(void **state)
{
    char p[512];
    xap_doc_t *doc = xap_doc_new();
    char long_term[XAP_MAX_TERM_LEN + 2];
    xap_db_t *db;
    (void)state;
    memset(long_term, 'a', sizeof long_term);
    assert_int_equal(xap_doc_add_posting(doc, "", 0, 1, 1), XAP_INVALID);
    assert_int_equal(xap_doc_add_term(doc, NULL, 0, 1), XAP_INVALID);
    assert_int_equal(xap_doc_add_boolean_term(doc, long_term,
                                              XAP_MAX_TERM_LEN + 1),
                     XAP_INVALID);
    assert_int_equal(xap_doc_add_posting(doc, long_term, XAP_MAX_TERM_LEN, 1,
                                         1), XAP_OK);
    assert_int_equal(xap_doc_add_boolean_term(doc, "Qlong", 5), XAP_OK);
    assert_int_equal(xap_doc_set_value(doc, 3, "", 0), XAP_OK);
    /* A term with a NUL byte is a term like another. */
    assert_int_equal(xap_doc_add_term(doc, "a\0b", 3, 2), XAP_OK);
    char msg[512];
    assert_status(xap_db_open(in_root(p, sizeof p, "terms"),
                              XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);
    assert_ok(xap_db_replace(db, "Qlong", 5, doc), db);
    assert_ok(xap_db_commit(db), db);
    uint32_t tf;
    uint64_t cf;
    assert_ok(xap_db_termfreq(db, long_term, XAP_MAX_TERM_LEN, &tf, &cf), db);
    assert_int_equal(tf, 1);
    assert_ok(xap_db_termfreq(db, "a\0b", 3, &tf, &cf), db);
    assert_int_equal(tf, 1);
    assert_int_equal(cf, 2);
    xap_doc_free(doc);
    xap_db_close(db);
}

static int collect_docid(uint32_t docid, void *ctx)
{
    struct term_list *l = ctx;
    char id[16];
    snprintf(id, sizeof id, "%u", docid);
    return collect_term(id, strlen(id), 0, ctx) || (l->n >= 100);
}

static int collect_value(uint32_t docid, const char *value, size_t len,
                         void *ctx)
{
    char item[64];
    snprintf(item, sizeof item, "%u=%.*s", docid, (int)len, value);
    return collect_term(item, strlen(item), 0, ctx);
}

static void test_reading(void **state)
{
    char p[512];
    xap_db_t *db;
    uint32_t docid, tf;
    uint64_t cf;
    char *s;
    size_t len;
    (void)state;
    db = open_read(in_root(p, sizeof p, "combined"));

    assert_ok(xap_db_find(db, "Q5", 2, &docid), db);
    assert_int_equal(docid, 6);
    assert_ok(xap_db_get_data(db, docid, &s, &len), db);
    assert_string_equal(s, CORPUS[5]);
    assert_int_equal(len, strlen(CORPUS[5]));
    free(s);
    assert_ok(xap_db_get_value(db, docid, 1, &s, &len), db);
    assert_string_equal(s, "v5");
    assert_int_equal(len, 2);
    free(s);
    assert_ok(xap_db_get_value(db, docid, 7, &s, &len), db);
    assert_null(s);
    assert_int_equal(len, 0);

    /* "a dog and a fox and a dog again": dog at 2 and 8. */
    uint32_t *pos;
    size_t count;
    assert_ok(xap_db_positions(db, docid, "dog", 3, &pos, &count), db);
    assert_int_equal(count, 2);
    assert_int_equal(pos[0], 2);
    assert_int_equal(pos[1], 8);
    free(pos);
    assert_ok(xap_db_positions(db, docid, "cat", 3, &pos, &count), db);
    assert_int_equal(count, 0);
    assert_null(pos);
    assert_ok(xap_db_positions(db, 9999, "dog", 3, &pos, &count), db);
    assert_int_equal(count, 0);

    /* Terms of the document, all and by prefix, with their wdf. */
    struct term_list l = { .n = 0 };
    assert_ok(xap_db_doc_terms(db, docid, "", 0, collect_term, &l), db);
    assert_string_equal(l.text, "Q5,a,again,and,dog,fox");
    assert_int_equal(l.freq[1], 3);     /* "a" three times */
    memset(&l, 0, sizeof l);
    assert_ok(xap_db_doc_terms(db, docid, "a", 1, collect_term, &l), db);
    assert_string_equal(l.text, "a,again,and");
    memset(&l, 0, sizeof l);
    assert_status(xap_db_doc_terms(db, 9999, "", 0, collect_term, &l),
                  XAP_NOT_FOUND, xap_db_message(db));

    /* Statistics and the vocabulary. */
    assert_ok(xap_db_termfreq(db, "brown", 5, &tf, &cf), db);
    assert_int_equal(tf, 4);
    assert_int_equal(cf, 5);
    assert_ok(xap_db_termfreq(db, "zebra", 5, &tf, &cf), db);
    assert_int_equal(tf, 0);
    assert_int_equal(cf, 0);
    memset(&l, 0, sizeof l);
    assert_ok(xap_db_allterms(db, "b", 1, collect_term, &l), db);
    assert_string_equal(l.text, "bread,brown,butter");
    assert_int_equal(l.freq[1], 4);
    memset(&l, 0, sizeof l);
    l.stop_after = 2;
    assert_ok(xap_db_allterms(db, "", 0, collect_term, &l), db);
    assert_string_equal(l.text, "Q0,Q1");

    /* Postings and value streams. */
    memset(&l, 0, sizeof l);
    assert_ok(xap_db_postings(db, "fox", 3, collect_docid, &l), db);
    assert_string_equal(l.text, "1,2,4,6");
    memset(&l, 0, sizeof l);
    l.stop_after = 3;
    assert_ok(xap_db_values(db, 1, collect_value, &l), db);
    assert_string_equal(l.text, "1=v0,2=v1,3=v2");
    xap_db_close(db);
}

static void test_metadata(void **state)
{
    char p[512], msg[512];
    xap_db_t *db;
    char *v;
    size_t len;
    (void)state;
    assert_status(xap_db_open(in_root(p, sizeof p, "meta"),
                              XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);
    assert_ok(xap_db_set_metadata(db, "schema", "3\0x", 3), db);
    assert_ok(xap_db_get_metadata(db, "schema", &v, &len), db);
    assert_int_equal(len, 3);
    assert_memory_equal(v, "3\0x", 4);  /* NUL-terminated too */
    free(v);
    assert_ok(xap_db_get_metadata(db, "unset", &v, &len), db);
    assert_null(v);
    assert_int_equal(len, 0);
    assert_status(xap_db_get_metadata(db, "", &v, &len), XAP_INVALID,
                  xap_db_message(db));
    assert_ok(xap_db_commit(db), db);
    xap_db_close(db);
    db = open_read(p);
    assert_ok(xap_db_get_metadata(db, "schema", &v, &len), db);
    assert_int_equal(len, 3);
    free(v);
    xap_db_close(db);
}

static void test_synonyms(void **state)
{
    char p[512], msg[512];
    xap_db_t *db;
    struct term_list l = { .n = 0 };
    (void)state;
    assert_status(xap_db_open(in_root(p, sizeof p, "syn"),
                              XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);
    assert_ok(xap_db_add_synonym(db, "tv", 2, "television", 10), db);
    assert_ok(xap_db_add_synonym(db, "tv", 2, "tele", 4), db);
    assert_ok(xap_db_add_synonym(db, "tv", 2, "tele", 4), db); /* once */
    assert_ok(xap_db_commit(db), db);
    xap_db_close(db);
    db = open_read(p);
    assert_ok(xap_db_synonyms(db, "tv", 2, collect_term, &l), db);
    assert_string_equal(l.text, "tele,television");
    memset(&l, 0, sizeof l);
    assert_ok(xap_db_synonyms(db, "radio", 5, collect_term, &l), db);
    assert_int_equal(l.n, 0);
    xap_db_close(db);
}

/* ------------------------------------------------------------------ */
/* Queries and ranking                                                 */

static void test_queries(void **state)
{
    char p[512], ids[256];
    xap_db_t *db;
    xap_query_t *q;
    (void)state;
    db = open_read(in_root(p, sizeof p, "combined"));

#define CHECK_IDS(query, want)                                       \
    do {                                                             \
        q = (query);                                                 \
        assert_string_equal(hit_ids(db, q, ids, sizeof ids), want);  \
        xap_query_free(q);                                           \
    } while (0)

    CHECK_IDS(term("fox"), "Q0,Q1,Q3,Q5");
    CHECK_IDS(pair(XAP_OP_AND, "brown", "dog", 0), "Q0,Q2");
    CHECK_IDS(pair(XAP_OP_OR, "cat", "sleeps", 0), "Q2,Q4,Q6");
    CHECK_IDS(pair(XAP_OP_AND_NOT, "fox", "lazy", 0), "Q1,Q3,Q5");
    CHECK_IDS(pair(XAP_OP_FILTER, "fox", "brown", 0), "Q0,Q3");
    CHECK_IDS(pair(XAP_OP_AND_MAYBE, "fox", "brown", 0), "Q0,Q1,Q3,Q5");
    CHECK_IDS(pair(XAP_OP_SYNONYM, "cat", "dog", 0), "Q0,Q2,Q4,Q5,Q6");
    CHECK_IDS(pair(XAP_OP_MAX, "cat", "dog", 0), "Q0,Q2,Q4,Q5,Q6");
    /* Phrases keep order; NEAR does not; window counts positions. */
    CHECK_IDS(pair(XAP_OP_PHRASE, "brown", "fox", 0), "Q0");
    CHECK_IDS(pair(XAP_OP_PHRASE, "quick", "fox", 0), "Q1");
    CHECK_IDS(pair(XAP_OP_PHRASE, "quick", "fox", 3), "Q0,Q1");
    CHECK_IDS(pair(XAP_OP_NEAR, "fox", "quick", 2), "Q1");
    CHECK_IDS(pair(XAP_OP_NEAR, "fox", "quick", 3), "Q0,Q1,Q3");
    CHECK_IDS(xap_query_wildcard("br", 2, 5), "Q0,Q2,Q3,Q7");
    CHECK_IDS(xap_query_all(), "Q0,Q1,Q2,Q3,Q4,Q5,Q6,Q7");
    CHECK_IDS(xap_query_none(), "");
    CHECK_IDS(xap_query_term("", 0, 1), "");   /* not match-all */

    /* Three subqueries: AND_NOT takes the first minus any of the rest. */
    xap_query_t *subs[3] = { term("fox"), term("lazy"), term("again") };
    CHECK_IDS(xap_query_combine(XAP_OP_AND_NOT, subs, 3, 0), "Q1,Q3");
    /* FILTER weighs only by the first. */
    struct hit a[NCORPUS], b[NCORPUS];
    q = xap_query_combine(XAP_OP_FILTER, subs, 2, 0);
    assert_int_equal(search(db, q, NULL, a, NCORPUS), 1);
    xap_query_free(q);
    assert_int_equal(search(db, subs[0], NULL, b, NCORPUS), 4);
    for (size_t i = 0; i < 4; i++)
        if (strcmp(b[i].id, a[0].id) == 0)
            assert_near(a[0].weight, b[i].weight);

    /* Scaling multiplies weights. */
    q = xap_query_scale(subs[0], 2.5);
    assert_int_equal(search(db, q, NULL, a, NCORPUS), 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(a[i].id, b[i].id);
        assert_near(a[i].weight, 2.5 * b[i].weight);
    }
    xap_query_free(q);

    /* Descriptions, emptiness, invalid arguments. */
    q = xap_query_combine(XAP_OP_AND, subs, 2, 0);
    char *d = xap_query_describe(q);
    assert_string_equal(d, "Query((fox AND lazy))");
    free(d);
    assert_false(xap_query_is_empty(q));
    xap_query_free(q);
    q = xap_query_none();
    assert_true(xap_query_is_empty(q));
    xap_query_free(q);
    assert_null(xap_query_scale(subs[0], -1));
    assert_null(xap_query_combine((xap_op_t)99, subs, 2, 0));
    xap_query_t *with_null[2] = { subs[0], NULL };
    assert_null(xap_query_combine(XAP_OP_OR, with_null, 2, 0));
    q = xap_query_combine(XAP_OP_OR, subs, 0, 0);
    assert_true(xap_query_is_empty(q));
    xap_query_free(q);
    for (int i = 0; i < 3; i++)
        xap_query_free(subs[i]);
#undef CHECK_IDS
    xap_db_close(db);
}

static void test_wildcard_cap(void **state)
{
    char p[512];
    xap_db_t *db;
    xap_mset_t *m = (xap_mset_t *)1;
    (void)state;
    db = open_read(in_root(p, sizeof p, "combined"));
    /* Q0..Q7: eight terms. */
    xap_query_t *q = xap_query_wildcard("Q", 1, 8);
    assert_ok(xap_enquire(db, q, NULL, 0, 10, 0, &m), db);
    assert_int_equal(xap_mset_size(m), NCORPUS);
    xap_mset_free(m);
    xap_query_free(q);
    q = xap_query_wildcard("Q", 1, 7);
    assert_status(xap_enquire(db, q, NULL, 0, 10, 0, &m), XAP_WILDCARD,
                  xap_db_message(db));
    assert_null(m);
    assert_non_null(strstr(xap_db_message(db), "Q*"));
    xap_query_free(q);
    xap_db_close(db);

    /* Xapian 1.4 counts the cap per shard: four Q terms in each of two
     * shards pass a cap of 7 although eight terms match in all. */
    db = open_read(in_root(p, sizeof p, "shards"));
    q = xap_query_wildcard("Q", 1, 7);
    assert_ok(xap_enquire(db, q, NULL, 0, 10, 0, &m), db);
    assert_int_equal(xap_mset_size(m), NCORPUS);
    xap_mset_free(m);
    xap_query_free(q);
    q = xap_query_wildcard("Q", 1, 3);
    assert_status(xap_enquire(db, q, NULL, 0, 10, 0, &m), XAP_WILDCARD,
                  xap_db_message(db));
    xap_query_free(q);
    xap_db_close(db);
}

/* BM25's term-frequency part for one document (the idf cancels out in
 * a ratio of two documents' weights for the same term). */
static double bm25_tf_part(const xap_bm25_t *p, double wdf, double len,
                           double avlen)
{
    double normlen = len / avlen;
    if (normlen < p->min_normlen)
        normlen = p->min_normlen;
    double k = p->k1 * ((1 - p->b) + p->b * normlen);
    return (p->k1 + 1) * wdf / (k + wdf);
}

static void test_bm25_ranking(void **state)
{
    static const char *const texts[] = {
        "apple apple banana",                           /* A */
        "apple banana cherry date elder fig grape",     /* B */
        "banana cherry",                                /* C */
        "apple",                                        /* D */
    };
    char p[512], msg[512];
    xap_db_t *db;
    (void)state;
    assert_status(xap_db_open(in_root(p, sizeof p, "bm25"),
                              XAP_DB_WRITE | XAP_DB_NOSYNC, &db, msg,
                              sizeof msg), XAP_OK, msg);
    for (int i = 0; i < 4; i++) {
        xap_doc_t *doc = xap_doc_new();
        char id[2] = { (char)('A' + i), 0 };
        const char *w = texts[i];
        uint32_t pos = 1;
        while (*w) {
            size_t n = strcspn(w, " ");
            assert_int_equal(xap_doc_add_posting(doc, w, n, pos++, 1), 0);
            w += n + (w[n] == ' ');
        }
        assert_int_equal(xap_doc_set_value(doc, 0, id, 1), XAP_OK);
        assert_ok(xap_db_add(db, doc, NULL), db);
        xap_doc_free(doc);
    }
    assert_ok(xap_db_commit(db), db);
    xap_db_close(db);
    db = open_read(p);

    /* Defaults (k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5): more
     * occurrences and shorter documents first. */
    struct hit h[4], h2[4];
    xap_query_t *q = term("apple");
    assert_int_equal(search(db, q, NULL, h, 4), 3);
    assert_string_equal(h[0].id, "A");
    assert_string_equal(h[1].id, "D");
    assert_string_equal(h[2].id, "B");
    xap_bm25_t defaults = { 1, 0, 1, 0.5, 0.5 };
    assert_int_equal(search(db, q, &defaults, h2, 4), 3);
    for (int i = 0; i < 3; i++)
        assert_near(h2[i].weight, h[i].weight);
    double avlen = (3 + 7 + 2 + 1) / 4.0;
    assert_near(h[0].weight / h[2].weight,
                bm25_tf_part(&defaults, 2, 3, avlen) /
                bm25_tf_part(&defaults, 1, 7, avlen));

    /* The parameters given are the ones used. */
    xap_bm25_t strong = { 2.0, 0, 1, 1.0, 0.1 };
    assert_int_equal(search(db, q, &strong, h2, 4), 3);
    assert_string_equal(h2[0].id, "D");     /* length matters more now */
    assert_near(h2[0].weight / h2[2].weight,
                bm25_tf_part(&strong, 1, 1, avlen) /
                bm25_tf_part(&strong, 1, 7, avlen));
    xap_mset_t *m;

    /* The mset: estimate, term statistics, matching terms, paging. */
    xap_query_t *subs[2] = { q, term("cherry") };
    xap_query_t *or = xap_query_combine(XAP_OP_OR, subs, 2, 0);
    assert_ok(xap_enquire(db, or, NULL, 0, 10, 0, &m), db);
    assert_int_equal(xap_mset_size(m), 4);
    assert_int_equal(xap_mset_estimated(m), 4);
    assert_int_equal(xap_mset_termfreq(m, "apple", 5), 3);
    assert_int_equal(xap_mset_termfreq(m, "cherry", 6), 2);
    for (size_t i = 0; i < 4; i++) {
        char *id;
        size_t len;
        struct term_list l = { .n = 0 };
        assert_ok(xap_db_get_value(db, xap_mset_docid(m, i), 0, &id, &len),
                  db);
        assert_ok(xap_mset_matching_terms(db, m, i, collect_term, &l), db);
        assert_string_equal(l.text, id[0] == 'B' ? "apple,cherry"
                                    : id[0] == 'C' ? "cherry" : "apple");
        free(id);
    }
    assert_int_equal(xap_mset_docid(m, 4), 0);      /* out of range */
    assert_true(xap_mset_weight(m, 4) == 0);
    assert_status(xap_mset_matching_terms(db, m, 9, collect_term, NULL),
                  XAP_INVALID, "");
    xap_mset_free(m);
    assert_ok(xap_enquire(db, or, NULL, 2, 10, 0, &m), db);
    assert_int_equal(xap_mset_size(m), 2);
    xap_mset_free(m);
    xap_query_free(or);
    xap_query_free(subs[1]);
    xap_query_free(q);
    xap_db_close(db);
}

/* ------------------------------------------------------------------ */
/* Locks, missing and damaged databases                                */

static void test_second_writer_locked(void **state)
{
    char p[512], msg[512];
    xap_db_t *w1, *w2 = (xap_db_t *)1, *r;
    (void)state;
    in_root(p, sizeof p, "locked");
    assert_status(xap_db_open(p, XAP_DB_WRITE, &w1, msg, sizeof msg),
                  XAP_OK, msg);
    assert_status(xap_db_open(p, XAP_DB_WRITE, &w2, msg, sizeof msg),
                  XAP_LOCKED, msg);
    assert_null(w2);
    /* "'<path>': database locked by another writer: Unable to get write
     * lock on <path>: already locked (DatabaseLockError)" */
    assert_non_null(strstr(msg, p));
    assert_non_null(strstr(msg, "lock"));
    assert_null(strchr(msg, '\n'));
    r = open_read(p);               /* readers are welcome */
    xap_db_close(r);
    xap_db_close(w1);
    assert_status(xap_db_open(p, XAP_DB_WRITE, &w2, msg, sizeof msg),
                  XAP_OK, msg);
    xap_db_close(w2);
}

/* Writes round r of the churn database: documents Q0..Q1999 replaced. */
static void churn_round(xap_db_t *w, int r)
{
    for (int i = 0; i < 2000; i++) {
        char id[16], t[32], data[160];
        xap_doc_t *doc = xap_doc_new();
        snprintf(id, sizeof id, "Q%d", i);
        snprintf(t, sizeof t, "r%dw%d", r, i);
        int n = snprintf(data, sizeof data, "round %d doc %d %0100d", r, i,
                         i);
        assert_int_equal(xap_doc_add_boolean_term(doc, id, strlen(id)), 0);
        assert_int_equal(xap_doc_add_posting(doc, "hello", 5, 1, 1), 0);
        assert_int_equal(xap_doc_add_posting(doc, t, strlen(t), 2, 1), 0);
        assert_int_equal(xap_doc_set_data(doc, data, (size_t)n), 0);
        assert_ok(xap_db_replace(w, id, strlen(id), doc), w);
        xap_doc_free(doc);
    }
    assert_ok(xap_db_commit(w), w);
}

static void test_reader_modified(void **state)
{
    char p[512], msg[512];
    xap_db_t *w, *r;
    (void)state;
    in_root(p, sizeof p, "churn");
    assert_status(xap_db_open(p, XAP_DB_WRITE | XAP_DB_NOSYNC, &w, msg,
                              sizeof msg), XAP_OK, msg);
    churn_round(w, 0);
    r = open_read(p);
    /* Glass keeps the reader's revision until two newer commits have
     * reused its blocks; then the reader must reopen and retry. */
    for (int round = 1; round < 4; round++)
        churn_round(w, round);
    xap_status_t st = XAP_OK;
    for (uint32_t id = 1; id <= 2000 && st == XAP_OK; id++) {
        char *data;
        size_t len;
        st = xap_db_get_data(r, id, &data, &len);
        free(data);
    }
    assert_status(st, XAP_MODIFIED, xap_db_message(r));
    assert_non_null(strstr(xap_db_message(r), "reopen"));
    xap_query_t *q = term("hello");
    xap_mset_t *m;
    assert_status(xap_enquire(r, q, NULL, 0, 10, 0, &m), XAP_MODIFIED,
                  xap_db_message(r));
    assert_ok(xap_db_reopen(r, NULL), r);
    assert_ok(xap_enquire(r, q, NULL, 0, 10, 0, &m), r);
    assert_int_equal(xap_mset_size(m), 10);
    xap_mset_free(m);
    xap_query_free(q);
    xap_db_close(r);
    xap_db_close(w);
}

static void test_open_missing(void **state)
{
    char p[512], msg[512];
    xap_db_t *db = (xap_db_t *)1;
    (void)state;
    in_root(p, sizeof p, "no/such/db");
    assert_status(xap_db_open(p, XAP_DB_READ, &db, msg, sizeof msg),
                  XAP_NOT_FOUND, msg);
    assert_null(db);
    assert_non_null(strstr(msg, p));
    /* A writer cannot create it either: no parent folder. */
    assert_status(xap_db_open(p, XAP_DB_WRITE, &db, msg, sizeof msg),
                  XAP_IO, msg);
    assert_status(xap_db_open("", XAP_DB_READ, &db, msg, sizeof msg),
                  XAP_INVALID, msg);
    /* A tiny message buffer is still NUL-terminated. */
    char tiny[8];
    assert_status(xap_db_open(p, XAP_DB_READ, &db, tiny, sizeof tiny),
                  XAP_NOT_FOUND, "");
    assert_int_equal(strlen(tiny), 7);
    assert_status(xap_db_open(p, XAP_DB_READ, &db, NULL, 0), XAP_NOT_FOUND,
                  "");
    /* A stub naming a missing shard. */
    in_root(p, sizeof p, "stub-missing-shard");
    write_text(p, "auto nowhere\n");
    assert_status(xap_db_open(p, XAP_DB_READ, &db, msg, sizeof msg),
                  XAP_NOT_FOUND, msg);
}

/* Ways to damage a copy of the big database. */
enum damage { NONE, MAKE_DIR, EMPTY_FILE, GARBAGE_FILE, TRUNCATE, ZERO,
              GARBAGE, REMOVE, FLIP };

struct damage_case {
    const char *name;
    enum damage how;
    const char *file;           /* in the database folder */
    long arg;                   /* TRUNCATE: size; FLIP: seed */
    int want;                   /* xap_status_t, or -1: anything but crash */
};

static const struct damage_case DAMAGE_CASES[] = {
    { "missing path",            NONE,         NULL, 0, XAP_NOT_FOUND },
    { "empty folder",            MAKE_DIR,     NULL, 0, XAP_NOT_FOUND },
    { "empty regular file",      EMPTY_FILE,   NULL, 0, XAP_CORRUPT },
    { "regular file of garbage", GARBAGE_FILE, NULL, 0, XAP_CORRUPT },
    { "iamglass truncated",      TRUNCATE, "iamglass", 20, XAP_CORRUPT },
    { "iamglass emptied",        TRUNCATE, "iamglass", 0, XAP_CORRUPT },
    { "iamglass zeroed",         ZERO,     "iamglass", 0, XAP_CORRUPT },
    { "iamglass garbage",        GARBAGE,  "iamglass", 0, XAP_CORRUPT },
    { "iamglass missing",        REMOVE,   "iamglass", 0, XAP_CORRUPT },
    { "postlist zeroed",         ZERO,     "postlist.glass", 0, XAP_CORRUPT },
    { "postlist garbage",        GARBAGE,  "postlist.glass", 0, XAP_CORRUPT },
    { "postlist truncated",      TRUNCATE, "postlist.glass", 4096,
      XAP_CORRUPT },
    { "postlist emptied",        TRUNCATE, "postlist.glass", 0, XAP_CORRUPT },
    { "postlist missing",        REMOVE,   "postlist.glass", 0, XAP_CORRUPT },
    { "docdata zeroed",          ZERO,     "docdata.glass", 0, XAP_CORRUPT },
    { "docdata garbage",         GARBAGE,  "docdata.glass", 0, XAP_CORRUPT },
    { "docdata truncated",       TRUNCATE, "docdata.glass", 8192,
      XAP_CORRUPT },
    { "termlist garbage",        GARBAGE,  "termlist.glass", 0, XAP_CORRUPT },
    { "termlist truncated",      TRUNCATE, "termlist.glass", 8192,
      XAP_CORRUPT },
    { "position zeroed",         ZERO,     "position.glass", 0, XAP_CORRUPT },
    { "position truncated",      TRUNCATE, "position.glass", 8192,
      XAP_CORRUPT },
    /* Glass treats these tables as optional: a missing one reads as
     * empty.  No error; the data or positions are just gone. */
    { "docdata missing",         REMOVE,   "docdata.glass", 0, XAP_OK },
    /* ...but a missing termlist fails where a termlist is read. */
    { "termlist missing",        REMOVE,   "termlist.glass", 0, XAP_CORRUPT },
    { "position missing",        REMOVE,   "position.glass", 0, XAP_OK },
    /* Random bit flips: whatever Xapian notices, never a crash. */
    { "flips in postlist",       FLIP,     "postlist.glass", 1, -1 },
    { "flips in postlist",       FLIP,     "postlist.glass", 2, -1 },
    { "flips in docdata",        FLIP,     "docdata.glass", 3, -1 },
    { "flips in docdata",        FLIP,     "docdata.glass", 4, -1 },
    { "flips in termlist",       FLIP,     "termlist.glass", 5, -1 },
    { "flips in position",       FLIP,     "position.glass", 6, -1 },
    { "flips in iamglass",       FLIP,     "iamglass", 7, -1 },
    { "flips in iamglass",       FLIP,     "iamglass", 8, -1 },
};

static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* Overwrites file with its size of zeros (seed 0) or pseudo-random bytes,
 * or flips `flips` random bits. */
static void scribble(const char *file, uint32_t seed, int flips)
{
    FILE *f = fopen(file, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    assert_true(size > 0);
    if (flips) {
        for (int i = 0; i < flips; i++) {
            long at = (long)(next_random(&seed) % (uint32_t)size);
            fseek(f, at, SEEK_SET);
            int c = fgetc(f);
            fseek(f, at, SEEK_SET);
            fputc(c ^ (1 << (next_random(&seed) % 8)), f);
        }
    } else {
        fseek(f, 0, SEEK_SET);
        for (long i = 0; i < size; i++)
            fputc(seed ? (int)(next_random(&seed) & 0xff) : 0, f);
    }
    assert_int_equal(fclose(f), 0);
}

static void make_damaged(const struct damage_case *c, const char *path)
{
    char file[600], src[512];
    if (c->file)
        snprintf(file, sizeof file, "%s/%s", path, c->file);
    switch (c->how) {
    case NONE:
        return;
    case MAKE_DIR:
        assert_int_equal(mkdir(path, 0755), 0);
        return;
    case EMPTY_FILE:
        write_text(path, "");
        return;
    case GARBAGE_FILE:
        write_file(path, "\x7f" "ELF\x02\x01 garbage\n\x01\x02",
                   sizeof "\x7f" "ELF\x02\x01 garbage\n\x01\x02" - 1);
        return;
    default:
        break;
    }
    copy_dir(in_root(src, sizeof src, "big"), path);
    switch (c->how) {
    case TRUNCATE: assert_int_equal(truncate(file, c->arg), 0); break;
    case ZERO:     scribble(file, 0, 0); break;
    case GARBAGE:  scribble(file, 12345, 0); break;
    case REMOVE:   assert_int_equal(unlink(file), 0); break;
    case FLIP:     scribble(file, (uint32_t)c->arg * 7919u, 24); break;
    default:       break;
    }
}

/* In the child: everything a search does, stopping at the first error. */
static xap_status_t exercise_index(const char *path, char *msg, size_t sz)
{
    xap_db_t *db;
    xap_status_t st = xap_db_open(path, XAP_DB_READ, &db, msg, sz);
    if (st != XAP_OK)
        return st;
    uint32_t n;
    xap_mset_t *m = NULL;
    xap_query_t *q = xap_query_term("hello", 5, 1);
    struct term_list l = { .n = 0 };
    if ((st = xap_db_doccount(db, &n)) == XAP_OK &&
        (st = xap_enquire(db, q, NULL, 0, 50, 100, &m)) == XAP_OK) {
        for (size_t i = 0; st == XAP_OK && i < xap_mset_size(m); i++) {
            char *data;
            size_t len, count;
            uint32_t *pos;
            uint32_t docid = xap_mset_docid(m, i);
            st = xap_db_get_data(db, docid, &data, &len);
            free(data);
            if (st == XAP_OK)
                st = xap_db_positions(db, docid, "hello", 5, &pos, &count);
            if (st == XAP_OK) {
                free(pos);
                memset(&l, 0, sizeof l);
                st = xap_mset_matching_terms(db, m, i, collect_term, &l);
            }
        }
    }
    if (st == XAP_OK) {
        memset(&l, 0, sizeof l);
        st = xap_db_allterms(db, "w1", 2, collect_term, &l);
    }
    snprintf(msg, sz, "%s", xap_db_message(db));
    xap_mset_free(m);
    xap_query_free(q);
    xap_db_close(db);
    return st;
}

static void test_damaged_indexes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof DAMAGE_CASES / sizeof DAMAGE_CASES[0];
         i++) {
        const struct damage_case *c = &DAMAGE_CASES[i];
        char path[512], name[64], msg[1024];
        snprintf(name, sizeof name, "damaged-%zu", i);
        in_root(path, sizeof path, name);
        make_damaged(c, path);

        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            xap_status_t st = exercise_index(path, msg, sizeof msg);
            ssize_t w = write(fds[1], msg, strlen(msg));
            (void)w;
            _exit((int)st);
        }
        close(fds[1]);
        ssize_t got = 0, r;
        while ((r = read(fds[0], msg + got, sizeof msg - 1 - (size_t)got))
               > 0)
            got += r;
        msg[got > 0 ? got : 0] = '\0';
        close(fds[0]);
        int ws;
        assert_int_equal(waitpid(pid, &ws, 0), pid);
        if (!WIFEXITED(ws)) {
            print_error("%s: the child died of signal %d\n", c->name,
                        WIFSIGNALED(ws) ? WTERMSIG(ws) : -1);
            fail();
        }
        xap_status_t st = (xap_status_t)WEXITSTATUS(ws);
        print_message("  %-24s %-14s %s\n", c->name, xap_status_name(st),
                      msg);
        if (c->want >= 0)
            assert_status(st, (xap_status_t)c->want, msg);
        assert_true(st < XAP_LAST);
        if (st != XAP_OK) {
            assert_true(msg[0] != '\0');
            assert_null(strchr(msg, '\n'));
        }
    }
}

/* ------------------------------------------------------------------ */
/* Shards: stub files, remote, compaction                              */

static void test_stub_two_shards(void **state)
{
    char p[512], stub[512];
    xap_db_t *one, *two, *viafile;
    uint32_t n;
    (void)state;
    one = open_read(in_root(p, sizeof p, "combined"));
    two = open_read(in_root(p, sizeof p, "shards"));  /* folder + XAPIANDB */
    viafile = open_read(in_root(stub, sizeof stub, "shards/XAPIANDB"));
    assert_ok(xap_db_doccount(two, &n), two);
    assert_int_equal(n, NCORPUS);
    assert_int_equal(xap_db_shards(one), 1);
    assert_int_equal(xap_db_shards(two), 2);

    /* Global statistics: the same BM25 weights as one database. */
    for (int i = 0; i < NSAMPLES; i++) {
        xap_query_t *q = sample_query(i);
        assert_same_results(one, two, q);
        assert_same_results(one, viafile, q);
        xap_query_free(q);
    }
    xap_mset_t *m;
    xap_query_t *q = term("brown");
    assert_ok(xap_enquire(two, q, NULL, 0, 10, 0, &m), two);
    assert_int_equal(xap_mset_termfreq(m, "brown", 5), 4);
    xap_mset_free(m);
    xap_query_free(q);

    /* Wildcards: Xapian 1.4 expands OP_WILDCARD in each shard, with
     * each shard's statistics, so its weights differ from one database's
     * ("b*" is brown in shard0, bread, brown and butter in shard1).
     * xap_db_expand_wildcard expands over all shards: same weights. */
    struct hit h1[NCORPUS], h2[NCORPUS];
    q = xap_query_wildcard("b", 1, 10);
    size_t n1 = search(one, q, NULL, h1, NCORPUS);
    size_t n2 = search(two, q, NULL, h2, NCORPUS);
    assert_int_equal(n1, n2);
    qsort(h1, n1, sizeof *h1, compare_hit_ids);
    qsort(h2, n2, sizeof *h2, compare_hit_ids);
    assert_string_equal(h1[0].id, h2[0].id);
    assert_true(fabs(h1[0].weight - h2[0].weight) > 0.1);
    xap_query_free(q);
    assert_ok(xap_db_expand_wildcard(two, "b", 1, 10, &q), two);
    char *d = xap_query_describe(q);
    assert_string_equal(d, "Query((bread SYNONYM brown SYNONYM butter))");
    free(d);
    assert_same_results(one, two, q);
    xap_query_free(q);
    q = xap_query_wildcard("b", 1, 10);
    assert_same_results(one, one, q);   /* one shard: the same */
    xap_query_free(q);
    /* The cap counts distinct terms over all shards. */
    assert_status(xap_db_expand_wildcard(two, "Q", 1, 7, &q), XAP_WILDCARD,
                  xap_db_message(two));
    assert_null(q);
    assert_non_null(strstr(xap_db_message(two), "'Q*'"));
    assert_ok(xap_db_expand_wildcard(two, "Q", 1, 8, &q), two);
    xap_query_free(q);
    assert_ok(xap_db_expand_wildcard(two, "zz", 2, 8, &q), two);
    assert_true(xap_query_is_empty(q));
    xap_query_free(q);

    /* Synonyms of each shard are merged. */
    struct term_list l = { .n = 0 };
    assert_ok(xap_db_synonyms(two, "car", 3, collect_term, &l), two);
    assert_string_equal(l.text, "auto,voiture");

    /* A stub one folder up with relative paths, and a stub naming a
     * stub (the folder holding XAPIANDB) next to a shard: three shards. */
    in_root(stub, sizeof stub, "up.stub");
    write_text(stub, "auto shards/shard0\nauto shards/shard1\n");
    xap_db_t *up = open_read(stub);
    assert_ok(xap_db_doccount(up, &n), up);
    assert_int_equal(n, NCORPUS);
    xap_db_close(up);
    in_root(stub, sizeof stub, "nested.stub");
    write_text(stub, "auto shards\nauto combined\n");
    up = open_read(stub);
    assert_ok(xap_db_doccount(up, &n), up);
    assert_int_equal(n, 2 * NCORPUS);
    assert_int_equal(xap_db_shards(up), 3);
    xap_db_close(up);
    xap_db_close(viafile);
    xap_db_close(two);
    xap_db_close(one);
}

/* A free TCP port on 127.0.0.1 (free when asked, at least). */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    assert_true(s >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
}

static int can_connect(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    close(s);
    return ok;
}

/* Starts xapian-tcpsrv serving dbpath, in its own process group; returns
 * its port, or 0 when it cannot run here. */
/* Forks a server process: in its own process group (stop_tcpsrv kills
 * the group) and dying with the test.  Returns 0 in the child; in the
 * parent its pid, also in g_tcpsrv for teardown_tcpsrv. */
static pid_t fork_server(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);   /* dies with the test */
#endif
        return 0;
    }
    setpgid(pid, pid);      /* no race with the child's own call */
    g_tcpsrv = pid;
    return pid;
}

static int start_tcpsrv(const char *dbpath)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        int port = free_port();
        char portstr[16];
        snprintf(portstr, sizeof portstr, "%d", port);
        pid_t pid = fork_server();
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR);
            dup2(null, 1);
            dup2(null, 2);
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--port",
                   portstr, "--interface", "127.0.0.1", dbpath,
                   (char *)NULL);
            _exit(127);
        }
        for (int i = 0; i < 500; i++) {         /* up to 5 s */
            int ws;
            if (waitpid(pid, &ws, WNOHANG) == pid) {
                g_tcpsrv = -1;
                if (WIFEXITED(ws) && WEXITSTATUS(ws) == 127)
                    return 0;   /* not installed */
                break;          /* port taken meanwhile: try another */
            }
            if (can_connect(port))
                return port;
            struct timespec ts = { 0, 10 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        stop_tcpsrv();
    }
    return 0;
}

static void test_remote_shard(void **state)
{
    char p[512], shard1[512], stub[512], msg[512];
    (void)state;
    int port = start_tcpsrv(in_root(shard1, sizeof shard1, "shards/shard1"));
    if (port == 0) {
        print_message("xapian-tcpsrv cannot run here: skipped\n");
        skip();
    }
    /* 1.4 stub syntax: "remote HOST:PORT" (TCP) or "remote :PROG ARGS". */
    char text[128];
    int len = snprintf(text, sizeof text,
                       "auto shards/shard0\nremote 127.0.0.1:%d\n", port);
    in_root(stub, sizeof stub, "remote.stub");
    write_file(stub, text, (size_t)len);

    xap_db_t *local = open_read(in_root(p, sizeof p, "shards"));
    xap_db_t *mixed = open_read(stub);
    uint32_t n;
    assert_ok(xap_db_doccount(mixed, &n), mixed);
    assert_int_equal(n, NCORPUS);
    /* The same hits and weights as with both shards local; the data of
     * remote hits is read over the connection (search() reads value 0). */
    for (int i = 0; i < NSAMPLES; i++) {
        xap_query_t *q = sample_query(i);
        assert_same_results(local, mixed, q);
        xap_query_free(q);
    }
    xap_query_t *wild;
    assert_ok(xap_db_expand_wildcard(mixed, "b", 1, 10, &wild), mixed);
    assert_same_results(local, mixed, wild);
    xap_query_free(wild);
    char *data;
    size_t dlen;
    uint32_t docid;
    assert_ok(xap_db_find(mixed, "Q1", 2, &docid), mixed);
    assert_ok(xap_db_get_data(mixed, docid, &data, &dlen), mixed);
    assert_string_equal(data, CORPUS[1]);
    free(data);

    /* Xapian 1.4 answers synonyms over a remote with an empty list, with
     * no error: the wrapper says so instead of returning half a list. */
    struct term_list l = { .n = 0 };
    assert_status(xap_db_synonyms(mixed, "car", 3, collect_term, &l),
                  XAP_UNIMPLEMENTED, xap_db_message(mixed));
    assert_int_equal(l.n, 0);
    assert_non_null(strstr(xap_db_message(mixed), "remote"));
    assert_ok(xap_db_synonyms(local, "car", 3, collect_term, &l), local);
    assert_string_equal(l.text, "auto,voiture");

    /* The server dies: the open handle fails with XAP_NETWORK ("write
     * failed: Broken pipe"; no SIGPIPE reaches us), and so does a new
     * open ("Couldn't connect: Connection refused"). */
    stop_tcpsrv();
    xap_query_t *q = term("fox");
    xap_mset_t *m = (xap_mset_t *)1;
    assert_status(xap_enquire(mixed, q, NULL, 0, 10, 0, &m), XAP_NETWORK,
                  xap_db_message(mixed));
    assert_null(m);
    print_message("  after kill: %s\n", xap_db_message(mixed));
    assert_non_null(strstr(xap_db_message(mixed), "127.0.0.1"));
    xap_query_free(q);
    xap_db_close(mixed);
    xap_db_t *again = (xap_db_t *)1;
    assert_status(xap_db_open(stub, XAP_DB_READ, &again, msg, sizeof msg),
                  XAP_NETWORK, msg);
    assert_null(again);
    print_message("  reopen: %s\n", msg);
    xap_db_close(local);
}

/* A server that takes each connection and closes it at once: Xapian
 * reads "Connection closed unexpectedly", a NetworkError with no context
 * (as when xapian-tcpsrv dies between a request and its answer).  The
 * message still names the remote shard. */
static void test_remote_hangs_up(void **state)
{
    char stub[512], msg[512], text[128], where[64];
    (void)state;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s, 8), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &alen), 0);
    if (fork_server() == 0) {
        for (;;) {
            int c = accept(s, NULL, NULL);
            if (c >= 0)
                close(c);
        }
    }
    close(s);
    int port = ntohs(a.sin_port);
    int len = snprintf(text, sizeof text, "remote 127.0.0.1:%d\n", port);
    write_file(in_root(stub, sizeof stub, "hangup.stub"), text, (size_t)len);
    xap_db_t *db = (xap_db_t *)1;
    assert_status(xap_db_open(stub, XAP_DB_READ, &db, msg, sizeof msg),
                  XAP_NETWORK, msg);
    assert_null(db);
    print_message("  %s\n", msg);
    snprintf(where, sizeof where, "127.0.0.1:%d", port);
    assert_non_null(strstr(msg, where));
}

static void test_compact(void **state)
{
    char p[512], dest[512], msg[512], s0[512], s1[512];
    (void)state;
    const char *sources[2] = { in_root(s0, sizeof s0, "shards/shard0"),
                               in_root(s1, sizeof s1, "shards/shard1") };
    in_root(dest, sizeof dest, "compacted");
    assert_status(xap_compact(sources, 2, dest, msg, sizeof msg), XAP_OK,
                  msg);
    xap_db_t *one = open_read(in_root(p, sizeof p, "combined"));
    xap_db_t *merged = open_read(dest);
    uint32_t n;
    assert_ok(xap_db_doccount(merged, &n), merged);
    assert_int_equal(n, NCORPUS);
    for (int i = 0; i < NSAMPLES; i++) {
        xap_query_t *q = sample_query(i);
        assert_same_results(one, merged, q);
        xap_query_free(q);
    }
    struct term_list l = { .n = 0 };
    assert_ok(xap_db_synonyms(merged, "car", 3, collect_term, &l), merged);
    assert_string_equal(l.text, "auto,voiture");
    xap_db_close(merged);
    xap_db_close(one);

    assert_status(xap_compact(sources, 2, dest, msg, sizeof msg),
                  XAP_INVALID, msg);
    assert_non_null(strstr(msg, "exists"));
    const char *missing[1] = { in_root(p, sizeof p, "no-such-shard") };
    assert_status(xap_compact(missing, 1, in_root(dest, sizeof dest,
                                                  "compacted2"),
                              msg, sizeof msg), XAP_NOT_FOUND, msg);
    assert_non_null(strstr(msg, "no-such-shard"));
    assert_status(xap_compact(sources, 0, dest, msg, sizeof msg),
                  XAP_INVALID, msg);
}

/* ------------------------------------------------------------------ */
/* Stemming                                                            */

static void test_stemmer(void **state)
{
    static const struct {
        const char *lang, *word, *stem;
    } cases[] = {
        { "english", "mentorship", "mentorship" },
        { "english", "mentoring", "mentor" },
        { "english", "searches", "search" },
        { "french", "inversée", "invers" },
        { "french", "mentorat", "mentorat" },
        { "french", "recherches", "recherch" },
    };
    char out[64];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xap_stemmer_t *s = xap_stemmer_new(cases[i].lang);
        assert_non_null(s);
        long n = xap_stem(s, cases[i].word, strlen(cases[i].word), out,
                          sizeof out);
        assert_string_equal(out, cases[i].stem);
        assert_int_equal(n, strlen(cases[i].stem));
        xap_stemmer_free(s);
    }
    xap_stemmer_t *fr = xap_stemmer_new("french");
    char small[4];
    assert_int_equal(xap_stem(fr, "inversée", strlen("inversée"), small,
                              sizeof small), 6);
    assert_string_equal(small, "inv");
    assert_int_equal(xap_stem(fr, "inversée", strlen("inversée"), NULL, 0),
                     6);
    assert_int_equal(xap_stem(fr, "", 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    xap_stemmer_free(fr);
    assert_null(xap_stemmer_new("klingon"));
    assert_null(xap_stemmer_new(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_write_commit_reopen),
        cmocka_unit_test(test_replace_and_delete),
        cmocka_unit_test(test_document_terms),
        cmocka_unit_test(test_reading),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_synonyms),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_wildcard_cap),
        cmocka_unit_test(test_bm25_ranking),
        cmocka_unit_test(test_second_writer_locked),
        cmocka_unit_test(test_reader_modified),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_damaged_indexes),
        cmocka_unit_test(test_stub_two_shards),
        cmocka_unit_test_teardown(test_remote_shard, teardown_tcpsrv),
        cmocka_unit_test_teardown(test_remote_hangs_up, teardown_tcpsrv),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_stemmer),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
