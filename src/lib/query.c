/*
 * query.c - parsing the query language into a tree.  See query.h.
 *
 * Two steps: the lexer cuts the query into lexemes (operators, brackets,
 * quoted phrases, field:value chunks and word chunks), then a recursive
 * descent parser builds the tree:
 *
 *   query   := or { ")" or }           (a stray ")" is skipped)
 *   or      := and { OR and }
 *   and     := { [AND] unary }
 *   unary   := NOT unary | "-"chunk | primary
 *   primary := "(" or [")"] | "phrase" | lang:X | path:X | chunk
 *
 * A query that is not valid UTF-8 (typed in a Latin-1 terminal) is read
 * as a post would be (text/decode.c): the lexer takes a byte that is not
 * UTF-8 as its Windows-1252 character, so Latin-1 quotes and spaces cut
 * where they seem to, and each word chunk and phrase is decoded with
 * text_decode before it is cut into words.  A path: value stays bytes, as
 * file names are.
 */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/fold.h"
#include "../analysis/lang.h"
#include "../analysis/utf8.h"
#include "../text/post.h"
#include "buf.h"

typedef enum lkind {
    L_CHUNK,   /* words; flags below */
    L_PHRASE,  /* the text between quotes */
    L_OR,
    L_AND,
    L_NOT,
    L_OPEN,
    L_CLOSE,
    L_LANG,    /* value: the tag */
    L_PATH     /* value: the path */
} lkind_t;

#define LEX_NEGATED 1u /* -chunk */
#define LEX_PREFIX  2u /* chunk* */

typedef struct lexeme {
    lkind_t kind;
    const char *s;  /* the chunk, phrase or value */
    size_t len;
    unsigned flags;
} lexeme_t;

typedef struct parser {
    const char *q;
    lexeme_t *lex;
    size_t n, pos;
    int depth;
    size_t words;      /* leaves made so far */
    int err;           /* -1 memory, -2 too many words */
} parser_t;

/* ------------------------------------------------------------------ */
/* Lexer                                                               */

static int is_quote(uint32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E ||
           c == 0xAB || c == 0xBB;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || fold_class(c) == CC_SPACE;
}

static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != prefix[i])
            return 0;
    }
    return 1;
}

static int push(lexeme_t **v, size_t *n, size_t *cap, lexeme_t lx)
{
    if (array_grow((void **)v, cap, *n + 1, sizeof **v, 16) < 0)
        return -1;
    (*v)[(*n)++] = lx;
    return 0;
}

/* Reads the character at q[0..len) (len >= 1) into *c; returns its length
 * in bytes.  A byte that is not UTF-8 is its Windows-1252 character. */
static size_t char_at(const char *q, size_t len, uint32_t *c)
{
    size_t k = utf8_decode(q, len, c);
    if (*c == UTF8_REPLACEMENT && k == 1) {
        char one[3]; /* a Windows-1252 character is 1 to 3 bytes of UTF-8 */
        utf8_decode(one, utf8_from_cp1252(q, 1, one), c);
    }
    return k;
}

/* Finds the closing quote from q[i]; returns its offset (or len). */
static size_t find_quote(const char *q, size_t len, size_t i, size_t *after)
{
    while (i < len) {
        uint32_t c;
        size_t k = char_at(q + i, len - i, &c);
        if (is_quote(c)) {
            *after = i + k;
            return i;
        }
        i += k;
    }
    *after = len;
    return len;
}

static lexeme_t chunk_lexeme(const char *s, size_t n)
{
    lexeme_t lx = {L_CHUNK, s, n, 0};
    if ((n == 2 && !memcmp(s, "OR", 2)) || (n == 2 && !memcmp(s, "||", 2)))
        lx.kind = L_OR;
    else if ((n == 3 && !memcmp(s, "AND", 3)) ||
             (n == 2 && !memcmp(s, "&&", 2)))
        lx.kind = L_AND;
    else if (n == 3 && !memcmp(s, "NOT", 3))
        lx.kind = L_NOT;
    if (lx.kind != L_CHUNK)
        return lx;
    if (n > 1 && (s[0] == '-' || s[0] == '+')) {
        if (s[0] == '-')
            lx.flags |= LEX_NEGATED;
        lx.s++;
        lx.len--;
    }
    if (starts_with_ci(lx.s, lx.len, "lang:")) {
        lx.kind = L_LANG;
        lx.s += 5;
        lx.len -= 5;
    } else if (starts_with_ci(lx.s, lx.len, "path:")) {
        lx.kind = L_PATH;
        lx.s += 5;
        lx.len -= 5;
    } else {
        while (lx.len && lx.s[lx.len - 1] == '*') {
            lx.flags |= LEX_PREFIX;
            lx.len--;
        }
    }
    return lx;
}

static int lex(const char *q, size_t len, lexeme_t **out, size_t *nout)
{
    lexeme_t *v = NULL;
    size_t n = 0, cap = 0, i = 0;
    while (i < len) {
        uint32_t c;
        size_t k = char_at(q + i, len - i, &c);
        if (is_space(c)) {
            i += k;
            continue;
        }
        lexeme_t lx = {L_OPEN, q + i, k, 0};
        /* -(group) and -"phrase": the minus negates what follows it. */
        unsigned sign = 0;
        if ((c == '-' || c == '+') && i + 1 < len) {
            uint32_t next;
            char_at(q + i + 1, len - i - 1, &next);
            if (next == '(' || is_quote(next)) {
                sign = c == '-' ? LEX_NEGATED : 0;
                i += k;
                k = char_at(q + i, len - i, &c);
                lx.s = q + i;
                lx.len = k;
            }
        }
        if (c == '(' || c == ')') {
            lx.kind = c == '(' ? L_OPEN : L_CLOSE;
            i += k;
        } else if (is_quote(c)) {
            size_t after, end = find_quote(q, len, i + k, &after);
            lx = (lexeme_t){L_PHRASE, q + i + k, end - i - k, 0};
            i = after;
        } else {
            size_t start = i;
            while (i < len) {
                k = char_at(q + i, len - i, &c);
                if (is_space(c) || c == '(' || c == ')' || is_quote(c))
                    break;
                i += k;
            }
            lx = chunk_lexeme(q + start, i - start);
            /* path:"a folder with spaces" */
            if (lx.kind == L_PATH && lx.len == 0 && i < len) {
                k = char_at(q + i, len - i, &c);
                if (is_quote(c)) {
                    size_t after, end = find_quote(q, len, i + k, &after);
                    lx.s = q + i + k;
                    lx.len = end - i - k;
                    i = after;
                }
            }
        }
        lx.flags |= sign;
        if (push(&v, &n, &cap, lx) < 0) {
            free(v);
            return -1;
        }
    }
    *out = v;
    *nout = n;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Tree                                                                */

void qnode_free(qnode_t *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->nkids; i++)
        qnode_free(node->kids[i]);
    free(node->kids);
    free(node->term);
    free(node->lower);
    free(node->text);
    free(node);
}

static qnode_t *node_new(parser_t *p, qkind_t kind)
{
    qnode_t *node = calloc(1, sizeof *node);
    if (!node)
        p->err = -1;
    else
        node->kind = kind;
    return node;
}

static char *dup_n(parser_t *p, const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) {
        p->err = -1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Adds kid to node (taking it); frees kid and flags the error on failure. */
static void add_kid(parser_t *p, qnode_t *node, qnode_t *kid)
{
    if (!kid)
        return;
    qnode_t **v = realloc(node->kids, (node->nkids + 1) * sizeof *v);
    if (!v) {
        p->err = -1;
        qnode_free(kid);
        return;
    }
    node->kids = v;
    node->kids[node->nkids++] = kid;
}

/* A node of `kind` over the kids, or the only kid, or NULL for none. */
static qnode_t *group(parser_t *p, qkind_t kind, qnode_t **kids, size_t n)
{
    if (n == 0)
        return NULL;
    if (n == 1)
        return kids[0];
    qnode_t *node = node_new(p, kind);
    for (size_t i = 0; i < n; i++) {
        if (node)
            add_kid(p, node, kids[i]);
        else
            qnode_free(kids[i]);
    }
    return node;
}

/* Collects the word tokens of a chunk into nodes. */
typedef struct word_sink {
    parser_t *p;
    const char *text;
    qnode_t **words;
    size_t n, cap;
} word_sink_t;

static int on_word(void *ctx, const token_t *tok)
{
    word_sink_t *ws = ctx;
    parser_t *p = ws->p;
    if (tok->kind != TOKEN_WORD)
        return 0; /* elisions: l'été searches été */
    if (++p->words > QUERY_WORDS_MAX) {
        p->err = -2;
        return 1;
    }
    if (array_grow((void **)&ws->words, &ws->cap, ws->n + 1,
                   sizeof *ws->words, 8) < 0) {
        p->err = -1;
        return 1;
    }
    qnode_t *w = node_new(p, Q_WORD);
    if (!w)
        return 1;
    ws->words[ws->n++] = w;
    w->term = dup_n(p, tok->term, tok->term_len);
    w->lower = dup_n(p, tok->lower, tok->lower_len);
    w->text = dup_n(p, ws->text + tok->start, tok->end - tok->start);
    return p->err ? 1 : 0;
}

/* A chunk of text: one word, a phrase of several, or a prefix. */
static qnode_t *parse_words(parser_t *p, const char *s, size_t n,
                            int phrase_ok, unsigned flags)
{
    char *decoded = NULL; /* s as a post's text would be, if not UTF-8 */
    unsigned how;
    if (!utf8_valid(s, n) && text_decode(s, n, &decoded, &n, &how) < 0) {
        p->err = -1;
        return NULL;
    }
    if (decoded)
        s = decoded;
    word_sink_t ws = {p, s, NULL, 0, 0};
    tokenize(s, n, 0, on_word, &ws);
    free(decoded);
    if (p->err) {
        for (size_t i = 0; i < ws.n; i++)
            qnode_free(ws.words[i]);
        free(ws.words);
        return NULL;
    }
    qnode_t *node;
    if ((flags & LEX_PREFIX) && ws.n) {
        qnode_t *last = ws.words[ws.n - 1];
        last->kind = Q_PREFIX;
        node = group(p, Q_AND, ws.words, ws.n);
    } else {
        node = group(p, phrase_ok ? Q_PHRASE : Q_AND, ws.words, ws.n);
    }
    free(ws.words);
    return node;
}

static qnode_t *parse_or(parser_t *p);

static qnode_t *parse_primary(parser_t *p)
{
    lexeme_t *lx = &p->lex[p->pos++];
    switch (lx->kind) {
    case L_OPEN: {
        if (p->depth >= QUERY_DEPTH_MAX)
            return NULL; /* flattened: the bracket is ignored */
        p->depth++;
        qnode_t *node = parse_or(p);
        p->depth--;
        if (p->pos < p->n && p->lex[p->pos].kind == L_CLOSE)
            p->pos++;
        return node;
    }
    case L_PHRASE:
        return parse_words(p, lx->s, lx->len, 1, 0);
    case L_CHUNK:
        return parse_words(p, lx->s, lx->len, 1, lx->flags);
    case L_LANG: {
        trouve_lang_t lang = lang_from_tag(lx->s, lx->len);
        if (lang == TROUVE_LANG_UNKNOWN)
            return parse_words(p, lx->s - 5, lx->len + 5, 1, 0);
        qnode_t *node = node_new(p, Q_LANG);
        if (node)
            node->lang = lang;
        return node;
    }
    case L_PATH: {
        if (!lx->len)
            return NULL;
        qnode_t *node = node_new(p, Q_PATH);
        if (node && !(node->text = dup_n(p, lx->s, lx->len))) {
            qnode_free(node);
            node = NULL;
        }
        return node;
    }
    default:
        return NULL; /* an operator out of place: ignored */
    }
}

static qnode_t *negate(parser_t *p, qnode_t *kid)
{
    if (!kid)
        return NULL;
    qnode_t *node = node_new(p, Q_NOT);
    if (!node) {
        qnode_free(kid);
        return NULL;
    }
    add_kid(p, node, kid);
    return node;
}

static qnode_t *parse_unary(parser_t *p)
{
    lexeme_t *lx = &p->lex[p->pos];
    if (lx->kind == L_NOT) {
        p->pos++;
        /* NOT with nothing after it is the word "not". */
        if (p->pos >= p->n || p->lex[p->pos].kind == L_CLOSE ||
            p->lex[p->pos].kind == L_OR)
            return parse_words(p, lx->s, lx->len, 1, 0);
        return negate(p, parse_unary(p));
    }
    if ((lx->kind == L_CHUNK || lx->kind == L_LANG || lx->kind == L_PATH ||
         lx->kind == L_OPEN || lx->kind == L_PHRASE) &&
        (lx->flags & LEX_NEGATED))
        return negate(p, parse_primary(p));
    return parse_primary(p);
}

static qnode_t *parse_and(parser_t *p)
{
    qnode_t *node = node_new(p, Q_AND);
    if (!node)
        return NULL;
    while (!p->err && p->pos < p->n) {
        lkind_t k = p->lex[p->pos].kind;
        if (k == L_CLOSE || k == L_OR)
            break;
        if (k == L_AND) {
            p->pos++;
            continue;
        }
        add_kid(p, node, parse_unary(p));
    }
    qnode_t **kids = node->kids;
    size_t n = node->nkids;
    node->kids = NULL;
    node->nkids = 0;
    qnode_free(node);
    qnode_t *g = group(p, Q_AND, kids, n);
    free(kids);
    return g;
}

static qnode_t *parse_or(parser_t *p)
{
    qnode_t *node = node_new(p, Q_OR);
    if (!node)
        return NULL;
    add_kid(p, node, parse_and(p));
    while (!p->err && p->pos < p->n && p->lex[p->pos].kind == L_OR) {
        p->pos++;
        add_kid(p, node, parse_and(p));
    }
    qnode_t **kids = node->kids;
    size_t n = node->nkids;
    node->kids = NULL;
    node->nkids = 0;
    qnode_free(node);
    qnode_t *g = group(p, Q_OR, kids, n);
    free(kids);
    return g;
}

int query_parse(const char *q, size_t len, qnode_t **out, char *err,
                size_t errsz)
{
    *out = NULL;
    if (errsz)
        err[0] = '\0';
    parser_t p = {.q = q};
    if (lex(q, len, &p.lex, &p.n) < 0)
        return -1;
    qnode_t *root = node_new(&p, Q_AND);
    while (root && !p.err && p.pos < p.n) {
        add_kid(&p, root, parse_or(&p));
        if (p.pos < p.n && p.lex[p.pos].kind == L_CLOSE)
            p.pos++; /* a stray ")" */
    }
    free(p.lex);
    if (p.err) {
        qnode_free(root);
        if (p.err == -2 && errsz)
            snprintf(err, errsz, "query has more than %d words",
                     QUERY_WORDS_MAX);
        return p.err;
    }
    if (root && root->nkids == 1) {
        qnode_t *only = root->kids[0];
        root->nkids = 0;
        qnode_free(root);
        root = only;
    } else if (root && root->nkids == 0) {
        qnode_free(root);
        root = NULL;
    }
    *out = root;
    return 0;
}

/* A kid of the top AND that --any leaves as it is: an exclusion or a
 * filter still applies to every hit. */
static int is_restriction(const qnode_t *node)
{
    return node->kind == Q_NOT || node->kind == Q_LANG ||
           node->kind == Q_PATH;
}

int query_make_any(qnode_t *root)
{
    if (!root || root->kind != Q_AND)
        return 0;
    size_t npos = 0;
    for (size_t i = 0; i < root->nkids; i++)
        npos += !is_restriction(root->kids[i]);
    if (npos == root->nkids) {
        root->kind = Q_OR;
        return 0;
    }
    if (npos < 2)
        return 0; /* one word and its restrictions: nothing to change */
    /* (AND a b -c lang:fr) becomes (AND (OR a b) -c lang:fr). */
    qnode_t *any = calloc(1, sizeof *any);
    qnode_t **kids = calloc(npos, sizeof *kids);
    if (!any || !kids) {
        free(any);
        free(kids);
        return -1;
    }
    any->kind = Q_OR;
    any->kids = kids;
    size_t keep = 0;
    for (size_t i = 0; i < root->nkids; i++) {
        qnode_t *kid = root->kids[i];
        if (is_restriction(kid))
            root->kids[keep++] = kid;
        else
            kids[any->nkids++] = kid;
    }
    root->kids[keep++] = any;
    root->nkids = keep;
    return 0;
}

int query_has_positive(const qnode_t *node)
{
    if (!node)
        return 0;
    switch (node->kind) {
    case Q_WORD:
    case Q_PREFIX:
    case Q_PHRASE:
        return 1;
    case Q_AND:
    case Q_OR:
        for (size_t i = 0; i < node->nkids; i++)
            if (query_has_positive(node->kids[i]))
                return 1;
        return 0;
    default:
        return 0;
    }
}

void query_describe(const qnode_t *node, buf_t *out, int *rc)
{
    static const char *names[] = {"WORD", "PREFIX", "PHRASE", "AND",
                                  "OR",   "NOT",    "LANG",   "PATH"};
    if (!node) {
        buf_adds(out, "()", rc);
        return;
    }
    switch (node->kind) {
    case Q_WORD:
        buf_adds(out, node->term, rc);
        return;
    case Q_PREFIX:
        buf_printf(out, rc, "%s*", node->term);
        return;
    case Q_LANG:
        buf_printf(out, rc, "lang:%s", trouve_lang_to_string(node->lang));
        return;
    case Q_PATH:
        buf_printf(out, rc, "path:%s", node->text);
        return;
    default:
        break;
    }
    buf_printf(out, rc, "(%s", names[node->kind]);
    for (size_t i = 0; i < node->nkids; i++) {
        buf_addc(out, ' ', rc);
        query_describe(node->kids[i], out, rc);
    }
    buf_addc(out, ')', rc);
}
