/*
 * test_post.c - post.c and post_read.c: formats from names, reading real
 * files (encodings, binary, Markdown, HTML, gzip in its good and broken
 * forms, a gzip bomb, FIFOs, folders, unreadable files, the size cap), and
 * the line and language lookups.  Files are written in a mkdtemp folder
 * removed at the end.  One row per case.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>

#include "unit.h"
#include "text/post.h"
#include "analysis/utf8.h"

static char dir[64];

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const struct {
    const char *path;
    post_format_t format;
    int gzip;
} name_rows[] = {
    {"a.txt", POST_FORMAT_TEXT, 0},
    {"a.TEXT", POST_FORMAT_TEXT, 0},
    {"dir.d/README", POST_FORMAT_TEXT, 0},
    {"a.md", POST_FORMAT_MARKDOWN, 0},
    {"a.Markdown", POST_FORMAT_MARKDOWN, 0},
    {"a.html", POST_FORMAT_HTML, 0},
    {"a.HTM", POST_FORMAT_HTML, 0},
    {"/x/y/a.xhtml", POST_FORMAT_HTML, 0},
    {"a.md.gz", POST_FORMAT_MARKDOWN, 1},
    {"a.html.GZ", POST_FORMAT_HTML, 1},
    {"notes.gz", POST_FORMAT_TEXT, 1},
    {"a.tar.gz", POST_FORMAT_NONE, 1},
    {"a.pdf", POST_FORMAT_NONE, 0},
    {"a.md.bak", POST_FORMAT_NONE, 0},
    {"post.fr.md", POST_FORMAT_MARKDOWN, 0},
    {".profile", POST_FORMAT_TEXT, 0},
    {"dir.md/plain", POST_FORMAT_TEXT, 0},
    {"trailing.", POST_FORMAT_TEXT, 0},
    {".gz", POST_FORMAT_TEXT, 0},
    {"x/", POST_FORMAT_NONE, 0},
};

static void test_name_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(name_rows); i++) {
        if (post_format_of(name_rows[i].path) != name_rows[i].format)
            fail_msg("%s: format %d, want %d", name_rows[i].path,
                     post_format_of(name_rows[i].path), name_rows[i].format);
        if (post_is_gzip(name_rows[i].path) != name_rows[i].gzip)
            fail_msg("%s: gzip %d", name_rows[i].path,
                     post_is_gzip(name_rows[i].path));
    }
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
        fail_msg("cannot write %s", path);
}

/* gzip of data[0..n) appended to *out (one member). */
static void gzip_append(const void *data, size_t n, char **out,
                        size_t *outlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&zs, (uLong)n) + 64;
    *out = realloc(*out, *outlen + bound);
    assert_non_null(*out);
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)*out + *outlen;
    zs.avail_out = (uInt)bound;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *outlen += bound - zs.avail_out;
    deflateEnd(&zs);
}

/* How a row's file is made from its bytes. */
enum make {
    RAW,          /* the bytes as they are */
    GZ,           /* gzipped */
    GZ_TWO,       /* two members: the bytes, then " and more" */
    GZ_TRUNCATED, /* gzipped, last 12 bytes cut */
    GZ_BAD_CRC,   /* gzipped, CRC byte flipped */
    GZ_TWICE,     /* gzip of gzip */
    GZ_GARBAGE    /* gzipped, then bytes that are not gzip */
};

/* {tn, file name, bytes, length, how made, skip, text (or substring with
 * a leading '~'), title or NULL, flags, why substring}. */
static const struct {
    const char *tn;
    const char *name;
    const char *bytes;
    size_t n;
    enum make make;
    trouve_skip_t skip;
    const char *text;
    const char *title;
    unsigned flags;
    const char *why;
} file_rows[] = {
    {"plain", "plain.txt", S("Title line\n\nbody text\n"), RAW,
     TROUVE_SKIP_NONE, "Title line\n\nbody text\n", "Title line", 0, ""},
    {"no extension", "README", S("hello"), RAW, TROUVE_SKIP_NONE, "hello",
     "hello", 0, ""},
    {"empty", "empty.txt", S(""), RAW, TROUVE_SKIP_NONE, "", NULL, 0, ""},
    {"bom", "bom.txt", S("\xEF\xBB\xBFna\xC3\xAFve"), RAW, TROUVE_SKIP_NONE,
     "naïve", "naïve", 0, ""},
    {"utf-16le", "le.txt", S("\xFF\xFE\xE9\0t\0\xE9\0\r\0\n\0x\0"), RAW,
     TROUVE_SKIP_NONE, "été\nx", "été", POST_UTF16, ""},
    {"utf-16be", "be.txt", S("\xFE\xFF\0\xE9\0t\0\xE9"), RAW,
     TROUVE_SKIP_NONE, "été", "été", POST_UTF16, ""},
    {"cp1252", "cp.txt", S("l\x92\xE9t\xE9 \x9C" "uvre \xE9\x92\x9Cx"), RAW,
     TROUVE_SKIP_NONE, "l’été œuvre é’œx", "l’été œuvre é’œx",
     POST_CP1252, ""},
    {"crlf", "crlf.txt", S("a\r\nb\rc"), RAW, TROUVE_SKIP_NONE, "a\nb\nc",
     "a", 0, ""},
    {"binary nul", "bin.txt", S("abc\0def"), RAW, TROUVE_SKIP_BINARY, NULL,
     NULL, 0, "binary"},
    {"markdown front matter", "p.md",
     S("---\ntitle: \"Le titre\"\nlang: fr\ndate: 2014-08-20\n---\n"
       "# Head\n\nSome *text* with a [link](http://x).\n"),
     RAW, TROUVE_SKIP_NONE, "Le titre\n\nHead\n\nSome text with a link.\n",
     "Le titre", 0, ""},
    {"html", "p.html",
     S("<html lang=\"fr\"><head><title>Caf&eacute; &amp; cr&egrave;me"
       "</title><script>alert('x')</script></head><body><p>l&rsquo;&eacute;t"
       "&eacute; &#27;</p></body></html>"),
     RAW, TROUVE_SKIP_NONE, "Café & crème\n\nl’été \x1B", "Café & crème", 0,
     ""},
    {"gzip", "g.txt.gz", S("gzipped text\n"), GZ, TROUVE_SKIP_NONE,
     "gzipped text\n", "gzipped text", 0, ""},
    {"gzip markdown", "g.md.gz", S("# T\n\n*x*"), GZ, TROUVE_SKIP_NONE,
     "T\n\nx", "T", 0, ""},
    {"gzip two members", "two.txt.gz", S("first"), GZ_TWO, TROUVE_SKIP_NONE,
     "first and more", "first and more", 0, ""},
    {"gzip truncated", "trunc.txt.gz", S("some text that will be cut"),
     GZ_TRUNCATED, TROUVE_SKIP_DAMAGED, NULL, NULL, 0, "truncated"},
    {"gzip bad crc", "crc.txt.gz", S("some text with a bad check"),
     GZ_BAD_CRC, TROUVE_SKIP_DAMAGED, NULL, NULL, 0, "incorrect data check"},
    {"gzip inside gzip", "twice.txt.gz", S("inner text"), GZ_TWICE,
     TROUVE_SKIP_BINARY, NULL, NULL, 0, "binary"},
    {"gzip trailing garbage", "garbage.txt.gz", S("kept"), GZ_GARBAGE,
     TROUVE_SKIP_NONE, "kept", "kept", 0, ""},
    {"empty gzip", "empty.txt.gz", S(""), RAW, TROUVE_SKIP_DAMAGED, NULL,
     NULL, 0, "truncated"},
    {"not gzip", "fake.txt.gz", S("plain text"), RAW, TROUVE_SKIP_DAMAGED,
     NULL, NULL, 0, "incorrect header check"},
    {"gzip of nothing", "nothing.txt.gz", S(""), GZ, TROUVE_SKIP_NONE, "",
     NULL, 0, ""},
};

static void make_file(size_t i, const char *path)
{
    const char *b = file_rows[i].bytes;
    size_t n = file_rows[i].n;
    char *gz = NULL;
    size_t gzlen = 0;
    switch (file_rows[i].make) {
    case RAW:
        write_file(path, b, n);
        return;
    case GZ:
    case GZ_TRUNCATED:
    case GZ_BAD_CRC:
    case GZ_GARBAGE:
        gzip_append(b, n, &gz, &gzlen);
        if (file_rows[i].make == GZ_TRUNCATED)
            gzlen -= 12;
        if (file_rows[i].make == GZ_BAD_CRC)
            gz[gzlen - 8] ^= 0x55;  /* the CRC32 starts 8 bytes from the end */
        if (file_rows[i].make == GZ_GARBAGE) {
            gz = realloc(gz, gzlen + 5);
            assert_non_null(gz);
            memcpy(gz + gzlen, "junk\n", 5);
            gzlen += 5;
        }
        break;
    case GZ_TWO:
        gzip_append(b, n, &gz, &gzlen);
        gzip_append(" and more", 9, &gz, &gzlen);
        break;
    case GZ_TWICE: {
        char *inner = NULL;
        size_t innerlen = 0;
        gzip_append(b, n, &inner, &innerlen);
        gzip_append(inner, innerlen, &gz, &gzlen);
        free(inner);
        break;
    }
    }
    write_file(path, gz, gzlen);
    free(gz);
}

static void test_file_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(file_rows); i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, file_rows[i].name);
        make_file(i, path);
        post_text_t p;
        char why[128];
        trouve_skip_t rc = post_read(path, post_format_of(path), NULL, &p,
                                     why, sizeof why);
        const char *tn = file_rows[i].tn;
        if (rc != file_rows[i].skip)
            fail_msg("%s: skip %d (%s), want %d", tn, rc, why,
                     file_rows[i].skip);
        if (!strstr(why, file_rows[i].why))
            fail_msg("%s: why [%s], want [%s]", tn, why, file_rows[i].why);
        if (rc != TROUVE_SKIP_NONE) {
            if (p.text || p.title || p.anchors || p.len)
                fail_msg("%s: *out not zeroed", tn);
            continue;
        }
        if (strcmp(p.text, file_rows[i].text) != 0)
            fail_msg("%s: text [%s], want [%s]", tn, p.text,
                     file_rows[i].text);
        const char *t = file_rows[i].title;
        if ((t == NULL) != (p.title == NULL) || (t && strcmp(t, p.title)))
            fail_msg("%s: title [%s], want [%s]", tn,
                     p.title ? p.title : "(null)", t ? t : "(null)");
        if (p.flags != file_rows[i].flags)
            fail_msg("%s: flags %u, want %u", tn, p.flags,
                     file_rows[i].flags);
        if (!utf8_valid(p.text, p.len))
            fail_msg("%s: invalid UTF-8", tn);
        post_text_free(&p);
    }
}

/* Front matter and lang attributes reach the lookups. */
static void test_declared_langs(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/lang.md", dir);
    write_file(path, S("---\nlang: fr\n---\nbonjour\n"));
    post_text_t p;
    char why[128];
    assert_int_equal(post_read(path, POST_FORMAT_MARKDOWN, NULL, &p, why,
                               sizeof why), TROUVE_SKIP_NONE);
    assert_int_equal(post_lang_at(&p, 0), TROUVE_LANG_FR);
    assert_int_equal(post_line_at(&p, 0), 4);
    post_text_free(&p);
}

/* ------------------------------------------------------------------ */
/* Things that are not regular files, and errors                       */

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "post_read hung on a FIFO\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    _exit(2);
}

static void test_not_regular(void **state)
{
    (void)state;
    char fifo[256], sub[256], link[256];
    snprintf(fifo, sizeof fifo, "%s/fifo.txt", dir);
    snprintf(sub, sizeof sub, "%s/folder.md", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(symlink("/dev/zero", link), 0);
    signal(SIGALRM, on_alarm);
    alarm(10);  /* a hang fails the test instead of blocking it */
    const char *paths[] = {fifo, sub, link};  /* FIFO, folder, device */
    for (size_t i = 0; i < COUNT(paths); i++) {
        post_text_t p;
        char why[128];
        trouve_skip_t rc = post_read(paths[i], POST_FORMAT_TEXT, NULL, &p,
                                     why, sizeof why);
        if (rc != TROUVE_SKIP_UNREADABLE ||
            strcmp(why, "not a regular file") != 0)
            fail_msg("%s: %d [%s]", paths[i], rc, why);
    }
    alarm(0);
}

static void test_errors(void **state)
{
    (void)state;
    char missing[256], locked[256];
    snprintf(missing, sizeof missing, "%s/missing.txt", dir);
    snprintf(locked, sizeof locked, "%s/locked.txt", dir);
    post_text_t p;
    char why[128];
    assert_int_equal(post_read(missing, POST_FORMAT_TEXT, NULL, &p, why,
                               sizeof why), TROUVE_SKIP_UNREADABLE);
    assert_string_equal(why, strerror(ENOENT));

    write_file(locked, S("secret"));
    assert_int_equal(chmod(locked, 0), 0);
    if (geteuid() == 0) {
        /* root reads a mode-000 file: the row cannot be checked here */
        print_message("      (unreadable-file row skipped: running as "
                      "root)\n");
    } else {
        assert_int_equal(post_read(locked, POST_FORMAT_TEXT, NULL, &p, why,
                                   sizeof why), TROUVE_SKIP_UNREADABLE);
        assert_string_equal(why, strerror(EACCES));
    }
    chmod(locked, 0600);

    /* a small why buffer is cut, never overrun */
    char tiny[5];
    assert_int_equal(post_read(missing, POST_FORMAT_TEXT, NULL, &p, tiny,
                               sizeof tiny), TROUVE_SKIP_UNREADABLE);
    assert_int_equal(strlen(tiny), 4);
}

/* ------------------------------------------------------------------ */
/* The size cap                                                        */

/* {tn, file name, content maker, cap, expected length, flags}. */
static const struct {
    const char *tn;
    const char *name;
    const char *unit;   /* repeated to 10,000 bytes */
    size_t cap;
    size_t len;         /* of the text */
    unsigned flags;
} cap_rows[] = {
    {"under the cap", "u.txt", "0123456789\n", 20000, 10010, 0},
    {"cut at a line", "l.txt", "0123456789\n", 1000, 990, POST_TRUNCATED},
    {"cut at a character", "c.txt", "\xC3\xA9", 1001, 1000, POST_TRUNCATED},
    {"exactly the cap", "e.txt", "0123456789", 10000, 10000, 0},
    {"gzip cut at a line", "g.txt.gz", "0123456789\n", 1000, 990,
     POST_TRUNCATED},
};

static void test_cap_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(cap_rows); i++) {
        size_t ul = strlen(cap_rows[i].unit), n = 0;
        char *buf = malloc(10000 + ul);
        assert_non_null(buf);
        while (n < 10000) {
            memcpy(buf + n, cap_rows[i].unit, ul);
            n += ul;
        }
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, cap_rows[i].name);
        if (post_is_gzip(path)) {
            char *gz = NULL;
            size_t gzlen = 0;
            gzip_append(buf, n, &gz, &gzlen);
            write_file(path, gz, gzlen);
            free(gz);
        } else {
            write_file(path, buf, n);
        }
        post_limits_t lim = {.max_bytes = cap_rows[i].cap};
        post_text_t p;
        char why[128];
        assert_int_equal(post_read(path, POST_FORMAT_TEXT, &lim, &p, why,
                                   sizeof why), TROUVE_SKIP_NONE);
        if (p.len != cap_rows[i].len || p.flags != cap_rows[i].flags ||
            !utf8_valid(p.text, p.len))
            fail_msg("%s: len %zu flags %u, want %zu %u", cap_rows[i].tn,
                     p.len, p.flags, cap_rows[i].len, cap_rows[i].flags);
        post_text_free(&p);
        free(buf);
    }
}

static long max_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Writes a gzip bomb to `path`: one member holding 1 GiB of 'a', about
 * 1 MB on disk, made in milliseconds.  After Z_FULL_FLUSH the compressor
 * starts afresh on a byte boundary, so every 1 MiB chunk of 'a' after the
 * first compresses to the same bytes, which are repeated; the trailer's
 * CRC and size are then set for the whole gigabyte (crc32_combine).  The
 * file passes `gzip -t`. */
static void write_bomb(const char *path)
{
    size_t chunk = (size_t)1 << 20, chunks = 1024;
    char *in = malloc(chunk), *out = malloc(chunk);
    assert_non_null(in);
    assert_non_null(out);
    memset(in, 'a', chunk);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t sizes[3];
    for (int k = 0; k < 3; k++) {  /* first, repeated, last */
        zs.next_in = (Bytef *)in;
        zs.avail_in = (uInt)chunk;
        zs.next_out = (Bytef *)out;
        zs.avail_out = (uInt)chunk;
        int rc = deflate(&zs, k < 2 ? Z_FULL_FLUSH : Z_FINISH);
        assert_true(rc == Z_OK || rc == Z_STREAM_END);
        sizes[k] = chunk - zs.avail_out;
        if (k == 2) {
            /* the trailer: CRC32 and size of the whole gigabyte */
            uLong crc1 = crc32(0L, (const Bytef *)in, (uInt)chunk), crc = crc1;
            for (size_t len = chunk; len < chunk * chunks; len *= 2)
                crc = crc32_combine(crc, crc, (z_off_t)len);
            unsigned char *t = (unsigned char *)out + sizes[2] - 8;
            uint32_t isize = (uint32_t)((chunk * chunks) & 0xFFFFFFFFu);
            for (int j = 0; j < 4; j++) {
                t[j] = (unsigned char)(crc >> (8 * j));
                t[4 + j] = (unsigned char)(isize >> (8 * j));
            }
        }
        size_t times = k == 1 ? chunks - 2 : 1;
        for (size_t r = 0; r < times; r++)
            assert_int_equal(fwrite(out, 1, sizes[k], f), sizes[k]);
    }
    deflateEnd(&zs);
    assert_int_equal(fclose(f), 0);
    free(in);
    free(out);
}

/* A gzip bomb (1 GiB from about 1 MB) read with a 4 MiB cap in a child
 * process, whose peak memory must grow by far less than the gigabyte. */
static void test_gzip_bomb(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/bomb.txt.gz", dir);
    write_bomb(path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size < (2 << 20));

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        long before = max_rss_kib();
        post_limits_t lim = {.max_bytes = (size_t)4 << 20};
        post_text_t p;
        char why[128];
        trouve_skip_t rc = post_read(path, POST_FORMAT_TEXT, &lim, &p, why,
                                     sizeof why);
        long grown = max_rss_kib() - before;
        int ok = rc == TROUVE_SKIP_NONE && (p.flags & POST_TRUNCATED) &&
                 p.len == lim.max_bytes && grown < 64 * 1024;
        if (!ok)
            fprintf(stderr, "bomb: rc %d len %zu flags %u grown %ld KiB\n",
                    rc, p.len, p.flags, grown);
        _exit(ok ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ------------------------------------------------------------------ */
/* Lookups                                                             */

/* A text with anchors: "ab\ncd\n" at line 1, "ef\ngh" from offset 6 at
 * line 10, "ij" from offset 11 at line 20. */
static const char anchored_text[] = "ab\ncd\nef\ngh\nij";
static line_anchor_t anchored[] = {{0, 1}, {6, 10}, {12, 20}};

static const struct {
    size_t offset;
    uint32_t line;
} line_rows[] = {
    {0, 1}, {2, 1}, {3, 2}, {5, 2}, {6, 10}, {8, 10}, {9, 11},
    {11, 11}, {12, 20}, {13, 20}, {14, 20}, {1000, 20},
};

static void test_line_rows(void **state)
{
    (void)state;
    post_text_t p;
    memset(&p, 0, sizeof p);
    p.text = (char *)anchored_text;
    p.len = sizeof anchored_text - 1;
    p.anchors = anchored;
    p.nanchors = COUNT(anchored);
    post_line_cursor_t c;
    post_line_cursor_init(&c, &p);
    for (size_t i = 0; i < COUNT(line_rows); i++) {
        uint32_t a = post_line_at(&p, line_rows[i].offset);
        uint32_t b = post_line_cursor_at(&c, line_rows[i].offset);
        if (a != line_rows[i].line || b != line_rows[i].line)
            fail_msg("offset %zu: line %u / cursor %u, want %u",
                     line_rows[i].offset, a, b, line_rows[i].line);
    }
    /* going back restarts the cursor */
    assert_int_equal(post_line_cursor_at(&c, 4), 2);
    assert_int_equal(post_line_cursor_at(&c, 13), 20);
    /* no anchors at all: lines from 1 */
    p.nanchors = 0;
    assert_int_equal(post_line_at(&p, 4), 2);
}

/* The cursor agrees with post_line_at at every offset of an HTML post
 * with many anchors. */
static void test_cursor_agrees(void **state)
{
    (void)state;
    const char *html = "<p>a</p><p>b\nc</p>\n\n\n<div>d<br>e</div><!--\n\n"
                       "-->f<p>g</p>\nh<pre>i\nj</pre>k";
    post_text_t p;
    char why[64];
    assert_int_equal(post_parse(html, strlen(html), POST_FORMAT_HTML, &p,
                                why, sizeof why), TROUVE_SKIP_NONE);
    assert_true(p.nanchors > 1);
    post_line_cursor_t c;
    post_line_cursor_init(&c, &p);
    for (size_t off = 0; off <= p.len; off++)
        assert_int_equal(post_line_cursor_at(&c, off), post_line_at(&p, off));
    post_text_free(&p);
}

static lang_mark_t marks[] = {
    {0, TROUVE_LANG_EN}, {10, TROUVE_LANG_FR}, {20, TROUVE_LANG_UNKNOWN},
    {30, TROUVE_LANG_FR},
};

static const struct {
    size_t offset;
    trouve_lang_t lang;
} lang_rows[] = {
    {0, TROUVE_LANG_EN}, {9, TROUVE_LANG_EN}, {10, TROUVE_LANG_FR},
    {19, TROUVE_LANG_FR}, {20, TROUVE_LANG_UNKNOWN},
    {29, TROUVE_LANG_UNKNOWN}, {30, TROUVE_LANG_FR}, {999, TROUVE_LANG_FR},
};

static void test_lang_rows(void **state)
{
    (void)state;
    post_text_t p;
    memset(&p, 0, sizeof p);
    p.langs = marks;
    p.nlangs = COUNT(marks);
    for (size_t i = 0; i < COUNT(lang_rows); i++)
        if (post_lang_at(&p, lang_rows[i].offset) != lang_rows[i].lang)
            fail_msg("offset %zu: %d", lang_rows[i].offset,
                     post_lang_at(&p, lang_rows[i].offset));
    p.nlangs = 0;
    assert_int_equal(post_lang_at(&p, 5), TROUVE_LANG_UNKNOWN);
}

static void test_parse_format_none(void **state)
{
    (void)state;
    post_text_t p;
    char why[64];
    assert_int_equal(post_parse("x", 1, POST_FORMAT_NONE, &p, why,
                                sizeof why), TROUVE_SKIP_FORMAT);
    assert_null(p.text);
    post_text_free(&p);
    post_text_free(NULL);
}

/* ------------------------------------------------------------------ */

static int make_dir(void **state)
{
    (void)state;
    return unit_make_dir(dir, sizeof dir, "post");
}

static int remove_dir(void **state)
{
    (void)state;
    return unit_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_rows),
        cmocka_unit_test(test_file_rows),
        cmocka_unit_test(test_declared_langs),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_cap_rows),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_line_rows),
        cmocka_unit_test(test_cursor_agrees),
        cmocka_unit_test(test_lang_rows),
        cmocka_unit_test(test_parse_format_none),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
