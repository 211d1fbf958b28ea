/*
 * decode.c - raw file bytes to UTF-8 text (text_decode, text_is_binary).
 *
 * What comes out is always valid UTF-8 with '\n' line breaks:
 *
 *   - a UTF-8 BOM (EF BB BF) is skipped;
 *   - UTF-16 with a BOM (FF FE little-endian, FE FF big-endian) is
 *     converted; a surrogate pair gives its code point, a lone surrogate
 *     or an odd last byte gives U+FFFD;
 *   - valid UTF-8 is kept as it is;
 *   - anything else is read as Windows-1252 (POST_CP1252), with one
 *     refinement: a file that is UTF-8 with a few stray bytes (more valid
 *     multi-byte sequences than invalid bytes) keeps its UTF-8 and only the
 *     stray bytes are read as Windows-1252, so one bad byte does not turn
 *     every accent of a French post into mojibake;
 *   - line endings: CRLF and a lone CR become LF, so that every later
 *     stage (line numbers, paragraphs) sees one kind of line break and no
 *     bare CR reaches a terminal;
 *   - a NUL byte (possible past the block text_is_binary looks at)
 *     becomes U+FFFD, so the text is a proper C string.
 */
#include <stdlib.h>
#include <string.h>

#include "post.h"
#include "../analysis/utf8.h"

#define BINARY_PROBE 8192 /* bytes text_is_binary looks at */

static int has_prefix(const char *s, size_t n, const char *p, size_t pn)
{
    return n >= pn && memcmp(s, p, pn) == 0;
}

int text_is_binary(const char *raw, size_t n)
{
    if (n == 0)
        return 0;
    if (has_prefix(raw, n, "\xFF\xFE", 2) || has_prefix(raw, n, "\xFE\xFF", 2))
        return 0;
    /* A gzip stream (gzip inside gzip is not unpacked twice). */
    if (has_prefix(raw, n, "\x1F\x8B", 2))
        return 1;
    return memchr(raw, '\0', n < BINARY_PROBE ? n : BINARY_PROBE) != NULL;
}

/* 1 when the 8 bytes at p are ASCII, none of them NUL or CR: the common
 * case, copied and surveyed a word at a time.  When no byte of v is 0x80
 * or more, (v - 0x01..) & 0x80.. is non-zero exactly when a byte of v is
 * zero (a borrow starts only there); the high bits of v itself catch the
 * other case. */
static int plain8(const char *p)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t v, cr;
    memcpy(&v, p, 8);
    cr = v ^ (ones * '\r');
    return !((v | (v - ones) | (cr - ones)) & highs);
}

/* Appends one code point (a NUL or CR handled by the caller). */
static size_t put_cp(char *out, uint32_t cp)
{
    return utf8_encode(cp, out);
}

/* Writes s[0..n) of UTF-8 (possibly with invalid bytes, read as
 * Windows-1252 one at a time) to out, turning CRLF and CR into LF and NUL
 * into U+FFFD.  out has room for n + 2 * (invalid bytes + NULs) bytes.
 * Returns its length. */
static size_t copy_utf8(const char *s, size_t n, char *out)
{
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && plain8(s + i)) {
            memcpy(out + o, s + i, 8);
            o += 8;
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 || (c != '\r' && c != '\0')) {
            if (c < 0x80) {
                out[o++] = (char)c;
                i++;
                continue;
            }
            uint32_t cp;
            size_t k = utf8_decode(s + i, n - i, &cp);
            if (cp == UTF8_REPLACEMENT && k == 1) {
                /* Not the encoded U+FFFD itself: an invalid byte. */
                o += utf8_from_cp1252(s + i, 1, out + o);
            } else {
                memcpy(out + o, s + i, k);
                o += k;
            }
            i += k;
        } else if (c == '\r') {
            out[o++] = '\n';
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
        } else { /* NUL */
            o += put_cp(out + o, UTF8_REPLACEMENT);
            i++;
        }
    }
    return o;
}

/* The same for a file read wholly as Windows-1252; out has room for
 * n + 2 * (bytes >= 0x80 + NULs). */
static size_t copy_cp1252(const char *s, size_t n, char *out)
{
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] != '\r' && s[run] != '\0')
            run++;
        o += utf8_from_cp1252(s + i, run - i, out + o);
        i = run;
        if (i < n && s[i] == '\r') {
            out[o++] = '\n';
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
        } else if (i < n) {
            o += put_cp(out + o, UTF8_REPLACEMENT);
            i++;
        }
    }
    return o;
}

static uint32_t unit16(const unsigned char *p, int big)
{
    return big ? ((uint32_t)p[0] << 8 | p[1]) : ((uint32_t)p[1] << 8 | p[0]);
}

/* UTF-16 (without its BOM) to UTF-8; out has room for 3 * (n / 2) + 3. */
static size_t copy_utf16(const char *s, size_t n, int big, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    size_t i = 0;
    int after_cr = 0;
    while (i + 1 < n) {
        uint32_t cp = unit16(u + i, big);
        i += 2;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = i + 1 < n ? unit16(u + i, big) : 0;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                cp = UTF8_REPLACEMENT;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = UTF8_REPLACEMENT;
        }
        if (cp == '\n' && after_cr) {
            after_cr = 0;
            continue;  /* the LF of a CRLF: the CR made the break */
        }
        after_cr = cp == '\r';
        if (cp == '\r')
            cp = '\n';
        else if (cp == 0)
            cp = UTF8_REPLACEMENT;
        o += put_cp(out + o, cp);
    }
    if (i < n)  /* an odd last byte */
        o += put_cp(out + o, UTF8_REPLACEMENT);
    return o;
}

/* What a first look at the bytes tells. */
typedef struct survey {
    size_t good; /* valid multi-byte UTF-8 sequences */
    size_t bad;  /* bytes that are not valid UTF-8 */
    size_t high; /* bytes >= 0x80 */
    size_t nul;  /* NUL bytes */
    size_t cr;   /* CR bytes */
} survey_t;

static void survey_bytes(const char *s, size_t n, survey_t *sv)
{
    memset(sv, 0, sizeof *sv);
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && plain8(s + i)) {
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            sv->nul += c == 0;
            sv->cr += c == '\r';
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (cp == UTF8_REPLACEMENT && k == 1)
            sv->bad++;
        else
            sv->good++;
        sv->high += k;
        i += k;
    }
}

int text_decode(const char *raw, size_t n, char **out, size_t *outlen,
                unsigned *flags)
{
    *out = NULL;
    *outlen = 0;
    *flags = 0;
    if (n == 0)
        raw = "";
    int utf16 = 0, big = 0;
    if (has_prefix(raw, n, "\xEF\xBB\xBF", 3)) {
        raw += 3;
        n -= 3;
    } else if (has_prefix(raw, n, "\xFF\xFE", 2) ||
               has_prefix(raw, n, "\xFE\xFF", 2)) {
        utf16 = 1;
        big = (unsigned char)raw[0] == 0xFE;
        raw += 2;
        n -= 2;
    }
    if (n > (SIZE_MAX - 4) / 3)
        return -1;
    /* The exact worst case of each path, so a large file does not cost
     * three times its size: a byte read as Windows-1252 or a NUL made
     * U+FFFD grows from 1 to at most 3 bytes; 2 bytes of UTF-16 give at
     * most 3. */
    survey_t sv = {0, 0, 0, 0, 0};
    int mode; /* 0 UTF-8 (stray bytes as cp1252), 1 cp1252, 2 UTF-16 */
    size_t size;
    if (utf16) {
        mode = 2;
        size = 3 * (n / 2) + 4;
    } else {
        survey_bytes(raw, n, &sv);
        mode = (sv.bad == 0 || sv.good > sv.bad) ? 0 : 1;
        size = n + 2 * (sv.nul + (mode == 0 ? sv.bad : sv.high)) + 1;
    }
    char *buf = malloc(size);
    if (!buf)
        return -1;
    size_t len;
    if (mode == 2) {
        len = copy_utf16(raw, n, big, buf);
        *flags |= POST_UTF16;
    } else if (mode == 0 && !sv.bad && !sv.nul && !sv.cr) {
        memcpy(buf, raw, n); /* valid UTF-8, the usual case: as it is */
        len = n;
    } else if (mode == 0) {
        len = copy_utf8(raw, n, buf);
        if (sv.bad)
            *flags |= POST_CP1252;
    } else {
        len = copy_cp1252(raw, n, buf);
        *flags |= POST_CP1252;
    }
    buf[len] = '\0';
    char *shrunk = realloc(buf, len + 1);
    *out = shrunk ? shrunk : buf;
    *outlen = len;
    return 0;
}
