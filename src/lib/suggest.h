/*
 * suggest.h - "did you mean": a corrected query from the index's own
 * vocabulary, for a search that found nothing.
 *
 * Each word of the query (phrases included) that is not a word of the
 * index is replaced by the index word closest to it: at most
 * SUGGEST_DISTANCE_MAX edits away (insertions, deletions, substitutions
 * and swaps of two neighbouring letters, counted on folded characters;
 * one edit for words of four letters or fewer), the fewest edits first,
 * then the word found in the most posts.  Candidates share the word's
 * first SUGGEST_PREFIX letters (a typo is seldom in the first two), and
 * at most SUGGEST_SCAN_MAX index words are looked at per query word, so
 * the cost is bounded whatever the vocabulary.  Index terms are folded;
 * each word of the suggestion is shown as the text of a post that has it
 * spells it (`comite consultatf` -> `comité consultatif`), in lower case.
 * The rest of the query (operators, brackets, quotes, fields) is kept as
 * typed.
 */
#ifndef TROUVE_SUGGEST_H
#define TROUVE_SUGGEST_H

#include "private.h"
#include "query.h"

#define SUGGEST_DISTANCE_MAX 2
#define SUGGEST_PREFIX 2
#define SUGGEST_SCAN_MAX 50000
#define SUGGEST_WORD_MAX 64   /* longer words are left alone */

/*
 * Writes to *out (malloc()ed, NUL-terminated) the corrected form of
 * query[0..len), or sets *out to NULL when no word needs correcting or
 * none could be corrected.  ix must be open for reading.  Returns OK,
 * OUT_OF_MEMORY or an engine error (with the message on the handle).
 */
trouve_status_t suggest_query(trouve_index_t *ix, const char *query,
                              size_t len, char **out);

/* The edit distance (optimal string alignment: insertions, deletions,
 * substitutions, swaps of neighbours) between a[0..na) and b[0..nb),
 * code points; any value above `max` is reported as max + 1. */
unsigned suggest_distance(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb, unsigned max);

#endif
