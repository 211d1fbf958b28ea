/*
 * test_query.c - the query language.  One row per case: {tn, query, any,
 * tree}, where tree is query_describe's account of what query_parse
 * makes of the query (after query_make_any when `any` is 1): words are
 * shown folded, "(AND ...)", "(OR ...)", "(NOT ...)", "(PHRASE ...)",
 * "pre*", "lang:xx", "path:P", and "()" for a query with nothing in it.
 */

#include "unit.h"
#include "lib/buf.h"
#include "lib/query.h"

#define RSQ "\xE2\x80\x99" /* ’ */
#define E_ACUTE "\xC3\xA9" /* é */

static const struct {
    const char *tn;
    const char *query;
    int any;
    const char *tree;
} rows[] = {
    /* words and the implicit AND */
    {"one word", "mentorship", 0, "mentorship"},
    {"two words: AND", "reverse mentorship", 0, "(AND reverse mentorship)"},
    {"case and accents folded", "ÉTÉ Inversé", 0, "(AND ete inverse)"},
    {"explicit AND", "a AND b", 0, "(AND a b)"},
    {"&& is AND", "a && b", 0, "(AND a b)"},
    {"lowercase and is a word", "a and b", 0, "(AND a and b)"},
    /* OR */
    {"OR", "a OR b", 0, "(OR a b)"},
    {"|| is OR", "a || b", 0, "(OR a b)"},
    {"AND binds tighter than OR", "a OR b c", 0, "(OR a (AND b c))"},
    {"lowercase or is a word", "a or b", 0, "(AND a or b)"},
    {"trailing OR ignored", "a OR", 0, "a"},
    {"leading OR ignored", "OR a", 0, "a"},
    {"lone OR: nothing", "OR", 0, "()"},
    {"lone AND: nothing", "AND", 0, "()"},
    /* NOT */
    {"NOT word", "NOT a b", 0, "(AND (NOT a) b)"},
    {"-word", "a -b", 0, "(AND a (NOT b))"},
    {"+word is the word", "+a b", 0, "(AND a b)"},
    {"NOT at the end is the word not", "a NOT", 0, "(AND a not)"},
    {"lone NOT is the word not", "NOT", 0, "not"},
    {"-(group)", "x -(a b)", 0, "(AND x (NOT (AND a b)))"},
    {"-\"phrase\"", "x -\"a b\"", 0, "(AND x (NOT (PHRASE a b)))"},
    {"NOT (group)", "x NOT (a OR b)", 0, "(AND x (NOT (OR a b)))"},
    {"lone minus: nothing", "-", 0, "()"},
    {"minus inside a word", "a-b", 0, "(PHRASE a b)"},
    /* brackets */
    {"group", "(a OR b) c", 0, "(AND (OR a b) c)"},
    {"nested groups", "((a OR b) (c OR d))", 0,
     "(AND (OR a b) (OR c d))"},
    {"unclosed bracket closes at the end", "a (b OR c", 0,
     "(AND a (OR b c))"},
    {"stray closing bracket skipped", "a ) b", 0, "(AND a b)"},
    {"lone bracket: nothing", "(", 0, "()"},
    {"lone closing bracket: nothing", ")", 0, "()"},
    {"deep brackets", "(((a", 0, "a"},
    /* phrases */
    {"phrase", "\"reverse mentorship\"", 0, "(PHRASE reverse mentorship)"},
    {"phrase and word", "\"a b\" c", 0, "(AND (PHRASE a b) c)"},
    {"curly quotes", "\xE2\x80\x9C" "a b" "\xE2\x80\x9D", 0,
     "(PHRASE a b)"},
    {"guillemets", "\xC2\xAB" "mentorat invers" E_ACUTE "\xC2\xBB", 0,
     "(PHRASE mentorat inverse)"},
    {"unclosed quote closes at the end", "a \"b c", 0,
     "(AND a (PHRASE b c))"},
    {"lone quote: nothing", "\"", 0, "()"},
    {"empty phrase: nothing", "\"\"", 0, "()"},
    {"one-word phrase is the word", "\"a\"", 0, "a"},
    {"quote inside a word", "a\"b", 0, "(AND a b)"},
    /* prefixes */
    {"prefix", "mentor*", 0, "mentor*"},
    {"prefix folded", "INVERS" E_ACUTE "*", 0, "inverse*"},
    {"prefix after an elision", "l'" E_ACUTE "t" E_ACUTE "*", 0, "ete*"},
    {"prefix on a chunk of words", "e-mail*", 0, "(AND e mail*)"},
    {"lone star: nothing", "*", 0, "()"},
    {"star inside a word", "a*b", 0, "(PHRASE a b)"},
    /* fields */
    {"lang:fr", "lang:fr " E_ACUTE "t" E_ACUTE, 0, "(AND lang:fr ete)"},
    {"LANG:EN any case", "LANG:EN x", 0, "(AND lang:en x)"},
    {"lang:french", "lang:french x", 0, "(AND lang:fr x)"},
    {"unknown language: words", "lang:de x", 0,
     "(AND (PHRASE lang de) x)"},
    {"-lang:", "x -lang:en", 0, "(AND x (NOT lang:en))"},
    {"path:", "path:/tmp/posts a", 0, "(AND path:/tmp/posts a)"},
    {"path: quoted", "path:\"my posts\" a", 0, "(AND path:my posts a)"},
    {"empty path: ignored", "path: a", 0, "a"},
    /* ordinary punctuation is never an error */
    {"elision", "l'" E_ACUTE "t" E_ACUTE, 0, "ete"},
    {"curly elision", "l" RSQ "avion", 0, "avion"},
    {"don't", "don't", 0, "don't"},
    {"e-mail", "e-mail", 0, "(PHRASE e mail)"},
    {"C++", "C++", 0, "c++"},
    {"c#", "c#", 0, "c#"},
    {"+C++ is a sign and a word", "+C++", 0, "c++"},
    {"C++ in a phrase", "\"C++ code\"", 0, "(PHRASE c++ code)"},
    {".net", ".net", 0, "net"},
    {"20:39", "20:39", 0, "(PHRASE 20 39)"},
    {"a url", "http://example.org/a", 0, "(PHRASE http example org a)"},
    {"colon", "a:b", 0, "(PHRASE a b)"},
    {"only punctuation: nothing", "!?;,", 0, "()"},
    {"empty", "", 0, "()"},
    {"spaces", " \t ", 0, "()"},
    /* not UTF-8 (a Latin-1 terminal): read as Windows-1252, as posts */
    {"Latin-1 word", "caf\xE9", 0, "cafe"},
    {"Latin-1 words folded", "\xC9T\xC9 invers\xE9", 0, "(AND ete inverse)"},
    {"Latin-1 guillemets quote", "\xAB" "mentorat invers\xE9" "\xBB", 0,
     "(PHRASE mentorat inverse)"},
    {"Windows-1252 curly quotes", "\x93" "a b" "\x94", 0, "(PHRASE a b)"},
    {"Latin-1 no-break space", "a\xA0" "b", 0, "(AND a b)"},
    {"Windows-1252 ligature", "c\x9Cur", 0, "coeur"},
    {"a UTF-8 word beside a Latin-1 one", "caf" E_ACUTE " cr\xE8me", 0,
     "(AND cafe creme)"},
    {"Latin-1 prefix", "invers\xE9*", 0, "inverse*"},
    {"path: stays bytes", "path:/caf\xE9 a", 0, "(AND path:/caf\xE9 a)"},
    /* --any */
    {"any: OR of the words", "a b c", 1, "(OR a b c)"},
    {"any: one word", "a", 1, "a"},
    {"any: NOT stays required", "a b -c", 1, "(AND (NOT c) (OR a b))"},
    {"any: lang: stays required", "lang:fr a b", 1,
     "(AND lang:fr (OR a b))"},
    {"any: path: stays required", "a b path:/x", 1,
     "(AND path:/x (OR a b))"},
    {"any: one word and a NOT", "a -b", 1, "(AND a (NOT b))"},
    {"any: explicit OR unchanged", "a OR b", 1, "(OR a b)"},
    {"any: groups kept whole", "(a b) c", 1, "(OR (AND a b) c)"},
};

static void test_rows(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < COUNT(rows); i++) {
        qnode_t *root = NULL;
        char err[128];
        int rc = query_parse(rows[i].query, strlen(rows[i].query), &root,
                             err, sizeof err);
        assert_int_equal(rc, 0);
        if (rows[i].any)
            assert_int_equal(query_make_any(root), 0);
        buf_t b = {0};
        int brc = 0;
        query_describe(root, &b, &brc);
        assert_int_equal(brc, 0);
        if (strcmp(b.p, rows[i].tree)) {
            fprintf(stderr, "%s: '%s' gave %s, expected %s\n", rows[i].tn,
                    rows[i].query, b.p, rows[i].tree);
            failed++;
        }
        buf_free(&b);
        qnode_free(root);
    }
    assert_int_equal(failed, 0);
}

/* What the search refuses: too many words is an error, not a crash. */
static void test_too_many_words(void **state)
{
    (void)state;
    size_t n = (QUERY_WORDS_MAX + 1) * 2;
    char *q = malloc(n + 1);
    assert_non_null(q);
    for (size_t i = 0; i < n; i += 2) {
        q[i] = 'a';
        q[i + 1] = ' ';
    }
    q[n] = '\0';
    qnode_t *root = NULL;
    char err[128];
    assert_int_equal(query_parse(q, n, &root, err, sizeof err), -2);
    assert_null(root);
    assert_non_null(strstr(err, "more than"));
    free(q);
}

/* A query with NUL bytes and invalid UTF-8 parses (as words). */
static void test_odd_bytes(void **state)
{
    (void)state;
    static const char q[] = "a\0b \xFF\xFE c";
    qnode_t *root = NULL;
    char err[128];
    assert_int_equal(query_parse(q, sizeof q - 1, &root, err, sizeof err), 0);
    assert_true(query_has_positive(root));
    qnode_free(root);
}

static void test_has_positive(void **state)
{
    (void)state;
    static const struct {
        const char *q;
        int positive;
    } cases[] = {
        {"a", 1}, {"-a", 0}, {"NOT a", 0}, {"lang:fr", 0},
        {"path:/x", 0}, {"a OR -b", 1}, {"\"a b\"", 1}, {"a*", 1},
        {"-(a b)", 0}, {"", 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        qnode_t *root = NULL;
        char err[64];
        assert_int_equal(query_parse(cases[i].q, strlen(cases[i].q), &root,
                                     err, sizeof err),
                         0);
        if (query_has_positive(root) != cases[i].positive)
            fail_msg("'%s': expected %d", cases[i].q, cases[i].positive);
        qnode_free(root);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_too_many_words),
        cmocka_unit_test(test_odd_bytes),
        cmocka_unit_test(test_has_positive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
