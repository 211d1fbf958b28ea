/*
 * token.c - the tokenizer: words with byte offsets, folded terms,
 * lowercase forms, French elisions split off, English possessives dropped.
 *
 * One pass over the bytes.  ASCII letters and digits, nearly all of the
 * input, are handled from a table without decoding; anything else goes
 * through utf8_decode and the fold tables (fold_table.h).  A word made
 * only of them (nearly every word) takes a shorter path still:
 * scan_ascii_word builds its term once and reports it as its lowercase
 * form too.
 * The term and the lowercase form of the current word are built in fixed
 * buffers inside a tokenizer_t on the stack: no allocation at all, and a
 * word longer than TOKEN_TERM_MAX costs only the scan of its bytes.
 *
 * The rules (token.h has the contract):
 *   - a word starts at a CC_WORD character and goes on over CC_WORD and
 *     CC_MARK characters (marks and ignorables fold to nothing);
 *   - an apostrophe followed by a letter (not a digit) joins, unless the
 *     word so far is an elision (l d j m n s t c qu jusqu lorsqu puisqu
 *     quoiqu), reported as a TOKEN_ELISION token, or the apostrophe starts
 *     a final 's (English possessive), which is dropped;
 *   - any other apostrophe ends the word and is not part of it;
 *   - one to three '+' or '#' right after a word with a letter, before a
 *     separator, are part of it (C++, C#: suffix_end).
 * The lowercase form recomposes a letter typed with combining accents
 * (e + U+0301 -> é) so the stemmers see the usual precomposed letters.
 */
#include <string.h>

#include "fold.h"
#include "fold_table.h"
#include "swar.h"
#include "token.h"
#include "utf8.h"

/* Room for the lowercase form: it may be longer than the term (accents
 * kept, combining marks that do not compose); it is cut, without a flag,
 * past this many bytes. */
#define LOWER_MAX (4 * TOKEN_TERM_MAX)

/* What a byte is to the tokenizer when it is ASCII: the lowercase form of
 * a letter or digit (digits stay), 0 for anything else (the apostrophe is
 * tested for itself).  256 entries: the bytes from 0x80 are 0 here (the
 * callers look at them as UTF-8 when it matters), so the hot loops need
 * no test first, and they copy what they look up. */
static const char ascii_lower[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* controls */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /*  !"#$%&'()*+,-./ */
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    0, 0, 0, 0, 0, 0,                               /* :;<=>? */
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
    'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
    0, 0, 0, 0, 0,                                  /* [\]^_ */
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
    'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
    0, 0, 0, 0, 0,                                  /* {|}~ DEL */
};

/* Set in the lowercase letters, clear in the digits: OR-ing the forms of
 * a run tells whether it held a letter. */
#define LETTER_BIT 0x40

typedef struct tokenizer {
    const char *text;       /* the text being tokenized */
    size_t len;             /* its length in bytes */
    token_fn fn;            /* the caller's callback */
    void *ctx;              /* its context */
    uint32_t ordinal;       /* ordinal of the next TOKEN_WORD */

    /* the word being built */
    size_t start;           /* byte offset of its first character */
    size_t end;             /* byte offset past its last character so far */
    size_t term_len;        /* bytes in term */
    size_t lower_len;       /* bytes in lower */
    size_t lower_last;      /* offset in lower of its last code point */
    uint32_t lower_last_cp; /* that code point, 0 if none may compose */
    int term_full;          /* term cut: the word is TOKEN_LONG */
    int lower_full;         /* lower cut (no flag) */
    int letters;            /* a non-numeric character was seen */
    char term[TOKEN_TERM_MAX + 1];
    char lower[LOWER_MAX + 1];
} tokenizer_t;

static void word_begin(tokenizer_t *t, size_t start)
{
    t->start = t->end = start;
    t->term_len = t->lower_len = 0;
    t->lower_last = 0;
    t->lower_last_cp = 0;
    t->term_full = t->lower_full = 0;
    t->letters = 0;
}

/* Appends a form to term, or marks the word long when it does not fit:
 * once cut, the term takes nothing more, so it ends on a character. */
static void term_append(tokenizer_t *t, const char *s, size_t n)
{
    if (t->term_full)
        return;
    if (t->term_len + n > TOKEN_TERM_MAX) {
        t->term_full = 1;
        return;
    }
    memcpy(t->term + t->term_len, s, n);
    t->term_len += n;
}

/* Appends a lowercase form, whose last code point is last_cp (last_len
 * bytes; 0 when nothing may compose with it); cut like term_append. */
static void lower_append(tokenizer_t *t, const char *s, size_t n,
                         uint32_t last_cp, size_t last_len)
{
    if (t->lower_full || n == 0)
        return;
    if (t->lower_len + n > LOWER_MAX) {
        t->lower_full = 1;
        return;
    }
    memcpy(t->lower + t->lower_len, s, n);
    t->lower_len += n;
    t->lower_last = t->lower_len - last_len;
    t->lower_last_cp = last_cp;
}

/* The last code point of the UTF-8 form s[0..n) (n >= 1), and its length. */
static uint32_t last_codepoint(const char *s, size_t n, size_t *len)
{
    size_t i = n - 1;
    uint32_t cp;

    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    utf8_decode(s + i, n - i, &cp);
    *len = n - i;
    return cp;
}

/* Adds the non-ASCII word character cp (src[0..n) in the text). */
static void add_letter(tokenizer_t *t, uint32_t cp, const fold_record_t *r,
                       const char *src, size_t n)
{
    if (r->fold_len == FOLD_SELF)
        term_append(t, src, n);
    else
        term_append(t, (const char *)fold_pool + r->fold, r->fold_len);

    if (r->lower_len == FOLD_SELF) {
        lower_append(t, src, n, cp, n);
    } else if (r->lower_len > 0) {
        const char *form = (const char *)fold_pool + r->lower;
        size_t last_len;
        uint32_t last = last_codepoint(form, r->lower_len, &last_len);
        lower_append(t, form, r->lower_len, last, last_len);
    }
    if (!(r->flags & FOLD_NUMERIC))
        t->letters = 1;
}

/* Adds the combining mark or ignorable cp: nothing to the term; to the
 * lowercase form, composed with the letter before it when possible. */
static void add_mark(tokenizer_t *t, uint32_t cp, const fold_record_t *r,
                     const char *src, size_t n)
{
    if (r->lower_len == 0 || t->lower_full)
        return; /* ignorable: soft hyphen, joiners... */
    uint32_t composed = t->lower_last_cp ?
        fold_compose(t->lower_last_cp, cp) : 0;
    if (composed) {
        char buf[UTF8_MAX];
        size_t len = utf8_encode(composed, buf);
        if (t->lower_last + len <= LOWER_MAX) {
            memcpy(t->lower + t->lower_last, buf, len);
            t->lower_len = t->lower_last + len;
            t->lower_last_cp = composed;
            return;
        }
    }
    if (r->lower_len == FOLD_SELF)
        lower_append(t, src, n, 0, n);
    else
        lower_append(t, (const char *)fold_pool + r->lower, r->lower_len,
                     0, 0);
    t->lower_last_cp = 0; /* nothing composes across a stray mark */
}

/* True if the term so far is one of the French elisions. */
static int is_elision(const tokenizer_t *t)
{
    const char *s = t->term;

    if (t->term_full)
        return 0;
    switch (t->term_len) {
    case 1:
        return strchr("ldjmnstc", s[0]) != NULL;
    case 2:
        return memcmp(s, "qu", 2) == 0;
    case 5:
        return memcmp(s, "jusqu", 5) == 0;
    case 6:
        return memcmp(s, "lorsqu", 6) == 0 || memcmp(s, "puisqu", 6) == 0 ||
               memcmp(s, "quoiqu", 6) == 0;
    default:
        return 0;
    }
}

/* The class of the character at text[p] (CC_SEPARATOR past the end), with
 * *numeric set for digits. */
static char_class_t class_at(const tokenizer_t *t, size_t p, int *numeric)
{
    *numeric = 0;
    if (p >= t->len)
        return CC_SEPARATOR;
    unsigned char b = (unsigned char)t->text[p];
    if (b < 0x80) {
        if (ascii_lower[b]) {
            *numeric = !(ascii_lower[b] & LETTER_BIT);
            return CC_WORD;
        }
        return b == '\'' ? CC_APOSTROPHE : CC_SEPARATOR;
    }
    uint32_t cp;
    utf8_decode(t->text + p, t->len - p, &cp);
    const fold_record_t *r = fold_record(cp);
    *numeric = (r->flags & FOLD_NUMERIC) != 0;
    return (char_class_t)(r->flags & FOLD_CLASS_MASK);
}

static int emit(tokenizer_t *t, token_kind_t kind, size_t end)
{
    token_t tok;

    t->term[t->term_len] = '\0';
    t->lower[t->lower_len] = '\0';
    tok.start = t->start;
    tok.end = end;
    tok.term = t->term;
    tok.term_len = t->term_len;
    tok.lower = t->lower;
    tok.lower_len = t->lower_len;
    tok.ordinal = t->ordinal;
    tok.kind = kind;
    tok.flags = 0;
    if (kind == TOKEN_WORD) {
        t->ordinal++;
        if (t->term_full)
            tok.flags |= TOKEN_LONG;
        if (!t->letters)
            tok.flags |= TOKEN_NONWORD;
    }
    return t->fn(t->ctx, &tok);
}

/* Adds the run of ASCII letters and digits at text[p] and returns where
 * it ends.  While both buffers have room, a tight loop copies; the rest of
 * a long word goes byte by byte through the appenders, which cut it. */
static size_t scan_ascii(tokenizer_t *t, size_t p)
{
    const char *s = t->text;
    size_t len = t->len, q = p;
    size_t room = 0;
    unsigned letters = 0;

    if (!t->term_full && !t->lower_full) {
        room = TOKEN_TERM_MAX - t->term_len;
        if (LOWER_MAX - t->lower_len < room)
            room = LOWER_MAX - t->lower_len;
    }
    size_t stop = len - p < room ? len - p : room;
    const unsigned char *in = (const unsigned char *)s + p;
    char *term = t->term + t->term_len, *lower = t->lower + t->lower_len;
    size_t i = 0;
    for (; i < stop; i++) {
        char c = ascii_lower[in[i]];
        if (!c)
            break;
        term[i] = lower[i] = c;
        letters |= (unsigned char)c;
    }
    q += i;
    if (q > p) {
        t->term_len += q - p;
        t->lower_len += q - p;
        t->lower_last = t->lower_len - 1;
        t->lower_last_cp = (unsigned char)t->lower[t->lower_last];
    }
    while (q < len) { /* past the room: rare, long words */
        char c = ascii_lower[(unsigned char)s[q]];
        if (!c)
            break;
        term_append(t, &c, 1);
        lower_append(t, &c, 1, (unsigned char)c, 1);
        letters |= (unsigned char)c;
        q++;
    }
    if (letters & LETTER_BIT)
        t->letters = 1;
    return q;
}

/* The word being built ends at text[p]: one to SUFFIX_MAX '+' or '#'
 * there, when it has a letter and they come before anything but a
 * letter, digit or mark (C++, C#, Notepad++; not a+b nor 18+), are
 * added to its term and lowercase form.  Returns where the word ends
 * now: past them, or p. */
#define SUFFIX_MAX 3
static size_t suffix_end(tokenizer_t *t, size_t p)
{
    size_t q = p;
    while (q < t->len && q - p <= SUFFIX_MAX &&
           (t->text[q] == '+' || t->text[q] == '#'))
        q++;
    int numeric;
    char_class_t next = class_at(t, q, &numeric);
    if (q == p || q - p > SUFFIX_MAX || !t->letters || t->term_full ||
        t->term_len + (q - p) > TOKEN_TERM_MAX || next == CC_WORD ||
        next == CC_MARK)
        return p;
    term_append(t, t->text + p, q - p);
    lower_append(t, t->text + p, q - p, 0, 0);
    return q;
}

/* Reads the word starting at *pos (a CC_WORD character), reports it (and
 * the elisions in front of it), and moves *pos past it. */
static int scan_word(tokenizer_t *t, size_t *pos)
{
    const char *s = t->text;
    size_t len = t->len, p = *pos;

    word_begin(t, p);
    for (;;) {
        /* the fast path: a run of ASCII letters and digits */
        size_t q = scan_ascii(t, p);
        if (q > p)
            p = t->end = q;
        if (p >= len)
            break;

        /* one other character */
        unsigned char b = (unsigned char)s[p];
        size_t n = 1;
        if (b >= 0x80) {
            uint32_t cp;
            n = utf8_decode(s + p, len - p, &cp);
            const fold_record_t *r = fold_record(cp);
            char_class_t cls = (char_class_t)(r->flags & FOLD_CLASS_MASK);
            if (cls == CC_WORD || cls == CC_MARK) {
                if (cls == CC_WORD)
                    add_letter(t, cp, r, s + p, n);
                else
                    add_mark(t, cp, r, s + p, n);
                p = t->end = p + n;
                continue;
            }
            if (cls != CC_APOSTROPHE)
                break;
        } else if (b != '\'') {
            break;
        }

        /* an apostrophe: it joins only before a letter */
        int numeric;
        size_t after = p + n;
        if (class_at(t, after, &numeric) != CC_WORD || numeric)
            break;
        if (is_elision(t)) {
            term_append(t, "'", 1);
            lower_append(t, "'", 1, 0, 1);
            int rc = emit(t, TOKEN_ELISION, after);
            if (rc != 0)
                return rc;
            word_begin(t, after);
            p = after;
            continue;
        }
        if (s[after] == 's' || s[after] == 'S') {
            char_class_t next = class_at(t, after + 1, &numeric);
            if (next != CC_WORD && next != CC_MARK) {
                p = after + 1; /* possessive 's: dropped */
                break;
            }
        }
        term_append(t, "'", 1);
        lower_append(t, "'", 1, 0, 1);
        p = after;
    }
    if (p == t->end)
        p = t->end = suffix_end(t, p);
    *pos = p;
    return emit(t, TOKEN_WORD, t->end);
}

/* The ASCII letters of eight bytes v (swar.h), and in *alnum its ASCII
 * letters and digits: the bytes ascii_lower maps to non-zero. */
static inline uint64_t letters8(uint64_t v, uint64_t *alnum)
{
    uint64_t v7 = v & ~SWAR_HIGHS, ascii = ~v & SWAR_HIGHS;
    uint64_t low = v7 | SWAR_ONES * 0x20; /* A-Z to a-z, no other letter */
    uint64_t letter =
        swar_at_least(low, 'a') & ~swar_at_least(low, 'z' + 1) & ascii;
    uint64_t digit = swar_at_least(v7, '0') & ~swar_at_least(v7, '9' + 1);
    *alnum = letter | (digit & ascii);
    return letter;
}

/* The fast path for nearly every word: a run of ASCII letters and digits
 * at text[*pos] that ends the word (at the end of the text or before an
 * ASCII separator that is not an apostrophe) and fits in TOKEN_TERM_MAX.
 * Its term is its lowercase form, built once in t->term; the word is
 * reported (*rc gets what the callback returned), *pos moved past it, and
 * 1 returned.  Returns 0, having reported nothing, when the word is not
 * such a run: scan_word reads it from the start then.  Eight bytes at a
 * time while eight are left: most words end within the first eight. */
static int scan_ascii_word(tokenizer_t *t, size_t *pos, int *rc)
{
    const unsigned char *in = (const unsigned char *)t->text + *pos;
    size_t n = t->len - *pos, i = 0;
    uint64_t letters = 0;
    char *term = t->term;
    while (i + 8 <= n && i + 8 <= TOKEN_TERM_MAX) {
        uint64_t v = swar_load8(in + i), alnum;
        uint64_t letter = letters8(v, &alnum);
        uint64_t lower = v | letter >> 2; /* 0x80 >> 2: the case bit */
        memcpy(term + i, &lower, 8); /* bytes past the word: cut below */
        if (alnum == SWAR_HIGHS) {
            letters |= letter;
            i += 8;
            continue;
        }
        unsigned run = (unsigned)__builtin_ctzll(~alnum & SWAR_HIGHS) >> 3;
        letters |= letter & (((uint64_t)1 << (8 * run)) - 1);
        i += run;
        goto end;
    }
    if (n > TOKEN_TERM_MAX + 1)
        n = TOKEN_TERM_MAX + 1;
    for (; i < n; i++) {
        char c = ascii_lower[in[i]];
        if (!c)
            break;
        term[i] = c;
        letters |= (unsigned char)c & LETTER_BIT;
    }
end:
    if (i > TOKEN_TERM_MAX ||
        (*pos + i < t->len && (in[i] >= 0x80 || in[i] == '\'' ||
                               in[i] == '+' || in[i] == '#')))
        return 0;
    t->term[i] = '\0';
    token_t tok;
    tok.start = *pos;
    tok.end = *pos += i;
    tok.term = tok.lower = t->term;
    tok.term_len = tok.lower_len = i;
    tok.ordinal = t->ordinal++;
    tok.kind = TOKEN_WORD;
    tok.flags = letters ? 0 : TOKEN_NONWORD;
    *rc = t->fn(t->ctx, &tok);
    return 1;
}

/* How many ASCII separators (bytes ascii_lower maps to 0) begin
 * text[p..len). */
static inline size_t separators(const char *text, size_t p, size_t len)
{
    size_t q = p;
    for (; q + 8 <= len; q += 8) {
        uint64_t alnum;
        uint64_t v = swar_load8(text + q);
        letters8(v, &alnum);
        uint64_t stop = alnum | (v & SWAR_HIGHS);
        if (stop)
            return q - p + ((size_t)__builtin_ctzll(stop) >> 3);
    }
    while (q < len && (unsigned char)text[q] < 0x80 &&
           !ascii_lower[(unsigned char)text[q]])
        q++;
    return q - p;
}

int tokenize(const char *text, size_t len, uint32_t first_ordinal,
             token_fn fn, void *ctx)
{
    tokenizer_t t;
    size_t p = 0;

    t.text = text;
    t.len = len;
    t.fn = fn;
    t.ctx = ctx;
    t.ordinal = first_ordinal;
    while (p < len) {
        unsigned char b = (unsigned char)text[p];
        if (b < 0x80) {
            if (!ascii_lower[b]) {
                /* separators, spaces, a leading apostrophe */
                p += separators(text, p, len);
                continue;
            }
            int rc;
            if (scan_ascii_word(&t, &p, &rc)) {
                if (rc != 0)
                    return rc;
                continue;
            }
        } else {
            uint32_t cp;
            size_t n = utf8_decode(text + p, len - p, &cp);
            if ((fold_record(cp)->flags & FOLD_CLASS_MASK) != CC_WORD) {
                p += n; /* a mark or ignorable with no letter before it */
                continue;
            }
        }
        int rc = scan_word(&t, &p);
        if (rc != 0)
            return rc;
    }
    return 0;
}
