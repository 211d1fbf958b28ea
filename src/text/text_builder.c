/*
 * text_builder.c - growing a post's text with its line anchors and
 * language marks.  See text_builder.h.
 */
#include <stdlib.h>
#include <string.h>

#include "text_builder.h"
#include "../analysis/utf8.h"

/* Grows *p (an array of `size`-byte items with room for *cap) to hold
 * `need` items.  Returns 0 or -1. */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return -1;
        ncap *= 2;
    }
    void *np = realloc(*p, ncap * size);
    if (!np)
        return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

void text_builder_init(text_builder_t *b, uint32_t first_line,
                       size_t size_hint)
{
    memset(b, 0, sizeof *b);
    b->line = first_line;
    if (size_hint && grow((void **)&b->buf, &b->cap, size_hint, 1) != 0)
        b->rc = -1;
    if (grow((void **)&b->anchors, &b->acap, 1, sizeof *b->anchors) != 0)
        b->rc = -1;
    else {
        b->anchors[0].offset = 0;
        b->anchors[0].line = first_line;
        b->nanchors = 1;
    }
}

void text_builder_put(text_builder_t *b, const char *s, size_t n)
{
    if (b->rc || n == 0)
        return;
    if (n > SIZE_MAX - b->len - 1 ||
        grow((void **)&b->buf, &b->cap, b->len + n + 1, 1) != 0) {
        b->rc = -1;
        return;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    for (const char *p = s, *end = s + n;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        b->line++;
}

void text_builder_putc(text_builder_t *b, char c)
{
    if (b->rc)
        return;
    if (b->len + 1 < b->cap) {  /* fast path */
        b->buf[b->len++] = c;
        if (c == '\n')
            b->line++;
        return;
    }
    text_builder_put(b, &c, 1);
}

void text_builder_put_cp(text_builder_t *b, uint32_t cp)
{
    char u[UTF8_MAX];
    text_builder_put(b, u, utf8_encode(cp, u));
}

void text_builder_anchor(text_builder_t *b, uint32_t line)
{
    if (b->rc || line == b->line)
        return;
    line_anchor_t *last = &b->anchors[b->nanchors - 1];
    if (last->offset == b->len) {
        last->line = line;  /* nothing was written under the last one */
    } else {
        if (grow((void **)&b->anchors, &b->acap, b->nanchors + 1,
                 sizeof *b->anchors) != 0) {
            b->rc = -1;
            return;
        }
        b->anchors[b->nanchors].offset = (uint32_t)b->len;
        b->anchors[b->nanchors].line = line;
        b->nanchors++;
    }
    b->line = line;
}

void text_builder_lang(text_builder_t *b, trouve_lang_t lang)
{
    if (b->rc)
        return;
    trouve_lang_t now = b->nlangs ? b->langs[b->nlangs - 1].lang
                                  : TROUVE_LANG_UNKNOWN;
    if (lang == now)
        return;
    if (b->nlangs && b->langs[b->nlangs - 1].offset == b->len) {
        /* Replace an empty declaration; drop it if it restores the one
         * before. */
        trouve_lang_t before = b->nlangs > 1 ? b->langs[b->nlangs - 2].lang
                                             : TROUVE_LANG_UNKNOWN;
        if (before == lang)
            b->nlangs--;
        else
            b->langs[b->nlangs - 1].lang = lang;
        return;
    }
    if (grow((void **)&b->langs, &b->lcap, b->nlangs + 1,
             sizeof *b->langs) != 0) {
        b->rc = -1;
        return;
    }
    b->langs[b->nlangs].offset = (uint32_t)b->len;
    b->langs[b->nlangs].lang = lang;
    b->nlangs++;
}

void text_builder_trim_blanks(text_builder_t *b)
{
    /* Never below the last anchor or mark: they must stay inside the
     * text and in order. */
    size_t floor = b->nanchors ? b->anchors[b->nanchors - 1].offset : 0;
    if (b->nlangs && b->langs[b->nlangs - 1].offset > floor)
        floor = b->langs[b->nlangs - 1].offset;
    while (b->len > floor && (b->buf[b->len - 1] == ' ' ||
                              b->buf[b->len - 1] == '\t'))
        b->len--;
}

void text_builder_free(text_builder_t *b)
{
    free(b->buf);
    free(b->anchors);
    free(b->langs);
    memset(b, 0, sizeof *b);
}

int text_builder_finish(text_builder_t *b, post_text_t *out)
{
    if (b->rc == 0 && grow((void **)&b->buf, &b->cap, b->len + 1, 1) != 0)
        b->rc = -1;
    if (b->rc) {
        text_builder_free(b);
        return -1;
    }
    /* Anchors or marks past the end of the text say nothing. */
    while (b->nanchors > 1 && b->anchors[b->nanchors - 1].offset >= b->len)
        b->nanchors--;
    while (b->nlangs > 0 && b->langs[b->nlangs - 1].offset >= b->len &&
           b->len > 0)
        b->nlangs--;
    b->buf[b->len] = '\0';
    out->text = b->buf;
    out->len = b->len;
    out->anchors = b->anchors;
    out->nanchors = b->nanchors;
    if (b->nlangs) {
        out->langs = b->langs;
    } else {
        free(b->langs);
        out->langs = NULL;
    }
    out->nlangs = b->nlangs;
    memset(b, 0, sizeof *b);
    return 0;
}
