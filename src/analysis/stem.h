/*
 * stem.h - English and French stems, folded, with a cache.
 *
 * Stems come from Xapian's Snowball stemmers applied to the lowercase
 * accented word, then folded (inversée -> invers).  A stemmer keeps a cache
 * of the words it has seen, so stemming a post costs a hash lookup per word
 * after the first occurrence.  One stemmer per thread.
 */
#ifndef TROUVE_STEM_H
#define TROUVE_STEM_H

#include <stddef.h>
#include "../trouve.h"

typedef struct stemmer stemmer_t;

/* A stemmer for lang (EN or FR); NULL when memory ran out (or lang is
 * neither). */
stemmer_t *stemmer_new(trouve_lang_t lang);
void stemmer_free(stemmer_t *s);

/* The cache is bounded: it is emptied when it holds STEM_CACHE_WORDS
 * words or STEM_CACHE_BYTES bytes of strings. */
#define STEM_CACHE_WORDS (1u << 18)
#define STEM_CACHE_BYTES (16u << 20)

/* The folded stem of lower[0..len) (a token's lowercase form), owned by
 * the stemmer and valid until stemmer_free or until the cache has been
 * emptied twice since (so at least until STEM_CACHE_WORDS more distinct
 * words, or STEM_CACHE_BYTES of them, have been stemmed): copy it to keep
 * it longer.  NUL-terminated; *stem_len gets its length.
 * Returns NULL only when memory ran out. */
const char *stemmer_stem(stemmer_t *s, const char *lower, size_t len,
                         size_t *stem_len);

/* The folded stem of lower[0..len), not cached: for a caller that stems
 * each word once (an indexer remembers the words whose stems it wrote).
 * In a buffer of s's, valid until the next call of this function on s;
 * NUL-terminated, *stem_len gets its length.  NULL when memory ran out. */
const char *stemmer_stem_once(stemmer_t *s, const char *lower, size_t len,
                              size_t *stem_len);

#endif
