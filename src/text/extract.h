/*
 * extract.h - from decoded UTF-8 to the text a reader sees (private).
 *
 * post_parse() decodes the raw bytes (decode.c) and hands the UTF-8 text,
 * whose line breaks are all '\n', to one of the extractors below.  Each
 * fills out->text, len, anchors, langs and, when the markup gives them,
 * title and date (a title from markup is also put at the start of the
 * text, as the first passage: title_passage_add); post_parse() adds the
 * flags and the fallback title, which is in the text already.
 * They return 0, or -1 when memory ran out (then *out is left zeroed).
 */
#ifndef TROUVE_EXTRACT_H
#define TROUVE_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include "post.h"

/* Markdown (markdown.c, markdown_inline.c, front_matter.c); front matter
 * is read only when `front_matter` is set (the first part of a post), and
 * its title put at the start of the text (title_passage_add). */
int markdown_extract(const char *s, size_t n, int front_matter,
                     post_text_t *out);

/* HTML (html.c); the <title> is put at the start of the text
 * (title_passage_add) only when `first` is set (the first part of a
 * post). */
int html_extract(const char *s, size_t n, int first, post_text_t *out);

/* If s[0..n) starts with a character reference ("&eacute;", "&#233;",
 * "&#xE9;", "&amp" without ';' for the legacy names), sets *cp to the code
 * point it stands for and returns its length in bytes; otherwise returns 0
 * (the '&' is text).  entity.c. */
size_t html_char_ref(const char *s, size_t n, uint32_t *cp);

/* 1 if the named-entity table is sorted (for the tests). */
int html_entity_table_sorted(void);

/* post_parse for one part of a post (post.c): the binary sniff, front
 * matter and the first-line title only in the first part (PART_FIRST);
 * when the text goes on after this part (PART_CUT), a first line that
 * reaches the part's end is not whole and gives no title.  *newlines (may
 * be NULL) gets the number of line breaks of the decoded text, which is
 * how far the next part's lines start from this one's. */
#define PART_FIRST (1u << 0)
#define PART_CUT   (1u << 1)
trouve_skip_t post_parse_part(const char *raw, size_t n, post_format_t format,
                              unsigned how, post_text_t *out,
                              uint64_t *newlines, char *why, size_t whysz);

/* Titles (title.c). */
#define TITLE_MAX_BYTES 300 /* a longer title is cut at a character */
#define TITLE_MAX_WORDS 15  /* a first line longer than this is no title */

/* A malloc()ed copy of s[0..n) with runs of white space (NBSP and control
 * characters too) made one space, trimmed, cut to TITLE_MAX_BYTES; NULL
 * when that leaves nothing or memory ran out. */
char *title_clean(const char *s, size_t n);

/* The first non-empty line of s[0..n) as a title (title_clean()ed) when it
 * has at most TITLE_MAX_WORDS words; otherwise NULL. */
char *title_from_first_line(const char *s, size_t n);

/* Puts post->title at the start of post->text as a paragraph of its own
 * (the title, then a blank line), its lines counted from `line` (where the
 * markup gives it) and its language `lang` (declared there; UNKNOWN for
 * none), unless the text already starts with the title's words
 * (title_passage.c).  For a title from markup, in the first part of a
 * post only.  Returns 0 (also when nothing was added), or -1 when memory
 * ran out (then *post is unchanged). */
int title_passage_add(post_text_t *post, uint32_t line, trouve_lang_t lang);

/* Front matter (front_matter.c). */
typedef struct front_matter {
    size_t skip;          /* bytes it takes, closing line included */
    uint32_t lines;       /* lines it takes */
    char *title;          /* malloc()ed, or NULL */
    uint32_t title_line;  /* the line of its title key (the opening
                             fence is line 1); 0 without a title */
    char *date;           /* malloc()ed, or NULL */
    trouve_lang_t lang;   /* from lang: or language: */
} front_matter_t;

/* Reads YAML (between "---" lines) or TOML (between "+++" lines) front
 * matter at the very top of s[0..n).  Returns 1 and fills *fm when there is
 * some, 0 when there is none (*fm zeroed), -1 when memory ran out. */
int front_matter_read(const char *s, size_t n, front_matter_t *fm);

#endif
