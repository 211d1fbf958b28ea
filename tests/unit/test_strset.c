/*
 * test_strset.c - the string set: numbering in insertion order, lookups,
 * and strset_sort (byte order, which Xapian's term map takes fastest).
 */
#include "unit.h"

#include "../../src/lib/strset.h"

/* Builds a set of the n strings v[i] (lens[i] bytes each). */
static void fill(strset_t *set, const char *const *v, const size_t *lens,
                 size_t n)
{
    strset_init(set);
    for (size_t i = 0; i < n; i++) {
        int added;
        assert_int_equal(strset_intern(set, v[i], lens[i], &added),
                         (long)i);
        assert_true(added);
    }
}

/* memcmp order, a prefix first: what strset_sort promises. */
static int reference_cmp(const void *a, const void *b)
{
    const strset_item_t *x = *(const strset_item_t *const *)a;
    const strset_item_t *y = *(const strset_item_t *const *)b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Fails unless strset_sort orders the set as qsort with reference_cmp,
 * all of it, and the strings of odd number given last first. */
static void check_sorted(const strset_t *set, const char *what)
{
    strset_order_t order = {0};
    const strset_item_t **want = malloc((set->count + 1) * sizeof *want);
    uint32_t *ids = malloc((set->count + 1) * sizeof *ids);
    assert_non_null(want);
    assert_non_null(ids);
    for (int some = 0; some < 2; some++) {
        size_t n = 0;
        for (size_t i = set->count; i-- > 0;)
            if (!some || i % 2) {
                ids[n] = (uint32_t)i;
                want[n++] = &set->items[i];
            }
        assert_int_equal(strset_sort(set, some ? ids : NULL, n, &order), 0);
        qsort(want, n, sizeof *want, reference_cmp);
        for (size_t i = 0; i < n; i++) {
            const strset_item_t *got = &set->items[order.v[i]];
            if (got != want[i])
                fail_msg("%s%s: position %zu holds %s, expected %s", what,
                         some ? " (odd ones)" : "", i,
                         hex(got->s, got->len),
                         hex(want[i]->s, want[i]->len));
        }
    }
    free(want);
    free(ids);
    strset_order_free(&order);
}

static void test_intern_find(void **state)
{
    (void)state;
    strset_t set;
    strset_init(&set);
    assert_int_equal(strset_find(&set, S("été")), -1);
    int added;
    assert_int_equal(strset_intern(&set, S("été"), &added), 0);
    assert_true(added);
    assert_int_equal(strset_intern(&set, S("ete"), &added), 1);
    assert_int_equal(strset_intern(&set, S("été"), &added), 0);
    assert_false(added);
    assert_int_equal(strset_find(&set, S("ete")), 1);
    assert_int_equal(strset_find(&set, S("et")), -1);
    /* Past many growths, every string keeps its number. */
    char w[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(w, sizeof w, "w%d", i);
        assert_int_equal(strset_intern(&set, w, (size_t)n, NULL), i + 2);
    }
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(w, sizeof w, "w%d", i);
        assert_int_equal(strset_find(&set, w, (size_t)n), i + 2);
    }
    strset_clear(&set);
    assert_int_equal(set.count, 0);
    assert_int_equal(strset_find(&set, S("w7")), -1);
    assert_int_equal(strset_intern(&set, S("w7"), &added), 0);
    assert_true(added);
    strset_free(&set);
}

/* One row: strings to sort, each with its length (some hold NUL). */
struct sort_row {
    const char *what;
    size_t n;
    const char *s[8];
    size_t len[8];
};

#define L(lit) sizeof(lit) - 1

static const struct sort_row sort_rows[] = {
    {"empty set", 0, {0}, {0}},
    {"one string", 1, {"seul"}, {L("seul")}},
    {"a prefix comes first", 3, {"ab", "a", "abc"}, {2, 1, 3}},
    {"the empty string first", 2, {"z", ""}, {1, 0}},
    {"bytes are unsigned: é after z", 3, {"été", "zèbre", "ete"},
     {L("été"), L("zèbre"), L("ete")}},
    {"the eighth byte decides", 3, {"abcdefgz", "abcdefga", "abcdefg"},
     {8, 8, 7}},
    {"the ninth byte decides", 3, {"abcdefghz", "abcdefgha", "abcdefgh"},
     {9, 9, 8}},
    {"long words sharing 16 bytes", 4,
     {"internationalisations", "internationalisation", "internationalis",
      "internationalisationz"},
     {21, 20, 15, 21}},
    {"NUL bytes against the padding", 5,
     {"ab\0", "ab", "ab\0\0", "ab\0a", "ab\0\0\0\0\0\0\0\0"},
     {3, 2, 4, 4, 10}},
    {"NUL past eight bytes", 3,
     {"abcdefgh\0", "abcdefgh", "abcdefgh\0\0"}, {9, 8, 10}},
};

static void test_sort_rows(void **state)
{
    (void)state;
    for (size_t r = 0; r < COUNT(sort_rows); r++) {
        strset_t set;
        fill(&set, sort_rows[r].s, sort_rows[r].len, sort_rows[r].n);
        check_sorted(&set, sort_rows[r].what);
        strset_free(&set);
    }
}

/* Random sets, many sharing prefixes of 0 to 24 bytes, small alphabets so
 * that keys tie: more than the radix sort's small-run bound each time. */
static void test_sort_random(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int round = 0; round < 60; round++) {
        strset_t set;
        strset_init(&set);
        size_t want = (size_t)(round % 6 == 0 ? 5 : 40 + round * 37);
        char w[64];
        while (set.count < want) {
            seed = seed * 1103515245u + 12345u;
            size_t prefix = (seed >> 8) % 25, len = prefix + (seed >> 16) % 9;
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                w[i] = i < prefix ? 'p'
                       : (char)((seed >> 12) % 4 == 0 ? 0
                                : "ab\xc3\xa9z"[(seed >> 14) % 5]);
            }
            assert_true(strset_intern(&set, w, len, NULL) >= 0);
        }
        char what[32];
        snprintf(what, sizeof what, "random set %d", round);
        check_sorted(&set, what);
        strset_free(&set);
    }
}

/* The sort reuses its buffers from a larger set to a smaller one. */
static void test_sort_reuse(void **state)
{
    (void)state;
    strset_order_t order = {0};
    strset_t set;
    strset_init(&set);
    char w[16];
    for (int i = 0; i < 300; i++) {
        int n = snprintf(w, sizeof w, "%d", 1000 - i);
        assert_true(strset_intern(&set, w, (size_t)n, NULL) >= 0);
    }
    assert_int_equal(strset_sort(&set, NULL, set.count, &order), 0);
    assert_string_equal(set.items[order.v[0]].s, "1000");
    assert_string_equal(set.items[order.v[299]].s, "999");
    strset_clear(&set);
    assert_true(strset_intern(&set, S("b"), NULL) >= 0);
    assert_true(strset_intern(&set, S("a"), NULL) >= 0);
    assert_int_equal(strset_sort(&set, NULL, set.count, &order), 0);
    assert_int_equal(order.v[0], 1);
    assert_int_equal(order.v[1], 0);
    strset_order_free(&order);
    strset_free(&set);
}

/* Hostile: every string shares a 200-byte prefix (a post of long look-
 * alike words), or only differs in its last byte. */
static double sort_time(size_t row, size_t bytes)
{
    strset_t set;
    strset_init(&set);
    char w[240];
    memset(w, 'x', sizeof w);
    size_t len = row == 0 ? 210 : 12;
    for (size_t i = 0; set.count * len < bytes; i++) {
        /* the varying bytes at the end, most significant last */
        size_t k = i;
        for (size_t j = len; j-- > len - 5;) {
            w[j] = (char)('a' + k % 26);
            k /= 26;
        }
        assert_true(strset_intern(&set, w, len, NULL) >= 0);
    }
    strset_order_t order = {0};
    double t0 = cpu_seconds();
    assert_int_equal(strset_sort(&set, NULL, set.count, &order), 0);
    double t = cpu_seconds() - t0;
    strset_order_free(&order);
    strset_free(&set);
    return t;
}

static void test_sort_linear(void **state)
{
    (void)state;
    check_linear(sort_time, 0, "strings sharing 200 bytes", 8u << 20);
    check_linear(sort_time, 1, "strings differing at the end", 4u << 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intern_find),
        cmocka_unit_test(test_sort_rows),
        cmocka_unit_test(test_sort_random),
        cmocka_unit_test(test_sort_reuse),
        cmocka_unit_test(test_sort_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
