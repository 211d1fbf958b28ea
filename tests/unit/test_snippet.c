/*
 * test_snippet.c - snippet windows and highlights, in English and French.
 *
 * One row per case: {tn, passage, query, words, snippet}.  The passage is
 * tokenized by the one tokenizer; a word token matches query word i (its
 * leaf) when its folded term is the query word's, or shares its English
 * or its French stem, as the search's stem expansion would make it match.
 * `snippet` is the expected snippet with each highlight between [ and ].
 */

#include "unit.h"
#include "analysis/stem.h"
#include "analysis/token.h"
#include "analysis/utf8.h"
#include "lib/buf.h"
#include "lib/snippet.h"

#define RSQ "\xE2\x80\x99"      /* ’ */
#define E_ACUTE "\xC3\xA9"      /* é */
#define E_UPPER "\xC3\x89"      /* É */
#define HELLIP "\xE2\x80\xA6"   /* … */
#define NBSP "\xC2\xA0"

static const struct {
    const char *tn;
    const char *passage;
    const char *query; /* words, one space apart */
    size_t words;      /* snippet length in words */
    const char *snippet;
} rows[] = {
    /* highlights: exactly the characters behind a match */
    {"plain word", "The reverse mentorship program.", "mentorship", 30,
     "The reverse [mentorship] program."},
    {"elision: avion in l'avion", "Il prend l" RSQ "avion demain.", "avion",
     30, "Il prend l" RSQ "[avion] demain."},
    {"accent folded: cle finds Cle", "Cl" E_ACUTE " USB perdue.", "cle", 30,
     "[Cl" E_ACUTE "] USB perdue."},
    {"inversee finds inversee", "La pyramide invers" E_ACUTE "e.", "inversee",
     30, "La pyramide [invers" E_ACUTE "e]."},
    {"upper case folded", E_UPPER "T" E_UPPER " 2024", "ete", 30,
     "[" E_UPPER "T" E_UPPER "] 2024"},
    {"stem: jardins finds jardin", "Un jardin au printemps.", "jardins", 30,
     "Un [jardin] au printemps."},
    {"stem: cycling finds cycle", "We cycle to work.", "cycling", 30,
     "We [cycle] to work."},
    {"possessive: Lisa's", "Lisa" RSQ "s passion", "lisa", 30,
     "[Lisa]" RSQ "s passion"},
    {"two words, each marked", "reverse and mentorship", "reverse mentorship",
     30, "[reverse] and [mentorship]"},
    {"adjacent matches stay apart", "reverse mentorship", "reverse mentorship",
     30, "[reverse] [mentorship]"},
    {"every occurrence", "mentor, mentor, mentor", "mentor", 30,
     "[mentor], [mentor], [mentor]"},
    {"no match: the start", "Nothing here at all.", "absent", 30,
     "Nothing here at all."},
    /* white space */
    {"white space collapsed", "a\n\n   b\tc", "b", 30, "a [b] c"},
    {"no-break space kept", "100" NBSP "km", "km", 30, "100" NBSP "[km]"},
    /* windows */
    {"window after the start",
     "one two three four five six seven eight nine target ten eleven",
     "target", 4, HELLIP "eight nine [target] ten" HELLIP},
    {"window at the end keeps the full stop",
     "one two three four five six seven eight nine target.", "target", 3,
     HELLIP "eight nine [target]."},
    {"window at the start", "target one two three four five six", "target",
     3, "[target] one two" HELLIP},
    {"most distinct words win over more matches",
     "alpha alpha alpha x x x x x x alpha beta x", "alpha beta", 3,
     HELLIP "x [alpha] [beta]" HELLIP},
    {"then the most matches",
     "alpha x x x x x x alpha alpha x x", "alpha", 3,
     HELLIP "x [alpha] [alpha]" HELLIP},
    {"then the tightest",
     "alpha x beta x x x x x alpha beta x x", "alpha beta", 3,
     HELLIP "x [alpha] [beta]" HELLIP},
    {"elision glued to the first word",
     "un deux trois quatre cinq six l" RSQ "avion vole", "avion", 1,
     HELLIP "l" RSQ "[avion]" HELLIP},
    {"opening bracket glued to the first word",
     "one two three four five (target) six", "target", 1,
     HELLIP "([target])" HELLIP},
    {"French window",
     "Le mentorat invers" E_ACUTE " met en relation un jeune salari" E_ACUTE
     " et un cadre exp" E_ACUTE "riment" E_ACUTE " de l" RSQ "entreprise.",
     "mentorat inverse", 4,
     "Le [mentorat] [invers" E_ACUTE "] met" HELLIP},
    /* a window cut inside a compound: no hyphen left hanging */
    {"compound cut before the first word", "un arc-en-ciel", "ciel", 1,
     HELLIP "[ciel]"},
    {"compound cut after the last word", "d" RSQ "arrache-pied tout",
     "arrache", 1, "d" RSQ "[arrache]" HELLIP},
    {"compound cut before an elision", "un chef-d" RSQ "oeuvre ici",
     "oeuvre", 1, HELLIP "d" RSQ "[oeuvre]" HELLIP},
    {"compound cut on both sides", "the so-called state-of-the-art tool",
     "called", 1, HELLIP "[called]" HELLIP},
    /* the ends of the passage: what stands before its first word or
     * after its last is shown, not an ellipsis, when short */
    {"a lone slash before the first word",
     "/   Le r" E_ACUTE "pertoire racine", "repertoire", 30,
     "/ Le [r" E_ACUTE "pertoire] racine"},
    {"a bullet before the first word", "\xE2\x80\xA2 target one two",
     "target", 2, "\xE2\x80\xA2 [target] one" HELLIP},
    {"a spaced colon after the last word",
     "D" E_ACUTE "finir LC_NUMERIC (fran" "\xC3\xA7" "ais) :", "francais", 30,
     "D" E_ACUTE "finir LC_NUMERIC ([fran" "\xC3\xA7" "ais]) :"},
    {"closing guillemet after the last word",
     "le mentorat \xC2\xAB invers" E_ACUTE " \xC2\xBB", "inverse", 2,
     HELLIP "mentorat \xC2\xAB [invers" E_ACUTE "] \xC2\xBB"},
    {"a spaced ellipsis after the last word", "one two target ...", "target",
     2, HELLIP "two [target] ..."},
    {"a long run of symbols after the last word is left out",
     "target ========================================", "target", 30,
     "[target]" HELLIP},
    /* two fragments: when no window of `words` holds every distinct word
     * the passage matches, the best window of half of them and one
     * around the words it lacks, " … " between */
    {"far apart: two fragments, both marked",
     "the signal is sent to the process and then the kernel looks for "
     "the handler it set", "signal handler", 6,
     "the [signal] is " HELLIP " the [handler] it" HELLIP},
    {"far apart: the fragments reach the passage's ends",
     "signal one two three four five six seven eight nine handler",
     "signal handler", 6,
     "[signal] one two " HELLIP " eight nine [handler]"},
    {"far apart, three words: the second fragment has what the first lacks",
     "alpha beta one two three four five six seven eight gamma nine",
     "alpha beta gamma", 6,
     "[alpha] [beta] one " HELLIP " eight [gamma] nine"},
    {"one word apart: still two fragments",
     "alpha x beta x x x gamma", "alpha beta gamma", 6,
     "[alpha] x [beta] " HELLIP " x x [gamma]"},
    {"every word in one window: that window, unchanged",
     "one two three alpha x x x x beta four five six", "alpha beta", 6,
     HELLIP "[alpha] x x x x [beta]" HELLIP},
    {"a query word not in the passage: one window, unchanged",
     "one two three alpha x beta four five six seven", "alpha beta gamma", 6,
     HELLIP "two three [alpha] x [beta] four" HELLIP},
    {"halves that would touch: the one window",
     "one two three four alpha x x x x beta five six", "alpha beta", 6,
     HELLIP "[alpha] x x x x [beta]" HELLIP},
    {"far apart, three words: one window", "signal x x x x x handler",
     "signal handler", 3, "[signal] x x" HELLIP},
    {"far apart, two words: one window", "x signal x x x x x handler",
     "signal handler", 2, "x [signal]" HELLIP},
    {"far apart, one word: one window", "x signal x x x x x handler",
     "signal handler", 1, HELLIP "[signal]" HELLIP},
    {"one word", "alpha beta gamma", "beta", 1, HELLIP "[beta]" HELLIP},
    {"zero words means one", "alpha beta gamma", "gamma", 0,
     HELLIP "[gamma]"},
    {"text with no word", "--- *** ---", "x", 30, "--- *** ---"},
};

/* Matches tokens against the query words: folded form or a stem. */
typedef struct matcher {
    stemmer_t *en, *fr;
    char words[8][64];  /* the query's folded words */
    char sen[8][64];    /* their English stems */
    char sfr[8][64];    /* their French stems */
    size_t n;
    snippet_token_t *tokens;
    size_t ntokens, cap;
} matcher_t;

static void stem_into(stemmer_t *s, const char *lower, size_t len,
                      char *out)
{
    size_t n;
    const char *stem = stemmer_stem(s, lower, len, &n);
    assert_non_null(stem);
    assert_true(n < 64);
    memcpy(out, stem, n);
    out[n] = '\0';
}

static int on_query_token(void *ctx, const token_t *tok)
{
    matcher_t *m = ctx;
    if (tok->kind != TOKEN_WORD || m->n == 8)
        return 0;
    snprintf(m->words[m->n], 64, "%s", tok->term);
    stem_into(m->en, tok->lower, tok->lower_len, m->sen[m->n]);
    stem_into(m->fr, tok->lower, tok->lower_len, m->sfr[m->n]);
    m->n++;
    return 0;
}

static int on_text_token(void *ctx, const token_t *tok)
{
    matcher_t *m = ctx;
    if (tok->kind != TOKEN_WORD)
        return 0;
    char en[64], fr[64];
    stem_into(m->en, tok->lower, tok->lower_len, en);
    stem_into(m->fr, tok->lower, tok->lower_len, fr);
    int leaf = -1;
    for (size_t i = 0; i < m->n && leaf < 0; i++)
        if (!strcmp(tok->term, m->words[i]) || !strcmp(en, m->sen[i]) ||
            !strcmp(fr, m->sfr[i]))
            leaf = (int)i;
    if (m->ntokens == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->tokens = realloc(m->tokens, m->cap * sizeof *m->tokens);
        assert_non_null(m->tokens);
    }
    m->tokens[m->ntokens++] = (snippet_token_t){tok->start, tok->end, leaf};
    return 0;
}

/* The snippet with its highlights marked by [ and ]. */
static char *marked(const snippet_t *s)
{
    buf_t b = {0};
    int rc = 0;
    size_t at = 0;
    for (size_t i = 0; i < s->nspans; i++) {
        assert_true(s->spans[i].start >= at);
        assert_true(s->spans[i].end > s->spans[i].start);
        assert_true(s->spans[i].end <= s->text.n);
        buf_add(&b, s->text.p + at, s->spans[i].start - at, &rc);
        buf_addc(&b, '[', &rc);
        buf_add(&b, s->text.p + s->spans[i].start,
                s->spans[i].end - s->spans[i].start, &rc);
        buf_addc(&b, ']', &rc);
        at = s->spans[i].end;
    }
    buf_add(&b, s->text.p + at, s->text.n - at, &rc);
    assert_int_equal(rc, 0);
    return buf_steal(&b);
}

static void test_rows(void **state)
{
    (void)state;
    matcher_t m = {0};
    m.en = stemmer_new(TROUVE_LANG_EN);
    m.fr = stemmer_new(TROUVE_LANG_FR);
    assert_non_null(m.en);
    assert_non_null(m.fr);
    snippet_t s = {0};
    int failed = 0;
    for (size_t i = 0; i < COUNT(rows); i++) {
        m.n = m.ntokens = 0;
        tokenize(rows[i].query, strlen(rows[i].query), 0, on_query_token, &m);
        tokenize(rows[i].passage, strlen(rows[i].passage), 0, on_text_token,
                 &m);
        assert_int_equal(snippet_build(rows[i].passage,
                                       strlen(rows[i].passage), m.tokens,
                                       m.ntokens, rows[i].words, &s),
                         0);
        assert_true(utf8_valid(s.text.p, s.text.n));
        char *got = marked(&s);
        if (strcmp(got, rows[i].snippet)) {
            fprintf(stderr, "%s:\n  got      %s\n  expected %s\n", rows[i].tn,
                    got, rows[i].snippet);
            failed++;
        }
        free(got);
    }
    snippet_free(&s);
    free(m.tokens);
    stemmer_free(m.en);
    stemmer_free(m.fr);
    assert_int_equal(failed, 0);
}

/* Long runs without white space are cut between code points, never
 * inside one, whatever the window. */
static void test_never_splits_utf8(void **state)
{
    (void)state;
    buf_t text = {0};
    int rc = 0;
    for (int i = 0; i < 300; i++)
        buf_adds(&text, E_ACUTE, &rc); /* one 600-byte "word" of é */
    buf_adds(&text, " fin", &rc);
    assert_int_equal(rc, 0);
    snippet_t s = {0};
    /* no tokens at all: the start of the text */
    assert_int_equal(snippet_build(text.p, text.n, NULL, 0, 30, &s), 0);
    assert_true(utf8_valid(s.text.p, s.text.n));
    assert_true(s.text.n < text.n);
    /* the last word only, with the long run glued before it left out */
    snippet_token_t t[2] = {{0, 600, -1}, {601, 604, 0}};
    assert_int_equal(snippet_build(text.p, text.n, t, 2, 1, &s), 0);
    assert_true(utf8_valid(s.text.p, s.text.n));
    assert_string_equal(s.text.p, HELLIP "fin");
    assert_int_equal(s.nspans, 1);
    snippet_free(&s);
    buf_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_never_splits_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
