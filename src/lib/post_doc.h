/*
 * post_doc.h - turning a post into the Xapian document that indexes it.
 *
 * The post's text is cut into passages; each passage is tokenized once,
 * giving the word terms with the passages that hold them, the evidence
 * for its language, and its words for the stem table.  Then the languages
 * are decided, and each word new to the builder is stemmed in the
 * languages of the passages it appeared in.  What goes into the document
 * is described in private.h and store.h.
 *
 * A builder is reused from post to post by one thread.  It keeps its
 * buffers and a vocabulary: the words and terms of the posts it built,
 * each looked up once per token but analysed (term, language class,
 * stems) once per vocabulary, and numbered anew in each post.
 */
#ifndef TROUVE_POST_DOC_H
#define TROUVE_POST_DOC_H

#include <stdint.h>

#include "../analysis/lang.h"
#include "../analysis/stem.h"
#include "../text/passage.h"
#include "../text/post.h"
#include "buf.h"
#include "private.h"
#include "store.h"
#include "strset.h"

/* Called for each (stem key, word) pair of the post that the builder has
 * not reported for an earlier post (as far as its vocabulary remembers):
 * key is "en:<stem>" or "fr:<stem>", word the folded word; or, for a word
 * with accents, key "en/<stem>" or "fr/<stem>" of its unaccented
 * spelling and word its own stem (private.h).  Returns 0,
 * or non-zero to fail the build with that value. */
typedef int (*stem_pair_fn)(const char *key, size_t klen, const char *word,
                            size_t wlen, void *ctx);

/* A word of the builder's vocabulary: the distinct lowercase words of
 * the posts it built, each analysed once (its term, its language class,
 * the stem pairs reported for it) rather than once per post.  Emptied
 * when it holds VOCAB_WORDS words or VOCAB_BYTES bytes of strings. */
typedef struct vocab_word {
    uint32_t term;       /* its term's number in the vocabulary */
    uint32_t post;       /* the last post it was in (post_doc.post), 0:
                            none yet; then: */
    uint32_t local;      /* its number in that post */
    uint32_t local_term; /* its term's number in that post */
    uint8_t cls;         /* lang_word_class */
    uint8_t reported;    /* 1 << lang: its stems in that language were
                            reported (stem_pair_fn) */
} vocab_word_t;

/* A folded term of the vocabulary. */
typedef struct vocab_term {
    uint32_t post;   /* the last post it was in, 0: none yet */
    uint32_t local;  /* its number in that post */
    uint16_t hash;   /* where_hash */
} vocab_term_t;

/* What the builder keeps of each term of the post being built. */
typedef struct post_term {
    uint32_t wdf;     /* occurrences in the post: each term goes to Xapian
                         once, with its count */
    uint32_t seen;    /* 1 + the last passage it was noted in, 0: none */
    uint32_t at;      /* its pair in `where` for that passage */
    uint16_t hash;    /* where_hash */
} post_term_t;

/* Bounds of the vocabulary: words (or terms), and bytes of both. */
#define VOCAB_WORDS (1u << 18)
#define VOCAB_BYTES (16u << 20)

typedef struct post_doc {
    stemmer_t *stem_en, *stem_fr;
    /* the vocabulary */
    strset_t words;          /* lowercase words */
    strset_t terms;          /* folded terms */
    vocab_word_t *vocab_words;
    vocab_term_t *vocab_terms;
    size_t capvwords, capvterms;
    uint32_t post;           /* the post being built: 1, 2... */
    /* the post being built: its words and terms by their numbers in it */
    uint32_t *post_words;    /* vocabulary number of each word */
    size_t nwords, capwords;
    post_term_t *term_info;  /* each term */
    uint32_t *term_ids;      /* and its vocabulary number */
    size_t nterms, capterms, capids;
    strset_order_t term_order; /* their byte order */
    uint64_t *where;         /* WHERE_PAIR of each term and passage */
    size_t nwhere, capwhere;
    uint8_t *word_langs;     /* languages each word was seen in (bits) */
    size_t caplangs;
    uint32_t *token_word;    /* word number of each indexed token */
    size_t ntokens, captokens;
    uint32_t *passage_tokens;/* index of each passage's first token; n+1 */
    lang_count_t *counts;    /* language evidence of each passage */
    size_t cappassages;
    passage_list_t passages;
    buf_t scratch;           /* values, data, keys */
} post_doc_t;

/* Returns 0, or -1 when memory ran out. */
int post_doc_init(post_doc_t *b);
void post_doc_free(post_doc_t *b);

/*
 * Builds the document of the post at `path` (absolute, `path_len` bytes)
 * whose extracted text is `post` and whose file stamp is `stamp`, calling
 * `pair` for its stem pairs.  On success *out is the document (free it
 * with xap_doc_free) and *counts its passages per language.
 * Returns 0, -1 when memory ran out, or what `pair` returned.
 */
int post_doc_build(post_doc_t *b, const char *path, size_t path_len,
                   const post_text_t *post, const post_stamp_t *stamp,
                   stem_pair_fn pair, void *ctx, xap_doc_t **out,
                   post_counts_t *counts);

#endif
