/*
 * token.h - the one tokenizer of trouve.
 *
 * It serves indexing, query parsing, highlighting and `trouve analyze`, so
 * the four never disagree.  Like SQLite FTS5's xTokenize, it reports every
 * token with the byte offsets of its original characters and the folded
 * term it is matched under.
 *
 * A word is a run of letters and digits (combining marks join the letter
 * before them).  An apostrophe (' ’ ʼ ‘) between two letters joins them,
 * with two exceptions:
 *   - French elisions are split off: l' d' j' m' n' s' t' c' qu' jusqu'
 *     lorsqu' puisqu' quoiqu' (any case, any of the apostrophes) before a
 *     letter make a token of their own, of kind TOKEN_ELISION; the word
 *     after it is a token of its own.  `aujourd'hui` stays whole.
 *   - An English possessive 's at the end of a word is dropped: the token
 *     `Lisa’s` spans `Lisa` and its term is `lisa`.
 * Inside a term every apostrophe becomes ASCII ' (`don’t` -> `don't`).
 * One to three '+' or '#' right after a word with a letter, and before
 * anything but a letter, digit or mark, belong to it, as with Xapian's
 * TermGenerator: `C++` is the term `c++`, `C#` is `c#` (so `c` finds
 * neither); `a+b` and `18+` are not joined.
 * Everything else separates words: spaces (U+00A0 and U+202F too),
 * punctuation, symbols, controls, U+FFFD from invalid bytes.
 */
#ifndef TROUVE_TOKEN_H
#define TROUVE_TOKEN_H

#include <stddef.h>
#include <stdint.h>

/* Tokens whose folded term is longer than this are reported with
 * TOKEN_LONG set and their term cut (at a character boundary) to fit; the
 * indexer does not index them. */
#define TOKEN_TERM_MAX 64

typedef enum token_kind {
    TOKEN_WORD = 0,
    TOKEN_ELISION = 1 /* l' qu' ...: reported, not indexed */
} token_kind_t;

#define TOKEN_LONG    (1u << 0) /* the word was longer than TOKEN_TERM_MAX */
#define TOKEN_NONWORD (1u << 1) /* made only of digits */

typedef struct token {
    size_t start, end;     /* byte range of the token in the text */
    const char *term;      /* folded term, NUL-terminated */
    size_t term_len;
    const char *lower;     /* lowercase with accents kept, NUL-terminated,
                              for the stemmers (may be the very string
                              term points to, when they are equal) */
    size_t lower_len;
    uint32_t ordinal;      /* 0, 1, 2... over TOKEN_WORD tokens; an
                              elision carries the ordinal of its word */
    token_kind_t kind;
    unsigned flags;        /* TOKEN_LONG, TOKEN_NONWORD */
} token_t;

/* Called for each token; the strings are valid during the call only.
 * Return 0 to go on; any other value stops the tokenizer, which returns
 * it. */
typedef int (*token_fn)(void *ctx, const token_t *tok);

/* Tokenizes text[0..len), numbering words from `first_ordinal`.  Returns 0,
 * or the non-zero value fn returned to stop. */
int tokenize(const char *text, size_t len, uint32_t first_ordinal,
             token_fn fn, void *ctx);

#endif
