/*
 * text_builder.h - building a post_text_t piece by piece (private).
 *
 * The extractors (plain text, Markdown, HTML) append the text a reader sees
 * to a builder, together with the source line it comes from and the
 * languages the markup declares.  The builder keeps the anchors minimal: it
 * adds one only where the line counted from the previous anchor would be
 * wrong, so a file whose line breaks are all kept has the single anchor
 * {0, first line}.
 *
 * Errors are sticky (as in FTS5's buffer helpers): once an allocation
 * fails, `rc` is -1 and every later call does nothing; the caller checks
 * once, at text_builder_finish().
 */
#ifndef TROUVE_TEXT_BUILDER_H
#define TROUVE_TEXT_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include "post.h"

typedef struct text_builder {
    char *buf;              /* the text so far; not NUL-terminated */
    size_t len, cap;
    line_anchor_t *anchors; /* sorted by offset; first at offset 0 */
    size_t nanchors, acap;
    lang_mark_t *langs;     /* sorted by offset */
    size_t nlangs, lcap;
    uint32_t line;          /* source line of the byte at buf[len] */
    int rc;                 /* 0, or -1 once memory ran out (sticky) */
} text_builder_t;

/* Starts an empty builder whose text begins on source line `first_line`;
 * `size_hint` bytes are reserved (0 for none). */
void text_builder_init(text_builder_t *b, uint32_t first_line,
                       size_t size_hint);

/* Appends s[0..n) / one byte / the UTF-8 form of cp. */
void text_builder_put(text_builder_t *b, const char *s, size_t n);
void text_builder_putc(text_builder_t *b, char c);
void text_builder_put_cp(text_builder_t *b, uint32_t cp);

/* Says that the next byte appended comes from source line `line`; adds an
 * anchor only when the count from the last one disagrees. */
void text_builder_anchor(text_builder_t *b, uint32_t line);

/* Declares `lang` from the current end of the text on (UNKNOWN ends a
 * declaration); a no-op when it is already in force. */
void text_builder_lang(text_builder_t *b, trouve_lang_t lang);

/* Drops trailing spaces and tabs (not line breaks) at the end, but never
 * any written after the last anchor or language mark was set. */
void text_builder_trim_blanks(text_builder_t *b);

/* Moves the text, anchors and marks into *out (text NUL-terminated),
 * leaving title, date and flags alone, and resets the builder.  Returns 0,
 * or -1 if memory ran out at any point (then *out is left alone and the
 * builder's memory freed). */
int text_builder_finish(text_builder_t *b, post_text_t *out);

/* Frees the builder's memory (after a failure, or instead of finishing). */
void text_builder_free(text_builder_t *b);

#endif
