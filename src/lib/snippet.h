/*
 * snippet.h - choosing the best window of a passage and marking its hits.
 *
 * The caller tokenizes the passage and says which tokens match which part
 * of the query (`leaf`, -1 for none).  The window of at most `max_words`
 * words holding the most distinct leaves, then the most matches, then the
 * earliest, is copied out with white space runs collapsed to one space and
 * "…" where text was left out before or after.  Highlights are byte
 * ranges of the snippet covering exactly the matched tokens' characters.
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
 * Builds the snippet of text[0..len) into *out (whose buffers are reused;
 * reset first).  `leaves` is the number of distinct leaf values (bits of
 * a mask when <= 64).  Returns 0, or -1 when memory ran out.
 */
int snippet_build(const char *text, size_t len, const snippet_token_t *tokens,
                  size_t ntokens, size_t max_words, snippet_t *out);

void snippet_free(snippet_t *s);

#endif
