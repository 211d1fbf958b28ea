/*
 * fold.c - character classes, folding and lowering, from fold_table.c.
 *
 * Every answer comes from the generated tables (fold_table.h describes
 * their layout); ASCII, by far the most common input, takes a shortcut in
 * fold_string.  The rules themselves (what folds to what) are in
 * gen_fold_table.py, which prints the tables.
 */
#include <string.h>

#include "fold.h"
#include "fold_table.h"
#include "utf8.h"

char_class_t fold_class(uint32_t cp)
{
    if (cp > 0x10FFFF)
        return CC_SEPARATOR;
    return (char_class_t)(fold_record(cp)->flags & FOLD_CLASS_MASK);
}

/* Writes the form (offset, len) of cp, FOLD_SELF meaning cp itself. */
static size_t write_form(uint32_t cp, unsigned len, unsigned offset,
                         char *out)
{
    if (len == FOLD_SELF)
        return utf8_encode(cp, out);
    memcpy(out, fold_pool + offset, len);
    return len;
}

size_t fold_codepoint(uint32_t cp, char *out)
{
    if (cp > 0x10FFFF)
        return utf8_encode(UTF8_REPLACEMENT, out);
    const fold_record_t *r = fold_record(cp);
    return write_form(cp, r->fold_len, r->fold, out);
}

size_t fold_lower_codepoint(uint32_t cp, char *out)
{
    if (cp > 0x10FFFF)
        return utf8_encode(UTF8_REPLACEMENT, out);
    const fold_record_t *r = fold_record(cp);
    return write_form(cp, r->lower_len, r->lower, out);
}

size_t fold_string(const char *s, size_t n, char *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            /* ASCII folds to itself, lowercased */
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
            i++;
            continue;
        }
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        o += fold_codepoint(cp, out + o);
    }
    out[o] = '\0';
    return o;
}

uint32_t fold_compose(uint32_t base, uint32_t mark)
{
    size_t lo = 0, hi = fold_composition_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fold_composition_t *c = &fold_compositions[mid];
        if (c->base < base || (c->base == base && c->mark < mark))
            lo = mid + 1;
        else if (c->base == base && c->mark == mark)
            return c->composed;
        else
            hi = mid;
    }
    return 0;
}
