/*
 * fuzz_utf8.c - the UTF-8 decoder and the folder (analysis/utf8.c, fold.c,
 * text/decode.c) on any bytes.
 *
 * Checks: utf8_decode always advances 1..4 bytes and agrees with
 * utf8_valid; re-encoding what was decoded gives the same bytes where
 * they were valid; utf8_floor never cuts inside a character; text_decode
 * always gives valid UTF-8 without NUL or CR; fold_string writes valid
 * UTF-8 within its documented room.
 */
#include <string.h>

#include "fuzz.h"
#include "analysis/fold.h"
#include "analysis/utf8.h"
#include "text/post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int valid = 1;
    for (size_t i = 0; i < size;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, size - i, &cp);
        FUZZ_CHECK(k >= 1 && k <= UTF8_MAX && i + k <= size);
        char out[UTF8_MAX];
        size_t e = utf8_encode(cp, out);
        FUZZ_CHECK(e >= 1 && e <= UTF8_MAX);
        int bad = cp == UTF8_REPLACEMENT && !(k == 3 && !memcmp(s + i,
                                                          "\xEF\xBF\xBD", 3));
        if (bad)
            valid = 0;
        else
            FUZZ_CHECK(e == k && !memcmp(out, s + i, k));
        i += k;
    }
    FUZZ_CHECK(utf8_valid(s, size) == valid);
    size_t f = utf8_floor(s, size);
    FUZZ_CHECK(f <= size && size - f < UTF8_MAX);
    if (valid)
        FUZZ_CHECK(utf8_valid(s, f));

    char *text;
    size_t len;
    unsigned flags;
    if (text_decode(s, size, &text, &len, &flags) == 0) {
        FUZZ_CHECK(utf8_valid(text, len) && text[len] == '\0');
        FUZZ_CHECK(!memchr(text, '\0', len) && !memchr(text, '\r', len));
        char *folded = malloc(len * FOLD_MAX + 1);
        if (folded) {
            size_t n = fold_string(text, len, folded);
            FUZZ_CHECK(n <= len * FOLD_MAX);
            FUZZ_CHECK(utf8_valid(folded, n));
            free(folded);
        }
        free(text);
    }
    return 0;
}
