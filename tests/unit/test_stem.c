/*
 * test_stem.c - folded Snowball stems and their cache.  One row per case:
 * {language, lowercase word, folded stem}.  Links the Xapian wrapper
 * (src/xapian/xapian_c.cc) and libxapian.
 */

#include "unit.h"
#include "analysis/fold.h"
#include "analysis/stem.h"
#include "analysis/token.h"
#include "xapian/xapian_c.h"

#define EN TROUVE_LANG_EN
#define FR TROUVE_LANG_FR

static const struct {
    trouve_lang_t lang;
    const char *word;
    const char *stem;
} rows[] = {
    {EN, "mentorship", "mentorship"},
    {EN, "mentoring", "mentor"},
    {EN, "mentors", "mentor"},
    {EN, "policy", "polici"},
    {EN, "policies", "polici"},
    {EN, "relationships", "relationship"},
    {EN, "decisions", "decis"},
    {EN, "generously", "generous"},
    {EN, "committees", "committe"},
    {EN, "advisory", "advisori"},
    {EN, "don't", "don't"},
    {EN, "", ""},
    {FR, "invers\xC3\xA9", "invers"},                 /* inversé */
    {FR, "invers\xC3\xA9" "e", "invers"},             /* inversée */
    {FR, "invers\xC3\xA9s", "invers"},                /* inversés */
    {FR, "comit\xC3\xA9s", "comit"},                  /* comités */
    {FR, "comit\xC3\xA9", "comit"},                   /* comité */
    {FR, "politique", "polit"},
    {FR, "politiques", "polit"},
    {FR, "d\xC3\xA9" "cisions", "decis"},             /* décisions */
    {FR, "professionnelles", "professionnel"},
    {FR, "g\xC3\xA9n\xC3\xA9reusement", "gener"},     /* généreusement */
    {FR, "consultatifs", "consult"},
    {FR, "\xC5\x93uvre", "oeuvr"},                    /* œuvre */
    {FR, "\xC3\xA9t\xC3\xA9", "ete"},                 /* été */
    {FR, "na\xC3\xAFve", "naiv"},                     /* naïve */
    {FR, "aujourd'hui", "aujourd'hui"},
};

static void test_rows(void **state)
{
    (void)state;
    stemmer_t *s[3] = {NULL, stemmer_new(EN), stemmer_new(FR)};
    assert_non_null(s[EN]);
    assert_non_null(s[FR]);
    for (int pass = 0; pass < 2; pass++) { /* the second from the cache */
        for (size_t i = 0; i < COUNT(rows); i++) {
            size_t len = 99;
            const char *stem = stemmer_stem(s[rows[i].lang], rows[i].word,
                                            strlen(rows[i].word), &len);
            assert_non_null(stem);
            if (strcmp(stem, rows[i].stem) != 0 || len != strlen(stem))
                fail_msg("%s %s (pass %d): got '%s'",
                         rows[i].lang == EN ? "en" : "fr", rows[i].word, pass,
                         stem);
        }
    }
    stemmer_free(s[EN]);
    stemmer_free(s[FR]);
    assert_null(stemmer_new(TROUVE_LANG_UNKNOWN));
    stemmer_free(NULL);
}

/* English and French words of one family meet on one stem. */
static const struct {
    const char *en, *fr, *stem;
} pairs[] = {
    {"decisions", "d\xC3\xA9" "cisions", "decis"},
    {"relations", "relations", "relat"},
    {"mentors", "mentors", "mentor"},
    {"inverse", "invers\xC3\xA9" "e", "invers"},
};

static void test_pairs(void **state)
{
    (void)state;
    stemmer_t *en = stemmer_new(EN), *fr = stemmer_new(FR);
    assert_non_null(en);
    assert_non_null(fr);
    for (size_t i = 0; i < COUNT(pairs); i++) {
        size_t a, b;
        const char *x = stemmer_stem(en, pairs[i].en, strlen(pairs[i].en), &a);
        const char *y = stemmer_stem(fr, pairs[i].fr, strlen(pairs[i].fr), &b);
        if (strcmp(x, pairs[i].stem) != 0 || strcmp(y, pairs[i].stem) != 0)
            fail_msg("%s/%s: got %s/%s", pairs[i].en, pairs[i].fr, x, y);
    }
    stemmer_free(en);
    stemmer_free(fr);
}

/* The stem without the cache: Xapian's, folded. */
static void uncached_stem(xap_stemmer_t *xs, const char *word, size_t len,
                          char *out)
{
    size_t size = 2 * len + 16;
    char *raw = malloc(size);
    assert_non_null(raw);
    long n = xap_stem(xs, word, len, raw, size);
    assert_true(n >= 0 && n < (long)size);
    fold_string(raw, (size_t)n, out);
    free(raw);
}

typedef struct compare {
    stemmer_t *s;          /* cached */
    xap_stemmer_t *xs;     /* uncached */
    unsigned words;
} compare_t;

static int on_word(void *ctx, const token_t *t)
{
    compare_t *c = ctx;
    char want[1024 * FOLD_MAX + 1];
    size_t len;

    if (t->kind != TOKEN_WORD || (t->flags & TOKEN_LONG))
        return 0;
    const char *got = stemmer_stem(c->s, t->lower, t->lower_len, &len);
    assert_non_null(got);
    uncached_stem(c->xs, t->lower, t->lower_len, want);
    if (strcmp(got, want) != 0 || len != strlen(want))
        fail_msg("%s: cached '%s', uncached '%s'", t->lower, got, want);
    /* asking again gives the same stored string */
    size_t len2;
    assert_ptr_equal(stemmer_stem(c->s, t->lower, t->lower_len, &len2), got);
    assert_int_equal(len2, len);
    c->words++;
    return 0;
}

/* Over the words of a bilingual text, twice: the cache answers what an
 * uncached call does. */
static void test_cache_matches_uncached(void **state)
{
    (void)state;
    static const char text[] =
        "Reverse Mentorship has been powerful for our firm so could this "
        "approach also work effectively for you? Le mentorat invers\xC3\xA9 a "
        "\xC3\xA9t\xC3\xA9 un outil puissant pour notre cabinet, alors cette "
        "m\xC3\xA9thode pourrait peut-\xC3\xAAtre aussi fonctionner pour vous "
        "et votre entreprise. Les entrepreneurs doivent donc leur offrir "
        "quelque chose en retour. Advisory board positions are 'volunteer' "
        "which enable entrepreneurs to focus on building the business.";
    static const char *langs[] = {"english", "french"};
    for (int l = 0; l < 2; l++) {
        compare_t c = {stemmer_new(l ? FR : EN), xap_stemmer_new(langs[l]),
                       0};
        assert_non_null(c.s);
        assert_non_null(c.xs);
        for (int pass = 0; pass < 2; pass++)
            tokenize(text, sizeof text - 1, 0, on_word, &c);
        assert_true(c.words > 100);
        stemmer_free(c.s);
        xap_stemmer_free(c.xs);
    }
}

/* Stems `first` then n new words of `size` bytes: the cache is emptied
 * once on the way.  A stem handed out before the flush stays valid across
 * it, answers stay right, and `first` is a miss afterwards. */
static void check_flush(size_t size, size_t n)
{
    stemmer_t *s = stemmer_new(EN);
    xap_stemmer_t *xs = xap_stemmer_new("english");
    char *word = malloc(size + 16);
    char *want = malloc((size + 16) * FOLD_MAX + 1);
    assert_non_null(s);
    assert_non_null(xs);
    assert_non_null(word);
    assert_non_null(want);

    memset(word, 'a', size);
    memcpy(word + size - 3, "ing", 3);
    size_t first_len;
    const char *first = stemmer_stem(s, word, size, &first_len);
    assert_non_null(first);
    char *copy = strdup(first);
    assert_non_null(copy);

    for (size_t i = 0; i < n; i++) {
        int k = snprintf(word, 16, "%08zu", i);
        word[k] = 'b';
        size_t len;
        const char *stem = stemmer_stem(s, word, size, &len);
        assert_non_null(stem);
        if (i % 997 == 0) {
            uncached_stem(xs, word, size, want);
            assert_string_equal(stem, want);
        }
    }
    assert_string_equal(first, copy); /* still there after the flush */
    memset(word, 'a', size - 3);
    size_t again_len;
    const char *again = stemmer_stem(s, word, size, &again_len);
    assert_non_null(again);
    assert_ptr_not_equal(again, first); /* stemmed anew */
    assert_string_equal(again, copy);
    free(copy);
    free(word);
    free(want);
    stemmer_free(s);
    xap_stemmer_free(xs);
}

/* Past STEM_CACHE_WORDS words: 1.5 cache-fulls of short words. */
static void test_cache_flush_words(void **state)
{
    (void)state;
    check_flush(12, STEM_CACHE_WORDS + STEM_CACHE_WORDS / 2);
}

/* Past STEM_CACHE_BYTES: words of 1000 bytes take about 2 KB each with
 * their stems; 1.5 cache-fulls of them. */
static void test_cache_flush_bytes(void **state)
{
    (void)state;
    check_flush(1000, 3 * (STEM_CACHE_BYTES / 2000) / 2);
}

/* Words too long to cache are stemmed each time, the same way; so are
 * they by stemmer_stem_once (a stem too long for its stack buffer). */
static void test_long_word(void **state)
{
    (void)state;
    enum { WORD = 5000 };
    stemmer_t *s = stemmer_new(FR);
    xap_stemmer_t *xs = xap_stemmer_new("french");
    char *word = malloc(WORD);
    char *want = malloc(WORD * FOLD_MAX + 1);
    assert_non_null(s);
    assert_non_null(xs);
    assert_non_null(word);
    assert_non_null(want);
    for (size_t i = 0; i + 2 <= WORD; i += 2)
        memcpy(word + i, "\xC3\xA9", 2); /* ééé... */
    uncached_stem(xs, word, WORD, want);
    size_t a, b, c;
    const char *x = stemmer_stem(s, word, WORD, &a);
    const char *y = stemmer_stem(s, word, WORD, &b);
    assert_non_null(x);
    assert_non_null(y);
    assert_string_equal(x, want);
    assert_string_equal(y, want);
    assert_int_equal(a, strlen(want));
    assert_int_equal(b, a);
    const char *z = stemmer_stem_once(s, word, WORD, &c);
    assert_non_null(z);
    assert_string_equal(z, want);
    assert_int_equal(c, a);
    free(word);
    free(want);
    stemmer_free(s);
    xap_stemmer_free(xs);
}

/* stemmer_stem_once gives the rows' stems, each in its reused buffer. */
static void test_once(void **state)
{
    (void)state;
    stemmer_t *s[3] = {NULL, stemmer_new(EN), stemmer_new(FR)};
    assert_non_null(s[EN]);
    assert_non_null(s[FR]);
    for (size_t i = 0; i < COUNT(rows); i++) {
        size_t len = 99;
        const char *stem = stemmer_stem_once(s[rows[i].lang], rows[i].word,
                                             strlen(rows[i].word), &len);
        assert_non_null(stem);
        if (strcmp(stem, rows[i].stem) != 0 || len != strlen(stem))
            fail_msg("%s %s: got '%s'", rows[i].lang == EN ? "en" : "fr",
                     rows[i].word, stem);
    }
    stemmer_free(s[EN]);
    stemmer_free(s[FR]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_cache_matches_uncached),
        cmocka_unit_test(test_cache_flush_words),
        cmocka_unit_test(test_cache_flush_bytes),
        cmocka_unit_test(test_long_word),
        cmocka_unit_test(test_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
