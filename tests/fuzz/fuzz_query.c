/*
 * fuzz_query.c - the query parser (lib/query.c) on any bytes.
 *
 * Checks: query_parse returns 0 (a tree or NULL) or -2 (too many words),
 * never anything else short of memory; the tree is well formed (kids where
 * the kind wants them, terms and text valid UTF-8) and no deeper than
 * TREE_DEPTH_MAX; query_describe and query_make_any work on it.
 */
#include <string.h>

#include "fuzz.h"
#include "analysis/utf8.h"
#include "lib/buf.h"
#include "lib/query.h"

/* Brackets nest at most QUERY_DEPTH_MAX deep; each level of them is an
 * AND, an OR and a NOT at most, so the tree's depth (and the recursion
 * of everything that walks it) stays bounded. */
#define TREE_DEPTH_MAX (3 * QUERY_DEPTH_MAX + 8)

static void check_node(const qnode_t *q, int depth)
{
    FUZZ_CHECK(depth <= TREE_DEPTH_MAX);
    switch (q->kind) {
    case Q_WORD:
        FUZZ_CHECK(q->term && utf8_valid(q->term, strlen(q->term)));
        FUZZ_CHECK(q->lower && utf8_valid(q->lower, strlen(q->lower)));
        break;
    case Q_PREFIX:
        FUZZ_CHECK(q->term && utf8_valid(q->term, strlen(q->term)));
        break;
    case Q_PHRASE:
        FUZZ_CHECK(q->nkids >= 1);
        for (size_t i = 0; i < q->nkids; i++)
            FUZZ_CHECK(q->kids[i]->kind == Q_WORD);
        break;
    case Q_NOT:
        FUZZ_CHECK(q->nkids == 1);
        break;
    case Q_LANG:
        FUZZ_CHECK(q->lang == TROUVE_LANG_EN || q->lang == TROUVE_LANG_FR);
        break;
    case Q_PATH:
        FUZZ_CHECK(q->text != NULL);
        break;
    case Q_AND:
    case Q_OR:
        break;
    default:
        FUZZ_CHECK(!"unknown node kind");
    }
    for (size_t i = 0; i < q->nkids; i++)
        check_node(q->kids[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qnode_t *q;
    char err[256];
    int rc = query_parse((const char *)data, size, &q, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == -2);
    if (rc == -2) {
        FUZZ_CHECK(q == NULL && err[0]);
        return 0;
    }
    if (!q)
        return 0;
    check_node(q, 0);
    buf_t b = {0};
    int brc = 0;
    query_describe(q, &b, &brc);
    FUZZ_CHECK(brc == 0 && b.n > 0);
    (void)query_has_positive(q);
    query_make_any(q);
    buf_free(&b);
    qnode_free(q);
    return 0;
}
