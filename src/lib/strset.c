/*
 * strset.c - a set of byte strings numbered in insertion order.  See
 * strset.h.
 */
#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define CHUNK_SIZE (64 * 1024)

uint64_t hash64(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void strset_init(strset_t *set)
{
    memset(set, 0, sizeof *set);
}

void strset_free(strset_t *set)
{
    for (size_t i = 0; i < set->nchunks; i++)
        free(set->chunks[i]);
    free(set->chunks);
    free(set->slots);
    free(set->items);
    strset_init(set);
}

void strset_clear(strset_t *set)
{
    /* Keep the first chunk, the slots and the items arrays. */
    for (size_t i = 1; i < set->nchunks; i++)
        free(set->chunks[i]);
    if (set->nchunks > 1)
        set->nchunks = 1;
    set->used = 0;
    set->bytes = set->nchunks ? CHUNK_SIZE : 0;
    if (set->count < set->cap / 16) {
        /* Few strings in a table grown by an earlier big load: empty their
         * slots only (slots of others already emptied are probed past). */
        for (size_t n = 0; n < set->count; n++) {
            size_t i = set->items[n].hash & (set->cap - 1);
            while ((uint32_t)set->slots[i] != n + 1)
                i = (i + 1) & (set->cap - 1);
            set->slots[i] = 0;
        }
    } else if (set->slots) {
        memset(set->slots, 0, set->cap * sizeof *set->slots);
    }
    set->count = 0;
}

/* Bytes s[0..n) as a number, n <= 8 (any byte order will do). */
static inline uint64_t load_bytes(const char *s, size_t n)
{
    uint64_t v = 0;
    memcpy(&v, s, n);
    return v;
}

/* The hash of the slots: eight bytes at a time, for words (most strings
 * are) cost less than FNV-1a byte by byte.  Multiply and fold, with the
 * length mixed in; the low bits, which pick the slot, come from the high
 * bits of a product.  Not stored anywhere: it may change. */
static inline uint32_t slot_hash(const char *s, size_t len)
{
    const uint64_t k = 0x9e3779b97f4a7c15ull;
    uint64_t h = (uint64_t)len * k;
    for (; len >= 8; s += 8, len -= 8) {
        h = (h ^ load_bytes(s, 8)) * k;
        h ^= h >> 32;
    }
    if (len >= 4) /* the two words overlap when len < 8 */
        h ^= load_bytes(s, 4) << 32 | load_bytes(s + len - 4, 4);
    else if (len)
        h ^= (uint64_t)(unsigned char)s[0] << 16 |
             (uint64_t)(unsigned char)s[len / 2] << 8 |
             (unsigned char)s[len - 1];
    h *= k;
    return (uint32_t)(h >> 32 ^ h);
}

static inline size_t find_slot(const strset_t *set, const char *s,
                               size_t len, uint32_t hash)
{
    size_t i = hash & (set->cap - 1);
    for (;;) {
        uint64_t k = set->slots[i];
        if (!k)
            return i;
        if (k >> 32 == hash) {
            const strset_item_t *it = &set->items[(uint32_t)k - 1];
            if (it->len == len && !memcmp(it->s, s, len))
                return i;
        }
        i = (i + 1) & (set->cap - 1);
    }
}

/* Slot value of item number n (0, 1, 2...). */
static inline uint64_t slot_of(uint32_t hash, size_t n)
{
    return (uint64_t)hash << 32 | (uint32_t)(n + 1);
}

static int grow_slots(strset_t *set)
{
    size_t cap = set->cap ? set->cap * 2 : 64;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    for (size_t n = 0; n < set->count; n++) {
        const strset_item_t *it = &set->items[n];
        set->slots[find_slot(set, it->s, it->len, it->hash)] =
            slot_of(it->hash, n);
    }
    return 0;
}

static char *arena_copy(strset_t *set, const char *s, size_t len)
{
    size_t need = len + 1;
    if (!set->nchunks || set->used + need > CHUNK_SIZE ||
        need > CHUNK_SIZE) {
        size_t size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
        char **chunks = realloc(set->chunks,
                                (set->nchunks + 1) * sizeof *chunks);
        if (!chunks)
            return NULL;
        set->chunks = chunks;
        char *chunk = malloc(size);
        if (!chunk)
            return NULL;
        set->bytes += size;
        if (size > CHUNK_SIZE && set->nchunks) {
            /* An oversized string gets a chunk of its own, slipped in
             * before the current chunk, which keeps filling up. */
            chunks[set->nchunks] = chunks[set->nchunks - 1];
            chunks[set->nchunks - 1] = chunk;
            set->nchunks++;
            memcpy(chunk, s, len);
            chunk[len] = '\0';
            return chunk;
        }
        chunks[set->nchunks++] = chunk;
        set->used = 0;
    }
    char *p = set->chunks[set->nchunks - 1] + set->used;
    memcpy(p, s, len);
    p[len] = '\0';
    set->used += need;
    return p;
}

long strset_intern(strset_t *set, const char *s, size_t len, int *added)
{
    if (added)
        *added = 0;
    uint32_t hash = slot_hash(s, len);
    size_t i = 0;
    if (set->cap) { /* found: the usual case, with nothing else to do */
        i = find_slot(set, s, len, hash);
        if (set->slots[i])
            return (long)(uint32_t)set->slots[i] - 1;
    }
    if (len > UINT32_MAX || set->count >= UINT32_MAX - 1)
        return -1;
    if ((set->count + 1) * 4 > set->cap * 3) {
        if (grow_slots(set) < 0)
            return -1;
        i = find_slot(set, s, len, hash);
    }
    if (array_grow((void **)&set->items, &set->capitems, set->count + 1,
                   sizeof *set->items, 64) < 0)
        return -1;
    char *copy = arena_copy(set, s, len);
    if (!copy)
        return -1;
    set->items[set->count] = (strset_item_t){copy, (uint32_t)len, hash};
    set->slots[i] = slot_of(hash, set->count++);
    if (added)
        *added = 1;
    return (long)set->count - 1;
}

long strset_find(const strset_t *set, const char *s, size_t len)
{
    if (!set->cap)
        return -1;
    size_t i = find_slot(set, s, len, slot_hash(s, len));
    return set->slots[i] ? (long)(uint32_t)set->slots[i] - 1 : -1;
}

/* Sorting: each string's next eight bytes as a big-endian number (zeros
 * past its end) and its number. */
struct strset_key {
    uint64_t key;
    uint32_t n;
};

#define SORT_SMALL 32 /* runs this short: insertion sort */

/* memcmp order, a prefix first. */
static int item_cmp(const strset_item_t *x, const strset_item_t *y)
{
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* By key, then (keys equal) by the whole strings. */
static void insertion_sort(const strset_t *set, struct strset_key *a,
                           size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct strset_key x = a[i];
        size_t j = i;
        for (; j > 0; j--) {
            const struct strset_key *y = &a[j - 1];
            if (y->key < x.key ||
                (y->key == x.key && item_cmp(&set->items[y->n],
                                             &set->items[x.n]) < 0))
                break;
            a[j] = *y;
        }
        a[j] = x;
    }
}

/* Sets the keys of a[0..n) to the strings' bytes off..off+8. */
static void load_keys(const strset_t *set, struct strset_key *a, size_t n,
                      size_t off)
{
    for (size_t i = 0; i < n; i++) {
        const strset_item_t *it = &set->items[a[i].n];
        unsigned char b[8] = {0};
        if (it->len > off)
            memcpy(b, it->s + off, it->len - off < 8 ? it->len - off : 8);
        uint64_t k = 0;
        for (int j = 0; j < 8; j++)
            k = k << 8 | b[j];
        a[i].key = k;
    }
}

/* Sorts a[0..n), whose strings are equal before byte off + d and whose
 * keys hold bytes off..off+8 (tmp: room for n keys).  Most significant
 * byte first: a counting pass and a scatter per byte, runs of up to
 * SORT_SMALL by insertion; past the key's eighth byte, the next eight.
 * A level of recursion (2 KB of stack) per byte where the strings part at
 * most: terms are at most 245 bytes. */
static void radix_sort(const strset_t *set, struct strset_key *a,
                       struct strset_key *tmp, size_t n, size_t off, int d)
{
    while (n > SORT_SMALL) {
        if (d == 8) { /* equal up to off + 8 */
            size_t longer = 0;
            for (size_t i = 0; i < n; i++)
                longer += set->items[a[i].n].len > off + 8;
            if (longer < 2)
                break; /* they differ only in NULs against the padding */
            off += 8;
            d = 0;
            load_keys(set, a, n, off);
        }
        int shift = 56 - 8 * d;
        size_t at[256] = {0}; /* keys with each byte, then where they go */
        for (size_t i = 0; i < n; i++)
            at[a[i].key >> shift & 255]++;
        d++;
        if (at[a[0].key >> shift & 255] == n)
            continue; /* every key has this byte */
        for (size_t v = 0, start = 0; v < 256; v++) {
            size_t c = at[v];
            at[v] = start;
            start += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[at[a[i].key >> shift & 255]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
        /* at[v] is now the end of byte v's run */
        for (size_t v = 0, start = 0; v < 256; start = at[v++])
            if (at[v] - start > 1)
                radix_sort(set, a + start, tmp, at[v] - start, off, d);
        return;
    }
    insertion_sort(set, a, n);
}

int strset_sort(const strset_t *set, const uint32_t *ids, size_t n,
                strset_order_t *order)
{
    if (n > order->cap) {
        size_t cap = n < 64 ? 64 : n;
        uint32_t *v = malloc(cap * sizeof *v);
        struct strset_key *keys = malloc(2 * cap * sizeof *keys);
        if (!v || !keys) {
            free(v);
            free(keys);
            return -1;
        }
        strset_order_free(order);
        *order = (strset_order_t){v, keys, cap};
    }
    for (size_t i = 0; i < n; i++)
        order->keys[i].n = ids ? ids[i] : (uint32_t)i;
    load_keys(set, order->keys, n, 0);
    radix_sort(set, order->keys, order->keys + order->cap, n, 0, 0);
    for (size_t i = 0; i < n; i++)
        order->v[i] = order->keys[i].n;
    return 0;
}

void strset_order_free(strset_order_t *order)
{
    free(order->v);
    free(order->keys);
    memset(order, 0, sizeof *order);
}
