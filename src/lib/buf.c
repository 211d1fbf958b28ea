/*
 * buf.c - growable byte buffers with sticky errors, and a bounds-checked
 * reader for what they write.  See buf.h.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_reserve(buf_t *b, size_t extra, int *rc)
{
    if (*rc)
        return;
    if (extra > SIZE_MAX / 2 - b->n) {
        *rc = -1;
        return;
    }
    size_t need = b->n + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        *rc = -1;
        return;
    }
    b->p = p;
    b->cap = cap;
}

int array_grow(void **v, size_t *cap, size_t need, size_t size,
               size_t first)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : first ? first : 1;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (n > SIZE_MAX / size)
        return -1;
    void *p = realloc(*v, n * size);
    if (!p)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

void buf_add_grow(buf_t *b, const void *p, size_t n, int *rc)
{
    buf_reserve(b, n, rc);
    if (*rc)
        return;
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void buf_adds(buf_t *b, const char *s, int *rc)
{
    buf_add(b, s, strlen(s), rc);
}

void buf_addc(buf_t *b, char c, int *rc)
{
    buf_add(b, &c, 1, rc);
}

void buf_printf(buf_t *b, int *rc, const char *fmt, ...)
{
    if (*rc)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        *rc = -1;
        return;
    }
    buf_reserve(b, (size_t)n, rc);
    if (*rc)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void buf_add_varint(buf_t *b, uint64_t v, int *rc)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    buf_add(b, tmp, n, rc);
}

void buf_add_u64be(buf_t *b, uint64_t v, int *rc)
{
    unsigned char tmp[8];
    for (int i = 7; i >= 0; i--) {
        tmp[i] = v & 0xff;
        v >>= 8;
    }
    buf_add(b, tmp, 8, rc);
}

void buf_add_u32be(buf_t *b, uint32_t v, int *rc)
{
    unsigned char tmp[4] = {v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
                            v & 0xff};
    buf_add(b, tmp, 4, rc);
}

void buf_reset(buf_t *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

void buf_free(buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

char *buf_steal(buf_t *b)
{
    char *p = b->p;
    if (!p)
        p = calloc(1, 1);
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void reader_init(reader_t *r, const void *p, size_t n)
{
    r->p = p;
    r->end = r->p + n;
    r->bad = 0;
}

uint64_t reader_varint(reader_t *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            break;
        unsigned char byte = *r->p++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    r->bad = 1;
    return 0;
}

static uint64_t reader_be(reader_t *r, unsigned n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        r->p = r->end;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | *r->p++;
    return v;
}

uint64_t reader_u64be(reader_t *r)
{
    return reader_be(r, 8);
}

uint32_t reader_u32be(reader_t *r)
{
    return (uint32_t)reader_be(r, 4);
}

unsigned reader_u8(reader_t *r)
{
    return (unsigned)reader_be(r, 1);
}

const char *reader_bytes(reader_t *r, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        r->p = r->end;
        return NULL;
    }
    const char *p = (const char *)r->p;
    r->p += n;
    return p;
}
