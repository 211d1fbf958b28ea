/*
 * rank.c - scoring the passages of the candidate posts.  See rank.h for
 * the model; the constants below are its parameters.
 */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/lang.h"
#include "../analysis/token.h"
#include "buf.h"

/* Passage BM25. */
#define RANK_K1 1.2
#define RANK_B 1.0
#define RANK_PASSAGE_WORDS 60.0
/* Post BM25 (over the graded counts of all its passages). */
#define RANK_POST_K1 1.2
#define RANK_POST_B 0.9
/* How the three kinds of evidence add up. */
#define RANK_W_PASSAGE 1.0
#define RANK_W_POST 0.5
#define RANK_W_XAPIAN 0.2
#define RANK_W_OTHERS 0.25
/* Coverage and lead prior of a passage. */
#define RANK_COVER_POWER 0.5
#define RANK_LEAD 1.5
#define RANK_LEAD_SPAN 5.0
/* Grades of a match. */
#define RANK_GRADE_FOLDED 1.0
#define RANK_GRADE_STEM_SAME 0.5
#define RANK_GRADE_STEM_OTHER 0.05
#define RANK_GRADE_PREFIX 0.8
#define RANK_GRADE_TRUNC 0.15
/* See ranker_near and ranker_exact. */
#define RANK_W_NEAR 0.5
#define RANK_NEAR_WORDS 3
#define RANK_EXACT_BONUS 0.05

/* Posts holding any of n terms with these post counts, were they
 * independent. */
static double any_of(double n, const double *docs, size_t k)
{
    double none = 1;
    for (size_t i = 0; i < k; i++)
        none *= docs[i] < n ? 1 - docs[i] / n : 0;
    return n * (1 - none);
}

/* The number of posts a leaf's weight is counted from (see rank.h): per
 * word of a phrase, the rarest word counting. */
static xap_status_t leaf_docs(const plan_t *plan, xap_db_t *db,
                              const leaf_t *leaf, double n, double *docs)
{
    double best = n;
    for (unsigned w = 0; w < leaf->nwords; w++) {
        double own = 0, v[64];
        size_t k = 0;
        for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
            const qterm_t *t = &plan->terms[i];
            if (t->word != w || t->how == HOW_TRUNC)
                continue;
            uint32_t tf;
            xap_status_t xs = xap_db_termfreq(db, t->s, t->len, &tf, NULL);
            if (xs != XAP_OK)
                return xs;
            if (t->how & HOW_FOLDED)
                own = tf;
            if (k < 64)
                v[k++] = tf;
        }
        double d = own > 0 ? own : any_of(n, v, k);
        if (d < best)
            best = d;
    }
    *docs = best;
    return XAP_OK;
}

/* The language of the query's words (lang.h's verdict on them), or
 * UNKNOWN when they are too few to tell. */
static trouve_lang_t query_lang(const plan_t *plan)
{
    lang_count_t c = {0};
    for (size_t i = 0; i < plan->nleaves; i++) {
        const leaf_t *leaf = &plan->leaves[i];
        if (leaf->kind == Q_WORD && leaf->lower && !leaf->excluded) {
            const char *t = plan->terms[leaf->first].s;
            lang_count_word(&c, t, strlen(t), leaf->lower,
                            strlen(leaf->lower));
        }
    }
    return lang_decide(&c, NULL);
}

/* The folded form of a word leaf typed otherwise (accents, ligatures),
 * or NULL. */
static const char *typed_otherwise(const plan_t *plan, const leaf_t *leaf)
{
    if (leaf->kind != Q_WORD || !leaf->lower || leaf->excluded)
        return NULL;
    for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
        const qterm_t *t = &plan->terms[i];
        if (t->how & HOW_FOLDED)
            return strcmp(t->s, leaf->lower) ? t->s : NULL;
    }
    return NULL;
}

xap_status_t ranker_init(ranker_t *r, plan_t *plan, xap_db_t *db,
                         double max_weight)
{
    memset(r, 0, sizeof *r);
    r->plan = plan;
    r->db = db;
    for (size_t li = 0; li < plan->nleaves; li++)
        r->typed_otherwise += typed_otherwise(plan, &plan->leaves[li]) != NULL;
    r->max_weight = max_weight > 0 ? max_weight : 1;
    uint32_t count;
    xap_status_t xs = xap_db_doccount(db, &count);
    if (xs == XAP_OK)
        xs = xap_db_avlength(db, &r->avg_post_words);
    if (xs != XAP_OK)
        return xs;
    if (r->avg_post_words < 1)
        r->avg_post_words = 1;
    r->post_acc = calloc(plan->nleaves ? plan->nleaves : 1,
                         sizeof *r->post_acc);
    if (!r->post_acc)
        return XAP_NOMEM;
    double n = count ? count : 1;
    /* A query in one language is weighed against the posts that have
     * passages in that language: in an index of mostly English posts,
     * French words (`des`, `pour`) are common among the French posts
     * however rare they are overall. */
    trouve_lang_t lang = query_lang(plan);
    if (lang != TROUVE_LANG_UNKNOWN) {
        char term[4] = {PREFIX_LANG, 0};
        memcpy(term + 1, trouve_lang_to_string(lang), 2);
        uint32_t in_lang;
        if ((xs = xap_db_termfreq(db, term, 3, &in_lang, NULL)) != XAP_OK)
            return xs;
        if (in_lang)
            n = in_lang;
    }
    for (size_t i = 0; i < plan->nleaves; i++) {
        double docs;
        if ((xs = leaf_docs(plan, db, &plan->leaves[i], n, &docs)) != XAP_OK)
            return xs;
        /* BM25's idf, kept positive for very common words. */
        leaf_t *leaf = &plan->leaves[i];
        leaf->idf = leaf->excluded
                        ? 0
                        : log(1.0 + (n - docs + 0.5) / (docs + 0.5));
        r->idf_sum += leaf->idf;
    }
    if (r->idf_sum <= 0)
        r->idf_sum = 1;
    return XAP_OK;
}

/* The grade of a match by an index term matched `how` (HOW_*) in a
 * passage in `lang` (see rank.h): the best of the ways it matched. */
static double grade(unsigned how, trouve_lang_t lang)
{
    if (how & HOW_FOLDED)
        return RANK_GRADE_FOLDED;
    if (how & HOW_PREFIX)
        return RANK_GRADE_PREFIX;
    unsigned same = lang == TROUVE_LANG_EN   ? HOW_EN
                    : lang == TROUVE_LANG_FR ? HOW_FR
                                             : HOW_EN | HOW_FR;
    if (how & same)
        return RANK_GRADE_STEM_SAME;
    if (how & HOW_TRUNC) /* RANK_GRADE_TRUNC > RANK_GRADE_STEM_OTHER */
        return RANK_GRADE_TRUNC;
    return RANK_GRADE_STEM_OTHER;
}

/* Adds one match, of grade g, in passage p. */
static void count_in(ranker_t *r, size_t p, int leaf, double g)
{
    r->acc[p * r->plan->nleaves + (size_t)leaf] += g;
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
            count_in(r, p, li, RANK_GRADE_FOLDED);
    free(seen);
    return XAP_OK;
}

/* Fills r->acc for the passages of candidate c. */
static xap_status_t accumulate(ranker_t *r, const candidate_t *c)
{
    const plan_t *plan = r->plan;
    size_t cells = c->npassages * plan->nleaves;
    if (cells > r->capacc) {
        free(r->acc);
        r->acc = malloc(cells * sizeof *r->acc);
        r->capacc = r->acc ? cells : 0;
        if (!r->capacc)
            return XAP_NOMEM;
    }
    memset(r->acc, 0, cells * sizeof *r->acc);
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
        if (leaf->excluded)
            continue;
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
                    count_in(r, ps[k], (int)li,
                             occ[k] * grade(t->how, c->passages[ps[k]].lang));
        }
    }
    return XAP_OK;
}

/* BM25's saturation of a graded count tf under length normalisation
 * `norm` (k1 * (1 - b + b * length / average)). */
static double saturate(double tf, double k1, double norm)
{
    return tf * (k1 + 1) / (tf + norm);
}

/* The post evidence of candidate c from the accumulated counts. */
static double score_post(ranker_t *r, const candidate_t *c)
{
    const plan_t *plan = r->plan;
    size_t nleaves = plan->nleaves;
    double words = 0;
    memset(r->post_acc, 0, nleaves * sizeof *r->post_acc);
    for (size_t p = 0; p < c->npassages; p++) {
        words += c->passages[p].nwords;
        for (size_t li = 0; li < nleaves; li++)
            r->post_acc[li] += r->acc[p * nleaves + li];
    }
    double norm = RANK_POST_K1 * (1 - RANK_POST_B +
                                  RANK_POST_B * words / r->avg_post_words);
    double sum = 0;
    for (size_t li = 0; li < nleaves; li++)
        if (r->post_acc[li] > 0)
            sum += plan->leaves[li].idf *
                   saturate(r->post_acc[li], RANK_POST_K1, norm);
    return RANK_W_POST * sum / r->idf_sum;
}

/* cover ^ RANK_COVER_POWER (a square root, at 0.5: cheaper than pow). */
static double cover_factor(double cover)
{
    return RANK_COVER_POWER == 0.5 ? sqrt(cover)
                                   : pow(cover, RANK_COVER_POWER);
}

/* The score of passage p, the `rank`-th of its language in the post. */
static scored_t score_passage(const ranker_t *r, const candidate_t *c,
                              size_t p, unsigned rank)
{
    const plan_t *plan = r->plan;
    const double *acc = &r->acc[p * plan->nleaves];
    double len = c->passages[p].nwords ? c->passages[p].nwords : 1;
    double norm = RANK_K1 * (1 - RANK_B + RANK_B * len / RANK_PASSAGE_WORDS);
    double sum = 0, covered = 0;
    for (size_t li = 0; li < plan->nleaves; li++) {
        if (acc[li] <= 0)
            continue;
        double idf = plan->leaves[li].idf;
        sum += idf * saturate(acc[li], RANK_K1, norm);
        covered += idf;
    }
    scored_t s = {0};
    s.passage = (uint32_t)p;
    s.exact = 1;
    s.cover = covered / r->idf_sum;
    s.lead = 1 + RANK_LEAD / (1 + rank / RANK_LEAD_SPAN);
    s.part_passage = RANK_W_PASSAGE * sum / r->idf_sum *
                     cover_factor(s.cover) * s.lead;
    s.part_post = c->post_part;
    s.part_xapian = RANK_W_XAPIAN * c->weight / r->max_weight;
    s.score = s.part_passage + s.part_post + s.part_xapian;
    return s;
}

xap_status_t ranker_score(ranker_t *r, candidate_t *c, uint32_t ci)
{
    xap_status_t xs = accumulate(r, c);
    if (xs != XAP_OK)
        return xs;
    c->post_part = score_post(r, c);
    size_t first = r->nout, best = 0;
    double top = 0, second = 0; /* the two best passage parts */
    size_t nleaves = r->plan->nleaves;
    unsigned seen[3] = {0}; /* passages of each language so far */
    for (size_t p = 0; p < c->npassages; p++) {
        trouve_lang_t lang = c->passages[p].lang;
        unsigned rank = lang == TROUVE_LANG_UNKNOWN ? (unsigned)p
                                                    : seen[lang];
        seen[lang]++;
        if (r->plan->lang && lang != r->plan->lang)
            continue;
        uint64_t leaves = 0;
        for (size_t li = 0; li < nleaves; li++)
            if (r->acc[p * nleaves + li] > 0)
                leaves |= li < 64 ? (uint64_t)1 << li : (uint64_t)1 << 63;
        if (!leaves)
            continue;
        if (array_grow((void **)&r->out, &r->capout, r->nout + 1,
                       sizeof *r->out, 64) < 0)
            return XAP_NOMEM;
        scored_t s = score_passage(r, c, p, rank);
        s.cand = ci;
        s.leaves = leaves;
        if (s.part_passage > top) {
            second = top;
            top = s.part_passage;
            best = r->nout;
        } else if (s.part_passage > second) {
            second = s.part_passage;
        }
        r->out[r->nout++] = s;
    }
    /* The post's other passages: the best of them adds to each. */
    for (size_t i = first; i < r->nout; i++) {
        scored_t *s = &r->out[i];
        s->part_others = RANK_W_OTHERS * (i == best ? second : top);
        s->score += s->part_others;
    }
    return XAP_OK;
}

/* The rank of passage p among the passages of its language in the post
 * (its number when the language is unknown), for the lead prior. */
static unsigned lang_rank(const candidate_t *c, size_t p)
{
    trouve_lang_t lang = c->passages[p].lang;
    if (lang == TROUVE_LANG_UNKNOWN)
        return (unsigned)p;
    unsigned rank = 0;
    for (size_t q = 0; q < p; q++)
        rank += c->passages[q].lang == lang;
    return rank;
}

/* Whether one of the terms of a leaf is among `terms`. */
static int leaf_in(const plan_t *plan, const leaf_t *leaf,
                   const strset_t *terms)
{
    for (size_t i = leaf->first; i < leaf->first + leaf->n; i++)
        if (strset_find(terms, plan->terms[i].s, plan->terms[i].len) >= 0)
            return 1;
    return 0;
}

xap_status_t ranker_check(ranker_t *r, const candidate_t *c, scored_t *s,
                          const strset_t *terms)
{
    const plan_t *plan = r->plan;
    uint64_t missing = 0;
    s->checked = 1;
    for (size_t li = 0; li < plan->nleaves && li < 63; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        if ((s->leaves >> li & 1) && leaf->kind != Q_PHRASE &&
            !leaf_in(plan, leaf, terms))
            missing |= (uint64_t)1 << li;
    }
    if (!missing)
        return XAP_OK;
    s->leaves &= ~missing;
    if (!s->leaves) {
        s->score = -1;
        return XAP_OK;
    }
    /* The counts were overwritten by later candidates: count again, then
     * score the passage without the words it does not hold. */
    xap_status_t xs = accumulate(r, c);
    if (xs != XAP_OK)
        return xs;
    double *acc = &r->acc[(size_t)s->passage * plan->nleaves];
    for (size_t li = 0; li < 63; li++)
        if (missing >> li & 1)
            acc[li] = 0;
    scored_t t = score_passage(r, c, s->passage, lang_rank(c, s->passage));
    t.cand = s->cand;
    t.leaves = s->leaves;
    t.checked = 1;
    t.part_others = s->part_others;
    t.score += t.part_others;
    *s = t;
    return XAP_OK;
}

/* Which query words a passage holds close together: the last ordinal at
 * which each leaf was seen, and the pairs met within RANK_NEAR_WORDS (bit
 * b of near[a], a < b). */
typedef struct near_walk {
    const plan_t *plan;
    size_t nleaves;
    int64_t last[RANK_NEAR_LEAVES];
    uint32_t near[RANK_NEAR_LEAVES];
} near_walk_t;

static int on_near_token(void *ctx, const token_t *tok)
{
    near_walk_t *w = ctx;
    if (tok->kind != TOKEN_WORD)
        return 0;
    int l = plan_leaf_of(w->plan, tok->term, tok->term_len);
    if (l < 0 || (size_t)l >= w->nleaves)
        return 0;
    size_t here = (size_t)l;
    for (size_t m = 0; m < w->nleaves; m++) {
        if (m == here || (int64_t)tok->ordinal - w->last[m] > RANK_NEAR_WORDS)
            continue;
        size_t a = m < here ? m : here, b = m + here - a;
        w->near[a] |= (uint32_t)1 << b;
    }
    w->last[here] = tok->ordinal;
    return 0;
}

void ranker_near(const ranker_t *r, scored_t *s, const char *text,
                 size_t len)
{
    const plan_t *plan = r->plan;
    near_walk_t w = {plan, plan->nleaves, {0}, {0}};
    if (w.nleaves > RANK_NEAR_LEAVES)
        w.nleaves = RANK_NEAR_LEAVES;
    if (w.nleaves < 2)
        return;
    for (size_t i = 0; i < w.nleaves; i++)
        w.last[i] = -RANK_NEAR_WORDS - 1; /* never seen */
    tokenize(text, len, 0, on_near_token, &w);
    double sum = 0;
    for (size_t a = 0; a < w.nleaves; a++)
        for (size_t b = a + 1; b < w.nleaves; b++)
            if (w.near[a] >> b & 1)
                sum += fmin(plan->leaves[a].idf, plan->leaves[b].idf);
    s->part_near = RANK_W_NEAR * sum / r->idf_sum;
    s->score += s->part_near;
}

/* Finds, in a passage's text, whether a word appears exactly as typed
 * (same accents; case aside). */
typedef struct exact_probe {
    const char *term;   /* the word's folded form */
    const char *lower;  /* its lowercase accented form, as typed */
    int exact;
} exact_probe_t;

static int on_probe_token(void *ctx, const token_t *tok)
{
    exact_probe_t *e = ctx;
    if (tok->kind == TOKEN_WORD && !strcmp(tok->term, e->term) &&
        !strcmp(tok->lower, e->lower)) {
        e->exact = 1;
        return 1;
    }
    return 0;
}

int ranker_exact(const ranker_t *r, scored_t *s, const char *text,
                 size_t len)
{
    const plan_t *plan = r->plan;
    double weight = 0;
    for (size_t li = 0; li < plan->nleaves && li < 64; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        const char *folded = typed_otherwise(plan, leaf);
        if (!folded || !(s->leaves >> li & 1))
            continue;
        exact_probe_t e = {folded, leaf->lower, 0};
        tokenize(text, len, 0, on_probe_token, &e);
        if (e.exact)
            weight += leaf->idf;
    }
    if (weight <= 0)
        return 0;
    s->exact = 1 + RANK_EXACT_BONUS * weight / r->idf_sum;
    s->score *= s->exact;
    return 1;
}

/* How one index term of a leaf matched, in words: "inversée (exact)",
 * "inversee (folded)", "jardin (english stem, french stem)". */
static void explain_term(const leaf_t *leaf, const qterm_t *t,
                         const char *text, size_t len, buf_t *out, int *rc)
{
    if (t->how & HOW_FOLDED) {
        exact_probe_t e = {t->s, leaf->lower, 0};
        if (leaf->lower && text)
            tokenize(text, len, 0, on_probe_token, &e);
        if (e.exact && leaf->text)
            buf_printf(out, rc, "%s (exact)", leaf->text);
        else
            buf_printf(out, rc, "%s (folded)", t->s);
        return;
    }
    buf_printf(out, rc, "%s (", t->s);
    const char *sep = "";
    if (t->how & HOW_EN) {
        buf_adds(out, "english stem", rc);
        sep = ", ";
    }
    if (t->how & HOW_FR) {
        buf_printf(out, rc, "%sfrench stem", sep);
        sep = ", ";
    }
    if (t->how & HOW_PREFIX) {
        buf_printf(out, rc, "%sprefix", sep);
        sep = ", ";
    }
    if (t->how & HOW_TRUNC)
        buf_printf(out, rc, "%sfirst %d letters", sep, TRUNC_CHARS);
    buf_addc(out, ')', rc);
}

/* Terms of a leaf named in an explanation, at most. */
#define EXPLAIN_TERMS_MAX 4

void ranker_explain(ranker_t *r, const candidate_t *c, const scored_t *s,
                    const char *text, size_t len, buf_t *out, int *rc)
{
    /* The counts were overwritten by later candidates: count again. */
    if (accumulate(r, c) != XAP_OK) {
        buf_adds(out, "(no explanation: the index could not be read)", rc);
        return;
    }
    const plan_t *plan = r->plan;
    size_t base = (size_t)s->passage * plan->nleaves;
    int first = 1;
    for (size_t li = 0; li < plan->nleaves; li++) {
        const leaf_t *leaf = &plan->leaves[li];
        if (leaf->excluded)
            continue;
        if (!first)
            buf_adds(out, "; ", rc);
        first = 0;
        if (leaf->kind == Q_PHRASE) {
            /* its words, folded, in order */
            buf_addc(out, '"', rc);
            for (unsigned w = 0; w < leaf->nwords; w++)
                for (size_t i = leaf->first; i < leaf->first + leaf->n; i++)
                    if (plan->terms[i].word == w) {
                        buf_printf(out, rc, "%s%s", w ? " " : "",
                                   plan->terms[i].s);
                        break;
                    }
            buf_addc(out, '"', rc);
        } else {
            buf_printf(out, rc, "%s%s", leaf->text ? leaf->text : "?",
                       leaf->kind == Q_PREFIX ? "*" : "");
        }
        buf_adds(out, ": ", rc);
        if (r->acc[base + li] <= 0 ||
            (li < 63 && s->checked && !(s->leaves >> li & 1))) {
            buf_printf(out, rc, "not in this passage (weight %.2f)",
                       leaf->idf);
            continue;
        }
        /* The leaf's terms present in the passage (a phrase: its
         * first word's). */
        size_t named = 0, more = 0;
        for (size_t i = leaf->first; i < leaf->first + leaf->n; i++) {
            const qterm_t *t = &plan->terms[i];
            if (t->word != 0)
                continue;
            size_t n;
            const uint8_t *occ;
            const uint32_t *ps = where_find(
                &r->where, where_hash(t->s, t->len), &n, &occ);
            size_t k = 0;
            while (k < n && ps[k] != s->passage)
                k++;
            if (k == n)
                continue;
            if (named == EXPLAIN_TERMS_MAX) {
                more++;
                continue;
            }
            if (leaf->kind == Q_PHRASE) {
                buf_adds(out, "phrase", rc);
                named = EXPLAIN_TERMS_MAX + 1;
                break;
            }
            if (named)
                buf_adds(out, ", ", rc);
            explain_term(leaf, t, text, len, out, rc);
            named++;
        }
        if (more)
            buf_printf(out, rc, " and %zu more", more);
        buf_printf(out, rc, " x%.3g, weight %.2f", r->acc[base + li],
                   leaf->idf);
    }
    buf_printf(out, rc,
               " | score %.4f = (passage %.4f (cover %.2f, lead x%.2f) + "
               "other passages %.4f + near %.4f + post %.4f + xapian %.4f "
               "(bm25 %.3f)) x exact %.2f",
               s->score, s->part_passage, s->cover, s->lead, s->part_others,
               s->part_near, s->part_post, s->part_xapian, c->weight,
               s->exact);
}

void ranker_free(ranker_t *r)
{
    free(r->acc);
    free(r->post_acc);
    free(r->out);
    where_free(&r->where);
    memset(r, 0, sizeof *r);
}
