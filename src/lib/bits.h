/*
 * bits.h - bit streams, most significant bit first, and the codes the
 * stored tables use (store.h): Rice codes, Elias gamma codes.
 *
 * A writer appends to a buf_t (sticky errors, buf.h).  A reader never
 * reads past its end: a short or malformed stream sets `bad` and yields
 * zeros, so a decoder checks once.  Everything is static inline: the
 * decoders sit on the query path.
 */
#ifndef TROUVE_BITS_H
#define TROUVE_BITS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct bit_writer {
    buf_t *out;
    char *p, *end;  /* where the next whole byte goes in out, and the end
                       of out's room (its NUL's byte); synced at flush */
    uint64_t acc;   /* pending bits in its low n, the oldest highest */
    unsigned n;     /* pending bits (< 8 between calls) */
    int *rc;
} bit_writer_t;

/* Makes room for eight more bytes at w->p; a failure sets *w->rc and
 * leaves no room, so the puts after it do nothing. */
static inline void bits_room(bit_writer_t *w)
{
    buf_t *b = w->out;
    if (w->p) /* not at the start, nor after a failure */
        b->n = (size_t)(w->p - b->p);
    buf_reserve(b, 64, w->rc);
    if (*w->rc) {
        w->p = w->end = NULL;
        return;
    }
    w->p = b->p + b->n;
    w->end = b->p + b->cap - 1;
}

/* A writer appending to out, whose errors go to *rc. */
static inline void bits_init(bit_writer_t *w, buf_t *out, int *rc)
{
    *w = (bit_writer_t){out, NULL, NULL, 0, 0, rc};
    bits_room(w);
}

/* Appends the low `k` bits of v (k <= 32).  Without a branch on the bits:
 * the pending bits go out as eight bytes, big-endian, stored at w->p
 * (eight bytes of room are kept there), and w->p moves past the whole
 * ones; a partial last byte is stored again by the next call.  The
 * writer's state is in locals once inlined, kept apart from the buffer
 * (a store through a char pointer may alias any memory). */
static inline void bits_put(bit_writer_t *w, uint64_t v, unsigned k)
{
    if (!k)
        return;
    if (w->end - w->p < 8) {
        bits_room(w);
        if (!w->p)
            return;
    }
    w->acc = w->acc << k | (v & (((uint64_t)1 << k) - 1));
    w->n += k;
    uint64_t bytes = __builtin_bswap64(w->acc << (64 - w->n));
    memcpy(w->p, &bytes, 8);
    w->p += w->n >> 3;
    w->n &= 7;
}

/* Bits written so far (the pending ones included). */
static inline uint64_t bits_written(const bit_writer_t *w)
{
    return w->p ? (uint64_t)(w->p - w->out->p) * 8 + w->n : 0;
}

/* Rice code of v with parameter k (<= 32): v >> k as zeros and a one,
 * then the low k bits; then the n (<= 8) bits of tail.  Mostly short:
 * then all in one bits_put. */
static inline void bits_rice_tail(bit_writer_t *w, uint64_t v, unsigned k,
                                  uint64_t tail, unsigned n)
{
    uint64_t q = v >> k;
    if (q + 1 + k + n <= 32) {
        uint64_t one = (uint64_t)1 << k;
        bits_put(w, (one | (v & (one - 1))) << n | tail,
                 (unsigned)q + 1 + k + n);
        return;
    }
    for (; q >= 24; q -= 24)
        bits_put(w, 0, 24);
    bits_put(w, 1, (unsigned)q + 1);
    bits_put(w, v, k);
    bits_put(w, tail, n);
}

/* The Rice code of v alone. */
static inline void bits_rice(bit_writer_t *w, uint64_t v, unsigned k)
{
    bits_rice_tail(w, v, k, 0, 0);
}

/* Elias gamma code of v, 1 <= v < 2^32: b zeros then v in b + 1 bits,
 * in one bits_put when that fits. */
static inline void bits_gamma(bit_writer_t *w, uint64_t v)
{
    unsigned b = 63 - (unsigned)__builtin_clzll(v);
    if (2 * b + 1 <= 32) {
        bits_put(w, v, 2 * b + 1);
        return;
    }
    bits_put(w, 0, b);
    bits_put(w, v, b + 1);
}

/* Pads the last byte with zeros, writes out what is pending and brings
 * the buffer up to date (its length, its NUL). */
static inline void bits_flush(bit_writer_t *w)
{
    if (w->n)
        bits_put(w, 0, 8 - w->n);
    if (w->p) {
        w->out->n = (size_t)(w->p - w->out->p);
        *w->p = '\0';
    }
}

typedef struct bit_reader {
    const unsigned char *p, *end;
    uint64_t acc;   /* the next bits, MSB-aligned; past the n valid ones,
                       zeros or the bits that follow */
    unsigned n;     /* valid bits in acc */
    int bad;        /* read past the end, or a code too long */
} bit_reader_t;

/* Tops acc up to 57 bits or more (all that is left near the end): eight
 * bytes at a time when there are eight. */
static inline void bits_fill(bit_reader_t *r)
{
    if (r->n > 56)
        return;
    if (r->end - r->p >= 8) {
        const unsigned char *q = r->p;
        uint64_t x = (uint64_t)q[0] << 56 | (uint64_t)q[1] << 48 |
                     (uint64_t)q[2] << 40 | (uint64_t)q[3] << 32 |
                     (uint64_t)q[4] << 24 | (uint64_t)q[5] << 16 |
                     (uint64_t)q[6] << 8 | q[7];
        r->acc |= x >> r->n;
        unsigned bytes = (63 - r->n) >> 3;
        r->p += bytes;
        r->n += bytes << 3;
        return;
    }
    while (r->n <= 56 && r->p < r->end) {
        r->acc |= (uint64_t)*r->p++ << (56 - r->n);
        r->n += 8;
    }
}

/* The next k bits (k <= 56); 0 and `bad` past the end. */
static inline uint64_t bits_get(bit_reader_t *r, unsigned k)
{
    if (!k)
        return 0;
    bits_fill(r);
    if (r->n < k) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = r->acc >> (64 - k);
    r->acc <<= k;
    r->n -= k;
    return v;
}

/* Zeros up to the next one bit (which is consumed); at most `max`. */
static inline uint64_t bits_unary(bit_reader_t *r, uint64_t max)
{
    uint64_t q = 0;
    for (;;) {
        bits_fill(r);
        if (r->n == 0 || q > max) {
            r->bad = 1;
            return 0;
        }
        /* Past the n valid bits, acc may hold bits of the next bytes
         * already (bits_fill reloads them where they are): a one there
         * does not count yet. */
        unsigned z = r->acc ? (unsigned)__builtin_clzll(r->acc) : 64;
        if (z >= r->n) { /* all r->n bits are zeros */
            q += r->n;
            r->acc = 0;
            r->n = 0;
            continue;
        }
        q += z;
        r->acc <<= z;
        r->acc <<= 1;
        r->n -= z + 1;
        return q;
    }
}

/* A Rice code with parameter k (<= 32), at most `max`.  The fast path
 * takes it whole from acc; codes longer than acc holds go bit by bit. */
static inline uint64_t bits_rice_get(bit_reader_t *r, unsigned k,
                                     uint64_t max)
{
    bits_fill(r);
    if (r->acc) {
        unsigned z = (unsigned)__builtin_clzll(r->acc);
        if (z + 1 + k <= r->n) {
            uint64_t low = k ? (r->acc << z << 1) >> (64 - k) : 0;
            unsigned used = z + 1 + k;
            r->acc = used < 64 ? r->acc << used : 0;
            r->n -= used;
            return (uint64_t)z << k | low;
        }
    }
    uint64_t q = bits_unary(r, max >> k);
    return q << k | bits_get(r, k);
}

static inline uint64_t bits_gamma_get(bit_reader_t *r)
{
    bits_fill(r);
    if (r->acc) { /* the fast path: the whole code is in acc */
        unsigned z = (unsigned)__builtin_clzll(r->acc);
        if (2 * z + 1 <= r->n) {
            uint64_t v = r->acc >> (63 - 2 * z);
            r->acc = 2 * z + 1 < 64 ? r->acc << (2 * z + 1) : 0;
            r->n -= 2 * z + 1;
            return v;
        }
    }
    uint64_t b = bits_unary(r, 40);
    return (uint64_t)1 << b | bits_get(r, (unsigned)b);
}

/* floor(log2(x)) for x >= 1; 0 for 0. */
static inline unsigned log2_floor(uint64_t x)
{
    return x ? 63 - (unsigned)__builtin_clzll(x) : 0;
}

#endif
