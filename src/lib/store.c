/*
 * store.c - encoding and decoding what the index keeps of each post
 * besides its terms: stamp, passage table, counts, title and text.  The
 * layouts are described in store.h.
 */
#include "store.h"

#include "strset.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define DATA_VERSION 1

void stamp_encode(const post_stamp_t *stamp, buf_t *out, int *rc)
{
    buf_add_u64be(out, stamp->size, rc);
    buf_add_u64be(out, (uint64_t)stamp->mtime_ns, rc);
    buf_add_u32be(out, stamp->crc, rc);
}

int stamp_decode(const char *p, size_t n, post_stamp_t *stamp)
{
    reader_t r;
    reader_init(&r, p, n);
    stamp->size = reader_u64be(&r);
    stamp->mtime_ns = (int64_t)reader_u64be(&r);
    stamp->crc = reader_u32be(&r);
    return r.bad || r.p != r.end ? -1 : 0;
}

void passages_encode(const passage_t *v, size_t n, buf_t *out, int *rc)
{
    uint32_t prev_end = 0, prev_line = 0;
    buf_add_varint(out, n, rc);
    for (size_t i = 0; i < n; i++) {
        buf_add_varint(out, v[i].start - prev_end, rc);
        buf_add_varint(out, v[i].end - v[i].start, rc);
        buf_add_varint(out, v[i].line - prev_line, rc);
        buf_add_varint(out, v[i].nwords, rc);
        buf_addc(out, (char)((v[i].lang & 3) | (v[i].heading ? 4 : 0)), rc);
        prev_end = v[i].end;
        prev_line = v[i].line;
    }
}

int passages_decode(const char *p, size_t n, passage_t **out, size_t *count)
{
    reader_t r;
    reader_init(&r, p, n);
    *out = NULL;
    *count = 0;
    uint64_t k = reader_varint(&r);
    /* Each passage takes at least 5 bytes: reject absurd counts early. */
    if (r.bad || k > n / 5 + 1)
        return -1;
    passage_t *v = calloc(k ? k : 1, sizeof *v);
    if (!v)
        return -1;
    uint64_t end = 0, line = 0, word = 0;
    for (size_t i = 0; i < k; i++) {
        uint64_t start = end + reader_varint(&r);
        end = start + reader_varint(&r);
        line += reader_varint(&r);
        uint64_t words = reader_varint(&r);
        unsigned flags = reader_u8(&r);
        if (r.bad || end > UINT32_MAX || line > UINT32_MAX ||
            word + words > UINT32_MAX || (flags & 3) == 3) {
            free(v);
            return -1;
        }
        v[i] = (passage_t){.start = (uint32_t)start,
                           .end = (uint32_t)end,
                           .line = (uint32_t)line,
                           .first_word = (uint32_t)word,
                           .nwords = (uint32_t)words,
                           .lang = (trouve_lang_t)(flags & 3),
                           .heading = (flags & 4) != 0};
        word += words;
    }
    *out = v;
    *count = k;
    return 0;
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
                      int level, buf_t *out, int *rc)
{
    size_t tlen = title ? strlen(title) : 0;
    buf_addc(out, DATA_VERSION, rc);
    buf_add_varint(out, tlen, rc);
    buf_add(out, title, tlen, rc);
    buf_add_varint(out, len, rc);
    uLong bound = compressBound((uLong)len);
    buf_reserve(out, bound, rc);
    if (*rc)
        return;
    uLongf clen = bound;
    if (compress2((Bytef *)out->p + out->n, &clen, (const Bytef *)text,
                  (uLong)len, level) != Z_OK) {
        *rc = -1;
        return;
    }
    out->n += clen;
    out->p[out->n] = '\0';
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
    if (r.bad || len > (uint64_t)1 << 40)
        return -1;
    *title = malloc(tlen + 1);
    if (!*title)
        return -1;
    memcpy(*title, t, tlen);
    (*title)[tlen] = '\0';
    if (!text)
        return 0;
    char *s = malloc(len + 1);
    uLongf got = (uLongf)len;
    if (!s || uncompress((Bytef *)s, &got, r.p, (uLong)(r.end - r.p)) != Z_OK ||
        got != len) {
        free(s);
        free(*title);
        *title = NULL;
        return -1;
    }
    s[len] = '\0';
    *text = s;
    if (text_len)
        *text_len = len;
    return 0;
}

uint16_t where_hash(const char *term, size_t len)
{
    uint64_t h = hash64(term, len);
    return (uint16_t)(h ^ h >> 16 ^ h >> 32 ^ h >> 48);
}

void where_encode(const uint64_t *pairs, size_t n, int level, buf_t *out,
                  int *rc)
{
    buf_t raw = {0};
    size_t entries = 0;
    for (size_t i = 0; i < n; i++)
        entries += i == 0 || pairs[i] >> 48 != pairs[i - 1] >> 48;
    buf_add_varint(&raw, entries, rc);
    uint64_t prev = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || pairs[i] >> 48 != pairs[i - 1] >> 48) {
            buf_add_varint(&raw, (pairs[i] >> 48) - prev, rc);
            prev = pairs[i] >> 48;
        }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pairs[j] >> 48 == pairs[i] >> 48)
            j++;
        buf_add_varint(&raw, j - i, rc);
        uint64_t last = 0;
        for (size_t k = i; k < j; k++) {
            uint64_t passage = pairs[k] >> 8 & 0xffffffffffu;
            unsigned count = pairs[k] & 0xff;
            count = count < 1 ? 1 : count > 4 ? 4 : count;
            buf_add_varint(&raw, (passage - last) << 2 | (count - 1), rc);
            last = passage;
        }
        i = j;
    }
    if (!*rc) {
        uLong bound = compressBound((uLong)raw.n);
        buf_reserve(out, bound, rc);
        uLongf clen = bound;
        if (!*rc && compress2((Bytef *)out->p + out->n, &clen,
                              (const Bytef *)raw.p, (uLong)raw.n,
                              level) != Z_OK)
            *rc = -1;
        if (!*rc) {
            out->n += clen;
            out->p[out->n] = '\0';
        }
    }
    buf_free(&raw);
}

/* Inflates a zlib stream of unknown size into b. */
static int inflate_all(const char *p, size_t n, buf_t *b)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return -1;
    int rc = 0, zr = Z_OK;
    buf_reset(b);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    while (zr == Z_OK) {
        buf_reserve(b, n * 4 + 256, &rc);
        if (rc)
            break;
        z.next_out = (Bytef *)b->p + b->n;
        z.avail_out = (uInt)(b->cap - b->n - 1);
        zr = inflate(&z, Z_NO_FLUSH);
        b->n = b->cap - 1 - z.avail_out;
        if (zr == Z_BUF_ERROR && z.avail_in == 0)
            break;
    }
    inflateEnd(&z);
    return rc || zr != Z_STREAM_END ? -1 : 0;
}

int where_decode(const char *p, size_t n, where_t *w)
{
    w->n = 0;
    if (inflate_all(p, n, &w->raw) < 0)
        return -1;
    reader_t r;
    reader_init(&r, w->raw.p, w->raw.n);
    uint64_t entries = reader_varint(&r);
    if (r.bad || entries > 65536 || entries > w->raw.n)
        return -1;
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
    uint64_t hash = 0;
    for (size_t i = 0; i < entries; i++) {
        hash += reader_varint(&r);
        if (hash > 0xffff || (i && hash <= w->hashes[i - 1]))
            return -1;
        w->hashes[i] = (uint16_t)hash;
    }
    size_t used = 0;
    for (size_t i = 0; i < entries; i++) {
        uint64_t count = reader_varint(&r);
        if (r.bad || count > (size_t)(r.end - r.p))
            return -1;
        if (used + count > w->cappassages) {
            size_t cap = w->cappassages ? w->cappassages : 256;
            while (cap < used + count)
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
        w->first[i] = (uint32_t)used;
        uint64_t passage = 0;
        for (size_t k = 0; k < count; k++) {
            uint64_t v = reader_varint(&r);
            passage += v >> 2;
            if (passage > UINT32_MAX)
                return -1;
            w->counts[used] = (uint8_t)((v & 3) + 1);
            w->passages[used++] = (uint32_t)passage;
        }
    }
    if (r.bad)
        return -1;
    w->first[entries] = (uint32_t)used;
    w->n = entries;
    return 0;
}

const uint32_t *where_find(const where_t *w, uint16_t h, size_t *count,
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
    if (lo == w->n || w->hashes[lo] != h) {
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
    free(w->hashes);
    free(w->first);
    free(w->passages);
    free(w->counts);
    buf_free(&w->raw);
    memset(w, 0, sizeof *w);
}
