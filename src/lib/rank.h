/*
 * rank.h - scoring the passages of the posts Xapian ranked first.
 *
 * Xapian's BM25 picks the candidate posts.  Inside each, the post's
 * SLOT_WHERE table says which passages hold each query term; a passage's
 * score is a BM25-like sum over the query's leaves of the (graded) terms
 * it holds, times the share of the query it covers, plus the post's own
 * evidence.  A phrase counts in a passage that holds all its words; the
 * caller checks the words really follow each other in the text.
 * Grades: the query word's folded form counts 1, a word sharing its stem
 * in the passage's language 0.8, in the other language 0.5.
 */
#ifndef TROUVE_RANK_H
#define TROUVE_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "../text/passage.h"
#include "buf.h"
#include "plan.h"
#include "store.h"

typedef struct candidate {
    uint32_t docid;
    double weight;        /* Xapian's BM25 weight of the post */
    passage_t *passages;  /* its passage table */
    size_t npassages;
} candidate_t;

typedef struct scored {
    uint32_t cand;        /* candidate number */
    uint32_t passage;     /* passage number in it */
    double score;
    double part_passage;  /* the parts of the score, for --explain */
    double part_post;
    double cover;
    uint64_t leaves;      /* leaves matched (bit i for leaf i; bit 63 also
                             stands for every leaf past 63) */
} scored_t;

typedef struct ranker {
    const plan_t *plan;
    xap_db_t *db;
    double idf_sum;        /* sum of the leaves' idf */
    double max_weight;     /* best post weight, for normalising */
    double *acc;           /* [passage * nleaves + leaf] graded counts */
    unsigned *how;         /* [passage * nleaves + leaf] HOW_* seen */
    size_t capacc;
    where_t where;         /* the current candidate's SLOT_WHERE */
    scored_t *out;         /* every scored passage */
    size_t nout, capout;
} ranker_t;

/* Computes the leaves' idf (in plan->leaves) from the index statistics.
 * Returns XAP_OK or the failing status. */
xap_status_t ranker_init(ranker_t *r, plan_t *plan, xap_db_t *db,
                         double max_weight);

/* Scores the passages of candidate `c` (number `ci`), appending those
 * that match to r->out.  Returns XAP_OK, or a failing status (XAP_NOMEM
 * when memory ran out). */
xap_status_t ranker_score(ranker_t *r, const candidate_t *c, uint32_t ci);

/* Appends a one-line account of a scored passage to `out`. */
void ranker_explain(const ranker_t *r, const candidate_t *c,
                    const scored_t *s, buf_t *out, int *rc);

void ranker_free(ranker_t *r);

#endif
