/*
 * fuzz_markup.c - HTML and Markdown (and plain text) to the text a reader
 * sees, then passages and languages (text/post.c, html.c, markdown*.c,
 * entity.c, front_matter.c, passage*.c).  The first byte picks the format.
 *
 * Checks: the text is valid UTF-8, NUL-terminated, without NUL or CR; the
 * title too; anchors start at 0 and increase inside the text; language
 * marks are sorted; the line cursor agrees with post_line_at and lines
 * never go back between words; passages are in order, inside the text,
 * never empty, and tokenize.
 */
#include <string.h>

#include "fuzz.h"
#include "analysis/lang.h"
#include "analysis/token.h"
#include "analysis/utf8.h"
#include "text/passage.h"
#include "text/post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    post_format_t f = (post_format_t)(1 + data[0] % 3);
    post_text_t p;
    char why[64];
    if (post_parse((const char *)data + 1, size - 1, f, &p, why,
                   sizeof why) != TROUVE_SKIP_NONE)
        return 0;
    FUZZ_CHECK(p.text[p.len] == '\0' && utf8_valid(p.text, p.len));
    FUZZ_CHECK(!memchr(p.text, '\0', p.len) && !memchr(p.text, '\r', p.len));
    FUZZ_CHECK(!p.title || utf8_valid(p.title, strlen(p.title)));
    FUZZ_CHECK(p.nanchors >= 1 && p.anchors[0].offset == 0);
    for (size_t i = 1; i < p.nanchors; i++)
        FUZZ_CHECK(p.anchors[i].offset > p.anchors[i - 1].offset &&
                   p.anchors[i].offset <= p.len);
    for (size_t i = 1; i < p.nlangs; i++)
        FUZZ_CHECK(p.langs[i].offset >= p.langs[i - 1].offset &&
                   p.langs[i].offset <= p.len);
    post_line_cursor_t c;
    post_line_cursor_init(&c, &p);
    uint32_t last = 0;
    for (size_t o = 0; o <= p.len; o++) {
        uint32_t l = post_line_cursor_at(&c, o);
        if (o < p.len && p.text[o] != '\n' && p.text[o] != ' ') {
            FUZZ_CHECK(l >= last);
            last = l;
        }
        if ((o & 7) == 0)
            FUZZ_CHECK(l == post_line_at(&p, o));
    }
    passage_list_t pl = {0};
    FUZZ_CHECK(passages_split(&p, &pl) == 0);
    lang_count_t *cnt = calloc(pl.n + 1, sizeof *cnt);
    FUZZ_CHECK(cnt != NULL);
    for (size_t i = 0; i < pl.n; i++) {
        FUZZ_CHECK(pl.v[i].start < pl.v[i].end && pl.v[i].end <= p.len);
        FUZZ_CHECK(i == 0 || pl.v[i].start >= pl.v[i - 1].end);
        tokenize(p.text + pl.v[i].start, pl.v[i].end - pl.v[i].start, 0,
                 lang_count_token, &cnt[i]);
    }
    passages_decide_lang(pl.v, pl.n, cnt, &p);
    free(cnt);
    passage_list_free(&pl);
    post_text_free(&p);
    return 0;
}
