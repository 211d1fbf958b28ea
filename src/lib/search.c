/*
 * search.c - trouve_search: from a query to ranked passages with snippets.
 *
 *   parse (query.h) -> compile (plan.h) -> Xapian BM25 picks candidate
 *   posts -> their passages are scored (rank.h) -> the best are kept (per
 *   post cap, offset, limit) -> each gets its text, title and snippet
 *   (snippet.h) from the post's stored text.
 *
 * A writer committing meanwhile makes Xapian throw DatabaseModifiedError;
 * the whole search is then run again on the new revision, a few times at
 * most.
 */
#include "private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/token.h"
#include "buf.h"
#include "index.h"
#include "plan.h"
#include "query.h"
#include "rank.h"
#include "results.h"
#include "snippet.h"
#include "store.h"
#include "strset.h"
#include "suggest.h"

/* Xapian's BM25 picks at least this many posts for the ranker.  When
 * any word may match (--any, a top-level OR), Xapian's order of partial
 * matches is a weak guide and the post looked for is often far down
 * (known-item set, --any, MRR@10 en / fr / fr-noaccent with 60 posts
 * 0.733 / 0.703 / 0.699, 100: 0.736 / 0.717 / 0.713, 150: 0.739 / 0.720
 * / 0.716, 200: 0.742 / 0.726 / 0.722, 300: 0.744 / 0.724 / 0.724); when
 * every word must match, 50 do nearly as well as 100 (the same queries
 * without --any: 0.474 with 40, 0.481 with 100) at half the cost, and
 * each post costs the decoding of its passage and word tables. */
#define CANDIDATES_MIN_ALL 50
#define CANDIDATES_MIN_ANY 200
#define CANDIDATES_MAX 2000

void trouve_search_options_init(trouve_search_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->snippet_words = 30;
}

/* The folded terms of a passage, for checking phrases. */
typedef struct passage_terms {
    buf_t bytes;       /* the terms, each NUL-terminated */
    size_t *at;        /* offset of each term in bytes */
    size_t n, cap;
    int oom;
} passage_terms_t;

/* Everything one attempt at a search holds. */
typedef struct search {
    trouve_index_t *ix;
    const trouve_search_options_t *opts;
    plan_t plan;
    ranker_t ranker;
    xap_mset_t *mset;
    candidate_t *cands;
    size_t ncands;
    /* stored text of the candidates, decoded when a hit needs it */
    char **texts, **titles;
    size_t *text_lens;
    snippet_token_t *tokens;
    size_t ntokens, captokens;
    passage_terms_t token_terms; /* the tokens' terms, when the query has
                                    a phrase to find among them */
    int phrases;                 /* the query has a phrase to highlight */
    snippet_t snippet;
} search_t;

static void search_free(search_t *s)
{
    plan_free(&s->plan);
    ranker_free(&s->ranker);
    xap_mset_free(s->mset);
    for (size_t i = 0; i < s->ncands; i++) {
        free(s->cands[i].passages);
        free(s->cands[i].path);
        if (s->texts)
            free(s->texts[i]);
        if (s->titles)
            free(s->titles[i]);
    }
    free(s->cands);
    free(s->texts);
    free(s->titles);
    free(s->text_lens);
    free(s->tokens);
    free(s->token_terms.at);
    buf_free(&s->token_terms.bytes);
    snippet_free(&s->snippet);
}

static trouve_status_t fail_xap(search_t *s, xap_status_t xs)
{
    if (xs == XAP_NOMEM)
        return index_fail(s->ix, TROUVE_STATUS_OUT_OF_MEMORY,
                          "out of memory");
    return index_fail_xap(s->ix, s->ix->db, xs, "cannot search the index");
}

static trouve_status_t corrupt(search_t *s, const char *what)
{
    return index_fail(s->ix, TROUVE_STATUS_INDEX_CORRUPT,
                      "index '%s' is damaged: %s", s->ix->path, what);
}

/* Reads the candidates' passage tables and scores their passages. */
static trouve_status_t score_candidates(search_t *s)
{
    size_t n = xap_mset_size(s->mset);
    s->cands = calloc(n ? n : 1, sizeof *s->cands);
    s->texts = calloc(n ? n : 1, sizeof *s->texts);
    s->titles = calloc(n ? n : 1, sizeof *s->titles);
    s->text_lens = calloc(n ? n : 1, sizeof *s->text_lens);
    if (!s->cands || !s->texts || !s->titles || !s->text_lens)
        return fail_xap(s, XAP_NOMEM);
    xap_status_t xs = ranker_init(&s->ranker, &s->plan, s->ix->db,
                                  n ? xap_mset_weight(s->mset, 0) : 1);
    if (xs != XAP_OK)
        return fail_xap(s, xs);
    for (size_t i = 0; i < n; i++) {
        candidate_t *c = &s->cands[i];
        c->docid = xap_mset_docid(s->mset, i);
        c->weight = xap_mset_weight(s->mset, i);
        s->ncands = i + 1;
        char *v;
        size_t len;
        xs = xap_db_get_value(s->ix->db, c->docid, SLOT_PASSAGES, &v, &len);
        if (xs != XAP_OK)
            return fail_xap(s, xs);
        int bad = !v || passages_decode(v, len, &c->passages,
                                        &c->npassages) < 0;
        free(v);
        if (bad)
            return corrupt(s, "unreadable passage table");
        if ((xs = ranker_score(&s->ranker, c, (uint32_t)i)) != XAP_OK)
            return fail_xap(s, xs);
    }
    return TROUVE_STATUS_OK;
}

static int by_score(const void *a, const void *b)
{
    const scored_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    /* Ties: the better post, then document order. */
    if (x->cand != y->cand)
        return x->cand < y->cand ? -1 : 1;
    return x->passage < y->passage ? -1 : x->passage > y->passage;
}

/* Reads and inflates the stored text of candidate ci, once. */
static trouve_status_t load_text(search_t *s, uint32_t ci)
{
    if (s->texts[ci])
        return TROUVE_STATUS_OK;
    char *data;
    size_t len;
    xap_status_t xs = xap_db_get_data(s->ix->db, s->cands[ci].docid, &data,
                                      &len);
    if (xs != XAP_OK)
        return fail_xap(s, xs);
    int bad = post_data_decode(data, len, &s->titles[ci], &s->texts[ci],
                               &s->text_lens[ci]) < 0;
    free(data);
    if (bad)
        return corrupt(s, "unreadable stored text");
    const candidate_t *c = &s->cands[ci];
    for (size_t i = 0; i < c->npassages; i++)
        if (c->passages[i].end > s->text_lens[ci] ||
            c->passages[i].start > c->passages[i].end)
            return corrupt(s, "passage out of the stored text");
    return TROUVE_STATUS_OK;
}

static int on_phrase_token(void *ctx, const token_t *tok)
{
    passage_terms_t *pt = ctx;
    if (tok->kind != TOKEN_WORD)
        return 0;
    if (array_grow((void **)&pt->at, &pt->cap, pt->n + 1, sizeof *pt->at,
                   128) < 0) {
        pt->oom = 1;
        return 1;
    }
    int rc = 0;
    pt->at[pt->n++] = pt->bytes.n;
    buf_add(&pt->bytes, tok->term, tok->term_len + 1, &rc);
    pt->oom = rc;
    return rc;
}

/* 1 if the phrase leaf's words follow each other from term i on (i +
 * leaf->nwords <= pt->n). */
static int phrase_at(const plan_t *plan, const leaf_t *leaf,
                     const passage_terms_t *pt, size_t i)
{
    for (unsigned w = 0; w < leaf->nwords; w++) {
        const char *term = pt->bytes.p + pt->at[i + w];
        size_t k = leaf->first;
        while (k < leaf->first + leaf->n &&
               !(plan->terms[k].word == w && !strcmp(plan->terms[k].s, term)))
            k++;
        if (k == leaf->first + leaf->n)
            return 0;
    }
    return 1;
}

/* 1 if the phrase leaf's words follow each other among the terms. */
static int has_phrase(const plan_t *plan, const leaf_t *leaf,
                      const passage_terms_t *pt)
{
    for (size_t i = 0; i + leaf->nwords <= pt->n; i++)
        if (phrase_at(plan, leaf, pt, i))
            return 1;
    return 0;
}

/* Checks, in the text, the phrases a passage was credited with: *ok is
 * 1 if they are all there, 0 if not. */
static trouve_status_t check_phrases(search_t *s, const scored_t *sc,
                                     passage_terms_t *pt, int *ok)
{
    const plan_t *plan = &s->plan;
    *ok = 1;
    int any = 0;
    for (size_t li = 0; li < plan->nleaves; li++)
        any |= plan->leaves[li].kind == Q_PHRASE &&
               (sc->leaves >> (li < 64 ? li : 63) & 1);
    if (!any)
        return TROUVE_STATUS_OK;
    trouve_status_t st = load_text(s, sc->cand);
    if (st != TROUVE_STATUS_OK)
        return st;
    const passage_t *p = &s->cands[sc->cand].passages[sc->passage];
    buf_reset(&pt->bytes);
    pt->n = 0;
    tokenize(s->texts[sc->cand] + p->start, p->end - p->start, 0,
             on_phrase_token, pt);
    if (pt->oom)
        return fail_xap(s, XAP_NOMEM);
    for (size_t li = 0; li < plan->nleaves && *ok; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        if (leaf->kind == Q_PHRASE &&
            (sc->leaves >> (li < 64 ? li : 63) & 1) &&
            !has_phrase(plan, leaf, pt))
            *ok = 0;
    }
    return TROUVE_STATUS_OK;
}

/* Excluded phrases (-"a b"): *drop is 1 when the text of candidate ci
 * has one of them.  excluded[ci] remembers the answer (0: not known yet,
 * 1: kept, 2: dropped). */
static trouve_status_t check_excluded(search_t *s, uint32_t ci,
                                      unsigned char *excluded,
                                      passage_terms_t *pt, int *drop)
{
    const plan_t *plan = &s->plan;
    *drop = 0;
    if (!plan->nnegated)
        return TROUVE_STATUS_OK;
    if (!excluded[ci]) {
        trouve_status_t st = load_text(s, ci);
        if (st != TROUVE_STATUS_OK)
            return st;
        buf_reset(&pt->bytes);
        pt->n = 0;
        tokenize(s->texts[ci], s->text_lens[ci], 0, on_phrase_token, pt);
        if (pt->oom)
            return fail_xap(s, XAP_NOMEM);
        excluded[ci] = 1;
        for (size_t li = 0; li < plan->nleaves; li++)
            if (plan->leaves[li].negated &&
                has_phrase(plan, &plan->leaves[li], pt))
                excluded[ci] = 2;
    }
    *drop = excluded[ci] == 2;
    return TROUVE_STATUS_OK;
}

/* Reads the path of candidate ci (SLOT_PATH), once. */
static trouve_status_t load_path(search_t *s, uint32_t ci)
{
    candidate_t *c = &s->cands[ci];
    if (c->path)
        return TROUVE_STATUS_OK;
    size_t len;
    xap_status_t xs = xap_db_get_value(s->ix->db, c->docid, SLOT_PATH,
                                       &c->path, &len);
    if (xs != XAP_OK)
        return fail_xap(s, xs);
    if (!c->path && !(c->path = strdup("")))
        return fail_xap(s, XAP_NOMEM);
    return TROUVE_STATUS_OK;
}

/* The post a candidate belongs to, for the per-post cap: a very large
 * post may be indexed as several documents (parts) with one path, so
 * posts are told apart by path.  *post gets a number per distinct path. */
static trouve_status_t post_of(search_t *s, strset_t *paths, uint32_t ci,
                               long *post)
{
    trouve_status_t st = load_path(s, ci);
    if (st != TROUVE_STATUS_OK)
        return st;
    const char *path = s->cands[ci].path;
    *post = strset_intern(paths, path, strlen(path), NULL);
    return *post < 0 ? fail_xap(s, XAP_NOMEM) : TROUVE_STATUS_OK;
}

static int on_term_token(void *ctx, const token_t *tok)
{
    return tok->kind == TOKEN_WORD &&
           strset_intern(ctx, tok->term, tok->term_len, NULL) < 0;
}

/* Checks the words of the best k passages in their text (ranker_check:
 * a word credited through another word's hash is taken out); when a
 * score fell, the passages are sorted again, those left with no word
 * dropped, and the ones new among the best k checked in turn. */
static trouve_status_t check_words(search_t *s, size_t k)
{
    ranker_t *r = &s->ranker;
    strset_t terms;
    strset_init(&terms);
    trouve_status_t st = TROUVE_STATUS_OK;
    for (int fell = 1; fell && st == TROUVE_STATUS_OK;) {
        fell = 0;
        for (size_t i = 0; i < k && i < r->nout; i++) {
            scored_t *h = &r->out[i];
            if (h->checked)
                continue;
            if ((st = load_text(s, h->cand)) != TROUVE_STATUS_OK)
                break;
            const passage_t *p = &s->cands[h->cand].passages[h->passage];
            strset_clear(&terms);
            if (tokenize(s->texts[h->cand] + p->start, p->end - p->start, 0,
                         on_term_token, &terms)) {
                st = fail_xap(s, XAP_NOMEM);
                break;
            }
            double before = h->score;
            xap_status_t xs = ranker_check(r, &s->cands[h->cand], h, &terms);
            if (xs != XAP_OK) {
                st = fail_xap(s, xs);
                break;
            }
            fell |= h->score < before;
        }
        if (fell) {
            qsort(r->out, r->nout, sizeof *r->out, by_score);
            while (r->nout && r->out[r->nout - 1].score < 0)
                r->nout--;
        }
    }
    strset_free(&terms);
    return st;
}

/* a + b, or SIZE_MAX when that does not fit (a limit of SIZE_MAX is
 * "all"). */
static size_t add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* What the text of the best passages says (rank.h), for those shown and
 * a few more (their texts are read for the snippets anyway): the words
 * they were credited with (check_words, which finds the true best
 * offset + limit + 5 whatever the page: unchecked scores are upper
 * bounds), then, for the best limit + 5, ranker_near, and ranker_exact
 * for RANK_EXACT_PASSAGES at most; then these are sorted again.  Both
 * only raise scores, so none of them falls behind a passage further down
 * (one past them may stay behind one it would have passed). */
static trouve_status_t rerank_by_text(search_t *s)
{
    ranker_t *r = &s->ranker;
    const trouve_search_options_t *o = s->opts;
    size_t k = add_sat(add_sat(o->offset, o->limit), 5);
    trouve_status_t st = check_words(s, k);
    if (st != TROUVE_STATUS_OK)
        return st;
    /* The text's bonuses go to the best limit + 5 whatever the offset: a
     * window that followed the page raised other passages on each page,
     * and paging repeated some hits and skipped others. */
    k = add_sat(o->limit, 5);
    size_t near = r->plan->nleaves > 1 ? k : 0;
    size_t exact = !r->typed_otherwise ? 0
                   : k < RANK_EXACT_PASSAGES ? k
                                             : RANK_EXACT_PASSAGES;
    k = near > exact ? near : exact;
    if (k > r->nout)
        k = r->nout;
    for (size_t i = 0; i < k; i++) {
        scored_t *h = &r->out[i];
        if ((st = load_text(s, h->cand)) != TROUVE_STATUS_OK)
            return st;
        const passage_t *p = &s->cands[h->cand].passages[h->passage];
        const char *text = s->texts[h->cand] + p->start;
        if (i < near)
            ranker_near(r, h, text, p->end - p->start);
        if (i < exact)
            ranker_exact(r, h, text, p->end - p->start);
    }
    if (k)
        qsort(r->out, k, sizeof *r->out, by_score);
    return TROUVE_STATUS_OK;
}

/* Sorts the scored passages and keeps offset..offset+limit of those the
 * per-post cap allows, whose phrases are really there and whose post has
 * no excluded phrase, in place at the front of ranker.out; *kept gets
 * their number. */
static trouve_status_t select_hits(search_t *s, size_t *kept)
{
    ranker_t *r = &s->ranker;
    *kept = 0;
    if (r->nout)
        qsort(r->out, r->nout, sizeof *r->out, by_score);
    trouve_status_t st = rerank_by_text(s);
    if (st != TROUVE_STATUS_OK)
        return st;
    unsigned *taken = calloc(s->ncands ? s->ncands : 1, sizeof *taken);
    unsigned char *excluded = calloc(s->ncands ? s->ncands : 1, 1);
    if (!taken || !excluded) {
        free(taken);
        free(excluded);
        return fail_xap(s, XAP_NOMEM);
    }
    strset_t paths;
    strset_init(&paths);
    passage_terms_t pt = {0};
    size_t seen = 0, per_post = s->opts->per_post;
    for (size_t i = 0; i < r->nout && *kept < s->opts->limit; i++) {
        scored_t *h = &r->out[i];
        int ok;
        long post = h->cand;
        if (per_post &&
            (st = post_of(s, &paths, h->cand, &post)) != TROUVE_STATUS_OK)
            break;
        if (per_post && taken[post] >= per_post)
            continue;
        int drop;
        if ((st = check_excluded(s, h->cand, excluded, &pt, &drop)) !=
            TROUVE_STATUS_OK)
            break;
        if (drop)
            continue;
        if ((st = check_phrases(s, h, &pt, &ok)) != TROUVE_STATUS_OK)
            break;
        if (!ok)
            continue;
        taken[post]++;
        if (seen++ >= s->opts->offset)
            r->out[(*kept)++] = *h;
    }
    free(taken);
    free(excluded);
    strset_free(&paths);
    free(pt.at);
    buf_free(&pt.bytes);
    return st;
}

static int on_snippet_token(void *ctx, const token_t *tok)
{
    search_t *s = ctx;
    if (tok->kind != TOKEN_WORD)
        return 0;
    if (s->ntokens == s->captokens) {
        size_t cap = s->captokens ? s->captokens * 2 : 256;
        snippet_token_t *v = realloc(s->tokens, cap * sizeof *v);
        if (!v)
            return 1;
        s->tokens = v;
        s->captokens = cap;
    }
    if (s->phrases && on_phrase_token(&s->token_terms, tok))
        return 1;
    int leaf = plan_leaf_of(&s->plan, tok->term, tok->term_len);
    if (leaf >= 0 && (s->plan.leaves[leaf].excluded ||
                      s->plan.leaves[leaf].kind == Q_PHRASE))
        leaf = -1; /* an excluded word (-a, -"a b") is no match; a
                      phrase's word, only where the phrase is */
    s->tokens[s->ntokens++] = (snippet_token_t){tok->start, tok->end, leaf};
    return 0;
}

/* Marks the words of the query's phrases where a phrase is among the
 * tokens (on_snippet_token left them unmarked): `"de la"` highlights
 * "de la", not every "de" and "la" of the passage. */
static void mark_phrases(search_t *s)
{
    const plan_t *plan = &s->plan;
    const passage_terms_t *pt = &s->token_terms;
    for (size_t li = 0; li < plan->nleaves; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        if (leaf->kind != Q_PHRASE || leaf->excluded || !leaf->nwords)
            continue;
        for (size_t i = 0; i + leaf->nwords <= pt->n; i++)
            if (phrase_at(plan, leaf, pt, i))
                for (unsigned w = 0; w < leaf->nwords; w++)
                    if (s->tokens[i + w].leaf < 0)
                        s->tokens[i + w].leaf = (int)li;
    }
}

static char *dup_n(const char *p, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, p, n);
        d[n] = '\0';
    }
    return d;
}

/* Fills hit h from scored passage sc. */
static trouve_status_t make_hit(search_t *s, const scored_t *sc,
                                trouve_hit_t *h)
{
    const candidate_t *c = &s->cands[sc->cand];
    const passage_t *p = &c->passages[sc->passage];
    trouve_status_t st = load_text(s, sc->cand);
    if (st != TROUVE_STATUS_OK)
        return st;
    const char *text = s->texts[sc->cand];
    if ((st = load_path(s, sc->cand)) != TROUVE_STATUS_OK)
        return st;
    h->path = strdup(c->path);
    h->line = p->line;
    h->lang = p->lang;
    h->score = sc->score;
    h->title = strdup(s->titles[sc->cand]);
    h->passage_len = p->end - p->start;
    h->passage = dup_n(text + p->start, h->passage_len);
    s->ntokens = 0;
    buf_reset(&s->token_terms.bytes);
    s->token_terms.n = 0;
    if (tokenize(text + p->start, h->passage_len, 0, on_snippet_token, s))
        return fail_xap(s, XAP_NOMEM);
    if (s->phrases)
        mark_phrases(s);
    if (snippet_build(text + p->start, h->passage_len, s->tokens, s->ntokens,
                      s->opts->snippet_words, &s->snippet) < 0)
        return fail_xap(s, XAP_NOMEM);
    h->snippet_len = s->snippet.text.n;
    h->snippet = dup_n(s->snippet.text.p ? s->snippet.text.p : "",
                       h->snippet_len);
    h->nspans = s->snippet.nspans;
    h->spans = malloc((h->nspans ? h->nspans : 1) * sizeof *h->spans);
    if (h->spans && h->nspans)
        memcpy(h->spans, s->snippet.spans, h->nspans * sizeof *h->spans);
    if (s->opts->flags & TROUVE_SEARCH_EXPLAIN) {
        buf_t b = {0};
        int rc = 0;
        ranker_explain(&s->ranker, c, sc, text + p->start, h->passage_len,
                       &b, &rc);
        h->explain = rc ? NULL : buf_steal(&b);
        buf_free(&b);
        if (!h->explain)
            return fail_xap(s, XAP_NOMEM);
    }
    if (!h->path || !h->title || !h->passage || !h->snippet || !h->spans)
        return fail_xap(s, XAP_NOMEM);
    return TROUVE_STATUS_OK;
}

/* 1 when the query's words may match in part: a top-level OR, or one
 * beside restrictions (which --any makes of (AND a b -c)).  A query of
 * one word (or phrase) and its restrictions matches whole, --any or
 * not, and is searched alike. */
static int any_word(const qnode_t *root)
{
    if (root->kind == Q_OR)
        return 1;
    for (size_t i = 0; root->kind == Q_AND && i < root->nkids; i++)
        if (root->kids[i]->kind == Q_OR)
            return 1;
    return 0;
}

/* One attempt: everything from the compiled plan to the hits. */
static trouve_status_t run(trouve_index_t *ix, const qnode_t *root,
                           const trouve_search_options_t *opts,
                           trouve_results_t *res)
{
    search_t s = {.ix = ix, .opts = opts};
    trouve_status_t st = plan_compile(ix, root, opts->lang, &s.plan);
    if (st != TROUVE_STATUS_OK)
        goto done;
    /* Twice the passages wanted, in posts, saturating: a limit of SIZE_MAX
     * ("all") wrapped round to a few. */
    size_t want = add_sat(opts->offset, opts->limit);
    if (want > CANDIDATES_MAX)
        want = CANDIDATES_MAX;
    size_t k = want * 2 + 10;
    int partial = opts->flags & TROUVE_SEARCH_ANY ? any_word(root)
                                                  : root->kind == Q_OR;
    size_t least = partial ? CANDIDATES_MIN_ANY : CANDIDATES_MIN_ALL;
    if (k < least)
        k = least;
    if (k > CANDIDATES_MAX)
        k = CANDIDATES_MAX;
    xap_status_t xs = xap_enquire(ix->db, s.plan.query, NULL, 0, (uint32_t)k,
                                  (uint32_t)k, &s.mset);
    if (xs != XAP_OK) {
        st = xs == XAP_WILDCARD
                 ? index_fail(ix, TROUVE_STATUS_TOO_MANY_TERMS,
                              "a prefix matches too many words")
                 : fail_xap(&s, xs);
        goto done;
    }
    res->estimated = xap_mset_estimated(s.mset);
    if (s.plan.no_stems)
        res->warning = "stems were not used: the index has remote shards, "
                       "whose stem tables Xapian cannot read";
    if ((st = score_candidates(&s)) != TROUVE_STATUS_OK)
        goto done;
    size_t n;
    if ((st = select_hits(&s, &n)) != TROUVE_STATUS_OK)
        goto done;
    for (size_t li = 0; li < s.plan.nleaves; li++)
        s.phrases |= s.plan.leaves[li].kind == Q_PHRASE &&
                     !s.plan.leaves[li].excluded;
    res->hits = calloc(n ? n : 1, sizeof *res->hits);
    if (!res->hits) {
        st = fail_xap(&s, XAP_NOMEM);
        goto done;
    }
    for (size_t i = 0; i < n && st == TROUVE_STATUS_OK; i++) {
        res->n = i + 1;
        st = make_hit(&s, &s.ranker.out[i], &res->hits[i]);
    }
done:
    search_free(&s);
    return st;
}

static void results_reset(trouve_results_t *r)
{
    for (size_t i = 0; i < r->n; i++)
        hit_clear(&r->hits[i]);
    free(r->hits);
    free(r->suggestion);
    memset(r, 0, sizeof *r);
}

/* One run of a search, for index_read (which runs it again when writers'
 * commits overtook it): the results of an earlier run dropped. */
typedef struct attempt {
    const qnode_t *root;
    const trouve_search_options_t *opts;
    trouve_results_t *res;
} attempt_t;

static trouve_status_t attempt(trouve_index_t *ix, void *ctx)
{
    attempt_t *a = ctx;
    results_reset(a->res);
    return run(ix, a->root, a->opts, a->res);
}

trouve_status_t trouve_search(trouve_index_t *ix, const char *query,
                              const trouve_search_options_t *options,
                              trouve_results_t **out)
{
    if (out)
        *out = NULL;
    if (!ix)
        return TROUVE_STATUS_INVALID_ARGUMENT;
    if (!query || !out)
        return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                          "trouve_search: %s is NULL",
                          !query ? "query" : "out");
    trouve_search_options_t opts;
    if (options)
        opts = *options;
    else
        trouve_search_options_init(&opts);
    if (opts.lang != TROUVE_LANG_UNKNOWN && opts.lang != TROUVE_LANG_EN &&
        opts.lang != TROUVE_LANG_FR)
        return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                          "trouve_search: options->lang is %d, not a "
                          "trouve_lang_t", (int)opts.lang);
    if (opts.snippet_words == 0)
        return index_fail(ix, TROUVE_STATUS_INVALID_ARGUMENT,
                          "trouve_search: options->snippet_words is 0, not "
                          "at least 1");
    trouve_status_t st = index_open_reader(ix);
    if (st != TROUVE_STATUS_OK)
        return st;

    qnode_t *root;
    char err[128];
    int pr = query_parse(query, strlen(query), &root, err, sizeof err);
    if (pr == -1)
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    if (pr == -2)
        return index_fail(ix, TROUVE_STATUS_BAD_QUERY, "%s", err);
    if ((opts.flags & TROUVE_SEARCH_ANY) && query_make_any(root) < 0) {
        qnode_free(root);
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    }
    if (!query_has_positive(root)) {
        qnode_free(root);
        return index_fail(ix, TROUVE_STATUS_BAD_QUERY,
                          "no word to search for in the query");
    }
    trouve_results_t *res = calloc(1, sizeof *res);
    if (!res) {
        qnode_free(root);
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    }
    attempt_t a = {root, &opts, res};
    st = opts.limit ? index_read(ix, attempt, &a) : TROUVE_STATUS_OK;
    qnode_free(root);
    if (st != TROUVE_STATUS_OK) {
        trouve_results_free(res);
        return st;
    }
    /* Nothing found: "did you mean".  A suggestion that cannot be made
     * (the index unreadable now, memory short) is simply not given. */
    if (res->n == 0 && opts.offset == 0 && opts.limit &&
        !(opts.flags & TROUVE_SEARCH_NO_SUGGEST))
        suggest_query(ix, query, strlen(query), &res->suggestion);
    *out = res;
    return TROUVE_STATUS_OK;
}
