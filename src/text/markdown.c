/*
 * markdown.c - Markdown to the text a reader sees: the block markup.
 *
 * Every source line after the front matter gives one line of text (maybe
 * empty), so line numbers map 1:1 and the only anchor is the one after the
 * front matter.  Per line, outside code fences:
 *
 *   - block quote markers ('>') and list markers ("- ", "* ", "+ ",
 *     "1. ", "1) ", with a task box "[ ] " / "[x] ") are removed;
 *   - an ATX heading loses its '#'s (and closing '#'s); a setext underline
 *     ("===", "---" under a line of text), a thematic break ("***",
 *     "---", "___"), a table rule ("|---|:--:|") and a reference
 *     definition ("[x]: http://...") become empty lines;
 *   - a fence line ("```c", "~~~") becomes an empty line; the code between
 *     fences is kept as it is (its words are searchable), and so is an
 *     indented code block after a blank line;
 *   - a line starting with '|' is a table row: its pipes become spaces;
 *   - the rest of the line goes through markdown_inline().
 *
 * Title: front matter's, else the first heading (ATX or setext).  The
 * front matter's title also opens the text, on the line of its title key,
 * unless the text starts with it (title_passage.c).  Front matter's lang
 * gives a language mark for the whole text, title included.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "markdown.h"

#define MD_MAX_QUOTES 16 /* '>' markers removed at most per line */

typedef struct md_parser {
    const char *s;
    size_t n;
    text_builder_t b;
    md_inline_state_t inl;
    char fence;           /* '`' or '~' inside a fenced block, else 0 */
    size_t fence_len;     /* length of the opening fence run */
    int prev_text;        /* the previous line was paragraph text */
    int prev_blank;       /* the previous line was blank */
    int in_code;          /* inside an indented code block */
    size_t prev_out;      /* offset of the previous line's text */
    size_t prev_out_end;  /* ...and of its end */
    char *title;          /* the first heading, or NULL */
} md_parser_t;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Skips up to `max` columns of indentation; *cols gets the columns. */
static size_t skip_indent(const char *s, size_t a, size_t e, size_t *cols)
{
    size_t c = 0;
    while (a < e && is_blank(s[a])) {
        c += s[a] == '\t' ? 4 - c % 4 : 1;
        a++;
    }
    *cols = c;
    return a;
}

/* 1 if s[a..e) is only `c` characters (at least `min`) and blanks. */
static int is_rule(const char *s, size_t a, size_t e, char c, size_t min)
{
    size_t count = 0;
    for (size_t j = a; j < e; j++) {
        if (s[j] == c)
            count++;
        else if (!is_blank(s[j]))
            return 0;
    }
    return count >= min;
}

/* 1 for a table rule: only '|', '-', ':' and blanks, with a '|' and '-'. */
static int is_table_rule(const char *s, size_t a, size_t e)
{
    int pipe = 0, dash = 0;
    for (size_t j = a; j < e; j++) {
        if (s[j] == '|')
            pipe = 1;
        else if (s[j] == '-')
            dash = 1;
        else if (s[j] != ':' && !is_blank(s[j]))
            return 0;
    }
    return pipe && dash;
}

/* 1 for a reference definition "[label]: destination" (not a footnote). */
static int is_reference(const char *s, size_t a, size_t e)
{
    if (a >= e || s[a] != '[' || (a + 1 < e && s[a + 1] == '^'))
        return 0;
    size_t j = a + 1;
    while (j < e && s[j] != ']' && s[j] != '[')
        j++;
    if (j >= e || s[j] != ']' || j == a + 1 || j + 1 >= e || s[j + 1] != ':')
        return 0;
    j += 2;
    while (j < e && is_blank(s[j]))
        j++;
    return j < e;
}

/* Past a list marker at s[a] (and a task box after it), or a. */
static size_t skip_list_marker(const char *s, size_t a, size_t e)
{
    size_t j = a;
    if (j < e && (s[j] == '-' || s[j] == '*' || s[j] == '+')) {
        j++;
    } else {
        size_t d = 0;
        while (j < e && d < 9 && s[j] >= '0' && s[j] <= '9') {
            j++;
            d++;
        }
        if (d == 0 || j >= e || (s[j] != '.' && s[j] != ')'))
            return a;
        j++;
    }
    if (j < e && !is_blank(s[j]))
        return a;
    while (j < e && is_blank(s[j]))
        j++;
    if (e - j >= 3 && s[j] == '[' && s[j + 2] == ']' &&
        (s[j + 1] == ' ' || s[j + 1] == 'x' || s[j + 1] == 'X') &&
        (e - j == 3 || is_blank(s[j + 3]))) {
        j += 3;
        while (j < e && is_blank(s[j]))
            j++;
    }
    return j;
}

/* The length of a fence run ("```", "~~~~") at s[a], or 0. */
static size_t fence_run(const char *s, size_t a, size_t e, char *c)
{
    if (a >= e || (s[a] != '`' && s[a] != '~'))
        return 0;
    size_t j = a;
    while (j < e && s[j] == s[a])
        j++;
    if (j - a < 3)
        return 0;
    if (s[a] == '`' && memchr(s + j, '`', e - j))
        return 0;  /* "```a``` b" is a code span, not a fence */
    *c = s[a];
    return j - a;
}

static void take_title(md_parser_t *p, size_t from, size_t to)
{
    if (!p->title && p->b.rc == 0 && to > from)
        p->title = title_clean(p->b.buf + from, to - from);
}

/* Turns one line s[a..e) into text. */
static void parse_line(md_parser_t *p, size_t a, size_t e)
{
    const char *s = p->s;
    text_builder_t *b = &p->b;
    size_t cols;
    size_t j = skip_indent(s, a, e, &cols);
    int blank = j == e;

    if (p->fence) {
        size_t k = j;
        for (int q = 0; q < MD_MAX_QUOTES && k < e && s[k] == '>'; q++) {
            k++;
            k = skip_indent(s, k, e, &cols);
        }
        char c = 0;
        size_t run = fence_run(s, k, e, &c);
        if (run >= p->fence_len && c == p->fence &&
            is_rule(s, k, e, c, run)) {
            p->fence = 0;  /* the closing fence: an empty line */
        } else {
            text_builder_put(b, s + a, e - a);
        }
        p->prev_text = 0;
        return;
    }
    if (p->inl.in_comment) {
        markdown_inline(b, s + a, e - a, 0, &p->inl);
        p->prev_text = 0;
        return;
    }
    if (blank) {
        p->prev_text = 0;
        p->prev_blank = 1;
        return;
    }
    if (cols >= 4 && (p->prev_blank || p->in_code) && !p->prev_text) {
        p->in_code = 1;  /* indented code: kept as it is */
        text_builder_put(b, s + j, e - j);
        p->prev_blank = 0;
        return;
    }
    p->in_code = 0;
    p->prev_blank = 0;

    for (int q = 0; q < MD_MAX_QUOTES && j < e && s[j] == '>'; q++) {
        j++;
        j = skip_indent(s, j, e, &cols);
    }
    int was_text = p->prev_text;
    p->prev_text = 0;
    if (j == e)
        return;

    char fc = 0;
    size_t run = fence_run(s, j, e, &fc);
    if (run) {
        p->fence = fc;
        p->fence_len = run;
        return;
    }
    if (was_text && (is_rule(s, j, e, '=', 1) || is_rule(s, j, e, '-', 1))) {
        /* A setext underline: the line above was a heading. */
        take_title(p, p->prev_out, p->prev_out_end);
        return;
    }
    if (is_rule(s, j, e, '-', 3) || is_rule(s, j, e, '*', 3) ||
        is_rule(s, j, e, '_', 3) || is_table_rule(s, j, e) ||
        is_reference(s, j, e))
        return;

    if (s[j] == '#') {
        size_t h = j;
        while (h < e && s[h] == '#')
            h++;
        if (h - j <= 6 && (h == e || is_blank(s[h]))) {
            size_t end = e;
            while (end > h && is_blank(s[end - 1]))
                end--;
            size_t close = end;
            while (close > h && s[close - 1] == '#')
                close--;
            if (close == h || is_blank(s[close - 1]))
                end = close;
            while (h < end && is_blank(s[h]))
                h++;
            size_t from = b->len;
            markdown_inline(b, s + h, end - h, 0, &p->inl);
            take_title(p, from, b->len);
            return;
        }
    }

    unsigned flags = 0;
    if (s[j] == '|') {
        flags |= MD_TABLE_ROW;
    } else {
        for (int k = 0; k < 4; k++) {  /* "1. - [ ] item" */
            size_t m = skip_list_marker(s, j, e);
            if (m == j)
                break;
            j = m;
        }
    }
    if (s[j] == '[' && j + 1 < e && s[j + 1] == '^') {
        /* A footnote definition "[^1]: text" keeps its text. */
        size_t k = j + 2;
        while (k < e && s[k] != ']')
            k++;
        if (k + 1 < e && s[k + 1] == ':')
            j = k + 2;
    }
    p->prev_out = b->len;
    markdown_inline(b, s + j, e - j, flags, &p->inl);
    text_builder_trim_blanks(b);
    p->prev_out_end = b->len;
    p->prev_text = 1;
}

int markdown_extract(const char *s, size_t n, int front_matter,
                     post_text_t *out)
{
    front_matter_t fm;
    int has = 0;
    if (front_matter)
        has = front_matter_read(s, n, &fm);
    else
        memset(&fm, 0, sizeof fm);
    if (has < 0)
        return -1;
    md_parser_t *p = calloc(1, sizeof *p);
    if (!p) {
        free(fm.title);
        free(fm.date);
        return -1;
    }
    p->s = s;
    p->n = n;
    p->prev_blank = 1;
    text_builder_init(&p->b, has ? fm.lines + 1 : 1, n - fm.skip);
    if (fm.lang != TROUVE_LANG_UNKNOWN)
        text_builder_lang(&p->b, fm.lang);

    size_t pos = fm.skip;
    while (pos < n && p->b.rc == 0) {
        const char *nl = memchr(s + pos, '\n', n - pos);
        size_t e = nl ? (size_t)(nl - s) : n;
        parse_line(p, pos, e);
        text_builder_trim_blanks(&p->b);
        if (nl)
            text_builder_putc(&p->b, '\n');
        pos = nl ? e + 1 : n;
    }

    int rc = text_builder_finish(&p->b, out);
    if (rc == 0) {
        out->title = fm.title ? fm.title : p->title;
        if (fm.title)
            free(p->title);
        out->date = fm.date;
        /* A first heading is in the text; the front matter's title is
         * not, and a reader looks for a post by it. */
        if (fm.title && title_passage_add(out, fm.title_line, fm.lang) != 0) {
            post_text_free(out);
            rc = -1;
        }
    } else {
        free(fm.title);
        free(fm.date);
        free(p->title);
    }
    free(p);
    return rc;
}
