/*
 * plan.h - a parsed query made ready to run: the Xapian query, and the
 * leaves (words, prefixes, phrases) with the index terms each one matches
 * and how (folded form, English or French stem, prefix).
 *
 * A word is expanded through the stem table (private.h): the words of the
 * index whose English stem is the query word's English stem, and likewise
 * in French, are searched with it as one Xapian synonym group, so BM25
 * sees them as one term.
 *
 * A word of more than TRUNC_CHARS letters also gets the index's words
 * that begin with the same TRUNC_CHARS letters (at most
 * TRUNC_EXPANSIONS_MAX, in byte order): a crude stem that joins what the
 * Snowball stemmers keep apart, derivations (`supprimer`, `suppression`)
 * and words shared by the two languages (`compresser`, `compression`).
 * They are weak evidence for the ranker only: not in Xapian's query (they
 * would make the word look common), not highlighted.
 */
#ifndef TROUVE_PLAN_H
#define TROUVE_PLAN_H

#include <stddef.h>

#include "../analysis/stem.h"
#include "private.h"
#include "query.h"
#include "strset.h"

#define HOW_FOLDED (1u << 0) /* the query word's own folded form */
#define HOW_EN     (1u << 1) /* shares the query word's English stem */
#define HOW_FR     (1u << 2) /* shares the query word's French stem */
#define HOW_PREFIX (1u << 3) /* begins with the query prefix */
#define HOW_TRUNC  (1u << 4) /* begins with the word's first TRUNC_CHARS */

#define STEM_EXPANSIONS_MAX 40   /* words per stem and language */
#define PREFIX_EXPANSIONS_MAX 1000
#define TRUNC_CHARS 5
#define TRUNC_EXPANSIONS_MAX 30

typedef struct qterm {
    const char *s;   /* the index term (in plan->strings) */
    size_t len;
    int leaf;        /* the leaf it belongs to */
    unsigned word;   /* its word's place in a phrase (0 otherwise) */
    unsigned how;    /* HOW_* */
} qterm_t;

typedef struct leaf {
    qkind_t kind;      /* Q_WORD, Q_PREFIX or Q_PHRASE */
    size_t first, n;   /* its terms: plan->terms[first .. first + n) */
    unsigned nwords;   /* words in a phrase; 1 otherwise */
    const char *text;  /* as typed (first word for a phrase) */
    double idf;        /* filled by the ranker */
    const char *lower; /* a word's lowercase accented form, or NULL */
    int negated;       /* a phrase excluded at the top of the query
                          (-"a b"; `excluded` too): a post whose text has
                          it is left out by the search */
    int excluded;      /* under a NOT, at any depth: not ranked, never
                          highlighted */
} leaf_t;

typedef struct plan {
    trouve_index_t *ix;
    leaf_t *leaves;
    size_t nleaves;
    qterm_t *terms;
    size_t nterms, capterms;
    strset_t strings;         /* distinct term strings */
    int *string_leaf;         /* leaf of each string, for highlights: a
                                 word or prefix before a phrase, before an
                                 excluded leaf, else the first (-1 for a
                                 truncation's word only) */
    stemmer_t *stem_en, *stem_fr;
    trouve_lang_t lang;       /* keep only passages in this language */
    int no_stems;             /* the stem table could not be read */
    xap_query_t *query;       /* what Xapian runs */
    size_t nnegated;          /* leaves with `negated` set */
} plan_t;

/*
 * Compiles the tree (not consumed; it must outlive the plan) into *plan,
 * with `lang` (UNKNOWN for all) as a language filter.  Returns OK, or
 * TOO_MANY_TERMS / BAD_QUERY / OUT_OF_MEMORY / an engine error, with the
 * message on the handle.
 */
trouve_status_t plan_compile(trouve_index_t *ix, const qnode_t *root,
                             trouve_lang_t lang, plan_t *plan);

/* The leaf a token's term matches (for highlighting), or -1 (also for a
 * word that only shares a query word's first letters).  The leaf may be
 * `excluded`: the word is then not to be highlighted; or a phrase: the
 * word is highlighted only where the phrase is. */
int plan_leaf_of(const plan_t *plan, const char *term, size_t len);

void plan_free(plan_t *plan);

#endif
