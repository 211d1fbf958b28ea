/*
 * post_doc.c - turning a post into the Xapian document that indexes it.
 * See post_doc.h; the document's layout is in private.h and store.h.
 */
#include "post_doc.h"

#include <stdlib.h>
#include <string.h>

#include "../analysis/token.h"
#include "buf.h"

/* Keeps the arrays of a builder large enough for `n` items.  Called for
 * every token: the test that there is room already is inlined. */
static inline int grow(void **p, size_t *cap, size_t n, size_t size)
{
    return n <= *cap ? 0 : array_grow(p, cap, n, size, 256);
}

int post_doc_init(post_doc_t *b)
{
    memset(b, 0, sizeof *b);
    strset_init(&b->words);
    strset_init(&b->terms);
    b->stem_en = stemmer_new(TROUVE_LANG_EN);
    b->stem_fr = stemmer_new(TROUVE_LANG_FR);
    if (!b->stem_en || !b->stem_fr) {
        post_doc_free(b);
        return -1;
    }
    return 0;
}

void post_doc_free(post_doc_t *b)
{
    stemmer_free(b->stem_en);
    stemmer_free(b->stem_fr);
    strset_free(&b->words);
    strset_free(&b->terms);
    free(b->vocab_words);
    free(b->vocab_terms);
    free(b->post_words);
    free(b->term_info);
    free(b->term_ids);
    strset_order_free(&b->term_order);
    free(b->where);
    free(b->word_langs);
    free(b->token_word);
    free(b->passage_tokens);
    free(b->counts);
    passage_list_free(&b->passages);
    buf_free(&b->scratch);
    memset(b, 0, sizeof *b);
}

/* Starts a post: its number, and an empty vocabulary when the one in
 * hand is full (or the numbers went round). */
static void post_begin(post_doc_t *b)
{
    if (b->words.count >= VOCAB_WORDS || b->terms.count >= VOCAB_WORDS ||
        b->words.bytes + b->terms.bytes >= VOCAB_BYTES ||
        b->post == UINT32_MAX) {
        strset_clear(&b->words);
        strset_clear(&b->terms);
        b->post = 0;
    }
    b->post++;
    b->nwords = b->nterms = 0;
    b->ntokens = 0;
    b->nwhere = 0;
    b->passages.n = 0;
}

/* State of the tokenizer callback over one passage. */
typedef struct passage_walk {
    post_doc_t *b;
    lang_count_t *count;
    uint32_t words;   /* word tokens seen in the passage */
    uint32_t passage; /* its number in the post */
    int failed;
} passage_walk_t;

/* Records an occurrence of term t in passage `passage`.  Its record
 * says whether the passage has a pair for it already: an array as small
 * as the post's vocabulary, where a table by hash took 512 KB. */
static int note_where(post_doc_t *b, long t, uint32_t passage)
{
    post_term_t *ti = &b->term_info[t];
    if (ti->seen == passage + 1) {
        uint64_t *pair = &b->where[ti->at];
        if ((*pair & 0xff) < 4)
            (*pair)++;
        return 0;
    }
    if (grow((void **)&b->where, &b->capwhere, b->nwhere + 1,
             sizeof *b->where) < 0)
        return -1;
    ti->seen = passage + 1;
    ti->at = (uint32_t)b->nwhere;
    b->where[b->nwhere++] = WHERE_PAIR(ti->hash, passage, 1);
    return 0;
}

/* Two terms of a post may share a where_hash: their pairs for one
 * passage, side by side once sorted, become one (occurrences added, up to
 * 4), as SLOT_WHERE keeps one entry per hash. */
static void merge_shared_hashes(post_doc_t *b)
{
    size_t out = 0;
    for (size_t i = 0; i < b->nwhere; i++) {
        uint64_t p = b->where[i];
        if (out && (b->where[out - 1] ^ p) >> 8 == 0) {
            uint64_t count = (b->where[out - 1] & 0xff) + (p & 0xff);
            b->where[out - 1] = (p & ~(uint64_t)0xff) |
                                (count < 4 ? count : 4);
        } else {
            b->where[out++] = p;
        }
    }
    b->nwhere = out;
}

/* The vocabulary number of term[0..len), learning its hash the first
 * time; -1 when memory ran out. */
static long vocab_term(post_doc_t *b, const char *term, size_t len)
{
    int added;
    long g = strset_intern(&b->terms, term, len, &added);
    if (g < 0 || !added)
        return g;
    if (grow((void **)&b->vocab_terms, &b->capvterms, (size_t)g + 1,
             sizeof *b->vocab_terms) < 0)
        return -1;
    b->vocab_terms[g] = (vocab_term_t){.hash = where_hash(term, len)};
    return g;
}

/* The number in the post of vocabulary term g, numbering it the first
 * time; -1 when memory ran out. */
static long post_term(post_doc_t *b, long g)
{
    vocab_term_t *vt = &b->vocab_terms[g];
    if (vt->post == b->post)
        return vt->local;
    size_t t = b->nterms;
    if (grow((void **)&b->term_info, &b->capterms, t + 1,
             sizeof *b->term_info) < 0 ||
        grow((void **)&b->term_ids, &b->capids, t + 1,
             sizeof *b->term_ids) < 0)
        return -1;
    b->term_info[t] = (post_term_t){.hash = vt->hash};
    b->term_ids[t] = (uint32_t)g;
    vt->post = b->post;
    vt->local = (uint32_t)t;
    b->nterms++;
    return (long)t;
}

/* The vocabulary number of the token's word; a new word gets vocabulary
 * term g, or, when g < 0, that of its term, and its language class.  -1
 * when memory ran out. */
static long vocab_word(post_doc_t *b, const token_t *tok, long g)
{
    int added;
    long w = strset_intern(&b->words, tok->lower, tok->lower_len, &added);
    if (w < 0 || !added)
        return w;
    if (g < 0 && (g = vocab_term(b, tok->term, tok->term_len)) < 0)
        return -1;
    if (grow((void **)&b->vocab_words, &b->capvwords, (size_t)w + 1,
             sizeof *b->vocab_words) < 0)
        return -1;
    b->vocab_words[w] = (vocab_word_t){
        .term = (uint32_t)g,
        .cls = (uint8_t)lang_word_class(tok->term, tok->term_len,
                                        tok->lower, tok->lower_len)};
    return w;
}

/* Vocabulary word w in the post: numbered, with its term, the first time
 * (see vocab_word_t).  -1 when memory ran out. */
static int post_word(post_doc_t *b, long w)
{
    vocab_word_t *vw = &b->vocab_words[w];
    if (vw->post == b->post)
        return 0;
    long t = post_term(b, vw->term);
    if (t < 0 || grow((void **)&b->post_words, &b->capwords,
                      b->nwords + 1, sizeof *b->post_words) < 0)
        return -1;
    vw->post = b->post;
    vw->local = (uint32_t)b->nwords;
    vw->local_term = (uint32_t)t;
    b->post_words[b->nwords++] = (uint32_t)w;
    return 0;
}

static int on_token(void *ctx, const token_t *tok)
{
    passage_walk_t *pw = ctx;
    post_doc_t *b = pw->b;
    if (tok->kind == TOKEN_ELISION) {
        lang_count_elision(pw->count);
        return 0;
    }
    pw->words++;
    long t, w = -1;
    if (!(tok->flags & (TOKEN_LONG | TOKEN_NONWORD)) &&
        tok->lower_len < 3 * TOKEN_TERM_MAX) {
        /* A word: its term and language class are the word's own, looked
         * up once per vocabulary (a lowercase form this short was not
         * cut, so it decides the term). */
        if ((w = vocab_word(b, tok, -1)) < 0 || post_word(b, w) < 0)
            goto fail;
        t = b->vocab_words[w].local_term;
        lang_count_class(pw->count, b->vocab_words[w].cls);
    } else {
        lang_count_token(pw->count, tok);
        if (tok->flags & TOKEN_LONG)
            return 0;
        long g = vocab_term(b, tok->term, tok->term_len);
        if (g < 0 || (t = post_term(b, g)) < 0)
            goto fail;
        /* numbers have no stems: no word */
        if (!(tok->flags & TOKEN_NONWORD) &&
            ((w = vocab_word(b, tok, g)) < 0 || post_word(b, w) < 0))
            goto fail;
    }
    if (note_where(b, t, pw->passage) < 0)
        goto fail;
    b->term_info[t].wdf++;
    if (w < 0)
        return 0;
    if (grow((void **)&b->token_word, &b->captokens, b->ntokens + 1,
             sizeof *b->token_word) < 0)
        goto fail;
    b->token_word[b->ntokens++] = b->vocab_words[w].local;
    return 0;
fail:
    pw->failed = 1;
    return 1;
}

/* Tokenizes every passage into the builder's tables; fills word
 * ordinals. */
static int add_words(post_doc_t *b, const post_text_t *post)
{
    passage_t *v = b->passages.v;
    size_t n = b->passages.n;
    if (grow((void **)&b->counts, &b->cappassages, n + 1,
             sizeof *b->counts) < 0)
        return -1;
    /* passage_tokens shares cappassages with counts: grow it to match. */
    uint32_t *pt = realloc(b->passage_tokens,
                           b->cappassages * sizeof *pt);
    if (!pt)
        return -1;
    b->passage_tokens = pt;
    uint32_t ordinal = 0;
    for (size_t i = 0; i < n; i++) {
        memset(&b->counts[i], 0, sizeof b->counts[i]);
        b->passage_tokens[i] = (uint32_t)b->ntokens;
        passage_walk_t pw = {b, &b->counts[i], 0, (uint32_t)i, 0};
        tokenize(post->text + v[i].start, v[i].end - v[i].start, ordinal,
                 on_token, &pw);
        if (pw.failed)
            return -1;
        v[i].first_word = ordinal;
        v[i].nwords = pw.words;
        ordinal += pw.words;
    }
    b->passage_tokens[n] = (uint32_t)b->ntokens;
    return 0;
}

/* Reports the pair (key + stem, word): 0, or what `pair` returned (-1
 * when memory ran out).  A key too long for Xapian is left out. */
static int report(post_doc_t *b, const char *key, const char *stem,
                  size_t slen, const char *word, size_t wlen,
                  stem_pair_fn pair, void *ctx)
{
    int rc = 0;
    buf_reset(&b->scratch);
    buf_adds(&b->scratch, key, &rc);
    buf_add(&b->scratch, stem, slen, &rc);
    if (rc)
        return -1;
    if (b->scratch.n > TERM_BYTES_MAX)
        return 0;
    return pair(b->scratch.p, b->scratch.n, word, wlen, ctx);
}

/* For a word with accents stemmed to stem[0..slen): when its spelling
 * without them (its term) stems otherwise, reports that other stem's
 * unaccented key with the word's stem (private.h). */
static int report_unaccented(post_doc_t *b, stemmer_t *stemmer, int lang,
                             const char *stem, size_t slen,
                             const strset_item_t *term, stem_pair_fn pair,
                             void *ctx)
{
    char own[TERM_BYTES_MAX + 1]; /* the next stemming may move `stem` */
    if (slen > TERM_BYTES_MAX)
        return 0;
    memcpy(own, stem, slen);
    size_t ulen;
    const char *unaccented = stemmer_stem_once(stemmer, term->s, term->len,
                                               &ulen);
    if (!unaccented)
        return -1;
    if (ulen == slen && !memcmp(unaccented, own, slen))
        return 0;
    return report(b, lang == TROUVE_LANG_EN ? UNACCENTED_KEY_EN
                                            : UNACCENTED_KEY_FR,
                  unaccented, ulen, own, slen, pair, ctx);
}

/* Reports each distinct word's stems in the languages it was seen in,
 * leaving out the words the builder reported for an earlier post. */
static int add_stems(post_doc_t *b, stem_pair_fn pair, void *ctx)
{
    if (!b->nwords)
        return 0;
    if (grow((void **)&b->word_langs, &b->caplangs, b->nwords,
             sizeof *b->word_langs) < 0)
        return -1;
    uint8_t *langs = b->word_langs;
    memset(langs, 0, b->nwords);
    for (size_t i = 0; i < b->passages.n; i++) {
        /* A passage of unknown language counts as both. */
        trouve_lang_t lang = b->passages.v[i].lang;
        uint8_t bits = lang == TROUVE_LANG_UNKNOWN
                           ? (1 << TROUVE_LANG_EN | 1 << TROUVE_LANG_FR)
                           : (uint8_t)(1 << lang);
        for (uint32_t t = b->passage_tokens[i]; t < b->passage_tokens[i + 1];
             t++)
            langs[b->token_word[t]] |= bits;
    }
    for (size_t w = 0; w < b->nwords; w++) {
        vocab_word_t *vw = &b->vocab_words[b->post_words[w]];
        /* A word reported for an earlier post has nothing new to say. */
        uint8_t todo = langs[w] & ~vw->reported;
        if (!todo)
            continue;
        const strset_item_t *word = &b->words.items[b->post_words[w]];
        const strset_item_t *term = &b->terms.items[vw->term];
        int accented = word->len != term->len ||
                       memcmp(word->s, term->s, term->len) != 0;
        for (int lang = TROUVE_LANG_EN; lang <= TROUVE_LANG_FR; lang++) {
            if (!(todo & (1 << lang)))
                continue;
            stemmer_t *stemmer = lang == TROUVE_LANG_EN ? b->stem_en
                                                        : b->stem_fr;
            size_t slen;
            const char *stem = stemmer_stem_once(stemmer, word->s,
                                                 word->len, &slen);
            if (!stem)
                return -1;
            /* A word that is its own stem needs no entry: the query side
             * looks the stem up as a word too. */
            int r = 0;
            if (slen != term->len || memcmp(stem, term->s, slen) != 0)
                r = report(b, lang == TROUVE_LANG_EN ? STEM_KEY_EN
                                                     : STEM_KEY_FR,
                           stem, slen, term->s, term->len, pair, ctx);
            if (!r && accented)
                r = report_unaccented(b, stemmer, lang, stem, slen, term,
                                      pair, ctx);
            if (r)
                return r;
            vw->reported |= (uint8_t)(1 << lang);
        }
    }
    return 0;
}

/* Boolean terms: id, each folder above the post and the post itself
 * (path filters), and the languages of its passages. */
static int add_filters(post_doc_t *b, const char *path, size_t len,
                       xap_doc_t *doc)
{
    char term[TERM_BYTES_MAX + 1];
    size_t n = id_term(path, len, term);
    if (xap_doc_add_boolean_term(doc, term, n) != XAP_OK)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (path[i] != '/')
            continue;
        n = path_term(path, i + 1, term);
        if (xap_doc_add_boolean_term(doc, term, n) != XAP_OK)
            return -1;
    }
    n = path_term(path, len, term);
    if (xap_doc_add_boolean_term(doc, term, n) != XAP_OK)
        return -1;
    int seen[3] = {0};
    for (size_t i = 0; i < b->passages.n; i++)
        seen[b->passages.v[i].lang] = 1;
    for (int lang = TROUVE_LANG_EN; lang <= TROUVE_LANG_FR; lang++) {
        if (!seen[lang])
            continue;
        char l[4] = {PREFIX_LANG, 0};
        memcpy(l + 1, trouve_lang_to_string((trouve_lang_t)lang), 2);
        if (xap_doc_add_boolean_term(doc, l, 3) != XAP_OK)
            return -1;
    }
    return 0;
}

static int set_value(xap_doc_t *doc, unsigned slot, const buf_t *v)
{
    return xap_doc_set_value(doc, slot, v->p, v->n) == XAP_OK ? 0 : -1;
}

/* Values and data. */
static int add_store(post_doc_t *b, const char *path, size_t len,
                     const post_text_t *post, const post_stamp_t *stamp,
                     xap_doc_t *doc, post_counts_t *counts)
{
    buf_t *s = &b->scratch;
    int rc = 0;
    if (xap_doc_set_value(doc, SLOT_PATH, path, len) != XAP_OK)
        return -1;
    buf_reset(s);
    stamp_encode(stamp, s, &rc);
    if (rc || set_value(doc, SLOT_STAMP, s) < 0)
        return -1;
    buf_reset(s);
    passages_encode(b->passages.v, b->passages.n, s, &rc);
    if (rc || set_value(doc, SLOT_PASSAGES, s) < 0)
        return -1;
    memset(counts, 0, sizeof *counts);
    for (size_t i = 0; i < b->passages.n; i++)
        counts->passages[b->passages.v[i].lang]++;
    counts->text_bytes = post->len;
    buf_reset(s);
    counts_encode(counts, s, &rc);
    if (rc || set_value(doc, SLOT_COUNTS, s) < 0)
        return -1;
    buf_reset(s);
    if (where_sort(b->where, b->nwhere) < 0)
        return -1;
    merge_shared_hashes(b);
    where_encode(b->where, b->nwhere, s, &rc);
    if (rc || set_value(doc, SLOT_WHERE, s) < 0)
        return -1;
    buf_reset(s);
    post_data_encode(post->title, post->text, post->len, s, &rc);
    if (rc || xap_doc_set_data(doc, s->p, s->n) != XAP_OK)
        return -1;
    return 0;
}

int post_doc_build(post_doc_t *b, const char *path, size_t path_len,
                   const post_text_t *post, const post_stamp_t *stamp,
                   stem_pair_fn pair, void *ctx, xap_doc_t **out,
                   post_counts_t *counts)
{
    *out = NULL;
    post_begin(b);
    xap_doc_t *doc = xap_doc_new();
    if (!doc || passages_split(post, &b->passages) < 0 ||
        add_words(b, post) < 0) {
        xap_doc_free(doc);
        return -1;
    }
    /* Each word once, with its count (a Xapian add per token cost a tenth
     * of the indexing run), in byte order: Xapian keeps a document's terms
     * in a std::map, which takes them in order in a third of the time
     * (fewer cache misses, though more instructions), and the rest of its
     * indexing gains too (20 MB corpus, perf: 7% fewer samples in all,
     * the sort about 1%). */
    if (strset_sort(&b->terms, b->term_ids, b->nterms, &b->term_order) < 0) {
        xap_doc_free(doc);
        return -1;
    }
    for (size_t k = 0; k < b->nterms; k++) {
        uint32_t g = b->term_order.v[k];
        if (xap_doc_add_term(doc, b->terms.items[g].s, b->terms.items[g].len,
                             b->term_info[b->vocab_terms[g].local].wdf) !=
            XAP_OK) {
            xap_doc_free(doc);
            return -1;
        }
    }
    passages_decide_lang(b->passages.v, b->passages.n, b->counts, post);
    int r = add_stems(b, pair, ctx);
    if (!r && (add_filters(b, path, path_len, doc) < 0 ||
               add_store(b, path, path_len, post, stamp, doc, counts) < 0))
        r = -1;
    if (r) {
        xap_doc_free(doc);
        return r;
    }
    *out = doc;
    return 0;
}
