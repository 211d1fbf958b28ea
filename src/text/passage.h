/*
 * passage.h - cutting a post into passages.
 *
 * A passage is what a hit points at: a paragraph (text between blank
 * lines), with a heading joined to the paragraph that follows it, and a
 * long paragraph cut at sentence ends into pieces of at most
 * PASSAGE_MAX_WORDS words (roughly).  Passages cover the text in order and
 * never overlap; blank text between them belongs to none.
 */
#ifndef TROUVE_PASSAGE_H
#define TROUVE_PASSAGE_H

#include <stddef.h>
#include <stdint.h>
#include "../trouve.h"
#include "post.h"

#define PASSAGE_MAX_WORDS 120  /* a longer paragraph is cut */
#define PASSAGE_MIN_WORDS 40   /* ...into pieces no shorter than this */
#define HEADING_MAX_WORDS 12   /* a longer line is never a heading */

/* Length of the white-space character at s[i] (s[0..n)): ASCII white
 * space, U+00A0 or U+202F; 0 for anything else.  White space as the
 * passage cutter and the language pass see it. */
static inline size_t passage_space_len(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0xAF)
        return 3;
    return 0;
}

typedef struct passage {
    uint32_t start, end;   /* byte range in the post text, without white
                              space at either end; never empty */
    uint32_t line;         /* line number in the file of byte `start` */
    uint32_t first_word;   /* ordinal of its first word in the post */
    uint32_t nwords;       /* its words (elisions not counted) */
    trouve_lang_t lang;    /* decided by passages_decide_lang */
    unsigned heading;      /* 1 if it begins with a heading line */
} passage_t;

typedef struct passage_list {
    passage_t *v;
    size_t n, cap;
} passage_list_t;

/* Splits post->text into passages appended to *out: byte ranges, lines
 * and heading flags; languages UNKNOWN.  first_word and nwords hold an
 * estimate (words between white space) that the indexer overwrites with
 * the tokenizer's counts when it tokenizes each passage, so the text is
 * tokenized once; passages_find_word is exact only after that.
 * Paragraphs are separated by blank lines (spaces, tabs, U+00A0, U+202F
 * count as blank).  A heading is a one-line paragraph of at most
 * HEADING_MAX_WORDS words not ending in . ! ? ; : or an ellipsis (closing
 * quotes and brackets looked through), followed by another paragraph; it
 * is joined to it (several in a row too).  A paragraph of more than
 * PASSAGE_MAX_WORDS is cut at sentence ends (else line breaks, else a
 * word) into pieces of PASSAGE_MIN_WORDS..PASSAGE_MAX_WORDS.  Time is
 * linear in the text.  Returns 0, or -1 when memory ran out or the text
 * is 4 GiB or more (what was added stays in *out). */
int passages_split(const post_text_t *post, passage_list_t *out);

/*
 * Decides the language of each passage from the evidence counted in it
 * (counts[i] for v[i]; counts may be NULL), the post's declared languages
 * (post_lang_at; post may be NULL), and headings that announce a language
 * ("Version française"): a passage with clear evidence keeps its verdict;
 * a declared language wins over weak evidence; a heading cue sets a prior
 * for its passage and the ones after it, cancelled by clear evidence
 * against it; an undecided passage takes the language of the nearest
 * decided one before it (after it, for the first ones).  If nothing in the
 * post is decided, all stay UNKNOWN.  The passages are passages_split's:
 * only those marked `heading` are read for blank lines.  See
 * passage_lang.c.
 */
struct lang_count;
void passages_decide_lang(passage_t *v, size_t n,
                          const struct lang_count *counts,
                          const post_text_t *post);

/* The index of the passage holding word `ordinal`, or n when none
 * (binary search on first_word). */
size_t passages_find_word(const passage_t *v, size_t n, uint32_t ordinal);

void passage_list_free(passage_list_t *list);

#endif
