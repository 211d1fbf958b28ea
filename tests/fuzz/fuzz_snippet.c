/*
 * fuzz_snippet.c - the snippet builder (lib/snippet.c) on any text, with
 * the tokenizer's tokens marked as matches by the input.
 *
 * The first byte seeds which tokens match (and which leaf), the second
 * gives the snippet length in words; the rest is the passage.  Checks:
 * the snippet is valid UTF-8 when the passage is, NUL-terminated; its
 * spans are sorted, do not overlap, lie inside it, and each covers the
 * bytes of a matched token exactly.
 */
#include <string.h>

#include "fuzz.h"
#include "analysis/token.h"
#include "analysis/utf8.h"
#include "lib/snippet.h"

typedef struct marks {
    snippet_token_t *v;
    size_t n, cap;
    unsigned seed;
} marks_t;

static int on_token(void *ctx, const token_t *t)
{
    marks_t *m = ctx;
    if (t->kind != TOKEN_WORD)
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        snippet_token_t *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return 1;
        m->v = v;
        m->cap = cap;
    }
    m->seed = m->seed * 1103515245u + 12345u;
    int leaf = (m->seed >> 16) % 4 == 0 ? (int)((m->seed >> 20) % 5) : -1;
    m->v[m->n++] = (snippet_token_t){t->start, t->end, leaf};
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const char *text = (const char *)data + 2;
    size_t len = size - 2;
    marks_t m = {NULL, 0, 0, data[0]};
    if (tokenize(text, len, 0, on_token, &m) != 0) {
        free(m.v);
        return 0;
    }
    snippet_t s;
    memset(&s, 0, sizeof s);
    size_t words = 1 + data[1] % 64;
    FUZZ_CHECK(snippet_build(text, len, m.v, m.n, words, &s) == 0);
    const char *out = s.text.p ? s.text.p : "";
    size_t n = s.text.n;
    FUZZ_CHECK(!s.text.p || out[n] == '\0');
    if (utf8_valid(text, len))
        FUZZ_CHECK(utf8_valid(out, n));
    for (size_t i = 0; i < s.nspans; i++) {
        FUZZ_CHECK(s.spans[i].start < s.spans[i].end &&
                   s.spans[i].end <= n);
        FUZZ_CHECK(i == 0 || s.spans[i].start >= s.spans[i - 1].end);
        /* the bytes of a matched token, exactly */
        size_t w = s.spans[i].end - s.spans[i].start, k = 0;
        while (k < m.n &&
               (m.v[k].leaf < 0 || m.v[k].end - m.v[k].start != w ||
                memcmp(text + m.v[k].start, out + s.spans[i].start, w)))
            k++;
        FUZZ_CHECK(k < m.n);
    }
    snippet_free(&s);
    free(m.v);
    return 0;
}
