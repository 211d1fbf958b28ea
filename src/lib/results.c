/*
 * results.c - reading and freeing search results.
 */
#include "results.h"

#include <stdlib.h>

void hit_clear(trouve_hit_t *h)
{
    free(h->path);
    free(h->title);
    free(h->passage);
    free(h->snippet);
    free(h->spans);
    free(h->explain);
}

void trouve_results_free(trouve_results_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        hit_clear(&r->hits[i]);
    free(r->hits);
    free(r->suggestion);
    free(r);
}

size_t trouve_results_count(const trouve_results_t *r)
{
    return r ? r->n : 0;
}

uint64_t trouve_results_estimated(const trouve_results_t *r)
{
    return r ? r->estimated : 0;
}

const char *trouve_results_suggestion(const trouve_results_t *r)
{
    return r ? r->suggestion : NULL;
}

const char *trouve_results_warning(const trouve_results_t *r)
{
    return r ? r->warning : NULL;
}

const trouve_hit_t *trouve_results_hit(const trouve_results_t *r, size_t i)
{
    return r && i < r->n ? &r->hits[i] : NULL;
}

const char *trouve_hit_path(const trouve_hit_t *h)
{
    return h->path;
}

unsigned trouve_hit_line(const trouve_hit_t *h)
{
    return h->line;
}

trouve_lang_t trouve_hit_lang(const trouve_hit_t *h)
{
    return h->lang;
}

double trouve_hit_score(const trouve_hit_t *h)
{
    return h->score;
}

const char *trouve_hit_title(const trouve_hit_t *h)
{
    return h->title ? h->title : "";
}

const char *trouve_hit_passage(const trouve_hit_t *h, size_t *len)
{
    if (len)
        *len = h->passage_len;
    return h->passage;
}

const char *trouve_hit_snippet(const trouve_hit_t *h, size_t *len)
{
    if (len)
        *len = h->snippet_len;
    return h->snippet;
}

size_t trouve_hit_highlight_count(const trouve_hit_t *h)
{
    return h->nspans;
}

int trouve_hit_highlight(const trouve_hit_t *h, size_t i, size_t *start,
                         size_t *end)
{
    if (i >= h->nspans)
        return -1;
    *start = h->spans[i].start;
    *end = h->spans[i].end;
    return 0;
}

const char *trouve_hit_explain(const trouve_hit_t *h)
{
    return h->explain;
}
