/*
 * test_post_stream.c - reading a post in parts (post_read.c): whatever the
 * part size, the parts put together are the text read whole, and every
 * byte of every part has the line number it has in the whole; the crc32
 * covers the whole file (also past a cap, also for .gz); a later part of
 * a UTF-16 file is UTF-16; Markdown front matter is read in the first part
 * only; the title and a declared language carry over; a damaged gzip
 * fails the part it is in.  One row per case.
 */
#include <zlib.h>

#include "unit.h"
#include "text/post.h"
#include "analysis/utf8.h"

/* gzip of data[0..n) (one member), malloc()ed. */
static char *gzip_of(const char *data, size_t n, size_t *outlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&zs, (uLong)n) + 64;
    char *out = malloc(bound);
    assert_non_null(out);
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)bound;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *outlen = bound - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

/* A text of `lines` lines of varying lengths (some blank, some long,
 * accented), deterministic. */
static char *make_text(size_t lines, int one_line, size_t *len)
{
    static const char *words[] = {"été", "avion", "winter", "cycling",
                                  "l’œuvre", "jardin", "mentorship", "x"};
    size_t cap = lines * 200 + 16, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    unsigned r = 12345;
    for (size_t i = 0; i < lines; i++) {
        r = r * 1103515245 + 12345;
        size_t k = (r >> 16) % 20;
        for (size_t w = 0; w < k; w++) {
            const char *word = words[(r >> (w % 13)) % COUNT(words)];
            size_t wl = strlen(word);
            memcpy(s + n, word, wl);
            n += wl;
            s[n++] = ' ';
        }
        s[n++] = one_line ? ' ' : '\n';
    }
    *len = n;
    return s;
}

/* The whole text read in one go, for comparison. */
static void read_whole(const char *bytes, size_t n, int gzip,
                       post_format_t format, post_text_t *whole)
{
    char why[128];
    post_limits_t l = {.max_bytes = POST_MAX_BYTES_LIMIT};
    assert_int_equal(post_read_memory(bytes, n, gzip, format, &l, whole, why,
                                      sizeof why), TROUVE_SKIP_NONE);
}

/* Reads bytes in parts of `part` bytes and checks them against the whole:
 * same text put together, same line at every byte.  Returns the number of
 * parts. */
static size_t check_parts(const char *tn, const char *bytes, size_t n,
                          int gzip, post_format_t format, size_t part)
{
    post_text_t whole;
    read_whole(bytes, n, gzip, format, &whole);
    post_limits_t l = {.part_bytes = part};
    post_stream_t *s;
    char why[128];
    assert_int_equal(post_stream_open_memory(bytes, n, gzip, format, &l, &s,
                                             why, sizeof why),
                     TROUVE_SKIP_NONE);
    size_t at = 0, parts = 0;
    post_line_cursor_t wc;
    post_line_cursor_init(&wc, &whole);
    for (int last = 0; !last;) {
        post_text_t p;
        trouve_skip_t rc = post_stream_next(s, &p, &last, why, sizeof why);
        if (rc != TROUVE_SKIP_NONE)
            fail_msg("%s: part %zu: %d %s", tn, parts, rc, why);
        if (!utf8_valid(p.text, p.len))
            fail_msg("%s: part %zu not UTF-8", tn, parts);
        if (at + p.len > whole.len || memcmp(whole.text + at, p.text, p.len))
            fail_msg("%s: part %zu (at %zu, %zu bytes) differs", tn, parts,
                     at, p.len);
        post_line_cursor_t pc;
        post_line_cursor_init(&pc, &p);
        for (size_t o = 0; o < p.len; o++) {
            uint32_t a = post_line_cursor_at(&pc, o);
            uint32_t b = post_line_cursor_at(&wc, at + o);
            if (a != b)
                fail_msg("%s: part %zu byte %zu: line %u, whole %u", tn,
                         parts, o, a, b);
        }
        if (last && p.crc != whole.crc)
            fail_msg("%s: crc %08x, whole %08x", tn, p.crc, whole.crc);
        if ((whole.title == NULL) != (p.title == NULL) ||
            (p.title && strcmp(p.title, whole.title)))
            fail_msg("%s: part %zu title [%s], want [%s]", tn, parts,
                     p.title ? p.title : "(null)",
                     whole.title ? whole.title : "(null)");
        at += p.len;
        parts++;
        post_text_free(&p);
    }
    if (at != whole.len)
        fail_msg("%s: parts hold %zu bytes, whole %zu", tn, at, whole.len);
    uLong crc = crc32(crc32(0, Z_NULL, 0), (const Bytef *)bytes, (uInt)n);
    if (whole.crc != (uint32_t)crc)
        fail_msg("%s: crc %08x, zlib %08lx", tn, whole.crc, crc);
    post_stream_close(s);
    post_text_free(&whole);
    return parts;
}

/* {tn, lines, one line, gzip, UTF-16, part bytes, least parts}. */
static const struct {
    const char *tn;
    size_t lines;
    int one_line, gzip, utf16;
    size_t part;
    size_t min_parts;
} part_rows[] = {
    {"small, one part", 10, 0, 0, 0, 0, 1},
    {"lines, tiny parts", 400, 0, 0, 0, 256, 50},
    {"lines, parts of 4 KiB", 2000, 0, 0, 0, 4096, 10},
    {"one line, cut at spaces", 2000, 1, 0, 0, 4096, 10},
    {"one line, tiny parts", 300, 1, 0, 0, 64, 100},
    {"gzip, tiny parts", 400, 0, 1, 0, 300, 40},
    {"gzip, one line", 2000, 1, 1, 0, 5000, 10},
    {"UTF-16, parts", 500, 0, 0, 1, 1000, 20},
    {"UTF-16 one line, parts", 500, 1, 0, 1, 999, 20},
    {"UTF-16 gzip, parts", 500, 0, 1, 1, 1001, 20},
};

/* UTF-8 to UTF-16LE with a BOM (BMP only, enough here). */
static char *to_utf16(const char *s, size_t n, size_t *outlen)
{
    char *out = malloc(2 * n + 2);
    assert_non_null(out);
    size_t o = 0;
    out[o++] = '\xFF';
    out[o++] = '\xFE';
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        out[o++] = (char)(cp & 0xFF);
        out[o++] = (char)(cp >> 8);
    }
    *outlen = o;
    return out;
}

static void test_part_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(part_rows); i++) {
        size_t n;
        char *text = make_text(part_rows[i].lines, part_rows[i].one_line, &n);
        char *bytes = text;
        if (part_rows[i].utf16) {
            bytes = to_utf16(text, n, &n);
            free(text);
        }
        if (part_rows[i].gzip) {
            char *gz = gzip_of(bytes, n, &n);
            free(bytes);
            bytes = gz;
        }
        size_t parts = check_parts(part_rows[i].tn, bytes, n,
                                   part_rows[i].gzip, POST_FORMAT_TEXT,
                                   part_rows[i].part);
        if (parts < part_rows[i].min_parts)
            fail_msg("%s: %zu parts, want %zu or more", part_rows[i].tn,
                     parts, part_rows[i].min_parts);
        free(bytes);
    }
}

/* Markdown and HTML: front matter only in the first part, title and
 * language carried, lines right. */
static void test_markup_parts(void **state)
{
    (void)state;
    char md[8192];
    size_t n = (size_t)snprintf(md, sizeof md,
                                "---\ntitle: Le titre\nlang: fr\n---\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(md + n, sizeof md - n,
                              "Paragraphe %d du billet.\n\n", i);
    /* a later part starting with what looks like front matter */
    n += (size_t)snprintf(md + n, sizeof md - n,
                          "---\ntitle: pas un titre\n---\nfin\n");
    post_limits_t l = {.part_bytes = 100};
    post_stream_t *s;
    char why[128];
    assert_int_equal(post_stream_open_memory(md, n, 0, POST_FORMAT_MARKDOWN,
                                             &l, &s, why, sizeof why),
                     TROUVE_SKIP_NONE);
    size_t parts = 0;
    int saw_not_title = 0;
    for (int last = 0; !last; parts++) {
        post_text_t p;
        assert_int_equal(post_stream_next(s, &p, &last, why, sizeof why),
                         TROUVE_SKIP_NONE);
        assert_non_null(p.title);
        assert_string_equal(p.title, "Le titre");
        assert_int_equal(post_lang_at(&p, 0), TROUVE_LANG_FR);
        /* the title opens the first part's text, and only that */
        if ((strncmp(p.text, "Le titre\n\n", 10) == 0) != (parts == 0))
            fail_msg("part %zu starts [%.20s]", parts, p.text);
        saw_not_title |= strstr(p.text, "pas un titre") != NULL;
        post_text_free(&p);
    }
    assert_true(parts > 10);
    assert_true(saw_not_title); /* it stayed text */
    post_stream_close(s);
    check_parts("markdown", md, n, 0, POST_FORMAT_MARKDOWN, 4096);
}

/* HTML: the <title> opens the first part only; a <title> in a later part
 * (an inline SVG's) is neither the title nor text. */
static void test_html_title_parts(void **state)
{
    (void)state;
    char html[8192];
    size_t n = (size_t)snprintf(html, sizeof html,
                                "<html>\n<head>\n<title>Quokka</title>\n"
                                "</head>\n<body>\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(html + n, sizeof html - n,
                              "<p>Paragraph %d.</p>\n", i);
    n += (size_t)snprintf(html + n, sizeof html - n,
                          "<svg><title>Wombat</title></svg>\n");
    post_limits_t l = {.part_bytes = 100};
    post_stream_t *s;
    char why[128];
    assert_int_equal(post_stream_open_memory(html, n, 0, POST_FORMAT_HTML,
                                             &l, &s, why, sizeof why),
                     TROUVE_SKIP_NONE);
    size_t parts = 0;
    for (int last = 0; !last; parts++) {
        post_text_t p;
        assert_int_equal(post_stream_next(s, &p, &last, why, sizeof why),
                         TROUVE_SKIP_NONE);
        assert_string_equal(p.title, "Quokka");
        if ((strncmp(p.text, "Quokka\n\n", 8) == 0) != (parts == 0))
            fail_msg("part %zu starts [%.20s]", parts, p.text);
        if (parts == 0)
            assert_int_equal(post_line_at(&p, 0), 3);
        if (strstr(p.text, "Wombat"))
            fail_msg("part %zu holds the later <title>", parts);
        post_text_free(&p);
    }
    assert_true(parts > 10);
    post_stream_close(s);
    check_parts("html", html, n, 0, POST_FORMAT_HTML, 4096);
}

/* The cap: content stops there, the part is flagged and last, and the crc
 * still covers the whole file. */
static void test_cap(void **state)
{
    (void)state;
    size_t n;
    char *text = make_text(3000, 0, &n);
    post_limits_t l = {.max_bytes = 10000, .part_bytes = 4000};
    post_stream_t *s;
    char why[128];
    assert_int_equal(post_stream_open_memory(text, n, 0, POST_FORMAT_TEXT,
                                             &l, &s, why, sizeof why),
                     TROUVE_SKIP_NONE);
    size_t total = 0, parts = 0;
    post_text_t p;
    for (int last = 0; !last; parts++) {
        assert_int_equal(post_stream_next(s, &p, &last, why, sizeof why),
                         TROUVE_SKIP_NONE);
        total += p.len;
        if (last) {
            assert_true(p.flags & POST_TRUNCATED);
            uLong crc = crc32(crc32(0, Z_NULL, 0), (const Bytef *)text,
                              (uInt)n);
            assert_int_equal(p.crc, (uint32_t)crc);
        } else {
            assert_false(p.flags & POST_TRUNCATED);
        }
        post_text_free(&p);
    }
    assert_true(total <= 10000 && total > 10000 - 400);
    assert_int_equal(post_stream_file_bytes(s), n);
    /* after the last part: empty parts */
    int last;
    assert_int_equal(post_stream_next(s, &p, &last, why, sizeof why),
                     TROUVE_SKIP_NONE);
    assert_int_equal(p.len, 0);
    assert_int_equal(last, 1);
    post_text_free(&p);
    post_stream_close(s);
    free(text);
}

/* A .gz whose content passes gzip_ratio times its size (and the floor) is
 * cut there. */
static void test_gzip_ratio(void **state)
{
    (void)state;
    size_t n = POST_GZIP_FLOOR + ((size_t)4 << 20);
    char *text = malloc(n);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 2 ? '\n' : 'a';
    size_t gzlen;
    char *gz = gzip_of(text, n, &gzlen);
    assert_true(gzlen * POST_GZIP_RATIO_DEFAULT < POST_GZIP_FLOOR);
    post_text_t p;
    char why[128];
    post_limits_t l = {.max_bytes = POST_MAX_BYTES_LIMIT};
    assert_int_equal(post_read_memory(gz, gzlen, 1, POST_FORMAT_TEXT, &l, &p,
                                      why, sizeof why), TROUVE_SKIP_NONE);
    assert_true(p.flags & POST_TRUNCATED);
    assert_true(p.len <= POST_GZIP_FLOOR && p.len > POST_GZIP_FLOOR - 4);
    uLong crc = crc32(crc32(0, Z_NULL, 0), (const Bytef *)gz, (uInt)gzlen);
    assert_int_equal(p.crc, (uint32_t)crc);
    post_text_free(&p);
    free(gz);
    free(text);
}

/* {tn, damage, want} for a gzip read in parts: the part where the damage
 * is seen fails, the ones before it are fine. */
static void test_gzip_damage(void **state)
{
    (void)state;
    size_t n;
    char *text = make_text(3000, 0, &n);
    size_t gzlen;
    char *gz = gzip_of(text, n, &gzlen);
    static const struct {
        const char *tn;
        int cut;         /* bytes cut at the end */
        int flip;        /* offset from the end of a byte to flip */
        trouve_skip_t want;
    } rows[] = {
        {"truncated", 12, 0, TROUVE_SKIP_DAMAGED},
        {"bad crc", 0, 8, TROUVE_SKIP_DAMAGED},
        {"cut in half", -1, 0, TROUVE_SKIP_DAMAGED},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        char *bad = malloc(gzlen);
        assert_non_null(bad);
        memcpy(bad, gz, gzlen);
        size_t len = rows[i].cut < 0 ? gzlen / 2 : gzlen - (size_t)rows[i].cut;
        if (rows[i].flip)
            bad[gzlen - (size_t)rows[i].flip] ^= 0x55;
        post_limits_t l = {.part_bytes = 4096};
        post_stream_t *s;
        char why[128];
        assert_int_equal(post_stream_open_memory(bad, len, 1,
                                                 POST_FORMAT_TEXT, &l, &s,
                                                 why, sizeof why),
                         TROUVE_SKIP_NONE);
        trouve_skip_t rc = TROUVE_SKIP_NONE;
        size_t parts = 0;
        for (int last = 0; !last && rc == TROUVE_SKIP_NONE; parts++) {
            post_text_t p;
            rc = post_stream_next(s, &p, &last, why, sizeof why);
            if (rc != TROUVE_SKIP_NONE && (p.text || p.len))
                fail_msg("%s: failed part not zeroed", rows[i].tn);
            post_text_free(&p);
        }
        if (rc != rows[i].want || !strstr(why, "gzip"))
            fail_msg("%s: %d [%s] after %zu parts", rows[i].tn, rc, why,
                     parts);
        post_stream_close(s);
        free(bad);
    }
    free(gz);
    free(text);
}

/* A binary file is seen in its first part; a NUL later on is text. */
static void test_binary(void **state)
{
    (void)state;
    char bytes[20000];
    memset(bytes, 'a', sizeof bytes);
    for (size_t i = 80; i < sizeof bytes; i += 81)
        bytes[i] = '\n';
    bytes[15000] = '\0';
    post_limits_t l = {.part_bytes = 4096};
    post_stream_t *s;
    char why[128];
    assert_int_equal(post_stream_open_memory(bytes, sizeof bytes, 0,
                                             POST_FORMAT_TEXT, &l, &s, why,
                                             sizeof why), TROUVE_SKIP_NONE);
    size_t parts = 0;
    for (int last = 0; !last; parts++) {
        post_text_t p;
        assert_int_equal(post_stream_next(s, &p, &last, why, sizeof why),
                         TROUVE_SKIP_NONE);
        assert_true(utf8_valid(p.text, p.len));
        post_text_free(&p);
    }
    post_stream_close(s);
    bytes[10] = '\0';
    assert_int_equal(post_stream_open_memory(bytes, sizeof bytes, 0,
                                             POST_FORMAT_TEXT, &l, &s, why,
                                             sizeof why), TROUVE_SKIP_NONE);
    post_text_t p;
    int last;
    assert_int_equal(post_stream_next(s, &p, &last, why, sizeof why),
                     TROUVE_SKIP_BINARY);
    assert_int_equal(last, 1);
    post_stream_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_part_rows),
        cmocka_unit_test(test_markup_parts),
        cmocka_unit_test(test_html_title_parts),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_gzip_ratio),
        cmocka_unit_test(test_gzip_damage),
        cmocka_unit_test(test_binary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
