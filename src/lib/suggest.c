/*
 * suggest.c - "did you mean" from the index's vocabulary.  See suggest.h.
 *
 * The query is parsed again (the search's tree may have been reshaped by
 * --any), its words are checked against the index, each unknown one is
 * matched against the index terms sharing its first letters, and the
 * query text is rewritten word by word, in order, leaving everything
 * between the words as typed.  A query that is not valid UTF-8 is first
 * decoded as a post would be (text_decode), as the search reads its
 * words: the suggestion is UTF-8, as all text handed out is.
 */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "../analysis/token.h"
#include "../analysis/utf8.h"
#include "../text/post.h"
#include "buf.h"
#include "store.h"

/* Words of a suggestion whose spelling is looked up in a post, at most. */
#define SUGGEST_SURFACE_MAX 16

unsigned suggest_distance(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb, unsigned max)
{
    if ((na > nb ? na - nb : nb - na) > max)
        return max + 1;
    if (nb > SUGGEST_WORD_MAX + SUGGEST_DISTANCE_MAX ||
        na > SUGGEST_WORD_MAX + SUGGEST_DISTANCE_MAX)
        return max + 1;
    /* Three rows of the optimal string alignment table. */
    unsigned rows[3][SUGGEST_WORD_MAX + SUGGEST_DISTANCE_MAX + 1];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (unsigned)i;
        unsigned low = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < low)
                low = d;
        }
        if (low > max)
            return max + 1;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] > max ? max + 1 : prev[nb];
}

/* Decodes s[0..n) into at most cap code points; returns their number, or
 * cap + 1 when there are more. */
static size_t code_points(const char *s, size_t n, uint32_t *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (k == cap)
            return cap + 1;
        i += utf8_decode(s + i, n - i, &out[k++]);
    }
    return k;
}

/* The search for the closest index word to one query word. */
typedef struct closest {
    uint32_t word[SUGGEST_WORD_MAX];
    size_t nword;
    unsigned max;        /* edits allowed */
    unsigned best;       /* edits of the best so far (max + 1: none) */
    uint32_t best_tf;
    buf_t term;          /* the best so far */
    unsigned scanned;
    int oom;
} closest_t;

static int on_term(const char *term, size_t len, uint32_t tf, void *ctx)
{
    closest_t *c = ctx;
    if (++c->scanned > SUGGEST_SCAN_MAX)
        return 1;
    uint32_t cand[SUGGEST_WORD_MAX + SUGGEST_DISTANCE_MAX];
    size_t n = code_points(term, len, cand, SUGGEST_WORD_MAX +
                                                SUGGEST_DISTANCE_MAX);
    if (n > SUGGEST_WORD_MAX + SUGGEST_DISTANCE_MAX || !tf)
        return 0;
    unsigned d = suggest_distance(c->word, c->nword, cand, n, c->max);
    if (d == 0 || d > c->max)
        return 0;
    if (d < c->best || (d == c->best && tf > c->best_tf)) {
        int rc = 0;
        buf_reset(&c->term);
        buf_add(&c->term, term, len, &rc);
        if (rc) {
            c->oom = 1;
            return 1;
        }
        c->best = d;
        c->best_tf = tf;
    }
    return 0;
}

/* What becomes of one word of the query. */
typedef struct word_fix {
    const qnode_t *node;  /* the word (text as typed, term folded) */
    char *term;           /* the index term it becomes (malloc()ed) */
    int corrected;        /* term differs from the word's own */
} word_fix_t;

typedef struct fixes {
    word_fix_t *v;
    size_t n, cap;
    int oom;
} fixes_t;

/* Collects the words of the tree in query order (not those under a NOT:
 * excluding a misspelt word excludes nothing, correcting it would not
 * help). */
static void collect_words(const qnode_t *node, fixes_t *f)
{
    if (!node || f->oom)
        return;
    if (node->kind == Q_NOT)
        return;
    if (node->kind == Q_WORD) {
        if (array_grow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v,
                       8) < 0) {
            f->oom = 1;
            return;
        }
        f->v[f->n++] = (word_fix_t){node, NULL, 0};
        return;
    }
    for (size_t i = 0; i < node->nkids; i++)
        collect_words(node->kids[i], f);
}

/* Finds the spelling of `term` in the text of a post that has it: the
 * lowercase accented form of its first occurrence. */
typedef struct surface {
    const char *term;
    char *lower;  /* found (malloc()ed), or NULL */
    int oom;
} surface_t;

static int on_surface_token(void *ctx, const token_t *tok)
{
    surface_t *s = ctx;
    if (tok->kind != TOKEN_WORD || strcmp(tok->term, s->term))
        return 0;
    s->lower = malloc(tok->lower_len + 1);
    if (!s->lower) {
        s->oom = 1;
        return 1;
    }
    memcpy(s->lower, tok->lower, tok->lower_len + 1);
    return 1;
}

/* *lower gets the spelling of term in the index (malloc()ed), or NULL
 * when no post shows it. */
static xap_status_t find_surface(xap_db_t *db, const char *term,
                                 char **lower)
{
    *lower = NULL;
    uint32_t docid;
    xap_status_t xs = xap_db_find(db, term, strlen(term), &docid);
    if (xs != XAP_OK || !docid)
        return xs;
    char *data, *title, *text;
    size_t len, text_len;
    if ((xs = xap_db_get_data(db, docid, &data, &len)) != XAP_OK)
        return xs;
    int bad = post_data_decode(data, len, &title, &text, &text_len) < 0;
    free(data);
    if (bad)
        return XAP_OK; /* no spelling: the folded term will do */
    surface_t s = {term, NULL, 0};
    tokenize(text, text_len, 0, on_surface_token, &s);
    free(title);
    free(text);
    *lower = s.lower;
    return s.oom ? XAP_NOMEM : XAP_OK;
}

/* Decides the term of every word: its own, or the closest index word. */
static xap_status_t correct_words(xap_db_t *db, fixes_t *f, int *any)
{
    *any = 0;
    for (size_t i = 0; i < f->n; i++) {
        word_fix_t *w = &f->v[i];
        const char *term = w->node->term;
        size_t len = strlen(term);
        uint32_t tf;
        xap_status_t xs = xap_db_termfreq(db, term, len, &tf, NULL);
        if (xs != XAP_OK)
            return xs;
        closest_t c = {.max = 0};
        c.nword = code_points(term, len, c.word, SUGGEST_WORD_MAX);
        int digits = strspn(term, "0123456789") == len;
        if (!tf && c.nword >= 3 && c.nword <= SUGGEST_WORD_MAX && !digits) {
            c.max = c.nword <= 4 ? 1 : SUGGEST_DISTANCE_MAX;
            c.best = c.max + 1;
            size_t plen = 0; /* bytes of the first SUGGEST_PREFIX letters */
            for (int k = 0; k < SUGGEST_PREFIX; k++) {
                uint32_t cp;
                plen += utf8_decode(term + plen, len - plen, &cp);
            }
            xs = xap_db_allterms(db, term, plen, on_term, &c);
            if (xs != XAP_OK || c.oom) {
                buf_free(&c.term);
                return xs != XAP_OK ? xs : XAP_NOMEM;
            }
        }
        if (c.term.n) {
            w->term = buf_steal(&c.term);
            w->corrected = 1;
            *any = 1;
        } else {
            w->term = strdup(term);
        }
        buf_free(&c.term);
        if (!w->term)
            return XAP_NOMEM;
    }
    return XAP_OK;
}

/* The first occurrence of w[0..wn) in s[0..n), or NULL. */
static const char *find_bytes(const char *s, size_t n, const char *w,
                              size_t wn)
{
    if (!wn || wn > n)
        return NULL;
    for (size_t i = 0; i + wn <= n; i++)
        if (s[i] == w[0] && !memcmp(s + i, w, wn))
            return s + i;
    return NULL;
}

trouve_status_t suggest_query(trouve_index_t *ix, const char *query,
                              size_t len, char **out)
{
    *out = NULL;
    char *decoded = NULL; /* the query as a post's text, if not UTF-8 */
    unsigned how;
    if (!utf8_valid(query, len) &&
        text_decode(query, len, &decoded, &len, &how) < 0)
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    if (decoded)
        query = decoded;
    qnode_t *root;
    char err[128];
    int pr = query_parse(query, len, &root, err, sizeof err);
    if (pr < 0)
        free(decoded);
    if (pr == -1)
        return index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    if (pr < 0)
        return TROUVE_STATUS_OK; /* nothing to suggest for */
    fixes_t f = {0};
    collect_words(root, &f);
    trouve_status_t st = TROUVE_STATUS_OK;
    xap_status_t xs = XAP_OK;
    int any = 0;
    if (f.oom)
        xs = XAP_NOMEM;
    else
        xs = correct_words(ix->db, &f, &any);
    buf_t b = {0};
    int rc = 0;
    size_t at = 0;
    for (size_t i = 0; any && xs == XAP_OK && i < f.n; i++) {
        const word_fix_t *w = &f.v[i];
        const char *typed = w->node->text;
        size_t tlen = strlen(typed);
        const char *hit = find_bytes(query + at, len - at, typed, tlen);
        if (!hit)
            continue;
        size_t where = (size_t)(hit - query);
        buf_add(&b, query + at, where - at, &rc);
        char *lower = NULL;
        if (i < SUGGEST_SURFACE_MAX &&
            (xs = find_surface(ix->db, w->term, &lower)) != XAP_OK)
            break;
        /* A word kept keeps its typing unless the index spells it with
         * accents the typing lacks. */
        if (!w->corrected && (!lower || !strcmp(lower, w->node->lower)))
            buf_add(&b, typed, tlen, &rc);
        else
            buf_adds(&b, lower ? lower : w->term, &rc);
        free(lower);
        at = where + tlen;
    }
    if (any && xs == XAP_OK) {
        buf_add(&b, query + at, len - at, &rc);
        if (rc)
            xs = XAP_NOMEM;
        else if (b.n != len || memcmp(b.p, query, len))
            *out = buf_steal(&b);
    }
    if (xs == XAP_NOMEM)
        st = index_fail(ix, TROUVE_STATUS_OUT_OF_MEMORY, "out of memory");
    else if (xs != XAP_OK)
        st = index_fail_xap(ix, ix->db, xs, "cannot read the index");
    buf_free(&b);
    for (size_t i = 0; i < f.n; i++)
        free(f.v[i].term);
    free(f.v);
    qnode_free(root);
    free(decoded);
    return st;
}
