/*
 * query.h - the query language, parsed into a tree.
 *
 *   word word        both words (implicit AND)
 *   a OR b           either
 *   NOT a, -a        without a (also -(a b) and -"a b")
 *   ( ... )          grouping
 *   "a b c"          a phrase: the words in a row (« » “ ” quote too)
 *   pre*             words beginning with pre
 *   lang:en lang:fr  only posts and passages in that language
 *   path:DIR         only posts under DIR (or the file DIR)
 *
 * Words are cut and folded by the one tokenizer (token.h), so `l'été`
 * searches `ete`, and a chunk that holds several words (`e-mail`, `20:39`)
 * is a phrase of them, as Xapian's QueryParser does.  Nothing is a syntax
 * error: an unbalanced quote or bracket closes at the end, and operators
 * out of place (a lone AND, a trailing OR) are ignored.
 */
#ifndef TROUVE_QUERY_H
#define TROUVE_QUERY_H

#include <stddef.h>

#include "../analysis/token.h"
#include "../trouve.h"

#define QUERY_WORDS_MAX 256   /* more words than this is an error */
#define QUERY_DEPTH_MAX 64    /* brackets nested deeper are flattened */

typedef enum qkind {
    Q_WORD,    /* term, lower, text */
    Q_PREFIX,  /* term (the folded prefix), text */
    Q_PHRASE,  /* kids: Q_WORD */
    Q_AND,     /* kids; some may be Q_NOT */
    Q_OR,      /* kids */
    Q_NOT,     /* one kid: what to exclude */
    Q_LANG,    /* lang */
    Q_PATH     /* text: the path as typed */
} qkind_t;

typedef struct qnode {
    qkind_t kind;
    struct qnode **kids;
    size_t nkids;
    char *term;          /* folded form (Q_WORD, Q_PREFIX) */
    char *lower;         /* lowercase accented form, for stemming */
    char *text;          /* as typed (words, prefixes, paths) */
    trouve_lang_t lang;  /* Q_LANG */
} qnode_t;

/*
 * Parses q[0..len) into *out.  Returns 0 with *out set (NULL when the
 * query holds nothing to search for), -1 when memory ran out, or -2 when
 * the query has more than QUERY_WORDS_MAX words (message in err).
 */
int query_parse(const char *q, size_t len, qnode_t **out, char *err,
                size_t errsz);

/* --any: the words and groups of the top-level implicit AND become an
 * OR; its exclusions (NOT) and filters (lang:, path:) stay required.
 * Returns 0, or -1 when memory ran out (the tree is then unchanged). */
int query_make_any(qnode_t *root);

/* 1 if the tree has something to match (a word, phrase or prefix outside
 * any NOT). */
int query_has_positive(const qnode_t *node);

/* Writes the tree in a readable form (for tests and --explain). */
struct buf;
void query_describe(const qnode_t *node, struct buf *out, int *rc);

void qnode_free(qnode_t *node);

#endif
