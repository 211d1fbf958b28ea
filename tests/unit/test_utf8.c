/*
 * test_utf8.c - utf8.c: strict decoding, encoding, validity, cutting, and
 * Windows-1252 input.  One row per case: {tn, input, expected}.
 */

#include "unit.h"
#include "analysis/utf8.h"

#define FFFD UTF8_REPLACEMENT

/* utf8_decode: the first code point of `in` and the bytes it took. */
static const struct {
    const char *tn;
    const char *in;
    size_t n;
    uint32_t cp;
    size_t len;
} decode_rows[] = {
    {"ascii", "a", 1, 'a', 1},
    {"nul", "\0", 1, 0, 1},
    {"2-byte e acute", "\xC3\xA9", 2, 0xE9, 2},
    {"2-byte lowest", "\xC2\x80", 2, 0x80, 2},
    {"3-byte euro", "\xE2\x82\xAC", 3, 0x20AC, 3},
    {"3-byte lowest", "\xE0\xA0\x80", 3, 0x800, 3},
    {"3-byte before surrogates", "\xED\x9F\xBF", 3, 0xD7FF, 3},
    {"3-byte after surrogates", "\xEE\x80\x80", 3, 0xE000, 3},
    {"3-byte U+FFFD itself", "\xEF\xBF\xBD", 3, 0xFFFD, 3},
    {"4-byte emoji", "\xF0\x9F\x98\x80", 4, 0x1F600, 4},
    {"4-byte highest", "\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4},
    {"overlong 2-byte C0", "\xC0\xAF", 2, FFFD, 1},
    {"overlong 2-byte C1", "\xC1\xBF", 2, FFFD, 1},
    {"overlong 3-byte", "\xE0\x80\xAF", 3, FFFD, 1},
    {"overlong 3-byte top", "\xE0\x9F\xBF", 3, FFFD, 1},
    {"overlong 4-byte", "\xF0\x80\x80\xAF", 4, FFFD, 1},
    {"overlong 4-byte top", "\xF0\x8F\xBF\xBF", 4, FFFD, 1},
    {"surrogate high", "\xED\xA0\x80", 3, FFFD, 1},
    {"surrogate low", "\xED\xBF\xBF", 3, FFFD, 1},
    {"past 10FFFF F4 90", "\xF4\x90\x80\x80", 4, FFFD, 1},
    {"past 10FFFF F5", "\xF5\x80\x80\x80", 4, FFFD, 1},
    {"FF byte", "\xFF", 1, FFFD, 1},
    {"FE byte", "\xFE", 1, FFFD, 1},
    {"stray continuation", "\x80", 1, FFFD, 1},
    {"truncated 2-byte", "\xC3", 1, FFFD, 1},
    {"truncated 3-byte by n", "\xE2\x82\xAC", 2, FFFD, 1},
    {"truncated 3-byte by ascii", "\xE2\x82" "a", 3, FFFD, 1},
    {"truncated 4-byte", "\xF0\x9F\x98", 3, FFFD, 1},
    {"cp1252 e acute", "\xE9t\xE9", 3, FFFD, 1},
};

static void test_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(decode_rows); i++) {
        uint32_t cp = 12345;
        size_t len = utf8_decode(decode_rows[i].in, decode_rows[i].n, &cp);
        if (cp != decode_rows[i].cp || len != decode_rows[i].len)
            fail_msg("%s: got U+%04X/%zu, want U+%04X/%zu", decode_rows[i].tn,
                     (unsigned)cp, len, (unsigned)decode_rows[i].cp,
                     decode_rows[i].len);
    }
}

/* utf8_encode: a code point and its UTF-8 bytes. */
static const struct {
    const char *tn;
    uint32_t cp;
    const char *out;
} encode_rows[] = {
    {"ascii", 'z', "z"},
    {"e acute", 0xE9, "\xC3\xA9"},
    {"last 2-byte", 0x7FF, "\xDF\xBF"},
    {"euro", 0x20AC, "\xE2\x82\xAC"},
    {"emoji", 0x1F600, "\xF0\x9F\x98\x80"},
    {"highest", 0x10FFFF, "\xF4\x8F\xBF\xBF"},
    {"surrogate", 0xD800, "\xEF\xBF\xBD"},
    {"past 10FFFF", 0x110000, "\xEF\xBF\xBD"},
};

static void test_encode(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(encode_rows); i++) {
        char out[UTF8_MAX + 1];
        size_t n = utf8_encode(encode_rows[i].cp, out);
        out[n] = '\0';
        if (strcmp(out, encode_rows[i].out) != 0)
            fail_msg("%s: got %s", encode_rows[i].tn, hex(out, n));
    }
}

/* Every scalar value round-trips through encode and decode. */
static void test_round_trip(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char buf[UTF8_MAX];
        uint32_t back;
        size_t n = utf8_encode(cp, buf);
        if (utf8_decode(buf, n, &back) != n || back != cp)
            fail_msg("U+%04X does not round-trip", (unsigned)cp);
    }
}

/* utf8_valid. */
static const struct {
    const char *tn;
    const char *in;
    size_t n;
    int valid;
} valid_rows[] = {
    {"empty", "", 0, 1},
    {"ascii", "hello", 5, 1},
    {"long ascii", "the quick brown fox jumps", 25, 1},
    {"french", "l\xE2\x80\x99\xC3\xA9t\xC3\xA9", 9, 1},
    {"ascii then bad at byte 9", "abcdefgh\xFFi", 10, 0},
    {"overlong", "a\xC0\xAF", 3, 0},
    {"surrogate", "\xED\xA0\x80", 3, 0},
    {"truncated at end", "abc\xE2\x82", 5, 0},
    {"U+FFFD spelled out", "\xEF\xBF\xBD", 3, 1},
    {"nul inside", "a\0b", 3, 1},
};

static void test_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(valid_rows); i++)
        if (utf8_valid(valid_rows[i].in, valid_rows[i].n) !=
            valid_rows[i].valid)
            fail_msg("%s: want %d", valid_rows[i].tn, valid_rows[i].valid);
}

/* utf8_floor: where to cut the first n bytes. */
static const struct {
    const char *tn;
    const char *in;
    size_t n;
    size_t k;
} floor_rows[] = {
    {"empty", "", 0, 0},
    {"ascii", "abc", 3, 3},
    {"after a whole 2-byte", "a\xC3\xA9", 3, 3},
    {"inside a 2-byte", "a\xC3\xA9", 2, 1},
    {"inside a 3-byte after 1", "a\xE2\x82\xAC", 2, 1},
    {"inside a 3-byte after 2", "a\xE2\x82\xAC", 3, 1},
    {"after a whole 3-byte", "a\xE2\x82\xAC", 4, 4},
    {"inside a 4-byte after 3", "\xF0\x9F\x98\x80", 3, 0},
    {"after a whole 4-byte", "\xF0\x9F\x98\x80", 4, 4},
    {"stray continuations", "\x80\x80\x80\x80\x80", 5, 5},
};

static void test_floor(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(floor_rows); i++) {
        size_t k = utf8_floor(floor_rows[i].in, floor_rows[i].n);
        if (k != floor_rows[i].k)
            fail_msg("%s: got %zu, want %zu", floor_rows[i].tn, k,
                     floor_rows[i].k);
    }
}

/* utf8_from_cp1252. */
static const struct {
    const char *tn;
    const char *in;
    const char *out;
} cp1252_rows[] = {
    {"ascii", "abc", "abc"},
    {"0x80 euro", "\x80", "\xE2\x82\xAC"},
    {"0x92 right quote", "l\x92" "avion", "l\xE2\x80\x99" "avion"},
    {"0x9C oe", "\x9C" "uvre", "\xC5\x93uvre"},
    {"0x8C OE", "\x8C", "\xC5\x92"},
    {"0x85 ellipsis", "\x85", "\xE2\x80\xA6"},
    {"0x96 en dash", "\x96", "\xE2\x80\x93"},
    {"0x9F Y diaeresis", "\x9F", "\xC5\xB8"},
    {"0x81 undefined", "\x81", "\xC2\x81"},
    {"0x8D undefined", "\x8D", "\xC2\x8D"},
    {"0x8F undefined", "\x8F", "\xC2\x8F"},
    {"0x90 undefined", "\x90", "\xC2\x90"},
    {"0x9D undefined", "\x9D", "\xC2\x9D"},
    {"0xA0 nbsp", "\xA0", "\xC2\xA0"},
    {"latin-1 ete", "\xE9t\xE9", "\xC3\xA9t\xC3\xA9"},
    {"0xFF y diaeresis", "\xFF", "\xC3\xBF"},
};

static void test_cp1252(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(cp1252_rows); i++) {
        char out[64];
        size_t n = strlen(cp1252_rows[i].in);
        size_t len = utf8_from_cp1252(cp1252_rows[i].in, n, out);
        assert_true(len <= 3 * n);
        out[len] = '\0';
        if (strcmp(out, cp1252_rows[i].out) != 0)
            fail_msg("%s: got %s", cp1252_rows[i].tn, hex(out, len));
        if (!utf8_valid(out, len))
            fail_msg("%s: output not valid UTF-8", cp1252_rows[i].tn);
    }
}

/* Every cp1252 byte gives valid UTF-8 of at most 3 bytes. */
static void test_cp1252_all_bytes(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        char in = (char)b, out[4];
        size_t len = utf8_from_cp1252(&in, 1, out);
        assert_true(len >= 1 && len <= 3);
        assert_true(utf8_valid(out, len));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_floor),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_cp1252_all_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
