/*
 * utf8.c - strict UTF-8 decoding and encoding, and Windows-1252 input.
 *
 * The decoder accepts exactly the well-formed sequences of Unicode's
 * table 3-7: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * past U+10FFFF.  Anything else, a truncated sequence included, decodes as
 * U+FFFD and consumes a single byte, so the next call resynchronises on the
 * following byte and byte offsets stay exact.
 */
#include <string.h>

#include "utf8.h"

/* Windows-1252 bytes 0x80..0x9F; the five undefined ones map to the C1
 * control of the same value, as Latin-1 would. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static int is_continuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char b0 = u[0];
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    size_t len;
    uint32_t c;

    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        c = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (b0 == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        c = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (b0 == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        goto invalid; /* continuation byte, C0, C1, F5..FF */
    }
    if (n < len || u[1] < lo || u[1] > hi)
        goto invalid;
    c = (c << 6) | (u[1] & 0x3F);
    for (size_t i = 2; i < len; i++) {
        if (!is_continuation(u[i]))
            goto invalid;
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return len;

invalid:
    *cp = UTF8_REPLACEMENT;
    return 1;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = UTF8_REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        /* eight ASCII bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080u)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        /* U+FFFD is valid when spelled out (EF BF BD) */
        if (cp == UTF8_REPLACEMENT && len == 1)
            return 0;
        i += len;
    }
    return 1;
}

size_t utf8_floor(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t back = 0;

    /* find the lead byte of the last sequence, at most 3 bytes back */
    while (back < n && back < UTF8_MAX && is_continuation(u[n - 1 - back]))
        back++;
    if (back == n || back == UTF8_MAX)
        return n; /* no lead byte in reach: nothing to repair */
    unsigned char lead = u[n - 1 - back];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return back + 1 < need ? n - 1 - back : n;
}

size_t utf8_from_cp1252(const char *s, size_t n, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80)
            out[o++] = (char)b;
        else if (b < 0xA0)
            o += utf8_encode(cp1252_high[b - 0x80], out + o);
        else
            o += utf8_encode(b, out + o);
    }
    return o;
}
