/*
 * fuzz_gzip.c - the gzip reader and the reader in parts (text/post_read.c)
 * on any bytes taken as a .gz file's content.
 *
 * The first byte picks the part size (16 bytes to 4 KiB) and the format;
 * the rest is the file.  Checks: read whole (post_read_memory) and read in
 * parts give the same verdict, and on success the same text (the parts
 * put together) and the same crc32, which is zlib's crc32 of the bytes;
 * every part is valid UTF-8; memory stays bounded (a 64 KiB cap on the
 * content, which libFuzzer's -rss_limit_mb would catch otherwise).
 */
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "analysis/utf8.h"
#include "text/post.h"

#define CAP ((size_t)64 << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t part = (size_t)16 << (data[0] % 9);
    post_format_t f = (post_format_t)(1 + (data[0] >> 4) % 3);
    const char *bytes = (const char *)data + 1;
    size_t n = size - 1;
    uint32_t crc = (uint32_t)crc32(crc32(0, Z_NULL, 0), (const Bytef *)bytes,
                                   (uInt)n);

    post_limits_t whole_l = {.max_bytes = CAP};
    post_text_t whole;
    char why[128];
    trouve_skip_t rc = post_read_memory(bytes, n, 1, f, &whole_l, &whole, why,
                                        sizeof why);
    if (rc == TROUVE_SKIP_NONE) {
        FUZZ_CHECK(utf8_valid(whole.text, whole.len));
        FUZZ_CHECK(whole.crc == crc);
    }

    post_limits_t l = {.max_bytes = CAP, .part_bytes = part};
    post_stream_t *s;
    FUZZ_CHECK(post_stream_open_memory(bytes, n, 1, f, &l, &s, why,
                                       sizeof why) == TROUVE_SKIP_NONE);
    trouve_skip_t prc = TROUVE_SKIP_NONE;
    size_t total = 0, parts = 0;
    for (int last = 0; !last && prc == TROUVE_SKIP_NONE; parts++) {
        post_text_t p;
        prc = post_stream_next(s, &p, &last, why, sizeof why);
        if (prc != TROUVE_SKIP_NONE) {
            FUZZ_CHECK(last && !p.text && !p.len);
            break;
        }
        FUZZ_CHECK(utf8_valid(p.text, p.len));
        FUZZ_CHECK(p.len <= 3 * part + 3);
        total += p.len;
        if (last)
            FUZZ_CHECK(p.crc == crc);
        post_text_free(&p);
        FUZZ_CHECK(parts < CAP);
    }
    post_stream_close(s);
    /* A broken stream fails both ways (in parts, the first part's binary
     * sniff may see the file first); a good one gives the same text,
     * unless a cap cut it (parts cut nearer the cap) or the encoding was
     * guessed (each part guesses for itself). */
    if (rc == TROUVE_SKIP_DAMAGED)
        FUZZ_CHECK(prc == rc || prc == TROUVE_SKIP_BINARY);
    if (rc == TROUVE_SKIP_NONE && prc == TROUVE_SKIP_NONE &&
        f == POST_FORMAT_TEXT &&
        !(whole.flags & (POST_CP1252 | POST_TRUNCATED)))
        FUZZ_CHECK(total == whole.len);
    if (rc == TROUVE_SKIP_NONE)
        post_text_free(&whole);
    return 0;
}
