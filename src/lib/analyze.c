/*
 * analyze.c - trouve_analyze: the tokens of a text as the index sees them,
 * with their stems.
 */
#include "private.h"

#include "../analysis/stem.h"
#include "../analysis/token.h"

typedef struct analysis {
    stemmer_t *en, *fr;
    trouve_token_fn fn;
    void *ctx;
    int oom;
} analysis_t;

static int on_token(void *ctx, const token_t *tok)
{
    analysis_t *a = ctx;
    size_t n;
    const char *en = stemmer_stem(a->en, tok->lower, tok->lower_len, &n);
    const char *fr = stemmer_stem(a->fr, tok->lower, tok->lower_len, &n);
    if (!en || !fr) {
        a->oom = 1;
        return 1;
    }
    trouve_token_t t = {.start = tok->start,
                        .end = tok->end,
                        .term = tok->term,
                        .stem_en = en,
                        .stem_fr = fr,
                        .elision = tok->kind == TOKEN_ELISION};
    return a->fn(&t, a->ctx) ? 1 : 0;
}

trouve_status_t trouve_analyze(const char *text, size_t len,
                               trouve_token_fn fn, void *ctx)
{
    if ((!text && len) || !fn)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    analysis_t a = {stemmer_new(TROUVE_LANG_EN), stemmer_new(TROUVE_LANG_FR),
                    fn, ctx, 0};
    if (a.en && a.fr)
        tokenize(text ? text : "", len, 0, on_token, &a);
    stemmer_free(a.en);
    stemmer_free(a.fr);
    return !a.en || !a.fr || a.oom ? TROUVE_STATUS_OUT_OF_MEMORY
                                   : TROUVE_STATUS_OK;
}
