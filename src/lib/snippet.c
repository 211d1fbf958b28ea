/*
 * snippet.c - the best window of a passage, with its hits marked.  See
 * snippet.h.
 *
 * The window slides over the tokens once, keeping a count per leaf, so
 * choosing it costs O(tokens + leaves).
 */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
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
    if (s->nspans == s->capspans) {
        size_t cap = s->capspans ? s->capspans * 2 : 8;
        snippet_span_t *v = realloc(s->spans, cap * sizeof *v);
        if (!v)
            return -1;
        s->spans = v;
        s->capspans = cap;
    }
    s->spans[s->nspans++] = (snippet_span_t){start, end};
    return 0;
}

/* Picks the first token of the best window of `w` tokens. */
static size_t best_window(const snippet_token_t *t, size_t n, size_t w)
{
    if (n <= w)
        return 0;
    int maxleaf = -1;
    for (size_t i = 0; i < n; i++)
        if (t[i].leaf > maxleaf)
            maxleaf = t[i].leaf;
    if (maxleaf < 0)
        return 0;
    unsigned *count = calloc((size_t)maxleaf + 1, sizeof *count);
    if (!count)
        return 0;
    size_t distinct = 0, hits = 0, best = 0, best_distinct = 0,
           best_hits = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].leaf >= 0) {
            hits++;
            distinct += count[t[i].leaf]++ == 0;
        }
        if (i >= w) {
            const snippet_token_t *out = &t[i - w];
            if (out->leaf >= 0) {
                hits--;
                distinct -= --count[out->leaf] == 0;
            }
        }
        if (i + 1 >= w && (distinct > best_distinct ||
                           (distinct == best_distinct && hits > best_hits))) {
            best = i + 1 - w;
            best_distinct = distinct;
            best_hits = hits;
        }
    }
    free(count);
    /* Centre the hits a little: start a few words before the first one
     * when the window would otherwise begin on it. */
    size_t first = best;
    while (first < best + w && t[first].leaf < 0)
        first++;
    size_t lead = w / 6;
    if (first == best && best > 0) {
        size_t back = best < lead ? best : lead;
        /* only if the hits still fit */
        size_t last = best + w - 1;
        while (last > best && t[last].leaf < 0)
            last--;
        size_t room = best + w - 1 - last;
        best -= back < room ? back : room;
    }
    return best;
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
        /* No words: the start of the text, cut at a white space. */
        size_t end = len < 200 ? len : 200;
        while (end < len && end > 0 && !is_blank((unsigned char)text[end]))
            end--;
        copy_collapsed(&out->text, text, 0, end, &rc);
        if (end < len)
            buf_adds(&out->text, SNIPPET_ELLIPSIS, &rc);
        return rc;
    }
    size_t first = best_window(tokens, ntokens, max_words);
    size_t last = first + max_words < ntokens ? first + max_words - 1
                                              : ntokens - 1;
    /* Text before the first word that holds no word (an opening quote) is
     * kept when the window starts the passage. */
    size_t from = first == 0 ? 0 : tokens[first].start;
    size_t to = last == ntokens - 1 ? len : tokens[last].end;
    while (from < to && is_blank((unsigned char)text[from]))
        from++;
    while (to > from && is_blank((unsigned char)text[to - 1]))
        to--;
    if (first > 0)
        buf_adds(&out->text, SNIPPET_ELLIPSIS, &rc);
    size_t at = from;
    for (size_t i = first; i <= last && !rc; i++) {
        const snippet_token_t *t = &tokens[i];
        if (t->leaf < 0 || t->start < at)
            continue;
        copy_collapsed(&out->text, text, at, t->start, &rc);
        size_t start = out->text.n;
        buf_add(&out->text, text + t->start, t->end - t->start, &rc);
        if (!rc && add_span(out, start, out->text.n) < 0)
            rc = -1;
        at = t->end;
    }
    copy_collapsed(&out->text, text, at, to, &rc);
    if (last < ntokens - 1)
        buf_adds(&out->text, SNIPPET_ELLIPSIS, &rc);
    return rc;
}

void snippet_free(snippet_t *s)
{
    buf_free(&s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}
