/*
 * plan.c - from a query tree to a Xapian query and the leaves the ranker
 * scores.  See plan.h.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "walk.h"

/* Compilation state; `st` is sticky: once set, compilation stops. */
typedef struct compiler {
    plan_t *plan;
    trouve_status_t st;
    const qnode_t *top;  /* the query's top-level AND, or NULL */
    unsigned excluding;  /* NOTs around what is being compiled */
} compiler_t;

static void fail(compiler_t *c, trouve_status_t st, const char *fmt,
                 const char *arg)
{
    if (c->st != TROUVE_STATUS_OK)
        return;
    c->st = st;
    index_fail(c->plan->ix, st, fmt, arg);
}

static void oom(compiler_t *c)
{
    fail(c, TROUVE_STATUS_OUT_OF_MEMORY, "%s", "out of memory");
}

static void fail_xap(compiler_t *c, xap_status_t xs)
{
    if (c->st != TROUVE_STATUS_OK)
        return;
    c->st = index_fail_xap(c->plan->ix, c->plan->ix->db, xs,
                           "cannot read the index");
}

/* How strongly a leaf claims the strings it shares with others, for
 * highlights: a word or prefix marks them everywhere, a phrase only where
 * it is, an excluded leaf nowhere. */
static int highlight_claim(const leaf_t *leaf)
{
    return leaf->excluded ? 0 : leaf->kind == Q_PHRASE ? 1 : 2;
}

/* Adds a term to the current leaf (the last one), merging `how` when the
 * leaf has it already at the same word.  A string's leaf, for highlights,
 * is the first of those that claim it most (highlight_claim) among the
 * leaves that have it otherwise than by truncation: `"a b" b` and
 * `-"a b" b` highlight b everywhere. */
static void add_term(compiler_t *c, const char *s, size_t len, unsigned word,
                     unsigned how)
{
    plan_t *p = c->plan;
    leaf_t *leaf = &p->leaves[p->nleaves - 1];
    int li = how == HOW_TRUNC ? -1 : (int)p->nleaves - 1;
    for (size_t i = leaf->first; i < p->nterms; i++) {
        qterm_t *t = &p->terms[i];
        if (t->word == word && t->len == len && !memcmp(t->s, s, len)) {
            t->how |= how;
            return; /* truncations come last: its leaf is set */
        }
    }
    if (array_grow((void **)&p->terms, &p->capterms, p->nterms + 1,
                   sizeof *p->terms, 32) < 0) {
        oom(c);
        return;
    }
    int added;
    long k = strset_intern(&p->strings, s, len, &added);
    if (k < 0) {
        oom(c);
        return;
    }
    if (added) {
        int *v = realloc(p->string_leaf, (size_t)(k + 1) * sizeof *v);
        if (!v) {
            oom(c);
            return;
        }
        p->string_leaf = v;
        v[k] = li;
    } else if (p->string_leaf[k] < 0 ||
               (li >= 0 && highlight_claim(leaf) >
                           highlight_claim(&p->leaves[p->string_leaf[k]]))) {
        p->string_leaf[k] = li;
    }
    p->terms[p->nterms++] = (qterm_t){p->strings.items[k].s, len,
                                      (int)p->nleaves - 1, word, how};
    leaf->n++;
}

static leaf_t *new_leaf(compiler_t *c, const qnode_t *node)
{
    plan_t *p = c->plan;
    leaf_t *v = realloc(p->leaves, (p->nleaves + 1) * sizeof *v);
    if (!v) {
        oom(c);
        return NULL;
    }
    p->leaves = v;
    leaf_t *leaf = &v[p->nleaves++];
    *leaf = (leaf_t){.kind = node->kind, .first = p->nterms, .nwords = 1,
                     .text = node->text, .lower = node->lower,
                     .excluded = c->excluding > 0};
    return leaf;
}

/* Adds the terms a table walk meets, `how`, up to `max` of them. */
typedef struct expand {
    compiler_t *c;
    unsigned how;
    unsigned count, max;
} expand_t;

static int on_expansion(const char *term, size_t len, uint32_t tf,
                        void *ctx)
{
    (void)tf;
    expand_t *e = ctx;
    add_term(e->c, term, len, 0, e->how);
    return ++e->count >= e->max || e->c->st;
}

/* key + stem[0..slen) in k (TERM_BYTES_MAX + 8 bytes): its length, or 0
 * when it does not fit. */
static size_t stem_key(char *k, const char *key, const char *stem,
                       size_t slen)
{
    size_t klen = strlen(key);
    if (klen + slen >= TERM_BYTES_MAX + 8)
        return 0;
    memcpy(k, key, klen);
    memcpy(k + klen, stem, slen);
    return klen + slen;
}

/* Adds the words whose stem is stem[0..slen) in the language of `key`:
 * the stem itself, when it is a word of the index (the table leaves out
 * words that are their own stem), then the words sharing it. */
static void add_stem_words(compiler_t *c, const char *key, const char *stem,
                           size_t slen, unsigned how)
{
    plan_t *p = c->plan;
    char k[TERM_BYTES_MAX + 8];
    size_t klen = stem_key(k, key, stem, slen);
    if (!klen)
        return;
    uint32_t tf = 0;
    xap_status_t xs = xap_db_termfreq(p->ix->db, stem, slen, &tf, NULL);
    if (xs != XAP_OK) {
        fail_xap(c, xs);
        return;
    }
    if (tf)
        add_term(c, stem, slen, 0, how);
    expand_t e = {c, how, 0, STEM_EXPANSIONS_MAX};
    xs = xap_db_synonyms(p->ix->db, k, klen, on_expansion, &e);
    if (xs == XAP_UNIMPLEMENTED)
        p->no_stems = 1; /* remote shards: search without stems */
    else if (xs != XAP_OK)
        fail_xap(c, xs);
}

/* The stems that words written with accents have where their spelling
 * without them has the stem in `k` (private.h), gathered first: the
 * expansions go on to read the same table. */
typedef struct accented_stems {
    strset_t stems;
    int oom;
} accented_stems_t;

static int on_accented_stem(const char *stem, size_t len, uint32_t tf,
                            void *ctx)
{
    (void)tf;
    accented_stems_t *a = ctx;
    if (strset_intern(&a->stems, stem, len, NULL) < 0) {
        a->oom = 1;
        return 1;
    }
    return 0;
}

/* Adds the words sharing the word's stem in one language; for a word
 * typed without accents, also those of the stems its accented spellings
 * have (`derniere` finds `dernières`). */
static void expand_stem(compiler_t *c, stemmer_t *stemmer, const char *key,
                        const char *unaccented_key, const qnode_t *word,
                        unsigned how)
{
    plan_t *p = c->plan;
    if (p->no_stems || !stemmer)
        return;
    size_t slen;
    const char *stem = stemmer_stem(stemmer, word->lower, strlen(word->lower),
                                    &slen);
    if (!stem) {
        oom(c);
        return;
    }
    char k[TERM_BYTES_MAX + 8];
    size_t klen = stem_key(k, unaccented_key, stem, slen);
    add_stem_words(c, key, stem, slen, how);
    if (c->st || p->no_stems || !klen || strcmp(word->lower, word->term))
        return;
    accented_stems_t a = {0};
    strset_init(&a.stems);
    xap_status_t xs = xap_db_synonyms(p->ix->db, k, klen, on_accented_stem,
                                      &a);
    if (a.oom)
        oom(c);
    else if (xs != XAP_OK)
        fail_xap(c, xs);
    for (size_t i = 0; !c->st && i < a.stems.count; i++)
        add_stem_words(c, key, a.stems.items[i].s, a.stems.items[i].len,
                       how);
    strset_free(&a.stems);
}

/* A synonym group of the leaf's terms at `word` (all when word < 0). */
static xap_query_t *leaf_query(compiler_t *c, const leaf_t *leaf, int word)
{
    plan_t *p = c->plan;
    xap_query_t **subs = calloc(leaf->n ? leaf->n : 1, sizeof *subs);
    size_t n = 0;
    if (!subs) {
        oom(c);
        return NULL;
    }
    for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
        const qterm_t *t = &p->terms[i];
        if ((word >= 0 && t->word != (unsigned)word) || t->how == HOW_TRUNC)
            continue;
        if (!(subs[n] = xap_query_term(t->s, t->len, 1)))
            break;
        n++;
    }
    xap_query_t *q = n == 1 ? subs[0]
                   : n == 0 ? xap_query_none()
                            : xap_query_combine(XAP_OP_SYNONYM, subs, n, 0);
    if (n != 1)
        for (size_t i = 0; i < n; i++)
            xap_query_free(subs[i]);
    free(subs);
    if (!q)
        oom(c);
    return q;
}

/* The length of the first TRUNC_CHARS characters of a folded word of
 * more, all letters (digits would join unrelated numbers), or 0. */
static size_t trunc_len(const char *term)
{
    size_t i = 0;
    for (unsigned chars = 0; term[i]; i++) {
        unsigned char b = (unsigned char)term[i];
        if ((b & 0xC0) == 0x80)
            continue; /* inside a character */
        if (chars++ == TRUNC_CHARS)
            return i;
        if (b < 0x80 && !(b >= 'a' && b <= 'z'))
            return 0;
    }
    return 0;
}

/* Adds the words sharing the word's first TRUNC_CHARS letters. */
static void expand_trunc(compiler_t *c, const qnode_t *word)
{
    size_t n = trunc_len(word->term);
    if (!n)
        return;
    expand_t e = {c, HOW_TRUNC, 0, TRUNC_EXPANSIONS_MAX};
    xap_status_t xs = xap_db_allterms(c->plan->ix->db, word->term, n,
                                      on_expansion, &e);
    if (xs != XAP_OK)
        fail_xap(c, xs);
}

static xap_query_t *compile_word(compiler_t *c, const qnode_t *node)
{
    leaf_t *leaf = new_leaf(c, node);
    if (!leaf)
        return NULL;
    add_term(c, node->term, strlen(node->term), 0, HOW_FOLDED);
    expand_stem(c, c->plan->stem_en, STEM_KEY_EN, UNACCENTED_KEY_EN, node,
                HOW_EN);
    expand_stem(c, c->plan->stem_fr, STEM_KEY_FR, UNACCENTED_KEY_FR, node,
                HOW_FR);
    expand_trunc(c, node);
    if (c->st)
        return NULL;
    return leaf_query(c, &c->plan->leaves[c->plan->nleaves - 1], -1);
}

typedef struct prefix_walk {
    compiler_t *c;
    unsigned count;
} prefix_walk_t;

static int on_prefixed(const char *term, size_t len, uint32_t tf, void *ctx)
{
    (void)tf;
    prefix_walk_t *w = ctx;
    if (++w->count > PREFIX_EXPANSIONS_MAX)
        return 1;
    add_term(w->c, term, len, 0, HOW_PREFIX);
    return w->c->st != TROUVE_STATUS_OK;
}

static xap_query_t *compile_prefix(compiler_t *c, const qnode_t *node)
{
    if (!new_leaf(c, node))
        return NULL;
    prefix_walk_t w = {c, 0};
    xap_status_t xs = xap_db_allterms(c->plan->ix->db, node->term,
                                      strlen(node->term), on_prefixed, &w);
    if (xs != XAP_OK)
        fail_xap(c, xs);
    if (w.count > PREFIX_EXPANSIONS_MAX) {
        char what[160];
        snprintf(what, sizeof what, "'%.100s*' matches more than %d words",
                 node->text, PREFIX_EXPANSIONS_MAX);
        fail(c, TROUVE_STATUS_TOO_MANY_TERMS, "%s; type more letters", what);
    }
    if (c->st)
        return NULL;
    return leaf_query(c, &c->plan->leaves[c->plan->nleaves - 1], -1);
}

static xap_query_t *compile_phrase(compiler_t *c, const qnode_t *node)
{
    leaf_t *leaf = new_leaf(c, node);
    if (!leaf)
        return NULL;
    leaf->nwords = (unsigned)node->nkids;
    leaf->text = node->nkids ? node->kids[0]->text : NULL;
    for (size_t i = 0; i < node->nkids; i++) {
        const char *t = node->kids[i]->term;
        add_term(c, t, strlen(t), (unsigned)i, HOW_FOLDED);
    }
    if (c->st)
        return NULL;
    leaf = &c->plan->leaves[c->plan->nleaves - 1];
    xap_query_t **subs = calloc(node->nkids, sizeof *subs);
    if (!subs) {
        oom(c);
        return NULL;
    }
    size_t n = 0;
    while (n < node->nkids && (subs[n] = leaf_query(c, leaf, (int)n)))
        n++;
    /* The index keeps no word positions: Xapian finds the posts holding
     * every word, and the search checks the order in the text. */
    xap_query_t *q = n == node->nkids
                         ? xap_query_combine(XAP_OP_AND, subs, n, 0)
                         : NULL;
    for (size_t i = 0; i < n; i++)
        xap_query_free(subs[i]);
    free(subs);
    if (!q)
        oom(c);
    return q;
}

/* A weightless filter on one boolean term. */
static xap_query_t *filter_term(compiler_t *c, const char *term, size_t len)
{
    xap_query_t *t = xap_query_term(term, len, 1);
    xap_query_t *q = t ? xap_query_scale(t, 0) : NULL;
    xap_query_free(t);
    if (!q)
        oom(c);
    return q;
}

static xap_query_t *compile_lang(compiler_t *c, trouve_lang_t lang)
{
    char term[4] = {PREFIX_LANG, 0};
    memcpy(term + 1, trouve_lang_to_string(lang), 2);
    return filter_term(c, term, 3);
}

/* Adds to subs[*n] the filters for one path: the post at abs, and the
 * posts under the folder abs.  Returns 0, or -1 when memory ran out. */
static int add_path_filters(compiler_t *c, const char *abs,
                            xap_query_t **subs, size_t *n)
{
    size_t len = strlen(abs);
    char *dir = malloc(len + 2);
    if (!dir)
        return -1;
    memcpy(dir, abs, len);
    dir[len] = '/';
    dir[len + 1] = '\0';
    char t1[TERM_BYTES_MAX + 1], t2[TERM_BYTES_MAX + 1];
    size_t n1 = path_term(abs, len, t1);
    size_t n2 = path_term(dir, len > 1 ? len + 1 : len, t2);
    free(dir);
    subs[(*n)++] = filter_term(c, t1, n1);
    subs[(*n)++] = filter_term(c, t2, n2);
    return subs[*n - 2] && subs[*n - 1] ? 0 : -1;
}

/* path:X matches the post X, or the posts under the folder X, as the
 * index stores them: under the real paths of the folders and files given
 * to index (links resolved), or, for what an index holds from a link met
 * in a tree with --follow (or from before the roots were resolved),
 * under the link's own path.  So X is taken both ways. */
static xap_query_t *compile_path(compiler_t *c, const char *typed)
{
    char *abs = path_absolute(typed);
    char *real = realpath(typed, NULL); /* NULL when X is not there */
    xap_query_t *subs[4] = {NULL};
    size_t n = 0;
    int ok = abs && add_path_filters(c, abs, subs, &n) == 0 &&
             (!real || !strcmp(real, abs) ||
              add_path_filters(c, real, subs, &n) == 0);
    xap_query_t *q = ok ? xap_query_combine(XAP_OP_OR, subs, n, 0) : NULL;
    for (size_t i = 0; i < n; i++)
        xap_query_free(subs[i]);
    free(abs);
    free(real);
    if (!q)
        oom(c);
    return q;
}

static xap_query_t *compile(compiler_t *c, const qnode_t *node);

/* Compiles what a NOT takes out: its leaves are `excluded` (not ranked,
 * never highlighted), however deep. */
static xap_query_t *compile_excluded(compiler_t *c, const qnode_t *node)
{
    c->excluding++;
    xap_query_t *q = compile(c, node);
    c->excluding--;
    return q;
}

/* (q OP rest[0] OP rest[1] ...): takes q, which is freed; the rest stay
 * the caller's.  NULL when memory ran out. */
static xap_query_t *combine_with(xap_op_t op, xap_query_t *q,
                                 xap_query_t **rest, size_t n)
{
    xap_query_t **v = calloc(n + 1, sizeof *v);
    xap_query_t *f = NULL;
    if (v) {
        v[0] = q;
        memcpy(v + 1, rest, n * sizeof *v);
        f = xap_query_combine(op, v, n + 1, 0);
        free(v);
    }
    xap_query_free(q);
    return f;
}

/* AND: the positive kids ANDed, filtered by the filters, minus the NOTs. */
static xap_query_t *compile_and(compiler_t *c, const qnode_t *node)
{
    size_t n = node->nkids;
    xap_query_t **pos = calloc(n, sizeof *pos), **neg = calloc(n, sizeof *neg),
                **fil = calloc(n, sizeof *fil);
    size_t npos = 0, nneg = 0, nfil = 0;
    xap_query_t *q = NULL;
    if (!pos || !neg || !fil) {
        oom(c);
        goto done;
    }
    for (size_t i = 0; i < n && !c->st; i++) {
        const qnode_t *kid = node->kids[i];
        xap_query_t *k;
        if (kid->kind == Q_NOT && node == c->top &&
            kid->kids[0]->kind == Q_PHRASE) {
            /* -"a b" at the top: Xapian, without positions, would drop
             * every post with both words; the search drops the posts
             * whose text has the phrase instead (plan.h, negated). */
            if ((k = compile_excluded(c, kid->kids[0]))) {
                c->plan->leaves[c->plan->nleaves - 1].negated = 1;
                c->plan->nnegated++;
                xap_query_free(k);
            }
        } else if (kid->kind == Q_NOT) {
            if ((k = compile_excluded(c, kid->kids[0])))
                neg[nneg++] = k;
        } else if (kid->kind == Q_LANG || kid->kind == Q_PATH) {
            if ((k = compile(c, kid)))
                fil[nfil++] = k;
        } else if ((k = compile(c, kid))) {
            pos[npos++] = k;
        }
    }
    if (c->st)
        goto done;
    q = npos == 1 ? pos[0]
      : npos ? xap_query_combine(XAP_OP_AND, pos, npos, 0)
             : xap_query_all();
    if (npos == 1)
        npos = 0; /* q owns it now */
    if (q && nfil)
        q = combine_with(XAP_OP_FILTER, q, fil, nfil);
    if (q && nneg)
        q = combine_with(XAP_OP_AND_NOT, q, neg, nneg);
    if (!q)
        oom(c);
done:
    for (size_t i = 0; pos && i < npos; i++)
        xap_query_free(pos[i]);
    for (size_t i = 0; neg && i < nneg; i++)
        xap_query_free(neg[i]);
    for (size_t i = 0; fil && i < nfil; i++)
        xap_query_free(fil[i]);
    free(pos);
    free(neg);
    free(fil);
    return c->st ? (xap_query_free(q), NULL) : q;
}

static xap_query_t *compile_or(compiler_t *c, const qnode_t *node)
{
    xap_query_t **subs = calloc(node->nkids, sizeof *subs);
    size_t n = 0;
    if (!subs) {
        oom(c);
        return NULL;
    }
    for (size_t i = 0; i < node->nkids && !c->st; i++) {
        if (node->kids[i]->kind == Q_NOT)
            continue; /* "a OR -b" searches a */
        xap_query_t *k = compile(c, node->kids[i]);
        if (k)
            subs[n++] = k;
    }
    xap_query_t *q = NULL;
    if (!c->st)
        q = n == 1 ? subs[0] : xap_query_combine(XAP_OP_OR, subs, n, 0);
    for (size_t i = 0; i < n; i++)
        if (subs[i] != q)
            xap_query_free(subs[i]);
    free(subs);
    if (!q && !c->st)
        oom(c);
    return q;
}

static xap_query_t *compile(compiler_t *c, const qnode_t *node)
{
    if (c->st)
        return NULL;
    switch (node->kind) {
    case Q_WORD: return compile_word(c, node);
    case Q_PREFIX: return compile_prefix(c, node);
    case Q_PHRASE: return compile_phrase(c, node);
    case Q_AND: return compile_and(c, node);
    case Q_OR: return compile_or(c, node);
    case Q_LANG: return compile_lang(c, node->lang);
    case Q_PATH: return compile_path(c, node->text);
    case Q_NOT: break; /* a NOT alone matches nothing positive */
    }
    return NULL;
}

/* A lang: filter at the top of the query also filters passages. */
static trouve_lang_t top_lang(const qnode_t *root)
{
    if (root->kind == Q_LANG)
        return root->lang;
    if (root->kind == Q_AND)
        for (size_t i = 0; i < root->nkids; i++)
            if (root->kids[i]->kind == Q_LANG)
                return root->kids[i]->lang;
    return TROUVE_LANG_UNKNOWN;
}

trouve_status_t plan_compile(trouve_index_t *ix, const qnode_t *root,
                             trouve_lang_t lang, plan_t *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->ix = ix;
    strset_init(&plan->strings);
    compiler_t c = {plan, TROUVE_STATUS_OK,
                    root->kind == Q_AND ? root : NULL, 0};
    plan->stem_en = stemmer_new(TROUVE_LANG_EN);
    plan->stem_fr = stemmer_new(TROUVE_LANG_FR);
    if (!plan->stem_en || !plan->stem_fr) {
        oom(&c);
        return c.st;
    }
    xap_query_t *q = compile(&c, root);
    if (c.st)
        return c.st;
    if (!q) {
        fail(&c, TROUVE_STATUS_BAD_QUERY, "%s", "nothing to search for");
        return c.st;
    }
    plan->lang = lang ? lang : top_lang(root);
    if (lang) {
        xap_query_t *f = compile_lang(&c, lang);
        xap_query_t *v[2] = {q, f};
        xap_query_t *both = f ? xap_query_combine(XAP_OP_FILTER, v, 2, 0)
                              : NULL;
        xap_query_free(q);
        xap_query_free(f);
        q = both;
        if (!q)
            oom(&c);
    }
    plan->query = q;
    return c.st;
}

int plan_leaf_of(const plan_t *plan, const char *term, size_t len)
{
    long k = strset_find(&plan->strings, term, len);
    return k < 0 ? -1 : plan->string_leaf[k];
}

void plan_free(plan_t *plan)
{
    xap_query_free(plan->query);
    free(plan->leaves);
    free(plan->terms);
    free(plan->string_leaf);
    strset_free(&plan->strings);
    stemmer_free(plan->stem_en);
    stemmer_free(plan->stem_fr);
    memset(plan, 0, sizeof *plan);
}
