/*
 * title_passage.c - a title the markup gives (front matter's title:, an
 * HTML <title>) put at the start of the text, so its words are found.
 *
 * The title goes first, as a paragraph of its own ("Title\n\n" then the
 * text), anchored at the line where the markup says it and declared in
 * the language in force there.  The passage splitter then sees it like
 * any short first line: a heading joined to the paragraph after it.
 *
 * When the text already starts with the title (an <h1> repeating the
 * <title>, a first "# heading" equal to the front matter's title), it is
 * not put a second time: the words of the title and of the text's first
 * lines are compared folded (fold.h), with everything that is not a word
 * character read as one space, as the tokenizer sees them.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "../analysis/fold.h"
#include "../analysis/utf8.h"

/* A title's words fold to at most FOLD_MAX bytes per byte. */
#define TITLE_KEY_MAX (TITLE_MAX_BYTES * FOLD_MAX + 1)

/* The folded words of a title, or of the start of a text, one space
 * between two words. */
typedef struct title_key {
    char s[TITLE_KEY_MAX];
    size_t len;
    int gap;  /* something that is no word came after the last word */
} title_key_t;

/* Appends the folded words of s[0..n) to *k.  Returns 0 when they do not
 * fit: longer than any title. */
static int key_add(title_key_t *k, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        char_class_t c = fold_class(cp);
        if (c != CC_WORD && c != CC_MARK) {
            k->gap = k->len > 0;
            continue;
        }
        char f[FOLD_MAX];
        size_t m = fold_codepoint(cp, f);
        if (k->len + 1 + m > sizeof k->s)
            return 0;
        if (k->gap)
            k->s[k->len++] = ' ';
        k->gap = 0;
        memcpy(k->s + k->len, f, m);
        k->len += m;
    }
    return 1;
}

/* 1 if the text s[0..n) starts with the words of `title` and a line
 * break (or its end) right after them; a title without words counts as
 * said.  The title may span lines of the text (an <h1> written over two),
 * never a blank line.  Stops at the first line that parts from it. */
static int text_says_title(const char *s, size_t n, const char *title)
{
    title_key_t *want = malloc(2 * sizeof *want);
    if (!want)
        return 0;
    title_key_t *got = want + 1;
    want->len = got->len = 0;
    want->gap = got->gap = 0;
    int said = 0;
    if (!key_add(want, title, strlen(title)) || want->len == 0) {
        said = want->len == 0;
        goto done;
    }
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t next = nl ? (size_t)(nl - s) + 1 : n;
        size_t before = got->len;
        if (!key_add(got, s + i, next - i))
            break;
        if (got->len == before && before > 0)
            break;  /* a line without words: the paragraph is over */
        if (got->len >= want->len ||
            memcmp(got->s, want->s, got->len) != 0) {
            said = got->len == want->len &&
                   memcmp(got->s, want->s, got->len) == 0;
            break;
        }
        i = next;
    }
done:
    free(want);
    return said;
}

/* Appends the mark {offset, lang} to v[0..*n) unless `lang` is already
 * in force there; offsets only grow. */
static void push_mark(lang_mark_t *v, size_t *n, uint32_t offset,
                      trouve_lang_t lang)
{
    if (lang == (*n ? v[*n - 1].lang : TROUVE_LANG_UNKNOWN))
        return;
    v[*n].offset = offset;
    v[*n].lang = lang;
    (*n)++;
}

int title_passage_add(post_text_t *post, uint32_t line, trouve_lang_t lang)
{
    if (!post->title || text_says_title(post->text, post->len, post->title))
        return 0;
    size_t tlen = strlen(post->title);
    size_t plen = tlen + (post->len > 0 ? 2 : 0);  /* "Title\n\n" */
    if (post->len >= UINT32_MAX - plen)
        return 0;  /* offsets are 32-bit: leave such a text as it is */
    char *text = malloc(plen + post->len + 1);
    line_anchor_t *anchors = malloc((post->nanchors + 1) * sizeof *anchors);
    lang_mark_t *langs = malloc((post->nlangs + 2) * sizeof *langs);
    if (!text || !anchors || !langs) {
        free(text);
        free(anchors);
        free(langs);
        return -1;
    }
    memcpy(text, post->title, tlen);
    memcpy(text + tlen, "\n\n", plen - tlen);
    memcpy(text + plen, post->text, post->len + 1);
    size_t len = plen + post->len;

    /* The title's line, then the text's own anchors, moved past it.  Lines
     * never go back from a word to the next in a post's text (fuzz_markup
     * checks it): a <title> standing after the text has begun (an inline
     * SVG's, a page without <head>) takes the line where the text
     * starts. */
    if (post->len > 0 && post->nanchors && post->anchors[0].line < line)
        line = post->anchors[0].line;
    size_t na = 0;
    anchors[na++] = (line_anchor_t){0, line};
    for (size_t i = 0; i < post->nanchors; i++)
        if (post->anchors[i].offset + plen < len)
            anchors[na++] = (line_anchor_t){
                (uint32_t)(post->anchors[i].offset + plen),
                post->anchors[i].line};

    /* The title's language, ended where the text starts unless the text
     * declares its own there. */
    size_t nl = 0;
    push_mark(langs, &nl, 0, lang);
    if (post->len > 0 && !(post->nlangs && post->langs[0].offset == 0))
        push_mark(langs, &nl, (uint32_t)plen, TROUVE_LANG_UNKNOWN);
    for (size_t i = 0; i < post->nlangs && post->len > 0; i++)
        push_mark(langs, &nl, (uint32_t)(post->langs[i].offset + plen),
                  post->langs[i].lang);

    free(post->text);
    free(post->anchors);
    free(post->langs);
    post->text = text;
    post->len = len;
    post->anchors = anchors;
    post->nanchors = na;
    if (nl) {
        post->langs = langs;
    } else {
        free(langs);
        langs = NULL;
        post->langs = NULL;
    }
    post->nlangs = nl;
    return 0;
}
