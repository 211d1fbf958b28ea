/*
 * stem.h - English and French stems, folded, with a cache.
 *
 * Stems come from Xapian's Snowball stemmers applied to the lowercase
 * accented word, then folded (inversée -> invers).  A stemmer keeps a cache
 * of the words it has seen, so stemming a post costs a hash lookup per word
 * after the first occurrence.  One stemmer per thread (which may share a
 * cache with the others).
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

/*
 * A cache of stems shared by the stemmers of several threads, one per
 * language: a stemmer made with stemmer_new_shared looks a word new to it
 * up there before running Snowball, and puts there what Snowball gave, so
 * the words that several threads meet are stemmed once.  The stemmers
 * return the same stems, mark the same words as seen and empty their own
 * caches at the same moments as without it.  Thread-safe (a mutex);
 * bounded as a stemmer's cache is.  It must outlive the stemmers that use
 * it.  stem_shared_new returns NULL when memory ran out.
 */
typedef struct stem_shared stem_shared_t;
stem_shared_t *stem_shared_new(void);
void stem_shared_free(stem_shared_t *sh);
/* As stemmer_new, looking words up in `shared` (of the same language;
 * NULL for none) too. */
stemmer_t *stemmer_new_shared(trouve_lang_t lang, stem_shared_t *shared);

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

/* As stemmer_stem, and marks the word: *seen is 1 when it was marked
 * already (by an earlier call of this function, since the cache was last
 * emptied), else 0.  An indexer uses it to report each word's stem once
 * per run rather than once per post; a word may be reported again after
 * the cache is emptied.  Words longer than the cache takes are never
 * marked. */
const char *stemmer_stem_seen(stemmer_t *s, const char *lower, size_t len,
                              size_t *stem_len, int *seen);

#endif
