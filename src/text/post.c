/*
 * post.c - a post's format, its text from raw bytes, and the lookups
 * (line and declared language of a byte of the text).
 *
 * Reading files (and gzip) is in post_read.c; decoding bytes to UTF-8 in
 * decode.c; the extractors in markdown*.c, html.c, entity.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "post.h"
#include "extract.h"

/* 1 if name[0..n) ends in the extension `ext` (with its dot, any case)
 * and something comes before it. */
static int ends_with(const char *name, size_t n, const char *ext)
{
    size_t k = strlen(ext);
    return n > k && strncasecmp(name + n - k, ext, k) == 0;
}

int post_is_gzip(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    return ends_with(name, strlen(name), ".gz");
}

post_format_t post_format_of(const char *path)
{
    static const struct {
        const char *ext;
        post_format_t format;
    } formats[] = {
        {"txt", POST_FORMAT_TEXT},      {"text", POST_FORMAT_TEXT},
        {"md", POST_FORMAT_MARKDOWN},   {"markdown", POST_FORMAT_MARKDOWN},
        {"html", POST_FORMAT_HTML},     {"htm", POST_FORMAT_HTML},
        {"xhtml", POST_FORMAT_HTML},
    };
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t n = strlen(name);
    if (ends_with(name, n, ".gz"))
        n -= 3;
    /* The extension: after the last dot, unless the name starts there. */
    size_t dot = n;
    while (dot > 0 && name[dot - 1] != '.')
        dot--;
    if (dot <= 1 || dot == n)
        return n > 0 ? POST_FORMAT_TEXT : POST_FORMAT_NONE;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t k = strlen(formats[i].ext);
        if (n - dot == k && strncasecmp(name + dot, formats[i].ext, k) == 0)
            return formats[i].format;
    }
    return POST_FORMAT_NONE;
}

static void set_why(char *why, size_t whysz, const char *reason)
{
    if (why && whysz)
        snprintf(why, whysz, "%s", reason);
}

/* Plain text: the decoded text as it is. */
static int plain_extract(char *text, size_t len, post_text_t *out)
{
    out->anchors = malloc(sizeof *out->anchors);
    if (!out->anchors)
        return -1;
    out->anchors[0].offset = 0;
    out->anchors[0].line = 1;
    out->nanchors = 1;
    out->text = text;
    out->len = len;
    return 0;
}

static uint64_t count_newlines(const char *s, size_t n)
{
    uint64_t k = 0;
    for (const char *q = s, *end = s + n;
         q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        k++;
    return k;
}

/* 1 if the first non-blank line of s[0..n) ends at n (no line break
 * after it). */
static int first_line_open(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
        i++;
    return memchr(s + i, '\n', n - i) == NULL;
}

trouve_skip_t post_parse_part(const char *raw, size_t n, post_format_t format,
                              unsigned how, post_text_t *out,
                              uint64_t *newlines, char *why, size_t whysz)
{
    int first = (how & PART_FIRST) != 0;
    memset(out, 0, sizeof *out);
    if (newlines)
        *newlines = 0;
    set_why(why, whysz, "");
    if (format == POST_FORMAT_NONE) {
        set_why(why, whysz, "not a post format");
        return TROUVE_SKIP_FORMAT;
    }
    unsigned flags = 0;
    if (n > POST_MAX_BYTES_LIMIT) {
        n = POST_MAX_BYTES_LIMIT;
        flags |= POST_TRUNCATED;
    }
    if (first && text_is_binary(raw, n)) {
        set_why(why, whysz, "binary content");
        return TROUVE_SKIP_BINARY;
    }
    char *text;
    size_t len;
    unsigned decoded;
    if (text_decode(raw, n, &text, &len, &decoded) != 0)
        goto nomem;
    if (newlines)
        *newlines = count_newlines(text, len);
    flags |= decoded;
    int rc;
    switch (format) {
    case POST_FORMAT_MARKDOWN:
        rc = markdown_extract(text, len, first, out);
        free(text);
        break;
    case POST_FORMAT_HTML:
        rc = html_extract(text, len, first, out);
        free(text);
        break;
    default:
        rc = plain_extract(text, len, out);
        if (rc != 0)
            free(text);
        break;
    }
    if (rc != 0)
        goto nomem;
    if (!out->title && first &&
        !((how & PART_CUT) && first_line_open(out->text, out->len)))
        out->title = title_from_first_line(out->text, out->len);
    out->flags = flags;
    return TROUVE_SKIP_NONE;

nomem:
    post_text_free(out);
    set_why(why, whysz, strerror(ENOMEM));
    return TROUVE_SKIP_UNREADABLE;
}

trouve_skip_t post_parse(const char *raw, size_t n, post_format_t format,
                         post_text_t *out, char *why, size_t whysz)
{
    return post_parse_part(raw, n, format, PART_FIRST, out, NULL, why,
                           whysz);
}

/* Index of the last anchor at or before `offset` (0 if none). */
static size_t anchor_index(const post_text_t *post, size_t offset)
{
    size_t lo = 0, hi = post->nanchors;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (post->anchors[mid].offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t count_lines(const char *s, size_t from, size_t to)
{
    uint32_t k = 0;
    if (from >= to)
        return 0;
    const char *q = s + from, *end = s + to;
    while (q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        k++;
        q++;
    }
    return k;
}

uint32_t post_line_at(const post_text_t *post, size_t offset)
{
    post_line_cursor_t c;
    post_line_cursor_init(&c, post);
    return post_line_cursor_at(&c, offset);
}

void post_line_cursor_init(post_line_cursor_t *cursor,
                           const post_text_t *post)
{
    cursor->post = post;
    cursor->offset = 0;
    cursor->anchor = 0;
    cursor->line = post->nanchors ? post->anchors[0].line : 1;
}

uint32_t post_line_cursor_at(post_line_cursor_t *c, size_t offset)
{
    const post_text_t *post = c->post;
    if (offset > post->len)
        offset = post->len;
    if (offset < c->offset) {
        if (post->nanchors == 0) {
            post_line_cursor_init(c, post);
        } else {
            c->anchor = anchor_index(post, offset);
            c->offset = post->anchors[c->anchor].offset;
            c->line = post->anchors[c->anchor].line;
        }
    }
    if (post->nanchors > c->anchor + 1 &&
        post->anchors[c->anchor + 1].offset <= offset) {
        /* Jump to the anchor in force; what lies before it is not
         * counted. */
        size_t k = c->anchor + 1;
        if (k + 1 < post->nanchors && post->anchors[k + 1].offset <= offset)
            k = anchor_index(post, offset);
        c->anchor = k;
        c->offset = post->anchors[k].offset;
        c->line = post->anchors[k].line;
    }
    c->line += count_lines(post->text, c->offset, offset);
    c->offset = offset;
    return c->line;
}

trouve_lang_t post_lang_at(const post_text_t *post, size_t offset)
{
    size_t lo = 0, hi = post->nlangs;
    while (lo < hi) {  /* first mark past offset */
        size_t mid = lo + (hi - lo) / 2;
        if (post->langs[mid].offset <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? post->langs[lo - 1].lang : TROUVE_LANG_UNKNOWN;
}

void post_text_free(post_text_t *post)
{
    if (!post)
        return;
    free(post->text);
    free(post->title);
    free(post->date);
    free(post->anchors);
    free(post->langs);
    memset(post, 0, sizeof *post);
}
