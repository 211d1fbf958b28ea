/*
 * test_fold.c - fold.c and the generated tables: folding, lowering and
 * character classes.  One row per case: {tn, input, expected}.
 */

#include "unit.h"
#include "analysis/fold.h"
#include "analysis/utf8.h"

/* fold_string: the folded form of a string. */
static const struct {
    const char *tn;
    const char *in;
    const char *out;
} fold_rows[] = {
    {"ascii lower", "avion", "avion"},
    {"ascii upper", "AVION", "avion"},
    {"ascii punctuation kept", "C++ 20:39!", "c++ 20:39!"},
    {"e acute", "\xC3\xA9", "e"},                   /* é */
    {"E acute", "\xC3\x89", "e"},                   /* É */
    {"ete", "\xC3\xA9t\xC3\xA9", "ete"},            /* été */
    {"ETE", "\xC3\x89T\xC3\x89", "ete"},            /* ÉTÉ */
    {"c cedilla", "\xC3\xA7", "c"},                 /* ç */
    {"fi ligature", "\xEF\xAC\x81", "fi"},          /* ﬁ */
    {"ffl ligature", "\xEF\xAC\x84", "ffl"},        /* ﬄ */
    {"oe", "\xC5\x93", "oe"},                       /* œ */
    {"OE", "\xC5\x92", "oe"},                       /* Œ */
    {"oeuvre", "\xC5\x92uvre", "oeuvre"},           /* Œuvre */
    {"ae", "\xC3\xA6", "ae"},                       /* æ */
    {"AE", "\xC3\x86", "ae"},                       /* Æ */
    {"sharp s", "\xC3\x9F", "ss"},                  /* ß */
    {"capital sharp s", "\xE1\xBA\x9E", "ss"},      /* ẞ */
    {"o stroke", "\xC3\xB8", "o"},                  /* ø */
    {"O stroke", "\xC3\x98", "o"},                  /* Ø */
    {"d stroke", "\xC4\x91", "d"},                  /* đ */
    {"D stroke", "\xC4\x90", "d"},                  /* Đ */
    {"l stroke", "\xC5\x82", "l"},                  /* ł */
    {"L stroke", "\xC5\x81", "l"},                  /* Ł */
    {"h stroke", "\xC4\xA7", "h"},                  /* ħ */
    {"dotless i", "\xC4\xB1", "i"},                 /* ı */
    {"I dot above", "\xC4\xB0", "i"},               /* İ */
    {"thorn", "\xC3\xBE", "th"},                    /* þ */
    {"THORN", "\xC3\x9E", "th"},                    /* Þ */
    {"eth", "\xC3\xB0", "d"},                       /* ð */
    {"eng", "\xC5\x8B", "n"},                       /* ŋ */
    {"ij ligature", "\xC4\xB3", "ij"},              /* ĳ */
    {"long s", "\xC5\xBF", "s"},                    /* ſ */
    {"superscript two", "\xC2\xB2", "2"},           /* ² */
    {"circled one", "\xE2\x91\xA0", "1"},           /* ① */
    {"fullwidth A", "\xEF\xBC\xA1", "a"},           /* Ａ */
    {"fullwidth digit", "\xEF\xBC\x95", "5"},       /* ５ */
    {"math bold A", "\xF0\x9D\x90\x80", "a"},       /* 𝐀 */
    {"roman numeral twelve", "\xE2\x85\xAB", "xii"},/* Ⅻ */
    {"trade mark", "\xE2\x84\xA2", "tm"},           /* ™ */
    {"nbsp", "a\xC2\xA0" "b", "a b"},               /* NBSP -> space */
    {"narrow nbsp", "a\xE2\x80\xAF" "b", "a b"},  /* U+202F -> space */
    {"right quote", "\xE2\x80\x99", "'"},           /* ’ */
    {"left quote", "\xE2\x80\x98", "'"},            /* ‘ */
    {"modifier apostrophe", "\xCA\xBC", "'"},       /* ʼ */
    {"modifier prime kept", "\xCA\xB9", "\xCA\xB9"},/* ʹ is a letter */
    {"combining acute", "e\xCC\x81", "e"},          /* e + U+0301 */
    {"combining two marks", "a\xCC\xA3\xCC\x82", "a"},
    {"soft hyphen", "inter\xC2\xAD" "national", "international"},
    {"zero width joiner", "a\xE2\x80\x8D" "b", "ab"},
    {"zero width space", "a\xE2\x80\x8B" "b", "ab"},
    {"bom", "\xEF\xBB\xBF" "a", "a"},
    {"greek", "\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91",
     "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1"}, /* ΑΘΗΝΑ -> αθηνα */
    {"greek tonos", "\xCE\xAC", "\xCE\xB1"},      /* ά -> α */
    {"final sigma", "\xCF\x82", "\xCF\x83"},      /* ς -> σ */
    {"cyrillic yo", "\xD0\x81", "\xD0\xB5"},      /* Ё -> е */
    {"cjk unchanged", "\xE4\xB8\xAD", "\xE4\xB8\xAD"},
    {"hangul syllable unchanged", "\xEA\xB0\x80", "\xEA\xB0\x80"},
    {"invalid byte", "a\xFF" "b", "a\xEF\xBF\xBD" "b"},
    {"empty", "", ""},
};

static void test_fold_string(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(fold_rows); i++) {
        size_t n = strlen(fold_rows[i].in);
        char *out = malloc(n * FOLD_MAX + 1);
        assert_non_null(out);
        size_t len = fold_string(fold_rows[i].in, n, out);
        if (len != strlen(out) || strcmp(out, fold_rows[i].out) != 0)
            fail_msg("%s: got '%s', want '%s'", fold_rows[i].tn, out,
                     fold_rows[i].out);
        free(out);
    }
}

/* fold_lower_codepoint: lowercase, accents kept. */
static const struct {
    const char *tn;
    uint32_t cp;
    const char *out;
} lower_rows[] = {
    {"A", 'A', "a"},
    {"a", 'a', "a"},
    {"E acute", 0xC9, "\xC3\xA9"},          /* É -> é */
    {"e acute", 0xE9, "\xC3\xA9"},          /* é -> é */
    {"OE", 0x152, "\xC5\x93"},              /* Œ -> œ */
    {"sharp s", 0xDF, "ss"},                /* full case folding */
    {"fi ligature", 0xFB01, "fi"},
    {"fullwidth A", 0xFF21, "\xEF\xBD\x81"},/* Ａ -> ａ */
    {"right quote", 0x2019, "'"},
    {"soft hyphen", 0xAD, ""},
    {"combining acute", 0x301, "\xCC\x81"},
    {"past 10FFFF", 0x110000, "\xEF\xBF\xBD"},
};

static void test_lower(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(lower_rows); i++) {
        char out[FOLD_MAX + 1];
        size_t len = fold_lower_codepoint(lower_rows[i].cp, out);
        out[len] = '\0';
        if (strcmp(out, lower_rows[i].out) != 0)
            fail_msg("%s: got '%s', want '%s'", lower_rows[i].tn, out,
                     lower_rows[i].out);
    }
}

/* fold_class. */
static const struct {
    const char *tn;
    uint32_t cp;
    char_class_t cls;
} class_rows[] = {
    {"a", 'a', CC_WORD},
    {"Z", 'Z', CC_WORD},
    {"digit", '7', CC_WORD},
    {"e acute", 0xE9, CC_WORD},
    {"superscript two", 0xB2, CC_WORD},
    {"cjk", 0x4E2D, CC_WORD},
    {"space", ' ', CC_SPACE},
    {"tab", '\t', CC_SPACE},
    {"newline", '\n', CC_SPACE},
    {"nbsp", 0xA0, CC_SPACE},
    {"narrow nbsp", 0x202F, CC_SPACE},
    {"ideographic space", 0x3000, CC_SPACE},
    {"apostrophe", '\'', CC_APOSTROPHE},
    {"right quote", 0x2019, CC_APOSTROPHE},
    {"left quote", 0x2018, CC_APOSTROPHE},
    {"modifier apostrophe", 0x2BC, CC_APOSTROPHE},
    {"fullwidth apostrophe", 0xFF07, CC_APOSTROPHE},
    {"modifier prime", 0x2B9, CC_WORD},
    {"combining acute", 0x301, CC_MARK},
    {"soft hyphen", 0xAD, CC_MARK},
    {"zwj", 0x200D, CC_MARK},
    {"zwnj", 0x200C, CC_MARK},
    {"word joiner", 0x2060, CC_MARK},
    {"bom", 0xFEFF, CC_MARK},
    {"zero width space", 0x200B, CC_SEPARATOR},
    {"hyphen", '-', CC_SEPARATOR},
    {"plus", '+', CC_SEPARATOR},
    {"guillemet", 0xAB, CC_SEPARATOR},
    {"right double quote", 0x201D, CC_SEPARATOR},
    {"euro", 0x20AC, CC_SEPARATOR},
    {"replacement", 0xFFFD, CC_SEPARATOR},
    {"nul", 0, CC_SEPARATOR},
    {"unassigned", 0x378, CC_SEPARATOR},
    {"surrogate", 0xD800, CC_SEPARATOR},
    {"private use", 0xE000, CC_SEPARATOR},
    {"last", 0x10FFFF, CC_SEPARATOR},
    {"past 10FFFF", 0x110000, CC_SEPARATOR},
};

static void test_class(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(class_rows); i++) {
        char_class_t c = fold_class(class_rows[i].cp);
        if (c != class_rows[i].cls)
            fail_msg("%s: got %d, want %d", class_rows[i].tn, (int)c,
                     (int)class_rows[i].cls);
    }
}

/* Over all code points: forms fit FOLD_MAX, are valid UTF-8, fold_string
 * agrees with fold_codepoint, folding is idempotent, and marks fold to
 * nothing. */
static void test_all_codepoints(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        char f[FOLD_MAX + 1], l[FOLD_MAX + 1], s[UTF8_MAX];
        char again[FOLD_MAX * FOLD_MAX + 1], whole[FOLD_MAX + 1];
        size_t fn = fold_codepoint(cp, f), ln = fold_lower_codepoint(cp, l);
        if (fn > FOLD_MAX || ln > FOLD_MAX || !utf8_valid(f, fn) ||
            !utf8_valid(l, ln))
            fail_msg("U+%04X: bad form", (unsigned)cp);
        if (fold_class(cp) == CC_MARK && fn != 0)
            fail_msg("U+%04X: a mark that folds to something", (unsigned)cp);
        if (fold_class(cp) == CC_WORD && fn == 0)
            fail_msg("U+%04X: a letter that folds to nothing", (unsigned)cp);
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t sn = utf8_encode(cp, s);
        if (fold_string(s, sn, whole) != fn || memcmp(whole, f, fn) != 0)
            fail_msg("U+%04X: fold_string disagrees", (unsigned)cp);
        if (fold_string(f, fn, again) != fn || memcmp(again, f, fn) != 0)
            fail_msg("U+%04X: folding is not idempotent", (unsigned)cp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_string),
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_class),
        cmocka_unit_test(test_all_codepoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
