/*
 * test_token.c - the tokenizer.  One row per case: {tn, input, tokens},
 * where tokens lists each token as `slice|term|KIND` (slice = the input
 * bytes between start and end; KIND = W word or E elision, followed by N
 * for TOKEN_NONWORD and L for TOKEN_LONG), one space apart.
 */

#include "unit.h"
#include "analysis/token.h"
#include "analysis/utf8.h"

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define RSQ "\xE2\x80\x99" /* ’ */
#define LSQ "\xE2\x80\x98" /* ‘ */
#define MAP "\xCA\xBC"     /* ʼ */

static const struct {
    const char *tn;
    const char *in;
    const char *tokens;
} rows[] = {
    {"empty", "", ""},
    {"only spaces", " \t\n" NBSP, ""},
    {"one word", "avion", "avion|avion|W"},
    {"elision l curly", "l" RSQ "avion", "l" RSQ "|l'|E avion|avion|W"},
    {"elision L upper", "L'AVION", "L'|l'|E AVION|avion|W"},
    {"elision qu", "qu" RSQ "il", "qu" RSQ "|qu'|E il|il|W"},
    {"elision QU upper", "QU" RSQ "IL", "QU" RSQ "|qu'|E IL|il|W"},
    {"elision jusqu", "jusqu" RSQ "\xC3\xA0",
     "jusqu" RSQ "|jusqu'|E \xC3\xA0|a|W"},
    {"elision lorsqu", "lorsqu'il", "lorsqu'|lorsqu'|E il|il|W"},
    {"elision puisqu", "puisqu'elle", "puisqu'|puisqu'|E elle|elle|W"},
    {"elision quoiqu", "quoiqu'on", "quoiqu'|quoiqu'|E on|on|W"},
    {"elision d before accent", "d" RSQ "\xC3\x88ve",
     "d" RSQ "|d'|E \xC3\x88ve|eve|W"},
    {"elision j", "J'ai", "J'|j'|E ai|ai|W"},
    {"elision c", "c'est", "c'|c'|E est|est|W"},
    {"elision m n s t", "m'a n'a s'il t'es",
     "m'|m'|E a|a|W n'|n'|E a|a|W s'|s'|E il|il|W t'|t'|E es|es|W"},
    {"elision modifier apostrophe", "l" MAP "avion",
     "l" MAP "|l'|E avion|avion|W"},
    {"elision left quote", "l" LSQ "avion", "l" LSQ "|l'|E avion|avion|W"},
    {"elision before a digit is not one", "l'2", "l|l|W 2|2|WN"},
    {"elision at the end", "qu" RSQ, "qu|qu|W"},
    {"elision before nbsp", "l" RSQ NBSP "\xC3\xA9t\xC3\xA9",
     "l|l|W \xC3\xA9t\xC3\xA9|ete|W"},
    {"ete with nbsp around", NBSP "l" RSQ "\xC3\xA9t\xC3\xA9" NBSP,
     "l" RSQ "|l'|E \xC3\xA9t\xC3\xA9|ete|W"},
    {"narrow nbsp separates", "a" NNBSP "b", "a|a|W b|b|W"},
    {"L'Oreal", "L" RSQ "Or\xC3\xA9" "al",
     "L" RSQ "|l'|E Or\xC3\xA9" "al|oreal|W"},
    {"aujourd'hui whole", "aujourd" RSQ "hui",
     "aujourd" RSQ "hui|aujourd'hui|W"},
    {"aujourd'hui ascii", "Aujourd'hui", "Aujourd'hui|aujourd'hui|W"},
    {"presqu'ile whole", "presqu" RSQ "\xC3\xAEle",
     "presqu" RSQ "\xC3\xAEle|presqu'ile|W"},
    {"possessive curly", "Lisa" RSQ "s", "Lisa|lisa|W"},
    {"possessive then word", "Lisa's passion", "Lisa|lisa|W passion|passion|W"},
    {"possessive upper S", "LISA'S", "LISA|lisa|W"},
    {"possessive it's", "it's", "it|it|W"},
    {"not possessive: 'sa", "Lisa'sa", "Lisa'sa|lisa'sa|W"},
    {"don't", "don" RSQ "t", "don" RSQ "t|don't|W"},
    {"rock'n'roll", "rock'n'roll", "rock'n'roll|rock'n'roll|W"},
    {"O'Brien", "O" RSQ "Brien", "O" RSQ "Brien|o'brien|W"},
    {"trailing apostrophe", "students'", "students|students|W"},
    {"quoted", "'mentor' " LSQ "mentee" RSQ,
     "mentor|mentor|W mentee|mentee|W"},
    {"double apostrophe", "a''b", "a|a|W b|b|W"},
    {"e-mail", "e-mail", "e|e|W mail|mail|W"},
    {"C++", "C++", "C++|c++|W"},
    {"C# and F#", "C# and F#.", "C#|c#|W and|and|W F#|f#|W"},
    {"Notepad++ then comma", "Notepad++, g++", "Notepad++|notepad++|W g++|g++|W"},
    {"suffix at most three", "x++++ y+#+", "x|x|W y+#+|y+#+|W"},
    {"suffix before a letter is not one", "a+b C++x", "a|a|W b|b|W C|c|W x|x|W"},
    {"suffix on a number is not one", "18+ 3#", "18|18|WN 3|3|WN"},
    {"suffix after accents", "\xC3\xA9t\xC3\xA9++ ok",
     "\xC3\xA9t\xC3\xA9++|ete++|W ok|ok|W"},
    {"suffix before a mark is not one", "c+\xCC\x81", "c|c|W"},
    {"suffix after a possessive is not one", "Lisa's++", "Lisa|lisa|W"},
    {"time", "20:39", "20|20|WN 39|39|WN"},
    {"year", "2013", "2013|2013|WN"},
    {"digits and letters", "3D mp3", "3D|3d|W mp3|mp3|W"},
    {"superscript digits", "\xC2\xB2\xC2\xB3", "\xC2\xB2\xC2\xB3|23|WN"},
    {"fullwidth digits", "\xEF\xBC\x91\xEF\xBC\x92", /* １２ */
     "\xEF\xBC\x91\xEF\xBC\x92|12|WN"},
    {"percent", "100%", "100|100|WN"},
    {"inverse", "invers\xC3\xA9", "invers\xC3\xA9|inverse|W"},
    {"ETE upper", "\xC3\x89T\xC3\x89", "\xC3\x89T\xC3\x89|ete|W"},
    {"guillemets", "\xC2\xAB zones \xC2\xBB", "zones|zones|W"},
    {"guillemets with nbsp", "\xC2\xAB" NBSP "zones" NBSP "\xC2\xBB",
     "zones|zones|W"},
    {"guillemets with narrow nbsp", "\xC2\xAB" NNBSP "s\xC3\xA9" "curitaires"
     NNBSP "\xC2\xBB", "s\xC3\xA9" "curitaires|securitaires|W"},
    {"guillemets tight", "<<mentorat>>", "mentorat|mentorat|W"},
    {"combining accent", "inverse\xCC\x81" "e",
     "inverse\xCC\x81" "e|inversee|W"},
    {"combining before any letter", "\xCC\x81" "abc", "abc|abc|W"},
    {"combining after a space", "a \xCC\x81", "a|a|W"},
    {"soft hyphen joins", "inter\xC2\xAD" "national",
     "inter\xC2\xAD" "national|international|W"},
    {"zwj joins", "a\xE2\x80\x8D" "b", "a\xE2\x80\x8D" "b|ab|W"},
    {"zero width space separates", "a\xE2\x80\x8B" "b", "a|a|W b|b|W"},
    {"invalid byte", "ab\xFF" "cd", "ab|ab|W cd|cd|W"},
    {"truncated sequence", "ab\xC3", "ab|ab|W"},
    {"overlong slash", "a\xC0\xAF" "b", "a|a|W b|b|W"},
    {"replacement char", "a\xEF\xBF\xBD" "b", "a|a|W b|b|W"},
    {"sharp s", "Stra\xC3\x9F" "e", "Stra\xC3\x9F" "e|strasse|W"},
    {"oe", "\xC5\x93uvre", "\xC5\x93uvre|oeuvre|W"},
    {"fi ligature", "\xEF\xAC\x81n", "\xEF\xAC\x81n|fin|W"},
    {"slash", "Mentorship / Le", "Mentorship|mentorship|W Le|le|W"},
    {"at mark", "(Play @ 20:39 mark)",
     "Play|play|W 20|20|WN 39|39|WN mark|mark|W"},
    {"greek", "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", /* Αθήνα */
     "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1|"
     "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1|W"},
    {"hyphenated french", "ce jour-l\xC3\xA0", "ce|ce|W jour|jour|W l\xC3\xA0|la|W"},
};

typedef struct collect {
    const char *text;  /* the input, to slice */
    char out[4096];    /* tokens so far */
    size_t n;          /* bytes in out */
    int count;         /* tokens seen */
    int stop_at;       /* return non-zero on this token (1-based), or 0 */
} collect_t;

static int on_token(void *ctx, const token_t *t)
{
    collect_t *c = ctx;
    int w;

    assert_true(t->start < t->end);
    assert_int_equal(strlen(t->term), t->term_len);
    assert_int_equal(strlen(t->lower), t->lower_len);
    w = snprintf(c->out + c->n, sizeof c->out - c->n, "%s%.*s|%s|%s%s%s",
                 c->n ? " " : "", (int)(t->end - t->start),
                 c->text + t->start, t->term,
                 t->kind == TOKEN_ELISION ? "E" : "W",
                 t->flags & TOKEN_NONWORD ? "N" : "",
                 t->flags & TOKEN_LONG ? "L" : "");
    assert_true(w > 0 && (size_t)w < sizeof c->out - c->n);
    c->n += (size_t)w;
    c->count++;
    return c->stop_at == c->count ? 7 : 0;
}

static void test_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        collect_t c = {rows[i].in, "", 0, 0, 0};
        assert_int_equal(tokenize(rows[i].in, strlen(rows[i].in), 0,
                                  on_token, &c), 0);
        if (strcmp(c.out, rows[i].tokens) != 0)
            fail_msg("%s:\n   got '%s'\n  want '%s'", rows[i].tn, c.out,
                     rows[i].tokens);
    }
}

/* The lowercase forms, accents kept, one space apart. */
static const struct {
    const char *tn;
    const char *in;
    const char *lowers;
} lower_rows[] = {
    {"ETE", "\xC3\x89T\xC3\x89", "\xC3\xA9t\xC3\xA9"},
    {"elision", "L" RSQ "AVION", "l' avion"},
    {"don't", "Don" RSQ "t", "don't"},
    {"combining recomposed", "invers" "e\xCC\x81" "e",
     "invers\xC3\xA9" "e"},
    {"upper combining recomposed", "E\xCC\x81T\xC3\x89", "\xC3\xA9t\xC3\xA9"},
    {"two marks recomposed", "e\xCC\xA3\xCC\x82", "\xE1\xBB\x87"}, /* ệ */
    {"mark that does not compose", "q\xCC\x81", "q\xCC\x81"},
    {"soft hyphen dropped", "x\xC2\xAD" "y", "xy"},
    {"sharp s", "STRASSE Stra\xC3\x9F" "e", "strasse strasse"},
    {"oe kept", "\xC5\x92uvre", "\xC5\x93uvre"},
};

static int on_lower(void *ctx, const token_t *t)
{
    collect_t *c = ctx;
    int w = snprintf(c->out + c->n, sizeof c->out - c->n, "%s%s",
                     c->n ? " " : "", t->lower);
    assert_true(w > 0 && (size_t)w < sizeof c->out - c->n);
    c->n += (size_t)w;
    return 0;
}

static void test_lower(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(lower_rows); i++) {
        collect_t c = {lower_rows[i].in, "", 0, 0, 0};
        tokenize(lower_rows[i].in, strlen(lower_rows[i].in), 0, on_lower, &c);
        if (strcmp(c.out, lower_rows[i].lowers) != 0)
            fail_msg("%s: got '%s', want '%s'", lower_rows[i].tn, c.out,
                     lower_rows[i].lowers);
    }
}

/* Ordinals count words from first_ordinal; an elision has its word's. */
static int on_ordinal(void *ctx, const token_t *t)
{
    collect_t *c = ctx;
    int w = snprintf(c->out + c->n, sizeof c->out - c->n, "%s%u",
                     c->n ? " " : "", (unsigned)t->ordinal);
    c->n += (size_t)w;
    return 0;
}

static const struct {
    const char *tn;
    const char *in;
    uint32_t first;
    const char *ordinals;
} ordinal_rows[] = {
    {"from zero", "a b c", 0, "0 1 2"},
    {"from ten", "a b c", 10, "10 11 12"},
    {"elisions", "l'avion qu'il d'un", 0, "0 0 1 1 2 2"},
    {"numbers count", "en 2013 et", 5, "5 6 7"},
};

static void test_ordinals(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(ordinal_rows); i++) {
        collect_t c = {ordinal_rows[i].in, "", 0, 0, 0};
        tokenize(ordinal_rows[i].in, strlen(ordinal_rows[i].in),
                 ordinal_rows[i].first, on_ordinal, &c);
        if (strcmp(c.out, ordinal_rows[i].ordinals) != 0)
            fail_msg("%s: got '%s', want '%s'", ordinal_rows[i].tn, c.out,
                     ordinal_rows[i].ordinals);
    }
}

/* A callback's non-zero return stops the tokenizer, which returns it. */
static void test_stop(void **state)
{
    (void)state;
    const char *text = "l'avion vole haut";
    for (int at = 1; at <= 4; at++) {
        collect_t c = {text, "", 0, 0, at};
        assert_int_equal(tokenize(text, strlen(text), 0, on_token, &c), 7);
        assert_int_equal(c.count, at);
    }
}

typedef struct one_token {
    int count;     /* tokens seen */
    token_t tok;   /* the last one (strings copied below) */
    char term[TOKEN_TERM_MAX + 1];
} one_token_t;

static int on_one(void *ctx, const token_t *t)
{
    one_token_t *o = ctx;
    o->count++;
    o->tok = *t;
    assert_true(t->term_len <= TOKEN_TERM_MAX);
    memcpy(o->term, t->term, t->term_len + 1);
    return 0;
}

/* A 10 KB word: one token spanning it all, its term cut on a character
 * boundary, TOKEN_LONG set. */
static void test_long_words(void **state)
{
    (void)state;
    static const struct {
        const char *tn;
        const char *unit;     /* repeated to 10 KB */
        size_t term_len;      /* expected length of the cut term */
    } long_rows[] = {
        {"ascii", "a", TOKEN_TERM_MAX},
        {"e acute", "\xC3\xA9", TOKEN_TERM_MAX},
        {"ffi ligature, 3 bytes each", "\xEF\xAC\x83", 63},
        {"sharp s then a", "\xC3\x9F" "a", 63},
        {"a then combining marks", "a\xCC\x81\xCC\x81\xCC\x81", 64},
    };
    for (size_t i = 0; i < COUNT(long_rows); i++) {
        size_t unit = strlen(long_rows[i].unit), n = 10240 / unit * unit;
        char *text = malloc(n);
        assert_non_null(text);
        for (size_t j = 0; j < n; j += unit)
            memcpy(text + j, long_rows[i].unit, unit);
        one_token_t o = {0};
        tokenize(text, n, 0, on_one, &o);
        if (o.count != 1 || o.tok.start != 0 || o.tok.end != n ||
            !(o.tok.flags & TOKEN_LONG) ||
            o.tok.term_len != long_rows[i].term_len ||
            !utf8_valid(o.term, o.tok.term_len))
            fail_msg("%s: %d tokens, [%zu,%zu), flags %u, term %zu bytes",
                     long_rows[i].tn, o.count, o.tok.start, o.tok.end,
                     o.tok.flags, o.tok.term_len);
        free(text);
    }
    /* exactly TOKEN_TERM_MAX is not long; one more byte is */
    char word[TOKEN_TERM_MAX + 2];
    memset(word, 'x', sizeof word);
    one_token_t o = {0};
    tokenize(word, TOKEN_TERM_MAX, 0, on_one, &o);
    assert_int_equal(o.tok.flags & TOKEN_LONG, 0);
    tokenize(word, TOKEN_TERM_MAX + 1, 0, on_one, &o);
    assert_int_equal(o.tok.flags & TOKEN_LONG, TOKEN_LONG);
    assert_int_equal(o.tok.term_len, TOKEN_TERM_MAX);
}

/* Arbitrary bytes: tokens stay inside the text, in order, with valid
 * UTF-8 terms of bounded length. */
typedef struct check {
    size_t len, last_end;
    unsigned count;
} check_t;

static int on_check(void *ctx, const token_t *t)
{
    check_t *c = ctx;
    assert_true(t->start >= c->last_end && t->start < t->end &&
                t->end <= c->len);
    assert_true(t->term_len > 0 && t->term_len <= TOKEN_TERM_MAX);
    assert_true(utf8_valid(t->term, t->term_len));
    assert_true(utf8_valid(t->lower, t->lower_len));
    c->last_end = t->end;
    c->count++;
    return 0;
}

static void test_random_bytes(void **state)
{
    (void)state;
    static const char *pieces[] = {
        "a", "Z", "9", " ", "'", RSQ, "\xC3\xA9", "\xCC\x81", "\xC2\xAD",
        "\xFF", "\xC3", "\xE2\x82", "l", "qu", "s", "-", NBSP, "\xEF\xAC\x81",
    };
    size_t cap = 1 << 20;
    char *text = malloc(cap);
    assert_non_null(text);
    unsigned seed = 12345;
    for (int round = 0; round < 4; round++) {
        size_t n = 0;
        while (n + 4 < cap) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0x7fff;
            if (round == 0) { /* raw bytes */
                text[n++] = (char)r;
            } else {
                const char *p = pieces[r % COUNT(pieces)];
                memcpy(text + n, p, strlen(p));
                n += strlen(p);
            }
        }
        check_t c = {n, 0, 0};
        assert_int_equal(tokenize(text, n, 0, on_check, &c), 0);
        assert_true(c.count > 0);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_ordinals),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_long_words),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
