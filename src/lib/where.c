/*
 * where.c - SLOT_WHERE, which passages of a post hold each of its words:
 * the layout is in store.h.  Encoded once per post by the indexer,
 * decoded for every candidate post of a search: the words now, each
 * block of passage lists when one of its words is looked up.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "strset.h"

#define WHERE_VERSION 3      /* v3: Rice and gamma codes in blocks (v1:
                                zlib, v2: no blocks) */

uint16_t where_hash(const char *term, size_t len)
{
    uint64_t h = hash64(term, len);
    return (uint16_t)(h ^ h >> 16 ^ h >> 32 ^ h >> 48);
}

/* Rice parameter of the hashes, from their number (1 to 65536). */
static unsigned hash_k(uint64_t entries)
{
    return log2_floor(65536 / entries);
}

/* Rice parameter of a list of `count` passages out of `passages` (count
 * <= passages): log2(passages / count) - 1, at least 0, as the largest m
 * with count << m <= passages, without a division (one per word of a
 * post, for the indexer). */
static unsigned list_k(uint64_t passages, uint64_t count)
{
    if (!count || count > passages) /* only in a damaged value */
        return 0;
    unsigned m = log2_floor(passages) - log2_floor(count);
    if (m && count << m > passages)
        m--;
    return m ? m - 1 : 0;
}

/* A passage of a list: its Rice-coded gap (parameter k), then its
 * occurrences, 1 to 4: 0, 10, 110, 111. */
static void bits_passage(bit_writer_t *w, uint64_t gap, unsigned k,
                         unsigned count)
{
    static const unsigned char code[4] = {0, 2, 6, 7}, len[4] = {1, 2, 3, 3};
    bits_rice_tail(w, gap, k, code[count - 1], len[count - 1]);
}

static inline unsigned bits_occurrences_get(bit_reader_t *r)
{
    /* by the top 3 bits: the count, and the bits its code takes */
    static const unsigned char count[8] = {1, 1, 1, 1, 2, 2, 3, 4};
    static const unsigned char len[8] = {1, 1, 1, 1, 2, 2, 3, 3};
    bits_fill(r);
    unsigned top = (unsigned)(r->acc >> 61);
    if (r->n < len[top]) {
        r->bad = 1;
        return 1;
    }
    r->acc <<= len[top];
    r->n -= len[top];
    return count[top];
}

static int by_pair(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int where_sort(uint64_t *pairs, size_t n)
{
    /* Pairs are made passage after passage: then a stable sort by hash is
     * a full sort, and two radix passes of 8 bits make it (callgrind: a
     * tenth of qsort's instructions).  Otherwise, qsort.  One pass over
     * the pairs checks the order and counts the bytes of both radix
     * passes. */
    size_t at[2][257] = {{0}};
    int in_order = 1;
    for (size_t i = 0; i < n; i++) {
        if (i && (pairs[i] >> 8 & 0xffffffffffu) <
                     (pairs[i - 1] >> 8 & 0xffffffffffu))
            in_order = 0;
        at[0][(pairs[i] >> 48 & 0xff) + 1]++;
        at[1][(pairs[i] >> 56) + 1]++;
    }
    if (!in_order || n < 64) {
        qsort(pairs, n, sizeof *pairs, by_pair);
        return 0;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return -1;
    uint64_t *from = pairs, *to = tmp;
    for (unsigned pass = 0; pass < 2; pass++) {
        unsigned shift = 48 + 8 * pass;
        for (int b = 0; b < 256; b++)
            at[pass][b + 1] += at[pass][b];
        for (size_t i = 0; i < n; i++)
            to[at[pass][from[i] >> shift & 0xff]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    /* two passes: the result is back in pairs */
    free(tmp);
    return 0;
}

/* Entries per block of SLOT_WHERE: the lists of a block are decoded
 * together, when one of its words is looked up. */
#define WHERE_BLOCK 16

/* Writes the lists of entries first..last-1, entry e being the pairs
 * pairs[start[e]..start[e + 1]). */
static void where_lists(bit_writer_t *w, const uint64_t *pairs,
                        const size_t *start, size_t first, size_t last,
                        uint64_t passages)
{
    for (size_t e = first; e < last; e++) {
        size_t i = start[e], j = start[e + 1];
        unsigned k = list_k(passages, j - i);
        uint64_t last_passage = UINT64_MAX; /* the first gap: the passage */
        for (size_t x = i; x < j; x++) {
            uint64_t passage = pairs[x] >> 8 & 0xffffffffffu;
            unsigned count = pairs[x] & 0xff;
            count = count < 1 ? 1 : count > 4 ? 4 : count;
            bits_passage(w, passage - last_passage - 1, k, count);
            last_passage = passage;
        }
    }
}

void where_encode(const uint64_t *pairs, size_t n, buf_t *out, int *rc)
{
    /* One pass finds the entries (runs of one hash): start[e] is the
     * first pair of entry e, start[entries] == n. */
    size_t *start = malloc((n + 1) * sizeof *start);
    if (!start) {
        *rc = -1;
        return;
    }
    size_t entries = 0;
    uint64_t passages = 0;
    for (size_t i = 0; i < n; i++) { /* no branch on the pairs */
        start[entries] = i; /* kept only where an entry begins */
        entries += i == 0 || (pairs[i] ^ pairs[i - 1]) >> 48;
        uint64_t passage = pairs[i] >> 8 & 0xffffffffffu;
        passages = passage + 1 > passages ? passage + 1 : passages;
    }
    start[entries] = n;
    /* The lists first, block by block, to learn the blocks' lengths. */
    size_t nblocks = (entries + WHERE_BLOCK - 1) / WHERE_BLOCK;
    uint64_t *lengths = calloc(nblocks ? nblocks : 1, sizeof *lengths);
    buf_t lists = {0};
    bit_writer_t lw;
    bits_init(&lw, &lists, rc);
    if (!lengths)
        *rc = -1;
    uint64_t bits = 0, total = 0;
    for (size_t b = 0; !*rc && b < nblocks; b++) {
        size_t last = (b + 1) * WHERE_BLOCK;
        where_lists(&lw, pairs, start, b * WHERE_BLOCK,
                    last < entries ? last : entries, passages);
        uint64_t now = bits_written(&lw);
        lengths[b] = now - bits;
        total += lengths[b];
        bits = now;
    }
    bits_flush(&lw);
    unsigned kb = nblocks > 1 ? log2_floor(total / nblocks) : 0;

    buf_addc(out, WHERE_VERSION, rc);
    buf_add_varint(out, entries, rc);
    buf_add_varint(out, passages, rc);
    buf_add_varint(out, kb, rc);
    if (entries && !*rc) {
        bit_writer_t w;
        bits_init(&w, out, rc);
        unsigned kh = hash_k(entries);
        uint64_t prev = 0;
        for (size_t e = 0; e < entries; e++) {
            uint64_t h = pairs[start[e]] >> 48;
            bits_rice(&w, e ? h - prev - 1 : h, kh);
            prev = h;
        }
        for (size_t e = 0; e < entries; e++)
            bits_gamma(&w, start[e + 1] - start[e]);
        for (size_t b = 0; b + 1 < nblocks; b++)
            bits_rice(&w, lengths[b], kb);
        bits_flush(&w);
        buf_add(out, lists.p, lists.n, rc);
    }
    buf_free(&lists);
    free(lengths);
    free(start);
}

/* Makes room in w for `entries` entries, `blocks` blocks and `refs`
 * passage references. */
static int where_reserve(where_t *w, size_t entries, size_t blocks,
                         size_t refs)
{
    if (entries + 1 > w->cap) {
        size_t cap = entries + 1 < 64 ? 64 : entries + 1;
        uint16_t *h = realloc(w->hashes, cap * sizeof *h);
        if (h)
            w->hashes = h;
        uint32_t *f = realloc(w->first, cap * sizeof *f);
        if (f)
            w->first = f;
        if (!h || !f)
            return -1;
        w->cap = cap;
    }
    if (blocks > w->capblocks) {
        size_t cap = blocks < 16 ? 16 : blocks;
        uint64_t *o = realloc(w->block_bit, cap * sizeof *o);
        if (o)
            w->block_bit = o;
        uint8_t *d = realloc(w->block_state, cap);
        if (d)
            w->block_state = d;
        if (!o || !d)
            return -1;
        w->capblocks = cap;
    }
    if (refs > w->cappassages) {
        size_t cap = w->cappassages ? w->cappassages : 256;
        while (cap < refs)
            cap *= 2;
        uint32_t *v = realloc(w->passages, cap * sizeof *v);
        if (v)
            w->passages = v;
        uint8_t *c = realloc(w->counts, cap);
        if (c)
            w->counts = c;
        if (!v || !c)
            return -1;
        w->cappassages = cap;
    }
    return 0;
}

int where_decode(const char *p, size_t n, where_t *w)
{
    w->n = 0;
    reader_t r;
    reader_init(&r, p, n);
    if (reader_u8(&r) != WHERE_VERSION)
        return -1;
    uint64_t entries = reader_varint(&r);
    uint64_t passages = reader_varint(&r);
    uint64_t kb = reader_varint(&r);
    /* every entry takes a bit or more */
    if (r.bad || entries > 65536 || entries > (uint64_t)(r.end - r.p) * 8 ||
        passages > UINT32_MAX || (entries && !passages) || kb > 32)
        return -1;
    if (!entries)
        return r.p == r.end ? 0 : -1;
    size_t nblocks = (size_t)(entries + WHERE_BLOCK - 1) / WHERE_BLOCK;
    if (where_reserve(w, (size_t)entries, nblocks, 0) < 0)
        return -1;
    bit_reader_t b = {r.p, r.end, 0, 0, 0};
    unsigned kh = hash_k(entries);
    uint64_t hash = 0;
    for (size_t i = 0; i < entries; i++) {
        hash += bits_rice_get(&b, kh, 65535) + (i ? 1 : 0);
        if (hash > 0xffff || b.bad)
            return -1;
        w->hashes[i] = (uint16_t)hash;
    }
    uint64_t refs = 0;
    for (size_t i = 0; i < entries; i++) {
        uint64_t count = bits_gamma_get(&b);
        if (b.bad || count > passages)
            return -1;
        w->first[i] = (uint32_t)refs;
        refs += count;
    }
    w->first[entries] = (uint32_t)refs;
    uint64_t at = 0;
    for (size_t k = 0; k < nblocks; k++) {
        w->block_bit[k] = at;
        w->block_state[k] = 0;
        if (k + 1 < nblocks)
            at += bits_rice_get(&b, (unsigned)kb, UINT32_MAX);
    }
    /* the lists start at the next byte; every reference takes two bits
     * or more, and the last block starts inside them */
    size_t head = (size_t)((const char *)b.p - p) - b.n / 8;
    size_t listbytes = n - head;
    if (b.bad || refs > (uint64_t)listbytes * 4 ||
        at >= (uint64_t)listbytes * 8 ||
        where_reserve(w, (size_t)entries, nblocks, (size_t)refs) < 0)
        return -1;
    buf_reset(&w->lists);
    int rc = 0;
    buf_add(&w->lists, p + head, listbytes, &rc);
    if (rc)
        return -1;
    w->npassages = (uint32_t)passages;
    w->n = (size_t)entries;
    return 0;
}

/* Decodes the lists of block k; a block that does not decode is marked
 * so, and its words read as absent (state 2). */
static void where_decode_block(where_t *w, size_t k)
{
    uint64_t at = w->block_bit[k];
    bit_reader_t b = {(const unsigned char *)w->lists.p + at / 8,
                      (const unsigned char *)w->lists.p + w->lists.n, 0, 0,
                      0};
    bits_get(&b, (unsigned)(at % 8));
    size_t from = k * WHERE_BLOCK;
    size_t to = from + WHERE_BLOCK < w->n ? from + WHERE_BLOCK : w->n;
    uint64_t passages = w->npassages;
    for (size_t i = from; i < to && !b.bad; i++) {
        uint32_t a = w->first[i], z = w->first[i + 1];
        unsigned kl = list_k(passages, z - a);
        uint64_t passage = 0;
        for (uint32_t x = a; x < z; x++) {
            uint64_t gap = bits_rice_get(&b, kl, passages);
            passage = x == a ? gap : passage + gap + 1;
            if (b.bad || passage >= passages) {
                b.bad = 1;
                break;
            }
            w->passages[x] = (uint32_t)passage;
            w->counts[x] = (uint8_t)bits_occurrences_get(&b);
        }
    }
    w->block_state[k] = b.bad ? 2 : 1;
}

const uint32_t *where_find(where_t *w, uint16_t h, size_t *count,
                           const uint8_t **occurrences)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->hashes[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < w->n && w->hashes[lo] == h &&
        !w->block_state[lo / WHERE_BLOCK])
        where_decode_block(w, lo / WHERE_BLOCK);
    if (lo == w->n || w->hashes[lo] != h ||
        w->block_state[lo / WHERE_BLOCK] != 1) {
        *count = 0;
        *occurrences = NULL;
        return NULL;
    }
    *count = w->first[lo + 1] - w->first[lo];
    *occurrences = w->counts + w->first[lo];
    return w->passages + w->first[lo];
}

void where_free(where_t *w)
{
    free(w->block_bit);
    free(w->block_state);
    buf_free(&w->lists);
    free(w->hashes);
    free(w->first);
    free(w->passages);
    free(w->counts);
    memset(w, 0, sizeof *w);
}
