/*
 * post_read.c - reading a post's bytes, through zlib for .gz, in parts.
 *
 * A post_stream reads its source (a file, or bytes in memory for tests and
 * fuzzing) into one content buffer of part_bytes + 1 bytes, so memory is
 * bounded by the part size plus one input block whatever the file holds:
 *
 *   source bytes ──▶ crc32 ──▶ (inflate, for .gz) ──▶ content buffer
 *        ──▶ cut at a break ──▶ post_parse_part ──▶ one post_text_t
 *        (the bytes after the cut are carried to the next part)
 *
 * The buffer keeps two bytes of head room in front of the content, where
 * a later part of a UTF-16 file gets its BOM back, so it is decoded as
 * UTF-16 like the first.  One byte more than a part is read before a part
 * is cut, so the last part is known to be the last.
 *
 * gzip: inflateInit2(15 + 32) reads the gzip (or zlib) header itself.
 * Members follow each other (multi-member files, as `cat a.gz b.gz` makes);
 * after the last one, bytes that do not start another member are ignored,
 * as gzip does with trailing garbage.  A stream that ends inside a member is
 * "truncated gzip stream"; a bad header, bad data or bad CRC gives zlib's
 * message ("corrupt gzip stream: incorrect data check").  The content of a
 * .gz file stops at gzip_ratio times the file's size (a decompression bomb
 * costs that much work at most, and the part size in memory).
 *
 * crc32: every byte taken from the source goes through crc32() as it is
 * read, and at a cap the rest of the source is still read (not inflated,
 * not decoded) for it, so the crc of a post always covers its whole file
 * and the indexer need not read the file a second time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "extract.h"
#include "post.h"
#include "../analysis/utf8.h"

#define READ_BLOCK ((size_t)64 << 10)
#define CUT_LOOKBACK ((size_t)64 << 10) /* look this far back for a '\n' */
#define SPACE_LOOKBACK ((size_t)4 << 10) /* ...and this far for a space */
#define HEAD_ROOM 2                      /* for a UTF-16 BOM */

struct post_stream {
    /* the source */
    int fd;                  /* -1 for bytes in memory */
    const char *mem;         /* bytes in memory, and how many are left */
    size_t mem_left;
    int gzip;                /* the source is gzip-compressed */
    uint32_t crc;            /* crc32 of the source bytes taken so far */
    uint64_t file_bytes;     /* source bytes taken so far */
    int source_eof;          /* the source has no more bytes */
    /* gzip state */
    z_stream zs;
    int zs_live;             /* inflateInit2 succeeded */
    char *in;                /* READ_BLOCK bytes of compressed input */
    int members;             /* members inflated to their end */
    int in_member;           /* inside a member */
    /* content */
    char *buf;               /* HEAD_ROOM + bufcap bytes */
    size_t bufcap;           /* room for content; grows to part + 1 */
    size_t len;              /* content bytes at buf + HEAD_ROOM */
    size_t part;             /* bytes of content per part */
    uint64_t cap;            /* content bytes in all, at most */
    uint64_t done;           /* content bytes handed out in parts */
    int content_eof;         /* no content past buf[len] */
    /* what the parts share */
    post_format_t format;
    unsigned nparts;         /* parts handed out */
    uint32_t line;           /* file line of the next part's first byte */
    char bom[2];             /* a UTF-16 BOM, for later parts */
    int utf16;
    char *title;             /* the first part's title, for later parts */
    trouve_lang_t lang;      /* language declared at the end of a part */
    int finished;            /* the last part (or a failure) was handed */
};

static void set_why(char *why, size_t whysz, const char *fmt,
                    const char *arg)
{
    if (why && whysz)
        snprintf(why, whysz, fmt, arg);
}

/* Takes up to n source bytes into p (0 at the end, -1 on error with
 * errno), through the crc. */
static ssize_t source_read(post_stream_t *s, char *p, size_t n)
{
    ssize_t r;
    if (s->fd < 0) {
        r = (ssize_t)(n < s->mem_left ? n : s->mem_left);
        memcpy(p, s->mem, (size_t)r);
        s->mem += r;
        s->mem_left -= (size_t)r;
    } else {
        do
            r = read(s->fd, p, n);
        while (r < 0 && errno == EINTR);
    }
    if (r > 0) {
        s->crc = (uint32_t)crc32(s->crc, (const Bytef *)p, (uInt)r);
        s->file_bytes += (uint64_t)r;
    } else if (r == 0) {
        s->source_eof = 1;
    }
    return r;
}

/* Reads what is left of the source for the crc only. */
static trouve_skip_t drain(post_stream_t *s, char *why, size_t whysz)
{
    char block[8192];
    if (!s->in && !s->source_eof)
        s->in = malloc(READ_BLOCK); /* faster; the stack block otherwise */
    while (!s->source_eof) {
        char *p = s->in ? s->in : block;
        size_t n = s->in ? READ_BLOCK : sizeof block;
        if (source_read(s, p, n) < 0) {
            set_why(why, whysz, "%s", strerror(errno));
            return TROUVE_SKIP_UNREADABLE;
        }
    }
    return TROUVE_SKIP_NONE;
}

/* Inflates into dst[0..room); *got gets the bytes written.  Sets
 * content_eof at the end of the last member. */
static trouve_skip_t gz_fill(post_stream_t *s, char *dst, size_t room,
                             size_t *got, char *why, size_t whysz)
{
    z_stream *zs = &s->zs;
    *got = 0;
    while (*got < room && !s->content_eof) {
        /* Keep at least two input bytes at hand (to see a next member's
         * magic) unless the source has ended. */
        if (zs->avail_in < 2 && !s->source_eof) {
            memmove(s->in, zs->next_in ? (char *)zs->next_in : s->in,
                    zs->avail_in);
            ssize_t r = source_read(s, s->in + zs->avail_in,
                                    READ_BLOCK - zs->avail_in);
            if (r < 0) {
                set_why(why, whysz, "%s", strerror(errno));
                return TROUVE_SKIP_UNREADABLE;
            }
            zs->next_in = (Bytef *)s->in;
            zs->avail_in += (uInt)r;
            continue;
        }
        if (!s->in_member) {
            if (zs->avail_in == 0 && s->source_eof) {
                if (s->members == 0) {
                    set_why(why, whysz, "%s", "truncated gzip stream");
                    return TROUVE_SKIP_DAMAGED;
                }
                s->content_eof = 1;
                break;
            }
            if (s->members > 0 &&
                (zs->avail_in < 2 || zs->next_in[0] != 0x1F ||
                 zs->next_in[1] != 0x8B)) {
                s->content_eof = 1; /* trailing garbage after the last */
                break;
            }
            s->in_member = 1;
        }
        size_t want = room - *got;
        zs->next_out = (Bytef *)dst + *got;
        zs->avail_out = (uInt)(want > UINT32_MAX / 2 ? UINT32_MAX / 2 : want);
        uInt before = zs->avail_out;
        int z = inflate(zs, Z_NO_FLUSH);
        *got += before - zs->avail_out;
        if (z == Z_STREAM_END) {
            s->members++;
            s->in_member = 0;
            if (inflateReset(zs) != Z_OK) {
                set_why(why, whysz, "%s", "corrupt gzip stream");
                return TROUVE_SKIP_DAMAGED;
            }
        } else if (z == Z_BUF_ERROR) {
            if (zs->avail_in == 0 && s->source_eof) {
                set_why(why, whysz, "%s", "truncated gzip stream");
                return TROUVE_SKIP_DAMAGED;
            }
            /* otherwise more input or more room comes next round */
        } else if (z == Z_MEM_ERROR) {
            set_why(why, whysz, "%s", strerror(ENOMEM));
            return TROUVE_SKIP_UNREADABLE;
        } else if (z != Z_OK) {
            set_why(why, whysz, "corrupt gzip stream: %s",
                    zs->msg ? zs->msg : "bad data");
            return TROUVE_SKIP_DAMAGED;
        } else if (zs->avail_in == 0 && s->source_eof && zs->avail_out > 0) {
            set_why(why, whysz, "%s", "truncated gzip stream");
            return TROUVE_SKIP_DAMAGED;
        }
    }
    return TROUVE_SKIP_NONE;
}

/* Makes room for `want` bytes of content; -1 when memory ran out. */
static int make_room(post_stream_t *s, size_t want)
{
    if (want <= s->bufcap)
        return 0;
    size_t cap = s->bufcap ? s->bufcap : want;
    while (cap < want)
        cap = cap > SIZE_MAX / 4 ? want : cap * 2;
    if (cap > s->part + 1)
        cap = want > s->part + 1 ? want : s->part + 1;
    char *p = realloc(s->buf, HEAD_ROOM + cap);
    if (!p)
        return -1;
    s->buf = p;
    s->bufcap = cap;
    return 0;
}

/* Fills the content buffer up to `want` bytes, or the end of the content.
 * The buffer grows as it fills, so a small post costs little. */
static trouve_skip_t fill(post_stream_t *s, size_t want, char *why,
                          size_t whysz)
{
    while (s->len < want && !s->content_eof) {
        size_t step = s->len + (s->len < READ_BLOCK ? READ_BLOCK : s->len);
        if (step > want || step < s->len)
            step = want;
        if (make_room(s, step) < 0) {
            set_why(why, whysz, "%s", strerror(ENOMEM));
            return TROUVE_SKIP_UNREADABLE;
        }
        char *content = s->buf + HEAD_ROOM;
        if (s->gzip) {
            size_t got;
            trouve_skip_t rc = gz_fill(s, content + s->len, step - s->len,
                                       &got, why, whysz);
            s->len += got;
            if (rc != TROUVE_SKIP_NONE)
                return rc;
        } else {
            ssize_t r = source_read(s, content + s->len, step - s->len);
            if (r < 0) {
                set_why(why, whysz, "%s", strerror(errno));
                return TROUVE_SKIP_UNREADABLE;
            }
            s->len += (size_t)r;
            s->content_eof = r == 0;
        }
    }
    return TROUVE_SKIP_NONE;
}

static int is_utf16_bom(const char *p, size_t n)
{
    return n >= 2 && (((unsigned char)p[0] == 0xFF &&
                       (unsigned char)p[1] == 0xFE) ||
                      ((unsigned char)p[0] == 0xFE &&
                       (unsigned char)p[1] == 0xFF));
}

/* Where to cut UTF-16 text at most n bytes long: after the last line
 * feed in reach, else at an even length not inside a surrogate pair. */
static size_t cut_utf16(const char *s, size_t n, int big)
{
    const unsigned char *u = (const unsigned char *)s;
    n &= ~(size_t)1;
    size_t from = n > CUT_LOOKBACK ? n - CUT_LOOKBACK : 0;
    for (size_t j = n; j >= from + 2; j -= 2) {
        unsigned hi = u[j - 2 + !big], lo = u[j - 2 + big];
        if (hi == 0 && lo == '\n')
            return j;
    }
    if (n >= 2) {
        unsigned hi = u[n - 2 + !big];
        if (hi >= 0xD8 && hi <= 0xDB)
            n -= 2;
    }
    return n;
}

/* Where to cut content that goes on past n bytes: after the last blank
 * line (for Markdown and HTML, where paragraphs matter) or line break in
 * the last CUT_LOOKBACK bytes, else after a space in the last
 * SPACE_LOOKBACK, else at a character boundary (never between a CR and
 * its LF).  Never 0 when n > 0. */
static size_t cut_point(const char *s, size_t n, post_format_t format)
{
    size_t from = n > CUT_LOOKBACK ? n - CUT_LOOKBACK : 0;
    if (format != POST_FORMAT_TEXT)
        for (size_t j = n; j > from + 1; j--)
            if (s[j - 1] == '\n' && s[j - 2] == '\n')
                return j;
    for (size_t j = n; j > from; j--)
        if (s[j - 1] == '\n')
            return j;
    from = n > SPACE_LOOKBACK ? n - SPACE_LOOKBACK : 0;
    for (size_t j = n; j > from; j--)
        if (s[j - 1] == ' ' || s[j - 1] == '\t')
            return j;
    size_t k = utf8_floor(s, n);
    if (k > 1 && s[k - 1] == '\r')
        k--;
    return k ? k : n;
}

/* Makes a part's anchors count from the file's line `first_line`. */
static void shift_lines(post_text_t *p, uint32_t first_line)
{
    for (size_t i = 0; i < p->nanchors; i++)
        p->anchors[i].line += first_line - 1;
}

/* A later part: the first part's title, and the language in force at
 * the end of the part before as a mark at its start. */
static int inherit(post_stream_t *s, post_text_t *p)
{
    free(p->title);
    p->title = NULL;
    if (s->title && !(p->title = strdup(s->title)))
        return -1;
    if (s->lang != TROUVE_LANG_UNKNOWN &&
        !(p->nlangs && p->langs[0].offset == 0)) {
        lang_mark_t *v = realloc(p->langs, (p->nlangs + 1) * sizeof *v);
        if (!v)
            return -1;
        memmove(v + 1, v, p->nlangs * sizeof *v);
        v[0] = (lang_mark_t){0, s->lang};
        p->langs = v;
        p->nlangs++;
    }
    return 0;
}

static trouve_skip_t stream_fail(post_stream_t *s, post_text_t *out,
                                 trouve_skip_t rc)
{
    post_text_free(out);
    s->finished = 1;
    return rc;
}

trouve_skip_t post_stream_next(post_stream_t *s, post_text_t *out,
                               int *last, char *why, size_t whysz)
{
    memset(out, 0, sizeof *out);
    *last = 1;
    set_why(why, whysz, "%s", "");
    if (s->finished)
        return post_parse("", 0, s->format ? s->format : POST_FORMAT_TEXT,
                          out, why, whysz);
    /* This part's limit: the part size, or what the cap leaves. */
    uint64_t left = s->cap - s->done;
    size_t limit = left < s->part ? (size_t)left : s->part;
    int capped = left <= s->part;
    trouve_skip_t rc = fill(s, limit + 1, why, whysz);
    if (rc != TROUVE_SKIP_NONE)
        return stream_fail(s, out, rc);
    char *content = s->buf + HEAD_ROOM;
    size_t n = s->len;
    int truncated = 0;
    if (s->len > limit) {
        if (s->utf16 || (s->nparts == 0 && is_utf16_bom(content, s->len)))
            n = cut_utf16(content, limit,
                          s->nparts ? s->bom[0] == '\xFE'
                                    : content[0] == '\xFE');
        else
            n = cut_point(content, limit, s->format);
        if (n == 0)
            n = limit;
        truncated = capped;
    }
    int is_last = s->len <= limit || truncated;

    if (s->nparts == 0 && is_utf16_bom(content, n)) {
        s->utf16 = 1;
        memcpy(s->bom, content, 2);
    }
    const char *raw = content;
    size_t rawn = n;
    if (s->nparts > 0 && s->utf16) {
        memcpy(s->buf, s->bom, 2); /* the head room */
        raw = s->buf;
        rawn += 2;
    }
    uint64_t newlines = 0;
    unsigned how = s->nparts == 0 ? PART_FIRST : 0;
    if (!is_last)
        how |= PART_CUT;
    rc = post_parse_part(raw, rawn, s->format, how, out, &newlines, why,
                         whysz);
    if (rc != TROUVE_SKIP_NONE)
        return stream_fail(s, out, rc);
    shift_lines(out, s->line);
    s->line += (uint32_t)(newlines < UINT32_MAX - s->line
                              ? newlines : UINT32_MAX - s->line);
    if (s->nparts == 0) {
        if (out->title && !(s->title = strdup(out->title)))
            goto nomem;
    } else if (inherit(s, out) < 0) {
        goto nomem;
    }
    if (out->nlangs)
        s->lang = out->langs[out->nlangs - 1].lang;
    if (truncated)
        out->flags |= POST_TRUNCATED;
    s->nparts++;
    s->done += n;
    /* Carry the rest over to the next part. */
    memmove(content, content + n, s->len - n);
    s->len -= n;
    if (is_last) {
        s->finished = 1;
        if ((rc = drain(s, why, whysz)) != TROUVE_SKIP_NONE)
            return stream_fail(s, out, rc);
        out->crc = s->crc;
    }
    *last = is_last;
    return TROUVE_SKIP_NONE;

nomem:
    set_why(why, whysz, "%s", strerror(ENOMEM));
    return stream_fail(s, out, TROUVE_SKIP_UNREADABLE);
}

/* Sets up a stream over a source already open (fd, or mem/n). */
static trouve_skip_t stream_start(post_stream_t *s, post_format_t format,
                                  const post_limits_t *limits, int gzip,
                                  uint64_t source_size, char *why,
                                  size_t whysz)
{
    s->format = format;
    s->gzip = gzip;
    s->line = 1;
    s->crc = (uint32_t)crc32(0, Z_NULL, 0);
    s->part = limits && limits->part_bytes ? limits->part_bytes
                                           : POST_PART_BYTES_DEFAULT;
    if (s->part > POST_PART_BYTES_LIMIT)
        s->part = POST_PART_BYTES_LIMIT;
    if (s->part < 16)
        s->part = 16;
    s->cap = limits && limits->max_bytes ? limits->max_bytes : UINT64_MAX;
    if (gzip) {
        unsigned ratio = limits && limits->gzip_ratio ? limits->gzip_ratio
                                                      : POST_GZIP_RATIO_DEFAULT;
        uint64_t bomb = source_size > UINT64_MAX / ratio
                            ? UINT64_MAX : source_size * ratio;
        if (bomb < POST_GZIP_FLOOR)
            bomb = POST_GZIP_FLOOR;
        if (bomb < s->cap)
            s->cap = bomb;
    }
    /* A plain file's content is its size: room for it (and one byte to
     * see the end) at once, within the part. */
    size_t first = gzip || source_size >= s->part ? 0 : source_size + 1;
    if (make_room(s, first ? first : READ_BLOCK) < 0)
        s->buf = NULL;
    if (gzip) {
        s->in = malloc(READ_BLOCK);
        s->zs_live = s->in && inflateInit2(&s->zs, 15 + 32) == Z_OK;
    }
    if (!s->buf || (gzip && !s->zs_live)) {
        set_why(why, whysz, "%s", strerror(ENOMEM));
        return TROUVE_SKIP_UNREADABLE;
    }
    return TROUVE_SKIP_NONE;
}

trouve_skip_t post_stream_open(const char *path, post_format_t format,
                               const post_limits_t *limits,
                               post_stream_t **out, char *why, size_t whysz)
{
    *out = NULL;
    set_why(why, whysz, "%s", "");
    post_stream_t *s = calloc(1, sizeof *s);
    if (!s) {
        set_why(why, whysz, "%s", strerror(ENOMEM));
        return TROUVE_SKIP_UNREADABLE;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    trouve_skip_t rc = TROUVE_SKIP_UNREADABLE;
    if (s->fd < 0 || fstat(s->fd, &st) != 0) {
        set_why(why, whysz, "%s", strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        set_why(why, whysz, "%s", "not a regular file");
    } else {
        rc = stream_start(s, format, limits, post_is_gzip(path),
                          (uint64_t)st.st_size, why, whysz);
    }
    if (rc != TROUVE_SKIP_NONE) {
        post_stream_close(s);
        return rc;
    }
    *out = s;
    return TROUVE_SKIP_NONE;
}

trouve_skip_t post_stream_open_memory(const char *bytes, size_t n, int gzip,
                                      post_format_t format,
                                      const post_limits_t *limits,
                                      post_stream_t **out, char *why,
                                      size_t whysz)
{
    *out = NULL;
    set_why(why, whysz, "%s", "");
    post_stream_t *s = calloc(1, sizeof *s);
    if (!s) {
        set_why(why, whysz, "%s", strerror(ENOMEM));
        return TROUVE_SKIP_UNREADABLE;
    }
    s->fd = -1;
    s->mem = bytes ? bytes : "";
    s->mem_left = bytes ? n : 0;
    trouve_skip_t rc = stream_start(s, format, limits, gzip, n, why, whysz);
    if (rc != TROUVE_SKIP_NONE) {
        post_stream_close(s);
        return rc;
    }
    *out = s;
    return TROUVE_SKIP_NONE;
}

uint64_t post_stream_file_bytes(const post_stream_t *s)
{
    return s ? s->file_bytes : 0;
}

void post_stream_close(post_stream_t *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    if (s->zs_live)
        inflateEnd(&s->zs);
    free(s->in);
    free(s->buf);
    free(s->title);
    free(s);
}

/* One part as big as the cap: the whole post, or its beginning. */
static trouve_skip_t read_whole(post_stream_t *s, post_text_t *out,
                                char *why, size_t whysz)
{
    int last;
    trouve_skip_t rc = post_stream_next(s, out, &last, why, whysz);
    if (rc == TROUVE_SKIP_NONE && !last) {
        /* Cut by the gzip ratio below the cap: the rest is not read. */
        out->flags |= POST_TRUNCATED;
        s->finished = 1;
        if ((rc = drain(s, why, whysz)) != TROUVE_SKIP_NONE)
            post_text_free(out);
        else
            out->crc = s->crc;
    }
    post_stream_close(s);
    return rc;
}

static post_limits_t whole_limits(const post_limits_t *limits)
{
    post_limits_t l = {POST_MAX_BYTES_DEFAULT, 0, 0};
    if (limits)
        l = *limits;
    if (!l.max_bytes)
        l.max_bytes = POST_MAX_BYTES_DEFAULT;
    if (l.max_bytes > POST_MAX_BYTES_LIMIT)
        l.max_bytes = POST_MAX_BYTES_LIMIT;
    l.part_bytes = l.max_bytes;
    return l;
}

trouve_skip_t post_read(const char *path, post_format_t format,
                        const post_limits_t *limits, post_text_t *out,
                        char *why, size_t whysz)
{
    memset(out, 0, sizeof *out);
    set_why(why, whysz, "%s", "");
    if (format == POST_FORMAT_NONE)
        return post_parse("", 0, format, out, why, whysz);
    post_limits_t l = whole_limits(limits);
    post_stream_t *s;
    trouve_skip_t rc = post_stream_open(path, format, &l, &s, why, whysz);
    return rc != TROUVE_SKIP_NONE ? rc : read_whole(s, out, why, whysz);
}

trouve_skip_t post_read_memory(const char *bytes, size_t n, int gzip,
                               post_format_t format,
                               const post_limits_t *limits, post_text_t *out,
                               char *why, size_t whysz)
{
    memset(out, 0, sizeof *out);
    set_why(why, whysz, "%s", "");
    if (format == POST_FORMAT_NONE)
        return post_parse("", 0, format, out, why, whysz);
    post_limits_t l = whole_limits(limits);
    post_stream_t *s;
    trouve_skip_t rc = post_stream_open_memory(bytes, n, gzip, format, &l,
                                               &s, why, whysz);
    return rc != TROUVE_SKIP_NONE ? rc : read_whole(s, out, why, whysz);
}
