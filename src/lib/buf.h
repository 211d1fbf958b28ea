/*
 * buf.h - growable byte buffers with sticky errors.
 *
 * As in SQLite FTS5's buffer helpers, every append takes `int *rc` and does
 * nothing once *rc is non-zero, so a builder makes a run of appends and
 * checks once at the end.  *rc becomes -1 when memory runs out.
 *
 * A buf_t owns `p` (malloc()ed); buf_free releases it.  `p` is kept
 * NUL-terminated after each successful append, so text can be used as a C
 * string (the NUL is not counted in `n`).
 */
#ifndef TROUVE_BUF_H
#define TROUVE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct buf {
    char *p;     /* the bytes; NULL until the first append */
    size_t n;    /* bytes used */
    size_t cap;  /* bytes allocated */
} buf_t;

/* Makes room for `extra` more bytes (+1 for the NUL). */
void buf_reserve(buf_t *b, size_t extra, int *rc);
/* Appends n bytes.  Inline when there is room already (the encoders call
 * it for every few bytes); buf_add_grow makes room first. */
void buf_add_grow(buf_t *b, const void *p, size_t n, int *rc);
static inline void buf_add(buf_t *b, const void *p, size_t n, int *rc)
{
    if (*rc || b->cap - b->n <= n) { /* cap is 0 or holds n + 1 bytes */
        buf_add_grow(b, p, n, rc);
        return;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}
void buf_adds(buf_t *b, const char *s, int *rc);
void buf_addc(buf_t *b, char c, int *rc);
/* printf-style append; long results are not truncated. */
void buf_printf(buf_t *b, int *rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* LEB128 unsigned varint (1 to 10 bytes). */
void buf_add_varint(buf_t *b, uint64_t v, int *rc);
/* 8 bytes, big-endian (sorts like the number, as Xapian values do). */
void buf_add_u64be(buf_t *b, uint64_t v, int *rc);
void buf_add_u32be(buf_t *b, uint32_t v, int *rc);
void buf_reset(buf_t *b);                 /* n = 0, memory kept */
void buf_free(buf_t *b);                  /* memory released, zeroed */

/* Growable arrays of any item: makes room in *v, an array of `size`-byte
 * items with room for *cap, for at least `need` items, doubling the room
 * (from `first` items when there is none).  Returns 0, or -1 when memory
 * ran out or the size would overflow; *v and *cap are unchanged then.
 * Called as array_grow((void **)&list->v, &list->cap, list->n + 1,
 * sizeof *list->v, 16). */
int array_grow(void **v, size_t *cap, size_t need, size_t size,
               size_t first);
/* Hands the bytes to the caller (NUL-terminated; an empty malloc()ed
 * string if nothing was added; NULL if memory ran out) and empties b. */
char *buf_steal(buf_t *b);

/* Reading what buf_add_varint and friends wrote: a cursor over bytes.
 * Reads past the end set `bad` and return 0, so a decoder checks once. */
typedef struct reader {
    const unsigned char *p, *end;
    int bad;  /* set on a short or malformed read */
} reader_t;

void reader_init(reader_t *r, const void *p, size_t n);
uint64_t reader_varint(reader_t *r);
uint64_t reader_u64be(reader_t *r);
uint32_t reader_u32be(reader_t *r);
unsigned reader_u8(reader_t *r);
/* Returns a pointer to the next n bytes and skips them (NULL if short). */
const char *reader_bytes(reader_t *r, size_t n);

#endif
