/*
 * test_store.c - store.c: what the index keeps of each post round-trips
 * (stamp, passage table, counts, title and text, SLOT_WHERE), for table
 * rows and for random tables; malformed values are refused, never read
 * past their end.
 */

#include "unit.h"
#include "lib/store.h"

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state = 88172645463325252u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static void test_stamp(void **state)
{
    (void)state;
    post_stamp_t a = {123456789012u, -5, 0xdeadbeef, ANALYSIS_VERSION}, b;
    buf_t out = {0};
    int rc = 0;
    stamp_encode(&a, &out, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(out.n, 21);
    assert_int_equal(stamp_decode(out.p, out.n, &b), 0);
    assert_true(a.size == b.size && a.mtime_ns == b.mtime_ns &&
                a.crc == b.crc && b.analysis == ANALYSIS_VERSION);
    /* a stamp written before it carried the analysis: version 0 */
    assert_int_equal(stamp_decode(out.p, 20, &b), 0);
    assert_true(a.size == b.size && a.crc == b.crc && b.analysis == 0);
    assert_int_equal(stamp_decode(out.p, 19, &b), -1);
    buf_add(&out, "x", 1, &rc);
    assert_int_equal(stamp_decode(out.p, out.n, &b), -1);
    buf_free(&out);
}

/* Encodes v[0..n), decodes, and compares every field. */
static void check_passages(const passage_t *v, size_t n)
{
    buf_t out = {0};
    int rc = 0;
    passages_encode(v, n, &out, &rc);
    assert_int_equal(rc, 0);
    passage_t *got;
    size_t count;
    assert_int_equal(passages_decode(out.p, out.n, &got, &count), 0);
    assert_int_equal(count, n);
    uint32_t word = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i].start, v[i].start);
        assert_int_equal(got[i].end, v[i].end);
        assert_int_equal(got[i].line, v[i].line);
        assert_int_equal(got[i].nwords, v[i].nwords);
        assert_int_equal(got[i].first_word, word);
        assert_int_equal(got[i].lang, v[i].lang);
        assert_int_equal(got[i].heading, v[i].heading);
        word += v[i].nwords;
    }
    free(got);
    /* every strict prefix is refused */
    for (size_t cut = 0; cut < out.n; cut++) {
        assert_int_equal(passages_decode(out.p, cut, &got, &count), -1);
        assert_null(got);
    }
    buf_free(&out);
}

/* A random passage table of n passages. */
static passage_t *random_passages(size_t n)
{
    passage_t *v = calloc(n ? n : 1, sizeof *v);
    uint32_t at = 0, line = 1;
    for (size_t i = 0; i < n; i++) {
        at += (uint32_t)(rng() % 4);
        v[i].start = at;
        at += 1 + (uint32_t)(rng() % (i % 5 ? 300 : 5000));
        v[i].end = at;
        line += (uint32_t)(rng() % 6);
        v[i].line = line;
        v[i].nwords = (uint32_t)(rng() % 200);
        v[i].lang = (trouve_lang_t)(rng() % 3);
        v[i].heading = rng() % 4 == 0;
    }
    return v;
}

static void test_passages(void **state)
{
    (void)state;
    const passage_t one[] = {{0, 5, 1, 0, 1, TROUVE_LANG_FR, 1}};
    check_passages(NULL, 0);
    check_passages(one, 1);
    /* small tables stay plain, large ones are deflated: both kinds */
    for (size_t n = 1; n < 600; n = n * 3 + 1) {
        passage_t *v = random_passages(n);
        check_passages(v, n);
        free(v);
    }
}

static void test_passages_malformed(void **state)
{
    (void)state;
    passage_t *v;
    size_t n;
    /* {tn, bytes}; 0xb3 is one passage coded with every k 0: start 0
     * "1", length 1 "01", line 0 "1", flags lang 1 "001", 0 words "1" */
    static const struct {
        const char *tn;
        const char *bytes;
        size_t len;
    } rows[] = {
        {"version 1 (varint rows)", "\x01\x01\x00\x01\x00\x01\x01", 7},
        {"count past the bits", "\x02\x7f\x00\x00\x00\x00\xb3", 7},
        {"a parameter past 31", "\x02\x01\x00\x20\x00\x00\xb3", 7},
        {"language 3", "\x02\x01\x00\x00\x00\x00\xb7", 7},
        {"trailing byte", "\x02\x01\x00\x00\x00\x00\xb3\x00", 8},
        {"cut short", "\x02\x02\x00\x00\x00\x00\xb3", 7},
        {"no parameters", "\x02\x01\x00", 3},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        if (passages_decode(rows[i].bytes, rows[i].len, &v, &n) != -1)
            fail_msg("%s: decoded", rows[i].tn);
        assert_null(v);
    }
    /* the row above, without its defect, decodes */
    assert_int_equal(
        passages_decode("\x02\x01\x00\x00\x00\x00\xb3", 7, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].end, 1);
    assert_int_equal(v[0].lang, TROUVE_LANG_EN);
    free(v);
}

static void test_counts(void **state)
{
    (void)state;
    post_counts_t a = {{1, 200, 30000}, (uint64_t)1 << 40}, b;
    buf_t out = {0};
    int rc = 0;
    counts_encode(&a, &out, &rc);
    assert_int_equal(counts_decode(out.p, out.n, &b), 0);
    assert_memory_equal(&a, &b, sizeof a);
    buf_free(&out);
}

static void test_post_data(void **state)
{
    (void)state;
    /* {title, text} */
    static const struct {
        const char *title, *text;
    } rows[] = {
        {NULL, ""},
        {"", "x"},
        {"L’été", "L’été inversé\n\nVersion française\n"},
        {"t", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        buf_t out = {0};
        int rc = 0;
        size_t len = strlen(rows[i].text);
        post_data_encode(rows[i].title, rows[i].text, len, &out, &rc);
        assert_int_equal(rc, 0);
        char *title, *text;
        size_t got;
        assert_int_equal(post_data_decode(out.p, out.n, &title, &text, &got),
                         0);
        assert_string_equal(title, rows[i].title ? rows[i].title : "");
        assert_int_equal(got, len);
        assert_memory_equal(text, rows[i].text, len);
        free(title);
        free(text);
        /* the title alone */
        assert_int_equal(post_data_decode(out.p, out.n, &title, NULL, NULL),
                         0);
        free(title);
        /* cut short, or of another version: refused */
        assert_int_equal(
            post_data_decode(out.p, out.n - 1, &title, &text, &got), -1);
        assert_null(title);
        assert_null(text);
        out.p[0] = 2; /* version 2 (deflated text) */
        assert_int_equal(post_data_decode(out.p, out.n, &title, &text, &got),
                         -1);
        buf_free(&out);
    }
    /* a large random text */
    size_t len = 200000;
    char *big = malloc(len);
    for (size_t i = 0; i < len; i++)
        big[i] = "abcdefgh \n"[rng() % 10];
    buf_t out = {0};
    int rc = 0;
    post_data_encode("big", big, len, &out, &rc);
    char *title, *text;
    size_t got;
    assert_int_equal(post_data_decode(out.p, out.n, &title, &text, &got), 0);
    assert_int_equal(got, len);
    assert_memory_equal(text, big, len);
    free(title);
    free(text);
    /* a text length that is not the length of the text */
    out.p[5] ^= 1; /* the length varint's first byte: "big" at 2..4 */
    assert_int_equal(post_data_decode(out.p, out.n, &title, &text, &got), -1);
    buf_free(&out);
    free(big);
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Encodes the pairs (sorted, unique per hash and passage), decodes, and
 * checks that where_find gives back each hash's passages and counts, and
 * nothing for hashes not there. */
static void check_where(uint64_t *pairs, size_t n)
{
    qsort(pairs, n, sizeof *pairs, by_value);
    size_t m = 0; /* drop duplicate (hash, passage) pairs */
    for (size_t i = 0; i < n; i++)
        if (!m || pairs[i] >> 8 != pairs[m - 1] >> 8)
            pairs[m++] = pairs[i];
    n = m;
    buf_t out = {0};
    int rc = 0;
    where_encode(pairs, n, &out, &rc);
    assert_int_equal(rc, 0);
    where_t w;
    memset(&w, 0, sizeof w);
    assert_int_equal(where_decode(out.p, out.n, &w), 0);
    size_t entries = 0;
    for (size_t i = 0; i < n;) {
        uint16_t h = (uint16_t)(pairs[i] >> 48);
        size_t j = i, count;
        const uint8_t *occ;
        const uint32_t *ps = where_find(&w, h, &count, &occ);
        while (j < n && pairs[j] >> 48 == h)
            j++;
        assert_non_null(ps);
        assert_int_equal(count, j - i);
        for (size_t k = i; k < j; k++) {
            unsigned c = pairs[k] & 0xff;
            assert_int_equal(ps[k - i], (uint32_t)(pairs[k] >> 8));
            assert_int_equal(occ[k - i], c < 1 ? 1 : c > 4 ? 4 : c);
        }
        entries++;
        i = j;
    }
    assert_int_equal(w.n, entries);
    /* a hash between two present ones, or past the last: not found */
    for (size_t i = 0; i + 1 < w.n; i++) {
        if (w.hashes[i] + 1 < w.hashes[i + 1]) {
            size_t count;
            const uint8_t *occ;
            assert_null(where_find(&w, (uint16_t)(w.hashes[i] + 1), &count,
                                   &occ));
            assert_int_equal(count, 0);
        }
    }
    /* every strict prefix is refused or, at worst, decodes to a table
     * no larger than the whole one (padding bits can look like codes) */
    for (size_t k = 0; k < out.n && k < 300; k++) {
        size_t cut = out.n <= 300 ? k : rng() % out.n;
        where_t v;
        memset(&v, 0, sizeof v);
        if (where_decode(out.p, cut, &v) == 0)
            assert_true(v.n <= entries);
        where_free(&v);
    }
    where_free(&w);
    buf_free(&out);
}

static void test_where_rows(void **state)
{
    (void)state;
    /* {tn, pairs as WHERE_PAIR(hash, passage, count)} */
    static const struct {
        const char *tn;
        uint64_t pairs[6];
        size_t n;
    } rows[] = {
        {"empty", {0}, 0},
        {"hash 0, passage 0", {WHERE_PAIR(0, 0, 1)}, 1},
        {"hash 65535, far passage", {WHERE_PAIR(65535, 100000, 9)}, 1},
        {"counts 1 to 4 and more",
         {WHERE_PAIR(7, 0, 1), WHERE_PAIR(7, 1, 2), WHERE_PAIR(7, 2, 3),
          WHERE_PAIR(7, 3, 4), WHERE_PAIR(7, 9, 200)},
         5},
        {"adjacent hashes",
         {WHERE_PAIR(1, 3, 1), WHERE_PAIR(2, 3, 1), WHERE_PAIR(3, 0, 2)},
         3},
        {"first and last hash",
         {WHERE_PAIR(0, 5, 1), WHERE_PAIR(65535, 0, 1)},
         2},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        uint64_t pairs[6];
        memcpy(pairs, rows[i].pairs, sizeof pairs);
        check_where(pairs, rows[i].n);
    }
}

static void test_where_random(void **state)
{
    (void)state;
    /* posts of 1 to 3,000 words over 1 to 2,000 passages, and one with
     * every hash */
    for (int round = 0; round < 60; round++) {
        size_t words = 1 + rng() % (round % 3 ? 3000 : 20);
        uint64_t passages = 1 + rng() % (round % 2 ? 2000 : 8);
        size_t n = words * (1 + rng() % 4);
        uint64_t *pairs = malloc(n * sizeof *pairs);
        for (size_t i = 0; i < n; i++)
            pairs[i] = WHERE_PAIR(rng() % 65536, rng() % passages,
                                  1 + rng() % 6);
        check_where(pairs, n);
        free(pairs);
    }
    /* long unary codes: lists whose gaps are far from their average
     * (most passages at the start, one far away), and far hashes */
    for (int round = 0; round < 40; round++) {
        size_t n = 0;
        uint64_t pairs[600];
        for (size_t i = 0; i < 500; i++)
            pairs[n++] = WHERE_PAIR(1000 + round, i, 1 + i % 5);
        pairs[n++] = WHERE_PAIR(1000 + round, 500 + rng() % 100000, 2);
        pairs[n++] = WHERE_PAIR(60000, rng() % 50, 1);
        pairs[n++] = WHERE_PAIR(3 + round, 7, 1);
        check_where(pairs, n);
    }
    uint64_t *all = malloc(65536 * 2 * sizeof *all);
    for (size_t i = 0; i < 65536 * 2; i++)
        all[i] = WHERE_PAIR(i / 2, i % 2 ? 70000 : 3, 1);
    check_where(all, 65536 * 2);
    free(all);
}

static void test_where_sort(void **state)
{
    (void)state;
    /* made passage after passage (the radix path) or shuffled (the qsort
     * path); the result is qsort's either way */
    for (int round = 0; round < 40; round++) {
        size_t n = 1 + rng() % 5000, i;
        uint64_t *v = malloc(n * sizeof *v), *want = malloc(n * sizeof *v);
        uint64_t passage = 0;
        for (i = 0; i < n; i++) {
            passage += rng() % 3 == 0;
            v[i] = WHERE_PAIR(rng() % 65536, passage, 1);
        }
        if (round % 4 == 3)
            for (i = n - 1; i > 0; i--) {
                size_t j = rng() % (i + 1);
                uint64_t t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
        memcpy(want, v, n * sizeof *v);
        qsort(want, n, sizeof *want, by_value);
        assert_int_equal(where_sort(v, n), 0);
        assert_memory_equal(v, want, n * sizeof *v);
        free(v);
        free(want);
    }
}

/* Words that share a where_hash, which ranking.bats relies on: passages
 * credited with a word through another's hash are checked in the text. */
static void test_where_hash_shared(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {{"except", "h"},
                                           {"don't", "written"}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        assert_int_equal(where_hash(pairs[i][0], strlen(pairs[i][0])),
                         where_hash(pairs[i][1], strlen(pairs[i][1])));
}

static void test_where_malformed(void **state)
{
    (void)state;
    where_t w;
    memset(&w, 0, sizeof w);
    /* {tn, bytes} */
    static const struct {
        const char *tn;
        const char *bytes;
        size_t len;
    } rows[] = {
        {"version 1 (a zlib stream)", "\x78\x9c\x03\x00\x00\x00\x00\x01", 8},
        {"version 2 (no blocks)", "\x02\x01\x01\xff", 4},
        {"no bits", "\x03\x01\x01\x00", 4},
        {"entries past the bits", "\x03\x7f\x01\x00\xff", 5},
        {"entries but no passages", "\x03\x01\x00\x00\xff", 5},
        {"too many entries", "\x03\x81\x80\x08\x01\x00\xff", 7},
        {"block parameter too large", "\x03\x01\x01\x40\xff\xff", 6},
        {"all zeros (a code never ends)", "\x03\x01\x01\x00\x00\x00", 6},
        {"empty table with trailing bytes", "\x03\x00\x00\x00\x00", 5},
        {"a word but no lists", "\x03\x01\x01\x00\xa0", 5},
    };
    for (size_t i = 0; i < COUNT(rows); i++)
        if (where_decode(rows[i].bytes, rows[i].len, &w) != -1)
            fail_msg("%s: decoded", rows[i].tn);
    /* random bytes after a valid header never crash, nor do the lookups
     * that decode the lists */
    char junk[96] = {3, 40, 100, 6};
    for (int round = 0; round < 4000; round++) {
        for (size_t i = 4; i < sizeof junk; i++)
            junk[i] = (char)rng();
        if (where_decode(junk, 4 + rng() % 92, &w) == 0) {
            assert_true(w.n <= 40);
            for (size_t i = 0; i < w.n; i++) {
                size_t count;
                const uint8_t *occ;
                const uint32_t *ps = where_find(&w, w.hashes[i], &count,
                                                &occ);
                for (size_t k = 0; k < count; k++)
                    assert_true(ps[k] < 100 && occ[k] >= 1 && occ[k] <= 4);
            }
        }
    }
    where_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stamp),
        cmocka_unit_test(test_passages),
        cmocka_unit_test(test_passages_malformed),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_post_data),
        cmocka_unit_test(test_where_rows),
        cmocka_unit_test(test_where_random),
        cmocka_unit_test(test_where_sort),
        cmocka_unit_test(test_where_malformed),
        cmocka_unit_test(test_where_hash_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
