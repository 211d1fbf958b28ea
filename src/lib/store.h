/*
 * store.h - what the index keeps of each post besides its terms.
 *
 * Value SLOT_STAMP, the file's stamp (16 + 4 bytes):
 *     u64be size | u64be mtime in nanoseconds | u32be crc32 of the content
 *
 * Value SLOT_PASSAGES, the passage table:
 *     varint count, then per passage:
 *     varint start - previous end | varint length | varint line - previous
 *     line | varint words | u8 (lang | heading << 2)
 *   Word ordinals are implicit: passage i starts at the sum of the words
 *   of the passages before it.
 *
 * Value SLOT_COUNTS: varint passages (unknown, en, fr) | varint text bytes.
 *
 * Value SLOT_WHERE, where the post's words are: which passages hold each
 * word (stop words aside).  Words are keyed by a 16-bit hash, so the table
 * needs no copy of the post's vocabulary; two words of one post with the
 * same hash share one entry (the union of their passages: a little noise
 * in ranking, never in snippets, which come from the text).  A zlib stream
 * of:
 *     varint entries | entries x varint hash - previous hash (ascending) |
 *     entries x (varint count | count x varint ((passage - previous
 *     passage) << 2 | (occurrences in the passage, 1 to 4) - 1))
 *   The first passage of a list is a gap from 0.
 *
 * Document data, the post's text for snippets:
 *     u8 version (1) | varint title length | title | varint text length |
 *     zlib stream of the text
 */
#ifndef TROUVE_STORE_H
#define TROUVE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../text/passage.h"
#include "buf.h"

typedef struct post_stamp {
    uint64_t size;      /* file size in bytes */
    int64_t mtime_ns;   /* modification time, nanoseconds since the epoch */
    uint32_t crc;       /* zlib crc32 of the file's bytes */
} post_stamp_t;

void stamp_encode(const post_stamp_t *stamp, buf_t *out, int *rc);
/* Returns 0, or -1 if the bytes are not a stamp. */
int stamp_decode(const char *p, size_t n, post_stamp_t *stamp);

void passages_encode(const passage_t *v, size_t n, buf_t *out, int *rc);
/* Decodes into a malloc()ed array (*v, *count), first_word filled in.
 * Returns 0, or -1 on malformed input (*v NULL) or lack of memory. */
int passages_decode(const char *p, size_t n, passage_t **v, size_t *count);

/* Where the words of a post are, decoded. */
typedef struct where {
    uint16_t *hashes;    /* ascending */
    uint32_t *first;     /* entry i's passages: passages[first[i] ..
                            first[i + 1]) */
    uint32_t *passages;  /* passage numbers, ascending within an entry */
    uint8_t *counts;     /* occurrences in each (1 to 4, 4 meaning more) */
    size_t n;            /* entries */
    buf_t raw;           /* the inflated value (reused) */
    size_t cap, cappassages;
} where_t;

/* The 16-bit key of a word in SLOT_WHERE. */
uint16_t where_hash(const char *term, size_t len);

/* A word's occurrences in a passage, as where_encode takes them. */
#define WHERE_PAIR(hash, passage, count)                                    \
    ((uint64_t)(hash) << 48 | (uint64_t)(passage) << 8 | (count))

/* Appends the encoding of `n` pairs made by WHERE_PAIR, sorted, one per
 * word and passage, compressed at zlib `level`. */
void where_encode(const uint64_t *pairs, size_t n, int level, buf_t *out,
                  int *rc);

/* Decodes a SLOT_WHERE value into w (whose buffers are reused).  Returns
 * 0, or -1 when malformed or out of memory. */
int where_decode(const char *p, size_t n, where_t *w);

/* The passages of the word with hash h: *count of them at the returned
 * pointer, their occurrence counts at *occurrences (NULL, 0 when the post
 * does not have the word). */
const uint32_t *where_find(const where_t *w, uint16_t h, size_t *count,
                           const uint8_t **occurrences);

void where_free(where_t *w);

typedef struct post_counts {
    uint64_t passages[3]; /* indexed by trouve_lang_t */
    uint64_t text_bytes;
} post_counts_t;

void counts_encode(const post_counts_t *c, buf_t *out, int *rc);
int counts_decode(const char *p, size_t n, post_counts_t *c);

/* Appends the data of a post: title (may be NULL) and text, compressed
 * at `level` (zlib 1..9). */
void post_data_encode(const char *title, const char *text, size_t len,
                      int level, buf_t *out, int *rc);

/* Decodes the title (and the text, when `text` is not NULL) of a post's
 * data into malloc()ed, NUL-terminated strings.  Returns 0, or -1 when the
 * data is malformed or memory ran out (outputs NULL). */
int post_data_decode(const char *p, size_t n, char **title, char **text,
                     size_t *text_len);

#endif
