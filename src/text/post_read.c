/*
 * post_read.c - reading a post's bytes from disk, through zlib for .gz.
 *
 * Memory is bounded by the cap (limits->max_bytes) plus one input block,
 * whatever the file: a plain file is read up to the cap and one byte more
 * (to know it was larger); a gzip stream is inflated into a buffer that
 * never grows past the cap plus one byte, so a bomb (1 MB expanding to
 * 1 GiB) costs the cap, not a gigabyte.
 *
 * gzip: inflateInit2(15 + 32) reads the gzip (or zlib) header itself.
 * Members follow each other (multi-member files, as `cat a.gz b.gz` makes);
 * after the last one, bytes that do not start another member are ignored,
 * as gzip does with trailing garbage.  A stream that ends inside a member is
 * "truncated gzip stream"; a bad header, bad data or bad CRC gives zlib's
 * message ("corrupt gzip stream: incorrect data check").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "post.h"
#include "../analysis/utf8.h"

#define READ_BLOCK ((size_t)64 << 10)
#define CUT_LOOKBACK ((size_t)64 << 10) /* look this far back for a '\n' */

/* A growing buffer capped at `limit` bytes. */
typedef struct capped_buf {
    char *p;
    size_t len, cap, limit;
} capped_buf_t;

/* Makes room for at least one more byte (up to the limit); -1 when memory
 * ran out, 0 otherwise (then cap > len unless len == limit). */
static int make_room(capped_buf_t *b)
{
    if (b->len < b->cap || b->cap >= b->limit)
        return 0;
    size_t ncap = b->cap ? b->cap * 2 : READ_BLOCK;
    if (ncap > b->limit || ncap < b->cap)
        ncap = b->limit;
    char *np = realloc(b->p, ncap);
    if (!np)
        return -1;
    b->p = np;
    b->cap = ncap;
    return 0;
}

static void set_why(char *why, size_t whysz, const char *fmt,
                    const char *arg)
{
    if (why && whysz)
        snprintf(why, whysz, fmt, arg);
}

/* read() that retries on EINTR. */
static ssize_t read_some(int fd, char *p, size_t n)
{
    ssize_t r;
    do
        r = read(fd, p, n);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Reads a plain file: up to cap + 1 bytes into *b. */
static trouve_skip_t read_plain(int fd, off_t size_hint, capped_buf_t *b,
                                char *why, size_t whysz)
{
    if (size_hint > 0 && (uint64_t)size_hint < b->limit) {
        b->p = malloc((size_t)size_hint + 1);
        if (b->p)
            b->cap = (size_t)size_hint + 1;
    }
    for (;;) {
        if (make_room(b) != 0) {
            set_why(why, whysz, "%s", strerror(ENOMEM));
            return TROUVE_SKIP_UNREADABLE;
        }
        if (b->len == b->limit)
            return TROUVE_SKIP_NONE;
        ssize_t r = read_some(fd, b->p + b->len, b->cap - b->len);
        if (r < 0) {
            set_why(why, whysz, "%s", strerror(errno));
            return TROUVE_SKIP_UNREADABLE;
        }
        if (r == 0)
            return TROUVE_SKIP_NONE;
        b->len += (size_t)r;
    }
}

/* Reads a gzip file: its content, up to cap + 1 bytes, into *b. */
static trouve_skip_t read_gzip(int fd, capped_buf_t *b, char *why,
                               size_t whysz)
{
    char *in = malloc(READ_BLOCK);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (!in || inflateInit2(&zs, 15 + 32) != Z_OK) {
        free(in);
        set_why(why, whysz, "%s", strerror(ENOMEM));
        return TROUVE_SKIP_UNREADABLE;
    }
    trouve_skip_t rc = TROUVE_SKIP_NONE;
    int eof = 0;
    int members = 0;     /* members read to their end */
    int in_member = 0;   /* inside a member (bytes of it consumed) */
    for (;;) {
        /* Keep at least two input bytes at hand (to see a next member's
         * magic) unless the file has ended. */
        if (zs.avail_in < 2 && !eof) {
            memmove(in, zs.next_in ? (char *)zs.next_in : in, zs.avail_in);
            ssize_t r = read_some(fd, in + zs.avail_in,
                                  READ_BLOCK - zs.avail_in);
            if (r < 0) {
                set_why(why, whysz, "%s", strerror(errno));
                rc = TROUVE_SKIP_UNREADABLE;
                break;
            }
            eof = r == 0;
            zs.next_in = (Bytef *)in;
            zs.avail_in += (uInt)r;
            continue;
        }
        if (!in_member) {
            if (zs.avail_in == 0 && eof) {
                if (members == 0) {
                    set_why(why, whysz, "%s", "truncated gzip stream");
                    rc = TROUVE_SKIP_DAMAGED;
                }
                break;
            }
            if (members > 0 && (zs.avail_in < 2 || zs.next_in[0] != 0x1F ||
                                zs.next_in[1] != 0x8B))
                break;  /* trailing garbage after the last member */
            in_member = 1;
        }
        if (make_room(b) != 0) {
            set_why(why, whysz, "%s", strerror(ENOMEM));
            rc = TROUVE_SKIP_UNREADABLE;
            break;
        }
        if (b->len == b->limit)
            break;  /* the cap: what is left is not read */
        zs.next_out = (Bytef *)b->p + b->len;
        zs.avail_out = (uInt)(b->cap - b->len > UINT32_MAX / 2
                                  ? UINT32_MAX / 2 : b->cap - b->len);
        uInt before = zs.avail_out;
        int z = inflate(&zs, Z_NO_FLUSH);
        b->len += before - zs.avail_out;
        if (z == Z_STREAM_END) {
            members++;
            in_member = 0;
            if (inflateReset(&zs) != Z_OK) {
                set_why(why, whysz, "%s", "corrupt gzip stream");
                rc = TROUVE_SKIP_DAMAGED;
                break;
            }
        } else if (z == Z_BUF_ERROR) {
            if (zs.avail_in == 0 && eof) {
                set_why(why, whysz, "%s", "truncated gzip stream");
                rc = TROUVE_SKIP_DAMAGED;
                break;
            }
            /* otherwise more input or more room comes next round */
        } else if (z == Z_MEM_ERROR) {
            set_why(why, whysz, "%s", strerror(ENOMEM));
            rc = TROUVE_SKIP_UNREADABLE;
            break;
        } else if (z != Z_OK) {
            set_why(why, whysz, "corrupt gzip stream: %s",
                    zs.msg ? zs.msg : "bad data");
            rc = TROUVE_SKIP_DAMAGED;
            break;
        } else if (zs.avail_in == 0 && eof && zs.avail_out > 0) {
            set_why(why, whysz, "%s", "truncated gzip stream");
            rc = TROUVE_SKIP_DAMAGED;
            break;
        }
    }
    inflateEnd(&zs);
    free(in);
    return rc;
}

/* Where to cut text that was cut at the cap: after the last line break
 * in the last CUT_LOOKBACK bytes, else at a character boundary (for UTF-16
 * with a BOM, at an even length, not inside a surrogate pair). */
static size_t cut_point(const char *s, size_t n)
{
    if (n >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE)
                   || ((unsigned char)s[0] == 0xFE &&
                       (unsigned char)s[1] == 0xFF))) {
        int big = (unsigned char)s[0] == 0xFE;
        n &= ~(size_t)1;
        if (n >= 4) {
            unsigned hi = (unsigned char)s[n - 2 + (big ? 0 : 1)];
            if (hi >= 0xD8 && hi <= 0xDB)
                n -= 2;
        }
        return n;
    }
    size_t from = n > CUT_LOOKBACK ? n - CUT_LOOKBACK : 0;
    for (size_t j = n; j > from; j--)
        if (s[j - 1] == '\n')
            return j;
    return utf8_floor(s, n);
}

trouve_skip_t post_read(const char *path, post_format_t format,
                        const post_limits_t *limits, post_text_t *out,
                        char *why, size_t whysz)
{
    memset(out, 0, sizeof *out);
    set_why(why, whysz, "%s", "");
    if (format == POST_FORMAT_NONE)
        return post_parse("", 0, format, out, why, whysz);
    size_t cap = limits && limits->max_bytes ? limits->max_bytes
                                             : POST_MAX_BYTES_DEFAULT;
    if (cap > POST_MAX_BYTES_LIMIT)
        cap = POST_MAX_BYTES_LIMIT;

    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        set_why(why, whysz, "%s", strerror(errno));
        return TROUVE_SKIP_UNREADABLE;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_why(why, whysz, "%s", strerror(errno));
        close(fd);
        return TROUVE_SKIP_UNREADABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        set_why(why, whysz, "%s", "not a regular file");
        close(fd);
        return TROUVE_SKIP_UNREADABLE;
    }

    capped_buf_t b = {NULL, 0, 0, cap + 1};
    trouve_skip_t rc = post_is_gzip(path)
                           ? read_gzip(fd, &b, why, whysz)
                           : read_plain(fd, st.st_size, &b, why, whysz);
    close(fd);
    if (rc != TROUVE_SKIP_NONE) {
        free(b.p);
        return rc;
    }
    int truncated = b.len > cap;
    size_t n = truncated ? cut_point(b.p, cap) : b.len;
    rc = post_parse(b.p ? b.p : "", n, format, out, why, whysz);
    free(b.p);
    if (rc == TROUVE_SKIP_NONE && truncated)
        out->flags |= POST_TRUNCATED;
    return rc;
}
