/*
 * test_passage.c - passage.c and passage_lang.c: paragraphs, headings
 * joined to what follows, long paragraphs cut, word lookups, languages
 * decided from evidence, declarations, cues and neighbours, and the
 * bilingual seed post (tests/data/text/reverse-mentorship.txt) coming out
 * English then French.  One row per case.
 */

#include "unit.h"
#include "text/post.h"
#include "text/passage.h"
#include "analysis/lang.h"
#include "analysis/token.h"

/* A post over `text` with lines from 1 (no copy; not to be freed). */
static post_text_t post_over(const char *text)
{
    static line_anchor_t first = {0, 1};
    post_text_t p;
    memset(&p, 0, sizeof p);
    p.text = (char *)text;
    p.len = strlen(text);
    p.anchors = &first;
    p.nanchors = 1;
    return p;
}

/* Checks what every passage list must be: in order, not overlapping,
 * never empty, no white space at either end. */
static void check_shape(const post_text_t *p, const passage_list_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const passage_t *v = &l->v[i];
        if (v->start >= v->end || v->end > p->len)
            fail_msg("passage %zu: bad range %u..%u", i, v->start, v->end);
        if (i > 0 && v->start < l->v[i - 1].end)
            fail_msg("passage %zu overlaps the one before", i);
        unsigned char a = (unsigned char)p->text[v->start];
        unsigned char z = (unsigned char)p->text[v->end - 1];
        if (a == ' ' || a == '\n' || a == '\t' || z == ' ' || z == '\n' ||
            z == '\t' || (z == 0xA0 && p->text[v->end - 2] == '\xC2'))
            fail_msg("passage %zu has white space at an end", i);
    }
}

/* {tn, text, passages as "LINE HEADING TEXT"}. */
static const struct {
    const char *tn;
    const char *text;
    const char *want[6];
} split_rows[] = {
    {"empty", "", {NULL}},
    {"only blanks", "  \n\t\n\xC2\xA0\n", {NULL}},
    {"one paragraph", "a b c", {"1 0 a b c"}},
    {"two paragraphs", "First one.\n\nSecond one.",
     {"1 0 First one.", "3 0 Second one."}},
    {"nbsp blank line", "One.\n\xC2\xA0 \nTwo.", {"1 0 One.", "3 0 Two."}},
    {"narrow nbsp blank line", "One.\n\xE2\x80\xAF\nTwo.",
     {"1 0 One.", "3 0 Two."}},
    {"trimmed", " \n  a b  \n\n", {"2 0 a b"}},
    {"trailing nbsp trimmed", "a b.\xC2\xA0\xC2\xA0", {"1 0 a b."}},
    {"lines of a paragraph", "one\ntwo\n\nthree.",
     {"1 0 one\ntwo", "4 0 three."}},
    {"heading joined", "Head\n\nBody text.", {"1 1 Head\n\nBody text."}},
    {"headings in a row", "H1\n\nH2\n\n\nBody.",
     {"1 1 H1\n\nH2\n\n\nBody."}},
    {"sentence is no heading", "A sentence.\n\nBody.",
     {"1 0 A sentence.", "3 0 Body."}},
    {"colon is no heading", "Note:\n\nBody.", {"1 0 Note:", "3 0 Body."}},
    {"semicolon is no heading", "So;\n\nBody.", {"1 0 So;", "3 0 Body."}},
    {"question then quote", "Why?\"\n\nBody.",
     {"1 0 Why?\"", "3 0 Body."}},
    {"ellipsis", "And then\xE2\x80\xA6\n\nBody.",
     {"1 0 And then\xE2\x80\xA6", "3 0 Body."}},
    {"bracket after word", "(Version Fran\xC3\xA7" "ais suite)\n\nBody.",
     {"1 1 (Version Fran\xC3\xA7" "ais suite)\n\nBody."}},
    {"twelve words", "a b c d e f g h i j k l\n\nBody.",
     {"1 1 a b c d e f g h i j k l\n\nBody."}},
    {"thirteen words", "a b c d e f g h i j k l m\n\nBody.",
     {"1 0 a b c d e f g h i j k l m", "3 0 Body."}},
    {"two-line paragraph is no heading", "a\nb\n\nBody.",
     {"1 0 a\nb", "4 0 Body."}},
    {"heading at the end", "Body.\n\nEnd", {"1 0 Body.", "3 0 End"}},
    {"headings at the end", "Body.\n\nH1\n\nH2",
     {"1 0 Body.", "3 1 H1\n\nH2"}},
    {"line numbers", "\n\n\nx.\n\n\ny.", {"4 0 x.", "7 0 y."}},
};

static void test_split_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(split_rows); i++) {
        post_text_t p = post_over(split_rows[i].text);
        passage_list_t l = {NULL, 0, 0};
        assert_int_equal(passages_split(&p, &l), 0);
        check_shape(&p, &l);
        size_t want = 0;
        while (want < COUNT(split_rows[i].want) && split_rows[i].want[want])
            want++;
        if (l.n != want)
            fail_msg("%s: %zu passages, want %zu", split_rows[i].tn, l.n,
                     want);
        for (size_t k = 0; k < l.n; k++) {
            char got[256];
            snprintf(got, sizeof got, "%u %u %.*s", l.v[k].line,
                     l.v[k].heading, (int)(l.v[k].end - l.v[k].start),
                     p.text + l.v[k].start);
            if (strcmp(got, split_rows[i].want[k]) != 0)
                fail_msg("%s: passage %zu is [%s], want [%s]",
                         split_rows[i].tn, k, got, split_rows[i].want[k]);
            if (l.v[k].lang != TROUVE_LANG_UNKNOWN)
                fail_msg("%s: lang set by split", split_rows[i].tn);
        }
        passage_list_free(&l);
    }
}

/* Long paragraphs, built from a unit repeated `times`: {tn, unit, times,
 * what each piece but the last must end with (or NULL)}. */
static const struct {
    const char *tn;
    const char *unit;
    int times;
    const char *piece_end;
} cut_rows[] = {
    {"sentences of ten", "w w w w w w w w w w. ", 30, "."},
    {"sentences of ten, 13", "w w w w w w w w w w. ", 13, "."},
    {"long sentences", "a b c d e f g h i j k l m n o p q r s t u v w x y z "
     "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h "
     "i j k l m n o p q r s t u v w x y z! ", 6, "!"},
    {"french quotes", "« un deux trois quatre cinq six sept huit neuf. » ",
     40, "»"},
    {"ellipsis", "one two three four five six seven eight nine\xE2\x80\xA6 ",
     30, "\xE2\x80\xA6"},
    {"question marks", "un deux trois quatre cinq six sept huit neuf dix ? ",
     30, "?"},
    {"line breaks only", "one two three four five six seven\n", 60, NULL},
    {"no break at all", "word ", 500, NULL},
    {"one sentence end early", "a. b c d e f g h i j k l m n o p q r s t ",
     20, NULL},
};

static unsigned count_words(const char *s, size_t n)
{
    unsigned k = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ' || s[i] == '\n';
        if (!sp && !in)
            k++;
        in = !sp;
    }
    return k;
}

static void test_cut_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(cut_rows); i++) {
        size_t ul = strlen(cut_rows[i].unit);
        char *text = malloc(ul * (size_t)cut_rows[i].times + 1);
        assert_non_null(text);
        for (int k = 0; k < cut_rows[i].times; k++)
            memcpy(text + ul * (size_t)k, cut_rows[i].unit, ul);
        text[ul * (size_t)cut_rows[i].times] = '\0';
        post_text_t p = post_over(text);
        unsigned total = count_words(text, p.len);
        passage_list_t l = {NULL, 0, 0};
        assert_int_equal(passages_split(&p, &l), 0);
        check_shape(&p, &l);
        const char *tn = cut_rows[i].tn;
        if (total > PASSAGE_MAX_WORDS && l.n < 2)
            fail_msg("%s: %u words not cut", tn, total);
        unsigned sum = 0;
        for (size_t k = 0; k < l.n; k++) {
            const passage_t *v = &l.v[k];
            unsigned w = count_words(text + v->start, v->end - v->start);
            if (w != v->nwords || v->first_word != sum)
                fail_msg("%s: piece %zu estimate %u/%u, counted %u/%u", tn,
                         k, v->first_word, v->nwords, sum, w);
            sum += w;
            if (l.n > 1 && (w > PASSAGE_MAX_WORDS + 1 ||
                            w < PASSAGE_MIN_WORDS))
                fail_msg("%s: piece %zu has %u words", tn, k, w);
            const char *pe = cut_rows[i].piece_end;
            if (pe && k + 1 < l.n) {
                size_t pl = strlen(pe);
                if (v->end - v->start < pl ||
                    memcmp(text + v->end - pl, pe, pl) != 0)
                    fail_msg("%s: piece %zu ends [%.5s]", tn, k,
                             text + v->end - 5);
            }
        }
        if (sum != total)
            fail_msg("%s: pieces hold %u words of %u", tn, sum, total);
        passage_list_free(&l);
        free(text);
    }
}

/* Line numbers of cut pieces follow the text. */
static void test_cut_lines(void **state)
{
    (void)state;
    char text[4096] = "";
    for (int k = 0; k < 40; k++)
        strcat(text, "one two three four five six seven.\n");
    post_text_t p = post_over(text);
    passage_list_t l = {NULL, 0, 0};
    assert_int_equal(passages_split(&p, &l), 0);
    assert_true(l.n >= 2);
    for (size_t k = 0; k < l.n; k++) {
        uint32_t line = 1;
        for (uint32_t j = 0; j < l.v[k].start; j++)
            line += text[j] == '\n';
        assert_int_equal(l.v[k].line, line);
    }
    passage_list_free(&l);
}

/* Text made of one unit repeated: one paragraph without a break, short
 * paragraphs, short lines. */
static const char *split_units[] = {"abcdefg ", "x\n\n", "y.\n"};

/* Splits n bytes of split_units[u] repeated, checks the passages, and
 * returns the CPU seconds the split took. */
static double split_time(size_t u, size_t n)
{
    char *text = unit_repeat("", split_units[u], "", n, NULL);
    post_text_t p = post_over(text);
    passage_list_t l = {NULL, 0, 0};
    double t0 = cpu_seconds();
    assert_int_equal(passages_split(&p, &l), 0);
    double dt = cpu_seconds() - t0;
    check_shape(&p, &l);
    passage_list_free(&l);
    free(text);
    return dt;
}

/* 8 MB in one paragraph without a break, and 1M short lines: linear. */
static void test_split_large(void **state)
{
    (void)state;
    for (size_t u = 0; u < COUNT(split_units); u++)
        check_linear(split_time, u, split_units[u], (size_t)2 << 20);
}

/* passages_find_word over {first_word, nwords} rows. */
static void test_find_word(void **state)
{
    (void)state;
    passage_t v[4];
    memset(v, 0, sizeof v);
    static const uint32_t fw[] = {0, 5, 5, 10}, nw[] = {5, 0, 3, 2};
    for (size_t i = 0; i < 4; i++) {
        v[i].first_word = fw[i];
        v[i].nwords = nw[i];
    }
    static const struct {
        uint32_t ordinal;
        size_t index;
    } rows[] = {{0, 0}, {4, 0}, {5, 2}, {7, 2}, {8, 4}, {9, 4},
                {10, 3}, {11, 3}, {12, 4}, {UINT32_MAX, 4}};
    for (size_t i = 0; i < COUNT(rows); i++)
        if (passages_find_word(v, 4, rows[i].ordinal) != rows[i].index)
            fail_msg("ordinal %u: %zu, want %zu", rows[i].ordinal,
                     passages_find_word(v, 4, rows[i].ordinal),
                     rows[i].index);
    assert_int_equal(passages_find_word(v, 0, 0), 0);
}

/* ------------------------------------------------------------------ */
/* Languages                                                           */

/* {tn, passage texts separated by '|', evidence per passage, declared
 * language per passage (NULL for none), expected}.
 * Evidence: E/F clear, e/f weak, '.' none, '=' even.
 * Declared: e, f, or '-' for none.  Expected: E, F, '?'. */
static const struct {
    const char *tn;
    const char *texts;
    const char *evidence;
    const char *declared;
    const char *want;
} lang_rows[] = {
    {"all clear", "a|b|c|d", "EFEF", NULL, "EFEF"},
    {"nothing decided", "a|b|c", "..=", NULL, "???"},
    {"undecided take previous", "a|b|c|d", "E..F", NULL, "EEEF"},
    {"leading take next", "a|b|c", "..F", NULL, "FFF"},
    {"previous preferred", "a|b|c", "E.F", NULL, "EEF"},
    {"weak kept", "a|b|c", "e.F", NULL, "EEF"},
    {"even is undecided", "a|b", "E=", NULL, "EE"},
    {"declared beats weak", "a|b", "ef", "fe", "FE"},
    {"clear beats declared", "a|b", "EF", "fe", "EF"},
    {"declared alone", "a|b|c", "...", "fff", "FFF"},
    {"declared, some", "a|b|c", "...", "-f-", "FFF"},
    {"cue sets prior", "Version fran\xC3\xA7" "aise|b|c", "...", NULL,
     "FFF"},
    {"cue beats weak", "Version fran\xC3\xA7" "aise|b|c", ".e.", NULL,
     "FFF"},
    {"cue joined to body", "Version fran\xC3\xA7" "aise\n\nbody|c", "..",
     NULL, "FF"},
    {"clear evidence cancels cue",
     "(Version Fran\xC3\xA7" "ais suite)\n\nbody|b|c|d", "E.e.", NULL,
     "EEEE"},
    {"agreeing evidence keeps cue", "Version fran\xC3\xA7" "aise|b|c",
     ".Fe", NULL, "FFF"},
    {"second cue", "English version|b|Version fran\xC3\xA7" "aise|d",
     ".e.e", NULL, "EEFF"},
    {"cue in a sentence is none",
     "This is the English version of it, more or less.|b", "..", NULL,
     "??"},
    {"clear beats cue", "Version fran\xC3\xA7" "aise|b", ".E", NULL, "FE"},
    {"before a cue, the other half", "a|b|Version fran\xC3\xA7" "aise|d",
     "....", NULL, "EEFF"},
    {"before a cue, the other half (English)", "a|English version|c",
     "...", NULL, "FEE"},
    {"before a cue, weak evidence kept", "a|b|Version fran\xC3\xA7" "aise",
     ".f.", NULL, "FFF"},
    {"before a cue it cancels, the next", "a|(Version Fran\xC3\xA7"
     "ais suite)\n\nbody|c", ".E.", NULL, "EEE"},
};

static lang_count_t evidence(char code)
{
    lang_count_t c;
    memset(&c, 0, sizeof c);
    c.words = 30;
    switch (code) {
    case 'E': c.en = 10; break;
    case 'e': c.en = 3; break;
    case 'F': c.fr = 10; break;
    case 'f': c.fr = 3; break;
    case '=': c.en = 5; c.fr = 5; break;
    default: c.words = 2; break;
    }
    return c;
}

static void test_lang_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(lang_rows); i++) {
        const char *tn = lang_rows[i].tn;
        size_t n = strlen(lang_rows[i].evidence);
        char text[512] = "";
        passage_t v[8];
        lang_count_t counts[8];
        lang_mark_t marks[8];
        memset(v, 0, sizeof v);
        const char *t = lang_rows[i].texts;
        for (size_t k = 0; k < n; k++) {
            const char *bar = strchr(t, '|');
            size_t len = bar ? (size_t)(bar - t) : strlen(t);
            if (k > 0)
                strcat(text, "\n\n");
            v[k].start = (uint32_t)strlen(text);
            strncat(text, t, len);
            v[k].end = (uint32_t)strlen(text);
            /* as passages_split marks a heading joined to its body */
            v[k].heading = strstr(text + v[k].start, "\n\n") != NULL;
            t += len + (bar ? 1 : 0);
            counts[k] = evidence(lang_rows[i].evidence[k]);
            char d = lang_rows[i].declared ? lang_rows[i].declared[k] : '-';
            marks[k].offset = v[k].start;
            marks[k].lang = d == 'e' ? TROUVE_LANG_EN
                            : d == 'f' ? TROUVE_LANG_FR
                                       : TROUVE_LANG_UNKNOWN;
        }
        post_text_t p = post_over(text);
        p.langs = marks;
        p.nlangs = n;
        passages_decide_lang(v, n, counts, &p);
        char got[9];
        for (size_t k = 0; k < n; k++)
            got[k] = v[k].lang == TROUVE_LANG_EN   ? 'E'
                     : v[k].lang == TROUVE_LANG_FR ? 'F'
                                                   : '?';
        got[n] = '\0';
        if (strcmp(got, lang_rows[i].want) != 0)
            fail_msg("%s: %s, want %s", tn, got, lang_rows[i].want);
    }
}

/* No counts and no post: nothing decided, no crash. */
static void test_lang_without_evidence(void **state)
{
    (void)state;
    passage_t v[2];
    memset(v, 0, sizeof v);
    v[0].lang = TROUVE_LANG_EN;  /* overwritten */
    passages_decide_lang(v, 2, NULL, NULL);
    assert_int_equal(v[0].lang, TROUVE_LANG_UNKNOWN);
    assert_int_equal(v[1].lang, TROUVE_LANG_UNKNOWN);
    passages_decide_lang(v, 0, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* The bilingual seed post                                             */

static const char *lang_name(trouve_lang_t l)
{
    return l == TROUVE_LANG_EN ? "en" : l == TROUVE_LANG_FR ? "fr" : "unknown";
}

static int read_seed(post_text_t *p)
{
    static const char *dirs[] = {"tests/data/text", "../tests/data/text",
                                 "../../tests/data/text"};
    const char *env = getenv("TROUVE_TEST_DATA");
    char path[512];
    char why[128];
    for (size_t i = 0; i <= COUNT(dirs); i++) {
        const char *d = i == 0 ? env : dirs[i - 1];
        if (!d)
            continue;
        snprintf(path, sizeof path, "%s/reverse-mentorship.txt", d);
        if (post_read(path, POST_FORMAT_TEXT, NULL, p, why, sizeof why) ==
            TROUVE_SKIP_NONE)
            return 0;
    }
    return -1;
}

static void test_seed(void **state)
{
    (void)state;
    post_text_t p;
    if (read_seed(&p) != 0)
        fail_msg("cannot find tests/data/text/reverse-mentorship.txt "
                 "(run from the repository, or set TROUVE_TEST_DATA)");
    passage_list_t l = {NULL, 0, 0};
    assert_int_equal(passages_split(&p, &l), 0);
    check_shape(&p, &l);
    lang_count_t *counts = calloc(l.n, sizeof *counts);
    assert_non_null(counts);
    for (size_t i = 0; i < l.n; i++)
        tokenize(p.text + l.v[i].start, l.v[i].end - l.v[i].start, 0,
                 lang_count_token, &counts[i]);
    passages_decide_lang(l.v, l.n, counts, &p);

    /* The French half runs from its "Le mentorat inversé" heading (line
     * 52) to the passage asking for comments; the English half is all
     * before.  The LinkedIn comments after it are left out. */
    const char *fr_start = strstr(p.text, "Le mentorat invers\xC3\xA9\n\n<<");
    const char *fr_last = strstr(p.text, "Vous avez un point de vue");
    assert_non_null(fr_start);
    assert_non_null(fr_last);
    size_t en = 0, fr = 0;
    for (size_t i = 0; i < l.n; i++) {
        const passage_t *v = &l.v[i];
        const char *s = p.text + v->start;
        trouve_lang_t want;
        if (s < fr_start)
            want = TROUVE_LANG_EN;
        else if (s <= fr_last)
            want = TROUVE_LANG_FR;
        else
            continue;
        if (v->lang != want)
            fail_msg("passage %zu (line %u) is %s: %.60s", i, v->line,
                     lang_name(v->lang), s);
        en += want == TROUVE_LANG_EN;
        fr += want == TROUVE_LANG_FR;
    }
    assert_true(en >= 15);
    assert_true(fr >= 15);

    /* A few landmarks: where passages start, and heading joins. */
    static const struct {
        const char *start;
        uint32_t line;
        unsigned heading;
    } marks[] = {
        {"Reverse Mentorship / Le mentorat invers\xC3\xA9\nSource:", 1, 0},
        {"Reverse Mentorship / Le mentorat invers\xC3\xA9\n\n(Version", 4,
         1},
        {"Taking a\xC2\xA0Shot\n\nDespite", 16, 1},
        {"Tenter sa chance\n\nMalgr\xC3\xA9", 63, 1},
    };
    for (size_t k = 0; k < COUNT(marks); k++) {
        const char *at = strstr(p.text, marks[k].start);
        assert_non_null(at);
        size_t i = 0;
        while (i < l.n && p.text + l.v[i].start != at)
            i++;
        if (i == l.n)
            fail_msg("no passage starts at [%.30s]", marks[k].start);
        assert_int_equal(l.v[i].line, marks[k].line);
        assert_int_equal(l.v[i].heading, marks[k].heading);
    }
    free(counts);
    passage_list_free(&l);
    post_text_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_rows),
        cmocka_unit_test(test_cut_rows),
        cmocka_unit_test(test_cut_lines),
        cmocka_unit_test(test_split_large),
        cmocka_unit_test(test_find_word),
        cmocka_unit_test(test_lang_rows),
        cmocka_unit_test(test_lang_without_evidence),
        cmocka_unit_test(test_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
