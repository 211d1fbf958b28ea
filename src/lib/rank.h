/*
 * rank.h - scoring the passages of the posts Xapian ranked first.
 *
 * Xapian's BM25 picks the candidate posts.  Inside each, the post's
 * SLOT_WHERE table says which passages hold each query term and how often
 * (1 to 4 times).  Every match is graded: the query word's own folded form
 * counts 1, a word sharing its stem in the passage's language
 * RANK_GRADE_STEM_SAME, in the other language RANK_GRADE_STEM_OTHER (a
 * French word's English stem seldom means the same thing), a prefix
 * expansion RANK_GRADE_PREFIX, a word that only shares the query word's
 * first letters (plan.h) RANK_GRADE_TRUNC.  A passage's score adds five
 * kinds of evidence, each divided by the query's total weight so that
 * scores are comparable from one query to the next:
 *
 *   passage  BM25 of the passage's graded counts (short passages: k1, b
 *            over an average of RANK_PASSAGE_WORDS words), times the share
 *            of the query's weight the passage covers to the power
 *            RANK_COVER_POWER (the query words close together), times a
 *            lead prior, 1 + RANK_LEAD / (1 + k / RANK_LEAD_SPAN) for the
 *            k-th passage of its language in the post (what a post is
 *            about is said early; a bilingual post says it twice)
 *   others   the passage evidence of the post's best other passage,
 *            times RANK_W_OTHERS (a post that answers in several places,
 *            both halves of a bilingual post say, is more likely the one)
 *   near     for the best passages, the query words found close together
 *            in their text (ranker_near)
 *   post     BM25 of the graded counts summed over the whole post (post
 *            length over Xapian's average document length)
 *   xapian   Xapian's own BM25 weight of the post, over the best one's
 *
 * Leaf weights are BM25 idfs from the number of posts holding the query
 * word's own folded form (its stem expansions would count every post that
 * has any of them: `list` would look as common as `liste`); a word absent
 * from the index, or a prefix, counts the posts holding any expansion
 * but truncations, estimated as if they were independent.  When the
 * query's words tell its language (lang.h), the idfs count among the
 * posts that have passages in that language only, so French words are not
 * rare merely because most posts are English.  A phrase counts, in a
 * passage, when the passage holds all its words; the caller checks the
 * words really follow each other in the text.  An excluded word (under a
 * NOT) weighs nothing and counts nowhere: it only keeps posts out.
 *
 * The constants were fitted on the known-item set of tests/bench (tuned on
 * its even queries, checked on the odd ones, and on the held-out set of
 * the other sections: relevance.sh --held-out); see the closing notes of
 * issue 3 for the measurements.
 */
#ifndef TROUVE_RANK_H
#define TROUVE_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "../text/passage.h"
#include "buf.h"
#include "plan.h"
#include "store.h"
#include "strset.h"

typedef struct candidate {
    uint32_t docid;
    double weight;        /* Xapian's BM25 weight of the post */
    passage_t *passages;  /* its passage table */
    size_t npassages;
    double post_part;     /* the post evidence, shared by its passages */
    char *path;           /* SLOT_PATH, read when needed (or NULL) */
} candidate_t;

typedef struct scored {
    uint32_t cand;        /* candidate number */
    uint32_t passage;     /* passage number in it */
    double score;         /* the sum of the parts, times exact */
    double part_passage;  /* the parts of the score, for --explain */
    double part_others;
    double part_near;     /* ranker_near's, 0 until then */
    double part_post;
    double part_xapian;
    double cover;         /* share of the query's weight in the passage */
    double lead;          /* the lead prior's factor */
    double exact;         /* the exact-form factor (ranker_exact), 1 until
                             then */
    uint64_t leaves;      /* leaves matched (bit i for leaf i; bit 63 also
                             stands for every leaf past 63) */
    int checked;          /* its words checked in its text (ranker_check) */
} scored_t;

typedef struct ranker {
    const plan_t *plan;
    xap_db_t *db;
    double idf_sum;        /* sum of the leaves' idf */
    double max_weight;     /* best post weight, for normalising */
    double avg_post_words; /* Xapian's average document length */
    double *acc;           /* [passage * nleaves + leaf] graded counts */
    double *post_acc;      /* [leaf] graded counts over the post */
    size_t capacc;
    where_t where;         /* the current candidate's SLOT_WHERE */
    unsigned typed_otherwise; /* query words typed with accents or
                                 ligatures: ranker_exact has work */
    scored_t *out;         /* every scored passage */
    size_t nout, capout;
} ranker_t;

/* Computes the leaves' idf (in plan->leaves) from the index statistics.
 * Returns XAP_OK or the failing status (XAP_NOMEM when memory ran out). */
xap_status_t ranker_init(ranker_t *r, plan_t *plan, xap_db_t *db,
                         double max_weight);

/* Scores the passages of candidate `c` (number `ci`), appending those
 * that match to r->out, and sets c->post_part.  Returns XAP_OK, or a
 * failing status (XAP_NOMEM when memory ran out, XAP_CORRUPT when the
 * post's tables cannot be read). */
xap_status_t ranker_score(ranker_t *r, candidate_t *c, uint32_t ci);

/* The word tables key each word by a 16-bit hash (store.h), and two
 * words of a post may share one: a passage that holds `h` then seems to
 * hold `except` as well.  The search checks the best passages against
 * their text: `terms` holds the folded terms of passage s's text, and the
 * query words s was credited with but whose terms are not among them are
 * taken out of its score (the post's other counts are left as they are).
 * s->leaves keeps the words that are there; none left, s->score is -1.
 * Phrases are left to the caller, which checks them word by word.
 * Returns XAP_OK, or XAP_NOMEM / XAP_CORRUPT as ranker_score does. */
xap_status_t ranker_check(ranker_t *r, const candidate_t *c, scored_t *s,
                          const strset_t *terms);

/* Query words close together count more.  Each pair of query words (of
 * the first RANK_NEAR_LEAVES) found within RANK_NEAR_WORDS words of each
 * other in passage `s`, whose text is `text` (len bytes), adds
 * RANK_W_NEAR times the smaller of their weights, over the query's total,
 * to its score (s->part_near): French says in several words what English
 * says in one (`système de fichiers`, `mot de passe`), and a post's
 * answer gathers the words that ask for it.  The word tables say which
 * passage holds a word, not where: the search reads the text of the best
 * limit + 5 passages, whatever the offset (so that pages agree), applies
 * this and ranker_exact, and sorts them again (the first 30 passages
 * rather than 15, for 10 hits, gave the same MRR and cost 1 to 2 ms a
 * query at 1 GB). */
#define RANK_NEAR_LEAVES 16
void ranker_near(const ranker_t *r, scored_t *s, const char *text,
                 size_t len);

/* An exact form counts more than an accent-folded one.  The query words
 * typed with accents (or ligatures: any word whose lowercase form is not
 * its folded form) that passage `s` holds in that very form, `text` being
 * its text (len bytes), raise its score by RANK_EXACT_BONUS times their
 * share of the query's weight (s->exact gets the factor).  The search
 * applies it to the best limit + 5 passages (at most
 * RANK_EXACT_PASSAGES), after ranker_near; a query typed without accents
 * is left as it is.  Returns 1 when the factor is above 1. */
#define RANK_EXACT_PASSAGES 50
int ranker_exact(const ranker_t *r, scored_t *s, const char *text,
                 size_t len);

/* Appends a one-line account of a scored passage to `out`: for each query
 * word, how it matched (exact or folded form, English or French stem,
 * prefix) and how often, then the parts of the score.  `text` (may be
 * NULL) is the passage's text, len bytes, where an exact match (accents
 * as typed) is told from a folded one. */
void ranker_explain(ranker_t *r, const candidate_t *c, const scored_t *s,
                    const char *text, size_t len, buf_t *out, int *rc);

void ranker_free(ranker_t *r);

#endif
