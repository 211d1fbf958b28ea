/*
 * front_matter.c - the YAML or TOML block at the top of a Markdown post.
 *
 *     ---                          +++
 *     title: "Le mentorat inversé"  title = "Reverse Mentorship"
 *     lang: fr                     language = "en-CA"
 *     date: 2014-08-20             date = 2014-08-20
 *     ---                          +++
 *
 * The block starts on the very first line ("---" or "+++", trailing blanks
 * allowed) and ends at the next "---" or "..." line (YAML) or "+++" line
 * (TOML); without its closing line it is not front matter.  Only top-level
 * keys are read (title, lang, language, date; any case); values may be
 * bare, "double-quoted" (with \" \\ \n escapes), 'single-quoted' (with ''),
 * or a YAML block scalar (> or |) whose indented lines follow.  A bare YAML
 * value ends at " #" (a comment).  Everything else is ignored.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract.h"
#include "../analysis/lang.h"

#define DATE_MAX_BYTES 64

/* One line: s[start..end) without its '\n'; next is past the '\n'. */
typedef struct line_span {
    size_t start, end, next;
} line_span_t;

static void line_at(const char *s, size_t n, size_t pos, line_span_t *l)
{
    const char *nl = memchr(s + pos, '\n', n - pos);
    l->start = pos;
    l->end = nl ? (size_t)(nl - s) : n;
    l->next = nl ? l->end + 1 : n;
}

/* The line of s[pos], the first line being 1. */
static uint32_t line_number(const char *s, size_t pos)
{
    uint32_t line = 1;
    for (const char *q = s, *end = s + pos;
         (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        line++;
    return line;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* 1 if the line is exactly `fence` (3 bytes) and trailing blanks. */
static int is_fence(const char *s, const line_span_t *l, const char *fence)
{
    if (l->end - l->start < 3 || memcmp(s + l->start, fence, 3) != 0)
        return 0;
    for (size_t j = l->start + 3; j < l->end; j++)
        if (!is_blank(s[j]))
            return 0;
    return 1;
}

/* Unquotes v[0..n) into a malloc()ed string (possibly empty). */
static char *unquote(const char *v, size_t n, int yaml)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    if (n >= 1 && v[0] == '"') {
        for (size_t j = 1; j < n && v[j] != '"'; j++) {
            if (v[j] == '\\' && j + 1 < n) {
                j++;
                out[o++] = v[j] == 'n' ? ' ' : v[j] == 't' ? ' ' : v[j];
            } else {
                out[o++] = v[j];
            }
        }
    } else if (n >= 1 && v[0] == '\'') {
        for (size_t j = 1; j < n; j++) {
            if (v[j] == '\'') {
                if (j + 1 < n && v[j + 1] == '\'')
                    out[o++] = v[j++];
                else
                    break;
            } else {
                out[o++] = v[j];
            }
        }
    } else {
        size_t end = n;
        for (size_t j = 1; yaml && j < n; j++)
            if (v[j] == '#' && is_blank(v[j - 1])) {
                end = j;
                break;
            }
        memcpy(out, v, end);
        o = end;
    }
    out[o] = '\0';
    return out;
}

/* The value of a YAML block scalar: the indented lines from pos on,
 * joined by spaces.  *next gets the position after them. */
static char *block_scalar(const char *s, size_t n, size_t pos, size_t limit,
                          size_t *next)
{
    char *out = malloc(limit - pos + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    line_span_t l;
    while (pos < limit) {
        line_at(s, limit, pos, &l);
        if (l.end > l.start && !is_blank(s[l.start]))
            break;
        size_t a = l.start;
        while (a < l.end && is_blank(s[a]))
            a++;
        if (a < l.end) {
            if (o > 0)
                out[o++] = ' ';
            memcpy(out + o, s + a, l.end - a);
            o += l.end - a;
        }
        pos = l.next;
    }
    (void)n;
    out[o] = '\0';
    *next = pos;
    return out;
}

/* Stores `value` (malloc()ed, taken over) under key k[0..klen).  A
 * title or date that cannot be copied (blank, or memory ran out) is left
 * out: it is optional. */
static void keep_value(front_matter_t *fm, const char *k, size_t klen,
                       char *value)
{
    size_t vlen = strlen(value);
    if (klen == 5 && strncasecmp(k, "title", 5) == 0) {
        if (!fm->title)
            fm->title = title_clean(value, vlen);
    } else if (klen == 4 && strncasecmp(k, "date", 4) == 0) {
        if (!fm->date)
            fm->date = title_clean(value, vlen < DATE_MAX_BYTES
                                              ? vlen : DATE_MAX_BYTES);
    } else if ((klen == 4 && strncasecmp(k, "lang", 4) == 0) ||
               (klen == 8 && strncasecmp(k, "language", 8) == 0)) {
        if (fm->lang == TROUVE_LANG_UNKNOWN)
            fm->lang = lang_from_tag(value, vlen);
    }
    free(value);
}

int front_matter_read(const char *s, size_t n, front_matter_t *fm)
{
    memset(fm, 0, sizeof *fm);
    line_span_t l;
    line_at(s, n, 0, &l);
    int yaml;
    if (is_fence(s, &l, "---"))
        yaml = 1;
    else if (is_fence(s, &l, "+++"))
        yaml = 0;
    else
        return 0;

    /* Find the closing line first: without it there is no front matter. */
    size_t body = l.next, close = n;
    uint32_t lines = 1;
    for (size_t pos = body; pos < n;) {
        line_at(s, n, pos, &l);
        lines++;
        if (yaml ? (is_fence(s, &l, "---") || is_fence(s, &l, "..."))
                 : is_fence(s, &l, "+++")) {
            close = pos;
            break;
        }
        pos = l.next;
    }
    if (close == n)
        return 0;
    fm->skip = l.next;
    fm->lines = lines;

    char sep = yaml ? ':' : '=';
    size_t keys = 0;
    for (size_t pos = body; pos < close;) {
        line_at(s, close, pos, &l);
        pos = l.next;
        size_t k = l.start;
        while (k < l.end && (s[k] == '_' || s[k] == '-' ||
                             ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')))
            k++;
        size_t klen = k - l.start;
        size_t j = k;
        while (j < l.end && is_blank(s[j]))
            j++;
        if (klen == 0 || j >= l.end || s[j] != sep) {
            /* Indented (nested), a comment, a list item: fine in front
             * matter that has keys; text otherwise. */
            continue;
        }
        j++;
        while (j < l.end && is_blank(s[j]))
            j++;
        size_t e = l.end;
        while (e > j && is_blank(s[e - 1]))
            e--;
        char *value;
        if (yaml && e > j && (s[j] == '>' || s[j] == '|') &&
            (e - j == 1 || (e - j == 2 && (s[j + 1] == '-' ||
                                           s[j + 1] == '+'))))
            value = block_scalar(s, n, pos, close, &pos);
        else
            value = unquote(s + j, e - j, yaml);
        if (!value) {
            free(fm->title);
            free(fm->date);
            memset(fm, 0, sizeof *fm);
            return -1;
        }
        int had_title = fm->title != NULL;
        keep_value(fm, s + l.start, klen, value);
        if (!had_title && fm->title)
            fm->title_line = line_number(s, l.start);
        keys++;
    }
    if (keys == 0 && close > body) {
        /* "---" lines around text that is no "key: value": two
         * thematic breaks, not front matter. */
        memset(fm, 0, sizeof *fm);
        return 0;
    }
    return 1;
}
