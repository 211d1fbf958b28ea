/*
 * markdown_inline.c - removing Markdown markup inside one line.
 *
 * One left-to-right pass writes the line's text to the builder.  What
 * needs a look ahead is bounded so a hostile line costs linear time:
 *
 *   - a link or image opener ('[' or "![") is written as text and pushed
 *     on a stack (MD_MAX_OPENERS deep); at the matching ']' followed by a
 *     destination "(...)" (at most MD_DEST_MAX bytes) or a reference
 *     "[...]", the opener is taken back out of the text and the
 *     destination skipped, so "[text](url)" gives "text" and
 *     "![alt](src)" gives "alt".  A footnote reference "[^label]" goes
 *     whole.  Otherwise the brackets stay as text;
 *   - a code span's closing backtick run is searched for once per run
 *     length (MD_CODE_RUN_MAX at most); after a failed search a run of
 *     that length is text for the rest of the line;
 *   - a tag ends at the next '>', which is looked for once and reused;
 *   - emphasis: runs of '*' are removed unless they stand alone between
 *     spaces ("2 * 3"); runs of '_' unless inside a word (snake_case);
 *     runs of two or more '~' (strikethrough) are removed.
 */
#include <string.h>

#include "markdown.h"
#include "extract.h"

#define MD_MAX_OPENERS 32
#define MD_DEST_MAX 512
#define MD_CODE_RUN_MAX 16

typedef struct opener {
    size_t out;    /* offset of the '[' (or '!') in the builder */
    size_t width;  /* 1 for '[', 2 for "![" */
} opener_t;

typedef struct md_line {
    text_builder_t *b;
    const char *s;
    size_t n;
    unsigned flags;
    opener_t openers[MD_MAX_OPENERS];
    size_t nopeners;
    unsigned no_closer;   /* bit L-1: no code run of length L ahead */
    size_t next_gt;       /* position of the next '>' at or after some
                             point, n if none; valid while >= i */
} md_line_t;

static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int is_ascii_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
           (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* Position of the first '>' at or after i (cached). */
static size_t gt_after(md_line_t *m, size_t i)
{
    if (m->next_gt < i || m->next_gt == (size_t)-1) {
        const char *q = memchr(m->s + i, '>', m->n - i);
        m->next_gt = q ? (size_t)(q - m->s) : m->n;
    }
    return m->next_gt;
}

/* Removes `k` bytes at offset `at` of the builder (all on this line). */
static void cut_output(text_builder_t *b, size_t at, size_t k)
{
    if (b->rc || at + k > b->len)
        return;
    memmove(b->buf + at, b->buf + at + k, b->len - at - k);
    b->len -= k;
}

/* Past the ')' closing a destination opened at s[i] == '(', or 0. */
static size_t destination_end(const md_line_t *m, size_t i)
{
    size_t limit = m->n - i > MD_DEST_MAX ? i + MD_DEST_MAX : m->n;
    int depth = 0;
    for (size_t j = i; j < limit; j++) {
        char c = m->s[j];
        if (c == '\\' && j + 1 < limit)
            j++;
        else if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            return j + 1;
    }
    return 0;
}

/* Past the ']' closing a reference label opened at s[i] == '[', or 0. */
static size_t label_end(const md_line_t *m, size_t i)
{
    size_t limit = m->n - i > MD_DEST_MAX ? i + MD_DEST_MAX : m->n;
    for (size_t j = i + 1; j < limit; j++) {
        if (m->s[j] == '[')
            return 0;
        if (m->s[j] == ']')
            return j + 1;
    }
    return 0;
}

/* 1 if the builder holds from `at` a footnote reference so far, "[^"
 * and a label (letters, digits, '-', '_'), its ']' to come. */
static int is_footnote_ref(const text_builder_t *b, size_t at)
{
    if (b->rc || b->len < at + 3 || b->buf[at] != '[' ||
        b->buf[at + 1] != '^')
        return 0;
    for (size_t j = at + 2; j < b->len; j++) {
        unsigned char c = (unsigned char)b->buf[j];
        if (!is_word_byte(c) && c != '-' && c != '_')
            return 0;
    }
    return 1;
}

/* A ']' at s[i]: returns the position to go on from. */
static size_t close_bracket(md_line_t *m, size_t i)
{
    if (m->nopeners == 0) {
        text_builder_putc(m->b, ']');
        return i + 1;
    }
    opener_t o = m->openers[--m->nopeners];
    size_t end = 0;
    if (i + 1 < m->n && m->s[i + 1] == '(')
        end = destination_end(m, i + 1);
    else if (i + 1 < m->n && m->s[i + 1] == '[')
        end = label_end(m, i + 1);
    if (end == 0) {
        if (o.width == 1 && is_footnote_ref(m->b, o.out))
            cut_output(m->b, o.out, m->b->len - o.out); /* "[^1]": a mark */
        else
            text_builder_putc(m->b, ']'); /* "[text]" alone stays as is */
        return i + 1;
    }
    cut_output(m->b, o.out, o.width);
    return end;
}

/* A backtick run of length `run` at s[i]: a code span when a run of the
 * same length closes it.  Returns the position to go on from. */
static size_t code_span(md_line_t *m, size_t i, size_t run)
{
    size_t start = i + run;
    if (run <= MD_CODE_RUN_MAX && !(m->no_closer & (1u << (run - 1)))) {
        size_t j = start;
        while (j < m->n) {
            const char *q = memchr(m->s + j, '`', m->n - j);
            if (!q)
                break;
            size_t k = (size_t)(q - m->s), r = 0;
            while (k + r < m->n && m->s[k + r] == '`')
                r++;
            if (r == run) {
                size_t a = start, e = k;
                if (e - a >= 2 && m->s[a] == ' ' && m->s[e - 1] == ' ') {
                    a++;
                    e--;
                }
                text_builder_put(m->b, m->s + a, e - a);
                return k + r;
            }
            j = k + r;
        }
        m->no_closer |= 1u << (run - 1);
    }
    text_builder_put(m->b, m->s + i, run);
    return start;
}

/* An autolink "<scheme:...>" or "<user@host>" at s[i] == '<', ending at
 * the '>' at s[gt]: 1 if it is one. */
static int is_autolink(const md_line_t *m, size_t i, size_t gt)
{
    size_t j = i + 1, scheme = 0;
    int at = 0;
    for (size_t k = j; k < gt; k++) {
        unsigned char c = (unsigned char)m->s[k];
        if (c <= ' ' || c == '<')
            return 0;
        at |= c == '@';
    }
    while (j < gt && (is_word_byte((unsigned char)m->s[j]) ||
                      m->s[j] == '+' || m->s[j] == '.' || m->s[j] == '-')) {
        j++;
        scheme++;
    }
    if (j < gt && m->s[j] == ':' && scheme >= 2 && scheme <= 32)
        return 1;
    return at && gt > i + 3;
}

/* A '<' at s[i]: a comment, an autolink, a tag, or text. */
static size_t angle(md_line_t *m, size_t i, md_inline_state_t *st)
{
    const char *s = m->s;
    size_t n = m->n;
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        for (size_t j = i + 4; j + 3 <= n; j++)
            if (s[j] == '-' && s[j + 1] == '-' && s[j + 2] == '>')
                return j + 3;
        st->in_comment = 1;
        return n;
    }
    size_t gt = gt_after(m, i);
    if (gt < n) {
        if (is_autolink(m, i, gt)) {
            text_builder_put(m->b, s + i + 1, gt - i - 1);
            return gt + 1;
        }
        unsigned char c = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        unsigned char c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
            (c == '/' && (c2 | 0x20) >= 'a' && (c2 | 0x20) <= 'z') ||
            c == '!' || c == '?')
            return gt + 1;
    }
    text_builder_putc(m->b, '<');
    return i + 1;
}

/* Bytes that may start markup. */
static int special(unsigned char c)
{
    switch (c) {
    case '\\': case '`': case '*': case '_': case '~': case '[': case ']':
    case '!': case '<': case '&': case '|':
        return 1;
    default:
        return 0;
    }
}

void markdown_inline(text_builder_t *b, const char *s, size_t n,
                     unsigned flags, md_inline_state_t *st)
{
    md_line_t m;
    m.b = b;
    m.s = s;
    m.n = n;
    m.flags = flags;
    m.nopeners = 0;
    m.no_closer = 0;
    m.next_gt = (size_t)-1;
    size_t i = 0;

    if (st->in_comment) {
        size_t j = 0;
        while (j + 3 <= n && !(s[j] == '-' && s[j + 1] == '-' &&
                               s[j + 2] == '>'))
            j++;
        if (j + 3 > n)
            return;
        st->in_comment = 0;
        i = j + 3;
    }

    while (i < n && b->rc == 0 && !st->in_comment) {
        size_t j = i;
        while (j < n && !special((unsigned char)s[j]))
            j++;
        text_builder_put(b, s + i, j - i);
        i = j;
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        unsigned char prev = i > 0 ? (unsigned char)s[i - 1] : ' ';
        size_t run = 1, next = ' ';
        if (c == '`' || c == '*' || c == '_' || c == '~') {
            /* runs are consumed whole, so measuring them stays linear */
            while (i + run < n && (unsigned char)s[i + run] == c)
                run++;
            next = i + run < n ? (unsigned char)s[i + run] : ' ';
        }
        switch (c) {
        case '\\':
            if (i + 1 < n && is_ascii_punct((unsigned char)s[i + 1])) {
                text_builder_putc(b, s[i + 1]);
                i += 2;
            } else {
                if (i + 1 < n)  /* a final '\' is a hard break */
                    text_builder_putc(b, '\\');
                i++;
            }
            break;
        case '`':
            i = code_span(&m, i, run);
            break;
        case '*':
            if (is_space(prev) && is_space((unsigned char)next))
                text_builder_put(b, s + i, run);
            i += run;
            break;
        case '_':
            if (is_word_byte(prev) && is_word_byte((unsigned char)next))
                text_builder_put(b, s + i, run);
            i += run;
            break;
        case '~':
            if (run == 1)
                text_builder_putc(b, '~');
            i += run;
            break;
        case '!':
            if (i + 1 < n && s[i + 1] == '[') {
                if (m.nopeners < MD_MAX_OPENERS)
                    m.openers[m.nopeners++] = (opener_t){b->len, 2};
                text_builder_put(b, "![", 2);
                i += 2;
            } else {
                text_builder_putc(b, '!');
                i++;
            }
            break;
        case '[':
            if (m.nopeners < MD_MAX_OPENERS)
                m.openers[m.nopeners++] = (opener_t){b->len, 1};
            text_builder_putc(b, '[');
            i++;
            break;
        case ']':
            i = close_bracket(&m, i);
            break;
        case '<':
            i = angle(&m, i, st);
            break;
        case '&': {
            uint32_t cp;
            size_t k = html_char_ref(s + i, n - i, &cp);
            if (k) {
                text_builder_put_cp(b, cp);
                i += k;
            } else {
                text_builder_putc(b, '&');
                i++;
            }
            break;
        }
        case '|':
            text_builder_putc(b, (flags & MD_TABLE_ROW) ? ' ' : '|');
            i++;
            break;
        default:
            text_builder_putc(b, (char)c);
            i++;
            break;
        }
    }
}
