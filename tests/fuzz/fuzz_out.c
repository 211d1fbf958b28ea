/*
 * fuzz_out.c - the JSON and terminal escapers (cli/out.c, built into this
 * target) on any bytes.
 *
 * Checks, for out_json_string: the output is one JSON value, a string
 * whose raw characters are valid UTF-8 with no control character (C0, DEL,
 * C1, U+2028/9, bidi controls) and whose escapes are the JSON ones, or {"bytes":"..."}
 * with base64 that decodes back to the input.  For out_text: valid UTF-8,
 * no C0 control but \t and \n (none in one-line mode), no DEL, no C1, no
 * bidi control: nothing a terminal would act on.
 */
#include <string.h>

#include "fuzz.h"
#include "analysis/utf8.h"
#include "cli/out.h"

static int b64(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static int is_bidi(uint32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C;
}

static void check_json_string(const char *s, size_t n)
{
    FUZZ_CHECK(n >= 2 && s[0] == '"' && s[n - 1] == '"');
    FUZZ_CHECK(utf8_valid(s, n));
    for (size_t i = 1; i < n - 1;) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - 1 - i, &c);
        FUZZ_CHECK(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) &&
                   c != 0x2028 && c != 0x2029 && !is_bidi(c));
        FUZZ_CHECK(c != '"');
        if (c == '\\') {
            FUZZ_CHECK(i + 1 < n - 1);
            char e = s[i + 1];
            if (e == 'u') {
                FUZZ_CHECK(i + 5 < n - 1);
                for (int j = 2; j < 6; j++)
                    FUZZ_CHECK(is_hex(s[i + j]));
                i += 6;
            } else {
                FUZZ_CHECK(strchr("\"\\/bfnrt", e) != NULL && e);
                i += 2;
            }
            continue;
        }
        i += k;
    }
}

static void check_bytes(const char *s, size_t n, const uint8_t *in,
                        size_t inlen)
{
    static const char head[] = "{\"bytes\":\"", tail[] = "\"}";
    FUZZ_CHECK(n >= sizeof head + 1 && !memcmp(s, head, sizeof head - 1) &&
               !memcmp(s + n - 2, tail, 2));
    const char *p = s + sizeof head - 1;
    size_t m = n - (sizeof head - 1) - 2, o = 0;
    FUZZ_CHECK(m % 4 == 0);
    for (size_t i = 0; i < m; i += 4) {
        int v[4];
        for (int j = 0; j < 4; j++)
            v[j] = p[i + j] == '=' ? 0 : b64(p[i + j]);
        for (int j = 0; j < 4; j++)
            FUZZ_CHECK(v[j] >= 0);
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
                     (uint32_t)v[2] << 6 | (uint32_t)v[3];
        uint8_t b[3] = {(uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
        int count = p[i + 2] == '=' ? 1 : p[i + 3] == '=' ? 2 : 3;
        for (int j = 0; j < count; j++, o++)
            FUZZ_CHECK(o < inlen && b[j] == in[o]);
    }
    FUZZ_CHECK(o == inlen);
}

static void check_text(const char *s, size_t n, int one_line)
{
    FUZZ_CHECK(utf8_valid(s, n));
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        if (c < 0x20)
            FUZZ_CHECK(!one_line && (c == '\t' || c == '\n'));
        FUZZ_CHECK(c != 0x7f && !(c >= 0x80 && c <= 0x9f) && !is_bidi(c));
        i += k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    FUZZ_CHECK(f != NULL);
    out_json_string(f, (const char *)data, size);
    FUZZ_CHECK(fclose(f) == 0);
    if (utf8_valid((const char *)data, size))
        check_json_string(buf, n);
    else
        check_bytes(buf, n, data, size);
    free(buf);

    for (int one_line = 0; one_line <= 1; one_line++) {
        f = open_memstream(&buf, &n);
        FUZZ_CHECK(f != NULL);
        out_text(f, (const char *)data, size, one_line);
        FUZZ_CHECK(fclose(f) == 0);
        check_text(buf, n, one_line);
        free(buf);
    }
    return 0;
}
