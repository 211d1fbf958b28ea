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
 * A shared cache (stem_shared_t) is a stemmer's table and arena behind a
 * mutex.  A stemmer given one looks a word new to it up there before
 * running Snowball, and adds what Snowball gave; either way the word and
 * its stem are copied into the stemmer's own arena, so what it hands out
 * and when it flushes are as without the shared cache.  Snowball runs
 * outside the mutex.
 */
#include <pthread.h>
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
    uint16_t word_len : 15; /* bytes of the word (<= WORD_MAX) */
    uint16_t seen : 1;      /* already asked for by stemmer_stem_seen */
    uint16_t stem_len;      /* bytes of the folded stem
                               (<= WORD_MAX * FOLD_MAX) */
} stem_entry_t;

typedef struct chunk {
    struct chunk *next; /* older chunk */
    size_t size;        /* bytes in data */
    size_t used;        /* bytes of data in use */
    char data[];
} chunk_t;

struct stem_shared {
    pthread_mutex_t lock;  /* guards cache */
    stemmer_t *cache;      /* the words and stems (cache_new: no Snowball
                              stemmer) */
};

struct stemmer {
    xap_stemmer_t *xs;     /* the Snowball stemmer, through the wrapper */
    stem_shared_t *shared; /* looked up before xs, or NULL */
    stem_entry_t *table;   /* the slots */
    size_t mask;           /* number of slots - 1 */
    size_t count;          /* words in the cache */
    size_t bytes;          /* bytes of arena in use this generation */
    chunk_t *chunks;       /* this generation's arena, newest first */
    chunk_t *old_chunks;   /* the previous generation's, freed at the next
                              flush */
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

/* A stemmer's table and arena with no Snowball stemmer (xs NULL):
 * stemmer_new adds one; a stem_shared_t's cache, which only takes stems
 * in and hands them out, needs none. */
static stemmer_t *cache_new(void)
{
    stemmer_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->table = calloc(TABLE_MIN, sizeof *s->table);
    s->mask = TABLE_MIN - 1;
    if (s->table == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

stemmer_t *stemmer_new(trouve_lang_t lang)
{
    const char *name = lang == TROUVE_LANG_EN ? "english"
                       : lang == TROUVE_LANG_FR ? "french" : NULL;
    stemmer_t *s;

    if (name == NULL || (s = cache_new()) == NULL)
        return NULL;
    if ((s->xs = xap_stemmer_new(name)) == NULL) {
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
    free(s->table);
    free_chunks(s->chunks);
    free_chunks(s->old_chunks);
    free(s);
}

/* Stems word[0..len) and stores "word\0folded-stem\0" in the arena;
 * returns the stored string, or NULL when memory ran out. */
static char *store_stem(stemmer_t *s, const char *word, size_t len,
                        size_t *stem_len)
{
    char buf[STEM_BUF];
    char *heap = NULL;       /* a stem too long for buf */
    const char *raw = buf;   /* the stem before folding */
    long n = xap_stem(s->xs, word, len, buf, sizeof buf);

    if (n >= (long)sizeof buf) {
        heap = malloc((size_t)n + 1);
        if (heap == NULL)
            return NULL;
        n = xap_stem(s->xs, word, len, heap, (size_t)n + 1);
        raw = heap;
    }
    if (n < 0) { /* the stemmer failed: the word is its own stem */
        raw = word;
        n = (long)len;
    }
    char *out = arena_reserve(s, len + 1 + (size_t)n * FOLD_MAX + 1);
    if (out != NULL) {
        memcpy(out, word, len);
        out[len] = '\0';
        *stem_len = fold_string(raw, (size_t)n, out + len + 1);
        arena_commit(s, len + 1 + *stem_len + 1);
    }
    free(heap);
    return out;
}

/* Stores "word\0stem\0" for a stem already folded; returns the stored
 * string, or NULL when memory ran out. */
static char *store_copy(stemmer_t *s, const char *word, size_t len,
                        const char *stem, size_t stem_len)
{
    char *out = arena_reserve(s, len + 1 + stem_len + 1);
    if (out != NULL) {
        memcpy(out, word, len);
        out[len] = '\0';
        memcpy(out + len + 1, stem, stem_len);
        out[len + 1 + stem_len] = '\0';
        arena_commit(s, len + 1 + stem_len + 1);
    }
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
                             uint32_t h, size_t len, size_t stem_len,
                             int seen)
{
    s->table[i].word = stored;
    s->table[i].hash = h;
    s->table[i].word_len = (uint16_t)len;
    s->table[i].seen = seen != 0;
    s->table[i].stem_len = (uint16_t)stem_len;
    s->count++;
}

/* Stores a word new to s (stemmed with its own Snowball stemmer, or
 * copied from the shared cache), as store_stem does. */
static char *store_new(stemmer_t *s, const char *word, size_t len,
                       uint32_t h, size_t *stem_len)
{
    stem_shared_t *sh = s->shared;
    if (sh == NULL)
        return store_stem(s, word, len, stem_len);
    size_t i;
    char *stored = NULL;
    int found;
    pthread_mutex_lock(&sh->lock);
    const stem_entry_t *e = find_entry(sh->cache, word, len, h, &i);
    if ((found = e != NULL) != 0) {
        *stem_len = e->stem_len;
        stored = store_copy(s, word, len, e->word + len + 1, e->stem_len);
    }
    pthread_mutex_unlock(&sh->lock);
    if (found)
        return stored;
    if ((stored = store_stem(s, word, len, stem_len)) == NULL)
        return NULL;
    /* For the other threads; a copy that fails only costs them Snowball. */
    pthread_mutex_lock(&sh->lock);
    if (find_entry(sh->cache, word, len, h, &i) == NULL &&
        make_room(sh->cache, h, &i) == 0) {
        const char *copy = store_copy(sh->cache, word, len,
                                      stored + len + 1, *stem_len);
        if (copy != NULL)
            add_entry(sh->cache, i, copy, h, len, *stem_len, 0);
    }
    pthread_mutex_unlock(&sh->lock);
    return stored;
}

const char *stemmer_stem(stemmer_t *s, const char *lower, size_t len,
                         size_t *stem_len)
{
    return stemmer_stem_seen(s, lower, len, stem_len, NULL);
}

const char *stemmer_stem_seen(stemmer_t *s, const char *lower, size_t len,
                              size_t *stem_len, int *seen)
{
    if (seen)
        *seen = 0;
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
        if (seen) {
            *seen = e->seen;
            e->seen = 1;
        }
        *stem_len = e->stem_len;
        return e->word + len + 1;
    }

    /* a new word: make room, then stem it */
    if (make_room(s, h, &i) < 0)
        return NULL;
    char *stored = store_new(s, lower, len, h, &n);
    if (stored == NULL)
        return NULL;
    add_entry(s, i, stored, h, len, n, seen != NULL);
    *stem_len = n;
    return stored + len + 1;
}

stemmer_t *stemmer_new_shared(trouve_lang_t lang, stem_shared_t *shared)
{
    stemmer_t *s = stemmer_new(lang);
    if (s != NULL)
        s->shared = shared;
    return s;
}

stem_shared_t *stem_shared_new(void)
{
    stem_shared_t *sh = calloc(1, sizeof *sh);
    if (sh == NULL)
        return NULL;
    if ((sh->cache = cache_new()) == NULL ||
        pthread_mutex_init(&sh->lock, NULL) != 0) {
        stemmer_free(sh->cache);
        free(sh);
        return NULL;
    }
    return sh;
}

void stem_shared_free(stem_shared_t *sh)
{
    if (sh == NULL)
        return;
    pthread_mutex_destroy(&sh->lock);
    stemmer_free(sh->cache);
    free(sh);
}
