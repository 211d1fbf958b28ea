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
