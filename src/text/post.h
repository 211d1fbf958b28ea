/*
 * post.h - reading a post from disk into UTF-8 text.
 *
 * A post is a file in one of the formats trouve reads (plain text,
 * Markdown, HTML), possibly gzip-compressed.  Reading it gives the text a
 * reader sees, as valid UTF-8: markup removed, entities decoded, front
 * matter taken out and kept as title, language and date.  A title from
 * markup (front matter's, <title>) also opens the text, as a paragraph of
 * its own, unless the text starts with it: a post is found by its title.
 *
 * Line numbers: the extracted text keeps the file's line breaks wherever it
 * can, and `anchors` record where it cannot (front matter removed, HTML
 * blocks, the title put first), so the line of any byte of the text is
 * known (post_line_at).
 */
#ifndef TROUVE_POST_H
#define TROUVE_POST_H

#include <stddef.h>
#include <stdint.h>
#include "../trouve.h"

typedef enum post_format {
    POST_FORMAT_NONE = 0, /* not a post */
    POST_FORMAT_TEXT,     /* .txt, .text, and files with no extension */
    POST_FORMAT_MARKDOWN, /* .md, .markdown */
    POST_FORMAT_HTML      /* .html, .htm, .xhtml */
} post_format_t;

/* The format of a file from its name; a final .gz is looked through. */
post_format_t post_format_of(const char *path);

/* 1 if the name ends in .gz */
int post_is_gzip(const char *path);

/* From byte `offset` of the text on, lines are numbered from `line`. */
typedef struct line_anchor {
    uint32_t offset;
    uint32_t line;
} line_anchor_t;

/* From byte `offset` on, the post declares its language `lang` (front
 * matter, an HTML lang attribute).  UNKNOWN ends a declaration. */
typedef struct lang_mark {
    uint32_t offset;
    trouve_lang_t lang;
} lang_mark_t;

typedef struct post_text {
    char *text;              /* UTF-8, NUL-terminated; owned */
    size_t len;              /* bytes in text */
    char *title;             /* from front matter or <title>; NULL if none */
    char *date;              /* from front matter; NULL if none */
    line_anchor_t *anchors;  /* sorted by offset, first at offset 0 */
    size_t nanchors;
    lang_mark_t *langs;      /* sorted by offset; may be empty */
    size_t nlangs;
    unsigned flags;          /* POST_* below */
    uint32_t crc;            /* zlib crc32 of every byte of the file (also
                                past a cap), computed in the same read:
                                set by post_read and on the last part of a
                                post_stream; 0 from post_parse */
} post_text_t;

#define POST_TRUNCATED (1u << 0) /* the file was larger than the cap */
#define POST_CP1252    (1u << 1) /* not UTF-8: read as Windows-1252 */
#define POST_UTF16     (1u << 2) /* UTF-16 with a BOM */

typedef struct post_limits {
    size_t max_bytes;   /* stop reading (and decompressing) past this many
                           bytes of content; the post is indexed up to
                           there.  0 means POST_MAX_BYTES_DEFAULT; for
                           post_read, more than POST_MAX_BYTES_LIMIT is
                           read as that */
    size_t part_bytes;  /* post_stream: bytes of content per part; 0 means
                           POST_PART_BYTES_DEFAULT */
    unsigned gzip_ratio;/* a .gz file's content also stops at this many
                           times the file's size (but never under
                           POST_GZIP_FLOOR): a decompression bomb is cut
                           early.  0 means POST_GZIP_RATIO_DEFAULT */
} post_limits_t;

#define POST_MAX_BYTES_DEFAULT ((size_t)64 << 20) /* limits NULL or 0 */
/* The most post_read ever reads, so the text (at most 3 bytes per byte
 * read, for a Windows-1252 file) fits the 32-bit offsets of anchors and
 * passages.  A post_stream has no such limit: each part has its own
 * offsets. */
#define POST_MAX_BYTES_LIMIT ((size_t)1 << 30)
#define POST_PART_BYTES_DEFAULT ((size_t)4 << 20)
#define POST_PART_BYTES_LIMIT ((size_t)256 << 20)
#define POST_GZIP_RATIO_DEFAULT 50u
#define POST_GZIP_FLOOR ((size_t)8 << 20)

/*
 * Reads the file at `path` as a post of `format` into *out, in one part
 * (a post_stream whose part is the cap).
 * Returns TROUVE_SKIP_NONE with *out filled (free it with post_text_free),
 * or why the file was left out (TROUVE_SKIP_BINARY, TROUVE_SKIP_UNREADABLE,
 * TROUVE_SKIP_DAMAGED), with a short reason in why[0..whysz) ("Permission
 * denied", "truncated gzip stream") and *out zeroed.
 *
 * `limits` may be NULL.  A file (or a .gz file's content) larger than
 * limits->max_bytes is read up to there, cut at the last line break in its
 * last 64 KiB or else at a character boundary, and flagged POST_TRUNCATED;
 * memory stays bounded by the cap, whatever a gzip stream expands to.
 * A name ending in .gz is read through zlib (multi-member files too; bytes
 * after the last member that are not gzip are ignored, as gzip does); a
 * truncated stream or a bad CRC gives TROUVE_SKIP_DAMAGED; a gzip stream
 * inside it is not unpacked again but is TROUVE_SKIP_BINARY.  Anything but
 * a regular file (a folder, a FIFO, a device) gives TROUVE_SKIP_UNREADABLE
 * "not a regular file", without blocking: the file is opened O_NONBLOCK.
 * Symbolic links are followed: whether to is the walker's decision.
 * Out of memory gives TROUVE_SKIP_UNREADABLE with strerror(ENOMEM).
 * A .gz file's content past limits->gzip_ratio times its size is cut the
 * same way (POST_TRUNCATED).  out->crc is the crc32 of the whole file.
 */
trouve_skip_t post_read(const char *path, post_format_t format,
                        const post_limits_t *limits, post_text_t *out,
                        char *why, size_t whysz);

/* post_read from the bytes of a file already in memory (`gzip`: they are
 * gzip-compressed), for tests and fuzzing the gzip reader. */
trouve_skip_t post_read_memory(const char *bytes, size_t n, int gzip,
                               post_format_t format,
                               const post_limits_t *limits, post_text_t *out,
                               char *why, size_t whysz);

/* The same from bytes already in memory (for tests and fuzzing): `raw` is
 * the file's content after decompression.  Returns TROUVE_SKIP_NONE,
 * TROUVE_SKIP_BINARY, TROUVE_SKIP_FORMAT (format NONE) or
 * TROUVE_SKIP_UNREADABLE (out of memory).  More than POST_MAX_BYTES_LIMIT
 * bytes are cut there (POST_TRUNCATED).  When the markup gives no title,
 * the first non-empty line of the text is the title if it has at most 15
 * words. */
trouve_skip_t post_parse(const char *raw, size_t n, post_format_t format,
                         post_text_t *out, char *why, size_t whysz);

/*
 * Reading a post in parts, with memory bounded by the part size whatever
 * the file's size (a 200 MB single-line log): each part is a post_text_t
 * of at most limits->part_bytes bytes of content, cut at a paragraph or
 * line break in its last 64 KiB when there is one, else at a space, else
 * at a character.  Parts are numbered in the file: their anchors carry the
 * file's line numbers (absolute), a later part of a UTF-16 file is decoded
 * as UTF-16, the first part's title is every part's title (and opens the
 * first part's text only), and a language declared at the end of a part
 * holds at the start of the next.  Front matter and the binary sniff
 * apply to the first part only.  A Markdown or HTML construct spanning a
 * cut (a table, a <script>) is read as two halves.  The total content
 * stops at limits->max_bytes (0: no cap); the part that reaches it is
 * flagged POST_TRUNCATED and is the last, and the rest of the file is
 * still read (not decoded) for its crc32.
 */
typedef struct post_stream post_stream_t;

/* Opens `path` for reading in parts.  Returns TROUVE_SKIP_NONE with *out
 * set (close it with post_stream_close), or why not (UNREADABLE with
 * "not a regular file" for anything but a regular file, without blocking;
 * the strerror() text otherwise), *out NULL. */
trouve_skip_t post_stream_open(const char *path, post_format_t format,
                               const post_limits_t *limits,
                               post_stream_t **out, char *why, size_t whysz);

/* The same over bytes in memory (`gzip`: they are gzip-compressed); the
 * bytes must outlive the stream. */
trouve_skip_t post_stream_open_memory(const char *bytes, size_t n, int gzip,
                                      post_format_t format,
                                      const post_limits_t *limits,
                                      post_stream_t **out, char *why,
                                      size_t whysz);

/* Reads the next part into *out; *last is set to 1 when it is the post's
 * last part (then out->crc is the file's crc32).  Returns
 * TROUVE_SKIP_NONE, or why the post cannot be read (BINARY, first part
 * only; UNREADABLE; DAMAGED: a truncated or corrupt gzip stream) with
 * *out zeroed and *last 1.  Calling it again after the last part gives
 * TROUVE_SKIP_NONE with an empty part, *last 1. */
trouve_skip_t post_stream_next(post_stream_t *s, post_text_t *out,
                               int *last, char *why, size_t whysz);

/* Bytes of the file read so far (compressed bytes for .gz). */
uint64_t post_stream_file_bytes(const post_stream_t *s);

/* Closes the file and frees the stream.  NULL is a no-op. */
void post_stream_close(post_stream_t *s);

/* The line number in the file of byte `offset` of the text (an offset
 * past the end counts as the end).  Costs a binary search over the anchors
 * plus a scan from the anchor before `offset`: O(log n + distance).  For
 * many lookups at increasing offsets, use a post_line_cursor_t. */
uint32_t post_line_at(const post_text_t *post, size_t offset);

/* Line lookups at non-decreasing offsets, each costing only the distance
 * from the one before (a lookup further back starts over with a binary
 * search).  The cursor holds no memory; it is valid while `post` is. */
typedef struct post_line_cursor {
    const post_text_t *post;
    size_t offset;   /* where counting stopped */
    uint32_t line;   /* the line of byte `offset` */
    size_t anchor;   /* index of the anchor in force at `offset` */
} post_line_cursor_t;

void post_line_cursor_init(post_line_cursor_t *cursor,
                           const post_text_t *post);
uint32_t post_line_cursor_at(post_line_cursor_t *cursor, size_t offset);

/* The language declared at byte `offset`, or UNKNOWN. */
trouve_lang_t post_lang_at(const post_text_t *post, size_t offset);

void post_text_free(post_text_t *post);

/* Decodes raw file bytes to UTF-8: a UTF-8 BOM is skipped, UTF-16 with a
 * BOM is converted, valid UTF-8 is kept, anything else is read as
 * Windows-1252 (UTF-8 with a few stray bytes keeps its UTF-8 and reads only
 * those bytes as Windows-1252).  Line breaks are normalised: CRLF and a
 * lone CR become LF, so each counts as one line break.  A NUL byte becomes
 * U+FFFD.  *out is malloc()ed, valid UTF-8 and NUL-terminated; *flags gets
 * POST_CP1252 or POST_UTF16 when they apply.  Returns 0, or -1 when memory
 * ran out. */
int text_decode(const char *raw, size_t n, char **out, size_t *outlen,
                unsigned *flags);

/* 1 if the bytes look binary: NUL bytes in the first 8 KiB (unless there
 * is a UTF-16 BOM), or a gzip header. */
int text_is_binary(const char *raw, size_t n);

#endif
