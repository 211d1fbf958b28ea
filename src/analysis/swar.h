/*
 * swar.h - eight bytes at a time in a 64-bit word (SIMD within a
 * register), for the scanners' hot loops (token.c, passage.c).
 *
 * A word holds eight bytes of text, the first lowest (swar_load8); a mask
 * answers a question about each byte in that byte's high bit.  The masks
 * here are exact: no borrow or carry crosses from one byte to the next.
 */
#ifndef TROUVE_SWAR_H
#define TROUVE_SWAR_H

#include <stdint.h>

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGHS (SWAR_ONES << 7)

/* The eight bytes at s, the first lowest (one load on the machines we
 * run on). */
static inline uint64_t swar_load8(const void *s)
{
    const unsigned char *p = s;
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
           (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

/* The bytes of v7 (bit 7 of each clear) that are at least c (c <= 0x80). */
static inline uint64_t swar_at_least(uint64_t v7, unsigned c)
{
    return (v7 + SWAR_ONES * (0x80 - c)) & SWAR_HIGHS;
}

/* The bytes of v equal to c. */
static inline uint64_t swar_equal(uint64_t v, unsigned char c)
{
    uint64_t x = v ^ SWAR_ONES * c;
    return ~(((x & ~SWAR_HIGHS) + ~SWAR_HIGHS) | x) & SWAR_HIGHS;
}

/* How many bytes of a mask are set (at most eight: their sum fits the
 * top byte of the product). */
static inline unsigned swar_count(uint64_t mask)
{
    return (unsigned)((mask >> 7) * SWAR_ONES >> 56);
}

#endif
