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

/* Adds one match in passage p. */
static void count_in(ranker_t *r, size_t p, int leaf, unsigned how, double g)
{
    size_t k = p * r->plan->nleaves + (size_t)leaf;
    r->acc[k] += g;
    r->how[k] |= how;
}

/* Phrase leaf: counts the passages that hold every word of the phrase
 * (in one of its forms). */
static xap_status_t count_phrase(ranker_t *r, const candidate_t *c,
                                 const leaf_t *leaf, int li)
{
    const plan_t *plan = r->plan;
    uint16_t *seen = calloc(c->npassages ? c->npassages : 1, sizeof *seen);
    if (!seen)
        return XAP_NOMEM;
    for (unsigned w = 0; w < leaf->nwords; w++) {
        for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
            const qterm_t *t = &plan->terms[i];
            if (t->word != w)
                continue;
            size_t n;
            const uint8_t *occ;
            const uint32_t *ps = where_find(
                &r->where, where_hash(t->s, t->len), &n, &occ);
            for (size_t k = 0; k < n; k++)
                if (ps[k] < c->npassages && seen[ps[k]] == w)
                    seen[ps[k]] = (uint16_t)(w + 1);
        }
    }
    for (size_t p = 0; p < c->npassages; p++)
        if (seen[p] == leaf->nwords)
            count_in(r, p, li, HOW_FOLDED, GRADE_FOLDED);
    free(seen);
    return XAP_OK;
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
    char *v;
    size_t len;
    xap_status_t xs = xap_db_get_value(r->db, c->docid, SLOT_WHERE, &v, &len);
    if (xs != XAP_OK)
        return xs;
    int bad = !v || where_decode(v, len, &r->where) < 0;
    free(v);
    if (bad)
        return XAP_CORRUPT;
    for (size_t li = 0; li < plan->nleaves; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        if (leaf->kind == Q_PHRASE) {
            if ((xs = count_phrase(r, c, leaf, (int)li)) != XAP_OK)
                return xs;
            continue;
        }
        for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
            const qterm_t *t = &plan->terms[i];
            size_t n;
            const uint8_t *occ;
            const uint32_t *ps = where_find(
                &r->where, where_hash(t->s, t->len), &n, &occ);
            for (size_t k = 0; k < n; k++)
                if (ps[k] < c->npassages)
                    count_in(r, ps[k], (int)li, t->how,
                             occ[k] * grade(t->how, c->passages[ps[k]].lang));
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
        uint64_t leaves = 0;
        for (size_t li = 0; li < nleaves; li++)
            if (r->acc[p * nleaves + li] > 0)
                leaves |= li < 64 ? (uint64_t)1 << li : (uint64_t)1 << 63;
        if (!leaves)
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
        s.leaves = leaves;
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
    where_free(&r->where);
    memset(r, 0, sizeof *r);
}
