/*
 * passage.c - cutting a post's text into passages (passages_split,
 * passages_find_word, passage_list_free).  Languages: passage_lang.c.
 *
 * One pass over the text, line by line:
 *
 *   - a paragraph is a run of non-blank lines; a blank line holds nothing
 *     but spaces, tabs, U+00A0 and U+202F;
 *   - a heading is a paragraph of one line, of at most HEADING_MAX_WORDS
 *     words, not ending in . ! ? ; : or ... (closing quotes and brackets
 *     after them looked through), followed by another paragraph: it is
 *     joined to that paragraph, and so are several headings in a row;
 *   - a paragraph of more than PASSAGE_MAX_WORDS words is cut, at sentence
 *     ends if it has some, else at line breaks, else at a word, into
 *     pieces of PASSAGE_MIN_WORDS..PASSAGE_MAX_WORDS words, the last piece
 *     never shorter than PASSAGE_MIN_WORDS.
 *
 * Words here are an estimate: runs of bytes between white space.  The
 * indexer tokenizes each passage once and puts the real counts in
 * first_word and nwords; until then they hold the estimates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "passage.h"
#include "../analysis/swar.h"

/* Length of the white space at s[i] as passage_space_len, testing the
 * bytes that cannot begin white space first: all but the ASCII controls
 * and space, and C2 and E2, the lead bytes of U+00A0 and U+202F (c | 0x20
 * is E2 for those two bytes and no other).  Runs of spaces indent. */
static inline size_t space_at(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c > ' ' && (c | 0x20) != 0xE2)
        return 0;
    return c == ' ' ? 1 : passage_space_len(s, i, n);
}

/* The bytes of v (swar.h) that may begin white space, as space_at tests
 * them: below 0x21, or C2 or E2.  The lowest one is exact; above it,
 * false hits may follow (borrows). */
static inline uint64_t maybe_space8(uint64_t v)
{
    const uint64_t ones = SWAR_ONES;
    uint64_t e2 = (v | ones * 0x20) ^ ones * 0xE2;
    return (((v - ones * 0x21) & ~v) | ((e2 - ones) & ~e2)) & SWAR_HIGHS;
}

/* The end of the word that starts at s[i] (not white space), before n.
 * Words are short but text is long: eight bytes are looked at together,
 * and only a byte that may begin white space one by one. */
static inline size_t word_end(const char *s, size_t i, size_t n)
{
    for (i++; i < n; i++) {
        for (; i + 8 <= n; i += 8) {
            uint64_t m = maybe_space8(swar_load8(s + i));
            if (m) {
                i += (size_t)__builtin_ctzll(m) >> 3;
                break;
            }
        }
        if (i >= n)
            break;
        if (space_at(s, i, n))
            break;
    }
    return i;
}

/* The next word at or after *pos, before `end`: its range in *ws, *we;
 * *newline gets 1 if the white space before it held a line break.
 * Returns 0 when there is none. */
static int next_word(const char *s, size_t *pos, size_t end, size_t *ws,
                     size_t *we, int *newline)
{
    size_t i = *pos, k;
    *newline = 0;
    while (i < end && (k = space_at(s, i, end)) != 0) {
        *newline |= s[i] == '\n';
        i += k;
    }
    if (i >= end)
        return 0;
    *ws = i;
    *we = *pos = word_end(s, i, end);
    return 1;
}

/* The ASCII white space of eight bytes v: space, and \t \n \v \f \r
 * (9 to 13). */
static inline uint64_t ascii_space8(uint64_t v)
{
    uint64_t v7 = v & ~SWAR_HIGHS;
    uint64_t ctl = swar_at_least(v7, 9) & ~swar_at_least(v7, 14);
    return (swar_equal(v, ' ') | ctl) & ~v & SWAR_HIGHS;
}

/* The bytes below byte k (k < 8) of a mask. */
static inline uint64_t below8(unsigned k)
{
    return ((uint64_t)1 << 8 * k) - 1;
}

/* The words of the line that starts at s[pos] (white space between
 * them, as space_at sees it): their number, the start of the first in
 * *first and the end of the last in *last (both left alone when there
 * are none); *e gets the line's end, its '\n' or n.  The splitter's hot
 * loop: eight bytes at a time, the words counted by their first bytes
 * (a byte not white space after one that is); the last few bytes of the
 * text one by one. */
static uint32_t scan_line(const char *s, size_t pos, size_t n, size_t *e,
                          size_t *first, size_t *last)
{
    uint32_t words = 0;
    size_t q = pos;
    uint64_t before = 0x80; /* byte 0 comes after white space (or the
                               line's start) */
    uint64_t carry = 0;     /* the next block's bytes that end a U+00A0 or
                               U+202F begun in this one */
    for (; q + 10 <= n; q += 8) {
        uint64_t v = swar_load8(s + q);
        uint64_t sp = ascii_space8(v) | carry;
        carry = 0;
        if (swar_equal(v | SWAR_ONES * 0x20, 0xE2)) { /* C2 or E2 */
            uint64_t v1 = swar_load8(s + q + 1), v2 = swar_load8(s + q + 2);
            uint64_t nb = swar_equal(v, 0xC2) & swar_equal(v1, 0xA0);
            uint64_t nn = swar_equal(v, 0xE2) & swar_equal(v1, 0x80) &
                          swar_equal(v2, 0xAF); /* U+00A0, U+202F */
            sp |= nb | nb << 8 | nn | nn << 8 | nn << 16;
            carry = nb >> 56 | nn >> 56 | nn >> 48;
        }
        uint64_t nl = swar_equal(v, '\n');
        uint64_t in = nl ? below8((unsigned)__builtin_ctzll(nl) >> 3) : ~0ull;
        uint64_t word = ~sp & SWAR_HIGHS & in;
        if (word) {
            uint64_t starts = word & (sp << 8 | before);
            if (!words)
                *first = q + ((size_t)__builtin_ctzll(starts) >> 3);
            words += swar_count(starts);
            *last = q + ((size_t)(63 - __builtin_clzll(word)) >> 3) + 1;
        }
        if (nl) {
            *e = q + ((size_t)__builtin_ctzll(nl) >> 3);
            return words;
        }
        before = sp >> 56 & 0x80;
    }
    /* The rest: bytes 0 and 1 may end a white space begun before. */
    size_t i = q + (carry & 0x8000 ? 2 : carry & 0x80 ? 1 : 0);
    int after_space = before || i > q;
    while (i < n && s[i] != '\n') {
        size_t k = space_at(s, i, n);
        if (k) {
            i += k;
            after_space = 1;
            continue;
        }
        if (after_space && words++ == 0)
            *first = i;
        after_space = 0;
        *last = ++i;
    }
    *e = i;
    return words;
}

/* Length of a closing quote or bracket ending at s[e] (exclusive), or 0. */
static size_t closer_before(const char *s, size_t b, size_t e)
{
    if (e <= b)
        return 0;
    unsigned char c = (unsigned char)s[e - 1];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' ||
        c == '*' || c == '_')
        return 1;
    if (e - b >= 2 && (unsigned char)s[e - 2] == 0xC2 && c == 0xBB)
        return 2;  /* » */
    if (e - b >= 3 && (unsigned char)s[e - 3] == 0xE2 &&
        (unsigned char)s[e - 2] == 0x80 && (c == 0x99 || c == 0x9D))
        return 3;  /* ’ ” */
    return 0;
}

/* 1 if the word s[b..e) is only a closing quote or bracket. */
static int is_closer(const char *s, size_t b, size_t e)
{
    size_t k = closer_before(s, b, e);
    return k && k == e - b;
}

/* 1 if s[b..e) ends a sentence: . ! ? or ... (U+2026), then maybe closing
 * quotes or brackets.  With `heading_marks`, ; and : count too. */
static int ends_sentence(const char *s, size_t b, size_t e, int heading_marks)
{
    size_t k;
    while ((k = closer_before(s, b, e)) != 0)
        e -= k;
    if (e <= b)
        return 0;
    char c = s[e - 1];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    if (heading_marks && (c == ';' || c == ':'))
        return 1;
    return e - b >= 3 && (unsigned char)s[e - 3] == 0xE2 &&
           (unsigned char)s[e - 2] == 0x80 && (unsigned char)s[e - 1] == 0xA6;
}

/* Sticky append to the list. */
typedef struct splitter {
    const post_text_t *post;
    passage_list_t *out;
    post_line_cursor_t lines;
    uint32_t words;  /* estimated words before the next passage */
    int rc;
} splitter_t;

static void push(splitter_t *sp, size_t start, size_t end, uint32_t words,
                 unsigned heading)
{
    passage_list_t *l = sp->out;
    if (sp->rc)
        return;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        passage_t *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            sp->rc = -1;
            return;
        }
        l->v = nv;
        l->cap = ncap;
    }
    passage_t *p = &l->v[l->n++];
    p->start = (uint32_t)start;
    p->end = (uint32_t)end;
    p->line = post_line_cursor_at(&sp->lines, start);
    p->first_word = sp->words;
    p->nwords = words;
    p->lang = TROUVE_LANG_UNKNOWN;
    p->heading = heading;
    sp->words += words;
}

/* Where to cut the paragraph s[pos..end) holding `remaining` words (more
 * than PASSAGE_MAX_WORDS): sets *cut (end of the first piece) and returns
 * its words. */
static uint32_t find_cut(const char *s, size_t pos, size_t end,
                         uint32_t remaining, size_t *cut)
{
    uint32_t hi = PASSAGE_MAX_WORDS;
    if (remaining - PASSAGE_MIN_WORDS < hi)
        hi = remaining - PASSAGE_MIN_WORDS;
    /* the fallback: pieces of even size */
    uint32_t pieces = (remaining + PASSAGE_MAX_WORDS - 1) / PASSAGE_MAX_WORDS;
    uint32_t even = (remaining + pieces - 1) / pieces;
    if (even > hi)
        even = hi;

    size_t sentence = 0, line = 0, word = 0;
    uint32_t sentence_n = 0, line_n = 0, word_n = 0;
    uint32_t count = 0;
    size_t i = pos, ws, we, last_end = pos;
    int nl;
    while (count < hi + 1 && next_word(s, &i, end, &ws, &we, &nl)) {
        if (nl && count >= PASSAGE_MIN_WORDS && count <= hi) {
            line = last_end;
            line_n = count;
        }
        if (is_closer(s, ws, we) && sentence == last_end && !nl &&
            sentence_n == count) {
            sentence = we;  /* ". »": the quote goes with the sentence */
            sentence_n = ++count;
            last_end = we;
            continue;
        }
        count++;
        last_end = we;
        if (count == even) {
            word = we;
            word_n = count;
        }
        if (count >= PASSAGE_MIN_WORDS && count <= hi &&
            ends_sentence(s, ws, we, 0)) {
            sentence = we;
            sentence_n = count;
        }
    }
    if (sentence) {
        *cut = sentence;
        return sentence_n;
    }
    if (line) {
        *cut = line;
        return line_n;
    }
    *cut = word ? word : last_end;
    return word ? word_n : count;
}

/* A paragraph (maybe with headings joined) s[start..end) of `words`. */
static void add_paragraph(splitter_t *sp, size_t start, size_t end,
                          uint32_t words, unsigned heading)
{
    const char *s = sp->post->text;
    while (words > PASSAGE_MAX_WORDS && sp->rc == 0) {
        size_t cut;
        uint32_t n = find_cut(s, start, end, words, &cut);
        if (n == 0 || n >= words)
            break;
        push(sp, start, cut, n, heading);
        heading = 0;
        words -= n;
        size_t ws, we;
        int nl;
        start = cut;
        if (!next_word(s, &start, end, &ws, &we, &nl))
            return;
        start = ws;
    }
    push(sp, start, end, words, heading);
}

int passages_split(const post_text_t *post, passage_list_t *out)
{
    if (post->len > UINT32_MAX)
        return -1;
    splitter_t sp;
    sp.post = post;
    sp.out = out;
    post_line_cursor_init(&sp.lines, post);
    sp.words = 0;
    sp.rc = 0;

    const char *s = post->text;
    size_t n = post->len;
    /* The paragraph being read, and headings waiting to be joined. */
    size_t p_start = 0, p_end = 0;
    uint32_t p_words = 0, p_lines = 0;
    size_t h_start = 0, h_end = 0;
    uint32_t h_words = 0, h_count = 0;

    size_t pos = 0;
    while (sp.rc == 0) {
        size_t e, first, last;
        uint32_t words = scan_line(s, pos, n, &e, &first, &last);
        if (words) {
            if (p_lines == 0)
                p_start = first;
            p_end = last;
            p_lines++;
            p_words += words;
        }
        if ((!words || e == n) && p_lines) {
            /* The paragraph ends here. */
            if (p_lines == 1 && p_words <= HEADING_MAX_WORDS &&
                !ends_sentence(s, p_start, p_end, 1)) {
                if (h_count++ == 0)
                    h_start = p_start;
                h_end = p_end;
                h_words += p_words;
            } else if (h_count) {
                add_paragraph(&sp, h_start, p_end, h_words + p_words, 1);
                h_count = h_words = 0;
            } else {
                add_paragraph(&sp, p_start, p_end, p_words, 0);
            }
            p_lines = p_words = 0;
        }
        if (e == n)
            break;
        pos = e + 1;
    }
    if (h_count && sp.rc == 0) {
        /* Headings with no paragraph after them: the last one is the
         * body they are joined to. */
        add_paragraph(&sp, h_start, h_end, h_words, h_count > 1);
    }
    return sp.rc;
}

size_t passages_find_word(const passage_t *v, size_t n, uint32_t ordinal)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {  /* first passage starting past ordinal */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].first_word <= ordinal)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return n;
    const passage_t *p = &v[lo - 1];
    return ordinal - p->first_word < p->nwords ? lo - 1 : n;
}

void passage_list_free(passage_list_t *list)
{
    if (!list)
        return;
    free(list->v);
    list->v = NULL;
    list->n = list->cap = 0;
}
