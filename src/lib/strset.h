/*
 * strset.h - a set of byte strings, numbered in the order they were added
 * (open addressing, linear probing).
 *
 * Strings are copied into the set's own arena; pointers handed out stay
 * valid until strset_free or strset_clear.  Used for the paths seen by a
 * walk, the words of a post, and the stem pairs an indexing run wrote.
 */
#ifndef TROUVE_STRSET_H
#define TROUVE_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct strset_item {
    const char *s;  /* the string, NUL-terminated, in the arena */
    uint32_t len;
    uint32_t hash;
} strset_item_t;

typedef struct strset {
    strset_item_t *items;  /* count items, in insertion order */
    size_t count, capitems;
    uint64_t *slots;       /* cap slots: 0 if empty, else the item's
                              hash << 32 | its number + 1 (a probe past
                              another string reads no item) */
    size_t cap;
    char **chunks;         /* arena chunks holding the strings */
    size_t nchunks, used;  /* bytes used in the last chunk */
    size_t bytes;          /* bytes held by the arena */
} strset_t;

void strset_init(strset_t *set);
void strset_free(strset_t *set);
/* Empties the set, keeping its memory for reuse. */
void strset_clear(strset_t *set);

/* Adds s[0..len) if new.  Returns its number (0, 1, 2... in order of
 * first addition), or -1 when memory ran out.  *added (may be NULL) is set
 * to 1 when the string was new. */
long strset_intern(strset_t *set, const char *s, size_t len, int *added);

/* The number of s[0..len), or -1 if it is not in the set. */
long strset_find(const strset_t *set, const char *s, size_t len);

/* The order of some of a set's strings, for strset_sort: v[0..n) are
 * their numbers.  The buffers are kept from call to call. */
typedef struct strset_order {
    uint32_t *v;
    struct strset_key *keys; /* 2 x cap, the radix sort's */
    size_t cap;
} strset_order_t;

/* Puts the numbers ids[0..n) of some of the set's strings (each once;
 * ids NULL: 0 to n - 1, set->count for all) in the byte order of their
 * strings (memcmp's, a prefix before the longer string) in order->v.  A
 * radix sort on eight bytes at a time: linear in the bytes that decide
 * the order.  Returns 0, or -1 when memory ran out. */
int strset_sort(const strset_t *set, const uint32_t *ids, size_t n,
                strset_order_t *order);
void strset_order_free(strset_order_t *order);

/* 64-bit FNV-1a of s[0..len); also hashes over-long id terms and picks a
 * post's shard. */
uint64_t hash64(const char *s, size_t len);

#endif
