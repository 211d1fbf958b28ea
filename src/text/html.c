/*
 * html.c - HTML to the text a reader sees.
 *
 * One pass over the bytes, never backing up, so the time is linear
 * whatever the input (unclosed tags, a 1 MB attribute, 100,000 nested
 * <div>s):
 *
 *   - tags are removed; the content of <script>, <style>, <noscript>,
 *     <template>, <iframe>, <noembed>, <noframes> is dropped, and so are
 *     comments, CDATA sections, <!DOCTYPE> and <?...?>;
 *   - character references are decoded (entity.c);
 *   - block elements (p, div, li, h1-h6, tr, section, article, blockquote,
 *     pre, hr, table...) end the paragraph: a blank line in the text, so
 *     the passage splitter sees paragraphs.  <br> is a line break, two in a
 *     row a paragraph break; table cells are separated by a space;
 *   - white space inside a block is collapsed: a run becomes one space, or
 *     one line break when it held one (so a paragraph keeps the lines of
 *     the file, and line numbers inside it stay right); <pre> and
 *     <textarea> keep their white space;
 *   - the text's lines are anchored to the file's (text_builder_anchor) at
 *     every place where inserted paragraph breaks or collapsed blank lines
 *     would make them drift;
 *   - <title> gives the title, else the first <h1>; in the first part of
 *     a post the <title> also opens the text, on its line and in the
 *     language in force there, unless the text starts with it (an <h1>
 *     that repeats it; title_passage.c);
 *   - lang (and xml:lang) attributes give language marks, in force until
 *     the element closes.  Elements are tracked on a stack bounded at
 *     HTML_MAX_DEPTH; deeper ones are counted, not tracked.  End tags close
 *     the nearest open element of their name, as browsers do; a few
 *     implied end tags (p, li, dt, dd, tr, td, th, option) are honoured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract.h"
#include "text_builder.h"
#include "../analysis/lang.h"

#define HTML_MAX_DEPTH 256
#define TAG_NAME_MAX 15

/* What an element does to the text. */
enum {
    EL_INLINE = 0,
    EL_BLOCK = 1 << 0,  /* a paragraph break before and after */
    EL_BREAK = 1 << 1,  /* <br>: a line break */
    EL_CELL = 1 << 2,   /* a space before and after */
    EL_VOID = 1 << 3,   /* never has content or an end tag */
    EL_SKIP = 1 << 4,   /* its content is not text */
    EL_PRE = 1 << 5,    /* white space kept */
    EL_TITLE = 1 << 6,  /* <title> */
    EL_H1 = 1 << 7,     /* <h1> */
    EL_IMPLIED = 1 << 8 /* closed by a sibling of the same name */
};

typedef struct element_kind {
    const char *name;
    unsigned kind;
} element_kind_t;

/* Sorted by name for bsearch. */
static const element_kind_t element_kinds[] = {
    {"address", EL_BLOCK},
    {"area", EL_VOID},
    {"article", EL_BLOCK},
    {"aside", EL_BLOCK},
    {"base", EL_VOID},
    {"blockquote", EL_BLOCK},
    {"body", EL_BLOCK},
    {"br", EL_BREAK | EL_VOID},
    {"caption", EL_BLOCK},
    {"center", EL_BLOCK},
    {"col", EL_VOID},
    {"dd", EL_BLOCK | EL_IMPLIED},
    {"details", EL_BLOCK},
    {"dialog", EL_BLOCK},
    {"dir", EL_BLOCK},
    {"div", EL_BLOCK},
    {"dl", EL_BLOCK},
    {"dt", EL_BLOCK | EL_IMPLIED},
    {"embed", EL_VOID},
    {"fieldset", EL_BLOCK},
    {"figcaption", EL_BLOCK},
    {"figure", EL_BLOCK},
    {"footer", EL_BLOCK},
    {"form", EL_BLOCK},
    {"frameset", EL_BLOCK},
    {"h1", EL_BLOCK | EL_H1},
    {"h2", EL_BLOCK},
    {"h3", EL_BLOCK},
    {"h4", EL_BLOCK},
    {"h5", EL_BLOCK},
    {"h6", EL_BLOCK},
    {"head", EL_BLOCK},
    {"header", EL_BLOCK},
    {"hgroup", EL_BLOCK},
    {"hr", EL_BLOCK | EL_VOID},
    {"html", EL_BLOCK},
    {"iframe", EL_SKIP},
    {"img", EL_VOID},
    {"input", EL_VOID},
    {"keygen", EL_VOID},
    {"legend", EL_BLOCK},
    {"li", EL_BLOCK | EL_IMPLIED},
    {"link", EL_VOID},
    {"listing", EL_BLOCK | EL_PRE},
    {"main", EL_BLOCK},
    {"menu", EL_BLOCK},
    {"meta", EL_VOID},
    {"nav", EL_BLOCK},
    {"noembed", EL_SKIP},
    {"noframes", EL_SKIP},
    {"noscript", EL_SKIP},
    {"ol", EL_BLOCK},
    {"option", EL_BLOCK | EL_IMPLIED},
    {"p", EL_BLOCK | EL_IMPLIED},
    {"param", EL_VOID},
    {"plaintext", EL_BLOCK | EL_PRE},
    {"pre", EL_BLOCK | EL_PRE},
    {"script", EL_SKIP},
    {"section", EL_BLOCK},
    {"select", EL_BLOCK},
    {"source", EL_VOID},
    {"style", EL_SKIP},
    {"summary", EL_BLOCK},
    {"table", EL_BLOCK},
    {"tbody", EL_BLOCK},
    {"td", EL_CELL | EL_IMPLIED},
    {"template", EL_SKIP},
    {"textarea", EL_BLOCK | EL_PRE},
    {"tfoot", EL_BLOCK},
    {"th", EL_CELL | EL_IMPLIED},
    {"thead", EL_BLOCK},
    {"title", EL_TITLE},
    {"tr", EL_BLOCK | EL_IMPLIED},
    {"track", EL_VOID},
    {"ul", EL_BLOCK},
    {"wbr", EL_VOID},
    {"xmp", EL_BLOCK | EL_PRE},
};

#define NKINDS (sizeof element_kinds / sizeof element_kinds[0])

typedef struct open_element {
    char name[TAG_NAME_MAX + 1];
    unsigned kind;
    trouve_lang_t lang;  /* in force inside it */
} open_element_t;

/* What is pending between two pieces of text. */
enum { GAP_NONE = 0, GAP_SPACE, GAP_LINE, GAP_PARAGRAPH };

typedef struct html_parser {
    const char *s;          /* the input */
    size_t n;
    size_t i;               /* position in it */
    uint32_t line;          /* source line of s[counted] */
    size_t counted;         /* where line counting stopped */
    text_builder_t b;
    int gap;                /* GAP_*: what to put before the next text */
    unsigned pre;           /* open elements keeping white space */
    open_element_t stack[HTML_MAX_DEPTH];
    size_t depth;           /* elements on the stack */
    size_t untracked;       /* elements opened past HTML_MAX_DEPTH */
    char *title;            /* from <title>, or NULL */
    uint32_t title_line;    /* the line of that <title> */
    trouve_lang_t title_lang; /* the language in force there */
    char *h1;               /* the first <h1>'s text, or NULL */
    size_t h1_start;        /* where the open <h1>'s text starts */
    int in_h1;              /* 1 inside the first <h1> */
} html_parser_t;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* The source line of s[pos]; pos never goes back. */
static uint32_t line_of(html_parser_t *p, size_t pos)
{
    const char *q = p->s + p->counted, *end = p->s + pos;
    while (q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        p->line++;
        q++;
    }
    if (pos > p->counted)
        p->counted = pos;
    return p->line;
}

static trouve_lang_t lang_in_force(const html_parser_t *p)
{
    return p->depth ? p->stack[p->depth - 1].lang : TROUVE_LANG_UNKNOWN;
}

/* 1 if the text built so far ends with `k` line breaks or more. */
static int ends_with_breaks(const text_builder_t *b, size_t k)
{
    if (b->len < k)
        return 0;
    for (size_t j = 1; j <= k; j++)
        if (b->buf[b->len - j] != '\n')
            return 0;
    return 1;
}

/* Trims the blanks that end the text; the open <h1>'s text never starts
 * past the end (it would start inside what comes next). */
static void trim_blanks(html_parser_t *p)
{
    text_builder_trim_blanks(&p->b);
    if (p->in_h1 && p->h1_start > p->b.len)
        p->h1_start = p->b.len;
}

/* Puts what is pending before text that comes from s[src]. */
static void open_text(html_parser_t *p, size_t src)
{
    text_builder_t *b = &p->b;
    if (b->len > 0) {
        switch (p->gap) {
        case GAP_PARAGRAPH:
            trim_blanks(p);
            while (!ends_with_breaks(b, 2))
                text_builder_putc(b, '\n');
            break;
        case GAP_LINE:
            trim_blanks(p);
            if (!ends_with_breaks(b, 1))
                text_builder_putc(b, '\n');
            break;
        case GAP_SPACE:
            if (b->buf[b->len - 1] != ' ' && b->buf[b->len - 1] != '\n')
                text_builder_putc(b, ' ');
            break;
        default:
            break;
        }
    }
    p->gap = GAP_NONE;
    text_builder_anchor(b, line_of(p, src));
    text_builder_lang(b, lang_in_force(p));
}

static void widen_gap(html_parser_t *p, int gap)
{
    if (gap > p->gap)
        p->gap = gap;
}

/* Where the `close` string (an end tag "</name", lowercase) starts in
 * s[from..n), case-insensitively and followed by a non-name byte; n if
 * nowhere. */
static size_t find_end_tag(const html_parser_t *p, size_t from,
                           const char *close, size_t clen)
{
    size_t j = from;
    while (j < p->n) {
        const char *lt = memchr(p->s + j, '<', p->n - j);
        if (!lt)
            return p->n;
        j = (size_t)(lt - p->s);
        if (p->n - j >= clen) {
            size_t k = 0;
            while (k < clen && lower((unsigned char)p->s[j + k]) == close[k])
                k++;
            if (k == clen && (j + clen == p->n ||
                              !is_alpha((unsigned char)p->s[j + clen])))
                return j;
        }
        j++;
    }
    return p->n;
}

/* Past the '>' closing the tag whose name ends at s[j]; n when the input
 * ends inside the tag.  Quoted attribute values may hold '>'.  The value
 * of a lang or xml:lang attribute, if any, goes to lang[0..*lang_len). */
static size_t skip_attributes(const html_parser_t *p, size_t j,
                              const char **lang, size_t *lang_len,
                              int *self_closing)
{
    const char *s = p->s;
    size_t n = p->n;
    *lang = NULL;
    *lang_len = 0;
    *self_closing = 0;
    while (j < n) {
        unsigned char c = (unsigned char)s[j];
        if (is_space(c)) {
            j++;
            continue;
        }
        if (c == '>')
            return j + 1;
        if (c == '/') {
            *self_closing = j + 1 < n && s[j + 1] == '>';
            j++;
            continue;
        }
        size_t name = j;
        while (j < n && !is_space((unsigned char)s[j]) && s[j] != '=' &&
               s[j] != '>' && s[j] != '/')
            j++;
        size_t name_len = j - name;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j >= n || s[j] != '=')
            continue;
        j++;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j >= n)
            return n;
        size_t value, value_len;
        if (s[j] == '"' || s[j] == '\'') {
            const char *q = memchr(s + j + 1, s[j], n - j - 1);
            if (!q)
                return n;
            value = j + 1;
            value_len = (size_t)(q - s) - value;
            j = (size_t)(q - s) + 1;
        } else {
            value = j;
            while (j < n && !is_space((unsigned char)s[j]) && s[j] != '>')
                j++;
            value_len = j - value;
        }
        if ((name_len == 4 && strncasecmp(s + name, "lang", 4) == 0) ||
            (name_len == 8 && strncasecmp(s + name, "xml:lang", 8) == 0)) {
            *lang = s + value;
            *lang_len = value_len;
        }
    }
    return n;
}

static int compare_kind(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const element_kind_t *)elem)->name);
}

/* Reads a tag name at s[j] into name (lowercase, cut at TAG_NAME_MAX);
 * returns the position past it. */
static size_t read_tag_name(const html_parser_t *p, size_t j,
                            char name[TAG_NAME_MAX + 1])
{
    size_t len = 0;
    while (j < p->n) {
        unsigned char c = (unsigned char)p->s[j];
        if (is_space(c) || c == '>' || c == '/')
            break;
        if (len < TAG_NAME_MAX)
            name[len++] = (char)lower(c);
        j++;
    }
    name[len] = '\0';
    return j;
}

static unsigned kind_of(const char *name)
{
    const element_kind_t *k = bsearch(name, element_kinds, NKINDS,
                                      sizeof *element_kinds, compare_kind);
    return k ? k->kind : EL_INLINE;
}

/* Takes the text of the first <h1> as the fallback title. */
static void end_h1(html_parser_t *p)
{
    if (!p->in_h1)
        return;
    p->in_h1 = 0;
    if (!p->h1 && p->b.rc == 0 && p->b.len > p->h1_start)
        p->h1 = title_clean(p->b.buf + p->h1_start, p->b.len - p->h1_start);
}

static void pop_element(html_parser_t *p)
{
    open_element_t *e = &p->stack[--p->depth];
    if (e->kind & EL_PRE)
        p->pre--;
    if (e->kind & EL_H1)
        end_h1(p);
    if (e->kind & (EL_BLOCK | EL_PRE))
        widen_gap(p, GAP_PARAGRAPH);
}

/* Closes the nearest open element called `name`; 0 if there is none. */
static int close_element(html_parser_t *p, const char *name)
{
    size_t k = p->depth;
    while (k > 0 && strcmp(p->stack[k - 1].name, name) != 0)
        k--;
    if (k == 0)
        return 0;
    while (p->depth >= k)
        pop_element(p);
    return 1;
}

/* Drops the content of a skipped element up to its end tag. */
static size_t skip_content(html_parser_t *p, size_t from, const char *name)
{
    char close[TAG_NAME_MAX + 3];
    size_t clen = (size_t)snprintf(close, sizeof close, "</%s", name);
    size_t end = find_end_tag(p, from, close, clen);
    if (end >= p->n)
        return p->n;
    const char *gt = memchr(p->s + end, '>', p->n - end);
    return gt ? (size_t)(gt - p->s) + 1 : p->n;
}

/* Reads the content of <title> (from s[from]; the tag is at s[tag] and
 * declares `lang`, UNKNOWN for none) as the title; returns the position
 * past </title>. */
static size_t read_title(html_parser_t *p, size_t tag, size_t from,
                         trouve_lang_t lang)
{
    size_t end = find_end_tag(p, from, "</title", 7);
    if (!p->title) {
        p->title_line = line_of(p, tag);
        p->title_lang = lang != TROUVE_LANG_UNKNOWN ? lang
                                                    : lang_in_force(p);
        /* Decode references into a scratch builder; white space is
         * collapsed by title_clean. */
        text_builder_t t;
        text_builder_init(&t, 1, 0);
        for (size_t j = from; j < end;) {
            uint32_t cp;
            size_t k = p->s[j] == '&' ? html_char_ref(p->s + j, end - j, &cp)
                                      : 0;
            if (k) {
                text_builder_put_cp(&t, cp);
                j += k;
            } else {
                text_builder_putc(&t, p->s[j++]);
            }
        }
        /* Memory running out here costs only the title. */
        if (t.rc == 0 && t.len > 0)
            p->title = title_clean(t.buf, t.len);
        text_builder_free(&t);
    }
    if (end >= p->n)
        return p->n;
    const char *gt = memchr(p->s + end, '>', p->n - end);
    return gt ? (size_t)(gt - p->s) + 1 : p->n;
}

/* A start tag at s[i] ('<' then a letter).  Returns the position after
 * it (and after the content of an element whose content is dropped). */
static size_t start_tag(html_parser_t *p, size_t i)
{
    char name[TAG_NAME_MAX + 1];
    size_t j = read_tag_name(p, i + 1, name);
    const char *lang;
    size_t lang_len;
    int self_closing;
    j = skip_attributes(p, j, &lang, &lang_len, &self_closing);
    unsigned kind = kind_of(name);

    if (kind & EL_SKIP)
        return self_closing ? j : skip_content(p, j, name);
    if (kind & EL_TITLE)
        return self_closing ? j
                            : read_title(p, i, j,
                                         lang ? lang_from_tag(lang, lang_len)
                                              : TROUVE_LANG_UNKNOWN);
    if (kind & EL_BREAK) {
        if (p->b.len > 0) {
            trim_blanks(p);
            text_builder_putc(&p->b, '\n');
            p->gap = GAP_NONE;
        }
        return j;
    }
    if (kind & EL_CELL)
        widen_gap(p, GAP_SPACE);
    if (kind & EL_BLOCK)
        widen_gap(p, GAP_PARAGRAPH);
    if ((kind & EL_VOID) || self_closing)
        return j;

    /* Implied end tags: <p> closes an open <p> before a block starts, and
     * <li>, <td>... close an open sibling of their name. */
    if (p->depth && (kind & EL_BLOCK) &&
        strcmp(p->stack[p->depth - 1].name, "p") == 0)
        pop_element(p);
    if (p->depth && (kind & EL_IMPLIED) &&
        strcmp(p->stack[p->depth - 1].name, name) == 0)
        pop_element(p);

    if (p->depth == HTML_MAX_DEPTH) {
        p->untracked++;
        return j;
    }
    open_element_t *e = &p->stack[p->depth++];
    memcpy(e->name, name, sizeof e->name);
    e->kind = kind;
    e->lang = lang ? lang_from_tag(lang, lang_len)
                   : (p->depth > 1 ? p->stack[p->depth - 2].lang
                                   : TROUVE_LANG_UNKNOWN);
    if (kind & EL_PRE)
        p->pre++;
    if ((kind & EL_H1) && !p->h1 && !p->in_h1) {
        p->in_h1 = 1;
        p->h1_start = p->b.len;
    }
    return j;
}

/* An end tag at s[i] ("</" then a letter). */
static size_t end_tag(html_parser_t *p, size_t i)
{
    char name[TAG_NAME_MAX + 1];
    size_t j = read_tag_name(p, i + 2, name);
    const char *gt = memchr(p->s + j, '>', p->n - j);
    j = gt ? (size_t)(gt - p->s) + 1 : p->n;
    unsigned kind = kind_of(name);
    if (kind & EL_BREAK)  /* </br> is read as <br> */
        return start_tag(p, i + 1);
    if (p->untracked > 0) {
        p->untracked--;
    } else if (!close_element(p, name)) {
        if (kind & EL_BLOCK)
            widen_gap(p, GAP_PARAGRAPH);
    }
    if (kind & EL_CELL)
        widen_gap(p, GAP_SPACE);
    return j;
}

/* Where the 3-byte string `pat` starts in s[from..n), or n.  (memmem is
 * a GNU extension.) */
static size_t find3(const char *s, size_t from, size_t n, const char *pat)
{
    size_t j = from;
    while (j + 3 <= n) {
        const char *q = memchr(s + j, pat[0], n - j - 2);
        if (!q)
            return n;
        j = (size_t)(q - s);
        if (q[1] == pat[1] && q[2] == pat[2])
            return j;
        j++;
    }
    return n;
}

/* Markup at s[i] == '<': returns the position after it, or i when the
 * '<' is text. */
static size_t markup(html_parser_t *p, size_t i)
{
    const char *s = p->s;
    size_t n = p->n, left = n - i;
    if (left >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        size_t e = find3(s, i + 4, n, "-->");
        return e < n ? e + 3 : n;
    }
    if (left >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
        size_t e = find3(s, i + 9, n, "]]>");
        return e < n ? e + 3 : n;
    }
    if (left >= 2 && (s[i + 1] == '!' || s[i + 1] == '?')) {
        const char *gt = memchr(s + i, '>', left);
        return gt ? (size_t)(gt - s) + 1 : n;
    }
    if (left >= 2 && is_alpha((unsigned char)s[i + 1]))
        return start_tag(p, i);
    if (left >= 3 && s[i + 1] == '/' && is_alpha((unsigned char)s[i + 2]))
        return end_tag(p, i);
    if (left >= 3 && s[i + 1] == '/' && s[i + 2] == '>')
        return i + 3;  /* "</>" is nothing */
    return i;
}

static void parse(html_parser_t *p)
{
    const char *s = p->s;
    size_t n = p->n;
    size_t i = 0;
    while (i < n && p->b.rc == 0) {
        unsigned char c = (unsigned char)s[i];
        if (c == '<') {
            size_t j = markup(p, i);
            if (j != i) {
                i = j;
                continue;
            }
            open_text(p, i);
            text_builder_putc(&p->b, '<');
            i++;
        } else if (c == '&') {
            uint32_t cp;
            size_t k = html_char_ref(s + i, n - i, &cp);
            open_text(p, i);
            if (k) {
                text_builder_put_cp(&p->b, cp);
                i += k;
            } else {
                text_builder_putc(&p->b, '&');
                i++;
            }
        } else if (is_space(c)) {
            if (p->pre) {
                open_text(p, i);
                text_builder_putc(&p->b, c == '\r' ? '\n' : (char)c);
                i++;
                continue;
            }
            int newline = 0;
            while (i < n && is_space((unsigned char)s[i]))
                newline |= s[i++] == '\n';
            widen_gap(p, newline ? GAP_LINE : GAP_SPACE);
        } else {
            size_t j = i + 1;
            while (j < n && s[j] != '<' && s[j] != '&' &&
                   !is_space((unsigned char)s[j]))
                j++;
            open_text(p, i);
            text_builder_put(&p->b, s + i, j - i);
            i = j;
        }
    }
    end_h1(p);
}

int html_extract(const char *s, size_t n, int first, post_text_t *out)
{
    html_parser_t *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->s = s;
    p->n = n;
    p->line = 1;
    text_builder_init(&p->b, 1, n / 2);
    parse(p);
    int rc = -1;
    if (text_builder_finish(&p->b, out) == 0) {
        out->title = p->title ? p->title : p->h1;
        if (p->title)
            free(p->h1);
        rc = 0;
        /* The first <h1> is in the text; the <title> is not, and a
         * reader looks for a page by it. */
        if (first && p->title &&
            title_passage_add(out, p->title_line, p->title_lang) != 0) {
            post_text_free(out);
            rc = -1;
        }
        p->title = p->h1 = NULL;
    }
    text_builder_free(&p->b);
    free(p->title);
    free(p->h1);
    free(p);
    return rc;
}
