/*
 * store.c - encoding and decoding what the index keeps of each post
 * besides its terms: stamp, passage table, counts, title and text
 * (SLOT_WHERE is where.c's).  The layouts are described in store.h.
 */
#include "store.h"

#include "bits.h"

#include <stdlib.h>
#include <string.h>

#define DATA_VERSION 3       /* v3: plain, Xapian compresses (v1: zlib, v2:
                                raw deflate) */
#define PASSAGES_VERSION 2   /* v2: Rice-coded columns (v1: varint rows) */

void stamp_encode(const post_stamp_t *stamp, buf_t *out, int *rc)
{
    buf_add_u64be(out, stamp->size, rc);
    buf_add_u64be(out, (uint64_t)stamp->mtime_ns, rc);
    buf_add_u32be(out, stamp->crc, rc);
    buf_add(out, &stamp->analysis, 1, rc);
}

int stamp_decode(const char *p, size_t n, post_stamp_t *stamp)
{
    reader_t r;
    reader_init(&r, p, n);
    stamp->size = reader_u64be(&r);
    stamp->mtime_ns = (int64_t)reader_u64be(&r);
    stamp->crc = reader_u32be(&r);
    stamp->analysis = r.p < r.end ? reader_u8(&r) : 0;
    return r.bad || r.p != r.end ? -1 : 0;
}

void counts_encode(const post_counts_t *c, buf_t *out, int *rc)
{
    for (int i = 0; i < 3; i++)
        buf_add_varint(out, c->passages[i], rc);
    buf_add_varint(out, c->text_bytes, rc);
}

int counts_decode(const char *p, size_t n, post_counts_t *c)
{
    reader_t r;
    reader_init(&r, p, n);
    for (int i = 0; i < 3; i++)
        c->passages[i] = reader_varint(&r);
    c->text_bytes = reader_varint(&r);
    return r.bad ? -1 : 0;
}

void post_data_encode(const char *title, const char *text, size_t len,
                      buf_t *out, int *rc)
{
    size_t tlen = title ? strlen(title) : 0;
    buf_addc(out, DATA_VERSION, rc);
    buf_add_varint(out, tlen, rc);
    buf_add(out, title, tlen, rc);
    buf_add_varint(out, len, rc);
    buf_add(out, text, len, rc);
}

int post_data_decode(const char *p, size_t n, char **title, char **text,
                     size_t *text_len)
{
    reader_t r;
    reader_init(&r, p, n);
    *title = NULL;
    if (text)
        *text = NULL;
    if (reader_u8(&r) != DATA_VERSION)
        return -1;
    uint64_t tlen = reader_varint(&r);
    const char *t = reader_bytes(&r, tlen);
    uint64_t len = reader_varint(&r);
    if (r.bad || len != (uint64_t)(r.end - r.p))
        return -1;
    *title = malloc(tlen + 1);
    if (!*title)
        return -1;
    memcpy(*title, t, tlen);
    (*title)[tlen] = '\0';
    if (!text)
        return 0;
    char *s = malloc(len + 1);
    if (!s) {
        free(*title);
        *title = NULL;
        return -1;
    }
    memcpy(s, r.p, len);
    s[len] = '\0';
    *text = s;
    if (text_len)
        *text_len = len;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The passage table                                                   */

/* The Rice parameter that codes v[0..n) in the fewest bits. */
static unsigned best_k(const uint64_t *v, size_t n)
{
    uint64_t best = UINT64_MAX;
    unsigned kbest = 0;
    for (unsigned k = 0; k <= 31; k++) {
        if ((uint64_t)n * (1 + k) >= best)
            break; /* the codes alone take that many bits from here on */
        uint64_t bits = 0;
        for (size_t i = 0; i < n && bits < best; i++)
            bits += (v[i] >> k) + 1 + k;
        if (bits < best) {
            best = bits;
            kbest = k;
        }
    }
    return kbest;
}

void passages_encode(const passage_t *v, size_t n, buf_t *out, int *rc)
{
    uint64_t *col = malloc((n ? n : 1) * 4 * sizeof *col);
    if (!col) {
        *rc = -1;
        return;
    }
    uint64_t *gap = col, *len = col + n, *line = col + 2 * n,
             *words = col + 3 * n;
    uint32_t prev_end = 0, prev_line = 0;
    for (size_t i = 0; i < n; i++) {
        gap[i] = v[i].start - prev_end;
        len[i] = v[i].end - v[i].start;
        line[i] = v[i].line - prev_line;
        words[i] = v[i].nwords;
        prev_end = v[i].end;
        prev_line = v[i].line;
    }
    unsigned k[4];
    for (int c = 0; c < 4; c++)
        k[c] = best_k(col + c * n, n);
    buf_addc(out, PASSAGES_VERSION, rc);
    buf_add_varint(out, n, rc);
    for (int c = 0; c < 4; c++)
        buf_addc(out, (char)k[c], rc);
    bit_writer_t w;
    bits_init(&w, out, rc);
    for (int c = 0; c < 4; c++)
        for (size_t i = 0; i < n; i++) {
            bits_rice(&w, col[c * n + i], k[c]);
            if (c == 2) /* the flags ride with the line */
                bits_put(&w, (v[i].lang & 3) | (v[i].heading ? 4 : 0), 3);
        }
    bits_flush(&w);
    free(col);
}

int passages_decode(const char *p, size_t n, passage_t **out, size_t *count)
{
    reader_t r;
    reader_init(&r, p, n);
    *out = NULL;
    *count = 0;
    if (reader_u8(&r) != PASSAGES_VERSION)
        return -1;
    uint64_t np = reader_varint(&r);
    unsigned k[4];
    for (int c = 0; c < 4; c++)
        k[c] = reader_u8(&r);
    /* each passage takes 7 bits or more: reject absurd counts early */
    if (r.bad || k[0] > 31 || k[1] > 31 || k[2] > 31 || k[3] > 31 ||
        np > (uint64_t)(r.end - r.p) * 8 / 7 + 1)
        return -1;
    passage_t *v = calloc(np ? np : 1, sizeof *v);
    if (!v)
        return -1;
    bit_reader_t b = {r.p, r.end, 0, 0, 0};
    uint64_t end = 0, line = 0, word = 0;
    int bad = 0;
    for (size_t i = 0; i < np; i++) /* starts, as gaps from the last end */
        v[i].start = (uint32_t)bits_rice_get(&b, k[0], UINT32_MAX);
    for (size_t i = 0; i < np && !bad; i++) {
        uint64_t start = end + v[i].start;
        end = start + bits_rice_get(&b, k[1], UINT32_MAX);
        bad = end > UINT32_MAX;
        v[i].start = (uint32_t)start;
        v[i].end = (uint32_t)end;
    }
    for (size_t i = 0; i < np && !bad; i++) {
        line += bits_rice_get(&b, k[2], UINT32_MAX);
        unsigned flags = (unsigned)bits_get(&b, 3);
        bad = line > UINT32_MAX || (flags & 3) == 3;
        v[i].line = (uint32_t)line;
        v[i].lang = (trouve_lang_t)(flags & 3);
        v[i].heading = (flags & 4) != 0;
    }
    for (size_t i = 0; i < np && !bad; i++) {
        uint64_t words = bits_rice_get(&b, k[3], UINT32_MAX);
        bad = word + words > UINT32_MAX;
        v[i].first_word = (uint32_t)word;
        v[i].nwords = (uint32_t)words;
        word += words;
    }
    /* all read, and nothing but the padding of the last byte left */
    if (bad || b.bad || b.p != b.end || b.n >= 8 ||
        (b.n && b.acc >> (64 - b.n))) {
        free(v);
        return -1;
    }
    *out = v;
    *count = np;
    return 0;
}
