/*
 * title.c - making a title out of a heading, a <title> or a first line.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "../analysis/utf8.h"

/* Length of the white-space character at s[0..n) (ASCII white space,
 * U+00A0, U+202F), or 0.  In a title, control characters (C0, DEL, C1)
 * count as white space too: a title is a one-line label. */
static size_t space_at(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c <= ' ' || c == 0x7F)
        return 1;
    if (c == 0xC2 && n >= 2 && (unsigned char)s[1] >= 0x80 &&
        (unsigned char)s[1] <= 0xA0)
        return 2;
    if (c == 0xE2 && n >= 3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0xAF)
        return 3;
    return 0;
}

char *title_clean(const char *s, size_t n)
{
    size_t cap = n < TITLE_MAX_BYTES ? n : TITLE_MAX_BYTES;
    char *t = malloc(cap + 1);
    if (!t)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n && o < cap;) {
        size_t k = space_at(s + i, n - i);
        if (k) {
            space = o > 0;
            i += k;
            continue;
        }
        if (space) {
            t[o++] = ' ';
            space = 0;
            if (o == cap)
                break;
        }
        t[o++] = s[i++];
    }
    o = utf8_floor(t, o);
    while (o > 0 && t[o - 1] == ' ')
        o--;
    if (o == 0) {
        free(t);
        return NULL;
    }
    t[o] = '\0';
    return t;
}

char *title_from_first_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t words = 0;
        int in_word = 0;
        for (size_t j = i; j < end;) {
            size_t k = space_at(s + j, end - j);
            if (k) {
                in_word = 0;
                j += k;
            } else {
                if (!in_word && ++words > TITLE_MAX_WORDS)
                    return NULL;
                in_word = 1;
                j++;
            }
        }
        if (words > 0)
            return title_clean(s + i, end - i);
        i = end + 1;
    }
    return NULL;
}
