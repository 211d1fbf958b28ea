/*
 * post_doc.h - turning a post into the Xapian document that indexes it.
 *
 * The post's text is cut into passages; each passage is tokenized once,
 * giving the word terms with their positions, the evidence for its
 * language, and its words for the stem table.  Then the languages are
 * decided, and each distinct word is stemmed in the languages of the
 * passages it appeared in.  What goes into the document is described in
 * private.h and store.h.
 *
 * A builder is reused from post to post by one thread (it keeps its
 * buffers and the stemmers' caches).
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
 * not reported for an earlier post (as far as its stem caches remember):
 * key is "en:<stem>" or "fr:<stem>", word the folded word; or, for a word
 * with accents, key "en/<stem>" or "fr/<stem>" of its unaccented
 * spelling and word its own stem (private.h).  Returns 0,
 * or non-zero to fail the build with that value. */
typedef int (*stem_pair_fn)(const char *key, size_t klen, const char *word,
                            size_t wlen, void *ctx);

/* What the builder keeps of each term of the post. */
typedef struct post_term {
    uint32_t wdf;     /* occurrences in the post: each term goes to Xapian
                         once, with its count */
    uint32_t seen;    /* 1 + the last passage it was noted in, 0: none */
    uint32_t at;      /* its pair in `where` for that passage */
    uint16_t hash;    /* where_hash */
} post_term_t;

typedef struct post_doc {
    stemmer_t *stem_en, *stem_fr;
    strset_t words;          /* distinct lowercase words of the post */
    strset_t terms;          /* distinct folded terms */
    strset_order_t term_order; /* their byte order */
    post_term_t *term_info;  /* of each term, by its number */
    size_t capterms;
    uint64_t *where;         /* WHERE_PAIR of each term and passage */
    size_t nwhere, capwhere;
    uint32_t *word_term;     /* term number of each word */
    uint8_t *word_class;     /* its lang_word_class */
    size_t capclass;
    uint8_t *word_langs;     /* languages each word was seen in (bits) */
    size_t capwords;
    uint32_t *token_word;    /* word number of each indexed token */
    size_t ntokens, captokens;
    uint32_t *passage_tokens;/* index of each passage's first token; n+1 */
    lang_count_t *counts;    /* language evidence of each passage */
    size_t cappassages;
    passage_list_t passages;
    buf_t scratch;           /* values, data, keys */
} post_doc_t;

/* Its stemmers look words up in shared_en and shared_fr (stem.h; NULL
 * for none), which must outlive it.  Returns 0, or -1 when memory ran
 * out. */
int post_doc_init(post_doc_t *b, stem_shared_t *shared_en,
                  stem_shared_t *shared_fr);
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
