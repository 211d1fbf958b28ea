/*
 * stem.c - folded Snowball stems through the Xapian wrapper, cached.
 *
 * stemmer_stem(word) = fold_string(Xapian::Stem(language)(word)).  The
 * Snowball call costs about a microsecond, a post repeats its words, so
 * each stemmer remembers the words it has seen:
 *
 *   - an open-addressing hash table (linear probing, power-of-two size, at
 *     most half full) of stem_entry_t, keyed by the lowercase word;
 *   - the strings in an arena of chunks, each entry being
 *     "word\0folded-stem\0", so a stem never moves once handed out.
 *
 * A word longer than WORD_MAX bytes is not looked up: its stem goes to the
 * arena (so it lives as long as the others) but not to the table.
 *
 * The cache is bounded: when it holds STEM_CACHE_WORDS words or
 * STEM_CACHE_BYTES bytes of strings it is emptied.  The chunks of the
 * generation being emptied are kept until the next emptying, so a stem
 * stays valid across one flush (see stem.h).
 *
 * An indexer stems each word of its vocabulary once and needs no cache:
 * stemmer_stem_once goes to Snowball directly.
 */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "stem.h"
#include "../xapian/xapian_c.h"

#define CHUNK_SIZE (64 * 1024)    /* default arena chunk */
#define TABLE_MIN 1024            /* initial number of slots */
#define STEM_BUF 256              /* stack room for a raw stem */
#define WORD_MAX 1024             /* longer words are stemmed, not cached */

typedef struct stem_entry {
    const char *word;  /* lowercase word, NUL, folded stem, NUL; NULL: free */
    uint32_t hash;     /* hash of the word */
    uint16_t word_len; /* bytes of the word (<= WORD_MAX) */
    uint16_t stem_len; /* bytes of the folded stem
                          (<= WORD_MAX * FOLD_MAX) */
} stem_entry_t;

typedef struct chunk {
    struct chunk *next; /* older chunk */
    size_t size;        /* bytes in data */
    size_t used;        /* bytes of data in use */
    char data[];
} chunk_t;

struct stemmer {
    xap_stemmer_t *xs;     /* the Snowball stemmer, through the wrapper */
    stem_entry_t *table;   /* the slots */
    size_t mask;           /* number of slots - 1 */
    size_t count;          /* words in the cache */
    size_t bytes;          /* bytes of arena in use this generation */
    chunk_t *chunks;       /* this generation's arena, newest first */
    chunk_t *old_chunks;   /* the previous generation's, freed at the next
                              flush */
    char *once;            /* stemmer_stem_once's stem */
    size_t oncecap;
};

static void free_chunks(chunk_t *c)
{
    while (c != NULL) {
        chunk_t *next = c->next;
        free(c);
        c = next;
    }
}

/* Room for n bytes at the end of the arena (not yet counted as used). */
static char *arena_reserve(stemmer_t *s, size_t n)
{
    chunk_t *c = s->chunks;

    if (c == NULL || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        c = malloc(sizeof *c + size);
        if (c == NULL)
            return NULL;
        c->size = size;
        c->used = 0;
        c->next = s->chunks;
        s->chunks = c;
    }
    return c->data + c->used;
}

static void arena_commit(stemmer_t *s, size_t n)
{
    s->chunks->used += n;
    s->bytes += n;
}

/* FNV-1a, 32 bits: words are short. */
static uint32_t hash_word(const char *w, size_t n)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h;
}

/* Empties the cache; the previous generation's strings are freed, this
 * one's kept for one more generation. */
static void flush(stemmer_t *s)
{
    free_chunks(s->old_chunks);
    s->old_chunks = s->chunks;
    s->chunks = NULL;
    memset(s->table, 0, (s->mask + 1) * sizeof *s->table);
    s->count = 0;
    s->bytes = 0;
}

/* The first free slot from hash h's own, in a table of mask + 1 slots. */
static inline size_t free_slot(const stem_entry_t *table, size_t mask,
                               uint32_t h)
{
    size_t i = h & mask;
    while (table[i].word != NULL)
        i = (i + 1) & mask;
    return i;
}

/* Doubles the table; -1 when memory ran out (the table is unchanged). */
static int grow(stemmer_t *s)
{
    size_t slots = 2 * (s->mask + 1);
    stem_entry_t *table = malloc(slots * sizeof *table);

    if (table == NULL)
        return -1;
    /* Zeroed by writing, not by calloc: a probe reads a slot before it is
     * written, and a fresh page read and then written costs two faults
     * and a TLB flush on every core the process runs on (perf, 20 MB
     * corpus: 1.8% of the run).  explicit_bzero, as the compiler turns
     * malloc + memset back into calloc. */
    explicit_bzero(table, slots * sizeof *table);
    for (size_t i = 0; i <= s->mask; i++) {
        const stem_entry_t *e = &s->table[i];
        if (e->word != NULL)
            table[free_slot(table, slots - 1, e->hash)] = *e;
    }
    free(s->table);
    s->table = table;
    s->mask = slots - 1;
    return 0;
}

stemmer_t *stemmer_new(trouve_lang_t lang)
{
    const char *name = lang == TROUVE_LANG_EN ? "english"
                       : lang == TROUVE_LANG_FR ? "french" : NULL;
    if (name == NULL)
        return NULL;
    stemmer_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->table = calloc(TABLE_MIN, sizeof *s->table);
    s->mask = TABLE_MIN - 1;
    if (s->table == NULL || (s->xs = xap_stemmer_new(name)) == NULL) {
        stemmer_free(s);
        return NULL;
    }
    return s;
}

void stemmer_free(stemmer_t *s)
{
    if (s == NULL)
        return;
    xap_stemmer_free(s->xs);
    free(s->once);
    free(s->table);
    free_chunks(s->chunks);
    free_chunks(s->old_chunks);
    free(s);
}

/* The raw (unfolded) Snowball stem of word[0..len), *n bytes: in buf
 * (STEM_BUF bytes) or, when longer, in *heap (for the caller to free);
 * the word itself when the stemmer fails.  NULL when memory ran out. */
static const char *snowball(stemmer_t *s, const char *word, size_t len,
                            char *buf, char **heap, size_t *n)
{
    *heap = NULL;
    long r = xap_stem(s->xs, word, len, buf, STEM_BUF);
    if (r >= STEM_BUF) {
        if ((*heap = malloc((size_t)r + 1)) == NULL)
            return NULL;
        r = xap_stem(s->xs, word, len, *heap, (size_t)r + 1);
        if (r >= 0) {
            *n = (size_t)r;
            return *heap;
        }
    }
    if (r < 0) { /* the stemmer failed: the word is its own stem */
        *n = len;
        return word;
    }
    *n = (size_t)r;
    return buf;
}

/* Stems word[0..len) and stores "word\0folded-stem\0" in the arena;
 * returns the stored string, or NULL when memory ran out. */
static char *store_stem(stemmer_t *s, const char *word, size_t len,
                        size_t *stem_len)
{
    char buf[STEM_BUF], *heap, *out = NULL;
    size_t n;
    const char *raw = snowball(s, word, len, buf, &heap, &n);
    if (raw != NULL &&
        (out = arena_reserve(s, len + 1 + n * FOLD_MAX + 1)) != NULL) {
        memcpy(out, word, len);
        out[len] = '\0';
        *stem_len = fold_string(raw, n, out + len + 1);
        arena_commit(s, len + 1 + *stem_len + 1);
    }
    free(heap);
    return out;
}

/* The entry of word[0..len) (hash h), or NULL with *slot set to the free
 * slot where it would go. */
static inline stem_entry_t *find_entry(stemmer_t *s, const char *word,
                                       size_t len, uint32_t h, size_t *slot)
{
    size_t i = h & s->mask;
    for (; s->table[i].word != NULL; i = (i + 1) & s->mask) {
        stem_entry_t *e = &s->table[i];
        if (e->hash == h && e->word_len == len &&
            memcmp(e->word, word, len) == 0)
            return e;
    }
    *slot = i;
    return NULL;
}

/* Makes room for a new word of hash h whose free slot find_entry gave in
 * *slot: empties the cache when it is full, doubles the table when it is
 * half full; *slot is the word's slot then.  -1 when memory ran out. */
static inline int make_room(stemmer_t *s, uint32_t h, size_t *slot)
{
    if (s->count >= STEM_CACHE_WORDS || s->bytes >= STEM_CACHE_BYTES) {
        flush(s);
        *slot = h & s->mask;
    } else if (2 * (s->count + 1) > s->mask + 1) {
        if (grow(s) < 0)
            return -1;
        *slot = free_slot(s->table, s->mask, h);
    }
    return 0;
}

/* Fills slot i with the stored "word\0stem\0" of hash h. */
static inline void add_entry(stemmer_t *s, size_t i, const char *stored,
                             uint32_t h, size_t len, size_t stem_len)
{
    s->table[i].word = stored;
    s->table[i].hash = h;
    s->table[i].word_len = (uint16_t)len;
    s->table[i].stem_len = (uint16_t)stem_len;
    s->count++;
}

const char *stemmer_stem(stemmer_t *s, const char *lower, size_t len,
                         size_t *stem_len)
{
    uint32_t h = hash_word(lower, len);
    size_t i, n;

    if (len > WORD_MAX) { /* stemmed every time, not cached */
        if (s->bytes >= STEM_CACHE_BYTES)
            flush(s);
        char *stored = store_stem(s, lower, len, &n);
        if (stored == NULL)
            return NULL;
        *stem_len = n;
        return stored + len + 1;
    }
    stem_entry_t *e = find_entry(s, lower, len, h, &i);
    if (e != NULL) {
        *stem_len = e->stem_len;
        return e->word + len + 1;
    }

    /* a new word: make room, then stem it */
    if (make_room(s, h, &i) < 0)
        return NULL;
    char *stored = store_stem(s, lower, len, &n);
    if (stored == NULL)
        return NULL;
    add_entry(s, i, stored, h, len, n);
    *stem_len = n;
    return stored + len + 1;
}

const char *stemmer_stem_once(stemmer_t *s, const char *lower, size_t len,
                              size_t *stem_len)
{
    char buf[STEM_BUF], *heap;
    size_t n;
    const char *raw = snowball(s, lower, len, buf, &heap, &n);
    if (raw == NULL)
        return NULL;
    if (n * FOLD_MAX + 1 > s->oncecap) {
        char *p = realloc(s->once, n * FOLD_MAX + 1);
        if (p == NULL) {
            free(heap);
            return NULL;
        }
        s->once = p;
        s->oncecap = n * FOLD_MAX + 1;
    }
    *stem_len = fold_string(raw, n, s->once);
    free(heap);
    return s->once;
}
