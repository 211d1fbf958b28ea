/*
 * snippet.c - the best window of a passage (or two fragments, when one
 * window cannot hold every leaf), with its hits marked.  See snippet.h.
 *
 * The window slides over the word tokens once, keeping a count per leaf,
 * so choosing it costs O(tokens + leaves); two fragments take two more
 * such passes (the second counting only the leaves the first lacks) and
 * two marking passes, so O(tokens + leaves) still.  Each window's ends
 * are then widened to the white space around its first and last words,
 * so punctuation and elisions glued to them stay (`l’avion`, `(voir`,
 * `fin.`), by whole UTF-8 sequences and by at most SNIPPET_GLUE_MAX
 * bytes; what joins them to a word left out is not taken (no hyphen left
 * hanging from `arc-en-ciel` cut before `ciel`), but for an elision.  At
 * the ends of the passage, where no word is left out, they take what is
 * there (a bullet, a spaced " :") within the same bound, rather than an
 * ellipsis.
 */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "../analysis/utf8.h"
#include "buf.h"

/* Bytes of non-blank text kept glued to either end of the window. */
#define SNIPPET_GLUE_MAX 24
/* Without any word: the first bytes of the passage. */
#define SNIPPET_NO_WORDS_BYTES 200
/* Words of each of two fragments, at the least: below twice this
 * budget, the snippet is one window. */
#define SNIPPET_FRAGMENT_MIN_WORDS 3

/* A run of word tokens shown: tokens[first..last]. */
typedef struct fragment {
    size_t first, last;
} fragment_t;

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Copies text[from..to) collapsing white space runs to one space. */
static void copy_collapsed(buf_t *out, const char *text, size_t from,
                           size_t to, int *rc)
{
    size_t i = from;
    while (i < to && !*rc) {
        if (is_blank((unsigned char)text[i])) {
            while (i < to && is_blank((unsigned char)text[i]))
                i++;
            buf_addc(out, ' ', rc);
            continue;
        }
        size_t j = i;
        while (j < to && !is_blank((unsigned char)text[j]))
            j++;
        buf_add(out, text + i, j - i, rc);
        i = j;
    }
}

static int add_span(snippet_t *s, size_t start, size_t end)
{
    if (s->nspans && s->spans[s->nspans - 1].end >= start) {
        s->spans[s->nspans - 1].end = end; /* touching: merge */
        return 0;
    }
    if (array_grow((void **)&s->spans, &s->capspans, s->nspans + 1,
                   sizeof *s->spans, 8) < 0)
        return -1;
    s->spans[s->nspans++] = (snippet_span_t){start, end};
    return 0;
}

/* The largest leaf of t[0..n), or -1 when no token matches. */
static int max_leaf(const snippet_token_t *t, size_t n)
{
    int maxleaf = -1;
    for (size_t i = 0; i < n; i++)
        if (t[i].leaf > maxleaf)
            maxleaf = t[i].leaf;
    return maxleaf;
}

/* 1 if token t counts as a match: it matches a leaf not in `covered`
 * (NULL: none is). */
static int counts(const snippet_token_t *t, const unsigned char *covered)
{
    return t->leaf >= 0 && !(covered && covered[t->leaf]);
}

/* Marks in seen[] the leaves of t[first..last]; returns how many of them
 * were not marked yet. */
static size_t mark_leaves(const snippet_token_t *t, size_t first,
                          size_t last, unsigned char *seen)
{
    size_t added = 0;
    for (size_t i = first; i <= last; i++)
        if (t[i].leaf >= 0 && !seen[t[i].leaf]) {
            seen[t[i].leaf] = 1;
            added++;
        }
    return added;
}

/* Picks the first token of the best window of `w` tokens (maxleaf:
 * max_leaf of them all), counting as matches only the leaves not in
 * `covered` (NULL: all of them): the most distinct leaves, then the most
 * matches, then the tightest (matches closest together), then the
 * earliest.  Returns 0 when memory ran out (the start is then as good a
 * window as any). */
static size_t best_window(const snippet_token_t *t, size_t n, size_t w,
                          int maxleaf, const unsigned char *covered)
{
    if (n <= w || maxleaf < 0)
        return 0;
    unsigned *count = calloc((size_t)maxleaf + 1, sizeof *count);
    if (!count)
        return 0;
    size_t distinct = 0, hits = 0, best = 0, best_distinct = 0,
           best_hits = 0, best_spread = (size_t)-1;
    size_t first_hit = 0; /* first matching token in the window */
    for (size_t i = 0; i < n; i++) {
        if (counts(&t[i], covered)) {
            if (hits++ == 0)
                first_hit = i;
            distinct += count[t[i].leaf]++ == 0;
        }
        if (i >= w) {
            const snippet_token_t *out = &t[i - w];
            if (counts(out, covered)) {
                hits--;
                distinct -= --count[out->leaf] == 0;
                if (hits) {
                    first_hit = i - w + 1;
                    while (!counts(&t[first_hit], covered))
                        first_hit++;
                }
            }
        }
        if (i + 1 < w || !hits)
            continue;
        /* the last match of the window is i or before; spread runs from
         * the first match to the last */
        size_t last_hit = i;
        while (!counts(&t[last_hit], covered))
            last_hit--;
        size_t spread = last_hit - first_hit;
        if (distinct > best_distinct ||
            (distinct == best_distinct &&
             (hits > best_hits ||
              (hits == best_hits && spread < best_spread)))) {
            best = i + 1 - w;
            best_distinct = distinct;
            best_hits = hits;
            best_spread = spread;
        }
    }
    free(count);
    /* Centre the matches: as many words before the first as after the
     * last, when the window has room to spare. */
    size_t first = best, last = best + w - 1;
    while (first < last && !counts(&t[first], covered))
        first++;
    while (last > first && !counts(&t[last], covered))
        last--;
    size_t room = w - (last - first + 1); /* words not needed */
    size_t before = (room + 1) / 2; /* odd room: one more before */
    size_t start = first > before ? first - before : 0;
    if (start + w > n)
        start = n - w;
    return start;
}

/* Widens [*from, *to) over the non-blank text glued to its ends, by whole
 * code points and at most SNIPPET_GLUE_MAX bytes each way, within
 * text[lo..hi) of text[0..len).  A run that goes on past that (too long,
 * or glued to a word left out: `arc-en-ciel` cut before `ciel`) is not
 * taken, but for an elision glued to the first word (`chef-d’œuvre` cut
 * before `œuvre` gives `d’œuvre`). */
static void glue_ends(const char *text, size_t len, size_t lo, size_t hi,
                      size_t *from, size_t *to)
{
    size_t f = *from;
    while (f > lo && *from - f < SNIPPET_GLUE_MAX &&
           !is_blank((unsigned char)text[f - 1])) {
        f--;
        while (f > lo && ((unsigned char)text[f] & 0xC0) == 0x80)
            f--; /* back to the lead byte */
    }
    if (f > 0 && !is_blank((unsigned char)text[f - 1]))
        while (f < *from && !is_ascii_letter((unsigned char)text[f]))
            f++; /* an elision's letters are the only ones before a word */
    size_t e = *to;
    while (e < hi && e - *to < SNIPPET_GLUE_MAX &&
           !is_blank((unsigned char)text[e])) {
        uint32_t cp;
        e += utf8_decode(text + e, hi - e, &cp);
    }
    if (e < len && !is_blank((unsigned char)text[e]))
        e = *to;
    *from = f;
    *to = e;
}

/* Widens [*from, *to) to the ends of text[0..len) where no word is left
 * out there (first, last: the window holds the passage's first or last
 * word): a bullet, a spaced " :" or " »" is shown rather than "…", when
 * at most SNIPPET_GLUE_MAX bytes of it (white space aside at the ends). */
static void reach_ends(const char *text, size_t len, int first, int last,
                       size_t *from, size_t *to)
{
    size_t f = 0, e = len;
    while (f < *from && is_blank((unsigned char)text[f]))
        f++;
    while (e > *to && is_blank((unsigned char)text[e - 1]))
        e--;
    if (first && *from - f <= SNIPPET_GLUE_MAX)
        *from = f;
    if (last && e - *to <= SNIPPET_GLUE_MAX)
        *to = e;
}

/* 1 if text[from..to) holds anything but white space. */
static int has_text(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_blank((unsigned char)text[i]))
            return 1;
    return 0;
}

/* Chooses the windows of `max_words` word tokens in all to show of t[0..n)
 * (n > 0) into frag[], in passage order; returns how many (1 or 2).  One:
 * the best window, when it holds every distinct leaf the passage has, or
 * when the budget is too small to split.  Two: the best window of half
 * the budget, and the best of the other half counting only the leaves
 * the first lacks, when together they hold more distinct leaves than the
 * one window and at least one word lies between them (else the one
 * window, which then holds at least as many).  O(n + leaves). */
static size_t pick_fragments(const snippet_token_t *t, size_t n,
                             size_t max_words, fragment_t frag[2])
{
    int maxleaf = max_leaf(t, n);
    size_t first = best_window(t, n, max_words, maxleaf, NULL);
    frag[0].first = first;
    frag[0].last = first + max_words < n ? first + max_words - 1 : n - 1;
    if (n <= max_words || max_words < 2 * SNIPPET_FRAGMENT_MIN_WORDS ||
        maxleaf < 0)
        return 1;
    unsigned char *seen = calloc((size_t)maxleaf + 1, 1);
    if (!seen)
        return 1; /* the one window is as good a snippet */
    size_t all = mark_leaves(t, 0, n - 1, seen);
    memset(seen, 0, (size_t)maxleaf + 1);
    size_t one = mark_leaves(t, frag[0].first, frag[0].last, seen);
    size_t nfrag = 1;
    if (one < all) {
        size_t w2 = max_words / 2, w1 = max_words - w2;
        size_t a = best_window(t, n, w1, maxleaf, NULL);
        memset(seen, 0, (size_t)maxleaf + 1);
        size_t got = mark_leaves(t, a, a + w1 - 1, seen);
        size_t b = best_window(t, n, w2, maxleaf, seen);
        got += mark_leaves(t, b, b + w2 - 1, seen);
        /* apart: a word at least between them, never touching */
        if (got > one && (a + w1 < b || b + w2 < a)) {
            fragment_t fa = {a, a + w1 - 1}, fb = {b, b + w2 - 1};
            frag[0] = a < b ? fa : fb;
            frag[1] = a < b ? fb : fa;
            nfrag = 2;
        }
    }
    free(seen);
    return nfrag;
}

/* Copies text[from..to), the span of tokens[first..last] with what is
 * glued to it, white space collapsed, recording a highlight for each
 * matching token. */
static void copy_fragment(snippet_t *out, const char *text,
                          const snippet_token_t *tokens, size_t first,
                          size_t last, size_t from, size_t to, int *rc)
{
    size_t at = from;
    for (size_t i = first; i <= last && !*rc; i++) {
        const snippet_token_t *t = &tokens[i];
        if (t->leaf < 0 || t->start < at)
            continue;
        copy_collapsed(&out->text, text, at, t->start, rc);
        size_t start = out->text.n;
        buf_add(&out->text, text + t->start, t->end - t->start, rc);
        if (!*rc && add_span(out, start, out->text.n) < 0)
            *rc = -1;
        at = t->end;
    }
    copy_collapsed(&out->text, text, at, to, rc);
}

int snippet_build(const char *text, size_t len, const snippet_token_t *tokens,
                  size_t ntokens, size_t max_words, snippet_t *out)
{
    int rc = 0;
    buf_reset(&out->text);
    out->nspans = 0;
    if (max_words == 0)
        max_words = 1;
    if (ntokens == 0) {
        /* No words: the start of the text, cut at a white space (or, in
         * one long run, between two code points). */
        size_t end = len;
        if (len > SNIPPET_NO_WORDS_BYTES) {
            end = SNIPPET_NO_WORDS_BYTES;
            while (end > 0 && !is_blank((unsigned char)text[end]))
                end--;
            if (end == 0)
                end = utf8_floor(text, SNIPPET_NO_WORDS_BYTES);
        }
        while (len && end > 0 && is_blank((unsigned char)text[end - 1]))
            end--;
        copy_collapsed(&out->text, text, 0, end, &rc);
        if (has_text(text, end, len))
            buf_adds(&out->text, SNIPPET_ELLIPSIS, &rc);
        return rc;
    }
    fragment_t frag[2];
    size_t nfrag = pick_fragments(tokens, ntokens, max_words, frag);
    for (size_t k = 0; k < nfrag && !rc; k++) {
        size_t first = frag[k].first, last = frag[k].last;
        size_t from = tokens[first].start, to = tokens[last].end;
        /* The window's ends take what is glued to them, but never the
         * words left out on either side. */
        size_t lo = first ? tokens[first - 1].end : 0;
        size_t hi = last + 1 < ntokens ? tokens[last + 1].start : len;
        glue_ends(text, len, lo, hi, &from, &to);
        reach_ends(text, len, first == 0, last + 1 == ntokens, &from, &to);
        if (k > 0)
            buf_adds(&out->text, " " SNIPPET_ELLIPSIS " ", &rc);
        else if (has_text(text, 0, from))
            buf_adds(&out->text, SNIPPET_ELLIPSIS, &rc);
        copy_fragment(out, text, tokens, first, last, from, to, &rc);
        if (k + 1 == nfrag && has_text(text, to, len))
            buf_adds(&out->text, SNIPPET_ELLIPSIS, &rc);
    }
    return rc;
}

void snippet_free(snippet_t *s)
{
    buf_free(&s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}
