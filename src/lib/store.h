/*
 * store.h - what the index keeps of each post besides its terms.
 * store.c encodes and decodes it, but for SLOT_WHERE (where.c); both use
 * the bit codes of bits.h.
 *
 * Value SLOT_STAMP, the file's stamp (16 + 4 + 1 bytes):
 *     u64be size | u64be mtime in nanoseconds | u32be crc32 of the content
 *     | u8 the ANALYSIS_VERSION the post was analysed under (a stamp of
 *     20 bytes, written before the stamp had it, reads as 0)
 *
 * Value SLOT_PASSAGES, the passage table:
 *     u8 version (2) | varint count n | 4 x u8 Rice parameters k1..k4 |
 *     a bit stream as in SLOT_WHERE (below), padded with zeros to a byte:
 *     n x Rice(start - previous end, k1) | n x Rice(length in bytes, k2) |
 *     n x (Rice(line - previous line, k3), 3 bits heading << 2 | lang) |
 *     n x Rice(words, k4)
 *   Each k is the one that codes its column in the fewest bits.  Word
 *   ordinals are implicit: passage i starts at the sum of the words of the
 *   passages before it.  On the man-page corpus: 314 KB, where version 1
 *   (varint rows) took 515 KB and deflated columns 339 KB, without the
 *   inflate (60,000 instructions a table) on the query path.
 *
 * Value SLOT_COUNTS: varint passages (unknown, en, fr) | varint text bytes.
 *
 * Value SLOT_WHERE, where the post's words are: which passages hold each
 * word (stop words aside).  Words are keyed by a 16-bit hash, so the table
 * needs no copy of the post's vocabulary; two words of one post with the
 * same hash share one entry (the union of their passages: the search
 * checks the best passages' words in their text, ranker_check).
 *     u8 version (3) | varint entries E | varint passages P (the highest
 *     passage number + 1) | varint kb | bit streams, most significant bit
 *     first, each padded with zeros to a byte:
 *       the words:
 *       E x Rice(hash - previous hash - 1, kh) (the first: Rice(hash, kh)),
 *           kh = floor(log2(65536 / E))
 *       E x gamma(passages of the entry)
 *       B - 1 x Rice(bits of the lists of block b, kb), B = ceil(E / 16):
 *           entries go by blocks of 16, whose lists are read together
 *       the lists, block after block:
 *       E x, for each passage of the entry, ascending:
 *           Rice(passage - previous passage - 1, k) (the first:
 *           Rice(passage, k)), k = max(0, floor(log2(P / count)) - 1),
 *           then its occurrences: 1 "0", 2 "10", 3 "110", 4 or more "111"
 *   Rice(v, k) is v >> k zeros, a one, and the low k bits of v;
 *   gamma(v) is floor(log2 v) zeros and v in floor(log2 v) + 1 bits.
 *   On the man-page corpus this is 12% smaller than version 1 (varints
 *   under zlib).  A search reads the table of each candidate post but
 *   looks up a few words: decoding only their blocks' lists makes that
 *   4 times cheaper than inflating and decoding version 1 (callgrind).
 *
 * Document data, the post's text for snippets:
 *     u8 version (3) | varint title length | title | varint text length |
 *     text
 *   Not compressed here: glass compresses document data itself (zlib), so
 *   text compressed here was compressed twice, the second time in vain
 *   (callgrind: 10% fewer instructions for the indexing run, and the
 *   index 0.3% smaller, with the text handed to Xapian plain).  Versions
 *   1 and 2 deflated it.  A preset deflate dictionary was measured too:
 *   the Snowball stop words of both languages saved 0.7% of the text;
 *   one made of the man-page corpus 19%, but that is the benchmark, not
 *   posts in general.  Neither is used.
 */
#ifndef TROUVE_STORE_H
#define TROUVE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../text/passage.h"
#include "buf.h"

/* What turns a post into its document (cutting, folding, stems, the
 * tables): bumped when a change to it gives another document for the same
 * file, so that a post analysed under another version is read again by
 * the next run, as if its file had changed.  0: stamps without it; 1:
 * words ending in + or # (C++, C#; analysis/token.h). */
#define ANALYSIS_VERSION 1

typedef struct post_stamp {
    uint64_t size;      /* file size in bytes */
    int64_t mtime_ns;   /* modification time, nanoseconds since the epoch */
    uint32_t crc;       /* zlib crc32 of the file's bytes */
    uint8_t analysis;   /* ANALYSIS_VERSION when the post was analysed */
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
    uint32_t *passages;  /* passage numbers, ascending within an entry
                            (filled block by block, by where_find) */
    uint8_t *counts;     /* occurrences in each (1 to 4, 4 meaning more) */
    size_t n;            /* entries */
    uint32_t npassages;  /* passages in the post (P) */
    uint64_t *block_bit; /* where each block's lists start, in bits from
                            the start of `lists` */
    uint8_t *block_state;/* each block: 0 not decoded yet, 1 decoded,
                            2 damaged (its words read as absent) */
    buf_t lists;         /* the lists' bits, copied from the value */
    size_t cap;          /* entries hashes[] and first[] have room for */
    size_t capblocks;    /* blocks block_bit[] and block_state[] have room
                            for */
    size_t cappassages;  /* references passages[] and counts[] have room
                            for */
} where_t;

/* The 16-bit key of a word in SLOT_WHERE. */
uint16_t where_hash(const char *term, size_t len);

/* A word's occurrences in a passage, as where_encode takes them. */
#define WHERE_PAIR(hash, passage, count)                                    \
    ((uint64_t)(hash) << 48 | (uint64_t)(passage) << 8 | (count))

/* Sorts pairs made by WHERE_PAIR for where_encode: by hash, then
 * passage.  Fast when they were made passage after passage.  Returns 0,
 * or -1 when memory ran out (pairs unchanged). */
int where_sort(uint64_t *pairs, size_t n);

/* Appends the encoding of `n` pairs made by WHERE_PAIR, sorted, one per
 * word and passage (Rice codes, compact already: no zlib). */
void where_encode(const uint64_t *pairs, size_t n, buf_t *out, int *rc);

/* Decodes the words of a SLOT_WHERE value into w (whose buffers are
 * reused): hashes and counts now, the passage lists when where_find asks
 * for them (the value is copied: it need not outlive the call).  Returns
 * 0, or -1 when malformed or out of memory. */
int where_decode(const char *p, size_t n, where_t *w);

/* The passages of the word with hash h: *count of them at the returned
 * pointer, their occurrence counts at *occurrences (NULL, 0 when the post
 * does not have the word, or when its block of the table is damaged).
 * Decodes the word's block of lists the first time; the pointers stay
 * valid until the next where_decode or where_free. */
const uint32_t *where_find(where_t *w, uint16_t h, size_t *count,
                           const uint8_t **occurrences);

void where_free(where_t *w);

typedef struct post_counts {
    uint64_t passages[3]; /* indexed by trouve_lang_t */
    uint64_t text_bytes;
} post_counts_t;

void counts_encode(const post_counts_t *c, buf_t *out, int *rc);
int counts_decode(const char *p, size_t n, post_counts_t *c);

/* Appends the data of a post: title (may be NULL) and text (Xapian
 * compresses the data). */
void post_data_encode(const char *title, const char *text, size_t len,
                      buf_t *out, int *rc);

/* Decodes the title (and the text, when `text` is not NULL) of a post's
 * data into malloc()ed, NUL-terminated strings.  Returns 0, or -1 when the
 * data is malformed or memory ran out (outputs NULL). */
int post_data_decode(const char *p, size_t n, char **title, char **text,
                     size_t *text_len);

#endif
