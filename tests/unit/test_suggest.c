/*
 * test_suggest.c - the edit distance behind "did you mean".  One row per
 * case: {a, b, max, distance}, where distance is what suggest_distance
 * reports (max + 1 standing for "more than max").  The suggestions
 * themselves, which need an index, are tested in tests/cli/ranking.bats.
 */

#include "unit.h"
#include "analysis/utf8.h"
#include "lib/suggest.h"

static const struct {
    const char *a, *b;
    unsigned max, distance;
} rows[] = {
    {"mentorship", "mentorship", 2, 0},
    {"mentorhsip", "mentorship", 2, 1},   /* two neighbours swapped */
    {"mentorshp", "mentorship", 2, 1},    /* a letter left out */
    {"mentorshiip", "mentorship", 2, 1},  /* one too many */
    {"mentorsjip", "mentorship", 2, 1},   /* one wrong */
    {"consultatf", "consultatif", 2, 1},
    {"comite", "comite", 2, 0},
    {"mentorhsp", "mentorship", 2, 2},
    {"mentor", "mentorship", 2, 3},       /* too far */
    {"abc", "xyz", 2, 3},
    {"abc", "xyz", 1, 2},
    {"", "ab", 2, 2},
    {"ab", "", 2, 2},
    {"ca", "abc", 2, 3},                  /* OSA: no edit after a swap */
    /* code points, not bytes: one accented letter is one edit */
    {"ete", "\xC3\xA9t\xC3\xA9", 2, 2},
    {"\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA8", 2, 1},
};

static size_t decode(const char *s, uint32_t *out)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len;)
        i += utf8_decode(s + i, len - i, &out[n++]);
    return n;
}

static void test_rows(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < COUNT(rows); i++) {
        uint32_t a[64], b[64];
        size_t na = decode(rows[i].a, a), nb = decode(rows[i].b, b);
        unsigned d = suggest_distance(a, na, b, nb, rows[i].max);
        if (d != rows[i].distance) {
            fprintf(stderr, "'%s' / '%s' (max %u): %u, expected %u\n",
                    rows[i].a, rows[i].b, rows[i].max, d, rows[i].distance);
            failed++;
        }
        /* symmetric */
        assert_int_equal(suggest_distance(b, nb, a, na, rows[i].max), d);
    }
    assert_int_equal(failed, 0);
}

/* Words longer than the table are refused, not overrun. */
static void test_long_words(void **state)
{
    (void)state;
    uint32_t a[200], b[200];
    for (size_t i = 0; i < 200; i++)
        a[i] = b[i] = 'a';
    assert_int_equal(suggest_distance(a, 200, b, 200, 2), 3);
    assert_int_equal(suggest_distance(a, SUGGEST_WORD_MAX, b,
                                      SUGGEST_WORD_MAX, 2),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_long_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
