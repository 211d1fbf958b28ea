/*
 * markdown.h - the two passes of Markdown extraction (private).
 *
 * markdown.c reads the file line by line and removes block markup (front
 * matter, headings, fences, quotes, list markers, reference definitions,
 * table rules); markdown_inline.c removes the markup inside a line
 * (emphasis, code spans, links, images, autolinks, HTML tags and comments,
 * escapes, entities).  Each source line gives exactly one line of text, so
 * line numbers map 1:1 after the front matter.
 */
#ifndef TROUVE_MARKDOWN_H
#define TROUVE_MARKDOWN_H

#include <stddef.h>
#include "text_builder.h"

#define MD_TABLE_ROW (1u << 0) /* the line is a table row: '|' is a space */

/* What the inline pass carries from one line to the next. */
typedef struct md_inline_state {
    int in_comment;  /* inside an HTML comment opened on an earlier line */
} md_inline_state_t;

/* Appends the text of the line s[0..n) (no '\n' in it) to b. */
void markdown_inline(text_builder_t *b, const char *s, size_t n,
                     unsigned flags, md_inline_state_t *st);

#endif
