/*
 * store.c - encoding and decoding what the index keeps of each post
 * besides its terms: stamp, passage table, counts, title and text.  The
 * layouts are described in store.h.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define DATA_VERSION 1

void stamp_encode(const post_stamp_t *stamp, buf_t *out, int *rc)
{
    buf_add_u64be(out, stamp->size, rc);
    buf_add_u64be(out, (uint64_t)stamp->mtime_ns, rc);
    buf_add_u32be(out, stamp->crc, rc);
}

int stamp_decode(const char *p, size_t n, post_stamp_t *stamp)
{
    reader_t r;
    reader_init(&r, p, n);
    stamp->size = reader_u64be(&r);
    stamp->mtime_ns = (int64_t)reader_u64be(&r);
    stamp->crc = reader_u32be(&r);
    return r.bad || r.p != r.end ? -1 : 0;
}

void passages_encode(const passage_t *v, size_t n, buf_t *out, int *rc)
{
    uint32_t prev_end = 0, prev_line = 0;
    buf_add_varint(out, n, rc);
    for (size_t i = 0; i < n; i++) {
        buf_add_varint(out, v[i].start - prev_end, rc);
        buf_add_varint(out, v[i].end - v[i].start, rc);
        buf_add_varint(out, v[i].line - prev_line, rc);
        buf_add_varint(out, v[i].nwords, rc);
        buf_addc(out, (char)((v[i].lang & 3) | (v[i].heading ? 4 : 0)), rc);
        prev_end = v[i].end;
        prev_line = v[i].line;
    }
}

int passages_decode(const char *p, size_t n, passage_t **out, size_t *count)
{
    reader_t r;
    reader_init(&r, p, n);
    *out = NULL;
    *count = 0;
    uint64_t k = reader_varint(&r);
    /* Each passage takes at least 5 bytes: reject absurd counts early. */
    if (r.bad || k > n / 5 + 1)
        return -1;
    passage_t *v = calloc(k ? k : 1, sizeof *v);
    if (!v)
        return -1;
    uint64_t end = 0, line = 0, word = 0;
    for (size_t i = 0; i < k; i++) {
        uint64_t start = end + reader_varint(&r);
        end = start + reader_varint(&r);
        line += reader_varint(&r);
        uint64_t words = reader_varint(&r);
        unsigned flags = reader_u8(&r);
        if (r.bad || end > UINT32_MAX || line > UINT32_MAX ||
            word + words > UINT32_MAX || (flags & 3) == 3) {
            free(v);
            return -1;
        }
        v[i] = (passage_t){.start = (uint32_t)start,
                           .end = (uint32_t)end,
                           .line = (uint32_t)line,
                           .first_word = (uint32_t)word,
                           .nwords = (uint32_t)words,
                           .lang = (trouve_lang_t)(flags & 3),
                           .heading = (flags & 4) != 0};
        word += words;
    }
    *out = v;
    *count = k;
    return 0;
}

void counts_encode(const post_counts_t *c, buf_t *out, int *rc)
{
    for (int i = 0; i < 3; i++)
        buf_add_varint(out, c->passages[i], rc);
    buf_add_varint(out, c->text_bytes, rc);
}

int counts_decode(const char *p, size_t n, post_counts_t *c)
{
    reader_t r;
    reader_init(&r, p, n);
    for (int i = 0; i < 3; i++)
        c->passages[i] = reader_varint(&r);
    c->text_bytes = reader_varint(&r);
    return r.bad ? -1 : 0;
}

void post_data_encode(const char *title, const char *text, size_t len,
                      int level, buf_t *out, int *rc)
{
    size_t tlen = title ? strlen(title) : 0;
    buf_addc(out, DATA_VERSION, rc);
    buf_add_varint(out, tlen, rc);
    buf_add(out, title, tlen, rc);
    buf_add_varint(out, len, rc);
    uLong bound = compressBound((uLong)len);
    buf_reserve(out, bound, rc);
    if (*rc)
        return;
    uLongf clen = bound;
    if (compress2((Bytef *)out->p + out->n, &clen, (const Bytef *)text,
                  (uLong)len, level) != Z_OK) {
        *rc = -1;
        return;
    }
    out->n += clen;
    out->p[out->n] = '\0';
}

int post_data_decode(const char *p, size_t n, char **title, char **text,
                     size_t *text_len)
{
    reader_t r;
    reader_init(&r, p, n);
    *title = NULL;
    if (text)
        *text = NULL;
    if (reader_u8(&r) != DATA_VERSION)
        return -1;
    uint64_t tlen = reader_varint(&r);
    const char *t = reader_bytes(&r, tlen);
    uint64_t len = reader_varint(&r);
    if (r.bad || len > (uint64_t)1 << 40)
        return -1;
    *title = malloc(tlen + 1);
    if (!*title)
        return -1;
    memcpy(*title, t, tlen);
    (*title)[tlen] = '\0';
    if (!text)
        return 0;
    char *s = malloc(len + 1);
    uLongf got = (uLongf)len;
    if (!s || uncompress((Bytef *)s, &got, r.p, (uLong)(r.end - r.p)) != Z_OK ||
        got != len) {
        free(s);
        free(*title);
        *title = NULL;
        return -1;
    }
    s[len] = '\0';
    *text = s;
    if (text_len)
        *text_len = len;
    return 0;
}
