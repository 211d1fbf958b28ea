/*
 * rank.c - scoring the passages of the candidate posts.  See rank.h.
 */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K1 1.2              /* term count saturation */
#define B 0.75              /* passage length normalisation */
#define AVG_WORDS 60.0      /* typical passage length, in words */
#define POST_WEIGHT 0.5     /* share of the post's BM25 in a passage */

#define GRADE_FOLDED 1.0
#define GRADE_STEM_SAME 0.8
#define GRADE_STEM_OTHER 0.5
#define GRADE_PREFIX 0.8

/* Number of documents containing any of the leaf's terms (estimated as a
 * sum, capped), for a word or prefix; the rarest word for a phrase. */
static xap_status_t leaf_docs(const plan_t *plan, xap_db_t *db,
                              const leaf_t *leaf, double n, double *docs)
{
    double per_word[64] = {0};
    for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
        const qterm_t *t = &plan->terms[i];
        uint32_t tf;
        xap_status_t xs = xap_db_termfreq(db, t->s, t->len, &tf, NULL);
        if (xs != XAP_OK)
            return xs;
        per_word[t->word < 64 ? t->word : 63] += tf;
    }
    double d = per_word[0];
    for (unsigned w = 1; w < leaf->nwords && w < 64; w++)
        if (per_word[w] < d)
            d = per_word[w];
    *docs = d < n ? d : n;
    return XAP_OK;
}

xap_status_t ranker_init(ranker_t *r, plan_t *plan, xap_db_t *db,
                         double max_weight)
{
    memset(r, 0, sizeof *r);
    r->plan = plan;
    r->db = db;
    r->max_weight = max_weight > 0 ? max_weight : 1;
    uint32_t count;
    xap_status_t xs = xap_db_doccount(db, &count);
    if (xs != XAP_OK)
        return xs;
    double n = count ? count : 1;
    for (size_t i = 0; i < plan->nleaves; i++) {
        double docs;
        if ((xs = leaf_docs(plan, db, &plan->leaves[i], n, &docs)) != XAP_OK)
            return xs;
        /* BM25's idf, kept positive for very common words. */
        plan->leaves[i].idf = log(1.0 + (n - docs + 0.5) / (docs + 0.5));
        r->idf_sum += plan->leaves[i].idf;
    }
    if (r->idf_sum <= 0)
        r->idf_sum = 1;
    return XAP_OK;
}

static double grade(unsigned how, trouve_lang_t lang)
{
    if (how & HOW_FOLDED)
        return GRADE_FOLDED;
    if (how & HOW_PREFIX)
        return GRADE_PREFIX;
    unsigned same = lang == TROUVE_LANG_EN   ? HOW_EN
                    : lang == TROUVE_LANG_FR ? HOW_FR
                                             : HOW_EN | HOW_FR;
    return how & same ? GRADE_STEM_SAME : GRADE_STEM_OTHER;
}

static int has_pos(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* Adds one match at word position `pos` (1-based) to its passage. */
static void count_at(ranker_t *r, const candidate_t *c, uint32_t pos,
                     int leaf, unsigned how, double g)
{
    size_t p = passages_find_word(c->passages, c->npassages, pos - 1);
    if (p >= c->npassages)
        return;
    size_t k = p * r->plan->nleaves + (size_t)leaf;
    r->acc[k] += g;
    r->how[k] |= how;
}

/* Phrase leaf: counts the places where its words follow each other. */
static xap_status_t count_phrase(ranker_t *r, const candidate_t *c,
                                 const leaf_t *leaf, int li)
{
    const plan_t *plan = r->plan;
    /* The words' positions; a phrase word has one (folded) term. */
    uint32_t **lists = calloc(leaf->nwords, sizeof *lists);
    size_t *counts = calloc(leaf->nwords, sizeof *counts);
    xap_status_t xs = lists && counts ? XAP_OK : XAP_NOMEM;
    for (size_t i = leaf->first; xs == XAP_OK && i < leaf->first + leaf->n;
         i++) {
        const qterm_t *t = &plan->terms[i];
        if (!lists[t->word])
            xs = xap_db_positions(r->db, c->docid, t->s, t->len,
                                  &lists[t->word], &counts[t->word]);
    }
    for (size_t k = 0; xs == XAP_OK && lists[0] && k < counts[0]; k++) {
        uint32_t start = lists[0][k];
        unsigned w = 1;
        while (w < leaf->nwords && lists[w] &&
               has_pos(lists[w], counts[w], start + w))
            w++;
        if (w == leaf->nwords)
            count_at(r, c, start, li, HOW_FOLDED, GRADE_FOLDED);
    }
    for (unsigned w = 0; lists && w < leaf->nwords; w++)
        free(lists[w]);
    free(lists);
    free(counts);
    return xs;
}

/* Fills r->acc and r->how for the passages of candidate c. */
static xap_status_t accumulate(ranker_t *r, const candidate_t *c)
{
    const plan_t *plan = r->plan;
    size_t cells = c->npassages * plan->nleaves;
    if (cells > r->capacc) {
        free(r->acc);
        free(r->how);
        r->acc = malloc(cells * sizeof *r->acc);
        r->how = malloc(cells * sizeof *r->how);
        r->capacc = r->acc && r->how ? cells : 0;
        if (!r->capacc)
            return XAP_NOMEM;
    }
    memset(r->acc, 0, cells * sizeof *r->acc);
    memset(r->how, 0, cells * sizeof *r->how);
    for (size_t li = 0; li < plan->nleaves; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        if (leaf->kind == Q_PHRASE) {
            xap_status_t xs = count_phrase(r, c, leaf, (int)li);
            if (xs != XAP_OK)
                return xs;
            continue;
        }
        for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
            const qterm_t *t = &plan->terms[i];
            uint32_t *pos;
            size_t n;
            xap_status_t xs = xap_db_positions(r->db, c->docid, t->s, t->len,
                                               &pos, &n);
            if (xs != XAP_OK)
                return xs;
            for (size_t k = 0; k < n; k++) {
                size_t p = passages_find_word(c->passages, c->npassages,
                                              pos[k] - 1);
                if (p < c->npassages)
                    count_at(r, c, pos[k], (int)li, t->how,
                             grade(t->how, c->passages[p].lang));
            }
            free(pos);
        }
    }
    return XAP_OK;
}

/* The score of passage p from the accumulated counts. */
static scored_t score_passage(const ranker_t *r, const candidate_t *c,
                              size_t p)
{
    const plan_t *plan = r->plan;
    const double *acc = &r->acc[p * plan->nleaves];
    double len = c->passages[p].nwords ? c->passages[p].nwords : 1;
    double norm = K1 * (1 - B + B * len / AVG_WORDS);
    double sum = 0, covered = 0;
    for (size_t li = 0; li < plan->nleaves; li++) {
        if (acc[li] <= 0)
            continue;
        double idf = plan->leaves[li].idf;
        sum += idf * acc[li] * (K1 + 1) / (acc[li] + norm);
        covered += idf;
    }
    scored_t s = {0};
    s.passage = (uint32_t)p;
    s.cover = covered / r->idf_sum;
    s.part_passage = sum / r->idf_sum * s.cover;
    s.part_post = POST_WEIGHT * c->weight / r->max_weight;
    s.score = s.part_passage + s.part_post;
    return s;
}

xap_status_t ranker_score(ranker_t *r, const candidate_t *c, uint32_t ci)
{
    xap_status_t xs = accumulate(r, c);
    if (xs != XAP_OK)
        return xs;
    size_t nleaves = r->plan->nleaves;
    for (size_t p = 0; p < c->npassages; p++) {
        if (r->plan->lang && c->passages[p].lang != r->plan->lang)
            continue;
        int any = 0;
        for (size_t li = 0; li < nleaves && !any; li++)
            any = r->acc[p * nleaves + li] > 0;
        if (!any)
            continue;
        if (r->nout == r->capout) {
            size_t cap = r->capout ? r->capout * 2 : 64;
            scored_t *v = realloc(r->out, cap * sizeof *v);
            if (!v)
                return XAP_NOMEM;
            r->out = v;
            r->capout = cap;
        }
        scored_t s = score_passage(r, c, p);
        s.cand = ci;
        r->out[r->nout++] = s;
    }
    return XAP_OK;
}

void ranker_explain(const ranker_t *r, const candidate_t *c,
                    const scored_t *s, buf_t *out, int *rc)
{
    /* The counts were overwritten by later candidates: count again. */
    if (accumulate((ranker_t *)r, c) != XAP_OK) {
        buf_adds(out, "(no explanation: the index could not be read)", rc);
        return;
    }
    const plan_t *plan = r->plan;
    size_t base = (size_t)s->passage * plan->nleaves;
    for (size_t li = 0; li < plan->nleaves; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        unsigned how = r->how[base + li];
        buf_printf(out, rc, "%s%s%s=", li ? ", " : "",
                   leaf->text ? leaf->text : "?",
                   leaf->kind == Q_PHRASE ? "\"" : "");
        if (!how) {
            buf_adds(out, "none", rc);
            continue;
        }
        const char *sep = "";
        static const struct {
            unsigned bit;
            const char *name;
        } names[] = {{HOW_FOLDED, "folded"},
                     {HOW_EN, "english-stem"},
                     {HOW_FR, "french-stem"},
                     {HOW_PREFIX, "prefix"}};
        for (size_t k = 0; k < sizeof names / sizeof *names; k++)
            if (how & names[k].bit) {
                buf_printf(out, rc, "%s%s", sep, names[k].name);
                sep = "+";
            }
        buf_printf(out, rc, "x%.2g idf %.2f", r->acc[base + li], leaf->idf);
    }
    buf_printf(out, rc,
               "; score %.4f = passage %.4f (cover %.2f) + post %.4f "
               "(bm25 %.3f)",
               s->score, s->part_passage, s->cover, s->part_post, c->weight);
}

void ranker_free(ranker_t *r)
{
    free(r->acc);
    free(r->how);
    free(r->out);
    memset(r, 0, sizeof *r);
}
