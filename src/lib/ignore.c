/*
 * ignore.c - .trouveignore patterns: parsing and matching.  See ignore.h.
 *
 * The glob matcher follows git's wildmatch in what it accepts, written
 * afresh: a recursive match where '*' tries every split that does not
 * cross a '/', and a "**" next to slashes tries every folder boundary.
 * Work is bounded whatever the pattern (an ignore file in a tree someone
 * else wrote is input like any other): a run of stars counts as one, and
 * a match that takes more than GLOB_STEPS_MAX steps (stars against a long
 * path can be exponential) is no match.
 */
#include "ignore.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define GLOB_STEPS_MAX 100000 /* recursive calls for one match */

typedef struct glob_run {
    const char *start;  /* the pattern */
    long steps;         /* calls left */
} glob_run_t;

/* Matches a bracket expression at g (just after '['), against byte c.
 * Returns 1/0, and sets *end just past the closing ']'; -1 when the
 * expression is not closed (the '[' is then a literal). */
static int match_class(const char *g, unsigned char c, const char **end)
{
    int negate = *g == '!' || *g == '^';
    if (negate)
        g++;
    int hit = 0;
    const char *p = g;
    for (int first = 1; *p && (first || *p != ']'); first = 0) {
        unsigned char lo = (unsigned char)*p;
        if (lo == '\\' && p[1])
            lo = (unsigned char)*++p;
        p++;
        unsigned char hi = lo;
        if (*p == '-' && p[1] && p[1] != ']') {
            p++;
            hi = (unsigned char)*p;
            if (hi == '\\' && p[1])
                hi = (unsigned char)*++p;
            p++;
        }
        if (c >= lo && c <= hi)
            hit = 1;
    }
    if (*p != ']')
        return -1;
    *end = p + 1;
    return hit != negate;
}

static int glob_at(glob_run_t *run, const char *g, const char *t)
{
    if (--run->steps < 0)
        return 0;
    for (;;) {
        switch (*g) {
        case '\0':
            return *t == '\0';
        case '*': {
            int at_start = g == run->start || g[-1] == '/';
            int doubled = g[1] == '*';
            while (*g == '*')
                g++;
            if (doubled && at_start && (*g == '/' || *g == '\0')) {
                if (*g == '\0')
                    return 1; /* "x/ **": everything below */
                /* "** /": zero or more folders, then the rest. */
                for (const char *u = t;; u++) {
                    if ((u == t || u[-1] == '/') &&
                        glob_at(run, g + 1, u))
                        return 1;
                    if (!*u)
                        return 0;
                }
            }
            /* '*' (or a "**" not between slashes): no '/' crossed. */
            for (const char *u = t;; u++) {
                if (glob_at(run, g, u))
                    return 1;
                if (!*u || *u == '/')
                    return 0;
            }
        }
        case '?':
            if (!*t || *t == '/')
                return 0;
            /* a whole UTF-8 character */
            t++;
            while ((*t & 0xC0) == 0x80)
                t++;
            g++;
            break;
        case '[': {
            const char *end;
            if (!*t || *t == '/')
                return 0;
            int m = match_class(g + 1, (unsigned char)*t, &end);
            if (m < 0) {
                if (*t != '[')
                    return 0;
                g++;
                t++;
                break;
            }
            if (!m)
                return 0;
            g = end;
            t++;
            break;
        }
        case '\\':
            if (g[1])
                g++;
            /* fall through */
        default:
            if (*g != *t)
                return 0;
            g++;
            t++;
        }
    }
}

int ignore_glob(const char *glob, const char *text)
{
    glob_run_t run = {glob, GLOB_STEPS_MAX};
    return glob_at(&run, glob, text);
}

static int add_pattern(ignore_list_t *list, const char *s, size_t n,
                       unsigned flags)
{
    if (array_grow((void **)&list->v, &list->cap, list->n + 1,
                   sizeof *list->v, 8) < 0)
        return -1;
    char *g = malloc(n + 1);
    if (!g)
        return -1;
    memcpy(g, s, n);
    g[n] = '\0';
    list->v[list->n++] = (ignore_pattern_t){g, flags};
    return 0;
}

/* Parses one line (without its line break). */
static int parse_line(ignore_list_t *list, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    if (n == 0 || s[0] == '#')
        return 0;
    /* Trailing spaces go, unless the last one is quoted. */
    while (n && s[n - 1] == ' ' && !(n >= 2 && s[n - 2] == '\\'))
        n--;
    unsigned flags = 0;
    if (s[0] == '!') {
        flags |= IGNORE_NEGATE;
        s++;
        n--;
    } else if (n >= 2 && s[0] == '\\' && (s[1] == '!' || s[1] == '#')) {
        s++;
        n--;
    }
    if (n && s[n - 1] == '/') {
        flags |= IGNORE_DIR_ONLY;
        while (n && s[n - 1] == '/')
            n--;
    }
    if (memchr(s, '/', n))
        flags |= IGNORE_ANCHORED;
    while (n && s[0] == '/') {
        s++;
        n--;
    }
    if (n == 0 || memchr(s, '\0', n))
        return 0;
    return add_pattern(list, s, n, flags);
}

int ignore_parse(ignore_list_t *list, const char *text, size_t len)
{
    /* A UTF-8 byte order mark, which some editors write, is not part of
     * the first pattern (git skips it too). */
    size_t pos = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (parse_line(list, text + pos, end - pos) < 0)
            return -1;
        pos = end + 1;
    }
    return 0;
}

int ignore_match(const ignore_list_t *list, const char *path, int is_dir)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    for (size_t i = list->n; i-- > 0;) {
        const ignore_pattern_t *p = &list->v[i];
        if ((p->flags & IGNORE_DIR_ONLY) && !is_dir)
            continue;
        const char *t = p->flags & IGNORE_ANCHORED ? path : name;
        if (ignore_glob(p->glob, t))
            return p->flags & IGNORE_NEGATE ? 0 : 1;
    }
    return -1;
}

void ignore_free(ignore_list_t *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i].glob);
    free(list->v);
    list->v = NULL;
    list->n = list->cap = 0;
}
