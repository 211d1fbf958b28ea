/*
 * test_decode.c - decode.c: raw bytes to UTF-8 (BOMs, UTF-16, Windows-1252,
 * line endings, NULs) and the binary test.  One row per case:
 * {tn, input, its length, expected text, expected flags}.
 */

#include "unit.h"
#include "text/post.h"
#include "analysis/utf8.h"

static const struct {
    const char *tn;
    const char *in;
    size_t n;
    const char *out;
    unsigned flags;
} decode_rows[] = {
    {"empty", S(""), "", 0},
    {"ascii", S("hello\nworld"), "hello\nworld", 0},
    {"utf-8 kept", S("\xC3\xA9t\xC3\xA9 \xE2\x80\x99"), "été ’", 0},
    {"utf-8 bom skipped", S("\xEF\xBB\xBFhi"), "hi", 0},
    {"utf-8 bom alone", S("\xEF\xBB\xBF"), "", 0},
    {"utf-16le", S("\xFF\xFE" "h\0i\0"), "hi", POST_UTF16},
    {"utf-16be", S("\xFE\xFF\0h\0i"), "hi", POST_UTF16},
    {"utf-16le e acute", S("\xFF\xFE\xE9\0"), "é", POST_UTF16},
    {"utf-16le pair", S("\xFF\xFE\x3D\xD8\x00\xDE"), "\xF0\x9F\x98\x80",
     POST_UTF16},
    {"utf-16be pair", S("\xFE\xFF\xD8\x3D\xDE\x00"), "\xF0\x9F\x98\x80",
     POST_UTF16},
    {"utf-16 lone high", S("\xFF\xFE\x3D\xD8" "h\0"), "\xEF\xBF\xBDh",
     POST_UTF16},
    {"utf-16 lone high at end", S("\xFF\xFE\x3D\xD8"), "\xEF\xBF\xBD",
     POST_UTF16},
    {"utf-16 lone low", S("\xFF\xFE\x00\xDE" "h\0"), "\xEF\xBF\xBDh",
     POST_UTF16},
    {"utf-16 odd byte", S("\xFF\xFE" "h\0i"), "h\xEF\xBF\xBD", POST_UTF16},
    {"utf-16 crlf", S("\xFF\xFE" "a\0\r\0\n\0b\0\r\0c\0"), "a\nb\nc",
     POST_UTF16},
    {"utf-16 nul", S("\xFF\xFE" "a\0\0\0"), "a\xEF\xBF\xBD", POST_UTF16},
    {"utf-16 esc kept", S("\xFF\xFE\x1B\0"), "\x1B", POST_UTF16},
    /* E9 92 9C together are valid UTF-8 (U+949C): kept as they are. */
    {"e9 92 9c is utf-8", S("\xE9\x92\x9C"), "\xE9\x92\x9C", 0},
    {"cp1252 e9 92 9c apart", S("\xE9t\xE9 l\x92\x9Cuvre"), "été l’œuvre",
     POST_CP1252},
    {"cp1252 word", S("caf\xE9 cr\xE8me"), "café crème", POST_CP1252},
    {"cp1252 euro dash", S("5\x80 \x96 x"), "5€ – x", POST_CP1252},
    {"cp1252 undefined 81", S("a\x81" "b"), "a\xC2\x81" "b", POST_CP1252},
    {"cp1252 overlong", S("\xC0\xAF"), "À¯", POST_CP1252},
    {"cp1252 crlf", S("\xE9\r\nx\ry"), "é\nx\ny", POST_CP1252},
    {"utf-8 with a stray byte",
     S("\xC3\xA9t\xC3\xA9 \xC3\xA0 \xC3\xA7" "a \xE9"), "été à ça é",
     POST_CP1252},
    {"stray bytes outnumber", S("\xC3\xA9 \xE9\xE8"), "Ã© éè",
     POST_CP1252},
    {"crlf", S("a\r\nb\r\n"), "a\nb\n", 0},
    {"lone cr", S("a\rb\r"), "a\nb\n", 0},
    {"cr cr lf", S("a\r\r\nb"), "a\n\nb", 0},
    {"lf cr", S("a\n\rb"), "a\n\nb", 0},
    {"nul made fffd", S("a\0b"), "a\xEF\xBF\xBD" "b", 0},
    {"esc kept", S("a\x1B[2Jb"), "a\x1B[2Jb", 0},
};

static void test_decode_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(decode_rows); i++) {
        char *out = NULL;
        size_t len = 0;
        unsigned flags = 99;
        int rc = text_decode(decode_rows[i].in, decode_rows[i].n, &out, &len,
                             &flags);
        size_t want = strlen(decode_rows[i].out);
        if (rc != 0 || len != want || memcmp(out, decode_rows[i].out, len) ||
            flags != decode_rows[i].flags || out[len] != '\0' ||
            !utf8_valid(out, len))
            fail_msg("%s: got [%s] flags %u, want [%s] flags %u",
                     decode_rows[i].tn, hex(out, len), flags,
                     hex(decode_rows[i].out, want), decode_rows[i].flags);
        free(out);
    }
}

/* text_is_binary: {tn, bytes, length, expected}. */
static const struct {
    const char *tn;
    const char *in;
    size_t n;
    int binary;
} binary_rows[] = {
    {"empty", S(""), 0},
    {"text", S("hello"), 0},
    {"nul", S("he\0llo"), 1},
    {"utf-16le with nuls", S("\xFF\xFE" "h\0i\0"), 0},
    {"utf-16be with nuls", S("\xFE\xFF\0h\0i"), 0},
    {"gzip magic", S("\x1F\x8B\x08\x00"), 1},
    {"gzip magic only", S("\x1F\x8B"), 1},
    {"high bytes", S("\xE9\xE8\xFF"), 0},
    {"control bytes", S("\x1B\x07\x08"), 0},
};

static void test_binary_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(binary_rows); i++)
        if (text_is_binary(binary_rows[i].in, binary_rows[i].n) !=
            binary_rows[i].binary)
            fail_msg("%s: want %d", binary_rows[i].tn, binary_rows[i].binary);
}

/* A NUL past the first 8 KiB is not binary (and becomes U+FFFD). */
static void test_binary_probe_size(void **state)
{
    (void)state;
    size_t n = 9000;
    char *buf = malloc(n);
    assert_non_null(buf);
    memset(buf, 'a', n);
    buf[8191] = '\0';
    assert_int_equal(text_is_binary(buf, n), 1);
    buf[8191] = 'a';
    buf[8192] = '\0';
    assert_int_equal(text_is_binary(buf, n), 0);
    free(buf);
}

/* Every byte value, alone and in pairs, decodes to valid UTF-8. */
static void test_all_bytes_valid(void **state)
{
    (void)state;
    char in[2];
    for (int a = 0; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
            in[0] = (char)a;
            in[1] = (char)b;
            char *out;
            size_t len;
            unsigned flags;
            assert_int_equal(text_decode(in, 2, &out, &len, &flags), 0);
            if (!utf8_valid(out, len) || memchr(out, '\0', len) ||
                memchr(out, '\r', len))
                fail_msg("%02X %02X: [%s]", a, b, hex(out, len));
            free(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_rows),
        cmocka_unit_test(test_binary_rows),
        cmocka_unit_test(test_binary_probe_size),
        cmocka_unit_test(test_all_bytes_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
