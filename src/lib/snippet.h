/*
 * snippet.h - choosing the best window of a passage and marking its hits.
 *
 * The caller tokenizes the passage and says which word tokens match which
 * part of the query (`leaf`, -1 for none).  The window of at most
 * `max_words` words holding the most distinct leaves, then the most
 * matches, then the tightest, then the earliest, with its matches
 * centred, is copied out with white space runs collapsed to one space and
 * "…" where text was left out before or after.  When it lacks some leaf
 * the passage has, and `max_words` is 6 or more, the snippet may instead
 * be two fragments sharing the budget: the best window of half of it,
 * and the best of the other half for the leaves the first lacks, in
 * passage order with " … " between them.  They are shown only when
 * together they hold more distinct leaves than the one window and a word
 * at least lies between them (else the one window, which holds them
 * both); so a passage one window covers gets the same snippet as ever.
 * Each window is cut at white space:
 * punctuation and elisions glued to its first and last words stay with
 * them (a little of them when very long), and a UTF-8 sequence is never
 * split; a compound is cut between its words, with no hyphen left hanging
 * (`arc-en-ciel` cut before `ciel` gives `…ciel`, `chef-d’œuvre` before
 * `œuvre` gives `…d’œuvre`).  Highlights are byte ranges of the snippet
 * covering exactly the matched tokens' characters (so `avion` in
 * `l’avion`, `Clé` for `cle`).
 */
#ifndef TROUVE_SNIPPET_H
#define TROUVE_SNIPPET_H

#include <stddef.h>

#include "buf.h"

typedef struct snippet_token {
    size_t start, end;  /* byte range in the passage */
    int leaf;           /* the query part it matches, or -1 */
} snippet_token_t;

typedef struct snippet_span {
    size_t start, end;  /* byte range in the snippet */
} snippet_span_t;

typedef struct snippet {
    buf_t text;            /* the snippet, NUL-terminated */
    snippet_span_t *spans; /* highlights, sorted, not overlapping */
    size_t nspans, capspans;
} snippet_t;

#define SNIPPET_ELLIPSIS "\xE2\x80\xA6" /* … */

/*
 * Builds the snippet of text[0..len) (valid UTF-8) into *out, whose
 * buffers are reused (reset first).  `tokens` are the passage's word
 * tokens in order.  Returns 0, or -1 when memory ran out.
 */
int snippet_build(const char *text, size_t len, const snippet_token_t *tokens,
                  size_t ntokens, size_t max_words, snippet_t *out);

void snippet_free(snippet_t *s);

#endif
