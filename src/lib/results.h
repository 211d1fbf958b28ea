/*
 * results.h - the bodies of trouve_results_t and trouve_hit_t.
 */
#ifndef TROUVE_RESULTS_H
#define TROUVE_RESULTS_H

#include <stddef.h>

#include "../trouve.h"
#include "snippet.h"

struct trouve_hit {
    char *path;             /* absolute path of the post */
    unsigned line;          /* first line of the passage in the file */
    trouve_lang_t lang;
    double score;
    char *title;
    char *passage;          /* the passage's text */
    size_t passage_len;
    char *snippet;
    size_t snippet_len;
    snippet_span_t *spans;  /* highlights in the snippet */
    size_t nspans;
    char *explain;          /* NULL unless asked for */
};

struct trouve_results {
    trouve_hit_t *hits;
    size_t n;
    uint64_t estimated;
    char *suggestion;
    const char *warning;  /* static text, or NULL */
};

/* Frees what a hit holds (not the hit itself). */
void hit_clear(trouve_hit_t *hit);

#endif
